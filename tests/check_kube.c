/*
 * check_kube.c - Kubernetes quantities and the kubectl and Prometheus
 * readers (src/kube.c): every quantity form Kubernetes writes, with the
 * expected values worked out by hand (123Mi = 123 x 2^20 = 128974848);
 * what node labels say (instance type, region, zone, capacity type, node
 * group, EKS); pod controllers, requests and claims; and bad input: not a
 * List, wrong kinds, bad quantities and wrong types named by file and JSON
 * path, with the snapshot left as it was.
 */
#include "ct.h"
#include "kube.h"
#include "testlib.h"

#include <inttypes.h>

#define KI INT64_C(1024)
#define MI (KI * KI)
#define GI (MI * KI)

/* ---- quantities -------------------------------------------------------- */

static const struct {
	const char *s;
	int scale;
	int64_t want;
} good[] = {
	/* CPU in millicores */
	{"500m", 3, 500},
	{"2", 3, 2000},
	{"1.5", 3, 1500},
	{"0.5", 3, 500},
	{"0.1", 3, 100},
	{".5", 3, 500},
	{"5.", 3, 5000},
	{"+1", 3, 1000},
	{"1m", 3, 1},
	{"3800m", 3, 3800},
	{"0.0001", 3, 1},       /* rounded up to 1m, as Kubernetes does */
	{"123456789n", 3, 124}, /* metrics-server nanocores: 123.456789m up */
	{"250000000n", 3, 250},
	{"10u", 3, 1},
	{"1e-3", 3, 1},
	{"1e-30", 3, 1},
	{"0", 3, 0},
	{"0.000", 3, 0},
	{"0e9999", 0, 0},
	/* memory in bytes */
	{"128974848", 0, 128974848},
	{"129e6", 0, 129000000},
	{"129E6", 0, 129000000},
	{"129M", 0, 129000000},
	{"123Mi", 0, 128974848},
	{"1Gi", 0, GI},
	{"1.5Gi", 0, 1610612736},
	{"1.50Gi", 0, 1610612736},
	{"0.5Gi", 0, 536870912},
	{"1G", 0, 1000000000},
	{"1Ki", 0, 1024},
	{"7934440Ki", 0, INT64_C(7934440) * 1024},
	{"100k", 0, 100000},
	{"1k", 3, 1000000},
	{"1T", 0, INT64_C(1000000000000)},
	{"1Ti", 0, GI * 1024},
	{"2Pi", 0, INT64_C(2) << 50},
	{"1P", 0, INT64_C(1000000000000000)},
	{"1E", 0, INT64_C(1000000000000000000)},
	{"1Ei", 0, INT64_C(1) << 60},
	{"7Ei", 0, INT64_C(7) << 60},
	{"1e3", 0, 1000},
	{"1e+3", 0, 1000},
	{"00012", 0, 12},
	{"100m", 0, 1},         /* 0.1 byte, rounded up */
	{"1.000000001", 0, 2},  /* rounded up */
	{"123456789012345678", 0, INT64_C(123456789012345678)},
	{"1000000000000000000", 0, INT64_C(1000000000000000000)}, /* zeros are not digits */
	/* 1.23456789012345678 x 2^60 = 1423359869420436327.9..., up */
	{"1.23456789012345678Ei", 0, INT64_C(1423359869420436328)},
	{"0.000000000001234567890123456789Ei", 3, INT64_C(1423359870)}, /* 1423359869.42 up */
	{"1234567890123456789e-19", 0, 1},
	{"9223372036854775807", 0, INT64_MAX},
	{"0.5Ki", 0, 512},
	{"1.5Mi", 3, INT64_C(1572864000)},
};

static const char *const bad_q[] = {
	"", ".", "-1", "1.2.3", "1Gib", "1gi", "1 Gi", " 1", "1 ", "1e", "1e+",
	"1E+", "0x10", "1_000", "Gi", "1KiB", "abc", "1e3Gi", "NaN", "inf",
	"1.5e3.2", "1ki", "1mi", "1K", "8Ei", "9223372036854775808",
	"12345678901234567891", /* 20 significant digits */
	"1e99999999", "1e19", "10E",
};

START_TEST(test_quantity_good)
{
	int64_t v = -1;

	for (size_t i = 0; i < CT_NELEM(good); i++) {
		int rc = ct_kube_quantity(good[i].s, good[i].scale, &v);
		ck_assert_msg(rc == CT_OK, "'%s' rejected", good[i].s);
		ck_assert_msg(v == good[i].want, "'%s' scale %d: %" PRId64 ", want %" PRId64,
			      good[i].s, good[i].scale, v, good[i].want);
	}
}
END_TEST

