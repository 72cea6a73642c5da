/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "synthetic_config.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

QString writeSyntheticConfig(const QString &dir, int n) {
  // Small pictures at a low rate: 17 cameras decoded on a shared machine stay cheap.
  const QJsonObject options{{QStringLiteral("width"), 160},
                            {QStringLiteral("height"), 90},
                            {QStringLiteral("fps"), 10}};
  QJsonArray cameras;
  for (int i = 0; i < n; i++)
    cameras.append(QJsonObject{{QStringLiteral("url"), QStringLiteral("synthetic://%1").arg(i)},
                               {QStringLiteral("options"), options}});
  const QJsonObject create{{QStringLiteral("block_size"), QStringLiteral("256K")},
                           {QStringLiteral("blocks"), 64}};
  const QJsonObject fs{{QStringLiteral("dir"), dir + QStringLiteral("/fs")},
                       {QStringLiteral("create"), create}};
  const QJsonObject root{{QStringLiteral("fs"), fs}, {QStringLiteral("cameras"), cameras}};
  const QString path = dir + QStringLiteral("/cameras-%1.json").arg(n);
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
      !file.setPermissions(QFile::ReadOwner | QFile::WriteOwner))
    return QString();
  const QByteArray json = QJsonDocument(root).toJson();
  return file.write(json) == json.size() ? path : QString();
}
