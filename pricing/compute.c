/*
 * compute.c - EC2 instance formulas (see compute.h).
 *
 * RULE: compute.amortized -- effective hourly = hourly + upfront / (years x
 * 8,760 h); the monthly cost is that rate x hours x count. Pure: catalog
 * lookups and arithmetic only.
 */
#include "ct.h"
#include "compute.h"
#include "catalog.h"

#include <math.h>

int ct_compute_purchase_parse(const char *s, enum ct_purchase *out)
{
	static const struct {
		const char *name;
		enum ct_purchase v;
	} names[] = {
		{"ondemand", CT_BUY_ONDEMAND}, {"on-demand", CT_BUY_ONDEMAND},
		{"spot", CT_BUY_SPOT}, {"reserved", CT_BUY_RESERVED},
		{"savingsplan", CT_BUY_SAVINGSPLAN}, {"savings-plan", CT_BUY_SAVINGSPLAN},
	};

	for (size_t i = 0; i < CT_NELEM(names); i++)
		if (!strcmp(s, names[i].name)) {
			*out = names[i].v;
			return CT_OK;
		}
	return CT_E_USAGE;
}

/* Effective hourly rate of a reservation: hourly + upfront / term hours. */
static ct_rate amortized(ct_rate hourly, ct_money upfront, int years)
{
	long double up_pico = (long double)upfront * 1000.0L;

	return hourly + (ct_rate)llroundl(up_pico / (years * CT_HOURS_PER_YEAR));
}

int ct_compute_ec2(const struct ct_catalog *cat, const struct ct_ec2_spec *s,
		   struct ct_cost *out, struct ct_err *err)
{
	char variant[64];
	struct ct_price_query q = {0};
	const struct ct_price *rows;
	size_t n;
	double count = s->count > 0 ? s->count : 1;
	double hours = s->hours > 0 ? s->hours : CT_HOURS_PER_MONTH;
	const char *payment = s->payment && *s->payment ? s->payment : "no";
	ct_rate rate;
	int rc;

	ct_cost_init(out);
	snprintf(variant, sizeof(variant), "%s/%s", s->os && *s->os ? s->os : "linux",
		 s->tenancy && *s->tenancy ? s->tenancy : "shared");
	q.service = "ec2";
	q.region = s->region;
	q.product = s->type;
	q.variant = variant;
	q.term = "ondemand";

	switch (s->buy) {
	case CT_BUY_ONDEMAND:
	case CT_BUY_SPOT:
		q.term = s->buy == CT_BUY_SPOT ? "spot" : "ondemand";
		rc = ct_catalog_find(cat, &q, &rows, &n, err);
		if (rc != CT_OK)
			return rc;
		rate = rows[0].price;
		if (s->buy == CT_BUY_SPOT) {
			out->estimated = true;
			ct_cost_note(out, "Spot price estimated from the Spot Instance "
				     "Advisor's average saving%s%s.",
				     rows[0].note ? "; interruption frequency " : "",
				     rows[0].note ? rows[0].note : "");
		}
		break;
	case CT_BUY_RESERVED:
	case CT_BUY_SAVINGSPLAN:
		if (s->years != 1 && s->years != 3)
			return ct_err_set(err, CT_E_USAGE, NULL, 0,
					  "a %s needs a term of 1 or 3 years",
					  s->buy == CT_BUY_RESERVED ? "reservation" : "savings plan");
		q.term = s->buy == CT_BUY_RESERVED ? "reserved" : "savingsplan";
		q.offering = s->offering && *s->offering ? s->offering :
			     s->buy == CT_BUY_RESERVED ? "standard" : "compute";
		q.years = s->years;
		q.payment = payment;
		rc = ct_catalog_find(cat, &q, &rows, &n, err);
		if (rc == CT_OK && strcmp(payment, "no") != 0 && !rows[0].has_upfront) {
			/* Some sources publish only the effective hourly rate
			 * of a partial/all upfront term (upfront already spread
			 * over the term). The price-list loader drops terms
			 * whose fee is missing, so such a row is that rate. */
			rate = rows[0].price;
			ct_cost_note(out, "The source gives only the effective hourly "
				     "rate of this term; the upfront fee is not known "
				     "separately.");
			break;
		}
		if (rc == CT_OK) {
			rate = amortized(rows[0].price, rows[0].upfront, s->years);
			out->upfront = ct_money_of_rate(
				(ct_rate)(rows[0].upfront * 1000), count);
			break;
		}
		if (rc != CT_E_NOPRICE || s->buy != CT_BUY_RESERVED)
			return rc;
		/* RULE: compute.ri-ratio -- no published term for this type:
		 * effective hourly = on-demand x the documented ratio */
		{
			double ratio, share;
			const char *src;
			struct ct_err e2;
			if (!ct_catalog_ri_ratio(cat, q.offering, s->years, payment,
						 &ratio, &share, &src))
				return rc; /* err already names the missing term */
			q.term = "ondemand";
			q.offering = NULL;
			q.years = 0;
			q.payment = NULL;
			if (ct_catalog_find(cat, &q, &rows, &n, &e2) != CT_OK) {
				if (err)
					*err = e2;
				return e2.code;
			}
			rate = (ct_rate)llroundl((long double)rows[0].price * ratio);
			out->upfront = ct_money_of_rate(rate, share * s->years *
							      CT_HOURS_PER_YEAR * count);
			out->estimated = true;
			ct_cost_note(out, "No published %s %d-year %s-upfront price for "
				     "%s: estimated as %.1f%% of on-demand (%s).",
				     q.offering ? q.offering : "standard", s->years,
				     payment, s->type, ratio * 100, src);
		}
		break;
	default:
		return ct_err_set(err, CT_E_INTERNAL, NULL, 0, "unknown purchase option");
	}
	out->hourly = rate;
	out->source = rows[0].source;
	out->as_of = rows[0].as_of;
	ct_cost_add(out, "instance hours", hours * count, "hour", rate,
		    ct_money_of_rate(rate, hours * count));
	return CT_OK;
}
