# SPDX-License-Identifier: LGPL-2.1-or-later
# The installed binaries find libvalkka through $ORIGIN when it goes outside the linker's own
# directories (/usr/local, a private prefix), and through the system alone when it goes into
# one (/usr for a .deb): a runpath into a system directory is what Debian forbids.
list(FIND CMAKE_C_IMPLICIT_LINK_DIRECTORIES "${CMAKE_INSTALL_FULL_LIBDIR}" _libdir_is_system)
if(_libdir_is_system EQUAL -1)
  file(RELATIVE_PATH _lib_from_bin "${CMAKE_INSTALL_FULL_BINDIR}" "${CMAKE_INSTALL_FULL_LIBDIR}")
  set(VALKKA_INSTALL_RPATH "$ORIGIN/${_lib_from_bin}")
else()
  set(VALKKA_INSTALL_RPATH "")
endif()
