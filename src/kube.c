/*
 * kube.c - readers of kubectl and Prometheus JSON and the Kubernetes
 * quantity parser (see kube.h).
 *
 * Each item is read into a local struct and appended only when all of it
 * is good, so a bad file is dropped whole: ct_kube_read() truncates the
 * arrays back to where they were. The JSON path of every value read is
 * built as the reader goes down ("items[3].spec.containers[0]"), keys
 * that are not plain words written as ["nvidia.com/gpu"]. Label rules
 * (research/pricing-and-k8s.md B5.1): the stable label first, then the
 * deprecated beta one, then spec.providerID. It depends on Jansson, the
 * stream reader and ct_k8s_muldiv(); it must not print or price.
 */
#include "ct.h"
#include "kube.h"
#include "inventory.h"
#include "k8s.h"
#include "money.h"
#include "stream.h"

#include <math.h>

#include <jansson.h>

/* ---- quantities -------------------------------------------------------- */

static int64_t pow10_u(int k) /* 10^k for 0 <= k <= 18 */
{
	int64_t v = 1;

	while (k-- > 0)
		v *= 10;
	return v;
}

int ct_kube_quantity(const char *s, int scale, int64_t *out)
{
	const char *p = s, *d0, *d1, *dot = NULL;
	uint64_t n = 0, mult = 1, q, r; /* n < 10^19 */
	int64_t e10 = 0, exp = 0;
	size_t first, last, ndig = 0;
	int bin = 0;

	if (!s)
		return CT_E_INPUT;
	if (*p == '+')
		p++;
	d0 = p;
	while ((*p >= '0' && *p <= '9') || (*p == '.' && !dot)) {
		if (*p == '.')
			dot = p;
		else
			ndig++;
		p++;
	}
	d1 = p;
	if (ndig == 0)
		return CT_E_INPUT; /* "", ".", "-1", "Gi" */
	/* the suffix */
	if (!*p) {
		;
	} else if (p[1] == 'i' && !p[2] && strchr("KMGTPE", p[0])) {
		bin = (int)(strchr("KMGTPE", p[0]) - "KMGTPE") + 1;
	} else if ((p[0] == 'e' || p[0] == 'E') && p[1]) {
		const char *x = p + 1;
		bool neg = false;
		if (*x == '+' || *x == '-')
			neg = *x++ == '-';
		if (!*x)
			return CT_E_INPUT;
		for (; *x; x++) {
			if (*x < '0' || *x > '9')
				return CT_E_INPUT;
			if (exp < 100000)
				exp = exp * 10 + (*x - '0');
		}
		if (exp >= 100000)
			return CT_E_INPUT;
		e10 = neg ? -exp : exp;
	} else if (!p[1] && strchr("numkMGTPE", p[0])) {
		static const int pw[] = {-9, -6, -3, 3, 6, 9, 12, 15, 18};
		e10 = pw[strchr("numkMGTPE", p[0]) - "numkMGTPE"];
	} else {
		return CT_E_INPUT;
	}
	/* the significant digits: leading and trailing zeros stripped, the
	 * trailing ones moved into the exponent */
	{
		size_t pos = 0; /* digits before the point */
		const char *c;
		for (c = d0; c < d1 && c != dot; c++)
			pos++;
		/* value = digits x 10^(pos - ndig) */
		e10 += (int64_t)pos - (int64_t)ndig;
		first = 0;
		last = ndig; /* digit indices [first, last) */
		/* strip on the digit sequence without the point */
		char *digs = ct_xmalloc(ndig + 1);
		size_t k = 0;
		for (c = d0; c < d1; c++)
			if (c != dot)
				digs[k++] = *c;
		while (first < last && digs[first] == '0')
			first++;
		while (last > first && digs[last - 1] == '0') {
			last--;
			e10++;
		}
		if (last - first > 19) {
			free(digs);
			return CT_E_INPUT;
		}
		for (k = first; k < last; k++)
			n = n * 10 + (uint64_t)(digs[k] - '0');
		free(digs);
	}
	if (n == 0) {
		*out = 0;
		return CT_OK;
	}
	e10 += scale;
	mult = (uint64_t)1 << (10 * bin); /* n < 10^19, mult <= 2^60 */
	if (e10 >= 0) {
		if (!ct_k8s_muldiv(n, mult, 1, &q, &r) || q > (uint64_t)INT64_MAX)
			return CT_E_INPUT;
		for (; e10 > 0; e10--) {
			if (q > (uint64_t)INT64_MAX / 10)
				return CT_E_INPUT;
			q *= 10;
		}
		*out = (int64_t)q;
		return CT_OK;
	}
	/* ceil(n x mult / 10^k), n x mult < 2^124; in two steps when k > 19,
	 * as ceil(ceil(x / a) / b) = ceil(x / ab) */
	{
		int64_t k = -e10;
		uint64_t dv1 = k >= 19 ? (uint64_t)pow10_u(18) * 10 : (uint64_t)pow10_u((int)k);
		if (!ct_k8s_muldiv(n, mult, dv1, &q, &r))
			return CT_E_INPUT; /* k < 19 and more than 64 bits */
		q += r != 0;
		k -= k >= 19 ? 19 : k;
		if (k >= 19) {
			q = q > 0; /* q < 2^61 < 10^k: a fraction of one, up */
		} else if (k > 0) {
			uint64_t dv = (uint64_t)pow10_u((int)k);
			q = q / dv + (q % dv != 0);
		}
		if (q > (uint64_t)INT64_MAX)
			return CT_E_INPUT;
		*out = (int64_t)q;
	}
	return CT_OK;
}

/* ---- the snapshot -------------------------------------------------------- */

void ct_kube_init(struct ct_kube *k)
{
	memset(k, 0, sizeof(*k));
}

static void map_release(struct ct_kube_map *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->kv[i].key);
		free(m->kv[i].value);
	}
	free(m->kv);
	m->kv = NULL;
	m->n = 0;
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void node_release(struct ct_kube_node *n)
{
	free(n->name);
	map_release(&n->labels);
	free(n->instance_type);
	free(n->region);
	free(n->zone);
	free(n->group);
}

static void pod_release(struct ct_kube_pod *p)
{
	free(p->ns);
	free(p->name);
	free(p->node);
	free(p->phase);
	map_release(&p->labels);
	free(p->controller_kind);
	free(p->controller);
	for (size_t i = 0; i < p->nc; i++)
		free(p->c[i].name);
	free(p->c);
	strv_free(p->claims, p->nclaims);
}

static void pv_release(struct ct_kube_pv *v)
{
	free(v->name);
	free(v->class_name);
	free(v->driver);
	free(v->claim_ns);
	free(v->claim_name);
	free(v->phase);
}

static void pvc_release(struct ct_kube_pvc *c)
{
	free(c->ns);
	free(c->name);
	free(c->class_name);
	free(c->volume);
	free(c->phase);
}

static void class_release(struct ct_kube_class *c)
{
	free(c->name);
	free(c->provisioner);
	map_release(&c->params);
}

static void lb_release(struct ct_kube_service *l)
{
	free(l->ns);
	free(l->name);
	free(l->group);
	map_release(&l->selector);
	strv_free(l->backends, l->nbackends);
}

static void usage_release(struct ct_kube_usage *u)
{
	free(u->ns);
	free(u->pod);
	free(u->container);
}

/* Sizes of the arrays, to go back to after a bad file. */
struct mark {
	size_t nodes, pods, pvs, pvcs, classes, services;
};

static struct mark mark_of(const struct ct_kube *k)
{
	struct mark m = {k->nnodes, k->npods, k->npvs, k->npvcs, k->nclasses, k->nservices};
	return m;
}

