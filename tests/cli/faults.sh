#!/bin/sh
# faults.sh - the store under faults (issue 9): an ingest killed with
# SIGKILL at ten points leaves the store whole (all of the file or none of
# it, `db check` clean) and the next ingest gives exactly the totals of one
# clean ingest; two ingests and a report at once neither fail nor lose or
# double lines; a full disk and a read-only store directory give a clear
# error and leave the store as it was; a new store file is mode 0600.
. "$CT_SRCDIR/tests/cli/lib.sh"
have_shared
command -v sqlite3 >/dev/null || { echo "# no sqlite3: skipping"; echo "0 passed, 0 failed"; exit 77; }
GEN="$CT_SHARED/tools/gen-focus"
export CLOUDTALLY_NOW=2026-12-01T00:00:00Z

python3 "$GEN" --rows 300000 --month 2026-10 --seed 11 --out "$TMP/big.csv" >/dev/null
python3 "$GEN" --rows 20000 --month 2026-09 --seed 11 --out "$TMP/sep.csv" >/dev/null
lines=$(($(wc -l <"$TMP/big.csv") - 1))

# the totals of the store, as one line: lines and billed cost per period
totals() { sqlite3 "$1" "SELECT coalesce(group_concat(p || ':' || n || ':' || b, ' '), 'empty') FROM (SELECT i.billing_period p, sum(i.rows) n, sum(i.billed_cost) b FROM ingest i GROUP BY 1 ORDER BY 1)"; }

# one clean ingest: the reference
expect_exit 0 "clean ingest of $lines lines" "$CT" --db "$TMP/ref.db" ingest "$TMP/big.csv"
ref=$(totals "$TMP/ref.db")
check "the clean ingest holds every line" test "${ref#2026-10:$lines:}" != "$ref"

# kill -9 at ten points of the run
for i in 1 2 3 4 5 6 7 8 9 10; do
	db="$TMP/k$i.db"
	"$CT" --db "$db" ingest "$TMP/sep.csv" >/dev/null 2>&1
	base=$(totals "$db")
	"$CT" --db "$db" ingest "$TMP/big.csv" >/dev/null 2>&1 &
	pid=$!
	# 0.03 s to 0.6 s into the run: parsing, storing, the rollup, commit
	sleep "$(awk -v i="$i" 'BEGIN { printf "%.2f", 0.03 + (i - 1) * 0.063 }')"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	expect_exit 0 "kill $i: db check clean" "$CT" --db "$db" db check
	got=$(totals "$db")
	case "$got" in
	"$base") ok "kill $i: none of the file (killed before the commit)" ;;
	"2026-09:"*" 2026-10:$lines:"*) ok "kill $i: all of the file (killed after the commit)" ;;
	*) not_ok "kill $i: partial store: $got" ;;
	esac
	expect_exit 0 "kill $i: ingest again" "$CT" --db "$db" ingest "$TMP/big.csv"
	got=$(totals "$db")
	check "kill $i: totals of one clean ingest" test "$got" = "${base% *} $ref"
done

# two ingests and a report at the same time
db="$TMP/conc.db"
"$CT" --db "$db" db init >/dev/null
"$CT" --db "$db" ingest "$TMP/sep.csv" >/dev/null 2>&1
"$CT" --db "$db" ingest "$TMP/big.csv" >"$TMP/c1.out" 2>"$TMP/c1.err" &
p1=$!
"$CT" --db "$db" ingest "$TMP/sep.csv" >"$TMP/c2.out" 2>"$TMP/c2.err" &
p2=$!
rfail=0
for k in 1 2 3 4 5 6; do
	"$CT" --db "$db" report --month 2026-09 --format json >/dev/null 2>>"$TMP/r.err" || rfail=$((rfail + 1))
done
wait "$p1"
s1=$?
wait "$p2"
s2=$?
check "concurrent ingest 1 succeeded" test "$s1" -eq 0
check "concurrent ingest 2 succeeded" test "$s2" -eq 0
check "reports during the ingests succeeded" test "$rfail" -eq 0
check "no 'database is locked' reached the user" sh -c '! grep -qi "locked\|busy" "$1"/c1.err "$1"/c2.err "$1"/r.err' sh "$TMP"
sep_ref=$("$CT" --db "$TMP/sepref.db" ingest "$TMP/sep.csv" >/dev/null 2>&1; totals "$TMP/sepref.db")
check "no lost or doubled lines" test "$(totals "$db")" = "$sep_ref $ref"
expect_exit 0 "concurrent store checks clean" "$CT" --db "$db" db check

# a full disk: a small tmpfs when we may mount one, else a file size limit
db="$TMP/full/s.db"
mkdir -p "$TMP/full"
mounted=
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=6m tmpfs "$TMP/full" 2>/dev/null; then
	mounted=1
fi
"$CT" --db "$db" ingest "$TMP/sep.csv" >/dev/null 2>&1
before=$(totals "$db")
if [ -n "$mounted" ]; then
	expect_exit 4 "disk full (6 MB tmpfs): ingest fails" "$CT" --db "$db" ingest "$TMP/big.csv"
else
	size=$(($(wc -c <"$db") / 512 + 600))
	expect_exit 4 "disk full (ulimit -f): ingest fails" sh -c "trap '' XFSZ; ulimit -f $size; exec \"\$0\" --db \"\$1\" ingest \"\$2\"" "$CT" "$db" "$TMP/big.csv"
fi
check "disk full: the error says so" grep -qi "full\|too large\|space" "$TMP/err"
check "disk full: the error names the store" contains "$TMP/err" "s.db"
check "disk full: store unchanged" test "$(totals "$db")" = "$before"
expect_exit 0 "disk full: store checks clean" "$CT" --db "$db" db check

# a read-only store directory
if [ -n "$mounted" ]; then
	mount -o remount,ro "$TMP/full" 2>/dev/null || mounted=
fi
if [ -n "$mounted" ] || [ "$(id -u)" != 0 ]; then
	[ -n "$mounted" ] || chmod 555 "$TMP/full"
	expect_exit 4 "read-only store: ingest fails" "$CT" --db "$db" ingest "$TMP/sep.csv"
	check "read-only store: the error names the store" contains "$TMP/err" "s.db"
	check "read-only store: the error says read-only" grep -qi "read-only\|readonly\|permission" "$TMP/err"
	if [ -n "$mounted" ]; then mount -o remount,rw "$TMP/full"; else chmod 755 "$TMP/full"; fi
	check "read-only store: store unchanged" test "$(totals "$db")" = "$before"
else
	echo "ok - # SKIP read-only store: running as root without mount"
fi
[ -n "$mounted" ] && umount "$TMP/full"

# the store file's mode
umask 022
"$CT" --db "$TMP/mode.db" db init >/dev/null
check "a new store is mode 0600" test "$(stat -c %a "$TMP/mode.db")" = 600
"$CT" --db "$TMP/mode2/deep/m.db" ingest "$TMP/sep.csv" >/dev/null
check "a store made by ingest is mode 0600" test "$(stat -c %a "$TMP/mode2/deep/m.db")" = 600
finish
