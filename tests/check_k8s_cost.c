/*
 * check_k8s_cost.c - the Kubernetes cost model (reports/k8s_cost.c) and
 * its formulas (pricing/k8s.c) on small clusters written by hand: mixed
 * on-demand and spot nodes, a GPU node, pods without requests, pending and
 * finished pods, claims and volumes, load balancers, shared namespaces,
 * idle shared or not, unpriced nodes, the control plane; and the exact
 * apportionment on many generated clusters.
 *
 * Expected figures come by hand from the catalog's price facts:
 * m5.large $0.096/h x 730 = $70.08 (2 vCPU, 8 GiB); c5.large spot
 * $0.03485/h = $25.4405 (2 vCPU, 4 GiB); m5.large spot $0.03264/h =
 * $23.8272; g4dn.xlarge $0.526/h = $383.98 (4 vCPU, 16 GiB, 1 GPU), spot
 * $0.18936/h = $138.2328; c8a.large $0.10777/h = $78.6721 (no spot
 * price); EKS $0.10/h = $73.00, extended $0.60/h = $438.00; gp3 $0.08/GB,
 * $0.005/IOPS above 3,000, $0.04/MiBps above 125; io1 $0.125/GB,
 * $0.065/IOPS; gp2 $0.10/GB; NLB $0.0225/h = $16.425; CLB $0.025/h =
 * $18.25. The node split (OpenCost's ratios 0.031611 : 0.004237 : 0.95
 * per vCPU, GiB, GPU): m5.large CPU = 70.08 x 2 x 0.031611 / (2 x 0.031611
 * + 8 x 0.004237) = $45.620768...
 */
#include "ct.h"
#include "k8s_cost.h"
#include "catalog.h"
#include "k8s.h"
#include "kube.h"
#include "testlib.h"

#include <math.h>

#define USD(x) ((ct_money)llroundl((long double)(x) * 1e9L))

static struct ct_catalog *cat;

static void setup(void)
{
	struct ct_err err;

	cat = ct_catalog_load(NULL, &err);
	ck_assert_msg(cat != NULL, "%s", err.msg);
}

static void teardown(void)
{
	ct_catalog_free(cat);
}

/* got within tol nano-dollars of want (a hand formula in dollars). */
#define NEAR(got, want, tol)                                                   \
	ck_assert_msg(llabs((long long)((got) - USD(want))) <= (tol),          \
		      "%s = %lld, want %.9Lf", #got, (long long)(got),         \
		      (long double)(want))

/* ---- formulas ------------------------------------------------------------ */

START_TEST(test_muldiv)
{
	uint64_t q, r;

	ck_assert(ct_k8s_muldiv(7, 3, 2, &q, &r));
	ck_assert(q == 10 && r == 1);
	/* (2^64 - 1)^2 / (2^64 - 1) */
	ck_assert(ct_k8s_muldiv(UINT64_MAX, UINT64_MAX, UINT64_MAX, &q, &r));
	ck_assert(q == UINT64_MAX && r == 0);
	/* 2^63 x 2^63 / (2^64 - 1) = 2^62 + 2^62 / (2^64 - 1): q 2^62, r 2^62 */
	ck_assert(ct_k8s_muldiv(UINT64_C(1) << 63, UINT64_C(1) << 63, UINT64_MAX, &q, &r));
	ck_assert(q == UINT64_C(1) << 62 && r == UINT64_C(1) << 62);
	/* 10^18 x 10^18 / 10^17 = 10^19 fits; / 10 does not */
	ck_assert(ct_k8s_muldiv(UINT64_C(1000000000000000000), UINT64_C(1000000000000000000),
				UINT64_C(100000000000000000), &q, &r));
	ck_assert(q == UINT64_C(10000000000000000000) && r == 0);
	ck_assert(!ct_k8s_muldiv(UINT64_C(1000000000000000000), UINT64_C(1000000000000000000), 10,
				 &q, &r));
}
END_TEST

START_TEST(test_apportion)
{
	uint64_t w3[3] = {1, 1, 1}, w0[2] = {0, 0}, big[3] = {UINT64_MAX, UINT64_MAX, 2};
	uint64_t w4[4] = {3, 0, 5, 2};
	ct_money out[4];

	/* $1 (10^9 nano) in thirds: 333333334, 333333333, 333333333 */
	ck_assert(ct_k8s_apportion(1000000000, w3, 3, out));
	ck_assert_int_eq(out[0], 333333334);
	ck_assert_int_eq(out[1], 333333333);
	ck_assert_int_eq(out[2], 333333333);
	/* 7 nano by 3:0:5:2 = 2.1, 0, 3.5, 1.4: floors 2, 0, 3, 1, the one
	 * left to the largest remainder (0.5, bucket 2) */
	ck_assert(ct_k8s_apportion(7, w4, 4, out));
	ck_assert_int_eq(out[0], 2);
	ck_assert_int_eq(out[1], 0);
	ck_assert_int_eq(out[2], 4);
	ck_assert_int_eq(out[3], 1);
	ck_assert(!ct_k8s_apportion(5, w0, 2, out));
	ck_assert(out[0] == 0 && out[1] == 0);
	/* weights whose sum overflows are halved together */
	ck_assert(ct_k8s_apportion(USD(100), big, 3, out));
	ck_assert_int_eq(out[0] + out[1] + out[2], USD(100));
	ck_assert_int_eq(out[0], USD(50));
	ck_assert(ct_k8s_apportion(0, w3, 3, out));
	ck_assert(out[0] == 0 && out[1] == 0 && out[2] == 0);
}
END_TEST

