/*
 * check_render.c - unit tests of the monthly report renderers
 * (reports/render*.c): the shared money / change / share texts, format
 * names, and each format's output for a small model built by hand.
 *
 * Expected figures are worked out by hand from the model below, never
 * copied from the code's output. The model is built and freed here, so the
 * tests do not need the store or report.c.
 */
#include "ct.h"
#include "render.h"
#include "recommend.h"
#include "budget.h"

#include <check.h>
#include <jansson.h>
#include <math.h>

/* --- a model built by hand ------------------------------------------- */

static char *dup_or_null(const char *s)
{
	return s ? ct_xstrdup(s) : NULL;
}

static void add_item(struct ct_report_list *l, const char *id,
		     const char *name, const char *category, ct_money billed,
		     ct_money effective, ct_money prev)
{
	struct ct_report_item *it;

	l->v = ct_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	it = &l->v[l->n++];
	it->id = dup_or_null(id);
	it->name = dup_or_null(name);
	it->category = dup_or_null(category);
	it->billed = billed;
	it->effective = effective;
	it->prev_billed = prev;
}

static struct ct_report_tag *add_tag(struct ct_report *r, const char *key,
				     ct_money untagged)
{
	struct ct_report_tag *t;

	r->tags = ct_xrealloc(r->tags, (r->ntags + 1) * sizeof(*r->tags));
	t = &r->tags[r->ntags++];
	memset(t, 0, sizeof(*t));
	t->key = ct_xstrdup(key);
	t->untagged = untagged;
	return t;
}

static void add_day(struct ct_report *r, const char *date, ct_money billed)
{
	r->daily = ct_xrealloc(r->daily, (r->ndaily + 1) * sizeof(*r->daily));
	snprintf(r->daily[r->ndaily].date, sizeof(r->daily[0].date), "%s",
		 date);
	r->daily[r->ndaily++].billed = billed;
}

static void add_note(struct ct_report *r, const char *note)
{
	r->notes = ct_xrealloc(r->notes, (r->nnotes + 1) * sizeof(*r->notes));
	r->notes[r->nnotes++] = ct_xstrdup(note);
}

static void free_list(struct ct_report_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].id);
		free(l->v[i].name);
		free(l->v[i].category);
	}
	free(l->v);
}

