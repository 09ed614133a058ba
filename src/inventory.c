/*
 * inventory.c - readers for the AWS CLI inventory and metrics outputs and
 * the writer of the resource, lb_target_health and metric_day tables (see
 * inventory.h and data/schema/0003_inventory.sql).
 *
 * Reading stages plain structs (resources, target health rows, metric
 * values summed per (resource, metric, day) in a hash map); storing binds
 * them into prepared statements. It depends on Jansson, the CSV reader,
 * the clock and the store interface; it must not print, and it never
 * begins, commits or rolls back a transaction.
 */
#include "ct.h"
#include "inventory.h"
#include "clock.h"
#include "csv.h"
#include "hash.h"
#include "kube.h"
#include "money.h"
#include "store.h"

#include <errno.h>
#include <math.h>
#include <strings.h>

#include <jansson.h>

enum kind {
	K_NONE,
	K_INSTANCES,
	K_VOLUMES,
	K_ADDRESSES,
	K_SNAPSHOTS,
	K_DB_INSTANCES,
	K_LOAD_BALANCERS,
	K_TARGET_HEALTH,
	K_METRICS_JSON,
	K_METRICS_CSV,
	K_OPTIMIZER_EC2,
	K_OPTIMIZER_EBS,
	K_KUBE,
};

/* Top-level key that identifies each JSON shape, its label, and the
 * resource kind stored for it. */
static const struct shape {
	const char *key;
	enum kind kind;
	const char *label;
	const char *res_kind;
} shapes[] = {
	{"Reservations", K_INSTANCES, "aws-ec2-instances", "instance"},
	{"Volumes", K_VOLUMES, "aws-ec2-volumes", "volume"},
	{"Addresses", K_ADDRESSES, "aws-ec2-addresses", "address"},
	{"Snapshots", K_SNAPSHOTS, "aws-ec2-snapshots", "snapshot"},
	{"DBInstances", K_DB_INSTANCES, "aws-rds-db-instances", "db_instance"},
	{"LoadBalancers", K_LOAD_BALANCERS, "aws-elbv2-load-balancers", "load_balancer"},
	{"TargetHealthDescriptions", K_TARGET_HEALTH, "aws-elbv2-target-health", NULL},
	{"MetricDataResults", K_METRICS_JSON, "aws-cloudwatch-metric-data", NULL},
};

/* Text columns of a resource, in the order of the INSERT below. */
enum col {
	C_RID, C_KIND, C_ACCOUNT, C_REGION, C_AZ, C_NAME, C_STATE, C_ITYPE,
	C_PLATFORM, C_VTYPE, C_DBCLASS, C_ENGINE, C_LBTYPE, C_ATTACHED,
	C_ASSOC, C_TAGS, C__N
};

struct res {
	char *s[C__N]; /* owned; NULL = SQL NULL */
	double size_gb;
	int64_t iops, created, since;
	int multi_az; /* -1 unknown */
	bool has_size, has_iops, has_created, has_since;
};

struct health {
	char *lb, *tg; /* owned */
	long targets, healthy;
};

struct mval {
	char *rid, *metric; /* owned; metric may be a static name */
	bool metric_owned, is_sum;
	int64_t day;
	double sum, peak;
	long samples;
};

/* One Compute Optimizer recommendation (its first option). */
struct optrec {
	char *rid, *kind, *account, *region, *name, *current, *finding, *rec;
	ct_money savings;
	double risk;
	long options;
	bool has_savings, has_risk;
};

struct ct_inventory {
	struct ct_store *st;
	int64_t batch;
	char now_iso[32];
	char *def_account, *def_region;
	struct ct_stmt *ins_res, *del_res, *ins_health, *upsert_metric, *ins_file;
	struct ct_stmt *ins_opt, *del_opt, *ins_kube, *del_kube;

	/* the staged file */
	enum kind kind;
	bool unknown;   /* the last JSON had no known shape */
	char *source;
	char *path_account, *path_region; /* from the file name */
	char where[256];                  /* JSON path of the value being read */
	struct res *res;
	size_t nres, capres;
	struct health *health;
	size_t nhealth, caphealth;
	struct mval *mv;
	size_t nmv, capmv;
	struct ct_hash_map mindex; /* key hash -> index in mv */
	struct optrec *opt;
	size_t nopt, capopt;
	char *kube_body;       /* a kubectl List, as given */
	const char *kube_kind; /* nodes, pods, volumes, services (static) */

	/* (kind, account, region) keys this run already cleared */
	char **cleared;
	size_t ncleared, capcleared;
};

struct ct_inventory *ct_inventory_new(struct ct_store *st, int64_t batch,
				      const char *now_iso, struct ct_err *err)
{
	struct ct_inventory *inv = ct_xcalloc(1, sizeof(*inv));

	inv->st = st;
	inv->batch = batch;
	snprintf(inv->now_iso, sizeof(inv->now_iso), "%s", now_iso);
	ct_hash_map_init(&inv->mindex);
	inv->ins_res = ct_store_prepare(st,
		"INSERT OR REPLACE INTO resource (resource_id, kind, account_id,"
		" region, availability_zone, name, state, instance_type, platform,"
		" volume_type, db_class, engine, lb_type, attached_to,"
		" association_id, tags, size_gb, iops, multi_az, created_at,"
		" state_since, batch, source, ingested_at) VALUES (?,?,?,?,?,?,?,"
		"?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", err);
	if (!inv->ins_res)
		goto fail;
	inv->del_res = ct_store_prepare(st,
		"DELETE FROM resource WHERE kind = ? AND account_id = ?"
		" AND region = ? AND batch != ?", err);
	if (!inv->del_res)
		goto fail;
	inv->ins_health = ct_store_prepare(st,
		"INSERT OR REPLACE INTO lb_target_health (load_balancer,"
		" target_group, targets, healthy, batch, source, ingested_at)"
		" VALUES (?,?,?,?,?,?,?)", err);
	if (!inv->ins_health)
		goto fail;
	/* Files of one run add up; a later run replaces. In an UPDATE every
	 * column on the right means its value before the update. */
	inv->upsert_metric = ct_store_prepare(st,
		"INSERT INTO metric_day (resource_id, metric, day, value, total,"
		" samples, peak, batch, source) VALUES (?1, ?2, ?3,"
		" CASE WHEN ?8 THEN ?4 ELSE ?4 / ?5 END, ?4, ?5, ?6, ?7, ?9)"
		" ON CONFLICT (resource_id, metric, day) DO UPDATE SET"
		" value = CASE WHEN batch != excluded.batch THEN excluded.value"
		"  WHEN ?8 THEN total + excluded.total"
		"  ELSE (total + excluded.total) / (samples + excluded.samples) END,"
		" total = CASE WHEN batch = excluded.batch"
		"  THEN total + excluded.total ELSE excluded.total END,"
		" samples = CASE WHEN batch = excluded.batch"
		"  THEN samples + excluded.samples ELSE excluded.samples END,"
		" peak = CASE WHEN batch = excluded.batch AND peak > excluded.peak"
		"  THEN peak ELSE excluded.peak END,"
		" batch = excluded.batch, source = excluded.source", err);
	if (!inv->upsert_metric)
		goto fail;
	inv->ins_opt = ct_store_prepare(st,
		"INSERT OR REPLACE INTO optimizer_rec (resource_id, kind, account_id,"
		" region, name, current_config, finding, recommended, monthly_savings,"
		" performance_risk, options, batch, source, ingested_at)"
		" VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", err);
	if (!inv->ins_opt)
		goto fail;
	inv->del_opt = ct_store_prepare(st,
		"DELETE FROM optimizer_rec WHERE kind = ? AND account_id = ?"
		" AND region = ? AND batch != ?", err);
	if (!inv->del_opt)
		goto fail;
	inv->ins_kube = ct_store_prepare(st,
		"INSERT INTO k8s_doc (kind, body, batch, source, ingested_at)"
		" VALUES (?,?,?,?,?)", err);
	if (!inv->ins_kube)
		goto fail;
	inv->del_kube = ct_store_prepare(st,
		"DELETE FROM k8s_doc WHERE kind = ? AND batch != ?", err);
	if (!inv->del_kube)
		goto fail;
	inv->ins_file = ct_store_prepare(st,
		"INSERT INTO inventory_file (batch, source, format, rows, checksum,"
		" ingested_at) VALUES (?,?,?,?,?,?)", err);
	if (!inv->ins_file)
		goto fail;
	return inv;
fail:
	ct_inventory_free(inv);
	return NULL;
}

