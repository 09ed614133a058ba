/*
 * render.c - rendering the monthly report: choosing the output format,
 * and the helpers every format shares (money, change and share texts for
 * people, saturating sums, UTF-8 decoding for the escapers).
 *
 * Depends on the report model (report.h) and money formatting (money.h).
 * Must not know SQL or build the model; it never writes anywhere but the
 * FILE * it is given.
 */
#include "ct.h"
#include "render.h"
#include "recommend.h"
#include "money.h"

#include <errno.h>
#include <math.h>

static const struct ct_render_name formats[] = {
	{"csv", CT_FMT_CSV},
	{"html", CT_FMT_HTML},
	{"json", CT_FMT_JSON},
	{"markdown", CT_FMT_MARKDOWN},
	{"md", CT_FMT_MARKDOWN},
	{"text", CT_FMT_TEXT},
};

int ct_render_name_lookup(const struct ct_render_name *tab, size_t n,
			  const char *name, int *value)
{
	for (size_t i = 0; name && i < n; i++) {
		if (!strcmp(name, tab[i].name)) {
			*value = tab[i].value;
			return CT_OK;
		}
	}
	return CT_E_USAGE;
}

int ct_report_format_parse(const char *name, enum ct_report_format *fmt)
{
	int v;

	if (ct_render_name_lookup(formats, CT_NELEM(formats), name, &v) != CT_OK)
		return CT_E_USAGE;
	*fmt = (enum ct_report_format)v;
	return CT_OK;
}

int ct_report_render(const struct ct_report *r, enum ct_report_format fmt,
		     FILE *out, struct ct_err *err)
{
	int e;

	switch (fmt) {
	case CT_FMT_TEXT:
		ct_render_text_report(r, out);
		break;
	case CT_FMT_MARKDOWN:
		ct_render_markdown_report(r, out);
		break;
	case CT_FMT_HTML:
		ct_render_html_report(r, out);
		break;
	case CT_FMT_JSON:
		ct_render_json_report(r, out);
		break;
	case CT_FMT_CSV:
		ct_render_csv_report(r, out);
		break;
	default:
		return ct_err_set(err, CT_E_INTERNAL, NULL, 0,
				  "unknown report format %d", (int)fmt);
	}
	errno = 0;
	if (fflush(out) != 0 || ferror(out)) {
		e = errno;
		return ct_err_set(err, CT_E_IO, NULL, 0,
				  "cannot write the report: %s",
				  e ? strerror(e) : "write error");
	}
	return CT_OK;
}

/* A currency code printed after amounts: 1 to 7 upper-case ASCII letters.
 * Anything else (it comes from billing files) is not printed at all. */
static bool plain_code(const char *c)
{
	size_t i;

	for (i = 0; c[i]; i++)
		if (c[i] < 'A' || c[i] > 'Z' || i >= 7)
			return false;
	return i > 0;
}

char *ct_render_money(ct_money m, const char *currency, char *buf,
		      size_t len)
{
	char num[40];

	ct_money_format(m, 2, true, num, sizeof(num));
	if (!currency || !*currency || strcmp(currency, "USD") == 0) {
		if (num[0] == '-')
			snprintf(buf, len, "-$%s", num + 1);
		else
			snprintf(buf, len, "$%s", num);
	} else if (plain_code(currency)) {
		snprintf(buf, len, "%s %s", num, currency);
	} else {
		snprintf(buf, len, "%s", num);
	}
	return buf;
}

/* Replace "+0.0..." / "-0.0..." (a value that rounds to zero) by "0.0...". */
static void drop_zero_sign(char *s)
{
	const char *p;

	if (s[0] != '+' && s[0] != '-')
		return;
	for (p = s + 1; *p; p++)
		if (*p >= '1' && *p <= '9')
			return;
	memmove(s, s + 1, strlen(s));
}

