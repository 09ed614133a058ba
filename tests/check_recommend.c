/*
 * check_recommend.c - the findings model (reports/recommend.c) and its
 * renderers, on a hand-written inventory with the threshold edges: CPU
 * exactly 10 % and network exactly 5 MB (idle), 3 against 4 qualifying
 * days, missing days, a window average of exactly 20 % (not low), metrics
 * for resources the inventory does not know, data outside the window.
 * Expected figures come by hand from the catalog's price facts:
 * m5.large $0.096/h x 730 = $70.08, m5.xlarge $0.192/h = $140.16, gp3
 * 40 GB x $0.08 = $3.20, gp2 100 GB x $0.10 = $10.00, snapshot 50 GB x
 * $0.05 = $2.50, public IPv4 $0.005/h = $3.65, ALB $0.0225/h = $16.425,
 * RDS db.t3.micro MySQL $0.017/h = $12.41 + gp2 20 GB x $0.115 = $2.30.
 */
#include "ct.h"
#include "recommend.h"
#include "catalog.h"
#include "clock.h"
#include "store.h"
#include "testlib.h"

#define USD(x) ((ct_money)((x)*1e9 + ((x) < 0 ? -0.5 : 0.5)))
#define DAY 86400

static struct ct_store *st;
static struct ct_catalog *cat;
static char *dir;
static int64_t now, today;

static void setup(void)
{
	struct ct_err err;
	char *path;

	dir = ct_test_tmpdir();
	path = ct_xasprintf("%s/t.db", dir);
	st = ct_store_open(path, CT_STORE_CREATE, &err);
	ck_assert_msg(st != NULL, "%s", err.msg);
	free(path);
	cat = ct_catalog_load(st, &err);
	ck_assert_msg(cat != NULL, "%s", err.msg);
	today = ct_clock_days_from_civil(2026, 10, 31);
	now = today * DAY + 12 * 3600;
}

static void teardown(void)
{
	ct_catalog_free(cat);
	ct_store_close(st);
	free(dir);
}

struct res {
	const char *kind, *id, *state, *itype, *vtype;
	double gb;
	const char *attached, *assoc;
	int64_t created, since;
	const char *lbtype, *name, *dbclass, *engine;
};

static void add_res(const struct res *r)
{
	struct ct_err err;
	struct ct_stmt *q = ct_store_prepare(
		st,
		"INSERT INTO resource (resource_id, kind, account_id, region, state,"
		" instance_type, platform, volume_type, size_gb, attached_to,"
		" association_id, created_at, state_since, lb_type, name, db_class,"
		" engine, multi_az, batch, source, ingested_at) VALUES (?1, ?2,"
		" '111111111111', 'us-east-1', ?3, ?4, 'Linux/UNIX', ?5, ?6, ?7, ?8,"
		" ?9, ?10, ?11, ?12, ?13, ?14, 0, 1, 'test', '2026-10-31T00:00:00Z')",
		&err);

	ck_assert_msg(q != NULL, "%s", err.msg);
	ct_stmt_bind_str(q, 1, r->id);
	ct_stmt_bind_str(q, 2, r->kind);
	ct_stmt_bind_str(q, 3, r->state);
	ct_stmt_bind_str(q, 4, r->itype);
	ct_stmt_bind_str(q, 5, r->vtype);
	if (r->gb > 0)
		ct_stmt_bind_double(q, 6, r->gb);
	ct_stmt_bind_str(q, 7, r->attached);
	ct_stmt_bind_str(q, 8, r->assoc);
	if (r->created)
		ct_stmt_bind_int64(q, 9, r->created);
	if (r->since)
		ct_stmt_bind_int64(q, 10, r->since);
	ct_stmt_bind_str(q, 11, r->lbtype);
	ct_stmt_bind_str(q, 12, r->name);
	ct_stmt_bind_str(q, 13, r->dbclass);
	ct_stmt_bind_str(q, 14, r->engine);
	ck_assert_msg(ct_stmt_step(q, &err) == 0, "%s", err.msg);
	ct_stmt_finalize(q);
}

static void metric(const char *id, const char *m, int64_t day, double v)
{
	struct ct_err err;
	struct ct_stmt *q = ct_store_prepare(
		st,
		"INSERT INTO metric_day (resource_id, metric, day, value, total,"
		" samples, peak, batch, source) VALUES (?1, ?2, ?3, ?4, ?4, 1, ?4, 1, 'test')",
		&err);

	ck_assert_msg(q != NULL, "%s", err.msg);
	ct_stmt_bind_str(q, 1, id);
	ct_stmt_bind_str(q, 2, m);
	ct_stmt_bind_int64(q, 3, day);
	ct_stmt_bind_double(q, 4, v);
	ck_assert_msg(ct_stmt_step(q, &err) == 0, "%s", err.msg);
	ct_stmt_finalize(q);
}

