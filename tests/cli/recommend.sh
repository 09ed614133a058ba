#!/bin/sh
# recommend.sh - `cloudtally recommend` (issue 5, findings half): for
# gen-focus --inventory output of several seeds, ingested with its billing
# file, the idle, low-CPU, unattached-volume and unassociated-address
# findings must be exactly the sets truth.json names; the JSON contract's
# keys, the total as the sum of the savings, the other formats and the
# usage errors.
. "$CT_SRCDIR/tests/cli/lib.sh"
have_shared
GEN="$CT_SHARED/tools/gen-focus"

for seed in 3 17 42; do
	d="$TMP/s$seed"
	mkdir -p "$d"
	python3 "$GEN" --rows 20000 --month 2026-10 --seed "$seed" \
		--out "$d/focus.csv" --inventory "$d/inv" >/dev/null 2>&1
	db="$d/t.db"
	expect_exit 0 "seed $seed: ingest billing and inventory" "$CT" --db "$db" ingest "$d/focus.csv" "$d/inv"
	expect_exit 0 "seed $seed: recommend --format json" "$CT" --db "$db" recommend --format json
	cp "$TMP/out" "$d/rec.json"
	for kind in idle low_cpu unattached_volumes unassociated_addresses; do
		check "seed $seed: $kind = truth.json" python3 -c '
import json, sys
t = json.load(open(sys.argv[1])); d = json.load(open(sys.argv[2])); k = sys.argv[3]
kind = {"idle": "idle_instance", "low_cpu": "low_cpu_instance",
        "unattached_volumes": "unattached_volume",
        "unassociated_addresses": "unassociated_address"}[k]
want = sorted(v if isinstance(v, str) else v["id"] for v in t[k])
got = sorted(f["resource_id"] for f in d["findings"] if f["kind"] == kind)
if want != got:
    print("  want", want, "\n  got ", got)
sys.exit(want != got)
' "$d/inv/truth.json" "$d/rec.json" "$kind"
	done
	check "seed $seed: JSON contract keys, total = sum of savings" python3 -c '
import json, sys
from decimal import Decimal
d = json.load(open(sys.argv[1]), parse_float=Decimal)
assert sorted(d) == ["commitments", "compute_optimizer", "findings", "thresholds", "total_estimated_monthly_savings",
                     "total_rule", "totals_by_kind"], sorted(d)
assert d["compute_optimizer"] == [], d["compute_optimizer"]
ckeys = ["avg_count", "best", "break_even_months", "count", "effective_hourly_rate", "estimated",
         "estimated_monthly_savings", "estimated_monthly_savings_at_utilisation", "instance_type",
         "kind", "note", "offering", "ondemand_hourly_rate", "os", "payback_months",
         "payment_option", "region", "term", "upfront_cost", "utilisation"]
best = {}
for c in d["commitments"]:
    assert sorted(c) == ckeys, sorted(c)
    assert c["kind"] in ("reserved_instance", "savings_plan", "spot"), c
    assert c["count"] >= 1 and c["estimated_monthly_savings"] > 0, c
    if c["kind"] != "spot":
        assert c["term"] in ("1y", "3y") and c["payment_option"] in ("no_upfront", "partial_upfront", "all_upfront"), c
        assert c["effective_hourly_rate"] < c["ondemand_hourly_rate"], c
        assert abs(c["estimated_monthly_savings"] - c["count"] * 730 * (c["ondemand_hourly_rate"] - c["effective_hourly_rate"])) < Decimal("0.000001"), c
        assert (c["break_even_months"] == 0) == (c["payment_option"] == "no_upfront"), c
    k = (c["instance_type"], c["region"], c["os"])
    best.setdefault(k, []).append(c)
nbest = 0
for k, cs in best.items():
    b = [c for c in cs if c["best"]]
    assert len(b) == 1, (k, b)
    assert b[0]["estimated_monthly_savings"] == max(c["estimated_monthly_savings"] for c in cs)
    nbest += 1
assert nbest > 0, "gen-focus runs instances all month: some commitment"
keys = ["account_id", "action", "estimated_monthly_savings", "evidence", "kind",
        "monthly_cost", "recommended_type", "region", "resource_id", "resource_type"]
for f in d["findings"]:
    assert sorted(f) == keys, sorted(f)
    assert f["evidence"]["source"] in ("billing", "catalog", "none", "billing+catalog"), f
    assert f["estimated_monthly_savings"] >= 0
