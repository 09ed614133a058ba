/*
 * money.c - parsing and formatting of money (int64 nano-dollars) and of
 * plain decimal quantities.
 *
 * The money parser is exact: it reads the decimal digits itself instead of
 * going through strtod, so "0.1" is exactly 100000000 nano-dollars. It is
 * also fast, since every billing line carries several amounts. Pure: no
 * I/O, no globals.
 */
#include "ct.h"
#include "money.h"

#include <float.h>
#include <math.h>

/* Power of ten table up to 10^18. */
static const int64_t pow10_tab[19] = {
	INT64_C(1),
	INT64_C(10),
	INT64_C(100),
	INT64_C(1000),
	INT64_C(10000),
	INT64_C(100000),
	INT64_C(1000000),
	INT64_C(10000000),
	INT64_C(100000000),
	INT64_C(1000000000),
	INT64_C(10000000000),
	INT64_C(100000000000),
	INT64_C(1000000000000),
	INT64_C(10000000000000),
	INT64_C(100000000000000),
	INT64_C(1000000000000000),
	INT64_C(10000000000000000),
	INT64_C(100000000000000000),
	INT64_C(1000000000000000000),
};

int ct_money_parse(const char *s, size_t len, ct_money *out)
{
	const char *p = s, *end = s + len;
	bool neg = false;
	/* Significant digits kept as an integer mantissa with a decimal
	 * exponent: value = mant * 10^exp. We keep at most 18 digits and
	 * remember whether anything non-zero was dropped (for rounding). */
	uint64_t mant = 0;
	int ndig = 0;    /* significant digits in mant */
	int exp10 = 0;   /* decimal exponent applied to mant */
	int first_dropped = -1; /* first digit dropped, -1 none */
	bool more_dropped = false;
	bool any = false;
	long e = 0;

	if (p == end)
		return CT_E_INPUT;
	if (*p == '-' || *p == '+') {
		neg = *p == '-';
		p++;
	}
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		any = true;
		if (ndig < 18) {
			if (mant || *p != '0') {
				mant = mant * 10 + (uint64_t)(*p - '0');
				ndig++;
			}
		} else {
			exp10++;
			if (first_dropped < 0)
				first_dropped = *p - '0';
			else if (*p != '0')
				more_dropped = true;
		}
	}
	if (p < end && *p == '.') {
		p++;
		for (; p < end && *p >= '0' && *p <= '9'; p++) {
			any = true;
			if (ndig < 18) {
				if (mant || *p != '0') {
					mant = mant * 10 + (uint64_t)(*p - '0');
					ndig++;
				}
				exp10--;
			} else {
				if (first_dropped < 0)
					first_dropped = *p - '0';
				else if (*p != '0')
					more_dropped = true;
			}
		}
	}
	if (!any)
		return CT_E_INPUT;
	if (p < end && (*p == 'e' || *p == 'E')) {
		bool eneg = false;
		bool edig = false;
		p++;
		if (p < end && (*p == '-' || *p == '+')) {
			eneg = *p == '-';
			p++;
		}
		for (; p < end && *p >= '0' && *p <= '9'; p++) {
			edig = true;
			if (e < 100000)
				e = e * 10 + (*p - '0');
		}
		if (!edig)
			return CT_E_INPUT;
		exp10 += (int)(eneg ? -e : e);
	}
	if (p != end)
		return CT_E_INPUT;

	/* value in nano-dollars = mant * 10^(exp10 + 9) */
	int shift = exp10 + 9;
	int64_t v;
	if (mant == 0) {
		v = 0;
	} else if (shift >= 0) {
		if (shift > 18 || mant > (uint64_t)CT_MONEY_MAX_ABS / (uint64_t)pow10_tab[shift])
			return CT_E_INPUT;
		v = (int64_t)mant * pow10_tab[shift];
		if (v > CT_MONEY_MAX_ABS)
			return CT_E_INPUT;
	} else {
		int d = -shift;
		if (d > 18) {
			/* smaller than half a nano-dollar unless d == 19 and
			 * mant rounds up; mant < 10^18 so mant/10^19 < 0.1 */
			v = 0;
		} else {
			uint64_t q = mant / (uint64_t)pow10_tab[d];
			uint64_t r = mant % (uint64_t)pow10_tab[d];
			uint64_t half = (uint64_t)pow10_tab[d] / 2;
			if (r >= half) /* half away from zero */
				q++;
			v = (int64_t)q;
		}
	}
	/* Digits dropped beyond 18 significant ones lie far below the
	 * nano-dollar for any value under the cap, so they cannot change the
	 * rounding except in the exact-half case, where they only confirm
	 * rounding away from zero. */
	(void)first_dropped;
	(void)more_dropped;
	*out = neg ? -v : v;
	return CT_OK;
}

