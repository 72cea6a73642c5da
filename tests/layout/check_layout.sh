#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The source layout, checked at ROOT:
#  1. core-c/src/<folder>/*_internal.h is private to <folder>; the folder's other headers are its
#     interface, open to every core file.
#  2. plugins/, core-c/cli/ and qml-shell/ include no header of core-c/src (only <valkka/...>,
#     system headers and their own).
#  3. Their CMake files name no source file or include directory inside core-c/src.
#  4. A function or type a core header declares with the valkka_ prefix is public (abi/valkka
#     declares it too): the prefix is the ABI's, internal helpers go without it.
#  5. FFmpeg's process-wide log callback (av_log_set_callback) is the application's: only the
#     CLI (core-c/cli) and the kiosk (qml-shell/src) set it, never a plugin or the core.
# Prints `path:line: what is wrong` per violation and exits 1, or `layout: ok`.
#
#   check_layout.sh ROOT
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 ROOT" >&2
  exit 2
fi
cd "$1" || exit 2
core=core-c/src
if [ ! -d "$core" ]; then
  echo "check_layout: no $core under $1" >&2
  exit 2
fi
outside=()
for tree in plugins core-c/cli qml-shell; do
  if [ -d "$tree" ]; then
    outside+=("$tree")
  fi
done

violations=0
report() {
  echo "$1:$2: $3"
  violations=$((violations + 1))
}

# Resolves . and .. in a relative path, into REPLY (no subshell: it runs once per include).
normalize() {
  local -a parts out=()
  local part IFS=/
  set -f
  parts=($1)
  set +f
  for part in "${parts[@]}"; do
    case $part in
      '' | .) ;;
      ..)
        if [ ${#out[@]} -gt 0 ] && [ "${out[-1]}" != .. ]; then
          unset 'out[-1]'
        else
          out+=(..)
        fi
        ;;
      *) out+=("$part") ;;
    esac
  done
  REPLY="${out[*]}"
}

in_core() {
  [ "$1" = "$core" ] || [ "${1#"$core"/}" != "$1" ]
}

