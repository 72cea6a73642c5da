# SPDX-License-Identifier: LGPL-2.1-or-later
# Debian's hardening flags (dpkg-buildflags with hardening=+all), on by default: the CLI, the
# kiosk and the plugins parse what cameras and files send. hardening-check passes on every binary
# and plugin (tests/install/hardening.sh). The sanitizer and fuzz builds go without: their
# runtimes replace the checks fortify adds, and they are never installed.
include(CheckCCompilerFlag)
include(CheckPIESupported)
option(VALKKA_HARDENING
  "Build with Debian's hardening flags (fortify, stack protector, relro, now)" ON)

if(VALKKA_HARDENING AND VALKKA_SANITIZE STREQUAL "" AND NOT VALKKA_FUZZ)
  # Executables link as PIE (with CMAKE_POSITION_INDEPENDENT_CODE, set at the top level).
  check_pie_supported(LANGUAGES C CXX)
  set(_hardening -fstack-protector-strong -fstack-clash-protection)
  check_c_compiler_flag(-fcf-protection VALKKA_HAS_CF_PROTECTION)
  if(VALKKA_HAS_CF_PROTECTION)
    list(APPEND _hardening -fcf-protection)
  endif()
  # Fortify needs the optimiser: a -O0 build (Debug) would warn on every file instead. tests/
  # builds at -O0 and takes it back with -U_FORTIFY_SOURCE.
  add_compile_options(${_hardening} $<$<NOT:$<CONFIG:Debug>>:-D_FORTIFY_SOURCE=2>)
  add_link_options(LINKER:-z,relro LINKER:-z,now)
endif()
