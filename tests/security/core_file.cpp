/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "core_file.h"

#include <elf.h>
#include <sys/procfs.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

namespace security {

namespace {

uint64_t program_counter(const elf_prstatus &status) {
#if defined(__x86_64__)
  return status.pr_reg[16];  // RIP in <sys/reg.h>'s order
#elif defined(__aarch64__)
  return status.pr_reg[32];  // pc, after x0..x30 and sp
#else
  (void)status;
  return 0;
#endif
}

// The file whose mapping holds `pc`, from an NT_FILE note: a count, the page size, then `count`
// (start, end, offset) triples and as many NUL-terminated names.
std::string file_at(const std::string &note, uint64_t pc) {
  if (note.size() < 16) return "";
  uint64_t count;
  std::memcpy(&count, note.data(), 8);
  const size_t names = 16 + count * 24;
  if (count > (1u << 20) || names > note.size()) return "";
  size_t name = names;
  for (uint64_t i = 0; i < count && name < note.size(); i++) {
    uint64_t range[2];
    std::memcpy(range, note.data() + 16 + i * 24, 16);
    const size_t end = note.find('\0', name);
    if (end == std::string::npos) return "";
    if (pc >= range[0] && pc < range[1]) return note.substr(name, end - name);
    name = end + 1;
  }
  return "";
}

}  // namespace

CoreCrash read_core(const std::string &path) {
  CoreCrash crash;
  std::ifstream in(path, std::ios::binary);
  std::stringstream all;
  all << in.rdbuf();
  const std::string core = all.str();
  Elf64_Ehdr header;
  if (core.size() < sizeof header) return {"too short for an ELF header", 0, ""};
  std::memcpy(&header, core.data(), sizeof header);
  if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 || header.e_ident[EI_CLASS] != ELFCLASS64 ||
      header.e_type != ET_CORE)
    return {"not a 64-bit ELF core", 0, ""};
  bool first_status = true;
  uint64_t pc = 0;
  std::string files;
  for (unsigned i = 0; i < header.e_phnum; i++) {
    Elf64_Phdr ph;
    const size_t at = header.e_phoff + size_t(i) * header.e_phentsize;
    if (at + sizeof ph > core.size()) return {"program headers past the end", 0, ""};
    std::memcpy(&ph, core.data() + at, sizeof ph);
    if (ph.p_type != PT_NOTE || ph.p_offset + ph.p_filesz > core.size()) continue;
    for (size_t n = ph.p_offset; n + sizeof(Elf64_Nhdr) <= ph.p_offset + ph.p_filesz;) {
      Elf64_Nhdr note;
      std::memcpy(&note, core.data() + n, sizeof note);
      const size_t desc = n + sizeof note + ((note.n_namesz + 3) & ~3u);
      const size_t next = desc + ((note.n_descsz + 3) & ~3u);
      if (next > core.size()) break;
      // The kernel writes the crashing thread's status first.
      if (note.n_type == NT_PRSTATUS && first_status && note.n_descsz >= sizeof(elf_prstatus)) {
        elf_prstatus status;
        std::memcpy(&status, core.data() + desc, sizeof status);
        crash.signal = status.pr_cursig;
        pc = program_counter(status);
        first_status = false;
      }
      if (note.n_type == NT_FILE) files = core.substr(desc, note.n_descsz);
      n = next;
    }
  }
  if (first_status) return {"no thread status in the core", 0, ""};
  crash.file = file_at(files, pc);
  return crash;
}

std::string core_prefix_in(const std::string &dir, std::string *why) {
  std::ifstream in("/proc/sys/kernel/core_pattern");
  std::string pattern;
  std::getline(in, pattern);
  if (pattern.empty() || pattern[0] == '|' || pattern.find('/') != std::string::npos) {
    *why = "core_pattern '" + pattern + "' does not write cores to the working directory";
    return "";
  }
  return dir + "/" + pattern.substr(0, pattern.find('%'));
}

}  // namespace security