void ct_inventory_set_defaults(struct ct_inventory *inv, const char *account,
			       const char *region)
{
	free(inv->def_account);
	free(inv->def_region);
	inv->def_account = account ? ct_xstrdup(account) : NULL;
	inv->def_region = region ? ct_xstrdup(region) : NULL;
}

void ct_inventory_discard(struct ct_inventory *inv)
{
	for (size_t i = 0; i < inv->nres; i++)
		for (int c = 0; c < C__N; c++)
			free(inv->res[i].s[c]);
	inv->nres = 0;
	for (size_t i = 0; i < inv->nhealth; i++) {
		free(inv->health[i].lb);
		free(inv->health[i].tg);
	}
	inv->nhealth = 0;
	for (size_t i = 0; i < inv->nmv; i++) {
		free(inv->mv[i].rid);
		if (inv->mv[i].metric_owned)
			free(inv->mv[i].metric);
	}
	inv->nmv = 0;
	for (size_t i = 0; i < inv->nopt; i++) {
		struct optrec *o = &inv->opt[i];
		free(o->rid);
		free(o->kind);
		free(o->account);
		free(o->region);
		free(o->name);
		free(o->current);
		free(o->finding);
		free(o->rec);
	}
	inv->nopt = 0;
	free(inv->kube_body);
	inv->kube_body = NULL;
	inv->kube_kind = NULL;
	ct_hash_map_release(&inv->mindex);
	ct_hash_map_init(&inv->mindex);
	free(inv->source);
	free(inv->path_account);
	free(inv->path_region);
	inv->source = inv->path_account = inv->path_region = NULL;
}

void ct_inventory_free(struct ct_inventory *inv)
{
	if (!inv)
		return;
	ct_inventory_discard(inv);
	ct_stmt_finalize(inv->ins_res);
	ct_stmt_finalize(inv->del_res);
	ct_stmt_finalize(inv->ins_health);
	ct_stmt_finalize(inv->upsert_metric);
	ct_stmt_finalize(inv->ins_file);
	ct_stmt_finalize(inv->ins_opt);
	ct_stmt_finalize(inv->del_opt);
	ct_stmt_finalize(inv->ins_kube);
	ct_stmt_finalize(inv->del_kube);
	ct_hash_map_release(&inv->mindex);
	for (size_t i = 0; i < inv->ncleared; i++)
		free(inv->cleared[i]);
	free(inv->cleared);
	free(inv->res);
	free(inv->health);
	free(inv->mv);
	free(inv->opt);
	free(inv->def_account);
	free(inv->def_region);
	free(inv);
}

bool ct_inventory_unknown_shape(const struct ct_inventory *inv)
{
	return inv->unknown;
}

const char *ct_inventory_format(const struct ct_inventory *inv)
{
	if (inv->kind == K_METRICS_CSV)
		return "metrics-csv";
	if (inv->kind == K_OPTIMIZER_EC2)
		return "aws-compute-optimizer-ec2";
	if (inv->kind == K_KUBE)
		return "kubectl";
	if (inv->kind == K_OPTIMIZER_EBS)
		return "aws-compute-optimizer-ebs";
	for (size_t i = 0; i < CT_NELEM(shapes); i++)
		if (shapes[i].kind == inv->kind)
			return shapes[i].label;
	return "";
}

/* ---- names ----------------------------------------------------------- */

static bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alnum(char c)
{
	return is_lower(c) || is_digit(c) || (c >= 'A' && c <= 'Z');
}

size_t ct_inventory_region_len(const char *s)
{
	size_t i = 0, words = 0;

	if (!is_lower(s[0]) || !is_lower(s[1]) || s[2] != '-')
		return 0;
	i = 3;
	for (;;) {
		size_t w = i;
		while (is_lower(s[i]))
			i++;
		if (i == w || s[i] != '-')
			return 0;
		i++;
		words++;
		if (is_digit(s[i]))
			break;
		if (words == 2)
			return 0;
	}
	while (is_digit(s[i]))
		i++;
	return i;
}

/* The region of an availability zone ("us-east-1a" -> "us-east-1"). */
static char *region_of_az(const char *az)
{
	size_t n = az ? ct_inventory_region_len(az) : 0;

	return n ? ct_xstrndup(az, n) : NULL;
}

/* Account (12 digits) and region named in a path, if any. */
static void names_from_path(const char *path, char **account, char **region)
{
	*account = *region = NULL;
	for (size_t i = 0; path[i]; i++) {
		bool start = i == 0 || !is_alnum(path[i - 1]);
		if (!*region && start && is_lower(path[i])) {
			size_t n = ct_inventory_region_len(path + i);
			if (n && !is_alnum(path[i + n]))
				*region = ct_xstrndup(path + i, n);
		}
		if (!*account && is_digit(path[i]) && (i == 0 || !is_digit(path[i - 1]))) {
			size_t n = 0;
			while (is_digit(path[i + n]))
				n++;
			if (n == 12)
				*account = ct_xstrndup(path + i, n);
		}
	}
}

/* Field k (0-based) of an ARN arn:partition:service:region:account:...,
 * new string or NULL when missing or empty. */
static char *arn_field(const char *arn, int k)
{
	const char *p = arn, *e;

	if (!arn || strncmp(arn, "arn:", 4) != 0)
		return NULL;
	for (int i = 0; i < k; i++) {
		p = strchr(p, ':');
		if (!p)
			return NULL;
		p++;
	}
	e = strchr(p, ':');
	if (!e || e == p)
		return NULL;
	return ct_xstrndup(p, (size_t)(e - p));
}

const char *ct_inventory_metric_name(const char *name, bool *is_sum)
{
	static const struct {
		const char *cw, *ours;
		bool sum;
	} names[] = {
		{"CPUUtilization", "cpu_avg_pct", false},
		{"NetworkIn", "net_in_bytes", true},
		{"NetworkOut", "net_out_bytes", true},
		{"DatabaseConnections", "db_connections", false},
		{"mem_used_percent", "mem_used_pct", false}, /* CloudWatch agent */
		{"MemoryUtilization", "mem_used_pct", false},
	};

	for (size_t i = 0; i < CT_NELEM(names); i++) {
		if (!strcmp(name, names[i].cw) || !strcmp(name, names[i].ours)) {
			*is_sum = names[i].sum;
			return names[i].ours;
		}
	}
	*is_sum = false;
	return name;
}

/* ---- staging ------------------------------------------------------------ */

static int input_error(struct ct_inventory *inv, long line, struct ct_err *err,
		       const char *fmt, ...) CT_PRINTF(4, 5);
static int input_error(struct ct_inventory *inv, long line, struct ct_err *err,
		       const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ct_err_set(err, CT_E_INPUT, inv->source, line, "%s", msg);
}

static struct res *new_res(struct ct_inventory *inv, const char *kind)
{
	struct res *r;

	CT_GROW(inv->res, inv->nres + 1, inv->capres);
	r = &inv->res[inv->nres++];
	memset(r, 0, sizeof(*r));
	r->multi_az = -1;
	r->s[C_KIND] = ct_xstrdup(kind);
	return r;
}

/* Fill in account and region where the data did not: defaults, then the
 * file name, then ''. */
