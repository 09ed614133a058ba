#!/usr/bin/env python3
"""Independent reading of provider billing exports, for the CLI tests.

Reads AWS CUR (legacy, Athena names, CUR 2.0), Azure cost details, GCP
BigQuery exports (CSV and newline-delimited JSON) and OCI cost reports with
Python's csv and json modules and Decimal arithmetic, maps each row to the
FOCUS columns the monthly report uses, following the mapping rules written
down at the top of src/cur.c, src/azure.c, src/gcp.c and src/oci.c (which
come from the FOCUS converters' rules and Microsoft's FOCUS conversion
guide), and hands the result to focus_oracle.py for the report figures. It
shares no code with cloudtally.

  billing_oracle.py MONTH SOURCE...            > expected report figures (JSON)
  billing_oracle.py --totals SOURCE...         > {"billed": ..., "effective": ..., "lines": ...}
  billing_oracle.py --months SOURCE...         > the billing months present, YYYY-MM ...
  billing_oracle.py --focus OUT.csv SOURCE...  writes the mapped rows as FOCUS CSV

A SOURCE is a file or a folder; folders are read as cloudtally documents
it: an AWS period folder (yyyymmdd-yyyymmdd) with a manifest gives the
files the manifest names, a CUR 2.0 export folder the files its
metadata manifests name, any other folder its .csv/.csv.gz/.json/.json.gz
files. Azure files whose path says Amortized are read first; an actual
file (path says Actual) of an account and month an amortized file had
keeps only its reservation/savings plan purchases and refunds.
"""
import csv, datetime, gzip, io, json, os, re, subprocess, sys, tempfile
from decimal import Decimal, ROUND_HALF_UP

HERE = os.path.dirname(os.path.abspath(__file__))
MAPS = "finopsfoundation__focus_converters/focus_converter_base/focus_converter/conversion_configs"
FOCUS = ["BillingAccountId", "BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart",
         "ChargePeriodEnd", "BilledCost", "EffectiveCost", "BillingCurrency", "ServiceName",
         "ServiceCategory", "SubAccountId", "RegionId", "ChargeCategory", "ProviderName", "Tags"]


def shared():
    return os.environ.get("CT_SHARED") or os.path.join(HERE, "..", "..", "..", "shared")


def category_map(provider):
    path = os.path.join(shared(), "data/external", MAPS, provider, "mapping_files",
                        provider + "_category_mapping.csv")
    with open(path, encoding="utf-8-sig", newline="") as f:
        return {r[0].lower(): r[1] for r in list(csv.reader(f))[1:]}


def money(v):
    """A decimal amount as cloudtally keeps money: whole nano-dollars,
    rounded half away from zero (src/money.h), each amount on its own."""
    return Decimal(str(v)).quantize(Decimal("1e-9"), rounding=ROUND_HALF_UP)


def read_text(path):
    raw = open(path, "rb").read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return raw.decode("utf-8-sig")


def dict_rows(text):
    """csv.DictReader rows with None for fields a short row lacks."""
    return list(csv.DictReader(io.StringIO(text, newline="")))


