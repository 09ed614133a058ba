#!/bin/sh
# monthly.sh - contrib/cloudtally-monthly end to end on the bundled sample
# (written by `cloudtally demo`): exports from a folder and over HTTP,
# inventory and metrics, ingested into a new store; the report in every
# format in OUT/2026-10/; the budget check; Slack, webhook and e-mail
# delivery to local receivers (tests/tools/receiver.py, a fake sendmail).
# A second run sends nothing; CT_FAIL_ON_BREACH=1 exits 1; a failed
# delivery, a missing source and a source URL that fails exit non-zero
# and name the step.
. "$CT_SRCDIR/tests/cli/lib.sh"
if ! command -v python3 >/dev/null 2>&1; then
	echo "# python3 is needed: skipping"
	echo "0 passed, 0 failed"
	exit 77
fi
JOB="$CT_SRCDIR/contrib/cloudtally-monthly"
CLOUDTALLY_NOW=2026-11-03T06:00:00Z
CLOUDTALLY_HTTP_BACKOFF_MS=10
XDG_CONFIG_HOME="$TMP/xdg"
export CLOUDTALLY_NOW CLOUDTALLY_HTTP_BACKOFF_MS XDG_CONFIG_HOME
"$CT" --db "$TMP/demo.db" demo --out "$TMP/demo" >/dev/null 2>&1 ||
	{ not_ok "cloudtally demo"; finish; exit 1; }
S="$TMP/demo/sample"
mkdir -p "$TMP/exports" "$TMP/served" "$TMP/inventory" "$TMP/metrics"
cp "$S/focus-2026-09.csv.gz" "$TMP/exports/"
cp "$S/focus-2026-10.csv.gz" "$TMP/served/"
cp "$S"/ec2-describe-*.json.gz "$TMP/inventory/"
cp "$S"/cloudwatch-*.json.gz "$TMP/metrics/"

# Receivers: the notify receiver, and a plain file server for the export URL.
python3 "$TOOLS/receiver.py" --log "$TMP/requests" >"$TMP/port" 2>"$TMP/receiver.err" &
R_PID=$!
(cd "$TMP/served" && exec python3 -m http.server --bind 127.0.0.1 0) \
	>"$TMP/files.out" 2>"$TMP/files.err" &
