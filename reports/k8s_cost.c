/*
 * k8s_cost.c - the model of `cloudtally k8s` (see k8s_cost.h for what it
 * computes and the sums it keeps).
 *
 * RULE: k8s.node-split -- each node's monthly price (on-demand or spot
 * rate x 730 h) is split into CPU, memory and GPU parts with OpenCost's
 * ratio method (pricing/k8s.h): with OpenCost's default unit prices
 * $0.031611/vCPU-h, $0.004237/GiB-h and $0.95/GPU-h, the parts are in
 * the ratio vCPU x 0.031611 : GiB x 0.004237 : GPUs x 0.95, where vCPU,
 * GiB and GPUs are the node's status.capacity (physical GPUs: capacity /
 * nvidia.com/gpu.replicas under time-slicing). An m5.large (2 vCPU,
 * 8 GiB, $70.08) is 65.1 % CPU: $45.62 CPU and $24.46 memory.
 *
 * RULE: k8s.allocation -- on each node, each part is apportioned
 * (ct_k8s_apportion) among its running pods by their charged amount of
 * the resource, plus an idle bucket of the capacity nobody charged
 * (capacity - sum, or nothing when pods charge more than the capacity).
 * A pod's charged amount is the sum over its containers (and native
 * sidecars, and spec.overhead) of the request, or of max(request, usage)
 * for containers with Prometheus usage. GPU requests are never raised by
 * usage. Only pods in phase Running on a known node are charged; pending
 * (no node, or phase Pending) and finished (Succeeded, Failed) pods are
 * not. Idle therefore includes the node's system reservation (capacity -
 * allocatable).
 *
 * RULE: k8s.volumes -- a persistent volume costs its EBS type (from its
 * storage class, ct_k8s_ebs_type) at ceil(capacity / GiB) GB-months,
 * plus the class's provisioned IOPS and throughput; its cost goes to the
 * running pods mounting its claim, evenly. A claim bound to a volume not
 * in the input is priced from the claim. RULE: k8s.lbs -- a Service of
 * type LoadBalancer is one NLB (aws-load-balancer-type nlb/external, or
 * class service.k8s.aws/nlb) or else one Classic LB; an Ingress of class
 * alb is an ALB, one per group.name; hours only (no LCUs). Its cost goes
 * evenly to the running pods its selector (or its backend services'
 * selectors) picks. A volume or load balancer no running pod uses goes to
 * its namespace when grouping by namespace, else to __unmounted__.
 *
 * RULE: k8s.sharing -- the shared namespaces' cost (all of it: nodes,
 * volumes, load balancers) is apportioned among the other groups by their
 * own cost; with --share-idle, idle CPU, memory and GPU are apportioned
 * among the groups by their own CPU, memory and GPU cost. What no group
 * can take stays on __shared__ and __idle__.
 *
 * Depends on the catalog, pricing/ formulas and the snapshot (kube.h); no
 * I/O.
 */
#include "ct.h"
#include "k8s_cost.h"
#include "catalog.h"
#include "cost.h"
#include "hash.h"
#include "k8s.h"
#include "kube.h"
#include "network.h"
#include "render.h"
#include "storage.h"

#include <math.h>

#define GIB (INT64_C(1) << 30)
#define NOTE_NAMES 5 /* names listed in a note before "and N more" */

void ct_k8s_cost_opts_init(struct ct_k8s_cost_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->by = CT_K8S_BY_NAMESPACE;
	o->plane = CT_K8S_PLANE_AUTO;
}

/* ---- building state ------------------------------------------------------ */

/* One charged pod. */
struct pc {
	size_t pod;  /* in k->pods */
	size_t node; /* in c->nodes */
	int64_t cpu_req, mem_req, gpu_req, cpu_use, mem_use;
	int64_t cpu_w, mem_w, gpu_w;
	bool has_use;
	ct_money cpu, mem, gpu, pv, lb;
	size_t group;
};

/* A group while building: the public struct plus where it belongs. */
struct grp {
	struct ct_k8s_cost_alloc a;
	bool shared;	/* a shared namespace */
	bool unmounted; /* __unmounted__ */
};

struct st {
	const struct ct_kube *k;
	const struct ct_catalog *cat;
	struct ct_k8s_cost *c;
	struct pc *pc;
	size_t npc;
	struct grp *g;
	size_t ng, capg;
	struct ct_hash_map gidx; /* hash of (name, shared) -> index in g */
	size_t *by_ns;		 /* indices in pc, by the pod's namespace */
	size_t *pick;		 /* pods picked for a volume or LB (pick_add) */
	bool *picked;		 /* npc flags of those */
	size_t npick;
	char **notes;
	size_t nnotes, capnotes;
};

static void note(struct st *s, const char *fmt, ...) CT_PRINTF(2, 3);
static void note(struct st *s, const char *fmt, ...)
{
	va_list ap;
	char *t;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		ct_die("bad format '%s'", fmt);
	t = ct_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(t, (size_t)n + 1, fmt, ap);
	va_end(ap);
	CT_GROW(s->notes, s->nnotes + 1, s->capnotes);
	s->notes[s->nnotes++] = t;
}

static bool is_shared_ns(const struct ct_k8s_cost_opts *o, const char *ns)
{
	if (!strcmp(ns, "kube-system"))
		return true;
	for (size_t i = 0; i < o->nshared; i++)
		if (o->shared[i] && !strcmp(o->shared[i], ns))
			return true;
	return false;
}

/* The group named name (shared when ns is a shared namespace), added
 * when new. Linear search is fine: groups are few next to pods, and the
 * last one found is tried first. */
static size_t group(struct st *s, const char *name, bool shared, bool unmounted)
{
	uint64_t h = ct_hash_bytes(name, strlen(name), shared ? 1 : 2);
	int64_t i;

	/* probe past other names with the same hash */
	while (ct_hash_map_get(&s->gidx, h, &i)) {
		if (!strcmp(s->g[i].a.name, name) && s->g[i].shared == shared)
			return (size_t)i;
		h = ct_hash_u64(h, 1);
	}
	CT_GROW(s->g, s->ng + 1, s->capg);
	memset(&s->g[s->ng], 0, sizeof(s->g[s->ng]));
	s->g[s->ng].a.name = ct_xstrdup(name);
	s->g[s->ng].shared = shared;
	s->g[s->ng].unmounted = unmounted;
	ct_hash_map_put(&s->gidx, h, (int64_t)s->ng);
	return s->ng++;
}

