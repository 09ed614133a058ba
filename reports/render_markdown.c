/*
 * render_markdown.c - the monthly report as GitHub-flavoured markdown:
 * the same content as the text report, with headings and tables whose
 * money columns are right-aligned; amounts rounded to the cent.
 *
 * Depends on the model (report.h) and the shared helpers (render.h); it
 * only formats what the model holds, in the model's order. Strings from
 * the model are escaped so they stay literal text: the characters markdown
 * gives a meaning inside a line (\ ` * _ [ ] < > | & ~ $) get a backslash,
 * a leading # + - = gets one too, line breaks and other control characters
 * become spaces (a cell cannot end its table row), invalid UTF-8 becomes
 * U+FFFD. The amounts we write carry a single '$' per cell or line, so
 * GitHub's $...$ math never pairs them.
 */
#include "ct.h"
#include "render.h"
#include "recommend.h"
#include "budget.h"
#include "k8s_cost.h"

static void heading(FILE *out, const char *title)
{
	fprintf(out, "\n## %s\n\n", title);
}

/* The table head of a breakdown: the key columns given, then the money. */
static void table_head(FILE *out, const char *keys, const char *align,
		       bool effective)
{
	fprintf(out, "| %s | Billed |%s Previous | Change |\n", keys,
		effective ? " Effective |" : "");
	fprintf(out, "|%s---:|%s---:|---:|\n", align, effective ? "---:|" : "");
}

static void money_cells(FILE *out, const struct ct_report *r,
			ct_money billed, const ct_money *effective,
			ct_money prev)
{
	char b[CT_RENDER_MONEY_MAX], c[CT_RENDER_CHANGE_MAX];

	fprintf(out, " %s |",
		ct_render_money(billed, r->currency, b, sizeof(b)));
	if (effective)
		fprintf(out, " %s |", ct_render_money(*effective, r->currency,
						      b, sizeof(b)));
	fprintf(out, " %s |",
		r->has_prev ? ct_render_money(prev, r->currency, b, sizeof(b))
			    : "n/a");
	fprintf(out, " %s |\n",
		ct_render_change(billed, prev, r->has_prev, r->currency, c,
				 sizeof(c)));
}

/* Which key columns a breakdown shows. */
enum keys {
	KEY_ID,         /* one column: the id */
	KEY_ID_NAME,    /* id and display name (accounts, regions) */
	KEY_ID_CATEGORY /* id and category (services) */
};

static void list_section(FILE *out, const struct ct_report *r,
			 const char *title, const char *column,
			 const struct ct_report_list *l, enum keys keys,
			 size_t top, const char *noun)
{
	size_t i, shown = ct_render_shown(l->n, top);
	char head[96];

	if (shown < l->n)
		fprintf(out, "\n## %s (top %zu of %zu)\n\n", title, shown, l->n);
	else
		heading(out, title);
	if (l->n == 0) {
		fputs("None.\n", out);
		return;
	}
	switch (keys) {
	case KEY_ID:
		table_head(out, column, ":---|", true);
		break;
	case KEY_ID_NAME:
		snprintf(head, sizeof(head), "%s | Name", column);
		table_head(out, head, ":---|:---|", true);
		break;
	case KEY_ID_CATEGORY:
		snprintf(head, sizeof(head), "%s | Category", column);
		table_head(out, head, ":---|:---|", true);
		break;
	}
	for (i = 0; i < shown; i++) {
		const struct ct_report_item *it = &l->v[i];

		fputs("| ", out);
		ct_render_put_md(out, it->id);
		fputs(" |", out);
		if (keys != KEY_ID) {
			fputs(" ", out);
			ct_render_put_md(out, keys == KEY_ID_NAME ? it->name
							: it->category);
			fputs(" |", out);
		}
		money_cells(out, r, it->billed, &it->effective,
			    it->prev_billed);
	}
	if (shown < l->n) {
		struct ct_report_item rest;

		ct_render_rest(l, shown, &rest);
		fprintf(out, "| *other %zu %s* |%s", l->n - shown, noun,
			keys != KEY_ID ? " |" : "");
		money_cells(out, r, rest.billed, &rest.effective,
			    rest.prev_billed);
	}
}