START_TEST(test_split)
{
	uint64_t w[3];
	ct_money p[3];

	/* m5.large, 2 vCPU, 8 GiB, $70.08 */
	ct_k8s_split_weights(2000, INT64_C(8) << 30, 0, w);
	ck_assert(ct_k8s_apportion(USD(70.08), w, 3, p));
	NEAR(p[0], 70.08L * 2 * 0.031611L / (2 * 0.031611L + 8 * 0.004237L), 1);
	NEAR(p[1], 70.08L * 8 * 0.004237L / (2 * 0.031611L + 8 * 0.004237L), 1);
	ck_assert_int_eq(p[2], 0);
	ck_assert_int_eq(p[0], USD(45.620768138)); /* 45.6207681385...: floor */
	/* the research's worked example: 65.1 % of an m5.large is CPU */
	ck_assert_int_eq(llroundl((long double)p[0] * 1000 / USD(70.08)), 651);
	/* g4dn.xlarge, 4 vCPU, 16 GiB, 1 GPU, $383.98 */
	ct_k8s_split_weights(4000, INT64_C(16) << 30, 1000, w);
	ck_assert(ct_k8s_apportion(USD(383.98), w, 3, p));
	{
		long double m = 4 * 0.031611L + 16 * 0.004237L + 0.95L;
		NEAR(p[0], 383.98L * 4 * 0.031611L / m, 1);
		NEAR(p[1], 383.98L * 16 * 0.004237L / m, 1);
		NEAR(p[2], 383.98L * 0.95L / m, 1);
	}
	ck_assert_int_eq(p[0] + p[1] + p[2], USD(383.98));
}
END_TEST

START_TEST(test_ebs_type)
{
	ck_assert_str_eq(ct_k8s_ebs_type("ebs.csi.aws.com", "io2", "fast"), "io2");
	ck_assert_str_eq(ct_k8s_ebs_type("ebs.csi.aws.com", "GP2", NULL), "gp2");
	ck_assert_str_eq(ct_k8s_ebs_type("ebs.csi.aws.com", NULL, "gp2"), "gp3");
	ck_assert_str_eq(ct_k8s_ebs_type("kubernetes.io/aws-ebs", NULL, NULL), "gp2");
	ck_assert_ptr_null(ct_k8s_ebs_type("efs.csi.aws.com", NULL, "gp3"));
	ck_assert_str_eq(ct_k8s_ebs_type(NULL, NULL, "ebs-sc1-cold"), "sc1");
	ck_assert_str_eq(ct_k8s_ebs_type(NULL, NULL, "gp3"), "gp3");
	ck_assert_ptr_null(ct_k8s_ebs_type(NULL, NULL, "standard"));
	ck_assert_ptr_null(ct_k8s_ebs_type(NULL, NULL, "gp30"));
	ck_assert_ptr_null(ct_k8s_ebs_type(NULL, NULL, NULL));
}
END_TEST

START_TEST(test_control_plane)
{
	struct ct_err err;
	ct_money m;
	bool fb;

	ck_assert_int_eq(ct_k8s_control_plane(cat, "us-east-1", false, &m, &fb, &err), CT_OK);
	ck_assert_int_eq(m, USD(73.00));
	ck_assert(!fb);
	ck_assert_int_eq(ct_k8s_control_plane(cat, "eu-west-1", true, &m, &fb, &err), CT_OK);
	ck_assert_int_eq(m, USD(438.00));
	ck_assert(fb);
	ck_assert_int_eq(ct_k8s_control_plane(cat, "cn-north-1", false, &m, &fb, &err),
			 CT_E_NOPRICE);
}
END_TEST

/* ---- the model ------------------------------------------------------------ */

#define LIST(items) "{\"kind\":\"List\",\"items\":[" items "]}"
#define NODE(name, labels, cpu, mem, extra)                                      \
	"{\"kind\":\"Node\",\"metadata\":{\"name\":\"" name "\",\"labels\":{" labels \
	"}},\"status\":{\"capacity\":{\"cpu\":\"" cpu "\",\"memory\":\"" mem "\"" extra "}}}"
#define EKS(type, cap, group, zone)                                                \
	"\"node.kubernetes.io/instance-type\":\"" type "\","                         \
	"\"topology.kubernetes.io/region\":\"us-east-1\","                           \
	"\"topology.kubernetes.io/zone\":\"" zone "\","                              \
	"\"eks.amazonaws.com/capacityType\":\"" cap "\","                            \
	"\"eks.amazonaws.com/nodegroup\":\"" group "\""
#define POD(ns, name, node, phase, req, more)                                     \
	"{\"kind\":\"Pod\",\"metadata\":{\"name\":\"" name "\",\"namespace\":\"" ns  \
	"\"" more "},\"spec\":{\"nodeName\":\"" node "\",\"containers\":[{\"name\":\"c\"," \
	"\"resources\":{" req "}}]},\"status\":{\"phase\":\"" phase "\"}}"
