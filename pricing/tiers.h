/*
 * tiers.h - one catalog key's tiered rate applied to a monthly quantity,
 * as a cost line. The building block of every formula file.
 */
#ifndef CT_PRICING_TIERS_H
#define CT_PRICING_TIERS_H

#include "ct.h"
#include "cost.h"

struct ct_catalog;

/**
 * Add a line to out: qty units of (service, region, product, variant,
 * ondemand) starting at quantity from (0, or a baseline to skip), over the
 * key's tiers. Sets out->source from the first rate used when unset.
 *
 * @return CT_OK or CT_E_NOPRICE.
 */
int ct_tiers_line(const struct ct_catalog *cat, struct ct_cost *out,
		  const char *name, const char *service, const char *region,
		  const char *product, const char *variant, double qty,
		  double from, struct ct_err *err);

#endif
