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

#include <math.h>

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

/* Memory from the CloudWatch agent (mem_used_pct; the peak sample
 * counts): an m5.xlarge has 16 GiB and an m5.large 8 GiB, so a peak of
 * 60 % (9.6 GiB) keeps the size, exactly 50 % (8 GiB) fits, 40 % fits. */
static void mem_instance(const char *id, double peak_pct)
{
	struct ct_err err;
	struct ct_stmt *q;
	int i;

	instance(id, "m5.xlarge");
	for (i = 0; i < 14; i++)
		day(id, today - 13 + i, 12.0, 9e9);
	/* one day whose average is low but whose peak sample is peak_pct */
	q = ct_store_prepare(st,
			     "INSERT INTO metric_day (resource_id, metric, day, value, total,"
			     " samples, peak, batch, source) VALUES (?1, 'mem_used_pct', ?2, 20,"
			     " 40, 2, ?3, 1, 'test')",
			     &err);
	ck_assert_msg(q != NULL, "%s", err.msg);
	ct_stmt_bind_str(q, 1, id);
	ct_stmt_bind_int64(q, 2, today - 2);
	ct_stmt_bind_double(q, 3, peak_pct);
	ck_assert_msg(ct_stmt_step(q, &err) == 0, "%s", err.msg);
	ct_stmt_finalize(q);
	metric(id, "mem_used_pct", today - 1, 10.0);
}

START_TEST(test_low_cpu_memory)
{
	struct ct_recommend *r;
	const struct ct_finding *f;

	mem_instance("i-mem60", 60.0);
	mem_instance("i-mem50", 50.0);
	mem_instance("i-mem40", 40.0);
	r = build();
	f = find(r, "low_cpu_instance", "i-mem60");
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->action, "none_memory_bound");
	ck_assert_ptr_null(f->recommended_type);
	ck_assert_int_eq(f->savings, 0);
	ck_assert_str_eq(ev(f, "memory_peak_pct"), "60");
	ck_assert_str_eq(ev(f, "memory_used_gib"), "9.6");
	ck_assert_ptr_nonnull(strstr(ev(f, "note"), "9.6 GiB"));
	f = find(r, "low_cpu_instance", "i-mem50");
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->action, "downsize");
	ck_assert_str_eq(f->recommended_type, "m5.large");
	ck_assert_str_eq(ev(f, "memory_used_gib"), "8");
	f = find(r, "low_cpu_instance", "i-mem40");
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->recommended_type, "m5.large");
	/* no billing: the catalog prices, 140.16 - 70.08 */
	ck_assert_int_eq(f->savings, USD(70.08));
	ck_assert_str_eq(ev(f, "memory_used_gib"), "6.4");
	ck_assert_ptr_null(ev(f, "memory_used"));
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
	ck_assert_msg(strstr(s, "\"total_estimated_monthly_savings\": 190.645,\n"), "%s", s);
	ck_assert(strstr(s, "\"commitments\": []"));
	ck_assert(strstr(s, "\"monthly_cost\": 150.00"));
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

/* ---- commitments: billing lines of on-demand EC2 usage ---- */

static int64_t nprofile, nline;

static void billing_ingest(void)
{
	exec("INSERT INTO ingest (id, batch, source, format, provider, billing_account_id,"
	     " billing_period, period_start, period_end, checksum, ingested_at) VALUES"
	     " (1, 1, 'test', 'focus-1.0', 'AWS', '111', '2026-10', 1790812800, 1793491200,"
	     " 'x', '2026-11-01T00:00:00Z')");
	nprofile = 0;
	nline = 0;
}