assert sum(Decimal(f["estimated_monthly_savings"]) for f in d["findings"]) + \
    sum(c["estimated_monthly_savings"] for c in d["commitments"] if c["best"]) == d["total_estimated_monthly_savings"]
for kind in set(f["kind"] for f in d["findings"]):
    assert d["totals_by_kind"][kind] == sum(f["estimated_monthly_savings"] for f in d["findings"] if f["kind"] == kind)
t = d["thresholds"]
assert (t["idle_cpu_pct"], t["idle_net_mb"], t["idle_days"], t["window_days"], t["low_cpu_pct"],
        t["snapshot_days"], t["stopped_days"]) == (10, 5, 4, 14, 20, 90, 30), t
' "$d/rec.json"
	# costs come from billing where the FOCUS file names the resource
	check "seed $seed: instance findings cost what billing says" python3 -c '
import csv, json, sys
from decimal import Decimal
cost = {}
for r in csv.DictReader(open(sys.argv[2])):
    if r["ResourceId"]:
        cost[r["ResourceId"]] = cost.get(r["ResourceId"], Decimal(0)) + Decimal(r["BilledCost"])
d = json.load(open(sys.argv[1]), parse_float=Decimal)
n = 0
for f in d["findings"]:
    if f["evidence"]["source"] == "billing":
        n += 1
        assert abs(cost[f["resource_id"]] - f["monthly_cost"]) < Decimal("0.000001"), f
    elif f["evidence"]["source"] == "catalog":
        assert f["resource_id"] not in cost, f
sys.exit(0 if n > 0 else 1)
' "$d/rec.json" "$d/focus.csv"
done

db="$TMP/s42/t.db"
expect_exit 0 "text format" "$CT" --db "$db" recommend
check "text: the total line" grep -q '^Recommendations: [0-9]* findings, estimated monthly saving \$' "$TMP/out"
expect_exit 0 "markdown format" "$CT" --db "$db" recommend --format markdown
check "markdown: a table" grep -q '^| Kind | Resource |' "$TMP/out"
expect_exit 0 "csv format" "$CT" --db "$db" recommend --format csv
check "csv: the header" test "$(head -1 "$TMP/out")" = "kind,resource_id,resource_type,region,account_id,monthly_cost,action,recommended_type,estimated_monthly_savings,evidence"
check "csv: a closing total row" grep -q '^total,,,,,,,,[0-9]*\.[0-9]\{6\},$' "$TMP/out"
# a stricter idle rule finds fewer idle instances; --idle-days 1 finds more
"$CT" --db "$db" recommend --format json --idle-days 14 >"$TMP/strict.json"
"$CT" --db "$db" recommend --format json --idle-days 1 >"$TMP/loose.json"
check "--idle-days moves the idle set" python3 -c '
import json, sys
c = lambda p: sum(f["kind"] == "idle_instance" for f in json.load(open(p))["findings"])
a, b, base = c(sys.argv[1]), c(sys.argv[2]), c(sys.argv[3])
sys.exit(0 if a <= base <= b else 1)
' "$TMP/strict.json" "$TMP/loose.json" "$TMP/s42/rec.json"
expect_exit 2 "unknown format" "$CT" --db "$db" recommend --format html
expect_exit 2 "--idle-days beyond the window" "$CT" --db "$db" recommend --idle-days 15
expect_exit 2 "--idle-cpu above 100" "$CT" --db "$db" recommend --idle-cpu 101
expect_exit 2 "--window-days not a number" "$CT" --db "$db" recommend --window-days x
expect_exit 2 "stray argument" "$CT" --db "$db" recommend extra
expect_exit 0 "--spot-tag and --usage-days" "$CT" --db "$db" recommend --format json --spot-tag team=batch --usage-days 14
check "the options reach the thresholds" python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))["thresholds"]
assert (t["spot_tag_key"], t["spot_tag_value"], t["usage_days"]) == ("team", "batch", 14), t
' "$TMP/out"
expect_exit 2 "--spot-tag without a value" "$CT" --db "$db" recommend --spot-tag team
expect_exit 2 "--usage-days 0" "$CT" --db "$db" recommend --usage-days 0
expect_exit 0 "--help" "$CT" recommend --help
check "--help shows the usage" grep -q '^usage: cloudtally recommend' "$TMP/out"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
