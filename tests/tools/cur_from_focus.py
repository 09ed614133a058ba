#!/usr/bin/env python3
"""Write the lines of a FOCUS CSV (such as ../shared/tools/gen-focus makes)
as a legacy AWS Cost and Usage Report, for `make bench`: the same lines in
the other format, so the two ingest times compare like with like.

  cur_from_focus.py IN.csv[.gz] OUT.csv[.gz]

The CUR has the column families a real report has (identity, bill,
lineItem, product, pricing, reservation, savingsPlan, resourceTags), 60
columns, many of them empty as in real reports. Money columns are copied
as text, so totals are unchanged.
"""
import csv, gzip, json, sys

PRODUCT_CODES = {
    "Amazon Elastic Compute Cloud": "AmazonEC2",
    "Amazon Simple Storage Service": "AmazonS3",
    "Amazon Relational Database Service": "AmazonRDS",
    "AWS Lambda": "AWSLambda",
    "Amazon Virtual Private Cloud": "AmazonVPC",
    "AWS Data Transfer": "AWSDataTransfer",
    "Amazon Elastic Kubernetes Service": "AmazonEKS",
}
TAGS = ["Application", "CostCenter", "Environment", "Owner"]
COLUMNS = [
    "identity/LineItemId", "identity/TimeInterval", "bill/InvoiceId", "bill/InvoicingEntity",
    "bill/BillingEntity", "bill/BillType", "bill/PayerAccountId", "bill/BillingPeriodStartDate",
    "bill/BillingPeriodEndDate", "lineItem/UsageAccountId", "lineItem/LineItemType",
    "lineItem/UsageStartDate", "lineItem/UsageEndDate", "lineItem/ProductCode", "lineItem/UsageType",
    "lineItem/Operation", "lineItem/AvailabilityZone", "lineItem/ResourceId", "lineItem/UsageAmount",
    "lineItem/NormalizationFactor", "lineItem/NormalizedUsageAmount", "lineItem/CurrencyCode",
    "lineItem/UnblendedRate", "lineItem/UnblendedCost", "lineItem/BlendedRate", "lineItem/BlendedCost",
    "lineItem/LineItemDescription", "lineItem/TaxType", "lineItem/LegalEntity", "product/ProductName",
    "product/instanceType", "product/location", "product/locationType", "product/operatingSystem",
    "product/productFamily", "product/region", "product/servicecode", "product/sku", "product/tenancy",
    "product/usagetype", "product/vcpu", "product/memory", "pricing/RateCode", "pricing/currency",
    "pricing/publicOnDemandCost", "pricing/publicOnDemandRate", "pricing/term", "pricing/unit",
    "reservation/EffectiveCost", "reservation/ReservationARN",
    "reservation/UnusedAmortizedUpfrontFeeForBillingPeriod", "reservation/UnusedRecurringFee",
    "savingsPlan/SavingsPlanARN", "savingsPlan/SavingsPlanEffectiveCost",
    "savingsPlan/TotalCommitmentToDate", "savingsPlan/UsedCommitment",
] + ["resourceTags/user:" + t for t in TAGS]


def opener(path, mode):
    return gzip.open(path, mode + "t", newline="", compresslevel=1) if path.endswith(".gz") \
        else open(path, mode, newline="")


def main():
    src, dst = sys.argv[1:3]
    with opener(src, "r") as fi, opener(dst, "w") as fo:
        w = csv.writer(fo, lineterminator="\n")
        w.writerow(COLUMNS)
        for n, r in enumerate(csv.DictReader(fi)):
            tags = json.loads(r["Tags"]) if r.get("Tags") else {}
            code = PRODUCT_CODES.get(r["ServiceName"], r["ServiceName"].replace(" ", ""))
            cat = r["ChargeCategory"]
            typ = {"Tax": "Tax", "Purchase": "Fee", "Credit": "Credit"}.get(cat, "Usage")
            if cat == "Usage" and r.get("CommitmentDiscountType"):
                typ = "SavingsPlanCoveredUsage" if "Savings" in r["CommitmentDiscountType"] \
                    else "DiscountedUsage"
            eff = r["EffectiveCost"] if typ in ("DiscountedUsage", "SavingsPlanCoveredUsage") else ""
            w.writerow([
                "li%08d" % n, r["ChargePeriodStart"] + "/" + r["ChargePeriodEnd"], "",
                r["InvoiceIssuerName"], "AWS", "Anniversary", r["BillingAccountId"],
                r["BillingPeriodStart"], r["BillingPeriodEnd"], r["SubAccountId"], typ,
                r["ChargePeriodStart"], r["ChargePeriodEnd"], code, r["SkuId"], "RunInstances",
                r["AvailabilityZone"], r["ResourceId"], r["ConsumedQuantity"], "", "",
                r["BillingCurrency"], r["ListUnitPrice"], r["BilledCost"], r["ListUnitPrice"],
                r["BilledCost"], r["ChargeDescription"], "", r["PublisherName"], r["ServiceName"],
                "", r["RegionName"], "AWS Region", "", r["ResourceType"], r["RegionId"], code,
                r["SkuId"], "", r["SkuId"], "", "", "", r["BillingCurrency"], r["ListCost"],
                r["ListUnitPrice"], "OnDemand", r["PricingUnit"],
                eff if typ == "DiscountedUsage" else "", "", "", "", "",
                eff if typ == "SavingsPlanCoveredUsage" else "", "", "",
            ] + [tags.get(t, "") for t in TAGS])


main()
