#!/bin/sh
# xlsx.sh - the finance workbook (`report --format xlsx`, `export`): the
# sheets, figures, formulas, formats, names and properties read back from
# the .xlsx (a zip of XML) and compared with the report's JSON and with
# an independent count of the billing file; reproducible bytes; formula
# injection from billing data; --with-lines; usage and file errors. When
# libreoffice is installed it recalculates the workbook (cached results
# replaced by junk first) and the totals must equal the JSON to the cent;
# without it the test ends as skipped (exit 77) once everything else has
# passed, and in CI (CI set) a missing libreoffice is a failure.
. "$CT_SRCDIR/tests/cli/lib.sh"
have_shared

export CLOUDTALLY_NOW=2026-12-01T00:00:00Z
S10="$CT_SRCDIR/data/sample/focus-2026-10.csv.gz"
VERSION=$("$CT" --version | sed 's/^cloudtally //')

# ---- a reader for .xlsx files: python's zipfile and ElementTree ----------
cat >"$TMP/xl.py" <<'EOF'
"""Read an .xlsx back: sheets in order, cells (type, value, formula,
style), shared strings, defined names, number formats and fills."""
import re, zipfile
import xml.etree.ElementTree as ET

M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def unescape(s):
    # Excel's _xHHHH_ escape in cell text (_x005F_ is a literal '_')
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), s)


