#!/bin/sh
# clickhouse.sh - the ClickHouse store (issue 10): throw-away
# clickhouse-server processes on 127.0.0.1 (one server, then a two-shard
# cluster of two servers with a remote_servers entry), and on each:
# - the same months give byte-identical report JSON, CSV, workbook,
#   recommend and budget output as a SQLite store;
# - a restatement replaces the (period, provider, account) partition;
# - an ingest that fails half way (a bad line after batches were sent, or
#   an insert the server refuses while others are in flight) leaves the
#   store as it was and no staging table behind; a file repeated in one
#   run counts once;
# - db check agrees; bad URLs, a wrong password and a missing store are
#   clear errors that never show the password.
# Skipped (exit 77) when clickhouse-server is not installed, except with
# CT_REQUIRE_CLICKHOUSE or CI set (.ci/run installs it and requires it).
. "$CT_SRCDIR/tests/cli/lib.sh"
have_shared
GEN="$CT_SHARED/tools/gen-focus"
SERVER=$(command -v clickhouse-server || { [ -x /usr/sbin/clickhouse-server ] && echo /usr/sbin/clickhouse-server; } || true)
if [ -z "$SERVER" ]; then
	if [ -n "${CI:-}${CT_REQUIRE_CLICKHOUSE:-}" ]; then
		echo "not ok - clickhouse-server not installed (required in CI)"
		echo "0 passed, 1 failed"
		exit 1
	fi
	echo "# clickhouse-server not installed (apt-get install clickhouse-server): skipping"
	echo "0 passed, 0 failed"
	exit 77
fi
PATH=$PATH:$(dirname "$SERVER")
export CT_CH_PASSWORD="s3cret-Pw"
export CLICKHOUSE_PASSWORD="$CT_CH_PASSWORD"
export CLOUDTALLY_NOW=2026-11-15T00:00:00Z
CHQ="$TOOLS/chq.py"

