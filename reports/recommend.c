/*
 * recommend.c - the findings model of `cloudtally recommend` (issue 5):
 * what to switch off or shrink, with the money each saves and the
 * evidence, from the inventory (resource, lb_target_health), the daily
 * metrics (metric_day), the billing rollup (line_day by profile) and the
 * price catalog.
 *
 * Rules (thresholds are options, defaults in parentheses):
 *   idle_instance        daily average CPU <= idle_cpu (10 %) and network
 *                        in + out <= idle_net_mb (5 x 10^6 bytes) on at
 *                        least idle_days (4) of the window_days (14) days
 *                        ending on the latest metric day not after now; a
 *                        day without CPU or without any network figure
 *                        does not qualify. Saving: the monthly cost.
 *   low_cpu_instance     not idle, window average CPU (over the days with
 *                        data) < low_cpu (20 %): the next smaller size of
 *                        the same family the catalog knows; saving is the
 *                        catalog price difference. The smallest size says
 *                        so and saves 0.
 *   unattached_volume    state 'available'. Saving: the monthly cost.
 *   unassociated_address no association id and no attachment.
 *   old_snapshot         created more than snapshot_days (90) before now.
 *   stopped_instance     stopped for stopped_days (30) or more, with
 *                        volumes attached: saving = the volumes' cost.
 *   idle_load_balancer   target health known and no healthy target.
 *   idle_database        db_connections given and 0 on each of the last
 *                        db_days (7) days of the window.
 * monthly_cost is what billing says the resource cost in the latest
 * complete billing month (profile.resource_id = the resource id), else
 * the catalog price for a month (730 hours); evidence.source says which
 * ("billing", "catalog", or "none" when neither knows: cost 0).
 *
 * Commitments (reserved_instance, savings_plan, spot) and the total: see
 * the RULE comments above commitments() below.
 *
 * Depends on the store (SQL text only), the catalog and the pricing
 * calculators; never prints.
 */
#include "ct.h"
#include "recommend.h"
#include "render.h"
#include "hash.h"
#include "store.h"
#include "catalog.h"
#include "compute.h"
#include "storage.h"
#include "network.h"
#include "database.h"
#include "clock.h"

#include <math.h>

void ct_recommend_opts_init(struct ct_recommend_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->idle_cpu = 10.0;
	o->idle_net_mb = 5.0;
	o->idle_days = 4;
	o->window_days = 14;
	o->low_cpu = 20.0;
	o->snapshot_days = 90;
	o->stopped_days = 30;
	o->db_days = 7;
	o->usage_days = 30;
	o->spot_tag_key = "spot-ok";
	o->spot_tag_value = "true";
}

/* Billed cost of the latest complete month by resource id, sorted. */
struct billed {
	char *id;
	ct_money cost;
};

struct ctx {
	struct ct_store *st;
	const struct ct_catalog *cat;
	struct ct_recommend *r;
	struct billed *b;
	size_t nb;
	struct ct_err *err;
};

static void ev_add(struct ct_finding *f, const char *key, bool num, const char *fmt, ...)
	CT_PRINTF(4, 5);
static void ev_add(struct ct_finding *f, const char *key, bool num, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int n;

	if (f->nev >= CT_EVIDENCE_MAX)
		ct_die("recommend: too many evidence members");
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		ct_die("out of memory");
	f->ev[f->nev].key = key;
	f->ev[f->nev].value = s;
	f->ev[f->nev].num = num;
	f->nev++;
}

static void ev_money(struct ct_finding *f, const char *key, ct_money m)
{
	char buf[48];

	ev_add(f, key, true, "%s", ct_money_format(m, 9, false, buf, sizeof(buf)));
}

