/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A kiosk config (`valkka record`'s format) of N small synthetic cameras, for tests that need
// more cameras than the built-in four.
#pragma once

#include <QString>

// Writes DIR/cameras-N.json, readable by its owner only (no warning): cameras synthetic://0 ..
// synthetic://N-1 at 160x90, 10 fps, named "camera i", into a 16 MiB MultiFS DIR/fs created on
// first use. Returns its path, "" when it cannot be written.
QString writeSyntheticConfig(const QString &dir, int n);
