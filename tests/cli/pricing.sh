#!/bin/sh
# pricing.sh - `cloudtally pricing show` and `status` on the embedded
# catalog: figures from public price facts, sources shown, unknowns named.
. "$CT_SRCDIR/tests/cli/lib.sh"

DB="$TMP/p.db"
expect_exit 0 "pricing show ec2 m5.large" "$CT" --db "$DB" pricing show ec2 m5.large
check "hourly 0.096" contains "$TMP/out" 'hourly  *\$0\.0960'
check "monthly 70.08" contains "$TMP/out" 'monthly (730 h)  *\$70\.08'
check "size 2 vCPU 8 GiB" contains "$TMP/out" '2 vCPU, 8 GiB'
check "source shown" contains "$TMP/out" 'source  *[a-z]'

expect_exit 0 "reserved 1y all upfront" "$CT" --db "$DB" pricing show ec2 m5.large --term 1y --payment all --format json
check "upfront 494" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["upfront"] == 494, r
assert round(r["effective_hourly"], 4) == 0.0564, r
assert round(r["monthly"], 2) == 41.17, r
' "$TMP/out"

expect_exit 0 "spot estimate" "$CT" --db "$DB" pricing show ec2 m5.large --spot
check "spot says it is an estimate" contains "$TMP/out" "estimated"

expect_exit 0 "pricing show ebs gp3" "$CT" --db "$DB" pricing show ebs gp3
check "gp3 storage 0.08" contains "$TMP/out" 'storage .*\$0\.0800 .*GB-month'
check "gp3 IOPS above 3000 at 0.005" contains "$TMP/out" 'iops .*over 3000 .*\$0\.0050'

expect_exit 3 "unknown instance type" "$CT" --db "$DB" pricing show ec2 m5.lage
check "names it and suggests" contains "$TMP/err" "m5.lage.*did you mean.*m5.large"
expect_exit 3 "unknown region" "$CT" --db "$DB" pricing show ec2 m5.large --region eu-mars-1
check "lists known regions" contains "$TMP/err" "eu-mars-1.*known regions: .*us-east-1"
expect_exit 2 "bad term" "$CT" --db "$DB" pricing show ec2 m5.large --term 2y
expect_exit 2 "show without a product" "$CT" --db "$DB" pricing show ec2

expect_exit 0 "pricing status" "$CT" --db "$DB" pricing status
check "status counts embedded prices" contains "$TMP/out" "prices: [0-9]* embedded, 0 refreshed"
check "status names the EC2 source" contains "$TMP/out" "embedded  *ec2 "
# refreshed prices in the store win over embedded ones, key by key
"$CT" -q --db "$DB" db init
sqlite3 "$DB" "INSERT INTO price (service, region, product, variant, term, unit, price, source, as_of) VALUES ('ec2', 'us-east-1', 'm5.large', 'linux/shared', 'ondemand', 'hour', '0.1000000000', 'https://mirror.example/AmazonEC2/us-east-1/index.csv', '2026-11-30')"
expect_exit 0 "refreshed price wins" "$CT" --db "$DB" pricing show ec2 m5.large
check "0.1 from the store" contains "$TMP/out" 'hourly  *\$0\.1000'
check "73.00 a month" contains "$TMP/out" 'monthly (730 h)  *\$73\.00'
check "its source and date" contains "$TMP/out" "mirror.example.*2026-11-30"
expect_exit 0 "other types keep embedded prices" "$CT" --db "$DB" pricing show ec2 m5.xlarge
check "m5.xlarge 0.192" contains "$TMP/out" 'hourly  *\$0\.1920'
expect_exit 0 "status counts the refreshed price" "$CT" --db "$DB" pricing status
check "1 refreshed" contains "$TMP/out" "embedded, 1 refreshed"
check "refreshed source listed" contains "$TMP/out" "refreshed  *ec2  *2026-11-30  *1  *https://mirror.example"
finish