def col_index(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


class Cell:
    def __init__(self, t, v, f, s):
        self.t, self.v, self.f, self.s = t, v, f, s

    @property
    def text(self):
        return self.v if isinstance(self.v, str) else None

    @property
    def is_string(self):
        return self.t in ("s", "inlineStr")


class Book:
    def __init__(self, path):
        self.z = zipfile.ZipFile(path)
        wb = ET.fromstring(self.z.read("xl/workbook.xml"))
        rels = ET.fromstring(self.z.read("xl/_rels/workbook.xml.rels"))
        target = {r.get("Id"): r.get("Target") for r in rels}
        sheets = wb.find(M + "sheets")
        self.names = [s.get("name") for s in sheets]
        self.files = {s.get("name"): "xl/" + target[s.get(RID)] for s in sheets}
        self.defined = {}
        for d in wb.iter(M + "definedName"):
            if d.get("localSheetId") is None:
                self.defined[d.get("name")] = d.text
        self.sst = []
        if "xl/sharedStrings.xml" in self.z.namelist():
            for si in ET.fromstring(self.z.read("xl/sharedStrings.xml")).findall(M + "si"):
                self.sst.append(unescape("".join(t.text or "" for t in si.iter(M + "t"))))
        st = ET.fromstring(self.z.read("xl/styles.xml"))
        fmts = {n.get("numFmtId"): n.get("formatCode") for n in st.iter(M + "numFmt")}
        self.numfmts = list(fmts.values())
        fills = list(st.find(M + "fills"))
        fonts = list(st.find(M + "fonts"))
        self.xf = []
        for xf in st.find(M + "cellXfs"):
            fg = fills[int(xf.get("fillId", "0"))].find(".//" + M + "fgColor")
            font = fonts[int(xf.get("fontId", "0"))]
            self.xf.append({"numfmt": fmts.get(xf.get("numFmtId"), xf.get("numFmtId")),
                            "fill": fg.get("rgb") if fg is not None else None,
                            "bold": font.find(M + "b") is not None})
        self._cells = {}

    def xml(self, name):
        return self.z.read(self.files[name]).decode()

    def cells(self, name):
        """{(row, col): Cell}, 0-based."""
        if name in self._cells:
            return self._cells[name]
        out = {}
        for c in ET.fromstring(self.z.read(self.files[name])).iter(M + "c"):
            m = re.match(r"([A-Z]+)(\d+)$", c.get("r"))
            t = c.get("t", "n")
            f = c.find(M + "f")
            v = c.find(M + "v")
            if t == "s":
                val = self.sst[int(v.text)]
            elif t == "inlineStr":
                val = unescape("".join(x.text or "" for x in c.iter(M + "t")))
            elif t == "str":
                val = v.text if v is not None else ""
            elif v is not None:
                val = float(v.text)
            else:
                val = None
            out[(int(m.group(2)) - 1, col_index(m.group(1)))] = Cell(
                t, val, f.text if f is not None else None, int(c.get("s", "0")))
        self._cells[name] = out
        return out

    def rows(self, name):
        """[(row, {col: Cell})] in row order."""
        by = {}
        for (r, c), cell in self.cells(name).items():
            by.setdefault(r, {})[c] = cell
        return sorted(by.items())

    def find(self, name, col, text):
        """The row whose cell in col is the string text."""
        for r, cs in self.rows(name):
            if col in cs and cs[col].text == text:
                return cs
        raise KeyError("%s: no %r in column %d" % (name, text, col))

    def header(self, name, row=3):
        return {c.text: col for (r, col), c in self.cells(name).items() if r == row}


def near(a, b, tol=0.005):
    return a is not None and b is not None and abs(float(a) - float(b)) < tol
EOF
PY="env PYTHONPATH=$TMP python3"

# ---- the sample store with findings: `cloudtally demo` -------------------
"$CT" demo --out "$TMP/demo" >/dev/null 2>&1 || { echo "not ok - demo failed"; exit 1; }
DB="$TMP/demo/demo.db"
"$CT" --db "$DB" report --format json >"$TMP/rep.json" || exit 1

expect_exit 0 "export -o FILE" "$CT" --db "$DB" export -o "$TMP/a.xlsx"
check "export says what it wrote" grep -q "^wrote $TMP/a.xlsx\$" "$TMP/out"
expect_exit 0 "report --format xlsx -o FILE" "$CT" --db "$DB" report --format xlsx -o "$TMP/b.xlsx"
check "report --format xlsx is the same workbook as export" cmp -s "$TMP/a.xlsx" "$TMP/b.xlsx"
"$CT" --db "$DB" export -o "$TMP/c.xlsx" >/dev/null
check "reproducible: the same bytes twice" cmp -s "$TMP/a.xlsx" "$TMP/c.xlsx"
CLOUDTALLY_NOW=2026-12-02T10:00:00Z "$CT" --db "$DB" export --month 2026-10 -o "$TMP/d.xlsx" >/dev/null
check "another creation time gives another file" sh -c '! cmp -s "$1" "$2"' - "$TMP/a.xlsx" "$TMP/d.xlsx"
check "-o left no temporary file" sh -c "! ls '$TMP' | grep -q '\.tmp'"

check "sheet names and order" $PY - "$TMP/a.xlsx" <<'EOF'
import sys, xl
b = xl.Book(sys.argv[1])
want = ["Summary", "By service", "By account", "By region", "By tag", "Daily",
        "Findings", "Savings"]
assert b.names == want, b.names
EOF

check "defined names for each table" $PY - "$TMP/a.xlsx" <<'EOF'
import sys, xl
b = xl.Book(sys.argv[1])
want = {"KeyFigures": "'Summary'!", "ServiceShare": "'Summary'!", "History": "'Summary'!",
        "ByService": "'By service'!$A$4:$H$", "ByAccount": "'By account'!$A$4:$H$",
        "ByRegion": "'By region'!$A$4:$G$", "Daily": "'Daily'!$A$4:$F$35",
        "Findings": "'Findings'!$A$4:$J$", "Commitments": "'Savings'!$A$4:$T$",
        "SavingsByKind": "'Savings'!",
        "Tag_CostCenter": "'By tag'!$A$5:$G$", "Tag_Environment": "'By tag'!",
        "Tag_Owner": "'By tag'!", "Tag_Application": "'By tag'!"}
for k, v in want.items():
    assert k in b.defined and b.defined[k].startswith(v), (k, b.defined.get(k))
EOF

check "document properties: title, month, version, fixed creation time" $PY - "$TMP/a.xlsx" "$VERSION" <<'EOF'
import sys, xl
b = xl.Book(sys.argv[1])
core = b.z.read("docProps/core.xml").decode()
custom = b.z.read("docProps/custom.xml").decode()
assert "<dc:title>Cloud cost report 2026-10</dc:title>" in core, core
assert ">2026-12-01T00:00:00Z</dcterms:created>" in core, core
assert 'name="Month"' in custom and "<vt:lpwstr>2026-10</vt:lpwstr>" in custom, custom
assert "<vt:lpwstr>cloudtally %s</vt:lpwstr>" % sys.argv[2] in custom, custom
EOF

check "currency format, bold frozen headers, autofilters" $PY - "$TMP/a.xlsx" <<'EOF'
import sys, xl
b = xl.Book(sys.argv[1])
assert '"$"#,##0.00' in b.numfmts, b.numfmts
for name in b.names[1:]:
    x = b.xml(name)
    assert 'state="frozen"' in x and 'ySplit="4"' in x, name
    assert "<autoFilter ref=\"A4:" in x, name
    head = [c for (r, col), c in b.cells(name).items() if r == 3]
    assert head and all(b.xf[c.s]["bold"] for c in head), name
cells = b.cells("By service")
bill = b.header("By service")["Billed cost"]
assert b.xf[cells[(4, bill)].s]["numfmt"] == '"$"#,##0.00'
EOF

check "Summary figures equal the report JSON" $PY - "$TMP/a.xlsx" "$TMP/rep.json" <<'EOF'
import sys, json, xl
b = xl.Book(sys.argv[1]); r = json.load(open(sys.argv[2]))
rec = r["recommendations"]
def val(label):
    return b.find("Summary", 0, label)[1]
assert val("Month").text == "2026-10" and val("Currency").text == r["currency"]
for label, want in [("Billed cost", r["total_billed_cost"]),
                    ("Effective (amortized) cost", r["total_effective_cost"]),
                    ("Previous month billed (2026-09)", r["previous_total_billed_cost"]),
                    ("Previous month effective (2026-09)", r["previous_total_effective_cost"]),
                    ("Untagged billed cost", r["untagged_billed_cost"]),
                    ("Billing lines", r["lines"]),
                    ("Possible monthly savings", rec["total_estimated_monthly_savings"]),
                    ("Findings", len(rec["findings"]))]:
    assert xl.near(val(label).v, want), (label, val(label).v, want)
chg = val("Change in billed cost")
assert chg.f and xl.near(chg.v, r["total_billed_cost"] - r["previous_total_billed_cost"]), chg.f
pct = val("Change in billed cost, %")
assert pct.f and xl.near(pct.v, r["total_billed_cost"] / r["previous_total_billed_cost"] - 1, 1e-9)
share = val("Untagged share")
assert share.f and xl.near(share.v, r["untagged_share"], 1e-9), (share.v, r["untagged_share"])
assert val("Possible monthly savings").f.startswith("'Findings'!"), val("Possible monthly savings").f
assert "Forecast" not in str([c.text for c in b.cells("Summary").values()])
assert b.z.read("xl/charts/chart1.xml").count(b"<c:pieChart>") == 1
EOF

check "breakdowns: rows, formulas and totals equal the JSON" $PY - "$TMP/a.xlsx" "$TMP/rep.json" <<'EOF'
import sys, json, xl
b = xl.Book(sys.argv[1]); r = json.load(open(sys.argv[2]))
for sheet, key, idkey in [("By service", "by_service", "name"),
                          ("By account", "by_account", "id"),
                          ("By region", "by_region", "id")]:
    h = b.header(sheet)
    bc, pc = h["Billed cost"], h["Previous billed (2026-09)"]
    rows = [cs for rn, cs in b.rows(sheet) if rn >= 4]
    data, total = rows[:-1], rows[-1]
    assert len(data) == len(r[key]), (sheet, len(data), len(r[key]))
    for cs, j in zip(data, r[key]):
        assert cs[0].text == j[idkey], (cs[0].text, j[idkey])
        assert cs[bc].f is None and xl.near(cs[bc].v, j["billed_cost"])
        assert xl.near(cs[pc].v, j["previous_billed_cost"])
        for col in ("Change", "Change %", "Share of billed"):
            assert cs[h[col]].f, (sheet, col, "not a formula")
        assert xl.near(cs[h["Change"]].v, j["billed_cost"] - j["previous_billed_cost"])
    assert total[0].text == "Total"
    assert total[bc].f.startswith("SUM(") and xl.near(total[bc].v, r["total_billed_cost"])
    assert total[pc].f.startswith("SUM(") and xl.near(total[pc].v, r["previous_total_billed_cost"])
    assert total[h["Change"]].f and total[h["Change %"]].f and total[h["Share of billed"]].f
    if "Effective cost" in h:
        assert xl.near(total[h["Effective cost"]].v, r["total_effective_cost"])
EOF

check "by tag: one block per key, values and untagged equal the JSON" $PY - "$TMP/a.xlsx" "$TMP/rep.json" <<'EOF'
import sys, json, xl
b = xl.Book(sys.argv[1]); r = json.load(open(sys.argv[2]))
h = b.header("By tag")
bc = h["Billed cost"]
blocks = {}
for rn, cs in b.rows("By tag"):
    if rn >= 4 and 0 in cs:
        blocks.setdefault(cs[0].text, []).append(cs)
assert sorted(blocks) == sorted(r["by_tag"]), (sorted(blocks), sorted(r["by_tag"]))
for key, rows in blocks.items():
    vals = {cs[1].text: cs for cs in rows}
    for j in r["by_tag"][key]:
        assert xl.near(vals[j["value"]][bc].v, j["billed_cost"]), (key, j)
        assert vals[j["value"]][h["Change"]].f
    assert xl.near(vals["(untagged)"][bc].v, r["untagged_by_tag"][key])
    tot = vals["Total"]
    assert tot[bc].f.startswith("SUM(") and xl.near(tot[bc].v, r["total_billed_cost"])
    assert len(rows) == len(r["by_tag"][key]) + 2
EOF

check "daily: every day, anomalies highlighted, a line chart" $PY - "$TMP/a.xlsx" "$TMP/rep.json" <<'EOF'
import sys, json, xl, datetime
b = xl.Book(sys.argv[1]); r = json.load(open(sys.argv[2]))
rows = [cs for rn, cs in b.rows("Daily") if rn >= 4]
days, total = rows[:-1], rows[-1]
assert len(days) == len(r["daily"]) == 31
anomalies = {a["date"] for a in r["anomalies"]}
assert anomalies
for cs, j in zip(days, r["daily"]):
    date = datetime.date(1899, 12, 30) + datetime.timedelta(days=int(cs[0].v))
    assert str(date) == j["date"], (date, j["date"])
    assert xl.near(cs[1].v, j["billed_cost"]) and cs[2].f
    lit = b.xf[cs[1].s]["fill"] is not None
    assert lit == (j["date"] in anomalies), (j["date"], lit)
    assert (3 in cs and cs[3].text == "yes") == (j["date"] in anomalies)
assert total[1].f == "SUM(B5:B35)" and xl.near(total[1].v, r["total_billed_cost"])
assert b"<c:lineChart>" in b.z.read("xl/charts/chart3.xml")
EOF

check "findings and savings: every row with its saving" $PY - "$TMP/a.xlsx" "$TMP/rep.json" <<'EOF'
import sys, json, xl
b = xl.Book(sys.argv[1]); rec = json.load(open(sys.argv[2]))["recommendations"]
rows = [cs for rn, cs in b.rows("Findings") if rn >= 4]
assert len(rows) == len(rec["findings"]) + 1
want = sorted((f["kind"], f["resource_id"], round(f["estimated_monthly_savings"], 2)) for f in rec["findings"])
got = sorted((cs[0].text, cs[1].text, round(cs[8].v, 2)) for cs in rows[:-1])
assert want == got
assert all("=" in cs[9].text for cs in rows[:-1]), "evidence"
assert rows[-1][8].f and xl.near(rows[-1][8].v, sum(f["estimated_monthly_savings"] for f in rec["findings"]))
rows = [cs for rn, cs in b.rows("Savings") if rn >= 4]
n = len(rec["commitments"])
want = sorted((c["kind"], c["instance_type"], c["region"], round(c["estimated_monthly_savings"], 2)) for c in rec["commitments"])
got = sorted((cs[0].text, cs[1].text, cs[2].text, round(cs[13].v, 2)) for cs in rows[:n])
assert want == got
best = sum(c["estimated_monthly_savings"] for c in rec["commitments"] if c["best"])
tot = rows[n]
assert tot[0].text == "Total of the best options" and "SUMIFS(" in tot[13].f and xl.near(tot[13].v, best)
EOF

# ---- an open month, and a month without its previous one ------------------
CLOUDTALLY_NOW=2026-10-20T00:00:00Z "$CT" --db "$DB" export --month 2026-10 -o "$TMP/open.xlsx" >/dev/null
CLOUDTALLY_NOW=2026-10-20T00:00:00Z "$CT" --db "$DB" report --month 2026-10 --format json >"$TMP/open.json"
check "an open month shows the forecast" $PY - "$TMP/open.xlsx" "$TMP/open.json" <<'EOF'
import sys, json, xl
b = xl.Book(sys.argv[1]); r = json.load(open(sys.argv[2]))
assert xl.near(b.find("Summary", 0, "Forecast billed cost (run rate)")[1].v, r["forecast_billed_cost"])
EOF
"$CT" --db "$DB" export --month 2026-09 -o "$TMP/sep.xlsx" >/dev/null
check "no previous month: n/a, and no change formulas" $PY - "$TMP/sep.xlsx" <<'EOF'
import sys, xl
b = xl.Book(sys.argv[1])
assert b.find("Summary", 0, "Previous month billed (2026-08)")[1].text == "n/a"
h = b.header("By service")
for rn, cs in b.rows("By service"):
    if rn >= 4:
        assert cs[h["Previous billed (2026-08)"]].text == "n/a"
        assert cs[h["Change"]].f is None and cs[h["Change"]].text == "n/a"
        assert cs[h["Share of billed"]].f
EOF

# ---- formula injection from billing data ---------------------------------
python3 - "$S10" "$TMP/evil.csv" <<'EOF'
import csv, gzip, json, sys
src = csv.DictReader(gzip.open(sys.argv[1], "rt", newline=""))
out = csv.DictWriter(open(sys.argv[2], "w", newline=""), fieldnames=src.fieldnames)
out.writeheader()
evil = {"CostCenter": "=cmd|' /C calc'!A0", "Owner": "@SUM(1+1)*cmd|' /C calc'!A0",
        "Environment": "+1+1", "Application": "-2+3+cmd|' /C calc'!A0"}
for i, row in enumerate(src):
    if i < 40:
        row["Tags"] = json.dumps(evil)
    if i == 0:
        row["ServiceName"] = '=HYPERLINK("http://example.invalid/","click")'
        row["ChargeDescription"] = "_x003D_1+1 and a bell \a"
    out.writerow(row)
EOF
"$CT" -q --db "$TMP/evil.db" ingest "$TMP/evil.csv" || echo "# evil ingest failed"
expect_exit 0 "export of formula-looking billing data" "$CT" --db "$TMP/evil.db" export -o "$TMP/evil.xlsx"
expect_exit 0 "the same with line items (constant memory)" "$CT" --db "$TMP/evil.db" export --with-lines -o "$TMP/evil-lines.xlsx"
for f in evil evil-lines; do
	check "$f: formula-looking values are string cells, never formulas" $PY - "$TMP/$f.xlsx" <<'EOF'
import sys, xl
b = xl.Book(sys.argv[1])
evil = ["=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "+1+1", "-2+3+cmd|' /C calc'!A0",
        '=HYPERLINK("http://example.invalid/","click")']
seen = set()
for name in b.names:
    for cell in b.cells(name).values():
        if cell.f is not None:
            assert "cmd" not in cell.f and "HYPERLINK" not in cell.f and "+1+1" not in cell.f, (name, cell.f)
        if cell.text in evil:
            assert cell.is_string, (name, cell.t, cell.text)
            seen.add(cell.text)
assert seen == set(evil), set(evil) - seen
lines = "Line items" in b.names
if lines:
    d = b.find("Line items", 7, evil[4])
    assert d[14].text == "_x003D_1+1 and a bell \a", repr(d[14].text)
EOF
done

# ---- line items ------------------------------------------------------------
expect_exit 0 "export --with-lines" "$CT" --db "$DB" export --with-lines -o "$TMP/lines.xlsx"
check "line items: one row per line of the month, the billed total to the cent" $PY - "$TMP/lines.xlsx" "$S10" "$TMP/rep.json" <<'EOF'
import sys, json, csv, gzip, xl
from decimal import Decimal
b = xl.Book(sys.argv[1]); r = json.load(open(sys.argv[3]))
assert b.names[-1] == "Line items", b.names
n, total = 0, Decimal(0)
for row in csv.DictReader(gzip.open(sys.argv[2], "rt", newline="")):
    if row["BillingPeriodStart"].startswith("2026-10"):
        n += 1
        total += Decimal(row["BilledCost"] or "0")
rows = b.rows("Line items")
h = {c.text: col for col, c in rows[0][1].items()}
assert len(rows) - 1 == n, (len(rows) - 1, n)
got = sum(Decimal(repr(cs[h["Billed cost"]].v)) for rn, cs in rows[1:])
assert abs(got - total) < Decimal("0.005"), (got, total)
assert abs(float(total) - r["total_billed_cost"]) < 0.005
assert b.defined["LineItems"] == "'Line items'!$A$1:$AB$%d" % (n + 1), b.defined["LineItems"]
x = b.xml("Line items")
assert '<autoFilter ref="A1:AB%d"/>' % (n + 1) in x and 'state="frozen"' in x
assert "Owner" in h and "Tags" in h and "Charge period start" in h
EOF

# ---- usage and file errors ---------------------------------------------------
expect_exit 2 "xlsx to standard output is refused" "$CT" --db "$DB" report --format xlsx
check "the error says to give -o FILE" grep -q 'give -o FILE' "$TMP/err"
expect_exit 2 "xlsx to -o - is refused" "$CT" --db "$DB" report --format xlsx -o -
expect_exit 2 "export -o - is refused" "$CT" --db "$DB" export -o -
expect_exit 2 "--with-lines without xlsx" "$CT" --db "$DB" report --with-lines
expect_exit 2 "export --month bad" "$CT" --db "$DB" export --month 2026-13
expect_exit 2 "export with an extra argument" "$CT" --db "$DB" export extra
: >"$TMP/plainfile"
expect_exit 6 "export into a folder that cannot exist" "$CT" --db "$DB" export -o "$TMP/plainfile/x.xlsx"
check "the error names the file" grep -q "plainfile/x.xlsx" "$TMP/err"
expect_exit 6 "report --format xlsx into a missing folder" "$CT" --db "$DB" report --format xlsx -o "$TMP/no/such/r.xlsx"
check "no partial file left" sh -c "! ls '$TMP/no' 2>/dev/null | grep -q ." 
echo old >"$TMP/keep.xlsx"
expect_exit 3 "export of a month not in the store" "$CT" --db "$DB" export --month 2025-01 -o "$TMP/keep.xlsx"
check "a failed export leaves the old file alone" grep -qx old "$TMP/keep.xlsx"
check "and no temporary file" sh -c "! ls '$TMP' | grep -q 'keep.xlsx.tmp'"
mkdir -p "$TMP/cwd"
(cd "$TMP/cwd" && "$CT" -q --db "$DB" export) >"$TMP/out" 2>&1
check "default file name cloudtally-YYYY-MM.xlsx" test -s "$TMP/cwd/cloudtally-2026-10.xlsx"
check "-q prints nothing" test ! -s "$TMP/out"

# ---- recalculation by LibreOffice ------------------------------------------
LO=$(command -v libreoffice || command -v soffice || true)
if [ -z "$LO" ]; then
	if [ -n "${CI:-}" ]; then
		not_ok "libreoffice is required in CI for the recalculation checks"
		finish
		exit 1
	fi
	echo "# libreoffice not installed: the recalculation checks are skipped"
	finish || exit 1
	exit 77
fi
# Replace every cached formula result by junk, so what LibreOffice shows
# can only come from recalculating the formulas.
python3 - "$TMP/a.xlsx" "$TMP/junk.xlsx" <<'EOF'
import re, sys, zipfile
zin, zout = zipfile.ZipFile(sys.argv[1]), zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED)
for it in zin.infolist():
    data = zin.read(it.filename)
    if it.filename.startswith("xl/worksheets/sheet"):
        data = re.sub(rb"(</f>)<v>[^<]*</v>", rb"\1<v>-123456</v>", data)
    zout.writestr(it, data)