static void truncate_to(struct ct_kube *k, const struct mark *m)
{
	while (k->nnodes > m->nodes)
		node_release(&k->nodes[--k->nnodes]);
	while (k->npods > m->pods)
		pod_release(&k->pods[--k->npods]);
	while (k->npvs > m->pvs)
		pv_release(&k->pvs[--k->npvs]);
	while (k->npvcs > m->pvcs)
		pvc_release(&k->pvcs[--k->npvcs]);
	while (k->nclasses > m->classes)
		class_release(&k->classes[--k->nclasses]);
	while (k->nservices > m->services)
		lb_release(&k->services[--k->nservices]);
}

void ct_kube_release(struct ct_kube *k)
{
	struct mark zero = {0, 0, 0, 0, 0, 0};

	truncate_to(k, &zero);
	for (size_t i = 0; i < k->nusage; i++)
		usage_release(&k->usage[i]);
	free(k->nodes);
	free(k->pods);
	free(k->pvs);
	free(k->pvcs);
	free(k->classes);
	free(k->services);
	free(k->usage);
	for (size_t i = 0; i < CT_NELEM(k->files); i++)
		free(k->files[i]);
	ct_kube_init(k);
}

const char *ct_kube_get(const struct ct_kube_map *m, const char *key)
{
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->kv[i].key, key))
			return m->kv[i].value;
	return NULL;
}

const char *ct_kube_capacity_name(enum ct_kube_capacity c)
{
	switch (c) {
	case CT_KUBE_SPOT:
		return "spot";
	case CT_KUBE_RESERVED:
		return "reserved";
	case CT_KUBE_ONDEMAND:
		break;
	}
	return "on-demand";
}

/* ---- JSON with paths ------------------------------------------------------ */

#define PATH_MAX_LEN 384

struct rd {
	const char *source;
	struct ct_err *err;
};

static int bad(struct rd *r, const char *path, const char *fmt, ...) CT_PRINTF(3, 4);
static int bad(struct rd *r, const char *path, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ct_err_set(r->err, CT_E_INPUT, r->source, 0, "%s%s%s", path, *path ? ": " : "", msg);
}

/* path + "." + key, or path + "[\"key\"]" for keys that are not words. */
static void join(char *buf, const char *path, const char *key)
{
	bool word = *key != '\0';

	for (const char *c = key; *c && word; c++)
		word = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		       (*c >= '0' && *c <= '9') || *c == '_';
	int n;

	if (word)
		n = snprintf(buf, PATH_MAX_LEN, "%s%s%s", path, *path ? "." : "", key);
	else
		n = snprintf(buf, PATH_MAX_LEN, "%s[\"%.64s\"]", path, key);
	if (n < 0 || n >= PATH_MAX_LEN) /* a deep path is cut short */
		buf[PATH_MAX_LEN - 1] = '\0';
}

static void index_path(char *buf, const char *path, size_t i)
{
	int n = snprintf(buf, PATH_MAX_LEN, "%s[%zu]", path, i);

	if (n < 0 || n >= PATH_MAX_LEN)
		buf[PATH_MAX_LEN - 1] = '\0';
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "?";
}

/* Optional member of type t: *out NULL when absent or null. */
static int member(struct rd *r, json_t *obj, const char *path, const char *key, json_type t,
		  json_t **out)
{
	json_t *v = obj ? json_object_get(obj, key) : NULL;
	char p[PATH_MAX_LEN];

	*out = NULL;
	if (!v || json_is_null(v))
		return CT_OK;
	if (json_typeof(v) != t) {
		join(p, path, key);
		return bad(r, p, "expected %s, not %s",
			   t == JSON_OBJECT  ? "an object"
			   : t == JSON_ARRAY ? "an array"
					     : "a string",
			   type_name(v));
	}
	*out = v;
	return CT_OK;
}

/* Optional string member: *out a new string, NULL when absent or null. */
static int str_at(struct rd *r, json_t *obj, const char *path, const char *key, char **out)
{
	json_t *v;
	int rc = member(r, obj, path, key, JSON_STRING, &v);

	*out = NULL;
	if (rc == CT_OK && v)
		*out = ct_xstrndup(json_string_value(v), json_string_length(v));
	return rc;
}

/* A required, non-empty string member. */
static int name_at(struct rd *r, json_t *obj, const char *path, const char *key, char **out)
{
	char p[PATH_MAX_LEN];
	int rc = str_at(r, obj, path, key, out);

	if (rc == CT_OK && (!*out || !**out)) {
		free(*out);
		*out = NULL;
		join(p, path, key);
		rc = bad(r, p, "missing");
	}
	return rc;
}

/* An object of strings (labels, annotations, selector, parameters). */
static int map_at(struct rd *r, json_t *obj, const char *path, const char *key,
		  struct ct_kube_map *out)
{
	json_t *m, *v;
	const char *k;
	char p[PATH_MAX_LEN], q[PATH_MAX_LEN];
	int rc = member(r, obj, path, key, JSON_OBJECT, &m);

	memset(out, 0, sizeof(*out));
	if (rc != CT_OK || !m)
		return rc;
	join(p, path, key);
	out->kv = ct_xcalloc(json_object_size(m) + 1, sizeof(*out->kv));
	json_object_foreach(m, k, v)
	{
		if (!json_is_string(v)) {
			join(q, p, k);
			map_release(out);
			return bad(r, q, "expected a string, not %s", type_name(v));
		}
		out->kv[out->n].key = ct_xstrdup(k);
		out->kv[out->n].value = ct_xstrndup(json_string_value(v), json_string_length(v));
		out->n++;
	}
	return CT_OK;
}

/* A quantity member (a string, or a number in hand-written files). */
static int qty_at(struct rd *r, json_t *obj, const char *path, const char *key, int scale,
		  int64_t max, int64_t *out, bool *has)
{
	json_t *v = obj ? json_object_get(obj, key) : NULL;
	char p[PATH_MAX_LEN], num[64];
	const char *s;

	*out = 0;
	if (has)
		*has = false;
	if (!v || json_is_null(v))
		return CT_OK;
	join(p, path, key);
	if (json_is_string(v)) {
		s = json_string_value(v);
		if (strlen(s) != json_string_length(v))
			return bad(r, p, "bad quantity (a NUL byte)");
	} else if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		s = num;
	} else if (json_is_real(v)) {
		snprintf(num, sizeof(num), "%.15g", json_real_value(v));
		s = num;
	} else {
		return bad(r, p, "expected a quantity, not %s", type_name(v));
	}
	if (*s == '-' && ct_kube_quantity(s + 1, scale, out) == CT_OK)
		return bad(r, p, "negative quantity '%.40s'", s);
	if (ct_kube_quantity(s, scale, out) != CT_OK)
		return bad(r, p,
			   "bad quantity '%.40s' (Kubernetes writes 500m, 2, "
			   "1.5, 129e6, 123Mi, 1Gi, 1G ...)",
			   s);
	if (*out > max)
		return bad(r, p, "quantity '%.40s' out of range", s);
	if (has)
		*has = true;
	return CT_OK;
}

static const char *label2(const struct ct_kube_map *m, const char *a, const char *b)
{
	const char *v = ct_kube_get(m, a);

	if ((!v || !*v) && b)
		v = ct_kube_get(m, b);
	return v && *v ? v : NULL;
}

static bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

/* The region of a zone: us-east-1a -> us-east-1, us-east-1-bos-1a ->
 * us-east-1, us-central1-a -> us-central1 (GCP). NULL when unclear. */
