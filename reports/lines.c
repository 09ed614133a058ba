/*
 * lines.c - one billing month's lines, streamed (see lines.h).
 *
 * Reads the line, ingest and profile tables the way the view focus_line
 * joins them, but walks the month's ingests first and then each one's
 * rowid range of lines (a line's rowid is (ingest id << 32) + sequence,
 * data/schema/0001_init.sql), so the cost is the month's lines and not a
 * scan of every line in the store; that order is also the output order.
 * Tag values are point lookups in profile_tag's primary key. The SQL text
 * holds placeholders only; values are bound. Depends on store.h; never
 * prints.
 */
#include "ct.h"
#include "lines.h"
#include "store.h"

/* The columns, in the order the statement returns them. */
enum {
	C_START,
	C_END,
	C_BILLED,
	C_EFFECTIVE,
	C_LIST,
	C_PQTY,
	C_CQTY,
	C_PROVIDER,
	C_BACCOUNT,
	C_SUBACCOUNT,
	C_SUBNAME,
	C_SVCCAT,
	C_SVC,
	C_REGION,
	C_AZ,
	C_RESID,
	C_RESNAME,
	C_RESTYPE,
	C_CHARGECAT,
	C_CHARGEDESC,
	C_SKU,
	C_PUNIT,
	C_CURRENCY,
	C_TAGS,
	C_FIRST_TAG
};

static const char select_sql[] =
	"SELECT l.charge_start, l.charge_end, l.billed_cost, l.effective_cost,"
	" l.list_cost, l.pricing_quantity, l.consumed_quantity,"
	" p.provider_name, p.billing_account_id, p.sub_account_id,"
	" p.sub_account_name, p.service_category, p.service_name, p.region_id,"
	" p.availability_zone, p.resource_id, p.resource_name, p.resource_type,"
	" p.charge_category, p.charge_description, p.sku_id, p.pricing_unit,"
	" p.billing_currency, p.tags";
static const char tag_sql[] = ", (SELECT t.value FROM profile_tag t WHERE t.profile_id = p.id"
			      " AND t.key_norm = ?%zu)";
static const char from_sql[] =
	" FROM ingest i"
	" CROSS JOIN line l ON l.id >= (i.id << 32) AND l.id < ((i.id + 1) << 32)"
	" CROSS JOIN profile p ON p.id = l.profile_id"
	" WHERE i.billing_period = ?1"
	" ORDER BY i.id, l.id";

int ct_lines_count(struct ct_store *st, const char *month, long *n, struct ct_err *err)
{
	struct ct_stmt *q = ct_store_prepare(
		st,
		"SELECT count(*) FROM ingest i"
		" CROSS JOIN line l ON l.id >= (i.id << 32) AND l.id < ((i.id + 1) << 32)"
		" WHERE i.billing_period = ?1",
		err);
	int rc;

	if (!q)
		return CT_E_DB;
	ct_stmt_bind_str(q, 1, month);
	rc = ct_stmt_step(q, err);
	if (rc == 1)
		*n = (long)ct_stmt_int64(q, 0);
	ct_stmt_finalize(q);
	return rc == 1 ? CT_OK : CT_E_DB;
}

/* NULL for SQL NULL and for the empty string (an empty CSV field). */
static const char *text_or_null(struct ct_stmt *q, int col)
{
	const char *s = ct_stmt_text(q, col);

	return s && *s ? s : NULL;
}

int ct_lines_each(struct ct_store *st, const char *month, const char *const *tags, size_t ntags,
		  ct_lines_fn fn, void *arg, struct ct_err *err)
{
	struct ct_stmt *q = NULL;
	char *sql = NULL, *norm[CT_LINES_MAX_TAGS] = {0};
	struct ct_lines_row l;
	size_t k;
	int rc = CT_OK, step;

	if (ntags > CT_LINES_MAX_TAGS)
		return ct_err_set(err, CT_E_USAGE, NULL, 0,
				  "at most %d tag keys for the line items, not %zu",
				  CT_LINES_MAX_TAGS, ntags);
	sql = ct_xstrdup(select_sql);
	for (k = 0; k < ntags; k++) {
		char *part = ct_xasprintf(tag_sql, k + 2);
		char *next = ct_xasprintf("%s%s", sql, part);

		free(part);
		free(sql);
		sql = next;
	}
	{
		char *next = ct_xasprintf("%s%s", sql, from_sql);
		free(sql);
		sql = next;
	}
	q = ct_store_prepare(st, sql, err);
	if (!q) {
		rc = CT_E_DB;
		goto out;
	}
	ct_stmt_bind_str(q, 1, month);
	for (k = 0; k < ntags; k++) {
		/* profile_tag.key_norm is lower case; match as report.c does */
		norm[k] = ct_xstrdup(tags[k] ? tags[k] : "");
		for (char *p = norm[k]; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		ct_stmt_bind_str(q, (int)k + 2, norm[k]);
	}
	while ((step = ct_stmt_step(q, err)) == 1) {
		memset(&l, 0, sizeof(l));
		l.charge_start = ct_stmt_int64(q, C_START);
		l.charge_end = ct_stmt_int64(q, C_END);
		l.billed = ct_stmt_int64(q, C_BILLED);
		l.effective = ct_stmt_int64(q, C_EFFECTIVE);
		l.has_list = !ct_stmt_is_null(q, C_LIST);
		l.list = l.has_list ? ct_stmt_int64(q, C_LIST) : 0;
		l.has_pricing_quantity = !ct_stmt_is_null(q, C_PQTY);
		l.pricing_quantity = l.has_pricing_quantity ? ct_stmt_double(q, C_PQTY) : 0;
		l.has_consumed_quantity = !ct_stmt_is_null(q, C_CQTY);
		l.consumed_quantity = l.has_consumed_quantity ? ct_stmt_double(q, C_CQTY) : 0;
		l.provider = text_or_null(q, C_PROVIDER);
		l.billing_account_id = text_or_null(q, C_BACCOUNT);
		l.sub_account_id = text_or_null(q, C_SUBACCOUNT);
		l.sub_account_name = text_or_null(q, C_SUBNAME);
		l.service_category = text_or_null(q, C_SVCCAT);
		l.service_name = text_or_null(q, C_SVC);
		l.region_id = text_or_null(q, C_REGION);
		l.availability_zone = text_or_null(q, C_AZ);
		l.resource_id = text_or_null(q, C_RESID);
		l.resource_name = text_or_null(q, C_RESNAME);
		l.resource_type = text_or_null(q, C_RESTYPE);
		l.charge_category = text_or_null(q, C_CHARGECAT);
		l.charge_description = text_or_null(q, C_CHARGEDESC);
		l.sku_id = text_or_null(q, C_SKU);
		l.pricing_unit = text_or_null(q, C_PUNIT);
		l.currency = text_or_null(q, C_CURRENCY);
		l.tags = text_or_null(q, C_TAGS);
		for (k = 0; k < ntags; k++)
			l.tag[k] = text_or_null(q, C_FIRST_TAG + (int)k);
		if ((rc = fn(arg, &l, err)) != CT_OK)
			goto out;
	}
	if (step < 0)
		rc = CT_E_DB;
out:
	ct_stmt_finalize(q);
	for (k = 0; k < ntags && k < CT_LINES_MAX_TAGS; k++)
		free(norm[k]);
	free(sql);
	return rc;
}