#define REQ(cpu, mem) "\"requests\":{\"cpu\":\"" cpu "\",\"memory\":\"" mem "\"}"

struct fx {
	const char *nodes, *pods, *volumes, *services, *usage_cpu;
};

static struct ct_k8s_cost *build(const struct fx *f, const struct ct_k8s_cost_opts *o)
{
	struct ct_kube k;
	struct ct_err err;
	struct ct_k8s_cost *c;

	ct_kube_init(&k);
	ck_assert_msg(ct_kube_read(&k, CT_KUBE_NODES, "nodes", f->nodes, strlen(f->nodes), &err) ==
		      CT_OK, "%s", err.msg);
	ck_assert_msg(ct_kube_read(&k, CT_KUBE_PODS, "pods", f->pods, strlen(f->pods), &err) ==
		      CT_OK, "%s", err.msg);
	if (f->volumes)
		ck_assert_msg(ct_kube_read(&k, CT_KUBE_VOLUMES, "vols", f->volumes,
					   strlen(f->volumes), &err) == CT_OK, "%s", err.msg);
	if (f->services)
		ck_assert_msg(ct_kube_read(&k, CT_KUBE_SERVICES, "svcs", f->services,
					   strlen(f->services), &err) == CT_OK, "%s", err.msg);
	if (f->usage_cpu)
		ck_assert_msg(ct_kube_read_usage(&k, CT_KUBE_CPU, "u", f->usage_cpu,
						 strlen(f->usage_cpu), &err) == CT_OK, "%s", err.msg);
	c = ct_k8s_cost_build(&k, cat, o, &err);
	ck_assert_msg(c != NULL, "%s", err.msg);
	ct_kube_release(&k);
	return c;
}

static const struct ct_k8s_cost_alloc *row(const struct ct_k8s_cost *c, const char *name)
{
	for (size_t i = 0; i < c->nalloc; i++)
		if (!strcmp(c->alloc[i].name, name))
			return &c->alloc[i];
	return NULL;
}

/* The sums k8s_cost.h promises, checked from outside. */
static void sums(const struct ct_k8s_cost *c)
{
	ct_money rows = 0, assets = c->nodes_total + c->volumes_total + c->lbs_total;

	for (size_t i = 0; i < c->nalloc; i++) {
		const struct ct_k8s_cost_alloc *a = &c->alloc[i];
		ck_assert_int_eq(a->total, a->cpu + a->mem + a->gpu + a->pv + a->lb + a->shared +
						   a->idle);
		rows += a->total;
	}
	ck_assert_int_eq(rows, assets);
	ck_assert_int_eq(c->allocated + c->shared + c->idle, assets);
	ck_assert_int_eq(c->idle, c->idle_cpu + c->idle_mem + c->idle_gpu);
	ck_assert_int_eq(c->cluster, c->control_plane + assets);
	for (size_t i = 0; i < c->nnodes; i++) {
		const struct ct_k8s_cost_node *n = &c->nodes[i];
		ck_assert_int_eq(n->allocated + n->idle, n->monthly);
		ck_assert_int_eq(n->cpu + n->mem + n->gpu, n->monthly);
	}
}

static bool has_note(const struct ct_k8s_cost *c, const char *part)
{
	for (size_t i = 0; i < c->nnotes; i++)
		if (strstr(c->notes[i], part))
			return true;
	return false;
}

/* m5.large on-demand + c5.large spot; pending, finished and request-less
 * pods; kube-system shared. */
static const struct fx mixed = {
	LIST(NODE("od", EKS("m5.large", "ON_DEMAND", "ng", "us-east-1a"), "2", "8Gi", "") ","
	     NODE("sp", EKS("c5.large", "SPOT", "spot-ng", "us-east-1b"), "2", "4Gi", "")),
	LIST(POD("app", "a", "od", "Running", REQ("1", "2Gi"), "") ","
	     POD("app", "b", "sp", "Running", REQ("500m", "1Gi"), "") ","
	     POD("app", "pending", "", "Pending", REQ("1", "1Gi"), "") ","
	     POD("app", "sched-pending", "od", "Pending", REQ("1", "1Gi"), "") ","
	     POD("app", "done", "od", "Succeeded", REQ("1", "1Gi"), "") ","
	     POD("app", "failed", "sp", "Failed", REQ("1", "1Gi"), "") ","
	     POD("app", "nothing", "od", "Running", "", "") ","
	     POD("kube-system", "dns", "od", "Running", REQ("200m", "512Mi"), "")),
	NULL, NULL, NULL,
};