static char *region_of_zone(const char *zone)
{
	size_t n = ct_inventory_region_len(zone);
	const char *dash;

	if (n && n < strlen(zone))
		return ct_xstrndup(zone, n);
	dash = strrchr(zone, '-');
	if (dash && dash != zone && dash[1] && !dash[2] && is_lower(dash[1]))
		return ct_xstrndup(zone, (size_t)(dash - zone));
	return NULL;
}

/* The zone in a spec.providerID: aws:///us-east-1a/i-0abc,
 * gce://project/us-central1-a/name. */
static char *zone_of_provider(const char *id)
{
	const char *p, *e;

	if (!strncmp(id, "aws:///", 7))
		p = id + 7;
	else if (!strncmp(id, "gce://", 6) && (p = strchr(id + 6, '/')) != NULL)
		p++;
	else
		return NULL;
	e = strchr(p, '/');
	if (!e || e == p)
		return NULL;
	return ct_xstrndup(p, (size_t)(e - p));
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Capacity type from the labels, first rule that speaks. */
static void node_capacity(struct ct_kube_node *n)
{
	static const struct {
		const char *key, *value;
		enum ct_kube_capacity cap;
	} rules[] = {
		{"eks.amazonaws.com/capacityType", "SPOT", CT_KUBE_SPOT},
		{"eks.amazonaws.com/capacityType", "CAPACITY_BLOCK", CT_KUBE_RESERVED},
		{"eks.amazonaws.com/capacityType", NULL, CT_KUBE_ONDEMAND},
		{"karpenter.sh/capacity-type", "spot", CT_KUBE_SPOT},
		{"karpenter.sh/capacity-type", "reserved", CT_KUBE_RESERVED},
		{"karpenter.sh/capacity-type", NULL, CT_KUBE_ONDEMAND},
		{"cloud.google.com/gke-spot", "true", CT_KUBE_SPOT},
		{"cloud.google.com/gke-preemptible", "true", CT_KUBE_SPOT},
		{"kubernetes.azure.com/scalesetpriority", "spot", CT_KUBE_SPOT},
		{"node.kubernetes.io/lifecycle", "spot", CT_KUBE_SPOT},
	};

	n->capacity = CT_KUBE_ONDEMAND;
	n->capacity_label = NULL;
	for (size_t i = 0; i < CT_NELEM(rules); i++) {
		const char *v = ct_kube_get(&n->labels, rules[i].key);
		if (!v || (rules[i].value && strcmp(v, rules[i].value) != 0))
			continue;
		n->capacity = rules[i].cap;
		n->capacity_label = rules[i].key;
		return;
	}
}

/* What the labels of a node say. */
static void node_facts(struct ct_kube_node *n, const char *provider)
{
	static const char *const groups[] = {
		"eks.amazonaws.com/nodegroup",	  "karpenter.sh/nodepool",
		"karpenter.sh/provisioner-name",  "cloud.google.com/gke-nodepool",
		"kubernetes.azure.com/agentpool", "agentpool",
		"kops.k8s.io/instancegroup",	  "alpha.eksctl.io/nodegroup-name",
	};
	const char *v;

	if ((v = label2(&n->labels, "node.kubernetes.io/instance-type",
			"beta.kubernetes.io/instance-type")))
		n->instance_type = ct_xstrdup(v);
	if ((v = label2(&n->labels, "topology.kubernetes.io/zone",
			"failure-domain.beta.kubernetes.io/zone")))
		n->zone = ct_xstrdup(v);
	else if (provider)
		n->zone = zone_of_provider(provider);
	if ((v = label2(&n->labels, "topology.kubernetes.io/region",
			"failure-domain.beta.kubernetes.io/region")))
		n->region = ct_xstrdup(v);
	else if (n->zone)
		n->region = region_of_zone(n->zone);
	v = label2(&n->labels, "kubernetes.io/os", "beta.kubernetes.io/os");
	n->os = v && !strcmp(v, "windows") ? "windows" : "linux";
	node_capacity(n);
	for (size_t i = 0; i < CT_NELEM(groups) && !n->group; i++)
		if ((v = label2(&n->labels, groups[i], NULL))) {
			n->group = ct_xstrdup(v);
			n->group_label = groups[i];
		}
	for (size_t i = 0; i < n->labels.n; i++) {
		const char *k = n->labels.kv[i].key;
		if (starts(k, "eks.amazonaws.com/") || starts(k, "alpha.eksctl.io/") ||
		    starts(k, "karpenter.k8s.aws/"))
			n->eks = true;
	}
	v = ct_kube_get(&n->labels, "eks.amazonaws.com/compute-type");
	n->fargate = v && !strcmp(v, "fargate");
	n->gpu_replicas = 1;
	if ((v = ct_kube_get(&n->labels, "nvidia.com/gpu.replicas"))) {
		char *end;
		long x = strtol(v, &end, 10);
		if (end != v && !*end && x > 1 && x <= 1000)
			n->gpu_replicas = x;
	}
}

static int read_node(struct rd *r, json_t *item, const char *path, struct ct_kube_node *n)
{
	char p[PATH_MAX_LEN], p2[PATH_MAX_LEN];
	json_t *meta, *spec, *status, *cap;
	char *provider = NULL;
	int64_t g1 = 0, g2 = 0;
	int rc;

	memset(n, 0, sizeof(*n));
	if ((rc = member(r, item, path, "metadata", JSON_OBJECT, &meta)) ||
	    (rc = member(r, item, path, "spec", JSON_OBJECT, &spec)) ||
	    (rc = member(r, item, path, "status", JSON_OBJECT, &status)))
		return rc;
	join(p, path, "metadata");
	if ((rc = name_at(r, meta, p, "name", &n->name)) ||
	    (rc = map_at(r, meta, p, "labels", &n->labels)))
		return rc;
	join(p, path, "spec");
	if ((rc = str_at(r, spec, p, "providerID", &provider)))
		return rc;
	join(p, path, "status");
	if ((rc = member(r, status, p, "capacity", JSON_OBJECT, &cap)))
		goto out;
	join(p2, p, "capacity");
	if ((rc = qty_at(r, cap, p2, "cpu", 3, CT_KUBE_MAX_MILLICORES, &n->cpu_m, &n->has_cpu)) ||
	    (rc = qty_at(r, cap, p2, "memory", 0, CT_KUBE_MAX_BYTES, &n->mem_b, &n->has_mem)) ||
	    (rc = qty_at(r, cap, p2, "nvidia.com/gpu", 3, CT_KUBE_MAX_MILLIGPUS, &g1, NULL)) ||
	    (rc = qty_at(r, cap, p2, "amd.com/gpu", 3, CT_KUBE_MAX_MILLIGPUS, &g2, NULL)))
		goto out;
	n->gpu_m = g1 + g2 > CT_KUBE_MAX_MILLIGPUS ? CT_KUBE_MAX_MILLIGPUS : g1 + g2;
	node_facts(n, provider);
out:
	free(provider);
	return rc;
}

/* Characters of the hash suffix of a ReplicaSet name
 * (k8s.io/apimachinery rand.SafeEncodeString). */
static bool is_hash(const char *s)
{
	size_t n = strlen(s);

	if (n < 5 || n > 10)
		return false;
	for (; *s; s++)
		if (!strchr("bcdfghjklmnpqrstvwxz2456789", *s))
			return false;
	return true;
}

/* The controller of a pod from its owner reference (kind, name): a
 * ReplicaSet named <deployment>-<pod-template-hash> is its Deployment; a
 * Job named <cronjob>-<8 or more digits> (the scheduled minute) its
 * CronJob; other kinds in lower case. */
static void pod_controller(struct ct_kube_pod *p, const char *kind, const char *name)
{
	const char *dash = strrchr(name, '-');
	const char *hash = ct_kube_get(&p->labels, "pod-template-hash");
	char *k = ct_xstrdup(kind);

	for (char *c = k; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	if (!strcmp(k, "replicaset") && dash && dash != name &&
	    ((hash && *hash && !strcmp(dash + 1, hash)) || is_hash(dash + 1))) {
		free(k);
		p->controller_kind = ct_xstrdup("deployment");
		p->controller = ct_xstrndup(name, (size_t)(dash - name));
		return;
	}
	if (!strcmp(k, "job") && dash && dash != name && strlen(dash + 1) >= 8 &&
	    strspn(dash + 1, "0123456789") == strlen(dash + 1)) {
		free(k);
		p->controller_kind = ct_xstrdup("cronjob");
		p->controller = ct_xstrndup(name, (size_t)(dash - name));
		return;
	}
	p->controller_kind = k;
	p->controller = ct_xstrdup(name);
}

/* The requests of one container (limits where a request is missing). */
static int read_container(struct rd *r, json_t *c, const char *path, struct ct_kube_container *out)
{
	char p[PATH_MAX_LEN], p2[PATH_MAX_LEN];
	json_t *res, *sets[2];
	const char *names[2] = {"requests", "limits"};
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = str_at(r, c, path, "name", &out->name)) ||
	    (rc = member(r, c, path, "resources", JSON_OBJECT, &res)))
		return rc;
	join(p, path, "resources");
	for (int i = 0; i < 2; i++)
		if ((rc = member(r, res, p, names[i], JSON_OBJECT, &sets[i])))
			return rc;
	/* requests first; a resource with only a limit gets the limit, as
	 * the API server's defaulting does */
	for (int i = 1; i >= 0; i--) {
		int64_t cpu, mem, g1, g2;
		bool hc, hm, h1, h2;
		join(p2, p, names[i]);
		if ((rc = qty_at(r, sets[i], p2, "cpu", 3, CT_KUBE_MAX_MILLICORES, &cpu, &hc)) ||
		    (rc = qty_at(r, sets[i], p2, "memory", 0, CT_KUBE_MAX_BYTES, &mem, &hm)) ||
		    (rc = qty_at(r, sets[i], p2, "nvidia.com/gpu", 3, CT_KUBE_MAX_MILLIGPUS, &g1,
				 &h1)) ||
		    (rc = qty_at(r, sets[i], p2, "amd.com/gpu", 3, CT_KUBE_MAX_MILLIGPUS, &g2,
				 &h2)))
			return rc;
		if (hc) {
			out->cpu_m = cpu;
			out->has_cpu = true;
		}
		if (hm) {
			out->mem_b = mem;
			out->has_mem = true;
		}
		if (h1 || h2)
			out->gpu_m =
				g1 + g2 > CT_KUBE_MAX_MILLIGPUS ? CT_KUBE_MAX_MILLIGPUS : g1 + g2;
	}
	return CT_OK;
}