char *ct_money_format(ct_money m, int places, bool grouping, char *buf,
		      size_t len)
{
	char digits[32];
	char tmp[64];
	bool neg = m < 0;
	uint64_t a = neg ? (uint64_t)0 - (uint64_t)m : (uint64_t)m;
	uint64_t unit;
	uint64_t ip, fp;
	size_t n = 0;
	int i;

	if (places < 0)
		places = 0;
	if (places > 9)
		places = 9;
	unit = (uint64_t)pow10_tab[9 - places];
	/* round half away from zero to the requested places */
	a = (a + unit / 2) / unit;
	ip = a / (uint64_t)pow10_tab[places];
	fp = a % (uint64_t)pow10_tab[places];
	if (a == 0)
		neg = false;

	snprintf(digits, sizeof(digits), "%llu", (unsigned long long)ip);
	if (neg)
		tmp[n++] = '-';
	size_t dl = strlen(digits);
	for (size_t k = 0; k < dl; k++) {
		tmp[n++] = digits[k];
		size_t left = dl - k - 1;
		if (grouping && left > 0 && left % 3 == 0)
			tmp[n++] = ',';
	}
	if (places > 0) {
		tmp[n++] = '.';
		for (i = places - 1; i >= 0; i--) {
			tmp[n + (size_t)i] = (char)('0' + fp % 10);
			fp /= 10;
		}
		n += (size_t)places;
	}
	tmp[n] = '\0';
	snprintf(buf, len, "%s", tmp);
	return buf;
}

double ct_money_to_double(ct_money m)
{
	return (double)m / 1e9;
}

/* Powers of ten that are exact doubles. */
static const double exact_pow10[23] = {
	1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/*
 * Clinger's fast path: plain decimal text ([+-]digits[.digits][e[+-]digits])
 * whose significant digits form an integer m <= 2^53 and whose decimal
 * exponent k has |k| <= 22 is m * 10^k or m / 10^-k: both operands are
 * exact doubles, so the one IEEE operation rounds correctly, exactly as
 * strtod does. Returns false for anything else (strtod decides then).
 */
static bool num_fast(const char *s, size_t len, double *out)
{
	const char *p = s, *end = s + len;
	uint64_t m = 0;
	long k = 0, e = 0;
	bool neg = false, any = false, eneg = false;
	double v;

	if (FLT_EVAL_METHOD != 0)
		return false; /* extended precision would round twice */
	if (p < end && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	for (; p < end && *p >= '0' && *p <= '9'; p++, any = true) {
		if (m > (UINT64_C(1) << 53) / 10)
			return false;
		m = m * 10 + (uint64_t)(*p - '0');
	}
	if (p < end && *p == '.') {
		for (p++; p < end && *p >= '0' && *p <= '9'; p++, any = true) {
			if (m > (UINT64_C(1) << 53) / 10)
				return false;
			m = m * 10 + (uint64_t)(*p - '0');
			k--;
		}
	}
	if (!any)
		return false;
	if (p < end && (*p == 'e' || *p == 'E')) {
		if (++p < end && (*p == '-' || *p == '+'))
			eneg = *p++ == '-';
		if (p == end)
			return false;
		for (; p < end && *p >= '0' && *p <= '9'; p++)
			if ((e = e * 10 + (*p - '0')) > 1000)
				return false;
		k += eneg ? -e : e;
	}
	if (p != end || m > (UINT64_C(1) << 53))
		return false;
	if (m == 0) {
		*out = 0.0; /* -0 becomes 0 */
		return true;
	}
	if (k < -22 || k > 22)
		return false;
	v = k < 0 ? (double)m / exact_pow10[-k] : (double)m * exact_pow10[k];
	*out = neg ? -v : v;
	return true;
}

int ct_num_parse(const char *s, size_t len, double *out)
{
	char tmp[128];
	char *end;
	double v;
	size_t i;

	if (len == 0 || len >= sizeof(tmp))
		return CT_E_INPUT;
	for (i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || c == '.' || c == '-' ||
		      c == '+' || c == 'e' || c == 'E'))
			return CT_E_INPUT; /* rejects nan, inf, hex, blanks */
	}
	if (num_fast(s, len, out))
		return CT_OK;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	v = strtod(tmp, &end);
	if (end != tmp + len || !isfinite(v))
		return CT_E_INPUT;
	*out = v == 0 ? 0.0 : v; /* -0 becomes 0 */
	return CT_OK;
}

