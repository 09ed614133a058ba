/*
 * render_estimate.c - the cost estimate of a Terraform plan (estimate.h)
 * as a table for a terminal, as JSON for scripts, and as the markdown
 * comment `cloudtally comment` posts on a pull request.
 *
 * A price that is not known is never shown as $0: such a component reads
 * "price unknown" (JSON: unit_price and monthly_cost null), is left out
 * of every sum, and a side of a resource that lacks some prices shows its
 * known part as "≥ $X" ("unknown" when nothing on it is priced). A
 * usage-priced component without usage reads "depends on usage" with its
 * unit price and is left out too (a side shows "$X + usage").
 *
 * The table lists every priced resource in plan order, Terraform's
 * markers in front (+ create, - delete, ~ update, -/+ replace), with its
 * components: for a resource that exists before and after, a component
 * that changed shows as a "-" row (before) and a "+" row (after), matched
 * by name. Then the totals, the counts, the free, unsupported and unpriced
 * lists and the assumptions. Columns are at most 100 wide; model strings
 * are made safe for a terminal as in render_text.c.
 *
 * JSON: the contract is currency, hours_per_month, total_monthly_cost,
 * past_total_monthly_cost, diff_total_monthly_cost, resources[] {action,
 * address, components[], diff_monthly_cost, monthly_cost, notes[],
 * past_components[], past_monthly_cost, region, type}, components {
 * monthly_cost, name, price_found, purchase_option, quantity, unit,
 * unit_price, usage_based}, free[] and unsupported[] {address, type},
 * unpriced[] {address, component, reason}, assumptions[]. A resource's
 * monthly_cost is null when it does not exist after the change (delete),
 * past_monthly_cost null when it did not exist before (create); a
 * component's unit_price and monthly_cost are null when its price is
 * unknown, quantity and monthly_cost null when it is usage-priced and no
 * usage was given. Money is exact to the nano-dollar and unit prices to
 * the pico-dollar, written by the same kind of writer as render_json.c
 * (which says why not Jansson): sorted keys, two-space indent, RFC 8259
 * escapes, invalid UTF-8 as U+FFFD. Quantities are doubles in the
 * shortest form that reads back to the same value.
 *
 * Markdown: the hidden marker, a headline with the change and the new
 * total, the changed resources by absolute change (largest first; the
 * unchanged ones are counted), each one's components folded in
 * <details>, the assumptions, and a footer. It stays under
 * CT_ESTIMATE_MAX_MARKDOWN bytes: it is rendered into memory and, when
 * too long, the list of unknown prices is cut to its first 20 and the
 * changed resources to as many as fit (binary search on the count), with
 * one line summing the rest; should even that not fit, the model's own
 * assumptions are only counted. The headline, the totals and the largest
 * changes always survive. Model strings are escaped as in
 * render_markdown.c (HTML-escaped inside <summary>, where markdown does
 * not apply). GitHub renders $...$ as math, so no line outside a table
 * cell has a second '$' that could close one: a second amount on a line
 * always follows a space.
 *
 * Depends on the model (estimate.h), money.h and the shared helpers of
 * render.h; writes only to the FILE * given (and to memory).
 */
#include "ct.h"
#include "estimate.h"
#include "jsonw.h"
#include "render.h"
#include "money.h"

#include <assert.h>
#include <errno.h>
#include <math.h>

#define RATE_MAX 64	   /* buffer for a unit price */
#define QTY_MAX 64	   /* buffer for a quantity */
#define SIDE_MAX 80	   /* buffer for a side's monthly cost */
#define MD_STR_MAX 300	   /* code points of one model string in markdown */
#define MD_UNPRICED_CUT 20 /* unpriced components listed when cutting */

/* ---- shared ------------------------------------------------------------- */

static const struct ct_render_name formats[] = {
	{"json", CT_EST_JSON},
	{"markdown", CT_EST_MARKDOWN},
	{"md", CT_EST_MARKDOWN},
	{"table", CT_EST_TABLE},
};

int ct_estimate_format_parse(const char *name, enum ct_estimate_format *fmt)
{
	int v;

	if (ct_render_name_lookup(formats, CT_NELEM(formats), name, &v) != CT_OK)
		return CT_E_USAGE;
	*fmt = (enum ct_estimate_format)v;
	return CT_OK;
}

/* A component that is in the sums: price known, and usage given when
 * usage-priced. */
static bool comp_counts(const struct ct_est_component *c)
{
	return c->price_found && !(c->usage_based && !c->has_usage);
}

static bool comp_needs_usage(const struct ct_est_component *c)
{
	return c->price_found && c->usage_based && !c->has_usage;
}

/* What one side of a resource holds. */
struct side_info {
	size_t priced, unknown, need_usage;
};

static struct side_info side_info(const struct ct_est_side *s)
{
	struct side_info si = {0, 0, 0};
	size_t i;

	for (i = 0; s->exists && i < s->n; i++) {
		if (!s->comp[i].price_found)
			si.unknown++;
		else if (comp_needs_usage(&s->comp[i]))
			si.need_usage++;
		else
			si.priced++;
	}
	return si;
}

static ct_money side_cost(const struct ct_est_side *s)
{
	return s->exists ? s->monthly : 0;
}

static ct_money res_delta(const struct ct_est_resource *r)
{
	return ct_render_sub(side_cost(&r->now), side_cost(&r->past));
}

/* Whether the change of r is worth a line: its cost moves, or it is
 * created or deleted (even when only usage or unknown prices are on it). */
static bool res_changed(const struct ct_est_resource *r)
{
	return res_delta(r) != 0 || r->past.exists != r->now.exists;
}

/* Whether a side exists and none of its components has a known price. */
static bool side_unknown(const struct ct_est_side *s)
{
	struct side_info si = side_info(s);

	return si.unknown && !si.priced && !si.need_usage;
}

/* A side's monthly cost for people: "–" when the resource does not exist
 * on it, "unknown" when none of its prices is known, "≥ $5.00" when some
 * are not, "$5.00 + usage" when usage is missing. */