static void header_and_totals(FILE *out, const struct ct_report *r)
{
	char v[CT_RENDER_MONEY_MAX], c[CT_RENDER_CHANGE_MAX];

	fprintf(out, "# Cloud cost report — %.7s (", r->month);
	ct_render_put_md(out, r->currency);
	fputs(")\n\n", out);
	if (r->complete)
		fprintf(out, "Billing period **%.7s**, complete.", r->month);
	else
		fprintf(out,
			"Billing period **%.7s**, in progress: %d of %d days "
			"with charges.",
			r->month, r->days_with_data, r->days_in_month);
	if (r->has_prev)
		fprintf(out, " Compared with %.7s.\n", r->prev_month);
	else
		fprintf(out, " No billing data for %.7s to compare with.\n",
			r->prev_month);

	heading(out, "Totals");
	fputs("| | Amount |\n|:---|---:|\n", out);
	fprintf(out, "| Billed cost | **%s** |\n",
		ct_render_money(r->total_billed, r->currency, v, sizeof(v)));
	fprintf(out, "| Effective (amortized) cost | %s |\n",
		ct_render_money(r->total_effective, r->currency, v, sizeof(v)));
	fprintf(out, "| Previous month billed (%.7s) | %s |\n", r->prev_month,
		r->has_prev ? ct_render_money(r->prev_billed, r->currency, v,
					      sizeof(v))
			    : "n/a");
	fprintf(out, "| Previous month effective | %s |\n",
		r->has_prev ? ct_render_money(r->prev_effective, r->currency,
					      v, sizeof(v))
			    : "n/a");
	fprintf(out, "| Change in billed cost | %s |\n",
		ct_render_change(r->total_billed, r->prev_billed, r->has_prev,
				 r->currency, c, sizeof(c)));
	if (r->has_forecast)
		fprintf(out, "| Forecast billed cost (run rate) | %s |\n",
			ct_render_money(r->forecast, r->currency, v,
					sizeof(v)));
	fprintf(out, "| Billing lines | %s |\n",
		ct_render_count(r->lines, v, sizeof(v)));
}

static void movers_section(FILE *out, const struct ct_report *r)
{
	size_t i;

	heading(out, "Top movers");
	if (r->movers.n == 0) {
		fputs("None.\n", out);
		return;
	}
	table_head(out, "Service", ":---|", false);
	for (i = 0; i < r->movers.n; i++) {
		const struct ct_report_item *it = &r->movers.v[i];

		fputs("| ", out);
		ct_render_put_md(out, it->id);
		fputs(" |", out);
		money_cells(out, r, it->billed, NULL, it->prev_billed);
	}
}

static void share_row(FILE *out, const struct ct_report *r,
		      ct_money billed)
{
	char b[CT_RENDER_MONEY_MAX], s[CT_RENDER_PCT_MAX];

	fprintf(out, " %s | %s |\n",
		ct_render_money(billed, r->currency, b, sizeof(b)),
		ct_render_share(billed, r->total_billed, s, sizeof(s)));
}

static void tags_section(FILE *out, const struct ct_report *r)
{
	char b[CT_RENDER_MONEY_MAX], s[CT_RENDER_PCT_MAX];
	size_t k, i;

	heading(out, "Cost allocation by tag");
	if (r->ntags == 0)
		fputs("No allocation tags configured.\n", out);
	for (k = 0; k < r->ntags; k++) {
		const struct ct_report_tag *t = &r->tags[k];
		size_t shown = ct_render_shown(t->values.n,
					       CT_RENDER_TOP_VALUES);

		fputs(k ? "\n### " : "### ", out);
		ct_render_put_md(out, t->key);
		fputs("\n\n| Value | Billed | Share |\n|:---|---:|---:|\n", out);
		for (i = 0; i < shown; i++) {
			fputs("| ", out);
			ct_render_put_md(out, t->values.v[i].id);
			fputs(" |", out);
			share_row(out, r, t->values.v[i].billed);
		}
		if (shown < t->values.n) {
			struct ct_report_item rest;

			ct_render_rest(&t->values, shown, &rest);
			fprintf(out, "| *other %zu values* |",
				t->values.n - shown);
			share_row(out, r, rest.billed);
		}
		fputs("| *(untagged)* |", out);
		share_row(out, r, t->untagged);
	}

	heading(out, "Untagged cost");
	fprintf(out,
		"**%s** carried none of the allocation tags "
		"(%s of billed cost).\n",
		ct_render_money(r->untagged, r->currency, b, sizeof(b)),
		ct_render_share(r->untagged, r->total_billed, s, sizeof(s)));
}

static void daily_section(FILE *out, const struct ct_report *r)
{
	char b[CT_RENDER_MONEY_MAX];
	size_t i;

	heading(out, "Daily billed cost");
	if (r->ndaily == 0) {
		fputs("None.\n", out);
		return;
	}
	fputs("| Date | Billed | |\n|:---|---:|:---|\n", out);
	for (i = 0; i < r->ndaily; i++) {
		const struct ct_report_day *d = &r->daily[i];

		fprintf(out, "| %.10s | %s | %s |\n", d->date,
			ct_render_money(d->billed, r->currency, b, sizeof(b)),
			ct_render_is_anomaly(r, d->date) ? "**anomaly**" : "");
	}
}

