#!/usr/bin/env python3
"""ch_proxy.py - stand between cloudtally and a test clickhouse-server on
127.0.0.1 and make one insert fail, for tests/cli/clickhouse.sh.

Every request goes on to the server at --upstream (method, query string,
the ClickHouse and Content-Encoding headers and body unchanged) and its
answer comes back, except the --fail-at'th insert into a staging table
(query "INSERT INTO stage_..."): that one gets HTTP 500 with a
ClickHouse-style message and is never sent on, as when the server runs
out of memory half way through a run. Inserts may arrive on several
connections at once. Prints its port on the first output line.
"""
import argparse
import http.server
import socketserver
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

lock = threading.Lock()
inserts = 0
args = None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *a):
        pass

    def answer(self, code, body):
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        global inserts
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        q = query.get("query", [""])[0]
        if q.startswith("INSERT INTO stage_"):
            with lock:
                inserts += 1
                mine = inserts
            if mine == args.fail_at:
                self.answer(500, b"Code: 241. DB::Exception: injected failure of insert %d "
                            b"(memory limit exceeded)\n" % mine)
                return
        headers = {k: v for k, v in self.headers.items()
                   if k.lower().startswith("x-clickhouse-") or
                   k.lower() in ("content-encoding", "content-type")}
        req = urllib.request.Request("http://127.0.0.1:%d%s" % (args.upstream, self.path),
                                     data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                self.answer(r.status, r.read())
        except urllib.error.HTTPError as e:
            self.answer(e.code, e.read())

    do_GET = do_POST


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def main():
    global args
    p = argparse.ArgumentParser()
    p.add_argument("--upstream", type=int, required=True, help="server's HTTP port")
    p.add_argument("--fail-at", type=int, required=True, help="which staging insert fails")
    args = p.parse_args()
    srv = Server(("127.0.0.1", 0), Handler)
    print(srv.server_address[1], flush=True)
    sys.stdout.close()
    srv.serve_forever()


if __name__ == "__main__":
    main()
