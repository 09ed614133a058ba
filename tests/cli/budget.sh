#!/bin/sh
# budget.sh - `cloudtally budget status` (issue 11): spend per scope equals
# an independent sum of the FOCUS file (Python, Decimal), statuses follow
# the warning and critical levels, the forecast of an open month follows
# the report's run-rate rule, --fail-on-breach exits 1, and bad config
# files exit 3 naming the file and line.
. "$CT_SRCDIR/tests/cli/lib.sh"
have_shared
GEN="$CT_SHARED/tools/gen-focus"

python3 "$GEN" --rows 20000 --month 2026-10 --seed 5 --out "$TMP/oct.csv" >/dev/null
DB="$TMP/b.db"
"$CT" -q --db "$DB" ingest "$TMP/oct.csv" || exit 1

# spend.py FILE MONTH: exact spends per scope, as JSON
cat >"$TMP/spend.py" <<'EOF'
import csv, json, sys
from collections import defaultdict
from decimal import Decimal
path, month = sys.argv[1], sys.argv[2]
s = defaultdict(Decimal)
fixed = defaultdict(Decimal)
days = set()
for r in csv.DictReader(open(path, newline="", encoding="utf-8-sig")):
    r = {k: (None if v in ("", "NULL") else v) for k, v in r.items()}
    if r["BillingPeriodStart"][:7] != month:
        continue
    c = Decimal(r["BilledCost"])
    usage = (r.get("ChargeFrequency") or "").lower() == "usage-based" or (
        r.get("ChargeFrequency") is None and r.get("ChargeCategory") == "Usage")
    keys = ["total", "account:" + (r.get("SubAccountId") or r.get("BillingAccountId") or ""),
            "service:" + (r.get("ServiceName") or ""), "region:" + (r.get("RegionId") or "")]
    for k, v in json.loads(r["Tags"] or "{}").items():
        keys.append("tag:%s=%s" % (k.strip().lower(), v))
    for k in keys:
        s[k] += c
        if not usage:
            fixed[k] += c
    if c != 0:
        days.add(r["ChargePeriodStart"][:10])
print(json.dumps({"spend": {k: str(v) for k, v in s.items()},
                  "fixed": {k: str(v) for k, v in fixed.items()},
                  "last_day": max(days)}))
EOF
python3 "$TMP/spend.py" "$TMP/oct.csv" 2026-10 >"$TMP/oct.json"
get() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["spend"][sys.argv[2]])' "$TMP/oct.json" "$1"; }
acct=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["spend"]; print(sorted(k for k in d if k.startswith("account:"))[0][8:])' "$TMP/oct.json")
cc=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["spend"]; print(sorted(k for k in d if k.startswith("tag:costcenter="))[0][15:])' "$TMP/oct.json")
total=$(get total)
ec2=$(get "service:Amazon Elastic Compute Cloud")
a_sp=$(get "account:$acct")
t_sp=$(get "tag:costcenter=$cc")
# amounts chosen around the spends: total at 105 % (critical), the account
# at 85 % (warning), EC2 at 105 % with critical=110 (warning), the tag at
# 50 % (ok), a region with no spend (ok, 0 %)
amt() { python3 -c 'import sys; from decimal import Decimal as D; print((D(sys.argv[1]) / D(sys.argv[2])).quantize(D("0.01")))' "$1" "$2"; }
cat >"$TMP/config" <<EOF
# budgets for the test month
budget total $(amt "$total" 1.05)
budget account:$acct $(amt "$a_sp" 0.85) name="Team A"
budget service:"Amazon Elastic Compute Cloud" $(amt "$ec2" 1.05) critical=110

budget   tag:CostCenter=$cc   $(amt "$t_sp" 0.5)   # trailing comment
budget region:xx-nowhere-1 10
EOF
export CLOUDTALLY_NOW=2026-11-20T00:00:00Z
expect_exit 0 "budget status, text" "$CT" --db "$DB" budget status --config "$TMP/config"
check "text says what breached" contains "$TMP/out" "1 breached (critical), 2 at warning, 0 forecast to breach"
check "text names the budget" grep -q "^  Team A  .* warning$" "$TMP/out"
expect_exit 0 "budget status, JSON" "$CT" --db "$DB" budget status --config "$TMP/config" --format json
cp "$TMP/out" "$TMP/b.json"
check "JSON: spends equal the independent sums, statuses by level" python3 -c '
import json, sys
from decimal import Decimal as D
b = json.load(open(sys.argv[1]), parse_float=D)
o = json.load(open(sys.argv[2]))["spend"]
acct, cc = sys.argv[3], sys.argv[4]
want = [("total", o["total"], "critical"), ("Team A", o["account:" + acct], "warning"),
        ("service:Amazon Elastic Compute Cloud", o["service:Amazon Elastic Compute Cloud"], "warning"),
        ("tag:costcenter=" + cc, o["tag:costcenter=" + cc], "ok"), ("region:xx-nowhere-1", "0", "ok")]
