/*
 * estimate.c - the cost estimate of a Terraform plan (see estimate.h).
 *
 * For every resource change, both sides (before and after) are priced
 * with the pricing/ formulas from the plan's attribute values and the
 * usage file; a component whose price is unknown is kept with
 * price_found = false, listed in unpriced and left out of every total, so
 * a missing price can never look like a saving. Values unknown until
 * apply get the documented defaults below and a note saying so.
 *
 * Defaults (when the plan does not say):
 *   root volume 8 GB gp2; EBS block device 8 GB gp2; node group disk
 *   20 GB gp2 and instance type t3.medium; Lambda 128 MB x86; RDS storage
 *   gp2; load balancer type application; ElastiCache 1 node.
 */
#include "ct.h"
#include "estimate.h"
#include "catalog.h"
#include "compute.h"
#include "database.h"
#include "estimate_body.h"
#include "k8s.h"
#include "network.h"
#include "plan.h"
#include "serverless.h"
#include "storage.h"
#include "store.h"
#include "tiers.h"
#include "usage.h"

#include <math.h>

struct ctx {
	const struct ct_catalog *cat;
	const struct ct_usage *usage;
	const struct ct_plan *plan;
	struct ct_estimate *e;
	struct ct_est_resource *r;   /* resource being priced */
	struct ct_est_side *side;    /* side being priced */
	const struct ct_plan_change *c;
	json_t *v;                   /* attribute values of this side */
	json_t *unk;                 /* after_unknown (after side only) */
	bool after;
};

static void add_note(char ***list, size_t *n, char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*list)[i], s)) {
			free(s);
			return;
		}
	*list = ct_xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = s;
}

static void res_note(struct ctx *x, const char *fmt, const char *a)
{
	add_note(&x->r->notes, &x->r->nnotes, ct_xasprintf(fmt, a));
}

static struct ct_est_component *new_comp(struct ctx *x, const char *name,
					 const char *unit)
{
	struct ct_est_side *s = x->side;
	struct ct_est_component *c;

	s->comp = ct_xrealloc(s->comp, (s->n + 1) * sizeof(*s->comp));
	c = &s->comp[s->n++];
	memset(c, 0, sizeof(*c));
	c->name = ct_xstrdup(name);
	c->unit = ct_xstrdup(unit);
	c->purchase_option = "on_demand";
	c->price_found = true;
	return c;
}

/* A component whose price is unknown: kept, flagged, excluded. */
static void unpriced(struct ctx *x, const char *name, const char *unit,
		     const char *reason)
{
	struct ct_est_component *c = new_comp(x, name, unit);
	struct ct_estimate *e = x->e;

	c->price_found = false;
	c->note = ct_xstrdup(reason);
	for (size_t i = 0; i < e->nunpriced; i++) /* once per resource and name */
		if (!strcmp(e->unpriced[i].address, x->r->address) &&
		    !strcmp(e->unpriced[i].component, name))
			return;
	e->unpriced = ct_xrealloc(e->unpriced, (e->nunpriced + 1) * sizeof(*e->unpriced));
	e->unpriced[e->nunpriced].address = ct_xstrdup(x->r->address);
	e->unpriced[e->nunpriced].component = ct_xstrdup(name);
	e->unpriced[e->nunpriced].reason = ct_xstrdup(reason);
	e->nunpriced++;
}

/* Add a formula's result: each line becomes a component. rc is the
 * formula's status; an unknown price becomes an unpriced component. */
static void add_cost(struct ctx *x, int rc, const struct ct_cost *cost,
		     const struct ct_err *err, const char *label,
		     const char *purchase, bool usage_based)
{
	if (rc == CT_E_NOPRICE || rc == CT_E_USAGE) {
		unpriced(x, label, "", err->msg);
		return;
	}
	if (rc != CT_OK)
		return;
	for (size_t i = 0; i < cost->nlines; i++) {
		const struct ct_cost_line *l = &cost->line[i];
		char name[192];
		struct ct_est_component *c;
		/* a line that bills nothing (at or under a free baseline) is
		 * not a component */
		if (i > 0 && l->qty == 0 && l->monthly == 0)
			continue;
		if (i == 0 && label[0])
			snprintf(name, sizeof(name), "%s", label);
		else
			snprintf(name, sizeof(name), "%c%s",
				 l->name[0] >= 'a' && l->name[0] <= 'z' ? l->name[0] - 32 : l->name[0],
				 l->name + 1);
		if (llabs(l->monthly) >= CT_MONEY_MAX_ABS) {
			unpriced(x, name, l->unit, "the quantity is too large to price");
			continue;
		}
		c = new_comp(x, name, l->unit);
		c->quantity = l->qty;
		c->unit_price = l->rate;
		c->monthly = l->monthly;
		c->usage_based = usage_based;
		c->has_usage = usage_based;
		c->purchase_option = purchase;
		if (cost->note[0])
			c->note = ct_xstrdup(cost->note);
		x->side->monthly += l->monthly; /* |monthly| < 10^18: no overflow
						   for any realistic count */
	}
}

