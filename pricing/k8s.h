/*
 * k8s.h - Kubernetes formulas: a cluster's monthly cost (control plane +
 * nodes on-demand or spot + persistent volumes + load balancers, used by
 * `estimate`), and the pieces `cloudtally k8s` builds its allocation from:
 * a node's price, the control plane fee, the EBS type of a storage class,
 * the CPU / memory / GPU split of a node's price and the exact
 * apportionment of money by weights. Pure: catalog lookups and arithmetic,
 * no I/O, no global state.
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

/**
 * The hourly rate of one node: the EC2 on-demand or spot price of its
 * instance type in its region for os (NULL: linux).
 *
 * @param band  set to the Spot Instance Advisor interruption band of the
 *              type ("<5%", "15-20%"; borrowed from the catalog), or NULL
 *              when the catalog has no spot price for it; may be NULL.
 * @return CT_OK, or CT_E_NOPRICE naming what is missing (never a $0 rate).
 */
int ct_k8s_node_rate(const struct ct_catalog *cat, const char *region,
		     const char *type, const char *os, bool spot, ct_rate *hourly,
		     const char **band, struct ct_err *err);

/**
 * RULE: k8s.control-plane -- the EKS cluster fee for a month: $0.10 an
 * hour on standard support, $0.60 on extended support, x 730 h. EKS
 * charges the same fee in every commercial region, so a region missing
 * from the catalog uses us-east-1's row (*fallback set); China regions
 * (cn-*) have no fallback.
 *
 * @return CT_OK or CT_E_NOPRICE.
 */
int ct_k8s_control_plane(const struct ct_catalog *cat, const char *region,
			 bool extended, ct_money *monthly, bool *fallback,
			 struct ct_err *err);

/**
 * The EBS volume type a persistent volume is billed as, from its storage
 * class: the class parameter `type` when it names an EBS type (gp2, gp3,
 * io1, io2, st1, sc1, standard); else the provisioner's default (the EBS
 * CSI driver ebs.csi.aws.com: gp3; the in-tree kubernetes.io/aws-ebs:
 * gp2); else an EBS type named in the class name ("gp3", "ebs-gp3-enc").
 * Any argument may be NULL.
 *
 * @return a static string, or NULL when the class is not EBS or cannot be
 *         told (EFS, local volumes, other clouds).
 */
const char *ct_k8s_ebs_type(const char *provisioner, const char *type,
			    const char *class_name);

/* OpenCost's default unit prices (configs/default.json), whose ratios
 * split a node's price: $/vCPU-h, $/GiB-h of RAM, $/GPU-h. */
#define CT_K8S_CPU_PRICE "0.031611"
#define CT_K8S_RAM_PRICE "0.004237"
#define CT_K8S_GPU_PRICE "0.95"

/**
 * RULE: k8s.node-split -- OpenCost's ratio method (pkg/costmodel,
 * research/pricing-and-k8s.md B4.2): with cpuToRAM = 0.031611 / 0.004237
 * and gpuToRAM = 0.95 / 0.004237, a node of C vCPU, R GiB and G GPUs
 * costing P splits as
 *
 *     M      = C x cpuToRAM + R + G x gpuToRAM
 *     RAM    = P x R / M            ($/GiB-h = P / M)
 *     CPU    = P x C x cpuToRAM / M ($/vCPU-h = RAM rate x cpuToRAM)
 *     GPU    = P x G x gpuToRAM / M
 *
 * This gives the three integer weights, the terms of M multiplied by
 * 4237 x 1000 x 2^20 so that millicores, bytes and milli-GPUs stay
 * integers: cpu_m x 31611 x 2^20, floor(mem_b x 4237000 / 2^10) and
 * gpu_m x 950000 x 2^20, which ct_k8s_apportion() turns into three
 * amounts summing exactly to P.
 *
 * @param cpu_m  capacity in millicores; mem_b in bytes; gpu_m milli-GPUs
 *               (physical GPUs x 1000). Each at least 0 and at most 10^8,
 *               2^50 and 10^6 (larger values are clamped).
 * @param w      out: CPU, RAM, GPU weights.
 */
void ct_k8s_split_weights(int64_t cpu_m, int64_t mem_b, int64_t gpu_m,
			  uint64_t w[3]);

/**
 * RULE: k8s.apportion -- split total among n buckets in proportion to
 * their weights by the largest remainder method: bucket i first gets
 * floor(total x w[i] / W) (W = the sum of the weights, computed exactly
 * in 128 bits), then the nano-dollars left over go one each to the
 * buckets with the largest remainders, the lower index first on a tie.
 * The amounts sum exactly to total, and the same input always gives the
 * same split. When W is 0 every bucket gets 0 and false is returned (the
 * caller decides where total goes). Weights whose sum would overflow are
 * halved together until it does not.
 *
 * @param total  at least 0.
 * @param out    n amounts (caller-owned).
 * @return true when total was apportioned.
 */
bool ct_k8s_apportion(ct_money total, const uint64_t *w, size_t n,
		      ct_money *out);

/**
 * floor(a x b / c) and the remainder, computed exactly (a 128-bit
 * product, long division). c must not be 0.
 *
 * @return false when the quotient does not fit 64 bits (*q, *r unset).
 */
bool ct_k8s_muldiv(uint64_t a, uint64_t b, uint64_t c, uint64_t *q,
		   uint64_t *r);

#endif