START_TEST(test_mixed)
{
	struct ct_k8s_cost_opts o;
	struct ct_k8s_cost *c;
	const struct ct_k8s_cost_alloc *a;
	long double odc = 70.08L * 63222 / 97118, odm = 70.08L * 33896 / 97118;
	long double spc = 25.4405L * 63222 / 80170, spm = 25.4405L * 16948 / 80170;
	long double dns = odc * 0.1L + odm * 0.5L / 8, idle;

	ct_k8s_cost_opts_init(&o);
	c = build(&mixed, &o);
	sums(c);
	ck_assert_str_eq(c->plane, "eks");
	ck_assert_int_eq(c->control_plane, USD(73.00));
	ck_assert_int_eq(c->nodes_total, USD(70.08 + 25.4405));
	ck_assert_int_eq(c->cluster, USD(73.00 + 70.08 + 25.4405));
	ck_assert_str_eq(c->region, "us-east-1");
	ck_assert_uint_eq(c->nnodes, 2);
	ck_assert_str_eq(c->nodes[0].name, "od");
	ck_assert_str_eq(c->nodes[0].capacity, "on-demand");
	ck_assert_int_eq(c->nodes[0].monthly, USD(70.08));
	NEAR(c->nodes[0].cpu, odc, 1);
	ck_assert_str_eq(c->nodes[1].capacity, "spot");
	ck_assert_int_eq(c->nodes[1].monthly, USD(25.4405));
	NEAR(c->nodes[1].cpu, spc, 1);
	/* charged: a, b, nothing, dns; not the pending and finished pods */
	ck_assert_uint_eq(c->pods_running, 4);
	ck_assert_uint_eq(c->pods_pending, 2);
	ck_assert_uint_eq(c->pods_finished, 2);
	ck_assert_uint_eq(c->pods_no_requests, 1);
	ck_assert(has_note(c, "1 running pod has no CPU or memory request: app/nothing"));
	ck_assert(has_note(c, "Not charged: 2 pending pods"));
	/* idle: od 800m of 2000m and 5.5 of 8 GiB, sp 1.5 of 2 vCPU, 3 of 4 GiB */
	idle = odc * 0.4L + odm * 5.5L / 8 + spc * 0.75L + spm * 0.75L;
	NEAR(c->idle, idle, 4);
	ck_assert_int_eq(c->idle_cpu_m, 800 + 1500);
	ck_assert_int_eq(c->idle_mem_b, (INT64_C(11) << 29) + (INT64_C(3) << 30));
	/* kube-system's dns, spread over app, the only other group */
	NEAR(c->shared, dns, 2);
	ck_assert_uint_eq(c->nshared_groups, 1);
	ck_assert_str_eq(c->shared_groups[0].name, "kube-system");
	a = row(c, "app");
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(a->pods, 3);
	ck_assert_int_eq(a->cpu_req_m, 1500);
	ck_assert_int_eq(a->mem_req_b, INT64_C(3) << 30);
	NEAR(a->cpu, odc * 0.5L + spc * 0.25L, 2);
	NEAR(a->mem, odm * 2 / 8 + spm * 0.25L, 2);
	ck_assert_int_eq(a->shared, c->shared);
	ck_assert_int_eq(a->idle, 0);
	a = row(c, "__idle__");
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->total, c->idle);
	ck_assert_str_eq(c->alloc[c->nalloc - 1].name, "__idle__"); /* last */
	/* spot projection: the on-demand group ng */
	ck_assert_uint_eq(c->nspot, 1);
	ck_assert_str_eq(c->spot[0].node_group, "ng");
	ck_assert_str_eq(c->spot[0].instance_type, "m5.large");
	ck_assert_uint_eq(c->spot[0].nodes, 1);
	ck_assert_int_eq(c->spot[0].on_demand, USD(70.08));
	ck_assert(c->spot[0].has_spot);
	ck_assert_int_eq(c->spot[0].spot, USD(23.8272));
	ck_assert_int_eq(c->spot[0].savings, USD(70.08 - 23.8272));
	ck_assert_str_eq(c->spot[0].band, "15-20%");
	ck_assert_str_eq(c->spot[0].zones, "us-east-1a");
	ct_k8s_cost_free(c);

	/* the same, idle shared: nothing stays on __idle__ (app has CPU and
	 * memory cost), and app carries everything */
	o.share_idle = true;
	c = build(&mixed, &o);
	sums(c);
	ck_assert_ptr_null(row(c, "__idle__"));
	a = row(c, "app");
	ck_assert_int_eq(a->idle, c->idle);
	ck_assert_int_eq(a->total, c->nodes_total);
	ct_k8s_cost_free(c);

	/* no control plane, by controller */
	o.share_idle = false;
	o.plane = CT_K8S_PLANE_NONE;
	o.by = CT_K8S_BY_CONTROLLER;
	c = build(&mixed, &o);
	sums(c);
	ck_assert_int_eq(c->control_plane, 0);
	ck_assert_str_eq(c->plane, "none");
	ck_assert_ptr_nonnull(row(c, "__unallocated__")); /* bare pods */
	ct_k8s_cost_free(c);
	o.plane = CT_K8S_PLANE_EKS_EXTENDED;
	c = build(&mixed, &o);
	ck_assert_int_eq(c->control_plane, USD(438.00));
	ct_k8s_cost_free(c);
}
END_TEST

/* A GPU node: the GPU part goes by GPU requests. */
static const struct fx gpu = {
	LIST(NODE("g", "\"node.kubernetes.io/instance-type\":\"g4dn.xlarge\","
		       "\"topology.kubernetes.io/zone\":\"us-east-1c\","
		       "\"karpenter.sh/capacity-type\":\"on-demand\",\"karpenter.sh/nodepool\":\"gpu\"",
		  "4", "16Gi", ",\"nvidia.com/gpu\":\"1\"")),
	LIST(POD("ml", "train", "g", "Running",
		 REQ("2", "8Gi") ",\"limits\":{\"nvidia.com/gpu\":\"1\"}", "") ","
	     POD("web", "x", "g", "Running", REQ("1", "2Gi"), "")),
	NULL, NULL, NULL,
};