START_TEST(test_quantity_bad)
{
	int64_t v;

	for (size_t i = 0; i < CT_NELEM(bad_q); i++)
		ck_assert_msg(ct_kube_quantity(bad_q[i], 0, &v) == CT_E_INPUT,
			      "'%s' accepted as %" PRId64, bad_q[i], v);
	ck_assert_int_eq(ct_kube_quantity(NULL, 0, &v), CT_E_INPUT);
	/* the same value, larger scale: too large */
	ck_assert_int_eq(ct_kube_quantity("9223372036854775807", 3, &v), CT_E_INPUT);
}
END_TEST

/* ---- readers ------------------------------------------------------------ */

static int rd(struct ct_kube *k, enum ct_kube_file f, const char *text, struct ct_err *err)
{
	ct_err_init(err);
	return ct_kube_read(k, f, "t.json", text, strlen(text), err);
}

#define LIST(items) "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[" items "]}"

static const char nodes_json[] = LIST(
	/* EKS managed node group, stable labels */
	"{\"kind\":\"Node\",\"metadata\":{\"name\":\"a\",\"labels\":{"
	"\"node.kubernetes.io/instance-type\":\"m5.large\","
	"\"beta.kubernetes.io/instance-type\":\"m4.large\","
	"\"topology.kubernetes.io/region\":\"us-east-1\","
	"\"topology.kubernetes.io/zone\":\"us-east-1a\","
	"\"eks.amazonaws.com/nodegroup\":\"ng-1\","
	"\"eks.amazonaws.com/capacityType\":\"SPOT\"}},"
	"\"status\":{\"capacity\":{\"cpu\":\"2\",\"memory\":\"7934440Ki\"}}},"
	/* legacy labels only; region from the zone */
	"{\"kind\":\"Node\",\"metadata\":{\"name\":\"b\",\"labels\":{"
	"\"beta.kubernetes.io/instance-type\":\"c5.large\","
	"\"failure-domain.beta.kubernetes.io/zone\":\"eu-west-1b\","
	"\"karpenter.sh/capacity-type\":\"spot\",\"karpenter.sh/nodepool\":\"default\","
	"\"kubernetes.io/os\":\"windows\"}},"
	"\"status\":{\"capacity\":{\"cpu\":\"3800m\",\"memory\":\"3Gi\"}}},"
	/* no labels: zone and region from spec.providerID */
	"{\"kind\":\"Node\",\"metadata\":{\"name\":\"c\"},"
	"\"spec\":{\"providerID\":\"aws:///us-west-2c/i-0123\"}},"
	/* GKE spot, preemptible; AKS spot */
	"{\"kind\":\"Node\",\"metadata\":{\"name\":\"d\",\"labels\":{"
	"\"cloud.google.com/gke-spot\":\"true\",\"cloud.google.com/gke-nodepool\":\"pool-1\"}},"
	"\"spec\":{\"providerID\":\"gce://proj/us-central1-a/d\"}},"
	"{\"kind\":\"Node\",\"metadata\":{\"name\":\"e\",\"labels\":{"
	"\"cloud.google.com/gke-preemptible\":\"true\"}}},"
	"{\"kind\":\"Node\",\"metadata\":{\"name\":\"f\",\"labels\":{"
	"\"kubernetes.azure.com/scalesetpriority\":\"spot\","
	"\"kubernetes.azure.com/agentpool\":\"spotpool\"}}},"
	/* on-demand by label; Karpenter reserved; EKS capacity block */
	"{\"kind\":\"Node\",\"metadata\":{\"name\":\"g\",\"labels\":{"
	"\"karpenter.sh/capacity-type\":\"on-demand\",\"karpenter.k8s.aws/instance-family\":\"m5\"}}},"
	"{\"kind\":\"Node\",\"metadata\":{\"name\":\"h\",\"labels\":{"
	"\"karpenter.sh/capacity-type\":\"reserved\"}}},"
	"{\"kind\":\"Node\",\"metadata\":{\"name\":\"i\",\"labels\":{"
	"\"eks.amazonaws.com/capacityType\":\"CAPACITY_BLOCK\","
	"\"eks.amazonaws.com/compute-type\":\"fargate\"}}},"
	/* GPUs, time-sliced 4 ways */
	"{\"kind\":\"Node\",\"metadata\":{\"name\":\"j\",\"labels\":{"
	"\"nvidia.com/gpu.replicas\":\"4\"}},"
	"\"status\":{\"capacity\":{\"cpu\":4,\"memory\":\"16Gi\",\"nvidia.com/gpu\":\"4\"}}}");

