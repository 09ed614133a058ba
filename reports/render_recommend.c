/*
 * render_recommend.c - the findings of `cloudtally recommend` in four
 * formats: text and markdown for people (amounts rounded to the cent by
 * ct_render_money()), JSON exact to the nano-dollar (the issue 5
 * contract, keys in strcmp order, with commitments, totals_by_kind and
 * total_rule), and CSV with one row per finding, one per commitment option
 * (resource_type = instance type, monthly_cost = the on-demand cost of the
 * committed count, the option in evidence) and a closing total row, money with 6 decimals and text cells neutralised
 * against formula injection as render_csv.c does.
 *
 * Depends on the model (recommend.h), money.h, the JSON writer and the
 * shared render helpers; writes only to the FILE * given.
 */
#include "ct.h"
#include "recommend.h"
#include "render.h"
#include "money.h"
#include "jsonw.h"
#include "clock.h"

static void commitments_human(const struct ct_recommend *r, FILE *out, bool md);

/* The Compute Optimizer recommendations ingested, each with cloudtally's
 * finding on the same resource (or none). */
static void optimizer_human(const struct ct_recommend *r, FILE *out, bool md)
{
	void (*put)(FILE *, const char *) = md ? ct_render_put_md : ct_render_put_plain;
	char m[CT_RENDER_MONEY_MAX];

	if (!r->nopt)
		return;
	if (md)
		fputs("\n## AWS Compute Optimizer\n\nIts recommendations, shown beside the "
		      "findings above and not added to the totals.\n\n"
		      "| Resource | Region | Finding | Current | Recommended | Its saving | "
		      "Finding here |\n|:---|:---|:---|:---|:---|---:|:---|\n", out);
	else
		fputs("\nAWS Compute Optimizer (its recommendations, beside the findings above;"
		      " not in the totals):\n", out);
	for (size_t i = 0; i < r->nopt; i++) {
		const struct ct_optimizer *o = &r->opt[i];

		fputs(md ? "| " : "  ", out);
		put(out, o->resource_id);
		fputs(md ? " | " : " (", out);
		put(out, o->region[0] ? o->region : "-");
		fputs(md ? " | " : "): ", out);
		put(out, o->finding);
		fputs(md ? " | " : ", ", out);
		put(out, o->current ? o->current : "-");
		fputs(md ? " | " : " -> ", out);
		put(out, o->recommended ? o->recommended : "-");
		fprintf(out, md ? " | %s | " : ", its saving %s, finding here: ",
			o->has_savings ? ct_render_money(o->savings, NULL, m, sizeof(m)) : "unknown");
		put(out, o->ours ? o->ours : "none");
		fputs(md ? " |\n" : "\n", out);
	}
}

static void window_text(const struct ct_recommend *r, char first[11], char last[11])
{
	ct_clock_format_day(r->window_first, first);
	ct_clock_format_day(r->window_last, last);
}

