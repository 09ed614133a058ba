#!/usr/bin/env python3
"""fake_forge.py - a local stand-in for the comment endpoints of the GitHub
REST API and the GitLab REST API (v4), for the `cloudtally comment` tests.

Listens on 127.0.0.1 only. With --port 0 (the default) the kernel picks
the port; the chosen port is the first line on standard output.

GitHub (also under an /api/v3 prefix, as GitHub Enterprise serves it):
  GET   /repos/OWNER/REPO/issues/N/comments[?per_page=&page=]
  POST  /repos/OWNER/REPO/issues/N/comments           {"body": ...} -> 201
  PATCH /repos/OWNER/REPO/issues/comments/ID          {"body": ...} -> 200
  Authorization: "Bearer TOKEN" or "token TOKEN", else 401 Bad credentials.
  Pages: at most --page-size comments (default 2), with a Link header
  (rel="next", "last", "first", "prev") of absolute URLs.
GitLab:
  GET   /api/v4/projects/ID/merge_requests/IID/notes[?page=&per_page=&sort=&order_by=]
  POST  /api/v4/projects/ID/merge_requests/IID/notes  {"body": ...} -> 201
  PUT   /api/v4/projects/ID/merge_requests/IID/notes/NOTE  {"body": ...} -> 200
  PRIVATE-TOKEN: TOKEN (or Authorization: Bearer TOKEN), else 401.
  ID is the numeric ID or the URL-encoded path (group%2Fproj); a path sent
  with a raw "/" is not found, as on gitlab.com. Pages: X-Page,
  X-Per-Page, X-Total, X-Total-Pages, X-Next-Page ("" on the last page),
  X-Prev-Page and a Link header.

The token is --token or $FAKE_FORGE_TOKEN. Known repositories and projects: --github-repo OWNER/REPO (repeatable,
default acme/infra) and --gitlab-project ID=PATH (repeatable, default
42=group/sub/proj); others are 404. Every request number exists.

Writes are checked: Content-Type application/json, a JSON object whose
"body" is a non-empty string and nothing else (GitHub: at most 65536
characters), else 415 / 422 (GitHub) or 400 (GitLab). Editing a comment
of another author (seeded with "user") is 403, as without admin rights.

Faults, from the control file (--control FILE, re-read on every request;
one rule a line: "MODE [METHOD|- [PATH-SUBSTRING|- [COUNT]]]"; COUNT
limits how many matching requests get the fault; counts restart when the
file changes):

  401              401 {"message": "Bad credentials"}
  403              403 without rate-limit headers: no permission
  403-retry-after  403 secondary rate limit with Retry-After: 1
  403-reset        403 with X-RateLimit-Remaining: 0, X-RateLimit-Reset: now+1
  403-reset-long   the same with the reset an hour away
  429              429 with Retry-After: 1
  429-reset        429 with RateLimit-Remaining: 0, RateLimit-Reset: now+1
                   and no Retry-After (GitLab)
  500, 502, 503    that status (503 with Retry-After: 1)
  404              404 Not Found
  evil-link        a list page whose Link rel="next" is on another host
  echo-token       422 whose message quotes the Authorization and
                   PRIVATE-TOKEN headers back (a server must not make
                   the client leak the token)
  not-json         200 with an HTML body
  redirect-away    302 to the same path on another host
  redirect-here    307 to the same path on this server with ?moved=1

Admin (no token): GET /_state (all comments), GET /_log (all requests),
POST /_seed {"forge": "github"|"gitlab", "repo"|"project", "number",
"body", "user", "system"} adds a comment as it is, POST /_reset empties
both. --log FILE also appends each request as a JSON line. The log never
holds the token: "auth" says which scheme came and whether it matched.
Python 3 standard library only.
"""

import argparse
import json
import os
import re
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GITHUB_MAX = 65536


class Control:
    """Fault rules from the control file, with per-rule hit counts."""

    def __init__(self, path):
        self.path = path
        self.text = None
        self.rules = []
        self.lock = threading.Lock()

    def pick(self, method, path):
        if not self.path:
            return None
        with self.lock:
            try:
                with open(self.path) as f:
                    text = f.read()
            except OSError:
                text = ""
            if text != self.text:
                self.text = text
                self.rules = []
                for line in text.splitlines():
                    f = line.split()
                    if not f or f[0].startswith("#"):
                        continue
                    meth = f[1] if len(f) > 1 and f[1] not in ("-", "*") else ""
                    sub = f[2] if len(f) > 2 and f[2] not in ("-", "*") else ""
                    count = int(f[3]) if len(f) > 3 else -1
                    self.rules.append([f[0], meth, sub, count])
            for rule in self.rules:
                mode, meth, sub, count = rule
                if (not meth or meth == method) and sub in path and count != 0:
                    if count > 0:
                        rule[3] -= 1
                    return mode
        return None