START_TEST(test_nodes)
{
	struct ct_kube k;
	struct ct_err err;
	const struct ct_kube_node *n;

	ct_kube_init(&k);
	ck_assert_msg(rd(&k, CT_KUBE_NODES, nodes_json, &err) == CT_OK, "%s", err.msg);
	ck_assert_uint_eq(k.nnodes, 10);
	n = &k.nodes[0];
	ck_assert_str_eq(n->instance_type, "m5.large"); /* the stable label wins */
	ck_assert_str_eq(n->region, "us-east-1");
	ck_assert_str_eq(n->zone, "us-east-1a");
	ck_assert_int_eq(n->capacity, CT_KUBE_SPOT);
	ck_assert_str_eq(n->capacity_label, "eks.amazonaws.com/capacityType");
	ck_assert_str_eq(n->group, "ng-1");
	ck_assert(n->eks);
	ck_assert_int_eq(n->cpu_m, 2000);
	ck_assert_int_eq(n->mem_b, INT64_C(7934440) * 1024);
	ck_assert_str_eq(n->os, "linux");
	n = &k.nodes[1];
	ck_assert_str_eq(n->instance_type, "c5.large");
	ck_assert_str_eq(n->zone, "eu-west-1b");
	ck_assert_str_eq(n->region, "eu-west-1");
	ck_assert_int_eq(n->capacity, CT_KUBE_SPOT);
	ck_assert_str_eq(n->group, "default");
	ck_assert_str_eq(n->group_label, "karpenter.sh/nodepool");
	ck_assert(!n->eks);
	ck_assert_str_eq(n->os, "windows");
	ck_assert_int_eq(n->cpu_m, 3800);
	n = &k.nodes[2];
	ck_assert_ptr_null(n->instance_type);
	ck_assert_str_eq(n->zone, "us-west-2c");
	ck_assert_str_eq(n->region, "us-west-2");
	ck_assert_int_eq(n->capacity, CT_KUBE_ONDEMAND);
	ck_assert(!n->has_cpu && !n->has_mem);
	n = &k.nodes[3];
	ck_assert_int_eq(n->capacity, CT_KUBE_SPOT);
	ck_assert_str_eq(n->zone, "us-central1-a");
	ck_assert_str_eq(n->region, "us-central1");
	ck_assert_str_eq(n->group, "pool-1");
	ck_assert_int_eq(k.nodes[4].capacity, CT_KUBE_SPOT);
	ck_assert_int_eq(k.nodes[5].capacity, CT_KUBE_SPOT);
	ck_assert_str_eq(k.nodes[5].group, "spotpool");
	ck_assert_int_eq(k.nodes[6].capacity, CT_KUBE_ONDEMAND);
	ck_assert(k.nodes[6].eks); /* Karpenter's AWS provider */
	ck_assert_int_eq(k.nodes[7].capacity, CT_KUBE_RESERVED);
	ck_assert_int_eq(k.nodes[8].capacity, CT_KUBE_RESERVED);
	ck_assert(k.nodes[8].fargate && k.nodes[8].eks);
	ck_assert_int_eq(k.nodes[9].gpu_m, 4000);
	ck_assert_int_eq(k.nodes[9].gpu_replicas, 4);
	ck_assert_int_eq(k.nodes[9].cpu_m, 4000); /* a number, not a string */
	ck_assert_str_eq(ct_kube_capacity_name(CT_KUBE_SPOT), "spot");
	ck_assert_str_eq(ct_kube_capacity_name(CT_KUBE_ONDEMAND), "on-demand");
	ck_assert_str_eq(k.files[CT_KUBE_NODES], "t.json");
	ct_kube_release(&k);
}
END_TEST

#define POD(name, owner, rest)                                                   \
	"{\"kind\":\"Pod\",\"metadata\":{\"name\":\"" name "\",\"namespace\":\"ns\"," \
	"\"labels\":{\"pod-template-hash\":\"84f7c9d5b6\"}" owner "}," rest "}"
#define OWNER(kind, name)                                                      \
	",\"ownerReferences\":[{\"kind\":\"" kind "\",\"name\":\"" name "\",\"controller\":true}]"

