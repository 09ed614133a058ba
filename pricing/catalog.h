/*
 * catalog.h - the price catalog: every unit price cloudtally knows, where
 * it came from and when.
 *
 * Two layers: the embedded catalog (data/catalog/NAME.csv, compiled into the
 * binary, built from public price facts) and prices refreshed into the
 * store by `cloudtally pricing update` (table price, schema 0002), which
 * win over embedded ones for the same key. A price that is not in either
 * is unknown: lookups fail with CT_E_NOPRICE and a message that names
 * what was asked and what is known, never a $0 price.
 *
 * The catalog row (the CSV columns of data/catalog/NAME.csv and of the price
 * table, in this order):
 *
 *   service     ec2, ebs, rds, s3, transfer, natgw, elb, eip, eks, lambda,
 *               dynamodb, elasticache, cloudwatch
 *   region      AWS region code ("us-east-1"); "global" for region-less
 *   product     what is priced: instance type ("m5.large"), volume type
 *               ("gp3"), DB class ("db.t3.large"), storage class, ...
 *   variant     which price of the product (see the table below)
 *   term        ondemand | reserved | savingsplan | spot
 *   offering    reserved: standard | convertible; savingsplan: compute |
 *               ec2instance; else empty
 *   years       1 or 3 for reserved and savingsplan, else 0
 *   payment     no | partial | all for reserved and savingsplan, else empty
 *   unit        hour, GB-month, IOPS-month, MiBps-month, GB, request,
 *               LCU-hour, GB-second, ... (per one unit)
 *   tier_start  quantity (in unit, per month) where this rate starts; 0
 *   tier_end    quantity where it stops; empty = no upper bound. A rate of
 *               0 on the first tier encodes a free allowance or baseline
 *               (gp3 IOPS 0-3000, the first 100 GB of internet egress).
 *   price       USD per unit, decimal as published (exact, up to 12 places)
 *   upfront     reserved / savings plan one-time fee in USD, else empty
 *   note        free text for the user (spot interruption band "<5%", ...)
 *   source      where the figure came from (file or URL)
 *   as_of       date of the figure, YYYY-MM-DD
 *
 * Variant names by service:
 *   ec2         OS/tenancy: linux/shared, windows/shared, rhel/shared,
 *               suse/shared, linux/dedicated ...
 *   ebs         storage, iops, throughput (MiBps-month), io (request,
 *               magnetic "standard" I/O); product "snapshot" variant storage
 *   rds         ENGINE/DEPLOYMENT for instances (mysql/single-az,
 *               postgres/multi-az, mariadb/..., aurora-mysql/...,
 *               aurora-postgres/...); storage products gp2, gp3, io1,
 *               magnetic, aurora with variant storage/single-az,
 *               storage/multi-az, iops/single-az, iops/multi-az; product
 *               backup variant storage
 *   s3          CLASS products (standard, intelligent-tiering, standard-ia,
 *               onezone-ia, glacier-ir, glacier, deep-archive) with variant
 *               storage (GB-month, tiers), put (PUT/COPY/POST/LIST, per
 *               request), get (GET/SELECT, per request), retrieval (GB)
 *   transfer    products internet-out (tiers), inter-az, inter-region
 *               (variant: destination region or "any"), variant "out"
 *   natgw       product nat-gateway, variants hour and data (GB)
 *   elb         products alb, nlb, clb, gwlb; variants hour, lcu
 *               (LCU-hour), data (GB, clb)
 *   eip         product public-ipv4, variant hour
 *   eks         product cluster, variants standard, extended (hour)
 *   lambda      products x86, arm64; variants requests (request),
 *               duration (GB-second, tiers)
 *   dynamodb    products on-demand, provisioned; variants write, read,
 *               storage
 *   elasticache node type products ("cache.t3.micro"), variant redis,
 *               memcached, valkey (hour)
 *   cloudwatch  products metrics (tiers), alarm, logs-ingest, logs-storage,
 *               dashboard, api-requests
 *
 * Instance facts for rightsizing live beside the prices:
 * data/catalog/ec2_types.csv: instance_type,vcpu,memory_gib,source.
 */
#ifndef CT_PRICING_CATALOG_H
#define CT_PRICING_CATALOG_H

#include "ct.h"
#include "money.h"

struct ct_store;

/* One catalog row. Strings are owned by the catalog. */
struct ct_price {
	const char *service, *region, *product, *variant, *term, *offering;
	int years;
	const char *payment, *unit;
	double tier_start; /* in unit per month */
	double tier_end;   /* INFINITY when open-ended */
	ct_rate price;     /* pico-dollars per unit */
	ct_money upfront;  /* one-time fee, nano-dollars (has_upfront) */
	bool has_upfront;
	const char *note, *source, *as_of;
	bool refreshed;    /* from the store (pricing update), not embedded */
};

/* What to look up. NULL offering/payment mean empty; years 0. */
struct ct_price_query {
	const char *service, *region, *product, *variant, *term;
	const char *offering;
	int years;
	const char *payment;
};

struct ct_catalog;

/**
 * Load the embedded catalog and, when st is not NULL, the refreshed prices
 * in its price table, which win key by key.
 *
 * @return new catalog (ct_catalog_free()), or NULL with err: CT_E_INTERNAL
 *         for a bad embedded file, CT_E_DB for the store.
 */
struct ct_catalog *ct_catalog_load(struct ct_store *st, struct ct_err *err);
void ct_catalog_free(struct ct_catalog *cat);

/**
 * Find the rate tiers of a key, sorted by tier_start.
 *
 * @param rows  set to the first tier (borrowed from cat); *n tiers follow.
 * @return CT_OK, or CT_E_NOPRICE with a message that names the key and
 *         says what the catalog does know (other regions, variants, terms,
 *         similar product names).
 */
int ct_catalog_find(const struct ct_catalog *cat, const struct ct_price_query *q,
		    const struct ct_price **rows, size_t *n, struct ct_err *err);

/**
 * Monthly cost of qty units over a key's tiers: each slice of qty that
 * falls in [tier_start, tier_end) at that tier's rate, starting at from
 * (the quantity already used this month by other resources, usually 0).
 */
ct_money ct_catalog_tiered(const struct ct_price *rows, size_t n, double qty,
			   double from);

/* vCPU and memory (GiB) of an EC2 instance type. @return false unknown. */
bool ct_catalog_instance(const struct ct_catalog *cat, const char *type,
			 int *vcpu, double *memory_gib);

/* Reserved-instance ratio for a term when a type has no RI price:
 * effective hourly = on-demand x ratio; upfront_share of the term total
 * is paid up front. @return false when no ratio is known. */
bool ct_catalog_ri_ratio(const struct ct_catalog *cat, const char *offering,
			 int years, const char *payment, double *ratio,
			 double *upfront_share, const char **source);

/* Iterate over all rows (for `pricing status`): row i, NULL past the end. */
const struct ct_price *ct_catalog_row(const struct ct_catalog *cat, size_t i);

#endif
