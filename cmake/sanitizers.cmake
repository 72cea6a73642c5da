# VALKKA_SANITIZE=address: ASan + UBSan, every finding fatal. VALKKA_SANITIZE=thread: TSan.
# VALKKA_FUZZ=ON: clang's libFuzzer build: every object gets libFuzzer's coverage hooks
# (fuzzer-no-link) and ASan + UBSan, so coverage reaches the library and its plugins; only the
# fuzz targets link libFuzzer itself (tests/fuzz).
if(VALKKA_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID STREQUAL "Clang" OR NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "VALKKA_FUZZ needs clang and clang++ (libFuzzer): configure with CC=clang CXX=clang++")
  endif()
  if(NOT VALKKA_SANITIZE STREQUAL "")
    message(FATAL_ERROR "VALKKA_FUZZ brings its own sanitizers: leave VALKKA_SANITIZE empty")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
    -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
elseif(VALKKA_SANITIZE STREQUAL "address")
  set(_san -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
elseif(VALKKA_SANITIZE STREQUAL "thread")
  set(_san -fsanitize=thread -fno-omit-frame-pointer)
elseif(NOT VALKKA_SANITIZE STREQUAL "")
  message(FATAL_ERROR "VALKKA_SANITIZE must be '', 'address' or 'thread', not '${VALKKA_SANITIZE}'")
endif()
if(_san)
  add_compile_options(${_san})
  add_link_options(${_san})
endif()

# Shared objects refuse undefined symbols, so a plugin missing a function fails at link time.
# Not under VALKKA_FUZZ: clang links its sanitizer runtimes into executables only, so there a
# shared object's sanitizer symbols are undefined until the executable that loads it supplies them.
if(VALKKA_FUZZ)
  set(VALKKA_NO_UNDEFINED "")
else()
  set(VALKKA_NO_UNDEFINED "LINKER:--no-undefined")
endif()