/* A usage-priced component with no usage given: its unit price, $0. */
static void depends(struct ctx *x, const char *name, const char *service,
		    const char *product, const char *variant)
{
	struct ct_price_query q = {service, x->c->region, product, variant, "ondemand", NULL, 0, NULL};
	const struct ct_price *rows;
	size_t n;
	struct ct_err err;
	struct ct_est_component *c;

	ct_err_init(&err);
	if (ct_catalog_find(x->cat, &q, &rows, &n, &err) != CT_OK) {
		unpriced(x, name, "", err.msg);
		return;
	}
	/* the first tier that charges anything */
	size_t k = 0;
	while (k + 1 < n && rows[k].price == 0)
		k++;
	c = new_comp(x, name, rows[k].unit);
	c->unit_price = rows[k].price;
	c->usage_based = true;
}

/* A quantity from the plan or the usage file must be a finite number in
 * 0 .. 10^12; anything else is ignored with a note (and the default, if
 * any, applies). */
static bool in_range(struct ctx *x, const char *key, double v)
{
	if (isfinite(v) && v >= 0 && v <= 1e12)
		return true;
	add_note(&x->r->notes, &x->r->nnotes,
		 ct_xasprintf("%s: %g is not a usable quantity (0 to 10^12), ignored", key, v));
	return false;
}

static bool usage(struct ctx *x, const char *path, double *out)
{
	double v;

	if (!x->usage || !ct_usage_get(x->usage, x->r->address, path, &v) ||
	    !in_range(x, path, v))
		return false;
	*out = v;
	return true;
}

static const char *str(struct ctx *x, const char *key)
{
	return ct_plan_str(x->v, key);
}

static bool num(struct ctx *x, const char *key, double *out)
{
	double v;

	if (!ct_plan_num(x->v, key, &v) || !in_range(x, key, v))
		return false;
	*out = v;
	return true;
}

/* A number of a nested block (root_block_device ...), range-checked. */
static bool blk_num(struct ctx *x, json_t *blk, const char *key, double *out)
{
	double v;

	if (!ct_plan_num(blk, key, &v) || !in_range(x, key, v))
		return false;
	*out = v;
	return true;
}

static bool unknown(struct ctx *x, const char *key)
{
	return x->after && ct_plan_unknown(x->unk, key);
}

/* ---- EBS volumes (standalone and attached) ---------------------------- */

static void ebs(struct ctx *x, json_t *blk, const char *label, bool root)
{
	struct ct_ebs_spec s = {0};
	struct ct_cost cost;
	struct ct_err err;
	char l[128];

	s.region = x->c->region;
	s.type = ct_plan_str(blk, "volume_type");
	if (!s.type || !*s.type)
		s.type = "gp2";
	if (!blk_num(x, blk, "volume_size", &s.gb) && !blk_num(x, blk, "size", &s.gb)) {
		s.gb = 8;
		res_note(x, "%s: size unknown until apply, 8 GB assumed (the usual AMI root size)", label);
	}
	blk_num(x, blk, "iops", &s.iops);
	blk_num(x, blk, "throughput", &s.throughput);
	if (!strcmp(s.type, "gp2") || !strcmp(s.type, "st1") || !strcmp(s.type, "sc1"))
		s.iops = 0;
	snprintf(l, sizeof(l), "%s (%s, %g GB)", label, s.type, s.gb);
	(void)root;
	bool io_usage = !strcmp(s.type, "standard") &&
			usage(x, "monthly_standard_io_requests", &s.io_requests);
	ct_err_init(&err);
	add_cost(x, ct_storage_ebs(x->cat, &s, &cost, &err), &cost, &err, l, "on_demand", false);
	if (io_usage && x->side->n)
		x->side->comp[x->side->n - 1].usage_based =
			x->side->comp[x->side->n - 1].has_usage = true;
	if (!strcmp(s.type, "standard") && !io_usage)
		depends(x, "I/O requests", "ebs", "standard", "io");
}

/* ---- resource types --------------------------------------------------- */

static void ec2_instance(struct ctx *x, const char *type, double count,
			 enum ct_purchase buy, const char *label)
{
	struct ct_ec2_spec s = {0};
	struct ct_cost cost;
	struct ct_err err;
	char l[160];
	const char *ten = str(x, "tenancy");
	double hours = 0;

	bool zero = count <= 0; /* 0 instances (or 0 hours) cost nothing */
	size_t n0 = x->side->n;