/* The group of a pod under the chosen aggregation. */
static size_t pod_group(struct st *s, const struct ct_kube_pod *p)
{
	const struct ct_k8s_cost_opts *o = &s->c->opts;
	bool shared = is_shared_ns(o, p->ns);
	const char *v;
	char *name;
	size_t g;

	if (shared || o->by == CT_K8S_BY_NAMESPACE)
		return group(s, p->ns, shared, false);
	if (o->by == CT_K8S_BY_LABEL) {
		v = ct_kube_get(&p->labels, o->label);
		return group(s, v ? v : "__unallocated__", false, false);
	}
	if (!p->controller_kind)
		return group(s, "__unallocated__", false, false);
	name = ct_xasprintf("%s/%s/%s", p->ns, p->controller_kind, p->controller);
	g = group(s, name, false, false);
	free(name);
	return g;
}

/* The group of a cost no running pod carries: its namespace when
 * grouping by namespace, else __unmounted__. */
static size_t orphan_group(struct st *s, const char *ns)
{
	const struct ct_k8s_cost_opts *o = &s->c->opts;

	if (ns && is_shared_ns(o, ns))
		return group(s, ns, true, false);
	if (ns && o->by == CT_K8S_BY_NAMESPACE)
		return group(s, ns, false, false);
	return group(s, "__unmounted__", false, true);
}

static int node_cmp(const void *a, const void *b)
{
	const struct ct_k8s_cost_node *x = a, *y = b;

	return strcmp(x->name, y->name);
}

