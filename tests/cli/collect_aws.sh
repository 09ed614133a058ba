#!/bin/sh
# collect_aws.sh - contrib/collect-aws against a fake `aws` (issue 5,
# "Inputs"): the calls it makes (regions, profile, --owner-ids self,
# metric queries batched by 500 with safe Ids and "<id> <Metric>" labels),
# the files it writes, `cloudtally ingest` of them, and a failing call
# (AccessDenied, exit 255) ending it non-zero with the call named.
#
# The fake answers in the AWS CLI's shapes: the describe-* JSON, text
# output of --query calls (rows of tab-separated values), and
# get-metric-data results per query. It applies --query with the jmespath
# module when python3 has it (the AWS CLI's own), else it emulates the
# few queries collect-aws makes. It refuses what the API refuses: more
# than 500 queries in a call, an Id not matching ^[a-z][a-zA-Z0-9_]*$,
# duplicate Ids.
. "$CT_SRCDIR/tests/cli/lib.sh"
for t in bash python3 sqlite3; do
	command -v "$t" >/dev/null || { echo "# no $t: skipping"; echo "0 passed, 0 failed"; exit 77; }
done
COLLECT="$CT_SRCDIR/contrib/collect-aws"
mkdir -p "$TMP/bin" "$TMP/calls"
LOG="$TMP/calls/log"
export FAKE_AWS_LOG="$LOG" FAKE_AWS_DIR="$TMP/calls"
# credentials the script must never print
export AWS_ACCESS_KEY_ID=AKIACANARYCANARY0000 AWS_SECRET_ACCESS_KEY=canarySecretKeyNeverPrinted
unset AWS_REGION AWS_DEFAULT_REGION AWS_PROFILE FAKE_AWS_FAIL

cat >"$TMP/bin/aws" <<'EOF'
#!/usr/bin/env python3
"""A fake AWS CLI for tests/cli/collect_aws.sh."""
import json, os, re, sys, time

args = sys.argv[1:]
with open(os.environ["FAKE_AWS_LOG"], "a") as f:
    f.write(" ".join(args) + "\n")

def opt(name, default=None):
    for i, a in enumerate(args):
        if a == name and i + 1 < len(args):
            return args[i + 1]
        if a.startswith(name + "="):
            return a[len(name) + 1:]
    return default

def fail(code, op, msg):
    sys.stderr.write("\nAn error occurred (%s) when calling the %s operation: %s\n" % (code, op, msg))
    sys.exit(255 if code != "usage" else 2)

if args[:3] == ["configure", "get", "region"]:
    sys.exit(1)  # no region configured
service, op = args[0], args[1]
opname = "".join(w.capitalize() for w in op.split("-"))
region = opt("--region", "")
if os.environ.get("FAKE_AWS_FAIL") == op:
    fail("AccessDenied", opname, "User: arn:aws:iam::123456789012:user/ci is not "
         "authorized to perform: %s:%s" % (service, opname))
if not region:
    sys.stderr.write("You must specify a region.\n")
    sys.exit(253)
ACCT = "123456789012"
AZ = region + "a"

def instances():
    n = {"eu-west-1": 170, "us-east-2": 1}.get(region, 0)
    pre = {"eu-west-1": "0e", "us-east-2": "0a"}.get(region, "0f")
    out = [{"InstanceId": "i-%s%015x" % (pre, k + 1), "InstanceType": "m5.large",
            "State": {"Code": 16, "Name": "running"},
            "Placement": {"AvailabilityZone": AZ, "Tenancy": "default"},
            "LaunchTime": "2026-01-05T10:00:00+00:00",
            "Tags": [{"Key": "Name", "Value": "web-%d" % k}]} for k in range(n)]
    if n:
        out.append({"InstanceId": "i-%sdead00000000000" % pre, "InstanceType": "t3.micro",
                    "State": {"Code": 48, "Name": "terminated"},
                    "Placement": {"AvailabilityZone": AZ}})
    return {"Reservations": [{"ReservationId": "r-0123456789abcdef0", "OwnerId": ACCT,
                              "Groups": [], "Instances": out}] if out else []}

