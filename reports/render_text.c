/*
 * render_text.c - the monthly report as plain text for a terminal or an
 * e-mail body: a FinOps summary in fixed-width columns (at most 97 wide),
 * amounts right-aligned with thousands separators and rounded to the cent.
 *
 * Depends on the model (report.h) and the shared helpers (render.h); it
 * only formats what the model holds, in the model's order. Strings from
 * the model are made safe for a terminal: invalid UTF-8 becomes U+FFFD,
 * tabs and line breaks become spaces, and other control characters and
 * bidirectional overrides become '?', so a tag value cannot move the
 * cursor or send escape sequences. A column counts one per code point, so
 * double-width (CJK) names push the row to the right.
 */
#include "ct.h"
#include "render.h"
#include "recommend.h"
#include "budget.h"
#include "k8s_cost.h"

#define NAME_W 28   /* first column of the breakdown tables */
#define MONEY_W 13  /* "$9,999,999.99" */
#define CHANGE_W 24 /* "+$1,234,567.89 (+100.0%)" */
#define LABEL_W 34  /* labels of the totals */

/* The code point to print for cp in a terminal. */
static uint32_t safe_cp(uint32_t cp)
{
	if (cp == '\t' || cp == '\n' || cp == '\r')
		return ' ';
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) ||
	    (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
		return '?';
	return cp;
}

/* Columns that s takes: one per code point. */
static size_t width(const char *s)
{
	size_t n = 0;

	while (ct_render_utf8_next(&s))
		n++;
	return n;
}

/* Write at most max columns of s, made safe. */
static void put_safe(FILE *out, const char *s, size_t max)
{
	uint32_t cp;
	size_t n;

	for (n = 0; n < max && (cp = ct_render_utf8_next(&s)) != 0; n++)
		ct_render_put_utf8(out, safe_cp(cp));
}

static void spaces(FILE *out, size_t n)
{
	while (n--)
		putc(' ', out);
}

/* Write s in a field of w columns, cut with "…" when it is wider. */
static void put_field(FILE *out, const char *s, size_t w, bool right)
{
	size_t n = width(s);

	if (n > w) {
		put_safe(out, s, w - 1);
		fputs("…", out);
		return;
	}
	if (right)
		spaces(out, w - n);
	put_safe(out, s, n);
	if (!right)
		spaces(out, w - n);
}

/* A section title, underlined. */
static void heading(FILE *out, const char *title)
{
	size_t n = width(title);

	fputs("\n", out);
	put_safe(out, title, n);
	fputs("\n", out);
	while (n--)
		putc('-', out);
	fputs("\n", out);
}

static void table_head(FILE *out, const char *first)
{
	fputs("  ", out);
	put_field(out, first, NAME_W, false);
	fprintf(out, " %*s %*s %*s %*s\n", MONEY_W, "Billed", MONEY_W,
		"Effective", MONEY_W, "Previous", CHANGE_W, "Change");
}

static void item_row(FILE *out, const struct ct_report *r,
		     const char *label, ct_money billed, ct_money effective,
		     ct_money prev)
{
	char b[CT_RENDER_MONEY_MAX], e[CT_RENDER_MONEY_MAX];
	char p[CT_RENDER_MONEY_MAX], c[CT_RENDER_CHANGE_MAX];

	ct_render_money(billed, r->currency, b, sizeof(b));
	ct_render_money(effective, r->currency, e, sizeof(e));
	if (r->has_prev)
		ct_render_money(prev, r->currency, p, sizeof(p));
	else
		snprintf(p, sizeof(p), "n/a");
	ct_render_change(billed, prev, r->has_prev, r->currency, c, sizeof(c));
	fputs("  ", out);
	put_field(out, label, NAME_W, false);
	fprintf(out, " %*s %*s %*s %*s\n", MONEY_W, b, MONEY_W, e, MONEY_W, p,
		CHANGE_W, c);
}

