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
 *
 * On ClickHouse the same columns come from the line table, an ingest at a
 * time in pages of CH_PAGE lines by sequence number (a query's rows are
 * held in memory), in the same order.
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

#define CH_PAGE 200000

static const char ch_select_sql[] =
	"SELECT charge_start, charge_end, billed_cost, effective_cost,"
	" list_cost, pricing_quantity, consumed_quantity,"
	" provider_name, billing_account_id, sub_account_id,"
	" sub_account_name, service_category, service_name, region_id,"
	" availability_zone, resource_id, resource_name, resource_type,"
	" charge_category, charge_description, sku_id, pricing_unit,"
	" billing_currency, tags";
static const char ch_tag_sql[] = ", if(has(tag_key, ?%zu), tag_value[indexOf(tag_key, ?%zu)], NULL)";
/* ?1 month, tags from ?2, then ingest id, first and last seq */
static const char ch_from_sql[] =
	" FROM line WHERE billing_period = ?1 AND ingest_id = ?%zu AND seq > ?%zu"
	" AND seq <= ?%zu ORDER BY seq";

int ct_lines_count(struct ct_store *st, const char *month, long *n, struct ct_err *err)
{
	struct ct_stmt *q = ct_store_prepare_ch(
		st,
		"SELECT count(*) FROM ingest i"
		" CROSS JOIN line l ON l.id >= (i.id << 32) AND l.id < ((i.id + 1) << 32)"
		" WHERE i.billing_period = ?1",
		"SELECT count() FROM line WHERE billing_period = ?1",
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

static void fill_row(struct ct_stmt *q, struct ct_lines_row *l, size_t ntags)
{
	size_t k;

	memset(l, 0, sizeof(*l));
	l->charge_start = ct_stmt_int64(q, C_START);
	l->charge_end = ct_stmt_int64(q, C_END);
	l->billed = ct_stmt_int64(q, C_BILLED);
	l->effective = ct_stmt_int64(q, C_EFFECTIVE);
	l->has_list = !ct_stmt_is_null(q, C_LIST);
	l->list = l->has_list ? ct_stmt_int64(q, C_LIST) : 0;
	l->has_pricing_quantity = !ct_stmt_is_null(q, C_PQTY);
	l->pricing_quantity = l->has_pricing_quantity ? ct_stmt_double(q, C_PQTY) : 0;
	l->has_consumed_quantity = !ct_stmt_is_null(q, C_CQTY);
	l->consumed_quantity = l->has_consumed_quantity ? ct_stmt_double(q, C_CQTY) : 0;
	l->provider = text_or_null(q, C_PROVIDER);
	l->billing_account_id = text_or_null(q, C_BACCOUNT);
	l->sub_account_id = text_or_null(q, C_SUBACCOUNT);
	l->sub_account_name = text_or_null(q, C_SUBNAME);
	l->service_category = text_or_null(q, C_SVCCAT);
	l->service_name = text_or_null(q, C_SVC);
	l->region_id = text_or_null(q, C_REGION);
	l->availability_zone = text_or_null(q, C_AZ);
	l->resource_id = text_or_null(q, C_RESID);
	l->resource_name = text_or_null(q, C_RESNAME);
	l->resource_type = text_or_null(q, C_RESTYPE);
	l->charge_category = text_or_null(q, C_CHARGECAT);
	l->charge_description = text_or_null(q, C_CHARGEDESC);
	l->sku_id = text_or_null(q, C_SKU);
	l->pricing_unit = text_or_null(q, C_PUNIT);
	l->currency = text_or_null(q, C_CURRENCY);
	l->tags = text_or_null(q, C_TAGS);
	for (k = 0; k < ntags; k++)
		l->tag[k] = text_or_null(q, C_FIRST_TAG + (int)k);
}

/* Bind the month (?1) and the tag keys (?2...), lower-cased as the
 * stores keep them (norm gets the copies, freed by the caller). */
static void bind_month_tags(struct ct_stmt *q, const char *month, const char *const *tags,
			    size_t ntags, char **norm)
{
	ct_stmt_bind_str(q, 1, month);
	for (size_t k = 0; k < ntags; k++) {
		free(norm[k]);
		norm[k] = ct_xstrdup(tags[k] ? tags[k] : "");
		for (char *p = norm[k]; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		ct_stmt_bind_str(q, (int)k + 2, norm[k]);
	}
}

/* ClickHouse: each ingest of the month, a page of lines at a time. */
static int ch_each(struct ct_store *st, const char *month, const char *sql, char **norm,
		   const char *const *tags, size_t ntags, ct_lines_fn fn, void *arg,
		   struct ct_err *err)
{
	struct ct_stmt *ids = NULL, *q = NULL;
	struct ct_lines_row l;
	int64_t *idv = NULL, *rows = NULL;
	size_t nid = 0, cap = 0;
	int rc = CT_OK, step;

	ids = ct_store_prepare_ch(st, NULL,
		"SELECT id, rows FROM ingest WHERE billing_period = ?1 ORDER BY id", err);
	if (!ids)
		return CT_E_DB;
	ct_stmt_bind_str(ids, 1, month);
	while ((step = ct_stmt_step(ids, err)) == 1) {
		if (nid == cap) {
			cap = cap ? cap * 2 : 16;
			idv = ct_xrealloc(idv, cap * sizeof(*idv));
			rows = ct_xrealloc(rows, cap * sizeof(*rows));
		}
		idv[nid] = ct_stmt_int64(ids, 0);
		rows[nid++] = ct_stmt_int64(ids, 1);
	}
	ct_stmt_finalize(ids);
	if (step < 0) {
		rc = CT_E_DB;
		goto out;
	}
	q = ct_store_prepare_ch(st, NULL, sql, err);
	if (!q) {
		rc = CT_E_DB;
		goto out;
	}
	bind_month_tags(q, month, tags, ntags, norm);
	for (size_t i = 0; rc == CT_OK && i < nid; i++) {
		for (int64_t lo = 0; rc == CT_OK && lo < rows[i]; lo += CH_PAGE) {
			ct_stmt_bind_int64(q, (int)ntags + 2, idv[i]);
			ct_stmt_bind_int64(q, (int)ntags + 3, lo);
			ct_stmt_bind_int64(q, (int)ntags + 4, lo + CH_PAGE);
			while ((step = ct_stmt_step(q, err)) == 1) {
				fill_row(q, &l, ntags);
				if ((rc = fn(arg, &l, err)) != CT_OK)
					break;
			}
			if (step < 0)
				rc = CT_E_DB;
			ct_stmt_reset(q);
		}
	}
out:
	ct_stmt_finalize(q);
	free(idv);
	free(rows);
	return rc;
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
	bool ch = ct_store_is_clickhouse(st);

	sql = ct_xstrdup(ch ? ch_select_sql : select_sql);
	for (k = 0; k < ntags; k++) {
		char *part = ch ? ct_xasprintf(ch_tag_sql, k + 2, k + 2)
				: ct_xasprintf(tag_sql, k + 2);
		char *next = ct_xasprintf("%s%s", sql, part);

		free(part);
		free(sql);
		sql = next;
	}
	{
		char *next = ch ? ct_xasprintf("%s" "%s", sql, ch_from_sql)
				: ct_xasprintf("%s%s", sql, from_sql);
		free(sql);
		sql = next;
		if (ch) {
			next = ct_xasprintf(sql, ntags + 2, ntags + 3, ntags + 4);
			free(sql);
			sql = next;
		}
	}
	if (ch) {
		rc = ch_each(st, month, sql, norm, tags, ntags, fn, arg, err);
		goto out;
	}
	q = ct_store_prepare(st, sql, err);
	if (!q) {
		rc = CT_E_DB;
		goto out;
	}
	bind_month_tags(q, month, tags, ntags, norm);
	while ((step = ct_stmt_step(q, err)) == 1) {
		fill_row(q, &l, ntags);
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