def val(r, col):
    v = r.get(col) if col else None
    return v if v not in (None, "") else None


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(s):
    """ISO 8601 in its billing-file variants, and M/D/YYYY."""
    s = s.strip()
    if s.endswith(" UTC"):
        s = s[:-4]
    m = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{2,4})(.*)$", s)
    if m:
        y = int(m.group(3))
        y = y + 2000 if y < 100 else y
        s = "%04d-%02d-%02d%s" % (y, int(m.group(1)), int(m.group(2)), m.group(4))
    s = s.replace("Z", "+00:00")
    if re.match(r"^\d{4}-\d{2}-\d{2}$", s):
        s += "T00:00:00"
    m = re.match(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(\+00:00)?$", s)
    if m:  # OCI: HH:MM only
        s = "%sT%s:%s:00%s" % (m.group(1), m.group(2), m.group(3), m.group(4) or "")
    dt = datetime.datetime.fromisoformat(s.replace(" ", "T", 1))
    if dt.tzinfo is not None:
        dt = dt.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return dt


def month_bounds(dt):
    start = datetime.datetime(dt.year, dt.month, 1)
    end = datetime.datetime(dt.year + (dt.month == 12), dt.month % 12 + 1, 1)
    return start, end


def tags_json(pairs):
    out = {}
    for k, v in pairs:
        if k and k not in out and v is not None:
            out[k] = v
    return json.dumps(out) if out else None


def line(**kw):
    return {k: kw.get(k) for k in FOCUS}


# ---- AWS CUR -----------------------------------------------------------------

def squash(name):
    return re.sub(r"[^a-z0-9]", "", name.lower())


AWS_TYPES = {  # type: (ChargeCategory, effective rule)
    "Usage": ("Usage", "unblended"),
    "DiscountedUsage": ("Usage", "reservation"),
    "SavingsPlanCoveredUsage": ("Usage", "savingsplan"),
    "SavingsPlanNegation": ("Usage", "zero"),
    "SavingsPlanUpfrontFee": ("Purchase", "zero"),
    "SavingsPlanRecurringFee": ("Purchase", "sp_unused"),
    "RIFee": ("Purchase", "ri_unused"),
    "Fee": ("Purchase", "fee"),
    "Tax": ("Tax", "unblended"),
    "Credit": ("Credit", "unblended"),
    "Refund": ("Adjustment", "unblended"),
    "BundledDiscount": ("Usage", "unblended"),
    "Discount": ("Usage", "unblended"),
    "EdpDiscount": ("Usage", "unblended"),
    "PrivateRateDiscount": ("Usage", "unblended"),
}


def is_cur(header):
    cols = {squash(h) for h in header}
    return ("lineitemunblendedcost" in cols
            and ("lineitemusagestartdate" in cols or "identitytimeinterval" in cols)
            and ("billpayeraccountid" in cols or "lineitemusageaccountid" in cols))


def read_cur(text):
    cats = category_map("aws")
    rows = dict_rows(text)
    header = next(csv.reader(io.StringIO(text)), [])
    col = {}
    for h in header:
        if h.lower().startswith(("resourcetags/", "resource_tags_")):
            continue
        col.setdefault(squash(h), h)
    tagcols = [(h, h.split("/", 1)[1] if "/" in h else h[len("resource_tags_"):])
               for h in header if h.lower().startswith(("resourcetags/", "resource_tags_"))]

    def g(r, name):
        return val(r, col.get(name))

    def D(r, name):
        v = g(r, name)
        return money(v) if v is not None else Decimal(0)

    out = []
    for r in rows:
        typ = g(r, "lineitemlineitemtype") or "Usage"
        cat, eff = AWS_TYPES.get(typ, ("Adjustment", "unblended"))
        billed = money(g(r, "lineitemunblendedcost"))
        effective = {
            "unblended": billed,
            "zero": Decimal(0),
            "reservation": D(r, "reservationeffectivecost"),
            "savingsplan": D(r, "savingsplansavingsplaneffectivecost"),
            "sp_unused": D(r, "savingsplantotalcommitmenttodate") - D(r, "savingsplanusedcommitment"),
            "ri_unused": D(r, "reservationunusedamortizedupfrontfeeforbillingperiod")
            + D(r, "reservationunusedrecurringfee"),
            "fee": Decimal(0) if g(r, "reservationreservationarn") else billed,
        }[eff]
        start = g(r, "lineitemusagestartdate")
        if start is None:
            start = g(r, "identitytimeinterval").split("/")[0]
        cs = parse_time(start)
        bps = g(r, "billbillingperiodstartdate")
        bp = parse_time(bps) if bps else month_bounds(cs)[0]
        code = g(r, "lineitemproductcode")
        name = g(r, "productproductname")
        if name is None and g(r, "product"):
            pm = json.loads(g(r, "product"))
            name = pm.get("product_name") or None
        name = name or code
        pairs = []
        for h, k in tagcols:
            v = val(r, h)
            if v is not None:
                pairs.append((re.sub(r"^user[:_]", "", k), v))
        if g(r, "resourcetags"):
            pairs += [(re.sub(r"^user[:_]", "", k), v) for k, v in json.loads(g(r, "resourcetags")).items()]
        out.append(line(
            ProviderName="AWS",
            BillingAccountId=g(r, "billpayeraccountid") or g(r, "lineitemusageaccountid"),
            SubAccountId=g(r, "lineitemusageaccountid"),
            BillingPeriodStart=iso(bp), ChargePeriodStart=iso(cs),
            BilledCost=billed, EffectiveCost=effective,
            BillingCurrency=g(r, "lineitemcurrencycode"),
            ServiceName=name, ServiceCategory=cats.get((code or "").lower(), "Other"),
            RegionId=g(r, "productregioncode") or g(r, "productregion"),
            ChargeCategory=cat, Tags=tags_json(pairs)))
    return out


# ---- Azure -------------------------------------------------------------------

def azure_key(h):
    m = re.search(r"\(([^()]*)\)\s*$", h)
    return squash(m.group(1) if m and m.start() > 0 else h)


def is_azure(header):
    cols = {azure_key(h) for h in header}
    return (cols & {"costinbillingcurrency", "cost", "pretaxcost"}
            and cols & {"date", "usagedatetime"}
            and cols & {"subscriptionid", "subscriptionguid", "billingaccountid"})


def azure_dataset(path):
    parts = path.split("/")[-4:]
    for p in reversed(parts):
        act, amo = "actual" in p.lower(), ("amortized" in p.lower() or "amortised" in p.lower())
        if act != amo:
            return "actual" if act else "amortized"
        if act and amo:
            return None
    return None


def read_azure(text, dataset, amortized_keys):
    cats = category_map("azure")
    header = next(csv.reader(io.StringIO(text)), [])
    col = {}
    for h in header:
        col.setdefault(azure_key(h), h)

    def g(r, *names):
        for n in names:
            v = val(r, col.get(n))
            if v is not None:
                return v
        return None

    out = []
    for r in dict_rows(text):
        cs = parse_time(g(r, "date", "usagedatetime"))
        cs = datetime.datetime(cs.year, cs.month, cs.day)
        bps = g(r, "billingperiodstartdate")
        bp = parse_time(bps) if bps else month_bounds(cs)[0]
        acct, prof, sub = g(r, "billingaccountid"), g(r, "billingprofileid"), g(r, "subscriptionid", "subscriptionguid")
        if prof and prof != acct and prof != sub:
            acct = prof  # MCA: the billing profile is the billing account
        elif not acct:
            acct = sub  # pay-as-you-go: per subscription
        key = (acct or "", bp.strftime("%Y-%m"))
        ctype, model = g(r, "chargetype"), g(r, "pricingmodel")
        commit = (model or "").lower() in ("reservation", "savingsplan", "savings plan")
        purchase = (ctype or "").lower() in ("purchase", "refund") and commit
        if dataset == "amortized":
            amortized_keys.add(key)
        elif dataset == "actual" and key in amortized_keys and not purchase:
            continue
        cost = money(g(r, "costinbillingcurrency", "cost", "pretaxcost") or 0)
        lt = (ctype or "").lower()
        unused = lt in ("unusedreservation", "unusedsavingsplan")
        billed = Decimal(0) if (commit and lt == "usage") or unused else cost
        effective = Decimal(0) if purchase else cost
        if ctype is None or lt == "usage" or unused:
            cat = "Usage"
        elif lt in ("purchase", "refund"):
            cat = "Purchase"
        elif lt == "credit":
            cat = "Credit"
        elif lt == "tax":
            cat = "Tax"
        else:
            cat = "Adjustment"
        tags = g(r, "tags")
        pairs = []
        if tags:
            t = tags.strip()
            obj = json.loads(t if t.startswith("{") else "{" + t + "}")
            pairs = [(k, v if isinstance(v, (bool, str)) else str(v)) for k, v in obj.items()]
        loc = g(r, "resourcelocation")
        out.append(line(
            ProviderName="Microsoft", BillingAccountId=acct, SubAccountId=sub,
            BillingPeriodStart=iso(bp), ChargePeriodStart=iso(cs),
            BilledCost=billed, EffectiveCost=effective,
            BillingCurrency=g(r, "billingcurrencycode", "billingcurrency", "currency"),
            ServiceName=g(r, "metercategory", "servicename", "consumedservice"),
            ServiceCategory=cats.get((g(r, "consumedservice") or "").lower(), "Other"),
            RegionId=loc.replace(" ", "").lower() if loc else None,
            ChargeCategory=cat, Tags=tags_json(pairs)))
    return out


# ---- GCP ---------------------------------------------------------------------

def pyjson(s):
    """JSON, or the Python repr some CSV exports carry."""
    try:
        return json.loads(s)
    except ValueError:
        import ast
        return ast.literal_eval(s)


def gcp_row(get, cats):
    start = parse_time(get("usagestarttime"))
    inv = get("invoicemonth")
    bp = datetime.datetime(int(inv[:4]), int(inv[4:6]), 1) if inv else month_bounds(start)[0]
    credits = get("credits")
    if isinstance(credits, str):
        credits = pyjson(credits) if credits.strip() else []
    cost = money(get("cost"))
    billed = cost + sum((money(c["amount"]) for c in credits or [] if c.get("amount") is not None), Decimal(0))
    pairs = []
    for name in ("labels", "projectlabels"):
        lab = get(name)
        if isinstance(lab, str):
            lab = pyjson(lab) if lab.strip() else []
        pairs += [(l["key"], str(l.get("value") if l.get("value") is not None else "")) for l in lab or []]
    ct = (get("costtype") or "regular").lower()
    return line(
        ProviderName="Google Cloud", BillingAccountId=get("billingaccountid"),
        SubAccountId=get("projectid"), BillingPeriodStart=iso(bp),
        ChargePeriodStart=iso(start), BilledCost=billed, EffectiveCost=billed,
        BillingCurrency=get("currency"), ServiceName=get("servicedescription"),
        ServiceCategory=cats.get((get("servicedescription") or "").lower(), "Other"),
        RegionId=get("locationregion") or get("locationlocation"),
        ChargeCategory="Usage" if ct == "regular" else "Tax" if ct == "tax" else "Adjustment",
        Tags=tags_json(pairs))


def is_gcp(header):
    cols = {squash(h) for h in header}
    return {"billingaccountid", "cost", "usagestarttime"} <= cols


def read_gcp_csv(text):
    cats = category_map("gcp")
    header = next(csv.reader(io.StringIO(text)), [])
    col = {}
    for h in header:
        col.setdefault(squash(h), h)
    return [gcp_row(lambda n, r=r: val(r, col.get(n)), cats) for r in dict_rows(text)]


def flatten(obj, prefix="", out=None):
    out = {} if out is None else out
    for k, v in obj.items():
        key = prefix + squash(k)
        if isinstance(v, dict):
            flatten(v, key, out)
        elif v is not None and v != "":
            out.setdefault(key, v)
    return out


def read_gcp_json(text):
    cats = category_map("gcp")
    out = []
    for ln in text.splitlines():
        if ln.strip():
            flat = flatten(json.loads(ln, parse_float=Decimal))
            out.append(gcp_row(lambda n, f=flat: f.get(n), cats))
    return out


# ---- OCI ---------------------------------------------------------------------

OCI_CATEGORIES = {
    "ANALYTICS": "Analytics", "API_GATEWAY": "Integration", "AUTONOMOUS_DATABASE": "Databases",
    "BLOCK_STORAGE": "Storage", "COMPUTE": "Compute", "CONTAINER_ENGINE": "Compute",
    "DATABASE": "Databases", "DATA_SCIENCE": "AI and Machine Learning", "DNS": "Networking",
    "FASTCONNECT": "Networking", "FILE_STORAGE": "Storage", "FUNCTIONS": "Compute",
    "KMS": "Security", "LOAD_BALANCER": "Networking", "LOGGING": "Management and Governance",
    "MYSQL": "Databases", "NETWORK": "Networking", "NOSQL": "Databases",
    "NOTIFICATIONS": "Integration", "OBJECTSTORE": "Storage",
    "ORACLE_STREAMING_SERVICE": "Integration", "TELEMETRY": "Management and Governance",
    "VAULT": "Security", "VCN": "Networking", "WAF": "Security",
}


def is_oci(header):
    low = {h.lower() for h in header}
    return "cost/mycost" in low and "lineitem/intervalusagestart" in low


def read_oci(text):
    header = next(csv.reader(io.StringIO(text)), [])
    col = {}
    for h in header:
        col.setdefault(h.lower(), h)
    out = []
    for r in dict_rows(text):
        def g(n):
            return val(r, col.get(n.lower()))
        start = parse_time(g("lineItem/intervalUsageStart"))
        billed = money(g("cost/myCost")) + money(g("cost/myCostOverage") or 0)
        pairs = [(h[5:], val(r, h)) for h in header if h.lower().startswith("tags/") and len(h) > 5]
        svc = g("product/service")
        out.append(line(
            ProviderName="Oracle", BillingAccountId=g("lineItem/tenantId"),
            SubAccountId=g("product/compartmentId"),
            BillingPeriodStart=iso(month_bounds(start)[0]), ChargePeriodStart=iso(start),
            BilledCost=billed, EffectiveCost=billed, BillingCurrency=g("cost/currencyCode"),
            ServiceName=svc, ServiceCategory=OCI_CATEGORIES.get((svc or "").upper(), "Other"),
            RegionId=g("product/region"), ChargeCategory="Usage", Tags=tags_json(pairs)))
    return out


# ---- sources -----------------------------------------------------------------

def manifest_files(path, anchor, under):
    m = json.load(open(path))
    out = []
    for k in m.get("reportKeys") or m.get("dataFiles"):
        parts = k.split("/")
        idx = max(i for i, p in enumerate(parts) if p == anchor) if anchor in parts else len(parts) - 1
        out.append(os.path.join(under, *parts[idx + 1:]) if anchor in parts else os.path.join(under, parts[-1]))
    return out


def expand(src):
    if not os.path.isdir(src):
        return [src]
    base = os.path.basename(os.path.normpath(src))
    names = sorted(n for n in os.listdir(src) if not n.startswith("."))
    if re.match(r"^\d{8}-\d{8}$", base):
        mans = [n for n in names if n.endswith("-Manifest.json")]
        if mans:
            return [f for n in mans for f in manifest_files(os.path.join(src, n), base, src)]
        subs = [(n, m) for n in names if os.path.isdir(os.path.join(src, n))
                for m in sorted(os.listdir(os.path.join(src, n))) if m.endswith("-Manifest.json")]
        if len(subs) == 1:
            return manifest_files(os.path.join(src, subs[0][0], subs[0][1]), base, src)
    if os.path.isdir(os.path.join(src, "metadata")):
        files, covered = [], set()
        for p in sorted(os.listdir(os.path.join(src, "metadata"))):
            d = os.path.join(src, "metadata", p)
            for m in sorted(os.listdir(d)) if p.startswith("BILLING_PERIOD=") and os.path.isdir(d) else []:
                if m.endswith("-Manifest.json"):
                    files += manifest_files(os.path.join(d, m), p, os.path.join(src, "data", p))
                    covered.add(p)
        if covered:
            data = os.path.join(src, "data")
            for p in sorted(os.listdir(data)) if os.path.isdir(data) else []:
                if p not in covered:
                    files += expand(os.path.join(data, p))
            return files
    out = []
    for n in names:
        p = os.path.join(src, n)
        if os.path.isdir(p) or n.endswith((".csv", ".csv.gz", ".json", ".json.gz")):
            out += expand(p)
    return out


def read_source(path, amortized_keys):
    text = read_text(path)
    stripped = text.lstrip()
    if stripped.startswith("{"):
        first = stripped.split("\n", 1)[0]
        if '"billing_account_id"' in first:
            return read_gcp_json(text)
        return []  # an inventory or another JSON: not billing data
    header = next(csv.reader(io.StringIO(text)), [])
    if "BilledCost" in header and "ChargePeriodStart" in header:
        raise SystemExit("%s: FOCUS files are focus_oracle.py's" % path)
    if is_cur(header):
        return read_cur(text)
    if is_oci(header):
        return read_oci(text)
    if is_gcp(header):
        return read_gcp_csv(text)
    if is_azure(header):
        return read_azure(text, azure_dataset(path), amortized_keys)
    raise SystemExit("%s: not a billing export" % path)


def all_lines(sources):
    files = [f for s in sources for f in expand(s)]
    files.sort(key=lambda f: 0 if azure_dataset(f) == "amortized" else 1)  # stable
    keys, out = set(), []
    for f in files:
        out += read_source(f, keys)
    return out


def write_focus(lines, path):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(FOCUS)
        for l in lines:
            w.writerow(["" if l[k] is None else str(l[k]) for k in FOCUS])


def main():
    args = sys.argv[1:]
    if args[0] == "--totals":
        lines = all_lines(args[1:])
        print(json.dumps({"billed": str(sum((l["BilledCost"] for l in lines), Decimal(0))),
                          "effective": str(sum((l["EffectiveCost"] for l in lines), Decimal(0))),
                          "lines": len(lines)}))
        return
    if args[0] == "--months":
        print(" ".join(sorted({l["BillingPeriodStart"][:7] for l in all_lines(args[1:])})))
        return
    if args[0] == "--focus":
        write_focus(all_lines(args[2:]), args[1])
        return
    month, lines = args[0], all_lines(args[1:])
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "mapped.csv")
        write_focus(lines, path)
        sys.stdout.flush()
        subprocess.run([sys.executable, os.path.join(HERE, "focus_oracle.py"), month, path], check=True)


main()
