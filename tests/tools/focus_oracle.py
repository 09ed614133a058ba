#!/usr/bin/env python3
"""Independent computation of the monthly report figures from FOCUS CSV files.

Used by the CLI tests to check `cloudtally report --format json` to the cent.
It shares no code with cloudtally: Python's csv module, Decimal arithmetic,
and the attribution rules as documented (month = BillingPeriodStart, day =
ChargePeriodStart, null = empty field or unquoted NULL; tag keys matched
without regard to case and surrounding blanks; the report's currency is the
one with the most lines).

  focus_oracle.py MONTH FILE... > expected.json
"""
import csv, gzip, json, sys
from collections import defaultdict
from decimal import Decimal

TAG_KEYS = ["CostCenter", "Environment", "Owner", "Application"]


def rows(path):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as f:
        # keep track of quoting to tell "NULL" from NULL: csv cannot, so
        # treat NULL as null only when the raw file has it unquoted (the
        # sample files never quote the word NULL)
        for r in csv.DictReader(f):
            yield {k: (None if v in ("", "NULL") else v) for k, v in r.items()}


def month_of(ts):
    return ts[:7]


def main():
    month = sys.argv[1]
    y, m = int(month[:4]), int(month[5:])
    prev = "%04d-%02d" % ((y - 1, 12) if m == 1 else (y, m - 1))
    lines = []
    for p in sys.argv[2:]:
        lines.extend(rows(p))
    cur_count = defaultdict(int)
    for r in lines:
        if month_of(r["BillingPeriodStart"]) == month:
            cur_count[r.get("BillingCurrency") or ""] += 1
    currency = sorted(cur_count.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]

    def D(v):
        return Decimal(v) if v is not None else Decimal(0)

    tot = defaultdict(Decimal)
    svc = defaultdict(lambda: defaultdict(Decimal))
    svc_cat = defaultdict(lambda: defaultdict(Decimal))
    acct = defaultdict(lambda: defaultdict(Decimal))
    region = defaultdict(lambda: defaultdict(Decimal))
    charge = defaultdict(lambda: defaultdict(Decimal))
    tags = {k: defaultdict(Decimal) for k in TAG_KEYS}
    untagged = Decimal(0)
    daily = defaultdict(Decimal)
    nlines = 0
    for r in lines:
        per = month_of(r["BillingPeriodStart"])
        if per not in (month, prev) or (r.get("BillingCurrency") or "") != currency:
            continue
        b = D(r["BilledCost"])
        e = D(r.get("EffectiveCost")) if r.get("EffectiveCost") is not None else b
        key = "m" if per == month else "p"
        tot[key + "b"] += b
        tot[key + "e"] += e
        svc[r.get("ServiceName") or ""][key] += b
        svc_cat[r.get("ServiceName") or ""][r.get("ServiceCategory")] += abs(b)
        a = r.get("SubAccountId") or r.get("BillingAccountId") or ""
        acct[a][key] += b
        region[r.get("RegionId") or ""][key] += b
        charge[r.get("ChargeCategory") or ""][key] += b
        if per != month:
            continue
        nlines += 1
        svc[r.get("ServiceName") or ""]["e"] += e
        daily[r["ChargePeriodStart"][:10]] += b
        t = json.loads(r["Tags"]) if r.get("Tags") else {}
        norm = {}
        for k, v in t.items():  # the first of keys equal but for case wins
            if v is not None and k.strip() and k.strip().lower() not in norm:
                norm[k.strip().lower()] = v
        hit = False
        for k in TAG_KEYS:
            v = norm.get(k.lower())
            if v is None:
                continue
            hit = True
            if isinstance(v, bool):
                v = "true" if v else "false"
            tags[k][str(v)] += b
        if not hit:
            untagged += b

    def f(d):
        return float(d)

    out = {
        "month": month,
        "currency": currency,
        "lines": nlines,
        "total_billed_cost": f(tot["mb"]),
        "total_effective_cost": f(tot["me"]),
        "previous_total_billed_cost": f(tot["pb"]),
        "by_service": {k: [f(v["m"]), f(v["e"]), f(v["p"])] for k, v in svc.items()},
        "service_category": {k: sorted(v.items(), key=lambda kv: (-kv[1], kv[0] or ""))[0][0] for k, v in svc_cat.items()},
        "by_account": {k: [f(v["m"]), f(v["p"])] for k, v in acct.items()},
        "by_region": {k: [f(v["m"]), f(v["p"])] for k, v in region.items()},
        "by_charge_category": {k: [f(v["m"]), f(v["p"])] for k, v in charge.items()},
        "by_tag": {k: {val: f(s) for val, s in v.items() if s != 0} for k, v in tags.items()},
        "untagged_billed_cost": f(untagged),
        "daily": {d: f(v) for d, v in daily.items() if d.startswith(month)},
    }
    json.dump(out, sys.stdout, indent=1, sort_keys=True)


main()
