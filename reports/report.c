/*
 * report.c - builds the monthly report model from the store (see
 * report.h). All of the report's SQL is here, in one place. On SQLite it
 * reads the daily rollup (line_day) rather than the lines, which keeps a
 * month of millions of lines fast; on ClickHouse each query has a twin
 * (CH_*) that aggregates the line table there and returns only the
 * result rows. Both give the same rows in the same order: ClickHouse
 * 18.16 has no window functions and no ORDER BY position, so the twins
 * use aliases, LIMIT BY and joins instead; NULL sorts first as in SQLite.
 *
 * Attribution rules: a line belongs to the month of its BillingPeriodStart
 * (the invoice the provider bills it on) and to the day its
 * ChargePeriodStart falls on.
 */
#include "ct.h"
#include "report.h"
#include "recommend.h"
#include "budget.h"
#include "k8s_cost.h"
#include "clock.h"
#include "money.h"
#include "store.h"

#include <math.h>

static const char *const default_tags[] = {"CostCenter", "Environment", "Owner",
					   "Application"};

/* Common FROM/WHERE over the rollup: ?1 = month, ?2 = previous month,
 * ?3 = currency. */
#define FROM_MONTHS                                                            \
	" FROM temp.rp d CROSS JOIN profile p ON p.id = d.profile_id"          \
	" WHERE d.billing_period IN (?1, ?2)"                                  \
	" AND coalesce(p.billing_currency, '') = ?3"
#define SUM_M " sum(CASE WHEN d.billing_period = ?1 THEN d.billed_cost ELSE 0 END)"
#define SUM_ME " sum(CASE WHEN d.billing_period = ?1 THEN d.effective_cost ELSE 0 END)"
#define SUM_P " sum(CASE WHEN d.billing_period = ?2 THEN d.billed_cost ELSE 0 END)"

/* ClickHouse: the months and currency, and the month sums. */
#define CH_WHERE                                                               \
	" FROM line WHERE billing_period IN (?1, ?2)"                          \
	" AND ifNull(billing_currency, '') = ?3"
#define CH_SUMS                                                                \
	" sumIf(billed_cost, billing_period = ?1) AS m,"                       \
	" sumIf(effective_cost, billing_period = ?1) AS me,"                   \
	" sumIf(billed_cost, billing_period = ?2) AS pv"
#define CH_LIST(key, name)                                                     \
	"SELECT " key " AS k, " name " AS n, NULL AS cat," CH_SUMS CH_WHERE           \
	" GROUP BY k HAVING m != 0 OR pv != 0 ORDER BY m DESC, pv DESC, k"

static void bind_std(struct ct_stmt *q, const struct ct_report *r)
{
	ct_stmt_bind_str(q, 1, r->month);
	ct_stmt_bind_str(q, 2, r->prev_month);
	ct_stmt_bind_str(q, 3, r->currency);
}

static char *dup_or_null(const char *s)
{
	return s ? ct_xstrdup(s) : NULL;
}

static int load_list(struct ct_store *st, const struct ct_report *r,
		     const char *sql, const char *ch_sql,
		     struct ct_report_list *out, struct ct_err *err)
{
	struct ct_stmt *q = ct_store_prepare_ch(st, sql, ch_sql, err);
	size_t cap = 0;
	int rc;

	if (!q)
		return CT_E_DB;
	bind_std(q, r);
	while ((rc = ct_stmt_step(q, err)) == 1) {
		struct ct_report_item *it;
		CT_GROW(out->v, out->n + 1, cap);
		it = &out->v[out->n++];
		it->id = ct_xstrdup(ct_stmt_text(q, 0) ? ct_stmt_text(q, 0) : "");
		it->name = dup_or_null(ct_stmt_text(q, 1));
		it->category = dup_or_null(ct_stmt_text(q, 2));
		it->billed = ct_stmt_int64(q, 3);
		it->effective = ct_stmt_int64(q, 4);
		it->prev_billed = ct_stmt_int64(q, 5);
	}
	ct_stmt_finalize(q);
	return rc < 0 ? CT_E_DB : CT_OK;
}

/* Choose the month: the given one, else the latest complete billing
 * period, else the latest one. */
static int pick_month(struct ct_store *st, const struct ct_report_opts *o,
		      struct ct_report *r, struct ct_err *err)
{
	struct ct_stmt *q;
	int y, rc;
	unsigned m;
	char day[11];