F_PID=$!
trap 'kill "$R_PID" "$F_PID" 2>/dev/null; rm -rf "$TMP"' EXIT
i=0
while { [ ! -s "$TMP/port" ] || ! grep -q 'port' "$TMP/files.out" "$TMP/files.err"; } &&
	[ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
PORT=$(head -n 1 "$TMP/port")
FPORT=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$TMP/files.out" "$TMP/files.err" | head -n 1)
if [ -z "$PORT" ] || [ -z "$FPORT" ]; then
	not_ok "the receivers did not start"
	finish
	exit 1
fi
: >"$TMP/requests"

# The job's settings, as a systemd EnvironmentFile would give them.
CLOUDTALLY_DB="$TMP/store.db"
CT_MONTH=2026-10
CT_EXPORTS="$TMP/exports http://127.0.0.1:$FPORT/focus-2026-10.csv.gz"
CT_INVENTORY="$TMP/inventory"
CT_METRICS="$TMP/metrics"
CT_OUT="$TMP/reports"
CT_CONFIG="$TMP/demo/cloudtally.conf"
CT_REPORT_URL="https://finops.example.com/reports/"
SLACK_WEBHOOK_URL="http://127.0.0.1:$PORT/ok/T0JOB/B0JOB/slackJobT0ken"
CT_WEBHOOK_URL="http://127.0.0.1:$PORT/ok/job-hook"
CT_WEBHOOK_SECRET="job hmac secret"
CT_MAIL_TO="ops@example.com finance@example.com"
CT_MAIL_FROM="FinOps <finops@example.org>"
CT_SENDMAIL="$TMP/fake-sendmail"
CLOUDTALLY="$CT"
export CLOUDTALLY_DB CT_MONTH CT_EXPORTS CT_INVENTORY CT_METRICS CT_OUT CT_CONFIG CT_REPORT_URL \
	SLACK_WEBHOOK_URL CT_WEBHOOK_URL CT_WEBHOOK_SECRET CT_MAIL_TO CT_MAIL_FROM CT_SENDMAIL \
	CLOUDTALLY
mkdir -p "$TMP/sent"
cat >"$TMP/fake-sendmail" <<EOF
#!/bin/sh
n=\$(ls "$TMP/sent" | wc -l)
cat >"$TMP/sent/\$((n + 1)).eml"
EOF
chmod +x "$TMP/fake-sendmail"
nreq() { wc -l <"$TMP/requests" | tr -d ' '; }
job() { # job EXIT "what": run the job, keep its output
	expect_exit "$1" "$2" sh "$JOB"
	cat "$TMP/out" "$TMP/err" >>"$TMP/all"
}
: >"$TMP/all"

job 0 "the monthly job"
D="$TMP/reports/2026-10"
for f in report.txt report.md report.html report.json report.csv budget.txt budget.json; do
	check "it wrote $f" test -s "$D/$f"
done
if "$CT" help report | grep -q xlsx; then
	check "it wrote report.xlsx" test -s "$D/report.xlsx"
fi
check "it ingested all 4 sources" grep -q '2026-10: ingested 4 source(s)' "$TMP/out"
check "it says the budget is breached" grep -q 'budgets: BREACHED' "$TMP/out"
"$CT" report --month 2026-10 --format json --config "$CT_CONFIG" >"$TMP/want.json"
"$CT" report --month 2026-10 --format html --config "$CT_CONFIG" >"$TMP/want.html"
check "report.json is the store's report" cmp -s "$D/report.json" "$TMP/want.json"
check "report.html is the store's report" cmp -s "$D/report.html" "$TMP/want.html"
check "the findings came with the inventory and metrics" python3 -c '
import json, sys
sys.exit(not json.load(open(sys.argv[1]))["recommendations"]["findings"])' "$D/report.json"
check "two POSTs: Slack and the webhook" test "$(nreq)" -eq 2
check "Slack got the summary with the report link" python3 -c '
import base64, json, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
slack = [r for r in reqs if "/T0JOB/" in r["path"]][0]
doc = json.loads(base64.b64decode(slack["body_b64"]))
link = doc["blocks"][-1]["elements"][0]["text"]
want = "https://finops.example.com/reports/2026-10/report.html"
sys.exit(link != "<%s|Full report>" % want or doc["blocks"][0]["text"]["text"] != "Cloud costs 2026-10")' \
	"$TMP/requests"
check "the webhook got report.json, signed" python3 -c '
import base64, hashlib, hmac, json, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
hook = [r for r in reqs if r["path"] == "/ok/job-hook"][0]
body = base64.b64decode(hook["body_b64"])
sig = "sha256=" + hmac.new(sys.argv[3].encode(), body, hashlib.sha256).hexdigest()
sys.exit(body != open(sys.argv[2], "rb").read() or hook["headers"]["x-cloudtally-signature"] != sig)' \
	"$TMP/requests" "$D/report.json" "$CT_WEBHOOK_SECRET"
check "one mail to both addresses" python3 -c '
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
got = sorted(a.addr_spec for a in m["To"].addresses)
html = [p for p in m.iter_attachments() if p.get_content_type() == "text/html"][0]
sys.exit(got != ["finance@example.com", "ops@example.com"] or
         html.get_payload(decode=True) != open(sys.argv[2], "rb").read())' "$TMP/sent/1.eml" "$D/report.html"

job 0 "the job again"
check "... sends nothing twice" test "$(nreq)" -eq 2
check "... no second mail" test ! -e "$TMP/sent/2.eml"
check "... says what was delivered before" test "$(grep -c 'already delivered on' "$TMP/out")" -eq 3

CT_FAIL_ON_BREACH=1
export CT_FAIL_ON_BREACH
job 1 "CT_FAIL_ON_BREACH=1 with a breached budget"
unset CT_FAIL_ON_BREACH

SLACK_WEBHOOK_URL="http://127.0.0.1:$PORT/down/T0JOB/B0DOWN/slackJobT0ken"
job 5 "a Slack webhook that fails"
check "... names the step" grep -q 'notify slack failed (exit 5)' "$TMP/err"
check "... and the webhook by its variable" grep -q 'the Slack webhook in \$SLACK_WEBHOOK_URL' "$TMP/err"
SLACK_WEBHOOK_URL="http://127.0.0.1:$PORT/ok/T0JOB/B0JOB/slackJobT0ken"

CT_EXPORTS="$TMP/no-such-exports"
job 6 "a missing export folder"
check "... names it" grep -q "source $TMP/no-such-exports does not exist" "$TMP/err"
CT_EXPORTS="http://127.0.0.1:$FPORT/missing.csv.gz?sig=urlT0ken"
before=$(nreq)
job 5 "an export URL that fails"
check "... says so without the query" sh -c 'grep -q "ingest failed (exit 5)" "$1" && grep -q "missing.csv.gz" "$1" && ! grep -q urlT0ken "$1"' sh "$TMP/err"
check "... sends nothing" test "$(nreq)" -eq "$before"
CT_MONTH=2026-13
job 2 "a bad CT_MONTH"

check "no secret in the job's output" sh -c '! grep -qE "slackJobT0ken|job hmac secret|urlT0ken" "$1"' - "$TMP/all"
finish
