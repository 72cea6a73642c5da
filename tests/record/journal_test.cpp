/* SPDX-License-Identifier: LGPL-2.1-or-later */
// `valkka record`'s stderr fit for the journal: with $JOURNAL_STREAM naming its stderr (what
// systemd sets for StandardError=journal) every line starts with its priority, <3> error, <4>
// warning, <6> info; without it, or naming another file, no line does. And FFmpeg's own lines
// (libavformat's HLS demuxer names a segment's URL as written, password included) come through
// the same log, as module "ffmpeg", with the password hidden.
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "cli_process.h"
#include "fs_test_util.h"
#include "record_run.h"

using namespace fstest;
using namespace recordtest;

namespace {

// "DEVICE:INODE" of `path`, as systemd writes $JOURNAL_STREAM for the stream it connected.
std::string dev_ino(const std::string &path) {
  struct stat st {};
  EXPECT_EQ(stat(path.c_str(), &st), 0) << path;
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

// A camera that streams and one whose option its source refuses (a library warning), at
// VALKKA_LOG=info, stderr to `err` (made before, so that its inode is known).
CliResult record_two(const TempDir &tmp, const std::string &err,
                     const std::vector<std::string> &env) {
  const std::string fs = tmp.sub("fs"), config = tmp.sub("cams.json");
  if (access(fs.c_str(), F_OK) != 0) {
    EXPECT_EQ(create_fs(fs, VALKKA_FS_MULTI, 1 << 20, 8), 0) << valkka_last_error();
  }
  write_door_and_gate(fs, config);
  std::vector<std::string> all = env;
  all.push_back("VALKKA_LOG=info");
  CliProcess p =
      cli_start({"record", "--config", config, "--duration", "1"}, tmp.sub("out.txt"), err, all);
  const int status = cli_wait(p, 60000);
  return CliResult{status, read_text(p.out_path), read_text(err)};
}

TEST(RecordJournal, PrefixesWhenStderrIsTheJournal) {
  TempDir tmp;
  const std::string err = tmp.sub("err.txt");
  write_text(err, "");
  CliResult r = record_two(tmp, err, {"JOURNAL_STREAM=" + dev_ino(err)});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("<4>valkka warn live: gate"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("<6>valkka: record: door: streaming"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("<6>valkka: record: 1.0 s recorded"), std::string::npos) << r.err;
  for (const std::string &line : split_lines(r.err))
    EXPECT_TRUE(line.size() > 3 && line[0] == '<' && line[2] == '>' &&
                std::string("3467").find(line[1]) != std::string::npos)
        << "no priority: " << line;
}

TEST(RecordJournal, NoPrefixesOtherwise) {
  TempDir tmp;
  const std::string err = tmp.sub("err.txt"), other = tmp.sub("other.txt");
  write_text(err, "");
  write_text(other, "");
  // Unset (the tests' environment has none), and naming a file that is not stderr.
  for (const std::string &journal : {std::string(), "JOURNAL_STREAM=" + dev_ino(other)}) {
    CliResult r = record_two(
        tmp, err, journal.empty() ? std::vector<std::string>{} : std::vector<std::string>{journal});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("valkka warn live: gate"), std::string::npos) << r.err;
    for (const std::string &line : split_lines(r.err))
      EXPECT_NE(line[0], '<') << journal << ": " << line;
  }
}

// An HLS playlist whose segment URL carries a password: libavformat logs the URL ("Opening
// '...' for reading", "Error when loading first segment '...'"); the http protocol is not on the
// local playlist's whitelist, so nothing connects anywhere. Each of FFmpeg's lines comes out
// whole as the logger's "valkka LEVEL ffmpeg: [hls @ ...] ...", the password as "***".
TEST(RecordJournal, FfmpegLinesThroughTheLoggerRedacted) {
  TempDir tmp;
  const std::string fs = tmp.sub("fs"), playlist = tmp.sub("cam.m3u8");
  ASSERT_EQ(create_fs(fs, VALKKA_FS_MULTI, 1 << 20, 8), 0) << valkka_last_error();
  write_text(playlist, "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n"
                       "http://viewer:s3cretPW@127.0.0.1:1/seg.ts\n#EXT-X-ENDLIST\n");
  const std::string err = tmp.sub("err.txt");
  write_text(err, "");
  CliProcess p = cli_start({"record", "--fs", fs, "--file", playlist, "--duration", "2"},
                           tmp.sub("out.txt"), err,
                           {"VALKKA_LOG=info", "JOURNAL_STREAM=" + dev_ino(err)});
  cli_wait(p, 60000);
  const std::string text = read_text(err);
  EXPECT_EQ(text.find("s3cretPW"), std::string::npos) << text;
  EXPECT_NE(text.find("<6>valkka info ffmpeg: [hls @ "), std::string::npos) << text;
  EXPECT_NE(text.find("<3>valkka error ffmpeg: [hls @ "), std::string::npos) << text;
  EXPECT_NE(text.find("'http://***@127.0.0.1:1/seg.ts'"), std::string::npos) << text;
  // Not one of FFmpeg's lines outside the logger.
  for (const std::string &line : split_lines(text)) {
    if (line.find("[hls @ ") != std::string::npos) {
      EXPECT_NE(line.find("ffmpeg: [hls @ "), std::string::npos) << line;
    }
  }
}

}  // namespace