/* A day of CPU and network (in and out each half of net; net < 0: no
 * network figure that day). */
static void day(const char *id, int64_t d, double cpu, double net)
{
	metric(id, "cpu_avg_pct", d, cpu);
	if (net >= 0) {
		metric(id, "net_in_bytes", d, net / 2);
		metric(id, "net_out_bytes", d, net / 2);
	}
}

static void instance(const char *id, const char *type)
{
	struct res r = {"instance", id, "running", type, NULL, 0,    NULL,
			NULL,	    0,	0,	   NULL, NULL, NULL, NULL};
	add_res(&r);
}

static void exec(const char *sql)
{
	struct ct_err err;

	ck_assert_msg(ct_store_exec(st, sql, &err) == CT_OK, "%s: %s", sql, err.msg);
}

static void fixture(void)
{
	int64_t d, w0 = today - 13;
	int i;

	/* idle: exactly 10 % and exactly 5 MB on 4 days, busy on 10 */
	instance("i-idle4", "m5.large");
	for (i = 0; i < 14; i++)
		day("i-idle4", w0 + i, i < 4 ? 10.0 : 50.0, i < 4 ? 5e6 : 9e9);
	/* 3 qualifying days only: neither idle nor low */
	instance("i-idle3", "m5.large");
	for (i = 0; i < 14; i++)
		day("i-idle3", w0 + i, i < 3 ? 10.0 : 50.0, i < 3 ? 1e6 : 9e9);
	/* CPU low but network one byte over on the 4th day */
	instance("i-net", "m5.large");
	for (i = 0; i < 14; i++)
		day("i-net", w0 + i, i < 4 ? 5.0 : 50.0, i < 3 ? 1e6 : i == 3 ? 5e6 + 2 : 9e9);
	/* average exactly 20 %: not low */
	instance("i-low20", "m5.xlarge");
	for (i = 0; i < 14; i++)
		day("i-low20", w0 + i, i % 2 ? 15.0 : 25.0, 9e9);
	/* average 19.5 %: low, m5.xlarge -> m5.large, billed last month */
	instance("i-low", "m5.xlarge");
	for (i = 0; i < 14; i++)
		day("i-low", w0 + i, 19.5, 9e9);
	/* 4 days of data (10 missing), 3 qualifying, the 4th has no network:
	 * not idle; average 10 % -> low, and m5.large is the smallest m5 */
	instance("i-missing", "m5.large");
	for (i = 0; i < 4; i++)
		day("i-missing", today - i, 10.0, i == 3 ? -1 : 1e6);
	/* t3.nano is the smallest t3: low, saving 0 */
	instance("i-nano", "t3.nano");
	for (i = 0; i < 14; i++)
		day("i-nano", w0 + i, 15.0, 9e9);
	/* idle before the window, busy in it */
	instance("i-old", "m5.large");
	for (d = w0 - 6; d < w0; d++)
		day("i-old", d, 1.0, 1e3);
	for (i = 0; i < 14; i++)
		day("i-old", w0 + i, 60.0, 9e9);
	/* metrics for an instance the inventory does not know */
	for (i = 0; i < 14; i++)
		day("i-ghost", w0 + i, 0.5, 10);
	/* no metrics at all: no CPU finding */
	instance("i-nodata", "m5.large");

	/* stopped 31 days with a 100 GB gp2 volume; stopped 29 days */
	{
		struct res s = {"instance", "i-stopped", "stopped", "m5.large", NULL,
				0,	    NULL,	 NULL,	    0,		now - 31 * DAY,
				NULL,	    NULL,	 NULL,	    NULL};
		struct res s2 = s, v = {"volume", "vol-s", "in-use", NULL, "gp2", 100,	"i-stopped",
					NULL,	  0,	   0,	     NULL, NULL,  NULL, NULL};
		struct res v2 = v;
		add_res(&s);
		s2.id = "i-stopped2";
		s2.since = now - 29 * DAY;
		add_res(&s2);
		add_res(&v);
		v2.id = "vol-s2";
		v2.attached = "i-stopped2";
		add_res(&v2);
	}
	{
		struct res v = {"volume", "vol-free", "available", NULL, "gp3", 40,   NULL,
				NULL,	  0,	      0,	   NULL, NULL,	NULL, NULL};
		struct res a = {"address",
				"eipalloc-free",
				"unassociated",
				NULL,
				NULL,
				0,
				NULL,
				NULL,
				0,
				0,
				NULL,
				NULL,
				NULL,
				NULL};
		struct res a2 = {"address",
				 "eipalloc-used",
				 "associated",
				 NULL,
				 NULL,
				 0,
				 "i-idle3",
				 "eipassoc-1",
				 0,
				 0,
				 NULL,
				 NULL,
				 NULL,
				 NULL};
		struct res sn = {"snapshot", "snap-old",     "completed", NULL, NULL, 50,   "vol-s",
				 NULL,	     now - 91 * DAY, 0,		  NULL, NULL, NULL, NULL};
		struct res sn2 = sn;
		add_res(&v);
		add_res(&a);
		add_res(&a2);
		add_res(&sn);
		sn2.id = "snap-new";
		sn2.created = now - 89 * DAY;
		add_res(&sn2);
	}
	{
		struct res lb = {
			"load_balancer", "arn:lb/idle", "active", NULL, NULL, 0, NULL, NULL, 0, 0,
			"application",	 "idle",	NULL,	  NULL};
		struct res lb2 = lb, lb3 = lb;
		add_res(&lb);
		lb2.id = "arn:lb/ok";
		lb2.name = "ok";
		add_res(&lb2);
		lb3.id = "arn:lb/unknown";
		lb3.name = "unknown";
		add_res(&lb3);
		exec("INSERT INTO lb_target_health VALUES"
		     " ('arn:lb/idle', 'tg-1', 2, 0, 1, 't', 'x'),"
		     " ('idle', 'tg-2', 1, 0, 1, 't', 'x'),"
		     " ('arn:lb/ok', 'tg-3', 2, 0, 1, 't', 'x'),"
		     " ('arn:lb/ok', 'tg-4', 1, 1, 1, 't', 'x')");
	}
	{
		struct res db = {"db_instance", "arn:db/idle", "available", NULL, "gp2", 20,
				 NULL,		NULL,	       0,	    0,	  NULL,	 "idle",
				 "db.t3.micro", "mysql"};
		struct res db6 = db, dbb = db;
		add_res(&db);
		db6.id = "arn:db/six";
		db6.name = "six";
		add_res(&db6);
		dbb.id = "arn:db/busy";
		dbb.name = "busy";
		add_res(&dbb);
		for (i = 0; i < 7; i++) {
			metric("arn:db/idle", "db_connections", today - i, 0);
			if (i < 6)
				metric("six", "db_connections", today - i, 0);
			metric("busy", "db_connections", today - i, i == 5 ? 3 : 0);
		}
	}
	/* billing: 2026-09 is complete at now, 2026-10 is not */
	exec("INSERT INTO ingest (id, batch, source, format, provider,"
	     " billing_account_id, billing_period, period_start, period_end,"
	     " checksum, ingested_at) VALUES"
	     " (1, 1, 'a', 'focus-1.2', 'AWS', '1', '2026-09', 1788220800, 1790812800, 'x', 'x'),"
	     " (2, 1, 'b', 'focus-1.2', 'AWS', '1', '2026-10', 1790812800, 1793491200, 'x', 'x')");
	exec("INSERT INTO profile (id, h, resource_id) VALUES (1, 1, 'i-low'), (2, 2, 'i-other')");
	exec("INSERT INTO line_day VALUES (1, 20700, 1, 1, 100000000000, 0, 0),"
	     " (1, 20701, 1, 1, 50000000000, 0, 0), (1, 20701, 2, 1, 7000000000, 0, 0),"
	     " (2, 20730, 1, 1, 999000000000, 0, 0)");
}