/* A breakdown: its first top rows, then "other N <noun>" (top 0: all). */
static void list_section(FILE *out, const struct ct_report *r,
			 const char *title, const char *column,
			 const struct ct_report_list *l, bool id_first,
			 size_t top, const char *noun)
{
	size_t i, shown = ct_render_shown(l->n, top);
	char t[128];

	if (shown < l->n)
		snprintf(t, sizeof(t), "%s (top %zu of %zu)", title, shown,
			 l->n);
	else
		snprintf(t, sizeof(t), "%s", title);
	heading(out, t);
	if (l->n == 0) {
		fputs("  none\n", out);
		return;
	}
	table_head(out, column);
	for (i = 0; i < shown; i++) {
		char *label = ct_render_label(&l->v[i], id_first);
		item_row(out, r, label, l->v[i].billed, l->v[i].effective,
			 l->v[i].prev_billed);
		free(label);
	}
	if (shown < l->n) {
		struct ct_report_item rest;
		char label[64];

		ct_render_rest(l, shown, &rest);
		snprintf(label, sizeof(label), "other %zu %s", l->n - shown,
			 noun);
		item_row(out, r, label, rest.billed, rest.effective,
			 rest.prev_billed);
	}
}

static void total_line(FILE *out, const char *label, const char *value)
{
	fputs("  ", out);
	put_field(out, label, LABEL_W, false);
	fprintf(out, " %*s\n", MONEY_W, value);
}

static void header_and_totals(FILE *out, const struct ct_report *r)
{
	char v[CT_RENDER_MONEY_MAX], pct[CT_RENDER_PCT_MAX], label[64];

	fprintf(out, "Cloud cost report — %.7s (", r->month);
	put_safe(out, r->currency, sizeof(r->currency) - 1);
	fputs(")\n", out);
	if (r->complete)
		fprintf(out, "Billing period %.7s, complete.\n", r->month);
	else
		fprintf(out,
			"Billing period %.7s, in progress: %d of %d days "
			"with charges.\n",
			r->month, r->days_with_data, r->days_in_month);
	if (r->has_prev)
		fprintf(out, "Compared with %.7s.\n", r->prev_month);
	else
		fprintf(out, "No billing data for %.7s to compare with.\n",
			r->prev_month);

	heading(out, "Totals");
	total_line(out, "Billed cost",
		   ct_render_money(r->total_billed, r->currency, v, sizeof(v)));
	total_line(out, "Effective (amortized) cost",
		   ct_render_money(r->total_effective, r->currency, v,
				   sizeof(v)));
	snprintf(label, sizeof(label), "Previous month billed (%.7s)",
		 r->prev_month);
	total_line(out, label,
		   r->has_prev ? ct_render_money(r->prev_billed, r->currency,
						 v, sizeof(v))
			       : "n/a");
	total_line(out, "Previous month effective",
		   r->has_prev ? ct_render_money(r->prev_effective,
						 r->currency, v, sizeof(v))
			       : "n/a");
	if (r->has_prev) {
		ct_render_delta(r->total_billed, r->prev_billed, r->currency,
				v, sizeof(v));
		ct_render_pct(r->total_billed, r->prev_billed, pct,
			      sizeof(pct));
		fputs("  ", out);
		put_field(out, "Change in billed cost", LABEL_W, false);
		fprintf(out, " %*s  (%s)\n", MONEY_W, v, pct);
	} else {
		total_line(out, "Change in billed cost", "n/a");
	}
	if (r->has_forecast)
		total_line(out, "Forecast billed cost (run rate)",
			   ct_render_money(r->forecast, r->currency, v,
					   sizeof(v)));
	total_line(out, "Billing lines",
		   ct_render_count(r->lines, v, sizeof(v)));
}

static void movers_section(FILE *out, const struct ct_report *r)
{
	char b[CT_RENDER_MONEY_MAX], p[CT_RENDER_MONEY_MAX];
	char c[CT_RENDER_CHANGE_MAX];
	size_t i;

	heading(out, "Top movers");
	if (r->movers.n == 0) {
		fputs("  none\n", out);
		return;
	}
	fputs("  ", out);
	put_field(out, "Service", NAME_W, false);
	fprintf(out, " %*s %*s %*s\n", MONEY_W, "Billed", MONEY_W,
		"Previous", CHANGE_W, "Change");
	for (i = 0; i < r->movers.n; i++) {
		const struct ct_report_item *it = &r->movers.v[i];
		char *label = ct_render_label(it, false);

		ct_render_money(it->billed, r->currency, b, sizeof(b));
		if (r->has_prev)
			ct_render_money(it->prev_billed, r->currency, p,
					sizeof(p));
		else
			snprintf(p, sizeof(p), "n/a");
		ct_render_change(it->billed, it->prev_billed, r->has_prev,
				 r->currency, c, sizeof(c));
		fputs("  ", out);
		put_field(out, label, NAME_W, false);
		fprintf(out, " %*s %*s %*s\n", MONEY_W, b, MONEY_W, p,
			CHANGE_W, c);
		free(label);
	}
}

