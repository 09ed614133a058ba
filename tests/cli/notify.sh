#!/bin/sh
# notify.sh - `cloudtally notify slack|webhook|email` against receivers on
# 127.0.0.1 (tests/tools/receiver.py for Slack and webhooks,
# tests/tools/smtp_sink.py for SMTP, a fake sendmail): the exact messages
# (Slack blocks whose figures are the report JSON's as money, a webhook
# body byte-identical to `report --format json` with a signature that
# Python's hmac verifies, a MIME mail that Python's email module parses,
# whose HTML attachment is `report --format html` byte for byte),
# delivery once per month and destination unless --force, retries,
# failures (exit 5 naming the endpoint, nothing recorded), usage errors,
# and that no secret shows in any output or in the store.
. "$CT_SRCDIR/tests/cli/lib.sh"
if ! command -v python3 >/dev/null 2>&1; then
	echo "# python3 is needed: skipping"
	echo "0 passed, 0 failed"
	exit 77
fi

DB="$TMP/demo/demo.db"
CONF="$TMP/demo/cloudtally.conf"
CLOUDTALLY_NOW=2026-11-03T06:00:00Z
CLOUDTALLY_HTTP_BACKOFF_MS=10
XDG_CONFIG_HOME="$TMP/xdg" # no default config: budgets only with --config
export CLOUDTALLY_NOW CLOUDTALLY_HTTP_BACKOFF_MS XDG_CONFIG_HOME
if ! "$CT" --db "$DB" demo --out "$TMP/demo" >"$TMP/demo.out" 2>&1; then
	not_ok "cloudtally demo builds the store"
	cat "$TMP/demo.out"
	finish
	exit 1
fi

# Secrets: each must never show in stdout, stderr or the store.
SLACK_TOKEN="slackS3cretT0kenXq"
HOOK_PW="hookPassw0rdQz"
HOOK_QTOK="queryT0kenVw"
HOOK_SECRET_VALUE='hmac S3cret K3y!'
SMTP_PW='smtpPassw0rd#9'
HOOK_SECRET=$HOOK_SECRET_VALUE
export HOOK_SECRET

# The receivers: port on the first line of their output.
CTL="$TMP/control"
SCTL="$TMP/smtp-control"
: >"$CTL"
: >"$SCTL"
python3 "$TOOLS/receiver.py" --log "$TMP/requests" --control "$CTL" --slow-seconds 4 \
	>"$TMP/port" 2>"$TMP/receiver.err" &
HTTP_PID=$!
SINK_PW=$SMTP_PW python3 "$TOOLS/smtp_sink.py" --dir "$TMP/mail" --user mailer \
	--password-env SINK_PW --control "$SCTL" >"$TMP/sport" 2>"$TMP/sink.err" &
SMTP_PID=$!
trap 'kill "$HTTP_PID" "$SMTP_PID" 2>/dev/null; rm -rf "$TMP"' EXIT
i=0
while { [ ! -s "$TMP/port" ] || [ ! -s "$TMP/sport" ]; } && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
PORT=$(head -n 1 "$TMP/port")
SPORT=$(head -n 1 "$TMP/sport")
if [ -z "$PORT" ] || [ -z "$SPORT" ]; then
	not_ok "the receivers did not start"
	cat "$TMP/receiver.err" "$TMP/sink.err"
	finish
	exit 1
fi
BASE="http://127.0.0.1:$PORT"
: >"$TMP/requests"
: >"$TMP/all"

# run EXIT "what" ARGS... : `cloudtally --db DB notify ARGS`, outputs kept
run() {
	r_exit=$1 r_what=$2
	shift 2
	expect_exit "$r_exit" "$r_what" "$CT" --db "$DB" notify "$@"
	cat "$TMP/out" "$TMP/err" >>"$TMP/all"
}
nreq() { wc -l <"$TMP/requests" | tr -d ' '; }
rows() { sqlite3 "$DB" "SELECT count(*) FROM delivery WHERE channel = '$1'"; }

# The oracle: the figures of the report JSON as the summary must show them.
cat >"$TMP/oracle.py" <<'EOF'
import base64, decimal, email, email.policy, hashlib, hmac, io, json, re, sys, zipfile

D = decimal.Decimal

def nanos(x):
    return int(D(str(x)) * 10**9)

def money(n):  # nano-dollars as ct_render_money() writes USD
    q = (D(n) / 10**9).quantize(D("0.01"), rounding=decimal.ROUND_HALF_UP)
    s = "{:,.2f}".format(abs(q))
    return ("-$" if q < 0 else "$") + s

