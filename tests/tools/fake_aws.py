#!/usr/bin/env python3
"""fake_aws.py - a local stand-in for the AWS Price List bulk host and the
Spot Advisor feed, for the `cloudtally pricing update` tests.

Listens on 127.0.0.1 only. With --port 0 (the default) the kernel picks
the port; the chosen port is the first line on standard output.

It serves real files copied under shared/data/external (see SOURCES.md
there) at the URL paths the price-list walk requests:

  /offers/v1.0/aws/index.json            jtdelia__ec2-priceit 1-global-service-index.json
  /offers/v1.0/aws/AmazonEC2/index.json  jtdelia__ec2-priceit 2-versionIndexUrl-file.json
  /offers/v1.0/aws/AmazonEC2/current/region_index.json
        synthesised (none of the real files is an EC2 region index):
        us-east-1 -> the instance-selector m5.large document in CSV form,
        eu-west-3 -> cycloidio__terracost AmazonEC2_eu-west-3.csv,
        every "Region Code" of 3-global-pricing-file-sample.csv -> that file
  /offers/v1.0/aws/AmazonEC2/<version>/<region>/index.csv
  /savingsPlan/v1.0/aws/AWSComputeSavingsPlan/current/region_index.json
        jtdelia__ec2-priceit 4-currentSavingsPlanIndexUrl-list.json
  /savingsPlan/v1.0/aws/AWSComputeSavingsPlan/20250911184447/ap-east-2/index.csv
        jtdelia__ec2-priceit 5-ap-east-2-savingsplan-pricing.csv
  /spot-advisor-data.json                alexei-led__spotinfo spot-advisor-data.json

The us-east-1 CSV is aws__amazon-ec2-instance-selector's GetProducts
m5_large.json (OnDemand + 12 Reserved terms, 2021-02-05) rewritten as the
CSV variant: the 2025 header of the ec2-priceit sample, one row per price
dimension, JSON attribute keys mapped to the CSV display names. The real
us-east-1 rows of the 2025 sample are appended (a RHEL + SQL Web row that
the loader must skip).

Faults, chosen by a query string (?fault=MODE) or by the control file
(--control FILE, re-read on every request; one rule a line:
"MODE [PATH-SUBSTRING [COUNT]]", "-" or "*" for any path; COUNT limits how
many matching requests get the fault; counts restart when the file
changes):

  500, 503, 404   that status (503 with Retry-After: 1)
  429             429 with Retry-After: 1
  truncate        Content-Length of the whole body, half of it sent, close
  stall           headers and a few bytes, then silence (--stall seconds)
  reset           headers and part of the body, then a TCP reset
  html            200 with an HTML page
  json            200 with a JSON document where CSV was expected
  badcsv          the CSV with a stray quoted field opened at the end of
                  line 9 (the CSV reader fails on the next line)
  nocol           the CSV header without its "PricePerUnit" column
  nodate          the CSV without its "Publication Date" metadata row
  gzip            Content-Encoding: gzip (not a fault)
  gzfile          the body gzip-compressed, sent as a plain file (not a fault)

--log FILE appends one line per request: "PATH<TAB>USER-AGENT".
Python 3 standard library only.
"""

import argparse
import csv
import gzip
import io
import json
import os
import socket
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

EC2_VER_2025 = "20250912225308"
EC2_VER_TERRACOST = "20201019204802"
SP_VER = "20250911184447"

# JSON attribute key -> CSV header name (A1.4: the CSV uses display names)
ATTR_TO_CSV = {
    "instanceType": "Instance Type",
    "currentGeneration": "Current Generation",
    "instanceFamily": "Instance Family",
    "vcpu": "vCPU",
    "physicalProcessor": "Physical Processor",
    "clockSpeed": "Clock Speed",
    "memory": "Memory",
    "storage": "Storage",
    "networkPerformance": "Network Performance",
    "processorArchitecture": "Processor Architecture",
    "tenancy": "Tenancy",
    "operatingSystem": "Operating System",
    "licenseModel": "License Model",
    "usagetype": "usageType",
    "operation": "operation",
    "capacitystatus": "CapacityStatus",
    "dedicatedEbsThroughput": "Dedicated EBS Throughput",
    "ecu": "ECU",
    "enhancedNetworkingSupported": "Enhanced Networking Supported",
    "intelAvxAvailable": "Intel AVX Available",
    "intelAvx2Available": "Intel AVX2 Available",
    "intelTurboAvailable": "Intel Turbo Available",
    "normalizationSizeFactor": "Normalization Size Factor",
    "preInstalledSw": "Pre Installed S/W",
    "processorFeatures": "Processor Features",
    "servicename": "serviceName",
    "servicecode": "serviceCode",
    "location": "Location",
    "locationType": "Location Type",
    "marketoption": "MarketOption",
    "regionCode": "Region Code",
}