static char *side_text(const struct ct_estimate *e, const struct ct_est_side *s, char *buf,
		       size_t len)
{
	struct side_info si = side_info(s);
	char m[CT_RENDER_MONEY_MAX];

	if (!s->exists) {
		snprintf(buf, len, "–");
		return buf;
	}
	if (side_unknown(s)) {
		snprintf(buf, len, "unknown");
		return buf;
	}
	ct_render_money(s->monthly, e->currency, m, sizeof(m));
	snprintf(buf, len, "%s%s%s", si.unknown ? "≥ " : "", m, si.need_usage ? " + usage" : "");
	return buf;
}

/* The change of a resource: "+$5.00 (+10.0%)" when it exists on both
 * sides, else just the amount ("+$5.00" for a create); "unknown" when a
 * side it exists on has no known price at all. */
static char *res_change_text(const struct ct_estimate *e, const struct ct_est_resource *r,
			     char *buf, size_t len)
{
	if (side_unknown(&r->past) || side_unknown(&r->now)) {
		snprintf(buf, len, "unknown");
		return buf;
	}
	if (r->past.exists && r->now.exists && r->past.monthly != 0)
		return ct_render_change(r->now.monthly, r->past.monthly, true, e->currency, buf,
					len);
	return ct_render_delta(side_cost(&r->now), side_cost(&r->past), e->currency, buf, len);
}

/* A currency code printed after amounts: 1 to 7 letters A-Z (as
 * render.c's ct_render_money()). */
static bool plain_code(const char *c)
{
	size_t i;

	for (i = 0; c[i]; i++)
		if (c[i] < 'A' || c[i] > 'Z' || i >= 7)
			return false;
	return i > 0;
}

/* A unit price as a bare decimal: exact (12 places) for JSON; for people
 * rounded half away from zero to 10 significant digits, so $0.096 and
 * $0.0000166667 show whole and $3.4567890123 as $3.456789012. Trailing
 * zeros go, down to 2 places. */
static char *rate_num(ct_rate r, bool exact, char *buf, size_t len)
{
	bool neg = r < 0;
	uint64_t a = neg ? (uint64_t)0 - (uint64_t)r : (uint64_t)r;
	uint64_t unit = (uint64_t)CT_RATE_UNIT, fp, p = 1, t;
	char frac[13];
	int i, digits = 0, places = 12;

	for (t = a; t; t /= 10)
		digits++;
	if (!exact && digits > 10) {
		for (i = 10; i < digits; i++)
			p *= 10;
		a = (a + p / 2) / p * p; /* a < 2^63, no overflow */
	}
	fp = a % unit;
	for (i = 11; i >= 0; i--) {
		frac[i] = (char)('0' + fp % 10);
		fp /= 10;
	}
	frac[12] = '\0';
	while (places > 2 && frac[places - 1] == '0')
		places--;
	frac[places] = '\0';
	snprintf(buf, len, "%s%llu.%s", neg && a ? "-" : "", (unsigned long long)(a / unit), frac);
	return buf;
}

/* A unit price for people: "$0.096", "$0.0000166667", "0.10 EUR". */
static char *rate_text(const struct ct_estimate *e, ct_rate r, char *buf, size_t len)
{
	char num[48];
	const char *cur = e->currency;

	rate_num(r, false, num, sizeof(num));
	if (!*cur || strcmp(cur, "USD") == 0) {
		if (num[0] == '-')
			snprintf(buf, len, "-$%s", num + 1);
		else
			snprintf(buf, len, "$%s", num);
	} else if (plain_code(cur)) {
		snprintf(buf, len, "%s %s", num, cur);
	} else {
		snprintf(buf, len, "%s", num);
	}
	return buf;
}

/* Remove trailing zeros after a decimal point (and the point). */
static void trim_fraction(char *s)
{
	char *dot = strchr(s, '.');
	size_t n;

	if (!dot || strpbrk(s, "eE"))
		return;
	n = strlen(s);
	while (n > 0 && s[n - 1] == '0')
		s[--n] = '\0';
	if (n > 0 && s[n - 1] == '.')
		s[--n] = '\0';
}

/* A quantity for people: grouped, up to 4 decimals ("730", "1,000",
 * "4,109.589"); a tiny non-zero or a huge one in %g form. */
static char *qty_text(double q, char *buf, size_t len)
{
	char tmp[QTY_MAX], ip[QTY_MAX];
	const char *frac;
	size_t i, n, o = 0;

	if (!isfinite(q) || fabs(q) >= 1e15 || (q != 0 && fabs(q) < 0.00005)) {
		snprintf(buf, len, "%.4g", q);
		return buf;
	}
	snprintf(tmp, sizeof(tmp), "%.4f", q);
	trim_fraction(tmp);
	if (strcmp(tmp, "-0") == 0)
		snprintf(tmp, sizeof(tmp), "0");
	frac = strchr(tmp, '.');
	n = frac ? (size_t)(frac - tmp) : strlen(tmp);
	for (i = 0; i < n; i++) {
		size_t left = n - i - 1;

		ip[o++] = tmp[i];
		if (tmp[i] != '-' && left > 0 && left % 3 == 0)
			ip[o++] = ',';
	}
	ip[o] = '\0';
	snprintf(buf, len, "%s%s", ip, frac ? frac : "");
	return buf;
}

/* Terraform's marker for an action. */
static const char *action_mark(const char *action)
{
	static const struct {
		const char *action, *mark;
	} marks[] = {
		{"create", "+"},
		{"delete", "-"},
		{"replace", "-/+"},
		{"update", "~"},
	};
	size_t i;

	for (i = 0; action && i < CT_NELEM(marks); i++)
		if (strcmp(action, marks[i].action) == 0)
			return marks[i].mark;
	return "";
}

/* One line of a resource's component list: past, now or both. */
struct row {
	const struct ct_est_component *past, *now;
};

