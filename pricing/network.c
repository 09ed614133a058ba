/*
 * network.c - transfer and network formulas (see network.h).
 */
#include "ct.h"
#include "network.h"
#include "tiers.h"

int ct_network_egress(const struct ct_catalog *cat, const char *region,
		      double gb, struct ct_cost *out, struct ct_err *err)
{
	ct_cost_init(out);
	return ct_tiers_line(cat, out, "data transfer out to the internet",
			     "transfer", region, "internet-out", "out", gb, 0, err);
}

int ct_network_inter_az(const struct ct_catalog *cat, const char *region,
			double gb, struct ct_cost *out, struct ct_err *err)
{
	ct_cost_init(out);
	return ct_tiers_line(cat, out, "inter-AZ transfer (out and in)",
			     "transfer", region, "inter-az", "out", gb * 2, 0, err);
}

int ct_network_inter_region(const struct ct_catalog *cat, const char *region,
			    double gb, struct ct_cost *out, struct ct_err *err)
{
	ct_cost_init(out);
	return ct_tiers_line(cat, out, "inter-region transfer", "transfer",
			     region, "inter-region", "out", gb, 0, err);
}

int ct_network_nat(const struct ct_catalog *cat, const char *region,
		   double count, double gb, struct ct_cost *out,
		   struct ct_err *err)
{
	int rc;

	ct_cost_init(out);
	rc = ct_tiers_line(cat, out, "NAT gateway hours", "natgw", region,
			   "nat-gateway", "hour",
			   CT_HOURS_PER_MONTH * (count > 0 ? count : 1), 0, err);
	if (rc == CT_OK)
		rc = ct_tiers_line(cat, out, "data processed", "natgw", region,
				   "nat-gateway", "data", gb, 0, err);
	return rc;
}

int ct_network_lb(const struct ct_catalog *cat, const char *region,
		  const char *type, double count, double lcu, double gb,
		  struct ct_cost *out, struct ct_err *err)
{
	double n = count > 0 ? count : 1;
	int rc;

	ct_cost_init(out);
	rc = ct_tiers_line(cat, out, "load balancer hours", "elb", region, type,
			   "hour", CT_HOURS_PER_MONTH * n, 0, err);
	if (rc == CT_OK && lcu > 0 && strcmp(type, "clb") != 0)
		rc = ct_tiers_line(cat, out, "capacity units", "elb", region, type,
				   "lcu", lcu * CT_HOURS_PER_MONTH * n, 0, err);
	if (rc == CT_OK && gb > 0 && !strcmp(type, "clb"))
		rc = ct_tiers_line(cat, out, "data processed", "elb", region, type,
				   "data", gb, 0, err);
	return rc;
}

int ct_network_ipv4(const struct ct_catalog *cat, const char *region,
		    double count, struct ct_cost *out, struct ct_err *err)
{
	ct_cost_init(out);
	return ct_tiers_line(cat, out, "public IPv4 address hours", "eip", region,
			     "public-ipv4", "hour",
			     CT_HOURS_PER_MONTH * (count > 0 ? count : 1), 0, err);
}
