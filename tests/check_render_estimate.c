/*
 * check_render_estimate.c - unit tests of the Terraform estimate renderers
 * (reports/render_estimate.c): format names, and the table, JSON and
 * markdown of models built here by hand.
 *
 * Expected figures are worked out by hand from the models below, never
 * copied from the code's output. The models are built and freed here, so
 * the tests need neither a plan nor the catalog.
 */
#include "ct.h"
#include "estimate.h"
#include "money.h"
#include "testlib.h"

#include <jansson.h>
#include <math.h>

/* --- building a model by hand ------------------------------------------ */

static ct_money M(const char *s)
{
	ct_money m;

	ck_assert_int_eq(ct_money_parse(s, strlen(s), &m), CT_OK);
	return m;
}

static ct_rate R(const char *s)
{
	ct_rate r;

	ck_assert_int_eq(ct_rate_parse(s, strlen(s), &r), CT_OK);
	return r;
}

enum { USAGE = 1, HAS_USAGE = 2 };

/* rate NULL: price unknown; monthly as the estimate module would set it. */
static void add_comp(struct ct_est_side *s, const char *name, const char *unit, double qty,
		     const char *rate, const char *monthly, int flags, const char *note)
{
	struct ct_est_component *c;

	s->comp = ct_xrealloc(s->comp, (s->n + 1) * sizeof(*s->comp));
	c = &s->comp[s->n++];
	memset(c, 0, sizeof(*c));
	c->name = ct_xstrdup(name);
	c->unit = ct_xstrdup(unit);
	c->quantity = qty;
	c->price_found = rate != NULL;
	c->unit_price = rate ? R(rate) : 0;
	c->monthly = monthly ? M(monthly) : 0;
	c->usage_based = flags & USAGE;
	c->has_usage = (flags & HAS_USAGE) != 0;
	c->purchase_option = "on_demand";
	c->note = note ? ct_xstrdup(note) : NULL;
	s->exists = true;
}

static struct ct_est_resource *add_res(struct ct_estimate *e, const char *address, const char *type,
				       const char *action, const char *region)
{
	struct ct_est_resource *r;

	e->res = ct_xrealloc(e->res, (e->nres + 1) * sizeof(*e->res));
	r = &e->res[e->nres++];
	memset(r, 0, sizeof(*r));
	r->address = ct_xstrdup(address);
	r->type = ct_xstrdup(type);
	r->action = ct_xstrdup(action);
	r->region = ct_xstrdup(region);
	return r;
}

static void add_strv(char ***v, size_t *n, const char *s)
{
	*v = ct_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = ct_xstrdup(s);
}

static void add_ref(struct ct_est_ref **v, size_t *n, const char *address, const char *type)
{
	*v = ct_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[*n].address = ct_xstrdup(address);
	(*v)[*n].type = ct_xstrdup(type);
	(*n)++;
}

static void add_unpriced(struct ct_estimate *e, const char *address, const char *component,
			 const char *reason)
{
	struct ct_est_unpriced *u;

	e->unpriced = ct_xrealloc(e->unpriced, (e->nunpriced + 1) * sizeof(*e->unpriced));
	u = &e->unpriced[e->nunpriced++];
	u->address = ct_xstrdup(address);
	u->component = ct_xstrdup(component);
	u->reason = ct_xstrdup(reason);
}

static void free_side(struct ct_est_side *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->comp[i].name);
		free(s->comp[i].unit);
		free(s->comp[i].note);
	}
	free(s->comp);
}

static void free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void free_refs(struct ct_est_ref *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].address);
		free(v[i].type);
	}
	free(v);
}

/* The estimate module's ct_estimate_free() is not needed here. */
static void est_free(struct ct_estimate *e)
{
	size_t i;

	if (!e)
		return;
	for (i = 0; i < e->nres; i++) {
		struct ct_est_resource *r = &e->res[i];

		free(r->address);
		free(r->type);
		free(r->action);
		free(r->region);
		free_side(&r->past);
		free_side(&r->now);
		free_strv(r->notes, r->nnotes);
	}
	free(e->res);
	free_refs(e->free_res, e->nfree);
	free_refs(e->unsupported, e->nunsupported);
	for (i = 0; i < e->nunpriced; i++) {
		free(e->unpriced[i].address);
		free(e->unpriced[i].component);
		free(e->unpriced[i].reason);
	}
	free(e->unpriced);
	free_strv(e->assumptions, e->nassumptions);
	free(e->plan_name);
	free(e);
}

static struct ct_estimate *new_est(void)
{
	struct ct_estimate *e = ct_xcalloc(1, sizeof(*e));

	snprintf(e->currency, sizeof(e->currency), "USD");
	e->hours_per_month = 730;
	e->plan_name = ct_xstrdup("plan.json");
	return e;
}

/*
 * The sample plan, in plan order:
 *   web   create  us-east-1  m5.large 730 h x 0.096 = 70.08,
 *                            gp3 8 GB x 0.08 = 0.64;     after 70.72
 *   db    update  us-east-1  before: db.t3.medium 730 x 0.068 = 49.64,
 *                            gp2 20 x 0.115 = 2.30 (51.94); after:
 *                            db.t3.large 730 x 0.136 = 99.28, gp2 2.30
 *                            (101.58); change +49.64 = +95.57...%
 *   old   delete  eu-west-1  t3.micro 730 x 0.0114 = 8.322; before 8.322
 *   api   create  us-east-1  Lambda requests at 0.20 per 1M requests and
 *                            duration at 0.0000166667 per GB-second, no
 *                            usage: after 0.00 + usage
 *   gpu   create  eu-north-1 p5.48xlarge: price unknown; gp3 100 GB x
 *                            0.0836 = 8.36; after >= 8.36
 *   logs  no-op   us-east-1  100 GB from usage x 0.023 = 2.30 both sides
 * Totals: before 51.94 + 8.322 + 2.30 = 62.562; after 70.72 + 101.58 +
 * 0 + 8.36 + 2.30 = 182.96; change +120.398 = +192.445...% of 62.562.
 * By |change|: web 70.72, db 49.64, gpu 8.36, old 8.322, api 0 (created).
 */
