/*
 * render_budget.c - budget status in four formats: text and markdown for
 * people (money to the cent, percentages with one decimal), JSON exact to
 * the nano-dollar (keys in strcmp order) and CSV (money with 6 decimals,
 * text cells protected against formula injection).
 *
 * Depends on the model (budget.h), the JSON writer and the shared render
 * helpers; writes only to the FILE * given.
 */
#include "ct.h"
#include "budget.h"
#include "jsonw.h"
#include "money.h"
#include "render.h"

static const char *pct(double v, char *buf, size_t len)
{
	snprintf(buf, len, "%.1f%%", v);
	return buf;
}

/* s in a field of w columns (one per code point), cut when longer,
 * control characters as spaces. */
static void name_field(FILE *out, const char *s, size_t w)
{
	size_t n = 0;
	uint32_t cp;

	while (n < w && (cp = ct_render_utf8_next(&s)) != 0) {
		ct_render_put_utf8(out, cp < 0x20 || (cp >= 0x7F && cp < 0xA0) ? ' ' : cp);
		n++;
	}
	while (n++ < w)
		putc(' ', out);
}

/* "2 budgets breached, 1 forecast to breach" or "all within budget". */
static void summary(const struct ct_budget_status *b, FILE *out)
{
	if (!b->n) {
		fputs("No budgets configured", out);
		return;
	}
	if (!b->critical && !b->forecast_critical && !b->warning) {
		fputs("All budgets within their warning levels", out);
		return;
	}
	fprintf(out, "%zu breached (critical), %zu at warning, %zu forecast to breach",
		b->critical, b->warning, b->forecast_critical);
}

static void render_human(const struct ct_budget_status *b, FILE *out, bool md)
{
	char a[CT_RENDER_MONEY_MAX], s[CT_RENDER_MONEY_MAX], f[CT_RENDER_MONEY_MAX];
	char p1[32], p2[32];

	fprintf(out, md ? "## Budgets: %.7s\n\n" : "Budgets: %.7s", b->month);
	if (!md)
		fprintf(out, " (%s)\n", b->complete ? "complete" : "in progress");
	else
		fprintf(out, "The month is %s. ", b->complete ? "complete" : "in progress");
	summary(b, out);
	fputs(md ? ".\n" : ".\n", out);
	if (!b->n) {
		fputs(md ? "\nAdd `budget SCOPE AMOUNT` lines to the config file "
			   "(`cloudtally help budget`).\n"
			 : "Add 'budget SCOPE AMOUNT' lines to the config file "
			   "(cloudtally help budget).\n",
		      out);
		return;
	}
	if (md)
		fputs("\n| Budget | Scope | Amount | Spend | Used | Forecast | Forecast used | "
		      "Status | Forecast status |\n"
		      "|:---|:---|---:|---:|---:|---:|---:|:---|:---|\n",
		      out);
	else
		fprintf(out, "\n  %-24s %13s %13s %7s %13s %7s  %s\n", "Budget", "Amount", "Spend",
			"Used", "Forecast", "Used", "Status");
	for (size_t i = 0; i < b->n; i++) {
		const struct ct_budget_row *r = &b->v[i];

		ct_render_money(r->amount, b->currency, a, sizeof(a));
		ct_render_money(r->spend, b->currency, s, sizeof(s));
		ct_render_money(r->forecast, b->currency, f, sizeof(f));
		if (md) {
			fputs("| ", out);
			ct_render_put_md(out, r->name);
			fputs(" | ", out);
			ct_render_put_md(out, r->scope);
			fprintf(out, " | %s | %s | %s | %s | %s | %s | %s |\n", a, s,
				pct(r->used_pct, p1, sizeof(p1)), f,
				pct(r->forecast_pct, p2, sizeof(p2)), r->status,
				r->forecast_status);
			continue;
		}
		fputs("  ", out);
		name_field(out, r->name, 24);
		fprintf(out, " %13s %13s %7s %13s %7s  %s", a, s, pct(r->used_pct, p1, sizeof(p1)),
			f, pct(r->forecast_pct, p2, sizeof(p2)), r->status);
		if (strcmp(r->forecast_status, r->status))
			fprintf(out, " (forecast: %s)", r->forecast_status);
		fputs("\n", out);
	}
	if (!md) {
		fputs("\n  Scopes:\n", out);
		for (size_t i = 0; i < b->n; i++) {
			fputs("  - ", out);
			ct_render_put_plain(out, b->v[i].name);
			fputs(": ", out);
			ct_render_put_plain(out, b->v[i].scope);
			fprintf(out, " (warning at %s%%, critical at %s%%)\n",
				ct_render_num(b->v[i].warning_pct, p1, sizeof(p1)),
				ct_render_num(b->v[i].critical_pct, p2, sizeof(p2)));
		}
	}
}

static void member_money(struct ct_jsonw *w, const char *k, ct_money m)
{
	ct_jsonw_key(w, k);
	ct_jsonw_money(w, m);
}