def read(path):
    with open(path, "rb") as f:
        return f.read()


def csv_bytes(rows):
    out = io.StringIO()
    w = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    for r in rows:
        w.writerow(r)
    return out.getvalue().encode()


def m5_large_csv(ext):
    """The instance-selector GetProducts document as the CSV variant."""
    doc = json.loads(read(os.path.join(
        ext, "aws__amazon-ec2-instance-selector/test/static/GetProducts/m5_large.json")))
    sample = list(csv.reader(io.StringIO(read(os.path.join(
        ext, "jtdelia__ec2-priceit/examples/3-global-pricing-file-sample.csv")).decode())))
    header = sample[5]
    prod = doc["product"]
    base = {c: "" for c in header}
    base["Product Family"] = prod["productFamily"]
    for k, v in prod["attributes"].items():
        if k in ATTR_TO_CSV and ATTR_TO_CSV[k] in base:
            base[ATTR_TO_CSV[k]] = v
    rows = [["FormatVersion", "v1.0"],
            ["Disclaimer", sample[1][1]],
            ["Publication Date", doc["publicationDate"]],
            ["Version", doc["version"]],
            ["OfferCode", doc["serviceCode"]],
            header]
    for term_type in ("OnDemand", "Reserved"):
        for term in doc["terms"].get(term_type, {}).values():
            ta = term.get("termAttributes", {})
            for dim in term["priceDimensions"].values():
                r = dict(base)
                r.update({
                    "SKU": term["sku"],
                    "OfferTermCode": term["offerTermCode"],
                    "RateCode": dim["rateCode"],
                    "TermType": term_type,
                    "PriceDescription": dim["description"],
                    "EffectiveDate": term["effectiveDate"][:10],
                    "StartingRange": dim.get("beginRange", ""),
                    "EndingRange": dim.get("endRange", ""),
                    "Unit": dim["unit"],
                    "PricePerUnit": dim["pricePerUnit"]["USD"],
                    "Currency": "USD",
                    "LeaseContractLength": ta.get("LeaseContractLength", ""),
                    "PurchaseOption": ta.get("PurchaseOption", ""),
                    "OfferingClass": ta.get("OfferingClass", ""),
                })
                rows.append([r[c] for c in header])
    rc = header.index("Region Code")
    rows += [r for r in sample[6:] if r[rc] == "us-east-1"]
    return csv_bytes(rows)


class Files:
    def __init__(self, ext):
        ex = os.path.join(ext, "jtdelia__ec2-priceit/examples")
        self.ext = ext
        self.global_csv = read(os.path.join(ex, "3-global-pricing-file-sample.csv"))
        self.terracost = read(os.path.join(
            ext, "cycloidio__terracost/e2e/testdata/AmazonEC2_eu-west-3.csv"))
        self.us_east_1 = m5_large_csv(ext)
        sample = list(csv.reader(io.StringIO(self.global_csv.decode())))
        rc = sample[5].index("Region Code")
        self.sample_regions = sorted({r[rc] for r in sample[6:] if r[rc]})
        self.paths = {
            "/offers/v1.0/aws/index.json": read(os.path.join(ex, "1-global-service-index.json")),
            "/offers/v1.0/aws/AmazonEC2/index.json": read(os.path.join(ex, "2-versionIndexUrl-file.json")),
            "/offers/v1.0/aws/AmazonEC2/current/region_index.json": self.region_index(),
            "/savingsPlan/v1.0/aws/AWSComputeSavingsPlan/current/region_index.json":
                read(os.path.join(ex, "4-currentSavingsPlanIndexUrl-list.json")),
            "/savingsPlan/v1.0/aws/AWSComputeSavingsPlan/%s/ap-east-2/index.csv" % SP_VER:
                read(os.path.join(ex, "5-ap-east-2-savingsplan-pricing.csv")),
            "/spot-advisor-data.json": read(os.path.join(
                ext, "alexei-led__spotinfo/internal/spot/data/spot-advisor-data.json")),
            "/offers/v1.0/aws/AmazonEC2/20210205204500/us-east-1/index.csv": self.us_east_1,
            "/offers/v1.0/aws/AmazonEC2/%s/eu-west-3/index.csv" % EC2_VER_TERRACOST: self.terracost,
        }
        for r in self.sample_regions:
            if r in ("us-east-1", "eu-west-3"):
                continue
            self.paths["/offers/v1.0/aws/AmazonEC2/%s/%s/index.csv" % (EC2_VER_2025, r)] = self.global_csv

    def region_index(self):
        def url(ver, r):
            return "/offers/v1.0/aws/AmazonEC2/%s/%s/index.json" % (ver, r)
        regions = {
            "us-east-1": url("20210205204500", "us-east-1"),
            "eu-west-3": url(EC2_VER_TERRACOST, "eu-west-3"),
        }
        sample = list(csv.reader(io.StringIO(read(os.path.join(
            self.ext, "jtdelia__ec2-priceit/examples/3-global-pricing-file-sample.csv")).decode())))
        rc = sample[5].index("Region Code")
        for r in sorted({row[rc] for row in sample[6:] if row[rc]}):
            regions.setdefault(r, url(EC2_VER_2025, r))
        doc = {
            "formatVersion": "v1.0",
            "disclaimer": "synthesised by tests/tools/fake_aws.py",
            "publicationDate": "2025-09-12T22:53:08Z",
            "regions": {r: {"regionCode": r, "currentVersionUrl": u}
                        for r, u in sorted(regions.items())},
        }
        return json.dumps(doc, indent=2).encode()