static struct ct_estimate *sample(void)
{
	struct ct_estimate *e = new_est();
	struct ct_est_resource *r;

	r = add_res(e, "aws_instance.web", "aws_instance", "create", "us-east-1");
	add_comp(&r->now, "Instance usage (Linux/UNIX, on-demand, m5.large)", "hours", 730, "0.096",
		 "70.08", 0, NULL);
	add_comp(&r->now, "Storage (general purpose SSD, gp3)", "GB-month", 8, "0.08", "0.64", 0,
		 NULL);
	r->now.monthly = M("70.72");
	add_strv(&r->notes, &r->nnotes, "root volume: 8 GB gp3 by default");

	r = add_res(e, "aws_db_instance.main", "aws_db_instance", "update", "us-east-1");
	add_comp(&r->past, "Database instance (on-demand, Single-AZ, db.t3.medium)", "hours", 730,
		 "0.068", "49.64", 0, NULL);
	add_comp(&r->past, "Storage (general purpose SSD, gp2)", "GB-month", 20, "0.115", "2.30", 0,
		 NULL);
	r->past.monthly = M("51.94");
	add_comp(&r->now, "Database instance (on-demand, Single-AZ, db.t3.large)", "hours", 730,
		 "0.136", "99.28", 0, NULL);
	add_comp(&r->now, "Storage (general purpose SSD, gp2)", "GB-month", 20, "0.115", "2.30", 0,
		 NULL);
	r->now.monthly = M("101.58");

	r = add_res(e, "aws_instance.old", "aws_instance", "delete", "eu-west-1");
	add_comp(&r->past, "Instance usage (Linux/UNIX, on-demand, t3.micro)", "hours", 730,
		 "0.0114", "8.322", 0, NULL);
	r->past.monthly = M("8.322");

	r = add_res(e, "aws_lambda_function.api", "aws_lambda_function", "create", "us-east-1");
	add_comp(&r->now, "Requests", "1M requests", 0, "0.20", NULL, USAGE, NULL);
	add_comp(&r->now, "Duration (on-demand)", "GB-seconds", 0, "0.0000166667", NULL, USAGE,
		 NULL);
	r->now.monthly = 0;

	r = add_res(e, "aws_instance.gpu", "aws_instance", "create", "eu-north-1");
	add_comp(&r->now, "Instance usage (Linux/UNIX, on-demand, p5.48xlarge)", "hours", 730, NULL,
		 NULL, 0, "no price for p5.48xlarge in eu-north-1");
	add_comp(&r->now, "Storage (general purpose SSD, gp3)", "GB-month", 100, "0.0836", "8.36",
		 0, NULL);
	r->now.monthly = M("8.36");

	r = add_res(e, "aws_s3_bucket.logs", "aws_s3_bucket", "no-op", "us-east-1");
	add_comp(&r->past, "Standard storage", "GB-month", 100, "0.023", "2.30", USAGE | HAS_USAGE,
		 NULL);
	r->past.monthly = M("2.30");
	add_comp(&r->now, "Standard storage", "GB-month", 100, "0.023", "2.30", USAGE | HAS_USAGE,
		 NULL);
	r->now.monthly = M("2.30");

	add_ref(&e->free_res, &e->nfree, "aws_iam_role.app", "aws_iam_role");
	add_ref(&e->free_res, &e->nfree, "aws_security_group.web", "aws_security_group");
	add_ref(&e->unsupported, &e->nunsupported, "aws_appsync_graphql_api.api",
		"aws_appsync_graphql_api");
	add_unpriced(e, "aws_instance.gpu", "Instance usage (Linux/UNIX, on-demand, p5.48xlarge)",
		     "no price for p5.48xlarge in eu-north-1");
	add_strv(&e->assumptions, &e->nassumptions, "no usage file given");
	add_strv(&e->assumptions, &e->nassumptions, "EBS root volumes: 8 GB gp3 when not set");
	e->past_total = M("62.562");
	e->total = M("182.96");
	return e;
}

/* Render e in fmt into a new NUL-terminated string. */
static char *render(const struct ct_estimate *e, enum ct_estimate_format fmt)
{
	struct ct_err err;
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	ck_assert_ptr_nonnull(f);
	ct_err_init(&err);
	ck_assert_int_eq(ct_estimate_render(e, fmt, f, &err), CT_OK);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_uint_eq(strlen(buf), n); /* no NUL inside */
	return buf;
}

#define ck_contains(hay, needle)                                                                   \
	ck_assert_msg(strstr((hay), (needle)) != NULL, "expected to find \"%s\" in:\n%.3000s",     \
		      (needle), (hay))
#define ck_lacks(hay, needle)                                                                      \
	ck_assert_msg(strstr((hay), (needle)) == NULL, "did not expect \"%s\" in:\n%.3000s",       \
		      (needle), (hay))

/* The line of text holding needle (new string). */
static char *line_of(const char *text, const char *needle)
{
	const char *p = strstr(text, needle), *b, *e;

	ck_assert_msg(p != NULL, "no line with \"%s\" in:\n%.3000s", needle, text);
	for (b = p; b > text && b[-1] != '\n'; b--)
		;
	e = strchr(p, '\n');
	return ct_xstrndup(b, e ? (size_t)(e - b) : strlen(b));
}

/* needle's line also holds each of the NULL-terminated others, in order. */
static void ck_line(const char *text, const char *needle, ...)
{
	char *line = line_of(text, needle);
	const char *pos = line, *s;
	va_list ap;

	va_start(ap, needle);
	while ((s = va_arg(ap, const char *)) != NULL) {
		const char *q = strstr(pos, s);

		ck_assert_msg(q != NULL, "line \"%s\" lacks \"%s\" (in order)", line, s);
		pos = q + strlen(s);
	}
	va_end(ap);
	free(line);
}