/* The index of node name in c->nodes (sorted). @return false: none. */
static bool find_node(const struct ct_k8s_cost *c, const char *name, size_t *at)
{
	size_t lo = 0, hi = c->nnodes;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(c->nodes[mid].name, name);
		if (!d) {
			*at = mid;
			return true;
		}
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* The usage of a container, or NULL. */
static const struct ct_kube_usage *find_usage(const struct ct_kube *k, const char *ns,
					      const char *pod, const char *ctr)
{
	size_t lo = 0, hi = k->nusage;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ct_kube_usage *u = &k->usage[mid];
		int d = strcmp(u->ns, ns);
		if (!d)
			d = strcmp(u->pod, pod);
		if (!d)
			d = strcmp(u->container, ctr);
		if (!d)
			return u;
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int64_t add_cap(int64_t a, int64_t b)
{
	return a > INT64_MAX - b ? INT64_MAX : a + b;
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/* ---- nodes ------------------------------------------------------------- */

/* The most common region of the nodes (ties: the first by name). */
static char *cluster_region(const struct ct_kube *k, const char *fallback)
{
	const char *best = NULL;
	size_t bestn = 0;

	for (size_t i = 0; i < k->nnodes; i++) {
		const char *r = k->nodes[i].region;
		size_t n = 0;
		if (!r)
			continue;
		for (size_t j = 0; j < k->nnodes; j++)
			n += k->nodes[j].region && !strcmp(k->nodes[j].region, r);
		if (n > bestn || (n == bestn && strcmp(r, best) < 0)) {
			best = r;
			bestn = n;
		}
	}
	if (!best)
		best = fallback;
	return best ? ct_xstrdup(best) : NULL;
}

static void price_node(struct st *s, const struct ct_kube_node *kn, struct ct_k8s_cost_node *n)
{
	struct ct_err e;
	uint64_t w[3];
	ct_money parts[3];
	int64_t cpu_m = kn->cpu_m, mem_b = kn->mem_b;
	int vcpu;
	double gib;

	ct_err_init(&e);
	n->name = ct_xstrdup(kn->name);
	n->instance_type = kn->instance_type ? ct_xstrdup(kn->instance_type) : NULL;
	n->region = kn->region		? ct_xstrdup(kn->region)
		    : s->c->opts.region ? ct_xstrdup(s->c->opts.region)
		    : s->c->region	? ct_xstrdup(s->c->region)
					: NULL;
	n->zone = kn->zone ? ct_xstrdup(kn->zone) : NULL;
	n->group = kn->group ? ct_xstrdup(kn->group) : NULL;
	n->os = ct_xstrdup(kn->os);
	n->capacity = ct_kube_capacity_name(kn->capacity);
	if ((!kn->has_cpu || !kn->has_mem) && kn->instance_type &&
	    ct_catalog_instance(s->cat, kn->instance_type, &vcpu, &gib)) {
		if (!kn->has_cpu)
			cpu_m = (int64_t)vcpu * 1000;
		if (!kn->has_mem)
			mem_b = (int64_t)llround(gib * (double)GIB);
		n->note = ct_xasprintf("no status.capacity: %d vCPU and %g GiB from the "
				       "catalog",
				       vcpu, gib);
	}
	n->cpu_m = cpu_m;
	n->mem_b = mem_b;
	n->gpu_m = kn->gpu_m;

	if (kn->fargate) {
		n->note = ct_xstrdup("a Fargate node: Fargate bills each pod's vCPU and "
				     "memory, which the catalog does not price");
	} else if (!kn->instance_type) {
		n->note = ct_xstrdup("no node.kubernetes.io/instance-type label");
	} else if (!n->region) {
		n->note = ct_xstrdup("no region label: give --region");
	} else if (ct_k8s_node_rate(s->cat, n->region, kn->instance_type, kn->os,
				    kn->capacity == CT_KUBE_SPOT, &n->hourly, NULL, &e) != CT_OK) {
		free(n->note);
		n->note = ct_xstrdup(e.msg);
	} else {
		n->priced = true;
		n->monthly = ct_money_of_rate(n->hourly, CT_HOURS_PER_MONTH);
		if (kn->capacity == CT_KUBE_RESERVED && !n->note)
			n->note = ct_xstrdup("reserved capacity: priced at the on-demand rate");
	}
	/* the split, on physical GPUs */
	ct_k8s_split_weights(cpu_m, mem_b, kn->gpu_m / kn->gpu_replicas, w);
	if (!ct_k8s_apportion(n->monthly, w, 3, parts)) {
		parts[0] = n->monthly; /* no capacity known: all of it CPU */
		parts[1] = parts[2] = 0;
	}
	n->cpu = parts[0];
	n->mem = parts[1];
	n->gpu = parts[2];
}

/* ---- pods ----------------------------------------------------------------- */

static int pc_cmp(const void *a, const void *b)
{
	const struct pc *x = a, *y = b;

	if (x->node != y->node)
		return x->node < y->node ? -1 : 1;
	return x->pod < y->pod ? -1 : x->pod > y->pod;
}

/* Which pods are charged, and their amounts. */
static void charge_pods(struct st *s)
{
	const struct ct_kube *k = s->k;
	struct ct_k8s_cost *c = s->c;
	char *noreq = NULL, *unknown = NULL;
	size_t i, j, nnoreq = 0, nunknown = 0, matched = 0;
	bool *used = ct_xcalloc(k->nusage + 1, sizeof(*used));

	s->pc = ct_xcalloc(k->npods + 1, sizeof(*s->pc));
	for (i = 0; i < k->npods; i++) {
		const struct ct_kube_pod *p = &k->pods[i];
		const char *ph = p->phase ? p->phase : "";
		struct pc *x;
		size_t nd;
		bool any_req = false;

		if (!strcmp(ph, "Succeeded") || !strcmp(ph, "Failed")) {
			c->pods_finished++;
			continue;
		}
		if (!p->node || !strcmp(ph, "Pending")) {
			c->pods_pending++;
			continue;
		}
		if (strcmp(ph, "Running") != 0) {
			c->pods_other++;
			continue;
		}
		if (!find_node(c, p->node, &nd)) {
			if (nunknown++ < NOTE_NAMES) {
				char *t =
					ct_xasprintf("%s%s%s/%s on %s", unknown ? unknown : "",
						     unknown ? ", " : "", p->ns, p->name, p->node);
				free(unknown);
				unknown = t;
			}
			continue;
		}
		x = &s->pc[s->npc++];
		x->pod = i;
		x->node = nd;
		for (j = 0; j < p->nc; j++) {
			const struct ct_kube_container *ct = &p->c[j];
			const struct ct_kube_usage *u =
				ct->name ? find_usage(k, p->ns, p->name, ct->name) : NULL;
			int64_t uc = u && u->has_cpu ? u->cpu_m : 0;
			if (u && !used[u - k->usage]) {
				used[u - k->usage] = true;
				matched++;
			}
			int64_t um = u && u->has_mem ? u->mem_b : 0;
			any_req |= ct->has_cpu || ct->has_mem;
			x->cpu_req = add_cap(x->cpu_req, ct->cpu_m);
			x->mem_req = add_cap(x->mem_req, ct->mem_b);
			x->gpu_req = add_cap(x->gpu_req, ct->gpu_m);
			x->cpu_use = add_cap(x->cpu_use, uc);
			x->mem_use = add_cap(x->mem_use, um);
			x->has_use |= u != NULL;
			x->cpu_w = add_cap(x->cpu_w, max64(ct->cpu_m, uc));
			x->mem_w = add_cap(x->mem_w, max64(ct->mem_b, um));
		}
		x->cpu_req = add_cap(x->cpu_req, p->over_cpu_m);
		x->mem_req = add_cap(x->mem_req, p->over_mem_b);
		x->cpu_w = add_cap(x->cpu_w, p->over_cpu_m);
		x->mem_w = add_cap(x->mem_w, p->over_mem_b);
		x->gpu_w = x->gpu_req;
		x->group = pod_group(s, p);
		c->pods_running++;
		c->nodes[nd].pods++;
		if (!any_req) {
			c->pods_no_requests++;
			if (nnoreq++ < NOTE_NAMES) {
				char *t = ct_xasprintf("%s%s%s/%s", noreq ? noreq : "",
						       noreq ? ", " : "", p->ns, p->name);
				free(noreq);
				noreq = t;
			}
		}
	}
	qsort(s->pc, s->npc, sizeof(*s->pc), pc_cmp);
	c->pods_unknown_node = nunknown;
	if (k->nusage || k->usage_skipped)
		note(s,
		     "Prometheus usage: %zu container%s charged max(request, usage); %zu "
		     "series skipped (no pod or container label, the POD container, or NaN); "
		     "%zu container%s not running here, ignored.",
		     matched, matched == 1 ? "" : "s", k->usage_skipped, k->nusage - matched,
		     k->nusage - matched == 1 ? "" : "s");
	free(used);
	if (c->pods_pending || c->pods_finished || c->pods_other) {
		char other[64] = "";
		if (c->pods_other)
			snprintf(other, sizeof(other), ", %zu in another phase", c->pods_other);
		note(s,
		     "Not charged: %zu pending pod%s (not scheduled, or phase Pending), "
		     "%zu finished (Succeeded or Failed)%s.",
		     c->pods_pending, c->pods_pending == 1 ? "" : "s", c->pods_finished, other);
	}
	if (nnoreq)
		note(s,
		     "%zu running pod%s no CPU or memory request: %s (a zero request; "
		     "%s).",
		     nnoreq, nnoreq == 1 ? " has" : "s have", noreq,
		     c->usage ? "charged by usage where Prometheus has it"
			      : "charged nothing for CPU and memory; --usage charges usage");
	if (nunknown)
		note(s, "%zu running pod%s on nodes not in the nodes file, not charged: %s%s.",
		     nunknown, nunknown == 1 ? " is" : "s are", unknown,
		     nunknown > NOTE_NAMES ? " ..." : "");
	free(noreq);
	free(unknown);
}

/* Apportion one part of a node among its pods and its idle bucket. */
static ct_money split_part(ct_money part, const struct pc *pods, size_t n, int which,
			   int64_t capacity, ct_money *out, int64_t *idle_amount)
{
	uint64_t *w = ct_xcalloc(n + 1, sizeof(*w));
	ct_money *m = ct_xcalloc(n + 1, sizeof(*m));
	uint64_t sum = 0;
	ct_money idle;
	size_t i;

	for (i = 0; i < n; i++) {
		int64_t v = which == 0 ? pods[i].cpu_w : which == 1 ? pods[i].mem_w : pods[i].gpu_w;
		w[i] = (uint64_t)v;
		sum += w[i];
	}
	w[n] = capacity > 0 && (uint64_t)capacity > sum ? (uint64_t)capacity - sum : 0;
	*idle_amount = (int64_t)w[n];
	if (ct_k8s_apportion(part, w, n + 1, m)) {
		for (i = 0; i < n; i++)
			out[i] = m[i];
		idle = m[n];
	} else {
		for (i = 0; i < n; i++)
			out[i] = 0;
		idle = part;
	}
	free(w);
	free(m);
	return idle;
}

static void allocate_nodes(struct st *s)
{
	struct ct_k8s_cost *c = s->c;
	size_t i = 0;

	for (size_t nd = 0; nd < c->nnodes; nd++) {
		struct ct_k8s_cost_node *n = &c->nodes[nd];
		size_t first = i, cnt, j;
		ct_money *out, idle;
		int64_t ia, cap[3];

		while (i < s->npc && s->pc[i].node == nd)
			i++;
		cnt = i - first;
		out = ct_xcalloc(cnt + 1, sizeof(*out));
		cap[0] = n->cpu_m;
		cap[1] = n->mem_b;
		cap[2] = n->gpu_m;
		for (int r = 0; r < 3; r++) {
			ct_money part = r == 0 ? n->cpu : r == 1 ? n->mem : n->gpu;
			idle = split_part(part, s->pc + first, cnt, r, cap[r], out, &ia);
			for (j = 0; j < cnt; j++) {
				struct pc *x = &s->pc[first + j];
				if (r == 0)
					x->cpu = out[j];
				else if (r == 1)
					x->mem = out[j];
				else
					x->gpu = out[j];
				n->allocated += out[j];
			}
			n->idle += idle;
			if (r == 0) {
				c->idle_cpu += idle;
				c->idle_cpu_m += ia;
			} else if (r == 1) {
				c->idle_mem += idle;
				c->idle_mem_b += ia;
			} else {
				c->idle_gpu += idle;
				c->idle_gpu_m += ia;
			}
		}
		free(out);
	}
}

/* ---- volumes and load balancers --------------------------------------- */

/* Give amount to the charged pods in want (evenly), or to the orphan
 * group of ns. lb: load balancer cost, else volume cost. */
struct nsref {
	const char *ns;
	size_t i;
};

static int nsref_cmp(const void *a, const void *b)
{
	const struct nsref *x = a, *y = b;
	int d = strcmp(x->ns, y->ns);

	if (d)
		return d;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* The charged pods by namespace (s->by_ns), and room to pick them. */
static void index_pods(struct st *s)
{
	struct nsref *r = ct_xcalloc(s->npc + 1, sizeof(*r));

	for (size_t i = 0; i < s->npc; i++) {
		r[i].ns = s->k->pods[s->pc[i].pod].ns;
		r[i].i = i;
	}
	qsort(r, s->npc, sizeof(*r), nsref_cmp);
	s->by_ns = ct_xcalloc(s->npc + 1, sizeof(*s->by_ns));
	for (size_t i = 0; i < s->npc; i++)
		s->by_ns[i] = r[i].i;
	free(r);
	s->pick = ct_xcalloc(s->npc + 1, sizeof(*s->pick));
	s->picked = ct_xcalloc(s->npc + 1, sizeof(*s->picked));
}

static void pick_add(struct st *s, size_t i)
{
	if (!s->picked[i]) {
		s->picked[i] = true;
		s->pick[s->npick++] = i;
	}
}

static void pick_clear(struct st *s)
{
	for (size_t i = 0; i < s->npick; i++)
		s->picked[s->pick[i]] = false;
	s->npick = 0;
}

/* Give amount to the picked pods (evenly, in the order picked), or to the
 * orphan group of ns when none is picked; then clear the pick. lb: load
 * balancer cost, else volume cost. */
static void spread(struct st *s, ct_money amount, const char *ns, bool lb)
{
	uint64_t *w = ct_xcalloc(s->npick + 1, sizeof(*w));
	ct_money *m = ct_xcalloc(s->npick + 1, sizeof(*m));
	size_t i;

	for (i = 0; i < s->npick; i++)
		w[i] = 1;
	if (ct_k8s_apportion(amount, w, s->npick, m)) {
		for (i = 0; i < s->npick; i++) {
			struct pc *x = &s->pc[s->pick[i]];
			if (lb)
				x->lb += m[i];
			else
				x->pv += m[i];
		}
	} else {
		struct grp *g = &s->g[orphan_group(s, ns)];
		if (lb)
			g->a.lb += amount;
		else
			g->a.pv += amount;
	}
	free(w);
	free(m);
	pick_clear(s);
}

static const struct ct_kube_class *find_class(const struct ct_kube *k, const char *name)
{
	for (size_t i = 0; i < k->nclasses; i++)
		if (name ? !strcmp(k->classes[i].name, name) : k->classes[i].is_default)
			return &k->classes[i];
	return NULL;
}

static int pv_name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whether name is in names (sorted). */
static bool has_name(const char *const *names, size_t n, const char *name)
{
	return n && bsearch(&name, names, n, sizeof(*names), pv_name_cmp) != NULL;
}

static double param_num(const struct ct_kube_class *sc, const char *key)
{
	const char *v = sc ? ct_kube_get(&sc->params, key) : NULL;
	double d;

	if (v && ct_num_parse(v, strlen(v), &d) == CT_OK && d > 0)
		return d;
	return 0;
}

/* Price one volume of bytes in class_name; driver: the PV's CSI driver
 * (NULL: none known, or no PV object). */
static void price_volume(struct st *s, struct ct_k8s_cost_volume *v, const char *class_name,
			 const char *driver, int64_t bytes)
{
	const struct ct_kube_class *sc = find_class(s->k, class_name);
	const char *t = NULL;
	struct ct_ebs_spec e = {0};
	struct ct_cost cost;
	struct ct_err err;

	ct_err_init(&err);
	v->class_name = class_name ? ct_xstrdup(class_name) : NULL;
	v->gib = (double)((bytes + GIB - 1) / GIB);
	if (sc) {
		t = ct_k8s_ebs_type(sc->provisioner, ct_kube_get(&sc->params, "type"), sc->name);
	} else if (!driver || !strcmp(driver, "ebs.csi.aws.com") ||
		   !strcmp(driver, "kubernetes.io/aws-ebs")) {
		/* no class object: its name, else the driver's default */
		t = ct_k8s_ebs_type(NULL, NULL, class_name);
		if (!t && driver)
			t = ct_k8s_ebs_type(driver, NULL, NULL);
	}
	v->ebs_type = t;
	if (!t) {
		v->note = ct_xasprintf("storage class %s%s%s is not EBS, or its type is "
				       "unknown",
				       class_name ? class_name : "(none)",
				       driver ? ", driver " : "", driver ? driver : "");
		return;
	}
	if (!s->c->region) {
		v->note = ct_xstrdup("no region: give --region");
		return;
	}
	e.region = s->c->region;
	e.type = t;
	e.gb = v->gib;
	e.throughput = param_num(sc, "throughput");
	e.iops = param_num(sc, "iops");
	if (e.iops == 0 && param_num(sc, "iopsPerGB") > 0)
		e.iops = param_num(sc, "iopsPerGB") * v->gib;
	if (ct_storage_ebs(s->cat, &e, &cost, &err) != CT_OK) {
		v->note = ct_xstrdup(err.msg);
		return;
	}
	v->priced = true;
	v->monthly = cost.monthly;
}

/* The charged pods that mount claim ns/name. */
/* The range [*lo, *hi) of s->by_ns whose pods are in namespace ns. */
static void ns_range(const struct st *s, const char *ns, size_t *lo, size_t *hi)
{
	size_t a = 0, b = s->npc;

	while (a < b) { /* the first not below ns */
		size_t mid = a + (b - a) / 2;
		if (strcmp(s->k->pods[s->pc[s->by_ns[mid]].pod].ns, ns) < 0)
			a = mid + 1;
		else
			b = mid;
	}
	*lo = a;
	b = s->npc;
	while (a < b) { /* the first above ns */
		size_t mid = a + (b - a) / 2;
		if (strcmp(s->k->pods[s->pc[s->by_ns[mid]].pod].ns, ns) <= 0)
			a = mid + 1;
		else
			b = mid;
	}
	*hi = a;
}

/* Pick the charged pods that mount claim ns/name. */
static void claim_pods(struct st *s, const char *ns, const char *name)
{
	size_t lo, hi;

	ns_range(s, ns, &lo, &hi);
	for (size_t i = lo; i < hi; i++) {
		const struct ct_kube_pod *p = &s->k->pods[s->pc[s->by_ns[i]].pod];
		for (size_t j = 0; j < p->nclaims; j++)
			if (!strcmp(p->claims[j], name))
				pick_add(s, s->by_ns[i]);
	}
}

static int vol_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ct_k8s_cost_volume *)a)->name,
		      ((const struct ct_k8s_cost_volume *)b)->name);
}