# free_ports N: N free TCP ports on 127.0.0.1 whose port + 9 is free too
# (a server's interserver port is its tcp port + 9). Taken just before a
# server starts: a port picked early can be an ephemeral client port by then.
free_ports() {
	python3 -c '
import socket, sys
got, held = [], []
while len(got) < int(sys.argv[1]):
    k = socket.socket(); k.bind(("127.0.0.1", 0)); p = k.getsockname()[1]
    try:
        j = socket.socket(); j.bind(("127.0.0.1", p + 9)); held.append(j)
    except OSError:
        k.close(); continue
    held.append(k); got.append(p)
print(" ".join(map(str, got)))' "$1"
}
set -- $(free_ports 2)
H1=$1 T1=$2
PIDS=""
stop_servers() {
	for d in "$TMP/ch1" "$TMP/chA" "$TMP/chB"; do
		[ -f "$d/pid" ] && kill "$(cat "$d/pid")" 2>/dev/null
	done
	[ -n "${PROXY_PID:-}" ] && kill "$PROXY_PID" 2>/dev/null
	# wait for the servers to go before their directories are removed
	for d in "$TMP/ch1" "$TMP/chA" "$TMP/chB"; do
		i=0
		while [ -f "$d/pid" ] && kill -0 "$(cat "$d/pid")" 2>/dev/null && [ $i -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
		done
	done
	rm -rf "$TMP"
}
trap stop_servers EXIT

if ! "$TOOLS/clickhouse_start.sh" "$TMP/ch1" "$H1" "$T1"; then
	echo "not ok - clickhouse-server did not start"
	echo "0 passed, 1 failed"
	exit 1
fi
ok "clickhouse-server $(python3 "$CHQ" "$H1" 'SELECT version()' | tr -d '\n') started on 127.0.0.1:$H1"

# --- data: four months of gen-focus, inventory and metrics for October
for m in 07 08 09; do
	python3 "$GEN" --rows 6000 --month 2026-$m --seed 1$m --out "$TMP/m$m.csv" >/dev/null
done
python3 "$GEN" --rows 6000 --month 2026-10 --seed 110 --out "$TMP/m10.csv" \
	--inventory "$TMP/inv" >/dev/null
INV="$TMP/inv/ec2-describe-instances.json $TMP/inv/ec2-describe-volumes.json \
$TMP/inv/ec2-describe-addresses.json $TMP/inv/cloudwatch-cpu.json $TMP/inv/cloudwatch-network.json"
cat >"$TMP/config" <<'EOF'
budget total 20000 name=All
budget service:"Amazon Elastic Compute Cloud" 5000
budget region:us-east-1 9000 warning=50
budget tag:CostCenter=cc-100 1000
EOF
# a restatement of October: its first 4,000 lines
head -4001 "$TMP/m10.csv" >"$TMP/m10-restated.csv"
# a bad line near the end of a big-enough file, after several batches
python3 "$GEN" --rows 6000 --month 2026-11 --seed 7 --out "$TMP/bad.csv" >/dev/null
badline=$(wc -l <"$TMP/bad.csv")
sed -i "${badline}s/,[0-9.]*,/,12.3.4,/" "$TMP/bad.csv"

SQ="$TMP/s.db"
"$CT" -q --db "$SQ" ingest "$TMP/m07.csv" "$TMP/m08.csv" "$TMP/m09.csv" "$TMP/m10.csv" $INV ||
	not_ok "SQLite ingest"

# outputs.sh STORE PREFIX: every output to compare
outputs() {
	"$CT" --store "$1" report --format json >"$2.json" &&
		"$CT" --store "$1" report --month 2026-09 --format json >"$2.sep.json" &&
		"$CT" --store "$1" report --format csv >"$2.csv" &&
		"$CT" --store "$1" report --format markdown >"$2.md" &&
		"$CT" --store "$1" recommend --format json >"$2.rec.json" &&
		"$CT" --store "$1" budget status --config "$TMP/config" --format json >"$2.budget.json" &&
		"$CT" --store "$1" export --with-lines -o "$2.xlsx" >/dev/null
}
same_outputs() { # same_outputs WHAT A B
	for x in json sep.json csv md rec.json budget.json xlsx; do
		check "$1: $x identical to SQLite" cmp "$2.$x" "$3.$x"
	done
}
outputs "$SQ" "$TMP/sq" || not_ok "SQLite outputs"
# the comparison means something: money, tags, findings and budgets
check "the SQLite outputs have findings, tags and budgets" python3 -c '
import json, sys
r = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
assert r["recommendations"]["findings"] and r["by_tag"]["CostCenter"]
assert len(b["budgets"]) == 4 and any(x["spend"] > 0 for x in b["budgets"])' "$TMP/sq.json" "$TMP/sq.budget.json"

# --- one server
URL="clickhouse://default@127.0.0.1:$H1/ct_test"
expect_exit 4 "report before db init: no store" "$CT" --store "$URL" report
contains "$TMP/err" "db init" && ok "the error says to run db init" || not_ok "the error says to run db init"
expect_exit 0 "db init" "$CT" --store "$URL" db init
expect_exit 0 "db init again changes nothing" "$CT" --store "$URL" db init
expect_exit 0 "ingest four months, inventory and metrics" \
	"$CT" --store "$URL" ingest "$TMP/m07.csv" "$TMP/m08.csv" "$TMP/m09.csv" "$TMP/m10.csv" $INV
check "ingest names the store without the password" sh -c "grep -q 'clickhouse://default@127.0.0.1:$H1/ct_test' '$TMP/out' && ! grep -q '$CT_CH_PASSWORD' '$TMP/out' '$TMP/err'"
outputs "$URL" "$TMP/c1" || not_ok "ClickHouse outputs"
same_outputs "one server" "$TMP/sq" "$TMP/c1"
# "now" inside October: some EC2 lines start after it, which the usage
# range leaves out and the usage window still reads
CLOUDTALLY_NOW=2026-10-20T12:00:00Z "$CT" --db "$SQ" recommend --format json >"$TMP/sq.mid.json"
CLOUDTALLY_NOW=2026-10-20T12:00:00Z "$CT" --store "$URL" recommend --format json >"$TMP/c1.mid.json"
check "recommend with now inside the month: identical to SQLite" cmp "$TMP/sq.mid.json" "$TMP/c1.mid.json"
check "and it has commitment options" python3 -c '
import json, sys
assert json.load(open(sys.argv[1]))["commitments"]' "$TMP/c1.mid.json"
# chosen tag keys, one twice in another case and one no line has: the
# ClickHouse store reads every key in one pass
tagargs="--tag Owner --tag owner --tag NoSuchKey --tag CostCenter"
"$CT" --db "$SQ" report --format json $tagargs >"$TMP/sq.tags.json"
"$CT" --store "$URL" report --format json $tagargs >"$TMP/c1.tags.json"
check "chosen tag keys: identical to SQLite" cmp "$TMP/sq.tags.json" "$TMP/c1.tags.json"
check "chosen tag keys: each has its values" python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))["by_tag"]
assert t["Owner"] and t["Owner"] == t["owner"] and t["CostCenter"] and t["NoSuchKey"] == []' "$TMP/c1.tags.json"
# the same through CLOUDTALLY_STORE, password in the URL instead
check "CLOUDTALLY_STORE and a password in the URL" sh -c "
	env -u CLICKHOUSE_PASSWORD CLOUDTALLY_STORE='clickhouse://default:$CT_CH_PASSWORD@127.0.0.1:$H1/ct_test' \
		'$CT' report --format json | cmp - '$TMP/sq.json'"