static void fill_place(struct ct_inventory *inv, struct res *r)
{
	if (!r->s[C_ACCOUNT])
		r->s[C_ACCOUNT] = ct_xstrdup(inv->def_account ? inv->def_account :
					     inv->path_account ? inv->path_account : "");
	if (!r->s[C_REGION])
		r->s[C_REGION] = ct_xstrdup(inv->def_region ? inv->def_region :
					    inv->path_region ? inv->path_region : "");
}

static int stage_metric(struct ct_inventory *inv, const char *rid,
			const char *name, int64_t t, double v, long line,
			struct ct_err *err)
{
	bool is_sum;
	const char *metric = ct_inventory_metric_name(name, &is_sum);
	int64_t day = ct_clock_day(t), idx;
	uint64_t h = ct_hash_u64(ct_hash_bytes(metric, strlen(metric) + 1,
				 ct_hash_bytes(rid, strlen(rid) + 1, 7)), (uint64_t)day);
	struct mval *m;

	if (!isfinite(v))
		return input_error(inv, line, err, "%s: the value is not a finite number",
				   inv->where);
	/* probe past other keys with the same hash */
	while (ct_hash_map_get(&inv->mindex, h, &idx)) {
		m = &inv->mv[idx];
		if (m->day == day && !strcmp(m->rid, rid) && !strcmp(m->metric, metric))
			goto add;
		h = ct_hash_u64(h, 1);
	}
	if (inv->nmv >= CT_INVENTORY_MAX_METRICS)
		return input_error(inv, line, err, "more than %d (resource, metric, "
				   "day) values in one file", CT_INVENTORY_MAX_METRICS);
	CT_GROW(inv->mv, inv->nmv + 1, inv->capmv);
	m = &inv->mv[inv->nmv];
	ct_hash_map_put(&inv->mindex, h, (int64_t)inv->nmv++);
	m->rid = ct_xstrdup(rid);
	m->metric_owned = metric == name;
	m->metric = m->metric_owned ? ct_xstrdup(name) : (char *)metric;
	m->is_sum = is_sum;
	m->day = day;
	m->sum = 0;
	m->samples = 0;
	m->peak = v;
add:
	m->sum += v;
	m->samples++;
	if (v > m->peak)
		m->peak = v;
	return CT_OK;
}

/* ---- JSON helpers --------------------------------------------------------- */

/* The JSON path of the value being read is kept in inv->where, so that a
 * type error can say where it is: "Reservations[3].Instances[0]". */
static void where_set(struct ct_inventory *inv, const char *fmt, ...) CT_PRINTF(2, 3);
static void where_set(struct ct_inventory *inv, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(inv->where, sizeof(inv->where), fmt, ap);
	va_end(ap);
}

static int type_error(struct ct_inventory *inv, const char *key,
		      const char *want, struct ct_err *err)
{
	return input_error(inv, 0, err, "%s%s%s: expected %s", inv->where,
			   key ? "." : "", key ? key : "", want);
}

/* Optional string member: *out is a new string, NULL when absent/null. */
static int get_str(struct ct_inventory *inv, json_t *obj, const char *key,
		   char **out, struct ct_err *err)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return CT_OK;
	if (!json_is_string(v))
		return type_error(inv, key, "a string", err);
	free(*out);
	*out = ct_xstrndup(json_string_value(v), json_string_length(v));
	return CT_OK;
}

static int need_str(struct ct_inventory *inv, json_t *obj, const char *key,
		    char **out, struct ct_err *err)
{
	int rc = get_str(inv, obj, key, out, err);

	if (rc == CT_OK && (!*out || !**out))
		return input_error(inv, 0, err, "%s: %s is missing", inv->where, key);
	return rc;
}

static int get_num(struct ct_inventory *inv, json_t *obj, const char *key,
		   double *out, bool *has, struct ct_err *err)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return CT_OK;
	if (!json_is_number(v))
		return type_error(inv, key, "a number", err);
	*out = json_number_value(v);
	*has = true;
	return CT_OK;
}

static int get_time(struct ct_inventory *inv, json_t *obj, const char *key,
		    int64_t *out, bool *has, struct ct_err *err)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return CT_OK;
	if (!json_is_string(v) ||
	    ct_clock_parse(json_string_value(v), json_string_length(v), out) != CT_OK)
		return type_error(inv, key, "a timestamp", err);
	*has = true;
	return CT_OK;
}

/* Optional object member: *out borrowed, NULL when absent. */
static int get_obj(struct ct_inventory *inv, json_t *obj, const char *key,
		   json_t **out, struct ct_err *err)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return CT_OK;
	if (!json_is_object(v))
		return type_error(inv, key, "an object", err);
	*out = v;
	return CT_OK;
}

static int get_arr(struct ct_inventory *inv, json_t *obj, const char *key,
		   json_t **out, struct ct_err *err)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return CT_OK;
	if (!json_is_array(v))
		return type_error(inv, key, "an array", err);
	*out = v;
	return CT_OK;
}

/* Tags ([{Key, Value}], as EC2 writes them; RDS calls the list TagList)
 * as a JSON object with sorted keys, and the Name tag. */
static int get_tags(struct ct_inventory *inv, json_t *obj, const char *key,
		    struct res *r, struct ct_err *err)
{
	json_t *arr, *t, *out = NULL;
	size_t i;
	int rc = get_arr(inv, obj, key, &arr, err);

	if (rc != CT_OK)
		return rc;
	out = json_object();
	json_array_foreach(arr, i, t) {
		json_t *k = json_is_object(t) ? json_object_get(t, "Key") : NULL;
		json_t *v = json_is_object(t) ? json_object_get(t, "Value") : NULL;
		if (!json_is_string(k) || (v && !json_is_string(v) && !json_is_null(v))) {
			rc = input_error(inv, 0, err, "%s.%s[%zu]: expected "
					 "{\"Key\": string, \"Value\": string}",
					 inv->where, key, i);
			goto out;
		}
		json_object_set_new(out, json_string_value(k),
				    json_string(json_is_string(v) ? json_string_value(v) : ""));
		if (!strcmp(json_string_value(k), "Name") && json_is_string(v)) {
			free(r->s[C_NAME]);
			r->s[C_NAME] = ct_xstrdup(json_string_value(v));
		}
	}
	r->s[C_TAGS] = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
	if (!r->s[C_TAGS])
		ct_die("out of memory");
out:
	json_decref(out);
	return rc;
}

/* The array under the shape's top-level key, each element an object. */
static int each_object(struct ct_inventory *inv, json_t *arr, const char *name,
		       size_t i, json_t *v, struct ct_err *err)
{
	(void)arr;
	where_set(inv, "%s[%zu]", name, i);
	if (!json_is_object(v))
		return input_error(inv, 0, err, "%s: expected an object", inv->where);
	return CT_OK;
}

/* ---- JSON readers ------------------------------------------------------- */

static int read_instance(struct ct_inventory *inv, json_t *in, const char *owner,
			 struct ct_err *err)
{
	struct res *r = new_res(inv, "instance");
	json_t *o;
	char *reason = NULL;
	int rc;

	if ((rc = need_str(inv, in, "InstanceId", &r->s[C_RID], err)) ||
	    (rc = get_str(inv, in, "InstanceType", &r->s[C_ITYPE], err)) ||
	    (rc = get_str(inv, in, "PlatformDetails", &r->s[C_PLATFORM], err)) ||
	    (rc = get_time(inv, in, "LaunchTime", &r->created, &r->has_created, err)) ||
	    (rc = get_str(inv, in, "StateTransitionReason", &reason, err)) ||
	    (rc = get_tags(inv, in, "Tags", r, err)))
		goto out;
	if ((rc = get_obj(inv, in, "State", &o, err)))
		goto out;
	if (o) {
		json_t *n = json_object_get(o, "Name");
		if (n && !json_is_string(n)) {
			rc = type_error(inv, "State.Name", "a string", err);
			goto out;
		}
		if (n)
			r->s[C_STATE] = ct_xstrdup(json_string_value(n));
	}
	if ((rc = get_obj(inv, in, "Placement", &o, err)))
		goto out;
	if (o && (rc = get_str(inv, o, "AvailabilityZone", &r->s[C_AZ], err)))
		goto out;
	r->s[C_REGION] = region_of_az(r->s[C_AZ]);
	if (owner)
		r->s[C_ACCOUNT] = ct_xstrdup(owner);
	/* "User initiated (2026-09-01 10:00:00 GMT)" */
	if (reason) {
		char *p = strchr(reason, '('), *e = p ? strstr(p, " GMT)") : NULL;
		if (e && ct_clock_parse(p + 1, (size_t)(e - p - 1), &r->since) == CT_OK)
			r->has_since = true;
	}
	fill_place(inv, r);
out:
	free(reason);
	return rc;
}

