/*
 * check_oracle.c - the formulas against Infracost's recorded goldens.
 *
 * tests/fixtures/infracost_oracle.csv holds one row per priced component
 * of research/infracost.md section 4 that our formulas can express:
 *
 *   id,formula,params,line,expected_monthly,source
 *
 * formula   ec2 | ebs | s3 | rds | elasticache | nat | lb | ipv4 | eks |
 *           egress | lambda | dynamodb
 * params    key=value pairs separated by ';' (the keys each formula takes
 *           are listed at its runner below; an unknown key fails the row)
 * line      which part of our ct_cost to compare: a 0-based line index, a
 *           line name ("storage", "IOPS above 3,000"), or "total"
 * expected  the golden's printed monthly dollars ("16.43")
 *
 * Each row is one loop iteration: it runs the formula on the embedded
 * catalog and compares to the cent (our nano-dollars rounded half away
 * from zero). The fixture is found at $CT_SRCDIR/tests/fixtures/, else
 * tests/fixtures/ or ../tests/fixtures/ from the current folder.
 */
#include "ct.h"
#include "catalog.h"
#include "compute.h"
#include "csv.h"
#include "database.h"
#include "k8s.h"
#include "money.h"
#include "network.h"
#include "serverless.h"
#include "storage.h"
#include "stream.h"
#include "testlib.h"

#include <unistd.h>

#define FIXTURE "tests/fixtures/infracost_oracle.csv"

struct orow {
	char *id, *formula, *params, *line, *expected, *source;
	long long cents; /* expected, parsed */
	long lineno;     /* in the fixture */
};

static struct orow *rows;
static size_t nrows;
static char *fixture_path;
static char load_error[1024]; /* why the fixture could not be read */
static struct ct_catalog *cat;

/* ---- fixture ----------------------------------------------------------- */

/* "1705.28", "0.2", "-3" -> cents; false unless a plain decimal with at
 * most two places (the printed figure, never rounded here). */
static bool parse_cents(const char *s, long long *out)
{
	long long whole = 0, frac = 0;
	int places = 0;
	bool neg = false, digits = false;

	if (*s == '-') {
		neg = true;
		s++;
	}
	for (; *s >= '0' && *s <= '9'; s++) {
		whole = whole * 10 + (*s - '0');
		digits = true;
	}
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++) {
			if (++places > 2)
				return false;
			frac = frac * 10 + (*s - '0');
		}
	if (*s || !digits)
		return false;
	if (places == 1)
		frac *= 10;
	*out = (whole * 100 + frac) * (neg ? -1 : 1);
	return true;
}

static char *find_fixture(void)
{
	const char *src = getenv("CT_SRCDIR");
	char *p;

	if (src && *src) {
		p = ct_xasprintf("%s/%s", src, FIXTURE);
		if (access(p, R_OK) == 0)
			return p;
		free(p);
	}
	if (access(FIXTURE, R_OK) == 0)
		return ct_xstrdup(FIXTURE);
	return ct_xstrdup("../" FIXTURE);
}