	s.region = x->c->region;
	s.type = type;
	s.count = zero ? 1 : count;
	s.buy = buy;
	if (ten && !strcmp(ten, "dedicated"))
		s.tenancy = "dedicated";
	if (usage(x, "monthly_hrs", &hours)) {
		if (hours == 0)
			zero = true;
		else
			s.hours = hours;
	}
	snprintf(l, sizeof(l), "%s (Linux, %s, %s)", label,
		 buy == CT_BUY_SPOT ? "spot" : "on-demand", type);
	ct_err_init(&err);
	add_cost(x, ct_compute_ec2(x->cat, &s, &cost, &err), &cost, &err, l,
		 buy == CT_BUY_SPOT ? "spot" : "on_demand", false);
	for (size_t i = n0; zero && i < x->side->n; i++) {
		x->side->monthly -= x->side->comp[i].monthly;
		x->side->comp[i].monthly = 0;
		x->side->comp[i].quantity = 0;
	}
}

static void instance_like(struct ctx *x, enum ct_purchase buy)
{
	const char *type = str(x, "instance_type");
	json_t *root, *list, *b;
	size_t i;

	if (!type) {
		if (x->c && ct_plan_launch_template_type(x->plan, x->c))
			type = ct_plan_launch_template_type(x->plan, x->c);
	}
	if (!type) {
		unpriced(x, "Instance usage", "hours", "instance type unknown until apply");
	} else {
		ec2_instance(x, type, 1, buy, "Instance usage");
		/* burstable in unlimited mode: surplus credits by usage */
		json_t *cs = ct_plan_block(x->v, "credit_specification");
		const char *mode = ct_plan_str(cs, "cpu_credits");
		bool burst = !strncmp(type, "t2.", 3) || !strncmp(type, "t3.", 3) ||
			     !strncmp(type, "t3a.", 4) || !strncmp(type, "t4g.", 4);
		bool unlimited = mode ? !strcmp(mode, "unlimited") : strncmp(type, "t2.", 3) != 0;
		if (burst && unlimited) {
			double hrs, vcpu = 0;
			if (usage(x, "monthly_cpu_credit_hrs", &hrs) && usage(x, "vcpu_count", &vcpu)) {
				struct ct_price_query q = {"ec2", x->c->region, "cpu-credits", "unlimited", "ondemand", NULL, 0, NULL};
				const struct ct_price *rows;
				size_t n;
				struct ct_err err;
				ct_err_init(&err);
				if (ct_catalog_find(x->cat, &q, &rows, &n, &err) == CT_OK) {
					struct ct_est_component *c = new_comp(x, "CPU credits", "vCPU-hour");
					c->quantity = hrs * vcpu;
					c->unit_price = rows[0].price;
					c->monthly = ct_catalog_tiered(rows, n, hrs * vcpu, 0);
					c->usage_based = c->has_usage = true;
					x->side->monthly += c->monthly;
				} else {
					unpriced(x, "CPU credits", "vCPU-hour", err.msg);
				}
			} else {
				depends(x, "CPU credits", "ec2", "cpu-credits", "unlimited");
			}
		}
	}
	if (ct_plan_bool(x->v, "monitoring")) {
		struct ct_cloudwatch_spec w = {0};
		struct ct_cost cost;
		struct ct_err err;
		w.region = x->c->region;
		w.metrics = 7; /* detailed monitoring publishes 7 metrics */
		ct_err_init(&err);
		add_cost(x, ct_serverless_cloudwatch(x->cat, &w, &cost, &err), &cost, &err,
			 "EC2 detailed monitoring (7 metrics)", "on_demand", false);
	}
	root = ct_plan_block(x->v, "root_block_device");
	if (!root || unknown(x, "root_block_device")) {
		json_t *empty = json_object();
		ebs(x, root ? root : empty, "Root volume", true);
		json_decref(empty);
	} else {
		ebs(x, root, "Root volume", true);
	}
	list = json_object_get(x->v, "ebs_block_device");
	json_array_foreach(list, i, b) {
		char l[64];
		const char *dev;
		if (!json_is_object(b))
			continue;
		dev = ct_plan_str(b, "device_name");
		snprintf(l, sizeof(l), "EBS volume %s", dev ? dev : "");
		ebs(x, b, l, false);
	}
}

static void aws_instance(struct ctx *x)
{
	instance_like(x, CT_BUY_ONDEMAND);
}

static void aws_ebs_volume(struct ctx *x)
{
	json_t *o = json_object();

	json_object_set(o, "volume_type", json_object_get(x->v, "type") ? json_object_get(x->v, "type") : json_null());
	json_object_set(o, "volume_size", json_object_get(x->v, "size") ? json_object_get(x->v, "size") : json_null());
	json_object_set(o, "iops", json_object_get(x->v, "iops") ? json_object_get(x->v, "iops") : json_null());
	json_object_set(o, "throughput", json_object_get(x->v, "throughput") ? json_object_get(x->v, "throughput") : json_null());
	ebs(x, o, "Storage", false);
	json_decref(o);
}

