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

/* Unit prices: int64 pico-dollars per unit (1 USD = 10^12), so published
 * rates like $0.0000166667 per GB-second are exact. */
typedef int64_t ct_rate;
#define CT_RATE_UNIT INT64_C(1000000000000)

/**
 * Parse a decimal unit price ("0.0960000000", "0.0000166667", "2.5E-7")
 * exactly into pico-dollars; digits past the 12th decimal round half away
 * from zero.
 *
 * @return CT_OK, or CT_E_INPUT (not a finite number, or above $9,000,000
 *         per unit).
 */
int ct_rate_parse(const char *s, size_t len, ct_rate *out);

/* rate x quantity in nano-dollars, computed in long double and rounded
 * once, half away from zero; saturates at +/-CT_MONEY_MAX_ABS (and NaN
 * gives the cap), which callers treat as too large to price. */
ct_money ct_money_of_rate(ct_rate r, double qty);

/* A rate as a decimal string with up to 12 places, trailing zeros after
 * the 4th place trimmed ("0.0960", "0.0000166667"). @return buf. */
char *ct_rate_format(ct_rate r, char *buf, size_t len);

/* m in dollars as a double, for JSON and ratios. */
double ct_money_to_double(ct_money m);

/* Parse a finite decimal number into a double (quantities, unit prices).
 * @return CT_OK or CT_E_INPUT (not a number, NaN, infinite, overflow). */
int ct_num_parse(const char *s, size_t len, double *out);

#endif
