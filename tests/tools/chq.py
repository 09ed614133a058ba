#!/usr/bin/env python3
"""chq.py PORT SQL - run one statement on the test ClickHouse server at
127.0.0.1:PORT (user default, password $CT_CH_PASSWORD) and print its
answer; exit 1 with the server's message on an error. `chq.py PORT ping`
exits 0 when the server answers /ping."""
import os
import sys
import urllib.error
import urllib.request

port, sql = sys.argv[1], sys.argv[2]
if sql == "ping":
    try:
        urllib.request.urlopen("http://127.0.0.1:%s/ping" % port, timeout=2).read()
        sys.exit(0)
    except Exception:
        sys.exit(1)
req = urllib.request.Request("http://127.0.0.1:%s/" % port, data=sql.encode(),
                             headers={"X-ClickHouse-User": "default",
                                      "X-ClickHouse-Key": os.environ.get("CT_CH_PASSWORD", "")})
try:
    sys.stdout.write(urllib.request.urlopen(req, timeout=120).read().decode())
except urllib.error.HTTPError as e:
    sys.stderr.write(e.read().decode())
    sys.exit(1)