static int read_instances(struct ct_inventory *inv, json_t *arr, struct ct_err *err)
{
	size_t i, j;
	json_t *resv, *in, *list;
	int rc;

	json_array_foreach(arr, i, resv) {
		char *owner = NULL;
		if ((rc = each_object(inv, arr, "Reservations", i, resv, err)) ||
		    (rc = get_str(inv, resv, "OwnerId", &owner, err)) ||
		    (rc = get_arr(inv, resv, "Instances", &list, err))) {
			free(owner);
			return rc;
		}
		json_array_foreach(list, j, in) {
			where_set(inv, "Reservations[%zu].Instances[%zu]", i, j);
			rc = json_is_object(in) ? read_instance(inv, in, owner, err)
						: type_error(inv, NULL, "an object", err);
			if (rc)
				break;
		}
		free(owner);
		if (rc)
			return rc;
	}
	return CT_OK;
}

static int read_volumes(struct ct_inventory *inv, json_t *arr, struct ct_err *err)
{
	size_t i;
	json_t *v, *att;
	int rc;

	json_array_foreach(arr, i, v) {
		struct res *r;
		double iops = 0;
		if ((rc = each_object(inv, arr, "Volumes", i, v, err)))
			return rc;
		r = new_res(inv, "volume");
		if ((rc = need_str(inv, v, "VolumeId", &r->s[C_RID], err)) ||
		    (rc = get_str(inv, v, "VolumeType", &r->s[C_VTYPE], err)) ||
		    (rc = get_str(inv, v, "State", &r->s[C_STATE], err)) ||
		    (rc = get_str(inv, v, "AvailabilityZone", &r->s[C_AZ], err)) ||
		    (rc = get_num(inv, v, "Size", &r->size_gb, &r->has_size, err)) ||
		    (rc = get_num(inv, v, "Iops", &iops, &r->has_iops, err)) ||
		    (rc = get_time(inv, v, "CreateTime", &r->created, &r->has_created, err)) ||
		    (rc = get_tags(inv, v, "Tags", r, err)) ||
		    (rc = get_arr(inv, v, "Attachments", &att, err)))
			return rc;
		r->iops = (int64_t)iops;
		if (json_array_size(att) > 0) {
			json_t *a = json_array_get(att, 0);
			if (!json_is_object(a))
				return type_error(inv, "Attachments[0]", "an object", err);
			if ((rc = get_str(inv, a, "InstanceId", &r->s[C_ATTACHED], err)))
				return rc;
		}
		r->s[C_REGION] = region_of_az(r->s[C_AZ]);
		fill_place(inv, r);
	}
	return CT_OK;
}

static int read_addresses(struct ct_inventory *inv, json_t *arr, struct ct_err *err)
{
	size_t i;
	json_t *v;
	int rc;

	json_array_foreach(arr, i, v) {
		struct res *r;
		if ((rc = each_object(inv, arr, "Addresses", i, v, err)))
			return rc;
		r = new_res(inv, "address");
		if ((rc = get_str(inv, v, "AllocationId", &r->s[C_RID], err)) ||
		    (!r->s[C_RID] && (rc = need_str(inv, v, "PublicIp", &r->s[C_RID], err))) ||
		    (rc = get_str(inv, v, "AssociationId", &r->s[C_ASSOC], err)) ||
		    (rc = get_str(inv, v, "InstanceId", &r->s[C_ATTACHED], err)) ||
		    (!r->s[C_ATTACHED] &&
		     (rc = get_str(inv, v, "NetworkInterfaceId", &r->s[C_ATTACHED], err))) ||
		    (rc = get_str(inv, v, "NetworkBorderGroup", &r->s[C_REGION], err)) ||
		    (rc = get_str(inv, v, "NetworkInterfaceOwnerId", &r->s[C_ACCOUNT], err)) ||
		    (rc = get_tags(inv, v, "Tags", r, err)))
			return rc;
		r->s[C_STATE] = ct_xstrdup(r->s[C_ASSOC] || r->s[C_ATTACHED] ?
					   "associated" : "unassociated");
		fill_place(inv, r);
	}
	return CT_OK;
}

static int read_snapshots(struct ct_inventory *inv, json_t *arr, struct ct_err *err)
{
	size_t i;
	json_t *v;
	int rc;

	json_array_foreach(arr, i, v) {
		struct res *r;
		if ((rc = each_object(inv, arr, "Snapshots", i, v, err)))
			return rc;
		r = new_res(inv, "snapshot");
		if ((rc = need_str(inv, v, "SnapshotId", &r->s[C_RID], err)) ||
		    (rc = get_str(inv, v, "VolumeId", &r->s[C_ATTACHED], err)) ||
		    (rc = get_str(inv, v, "State", &r->s[C_STATE], err)) ||
		    (rc = get_str(inv, v, "OwnerId", &r->s[C_ACCOUNT], err)) ||
		    (rc = get_str(inv, v, "StorageTier", &r->s[C_VTYPE], err)) ||
		    (rc = get_num(inv, v, "VolumeSize", &r->size_gb, &r->has_size, err)) ||
		    (rc = get_time(inv, v, "StartTime", &r->created, &r->has_created, err)) ||
		    (rc = get_tags(inv, v, "Tags", r, err)))
			return rc;
		fill_place(inv, r);
	}
	return CT_OK;
}

static int read_db_instances(struct ct_inventory *inv, json_t *arr, struct ct_err *err)
{
	size_t i;
	json_t *v, *b;
	int rc;

	json_array_foreach(arr, i, v) {
		struct res *r;
		char *arn = NULL;
		double iops = 0;
		if ((rc = each_object(inv, arr, "DBInstances", i, v, err)))
			return rc;
		r = new_res(inv, "db_instance");
		if ((rc = need_str(inv, v, "DBInstanceIdentifier", &r->s[C_NAME], err)) ||
		    (rc = get_str(inv, v, "DBInstanceArn", &arn, err)) ||
		    (rc = get_str(inv, v, "DBInstanceClass", &r->s[C_DBCLASS], err)) ||
		    (rc = get_str(inv, v, "Engine", &r->s[C_ENGINE], err)) ||
		    (rc = get_str(inv, v, "DBInstanceStatus", &r->s[C_STATE], err)) ||
		    (rc = get_str(inv, v, "StorageType", &r->s[C_VTYPE], err)) ||
		    (rc = get_str(inv, v, "AvailabilityZone", &r->s[C_AZ], err)) ||
		    (rc = get_num(inv, v, "AllocatedStorage", &r->size_gb, &r->has_size, err)) ||
		    (rc = get_num(inv, v, "Iops", &iops, &r->has_iops, err)) ||
		    (rc = get_time(inv, v, "InstanceCreateTime", &r->created, &r->has_created, err)) ||
		    (rc = get_tags(inv, v, "TagList", r, err))) {
			free(arn);
			return rc;
		}
		r->iops = (int64_t)iops;
		b = json_object_get(v, "MultiAZ");
		if (b && !json_is_null(b)) {
			if (!json_is_boolean(b)) {
				free(arn);
				return type_error(inv, "MultiAZ", "true or false", err);
			}
			r->multi_az = json_is_true(b);
		}
		/* the Name tag is not the DB name: the identifier is */
		free(r->s[C_NAME]);
		r->s[C_NAME] = NULL;
		if ((rc = need_str(inv, v, "DBInstanceIdentifier", &r->s[C_NAME], err))) {
			free(arn);
			return rc;
		}
		r->s[C_RID] = ct_xstrdup(arn ? arn : r->s[C_NAME]);
		r->s[C_REGION] = arn_field(arn, 3);
		if (!r->s[C_REGION])
			r->s[C_REGION] = region_of_az(r->s[C_AZ]);
		r->s[C_ACCOUNT] = arn_field(arn, 4);
		free(arn);
		fill_place(inv, r);
	}
	return CT_OK;
}