/* a comes before b in text. */
static void ck_order(const char *text, const char *a, const char *b)
{
	const char *pa = strstr(text, a), *pb = strstr(text, b);

	ck_assert_msg(pa && pb && pa < pb, "expected \"%s\" before \"%s\"", a, b);
}

/* --- format names ------------------------------------------------------- */

START_TEST(test_format_parse)
{
	enum ct_estimate_format f = CT_EST_JSON;

	ck_assert_int_eq(ct_estimate_format_parse("table", &f), CT_OK);
	ck_assert_int_eq(f, CT_EST_TABLE);
	ck_assert_int_eq(ct_estimate_format_parse("json", &f), CT_OK);
	ck_assert_int_eq(f, CT_EST_JSON);
	ck_assert_int_eq(ct_estimate_format_parse("markdown", &f), CT_OK);
	ck_assert_int_eq(f, CT_EST_MARKDOWN);
	f = CT_EST_TABLE;
	ck_assert_int_eq(ct_estimate_format_parse("md", &f), CT_OK);
	ck_assert_int_eq(f, CT_EST_MARKDOWN);
	ck_assert_int_eq(ct_estimate_format_parse("text", &f), CT_E_USAGE);
	ck_assert_int_eq(ct_estimate_format_parse("JSON", &f), CT_E_USAGE);
	ck_assert_int_eq(ct_estimate_format_parse("", &f), CT_E_USAGE);
	ck_assert_int_eq(ct_estimate_format_parse(NULL, &f), CT_E_USAGE);
}
END_TEST

START_TEST(test_write_error)
{
	struct ct_estimate *e = sample();
	struct ct_err err;
	FILE *f = fopen("/dev/full", "w");

	if (!f) {
		est_free(e);
		return; /* no /dev/full here */
	}
	ct_err_init(&err);
	ck_assert_int_eq(ct_estimate_render(e, CT_EST_JSON, f, &err), CT_E_IO);
	ck_assert_int_eq(err.code, CT_E_IO);
	fclose(f);
	ct_err_init(&err);
	ck_assert_int_eq(ct_estimate_render(e, (enum ct_estimate_format)42, stdout, &err),
			 CT_E_INTERNAL);
	est_free(e);
}
END_TEST

/* --- table --------------------------------------------------------------- */

START_TEST(test_table)
{
	struct ct_estimate *e = sample();
	char *out = render(e, CT_EST_TABLE);

	ck_contains(out, "Cost estimate of plan.json\n");
	ck_contains(out, "Monthly costs in USD, 730 hours a month.");

	/* a create: header, components, notes, the before / after line */
	ck_contains(out, "\n  + aws_instance.web (create, us-east-1)\n");
	ck_line(out, "Instance usage (Linux/UNIX, on-demand, m5.large)", "Instance usage", NULL);
	/* the long name has its own line; the figures follow */
	ck_line(out, "$0.096", "730  hours", "$0.096", "$70.08", NULL);
	ck_line(out, "Storage (general purpose SSD, gp3)", " 8  GB-month", "$0.08", "$0.64", NULL);
	ck_contains(out, "      note: root volume: 8 GB gp3 by default\n");
	ck_contains(out, "      Monthly cost: before –, after $70.72, change "
			 "+$70.72\n");

	/* an update: changed component as - / + rows, same one once */
	ck_contains(out, "\n  ~ aws_db_instance.main (update, us-east-1)\n");
	ck_contains(out, "    - Database instance (on-demand, Single-AZ, "
			 "db.t3.medium)\n");
	ck_contains(out, "    + Database instance (on-demand, Single-AZ, "
			 "db.t3.large)\n");
	ck_line(out, "$0.068", "730  hours", "$49.64", NULL);
	ck_line(out, "$0.136", "730  hours", "$99.28", NULL);
	ck_line(out, "      Storage (general purpose SSD, gp2)", "20  GB-month", "$0.115", "$2.30",
		NULL);
	ck_contains(out, "Monthly cost: before $51.94, after $101.58, change "
			 "+$49.64 (+95.6%)\n");

	/* a delete */
	ck_contains(out, "\n  - aws_instance.old (delete, eu-west-1)\n");
	ck_line(out, "$0.0114", "730  hours", "$8.32", NULL);
	ck_contains(out, "Monthly cost: before $8.32, after –, change "
			 "-$8.32\n");

	/* usage-priced without usage: the unit price, no $0 */
	ck_line(out, "      Requests", "depends on usage: $0.20 per 1M requests", NULL);
	ck_line(out, "      Duration (on-demand)", "depends on usage: $0.0000166667 per GB-seconds",
		NULL);
	ck_contains(out, "Monthly cost: before –, after $0.00 + usage, change "
			 "$0.00\n");

	/* an unknown price: said so, with the reason, the known part >= */
	ck_line(out, "price unknown", "730  hours", "price unknown", NULL);
	ck_contains(out, "        ↳ no price for p5.48xlarge in eu-north-1\n");
	ck_contains(out, "Monthly cost: before –, after ≥ $8.36, change "
			 "+$8.36\n");

	/* priced from the usage file: starred */
	ck_contains(out, "\n    aws_s3_bucket.logs (no-op, us-east-1)\n");
	ck_line(out, "Standard storage", "100  GB-month", "$0.023", "$2.30 *", NULL);
	ck_contains(out, "Monthly cost: before $2.30, after $2.30, change "
			 "$0.00 (0.0%)\n");

	/* plan order */
	ck_order(out, "aws_instance.web (", "aws_db_instance.main (");
	ck_order(out, "aws_db_instance.main (", "aws_instance.old (");
	ck_order(out, "aws_instance.gpu (", "aws_s3_bucket.logs (");

	/* totals and counts */
	ck_line(out, "  Monthly cost before the change", "$62.56", NULL);
	ck_line(out, "  Monthly cost after the change", "$182.96", NULL);
	ck_line(out, "  Change   ", "+$120.40", "(+192.4%)", NULL);
	ck_line(out, "  Priced resources", " 6", "5 changed, 1 unchanged", NULL);
	ck_line(out, "  Free resources  ", " 2", NULL);
	ck_line(out, "  Unsupported resources  ", " 1", "not priced", NULL);
	ck_line(out, "  Components with an unknown price", " 1", "not in the totals", NULL);
	ck_line(out, "  Usage-priced components without usage", " 2", "not in the totals", NULL);

	/* the lists */
	ck_contains(out, "\nFree resources\n--------------\n"
			 "  aws_iam_role.app\n  aws_security_group.web\n");
	ck_contains(out, "\nUnsupported resources (not priced)\n"
			 "----------------------------------\n"
			 "  aws_appsync_graphql_api.api\n");
	ck_contains(out, "\n  aws_instance.gpu: Instance usage (Linux/UNIX, "
			 "on-demand, p5.48xlarge): no price for p5.48xlarge "
			 "in eu-north-1\n");
	ck_contains(out, "\nAssumptions\n-----------\n"
			 "  - no usage file given\n"
			 "  - EBS root volumes: 8 GB gp3 when not set\n"
			 "  - * priced from the usage file.\n");
	ck_lacks(out, "$0.00 *"); /* nothing unknown shows as $0 */
	free(out);
	est_free(e);
}
END_TEST

