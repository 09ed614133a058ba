#!/bin/sh
# formats.sh - every provider billing export under ../shared/data/external
# (FOCUS converters, Koku, FinOps toolkit, OpenCost) ingests with report
# figures equal to an independent reading (tests/tools/billing_oracle.py);
# AWS delivery layouts (manifests, assemblies, CUR 2.0 executions);
# restatement; bad input of every format exits 3 naming FILE:LINE and
# leaves the store byte for byte as it was.
. "$CT_SRCDIR/tests/cli/lib.sh"
have_shared

FC="$EXT/finopsfoundation__focus_converters"
KOKU="$EXT/project-koku__koku/koku/masu/test/data"
FTK="$EXT/microsoft__finops-toolkit/src"
OC="$EXT/opencost__opencost"
FIX="$CT_SRCDIR/tests/fixtures/formats"
ORACLE="python3 $TOOLS/billing_oracle.py"
export CT_SHARED

# agree "what" DB SOURCE...: the report of every month the sources have
# equals the independent reading, to the cent
agree() {
	what=$1 db=$2
	shift 2
	months=$($ORACLE --months "$@") || { not_ok "$what: oracle failed"; return; }
	[ -n "$months" ] || { ok "$what: no lines (header only)"; return; }
	for m in $months; do
		CLOUDTALLY_NOW=2030-01-01 "$CT" --db "$db" report --month "$m" --format json >"$TMP/rep.json" &&
			$ORACLE "$m" "$@" >"$TMP/ora.json" &&
			python3 "$TOOLS/compare_report.py" "$TMP/rep.json" "$TMP/ora.json" >"$TMP/diff" 2>&1
		if [ $? -eq 0 ]; then ok "$what $m = independent sum"; else not_ok "$what $m"; head -20 "$TMP/diff"; fi
	done
}

# totals "what" SOURCE...: the ingest summary's billed total (its own
# rounding to cents) next to the oracle's exact sum, for the log
totals() {
	what=$1
	shift
	got=$(sed -n 's/.*billed \([-0-9,.]*\)$/\1/p' "$TMP/out" | tr -d , |
		awk '{ s += $1 } END { printf "%.2f", s }')
	want=$($ORACLE --totals "$@" | python3 -c 'import decimal,json,sys; print(decimal.Decimal(json.load(sys.stdin)["billed"]).quantize(decimal.Decimal("0.01"), decimal.ROUND_HALF_UP))')
	echo "# total $what: cloudtally $got, independent $want"
	check "$what: billed total $got = $want" test "$got" = "$want"
}

dump() { sqlite3 "$1" .dump | grep -v '^INSERT INTO sqlite_stat'; }

