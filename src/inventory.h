/*
 * inventory.h - the resource inventory and daily metrics: readers for the
 * AWS CLI JSON outputs (ec2 describe-instances, describe-volumes,
 * describe-addresses, describe-snapshots, rds describe-db-instances, elbv2
 * describe-load-balancers and describe-target-health), CloudWatch
 * get-metric-data JSON and the metrics CSV (resource_id,timestamp,metric,
 * value), and the writer of their tables (data/schema/0003_inventory.sql).
 *
 * A file is read whole and staged in memory first (ct_inventory_read_*),
 * then written with ct_inventory_store() or dropped with
 * ct_inventory_discard(), so the caller (ingest.c) can skip a file whose
 * bytes it saw before. It depends on the store and Jansson; it never
 * begins or ends a transaction: the ingest run that owns it does.
 *
 * Account and region come from the data when it has them (OwnerId, an
 * ARN, an availability zone, NetworkBorderGroup), else from the defaults
 * (--account / --region), else from the file's path: a run of exactly 12
 * digits is the account, a word like us-east-1 or us-gov-west-1 the
 * region; else they are ''.
 */
#ifndef CT_SRC_INVENTORY_H
#define CT_SRC_INVENTORY_H

#include "ct.h"

struct ct_store;
struct ct_csv;
struct ct_csv_rec;
struct ct_inventory;

/* Largest JSON document read into memory; a larger one is bad input. */
#define CT_INVENTORY_MAX_JSON ((size_t)1 << 30)
/* Most distinct (resource, metric, day) values staged from one file. */
#define CT_INVENTORY_MAX_METRICS 20000000

/* What one file added, for the ingest summary. */
struct ct_inventory_counts {
	long resources;   /* resource rows and Compute Optimizer recommendations */
	long metric_days; /* (resource, metric, day) values */
	long targets;     /* (load balancer, target group) health rows */
};

/**
 * Start writing inventories for one ingest run.
 *
 * @param st       borrowed; a transaction must be open while storing.
 * @param batch    the run's ingest.batch number.
 * @param now_iso  the run's time (copied).
 * @return new writer (ct_inventory_free()), or NULL with CT_E_DB.
 */
struct ct_inventory *ct_inventory_new(struct ct_store *st, int64_t batch,
				      const char *now_iso, struct ct_err *err);
/* Free, finalizing its statements; NULL is allowed. */
void ct_inventory_free(struct ct_inventory *inv);

/* Account and region for data that does not say (copied; NULL = none). */
void ct_inventory_set_defaults(struct ct_inventory *inv, const char *account,
			       const char *region);

/* True when a CSV header is one this module reads: the metrics CSV
 * (resource_id, timestamp, metric and value columns, by name, any order,
 * other columns ignored), or an AWS Compute Optimizer EC2 or EBS export
 * (accountId, finding, and instanceArn or volumeArn). */
bool ct_inventory_is_csv_header(const struct ct_csv_rec *hdr);

/**
 * Parse one JSON document (an AWS CLI output, detected from its top-level
 * keys) and stage its rows.
 *
 * @param source  file name for errors and the source column (copied).
 * @param text    borrowed, len bytes.
 * @return CT_OK, or CT_E_INPUT with err naming source (and the line of a
 *         JSON syntax error); nothing is staged then.
 */
int ct_inventory_read_json(struct ct_inventory *inv, const char *source,
			   const char *text, size_t len, struct ct_err *err);

/**
 * Read the rows of a CSV after its header and stage them: a metrics CSV
 * summed up per (resource, metric, UTC day), or a Compute Optimizer
 * export (one recommendation per resource; a later row of the same
 * resource replaces an earlier one).
 *
 * @param csv  borrowed, positioned after hdr.
 * @return CT_OK, or a negative status with err naming source and line.
 */
int ct_inventory_read_csv(struct ct_inventory *inv, const char *source,
			  struct ct_csv *csv, const struct ct_csv_rec *hdr,
			  struct ct_err *err);

/* True when the last ct_inventory_read_json() failed because the JSON is
 * valid but none of the known shapes (no recognised top-level key). */
bool ct_inventory_unknown_shape(const struct ct_inventory *inv);

/* Format label of the staged file ("aws-ec2-instances" ...), static. */
const char *ct_inventory_format(const struct ct_inventory *inv);

/* Drop what is staged. */
void ct_inventory_discard(struct ct_inventory *inv);

/**
 * Write what is staged (replacing earlier runs' inventories and metrics
 * as the schema describes) with an inventory_file row for it, and empty
 * the stage.
 *
 * @param checksum  of the file's bytes (borrowed), for inventory_file.
 *
 * @param out  filled with what was written (may be NULL).
 * @return CT_OK, or CT_E_DB.
 */
int ct_inventory_store(struct ct_inventory *inv, const char *checksum,
		       struct ct_inventory_counts *out, struct ct_err *err);

/* Metric name as stored for a CloudWatch MetricName or a stored name
 * (CPUUtilization -> cpu_avg_pct, NetworkIn -> net_in_bytes, NetworkOut
 * -> net_out_bytes, DatabaseConnections -> db_connections; others as
 * given), and whether its daily value is the sum (true) or the average.
 * @return borrowed: a static string or name itself. */
const char *ct_inventory_metric_name(const char *name, bool *is_sum);

/* Length of an AWS region name (us-east-1, ap-southeast-2, us-gov-west-1)
 * at the start of s, 0 when there is none. */
size_t ct_inventory_region_len(const char *s);

#endif
