#!/usr/bin/env python3
"""Compare `cloudtally report --format json` with focus_oracle.py output to the cent.

  compare_report.py REPORT.json ORACLE.json   (exit 1 and a list of differences)
"""
import json, sys

rep = json.load(open(sys.argv[1]))
ora = json.load(open(sys.argv[2]))
bad = []


def cents(x):
    return round((x or 0) * 100)


def same(what, a, b):
    # to the cent: both figures round to the same number of cents, or lie
    # within half a cent of each other when one sits on a rounding boundary
    if cents(a) != cents(b) and abs((a or 0) - (b or 0)) >= 0.005:
        bad.append("%s: cloudtally %r, independent %r" % (what, a, b))


for k in ("month", "currency", "lines"):
    if rep[k] != ora[k]:
        bad.append("%s: cloudtally %r, independent %r" % (k, rep[k], ora[k]))
same("total_billed_cost", rep["total_billed_cost"], ora["total_billed_cost"])
same("total_effective_cost", rep["total_effective_cost"], ora["total_effective_cost"])
same("previous_total_billed_cost", rep["previous_total_billed_cost"], ora["previous_total_billed_cost"])
same("untagged_billed_cost", rep["untagged_billed_cost"], ora["untagged_billed_cost"])

svc = {s["name"]: s for s in rep["by_service"]}
for name, (b, e, p) in ora["by_service"].items():
    if b == 0 and p == 0:
        continue
    s = svc.get(name)
    if not s:
        bad.append("by_service: %r missing" % name)
        continue
    same("by_service %s billed" % name, s["billed_cost"], b)
    same("by_service %s effective" % name, s["effective_cost"], e)
    same("by_service %s previous" % name, s["previous_billed_cost"], p)
    if s["category"] != ora["service_category"].get(name):
        bad.append("by_service %s category: cloudtally %r, independent %r"
                   % (name, s["category"], ora["service_category"].get(name)))
if len(svc) != len([1 for v in ora["by_service"].values() if v[0] or v[2]]):
    bad.append("by_service: %d entries, independent %d" % (len(svc), len(ora["by_service"])))

for sec, key in (("by_account", "id"), ("by_region", "id"), ("by_charge_category", "name")):
    got = {x[key]: x for x in rep[sec]}
    for k, (b, p) in ora[sec].items():
        if b == 0 and p == 0:
            continue
        x = got.get(k)
        if not x:
            bad.append("%s: %r missing" % (sec, k))
            continue
        same("%s %s billed" % (sec, k), x["billed_cost"], b)
        same("%s %s previous" % (sec, k), x["previous_billed_cost"], p)

for key, vals in ora["by_tag"].items():
    got = {x["value"]: x["billed_cost"] for x in rep["by_tag"].get(key, [])}
    for v, s in vals.items():
        same("by_tag %s=%s" % (key, v), got.get(v), s)
    for v in got:
        if v not in vals:
            bad.append("by_tag %s=%s: not in the independent figures" % (key, v))

days = {d["date"]: d["billed_cost"] for d in rep["daily"]}
for d, v in ora["daily"].items():
    same("daily %s" % d, days.get(d), v)
if abs(sum(days.values()) - rep["total_billed_cost"]) > 0.005:
    bad.append("daily figures do not add up to the total")

for b in bad:
    print(b)
sys.exit(1 if bad else 0)
