#!/bin/sh
# badinput.sh - every kind of bad billing file: a clear error naming the
# file and line, exit status 3, and the store exactly as it was.
. "$CT_SRCDIR/tests/cli/lib.sh"
have_shared

SAMPLE="$EXT/FinOps-Open-Cost-and-Usage-Spec__FOCUS-Sample-Data/FOCUS-1.0/focus_sample.csv"
DB="$TMP/b.db"
"$CT" -q --db "$DB" ingest "$SAMPLE" || exit 1
snapshot() { sqlite3 "$DB" "SELECT count(*), sum(billed_cost) FROM line; SELECT count(*) FROM ingest; SELECT count(*), sum(billed_cost) FROM line_day; SELECT count(*) FROM profile;"; }
snapshot >"$TMP/before"

# bad NAME "message" LINE : the file $TMP/NAME must fail with that message
# at that line, exit 3, and leave the store unchanged
bad() {
	name=$1 msg=$2 line=$3
	"$CT" --db "$DB" ingest "$SAMPLE" "$TMP/$name" >"$TMP/out" 2>"$TMP/err"
	st=$?
	snapshot >"$TMP/after"
	if [ $st -eq 3 ] && grep -q "^cloudtally: error: $TMP/$name${line:+:$line}: .*$msg" "$TMP/err" &&
		cmp -s "$TMP/before" "$TMP/after"; then
		ok "$name: exit 3, '$msg' at line $line, store unchanged"
	else
		not_ok "$name: exit $st"
		sed 's/^/  stderr: /' "$TMP/err" | head -3
	fi
}
head1=$(head -1 "$SAMPLE")
row=$(sed -n 2p "$SAMPLE")

# wrong header
printf 'date,amount\n2024-09-01,5\n' >"$TMP/wrong-header.csv"
bad wrong-header.csv "unrecognised billing format" 1
# ragged row: one field short on line 3
{ echo "$head1"; echo "$row"; echo "$row" | sed 's/,[^,]*$//'; } >"$TMP/ragged.csv"
bad ragged.csv "expected 44 fields" 3
# a cost that is not a number
{ echo "$head1"; echo "$row"; echo "$row" | sed 's/^NULL,0.00000080000,/NULL,abc,/'; } >"$TMP/cost.csv"
bad cost.csv "BilledCost is not a number: 'abc'" 3
# 1e999 and NaN
{ echo "$head1"; echo "$row" | sed 's/^NULL,0.00000080000,/NULL,1e999,/'; } >"$TMP/huge.csv"
bad huge.csv "BilledCost is not a number" 2
{ echo "$head1"; echo "$row" | sed 's/^NULL,0.00000080000,/NULL,NaN,/'; } >"$TMP/nan.csv"
bad nan.csv "BilledCost is not a number" 2
# broken gzip: the sample compressed, then cut short
gzip -c "$SAMPLE" | head -c 20000 >"$TMP/cut.csv.gz"
"$CT" --db "$DB" ingest "$TMP/cut.csv.gz" >"$TMP/out" 2>"$TMP/err"
st=$?
snapshot >"$TMP/after"
if [ $st -eq 3 ] && grep -q "cut.csv.gz.*gzip" "$TMP/err" && cmp -s "$TMP/before" "$TMP/after"; then
	ok "truncated gzip: exit 3, named, store unchanged"
else
	not_ok "truncated gzip: exit $st"; cat "$TMP/err"
