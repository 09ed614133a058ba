/*
 * render_json.c - the monthly report as JSON, the format scripts read.
 *
 * The field names are a contract (DESIGN.md): month, currency,
 * total_billed_cost, total_effective_cost, previous_total_billed_cost,
 * previous_total_effective_cost, by_service, by_service_category,
 * by_account, by_region, by_charge_category, top_movers, by_tag,
 * untagged_by_tag, untagged_billed_cost, untagged_share, daily, anomalies,
 * forecast_billed_cost, complete, lines, notes. Previous-month amounts
 * (totals and rows) are null when the previous month is not in the store,
 * forecast_billed_cost is null for a complete month, untagged_share is
 * null when the total is 0.
 *
 * Why a writer of our own rather than jansson: money in JSON is a number
 * in dollars that keeps every nano-dollar, so 1234.567890123 must print as
 * exactly that. Jansson 2.14 prints a json_real with "%.17g" (or the
 * JSON_REAL_PRECISION given), which turns 0.1 into 0.10000000000000001 and
 * cannot hold 12345678.123456789 at all, and it has no raw-number value.
 * The document has a fixed shape, so it is written here directly, in the
 * layout json_dumps(JSON_SORT_KEYS | JSON_INDENT(2)) produces: keys sorted
 * byte-wise in every object (the tag keys at run time, the fixed keys by
 * hand with an assert that checks the order), two-space indent,
 * "key": value, empty containers as [] and {}, a final newline.
 *
 * Money is the exact nano-dollar amount from ct_money_format(m, 9) with
 * trailing zeros trimmed down to two decimals: 0.10, 12.00,
 * 1234.567890123. Ratios (untagged_share, sigmas) are doubles printed with
 * "%.9f", trimmed the same way. Strings are escaped per RFC 8259: '"', '\'
 * and the control characters are escaped, invalid UTF-8 becomes U+FFFD,
 * so the output is always valid UTF-8 JSON. Tag keys that repeat keep
 * their first configured occurrence. tests/check_render.c parses the
 * output back with jansson.
 *
 * Depends on the model (report.h), money.h and the shared helpers
 * (render.h); writes only to the FILE * given.
 */
#include "ct.h"
#include "render.h"
#include "money.h"
#include "jsonw.h"
#include "recommend.h"
#include "budget.h"
#include "k8s_cost.h"

#include <assert.h>
#include <math.h>

/* Remove trailing zeros of a decimal number, keeping keep decimals. */
static void trim_zeros(char *num, size_t keep)
{
	char *dot = strchr(num, '.');
	size_t n;

	if (!dot)
		return;
	n = strlen(num);
	while (n > (size_t)(dot - num) + 1 + keep && num[n - 1] == '0')
		num[--n] = '\0';
}


static void money_or_null(struct ct_jsonw *w, ct_money m, bool known)
{
	if (known)
		ct_jsonw_money(w, m);
	else
		ct_jsonw_raw(w, "null");
}

/* A ratio: "%.9f" with trailing zeros trimmed; null when not finite. */
static void ratio(struct ct_jsonw *w, double v)
{
	char num[512];

	if (!isfinite(v)) {
		ct_jsonw_raw(w, "null");
		return;
	}
	snprintf(num, sizeof(num), "%.9f", v);
	trim_zeros(num, 1);
	if (strcmp(num, "-0.0") == 0)
		snprintf(num, sizeof(num), "0.0");
	ct_jsonw_raw(w, num);
}

static void member_money(struct ct_jsonw *w, const char *k, ct_money m)
{
	ct_jsonw_key(w, k);
	ct_jsonw_money(w, m);
}

static void member_prev(struct ct_jsonw *w, const struct ct_report *r,
			const char *k, ct_money m)
{
	ct_jsonw_key(w, k);
	money_or_null(w, m, r->has_prev);
}

static void member_string(struct ct_jsonw *w, const char *k, const char *s)
{
	ct_jsonw_key(w, k);
	ct_jsonw_string(w, s);
}

/* A string from a fixed-size model field (month, date). */
static void member_field(struct ct_jsonw *w, const char *k, const char *field,
			 size_t size)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%.*s", (int)(size - 1), field);
	member_string(w, k, buf);
}