static void volumes(struct st *s)
{
	const struct ct_kube *k = s->k;
	struct ct_k8s_cost *c = s->c;
	const char **names = ct_xcalloc(k->npvs + 1, sizeof(*names));
	size_t i, unpriced = 0, pending = 0;

	for (i = 0; i < k->npvs; i++)
		names[i] = k->pvs[i].name;
	qsort(names, k->npvs, sizeof(*names), pv_name_cmp);
	c->volumes = ct_xcalloc(k->npvs + k->npvcs + 1, sizeof(*c->volumes));
	for (i = 0; i < k->npvs; i++) {
		const struct ct_kube_pv *pv = &k->pvs[i];
		struct ct_k8s_cost_volume *v = &c->volumes[c->nvolumes++];
		const char *ns = pv->claim_ns;

		v->name = ct_xstrdup(pv->name);
		if (pv->claim_ns && pv->claim_name)
			v->claim = ct_xasprintf("%s/%s", pv->claim_ns, pv->claim_name);
		price_volume(s, v, pv->class_name, pv->driver, pv->bytes);
		if (!v->priced) {
			unpriced++;
			continue;
		}
		c->volumes_total += v->monthly;
		if (ns && pv->claim_name)
			claim_pods(s, ns, pv->claim_name);
		spread(s, v->monthly, ns, false);
	}
	/* claims whose volume is not in the input */
	for (i = 0; i < k->npvcs; i++) {
		const struct ct_kube_pvc *pvc = &k->pvcs[i];
		struct ct_k8s_cost_volume *v;
		const char *cls = pvc->class_name;

		if (pvc->volume && has_name(names, k->npvs, pvc->volume))
			continue;
		if (!pvc->phase || strcmp(pvc->phase, "Bound") != 0) {
			pending++;
			continue;
		}
		v = &c->volumes[c->nvolumes++];
		v->name = ct_xasprintf("%s/%s", pvc->ns, pvc->name);
		v->claim = ct_xstrdup(v->name);
		if (!cls) { /* no class: the default class */
			const struct ct_kube_class *d = find_class(k, NULL);
			cls = d ? d->name : NULL;
		}
		price_volume(s, v, cls, NULL, pvc->bytes);
		if (!v->priced) {
			unpriced++;
			continue;
		}
		c->volumes_total += v->monthly;
		claim_pods(s, pvc->ns, pvc->name);
		spread(s, v->monthly, pvc->ns, false);
	}
	qsort(c->volumes, c->nvolumes, sizeof(*c->volumes), vol_cmp);
	if (unpriced)
		note(s,
		     "%zu persistent volume%s without a price %s left out of the totals "
		     "(not EBS, or the type or region has no catalog price).",
		     unpriced, unpriced == 1 ? "" : "s", unpriced == 1 ? "is" : "are");
	if (pending)
		note(s, "%zu claim%s not bound to a volume cost%s nothing.", pending,
		     pending == 1 ? "" : "s", pending == 1 ? "s" : "");
	free(names);
}

