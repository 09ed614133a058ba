/*
 * cur.h - the AWS Cost and Usage Report reader: legacy CUR
 * ("lineItem/UnblendedCost" headers), the same columns as Athena and
 * Parquet-to-CSV tools write them ("line_item_unblended_cost"), and CUR
 * 2.0 from AWS Data Exports (snake_case with map columns resource_tags
 * and product). How line item types map to FOCUS is in cur.c.
 */
#ifndef CT_SRC_CUR_H
#define CT_SRC_CUR_H

#include "ct.h"

struct ct_csv;
struct ct_csv_rec;
struct ct_ingest;

/**
 * Does this header row look like an AWS CUR of any of the three kinds?
 * It must have the unblended cost, the line item's usage start (or the
 * time interval) and the payer or usage account.
 *
 * @param label  set to "aws-cur", "aws-cur-athena" or "aws-cur-2.0"
 *               (static string).
 */
bool ct_cur_detect(const struct ct_csv_rec *hdr, const char **label);

/**
 * Read every row after the header and hand it to ing. Columns are found
 * by name in any of the spellings above and in any order; a column a
 * month does not have is null. A row with fewer fields than the header
 * has nulls at its end; one with more is bad input.
 *
 * @return CT_OK, or CT_E_INPUT naming the file and line (a missing
 *         required column, a cost that is not a number, a bad time ...),
 *         or the store's error.
 */
int ct_cur_read(struct ct_ingest *ing, struct ct_csv *csv,
		const struct ct_csv_rec *hdr, struct ct_err *err);

#endif