static void aws_ebs_snapshot(struct ctx *x)
{
	double gb;
	struct ct_cost cost;
	struct ct_err err;

	ct_err_init(&err);
	if (usage(x, "monthly_storage_gb", &gb))
		add_cost(x, ct_storage_snapshot(x->cat, x->c->region, gb, &cost, &err),
			 &cost, &err, "Snapshot storage", "on_demand", true);
	else if (num(x, "volume_size", &gb)) /* a full copy at most */
		add_cost(x, ct_storage_snapshot(x->cat, x->c->region, gb, &cost, &err),
			 &cost, &err, "Snapshot storage (volume size)", "on_demand", false);
	else
		depends(x, "Snapshot storage", "ebs", "snapshot", "storage");
}

static const char *rds_engine(const char *e)
{
	if (!e)
		return "mysql";
	if (!strcmp(e, "postgres") || !strncmp(e, "postgres", 8))
		return "postgres";
	if (!strcmp(e, "aurora") || !strcmp(e, "aurora-mysql"))
		return "aurora-mysql";
	if (!strcmp(e, "aurora-postgresql"))
		return "aurora-postgres";
	return e;
}

static void aws_db_instance(struct ctx *x)
{
	struct ct_rds_spec s = {0};
	struct ct_cost cost;
	struct ct_err err;
	char l[160];
	double backup;

	s.region = x->c->region;
	s.engine = rds_engine(str(x, "engine"));
	s.instance = str(x, "instance_class");
	s.multi_az = ct_plan_bool(x->v, "multi_az");
	s.storage_type = str(x, "storage_type");
	if (!s.storage_type || !*s.storage_type)
		s.storage_type = "gp2";
	num(x, "allocated_storage", &s.gb);
	num(x, "iops", &s.iops);
	if (usage(x, "additional_backup_storage_gb", &backup))
		s.backup_gb = backup;
	if (!s.instance) {
		unpriced(x, "Database instance", "hours", "instance class unknown until apply");
		return;
	}
	snprintf(l, sizeof(l), "Database instance (%s, %s, %s)", s.engine,
		 s.multi_az ? "Multi-AZ" : "Single-AZ", s.instance);
	ct_err_init(&err);
	add_cost(x, ct_database_rds(x->cat, &s, &cost, &err), &cost, &err, l, "on_demand", false);
	if (!s.backup_gb)
		depends(x, "Additional backup storage", "rds", "backup", "storage");
}

static void aws_rds_cluster_instance(struct ctx *x)
{
	struct ct_rds_spec s = {0};
	struct ct_cost cost;
	struct ct_err err;
	char l[160];

	s.region = x->c->region;
	s.engine = rds_engine(str(x, "engine"));
	s.instance = str(x, "instance_class");
	if (!s.instance) {
		unpriced(x, "Database instance", "hours", "instance class unknown until apply");
		return;
	}
	snprintf(l, sizeof(l), "Database instance (%s, %s)", s.engine, s.instance);
	ct_err_init(&err);
	add_cost(x, ct_database_rds(x->cat, &s, &cost, &err), &cost, &err, l, "on_demand", false);
}

static void aws_rds_cluster(struct ctx *x)
{
	double gb;
	struct ct_cost cost;
	struct ct_err err;

	if (usage(x, "storage_gb", &gb)) {
		ct_cost_init(&cost);
		ct_err_init(&err);
		add_cost(x, ct_tiers_line(x->cat, &cost, "Aurora storage", "rds",
					  x->c->region, "aurora", "storage/single-az",
					  gb, 0, &err),
			 &cost, &err, "Aurora storage", "on_demand", true);
	} else {
		depends(x, "Aurora storage", "rds", "aurora", "storage/single-az");
	}
}

static void aws_s3_bucket(struct ctx *x)
{
	struct ct_s3_spec s = {0};
	struct ct_cost cost;
	struct ct_err err;

	s.region = x->c->region;
	s.storage_class = "standard";
	if (usage(x, "standard.storage_gb", &s.gb)) {
		usage(x, "standard.monthly_tier_1_requests", &s.put_requests);
		usage(x, "standard.monthly_tier_2_requests", &s.get_requests);
		ct_err_init(&err);
		add_cost(x, ct_storage_s3(x->cat, &s, &cost, &err), &cost, &err,
			 "Standard storage", "on_demand", true);
	} else {
		depends(x, "Standard storage", "s3", "standard", "storage");
		depends(x, "PUT, COPY, POST, LIST requests", "s3", "standard", "put");
		depends(x, "GET, SELECT and other requests", "s3", "standard", "get");
	}
}