/* Unit prices and quantities for people. */
START_TEST(test_table_numbers)
{
	struct ct_estimate *e = new_est();
	struct ct_est_resource *r;
	char *out;

	r = add_res(e, "aws_x.a", "aws_x", "create", "us-east-1");
	/* 11 significant digits: rounded to 10 */
	add_comp(&r->now, "a", "u", 1, "3.45678901235", "3.456789012", 0, NULL);
	/* 3 significant digits 12 places down: all kept */
	add_comp(&r->now, "b", "u", 1234567.5, "0.000000000125", "0.000154321", 0, NULL);
	add_comp(&r->now, "c", "u", 4109.58904, "2", "8219.17808", 0, NULL);
	add_comp(&r->now, "d", "u", 0.00001, "0.5", "0.000005", 0, NULL);
	r->now.monthly = M("8222.635028333");
	e->total = r->now.monthly;
	out = render(e, CT_EST_TABLE);
	ck_line(out, "    a ", " 1  u", "$3.456789012 ", "$3.46", NULL);
	ck_line(out, "    b ", " 1,234,567.5  u", "$0.000000000125", "$0.00", NULL);
	ck_line(out, "    c ", " 4,109.589  u", "$2.00", "$8,219.18", NULL);
	ck_line(out, "    d ", " 1e-05  u", "$0.50", "$0.00", NULL);
	ck_line(out, "  Monthly cost after the change", "$8,222.64", NULL);
	free(out);
	out = render(e, CT_EST_JSON);
	/* JSON keeps the exact price */
	ck_contains(out, "\"unit_price\": 3.45678901235,");
	ck_contains(out, "\"unit_price\": 0.000000000125,");
	ck_contains(out, "\"unit_price\": 2.00,");
	ck_contains(out, "\"quantity\": 1234567.5,");
	ck_contains(out, "\"quantity\": 4109.58904,");
	ck_contains(out, "\"quantity\": 0.00001,");
	free(out);
	est_free(e);
}
END_TEST

START_TEST(test_table_empty)
{
	struct ct_estimate *e = new_est();
	char *out = render(e, CT_EST_TABLE);

	ck_contains(out, "No priced resources in this plan.");
	ck_line(out, "  Change", "$0.00", NULL);
	ck_contains(out, "\nAssumptions\n-----------\n  none\n");
	free(out);
	out = render(e, CT_EST_JSON);
	ck_contains(out, "\"resources\": [],");
	ck_contains(out, "\"free\": [],");
	ck_contains(out, "\"total_monthly_cost\": 0.00,");
	free(out);
	out = render(e, CT_EST_MARKDOWN);
	ck_contains(out, "this change keeps the monthly cost at "
			 "**$0.00/month**\n");
	ck_lacks(out, "| Resource |");
	free(out);
	est_free(e);
}
END_TEST

/* --- JSON ---------------------------------------------------------------- */

/* The keys of obj are exactly the NULL-terminated list given. */
static void ck_keys(json_t *obj, ...)
{
	const char *k;
	size_t n = 0;
	va_list ap;

	ck_assert(json_is_object(obj));
	va_start(ap, obj);
	while ((k = va_arg(ap, const char *)) != NULL) {
		ck_assert_msg(json_object_get(obj, k) != NULL, "no key %s", k);
		n++;
	}
	va_end(ap);
	ck_assert_uint_eq(json_object_size(obj), n);
}

static void ck_money_eq(json_t *v, const char *want)
{
	double w = strtod(want, NULL);

	ck_assert_msg(json_is_number(v), "not a number (want %s)", want);
	ck_assert_msg(fabs(json_number_value(v) - w) < 1e-9, "%.17g != %s", json_number_value(v),
		      want);
}

static void ck_component_keys(json_t *c)
{
	ck_keys(c, "monthly_cost", "name", "price_found", "purchase_option", "quantity", "unit",
		"unit_price", "usage_based", NULL);
}