static bool same_comp(const struct ct_est_component *a, const struct ct_est_component *b)
{
	return a->quantity == b->quantity && a->unit_price == b->unit_price &&
	       a->monthly == b->monthly && a->price_found == b->price_found &&
	       a->has_usage == b->has_usage &&
	       strcmp(ct_render_nz(a->unit), ct_render_nz(b->unit)) == 0;
}

/* The component rows of r (new array, *n rows). With both sides, each
 * component after the change is paired with the first unpaired one of the
 * same name before it, and the rows follow the order before the change,
 * as a diff does: a component only before comes where it was, one only
 * after comes just before the next pair that follows it. */
static struct row *comp_rows(const struct ct_est_resource *r, size_t *n)
{
	size_t np = r->past.exists ? r->past.n : 0;
	size_t nn = r->now.exists ? r->now.n : 0;
	struct row *rows = ct_xcalloc(np + nn + 1, sizeof(*rows));
	size_t *pair = ct_xcalloc(np + 1, sizeof(*pair)); /* past -> now+1 */
	bool *paired = ct_xcalloc(nn + 1, sizeof(*paired));
	size_t i, j, k = 0, next = 0; /* next: first now not yet written */

	for (i = 0; i < nn; i++) {
		for (j = 0; j < np; j++) {
			if (!pair[j] && strcmp(ct_render_nz(r->now.comp[i].name),
					       ct_render_nz(r->past.comp[j].name)) == 0) {
				pair[j] = i + 1;
				paired[i] = true;
				break;
			}
		}
	}
	for (j = 0; j < np; j++) {
		if (pair[j]) {
			for (; next < pair[j] - 1; next++)
				if (!paired[next])
					rows[k++].now = &r->now.comp[next];
			next = pair[j] > next ? pair[j] : next;
			rows[k].now = &r->now.comp[pair[j] - 1];
		}
		rows[k++].past = &r->past.comp[j];
	}
	for (; next < nn; next++)
		if (!paired[next])
			rows[k++].now = &r->now.comp[next];
	free(pair);
	free(paired);
	*n = k;
	return rows;
}

/* Totals over the model's components. */
struct counts {
	size_t changed;	   /* resources whose change is listed */
	size_t unknown;	   /* components without a price, on either side */
	size_t need_usage; /* usage-priced components without usage */
	size_t from_usage; /* usage-priced components priced from usage */
};

static struct counts count_all(const struct ct_estimate *e)
{
	struct counts k = {0, 0, 0, 0};
	size_t i, j;

	for (i = 0; i < e->nres; i++) {
		const struct ct_est_resource *r = &e->res[i];
		const struct ct_est_side *sides[2] = {&r->past, &r->now};
		int s;

		if (res_changed(r))
			k.changed++;
		for (s = 0; s < 2; s++) {
			/* a component on both sides is counted once: the
			 * side after the change, or before for a delete */
			if (!sides[s]->exists || (s == 0 && r->now.exists))
				continue;
			for (j = 0; j < sides[s]->n; j++) {
				const struct ct_est_component *c = &sides[s]->comp[j];

				if (!c->price_found)
					k.unknown++;
				else if (comp_needs_usage(c))
					k.need_usage++;
				else if (c->usage_based)
					k.from_usage++;
			}
		}
	}
	return k;
}

/* ---- table -------------------------------------------------------------- */

#define T_NAME_W 40 /* component names; longer ones get a line */
#define T_QTY_W 10
#define T_UNIT_W 12
#define T_PRICE_W 14
#define T_MONEY_W 13
#define T_LABEL_W 40 /* labels of the totals */

/* The code point to print for cp in a terminal (render_text.c). */
static uint32_t safe_cp(uint32_t cp)
{
	if (cp == '\t' || cp == '\n' || cp == '\r')
		return ' ';
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || (cp >= 0x202A && cp <= 0x202E) ||
	    (cp >= 0x2066 && cp <= 0x2069))
		return '?';
	return cp;
}

static size_t width(const char *s)
{
	size_t n = 0;

	s = ct_render_nz(s);
	while (ct_render_utf8_next(&s))
		n++;
	return n;
}

/* Write at most max columns of s, made safe. */
static void put_safe(FILE *out, const char *s, size_t max)
{
	uint32_t cp;
	size_t n;

	s = ct_render_nz(s);
	for (n = 0; n < max && (cp = ct_render_utf8_next(&s)) != 0; n++)
		ct_render_put_utf8(out, safe_cp(cp));
}

static void put_all(FILE *out, const char *s)
{
	put_safe(out, s, SIZE_MAX);
}

static void spaces(FILE *out, size_t n)
{
	while (n--)
		putc(' ', out);
}

/* s in a field of w columns, cut with "…" when wider. */
static void put_field(FILE *out, const char *s, size_t w, bool right)
{
	size_t n = width(s);

	if (n > w) {
		put_safe(out, s, w - 1);
		fputs("…", out);
		return;
	}
	if (right)
		spaces(out, w - n);
	put_safe(out, s, n);
	if (!right)
		spaces(out, w - n);
}

static void t_heading(FILE *out, const char *title)
{
	size_t n = width(title);

	fprintf(out, "\n%s\n", title);
	while (n--)
		putc('-', out);
	putc('\n', out);
}

/* One component line; mark is "+", "-" or " ". */
static void t_comp(FILE *out, const struct ct_estimate *e, const char *mark,
		   const struct ct_est_component *c)
{
	char q[QTY_MAX], p[RATE_MAX], m[CT_RENDER_MONEY_MAX];

	fprintf(out, "    %s ", mark);
	if (width(c->name) > T_NAME_W) {
		/* the end of a name tells components apart: never cut it */
		put_all(out, c->name);
		putc('\n', out);
		spaces(out, 6 + T_NAME_W);
	} else {
		put_field(out, c->name, T_NAME_W, false);
	}
	if (comp_needs_usage(c)) {
		fprintf(out, " depends on usage: %s per ",
			rate_text(e, c->unit_price, p, sizeof(p)));
		put_all(out, c->unit);
		putc('\n', out);
	} else {
		/* numbers are never cut: a long one pushes the row right */
		fprintf(out, " %*s  ", T_QTY_W, qty_text(c->quantity, q, sizeof(q)));
		put_field(out, c->unit, T_UNIT_W, false);
		if (!c->price_found)
			fprintf(out, " %*s\n", T_PRICE_W + 1 + T_MONEY_W, "price unknown");
		else
			fprintf(out, " %*s %*s%s\n", T_PRICE_W,
				rate_text(e, c->unit_price, p, sizeof(p)), T_MONEY_W,
				ct_render_money(c->monthly, e->currency, m, sizeof(m)),
				c->usage_based ? " *" : "");
	}
	if (c->note && *c->note) {
		fputs("        ↳ ", out);
		put_all(out, c->note);
		putc('\n', out);
	}
}