def pct(cur, prev):
    if prev == 0:
        return "n/a"
    s = "%+.1f%%" % ((float(cur) - float(prev)) / abs(float(prev)) * 100.0)
    return s[1:] if re.fullmatch(r"[+-]0\.0%", s) else s

def delta(cur, prev):
    d = cur - prev
    return ("+" if d >= 5000000 else "") + money(d)

def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

def requests(path):
    return [json.loads(l) for l in open(path, encoding="utf-8")]

def body(req):
    return base64.b64decode(req["body_b64"])

def fail(msg):
    print("oracle: " + msg)
    sys.exit(1)

def expect(got, want, what):
    if got != want:
        fail("%s: got %r, want %r" % (what, got, want))

def slack_expected(rep, link):
    """The Slack document the report JSON calls for."""
    month, prev = rep["month"], None
    total = nanos(rep["total_billed_cost"])
    blocks = [{"type": "header", "text": {"type": "plain_text", "text": "Cloud costs " + month}}]
    if rep["complete"]:
        period = "Month complete"
    else:
        days = len([d for d in rep["daily"]])
        period = None  # checked loosely below
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": period}]})
    fields = [{"type": "mrkdwn", "text": "*Total billed*\n" + money(total)}]
    text = "Cloud costs %s: %s billed" % (month, money(total))
    if rep["previous_total_billed_cost"] is not None:
        p = nanos(rep["previous_total_billed_cost"])
        prev_month = rep["history"][-2]["month"]
        fields.append({"type": "mrkdwn", "text": "*Change vs %s*\n%s (%s)" % (
            prev_month, delta(total, p), pct(total, p))})
        text += ", %s vs %s" % (pct(total, p), prev_month)
    if rep["forecast_billed_cost"] is not None:
        f = money(nanos(rep["forecast_billed_cost"]))
        fields.append({"type": "mrkdwn", "text": "*Forecast for the month*\n" + f})
        text += ", forecast " + f
    blocks.append({"type": "section", "fields": fields})
    movers = rep["top_movers"][:3]
    if movers:
        lines = ["*Top movers*"]
        for m in movers:
            b = nanos(m["billed_cost"])
            if m["previous_billed_cost"] is None:
                lines.append("• %s: %s (no previous month)" % (esc(m["name"]), money(b)))
            else:
                pb = nanos(m["previous_billed_cost"])
                lines.append("• %s: %s (%s) to %s" % (esc(m["name"]), delta(b, pb), pct(b, pb), money(b)))
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}})
    bs = rep.get("budgets")
    if bs and bs["budgets"]:
        rows = bs["budgets"]
        now = [r for r in rows if r["status"] == "critical"]
        later = [r for r in rows if r["status"] != "critical" and not bs["complete"]
                 and r["forecast_status"] == "critical"]
        if now or later:
            lines = ["*Budgets* (%d breached, %d forecast to breach, of %d)" % (
                bs["critical"], 0 if bs["complete"] else bs["forecast_critical"], len(rows))]
            for r in now:
                lines.append("• :red_circle: *Breached:* %s: %s of %s (%.1f%%)" % (
                    esc(r["name"]), money(nanos(r["spend"])), money(nanos(r["amount"])), r["percent_used"]))
            for r in later:
                lines.append("• :large_orange_circle: *Forecast to breach:* %s: forecast %s of %s (%.1f%%)" % (
                    esc(r["name"]), money(nanos(r["forecast"])), money(nanos(r["amount"])),
                    r["forecast_percent_used"]))
        else:
            lines = ["*Budgets*", "All budgets are within their critical levels"
                     if len(rows) > 1 else "The budget is within its critical level"]
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}})
    if rep["anomalies"]:
        lines = ["*Anomalous days*"]
        for a in rep["anomalies"][:5]:
            s = "%+.1f sd" % a["sigmas"]
            lines.append("• %s: %s, expected %s (%s)" % (a["date"], money(nanos(a["billed_cost"])),
                                                         money(nanos(a["expected"])), s))
        if len(rep["anomalies"]) > 5:
            lines.append("• and %d more" % (len(rep["anomalies"]) - 5))
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}})
    return text, blocks, link