START_TEST(test_json)
{
	struct ct_estimate *e = sample();
	char *out = render(e, CT_EST_JSON);
	json_error_t je;
	json_t *doc, *res, *r, *c;
	size_t i;

	doc = json_loads(out, JSON_REJECT_DUPLICATES, &je);
	ck_assert_msg(doc != NULL, "invalid JSON: %s (line %d)", je.text, je.line);
	ck_keys(doc, "assumptions", "currency", "diff_total_monthly_cost", "free",
		"hours_per_month", "past_total_monthly_cost", "resources", "total_monthly_cost",
		"unpriced", "unsupported", NULL);
	/* exact decimals in the text */
	ck_contains(out, "\"total_monthly_cost\": 182.96,");
	ck_contains(out, "\"past_total_monthly_cost\": 62.562,");
	ck_contains(out, "\"diff_total_monthly_cost\": 120.398,");
	ck_contains(out, "\"hours_per_month\": 730,");
	ck_contains(out, "\"unit_price\": 0.0000166667,");
	ck_contains(out, "\"unit_price\": 0.096,");
	ck_assert_str_eq(json_string_value(json_object_get(doc, "currency")), "USD");

	res = json_object_get(doc, "resources");
	ck_assert_uint_eq(json_array_size(res), 6);
	for (i = 0; i < 6; i++) {
		size_t j;

		r = json_array_get(res, i);
		ck_keys(r, "action", "address", "components", "diff_monthly_cost", "monthly_cost",
			"notes", "past_components", "past_monthly_cost", "region", "type", NULL);
		for (j = 0; j < json_array_size(json_object_get(r, "components")); j++)
			ck_component_keys(json_array_get(json_object_get(r, "components"), j));
		for (j = 0; j < json_array_size(json_object_get(r, "past_components")); j++)
			ck_component_keys(json_array_get(json_object_get(r, "past_components"), j));
	}

	/* create: no past cost */
	r = json_array_get(res, 0);
	ck_assert_str_eq(json_string_value(json_object_get(r, "address")), "aws_instance.web");
	ck_assert_str_eq(json_string_value(json_object_get(r, "action")), "create");
	ck_assert_str_eq(json_string_value(json_object_get(r, "region")), "us-east-1");
	ck_assert_str_eq(json_string_value(json_object_get(r, "type")), "aws_instance");
	ck_assert(json_is_null(json_object_get(r, "past_monthly_cost")));
	ck_money_eq(json_object_get(r, "monthly_cost"), "70.72");
	ck_money_eq(json_object_get(r, "diff_monthly_cost"), "70.72");
	ck_assert_uint_eq(json_array_size(json_object_get(r, "past_components")), 0);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(r, "notes"), 0)),
			 "root volume: 8 GB gp3 by default");
	c = json_array_get(json_object_get(r, "components"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(c, "name")),
			 "Instance usage (Linux/UNIX, on-demand, m5.large)");
	ck_assert_str_eq(json_string_value(json_object_get(c, "unit")), "hours");
	ck_assert(json_number_value(json_object_get(c, "quantity")) == 730);
	ck_money_eq(json_object_get(c, "unit_price"), "0.096");
	ck_money_eq(json_object_get(c, "monthly_cost"), "70.08");
	ck_assert(json_is_false(json_object_get(c, "usage_based")));
	ck_assert(json_is_true(json_object_get(c, "price_found")));
	ck_assert_str_eq(json_string_value(json_object_get(c, "purchase_option")), "on_demand");

	/* update: both sides */
	r = json_array_get(res, 1);
	ck_money_eq(json_object_get(r, "past_monthly_cost"), "51.94");
	ck_money_eq(json_object_get(r, "monthly_cost"), "101.58");
	ck_money_eq(json_object_get(r, "diff_monthly_cost"), "49.64");
	c = json_array_get(json_object_get(r, "past_components"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(c, "name")),
			 "Database instance (on-demand, Single-AZ, "
			 "db.t3.medium)");
	ck_money_eq(json_object_get(c, "monthly_cost"), "49.64");

	/* delete: no cost after */
	r = json_array_get(res, 2);
	ck_assert(json_is_null(json_object_get(r, "monthly_cost")));
	ck_money_eq(json_object_get(r, "past_monthly_cost"), "8.322");
	ck_money_eq(json_object_get(r, "diff_monthly_cost"), "-8.322");
	ck_assert_uint_eq(json_array_size(json_object_get(r, "components")), 0);

	/* usage-priced without usage: price kept, no quantity, no cost */
	r = json_array_get(res, 3);
	c = json_array_get(json_object_get(r, "components"), 1);
	ck_assert(json_is_true(json_object_get(c, "usage_based")));
	ck_assert(json_is_null(json_object_get(c, "quantity")));
	ck_assert(json_is_null(json_object_get(c, "monthly_cost")));
	ck_money_eq(json_object_get(c, "unit_price"), "0.0000166667");
	ck_money_eq(json_object_get(r, "monthly_cost"), "0");

	/* unknown price: null, never 0 */
	r = json_array_get(res, 4);
	c = json_array_get(json_object_get(r, "components"), 0);
	ck_assert(json_is_false(json_object_get(c, "price_found")));
	ck_assert(json_is_null(json_object_get(c, "unit_price")));
	ck_assert(json_is_null(json_object_get(c, "monthly_cost")));
	ck_assert(json_number_value(json_object_get(c, "quantity")) == 730);
	/* a side with an unknown price has no monthly cost to give */
	ck_assert(json_is_null(json_object_get(r, "monthly_cost")));
	ck_assert(json_is_null(json_object_get(r, "diff_monthly_cost")));

	/* the lists */
	r = json_object_get(doc, "free");
	ck_assert_uint_eq(json_array_size(r), 2);
	ck_keys(json_array_get(r, 1), "address", "type", NULL);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(r, 1), "address")),
			 "aws_security_group.web");
	r = json_object_get(doc, "unsupported");
	ck_assert_uint_eq(json_array_size(r), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(r, 0), "type")),
			 "aws_appsync_graphql_api");
	r = json_object_get(doc, "unpriced");
	ck_assert_uint_eq(json_array_size(r), 1);
	ck_keys(json_array_get(r, 0), "address", "component", "reason", NULL);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(r, 0), "reason")),
			 "no price for p5.48xlarge in eu-north-1");
	r = json_object_get(doc, "assumptions");
	ck_assert_uint_eq(json_array_size(r), 2);
	ck_assert_str_eq(json_string_value(json_array_get(r, 1)),
			 "EBS root volumes: 8 GB gp3 when not set");

	/* the layout of json_dumps(JSON_SORT_KEYS | JSON_INDENT(2)) */
	ck_assert(strncmp(out, "{\n  \"assumptions\": [\n    \"no usage",
			  strlen("{\n  \"assumptions\": [\n    \"no usage")) == 0);
	ck_assert(out[strlen(out) - 1] == '\n' && out[strlen(out) - 2] == '}');
	json_decref(doc);
	free(out);
	est_free(e);
}
END_TEST

