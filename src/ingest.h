/*
 * ingest.h - loading billing lines into the store, whatever their source
 * format.
 *
 * A format reader (focus.c, cur.c, azure.c, gcp.c, oci.c) turns each input
 * row into a struct ct_line and hands it to ct_ingest_line(). This module
 * owns everything after that: one transaction for the whole run, the
 * restatement rule (a (provider, billing account, billing period) already
 * in the store from an earlier run is replaced, never added to), profile
 * deduplication, the daily rollup and the ingest records. Readers never
 * touch the store themselves.
 *
 * Threads: ct_ingest_file() runs the format reader on a thread of its own
 * while the calling thread stores what it has read, so a format reader
 * must keep to its input, its own memory and ct_ingest_line() /
 * ct_ingest_set_line(). Every other function here, and the progress
 * callback, runs on the thread that called ct_ingest_begin().
 */
#ifndef CT_SRC_INGEST_H
#define CT_SRC_INGEST_H

#include "ct.h"

struct ct_store;
struct ct_stream;

/* Longest BillingCurrency accepted: ISO 4217 codes have 3 letters, FOCUS
 * 1.2 virtual currencies are short names ("Credits"). */
#define CT_CURRENCY_MAX 16

/* Descriptive columns of a line, in the order of the profile table. */
enum ct_dim {
	CT_DIM_PROVIDER_NAME,
	CT_DIM_PUBLISHER_NAME,
	CT_DIM_INVOICE_ISSUER_NAME,
	CT_DIM_BILLING_ACCOUNT_ID,
	CT_DIM_BILLING_ACCOUNT_NAME,
	CT_DIM_BILLING_ACCOUNT_TYPE,
	CT_DIM_SUB_ACCOUNT_ID,
	CT_DIM_SUB_ACCOUNT_NAME,
	CT_DIM_SUB_ACCOUNT_TYPE,
	CT_DIM_BILLING_CURRENCY,
	CT_DIM_PRICING_CURRENCY,
	CT_DIM_INVOICE_ID,
	CT_DIM_CHARGE_CATEGORY,
	CT_DIM_CHARGE_CLASS,
	CT_DIM_CHARGE_FREQUENCY,
	CT_DIM_CHARGE_DESCRIPTION,
	CT_DIM_PRICING_CATEGORY,
	CT_DIM_PRICING_UNIT,
	CT_DIM_CONSUMED_UNIT,
	CT_DIM_SERVICE_NAME,
	CT_DIM_SERVICE_CATEGORY,
	CT_DIM_SERVICE_SUBCATEGORY,
	CT_DIM_REGION_ID,
	CT_DIM_REGION_NAME,
	CT_DIM_AVAILABILITY_ZONE,
	CT_DIM_RESOURCE_ID,
	CT_DIM_RESOURCE_NAME,
	CT_DIM_RESOURCE_TYPE,
	CT_DIM_SKU_ID,
	CT_DIM_SKU_PRICE_ID,
	CT_DIM_SKU_METER,
	CT_DIM_SKU_PRICE_DETAILS,
	CT_DIM_COMMITMENT_DISCOUNT_ID,
	CT_DIM_COMMITMENT_DISCOUNT_NAME,
	CT_DIM_COMMITMENT_DISCOUNT_CATEGORY,
	CT_DIM_COMMITMENT_DISCOUNT_STATUS,
	CT_DIM_COMMITMENT_DISCOUNT_TYPE,
	CT_DIM_COMMITMENT_DISCOUNT_UNIT,
	CT_DIM_CAPACITY_RESERVATION_ID,
	CT_DIM_CAPACITY_RESERVATION_STATUS,
	CT_DIM_TAGS,
	CT_DIM__N
};

/* Snake-case column names of the dimensions, in enum order (the columns
 * of the SQLite profile table and of the ClickHouse line table). */
extern const char *const ct_ingest_dim_columns[CT_DIM__N];

/* The column list (name Type, ...) of the ClickHouse line table: the
 * load key, the facts, every dimension and the tags as three parallel
 * arrays tag_key (normalised), tag_name (as written) and tag_value.
 * Borrowed, static. */
const char *ct_ingest_ch_columns(void);

/* Optional numeric facts of a line. */
enum ct_qty {
	CT_QTY_PRICING_QUANTITY,
	CT_QTY_CONSUMED_QUANTITY,
	CT_QTY_LIST_UNIT_PRICE,
	CT_QTY_CONTRACTED_UNIT_PRICE,
	CT_QTY_COMMITMENT_DISCOUNT_QUANTITY,
	CT_QTY__N
};

/* One normalised billing line. All strings are borrowed for the call. */
struct ct_line {
	const char *dim[CT_DIM__N]; /* NULL = null */
	size_t dimlen[CT_DIM__N];
	int64_t billing_period_start; /* unix seconds */
	int64_t billing_period_end;
	int64_t charge_start;
	int64_t charge_end;
	ct_money billed;
	ct_money effective;
	ct_money list;       /* valid when has_list */
	ct_money contracted; /* valid when has_contracted */
	bool has_list;
	bool has_contracted;
	double qty[CT_QTY__N];
	bool has_qty[CT_QTY__N];
};