static void aws_nat_gateway(struct ctx *x)
{
	struct ct_cost cost;
	struct ct_err err;
	double gb = 0;
	bool have = usage(x, "monthly_data_processed_gb", &gb);

	ct_err_init(&err);
	int rc = ct_network_nat(x->cat, x->c->region, 1, gb, &cost, &err);
	if (rc == CT_OK && !have)
		cost.nlines = 1; /* the data line waits for usage */
	add_cost(x, rc, &cost, &err, "NAT gateway", "on_demand", false);
	if (have && x->side->n)
		x->side->comp[x->side->n - 1].usage_based = x->side->comp[x->side->n - 1].has_usage = true;
	if (!have)
		depends(x, "NAT gateway: data processed", "natgw", "nat-gateway", "data");
}

static void aws_eip(struct ctx *x)
{
	struct ct_cost cost;
	struct ct_err err;
	const char *dom = str(x, "domain");

	(void)dom;
	ct_err_init(&err);
	add_cost(x, ct_network_ipv4(x->cat, x->c->region, 1, &cost, &err), &cost, &err,
		 "Public IPv4 address", "on_demand", false);
}

static void aws_lb(struct ctx *x)
{
	const char *t = str(x, "load_balancer_type");
	const char *kind = !t || !strcmp(t, "application") ? "alb" :
			   !strcmp(t, "network") ? "nlb" : !strcmp(t, "gateway") ? "gwlb" : t;
	struct ct_cost cost;
	struct ct_err err;
	double lcu = 0;
	char l[64];

	if (!strcmp(x->c->type, "aws_elb"))
		kind = "clb";
	snprintf(l, sizeof(l), "Load balancer (%s)", kind);
	ct_err_init(&err);
	/* capacity_units: the average LCUs an hour. Connection and byte
	 * counts would need the per-dimension LCU conversion, not done yet. */
	usage(x, "capacity_units", &lcu);
	add_cost(x, ct_network_lb(x->cat, x->c->region, kind, 1, lcu, 0, &cost, &err),
		 &cost, &err, l, "on_demand", false);
	if (!lcu && strcmp(kind, "clb") != 0)
		depends(x, "Load balancer capacity units", "elb", kind, "lcu");
}

static void aws_eks_cluster(struct ctx *x)
{
	struct ct_cost cost;
	struct ct_err err;

	ct_cost_init(&cost);
	ct_err_init(&err);
	struct ct_k8s_spec s = {0};
	s.region = x->c->region;
	s.eks = true;
	/* extended support applies to versions past standard support; the
	 * plan cannot say when this cluster's version leaves it */
	add_cost(x, ct_k8s_cluster(x->cat, &s, &cost, &err), &cost, &err,
		 "EKS cluster (standard support)", "on_demand", false);
}

static void aws_eks_node_group(struct ctx *x)
{
	json_t *types = json_object_get(x->v, "instance_types");
	json_t *sc = ct_plan_block(x->v, "scaling_config");
	const char *cap = str(x, "capacity_type");
	const char *type = NULL;
	double desired = 1, disk = 20;

	if (json_is_array(types) && json_array_size(types) > 0)
		type = json_string_value(json_array_get(types, 0));
	if (!type)
		type = ct_plan_launch_template_type(x->plan, x->c);
	if (!type) {
		type = "t3.medium";
		res_note(x, "%s", "instance type not set: t3.medium assumed (the EKS default)");
	}
	if (!blk_num(x, sc, "desired_size", &desired))
		res_note(x, "%s", "desired size unknown: 1 node assumed");
	ec2_instance(x, type, desired,
		     cap && !strcmp(cap, "SPOT") ? CT_BUY_SPOT : CT_BUY_ONDEMAND, "Instance usage");
	if (json_is_array(types) && json_array_size(types) > 1)
		res_note(x, "%s", "several instance types: priced as the first one");
	if (!num(x, "disk_size", &disk)) {
		if (!json_array_size(json_object_get(x->v, "launch_template")))
			res_note(x, "%s", "disk size not set: 20 GB gp2 assumed (the EKS default)");
		else {
			disk = 0; /* the launch template's block devices decide */
			res_note(x, "%s", "the launch template's block devices are not priced");
		}
	}
	if (disk > 0) {
		json_t *o = json_pack("{s:s, s:f}", "volume_type", "gp2", "volume_size", disk * desired);
		ebs(x, o, "Node disks", false);
		json_decref(o);
	}
}

