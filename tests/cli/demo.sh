#!/bin/sh
# demo.sh - `cloudtally demo` runs the monthly job on the bundled sample
# with no set-up: the text report, and markdown and HTML files.
. "$CT_SRCDIR/tests/cli/lib.sh"

cd "$TMP" || exit 1
export CLOUDTALLY_NOW=2026-12-01T00:00:00Z
expect_exit 0 "demo" "$CT" demo
check "prints the October report" grep -q 'Cloud cost report.*2026-10' "$TMP/out"
check "says where the markdown is" grep -q 'cloudtally-demo/report-2026-10.md' "$TMP/out"
check "markdown written" test -s "$TMP/cloudtally-demo/report-2026-10.md"
check "html written" grep -q '</html>' "$TMP/cloudtally-demo/report-2026-10.html"
check "demo store checks clean" "$CT" --db "$TMP/cloudtally-demo/demo.db" db check
expect_exit 0 "demo again (re-ingest replaces)" "$CT" demo --out "$TMP/cloudtally-demo"
"$CT" --db "$TMP/cloudtally-demo/demo.db" report --format json >"$TMP/j"
check "two months, no doubles" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["month"] == "2026-10" and r["lines"] == 18008, (r["month"], r["lines"])
assert r["previous_total_billed_cost"] is not None
' "$TMP/j"

# The savings section: the bundled inventory is gen-focus's --inventory
# output for the October month; its truth.json names the findings.
have_shared
python3 "$CT_SHARED/tools/gen-focus" --rows 18000 --month 2026-10 --seed 7 \
	--resources 90 --accounts 4 --out "$TMP/g.csv" --inventory "$TMP/ginv" >/dev/null
check "bundled inventory is gen-focus's" sh -c '
for f in ec2-describe-instances ec2-describe-volumes ec2-describe-addresses cloudwatch-cpu cloudwatch-network; do
	gzip -dc "$1/cloudtally-demo/sample/$f.json.gz" | cmp -s - "$1/ginv/$f.json" || exit 1
done' sh "$TMP"
check "report findings equal truth.json" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["recommendations"]
t = json.load(open(sys.argv[2]))
got = {}
for f in r["findings"]:
    got.setdefault(f["kind"], set()).add(f["resource_id"])
want = {"idle_instance": {x["id"] for x in t["idle"]},
        "low_cpu_instance": {x["id"] for x in t["low_cpu"]},
        "unattached_volume": {x["id"] if isinstance(x, dict) else x for x in t["unattached_volumes"]},
        "unassociated_address": {x["id"] if isinstance(x, dict) else x for x in t["unassociated_addresses"]}}
assert got == want, (got, want)
' "$TMP/j" "$TMP/ginv/truth.json"
"$CT" --db "$TMP/cloudtally-demo/demo.db" recommend --format json >"$TMP/rj"
check "report saving total is recommend's" python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))["recommendations"]["total_estimated_monthly_savings"]
b = json.load(open(sys.argv[2]))["total_estimated_monthly_savings"]
assert a == b and a > 0, (a, b)
' "$TMP/j" "$TMP/rj"
"$CT" --db "$TMP/cloudtally-demo/demo.db" report >"$TMP/txt"
total=$(python3 -c '
import json, sys
print("${:,.2f}".format(json.load(open(sys.argv[1]))["total_estimated_monthly_savings"]))' "$TMP/rj")
check "text report shows the saving ($total)" grep -q "Estimated monthly saving  *$total\$" "$TMP/txt"
check "demo report shows its budgets" sh -c 'grep -q "^| EC2 | .* critical |$" "$1" && test -s "$2"' sh "$TMP/cloudtally-demo/report-2026-10.md" "$TMP/cloudtally-demo/cloudtally.conf"
check "markdown report has the savings section" grep -q '^## Savings opportunities' \
	"$TMP/cloudtally-demo/report-2026-10.md"
finish