/* The charged pods selected by sel in ns (an empty selector selects none). */
/* Pick the charged pods selected by sel in ns (an empty selector selects
 * none). */
static void selected(struct st *s, const char *ns, const struct ct_kube_map *sel)
{
	size_t lo, hi;

	if (!sel->n)
		return;
	ns_range(s, ns, &lo, &hi);
	for (size_t i = lo; i < hi; i++) {
		const struct ct_kube_pod *p = &s->k->pods[s->pc[s->by_ns[i]].pod];
		bool ok = true;
		for (size_t j = 0; j < sel->n && ok; j++) {
			const char *v = ct_kube_get(&p->labels, sel->kv[j].key);
			ok = v && !strcmp(v, sel->kv[j].value);
		}
		if (ok)
			pick_add(s, s->by_ns[i]);
	}
}

static int lb_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ct_k8s_cost_lb *)a)->name,
		      ((const struct ct_k8s_cost_lb *)b)->name);
}

static int svc_cmp(const void *a, const void *b)
{
	const struct ct_kube_service *x = *(const struct ct_kube_service *const *)a;
	const struct ct_kube_service *y = *(const struct ct_kube_service *const *)b;
	int d = strcmp(x->ns, y->ns);

	return d ? d : strcmp(x->name, y->name);
}

/* Service ns/name in svc (sorted by svc_cmp), or NULL. */
static const struct ct_kube_service *find_service(const struct ct_kube_service **svc, size_t n,
						  const char *ns, const char *name)
{
	struct ct_kube_service key;
	const struct ct_kube_service *kp = &key, **f;

	memset(&key, 0, sizeof(key));
	key.ns = (char *)ns;
	key.name = (char *)name;
	f = n ? bsearch(&kp, svc, n, sizeof(*svc), svc_cmp) : NULL;
	return f ? *f : NULL;
}