static void aws_autoscaling_group(struct ctx *x)
{
	const char *type = ct_plan_launch_template_type(x->plan, x->c);
	double n = 1;

	if (!num(x, "desired_capacity", &n) && !num(x, "min_size", &n))
		res_note(x, "%s", "desired capacity unknown: 1 instance assumed");
	if (!type) {
		unpriced(x, "Instance usage", "hours", "launch template instance type not found in the plan");
		return;
	}
	ec2_instance(x, type, n, CT_BUY_ONDEMAND, "Instance usage");
	res_note(x, "%s", "the launch template's block devices are not priced");
}

static void aws_spot_instance_request(struct ctx *x)
{
	instance_like(x, CT_BUY_SPOT);
}

static void aws_lambda_function(struct ctx *x)
{
	struct ct_lambda_spec s = {0};
	struct ct_cost cost;
	struct ct_err err;
	json_t *arch = json_object_get(x->v, "architectures");

	s.region = x->c->region;
	s.arch = json_is_array(arch) && json_array_size(arch) &&
		 json_string_value(json_array_get(arch, 0)) &&
		 !strcmp(json_string_value(json_array_get(arch, 0)), "arm64") ? "arm64" : "x86";
	if (!num(x, "memory_size", &s.memory_mb))
		s.memory_mb = 128;
	if (usage(x, "monthly_requests", &s.requests)) {
		usage(x, "request_duration_ms", &s.duration_ms);
		ct_err_init(&err);
		add_cost(x, ct_serverless_lambda(x->cat, &s, &cost, &err), &cost, &err,
			 "", "on_demand", true);
	} else {
		depends(x, "Requests", "lambda", s.arch, "requests");
		depends(x, "Duration", "lambda", s.arch, "duration");
	}
}

static void aws_dynamodb_table(struct ctx *x)
{
	struct ct_dynamodb_spec s = {0};
	struct ct_cost cost;
	struct ct_err err;
	const char *mode = str(x, "billing_mode");

	s.region = x->c->region;
	s.provisioned = !mode || !strcmp(mode, "PROVISIONED");
	if (s.provisioned) {
		num(x, "write_capacity", &s.writes);
		num(x, "read_capacity", &s.reads);
		ct_err_init(&err);
		add_cost(x, ct_serverless_dynamodb(x->cat, &s, &cost, &err), &cost, &err,
			 "", "on_demand", false);
		s.writes = s.reads = 0;
	} else {
		bool w = usage(x, "monthly_write_request_units", &s.writes);
		bool r = usage(x, "monthly_read_request_units", &s.reads);
		if (!w)
			depends(x, "Write request units", "dynamodb", "on-demand", "write");
		if (!r)
			depends(x, "Read request units", "dynamodb", "on-demand", "read");
	}
	if (!usage(x, "storage_gb", &s.storage_gb))
		depends(x, "Storage", "dynamodb", s.provisioned ? "provisioned" : "on-demand", "storage");
	if (s.writes || s.reads || s.storage_gb) {
		ct_err_init(&err);
		add_cost(x, ct_serverless_dynamodb(x->cat, &s, &cost, &err), &cost, &err,
			 "", "on_demand", true);
	}
}

static void aws_elasticache(struct ctx *x)
{
	const char *node = str(x, "node_type");
	const char *engine = str(x, "engine");
	double n = 1, groups = 0, replicas = 0;
	struct ct_cost cost;
	struct ct_err err;
	char l[128];

	if (!strcmp(x->c->type, "aws_elasticache_replication_group")) {
		if (!num(x, "num_cache_clusters", &n) || n <= 0) {
			if (num(x, "num_node_groups", &groups) && groups > 0) {
				num(x, "replicas_per_node_group", &replicas);
				n = groups * (replicas + 1);
			} else {
				n = 1;
			}
		}
		if (!engine)
			engine = "redis";
	} else if (!num(x, "num_cache_nodes", &n)) {
		n = 1;
	}
	if (!node) {
		unpriced(x, "Cache nodes", "hours", "node type unknown until apply");
		return;
	}
	snprintf(l, sizeof(l), "Cache nodes (%s, %g x %s)", engine ? engine : "redis", n, node);
	ct_err_init(&err);
	add_cost(x, ct_database_elasticache(x->cat, x->c->region, node, engine, n, &cost, &err),
		 &cost, &err, l, "on_demand", false);
}

static void aws_cloudwatch_log_group(struct ctx *x)
{
	struct ct_cloudwatch_spec s = {0};
	struct ct_cost cost;
	struct ct_err err;
	bool in = usage(x, "monthly_data_ingested_gb", &s.logs_ingest_gb);
	bool st = usage(x, "storage_gb", &s.logs_storage_gb);

	s.region = x->c->region;
	if (in || st) {
		ct_err_init(&err);
		add_cost(x, ct_serverless_cloudwatch(x->cat, &s, &cost, &err), &cost, &err,
			 "", "on_demand", true);
	}
	if (!in)
		depends(x, "Data ingested", "cloudwatch", "logs-ingest", "standard");
	if (!st)
		depends(x, "Storage", "cloudwatch", "logs-storage", "standard");
}

