/* SPDX-License-Identifier: LGPL-2.1-or-later */
// BeatTimer (beat_timer.h): on its own timer until it follows a beat, then only from within the
// beat's timeouts, and on its own again when the beat goes away.
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QDeadlineTimer>

#include <functional>
#include <memory>

#include "beat_timer.h"

namespace {

bool waitFor(const std::function<bool()> &ready) {
  for (QDeadlineTimer until(10000); !until.hasExpired() && !ready();)
    QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
  return ready();
}

TEST(BeatTimer, TimesOutOnItsOwnThenWithinTheBeatsTimeouts) {
  int argc = 1;
  char name[] = "kiosk_units";
  char *argv[] = {name, nullptr};
  QCoreApplication app(argc, argv);

  BeatTimer timer(100);
  int timeouts = 0, beatsBefore = 0, beatsAfter = 0, outsideABeat = 0, timeoutBeat = 0;
  QObject::connect(&timer, &BeatTimer::timeout, [&] {
    timeouts++;
    timeoutBeat = beatsBefore;
    // Inside a beat's emission the handler connected before the timer ran and the one after
    // has not yet.
    if (beatsBefore != beatsAfter + 1) outsideABeat++;
  });
  timer.start();
  ASSERT_TRUE(waitFor([&] { return timeouts >= 2; })) << "no timeout of its own";

  auto beat = std::make_unique<QTimer>();
  beat->setInterval(5);
  QObject::connect(beat.get(), &QTimer::timeout, [&] { beatsBefore++; });
  timer.follow(beat.get());
  QObject::connect(beat.get(), &QTimer::timeout, [&] { beatsAfter++; });
  beat->start();
  timeouts = outsideABeat = 0;
  ASSERT_TRUE(waitFor([&] { return timeouts >= 3; })) << "no timeout on the beat";
  EXPECT_EQ(outsideABeat, 0);
  // Fewer timeouts than beats: one a period, not one a beat.
  EXPECT_LT(timeouts, beatsAfter);

  timer.stop();
  const int stoppedAt = timeouts, beatsAtStop = beatsAfter;
  ASSERT_TRUE(waitFor([&] { return beatsAfter >= beatsAtStop + 20; }));
  EXPECT_EQ(timeouts, stoppedAt) << "a stopped timer timed out";

  // Soon: at the next beat, not at once, and once.
  timer.fireSoon();
  EXPECT_EQ(timeouts, stoppedAt);
  const int beatsAtSoon = beatsAfter;
  ASSERT_TRUE(waitFor([&] { return timeouts == stoppedAt + 1; })) << "no timeout soon";
  EXPECT_EQ(timeoutBeat, beatsAtSoon + 1);
  EXPECT_EQ(outsideABeat, 0);
  ASSERT_TRUE(waitFor([&] { return beatsAfter >= beatsAtSoon + 20; }));
  EXPECT_EQ(timeouts, stoppedAt + 1);

  timer.start();
  beat.reset();  // the beat goes away: its own timer again
  timeouts = 0;
  ASSERT_TRUE(waitFor([&] { return timeouts >= 2; })) << "no timeout after the beat went";
  timer.fireSoon();  // no beat: at once
  EXPECT_EQ(timeouts, 3);
}

}  // namespace