/* A profile of EC2 usage; returns its id. */
static int64_t ec2_profile(const char *rid, const char *desc, const char *meter,
			   const char *pricing_category, const char *commitment)
{
	struct ct_err err;
	struct ct_stmt *q = ct_store_prepare(
		st,
		"INSERT INTO profile (id, h, service_name, charge_category, pricing_category,"
		" pricing_unit, consumed_unit, region_id, resource_id, charge_description,"
		" sku_meter, commitment_discount_id) VALUES (?1, ?1,"
		" 'Amazon Elastic Compute Cloud', 'Usage', ?2, 'Hours', 'Hours', 'us-east-1',"
		" ?3, ?4, ?5, ?6)",
		&err);

	ck_assert_msg(q != NULL, "%s", err.msg);
	ct_stmt_bind_int64(q, 1, ++nprofile);
	ct_stmt_bind_str(q, 2, pricing_category);
	ct_stmt_bind_str(q, 3, rid);
	ct_stmt_bind_str(q, 4, desc);
	ct_stmt_bind_str(q, 5, meter);
	ct_stmt_bind_str(q, 6, commitment);
	ck_assert_msg(ct_stmt_step(q, &err) == 0, "%s", err.msg);
	ct_stmt_finalize(q);
	return nprofile;
}

/* One line of hours running from start to end (unix seconds). */
static void ec2_line(int64_t profile, int64_t start, int64_t end)
{
	struct ct_err err;
	struct ct_stmt *q = ct_store_prepare(
		st,
		"INSERT INTO line (id, profile_id, charge_start, charge_end, billed_cost,"
		" effective_cost, pricing_quantity, consumed_quantity) VALUES"
		" ((1 << 32) + ?1, ?2, ?3, ?4, 0, 0, ?5, ?5)",
		&err);

	ck_assert_msg(q != NULL, "%s", err.msg);
	ct_stmt_bind_int64(q, 1, ++nline);
	ct_stmt_bind_int64(q, 2, profile);
	ct_stmt_bind_int64(q, 3, start);
	ct_stmt_bind_int64(q, 4, end);
	ct_stmt_bind_double(q, 5, (double)(end - start) / 3600.0);
	ck_assert_msg(ct_stmt_step(q, &err) == 0, "%s", err.msg);
	ct_stmt_finalize(q);
}

/* Daily lines for days [first, last) of October 2026 (1-based days). */
static void ec2_days(int64_t profile, int first, int last)
{
	int64_t d0 = ct_clock_days_from_civil(2026, 10, 1);
	int d;

	for (d = first; d < last; d++)
		ec2_line(profile, (d0 + d - 1) * DAY, (d0 + d) * DAY);
}

#define M5 "$0.096 per On Demand Linux m5.large Instance Hour"

/* Two m5.large on all 30 days of usage (Oct 1 - Oct 30), by the charge
 * description, plus lines that are not on-demand usage. */
static void two_m5(void)
{
	billing_ingest();
	ec2_days(ec2_profile("i-1", M5, NULL, "Standard", NULL), 1, 31);
	ec2_days(ec2_profile("i-2", M5, NULL, "Standard", NULL), 1, 31);
	/* covered by a reservation, and a spot line: not on-demand */
	ec2_days(ec2_profile("i-3", M5, NULL, "Committed", "ri-1"), 1, 31);
	ec2_days(ec2_profile("i-4", "$0.03 per Spot m5.large Instance Hour", NULL, "Dynamic",
			     NULL),
		 1, 31);
}

static const struct ct_commitment *cm_find(const struct ct_recommend *r, const char *kind,
					   const char *type, const char *term, const char *pay)
{
	size_t i;

	for (i = 0; i < r->ncm; i++)
		if (!strcmp(r->cm[i].kind, kind) && !strcmp(r->cm[i].instance_type, type) &&
		    !strcmp(r->cm[i].term, term) && !strcmp(r->cm[i].payment, pay))
			return &r->cm[i];
	return NULL;
}

static ct_money kind_total(const struct ct_recommend *r, const char *kind)
{
	size_t i;

	for (i = 0; i < r->nkt; i++)
		if (!strcmp(r->kt[i].kind, kind))
			return r->kt[i].savings;
	return -1;
}

#define NEAR(a, b, eps) ck_assert_msg(fabs((double)(a) - (double)(b)) <= (eps), "%.9f != %.9f", (double)(a), (double)(b))