static void render_text(const struct ct_recommend *r, FILE *out)
{
	const struct ct_recommend_opts *o = &r->opts;
	char m1[CT_RENDER_MONEY_MAX], m2[CT_RENDER_MONEY_MAX], a[32], b[32];
	char first[11], last[11];
	size_t i;

	window_text(r, first, last);
	fprintf(out, "Recommendations: %zu finding%s, estimated monthly saving %s\n", r->n,
		r->n == 1 ? "" : "s", ct_render_money(r->total_savings, NULL, m1, sizeof(m1)));
	fprintf(out, "Metrics window: %s to %s (%d days)%s\n", first, last, o->window_days,
		r->has_metrics ? "" : ", no metrics in the store");
	fprintf(out,
		"Thresholds: idle CPU <= %s%% and network <= %s MB on >= %d days;"
		" low CPU < %s%%; snapshots > %d days; stopped >= %d days\n",
		ct_render_num(o->idle_cpu, a, sizeof(a)), ct_render_num(o->idle_net_mb, b, sizeof(b)), o->idle_days,
		ct_render_num(o->low_cpu, m2, sizeof(m2)), o->snapshot_days, o->stopped_days);
	fprintf(out, "Billing month for costs: %s\n",
		r->billing_month[0] ? r->billing_month : "none (catalog prices)");
	for (i = 0; i < r->n; i++) {
		const struct ct_finding *f = &r->f[i];

		fprintf(out, "\n%s ", f->kind);
		ct_render_put_plain(out, f->resource_id);
		fputs(" (", out);
		ct_render_put_plain(out, f->resource_type);
		fputs(", ", out);
		ct_render_put_plain(out, f->region[0] ? f->region : "-");
		fputs(", account ", out);
		ct_render_put_plain(out, f->account_id[0] ? f->account_id : "-");
		fputs(")\n", out);
		fprintf(out, "  monthly cost %s, saving %s, action %s",
			ct_render_money(f->monthly_cost, NULL, m1, sizeof(m1)),
			ct_render_money(f->savings, NULL, m2, sizeof(m2)), f->action);
		if (f->recommended_type) {
			fputs(" to ", out);
			ct_render_put_plain(out, f->recommended_type);
		}
		fputs("\n  evidence: ", out);
		{
			size_t k;
			for (k = 0; k < f->nev; k++) {
				fprintf(out, "%s%s=", k ? ", " : "", f->ev[k].key);
				ct_render_put_plain(out, f->ev[k].value);
			}
		}
		putc('\n', out);
	}
	if (r->n == 0)
		fputs("\nNo findings.\n", out);
	optimizer_human(r, out, false);
	commitments_human(r, out, false);
}

static const char *const total_rule =
	"findings plus, per (instance type, region, OS), only the commitment option with the "
	"largest monthly saving (best)";

static const char *rate_text(ct_rate r, char *buf, size_t len)
{
	return ct_rate_format(r, buf, len);
}

/* Commitments and totals by kind for people: text (md false) or
 * markdown. */
