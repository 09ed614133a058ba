#!/bin/sh
# bench.sh - `make bench`: the speed and memory figures of BENCHMARKS.md.
#
# Generates a FOCUS month with ../shared/tools/gen-focus (cached in
# $BENCH_DIR), then measures ingest against sqlite3's own CSV import of
# the same file, peak memory, and the JSON report. Nothing here asserts a
# time: the figures are for people to read and record.
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
echo
echo "store: $(du -m "$DIR/b.db" | cut -f1) MB for $ROWS lines"