static void anomalies_section(FILE *out, const struct ct_report *r)
{
	char b[CT_RENDER_MONEY_MAX], e[CT_RENDER_MONEY_MAX], s[32];
	size_t i;

	heading(out, "Anomalies");
	if (r->nanomalies == 0) {
		fputs("None: no day more than 3 standard deviations from the "
		      "daily mean.\n",
		      out);
		return;
	}
	fputs("| Date | Billed | Expected | Deviation |\n"
	      "|:---|---:|---:|---:|\n",
	      out);
	for (i = 0; i < r->nanomalies; i++) {
		const struct ct_report_anomaly *a = &r->anomalies[i];

		fprintf(out, "| %.10s | %s | %s | %s |\n", a->date,
			ct_render_money(a->billed, r->currency, b, sizeof(b)),
			ct_render_money(a->expected, r->currency, e, sizeof(e)),
			ct_render_sigmas(a->sigmas, s, sizeof(s)));
	}
}

static void budgets_section(FILE *out, const struct ct_report *r)
{
	const struct ct_budget_status *b = r->budgets;

	if (!b || !b->n)
		return;
	heading(out, "Budgets");
	fputs("| Budget | Amount | Spend | Used | Forecast | Status |\n"
	      "|:---|---:|---:|---:|---:|:---|\n", out);
	for (size_t i = 0; i < b->n; i++) {
		const struct ct_budget_row *v = &b->v[i];
		char a[CT_RENDER_MONEY_MAX], s[CT_RENDER_MONEY_MAX], f[CT_RENDER_MONEY_MAX];

		fputs("| ", out);
		ct_render_put_md(out, v->name);
		fprintf(out, " | %s | %s | %.1f%% | %s | %s", 
			ct_render_money(v->amount, r->currency, a, sizeof(a)),
			ct_render_money(v->spend, r->currency, s, sizeof(s)), v->used_pct,
			ct_render_money(v->forecast, r->currency, f, sizeof(f)), v->status);
		if (strcmp(v->forecast_status, v->status))
			fprintf(out, " (forecast: %s)", v->forecast_status);
		fputs(" |\n", out);
	}
}

static void k8s_section(FILE *out, const struct ct_report *r)
{
	const struct ct_k8s_cost *k = r->k8s;
	char m[6][CT_RENDER_MONEY_MAX];
	size_t i, shown;

	if (!k)
		return;
	heading(out, "Kubernetes");
	fprintf(out, "The ingested cluster snapshot at list prices: **%s** a month (control plane "
		     "%s, %zu nodes %s, %zu volumes %s, %zu load balancers %s). Idle capacity "
		     "costs %s; moving the on-demand node groups to spot would save %s.\n",
		ct_render_money(k->cluster, "USD", m[0], sizeof(m[0])),
		ct_render_money(k->control_plane, "USD", m[1], sizeof(m[1])), k->nnodes,
		ct_render_money(k->nodes_total, "USD", m[2], sizeof(m[2])), k->nvolumes,
		ct_render_money(k->volumes_total, "USD", m[3], sizeof(m[3])), k->nlbs,
		ct_render_money(k->lbs_total, "USD", m[4], sizeof(m[4])),
		ct_render_money(k->idle, "USD", m[5], sizeof(m[5])),
		ct_render_money(k->spot_savings, "USD", m[0], sizeof(m[0])));
	shown = k->nalloc < CT_RENDER_TOP_FINDINGS ? k->nalloc : CT_RENDER_TOP_FINDINGS;
	fprintf(out, "\n| %s | Pods | Monthly cost |\n|:---|---:|---:|\n", k->by_name);
	for (i = 0; i < shown; i++) {
		fputs("| ", out);
		ct_render_put_md(out, k->alloc[i].name);
		fprintf(out, " | %zu | %s |\n", k->alloc[i].pods,
			ct_render_money(k->alloc[i].total, "USD", m[1], sizeof(m[1])));
	}
}