static struct ct_recommend *build(void)
{
	struct ct_recommend_opts o;
	struct ct_recommend *r;
	struct ct_err err;

	ct_recommend_opts_init(&o);
	o.now = now;
	r = ct_recommend_build(st, cat, &o, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	return r;
}

static const struct ct_finding *find(const struct ct_recommend *r, const char *kind, const char *id)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (!strcmp(r->f[i].kind, kind) && !strcmp(r->f[i].resource_id, id))
			return &r->f[i];
	return NULL;
}

static size_t count(const struct ct_recommend *r, const char *kind)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++)
		n += !strcmp(r->f[i].kind, kind);
	return n;
}

static const char *ev(const struct ct_finding *f, const char *key)
{
	size_t i;

	for (i = 0; i < f->nev; i++)
		if (!strcmp(f->ev[i].key, key))
			return f->ev[i].value;
	return NULL;
}

START_TEST(test_idle)
{
	struct ct_recommend *r;
	const struct ct_finding *f;

	fixture();
	r = build();
	ck_assert_int_eq(r->window_last, today);
	ck_assert_int_eq(r->window_first, today - 13);
	ck_assert_uint_eq(count(r, "idle_instance"), 1);
	f = find(r, "idle_instance", "i-idle4");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->monthly_cost, USD(70.08));
	ck_assert_int_eq(f->savings, USD(70.08));
	ck_assert_str_eq(ev(f, "source"), "catalog");
	ck_assert_str_eq(ev(f, "idle_days"), "4");
	ck_assert_str_eq(f->action, "stop_or_terminate");
	ck_assert_str_eq(f->region, "us-east-1");
	ck_assert_str_eq(f->account_id, "111111111111");
	ck_assert_ptr_null(find(r, "idle_instance", "i-idle3"));
	ck_assert_ptr_null(find(r, "low_cpu_instance", "i-idle3"));
	ck_assert_ptr_null(find(r, "idle_instance", "i-net"));
	ck_assert_ptr_null(find(r, "idle_instance", "i-old"));
	ck_assert_ptr_null(find(r, "idle_instance", "i-ghost"));
	ck_assert_ptr_null(find(r, "low_cpu_instance", "i-ghost"));
	ck_assert_ptr_null(find(r, "idle_instance", "i-nodata"));
	ck_assert_ptr_null(find(r, "low_cpu_instance", "i-nodata"));
	ct_recommend_free(r);
}
END_TEST