static const char pods_json[] = LIST(
	POD("web-84f7c9d5b6-abcde", OWNER("ReplicaSet", "web-84f7c9d5b6"),
	    "\"spec\":{\"nodeName\":\"a\",\"containers\":[{\"name\":\"web\","
	    "\"resources\":{\"requests\":{\"cpu\":\"250m\",\"memory\":\"128974848\"},"
	    "\"limits\":{\"cpu\":\"1\",\"nvidia.com/gpu\":\"1\"}}},"
	    "{\"name\":\"proxy\",\"resources\":{\"limits\":{\"cpu\":\"100m\",\"memory\":\"64Mi\"}}}],"
	    "\"initContainers\":[{\"name\":\"migrate\",\"resources\":{\"requests\":{\"cpu\":\"4\"}}},"
	    "{\"name\":\"sidecar\",\"restartPolicy\":\"Always\",\"resources\":{\"requests\":{\"cpu\":\"50m\"}}}],"
	    "\"overhead\":{\"cpu\":\"10m\",\"memory\":\"1Mi\"},"
	    "\"volumes\":[{\"name\":\"v\",\"persistentVolumeClaim\":{\"claimName\":\"data\"}},"
	    "{\"name\":\"t\",\"emptyDir\":{}}]},\"status\":{\"phase\":\"Running\"}") ","
	/* a ReplicaSet whose suffix is not a hash: kept as a replicaset */
	POD("api-x", OWNER("ReplicaSet", "api-v2"), "\"spec\":{}") ","
	/* a hash-looking suffix without the label */
	POD("api-y", OWNER("ReplicaSet", "api-7c9d5b6"), "\"spec\":{}") ","
	POD("db-0", OWNER("StatefulSet", "db"), "\"spec\":{}") ","
	POD("agent-x", OWNER("DaemonSet", "agent"), "\"spec\":{}") ","
	POD("once-x", OWNER("Job", "once"), "\"spec\":{}") ","
	POD("nightly-29012345-x", OWNER("Job", "nightly-29012345"), "\"spec\":{}") ","
	"{\"kind\":\"Pod\",\"metadata\":{\"name\":\"bare\"},\"spec\":{\"nodeName\":\"\"}}");

START_TEST(test_pods)
{
	struct ct_kube k;
	struct ct_err err;
	const struct ct_kube_pod *p;

	ct_kube_init(&k);
	ck_assert_msg(rd(&k, CT_KUBE_PODS, pods_json, &err) == CT_OK, "%s", err.msg);
	ck_assert_uint_eq(k.npods, 8);
	p = &k.pods[0];
	ck_assert_str_eq(p->controller_kind, "deployment");
	ck_assert_str_eq(p->controller, "web");
	ck_assert_str_eq(p->node, "a");
	ck_assert_str_eq(p->phase, "Running");
	ck_assert_uint_eq(p->nc, 3); /* web, proxy and the sidecar, not migrate */
	ck_assert_int_eq(p->c[0].cpu_m, 250);
	ck_assert_int_eq(p->c[0].mem_b, 128974848);
	ck_assert_int_eq(p->c[0].gpu_m, 1000); /* a limit only: the request */
	ck_assert_int_eq(p->c[1].cpu_m, 100);
	ck_assert_int_eq(p->c[1].mem_b, 64 * MI);
	ck_assert(p->c[1].has_cpu && p->c[1].has_mem);
	ck_assert_str_eq(p->c[2].name, "sidecar");
	ck_assert_int_eq(p->c[2].cpu_m, 50);
	ck_assert(!p->c[2].has_mem);
	ck_assert_int_eq(p->over_cpu_m, 10);
	ck_assert_int_eq(p->over_mem_b, MI);
	ck_assert_uint_eq(p->nclaims, 1);
	ck_assert_str_eq(p->claims[0], "data");
	ck_assert_str_eq(k.pods[1].controller_kind, "replicaset");
	ck_assert_str_eq(k.pods[1].controller, "api-v2");
	ck_assert_str_eq(k.pods[2].controller_kind, "deployment");
	ck_assert_str_eq(k.pods[2].controller, "api");
	ck_assert_str_eq(k.pods[3].controller_kind, "statefulset");
	ck_assert_str_eq(k.pods[4].controller_kind, "daemonset");
	ck_assert_str_eq(k.pods[5].controller_kind, "job");
	ck_assert_str_eq(k.pods[5].controller, "once");
	ck_assert_str_eq(k.pods[6].controller_kind, "cronjob");
	ck_assert_str_eq(k.pods[6].controller, "nightly");
	p = &k.pods[7];
	ck_assert_ptr_null(p->controller_kind);
	ck_assert_ptr_null(p->node); /* "" is not scheduled */
	ck_assert_str_eq(p->ns, "default");
	ck_assert_ptr_null(p->phase);
	ct_kube_release(&k);
}
END_TEST