START_TEST(test_gpu)
{
	struct ct_k8s_cost_opts o;
	struct ct_k8s_cost *c;
	const struct ct_k8s_cost_alloc *ml, *web;
	long double m = 4 * 0.031611L + 16 * 0.004237L + 0.95L;
	long double cpu = 383.98L * 4 * 0.031611L / m, mem = 383.98L * 16 * 0.004237L / m;
	long double g = 383.98L * 0.95L / m;

	ct_k8s_cost_opts_init(&o);
	o.share_idle = true;
	c = build(&gpu, &o);
	sums(c);
	ck_assert_str_eq(c->region, "us-east-1"); /* from the zone */
	ck_assert_str_eq(c->plane, "none");       /* no EKS or Karpenter-AWS label */
	ck_assert_int_eq(c->nodes_total, USD(383.98));
	ml = row(c, "ml");
	web = row(c, "web");
	ck_assert_int_eq(ml->gpu_req_m, 1000);
	NEAR(ml->gpu, g, 1);
	ck_assert_int_eq(web->gpu, 0);
	/* idle: 1 of 4 vCPU by CPU cost 2:1, 6 of 16 GiB by memory cost 8:2 */
	NEAR(ml->idle, cpu / 4 * 2 / 3 + mem * 6 / 16 * 0.8L, 2);
	NEAR(web->idle, cpu / 4 / 3 + mem * 6 / 16 * 0.2L, 2);
	NEAR(ml->total, cpu / 2 + mem / 2 + g + cpu / 4 * 2 / 3 + mem * 6 / 16 * 0.8L, 3);
	ck_assert_int_eq(ml->total + web->total, USD(383.98));
	ck_assert_ptr_null(row(c, "__idle__"));
	/* spot projection of the nodepool */
	ck_assert_str_eq(c->spot[0].node_group, "gpu");
	ck_assert_int_eq(c->spot[0].spot, USD(138.2328));
	ck_assert_int_eq(c->spot[0].savings, USD(383.98 - 138.2328));
	ct_k8s_cost_free(c);
}
END_TEST

/* Nobody requests the GPU: its cost stays idle, even when idle is shared. */
START_TEST(test_gpu_unrequested)
{
	struct fx f = gpu;
	struct ct_k8s_cost_opts o;
	struct ct_k8s_cost *c;
	long double m = 4 * 0.031611L + 16 * 0.004237L + 0.95L;

	f.pods = LIST(POD("web", "x", "g", "Running", REQ("1", "2Gi"), ""));
	ct_k8s_cost_opts_init(&o);
	o.share_idle = true;
	c = build(&f, &o);
	sums(c);
	ck_assert_ptr_nonnull(row(c, "__idle__"));
	NEAR(row(c, "__idle__")->gpu, 383.98L * 0.95L / m, 1);
	ck_assert_int_eq(row(c, "__idle__")->cpu, 0);
	ck_assert_int_eq(c->idle_gpu_m, 1000);
	ct_k8s_cost_free(c);
}
END_TEST

/* Volumes and load balancers on one m5.large. */
static const struct fx storage = {
	LIST(NODE("n", EKS("m5.large", "ON_DEMAND", "ng", "us-east-1a"), "2", "8Gi", "")),
	LIST(POD("web", "w1", "n", "Running", REQ("100m", "128Mi"), ",\"labels\":{\"app\":\"w\"}") ","
	     POD("web", "w2", "n", "Running", REQ("100m", "128Mi"), ",\"labels\":{\"app\":\"w\"}") ","
	     POD("web", "w3", "n", "Running", REQ("100m", "128Mi"), ",\"labels\":{\"app\":\"w\"}") ","
	     POD("web", "w4", "n", "Pending", REQ("100m", "128Mi"), ",\"labels\":{\"app\":\"w\"}") ","
	     "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"db\",\"namespace\":\"data\"},\"spec\":"
	     "{\"nodeName\":\"n\",\"containers\":[{\"name\":\"c\"}],\"volumes\":[{\"name\":\"d\","
	     "\"persistentVolumeClaim\":{\"claimName\":\"fast\"}}]},\"status\":{\"phase\":\"Running\"}}"),
	LIST("{\"kind\":\"StorageClass\",\"metadata\":{\"name\":\"tuned\"},\"provisioner\":"
	     "\"ebs.csi.aws.com\",\"parameters\":{\"type\":\"gp3\",\"iops\":\"6000\",\"throughput\":\"250\"}},"
	     "{\"kind\":\"StorageClass\",\"metadata\":{\"name\":\"io\"},\"provisioner\":"
	     "\"ebs.csi.aws.com\",\"parameters\":{\"type\":\"io1\",\"iopsPerGB\":\"10\"}},"
	     "{\"kind\":\"StorageClass\",\"metadata\":{\"name\":\"efs\"},\"provisioner\":\"efs.csi.aws.com\"},"
	     "{\"kind\":\"PersistentVolume\",\"metadata\":{\"name\":\"pv-fast\"},\"spec\":{\"capacity\":"
	     "{\"storage\":\"100Gi\"},\"storageClassName\":\"tuned\",\"csi\":{\"driver\":\"ebs.csi.aws.com\"},"
	     "\"claimRef\":{\"namespace\":\"data\",\"name\":\"fast\"}}},"
	     "{\"kind\":\"PersistentVolume\",\"metadata\":{\"name\":\"pv-io\"},\"spec\":{\"capacity\":"
	     "{\"storage\":\"49.5Gi\"},\"storageClassName\":\"io\",\"csi\":{\"driver\":\"ebs.csi.aws.com\"},"
	     "\"claimRef\":{\"namespace\":\"data\",\"name\":\"idle-claim\"}}},"
	     "{\"kind\":\"PersistentVolume\",\"metadata\":{\"name\":\"pv-efs\"},\"spec\":{\"capacity\":"
	     "{\"storage\":\"5Gi\"},\"storageClassName\":\"efs\",\"csi\":{\"driver\":\"efs.csi.aws.com\"}}},"
	     "{\"kind\":\"PersistentVolume\",\"metadata\":{\"name\":\"pv-loose\"},\"spec\":{\"capacity\":"
	     "{\"storage\":\"10Gi\"},\"storageClassName\":\"gp2\"}}"),
	LIST("{\"kind\":\"Service\",\"metadata\":{\"name\":\"front\",\"namespace\":\"web\",\"annotations\":"
	     "{\"service.beta.kubernetes.io/aws-load-balancer-type\":\"nlb\"}},\"spec\":{\"type\":"
	     "\"LoadBalancer\",\"selector\":{\"app\":\"w\"}}},"
	     "{\"kind\":\"Service\",\"metadata\":{\"name\":\"old\",\"namespace\":\"web\"},"
	     "\"spec\":{\"type\":\"LoadBalancer\",\"selector\":{\"app\":\"gone\"}}}"),
	NULL,
};