static void savings_section(FILE *out, const struct ct_report *r)
{
	const struct ct_recommend *rec = r->rec;
	const struct ct_finding **by;
	const struct ct_commitment *best[5];
	char m1[CT_RENDER_MONEY_MAX], m2[CT_RENDER_MONEY_MAX];
	size_t i, shown, nbest;

	if (!rec)
		return;
	heading(out, "Savings opportunities");
	fprintf(out, "Estimated monthly saving: **%s** (the findings plus, per instance "
		     "type, the best commitment option; every finding with its evidence: "
		     "`cloudtally recommend`).\n",
		ct_render_money(rec->total_savings, "USD", m1, sizeof(m1)));
	if (rec->n == 0 && !rec->has_metrics)
		fputs("\nNo inventory or metrics in the store: ingest the output of "
		      "`contrib/collect-aws` to find idle, low-CPU and unattached resources.\n",
		      out);
	if (rec->nkt) {
		fputs("\n| Kind | Items | Monthly saving |\n|:---|---:|---:|\n", out);
		for (i = 0; i < rec->nkt; i++)
			fprintf(out, "| %s | %zu | %s |\n", ct_render_kind_name(rec->kt[i].kind),
				rec->kt[i].n,
				ct_render_money(rec->kt[i].savings, "USD", m1, sizeof(m1)));
	}
	by = ct_render_findings_by_saving(rec);
	shown = rec->n < CT_RENDER_TOP_FINDINGS ? rec->n : CT_RENDER_TOP_FINDINGS;
	if (shown) {
		if (shown < rec->n)
			fprintf(out, "\nTop %zu of %zu findings by saving:\n", shown, rec->n);
		else
			fputs("\nFindings by saving:\n", out);
		fputs("\n| Resource | Kind | Type | Region | Action | Monthly cost | Saving |\n"
		      "|:---|:---|:---|:---|:---|---:|---:|\n", out);
	}
	for (i = 0; i < shown; i++) {
		const struct ct_finding *f = by[i];
		char *action = ct_render_action(f);

		fputs("| ", out);
		ct_render_put_md(out, f->resource_id);
		fprintf(out, " | %s | ", ct_render_kind_name(f->kind));
		ct_render_put_md(out, f->resource_type);
		fputs(" | ", out);
		ct_render_put_md(out, f->region);
		fputs(" | ", out);
		ct_render_put_md(out, action);
		fprintf(out, " | %s | %s |\n",
			ct_render_money(f->monthly_cost, "USD", m1, sizeof(m1)),
			ct_render_money(f->savings, "USD", m2, sizeof(m2)));
		free(action);
	}
	free(by);
	nbest = ct_render_best_commitments(rec, best, sizeof(best) / sizeof(best[0]));
	if (nbest)
		fprintf(out, "\nBest commitment options (the largest %zu):\n\n"
			     "| Instance type | Region | Option | Count | Upfront | Monthly saving |\n"
			     "|:---|:---|:---|---:|---:|---:|\n", nbest);
	for (i = 0; i < nbest; i++) {
		char *opt = ct_render_commitment_option(best[i]);

		fputs("| ", out);
		ct_render_put_md(out, best[i]->instance_type);
		fputs(" | ", out);
		ct_render_put_md(out, best[i]->region);
		fputs(" | ", out);
		ct_render_put_md(out, opt);
		fprintf(out, " | %g | %s | %s |\n", best[i]->count,
			ct_render_money(best[i]->upfront, "USD", m1, sizeof(m1)),
			ct_render_money(best[i]->savings, "USD", m2, sizeof(m2)));
		free(opt);
	}
}

static void notes_section(FILE *out, const struct ct_report *r)
{
	size_t i;

	if (r->nnotes == 0)
		return;
	heading(out, "Notes");
	for (i = 0; i < r->nnotes; i++) {
		fputs("- ", out);
		ct_render_put_md(out, r->notes[i]);
		fputs("\n", out);
	}
}

void ct_render_markdown_report(const struct ct_report *r, FILE *out)
{
	header_and_totals(out, r);
	list_section(out, r, "By service", "Service", &r->by_service,
		     KEY_ID_CATEGORY, CT_RENDER_TOP_SERVICES, "services");
	list_section(out, r, "By service category", "Category",
		     &r->by_category, KEY_ID, 0, "");
	list_section(out, r, "By account", "Account", &r->by_account,
		     KEY_ID_NAME, 0, "");
	list_section(out, r, "By region", "Region", &r->by_region,
		     KEY_ID_NAME, 0, "");
	list_section(out, r, "By charge category", "Charge category",
		     &r->by_charge_category, KEY_ID, 0, "");
	movers_section(out, r);
	tags_section(out, r);
	daily_section(out, r);
	anomalies_section(out, r);
	budgets_section(out, r);
	savings_section(out, r);
	k8s_section(out, r);
	notes_section(out, r);
}
