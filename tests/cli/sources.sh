#!/bin/sh
# sources.sh - `cloudtally ingest` of http(s):// URLs and s3:// prefixes
# (issue 7), against servers started here on 127.0.0.1: a folder served
# with faults (tests/tools/fault_server.py) and a fake S3 that checks every
# request's AWS Signature V4 (tests/tools/fake_s3.py). A URL or an S3
# prefix ingests to the same report as the same files read locally;
# faults end with a clear error naming the URL and leave the store as it
# was; unchanged objects are not downloaded again; secrets show nowhere.
. "$CT_SRCDIR/tests/cli/lib.sh"
have_shared
command -v python3 >/dev/null || { echo "# SKIP: no python3"; echo "0 passed, 0 failed"; exit 77; }
KOKU="$EXT/project-koku__koku/koku/masu/test/data"
export CLOUDTALLY_NOW=2018-09-15T00:00:00Z
export CLOUDTALLY_HTTP_BACKOFF_MS=10 CLOUDTALLY_HTTP_STALL_SECONDS=1
export XDG_CACHE_HOME="$TMP/cache"
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE \
	AWS_REGION AWS_DEFAULT_REGION AWS_SHARED_CREDENTIALS_FILE AWS_CONFIG_FILE
# downloads and mirrors go here: it must be empty after every run
mkdir -p "$TMP/tmpdir"
export TMPDIR="$TMP/tmpdir"
PIDS=
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$TMP"' EXIT
trap 'exit 129' HUP INT PIPE TERM

# start_server PORTFILE COMMAND...: run it, wait for its port
start_server() {
	pf=$1
	shift
	"$@" >"$pf" 2>"$pf.err" &
	PIDS="$PIDS $!"
	i=0
	while [ ! -s "$pf" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -s "$pf" ]
}
report() { "$CT" --db "$1" report --month 2018-08 --format json 2>&1; }
# every output of every run, to look for secrets at the end
keep() { cat "$TMP/out" "$TMP/err" >>"$TMP/all-output"; }
tmp_clean() { [ -z "$(ls -A "$TMP/tmpdir")" ]; }

## ---- http(s):// ---------------------------------------------------------

mkdir -p "$TMP/www"
tar xzf "$KOKU/test_local_bucket.tar.gz" -C "$TMP/www"
CUR=koku-local/20180801-20180901/16e57707-f9e3-49be-8be6-b84e684b5194/koku-local-1.csv.gz
cp "$TMP/www/$CUR" "$TMP/www/cur.csv.gz"
gzip -dc "$TMP/www/cur.csv.gz" >"$TMP/www/cur.csv"

if ! start_server "$TMP/hport" python3 "$TOOLS/fault_server.py" --root "$TMP/www" \
	--log "$TMP/hlog" --stall 4; then
	not_ok "fault_server.py did not start"
	finish
	exit
fi
H="http://127.0.0.1:$(head -n 1 "$TMP/hport")"

expect_exit 0 "local ingest of the CUR file (the reference)" \
	"$CT" --db "$TMP/ref.db" ingest "$TMP/www/cur.csv.gz"
report "$TMP/ref.db" >"$TMP/ref.json"
check "the reference has lines" contains "$TMP/ref.json" '"total_billed_cost"'

expect_exit 0 "URL ingest of the .csv.gz" "$CT" --db "$TMP/u1.db" ingest "$H/ok/cur.csv.gz"
keep
check "the output names the URL" contains "$TMP/out" "^$H/ok/cur.csv.gz: aws-cur, 13380 lines"
report "$TMP/u1.db" >"$TMP/u1.json"
check "URL ingest equals the local ingest (report JSON)" cmp -s "$TMP/ref.json" "$TMP/u1.json"
check "the store names the URL as the source" \
	sh -c "cat '$TMP'/u1.db* | grep -aqF '$H/ok/cur.csv.gz'"

check "no progress off a terminal" sh -c "! grep -q 'download' '$TMP/err'"
# progress on a terminal (script(1) gives the command one)
if script -qc true /dev/null >/dev/null 2>&1; then
	script -qc "'$CT' --db '$TMP/u8.db' ingest '$H/trickle/cur.csv.gz'" /dev/null \
		>"$TMP/tty.out" 2>&1 </dev/null
	check "progress on a terminal for a long download" \
		grep -q "cloudtally: download $H/trickle/cur.csv.gz: .*% (.* of .* MB)" "$TMP/tty.out"
	check "the download on a terminal ingests" grep -q "ingested 1 file, 13380 lines" "$TMP/tty.out"