START_TEST(test_reserved_steady)
{
	struct ct_recommend *r;
	const struct ct_commitment *m;
	size_t i, n = 0;

	two_m5();
	r = build();
	ck_assert_int_eq(r->usage_first, ct_clock_days_from_civil(2026, 10, 1) * DAY);
	ck_assert_int_eq(r->usage_last, ct_clock_days_from_civil(2026, 10, 31) * DAY);
	for (i = 0; i < r->ncm; i++) {
		ck_assert_str_eq(r->cm[i].instance_type, "m5.large");
		ck_assert_str_eq(r->cm[i].kind, "reserved_instance"); /* no SP rate */
		n++;
	}
	ck_assert_uint_eq(n, 6);
	/* standard 1y all upfront $494: 2 x 494 = 988 up front, E = 494 / 8760
	 * = 0.056392694/h, saving 2 x 730 x (0.096 - 0.056392694) = 57.8267,
	 * break-even 988 / (2 x 730 x 0.096) = 7.0491 months, the upfront paid
	 * back by the saving in 988 / 57.8267 = 17.0855 months */
	m = cm_find(r, "reserved_instance", "m5.large", "1y", "all_upfront");
	ck_assert_ptr_nonnull(m);
	ck_assert(m->count == 2);
	ck_assert(m->utilisation == 1);
	ck_assert(!m->estimated);
	ck_assert_str_eq(m->offering, "standard");
	ck_assert_int_eq(m->upfront, USD(988));
	NEAR(m->effective_hourly, 56392694064.0, 1);
	NEAR(m->ondemand_hourly, 96000000000.0, 0);
	NEAR(m->savings, USD(57.826667), 1000);
	ck_assert_int_eq(m->savings_at_util, m->savings);
	NEAR(m->break_even_months, 7.049087, 1e-5);
	NEAR(m->payback_months, 17.085543, 1e-5);
	/* 1y no upfront 0.06/h: 2 x 730 x 0.036 = 52.56, break-even 0 */
	m = cm_find(r, "reserved_instance", "m5.large", "1y", "no_upfront");
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(m->upfront, 0);
	ck_assert_int_eq(m->savings, USD(52.56));
	ck_assert(m->break_even_months == 0);
	/* 1y partial $252 + 0.029/h: E = 0.029 + 252/8760 = 0.057767/h,
	 * saving 1460 x 0.038233 = 55.82, break-even 504 / (1460 x 0.067) =
	 * 5.1523 months */
	m = cm_find(r, "reserved_instance", "m5.large", "1y", "partial_upfront");
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(m->upfront, USD(504));
	NEAR(m->savings, USD(55.82), USD(0.005));
	NEAR(m->break_even_months, 5.152321, 1e-5);
	/* 3y all upfront $949: E = 949/26280 = 0.036111/h, saving 1460 x
	 * 0.059889 = 87.43778: the best, the only one in the total */
	m = cm_find(r, "reserved_instance", "m5.large", "3y", "all_upfront");
	ck_assert_ptr_nonnull(m);
	ck_assert(m->best);
	NEAR(m->savings, USD(87.437778), 1000);
	for (i = 0; i < r->ncm; i++)
		ck_assert(r->cm[i].best == (&r->cm[i] == m));
	ck_assert_int_eq(r->total_savings, m->savings);
	ck_assert_int_eq(kind_total(r, "reserved_instance"), m->savings);
	ct_recommend_free(r);
}
END_TEST

/* An instance this run advises to stop is not part of the baseline to
 * commit to: i-idle4 (idle, m5.large) and i-2 (m5.large) both ran all
 * October on demand, but only i-2 counts: 1 x 730 x (0.096 - 0.06) =
 * 26.28 a month for 1y no upfront. */
START_TEST(test_reserved_skips_advised)
{
	struct ct_recommend *r;
	const struct ct_commitment *m;

	fixture(); /* its billing month is ingest 1, which the lines join */
	nprofile = 1000; /* past the fixture's own profiles and lines */
	nline = 1000;
	ec2_days(ec2_profile("i-idle4", M5, NULL, "Standard", NULL), 1, 31);
	ec2_days(ec2_profile("i-2", M5, NULL, "Standard", NULL), 1, 31);
	r = build();
	ck_assert_ptr_nonnull(find(r, "idle_instance", "i-idle4"));
	m = cm_find(r, "reserved_instance", "m5.large", "1y", "no_upfront");
	ck_assert_ptr_nonnull(m);
	ck_assert(m->count == 1);
	ck_assert_int_eq(m->savings, USD(26.28));
	ct_recommend_free(r);
}
END_TEST

