/*
 * k8s_cost.h - the model of `cloudtally k8s` (issue 8): what a Kubernetes
 * cluster costs a month and who in it spends it.
 *
 * Cluster = control plane + nodes (the on-demand or spot price of their
 * instance type in their region, from the catalog) + persistent volumes
 * (EBS, by storage class) + load balancers (NLB, CLB, ALB hours). Each
 * node's price is split into CPU, memory and GPU parts (RULE
 * k8s.node-split, pricing/k8s.h), and each part is shared among the
 * running pods on the node by their requests (or max(request, usage)
 * with Prometheus data) against the node's capacity; what no pod
 * requested is idle. Volumes go to the pods that mount their claim, load
 * balancers to the pods their Service selects. Pods are then grouped by
 * namespace, controller or a label; the shared namespaces' cost is spread
 * over the other groups in proportion to their cost, and idle optionally
 * in proportion to each group's cost of the same resource. Every split
 * uses ct_k8s_apportion(), so that
 *
 *     sum of allocations[].monthly_cost = cluster - control plane
 *     allocated + shared + idle          = nodes + volumes + load balancers
 *     per node: allocated + idle         = the node's monthly cost
 *
 * hold exactly, to the nano-dollar. A missing price is unknown, never $0:
 * the item is left out of the totals and a note says so.
 *
 * The model reads a struct ct_kube and the catalog; it never prints: the
 * renderers (render_k8s.c) write it in each format. Money is ct_money.
 */
#ifndef CT_REPORTS_K8S_COST_H
#define CT_REPORTS_K8S_COST_H

#include "ct.h"
#include "money.h"

struct ct_catalog;
struct ct_kube;

enum ct_k8s_cost_by {
	CT_K8S_BY_NAMESPACE,
	CT_K8S_BY_CONTROLLER, /* namespace/kind/name */
	CT_K8S_BY_LABEL,      /* the value of one pod label */
};

enum ct_k8s_cost_plane {
	CT_K8S_PLANE_AUTO, /* EKS when a node's labels say so */
	CT_K8S_PLANE_EKS,
	CT_K8S_PLANE_EKS_EXTENDED,
	CT_K8S_PLANE_NONE,
};

struct ct_k8s_cost_opts {
	enum ct_k8s_cost_by by;
	const char *label;	   /* CT_K8S_BY_LABEL: the key (borrowed) */
	const char *const *shared; /* namespaces spread over the others,
				      kube-system always among them (borrowed) */
	size_t nshared;
	bool share_idle;    /* spread idle over the groups */
	const char *region; /* for nodes without a region label; NULL */
	enum ct_k8s_cost_plane plane;
};

/* Costs of one group, or of a special line. */
struct ct_k8s_cost_alloc {
	char *name;  /* the group, or __idle__, __shared__, __unmounted__,
			__unallocated__ */
	size_t pods; /* running pods charged */
	int64_t cpu_req_m, mem_req_b, gpu_req_m; /* requests */
	int64_t cpu_use_m, mem_use_b;		 /* usage (has_usage) */
	int64_t cpu_m, mem_b;			 /* charged: max(request, usage) */
	bool has_usage;
	ct_money cpu, mem, gpu, pv, lb; /* its own cost */
	ct_money shared;		/* its part of the shared namespaces */
	ct_money idle;			/* its part of idle (share_idle) */
	ct_money total;			/* all of the above */
};

struct ct_k8s_cost_node {
	char *name, *instance_type, *region, *zone, *group, *os; /* NULL unknown */
	const char *capacity;	     /* on-demand, spot, reserved (static) */
	int64_t cpu_m, mem_b, gpu_m; /* capacity: millicores, bytes, milli-GPUs */
	bool priced;
	ct_rate hourly;
	ct_money monthly;	/* 0 when !priced */
	ct_money cpu, mem, gpu; /* the split */
	ct_money allocated, idle;
	size_t pods; /* running pods charged on it */
	char *note;  /* why unpriced, estimates; NULL */
};

struct ct_k8s_cost_volume {
	char *name;	      /* PV name, or ns/claim for a claim without its PV */
	char *claim;	      /* ns/name; NULL when unclaimed */
	char *class_name;     /* NULL */
	const char *ebs_type; /* NULL: not priced */
	double gib;
	bool priced;
	ct_money monthly;
	char *note;
};