static void commitments_human(const struct ct_recommend *r, FILE *out, bool md)
{
	char m1[CT_RENDER_MONEY_MAX], m2[CT_RENDER_MONEY_MAX], m3[CT_RENDER_MONEY_MAX];
	char r1[48], r2[48], n1[32], n2[32], n3[32], first[20], last[20];
	size_t i;

	if (r->usage_last) {
		ct_clock_format_day(ct_clock_day(r->usage_first), first);
		ct_clock_format_day(ct_clock_day(r->usage_last - 1), last);
	} else {
		snprintf(first, sizeof(first), "-");
		snprintf(last, sizeof(last), "-");
	}
	if (md) {
		fprintf(out, "\n## Commitments\n\nOn-demand EC2 usage %s to %s; count is the "
			     "steady baseline (fewest instances running in any hour). "
			     "**best** is the option counted in the total.\n",
			first, last);
		if (!r->ncm) {
			fputs("\nNo commitment or spot projections.\n", out);
		} else {
			fputs("\n| Kind | Type | Region | OS | Offering | Term | Payment | Count | "
			      "Upfront | Effective/h | On-demand/h | Monthly saving | At utilisation | "
			      "Break-even months | Best | Note |\n"
			      "|---|---|---|---|---|---|---|--:|--:|--:|--:|--:|--:|--:|---|---|\n",
			      out);
			for (i = 0; i < r->ncm; i++) {
				const struct ct_commitment *c = &r->cm[i];

				fprintf(out, "| %s | ", c->kind);
				ct_render_put_md(out, c->instance_type);
				fputs(" | ", out);
				ct_render_put_md(out, c->region);
				fprintf(out, " | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | ",
					c->os, c->offering[0] ? c->offering : "-",
					c->term[0] ? c->term : "-",
					c->payment[0] ? c->payment : "-",
					ct_render_num(c->count, n1, sizeof(n1)),
					ct_render_money(c->upfront, NULL, m1, sizeof(m1)),
					rate_text(c->effective_hourly, r1, sizeof(r1)),
					rate_text(c->ondemand_hourly, r2, sizeof(r2)),
					ct_render_money(c->savings, NULL, m2, sizeof(m2)),
					ct_render_money(c->savings_at_util, NULL, m3, sizeof(m3)),
					ct_render_num(c->break_even_months, n2, sizeof(n2)),
					c->best ? "**best**" : "");
				ct_render_put_md(out, c->estimated ? "estimated" : "");
				if (c->note) {
					fputs(c->estimated ? "; " : "", out);
					ct_render_put_md(out, c->note);
				}
				fputs(" |\n", out);
			}
		}
		fputs("\n## Savings by kind\n\n| Kind | Items | Monthly saving |\n|---|--:|--:|\n",
		      out);
		for (i = 0; i < r->nkt; i++)
			fprintf(out, "| %s | %zu | %s |\n", r->kt[i].kind, r->kt[i].n,
				ct_render_money(r->kt[i].savings, NULL, m1, sizeof(m1)));
		fprintf(out, "| **total** (%s) | | **%s** |\n", total_rule,
			ct_render_money(r->total_savings, NULL, m1, sizeof(m1)));
		return;
	}
	fprintf(out, "\nCommitments (on-demand EC2 usage %s to %s; count = steady baseline, "
		     "the fewest instances running in any hour; * = counted in the total):\n",
		first, last);
	if (!r->ncm)
		fputs("  none\n", out);
	for (i = 0; i < r->ncm; i++) {
		const struct ct_commitment *c = &r->cm[i];

		fprintf(out, "%s %s ", c->best ? "*" : " ", c->kind);
		ct_render_put_plain(out, c->instance_type);
		putc(' ', out);
		ct_render_put_plain(out, c->region);
		fprintf(out, " %s", c->os);
		if (c->term[0])
			fprintf(out, " %s %s %s", c->offering, c->term, c->payment);
		fprintf(out,
			": count %s, upfront %s, effective %s/h (on-demand %s/h), saving %s a month"
			" (%s at utilisation %s), break-even %s months%s",
			ct_render_num(c->count, n1, sizeof(n1)), ct_render_money(c->upfront, NULL, m1, sizeof(m1)),
			rate_text(c->effective_hourly, r1, sizeof(r1)),
			rate_text(c->ondemand_hourly, r2, sizeof(r2)),
			ct_render_money(c->savings, NULL, m2, sizeof(m2)),
			ct_render_money(c->savings_at_util, NULL, m3, sizeof(m3)),
			ct_render_num(c->utilisation, n2, sizeof(n2)), ct_render_num(c->break_even_months, n3, sizeof(n3)),
			c->estimated ? ", estimated" : "");
		if (c->note && !strcmp(c->kind, "spot")) {
			fputs(" (", out);
			ct_render_put_plain(out, c->note);
			putc(')', out);
		}
		putc('\n', out);
	}
	fputs("\nSavings by kind:\n", out);
	for (i = 0; i < r->nkt; i++)
		fprintf(out, "  %s: %s (%zu)\n", r->kt[i].kind,
			ct_render_money(r->kt[i].savings, NULL, m1, sizeof(m1)), r->kt[i].n);
	fprintf(out, "  total: %s (%s)\n", ct_render_money(r->total_savings, NULL, m1, sizeof(m1)),
		total_rule);
}

