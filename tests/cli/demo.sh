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
finish
