# check_skips CTEST_OUTPUT: a skipped suite did not run (tests/main/skip_main.cpp). Only a skip
# for hardware a machine may lack is expected (VALKKA_ALLOWED_SKIPS, default the VA-API device
# test); any other, such as an encoder missing from the installed packages, fails the run.
# Sourced by ci/test.sh, and by tests/main/skip_policy_test.sh, which checks it on real ctest output.
check_skips() {
  local allowed=" ${VALKKA_ALLOWED_SKIPS-rtsp_vaapi} " bad=0 name
  for name in $(sed -n 's/.*Test *#[0-9]*: \([^ ]*\) .*\*\*\*Skipped.*/\1/p' "$1"); do
    case "$allowed" in
      *" $name "*) echo "skipped, as this machine lacks its hardware: $name" ;;
      *) echo "skipped, which the installed packages should not cause: $name" && bad=1 ;;
    esac
  done
  return "$bad"
}