static void member_num(struct ct_jsonw *w, const char *k, double v)
{
	char buf[48];

	ct_jsonw_key(w, k);
	ct_jsonw_raw(w, ct_render_num(v, buf, sizeof(buf)));
}

void ct_budget_json(struct ct_jsonw *w, const struct ct_budget_status *b)
{
	char month[8], cur[24];

	snprintf(month, sizeof(month), "%.7s", b->month);
	snprintf(cur, sizeof(cur), "%s", b->currency);
	ct_jsonw_open(w, '{');
	ct_jsonw_key(w, "budgets");
	ct_jsonw_open(w, '[');
	for (size_t i = 0; i < b->n; i++) {
		const struct ct_budget_row *r = &b->v[i];

		ct_jsonw_open(w, '{');
		member_money(w, "amount", r->amount);
		member_num(w, "critical_percent", r->critical_pct);
		member_money(w, "forecast", r->forecast);
		member_num(w, "forecast_percent_used", r->forecast_pct);
		ct_jsonw_key(w, "forecast_status");
		ct_jsonw_string(w, r->forecast_status);
		ct_jsonw_key(w, "name");
		ct_jsonw_string(w, r->name);
		member_num(w, "percent_used", r->used_pct);
		ct_jsonw_key(w, "scope");
		ct_jsonw_string(w, r->scope);
		member_money(w, "spend", r->spend);
		ct_jsonw_key(w, "status");
		ct_jsonw_string(w, r->status);
		member_num(w, "warning_percent", r->warning_pct);
		ct_jsonw_close(w, '}');
	}
	ct_jsonw_close(w, ']');
	ct_jsonw_key(w, "complete");
	ct_jsonw_raw(w, b->complete ? "true" : "false");
	ct_jsonw_key(w, "config");
	ct_jsonw_string(w, b->config);
	member_num(w, "critical", (double)b->critical);
	ct_jsonw_key(w, "currency");
	ct_jsonw_string(w, cur);
	member_num(w, "forecast_critical", (double)b->forecast_critical);
	ct_jsonw_key(w, "month");
	ct_jsonw_string(w, month);
	member_num(w, "warning", (double)b->warning);
	ct_jsonw_close(w, '}');
}

static void render_csv(const struct ct_budget_status *b, FILE *out)
{
	char m[3][48], p[4][32];

	fputs("month,name,scope,amount,spend,percent_used,forecast,forecast_percent_used,"
	      "warning_percent,critical_percent,status,forecast_status\r\n",
	      out);
	for (size_t i = 0; i < b->n; i++) {
		const struct ct_budget_row *r = &b->v[i];

		fprintf(out, "%.7s,", b->month);
		ct_render_csv_cell(out, r->name);
		putc(',', out);
		ct_render_csv_cell(out, r->scope);
		fprintf(out, ",%s,%s,%s,%s,%s,%s,%s,%s,%s\r\n",
			ct_money_format(r->amount, 6, false, m[0], sizeof(m[0])),
			ct_money_format(r->spend, 6, false, m[1], sizeof(m[1])),
			ct_render_num(r->used_pct, p[0], sizeof(p[0])),
			ct_money_format(r->forecast, 6, false, m[2], sizeof(m[2])),
			ct_render_num(r->forecast_pct, p[1], sizeof(p[1])),
			ct_render_num(r->warning_pct, p[2], sizeof(p[2])),
			ct_render_num(r->critical_pct, p[3], sizeof(p[3])), r->status,
			r->forecast_status);
	}
}

int ct_budget_format_parse(const char *s, enum ct_budget_format *out)
{
	static const struct ct_render_name names[] = {
		{"csv", CT_BUDGET_CSV},
		{"json", CT_BUDGET_JSON},
		{"markdown", CT_BUDGET_MARKDOWN},
		{"md", CT_BUDGET_MARKDOWN},
		{"text", CT_BUDGET_TEXT},
	};
	int v;

	if (ct_render_name_lookup(names, CT_NELEM(names), s, &v) != CT_OK)
		return CT_E_USAGE;
	*out = (enum ct_budget_format)v;
	return CT_OK;
}

int ct_budget_render(const struct ct_budget_status *b, enum ct_budget_format fmt, FILE *out,
		     struct ct_err *err)
{
	struct ct_jsonw w;

	switch (fmt) {
	case CT_BUDGET_TEXT:
		render_human(b, out, false);
		break;
	case CT_BUDGET_MARKDOWN:
		render_human(b, out, true);
		break;
	case CT_BUDGET_JSON:
		memset(&w, 0, sizeof(w));
		w.out = out;
		ct_budget_json(&w, b);
		putc('\n', out);
		break;
	case CT_BUDGET_CSV:
		render_csv(b, out);
		break;
	}
	if (ferror(out))
		return ct_err_set(err, CT_E_IO, NULL, 0, "cannot write the budget status");
	return CT_OK;
}