static void render_markdown(const struct ct_recommend *r, FILE *out)
{
	char m1[CT_RENDER_MONEY_MAX], m2[CT_RENDER_MONEY_MAX];
	char first[11], last[11];
	size_t i, k;

	window_text(r, first, last);
	fputs("# Recommendations\n\n", out);
	fprintf(out, "%zu finding%s, estimated monthly saving **%s**. Metrics window %s to %s.\n",
		r->n, r->n == 1 ? "" : "s", ct_render_money(r->total_savings, NULL, m1, sizeof(m1)),
		first, last);
	if (r->n == 0) {
		commitments_human(r, out, true);
		return;
	}
	fputs("\n| Kind | Resource | Type | Region | Account | Monthly cost | Saving | Action | "
	      "Evidence |\n"
	      "|---|---|---|---|---|--:|--:|---|---|\n",
	      out);
	for (i = 0; i < r->n; i++) {
		const struct ct_finding *f = &r->f[i];

		fputs("| ", out);
		ct_render_put_md(out, f->kind);
		fputs(" | ", out);
		ct_render_put_md(out, f->resource_id);
		fputs(" | ", out);
		ct_render_put_md(out, f->resource_type);
		fputs(" | ", out);
		ct_render_put_md(out, f->region);
		fputs(" | ", out);
		ct_render_put_md(out, f->account_id);
		fprintf(out, " | %s | %s | ",
			ct_render_money(f->monthly_cost, NULL, m1, sizeof(m1)),
			ct_render_money(f->savings, NULL, m2, sizeof(m2)));
		ct_render_put_md(out, f->action);
		if (f->recommended_type) {
			fputs(" to ", out);
			ct_render_put_md(out, f->recommended_type);
		}
		fputs(" | ", out);
		for (k = 0; k < f->nev; k++) {
			if (k)
				fputs(", ", out);
			ct_render_put_md(out, f->ev[k].key);
			fputs("=", out);
			ct_render_put_md(out, f->ev[k].value);
		}
		fputs(" |\n", out);
	}
	optimizer_human(r, out, true);
	commitments_human(r, out, true);
}

static void json_money(struct ct_jsonw *w, const char *key, ct_money m)
{
	ct_jsonw_key(w, key);
	ct_jsonw_money(w, m);
}

/* A number member, or with key NULL the value alone. */
static void json_num(struct ct_jsonw *w, const char *key, double v)
{
	char buf[64];

	if (key)
		ct_jsonw_key(w, key);
	ct_jsonw_raw(w, ct_render_num(v, buf, sizeof(buf)));
}

