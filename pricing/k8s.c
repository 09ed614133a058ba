/*
 * k8s.c - Kubernetes cluster formula (see k8s.h), built from the compute,
 * storage and network formulas.
 */
#include "ct.h"
#include "k8s.h"
#include "compute.h"
#include "network.h"
#include "storage.h"
#include "tiers.h"

int ct_k8s_cluster(const struct ct_catalog *cat, const struct ct_k8s_spec *s,
		   struct ct_cost *out, struct ct_err *err)
{
	struct ct_cost part;
	int rc = CT_OK;

	ct_cost_init(out);
	if (s->eks) {
		rc = ct_tiers_line(cat, out, "EKS control plane", "eks", s->region,
				   "cluster", s->extended ? "extended" : "standard",
				   CT_HOURS_PER_MONTH, 0, err);
		if (rc != CT_OK)
			return rc;
	}
	for (size_t i = 0; i < s->nnodes; i++) {
		struct ct_ec2_spec e = {0};
		char prefix[64];
		e.region = s->region;
		e.type = s->nodes[i].type;
		e.buy = s->nodes[i].spot ? CT_BUY_SPOT : CT_BUY_ONDEMAND;
		e.count = s->nodes[i].count;
		rc = ct_compute_ec2(cat, &e, &part, err);
		if (rc != CT_OK)
			return rc;
		snprintf(prefix, sizeof(prefix), "%s%s nodes: ", e.type,
			 s->nodes[i].spot ? " spot" : "");
		ct_cost_merge(out, &part, prefix);
	}
	for (size_t i = 0; i < s->nvolumes; i++) {
		struct ct_ebs_spec v = {0};
		v.region = s->region;
		v.type = s->volumes[i].type;
		v.gb = s->volumes[i].gb;
		rc = ct_storage_ebs(cat, &v, &part, err);
		if (rc != CT_OK)
			return rc;
		ct_cost_merge(out, &part, "volume ");
	}
	if (s->load_balancers > 0) {
		rc = ct_network_lb(cat, s->region, "nlb", s->load_balancers, 0, 0,
				   &part, err);
		if (rc != CT_OK)
			return rc;
		ct_cost_merge(out, &part, "");
	}
	return rc;
}
