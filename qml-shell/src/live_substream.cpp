/* SPDX-License-Identifier: LGPL-2.1-or-later */
// LiveWall's part for a camera's substream: a second live camera of the same name at the
// feed's substream slot, recorded (when the config says so) through the same FS input.
#include <QByteArray>

#include <valkka/error.h>

#include "live_wall.h"

bool LiveWall::addSubstream(const CameraConfig &cfg, const RecordTarget &target, CameraFeed *feed,
                            const std::vector<valkka_option_t> &options) {
  const QByteArray name = (cfg.name + QStringLiteral("/sub")).toUtf8(), url = cfg.subUrl.toUtf8();
  valkka_camera_t cam{};
  cam.struct_size = sizeof cam;
  cam.slot = target.subSlot;
  cam.name = name.constData();
  cam.url = url.constData();
  cam.options = options.empty() ? nullptr : options.data();
  cam.n_options = options.size();
  const int err = valkka_live_add_camera(live_, &cam, target.subSink, target.subUser);
  if (err) {
    const char *detail = valkka_last_error();
    qWarning("valkka-kiosk: %s: its substream is not shown: %s", qPrintable(feed->name()),
             detail && detail[0] ? detail : valkka_strerror(err));
  }
  return err == 0;
}