# ---- every real file, on its own --------------------------------------------
nf=0
for f in \
	"$FC/focus_converter_base/tests/provider_config_tests/aws/sample-anonymous-aws-export-dataset.csv" \
	"$FC/focus_converter_base/tests/provider_config_tests/azure/sample-anonymous-ea-export-dataset.csv" \
	"$FC/focus_converter_base/tests/provider_config_tests/oci/reports_cost-csv_0000000030000269.csv" \
	"$KOKU/aws/2022-07-01-alt-columns.csv" "$KOKU/aws/2023-06-01.csv" \
	"$KOKU/test_cur.csv" "$KOKU/test_cur.csv.gz" \
	"$KOKU/azure/azure_camelCased.csv" "$KOKU/azure/azure_version_2.csv" \
	"$KOKU/azure/camel_azure_version_2.csv" \
	"$KOKU/azure/costreport_a243c6f2-199f-4074-9a2c-40e671cf1584.csv" \
	"$KOKU/gcp/202011_30c31bca571d9b7f3b2c8459dd8bc34a_2020-11-08:2020-11-11.csv" \
	"$KOKU/gcp/2022-08-01_5.csv" \
	"$FTK/powershell/Tests/assets/EA_ActualCost_Small.csv" \
	"$FTK/powershell/Tests/assets/EA_AmortizedCost_Small.csv" \
	"$FTK/powershell/Tests/assets/EA_NoRows.csv" \
	"$OC"/pkg/cloud/azure/resources/billingexports/headersets/*.csv \
	"$OC"/pkg/cloud/azure/resources/billingexports/values/*.csv \
	"$FIX/cur-commitments.csv" "$FIX/gcp-export.json"; do
	nf=$((nf + 1))
	name=${f#"$EXT/"}
	expect_exit 0 "ingest $name" "$CT" --db "$TMP/real-$nf.db" ingest "$f"
	totals "$name" "$f"
	agree "$name" "$TMP/real-$nf.db" "$f"
done
check "all 27 files read (25 real, 2 fixtures)" test "$nf" -eq 27
check "a header-only export is zero lines" sh -c "'$CT' --db '$TMP/norows.db' ingest '$FTK/powershell/Tests/assets/EA_NoRows.csv' | grep -q 'azure-ea, 0 lines'"

# labels the readers report
"$CT" --db "$TMP/lab.db" ingest "$KOKU/aws/2022-07-01-alt-columns.csv" "$KOKU/azure/camel_azure_version_2.csv" \
	"$KOKU/gcp/2022-08-01_5.csv" "$FIX/gcp-export.json" \
	"$FC/focus_converter_base/tests/provider_config_tests/oci/reports_cost-csv_0000000030000269.csv" >"$TMP/out" 2>&1
for l in aws-cur-athena azure-mca gcp-csv gcp-json "oci, 506 lines"; do
	check "format label $l" contains "$TMP/out" "$l"
done

# ---- the Koku S3-layout tarballs: manifests name the current assembly ---------
mkdir -p "$TMP/s3"
for t in test_local_bucket test_local_bucket_prefix; do
	tar xzf "$KOKU/$t.tar.gz" -C "$TMP/s3" || not_ok "unpack $t"
done
expect_exit 0 "ingest the koku-local report folder" "$CT" --db "$TMP/kl.db" ingest "$TMP/s3/koku-local"
check "koku-local: the assembly's file, 13380 lines" contains "$TMP/out" "16e57707-f9e3-49be-8be6-b84e684b5194/koku-local-1.csv.gz: aws-cur, 13380 lines"
check "koku-local: manifests are not read as data" sh -c "! grep -q Manifest '$TMP/out'"
totals "koku-local" "$TMP/s3/koku-local"
agree "koku-local" "$TMP/kl.db" "$TMP/s3/koku-local"
expect_exit 0 "ingest the prefixed report folder" "$CT" --db "$TMP/mp.db" ingest "$TMP/s3/my-prefix"
check "my-prefix: 6190 lines" contains "$TMP/out" "ingested 1 file, 6190 lines"
totals "my-prefix" "$TMP/s3/my-prefix"
agree "my-prefix" "$TMP/mp.db" "$TMP/s3/my-prefix"
expect_exit 0 "a manifest named on its own" "$CT" --db "$TMP/mf.db" ingest "$TMP/s3/my-prefix/my-report/20180801-20180901/my-report-Manifest.json"
check "named manifest: its file" contains "$TMP/out" "my-report-1.csv.gz: aws-cur, 6190 lines"

# a later assembly: a restated month in a new assembly folder, the period
# manifest now naming it
P="$TMP/s3/koku-local/20180801-20180901"
A1=16e57707-f9e3-49be-8be6-b84e684b5194
A2=99999999-0000-4000-8000-000000000002
mkdir -p "$P/$A2"
gzip -dc "$P/$A1/koku-local-1.csv.gz" | head -5001 | gzip -c >"$P/$A2/koku-local-1.csv.gz"
sed "s/$A1/$A2/g" "$P/koku-local-Manifest.json" >"$P/$A2/koku-local-Manifest.json"
cp "$P/koku-local-Manifest.json" "$TMP/manifest-a1.json"
cp "$P/$A2/koku-local-Manifest.json" "$P/koku-local-Manifest.json"
expect_exit 0 "ingest the later assembly" "$CT" --db "$TMP/kl.db" ingest "$TMP/s3/koku-local"
check "later assembly: its 5000 lines only" contains "$TMP/out" "ingested 1 file, 5000 lines"
check "later assembly replaced the earlier one" contains "$TMP/out" "replaced 13380 lines"
agree "later assembly" "$TMP/kl.db" "$TMP/s3/koku-local"
check "earlier assembly left out" sh -c "! grep -q '$A1' '$TMP/out'"
# several assemblies and no period manifest: refused, store unchanged
dump "$TMP/kl.db" >"$TMP/before.sql"
mv "$P/koku-local-Manifest.json" "$TMP/current.json"
expect_exit 3 "two assemblies, no period manifest" "$CT" --db "$TMP/kl.db" ingest "$TMP/s3/koku-local"
check "says which is current is unknown" contains "$TMP/err" "2 assemblies"
# an interrupted download: the manifest names a file that is not there
cp "$TMP/current.json" "$P/koku-local-Manifest.json"
mv "$P/$A2/koku-local-1.csv.gz" "$TMP/held.csv.gz"
expect_exit 3 "manifest names a missing file" "$CT" --db "$TMP/kl.db" ingest "$TMP/s3/koku-local"
check "says the download is incomplete" contains "$TMP/err" "incomplete download"
# a truncated data file
head -c 20000 "$TMP/held.csv.gz" >"$P/$A2/koku-local-1.csv.gz"
expect_exit 3 "truncated assembly file" "$CT" --db "$TMP/kl.db" ingest "$TMP/s3/koku-local"
check "truncated: names the file" contains "$TMP/err" "koku-local-1.csv.gz"
dump "$TMP/kl.db" >"$TMP/after.sql"
check "failed deliveries left the store as it was" cmp -s "$TMP/before.sql" "$TMP/after.sql"
mv "$TMP/held.csv.gz" "$P/$A2/koku-local-1.csv.gz"
# back to the first assembly: the month is restated again
cp "$TMP/manifest-a1.json" "$P/koku-local-Manifest.json"
expect_exit 0 "back to the first assembly" "$CT" --db "$TMP/kl.db" ingest "$TMP/s3/koku-local"
check "first assembly: 13380 lines, replacing 5000" contains "$TMP/out" "13380 lines.*(replaced 5000 lines"

# ---- CUR 2.0 export folder: the manifest's execution, not the stale one -------
expect_exit 0 "ingest a CUR 2.0 export folder" "$CT" --db "$TMP/c2.db" ingest "$FIX/cur2/my-export"
check "CUR 2.0: the two files of exec-2" contains "$TMP/out" "ingested 2 files, 16 lines"
check "CUR 2.0: exec-1 left out" sh -c "! grep -q exec-1 '$TMP/out'"
check "CUR 2.0 labelled" contains "$TMP/out" "aws-cur-2.0"
totals "cur2 export" "$FIX/cur2/my-export"
agree "cur2 export" "$TMP/c2.db" "$FIX/cur2/my-export"
# the legacy fixture and its CUR 2.0 twin give the same month
"$CT" --db "$TMP/c1.db" ingest "$FIX/cur-commitments.csv" >/dev/null
for db in c1 c2; do
	CLOUDTALLY_NOW=2030-01-01 "$CT" --db "$TMP/$db.db" report --month 2024-03 --format json |
		python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["total_billed_cost"], r["total_effective_cost"], sorted((s["name"], s["billed_cost"]) for s in r["by_service"]))' >"$TMP/$db.txt"
done
check "legacy CUR and CUR 2.0: same month" cmp -s "$TMP/c1.txt" "$TMP/c2.txt"

# ---- Azure actual + amortized together ----------------------------------------
expect_exit 0 "ingest the FinOps toolkit EA folder" "$CT" --db "$TMP/ea.db" ingest "$FTK/powershell/Tests/assets"
check "amortized file read first" sh -c "head -1 '$TMP/out' | grep -q EA_AmortizedCost_Small"
check "actual adds only its reservation purchase" contains "$TMP/out" "EA_ActualCost_Small.csv: azure-ea, 1 lines, billed 3.25"
agree "EA actual + amortized" "$TMP/ea.db" "$FTK/powershell/Tests/assets"

# ---- restatement: the same export twice, in two runs ----------------------------
F="$FC/focus_converter_base/tests/provider_config_tests/aws/sample-anonymous-aws-export-dataset.csv"
"$CT" --db "$TMP/re.db" ingest "$F" >/dev/null
CLOUDTALLY_NOW=2030-01-01 "$CT" --db "$TMP/re.db" report --month 2023-11 --format json >"$TMP/re1.json"
expect_exit 0 "ingest the same CUR again" "$CT" --db "$TMP/re.db" ingest "$F"
check "replaced, not added" contains "$TMP/out" "replaced 1281 lines"
CLOUDTALLY_NOW=2030-01-01 "$CT" --db "$TMP/re.db" report --month 2023-11 --format json >"$TMP/re2.json"
check "report unchanged by a second ingest" cmp -s "$TMP/re1.json" "$TMP/re2.json"
gzip -c "$F" >"$TMP/cur.csv.gz"
"$CT" --db "$TMP/gz.db" ingest "$TMP/cur.csv.gz" >/dev/null
CLOUDTALLY_NOW=2030-01-01 "$CT" --db "$TMP/gz.db" report --month 2023-11 --format json >"$TMP/gz.json"
check "gzip copy: same report" cmp -s "$TMP/re1.json" "$TMP/gz.json"
for f in "$FTK/powershell/Tests/assets/EA_AmortizedCost_Small.csv" \
	"$FC/focus_converter_base/tests/provider_config_tests/oci/reports_cost-csv_0000000030000269.csv" \
	"$FIX/gcp-export.json"; do
	"$CT" --db "$TMP/twice.db" ingest "$f" >/dev/null
	dump "$TMP/twice.db" | grep 'INSERT INTO line ' | sed 's/VALUES([0-9]*,[0-9]*,/VALUES(/' | sort >"$TMP/t1"
	"$CT" --db "$TMP/twice.db" ingest "$f" >"$TMP/out"
	dump "$TMP/twice.db" | grep 'INSERT INTO line ' | sed 's/VALUES([0-9]*,[0-9]*,/VALUES(/' | sort >"$TMP/t2"
	check "$(basename "$f") twice: same lines" cmp -s "$TMP/t1" "$TMP/t2"
	check "$(basename "$f") twice: replaced" contains "$TMP/out" "replaced"
done

# ---- --format ----------------------------------------------------------------------
expect_exit 0 "--format cur2 on a CUR 2.0 file" "$CT" --db "$TMP/f.db" ingest --format cur2 "$FIX/cur2/my-export/data/BILLING_PERIOD=2024-03/exec-2/my-export-00001.csv.gz"
expect_exit 0 "--format gcp on newline-delimited JSON" "$CT" --db "$TMP/f.db" ingest --format gcp "$FIX/gcp-export.json"
expect_exit 3 "--format oci on a CUR" "$CT" --db "$TMP/f.db" ingest --format oci "$F"
check "--format oci: what is missing" contains "$TMP/err" "not an OCI cost report"
expect_exit 2 "--format with an unknown name" "$CT" --db "$TMP/f.db" ingest --format parquet "$F"
check "lists the known formats" contains "$TMP/err" "focus, cur, cur2, azure, gcp, oci"

# ---- files in these folders that are not billing exports ----------------------------
dump "$TMP/re.db" >"$TMP/before.sql"
for f in "$FTK/open-data/Services.csv" "$FTK/open-data/Regions.csv" "$FTK/open-data/PricingUnits.csv" \
	"$FC"/focus_converter_base/focus_converter/conversion_configs/*/mapping_files/*.csv \
	"$OC"/configs/pricing_schema*.csv; do
	expect_exit 3 "not a billing export: ${f#"$EXT/"}" "$CT" --db "$TMP/re.db" ingest "$f"
	check "says so: ${f#"$EXT/"}" contains "$TMP/err" "error: $f:1: unrecognised billing format"
done
for f in "$OC"/configs/*.json "$OC/pkg/cloud/gcp/test/skus.json"; do
	expect_exit 3 "not billing data: ${f#"$EXT/"}" "$CT" --db "$TMP/re.db" ingest "$f"
done
# a folder with a mapping table: unknown CSV in a folder is an error too
expect_exit 3 "a folder with mapping tables" "$CT" --db "$TMP/re.db" ingest "$FTK"
dump "$TMP/re.db" >"$TMP/after.sql"
check "non-billing files left the store as it was" cmp -s "$TMP/before.sql" "$TMP/after.sql"

# ---- bad input of every format: exit 3, FILE:LINE, store unchanged --------------------
mkdir -p "$TMP/bad"
python3 - "$TMP/bad" "$F" "$FTK/powershell/Tests/assets/EA_AmortizedCost_Small.csv" \
	"$FC/focus_converter_base/tests/provider_config_tests/oci/reports_cost-csv_0000000030000269.csv" \
	"$KOKU/gcp/2022-08-01_5.csv" "$FIX/gcp-export.json" "$FIX/cur-commitments.csv" <<'PY'
import csv, gzip, io, json, sys
out, cur, az, oci, gcp, gj, cc = sys.argv[1:]
def rows(p):
    return list(csv.reader(open(p, encoding="utf-8-sig", newline="")))
def write(name, rs, gz=False):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rs)
    data = buf.getvalue().encode()
    open(out + "/" + name, "wb").write(gzip.compress(data) if gz else data)
def set_(rs, line, col, value):
    rs[line - 1][rs[0].index(col)] = value
    return rs
# the bad value sits on line 7 of each file
write("cur-cost.csv", set_(rows(cur), 7, "lineItem/UnblendedCost", "0.1.2"))
write("cur-date.csv.gz", set_(rows(cur), 7, "lineItem/UsageStartDate", "2023-11-31T00:00:00Z"), gz=True)
r = rows(cur); r[6].append("extra"); write("cur-ragged.csv", r)
write("cur-effective.csv", set_(set_(rows(cc), 7, "reservation/EffectiveCost", "lots"), 7, "lineItem/LineItemType", "DiscountedUsage"))
write("azure-cost.csv", set_(rows(az), 7, "Cost", "1,5"))
write("azure-date.csv", set_(rows(az), 7, "Date", "31/09/2023"))
write("azure-tags.csv", set_(rows(az), 7, "Tags", '"a": "b", oops'))
write("oci-cost.csv", set_(rows(oci), 7, "cost/myCost", "free"))
write("oci-start.csv", set_(rows(oci), 7, "lineItem/intervalUsageStart", "yesterday"))
write("gcp-cost.csv", set_(rows(gcp), 7, "cost", "12e"))
write("gcp-credits.csv", set_(rows(gcp), 7, "credits", "[{'amount': }]"))
lines = open(gj).read().splitlines()
lines[6] = lines[6][:-1]
open(out + "/gcp-json.json", "w").write("\n".join(lines) + "\n")
d = [json.loads(l) for l in open(gj).read().splitlines()]
d[6]["cost"] = "eleven"
open(out + "/gcp-json-cost.json", "w").write("\n".join(json.dumps(x) for x in d) + "\n")
PY
"$CT" --db "$TMP/bad.db" ingest "$FIX/cur-commitments.csv" >/dev/null
dump "$TMP/bad.db" >"$TMP/before.sql"
for f in "$TMP"/bad/*; do
	b=$(basename "$f")
	expect_exit 3 "bad input $b" "$CT" --db "$TMP/bad.db" ingest "$FIX/gcp-export.json" "$f"
	check "bad input $b: names FILE:LINE" contains "$TMP/err" "cloudtally: error: $f:7: "
done
# binary, empty and truncated files
head -c 3000 /bin/sh >"$TMP/bad-binary.csv"
: >"$TMP/bad-empty.csv"
head -c 1000 "$KOKU/test_cur.csv.gz" >"$TMP/bad-cut.csv.gz"
for f in "$TMP/bad-binary.csv" "$TMP/bad-empty.csv" "$TMP/bad-cut.csv.gz"; do
	expect_exit 3 "bad input $(basename "$f")" "$CT" --db "$TMP/bad.db" ingest "$f"
	check "bad input $(basename "$f"): names the file" contains "$TMP/err" "$f"
done
dump "$TMP/bad.db" >"$TMP/after.sql"
check "bad input left the store as it was" cmp -s "$TMP/before.sql" "$TMP/after.sql"

# an OCI report larger than the CSV reader's block: its tag keys come from
# the header, which the reader's buffer overwrites once it moves on
python3 -c '
import sys
with open(sys.argv[1], "w") as f:
    f.write("lineItem/tenantId,lineItem/intervalUsageStart,lineItem/intervalUsageEnd,product/service,cost/myCost,cost/currencyCode,tags/team\n")
    for i in range(20000):
        f.write("ocid1.tenancy.oc1..aaa,2026-10-01T00:00Z,2026-10-01T01:00Z,COMPUTE,0.5,USD,payments-%d%s\n" % (i % 7, "X" * 100))
' "$TMP/oci-big.csv"
expect_exit 0 "a 2.5 MB OCI report with a tag column" "$CT" --db "$TMP/ocibig.db" ingest "$TMP/oci-big.csv"
check "every line keeps the tag key of the header" test "$(sqlite3 "$TMP/ocibig.db" "SELECT group_concat(DISTINCT key) FROM profile_tag")" = "team"
finish