static int read_containers(struct rd *r, json_t *spec, const char *path, const char *key,
			   bool sidecars_only, struct ct_kube_pod *pod)
{
	char p[PATH_MAX_LEN], q[PATH_MAX_LEN];
	json_t *arr, *c;
	size_t i;
	int rc;

	if ((rc = member(r, spec, path, key, JSON_ARRAY, &arr)) || !arr)
		return rc;
	join(p, path, key);
	pod->c = ct_xrealloc(pod->c, (pod->nc + json_array_size(arr) + 1) * sizeof(*pod->c));
	json_array_foreach(arr, i, c)
	{
		index_path(q, p, i);
		if (!json_is_object(c))
			return bad(r, q, "expected an object, not %s", type_name(c));
		if (sidecars_only) {
			json_t *rp = json_object_get(c, "restartPolicy");
			if (!json_is_string(rp) || strcmp(json_string_value(rp), "Always"))
				continue; /* a run-to-completion init container */
		}
		rc = read_container(r, c, q, &pod->c[pod->nc]);
		pod->nc++; /* counted even on error, so that it is freed */
		if (rc)
			return rc;
	}
	return CT_OK;
}

static int read_pod(struct rd *r, json_t *item, const char *path, struct ct_kube_pod *pod)
{
	char p[PATH_MAX_LEN], q[PATH_MAX_LEN], q2[PATH_MAX_LEN], q3[PATH_MAX_LEN];
	json_t *meta, *spec, *status, *owners, *vols, *over, *v;
	size_t i, at = 0;
	int rc;

	memset(pod, 0, sizeof(*pod));
	if ((rc = member(r, item, path, "metadata", JSON_OBJECT, &meta)) ||
	    (rc = member(r, item, path, "spec", JSON_OBJECT, &spec)) ||
	    (rc = member(r, item, path, "status", JSON_OBJECT, &status)))
		return rc;
	join(p, path, "metadata");
	if ((rc = name_at(r, meta, p, "name", &pod->name)) ||
	    (rc = str_at(r, meta, p, "namespace", &pod->ns)) ||
	    (rc = map_at(r, meta, p, "labels", &pod->labels)) ||
	    (rc = member(r, meta, p, "ownerReferences", JSON_ARRAY, &owners)))
		return rc;
	if (!pod->ns || !*pod->ns) {
		free(pod->ns);
		pod->ns = ct_xstrdup("default");
	}
	if (owners) {
		json_t *pick = NULL;
		char *kind = NULL, *name = NULL;
		join(q, p, "ownerReferences");
		/* the controller reference, else the first */
		json_array_foreach(owners, i, v)
		{
			bool ctl;
			index_path(q2, q, i);
			if (!json_is_object(v))
				return bad(r, q2, "expected an object, not %s", type_name(v));
			ctl = json_is_true(json_object_get(v, "controller"));
			if (!pick || ctl) {
				pick = v;
				at = i;
			}
			if (ctl)
				break;
		}
		if (pick) {
			index_path(q2, q, at);
			if ((rc = name_at(r, pick, q2, "kind", &kind)) == CT_OK &&
			    (rc = name_at(r, pick, q2, "name", &name)) == CT_OK)
				pod_controller(pod, kind, name);
			free(kind);
			free(name);
			if (rc)
				return rc;
		}
	}
	join(p, path, "spec");
	if ((rc = str_at(r, spec, p, "nodeName", &pod->node)))
		return rc;
	if (pod->node && !*pod->node) {
		free(pod->node);
		pod->node = NULL;
	}
	if ((rc = read_containers(r, spec, p, "containers", false, pod)) ||
	    (rc = read_containers(r, spec, p, "initContainers", true, pod)) ||
	    (rc = member(r, spec, p, "overhead", JSON_OBJECT, &over)))
		return rc;
	join(q, p, "overhead");
	if ((rc = qty_at(r, over, q, "cpu", 3, CT_KUBE_MAX_MILLICORES, &pod->over_cpu_m, NULL)) ||
	    (rc = qty_at(r, over, q, "memory", 0, CT_KUBE_MAX_BYTES, &pod->over_mem_b, NULL)) ||
	    (rc = member(r, spec, p, "volumes", JSON_ARRAY, &vols)))
		return rc;
	if (vols) {
		join(q, p, "volumes");
		pod->claims = ct_xcalloc(json_array_size(vols) + 1, sizeof(*pod->claims));
		json_array_foreach(vols, i, v)
		{
			json_t *pvc;
			char *claim = NULL;
			index_path(q2, q, i);
			if (!json_is_object(v))
				return bad(r, q2, "expected an object, not %s", type_name(v));
			if ((rc = member(r, v, q2, "persistentVolumeClaim", JSON_OBJECT, &pvc)))
				return rc;
			if (!pvc)
				continue;
			join(q3, q2, "persistentVolumeClaim");
			if ((rc = name_at(r, pvc, q3, "claimName", &claim)))
				return rc;
			pod->claims[pod->nclaims++] = claim;
		}
	}
	join(p, path, "status");
	return str_at(r, status, p, "phase", &pod->phase);
}