static void load_balancers(struct st *s)
{
	const struct ct_kube *k = s->k;
	struct ct_k8s_cost *c = s->c;
	bool *done = ct_xcalloc(k->nservices + 1, sizeof(*done));
	const struct ct_kube_service **svc = ct_xcalloc(k->nservices + 1, sizeof(*svc));
	size_t i, j, nsvc = 0, unpriced = 0;

	/* the services by namespace and name, for ingress backends */
	for (i = 0; i < k->nservices; i++)
		if (!k->services[i].ingress)
			svc[nsvc++] = &k->services[i];
	qsort(svc, nsvc, sizeof(*svc), svc_cmp);

	c->lbs = ct_xcalloc(k->nservices + 1, sizeof(*c->lbs));
	for (i = 0; i < k->nservices; i++) {
		const struct ct_kube_service *v = &k->services[i];
		struct ct_k8s_cost_lb *l;
		struct ct_cost cost;
		struct ct_err err;
		size_t members = 0, *mi;
		ct_money *share;
		uint64_t *w;

		if (!v->lb || done[i])
			continue;
		ct_err_init(&err);
		l = &c->lbs[c->nlbs++];
		l->kind = v->kind;
		if (v->ingress && v->group)
			l->name = ct_xasprintf("alb group %s", v->group);
		else
			l->name = ct_xasprintf("%s/%s", v->ns, v->name);
		if (!v->kind) {
			l->note = ct_xstrdup("a loadBalancerClass other than service.k8s.aws/nlb: "
					     "not priced");
		} else if (!c->region) {
			l->note = ct_xstrdup("no region: give --region");
		} else if (ct_network_lb(s->cat, c->region, v->kind, 1, 0, 0, &cost, &err) !=
			   CT_OK) {
			l->note = ct_xstrdup(err.msg);
		} else {
			l->priced = true;
			l->monthly = cost.monthly;
		}
		/* the members: the ingresses of one ALB group, else this one */
		mi = ct_xcalloc(k->nservices + 1, sizeof(*mi));
		for (j = i; j < k->nservices; j++) {
			const struct ct_kube_service *o = &k->services[j];
			if (j == i || (v->ingress && v->group && o->ingress && o->group &&
				       !strcmp(o->group, v->group))) {
				mi[members++] = j;
				done[j] = true;
			}
		}
		if (!l->priced) {
			unpriced++;
			free(mi);
			continue;
		}
		c->lbs_total += l->monthly;
		w = ct_xcalloc(members + 1, sizeof(*w));
		share = ct_xcalloc(members + 1, sizeof(*share));
		for (j = 0; j < members; j++)
			w[j] = 1;
		ct_k8s_apportion(l->monthly, w, members, share);
		for (j = 0; j < members; j++) {
			const struct ct_kube_service *o = &k->services[mi[j]];
			if (!o->ingress) {
				selected(s, o->ns, &o->selector);
			} else {
				for (size_t b = 0; b < o->nbackends; b++) {
					const struct ct_kube_service *bs =
						find_service(svc, nsvc, o->ns, o->backends[b]);
					if (bs)
						selected(s, o->ns, &bs->selector);
				}
			}
			spread(s, share[j], o->ns, true);
		}
		free(w);
		free(share);
		free(mi);
	}
	qsort(c->lbs, c->nlbs, sizeof(*c->lbs), lb_cmp);
	if (unpriced)
		note(s, "%zu load balancer%s without a price %s left out of the totals.", unpriced,
		     unpriced == 1 ? "" : "s", unpriced == 1 ? "is" : "are");
	free(done);
	free(svc);
}

/* ---- groups, sharing, idle -------------------------------------------- */

static ct_money own(const struct ct_k8s_cost_alloc *a)
{
	return a->cpu + a->mem + a->gpu + a->pv + a->lb;
}

static bool tenant(const struct grp *g)
{
	return !g->shared && !g->unmounted;
}

/* Special lines come last, in this order. */
static int special(const char *name)
{
	static const char *const names[] = {"__unallocated__", "__unmounted__", "__shared__",
					    "__idle__"};

	for (int i = 0; i < (int)CT_NELEM(names); i++)
		if (!strcmp(name, names[i]))
			return i + 1;
	return 0;
}