def answer():
    if service == "ec2" and op == "describe-instances":
        return instances()
    if service == "ec2" and op == "describe-volumes":
        if region != "eu-west-1":
            return {"Volumes": []}
        return {"Volumes": [
            {"VolumeId": "vol-0aaaaaaaaaaaaaaa1", "Size": 100, "VolumeType": "gp3", "State": "available",
             "AvailabilityZone": AZ, "CreateTime": "2026-03-01T00:00:00+00:00", "Attachments": [],
             "Iops": 3000, "Encrypted": False},
            {"VolumeId": "vol-0aaaaaaaaaaaaaaa2", "Size": 8, "VolumeType": "gp2", "State": "in-use",
             "AvailabilityZone": AZ, "CreateTime": "2026-03-01T00:00:00+00:00", "Iops": 100,
             "Attachments": [{"VolumeId": "vol-0aaaaaaaaaaaaaaa2", "InstanceId": "i-0e000000000000001",
                              "Device": "/dev/xvda", "State": "attached",
                              "AttachTime": "2026-03-01T00:00:00+00:00", "DeleteOnTermination": True}]}]}
    if service == "ec2" and op == "describe-addresses":
        if region != "eu-west-1":
            return {"Addresses": []}
        return {"Addresses": [
            {"PublicIp": "203.0.113.10", "AllocationId": "eipalloc-0aaaaaaaaaaaaaaa1", "Domain": "vpc",
             "PublicIpv4Pool": "amazon", "NetworkBorderGroup": region},
            {"PublicIp": "203.0.113.11", "AllocationId": "eipalloc-0aaaaaaaaaaaaaaa2", "Domain": "vpc",
             "AssociationId": "eipassoc-0aaaaaaaaaaaaaaa1", "InstanceId": "i-0e000000000000001",
             "PublicIpv4Pool": "amazon", "NetworkBorderGroup": region}]}
    if service == "ec2" and op == "describe-snapshots":
        if opt("--owner-ids") != "self":
            fail("usage", opname, "expected --owner-ids self")
        if region != "eu-west-1":
            return {"Snapshots": []}
        return {"Snapshots": [
            {"SnapshotId": "snap-0aaaaaaaaaaaaaaa1", "VolumeId": "vol-0aaaaaaaaaaaaaaa2", "VolumeSize": 8,
             "State": "completed", "StartTime": "2025-06-01T00:00:00+00:00", "OwnerId": ACCT,
             "Progress": "100%", "Encrypted": False, "StorageTier": "standard"}]}
    if service == "rds" and op == "describe-db-instances":
        if region != "eu-west-1":
            return {"DBInstances": []}
        return {"DBInstances": [
            {"DBInstanceIdentifier": "orders-db", "DBInstanceClass": "db.m5.large", "Engine": "postgres",
             "DBInstanceStatus": "available", "AvailabilityZone": AZ, "MultiAZ": False,
             "AllocatedStorage": 100, "StorageType": "gp3",
             "InstanceCreateTime": "2026-02-01T00:00:00+00:00",
             "DBInstanceArn": "arn:aws:rds:%s:%s:db:orders-db" % (region, ACCT)}]}
    lb = "arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/web/50dc6c495c0c9188" % (region, ACCT)
    tg = "arn:aws:elasticloadbalancing:%s:%s:targetgroup/web-tg/73e2d6bc24d8a067" % (region, ACCT)
    tg2 = "arn:aws:elasticloadbalancing:%s:%s:targetgroup/orphan-tg/83e2d6bc24d8a067" % (region, ACCT)
    if service == "elbv2" and op == "describe-load-balancers":
        if region != "eu-west-1":
            return {"LoadBalancers": []}
        return {"LoadBalancers": [
            {"LoadBalancerArn": lb, "DNSName": "web-1234.%s.elb.amazonaws.com" % region,
             "LoadBalancerName": "web", "Scheme": "internet-facing", "VpcId": "vpc-0aaaaaaaaaaaaaaa1",
             "State": {"Code": "active"}, "Type": "application",
             "AvailabilityZones": [{"ZoneName": AZ, "SubnetId": "subnet-0aaaaaaaaaaaaaaa1"}],
             "CreatedTime": "2026-02-01T00:00:00+00:00", "IpAddressType": "ipv4"}]}
    if service == "elbv2" and op == "describe-target-groups":
        if region != "eu-west-1":
            return {"TargetGroups": []}
        return {"TargetGroups": [
            {"TargetGroupArn": tg, "TargetGroupName": "web-tg", "Protocol": "HTTP", "Port": 80,
             "TargetType": "instance", "LoadBalancerArns": [lb]},
            {"TargetGroupArn": tg2, "TargetGroupName": "orphan-tg", "Protocol": "HTTP", "Port": 80,
             "TargetType": "instance", "LoadBalancerArns": []}]}
    if service == "elbv2" and op == "describe-target-health":
        if opt("--target-group-arn") != tg:
            fail("TargetGroupNotFound", opname, "Target groups '%s' not found" % opt("--target-group-arn"))
        return {"TargetHealthDescriptions": [
            {"Target": {"Id": "i-0e000000000000001", "Port": 80}, "HealthCheckPort": "80",
             "TargetHealth": {"State": "unhealthy", "Reason": "Target.Timeout",
                              "Description": "Request timed out"}}]}
    if service == "cloudwatch" and op == "get-metric-data":
        q = opt("--metric-data-queries")
        if not q or not q.startswith("file://"):
            fail("usage", opname, "expected --metric-data-queries file://...")
        with open(q[len("file://"):]) as f:
            text = f.read()
        n = len([x for x in os.listdir(os.environ["FAKE_AWS_DIR"]) if x.startswith("mdq-")])
        with open(os.path.join(os.environ["FAKE_AWS_DIR"], "mdq-%03d.json" % (n + 1)), "w") as f:
            f.write(text)
        queries = json.loads(text)
        if len(queries) > 500:
            fail("ValidationError", opname, "The collection MetricDataQueries must not have a size greater than 500.")
        ids = [x["Id"] for x in queries]
        if len(set(ids)) != len(ids):
            fail("ValidationError", opname, "The values for parameter id in MetricDataQueries are not unique.")
        for i in ids:
            if not re.match(r"^[a-z][a-zA-Z0-9_]*\Z", i):
                fail("ValidationError", opname, "The value %s for parameter MetricDataQueries.member.1.Id "
                     "is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$." % i)
        start, end = int(opt("--start-time")), int(opt("--end-time"))
        days = list(range(start, end, 86400))
        stamps = [time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(t)) for t in days]
        res = []
        for x in queries:
            m = x["MetricStat"]["Metric"]["MetricName"]
            v = {"CPUUtilization": 4.0, "NetworkIn": 1000.0, "NetworkOut": 2000.0,
                 "DatabaseConnections": 0.0}[m]
            res.append({"Id": x["Id"], "Label": x.get("Label", x["Id"]), "Timestamps": stamps,
                        "Values": [v] * len(stamps), "StatusCode": "Complete"})
        return {"MetricDataResults": res, "Messages": []}
    fail("InvalidAction", opname, "the fake does not know %s %s" % (service, op))

