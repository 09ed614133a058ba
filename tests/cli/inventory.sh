#!/bin/sh
# inventory.sh - `cloudtally ingest` of resource inventories and metrics
# (issue 5, input half): gen-focus --inventory output for several seeds
# must land in the store as its files and truth.json say; --account and
# --region; bad inventories exit 3 naming the file and change nothing.
#
# Real shapes: ../shared/data/external has no AWS CLI inventory JSON; its
# AWS Compute Optimizer EC2 and EBS exports (cloud-carbon-footprint's
# fixtures) are read as a second opinion beside the findings.
. "$CT_SRCDIR/tests/cli/lib.sh"
have_shared
GEN="$CT_SHARED/tools/gen-focus"
command -v sqlite3 >/dev/null || { echo "# no sqlite3: skipping"; echo "0 passed, 0 failed"; exit 77; }

# py EXPR-PROGRAM FILE: run a small python program over a JSON file
py() { python3 -c "$1" "$2"; }

for seed in 3 17 42; do
	d="$TMP/s$seed"
	mkdir -p "$d"
	python3 "$GEN" --rows 20000 --month 2026-10 --seed "$seed" \
		--out "$d/focus.csv" --inventory "$d/inv" >/dev/null 2>&1
	db="$d/t.db"
	expect_exit 0 "seed $seed: ingest the inventory folder" "$CT" --db "$db" ingest "$d/inv"
	check "seed $seed: truth.json skipped" contains "$TMP/out" "truth.json: not an inventory"
	inv="$d/inv"
	want=$(py 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(len(r["Instances"]) for r in d["Reservations"]))' "$inv/ec2-describe-instances.json")
	got=$(sqlite3 "$db" "SELECT count(*) FROM resource WHERE kind='instance'")
	check "seed $seed: $want instances" test "$got" = "$want"
	want=$(py 'import json,sys; t=json.load(open(sys.argv[1])); print(len(t["idle"])+len(t["low_cpu"])+len(t["busy"]))' "$inv/truth.json")
	check "seed $seed: instances = truth idle+low_cpu+busy" test "$got" = "$want"
	want=$(py 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["Volumes"]))' "$inv/ec2-describe-volumes.json")
	got=$(sqlite3 "$db" "SELECT count(*) FROM resource WHERE kind='volume'")
	check "seed $seed: $want volumes" test "$got" = "$want"
	want=$(py 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["Addresses"]))' "$inv/ec2-describe-addresses.json")
	got=$(sqlite3 "$db" "SELECT count(*) FROM resource WHERE kind='address'")
	check "seed $seed: $want addresses" test "$got" = "$want"
	py 'import json,sys; t=json.load(open(sys.argv[1])); print("\n".join(sorted(v["id"] for v in t["unattached_volumes"])))' "$inv/truth.json" >"$TMP/want"
	sqlite3 "$db" "SELECT resource_id FROM resource WHERE kind='volume' AND state='available' ORDER BY 1" >"$TMP/got"
	check "seed $seed: available volumes = truth unattached_volumes" cmp -s "$TMP/want" "$TMP/got"
	sqlite3 "$db" "SELECT resource_id FROM resource WHERE kind='volume' AND attached_to IS NULL ORDER BY 1" >"$TMP/got"
	check "seed $seed: unattached volumes have no attached_to" cmp -s "$TMP/want" "$TMP/got"
	py 'import json,sys; t=json.load(open(sys.argv[1])); print("\n".join(sorted(t["unassociated_addresses"])))' "$inv/truth.json" >"$TMP/want"
	sqlite3 "$db" "SELECT resource_id FROM resource WHERE kind='address' AND state='unassociated' ORDER BY 1" >"$TMP/got"
	check "seed $seed: unassociated addresses = truth" cmp -s "$TMP/want" "$TMP/got"
	# every instance has 14 days of CPU and network metrics
	got=$(sqlite3 "$db" "SELECT count(*) FROM resource r WHERE kind='instance' AND
		(SELECT count(DISTINCT day) FROM metric_day m WHERE m.resource_id = r.resource_id AND metric='cpu_avg_pct') = 14 AND
		(SELECT count(*) FROM metric_day m WHERE m.resource_id = r.resource_id AND metric='net_in_bytes') = 14 AND
		(SELECT count(*) FROM metric_day m WHERE m.resource_id = r.resource_id AND metric='net_out_bytes') = 14")
	want=$(sqlite3 "$db" "SELECT count(*) FROM resource WHERE kind='instance'")
	check "seed $seed: 14 days of cpu, net in and net out per instance" test "$got" = "$want"
	# the 14-day CPU average per instance equals truth's avg_cpu (which
	# truth.json rounds to 3 decimals)
	sqlite3 "$db" "SELECT resource_id || ' ' || avg(value) FROM metric_day WHERE metric='cpu_avg_pct' GROUP BY resource_id" >"$TMP/got"
	check "seed $seed: average CPU per instance = truth avg_cpu" python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
want = {v["id"]: v["avg_cpu"] for k in ("idle", "low_cpu", "busy") for v in t[k]}
got = {l.split()[0]: float(l.split()[1]) for l in open(sys.argv[2])}
sys.exit(0 if set(want) == set(got) and all(abs(want[k] - got[k]) <= 0.0015 for k in want) else 1)
' "$inv/truth.json" "$TMP/got"
	# the network sums equal the files' values
	want=$(py 'import json,sys; d=json.load(open(sys.argv[1])); print("%.0f" % sum(sum(r["Values"]) for r in d["MetricDataResults"] if r["Label"].endswith(" NetworkIn")))' "$inv/cloudwatch-network.json")
	got=$(sqlite3 "$db" "SELECT printf('%.0f', sum(value)) FROM metric_day WHERE metric='net_in_bytes'")
	check "seed $seed: NetworkIn bytes add up ($want)" test "$got" = "$want"
	# accounts and regions come from the data
	got=$(sqlite3 "$db" "SELECT count(*) FROM resource WHERE kind IN ('instance','volume') AND (region = '' OR region IS NULL)")
	check "seed $seed: instances and volumes have a region" test "$got" = 0
	# ingesting again replaces: same counts, nothing doubled
	sqlite3 "$db" "SELECT kind, count(*) FROM resource GROUP BY 1; SELECT metric, count(*), sum(samples) FROM metric_day GROUP BY 1" >"$TMP/before"
	expect_exit 0 "seed $seed: ingest again" "$CT" --db "$db" ingest "$d/inv"
	sqlite3 "$db" "SELECT kind, count(*) FROM resource GROUP BY 1; SELECT metric, count(*), sum(samples) FROM metric_day GROUP BY 1" >"$TMP/after"
	check "seed $seed: re-ingest replaces, never adds" cmp -s "$TMP/before" "$TMP/after"
done

# the billing file and the inventory in one run; gzip'd JSON in a folder
d="$TMP/s3"
mkdir -p "$TMP/gz"
gzip -c "$d/inv/ec2-describe-volumes.json" >"$TMP/gz/ec2-describe-volumes.json.gz"
expect_exit 0 "billing CSV and inventory in one run" "$CT" --db "$TMP/both.db" ingest "$d/focus.csv" "$d/inv"
check "billing lines stored too" test "$(sqlite3 "$TMP/both.db" "SELECT count(*) FROM line")" -gt 0
expect_exit 0 "a folder with .json.gz" "$CT" --db "$TMP/gz.db" ingest "$TMP/gz"
check ".json.gz volumes loaded" test "$(sqlite3 "$TMP/gz.db" "SELECT count(*) FROM resource WHERE kind='volume'")" = \
	"$(sqlite3 "$d/t.db" "SELECT count(*) FROM resource WHERE kind='volume'")"

# addresses do not say their account or region: options, else the file name
expect_exit 0 "--account and --region" "$CT" --db "$TMP/opt.db" ingest --account 123456789012 \
	--region eu-west-3 "$d/inv/ec2-describe-addresses.json"
check "addresses take --account/--region" test "$(sqlite3 "$TMP/opt.db" \
	"SELECT DISTINCT account_id || ' ' || region FROM resource")" = "123456789012 eu-west-3"
mkdir -p "$TMP/acct/210987654321"
cp "$d/inv/ec2-describe-addresses.json" "$TMP/acct/210987654321/addresses-ap-south-1.json"
expect_exit 0 "account and region from the path" "$CT" --db "$TMP/path.db" ingest "$TMP/acct"
check "addresses take the path's account and region" test "$(sqlite3 "$TMP/path.db" \
	"SELECT DISTINCT account_id || ' ' || region FROM resource")" = "210987654321 ap-south-1"

# the metrics CSV
printf 'resource_id,timestamp,metric,value\ni-x,2026-10-01T00:00:00Z,CPUUtilization,10\ni-x,2026-10-01T01:00:00Z,CPUUtilization,20\n' >"$TMP/m.csv"
expect_exit 0 "metrics CSV" "$CT" --db "$TMP/m.db" ingest "$TMP/m.csv"
check "metrics CSV: daily average" test "$(sqlite3 "$TMP/m.db" "SELECT value FROM metric_day")" = "15.0"
printf 'resource_id,timestamp,metric,value\ni-x,2026-10-02T00:00:00Z,mem_used_percent,30\ni-x,2026-10-02T01:00:00Z,mem_used_percent,70\n' >"$TMP/mem.csv"
expect_exit 0 "metrics CSV: CloudWatch agent memory" "$CT" --db "$TMP/m.db" ingest "$TMP/mem.csv"
check "memory: mem_used_pct, average 50, peak 70" test "$(sqlite3 "$TMP/m.db" "SELECT metric || ' ' || value || ' ' || peak FROM metric_day WHERE day = 20728")" = "mem_used_pct 50.0 70.0"

# AWS Compute Optimizer exports, the real samples. Figures below are read
# off the CSV files by hand: the EC2 sample lists one instance four times
# (the last row counts: OPTIMIZED, option 1 t3.xlarge saving 88.79, risk
# 1.0); the EBS sample lists vol-00e39f1234a7eadfb twice (last: Optimized,
# gp2 80 -> gp3 80, 6.20, risk 3.0) and vol-00e39f1234a7eaqrt once
# (NotOptimized, st1 80 -> st1 50, 0, risk 1.0).
CO="$EXT/cloud-carbon-footprint__cloud-carbon-footprint/packages/aws/src/__tests__/fixtures"
expect_exit 0 "Compute Optimizer samples" "$CT" --db "$TMP/co.db" ingest "$CO/computeOptimizerEC2.csv" "$CO/computeOptimizerEBS.csv"
check "EC2 export detected" contains "$TMP/out" "computeOptimizerEC2.csv: aws-compute-optimizer-ec2"
check "EBS export detected" contains "$TMP/out" "computeOptimizerEBS.csv: aws-compute-optimizer-ebs"
check "Compute Optimizer rows, the later row of a resource kept" test "$(sqlite3 "$TMP/co.db" \
	"SELECT group_concat(resource_id || ' ' || region || ' ' || finding || ' ' || current_config || ' ' ||
	 recommended || ' ' || monthly_savings || ' ' || performance_risk, '|') FROM
	 (SELECT * FROM optimizer_rec ORDER BY kind, resource_id)")" = \
	"i-0c80d1b0f3a0c5c69 eu-central-1 OPTIMIZED m4.xlarge t3.xlarge 88790000000 1.0|vol-00e39f1234a7eadfb us-west-2 Optimized gp2 80 GiB gp3 80 GiB 6200000000 3.0|vol-00e39f1234a7eaqrt us-west-2 NotOptimized st1 80 GiB st1 50 GiB 0 1.0"
"$CT" --db "$TMP/co.db" recommend --format json >"$TMP/co.json"
check "recommend lists them, outside the total" py '
import json, sys
r = json.load(open(sys.argv[1]))
co = r["compute_optimizer"]
assert [c["resource_id"] for c in co] == ["i-0c80d1b0f3a0c5c69", "vol-00e39f1234a7eadfb", "vol-00e39f1234a7eaqrt"], co
assert co[0]["estimated_monthly_savings"] == 88.79 and co[0]["recommended"] == "t3.xlarge"
assert co[0]["performance_risk"] == 1 and co[0]["cloudtally_finding"] is None
assert r["total_estimated_monthly_savings"] == 0, r["total_estimated_monthly_savings"]
' "$TMP/co.json"
# joined to a finding: an idle instance of the seed-42 inventory
s42="$TMP/s42"
idle=$(py 'import json,sys; print(json.load(open(sys.argv[1]))["idle"][0]["id"])' "$s42/inv/truth.json")
printf 'accountId,instanceArn,instanceName,currentInstanceType,finding,recommendationOptions_1_instanceType,recommendationOptions_1_estimatedMonthlySavings_value,recommendationOptions_1_performanceRisk\n111122223333,arn:aws:ec2:us-east-1:111122223333:instance/%s,web,m5.large,OVER_PROVISIONED,t3.medium,41.50,2.0\n' "$idle" >"$TMP/co-idle.csv"
expect_exit 0 "Compute Optimizer row for an idle instance" "$CT" --db "$s42/co.db" ingest "$s42/inv" "$TMP/co-idle.csv"
"$CT" --db "$s42/co.db" recommend --format json >"$TMP/co2.json"
check "the finding carries its verdict as evidence" py '
import json, sys
r = json.load(open(sys.argv[1]))
f = [f for f in r["findings"] if f["resource_id"] == "'"$idle"'"]
assert len(f) == 1 and f[0]["kind"] == "idle_instance", f
e = f[0]["evidence"]
assert e["compute_optimizer_finding"] == "OVER_PROVISIONED" and e["compute_optimizer_recommended"] == "t3.medium", e
assert e["compute_optimizer_monthly_savings"] == 41.5, e
assert r["compute_optimizer"][0]["cloudtally_finding"] == "idle_instance"
' "$TMP/co2.json"
"$CT" --db "$s42/co.db" recommend >"$TMP/co2.txt"
check "text names it" grep -q "^  $idle (us-east-1): OVER_PROVISIONED, m5.large -> t3.medium, its saving \$41.50, finding here: idle_instance" "$TMP/co2.txt"
printf 'accountId,instanceArn,finding,currentInstanceType\n111122223333,arn:aws:ec2:us-east-1:111122223333:instance/i-0b,OPTIMIZED,m5.large\n' >"$TMP/co-new.csv"
expect_exit 0 "a later export replaces the account and region's rows" "$CT" --db "$s42/co.db" ingest "$TMP/co-new.csv"
check "only the later export's rows remain" test "$(sqlite3 "$s42/co.db" "SELECT group_concat(resource_id) FROM optimizer_rec")" = "i-0b"

# db check covers the inventory tables
expect_exit 0 "db check: inventory store clean" "$CT" --db "$s42/co.db" db check
cp "$s42/co.db" "$TMP/bad1.db"
sqlite3 "$TMP/bad1.db" "UPDATE metric_day SET value = value + 7 WHERE (resource_id, metric, day) = (SELECT resource_id, metric, day FROM metric_day WHERE metric = 'cpu_avg_pct' LIMIT 1)"
expect_exit 4 "db check: a day figure that its samples do not give" "$CT" --db "$TMP/bad1.db" db check
check "db check names the metric" grep -q "metric i-.* cpu_avg_pct day [0-9]* has" "$TMP/out" "$TMP/err"
cp "$s42/co.db" "$TMP/bad2.db"
sqlite3 "$TMP/bad2.db" "DELETE FROM inventory_file"
expect_exit 4 "db check: rows of no inventory file" "$CT" --db "$TMP/bad2.db" db check
check "db check names a resource and the Compute Optimizer row" sh -c 'grep -q "instance i-.* comes from no inventory file" "$1" "$2" && grep -q "Compute Optimizer row i-0b comes from no inventory file" "$1" "$2"' sh "$TMP/out" "$TMP/err"

# bad inputs: exit 3, the file named, the store unchanged
db="$d/t.db"
dump() { sqlite3 "$db" "SELECT * FROM resource ORDER BY id; SELECT * FROM metric_day; SELECT * FROM inventory_file; SELECT * FROM optimizer_rec" | md5sum; }
before=$(dump)
head -c 2000 "$d/inv/ec2-describe-instances.json" >"$TMP/trunc.json"
printf '{"Volumes": [{"VolumeId": 42}]}\n' >"$TMP/types.json"
printf '{"Plan": {"resource_changes": []}}\n' >"$TMP/shape.json"
printf '{"MetricDataResults": [{"Label": "i-1", "Timestamps": ["x"], "Values": [1]}]}\n' >"$TMP/ts.json"
printf 'resource_id,timestamp,metric,value\ni-1,2026-10-01,cpu,lots\n' >"$TMP/badval.csv"
head -c 300 /dev/urandom >"$TMP/binary.json"
printf '\0{' >>"$TMP/binary.json"
printf '{\0}' >"$TMP/nul.json"
printf 'accountId,instanceArn,finding,currentInstanceType,recommendationOptions_1_estimatedMonthlySavings_value\n1,arn:aws:ec2:us-east-1:1:instance/i-1,OPTIMIZED,m5.large,12.5\n1,arn:aws:ec2:us-east-1:1:instance/i-2,OPTIMIZED,m5.large,lots\n' >"$TMP/co-bad.csv"
printf 'accountId,instanceArn,finding,currentInstanceType\n1,not-an-arn,OPTIMIZED,m5.large\n' >"$TMP/co-arn.csv"
for f in trunc.json types.json shape.json ts.json badval.csv nul.json co-bad.csv co-arn.csv; do
	expect_exit 3 "bad $f" "$CT" --db "$db" ingest "$d/inv" "$TMP/$f"
	check "bad $f: error names the file" contains "$TMP/err" "$f"
	check "bad $f: store unchanged" test "$(dump)" = "$before"
done
expect_exit 3 "truncated JSON names its line" "$CT" --db "$db" ingest "$TMP/trunc.json"
check "truncated JSON: FILE:LINE" grep -q 'trunc.json:[0-9][0-9]*: not valid JSON' "$TMP/err"
expect_exit 3 "wrong type" "$CT" --db "$db" ingest "$TMP/types.json"
check "wrong type: path of the value" contains "$TMP/err" 'Volumes\[0\].VolumeId: expected a string'
expect_exit 3 "unknown shape named on the command line" "$CT" --db "$db" ingest "$TMP/shape.json"
check "unknown shape: message" contains "$TMP/err" "unrecognised JSON"
expect_exit 3 "bad metrics CSV value" "$CT" --db "$db" ingest "$TMP/badval.csv"
check "bad metrics CSV: FILE:LINE" contains "$TMP/err" "badval.csv:2: value 'lots'"
expect_exit 3 "bad Compute Optimizer saving" "$CT" --db "$db" ingest "$TMP/co-bad.csv"
check "bad Compute Optimizer saving: FILE:LINE" contains "$TMP/err" "co-bad.csv:3: estimated monthly savings 'lots' is not an amount"
expect_exit 3 "JSON on standard input" sh -c "'$CT' --db '$db' ingest - <'$d/inv/ec2-describe-volumes.json'"
check "JSON on stdin: says to save it to a file" contains "$TMP/err" "save it to a file"
check "store unchanged after all" test "$(dump)" = "$before"
finish
