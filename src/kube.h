/*
 * kube.h - a Kubernetes cluster as kubectl prints it: readers for the
 * JSON of `kubectl get nodes -o json`, `kubectl get pods -A -o json`,
 * `kubectl get pv,pvc,storageclass -A -o json`, `kubectl get svc,ingress
 * -A -o json` and Prometheus /api/v1/query answers (container CPU and
 * memory usage), and Kubernetes quantities ("500m", "1.5Gi", "129e6").
 *
 * Readers take a whole document, check every type they read, and fill
 * plain structs in a caller-owned struct ct_kube: nothing is priced here
 * (reports/k8s_cost.c does that). What the labels say is decided here,
 * once: instance type, region, zone, capacity type, node group, EKS, and
 * each pod's controller. A bad file is CT_E_INPUT naming the file and the
 * JSON path of the bad value ("items[3].spec.containers[0].resources
 * .requests.cpu"), and leaves the snapshot as it was before the file.
 * It depends on Jansson, the stream reader and pricing/k8s.h's exact
 * arithmetic; it never prints.
 */
#ifndef CT_SRC_KUBE_H
#define CT_SRC_KUBE_H

#include "ct.h"

/* Largest JSON document read into memory; a larger one is bad input. */
#define CT_KUBE_MAX_JSON ((size_t)1 << 30)
/* Largest quantities accepted: 100,000 cores, 1 PiB, 1,000 GPUs. */
#define CT_KUBE_MAX_MILLICORES INT64_C(100000000)
#define CT_KUBE_MAX_BYTES (INT64_C(1) << 50)
#define CT_KUBE_MAX_MILLIGPUS INT64_C(1000000)

/* Labels, annotations, selectors, parameters: key/value pairs in the
 * order of the file. Strings owned. */
struct ct_kube_kv {
	char *key, *value;
};
struct ct_kube_map {
	struct ct_kube_kv *kv;
	size_t n;
};

/* What a node is billed as. */
enum ct_kube_capacity {
	CT_KUBE_ONDEMAND,
	CT_KUBE_SPOT,
	CT_KUBE_RESERVED, /* Karpenter "reserved", EKS CAPACITY_BLOCK */
};

struct ct_kube_node {
	char *name;
	struct ct_kube_map labels;
	char *instance_type; /* node.kubernetes.io/instance-type, else beta.*; NULL */
	char *region, *zone; /* topology labels, else beta, else spec.providerID; NULL */
	const char *os;	     /* "linux" or "windows" (static) */
	enum ct_kube_capacity capacity;
	const char *capacity_label;  /* the label that said so, NULL when none (static) */
	char *group;		     /* node group / pool label value; NULL */
	const char *group_label;     /* which label (static); NULL */
	bool eks;		     /* an eks.amazonaws.com/ or alpha.eksctl.io/ label */
	bool fargate;		     /* eks.amazonaws.com/compute-type: fargate */
	int64_t cpu_m, mem_b, gpu_m; /* status.capacity; GPUs: nvidia.com/gpu + amd.com/gpu */
	bool has_cpu, has_mem;
	int64_t gpu_replicas; /* nvidia.com/gpu.replicas label (time-slicing), else 1 */
	size_t item;	      /* index in the file's items, for messages */
};

struct ct_kube_container {
	char *name;
	int64_t cpu_m, mem_b, gpu_m; /* requests (limits when no request: the
					API server's defaulting) */
	bool has_cpu, has_mem;
};

struct ct_kube_pod {
	char *ns, *name;
	char *node;  /* spec.nodeName; NULL when not scheduled */
	char *phase; /* status.phase; NULL when missing */
	struct ct_kube_map labels;
	char *controller_kind;	     /* deployment, statefulset, daemonset, job,
					cronjob, replicaset, or the owner kind in
					lower case; NULL for a bare pod */
	char *controller;	     /* its name */
	struct ct_kube_container *c; /* containers and sidecar init containers */
	size_t nc;
	int64_t over_cpu_m, over_mem_b; /* spec.overhead */
	char **claims;			/* PVC names mounted */
	size_t nclaims;
	size_t item;
};

struct ct_kube_pv {
	char *name, *class_name;     /* class NULL when none */
	char *driver;		     /* spec.csi.driver, "kubernetes.io/aws-ebs" for
					spec.awsElasticBlockStore; NULL */
	char *claim_ns, *claim_name; /* spec.claimRef; NULL */
	char *phase;
	int64_t bytes; /* spec.capacity.storage */
	size_t item;
};

struct ct_kube_pvc {
	char *ns, *name, *class_name, *volume, *phase;
	int64_t bytes; /* status.capacity.storage, else the request */
	size_t item;
};

struct ct_kube_class {
	char *name, *provisioner;
	struct ct_kube_map params;
	bool is_default; /* storageclass.kubernetes.io/is-default-class */
	size_t item;
};

/* A Service (any type: selectors find the pods behind an ALB's backends),
 * or an Ingress of class alb. */