/* Four c5.large (type from the sku_meter usage type): two all month,
 * one on days 1-10 only, one with a 2-hour gap on day 20 in 3-hour lines:
 * the fewest running in any hour is 2. */
START_TEST(test_reserved_varying)
{
	struct ct_recommend *r;
	const struct ct_commitment *m;
	int64_t p, d0 = ct_clock_days_from_civil(2026, 10, 1) * DAY, t;

	billing_ingest();
	ec2_days(ec2_profile("i-a", NULL, "USE1-BoxUsage:c5.large", "Standard", NULL), 1, 31);
	ec2_days(ec2_profile("i-b", NULL, "USE1-BoxUsage:c5.large", "Standard", NULL), 1, 31);
	ec2_days(ec2_profile("i-c", NULL, "USE1-BoxUsage:c5.large", "Standard", NULL), 1, 11);
	p = ec2_profile("i-d", NULL, "USE1-BoxUsage:c5.large", "Standard", NULL);
	for (t = d0; t < d0 + 30 * DAY; t += 3 * 3600) {
		if (t == d0 + 19 * DAY + 12 * 3600) { /* day 20, 12:00-15:00: 1 h only */
			ec2_line(p, t + 2 * 3600, t + 3 * 3600);
			continue;
		}
		ec2_line(p, t, t + 3 * 3600);
	}
	r = build();
	m = cm_find(r, "reserved_instance", "c5.large", "1y", "no_upfront");
	ck_assert_ptr_nonnull(m);
	ck_assert_msg(m->count == 2, "%g", m->count);
	ck_assert(m->utilisation == 1);
	/* (2 x 720 + 240 + 718) / 720 */
	NEAR(m->avg_count, 2398.0 / 720.0, 1e-9);
	/* no published c5.large term: the ratio fallback, marked */
	ck_assert(m->estimated);
	/* saving = 2 x 730 x (OD - E) */
	ck_assert_int_eq(m->savings,
			 ct_money_of_rate(m->ondemand_hourly - m->effective_hourly, 1460));
	ct_recommend_free(r);
}
END_TEST

/* A baseline below one instance commits nothing. */
START_TEST(test_reserved_none)
{
	struct ct_recommend *r;

	billing_ingest();
	ec2_days(ec2_profile("i-1", M5, NULL, "Standard", NULL), 1, 16);  /* days 1-15 */
	ec2_days(ec2_profile("i-2", M5, NULL, "Standard", NULL), 17, 31); /* days 17-30 */
	r = build();
	ck_assert_uint_eq(r->ncm, 0);
	ck_assert_int_eq(r->total_savings, 0);
	ct_recommend_free(r);
}
END_TEST

/* Spot: a spot-ok=true instance and an EKS node group member, both
 * m5.large: 2 x 730 x (0.096 - 0.03264) = 92.5056, interruption band
 * 15-20 %; with the two reserved m5.large the best option of the group
 * is spot, so the total counts spot only. */
START_TEST(test_spot)
{
	struct ct_recommend *r;
	const struct ct_commitment *m;

	instance("i-s1", "m5.large");
	instance("i-s2", "m5.large");
	instance("i-s3", "m5.large");
	exec("UPDATE resource SET tags = '{\"spot-ok\":\"True\"}' WHERE resource_id = 'i-s1'");
	exec("UPDATE resource SET tags = '{\"eks:nodegroup-name\":\"ng\"}' WHERE resource_id = "
	     "'i-s2'");
	exec("UPDATE resource SET tags = '{\"spot-ok\":\"false\"}' WHERE resource_id = 'i-s3'");
	two_m5();
	r = build();
	m = cm_find(r, "spot", "m5.large", "", "");
	ck_assert_ptr_nonnull(m);
	ck_assert(m->count == 2);
	ck_assert(m->estimated);
	ck_assert_int_eq(m->savings, USD(92.5056));
	ck_assert_msg(strstr(m->note, "interruption 15-20%"), "%s", m->note);
	ck_assert(m->best);
	ck_assert_int_eq(r->total_savings, USD(92.5056));
	ck_assert_int_eq(kind_total(r, "spot"), USD(92.5056));
	NEAR(kind_total(r, "reserved_instance"), USD(87.437778), 1000);
	ct_recommend_free(r);
}
END_TEST