data = answer()
query = opt("--query")
if query:
    try:
        import jmespath
        data = jmespath.search(query, data)
    except ImportError:
        # emulate the queries collect-aws makes
        if op == "describe-instances":
            data = [i["InstanceId"] for r in data["Reservations"] for i in r["Instances"]
                    if i["State"]["Name"] != "terminated"]
        elif op == "describe-db-instances":
            data = [[d["DBInstanceIdentifier"], d.get("DBInstanceArn")] for d in data["DBInstances"]]
        elif op == "describe-target-groups":
            data = [[t["TargetGroupName"], t["TargetGroupArn"], ",".join(t["LoadBalancerArns"])]
                    for t in data["TargetGroups"]]
        elif op == "describe-target-health":
            lits = re.findall(r"'([^']*)'", query)
            w = {"TargetGroupArn": lits[0]}
            if "LoadBalancerArns:" in query:
                w["LoadBalancerArns"] = lits[1:]
            else:
                w["LoadBalancerArn"] = lits[1]
            w["TargetHealthDescriptions"] = data["TargetHealthDescriptions"]
            data = w
        else:
            fail("usage", opname, "the fake cannot apply --query %s" % query)
if opt("--output", "json") == "text":
    if isinstance(data, list) and data and isinstance(data[0], list):
        for row in data:
            print("\t".join(str(x) for x in row))
    elif isinstance(data, list):
        if data:
            print("\t".join(str(x) for x in data))
    else:
        print("None" if data is None else data)