/* A number for JSON: up to 6 decimals, trailing zeros trimmed. */
static void ev_num(struct ct_finding *f, const char *key, double v)
{
	char buf[64];
	size_t n;

	snprintf(buf, sizeof(buf), "%.6f", v);
	n = strlen(buf);
	while (n > 1 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	if (!strcmp(buf, "-0"))
		snprintf(buf, sizeof(buf), "0");
	ev_add(f, key, true, "%s", buf);
}

static struct ct_finding *add(struct ctx *c, const char *kind, const char *id, const char *type,
			      const char *region, const char *account, const char *action)
{
	struct ct_recommend *r = c->r;
	struct ct_finding *f;

	r->f = ct_xrealloc(r->f, (r->n + 1) * sizeof(*r->f));
	f = &r->f[r->n++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->resource_id = ct_xstrdup(id ? id : "");
	f->resource_type = ct_xstrdup(type ? type : "");
	f->region = ct_xstrdup(region ? region : "");
	f->account_id = ct_xstrdup(account ? account : "");
	f->action = action;
	return f;
}

static int billed_cmp(const void *a, const void *b)
{
	return strcmp(((const struct billed *)a)->id, ((const struct billed *)b)->id);
}

/* The billed cost of id last month, if billing has it. */
static bool billed(const struct ctx *c, const char *id, ct_money *out)
{
	struct billed key = {(char *)id, 0}, *hit;

	if (!c->nb || !id || !*id)
		return false;
	hit = bsearch(&key, c->b, c->nb, sizeof(*c->b), billed_cmp);
	if (!hit)
		return false;
	*out = hit->cost;
	return true;
}

/* Choose the latest complete billing month (else the latest) and load
 * the billed cost by resource id. */
static int load_billing(struct ctx *c)
{
	struct ct_stmt *q;
	int rc;

	q = ct_store_prepare_ch(c->st,
			     "SELECT billing_period FROM ingest GROUP BY billing_period "
			     "ORDER BY max(period_end) <= ?1 DESC, billing_period DESC LIMIT 1",
			     "SELECT billing_period, max(period_end) <= ?1 AS done FROM ingest"
			     " GROUP BY billing_period ORDER BY done DESC, billing_period DESC"
			     " LIMIT 1", c->err);
	if (!q)
		return CT_E_DB;
	ct_stmt_bind_int64(q, 1, c->r->opts.now);
	rc = ct_stmt_step(q, c->err);
	if (rc == 1)
		snprintf(c->r->billing_month, sizeof(c->r->billing_month), "%s",
			 ct_stmt_text(q, 0));
	ct_stmt_finalize(q);
	if (rc < 0)
		return CT_E_DB;
	if (!c->r->billing_month[0])
		return CT_OK;
	q = ct_store_prepare_ch(c->st,
			     "SELECT p.resource_id, sum(d.billed_cost) FROM ingest i"
			     " CROSS JOIN line_day d ON d.ingest_id = i.id"
			     " JOIN profile p ON p.id = d.profile_id"
			     " WHERE i.billing_period = ?1 AND p.resource_id IS NOT NULL"
			     " AND p.resource_id <> '' GROUP BY p.resource_id"
			     " ORDER BY p.resource_id",
			     "SELECT resource_id AS rid, sum(billed_cost) FROM line"
			     " WHERE billing_period = ?1 AND ifNull(resource_id, '') != ''"
			     " GROUP BY rid ORDER BY rid",
			     c->err);
	if (!q)
		return CT_E_DB;
	ct_stmt_bind_str(q, 1, c->r->billing_month);
	while ((rc = ct_stmt_step(q, c->err)) == 1) {
		c->b = ct_xrealloc(c->b, (c->nb + 1) * sizeof(*c->b));
		c->b[c->nb].id = ct_xstrdup(ct_stmt_text(q, 0));
		c->b[c->nb].cost = ct_stmt_int64(q, 1);
		c->nb++;
	}
	ct_stmt_finalize(q);
	if (rc < 0)
		return CT_E_DB;
	/* ORDER BY uses SQLite's BINARY collation: memcmp order, as strcmp */
	return CT_OK;
}

/* The window: window_days ending on the latest metric day not after now,
 * or on today when there are no metrics. */
static int pick_window(struct ctx *c)
{
	struct ct_stmt *q;
	int64_t today = ct_clock_day(c->r->opts.now);
	int rc;

	q = ct_store_prepare(c->st, "SELECT max(day) FROM metric_day WHERE day <= ?1", c->err);
	if (!q)
		return CT_E_DB;
	ct_stmt_bind_int64(q, 1, today);
	rc = ct_stmt_step(q, c->err);
	c->r->window_last = today;
	if (rc == 1 && !ct_stmt_is_null(q, 0)) {
		c->r->window_last = ct_stmt_int64(q, 0);
		c->r->has_metrics = true;
	}
	ct_stmt_finalize(q);
	if (rc < 0)
		return CT_E_DB;
	c->r->window_first = c->r->window_last - c->r->opts.window_days + 1;
	return CT_OK;
}

static const char *ec2_os(const char *platform)
{
	if (!platform)
		return "linux";
	if (strstr(platform, "Windows"))
		return "windows";
	if (strstr(platform, "Red Hat"))
		return "rhel";
	if (strstr(platform, "SUSE"))
		return "suse";
	return "linux";
}

/* Catalog price of a month of one on-demand instance. */
static bool ec2_price(const struct ctx *c, const char *region, const char *type,
		      const char *platform, ct_money *out)
{
	struct ct_ec2_spec s = {0};
	struct ct_cost cost;
	struct ct_err e;

	if (!c->cat || !region || !*region || !type || !*type)
		return false;
	ct_err_init(&e);
	s.region = region;
	s.type = type;
	s.os = ec2_os(platform);
	s.buy = CT_BUY_ONDEMAND;
	if (ct_compute_ec2(c->cat, &s, &cost, &e) != CT_OK)
		return false;
	*out = cost.monthly;
	return true;
}

static bool ebs_price(const struct ctx *c, const char *region, const char *type, double gb,
		      double iops, ct_money *out)
{
	struct ct_ebs_spec s = {0};
	struct ct_cost cost;
	struct ct_err e;

	if (!c->cat || !region || !*region)
		return false;
	ct_err_init(&e);
	s.region = region;
	s.type = type && *type ? type : "gp2";
	s.gb = gb;
	if (!strcmp(s.type, "io1") || !strcmp(s.type, "io2") || !strcmp(s.type, "gp3"))
		s.iops = iops;
	if (ct_storage_ebs(c->cat, &s, &cost, &e) != CT_OK)
		return false;
	*out = cost.monthly;
	return true;
}

/* Set monthly_cost from billing, else from the catalog price given. */
static void set_cost(const struct ctx *c, struct ct_finding *f, bool has_catalog, ct_money catalog)
{
	ct_money b;

	if (billed(c, f->resource_id, &b)) {
		f->monthly_cost = b;
		ev_add(f, "source", false, "billing");
		ev_add(f, "billing_month", false, "%s", c->r->billing_month);
		if (has_catalog)
			ev_money(f, "catalog_monthly_cost", catalog);
	} else if (has_catalog) {
		f->monthly_cost = catalog;
		ev_add(f, "source", false, "catalog");
	} else {
		f->monthly_cost = 0;
		ev_add(f, "source", false, "none");
	}
}

/* EC2 sizes from small to large; a type is FAMILY.SIZE. */
static const char *const sizes[] = {
	"nano",	    "micro",	"small",    "medium",	 "large",    "xlarge",
	"2xlarge",  "3xlarge",	"4xlarge",  "6xlarge",	 "8xlarge",  "9xlarge",
	"10xlarge", "12xlarge", "16xlarge", "18xlarge",	 "24xlarge", "32xlarge",
	"48xlarge", "56xlarge", "96xlarge", "112xlarge",
};

/* The next smaller size of type's family the catalog knows (new string),
 * or NULL when type is the smallest it knows. *priced says whether the
 * catalog has an on-demand price for it in region (then in *price). */
static char *smaller_type(const struct ctx *c, const char *region, const char *type,
			  const char *platform, ct_money *price, bool *priced)
{
	const char *dot = type ? strchr(type, '.') : NULL;
	size_t i, k = CT_NELEM(sizes);
	char *cand;
	int vcpu;
	double mem;

	*priced = false;
	if (!dot || !c->cat)
		return NULL;
	for (i = 0; i < CT_NELEM(sizes); i++)
		if (!strcmp(dot + 1, sizes[i]))
			k = i;
	if (k == CT_NELEM(sizes))
		return NULL;
	while (k-- > 0) {
		cand = ct_xasprintf("%.*s.%s", (int)(dot - type), type, sizes[k]);
		if (ct_catalog_instance(c->cat, cand, &vcpu, &mem)) {
			*priced = ec2_price(c, region, cand, platform, price);
			return cand;
		}
		free(cand);
	}
	return NULL;
}

/* CPU and network of one resource over the window, from one ordered
 * scan of metric_day (pairing days in C is several times faster than a
 * self-join of metric_day in SQL: 10,000 instances x 14 days well under
 * a second). */
struct usage {
	char *id;
	long days;   /* days with a CPU figure */
	double avg;  /* of the daily CPU averages */
	double peak; /* largest daily CPU average */
	long idle;   /* days meeting the idle rule */
	double mem_peak; /* largest memory-used sample, % (mem_used_pct) */
	bool has_mem;
};

static int usage_cmp(const void *a, const void *b)
{
	return strcmp(((const struct usage *)a)->id, ((const struct usage *)b)->id);
}

/* Per-day figures of the resource being scanned. */
struct days {
	double *cpu, *net;
	bool *has_cpu, *has_net;
	int n;
	double mem_peak;
	bool has_mem;
};

static void usage_flush(const struct ctx *c, struct days *d, const char *id, struct usage **u,
			size_t *nu)
{
	const struct ct_recommend_opts *o = &c->r->opts;
	struct usage x = {0};
	double sum = 0;
	int i;

	for (i = 0; i < d->n; i++) {
		if (!d->has_cpu[i])
			continue;
		if (x.days == 0 || d->cpu[i] > x.peak)
			x.peak = d->cpu[i];
		x.days++;
		sum += d->cpu[i];
		if (d->cpu[i] <= o->idle_cpu && d->has_net[i] && d->net[i] <= o->idle_net_mb * 1e6)
			x.idle++;
	}
	x.mem_peak = d->mem_peak;
	x.has_mem = d->has_mem;
	if (x.days > 0) {
		x.avg = sum / (double)x.days;
		x.id = ct_xstrdup(id);
		*u = ct_xrealloc(*u, (*nu + 1) * sizeof(**u));
		(*u)[(*nu)++] = x;
	}
	memset(d->has_cpu, 0, (size_t)d->n * sizeof(bool));
	memset(d->has_net, 0, (size_t)d->n * sizeof(bool));
	memset(d->net, 0, (size_t)d->n * sizeof(double));
	d->mem_peak = 0;
	d->has_mem = false;
}

static int load_usage(const struct ctx *c, struct usage **u, size_t *nu)
{
	struct ct_stmt *q;
	struct days d;
	char *cur = NULL;
	int rc;

	*u = NULL;
	*nu = 0;
	/* "+" keeps SQLite on the primary key order: one sequential scan */
	q = ct_store_prepare(c->st,
			     "SELECT resource_id, metric, day, value, peak FROM metric_day"
			     " WHERE +metric IN ('cpu_avg_pct', 'net_in_bytes', 'net_out_bytes',"
			     " 'mem_used_pct')"
			     " AND +day BETWEEN ?1 AND ?2 ORDER BY resource_id",
			     c->err);
	if (!q)
		return CT_E_DB;
	ct_stmt_bind_int64(q, 1, c->r->window_first);
	ct_stmt_bind_int64(q, 2, c->r->window_last);
	d.n = c->r->opts.window_days;
	d.cpu = ct_xcalloc((size_t)d.n, sizeof(double));
	d.net = ct_xcalloc((size_t)d.n, sizeof(double));
	d.has_cpu = ct_xcalloc((size_t)d.n, sizeof(bool));
	d.has_net = ct_xcalloc((size_t)d.n, sizeof(bool));
	d.mem_peak = 0;
	d.has_mem = false;
	while ((rc = ct_stmt_step(q, c->err)) == 1) {
		const char *id = ct_stmt_text(q, 0), *m = ct_stmt_text(q, 1);
		int k = (int)(ct_stmt_int64(q, 2) - c->r->window_first);
		double v = ct_stmt_double(q, 3);

		if (!cur || strcmp(cur, id)) {
			if (cur)
				usage_flush(c, &d, cur, u, nu);
			free(cur);
			cur = ct_xstrdup(id);
		}
		if (k < 0 || k >= d.n)
			continue;
		if (!strcmp(m, "cpu_avg_pct")) {
			d.cpu[k] = v;
			d.has_cpu[k] = true;
		} else if (!strcmp(m, "mem_used_pct")) {
			double p = ct_stmt_double(q, 4);
			if (!d.has_mem || p > d.mem_peak)
				d.mem_peak = p;
			d.has_mem = true;
		} else {
			d.net[k] += v;
			d.has_net[k] = true;
		}
	}
	if (cur && rc == 0)
		usage_flush(c, &d, cur, u, nu);
	free(cur);
	free(d.cpu);
	free(d.net);
	free(d.has_cpu);
	free(d.has_net);
	ct_stmt_finalize(q);
	if (rc < 0)
		return CT_E_DB;
	/* ORDER BY used the BINARY collation (memcmp), the order of strcmp;
	 * sort anyway so bsearch never depends on the plan */
	if (*nu)
		qsort(*u, *nu, sizeof(**u), usage_cmp);
	return CT_OK;
}

static int instances(struct ctx *c)
{
	const struct ct_recommend_opts *o = &c->r->opts;
	struct ct_stmt *q = NULL, *vq = NULL;
	struct usage *use = NULL, key;
	size_t nuse = 0, i;
	int rc = -1;

	if (load_usage(c, &use, &nuse) != CT_OK)
		return CT_E_DB;
	q = ct_store_prepare(c->st,
			     "SELECT resource_id, account_id, region, instance_type, state,"
			     " state_since, platform FROM resource WHERE kind = 'instance'"
			     " ORDER BY resource_id, account_id, region",
			     c->err);
	if (!q)
		goto out;
	vq = ct_store_prepare(c->st,
			      "SELECT resource_id, volume_type, size_gb, iops FROM resource"
			      " WHERE kind = 'volume' AND attached_to = ?1 AND account_id = ?2"
			      " AND region = ?3 ORDER BY resource_id",
			      c->err);
	if (!vq)
		goto out;
	while ((rc = ct_stmt_step(q, c->err)) == 1) {
		const char *id = ct_stmt_text(q, 0), *acct = ct_stmt_text(q, 1);
		const char *region = ct_stmt_text(q, 2), *type = ct_stmt_text(q, 3);
		const char *state = ct_stmt_text(q, 4), *plat = ct_stmt_text(q, 6);
		const struct usage *u;
		bool has_cpu;
		long days = 0, idle = 0;
		double avg = 0, peak = 0;
		ct_money price = 0, small = 0;
		bool has_price;
		struct ct_finding *f;

		key.id = (char *)id;
		u = nuse ? bsearch(&key, use, nuse, sizeof(*use), usage_cmp) : NULL;
		has_cpu = u != NULL;
		if (u) {
			days = u->days;
			avg = u->avg;
			idle = u->idle;
			peak = u->peak;
		}
		if (!has_cpu && !(state && !strcmp(state, "stopped")))
			continue;
		has_price = ec2_price(c, region, type, plat, &price);

		if (state && !strcmp(state, "stopped")) {
			int64_t since = ct_stmt_is_null(q, 5) ? 0 : ct_stmt_int64(q, 5);
			ct_money vols = 0, vc, b;
			long nvol = 0, ncat = 0, nbill = 0;
			char *list = NULL;

			if (ct_stmt_is_null(q, 5) ||
			    o->now - since < (int64_t)o->stopped_days * 86400)
				continue;
			ct_stmt_reset(vq);
			ct_stmt_bind_str(vq, 1, id);
			ct_stmt_bind_str(vq, 2, acct);
			ct_stmt_bind_str(vq, 3, region);
			while ((rc = ct_stmt_step(vq, c->err)) == 1) {
				const char *vid = ct_stmt_text(vq, 0);
				char *nl;

				if (billed(c, vid, &b)) {
					vols += b;
					nbill++;
				} else if (ebs_price(c, region, ct_stmt_text(vq, 1),
						     ct_stmt_double(vq, 2), ct_stmt_double(vq, 3),
						     &vc)) {
					vols += vc;
					ncat++;
				}
				nl = ct_xasprintf("%s%s%s", list ? list : "", list ? " " : "", vid);
				free(list);
				list = nl;
				nvol++;
			}
			if (rc < 0)
				break;
			if (nvol == 0) {
				free(list);
				continue;
			}
			f = add(c, "stopped_instance", id, type, region, acct,
				"snapshot_volumes_and_terminate");
			f->monthly_cost = vols;
			f->savings = vols;
			ev_add(f, "source", false, "%s",
			       nbill && ncat ? "billing+catalog"
			       : nbill	     ? "billing"
			       : ncat	     ? "catalog"
					     : "none");
			ev_add(f, "volumes", false, "%s", list);
			ev_num(f, "stopped_days", (double)((o->now - since) / 86400));
			{
				char d[11];
				ct_clock_format_day(ct_clock_day(since), d);
				ev_add(f, "stopped_since", false, "%s", d);
			}
			free(list);
			continue;
		}
		if (state && strcmp(state, "running") && strcmp(state, "pending"))
			continue;
		if (!has_cpu)
			continue;
		if (idle >= o->idle_days) {
			f = add(c, "idle_instance", id, type, region, acct, "stop_or_terminate");
			set_cost(c, f, has_price, price);
			f->savings = f->monthly_cost;
			ev_num(f, "idle_days", (double)idle);
			ev_num(f, "days_with_data", (double)days);
			ev_num(f, "avg_cpu_pct", avg);
			ev_num(f, "max_daily_cpu_pct", peak);
		} else if (avg < o->low_cpu) {
			bool priced;
			char *to = smaller_type(c, region, type, plat, &small, &priced);
			int vcpu, to_vcpu = 0;
			double mem = 0, to_mem = 0, used = 0;
			bool has_mem = c->cat && ct_catalog_instance(c->cat, type, &vcpu, &mem);
			bool mem_bound = false;

			/* the smaller size must hold the memory peak, when known */
			if (to && c->cat && ct_catalog_instance(c->cat, to, &to_vcpu, &to_mem) &&
			    u->has_mem && has_mem) {
				used = u->mem_peak / 100.0 * mem;
				mem_bound = used > to_mem;
			}
			if (mem_bound) {
				free(to);
				to = NULL;
			}
			f = add(c, "low_cpu_instance", id, type, region, acct,
				to	    ? "downsize"
				: mem_bound ? "none_memory_bound"
					    : "none_smallest_size");
			set_cost(c, f, has_price, price);
			ev_num(f, "avg_cpu_pct", avg);
			ev_num(f, "days_with_data", (double)days);
			ev_num(f, "max_daily_cpu_pct", peak);
			if (has_mem) {
				ev_num(f, "vcpu", vcpu);
				ev_num(f, "memory_gib", mem);
			}
			if (u->has_mem) {
				ev_num(f, "memory_peak_pct", u->mem_peak);
				if (has_mem)
					ev_num(f, "memory_used_gib", u->mem_peak / 100.0 * mem);
			} else {
				ev_add(f, "memory_used", false, "unknown");
			}
			if (to) {
				f->recommended_type = to;
				if (priced && has_price && price > small)
					f->savings = price - small;
				if (priced)
					ev_money(f, "recommended_monthly_cost", small);
				if (!priced || !has_price)
					ev_add(f, "note", false,
					       "no catalog price for %s or %s in %s: saving not "
					       "known",
					       to, type ? type : "",
					       region && *region ? region : "(no region)");
				if (to_mem > 0) {
					ev_num(f, "recommended_vcpu", to_vcpu);
					ev_num(f, "recommended_memory_gib", to_mem);
				}
			} else if (mem_bound) {
				ev_add(f, "note", false,
				       "the memory peak (%.1f GiB) does not fit the next smaller "
				       "size (%.0f GiB): keep this size or move to a family with "
				       "less CPU per GiB",
				       used, to_mem);
			} else {
				ev_add(f, "note", false, "%s",
				       "the smallest size of its family the catalog knows");
			}
		}
	}
out:
	ct_stmt_finalize(vq);
	ct_stmt_finalize(q);
	for (i = 0; i < nuse; i++)
		free(use[i].id);
	free(use);
	return rc < 0 ? CT_E_DB : CT_OK;
}

static int volumes(struct ctx *c)
{
	struct ct_stmt *q;
	int rc;

	q = ct_store_prepare(
		c->st,
		"SELECT resource_id, account_id, region, volume_type, size_gb, iops,"
		" created_at FROM resource WHERE kind = 'volume' AND state = 'available'"
		" ORDER BY resource_id, account_id, region",
		c->err);
	if (!q)
		return CT_E_DB;
	while ((rc = ct_stmt_step(q, c->err)) == 1) {
		const char *vt = ct_stmt_text(q, 3);
		double gb = ct_stmt_double(q, 4);
		ct_money p = 0;
		bool has = ebs_price(c, ct_stmt_text(q, 2), vt, gb, ct_stmt_double(q, 5), &p);
		struct ct_finding *f =
			add(c, "unattached_volume", ct_stmt_text(q, 0), vt ? vt : "",
			    ct_stmt_text(q, 2), ct_stmt_text(q, 1), "snapshot_and_delete");

		set_cost(c, f, has, p);
		f->savings = f->monthly_cost;
		ev_add(f, "state", false, "available");
		ev_num(f, "size_gb", gb);
	}
	ct_stmt_finalize(q);
	return rc < 0 ? CT_E_DB : CT_OK;
}

static int addresses(struct ctx *c)
{
	struct ct_stmt *q;
	int rc;

	q = ct_store_prepare(
		c->st,
		"SELECT resource_id, account_id, region FROM resource"
		" WHERE kind = 'address' AND (association_id IS NULL OR association_id = '')"
		" AND (attached_to IS NULL OR attached_to = '')"
		" ORDER BY resource_id, account_id, region",
		c->err);
	if (!q)
		return CT_E_DB;
	while ((rc = ct_stmt_step(q, c->err)) == 1) {
		struct ct_cost cost;
		struct ct_err e;
		const char *region = ct_stmt_text(q, 2);
		bool has = false;
		struct ct_finding *f;

		ct_err_init(&e);
		/* the IPv4 price is the same everywhere: us-east-1 when the
		 * address has no region */
		if (c->cat)
			has = ct_network_ipv4(c->cat, region && *region ? region : "us-east-1", 1,
					      &cost, &e) == CT_OK;
		f = add(c, "unassociated_address", ct_stmt_text(q, 0), "elastic_ip", region,
			ct_stmt_text(q, 1), "release");
		set_cost(c, f, has, has ? cost.monthly : 0);
		f->savings = f->monthly_cost;
		ev_add(f, "association", false, "none");
	}
	ct_stmt_finalize(q);
	return rc < 0 ? CT_E_DB : CT_OK;
}

static int snapshots(struct ctx *c)
{
	const struct ct_recommend_opts *o = &c->r->opts;
	struct ct_stmt *q;
	int rc;

	q = ct_store_prepare(
		c->st,
		"SELECT resource_id, account_id, region, size_gb, created_at FROM resource"
		" WHERE kind = 'snapshot' AND created_at IS NOT NULL AND created_at < ?1"
		" ORDER BY resource_id, account_id, region",
		c->err);
	if (!q)
		return CT_E_DB;
	ct_stmt_bind_int64(q, 1, o->now - (int64_t)o->snapshot_days * 86400);
	while ((rc = ct_stmt_step(q, c->err)) == 1) {
		struct ct_cost cost;
		struct ct_err e;
		const char *region = ct_stmt_text(q, 2);
		double gb = ct_stmt_double(q, 3);
		int64_t created = ct_stmt_int64(q, 4);
		bool has = false;
		struct ct_finding *f;
		char d[11];

		ct_err_init(&e);
		if (c->cat && region && *region)
			has = ct_storage_snapshot(c->cat, region, gb, &cost, &e) == CT_OK;
		f = add(c, "old_snapshot", ct_stmt_text(q, 0), "snapshot", region,
			ct_stmt_text(q, 1), "review_and_delete");
		set_cost(c, f, has, has ? cost.monthly : 0);
		f->savings = f->monthly_cost;
		ct_clock_format_day(ct_clock_day(created), d);
		ev_add(f, "created", false, "%s", d);
		ev_num(f, "age_days", (double)((o->now - created) / 86400));
		ev_num(f, "size_gb", gb);
		ev_add(f, "size_basis", false, "volume size (snapshots bill changed blocks)");
	}
	ct_stmt_finalize(q);
	return rc < 0 ? CT_E_DB : CT_OK;
}

static const char *lb_kind(const char *t)
{
	if (!t)
		return "alb";
	if (!strcmp(t, "network"))
		return "nlb";
	if (!strcmp(t, "gateway"))
		return "gwlb";
	return "alb";
}

static int load_balancers(struct ctx *c)
{
	struct ct_stmt *q;
	int rc;

	q = ct_store_prepare(c->st,
			     "SELECT r.resource_id, r.account_id, r.region, r.lb_type,"
			     " sum(h.targets), sum(h.healthy), count(*)"
			     " FROM resource r JOIN lb_target_health h"
			     " ON h.load_balancer = r.resource_id OR h.load_balancer = r.name"
			     " WHERE r.kind = 'load_balancer'"
			     " GROUP BY r.id HAVING sum(h.healthy) = 0"
			     " ORDER BY r.resource_id, r.account_id, r.region",
			     c->err);
	if (!q)
		return CT_E_DB;
	while ((rc = ct_stmt_step(q, c->err)) == 1) {
		struct ct_cost cost;
		struct ct_err e;
		const char *region = ct_stmt_text(q, 2), *t = ct_stmt_text(q, 3);
		bool has = false;
		struct ct_finding *f;

		ct_err_init(&e);
		if (c->cat && region && *region)
			has = ct_network_lb(c->cat, region, lb_kind(t), 1, 0, 0, &cost, &e) ==
			      CT_OK;
		f = add(c, "idle_load_balancer", ct_stmt_text(q, 0), t ? t : "", region,
			ct_stmt_text(q, 1), "delete");
		set_cost(c, f, has, has ? cost.monthly : 0);
		f->savings = f->monthly_cost;
		ev_num(f, "targets", (double)ct_stmt_int64(q, 4));
		ev_num(f, "healthy_targets", 0);
		ev_num(f, "target_groups", (double)ct_stmt_int64(q, 6));
	}
	ct_stmt_finalize(q);
	return rc < 0 ? CT_E_DB : CT_OK;
}

static int finding_rid_cmp(const void *a, const void *b)
{
	const struct ct_finding *x = *(const struct ct_finding *const *)a;
	const struct ct_finding *y = *(const struct ct_finding *const *)b;

	return strcmp(x->resource_id, y->resource_id);
}

/* The Compute Optimizer exports in the store: each one joins cloudtally's
 * finding on the same resource, and that finding gets its verdict as
 * evidence. */
static int optimizer(struct ctx *c)
{
	struct ct_recommend *r = c->r;
	const struct ct_finding **by = NULL;
	struct ct_stmt *q;
	size_t cap = 0;
	int rc;

	q = ct_store_prepare(c->st,
			     "SELECT resource_id, kind, account_id, region, finding, current_config,"
			     " recommended, monthly_savings, performance_risk"
			     " FROM optimizer_rec ORDER BY kind, resource_id", c->err);
	if (!q)
		return CT_E_DB;
	if (r->n) {
		by = ct_xmalloc(r->n * sizeof(*by));
		for (size_t i = 0; i < r->n; i++)
			by[i] = &r->f[i];
		qsort(by, r->n, sizeof(*by), finding_rid_cmp);
	}
	while ((rc = ct_stmt_step(q, c->err)) == 1) {
		struct ct_optimizer *o;
		struct ct_finding key = {.resource_id = (char *)ct_stmt_text(q, 0)};
		const struct ct_finding *kp = &key, **hit = NULL;

		CT_GROW(r->opt, r->nopt + 1, cap);
		o = &r->opt[r->nopt++];
		memset(o, 0, sizeof(*o));
		o->resource_id = ct_xstrdup(ct_stmt_text(q, 0));
		o->kind = ct_xstrdup(ct_stmt_text(q, 1));
		o->account_id = ct_xstrdup(ct_stmt_text(q, 2));
		o->region = ct_xstrdup(ct_stmt_text(q, 3));
		o->finding = ct_xstrdup(ct_stmt_text(q, 4));
		o->current = ct_stmt_is_null(q, 5) ? NULL : ct_xstrdup(ct_stmt_text(q, 5));
		o->recommended = ct_stmt_is_null(q, 6) ? NULL : ct_xstrdup(ct_stmt_text(q, 6));
		o->has_savings = !ct_stmt_is_null(q, 7);
		o->savings = o->has_savings ? ct_stmt_int64(q, 7) : 0;
		o->risk = ct_stmt_is_null(q, 8) ? -1 : ct_stmt_double(q, 8);
		if (by)
			hit = bsearch(&kp, by, r->n, sizeof(*by), finding_rid_cmp);
		if (hit) {
			struct ct_finding *f = (struct ct_finding *)*hit;
			o->ours = f->kind;
			ev_add(f, "compute_optimizer_finding", false, "%s", o->finding);
			if (o->recommended)
				ev_add(f, "compute_optimizer_recommended", false, "%s", o->recommended);
			if (o->has_savings)
				ev_money(f, "compute_optimizer_monthly_savings", o->savings);
		}
	}
	ct_stmt_finalize(q);
	free(by);
	return rc < 0 ? CT_E_DB : CT_OK;
}

static int databases(struct ctx *c)
{
	const struct ct_recommend_opts *o = &c->r->opts;
	struct ct_stmt *q;
	int rc;

	q = ct_store_prepare(c->st,
			     "SELECT r.resource_id, r.account_id, r.region, r.db_class, r.engine,"
			     " r.multi_az, r.volume_type, r.size_gb, r.iops, r.name"
			     " FROM resource r WHERE r.kind = 'db_instance' AND"
			     " (SELECT count(*) FROM metric_day m WHERE m.metric = 'db_connections'"
			     "  AND m.resource_id IN (r.resource_id, r.name)"
			     "  AND m.day BETWEEN ?1 AND ?2 AND m.value = 0) = ?3"
			     " ORDER BY r.resource_id, r.account_id, r.region",
			     c->err);
	if (!q)
		return CT_E_DB;
	ct_stmt_bind_int64(q, 1, c->r->window_last - o->db_days + 1);
	ct_stmt_bind_int64(q, 2, c->r->window_last);
	ct_stmt_bind_int64(q, 3, o->db_days);
	while ((rc = ct_stmt_step(q, c->err)) == 1) {
		struct ct_rds_spec s = {0};
		struct ct_cost cost;
		struct ct_err e;
		const char *region = ct_stmt_text(q, 2);
		bool has = false;
		struct ct_finding *f;

		ct_err_init(&e);
		s.region = region;
		s.instance = ct_stmt_text(q, 3);
		s.engine = ct_stmt_text(q, 4);
		s.multi_az = !ct_stmt_is_null(q, 5) && ct_stmt_int64(q, 5);
		s.storage_type = ct_stmt_text(q, 6);
		s.gb = ct_stmt_double(q, 7);
		s.iops = ct_stmt_double(q, 8);
		if (c->cat && region && *region && s.instance && s.engine)
			has = ct_database_rds(c->cat, &s, &cost, &e) == CT_OK;
		f = add(c, "idle_database", ct_stmt_text(q, 0), s.instance, region,
			ct_stmt_text(q, 1), "stop_or_delete");
		set_cost(c, f, has, has ? cost.monthly : 0);
		f->savings = f->monthly_cost;
		ev_num(f, "days_without_connections", o->db_days);
	}
	ct_stmt_finalize(q);
	return rc < 0 ? CT_E_DB : CT_OK;
}

/* ---- Commitments: reserved instances, savings plans and spot ----
 *
 * RULE: recommend.ondemand-usage -- the on-demand EC2 usage is the
 * billing lines (line, profile) with service_name 'Amazon Elastic Compute
 * Cloud' / 'Amazon EC2' / 'AmazonEC2', charge_category 'Usage' (or
 * empty), pricing_category 'Standard' / 'On-Demand' (or empty), a unit of
 * hours (pricing_unit or consumed_unit starting 'Hour' or 'Hrs'), no
 * commitment discount applied and a region. The instance type is read, in
 * this order, from charge_description ("$0.096 per On Demand Linux
 * m5.large Instance Hour": the word before " Instance Hour"; both the
 * FOCUS sample and gen-focus write it so, while their SkuId is the same
 * for every type), from a "BoxUsage:TYPE" usage type in sku_meter or the
 * description, else from the inventory (resource.instance_type of
 * resource_id). Lines with none are skipped.
 *
 * RULE: recommend.baseline -- the usage window is the usage_days (30)
 * ending at the latest charge_end of those lines (started by now),
 * clipped to the first charge_start. Each line spreads
 * pricing_quantity / its length in hours instances evenly over the hours
 * it covers; the running count of (type, region, OS) in each hour of the
 * window is the sum; the baseline is the floor of its minimum over the
 * hours (daily lines give hours / 24 a day). Only the baseline is
 * committed. Observed utilisation of the commitment = sum over hours of
 * min(running, baseline) / (baseline x hours): 1 unless a line is
 * missing.
 *
 * RULE: recommend.commitment-math -- per option (standard RI and
 * savings plan, 1y/3y x no/partial/all upfront) from ct_compute_ec2:
 * E = effective (amortized) hourly, OD = on-demand hourly, R = recurring
 * hourly, U = upfront, n = baseline; monthly saving = n x 730 x (OD - E);
 * at utilisation u: n x 730 x (u x OD - E); break_even_months =
 * U / (n x 730 x (OD - R)) (the month the on-demand spend avoided pays
 * the upfront, AWS's EstimatedBreakEvenInMonths; 0 for no upfront);
 * payback_months = U / monthly saving. Savings plans are priced only
 * where the catalog has a compute (else ec2instance) rate; there is no
 * ratio fallback for them. A reserved price missing from the catalog uses
 * the ratio fallback of ct_compute_ec2 and is marked estimated.
 *
 * RULE: recommend.spot -- running instances of the inventory tagged
 * spot_tag_key = spot_tag_value (case-insensitive value), or members of an
 * EKS node group (tag eks:nodegroup-name) or auto-scaling group (tag
 * aws:autoscaling:groupName), grouped by (type, region, OS): saving =
 * count x 730 x (OD - spot rate), the interruption band from the catalog.
 *
 * RULE: recommend.total -- the total counts every finding and, per
 * (type, region, OS), only the commitment option with the largest monthly
 * saving (marked best): an instance is reserved, covered by a plan or run
 * on spot, not all three. totals_by_kind sums the best option of each
 * kind per (type, region, OS).
 */

struct useg {
	char *type, *region;
	const char *os;
	double *run; /* instances per hour slot */
	double hours;
	int64_t *units; /* while loading: 1e-9 instance hours per slot */
	int64_t hunits; /* and in all */
};

struct usage_set {
	struct useg *g;
	size_t n;
	size_t slots;
	int64_t first;
};

static const char *desc_os(const char *d)
{
	if (!d)
		return "linux";
	if (strstr(d, "Windows"))
		return "windows";
	if (strstr(d, "RHEL") || strstr(d, "Red Hat"))
		return "rhel";
	if (strstr(d, "SUSE") || strstr(d, "SLES"))
		return "suse";
	return "linux";
}

/* The instance type in s (see recommend.ondemand-usage), new string or
 * NULL. */
static char *type_of(const char *s)
{
	const char *p, *b;

	if (!s)
		return NULL;
	p = strstr(s, "BoxUsage:");
	if (p) {
		p += 9;
		for (b = p; *b && *b != ' ' && *b != ',' && *b != ';'; b++)
			;
		if (b > p && memchr(p, '.', (size_t)(b - p)))
			return ct_xstrndup(p, (size_t)(b - p));
	}
	p = strstr(s, " Instance Hour");
	if (!p)
		return NULL;
	for (b = p; b > s && b[-1] != ' '; b--)
		;
	if (b < p && memchr(b, '.', (size_t)(p - b)))
		return ct_xstrndup(b, (size_t)(p - b));
	return NULL;
}

static struct useg *useg_get(struct usage_set *u, const char *type, const char *region,
			     const char *os)
{
	size_t i;

	for (i = 0; i < u->n; i++)
		if (!strcmp(u->g[i].type, type) && !strcmp(u->g[i].region, region) &&
		    u->g[i].os == os)
			return &u->g[i];
	u->g = ct_xrealloc(u->g, (u->n + 1) * sizeof(*u->g));
	u->g[u->n].type = ct_xstrdup(type);
	u->g[u->n].region = ct_xstrdup(region);
	u->g[u->n].os = os;
	u->g[u->n].run = ct_xcalloc(u->slots, sizeof(double));
	u->g[u->n].hours = 0;
	u->g[u->n].units = ct_xcalloc(u->slots, sizeof(int64_t));
	u->g[u->n].hunits = 0;
	return &u->g[u->n++];
}

/* The profiles of on-demand EC2 instance hours. The few profiles are
 * picked first (a materialised CTE), then the lines are scanned once and
 * matched by profile id through an automatic index: the string tests run
 * per profile, not per line, which is 3-5 times faster on a million
 * lines (the line table has no index on profile_id). */
#define EC2_PROFILE_WHERE                                                                     \
	" WHERE p.service_name IN ('Amazon Elastic Compute Cloud', 'Amazon EC2', 'AmazonEC2')" \
	" AND coalesce(p.charge_category, 'Usage') IN ('Usage', '')"                          \
	" AND (p.pricing_category IS NULL OR p.pricing_category IN"                           \
	"  ('Standard', 'On-Demand', 'OnDemand', ''))"                                        \
	" AND (coalesce(p.pricing_unit, '') LIKE 'Hour%' OR coalesce(p.pricing_unit, '') LIKE 'Hrs%'" \
	"  OR coalesce(p.consumed_unit, '') LIKE 'Hour%' OR coalesce(p.consumed_unit, '') LIKE 'Hrs%')" \
	" AND coalesce(p.commitment_discount_id, '') = ''"                                    \
	" AND coalesce(p.region_id, '') <> ''"
/* The same test on the ClickHouse line table. */
#define CH_EC2_WHERE                                                                          \
	" WHERE ifNull(service_name, '') IN ('Amazon Elastic Compute Cloud', 'Amazon EC2',"      \
	"  'AmazonEC2')"                                                                       \
	" AND ifNull(charge_category, 'Usage') IN ('Usage', '')"                              \
	" AND (isNull(pricing_category) OR ifNull(pricing_category, '') IN"                   \
	"  ('Standard', 'On-Demand', 'OnDemand', ''))"                                        \
	" AND (ifNull(pricing_unit, '') LIKE 'Hour%' OR ifNull(pricing_unit, '') LIKE 'Hrs%'" \
	"  OR ifNull(consumed_unit, '') LIKE 'Hour%' OR ifNull(consumed_unit, '') LIKE 'Hrs%')" \
	" AND ifNull(commitment_discount_id, '') = ''"                                        \
	" AND ifNull(region_id, '') != ''"

/* Instance hours of one line in one hour slot, in units of 1e-9 hours:
 * integers, so the slot sums do not depend on the order of the lines.
 * The ClickHouse query in load_ondemand() computes the same expression
 * operation for operation. */
static int64_t slot_units(double inst, int64_t secs)
{
	return (int64_t)floor(inst * (double)secs / 3600.0 * 1e9 + 0.5);
}

/* Deciding each profile's group once. */
struct prof_ctx {
	struct ctx *c;
	struct usage_set *u;
	struct ct_hash_map advised; /* resources advised to stop or shrink */
	struct ct_stmt *itq;        /* ClickHouse: the inventory's instance type */
};

/* The group (index + 1) of a profile, or 0 to leave it out. */
static int64_t profile_group(struct prof_ctx *p, const char *region, const char *desc,
			     const char *meter, const char *inv_type, const char *rid)
{
	char *type = type_of(desc);
	int64_t hit, gi = 0;

	if (!type)
		type = type_of(meter);
	if (!type && p->itq && rid && *rid) {
		ct_stmt_bind_str(p->itq, 1, rid);
		if (ct_stmt_step(p->itq, p->c->err) == 1 && !ct_stmt_is_null(p->itq, 0) &&
		    *ct_stmt_text(p->itq, 0))
			type = ct_xstrdup(ct_stmt_text(p->itq, 0));
		ct_stmt_reset(p->itq);
	}
	if (!type && inv_type && *inv_type)
		type = ct_xstrdup(inv_type);
	if (type && !(rid && *rid &&
		      ct_hash_map_get(&p->advised, ct_hash_bytes(rid, strlen(rid), 5), &hit)))
		gi = (int64_t)(useg_get(p->u, type, region, desc_os(desc)) - p->u->g) + 1;
	free(type);
	return gi;
}

/* SQLite: every line in the window, in store order. */
static int scan_lines(struct prof_ctx *p, int64_t start, int64_t end)
{
	struct ctx *c = p->c;
	struct usage_set *u = p->u;
	struct ct_hash_map byprof;
	struct ct_stmt *q;
	int rc;

	q = ct_store_prepare(
		c->st,
		"WITH ep AS MATERIALIZED (SELECT p.id, p.region_id, p.charge_description,"
		" p.sku_meter, (SELECT r.instance_type FROM resource r WHERE r.kind = 'instance'"
		"  AND r.resource_id = p.resource_id AND r.resource_id <> ''"
		"  ORDER BY r.id LIMIT 1) AS instance_type, p.resource_id FROM profile p"
		EC2_PROFILE_WHERE ")"
		" SELECT l.charge_start, l.charge_end, coalesce(l.pricing_quantity,"
		" l.consumed_quantity, 0), ep.region_id, ep.charge_description, ep.sku_meter,"
		" ep.instance_type, ep.resource_id, ep.id FROM line l"
		" CROSS JOIN ep ON ep.id = l.profile_id"
		" WHERE l.charge_end > l.charge_start AND l.charge_end > ?1 AND l.charge_start < ?2",
		c->err);
	if (!q)
		return CT_E_DB;
	ct_stmt_bind_int64(q, 1, start);
	ct_stmt_bind_int64(q, 2, end);
	ct_hash_map_init(&byprof);
	while ((rc = ct_stmt_step(q, c->err)) == 1) {
		int64_t cs = ct_stmt_int64(q, 0), ce = ct_stmt_int64(q, 1), t, gi;
		int64_t pid = ct_stmt_int64(q, 8);
		double qty = ct_stmt_double(q, 2), inst;
		struct useg *g;

		if (!ct_hash_map_get(&byprof, (uint64_t)pid, &gi)) {
			gi = profile_group(p, ct_stmt_text(q, 3), ct_stmt_text(q, 4),
					   ct_stmt_text(q, 5), ct_stmt_text(q, 6),
					   ct_stmt_text(q, 7));
			ct_hash_map_put(&byprof, (uint64_t)pid, gi);
		}
		if (!gi || !(qty > 0))
			continue;
		g = &u->g[gi - 1];
		inst = qty / ((double)(ce - cs) / 3600.0);
		for (t = cs > start ? cs : start; t < ce && t < end;) {
			size_t k = (size_t)((t - start) / 3600);
			int64_t slot_end = start + (int64_t)(k + 1) * 3600, un;

			if (slot_end > ce)
				slot_end = ce;
			un = slot_units(inst, slot_end - t);
			g->units[k] += un;
			g->hunits += un;
			t = slot_end;
		}
	}
	ct_stmt_finalize(q);
	ct_hash_map_release(&byprof);
	return rc < 0 ? CT_E_DB : CT_OK;
}

/* Append item to a comma-separated list of numbers for ClickHouse SQL
 * (a UInt64 as ClickHouse printed it, or a group number). */
static void num_list_add(char **list, size_t *len, size_t *cap, const char *item)
{
	char num[48];
	int n = snprintf(num, sizeof(num), "%s%.24s", *len ? "," : "", item);

	CT_GROW(*list, *len + (size_t)n + 1, *cap);
	memcpy(*list + *len, num, (size_t)n + 1);
	*len += (size_t)n;
}

/* ClickHouse: the profiles in the order SQLite meets them (their first
 * line), the groups decided here, then the slot sums per group computed
 * there: a few rows per group and hour come back instead of every line. */
static int scan_clickhouse(struct prof_ctx *p, int64_t start, int64_t end, const char *ec2)
{
	struct ctx *c = p->c;
	struct usage_set *u = p->u;
	struct ct_stmt *q;
	char *from = NULL, *sql = NULL, *pv = NULL, *gv = NULL;
	size_t npv = 0, cap = 0, gcap = 0, glen = 0, plen = 0;
	int rc;

	/* ec2 stands for the EC2 test (see ch_ec2_range()) */
	sql = ct_xasprintf("SELECT p, region, descr, meter, rid FROM (SELECT profile AS p,"
		" any(r) AS region, any(d) AS descr, any(m) AS meter, any(i) AS rid,"
		" min(ingest_id) AS fi, argMin(ms, ingest_id) AS fs FROM (SELECT profile,"
		" ingest_id, min(seq) AS ms, any(region_id) AS r, any(charge_description) AS d,"
		" any(sku_meter) AS m, any(resource_id) AS i FROM line"
		" WHERE profile IN (%s)"
		" AND charge_end > charge_start AND charge_end > ?1 AND charge_start < ?2"
		" GROUP BY profile, ingest_id) GROUP BY profile) ORDER BY fi, fs", ec2);
	q = ct_store_prepare_ch(c->st, NULL, sql, c->err);
	free(sql);
	sql = NULL;
	if (!q)
		return CT_E_DB;
	ct_stmt_bind_int64(q, 1, start);
	ct_stmt_bind_int64(q, 2, end);
	while ((rc = ct_stmt_step(q, c->err)) == 1) {
		int64_t gi = profile_group(p, ct_stmt_text(q, 1), ct_stmt_text(q, 2),
					   ct_stmt_text(q, 3), NULL, ct_stmt_text(q, 4));
		char num[24];

		if (!gi)
			continue;
		/* the UInt64 hash as ClickHouse printed it: all literals unsigned */
		num_list_add(&pv, &plen, &cap, ct_stmt_text(q, 0));
		snprintf(num, sizeof(num), "%lld", (long long)gi);
		num_list_add(&gv, &glen, &gcap, num);
		npv++;
	}
	ct_stmt_finalize(q);
	if (rc < 0 || !npv) {
		free(pv);
		free(gv);
		return rc < 0 ? CT_E_DB : CT_OK;
	}
	/* the C loop of scan_lines(), as one expression per (line, slot) */
	from = ct_xasprintf("SELECT gi, k, sum(un) FROM (SELECT transform(profile,"
			    " CAST([%s] AS Array(UInt64)),"
			    " CAST([%s] AS Array(Int64)), toInt64(0)) AS gi,", pv, gv);
	sql = ct_xasprintf("%s%s", from,
		" charge_start AS cs, charge_end AS ce,"
		" coalesce(pricing_quantity, consumed_quantity, 0) AS q,"
		" q / ((ce - cs) / 3600.) AS inst,"
		" intDiv(greatest(cs, ?1) - ?1, 3600) AS k0,"
		" intDiv(least(ce, ?2) - 1 - ?1, 3600) AS k1,"
		" arrayJoin(arrayMap(x -> k0 + toInt64(x), range(toUInt64(k1 - k0 + 1)))) AS k,"
		" greatest(cs, ?1 + k * 3600) AS t0, least(ce, ?1 + (k + 1) * 3600) AS t1,"
		" toInt64(floor((((inst * (t1 - t0)) / 3600.) * 1000000000.) + 0.5)) AS un"
		/* no EC2 test again: it looks only at a line's dimensions,
		 * whose hash is its profile, so gi > 0 already holds it */
		" FROM line WHERE charge_end > charge_start"
		" AND charge_end > ?1 AND charge_start < ?2 AND gi > 0 AND q > 0)"
		" GROUP BY gi, k");
	q = ct_store_prepare_ch(c->st, NULL, sql, c->err);
	if (!q) {
		rc = CT_E_DB;
		goto out;
	}
	ct_stmt_bind_int64(q, 1, start);
	ct_stmt_bind_int64(q, 2, end);
	while ((rc = ct_stmt_step(q, c->err)) == 1) {
		int64_t gi = ct_stmt_int64(q, 0), k = ct_stmt_int64(q, 1);
		int64_t un = ct_stmt_int64(q, 2);

		if (gi < 1 || (size_t)gi > u->n || k < 0 || (size_t)k >= u->slots) {
			rc = ct_err_set(c->err, CT_E_INTERNAL, NULL, 0,
					"recommend: ClickHouse returned slot %lld of group %lld",
					(long long)k, (long long)gi);
			break;
		}
		u->g[gi - 1].units[k] += un;
		u->g[gi - 1].hunits += un;
	}
	rc = rc < 0 ? rc : CT_OK;
	ct_stmt_finalize(q);
out:
	free(sql);
	free(from);
	free(pv);
	free(gv);
	return rc;
}

/* ClickHouse: the EC2 test once over the lines, per profile: the range
 * of the lines that started by now (as the SQLite query gives it) and
 * the list of every EC2 profile, "h1,h2,...", that later queries test
 * with IN instead of running the EC2 test again (a line's profile is
 * the hash of the dimensions it looks at). */
static int ch_ec2_range(struct ctx *c, int64_t now, int64_t *start, int64_t *end,
			char **list)
{
	struct ct_stmt *q = ct_store_prepare_ch(c->st, NULL,
		"SELECT profile, countIf(charge_start <= ?1),"
		" maxIf(charge_end, charge_start <= ?1), minIf(charge_start, charge_start <= ?1)"
		" FROM line" CH_EC2_WHERE " AND charge_end > charge_start GROUP BY profile",
		c->err);
	size_t len = 0, cap = 0;
	bool any = false;
	int rc;

	*start = *end = 0;
	*list = NULL;
	if (!q)
		return CT_E_DB;
	ct_stmt_bind_int64(q, 1, now);
	while ((rc = ct_stmt_step(q, c->err)) == 1) {
		num_list_add(list, &len, &cap, ct_stmt_text(q, 0));
		if (ct_stmt_int64(q, 1) > 0) {
			int64_t e = ct_stmt_int64(q, 2), b = ct_stmt_int64(q, 3);

			if (!any || e > *end)
				*end = e;
			if (!any || b < *start)
				*start = b;
			any = true;
		}
	}
	ct_stmt_finalize(q);
	if (rc < 0) {
		free(*list);
		*list = NULL;
		return CT_E_DB;
	}
	return CT_OK;
}

static int load_ondemand(struct ctx *c, struct usage_set *u)
{
	int64_t end = 0, start = 0, now = c->r->opts.now;
	char *ec2 = NULL; /* ClickHouse: the EC2 profiles */
	struct ct_stmt *q;
	int rc;

	memset(u, 0, sizeof(*u));
	if (ct_store_is_clickhouse(c->st)) {
		if (ch_ec2_range(c, now, &start, &end, &ec2) != CT_OK)
			return CT_E_DB;
	} else {
		q = ct_store_prepare(c->st,
				     "WITH ep AS MATERIALIZED (SELECT p.id FROM profile p"
				     EC2_PROFILE_WHERE ")"
				     " SELECT max(l.charge_end), min(l.charge_start) FROM line l"
				     " CROSS JOIN ep ON ep.id = l.profile_id"
				     " WHERE l.charge_end > l.charge_start AND l.charge_start <= ?1",
				     c->err);
		if (!q)
			return CT_E_DB;
		ct_stmt_bind_int64(q, 1, now);
		rc = ct_stmt_step(q, c->err);
		if (rc == 1 && !ct_stmt_is_null(q, 0)) {
			end = ct_stmt_int64(q, 0);
			start = ct_stmt_int64(q, 1);
		}
		ct_stmt_finalize(q);
		if (rc < 0)
			return CT_E_DB;
	}
	if (!end) {
		free(ec2);
		return CT_OK;
	}
	if (start < end - (int64_t)c->r->opts.usage_days * 86400)
		start = end - (int64_t)c->r->opts.usage_days * 86400;
	c->r->usage_first = start;
	c->r->usage_last = end;
	u->first = start;
	u->slots = (size_t)((end - start + 3599) / 3600);
	if (!u->slots) {
		free(ec2);
		return CT_OK;
	}
	/* Instances this run already advises to stop or shrink are not a
	 * baseline to commit to: counting them twice would promise the same
	 * money as a finding and as a reservation. */
	struct prof_ctx p = {c, u, {0}, NULL};
	ct_hash_map_init(&p.advised);
	for (size_t i = 0; i < c->r->n; i++) {
		const struct ct_finding *f = &c->r->f[i];
		if (!strcmp(f->kind, "idle_instance") || !strcmp(f->kind, "low_cpu_instance"))
			ct_hash_map_put(&p.advised, ct_hash_bytes(f->resource_id,
								   strlen(f->resource_id), 5), 1);
	}
	if (ct_store_is_clickhouse(c->st)) {
		p.itq = ct_store_prepare(c->st,
			"SELECT instance_type FROM resource r WHERE r.kind = 'instance'"
			" AND r.resource_id = ?1 AND r.resource_id <> '' ORDER BY r.id LIMIT 1",
			c->err);
		rc = p.itq ? scan_clickhouse(&p, start, end, ec2) : CT_E_DB;
	} else {
		rc = scan_lines(&p, start, end);
	}
	ct_stmt_finalize(p.itq);
	ct_hash_map_release(&p.advised);
	free(ec2);
	/* the instance counts per slot, from the exact sums */
	for (size_t i = 0; i < u->n; i++) {
		struct useg *g = &u->g[i];
		for (size_t k = 0; k < u->slots; k++)
			g->run[k] = (double)g->units[k] / 1e9;
		g->hours = (double)g->hunits / 1e9;
		free(g->units);
		g->units = NULL;
	}
	return rc;
}

static struct ct_commitment *cm_add(struct ct_recommend *r, const char *kind, const char *type,
				   const char *region, const char *os)
{
	struct ct_commitment *m;

	r->cm = ct_xrealloc(r->cm, (r->ncm + 1) * sizeof(*r->cm));
	m = &r->cm[r->ncm++];
	memset(m, 0, sizeof(*m));
	m->kind = kind;
	m->instance_type = ct_xstrdup(type);
	m->region = ct_xstrdup(region);
	m->os = os;
	m->term = "";
	m->payment = "";
	m->offering = "";
	return m;
}

/* The recurring hourly part of an option (E - U / term hours). */
static void cm_money(struct ct_commitment *m, ct_rate od, const struct ct_cost *cost, int years)
{
	double n = m->count, per = n * CT_HOURS_PER_MONTH;
	long double rec;

	m->ondemand_hourly = od;
	m->effective_hourly = cost->hourly;
	m->upfront = cost->upfront;
	m->savings = ct_money_of_rate(od - cost->hourly, per);
	m->savings_at_util = ct_money_of_rate(
		(ct_rate)llround(m->utilisation * (double)od) - cost->hourly, per);
	if (years && m->upfront > 0 && n > 0) {
		/* recurring hourly = E - U / (years x 8760) per instance */
		rec = (long double)cost->hourly -
		      (long double)m->upfront * 1000.0L / n / (years * CT_HOURS_PER_YEAR);
		if ((long double)od - rec > 0)
			m->break_even_months =
				(double)((long double)m->upfront * 1000.0L /
					 (((long double)od - rec) * (long double)per));
		if (m->savings > 0)
			m->payback_months = (double)m->upfront / (double)m->savings;
	}
}

static void commit_options(struct ctx *c, const struct useg *g, double base, double avg,
			   double util)
{
	static const char *const pay[] = {"no", "partial", "all"};
	static const char *const payname[] = {"no_upfront", "partial_upfront", "all_upfront"};
	struct ct_ec2_spec s = {0};
	struct ct_cost od, cost;
	struct ct_err e;
	int y, p, k;

	ct_err_init(&e);
	s.region = g->region;
	s.type = g->type;
	s.os = g->os;
	s.buy = CT_BUY_ONDEMAND;
	s.count = 1;
	if (ct_compute_ec2(c->cat, &s, &od, &e) != CT_OK)
		return; /* no on-demand price: nothing to compare with */
	for (k = 0; k < 2; k++)
		for (y = 1; y <= 3; y += 2)
			for (p = 0; p < 3; p++) {
				struct ct_commitment *m;
				const char *off = k == 0 ? "standard" : "compute";

				s.buy = k == 0 ? CT_BUY_RESERVED : CT_BUY_SAVINGSPLAN;
				s.offering = off;
				s.years = y;
				s.payment = pay[p];
				s.count = base;
				ct_err_init(&e);
				if (ct_compute_ec2(c->cat, &s, &cost, &e) != CT_OK) {
					if (k == 0)
						continue;
					off = "ec2instance";
					s.offering = off;
					ct_err_init(&e);
					if (ct_compute_ec2(c->cat, &s, &cost, &e) != CT_OK)
						continue;
				}
				m = cm_add(c->r, k == 0 ? "reserved_instance" : "savings_plan",
					   g->type, g->region, g->os);
				m->term = y == 1 ? "1y" : "3y";
				m->payment = payname[p];
				m->offering = off;
				m->count = base;
				m->avg_count = avg;
				m->utilisation = util;
				m->estimated = cost.estimated;
				if (cost.note[0])
					m->note = ct_xstrdup(cost.note);
				cm_money(m, od.hourly, &cost, y);
			}
}

static int commitments(struct ctx *c)
{
	struct usage_set u;
	size_t i, k;
	int rc;

	if (!c->cat)
		return CT_OK;
	rc = load_ondemand(c, &u);
	for (i = 0; rc == CT_OK && i < u.n; i++) {
		const struct useg *g = &u.g[i];
		double mn = u.slots ? g->run[0] : 0, base, cov = 0, util = 0;

		for (k = 1; k < u.slots; k++)
			if (g->run[k] < mn)
				mn = g->run[k];
		base = floor(mn + 1e-6);
		if (base < 1)
			continue;
		for (k = 0; k < u.slots; k++)
			cov += g->run[k] < base ? g->run[k] : base;
		util = cov / (base * (double)u.slots);
		if (util > 1 - 1e-9)
			util = 1;
		commit_options(c, g, base, g->hours / (double)u.slots, util);
	}
	for (i = 0; i < u.n; i++) {
		free(u.g[i].type);
		free(u.g[i].region);
		free(u.g[i].run);
	}
	free(u.g);
	return rc;
}

static int spot(struct ctx *c)
{
	const struct ct_recommend_opts *o = &c->r->opts;
	struct ct_stmt *q;
	char *path;
	int rc;

	if (!c->cat)
		return CT_OK;
	/* the key quoted as a JSON path member */
	path = ct_xasprintf("$.\"%s\"", o->spot_tag_key ? o->spot_tag_key : "spot-ok");
	q = ct_store_prepare(
		c->st,
		"SELECT instance_type, region, platform, count(*),"
		" sum(lower(coalesce(CAST(json_extract(tags, ?1) AS TEXT), '')) = lower(?2)),"
		" sum(json_extract(tags, '$.\"eks:nodegroup-name\"') IS NOT NULL),"
		" sum(json_extract(tags, '$.\"aws:autoscaling:groupName\"') IS NOT NULL)"
		" FROM resource WHERE kind = 'instance' AND state IN ('running', 'pending')"
		" AND coalesce(instance_type, '') <> '' AND region <> '' AND json_valid(tags)"
		" AND (lower(coalesce(CAST(json_extract(tags, ?1) AS TEXT), '')) = lower(?2)"
		"  OR json_extract(tags, '$.\"eks:nodegroup-name\"') IS NOT NULL"
		"  OR json_extract(tags, '$.\"aws:autoscaling:groupName\"') IS NOT NULL)"
		" GROUP BY instance_type, region, platform ORDER BY instance_type, region, platform",
		c->err);
	if (!q) {
		free(path);
		return CT_E_DB;
	}
	ct_stmt_bind_str(q, 1, path);
	ct_stmt_bind_str(q, 2, o->spot_tag_value ? o->spot_tag_value : "true");
	while ((rc = ct_stmt_step(q, c->err)) == 1) {
		struct ct_ec2_spec s = {0};
		struct ct_cost od, sp;
		struct ct_price_query pq = {0};
		const struct ct_price *rows;
		size_t nrows;
		struct ct_err e;
		struct ct_commitment *m;
		char variant[64];
		double n = (double)ct_stmt_int64(q, 3);

		ct_err_init(&e);
		s.type = ct_stmt_text(q, 0);
		s.region = ct_stmt_text(q, 1);
		s.os = ec2_os(ct_stmt_text(q, 2));
		s.count = n;
		s.buy = CT_BUY_ONDEMAND;
		if (ct_compute_ec2(c->cat, &s, &od, &e) != CT_OK)
			continue;
		s.buy = CT_BUY_SPOT;
		if (ct_compute_ec2(c->cat, &s, &sp, &e) != CT_OK)
			continue;
		m = cm_add(c->r, "spot", s.type, s.region, s.os);
		m->count = n;
		m->avg_count = n;
		m->utilisation = 1;
		m->estimated = true;
		m->ondemand_hourly = od.hourly;
		m->effective_hourly = sp.hourly;
		m->savings = ct_money_of_rate(od.hourly - sp.hourly, n * CT_HOURS_PER_MONTH);
		m->savings_at_util = m->savings;
		snprintf(variant, sizeof(variant), "%s/shared", s.os);
		pq.service = "ec2";
		pq.region = s.region;
		pq.product = s.type;
		pq.variant = variant;
		pq.term = "spot";
		m->note = ct_xasprintf(
			"interruption %s; %lld tagged %s=%s, %lld EKS node group, %lld auto-scaling",
			ct_catalog_find(c->cat, &pq, &rows, &nrows, &e) == CT_OK && rows[0].note &&
					rows[0].note[0]
				? rows[0].note
				: "unknown",
			(long long)ct_stmt_int64(q, 4), o->spot_tag_key ? o->spot_tag_key : "spot-ok",
			o->spot_tag_value ? o->spot_tag_value : "true",
			(long long)ct_stmt_int64(q, 5), (long long)ct_stmt_int64(q, 6));
	}
	ct_stmt_finalize(q);
	free(path);
	return rc < 0 ? CT_E_DB : CT_OK;
}

static int cm_cmp(const void *a, const void *b)
{
	const struct ct_commitment *x = a, *y = b;
	int d = strcmp(x->instance_type, y->instance_type);

	if (!d)
		d = strcmp(x->region, y->region);
	if (!d)
		d = strcmp(x->os, y->os);
	if (!d)
		d = strcmp(x->kind, y->kind);
	if (!d)
		d = strcmp(x->offering, y->offering);
	if (!d)
		d = strcmp(x->term, y->term);
	if (!d)
		d = strcmp(x->payment, y->payment);
	return d;
}

static void kind_add(struct ct_recommend *r, const char *kind, ct_money m)
{
	size_t i;

	for (i = 0; i < r->nkt; i++)
		if (!strcmp(r->kt[i].kind, kind))
			break;
	if (i == r->nkt) {
		if (r->nkt >= CT_NELEM(r->kt))
			ct_die("recommend: too many kinds");
		r->kt[r->nkt].kind = kind;
		r->kt[r->nkt].savings = 0;
		r->kt[r->nkt].n = 0;
		r->nkt++;
	}
	r->kt[i].savings += m;
	r->kt[i].n++;
}

static int kt_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ct_kind_total *)a)->kind,
		      ((const struct ct_kind_total *)b)->kind);
}

