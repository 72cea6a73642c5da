/* SPDX-License-Identifier: LGPL-2.1-or-later */
// What the fuzz targets share: a scratch directory per process, quiet logging, files written
// whole, and "fix-ups" that give mutated bytes valid checksums again, so the fuzzer reaches the
// code behind the crc checks instead of stopping at them every time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <valkka/valkka.h>

namespace fuzz {

// Sets up the process once: plugins from the build tree (unless VALKKA_PLUGIN_PATH is set),
// library logging off (the targets feed it damaged input on purpose), plugins loaded.
void init();

// A directory under $TMPDIR (or /tmp) made for this process, removed at exit.
const std::string &scratch();

// Writes `size` bytes to `path` (created or truncated, mode 0600). False on failure.
bool write_file(const std::string &path, const void *data, size_t size);
bool read_file(const std::string &path, std::vector<uint8_t> *out);
void remove_tree(const std::string &path);

// printf to the stderr the process started with (still open when libFuzzer closed fd 2).
void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// Stops the process with a message when an invariant the library promises does not hold: the
// fuzzer records the input as a crash.
[[noreturn]] void broken(const char *what, int code);

// Layout the FS targets use: the smallest blocks the format allows, few of them, so a whole FS is
// a few hundred KiB and one fuzz input holds a whole block.
constexpr uint32_t kBlockSize = 65536;
constexpr uint32_t kBlocks = 4;
constexpr uint32_t kEntrySize = 1344;

// Rewrites the crc of the block header at block[0..64) and, at every 8-byte step from 64 where a
// record magic stands, the payload crc (when the payload fits) and the header crc under `uuid`.
void fix_block(const uint8_t uuid[16], uint8_t *block, size_t size);
// Rewrites the crc of every whole 1344-byte entry in `table`.
void fix_entries(uint8_t *table, size_t size);

// The valkkafs.json of an FS of this layout and uuid ("multi", storage-multifs).
std::string fs_json(const uint8_t uuid[16], uint32_t block_size = kBlockSize,
                    uint32_t n_blocks = kBlocks);

// Every frame of every non-void block of an open FS through `sink`; returns the frames read or a
// negative code.
int read_all(valkka_fs_t *fs, valkka_frame_sink_fn sink, void *user);

// The checks every FS target ends with: a repair leaves a clean FS (valkka_fs_fsck's promise).
void expect_repair_cleans(const std::string &dir);

}  // namespace fuzz
