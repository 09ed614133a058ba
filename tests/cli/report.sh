#!/bin/sh
# report.sh - the monthly report in every format, on the bundled sample.
. "$CT_SRCDIR/tests/cli/lib.sh"
have_shared

DB="$TMP/r.db"
S9="$CT_SRCDIR/data/sample/focus-2026-09.csv.gz"
S10="$CT_SRCDIR/data/sample/focus-2026-10.csv.gz"
export CLOUDTALLY_NOW=2026-12-01T00:00:00Z
"$CT" -q --db "$DB" ingest "$S9" "$S10" || exit 1

expect_exit 0 "report json (default month)" "$CT" --db "$DB" report --format json
cp "$TMP/out" "$TMP/rep.json"
python3 "$TOOLS/focus_oracle.py" 2026-10 "$S9" "$S10" >"$TMP/ora.json"
check "default month is the latest complete one" grep -q '"month": "2026-10"' "$TMP/rep.json"
if python3 "$TOOLS/compare_report.py" "$TMP/rep.json" "$TMP/ora.json" >"$TMP/diff"; then
	ok "every figure equals the independent computation"
else
	not_ok "figures differ"; head "$TMP/diff"
fi
check "JSON contract fields" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
need = ["month", "currency", "total_billed_cost", "total_effective_cost",
        "previous_total_billed_cost", "by_service", "by_account", "by_region",
        "by_tag", "untagged_billed_cost", "daily", "anomalies", "forecast_billed_cost"]
miss = [k for k in need if k not in r]
assert not miss, miss
assert set(r["by_service"][0]) >= {"name", "category", "billed_cost", "effective_cost", "previous_billed_cost"}
assert set(r["by_account"][0]) >= {"id", "name", "billed_cost"}
assert set(r["by_region"][0]) >= {"id", "billed_cost"}
assert set(r["daily"][0]) == {"date", "billed_cost"}
assert r["forecast_billed_cost"] is None
assert len(r["daily"]) == 31
' "$TMP/rep.json"

for f in text markdown html csv; do
	expect_exit 0 "report --format $f" "$CT" --db "$DB" report --format $f
	cp "$TMP/out" "$TMP/rep.$f"
done
total=$(python3 -c 'import json,sys; print("{:,.2f}".format(json.load(open(sys.argv[1]))["total_billed_cost"]))' "$TMP/rep.json")
check "text shows the total \$$total" grep -q "\$$total" "$TMP/rep.text"
check "markdown shows the total" grep -q "\$$total" "$TMP/rep.markdown"
check "markdown has tables" grep -q '^|' "$TMP/rep.markdown"
check "html is a page" grep -q '</html>' "$TMP/rep.html"
check "html shows the total" grep -q "\$$total" "$TMP/rep.html"
check "text notes the FinOps review (bill over \$5,000)" grep -q 'over \$5,000' "$TMP/rep.text"
check "csv has a header" grep -q '^section,key,name,billed_cost' "$TMP/rep.csv"

expect_exit 0 "report -o file" "$CT" --db "$DB" report --format html -o "$TMP/r.html"
check "-o wrote the file" grep -q '</html>' "$TMP/r.html"
check "-o left no temporary file" sh -c "! ls '$TMP' | grep -q 'r.html.tmp'"
expect_exit 6 "report -o into a missing folder" "$CT" --db "$DB" report -o "$TMP/no/such/r.txt"

# previous month: no month before it in the store
expect_exit 0 "report September" "$CT" --db "$DB" report --month 2026-09 --format json
check "no previous month is null" grep -q '"previous_total_billed_cost": null' "$TMP/out"
expect_exit 3 "a month not in the store" "$CT" --db "$DB" report --month 2025-01

# an open month gets a run-rate forecast
CLOUDTALLY_NOW=2026-10-20T00:00:00Z "$CT" --db "$DB" report --month 2026-10 --format json >"$TMP/open.json"
check "open month has a forecast" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["complete"] is False and r["forecast_billed_cost"] is not None
# the data runs to the 31st, so the run rate over 31 days is the total
assert abs(r["forecast_billed_cost"] - r["total_billed_cost"]) < 0.01
' "$TMP/open.json"

# allocation keys of one's own
expect_exit 0 "report --tag Owner --tag Team" "$CT" --db "$DB" report --format json --tag Owner --tag Team
check "only the chosen keys" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert sorted(r["by_tag"]) == ["Owner", "Team"], sorted(r["by_tag"])
assert r["by_tag"]["Team"] == []
' "$TMP/out"
finish