	if (o->month) {
		if (ct_clock_parse_month(o->month, &y, &m) != CT_OK)
			return ct_err_set(err, CT_E_USAGE, NULL, 0,
					  "--month wants YYYY-MM, not '%s'", o->month);
		snprintf(r->month, sizeof(r->month), "%s", o->month);
	} else {
		q = ct_store_prepare_ch(st,
			"SELECT billing_period FROM ingest GROUP BY billing_period "
			"ORDER BY max(period_end) <= ?1 DESC, billing_period DESC LIMIT 1",
			"SELECT billing_period, max(period_end) <= ?1 AS done FROM ingest"
			" GROUP BY billing_period ORDER BY done DESC, billing_period DESC"
			" LIMIT 1", err);
		if (!q)
			return CT_E_DB;
		ct_stmt_bind_int64(q, 1, o->now);
		rc = ct_stmt_step(q, err);
		if (rc == 1)
			snprintf(r->month, sizeof(r->month), "%s", ct_stmt_text(q, 0));
		ct_stmt_finalize(q);
		if (rc < 0)
			return CT_E_DB;
		if (rc == 0)
			return ct_err_set(err, CT_E_INPUT, ct_store_path(st), 0,
					  "the store holds no billing data yet "
					  "(run 'cloudtally ingest FILE')");
		ct_clock_parse_month(r->month, &y, &m);
	}
	r->days_in_month = ct_clock_days_in_month(y, m);
	ct_clock_format_day(ct_clock_days_from_civil(m == 1 ? y - 1 : y,
						     m == 1 ? 12u : m - 1, 1),
			    day);
	memcpy(r->prev_month, day, 7);
	r->prev_month[7] = '\0';
	return CT_OK;
}

static void add_note(struct ct_report *r, char *note)
{
	r->notes = ct_xrealloc(r->notes, (r->nnotes + 1) * sizeof(*r->notes));
	r->notes[r->nnotes++] = note;
}

/* Sum the daily rollup of the month and the month before by profile into
 * the temporary table rp: one scan of line_day, after which every
 * breakdown reads a table the size of the profile count. */
static int month_rollup(struct ct_store *st, struct ct_report *r,
			struct ct_err *err)
{
	struct ct_stmt *q;
	int rc;

	if (ct_store_is_clickhouse(st))
		return CT_OK; /* the twins read the line table */
	if (ct_store_exec(st,
			  "CREATE TEMP TABLE IF NOT EXISTS rp (billing_period TEXT,"
			  " profile_id INTEGER, lines INTEGER, billed_cost INTEGER,"
			  " effective_cost INTEGER, PRIMARY KEY (profile_id, billing_period));"
			  "DELETE FROM temp.rp;", err) != CT_OK)
		return CT_E_DB;
	q = ct_store_prepare(st,
		"INSERT INTO temp.rp SELECT i.billing_period, d.profile_id, sum(d.lines),"
		" sum(d.billed_cost), sum(d.effective_cost)"
		" FROM ingest i CROSS JOIN line_day d ON d.ingest_id = i.id"
		" WHERE i.billing_period IN (?1, ?2) GROUP BY 1, 2", err);
	if (!q)
		return CT_E_DB;
	ct_stmt_bind_str(q, 1, r->month);
	ct_stmt_bind_str(q, 2, r->prev_month);
	rc = ct_stmt_step(q, err);
	ct_stmt_finalize(q);
	return rc < 0 ? CT_E_DB : CT_OK;
}

/* Period facts: which currency, is it complete, other currencies. */
static int month_facts(struct ct_store *st, const struct ct_report_opts *o,
		       struct ct_report *r, struct ct_err *err)
{
	struct ct_stmt *q;
	int rc;
	bool first = true;