static void share_row(FILE *out, const struct ct_report *r,
		      const char *label, ct_money billed)
{
	char b[CT_RENDER_MONEY_MAX], s[CT_RENDER_PCT_MAX];

	ct_render_money(billed, r->currency, b, sizeof(b));
	ct_render_share(billed, r->total_billed, s, sizeof(s));
	fputs("    ", out);
	put_field(out, label, NAME_W - 2, false);
	fprintf(out, " %*s %8s\n", MONEY_W, b, s);
}

static void tags_section(FILE *out, const struct ct_report *r)
{
	char b[CT_RENDER_MONEY_MAX], s[CT_RENDER_PCT_MAX];
	size_t k, i;

	heading(out, "Cost allocation by tag");
	if (r->ntags == 0)
		fputs("  no allocation tags configured\n", out);
	for (k = 0; k < r->ntags; k++) {
		const struct ct_report_tag *t = &r->tags[k];
		size_t shown = ct_render_shown(t->values.n,
					       CT_RENDER_TOP_VALUES);

		if (k > 0)
			fputs("\n", out);
		fputs("  ", out);
		put_field(out, ct_render_nz(t->key), NAME_W, false);
		fprintf(out, " %*s %8s\n", MONEY_W, "Billed", "Share");
		for (i = 0; i < shown; i++)
			share_row(out, r, ct_render_nz(t->values.v[i].id),
				  t->values.v[i].billed);
		if (shown < t->values.n) {
			struct ct_report_item rest;
			char label[64];

			ct_render_rest(&t->values, shown, &rest);
			snprintf(label, sizeof(label), "other %zu values",
				 t->values.n - shown);
			share_row(out, r, label, rest.billed);
		}
		share_row(out, r, "(untagged)", t->untagged);
	}

	heading(out, "Untagged cost");
	ct_render_money(r->untagged, r->currency, b, sizeof(b));
	ct_render_share(r->untagged, r->total_billed, s, sizeof(s));
	fputs("  ", out);
	put_field(out, "Without any allocation tag", LABEL_W, false);
	fprintf(out, " %*s  (%s of billed cost)\n", MONEY_W, b, s);
}

/* Every day, in three columns read top to bottom; '!' marks anomalies. */
static void daily_section(FILE *out, const struct ct_report *r)
{
	enum { COLS = 3 };
	size_t rows = (r->ndaily + COLS - 1) / COLS;
	size_t i, c;
	bool any = false;

	heading(out, "Daily billed cost");
	if (r->ndaily == 0) {
		fputs("  none\n", out);
		return;
	}
	for (i = 0; i < rows; i++) {
		fputs("  ", out);
		for (c = 0; c < COLS; c++) {
			size_t d = c * rows + i;
			const struct ct_report_day *day;
			char b[CT_RENDER_MONEY_MAX];
			const char *flag;
			bool a;

			if (d >= r->ndaily)
				break;
			day = &r->daily[d];
			a = ct_render_is_anomaly(r, day->date);
			any = any || a;
			ct_render_money(day->billed, r->currency, b, sizeof(b));
			flag = "";
			if (a)
				flag = "!";
			else if (c + 1 < COLS && d + rows < r->ndaily)
				flag = " "; /* another cell follows */
			fprintf(out, "%s%.10s %*s%s", c ? "    " : "",
				day->date, MONEY_W, b, flag);
		}
		fputs("\n", out);
	}
	if (any)
		fputs("  ! anomaly, see below\n", out);
}

static void anomalies_section(FILE *out, const struct ct_report *r)
{
	size_t i;

	heading(out, "Anomalies");
	if (r->nanomalies == 0) {
		fputs("  none: no day more than 3 standard deviations from "
		      "the daily mean\n",
		      out);
		return;
	}
	fprintf(out, "  %-10s %*s %*s %10s\n", "Date", MONEY_W, "Billed",
		MONEY_W, "Expected", "Deviation");
	for (i = 0; i < r->nanomalies; i++) {
		const struct ct_report_anomaly *a = &r->anomalies[i];
		char b[CT_RENDER_MONEY_MAX], e[CT_RENDER_MONEY_MAX];
		char s[32];

		ct_render_money(a->billed, r->currency, b, sizeof(b));
		ct_render_money(a->expected, r->currency, e, sizeof(e));
		ct_render_sigmas(a->sigmas, s, sizeof(s));
		fprintf(out, "  %-10.10s %*s %*s %10s\n", a->date, MONEY_W, b,
			MONEY_W, e, s);
	}
}

