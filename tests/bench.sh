#!/bin/sh
# bench.sh - `make bench`: the speed and memory figures of BENCHMARKS.md.
#
# Generates a FOCUS month with ../shared/tools/gen-focus (cached in
# $BENCH_DIR), then measures ingest against sqlite3's own CSV import of
# the same file and against DuckDB (the npm package @duckdb/node-api,
# installed into $BENCH_DIR when npm can reach its registry; else those
# rows say so), the report against DuckDB running the same aggregations,
# the workbook with every line, recommend, estimate and k8s, each with its
# peak memory. Nothing here asserts a time: the figures are for people to
# read and record in BENCHMARKS.md.
set -eu
: "${CLOUDTALLY:?}" "${CT_SRCDIR:?}" "${CT_SHARED:?}"
ROWS=${BENCH_ROWS:-1000000}
RUNS=${BENCH_RUNS:-3}
DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/cloudtally-bench}
M="python3 $CT_SRCDIR/tests/tools/measure.py"
mkdir -p "$DIR"
CSV="$DIR/focus-$ROWS.csv"
if [ ! -s "$CSV" ]; then
	echo "generating $ROWS FOCUS rows (once) ..."
	python3 "$CT_SHARED/tools/gen-focus" --rows "$ROWS" --month 2026-10 --seed 7 --out "$CSV"
fi
[ -s "$CSV.gz" ] || gzip -1 -c "$CSV" >"$CSV.gz"
echo "machine: $(nproc) cores, $(uname -m); file: $CSV ($(du -m "$CSV" | cut -f1) MB, $ROWS rows)"
echo

ingest() { rm -f "$DIR/b.db" "$DIR/b.db-wal" "$DIR/b.db-shm"; "$CLOUDTALLY" -q --db "$DIR/b.db" ingest "$@"; }
if command -v sqlite3 >/dev/null; then
	printf '%-44s ' "sqlite3 .import (reference)"
	$M "$RUNS" sh -c "rm -f '$DIR/i.db'; sqlite3 '$DIR/i.db' '.mode csv' '.import $CSV t'"
	rm -f "$DIR/i.db"
fi
# DuckDB, when its Node.js package can be had
DUCK=""
if command -v node >/dev/null && command -v npm >/dev/null; then
	if [ ! -d "$DIR/duck/node_modules/@duckdb/node-api" ]; then
		mkdir -p "$DIR/duck"
		(cd "$DIR/duck" && npm install --silent --no-audit --no-fund @duckdb/node-api >/dev/null 2>&1) || true
	fi
	if [ -d "$DIR/duck/node_modules/@duckdb/node-api" ]; then
		cp "$CT_SRCDIR/tests/tools/duck_bench.mjs" "$DIR/duck/"
		DUCK="node $DIR/duck/duck_bench.mjs"
	fi
fi
if [ -n "$DUCK" ]; then
	printf '%-44s ' "DuckDB read_csv into a table (reference)"
	$M "$RUNS" sh -c "rm -f '$DIR/d.duckdb' '$DIR/d.duckdb.wal'; $DUCK load '$CSV' '$DIR/d.duckdb' >/dev/null"
else
	echo "DuckDB: @duckdb/node-api not available (no node/npm or no registry): skipped"
fi
printf '%-44s ' "cloudtally ingest (plain CSV)"
$M "$RUNS" sh -c "rm -f '$DIR'/b.db*; '$CLOUDTALLY' -q --db '$DIR/b.db' ingest '$CSV'"
printf '%-44s ' "cloudtally ingest (gzip)"
$M "$RUNS" sh -c "rm -f '$DIR'/g.db*; '$CLOUDTALLY' -q --db '$DIR/g.db' ingest '$CSV.gz'"
# the same lines as a legacy AWS CUR .csv.gz (the issue's bar: within
# 1.5x of the plain FOCUS CSV above)
CUR="$DIR/cur-$ROWS.csv.gz"
[ -s "$CUR" ] || python3 "$CT_SRCDIR/tests/tools/cur_from_focus.py" "$CSV" "$CUR"
printf '%-44s ' "cloudtally ingest (CUR .csv.gz, same lines)"
$M "$RUNS" sh -c "rm -f '$DIR'/c.db*; '$CLOUDTALLY' -q --db '$DIR/c.db' ingest '$CUR'"
printf '%-44s ' "cloudtally ingest (restatement of same file)"
$M "$RUNS" "$CLOUDTALLY" -q --db "$DIR/b.db" ingest "$CSV"
printf '%-44s ' "cloudtally report --format json"
$M 5 "$CLOUDTALLY" --db "$DIR/b.db" report --month 2026-10 --format json
printf '%-44s ' "cloudtally report (text)"
$M 5 "$CLOUDTALLY" --db "$DIR/b.db" report --month 2026-10
if [ -n "$DUCK" ]; then
	printf '%-44s ' "DuckDB, the report's aggregations"
	$M 5 sh -c "$DUCK report '$DIR/d.duckdb' 2026-10 >/dev/null"
fi
printf '%-44s ' "cloudtally export (workbook, no lines)"
$M 3 "$CLOUDTALLY" --db "$DIR/b.db" export --month 2026-10 -o "$DIR/w.xlsx"
printf '%-44s ' "cloudtally export --with-lines"
$M 1 "$CLOUDTALLY" --db "$DIR/b.db" export --month 2026-10 --with-lines -o "$DIR/wl.xlsx"
rm -f "$DIR/w.xlsx" "$DIR/wl.xlsx"
# recommend: 10,000 instances x 14 days of metrics (gen-focus --inventory)
INV="$DIR/inv"
if [ ! -s "$INV/ec2-describe-instances.json" ]; then
	python3 "$CT_SHARED/tools/gen-focus" --rows 100000 --month 2026-10 --seed 9 \
		--resources 22300 --out "$DIR/inv-focus.csv" --inventory "$INV" >/dev/null
fi
rm -f "$DIR"/r.db*
"$CLOUDTALLY" -q --db "$DIR/r.db" ingest "$DIR/inv-focus.csv" "$INV"
printf '%-44s ' "cloudtally recommend (10,040 instances)"
$M 5 "$CLOUDTALLY" --db "$DIR/r.db" recommend --format json

PLAN="$CT_SHARED/terraform/large/plan.json"
if [ -f "$PLAN" ]; then
	printf '%-44s ' "cloudtally estimate (3,250-resource plan)"
	$M 5 "$CLOUDTALLY" --db "$DIR/none.db" estimate "$PLAN" --format json
fi
K8S="$DIR/k8s"
if [ ! -s "$K8S/pods.json" ]; then
	mkdir -p "$K8S"
	python3 "$CT_SRCDIR/tests/tools/gen_cluster.py" 2000 30 "$K8S"
fi
printf '%-44s ' "cloudtally k8s (2,000 nodes, 60,000 pods)"
$M 3 "$CLOUDTALLY" k8s --nodes "$K8S/nodes.json" --pods "$K8S/pods.json" --format json
echo
echo "store: $(du -m "$DIR/b.db" | cut -f1) MB for $ROWS lines"
# ClickHouse vs SQLite at several sizes
sh "$CT_SRCDIR/tests/bench_clickhouse.sh"
