/*
 * clock.c - UTC civil time without the C library's time-zone machinery
 * (see clock.h). The day conversions are Howard Hinnant's well-known
 * days-from-civil algorithm, written out here from its description.
 */
#include "ct.h"
#include "clock.h"


int64_t ct_clock_days_from_civil(int y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void ct_clock_civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const int64_t yy = (int64_t)yoe + era * 400;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (*m <= 2));
}

int ct_clock_days_in_month(int y, unsigned m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12)
		return 0;
	return dim[m - 1] + (m == 2 && leap);
}

static bool digits(const char *s, size_t n, int *v)
{
	int x = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return true;
}

/* US-style M/D/YYYY or M/D/YY (spreadsheets, Azure exports): the date
 * part, setting *used to the bytes read. Two-digit years are 20YY. */
static bool slash_date(const char *s, size_t len, int *y, int *mo, int *d,
		       size_t *used)
{
	size_t p = 0, start;
	int v[3] = {0, 0, 0};

	for (int k = 0; k < 3; k++) {
		start = p;
		while (p < len && s[p] >= '0' && s[p] <= '9' && p - start < 4)
			v[k] = v[k] * 10 + (s[p++] - '0');
		if (p == start || (k < 2 && (p - start > 2 || p >= len || s[p] != '/')))
			return false;
		if (k == 2 && p - start != 2 && p - start != 4)
			return false;
		if (k == 2 && p - start == 2)
			v[2] += 2000;
		if (k < 2)
			p++;
	}
	*mo = v[0];
	*d = v[1];
	*y = v[2];
	*used = p;
	return true;
}

int ct_clock_parse(const char *s, size_t len, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, se = 0;
	size_t p;
	int64_t off = 0;

	if (len >= 10 && digits(s, 4, &y) && s[4] == '-' &&
	    digits(s + 5, 2, &mo) && s[7] == '-' && digits(s + 8, 2, &d))
		p = 10;
	else if (!slash_date(s, len, &y, &mo, &d, &p))
		return CT_E_INPUT;
	if (mo < 1 || mo > 12 || d < 1 || d > ct_clock_days_in_month(y, (unsigned)mo))
		return CT_E_INPUT;
	if (p < len && (s[p] == 'T' || s[p] == ' ')) {
		p++;
		if (p + 5 > len || !digits(s + p, 2, &h) || s[p + 2] != ':' ||
		    !digits(s + p + 3, 2, &mi))
			return CT_E_INPUT;
		p += 5;
		if (p < len && s[p] == ':') {
			if (p + 3 > len || !digits(s + p + 1, 2, &se))
				return CT_E_INPUT;
			p += 3;
			if (p < len && s[p] == '.') {
				p++;
				if (p >= len || s[p] < '0' || s[p] > '9')
					return CT_E_INPUT;
				while (p < len && s[p] >= '0' && s[p] <= '9')
					p++;
			}
		}
		/* Hours past 24 roll over into the next day: the FOCUS
		 * specification's own examples write 20:00-30:00 for a
		 * ten-hour period that ends at 06:00 the next day. */
		if (h > 47 || mi > 59 || se > 60)
			return CT_E_INPUT;
		if (p < len && s[p] == 'Z') {
			p++;
		} else if (p < len && (s[p] == '+' || s[p] == '-')) {
			int oh, om;
			int sign = s[p] == '-' ? -1 : 1;
			p++;
			if (p + 2 > len || !digits(s + p, 2, &oh))
				return CT_E_INPUT;
			p += 2;
			if (p < len && s[p] == ':')
				p++;
			if (p + 2 > len || !digits(s + p, 2, &om))
				return CT_E_INPUT;
			p += 2;
			off = sign * (oh * 3600 + om * 60);
		}
	} else if (p < len && s[p] == 'Z') {
		p++;
	}
	if (p != len)
		return CT_E_INPUT;
	*out = ct_clock_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	       h * 3600 + mi * 60 + se - off;
	return CT_OK;
}

int64_t ct_clock_now(void)
{
	const char *e = getenv("CLOUDTALLY_NOW");
	int64_t t;

	if (e && *e) {
		char *end;
		long long v = strtoll(e, &end, 10);
		if (*end == '\0')
			return v;
		if (ct_clock_parse(e, strlen(e), &t) == CT_OK)
			return t;
	}
	return (int64_t)time(NULL);
}

int64_t ct_clock_day(int64_t t)
{
	return t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
}

/* Write v as exactly w decimal digits (zero-padded, wrapped). */
static char *put_num(char *p, unsigned v, int w)
{
	for (int i = w - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + w;
}

void ct_clock_format_day(int64_t z, char out[11])
{
	int y;
	unsigned m, d;
	char *p = out;

	ct_clock_civil_from_days(z, &y, &m, &d);
	p = put_num(p, (unsigned)(y < 0 ? 0 : y), 4);
	*p++ = '-';
	p = put_num(p, m, 2);
	*p++ = '-';
	p = put_num(p, d, 2);
	*p = '\0';
}

void ct_clock_format_month(int64_t t, char out[8])
{
	char day[11];

	ct_clock_format_day(ct_clock_day(t), day);
	memcpy(out, day, 7);
	out[7] = '\0';
}

void ct_clock_format_iso(int64_t t, char out[21])
{
	int64_t z = ct_clock_day(t);
	unsigned s = (unsigned)(t - z * 86400);
	char *p = out + 10;

	ct_clock_format_day(z, out);
	*p++ = 'T';
	p = put_num(p, s / 3600, 2);
	*p++ = ':';
	p = put_num(p, s / 60 % 60, 2);
	*p++ = ':';
	p = put_num(p, s % 60, 2);
	*p++ = 'Z';
	*p = '\0';
}

int ct_clock_parse_month(const char *s, int *y, unsigned *m)
{
	int yy, mm;

	if (strlen(s) != 7 || !digits(s, 4, &yy) || s[4] != '-' ||
	    !digits(s + 5, 2, &mm) || mm < 1 || mm > 12)
		return CT_E_INPUT;
	*y = yy;
	*m = (unsigned)mm;
	return CT_OK;
}