static int alloc_cmp(const void *a, const void *b)
{
	const struct ct_k8s_cost_alloc *x = a, *y = b;
	int sx = special(x->name), sy = special(y->name);

	if (sx != sy)
		return sx < sy ? -1 : 1;
	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Apportion amount among the tenants by weight(which); false when no
 * tenant has any weight. */
static bool share_among(struct st *s, ct_money amount, int which, bool idle)
{
	uint64_t *w = ct_xcalloc(s->ng + 1, sizeof(*w));
	ct_money *m = ct_xcalloc(s->ng + 1, sizeof(*m));
	bool ok;

	for (size_t i = 0; i < s->ng; i++) {
		const struct ct_k8s_cost_alloc *a = &s->g[i].a;
		ct_money v = which == 0	  ? a->cpu
			     : which == 1 ? a->mem
			     : which == 2 ? a->gpu
					  : own(a);
		w[i] = tenant(&s->g[i]) && v > 0 ? (uint64_t)v : 0;
	}
	ok = ct_k8s_apportion(amount, w, s->ng, m);
	for (size_t i = 0; ok && i < s->ng; i++) {
		if (idle)
			s->g[i].a.idle += m[i];
		else
			s->g[i].a.shared += m[i];
	}
	free(w);
	free(m);
	return ok || amount == 0;
}

static void add_special(struct ct_k8s_cost *c, const char *name, ct_money cpu, ct_money mem,
			ct_money gpu, ct_money pv, ct_money lb)
{
	struct ct_k8s_cost_alloc *a = &c->alloc[c->nalloc++];

	memset(a, 0, sizeof(*a));
	a->name = ct_xstrdup(name);
	a->cpu = cpu;
	a->mem = mem;
	a->gpu = gpu;
	a->pv = pv;
	a->lb = lb;
	a->total = cpu + mem + gpu + pv + lb;
}

static void groups(struct st *s)
{
	struct ct_k8s_cost *c = s->c;
	ct_money sc = 0, sm = 0, sg = 0, spv = 0, slb = 0;
	ct_money icpu = c->idle_cpu, imem = c->idle_mem, igpu = c->idle_gpu;
	size_t i, nsh = 0;

	for (i = 0; i < s->npc; i++) {
		const struct pc *x = &s->pc[i];
		struct ct_k8s_cost_alloc *a = &s->g[x->group].a;
		a->pods++;
		a->cpu_req_m += x->cpu_req;
		a->mem_req_b += x->mem_req;
		a->gpu_req_m += x->gpu_req;
		a->cpu_use_m += x->cpu_use;
		a->mem_use_b += x->mem_use;
		a->cpu_m += x->cpu_w;
		a->mem_b += x->mem_w;
		a->has_usage |= x->has_use;
		a->cpu += x->cpu;
		a->mem += x->mem;
		a->gpu += x->gpu;
		a->pv += x->pv;
		a->lb += x->lb;
	}
	for (i = 0; i < s->ng; i++) {
		const struct ct_k8s_cost_alloc *a = &s->g[i].a;
		if (s->g[i].shared) {
			c->shared += own(a);
			sc += a->cpu;
			sm += a->mem;
			sg += a->gpu;
			spv += a->pv;
			slb += a->lb;
			nsh++;
		} else {
			c->allocated += own(a);
		}
	}
	/* the shared namespaces over the tenants, by their own cost */
	bool spread_shared = share_among(s, c->shared, 3, false);
	if (c->opts.share_idle) {
		if (share_among(s, icpu, 0, true))
			icpu = 0;
		if (share_among(s, imem, 1, true))
			imem = 0;
		if (share_among(s, igpu, 2, true))
			igpu = 0;
	}
	c->alloc = ct_xcalloc(s->ng + 3, sizeof(*c->alloc));
	c->shared_groups = ct_xcalloc(nsh + 1, sizeof(*c->shared_groups));
	for (i = 0; i < s->ng; i++) {
		struct ct_k8s_cost_alloc *a = &s->g[i].a;
		a->total = own(a) + a->shared + a->idle;
		if (s->g[i].shared)
			c->shared_groups[c->nshared_groups++] = *a;
		else
			c->alloc[c->nalloc++] = *a;
		a->name = NULL; /* moved */
	}
	if (!spread_shared && c->shared > 0)
		add_special(c, "__shared__", sc, sm, sg, spv, slb);
	if (icpu + imem + igpu > 0)
		add_special(c, "__idle__", icpu, imem, igpu, 0, 0);
	qsort(c->alloc, c->nalloc, sizeof(*c->alloc), alloc_cmp);
	qsort(c->shared_groups, c->nshared_groups, sizeof(*c->shared_groups), alloc_cmp);
}

/* ---- spot projection ---------------------------------------------------- */

static int spot_cmp(const void *a, const void *b)
{
	const struct ct_k8s_cost_spot *x = a, *y = b;
	int d = strcmp(x->node_group, y->node_group);

	return d ? d : strcmp(x->instance_type, y->instance_type);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void spot(struct st *s)
{
	struct ct_k8s_cost *c = s->c;
	size_t *of = ct_xcalloc(c->nnodes + 1, sizeof(*of)); /* node -> entry */
	char **z = ct_xcalloc(c->nnodes + 1, sizeof(*z));
	size_t i, j;

	/* one entry per on-demand (group, instance type, region, os) */
	c->spot = ct_xcalloc(c->nnodes + 1, sizeof(*c->spot));
	for (i = 0; i < c->nnodes; i++) {
		const struct ct_k8s_cost_node *n = &c->nodes[i];
		struct ct_k8s_cost_spot *sp = NULL;

		of[i] = SIZE_MAX;
		if (!n->priced || strcmp(n->capacity, "on-demand") != 0)
			continue;
		for (j = 0; j < c->nspot && !sp; j++) {
			struct ct_k8s_cost_spot *o = &c->spot[j];
			bool same = n->group ? o->node_group && !strcmp(o->node_group, n->group)
					     : !o->node_group;
			if (same && !strcmp(o->instance_type, n->instance_type) &&
			    !strcmp(o->region, n->region) && !strcmp(o->os, n->os))
				sp = o;
		}
		if (!sp) {
			sp = &c->spot[c->nspot++];
			sp->node_group = n->group ? ct_xstrdup(n->group) : NULL;
			sp->instance_type = ct_xstrdup(n->instance_type);
			sp->region = ct_xstrdup(n->region);
			sp->os = n->os;
		}
		of[i] = (size_t)(sp - c->spot);
		sp->nodes++;
		sp->on_demand += n->monthly;
	}
	for (j = 0; j < c->nspot; j++) {
		struct ct_k8s_cost_spot *sp = &c->spot[j];
		struct ct_err e;
		const char *band = NULL;
		ct_rate rate;
		size_t nz = 0;

		/* the zone set, sorted, each once */
		for (i = 0; i < c->nnodes; i++)
			if (of[i] == j && c->nodes[i].zone)
				z[nz++] = c->nodes[i].zone;
		qsort(z, nz, sizeof(*z), str_cmp);
		for (i = 0; i < nz; i++) {
			char *t;
			if (i > 0 && !strcmp(z[i], z[i - 1]))
				continue;
			t = ct_xasprintf("%s%s%s", sp->zones ? sp->zones : "",
					 sp->zones ? ", " : "", z[i]);
			free(sp->zones);
			sp->zones = t;
		}
		if (!sp->node_group)
			sp->node_group = ct_xasprintf("%s in %s", sp->instance_type,
						      sp->zones ? sp->zones : sp->region);
		ct_err_init(&e);
		if (ct_k8s_node_rate(s->cat, sp->region, sp->instance_type, sp->os, true, &rate,
				     &band, &e) == CT_OK) {
			/* the catalog's string: copied, the model outlives it */
			sp->band = band ? ct_xstrdup(band) : NULL;
			sp->has_spot = true;
			sp->spot = ct_money_of_rate(rate, CT_HOURS_PER_MONTH) * (ct_money)sp->nodes;
			sp->savings = sp->on_demand - sp->spot;
			c->spot_savings += sp->savings;
		}
	}
	qsort(c->spot, c->nspot, sizeof(*c->spot), spot_cmp);
	free(of);
	free(z);
}

/* ---- the model ---------------------------------------------------------- */

static void alloc_release(struct ct_k8s_cost_alloc *a)
{
	free(a->name);
}

void ct_k8s_cost_free(struct ct_k8s_cost *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->nnodes; i++) {
		struct ct_k8s_cost_node *n = &c->nodes[i];
		free(n->name);
		free(n->instance_type);
		free(n->region);
		free(n->zone);
		free(n->group);
		free(n->os);
		free(n->note);
	}
	free(c->nodes);
	for (i = 0; i < c->nalloc; i++)
		alloc_release(&c->alloc[i]);
	free(c->alloc);
	for (i = 0; i < c->nshared_groups; i++)
		alloc_release(&c->shared_groups[i]);
	free(c->shared_groups);
	for (i = 0; i < c->nvolumes; i++) {
		free(c->volumes[i].name);
		free(c->volumes[i].claim);
		free(c->volumes[i].class_name);
		free(c->volumes[i].note);
	}
	free(c->volumes);
	for (i = 0; i < c->nlbs; i++) {
		free(c->lbs[i].name);
		free(c->lbs[i].note);
	}
	free(c->lbs);
	for (i = 0; i < c->nspot; i++) {
		free(c->spot[i].node_group);
		free(c->spot[i].instance_type);
		free(c->spot[i].region);
		free(c->spot[i].zones);
		free(c->spot[i].band);
	}
	free(c->spot);
	for (i = 0; i < c->nnotes; i++)
		free(c->notes[i]);
	free(c->notes);
	free(c->by_name);
	free(c->region);
	free(c);
}

/* The control plane: EKS when asked, or (auto) when a node's labels say. */
static void control_plane(struct st *s)
{
	struct ct_k8s_cost *c = s->c;
	const char *why = NULL;
	bool extended = c->opts.plane == CT_K8S_PLANE_EKS_EXTENDED, fallback;
	struct ct_err e;

	c->plane = "none";
	if (c->opts.plane == CT_K8S_PLANE_NONE)
		return;
	if (c->opts.plane == CT_K8S_PLANE_AUTO) {
		for (size_t i = 0; i < s->k->nnodes && !why; i++)
			if (s->k->nodes[i].eks)
				why = s->k->nodes[i].name;
		if (!why)
			return;
	}
	c->plane = extended ? "eks-extended" : "eks";
	ct_err_init(&e);
	if (ct_k8s_control_plane(s->cat, c->region, extended, &c->control_plane, &fallback, &e) !=
	    CT_OK) {
		note(s, "EKS control plane not priced: %s.", e.msg);
		return;
	}
	c->plane_priced = true;
	if (why)
		note(s,
		     "EKS detected from the labels of node %s: control plane $%s a month "
		     "(--control-plane overrides).",
		     why, extended ? "438.00" : "73.00");
	if (fallback)
		note(s, "EKS control plane priced at us-east-1's fee, the same in every "
			"commercial region.");
}

static int check_sums(struct ct_k8s_cost *c, struct ct_err *err)
{
	ct_money rows = 0, assets = c->nodes_total + c->volumes_total + c->lbs_total;

	for (size_t i = 0; i < c->nalloc; i++)
		rows += c->alloc[i].total;
	for (size_t i = 0; i < c->nnodes; i++)
		if (c->nodes[i].allocated + c->nodes[i].idle != c->nodes[i].monthly)
			return ct_err_set(err, CT_E_INTERNAL, NULL, 0,
					  "node %s: allocated + idle != its cost",
					  c->nodes[i].name);
	if (rows != assets || c->allocated + c->shared + c->idle != assets)
		return ct_err_set(err, CT_E_INTERNAL, NULL, 0,
				  "allocations do not sum to the cluster cost");
	return CT_OK;
}

struct ct_k8s_cost *ct_k8s_cost_build(const struct ct_kube *k, const struct ct_catalog *cat,
				      const struct ct_k8s_cost_opts *o, struct ct_err *err)
{
	struct ct_k8s_cost *c = NULL;
	struct st s;
	size_t i;

	memset(&s, 0, sizeof(s));
	if (o->by == CT_K8S_BY_LABEL && (!o->label || !*o->label)) {
		ct_err_set(err, CT_E_USAGE, NULL, 0, "--by label:KEY needs a label key");
		return NULL;
	}
	if (k->nnodes == 0) {
		ct_err_set(err, CT_E_INPUT, k->files[CT_KUBE_NODES], 0,
			   "no nodes: nothing to price");
		return NULL;
	}
	c = ct_xcalloc(1, sizeof(*c));
	c->opts = *o;
	c->opts.shared = NULL; /* borrowed only while building */
	c->opts.nshared = 0;
	c->usage = k->nusage > 0;
	c->by_name = o->by == CT_K8S_BY_NAMESPACE    ? ct_xstrdup("namespace")
		     : o->by == CT_K8S_BY_CONTROLLER ? ct_xstrdup("controller")
						     : ct_xasprintf("label:%s", o->label);
	s.k = k;
	s.cat = cat;
	s.c = c;
	ct_hash_map_init(&s.gidx);
	c->opts.shared = o->shared;
	c->opts.nshared = o->nshared;
	c->region = cluster_region(k, o->region);

	note(&s,
	     "Monthly = 730 hours. Allocation by %s; node prices split into CPU, "
	     "memory and GPU with OpenCost's ratios ($%s per vCPU-hour : $%s per GiB-hour "
	     ": $%s per GPU-hour).",
	     c->usage ? "max(request, usage) per container, usage from Prometheus" : "requests",
	     CT_K8S_CPU_PRICE, CT_K8S_RAM_PRICE, CT_K8S_GPU_PRICE);
	control_plane(&s);

	/* nodes, sorted by name */
	c->nodes = ct_xcalloc(k->nnodes, sizeof(*c->nodes));
	c->nnodes = k->nnodes;
	for (i = 0; i < k->nnodes; i++)
		price_node(&s, &k->nodes[i], &c->nodes[i]);
	qsort(c->nodes, c->nnodes, sizeof(*c->nodes), node_cmp);
	for (i = 0; i < c->nnodes; i++) {
		if (c->nodes[i].priced)
			c->nodes_total += c->nodes[i].monthly;
		else
			c->unpriced_nodes++;
	}
	if (c->unpriced_nodes)
		note(&s,
		     "%zu node%s without a price %s left out of the totals; %s pods' "
		     "requests are still shown.",
		     c->unpriced_nodes, c->unpriced_nodes == 1 ? "" : "s",
		     c->unpriced_nodes == 1 ? "is" : "are",
		     c->unpriced_nodes == 1 ? "its" : "their");
	for (i = 0; i < c->nnodes; i++)
		if (!strcmp(c->nodes[i].capacity, "spot") && c->nodes[i].priced) {
			note(&s, "Spot prices are estimates: on-demand less the Spot Instance "
				 "Advisor's average saving for the type and region.");
			break;
		}

	charge_pods(&s);
	allocate_nodes(&s);
	index_pods(&s);
	volumes(&s);
	load_balancers(&s);
	if (c->nlbs)
		note(&s, "Load balancers: hours only; capacity units (LCU) and data "
			 "processed are not included.");
	for (i = 0; i < c->nnodes; i++)
		c->idle += c->nodes[i].idle;
	groups(&s);
	note(&s,
	     "Idle is node capacity no running pod %s, including the kubelet and "
	     "system reservation; it is %s.",
	     c->usage ? "requested or used" : "requested",
	     o->share_idle ? "shared among the groups in proportion to their CPU, "
			     "memory and GPU cost (what none can take stays on __idle__)"
			   : "shown on its own line (__idle__; --share-idle spreads it)");
	if (c->shared > 0)
		note(&s,
		     "Shared namespaces (kube-system%s) are spread over the other groups "
		     "in proportion to their cost.",
		     o->nshared ? " and --shared" : "");
	spot(&s);
	c->cluster = c->control_plane + c->nodes_total + c->volumes_total + c->lbs_total;

	c->opts.shared = NULL;
	c->opts.nshared = 0;
	for (i = 0; i < s.ng; i++)
		free(s.g[i].a.name);
	free(s.g);
	free(s.pc);
	free(s.by_ns);
	free(s.pick);
	free(s.picked);
	ct_hash_map_release(&s.gidx);
	c->notes = s.notes;
	c->nnotes = s.nnotes;
	if (check_sums(c, err) != CT_OK) {
		ct_k8s_cost_free(c);
		return NULL;
	}
	return c;
}

int ct_k8s_cost_format_parse(const char *s, enum ct_k8s_cost_format *out)
{
	static const struct ct_render_name names[] = {
		{"csv", CT_K8S_CSV},
		{"json", CT_K8S_JSON},
		{"markdown", CT_K8S_MARKDOWN},
		{"text", CT_K8S_TEXT},
	};
	int v;

	if (ct_render_name_lookup(names, CT_NELEM(names), s, &v) != CT_OK)
		return CT_E_USAGE;
	*out = (enum ct_k8s_cost_format)v;
	return CT_OK;
}
