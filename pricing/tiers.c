/*
 * tiers.c - a tiered catalog rate as a cost line (see tiers.h).
 */
#include "ct.h"
#include "tiers.h"
#include "catalog.h"

#include <math.h>

int ct_tiers_line(const struct ct_catalog *cat, struct ct_cost *out,
		  const char *name, const char *service, const char *region,
		  const char *product, const char *variant, double qty,
		  double from, struct ct_err *err)
{
	struct ct_price_query q = {0};
	const struct ct_price *rows;
	size_t n, first = 0;
	int rc;

	q.service = service;
	q.region = region;
	q.product = product;
	q.variant = variant;
	q.term = "ondemand";
	rc = ct_catalog_find(cat, &q, &rows, &n, err);
	if (rc != CT_OK)
		return rc;
	/* Leading free tiers (a baseline or an allowance) are not shown as
	 * quantity: the line says what is billed, at the first rate that
	 * charges anything. */
	double free_upto = 0, start = from, billed;
	while (first < n && rows[first].price == 0 && !isinf(rows[first].tier_end)) {
		free_upto = rows[first].tier_end;
		first++;
	}
	if (first == n)
		first = n - 1;
	if (free_upto > start)
		start = free_upto;
	billed = from + qty > start ? from + qty - start : 0;
	while (first + 1 < n && rows[first].tier_end <= start)
		first++;
	ct_cost_add(out, name, billed, rows[0].unit, rows[first].price,
		    ct_catalog_tiered(rows, n, qty, from));
	if (!out->source) {
		out->source = rows[0].source;
		out->as_of = rows[0].as_of;
	}
	return CT_OK;
}
