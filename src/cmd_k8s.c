/*
 * cmd_k8s.c - `cloudtally k8s`: what a Kubernetes cluster costs a month,
 * from kubectl JSON (src/kube.c), and who in it spends it
 * (reports/k8s_cost.c); offline, from the catalog.
 */
#include "ct.h"
#include "cmd.h"
#include "catalog.h"
#include "k8s_cost.h"
#include "kube.h"
#include "store.h"

#include <getopt.h>

const char ct_cmd_k8s_usage[] =
	"usage: cloudtally k8s --nodes FILE --pods FILE [--pvs FILE] [--pvcs FILE] [--services "
	"FILE] [--usage [cpu=|memory=]FILE]... [--by namespace|controller|label:KEY] [--shared "
	"NAMESPACE]... [--share-idle] [--region REGION] [--control-plane "
	"auto|eks|eks-extended|none] [--format text|markdown|json|csv]\n"
	"\n"
	"What a Kubernetes cluster costs a month and who in it spends it, from\n"
	"kubectl JSON and the price catalog (no network): control plane, nodes\n"
	"(on-demand or spot price of their instance type and region), EBS\n"
	"persistent volumes and load balancers; each node's price split into CPU,\n"
	"memory and GPU (OpenCost's ratios) and shared among its running pods by\n"
	"their requests; idle capacity on its own line; kube-system and --shared\n"
	"namespaces spread over the others; what moving each on-demand node group\n"
	"to spot would save. Files may be gzip-compressed; - is standard input.\n"
	"\n"
	"  --nodes FILE          kubectl get nodes -o json\n"
	"  --pods FILE           kubectl get pods -A -o json\n"
	"  --pvs FILE            kubectl get pv,pvc,storageclass -A -o json\n"
	"  --pvcs FILE           the claims, when in another file than --pvs\n"
	"  --services FILE       kubectl get svc,ingress -A -o json\n"
	"  --usage [R=]FILE      a Prometheus /api/v1/query answer of container\n"
	"                        CPU (cores) or memory (bytes) usage; R is cpu or\n"
	"                        memory when the series do not say; allocation\n"
	"                        then uses max(request, usage). Repeatable\n"
	"  --by B                namespace (default), controller or label:KEY\n"
	"  --shared NAMESPACE    spread this namespace's cost over the others, as\n"
	"                        kube-system always is. Repeatable\n"
	"  --share-idle          spread idle cost over the groups by their use\n"
	"  --region REGION       for nodes without a region label\n"
	"  --control-plane P     auto (default: EKS when node labels say so), eks,\n"
	"                        eks-extended or none\n"
	"  --format F            text (default), markdown, json or csv\n";

/* Read one file into k; the error already names the file. */
static int load(struct ct_kube *k, enum ct_kube_file what, const char *path, struct ct_err *err)
{
	return ct_kube_load(k, what, false, CT_KUBE_AUTO, path, err);
}

static int load_usage(struct ct_kube *k, const char *arg, struct ct_err *err)
{
	enum ct_kube_resource res = CT_KUBE_AUTO;

	if (!strncmp(arg, "cpu=", 4)) {
		res = CT_KUBE_CPU;
		arg += 4;
	} else if (!strncmp(arg, "memory=", 7)) {
		res = CT_KUBE_MEMORY;
		arg += 7;
	}
	if (!*arg)
		return ct_err_set(err, CT_E_USAGE, NULL, 0, "--usage wants [cpu=|memory=]FILE");
	return ct_kube_load(k, CT_KUBE_PODS, true, res, arg, err);
}