void ct_recommend_json(struct ct_jsonw *wp, const struct ct_recommend *r)
{
	const struct ct_recommend_opts *o = &r->opts;
	struct ct_jsonw w = *wp;
	char last[11], first[11];
	size_t i, k;

	window_text(r, first, last);
	ct_jsonw_open(&w, '{');
	ct_jsonw_key(&w, "commitments");
	ct_jsonw_open(&w, '[');
	for (i = 0; i < r->ncm; i++) {
		const struct ct_commitment *c = &r->cm[i];
		char rb[48];

		ct_jsonw_open(&w, '{');
		json_num(&w, "avg_count", c->avg_count);
		ct_jsonw_key(&w, "best");
		ct_jsonw_raw(&w, c->best ? "true" : "false");
		json_num(&w, "break_even_months", c->break_even_months);
		json_num(&w, "count", c->count);
		ct_jsonw_key(&w, "effective_hourly_rate");
		ct_jsonw_raw(&w, ct_rate_format(c->effective_hourly, rb, sizeof(rb)));
		ct_jsonw_key(&w, "estimated");
		ct_jsonw_raw(&w, c->estimated ? "true" : "false");
		json_money(&w, "estimated_monthly_savings", c->savings);
		json_money(&w, "estimated_monthly_savings_at_utilisation", c->savings_at_util);
		ct_jsonw_key(&w, "instance_type");
		ct_jsonw_string(&w, c->instance_type);
		ct_jsonw_key(&w, "kind");
		ct_jsonw_string(&w, c->kind);
		ct_jsonw_key(&w, "note");
		ct_jsonw_string(&w, c->note);
		ct_jsonw_key(&w, "offering");
		ct_jsonw_string(&w, c->offering[0] ? c->offering : NULL);
		ct_jsonw_key(&w, "ondemand_hourly_rate");
		ct_jsonw_raw(&w, ct_rate_format(c->ondemand_hourly, rb, sizeof(rb)));
		ct_jsonw_key(&w, "os");
		ct_jsonw_string(&w, c->os);
		json_num(&w, "payback_months", c->payback_months);
		ct_jsonw_key(&w, "payment_option");
		ct_jsonw_string(&w, c->payment[0] ? c->payment : NULL);
		ct_jsonw_key(&w, "region");
		ct_jsonw_string(&w, c->region);
		ct_jsonw_key(&w, "term");
		ct_jsonw_string(&w, c->term[0] ? c->term : NULL);
		json_money(&w, "upfront_cost", c->upfront);
		json_num(&w, "utilisation", c->utilisation);
		ct_jsonw_close(&w, '}');
	}
	ct_jsonw_close(&w, ']');
	ct_jsonw_key(&w, "compute_optimizer");
	ct_jsonw_open(&w, '[');
	for (i = 0; i < r->nopt; i++) {
		const struct ct_optimizer *op = &r->opt[i];

		ct_jsonw_open(&w, '{');
		ct_jsonw_key(&w, "account_id");
		ct_jsonw_string(&w, op->account_id);
		ct_jsonw_key(&w, "cloudtally_finding");
		ct_jsonw_string(&w, op->ours);
		ct_jsonw_key(&w, "current");
		ct_jsonw_string(&w, op->current);
		ct_jsonw_key(&w, "estimated_monthly_savings");
		if (op->has_savings)
			ct_jsonw_money(&w, op->savings);
		else
			ct_jsonw_raw(&w, "null");
		ct_jsonw_key(&w, "finding");
		ct_jsonw_string(&w, op->finding);
		ct_jsonw_key(&w, "kind");
		ct_jsonw_string(&w, op->kind);
		ct_jsonw_key(&w, "performance_risk");
		if (op->risk >= 0)
			json_num(&w, NULL, op->risk);
		else
			ct_jsonw_raw(&w, "null");
		ct_jsonw_key(&w, "recommended");
		ct_jsonw_string(&w, op->recommended);
		ct_jsonw_key(&w, "region");
		ct_jsonw_string(&w, op->region);
		ct_jsonw_key(&w, "resource_id");
		ct_jsonw_string(&w, op->resource_id);
		ct_jsonw_close(&w, '}');
	}
	ct_jsonw_close(&w, ']');
	ct_jsonw_key(&w, "findings");
	ct_jsonw_open(&w, '[');
	for (i = 0; i < r->n; i++) {
		const struct ct_finding *f = &r->f[i];

		ct_jsonw_open(&w, '{');
		ct_jsonw_key(&w, "account_id");
		ct_jsonw_string(&w, f->account_id);
		ct_jsonw_key(&w, "action");
		ct_jsonw_string(&w, f->action);
		json_money(&w, "estimated_monthly_savings", f->savings);
		ct_jsonw_key(&w, "evidence");
		ct_jsonw_open(&w, '{');
		for (k = 0; k < f->nev; k++) {
			ct_jsonw_key(&w, f->ev[k].key);
			if (f->ev[k].num)
				ct_jsonw_raw(&w, f->ev[k].value);
			else
				ct_jsonw_string(&w, f->ev[k].value);
		}
		ct_jsonw_close(&w, '}');
		ct_jsonw_key(&w, "kind");
		ct_jsonw_string(&w, f->kind);
		json_money(&w, "monthly_cost", f->monthly_cost);
		ct_jsonw_key(&w, "recommended_type");
		ct_jsonw_string(&w, f->recommended_type);
		ct_jsonw_key(&w, "region");
		ct_jsonw_string(&w, f->region);
		ct_jsonw_key(&w, "resource_id");
		ct_jsonw_string(&w, f->resource_id);
		ct_jsonw_key(&w, "resource_type");
		ct_jsonw_string(&w, f->resource_type);
		ct_jsonw_close(&w, '}');
	}
	ct_jsonw_close(&w, ']');
	ct_jsonw_key(&w, "thresholds");
	ct_jsonw_open(&w, '{');
	json_num(&w, "db_days", o->db_days);
	json_num(&w, "idle_cpu_pct", o->idle_cpu);
	json_num(&w, "idle_days", o->idle_days);
	json_num(&w, "idle_net_mb", o->idle_net_mb);
	json_num(&w, "low_cpu_pct", o->low_cpu);
	json_num(&w, "snapshot_days", o->snapshot_days);
	ct_jsonw_key(&w, "spot_tag_key");
	ct_jsonw_string(&w, o->spot_tag_key);
	ct_jsonw_key(&w, "spot_tag_value");
	ct_jsonw_string(&w, o->spot_tag_value);
	json_num(&w, "stopped_days", o->stopped_days);
	json_num(&w, "usage_days", o->usage_days);
	{
		char d[11];

		ct_jsonw_key(&w, "usage_window_end");
		if (r->usage_last) {
			ct_clock_format_day(ct_clock_day(r->usage_last - 1), d);
			ct_jsonw_string(&w, d);
		} else {
			ct_jsonw_string(&w, NULL);
		}
		ct_jsonw_key(&w, "usage_window_start");
		if (r->usage_last) {
			ct_clock_format_day(ct_clock_day(r->usage_first), d);
			ct_jsonw_string(&w, d);
		} else {
			ct_jsonw_string(&w, NULL);
		}
	}
	json_num(&w, "window_days", o->window_days);
	ct_jsonw_key(&w, "window_end");
	ct_jsonw_string(&w, last);
	ct_jsonw_key(&w, "window_start");
	ct_jsonw_string(&w, first);
	ct_jsonw_close(&w, '}');
	json_money(&w, "total_estimated_monthly_savings", r->total_savings);
	ct_jsonw_key(&w, "total_rule");
	ct_jsonw_string(&w, total_rule);
	ct_jsonw_key(&w, "totals_by_kind");
	ct_jsonw_open(&w, '{');
	for (i = 0; i < r->nkt; i++)
		json_money(&w, r->kt[i].kind, r->kt[i].savings);
	ct_jsonw_close(&w, '}');
	ct_jsonw_close(&w, '}');
	*wp = w;
}