START_TEST(test_commitments_render)
{
	struct ct_recommend *r;
	char *s;

	two_m5();
	r = build();
	s = render(r, CT_RECOMMEND_JSON);
	ck_assert_msg(strstr(s, "\"effective_hourly_rate\": 0.056392694064,"), "%s", s);
	ck_assert(strstr(s, "\"upfront_cost\": 988.00,"));
	ck_assert(strstr(s, "\"term\": \"1y\""));
	ck_assert(strstr(s, "\"payment_option\": \"all_upfront\""));
	ck_assert(strstr(s, "\"kind\": \"reserved_instance\""));
	ck_assert(strstr(s, "\"totals_by_kind\": {"));
	ck_assert(strstr(s, "\"usage_window_start\": \"2026-10-01\""));
	ck_assert(strstr(s, "\"usage_window_end\": \"2026-10-30\""));
	free(s);
	s = render(r, CT_RECOMMEND_TEXT);
	ck_assert_msg(strstr(s, "* reserved_instance m5.large us-east-1 linux standard 3y all_upfront: count 2, upfront $1,898.00"), "%s", s);
	ck_assert(strstr(s, "  reserved_instance: $87.44 (1)"));
	ck_assert(strstr(s, "  total: $87.44 (findings plus"));
	free(s);
	s = render(r, CT_RECOMMEND_MARKDOWN);
	ck_assert(strstr(s, "## Savings by kind"));
	free(s);
	s = render(r, CT_RECOMMEND_CSV);
	ck_assert_msg(strstr(s, "\nreserved_instance,,m5.large,us-east-1,,140.160000,buy standard 1y all_upfront,,57.826667,"), "%s", s);
	ck_assert(strstr(s, "\ntotal,,,,,,,,87.437778,\n"));
	free(s);
	ct_recommend_free(r);
}
END_TEST

/* A compute savings plan rate in the catalog (a refreshed price): 1y no
 * upfront m5.large $0.068/h -> 2 x 730 x (0.096 - 0.068) = 40.88; no
 * other plan rate, so no other plan rows. */
START_TEST(test_savings_plan)
{
	struct ct_recommend_opts o;
	struct ct_recommend *r;
	struct ct_catalog *c2;
	const struct ct_commitment *m;
	struct ct_err err;
	size_t i, n = 0;

	exec("INSERT INTO price (service, region, product, variant, term, offering, years,"
	     " payment, unit, price, source, as_of) VALUES ('ec2', 'us-east-1', 'm5.large',"
	     " 'linux/shared', 'savingsplan', 'compute', 1, 'no', 'hour', '0.068', 'test',"
	     " '2026-10-01')");
	two_m5();
	c2 = ct_catalog_load(st, &err);
	ck_assert_msg(c2 != NULL, "%s", err.msg);
	ct_recommend_opts_init(&o);
	o.now = now;
	r = ct_recommend_build(st, c2, &o, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	for (i = 0; i < r->ncm; i++)
		n += !strcmp(r->cm[i].kind, "savings_plan");
	ck_assert_uint_eq(n, 1);
	m = cm_find(r, "savings_plan", "m5.large", "1y", "no_upfront");
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->offering, "compute");
	ck_assert_int_eq(m->savings, USD(40.88));
	ck_assert(!m->best); /* the 3y all upfront RI saves more */
	ct_recommend_free(r);
	ct_catalog_free(c2);
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
	tcase_add_test(tc, test_low_cpu_memory);
	tcase_add_test(tc, test_other_kinds);
	tcase_add_test(tc, test_empty_store);
	tcase_add_test(tc, test_render);
	tcase_add_test(tc, test_reserved_steady);
	tcase_add_test(tc, test_reserved_skips_advised);
	tcase_add_test(tc, test_reserved_varying);
	tcase_add_test(tc, test_reserved_none);
	tcase_add_test(tc, test_spot);
	tcase_add_test(tc, test_savings_plan);
	tcase_add_test(tc, test_commitments_render);
	suite_add_tcase(s, tc);
	return s;
}

CT_TEST_MAIN(recommend_suite)
