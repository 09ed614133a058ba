#!/usr/bin/env python3
"""receiver.py - a local HTTP endpoint for the `cloudtally notify` tests: it
stands in for a Slack incoming webhook and for any webhook receiver.

Listens on 127.0.0.1 only. With --port 0 (the default) the kernel picks
the port; the chosen port is the first line on standard output.

Every request is answered and appended to the --log file as one JSON line:
  {"n": 1, "method": "POST", "path": "/hook", "headers": {...},
   "body_b64": "...", "status": 200}
Header names are lower-cased; the body is kept as base64, so the test
can compare it byte for byte.

Answers: 200 "ok" (text/plain, as Slack answers), unless a fault applies.
Faults, by the first path segment or by the control file (--control
FILE, re-read on every request, one word: the same names as the path
segments; an empty or missing file means none):

  /ok/...          200 ok (the default)
  /flaky/...       500 for the first two requests to this path, then 200
  /down/...        always 500
  /slow/...        sleep --slow-seconds (default 5) before answering 200
  /gone/...        404 with the body "no_service" (Slack's error code)
  /echo/...        400 whose body quotes the request headers back (a
                   server must not make the client print them)

Python 3 standard library only.
"""

import argparse
import base64
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
STATE = {"n": 0, "hits": {}}


def fault_for(path, control):
    """The fault of a request: the control file's word, else the path's."""
    word = ""
    if control:
        try:
            with open(control, encoding="utf-8") as f:
                word = f.read().strip()
        except OSError:
            word = ""
    if not word:
        word = path.lstrip("/").split("/", 1)[0].split("?", 1)[0]
    return word


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "receiver/1"

    def log_message(self, fmt, *args):  # quiet: the JSON log is the record
        pass

    def _answer(self, status, body, ctype="text/plain"):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        opts = self.server.opts
        word = fault_for(self.path, opts.control)
        with LOCK:
            STATE["n"] += 1
            n = STATE["n"]
            hits = STATE["hits"].get(self.path, 0) + 1
            STATE["hits"][self.path] = hits
        status, answer = 200, "ok"
        if word == "flaky" and hits <= 2:
            status, answer = 500, "internal error"
        elif word == "down":
            status, answer = 500, "internal error"
        elif word == "gone":
            status, answer = 404, "no_service"
        elif word == "echo":
            status = 400
            answer = "bad request; you sent: " + json.dumps(dict(self.headers.items()))
        rec = {
            "n": n,
            "method": self.command,
            "path": self.path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body_b64": base64.b64encode(body).decode("ascii"),
            "status": status,
        }
        if opts.log:
            with LOCK, open(opts.log, "a", encoding="utf-8") as f:
                f.write(json.dumps(rec, sort_keys=True) + "\n")
        # logged on arrival, so a slow answer cannot land in the log after
        # the requests that came later
        if word == "slow":
            time.sleep(opts.slow_seconds)
        try:
            self._answer(status, answer)
        except OSError:
            pass  # the client gave up (a timeout test)

    do_POST = _handle
    do_GET = _handle
    do_PUT = _handle


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--log", help="append each request as a JSON line")
    ap.add_argument("--control", help="fault word file, re-read per request")
    ap.add_argument("--slow-seconds", type=float, default=5.0)
    opts = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", opts.port), Handler)
    srv.daemon_threads = True
    srv.opts = opts
    print(srv.server_address[1], flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
