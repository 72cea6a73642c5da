# SPDX-License-Identifier: LGPL-2.1-or-later
# Fails when a file of the shell includes anything but <valkka/...>, Qt, standard or system
# headers, or the shell's own headers: the shell must build against the installed abi/ alone.
#
#   cmake -DSHELL_SRC=<dir> -DCORE_TREE=<repo root> [-DFILES=<file;file>] -P check_includes.cmake
#
# SHELL_SRC is where the shell's own (quoted) headers live; FILES defaults to every .h/.cpp there.
if(NOT SHELL_SRC OR NOT CORE_TREE)
  message(FATAL_ERROR "check_includes: SHELL_SRC and CORE_TREE are required")
endif()
if(NOT FILES)
  file(GLOB FILES ${SHELL_SRC}/*.h ${SHELL_SRC}/*.cpp)
endif()

# Every header name the core tree and the plugins have: an angle include naming one of them is
# a back door into core-c/src or plugins/ (via an -I flag), whatever else it looks like.
file(GLOB_RECURSE _core_headers RELATIVE ${CORE_TREE}
  ${CORE_TREE}/core-c/src/*.h ${CORE_TREE}/plugins/*.h)
set(_core_names "")
foreach(_h IN LISTS _core_headers)
  get_filename_component(_n ${_h} NAME)
  list(APPEND _core_names ${_n})
endforeach()

set(_bad "")
foreach(_file IN LISTS FILES)
  file(STRINGS ${_file} _lines REGEX "^[ \t]*#[ \t]*include")
  foreach(_line IN LISTS _lines)
    if(NOT _line MATCHES "#[ \t]*include[ \t]*([<\"])([^>\"]+)[>\"]")
      list(APPEND _bad "${_file}: unparsable: ${_line}")
      continue()
    endif()
    set(_kind ${CMAKE_MATCH_1})
    set(_name ${CMAKE_MATCH_2})
    get_filename_component(_base ${_name} NAME)
    set(_ok FALSE)
    if(_name MATCHES "\\.\\.|core-c|plugins/")
      set(_ok FALSE)
    elseif(_kind STREQUAL "\"")
      # The shell's own header, next to the file: nothing else may be included with quotes.
      if(NOT _name MATCHES "/" AND EXISTS ${SHELL_SRC}/${_name})
        set(_ok TRUE)
      endif()
    elseif(_name MATCHES "^valkka/[a-z_]+\\.h$")
      if(EXISTS ${CORE_TREE}/abi/${_name} OR EXISTS ${CORE_TREE}/abi/${_name}.in)
        set(_ok TRUE)
      endif()
    elseif(_name MATCHES "^Qt[A-Za-z]*/[A-Za-z_0-9.]+$" OR _name MATCHES "^Q[A-Za-z]+$")
      set(_ok TRUE)
    elseif(_name STREQUAL "libavutil/log.h")
      set(_ok TRUE) # FFmpeg's log callback: the application's to set (kiosk_log.cpp)
    elseif(_name STREQUAL "libswscale/swscale.h")
      set(_ok TRUE) # pictures scaled to their tile (picture_scaler.cpp)
    elseif(_name MATCHES "^[a-z_]+$")
      set(_ok TRUE) # C++ standard library
    elseif(_name MATCHES "^(sys/)?[a-z_0-9]+\\.h$")
      list(FIND _core_names ${_base} _found)
      if(_found EQUAL -1)
        set(_ok TRUE) # C / POSIX system header
      endif()
    endif()
    if(NOT _ok)
      list(APPEND _bad "${_file}: ${_line}")
    endif()
  endforeach()
endforeach()

if(_bad)
  list(JOIN _bad "\n  " _text)
  message(FATAL_ERROR "valkka-kiosk may include only <valkka/...>, Qt, standard headers and its "
                      "own files; these are not allowed:\n  ${_text}")
endif()