char *ct_render_pct(ct_money cur, ct_money prev, char *buf, size_t len)
{
	double p;

	if (prev == 0) {
		snprintf(buf, len, "n/a");
		return buf;
	}
	p = ((double)cur - (double)prev) / fabs((double)prev) * 100.0;
	snprintf(buf, len, "%+.1f%%", p);
	drop_zero_sign(buf);
	return buf;
}

char *ct_render_delta(ct_money cur, ct_money prev, const char *currency,
		      char *buf, size_t len)
{
	char m[CT_RENDER_MONEY_MAX];
	ct_money d = ct_render_sub(cur, prev);

	ct_render_money(d, currency, m, sizeof(m));
	/* ct_money_format() already drops the '-' of an amount that rounds
	 * to 0.00; give '+' only to amounts that round to a cent or more. */
	snprintf(buf, len, "%s%s", d >= CT_MONEY_UNIT / 200 ? "+" : "", m);
	return buf;
}

char *ct_render_change(ct_money cur, ct_money prev, bool has_prev,
		       const char *currency, char *buf, size_t len)
{
	char m[CT_RENDER_MONEY_MAX], p[CT_RENDER_PCT_MAX];

	if (!has_prev) {
		snprintf(buf, len, "n/a");
		return buf;
	}
	ct_render_delta(cur, prev, currency, m, sizeof(m));
	ct_render_pct(cur, prev, p, sizeof(p));
	snprintf(buf, len, "%s (%s)", m, p);
	return buf;
}

char *ct_render_share(ct_money part, ct_money total, char *buf, size_t len)
{
	if (total == 0) {
		snprintf(buf, len, "n/a");
		return buf;
	}
	snprintf(buf, len, "%.1f%%", (double)part / (double)total * 100.0);
	drop_zero_sign(buf);
	return buf;
}

char *ct_render_sigmas(double sigmas, char *buf, size_t len)
{
	if (!isfinite(sigmas) || fabs(sigmas) >= 1e6) {
		snprintf(buf, len, "n/a");
		return buf;
	}
	snprintf(buf, len, "%+.1f sd", sigmas);
	drop_zero_sign(buf);
	return buf;
}

char *ct_render_count(long n, char *buf, size_t len)
{
	char digits[32], tmp[48];
	unsigned long a = n < 0 ? 0UL - (unsigned long)n : (unsigned long)n;
	size_t dl, k, o = 0;

	snprintf(digits, sizeof(digits), "%lu", a);
	dl = strlen(digits);
	if (n < 0)
		tmp[o++] = '-';
	for (k = 0; k < dl; k++) {
		tmp[o++] = digits[k];
		if (dl - k - 1 > 0 && (dl - k - 1) % 3 == 0)
			tmp[o++] = ',';
	}
	tmp[o] = '\0';
	snprintf(buf, len, "%s", tmp);
	return buf;
}

ct_money ct_render_add(ct_money a, ct_money b)
{
	if (b > 0 && a > INT64_MAX - b)
		return INT64_MAX;
	if (b < 0 && a < INT64_MIN - b)
		return INT64_MIN;
	return a + b;
}

ct_money ct_render_sub(ct_money a, ct_money b)
{
	if (b < 0 && a > INT64_MAX + b)
		return INT64_MAX;
	if (b > 0 && a < INT64_MIN + b)
		return INT64_MIN;
	return a - b;
}

char *ct_render_label(const struct ct_report_item *it, bool id_first)
{
	const char *id = ct_render_nz(it->id);

	if (!it->name || !*it->name || strcmp(it->name, id) == 0)
		return ct_xstrdup(id);
	if (!*id)
		return ct_xstrdup(it->name);
	return id_first ? ct_xasprintf("%s (%s)", id, it->name)
			: ct_xasprintf("%s (%s)", it->name, id);
}

size_t ct_render_shown(size_t n, size_t top)
{
	return top == 0 || n <= top + 1 ? n : top;
}

