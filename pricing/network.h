/*
 * network.h - data transfer, NAT gateways, load balancers, public IPv4.
 */
#ifndef CT_PRICING_NETWORK_H
#define CT_PRICING_NETWORK_H

#include "ct.h"
#include "cost.h"

struct ct_catalog;

/* Internet egress: RULE: transfer.free-100 -- the first 100 GB a month
 * out to the internet are free (AWS, since December 2021; earlier 1 GB),
 * then 10 TB / 40 TB / 100 TB / over-150 TB tiers. The allowance is per
 * account across regions; this prices one region's volume as if it were
 * the account's only egress. */
int ct_network_egress(const struct ct_catalog *cat, const char *region,
		      double gb, struct ct_cost *out, struct ct_err *err);

/* Between availability zones: RULE: transfer.inter-az -- billed on both
 * sides, $0.01/GB out and $0.01/GB in, so gb moved costs 2 x gb x rate. */
int ct_network_inter_az(const struct ct_catalog *cat, const char *region,
			double gb, struct ct_cost *out, struct ct_err *err);

/* To another region (out of region, billed once at the source). */
int ct_network_inter_region(const struct ct_catalog *cat, const char *region,
			    double gb, struct ct_cost *out, struct ct_err *err);

/* NAT gateways: hours plus GB processed. */
int ct_network_nat(const struct ct_catalog *cat, const char *region,
		   double count, double gb, struct ct_cost *out,
		   struct ct_err *err);

/* Load balancers: type alb, nlb, clb or gwlb; lcu = average LCUs per hour
 * (NLCU for nlb); gb = data processed (clb). */
int ct_network_lb(const struct ct_catalog *cat, const char *region,
		  const char *type, double count, double lcu, double gb,
		  struct ct_cost *out, struct ct_err *err);

/* Public IPv4 addresses (Elastic IPs and others): $0.005 an hour each. */
int ct_network_ipv4(const struct ct_catalog *cat, const char *region,
		    double count, struct ct_cost *out, struct ct_err *err);

#endif