/* Which members the rows of a breakdown have. */
enum row_shape {
	ROW_SERVICE,  /* billed, category, effective, name, previous */
	ROW_NAMED,    /* billed, effective, name, previous */
	ROW_ACCOUNT,  /* billed, effective, id, name, previous */
	ROW_REGION,   /* billed, id, name, previous */
	ROW_MOVER,    /* billed, change, name, previous */
	ROW_TAG_VALUE /* billed, value */
};

static void list(struct ct_jsonw *w, const struct ct_report *r, const char *k,
		 const struct ct_report_list *l, enum row_shape shape)
{
	size_t i;

	ct_jsonw_key(w, k);
	ct_jsonw_open(w, '[');
	for (i = 0; i < l->n; i++) {
		const struct ct_report_item *it = &l->v[i];
		const char *id = ct_render_nz(it->id);

		ct_jsonw_open(w, '{');
		member_money(w, "billed_cost", it->billed);
		switch (shape) {
		case ROW_SERVICE:
			member_string(w, "category", it->category);
			member_money(w, "effective_cost", it->effective);
			member_string(w, "name", id);
			break;
		case ROW_NAMED:
			member_money(w, "effective_cost", it->effective);
			member_string(w, "name", id);
			break;
		case ROW_ACCOUNT:
			member_money(w, "effective_cost", it->effective);
			member_string(w, "id", id);
			member_string(w, "name", it->name);
			break;
		case ROW_REGION:
			member_string(w, "id", id);
			member_string(w, "name", it->name);
			break;
		case ROW_MOVER:
			ct_jsonw_key(w, "change");
			money_or_null(w, ct_render_sub(it->billed,
						       it->prev_billed),
				      r->has_prev);
			member_string(w, "name", id);
			break;
		case ROW_TAG_VALUE:
			member_string(w, "value", id);
			break;
		}
		if (shape != ROW_TAG_VALUE)
			member_prev(w, r, "previous_billed_cost",
				    it->prev_billed);
		ct_jsonw_close(w, '}');
	}
	ct_jsonw_close(w, ']');
}

static int tag_cmp(const void *a, const void *b)
{
	const struct ct_report_tag *x = *(const struct ct_report_tag *const *)a;
	const struct ct_report_tag *y = *(const struct ct_report_tag *const *)b;
	int c = strcmp(ct_render_nz(x->key), ct_render_nz(y->key));

	if (c)
		return c;
	return x < y ? -1 : x > y; /* equal keys: configured order */
}

/* by_tag or untagged_by_tag: one member per distinct tag key, sorted. */
static void tags(struct ct_jsonw *w, const struct ct_report *r, const char *k,
		 bool untagged)
{
	const struct ct_report_tag **sorted;
	const char *prev = NULL;
	size_t i;

	sorted = ct_xcalloc(r->ntags, sizeof(*sorted));
	for (i = 0; i < r->ntags; i++)
		sorted[i] = &r->tags[i];
	if (r->ntags > 1)
		qsort(sorted, r->ntags, sizeof(*sorted), tag_cmp);
	ct_jsonw_key(w, k);
	ct_jsonw_open(w, '{');
	for (i = 0; i < r->ntags; i++) {
		const char *tk = ct_render_nz(sorted[i]->key);

		if (prev && strcmp(prev, tk) == 0)
			continue;
		prev = tk;
		if (untagged) {
			member_money(w, tk, sorted[i]->untagged);
		} else {
			/* list() writes the key; the rows are tag values */
			list(w, r, tk, &sorted[i]->values, ROW_TAG_VALUE);
		}
	}
	ct_jsonw_close(w, '}');
	free(sorted);
}

static void daily(struct ct_jsonw *w, const struct ct_report *r)
{
	size_t i;

	ct_jsonw_key(w, "daily");
	ct_jsonw_open(w, '[');
	for (i = 0; i < r->ndaily; i++) {
		ct_jsonw_open(w, '{');
		member_money(w, "billed_cost", r->daily[i].billed);
		member_field(w, "date", r->daily[i].date,
			     sizeof(r->daily[i].date));
		ct_jsonw_close(w, '}');
	}
	ct_jsonw_close(w, ']');
}

