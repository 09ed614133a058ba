/*
 * lines.h - reading back one billing month's lines, one at a time, for
 * the "Line items" sheets of the workbook (render_xlsx.c).
 *
 * The month's lines are every line of the ingests whose BillingPeriodStart
 * falls in that month (whatever their currency), in ingest order and then
 * file order, which is stable from run to run. The reader holds the SQL;
 * callers get plain values through a callback, so a month of millions of
 * lines is never in memory at once. It never prints and never writes.
 */
#ifndef CT_REPORTS_LINES_H
#define CT_REPORTS_LINES_H

#include "ct.h"

struct ct_store;

/* Allocation tag keys a reader can look up per line. */
#define CT_LINES_MAX_TAGS 32

/* One billing line. Strings are borrowed, valid only during the callback,
 * and NULL when the file left the column empty. */
struct ct_lines_row {
	int64_t charge_start, charge_end; /* unix seconds */
	const char *provider;
	const char *billing_account_id;
	const char *sub_account_id, *sub_account_name;
	const char *service_category, *service_name;
	const char *region_id, *availability_zone;
	const char *resource_id, *resource_name, *resource_type;
	const char *charge_category, *charge_description;
	const char *sku_id, *pricing_unit;
	const char *currency; /* BillingCurrency */
	const char *tags;     /* the Tags JSON object as the file gave it */
	double pricing_quantity, consumed_quantity;
	bool has_pricing_quantity, has_consumed_quantity;
	ct_money billed, effective, list;
	bool has_list;
	/* the value of each requested tag key (matched like the report does,
	 * without regard to ASCII case); NULL when the line lacks it */
	const char *tag[CT_LINES_MAX_TAGS];
};

/* Called once per line, in order. Return CT_OK to go on; anything else
 * stops the walk and is returned by ct_lines_each() (set err first). */
typedef int (*ct_lines_fn)(void *arg, const struct ct_lines_row *l, struct ct_err *err);

/**
 * Count the lines of billing month month ("YYYY-MM") in st (borrowed), the
 * ones ct_lines_each() walks.
 *
 * @return CT_OK and *n, or CT_E_DB.
 */
int ct_lines_count(struct ct_store *st, const char *month, long *n, struct ct_err *err);

/**
 * Walk the lines of billing month month ("YYYY-MM") in st (borrowed),
 * calling fn(arg, line, err) for each.
 *
 * @param tags   ntags allocation keys (borrowed) whose values fill
 *               line->tag[]; at most CT_LINES_MAX_TAGS
 * @return CT_OK after the last line (a month without lines calls fn never),
 *         CT_E_USAGE for too many tag keys, CT_E_DB, or what fn returned.
 */
int ct_lines_each(struct ct_store *st, const char *month, const char *const *tags, size_t ntags,
		  ct_lines_fn fn, void *arg, struct ct_err *err);

#endif