got = [(r["name"], r["spend"], r["status"]) for r in b["budgets"]]
assert len(got) == len(want), got
# the store keeps nano-dollars: each line rounds by at most half of one
for (n, s, st), (gn, gs, gst) in zip(want, got):
    assert n == gn and abs(D(s) - gs) < D("0.00002") and st == gst, ((n, s, st), (gn, gs, gst))
assert b["budgets"][2]["critical_percent"] == 110 and b["budgets"][2]["warning_percent"] == 80
assert b["month"] == "2026-10" and b["complete"] is True and b["critical"] == 1 and b["warning"] == 2
for r in b["budgets"]:
    assert r["forecast"] == r["spend"], r  # a complete month
' "$TMP/b.json" "$TMP/oct.json" "$acct" "$cc"
expect_exit 1 "--fail-on-breach: exit 1 on a breach" "$CT" --db "$DB" budget status --config "$TMP/config" --fail-on-breach
check "--fail-on-breach: says how many" contains "$TMP/err" "1 budget breached in 2026-10"
grep -v '^budget total' "$TMP/config" >"$TMP/config2"
expect_exit 0 "--fail-on-breach: exit 0 with warnings only" "$CT" --db "$DB" budget status --config "$TMP/config2" --fail-on-breach
expect_exit 0 "budget status, CSV" "$CT" --db "$DB" budget status --config "$TMP/config" --format csv
check "CSV: a header and one row per budget" test "$(wc -l <"$TMP/out")" -eq 6
check "CSV: the quoted scope" contains "$TMP/out" ",service:Amazon Elastic Compute Cloud,"
expect_exit 0 "budget status, markdown" "$CT" --db "$DB" budget status --config "$TMP/config" --format markdown
check "markdown: a table" contains "$TMP/out" "| Team A | account:$acct |"

# the forecast of an open month: the first 10 days of November
python3 "$GEN" --rows 20000 --month 2026-11 --seed 5 --out "$TMP/nov-all.csv" >/dev/null
python3 -c '
import csv, sys
r = csv.reader(open(sys.argv[1], newline=""))
w = csv.writer(open(sys.argv[2], "w", newline=""), lineterminator="\n")
h = next(r); w.writerow(h); i = h.index("ChargePeriodStart")
for row in r:
    if row[i][:10] <= "2026-11-10":
        w.writerow(row)
' "$TMP/nov-all.csv" "$TMP/nov.csv"
"$CT" -q --db "$DB" ingest "$TMP/nov.csv" || exit 1
python3 "$TMP/spend.py" "$TMP/nov.csv" 2026-11 >"$TMP/nov.json"
printf 'budget total 1\nbudget tag:CostCenter=%s 1000000\n' "$cc" >"$TMP/config3"
export CLOUDTALLY_NOW=2026-11-11T06:00:00Z
expect_exit 0 "open month: budget status" "$CT" --db "$DB" budget status --config "$TMP/config3" --month 2026-11 --format json
cp "$TMP/out" "$TMP/n.json"
"$CT" --db "$DB" report --month 2026-11 --format json >"$TMP/r.json"
check "open month: forecasts are the run rate, total = the report's forecast" python3 -c '
import json, sys
from decimal import Decimal as D
b = json.load(open(sys.argv[1]), parse_float=D)
o = json.load(open(sys.argv[2]))
r = json.load(open(sys.argv[3]), parse_float=D)
assert b["complete"] is False and o["last_day"] == "2026-11-10", o["last_day"]
for row, key in ((b["budgets"][0], "total"), (b["budgets"][1], "tag:costcenter=" + sys.argv[4])):
    s, f = D(o["spend"][key]), D(o["fixed"].get(key, "0"))
    want = f + (s - f) / 10 * 30
    assert abs(row["forecast"] - want) < D("0.0001"), (key, row["forecast"], want)
    assert abs(row["spend"] - s) < D("0.00002"), (key, row["spend"], s)
assert b["budgets"][0]["forecast"] == r["forecast_billed_cost"], (b["budgets"][0]["forecast"], r["forecast_billed_cost"])
assert b["budgets"][1]["status"] == "ok" and b["budgets"][0]["status"] == "critical"
' "$TMP/n.json" "$TMP/nov.json" "$TMP/r.json" "$cc"
# forecast to breach: a budget between spend and forecast
sp=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["spend"]["total"])' "$TMP/nov.json")
printf 'budget total %s\n' "$(amt "$sp" 0.5)" >"$TMP/config4"
expect_exit 0 "open month: forecast to breach" "$CT" --db "$DB" budget status --config "$TMP/config4" --month 2026-11
check "says forecast to breach" contains "$TMP/out" "0 breached (critical), 0 at warning, 1 forecast to breach"
check "the row says the forecast status" contains "$TMP/out" "(forecast: critical)"