START_TEST(test_storage_lbs)
{
	struct ct_k8s_cost_opts o;
	struct ct_k8s_cost *c;
	const struct ct_k8s_cost_alloc *a;

	ct_k8s_cost_opts_init(&o);
	c = build(&storage, &o);
	sums(c);
	ck_assert_uint_eq(c->nvolumes, 4);
	/* pv-efs: no price; pv-fast: 100 x 0.08 + 3,000 x 0.005 + 125 x 0.04;
	 * pv-io: 50 GB (49.5 up) x 0.125 + 500 IOPS x 0.065; pv-loose: gp2
	 * from its class name, 10 x 0.10 */
	ck_assert_str_eq(c->volumes[0].name, "pv-efs");
	ck_assert(!c->volumes[0].priced);
	ck_assert_int_eq(c->volumes[1].monthly, USD(8.00 + 15.00 + 5.00));
	ck_assert_int_eq(c->volumes[2].monthly, USD(6.25 + 32.50));
	ck_assert_str_eq(c->volumes[2].ebs_type, "io1");
	ck_assert_int_eq(c->volumes[3].monthly, USD(1.00));
	ck_assert_str_eq(c->volumes[3].ebs_type, "gp2");
	ck_assert_int_eq(c->volumes_total, USD(28.00 + 38.75 + 1.00));
	ck_assert(has_note(c, "1 persistent volume without a price"));
	/* NLB $16.425 over the three running web pods; the CLB has none */
	ck_assert_int_eq(c->lbs_total, USD(16.425 + 18.25));
	a = row(c, "web");
	ck_assert_int_eq(a->lb, USD(16.425 + 18.25)); /* the CLB by namespace */
	ck_assert_uint_eq(a->pods, 3);
	a = row(c, "data");
	ck_assert_int_eq(a->pv, USD(28.00 + 38.75)); /* mounted, and by claim namespace */
	ck_assert_int_eq(row(c, "__unmounted__")->pv, USD(1.00));
	ct_k8s_cost_free(c);

	/* by controller: only mounted and selected costs stay with pods */
	o.by = CT_K8S_BY_LABEL;
	o.label = "app";
	c = build(&storage, &o);
	sums(c);
	ck_assert_int_eq(row(c, "w")->lb, USD(16.425));
	ck_assert_int_eq(row(c, "__unallocated__")->pv, USD(28.00)); /* db has no app label */
	ck_assert_int_eq(row(c, "__unmounted__")->pv, USD(38.75 + 1.00));
	ck_assert_int_eq(row(c, "__unmounted__")->lb, USD(18.25));
	ct_k8s_cost_free(c);
}
END_TEST

/* Only kube-system runs: its cost cannot be spread and stays shared. */
START_TEST(test_shared_only)
{
	struct fx f = mixed;
	struct ct_k8s_cost_opts o;
	struct ct_k8s_cost *c;
	const char *shared[] = {"monitoring"};

	f.pods = LIST(POD("kube-system", "dns", "od", "Running", REQ("1", "1Gi"), "") ","
		      POD("monitoring", "prom", "sp", "Running", REQ("1", "1Gi"), ""));
	ct_k8s_cost_opts_init(&o);
	o.shared = shared;
	o.nshared = 1;
	c = build(&f, &o);
	sums(c);
	ck_assert_int_eq(c->allocated, 0);
	ck_assert_ptr_nonnull(row(c, "__shared__"));
	ck_assert_int_eq(row(c, "__shared__")->total, c->shared);
	ck_assert_uint_eq(c->nshared_groups, 2);
	ct_k8s_cost_free(c);
}
END_TEST

