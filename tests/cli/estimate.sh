#!/bin/sh
# estimate.sh - `cloudtally estimate` on the real Terraform plans in
# ../shared/terraform: figures from public price facts, worked out by hand
# in the comments (730 hours a month), and the JSON contract.
. "$CT_SRCDIR/tests/cli/lib.sh"
have_shared
TF="$CT_SHARED/terraform"
export CLOUDTALLY_DB="$TMP/none.db" # no store: embedded prices only

# j PLAN [ARGS] : estimate as JSON into $TMP/e.json
j() {
	p=$1
	shift
	"$CT" estimate "$TF/$p/plan.json" --format json "$@" >"$TMP/e.json" 2>"$TMP/err"
}
# val 'python expression over r (the JSON) and res(address)' expected
val() {
	got=$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
def res(a):
    return [x for x in r["resources"] if x["address"] == a][0]
def comp(a, name):
    return [c for c in res(a)["components"] if c["name"].startswith(name)][0]
v = eval(sys.argv[2])
print("%.2f" % v if isinstance(v, float) else v)
' "$TMP/e.json" "$1" 2>&1)
	if [ "$got" = "$2" ]; then ok "$1 = $2"; else not_ok "$1: got $got, want $2"; fi
}

for p in basic eks modules change serverless large; do
	expect_exit 0 "estimate $p" "$CT" estimate "$TF/$p/plan.json" --format json
done

j basic
# m5.large 0.096 x 730 = 70.08; detailed monitoring 7 x 0.30 = 2.10;
# root gp3 50 GB x 0.08 = 4.00
val 'res("aws_instance.web[0]")["monthly_cost"]' 76.18
val 'comp("aws_instance.web[0]", "Instance usage")["monthly_cost"]' 70.08
val 'comp("aws_instance.web[0]", "Instance usage")["unit_price"]' 0.10
# RDS postgres Multi-AZ db.m5.large 0.356 x 730 = 259.88 + 100 GB x 0.23
val 'res("aws_db_instance.main")["monthly_cost"]' 282.88
# MySQL io1: 0.136 x 730 = 99.28 + 100 GB x 0.125 + 1,000 IOPS x 0.10
val 'res("aws_db_instance.reporting")["monthly_cost"]' 211.78
# gp3 200 GB 6,000 IOPS 250 MiB/s: 16.00 + 3,000 x 0.005 + 125 x 0.04
val 'res("aws_ebs_volume.data")["monthly_cost"]' 36.00
# io2 100 GB 5,000 IOPS: 12.50 + 325.00
val 'res("aws_ebs_volume.journal")["monthly_cost"]' 337.50
val 'res("aws_nat_gateway.main")["monthly_cost"]' 32.85
val 'res("aws_lb.web")["monthly_cost"]' 16.43
val 'res("aws_eip.nat")["monthly_cost"]' 3.65
val 'r["total_monthly_cost"]' 1188.02
val 'sorted(x["address"] for x in r["free"])' "['aws_iam_role.app', 'aws_security_group.web']"
val '[x["address"] for x in r["unsupported"]]' "['aws_sqs_queue.jobs']"
val 'comp("aws_s3_bucket.assets", "Standard storage")["usage_based"]' True
val 'comp("aws_s3_bucket.assets", "Standard storage")["monthly_cost"]' None
val 'any("8 GB assumed" in n for n in res("aws_instance.bastion")["notes"])' True

j eks
val 'res("aws_eks_cluster.main")["monthly_cost"]' 73.00
# 3 x m5.large 210.24 + 3 x 50 GB gp2 15.00
val 'res("aws_eks_node_group.general")["monthly_cost"]' 225.24
# the GPU group's type comes from its launch template: g5.xlarge 1.006
val 'comp("aws_eks_node_group.gpu", "Instance usage")["unit_price"]' 1.01
val 'comp("aws_eks_node_group.batch", "Instance usage")["purchase_option"]' spot

j modules
val 'res("module.service[\"green\"].aws_instance.node[0]")["region"]' us-east-1
val 'res("module.service_eu.aws_instance.node[0]")["region"]' eu-west-1
# no embedded EC2 price in eu-west-1: unknown, never $0, out of the totals
val 'comp("module.service_eu.aws_instance.node[0]", "Instance usage")["price_found"]' False
val 'comp("module.service_eu.aws_instance.node[0]", "Instance usage")["unit_price"]' None
val 'len([u for u in r["unpriced"] if u["address"].startswith("module.service_eu")]) >= 2' True
val 'r["total_monthly_cost"]' 293.86

j change
# before: 50 + 70.88 + 31.17 + 4 x 62.85 + 32.85; after: 14.71 + 40 + 140.96 + 31.17 + 2 x 62.85
val 'r["past_total_monthly_cost"]' 436.30
val 'r["total_monthly_cost"]' 352.54
val 'r["diff_total_monthly_cost"]' -83.76
val 'res("aws_instance.api")["action"]' replace
val 'res("aws_instance.worker[3]")["monthly_cost"]' None
val 'res("aws_instance.worker[3]")["past_monthly_cost"]' 62.85
val 'res("aws_db_instance.cache_db")["past_monthly_cost"]' None

