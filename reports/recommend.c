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
 * Depends on the store (SQL text only), the catalog and the pricing
 * calculators; never prints.
 */
#include "ct.h"
#include "recommend.h"
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

	q = ct_store_prepare(c->st,
			     "SELECT billing_period FROM ingest GROUP BY billing_period "
			     "ORDER BY max(period_end) <= ?1 DESC, billing_period DESC LIMIT 1",
			     c->err);
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
	q = ct_store_prepare(c->st,
			     "SELECT p.resource_id, sum(d.billed_cost) FROM ingest i"
			     " CROSS JOIN line_day d ON d.ingest_id = i.id"
			     " JOIN profile p ON p.id = d.profile_id"
			     " WHERE i.billing_period = ?1 AND p.resource_id IS NOT NULL"
			     " AND p.resource_id <> '' GROUP BY p.resource_id"
			     " ORDER BY p.resource_id",
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
	if (x.days > 0) {
		x.avg = sum / (double)x.days;
		x.id = ct_xstrdup(id);
		*u = ct_xrealloc(*u, (*nu + 1) * sizeof(**u));
		(*u)[(*nu)++] = x;
	}
	memset(d->has_cpu, 0, (size_t)d->n * sizeof(bool));
	memset(d->has_net, 0, (size_t)d->n * sizeof(bool));
	memset(d->net, 0, (size_t)d->n * sizeof(double));
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
			     "SELECT resource_id, metric, day, value FROM metric_day"
			     " WHERE +metric IN ('cpu_avg_pct', 'net_in_bytes', 'net_out_bytes')"
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
			int vcpu;
			double mem;

			f = add(c, "low_cpu_instance", id, type, region, acct,
				to ? "downsize" : "none_smallest_size");
			set_cost(c, f, has_price, price);
			ev_num(f, "avg_cpu_pct", avg);
			ev_num(f, "days_with_data", (double)days);
			ev_num(f, "max_daily_cpu_pct", peak);
			if (c->cat && ct_catalog_instance(c->cat, type, &vcpu, &mem)) {
				ev_num(f, "vcpu", vcpu);
				ev_num(f, "memory_gib", mem);
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
				if (c->cat && ct_catalog_instance(c->cat, to, &vcpu, &mem)) {
					ev_num(f, "recommended_vcpu", vcpu);
					ev_num(f, "recommended_memory_gib", mem);
				}
				ev_add(f, "memory_used", false, "unknown");
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
	    o->db_days > o->window_days) {
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
	    (rc = load_balancers(&c)) != CT_OK || (rc = databases(&c)) != CT_OK) {
		ct_recommend_free(r);
		r = NULL;
		goto out;
	}
	for (i = 0; i < r->n; i++) {
		qsort(r->f[i].ev, r->f[i].nev, sizeof(r->f[i].ev[0]), ev_cmp);
		r->total_savings += r->f[i].savings;
	}
	if (r->n)
		qsort(r->f, r->n, sizeof(*r->f), finding_cmp);
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
	free(r);
}

int ct_recommend_format_parse(const char *s, enum ct_recommend_format *out)
{
	static const char *const names[] = {"text", "markdown", "json", "csv"};
	size_t i;

	for (i = 0; i < CT_NELEM(names); i++)
		if (s && !strcmp(s, names[i])) {
			*out = (enum ct_recommend_format)i;
			return CT_OK;
		}
	return CT_E_USAGE;
}