fi
# binary junk
head -c 65536 /dev/urandom >"$TMP/junk.csv"
"$CT" --db "$DB" ingest "$TMP/junk.csv" >"$TMP/out" 2>"$TMP/err"
st=$?
snapshot >"$TMP/after"
check "binary junk: exit 3 ($st), store unchanged" sh -c "[ $st -eq 3 ] && grep -q 'junk.csv' '$TMP/err' && cmp -s '$TMP/before' '$TMP/after'"
# NUL byte inside a field
{ echo "$head1"; printf 'NULL,1\000,'; echo "$row" | cut -d, -f3-; } >"$TMP/nul.csv"
bad nul.csv "NUL" 2
# an empty file
: >"$TMP/empty.csv"
bad empty.csv "empty file" ""
# unterminated quote running to the end of the file
{ echo "$head1"; echo "$row" | sed 's/"SunBird"/"SunBird/'; } >"$TMP/quote.csv"
bad quote.csv "quote" 2
# a 100 MB line
{ echo "$head1"; head -c 104857600 /dev/zero | tr '\0' 'x'; echo; } >"$TMP/longline.csv"
bad longline.csv "longer than" 2
rm -f "$TMP/longline.csv"
# a timestamp that is not one
{ echo "$head1"; echo "$row" | sed 's/"2024-09-18 23:00:00"/"yesterday"/'; } >"$TMP/date.csv"
bad date.csv "ChargePeriodEnd is not a date and time" 2
# invalid Tags JSON
{ echo "$head1"; echo "$row" | sed 's/,NULL$/,"{""a"": }"/'; } >"$TMP/tags.csv"
bad tags.csv "Tags is not a JSON object" 2
# a good file then a bad one: nothing is claimed on stdout, nothing lands
"$CT" --db "$DB" ingest "$SAMPLE" "$TMP/cost.csv" >"$TMP/out" 2>"$TMP/err"
check "failed run prints no per-file success" sh -c "! test -s '$TMP/out'"
# a folder entry that cannot be read (a dangling link) is a file error
mkdir -p "$TMP/dangle"
cp "$SAMPLE" "$TMP/dangle/a.csv"
ln -s nowhere.csv "$TMP/dangle/b.csv"
expect_exit 6 "dangling link in a folder" "$CT" --db "$DB" ingest "$TMP/dangle"
check "dangling link named" contains "$TMP/err" "b.csv"
# a 1 GB single line on standard input: refused at the record cap, fast
sh -c '{ head -1 "$1"; head -c 1073741824 /dev/zero | tr "\0" x; echo; } | "$2" --db "$3" ingest -' sh "$SAMPLE" "$CT" "$DB" >"$TMP/out" 2>"$TMP/err"
st=$?
snapshot >"$TMP/after"
check "1 GB line on stdin: exit 3 ($st), longer than the cap, store unchanged" sh -c "[ $st -eq 3 ] && grep -q 'longer than' '$TMP/err' && cmp -s '$TMP/before' '$TMP/after'"
# deeply nested JSON: an inventory and a plan
python3 -c 'print("{\"Volumes\": " + "[" * 100000 + "]" * 100000 + "}")' >"$TMP/deep.json"
expect_exit 3 "100,000-deep JSON inventory" "$CT" --db "$DB" ingest "$TMP/deep.json"
check "deep JSON: named" contains "$TMP/err" "deep.json"
python3 -c 'print("{\"format_version\": \"1.2\", \"resource_changes\": " + "[" * 100000 + "]" * 100000 + "}")' >"$TMP/deepplan.json"
expect_exit 3 "100,000-deep JSON plan" "$CT" estimate "$TMP/deepplan.json"
check "deep plan: named" contains "$TMP/err" "deepplan.json"
snapshot >"$TMP/after"
check "store unchanged by the hostile files" cmp -s "$TMP/before" "$TMP/after"

# hostile but valid: SQL metacharacters, invalid UTF-8, -0, formula-looking
# and HTML strings are data. They ingest, the tables survive, the strings
# come back as they were (invalid UTF-8 as U+FFFD) and -0 is 0.
H="$TMP/hostile.db"
{
	echo "$head1"
	echo "$row" | sed "s/\"Atlas Nimbus\"/\"x'); DROP TABLE line; --\"/"
	echo "$row" | sed 's/^NULL,0.00000080000,/NULL,-0,/'
	echo "$row" | sed 's/"Amazon Simple Queue Service"/"=cmd|'"'"' \/C calc'"'"'!A0"/'
	printf '%s\n' "$row" | sed 's/"51738928782","Atlas Nimbus"/"51738928789","caf\xe9 <script>"/'
} >"$TMP/hostile.csv"
expect_exit 0 "hostile strings ingest" "$CT" --db "$H" ingest "$TMP/hostile.csv"
check "the line table survived" test "$(sqlite3 "$H" "SELECT count(*) FROM line")" = 4
check "SQL text stored verbatim" test "$(sqlite3 "$H" "SELECT count(*) FROM profile WHERE sub_account_name = 'x''); DROP TABLE line; --'")" = 1
check "-0 is zero" test "$(sqlite3 "$H" "SELECT count(*) FROM line WHERE billed_cost = 0")" -ge 1
"$CT" --db "$H" report --month 2024-09 --format json >"$TMP/h.json"
check "report JSON parses and keeps the strings" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
names = {a.get("name") for a in r["by_account"]} | {s["name"] for s in r["by_service"]}
assert "x'"'"'); DROP TABLE line; --" in names, names
assert "caf\ufffd <script>" in names, names
assert "=cmd|\x27 /C calc\x27!A0" in names, names
' "$TMP/h.json"
"$CT" --db "$H" report --month 2024-09 --format csv >"$TMP/h.csv"
check "CSV neutralises the formula" grep -q ",'=cmd|" "$TMP/h.csv"
check "CSV has no raw formula cell" sh -c '! grep -q ",=cmd" "$1"' sh "$TMP/h.csv"
"$CT" --db "$H" report --month 2024-09 --format html >"$TMP/h.html"
check "HTML escapes the markup" sh -c 'grep -q "&lt;script&gt;" "$1" && ! grep -q "caf.*<script>" "$1"' sh "$TMP/h.html"
check "text report survives invalid UTF-8" sh -c '"$1" --db "$2" report --month 2024-09 | grep -q "caf"' sh "$CT" "$H"

# a missing file is a file error (6), also with nothing changed
expect_exit 6 "missing file" "$CT" --db "$DB" ingest "$TMP/nope.csv"
snapshot >"$TMP/after"
check "store unchanged after all of that" cmp -s "$TMP/before" "$TMP/after"
expect_exit 0 "store still checks clean" "$CT" --db "$DB" db check
finish