static void free_report(struct ct_report *r)
{
	size_t i;

	if (!r)
		return;
	free_list(&r->by_service);
	free_list(&r->by_category);
	free_list(&r->by_account);
	free_list(&r->by_region);
	free_list(&r->by_charge_category);
	free_list(&r->movers);
	for (i = 0; i < r->ntags; i++) {
		free(r->tags[i].key);
		free_list(&r->tags[i].values);
	}
	free(r->tags);
	free(r->daily);
	free(r->anomalies);
	for (i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
	ct_recommend_free(r->rec);
	ct_budget_free(r->budgets);
	free(r);
}

#define NANO(d) ((ct_money)(d) * INT64_C(1000000000)) /* whole dollars */

/*
 * October 2026 against September, complete:
 *   billed 1234.567890123, effective 0.10, previous 1000.00 / 31.25;
 *   17 services: EC2 32.25 (prev 31.25), Lambda 5.00 (prev 10.00),
 *   svc03..svc17 at 1.00 each (prev 0);
 *   charge categories Usage 1234.567890123 and Credit -5.00;
 *   tag "team": platform 1000.00, "<script>..." 12.345, "=cmd..." 0.50,
 *   untagged 100.00; tag "env": "prod,eu \"x\"" 7.00, untagged 0;
 *   3 days, the 2nd an anomaly (+3.5 sd over 411.522630041).
 */
static struct ct_report *sample(void)
{
	struct ct_report *r = ct_xcalloc(1, sizeof(*r));
	struct ct_report_tag *t;
	int i;

	snprintf(r->month, sizeof(r->month), "2026-10");
	snprintf(r->prev_month, sizeof(r->prev_month), "2026-09");
	snprintf(r->currency, sizeof(r->currency), "USD");
	r->complete = true;
	r->lines = 123456;
	r->days_in_month = 31;
	r->days_with_data = 31;
	r->total_billed = INT64_C(1234567890123);
	r->total_effective = INT64_C(100000000);
	r->prev_billed = NANO(1000);
	r->prev_effective = INT64_C(31250000000);
	r->has_prev = true;

	add_item(&r->by_service, "AmazonEC2", NULL, "Compute",
		 INT64_C(32250000000), NANO(30), INT64_C(31250000000));
	add_item(&r->by_service, "AWS Lambda", NULL, "Compute", NANO(5),
		 NANO(5), NANO(10));
	for (i = 3; i <= 17; i++) {
		char id[16];

		snprintf(id, sizeof(id), "svc%02d", i);
		add_item(&r->by_service, id, NULL, "Other", NANO(1), NANO(1),
			 0);
	}
	add_item(&r->by_category, "Compute", NULL, NULL,
		 INT64_C(37250000000), NANO(35), INT64_C(41250000000));
	add_item(&r->by_account, "111122223333", "Production | \"main\"",
		 NULL, INT64_C(1234567890123), INT64_C(100000000),
		 NANO(1000));
	add_item(&r->by_region, "us-east-1", "US East (N. Virginia)", NULL,
		 INT64_C(1234567890123), INT64_C(100000000), NANO(1000));
	add_item(&r->by_charge_category, "Usage", NULL, NULL,
		 INT64_C(1234567890123), INT64_C(105100000000), NANO(1000));
	add_item(&r->by_charge_category, "Credit", NULL, NULL, -NANO(5),
		 -NANO(5), 0);
	add_item(&r->movers, "AmazonEC2", NULL, NULL, INT64_C(32250000000),
		 NANO(30), INT64_C(31250000000));

	t = add_tag(r, "team", NANO(100));
	add_item(&t->values, "platform", NULL, NULL, NANO(1000), NANO(1000),
		 0);
	add_item(&t->values, "<script>alert(1)</script>", NULL, NULL,
		 INT64_C(12345000000), 0, 0);
	add_item(&t->values, "=cmd|' /C calc'!A0", NULL, NULL,
		 INT64_C(500000000), 0, 0);
	t = add_tag(r, "env", 0);
	add_item(&t->values, "prod,eu \"x\"", NULL, NULL, NANO(7), 0, 0);
	r->untagged = INT64_C(222222222222);

	add_day(r, "2026-10-01", NANO(100));
	add_day(r, "2026-10-02", NANO(1100));
	add_day(r, "2026-10-03", INT64_C(34567890123));
	r->anomalies = ct_xcalloc(1, sizeof(*r->anomalies));
	r->nanomalies = 1;
	snprintf(r->anomalies[0].date, sizeof(r->anomalies[0].date),
		 "2026-10-02");
	r->anomalies[0].billed = NANO(1100);
	r->anomalies[0].expected = INT64_C(411522630041);
	r->anomalies[0].sigmas = 3.5;

	add_note(r, "prices for 2 lines were unknown");
	add_note(r, "two\nlines");
	return r;
}

/* A month in progress with no previous month, no rows and total 0; the
 * forecast needs all nine decimals. */
static struct ct_report *bare(void)
{
	struct ct_report *r = ct_xcalloc(1, sizeof(*r));

	snprintf(r->month, sizeof(r->month), "2026-10");
	snprintf(r->prev_month, sizeof(r->prev_month), "2026-09");
	snprintf(r->currency, sizeof(r->currency), "USD");
	r->days_in_month = 31;
	r->days_with_data = 12;
	r->has_forecast = true;
	r->forecast = INT64_C(12345678123456789);
	return r;
}

/* Render r in fmt into a new NUL-terminated string. */
static char *render(const struct ct_report *r, enum ct_report_format fmt)
{
	struct ct_err err;
	FILE *f = tmpfile();
	char *buf;
	long n;
	size_t got;

	ck_assert_ptr_nonnull(f);
	ct_err_init(&err);
	ck_assert_int_eq(ct_report_render(r, fmt, f, &err), CT_OK);
	n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	buf = ct_xmalloc((size_t)n + 1);
	got = fread(buf, 1, (size_t)n, f);
	ck_assert_uint_eq(got, (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

#define ck_contains(hay, needle)                                               \
	ck_assert_msg(strstr((hay), (needle)) != NULL,                         \
		      "expected to find \"%s\" in:\n%.1500s", (needle), (hay))
#define ck_starts(hay, prefix)                                                 \
	ck_assert_msg(strncmp((hay), (prefix), strlen(prefix)) == 0,           \
		      "expected to start with \"%s\":\n%.1500s", (prefix), (hay))
#define ck_lacks(hay, needle)                                                  \
	ck_assert_msg(strstr((hay), (needle)) == NULL,                         \
		      "did not expect \"%s\" in:\n%.1500s", (needle), (hay))

/* --- shared helpers ---------------------------------------------------- */

static const struct {
	ct_money m;
	const char *currency;
	const char *want;
} money_cases[] = {
	{ INT64_C(1234567890123), "USD", "$1,234.57" },
	{ -NANO(5), "USD", "-$5.00" },
	{ 0, "USD", "$0.00" },
	{ INT64_C(4999999), "USD", "$0.00" },   /* below half a cent */
	{ INT64_C(5000000), "USD", "$0.01" },   /* half rounds away */
	{ -INT64_C(4999999), "USD", "$0.00" },  /* no "-$0.00" */
	{ -INT64_C(5000000), "USD", "-$0.01" },
	{ INT64_C(999999999999999999), NULL, "$1,000,000,000.00" },
	{ INT64_C(1234500000000), "EUR", "1,234.50 EUR" },
	{ INT64_C(1234500000000), "", "$1,234.50" },
	{ INT64_C(1234500000000), "<b>", "1,234.50" }, /* not a code */
};

START_TEST(test_render_money)
{
	char buf[CT_RENDER_MONEY_MAX];

	ck_assert_str_eq(ct_render_money(money_cases[_i].m,
					 money_cases[_i].currency, buf,
					 sizeof(buf)),
			 money_cases[_i].want);
}
END_TEST

static const struct {
	ct_money cur, prev;
	bool has_prev;
	const char *pct, *change;
} change_cases[] = {
	/* 1.00 / 31.25 = 3.2% */
	{ INT64_C(32250000000), INT64_C(31250000000), true, "+3.2%",
	  "+$1.00 (+3.2%)" },
	{ NANO(5), NANO(10), true, "-50.0%", "-$5.00 (-50.0%)" },
	{ NANO(5), 0, true, "n/a", "+$5.00 (n/a)" },
	{ NANO(5), NANO(10), false, "-50.0%", "n/a" },
	{ NANO(10), NANO(10), true, "0.0%", "$0.00 (0.0%)" },
	/* +0.004: 0.04% and under half a cent */
	{ INT64_C(10004000000), NANO(10), true, "0.0%", "$0.00 (0.0%)" },
	{ 0, NANO(10), true, "-100.0%", "-$10.00 (-100.0%)" },
	/* a credit shrinking from -10 to -5 is an increase of 50% of 10 */
	{ -NANO(5), -NANO(10), true, "+50.0%", "+$5.00 (+50.0%)" },
	/* 1032 / 1000 */
	{ NANO(1032), NANO(1000), true, "+3.2%", "+$32.00 (+3.2%)" },
	/* 2,345.67 from 1,000: +134.567% */
	{ INT64_C(2345670000000), NANO(1000), true, "+134.6%",
	  "+$1,345.67 (+134.6%)" },
};

START_TEST(test_render_change)
{
	char buf[CT_RENDER_CHANGE_MAX];

	ck_assert_str_eq(ct_render_pct(change_cases[_i].cur,
				       change_cases[_i].prev, buf, sizeof(buf)),
			 change_cases[_i].pct);
	ck_assert_str_eq(ct_render_change(change_cases[_i].cur,
					  change_cases[_i].prev,
					  change_cases[_i].has_prev, "USD", buf,
					  sizeof(buf)),
			 change_cases[_i].change);
}
END_TEST

START_TEST(test_render_small_texts)
{
	char buf[64];

	ck_assert_str_eq(ct_render_share(NANO(25), NANO(100), buf, sizeof(buf)),
			 "25.0%");
	ck_assert_str_eq(ct_render_share(NANO(1), NANO(3), buf, sizeof(buf)),
			 "33.3%");
	ck_assert_str_eq(ct_render_share(NANO(1), 0, buf, sizeof(buf)), "n/a");
	ck_assert_str_eq(ct_render_count(123456, buf, sizeof(buf)), "123,456");
	ck_assert_str_eq(ct_render_count(999, buf, sizeof(buf)), "999");
	ck_assert_str_eq(ct_render_count(0, buf, sizeof(buf)), "0");
	ck_assert_str_eq(ct_render_count(-1234567, buf, sizeof(buf)),
			 "-1,234,567");
	ck_assert_str_eq(ct_render_sigmas(3.5, buf, sizeof(buf)), "+3.5 sd");
	ck_assert_str_eq(ct_render_sigmas(-3.04, buf, sizeof(buf)), "-3.0 sd");
	ck_assert_str_eq(ct_render_sigmas(NAN, buf, sizeof(buf)), "n/a");
	ck_assert_str_eq(ct_render_delta(NANO(3), NANO(1), "USD", buf,
					 sizeof(buf)),
			 "+$2.00");
	ck_assert(ct_render_add(INT64_MAX, 1) == INT64_MAX);
	ck_assert(ct_render_add(INT64_MIN, -1) == INT64_MIN);
	ck_assert(ct_render_sub(INT64_MIN, 1) == INT64_MIN);
	ck_assert(ct_render_sub(INT64_MAX, -1) == INT64_MAX);
	ck_assert(ct_render_sub(NANO(3), NANO(5)) == -NANO(2));
	ck_assert_uint_eq(ct_render_shown(17, 15), 15);
	ck_assert_uint_eq(ct_render_shown(16, 15), 16); /* never "other 1" */
	ck_assert_uint_eq(ct_render_shown(3, 15), 3);
	ck_assert_uint_eq(ct_render_shown(40, 0), 40);
}
END_TEST

START_TEST(test_render_label)
{
	struct ct_report_item it = { 0 };
	char *s;

	it.id = "111122223333";
	it.name = "Production";
	s = ct_render_label(&it, false);
	ck_assert_str_eq(s, "Production (111122223333)");
	free(s);
	s = ct_render_label(&it, true);
	ck_assert_str_eq(s, "111122223333 (Production)");
	free(s);
	it.name = "111122223333"; /* name equal to id: once */
	s = ct_render_label(&it, false);
	ck_assert_str_eq(s, "111122223333");
	free(s);
	it.name = NULL;
	s = ct_render_label(&it, false);
	ck_assert_str_eq(s, "111122223333");
	free(s);
}
END_TEST

static const struct {
	const char *in;
	uint32_t cps[5]; /* code points, 0-terminated */
} utf8_cases[] = {
	{ "a\xC3\xA9", { 'a', 0xE9, 0 } },
	{ "\xE2\x82\xAC", { 0x20AC, 0 } },
	{ "\xF0\x9F\x98\x80", { 0x1F600, 0 } },
	{ "\xC0\xAF", { 0xFFFD, 0xFFFD, 0 } },        /* overlong '/' */
	{ "\xED\xA0\x80", { 0xFFFD, 0xFFFD, 0xFFFD, 0 } }, /* surrogate */
	{ "\xF4\x90\x80\x80", { 0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD, 0 } },
	{ "\xE2\x82", { 0xFFFD, 0xFFFD, 0 } },        /* cut short */
	{ "\xFFx", { 0xFFFD, 'x', 0 } },
};

START_TEST(test_render_utf8)
{
	const char *s = utf8_cases[_i].in;
	size_t k;

	for (k = 0; utf8_cases[_i].cps[k]; k++)
		ck_assert_uint_eq(ct_render_utf8_next(&s),
				  utf8_cases[_i].cps[k]);
	ck_assert_uint_eq(ct_render_utf8_next(&s), 0);
	ck_assert_uint_eq(ct_render_utf8_next(&s), 0); /* stays at the end */
}
END_TEST

static const struct {
	const char *name;
	int rc;
	enum ct_report_format fmt;
} format_cases[] = {
	{ "text", CT_OK, CT_FMT_TEXT },
	{ "markdown", CT_OK, CT_FMT_MARKDOWN },
	{ "md", CT_OK, CT_FMT_MARKDOWN },
	{ "html", CT_OK, CT_FMT_HTML },
	{ "json", CT_OK, CT_FMT_JSON },
	{ "csv", CT_OK, CT_FMT_CSV },
	{ "xlsx", CT_E_USAGE, CT_FMT_TEXT },
	{ "", CT_E_USAGE, CT_FMT_TEXT },
	{ "JSON", CT_E_USAGE, CT_FMT_TEXT },
	{ "jsonx", CT_E_USAGE, CT_FMT_TEXT },
};

START_TEST(test_render_format_parse)
{
	enum ct_report_format fmt = CT_FMT_TEXT;

	ck_assert_int_eq(ct_report_format_parse(format_cases[_i].name, &fmt),
			 format_cases[_i].rc);
	if (format_cases[_i].rc == CT_OK)
		ck_assert_int_eq(fmt, format_cases[_i].fmt);
	ck_assert_int_eq(ct_report_format_parse(NULL, &fmt), CT_E_USAGE);
}
END_TEST

START_TEST(test_render_errors)
{
	struct ct_report *r = sample();
	struct ct_err err;
	FILE *f;

	ct_err_init(&err);
	f = tmpfile();
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(ct_report_render(r, (enum ct_report_format)99, f,
					  &err),
			 CT_E_INTERNAL);
	fclose(f);
	f = fopen("/dev/full", "w"); /* every write fails with ENOSPC */
	if (f) {
		ct_err_init(&err);
		ck_assert_int_eq(ct_report_render(r, CT_FMT_HTML, f, &err),
				 CT_E_IO);
		ck_assert_int_eq(err.code, CT_E_IO);
		ck_assert_msg(strstr(err.msg, "cannot write") != NULL, "%s",
			      err.msg);
		fclose(f);
	}
	free_report(r);
}
END_TEST

/* --- JSON ---------------------------------------------------------------- */

/* The keys of every object in v come in strcmp order (JSON_SORT_KEYS);
 * jansson keeps the order keys were read in. */
static void check_sorted(json_t *v)
{
	const char *k, *prev = NULL;
	json_t *m;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach(v, k, m) {
			ck_assert_msg(!prev || strcmp(prev, k) < 0,
				      "key \"%s\" after \"%s\"", k, prev);
			prev = k;
			check_sorted(m);
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, m)
			check_sorted(m);
	}
}

static json_t *parse(const char *text)
{
	json_error_t je;
	json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES, &je);

	ck_assert_msg(doc != NULL, "bad JSON at line %d: %s\n%.1500s", je.line,
		      je.text, text);
	check_sorted(doc);
	return doc;
}

static const char *const contract_keys[] = {
	"month",
	"currency",
	"total_billed_cost",
	"total_effective_cost",
	"previous_total_billed_cost",
	"previous_total_effective_cost",
	"by_service",
	"by_service_category",
	"by_account",
	"by_region",
	"by_charge_category",
	"top_movers",
	"by_tag",
	"untagged_by_tag",
	"history",
	"recommendations",
	"budgets",
	"kubernetes",
	"untagged_billed_cost",
	"untagged_share",
	"daily",
	"anomalies",
	"forecast_billed_cost",
	"complete",
	"lines",
	"notes",
};

START_TEST(test_render_json)
{
	struct ct_report *r = sample();
	char *out = render(r, CT_FMT_JSON);
	json_t *doc = parse(out);
	json_t *a, *o, *team;
	size_t i;

	ck_assert_uint_eq(json_object_size(doc), CT_NELEM(contract_keys));
	for (i = 0; i < CT_NELEM(contract_keys); i++)
		ck_assert_msg(json_object_get(doc, contract_keys[i]) != NULL,
			      "no %s", contract_keys[i]);

	/* exact number texts, read from the output itself */
	ck_contains(out, "\"total_billed_cost\": 1234.567890123,\n");
	ck_contains(out, "\"total_effective_cost\": 0.10,\n");
	ck_contains(out, "\"previous_total_billed_cost\": 1000.00,\n");
	ck_contains(out, "\"previous_total_effective_cost\": 31.25,\n");
	ck_contains(out, "\"untagged_billed_cost\": 222.222222222,\n");
	ck_contains(out, "\"expected\": 411.522630041,\n");
	ck_contains(out, "\"sigmas\": 3.5\n");
	ck_contains(out, "\"forecast_billed_cost\": null,\n");
	ck_contains(out, "\"lines\": 123456,\n");
	ck_contains(out, "\"complete\": true,\n");
	/* layout of json_dumps(JSON_SORT_KEYS | JSON_INDENT(2)) */
	ck_starts(out, "{\n  \"anomalies\": [\n    {\n      "
		       "\"billed_cost\": 1100.00,\n      "
		       "\"date\": \"2026-10-02\",\n");
	ck_assert_str_eq(out + strlen(out) - 3, "\n}\n");

	ck_assert_str_eq(json_string_value(json_object_get(doc, "month")),
			 "2026-10");
	ck_assert_str_eq(json_string_value(json_object_get(doc, "currency")),
			 "USD");
	ck_assert(json_is_true(json_object_get(doc, "complete")));
	/* 222.222222222 / 1234.567890123 = 0.18000000... */
	ck_assert(fabs(json_number_value(json_object_get(doc, "untagged_share")) -
		       0.18) < 1e-6);

	a = json_object_get(doc, "by_service");
	ck_assert_uint_eq(json_array_size(a), 17); /* JSON lists every row */
	o = json_array_get(a, 0);
	ck_assert_str_eq(json_string_value(json_object_get(o, "name")),
			 "AmazonEC2");
	ck_assert_str_eq(json_string_value(json_object_get(o, "category")),
			 "Compute");
	ck_assert(json_number_value(json_object_get(o, "billed_cost")) == 32.25);
	ck_assert(json_number_value(json_object_get(o, "effective_cost")) == 30.0);
	ck_assert(json_number_value(json_object_get(o, "previous_billed_cost")) ==
		  31.25);
	ck_assert_uint_eq(json_object_size(o), 5);

	o = json_array_get(json_object_get(doc, "by_account"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(o, "id")),
			 "111122223333");
	ck_assert_str_eq(json_string_value(json_object_get(o, "name")),
			 "Production | \"main\"");
	ck_assert_uint_eq(json_object_size(o), 5);
	o = json_array_get(json_object_get(doc, "by_region"), 0);
	ck_assert_uint_eq(json_object_size(o), 4); /* no effective_cost */
	ck_assert_str_eq(json_string_value(json_object_get(o, "name")),
			 "US East (N. Virginia)");
	o = json_array_get(json_object_get(doc, "by_service_category"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(o, "name")),
			 "Compute");
	o = json_array_get(json_object_get(doc, "by_charge_category"), 1);
	ck_assert_str_eq(json_string_value(json_object_get(o, "name")),
			 "Credit");
	ck_assert(json_number_value(json_object_get(o, "billed_cost")) == -5.0);
	ck_contains(out, "\"billed_cost\": -5.00,\n");

	o = json_array_get(json_object_get(doc, "top_movers"), 0);
	ck_assert(json_number_value(json_object_get(o, "change")) == 1.0);
	ck_contains(out, "\"change\": 1.00,\n");

	team = json_object_get(json_object_get(doc, "by_tag"), "team");
	ck_assert_uint_eq(json_array_size(team), 3);
	o = json_array_get(team, 1);
	ck_assert_str_eq(json_string_value(json_object_get(o, "value")),
			 "<script>alert(1)</script>");
	ck_assert(json_number_value(json_object_get(o, "billed_cost")) == 12.345);
	ck_contains(out, "\"billed_cost\": 12.345,\n");
	ck_assert_str_eq(json_string_value(json_object_get(
				 json_array_get(json_object_get(
							json_object_get(doc,
									"by_tag"),
							"env"),
						0),
				 "value")),
			 "prod,eu \"x\"");
	/* tag keys sorted: env before team */
	ck_assert(strstr(out, "\"env\": [") < strstr(out, "\"team\": ["));
	ck_assert(json_number_value(json_object_get(
			  json_object_get(doc, "untagged_by_tag"), "team")) ==
		  100.0);
	ck_contains(out, "\"env\": 0.00,\n    \"team\": 100.00\n  },\n");

	a = json_object_get(doc, "daily");
	ck_assert_uint_eq(json_array_size(a), 3);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(a, 2),
							   "date")),
			 "2026-10-03");
	ck_contains(out, "\"billed_cost\": 34.567890123,\n");
	a = json_object_get(doc, "notes");
	ck_assert_str_eq(json_string_value(json_array_get(a, 1)), "two\nlines");
	ck_contains(out, "\"two\\nlines\"");

	json_decref(doc);
	free(out);
	free_report(r);
}
END_TEST