/* --- markdown ------------------------------------------------------------ */

/* GitHub renders $...$ as math: outside table rows, every '$' after the
 * first on a line must follow a space (or be escaped). */
static void ck_no_math(const char *md)
{
	const char *line = md;

	while (*line) {
		const char *end = strchr(line, '\n'), *p;
		size_t n = end ? (size_t)(end - line) : strlen(line);
		bool seen = false;

		if (line[0] != '|') {
			for (p = line; p < line + n; p++) {
				if (*p != '$')
					continue;
				ck_assert_msg(!seen || p[-1] == ' ' || p[-1] == '\\',
					      "a second '$' could close math: "
					      "%.*s",
					      (int)n, line);
				seen = true;
			}
		}
		line += n + (end ? 1 : 0);
	}
}

START_TEST(test_markdown)
{
	struct ct_estimate *e = sample();
	char *out = render(e, CT_EST_MARKDOWN);
	char want[256];

	snprintf(want, sizeof(want),
		 "%s\n### 💰 cloudtally: this change adds **+$120.40/month** "
		 "(+192.4%%) → **total $182.96/month**\n",
		 CT_ESTIMATE_MARKER);
	ck_assert_msg(strncmp(out, want, strlen(want)) == 0, "starts:\n%.400s", out);
	ck_contains(out, "\nBefore: $62.56 a month · 5 resources change cost, "
			 "1 unchanged · 2 free · 1 not supported.\n");
	ck_contains(out, "\n⚠️ Not in these figures: 1 component with an "
			 "unknown price and 2 usage-priced components without "
			 "usage (see Assumptions).\n");

	/* changed resources, largest change first; the no-op is counted */
	ck_contains(out, "| Resource | Before | After | Change |\n"
			 "|:---|---:|---:|---:|\n"
			 "| aws\\_instance.web (create) | – | $70.72 | "
			 "+$70.72 |\n"
			 "| aws\\_db\\_instance.main (update) | $51.94 | "
			 "$101.58 | +$49.64 (+95.6%) |\n"
			 "| aws\\_instance.gpu (create) | – | ≥ $8.36 | "
			 "+$8.36 |\n"
			 "| aws\\_instance.old (delete) | $8.32 | – | "
			 "-$8.32 |\n"
			 "| aws\\_lambda\\_function.api (create) | – | "
			 "$0.00 + usage | $0.00 |\n\n");
	ck_lacks(out, "aws\\_s3\\_bucket.logs");
	ck_lacks(out, "smaller change");

	/* details, folded, in the same order */
	ck_contains(out, "\n<details><summary>aws_instance.web (create, "
			 "us-east-1): +$70.72</summary>\n\n"
			 "| Component | Quantity | Unit price | Monthly |\n"
			 "|:---|---:|---:|---:|\n"
			 "| Instance usage (Linux/UNIX, on-demand, m5.large) | "
			 "730 hours | $0.096 | $70.08 |\n"
			 "| Storage (general purpose SSD, gp3) | 8 GB-month | "
			 "$0.08 | $0.64 |\n\n"
			 "- root volume: 8 GB gp3 by default\n\n"
			 "</details>\n");
	ck_contains(out, "<details><summary>aws_db_instance.main (update, "
			 "us-east-1): +$49.64 (+95.6%)</summary>\n\n"
			 "| | Component | Quantity | Unit price | Monthly |\n"
			 "|:-:|:---|---:|---:|---:|\n"
			 "| − | Database instance (on-demand, Single-AZ, "
			 "db.t3.medium) | 730 hours | $0.068 | $49.64 |\n"
			 "| + | Database instance (on-demand, Single-AZ, "
			 "db.t3.large) | 730 hours | $0.136 | $99.28 |\n"
			 "|   | Storage (general purpose SSD, gp2) | 20 GB-month "
			 "| $0.115 | $2.30 |\n\n</details>\n");
	ck_contains(out, "| Requests | depends on usage | $0.20 per 1M "
			 "requests | – |\n");
	ck_contains(out, "| Duration (on-demand) | depends on usage | "
			 "$0.0000166667 per GB-seconds | – |\n");
	ck_contains(out, "| Instance usage (Linux/UNIX, on-demand, "
			 "p5.48xlarge) | 730 hours | price unknown | – |\n");
	ck_contains(out, "<summary>aws_instance.old (delete, eu-west-1): "
			 "-$8.32</summary>");
	ck_order(out, "<summary>aws_instance.web", "<summary>aws_db_instance");
	ck_order(out, "<summary>aws_instance.gpu", "<summary>aws_instance.old");
	ck_order(out, "<summary>aws_instance.old", "<summary>aws_lambda");
	ck_lacks(out, "<summary>aws_s3_bucket");

	/* assumptions */
	ck_contains(out, "\n#### Assumptions\n\n"
			 "- Prices in USD for 730 hours a month.\n"
			 "- no usage file given\n"
			 "- EBS root volumes: 8 GB gp3 when not set\n"
			 "- 2 usage-priced components without usage are not "
			 "in the totals; the details show their unit price. "
			 "Give usage with `--usage-file`.\n"
			 "- Unknown prices, not in the totals (1):\n"
			 "  - aws\\_instance.gpu — Instance usage (Linux/UNIX, "
			 "on-demand, p5.48xlarge): no price for p5.48xlarge in "
			 "eu-north-1\n"
			 "- 2 free resources (no cost of their own).\n"
			 "- 1 resource not supported, not priced: "
			 "aws\\_appsync\\_graphql\\_api.\n");
	snprintf(want, sizeof(want),
		 "\n<sub>Estimated offline by cloudtally %s from the plan; "
		 "prices as of the catalog dates.</sub>\n",
		 PACKAGE_VERSION);
	ck_assert_str_eq(out + strlen(out) - strlen(want), want);
	ck_no_math(out);
	free(out);
	est_free(e);
}
END_TEST

