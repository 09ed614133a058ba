#!/usr/bin/env python3
"""fake_s3.py - a tiny S3-compatible server on 127.0.0.1 for
tests/cli/sources.sh: path-style ListObjectsV2 (paged: --max-keys, 2 by
default) and GetObject with ETag (MD5 of the body), over the folders of
--root (each folder a bucket).

Every request must carry an AWS Signature V4 Authorization header for
one of the --key ACCESS:SECRET[:SESSION_TOKEN] credentials: the shape is
checked (credential scope AKID/DATE/REGION/s3/aws4_request, the signed
headers include host, x-amz-content-sha256 and x-amz-date, and
x-amz-security-token when the key has a token), then the signature is
recomputed from the request (canonical request of the SigV4 spec) and
compared. A request that fails gets 403 SignatureDoesNotMatch.

Prints the port on its first output line; logs one line per request to
--log: "LIST bucket prefix", "GET bucket/key" or "DENY why".
"""
import argparse
import base64
import hashlib
import hmac
import http.server
import os
import socketserver
import sys
import urllib.parse
from xml.sax.saxutils import escape

EMPTY_SHA = hashlib.sha256(b"").hexdigest()


def enc(s, keep_slash):
    safe = "-_.~" + ("/" if keep_slash else "")
    return urllib.parse.quote(s, safe=safe)