/* Mark the best option per (type, region, OS) and sum the totals (see
 * recommend.total). cm is sorted so a group is one run. */
static void commitment_totals(struct ct_recommend *r)
{
	size_t i = 0, j, k, best;

	while (i < r->ncm) {
		for (j = i; j < r->ncm && !strcmp(r->cm[j].instance_type, r->cm[i].instance_type) &&
			    !strcmp(r->cm[j].region, r->cm[i].region) && r->cm[j].os == r->cm[i].os;
		     j++)
			;
		best = i;
		for (k = i; k < j; k++)
			if (r->cm[k].savings > r->cm[best].savings)
				best = k;
		if (r->cm[best].savings > 0) {
			r->cm[best].best = true;
			r->total_savings += r->cm[best].savings;
		}
		/* by kind: the best option of each kind in the group */
		for (k = i; k < j; k++) {
			size_t m, kb = k;
			bool first = true;

			for (m = i; m < k; m++)
				if (!strcmp(r->cm[m].kind, r->cm[k].kind))
					first = false;
			if (!first)
				continue;
			for (m = k; m < j; m++)
				if (!strcmp(r->cm[m].kind, r->cm[k].kind) &&
				    r->cm[m].savings > r->cm[kb].savings)
					kb = m;
			kind_add(r, r->cm[kb].kind, r->cm[kb].savings > 0 ? r->cm[kb].savings : 0);
		}
		i = j;
	}
}

