/*
 * k8s.h - a Kubernetes cluster's monthly cost: control plane + nodes
 * (on-demand or spot) + persistent volumes + load balancers.
 */
#ifndef CT_PRICING_K8S_H
#define CT_PRICING_K8S_H

#include "ct.h"
#include "cost.h"

struct ct_catalog;

struct ct_k8s_nodes {
	const char *type; /* EC2 instance type */
	double count;
	bool spot;
};

struct ct_k8s_volume {
	const char *type; /* EBS type of the storage class: gp2, gp3 ... */
	double gb;
};

struct ct_k8s_spec {
	const char *region;
	bool eks;             /* add the EKS control plane */
	bool extended;        /* EKS extended support ($0.60/h) */
	const struct ct_k8s_nodes *nodes;
	size_t nnodes;
	const struct ct_k8s_volume *volumes;
	size_t nvolumes;
	double load_balancers; /* Service type LoadBalancer: NLBs */
};

/* RULE: k8s.cluster -- control plane ($73.00 a month on EKS standard
 * support) + every node group at its on-demand or spot rate + volumes +
 * one network load balancer per LoadBalancer service. */
int ct_k8s_cluster(const struct ct_catalog *cat, const struct ct_k8s_spec *s,
		   struct ct_cost *out, struct ct_err *err);

#endif