static void savings_section(FILE *out, const struct ct_report *r)
{
	const struct ct_recommend *rec = r->rec;
	const struct ct_finding **by = NULL;
	const struct ct_commitment *best[5];
	char m1[CT_RENDER_MONEY_MAX], m2[CT_RENDER_MONEY_MAX], t[128];
	size_t i, shown, nbest;

	if (!rec)
		return;
	heading(out, "Savings opportunities");
	ct_render_money(rec->total_savings, "USD", m1, sizeof(m1));
	total_line(out, "Estimated monthly saving", m1);
	fputs("  (the findings plus, per instance type, the best commitment option;\n"
	      "  every finding with its evidence: cloudtally recommend)\n", out);
	if (rec->n == 0 && !rec->has_metrics)
		fputs("\n  No inventory or metrics in the store: ingest the output of\n"
		      "  contrib/collect-aws to find idle, low-CPU and unattached resources.\n",
		      out);
	if (rec->nkt) {
		fprintf(out, "\n  %-34s %5s %*s\n", "Kind", "Items", MONEY_W, "Saving");
		for (i = 0; i < rec->nkt; i++) {
			fputs("  ", out);
			put_field(out, ct_render_kind_name(rec->kt[i].kind), 34, false);
			fprintf(out, " %5zu %*s\n", rec->kt[i].n, MONEY_W,
				ct_render_money(rec->kt[i].savings, "USD", m1, sizeof(m1)));
		}
	}
	by = ct_render_findings_by_saving(rec);
	shown = rec->n < CT_RENDER_TOP_FINDINGS ? rec->n : CT_RENDER_TOP_FINDINGS;
	if (shown) {
		if (shown < rec->n)
			snprintf(t, sizeof(t), "Top findings by saving (%zu of %zu)", shown, rec->n);
		else
			snprintf(t, sizeof(t), "Findings by saving");
		fprintf(out, "\n  %s\n  ", t);
		put_field(out, "Resource", 21, false);
		fputs(" ", out);
		put_field(out, "Kind", 18, false);
		fputs(" ", out);
		put_field(out, "Action", 26, false);
		fprintf(out, " %*s %*s\n", MONEY_W, "Monthly cost", MONEY_W, "Saving");
	}
	for (i = 0; i < shown; i++) {
		const struct ct_finding *f = by[i];
		char *action = ct_render_action(f);

		fputs("  ", out);
		put_field(out, ct_render_nz(f->resource_id), 21, false);
		fputs(" ", out);
		put_field(out, ct_render_kind_name(f->kind), 18, false);
		fputs(" ", out);
		put_field(out, action, 26, false);
		fprintf(out, " %*s %*s\n", MONEY_W,
			ct_render_money(f->monthly_cost, "USD", m1, sizeof(m1)), MONEY_W,
			ct_render_money(f->savings, "USD", m2, sizeof(m2)));
		free(action);
	}
	free(by);
	nbest = ct_render_best_commitments(rec, best, sizeof(best) / sizeof(best[0]));
	if (nbest) {
		fprintf(out, "\n  Best commitment options (largest %zu)\n  ", nbest);
		put_field(out, "Type and region", 24, false);
		fputs(" ", out);
		put_field(out, "Option", 34, false);
		fprintf(out, " %5s %*s %*s\n", "Count", MONEY_W, "Upfront", MONEY_W,
			"Saving");
	}
	for (i = 0; i < nbest; i++) {
		const struct ct_commitment *c = best[i];
		char *where = ct_xasprintf("%s %s", c->instance_type, c->region);
		char *opt = ct_render_commitment_option(c);
		char cnt[32];

		snprintf(cnt, sizeof(cnt), "%g", c->count);
		fputs("  ", out);
		put_field(out, where, 24, false);
		fputs(" ", out);
		put_field(out, opt, 34, false);
		fprintf(out, " %5s %*s %*s\n", cnt, MONEY_W,
			ct_render_money(c->upfront, "USD", m1, sizeof(m1)), MONEY_W,
			ct_render_money(c->savings, "USD", m2, sizeof(m2)));
		free(where);
		free(opt);
	}
}