/* The headline when the cost falls, stays, or starts from nothing. */
START_TEST(test_markdown_headlines)
{
	struct ct_estimate *e = sample();
	char *out;

	e->past_total = M("1000");
	e->total = M("876.4");
	out = render(e, CT_EST_MARKDOWN);
	/* -123.60 of 1000 = -12.36% */
	ck_contains(out, "\n### 💰 cloudtally: this change removes "
			 "**$123.60/month** (-12.4%) → **total "
			 "$876.40/month**\n");
	ck_no_math(out);
	free(out);

	e->past_total = M("876.404");
	out = render(e, CT_EST_MARKDOWN); /* -0.004 rounds to no change */
	/* with prices unknown or usage missing, not "keeps" */
	ck_contains(out, "\n### 💰 cloudtally: no known change to the monthly "
			 "cost, **$876.40/month**\n");
	free(out);

	e->past_total = 0;
	e->total = M("1234.567");
	out = render(e, CT_EST_MARKDOWN);
	ck_contains(out, "\n### 💰 cloudtally: this change adds "
			 "**+$1,234.57/month** → **total $1,234.57/month**\n");
	free(out);
	est_free(e);
}
END_TEST

/* A resource none of whose prices is known: "unknown", never $0. */
START_TEST(test_all_unknown)
{
	struct ct_estimate *e = new_est();
	struct ct_est_resource *r;
	char *out;

	r = add_res(e, "aws_instance.mystery", "aws_instance", "create", "us-east-1");
	add_comp(&r->now, "Instance usage", "hours", 730, NULL, NULL, 0,
		 "instance type unknown until apply");
	r = add_res(e, "aws_instance.gone", "aws_instance", "delete", "us-east-1");
	add_comp(&r->past, "Instance usage", "hours", 730, NULL, NULL, 0,
		 "instance type unknown until apply");
	add_unpriced(e, "aws_instance.mystery", "Instance usage",
		     "instance type unknown until apply");
	add_unpriced(e, "aws_instance.gone", "Instance usage", "instance type unknown until apply");

	out = render(e, CT_EST_MARKDOWN);
	ck_contains(out, "\n### 💰 cloudtally: no known change to the monthly cost, "
			 "**$0.00/month**\n");
	ck_contains(out, "| aws\\_instance.mystery (create) | – | unknown | unknown |\n");
	ck_contains(out, "| aws\\_instance.gone (delete) | unknown | – | unknown |\n");
	ck_contains(out, "<summary>aws_instance.mystery (create, us-east-1): "
			 "unknown</summary>");
	ck_contains(out, "⚠️ Not in these figures: 2 components with an unknown price "
			 "(see Assumptions).");
	ck_lacks(out, "$0.00 |");
	free(out);

	out = render(e, CT_EST_TABLE);
	ck_contains(out, "Monthly cost: before –, after unknown, change unknown\n");
	ck_contains(out, "Monthly cost: before unknown, after –, change unknown\n");
	free(out);
	est_free(e);
}
END_TEST

/* Addresses and other model strings cannot break out of their cell, the
 * HTML summary or the JSON string. */
START_TEST(test_escaping)
{
	struct ct_estimate *e = new_est();
	struct ct_est_resource *r;
	const char *addr = "module.a.aws_instance.x[\"a|b_*`<script>alert(1)"
			   "</script>\"]";
	json_error_t je;
	json_t *doc;
	char *out;

	r = add_res(e, addr, "aws_instance", "create", "us-east-1");
	add_comp(&r->now, "Instance | usage\n<b>x</b>", "hours", 730, "0.01", "7.30", 0, NULL);
	r->now.monthly = M("7.30");
	r = add_res(e, "aws_instance.bad\xff\xfe", "aws_instance", "create", "us-east-1");
	add_comp(&r->now, "Instance usage", "hours", 730, "0.01", "7.30", 0, NULL);
	r->now.monthly = M("7.30");
	add_unpriced(e, addr, "x $5 and $6", "<img src=x onerror=alert(1)>");
	e->total = M("14.60");

	out = render(e, CT_EST_MARKDOWN);
	ck_contains(out, "| module.a.aws\\_instance.x\\[\"a\\|b\\_\\*\\`\\<script"
			 "\\>alert(1)\\</script\\>\"\\] (create) |");
	ck_contains(out, "<summary>module.a.aws_instance.x[&quot;a|b_*`&lt;"
			 "script&gt;alert(1)&lt;/script&gt;&quot;] (create, "
			 "us-east-1)");
	ck_contains(out, "| Instance \\| usage \\<b\\>x\\</b\\> | 730 hours |");
	ck_contains(out, "x \\$5 and \\$6: \\<img src=x onerror=alert(1)\\>");
	ck_contains(out, "aws\\_instance.bad\xEF\xBF\xBD\xEF\xBF\xBD (create)");
	ck_lacks(out, "<script>");
	ck_lacks(out, ": <img");
	ck_contains(out, ": \\<img");
	ck_lacks(out, "<b>");
	ck_no_math(out);
	free(out);

	out = render(e, CT_EST_JSON);
	doc = json_loads(out, JSON_REJECT_DUPLICATES, &je);
	ck_assert_msg(doc != NULL, "invalid JSON: %s", je.text);
	ck_assert_str_eq(json_string_value(json_object_get(
				 json_array_get(json_object_get(doc, "resources"), 0), "address")),
			 addr);
	ck_assert_str_eq(json_string_value(json_object_get(
				 json_array_get(json_object_get(doc, "resources"), 1), "address")),
			 "aws_instance.bad\xEF\xBF\xBD\xEF\xBF\xBD");
	ck_contains(out, "\"name\": \"Instance | usage\\n<b>x</b>\",");
	json_decref(doc);
	free(out);

	out = render(e, CT_EST_TABLE);
	ck_contains(out, "  + module.a.aws_instance.x[\"a|b_*`<script>");
	ck_contains(out, "Instance | usage <b>x</b>");
	ck_contains(out, "aws_instance.bad\xEF\xBF\xBD\xEF\xBF\xBD (create");
	free(out);
	est_free(e);
}
END_TEST