lines=$(python3 "$CHQ" "$H1" "SELECT count() FROM ct_test.line")
check "24,000 lines in ClickHouse" test "$lines" = 24000
expect_exit 0 "db check is clean" "$CT" --store "$URL" db check

# restatement, on both stores
"$CT" -q --db "$SQ" ingest "$TMP/m10-restated.csv"
expect_exit 0 "restate October" "$CT" --store "$URL" ingest "$TMP/m10-restated.csv"
contains "$TMP/out" "replaced 6000 lines" && ok "the restatement reports 6,000 replaced lines" ||
	{ not_ok "the restatement reports 6,000 replaced lines"; cat "$TMP/out"; }
lines=$(python3 "$CHQ" "$H1" "SELECT count() FROM ct_test.line WHERE billing_period = '2026-10'")
check "October holds the 4,000 restated lines, not 10,000" test "$lines" = 4000
outputs "$SQ" "$TMP/sq2" && outputs "$URL" "$TMP/c2" || not_ok "outputs after the restatement"
same_outputs "after a restatement" "$TMP/sq2" "$TMP/c2"

# an ingest that fails after sending batches leaves nothing behind
before=$(python3 "$CHQ" "$H1" "SELECT count(), sum(billed_cost) FROM ct_test.line")
CLOUDTALLY_CH_BATCH_BYTES=65536 expect_exit 3 "a bad line after several batches" \
	"$CT" --store "$URL" ingest "$TMP/m09.csv" "$TMP/bad.csv"
check "the error names the file and line" grep -q "bad.csv:$badline" "$TMP/err"
after=$(python3 "$CHQ" "$H1" "SELECT count(), sum(billed_cost) FROM ct_test.line")
check "the line table is unchanged" test "$before" = "$after"
stages=$(python3 "$CHQ" "$H1" "SELECT count() FROM system.tables WHERE database = 'ct_test' AND name LIKE '%stage%'")
check "no staging table is left" test "$stages" = 0
"$CT" --store "$URL" report --format json >"$TMP/c3.json"
check "the report is unchanged" cmp "$TMP/c2.json" "$TMP/c3.json"