	q = ct_store_prepare_ch(st,
		"SELECT coalesce(p.billing_currency, ''), sum(d.lines), sum(d.billed_cost)"
		" FROM temp.rp d CROSS JOIN profile p ON p.id = d.profile_id"
		" WHERE d.billing_period = ?1 GROUP BY 1 ORDER BY 2 DESC, 1",
		"SELECT ifNull(billing_currency, '') AS cur, count() AS n, sum(billed_cost)"
		" FROM line WHERE billing_period = ?1 GROUP BY cur ORDER BY n DESC, cur",
		err);
	if (!q)
		return CT_E_DB;
	ct_stmt_bind_str(q, 1, r->month);
	while ((rc = ct_stmt_step(q, err)) == 1) {
		const char *cur = ct_stmt_text(q, 0);
		if (first) {
			snprintf(r->currency, sizeof(r->currency), "%s", cur);
			first = false;
			r->single_currency = true;
		} else {
			r->single_currency = false;
			char amt[40];
			ct_money_format(ct_stmt_int64(q, 2), 2, true, amt, sizeof(amt));
			add_note(r, ct_xasprintf("%lld lines billed in %s (%s %s) "
						 "are not included in these %s totals",
						 (long long)ct_stmt_int64(q, 1),
						 cur[0] ? cur : "no currency", amt,
						 cur, r->currency));
		}
	}
	ct_stmt_finalize(q);
	if (rc < 0)
		return CT_E_DB;
	if (first)
		return ct_err_set(err, CT_E_INPUT, ct_store_path(st), 0,
				  "no billing data for %s in the store", r->month);

	q = ct_store_prepare_ch(st,
		"SELECT max(period_end), (SELECT count(*) FROM ingest WHERE billing_period = ?2)"
		" FROM ingest WHERE billing_period = ?1",
		"SELECT max(period_end), (SELECT count() FROM ingest WHERE billing_period = ?2)"
		" FROM ingest WHERE billing_period = ?1", err);
	if (!q)
		return CT_E_DB;
	ct_stmt_bind_str(q, 1, r->month);
	ct_stmt_bind_str(q, 2, r->prev_month);
	rc = ct_stmt_step(q, err);
	if (rc == 1) {
		r->complete = ct_stmt_int64(q, 0) <= o->now;
		r->has_prev = ct_stmt_int64(q, 1) > 0;
	}
	ct_stmt_finalize(q);
	return rc < 0 ? CT_E_DB : CT_OK;
}

static int totals(struct ct_store *st, struct ct_report *r, struct ct_err *err)
{
	struct ct_stmt *q = ct_store_prepare_ch(st,
		"SELECT coalesce(" SUM_M ", 0), coalesce(" SUM_ME ", 0), coalesce(" SUM_P ", 0),"
		" coalesce(sum(CASE WHEN d.billing_period = ?2 THEN d.effective_cost ELSE 0 END), 0),"
		" coalesce(sum(CASE WHEN d.billing_period = ?1 THEN d.lines ELSE 0 END), 0)"
		FROM_MONTHS,
		"SELECT" CH_SUMS ", sumIf(effective_cost, billing_period = ?2),"
		" countIf(billing_period = ?1)" CH_WHERE, err);
	int rc;

	if (!q)
		return CT_E_DB;
	bind_std(q, r);
	rc = ct_stmt_step(q, err);
	if (rc == 1) {
		r->total_billed = ct_stmt_int64(q, 0);
		r->total_effective = ct_stmt_int64(q, 1);
		r->prev_billed = ct_stmt_int64(q, 2);
		r->prev_effective = ct_stmt_int64(q, 3);
		r->lines = (long)ct_stmt_int64(q, 4);
	}
	ct_stmt_finalize(q);
	return rc < 0 ? CT_E_DB : CT_OK;
}

/* The billed and effective totals of up to CT_REPORT_HISTORY months
 * ending with the report's month, in its currency. */
_Static_assert(CT_REPORT_HISTORY == 12, "history() says LIMIT 12");

static int history(struct ct_store *st, struct ct_report *r, struct ct_err *err)
{
	struct ct_report_month tmp[CT_REPORT_HISTORY];
	struct ct_stmt *q = ct_store_prepare_ch(st,
		"SELECT i.billing_period, sum(d.billed_cost), sum(d.effective_cost)"
		" FROM ingest i CROSS JOIN line_day d ON d.ingest_id = i.id"
		" CROSS JOIN profile p ON p.id = d.profile_id"
		" WHERE i.billing_period <= ?1 AND coalesce(p.billing_currency, '') = ?2"
		" GROUP BY 1 ORDER BY 1 DESC LIMIT 12", /* CT_REPORT_HISTORY */
		"SELECT billing_period, sum(billed_cost), sum(effective_cost) FROM line"
		" WHERE billing_period <= ?1 AND ifNull(billing_currency, '') = ?2"
		" GROUP BY billing_period ORDER BY billing_period DESC LIMIT 12", err);
	size_t n = 0;
	int rc;

	if (!q)
		return CT_E_DB;
	ct_stmt_bind_str(q, 1, r->month);
	ct_stmt_bind_str(q, 2, r->currency);
	while ((rc = ct_stmt_step(q, err)) == 1 && n < CT_REPORT_HISTORY) {
		snprintf(tmp[n].month, sizeof(tmp[n].month), "%s", ct_stmt_text(q, 0));
		tmp[n].billed = ct_stmt_int64(q, 1);
		tmp[n].effective = ct_stmt_int64(q, 2);
		n++;
	}
	ct_stmt_finalize(q);
	if (rc < 0)
		return CT_E_DB;
	for (size_t k = 0; k < n; k++)
		r->history[k] = tmp[n - 1 - k];
	r->nhistory = n;
	return CT_OK;
}

