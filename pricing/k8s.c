/*
 * k8s.c - Kubernetes formulas (see k8s.h): the cluster formula built from
 * the compute, storage and network formulas, node rates, the control plane
 * fee, storage classes to EBS types, and the exact integer arithmetic of
 * the node split and the apportionment (64 x 64 -> 128-bit products and
 * long division in portable C, no __int128). Depends on the catalog; no
 * I/O.
 */
#include "ct.h"
#include "k8s.h"
#include "catalog.h"
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

int ct_k8s_node_rate(const struct ct_catalog *cat, const char *region,
		     const char *type, const char *os, bool spot, ct_rate *hourly,
		     const char **band, struct ct_err *err)
{
	struct ct_price_query q = {0};
	const struct ct_price *rows;
	struct ct_err e2;
	char variant[64];
	size_t n;
	int rc;

	if (!region || !*region || !type || !*type)
		return ct_err_set(err, CT_E_NOPRICE, NULL, 0, "no %s",
				  !type || !*type ? "instance type" : "region");
	snprintf(variant, sizeof(variant), "%s/shared", os && *os ? os : "linux");
	q.service = "ec2";
	q.region = region;
	q.product = type;
	q.variant = variant;
	q.term = "spot";
	if (band)
		*band = NULL;
	/* the band is looked up for on-demand nodes too (spot projection) */
	rc = ct_catalog_find(cat, &q, &rows, &n, spot ? err : &e2);
	if (rc == CT_OK) {
		if (band)
			*band = rows[0].note && *rows[0].note ? rows[0].note : NULL;
		if (spot) {
			*hourly = rows[0].price;
			return CT_OK;
		}
	} else if (spot) {
		return rc;
	}
	q.term = "ondemand";
	rc = ct_catalog_find(cat, &q, &rows, &n, err);
	if (rc != CT_OK)
		return rc;
	*hourly = rows[0].price;
	return CT_OK;
}

int ct_k8s_control_plane(const struct ct_catalog *cat, const char *region,
			 bool extended, ct_money *monthly, bool *fallback,
			 struct ct_err *err)
{
	struct ct_cost c;
	struct ct_err e2;
	int rc;

	*fallback = false;
	if (!region || !*region)
		return ct_err_set(err, CT_E_NOPRICE, NULL, 0,
				  "no region for the EKS control plane");
	ct_cost_init(&c);
	rc = ct_tiers_line(cat, &c, "EKS control plane", "eks", region, "cluster",
			   extended ? "extended" : "standard", CT_HOURS_PER_MONTH, 0, &e2);
	if (rc == CT_E_NOPRICE && region && strncmp(region, "cn-", 3) != 0) {
		ct_cost_init(&c);
		rc = ct_tiers_line(cat, &c, "EKS control plane", "eks", "us-east-1",
				   "cluster", extended ? "extended" : "standard",
				   CT_HOURS_PER_MONTH, 0, err);
		*fallback = rc == CT_OK;
	} else if (rc != CT_OK && err) {
		*err = e2;
	}
	if (rc != CT_OK)
		return rc;
	*monthly = c.monthly;
	return CT_OK;
}

/* An EBS type named by s (case-insensitive), as a static string. */
static const char *ebs_name(const char *s, size_t len)
{
	static const char *const types[] = {"gp2", "gp3", "io1", "io2", "st1", "sc1", "standard"};

	for (size_t i = 0; i < CT_NELEM(types); i++) {
		size_t n = strlen(types[i]);
		if (len != n)
			continue;
		size_t k = 0;
		while (k < n && (s[k] | 0x20) == types[i][k])
			k++;
		if (k == n)
			return types[i];
	}
	return NULL;
}

const char *ct_k8s_ebs_type(const char *provisioner, const char *type,
			    const char *class_name)
{
	bool csi = provisioner && !strcmp(provisioner, "ebs.csi.aws.com");
	bool intree = provisioner && !strcmp(provisioner, "kubernetes.io/aws-ebs");
	const char *t;

	if (type && (t = ebs_name(type, strlen(type))) != NULL)
		return t;
	if (csi)
		return "gp3"; /* the driver's default type */
	if (intree)
		return "gp2"; /* the in-tree plugin's default type */
	if (provisioner && *provisioner)
		return NULL; /* a known class of something else: EFS, local ... */
	/* no class object: a type word in the class name ("ebs-gp3-enc") */
	for (const char *p = class_name; p && *p;) {
		size_t n = strcspn(p, "-_.");
		if ((t = ebs_name(p, n)) != NULL && strcmp(t, "standard") != 0)
			return t;
		p += n;
		if (*p)
			p++;
	}
	return NULL;
}