START_TEST(test_render_json_no_prev)
{
	struct ct_report *r = bare();
	char *out = render(r, CT_FMT_JSON);
	json_t *doc = parse(out);

	ck_assert(json_is_null(json_object_get(doc, "previous_total_billed_cost")));
	ck_assert(json_is_null(
		json_object_get(doc, "previous_total_effective_cost")));
	ck_assert(json_is_null(json_object_get(doc, "untagged_share")));
	ck_assert(json_is_false(json_object_get(doc, "complete")));
	ck_contains(out, "\"forecast_billed_cost\": 12345678.123456789,\n");
	ck_contains(out, "\"by_service\": [],\n");
	ck_contains(out, "\"by_tag\": {},\n");
	ck_contains(out, "\"untagged_by_tag\": {},\n");
	ck_contains(out, "\"total_billed_cost\": 0.00,\n");
	json_decref(doc);
	free(out);

	/* a row's previous amount is unknown too */
	add_item(&r->by_service, "AmazonS3", NULL, NULL, NANO(2), NANO(2), 0);
	add_item(&r->movers, "AmazonS3", NULL, NULL, NANO(2), NANO(2), 0);
	out = render(r, CT_FMT_JSON);
	doc = parse(out);
	ck_assert(json_is_null(json_object_get(
		json_array_get(json_object_get(doc, "by_service"), 0),
		"previous_billed_cost")));
	ck_assert(json_is_null(json_object_get(
		json_array_get(json_object_get(doc, "top_movers"), 0),
		"change")));
	ck_assert(json_is_null(json_object_get(
		json_array_get(json_object_get(doc, "by_service"), 0),
		"category")));
	json_decref(doc);
	free(out);
	free_report(r);
}
END_TEST

