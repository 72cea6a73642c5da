/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The kiosk on the wall, recording and showing an RTSP camera that needs a password (and one
// with a wrong password, and a synthetic one), VALKKA_LOG=debug: it listens on no TCP port and
// holds no UDP socket (RTSP over TCP needs none), its only TCP connections go to the camera
// server, and neither its stderr nor its wall state (the tiles' status texts) holds a password.
// Sockets are the kiosk's own: the inodes of /proc/PID/fd, looked up in /proc/PID/net/*.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QThread>
#include <cstdio>

#include "kiosk_process.h"
#include "rtsp_server_process.h"

namespace {

// The socket inodes among the process's file descriptors.
QSet<QString> socketInodes(qint64 pid) {
  QSet<QString> inodes;
  const QString fdDir = QStringLiteral("/proc/%1/fd").arg(pid);
  for (const QString &fd :
       QDir(fdDir).entryList(QDir::Files | QDir::System | QDir::NoDotAndDotDot)) {
    const QString target = QFile::symLinkTarget(fdDir + QLatin1Char('/') + fd);
    // symLinkTarget makes "socket:[123]" into a path; the inode is what is in brackets.
    const int open = target.lastIndexOf(QStringLiteral("socket:["));
    if (open >= 0) inodes.insert(target.mid(open + 8).chopped(1));
  }
  return inodes;
}

struct Socket {
  QString table, local, remote, state;
};

// The process's sockets in the TCP and UDP tables (IPv4 and IPv6) of its network namespace.
QList<Socket> ownSockets(qint64 pid, const QSet<QString> &inodes) {
  QList<Socket> found;
  for (const char *table : {"tcp", "tcp6", "udp", "udp6", "raw", "raw6"}) {
    QFile file(QStringLiteral("/proc/%1/net/%2").arg(pid).arg(QLatin1String(table)));
    if (!file.open(QIODevice::ReadOnly)) continue;
    file.readLine();  // the header
    for (QByteArray line; !(line = file.readLine()).isEmpty();) {
      const QList<QByteArray> f = line.simplified().split(' ');
      // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
      if (f.size() > 9 && inodes.contains(QString::fromLatin1(f[9])))
        found.append({QLatin1String(table), QString::fromLatin1(f[1]), QString::fromLatin1(f[2]),
                      QString::fromLatin1(f[3])});
    }
  }
  return found;
}

// "0100007F:1F90" (little-endian IPv4 on x86, hex port) -> the port.
int portOf(const QString &address) {
  return address.section(QLatin1Char(':'), -1).toInt(nullptr, 16);
}

QJsonObject tile(const QJsonObject &state, const QString &name) {
  for (const QJsonValue &t : state.value(QStringLiteral("tiles")).toArray())
    if (t.toObject().value(QStringLiteral("name")).toString() == name) return t.toObject();
  return {};
}

}  // namespace

// The check itself: a port this test process listens on, and a UDP socket it holds, are seen.
TEST(KioskSecurity, TheCheckSeesListeningAndUdpSockets) {
  const int tcp = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int udp = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(tcp, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(tcp, 1), 0);
  ASSERT_EQ(::bind(udp, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
  bool listening = false, datagram = false;
  for (const Socket &s : ownSockets(getpid(), socketInodes(getpid()))) {
    listening |= s.table == QStringLiteral("tcp") && s.state == QStringLiteral("0A");
    datagram |= s.table == QStringLiteral("udp");
  }
  ::close(tcp);
  ::close(udp);
  EXPECT_TRUE(listening);
  EXPECT_TRUE(datagram);
}

TEST(KioskSecurity, OpensNoPortAndShowsNoPassword) {
  const QString password = QStringLiteral("Kiosk-%1").arg(getpid());
  RtspServerProcess server({"--auth", "viewer:" + password.toStdString()});
  std::string err;
  ASSERT_TRUE(server.start(&err)) << err;
  const QString host = QStringLiteral("127.0.0.1:%1").arg(server.port());

  KioskProcess kiosk;
  const QString config = kiosk.dir() + QStringLiteral("/cameras.json");
  const QJsonObject doc{
      {QStringLiteral("fs"),
       QJsonObject{{QStringLiteral("dir"), kiosk.dir() + QStringLiteral("/fs")},
                   {QStringLiteral("create"), QJsonObject{{QStringLiteral("blocks"), 64}}}}},
      {QStringLiteral("cameras"),
       QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("door")},
                              {QStringLiteral("url"),
                               QStringLiteral("rtsp://viewer:%1@%2/cam0").arg(password, host)}},
                  QJsonObject{{QStringLiteral("name"), QStringLiteral("gate")},
                              {QStringLiteral("url"),
                               QStringLiteral("rtsp://viewer:no-%1@%2/cam1").arg(password, host)}},
                  QJsonObject{{QStringLiteral("name"), QStringLiteral("lobby")},
                              {QStringLiteral("url"), QStringLiteral("synthetic://2")}}}}};
  QFile file(config);
  ASSERT_TRUE(file.open(QIODevice::WriteOnly));
  file.write(QJsonDocument(doc).toJson());
  file.close();
  ASSERT_TRUE(file.setPermissions(QFile::ReadOwner | QFile::WriteOwner));
  ASSERT_TRUE(kiosk.start({QStringLiteral("--config"), config}, true, {},
                          {QStringLiteral("VALKKA_LOG=debug")}));

  bool ok = false;
  QJsonObject state = kiosk.waitForState(
      [](const QJsonObject &s) {
        // The wrong password is retried twice, then the camera is failed (settings_attempts).
        const QString gate =
            tile(s, QStringLiteral("gate")).value(QStringLiteral("state")).toString();
        return tile(s, QStringLiteral("door")).value(QStringLiteral("state")).toString() ==
                   QStringLiteral("streaming") &&
               (gate == QStringLiteral("reconnecting") || gate == QStringLiteral("failed"));
      },
      30000, &ok);
  ASSERT_TRUE(ok) << QJsonDocument(state).toJson().toStdString()
                  << kiosk.standardError().toStdString();

  // Sampled a few times while it runs: the sockets of reconnects come and go.
  int tcpToCameras = 0;
  for (int sample = 0; sample < 5; sample++) {
    const QSet<QString> inodes = socketInodes(kiosk.pid());
    ASSERT_FALSE(inodes.isEmpty()) << "no socket at all: the camera is not connected";
    for (const Socket &s : ownSockets(kiosk.pid(), inodes)) {
      const std::string what = (s.table + QLatin1Char(' ') + s.local + QStringLiteral(" -> ") +
                                s.remote + QStringLiteral(" state ") + s.state)
                                   .toStdString();
      EXPECT_TRUE(s.table.startsWith(QStringLiteral("tcp"))) << "a non-TCP socket: " << what;
      EXPECT_NE(s.state, QStringLiteral("0A")) << "a listening socket: " << what;
      if (s.table.startsWith(QStringLiteral("tcp")) && s.state == QStringLiteral("01")) {
        EXPECT_EQ(portOf(s.remote), server.port())
            << "a connection elsewhere than the camera: " << what;
        tcpToCameras++;
      }
    }
    QThread::msleep(300);
  }
  printf("%d connections to the camera server seen in 5 samples, no other socket\n", tcpToCameras);
  EXPECT_GT(tcpToCameras, 0) << "the camera's connection was not seen";

  const QString gateStatus =
      tile(state, QStringLiteral("gate")).value(QStringLiteral("status")).toString();
  const QString stateText = QString::fromUtf8(QJsonDocument(kiosk.state()).toJson());
  kiosk.quit();  // its exit code is not the point (and under ASan not reliable)
  const QString errors = kiosk.standardError();
  EXPECT_TRUE(errors.contains(QStringLiteral("valkka debug"))) << "VALKKA_LOG=debug had no effect";
  EXPECT_TRUE(errors.contains(QStringLiteral("401"))) << errors.toStdString();
  // FFmpeg's own lines ("[rtsp @ 0x...] ...") come through the kiosk's logger (module "ffmpeg",
  // its threshold, the credentials hidden), never from FFmpeg's default printer.
  int ffmpegLines = 0;
  for (const QString &line : errors.split(QLatin1Char('\n'))) {
    if (!line.contains(QStringLiteral("[rtsp @ "))) continue;
    ffmpegLines++;
    EXPECT_TRUE(
        line.contains(QRegularExpression(QStringLiteral("^valkka [a-z]+ ffmpeg: \\[rtsp @ "))))
        << "not through the logger: " << line.toStdString();
  }
  EXPECT_GT(ffmpegLines, 0) << "no line of FFmpeg's at debug level: " << errors.toStdString();
  for (const QString &text : {errors, stateText, gateStatus})
    EXPECT_FALSE(text.contains(password)) << text.toStdString();
}