/* a x b as a 128-bit number (hi, lo), from 32-bit halves. */
static void mul64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
	uint64_t al = a & 0xFFFFFFFFu, ah = a >> 32, bl = b & 0xFFFFFFFFu, bh = b >> 32;
	uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
	uint64_t mid = (ll >> 32) + (lh & 0xFFFFFFFFu) + (hl & 0xFFFFFFFFu);

	*lo = (mid << 32) | (ll & 0xFFFFFFFFu);
	*hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

bool ct_k8s_muldiv(uint64_t a, uint64_t b, uint64_t c, uint64_t *q,
		   uint64_t *r)
{
	uint64_t hi, lo, rem = 0, quo = 0;

	mul64(a, b, &hi, &lo);
	if (hi == 0) {
		*q = lo / c;
		*r = lo % c;
		return true;
	}
	if (hi >= c)
		return false; /* the quotient needs more than 64 bits */
	/* long division, one bit at a time; rem < c throughout, and a bit
	 * shifted out of rem means rem is already past c */
	rem = hi;
	for (int i = 63; i >= 0; i--) {
		bool carry = rem >> 63;
		rem = (rem << 1) | ((lo >> i) & 1);
		quo <<= 1;
		if (carry || rem >= c) {
			rem -= c;
			quo |= 1;
		}
	}
	*q = quo;
	*r = rem;
	return true;
}

void ct_k8s_split_weights(int64_t cpu_m, int64_t mem_b, int64_t gpu_m,
			  uint64_t w[3])
{
	uint64_t c = cpu_m < 0 ? 0 : cpu_m > 100000000 ? 100000000 : (uint64_t)cpu_m;
	uint64_t m = mem_b < 0 ? 0 : mem_b > ((int64_t)1 << 50) ? (uint64_t)1 << 50 : (uint64_t)mem_b;
	uint64_t g = gpu_m < 0 ? 0 : gpu_m > 1000000 ? 1000000 : (uint64_t)gpu_m;

	w[0] = c * 31611u * ((uint64_t)1 << 20);
	w[1] = m / 1024 * 4237000u + m % 1024 * 4237000u / 1024;
	w[2] = g * 950000u * ((uint64_t)1 << 20);
}

/* One bucket's remainder, for the largest remainder order. */
struct rem {
	uint64_t r;
	size_t i;
};

static int rem_cmp(const void *a, const void *b)
{
	const struct rem *x = a, *y = b;

	if (x->r != y->r)
		return x->r > y->r ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

bool ct_k8s_apportion(ct_money total, const uint64_t *w, size_t n,
		      ct_money *out)
{
	uint64_t sum = 0, given = 0;
	unsigned shift = 0;
	struct rem *rs;
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = 0;
	for (;;) { /* the sum of the weights, halving them all if it overflows */
		bool over = false;
		sum = 0;
		for (i = 0; i < n && !over; i++) {
			uint64_t v = w[i] >> shift;
			over = v > UINT64_MAX - sum;
			sum += v;
		}
		if (!over)
			break;
		shift++;
	}
	if (sum == 0 || total <= 0)
		return sum != 0;
	rs = ct_xmalloc(n * sizeof(*rs));
	for (i = 0; i < n; i++) {
		uint64_t q, r;
		/* q <= total because w <= sum: always fits */
		ct_k8s_muldiv((uint64_t)total, w[i] >> shift, sum, &q, &r);
		out[i] = (ct_money)q;
		given += q;
		rs[i].r = r;
		rs[i].i = i;
	}
	/* fewer than n nano-dollars are left, one for each of the largest
	 * remainders */
	qsort(rs, n, sizeof(*rs), rem_cmp);
	for (i = 0; given < (uint64_t)total && i < n; i++, given++)
		out[rs[i].i]++;
	free(rs);
	return true;
}
