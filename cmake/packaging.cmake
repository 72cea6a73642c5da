# SPDX-License-Identifier: LGPL-2.1-or-later
# The Debian packages, made by CPack from the install components of this build (ci/package.sh):
# the same build the tests ran packs, no second build. Each component is one package.
#   libvalkka1     libvalkka.so.1 and the plugins
#   libvalkka-dev  headers, valkka.pc, the CMake package, the libvalkka.so link
#   valkka         the CLI, its man pages, completions, the recorder's unit and user, a config
#   valkka-kiosk   the kiosk, its man page, user unit and desktop file
set(VALKKA_DEB_PACKAGES libvalkka1 libvalkka-dev valkka valkka-kiosk)
if(NOT VALKKA_BUILD_SHELL)
  list(REMOVE_ITEM VALKKA_DEB_PACKAGES valkka-kiosk)
endif()

# Every package carries the licence (machine-readable) and the changelog, gzip -9n as Debian
# wants them.
set(_doc_build ${CMAKE_BINARY_DIR}/packaging)
file(MAKE_DIRECTORY ${_doc_build})
add_custom_command(OUTPUT ${_doc_build}/changelog.gz
  COMMAND gzip -9n -c ${CMAKE_SOURCE_DIR}/packaging/changelog > ${_doc_build}/changelog.gz
  DEPENDS ${CMAKE_SOURCE_DIR}/packaging/changelog VERBATIM)
add_custom_target(valkka_package_docs ALL DEPENDS ${_doc_build}/changelog.gz)
foreach(_pkg IN LISTS VALKKA_DEB_PACKAGES)
  install(FILES ${CMAKE_SOURCE_DIR}/packaging/copyright ${_doc_build}/changelog.gz
    DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${_pkg} COMPONENT ${_pkg})
endforeach()

set(CPACK_PACKAGE_NAME valkka-kiosk)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "the valkka-kiosk developers")
set(CPACK_PACKAGE_CONTACT "valkka-kiosk developers <valkka-kiosk@lists.invalid>")
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL ${VALKKA_DEB_PACKAGES})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# dpkg-shlibdeps finds libvalkka.so.1 in the build tree; the packages that use it name
# libvalkka1 themselves, at this exact version.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${CMAKE_BINARY_DIR}/core-c)
# The debug information stays in the build tree.
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "")
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(_exact "(= ${PROJECT_VERSION})")

set(CPACK_DEBIAN_LIBVALKKA1_PACKAGE_NAME libvalkka1)
set(CPACK_DEBIAN_LIBVALKKA1_PACKAGE_SECTION libs)
# shlibs for libvalkka.so.1 (the only package with a shared library), and the ldconfig trigger.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
set(CPACK_DEBIAN_LIBVALKKA1_PACKAGE_CONTROL_EXTRA ${CMAKE_SOURCE_DIR}/packaging/libvalkka1/triggers)
set(CPACK_COMPONENT_LIBVALKKA1_DESCRIPTION
"video-surveillance recorder core: ValkkaFS and its plugins
libvalkka records camera streams (H.264, H.265, audio) into ValkkaFS, a
circular block store indexed by time, and plays them back seekable and in
sync across cameras. This package holds the shared library and its plugins:
RTSP, file and synthetic sources, FFmpeg and VA-API decoders, MultiFS and
SingleFS storage.")

set(CPACK_DEBIAN_LIBVALKKA-DEV_PACKAGE_NAME libvalkka-dev)
set(CPACK_DEBIAN_LIBVALKKA-DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_LIBVALKKA-DEV_PACKAGE_DEPENDS "libvalkka1 ${_exact}, libjansson-dev, zlib1g-dev")
set(CPACK_COMPONENT_LIBVALKKA-DEV_DESCRIPTION
"video-surveillance recorder core: development files
Headers of the C ABI, valkka.pc and the CMake package (find_package(valkka))
for applications that use libvalkka and for plugins (sources, decoders,
storage backends) built against the installed headers alone.")

set(CPACK_DEBIAN_VALKKA_PACKAGE_NAME valkka)
set(CPACK_DEBIAN_VALKKA_PACKAGE_SECTION video)
set(CPACK_DEBIAN_VALKKA_PACKAGE_DEPENDS "libvalkka1 ${_exact}, passwd")
set(CPACK_DEBIAN_VALKKA_PACKAGE_CONTROL_EXTRA
  ${CMAKE_SOURCE_DIR}/packaging/valkka/postinst ${CMAKE_SOURCE_DIR}/packaging/valkka/postrm)
set(CPACK_DEBIAN_VALKKA_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_COMPONENT_VALKKA_DESCRIPTION
"video-surveillance recorder: the valkka command and its service
valkka records RTSP cameras, files and synthetic cameras into ValkkaFS, plays
recordings back through the decoder, exports them to MP4 or Matroska, and
checks and repairs an FS. The package holds the recorder's systemd unit
(valkka-record.service), its system user and an example camera config.")

set(CPACK_DEBIAN_VALKKA-KIOSK_PACKAGE_NAME valkka-kiosk)
set(CPACK_DEBIAN_VALKKA-KIOSK_PACKAGE_SECTION video)
# The QML modules the kiosk imports are loaded at run time, so no library dependency names them.
set(CPACK_DEBIAN_VALKKA-KIOSK_PACKAGE_DEPENDS "libvalkka1 ${_exact}, qml6-module-qtquick, \
qml6-module-qtquick-controls, qml6-module-qtquick-layouts, qml6-module-qtquick-window, \
qml6-module-qtquick-templates, qml6-module-qtqml-workerscript, qml6-module-qtmultimedia")
set(CPACK_COMPONENT_VALKKA-KIOSK_DESCRIPTION
"video wall and timeline for valkka recordings
valkka-kiosk shows a live wall of camera tiles and a timeline to scrub and
play recordings back in sync. It runs unattended (a systemd user unit is
included) and records by itself when no recorder does.")

include(CPack)