int ct_cmd_k8s(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err)
{
	static const struct option opts[] = {
		{"nodes", required_argument, NULL, 'n'},
		{"pods", required_argument, NULL, 'p'},
		{"pvs", required_argument, NULL, 'v'},
		{"pvcs", required_argument, NULL, 'c'},
		{"services", required_argument, NULL, 's'},
		{"usage", required_argument, NULL, 'u'},
		{"by", required_argument, NULL, 'b'},
		{"shared", required_argument, NULL, 'S'},
		{"share-idle", no_argument, NULL, 'i'},
		{"region", required_argument, NULL, 'r'},
		{"control-plane", required_argument, NULL, 'P'},
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	const char *nodes = NULL, *pods = NULL, *pvs = NULL, *pvcs = NULL, *svcs = NULL;
	const char *format = "text", *by = "namespace", *plane = "auto";
	const char **usage = NULL, **shared = NULL;
	size_t nusage = 0, nshared = 0;
	struct ct_k8s_cost_opts o;
	enum ct_k8s_cost_format fmt;
	struct ct_kube k;
	struct ct_store *st = NULL;
	struct ct_catalog *cat = NULL;
	struct ct_k8s_cost *model = NULL;
	char *dbpath = NULL;
	int c, rc = CT_OK;

	ct_kube_init(&k);
	ct_k8s_cost_opts_init(&o);
	usage = ct_xcalloc((size_t)argc + 1, sizeof(*usage));
	shared = ct_xcalloc((size_t)argc + 1, sizeof(*shared));
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			nodes = optarg;
			break;
		case 'p':
			pods = optarg;
			break;
		case 'v':
			pvs = optarg;
			break;
		case 'c':
			pvcs = optarg;
			break;
		case 's':
			svcs = optarg;
			break;
		case 'u':
			usage[nusage++] = optarg;
			break;
		case 'b':
			by = optarg;
			break;
		case 'S':
			if (!*optarg) {
				rc = ct_err_set(err, CT_E_USAGE, NULL, 0,
						"--shared wants a namespace");
				goto out;
			}
			shared[nshared++] = optarg;
			break;
		case 'i':
			o.share_idle = true;
			break;
		case 'r':
			o.region = optarg;
			break;
		case 'P':
			plane = optarg;
			break;
		case 'f':
			format = optarg;
			break;
		default:
			rc = ct_err_set(err, CT_E_USAGE, NULL, 0, "bad option");
			goto out;
		}
	}
	if (optind < argc) {
		rc = ct_err_set(err, CT_E_USAGE, NULL, 0, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (!nodes || !pods) {
		rc = ct_err_set(err, CT_E_USAGE, NULL, 0,
				"k8s needs --nodes FILE and --pods FILE "
				"(kubectl get nodes -o json, kubectl get pods -A -o json)");
		goto out;
	}
	if (ct_k8s_cost_format_parse(format, &fmt) != CT_OK) {
		rc = ct_err_set(err, CT_E_USAGE, NULL, 0,
				"unknown format '%s' (text, markdown, json, csv)", format);
		goto out;
	}
	if (!strcmp(by, "namespace")) {
		o.by = CT_K8S_BY_NAMESPACE;
	} else if (!strcmp(by, "controller")) {
		o.by = CT_K8S_BY_CONTROLLER;
	} else if (!strncmp(by, "label:", 6) && by[6]) {
		o.by = CT_K8S_BY_LABEL;
		o.label = by + 6;
	} else {
		rc = ct_err_set(err, CT_E_USAGE, NULL, 0,
				"--by wants namespace, controller or label:KEY, not '%s'", by);
		goto out;
	}
	if (!strcmp(plane, "auto")) {
		o.plane = CT_K8S_PLANE_AUTO;
	} else if (!strcmp(plane, "eks")) {
		o.plane = CT_K8S_PLANE_EKS;
	} else if (!strcmp(plane, "eks-extended")) {
		o.plane = CT_K8S_PLANE_EKS_EXTENDED;
	} else if (!strcmp(plane, "none")) {
		o.plane = CT_K8S_PLANE_NONE;
	} else {
		rc = ct_err_set(err, CT_E_USAGE, NULL, 0,
				"--control-plane wants auto, eks, eks-extended or none, not '%s'",
				plane);
		goto out;
	}
	o.shared = shared;
	o.nshared = nshared;

	if ((rc = load(&k, CT_KUBE_NODES, nodes, err)) ||
	    (rc = load(&k, CT_KUBE_PODS, pods, err)) ||
	    (pvs && (rc = load(&k, CT_KUBE_VOLUMES, pvs, err))) ||
	    /* one `kubectl get pv,pvc` file may be given to both options */
	    (pvcs && (!pvs || strcmp(pvs, pvcs) != 0) &&
	     (rc = load(&k, CT_KUBE_VOLUMES, pvcs, err))) ||
	    (svcs && (rc = load(&k, CT_KUBE_SERVICES, svcs, err))))
		goto out;
	for (size_t i = 0; i < nusage; i++)
		if ((rc = load_usage(&k, usage[i], err)))
			goto out;

	/* refreshed prices, when there is a store: never created here */
	dbpath = ct_store_default_path(ctx->db_opt);
	if (ct_store_exists(dbpath) && !(st = ct_store_open(dbpath, CT_STORE_READ, err))) {
		rc = err->code;
		goto out;
	}
	cat = ct_catalog_load(st, err);
	if (!cat) {
		rc = err->code;
		goto out;
	}
	model = ct_k8s_cost_build(&k, cat, &o, err);
	if (!model) {
		rc = err->code;
		goto out;
	}
	rc = ct_k8s_cost_render(model, fmt, ctx->out, err);
out:
	ct_k8s_cost_free(model);
	ct_catalog_free(cat);
	ct_store_close(st);
	free(dbpath);
	ct_kube_release(&k);
	free(usage);
	free(shared);
	return rc;
}