static int read_load_balancers(struct ct_inventory *inv, json_t *arr,
			       struct ct_err *err)
{
	size_t i;
	json_t *v, *st;
	int rc;

	json_array_foreach(arr, i, v) {
		struct res *r;
		if ((rc = each_object(inv, arr, "LoadBalancers", i, v, err)))
			return rc;
		r = new_res(inv, "load_balancer");
		if ((rc = get_str(inv, v, "LoadBalancerArn", &r->s[C_RID], err)) ||
		    (rc = need_str(inv, v, "LoadBalancerName", &r->s[C_NAME], err)) ||
		    (rc = get_str(inv, v, "Type", &r->s[C_LBTYPE], err)) ||
		    (rc = get_time(inv, v, "CreatedTime", &r->created, &r->has_created, err)) ||
		    (rc = get_obj(inv, v, "State", &st, err)) ||
		    (st && (rc = get_str(inv, st, "Code", &r->s[C_STATE], err))))
			return rc;
		if (!r->s[C_RID])
			r->s[C_RID] = ct_xstrdup(r->s[C_NAME]);
		r->s[C_REGION] = arn_field(r->s[C_RID], 3);
		r->s[C_ACCOUNT] = arn_field(r->s[C_RID], 4);
		fill_place(inv, r);
	}
	return CT_OK;
}

/* The load balancer of a describe-target-health output: the file does
 * not say, so it comes from a wrapper object's LoadBalancerArn (or
 * LoadBalancerArns) member, or from a file named
 * "...target-health.<load-balancer-name>.json[.gz]". */
static char *lb_from_path(const char *path)
{
	const char *base = strrchr(path, '/'), *p, *e;

	base = base ? base + 1 : path;
	p = strstr(base, "target-health.");
	if (!p)
		return NULL;
	p += strlen("target-health.");
	e = strstr(p, ".json");
	if (!e || e == p)
		return NULL;
	return ct_xstrndup(p, (size_t)(e - p));
}

static int read_target_health(struct ct_inventory *inv, json_t *root,
			      json_t *arr, struct ct_err *err)
{
	json_t *v, *lbs, *th;
	char *tg = NULL, *lb = NULL;
	long targets = 0, healthy = 0;
	size_t i;
	int rc;

	where_set(inv, "%s", "(top level)");
	if ((rc = get_str(inv, root, "TargetGroupArn", &tg, err)) ||
	    (rc = get_str(inv, root, "LoadBalancerArn", &lb, err)) ||
	    (rc = get_arr(inv, root, "LoadBalancerArns", &lbs, err)))
		goto out;
	json_array_foreach(arr, i, v) {
		char *state = NULL;
		if ((rc = each_object(inv, arr, "TargetHealthDescriptions", i, v, err)) ||
		    (rc = get_obj(inv, v, "TargetHealth", &th, err)) ||
		    (th && (rc = get_str(inv, th, "State", &state, err))))
			goto out;
		targets++;
		if (state && !strcmp(state, "healthy"))
			healthy++;
		free(state);
	}
	if (!lb && !json_array_size(lbs))
		lb = lb_from_path(inv->source);
	if (!lb && !json_array_size(lbs)) {
		rc = input_error(inv, 0, err, "describe-target-health output does not "
				 "say which load balancer it is for: wrap it as "
				 "{\"LoadBalancerArn\": ..., \"TargetHealthDescriptions\": "
				 "[...]} or name the file target-health.<load-balancer-name>.json");
		goto out;
	}
	for (i = 0; i < (lb ? 1 : json_array_size(lbs)); i++) {
		json_t *s = lb ? NULL : json_array_get(lbs, i);
		struct health *h;
		if (!lb && !json_is_string(s)) {
			rc = input_error(inv, 0, err, "LoadBalancerArns[%zu]: expected a string", i);
			goto out;
		}
		CT_GROW(inv->health, inv->nhealth + 1, inv->caphealth);
		h = &inv->health[inv->nhealth++];
		h->lb = ct_xstrdup(lb ? lb : json_string_value(s));
		h->tg = ct_xstrdup(tg ? tg : "");
		h->targets = targets;
		h->healthy = healthy;
	}
out:
	free(tg);
	free(lb);
	return rc;
}

static int read_metric_data(struct ct_inventory *inv, json_t *arr,
			    struct ct_err *err)
{
	size_t i, j;
	json_t *v, *ts, *vals;
	int rc = CT_OK;

	json_array_foreach(arr, i, v) {
		char *label = NULL, *id = NULL, *rid, *sp;
		const char *metric = "CPUUtilization";
		if ((rc = each_object(inv, arr, "MetricDataResults", i, v, err)) ||
		    (rc = get_str(inv, v, "Label", &label, err)) ||
		    (rc = get_str(inv, v, "Id", &id, err)) ||
		    (rc = get_arr(inv, v, "Timestamps", &ts, err)) ||
		    (rc = get_arr(inv, v, "Values", &vals, err)))
			goto next;
		rid = label && *label ? label : id;
		if (!rid || !*rid) {
			rc = input_error(inv, 0, err, "%s: neither Label nor Id names "
					 "the resource", inv->where);
			goto next;
		}
		while (*rid == ' ')
			rid++;
		/* "<resource-id>" or "<resource-id> <MetricName>" */
		sp = strchr(rid, ' ');
		if (sp) {
			*sp++ = '\0';
			while (*sp == ' ')
				sp++;
			if (*sp)
				metric = sp;
		}
		if (json_array_size(ts) != json_array_size(vals)) {
			rc = input_error(inv, 0, err, "%s: %zu Timestamps but %zu Values",
					 inv->where, json_array_size(ts),
					 json_array_size(vals));
			goto next;
		}
		for (j = 0; j < json_array_size(ts) && rc == CT_OK; j++) {
			json_t *t = json_array_get(ts, j), *x = json_array_get(vals, j);
			int64_t when;
			if (!json_is_string(t) ||
			    ct_clock_parse(json_string_value(t), json_string_length(t), &when)) {
				rc = input_error(inv, 0, err, "%s.Timestamps[%zu]: expected "
						 "a timestamp", inv->where, j);
				break;
			}
			if (!json_is_number(x)) {
				rc = input_error(inv, 0, err, "%s.Values[%zu]: expected a "
						 "number", inv->where, j);
				break;
			}
			rc = stage_metric(inv, rid, metric, when, json_number_value(x), 0, err);
		}
next:
		free(label);
		free(id);
		if (rc)
			return rc;
	}
	return CT_OK;
}

/* ---- kubectl --------------------------------------------------------- */

/* A kubectl List: {"apiVersion": "v1", "kind": "List" (or NodeList,
 * PodList ...), "items": [...]}. */
static bool kube_list(json_t *root)
{
	const char *k = json_string_value(json_object_get(root, "kind"));
	size_t n = k ? strlen(k) : 0;

	return n >= 4 && !strcmp(k + n - 4, "List") && json_is_array(json_object_get(root, "items")) &&
	       json_object_get(root, "apiVersion");
}

/* Which snapshot a List is, from the kind of its items (or of the List
 * when it is empty); NULL when it holds no kind cloudtally prices. */