static int read_pv(struct rd *r, json_t *item, const char *path, struct ct_kube_pv *v)
{
	char p[PATH_MAX_LEN], q[PATH_MAX_LEN];
	json_t *meta, *spec, *status, *cap, *csi, *ebs, *ref;
	int rc;

	memset(v, 0, sizeof(*v));
	if ((rc = member(r, item, path, "metadata", JSON_OBJECT, &meta)) ||
	    (rc = member(r, item, path, "spec", JSON_OBJECT, &spec)) ||
	    (rc = member(r, item, path, "status", JSON_OBJECT, &status)))
		return rc;
	join(p, path, "metadata");
	if ((rc = name_at(r, meta, p, "name", &v->name)))
		return rc;
	join(p, path, "spec");
	if ((rc = str_at(r, spec, p, "storageClassName", &v->class_name)) ||
	    (rc = member(r, spec, p, "capacity", JSON_OBJECT, &cap)) ||
	    (rc = member(r, spec, p, "csi", JSON_OBJECT, &csi)) ||
	    (rc = member(r, spec, p, "awsElasticBlockStore", JSON_OBJECT, &ebs)) ||
	    (rc = member(r, spec, p, "claimRef", JSON_OBJECT, &ref)))
		return rc;
	join(q, p, "capacity");
	if ((rc = qty_at(r, cap, q, "storage", 0, CT_KUBE_MAX_BYTES, &v->bytes, NULL)))
		return rc;
	join(q, p, "csi");
	if ((rc = str_at(r, csi, q, "driver", &v->driver)))
		return rc;
	if (!v->driver && ebs)
		v->driver = ct_xstrdup("kubernetes.io/aws-ebs");
	join(q, p, "claimRef");
	if ((rc = str_at(r, ref, q, "namespace", &v->claim_ns)) ||
	    (rc = str_at(r, ref, q, "name", &v->claim_name)))
		return rc;
	join(p, path, "status");
	return str_at(r, status, p, "phase", &v->phase);
}

static int read_pvc(struct rd *r, json_t *item, const char *path, struct ct_kube_pvc *c)
{
	char p[PATH_MAX_LEN], q[PATH_MAX_LEN], q2[PATH_MAX_LEN];
	json_t *meta, *spec, *status, *res, *req, *cap;
	bool has;
	int rc;

	memset(c, 0, sizeof(*c));
	if ((rc = member(r, item, path, "metadata", JSON_OBJECT, &meta)) ||
	    (rc = member(r, item, path, "spec", JSON_OBJECT, &spec)) ||
	    (rc = member(r, item, path, "status", JSON_OBJECT, &status)))
		return rc;
	join(p, path, "metadata");
	if ((rc = name_at(r, meta, p, "name", &c->name)) ||
	    (rc = str_at(r, meta, p, "namespace", &c->ns)))
		return rc;
	if (!c->ns || !*c->ns) {
		free(c->ns);
		c->ns = ct_xstrdup("default");
	}
	join(p, path, "spec");
	if ((rc = str_at(r, spec, p, "storageClassName", &c->class_name)) ||
	    (rc = str_at(r, spec, p, "volumeName", &c->volume)) ||
	    (rc = member(r, spec, p, "resources", JSON_OBJECT, &res)))
		return rc;
	join(q, p, "resources");
	if ((rc = member(r, res, q, "requests", JSON_OBJECT, &req)))
		return rc;
	join(q2, q, "requests");
	if ((rc = qty_at(r, req, q2, "storage", 0, CT_KUBE_MAX_BYTES, &c->bytes, NULL)))
		return rc;
	join(p, path, "status");
	if ((rc = str_at(r, status, p, "phase", &c->phase)) ||
	    (rc = member(r, status, p, "capacity", JSON_OBJECT, &cap)))
		return rc;
	join(q, p, "capacity");
	{
		int64_t b;
		if ((rc = qty_at(r, cap, q, "storage", 0, CT_KUBE_MAX_BYTES, &b, &has)))
			return rc;
		if (has)
			c->bytes = b;
	}
	return CT_OK;
}

static int read_class(struct rd *r, json_t *item, const char *path, struct ct_kube_class *c)
{
	char p[PATH_MAX_LEN];
	struct ct_kube_map ann;
	json_t *meta;
	const char *d;
	int rc;

	memset(c, 0, sizeof(*c));
	if ((rc = member(r, item, path, "metadata", JSON_OBJECT, &meta)))
		return rc;
	join(p, path, "metadata");
	if ((rc = name_at(r, meta, p, "name", &c->name)) ||
	    (rc = map_at(r, meta, p, "annotations", &ann)))
		return rc;
	d = label2(&ann, "storageclass.kubernetes.io/is-default-class",
		   "storageclass.beta.kubernetes.io/is-default-class");
	c->is_default = d && !strcmp(d, "true");
	map_release(&ann);
	if ((rc = str_at(r, item, path, "provisioner", &c->provisioner)))
		return rc;
	return map_at(r, item, path, "parameters", &c->params);
}

/* A backend service name of an Ingress (networking.k8s.io/v1 and the old
 * extensions/v1beta1 serviceName). */
static int backend(struct rd *r, json_t *b, const char *path, struct ct_kube_service *l)
{
	char p[PATH_MAX_LEN];
	json_t *svc;
	char *name = NULL;
	int rc;

	if (!b)
		return CT_OK;
	if ((rc = member(r, b, path, "service", JSON_OBJECT, &svc)))
		return rc;
	join(p, path, "service");
	if ((rc = str_at(r, svc, p, "name", &name)))
		return rc;
	if (!name && (rc = str_at(r, b, path, "serviceName", &name)))
		return rc;
	if (name && *name) {
		l->backends = ct_xrealloc(l->backends, (l->nbackends + 1) * sizeof(*l->backends));
		l->backends[l->nbackends++] = name;
	} else {
		free(name);
	}
	return CT_OK;
}