static void t_resource(FILE *out, const struct ct_estimate *e, const struct ct_est_resource *r)
{
	char b[SIDE_MAX], a[SIDE_MAX], c[CT_RENDER_CHANGE_MAX];
	bool both = r->past.exists && r->now.exists;
	struct row *rows;
	size_t i, n;

	fprintf(out, "%3s ", action_mark(r->action));
	put_all(out, r->address);
	fputs(" (", out);
	put_all(out, r->action ? r->action : "unknown action");
	if (r->region && *r->region) {
		fputs(", ", out);
		put_all(out, r->region);
	}
	fputs(")\n", out);
	rows = comp_rows(r, &n);
	for (i = 0; i < n; i++) {
		const struct row *w = &rows[i];

		if (!both)
			t_comp(out, e, " ", w->now ? w->now : w->past);
		else if (w->now && w->past && same_comp(w->now, w->past))
			t_comp(out, e, " ", w->now);
		else {
			if (w->past)
				t_comp(out, e, "-", w->past);
			if (w->now)
				t_comp(out, e, "+", w->now);
		}
	}
	if (n == 0)
		fputs("      (no priced components)\n", out);
	free(rows);
	for (i = 0; i < r->nnotes; i++) {
		fputs("      note: ", out);
		put_all(out, r->notes[i]);
		putc('\n', out);
	}
	fprintf(out, "      Monthly cost: before %s, after %s, change %s\n",
		side_text(e, &r->past, b, sizeof(b)), side_text(e, &r->now, a, sizeof(a)),
		res_change_text(e, r, c, sizeof(c)));
}

static void t_line(FILE *out, const char *label, const char *value, const char *extra)
{
	fputs("  ", out);
	put_field(out, label, T_LABEL_W, false);
	fprintf(out, " %*s%s%s\n", T_MONEY_W, value, *extra ? "  " : "", extra);
}

static void t_count(FILE *out, const char *label, size_t n, const char *extra)
{
	char v[32];

	t_line(out, label, ct_render_count((long)n, v, sizeof(v)), extra);
}

static void t_refs(FILE *out, const char *title, const struct ct_est_ref *v, size_t n)
{
	size_t i;

	if (n == 0)
		return;
	t_heading(out, title);
	for (i = 0; i < n; i++) {
		fputs("  ", out);
		put_all(out, v[i].address);
		putc('\n', out);
	}
}

static void render_table(const struct ct_estimate *e, FILE *out)
{
	char v[CT_RENDER_MONEY_MAX], c[CT_RENDER_PCT_MAX], x[96], h[32];
	struct counts k = count_all(e);
	size_t i;

	fputs("Cost estimate", out);
	if (e->plan_name && *e->plan_name) {
		fputs(" of ", out);
		put_all(out, e->plan_name);
	}
	snprintf(h, sizeof(h), "%g", e->hours_per_month);
	fputs("\nMonthly costs in ", out);
	put_all(out, *e->currency ? e->currency : "USD");
	fprintf(out,
		", %s hours a month. Markers: + create, - delete, "
		"~ update, -/+ replace.\n\n",
		h);
	fprintf(out, "    %-*s %*s  %-*s %*s %*s\n", T_NAME_W + 2, "Resource / component", T_QTY_W,
		"Quantity", T_UNIT_W, "Unit", T_PRICE_W, "Unit price", T_MONEY_W, "Monthly");
	for (i = 0; i < e->nres; i++) {
		putc('\n', out);
		t_resource(out, e, &e->res[i]);
	}
	if (e->nres == 0)
		fputs("\n  No priced resources in this plan.\n", out);

	t_heading(out, "Totals");
	t_line(out, "Monthly cost before the change",
	       ct_render_money(e->past_total, e->currency, v, sizeof(v)), "");
	t_line(out, "Monthly cost after the change",
	       ct_render_money(e->total, e->currency, v, sizeof(v)), "");
	ct_render_delta(e->total, e->past_total, e->currency, v, sizeof(v));
	ct_render_pct(e->total, e->past_total, c, sizeof(c));
	snprintf(x, sizeof(x), "(%s)", c);
	t_line(out, "Change", v, e->past_total ? x : "");
	putc('\n', out);
	snprintf(x, sizeof(x), "%zu changed, %zu unchanged", k.changed, e->nres - k.changed);
	t_count(out, "Priced resources", e->nres, x);
	t_count(out, "Free resources", e->nfree, "");
	t_count(out, "Unsupported resources", e->nunsupported, e->nunsupported ? "not priced" : "");
	t_count(out, "Components with an unknown price", k.unknown,
		k.unknown ? "not in the totals" : "");
	t_count(out, "Usage-priced components without usage", k.need_usage,
		k.need_usage ? "not in the totals" : "");

	t_refs(out, "Free resources", e->free_res, e->nfree);
	t_refs(out, "Unsupported resources (not priced)", e->unsupported, e->nunsupported);
	if (e->nunpriced) {
		t_heading(out, "Unknown prices (not in the totals)");
		for (i = 0; i < e->nunpriced; i++) {
			fputs("  ", out);
			put_all(out, e->unpriced[i].address);
			fputs(": ", out);
			put_all(out, e->unpriced[i].component);
			fputs(": ", out);
			put_all(out, e->unpriced[i].reason);
			putc('\n', out);
		}
	}
	t_heading(out, "Assumptions");
	for (i = 0; i < e->nassumptions; i++) {
		fputs("  - ", out);
		put_all(out, e->assumptions[i]);
		putc('\n', out);
	}
	if (k.from_usage)
		fputs("  - * priced from the usage file.\n", out);
	if (k.need_usage)
		fputs("  - Usage-priced components without usage are not in "
		      "the totals; give their usage with --usage-file.\n",
		      out);
	if (e->nassumptions == 0 && !k.from_usage && !k.need_usage)
		fputs("  none\n", out);
}

