/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The pure parts of source-rtsp and its media-common helpers: frame timing against made-up
// clocks (bursts, jitter, drift and clock switches, for plain and reordering streams), avcC/hvcC extradata to Annex B, picture size from parameter sets, URL redaction.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include <valkka/registry.h>

extern "C" {
#include "media_extradata.h"
#include "media_shape.h"
#include "rtsp_clock.h"
}

namespace {

constexpr int64_t kNow = 1700000000000;  // a wall clock in ms
constexpr int64_t U = RTSP_CLOCK_UNKNOWN;

TEST(RtspClock, FirstFrameWithoutPtsIsTimedByArrival) {
  rtsp_clock_t c;
  rtsp_clock_init(&c, 5000);
  EXPECT_EQ(rtsp_clock_time(&c, kNow, U, U), kNow);
  EXPECT_EQ(rtsp_clock_time(&c, kNow + 40, 40, U), kNow + 40);
}

TEST(RtspClock, JitterDoesNotMoveFramesLater) {
  rtsp_clock_t c;
  rtsp_clock_init(&c, 5000);
  // Frames every 40 ms of media time, arriving up to 30 ms late in a repeating pattern.
  const int64_t delays[] = {0, 25, 5, 30, 10, 0, 15};
  int64_t prev = 0;
  for (int i = 0; i < 200; i++) {
    int64_t pts = 40 * i;
    int64_t t = rtsp_clock_time(&c, kNow + pts + delays[i % 7], pts, U);
    if (i > 0) {
      EXPECT_EQ(t - prev, 40) << "frame " << i;
    }
    prev = t;
  }
}

// The camera's clock, 2 s behind ours (within the tolerance), times a session from its first
// frame: the frames are timed as captured, and the arrivals' jitter does not shake them.
TEST(RtspClock, CameraClockIsUsedWithinTolerance) {
  rtsp_clock_t c;
  rtsp_clock_init(&c, 5000);
  const int64_t camera_start = kNow - 2000;
  for (int i = 0; i < 50; i++) {
    int64_t pts = 40 * i;
    EXPECT_EQ(rtsp_clock_time(&c, kNow + pts + 3 * (i % 4), pts, camera_start + pts),
              camera_start + pts)
        << "frame " << i;
  }
}

// A second of frames before the first sender report, timed by arrival, then the camera's clock:
// 2 s behind ours, it is moved up to where the frames were, so it takes over without a step;
// 3 s ahead, it is moved back to the frames' arrival (5 ms after their media spacing).
TEST(RtspClock, SwitchToACameraClockNeverStepsBack) {
  for (int64_t camera_off : {-2000, 3000}) {
    rtsp_clock_t c;
    rtsp_clock_init(&c, 5000);
    int64_t prev = 0;
    for (int i = 0; i < 25; i++) prev = rtsp_clock_time(&c, kNow + 40 * i, 40 * i, U);
    for (int i = 25; i < 100; i++) {
      const int64_t pts = 40 * i, camera = kNow + camera_off + pts;
      const int64_t t = rtsp_clock_time(&c, kNow + pts + 5, pts, camera);
      EXPECT_EQ(t - prev, i == 25 && camera_off > 0 ? 40 + 5 : 40)
          << "frame " << i << ", camera " << camera_off << " ms off";
      prev = t;
    }
  }
}

// A camera whose clock is 3 s ahead of ours times a session from its first frame: no frame is
// captured after it arrived, so the times are brought back to the arrivals, spacing kept.
TEST(RtspClock, ACameraClockAheadOfTheArrivalsIsBroughtBack) {
  rtsp_clock_t c;
  rtsp_clock_init(&c, 5000);
  for (int i = 0; i < 50; i++) {
    const int64_t pts = 40 * i, arrival = kNow + pts + 5 * (i % 3);
    EXPECT_EQ(rtsp_clock_time(&c, arrival, pts, kNow + 3000 + pts), kNow + pts) << "frame " << i;
  }
}

// rtsp_fault_clock's flake, in its shape: the first two seconds of frames come in a burst (held
// for the first sender report) and the report maps them 1 s after their capture (a server whose
// report ties the RTP time to the time a packet was sent, while its packets went out late), so
// the camera's clock looks behind the burst's first frames. The burst's last second and the
// frames after it, which come as captured, it would time up to 1 s ahead of their arrival: the
// offset comes back each time they run RTSP_CLOCK_AHEAD_MAX_MS ahead, the burst's frames after
// that are timed 1 ms apart, and the lead left is worked off to the media spacing.
// Pictures without reordering (the video clock, keyframes every second) and a plain stream alike.
TEST(RtspClock, ACameraClockThatRunsAheadOfTheArrivalsLaterComesBack) {
  for (bool video : {true, false}) {
    rtsp_clock_t c;
    rtsp_clock_init(&c, 5000);
    std::vector<int64_t> t;
    for (int i = 0; i < 500; i++) {
      const int64_t pts = 40 * i, captured = kNow - 2000 + pts, camera = captured + 1000;
      const int64_t arrival = i < 50 ? kNow : captured + 5;
      t.push_back(video ? rtsp_clock_time_gop(&c, arrival, pts, camera, i % 25 == 0)
                        : rtsp_clock_time(&c, arrival, pts, camera));
      if (i > 0) {
        EXPECT_GT(t[i], t[i - 1]) << "frame " << i << (video ? ", video" : "");
      }
      EXPECT_LE(t[i] - arrival, RTSP_CLOCK_AHEAD_MAX_MS + 40) << "frame " << i;
    }
    for (size_t i = 400; i < t.size(); i++) EXPECT_EQ(t[i] - t[i - 1], 40) << "frame " << i;
  }
}

// The sound's clock takes the camera offset the pictures' clock set: sent 40 ms ahead of the
// pictures, it is still timed with them once both are on the camera's clock.
TEST(RtspClock, TheSoundTakesTheCameraOffsetThePicturesSet) {
  rtsp_clock_session_t session{};
  rtsp_clock_t video, audio;
  rtsp_clock_init(&video, 5000);
  rtsp_clock_init(&audio, 5000);
  rtsp_clock_share(&video, &session, false);
  rtsp_clock_share(&audio, &session, true);
  const int64_t camera = kNow - 50;  // the camera's time of media time 0
  int64_t video_t = 0, audio_t = 0;
  for (int i = 0; i < 250; i++) {
    const int64_t pts = 40 * i;
    // The sound comes first here, before the pictures' clock has set the offset.
    const bool reported = i >= 10;
    for (int64_t a : {pts, pts + 20})
      audio_t = rtsp_clock_time(&audio, kNow + a - 40, a, reported ? camera + a : U);
    video_t = rtsp_clock_time(&video, kNow + pts, pts, reported ? camera + pts : U);
    if (i > 10) {
      EXPECT_EQ(audio_t, video_t + 20) << "sound and pictures apart at frame " << i;
    }
  }
}

// A server's preroll: five frames sent at once, ahead of real time. Sampled ahead (they are in
// the queue when the first is timed), they keep their spacing and end at their arrival; the
// first frame alone would have timed them all at the arrival, 1 ms apart.
TEST(RtspClock, ABurstSampledAheadKeepsItsSpacing) {
  rtsp_clock_t c;
  rtsp_clock_init(&c, 5000);
  for (int i = 0; i < 5; i++) {
    for (int j = i + 1; j < 5; j++) rtsp_clock_sample(&c, kNow, 40 * j);
    EXPECT_EQ(rtsp_clock_time(&c, kNow, 40 * i, U), kNow - 160 + 40 * i) << "frame " << i;
  }
  EXPECT_EQ(rtsp_clock_time(&c, kNow + 40, 200, U), kNow + 40);
}

// A burst read in pieces (the demux reads it while it is being timed): two seconds of frames
// arrive at once, the clock sees one more of them with each frame it times, then the rest. The
// frames timed before the rest was seen were timed too late; the ones after are timed 1 ms apart
// rather than ahead of their arrival (where the lead alone would carry them half a second).
TEST(RtspClock, ABurstSeenInPiecesIsNeverTimedAheadOfItsArrival) {
  rtsp_clock_t c;
  rtsp_clock_init(&c, 5000);
  int64_t prev = 0;
  for (int i = 0; i < 50; i++) {
    int last_seen = i < 34 ? i + 1 : 49;
    for (int j = i + 1; j <= last_seen; j++) rtsp_clock_sample(&c, kNow, 40 * j);
    int64_t t = rtsp_clock_time(&c, kNow, 40 * i, U);
    if (i > 0) {
      EXPECT_GT(t, prev) << "frame " << i;
    }
    EXPECT_LE(t, std::max(kNow, prev + 1)) << "frame " << i;
    prev = t;
  }
  // Then real time again: timed as they arrive.
  for (int i = 50; i < 60; i++) {
    int64_t arrival = kNow + 40 * (i - 49);
    EXPECT_EQ(rtsp_clock_time(&c, arrival, 40 * i, U), arrival) << "frame " << i;
  }
}

// A reordering stream's frames keep the exact media spacing through jitter (the anchor moves
// only at keyframes, and not for jitter within the dead band), never far after their arrival.
TEST(RtspClock, AReorderingStreamKeepsExactSpacingThroughJitter) {
  rtsp_clock_t c;
  rtsp_clock_init(&c, 5000);
  const int delays[] = {18, 12, 10, 16, 11, 17, 13};
  int64_t first = 0;
  for (int i = 0; i < 200; i++) {
    int64_t pts = 40 * i, arrival = kNow + pts + delays[i % 7];
    int64_t t = rtsp_clock_time_gop(&c, arrival, pts, U, i % 25 == 0);
    if (i == 0) first = t;
    EXPECT_EQ(t, first + pts) << "frame " << i;
    EXPECT_LE(t, arrival + RTSP_CLOCK_HOLD_MAX_MS) << "frame " << i;
  }
}

// Its anchor follows a drift at keyframes, RTSP_CLOCK_GOP_STEP_MS at a time: no step between
// frames changes by more, and the times stay near the arrivals.
TEST(RtspClock, AReorderingStreamFollowsADriftInSmallSteps) {
  rtsp_clock_t c;
  rtsp_clock_init(&c, 5000);
  int64_t prev = 0;
  for (int i = 0; i < 1000; i++) {
    int64_t pts = 40 * i, arrival = kNow + pts - i / 5;  // our clock 5 ms a second slower
    int64_t t = rtsp_clock_time_gop(&c, arrival, pts, U, i % 25 == 0);
    if (i > 0) {
      EXPECT_GE(t - prev, 40 - RTSP_CLOCK_GOP_STEP_MS) << "frame " << i;
      EXPECT_LE(t - prev, 40 + RTSP_CLOCK_GOP_STEP_MS) << "frame " << i;
    }
    EXPECT_LE(t, arrival + RTSP_CLOCK_HOLD_MAX_MS) << "frame " << i;
    EXPECT_GE(t, arrival - 2 * RTSP_CLOCK_GOP_DEADBAND_MS) << "frame " << i;
    prev = t;
  }
}

// Less delay by far (another way through the network): taken at once, not held for the GOP.
// Times never go back, so the frames after the change run a little slower until they meet it.
TEST(RtspClock, AReorderingStreamTakesAFarLowerMinimumAtOnce) {
  rtsp_clock_t c;
  rtsp_clock_init(&c, 5000);
  for (int i = 0; i < 10; i++) rtsp_clock_time_gop(&c, kNow + 40 * i + 300, 40 * i, U, i == 0);
  int64_t t = 0, arrival = 0;
  for (int i = 10; i < 110; i++) {  // 280 ms less delay, and no keyframe
    arrival = kNow + 40 * i + 20;
    t = rtsp_clock_time_gop(&c, arrival, 40 * i, U, false);
  }
  EXPECT_EQ(t, arrival);
}

// A B-frame stream through a reordering clock (libx264 -bf 3 with b-pyramid, 25 fps): frames in
// decode order, each with its presentation time in intervals (I0 P4 B2 b1 b3 | P8 B6 b5 b7 | ..),
// the P of every sixth group a keyframe. Frame i arrives 15 ms after its decode time, and the
// camera's clock times it with the arrivals until frame `from`, then `jump` ms off (a sender
// report that maps the timestamps anew). Gives each frame's time; checks that the pictures are
// shown in order and no two share a time.
std::vector<int64_t> reordering_stream_times(int frames, int from, int64_t jump) {
  rtsp_clock_t c;
  rtsp_clock_init(&c, 5000);
  c.reorders = true;
  std::vector<int64_t> order = {0};
  while (static_cast<int>(order.size()) < frames)
    for (int64_t d : {4, 2, 1, 3}) order.push_back(4 * ((order.size() - 1) / 4) + d);
  std::vector<int64_t> times, shown(frames + 4);  // the last group may be shown past `frames`
  for (int i = 0; i < frames; i++) {
    const int64_t dts = 40 * i - 80, pts = 40 * order[i], arrival = kNow + dts + 15;
    const int64_t camera = arrival + (i >= from ? jump : 0);
    times.push_back(rtsp_clock_time_gop(&c, arrival, dts, camera, order[i] % 24 == 0));
    shown[order[i]] = times.back() + pts - dts;
  }
  for (int k = 1; k + 4 < frames; k++) EXPECT_GT(shown[k], shown[k - 1]) << "picture " << k;
  return times;
}

// A camera's clock that steps back mid-GOP by less than RTSP_CLOCK_GOP_BEHIND_MAX_MS (a sender
// report of VLC's server): the pictures keep their grid, running that much behind it. Past it,
// the step is taken at the next keyframe: the times keep their spacing there, then run a tenth
// slower until they meet the camera's, the pictures in order.
TEST(RtspClock, AReorderingStreamFollowsACameraClockStepBackInOrder) {
  std::vector<int64_t> t = reordering_stream_times(400, 50, -190);
  for (size_t i = 1; i < t.size(); i++) EXPECT_EQ(t[i] - t[i - 1], 40) << "frame " << i;
  const int64_t back = -(RTSP_CLOCK_GOP_BEHIND_MAX_MS + 100);
  t = reordering_stream_times(400, 50, back);
  EXPECT_EQ(t[50] - t[49], 40);
  for (size_t i = 1; i < t.size(); i++) EXPECT_GE(t[i] - t[i - 1], 40 - 40 / 10) << "frame " << i;
  EXPECT_EQ(t.back(), kNow + 40 * 399 - 80 + 15 + back) << "never met the camera's clock";
}

// A camera's clock that steps forward: the step waits for the next keyframe, where the frames
// decoded before it are all shown before those after it.
TEST(RtspClock, AReorderingStreamTakesACameraClockStepForwardAtAKeyframe) {
  const int64_t jump = RTSP_CLOCK_AHEAD_MAX_MS - 50;
  const std::vector<int64_t> t = reordering_stream_times(200, 50, jump);
  int keyframe = 0;
  for (int i = 51; i < 200 && !keyframe; i++)
    if (t[i] - t[i - 1] != 40) keyframe = i;
  ASSERT_GT(keyframe, 50);
  EXPECT_EQ(t[keyframe], kNow + 40 * keyframe - 80 + 15 + jump);
  EXPECT_EQ(t.back(), kNow + 40 * 199 - 80 + 15 + jump);
}

// A step forward that would time the pictures further ahead of their arrival than
// RTSP_CLOCK_AHEAD_MAX_MS is not followed: the pictures keep their grid, in order.
TEST(RtspClock, AReorderingStreamDoesNotFollowACameraClockFarAheadOfTheArrivals) {
  const std::vector<int64_t> t = reordering_stream_times(200, 50, RTSP_CLOCK_AHEAD_MAX_MS + 250);
  for (size_t i = 1; i < t.size(); i++) EXPECT_EQ(t[i] - t[i - 1], 40) << "frame " << i;
}

// A reordering stream whose anchor holds its frames a little after their arrival (they came
// 5 ms quicker, within the deadband) switches mid-GOP to a camera clock behind: the switch keeps
// the exact spacing, not the arrival 5 ms sooner (a picture off its grid).
TEST(RtspClock, AReorderingStreamSwitchesToACameraClockOnItsGrid) {
  rtsp_clock_t c;
  rtsp_clock_init(&c, 5000);
  c.reorders = true;
  int64_t prev = 0;
  for (int i = 0; i < 100; i++) {
    const int64_t dts = 40 * i, arrival = kNow + dts + (i >= 20 ? 10 : 15);
    const int64_t camera = i >= 60 ? kNow + dts - 30 : U;
    const int64_t t = rtsp_clock_time_gop(&c, arrival, dts, camera, i % 25 == 0);
    if (i > 0) {
      EXPECT_EQ(t - prev, 40) << "frame " << i;
    }
    prev = t;
  }
}

// A camera whose sender reports map its timestamps a millisecond back or forth (GStreamer's
// server): every picture keeps its exact spacing (a picture a millisecond off its grid would be
// rounded onto its neighbour's frame by a player), and a drift past the deadband is taken at a
// keyframe, at once.
TEST(RtspClock, AReorderingStreamKeepsItsGridThroughSmallCameraReportMoves) {
  std::vector<int64_t> t = reordering_stream_times(200, 30, -1);
  for (size_t i = 1; i < t.size(); i++) EXPECT_EQ(t[i] - t[i - 1], 40) << "frame " << i;
  t = reordering_stream_times(200, 37, 1);
  for (size_t i = 1; i < t.size(); i++) EXPECT_EQ(t[i] - t[i - 1], 40) << "frame " << i;
  t = reordering_stream_times(200, 50, RTSP_CLOCK_GOP_DEADBAND_MS + 5);
  EXPECT_EQ(t.back(), kNow + 40 * 199 - 80 + 15 + RTSP_CLOCK_GOP_DEADBAND_MS + 5);
  const auto moves =
      std::count_if(t.begin() + 1, t.end(), [&](const int64_t &x) { return x - (&x)[-1] != 40; });
  EXPECT_EQ(moves, 1) << "taken at once, at the next keyframe";
}

// Sound timed by a camera whose sender report maps it 100 ms back: the packets keep their spacing
// (1 ms apart they would overlap where played), then run a tenth slower until they meet it.
TEST(RtspClock, SoundKeepsItsPacketSpacingThroughACameraStepBack) {
  rtsp_clock_t c;
  rtsp_clock_init(&c, 5000);
  int64_t prev = 0, t = 0, camera = 0;
  for (int i = 0; i < 500; i++) {
    const int64_t pts = 21 * i, arrival = kNow + pts + 10;
    camera = kNow + pts - (i >= 100 ? 100 : 0);
    t = rtsp_clock_time(&c, arrival, pts, camera);
    if (i > 0) {
      EXPECT_GE(t - prev, 21 - 21 / 10) << "packet " << i;
    }
    prev = t;
  }
  EXPECT_EQ(t, camera);
}

TEST(RtspClock, CameraClockOutsideToleranceIsIgnored) {
  rtsp_clock_t c;
  rtsp_clock_init(&c, 5000);
  const int64_t camera_start = kNow - 3600 * 1000;  // an hour off: a camera without NTP
  for (int i = 0; i < 50; i++) {
    int64_t pts = 40 * i;
    int64_t t = rtsp_clock_time(&c, kNow + pts, pts, camera_start + pts);
    EXPECT_EQ(t, kNow + pts) << "frame " << i;
  }
}

TEST(RtspClock, NeverGoesBackAndReanchorsAfterAJumpBack) {
  rtsp_clock_t c;
  rtsp_clock_init(&c, 5000);
  int64_t last = 0;
  for (int i = 0; i < 25; i++) last = rtsp_clock_time(&c, kNow + 40 * i, 40 * i, kNow + 40 * i);
  // The camera's timestamps jump back by 3 s (within the tolerance): time does not go back...
  int64_t arrival = kNow + 1000;
  int64_t t = rtsp_clock_time(&c, arrival, 1000 - 3000, kNow + 1000 - 3000);
  EXPECT_GT(t, last);
  // ...and the following frames are timed from their arrival again, 40 ms apart.
  int64_t next = rtsp_clock_time(&c, arrival + 40, 1000 - 3000 + 40, kNow + 1000 - 3000 + 40);
  EXPECT_EQ(next, arrival + 40);
  // A small step back (jitter in the timestamps) only nudges the frame after the last one.
  int64_t nudged = rtsp_clock_time(&c, arrival + 60, 1000 - 3000 + 35, U);
  EXPECT_EQ(nudged, next + 1);
}

// The camera's clock agreed with ours, then its RTP timestamps jump back 30 s: past the
// tolerance, so the camera's time (start of session + pts) no longer agrees either. The frames
// stay near their arrival: neither 30 s behind, nor (once the anchor's window moves on) ahead.
TEST(RtspClock, AJumpBackPastTheToleranceKeepsTimesNearArrival) {
  rtsp_clock_t c;
  rtsp_clock_init(&c, 5000);
  int64_t prev = 0;
  for (int i = 0; i < 250; i++) prev = rtsp_clock_time(&c, kNow + 40 * i, 40 * i, kNow + 40 * i);
  for (int i = 250; i < 1000; i++) {
    int64_t arrival = kNow + 40 * i, pts = 40 * i - 30000;
    int64_t t = rtsp_clock_time(&c, arrival, pts, kNow + pts);
    EXPECT_GT(t, prev) << "frame " << i;
    EXPECT_LE(t, arrival) << "frame " << i << " timed ahead of its arrival";
    EXPECT_GE(t, arrival - 100) << "frame " << i << " timed far behind its arrival";
    prev = t;
  }
}

TEST(RtspClock, FollowsAForwardJump) {
  rtsp_clock_t c;
  rtsp_clock_init(&c, 5000);
  for (int i = 0; i < 10; i++) rtsp_clock_time(&c, kNow + 40 * i, 40 * i, U);
  // The timestamps leap 10 minutes ahead; arrival says the frame is only 40 ms later.
  EXPECT_EQ(rtsp_clock_time(&c, kNow + 400, 600000 + 400, U), kNow + 400);
  EXPECT_EQ(rtsp_clock_time(&c, kNow + 440, 600000 + 440, U), kNow + 440);
}

const uint8_t kSps[] = {0x67, 0x42, 0xc0, 0x1e, 0xd9, 0x00, 0xa0, 0x2f, 0xf9,
                        0x70, 0x11, 0x00, 0x00, 0x03, 0x00, 0x01, 0x00, 0x00,
                        0x03, 0x00, 0x32, 0x0f, 0x16, 0x2e, 0x48};
const uint8_t kPps[] = {0x68, 0xcb, 0x83, 0xcb, 0x20};

std::vector<uint8_t> annexb(std::initializer_list<std::vector<uint8_t>> nals) {
  std::vector<uint8_t> out;
  for (const auto &n : nals) {
    out.insert(out.end(), {0, 0, 0, 1});
    out.insert(out.end(), n.begin(), n.end());
  }
  return out;
}

TEST(MediaExtradata, AvccBecomesAnnexB) {
  std::vector<uint8_t> avcc = {1, 0x42, 0xc0, 0x1e, 0xff, 0xe1, 0, sizeof kSps};
  avcc.insert(avcc.end(), kSps, kSps + sizeof kSps);
  avcc.insert(avcc.end(), {1, 0, sizeof kPps});
  avcc.insert(avcc.end(), kPps, kPps + sizeof kPps);
  std::vector<uint8_t> out(2 * avcc.size() + 16);
  size_t n =
      valkka_media_extradata_annexb(1 /* H264 */, avcc.data(), avcc.size(), out.data(), out.size());
  out.resize(n);
  EXPECT_EQ(out, annexb({{kSps, kSps + sizeof kSps}, {kPps, kPps + sizeof kPps}}));
}

TEST(MediaExtradata, HvccBecomesAnnexB) {
  const std::vector<uint8_t> vps = {0x40, 0x01, 0x0c}, sps = {0x42, 0x01, 0x01},
                             pps = {0x44, 0x01, 0xc1};
  std::vector<uint8_t> hvcc(22, 0);
  hvcc[0] = 1;
  hvcc.push_back(3);
  for (const auto *nal : {&vps, &sps, &pps}) {
    hvcc.insert(hvcc.end(), {uint8_t(0x80 | ((*nal)[0] >> 1)), 0, 1, 0, uint8_t(nal->size())});
    hvcc.insert(hvcc.end(), nal->begin(), nal->end());
  }
  std::vector<uint8_t> out(2 * hvcc.size() + 16);
  size_t n =
      valkka_media_extradata_annexb(2 /* H265 */, hvcc.data(), hvcc.size(), out.data(), out.size());
  out.resize(n);
  EXPECT_EQ(out, annexb({vps, sps, pps}));
}

TEST(MediaExtradata, AnnexBPassesAndGarbageGivesNothing) {
  std::vector<uint8_t> in =
      annexb({{kSps, kSps + sizeof kSps}, {0x65, 0x88}, {kPps, kPps + sizeof kPps}});
  std::vector<uint8_t> out(2 * in.size() + 16);
  size_t n = valkka_media_extradata_annexb(1, in.data(), in.size(), out.data(), out.size());
  out.resize(n);
  EXPECT_EQ(out, annexb({{kSps, kSps + sizeof kSps}, {kPps, kPps + sizeof kPps}}));  // no slice
  // A box whose lengths run past its end yields nothing, and reads nothing beyond it.
  const uint8_t truncated[] = {1, 0x42, 0xc0, 0x1e, 0xff, 0xe1, 0x40, 0x00, 0x67};
  EXPECT_EQ(valkka_media_extradata_annexb(1, truncated, sizeof truncated, nullptr, 0), 0u);
  const uint8_t hvcc_short[] = {1, 2, 3};
  EXPECT_EQ(valkka_media_extradata_annexb(2, hvcc_short, sizeof hvcc_short, nullptr, 0), 0u);
  EXPECT_EQ(valkka_media_extradata_annexb(1, nullptr, 0, nullptr, 0), 0u);
}

TEST(MediaShape, UnknownWithoutASliceAndRefusesOtherCodecs) {
  std::vector<uint8_t> config = annexb({{kSps, kSps + sizeof kSps}, {kPps, kPps + sizeof kPps}});
  valkka_media_shape_t shape{};
  EXPECT_EQ(valkka_media_shape_parse(1, config.data(), config.size(), nullptr, 0, &shape),
            VALKKA_ENOENT);
  EXPECT_EQ(valkka_media_shape_parse(7, config.data(), config.size(), nullptr, 0, &shape),
            VALKKA_ECODEC);
}

// The plugins' copy of the redaction: the URL is the whole string, so passwords holding '@',
// '/', '?', '#' or spaces unescaped never reach a message either.
// As the media plugins show a URL: through the host table's url_redact.
void plugin_redact(const char *url, char *out, size_t size) {
  valkka_host()->url_redact(url, VALKKA_URL_REDACT_WHOLE, out, size);
}

TEST(MediaUrl, HidesPasswordsOfEveryShape) {
  char out[256];
  const char *urls[] = {"rtsp://viewer:hunter2@127.0.0.1:554/cam1",
                        "rtsp://viewer:hun/ter2@127.0.0.1:554/cam1",
                        "rtsp://viewer:hun#ter2@127.0.0.1:554/cam1",
                        "rtsp://viewer:hun ter2@127.0.0.1:554/cam1",
                        "rtsp://viewer:h@n/t?r2@127.0.0.1:554/cam1"};
  for (const char *url : urls) {
    plugin_redact(url, out, sizeof out);
    EXPECT_STREQ(out, "rtsp://***@127.0.0.1:554/cam1") << url;
  }
  plugin_redact("rtsp://127.0.0.1/a@b", out, sizeof out);
  EXPECT_STREQ(out, "rtsp://127.0.0.1/a@b");
  plugin_redact("/srv/clips/a@b.mp4", out, sizeof out);
  EXPECT_STREQ(out, "/srv/clips/a@b.mp4");
  plugin_redact("rtsp://cam/live?user=admin&password=hun ter2&subtype=0", out, sizeof out);
  EXPECT_STREQ(out, "rtsp://cam/live?user=admin&password=***&subtype=0");
}

}  // namespace