static void load_fixture(void)
{
	static const char *const header[] = {"id", "formula", "params", "line",
					     "expected_monthly", "source"};
	struct ct_err err;
	struct ct_stream *in;
	struct ct_csv *csv;
	struct ct_csv_rec rec;
	size_t cap = 0;
	bool first = true;
	int rc;

	ct_err_init(&err);
	fixture_path = find_fixture();
	in = ct_stream_open(fixture_path, &err);
	if (!in) {
		snprintf(load_error, sizeof(load_error), "%.200s: %.700s", fixture_path,
			 err.msg);
		return;
	}
	csv = ct_csv_open(in, 0);
	while ((rc = ct_csv_next(csv, &rec, &err)) == 1) {
		struct orow *r;
		if (first) {
			first = false;
			bool ok = rec.n == CT_NELEM(header);
			for (size_t i = 0; ok && i < rec.n; i++)
				ok = !strcmp(rec.field[i], header[i]);
			if (!ok) {
				snprintf(load_error, sizeof(load_error),
					 "%s:%ld: header is not id,formula,params,line,"
					 "expected_monthly,source", fixture_path, rec.line);
				break;
			}
			continue;
		}
		if (rec.n != CT_NELEM(header)) {
			snprintf(load_error, sizeof(load_error), "%s:%ld: %zu fields, want %zu",
				 fixture_path, rec.line, rec.n, CT_NELEM(header));
			break;
		}
		if (nrows == cap) {
			cap = cap ? cap * 2 : 256;
			rows = ct_xrealloc(rows, cap * sizeof(*rows));
		}
		r = &rows[nrows++];
		r->id = ct_xstrdup(rec.field[0]);
		r->formula = ct_xstrdup(rec.field[1]);
		r->params = ct_xstrdup(rec.field[2]);
		r->line = ct_xstrdup(rec.field[3]);
		r->expected = ct_xstrdup(rec.field[4]);
		r->source = ct_xstrdup(rec.field[5]);
		r->lineno = rec.line;
		r->cents = 0;
	}
	if (rc < 0)
		snprintf(load_error, sizeof(load_error), "%.200s:%ld: %.700s",
			 err.source, err.line, err.msg);
	ct_csv_close(csv);
}

/* ---- parameters -------------------------------------------------------- */

#define MAXP 16

struct params {
	char buf[1024];
	char *key[MAXP], *val[MAXP];
	bool used[MAXP];
	size_t n;
	char error[256]; /* first problem met, "" when none */
};

static bool params_parse(struct params *p, const char *text)
{
	char *s, *next;

	memset(p, 0, sizeof(*p));
	if (strlen(text) >= sizeof(p->buf)) {
		snprintf(p->error, sizeof(p->error), "params too long");
		return false;
	}
	memcpy(p->buf, text, strlen(text) + 1);
	for (s = p->buf; s && *s; s = next) {
		char *eq;
		next = strchr(s, ';');
		if (next)
			*next++ = '\0';
		eq = strchr(s, '=');
		if (!eq || eq == s || p->n == MAXP) {
			snprintf(p->error, sizeof(p->error), "bad parameter '%.200s'", s);
			return false;
		}
		*eq = '\0';
		for (size_t i = 0; i < p->n; i++)
			if (!strcmp(p->key[i], s)) {
				snprintf(p->error, sizeof(p->error), "parameter %.200s given twice", s);
				return false;
			}
		p->key[p->n] = s;
		p->val[p->n++] = eq + 1;
	}
	return true;
}

/* The value of key (marked used), or def when absent. */
static const char *pstr(struct params *p, const char *key, const char *def)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->key[i], key)) {
			p->used[i] = true;
			return p->val[i];
		}
	return def;
}

static double pnum(struct params *p, const char *key, double def)
{
	const char *v = pstr(p, key, NULL);
	double d;

	if (!v)
		return def;
	if (ct_num_parse(v, strlen(v), &d) != CT_OK) {
		if (!p->error[0])
			snprintf(p->error, sizeof(p->error), "%s=%s is not a number", key, v);
		return def;
	}
	return d;
}

static bool pbool(struct params *p, const char *key)
{
	const char *v = pstr(p, key, "0");

	if (!strcmp(v, "1") || !strcmp(v, "true"))
		return true;
	if (strcmp(v, "0") && strcmp(v, "false") && !p->error[0])
		snprintf(p->error, sizeof(p->error), "%s=%s is not 0/1", key, v);
	return false;
}

/* The first key no runner asked for, or NULL. */
static const char *params_unused(const struct params *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (!p->used[i])
			return p->key[i];
	return NULL;
}

/* ---- formula runners ---------------------------------------------------- */