static void budgets_section(FILE *out, const struct ct_report *r)
{
	const struct ct_budget_status *b = r->budgets;

	if (!b || !b->n)
		return;
	heading(out, "Budgets");
	fprintf(out, "  %-28s %*s %*s %7s %*s  %s\n", "Budget", MONEY_W, "Amount", MONEY_W,
		"Spend", "Used", MONEY_W, "Forecast", "Status");
	for (size_t i = 0; i < b->n; i++) {
		const struct ct_budget_row *v = &b->v[i];
		char a[CT_RENDER_MONEY_MAX], s[CT_RENDER_MONEY_MAX], f[CT_RENDER_MONEY_MAX];
		char p[32];

		fputs("  ", out);
		put_field(out, v->name, 28, false);
		snprintf(p, sizeof(p), "%.1f%%", v->used_pct);
		fprintf(out, " %*s %*s %7s %*s  %s", MONEY_W,
			ct_render_money(v->amount, r->currency, a, sizeof(a)), MONEY_W,
			ct_render_money(v->spend, r->currency, s, sizeof(s)), p, MONEY_W,
			ct_render_money(v->forecast, r->currency, f, sizeof(f)), v->status);
		if (strcmp(v->forecast_status, v->status))
			fprintf(out, " (forecast: %s)", v->forecast_status);
		fputs("\n", out);
	}
}

static void k8s_section(FILE *out, const struct ct_report *r)
{
	const struct ct_k8s_cost *k = r->k8s;
	char m[CT_RENDER_MONEY_MAX], label[64];
	size_t i, shown;

	if (!k)
		return;
	heading(out, "Kubernetes");
	fputs("  The ingested cluster snapshot, at list prices\n", out);
	total_line(out, "Cluster monthly cost", ct_render_money(k->cluster, "USD", m, sizeof(m)));
	total_line(out, "Control plane", ct_render_money(k->control_plane, "USD", m, sizeof(m)));
	snprintf(label, sizeof(label), "Nodes (%zu)", k->nnodes);
	total_line(out, label, ct_render_money(k->nodes_total, "USD", m, sizeof(m)));
	snprintf(label, sizeof(label), "Persistent volumes (%zu)", k->nvolumes);
	total_line(out, label, ct_render_money(k->volumes_total, "USD", m, sizeof(m)));
	snprintf(label, sizeof(label), "Load balancers (%zu)", k->nlbs);
	total_line(out, label, ct_render_money(k->lbs_total, "USD", m, sizeof(m)));
	total_line(out, "Idle (capacity not requested)", ct_render_money(k->idle, "USD", m, sizeof(m)));
	total_line(out, "Shared namespaces", ct_render_money(k->shared, "USD", m, sizeof(m)));
	total_line(out, "Moving on-demand groups to spot saves",
		   ct_render_money(k->spot_savings, "USD", m, sizeof(m)));
	shown = k->nalloc < CT_RENDER_TOP_FINDINGS ? k->nalloc : CT_RENDER_TOP_FINDINGS;
	fprintf(out, "\n  %-40s %6s %*s\n", k->by_name, "Pods", MONEY_W, "Monthly cost");
	for (i = 0; i < shown; i++) {
		fputs("  ", out);
		put_field(out, k->alloc[i].name, 40, false);
		fprintf(out, " %6zu %*s\n", k->alloc[i].pods, MONEY_W,
			ct_render_money(k->alloc[i].total, "USD", m, sizeof(m)));
	}
	if (shown < k->nalloc)
		fprintf(out, "  ... %zu more: cloudtally k8s\n", k->nalloc - shown);
}

static void notes_section(FILE *out, const struct ct_report *r)
{
	size_t i;

	if (r->nnotes == 0)
		return;
	heading(out, "Notes");
	for (i = 0; i < r->nnotes; i++) {
		const char *n = ct_render_nz(r->notes[i]);

		fputs("  - ", out);
		put_safe(out, n, width(n));
		fputs("\n", out);
	}
}

void ct_render_text_report(const struct ct_report *r, FILE *out)
{
	header_and_totals(out, r);
	list_section(out, r, "By service", "Service", &r->by_service, false,
		     CT_RENDER_TOP_SERVICES, "services");
	list_section(out, r, "By service category", "Category",
		     &r->by_category, false, 0, "");
	list_section(out, r, "By account", "Account", &r->by_account, false,
		     0, "");
	list_section(out, r, "By region", "Region", &r->by_region, true, 0,
		     "");
	list_section(out, r, "By charge category", "Charge category",
		     &r->by_charge_category, false, 0, "");
	movers_section(out, r);
	tags_section(out, r);
	daily_section(out, r);
	anomalies_section(out, r);
	budgets_section(out, r);
	savings_section(out, r);
	k8s_section(out, r);
	notes_section(out, r);
}