START_TEST(test_render_json_strings)
{
	struct ct_report *r = bare();
	char *out;
	json_t *doc, *notes;

	add_note(r, "tab\there \x01 \"q\" back\\slash");
	add_note(r, "bad \xC3( utf8 \xE2\x82\xAC");
	out = render(r, CT_FMT_JSON);
	ck_contains(out, "\"tab\\there \\u0001 \\\"q\\\" back\\\\slash\"");
	doc = parse(out); /* jansson rejects invalid UTF-8 */
	notes = json_object_get(doc, "notes");
	ck_assert_str_eq(json_string_value(json_array_get(notes, 0)),
			 "tab\there \x01 \"q\" back\\slash");
	ck_assert_str_eq(json_string_value(json_array_get(notes, 1)),
			 "bad \xEF\xBF\xBD( utf8 \xE2\x82\xAC");
	json_decref(doc);
	free(out);
	free_report(r);
}
END_TEST

/* --- text, markdown, HTML, CSV --------------------------------------- */

/* The layout of the text report (render_text.c): totals are a label in
 * 34 columns and a value in 13; breakdown rows a label in 28, three
 * amounts in 13 and the change in 24; tag rows are indented by 4, a
 * label in 26, the amount in 13 and the share in 8. The figures passed in
 * are worked out by hand. ASCII labels only. */
