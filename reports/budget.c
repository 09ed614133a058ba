/*
 * budget.c - budget status (see budget.h). One query per budget over the
 * daily rollup of the month, in the report's currency, with the scope as
 * bound parameters (never pasted into the SQL).
 *
 * Forecast, as the monthly report computes it: usage-based charges run on
 * at their daily rate over the days with data for the rest of the month;
 * purchases, fees, credits and taxes stay as they are. So the forecast of
 * the "total" budget is the report's forecast_billed_cost exactly.
 *
 * Status: critical when spend >= critical% of the amount, else warning
 * when spend >= warning%, else ok; forecast_status applies the same rule
 * to the forecast.
 */
#include "ct.h"
#include "budget.h"
#include "configfile.h"
#include "report.h"
#include "store.h"

#include <math.h>

static const char *status_of(ct_money v, const struct ct_budget_row *b)
{
	/* compare in nano-dollars: v x 100 >= amount x pct */
	long double x = (long double)v * 100.0L;

	if (x >= (long double)b->amount * (long double)b->critical_pct)
		return "critical";
	if (x >= (long double)b->amount * (long double)b->warning_pct)
		return "warning";
	return "ok";
}

void ct_budget_free(struct ct_budget_status *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++) {
		free(b->v[i].name);
		free(b->v[i].scope);
	}
	free(b->v);
	free(b->config);
	free(b);
}

struct ct_budget_status *ct_budget_build(struct ct_store *st, const struct ct_report *r,
					 const struct ct_config *cfg, struct ct_err *err)
{
	static const char *const kinds[] = {
		[CT_SCOPE_TOTAL] = "total", [CT_SCOPE_ACCOUNT] = "account",
		[CT_SCOPE_SERVICE] = "service", [CT_SCOPE_REGION] = "region",
		[CT_SCOPE_TAG] = "tag",
	};
	struct ct_budget_status *b = ct_xcalloc(1, sizeof(*b));
	struct ct_stmt *q;

	memcpy(b->month, r->month, sizeof(b->month));
	memcpy(b->currency, r->currency, sizeof(b->currency));
	b->complete = r->complete;
	b->days_in_month = r->days_in_month;
	b->days_with_data = r->days_with_data;
	b->config = cfg->path ? ct_xstrdup(cfg->path) : NULL;
	b->v = ct_xcalloc(cfg->nbudgets ? cfg->nbudgets : 1, sizeof(*b->v));
	q = ct_store_prepare_ch(st,
		"SELECT coalesce(sum(d.billed_cost), 0), coalesce(sum(CASE WHEN NOT"
		" (lower(coalesce(p.charge_frequency, '')) = 'usage-based' OR"
		" (p.charge_frequency IS NULL AND p.charge_category = 'Usage'))"
		" THEN d.billed_cost ELSE 0 END), 0)"
		" FROM ingest i CROSS JOIN line_day d ON d.ingest_id = i.id"
		" CROSS JOIN profile p ON p.id = d.profile_id"
		" WHERE i.billing_period = ?1 AND coalesce(p.billing_currency, '') = ?2"
		" AND (?3 = 'total'"
		"  OR (?3 = 'account' AND coalesce(p.sub_account_id, p.billing_account_id, '') = ?5)"
		"  OR (?3 = 'service' AND coalesce(p.service_name, '') = ?5)"
		"  OR (?3 = 'region' AND coalesce(p.region_id, '') = ?5)"
		"  OR (?3 = 'tag' AND EXISTS (SELECT 1 FROM profile_tag t WHERE"
		"   t.profile_id = p.id AND t.key_norm = ?4 AND t.value = ?5)))",
		/* ClickHouse: the line table; fixed charges as report.c spells them */
		"SELECT sum(billed_cost), sumIf(billed_cost,"
		" lower(ifNull(charge_frequency, '')) != 'usage-based'"
		" AND (isNotNull(charge_frequency) OR ifNull(charge_category, 'Usage') != 'Usage'))"
		" FROM line WHERE billing_period = ?1 AND ifNull(billing_currency, '') = ?2"
		" AND (?3 = 'total'"
		"  OR (?3 = 'account' AND coalesce(sub_account_id, billing_account_id, '') = ifNull(?5, ''))"
		"  OR (?3 = 'service' AND ifNull(service_name, '') = ifNull(?5, ''))"
		"  OR (?3 = 'region' AND ifNull(region_id, '') = ifNull(?5, ''))"
		"  OR (?3 = 'tag' AND has(tag_key, ifNull(?4, ''))"
		"   AND tag_value[indexOf(tag_key, ifNull(?4, ''))] = ifNull(?5, '')))",
		err);
	if (!q)
		goto fail;
	for (size_t i = 0; i < cfg->nbudgets; i++) {
		const struct ct_budget_def *d = &cfg->budgets[i];
		struct ct_budget_row *row = &b->v[b->n++];
		ct_money fixed;
		int rc;

		row->name = ct_xstrdup(d->name);
		row->scope = ct_configfile_scope_text(d);
		row->amount = d->amount;
		row->warning_pct = d->warning_pct;
		row->critical_pct = d->critical_pct;
		ct_stmt_bind_str(q, 1, r->month);
		ct_stmt_bind_str(q, 2, r->currency);
		ct_stmt_bind_str(q, 3, kinds[d->scope]);
		ct_stmt_bind_str(q, 4, d->key);
		ct_stmt_bind_str(q, 5, d->value);
		rc = ct_stmt_step(q, err);
		if (rc < 0)
			goto fail;
		row->spend = ct_stmt_int64(q, 0);
		fixed = ct_stmt_int64(q, 1);
		ct_stmt_reset(q);
		row->forecast = row->spend;
		if (!r->complete && r->days_with_data > 0)
			row->forecast = fixed + (ct_money)llround((double)(row->spend - fixed) /
								  r->days_with_data *
								  r->days_in_month);
		row->used_pct = (double)row->spend / (double)row->amount * 100.0;
		row->forecast_pct = (double)row->forecast / (double)row->amount * 100.0;
		row->status = status_of(row->spend, row);
		row->forecast_status = status_of(row->forecast, row);
		if (!strcmp(row->status, "critical"))
			b->critical++;
		else if (!strcmp(row->forecast_status, "critical"))
			b->forecast_critical++;
		if (!strcmp(row->status, "warning"))
			b->warning++;
	}
	ct_stmt_finalize(q);
	return b;
fail:
	ct_stmt_finalize(q);
	ct_budget_free(b);
	return NULL;
}