void ct_render_rest(const struct ct_report_list *l, size_t from,
		    struct ct_report_item *sum)
{
	size_t i;

	memset(sum, 0, sizeof(*sum));
	for (i = from; i < l->n; i++) {
		sum->billed = ct_render_add(sum->billed, l->v[i].billed);
		sum->effective = ct_render_add(sum->effective, l->v[i].effective);
		sum->prev_billed =
			ct_render_add(sum->prev_billed, l->v[i].prev_billed);
	}
}

bool ct_render_is_anomaly(const struct ct_report *r, const char *date)
{
	size_t i;

	for (i = 0; i < r->nanomalies; i++)
		if (strncmp(r->anomalies[i].date, date,
			    sizeof(r->anomalies[i].date)) == 0)
			return true;
	return false;
}

uint32_t ct_render_utf8_next(const char **s)
{
	const unsigned char *p = (const unsigned char *)*s;
	uint32_t cp, min;
	int n, i;

	if (p[0] == 0)
		return 0;
	if (p[0] < 0x80) {
		*s += 1;
		return p[0];
	}
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		n = 1;
		cp = p[0] & 0x1Fu;
		min = 0x80;
	} else if ((p[0] & 0xF0) == 0xE0) {
		n = 2;
		cp = p[0] & 0x0Fu;
		min = 0x800;
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		n = 3;
		cp = p[0] & 0x07u;
		min = 0x10000;
	} else {
		goto bad;
	}
	/* A NUL fails the continuation test, so this never reads past it. */
	for (i = 1; i <= n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			goto bad;
		cp = (cp << 6) | (p[i] & 0x3Fu);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		goto bad;
	*s += n + 1;
	return cp;
bad:
	*s += 1;
	return 0xFFFD;
}

void ct_render_put_utf8(FILE *out, uint32_t cp)
{
	if (cp < 0x80) {
		putc((int)cp, out);
	} else if (cp < 0x800) {
		putc((int)(0xC0 | (cp >> 6)), out);
		putc((int)(0x80 | (cp & 0x3F)), out);
	} else if (cp < 0x10000) {
		putc((int)(0xE0 | (cp >> 12)), out);
		putc((int)(0x80 | ((cp >> 6) & 0x3F)), out);
		putc((int)(0x80 | (cp & 0x3F)), out);
	} else {
		putc((int)(0xF0 | (cp >> 18)), out);
		putc((int)(0x80 | ((cp >> 12) & 0x3F)), out);
		putc((int)(0x80 | ((cp >> 6) & 0x3F)), out);
		putc((int)(0x80 | (cp & 0x3F)), out);
	}
}

static int cmp_by_saving(const void *a, const void *b)
{
	const struct ct_finding *x = *(const struct ct_finding *const *)a;
	const struct ct_finding *y = *(const struct ct_finding *const *)b;
	int c;

	if (x->savings != y->savings)
		return x->savings > y->savings ? -1 : 1;
	if (x->monthly_cost != y->monthly_cost)
		return x->monthly_cost > y->monthly_cost ? -1 : 1;
	if ((c = strcmp(x->kind, y->kind)) != 0)
		return c;
	return strcmp(ct_render_nz(x->resource_id), ct_render_nz(y->resource_id));
}

const struct ct_finding **ct_render_findings_by_saving(const struct ct_recommend *rec)
{
	const struct ct_finding **v;

	if (!rec || !rec->n)
		return NULL;
	v = ct_xmalloc(rec->n * sizeof(*v));
	for (size_t i = 0; i < rec->n; i++)
		v[i] = &rec->f[i];
	qsort(v, rec->n, sizeof(*v), cmp_by_saving);
	return v;
}

static const struct {
	const char *kind, *name;
} kind_names[] = {
	{"idle_database", "idle database"},
	{"idle_instance", "idle instance"},
	{"idle_load_balancer", "idle load balancer"},
	{"low_cpu_instance", "low-CPU instance"},
	{"old_snapshot", "old snapshot"},
	{"reserved_instance", "reserved instance"},
	{"savings_plan", "savings plan"},
	{"spot", "spot"},
	{"stopped_instance", "stopped instance"},
	{"unassociated_address", "unassociated Elastic IP"},
	{"unattached_volume", "unattached volume"},
};