static char *text_total(const char *label, const char *value)
{
	return ct_xasprintf("  %-34s %13s\n", label, value);
}

static char *text_row(const char *label, const char *billed,
		      const char *effective, const char *prev,
		      const char *change)
{
	return ct_xasprintf("  %-28s %13s %13s %13s %24s\n", label, billed,
			    effective, prev, change);
}

static char *text_share(const char *label, const char *billed,
			const char *share)
{
	return ct_xasprintf("    %-26s %13s %8s\n", label, billed, share);
}

/* ck_contains() for a new string, which it frees. */
static void contains_new(const char *out, char *want)
{
	ck_contains(out, want);
	free(want);
}

START_TEST(test_render_text)
{
	struct ct_report *r = sample();
	char *out = render(r, CT_FMT_TEXT);
	char *line, *p;

	ck_starts(out, "Cloud cost report — 2026-10 (USD)\n");
	ck_contains(out, "Billing period 2026-10, complete.");
	contains_new(out, text_total("Billed cost", "$1,234.57"));
	contains_new(out, text_total("Effective (amortized) cost", "$0.10"));
	contains_new(out, text_total("Previous month billed (2026-09)",
				     "$1,000.00"));
	contains_new(out, text_total("Previous month effective", "$31.25"));
	/* 234.567890123 / 1000 */
	contains_new(out, ct_xasprintf("  %-34s %13s  (+23.5%%)\n",
				       "Change in billed cost", "+$234.57"));
	contains_new(out, text_total("Billing lines", "123,456"));
	ck_lacks(out, "Forecast");
	ck_contains(out, "\nBy service (top 15 of 17)\n"
			 "-------------------------\n");
	contains_new(out, text_row("AmazonEC2", "$32.25", "$30.00", "$31.25",
				   "+$1.00 (+3.2%)"));
	contains_new(out, text_row("AWS Lambda", "$5.00", "$5.00", "$10.00",
				   "-$5.00 (-50.0%)"));
	ck_contains(out, "  svc15 ");
	ck_lacks(out, "svc16");
	/* svc16 + svc17 = 2.00, both new */
	contains_new(out, text_row("other 2 services", "$2.00", "$2.00",
				   "$0.00", "+$2.00 (n/a)"));
	contains_new(out, text_row("Credit", "-$5.00", "-$5.00", "$0.00",
				   "-$5.00 (n/a)"));
	/* 34 columns of label cut to 27 and an ellipsis */
	ck_contains(out, "  Production | \"main\" (111122… ");
	ck_contains(out, "  us-east-1 (US East (N. Virg… ");
	/* 1000 / 1234.567890123 = 81.0%, 100 / 1234.57 = 8.1% */
	contains_new(out, text_share("platform", "$1,000.00", "81.0%"));
	contains_new(out, text_share("(untagged)", "$100.00", "8.1%"));
	/* 12.345 rounds half away from zero; 1.0% of the total */
	contains_new(out, text_share("<script>alert(1)</script>", "$12.35",
				     "1.0%"));
	ck_contains(out, "$222.22  (18.0% of billed cost)");
	contains_new(out, ct_xasprintf("  2026-10-01 %13s     2026-10-02 %13s!"
				       "    2026-10-03 %13s\n",
				       "$100.00", "$1,100.00", "$34.57"));
	contains_new(out, ct_xasprintf("  2026-10-02 %13s %13s %10s\n",
				       "$1,100.00", "$411.52", "+3.5 sd"));
	ck_contains(out, "  - two lines\n"); /* no raw line break */
	/* every line fits in 100 columns (the dash of the title and the
	 * ellipsis are three bytes, one column) */
	for (line = out; *line; line = p + 1) {
		p = strchr(line, '\n');
		ck_assert_ptr_nonnull(p);
		ck_assert_msg(p - line <= 100, "long line: %.*s",
			      (int)(p - line), line);
	}
	free(out);
	free_report(r);

	r = bare();
	out = render(r, CT_FMT_TEXT);
	ck_contains(out, "in progress: 12 of 31 days with charges.");
	ck_contains(out, "No billing data for 2026-09 to compare with.");
	contains_new(out,
		     text_total("Previous month billed (2026-09)", "n/a"));
	contains_new(out, text_total("Change in billed cost", "n/a"));
	contains_new(out, text_total("Forecast billed cost (run rate)",
				     "$12,345,678.12"));
	ck_contains(out, "\nBy service\n----------\n  none\n");
	ck_contains(out, "\nAnomalies\n---------\n  none");
	ck_contains(out, "(n/a of billed cost)");
	free(out);
	free_report(r);
}
END_TEST

