/*
 * render_csv.c - the monthly report as one CSV table for spreadsheets.
 *
 * Columns: section,key,name,billed_cost,effective_cost,previous_billed_cost
 * (RFC 4180: CRLF line ends, a field holding , " CR or LF is quoted with
 * "" for "). One row per figure, in this order:
 *
 *   total            key month, name currency; previous empty when unknown
 *   previous_total   key previous month (only when it is in the store)
 *   forecast         key month (only while the month is in progress)
 *   service          key service, name its category
 *   service_category key category
 *   account          key account id, name account name
 *   region           key region id, name region name
 *   charge_category  key charge category
 *   top_mover        key service
 *   tag              key tag key, name tag value; billed only
 *   tag_untagged     key tag key: billed cost without that key
 *   untagged         billed cost with none of the allocation keys
 *   daily            key date
 *   anomaly          key date, name "expected 123.456789 deviation +4.2 sd"
 *   history          key month (up to 12, oldest first), billed and effective
 *   saving           key kind (idle_instance, reserved_instance ...), name
 *                    the number of items; billed_cost holds the estimated
 *                    monthly saving (recommend's totals by kind)
 *   saving_total     billed_cost holds the estimated monthly saving in all
 *   finding          key resource id, name kind; billed_cost holds the
 *                    finding's estimated monthly saving (every finding,
 *                    largest saving first)
 *   budget           key the budget's scope, name its name; billed_cost the
 *                    spend, effective_cost the amount, previous_billed_cost
 *                    the forecast (one row per budget of the config file)
 *   k8s_cluster      billed_cost the cluster's monthly cost (list prices)
 *   k8s_allocation   key the group (namespace ...), name the number of pods;
 *                    billed_cost its monthly cost
 *   note             key 1, 2 ..., name the note
 *
 * Money is a plain number in dollars with 6 decimals (rounded half away
 * from zero to the micro-dollar), no thousands separators, no currency
 * sign, so every spreadsheet reads it as a number; an unknown amount is an
 * empty cell. Text cells are protected against formula injection as OWASP
 * recommends: a cell starting with = + - @ TAB or CR gets a leading "'".
 * Invalid UTF-8 becomes U+FFFD.
 *
 * Depends on the model (report.h), money.h and the shared helpers
 * (render.h); writes only to the FILE * given.
 */
#include "ct.h"
#include "render.h"
#include "recommend.h"
#include "budget.h"
#include "k8s_cost.h"
#include "money.h"

/* Write ",<amount>", or "," alone when the amount is unknown. */
static void money_cell(FILE *out, ct_money m, bool known)
{
	char num[48];

	putc(',', out);
	if (known)
		fputs(ct_money_format(m, 6, false, num, sizeof(num)), out);
}

/* One row. A NULL key or name is an empty cell. */
static void row(FILE *out, const char *section, const char *key,
		const char *name, ct_money billed, bool has_billed,
		ct_money effective, bool has_effective, ct_money prev,
		bool has_prev)
{
	ct_render_csv_cell(out, section);
	putc(',', out);
	ct_render_csv_cell(out, key);
	putc(',', out);
	ct_render_csv_cell(out, name);
	money_cell(out, billed, has_billed);
	money_cell(out, effective, has_effective);
	money_cell(out, prev, has_prev);
	fputs("\r\n", out);
}

/* A breakdown: billed, effective (unless !effective) and previous. */
static void list_rows(FILE *out, const struct ct_report *r,
		      const char *section, const struct ct_report_list *l,
		      bool by_name, bool by_category, bool effective)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct ct_report_item *it = &l->v[i];
		const char *name = by_name       ? it->name
				   : by_category ? it->category
						 : NULL;

		row(out, section, it->id, name, it->billed, true,
		    it->effective, effective, it->prev_billed, r->has_prev);
	}
}

/* A field of fixed size (month, date) as a string. */
static const char *field(const char *f, size_t size, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", (int)(size - 1), f);
	return buf;
}