static void render_json(const struct ct_recommend *r, FILE *out)
{
	struct ct_jsonw w;

	memset(&w, 0, sizeof(w));
	w.out = out;
	ct_recommend_json(&w, r);
	putc('\n', out);
}

static void render_csv(const struct ct_recommend *r, FILE *out)
{
	char m[48];
	size_t i, k;

	fputs("kind,resource_id,resource_type,region,account_id,monthly_cost,action,"
	      "recommended_type,estimated_monthly_savings,evidence\n",
	      out);
	for (i = 0; i < r->n; i++) {
		const struct ct_finding *f = &r->f[i];
		char *ev = NULL, *nx;

		ct_render_csv_cell(out, f->kind);
		putc(',', out);
		ct_render_csv_cell(out, f->resource_id);
		putc(',', out);
		ct_render_csv_cell(out, f->resource_type);
		putc(',', out);
		ct_render_csv_cell(out, f->region);
		putc(',', out);
		ct_render_csv_cell(out, f->account_id);
		fprintf(out, ",%s,", ct_money_format(f->monthly_cost, 6, false, m, sizeof(m)));
		ct_render_csv_cell(out, f->action);
		putc(',', out);
		ct_render_csv_cell(out, f->recommended_type);
		fprintf(out, ",%s,", ct_money_format(f->savings, 6, false, m, sizeof(m)));
		for (k = 0; k < f->nev; k++) {
			nx = ct_xasprintf("%s%s%s=%s", ev ? ev : "", ev ? "; " : "", f->ev[k].key,
					  f->ev[k].value);
			free(ev);
			ev = nx;
		}
		ct_render_csv_cell(out, ev);
		free(ev);
		putc('\n', out);
	}
	/* commitments: resource_type = instance type, monthly_cost = the
	 * on-demand cost of the committed count, action = the purchase */
	for (i = 0; i < r->ncm; i++) {
		const struct ct_commitment *c = &r->cm[i];
		char r1[48], r2[48], n1[32], n2[32], n3[32], up[48];
		char *ev, *act;

		ct_render_csv_cell(out, c->kind);
		fputs(",,", out);
		ct_render_csv_cell(out, c->instance_type);
		putc(',', out);
		ct_render_csv_cell(out, c->region);
		fprintf(out, ",,%s,",
			ct_money_format(ct_money_of_rate(c->ondemand_hourly,
							 c->count * 730.0),
					6, false, m, sizeof(m)));
		act = c->term[0] ? ct_xasprintf("buy %s %s %s", c->offering, c->term, c->payment)
				 : ct_xasprintf("run on spot");
		ct_render_csv_cell(out, act);
		free(act);
		fprintf(out, ",,%s,", ct_money_format(c->savings, 6, false, m, sizeof(m)));
		ev = ct_xasprintf(
			"best=%s; break_even_months=%s; count=%s; effective_hourly_rate=%s; "
			"estimated=%s; ondemand_hourly_rate=%s; os=%s; payment_option=%s; term=%s; "
			"upfront_cost=%s; utilisation=%s%s%s",
			c->best ? "true" : "false", ct_render_num(c->break_even_months, n1, sizeof(n1)),
			ct_render_num(c->count, n2, sizeof(n2)), ct_rate_format(c->effective_hourly, r1, sizeof(r1)),
			c->estimated ? "true" : "false",
			ct_rate_format(c->ondemand_hourly, r2, sizeof(r2)), c->os, c->payment, c->term,
			ct_money_format(c->upfront, 6, false, up, sizeof(up)),
			ct_render_num(c->utilisation, n3, sizeof(n3)), c->note ? "; note=" : "",
			c->note ? c->note : "");
		ct_render_csv_cell(out, ev);
		free(ev);
		putc('\n', out);
	}
	/* Compute Optimizer: resource_type = current configuration, action =
	 * its finding; not in the total */
	for (i = 0; i < r->nopt; i++) {
		const struct ct_optimizer *o = &r->opt[i];
		char rk[32], *ev;

		fputs("compute_optimizer,", out);
		ct_render_csv_cell(out, o->resource_id);
		putc(',', out);
		ct_render_csv_cell(out, o->current);
		putc(',', out);
		ct_render_csv_cell(out, o->region);
		putc(',', out);
		ct_render_csv_cell(out, o->account_id);
		fputs(",,", out);
		ct_render_csv_cell(out, o->finding);
		putc(',', out);
		ct_render_csv_cell(out, o->recommended);
		putc(',', out);
		if (o->has_savings)
			fputs(ct_money_format(o->savings, 6, false, m, sizeof(m)), out);
		putc(',', out);
		ev = ct_xasprintf("cloudtally_finding=%s; kind=%s; performance_risk=%s",
				  o->ours ? o->ours : "none", o->kind,
				  o->risk >= 0 ? ct_render_num(o->risk, rk, sizeof(rk)) : "unknown");
		ct_render_csv_cell(out, ev);
		free(ev);
		putc('\n', out);
	}
	fprintf(out, "total,,,,,,,,%s,\n",
		ct_money_format(r->total_savings, 6, false, m, sizeof(m)));
}

int ct_recommend_render(const struct ct_recommend *r, enum ct_recommend_format fmt, FILE *out,
			struct ct_err *err)
{
	switch (fmt) {
	case CT_RECOMMEND_TEXT:
		render_text(r, out);
		break;
	case CT_RECOMMEND_MARKDOWN:
		render_markdown(r, out);
		break;
	case CT_RECOMMEND_JSON:
		render_json(r, out);
		break;
	case CT_RECOMMEND_CSV:
		render_csv(r, out);
		break;
	}
	if (fflush(out) != 0 || ferror(out))
		return ct_err_set(err, CT_E_IO, NULL, 0, "cannot write the recommendations");
	return CT_OK;
}