START_TEST(test_volumes_services)
{
	struct ct_kube k;
	struct ct_err err;

	ct_kube_init(&k);
	ck_assert_msg(rd(&k, CT_KUBE_VOLUMES, LIST(
		"{\"kind\":\"StorageClass\",\"metadata\":{\"name\":\"fast\",\"annotations\":"
		"{\"storageclass.kubernetes.io/is-default-class\":\"true\"}},"
		"\"provisioner\":\"ebs.csi.aws.com\",\"parameters\":{\"type\":\"io2\",\"iopsPerGB\":\"50\"}},"
		"{\"kind\":\"PersistentVolume\",\"metadata\":{\"name\":\"pv1\"},\"spec\":{"
		"\"capacity\":{\"storage\":\"10Gi\"},\"storageClassName\":\"fast\","
		"\"awsElasticBlockStore\":{\"volumeID\":\"vol-1\"},"
		"\"claimRef\":{\"namespace\":\"a\",\"name\":\"c1\"}},\"status\":{\"phase\":\"Bound\"}},"
		"{\"kind\":\"PersistentVolumeClaim\",\"metadata\":{\"name\":\"c1\",\"namespace\":\"a\"},"
		"\"spec\":{\"volumeName\":\"pv1\",\"resources\":{\"requests\":{\"storage\":\"5Gi\"}}},"
		"\"status\":{\"phase\":\"Bound\",\"capacity\":{\"storage\":\"10Gi\"}}}"), &err) == CT_OK,
		      "%s", err.msg);
	ck_assert_uint_eq(k.nclasses, 1);
	ck_assert(k.classes[0].is_default);
	ck_assert_str_eq(ct_kube_get(&k.classes[0].params, "type"), "io2");
	ck_assert_str_eq(k.pvs[0].driver, "kubernetes.io/aws-ebs");
	ck_assert_int_eq(k.pvs[0].bytes, 10 * GI);
	ck_assert_str_eq(k.pvs[0].claim_ns, "a");
	ck_assert_int_eq(k.pvcs[0].bytes, 10 * GI); /* status.capacity wins */
	ck_assert_msg(rd(&k, CT_KUBE_SERVICES, LIST(
		"{\"kind\":\"Service\",\"metadata\":{\"name\":\"s1\",\"namespace\":\"a\"},"
		"\"spec\":{\"type\":\"LoadBalancer\",\"selector\":{\"app\":\"x\"}}},"
		"{\"kind\":\"Service\",\"metadata\":{\"name\":\"s2\",\"namespace\":\"a\",\"annotations\":"
		"{\"service.beta.kubernetes.io/aws-load-balancer-type\":\"external\"}},"
		"\"spec\":{\"type\":\"LoadBalancer\"}},"
		"{\"kind\":\"Service\",\"metadata\":{\"name\":\"s3\",\"namespace\":\"a\"},"
		"\"spec\":{\"type\":\"LoadBalancer\",\"loadBalancerClass\":\"example.com/metallb\"}},"
		"{\"kind\":\"Service\",\"metadata\":{\"name\":\"s4\",\"namespace\":\"a\"},"
		"\"spec\":{\"type\":\"ClusterIP\",\"selector\":{\"app\":\"y\"}}},"
		"{\"kind\":\"Ingress\",\"metadata\":{\"name\":\"i1\",\"namespace\":\"a\",\"annotations\":"
		"{\"kubernetes.io/ingress.class\":\"alb\"}},\"spec\":{\"defaultBackend\":"
		"{\"service\":{\"name\":\"s4\"}},\"rules\":[{\"http\":{\"paths\":[{\"backend\":"
		"{\"service\":{\"name\":\"s1\"}}}]}}]}},"
		"{\"kind\":\"Ingress\",\"metadata\":{\"name\":\"i2\",\"namespace\":\"a\"},"
		"\"spec\":{\"ingressClassName\":\"nginx\"}}"), &err) == CT_OK, "%s", err.msg);
	ck_assert_uint_eq(k.nservices, 5); /* the nginx ingress has no LB of its own */
	ck_assert_str_eq(k.services[0].kind, "clb");
	ck_assert(k.services[0].lb);
	ck_assert_str_eq(k.services[1].kind, "nlb");
	ck_assert(k.services[2].lb);
	ck_assert_ptr_null(k.services[2].kind);
	ck_assert(!k.services[3].lb);
	ck_assert_str_eq(ct_kube_get(&k.services[3].selector, "app"), "y");
	ck_assert(k.services[4].ingress && k.services[4].lb);
	ck_assert_str_eq(k.services[4].kind, "alb");
	ck_assert_uint_eq(k.services[4].nbackends, 2);
	ck_assert_str_eq(k.services[4].backends[0], "s4");
	ck_assert_str_eq(k.services[4].backends[1], "s1");
	ct_kube_release(&k);
}
END_TEST