/* region, type, os, tenancy, buy, offering, years, payment, count, hours */
static int run_ec2(struct params *p, struct ct_cost *c, struct ct_err *err)
{
	struct ct_ec2_spec s = {0};

	s.region = pstr(p, "region", "us-east-1");
	s.type = pstr(p, "type", "");
	s.os = pstr(p, "os", NULL);
	s.tenancy = pstr(p, "tenancy", NULL);
	if (ct_compute_purchase_parse(pstr(p, "buy", "ondemand"), &s.buy) != CT_OK)
		return ct_err_set(err, CT_E_USAGE, NULL, 0, "bad buy=");
	s.offering = pstr(p, "offering", NULL);
	s.years = (int)pnum(p, "years", 0);
	s.payment = pstr(p, "payment", NULL);
	s.count = pnum(p, "count", 0);
	s.hours = pnum(p, "hours", 0);
	return ct_compute_ec2(cat, &s, c, err);
}

/* region, type, gb, iops, throughput, io_requests */
static int run_ebs(struct params *p, struct ct_cost *c, struct ct_err *err)
{
	struct ct_ebs_spec s = {0};

	s.region = pstr(p, "region", "us-east-1");
	s.type = pstr(p, "type", "gp2");
	s.gb = pnum(p, "gb", 0);
	s.iops = pnum(p, "iops", 0);
	s.throughput = pnum(p, "throughput", 0);
	s.io_requests = pnum(p, "io_requests", 0);
	return ct_storage_ebs(cat, &s, c, err);
}

/* region, class, gb, put, get, retrieval_gb */
static int run_s3(struct params *p, struct ct_cost *c, struct ct_err *err)
{
	struct ct_s3_spec s = {0};

	s.region = pstr(p, "region", "us-east-1");
	s.storage_class = pstr(p, "class", "standard");
	s.gb = pnum(p, "gb", 0);
	s.put_requests = pnum(p, "put", 0);
	s.get_requests = pnum(p, "get", 0);
	s.retrieval_gb = pnum(p, "retrieval_gb", 0);
	return ct_storage_s3(cat, &s, c, err);
}

/* region, engine, instance, multi_az, storage_type, gb, iops, backup_gb,
 * count */
static int run_rds(struct params *p, struct ct_cost *c, struct ct_err *err)
{
	struct ct_rds_spec s = {0};

	s.region = pstr(p, "region", "us-east-1");
	s.engine = pstr(p, "engine", "");
	s.instance = pstr(p, "instance", "");
	s.multi_az = pbool(p, "multi_az");
	s.storage_type = pstr(p, "storage_type", NULL);
	s.gb = pnum(p, "gb", 0);
	s.iops = pnum(p, "iops", 0);
	s.backup_gb = pnum(p, "backup_gb", 0);
	s.count = pnum(p, "count", 0);
	return ct_database_rds(cat, &s, c, err);
}

/* region, node, engine, count */
static int run_elasticache(struct params *p, struct ct_cost *c, struct ct_err *err)
{
	const char *region = pstr(p, "region", "us-east-1");
	const char *node = pstr(p, "node", "");
	const char *engine = pstr(p, "engine", NULL);

	return ct_database_elasticache(cat, region, node, engine,
				       pnum(p, "count", 0), c, err);
}

/* region, count, gb */
static int run_nat(struct params *p, struct ct_cost *c, struct ct_err *err)
{
	const char *region = pstr(p, "region", "us-east-1");

	return ct_network_nat(cat, region, pnum(p, "count", 0), pnum(p, "gb", 0),
			      c, err);
}

/* region, type, count, lcu (average LCUs an hour) or lcu_hours (a month),
 * gb */
static int run_lb(struct params *p, struct ct_cost *c, struct ct_err *err)
{
	const char *region = pstr(p, "region", "us-east-1");
	const char *type = pstr(p, "type", "alb");
	double lcu = pnum(p, "lcu", 0);
	double lcu_hours = pnum(p, "lcu_hours", 0);

	if (lcu_hours > 0)
		lcu = lcu_hours / CT_HOURS_PER_MONTH;
	return ct_network_lb(cat, region, type, pnum(p, "count", 0), lcu,
			     pnum(p, "gb", 0), c, err);
}

/* region, count */
static int run_ipv4(struct params *p, struct ct_cost *c, struct ct_err *err)
{
	const char *region = pstr(p, "region", "us-east-1");

	return ct_network_ipv4(cat, region, pnum(p, "count", 0), c, err);
}