else
	echo "# SKIP: no script(1): progress on a terminal not tested"
fi
expect_exit 0 "URL ingest of the plain CSV" "$CT" --db "$TMP/u2.db" ingest "$H/ok/cur.csv"
report "$TMP/u2.db" >"$TMP/u2.json"
check "plain CSV by URL equals the local .csv.gz" cmp -s "$TMP/ref.json" "$TMP/u2.json"

expect_exit 0 "HTTP 500 once, then the file: retried" "$CT" --db "$TMP/u3.db" ingest "$H/500/cur.csv.gz"
check "the 500 path was asked twice" test "$(grep -c '^GET /500/cur.csv.gz' "$TMP/hlog")" -eq 2
report "$TMP/u3.db" >"$TMP/u3.json"
check "after the retry the report equals the local one" cmp -s "$TMP/ref.json" "$TMP/u3.json"

expect_exit 0 "a broken download (ETag, Accept-Ranges) is resumed" \
	"$CT" --db "$TMP/u4.db" ingest "$H/resume/cur.csv.gz"
check "the second request asked for the rest only (Range)" \
	grep -q '^GET /resume/cur.csv.gz bytes=[1-9][0-9]*-$' "$TMP/hlog"
report "$TMP/u4.db" >"$TMP/u4.json"
check "the resumed download equals the local file" cmp -s "$TMP/ref.json" "$TMP/u4.json"

# faults into a store that holds the reference: it must stay as it was
fault() { # fault MODE EXIT "what"
	cp "$TMP/ref.db" "$TMP/f.db"
	rm -f "$TMP/f.db-wal" "$TMP/f.db-shm"
	expect_exit "$2" "$3" "$CT" --db "$TMP/f.db" ingest "$TMP/www/cur.csv" "$H/$1/cur.csv.gz"
	keep
	check "$1: the error names the URL" contains "$TMP/err" "^cloudtally: error: $H/$1/cur.csv.gz: "
	report "$TMP/f.db" >"$TMP/f.json"
	check "$1: the store is unchanged" cmp -s "$TMP/ref.json" "$TMP/f.json"
}
fault always500 5 "HTTP 500 every time: network error"
check "always500: gave up after the retries" contains "$TMP/err" "HTTP 500 (gave up after 4 attempts)"
fault trunc 5 "a body shorter than its Content-Length: network error"
check "trunc: says truncated" contains "$TMP/err" "truncated"
fault slow 5 "a stalled server: network error"
check "slow: says timed out" contains "$TMP/err" "timed out"
fault 404 5 "HTTP 404: network error"
fault badgz 3 "a broken gzip body: bad input"
check "badgz: says gzip" contains "$TMP/err" "gzip"

SECRET_PW=pw-S3cr3tHttp
SECRET_Q=sig-S3cr3tQuery
expect_exit 5 "user, password and query of a URL are not shown" \
	"$CT" --db "$TMP/u5.db" ingest "http://me:$SECRET_PW@127.0.0.1:$(head -n 1 "$TMP/hport")/404/x.csv?X-Amz-Signature=$SECRET_Q"
keep
check "the error shows the URL redacted" contains "$TMP/err" "http://\*\*\*@127.0.0.1:.*/404/x.csv?\.\.\."
expect_exit 0 "a URL with a query string ingests" \
	"$CT" --db "$TMP/u6.db" ingest "$H/ok/cur.csv.gz?X-Amz-Signature=$SECRET_Q"
keep
check "the query string is not in the store" sh -c "! cat '$TMP'/u6.db* | grep -aqF '$SECRET_Q'"
expect_exit 2 "an unsupported scheme is a usage error" "$CT" --db "$TMP/u7.db" ingest "ftp://127.0.0.1/x.csv"
check "no download is left in TMPDIR" tmp_clean

## ---- s3:// ------------------------------------------------------------

