/*
 * cost.h - what a formula returns: a monthly cost made of named lines
 * (quantity x rate), an upfront fee, and where the main rate came from.
 * Shared by every formula file in pricing/. Pure data, no I/O.
 */
#ifndef CT_PRICING_COST_H
#define CT_PRICING_COST_H

#include "ct.h"
#include "money.h"

#define CT_HOURS_PER_MONTH 730.0 /* the industry convention for estimates */
#define CT_HOURS_PER_YEAR 8760.0

struct ct_cost_line {
	char name[64];    /* "instance hours", "IOPS above 3,000" */
	double qty;       /* units per month */
	char unit[24];    /* hour, GB-month ... */
	ct_rate rate;     /* per unit; the first charged tier's when tiered */
	ct_money monthly; /* this line's monthly cost */
};

struct ct_cost {
	ct_money monthly; /* sum of the lines */
	ct_money upfront; /* one-time fees (reserved, savings plans) */
	ct_rate hourly;   /* effective hourly rate per unit (compute), else 0 */
	struct ct_cost_line line[16];
	size_t nlines;
	bool estimated;     /* a ratio or an estimate was used */
	const char *source; /* of the main rate (borrowed from the catalog) */
	const char *as_of;
	char note[256];     /* for the user: defaults applied, estimates */
};

/* Start an empty cost. */
void ct_cost_init(struct ct_cost *c);
/* Add a line (qty units at rate making monthly) and add to the total. */
void ct_cost_add(struct ct_cost *c, const char *name, double qty,
		 const char *unit, ct_rate rate, ct_money monthly);
/* Add all of other's lines, monthly and upfront, prefixing names. */
void ct_cost_merge(struct ct_cost *c, const struct ct_cost *other,
		   const char *prefix);
/* Append a sentence to the note. */
void ct_cost_note(struct ct_cost *c, const char *fmt, ...) CT_PRINTF(2, 3);

#endif