static const char *kube_kind(json_t *root, enum ct_kube_file *what)
{
	static const struct {
		const char *kind, *name;
		enum ct_kube_file what;
	} kinds[] = {
		{"Node", "nodes", CT_KUBE_NODES},
		{"Pod", "pods", CT_KUBE_PODS},
		{"PersistentVolume", "volumes", CT_KUBE_VOLUMES},
		{"PersistentVolumeClaim", "volumes", CT_KUBE_VOLUMES},
		{"StorageClass", "volumes", CT_KUBE_VOLUMES},
		{"Service", "services", CT_KUBE_SERVICES},
		{"Ingress", "services", CT_KUBE_SERVICES},
	};
	json_t *items = json_object_get(root, "items");
	const char *k = json_string_value(json_object_get(json_array_get(items, 0), "kind"));
	char list[64];

	if (!k) {
		/* an empty NodeList ...: the kind is the List's without "List" */
		const char *lk = json_string_value(json_object_get(root, "kind"));
		snprintf(list, sizeof(list), "%.*s", (int)(strlen(lk) - 4), lk);
		k = list;
	}
	for (size_t i = 0; i < CT_NELEM(kinds); i++) {
		if (!strcmp(k, kinds[i].kind)) {
			*what = kinds[i].what;
			return kinds[i].name;
		}
	}
	return NULL;
}

/* Check a kubectl List with the reader `cloudtally k8s` uses and stage it
 * as it was given. */
static int read_kube(struct ct_inventory *inv, json_t *root, const char *text, size_t len,
		     struct ct_err *err)
{
	enum ct_kube_file what = CT_KUBE_NODES;
	const char *kind = kube_kind(root, &what);
	struct ct_kube k;
	int rc;

	inv->kind = K_KUBE;
	if (!kind) {
		inv->unknown = true;
		return input_error(inv, 0, err, "a kubectl List of no kind cloudtally prices "
				   "(Node, Pod, PersistentVolume, PersistentVolumeClaim, "
				   "StorageClass, Service, Ingress)");
	}
	ct_kube_init(&k);
	rc = ct_kube_read(&k, what, inv->source, text, len, err);
	ct_kube_release(&k);
	if (rc != CT_OK)
		return rc;
	inv->kube_kind = kind;
	inv->kube_body = ct_xstrndup(text, len);
	return CT_OK;
}

static void begin_file(struct ct_inventory *inv, const char *source)
{
	ct_inventory_discard(inv);
	inv->source = ct_xstrdup(source);
	names_from_path(source, &inv->path_account, &inv->path_region);
	inv->where[0] = '\0';
	inv->kind = K_NONE;
	inv->unknown = false;
}

int ct_inventory_read_json(struct ct_inventory *inv, const char *source,
			   const char *text, size_t len, struct ct_err *err)
{
	json_error_t je;
	json_t *root, *arr = NULL;
	const struct shape *sh = NULL;
	int rc;

	begin_file(inv, source);
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return input_error(inv, je.line > 0 ? je.line : 0, err,
				   "not valid JSON: %s", je.text);
	if (!json_is_object(root)) {
		rc = input_error(inv, 0, err, "unrecognised JSON: the top level is "
				 "not an object");
		goto out;
	}
	if (kube_list(root)) {
		rc = read_kube(inv, root, text, len, err);
		goto out;
	}
	for (size_t i = 0; i < CT_NELEM(shapes) && !sh; i++)
		if ((arr = json_object_get(root, shapes[i].key)))
			sh = &shapes[i];
	if (!sh) {
		inv->unknown = true;
		rc = input_error(inv, 0, err, "unrecognised JSON: expected the AWS CLI "
				 "output of ec2 describe-instances, describe-volumes, "
				 "describe-addresses or describe-snapshots, rds "
				 "describe-db-instances, elbv2 describe-load-balancers or "
				 "describe-target-health, or cloudwatch get-metric-data");
		goto out;
	}
	inv->kind = sh->kind;
	if (!json_is_array(arr)) {
		rc = input_error(inv, 0, err, "%s: expected an array", sh->key);
		goto out;
	}
	switch (sh->kind) {
	case K_INSTANCES: rc = read_instances(inv, arr, err); break;
	case K_VOLUMES: rc = read_volumes(inv, arr, err); break;
	case K_ADDRESSES: rc = read_addresses(inv, arr, err); break;
	case K_SNAPSHOTS: rc = read_snapshots(inv, arr, err); break;
	case K_DB_INSTANCES: rc = read_db_instances(inv, arr, err); break;
	case K_LOAD_BALANCERS: rc = read_load_balancers(inv, arr, err); break;
	case K_TARGET_HEALTH: rc = read_target_health(inv, root, arr, err); break;
	case K_METRICS_JSON: rc = read_metric_data(inv, arr, err); break;
	default: rc = ct_err_set(err, CT_E_INTERNAL, source, 0, "bad shape"); break;
	}
out:
	json_decref(root);
	if (rc != CT_OK) {
		char *src = inv->source;
		inv->source = NULL;
		ct_inventory_discard(inv);
		free(src);
	}
	return rc;
}

/* ---- metrics CSV -------------------------------------------------------- */

static int col_of(const struct ct_csv_rec *hdr, const char *name)
{
	for (size_t i = 0; i < hdr->n; i++) {
		const char *f = hdr->field[i];
		size_t n = hdr->len[i];
		if (i == 0 && n >= 3 && !memcmp(f, "\xef\xbb\xbf", 3)) {
			f += 3; /* a byte order mark the reader left */
			n -= 3;
		}
		while (n && (*f == ' ' || *f == '\t'))
			f++, n--;
		while (n && (f[n - 1] == ' ' || f[n - 1] == '\t'))
			n--;
		if (n == strlen(name) && !strncasecmp(f, name, n))
			return (int)i;
	}
	return -1;
}

bool ct_inventory_is_csv_header(const struct ct_csv_rec *hdr)
{
	bool metrics = col_of(hdr, "resource_id") >= 0 && col_of(hdr, "timestamp") >= 0 &&
		       col_of(hdr, "metric") >= 0 && col_of(hdr, "value") >= 0;
	bool optimizer = col_of(hdr, "accountId") >= 0 && col_of(hdr, "finding") >= 0 &&
			 (col_of(hdr, "instanceArn") >= 0 || col_of(hdr, "volumeArn") >= 0);

	return metrics || optimizer;
}

/* Discard what a failed CSV read staged, keeping err. */
static int csv_failed(struct ct_inventory *inv, int rc)
{
	char *src = inv->source;

	inv->source = NULL;
	ct_inventory_discard(inv);
	free(src);
	return rc;
}

static int read_metrics_csv(struct ct_inventory *inv, struct ct_csv *csv,
			    const struct ct_csv_rec *hdr, struct ct_err *err)
{
	int ci = col_of(hdr, "resource_id"), ct = col_of(hdr, "timestamp");
	int cm = col_of(hdr, "metric"), cv = col_of(hdr, "value");
	int need = ci > ct ? ci : ct;
	struct ct_csv_rec rec;
	int rc;

	need = need > cm ? need : cm;
	need = need > cv ? need : cv;
	inv->kind = K_METRICS_CSV;
	while ((rc = ct_csv_next(csv, &rec, err)) == 1) {
		int64_t t;
		double v;
		char *end;
		if (rec.n == 1 && rec.len[0] == 0)
			continue; /* blank line */
		if (rec.n <= (size_t)need)
			return input_error(inv, rec.line, err, "%zu fields, the header has %zu",
					   rec.n, hdr->n);
		if (!rec.len[ci] || !rec.len[cm])
			return input_error(inv, rec.line, err, "empty resource_id or metric");
		if (ct_clock_parse(rec.field[ct], rec.len[ct], &t) != CT_OK)
			return input_error(inv, rec.line, err, "timestamp '%.40s' is not a "
					   "date and time", rec.field[ct]);
		errno = 0;
		v = strtod(rec.field[cv], &end);
		if (!rec.len[cv] || *end || errno == ERANGE || !isfinite(v))
			return input_error(inv, rec.line, err, "value '%.40s' is not a "
					   "number", rec.field[cv]);
		snprintf(inv->where, sizeof(inv->where), "line %ld", rec.line);
		rc = stage_metric(inv, rec.field[ci], rec.field[cm], t, v, rec.line, err);
		if (rc != CT_OK)
			return rc;
	}
	return rc < 0 ? rc : CT_OK;
}