class Control:
    """Fault rules from the control file, with per-rule hit counts."""

    def __init__(self, path):
        self.path = path
        self.text = None
        self.rules = []
        self.lock = threading.Lock()

    def pick(self, path):
        if not self.path:
            return None
        with self.lock:
            try:
                text = open(self.path).read()
            except OSError:
                text = ""
            if text != self.text:
                self.text = text
                self.rules = []
                for line in text.splitlines():
                    f = line.split()
                    if not f or f[0].startswith("#"):
                        continue
                    sub = f[1] if len(f) > 1 and f[1] not in ("-", "*") else ""
                    count = int(f[2]) if len(f) > 2 else -1
                    self.rules.append([f[0], sub, count])
            for rule in self.rules:
                mode, sub, count = rule
                if sub in path and count != 0:
                    if count > 0:
                        rule[2] -= 1
                    return mode
        return None


def break_csv(body, mode):
    lines = body.decode().split("\n")
    if mode == "badcsv":
        lines[8] = lines[8] + ',"unterminated'
    elif mode == "nocol":
        lines[5] = lines[5].replace('"PricePerUnit"', '"Price"').replace("PricePerUnit", "Price")
    elif mode == "nodate":
        lines = [l for l in lines if "Publication Date" not in l]
    return "\n".join(lines).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-aws/1"

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("fake_aws: " + (fmt % args) + "\n")

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(u.query)
        if self.server.logfile:
            with open(self.server.logfile, "a") as f:
                f.write("%s\t%s\n" % (self.path, self.headers.get("User-Agent", "")))
        mode = (q.get("fault") or [None])[0] or self.server.control.pick(u.path)
        body = self.server.files.paths.get(u.path)
        if mode in ("500", "503", "404", "429"):
            code = int(mode)
            msg = b"fake_aws: fault " + mode.encode() + b"\n"
            self.send_response(code)
            if code in (429, 503):
                self.send_header("Retry-After", "1")
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(msg)))
            self.end_headers()
            self.wfile.write(msg)
            return
        if body is None:
            msg = b"not found\n"
            self.send_response(404)
            self.send_header("Content-Length", str(len(msg)))
            self.end_headers()
            self.wfile.write(msg)
            return
        ctype = "application/json" if u.path.endswith(".json") else "text/csv"
        if mode == "html":
            body = (b"<!DOCTYPE html>\n<html><head><title>Service Unavailable</title></head>"
                    b"<body><h1>Please try again later</h1></body></html>\n")
            ctype = "text/html"
        elif mode == "json":
            body = b'{"message": "Access Denied", "code": "AccessDenied"}\n'
            ctype = "application/json"
        elif mode in ("badcsv", "nocol", "nodate"):
            body = break_csv(body, mode)
        elif mode == "gzfile":
            body = gzip.compress(body)
            ctype = "application/octet-stream"
        headers = [("Content-Type", ctype)]
        if mode == "gzip":
            body = gzip.compress(body)
            headers.append(("Content-Encoding", "gzip"))
        self.send_response(200)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if mode == "truncate":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if mode == "stall":
            self.wfile.write(body[:16])
            self.wfile.flush()
            time.sleep(self.server.stall)
            self.close_connection = True
            return
        if mode == "reset":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        self.wfile.write(body)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    shared = os.environ.get("CT_SHARED") or os.path.join(here, "..", "..", "..", "shared")
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--root", default=os.path.join(shared, "data", "external"),
                    help="the shared/data/external folder")
    ap.add_argument("--control", help="fault control file")
    ap.add_argument("--log", help="append a line per request here")
    ap.add_argument("--stall", type=float, default=60.0,
                    help="seconds a stalled response stays silent")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()

    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    srv.files = Files(a.root)
    srv.control = Control(a.control)
    srv.logfile = a.log
    srv.stall = a.stall
    srv.verbose = a.verbose
    print(srv.server_address[1], flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        srv.server_close()


if __name__ == "__main__":
    main()
