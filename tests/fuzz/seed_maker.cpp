/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Makes the seed corpora of the fuzz targets from an FS the project's own `valkka record` wrote
// (make_seeds.sh runs it): its blocks, its blocktable, its valkkafs.json and its frames, each in
// the input form of the target it seeds (the header comment of each fuzz_*.cpp).
// Usage: fuzz_seed_maker FS_DIR OUT_DIR   (OUT_DIR/{blocks,blocktable,fsjson,frames} must exist)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "fuzz_support.h"

namespace {

int g_written = 0;

void seed(const std::string &dir, const std::string &name, const std::vector<uint8_t> &bytes) {
  if (!fuzz::write_file(dir + "/" + name, bytes.data(), bytes.size())) {
    fprintf(stderr, "seed_maker: cannot write %s/%s\n", dir.c_str(), name.c_str());
    exit(1);
  }
  g_written++;
}

bool uuid_of(const std::vector<uint8_t> &json, uint8_t uuid[16]) {
  std::string text(json.begin(), json.end());
  size_t at = text.find("\"uuid\"");
  if (at == std::string::npos || (at = text.find('"', at + 6)) == std::string::npos) return false;
  for (int i = 0; i < 16; i++) {
    unsigned v = 0;
    if (sscanf(text.c_str() + at + 1 + 2 * i, "%2x", &v) != 1) return false;
    uuid[i] = (uint8_t)v;
  }
  return true;
}

void put(std::vector<uint8_t> &out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; i++) out.push_back((uint8_t)(v >> (8 * i)));
}

// fuzz_frames' form of one frame read back (its header comment): the recording's own kinds,
// codecs, flags, streams as slots, time steps and sizes, and the first bytes of each payload.
struct FrameSeeds {
  std::vector<uint8_t> out{0};
  int64_t last = 0;
  int frames = 0;
};

int add_frame(void *user, const valkka_frame_t *f) {
  auto *s = static_cast<FrameSeeds *>(user);
  if (s->frames >= 64) return 0;
  int64_t step = s->last ? f->mstime - s->last : 0;
  if (step < -32768) step = -32768;
  if (step > 32767) step = 32767;
  s->last = f->mstime;
  s->out.push_back(f->kind == VALKKA_FRAME_CONFIG ? 2 : 0);
  s->out.push_back((uint8_t)f->codec);
  put(s->out, f->flags, 4);
  s->out.push_back((uint8_t)((f->stream_id - 1) % 3));
  put(s->out, (uint16_t)(int16_t)step, 2);
  s->out.push_back(0);  // size class 0: size % 9001
  put(s->out, f->size % 9001, 4);
  s->out.push_back(s->frames % 4 == 0);  // every fourth through valkka_fs_append
  const uint8_t n = f->size < 32 ? (uint8_t)f->size : 32;
  s->out.push_back(n);
  s->out.insert(s->out.end(), f->data, f->data + n);
  s->frames++;
  return 0;
}

}  // namespace

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: fuzz_seed_maker FS_DIR OUT_DIR\n");
    return 2;
  }
  fuzz::init();
  const std::string fs_dir = argv[1], out = argv[2];
  std::vector<uint8_t> blocks, table, json;
  uint8_t uuid[16];
  if (!fuzz::read_file(fs_dir + "/blocks", &blocks) ||
      !fuzz::read_file(fs_dir + "/blocktable", &table) ||
      !fuzz::read_file(fs_dir + "/valkkafs.json", &json) || !uuid_of(json, uuid) ||
      blocks.size() != (size_t)fuzz::kBlocks * fuzz::kBlockSize ||
      table.size() != (size_t)fuzz::kBlocks * fuzz::kEntrySize) {
    fprintf(stderr, "seed_maker: %s is not a %u x %u-byte FS\n", fs_dir.c_str(), fuzz::kBlocks,
            fuzz::kBlockSize);
    return 1;
  }

  // fuzz_records and fuzz_blocks: each block as it is, and with the "being written" entry.
  for (uint32_t i = 0; i < fuzz::kBlocks; i++) {
    for (uint8_t variant : {0, 8}) {
      std::vector<uint8_t> s{(uint8_t)(i << 1 | variant)};
      s.insert(s.end(), uuid, uuid + 16);
      s.insert(s.end(), blocks.begin() + (size_t)i * fuzz::kBlockSize,
               blocks.begin() + (size_t)(i + 1) * fuzz::kBlockSize);
      seed(out + "/blocks", "block" + std::to_string(i) + "-" + std::to_string(variant), s);
    }
  }
  // fuzz_blocktable: the table, with crcs kept and fixed up, and with one entry zeroed.
  for (uint8_t ctl : {0, 1}) {
    std::vector<uint8_t> s{ctl};
    s.insert(s.end(), table.begin(), table.end());
    seed(out + "/blocktable", "table-" + std::to_string(ctl), s);
    std::fill(s.begin() + 1, s.begin() + 1 + fuzz::kEntrySize, 0);
    seed(out + "/blocktable", "table-zeroed-" + std::to_string(ctl), s);
  }
  // fuzz_fsjson: the FS's own valkkafs.json, and the same FS as a SingleFS.
  seed(out + "/fsjson", "valkkafs.json", json);
  std::string single(json.begin(), json.end());
  for (auto [from, to] : {std::pair<std::string, std::string>{"\"multi\"", "\"single\""},
                          {"storage-multifs", "storage-singlefs"}})
    if (size_t at = single.find(from); at != std::string::npos) single.replace(at, from.size(), to);
  seed(out + "/fsjson", "single.json", std::vector<uint8_t>(single.begin(), single.end()));

  // fuzz_frames: the recording's frames, block by block.
  valkka_fs_open_params_t ro{};
  ro.struct_size = sizeof ro;
  ro.flags = VALKKA_FS_READONLY;
  valkka_fs_t *fs = nullptr;
  int err = valkka_fs_open(fs_dir.c_str(), &ro, &fs);
  if (err) {
    fprintf(stderr, "seed_maker: open %s: %s\n", fs_dir.c_str(), valkka_last_error());
    return 1;
  }
  for (uint32_t i = 0; i < fuzz::kBlocks; i++) {
    FrameSeeds s;
    if (valkka_fs_read_block(fs, i, add_frame, &s) > 0)
      seed(out + "/frames", "block" + std::to_string(i), s.out);
  }
  valkka_fs_close(fs);
  printf("seed_maker: %d seeds from %s\n", g_written, fs_dir.c_str());
  return 0;
}