/* What one run loaded, for the summary printed by `cloudtally ingest`. */
struct ct_ingest_stats {
	long files;
	long lines;
	long replaced_lines; /* lines of earlier runs replaced by restatement */
	long duplicates;     /* files skipped: same bytes as a file of this run */
	ct_money billed;
	long resources;      /* inventory rows (src/inventory.h) */
	long metric_days;    /* (resource, metric, day) metric values */
	long targets;        /* load balancer target health rows */
	long skipped;        /* JSON files of no known shape skipped */
};

struct ct_ingest;

/**
 * Start an ingest run: opens the one write transaction.
 *
 * @param st  borrowed; must outlive the run.
 * @return new run, or NULL with CT_E_DB.
 */
struct ct_ingest *ct_ingest_begin(struct ct_store *st, struct ct_err *err);

/**
 * Read one file (or "-") and load its lines; the format is detected from
 * the content unless format names one ("focus", "cur", "cur2", "azure",
 * "gcp", "oci"): a file whose first non-blank byte is '{' is a GCP
 * billing export as newline-delimited JSON when its first line is a row
 * with billing_account_id, else an AWS CLI JSON inventory or metrics
 * output; a CSV header resource_id,timestamp,metric,value is the metrics
 * CSV (both go to src/inventory.c); other CSV a billing export: FOCUS,
 * AWS CUR (legacy, Athena or 2.0), OCI, GCP or Azure, by its header.
 * Standard input is CSV only.
 *
 * @return CT_OK, or a negative status with err naming the file and line.
 *         After a failure the run must be ended with ct_ingest_abort().
 */
int ct_ingest_file(struct ct_ingest *ing, const char *path, const char *format,
		   struct ct_err *err);

/**
 * The name later ct_ingest_file() calls give their file in messages and
 * in the store (a URL whose download is read from a temporary file), or
 * NULL for the path itself. name is borrowed: it must live until the
 * next call or the end of the run.
 */
void ct_ingest_set_name(struct ct_ingest *ing, const char *name);

/**
 * Add one line (called by format readers). The line is copied, so its
 * strings need only live for the call.
 *
 * Within ct_ingest_file() the line is queued and stored later: a failure
 * to store it (CT_E_INPUT such as Tags that are not a JSON object, naming
 * the file and the line's input line, or CT_E_DB) comes back from
 * ct_ingest_file(), and a later ct_ingest_line() call fails so that the
 * reader stops; a reader must return as soon as a call fails. Called
 * outside ct_ingest_file(), the line is stored at once and a failure is
 * returned here.
 *
 * @return CT_OK or a negative status (see above).
 */
int ct_ingest_line(struct ct_ingest *ing, const struct ct_line *ln,
		   struct ct_err *err);

/* Account and region for inventories whose data does not say (copied;
 * NULL = none; see inventory.h). */
void ct_ingest_set_defaults(struct ct_ingest *ing, const char *account,
			    const char *region);

/* When on, a JSON file that parses but has none of the known shapes is
 * skipped (counted in stats.skipped) instead of being CT_E_INPUT: for
 * files found in a folder, next to other JSON. Off at the start. */
void ct_ingest_set_skip_unknown(struct ct_ingest *ing, bool on);

/* Running totals of the run so far. */
void ct_ingest_get_stats(const struct ct_ingest *ing, struct ct_ingest_stats *out);
/* Format label of the last file read ("focus-1.0" ...), static string. */
const char *ct_ingest_last_format(const struct ct_ingest *ing);
/* True when the last file read went to a billing reader (its lines count
 * in stats.lines), false for inventories, metrics and skipped files. */
bool ct_ingest_last_was_billing(const struct ct_ingest *ing);

/* Warning callback: a message (borrowed for the call) about data that
 * is probably not what the user meant, e.g. a restatement that no longer
 * covers a sub-account the replaced month had. Called before the commit. */
typedef void ct_ingest_warn_fn(void *ctx, const char *msg);
void ct_ingest_set_warn(struct ct_ingest *ing, ct_ingest_warn_fn *fn, void *ctx);

/* Commit the run. @return CT_OK or CT_E_DB. The run is freed either way. */
int ct_ingest_commit(struct ct_ingest *ing, struct ct_ingest_stats *stats,
		     struct ct_err *err);
/* Roll back and free; NULL is allowed. The store is as before the run. */
void ct_ingest_abort(struct ct_ingest *ing);

/* Progress callback: called every few tens of thousands of lines stored
 * with the file, raw bytes read so far, the file size (0 unknown) and
 * lines. */
typedef void ct_ingest_progress_fn(void *ctx, const char *source,
				   uint64_t pos, uint64_t size, long lines);
void ct_ingest_set_progress(struct ct_ingest *ing, ct_ingest_progress_fn *fn,
			    void *ctx);

/* Set by format readers: the input line of the line being added, for
 * error messages. */
void ct_ingest_set_line(struct ct_ingest *ing, long line);

#endif