int ct_rate_parse(const char *s, size_t len, ct_rate *out)
{
	ct_money nanos;
	int rc;

	/* Parse a thousand times the value as money: nano-dollars of 1000
	 * units are pico-dollars of one. Shift the decimal point by hand so
	 * no precision is lost on the way. */
	char buf[128];
	size_t n = 0, i = 0;
	bool dot = false;
	int moved = 0;

	if (len == 0 || len > 100)
		return CT_E_INPUT;
	for (i = 0; i < len; i++) {
		char c = s[i];
		if (c == 'e' || c == 'E')
			break;
		if (c == '.') {
			if (dot)
				return CT_E_INPUT;
			dot = true;
			continue;
		}
		buf[n++] = c;
		if (dot)
			moved--;
	}
	/* value = digits x 10^moved x 10^exp; we want value x 1000 */
	moved += 3;
	if (i < len) {
		/* keep the exponent: rebuild as digits "e" (exp + moved) */
		char *end;
		char etxt[32];
		long e;
		size_t el = len - i - 1;
		if (el == 0 || el >= sizeof(etxt))
			return CT_E_INPUT;
		memcpy(etxt, s + i + 1, el);
		etxt[el] = '\0';
		e = strtol(etxt, &end, 10);
		if (*end || e > 1000 || e < -1000)
			return CT_E_INPUT;
		moved += (int)e;
	}
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "e%d", moved);
	rc = ct_money_parse(buf, n, &nanos);
	if (rc != CT_OK)
		return rc;
	*out = nanos;
	return CT_OK;
}

ct_money ct_money_of_rate(ct_rate r, double qty)
{
	long double v = (long double)r * (long double)qty / 1000.0L;

	/* saturate instead of overflowing: callers treat the cap as "too
	 * large to price" */
	if (!(v < (long double)CT_MONEY_MAX_ABS))
		return CT_MONEY_MAX_ABS;
	if (!(v > -(long double)CT_MONEY_MAX_ABS))
		return -CT_MONEY_MAX_ABS;
	return (ct_money)llroundl(v);
}

char *ct_rate_format(ct_rate r, char *buf, size_t len)
{
	char tmp[64];
	bool neg = r < 0;
	uint64_t a = neg ? (uint64_t)0 - (uint64_t)r : (uint64_t)r;
	uint64_t ip = a / (uint64_t)CT_RATE_UNIT, fp = a % (uint64_t)CT_RATE_UNIT;
	int places = 12;
	char frac[13];

	for (int i = 11; i >= 0; i--) {
		frac[i] = (char)('0' + fp % 10);
		fp /= 10;
	}
	frac[12] = '\0';
	while (places > 4 && frac[places - 1] == '0')
		places--;
	frac[places] = '\0';
	snprintf(tmp, sizeof(tmp), "%s%llu.%s", neg ? "-" : "",
		 (unsigned long long)ip, frac);
	snprintf(buf, len, "%s", tmp);
	return buf;
}