/* Lower-case copy of a tag key: how keys are stored and compared. */
static char *tag_norm(const char *key)
{
	char *norm = ct_xstrdup(key);

	for (char *p = norm; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return norm;
}

/* Add one value row of q (value, -, -, billed, effective, previous) to a
 * tag's list. @return its billed cost. */
static ct_money tag_value_add(struct ct_report_tag *t, size_t *cap, struct ct_stmt *q, int col)
{
	struct ct_report_item *it;

	CT_GROW(t->values.v, t->values.n + 1, *cap);
	it = &t->values.v[t->values.n++];
	memset(it, 0, sizeof(*it));
	it->id = ct_xstrdup(ct_stmt_text(q, col));
	it->billed = ct_stmt_int64(q, col + 3);
	it->effective = ct_stmt_int64(q, col + 4);
	it->prev_billed = ct_stmt_int64(q, col + 5);
	return it->billed;
}

/* The keys as one string split by unit separators ("" for none). */
static char *tag_keylist(char **norms, size_t nkeys)
{
	char *keylist = ct_xstrdup("");

	for (size_t k = 0; k < nkeys; k++) {
		char *n = ct_xasprintf("%s%s%s", keylist, k ? "\x1f" : "", norms[k]);
		free(keylist);
		keylist = n;
	}
	return keylist;
}

/* ClickHouse: every key's values from one pass over the lines (a line's
 * keys are unique, so ARRAY JOIN counts each line once per key). The
 * keys go in as one string split by unit separators. */
static int tags_clickhouse(struct ct_store *st, struct ct_report *r, char **norms,
			   size_t nkeys, const char *keylist, ct_money *sums,
			   struct ct_err *err)
{
	struct ct_stmt *q = ct_store_prepare_ch(st, NULL,
		"SELECT k, v, NULL AS n, NULL AS cat," CH_SUMS
		" FROM line ARRAY JOIN tag_key AS k, tag_value AS v"
		" WHERE billing_period IN (?1, ?2) AND ifNull(billing_currency, '') = ?3"
		" AND has(splitByChar('\\x1F', ?4), k)"
		" GROUP BY k, v HAVING m != 0 ORDER BY k, m DESC, v", err);
	size_t *caps;
	int rc;

	if (!q)
		return CT_E_DB;
	caps = ct_xcalloc(nkeys ? nkeys : 1, sizeof(*caps));
	bind_std(q, r);
	ct_stmt_bind_str(q, 4, keylist);
	while ((rc = ct_stmt_step(q, err)) == 1) {
		const char *key = ct_stmt_text(q, 0);

		/* a key asked for twice gets the values twice, as in SQLite */
		for (size_t k = 0; k < nkeys; k++)
			if (!strcmp(norms[k], key))
				sums[k] += tag_value_add(&r->tags[k], &caps[k], q, 1);
	}
	ct_stmt_finalize(q);
	free(caps);
	return rc < 0 ? CT_E_DB : CT_OK;
}

static int tags(struct ct_store *st, const struct ct_report_opts *o,
		struct ct_report *r, struct ct_err *err)
{
	const char *const *keys = o->tags ? o->tags : default_tags;
	size_t nkeys = o->tags ? o->ntags : CT_NELEM(default_tags);
	bool ch = ct_store_is_clickhouse(st);
	struct ct_stmt *q = NULL;
	char *json = NULL, *keylist = NULL, **norms;
	ct_money *sums;
	int rc = CT_OK;

	r->tags = ct_xcalloc(nkeys ? nkeys : 1, sizeof(*r->tags));
	norms = ct_xcalloc(nkeys ? nkeys : 1, sizeof(*norms));
	sums = ct_xcalloc(nkeys ? nkeys : 1, sizeof(*sums));
	for (size_t k = 0; k < nkeys; k++) {
		norms[k] = tag_norm(keys[k]);
		r->tags[k].key = ct_xstrdup(keys[k]);
	}
	r->ntags = nkeys;
	if (ch) {
		/* the keys as one string split by unit separators */
		keylist = tag_keylist(norms, nkeys);
		rc = tags_clickhouse(st, r, norms, nkeys, keylist, sums, err);
		if (rc != CT_OK)
			goto out;
	} else {
		q = ct_store_prepare(st,
			"SELECT t.value, NULL, NULL," SUM_M ", " SUM_ME ", " SUM_P
			" FROM temp.rp d CROSS JOIN profile p ON p.id = d.profile_id"
			" CROSS JOIN profile_tag t ON t.profile_id = d.profile_id AND t.key_norm = ?4"
			" WHERE d.billing_period IN (?1, ?2) AND coalesce(p.billing_currency, '') = ?3"
			" GROUP BY t.value HAVING " SUM_M " != 0 ORDER BY 4 DESC, 1", err);
		if (!q) {
			rc = CT_E_DB;
			goto out;
		}
		for (size_t k = 0; k < nkeys; k++) {
			size_t cap = 0;
			int step;

			bind_std(q, r);
			ct_stmt_bind_str(q, 4, norms[k]);
			while ((step = ct_stmt_step(q, err)) == 1)
				sums[k] += tag_value_add(&r->tags[k], &cap, q, 0);
			ct_stmt_reset(q);
			if (step < 0) {
				rc = CT_E_DB;
				goto out;
			}
		}
		ct_stmt_finalize(q);
		q = NULL;
	}
	/* JSON array of the normalised keys for the untagged query */
	json = ct_xstrdup("[");
	for (size_t k = 0; k < nkeys; k++) {
		/* JSON-escape the key: only quotes and backslashes can matter
		 * in a tag key we were given */
		char *esc = ct_xmalloc(strlen(norms[k]) * 2 + 1), *e = esc, *nj;

		r->tags[k].untagged = r->total_billed - sums[k];
		for (const char *p = norms[k]; *p; p++) {
			if (*p == '"' || *p == '\\')
				*e++ = '\\';
			*e++ = *p;
		}
		*e = '\0';
		nj = ct_xasprintf("%s%s\"%s\"", json, k ? "," : "", esc);
		free(esc);
		free(json);
		json = nj;
	}
	{
		char *nj = ct_xasprintf("%s]", json);
		free(json);
		json = nj;
	}
	q = ct_store_prepare_ch(st,
		"SELECT coalesce(sum(d.billed_cost), 0)"
		" FROM temp.rp d CROSS JOIN profile p ON p.id = d.profile_id"
		" WHERE d.billing_period = ?1 AND coalesce(p.billing_currency, '') = ?3"
		" AND ?2 = ?2 AND NOT EXISTS (SELECT 1 FROM profile_tag t"
		" WHERE t.profile_id = d.profile_id"
		" AND t.key_norm IN (SELECT value FROM json_each(?4)))",
		/* ?5: the keys separated by unit separators */
		"SELECT sum(billed_cost) FROM line WHERE billing_period = ?1"
		" AND ifNull(billing_currency, '') = ?3"
		" AND NOT hasAny(tag_key, splitByChar('\\x1F', ?5))", err);
	if (!q) {
		rc = CT_E_DB;
		goto out;
	}
	bind_std(q, r);
	ct_stmt_bind_str(q, 4, json);
	if (ch)
		ct_stmt_bind_str(q, 5, keylist);
	if (ct_stmt_step(q, err) != 1)
		rc = CT_E_DB;
	else
		r->untagged = ct_stmt_int64(q, 0);
out:
	ct_stmt_finalize(q);
	free(json);
	free(keylist);
	for (size_t k = 0; k < nkeys; k++)
		free(norms[k]);
	free(norms);
	free(sums);
	return rc;
}

/* Billed cost of the month's charges that do not scale with time: not
 * Usage-Based (a usage line without a ChargeFrequency counts as usage). */
static int fixed_charges(struct ct_store *st, const struct ct_report *r,
			 ct_money *out, struct ct_err *err)
{
	struct ct_stmt *q = ct_store_prepare_ch(st,
		"SELECT coalesce(sum(d.billed_cost), 0)"
		" FROM temp.rp d CROSS JOIN profile p ON p.id = d.profile_id"
		" WHERE d.billing_period = ?1 AND ?2 = ?2"
		" AND coalesce(p.billing_currency, '') = ?3"
		" AND NOT (lower(coalesce(p.charge_frequency, '')) = 'usage-based'"
		" OR (p.charge_frequency IS NULL AND p.charge_category = 'Usage'))",
		/* SQLite's NOT (... OR NULL) keeps no line whose frequency and
		 * category are both null: spelt out */
		"SELECT sum(billed_cost) FROM line WHERE billing_period = ?1"
		" AND ifNull(billing_currency, '') = ?3"
		" AND lower(ifNull(charge_frequency, '')) != 'usage-based'"
		" AND (isNotNull(charge_frequency)"
		" OR ifNull(charge_category, 'Usage') != 'Usage')", err);
	int rc;

	if (!q)
		return CT_E_DB;
	bind_std(q, r);
	rc = ct_stmt_step(q, err);
	*out = rc == 1 ? ct_stmt_int64(q, 0) : 0;
	ct_stmt_finalize(q);
	return rc < 0 ? CT_E_DB : CT_OK;
}

static int daily(struct ct_store *st, struct ct_report *r, struct ct_err *err)
{
	struct ct_stmt *q = ct_store_prepare_ch(st,
		"SELECT d.day, sum(d.billed_cost)"
		" FROM ingest i CROSS JOIN line_day d ON d.ingest_id = i.id"
		" WHERE i.billing_period = ?1 AND ?2 = ?2 AND (?4 OR d.profile_id IN"
		" (SELECT r.profile_id FROM temp.rp r JOIN profile p ON p.id = r.profile_id"
		" WHERE r.billing_period = ?1 AND coalesce(p.billing_currency, '') = ?3))"
		" GROUP BY d.day ORDER BY d.day",
		"SELECT day, sum(billed_cost) FROM line WHERE billing_period = ?1"
		" AND (?4 != 0 OR ifNull(billing_currency, '') = ?3)"
		" GROUP BY day ORDER BY day",
		err);
	int y, rc;
	unsigned m;
	int64_t first, last_data = -1;
	size_t cap = 0;
	double mean = 0, var = 0;

	if (!q)
		return CT_E_DB;
	ct_clock_parse_month(r->month, &y, &m);
	first = ct_clock_days_from_civil(y, m, 1);
	/* every day of the month, zero where nothing was charged */
	r->ndaily = (size_t)r->days_in_month;
	cap = r->ndaily;
	r->daily = ct_xcalloc(cap, sizeof(*r->daily));
	for (size_t k = 0; k < r->ndaily; k++)
		ct_clock_format_day(first + (int64_t)k, r->daily[k].date);
	bind_std(q, r);
	ct_stmt_bind_int64(q, 4, r->single_currency);
	while ((rc = ct_stmt_step(q, err)) == 1) {
		int64_t day = ct_stmt_int64(q, 0);
		ct_money v = ct_stmt_int64(q, 1);
		if (day >= first && day < first + r->days_in_month) {
			r->daily[day - first].billed = v;
			if (v != 0 && day > last_data)
				last_data = day;
		} else {
			/* charges dated outside the month (corrections,
			 * prepaid terms) are listed after the month's days */
			CT_GROW(r->daily, r->ndaily + 1, cap);
			ct_clock_format_day(day, r->daily[r->ndaily].date);
			r->daily[r->ndaily++].billed = v;
		}
	}
	ct_stmt_finalize(q);
	if (rc < 0)
		return CT_E_DB;
	r->days_with_data = last_data < 0 ? 0 : (int)(last_data - first + 1);
	if (r->complete)
		r->days_with_data = r->days_in_month;

	/* anomalies over the days that have data so far */
	int n = r->days_with_data;
	if (n >= 3) {
		for (int k = 0; k < n; k++)
			mean += (double)r->daily[k].billed;
		mean /= n;
		for (int k = 0; k < n; k++) {
			double dv = (double)r->daily[k].billed - mean;
			var += dv * dv;
		}
		var /= n;
		double sd = sqrt(var);
		for (int k = 0; sd > 0 && k < n; k++) {
			double z = ((double)r->daily[k].billed - mean) / sd;
			if (fabs(z) > 3.0) {
				struct ct_report_anomaly *a;
				r->anomalies = ct_xrealloc(r->anomalies,
					(r->nanomalies + 1) * sizeof(*r->anomalies));
				a = &r->anomalies[r->nanomalies++];
				memcpy(a->date, r->daily[k].date, sizeof(a->date));
				a->billed = r->daily[k].billed;
				a->expected = (ct_money)llround(mean);
				a->sigmas = z;
			}
		}
	}
	if (!r->complete && n > 0) {
		/* Usage runs at its daily rate for the rest of the month;
		 * purchases, fees, credits and taxes come as they came. */
		ct_money fixed;
		if (fixed_charges(st, r, &fixed, err) != CT_OK)
			return CT_E_DB;
		r->has_forecast = true;
		r->forecast = fixed + (ct_money)llround((double)(r->total_billed - fixed) /
							n * r->days_in_month);
	}
	return CT_OK;
}

static int cmp_movers(const void *a, const void *b)
{
	const struct ct_report_item *x = a, *y = b;
	int64_t dx = llabs(x->billed - x->prev_billed);
	int64_t dy = llabs(y->billed - y->prev_billed);

	if (dx != dy)
		return dx < dy ? 1 : -1;
	return strcmp(x->id, y->id);
}

static void copy_item(struct ct_report_item *dst, const struct ct_report_item *src)
{
	*dst = *src;
	dst->id = ct_xstrdup(src->id);
	dst->name = dup_or_null(src->name);
	dst->category = dup_or_null(src->category);
}

static void movers(struct ct_report *r)
{
	struct ct_report_item *tmp;
	size_t n = 0;

	if (!r->has_prev || !r->by_service.n)
		return;
	tmp = ct_xcalloc(r->by_service.n, sizeof(*tmp));
	for (size_t k = 0; k < r->by_service.n; k++)
		if (r->by_service.v[k].billed != r->by_service.v[k].prev_billed)
			tmp[n++] = r->by_service.v[k];
	qsort(tmp, n, sizeof(*tmp), cmp_movers);
	if (n > 10)
		n = 10;
	r->movers.v = ct_xcalloc(n ? n : 1, sizeof(*r->movers.v));
	for (size_t k = 0; k < n; k++)
		copy_item(&r->movers.v[k], &tmp[k]);
	r->movers.n = n;
	free(tmp);
}

static void review_notes(struct ct_report *r)
{
	if (r->total_billed > 50000 * CT_MONEY_UNIT)
		add_note(r, ct_xstrdup("The monthly bill is over $50,000: automate "
				       "anomaly detection and alerting rather than "
				       "relying on this monthly report alone."));
	else if (r->total_billed > 5000 * CT_MONEY_UNIT)
		add_note(r, ct_xstrdup("The monthly bill is over $5,000: a regular "
				       "FinOps review of this report is due."));
}

struct ct_report *ct_report_build(struct ct_store *st,
				  const struct ct_report_opts *opts,
				  struct ct_err *err)
{
	struct ct_report *r = ct_xcalloc(1, sizeof(*r));
	/* A service's category is the one that carries most of its cost (EC2
	 * bills EBS volumes as Storage, but is a Compute service). */
	static const char by_service[] =
		"WITH cat AS (SELECT s, c FROM (SELECT coalesce(p.service_name, '') s,"
		" p.service_category c, row_number() OVER (PARTITION BY"
		" coalesce(p.service_name, '') ORDER BY sum(abs(d.billed_cost)) DESC,"
		" p.service_category) rn" FROM_MONTHS " GROUP BY 1, 2) WHERE rn = 1)"
		" SELECT coalesce(p.service_name, ''), NULL,"
		" (SELECT c FROM cat WHERE cat.s = coalesce(p.service_name, '')),"
		SUM_M "," SUM_ME "," SUM_P FROM_MONTHS
		" GROUP BY 1 HAVING " SUM_M " != 0 OR " SUM_P " != 0 ORDER BY 4 DESC, 6 DESC, 1";
	static const char by_category[] =
		"SELECT coalesce(p.service_category, ''), NULL, NULL,"
		SUM_M "," SUM_ME "," SUM_P FROM_MONTHS
		" GROUP BY 1 HAVING " SUM_M " != 0 OR " SUM_P " != 0 ORDER BY 4 DESC, 6 DESC, 1";
	static const char by_account[] =
		"SELECT coalesce(p.sub_account_id, p.billing_account_id, ''),"
		" max(coalesce(p.sub_account_name, p.billing_account_name)), NULL,"
		SUM_M "," SUM_ME "," SUM_P FROM_MONTHS
		" GROUP BY 1 HAVING " SUM_M " != 0 OR " SUM_P " != 0 ORDER BY 4 DESC, 6 DESC, 1";
	static const char by_region[] =
		"SELECT coalesce(p.region_id, ''), max(p.region_name), NULL,"
		SUM_M "," SUM_ME "," SUM_P FROM_MONTHS
		" GROUP BY 1 HAVING " SUM_M " != 0 OR " SUM_P " != 0 ORDER BY 4 DESC, 6 DESC, 1";
	static const char by_charge[] =
		"SELECT coalesce(p.charge_category, ''), NULL, NULL,"
		SUM_M "," SUM_ME "," SUM_P FROM_MONTHS
		" GROUP BY 1 HAVING " SUM_M " != 0 OR " SUM_P " != 0 ORDER BY 4 DESC, 6 DESC, 1";

	/* ClickHouse twins (see the top of the file) */
	static const char ch_by_service[] =
		"SELECT k, NULL, c, m, me, pv FROM (" CH_LIST("ifNull(service_name, '')", "NULL")
		") ANY LEFT JOIN (SELECT k, c FROM (SELECT k, c, sum(abs(b)) AS w FROM"
		" (SELECT ifNull(service_name, '') AS k, service_category AS c,"
		" sum(billed_cost) AS b" CH_WHERE " GROUP BY k, c, profile, billing_period)"
		" GROUP BY k, c ORDER BY k, w DESC, isNotNull(c), c LIMIT 1 BY k))"
		" USING k ORDER BY m DESC, pv DESC, k";
	static const char ch_by_category[] =
		CH_LIST("ifNull(service_category, '')", "NULL");
	static const char ch_by_account[] =
		CH_LIST("coalesce(sub_account_id, billing_account_id, '')",
			"max(coalesce(sub_account_name, billing_account_name))");
	static const char ch_by_region[] =
		CH_LIST("ifNull(region_id, '')", "max(region_name)");
	static const char ch_by_charge[] =
		CH_LIST("ifNull(charge_category, '')", "NULL");

	/* One read transaction: every figure comes from the same snapshot,
	 * even while a cron ingest commits next to us (WAL). */
	if (ct_store_exec(st, "BEGIN", err) != CT_OK) {
		ct_report_free(r);
		return NULL;
	}
	if (pick_month(st, opts, r, err) != CT_OK ||
	    month_rollup(st, r, err) != CT_OK ||
	    month_facts(st, opts, r, err) != CT_OK ||
	    totals(st, r, err) != CT_OK ||
	    load_list(st, r, by_service, ch_by_service, &r->by_service, err) != CT_OK ||
	    load_list(st, r, by_category, ch_by_category, &r->by_category, err) != CT_OK ||
	    load_list(st, r, by_account, ch_by_account, &r->by_account, err) != CT_OK ||
	    load_list(st, r, by_region, ch_by_region, &r->by_region, err) != CT_OK ||
	    load_list(st, r, by_charge, ch_by_charge, &r->by_charge_category, err) != CT_OK ||
	    tags(st, opts, r, err) != CT_OK || daily(st, r, err) != CT_OK ||
	    history(st, r, err) != CT_OK) {
		ct_store_rollback(st);
		ct_report_free(r);
		return NULL;
	}
	ct_store_rollback(st); /* nothing was written: end the read */
	movers(r);
	review_notes(r);
	return r;
}

static void free_list(struct ct_report_list *l)
{
	for (size_t k = 0; k < l->n; k++) {
		free(l->v[k].id);
		free(l->v[k].name);
		free(l->v[k].category);
	}
	free(l->v);
}

void ct_report_free(struct ct_report *r)
{
	if (!r)
		return;
	free_list(&r->by_service);
	free_list(&r->by_category);
	free_list(&r->by_account);
	free_list(&r->by_region);
	free_list(&r->by_charge_category);
	free_list(&r->movers);
	for (size_t k = 0; k < r->ntags; k++) {
		free(r->tags[k].key);
		free_list(&r->tags[k].values);
	}
	free(r->tags);
	free(r->daily);
	free(r->anomalies);
	for (size_t k = 0; k < r->nnotes; k++)
		free(r->notes[k]);
	free(r->notes);
	ct_recommend_free(r->rec);
	ct_budget_free(r->budgets);
	ct_k8s_cost_free(r->k8s);
	free(r);
}