# no config: no budgets, exit 0; a named config that is missing: exit 6
export XDG_CONFIG_HOME="$TMP/xdg"
expect_exit 0 "no config file" "$CT" --db "$DB" budget status
check "no config: says so" contains "$TMP/out" "No budgets configured"
mkdir -p "$TMP/xdg/cloudtally"
cp "$TMP/config" "$TMP/xdg/cloudtally/config"
expect_exit 0 "the XDG config file is read" "$CT" --db "$DB" budget status --month 2026-10
check "XDG config: five budgets" test "$(grep -c '^  [^ -]' "$TMP/out")" -ge 6
expect_exit 6 "a missing --config file" "$CT" --db "$DB" budget status --config "$TMP/nope"
check "missing config named" contains "$TMP/err" "$TMP/nope"

# bad config files: exit 3, FILE:LINE
badcfg() { # badcfg "what" "message" LINE CONTENT
	printf '%b' "$4" >"$TMP/bad.cfg"
	"$CT" --db "$DB" budget status --config "$TMP/bad.cfg" >"$TMP/out" 2>"$TMP/err"
	st=$?
	if [ $st -eq 3 ] && grep -q "^cloudtally: error: $TMP/bad.cfg:$3: .*$2" "$TMP/err"; then
		ok "bad config: $1"
	else
		not_ok "bad config: $1 (exit $st)"
		cat "$TMP/err"
	fi
}
badcfg "unknown statement" "unknown statement 'budgte'" 2 '# x\nbudgte total 5\n'
badcfg "no amount" "wants a scope and an amount" 1 'budget total\n'
badcfg "amount not a number" "amount '12,000' is not a positive number" 1 'budget total 12,000\n'
badcfg "negative amount" "is not a positive number" 1 'budget total -5\n'
badcfg "unknown scope" "unknown budget scope 'team:x'" 1 'budget team:x 5\n'
badcfg "tag without a value" "unknown budget scope" 1 'budget tag:CostCenter 5\n'
badcfg "bad percentage" "a percentage above 0" 1 'budget total 5 warning=0\n'
badcfg "warning above critical" "warning (90%) is above critical (85%)" 1 'budget total 5 warning=90 critical=85\n'
badcfg "unknown option" "unknown budget option 'colour=red'" 1 'budget total 5 colour=red\n'
badcfg "unclosed quote" "a quote is not closed" 3 '\n\nbudget service:"Amazon EC2 5\n'
badcfg "NUL byte" "a NUL byte" 1 'budget total 5\0\n'
# the report and the workbook carry the same budgets
export CLOUDTALLY_NOW=2026-11-20T00:00:00Z
unset XDG_CONFIG_HOME
"$CT" --db "$DB" budget status --config "$TMP/config" --month 2026-10 --format json >"$TMP/bs.json"
expect_exit 0 "report --config" "$CT" --db "$DB" report --month 2026-10 --config "$TMP/config" --format json
cp "$TMP/out" "$TMP/rb.json"
check "report JSON budgets = budget status" python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))["budgets"]
b = json.load(open(sys.argv[2]))
assert a == b, (a, b)
' "$TMP/rb.json" "$TMP/bs.json"
expect_exit 0 "report --config, text" "$CT" --db "$DB" report --month 2026-10 --config "$TMP/config"
check "text report: a Budgets section" grep -q "^Budgets$" "$TMP/out"
check "text report: Team A at warning" grep -q "^  Team A .* warning$" "$TMP/out"
expect_exit 0 "report without budgets" "$CT" --db "$DB" report --month 2026-10 --format json
check "no config: budgets null" grep -q '"budgets": null,' "$TMP/out"
expect_exit 6 "report --config missing" "$CT" --db "$DB" report --month 2026-10 --config "$TMP/nope"
expect_exit 0 "export --config" "$CT" --db "$DB" export --month 2026-10 --config "$TMP/config" -o "$TMP/b.xlsx"
cat >"$TMP/xl.py" <<'EOF'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
wb = z.read("xl/workbook.xml").decode()
names = re.findall(r'<sheet name="([^"]+)" sheetId="(\d+)"', wb)
idx = [i for i, (n, _) in enumerate(names) if n == "Budgets"]
assert idx, names
x = z.read("xl/worksheets/sheet%d.xml" % (idx[0] + 1)).decode()
# the first budget is on row 5: used = D5/C5, the status rule over D5, C5, I5, H5
assert "<f>D5/C5</f>" in x, x[:2000]
assert '<f>IF(D5&gt;=C5*I5,"critical",IF(D5&gt;=C5*H5,"warning","ok"))</f>' in x, x[:3000]
assert 'name="Budgets"' in wb or "Budgets!" in wb, wb
EOF
check "workbook: a Budgets sheet with formulas for shares and status" python3 "$TMP/xl.py" "$TMP/b.xlsx"

expect_exit 2 "no subcommand" "$CT" --db "$DB" budget
expect_exit 2 "bad format" "$CT" --db "$DB" budget status --format xml
finish