const char *ct_render_kind_name(const char *kind)
{
	for (size_t i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (!strcmp(kind_names[i].kind, kind))
			return kind_names[i].name;
	return kind;
}

char *ct_render_action(const struct ct_finding *f)
{
	char *s, *p;

	if (!strcmp(f->action, "none_smallest_size"))
		return ct_xstrdup("none: already the smallest size");
	if (!strcmp(f->action, "none_memory_bound"))
		return ct_xstrdup("none: memory needs this size");
	s = f->recommended_type ? ct_xasprintf("%s to %s", f->action, f->recommended_type)
				: ct_xstrdup(f->action);
	/* the action codes are snake_case words: say them with spaces */
	for (p = s; *p && !(f->recommended_type && p >= s + strlen(f->action)); p++)
		if (*p == '_')
			*p = ' ';
	return s;
}

char *ct_render_commitment_option(const struct ct_commitment *c)
{
	const char *kind = !strcmp(c->kind, "reserved_instance") ? "RI"
			   : !strcmp(c->kind, "savings_plan")	  ? "SP"
								  : c->kind;
	const char *offering = !strcmp(c->offering, "ec2instance") ? "EC2 instance" : c->offering;
	char *s, *p;

	if (!c->term[0])
		return ct_xstrdup(kind);
	s = ct_xasprintf("%s %s %s %s", kind, c->term, offering, c->payment);
	for (p = s; *p; p++)
		if (*p == '_')
			*p = ' ';
	return s;
}

size_t ct_render_best_commitments(const struct ct_recommend *rec,
			       const struct ct_commitment **v, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < rec->ncm; i++) {
		const struct ct_commitment *c = &rec->cm[i];
		size_t k;

		if (!c->best || c->savings <= 0)
			continue;
		/* insertion into the top max by saving (cm is sorted by type,
		 * so ties keep that order) */
		for (k = n; k > 0 && v[k - 1]->savings < c->savings; k--)
			if (k < max)
				v[k] = v[k - 1];
		if (k < max) {
			v[k] = c;
			if (n < max)
				n++;
		}
	}
	return n;
}

void ct_render_put_md(FILE *out, const char *s)
{
	bool first = true;
	uint32_t cp;

	s = ct_render_nz(s);
	while ((cp = ct_render_utf8_next(&s)) != 0) {
		if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
			cp = ' ';
		if (cp < 0x80 && strchr("\\`*_[]<>|&~$", (int)cp))
			putc('\\', out);
		else if (first && cp < 0x80 && strchr("#+-=", (int)cp))
			putc('\\', out);
		ct_render_put_utf8(out, cp);
		first = false;
	}
}

void ct_render_put_plain(FILE *out, const char *s)
{
	uint32_t cp;

	s = ct_render_nz(s);
	while ((cp = ct_render_utf8_next(&s)) != 0) {
		if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
			cp = ' ';
		ct_render_put_utf8(out, cp);
	}
}

void ct_render_csv_cell(FILE *out, const char *s)
{
	bool quote;
	uint32_t cp;

	s = ct_render_nz(s);
	quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		putc('"', out);
	if (s[0] && strchr("=+-@\t\r", s[0]))
		putc('\'', out);
	while ((cp = ct_render_utf8_next(&s)) != 0) {
		if (cp == '"')
			putc('"', out);
		ct_render_put_utf8(out, cp);
	}
	if (quote)
		putc('"', out);
}

const char *ct_render_num(double v, char *buf, size_t len)
{
	size_t n;

	snprintf(buf, len, "%.6f", v);
	n = strlen(buf);
	while (n > 1 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	return buf;
}
