/*
 * money.h - the one money representation: ct_money, int64 nano-dollars.
 *
 * Why integers: sums are exact and order-independent, so the same month
 * gives the same totals whatever order lines arrive in, and every figure
 * agrees with an independent decimal computation to the cent. 10^-9 keeps
 * sub-cent line costs (per-request prices) and allows sums up to about
 * $9.2 billion. Billing files carry up to 10+ decimals; parsing rounds
 * half away from zero to the nano-dollar, an error of at most 5e-10 per
 * line. Rounding to cents happens only when rendering for people.
 */
#ifndef CT_SRC_MONEY_H
#define CT_SRC_MONEY_H

#include "ct.h"

#define CT_MONEY_UNIT INT64_C(1000000000) /* nano-dollars per dollar */
#define CT_MONEY_MAX_ABS INT64_C(999999999999999999) /* ~$1e9, parse cap */

/**
 * Parse a decimal number ("12.5", "-0.0000004", "1.5E-7", "3e2") into
 * nano-dollars. Leading/trailing blanks are not accepted; an empty string
 * is not a number.
 *
 * @return CT_OK, or CT_E_INPUT for text that is not a finite decimal
 *         number, or whose magnitude exceeds CT_MONEY_MAX_ABS.
 */
int ct_money_parse(const char *s, size_t len, ct_money *out);

/**
 * Format m with the given number of decimals (0..9), rounding half away
 * from zero, '.' as separator; grouping adds ',' every three digits.
 *
 * @return buf.
 */
char *ct_money_format(ct_money m, int places, bool grouping, char *buf,
		      size_t len);

/* m in dollars as a double, for JSON and ratios. */
double ct_money_to_double(ct_money m);

/* Parse a finite decimal number into a double (quantities, unit prices).
 * @return CT_OK or CT_E_INPUT (not a number, NaN, infinite, overflow). */
int ct_num_parse(const char *s, size_t len, double *out);

#endif
