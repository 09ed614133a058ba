#!/bin/sh
# html.sh - the HTML report (issue 6): one self-contained page with the
# text report's sections, three SVG charts, sortable tables, the savings
# section with recommend's total, and every string of the billing data
# escaped (hostile tags, names with markup, quotes and line breaks).
#
# Those checks read the file and always run. When Chromium is installed,
# the page is also loaded in headless Chromium: rendered to PNG on a
# desktop and a phone-wide window, its script run without errors, a
# table sorted by a click, and the hostile page shown without markup
# from the data. Without Chromium those assertions are reported as
# "# SKIP" and the test exits 77 (skipped) if nothing failed; with
# CT_REQUIRE_BROWSER=1 in CI a missing Chromium is a failure.
. "$CT_SRCDIR/tests/cli/lib.sh"

export CLOUDTALLY_NOW=2026-11-15T00:00:00Z
HOSTILE="$CT_SRCDIR/tests/fixtures/hostile/focus-hostile.csv"
cd "$TMP" || exit 1

# ---- the demo report: structure --------------------------------------------
expect_exit 0 "demo writes the HTML report" "$CT" demo --out "$TMP/demo"
H="$TMP/demo/report-2026-10.html"
DB="$TMP/demo/demo.db"
check "a whole page" sh -c "head -1 '$H' | grep -q '^<!DOCTYPE html>' && tail -1 '$H' | grep -q '^</html>'"
# every element closed where it was opened, ids unique (the hostile page too, below)
cat >"$TMP/wellformed.py" <<'PY'
import sys
from html.parser import HTMLParser
VOID = {"meta", "br", "img", "input", "hr", "link", "line", "rect", "col", "wbr"}
class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.ids, self.bad = [], set(), []
    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k == "id":
                if v in self.ids:
                    self.bad.append("duplicate id " + v)
                self.ids.add(v)
        if tag not in VOID:
            self.stack.append(tag)
    def handle_startendtag(self, tag, attrs):
        pass
    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.bad.append("</%s> closes <%s> at line %d" % (tag, self.stack[-1] if self.stack else "", self.getpos()[0]))
            return
        self.stack.pop()
p = P()
p.feed(open(sys.argv[1], encoding="utf-8").read())
if p.stack:
    p.bad.append("left open: " + " ".join(p.stack))
for b in p.bad[:5]:
    print("  " + b)
sys.exit(bool(p.bad))
PY
check "well-formed: every element closed, ids unique" python3 "$TMP/wellformed.py" "$H"
check "viewport meta for phones" grep -q '<meta name="viewport" content="width=device-width' "$H"
check "print styles" grep -q '@media print' "$H"

# self-contained: nothing fetched from anywhere
check "no <link> elements" sh -c "! grep -qi '<link' '$H'"
check "no src or href to another host" sh -c "! grep -Eqi '(src|href)=\"?(https?:|//)' '$H'"
check "no external url( or @import" sh -c "! grep -Eqi 'url\\(|@import' '$H'"
check "one inline script and no script file" sh -c "test \$(grep -c '<script' '$H') -eq 1 && grep -q '^<script>\$' '$H'"

# the charts, each with a title, a label and its figures in a table
check "three SVG charts" sh -c "test \$(grep -c '<svg class=\"chart\"' '$H') -eq 3"
check "every chart is labelled" sh -c "test \$(grep -c 'role=\"img\" aria-labelledby=' '$H') -eq 3"
check "chart: cost by service" grep -q '<title id="svc-t">Billed cost by service</title>' "$H"
check "chart: daily trend" grep -q '<title id="day-t">Daily billed cost</title>' "$H"
check "chart: month over month" grep -q '<title id="hist-t">Billed cost by month</title>' "$H"
check "the anomaly day is drawn in the hot colour" grep -q '<rect class="h" [^>]*><title>2026-10-17: \$883.38 (anomaly)' "$H"
check "the daily chart has a legend" grep -q 'anomaly (more than 3 standard deviations from the daily mean)' "$H"
check "the history table has both months" sh -c "grep -q '<tr><td>2026-09</td>' '$H' && grep -q '<tr><td>2026-10</td>' '$H'"
check "the daily figures are a table" sh -c "test \$(grep -c '^<tr[^>]*><td>2026-10-[0-3][0-9]</td>' '$H') -ge 31"