/* A typed list (kubectl get --raw) has items without kind. */
START_TEST(test_typed_list)
{
	struct ct_kube k;
	struct ct_err err;

	ct_kube_init(&k);
	ck_assert_int_eq(rd(&k, CT_KUBE_NODES, "{\"kind\":\"NodeList\",\"items\":"
			    "[{\"metadata\":{\"name\":\"n\"}}]}", &err), CT_OK);
	ck_assert_uint_eq(k.nnodes, 1);
	ck_assert_int_eq(rd(&k, CT_KUBE_PODS, "{\"kind\":\"PodList\",\"items\":null}", &err),
			 CT_OK);
	ct_kube_release(&k);
}
END_TEST

/* Bad input: CT_E_INPUT naming the file and the JSON path. */
static const struct {
	enum ct_kube_file f;
	const char *text;
	const char *msg; /* part of err.msg */
} bad_docs[] = {
	{CT_KUBE_PODS, "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"x\"}}", "a single Pod, not a List"},
	{CT_KUBE_NODES, "[1,2]", "not a kubectl List"},
	{CT_KUBE_NODES, "{\"items\":[]}", "not a kubectl List"},
	{CT_KUBE_NODES, "{\"kind\":\"Deployment\"}", "'Deployment' is not a List of Node"},
	{CT_KUBE_NODES, "{\"kind\":\"PodList\",\"items\":[]}", "not a List of Node"},
	{CT_KUBE_NODES, "{\"kind\":\"List\"}", "items: missing"},
	{CT_KUBE_NODES, "{\"kind\":\"List\",\"items\":{}}", "items: expected an array"},
	{CT_KUBE_NODES, LIST("{\"kind\":\"Node\",\"metadata\":{\"name\":\"a\"}},"
			     "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"b\"}}"),
	 "items[1].kind: a Pod where Node belong"},
	{CT_KUBE_NODES, LIST("{\"metadata\":{\"name\":\"a\"}}"), "items[0].kind: missing"},
	{CT_KUBE_NODES, LIST("3"), "items[0]: expected an object, not a number"},
	{CT_KUBE_NODES, LIST("{\"kind\":\"Node\",\"metadata\":{}}"), "items[0].metadata.name: missing"},
	{CT_KUBE_NODES, LIST("{\"kind\":\"Node\",\"metadata\":{\"name\":\"a\",\"labels\":{\"x\":1}}}"),
	 "items[0].metadata.labels.x: expected a string, not a number"},
	{CT_KUBE_NODES, LIST("{\"kind\":\"Node\",\"metadata\":{\"name\":\"a\"},\"status\":"
			     "{\"capacity\":{\"nvidia.com/gpu\":\"one\"}}}"),
	 "items[0].status.capacity[\"nvidia.com/gpu\"]: bad quantity 'one'"},
	{CT_KUBE_NODES, LIST("{\"kind\":\"Node\",\"metadata\":{\"name\":\"x\"}},"
			     "{\"kind\":\"Node\",\"metadata\":{\"name\":\"x\"}}"),
	 "items[1]: a second node named x"},
	{CT_KUBE_PODS, LIST("{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":"
			    "[{\"name\":\"c\",\"resources\":{\"requests\":{\"cpu\":\"5x\"}}}]}}"),
	 "items[0].spec.containers[0].resources.requests.cpu: bad quantity '5x'"},
	{CT_KUBE_PODS, LIST("{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":"
			    "[{\"name\":\"c\",\"resources\":{\"limits\":{\"memory\":\"-1Gi\"}}}]}}"),
	 "items[0].spec.containers[0].resources.limits.memory: negative quantity"},
	{CT_KUBE_PODS, LIST("{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":"
			    "[{\"resources\":{\"requests\":{\"cpu\":\"200000\"}}}]}}"),
	 "requests.cpu: quantity '200000' out of range"},
	{CT_KUBE_PODS, LIST("{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":"
			    "[{\"resources\":{\"requests\":{\"cpu\":true}}}]}}"),
	 "requests.cpu: expected a quantity, not a boolean"},
	{CT_KUBE_PODS, LIST("{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"ownerReferences\":"
			    "[{\"kind\":\"ReplicaSet\"}]}}"),
	 "items[0].metadata.ownerReferences[0].name: missing"},
	{CT_KUBE_PODS, LIST("{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":"
			    "{\"containers\":{}}}"),
	 "items[0].spec.containers: expected an array, not an object"},
	{CT_KUBE_PODS, LIST("{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":"
			    "{\"volumes\":[{\"persistentVolumeClaim\":{}}]}}"),
	 "items[0].spec.volumes[0].persistentVolumeClaim.claimName: missing"},
	{CT_KUBE_VOLUMES, LIST("{\"kind\":\"Service\",\"metadata\":{\"name\":\"s\"}}"),
	 "items[0].kind: a Service where PersistentVolume, PersistentVolumeClaim, StorageClass belong"},
	{CT_KUBE_VOLUMES, LIST("{\"kind\":\"PersistentVolume\",\"metadata\":{\"name\":\"v\"},"
			       "\"spec\":{\"capacity\":{\"storage\":\"10Gb\"}}}"),
	 "items[0].spec.capacity.storage: bad quantity '10Gb'"},
	{CT_KUBE_SERVICES, LIST("{\"kind\":\"Service\",\"metadata\":{\"name\":\"s\"},"
				"\"spec\":{\"selector\":[]}}"),
	 "items[0].spec.selector: expected an object, not an array"},
	{CT_KUBE_NODES, "{\"kind\":\"List\",\"items\":[}", "not valid JSON"},
	{CT_KUBE_NODES, "{\"kind\":\"List\",\"kind\":\"List\",\"items\":[]}", "not valid JSON"},
};

