# SPDX-License-Identifier: LGPL-2.1-or-later
# bash completion of valkka(1) and valkka-kiosk(1): commands, the fs subcommands, each command's
# options and their fixed values, files or directories where an option takes a path. Uses
# compgen alone, so it needs none of the bash-completion package's helpers. Installed twice, as
# .../completions/valkka and .../completions/valkka-kiosk (bash-completion loads a command's
# file by its name), by the package of each command.

# Sets the caller's `cur` and `prev` to the word being typed and the one before it. bash splits
# `--opt=VALUE` at '=' (COMP_WORDBREAKS): then `prev` is --opt and `cur` what follows '='.
_valkka_words() {
  cur=${COMP_WORDS[COMP_CWORD]} prev=
  [ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
  if [ "$cur" = "=" ]; then
    cur=""
  elif [ "$prev" = "=" ] && [ "$COMP_CWORD" -gt 1 ]; then
    prev=${COMP_WORDS[COMP_CWORD - 2]}
  fi
  COMPREPLY=()
}

# COMPREPLY for $1 of a KIND: file, dir, nothing (a free value) or words separated by commas.
_valkka_complete() {
  case $2 in
    file) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$1")) ;;
    dir) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$1")) ;;
    "") COMPREPLY=() ;;
    *) COMPREPLY=($(compgen -W "${2//,/ }" -- "$1")) ;;
  esac
}

# Completes the word being typed ($1) when the word before it ($2) is an option that takes a
# value; the rest are "OPTION:KIND" (_valkka_complete's kinds). Returns 1 for any other $2.
_valkka_value() {
  local cur=$1 prev=$2 spec
  shift 2
  for spec in "$@"; do
    [ "$prev" = "${spec%%:*}" ] || continue
    _valkka_complete "$cur" "${spec#*:}"
    return 0
  done
  return 1
}

# The options ($2, separated by spaces) when $1 starts with '-', else an argument of KIND $3.
_valkka_option_or() {
  if [[ $1 == -* ]]; then
    COMPREPLY=($(compgen -W "$2" -- "$1"))
  else
    _valkka_complete "$1" "$3"
  fi
}

_valkka() {
  local cur prev help="--help -h"
  _valkka_words
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "plugins plugin-info fs probe record play export help $help
      --version" -- "$cur"))
    return 0
  fi
  case ${COMP_WORDS[1]} in
    plugins) COMPREPLY=($(compgen -W "$help" -- "$cur")) ;;
    plugin-info | probe) _valkka_option_or "$cur" "$help" file ;;
    fs)
      if [ "$COMP_CWORD" -eq 2 ]; then
        COMPREPLY=($(compgen -W "create inspect fsck $help" -- "$cur"))
        return 0
      fi
      case ${COMP_WORDS[2]} in
        create)
          _valkka_value "$cur" "$prev" --kind:multi,single --block-size: --blocks: \
            --device:file --backend:storage-multifs,storage-singlefs ||
            _valkka_option_or "$cur" "--kind --block-size --blocks --device --backend $help" dir ;;
        inspect) _valkka_option_or "$cur" "--json $help" dir ;;
        fsck) _valkka_option_or "$cur" "--repair --json $help" dir ;;
      esac ;;
    record)
      _valkka_value "$cur" "$prev" --config:file --fs:dir --synthetic: --file:file --duration: \
        --status-interval:0,1,10,60 ||
        COMPREPLY=($(compgen -W "--config --fs --synthetic --file --duration --status-interval
          --check $help" -- "$cur")) ;;
    play)
      _valkka_value "$cur" "$prev" --fs:dir --from: --to: --speed:0.25,0.5,1,2,4,8,16,max \
        --duration: ||
        COMPREPLY=($(compgen -W "--fs --from --to --speed --live --duration --json --audio $help" \
          -- "$cur")) ;;
    export)
      _valkka_value "$cur" "$prev" --fs:dir --stream: --from: --to: ||
        _valkka_option_or "$cur" "--fs --stream --from --to $help" file ;;
  esac
  return 0
}

_valkka_kiosk() {
  local cur prev
  _valkka_words
  _valkka_value "$cur" "$prev" --config:file --screenshot:file --layout:1,2x2,3x3,4x4 \
    --fs-size: --after: --fs:dir --ca-file:file --token-file:file ||
    COMPREPLY=($(compgen -W "--config --fullscreen --layout --fs-size --screenshot --after
      --viewer --fs --ca-file --token-file --test-control --help -h --version" -- "$cur"))
  return 0
}

complete -F _valkka valkka
complete -F _valkka_kiosk valkka-kiosk