# sortable tables, readable without the script
check "every table is sortable" sh -c "test \$(grep -c '<table' '$H') -eq \$(grep -c '<table class=\"sortable' '$H')"
check "numbers sort by their raw value: every amount's data-v rounds to it" python3 -c '
import re, sys
from decimal import Decimal, ROUND_HALF_UP
cells = re.findall(r"<td class=\"n[^\"]*\" data-v=\"([-0-9.]+)\">(-?)\$([0-9,]+\.[0-9][0-9])</td>",
                   open(sys.argv[1]).read())
assert len(cells) > 100, len(cells)
for raw, sign, shown in cells:
    want = Decimal(raw).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert want == Decimal(sign + shown.replace(",", "")), (raw, sign, shown)
' "$H"
check "the script marks the page ready" grep -q "setAttribute('data-sorted-ready','1')" "$H"

# the same sections as the text report, in its order, with its titles
"$CT" --db "$DB" report --config "$TMP/demo/cloudtally.conf" >"$TMP/rep.txt"
check "the text report's sections, in order" python3 -c '
import re, sys
text = open(sys.argv[1]).read().split("\n")
want = [text[i] for i in range(len(text) - 1)
        if text[i] and re.fullmatch(r"-+", text[i + 1]) and len(text[i + 1]) == len(text[i])]
html = open(sys.argv[2]).read()
got = [re.sub(r"<[^>]+>", "", h).split(" (top")[0].strip()
       for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html)]
got = [h for h in got if h != "Month over month"]
if want != got:
    print("  text:", want, "\n  html:", got)
sys.exit(want != got)
' "$TMP/rep.txt" "$H"

# savings: recommend's total, findings by saving, the best commitments
"$CT" --db "$DB" recommend --format json >"$TMP/rec.json"
want=$(python3 -c 'import json,sys; print("${:,.2f}".format(json.load(open(sys.argv[1]))["total_estimated_monthly_savings"]))' "$TMP/rec.json")
check "savings total = recommend's total ($want)" grep -q "id=\"savings-total\">$want<" "$H"
check "savings card shows it too" grep -q "Estimated monthly saving</div><div class=\"v\">$want<" "$H"
check "findings by saving, biggest first, with evidence folded" python3 -c '
import json, re, sys
html = open(sys.argv[1]).read()
rec = json.load(open(sys.argv[2]))
sec = html[html.index("<h3>Findings by saving"):]
body = sec[sec.index("<tbody>"):sec.index("</tbody>")]
rows = re.findall(r"<tr>(.*?)</tr>", body)
assert len(rows) == len(rec["findings"]), (len(rows), len(rec["findings"]))
sav = [float(re.findall(r"data-v=\"([-0-9.]+)\"", r)[1]) for r in rows]
assert sav == sorted(sav, reverse=True), sav
assert all(re.search(r"<details><summary>[0-9]+ facts?</summary>", r) for r in rows)
ids = {f["resource_id"] for f in rec["findings"]}
assert {re.search(r"<code>(.*?)</code>", r).group(1) for r in rows} == ids
' "$H" "$TMP/rec.json"
check "best commitment options" python3 -c '
import json, re, sys
html = open(sys.argv[1]).read()
rec = json.load(open(sys.argv[2]))
best = [c for c in rec["commitments"] if c["best"] and c["estimated_monthly_savings"] > 0]
sec = html[html.index("<h3>Best commitment options"):]
body = sec[sec.index("<tbody>"):sec.index("</tbody>")]
assert len(re.findall(r"<tr>", body)) == len(best) > 0, len(best)
' "$H" "$TMP/rec.json"