struct ct_kube_service {
	char *ns, *name;
	bool ingress;
	bool lb;		     /* a load balancer: type LoadBalancer, or an ALB */
	const char *kind;	     /* nlb, clb, alb (static); NULL: not AWS-priced */
	char *group;		     /* ALB group (alb.ingress.kubernetes.io/group.name) */
	struct ct_kube_map selector; /* Service: spec.selector */
	char **backends;	     /* Ingress: backend service names */
	size_t nbackends;
	size_t item;
};

/* Usage of one container from Prometheus (max of repeated series). */
struct ct_kube_usage {
	char *ns, *pod, *container;
	int64_t cpu_m, mem_b;
	bool has_cpu, has_mem;
};

/* The cluster snapshot. Arrays owned; zero it with ct_kube_init(). */
struct ct_kube {
	struct ct_kube_node *nodes;
	size_t nnodes, capnodes;
	struct ct_kube_pod *pods;
	size_t npods, cappods;
	struct ct_kube_pv *pvs;
	size_t npvs, cappvs;
	struct ct_kube_pvc *pvcs;
	size_t npvcs, cappvcs;
	struct ct_kube_class *classes;
	size_t nclasses, capclasses;
	struct ct_kube_service *services; /* services and ALB ingresses */
	size_t nservices, capservices;
	struct ct_kube_usage *usage;
	size_t nusage, capusage;
	size_t usage_skipped; /* series without pod/container, or NaN */
	char *files[4];	      /* the file each kind came from (for messages) */
};

/* Which file a document is. */
enum ct_kube_file {
	CT_KUBE_NODES,	  /* Node */
	CT_KUBE_PODS,	  /* Pod */
	CT_KUBE_VOLUMES,  /* PersistentVolume, PersistentVolumeClaim, StorageClass */
	CT_KUBE_SERVICES, /* Service, Ingress */
};

/* Which resource a Prometheus answer measures. */
enum ct_kube_resource {
	CT_KUBE_AUTO,	/* each series' "resource" label, else its __name__ */
	CT_KUBE_CPU,	/* cores */
	CT_KUBE_MEMORY, /* bytes */
};

void ct_kube_init(struct ct_kube *k);
/* Free everything k holds. */
void ct_kube_release(struct ct_kube *k);

/**
 * Parse a Kubernetes quantity: [+]digits[.digits] (either side may be
 * empty, not both) followed by nothing, a decimal SI suffix (n u m k M G
 * T P E), a binary one (Ki Mi Gi Ti Pi Ei) or an exponent (e3, E-2).
 *
 * @param scale  the power of ten wanted: 3 for milli-units, 0 for units.
 * @param out    ceil(value x 10^scale), exactly (Kubernetes rounds up the
 *               same way); at most 19 significant digits are accepted.
 * @return CT_OK, or CT_E_INPUT for anything else: empty, negative, bad
 *         suffix, more digits than that, or a result above INT64_MAX.
 */
int ct_kube_quantity(const char *s, int scale, int64_t *out);

/**
 * Read one kubectl JSON document: a List (or NodeList, PodList ...) whose
 * items are of the kinds the file may hold. A single object, a missing
 * items array, an item of another kind, a bad quantity, a duplicate name
 * or a wrong type is CT_E_INPUT naming source and the JSON path.
 *
 * @param source  file name for errors (copied); text borrowed, len bytes.
 * @return CT_OK, or CT_E_INPUT with k unchanged.
 */
int ct_kube_read(struct ct_kube *k, enum ct_kube_file what, const char *source, const char *text,
		 size_t len, struct ct_err *err);

/**
 * Read a Prometheus /api/v1/query (or query_range: the mean of each
 * series) answer: {"status":"success","data":{"resultType":"vector",
 * "result":[{"metric":{"namespace":...,"pod":...,"container":...},
 * "value":[t,"0.25"]}]}}. CPU is in cores, memory in bytes, each rounded
 * to the nearest millicore or byte; a container's repeated series (other
 * id or image labels) count once, at their largest value. Series
 * without a pod or container, for container "POD", or whose value is NaN
 * are skipped (counted in usage_skipped).
 *
 * @return CT_OK, or CT_E_INPUT naming source and the JSON path (a failed
 *         query, a negative or infinite value, a series whose resource
 *         cannot be told with CT_KUBE_AUTO) with k unchanged.
 */
int ct_kube_read_usage(struct ct_kube *k, enum ct_kube_resource res, const char *source,
		       const char *text, size_t len, struct ct_err *err);

/**
 * Read a file ("-" is standard input; gzip is detected) with
 * ct_kube_read(), or with ct_kube_read_usage() when usage is true.
 *
 * @return CT_OK, CT_E_IO (cannot read), or CT_E_INPUT (also for a file
 *         larger than CT_KUBE_MAX_JSON).
 */
int ct_kube_load(struct ct_kube *k, enum ct_kube_file what, bool usage, enum ct_kube_resource res,
		 const char *path, struct ct_err *err);

/* The value of key in m, or NULL (borrowed). */
const char *ct_kube_get(const struct ct_kube_map *m, const char *key);

/* The name of a capacity type: "on-demand", "spot", "reserved". */
const char *ct_kube_capacity_name(enum ct_kube_capacity c);

#endif