START_TEST(test_bad)
{
	struct ct_kube k;
	struct ct_err err;

	ct_kube_init(&k);
	ck_assert_int_eq(rd(&k, CT_KUBE_NODES, nodes_json, &err), CT_OK);
	ck_assert_int_eq(rd(&k, CT_KUBE_PODS, pods_json, &err), CT_OK);
	for (size_t i = 0; i < CT_NELEM(bad_docs); i++) {
		int rc = rd(&k, bad_docs[i].f, bad_docs[i].text, &err);
		ck_assert_msg(rc == CT_E_INPUT, "doc %zu: rc %d", i, rc);
		ck_assert_str_eq(err.source, "t.json");
		ck_assert_msg(strstr(err.msg, bad_docs[i].msg) != NULL,
			      "doc %zu: '%s' lacks '%s'", i, err.msg, bad_docs[i].msg);
		/* nothing of a bad file stays */
		ck_assert_uint_eq(k.nnodes, 10);
		ck_assert_uint_eq(k.npods, 8);
		ck_assert_uint_eq(k.npvs + k.npvcs + k.nclasses + k.nservices, 0);
	}
	/* a second file with a node of the same name */
	ck_assert_int_eq(rd(&k, CT_KUBE_NODES, LIST("{\"kind\":\"Node\",\"metadata\":"
						    "{\"name\":\"j\"}}"), &err), CT_E_INPUT);
	ck_assert_str_eq(err.msg, "items[0]: a second node named j");
	ck_assert_uint_eq(k.nnodes, 10);
	ct_kube_release(&k);
}
END_TEST

/* ---- Prometheus ---------------------------------------------------------- */

#define PROM(type, result) \
	"{\"status\":\"success\",\"data\":{\"resultType\":\"" type "\",\"result\":[" result "]}}"
#define SERIES(labels, value) "{\"metric\":{" labels "},\"value\":[1764547200.5,\"" value "\"]}"
#define WHO(pod, ctr) "\"namespace\":\"ns\",\"pod\":\"" pod "\",\"container\":\"" ctr "\""

static int ru(struct ct_kube *k, enum ct_kube_resource r, const char *text, struct ct_err *err)
{
	ct_err_init(err);
	return ct_kube_read_usage(k, r, "u.json", text, strlen(text), err);
}

