set(VALKKA_CLI_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/main.c
  ${CMAKE_CURRENT_LIST_DIR}/cli_fail.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_plugins.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_fs.c)
set(VALKKA_CLI_LIBS PkgConfig::JANSSON)
# `valkka record` and the helpers it shares with `valkka fs`.
list(APPEND VALKKA_CLI_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/cli_util.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_record.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_record_config.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_record_plan.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_record_session.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_record_status.c)
# `valkka probe`, `valkka play`, `valkka export` (the last remuxes through libavformat).
list(APPEND VALKKA_CLI_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/cli_time.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_probe.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_play.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_export.c)
pkg_check_modules(CLI_LIBAV REQUIRED IMPORTED_TARGET libavformat libavcodec libavutil)
list(APPEND VALKKA_CLI_LIBS PkgConfig::CLI_LIBAV)