START_TEST(test_idle_options)
{
	struct ct_recommend_opts o;
	struct ct_recommend *r;
	struct ct_err err;

	fixture();
	ct_recommend_opts_init(&o);
	o.now = now;
	o.idle_days = 3; /* now i-idle3 qualifies, and i-missing (3 days) */
	r = ct_recommend_build(st, cat, &o, &err);
	ck_assert_ptr_nonnull(r);
	ck_assert_ptr_nonnull(find(r, "idle_instance", "i-idle3"));
	ck_assert_ptr_nonnull(find(r, "idle_instance", "i-missing"));
	ck_assert_ptr_null(find(r, "low_cpu_instance", "i-missing"));
	ck_assert_ptr_nonnull(find(r, "idle_instance", "i-net")); /* 3 days */
	ct_recommend_free(r);
	o.idle_days = 4;
	o.idle_cpu = 9.99; /* 10 % is no longer idle */
	r = ct_recommend_build(st, cat, &o, &err);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(count(r, "idle_instance"), 0);
	ct_recommend_free(r);
	o.idle_cpu = 10;
	o.idle_days = 15; /* beyond the window */
	ck_assert_ptr_null(ct_recommend_build(st, cat, &o, &err));
	ck_assert_int_eq(err.code, CT_E_USAGE);
}
END_TEST

START_TEST(test_low_cpu)
{
	struct ct_recommend *r;
	const struct ct_finding *f;

	fixture();
	r = build();
	ck_assert_uint_eq(count(r, "low_cpu_instance"), 3);
	ck_assert_ptr_null(find(r, "low_cpu_instance", "i-low20"));
	f = find(r, "low_cpu_instance", "i-low");
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->recommended_type, "m5.large");
	ck_assert_str_eq(f->action, "downsize");
	/* billed 2026-09 (the latest complete month): 100 + 50 */
	ck_assert_int_eq(f->monthly_cost, USD(150.00));
	ck_assert_str_eq(ev(f, "source"), "billing");
	ck_assert_str_eq(ev(f, "billing_month"), "2026-09");
	ck_assert_str_eq(ev(f, "catalog_monthly_cost"), "140.160000000");
	/* the price difference: 140.16 - 70.08 */
	ck_assert_int_eq(f->savings, USD(70.08));
	ck_assert_str_eq(ev(f, "avg_cpu_pct"), "19.5");
	ck_assert_str_eq(ev(f, "memory_gib"), "16");
	ck_assert_str_eq(ev(f, "recommended_memory_gib"), "8");
	f = find(r, "low_cpu_instance", "i-missing");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_null(f->recommended_type);
	ck_assert_str_eq(f->action, "none_smallest_size");
	ck_assert_int_eq(f->savings, 0);
	ck_assert_str_eq(ev(f, "days_with_data"), "4");
	f = find(r, "low_cpu_instance", "i-nano");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_null(f->recommended_type);
	ck_assert_int_eq(f->monthly_cost, USD(3.796));
	ck_assert_int_eq(f->savings, 0);
	ct_recommend_free(r);
}
END_TEST