START_TEST(test_render_text_unsafe)
{
	struct ct_report *r = bare();
	char *out;

	add_item(&r->by_service, "evil\x1b[2Jname", NULL, NULL, NANO(1),
		 NANO(1), 0);
	add_item(&r->by_service,
		 "a-service-name-that-is-much-too-long-for-the-column", NULL,
		 NULL, NANO(1), NANO(1), 0);
	out = render(r, CT_FMT_TEXT);
	ck_lacks(out, "\x1b");
	ck_contains(out, "  evil?[2Jname ");
	ck_contains(out, "  a-service-name-that-is-much… ");
	free(out);
	free_report(r);
}
END_TEST

START_TEST(test_render_markdown)
{
	struct ct_report *r = sample();
	char *out = render(r, CT_FMT_MARKDOWN);

	ck_starts(out, "# Cloud cost report — 2026-10 (USD)\n");
	ck_contains(out, "| Billed cost | **$1,234.57** |\n");
	ck_contains(out, "| Change in billed cost | +$234.57 (+23.5%) |\n");
	ck_contains(out, "\n## By service (top 15 of 17)\n\n"
			 "| Service | Category | Billed | Effective | Previous |"
			 " Change |\n"
			 "|:---|:---|---:|---:|---:|---:|\n"
			 "| AmazonEC2 | Compute | $32.25 | $30.00 | $31.25 |"
			 " +$1.00 (+3.2%) |\n");
	ck_contains(out, "| *other 2 services* | | $2.00 | $2.00 | $0.00 |"
			 " +$2.00 (n/a) |\n");
	/* a '|' in a name must not split the cell */
	ck_contains(out, "| 111122223333 | Production \\| \"main\" |");
	ck_contains(out, "| \\<script\\>alert(1)\\</script\\> | $12.35 | 1.0% |\n");
	ck_contains(out, "| \\=cmd\\|' /C calc'!A0 | $0.50 | 0.0% |\n");
	ck_contains(out, "| *(untagged)* | $100.00 | 8.1% |\n");
	ck_contains(out, "| Credit | -$5.00 | -$5.00 | $0.00 | -$5.00 (n/a) |\n");
	ck_contains(out, "| 2026-10-02 | $1,100.00 | **anomaly** |\n");
	ck_contains(out, "| 2026-10-02 | $1,100.00 | $411.52 | +3.5 sd |\n");
	ck_contains(out, "- two lines\n");
	free(out);
	free_report(r);
}
END_TEST

START_TEST(test_render_html)
{
	struct ct_report *r = sample();
	char *out;

	snprintf(r->history[0].month, sizeof(r->history[0].month), "2026-09");
	r->history[0].billed = NANO(1000);
	r->history[0].effective = INT64_C(31250000000);
	snprintf(r->history[1].month, sizeof(r->history[1].month), "2026-10");
	r->history[1].billed = r->total_billed;
	r->history[1].effective = r->total_effective;
	r->nhistory = 2;
	out = render(r, CT_FMT_HTML);
	ck_starts(out, "<!DOCTYPE html>\n");
	ck_contains(out, "<title>Cloud cost report — 2026-10 (USD)</title>");
	ck_contains(out, "<style>");
	ck_contains(out, "</html>\n");
	/* self-contained: one inline script (sortable tables), nothing fetched */
	ck_contains(out, "\n<script>\n(function(){");
	ck_lacks(out, "<script src");
	ck_lacks(out, "src=");
	ck_lacks(out, "<link");
	ck_lacks(out, "url(");
	ck_lacks(out, "http:");
	ck_lacks(out, "https:");
	ck_contains(out, "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>");
	ck_contains(out, "<td>Production | &quot;main&quot;</td>");
	ck_contains(out, "<td>=cmd|&#39; /C calc&#39;!A0</td>");
	ck_contains(out, "<div class=\"v\">$1,234.57</div>");
	ck_contains(out, "<div class=\"v up\">+$234.57</div>"
			 "<div class=\"d\">+23.5% vs 2026-09</div>");
	/* numbers carry their raw value for sorting; "other" rows stay in tfoot */
	ck_contains(out, "<td class=\"n down\" data-v=\"-5.000000000\">-$5.00 (-50.0%)</td>");
	ck_contains(out, "<tfoot><tr class=\"other\"><td colspan=\"2\">other 2 services</td>");
	/* the service chart: ten bars and the other 7, scaled to the largest
	 * (AmazonEC2 $32.25): $5.00 is 15.504 % */
	ck_contains(out, "<title id=\"svc-t\">Billed cost by service</title>");
	ck_contains(out, "<rect class=\"b\" x=\"0\" y=\"60\" width=\"15.504%\"");
	ck_contains(out, "<text class=\"l\" x=\"0\" y=\"414\">other 7 services</text>");
	/* the daily chart: gridlines every $500 up to $1,500 over 170 px, so
	 * $1,100 is 125 px high, in the hot colour; $34.57 is 3.9 -> 4 px */
	ck_contains(out, ">$1,500</text>");
	ck_contains(out, "<rect class=\"h\" x=\"38.000%\" y=\"69\" width=\"24.000%\" "
			 "height=\"125\" rx=\"1.5\"><title>2026-10-02: $1,100.00 (anomaly)</title>");
	ck_contains(out, "height=\"4\" rx=\"1.5\"><title>2026-10-03: $34.57</title>");
	ck_contains(out, "<title>daily mean: $411.52</title>");
	/* month over month: a column per month and the table */
	ck_contains(out, "<title id=\"hist-t\">Billed cost by month</title>");
	ck_contains(out, "<tr><td>2026-10</td><td class=\"n\" data-v=\"1234.567890123\">$1,234.57</td>");
	ck_contains(out, ">+$234.57 (+23.5%)</td></tr>");
	ck_contains(out, "<li>two\nlines</li>");
	free(out);
	free_report(r);

	r = bare();
	out = render(r, CT_FMT_HTML);
	ck_contains(out, "<div class=\"v\">$12,345,678.12</div>");
	ck_contains(out, "<div class=\"k\">Change in billed cost</div><div class=\"v\">n/a</div>");
	ck_lacks(out, "<svg");
	free(out);
	free_report(r);
}
END_TEST