def check_slack(req, rep, link):
    doc = json.loads(body(req))
    expect(req["method"], "POST", "method")
    expect(req["headers"].get("content-type"), "application/json", "content type")
    text, want, link = slack_expected(rep, link)
    expect(doc["text"], text, "fallback text")
    blocks = doc["blocks"]
    for i, w in enumerate(want):
        if w["type"] == "context" and w["elements"][0]["text"] is None:
            if not re.fullmatch(r"Month open: data for \d+ of \d+ days", blocks[i]["elements"][0]["text"]):
                fail("open month context: %r" % blocks[i])
            continue
        expect(blocks[i], w, "block %d" % i)
    rest = blocks[len(want):]
    # savings: the three largest of the findings and best commitments
    rec = rep["recommendations"]
    cands = [(nanos(f["estimated_monthly_savings"]), "%s (" % f["resource_id"]) for f in rec["findings"]
             if nanos(f["estimated_monthly_savings"]) > 0]
    cands += [(nanos(c["estimated_monthly_savings"]), "%s %s:" % (c["instance_type"], c["region"]))
              for c in rec["commitments"] if c["best"] and nanos(c["estimated_monthly_savings"]) > 0]
    if cands:
        sav = rest.pop(0)["text"]["text"].split("\n")
        expect(sav[0], "*Top savings* (up to %s a month in all)" % money(nanos(rec["total_estimated_monthly_savings"])),
               "savings title")
        amounts = sorted((a for a, _ in cands), reverse=True)[:3]
        expect(len(sav) - 1, len(amounts), "savings listed")
        for line, a in zip(sav[1:], amounts):
            if not line.endswith(", %s a month" % money(a)):
                fail("saving %r is not %s" % (line, money(a)))
            if not any(amt == a and line[2:].startswith(lbl) for amt, lbl in cands):
                fail("saving %r matches no finding or commitment" % line)
    if link:
        ctx = rest.pop(0)
        expect(ctx, {"type": "context", "elements": [{"type": "mrkdwn", "text": link}]}, "link")
    expect(rest, [], "blocks after the last")

