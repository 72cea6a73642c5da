/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The live pipeline behind the wall: one valkka_live_t with every camera recording into its FS,
// and live decoding for exactly the tiles on screen (hidden tiles and playback mode turn a
// camera's frame callback off; recording goes on). Status and stats reach the feeds on the GUI
// thread.
#pragma once

#include <QList>
#include <QObject>

#include <vector>

#include <valkka/live.h>

#include "beat_timer.h"
#include "camera_feed.h"
#include "kiosk_config.h"

class LiveWall : public QObject {
  Q_OBJECT
 public:
  explicit LiveWall(QObject *parent = nullptr);
  ~LiveWall() override;

  // Where a camera's frames are recorded (live.h's record sink), or why they cannot be.
  struct RecordTarget {
    valkka_frame_sink_fn sink = nullptr;
    void *user = nullptr;
    QString error;
    bool audio = false;  // record its sound too, stamped with audioSlot (live.h)
    uint32_t audioSlot = 0;
    bool viewOnly = false;  // another process records it: shown, not recorded (sink NULL)
    // Its substream, a camera of its own at subSlot (StreamChoice::kNoSlot: none), recorded
    // through subSink (NULL: not recorded). mainRecorded false: the main stream is shown only.
    uint32_t subSlot = UINT32_MAX;
    valkka_frame_sink_fn subSink = nullptr;
    void *subUser = nullptr;
    bool mainRecorded = true;
  };

  // Creates the live object and adds the cameras (feeds[i] shows cameras[i] with slot
  // feeds[i]->slot(), recorded through targets[i]). A camera that cannot be added or recorded
  // shows FAILED with the reason; false only when the live object itself cannot be made.
  bool start(const QList<CameraConfig> &cameras, const std::vector<RecordTarget> &targets,
             const QList<CameraFeed *> &feeds, QString *error);
  // Stops every camera; no callback of the pipeline runs after it returns. Idempotent.
  void stop();
  // The overlays' refresh (stats, countdowns, frame times) on the wall's beat.
  void followBeat(QTimer *beat) { poll_.follow(beat); }

  // Whether live pictures go to the tiles: off while playback owns them.
  void setLiveDisplay(bool on);

 private:
  static void onStatus(void *user, const valkka_stream_status_t *status);
  void updateDecoding(int index);
  // Turns the frame callback of `slot` (the camera's main stream or its substream) on or off.
  bool setDecoding(CameraFeed *feed, uint32_t slot, bool on);
  // substream.cpp: adds camera `index`'s substream; false (logged) when it cannot be.
  bool addSubstream(const CameraConfig &cfg, const RecordTarget &target, CameraFeed *feed,
                    const std::vector<valkka_option_t> &options);
  void poll();

  valkka_live_t *live_ = nullptr;
  QList<CameraFeed *> feeds_;
  std::vector<bool> added_;
  std::vector<bool> decoding_;
  std::vector<bool> subDecoding_;  // the substream's callback is on
  bool liveDisplay_ = true;
  BeatTimer poll_;
};