static int ev_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ct_evidence *)a)->key, ((const struct ct_evidence *)b)->key);
}

static int finding_cmp(const void *a, const void *b)
{
	const struct ct_finding *x = a, *y = b;
	int d = strcmp(x->kind, y->kind);

	if (!d)
		d = strcmp(x->resource_id, y->resource_id);
	if (!d)
		d = strcmp(x->account_id, y->account_id);
	if (!d)
		d = strcmp(x->region, y->region);
	return d;
}

struct ct_recommend *ct_recommend_build(struct ct_store *st, const struct ct_catalog *cat,
					const struct ct_recommend_opts *o, struct ct_err *err)
{
	struct ctx c = {0};
	struct ct_recommend *r = NULL;
	size_t i;
	int rc;

	if (!(o->idle_cpu >= 0 && o->idle_cpu <= 100) || !(o->low_cpu >= 0 && o->low_cpu <= 100) ||
	    !(o->idle_net_mb >= 0) || !isfinite(o->idle_net_mb) || o->window_days < 1 ||
	    o->window_days > 366 || o->idle_days < 1 || o->idle_days > o->window_days ||
	    o->snapshot_days < 0 || o->stopped_days < 0 || o->db_days < 1 ||
	    o->db_days > o->window_days || o->usage_days < 1 || o->usage_days > 366) {
		ct_err_set(err, CT_E_USAGE, NULL, 0,
			   "thresholds out of range (percentages 0-100, "
			   "1 <= --idle-days <= --window-days <= 366, days >= 0)");
		return NULL;
	}
	r = ct_xcalloc(1, sizeof(*r));
	r->opts = *o;
	c.st = st;
	c.cat = cat;
	c.r = r;
	c.err = err;
	if ((rc = load_billing(&c)) != CT_OK || (rc = pick_window(&c)) != CT_OK ||
	    (rc = instances(&c)) != CT_OK || (rc = volumes(&c)) != CT_OK ||
	    (rc = addresses(&c)) != CT_OK || (rc = snapshots(&c)) != CT_OK ||
	    (rc = load_balancers(&c)) != CT_OK || (rc = databases(&c)) != CT_OK ||
	    (rc = optimizer(&c)) != CT_OK ||
	    (rc = commitments(&c)) != CT_OK || (rc = spot(&c)) != CT_OK) {
		ct_recommend_free(r);
		r = NULL;
		goto out;
	}
	for (i = 0; i < r->n; i++) {
		qsort(r->f[i].ev, r->f[i].nev, sizeof(r->f[i].ev[0]), ev_cmp);
		r->total_savings += r->f[i].savings;
		kind_add(r, r->f[i].kind, r->f[i].savings);
	}
	if (r->n)
		qsort(r->f, r->n, sizeof(*r->f), finding_cmp);
	if (r->ncm)
		qsort(r->cm, r->ncm, sizeof(*r->cm), cm_cmp);
	commitment_totals(r);
	if (r->nkt)
		qsort(r->kt, r->nkt, sizeof(r->kt[0]), kt_cmp);
out:
	for (i = 0; i < c.nb; i++)
		free(c.b[i].id);
	free(c.b);
	return r;
}