START_TEST(test_render_csv)
{
	struct ct_report *r = sample();
	char *out = render(r, CT_FMT_CSV);

	ck_starts(out, "section,key,name,billed_cost,effective_cost,"
		       "previous_billed_cost\r\n"
		       "total,2026-10,USD,1234.567890,0.100000,1000.000000\r\n"
		       "previous_total,2026-09,USD,1000.000000,31.250000,\r\n");
	ck_contains(out, "\r\nservice,AmazonEC2,Compute,32.250000,30.000000,"
			 "31.250000\r\n");
	ck_contains(out, "\r\nservice,svc17,Other,1.000000,1.000000,"
			 "0.000000\r\n");
	ck_contains(out, "\r\naccount,111122223333,\"Production | \"\"main\"\"\","
			 "1234.567890,0.100000,1000.000000\r\n");
	ck_contains(out, "\r\nregion,us-east-1,US East (N. Virginia),"
			 "1234.567890,,1000.000000\r\n");
	/* a negative amount is a number, not neutralised */
	ck_contains(out, "\r\ncharge_category,Credit,,-5.000000,-5.000000,"
			 "0.000000\r\n");
	ck_contains(out, "\r\ntop_mover,AmazonEC2,,32.250000,,31.250000\r\n");
	ck_contains(out, "\r\ntag,team,'=cmd|' /C calc'!A0,0.500000,,\r\n");
	ck_contains(out, "\r\ntag,team,<script>alert(1)</script>,12.345000,,\r\n");
	ck_contains(out, "\r\ntag,env,\"prod,eu \"\"x\"\"\",7.000000,,\r\n");
	ck_contains(out, "\r\ntag_untagged,team,,100.000000,,\r\n");
	ck_contains(out, "\r\nuntagged,,,222.222222,,\r\n");
	ck_contains(out, "\r\ndaily,2026-10-03,,34.567890,,\r\n");
	ck_contains(out, "\r\nanomaly,2026-10-02,expected 411.522630 deviation "
			 "+3.5 sd,1100.000000,,\r\n");
	ck_contains(out, "\r\nnote,2,\"two\nlines\",,,\r\n");
	ck_lacks(out, "forecast");
	free(out);
	free_report(r);

	r = bare();
	add_note(r, "-2+3+cmd|' /C calc'!A0");
	add_note(r, "@SUM(1+1)*cmd|' /C calc'!A0");
	add_note(r, "+1");
	add_note(r, "\tx");
	out = render(r, CT_FMT_CSV);
	ck_contains(out, "\r\ntotal,2026-10,USD,0.000000,0.000000,\r\n");
	ck_contains(out, "\r\nforecast,2026-10,USD,12345678.123457,,\r\n");
	ck_contains(out, "\r\nnote,1,'-2+3+cmd|' /C calc'!A0,,,\r\n");
	ck_contains(out, "\r\nnote,2,'@SUM(1+1)*cmd|' /C calc'!A0,,,\r\n");
	ck_contains(out, "\r\nnote,3,'+1,,,\r\n");
	ck_contains(out, "\r\nnote,4,'\tx,,,\r\n");
	free(out);
	free_report(r);
}
END_TEST

/*
 * Savings of a hand-made recommend model: an idle instance saving 70.08
 * (its cost), a low-CPU m5.xlarge saving 70.08 of 140.16 by going to
 * m5.large, an unattached volume "=cmd" saving 8.00; a best 3y all-upfront
 * RI for 2 m5.large at $1,234.00 upfront saving 40.00 and a worse 1y one;
 * total 188.16. Two months of history.
 */
