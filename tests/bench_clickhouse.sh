#!/bin/sh
# bench_clickhouse.sh - part of `make bench` (tests/bench.sh): the same
# FOCUS month at several sizes (BENCH_CH_ROWS, default 100,000 300,000
# 1,000,000 and 10,000,000 lines) ingested and reported on a SQLite store
# and on a ClickHouse store (a throw-away clickhouse-server on 127.0.0.1
# with its data under $BENCH_DIR), to find the size from which ClickHouse
# is the faster store. Each pair of reports is compared byte for byte.
# Times are wall clock; peak RSS is cloudtally's own (the server's memory
# is not counted). Skipped when clickhouse-server is not installed.
set -eu
: "${CLOUDTALLY:?}" "${CT_SRCDIR:?}" "${CT_SHARED:?}"
SIZES=${BENCH_CH_ROWS:-100000 300000 1000000 10000000}
DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/cloudtally-bench}
M="python3 $CT_SRCDIR/tests/tools/measure.py"
SERVER=$(command -v clickhouse-server || { [ -x /usr/sbin/clickhouse-server ] && echo /usr/sbin/clickhouse-server; } || true)
if [ -z "$SERVER" ]; then
	echo "ClickHouse: clickhouse-server not installed: skipped"
	exit 0
fi
PATH=$PATH:$(dirname "$SERVER")
export CT_CH_PASSWORD=bench CLICKHOUSE_PASSWORD=bench
set -- $(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for k in s: k.bind(("127.0.0.1", 0))
print(" ".join(str(k.getsockname()[1]) for k in s))')
HTTP=$1 TCP=$2
rm -rf "$DIR/ch"
"$CT_SRCDIR/tests/tools/clickhouse_start.sh" "$DIR/ch" "$HTTP" "$TCP"
trap 'kill "$(cat "$DIR/ch/pid")" 2>/dev/null; rm -rf "$DIR/ch"' EXIT
echo
echo "ClickHouse $(python3 "$CT_SRCDIR/tests/tools/chq.py" "$HTTP" 'SELECT version()') on 127.0.0.1 vs SQLite, same lines:"
for n in $SIZES; do
	csv="$DIR/focus-$n.csv"
	if [ ! -s "$csv" ]; then
		echo "generating $n FOCUS rows (once) ..."
		python3 "$CT_SHARED/tools/gen-focus" --rows "$n" --month 2026-10 --seed 7 --out "$csv" >/dev/null
	fi
	db="$DIR/cmp-$n.db"
	url="clickhouse://default@127.0.0.1:$HTTP/bench_$n"
	rm -f "$db" "$db-wal" "$db-shm"
	printf '%-44s ' "$n lines: SQLite ingest"
	$M 1 "$CLOUDTALLY" -q --db "$db" ingest "$csv"
	python3 "$CT_SRCDIR/tests/tools/chq.py" "$HTTP" "DROP DATABASE IF EXISTS bench_$n" >/dev/null
	"$CLOUDTALLY" -q --store "$url" db init
	printf '%-44s ' "$n lines: ClickHouse ingest"
	$M 1 "$CLOUDTALLY" -q --store "$url" ingest "$csv"
	printf '%-44s ' "$n lines: SQLite report --format json"
	$M 3 "$CLOUDTALLY" --db "$db" report --month 2026-10 --format json
	printf '%-44s ' "$n lines: ClickHouse report --format json"
	$M 3 "$CLOUDTALLY" --store "$url" report --month 2026-10 --format json
	"$CLOUDTALLY" --db "$db" report --month 2026-10 --format json >"$DIR/r-sq.json"
	"$CLOUDTALLY" --store "$url" report --month 2026-10 --format json >"$DIR/r-ch.json"
	if cmp -s "$DIR/r-sq.json" "$DIR/r-ch.json"; then same=identical; else same=DIFFERENT; fi
	echo "$n lines: reports $same; SQLite store $(du -m "$db" | cut -f1) MB," \
		"ClickHouse data $(du -sm "$DIR/ch/data/data/bench_$n" | cut -f1) MB"
	rm -f "$db" "$db-wal" "$db-shm"
	python3 "$CT_SRCDIR/tests/tools/chq.py" "$HTTP" "DROP DATABASE bench_$n" >/dev/null
done
