/*
 * render.h - what the monthly report renderers (render_*.c) share: the
 * entry point of each output format, the one way money, changes and
 * shares are written for people, and UTF-8 decoding for the escapers.
 *
 * Renderers are the only code that rounds money: to cents here, for the
 * human formats (text, markdown, HTML); JSON and CSV keep more decimals.
 * Nothing here allocates except where a contract says "new", and nothing
 * writes anywhere but the FILE * it is given. Floating point is printed
 * with printf, so the process must run in the "C" numeric locale (main()
 * never calls setlocale with "").
 */
#ifndef CT_REPORTS_RENDER_H
#define CT_REPORTS_RENDER_H

#include "ct.h"
#include "report.h"

#define CT_RENDER_MONEY_MAX 48   /* buffer for ct_render_money() */
#define CT_RENDER_CHANGE_MAX 96  /* buffer for ct_render_change() */
#define CT_RENDER_PCT_MAX 32     /* buffer for ct_render_pct(), _share() */
#define CT_RENDER_TOP_SERVICES 15 /* services listed before "other N services" */
#define CT_RENDER_TOP_VALUES 15  /* tag values listed before "other N values" */
#define CT_RENDER_TOP_FINDINGS 10 /* findings listed in the report's savings section */

/* s, or "" when s is NULL: model strings that may be NULL. */
static inline const char *ct_render_nz(const char *s)
{
	return s ? s : "";
}

/**
 * Write an amount for people, rounded half away from zero to the cent,
 * with thousands separators: "$12,345.67", "-$5.00" for USD (or an empty
 * currency), "12,345.67 EUR" for another code of 1 to 7 letters A-Z, and
 * the bare number for anything else, so the text is always plain ASCII.
 *
 * @param currency ISO 4217 code, borrowed; NULL is taken as USD
 * @return buf (CT_RENDER_MONEY_MAX bytes are always enough).
 */
char *ct_render_money(ct_money m, const char *currency, char *buf,
		      size_t len);

/**
 * Write cur - prev as a signed amount: "+$1.00", "-$5.00", "$0.00". The
 * sign follows the amount rounded to the cent.
 *
 * @param currency as for ct_render_money()
 * @return buf.
 */
char *ct_render_delta(ct_money cur, ct_money prev, const char *currency,
		      char *buf, size_t len);

/**
 * Write the relative change from prev to cur with one decimal and a sign:
 * "+3.2%", "-10.0%", "0.0%". The base is |prev|, so a growing cost is
 * positive even when prev is a net credit.
 *
 * @return buf holding the text, or "n/a" when prev is 0.
 */
char *ct_render_pct(ct_money cur, ct_money prev, char *buf, size_t len);

/**
 * Write the change from prev to cur as money and percent:
 * "+$1.00 (+3.2%)", "-$5.00 (-50.0%)", "$0.00 (0.0%)", "+$5.00 (n/a)"
 * when prev is 0: ct_render_delta() and ct_render_pct() together.
 *
 * @param has_prev false when the previous month is not known
 * @param currency as for ct_render_money()
 * @return buf holding the text, or "n/a" when !has_prev.
 */
char *ct_render_change(ct_money cur, ct_money prev, bool has_prev,
		       const char *currency, char *buf, size_t len);

/**
 * Write part as a percentage of total with one decimal: "12.3%".
 *
 * @return buf holding the text, or "n/a" when total is 0.
 */
char *ct_render_share(ct_money part, ct_money total, char *buf, size_t len);

/**
 * Write a deviation in standard deviations with one decimal: "+4.2 sd".
 *
 * @return buf holding the text, or "n/a" when sigmas is not finite or
 *         beyond a million.
 */
char *ct_render_sigmas(double sigmas, char *buf, size_t len);

/**
 * Write a count with thousands separators: "123,456".
 *
 * @return buf.
 */
char *ct_render_count(long n, char *buf, size_t len);

/* a + b and a - b, saturated to the int64 range instead of overflowing
 * (sums of rows the model never summed itself, such as "other N"). */
ct_money ct_render_add(ct_money a, ct_money b);
ct_money ct_render_sub(ct_money a, ct_money b);

/**
 * Label of a breakdown row for one-column layouts: "name (id)" when the
 * item has a display name other than its id, else the id. With id_first,
 * "id (name)": region ids read better than their long names, and a label
 * cut at the column's end keeps what comes first.
 *
 * @return new string (caller frees).
 */