static int read_ingress(struct rd *r, json_t *item, const char *path, struct ct_kube_service *l,
			bool *keep)
{
	char p[PATH_MAX_LEN], q[PATH_MAX_LEN], q2[PATH_MAX_LEN], q3[PATH_MAX_LEN];
	struct ct_kube_map ann = {0};
	json_t *meta, *spec, *def, *rules, *rule, *http, *paths, *pt, *b;
	char *cls = NULL;
	const char *c, *g;
	size_t i, j;
	int rc;

	memset(l, 0, sizeof(*l));
	*keep = false;
	l->ingress = true;
	if ((rc = member(r, item, path, "metadata", JSON_OBJECT, &meta)) ||
	    (rc = member(r, item, path, "spec", JSON_OBJECT, &spec)))
		return rc;
	join(p, path, "metadata");
	if ((rc = name_at(r, meta, p, "name", &l->name)) ||
	    (rc = str_at(r, meta, p, "namespace", &l->ns)) ||
	    (rc = map_at(r, meta, p, "annotations", &ann)))
		goto out;
	if (!l->ns || !*l->ns) {
		free(l->ns);
		l->ns = ct_xstrdup("default");
	}
	join(p, path, "spec");
	if ((rc = str_at(r, spec, p, "ingressClassName", &cls)))
		goto out;
	c = cls && *cls ? cls : ct_kube_get(&ann, "kubernetes.io/ingress.class");
	if (!c || strcmp(c, "alb") != 0)
		goto out; /* not an ALB: its controller's Service is the LB */
	*keep = true;
	l->lb = true;
	l->kind = "alb";
	if ((g = ct_kube_get(&ann, "alb.ingress.kubernetes.io/group.name")) && *g)
		l->group = ct_xstrdup(g);
	if ((rc = member(r, spec, p, "defaultBackend", JSON_OBJECT, &def)))
		goto out;
	if (!def && (rc = member(r, spec, p, "backend", JSON_OBJECT, &def)))
		goto out;
	join(q, p, def && json_object_get(spec, "defaultBackend") ? "defaultBackend" : "backend");
	if ((rc = backend(r, def, q, l)) ||
	    (rc = member(r, spec, p, "rules", JSON_ARRAY, &rules)) || !rules)
		goto out;
	join(q, p, "rules");
	json_array_foreach(rules, i, rule)
	{
		index_path(q2, q, i);
		if (!json_is_object(rule)) {
			rc = bad(r, q2, "expected an object, not %s", type_name(rule));
			goto out;
		}
		if ((rc = member(r, rule, q2, "http", JSON_OBJECT, &http)))
			goto out;
		join(q3, q2, "http");
		if ((rc = member(r, http, q3, "paths", JSON_ARRAY, &paths)))
			goto out;
		json_array_foreach(paths, j, pt)
		{
			char q4[PATH_MAX_LEN], q5[PATH_MAX_LEN];
			join(q4, q3, "paths");
			index_path(q5, q4, j);
			if (!json_is_object(pt)) {
				rc = bad(r, q5, "expected an object, not %s", type_name(pt));
				goto out;
			}
			if ((rc = member(r, pt, q5, "backend", JSON_OBJECT, &b)))
				goto out;
			join(q4, q5, "backend");
			if ((rc = backend(r, b, q4, l)))
				goto out;
		}
	}
out:
	free(cls);
	map_release(&ann);
	return rc;
}

static int read_service(struct rd *r, json_t *item, const char *path, struct ct_kube_service *l,
			bool *keep)
{
	char p[PATH_MAX_LEN];
	struct ct_kube_map ann = {0};
	json_t *meta, *spec;
	char *type = NULL, *cls = NULL;
	const char *a;
	int rc;

	memset(l, 0, sizeof(*l));
	*keep = false;
	if ((rc = member(r, item, path, "metadata", JSON_OBJECT, &meta)) ||
	    (rc = member(r, item, path, "spec", JSON_OBJECT, &spec)))
		return rc;
	join(p, path, "metadata");
	if ((rc = name_at(r, meta, p, "name", &l->name)) ||
	    (rc = str_at(r, meta, p, "namespace", &l->ns)) ||
	    (rc = map_at(r, meta, p, "annotations", &ann)))
		goto out;
	if (!l->ns || !*l->ns) {
		free(l->ns);
		l->ns = ct_xstrdup("default");
	}
	join(p, path, "spec");
	if ((rc = str_at(r, spec, p, "type", &type)) ||
	    (rc = str_at(r, spec, p, "loadBalancerClass", &cls)) ||
	    (rc = map_at(r, spec, p, "selector", &l->selector)))
		goto out;
	*keep = true;
	if (!type || strcmp(type, "LoadBalancer") != 0)
		goto out;
	l->lb = true;
	a = ct_kube_get(&ann, "service.beta.kubernetes.io/aws-load-balancer-type");
	if (cls && *cls)
		l->kind = !strcmp(cls, "service.k8s.aws/nlb") ? "nlb" : NULL;
	else if (a && (!strcmp(a, "nlb") || !strcmp(a, "external") || !strcmp(a, "nlb-ip")))
		l->kind = "nlb";
	else
		l->kind = "clb"; /* the in-tree controller's default: a Classic LB */
out:
	free(type);
	free(cls);
	map_release(&ann);
	return rc;
}

/* ---- documents -------------------------------------------------------------- */

struct kinds {
	const char *list;     /* how kubectl words the file */
	const char *names[3]; /* item kinds the file may hold */
};

static const struct kinds file_kinds[] = {
	[CT_KUBE_NODES] = {"kubectl get nodes -o json", {"Node"}},
	[CT_KUBE_PODS] = {"kubectl get pods -A -o json", {"Pod"}},
	[CT_KUBE_VOLUMES] = {"kubectl get pv,pvc,storageclass -A -o json",
			     {"PersistentVolume", "PersistentVolumeClaim", "StorageClass"}},
	[CT_KUBE_SERVICES] = {"kubectl get svc,ingress -A -o json", {"Service", "Ingress"}},
};

/* The index of kind in the file's kinds, -1 when it is not one. */
static int kind_index(enum ct_kube_file what, const char *kind, size_t len)
{
	for (int i = 0; i < 3 && file_kinds[what].names[i]; i++)
		if (strlen(file_kinds[what].names[i]) == len &&
		    !strncmp(file_kinds[what].names[i], kind, len))
			return i;
	return -1;
}

/* A key for duplicate checks: "kind:ns/name" (new). */
static char *key_of(const char *kind, const char *ns, const char *name)
{
	return ct_xasprintf("%s%s%s%s", kind, ns ? ns : "", ns ? "/" : "", name);
}

struct dup {
	char *key;
	size_t item;
	bool fresh; /* from this file */
};

static int dup_cmp(const void *a, const void *b)
{
	const struct dup *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	if (x->fresh != y->fresh)
		return x->fresh ? 1 : -1;
	return x->item < y->item ? -1 : x->item > y->item;
}

/* Report the first name that appears twice (keys taken). */
static int check_dups(struct rd *r, struct dup *d, size_t n, const char *what)
{
	int rc = CT_OK;
	char p[PATH_MAX_LEN];

	qsort(d, n, sizeof(*d), dup_cmp);
	for (size_t i = 1; i < n && rc == CT_OK; i++)
		if (!strcmp(d[i].key, d[i - 1].key) && d[i].fresh) {
			index_path(p, "items", d[i].item);
			rc = bad(r, p, "a second %s named %s", what, d[i].key);
		}
	for (size_t i = 0; i < n; i++)
		free(d[i].key);
	free(d);
	return rc;
}

static int check_all_dups(struct rd *r, const struct ct_kube *k, const struct mark *m)
{
	struct dup *d;
	size_t n, i;
	int rc;

#define DUPS(arr, cnt, mk, kindf, nsf, what)                                                       \
	do {                                                                                       \
		d = ct_xcalloc(k->cnt + 1, sizeof(*d));                                            \
		for (n = 0, i = 0; i < k->cnt; i++, n++) {                                         \
			d[n].key = key_of(kindf, nsf, k->arr[i].name);                             \
			d[n].item = k->arr[i].item;                                                \
			d[n].fresh = i >= m->mk;                                                   \
		}                                                                                  \
		if ((rc = check_dups(r, d, n, what)) != CT_OK)                                     \
			return rc;                                                                 \
	} while (0)
	DUPS(nodes, nnodes, nodes, "", NULL, "node");
	DUPS(pods, npods, pods, "", k->pods[i].ns, "pod");
	DUPS(pvs, npvs, pvs, "", NULL, "persistent volume");
	DUPS(pvcs, npvcs, pvcs, "", k->pvcs[i].ns, "persistent volume claim");
	DUPS(classes, nclasses, classes, "", NULL, "storage class");
	DUPS(services, nservices, services, k->services[i].ingress ? "ingress " : "service ",
	     k->services[i].ns, "service or ingress");
#undef DUPS
	return CT_OK;
}