def sign_key(secret, date, region):
    k = hmac.new(("AWS4" + secret).encode(), date.encode(), hashlib.sha256).digest()
    for part in (region, "s3", "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    return k


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def log(self, line):
        with open(self.server.log, "a") as f:
            f.write(line + "\n")

    def reply(self, code, body, ctype="application/xml", extra=None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def deny(self, why):
        self.log("DENY " + why)
        body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
                "SignatureDoesNotMatch</Code><Message>%s</Message></Error>"
                % escape(why)).encode()
        self.reply(403, body)

    def check_auth(self, raw_path, raw_query):
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("AWS4-HMAC-SHA256 "):
            return "no AWS4-HMAC-SHA256 Authorization"
        fields = {}
        for part in auth[len("AWS4-HMAC-SHA256 "):].split(","):
            k, _, v = part.strip().partition("=")
            fields[k] = v
        cred = fields.get("Credential", "").split("/")
        if len(cred) != 5 or cred[3] != "s3" or cred[4] != "aws4_request":
            return "bad credential scope"
        akid, date, region = cred[0], cred[1], cred[2]
        if akid not in self.server.keys:
            return "unknown access key"
        if region not in self.server.regions:
            return "region %s not served" % region
        secret, token = self.server.keys[akid]
        signed = fields.get("SignedHeaders", "").split(";")
        for h in ("host", "x-amz-content-sha256", "x-amz-date"):
            if h not in signed:
                return "%s not signed" % h
        amzdate = self.headers.get("x-amz-date", "")
        if not amzdate.startswith(date):
            return "x-amz-date does not match the scope date"
        if token is not None:
            if "x-amz-security-token" not in signed:
                return "x-amz-security-token not signed"
            if self.headers.get("x-amz-security-token") != token:
                return "wrong session token"
        payload = self.headers.get("x-amz-content-sha256", "")
        if payload not in (EMPTY_SHA, "UNSIGNED-PAYLOAD"):
            return "unexpected payload hash"
        q = []
        if raw_query:
            for item in raw_query.split("&"):
                k, _, v = item.partition("=")
                q.append((enc(urllib.parse.unquote(k), False),
                          enc(urllib.parse.unquote(v), False)))
        q.sort()
        canon_q = "&".join("%s=%s" % kv for kv in q)
        canon_h = ""
        for h in signed:
            v = self.headers.get(h)
            if v is None:
                return "signed header %s missing" % h
            canon_h += "%s:%s\n" % (h, " ".join(v.strip().split()))
        creq = "\n".join(["GET", raw_path, canon_q, canon_h, ";".join(signed), payload])
        sts = "\n".join(["AWS4-HMAC-SHA256", amzdate,
                         "%s/%s/s3/aws4_request" % (date, region),
                         hashlib.sha256(creq.encode()).hexdigest()])
        want = hmac.new(sign_key(secret, date, region), sts.encode(),
                        hashlib.sha256).hexdigest()
        if not hmac.compare_digest(want, fields.get("Signature", "")):
            return "signature does not match"
        return None

    def do_GET(self):
        raw_path, _, raw_query = self.path.partition("?")
        why = self.check_auth(raw_path, raw_query)
        if why:
            self.deny(why)
            return
        path = urllib.parse.unquote(raw_path)
        bucket, _, key = path.lstrip("/").partition("/")
        broot = os.path.join(self.server.root, bucket)
        if not bucket or "/" in bucket or bucket in (".", "..") or not os.path.isdir(broot):
            self.reply(404, b"<Error><Code>NoSuchBucket</Code></Error>")
            return
        params = dict(urllib.parse.parse_qsl(raw_query, keep_blank_values=True))
        if not key and params.get("list-type") == "2":
            self.list(bucket, broot, params)
            return
        if ".." in key.split("/"):
            self.reply(404, b"<Error><Code>NoSuchKey</Code></Error>")
            return
        full = os.path.join(broot, key)
        if not os.path.isfile(full):
            self.reply(404, b"<Error><Code>NoSuchKey</Code></Error>")
            return
        self.log("GET %s/%s" % (bucket, key))
        with open(full, "rb") as f:
            data = f.read()
        self.reply(200, data, "application/octet-stream",
                   {"ETag": '"%s"' % hashlib.md5(data).hexdigest()})

    def list(self, bucket, broot, params):
        prefix = params.get("prefix", "")
        self.log("LIST %s %s" % (bucket, prefix))
        keys = []
        for d, _, files in os.walk(broot):
            for name in files:
                rel = os.path.relpath(os.path.join(d, name), broot).replace(os.sep, "/")
                if rel.startswith(prefix):
                    keys.append(rel)
        keys.extend(k for k in self.server.extra_keys if k.startswith(prefix))
        keys.sort(key=lambda k: k.encode())
        start = params.get("continuation-token")
        if start:
            after = base64.urlsafe_b64decode(start.encode()).decode()
            keys = [k for k in keys if k.encode() > after.encode()]
        page = keys[: self.server.max_keys]
        truncated = len(keys) > len(page)
        out = ['<?xml version="1.0" encoding="UTF-8"?>',
               '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
               "<Name>%s</Name><Prefix>%s</Prefix><KeyCount>%d</KeyCount>"
               "<MaxKeys>%d</MaxKeys>" % (escape(bucket), escape(prefix), len(page),
                                         self.server.max_keys)]
        for k in page:
            full = os.path.join(broot, k)
            if os.path.isfile(full):
                with open(full, "rb") as f:
                    data = f.read()
            else:
                data = b""
            out.append("<Contents><Key>%s</Key><LastModified>2026-11-02T00:00:00.000Z"
                       "</LastModified><ETag>&quot;%s&quot;</ETag><Size>%d</Size>"
                       "<StorageClass>STANDARD</StorageClass></Contents>"
                       % (escape(k), hashlib.md5(data).hexdigest(), len(data)))
        out.append("<IsTruncated>%s</IsTruncated>" % ("true" if truncated else "false"))
        if truncated:
            tok = base64.urlsafe_b64encode(page[-1].encode()).decode()
            out.append("<NextContinuationToken>%s</NextContinuationToken>" % escape(tok))
        out.append("</ListBucketResult>")
        self.reply(200, "".join(out).encode())


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--key", action="append", default=[],
                    help="ACCESS:SECRET[:SESSION_TOKEN]")
    ap.add_argument("--region", action="append", default=[],
                    help="a region the server answers for (default us-east-1)")
    ap.add_argument("--max-keys", type=int, default=2)
    ap.add_argument("--extra-key", action="append", default=[],
                    help="a listed key with no file (e.g. a/../b.csv)")
    a = ap.parse_args()
    srv = Server(("127.0.0.1", 0), Handler)
    srv.root = a.root
    srv.log = a.log
    srv.regions = a.region or ["us-east-1"]
    srv.max_keys = a.max_keys
    srv.extra_keys = a.extra_key
    srv.keys = {}
    for k in a.key:
        parts = k.split(":", 2)
        srv.keys[parts[0]] = (parts[1], parts[2] if len(parts) > 2 else None)
    print(srv.server_address[1], flush=True)
    sys.stdout.close()
    srv.serve_forever()


if __name__ == "__main__":
    main()
