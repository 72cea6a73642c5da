#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# An HTTP server of the tests' own that serves a directory as a real server does (Range, ETag,
# 304, keep-alive) and, on request, breaks the ways real servers do not on purpose: the faults
# storage-http must turn into a clear error instead of a crash, a wrong read or a hang.
#
# Usage: http_faulty.py DIR [CERT KEY] (with CERT and KEY: HTTPS). Binds 127.0.0.1 on a free port and prints the port as stdout's first
# line. A path's first component picks a fault for it, then the rest names the file in DIR:
#   /truncate/F   the body of a range ends early and the connection closes
#   /wronglen/F   206 of the right range with half its bytes (Content-Length says half)
#   /wrongrange/F 206 of the range one byte further on
#   /toolong/F    206 of the right range with 100 bytes too many
#   /416/F /500/F that status
#   /garbage/F    206 of the right range holding random bytes
#   /slow/F       206 headers, then nothing
#   /norange/F    Range ignored: 200 with the whole file
#   /auth/F       basic auth "user:secret" needed (else 401)
#   /bearer/F     "Authorization: Bearer tok123" needed (else 401)
# The faults but norange spare the one-byte probe "bytes=0-0" that opens a file, so a read hits
# them. A plain path takes the fault set by GET /_fault/MODE (none to clear). GET /_log lists
# every request so far, one "STATUS PATH" a line; GET /_connections counts the connections
# accepted before its own (keep-alive: many requests, few connections).
import base64
import email.utils
import os
import random
import socketserver
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler

FAULTS = {"truncate", "wronglen", "wrongrange", "toolong", "416", "500", "garbage", "slow",
          "norange"}
STOP = threading.Event()
LOCK = threading.Lock()
LOG = []
RUNTIME = {"mode": "none", "connections": 0}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    root = "."

    def log_message(self, fmt, *args):
        pass

    def setup(self):
        super().setup()
        with LOCK:
            RUNTIME["connections"] += 1

    def answer(self, status, headers=(), body=b""):
        with LOCK:
            LOG.append("%d %s" % (status, self.path))
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        parts = self.path.split("/")
        if self.path.startswith("/_fault/"):
            RUNTIME["mode"] = parts[2]
            return self.answer(200, body=b"ok\n")
        if self.path == "/_connections":
            with LOCK:
                count = RUNTIME["connections"] - 1
            return self.answer(200, body=b"%d\n" % count)
        if self.path == "/_log":
            with LOCK:
                text = "".join(line + "\n" for line in LOG)
            return self.answer(200, body=text.encode())
        mode = RUNTIME["mode"]
        if len(parts) > 2 and parts[1] in FAULTS | {"auth", "bearer"}:
            mode = parts[1]
            parts = parts[:1] + parts[2:]
        if mode == "auth" and not self.authorised("Basic " + base64.b64encode(
                b"user:secret").decode()):
            return
        if mode == "bearer" and not self.authorised("Bearer tok123"):
            return
        if mode in ("auth", "bearer"):
            mode = RUNTIME["mode"]
        rel = "/".join(parts[1:])
        if ".." in parts or not rel:
            return self.answer(403)
        path = os.path.join(self.root, rel)
        if not os.path.isfile(path):
            return self.answer(404, body=b"not found\n")
        self.serve(path, mode)

    def authorised(self, want):
        if self.headers.get("Authorization") == want:
            return True
        self.answer(401, [("WWW-Authenticate", 'Basic realm="fs"')], b"no\n")
        return False

    def serve(self, path, mode):
        st = os.stat(path)
        etag = '"%x-%x"' % (st.st_mtime_ns, st.st_size)
        validators = [("ETag", etag),
                      ("Last-Modified", email.utils.formatdate(st.st_mtime, usegmt=True)),
                      ("Accept-Ranges", "bytes")]
        rng = self.headers.get("Range")
        if rng is None or mode == "norange":
            if self.headers.get("If-None-Match") == etag:
                return self.answer(304, validators)
            with open(path, "rb") as f:
                return self.answer(200, validators, f.read())
        first, last = (int(x) if x else None for x in rng[len("bytes="):].split("-"))
        if first >= st.st_size:
            return self.answer(416, [("Content-Range", "bytes */%d" % st.st_size)])
        last = min(last, st.st_size - 1)
        with open(path, "rb") as f:
            f.seek(first)
            body = f.read(last - first + 1)
        if rng == "bytes=0-0" or mode == "none":
            return self.ranged(first, last, st.st_size, body)
        self.fault(mode, first, last, st.st_size, body)

    def ranged(self, first, last, size, body, length=None):
        with LOCK:
            LOG.append("206 %s" % self.path)
        self.send_response(206)
        self.send_header("Content-Range", "bytes %d-%d/%d" % (first, last, size))
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def fault(self, mode, first, last, size, body):
        if mode == "truncate":
            self.ranged(first, last, size, body[: len(body) // 2], length=len(body))
            self.close_connection = True
        elif mode == "wronglen":
            self.ranged(first, last, size, body[: len(body) // 2])
        elif mode == "wrongrange":
            self.ranged(first + 1, last + 1, size, body)
        elif mode == "toolong":
            self.ranged(first, last, size, body + bytes(100))
        elif mode in ("416", "500"):
            self.answer(int(mode), [("Content-Range", "bytes */%d" % size)], b"fault\n")
        elif mode == "garbage":
            self.ranged(first, last, size, random.randbytes(len(body)))
        elif mode == "slow":
            with LOCK:
                LOG.append("206 %s" % self.path)
            self.send_response(206)
            self.send_header("Content-Range", "bytes %d-%d/%d" % (first, last, size))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.flush()
            STOP.wait(120)
            self.close_connection = True


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # a client that gave up on a fault: what the fault is for


def main():
    Handler.root = sys.argv[1]
    server = Server(("127.0.0.1", 0), Handler)
    if len(sys.argv) > 3:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(sys.argv[2], sys.argv[3])
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    finally:
        STOP.set()


if __name__ == "__main__":
    main()