AK_ENV=AKIDENVTEST0001
SK_ENV=envSecret/Key+With=Odd
AK_FILE=AKIDFILETEST002
SK_FILE=fileSecretKeyFromProfile
TOKEN=sessionTokenSecretValue//x
mkdir -p "$TMP/s3/bkt"
tar xzf "$KOKU/test_local_bucket.tar.gz" -C "$TMP/s3/bkt"
tar xzf "$KOKU/test_local_bucket_prefix.tar.gz" -C "$TMP/s3/bkt"
echo "not billing" >"$TMP/s3/bkt/koku-local/README.txt"
if ! start_server "$TMP/sport" python3 "$TOOLS/fake_s3.py" --root "$TMP/s3" --log "$TMP/slog" \
	--key "$AK_ENV:$SK_ENV" --key "$AK_FILE:$SK_FILE:$TOKEN" --region us-east-1 \
	--region eu-west-1 --max-keys 2 --extra-key "koku-local/../escape.csv"; then
	not_ok "fake_s3.py did not start"
	finish
	exit
fi
E="http://127.0.0.1:$(head -n 1 "$TMP/sport")"
gets() { grep -c '^GET ' "$TMP/slog"; }

expect_exit 0 "local ingest of the bucket folder (the reference)" \
	"$CT" --db "$TMP/s3ref.db" ingest "$TMP/s3/bkt/koku-local"
report "$TMP/s3ref.db" >"$TMP/s3ref.json"

expect_exit 2 "s3:// without credentials is a usage error" \
	"$CT" --db "$TMP/s0.db" ingest --endpoint-url "$E" s3://bkt/koku-local/
check "the error says where credentials come from" contains "$TMP/err" "AWS_ACCESS_KEY_ID"

export AWS_ACCESS_KEY_ID="$AK_ENV" AWS_SECRET_ACCESS_KEY="$SK_ENV"
: >"$TMP/slog"
expect_exit 0 "s3://bkt/koku-local/ with credentials from the environment" \
	"$CT" --db "$TMP/s1.db" ingest --endpoint-url "$E" s3://bkt/koku-local/
keep
check "every request was signed correctly (SigV4 checked by the server)" \
	sh -c "! grep -q '^DENY' '$TMP/slog'"
check "the listing was paged (max-keys 2)" test "$(grep -c '^LIST bkt koku-local/$' "$TMP/slog")" -ge 2
check "the .csv.gz and .json objects were fetched, the .txt not" \
	sh -c "test $(gets) -eq 3 && ! grep -q README '$TMP/slog'"
check "a key with '..' was skipped with a warning" contains "$TMP/err" "skipped"
check "the output names s3:// objects" contains "$TMP/out" "^s3://bkt/koku-local/20180801-20180901/.*koku-local-1.csv.gz: aws-cur"
report "$TMP/s1.db" >"$TMP/s1.json"
check "S3 ingest equals the same folder ingested locally" cmp -s "$TMP/s3ref.json" "$TMP/s1.json"
check "nothing escaped the mirror folder" test ! -e "$TMP/tmpdir/escape.csv"

: >"$TMP/slog"
expect_exit 0 "a second ingest of the same prefix" \
	"$CT" --db "$TMP/s1.db" ingest --endpoint-url "$E" s3://bkt/koku-local/
check "nothing unchanged was downloaded again" test "$(gets)" -eq 0
report "$TMP/s1.db" >"$TMP/s1b.json"
check "the re-read cached objects keep the store whole" cmp -s "$TMP/s3ref.json" "$TMP/s1b.json"

# same lines, new bytes: a new ETag
gzip -dc "$TMP/s3/bkt/$CUR" | gzip -1 >"$TMP/re.gz" && mv "$TMP/re.gz" "$TMP/s3/bkt/$CUR"
: >"$TMP/slog"
expect_exit 0 "an ingest after one object changed" \
	"$CT" --db "$TMP/s1.db" ingest --endpoint-url "$E" s3://bkt/koku-local/
check "only the changed object was fetched again" \
	sh -c "test $(gets) -eq 1 && grep -q '^GET bkt/$CUR\$' '$TMP/slog'"
report "$TMP/s1.db" >"$TMP/s1c.json"
check "the report is still the same" cmp -s "$TMP/s3ref.json" "$TMP/s1c.json"

expect_exit 0 "s3://bkt/KEY: one object" \
	"$CT" --db "$TMP/s2.db" ingest --endpoint-url "$E/" "s3://bkt/$CUR"
report "$TMP/s2.db" >"$TMP/s2.json"
check "one object equals the local file" cmp -s "$TMP/ref.json" "$TMP/s2.json"
expect_exit 0 "the other koku layout (report under my-prefix/)" \
	"$CT" --db "$TMP/s4.db" ingest --endpoint-url "$E" s3://bkt/my-prefix
