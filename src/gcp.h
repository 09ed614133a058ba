/*
 * gcp.h - the Google Cloud billing export reader: rows of the BigQuery
 * billing export (standard gcp_billing_export_v1_* and detailed
 * gcp_billing_export_resource_v1_* tables) as CSV with flattened column
 * names ("service.description") or as newline-delimited JSON, the form
 * BigQuery exports nested rows in. Credits are folded into the row's
 * cost. How the columns map to FOCUS is in gcp.c.
 */
#ifndef CT_SRC_GCP_H
#define CT_SRC_GCP_H

#include "ct.h"

struct ct_csv;
struct ct_csv_rec;
struct ct_ingest;
struct ct_stream;

#define CT_GCP_MAX_LINE (16u << 20) /* a longer JSON line is bad input */

/* Does this CSV header look like a GCP billing export? It must have
 * billing_account_id, cost and usage_start_time (any of "_", "." or
 * nothing between words). */
bool ct_gcp_detect(const struct ct_csv_rec *hdr);

/* Does the file at path start with a JSON object line that has a
 * "billing_account_id" key (a BigQuery newline-delimited JSON export)?
 * Reads at most 64 KiB of a stream of its own; false on any error. */
bool ct_gcp_sniff_json(const char *path);

/**
 * Read every CSV row after the header and hand it to ing. A row with
 * fewer fields than the header has nulls at its end.
 *
 * @return CT_OK, or CT_E_INPUT naming the file and line, or the store's
 *         error.
 */
int ct_gcp_read_csv(struct ct_ingest *ing, struct ct_csv *csv,
		    const struct ct_csv_rec *hdr, struct ct_err *err);

/**
 * Read newline-delimited JSON rows from in (borrowed) and hand them to
 * ing; blank lines are skipped.
 *
 * @return CT_OK, or CT_E_INPUT naming the file and line (not JSON, not
 *         an object, a line over CT_GCP_MAX_LINE ...), or the stream's or
 *         the store's error.
 */
int ct_gcp_read_json(struct ct_ingest *ing, struct ct_stream *in,
		     struct ct_err *err);

#endif
