# SPDX-License-Identifier: LGPL-2.1-or-later
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
# Line tables are all a sanitizer's report uses (-g1): the full debug information of -g cost a
# sixth of the compile time of a Qt or GoogleTest file, and these builds are never debugged or
# installed.
if(_san)
  add_compile_options(${_san} -g1)
  add_link_options(${_san})
endif()

# The sanitizers' options for every process of an ASan or fuzz run (the tests' environment;
# tests/fuzz/run_fuzz.sh sets the same ASan option for the fuzz targets).
# intercept_tls_get_addr=0, because with it the leak check crashes at random in GCC 12's and
# clang 14's runtimes ("Tracer caught signal 11"): when a thread first touches a dlopen'd
# library's TLS (GnuTLS, pulled in by the media plugins, does so in its constructor), the
# runtime records the block's extent, guessing it from the 16 bytes before the block whenever
# the block starts 16 past a page boundary (glibc <= 2.19's memalign header). glibc 2.36 takes
# the block from plain malloc, so those bytes are ASan's own chunk header, the recorded range
# (e.g. 0x433-0x1000001535) is garbage, and the leak check dies scanning it. Whether a block
# lands there depends on the heap's history, so it varies with the machine and the environment.
# Later runtimes ask the allocator for the block instead (LLVM 17). Without the interception the
# check scans no dynamic TLS as a root; the blocks are heap chunks reachable from the thread's
# DTV, so they are still scanned, and fewer roots can only report more leaks, never hide one.
if(VALKKA_FUZZ OR VALKKA_SANITIZE STREQUAL "address")
  set(VALKKA_ASAN_OPTIONS
    "detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=1:intercept_tls_get_addr=0")
  set(VALKKA_LSAN_OPTIONS "suppressions=${CMAKE_SOURCE_DIR}/tests/lsan.supp:print_suppressions=0")
endif()

# Shared objects refuse undefined symbols, so a plugin missing a function fails at link time.
# Not under VALKKA_FUZZ: clang links its sanitizer runtimes into executables only, so there a
# shared object's sanitizer symbols are undefined until the executable that loads it supplies them.
if(VALKKA_FUZZ)
  set(VALKKA_NO_UNDEFINED "")
else()
  set(VALKKA_NO_UNDEFINED "LINKER:--no-undefined")
endif()