static void anomalies(struct ct_jsonw *w, const struct ct_report *r)
{
	size_t i;

	ct_jsonw_key(w, "anomalies");
	ct_jsonw_open(w, '[');
	for (i = 0; i < r->nanomalies; i++) {
		const struct ct_report_anomaly *a = &r->anomalies[i];

		ct_jsonw_open(w, '{');
		member_money(w, "billed_cost", a->billed);
		member_field(w, "date", a->date, sizeof(a->date));
		member_money(w, "expected", a->expected);
		ct_jsonw_key(w, "sigmas");
		ratio(w, a->sigmas);
		ct_jsonw_close(w, '}');
	}
	ct_jsonw_close(w, ']');
}

void ct_render_json_report(const struct ct_report *r, FILE *out)
{
	struct ct_jsonw w;
	char num[32];
	size_t i;

	memset(&w, 0, sizeof(w));
	w.out = out;
	ct_jsonw_open(&w, '{');
	anomalies(&w, r);
	ct_jsonw_key(&w, "budgets");
	if (r->budgets)
		ct_budget_json(&w, r->budgets);
	else
		ct_jsonw_raw(&w, "null");
	list(&w, r, "by_account", &r->by_account, ROW_ACCOUNT);
	list(&w, r, "by_charge_category", &r->by_charge_category, ROW_NAMED);
	list(&w, r, "by_region", &r->by_region, ROW_REGION);
	list(&w, r, "by_service", &r->by_service, ROW_SERVICE);
	list(&w, r, "by_service_category", &r->by_category, ROW_NAMED);
	tags(&w, r, "by_tag", false);
	ct_jsonw_key(&w, "complete");
	ct_jsonw_raw(&w, r->complete ? "true" : "false");
	member_field(&w, "currency", r->currency, sizeof(r->currency));
	daily(&w, r);
	ct_jsonw_key(&w, "forecast_billed_cost");
	money_or_null(&w, r->forecast, r->has_forecast);
	ct_jsonw_key(&w, "history");
	ct_jsonw_open(&w, '[');
	for (i = 0; i < r->nhistory; i++) {
		ct_jsonw_open(&w, '{');
		member_money(&w, "billed_cost", r->history[i].billed);
		member_money(&w, "effective_cost", r->history[i].effective);
		member_field(&w, "month", r->history[i].month, sizeof(r->history[i].month));
		ct_jsonw_close(&w, '}');
	}
	ct_jsonw_close(&w, ']');
	ct_jsonw_key(&w, "kubernetes");
	if (r->k8s)
		ct_k8s_cost_json(&w, r->k8s);
	else
		ct_jsonw_raw(&w, "null");
	ct_jsonw_key(&w, "lines");
	snprintf(num, sizeof(num), "%ld", r->lines);
	ct_jsonw_raw(&w, num);
	member_field(&w, "month", r->month, sizeof(r->month));
	ct_jsonw_key(&w, "notes");
	ct_jsonw_open(&w, '[');
	for (i = 0; i < r->nnotes; i++)
		ct_jsonw_string(&w, ct_render_nz(r->notes[i]));
	ct_jsonw_close(&w, ']');
	member_prev(&w, r, "previous_total_billed_cost", r->prev_billed);
	member_prev(&w, r, "previous_total_effective_cost", r->prev_effective);
	ct_jsonw_key(&w, "recommendations");
	if (r->rec)
		ct_recommend_json(&w, r->rec);
	else
		ct_jsonw_raw(&w, "null");
	list(&w, r, "top_movers", &r->movers, ROW_MOVER);
	member_money(&w, "total_billed_cost", r->total_billed);
	member_money(&w, "total_effective_cost", r->total_effective);
	member_money(&w, "untagged_billed_cost", r->untagged);
	tags(&w, r, "untagged_by_tag", true);
	ct_jsonw_key(&w, "untagged_share");
	if (r->total_billed == 0)
		ct_jsonw_raw(&w, "null");
	else
		ratio(&w, (double)r->untagged / (double)r->total_billed);
	ct_jsonw_close(&w, '}');
	putc('\n', out);
}
