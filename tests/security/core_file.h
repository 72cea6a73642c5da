/* SPDX-License-Identifier: LGPL-2.1-or-later */
// What a core file says of the crash that wrote it: the signal and the file mapped where the
// crashing thread stopped, read from the ELF notes the kernel writes (NT_PRSTATUS of the crashing
// thread first, NT_FILE for the mappings). So a test can tell that the process died of the fault
// it was made to hit, where it was made to hit it, without a debugger on the machine.
#pragma once

#include <string>

namespace security {

struct CoreCrash {
  std::string error;  // empty when the core could be read
  int signal = 0;
  std::string file;  // the mapped file holding the crashing thread's program counter
};

CoreCrash read_core(const std::string &path);

// Where this process's children write their cores when they crash in `dir` (their working
// directory), from /proc/sys/kernel/core_pattern; empty when the pattern hands cores to a program
// or to another directory, with the reason in `why`.
std::string core_prefix_in(const std::string &dir, std::string *why);

}  // namespace security