# the server fails the third insert of a run while more are in flight
# (one at a time, the default two, and four at once): the run fails with
# the server's message and the store is as it was
PROXY_PID=""
for senders in 1 2 4; do
	rm -f "$TMP/proxy.port"
	python3 "$TOOLS/ch_proxy.py" --upstream "$H1" --fail-at 3 >"$TMP/proxy.port" 2>"$TMP/proxy.err" &
	PROXY_PID=$!
	i=0
	while [ ! -s "$TMP/proxy.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	PURL="clickhouse://default@127.0.0.1:$(head -n 1 "$TMP/proxy.port")/ct_test"
	CLOUDTALLY_CH_BATCH_BYTES=65536 CLOUDTALLY_CH_SENDERS=$senders expect_exit 4 \
		"insert 3 fails on the server, $senders in flight" \
		"$CT" --store "$PURL" ingest "$TMP/m07.csv" "$TMP/m09.csv"
	check "the error gives the server's message ($senders in flight)" \
		grep -q "injected failure of insert 3" "$TMP/err"
	kill "$PROXY_PID" 2>/dev/null
	wait "$PROXY_PID" 2>/dev/null
	PROXY_PID=""
	after=$(python3 "$CHQ" "$H1" "SELECT count(), sum(billed_cost) FROM ct_test.line")
	check "the line table is unchanged ($senders in flight)" test "$before" = "$after"
	stages=$(python3 "$CHQ" "$H1" "SELECT count() FROM system.tables WHERE database = 'ct_test' AND name LIKE '%stage%'")
	check "no staging table is left ($senders in flight)" test "$stages" = 0
done
"$CT" --store "$URL" report --format json >"$TMP/c3.json"
check "the report is unchanged after the failed inserts" cmp "$TMP/c2.json" "$TMP/c3.json"

# a file and its .gz copy in one run count once (the second is deleted
# from the staging table before the swap)
gzip -c "$TMP/m08.csv" >"$TMP/m08-copy.csv.gz"
CLOUDTALLY_CH_BATCH_BYTES=65536 expect_exit 0 "a file and its copy in one run" \
	"$CT" --store "$URL" ingest "$TMP/m08.csv" "$TMP/m08-copy.csv.gz"
lines=$(python3 "$CHQ" "$H1" "SELECT count() FROM ct_test.line WHERE billing_period = '2026-08'")
check "August counted once" test "$lines" = 6000
"$CT" --store "$URL" report --format json >"$TMP/c4.json"
check "the report is unchanged by the repeat" cmp "$TMP/c2.json" "$TMP/c4.json"
expect_exit 0 "db check is clean after all that" "$CT" --store "$URL" db check
# db check finds what is wrong: a left-over staging table, lines deleted
# behind cloudtally's back
python3 "$CHQ" "$H1" "CREATE TABLE ct_test.stage_9_9_9 AS ct_test.line"
expect_exit 4 "db check finds a left-over staging table" "$CT" --store "$URL" db check
check "and names it" grep -q "table stage_9_9_9 was left by an interrupted ingest" "$TMP/out"
python3 "$CHQ" "$H1" "DROP TABLE ct_test.stage_9_9_9"
python3 "$CHQ" "$H1" "ALTER TABLE ct_test.line DELETE WHERE billing_period = '2026-07' AND seq <= 10"
sleep 1
expect_exit 4 "db check finds lines missing" "$CT" --store "$URL" db check
check "and says which ingest" grep -q "records 6000 rows and .* store holds 5990" "$TMP/out"
"$CT" -q --store "$URL" ingest "$TMP/m07.csv"
expect_exit 0 "re-ingesting the month repairs it" "$CT" --store "$URL" db check

# other billing formats: AWS CUR, Azure, GCP CSV and JSON, OCI, CUR 2.0
FC="$EXT/finopsfoundation__focus_converters"
KOKU="$EXT/project-koku__koku/koku/masu/test/data"
FIX="$CT_SRCDIR/tests/fixtures/formats"
FMT="$KOKU/aws/2022-07-01-alt-columns.csv $KOKU/azure/camel_azure_version_2.csv
$KOKU/gcp/2022-08-01_5.csv $FIX/gcp-export.json $FIX/cur-commitments.csv $FIX/cur2
$FC/focus_converter_base/tests/provider_config_tests/oci/reports_cost-csv_0000000030000269.csv"
"$CT" -q --db "$TMP/f.db" ingest $FMT || not_ok "SQLite ingest of the other formats"
expect_exit 0 "ingest every billing format" "$CT" --store "${URL}_formats" ingest $FMT
months=$(python3 "$CHQ" "$H1" "SELECT DISTINCT billing_period FROM ct_test_formats.ingest ORDER BY billing_period")
sqm=$(sqlite3 "$TMP/f.db" "SELECT DISTINCT billing_period FROM ingest ORDER BY 1" 2>/dev/null || echo "$months")
check "the same months ($(echo $months))" test "$(echo $months)" = "$(echo $sqm)"
for m in $months; do
	"$CT" --db "$TMP/f.db" report --month "$m" --format json >"$TMP/f-sq.json" 2>&1
	"$CT" --store "${URL}_formats" report --month "$m" --format json >"$TMP/f-ch.json" 2>&1
	check "$m of the other formats: identical report JSON" cmp "$TMP/f-sq.json" "$TMP/f-ch.json"
	check "$m: a report with lines" python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["lines"] > 0 else 1)' "$TMP/f-ch.json"
done

# errors
expect_exit 2 "a URL without a database" "$CT" --store "clickhouse://127.0.0.1:$H1" report
expect_exit 2 "a bad database name" "$CT" --store "clickhouse://127.0.0.1:$H1/a-b" report
expect_exit 2 "a bad host" "$CT" --store "clickhouse://exa_mple:$H1/ct_test" report
CLICKHOUSE_PASSWORD=wrong-Pw expect_exit 5 "a wrong password" "$CT" --store "$URL" report
check "the wrong password is not shown" sh -c "! grep -q wrong-Pw '$TMP/err' '$TMP/out'"
expect_exit 5 "a server that is not there" "$CT" --store "clickhouse://127.0.0.1:1/ct_test" report
check "no password in any table" sh -c "
	for t in \$(python3 '$CHQ' '$H1' 'SHOW TABLES FROM ct_test'); do
		python3 '$CHQ' '$H1' \"SELECT * FROM ct_test.\$t FORMAT TSV\"
	done | grep -c '$CT_CH_PASSWORD' | grep -qx 0"