char *ct_render_label(const struct ct_report_item *it, bool id_first);

/**
 * How many rows of a list of n to show when at most top are wanted before
 * an "other N" row: n when n <= top + 1 (never "other 1"), else top.
 * top 0 means all.
 */
size_t ct_render_shown(size_t n, size_t top);

/**
 * Sum billed, effective and prev_billed of l's rows from index from on,
 * for the "other N" row.
 *
 * @param sum out: only the three amounts are set; its strings are NULL
 */
void ct_render_rest(const struct ct_report_list *l, size_t from,
		    struct ct_report_item *sum);

/* Whether date ("YYYY-MM-DD") is one of r's anomaly days. */
bool ct_render_is_anomaly(const struct ct_report *r, const char *date);

/* A format name and its enum value, for the --format parsers. */
struct ct_render_name {
	const char *name;
	int value;
};

/**
 * Look name up in a table of n names.
 *
 * @return CT_OK and *value, or CT_E_USAGE (also for NULL).
 */
int ct_render_name_lookup(const struct ct_render_name *tab, size_t n,
			  const char *name, int *value);

/**
 * Decode the UTF-8 character at *s and advance *s past it. A byte that
 * does not start a valid, shortest-form sequence of a scalar value yields
 * U+FFFD and advances one byte, so any byte string renders as valid UTF-8.
 *
 * @param s in/out: position in a NUL-terminated string, borrowed
 * @return the code point, or 0 at the terminating NUL (*s not moved).
 */
uint32_t ct_render_utf8_next(const char **s);

/* Write code point cp (a Unicode scalar value) to out as UTF-8. */
void ct_render_put_utf8(FILE *out, uint32_t cp);

struct ct_recommend;
struct ct_finding;

/**
 * The findings of rec ordered by estimated saving, largest first (then
 * monthly cost, kind and resource id, so the order is stable).
 *
 * @return new array of rec->n pointers into rec (borrowed; the caller
 *         frees only the array), or NULL when rec has no findings.
 */
const struct ct_finding **ct_render_findings_by_saving(const struct ct_recommend *rec);

/* A finding or commitment kind as people say it: "idle instance",
 * "reserved instance" ...; an unknown kind is returned as it is. */
const char *ct_render_kind_name(const char *kind);

/**
 * What to do about a finding, in words: "stop or terminate",
 * "downsize to m5.large", "none: smallest size" ...
 *
 * @return new string (caller frees).
 */
char *ct_render_action(const struct ct_finding *f);

struct ct_commitment;
/**
 * A commitment option in a few words: "RI 3y standard all upfront",
 * "SP 1y compute no upfront", "spot".
 *
 * @return new string (caller frees).
 */
char *ct_render_commitment_option(const struct ct_commitment *c);

/**
 * The commitment options counted in rec's total (best) that save money,
 * largest saving first, at most max of them, into v (borrowed pointers).
 *
 * @return how many were stored.
 */
size_t ct_render_best_commitments(const struct ct_recommend *rec,
				  const struct ct_commitment **v, size_t max);

/* s (NULL: "") as literal markdown inline text: markup characters
 * escaped, control characters as spaces, invalid UTF-8 as U+FFFD. */
void ct_render_put_md(FILE *out, const char *s);

/* s (NULL: "") as one line of plain text: control characters as spaces,
 * invalid UTF-8 as U+FFFD. */
void ct_render_put_plain(FILE *out, const char *s);

/* s (NULL: empty) as one RFC 4180 CSV text cell, protected against
 * formula injection (a leading = + - @ TAB or CR gets a "'"). */
void ct_render_csv_cell(FILE *out, const char *s);

/* v with up to 6 decimals, trailing zeros trimmed ("2", "0.5"): buf. */
const char *ct_render_num(double v, char *buf, size_t len);

/* The renderers of the monthly report, one per format. Each writes the
 * whole document for r (borrowed) to out and leaves write errors in
 * ferror(out) for ct_report_render() to turn into CT_E_IO. */
void ct_render_text_report(const struct ct_report *r, FILE *out);
void ct_render_markdown_report(const struct ct_report *r, FILE *out);
void ct_render_html_report(const struct ct_report *r, FILE *out);
void ct_render_json_report(const struct ct_report *r, FILE *out);
void ct_render_csv_report(const struct ct_report *r, FILE *out);

#endif