# usage file: Lambda api 50M requests x 0.20/M = 10.00; 50M x 0.12 s x
# 0.125 GB = 750,000 GB-s x 0.0000166667 = 12.50
j serverless --usage-file "$TF/serverless/usage.yml"
val 'comp("aws_lambda_function.api", "Requests")["monthly_cost"]' 10.00
val 'res("aws_nat_gateway.egress")["monthly_cost"]' 100.35
j serverless
val 'comp("aws_lambda_function.api", "Requests")["monthly_cost"]' None
val 'comp("aws_lambda_function.api", "Requests")["usage_based"]' True

# resource types the shared plans do not have (tests/fixtures/plans)
MORE="$CT_SRCDIR/tests/fixtures/plans/more-types.json"
"$CT" estimate "$MORE" --format json >"$TMP/e.json" 2>"$TMP/err"
# 3 x c5.large from the launch template: 3 x 0.085 x 730
val 'res("aws_autoscaling_group.web")["monthly_cost"]' 186.15
# spot m5.large 0.096 x (1 - 0.66) = 0.03264 x 730 = 23.83, root 20 GB gp3 1.60
val 'res("aws_spot_instance_request.batch")["monthly_cost"]' 25.43
val 'comp("aws_spot_instance_request.batch", "Instance usage")["purchase_option"]' spot
val 'res("aws_rds_cluster_instance.aurora_a")["monthly_cost"]' 119.72
val 'res("aws_ebs_snapshot.backup")["monthly_cost"]' 5.00
# 2 x cache.m5.large 0.156 x 730
val 'res("aws_elasticache_replication_group.sessions")["monthly_cost"]' 227.76
val 'res("aws_elb.classic")["monthly_cost"]' 18.25
val 'res("aws_alb.api")["monthly_cost"]' 16.43
val 'comp("aws_instance.unknown_type", "Instance usage")["price_found"]' False
val 'res("aws_instance.legacy_windows")["past_monthly_cost"]' 73.08
val '[x["type"] for x in r["unsupported"]]' "['aws_kinesis_stream']"
val 'sorted(x["type"] for x in r["free"])' "['aws_launch_template', 'aws_vpc']"

# cases from review: unknown prices never move the totals, 0 nodes cost
# nothing, absurd counts are ignored with a note, forget keeps the cost,
# junk in block-device lists is skipped
"$CT" estimate "$CT_SRCDIR/tests/fixtures/plans/review-cases.json" --format json >"$TMP/e.json" 2>"$TMP/err"
val 'res("aws_instance.to_unknown")["monthly_cost"]' None
val 'res("aws_instance.to_unknown")["diff_monthly_cost"]' None
val 'res("aws_instance.from_unknown")["past_monthly_cost"]' None
val 'sorted(u["address"] for u in r["unpriced"])' "['aws_instance.from_unknown', 'aws_instance.to_unknown']"
val 'res("aws_eks_node_group.empty")["monthly_cost"]' 0.00
val 'any("not a usable quantity" in n for n in res("aws_eks_node_group.huge")["notes"])' True
val 'res("aws_instance.kept")["action"]' no-op
val 'res("aws_instance.kept")["diff_monthly_cost"]' 0.00
# m5.large 70.08 + root 8 GB 0.80 + one real 10 GB device 1.00
val 'res("aws_instance.odd_devices")["monthly_cost"]' 71.88
# the totals hold only fully priced resources: huge (1 node + 20 GB
# assumed) 72.08, kept 70.88, odd_devices 71.88, empty 0
val 'r["total_monthly_cost"]' 214.84
val 'r["past_total_monthly_cost"]' 70.88
expect_exit 1 "fail-above on the known change" "$CT" estimate "$CT_SRCDIR/tests/fixtures/plans/review-cases.json" --fail-above 100

# thresholds: the change plan lowers the bill, basic raises it by 1,188.02
expect_exit 0 "fail-above not reached" "$CT" estimate "$TF/change/plan.json" --fail-above 0
expect_exit 1 "fail-above passed" "$CT" estimate "$TF/basic/plan.json" --fail-above 1000
check "says by how much" contains "$TMP/err" "1,188.02"
expect_exit 0 "fail-above not passed" "$CT" estimate "$TF/basic/plan.json" --fail-above 2000
expect_exit 1 "fail-increase-percent from nothing" "$CT" estimate "$TF/basic/plan.json" --fail-increase-percent 10
expect_exit 2 "bad --fail-above" "$CT" estimate "$TF/basic/plan.json" --fail-above lots

# markdown: the PR comment
expect_exit 0 "markdown" "$CT" estimate "$TF/change/plan.json" --format markdown
check "marker" contains "$TMP/out" "<!-- cloudtally-estimate -->"
check "headline with the change" contains "$TMP/out" '83\.76'
expect_exit 0 "table" "$CT" estimate "$TF/basic/plan.json"
check "table total" contains "$TMP/out" '1,188\.02'

# bad plans
printf '{"format_version": "1.2"}' >"$TMP/notplan.json"
expect_exit 3 "not a plan" "$CT" estimate "$TMP/notplan.json"
check "says how to make one" contains "$TMP/err" "terraform show -json"
printf '{"resource_changes": [' >"$TMP/cut.json"
expect_exit 3 "truncated JSON" "$CT" estimate "$TMP/cut.json"
check "names the file" contains "$TMP/err" "cut.json"
expect_exit 6 "missing plan" "$CT" estimate "$TMP/none.json"
finish