static int read_item(struct rd *r, struct ct_kube *k, enum ct_kube_file what, int kind,
		     json_t *item, const char *path, size_t idx)
{
	int rc = CT_OK;
	bool keep = true;

	switch (what) {
	case CT_KUBE_NODES: {
		struct ct_kube_node n;
		rc = read_node(r, item, path, &n);
		n.item = idx;
		if (rc) {
			node_release(&n);
			return rc;
		}
		CT_GROW(k->nodes, k->nnodes + 1, k->capnodes);
		k->nodes[k->nnodes++] = n;
		break;
	}
	case CT_KUBE_PODS: {
		struct ct_kube_pod p;
		rc = read_pod(r, item, path, &p);
		p.item = idx;
		if (rc) {
			pod_release(&p);
			return rc;
		}
		CT_GROW(k->pods, k->npods + 1, k->cappods);
		k->pods[k->npods++] = p;
		break;
	}
	case CT_KUBE_VOLUMES:
		if (kind == 0) {
			struct ct_kube_pv v;
			rc = read_pv(r, item, path, &v);
			v.item = idx;
			if (rc) {
				pv_release(&v);
				return rc;
			}
			CT_GROW(k->pvs, k->npvs + 1, k->cappvs);
			k->pvs[k->npvs++] = v;
		} else if (kind == 1) {
			struct ct_kube_pvc c;
			rc = read_pvc(r, item, path, &c);
			c.item = idx;
			if (rc) {
				pvc_release(&c);
				return rc;
			}
			CT_GROW(k->pvcs, k->npvcs + 1, k->cappvcs);
			k->pvcs[k->npvcs++] = c;
		} else {
			struct ct_kube_class c;
			rc = read_class(r, item, path, &c);
			c.item = idx;
			if (rc) {
				class_release(&c);
				return rc;
			}
			CT_GROW(k->classes, k->nclasses + 1, k->capclasses);
			k->classes[k->nclasses++] = c;
		}
		break;
	case CT_KUBE_SERVICES: {
		struct ct_kube_service l;
		rc = kind == 0 ? read_service(r, item, path, &l, &keep)
			       : read_ingress(r, item, path, &l, &keep);
		l.item = idx;
		if (rc || !keep) {
			lb_release(&l);
			return rc;
		}
		CT_GROW(k->services, k->nservices + 1, k->capservices);
		k->services[k->nservices++] = l;
		break;
	}
	}
	return rc;
}

int ct_kube_read(struct ct_kube *k, enum ct_kube_file what, const char *source, const char *text,
		 size_t len, struct ct_err *err)
{
	struct rd r = {source, err};
	struct mark m = mark_of(k);
	const struct kinds *fk = &file_kinds[what];
	json_error_t je;
	json_t *root, *items, *item, *kv;
	const char *kind;
	size_t klen, i;
	int list_kind = -1, rc = CT_OK;
	bool plain;

	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return ct_err_set(err, CT_E_INPUT, source, je.line > 0 ? je.line : 0,
				  "not valid JSON: %s", je.text);
	kv = json_object_get(root, "kind");
	if (!json_is_object(root) || !json_is_string(kv)) {
		rc = bad(&r, "", "not a kubectl List (no kind): make it with '%s'", fk->list);
		goto out;
	}
	kind = json_string_value(kv);
	klen = strlen(kind);
	plain = !strcmp(kind, "List");
	if (!plain && klen > 4 && !strcmp(kind + klen - 4, "List"))
		list_kind = kind_index(what, kind, klen - 4);
	if (!plain && list_kind < 0) {
		if (kind_index(what, kind, klen) >= 0)
			rc = bad(&r, "kind", "a single %.60s, not a List: make it with '%s'", kind,
				 fk->list);
		else
			rc = bad(&r, "kind",
				 "'%.60s' is not a List of %s%s%s%s%s: make it "
				 "with '%s'",
				 kind, fk->names[0], fk->names[1] ? ", " : "",
				 fk->names[1] ? fk->names[1] : "", fk->names[2] ? ", " : "",
				 fk->names[2] ? fk->names[2] : "", fk->list);
		goto out;
	}
	items = json_object_get(root, "items");
	if (items && json_is_null(items))
		items = NULL;
	if (!json_is_array(items) && items) {
		rc = bad(&r, "items", "expected an array, not %s", type_name(items));
		goto out;
	}
	if (!items && !json_object_get(root, "items")) {
		rc = bad(&r, "items", "missing: not a kubectl List");
		goto out;
	}
	json_array_foreach(items, i, item)
	{
		char path[PATH_MAX_LEN], kp[PATH_MAX_LEN];
		int ik = list_kind;
		index_path(path, "items", i);
		if (!json_is_object(item)) {
			rc = bad(&r, path, "expected an object, not %s", type_name(item));
			goto out;
		}
		kv = json_object_get(item, "kind");
		join(kp, path, "kind");
		if (kv && !json_is_string(kv)) {
			rc = bad(&r, kp, "expected a string, not %s", type_name(kv));
			goto out;
		}
		if (kv) {
			const char *s = json_string_value(kv);
			ik = kind_index(what, s, strlen(s));
			if (ik < 0) {
				rc = bad(&r, kp,
					 "a %.60s where %s%s%s%s%s belong: make the file "
					 "with '%s'",
					 s, fk->names[0], fk->names[1] ? ", " : "",
					 fk->names[1] ? fk->names[1] : "", fk->names[2] ? ", " : "",
					 fk->names[2] ? fk->names[2] : "", fk->list);
				goto out;
			}
		} else if (ik < 0) {
			rc = bad(&r, kp, "missing");
			goto out;
		}
		if ((rc = read_item(&r, k, what, ik, item, path, i)) != CT_OK)
			goto out;
	}
	rc = check_all_dups(&r, k, &m);
	if (rc == CT_OK && !k->files[what])
		k->files[what] = ct_xstrdup(source);
out:
	json_decref(root);
	if (rc != CT_OK)
		truncate_to(k, &m);
	return rc;
}

/* ---- Prometheus ------------------------------------------------------------ */

static int usage_cmp(const void *a, const void *b)
{
	const struct ct_kube_usage *x = a, *y = b;
	int c = strcmp(x->ns, y->ns);

	if (!c)
		c = strcmp(x->pod, y->pod);
	if (!c)
		c = strcmp(x->container, y->container);
	return c;
}

/* One sample value: *skip for NaN (Prometheus writes "NaN"). */
static int sample(struct rd *r, json_t *pair, const char *path, double *out, bool *skip)
{
	char p[PATH_MAX_LEN];
	json_t *v;
	const char *s;

	*skip = false;
	if (!json_is_array(pair) || json_array_size(pair) != 2)
		return bad(r, path, "expected [time, \"value\"]");
	v = json_array_get(pair, 1);
	index_path(p, path, 1);
	if (json_is_number(v)) {
		*out = json_number_value(v);
	} else if (json_is_string(v)) {
		s = json_string_value(v);
		if (!strcmp(s, "NaN")) {
			*skip = true;
			return CT_OK;
		}
		if (ct_num_parse(s, json_string_length(v), out) != CT_OK)
			return bad(r, p, "not a finite number: '%.40s'", s);
	} else {
		return bad(r, p, "expected a string, not %s", type_name(v));
	}
	if (!isfinite(*out) || *out < 0)
		return bad(r, p, "usage must be a finite number at least 0");
	return CT_OK;
}