# The layer of a path under core-c/src is its first folder ("" for files at the top).
layer_of() {
  local rel=${1#"$core"/}
  if [ "${rel%/*}" = "$rel" ]; then
    REPLY=""
  else
    REPLY=${rel%%/*}
  fi
}

# Sorted, so that a copy of the tree reports in the same order as the original.
list_files() {
  find "$@" -type d -name 'build*' -prune -o -type f "${name_test[@]}" -print | sort
}
name_test=(\( -name '*.c' -o -name '*.h' -o -name '*.cpp' -o -name '*.hpp' \))
mapfile -t core_files < <(list_files "$core")
outside_files=()
if [ ${#outside[@]} -gt 0 ]; then
  mapfile -t outside_files < <(list_files "${outside[@]}")
fi

# Where each file name lives under core-c/src, for bare includes ("fs_internal.h").
declare -A core_by_name=()
for f in "${core_files[@]}"; do
  core_by_name[${f##*/}]+="$f"$'\n'
done

include_re='^[[:space:]]*#[[:space:]]*include[[:space:]]*([<"])([^>"]*)[>"]'
grep_includes() {
  local rc=0
  [ $# -gt 0 ] || return 0
  grep -HnE "$include_re" -- "$@" || rc=$?
  [ $rc -le 1 ] || exit 2
}

# Collected first: a failing grep then stops the check instead of looking like no includes.
core_hits=$(grep_includes "${core_files[@]}")
outside_hits=$(grep_includes "${outside_files[@]}")

# Rule 1: private headers.
while IFS= read -r hit; do
  file=${hit%%:*} rest=${hit#*:}
  line=${rest%%:*} text=${rest#*:}
  [[ $text =~ $include_re ]] || continue
  kind=${BASH_REMATCH[1]} name=${BASH_REMATCH[2]}
  dir=${file%/*}
  target=""
  # The compiler's order: next to the file (quoted only), then -I core-c/src.
  if [ "$kind" = '"' ]; then
    normalize "$dir/$name"
    if in_core "$REPLY" && [ -f "$REPLY" ]; then
      target=$REPLY
    fi
  fi
  if [ -z "$target" ]; then
    normalize "$core/$name"
    if in_core "$REPLY" && [ -f "$REPLY" ]; then
      target=$REPLY
    fi
  fi
  # A bare name only found in another folder still names that folder's header.
  if [ -z "$target" ] && [ "${name#*/}" = "$name" ] && [ -n "${core_by_name[$name]:-}" ]; then
    target=${core_by_name[$name]%%$'\n'*}
  fi
  [ -n "$target" ] || continue
  case $target in
    *_internal.h) ;;
    *) continue ;;
  esac
  layer_of "$file"
  from=$REPLY
  layer_of "$target"
  if [ "$REPLY" != "$from" ]; then
    report "$file" "$line" "includes $kind$name${kind/</>}: $target is private to $core/$REPLY/"
  fi
done <<<"$core_hits"

# Rule 2: nothing outside the core includes its headers.
while IFS= read -r hit; do
  file=${hit%%:*} rest=${hit#*:}
  line=${rest%%:*} text=${rest#*:}
  [[ $text =~ $include_re ]] || continue
  kind=${BASH_REMATCH[1]} name=${BASH_REMATCH[2]}
  shown="$kind$name${kind/</>}"
  dir=${file%/*}
  tree=""
  for t in "${outside[@]}"; do
    if [ "${file#"$t"/}" != "$file" ]; then
      tree=$t
    fi
  done
  if [[ $name == *core-c/src* ]]; then
    report "$file" "$line" "includes $shown: a path into $core"
    continue
  fi
  if [ "$kind" = '"' ]; then
    normalize "$dir/$name"
    if in_core "$REPLY"; then
      report "$file" "$line" "includes $shown: resolves to $REPLY, inside $core"
      continue
    fi
    # Its own header: next to it, or in its tree's shared folders (plugins/media-common/...).
    own=""
    for base in "$dir" "$tree" "$tree"/*/; do
      normalize "$base/$name"
      if [ -f "$REPLY" ]; then
        own=$REPLY
        break
      fi
    done
    [ -z "$own" ] || continue
  fi
  normalize "$core/$name"
  if in_core "$REPLY" && [ -f "$REPLY" ]; then
    report "$file" "$line" "includes $shown: $REPLY is a core header (use <valkka/...>)"
  elif [ "$kind" = '"' ] && [ "${name#*/}" = "$name" ] && [ -n "${core_by_name[$name]:-}" ]; then
    report "$file" "$line" "includes $shown: ${core_by_name[$name]%%$'\n'*} is a core header (use <valkka/...>)"
  fi
done <<<"$outside_hits"

# A CMake comment starts at a # that begins the line or follows a blank; into REPLY.
strip_comment() {
  local rest=$1 kept="" pre
  while [[ $rest == *'#'* ]]; do
    pre=${rest%%#*}
    if [[ -z $kept$pre || $pre == *[[:space:]] ]]; then
      REPLY=$kept$pre
      return
    fi
    kept+="$pre#"
    rest=${rest#*#}
  done
  REPLY=$kept$rest
}

# Rule 3: their CMake files neither compile core sources nor add core include directories.
if [ ${#outside[@]} -gt 0 ]; then
  mapfile -t cmake_files < <(find "${outside[@]}" -type d -name 'build*' -prune -o -type f \
    \( -name CMakeLists.txt -o -name '*.cmake' \) -print | sort)
else
  cmake_files=()
fi
link_re='(^|:)(valkka_internal|valkka_objects)(>|$)'
dotdot_re='(\$\{([A-Za-z_]+)\})?([^:<>$]*\.\.[^:<>]*)'
for file in "${cmake_files[@]}"; do
  dir=${file%/*}
  n=0
  in_bracket=""
  while IFS= read -r text || [ -n "$text" ]; do
    n=$((n + 1))
    text=${text%$'\r'}
    # Comments may mention core-c/src freely; bracket comments #[[ ... ]] may span lines.
    if [ -n "$in_bracket" ]; then
      [[ $text == *"$in_bracket"* ]] || continue
      text=${text#*"$in_bracket"}
      in_bracket=""
    fi
    if [[ $text =~ (^|[[:space:]])#\[(=*)\[ ]]; then
      closer="]${BASH_REMATCH[2]}]"
      before=${text%%"#[${BASH_REMATCH[2]}["*}
      after=${text#*"#[${BASH_REMATCH[2]}["}
      if [[ $after == *"$closer"* ]]; then
        text="$before ${after#*"$closer"}"
      else
        text=$before
        in_bracket=$closer
      fi
    fi
    strip_comment "$text"
    text=$REPLY
    [ -n "$text" ] || continue
    IFS=$' \t"();' read -ra tokens <<<"$text"
    for tok in "${tokens[@]}"; do
      [ -n "$tok" ] || continue
      if [[ $tok =~ $link_re ]]; then
        report "$file" "$n" "names ${BASH_REMATCH[2]}, whose include directory is $core"
        continue
      fi
      # Globbing header names compiles nothing and adds no -I (qml-shell's own include check).
      if [[ $tok == *'*'*.h ]]; then
        continue
      fi
      if [[ $tok == *core-c/src* ]]; then
        report "$file" "$n" "names $tok, inside $core"
        continue
      fi
      [[ $tok =~ $dotdot_re ]] || continue
      var=${BASH_REMATCH[2]} rel=${BASH_REMATCH[3]}
      case $var in
        '' | CMAKE_CURRENT_SOURCE_DIR | CMAKE_CURRENT_LIST_DIR | CMAKE_CURRENT_FUNCTION_LIST_DIR)
          base=$dir ;;
        CMAKE_SOURCE_DIR | PROJECT_SOURCE_DIR | CMAKE_HOME_DIRECTORY) base=. ;;
        *) continue ;;
      esac
      [ -n "$var" ] || [ "${rel#/}" = "$rel" ] || continue
      normalize "$base/$rel"
      if in_core "$REPLY"; then
        report "$file" "$n" "names $tok = $REPLY, inside $core"
      fi
    done
  done <"$file"
done

# Rule 4: declarations "valkka_name(" or "} valkka_name_t;" in core headers.
if [ -d abi/valkka ]; then
  public=" $(grep -ohE '\bvalkka_[a-z0-9_]+\b' abi/valkka/*.h | sort -u | tr '\n' ' ') "
  while IFS= read -r -d '' header; do
    n=0
    while IFS= read -r line || [ -n "$line" ]; do
      n=$((n + 1))
      [[ $line =~ ^[^/*]*[[:space:]*](valkka_[a-z0-9_]+)\( || $line =~ ^\}[[:space:]]*(valkka_[a-z0-9_]+_t)\; ]] ||
        continue
      name=${BASH_REMATCH[1]}
      [[ $public == *" $name "* ]] || report "$header" "$n" "declares $name: internal names go without valkka_"
    done <"$header"
  done < <(find "$core" -name '*.h' -print0 | sort -z)
fi

# 5. A call names it with its parenthesis; prose names it without.
while IFS=: read -r file n _; do
  case $file in
    core-c/cli/* | qml-shell/src/*) ;;
    *) report "$file" "$n" "calls av_log_set_callback: FFmpeg's log belongs to the application" ;;
  esac
done < <(find core-c/src "${outside[@]}" -type d -name 'build*' -prune -o -type f \
  \( -name '*.c' -o -name '*.cpp' -o -name '*.h' \) -print0 2>/dev/null | sort -z |
  xargs -0 -r grep -nE '\bav_log_set_callback[[:space:]]*\(' || true)

if [ $violations -gt 0 ]; then
  echo "layout: $violations violation(s)" >&2
  exit 1
fi
echo "layout: ok"