static struct ct_finding *add_finding(struct ct_recommend *rec, const char *kind,
				      const char *id, const char *type, const char *action,
				      const char *to, ct_money cost, ct_money saving)
{
	struct ct_finding *f;

	rec->f = ct_xrealloc(rec->f, (rec->n + 1) * sizeof(*rec->f));
	f = &rec->f[rec->n++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->resource_id = ct_xstrdup(id);
	f->resource_type = ct_xstrdup(type);
	f->region = ct_xstrdup("us-east-1");
	f->account_id = ct_xstrdup("111122223333");
	f->action = action;
	f->recommended_type = dup_or_null(to);
	f->monthly_cost = cost;
	f->savings = saving;
	return f;
}

static void add_savings(struct ct_report *r)
{
	struct ct_recommend *rec = ct_xcalloc(1, sizeof(*rec));
	ct_money cents = INT64_C(10000000); /* 0.01 */

	ct_recommend_opts_init(&rec->opts);
	rec->has_metrics = true;
	add_finding(rec, "idle_instance", "i-0aaa", "m5.large", "stop_or_terminate", NULL,
		    7008 * cents, 7008 * cents);
	add_finding(rec, "low_cpu_instance", "i-0bbb", "m5.xlarge", "downsize", "m5.large",
		    14016 * cents, 7008 * cents);
	add_finding(rec, "unattached_volume", "=cmd|' /C calc'!A0", "gp3",
		    "snapshot_and_delete", NULL, NANO(8), NANO(8));
	rec->cm = ct_xcalloc(2, sizeof(*rec->cm));
	rec->ncm = 2;
	rec->cm[0] = (struct ct_commitment){.kind = "reserved_instance",
					    .instance_type = ct_xstrdup("m5.large"),
					    .region = ct_xstrdup("us-east-1"),
					    .os = "linux", .term = "1y", .payment = "no_upfront",
					    .offering = "standard", .count = 2,
					    .savings = NANO(20)};
	rec->cm[1] = (struct ct_commitment){.kind = "reserved_instance",
					    .instance_type = ct_xstrdup("m5.large"),
					    .region = ct_xstrdup("us-east-1"),
					    .os = "linux", .term = "3y", .payment = "all_upfront",
					    .offering = "standard", .count = 2,
					    .upfront = NANO(1234), .savings = NANO(40),
					    .best = true};
	rec->kt[0] = (struct ct_kind_total){"idle_instance", 7008 * cents, 1};
	rec->kt[1] = (struct ct_kind_total){"low_cpu_instance", 7008 * cents, 1};
	rec->kt[2] = (struct ct_kind_total){"reserved_instance", NANO(40), 1};
	rec->kt[3] = (struct ct_kind_total){"unattached_volume", NANO(8), 1};
	rec->nkt = 4;
	rec->total_savings = 18816 * cents;
	r->rec = rec;
	snprintf(r->history[0].month, sizeof(r->history[0].month), "2026-09");
	r->history[0].billed = NANO(1000);
	r->history[0].effective = 3125 * cents;
	snprintf(r->history[1].month, sizeof(r->history[1].month), "2026-10");
	r->history[1].billed = r->total_billed;
	r->history[1].effective = r->total_effective;
	r->nhistory = 2;
}

START_TEST(test_render_savings)
{
	struct ct_report *r = sample();
	char *out;
	json_t *doc, *rec;

	/* without a recommend model: null, and no section */
	out = render(r, CT_FMT_JSON);
	ck_contains(out, "\"recommendations\": null,\n");
	ck_contains(out, "\"history\": [],\n");
	free(out);
	out = render(r, CT_FMT_TEXT);
	ck_lacks(out, "Savings opportunities");
	free(out);

	add_savings(r);
	out = render(r, CT_FMT_JSON);
	doc = parse(out);
	rec = json_object_get(doc, "recommendations");
	ck_assert_ptr_nonnull(rec);
	ck_assert_uint_eq(json_array_size(json_object_get(rec, "findings")), 3);
	ck_contains(out, "\"total_estimated_monthly_savings\": 188.16,\n");
	ck_contains(out, "\"history\": [\n    {\n      \"billed_cost\": 1000.00,\n"
			 "      \"effective_cost\": 31.25,\n      \"month\": \"2026-09\"\n");
	json_decref(doc);
	free(out);

	out = render(r, CT_FMT_TEXT);
	ck_contains(out, "Savings opportunities\n---------------------\n");
	ck_contains(out, "  Estimated monthly saving                 $188.16\n");
	ck_contains(out, "  low-CPU instance                       1        $70.08\n");
	/* largest saving first; the tie of 70.08 goes to the larger cost */
	ck_contains(out, "  i-0bbb                low-CPU instance   downsize to m5.large        "
			 "     $140.16        $70.08\n"
			 "  i-0aaa                idle instance      stop or terminate           "
			 "      $70.08        $70.08\n");
	ck_contains(out, "  m5.large us-east-1       RI 3y standard all upfront             2"
			 "     $1,234.00        $40.00\n");
	ck_lacks(out, "RI 1y");
	free(out);

	out = render(r, CT_FMT_MARKDOWN);
	ck_contains(out, "Estimated monthly saving: **$188.16**");
	ck_contains(out, "| \\=cmd\\|' /C calc'!A0 | unattached volume | gp3 | us-east-1 | "
			 "snapshot and delete | $8.00 | $8.00 |\n");
	ck_contains(out, "| m5.large | us-east-1 | RI 3y standard all upfront | 2 | $1,234.00 | "
			 "$40.00 |\n");
	free(out);

	out = render(r, CT_FMT_CSV);
	ck_contains(out, "\r\nhistory,2026-09,,1000.000000,31.250000,\r\n");
	ck_contains(out, "\r\nsaving,reserved_instance,1,40.000000,,\r\n");
	ck_contains(out, "\r\nsaving_total,,,188.160000,,\r\n");
	ck_contains(out, "\r\nfinding,i-0bbb,low_cpu_instance,70.080000,,\r\n"
			 "finding,i-0aaa,idle_instance,70.080000,,\r\n"
			 "finding,'=cmd|' /C calc'!A0,unattached_volume,8.000000,,\r\n");
	free(out);

	/* no metrics and no findings: say how to get them */
	r->rec->n = 0;
	r->rec->has_metrics = false;
	out = render(r, CT_FMT_TEXT);
	ck_contains(out, "No inventory or metrics in the store");
	free(out);
	r->rec->n = 3;
	free_report(r);
}
END_TEST

/* Two budgets by hand: the total at $1,000.00 with $1,234.567890123
 * spent (123.5 %, critical); "Team <A>" on tag:team=platform at
 * $2,000.00 with $1,000.00 spent and $2,100.00 forecast (50.0 %, ok,
 * forecast critical). */
START_TEST(test_render_budgets)
{
	struct ct_report *r = sample();
	struct ct_budget_status *b = ct_xcalloc(1, sizeof(*b));
	char *out;

	memcpy(b->month, "2026-10", 8);
	memcpy(b->currency, "USD", 4);
	b->v = ct_xcalloc(2, sizeof(*b->v));
	b->n = 2;
	b->v[0] = (struct ct_budget_row){ct_xstrdup("total"), ct_xstrdup("total"), NANO(1000),
					 r->total_billed, r->total_billed, 123.456789,
					 123.456789, 80, 100, "critical", "critical"};
	b->v[1] = (struct ct_budget_row){ct_xstrdup("Team <A>"), ct_xstrdup("tag:team=platform"),
					 NANO(2000), NANO(1000), NANO(2100), 50, 105, 80, 100,
					 "ok", "critical"};
	b->critical = 1;
	b->forecast_critical = 1;
	r->budgets = b;

	out = render(r, CT_FMT_TEXT);
	ck_contains(out, "\nBudgets\n-------\n");
	ck_contains(out, "  total                            $1,000.00     $1,234.57  123.5%     "
			 "$1,234.57  critical\n");
	ck_contains(out, "  Team <A>                         $2,000.00     $1,000.00   50.0%     "
			 "$2,100.00  ok (forecast: critical)\n");
	free(out);
	out = render(r, CT_FMT_MARKDOWN);
	ck_contains(out, "| Team \\<A\\> | $2,000.00 | $1,000.00 | 50.0% | $2,100.00 | ok "
			 "(forecast: critical) |\n");
	free(out);
	out = render(r, CT_FMT_JSON);
	ck_contains(out, "\"critical\": 1,\n");
	ck_contains(out, "\"forecast\": 2100.00,\n");
	ck_contains(out, "\"scope\": \"tag:team=platform\",\n");
	free(out);
	out = render(r, CT_FMT_CSV);
	ck_contains(out, "\r\nbudget,total,total,1234.567890,1000.000000,1234.567890\r\n");
	ck_contains(out, "\r\nbudget,tag:team=platform,Team <A>,1000.000000,2000.000000,"
			 "2100.000000\r\n");
	free(out);
	free_report(r);
}
END_TEST

static Suite *render_suite(void)
{
	Suite *s = suite_create("render");
	TCase *tc;

	tc = tcase_create("helpers");
	tcase_add_loop_test(tc, test_render_money, 0, CT_NELEM(money_cases));
	tcase_add_loop_test(tc, test_render_change, 0, CT_NELEM(change_cases));
	tcase_add_test(tc, test_render_small_texts);
	tcase_add_test(tc, test_render_label);
	tcase_add_loop_test(tc, test_render_utf8, 0, CT_NELEM(utf8_cases));
	tcase_add_loop_test(tc, test_render_format_parse, 0,
			    CT_NELEM(format_cases));
	tcase_add_test(tc, test_render_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("json");
	tcase_add_test(tc, test_render_json);
	tcase_add_test(tc, test_render_json_no_prev);
	tcase_add_test(tc, test_render_json_strings);
	suite_add_tcase(s, tc);

	tc = tcase_create("human");
	tcase_add_test(tc, test_render_text);
	tcase_add_test(tc, test_render_text_unsafe);
	tcase_add_test(tc, test_render_markdown);
	tcase_add_test(tc, test_render_html);
	suite_add_tcase(s, tc);

	tc = tcase_create("csv");
	tcase_add_test(tc, test_render_csv);
	tcase_add_test(tc, test_render_savings);
	tcase_add_test(tc, test_render_budgets);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(render_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