def check_mail(raw, html, crlf, subject, rcpts, total):
    if crlf:
        if re.search(rb"(?<!\r)\n", raw) or re.search(rb"\r(?!\n)", raw):
            fail("a line does not end in CRLF")
    elif b"\r" in raw:
        fail("a CR in the message for sendmail")
    for line in raw.splitlines():
        if len(line) > 998:
            fail("a line longer than 998 bytes")
    m = email.message_from_bytes(raw, policy=email.policy.default)
    expect(m.defects, [], "message defects")
    expect(str(m["Subject"]), subject, "subject")
    if any(ord(c) > 127 for c in subject):
        hdr = re.search(rb"^Subject: (.*(?:\r?\n .*)*)", raw, re.M).group(1)
        if not hdr.startswith(b"=?UTF-8?B?"):
            fail("non-ASCII subject not RFC 2047 encoded: %r" % hdr)
    expect(sorted(a.addr_spec for a in m["To"].addresses), sorted(rcpts), "To")
    expect(str(m["Date"]), "Tue, 03 Nov 2026 06:00:00 +0000", "Date")
    if not re.fullmatch(r"<\d{14}\.[0-9a-f]{16}@[A-Za-z0-9.-]+>", str(m["Message-ID"])):
        fail("Message-ID %r" % str(m["Message-ID"]))
    expect(str(m["MIME-Version"]), "1.0", "MIME-Version")
    expect(m.get_content_type(), "multipart/mixed", "content type")
    parts = list(m.iter_parts())
    expect([p.get_content_type() for p in parts],
           ["text/plain", "text/html",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"], "parts")
    expect(parts[0].get_content_charset(), "utf-8", "text charset")
    text = parts[0].get_content()
    if "Total billed: %s\n" % money(total) not in text.replace("\r\n", "\n"):
        fail("the text does not say the total %s" % money(total))
    expect(parts[1].get_filename(), "cloudtally-2026-10.html", "html name")
    expect(parts[1].get_payload(decode=True), html, "html attachment")
    expect(parts[2].get_filename(), "cloudtally-2026-10.xlsx", "xlsx name")
    z = zipfile.ZipFile(io.BytesIO(parts[2].get_payload(decode=True)))
    if "xl/workbook.xml" not in z.namelist():
        fail("the workbook has no xl/workbook.xml")
    for p in parts[1:]:
        expect(p["Content-Transfer-Encoding"], "base64", "attachment encoding")
        expect(p.get_content_disposition(), "attachment", "disposition")
        for line in p.get_payload().splitlines():
            if len(line) > 76:
                fail("a base64 line of %d characters" % len(line))

cmd = sys.argv[1]
if cmd == "slack":  # slack REQUESTS N REPORT.json [LINK]
    reqs = requests(sys.argv[2])
    check_slack(reqs[int(sys.argv[3]) - 1], json.load(open(sys.argv[4])),
                sys.argv[5] if len(sys.argv) > 5 else None)
elif cmd == "webhook":  # webhook REQUESTS N REPORT.json SECRET|- MONTH
    req = requests(sys.argv[2])[int(sys.argv[3]) - 1]
    b = body(req)
    expect(b, open(sys.argv[4], "rb").read(), "body (the report JSON)")
    h = req["headers"]
    expect(h.get("content-type"), "application/json", "content type")
    expect(h.get("x-cloudtally-month"), sys.argv[6], "X-Cloudtally-Month")
    if not re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
                        h.get("x-cloudtally-delivery", "")):
        fail("delivery id %r" % h.get("x-cloudtally-delivery"))
    if sys.argv[5] == "-":
        expect(h.get("x-cloudtally-signature"), None, "no signature")
    else:
        want = "sha256=" + hmac.new(sys.argv[5].encode(), b, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(h.get("x-cloudtally-signature", ""), want):
            fail("signature %r, want %r" % (h.get("x-cloudtally-signature"), want))
elif cmd == "same":  # same REQUESTS N M: retries carry the same delivery
    reqs = requests(sys.argv[2])[int(sys.argv[3]) - 1:int(sys.argv[4])]
    expect(len({r["headers"]["x-cloudtally-delivery"] for r in reqs}), 1, "delivery ids")
    expect(len({r["body_b64"] for r in reqs}), 1, "bodies")
elif cmd == "mail":  # mail FILE HTML crlf|lf SUBJECT REPORT.json RCPT...
    rep = json.load(open(sys.argv[6]))
    check_mail(open(sys.argv[2], "rb").read(), open(sys.argv[3], "rb").read(),
               sys.argv[4] == "crlf", sys.argv[5], sys.argv[7:], nanos(rep["total_billed_cost"]))
elif cmd == "partial":  # partial FOCUS.csv OUT.csv: days 1-10 of October as November
    import csv, gzip
    with gzip.open(sys.argv[2], "rt", newline="") as f, open(sys.argv[3], "w", newline="") as o:
        r = csv.reader(f)
        w = csv.writer(o)
        head = next(r)
        w.writerow(head)
        cps = head.index("ChargePeriodStart")
        for row in r:
            if int(row[cps][8:10]) > 10:
                continue
            row = [c.replace("2026-11-01T", "2026-12-01T").replace("2026-10-", "2026-11-")
                   for c in row]
            w.writerow(row)
else:
    fail("unknown command " + cmd)
EOF
oracle() { python3 "$TMP/oracle.py" "$@"; }

month_json() { # month_json OUT [ARGS]: the report JSON as `report` writes it
	o=$1
	shift
	"$CT" --db "$DB" report --format json "$@" >"$o"
}
month_json "$TMP/rep-conf.json" --config "$CONF"
month_json "$TMP/rep.json"
"$CT" --db "$DB" report --format html --config "$CONF" >"$TMP/rep-conf.html"
"$CT" --db "$DB" report --format html >"$TMP/rep.html"

# ---- usage errors (exit 2, nothing sent) ----------------------------------
run 2 "no channel"
run 2 "unknown channel" sms
run 2 "slack without --webhook-env" slack
run 2 "slack with an unset variable" slack --webhook-env CT_NOT_SET_ANYWHERE
check "the error names the variable" contains "$TMP/err" 'CT_NOT_SET_ANYWHERE is not set'
NOT_A_URL="ftp://files.example/$SLACK_TOKEN"
export NOT_A_URL
run 2 "slack webhook that is not http(s)" slack --webhook-env NOT_A_URL
check "... named by its variable" contains "$TMP/err" 'the Slack webhook in \$NOT_A_URL'
PLAIN_HTTP="http://hooks.example.com/services/$SLACK_TOKEN"
export PLAIN_HTTP
run 2 "slack webhook over plain http to another host" slack --webhook-env PLAIN_HTTP
# curl reads the host of this one as hooks.example.com, not 127.0.0.1
PLAIN_HTTP="http://hooks.example.com?@127.0.0.1/services/$SLACK_TOKEN"
run 2 "slack webhook over plain http hiding its host behind ?@" slack --webhook-env PLAIN_HTTP
run 2 "webhook --url with a password over plain http to another host" webhook \
	--url "http://u:$HOOK_PW@hooks.example.com/x"
run 2 "--to is not a slack option" slack --webhook-env NOT_A_URL --to a@example.com
run 2 "--report-url with < >" slack --webhook-env NOT_A_URL --report-url 'https://x/<y>'
run 2 "--report-url and --attach together" slack --webhook-env NOT_A_URL \
	--report-url https://x/ --attach "$CONF"
run 2 "webhook without --url" webhook
run 2 "webhook --url not http(s)" webhook --url "file:///etc/passwd"
run 2 "webhook --url with a raw # in its password" webhook \
	--url "http://u:$SMTP_PW@127.0.0.1:$PORT/ok/h"
run 2 "webhook --secret-env unset" webhook --url "$BASE/ok/h" --secret-env CT_NOT_SET_ANYWHERE
run 2 "email without --to" email
run 2 "email --to not an address" email --to 'a@example.com, b@example.com'
run 2 "email --to with a header break" email --to "$(printf 'a@example.com\nBcc: x@example.com')"
run 2 "email --smtp and --sendmail" email --to a@example.com --smtp smtp://127.0.0.1 \
	--sendmail /bin/true
run 2 "email --smtp with a password in it" email --to a@example.com \
	--smtp "smtp://mailer:$SMTP_PW@127.0.0.1:$SPORT"
run 2 "email --smtp not smtp" email --to a@example.com --smtp http://127.0.0.1/
run 2 "bad --month" slack --webhook-env NOT_A_URL --month 2026-13
run 2 "bad --timeout" webhook --url "$BASE/ok/h" --timeout 0
run 2 "a --from with a quote in the name" email --to a@example.com \
	--from 'x"y <a@example.com>' --sendmail /bin/true
run 2 "a --subject with a line break" email --to a@example.com \
	--subject "$(printf 'x\nBcc: y@example.com')" --sendmail /bin/true
check "nothing was sent" test "$(nreq)" -eq 0
check "nothing was recorded" test "$(sqlite3 "$DB" 'SELECT count(*) FROM delivery')" -eq 0

# ---- slack ------------------------------------------------------------------
SLACK_URL="$BASE/ok/T0CLOUD/B0TALLY/$SLACK_TOKEN"
export SLACK_URL
run 0 "slack: the month's summary" slack --webhook-env SLACK_URL --config "$CONF" \
	--report-url 'https://reports.example.com/2026-10.html?a=1&b=2'
check "... says where it went, by variable" \
	grep -qx 'notify slack: 2026-10 delivered to the Slack webhook in \$SLACK_URL' "$TMP/out"
check "... one POST" test "$(nreq)" -eq 1
check "... to the webhook's path" python3 -c '
import json, sys
r = json.loads(open(sys.argv[1]).readline())
sys.exit(r["path"] != "/ok/T0CLOUD/B0TALLY/" + sys.argv[2])' "$TMP/requests" "$SLACK_TOKEN"
check "... blocks and figures are the report JSON's" oracle slack "$TMP/requests" 1 \
	"$TMP/rep-conf.json" \
	'<https://reports.example.com/2026-10.html?a=1&amp;b=2|Full report>'
check "... the breached budget is there" python3 -c '
import base64, json, sys
r = json.loads(open(sys.argv[1]).readline())
sys.exit(":red_circle: *Breached:* EC2: $6,885.73 of $6,500.00 (105.9%)" not in base64.b64decode(r["body_b64"]).decode())' "$TMP/requests"
check "... recorded once" test "$(rows slack)" -eq 1
run 0 "slack: the same month again" slack --webhook-env SLACK_URL --config "$CONF"
check "... says it was delivered before" \
	grep -qx 'notify slack: 2026-10 already delivered on 2026-11-03T06:00:00Z to the Slack webhook in \$SLACK_URL; --force sends it again' "$TMP/out"
check "... and sends nothing" test "$(nreq)" -eq 1
run 0 "slack: --force sends again" slack --webhook-env SLACK_URL --config "$CONF" --force \
	--attach "$TMP/demo/report-2026-10.html"
check "... one more POST" test "$(nreq)" -eq 2
check "... with the attachment path" oracle slack "$TMP/requests" 2 "$TMP/rep-conf.json" \
	"Full report: $TMP/demo/report-2026-10.html"
check "... counted in the record" test \
	"$(sqlite3 "$DB" "SELECT attempts || ' ' || sent_at || ' ' || month FROM delivery WHERE channel = 'slack'")" \
	= "2 2026-11-03T06:00:00Z 2026-10"
run 6 "slack: --attach of a missing file" slack --webhook-env SLACK_URL --force \
	--attach "$TMP/no-such-report.html"
SLACK_DOWN="$BASE/down/T0CLOUD/B0DOWN/$SLACK_TOKEN"
export SLACK_DOWN
before=$(nreq)
run 5 "slack: a webhook that always fails" slack --webhook-env SLACK_DOWN
check "... after 4 attempts" test "$(($(nreq) - before))" -eq 4
check "... the error names the webhook by its variable" grep -qx \
	'cloudtally: error: the Slack webhook in \$SLACK_DOWN: server answered HTTP 500 (gave up after 4 attempts)' "$TMP/err"
check "... nothing recorded" test "$(rows slack)" -eq 1
SLACK_GONE="$BASE/gone/T0CLOUD/B0GONE/$SLACK_TOKEN"
export SLACK_GONE
run 5 "slack: a removed webhook" slack --webhook-env SLACK_GONE
check "... Slack's error code is shown" grep -qx \
	'cloudtally: error: the Slack webhook in \$SLACK_GONE: server answered HTTP 404: no_service' "$TMP/err"
SLACK_FLAKY="$BASE/flaky/T0CLOUD/B0FLAKY/$SLACK_TOKEN"
export SLACK_FLAKY
before=$(nreq)
run 0 "slack: two 500s, then delivered" slack --webhook-env SLACK_FLAKY
check "... in 3 attempts" test "$(($(nreq) - before))" -eq 3
check "... recorded for that webhook" test "$(rows slack)" -eq 2
# a closed port: the connection never opens
SLACK_CLOSED="http://127.0.0.1:1/T0CLOUD/B0CLOSED/$SLACK_TOKEN"
export SLACK_CLOSED
run 5 "slack: nobody listening" slack --webhook-env SLACK_CLOSED
check "... names the webhook, not its URL" contains "$TMP/err" \
	'error: the Slack webhook in \$SLACK_CLOSED: '

# ---- webhook ----------------------------------------------------------------
HOOK="http://hookuser:$HOOK_PW@127.0.0.1:$PORT/ok/hook?token=$HOOK_QTOK"
before=$(nreq)
run 0 "webhook: the report JSON, signed" webhook --url "$HOOK" --secret-env HOOK_SECRET \
	--config "$CONF"
check "... one POST" test "$(($(nreq) - before))" -eq 1
check "... body byte-identical to report --format json, signature verifies" \
	oracle webhook "$TMP/requests" "$(nreq)" "$TMP/rep-conf.json" "$HOOK_SECRET_VALUE" 2026-10
check "... the budget status is in the body" python3 -c '
import json, sys
sys.exit(json.load(open(sys.argv[1]))["budgets"]["critical"] != 1)' "$TMP/rep-conf.json"
check "... the URL's credentials went as Basic auth" python3 -c '
import base64, json, sys
r = [json.loads(l) for l in open(sys.argv[1])][-1]
sys.exit(r["headers"].get("authorization") != "Basic " + base64.b64encode(("hookuser:" + sys.argv[2]).encode()).decode())' \
	"$TMP/requests" "$HOOK_PW"
check "... the URL is shown redacted" grep -q \
	"^notify webhook: 2026-10 delivered to http://\*\*\*@127.0.0.1:$PORT/ok/hook?\.\.\. (HTTP 200, delivery [0-9a-f-]*)\$" \
	"$TMP/out"
run 0 "webhook: the same month again" webhook --url "$HOOK" --secret-env HOOK_SECRET
check "... already delivered" contains "$TMP/out" "already delivered on 2026-11-03T06:00:00Z"
before=$(nreq)
run 0 "webhook: another URL, no secret, no config" webhook --url "$BASE/ok/other"
check "... body is report --format json without budgets" \
	oracle webhook "$TMP/requests" "$(nreq)" "$TMP/rep.json" - 2026-10
before=$(nreq)
run 0 "webhook: two 500s, then delivered" webhook --url "$BASE/flaky/hook" \
	--secret-env HOOK_SECRET --config "$CONF"
check "... in 3 attempts" test "$(($(nreq) - before))" -eq 3
check "... each the same delivery and body" oracle same "$TMP/requests" $((before + 1)) "$(nreq)"
n_hooks=$(rows webhook)
before=$(nreq)
run 5 "webhook: always 500" webhook --url "http://u:$HOOK_PW@127.0.0.1:$PORT/down/hook?token=$HOOK_QTOK" \
	--secret-env HOOK_SECRET
check "... after 4 attempts" test "$(($(nreq) - before))" -eq 4
check "... the error names the endpoint, redacted" grep -qx \
	"cloudtally: error: http://\*\*\*@127.0.0.1:$PORT/down/hook?\.\.\.: server answered HTTP 500 (gave up after 4 attempts)" \
	"$TMP/err"
check "... nothing recorded" test "$(rows webhook)" -eq "$n_hooks"
run 5 "webhook: a server that quotes the headers back" webhook \
	--url "http://u:$HOOK_PW@127.0.0.1:$PORT/echo/hook" --secret-env HOOK_SECRET
before=$(nreq)
run 5 "webhook: a server that does not answer in time" webhook --url "$BASE/slow/hook" \
	--timeout 1
check "... timed out, not sent twice" test "$(($(nreq) - before))" -le 1
check "... says so" contains "$TMP/err" "127.0.0.1:$PORT/slow/hook: timed out"
check "... nothing recorded" test "$(rows webhook)" -eq "$n_hooks"

# ---- email: sendmail ------------------------------------------------------
mkdir -p "$TMP/sent"
cat >"$TMP/fake-sendmail" <<EOF
#!/bin/sh
# a stand-in for sendmail: arguments and message to files
n=\$(ls "$TMP/sent" | grep -c 'eml\$')
n=\$((n + 1))
printf '%s\n' "\$@" >"$TMP/sent/\$n.args"
cat >"$TMP/sent/\$n.eml"
exit \${FAKE_SENDMAIL_EXIT:-0}
EOF
chmod +x "$TMP/fake-sendmail"
SUBJECT='Kosten für Oktober — Bericht der Cloud'
run 0 "email via sendmail" email --to ops@example.com --to Finance@Example.com \
	--from 'FinOps Bot <finops@example.org>' --subject "$SUBJECT" \
	--sendmail "$TMP/fake-sendmail" --config "$CONF"
check "... says to whom" grep -qx \
	"notify email: 2026-10 mailed to Finance@Example.com, ops@example.com through $TMP/fake-sendmail" \
	"$TMP/out"
check "... sendmail -t -oi" test "$(tr '\n' ' ' <"$TMP/sent/1.args")" = "-t -oi "
check "... a MIME mail: headers, text, the HTML report and the workbook" \
	oracle mail "$TMP/sent/1.eml" "$TMP/rep-conf.html" lf "$SUBJECT" "$TMP/rep-conf.json" \
	ops@example.com Finance@Example.com
check "... the sender" grep -q '^From: "FinOps Bot" <finops@example.org>$' "$TMP/sent/1.eml"
run 0 "email: the same recipients again, other order and case" email \
	--to finance@example.com --to OPS@example.com --sendmail "$TMP/fake-sendmail"
check "... already delivered" contains "$TMP/out" "already delivered on 2026-11-03T06:00:00Z"
check "... nothing handed to sendmail" test ! -e "$TMP/sent/2.eml"
FAKE_SENDMAIL_EXIT=75
export FAKE_SENDMAIL_EXIT
run 5 "email: sendmail fails" email --to other@example.com --sendmail "$TMP/fake-sendmail"
unset FAKE_SENDMAIL_EXIT
check "... the error names the program" contains "$TMP/err" \
	"$TMP/fake-sendmail: exited with status 75"
run 6 "email: no sendmail program" email --to other@example.com \
	--sendmail "$TMP/no-such-sendmail"
check "... nothing recorded for them" test "$(rows email)" -eq 1

# ---- email: SMTP ------------------------------------------------------------
CLOUDTALLY_SMTP_USER=mailer
CLOUDTALLY_SMTP_PASSWORD=$SMTP_PW
export CLOUDTALLY_SMTP_USER CLOUDTALLY_SMTP_PASSWORD
run 0 "email via SMTP with a login" email --to ops@example.com --to dev@example.com \
	--smtp "smtp://127.0.0.1:$SPORT"
check "... says through which server" grep -qx \
	"notify email: 2026-10 mailed to dev@example.com, ops@example.com through smtp://127.0.0.1:$SPORT" \
	"$TMP/out"
check "... CRLF line ends, parses, attachments are the reports" \
	oracle mail "$TMP/mail/001.eml" "$TMP/rep.html" crlf \
	"Cloud costs 2026-10: \$9,767.10 billed, +10.1% vs 2026-09" "$TMP/rep.json" \
	ops@example.com dev@example.com
check "... the envelope and the login" python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
sys.exit(not (m["authenticated"] and m["auth_user"] == "mailer" and m["mail_from"].startswith("<cloudtally@")
              and sorted(m["rcpt_to"]) == ["<dev@example.com>", "<ops@example.com>"]))' "$TMP/mail/001.json"
run 0 "email via SMTP: already delivered" email --to dev@example.com --to ops@example.com \
	--smtp "smtp://127.0.0.1:$SPORT"
check "... nothing sent" test ! -e "$TMP/mail/002.eml"
run 0 "email via SMTP: --force" email --to dev@example.com --to ops@example.com \
	--smtp "smtp://127.0.0.1:$SPORT" --force
check "... sent again" test -e "$TMP/mail/002.eml"
echo "tempfail 2" >"$SCTL"
run 0 "email via SMTP: two 451s, then sent" email --to retry@example.com \
	--smtp "smtp://127.0.0.1:$SPORT"
check "... in the third session" test -e "$TMP/mail/003.eml"
echo reject >"$SCTL"
n_mails=$(rows email)
run 5 "email via SMTP: recipient rejected" email --to nobody@example.com \
	--smtp "smtp://127.0.0.1:$SPORT"
check "... the error names the server" contains "$TMP/err" "error: smtp://127.0.0.1:$SPORT: "
: >"$SCTL"
CLOUDTALLY_SMTP_PASSWORD=wrong-password
run 5 "email via SMTP: a wrong password" email --to nobody@example.com \
	--smtp "smtp://127.0.0.1:$SPORT"
check "... says the login was refused" contains "$TMP/err" "error: smtp://127.0.0.1:$SPORT: Login denied"
CLOUDTALLY_SMTP_PASSWORD=$SMTP_PW
CLOUDTALLY_SMTP_USER=
run 5 "email via SMTP: no login where one is required" email --to nobody@example.com \
	--smtp "smtp://127.0.0.1:$SPORT"
CLOUDTALLY_SMTP_USER=mailer
run 5 "email via SMTP: nobody listening" email --to nobody@example.com --smtp "smtp://127.0.0.1:1"
check "... nothing recorded" test "$(rows email)" -eq "$n_mails"
check "no further message arrived" test ! -e "$TMP/mail/004.eml"

# An open month (days 1-10 of November): the forecast, and a budget that
# is not breached yet but will be.
oracle partial "$TMP/demo/sample/focus-2026-10.csv.gz" "$TMP/nov.csv"
"$CT" --db "$DB" -q ingest "$TMP/nov.csv" >/dev/null 2>&1
printf 'budget total 5000\nbudget service:"Amazon Elastic Compute Cloud" 1000 name=EC2\n' \
	>"$TMP/open.conf"
CLOUDTALLY_NOW=2026-11-11T06:00:00Z "$CT" --db "$DB" report --month 2026-11 --format json \
	--config "$TMP/open.conf" >"$TMP/rep-open.json"
check "the open month has a forecast to breach" python3 -c '
import json, sys
b = json.load(open(sys.argv[1]))["budgets"]
sys.exit(not (b["complete"] is False and b["forecast_critical"] == 1 and b["critical"] == 1))' \
	"$TMP/rep-open.json"
before=$(nreq)
CLOUDTALLY_NOW=2026-11-11T06:00:00Z
run 0 "slack: an open month" slack --webhook-env SLACK_URL --month 2026-11 --config "$TMP/open.conf"
CLOUDTALLY_NOW=2026-11-03T06:00:00Z
check "... forecast, breached and forecast-to-breach budgets" oracle slack "$TMP/requests" \
	$((before + 1)) "$TMP/rep-open.json"
check "... the forecast line" python3 -c '
import base64, json, sys
r = [json.loads(l) for l in open(sys.argv[1])][-1]
b = base64.b64decode(r["body_b64"]).decode()
sys.exit(not ("*Forecast for the month*" in b and ":large_orange_circle: *Forecast to breach:* total: forecast" in b))' "$TMP/requests"

# ---- secrets ----------------------------------------------------------------
sqlite3 "$DB" .dump >"$TMP/dump.sql"
sqlite3 "$DB" "SELECT * FROM delivery" >"$TMP/delivery.sql"
check "the store keeps hashes: 64 hex digits per target" test \
	"$(sqlite3 "$DB" "SELECT count(*) FROM delivery WHERE length(target) != 64 OR target GLOB '*[^0-9a-f]*'")" -eq 0
for s in "$SLACK_TOKEN" "$HOOK_PW" "$HOOK_QTOK" "$HOOK_SECRET_VALUE" "$SMTP_PW"; do
	check "'$s' is not in the store" sh -c '! grep -qF -- "$1" "$2"' - "$s" "$TMP/dump.sql"
done
for s in "127.0.0.1" "http" "@" "T0CLOUD" "/hook"; do
	check "no URL or address in the delivery table ('$s')" \
		sh -c '! grep -qF -- "$1" "$2"' - "$s" "$TMP/delivery.sql"
done
for s in "$SLACK_TOKEN" "$HOOK_PW" "$HOOK_QTOK" "$HOOK_SECRET_VALUE" "$SMTP_PW"; do
	check "'$s' is in no output" sh -c '! grep -qF -- "$1" "$2"' - "$s" "$TMP/all"
	# nor the first 8 characters of it (a secret cut at a # or ?)
	check "'$s' is in no output, not even in part" \
		sh -c '! grep -qF -- "$(printf %.8s "$1")" "$2"' - "$s" "$TMP/all"
done
check "the SMTP password is not in the sink's session log" \
	sh -c '! grep -qF -- "$1" "$2"' - "$SMTP_PW" "$TMP/mail/sessions.log"
finish