int ct_kube_read_usage(struct ct_kube *k, enum ct_kube_resource res, const char *source,
		       const char *text, size_t len, struct ct_err *err)
{
	struct rd r = {source, err};
	struct ct_kube_usage *u = NULL;
	size_t nu = 0, cap = 0, i, j, skipped = 0;
	json_error_t je;
	json_t *root, *st, *data, *rt, *result, *s;
	int rc = CT_OK;
	bool matrix;

	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return ct_err_set(err, CT_E_INPUT, source, je.line > 0 ? je.line : 0,
				  "not valid JSON: %s", je.text);
	st = json_object_get(root, "status");
	if (!json_is_object(root) || !json_is_string(st)) {
		rc = bad(&r, "", "not a Prometheus /api/v1/query answer (no status)");
		goto out;
	}
	if (strcmp(json_string_value(st), "success") != 0) {
		json_t *e = json_object_get(root, "error");
		rc = bad(&r, "status", "the query failed: %.200s",
			 json_is_string(e) ? json_string_value(e) : json_string_value(st));
		goto out;
	}
	data = json_object_get(root, "data");
	if (!json_is_object(data)) {
		rc = bad(&r, "data", "expected an object");
		goto out;
	}
	rt = json_object_get(data, "resultType");
	if (!json_is_string(rt) ||
	    (strcmp(json_string_value(rt), "vector") && strcmp(json_string_value(rt), "matrix"))) {
		rc = bad(&r, "data.resultType", "expected \"vector\" or \"matrix\"");
		goto out;
	}
	matrix = !strcmp(json_string_value(rt), "matrix");
	result = json_object_get(data, "result");
	if (!json_is_array(result)) {
		rc = bad(&r, "data.result", "expected an array");
		goto out;
	}
	json_array_foreach(result, i, s)
	{
		char p[PATH_MAX_LEN], q[PATH_MAX_LEN];
		struct ct_kube_map lab;
		const char *ns, *pod, *ctr, *rl, *nm;
		enum ct_kube_resource what = res;
		double v = 0, sum = 0;
		long nv = 0;
		bool skip;

		index_path(p, "data.result", i);
		if (!json_is_object(s)) {
			rc = bad(&r, p, "expected an object, not %s", type_name(s));
			goto out;
		}
		if ((rc = map_at(&r, s, p, "metric", &lab)))
			goto out;
		ns = ct_kube_get(&lab, "namespace");
		pod = label2(&lab, "pod", "pod_name");
		ctr = label2(&lab, "container", "container_name");
		if (what == CT_KUBE_AUTO) {
			rl = ct_kube_get(&lab, "resource");
			nm = ct_kube_get(&lab, "__name__");
			if (rl && !strcmp(rl, "cpu"))
				what = CT_KUBE_CPU;
			else if (rl && !strcmp(rl, "memory"))
				what = CT_KUBE_MEMORY;
			else if (nm && strstr(nm, "cpu"))
				what = CT_KUBE_CPU;
			else if (nm && strstr(nm, "memory"))
				what = CT_KUBE_MEMORY;
		}
		if (what == CT_KUBE_AUTO) {
			map_release(&lab);
			join(q, p, "metric");
			rc = bad(&r, q,
				 "cannot tell CPU from memory usage (no resource "
				 "label or metric name): give the file as cpu=FILE or "
				 "memory=FILE");
			goto out;
		}
		if (!matrix) {
			join(q, p, "value");
			rc = sample(&r, json_object_get(s, "value"), q, &v, &skip);
			nv = !skip;
			sum = v;
		} else {
			json_t *vals = json_object_get(s, "values"), *pair;
			join(q, p, "values");
			if (!json_is_array(vals)) {
				rc = bad(&r, q, "expected an array");
			} else {
				json_array_foreach(vals, j, pair)
				{
					char q2[PATH_MAX_LEN];
					index_path(q2, q, j);
					if ((rc = sample(&r, pair, q2, &v, &skip)))
						break;
					if (!skip) {
						sum += v;
						nv++;
					}
				}
			}
		}
		if (rc) {
			map_release(&lab);
			goto out;
		}
		if (!ns || !*ns || !pod || !*pod || !ctr || !*ctr || !strcmp(ctr, "POD") ||
		    nv == 0) {
			skipped++;
			map_release(&lab);
			continue;
		}
		v = sum / (double)nv;
		CT_GROW(u, nu + 1, cap);
		memset(&u[nu], 0, sizeof(u[nu]));
		u[nu].ns = ct_xstrdup(ns);
		u[nu].pod = ct_xstrdup(pod);
		u[nu].container = ct_xstrdup(ctr);
		/* a measurement: to the nearest millicore or byte */
		if (what == CT_KUBE_CPU) {
			double m = round(v * 1000.0);
			u[nu].cpu_m = m > (double)CT_KUBE_MAX_MILLICORES ? CT_KUBE_MAX_MILLICORES
									 : (int64_t)m;
			u[nu].has_cpu = true;
		} else {
			double b = round(v);
			u[nu].mem_b =
				b > (double)CT_KUBE_MAX_BYTES ? CT_KUBE_MAX_BYTES : (int64_t)b;
			u[nu].has_mem = true;
		}
		nu++;
		map_release(&lab);
	}
	/* merge into k: sorted by (namespace, pod, container), the largest
	 * value of repeated series */
	for (i = 0; i < nu; i++) {
		CT_GROW(k->usage, k->nusage + 1, k->capusage);
		k->usage[k->nusage++] = u[i];
	}
	nu = 0;
	qsort(k->usage, k->nusage, sizeof(*k->usage), usage_cmp);
	for (i = 0, j = 0; i < k->nusage; i++) {
		struct ct_kube_usage *a = &k->usage[i];
		if (j > 0 && usage_cmp(&k->usage[j - 1], a) == 0) {
			struct ct_kube_usage *b = &k->usage[j - 1];
			if (a->has_cpu && (!b->has_cpu || a->cpu_m > b->cpu_m))
				b->cpu_m = a->cpu_m;
			if (a->has_mem && (!b->has_mem || a->mem_b > b->mem_b))
				b->mem_b = a->mem_b;
			b->has_cpu |= a->has_cpu;
			b->has_mem |= a->has_mem;
			usage_release(a);
			continue;
		}
		k->usage[j++] = *a;
	}
	k->nusage = j;
	k->usage_skipped += skipped;
out:
	for (i = 0; i < nu; i++)
		usage_release(&u[i]);
	free(u);
	json_decref(root);
	return rc;
}

int ct_kube_load(struct ct_kube *k, enum ct_kube_file what, bool usage, enum ct_kube_resource res,
		 const char *path, struct ct_err *err)
{
	struct ct_stream *in = NULL;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc = CT_OK;

	in = ct_stream_open(path, err);
	if (!in)
		return err ? err->code : CT_E_IO;
	for (;;) {
		long n;
		if (len + 65536 > cap) {
			cap = cap ? cap * 2 : (size_t)1 << 16;
			buf = ct_xrealloc(buf, cap + 1);
		}
		n = ct_stream_read(in, buf + len, cap - len, err);
		if (n < 0) {
			rc = (int)n;
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > CT_KUBE_MAX_JSON) {
			rc = ct_err_set(err, CT_E_INPUT, ct_stream_name(in), 0,
					"JSON file larger than %zu MiB", CT_KUBE_MAX_JSON >> 20);
			goto out;
		}
	}
	if (usage)
		rc = ct_kube_read_usage(k, res, ct_stream_name(in), buf ? buf : "", len, err);
	else
		rc = ct_kube_read(k, what, ct_stream_name(in), buf ? buf : "", len, err);
out:
	free(buf);
	ct_stream_close(in);
	return rc;
}
