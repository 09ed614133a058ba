#!/usr/bin/env python3
"""smtp_sink.py - a minimal SMTP server for the `cloudtally notify email`
tests: it accepts mail on 127.0.0.1 and writes each message to a file.

socketserver-based (the smtpd module is deprecated and gone in Python
3.12). With --port 0 (the default) the kernel picks the port; the chosen
port is the first line on standard output.

Speaks enough of RFC 5321 for libcurl: greeting, EHLO/HELO, AUTH PLAIN
(with or without the initial response) and AUTH LOGIN, MAIL FROM, RCPT
TO, DATA (dot-unstuffed, ended by CRLF.CRLF), RSET, NOOP, QUIT. It does
not offer STARTTLS. Each accepted message is written as DIR/NNN.eml, the
bytes as received after dot-unstuffing, with DIR/NNN.json beside it:
{"mail_from", "rcpt_to", "auth_user", "authenticated"} (never the
password). Each session's commands go to DIR/sessions.log, with AUTH
arguments left out.

With --user U and the password in the environment variable named by
--password-env, MAIL is refused (530) until the client authenticated, and
wrong credentials get 535. Faults, from --control FILE (re-read at the
greeting, MAIL and RCPT; one rule):
  tempfail   451 to MAIL FROM (a transient error: a client may retry)
  tempfail N 451 to MAIL FROM for the next N sessions (the file is
             rewritten to "tempfail N-1" each time), then normal
  reject     550 to RCPT TO (permanent)
  hangup     close the connection after the greeting

Python 3 standard library only.
"""

import argparse
import base64
import json
import os
import socketserver
import sys
import threading

LOCK = threading.Lock()
STATE = {"msgs": 0, "sessions": 0}


def control_word(path):
    if not path:
        return ""
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().strip()
    except OSError:
        return ""


def take_tempfail(path):
    """'tempfail N' (N > 0): fail this time and leave 'tempfail N-1'."""
    parts = control_word(path).split()
    if len(parts) != 2 or parts[0] != "tempfail" or not parts[1].isdigit():
        return False
    left = int(parts[1])
    if left <= 0:
        return False
    with LOCK, open(path, "w", encoding="utf-8") as f:
        f.write("tempfail %d\n" % (left - 1))
    return True


def envelope(arg):
    """The address of 'FROM:<a@b> SIZE=123' without its parameters."""
    addr = arg.split(":", 1)[1].strip() if ":" in arg else ""
    return addr.split(" ", 1)[0]


class Handler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode("ascii") + b"\r\n")
        self.wfile.flush()

    def readline(self):
        line = self.rfile.readline(65536)
        if not line:
            return None
        return line.rstrip(b"\r\n")

    def log(self, text):
        with LOCK, open(os.path.join(self.server.opts.dir, "sessions.log"), "a",
                        encoding="utf-8") as f:
            f.write(text + "\n")

    def check_plain(self, b64):
        try:
            parts = base64.b64decode(b64).split(b"\0")
        except ValueError:
            return False, ""
        if len(parts) != 3:
            return False, ""
        user = parts[1].decode("utf-8", "replace")
        return self.creds_ok(parts[1], parts[2]), user

    def creds_ok(self, user, password):
        o = self.server.opts
        want = os.environ.get(o.password_env or "", "")
        return user.decode("utf-8", "replace") == (o.user or "") and \
            password.decode("utf-8", "replace") == want

    def handle(self):
        o = self.server.opts
        with LOCK:
            STATE["sessions"] += 1
            session = STATE["sessions"]
        word = control_word(o.control)
        self.reply("220 sink.test ESMTP smtp_sink")
        if word == "hangup":
            return
        mail_from, rcpts, user, authed = None, [], "", False
        while True:
            line = self.readline()
            if line is None:
                return
            text = line.decode("utf-8", "replace")
            verb = text.split(" ", 1)[0].upper()
            self.log("%d %s" % (session, verb if verb == "AUTH" else text))
            arg = text[len(verb):].strip()
            if verb in ("EHLO", "HELO"):
                if verb == "EHLO":
                    self.reply("250-sink.test")
                    self.reply("250-8BITMIME")
                    self.reply("250-SIZE 52428800")
                    self.reply("250 AUTH PLAIN LOGIN")
                else:
                    self.reply("250 sink.test")
            elif verb == "AUTH":
                mech, _, rest = arg.partition(" ")
                mech = mech.upper()
                if mech == "PLAIN":
                    if not rest:
                        self.reply("334 ")
                        rest = (self.readline() or b"").decode("ascii", "replace")
                    ok, u = self.check_plain(rest.strip())
                elif mech == "LOGIN":
                    if rest:
                        u_raw = base64.b64decode(rest.strip())
                    else:
                        self.reply("334 VXNlcm5hbWU6")
                        u_raw = base64.b64decode(self.readline() or b"")
                    self.reply("334 UGFzc3dvcmQ6")
                    p_raw = base64.b64decode(self.readline() or b"")
                    ok, u = self.creds_ok(u_raw, p_raw), u_raw.decode("utf-8", "replace")
                else:
                    self.reply("504 unknown mechanism")
                    continue
                if ok:
                    user, authed = u, True
                    self.reply("235 2.7.0 authenticated")
                else:
                    self.reply("535 5.7.8 authentication failed")
            elif verb == "MAIL":
                if o.user and not authed:
                    self.reply("530 5.7.0 authentication required")
                    continue
                word = control_word(o.control)
                if word == "tempfail" or take_tempfail(o.control):
                    self.reply("451 4.3.0 try again later")
                    continue
                mail_from, rcpts = envelope(arg), []
                self.reply("250 ok")
            elif verb == "RCPT":
                if mail_from is None:
                    self.reply("503 MAIL first")
                    continue
                if control_word(o.control) == "reject":
                    self.reply("550 5.1.1 no such user")
                    continue
                rcpts.append(envelope(arg))
                self.reply("250 ok")
            elif verb == "DATA":
                if not rcpts:
                    self.reply("503 RCPT first")
                    continue
                self.reply("354 end with <CRLF>.<CRLF>")
                data = bytearray()
                while True:
                    raw = self.rfile.readline(1 << 20)
                    if not raw:
                        return
                    if raw in (b".\r\n", b".\n"):
                        break
                    if raw.startswith(b"."):
                        raw = raw[1:]
                    data += raw
                with LOCK:
                    STATE["msgs"] += 1
                    n = STATE["msgs"]
                base = os.path.join(o.dir, "%03d" % n)
                with open(base + ".eml", "wb") as f:
                    f.write(bytes(data))
                with open(base + ".json", "w", encoding="utf-8") as f:
                    json.dump({"mail_from": mail_from, "rcpt_to": rcpts,
                               "auth_user": user, "authenticated": authed}, f,
                              sort_keys=True)
                mail_from, rcpts = None, []
                self.reply("250 ok: queued as %03d" % n)
            elif verb == "RSET":
                mail_from, rcpts = None, []
                self.reply("250 ok")
            elif verb == "NOOP":
                self.reply("250 ok")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 command not implemented")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--dir", required=True, help="where messages are written")
    ap.add_argument("--user", help="require AUTH as this user")
    ap.add_argument("--password-env", help="variable holding the password")
    ap.add_argument("--control", help="fault word file, re-read per session")
    opts = ap.parse_args()
    os.makedirs(opts.dir, exist_ok=True)
    srv = Server(("127.0.0.1", opts.port), Handler)
    srv.opts = opts
    print(srv.server_address[1], flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