START_TEST(test_usage)
{
	struct ct_kube k;
	struct ct_err err;

	ct_kube_init(&k);
	ck_assert_msg(ru(&k, CT_KUBE_CPU, PROM("vector",
		SERIES(WHO("b", "c"), "0.25") ","
		SERIES(WHO("a", "c"), "1.0006") ","     /* 1000.6m: 1001m, the nearest */
		SERIES(WHO("a", "POD"), "3") ","        /* the pause container */
		SERIES("\"namespace\":\"ns\",\"pod\":\"a\"", "3") "," /* pod total */
		SERIES(WHO("a", "d"), "NaN")), &err) == CT_OK, "%s", err.msg);
	ck_assert_uint_eq(k.nusage, 2);
	ck_assert_uint_eq(k.usage_skipped, 3);
	ck_assert_str_eq(k.usage[0].pod, "a"); /* sorted */
	ck_assert_int_eq(k.usage[0].cpu_m, 1001);
	ck_assert(k.usage[0].has_cpu && !k.usage[0].has_mem);
	ck_assert_int_eq(k.usage[1].cpu_m, 250);
	/* memory by metric name and by resource label; repeated series: max */
	ck_assert_msg(ru(&k, CT_KUBE_AUTO, PROM("vector",
		SERIES("\"__name__\":\"container_memory_working_set_bytes\"," WHO("a", "c"), "1048576") ","
		SERIES("\"__name__\":\"container_memory_working_set_bytes\",\"id\":\"2\"," WHO("a", "c"), "2097152") ","
		SERIES("\"resource\":\"memory\"," WHO("b", "c"), "1e6")), &err) == CT_OK, "%s", err.msg);
	ck_assert_uint_eq(k.nusage, 2);
	ck_assert_int_eq(k.usage[0].mem_b, 2 * MI);
	ck_assert_int_eq(k.usage[0].cpu_m, 1001); /* kept */
	ck_assert_int_eq(k.usage[1].mem_b, 1000000);
	/* a range query: the mean */
	ck_assert_msg(ru(&k, CT_KUBE_CPU, PROM("matrix",
		"{\"metric\":{" WHO("m", "c") "},\"values\":[[1,\"0.1\"],[2,\"0.3\"],[3,\"NaN\"]]}"),
		&err) == CT_OK, "%s", err.msg);
	ck_assert_uint_eq(k.nusage, 3);
	ck_assert_int_eq(k.usage[2].cpu_m, 200);

	/* bad answers leave k as it was */
	ck_assert_int_eq(ru(&k, CT_KUBE_CPU, "{\"status\":\"error\",\"error\":\"parse error\"}", &err),
			 CT_E_INPUT);
	ck_assert_str_eq(err.msg, "status: the query failed: parse error");
	ck_assert_int_eq(ru(&k, CT_KUBE_AUTO, PROM("vector", SERIES(WHO("z", "c"), "1")), &err),
			 CT_E_INPUT);
	ck_assert(strstr(err.msg, "data.result[0].metric: cannot tell CPU from memory") != NULL);
	ck_assert_int_eq(ru(&k, CT_KUBE_CPU, PROM("vector", SERIES(WHO("z", "c"), "-1")), &err),
			 CT_E_INPUT);
	ck_assert(strstr(err.msg, "data.result[0].value[1]") != NULL);
	ck_assert_int_eq(ru(&k, CT_KUBE_CPU, PROM("vector", SERIES(WHO("z", "c"), "+Inf")), &err),
			 CT_E_INPUT);
	ck_assert_int_eq(ru(&k, CT_KUBE_CPU, PROM("scalar", ""), &err), CT_E_INPUT);
	ck_assert_str_eq(err.source, "u.json");
	ck_assert_int_eq(ru(&k, CT_KUBE_CPU, "{\"kind\":\"List\"}", &err), CT_E_INPUT);
	ck_assert_uint_eq(k.nusage, 3);
	ct_kube_release(&k);
}
END_TEST

START_TEST(test_load)
{
	struct ct_kube k;
	struct ct_err err;
	char *dir = ct_test_tmpdir();
	char *path = ct_test_write(dir, "nodes.json", nodes_json);
	char *missing = ct_xasprintf("%s/none.json", dir);

	ct_kube_init(&k);
	ck_assert_int_eq(ct_kube_load(&k, CT_KUBE_NODES, false, CT_KUBE_AUTO, path, &err), CT_OK);
	ck_assert_uint_eq(k.nnodes, 10);
	ck_assert_int_eq(ct_kube_load(&k, CT_KUBE_PODS, false, CT_KUBE_AUTO, missing, &err), CT_E_IO);
	ck_assert_int_eq(ct_kube_load(&k, CT_KUBE_PODS, false, CT_KUBE_AUTO, path, &err), CT_E_INPUT);
	ck_assert_str_eq(err.source, path);
	ck_assert(strstr(err.msg, "items[0].kind: a Node where Pod belong") != NULL);
	ct_kube_release(&k);
	free(path);
	free(missing);
	free(dir);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("kube");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_quantity_good);
	tcase_add_test(tc, test_quantity_bad);
	tcase_add_test(tc, test_nodes);
	tcase_add_test(tc, test_pods);
	tcase_add_test(tc, test_volumes_services);
	tcase_add_test(tc, test_typed_list);
	tcase_add_test(tc, test_bad);
	tcase_add_test(tc, test_usage);
	tcase_add_test(tc, test_load);
	suite_add_tcase(s, tc);
	return s;
}

CT_TEST_MAIN(suite)
