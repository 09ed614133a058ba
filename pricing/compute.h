/*
 * compute.h - EC2 instance cost: on-demand, spot, reserved and savings
 * plans, with reserved prices amortized (upfront / term hours + hourly) so
 * an all-upfront reservation is never $0 a month.
 */
#ifndef CT_PRICING_COMPUTE_H
#define CT_PRICING_COMPUTE_H

#include "ct.h"
#include "cost.h"

struct ct_catalog;

enum ct_purchase {
	CT_BUY_ONDEMAND,
	CT_BUY_SPOT,
	CT_BUY_RESERVED,
	CT_BUY_SAVINGSPLAN,
};

struct ct_ec2_spec {
	const char *region;   /* "us-east-1" */
	const char *type;     /* "m5.large" */
	const char *os;       /* linux (default), windows, rhel, suse */
	const char *tenancy;  /* shared (default), dedicated, host */
	enum ct_purchase buy;
	const char *offering; /* reserved: standard (default) | convertible;
				 savingsplan: compute (default) | ec2instance */
	int years;            /* 1 or 3 (reserved, savings plans) */
	const char *payment;  /* no (default), partial, all */
	double count;         /* instances, 1 when 0 */
	double hours;         /* per month, 730 when 0 */
};

/**
 * Price EC2 instances for a month.
 *
 * @param out  the cost: one line of instance hours at the effective hourly
 *             rate; upfront is the whole upfront fee of the reservations;
 *             hourly is the effective rate per instance.
 * @return CT_OK, CT_E_NOPRICE naming the unknown type/region/OS/term, or
 *         CT_E_USAGE for an impossible spec (reserved without a term).
 */
int ct_compute_ec2(const struct ct_catalog *cat, const struct ct_ec2_spec *s,
		   struct ct_cost *out, struct ct_err *err);

/* Parse "ondemand", "spot", "reserved", "savingsplan". @return CT_E_USAGE. */
int ct_compute_purchase_parse(const char *s, enum ct_purchase *out);

#endif