void ct_recommend_free(struct ct_recommend *r)
{
	size_t i, k;

	if (!r)
		return;
	for (i = 0; i < r->n; i++) {
		struct ct_finding *f = &r->f[i];

		free(f->resource_id);
		free(f->resource_type);
		free(f->region);
		free(f->account_id);
		free(f->recommended_type);
		for (k = 0; k < f->nev; k++)
			free(f->ev[k].value);
	}
	free(r->f);
	for (i = 0; i < r->ncm; i++) {
		free(r->cm[i].instance_type);
		free(r->cm[i].region);
		free(r->cm[i].note);
	}
	free(r->cm);
	for (i = 0; i < r->nopt; i++) {
		struct ct_optimizer *o = &r->opt[i];

		free(o->resource_id);
		free(o->kind);
		free(o->account_id);
		free(o->region);
		free(o->finding);
		free(o->current);
		free(o->recommended);
	}
	free(r->opt);
	free(r);
}

int ct_recommend_format_parse(const char *s, enum ct_recommend_format *out)
{
	static const struct ct_render_name names[] = {
		{"csv", CT_RECOMMEND_CSV},
		{"json", CT_RECOMMEND_JSON},
		{"markdown", CT_RECOMMEND_MARKDOWN},
		{"text", CT_RECOMMEND_TEXT},
	};
	int v;

	if (ct_render_name_lookup(names, CT_NELEM(names), s, &v) != CT_OK)
		return CT_E_USAGE;
	*out = (enum ct_recommend_format)v;
	return CT_OK;
}