void ct_render_csv_report(const struct ct_report *r, FILE *out)
{
	char k[24], cur[64], name[128], num[48];
	size_t i, j;

	fputs("section,key,name,billed_cost,effective_cost,"
	      "previous_billed_cost\r\n",
	      out);
	field(r->currency, sizeof(r->currency), cur, sizeof(cur));
	row(out, "total", field(r->month, sizeof(r->month), k, sizeof(k)), cur,
	    r->total_billed, true, r->total_effective, true, r->prev_billed,
	    r->has_prev);
	if (r->has_prev)
		row(out, "previous_total",
		    field(r->prev_month, sizeof(r->prev_month), k, sizeof(k)),
		    cur, r->prev_billed, true, r->prev_effective, true, 0,
		    false);
	if (r->has_forecast)
		row(out, "forecast",
		    field(r->month, sizeof(r->month), k, sizeof(k)), cur,
		    r->forecast, true, 0, false, 0, false);
	list_rows(out, r, "service", &r->by_service, false, true, true);
	list_rows(out, r, "service_category", &r->by_category, false, false,
		  true);
	list_rows(out, r, "account", &r->by_account, true, false, true);
	list_rows(out, r, "region", &r->by_region, true, false, false);
	list_rows(out, r, "charge_category", &r->by_charge_category, false,
		  false, true);
	for (i = 0; i < r->movers.n; i++)
		row(out, "top_mover", r->movers.v[i].id, NULL,
		    r->movers.v[i].billed, true, 0, false,
		    r->movers.v[i].prev_billed, r->has_prev);
	for (i = 0; i < r->ntags; i++) {
		const struct ct_report_tag *t = &r->tags[i];

		for (j = 0; j < t->values.n; j++)
			row(out, "tag", t->key, t->values.v[j].id,
			    t->values.v[j].billed, true, 0, false, 0, false);
		row(out, "tag_untagged", t->key, NULL, t->untagged, true, 0,
		    false, 0, false);
	}
	row(out, "untagged", NULL, NULL, r->untagged, true, 0, false, 0,
	    false);
	for (i = 0; i < r->ndaily; i++)
		row(out, "daily",
		    field(r->daily[i].date, sizeof(r->daily[i].date), k,
			  sizeof(k)),
		    NULL, r->daily[i].billed, true, 0, false, 0, false);
	for (i = 0; i < r->nanomalies; i++) {
		const struct ct_report_anomaly *a = &r->anomalies[i];

		char dev[32];

		snprintf(name, sizeof(name), "expected %s deviation %s",
			 ct_money_format(a->expected, 6, false, num,
					 sizeof(num)),
			 ct_render_sigmas(a->sigmas, dev, sizeof(dev)));
		row(out, "anomaly", field(a->date, sizeof(a->date), k, sizeof(k)),
		    name, a->billed, true, 0, false, 0, false);
	}
	for (i = 0; i < r->nhistory; i++)
		row(out, "history",
		    field(r->history[i].month, sizeof(r->history[i].month), k, sizeof(k)),
		    NULL, r->history[i].billed, true, r->history[i].effective, true, 0, false);
	if (r->rec) {
		const struct ct_finding **by = ct_render_findings_by_saving(r->rec);

		for (i = 0; i < r->rec->nkt; i++) {
			snprintf(name, sizeof(name), "%zu", r->rec->kt[i].n);
			row(out, "saving", r->rec->kt[i].kind, name, r->rec->kt[i].savings, true,
			    0, false, 0, false);
		}
		row(out, "saving_total", NULL, NULL, r->rec->total_savings, true, 0, false, 0,
		    false);
		for (i = 0; i < r->rec->n; i++)
			row(out, "finding", by[i]->resource_id, by[i]->kind, by[i]->savings, true,
			    0, false, 0, false);
		free(by);
	}
	for (i = 0; r->budgets && i < r->budgets->n; i++) {
		const struct ct_budget_row *v = &r->budgets->v[i];

		row(out, "budget", v->scope, v->name, v->spend, true, v->amount, true, v->forecast,
		    true);
	}
	if (r->k8s) {
		row(out, "k8s_cluster", NULL, NULL, r->k8s->cluster, true, 0, false, 0, false);
		for (i = 0; i < r->k8s->nalloc; i++) {
			snprintf(name, sizeof(name), "%zu", r->k8s->alloc[i].pods);
			row(out, "k8s_allocation", r->k8s->alloc[i].name, name,
			    r->k8s->alloc[i].total, true, 0, false, 0, false);
		}
	}
	for (i = 0; i < r->nnotes; i++) {
		snprintf(k, sizeof(k), "%zu", i + 1);
		row(out, "note", k, r->notes[i], 0, false, 0, false, 0, false);
	}
}