# without inventory or metrics: say how to get them
"$CT" -q --db "$TMP/bill.db" ingest "$CT_SRCDIR/data/sample/focus-2026-09.csv.gz" \
	"$CT_SRCDIR/data/sample/focus-2026-10.csv.gz" || exit 1
expect_exit 0 "report html without inventory" "$CT" --db "$TMP/bill.db" report --format html -o "$TMP/bill.html"
check "no metrics: says how to collect them" sh -c "grep -q 'No inventory or metrics in the store' '$TMP/bill.html' && grep -q 'contrib/collect-aws' '$TMP/bill.html' && grep -q 'cloudtally ingest OUTDIR' '$TMP/bill.html'"

# ---- hostile billing data: everything escaped --------------------------------
expect_exit 0 "ingest hostile names and tags" "$CT" --db "$TMP/h.db" ingest "$HOSTILE"
expect_exit 0 "report html of hostile data" "$CT" --db "$TMP/h.db" report --format html \
	-o "$TMP/h.html" --tag Owner --tag CostCenter --tag Environment --tag Application --tag '<i>k</i>'
HH="$TMP/h.html"
for raw in '<script>alert' '<img' '<svg onload' '<iframe' '<b>bold' '</details><b>' '<i>k' "'><script"; do
	check "no raw $raw from the data" sh -c "! grep -qF -- \"\$1\" '$HH'" sh "$raw"
done
check "hostile page: still well-formed" python3 "$TMP/wellformed.py" "$HH"
check "still one script element" sh -c "test \$(grep -c '<script' '$HH') -eq 1"
check "a tag value with <script> is text" grep -qF '<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>' "$HH"
check "a tag value closing an attribute is text" grep -qF '<td>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</td>' "$HH"
check "a service name with markup is text in the chart" grep -qF '<text class="l" x="0" y="14">&lt;svg onload=alert(1)&gt;</text>' "$HH"
check "quotes and ampersands escaped" grep -qF 'Fish &amp; &quot;Chips&quot; &lt;Ltd&gt;' "$HH"
check "a line break stays inside its cell" sh -c "grep -A1 '<td>line one\$' '$HH' | grep -qF 'line two &amp; &#39;three&#39;</td>'"
check "a tag key with markup is text" grep -qF '<h3>Tag <code>&lt;i&gt;k&lt;/i&gt;</code></h3>' "$HH"

# ---- in a real browser -----------------------------------------------------
BROWSER=
for b in chromium chromium-browser google-chrome; do
	if command -v "$b" >/dev/null 2>&1; then
		BROWSER=$b
		break
	fi
done
browser_checks="desktop screenshot is a PNG over 20 KB|phone-width screenshot is a PNG over 20 KB|page loads without script errors|the script ran (data-sorted-ready)|a click sorts a table|phone width: only tables scroll sideways|hostile page: no markup from the data in the DOM"

# run the browser with a time limit; $1: what, then its arguments
chrome() {
	timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --no-first-run \
		--hide-scrollbars --user-data-dir="$TMP/chrome" "$@"
}
# is_png FILE: a PNG signature and more than 20 KB
is_png() {
	python3 -c '
import os, sys
d = open(sys.argv[1], "rb").read(8)
sys.exit(not (d == b"\x89PNG\r\n\x1a\n" and os.path.getsize(sys.argv[1]) > 20 * 1024))
' "$1"
}
# with_probe PAGE OUT SCRIPT: a copy of PAGE with SCRIPT run after the page's own
with_probe() {
	python3 -c '
import sys
page = open(sys.argv[1]).read()
open(sys.argv[2], "w").write(page.replace("</body>", "<script>" + sys.argv[3] + "</script>\n</body>"))
' "$1" "$2" "$3"
}

if [ -z "$BROWSER" ]; then
	if [ -n "${CI:-}" ] && [ "${CT_REQUIRE_BROWSER:-}" = 1 ]; then
		not_ok "Chromium is required here (CT_REQUIRE_BROWSER=1) but not installed"
		finish
		exit 1
	fi
	echo "# chromium not installed: the browser checks are skipped"
	IFS='|'
	for w in $browser_checks; do
		n=$((n + 1))
		echo "ok $n - $w # SKIP chromium not installed"
	done
	unset IFS
	finish || exit 1
	exit 77