/* Unknown prices are unknown, never $0. */
START_TEST(test_unpriced)
{
	struct fx f;
	struct ct_k8s_cost_opts o;
	struct ct_k8s_cost *c;

	memset(&f, 0, sizeof(f));
	f.nodes = LIST(NODE("a-new", EKS("c8a.large", "ON_DEMAND", "new", "us-east-1a"), "2", "4Gi", "") ","
		       NODE("b-spot", EKS("c8a.large", "SPOT", "new-spot", "us-east-1a"), "2", "4Gi", "") ","
		       NODE("c-odd", EKS("z9.mega", "ON_DEMAND", "odd", "us-east-1a"), "2", "4Gi", "") ","
		       NODE("d-bare", "", "1", "1Gi", ""));
	f.pods = LIST(POD("x", "p", "b-spot", "Running", REQ("1", "1Gi"), "") ","
		      POD("x", "q", "nowhere", "Running", REQ("1", "1Gi"), ""));
	ct_k8s_cost_opts_init(&o);
	c = build(&f, &o);
	sums(c);
	ck_assert_uint_eq(c->unpriced_nodes, 3);
	ck_assert(c->nodes[0].priced);
	ck_assert_int_eq(c->nodes[0].monthly, USD(78.6721));
	ck_assert(!c->nodes[1].priced);
	ck_assert(strstr(c->nodes[1].note, "spot") != NULL);
	ck_assert(!c->nodes[2].priced);
	ck_assert(!c->nodes[3].priced);
	ck_assert_str_eq(c->nodes[3].region, "us-east-1"); /* the cluster's */
	ck_assert_str_eq(c->nodes[3].note, "no node.kubernetes.io/instance-type label");
	ck_assert_int_eq(c->nodes_total, USD(78.6721));
	ck_assert_uint_eq(c->pods_unknown_node, 1);
	ck_assert(has_note(c, "on nodes not in the nodes file"));
	ck_assert(has_note(c, "3 nodes without a price"));
	/* c8a.large has no spot price: said so, not $0 */
	ck_assert_uint_eq(c->nspot, 1);
	ck_assert(!c->spot[0].has_spot);
	ck_assert_ptr_null(c->spot[0].band);
	ck_assert_int_eq(c->spot_savings, 0);
	/* x/p runs on an unpriced node: requests, no cost */
	ck_assert_int_eq(row(c, "x")->cpu_req_m, 1000);
	ck_assert_int_eq(row(c, "x")->total, 0);
	ct_k8s_cost_free(c);
}
END_TEST

/* Usage raises a container's charge to max(request, usage). */
START_TEST(test_usage)
{
	struct fx f = mixed;
	struct ct_k8s_cost_opts o;
	struct ct_k8s_cost *c;
	long double odc = 70.08L * 63222 / 97118;

	f.usage_cpu = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
		      "{\"metric\":{\"namespace\":\"app\",\"pod\":\"a\",\"container\":\"c\"},"
		      "\"value\":[0,\"1.5\"]},"
		      "{\"metric\":{\"namespace\":\"app\",\"pod\":\"nothing\",\"container\":\"c\"},"
		      "\"value\":[0,\"0.25\"]},"
		      "{\"metric\":{\"namespace\":\"kube-system\",\"pod\":\"dns\",\"container\":\"c\"},"
		      "\"value\":[0,\"0.1\"]}]}}";
	ct_k8s_cost_opts_init(&o);
	c = build(&f, &o);
	sums(c);
	ck_assert(c->usage);
	/* od CPU: a 1500m, nothing 250m, dns 200m (its request): 1950 of 2000 */
	NEAR(c->idle_cpu, odc * 50 / 2000 + 25.4405L * 63222 / 80170 * 0.75L, 2);
	ck_assert_int_eq(row(c, "app")->cpu_use_m, 1750);
	ck_assert_int_eq(row(c, "app")->cpu_m, 2250); /* 1500 + 250 + b's 500 */
	ck_assert(has_note(c, "3 containers charged max(request, usage)"));
	ct_k8s_cost_free(c);
}
END_TEST

/* Overcommitted: more charged than the capacity leaves no idle. */
START_TEST(test_overcommit)
{
	struct fx f = mixed;
	struct ct_k8s_cost_opts o;
	struct ct_k8s_cost *c;

	f.pods = LIST(POD("a", "x", "od", "Running", REQ("3", "9Gi"), "") ","
		      POD("b", "y", "od", "Running", REQ("1", "3Gi"), ""));
	ct_k8s_cost_opts_init(&o);
	c = build(&f, &o);
	sums(c);
	ck_assert_int_eq(c->nodes[0].idle, 0);
	NEAR(row(c, "a")->total, 70.08L * 0.75L, 2);
	ct_k8s_cost_free(c);
}
END_TEST

static uint64_t rnd(uint64_t *seed)
{
	*seed = *seed * 6364136223846793005u + 1442695040888963407u;
	return *seed >> 33;
}