else:
    print(json.dumps(data, indent=4))
EOF
chmod +x "$TMP/bin/aws"
PATH="$TMP/bin:$PATH"
export PATH
lacks() { ! grep -q "$@"; }
no_secrets() { ! grep -rq -e canary -e AKIACANARY "$@"; }
# window_is SECONDS LOG: every get-metric-data call spans SECONDS
window_is() {
	grep '^cloudwatch get-metric-data' "$2" | awk -v want="$1" '
	{ for (i = 1; i < NF; i++) { if ($i == "--start-time") s = $(i + 1); if ($i == "--end-time") e = $(i + 1) }
	  if (e - s != want) bad = 1; n++ }
	END { exit bad || !n }'
}

# usage errors: exit 2 before any call
expect_exit 2 "no OUTDIR" bash "$COLLECT" --region eu-west-1
check "no OUTDIR: says so" contains "$TMP/err" "OUTDIR missing"
expect_exit 2 "bad --days" bash "$COLLECT" --region eu-west-1 --days 0 "$TMP/x"
expect_exit 2 "bad --region" bash "$COLLECT" --region 'eu west' "$TMP/x"
expect_exit 2 "no region anywhere" bash "$COLLECT" "$TMP/x"
check "no region: says so" contains "$TMP/err" "no region"
check "usage errors make no calls but configure get" test "$(grep -cv '^configure get region' "$LOG")" = 0
rm -f "$LOG"

# a run over two regions
expect_exit 0 "collect two regions" bash "$COLLECT" --profile ci --region eu-west-1 \
	--region us-east-2 "$TMP/col"
cp "$TMP/err" "$TMP/run.err"
for r in eu-west-1 us-east-2; do
	for f in ec2-describe-instances ec2-describe-volumes ec2-describe-addresses \
		ec2-describe-snapshots rds-describe-db-instances elbv2-describe-load-balancers \
		cloudwatch-get-metric-data-001; do
		check "$r/$f.json written" test -s "$TMP/col/$r/$f.json"
	done
done
check "eu-west-1: a second metrics batch" test -s "$TMP/col/eu-west-1/cloudwatch-get-metric-data-002.json"
check "eu-west-1: no third batch" test ! -e "$TMP/col/eu-west-1/cloudwatch-get-metric-data-003.json"
check "us-east-2: one batch" test ! -e "$TMP/col/us-east-2/cloudwatch-get-metric-data-002.json"
check "target health of web-tg written" test -s "$TMP/col/eu-west-1/elbv2-target-health-web-tg.json"
check "no target health for a group without a load balancer" \
	test ! -e "$TMP/col/eu-west-1/elbv2-target-health-orphan-tg.json"
check "no target health where there are no groups" \
	test -z "$(find "$TMP/col/us-east-2" -name 'elbv2-target-health*')"