/* Field c of rec as a new string, NULL when the column is absent or the
 * field empty. */
static char *field_dup(const struct ct_csv_rec *rec, int c)
{
	if (c < 0 || (size_t)c >= rec->n || !rec->len[c])
		return NULL;
	return ct_xstrndup(rec->field[c], rec->len[c]);
}

/*
 * An AWS Compute Optimizer export (EC2 instances or EBS volumes, the CSV
 * that ExportEC2InstanceRecommendations / ExportEBSVolumeRecommendations
 * write): one recommendation per resource, read by column name; the first
 * recommendation option is kept (the one Compute Optimizer ranks first).
 * A resource listed twice keeps the later row.
 */
static int read_optimizer_csv(struct ct_inventory *inv, struct ct_csv *csv,
			      const struct ct_csv_rec *hdr, struct ct_err *err)
{
	bool ec2 = col_of(hdr, "instanceArn") >= 0;
	int c_arn = col_of(hdr, ec2 ? "instanceArn" : "volumeArn");
	int c_acct = col_of(hdr, "accountId"), c_find = col_of(hdr, "finding");
	int c_name = col_of(hdr, "instanceName");
	int c_cur = col_of(hdr, ec2 ? "currentInstanceType" : "currentConfiguration_volumeType");
	int c_size = ec2 ? -1 : col_of(hdr, "currentConfiguration_volumeSize");
	int c_rec = col_of(hdr, ec2 ? "recommendationOptions_1_instanceType"
				    : "recommendationOptions_1_configuration_volumeType");
	int c_rsize = ec2 ? -1 : col_of(hdr, "recommendationOptions_1_configuration_volumeSize");
	int c_sav = col_of(hdr, "recommendationOptions_1_estimatedMonthlySavings_value");
	int c_risk = col_of(hdr, "recommendationOptions_1_performanceRisk");
	int c_count = col_of(hdr, "recommendations_count");
	struct ct_csv_rec rec;
	int rc;

	inv->kind = ec2 ? K_OPTIMIZER_EC2 : K_OPTIMIZER_EBS;
	if (c_cur < 0)
		return input_error(inv, hdr->line, err, "a Compute Optimizer export without "
				   "the %s column", ec2 ? "currentInstanceType"
							: "currentConfiguration_volumeType");
	while ((rc = ct_csv_next(csv, &rec, err)) == 1) {
		struct optrec *o;
		char *arn, *slash, *size = NULL;
		double v;

		if (rec.n == 1 && rec.len[0] == 0)
			continue;
		if (rec.n != hdr->n)
			return input_error(inv, rec.line, err, "%zu fields, the header has %zu",
					   rec.n, hdr->n);
		arn = field_dup(&rec, c_arn);
		slash = arn ? strrchr(arn, '/') : NULL;
		if (!slash || !slash[1] || !rec.len[c_find]) {
			free(arn);
			return input_error(inv, rec.line, err, "%s is not a resource ARN, or "
					   "finding is empty", ec2 ? "instanceArn" : "volumeArn");
		}
		CT_GROW(inv->opt, inv->nopt + 1, inv->capopt);
		o = &inv->opt[inv->nopt++];
		memset(o, 0, sizeof(*o));
		o->rid = ct_xstrdup(slash + 1);
		o->kind = ct_xstrdup(ec2 ? "instance" : "volume");
		o->region = arn_field(arn, 3);
		o->account = field_dup(&rec, c_acct);
		if (!o->account)
			o->account = arn_field(arn, 4);
		free(arn);
		if (!o->region)
			o->region = ct_xstrdup(inv->def_region ? inv->def_region : "");
		if (!o->account)
			o->account = ct_xstrdup(inv->def_account ? inv->def_account : "");
		o->name = field_dup(&rec, c_name);
		o->finding = field_dup(&rec, c_find);
		o->current = field_dup(&rec, c_cur);
		o->rec = field_dup(&rec, c_rec);
		/* a volume's configuration is its type and size: "gp2 80 GiB" */
		if (!ec2 && o->current && (size = field_dup(&rec, c_size))) {
			char *t = ct_xasprintf("%s %s GiB", o->current, size);
			free(o->current);
			free(size);
			o->current = t;
		}
		if (!ec2 && o->rec && (size = field_dup(&rec, c_rsize))) {
			char *t = ct_xasprintf("%s %s GiB", o->rec, size);
			free(o->rec);
			free(size);
			o->rec = t;
		}
		if (c_sav >= 0 && rec.len[c_sav]) {
			if (ct_money_parse(rec.field[c_sav], rec.len[c_sav], &o->savings) != CT_OK)
				return input_error(inv, rec.line, err, "estimated monthly "
						   "savings '%.40s' is not an amount",
						   rec.field[c_sav]);
			o->has_savings = true;
		}
		if (c_risk >= 0 && rec.len[c_risk]) {
			if (ct_num_parse(rec.field[c_risk], rec.len[c_risk], &v) != CT_OK ||
			    v < 0 || v > 4)
				return input_error(inv, rec.line, err, "performance risk "
						   "'%.40s' is not a number from 0 to 4",
						   rec.field[c_risk]);
			o->risk = v;
			o->has_risk = true;
		}
		if (c_count >= 0 && rec.len[c_count]) {
			if (ct_num_parse(rec.field[c_count], rec.len[c_count], &v) != CT_OK ||
			    v < 0 || v > 100 || v != (long)v)
				return input_error(inv, rec.line, err, "recommendations_count "
						   "'%.40s' is not a small whole number",
						   rec.field[c_count]);
			o->options = (long)v;
		}
	}
	return rc < 0 ? rc : CT_OK;
}

int ct_inventory_read_csv(struct ct_inventory *inv, const char *source,
			  struct ct_csv *csv, const struct ct_csv_rec *hdr,
			  struct ct_err *err)
{
	int rc;

	begin_file(inv, source);
	if (col_of(hdr, "resource_id") >= 0 && col_of(hdr, "timestamp") >= 0 &&
	    col_of(hdr, "metric") >= 0 && col_of(hdr, "value") >= 0)
		rc = read_metrics_csv(inv, csv, hdr, err);
	else if (col_of(hdr, "accountId") >= 0 && col_of(hdr, "finding") >= 0 &&
		 (col_of(hdr, "instanceArn") >= 0 || col_of(hdr, "volumeArn") >= 0))
		rc = read_optimizer_csv(inv, csv, hdr, err);
	else
		rc = input_error(inv, hdr->line, err, "the header is neither the metrics "
				 "CSV (resource_id, timestamp, metric, value) nor a Compute "
				 "Optimizer export");
	return rc < 0 ? csv_failed(inv, rc) : CT_OK;
}

/* ---- storing ----------------------------------------------------------- */

/* Delete earlier runs' rows of a (kind, account, region) with q (del_res
 * or del_opt) the first time this run meets that key. */
static int clear_key(struct ct_inventory *inv, struct ct_stmt *q, const char *kind,
		     const char *account, const char *region, struct ct_err *err)
{
	char *key = ct_xasprintf("%s\n%s\n%s\n%s", q == inv->del_opt ? "opt" : "res", kind,
				 account, region);
	int rc;

	for (size_t i = inv->ncleared; i-- > 0;) {
		if (!strcmp(inv->cleared[i], key)) {
			free(key);
			return CT_OK;
		}
	}
	CT_GROW(inv->cleared, inv->ncleared + 1, inv->capcleared);
	inv->cleared[inv->ncleared++] = key;
	ct_stmt_bind_str(q, 1, kind);
	ct_stmt_bind_str(q, 2, account);
	ct_stmt_bind_str(q, 3, region);
	ct_stmt_bind_int64(q, 4, inv->batch);
	rc = ct_stmt_step(q, err);
	ct_stmt_reset(q);
	return rc < 0 ? CT_E_DB : CT_OK;
}