fi

URL="file://$H"
chrome --screenshot="$TMP/desktop.png" --window-size=1280,2400 "$URL" >/dev/null 2>"$TMP/shot.log"
check "desktop screenshot is a PNG over 20 KB" is_png "$TMP/desktop.png"
chrome --screenshot="$TMP/phone.png" --window-size=390,2000 "$URL" >/dev/null 2>>"$TMP/shot.log"
check "phone-width screenshot is a PNG over 20 KB" is_png "$TMP/phone.png"

chrome --enable-logging=stderr --v=0 --dump-dom "$URL" >"$TMP/dom.html" 2>"$TMP/console.log"
check "page loads without script errors" sh -c "! grep -q 'Uncaught' '$TMP/console.log'"
grep 'Uncaught' "$TMP/console.log" | head -3
check "the script ran (data-sorted-ready)" grep -q '<body data-sorted-ready="1"' "$TMP/dom.html"

# click the Billed heading of the service table (now descending): it must
# sort ascending by the raw amounts; then the Service heading: by name
with_probe "$H" "$TMP/sort.html" '
var t = document.querySelector("#services table"), r = "pass";
function col(i) { return Array.prototype.map.call(t.tBodies[0].rows, function (x) { return x.cells[i]; }); }
t.tHead.rows[0].cells[2].querySelector("button").click();
var v = col(2).map(function (c) { return +c.getAttribute("data-v"); });
for (var i = 1; i < v.length; i++) if (v[i - 1] > v[i]) r = "billed not ascending";
if (t.tHead.rows[0].cells[2].getAttribute("aria-sort") != "ascending") r = "no aria-sort";
t.tHead.rows[0].cells[0].querySelector("button").click();
var s = col(0).map(function (c) { return c.textContent; });
for (i = 1; i < s.length; i++) if (s[i - 1].localeCompare(s[i]) > 0) r = "names not ascending";
document.body.setAttribute("data-probe", r);'
chrome --enable-logging=stderr --v=0 --dump-dom "file://$TMP/sort.html" >"$TMP/sort.dom" 2>"$TMP/sort.log"
check "a click sorts a table" grep -q 'data-probe="pass"' "$TMP/sort.dom"

# a phone's 390 px: headless Chromium lays pages out at least 500 px wide,
# so the probe narrows the body; nothing but the table wrappers (which
# scroll) may reach past its right edge, chart labels included
with_probe "$H" "$TMP/wide.html" '
var b = document.body, bad = "";
b.style.width = "390px";
var right = b.getBoundingClientRect().right;
Array.prototype.forEach.call(b.querySelectorAll("*"), function (e) {
	if (bad || e.closest(".tw")) return;
	var r = e.getBoundingClientRect();
	if (r.width > 0 && r.right > right + 0.5)
		bad = e.tagName + " " + (e.getAttribute("class") || "") + " reaches " + Math.round(r.right) + "px";
});
b.setAttribute("data-probe", bad || "pass");'
chrome --window-size=390,2000 --dump-dom "file://$TMP/wide.html" >"$TMP/wide.dom" 2>/dev/null
check "phone width: only tables scroll sideways" grep -q 'data-probe="pass"' "$TMP/wide.dom"
grep -o 'data-probe="[^"]*"' "$TMP/wide.dom" | grep -v pass

chrome --enable-logging=stderr --v=0 --dump-dom "file://$HH" >"$TMP/h.dom" 2>"$TMP/h.log"
check "hostile page: no markup from the data in the DOM" sh -c "
	grep -q '<body data-sorted-ready=\"1\"' '$TMP/h.dom' &&
	test \$(grep -c '<script' '$TMP/h.dom') -eq 1 &&
	! grep -Eqi '<(img|iframe|b|i)[ >]' '$TMP/h.dom' &&
	! grep -q 'Uncaught' '$TMP/h.log'"
finish