zout.close()
EOF
# A private profile that recalculates every formula on load.
mkdir -p "$TMP/lo/user" "$TMP/csv"
cat >"$TMP/lo/user/registrymodifications.xcu" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
EOF
# every sheet to its own CSV: raw values, UTF-8, sheet -1 = all
"$LO" -env:UserInstallation="file://$TMP/lo" --headless \
	--convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
	--outdir "$TMP/csv" "$TMP/junk.xlsx" >"$TMP/lo.log" 2>&1
check "libreoffice converted every sheet" test -s "$TMP/csv/junk-Summary.csv" -a -s "$TMP/csv/junk-Savings.csv"
check "recalculated totals equal the JSON to the cent" python3 - "$TMP/csv" "$TMP/rep.json" <<'EOF'
import csv, json, os, sys
d, r = sys.argv[1], json.load(open(sys.argv[2]))
rec = r["recommendations"]
def sheet(name):
    return list(csv.reader(open(os.path.join(d, "junk-%s.csv" % name), newline="", encoding="utf-8")))
def num(s):
    return float(s[:-1]) / 100 if s.endswith("%") else float(s)
def cents(a, b, what):
    assert round(num(a) + 1e-9, 2) == round(b + 1e-9, 2) or abs(num(a) - b) < 0.005, (what, a, b)