START_TEST(test_other_kinds)
{
	struct ct_recommend *r;
	const struct ct_finding *f;

	fixture();
	r = build();
	ck_assert_uint_eq(count(r, "unattached_volume"), 1);
	f = find(r, "unattached_volume", "vol-free");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->savings, USD(3.20));
	ck_assert_uint_eq(count(r, "unassociated_address"), 1);
	f = find(r, "unassociated_address", "eipalloc-free");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->monthly_cost, USD(3.65));
	ck_assert_uint_eq(count(r, "old_snapshot"), 1);
	f = find(r, "old_snapshot", "snap-old");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->savings, USD(2.50));
	ck_assert_str_eq(ev(f, "age_days"), "91");
	ck_assert_uint_eq(count(r, "stopped_instance"), 1);
	f = find(r, "stopped_instance", "i-stopped");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->savings, USD(10.00));
	ck_assert_str_eq(ev(f, "volumes"), "vol-s");
	ck_assert_uint_eq(count(r, "idle_load_balancer"), 1);
	f = find(r, "idle_load_balancer", "arn:lb/idle");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->savings, USD(16.425));
	ck_assert_str_eq(ev(f, "targets"), "3");
	ck_assert_uint_eq(count(r, "idle_database"), 1);
	f = find(r, "idle_database", "arn:db/idle");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->savings, USD(12.41) + USD(2.30));
	/* total: 70.08 + 70.08 + 3.20 + 3.65 + 2.50 + 10.00 + 16.425 + 14.71 */
	ck_assert_int_eq(r->total_savings, USD(190.645));
	ck_assert_uint_eq(r->n, 10);
	ct_recommend_free(r);
}
END_TEST

START_TEST(test_empty_store)
{
	struct ct_recommend *r = build();

	ck_assert_uint_eq(r->n, 0);
	ck_assert(!r->has_metrics);
	ck_assert_int_eq(r->window_last, today);
	ck_assert_int_eq(r->total_savings, 0);
	ct_recommend_free(r);
}
END_TEST

/* Render to a string (new). */
static char *render(const struct ct_recommend *r, enum ct_recommend_format fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct ct_err err;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(ct_recommend_render(r, fmt, f, &err), CT_OK);
	fclose(f);
	return buf;
}

START_TEST(test_render)
{
	struct ct_recommend *r;
	char *s;

	fixture();
	exec("UPDATE resource SET resource_id = '=HYPERLINK(\"x\")' WHERE resource_id = "
	     "'vol-free'");
	r = build();
	s = render(r, CT_RECOMMEND_JSON);
	ck_assert_msg(strstr(s, "\"total_estimated_monthly_savings\": 190.645000000\n"), "%s", s);
	ck_assert(strstr(s, "\"commitments\": []"));
	ck_assert(strstr(s, "\"monthly_cost\": 150.000000000"));
	ck_assert(strstr(s, "\"recommended_type\": null"));
	ck_assert(strstr(s, "\"idle_cpu_pct\": 10,"));
	ck_assert(strstr(s, "\"window_end\": \"2026-10-31\""));
	free(s);
	s = render(r, CT_RECOMMEND_CSV);
	ck_assert_msg(strstr(s, "\n\"'=HYPERLINK(\"\"x\"\")\"") == NULL, "%s", s);
	ck_assert_msg(strstr(s, "unattached_volume,\"'=HYPERLINK(\"\"x\"\")\",gp3,"), "%s", s);
	ck_assert(strstr(s, "\ntotal,,,,,,,,190.645000,\n"));
	free(s);
	s = render(r, CT_RECOMMEND_TEXT);
	ck_assert_msg(strstr(s, "10 findings, estimated monthly saving $190.65"), "%s", s);
	ck_assert(strstr(s, "monthly cost $150.00, saving $70.08, action downsize to m5.large"));
	free(s);
	s = render(r, CT_RECOMMEND_MARKDOWN);
	ck_assert(strstr(s, "| low\\_cpu\\_instance | i-low | m5.xlarge |"));
	free(s);
	ct_recommend_free(r);
}
END_TEST

static Suite *recommend_suite(void)
{
	Suite *s = suite_create("recommend");
	TCase *tc = tcase_create("findings");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_idle);
	tcase_add_test(tc, test_idle_options);
	tcase_add_test(tc, test_low_cpu);
	tcase_add_test(tc, test_other_kinds);
	tcase_add_test(tc, test_empty_store);
	tcase_add_test(tc, test_render);
	suite_add_tcase(s, tc);
	return s;
}

CT_TEST_MAIN(recommend_suite)
