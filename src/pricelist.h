/*
 * pricelist.h - refreshing the store's prices (table price, schema 0002)
 * from the public AWS Price List bulk files and the Spot Advisor feed.
 *
 * The walk for one offer and region (research/pricing-and-k8s.md A1.1):
 * SOURCE/offers/v1.0/aws/index.json -> the offer's currentRegionIndexUrl
 * (Savings Plans: AmazonEC2's currentSavingsPlanIndexUrl) -> the region's
 * currentVersionUrl (Savings Plans: versionUrl) with ".json" replaced by
 * ".csv" -> that CSV, downloaded to a temporary file and streamed. Index
 * URLs that start with "/" are appended to SOURCE, so a mirror or a test
 * server given as --source serves the whole walk.
 *
 * The CSV is read by header name (A1.4): the metadata rows before the
 * header give the publication date and offer code; only the columns a
 * mapping uses are required. Rows become catalog rows (pricing/catalog.h):
 *
 *   AmazonEC2  instances -> ec2, product = instance type, variant
 *              "<os>/<tenancy>", when Pre Installed S/W is NA,
 *              CapacityStatus is Used, MarketOption (if present) is
 *              OnDemand and License Model is "No License required" (or
 *              "License Included" for Windows). os: Linux linux, Windows
 *              windows, RHEL rhel, SUSE suse, "Red Hat Enterprise Linux
 *              with HA" rhel-ha, "Ubuntu Pro" ubuntu-pro, others lower
 *              case with runs of other characters as "-". tenancy: Shared
 *              shared, Dedicated dedicated, Host host (on-demand $0
 *              rows of host tenancy are left out: the host is billed, not
 *              the instance). OnDemand and
 *              Reserved (offering = OfferingClass, years, payment no |
 *              partial | all); the "Upfront Fee" (Quantity) row becomes the
 *              upfront of the reserved row with the same key.
 *              EBS -> ebs, product = Volume API Name: storage (GB-month),
 *              iops (IOPS-month; io2 tiers at 32,000 and 64,000 IOPS),
 *              throughput (MiBps-month; published per GiBps-month, divided
 *              by 1024 exactly), io (request, magnetic); product
 *              "snapshot" variant storage.
 *   AmazonRDS  rds: DB instances of MySQL, PostgreSQL, MariaDB, Aurora
 *              MySQL/PostgreSQL (not I/O-Optimized) as
 *              "<engine>/<single-az|multi-az>", OnDemand and Reserved;
 *              storage gp2, gp3, io1, io2, magnetic of the open-source
 *              engines as "storage/<deployment>" (GB-month).
 *   AWSComputeSavingsPlan  ec2 term savingsplan: rates for AmazonEC2
 *              BoxUsage (shared) and DedicatedUsage (dedicated) with an
 *              operation of a known OS; offering compute (Compute Savings
 *              Plans) or ec2instance; the rate is the effective hourly
 *              price, upfront empty.
 *   spot       ec2 term spot, variants linux/shared and windows/shared:
 *              on-demand price in the store x (1 - s/100), computed in
 *              exact decimal; note = the interruption band ("<5%"). A type
 *              with no on-demand price in the store gets no spot row.
 *
 * Rows in a region other than the one asked for, Outposts rows, other
 * currencies and unknown units are skipped and counted. Prices are kept
 * as the exact published decimals (trailing zeros dropped).
 *
 * Each (offer, region) is one transaction: the rows that offer owns for
 * the region are deleted (AmazonEC2: ec2 and ebs ondemand/reserved;
 * AmazonRDS: rds ondemand/reserved; Savings Plans: ec2 savingsplan; spot:
 * ec2 spot), the new rows inserted and one price_update row per catalog
 * service added (service = catalog service, source = file URL,
 * publication = as published). Any failure (network, truncated, bad CSV,
 * HTML or JSON where CSV was expected, a missing column) rolls that
 * transaction back and leaves the previous prices in place; (offer,
 * region) pairs done before the failure stay committed.
 */
#ifndef CT_SRC_PRICELIST_H
#define CT_SRC_PRICELIST_H

#include "ct.h"

struct ct_store;

#define CT_PRICELIST_DEFAULT_SOURCE "https://pricing.us-east-1.amazonaws.com"
#define CT_PRICELIST_DEFAULT_SPOT "https://spot-bid-advisor.s3.amazonaws.com/spot-advisor-data.json"
/* The service names accepted in ct_pricelist_opts.services. */
#define CT_PRICELIST_SERVICES "AmazonEC2, AmazonRDS, AWSComputeSavingsPlan, spot"