class State:
    def __init__(self, repos, projects):
        self.lock = threading.Lock()
        self.repos = set(repos)
        self.projects = dict(projects)  # id -> path
        self.reset()

    def reset(self):
        self.comments = {}  # (forge, key, number) -> [comment]
        self.next_gh = 3000000001  # above 2^31, like GitHub's IDs
        self.next_gl = 501
        self.log = []

    def new_id(self, forge):
        if forge == "github":
            self.next_gh += 1
            return self.next_gh - 1
        self.next_gl += 1
        return self.next_gl - 1

    def dump(self):
        out = {}
        for (forge, key, num), items in sorted(self.comments.items()):
            out.setdefault(forge, {})["%s#%d" % (key, num)] = items
        return out


def now_iso():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-forge/1"

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("fake_forge: " + (fmt % args) + "\n")

    # ---- plumbing -------------------------------------------------------

    def send_json(self, code, doc, headers=()):
        body = (json.dumps(doc, indent=None) + "\n").encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def origin(self):
        return "http://" + (self.headers.get("Host") or "127.0.0.1")

    def auth(self, forge):
        """'SCHEME ok' / 'SCHEME bad' / 'missing' - never the token."""
        tok = self.server.token
        a = self.headers.get("Authorization")
        p = self.headers.get("PRIVATE-TOKEN")
        if forge == "gitlab" and p is not None:
            return "PRIVATE-TOKEN " + ("ok" if p == tok else "bad")
        if a is not None:
            scheme, _, rest = a.partition(" ")
            ok = scheme in ("Bearer", "token") if forge == "github" else scheme == "Bearer"
            return scheme + " " + ("ok" if ok and rest == tok else "bad")
        return "missing"

    def record(self, forge, raw):
        ctype = self.headers.get("Content-Type")
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        entry = {
            "method": self.command,
            "path": self.path,
            "forge": forge,
            "auth": self.auth(forge) if forge else "",
            "content_type": ctype,
            "accept": self.headers.get("Accept"),
            "user_agent": self.headers.get("User-Agent"),
            "body": body,
        }
        with self.server.state.lock:
            self.server.state.log.append(entry)
        if self.server.logfile:
            with open(self.server.logfile, "a") as f:
                f.write(json.dumps(entry, sort_keys=True) + "\n")

    # ---- faults -----------------------------------------------------------

    def fault(self, mode, forge):
        now = int(time.time())
        if mode == "401":
            self.send_json(401, {"message": "Bad credentials"} if forge == "github"
                           else {"message": "401 Unauthorized"})
        elif mode == "403":
            self.send_json(403, {"message": "Resource not accessible by personal access token"},
                           [("X-RateLimit-Remaining", "4999"),
                            ("X-RateLimit-Reset", str(now + 3600))])
        elif mode == "403-retry-after":
            self.send_json(403, {"message": "You have exceeded a secondary rate limit."},
                           [("Retry-After", "1")])
        elif mode in ("403-reset", "403-reset-long"):
            reset = now + (1 if mode == "403-reset" else 3600)
            self.send_json(403, {"message": "API rate limit exceeded for user."},
                           [("X-RateLimit-Limit", "5000"), ("X-RateLimit-Remaining", "0"),
                            ("X-RateLimit-Reset", str(reset))])
        elif mode == "429":
            self.send_json(429, {"message": "Too Many Requests"}, [("Retry-After", "1")])
        elif mode == "429-reset":
            self.send_json(429, {"message": "Retry later"},
                           [("RateLimit-Remaining", "0"), ("RateLimit-Reset", str(now + 1))])
        elif mode in ("500", "502", "503"):
            hdr = [("Retry-After", "1")] if mode == "503" else []
            self.send_json(int(mode), {"message": "Server Error"}, hdr)
        elif mode == "404":
            self.send_json(404, {"message": "Not Found"})
        elif mode == "echo-token":
            said = "Authorization=%s PRIVATE-TOKEN=%s" % (
                self.headers.get("Authorization"), self.headers.get("PRIVATE-TOKEN"))
            self.send_json(422, {"message": said})
        elif mode == "not-json":
            body = b"<!DOCTYPE html><html><body>Whoops</body></html>\n"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif mode in ("redirect-away", "redirect-here"):
            if mode == "redirect-away":
                loc = "http://127.0.0.2:%d%s" % (self.server.server_address[1], self.path)
                code = 302
            else:
                sep = "&" if "?" in self.path else "?"
                loc = self.origin() + self.path + sep + "moved=1"
                code = 307
            self.send_response(code)
            self.send_header("Location", loc)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            return False
        return True

    # ---- routing ----------------------------------------------------------

    def route(self):
        u = urllib.parse.urlsplit(self.path)
        path = u.path
        if path.startswith("/api/v3/"):
            path = path[len("/api/v3"):]
        m = re.fullmatch(r"/repos/([^/]+)/([^/]+)/issues/(\d+)/comments", path)
        if m:
            return "github", "list", m.group(1) + "/" + m.group(2), int(m.group(3)), None
        m = re.fullmatch(r"/repos/([^/]+)/([^/]+)/issues/comments/(\d+)", path)
        if m:
            return "github", "item", m.group(1) + "/" + m.group(2), None, int(m.group(3))
        m = re.fullmatch(r"/api/v4/projects/([^/]+)/merge_requests/(\d+)/notes", u.path)
        if m:
            return "gitlab", "list", urllib.parse.unquote(m.group(1)), int(m.group(2)), None
        m = re.fullmatch(r"/api/v4/projects/([^/]+)/merge_requests/(\d+)/notes/(\d+)", u.path)
        if m:
            return ("gitlab", "item", urllib.parse.unquote(m.group(1)), int(m.group(2)),
                    int(m.group(3)))
        if u.path.startswith("/api/v4/"):
            return "gitlab", None, None, None, None
        if u.path.startswith("/repos/") or u.path.startswith("/api/v3/"):
            return "github", None, None, None, None
        return None, None, None, None, None

    def project_id(self, key):
        st = self.server.state
        if key in st.projects:
            return key
        for pid, p in st.projects.items():
            if p == key:
                return pid
        return None

    def handle_any(self):
        raw = self.read_body()
        u = urllib.parse.urlsplit(self.path)
        if u.path.startswith("/_"):
            return self.admin(u.path, raw)
        forge, kind, key, num, cid = self.route()
        self.record(forge, raw)
        mode = self.server.control.pick(self.command, self.path)
        if mode == "evil-link" and not (kind == "list" and self.command == "GET"):
            mode = None
        if mode and mode != "evil-link" and self.fault(mode, forge):
            return
        if forge is None or kind is None:
            return self.send_json(404, {"message": "Not Found"})
        # the token first, as the real APIs do
        a = self.auth(forge)
        if not a.endswith(" ok"):
            return self.send_json(401, {"message": "Bad credentials"} if forge == "github"
                                  else {"message": "401 Unauthorized"})
        st = self.server.state
        if forge == "github":
            if key not in st.repos:
                return self.send_json(404, {"message": "Not Found"})
        else:
            pid = self.project_id(key)
            if pid is None:
                return self.send_json(404, {"message": "404 Project Not Found"})
            key = pid
        if kind == "list" and self.command == "GET":
            return self.list_page(forge, key, num, u, mode == "evil-link")
        if kind == "list" and self.command == "POST":
            return self.write(forge, key, num, None, raw)
        if kind == "item" and forge == "github" and self.command == "PATCH":
            return self.write(forge, key, None, cid, raw)
        if kind == "item" and forge == "gitlab" and self.command == "PUT":
            return self.write(forge, key, num, cid, raw)
        return self.send_json(404, {"message": "Not Found"})

    def list_page(self, forge, key, num, u, evil):
        st = self.server.state
        q = urllib.parse.parse_qs(u.query)
        try:
            page = max(1, int((q.get("page") or ["1"])[0]))
            want = int((q.get("per_page") or ["30" if forge == "github" else "20"])[0])
        except ValueError:
            return self.send_json(400, {"message": "bad page"})
        per = max(1, min(want, self.server.page_size))
        with st.lock:
            items = list(st.comments.get((forge, key, num), []))
        if forge == "gitlab" and (q.get("sort") or ["desc"])[0] == "desc":
            items.reverse()
        pages = max(1, (len(items) + per - 1) // per)
        chunk = items[(page - 1) * per: page * per]

        def at(p):
            qq = dict((k, v[0]) for k, v in q.items())
            qq["page"] = str(p)
            qq["per_page"] = str(per)
            return "%s%s?%s" % (self.origin(), u.path, urllib.parse.urlencode(sorted(qq.items())))

        links = []
        if page < pages:
            nxt = at(page + 1)
            if evil:
                nxt = "http://127.0.0.2:%d%s" % (self.server.server_address[1],
                                                 nxt[len(self.origin()):])
            links.append('<%s>; rel="next"' % nxt)
            links.append('<%s>; rel="last"' % at(pages))
        if page > 1:
            links.append('<%s>; rel="first"' % at(1))
            links.append('<%s>; rel="prev"' % at(page - 1))
        hdrs = [("Link", ", ".join(links))] if links else []
        if forge == "gitlab":
            hdrs += [("X-Page", str(page)), ("X-Per-Page", str(per)),
                     ("X-Total", str(len(items))), ("X-Total-Pages", str(pages)),
                     ("X-Next-Page", str(page + 1) if page < pages else ""),
                     ("X-Prev-Page", str(page - 1) if page > 1 else "")]
        self.send_json(200, chunk, hdrs)

    def write(self, forge, key, num, cid, raw):
        st = self.server.state
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if ctype != "application/json":
            return self.send_json(415, {"message": "Unsupported Media Type: want application/json"})
        try:
            doc = json.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return self.send_json(400, {"message": "Problems parsing JSON"})
        body = doc.get("body") if isinstance(doc, dict) else None
        if not isinstance(body, str) or not body or set(doc) != {"body"}:
            if forge == "github":
                return self.send_json(422, {"message": "Validation Failed",
                                            "errors": [{"field": "body", "code": "missing_field"}]})
            return self.send_json(400, {"message": "400 Bad request - body is missing"})
        if forge == "github" and len(body) > GITHUB_MAX:
            return self.send_json(422, {"message": "Validation Failed", "errors": [
                {"field": "body", "code": "custom",
                 "message": "body is too long (maximum is 65536 characters)"}]})
        with st.lock:
            if cid is None:
                c = self.new_comment(forge, key, num, body, "cloudtally-bot", False)
                st.comments.setdefault((forge, key, num), []).append(c)
                code = 201
            else:
                c = None
                for (f, k, _n), items in st.comments.items():
                    if f != forge or k != key or (num is not None and _n != num):
                        continue
                    for it in items:
                        if it["id"] == cid:
                            c = it
                if c is None:
                    return self.send_json(404, {"message": "Not Found"})
                who = c["user"]["login"] if forge == "github" else c["author"]["username"]
                if who != "cloudtally-bot":
                    return self.send_json(403, {"message": "You must be the author to edit"})
                c["body"] = body
                c["updated_at"] = now_iso()
                code = 200
        self.send_json(code, c)

    def new_comment(self, forge, key, num, body, user, system):
        st = self.server.state
        cid = st.new_id(forge)
        t = now_iso()
        if forge == "github":
            return {"id": cid, "node_id": "IC_%d" % cid,
                    "html_url": "https://github.com/%s/pull/%d#issuecomment-%d" % (key, num, cid),
                    "issue_url": "%s/repos/%s/issues/%d" % (self.origin(), key, num),
                    "body": body, "user": {"login": user, "type": "User"},
                    "created_at": t, "updated_at": t}
        return {"id": cid, "type": None, "body": body, "system": bool(system),
                "author": {"username": user}, "noteable_type": "MergeRequest",
                "noteable_iid": num, "created_at": t, "updated_at": t}

    def admin(self, path, raw):
        st = self.server.state
        if path == "/_state" and self.command == "GET":
            with st.lock:
                return self.send_json(200, st.dump())
        if path == "/_log" and self.command == "GET":
            with st.lock:
                return self.send_json(200, st.log)
        if path == "/_reset" and self.command == "POST":
            with st.lock:
                st.reset()
            return self.send_json(200, {})
        if path == "/_seed" and self.command == "POST":
            d = json.loads(raw)
            forge = d["forge"]
            key = d.get("repo") if forge == "github" else self.project_id(d.get("project"))
            with st.lock:
                c = self.new_comment(forge, key, int(d["number"]), d["body"],
                                     d.get("user", "someone"), d.get("system", False))
                st.comments.setdefault((forge, key, int(d["number"])), []).append(c)
            return self.send_json(201, c)
        return self.send_json(404, {"message": "no such admin endpoint"})

    do_GET = handle_any
    do_POST = handle_any
    do_PATCH = handle_any
    do_PUT = handle_any
    do_DELETE = handle_any


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--token", default=os.environ.get("FAKE_FORGE_TOKEN"),
                    help="the token clients must send (default $FAKE_FORGE_TOKEN, "
                    "which keeps it out of the process list)")
    ap.add_argument("--github-repo", action="append", help="OWNER/REPO (repeatable)")
    ap.add_argument("--gitlab-project", action="append", help="ID=PATH (repeatable)")
    ap.add_argument("--page-size", type=int, default=2)
    ap.add_argument("--control", help="fault control file")
    ap.add_argument("--log", help="append a JSON line per request here")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    if not a.token:
        ap.error("--token or FAKE_FORGE_TOKEN is required")

    projects = []
    for p in a.gitlab_project or ["42=group/sub/proj"]:
        pid, _, path = p.partition("=")
        projects.append((pid, path))
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    srv.token = a.token
    srv.state = State(a.github_repo or ["acme/infra"], projects)
    srv.control = Control(a.control)
    srv.page_size = a.page_size
    srv.logfile = a.log
    srv.verbose = a.verbose
    print(srv.server_address[1], flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        srv.server_close()


if __name__ == "__main__":
    main()
