#!/bin/sh
# ingest.sh - real FOCUS files ingest with totals equal to an independent
# sum (tests/tools/focus_oracle.py), restatement and idempotence.
. "$CT_SRCDIR/tests/cli/lib.sh"
have_shared

SAMPLE="$EXT/FinOps-Open-Cost-and-Usage-Spec__FOCUS-Sample-Data/FOCUS-1.0/focus_sample.csv"
SPEC="$EXT/FinOps-Open-Cost-and-Usage-Spec__FOCUS_Spec/specification/data"
DB="$TMP/s.db"

# report JSON equals the independent computation, to the cent
agree() { # agree "what" MONTH DB FILE...
	what=$1 month=$2 db=$3
	shift 3
	CLOUDTALLY_NOW=2030-01-01 "$CT" --db "$db" report --month "$month" --format json >"$TMP/rep.json" &&
		python3 "$TOOLS/focus_oracle.py" "$month" "$@" >"$TMP/ora.json" &&
		python3 "$TOOLS/compare_report.py" "$TMP/rep.json" "$TMP/ora.json" >"$TMP/diff" 2>&1
	if [ $? -eq 0 ]; then ok "$what"; else not_ok "$what"; head -20 "$TMP/diff"; fi
}

# the official FOCUS 1.0 sample: NULL tokens, space timestamps, extra Id column
expect_exit 0 "ingest focus_sample.csv" "$CT" --db "$DB" ingest "$SAMPLE"
check "detected as FOCUS 1.0" contains "$TMP/out" "focus-1.0, 1000 lines"
agree "focus_sample.csv report = independent sum" 2024-09 "$DB" "$SAMPLE"
expect_exit 0 "store checks clean" "$CT" --db "$DB" db check

# the same file twice changes nothing
"$CT" --db "$DB" report --month 2024-09 --format json >"$TMP/before.json"
expect_exit 0 "ingest the same file again" "$CT" --db "$DB" ingest "$SAMPLE"
check "replaced, not added" contains "$TMP/out" "replaced 1000 lines"
"$CT" --db "$DB" report --month 2024-09 --format json >"$TMP/after.json"
check "report unchanged by a second ingest" cmp -s "$TMP/before.json" "$TMP/after.json"

# gzip of the same file gives the same figures
gzip -c "$SAMPLE" >"$TMP/focus_sample.csv.gz"
expect_exit 0 "ingest gzip copy" "$CT" --db "$TMP/gz.db" ingest "$TMP/focus_sample.csv.gz"
"$CT" --db "$TMP/gz.db" report --month 2024-09 --format json >"$TMP/gz.json"
check "gzip report = plain report" cmp -s "$TMP/before.json" "$TMP/gz.json"

# CRLF line ends and a byte order mark
printf '\357\273\277' >"$TMP/crlf.csv"
sed 's/$/\r/' "$SAMPLE" >>"$TMP/crlf.csv"
expect_exit 0 "ingest BOM + CRLF copy" "$CT" --db "$TMP/crlf.db" ingest "$TMP/crlf.csv"
"$CT" --db "$TMP/crlf.db" report --month 2024-09 --format json >"$TMP/crlf.json"
check "BOM + CRLF report = plain report" cmp -s "$TMP/before.json" "$TMP/crlf.json"

# FOCUS 1.2 worked examples from the specification (every one of them)
if [ -d "$SPEC" ]; then
	nspec=0
	for f in $(find "$SPEC" -name '*.csv' | sort); do
		nspec=$((nspec + 1))
		"$CT" -q --db "$TMP/spec-$nspec.db" ingest "$f" >"$TMP/out" 2>"$TMP/err" ||
			{ not_ok "spec example $f"; cat "$TMP/err"; continue; }
		want=$(python3 -c 'import csv,sys,decimal; print(sum(decimal.Decimal(r["BilledCost"].strip().replace("$","").replace(",","")) for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")) if r["BilledCost"].strip().upper() not in ("", "NULL")))' "$f")
		got=$(sqlite3 "$TMP/spec-$nspec.db" "SELECT printf('%.2f', sum(billed_cost) / 1e9) FROM line")
		want2=$(python3 -c "print('%.2f' % float('$want'))")
		if [ "$got" = "$want2" ]; then ok "spec example $(basename "$f") total $got"; else not_ok "spec example $(basename "$f"): $got != $want2"; fi
	done
	check "all 26 spec examples read" test "$nspec" -ge 26
fi

# a generated month and its predecessor, both kept side by side
GEN="$CT_SHARED/tools/gen-focus"
python3 "$GEN" --rows 20000 --month 2026-09 --seed 3 --resources 120 --out "$TMP/g9.csv.gz" >/dev/null
python3 "$GEN" --rows 22000 --month 2026-10 --seed 3 --resources 120 --out "$TMP/g10.csv" >/dev/null
expect_exit 0 "ingest a folder of two generated months" sh -c "mkdir -p '$TMP/gen' && cp '$TMP/g9.csv.gz' '$TMP/g10.csv' '$TMP/gen/' && '$CT' --db '$TMP/g.db' ingest '$TMP/gen'"
check "folder: both files read" contains "$TMP/out" "ingested 2 files, 42000 lines"
agree "generated October = independent sum" 2026-10 "$TMP/g.db" "$TMP/g9.csv.gz" "$TMP/g10.csv"
agree "generated September = independent sum" 2026-09 "$TMP/g.db" "$TMP/g9.csv.gz" "$TMP/g10.csv"