static const struct {
	const char *type;
	void (*price)(struct ctx *x);
} priced[] = {
	{"aws_alb", aws_lb},
	{"aws_autoscaling_group", aws_autoscaling_group},
	{"aws_cloudwatch_log_group", aws_cloudwatch_log_group},
	{"aws_db_instance", aws_db_instance},
	{"aws_dynamodb_table", aws_dynamodb_table},
	{"aws_ebs_snapshot", aws_ebs_snapshot},
	{"aws_ebs_volume", aws_ebs_volume},
	{"aws_eip", aws_eip},
	{"aws_eks_cluster", aws_eks_cluster},
	{"aws_eks_node_group", aws_eks_node_group},
	{"aws_elasticache_cluster", aws_elasticache},
	{"aws_elasticache_replication_group", aws_elasticache},
	{"aws_elb", aws_lb},
	{"aws_instance", aws_instance},
	{"aws_lambda_function", aws_lambda_function},
	{"aws_lb", aws_lb},
	{"aws_nat_gateway", aws_nat_gateway},
	{"aws_rds_cluster", aws_rds_cluster},
	{"aws_rds_cluster_instance", aws_rds_cluster_instance},
	{"aws_s3_bucket", aws_s3_bucket},
	{"aws_spot_instance_request", aws_spot_instance_request},
};

/* Resources that cost nothing by themselves (prefix match when ending
 * in '*'). */
static const char *const free_types[] = {
	"aws_iam_*", "aws_security_group*", "aws_vpc*", "aws_subnet*",
	"aws_route*", "aws_internet_gateway*", "aws_egress_only_internet_gateway",
	"aws_network_acl*", "aws_default_*", "aws_s3_bucket_*", "aws_launch_template",
	"aws_lb_target_group*", "aws_lb_listener*", "aws_alb_target_group*",
	"aws_alb_listener*", "aws_autoscaling_policy", "aws_autoscaling_attachment",
	"aws_eks_addon", "aws_eks_access_*", "aws_key_pair", "aws_db_subnet_group",
	"aws_db_parameter_group", "aws_rds_cluster_parameter_group",
	"aws_elasticache_subnet_group", "aws_elasticache_parameter_group",
	"aws_cloudwatch_log_resource_policy", "aws_lambda_permission",
	"aws_lambda_alias", "aws_sns_topic_subscription", "aws_ssm_parameter",
	"aws_eip_association", "aws_volume_attachment", "aws_placement_group",
	"aws_main_route_table_association", "aws_vpc_endpoint_route_table_association",
	"aws_cloudwatch_event_target", "aws_lb_target_group_attachment",
	"random_*", "null_resource", "terraform_data", "tls_*", "local_*", "time_*",
};

static bool is_free(const char *type)
{
	for (size_t i = 0; i < CT_NELEM(free_types); i++) {
		const char *f = free_types[i];
		size_t n = strlen(f);
		if (f[n - 1] == '*' ? !strncmp(type, f, n - 1) : !strcmp(type, f))
			return true;
	}
	return false;
}

static void add_ref(struct ct_est_ref **list, size_t *n, const char *address,
		    const char *type)
{
	*list = ct_xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[*n].address = ct_xstrdup(address);
	(*list)[*n].type = ct_xstrdup(type);
	(*n)++;
}

static bool side_has_unknown(const struct ct_est_side *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (!s->comp[i].price_found)
			return true;
	return false;
}

static void price_side(struct ctx *x, void (*fn)(struct ctx *), json_t *v,
		       bool after, struct ct_est_side *side)
{
	x->v = v;
	x->after = after;
	x->side = side;
	side->exists = v != NULL;
	if (v)
		fn(x);
}

