#!/bin/sh
# pricing_update.sh - `cloudtally pricing update` against a local stand-in
# for the AWS price-list host (tests/tools/fake_aws.py, real files from
# ../shared/data/external): rows land as the files say, and every kind of
# failure (HTTP errors, 429, truncated or stalled or reset transfers,
# HTML/JSON instead of CSV, broken CSV) exits non-zero, names the URL and
# leaves the previous prices exactly as they were. No network beyond
# 127.0.0.1.
. "$CT_SRCDIR/tests/cli/lib.sh"
have_shared
if ! command -v python3 >/dev/null 2>&1 || ! command -v sqlite3 >/dev/null 2>&1; then
	echo "# python3 and sqlite3 are needed: skipping"
	echo "0 passed, 0 failed"
	exit 77
fi

# The fake host: port on its first output line; faults through $CTL.
CTL="$TMP/control"
: >"$CTL"
python3 "$TOOLS/fake_aws.py" --root "$EXT" --control "$CTL" --log "$TMP/requests" \
	--stall 5 >"$TMP/port" 2>"$TMP/server.err" &
SRV=$!
trap 'kill "$SRV" 2>/dev/null; rm -rf "$TMP"' EXIT
i=0
while [ ! -s "$TMP/port" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
PORT=$(head -n 1 "$TMP/port")
if [ -z "$PORT" ]; then
	not_ok "fake_aws.py did not start"
	cat "$TMP/server.err"
	finish
	exit 1
fi
SRC="http://127.0.0.1:$PORT"
CSV1="$SRC/offers/v1.0/aws/AmazonEC2/20210205204500/us-east-1/index.csv"

# Fast retries for the tests; a fixed day for spot rows.
CLOUDTALLY_HTTP_BACKOFF_MS=10
CLOUDTALLY_HTTP_STALL_SECONDS=1
CLOUDTALLY_NOW=2026-11-15T12:00:00Z
export CLOUDTALLY_HTTP_BACKOFF_MS CLOUDTALLY_HTTP_STALL_SECONDS CLOUDTALLY_NOW

DB="$TMP/p.db"
q() { sqlite3 "$DB" "$1"; }
is() { # is "what" "SQL" expected
	got=$(q "$2")
	if [ "$got" = "$3" ]; then ok "$1"; else not_ok "$1: got '$got', wanted '$3'"; fi
}
snapshot() { q "SELECT * FROM price ORDER BY service, region, product, variant, term, offering, years, payment, tier_start" >"$1"; }
fault() { # fault RULE : the control file's one rule
	echo "$1" >"$CTL"
}

# ---- us-east-1: the m5.large document (OnDemand + 12 RI terms) --------
expect_exit 0 "update us-east-1" "$CT" --db "$DB" pricing update --source "$SRC" --region us-east-1
check "summary: ec2 rows and publication date" contains "$TMP/out" "ec2 us-east-1: 13 rows from AmazonEC2, published 2021-02-05T20:45:00Z"
check "summary: spot rows" contains "$TMP/out" "ec2 us-east-1: 1 row from spot"
k="service='ec2' AND region='us-east-1' AND product='m5.large' AND variant='linux/shared'"
is "m5.large on-demand 0.096/h" "SELECT price, unit, as_of FROM price WHERE $k AND term='ondemand'" "0.096|hour|2021-02-05"
is "12 reserved terms" "SELECT count(*) FROM price WHERE $k AND term='reserved'" "12"
is "standard 1y no upfront 0.06" "SELECT price, upfront IS NULL FROM price WHERE $k AND term='reserved' AND offering='standard' AND years=1 AND payment='no'" "0.06|1"
is "standard 1y partial 0.029 + 252" "SELECT price, upfront FROM price WHERE $k AND term='reserved' AND offering='standard' AND years=1 AND payment='partial'" "0.029|252"
is "standard 1y all 0 + 494" "SELECT price, upfront FROM price WHERE $k AND term='reserved' AND offering='standard' AND years=1 AND payment='all'" "0|494"
is "standard 3y partial 0.019 + 505" "SELECT price, upfront FROM price WHERE $k AND term='reserved' AND offering='standard' AND years=3 AND payment='partial'" "0.019|505"
is "convertible 3y all 0 + 1161" "SELECT price, upfront FROM price WHERE $k AND term='reserved' AND offering='convertible' AND years=3 AND payment='all'" "0|1161"
is "convertible 1y partial 0.034 + 294" "SELECT price, upfront FROM price WHERE $k AND term='reserved' AND offering='convertible' AND years=1 AND payment='partial'" "0.034|294"
is "RHEL with SQL Web row left out" "SELECT count(*) FROM price WHERE product='c5d.2xlarge'" "0"
is "spot = 0.096 x (1 - 66%), band 15-20%" "SELECT price, note, as_of FROM price WHERE $k AND term='spot'" "0.03264|15-20%|2026-11-15"
is "source is the CSV URL" "SELECT DISTINCT source FROM price WHERE $k AND term='ondemand'" "$CSV1"
is "price_update rows" "SELECT service, rows, publication FROM price_update ORDER BY id" "ec2|13|2021-02-05T20:45:00Z
ebs|0|2021-02-05T20:45:00Z
ec2|1|2026-11-15"
check "User-Agent cloudtally/VERSION" grep -q "$(printf '\t')cloudtally/[0-9]" "$TMP/requests"
check "walk: offer index, region index, CSV" sh -c "grep -q '^/offers/v1.0/aws/index.json' '$TMP/requests' && grep -q '^/offers/v1.0/aws/AmazonEC2/current/region_index.json' '$TMP/requests' && grep -q '^/offers/v1.0/aws/AmazonEC2/20210205204500/us-east-1/index.csv' '$TMP/requests'"

# ---- eu-west-3: the 2020 terracost file (83 columns, EBS rows only) ---
expect_exit 0 "update eu-west-3 (2020 column set)" "$CT" --db "$DB" pricing update --source "$SRC" --region eu-west-3 --service AmazonEC2
is "gp2 0.116/GB-month" "SELECT price, unit FROM price WHERE service='ebs' AND region='eu-west-3' AND product='gp2' AND variant='storage'" "0.116|GB-month"
is "io1 0.145/GB-month + 0.076/IOPS-month" "SELECT group_concat(variant || '=' || price, ' ') FROM (SELECT * FROM price WHERE service='ebs' AND region='eu-west-3' AND product='io1' ORDER BY variant)" "iops=0.076 storage=0.145"
is "st1 0.053" "SELECT price FROM price WHERE service='ebs' AND region='eu-west-3' AND product='st1'" "0.053"
is "magnetic I/O 0.058 per million" "SELECT price, unit FROM price WHERE service='ebs' AND region='eu-west-3' AND product='standard' AND variant='io'" "0.000000058|request"
is "us-east-1 untouched by eu-west-3" "SELECT count(*) FROM price WHERE region='us-east-1'" "14"

# ---- the 2025 sample: a Local Zone row; $0 Dedicated Host rows left out
expect_exit 0 "update a Local Zone and us-west-2" "$CT" --db "$DB" pricing update --source "$SRC" --region us-east-1-nyc-1 --region us-west-2 --service AmazonEC2
is "c7i.metal-24xl rhel/dedicated 6.92717" "SELECT price FROM price WHERE region='us-east-1-nyc-1' AND product='c7i.metal-24xl' AND variant='rhel/dedicated' AND term='ondemand'" "6.92717"
is "no \$0 host-tenancy price" "SELECT count(*) FROM price WHERE region='us-west-2'" "0"

# ---- Savings Plans, ap-east-2 ----------------------------------------
expect_exit 0 "update savings plans ap-east-2" "$CT" --db "$DB" pricing update --source "$SRC" --region ap-east-2 --service AWSComputeSavingsPlan
check "summary: 22 savings-plan rows" contains "$TMP/out" "ec2 ap-east-2: 22 rows from AWSComputeSavingsPlan, published 2025-09-11T18:44:47Z"
is "r7g.medium rhel/dedicated 3y partial 0.0425" "SELECT offering, years, payment, price FROM price WHERE region='ap-east-2' AND product='r7g.medium' AND variant='rhel/dedicated' AND term='savingsplan'" "ec2instance|3|partial|0.0425"
is "r7g.12xlarge linux/shared 1.1721" "SELECT price FROM price WHERE region='ap-east-2' AND product='r7g.12xlarge' AND variant='linux/shared' AND term='savingsplan'" "1.1721"
is "unused-reservation rates left out" "SELECT count(*) FROM price WHERE region='ap-east-2' AND product='r7g.metal' AND variant='linux/dedicated'" "0"

# ---- the same update twice gives the same rows -------------------------
snapshot "$TMP/before"
expect_exit 0 "update us-east-1 again" "$CT" --db "$DB" pricing update --source "$SRC" --region us-east-1
snapshot "$TMP/again"
check "second update changes nothing" cmp -s "$TMP/before" "$TMP/again"

# ---- faults: non-zero exit, the URL named, the previous prices kept ----
failing() { # failing EXIT "what" RULE "pattern in stderr" [more update args...]
	fw_exit=$1 fw_what=$2 fw_pat=$4
	fault "$3"
	shift 4
	expect_exit "$fw_exit" "$fw_what" "$CT" --db "$DB" pricing update --source "$SRC" --region us-east-1 "$@"
	check "$fw_what: error names the URL" contains "$TMP/err" "cloudtally: error: $SRC/"
	check "$fw_what: says '$fw_pat'" contains "$TMP/err" "$fw_pat"
	snapshot "$TMP/now"
	check "$fw_what: previous prices unchanged" cmp -s "$TMP/before" "$TMP/now"
	fault ""
}
failing 5 "HTTP 500" "500 index.csv" "index.csv: server answered HTTP 500 (gave up after 4 attempts)"
failing 5 "HTTP 404" "404 index.csv" "index.csv: server answered HTTP 404$"
n0=$(grep -c 'us-east-1/index.csv' "$TMP/requests")
failing 5 "HTTP 429, Retry-After honoured" "429 index.csv" "HTTP 429 (gave up after 4 attempts)"
n1=$(grep -c 'us-east-1/index.csv' "$TMP/requests")
failing 5 "truncated body" "truncate index.csv" "index.csv: body truncated"
failing 5 "connection reset mid-body" "reset index.csv" "index.csv: "
CLOUDTALLY_HTTP_RETRIES=1
export CLOUDTALLY_HTTP_RETRIES
failing 5 "stalled transfer" "stall index.csv" "index.csv: timed out"
unset CLOUDTALLY_HTTP_RETRIES
failing 3 "HTML instead of CSV" "html index.csv" "index.csv: got HTML where a price-list CSV was expected"
failing 3 "JSON instead of CSV" "json index.csv" "index.csv: got JSON where a price-list CSV was expected"
failing 3 "broken CSV names the line" "badcsv index.csv" "index.csv:[0-9][0-9]*: "
failing 3 "missing column" "nocol index.csv" "index.csv:6: missing column \"PricePerUnit\""
failing 3 "no publication date" "nodate index.csv" "no \"Publication Date\" row"
failing 3 "HTML offer index" "html /offers/v1.0/aws/index.json" "aws/index.json: got HTML where JSON was expected"
failing 5 "region index 503" "503 region_index.json" "region_index.json: server answered HTTP 503"
failing 3 "spot feed is not a spot feed" "json spot-advisor" "spot-advisor-data.json: not a Spot Advisor feed"
failing 3 "unknown region" "" "region_index.json: region eu-mars-1 is not in the region index" --region eu-mars-1
check "the 429 was tried 4 times" test $((n1 - n0)) -eq 4

# retried, then served: the update succeeds
fault "500 index.csv 2"
expect_exit 0 "two 500s, then the file" "$CT" --db "$DB" pricing update --source "$SRC" --region us-east-1
fault "429 index.csv 1"
expect_exit 0 "a 429, then the file" "$CT" --db "$DB" pricing update --source "$SRC" --region us-east-1
fault "stall index.csv 1"
expect_exit 0 "a stall, then the file" "$CT" --db "$DB" pricing update --source "$SRC" --region us-east-1
fault "gzip -"
expect_exit 0 "Content-Encoding: gzip" "$CT" --db "$DB" pricing update --source "$SRC" --region us-east-1
fault "gzfile index.csv"
expect_exit 0 "a gzip-compressed CSV file" "$CT" --db "$DB" pricing update --source "$SRC" --region us-east-1
fault ""
snapshot "$TMP/now"
check "after retries and gzip: same prices" cmp -s "$TMP/before" "$TMP/now"

# ---- usage and connection errors ----------------------------------------
expect_exit 2 "unknown service" "$CT" --db "$DB" pricing update --source "$SRC" --service AmazonFoo
check "lists the known services" contains "$TMP/err" "AmazonFoo.*known: AmazonEC2"
expect_exit 2 "bad region code" "$CT" --db "$DB" pricing update --source "$SRC" --region 'US East'
CLOUDTALLY_HTTP_RETRIES=0
export CLOUDTALLY_HTTP_RETRIES
expect_exit 5 "connection refused" "$CT" --db "$DB" pricing update --source "http://127.0.0.1:1" --region us-east-1
check "connection refused names the URL" contains "$TMP/err" "http://127.0.0.1:1/offers/v1.0/aws/index.json"
expect_exit 5 "--spot-source is used for the feed" "$CT" --db "$DB" pricing update --source "$SRC" --region us-east-1 --service spot --spot-source "http://127.0.0.1:1/spot.json"
check "spot error names --spot-source" contains "$TMP/err" "http://127.0.0.1:1/spot.json"
unset CLOUDTALLY_HTTP_RETRIES
snapshot "$TMP/now"
check "prices unchanged at the end" cmp -s "$TMP/before" "$TMP/now"

finish