/* ---- JSON --------------------------------------------------------------- */

/* A double in the shortest form that reads back the same: fixed point
 * for 1e-5 <= |v| < 1e15 ("730", "0.00001"), else "%g" style; null when
 * not finite. */
static void j_double(struct ct_jsonw *w, double v)
{
	char num[400];
	bool fixed = v == 0 || (fabs(v) >= 1e-5 && fabs(v) < 1e15);
	int prec;

	if (!isfinite(v)) {
		ct_jsonw_raw(w, "null");
		return;
	}
	if (v == 0)
		v = 0; /* no -0 */
	for (prec = fixed ? 0 : 1; prec <= (fixed ? 20 : 17); prec++) {
		snprintf(num, sizeof(num), fixed ? "%.*f" : "%.*g", prec, v);
		if (strtod(num, NULL) == v)
			break;
	}
	ct_jsonw_raw(w, num);
}

static void j_member_string(struct ct_jsonw *w, const char *k, const char *s)
{
	ct_jsonw_key(w, k);
	ct_jsonw_string(w, s);
}

static void j_member_money(struct ct_jsonw *w, const char *k, ct_money m, bool known)
{
	ct_jsonw_key(w, k);
	if (known)
		ct_jsonw_money(w, m);
	else
		ct_jsonw_raw(w, "null");
}

static void j_member_bool(struct ct_jsonw *w, const char *k, bool b)
{
	ct_jsonw_key(w, k);
	ct_jsonw_raw(w, b ? "true" : "false");
}

static void j_components(struct ct_jsonw *w, const char *k, const struct ct_est_side *s)
{
	char num[RATE_MAX];
	size_t i;

	ct_jsonw_key(w, k);
	ct_jsonw_open(w, '[');
	for (i = 0; s->exists && i < s->n; i++) {
		const struct ct_est_component *c = &s->comp[i];
		bool no_usage = c->usage_based && !c->has_usage;

		ct_jsonw_open(w, '{');
		j_member_money(w, "monthly_cost", c->monthly, comp_counts(c));
		j_member_string(w, "name", ct_render_nz(c->name));
		j_member_bool(w, "price_found", c->price_found);
		j_member_string(w, "purchase_option", c->purchase_option);
		ct_jsonw_key(w, "quantity");
		if (no_usage)
			ct_jsonw_raw(w, "null");
		else
			j_double(w, c->quantity);
		j_member_string(w, "unit", ct_render_nz(c->unit));
		ct_jsonw_key(w, "unit_price");
		if (c->price_found)
			ct_jsonw_raw(w, rate_num(c->unit_price, true, num, sizeof(num)));
		else
			ct_jsonw_raw(w, "null");
		j_member_bool(w, "usage_based", c->usage_based);
		ct_jsonw_close(w, '}');
	}
	ct_jsonw_close(w, ']');
}

static void j_strings(struct ct_jsonw *w, const char *k, char *const *v, size_t n)
{
	size_t i;

	ct_jsonw_key(w, k);
	ct_jsonw_open(w, '[');
	for (i = 0; i < n; i++)
		ct_jsonw_string(w, ct_render_nz(v[i]));
	ct_jsonw_close(w, ']');
}

static void j_refs(struct ct_jsonw *w, const char *k, const struct ct_est_ref *v, size_t n)
{
	size_t i;

	ct_jsonw_key(w, k);
	ct_jsonw_open(w, '[');
	for (i = 0; i < n; i++) {
		ct_jsonw_open(w, '{');
		j_member_string(w, "address", ct_render_nz(v[i].address));
		j_member_string(w, "type", ct_render_nz(v[i].type));
		ct_jsonw_close(w, '}');
	}
	ct_jsonw_close(w, ']');
}

static void render_json(const struct ct_estimate *e, FILE *out)
{
	struct ct_jsonw w;
	size_t i;

	memset(&w, 0, sizeof(w));
	w.out = out;
	ct_jsonw_open(&w, '{');
	j_strings(&w, "assumptions", e->assumptions, e->nassumptions);
	j_member_string(&w, "currency", e->currency);
	j_member_money(&w, "diff_total_monthly_cost", ct_render_sub(e->total, e->past_total), true);
	j_refs(&w, "free", e->free_res, e->nfree);
	ct_jsonw_key(&w, "hours_per_month");
	j_double(&w, e->hours_per_month);
	j_member_money(&w, "past_total_monthly_cost", e->past_total, true);
	ct_jsonw_key(&w, "resources");
	ct_jsonw_open(&w, '[');
	for (i = 0; i < e->nres; i++) {
		const struct ct_est_resource *r = &e->res[i];

		ct_jsonw_open(&w, '{');
		j_member_string(&w, "action", r->action);
		j_member_string(&w, "address", ct_render_nz(r->address));
		j_components(&w, "components", &r->now);
		/* a side with an unknown price has no monthly cost to give,
		 * and then neither has the change */
		j_member_money(&w, "diff_monthly_cost", res_delta(r),
			       !side_info(&r->past).unknown && !side_info(&r->now).unknown);
		j_member_money(&w, "monthly_cost", r->now.monthly,
			       r->now.exists && !side_info(&r->now).unknown);
		j_strings(&w, "notes", r->notes, r->nnotes);
		j_components(&w, "past_components", &r->past);
		j_member_money(&w, "past_monthly_cost", r->past.monthly,
			       r->past.exists && !side_info(&r->past).unknown);
		j_member_string(&w, "region", r->region);
		j_member_string(&w, "type", ct_render_nz(r->type));
		ct_jsonw_close(&w, '}');
	}
	ct_jsonw_close(&w, ']');
	j_member_money(&w, "total_monthly_cost", e->total, true);
	ct_jsonw_key(&w, "unpriced");
	ct_jsonw_open(&w, '[');
	for (i = 0; i < e->nunpriced; i++) {
		const struct ct_est_unpriced *u = &e->unpriced[i];

		ct_jsonw_open(&w, '{');
		j_member_string(&w, "address", ct_render_nz(u->address));
		j_member_string(&w, "component", ct_render_nz(u->component));
		j_member_string(&w, "reason", ct_render_nz(u->reason));
		ct_jsonw_close(&w, '}');
	}
	ct_jsonw_close(&w, ']');
	j_refs(&w, "unsupported", e->unsupported, e->nunsupported);
	ct_jsonw_close(&w, '}');
	putc('\n', out);
}