check "it read the manifest's file" contains "$TMP/out" "my-report-1.csv.gz: aws-cur"
# keys that need percent-encoding in the signed path and query
ODD="$TMP/s3/bkt/odd name+x/$(printf 'caf\303\251')"
mkdir -p "$ODD"
gzip -dc "$TMP/www/cur.csv.gz" >"$ODD/a b&c=1~.csv"
: >"$TMP/slog"
expect_exit 0 "keys with blanks, '+', '&', '=' and UTF-8 are signed right" \
	"$CT" --db "$TMP/s9.db" ingest --endpoint-url "$E" "s3://bkt/odd name+x/"
check "no request refused for the odd keys" sh -c "! grep -q '^DENY' '$TMP/slog'"
report "$TMP/s9.db" >"$TMP/s9.json"
check "the odd key ingests like the local file" cmp -s "$TMP/ref.json" "$TMP/s9.json"
expect_exit 3 "a prefix with no objects is bad input" \
	"$CT" --db "$TMP/s5.db" ingest --endpoint-url "$E" s3://bkt/nothing-here/
expect_exit 5 "a bucket that does not exist: network error" \
	"$CT" --db "$TMP/s5.db" ingest --endpoint-url "$E" s3://nobucket/x/
check "the error names the s3:// URL" contains "$TMP/err" "s3://nobucket/x/"

export AWS_SECRET_ACCESS_KEY="wrong$SK_ENV"
cp "$TMP/s3ref.db" "$TMP/s6.db"
expect_exit 5 "a wrong secret key: the server refuses (403)" \
	"$CT" --db "$TMP/s6.db" ingest --endpoint-url "$E" s3://bkt/koku-local/
keep
check "the error says 403" contains "$TMP/err" "403"
report "$TMP/s6.db" >"$TMP/s6.json"
check "the store is unchanged" cmp -s "$TMP/s3ref.json" "$TMP/s6.json"

unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
mkdir -p "$HOME/.aws"
cat >"$TMP/creds" <<EOF
[default]
aws_access_key_id = AKIDNOTTHISONE
aws_secret_access_key = notthisone

[team]
# the keys of the fake server
aws_access_key_id = $AK_FILE
aws_secret_access_key = $SK_FILE
aws_session_token = $TOKEN
EOF
cat >"$HOME/.aws/config" <<EOF
[default]
region = ap-south-1
[profile team]
region = eu-west-1
EOF
rm -rf "$XDG_CACHE_HOME"
: >"$TMP/slog"
expect_exit 0 "credentials file, profile, session token, region from ~/.aws/config" \
	env AWS_SHARED_CREDENTIALS_FILE="$TMP/creds" AWS_PROFILE=team "$CT" --db "$TMP/s7.db" ingest --endpoint-url "$E" s3://bkt/koku-local/
keep
check "signed for eu-west-1 with the token (no request refused)" \
	sh -c "! grep -q '^DENY' '$TMP/slog' && test $(gets) -eq 3"
report "$TMP/s7.db" >"$TMP/s7.json"
check "same report as the local folder" cmp -s "$TMP/s3ref.json" "$TMP/s7.json"
expect_exit 5 "the default profile's keys are refused" \
	env AWS_SHARED_CREDENTIALS_FILE="$TMP/creds" "$CT" --db "$TMP/s8.db" ingest --endpoint-url "$E" s3://bkt/koku-local/
keep

check "no download or mirror is left in TMPDIR" tmp_clean
for s in "$SK_ENV" "$SK_FILE" "$TOKEN" "$SECRET_PW" "$SECRET_Q"; do
	check "secret ${s%%[!a-zA-Z]*}...: in no output" sh -c "! grep -qF -- '$s' '$TMP/all-output'"
done
check "no secret in any store" sh -c "! cat '$TMP'/*.db* | grep -aqF -e '$SK_ENV' -e '$SK_FILE' -e '$TOKEN' -e '$SECRET_Q'"
check "no secret in the cache" sh -c "! grep -rqF -e '$SK_ENV' -e '$SK_FILE' -e '$TOKEN' '$TMP/cache' '$HOME/.cache' 2>/dev/null"
# the region goes into the host name: only a region name is accepted
AWS_REGION='x@127.0.0.1#' AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=secretexample \
	"$CT" --db "$TMP/region.db" ingest s3://bucket/prefix/ >"$TMP/out" 2>"$TMP/err"
st=$?
check "an AWS region that is not a region name: usage error ($st)" sh -c '[ "$1" -eq 2 ] && grep -q "is not a region name" "$2"' sh "$st" "$TMP/err"
finish
