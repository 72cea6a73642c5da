/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "recorder_process.h"

#include <QThread>

#include <csignal>

#include <valkka/valkka.h>

Recorder::Recorder(const QString &fs, QStringList args) : fs_(fs) {
  if (args.isEmpty())
    args = {QStringLiteral("--fs"), fs, QStringLiteral("--synthetic"), QStringLiteral("4")};
  valkka_fs_create_params_t params{};
  params.struct_size = sizeof params;
  params.kind = VALKKA_FS_MULTI;
  params.block_size = 1u << 20;
  params.n_blocks = 64;
  created_ = valkka_fs_create(fs.toUtf8().constData(), &params) == 0;
  process_.setProcessChannelMode(QProcess::ForwardedErrorChannel);
  process_.start(qEnvironmentVariable("VALKKA_TEST_BIN_DIR") + QStringLiteral("/valkka"),
                 QStringList{QStringLiteral("record")} + args);
  process_.waitForStarted(10000);
}

bool Recorder::running() { return created_ && process_.state() == QProcess::Running; }

bool Recorder::waitForStreams() {
  for (int i = 0; i < 300 && running(); i++) {
    if (streams() >= 4) return true;
    QThread::msleep(100);
  }
  return false;
}

int Recorder::streams() {
  valkka_fs_open_params_t p{};
  p.struct_size = sizeof p;
  p.flags = VALKKA_FS_READONLY;
  valkka_fs_t *fs = nullptr;
  if (valkka_fs_open(fs_.toUtf8().constData(), &p, &fs) != 0) return -1;
  valkka_fs_stream_info_t probe{};
  probe.struct_size = sizeof probe;
  const int n = valkka_fs_get_streams(fs, &probe, 0);
  valkka_fs_close(fs);
  return n;
}

void Recorder::kill() {
  process_.kill();
  process_.waitForFinished(10000);
}

int Recorder::stop() {
  if (process_.state() == QProcess::NotRunning) return process_.exitCode();
  ::kill(static_cast<pid_t>(process_.processId()), SIGTERM);
  if (!process_.waitForFinished(20000)) {
    process_.kill();
    process_.waitForFinished(5000);
    return -1;
  }
  return process_.exitStatus() == QProcess::NormalExit ? process_.exitCode() : -1;
}