alltext = "".join(",".join(row) for n in os.listdir(d) for row in csv.reader(open(os.path.join(d, n))))
assert "-123456" not in alltext, "a cached result survived: no recalculation"
summ = {row[0]: row[1] for row in sheet("Summary") if len(row) > 1}
cents(summ["Change in billed cost"], r["total_billed_cost"] - r["previous_total_billed_cost"], "change")
cents(summ["Possible monthly savings"], rec["total_estimated_monthly_savings"], "savings")
assert abs(num(summ["Untagged share"]) - r["untagged_share"]) < 1e-9
for name, key in [("By service", "by_service"), ("By account", "by_account"), ("By region", "by_region")]:
    rows = sheet(name)
    head = rows[3]
    tot = [row for row in rows if row and row[0] == "Total"][0]
    cents(tot[head.index("Billed cost")], r["total_billed_cost"], name)
    cents(tot[head.index("Previous billed (2026-09)")], r["previous_total_billed_cost"], name)
    cents(tot[head.index("Change")], r["total_billed_cost"] - r["previous_total_billed_cost"], name)
    assert abs(num(tot[head.index("Share of billed")]) - 1) < 1e-9
    for row, j in zip(rows[4:], r[key]):
        cents(row[head.index("Change")], j["billed_cost"] - j["previous_billed_cost"], (name, row[0]))
for row in sheet("By tag"):
    if len(row) > 2 and row[1] == "Total":
        cents(row[2], r["total_billed_cost"], ("tag", row[0]))
daily = sheet("Daily")
cents([row for row in daily if row and row[0] == "Total"][0][1], r["total_billed_cost"], "daily")
cents(daily[4 + 30][2], r["total_billed_cost"], "cumulative")
fnd = [row for row in sheet("Findings") if row and row[0] == "Total"][0]
cents(fnd[8], sum(f["estimated_monthly_savings"] for f in rec["findings"]), "findings")
sav = [row for row in sheet("Savings") if row and row[0] == "Total of the best options"][0]
cents(sav[13], sum(c["estimated_monthly_savings"] for c in rec["commitments"] if c["best"]), "savings")
EOF
finish