# --- two shards
stop_one() { [ -f "$1/pid" ] && kill "$(cat "$1/pid")" 2>/dev/null; }
stop_one "$TMP/ch1"
# a port can be taken between picking and binding: three tries
started=no
for try in 1 2 3; do
	set -- $(free_ports 4)
	HA=$1 TA=$2 HB=$3 TB=$4
	if "$TOOLS/clickhouse_start.sh" "$TMP/chA" "$HA" "$TA" two "$TA" "$TB" &&
		"$TOOLS/clickhouse_start.sh" "$TMP/chB" "$HB" "$TB" two "$TA" "$TB"; then
		started=yes
		break
	fi
	stop_one "$TMP/chA"
	stop_one "$TMP/chB"
	sleep 1
	rm -rf "$TMP/chA" "$TMP/chB"
done
if [ $started = yes ]; then
	ok "two servers with cluster 'two' started"
else
	not_ok "two servers with cluster 'two' started"
	finish
	exit
fi
CURL="clickhouse://default@127.0.0.1:$HA,127.0.0.1:$HB/ct_test"
expect_exit 2 "a cluster store needs every shard in the URL" \
	"$CT" --store "clickhouse://default@127.0.0.1:$HA/ct_test" db init --cluster two
expect_exit 2 "an unknown cluster" "$CT" --store "$CURL" db init --cluster nine
expect_exit 0 "db init --cluster two" "$CT" --store "$CURL" db init --cluster two
expect_exit 0 "ingest into the cluster" \
	"$CT" --store "$CURL" ingest "$TMP/m07.csv" "$TMP/m08.csv" "$TMP/m09.csv" "$TMP/m10.csv" $INV
a=$(python3 "$CHQ" "$HA" "SELECT count() FROM ct_test.line_local")
b=$(python3 "$CHQ" "$HB" "SELECT count() FROM ct_test.line_local")
check "both shards hold lines ($a + $b)" test "$a" -gt 0 -a "$b" -gt 0 -a $((a + b)) -eq 24000
engine=$(python3 "$CHQ" "$HA" "SELECT engine FROM system.tables WHERE database = 'ct_test' AND name = 'line'")
check "line is a Distributed table" test "$engine" = Distributed
outputs "$CURL" "$TMP/d1" || not_ok "cluster outputs"
same_outputs "two shards" "$TMP/sq" "$TMP/d1"
expect_exit 0 "restate October on the cluster" "$CT" --store "$CURL" ingest "$TMP/m10-restated.csv"
outputs "$CURL" "$TMP/d2" || not_ok "cluster outputs after the restatement"
same_outputs "two shards, after a restatement" "$TMP/sq2" "$TMP/d2"
CLOUDTALLY_CH_BATCH_BYTES=65536 expect_exit 3 "a bad line on the cluster" \
	"$CT" --store "$CURL" ingest "$TMP/m09.csv" "$TMP/bad.csv"
"$CT" --store "$CURL" report --format json >"$TMP/d3.json"
check "the cluster's report is unchanged" cmp "$TMP/d2.json" "$TMP/d3.json"
stages=$( (python3 "$CHQ" "$HA" "SELECT count() FROM system.tables WHERE database = 'ct_test' AND name LIKE '%stage%'"
	python3 "$CHQ" "$HB" "SELECT count() FROM system.tables WHERE database = 'ct_test' AND name LIKE '%stage%'") | tr -d '\n')
check "no staging table is left on either shard" test "$stages" = 00
expect_exit 0 "db check on the cluster" "$CT" --store "$CURL" db check
expect_exit 2 "two hosts without --cluster" \
	"$CT" --store "clickhouse://default@127.0.0.1:$HA,127.0.0.1:$HB/ct_other" db init
expect_exit 0 "db init of the cluster store again" "$CT" --store "$CURL" db init
expect_exit 0 "a one-server store on the first shard" \
	"$CT" --store "clickhouse://default@127.0.0.1:$HA/ct_one" db init
expect_exit 2 "cannot become a cluster store" \
	"$CT" --store "clickhouse://default@127.0.0.1:$HA,127.0.0.1:$HB/ct_one" db init --cluster two
contains "$TMP/err" "made on one server" && ok "the error says why" || not_ok "the error says why"
finish
