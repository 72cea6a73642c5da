/* SPDX-License-Identifier: LGPL-2.1-or-later */
// GoogleTest main with a QCoreApplication: QProcess needs one.
#include <QCoreApplication>

#include <gtest/gtest.h>

int main(int argc, char **argv) {
  QCoreApplication app(argc, argv);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