/* region, gb */
static int run_egress(struct params *p, struct ct_cost *c, struct ct_err *err)
{
	const char *region = pstr(p, "region", "us-east-1");

	return ct_network_egress(cat, region, pnum(p, "gb", 0), c, err);
}

/* region, control_plane (default 1), extended, node_type, node_count, spot,
 * volume_type, volume_gb, load_balancers: one node group, one volume */
static int run_eks(struct params *p, struct ct_cost *c, struct ct_err *err)
{
	struct ct_k8s_spec s = {0};
	struct ct_k8s_nodes nodes = {0};
	struct ct_k8s_volume vol = {0};

	s.region = pstr(p, "region", "us-east-1");
	s.eks = !strcmp(pstr(p, "control_plane", "1"), "1");
	s.extended = pbool(p, "extended");
	nodes.type = pstr(p, "node_type", NULL);
	nodes.count = pnum(p, "node_count", 1);
	nodes.spot = pbool(p, "spot");
	if (nodes.type) {
		s.nodes = &nodes;
		s.nnodes = 1;
	}
	vol.type = pstr(p, "volume_type", "gp2");
	vol.gb = pnum(p, "volume_gb", 0);
	if (vol.gb > 0) {
		s.volumes = &vol;
		s.nvolumes = 1;
	}
	s.load_balancers = pnum(p, "load_balancers", 0);
	return ct_k8s_cluster(cat, &s, c, err);
}

/* region, arch, requests, duration_ms, memory_mb */
static int run_lambda(struct params *p, struct ct_cost *c, struct ct_err *err)
{
	struct ct_lambda_spec s = {0};

	s.region = pstr(p, "region", "us-east-1");
	s.arch = pstr(p, "arch", "x86");
	s.requests = pnum(p, "requests", 0);
	s.duration_ms = pnum(p, "duration_ms", 0);
	s.memory_mb = pnum(p, "memory_mb", 128);
	return ct_serverless_lambda(cat, &s, c, err);
}

/* region, mode (provisioned | on-demand), writes, reads, storage_gb */
static int run_dynamodb(struct params *p, struct ct_cost *c, struct ct_err *err)
{
	struct ct_dynamodb_spec s = {0};
	const char *mode = pstr(p, "mode", "on-demand");

	s.region = pstr(p, "region", "us-east-1");
	if (strcmp(mode, "provisioned") && strcmp(mode, "on-demand"))
		return ct_err_set(err, CT_E_USAGE, NULL, 0, "bad mode=%s", mode);
	s.provisioned = !strcmp(mode, "provisioned");
	s.writes = pnum(p, "writes", 0);
	s.reads = pnum(p, "reads", 0);
	s.storage_gb = pnum(p, "storage_gb", 0);
	return ct_serverless_dynamodb(cat, &s, c, err);
}

static const struct {
	const char *name;
	int (*run)(struct params *, struct ct_cost *, struct ct_err *);
} formulas[] = {
	{"ec2", run_ec2},       {"ebs", run_ebs},
	{"s3", run_s3},         {"rds", run_rds},
	{"elasticache", run_elasticache},
	{"nat", run_nat},       {"lb", run_lb},
	{"ipv4", run_ipv4},     {"eks", run_eks},
	{"egress", run_egress}, {"lambda", run_lambda},
	{"dynamodb", run_dynamodb},
};

/* ---- the checks ---------------------------------------------------------- */

static long long cents_of(ct_money m)
{
	return m >= 0 ? (m + 5000000) / 10000000 : -((-m + 5000000) / 10000000);
}

/* The part of c a row names; false (and *what says why) when none. */
static bool pick_line(const struct ct_cost *c, const char *line, ct_money *out,
		      char *what, size_t len)
{
	char *end;
	long i;

	if (!strcmp(line, "total")) {
		*out = c->monthly;
		return true;
	}
	i = strtol(line, &end, 10);
	if (*line && !*end) {
		if (i < 0 || (size_t)i >= c->nlines) {
			snprintf(what, len, "no line %ld (the cost has %zu)", i, c->nlines);
			return false;
		}
		*out = c->line[i].monthly;
		return true;
	}
	for (size_t k = 0; k < c->nlines; k++)
		if (!strcmp(c->line[k].name, line)) {
			*out = c->line[k].monthly;
			return true;
		}
	{
		size_t n = (size_t)snprintf(what, len, "no line named '%s'; lines:", line);
		for (size_t k = 0; k < c->nlines && n < len; k++)
			n += (size_t)snprintf(what + n, len - n, "%s '%s'", k ? "," : "",
					      c->line[k].name);
	}
	return false;
}

