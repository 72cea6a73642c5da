/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Loopback TCP ports for the servers tests start: one free to bind, and whether one listens.
#pragma once

namespace testsupport {

// A loopback TCP port nothing listens on right now (another process may take it before the
// caller binds it: a server started on it must fail clearly when that happens).
int free_port();

// True when something accepts TCP connections on 127.0.0.1:port.
bool listening(int port);

}  // namespace testsupport
