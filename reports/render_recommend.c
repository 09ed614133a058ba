/*
 * render_recommend.c - the findings of `cloudtally recommend` in four
 * formats: text and markdown for people (amounts rounded to the cent by
 * ct_render_money()), JSON exact to the nano-dollar (the issue 5
 * contract, keys in strcmp order), and CSV with one row per finding and a
 * closing total row, money with 6 decimals and text cells neutralised
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

/* A number with up to 6 decimals, trailing zeros trimmed. */
static const char *num(double v, char *buf, size_t len)
{
	size_t n;

	snprintf(buf, len, "%.6f", v);
	n = strlen(buf);
	while (n > 1 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	return buf;
}

/* A free-text string for the text format: control characters become
 * spaces so one finding stays one line. */
static void put_plain(FILE *out, const char *s)
{
	uint32_t cp;

	s = ct_render_nz(s);
	while ((cp = ct_render_utf8_next(&s)) != 0) {
		if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
			cp = ' ';
		ct_render_put_utf8(out, cp);
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
		num(o->idle_cpu, a, sizeof(a)), num(o->idle_net_mb, b, sizeof(b)), o->idle_days,
		num(o->low_cpu, m2, sizeof(m2)), o->snapshot_days, o->stopped_days);
	fprintf(out, "Billing month for costs: %s\n",
		r->billing_month[0] ? r->billing_month : "none (catalog prices)");
	for (i = 0; i < r->n; i++) {
		const struct ct_finding *f = &r->f[i];

		fprintf(out, "\n%s ", f->kind);
		put_plain(out, f->resource_id);
		fputs(" (", out);
		put_plain(out, f->resource_type);
		fputs(", ", out);
		put_plain(out, f->region[0] ? f->region : "-");
		fputs(", account ", out);
		put_plain(out, f->account_id[0] ? f->account_id : "-");
		fputs(")\n", out);
		fprintf(out, "  monthly cost %s, saving %s, action %s",
			ct_render_money(f->monthly_cost, NULL, m1, sizeof(m1)),
			ct_render_money(f->savings, NULL, m2, sizeof(m2)), f->action);
		if (f->recommended_type) {
			fputs(" to ", out);
			put_plain(out, f->recommended_type);
		}
		fputs("\n  evidence: ", out);
		{
			size_t k;
			for (k = 0; k < f->nev; k++) {
				fprintf(out, "%s%s=", k ? ", " : "", f->ev[k].key);
				put_plain(out, f->ev[k].value);
			}
		}
		putc('\n', out);
	}
	if (r->n == 0)
		fputs("\nNo findings.\n", out);
}

/* Literal markdown inline text (as render_markdown.c escapes). */
static void put_md(FILE *out, const char *s)
{
	bool first = true;
	uint32_t cp;

	s = ct_render_nz(s);
	while ((cp = ct_render_utf8_next(&s)) != 0) {
		if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
			cp = ' ';
		if (cp < 0x80 && strchr("\\`*_[]<>|&~$", (int)cp))
			putc('\\', out);
		else if (first && cp < 0x80 && strchr("#+-=", (int)cp))
			putc('\\', out);
		ct_render_put_utf8(out, cp);
		first = false;
	}
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
	if (r->n == 0)
		return;
	fputs("\n| Kind | Resource | Type | Region | Account | Monthly cost | Saving | Action | "
	      "Evidence |\n"
	      "|---|---|---|---|---|--:|--:|---|---|\n",
	      out);
	for (i = 0; i < r->n; i++) {
		const struct ct_finding *f = &r->f[i];

		fputs("| ", out);
		put_md(out, f->kind);
		fputs(" | ", out);
		put_md(out, f->resource_id);
		fputs(" | ", out);
		put_md(out, f->resource_type);
		fputs(" | ", out);
		put_md(out, f->region);
		fputs(" | ", out);
		put_md(out, f->account_id);
		fprintf(out, " | %s | %s | ",
			ct_render_money(f->monthly_cost, NULL, m1, sizeof(m1)),
			ct_render_money(f->savings, NULL, m2, sizeof(m2)));
		put_md(out, f->action);
		if (f->recommended_type) {
			fputs(" to ", out);
			put_md(out, f->recommended_type);
		}
		fputs(" | ", out);
		for (k = 0; k < f->nev; k++) {
			if (k)
				fputs(", ", out);
			put_md(out, f->ev[k].key);
			fputs("=", out);
			put_md(out, f->ev[k].value);
		}
		fputs(" |\n", out);
	}
}

static void json_money(struct ct_jsonw *w, const char *key, ct_money m)
{
	char buf[48];

	ct_jsonw_key(w, key);
	ct_jsonw_raw(w, ct_money_format(m, 9, false, buf, sizeof(buf)));
}

static void json_num(struct ct_jsonw *w, const char *key, double v)
{
	char buf[64];

	ct_jsonw_key(w, key);
	ct_jsonw_raw(w, num(v, buf, sizeof(buf)));
}

static void render_json(const struct ct_recommend *r, FILE *out)
{
	const struct ct_recommend_opts *o = &r->opts;
	struct ct_jsonw w;
	char last[11], first[11];
	size_t i, k;

	memset(&w, 0, sizeof(w));
	w.out = out;
	window_text(r, first, last);
	ct_jsonw_open(&w, '{');
	/* commitments: the reserved-instance, savings-plan and spot
	 * projections are a separate part of issue 5; this model holds
	 * findings only, so the array is written empty. */
	ct_jsonw_key(&w, "commitments");
	ct_jsonw_open(&w, '[');
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
	json_num(&w, "stopped_days", o->stopped_days);
	json_num(&w, "window_days", o->window_days);
	ct_jsonw_key(&w, "window_end");
	ct_jsonw_string(&w, last);
	ct_jsonw_key(&w, "window_start");
	ct_jsonw_string(&w, first);
	ct_jsonw_close(&w, '}');
	json_money(&w, "total_estimated_monthly_savings", r->total_savings);
	ct_jsonw_close(&w, '}');
	putc('\n', out);
}

/* One CSV text cell: neutralised, then quoted when it must be. */
static void csv_cell(FILE *out, const char *s)
{
	bool quote;
	uint32_t cp;

	s = ct_render_nz(s);
	quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		putc('"', out);
	if (s[0] && strchr("=+-@\t\r", s[0]))
		putc('\'', out);
	while ((cp = ct_render_utf8_next(&s)) != 0) {
		if (cp == '"')
			putc('"', out);
		ct_render_put_utf8(out, cp);
	}
	if (quote)
		putc('"', out);
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

		csv_cell(out, f->kind);
		putc(',', out);
		csv_cell(out, f->resource_id);
		putc(',', out);
		csv_cell(out, f->resource_type);
		putc(',', out);
		csv_cell(out, f->region);
		putc(',', out);
		csv_cell(out, f->account_id);
		fprintf(out, ",%s,", ct_money_format(f->monthly_cost, 6, false, m, sizeof(m)));
		csv_cell(out, f->action);
		putc(',', out);
		csv_cell(out, f->recommended_type);
		fprintf(out, ",%s,", ct_money_format(f->savings, 6, false, m, sizeof(m)));
		for (k = 0; k < f->nev; k++) {
			nx = ct_xasprintf("%s%s%s=%s", ev ? ev : "", ev ? "; " : "", f->ev[k].key,
					  f->ev[k].value);
			free(ev);
			ev = nx;
		}
		csv_cell(out, ev);
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
