#!/usr/bin/env python3
"""fault_server.py - serve a folder over HTTP on 127.0.0.1 with faults,
for tests/cli/sources.sh (URL sources of `cloudtally ingest`).

The first path segment picks the behaviour, the rest names a file under
--root:
  /ok/FILE        the file
  /slow/FILE      the headers, then nothing for --stall seconds
  /500/FILE       HTTP 500 the first time each path is asked, then the file
  /always500/FILE HTTP 500 every time
  /trunc/FILE     half the body with the full Content-Length, then close
                  (every time)
  /resume/FILE    half the body then close the first time (with ETag and
                  Accept-Ranges); a Range request gets the rest (206)
  /badgz/FILE     the file's gzip bytes with the middle cut out
  /404/FILE       HTTP 404
  /trickle/FILE   the file in ten parts, --trickle seconds apart
Prints the port on its first output line; logs "METHOD PATH RANGE" per
request to --log.
"""
import argparse
import http.server
import os
import socketserver
import sys
import threading
import time

seen = {}
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send_body(self, data, code=200, extra=None):
        self.send_response(code)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Content-Type", "application/octet-stream")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        with open(self.server.log, "a") as f:
            f.write("GET %s %s\n" % (path, self.headers.get("Range", "-")))
        parts = path.lstrip("/").split("/", 1)
        if len(parts) != 2 or ".." in parts[1].split("/"):
            self.send_body(b"not found\n", 404)
            return
        mode, rel = parts
        full = os.path.join(self.server.root, rel)
        if mode == "404" or not os.path.isfile(full):
            self.send_body(b"not found\n", 404)
            return
        with open(full, "rb") as f:
            data = f.read()
        with lock:
            count = seen.get(path, 0)
            seen[path] = count + 1
        if mode == "ok":
            self.send_body(data)
        elif mode == "slow":
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.flush()
            time.sleep(self.server.stall)
            self.close_connection = True
        elif mode == "500":
            if count == 0:
                self.send_body(b"try later\n", 500)
            else:
                self.send_body(data)
        elif mode == "always500":
            self.send_body(b"broken\n", 500)
        elif mode == "trunc":
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
        elif mode == "resume":
            etag = '"v1-%d"' % len(data)
            rng = self.headers.get("Range")
            if rng and rng.startswith("bytes=") and rng.endswith("-"):
                start = int(rng[6:-1])
                rest = data[start:]
                self.send_body(rest, 206, {
                    "ETag": etag, "Accept-Ranges": "bytes",
                    "Content-Range": "bytes %d-%d/%d" % (start, len(data) - 1, len(data))})
            elif count == 0:
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("ETag", etag)
                self.send_header("Accept-Ranges", "bytes")
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.close_connection = True
            else:
                self.send_body(data, 200, {"ETag": etag, "Accept-Ranges": "bytes"})
        elif mode == "trickle":
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            step = max(1, len(data) // 10)
            for i in range(0, len(data), step):
                self.wfile.write(data[i:i + step])
                self.wfile.flush()
                time.sleep(self.server.trickle)
        elif mode == "badgz":
            cut = data[: len(data) // 3] + data[2 * len(data) // 3:]
            self.send_body(cut)
        else:
            self.send_body(b"not found\n", 404)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--stall", type=float, default=5)
    ap.add_argument("--trickle", type=float, default=0.25)
    a = ap.parse_args()
    srv = Server(("127.0.0.1", 0), Handler)
    srv.root = a.root
    srv.log = a.log
    srv.stall = a.stall
    srv.trickle = a.trickle
    print(srv.server_address[1], flush=True)
    sys.stdout.close()
    srv.serve_forever()


if __name__ == "__main__":
    main()