/* Many generated clusters: the sums always hold to the nano-dollar. */
START_TEST(test_generated)
{
	static const char *const types[] = {"m5.large", "c5.large", "r5.large", "t3.medium",
					    "g4dn.xlarge", "m5.xlarge"};
	uint64_t seed = 42;

	for (int round = 0; round < 60; round++) {
		char *nodes = ct_xstrdup(""), *pods = ct_xstrdup(""), *t;
		int nn = 1 + (int)(seed % 5), np = (int)(seed % 40);
		struct fx f;
		struct ct_k8s_cost_opts o;
		struct ct_k8s_cost *c;
		const char *shared[] = {"ns1"};

		for (int i = 0; i < nn; i++) {
			const char *type = types[rnd(&seed) % CT_NELEM(types)];
			char zone = (char)('a' + rnd(&seed) % 3);
			const char *cap = rnd(&seed) % 2 ? "SPOT" : "ON_DEMAND";
			unsigned long long cpu = rnd(&seed) % 8000, mem = rnd(&seed) % 40000000;
			unsigned long long g = rnd(&seed) % 3;
			t = ct_xasprintf("%s%s{\"kind\":\"Node\",\"metadata\":{\"name\":\"n%d\",\"labels\":"
					 "{\"node.kubernetes.io/instance-type\":\"%s\","
					 "\"topology.kubernetes.io/zone\":\"us-east-1%c\","
					 "\"eks.amazonaws.com/capacityType\":\"%s\"}},\"status\":{\"capacity\":"
					 "{\"cpu\":\"%llum\",\"memory\":\"%lluKi\",\"nvidia.com/gpu\":\"%llu\"}}}",
					 nodes, i ? "," : "", i, type, zone, cap, cpu, mem, g);
			free(nodes);
			nodes = t;
		}
		for (int i = 0; i < np; i++) {
			unsigned long long ns = rnd(&seed) % 4, team = rnd(&seed) % 3;
			unsigned long long node = rnd(&seed) % (uint64_t)(nn + 1);
			unsigned long long cpu = rnd(&seed) % 3000, mem = rnd(&seed) % 9000000;
			unsigned long long g = rnd(&seed) % 2;
			const char *phase = rnd(&seed) % 7 ? "Running" : "Pending";
			t = ct_xasprintf("%s%s{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p%d\",\"namespace\":"
					 "\"ns%llu\",\"labels\":{\"team\":\"t%llu\"}},\"spec\":{\"nodeName\":"
					 "\"n%llu\",\"containers\":[{\"name\":\"c\",\"resources\":{\"requests\":"
					 "{\"cpu\":\"%llum\",\"memory\":\"%lluKi\",\"nvidia.com/gpu\":\"%llu\"}}}]},"
					 "\"status\":{\"phase\":\"%s\"}}",
					 pods, i ? "," : "", i, ns, team, node, cpu, mem, g, phase);
			free(pods);
			pods = t;
		}
		t = ct_xasprintf("{\"kind\":\"List\",\"items\":[%s]}", nodes);
		free(nodes);
		nodes = t;
		t = ct_xasprintf("{\"kind\":\"List\",\"items\":[%s]}", pods);
		free(pods);
		pods = t;
		memset(&f, 0, sizeof(f));
		f.nodes = nodes;
		f.pods = pods;
		ct_k8s_cost_opts_init(&o);
		o.share_idle = round % 2;
		o.by = round % 3 == 0 ? CT_K8S_BY_LABEL : round % 3 == 1 ? CT_K8S_BY_NAMESPACE
									: CT_K8S_BY_CONTROLLER;
		o.label = "team";
		o.shared = shared;
		o.nshared = round % 4 == 0;
		c = build(&f, &o);
		sums(c);
		ct_k8s_cost_free(c);
		free(nodes);
		free(pods);
	}
}
END_TEST

START_TEST(test_bad_opts)
{
	struct ct_kube k;
	struct ct_k8s_cost_opts o;
	struct ct_err err;

	ct_kube_init(&k);
	ct_k8s_cost_opts_init(&o);
	ck_assert_ptr_null(ct_k8s_cost_build(&k, cat, &o, &err));
	ck_assert_int_eq(err.code, CT_E_INPUT);
	o.by = CT_K8S_BY_LABEL;
	ck_assert_ptr_null(ct_k8s_cost_build(&k, cat, &o, &err));
	ck_assert_int_eq(err.code, CT_E_USAGE);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("k8s_cost");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_muldiv);
	tcase_add_test(tc, test_apportion);
	tcase_add_test(tc, test_split);
	tcase_add_test(tc, test_ebs_type);
	tcase_add_test(tc, test_control_plane);
	tcase_add_test(tc, test_mixed);
	tcase_add_test(tc, test_gpu);
	tcase_add_test(tc, test_gpu_unrequested);
	tcase_add_test(tc, test_storage_lbs);
	tcase_add_test(tc, test_shared_only);
	tcase_add_test(tc, test_unpriced);
	tcase_add_test(tc, test_usage);
	tcase_add_test(tc, test_overcommit);
	tcase_add_test(tc, test_generated);
	tcase_add_test(tc, test_bad_opts);
	suite_add_tcase(s, tc);
	return s;
}

CT_TEST_MAIN(suite)