/* ---- markdown ----------------------------------------------------------- */

/* Write at most max code points of s as literal markdown inline text
 * (render_markdown.c's escapes), with "…" when cut. */
static void put_md(FILE *out, const char *s, size_t max)
{
	bool first = true;
	uint32_t cp;
	size_t n = 0;

	s = ct_render_nz(s);
	while ((cp = ct_render_utf8_next(&s)) != 0) {
		if (n++ == max) {
			fputs("…", out);
			return;
		}
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

/* Write at most max code points of s as HTML text (inside <summary>). */
static void put_html(FILE *out, const char *s, size_t max)
{
	uint32_t cp;
	size_t n = 0;

	s = ct_render_nz(s);
	while ((cp = ct_render_utf8_next(&s)) != 0) {
		if (n++ == max) {
			fputs("…", out);
			return;
		}
		if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
			cp = ' ';
		switch (cp) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		default:
			ct_render_put_utf8(out, cp);
		}
	}
}

/* What the comment shows; shrunk until it fits. */
struct md_plan {
	const size_t *order; /* changed resources, largest change first */
	size_t nchanged;
	size_t shown;	       /* of them in the table and the details */
	size_t unpriced_shown; /* unknown prices listed by name */
	bool assumptions;      /* the model's assumptions listed */
};

static void md_headline(FILE *out, const struct ct_estimate *e, const struct counts *k)
{
	char d[CT_RENDER_MONEY_MAX], t[CT_RENDER_MONEY_MAX];
	char p[CT_RENDER_PCT_MAX];
	ct_money diff = ct_render_sub(e->total, e->past_total);
	const char *verb;

	/* "adds +$5.00" but "removes $5.00": the verb carries the sign */
	if (diff < 0)
		ct_render_money(ct_render_sub(0, diff), e->currency, d, sizeof(d));
	else
		ct_render_delta(e->total, e->past_total, e->currency, d, sizeof(d));
	ct_render_money(e->total, e->currency, t, sizeof(t));
	fputs(CT_ESTIMATE_MARKER "\n### 💰 cloudtally: ", out);
	if (diff > -CT_MONEY_UNIT / 200 && diff < CT_MONEY_UNIT / 200) {
		/* with prices missing, "keeps" would claim too much */
		fprintf(out, "%s **%s/month**\n",
			k->unknown || k->need_usage ? "no known change to the monthly cost,"
						    : "this change keeps the monthly cost at",
			t);
		return;
	}
	verb = diff > 0 ? "adds" : "removes";
	fprintf(out, "this change %s **%s/month**", verb, d);
	if (e->past_total != 0)
		fprintf(out, " (%s)", ct_render_pct(e->total, e->past_total, p, sizeof(p)));
	/* the second amount follows a space: it cannot close a $...$ */
	fprintf(out, " → **total %s/month**\n", t);
}

static void md_summary_lines(FILE *out, const struct ct_estimate *e, const struct counts *k)
{
	char b[CT_RENDER_MONEY_MAX], n1[32], n2[32];

	fprintf(out, "\nBefore: %s a month · ",
		ct_render_money(e->past_total, e->currency, b, sizeof(b)));
	fprintf(out, "%s resource%s change%s cost, %s unchanged",
		ct_render_count((long)k->changed, n1, sizeof(n1)), k->changed == 1 ? "" : "s",
		k->changed == 1 ? "s" : "",
		ct_render_count((long)(e->nres - k->changed), n2, sizeof(n2)));
	if (e->nfree)
		fprintf(out, " · %s free", ct_render_count((long)e->nfree, n1, sizeof(n1)));
	if (e->nunsupported)
		fprintf(out, " · %s not supported",
			ct_render_count((long)e->nunsupported, n1, sizeof(n1)));
	fputs(".\n", out);
	if (k->unknown || k->need_usage) {
		fputs("\n⚠️ Not in these figures: ", out);
		if (k->unknown)
			fprintf(out, "%s component%s with an unknown price",
				ct_render_count((long)k->unknown, n1, sizeof(n1)),
				k->unknown == 1 ? "" : "s");
		if (k->unknown && k->need_usage)
			fputs(" and ", out);
		if (k->need_usage)
			fprintf(out,
				"%s usage-priced component%s without "
				"usage",
				ct_render_count((long)k->need_usage, n1, sizeof(n1)),
				k->need_usage == 1 ? "" : "s");
		fputs(" (see Assumptions).\n", out);
	}
}

static void md_label(FILE *out, const struct ct_est_resource *r)
{
	put_md(out, r->address, MD_STR_MAX);
	if (r->action && *r->action) {
		fputs(" (", out);
		put_md(out, r->action, 40);
		fputs(")", out);
	}
}

static void md_table(FILE *out, const struct ct_estimate *e, const struct md_plan *pl)
{
	char b[SIDE_MAX], a[SIDE_MAX], c[CT_RENDER_CHANGE_MAX], n[32];
	ct_money rest = 0;
	size_t i;

	if (pl->nchanged == 0)
		return;
	fputs("\n| Resource | Before | After | Change |\n"
	      "|:---|---:|---:|---:|\n",
	      out);
	for (i = 0; i < pl->shown; i++) {
		const struct ct_est_resource *r = &e->res[pl->order[i]];

		fputs("| ", out);
		md_label(out, r);
		fprintf(out, " | %s | %s | %s |\n", side_text(e, &r->past, b, sizeof(b)),
			side_text(e, &r->now, a, sizeof(a)), res_change_text(e, r, c, sizeof(c)));
	}
	if (pl->shown == pl->nchanged)
		return;
	for (i = pl->shown; i < pl->nchanged; i++)
		rest = ct_render_add(rest, res_delta(&e->res[pl->order[i]]));
	fprintf(out, "\n… and %s smaller change%s totalling %s.\n",
		ct_render_count((long)(pl->nchanged - pl->shown), n, sizeof(n)),
		pl->nchanged - pl->shown == 1 ? "" : "s",
		ct_render_delta(rest, 0, e->currency, c, sizeof(c)));
}

/* One component row of the details; mark is "+", "−" or NULL (no
 * marker column). */
static void md_comp(FILE *out, const struct ct_estimate *e, const char *mark,
		    const struct ct_est_component *c)
{
	char q[QTY_MAX], p[RATE_MAX], m[CT_RENDER_MONEY_MAX];

	fputs("| ", out);
	if (mark)
		fprintf(out, "%s | ", mark);
	put_md(out, c->name, MD_STR_MAX);
	fputs(" | ", out);
	if (comp_needs_usage(c)) {
		fputs("depends on usage", out);
	} else {
		fputs(qty_text(c->quantity, q, sizeof(q)), out);
		fputs(" ", out);
		put_md(out, c->unit, 40);
	}
	fputs(" | ", out);
	if (!c->price_found) {
		fputs("price unknown | – |\n", out);
		return;
	}
	fputs(rate_text(e, c->unit_price, p, sizeof(p)), out);
	if (comp_needs_usage(c)) {
		fputs(" per ", out);
		put_md(out, c->unit, 40);
		fputs(" | – |\n", out);
		return;
	}
	fprintf(out, " | %s |\n", ct_render_money(c->monthly, e->currency, m, sizeof(m)));
}

static void md_details(FILE *out, const struct ct_estimate *e, const struct ct_est_resource *r)
{
	char c[CT_RENDER_CHANGE_MAX];
	bool both = r->past.exists && r->now.exists;
	struct row *rows;
	size_t i, n;

	fputs("\n<details><summary>", out);
	put_html(out, r->address, MD_STR_MAX);
	fputs(" (", out);
	put_html(out, r->action ? r->action : "unknown action", 40);
	if (r->region && *r->region) {
		fputs(", ", out);
		put_html(out, r->region, 40);
	}
	fprintf(out, "): %s</summary>\n\n", res_change_text(e, r, c, sizeof(c)));
	rows = comp_rows(r, &n);
	if (n == 0)
		fputs("No priced components.\n", out);
	else if (both)
		fputs("| | Component | Quantity | Unit price | Monthly |\n"
		      "|:-:|:---|---:|---:|---:|\n",
		      out);
	else
		fputs("| Component | Quantity | Unit price | Monthly |\n"
		      "|:---|---:|---:|---:|\n",
		      out);
	for (i = 0; i < n; i++) {
		const struct row *w = &rows[i];

		if (!both)
			md_comp(out, e, NULL, w->now ? w->now : w->past);
		else if (w->now && w->past && same_comp(w->now, w->past))
			md_comp(out, e, " ", w->now);
		else {
			if (w->past)
				md_comp(out, e, "−", w->past);
			if (w->now)
				md_comp(out, e, "+", w->now);
		}
	}
	free(rows);
	if (r->nnotes)
		putc('\n', out);
	for (i = 0; i < r->nnotes; i++) {
		fputs("- ", out);
		put_md(out, r->notes[i], MD_STR_MAX);
		putc('\n', out);
	}
	fputs("\n</details>\n", out);
}

/* The distinct types of the unsupported resources, at most 10 listed. */
static void md_unsupported_types(FILE *out, const struct ct_estimate *e)
{
	size_t i, j, listed = 0, distinct = 0;

	for (i = 0; i < e->nunsupported; i++) {
		const char *t = ct_render_nz(e->unsupported[i].type);

		for (j = 0; j < i; j++)
			if (strcmp(ct_render_nz(e->unsupported[j].type), t) == 0)
				break;
		if (j < i)
			continue;
		distinct++;
		if (listed == 10)
			continue;
		fputs(listed ? ", " : ": ", out);
		put_md(out, t, 80);
		listed++;
	}
	if (distinct > listed)
		fprintf(out, " and %zu more type%s", distinct - listed,
			distinct - listed == 1 ? "" : "s");
}

static void md_assumptions(FILE *out, const struct ct_estimate *e, const struct md_plan *pl,
			   const struct counts *k)
{
	char n[32], h[32];
	size_t i;

	fputs("\n#### Assumptions\n\n", out);
	snprintf(h, sizeof(h), "%g", e->hours_per_month);
	fputs("- Prices in ", out);
	put_md(out, *e->currency ? e->currency : "USD", 8);
	fprintf(out, " for %s hours a month.\n", h);
	if (pl->assumptions) {
		for (i = 0; i < e->nassumptions; i++) {
			fputs("- ", out);
			put_md(out, e->assumptions[i], MD_STR_MAX);
			putc('\n', out);
		}
	} else if (e->nassumptions) {
		fprintf(out,
			"- %s more assumption%s: see `cloudtally "
			"estimate --format table`.\n",
			ct_render_count((long)e->nassumptions, n, sizeof(n)),
			e->nassumptions == 1 ? "" : "s");
	}
	if (k->need_usage)
		fprintf(out,
			"- %s usage-priced component%s without usage "
			"%s not in the totals; the details show %s "
			"unit price. Give usage with `--usage-file`.\n",
			ct_render_count((long)k->need_usage, n, sizeof(n)),
			k->need_usage == 1 ? "" : "s", k->need_usage == 1 ? "is" : "are",
			k->need_usage == 1 ? "its" : "their");
	if (e->nunpriced) {
		fprintf(out, "- Unknown prices, not in the totals (%s):\n",
			ct_render_count((long)e->nunpriced, n, sizeof(n)));
		for (i = 0; i < pl->unpriced_shown && i < e->nunpriced; i++) {
			fputs("  - ", out);
			put_md(out, e->unpriced[i].address, MD_STR_MAX);
			fputs(" — ", out);
			put_md(out, e->unpriced[i].component, MD_STR_MAX);
			fputs(": ", out);
			put_md(out, e->unpriced[i].reason, MD_STR_MAX);
			putc('\n', out);
		}
		if (i < e->nunpriced)
			fprintf(out, "  - … and %s more.\n",
				ct_render_count((long)(e->nunpriced - i), n, sizeof(n)));
	}
	if (e->nfree)
		fprintf(out, "- %s free resource%s (no cost of %s own).\n",
			ct_render_count((long)e->nfree, n, sizeof(n)), e->nfree == 1 ? "" : "s",
			e->nfree == 1 ? "its" : "their");
	if (e->nunsupported) {
		fprintf(out, "- %s resource%s not supported, not priced",
			ct_render_count((long)e->nunsupported, n, sizeof(n)),
			e->nunsupported == 1 ? "" : "s");
		md_unsupported_types(out, e);
		fputs(".\n", out);
	}
}

static void md_write(FILE *out, const struct ct_estimate *e, const struct md_plan *pl)
{
	struct counts k = count_all(e);
	size_t i;

	md_headline(out, e, &k);
	md_summary_lines(out, e, &k);
	md_table(out, e, pl);
	for (i = 0; i < pl->shown; i++)
		md_details(out, e, &e->res[pl->order[i]]);
	md_assumptions(out, e, pl, &k);
	fprintf(out,
		"\n<sub>Estimated offline by cloudtally %s from the plan; "
		"prices as of the catalog dates.</sub>\n",
		PACKAGE_VERSION);
}

/* The comment with plan pl, in a new buffer of *len bytes. */
static char *md_try(const struct ct_estimate *e, const struct md_plan *pl, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	if (!f)
		ct_die("out of memory rendering the comment");
	md_write(f, e, pl);
	if (fclose(f) != 0)
		ct_die("out of memory rendering the comment");
	*len = n;
	return buf;
}

static bool md_fits(const struct ct_estimate *e, const struct md_plan *pl)
{
	size_t n;
	char *buf = md_try(e, pl, &n);

	free(buf);
	return n < CT_ESTIMATE_MAX_MARKDOWN;
}

/* Changed resources by decreasing |change|, then in plan order. */
struct by_change {
	size_t i;
	uint64_t mag;
};

static int by_change_cmp(const void *a, const void *b)
{
	const struct by_change *x = a, *y = b;

	if (x->mag != y->mag)
		return x->mag < y->mag ? 1 : -1;
	return (x->i > y->i) - (x->i < y->i);
}

static size_t *changed_order(const struct ct_estimate *e, size_t *n)
{
	struct by_change *v = ct_xcalloc(e->nres + 1, sizeof(*v));
	size_t *order, i, k = 0;

	for (i = 0; i < e->nres; i++) {
		ct_money d;

		if (!res_changed(&e->res[i]))
			continue;
		d = res_delta(&e->res[i]);
		v[k].i = i;
		v[k].mag = d < 0 ? (uint64_t)0 - (uint64_t)d : (uint64_t)d;
		k++;
	}
	qsort(v, k, sizeof(*v), by_change_cmp);
	order = ct_xcalloc(k + 1, sizeof(*order));
	for (i = 0; i < k; i++)
		order[i] = v[i].i;
	free(v);
	*n = k;
	return order;
}

/* The largest count of changed resources in [0, hi] that fits, given it
 * fits with 0; binary search (the size grows with the count). */
static size_t md_most_shown(const struct ct_estimate *e, struct md_plan *pl, size_t hi)
{
	size_t lo = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2;

		pl->shown = mid;
		if (md_fits(e, pl))
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

static void render_markdown(const struct ct_estimate *e, FILE *out)
{
	struct md_plan pl;
	char *buf;
	size_t len;

	memset(&pl, 0, sizeof(pl));
	pl.order = changed_order(e, &pl.nchanged);
	pl.shown = pl.nchanged;
	pl.unpriced_shown = e->nunpriced;
	pl.assumptions = true;
	buf = md_try(e, &pl, &len);
	if (len >= CT_ESTIMATE_MAX_MARKDOWN) {
		free(buf);
		/* too long: cut the unpriced list, then the changes; as a
		 * last resort drop the model's assumptions too */
		if (pl.unpriced_shown > MD_UNPRICED_CUT)
			pl.unpriced_shown = MD_UNPRICED_CUT;
		pl.shown = 0;
		if (!md_fits(e, &pl)) {
			pl.unpriced_shown = 0;
			pl.assumptions = false;
		}
		pl.shown = md_most_shown(e, &pl, pl.nchanged);
		buf = md_try(e, &pl, &len);
	}
	fwrite(buf, 1, len, out);
	free(buf);
	free((size_t *)pl.order);
}

/* ---- entry point -------------------------------------------------------- */

int ct_estimate_render(const struct ct_estimate *e, enum ct_estimate_format fmt, FILE *out,
		       struct ct_err *err)
{
	int en;

	switch (fmt) {
	case CT_EST_TABLE:
		render_table(e, out);
		break;
	case CT_EST_JSON:
		render_json(e, out);
		break;
	case CT_EST_MARKDOWN:
		render_markdown(e, out);
		break;
	default:
		return ct_err_set(err, CT_E_INTERNAL, NULL, 0, "unknown estimate format %d",
				  (int)fmt);
	}
	errno = 0;
	if (fflush(out) != 0 || ferror(out)) {
		en = errno;
		return ct_err_set(err, CT_E_IO, NULL, 0, "cannot write the estimate: %s",
				  en ? strerror(en) : "write error");
	}
	return CT_OK;
}
