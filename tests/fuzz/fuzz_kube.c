/*
 * fuzz_kube.c - libFuzzer harness for the kubectl and Prometheus readers
 * (src/kube.c) and the cost model on what they read (reports/k8s_cost.c).
 * The first byte picks the reader (mod 7: nodes, pods, volumes, services,
 * usage auto, usage cpu, usage memory) and its bits the model's options;
 * the rest is the file, read into a snapshot that already holds a small
 * cluster. Any input reads or fails with CT_E_INPUT and leaves the
 * snapshot as it was; when it reads, the model builds (its exact sums
 * hold, or it would fail with CT_E_INTERNAL) and renders in every format.
 * Never a crash, leak or other status.
 */
#include "ct.h"
#include "catalog.h"
#include "k8s_cost.h"
#include "kube.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ct_catalog *cat;
static FILE *sink;

static const char base_nodes[] =
	"{\"kind\":\"List\",\"items\":[{\"kind\":\"Node\",\"metadata\":{\"name\":\"n1\",\"labels\":"
	"{"
	"\"node.kubernetes.io/instance-type\":\"m5.large\",\"topology.kubernetes.io/"
	"zone\":\"us-east-1a\","
	"\"eks.amazonaws.com/"
	"nodegroup\":\"ng\"}},\"status\":{\"capacity\":{\"cpu\":\"2\",\"memory\":\"8Gi\"}}},"
	"{\"kind\":\"Node\",\"metadata\":{\"name\":\"n2\",\"labels\":{"
	"\"node.kubernetes.io/instance-type\":\"g4dn.xlarge\",\"karpenter.sh/"
	"capacity-type\":\"spot\","
	"\"topology.kubernetes.io/region\":\"us-east-1\"}},\"status\":{\"capacity\":{\"cpu\":\"4\","
	"\"memory\":\"16Gi\",\"nvidia.com/gpu\":\"1\"}}}]}";
static const char base_pods[] =
	"{\"kind\":\"List\",\"items\":[{\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-6b9f7c5d4-"
	"x\","
	"\"namespace\":\"shop\",\"labels\":{\"app\":\"web\",\"team\":\"a\"},\"ownerReferences\":[{"
	"\"kind\":"
	"\"ReplicaSet\",\"name\":\"web-6b9f7c5d4\",\"controller\":true}]},\"spec\":{\"nodeName\":"
	"\"n1\","
	"\"containers\":[{\"name\":\"c\",\"resources\":{\"requests\":{\"cpu\":\"500m\",\"memory\":"
	"\"1Gi\"}}}],"
	"\"volumes\":[{\"name\":\"d\",\"persistentVolumeClaim\":{\"claimName\":\"data\"}}]},"
	"\"status\":{\"phase\":\"Running\"}},"
	"{\"kind\":\"Pod\",\"metadata\":{\"name\":\"dns\",\"namespace\":\"kube-system\"},\"spec\":"
	"{\"nodeName\":\"n2\",\"containers\":[{\"name\":\"c\",\"resources\":{\"limits\":{\"cpu\":"
	"\"1\","
	"\"nvidia.com/gpu\":\"1\"}}}]},\"status\":{\"phase\":\"Running\"}}]}";

static void done(void)
{
	ct_catalog_free(cat);
	if (sink)
		fclose(sink);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum ct_kube_resource res[] = {CT_KUBE_AUTO, CT_KUBE_CPU, CT_KUBE_MEMORY};
	struct ct_kube k;
	struct ct_err err;
	struct ct_k8s_cost_opts o;
	struct ct_k8s_cost *c;
	const char *shared[] = {"shop"};
	size_t before[6];
	int rc, pick;

	if (size < 1)
		return 0;
	if (!cat) {
		cat = ct_catalog_load(NULL, &err);
		sink = fopen("/dev/null", "w");
		if (!cat || !sink)
			abort();
		atexit(done);
	}
	ct_kube_init(&k);
	if (ct_kube_read(&k, CT_KUBE_NODES, "n", base_nodes, strlen(base_nodes), &err) != CT_OK ||
	    ct_kube_read(&k, CT_KUBE_PODS, "p", base_pods, strlen(base_pods), &err) != CT_OK)
		abort();
	before[0] = k.nnodes;
	before[1] = k.npods;
	before[2] = k.npvs + k.npvcs + k.nclasses;
	before[3] = k.nservices;
	before[4] = k.nusage;
	pick = data[0] % 7;
	ct_err_init(&err);
	if (pick < 4)
		rc = ct_kube_read(&k, (enum ct_kube_file)pick, "fuzz.json", (const char *)data + 1,
				  size - 1, &err);
	else
		rc = ct_kube_read_usage(&k, res[pick - 4], "fuzz.json", (const char *)data + 1,
					size - 1, &err);
	if (rc != CT_OK) {
		if (rc != CT_E_INPUT)
			abort();
		if (k.nnodes != before[0] || k.npods != before[1] ||
		    k.npvs + k.npvcs + k.nclasses != before[2] || k.nservices != before[3] ||
		    k.nusage != before[4])
			abort(); /* a bad file must leave nothing behind */
		goto out;
	}
	ct_k8s_cost_opts_init(&o);
	o.by = (enum ct_k8s_cost_by)((data[0] >> 3) % 3);
	o.label = "team";
	o.share_idle = data[0] & 0x20;
	o.shared = shared;
	o.nshared = (data[0] & 0x40) != 0;
	o.region = data[0] & 0x80 ? "us-east-1" : NULL;
	c = ct_k8s_cost_build(&k, cat, &o, &err);
	if (!c) {
		if (err.code != CT_E_INPUT)
			abort();
		goto out;
	}
	for (int f = CT_K8S_TEXT; f <= CT_K8S_CSV; f++)
		if (ct_k8s_cost_render(c, (enum ct_k8s_cost_format)f, sink, &err) != CT_OK)
			abort();
	ct_k8s_cost_free(c);
out:
	ct_kube_release(&k);
	return 0;
}