struct ct_estimate *ct_estimate_build(const struct ct_plan *plan,
				      const struct ct_catalog *cat,
				      const struct ct_usage *usage_file,
				      const char *plan_name)
{
	struct ct_estimate *e = ct_xcalloc(1, sizeof(*e));
	struct ctx x = {0};
	bool defaulted_region = false;

	snprintf(e->currency, sizeof(e->currency), "USD");
	e->hours_per_month = CT_HOURS_PER_MONTH;
	e->plan_name = ct_xstrdup(plan_name ? plan_name : "");
	x.cat = cat;
	x.usage = usage_file;
	x.plan = plan;
	x.e = e;
	for (size_t i = 0; i < ct_plan_count(plan); i++) {
		struct ct_plan_change c;
		void (*fn)(struct ctx *) = NULL;
		struct ct_est_resource *r;

		ct_plan_get(plan, i, &c);
		if (c.data || !strcmp(c.action, "read"))
			continue;
		for (size_t k = 0; k < CT_NELEM(priced); k++)
			if (!strcmp(priced[k].type, c.type))
				fn = priced[k].price;
		if (!fn) {
			if (is_free(c.type))
				add_ref(&e->free_res, &e->nfree, c.address, c.type);
			else
				add_ref(&e->unsupported, &e->nunsupported, c.address, c.type);
			continue;
		}
		e->res = ct_xrealloc(e->res, (e->nres + 1) * sizeof(*e->res));
		r = &e->res[e->nres++];
		memset(r, 0, sizeof(*r));
		r->address = ct_xstrdup(c.address);
		r->type = ct_xstrdup(c.type);
		r->action = ct_xstrdup(c.action);
		r->region = ct_xstrdup(c.region);
		defaulted_region |= c.region_default;
		x.r = r;
		x.c = &c;
		x.unk = c.after_unknown;
		/* before: the prior values, unless the resource is new */
		if (strcmp(c.action, "create") != 0)
			price_side(&x, fn, c.before, false, &r->past);
		if (strcmp(c.action, "delete") != 0)
			price_side(&x, fn, c.after, true, &r->now);
		/* a missing price on either side must not look like a change:
		 * such a resource stays out of both totals */
		if (side_has_unknown(&r->past) || side_has_unknown(&r->now)) {
			add_note(&r->notes, &r->nnotes, ct_xstrdup(
				"left out of the totals: a price is unknown"));
			continue;
		}
		e->total += r->now.monthly;
		e->past_total += r->past.monthly;
	}
	if (defaulted_region)
		add_note(&e->assumptions, &e->nassumptions,
			 ct_xstrdup("No region in the provider configuration: us-east-1 assumed."));
	if (usage_file)
		add_note(&e->assumptions, &e->nassumptions,
			 ct_xasprintf("Usage from %s.", ct_usage_name(usage_file)));
	else
		add_note(&e->assumptions, &e->nassumptions,
			 ct_xstrdup("No usage file given (--usage-file)."));
	return e;
}

static void free_side(struct ct_est_side *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->comp[i].name);
		free(s->comp[i].unit);
		free(s->comp[i].note);
	}
	free(s->comp);
}

void ct_estimate_free(struct ct_estimate *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->nres; i++) {
		struct ct_est_resource *r = &e->res[i];
		free(r->address);
		free(r->type);
		free(r->action);
		free(r->region);
		free_side(&r->past);
		free_side(&r->now);
		for (size_t k = 0; k < r->nnotes; k++)
			free(r->notes[k]);
		free(r->notes);
	}
	free(e->res);
	for (size_t i = 0; i < e->nfree; i++) {
		free(e->free_res[i].address);
		free(e->free_res[i].type);
	}
	free(e->free_res);
	for (size_t i = 0; i < e->nunsupported; i++) {
		free(e->unsupported[i].address);
		free(e->unsupported[i].type);
	}
	free(e->unsupported);
	for (size_t i = 0; i < e->nunpriced; i++) {
		free(e->unpriced[i].address);
		free(e->unpriced[i].component);
		free(e->unpriced[i].reason);
	}
	free(e->unpriced);
	for (size_t i = 0; i < e->nassumptions; i++)
		free(e->assumptions[i]);
	free(e->assumptions);
	free(e->plan_name);
	free(e);
}

int ct_estimate_markdown_for_plan(const char *plan_path, const char *usage_path,
				  struct ct_store *st, char **body,
				  struct ct_err *err)
{
	struct ct_plan *plan = NULL;
	struct ct_usage *u = NULL;
	struct ct_catalog *cat = NULL;
	struct ct_estimate *e = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = NULL;
	int rc;

	*body = NULL;
	plan = ct_plan_load(plan_path, err);
	if (!plan) {
		rc = err->code;
		goto out;
	}
	if (usage_path && !(u = ct_usage_load(usage_path, err))) {
		rc = err->code;
		goto out;
	}
	cat = ct_catalog_load(st, err);
	if (!cat) {
		rc = err->code;
		goto out;
	}
	e = ct_estimate_build(plan, cat, u, plan_path);
	f = open_memstream(&buf, &len);
	if (!f)
		ct_die("cannot open a memory stream");
	rc = ct_estimate_render(e, CT_EST_MARKDOWN, f, err);
	fclose(f);
	if (rc == CT_OK) {
		*body = buf;
		buf = NULL;
	}
out:
	free(buf);
	ct_estimate_free(e);
	ct_catalog_free(cat);
	ct_usage_free(u);
	ct_plan_free(plan);
	return rc;
}