# restatement: a rewritten October replaces the old one; September stays
python3 "$GEN" --rows 15000 --month 2026-10 --seed 4 --resources 120 --out "$TMP/g10b.csv" >/dev/null
expect_exit 0 "ingest a restated October" "$CT" --db "$TMP/g.db" ingest "$TMP/g10b.csv"
check "restatement replaced 22000 lines" contains "$TMP/out" "replaced 22000 lines"
agree "restated October = the new file alone" 2026-10 "$TMP/g.db" "$TMP/g9.csv.gz" "$TMP/g10b.csv"
agree "September untouched by the restatement" 2026-09 "$TMP/g.db" "$TMP/g9.csv.gz"
expect_exit 0 "store checks clean after restatement" "$CT" --db "$TMP/g.db" db check

# the same bytes twice in one run count once: a file and its gzip copy,
# a folder and a file inside it, a folder reached again through a link
mkdir -p "$TMP/twice/2024-09"
cp "$SAMPLE" "$TMP/twice/2024-09/focus.csv"
gzip -c "$SAMPLE" >"$TMP/twice/2024-09/focus.csv.gz"
ln -s 2024-09 "$TMP/twice/latest"
expect_exit 0 "ingest a folder with copies and a link" "$CT" --db "$TMP/twice.db" ingest "$TMP/twice" "$TMP/twice/2024-09/focus.csv"
check "copies skipped" contains "$TMP/out" "same content as an earlier file of this ingest, skipped"
check "one file counted" contains "$TMP/out" "ingested 1 file, 1000 lines"
"$CT" --db "$TMP/twice.db" report --month 2024-09 --format json >"$TMP/twice.json"
check "copies: same report as the file once" cmp -s "$TMP/before.json" "$TMP/twice.json"

# a restatement without a sub-account the replaced month had: a warning
H="BillingAccountId,BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart,ChargePeriodEnd,BilledCost,ProviderName,SubAccountId,ServiceName"
P="2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,2026-10-02T00:00:00Z,2026-10-02T01:00:00Z"
printf '%s\n111,%s,100,AWS,sub-a,EC2\n111,%s,5,AWS,sub-b,EC2\n' "$H" "$P" "$P" >"$TMP/both.csv"
printf '%s\n111,%s,40,AWS,sub-b,EC2\n' "$H" "$P" >"$TMP/subb.csv"
"$CT" -q --db "$TMP/sub.db" ingest "$TMP/both.csv"
expect_exit 0 "restatement missing a sub-account" "$CT" --db "$TMP/sub.db" ingest "$TMP/subb.csv"
check "warned about sub-account sub-a" contains "$TMP/err" "warning: .*sub-account 'sub-a'.*1 lines, \$100.00"
printf '%s\n111,%s,7,AWS,sub-b,EC2\n' "$H" "$P" >"$TMP/subb2.csv"
expect_exit 0 "restatement with the same sub-accounts" "$CT" --db "$TMP/sub.db" ingest "$TMP/subb2.csv"
check "no warning then" sh -c "! test -s '$TMP/err'"

# standard input
expect_exit 0 "ingest from standard input" sh -c "'$CT' --db '$TMP/stdin.db' ingest - < '$SAMPLE'"
check "stdin lines" contains "$TMP/out" "1000 lines"

# version labels come from the newest columns present
V12="$SPEC/saas_examples/virtual_currency_pricing_model_a1.csv"
V11="$SPEC/commitment_discount_scenarios/commitment_discount_usage_scenario_1.csv"
if [ -f "$V12" ] && [ -f "$V11" ]; then
	expect_exit 0 "ingest a FOCUS 1.2 example" "$CT" --db "$TMP/v.db" ingest "$V12"
	check "labelled focus-1.2" contains "$TMP/out" "focus-1.2,"
	expect_exit 0 "ingest a FOCUS 1.1 example" "$CT" --db "$TMP/v.db" ingest "$V11"
	check "labelled focus-1.1" contains "$TMP/out" "focus-1.1,"
fi

# columns in another order, x_ columns and unknown columns: same figures
python3 - "$SAMPLE" "$TMP/shuffled.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
order = list(reversed(range(len(rows[0]))))
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    for i, r in enumerate(rows):
        extra = ["x_Discounts", "Vendor Notes"] if i == 0 else ['{"a": 1}', "=1+2"]
        w.writerow([r[j] if r[j] != "NULL" else "" for j in order] + extra)
PY
expect_exit 0 "ingest reordered columns with x_ and unknown columns" "$CT" --db "$TMP/shuf.db" ingest "$TMP/shuffled.csv"
"$CT" --db "$TMP/shuf.db" report --month 2024-09 --format json >"$TMP/shuf.json"
check "reordered file: same report" cmp -s "$TMP/before.json" "$TMP/shuf.json"

# a progress line on a terminal for a large file, none without one
python3 "$GEN" --rows 100000 --month 2026-08 --seed 5 --out "$TMP/big.csv" >/dev/null
python3 - "$CT" "$TMP/tty.db" "$TMP/big.csv" >"$TMP/tty.out" <<'PY'
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "--db", sys.argv[2], "ingest", sys.argv[3]])
out = b""
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
PY
check "progress shown on a terminal" grep -q "ingest .*big.csv: .*%" "$TMP/tty.out"
"$CT" --db "$TMP/tty2.db" ingest "$TMP/big.csv" >/dev/null 2>"$TMP/notty.err"
check "no progress without a terminal" sh -c "! test -s '$TMP/notty.err'"
rm -f "$TMP/big.csv"

# quiet under cron: nothing on stdout or stderr
"$CT" -q --db "$TMP/q.db" ingest "$SAMPLE" >"$TMP/qout" 2>"$TMP/qerr"
check "-q prints nothing" sh -c "! test -s '$TMP/qout' && ! test -s '$TMP/qerr'"
finish