/* --- the size cap -------------------------------------------------------- */

#define BIG_N 5000

/* Resource i costs (i + 1) dollars and i cents, created; every other one
 * also has a component without a price. The total is sum(i + 1) +
 * sum(i) / 100 = 12,502,500 + 124,975 = $12,627,475.00. */
static struct ct_estimate *big(void)
{
	struct ct_estimate *e = new_est();
	size_t i;

	for (i = 0; i < BIG_N; i++) {
		struct ct_est_resource *r;
		char addr[64], cost[32];

		snprintf(addr, sizeof(addr), "module.fleet.aws_instance.n[%zu]", i);
		r = add_res(e, addr, "aws_instance", "create", "us-east-1");
		/* i cents over 100: the dollars and cents of i / 100 */
		snprintf(cost, sizeof(cost), "%zu.%02zu", i + 1 + i / 100, i % 100);
		add_comp(&r->now,
			 "Instance usage (Linux/UNIX, on-demand, "
			 "m5.large)",
			 "hours", 730, "0.01", cost, 0, NULL);
		r->now.monthly = M(cost);
		if (i % 2) {
			add_comp(&r->now, "GPU", "hours", 730, NULL, NULL, 0, "no price");
			add_unpriced(e, addr, "GPU",
				     "no price for the GPU in "
				     "us-east-1");
		}
	}
	e->total = M("12627475");
	return e;
}

/* The amount of resource i of big() in nano-dollars. */
static ct_money big_cost(size_t i)
{
	return (ct_money)(i + 1) * CT_MONEY_UNIT + (ct_money)i * (CT_MONEY_UNIT / 100);
}

static void ck_big(const char *out)
{
	char want[256], num[64], count[32];
	const char *p;
	size_t rows = 0, details = 0, i;
	ct_money sum = 0;

	ck_assert_msg(strlen(out) < CT_ESTIMATE_MAX_MARKDOWN, "%zu bytes", strlen(out));
	snprintf(want, sizeof(want),
		 "%s\n### 💰 cloudtally: this change adds "
		 "**+$12,627,475.00/month** → **total $12,627,475.00/month**\n",
		 CT_ESTIMATE_MARKER);
	ck_assert_msg(strncmp(out, want, strlen(want)) == 0, "starts:\n%.400s", out);
	ck_contains(out, "· 5,000 resources change cost, 0 unchanged.");
	/* rows: largest first, n[4999] down */
	for (p = out; (p = strstr(p, "\n| module.fleet")) != NULL; p++) {
		snprintf(want, sizeof(want),
			 "\n| module.fleet.aws\\_instance.n\\[%zu\\] (create) |",
			 (size_t)BIG_N - 1 - rows);
		ck_assert_msg(strncmp(p, want, strlen(want)) == 0, "row %zu: %.80s", rows, p + 1);
		rows++;
	}
	for (p = out; (p = strstr(p, "<details>")) != NULL; p++)
		details++;
	ck_assert_uint_ge(rows, 50); /* the largest changes survive */
	ck_assert_uint_lt(rows, BIG_N);
	ck_assert_uint_eq(details, rows);
	/* the rest: resources 0 .. BIG_N - rows - 1 */
	for (i = 0; i < BIG_N - rows; i++)
		sum += big_cost(i);
	ct_money_format(sum, 2, true, num, sizeof(num));
	ct_money_format((ct_money)(BIG_N - rows) * CT_MONEY_UNIT, 0, true, count, sizeof(count));
	snprintf(want, sizeof(want), "\n… and %s smaller changes totalling +$%s.\n", count, num);
	ck_contains(out, want);
	ck_contains(out, "Estimated offline by cloudtally");
	ck_no_math(out);
}

START_TEST(test_markdown_cap)
{
	struct ct_estimate *e = big();
	char *out = render(e, CT_EST_MARKDOWN);

	ck_big(out);
	/* 2,500 unknown prices: counted, a few listed */
	ck_contains(out, "- Unknown prices, not in the totals (2,500):\n");
	ck_contains(out, "  - … and 2,480 more.\n");
	free(out);
	est_free(e);
}
END_TEST

/* Even a flood of long assumptions cannot push the headline out. */
START_TEST(test_markdown_cap_assumptions)
{
	struct ct_estimate *e = big();
	char line[400];
	char *out;
	int i;

	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	for (i = 0; i < 1000; i++)
		add_strv(&e->assumptions, &e->nassumptions, line);
	out = render(e, CT_EST_MARKDOWN);
	ck_big(out);
	ck_contains(out, "- 1,000 more assumptions: see `cloudtally estimate "
			 "--format table`.\n");
	free(out);
	est_free(e);
}
END_TEST

static Suite *render_estimate_suite(void)
{
	Suite *s = suite_create("render_estimate");
	TCase *tc;

	tc = tcase_create("basics");
	tcase_add_test(tc, test_format_parse);
	tcase_add_test(tc, test_write_error);
	suite_add_tcase(s, tc);

	tc = tcase_create("table");
	tcase_add_test(tc, test_table);
	tcase_add_test(tc, test_table_numbers);
	tcase_add_test(tc, test_table_empty);
	suite_add_tcase(s, tc);

	tc = tcase_create("json");
	tcase_add_test(tc, test_json);
	suite_add_tcase(s, tc);

	tc = tcase_create("markdown");
	tcase_add_test(tc, test_markdown);
	tcase_add_test(tc, test_markdown_headlines);
	tcase_add_test(tc, test_all_unknown);
	tcase_add_test(tc, test_escaping);
	tcase_add_test(tc, test_markdown_cap);
	tcase_add_test(tc, test_markdown_cap_assumptions);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

CT_TEST_MAIN(render_estimate_suite)