static int store_res(struct ct_inventory *inv, const struct res *r,
		     struct ct_err *err)
{
	struct ct_stmt *q = inv->ins_res;
	int rc = clear_key(inv, inv->del_res, r->s[C_KIND], r->s[C_ACCOUNT], r->s[C_REGION], err);

	if (rc != CT_OK)
		return rc;
	for (int c = 0; c < C__N; c++)
		ct_stmt_bind_str(q, c + 1, c == C_TAGS && !r->s[c] ? "{}" : r->s[c]);
	if (r->has_size)
		ct_stmt_bind_double(q, C__N + 1, r->size_gb);
	else
		ct_stmt_bind_null(q, C__N + 1);
	if (r->has_iops)
		ct_stmt_bind_int64(q, C__N + 2, r->iops);
	else
		ct_stmt_bind_null(q, C__N + 2);
	if (r->multi_az >= 0)
		ct_stmt_bind_int64(q, C__N + 3, r->multi_az);
	else
		ct_stmt_bind_null(q, C__N + 3);
	if (r->has_created)
		ct_stmt_bind_int64(q, C__N + 4, r->created);
	else
		ct_stmt_bind_null(q, C__N + 4);
	if (r->has_since)
		ct_stmt_bind_int64(q, C__N + 5, r->since);
	else
		ct_stmt_bind_null(q, C__N + 5);
	ct_stmt_bind_int64(q, C__N + 6, inv->batch);
	ct_stmt_bind_str(q, C__N + 7, inv->source);
	ct_stmt_bind_str(q, C__N + 8, inv->now_iso);
	rc = ct_stmt_step(q, err);
	ct_stmt_reset(q);
	return rc < 0 ? CT_E_DB : CT_OK;
}

static int cmp_mval(const void *a, const void *b)
{
	const struct mval *x = a, *y = b;
	int c = strcmp(x->rid, y->rid);

	if (!c)
		c = strcmp(x->metric, y->metric);
	if (!c && x->day != y->day)
		c = x->day < y->day ? -1 : 1;
	return c;
}

int ct_inventory_store(struct ct_inventory *inv, const char *checksum,
		       struct ct_inventory_counts *out, struct ct_err *err)
{
	struct ct_inventory_counts n = {0, 0, 0};
	int rc = CT_OK;

	for (size_t i = 0; i < inv->nres && rc == CT_OK; i++) {
		rc = store_res(inv, &inv->res[i], err);
		n.resources++;
	}
	for (size_t i = 0; i < inv->nhealth && rc == CT_OK; i++) {
		struct ct_stmt *q = inv->ins_health;
		ct_stmt_bind_str(q, 1, inv->health[i].lb);
		ct_stmt_bind_str(q, 2, inv->health[i].tg);
		ct_stmt_bind_int64(q, 3, inv->health[i].targets);
		ct_stmt_bind_int64(q, 4, inv->health[i].healthy);
		ct_stmt_bind_int64(q, 5, inv->batch);
		ct_stmt_bind_str(q, 6, inv->source);
		ct_stmt_bind_str(q, 7, inv->now_iso);
		rc = ct_stmt_step(q, err) < 0 ? CT_E_DB : CT_OK;
		ct_stmt_reset(q);
		n.targets++;
	}
	for (size_t i = 0; i < inv->nopt && rc == CT_OK; i++) {
		struct ct_stmt *q = inv->ins_opt;
		const struct optrec *o = &inv->opt[i];
		rc = clear_key(inv, inv->del_opt, o->kind, o->account, o->region, err);
		if (rc != CT_OK)
			break;
		ct_stmt_bind_str(q, 1, o->rid);
		ct_stmt_bind_str(q, 2, o->kind);
		ct_stmt_bind_str(q, 3, o->account);
		ct_stmt_bind_str(q, 4, o->region);
		ct_stmt_bind_str(q, 5, o->name);
		ct_stmt_bind_str(q, 6, o->current);
		ct_stmt_bind_str(q, 7, o->finding);
		ct_stmt_bind_str(q, 8, o->rec);
		if (o->has_savings)
			ct_stmt_bind_int64(q, 9, o->savings);
		else
			ct_stmt_bind_null(q, 9);
		if (o->has_risk)
			ct_stmt_bind_double(q, 10, o->risk);
		else
			ct_stmt_bind_null(q, 10);
		ct_stmt_bind_int64(q, 11, o->options);
		ct_stmt_bind_int64(q, 12, inv->batch);
		ct_stmt_bind_str(q, 13, inv->source);
		ct_stmt_bind_str(q, 14, inv->now_iso);
		rc = ct_stmt_step(q, err) < 0 ? CT_E_DB : CT_OK;
		ct_stmt_reset(q);
		n.resources++;
	}
	if (inv->kube_body && rc == CT_OK) {
		struct ct_stmt *q = inv->del_kube;
		char *key = ct_xasprintf("kube\n%s", inv->kube_kind);
		bool seen = false;

		for (size_t i = 0; i < inv->ncleared && !seen; i++)
			seen = !strcmp(inv->cleared[i], key);
		if (!seen) {
			CT_GROW(inv->cleared, inv->ncleared + 1, inv->capcleared);
			inv->cleared[inv->ncleared++] = key;
			ct_stmt_bind_str(q, 1, inv->kube_kind);
			ct_stmt_bind_int64(q, 2, inv->batch);
			rc = ct_stmt_step(q, err) < 0 ? CT_E_DB : CT_OK;
			ct_stmt_reset(q);
		} else {
			free(key);
		}
		q = inv->ins_kube;
		ct_stmt_bind_str(q, 1, inv->kube_kind);
		ct_stmt_bind_str(q, 2, inv->kube_body);
		ct_stmt_bind_int64(q, 3, inv->batch);
		ct_stmt_bind_str(q, 4, inv->source);
		ct_stmt_bind_str(q, 5, inv->now_iso);
		if (rc == CT_OK)
			rc = ct_stmt_step(q, err) < 0 ? CT_E_DB : CT_OK;
		ct_stmt_reset(q);
		n.resources++;
	}
	/* in key order: the b-tree fills page after page */
	if (inv->nmv)
		qsort(inv->mv, inv->nmv, sizeof(*inv->mv), cmp_mval);
	for (size_t i = 0; i < inv->nmv && rc == CT_OK; i++) {
		struct ct_stmt *q = inv->upsert_metric;
		const struct mval *m = &inv->mv[i];
		ct_stmt_bind_str(q, 1, m->rid);
		ct_stmt_bind_str(q, 2, m->metric);
		ct_stmt_bind_int64(q, 3, m->day);
		ct_stmt_bind_double(q, 4, m->sum);
		ct_stmt_bind_int64(q, 5, m->samples);
		ct_stmt_bind_double(q, 6, m->peak);
		ct_stmt_bind_int64(q, 7, inv->batch);
		ct_stmt_bind_int64(q, 8, m->is_sum);
		ct_stmt_bind_str(q, 9, inv->source);
		rc = ct_stmt_step(q, err) < 0 ? CT_E_DB : CT_OK;
		ct_stmt_reset(q);
		n.metric_days++;
	}
	if (rc == CT_OK) {
		struct ct_stmt *q = inv->ins_file;
		ct_stmt_bind_int64(q, 1, inv->batch);
		ct_stmt_bind_str(q, 2, inv->source);
		ct_stmt_bind_str(q, 3, ct_inventory_format(inv));
		ct_stmt_bind_int64(q, 4, n.resources + n.metric_days + n.targets);
		ct_stmt_bind_str(q, 5, checksum);
		ct_stmt_bind_str(q, 6, inv->now_iso);
		rc = ct_stmt_step(q, err) < 0 ? CT_E_DB : CT_OK;
		ct_stmt_reset(q);
	}
	ct_inventory_discard(inv);
	if (out)
		*out = n;
	return rc;
}