struct ct_k8s_cost_lb {
	char *name;	  /* ns/name of the Service or Ingress; ALB group name */
	const char *kind; /* nlb, clb, alb; NULL unknown */
	bool priced;
	ct_money monthly;
	char *note;
};

struct ct_k8s_cost_spot {
	char *node_group;		      /* the group label's value, or "TYPE in ZONE, ZONE" */
	char *instance_type, *region, *zones; /* zones: "a, b"; NULL unknown */
	const char *os;			      /* borrowed from the nodes */
	size_t nodes;
	ct_money on_demand;
	bool has_spot; /* false: no spot price in the catalog */
	ct_money spot;
	ct_money savings;
	char *band;	  /* interruption band, NULL unknown (owned) */
};

struct ct_k8s_cost {
	struct ct_k8s_cost_opts opts;
	char *by_name;	   /* "namespace", "controller", "label:team" */
	char *region;	   /* the cluster's region (control plane,
			      volumes, load balancers); NULL unknown */
	const char *plane; /* "eks", "eks-extended", "none" */
	bool plane_priced;
	ct_money control_plane;
	ct_money nodes_total, volumes_total, lbs_total;
	ct_money cluster;   /* control plane + the three totals */
	ct_money allocated; /* own costs of the non-shared groups */
	ct_money shared;    /* own costs of the shared namespaces */
	ct_money idle;	    /* of the nodes, before any sharing */
	ct_money idle_cpu, idle_mem, idle_gpu;
	int64_t idle_cpu_m, idle_mem_b, idle_gpu_m; /* capacity not charged */
	ct_money spot_savings;			    /* sum of the projections with a spot price */
	bool usage;				    /* Prometheus usage was given */
	struct ct_k8s_cost_node *nodes;		    /* sorted by name */
	size_t nnodes, unpriced_nodes;
	struct ct_k8s_cost_alloc *alloc; /* by total descending, then name;
					    then __unallocated__, __unmounted__,
					    __shared__, __idle__ */
	size_t nalloc;
	struct ct_k8s_cost_alloc *shared_groups; /* the shared namespaces' own costs */
	size_t nshared_groups;
	struct ct_k8s_cost_volume *volumes; /* sorted by name */
	size_t nvolumes;
	struct ct_k8s_cost_lb *lbs; /* sorted by name */
	size_t nlbs;
	struct ct_k8s_cost_spot *spot; /* sorted by group, instance type */
	size_t nspot;
	size_t pods_running, pods_pending, pods_finished, pods_other, pods_no_requests,
		pods_unknown_node;
	char **notes; /* sentences for people, in a fixed order */
	size_t nnotes;
};

/* The defaults: by namespace, kube-system shared, idle not shared,
 * control plane auto. */
void ct_k8s_cost_opts_init(struct ct_k8s_cost_opts *o);

/**
 * Build the model from a cluster snapshot k (borrowed) and the catalog
 * cat (borrowed).
 *
 * @return new model (ct_k8s_cost_free()), or NULL with err set:
 *         CT_E_USAGE for bad options, CT_E_INPUT when the snapshot has no
 *         nodes, CT_E_INTERNAL when a sum does not hold.
 */
struct ct_k8s_cost *ct_k8s_cost_build(const struct ct_kube *k, const struct ct_catalog *cat,
				      const struct ct_k8s_cost_opts *o, struct ct_err *err);
/* Free a model; NULL is allowed. */
void ct_k8s_cost_free(struct ct_k8s_cost *c);

enum ct_k8s_cost_format {
	CT_K8S_TEXT,
	CT_K8S_MARKDOWN,
	CT_K8S_JSON,
	CT_K8S_CSV,
};
/* Parse "text", "markdown", "json", "csv". @return CT_OK or CT_E_USAGE. */
int ct_k8s_cost_format_parse(const char *s, enum ct_k8s_cost_format *out);

/**
 * Write c (borrowed) to out in fmt (render_k8s.c).
 *
 * @return CT_OK, or CT_E_IO when writing failed.
 */
int ct_k8s_cost_render(const struct ct_k8s_cost *c, enum ct_k8s_cost_format fmt, FILE *out,
		       struct ct_err *err);

struct ct_jsonw;
/* c as one JSON object value at w's position: the document of `k8s
 * --format json`, and the report's "kubernetes" member. */
void ct_k8s_cost_json(struct ct_jsonw *w, const struct ct_k8s_cost *c);

#endif