static void setup(void)
{
	struct ct_err err;

	ct_err_init(&err);
	cat = ct_catalog_load(NULL, &err);
	ck_assert_msg(cat != NULL, "%s:%ld: %s", err.source, err.line, err.msg);
}

static void teardown(void)
{
	ct_catalog_free(cat);
	cat = NULL;
}

START_TEST(test_fixture)
{
	ck_assert_msg(!load_error[0], "%s", load_error);
	/* section 4 gives several hundred figures; a short read is a bug */
	ck_assert_msg(nrows >= 200, "%s: only %zu rows", fixture_path, nrows);
	for (size_t i = 0; i < nrows; i++)
		for (size_t j = i + 1; j < nrows; j++)
			ck_assert_msg(strcmp(rows[i].id, rows[j].id),
				      "%s:%ld: id '%s' repeats line %ld", fixture_path,
				      rows[j].lineno, rows[j].id, rows[i].lineno);
}
END_TEST

START_TEST(test_row)
{
	const struct orow *r = &rows[_i];
	struct params p;
	struct ct_cost c;
	struct ct_err err;
	ct_money ours = 0;
	long long want, got;
	char what[512];
	const char *unused;
	int rc = CT_E_USAGE;
	bool known = false;

	ck_assert_msg(parse_cents(r->expected, &want),
		      "%s:%ld: %s: expected_monthly '%s' is not dollars and cents",
		      fixture_path, r->lineno, r->id, r->expected);
	ck_assert_msg(params_parse(&p, r->params), "%s:%ld: %s: %s", fixture_path,
		      r->lineno, r->id, p.error);
	ct_err_init(&err);
	for (size_t i = 0; i < CT_NELEM(formulas); i++)
		if (!strcmp(formulas[i].name, r->formula)) {
			rc = formulas[i].run(&p, &c, &err);
			known = true;
		}
	ck_assert_msg(known, "%s:%ld: %s: unknown formula '%s'", fixture_path,
		      r->lineno, r->id, r->formula);
	ck_assert_msg(!p.error[0], "%s:%ld: %s: %s", fixture_path, r->lineno,
		      r->id, p.error);
	unused = params_unused(&p);
	ck_assert_msg(!unused, "%s:%ld: %s: formula %s takes no parameter '%s'",
		      fixture_path, r->lineno, r->id, r->formula, unused);
	ck_assert_msg(rc == CT_OK, "%s: formula %s(%s) failed (%d): %s; expected $%s",
		      r->id, r->formula, r->params, rc, err.msg, r->expected);
	what[0] = '\0';
	ck_assert_msg(pick_line(&c, r->line, &ours, what, sizeof(what)),
		      "%s: %s; expected $%s", r->id, what, r->expected);
	got = cents_of(ours);
	ck_assert_msg(got == want,
		      "%s: ours $%s%lld.%02lld (%s = %.9f exactly), expected $%s "
		      "(%s; %s)",
		      r->id, got < 0 ? "-" : "", (got < 0 ? -got : got) / 100,
		      (got < 0 ? -got : got) % 100, r->line,
		      ct_money_to_double(ours), r->expected, r->source, r->params);
}
END_TEST

static Suite *oracle_suite(void)
{
	Suite *s = suite_create("oracle");
	TCase *tc = tcase_create("infracost");

	load_fixture();
	/* the catalog is loaded once, before the rows fork */
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_fixture);
	tcase_add_loop_test(tc, test_row, 0, (int)nrows);
	suite_add_tcase(s, tc);
	return s;
}

CT_TEST_MAIN(oracle_suite)