check "no temporary files left in OUTDIR" test -z "$(find "$TMP/col" -name '.*')"
check "target health wrapped with its ARNs" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
ok = (d["LoadBalancerArn"].endswith(":loadbalancer/app/web/50dc6c495c0c9188")
      and d["TargetGroupArn"].endswith(":targetgroup/web-tg/73e2d6bc24d8a067")
      and len(d["TargetHealthDescriptions"]) == 1)
sys.exit(0 if ok else 1)
' "$TMP/col/eu-west-1/elbv2-target-health-web-tg.json"

# the calls
calls=$(wc -l <"$LOG")
calls=$((calls + 0))
check "22 calls: 9 a region, target health once, 3 metric batches" test "$calls" = 22
check "every call has a region of the two" test "$(grep -c -e '--region eu-west-1' -e '--region us-east-2' "$LOG")" = "$calls"
check "every call uses the profile" test "$(grep -c -e '--profile ci' "$LOG")" = "$calls"
check "every call names its output format" test "$(grep -c -e '--output json' -e '--output text' "$LOG")" = "$calls"
check "snapshots: --owner-ids self" test "$(grep -c '^ec2 describe-snapshots .*--owner-ids self' "$LOG")" = 2
check "describe-target-health once, for web-tg" \
	test "$(grep '^elbv2 describe-target-health' "$LOG" | grep -c 'targetgroup/web-tg/')" = 1
check "describe-target-health only once" test "$(grep -c '^elbv2 describe-target-health' "$LOG")" = 1
check "get-metric-data: 3 calls" test "$(grep -c '^cloudwatch get-metric-data' "$LOG")" = 3
check "get-metric-data: 14 whole days ending at 00:00 UTC" python3 -c '
import sys
for l in open(sys.argv[1]):
    a = l.split()
    if a[:2] != ["cloudwatch", "get-metric-data"]:
        continue
    s, e = int(a[a.index("--start-time") + 1]), int(a[a.index("--end-time") + 1])
    if e % 86400 or e - s != 14 * 86400:
        sys.exit(1)
' "$LOG"
check "the queries: batches of 500, safe unique Ids, <id> <Metric> labels, daily stats" python3 -c '
import json, re, sys
d = sys.argv[1]
sizes, labels = [], set()
for k in (1, 2, 3):
    q = json.load(open("%s/mdq-%03d.json" % (d, k)))
    sizes.append(len(q))
    for x in q:
        assert re.match(r"^[a-z][a-zA-Z0-9_]*\Z", x["Id"]), x["Id"]
        rid, metric = x["Label"].split(" ")
        st = x["MetricStat"]
        assert st["Metric"]["MetricName"] == metric and st["Period"] == 86400, x
        dim = st["Metric"]["Dimensions"][0]["Value"]
        assert dim == rid or rid == "arn:aws:rds:eu-west-1:123456789012:db:" + dim, x
        want = {"CPUUtilization": "Average", "NetworkIn": "Sum", "NetworkOut": "Sum",
                "DatabaseConnections": "Maximum"}[metric]
        assert st["Stat"] == want, x
        assert st["Metric"]["Namespace"] == ("AWS/RDS" if metric == "DatabaseConnections" else "AWS/EC2")
        labels.add(x["Label"])
assert sizes == [500, 11, 3], sizes
assert "arn:aws:rds:eu-west-1:123456789012:db:orders-db DatabaseConnections" in labels
assert "i-0e0000000000000aa NetworkOut" in labels and "i-0a000000000000001 CPUUtilization" in labels
assert not any("dead" in l for l in labels), "terminated instance queried"
assert len(labels) == 514
' "$TMP/calls"
check "credentials never printed" no_secrets "$TMP/col" "$TMP/run.err"
check "summary on stderr" contains "$TMP/run.err" "eu-west-1: 170 instances, 1 databases, 1 target groups, 511 metric queries in 2 calls"