/* What to refresh. All pointers are borrowed; a zeroed struct means the
 * defaults. */
struct ct_pricelist_opts {
	/* Base URL; NULL: CT_PRICELIST_DEFAULT_SOURCE. */
	const char *source;
	/* Spot feed URL; NULL: SOURCE/spot-advisor-data.json when source is
	 * given, else CT_PRICELIST_DEFAULT_SPOT. */
	const char *spot_source;
	/* Region codes; none: us-east-1. */
	const char *const *regions;
	size_t nregions;
	/* CT_PRICELIST_SERVICES names (any case); none: AmazonEC2 and spot.
	 * Done in the order EC2, RDS, Savings Plans, spot whatever the order
	 * here (spot rows need the on-demand prices). */
	const char *const *services;
	size_t nservices;
};

/* One refreshed (offer, catalog service, region). */
struct ct_pricelist_entry {
	/* "AmazonEC2", "AmazonRDS", "AWSComputeSavingsPlan" or "spot" */
	char *offer;
	/* catalog service: "ec2", "ebs", "rds" */
	char *service;
	char *region;
	/* URL (or file) the rows came from */
	char *source;
	/* as published ("2025-09-12T22:53:08Z"); spot: the day of the update
	 * (the feed carries no date) */
	char *publication;
	/* rows of this (offer, service, region) now in the store */
	long rows;
};

struct ct_pricelist_stats {
	struct ct_pricelist_entry *entry; /* owned */
	size_t n, cap;
	long read;	 /* price rows read from files */
	long skipped;	 /* rows not mapped (filtered out, other region) */
	long duplicates; /* rows whose key was already taken (first kept) */
};

/* Fill / free a stats record (release leaves it empty and reusable). */
void ct_pricelist_stats_init(struct ct_pricelist_stats *s);
void ct_pricelist_stats_release(struct ct_pricelist_stats *s);

/**
 * Write the summary of a run to out, one line per entry and a total:
 *   "ec2 us-east-1: 13 rows from AmazonEC2, published 2021-02-05T20:45:00Z"
 *   "price rows read: 24, skipped: 10, duplicates: 0"
 * (The caller chooses the stream; this module never writes to stderr.)
 */
void ct_pricelist_print_stats(const struct ct_pricelist_stats *s, FILE *out);

/**
 * Refresh prices for every requested service and region (see above).
 *
 * @param st     the store (borrowed).
 * @param o      what to refresh, or NULL for the defaults (borrowed).
 * @param stats  initialised by the caller; one entry is appended per
 *               refreshed (offer, service, region).
 * @return CT_OK; CT_E_USAGE for an unknown service or a malformed region
 *         code; CT_E_NET when a download fails (err names the URL);
 *         CT_E_INPUT for bad content (err names the URL and, for CSV, the
 *         line), including a region missing from a region index; CT_E_DB;
 *         CT_E_IO for temporary-file trouble.
 */
int ct_pricelist_update(struct ct_store *st, const struct ct_pricelist_opts *o,
			struct ct_pricelist_stats *stats, struct ct_err *err);

/**
 * Load one price-list CSV already on disk (plain or gzip) for one region,
 * in one transaction as described above. ct_pricelist_update() calls it
 * for each download; tests and offline use call it directly.
 *
 * @param path    the file (borrowed).
 * @param offer   "AmazonEC2", "AmazonRDS" or "AWSComputeSavingsPlan".
 * @param region  region code the rows are for.
 * @param source  name for the source column and error messages (URL);
 *                NULL: path.
 * @return CT_OK, CT_E_INPUT (err: source and line), CT_E_IO, CT_E_DB,
 *         CT_E_USAGE for an unknown offer.
 */
int ct_pricelist_load_csv(struct ct_store *st, const char *path, const char *offer,
			  const char *region, const char *source, struct ct_pricelist_stats *stats,
			  struct ct_err *err);

/**
 * Store spot rows for one region from a Spot Advisor document (JSON text,
 * borrowed), one transaction.
 *
 * @return CT_OK (also when the region is not in the feed: no rows),
 *         CT_E_INPUT when json is not a Spot Advisor document, CT_E_DB.
 */
int ct_pricelist_load_spot(struct ct_store *st, const char *json, size_t len, const char *region,
			   const char *source, struct ct_pricelist_stats *stats,
			   struct ct_err *err);

#endif