# cloudtally reads it all
expect_exit 0 "ingest the collected folder" "$CT" --db "$TMP/c.db" ingest "$TMP/col"
q() { sqlite3 "$TMP/c.db" "$1"; }
check "173 instances (171 live, 2 terminated)" test "$(q "SELECT count(*) FROM resource WHERE kind='instance'")" = 173
check "instances in both regions" test "$(q "SELECT group_concat(region || '=' || n) FROM (SELECT region, count(*) n FROM resource WHERE kind='instance' GROUP BY 1 ORDER BY 1)")" = "eu-west-1=171,us-east-2=2"
check "one available volume" test "$(q "SELECT resource_id FROM resource WHERE kind='volume' AND state='available'")" = vol-0aaaaaaaaaaaaaaa1
check "2 addresses in eu-west-1" test "$(q "SELECT count(*) FROM resource WHERE kind='address' AND region='eu-west-1'")" = 2
check "1 snapshot, 1 database, 1 load balancer" test "$(q "SELECT group_concat(kind) FROM (SELECT kind FROM resource WHERE kind IN ('snapshot','db_instance','load_balancer') ORDER BY 1)")" = "db_instance,load_balancer,snapshot"
check "target health: 1 target, 0 healthy" test "$(q "SELECT targets || '/' || healthy FROM lb_target_health WHERE load_balancer LIKE '%loadbalancer/app/web/%' AND target_group LIKE '%targetgroup/web-tg/%'")" = "1/0"
check "14 days of cpu, net in and out for each live instance" test \
	"$(q "SELECT count(*) || ' ' || count(DISTINCT resource_id) FROM metric_day WHERE metric IN ('cpu_avg_pct','net_in_bytes','net_out_bytes')")" = "$((171 * 3 * 14)) 171"
check "metrics for the resources the inventory has" test \
	"$(q "SELECT count(*) FROM metric_day m WHERE NOT EXISTS (SELECT 1 FROM resource r WHERE r.resource_id = m.resource_id)")" = 0
check "values as CloudWatch gave them" test "$(q "SELECT DISTINCT metric || '=' || value FROM metric_day ORDER BY 1" | tr '\n' ' ')" = \
	"cpu_avg_pct=4.0 db_connections=0.0 net_in_bytes=1000.0 net_out_bytes=2000.0 "
check "14 days of connections for the database" test "$(q "SELECT count(*) FROM metric_day m JOIN resource r USING (resource_id) WHERE metric='db_connections' AND r.name='orders-db'")" = 14

# --days, and the region from the environment
rm -f "$LOG" "$TMP/calls"/mdq-*
expect_exit 0 "--days 3, region from AWS_REGION" env AWS_REGION=us-east-2 bash "$COLLECT" --days 3 "$TMP/col3"
check "AWS_REGION used" test -s "$TMP/col3/us-east-2/ec2-describe-instances.json"
check "no --profile when none given" lacks -e --profile "$LOG"
check "--days 3: a 3-day window" window_is $((3 * 86400)) "$LOG"

# a failing call: exit non-zero naming the call and the CLI's message
for op in describe-volumes describe-target-health get-metric-data; do
	rm -rf "$TMP/colf"
	expect_exit 1 "$op: AccessDenied fails the run" env FAKE_AWS_FAIL=$op bash "$COLLECT" --region eu-west-1 "$TMP/colf"
	check "$op: the call named" grep -q "collect-aws: aws [a-z0-9]* $op.*(eu-west-1) failed (exit 255)" "$TMP/err"
	check "$op: the CLI's message passed on" contains "$TMP/err" "AccessDenied"
	check "$op: credentials not printed" no_secrets "$TMP/err" "$TMP/out"
done
check "a failed call leaves no file for it" test ! -e "$TMP/colf/eu-west-1/cloudwatch-get-metric-data-001.json"
rm -rf "$TMP/colf"
FAKE_AWS_FAIL=describe-volumes bash "$COLLECT" --region eu-west-1 "$TMP/colf" >/dev/null 2>&1
check "nothing after the failed call" test ! -e "$TMP/colf/eu-west-1/ec2-describe-volumes.json" -a \
	! -e "$TMP/colf/eu-west-1/ec2-describe-addresses.json"
finish
