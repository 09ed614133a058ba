/*
 * render_xlsx.c - the monthly report as an .xlsx workbook for finance
 * (see xlsx.h), written with libxlsxwriter.
 *
 * Layout. Every table sheet has a title (row 1), a note (row 2), a bold
 * header (row 4) frozen with the first columns, an autofilter over header
 * and rows, a defined name for the table (header and data rows), and a
 * bold total row under the data. Money cells are numbers in dollars with
 * a currency format; the model's nano-dollars become doubles only here,
 * at the cell. Change, change %, share and totals are formulas over the
 * cells of the sheet, so the figures can be audited where they stand;
 * each formula carries its result, computed from the model, for viewers
 * that do not recalculate. Where the previous month is not in the store,
 * its cells say "n/a" and no change is computed (unknown is not zero).
 *
 * Safety. Text from billing data (names, ids, tag values, notes) goes
 * through put_text() only, which writes a string cell with
 * worksheet_write_string(): a value such as "=cmd|' /C calc'!A0" stays
 * text, whatever it starts with. Formulas are built here from cell
 * references and fixed words, never from data. Text is made valid UTF-8
 * (bad bytes become U+FFFD), a literal "_xHHHH_" is kept literal, and
 * strings are cut at Excel's 32,767 characters.
 *
 * Memory. With line items the workbook is written in constant-memory
 * mode: each sheet's rows go to a temporary file as they are written, so
 * every sheet here is written strictly row by row, top to bottom.
 *
 * Depends on the model (report.h, recommend.h), the line reader
 * (lines.h), money.h, clock.h, render.h and libxlsxwriter; knows no SQL
 * and writes nothing but the workbook.
 */
#include "ct.h"
#include "xlsx.h"
#include "clock.h"
#include "lines.h"
#include "money.h"
#include "recommend.h"
#include "budget.h"
#include "k8s_cost.h"
#include "render.h"

#include <math.h>
#include <strings.h>
#include <xlsxwriter.h>

#define HEAD_ROW 3  /* 0-based row of a table's header */
#define FIRST_ROW 4 /* first data row */
#define PIE_TOP 9   /* services in the Summary's pie before "Other" */
#define EXCEL_ROWS 1048576
#define EXCEL_STR_MAX 32767 /* characters (UTF-16 units) in a cell */
#define MAX_NAMES 64	    /* defined names in one workbook */
/* Line items from which the zip uses ZIP64 records: a line takes about
 * 1.6 KB of sheet XML, so 4 GB (the plain zip limit of one entry and of
 * the offsets) comes at about 2.5 million lines, less with long texts. */
#define ZIP64_LINES 1000000

struct formats {
	lxw_format *title, *note, *head, *head_r, *right, *bold, *total, *money, *money_t, *pct,
		*pct_t, *count, *num1, *sigma, *date, *datetime, *rate, *line_money, *qty,
		*bad_date, *bad_money, *bad_text, *bad_sigma;
};

/* The writer: the workbook, the model and the first error. */
struct xw {
	lxw_workbook *wb;
	const struct ct_report *r;
	const struct ct_xlsx_opts *o;
	lxw_error e;   /* the first libxlsxwriter error; sticky */
	char what[96]; /* what was being written when it happened */
	char *buf;     /* cell text being made safe */
	size_t cap;
	struct formats f;
	char names[MAX_NAMES][48]; /* defined names so far */
	size_t nnames;
	/* sheets that later sheets refer to */
	lxw_worksheet *summary, *service, *account, *region, *tag, *daily, *findings, *savings,
		*budgets, *k8s;
};

/* Record the first error with what was being written. */
static void chk(struct xw *x, lxw_error e, const char *what)
{
	if (e == LXW_NO_ERROR || x->e != LXW_NO_ERROR)
		return;
	x->e = e;
	snprintf(x->what, sizeof(x->what), "%s", what);
}

/* ---- cell text ---------------------------------------------------------- */

static void buf_put(struct xw *x, size_t *n, const char *s, size_t len)
{
	CT_GROW(x->buf, *n + len + 1, x->cap);
	memcpy(x->buf + *n, s, len);
	*n += len;
	x->buf[*n] = '\0';
}

static void buf_utf8(struct xw *x, size_t *n, uint32_t cp)
{
	char u[4];
	size_t k;

	if (cp < 0x80) {
		u[0] = (char)cp;
		k = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		k = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		k = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		k = 4;
	}
	buf_put(x, n, u, k);
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Does s start with "_xHHHH_", the escape Excel decodes in cell text? */
static bool escape_like(const char *s)
{
	return s[0] == '_' && (s[1] == 'x' || s[1] == 'X') && is_hex(s[2]) && is_hex(s[3]) &&
	       is_hex(s[4]) && is_hex(s[5]) && s[6] == '_';
}

/*
 * s as cell text: valid UTF-8 (bad bytes become U+FFFD), the non-characters
 * U+FFFE and U+FFFF (not allowed in XML) replaced too, the '_' of a literal
 * "_xHHHH_" written as "_x005F_" so Excel shows it as it is, and cut at
 * 32,767 UTF-16 units. libxlsxwriter escapes XML and control characters.
 *
 * @return s when it needs no change, else x->buf (valid until next call).
 */
static const char *cell_text(struct xw *x, const char *s)
{
	const char *p;
	size_t n = 0, units = 0;
	uint32_t cp;

	for (p = s; *p; p++)
		if ((unsigned char)*p >= 0x80 || escape_like(p))
			break;
	if (!*p && p - s <= EXCEL_STR_MAX)
		return s;
	buf_put(x, &n, "", 0);
	p = s;
	while (*p) {
		if (escape_like(p)) {
			if (units + 7 > EXCEL_STR_MAX)
				break;
			buf_put(x, &n, "_x005F_", 7);
			units += 7;
			p++;
			continue;
		}
		cp = ct_render_utf8_next(&p);
		if (cp == 0xFFFE || cp == 0xFFFF)
			cp = 0xFFFD;
		units += cp > 0xFFFF ? 2 : 1;
		if (units > EXCEL_STR_MAX)
			break;
		buf_utf8(x, &n, cp);
	}
	return x->buf;
}

/* Characters of UTF-8 text, for column widths. */
static size_t text_width(const char *s)
{
	size_t w = 0;

	for (; s && *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

/* ---- cells -------------------------------------------------------------- */

/* A string cell from any text (data included); NULL or "" is a blank. */
static void put_text(struct xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
		     lxw_format *f)
{
	if (!s || !*s) {
		if (f)
			chk(x, worksheet_write_blank(ws, row, col, f), "a blank cell");
		return;
	}
	chk(x, worksheet_write_string(ws, row, col, cell_text(x, s), f), "a text cell");
}

static void put_num(struct xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double v,
		    lxw_format *f)
{
	if (!isfinite(v)) {
		put_text(x, ws, row, col, "n/a", f);
		return;
	}
	chk(x, worksheet_write_number(ws, row, col, v, f), "a number cell");
}

static void put_money(struct xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, ct_money m,
		      lxw_format *f)
{
	put_num(x, ws, row, col, ct_money_to_double(m), f);
}

/* A formula (made here from references, never from data) and its result;
 * a result that is not a finite number is cached as "n/a". */
static void put_formula(struct xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
			const char *formula, lxw_format *f, double result)
{
	if (isfinite(result))
		chk(x, worksheet_write_formula_num(ws, row, col, formula, f, result),
		    "a formula cell");
	else
		chk(x, worksheet_write_formula_str(ws, row, col, formula, f, "n/a"),
		    "a formula cell");
}

/* ---- references ----------------------------------------------------------- */

struct ref {
	char s[40]; /* "$XFD$1048576" or two of them and ':' */
};

/* "C5", or "$C$5" when absolute; row and col are 0-based. */
static struct ref cell(lxw_row_t row, lxw_col_t col, bool absolute)
{
	struct ref r;
	char letters[8];
	int n = 0, k = 0;
	unsigned c = (unsigned)col + 1;

	while (c > 0 && n < 7) {
		letters[n++] = (char)('A' + (c - 1) % 26);
		c = (c - 1) / 26;
	}
	if (absolute)
		r.s[k++] = '$';
	while (n > 0)
		r.s[k++] = letters[--n];
	snprintf(r.s + k, sizeof(r.s) - (size_t)k, "%s%lu", absolute ? "$" : "",
		 (unsigned long)row + 1);
	return r;
}

/* "C5:C11" (relative) or "$C$5:$C$11" (absolute). */
static struct ref range(lxw_row_t r1, lxw_col_t c1, lxw_row_t r2, lxw_col_t c2, bool absolute)
{
	struct ref r, a = cell(r1, c1, absolute), b = cell(r2, c2, absolute);

	snprintf(r.s, sizeof(r.s), "%.19s:%.19s", a.s, b.s);
	return r;
}

/* The sheet name as formulas quote it: 'By service'. Names here are ours
 * and hold no quote. */
static char *quoted(const char *sheet)
{
	return ct_xasprintf("'%s'", sheet);
}

/* Add a workbook-wide defined name for a range of sheet; base is made a
 * valid, unused name (letters, digits and '_'). */
static void define(struct xw *x, const char *base, const char *sheet, lxw_row_t r1, lxw_col_t c1,
		   lxw_row_t r2, lxw_col_t c2)
{
	char name[48], *q, *formula;
	size_t i, k = 0;
	int suffix = 1;

	for (i = 0; base[i] && k < 36; i++) {
		char c = base[i];
		bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			  (c >= '0' && c <= '9') || c == '_';
		name[k++] = ok ? c : '_';
	}
	name[k] = '\0';
	if (x->nnames >= MAX_NAMES)
		return; /* a table without a name is still a table */
	for (;;) {
		bool used = false;
		for (i = 0; i < x->nnames; i++)
			if (!strcasecmp(x->names[i], name))
				used = true;
		if (!used)
			break;
		snprintf(name + k, sizeof(name) - k, "_%d", ++suffix);
	}
	snprintf(x->names[x->nnames++], sizeof(x->names[0]), "%s", name);
	q = quoted(sheet);
	formula = ct_xasprintf("=%s!%s", q, range(r1, c1, r2, c2, true).s);
	chk(x, workbook_define_name(x->wb, name, formula), "a defined name");
	free(formula);
	free(q);
}

/* ---- formats ------------------------------------------------------------ */

/* A currency code that may stand in a number format: 1 to 7 letters A-Z. */
static bool plain_code(const char *c)
{
	size_t i;

	for (i = 0; c[i]; i++)
		if (c[i] < 'A' || c[i] > 'Z' || i >= 7)
			return false;
	return i > 0;
}

/* "$"#,##0.00 for USD; #,##0.00 "EUR" for another code; decimals as
 * given by frac ("00", "0000##"). */
static char *money_format(const char *currency, const char *frac)
{
	if (!*currency || !strcmp(currency, "USD"))
		return ct_xasprintf("\"$\"#,##0.%s", frac);
	if (plain_code(currency))
		return ct_xasprintf("#,##0.%s \"%s\"", frac, currency);
	return ct_xasprintf("#,##0.%s", frac);
}

static lxw_format *fmt(struct xw *x, const char *num, bool bold, bool top, bool bad)
{
	lxw_format *f = workbook_add_format(x->wb);

	if (!f) {
		chk(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a cell format");
		return NULL;
	}
	if (num)
		format_set_num_format(f, num);
	if (bold)
		format_set_bold(f);
	if (top)
		format_set_top(f, LXW_BORDER_THIN);
	if (bad) {
		format_set_bg_color(f, 0xFFC7CE);
		format_set_font_color(f, 0x9C0006);
	}
	return f;
}

static void make_formats(struct xw *x)
{
	struct formats *f = &x->f;
	char cur[32];
	char *money, *rate;

	snprintf(cur, sizeof(cur), "%.*s", (int)sizeof(x->r->currency) - 1, x->r->currency);
	money = money_format(cur, "00");
	rate = money_format(cur, "0000##");
	f->title = fmt(x, NULL, true, false, false);
	if (f->title)
		format_set_font_size(f->title, 14);
	f->note = fmt(x, NULL, false, false, false);
	if (f->note) {
		format_set_italic(f->note);
		format_set_font_color(f->note, 0x595959);
	}
	f->head = fmt(x, NULL, true, false, false);
	f->head_r = fmt(x, NULL, true, false, false);
	if (f->head && f->head_r) {
		format_set_bottom(f->head, LXW_BORDER_THIN);
		format_set_bg_color(f->head, 0xDDEBF7);
		format_set_bottom(f->head_r, LXW_BORDER_THIN);
		format_set_bg_color(f->head_r, 0xDDEBF7);
		format_set_align(f->head_r, LXW_ALIGN_RIGHT);
		format_set_text_wrap(f->head);
		format_set_text_wrap(f->head_r);
		format_set_align(f->head, LXW_ALIGN_VERTICAL_BOTTOM);
		format_set_align(f->head_r, LXW_ALIGN_VERTICAL_BOTTOM);
	}
	f->right = fmt(x, NULL, false, false, false);
	if (f->right)
		format_set_align(f->right, LXW_ALIGN_RIGHT);
	f->bold = fmt(x, NULL, true, false, false);
	f->total = fmt(x, NULL, true, true, false);
	f->money = fmt(x, money, false, false, false);
	f->money_t = fmt(x, money, true, true, false);
	f->pct = fmt(x, "0.0%", false, false, false);
	f->pct_t = fmt(x, "0.0%", true, true, false);
	f->count = fmt(x, "#,##0", false, false, false);
	f->num1 = fmt(x, "#,##0.0", false, false, false);
	f->sigma = fmt(x, "+0.0;-0.0;0.0", false, false, false);
	f->date = fmt(x, "yyyy-mm-dd", false, false, false);
	f->datetime = fmt(x, "yyyy-mm-dd hh:mm", false, false, false);
	f->rate = fmt(x, rate, false, false, false);
	f->line_money = fmt(x, "#,##0.00########", false, false, false);
	f->qty = fmt(x, "#,##0.######", false, false, false);
	f->bad_date = fmt(x, "yyyy-mm-dd", false, false, true);
	f->bad_money = fmt(x, money, false, false, true);
	f->bad_text = fmt(x, NULL, false, false, true);
	f->bad_sigma = fmt(x, "+0.0;-0.0;0.0", false, false, true);
	free(money);
	free(rate);
}

/* ---- sheet furniture ---------------------------------------------------- */

struct column {
	const char *head;
	double width;
	bool numeric; /* header aligned right */
};

/* Title, note, header row, widths, frozen header and first columns. */
static void sheet_top(struct xw *x, lxw_worksheet *ws, const char *title, const char *note,
		      const struct column *cols, size_t ncols, lxw_col_t frozen_cols)
{
	size_t c;

	put_text(x, ws, 0, 0, title, x->f.title);
	put_text(x, ws, 1, 0, note, x->f.note);
	/* two lines for the wrapped headers */
	chk(x, worksheet_set_row(ws, HEAD_ROW, 30, NULL), "a row height");
	for (c = 0; c < ncols; c++) {
		chk(x, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, cols[c].width, NULL),
		    "a column width");
		put_text(x, ws, HEAD_ROW, (lxw_col_t)c, cols[c].head,
			 cols[c].numeric ? x->f.head_r : x->f.head);
	}
	worksheet_freeze_panes(ws, FIRST_ROW, frozen_cols);
	chk(x, worksheet_repeat_rows(ws, HEAD_ROW, HEAD_ROW), "the print titles");
	worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 0);
}

/* Autofilter over the header and n data rows, and the table's name. Call
 * it before writing the rows: in constant-memory mode libxlsxwriter
 * refuses a filter over rows already written out. */
static void sheet_table(struct xw *x, lxw_worksheet *ws, const char *sheet, const char *name,
			size_t n, lxw_col_t last_col)
{
	lxw_row_t last = (lxw_row_t)(HEAD_ROW + n);

	chk(x, worksheet_autofilter(ws, HEAD_ROW, 0, last, last_col), "an autofilter");
	define(x, name, sheet, HEAD_ROW, 0, last, last_col);
}

/* Width of a text column: its longest value, within [lo, hi]. */
static double fit(size_t longest, double lo, double hi)
{
	double w = (double)longest + 2;

	return w < lo ? lo : w > hi ? hi : w;
}

static const char *nz_id(const char *id)
{
	return id && *id ? id : "(none)";
}

/* The month as a string from the model's fixed-size field. */
static const char *month_of(const char *field, char *buf, size_t len)
{
	snprintf(buf, len, "%.7s", field);
	return buf;
}

/* ---- breakdown sheets: By service, By account, By region ------------------ */

enum second { SECOND_NONE, SECOND_NAME, SECOND_CATEGORY };

struct breakdown {
	lxw_worksheet *ws;
	const char *sheet, *name, *title, *id_head, *second_head;
	enum second second;
	bool effective;
	const struct ct_report_list *l;
};

/* Columns of a breakdown, by what it shows. */
struct bd_cols {
	lxw_col_t billed, eff, prev, change, pct, share, last;
};

static struct bd_cols bd_layout(const struct breakdown *b)
{
	struct bd_cols c;

	c.billed = b->second != SECOND_NONE ? 2 : 1;
	c.eff = b->effective ? (lxw_col_t)(c.billed + 1) : 0;
	c.prev = (lxw_col_t)(c.billed + (b->effective ? 2 : 1));
	c.change = (lxw_col_t)(c.prev + 1);
	c.pct = (lxw_col_t)(c.prev + 2);
	c.share = (lxw_col_t)(c.prev + 3);
	c.last = c.share;
	return c;
}

/* Change and change % of row (or total row) row; cur and prev are its
 * billed and previous amounts. */
static void change_cells(struct xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t c_cur,
			 lxw_col_t c_prev, lxw_col_t c_change, lxw_col_t c_pct, ct_money cur,
			 ct_money prev, bool total)
{
	struct ref a = cell(row, c_cur, false), p = cell(row, c_prev, false);
	char f[256];
	double pct;

	snprintf(f, sizeof(f), "=%s-%s", a.s, p.s);
	put_formula(x, ws, row, c_change, f, total ? x->f.money_t : x->f.money,
		    ct_money_to_double(ct_render_sub(cur, prev)));
	snprintf(f, sizeof(f), "=IF(%s=0,\"n/a\",(%s-%s)/ABS(%s))", p.s, a.s, p.s, p.s);
	pct = prev == 0 ? NAN : ((double)cur - (double)prev) / fabs((double)prev);
	put_formula(x, ws, row, c_pct, f, total ? x->f.pct_t : x->f.pct, pct);
}

/* Share of row's billed amount in the total row's: a formula. */
static void share_cell(struct xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t c_cur,
		       lxw_col_t c_share, lxw_row_t total_row, ct_money cur, ct_money total,
		       lxw_format *f)
{
	struct ref a = cell(row, c_cur, false), t = cell(total_row, c_cur, true);
	char formula[256];

	snprintf(formula, sizeof(formula), "=IF(%s=0,\"n/a\",%s/%s)", t.s, a.s, t.s);
	put_formula(x, ws, row, c_share, formula, f,
		    total == 0 ? NAN : (double)cur / (double)total);
}

static void write_breakdown(struct xw *x, const struct breakdown *b)
{
	const struct ct_report *r = x->r;
	struct bd_cols c = bd_layout(b);
	struct column cols[9];
	size_t ncols = 0, i, n = b->l->n, w_id = 0, w_second = 0;
	lxw_row_t row, total_row = (lxw_row_t)(FIRST_ROW + n);
	ct_money sum_b = 0, sum_e = 0, sum_p = 0;
	char prevhead[48], note[256], m[8], pm[8];
	lxw_worksheet *ws = b->ws;

	month_of(r->month, m, sizeof(m));
	month_of(r->prev_month, pm, sizeof(pm));
	for (i = 0; i < n; i++) {
		const struct ct_report_item *it = &b->l->v[i];
		const char *second = b->second == SECOND_NAME	    ? it->name
				     : b->second == SECOND_CATEGORY ? it->category
								    : NULL;
		if (text_width(nz_id(it->id)) > w_id)
			w_id = text_width(nz_id(it->id));
		if (text_width(second) > w_second)
			w_second = text_width(second);
		sum_b = ct_render_add(sum_b, it->billed);
		sum_e = ct_render_add(sum_e, it->effective);
		sum_p = ct_render_add(sum_p, it->prev_billed);
	}
	snprintf(prevhead, sizeof(prevhead), "Previous billed (%s)", pm);
	cols[ncols++] = (struct column){b->id_head, fit(w_id, 14, 48), false};
	if (b->second != SECOND_NONE)
		cols[ncols++] = (struct column){b->second_head, fit(w_second, 12, 40), false};
	cols[ncols++] = (struct column){"Billed cost", 15, true};
	if (b->effective)
		cols[ncols++] = (struct column){"Effective cost", 15, true};
	cols[ncols++] = (struct column){prevhead, 17, true};
	cols[ncols++] = (struct column){"Change", 14, true};
	cols[ncols++] = (struct column){"Change %", 10, true};
	cols[ncols++] = (struct column){"Share of billed", 10, true};
	snprintf(note, sizeof(note),
		 "Billing period %s in %.16s against %s. Change, change %%, share and totals "
		 "are formulas over the rows.",
		 m, r->currency[0] ? r->currency : "USD", r->has_prev ? pm : "no previous month");
	sheet_top(x, ws, b->title, note, cols, ncols, 1);
	sheet_table(x, ws, b->sheet, b->name, n, c.last);
	for (i = 0; i < n; i++) {
		const struct ct_report_item *it = &b->l->v[i];
		const char *second = b->second == SECOND_NAME	    ? it->name
				     : b->second == SECOND_CATEGORY ? it->category
								    : NULL;
		row = (lxw_row_t)(FIRST_ROW + i);
		put_text(x, ws, row, 0, nz_id(it->id), NULL);
		if (b->second != SECOND_NONE)
			put_text(x, ws, row, 1, second, NULL);
		put_money(x, ws, row, c.billed, it->billed, x->f.money);
		if (b->effective)
			put_money(x, ws, row, c.eff, it->effective, x->f.money);
		if (r->has_prev) {
			put_money(x, ws, row, c.prev, it->prev_billed, x->f.money);
			change_cells(x, ws, row, c.billed, c.prev, c.change, c.pct, it->billed,
				     it->prev_billed, false);
		} else {
			put_text(x, ws, row, c.prev, "n/a", x->f.right);
			put_text(x, ws, row, c.change, "n/a", x->f.right);
			put_text(x, ws, row, c.pct, "n/a", x->f.right);
		}
		share_cell(x, ws, row, c.billed, c.share, total_row, it->billed, sum_b, x->f.pct);
	}
	/* the total row: sums of the rows above */
	row = total_row;
	put_text(x, ws, row, 0, "Total", x->f.total);
	if (b->second != SECOND_NONE)
		put_text(x, ws, row, 1, NULL, x->f.total);
	for (lxw_col_t col = c.billed; col <= c.prev; col++) {
		ct_money v = col == c.billed ? sum_b : col == c.prev ? sum_p : sum_e;
		char f[256];

		if (col == c.prev && !r->has_prev) {
			put_text(x, ws, row, col, "n/a", x->f.total);
			continue;
		}
		if (n == 0) {
			put_money(x, ws, row, col, 0, x->f.money_t);
			continue;
		}
		snprintf(f, sizeof(f), "=SUM(%s)",
			 range(FIRST_ROW, col, (lxw_row_t)(FIRST_ROW + n - 1), col, false).s);
		put_formula(x, ws, row, col, f, x->f.money_t, ct_money_to_double(v));
	}
	if (r->has_prev) {
		change_cells(x, ws, row, c.billed, c.prev, c.change, c.pct, sum_b, sum_p, true);
	} else {
		put_text(x, ws, row, c.change, "n/a", x->f.total);
		put_text(x, ws, row, c.pct, "n/a", x->f.total);
	}
	share_cell(x, ws, row, c.billed, c.share, total_row, sum_b, sum_b, x->f.pct_t);
	chk(x, worksheet_ignore_errors(ws, LXW_IGNORE_NUMBER_STORED_AS_TEXT, "A1:B1048576"),
	    "ignored errors");
}

/* ---- By tag ----------------------------------------------------------- */

static void write_tags(struct xw *x)
{
	const struct ct_report *r = x->r;
	lxw_worksheet *ws = x->tag;
	static const lxw_col_t C_KEY = 0, C_VAL = 1, C_BILLED = 2, C_PREV = 3, C_CHANGE = 4,
			       C_PCT = 5, C_SHARE = 6;
	struct column cols[7];
	size_t t, i, w_key = 0, w_val = 10;
	lxw_row_t row = FIRST_ROW, last = FIRST_ROW;
	char prevhead[48], note[256], m[8], pm[8];

	month_of(r->month, m, sizeof(m));
	month_of(r->prev_month, pm, sizeof(pm));
	for (t = 0; t < r->ntags; t++) {
		if (text_width(r->tags[t].key) > w_key)
			w_key = text_width(r->tags[t].key);
		for (i = 0; i < r->tags[t].values.n; i++)
			if (text_width(r->tags[t].values.v[i].id) > w_val)
				w_val = text_width(r->tags[t].values.v[i].id);
	}
	snprintf(prevhead, sizeof(prevhead), "Previous billed (%s)", pm);
	cols[0] = (struct column){"Tag key", fit(w_key, 12, 32), false};
	cols[1] = (struct column){"Value", fit(w_val, 12, 48), false};
	cols[2] = (struct column){"Billed cost", 15, true};
	cols[3] = (struct column){prevhead, 17, true};
	cols[4] = (struct column){"Change", 14, true};
	cols[5] = (struct column){"Change %", 10, true};
	cols[6] = (struct column){"Share of billed", 10, true};
	snprintf(note, sizeof(note),
		 "Cost allocation (chargeback) for %s, one block per tag key; each block's total "
		 "is the month's billed cost. The untagged cost of %s is not known here.",
		 m, r->has_prev ? pm : "the previous month");
	sheet_top(x, ws, "Cost allocation by tag", note, cols, CT_NELEM(cols), 2);
	/* the filter spans every block: values, untagged, total, blank */
	for (t = 0; t < r->ntags; t++)
		last += (lxw_row_t)(r->tags[t].values.n + 3);
	chk(x, worksheet_autofilter(ws, HEAD_ROW, 0, r->ntags ? last - 2 : HEAD_ROW, C_SHARE),
	    "an autofilter");
	for (t = 0; t < r->ntags; t++) {
		const struct ct_report_tag *tg = &r->tags[t];
		lxw_row_t first = row, total_row = (lxw_row_t)(row + tg->values.n + 1);
		ct_money sum = tg->untagged;
		char f[256], base[64];

		for (i = 0; i < tg->values.n; i++)
			sum = ct_render_add(sum, tg->values.v[i].billed);
		for (i = 0; i <= tg->values.n; i++, row++) {
			bool untagged = i == tg->values.n;
			const struct ct_report_item *it = untagged ? NULL : &tg->values.v[i];
			ct_money billed = untagged ? tg->untagged : it->billed;

			put_text(x, ws, row, C_KEY, tg->key, NULL);
			put_text(x, ws, row, C_VAL, untagged ? "(untagged)" : nz_id(it->id),
				 untagged ? x->f.bold : NULL);
			put_money(x, ws, row, C_BILLED, billed, x->f.money);
			if (r->has_prev && !untagged) {
				put_money(x, ws, row, C_PREV, it->prev_billed, x->f.money);
				change_cells(x, ws, row, C_BILLED, C_PREV, C_CHANGE, C_PCT, billed,
					     it->prev_billed, false);
			} else {
				put_text(x, ws, row, C_PREV, "n/a", x->f.right);
				put_text(x, ws, row, C_CHANGE, "n/a", x->f.right);
				put_text(x, ws, row, C_PCT, "n/a", x->f.right);
			}
			share_cell(x, ws, row, C_BILLED, C_SHARE, total_row, billed, sum, x->f.pct);
		}
		put_text(x, ws, row, C_KEY, tg->key, x->f.total);
		put_text(x, ws, row, C_VAL, "Total", x->f.total);
		snprintf(f, sizeof(f), "=SUM(%s)",
			 range(first, C_BILLED, row - 1, C_BILLED, false).s);
		put_formula(x, ws, row, C_BILLED, f, x->f.money_t, ct_money_to_double(sum));
		for (lxw_col_t col = C_PREV; col <= C_PCT; col++)
			put_text(x, ws, row, col, NULL, x->f.total);
		snprintf(f, sizeof(f), "=SUM(%s)",
			 range(first, C_SHARE, row - 1, C_SHARE, false).s);
		put_formula(x, ws, row, C_SHARE, f, x->f.pct_t, sum == 0 ? 0 : 1.0);
		snprintf(base, sizeof(base), "Tag_%s", tg->key);
		define(x, base, "By tag", first, 0, row - 1, C_SHARE);
		row += 2; /* the total row, then a blank row between blocks */
	}
	chk(x, worksheet_ignore_errors(ws, LXW_IGNORE_NUMBER_STORED_AS_TEXT, "A1:B1048576"),
	    "ignored errors");
}

/* ---- Daily ---------------------------------------------------------------- */

static const struct ct_report_anomaly *anomaly_of(const struct ct_report *r, const char *date)
{
	for (size_t i = 0; i < r->nanomalies; i++)
		if (!strncmp(r->anomalies[i].date, date, sizeof(r->anomalies[i].date)))
			return &r->anomalies[i];
	return NULL;
}

static void write_daily(struct xw *x)
{
	const struct ct_report *r = x->r;
	lxw_worksheet *ws = x->daily;
	static const struct column cols[] = {
		{"Date", 12, false},
		{"Billed cost", 15, true},
		{"Cumulative", 15, true},
		{"Anomaly", 9, false},
		{"Expected (daily mean)", 15, true},
		{"Deviation (sd)", 10, true},
	};
	size_t i, n = r->ndaily;
	lxw_row_t row;
	ct_money cum = 0;
	char f[256], title[64], m[8];

	snprintf(title, sizeof(title), "Daily billed cost, %s", month_of(r->month, m, sizeof(m)));
	sheet_top(x, ws, title,
		  "Days more than 3 standard deviations from the month's daily mean are "
		  "highlighted. Cumulative and total are formulas.",
		  cols, CT_NELEM(cols), 1);
	sheet_table(x, ws, "Daily", "Daily", n, CT_NELEM(cols) - 1);
	for (i = 0; i < n; i++) {
		const struct ct_report_day *d = &r->daily[i];
		char date[11];
		const struct ct_report_anomaly *a;
		int64_t t = 0;

		snprintf(date, sizeof(date), "%.10s", d->date);
		a = anomaly_of(r, date);
		row = (lxw_row_t)(FIRST_ROW + i);
		if (ct_clock_parse(date, strlen(date), &t) == CT_OK)
			chk(x,
			    worksheet_write_unixtime(ws, row, 0, t, a ? x->f.bad_date : x->f.date),
			    "a date cell");
		else
			put_text(x, ws, row, 0, date, a ? x->f.bad_text : NULL);
		put_money(x, ws, row, 1, d->billed, a ? x->f.bad_money : x->f.money);
		cum = ct_render_add(cum, d->billed);
		if (i == 0)
			snprintf(f, sizeof(f), "=%s", cell(row, 1, false).s);
		else
			snprintf(f, sizeof(f), "=%s+%s", cell(row - 1, 2, false).s,
				 cell(row, 1, false).s);
		put_formula(x, ws, row, 2, f, a ? x->f.bad_money : x->f.money,
			    ct_money_to_double(cum));
		if (a) {
			put_text(x, ws, row, 3, "yes", x->f.bad_text);
			put_money(x, ws, row, 4, a->expected, x->f.bad_money);
			put_num(x, ws, row, 5, a->sigmas, x->f.bad_sigma);
		}
	}
	row = (lxw_row_t)(FIRST_ROW + n);
	put_text(x, ws, row, 0, "Total", x->f.total);
	if (n) {
		snprintf(f, sizeof(f), "=SUM(%s)",
			 range(FIRST_ROW, 1, (lxw_row_t)(FIRST_ROW + n - 1), 1, false).s);
		put_formula(x, ws, row, 1, f, x->f.money_t, ct_money_to_double(cum));
	} else {
		put_money(x, ws, row, 1, 0, x->f.money_t);
	}
	for (lxw_col_t col = 2; col < CT_NELEM(cols); col++)
		put_text(x, ws, row, col, NULL, x->f.total);
	if (n) {
		lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_LINE);
		lxw_chart_series *s = ch ? chart_add_series(ch, NULL, NULL) : NULL;

		if (!s) {
			chk(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "the daily chart");
			return;
		}
		chart_series_set_categories(s, "Daily", FIRST_ROW, 0,
					    (lxw_row_t)(FIRST_ROW + n - 1), 0);
		chart_series_set_values(s, "Daily", FIRST_ROW, 1, (lxw_row_t)(FIRST_ROW + n - 1),
					1);
		chart_series_set_name(s, "Billed cost");
		chart_title_set_name(ch, title);
		chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
		chart_axis_set_num_format(ch->x_axis, "mm-dd");
		chk(x, worksheet_insert_chart(ws, HEAD_ROW, 7, ch), "the daily chart");
	}
}

/* ---- Findings and Savings ----------------------------------------------- */

/* Rows of the Findings and Savings tables (for Summary's formulas). */
static size_t nfindings(const struct ct_report *r)
{
	return r->rec ? r->rec->n : 0;
}

static size_t ncommitments(const struct ct_report *r)
{
	return r->rec ? r->rec->ncm : 0;
}

static void write_findings(struct xw *x)
{
	const struct ct_report *r = x->r;
	const struct ct_recommend *rec = r->rec;
	lxw_worksheet *ws = x->findings;
	struct column cols[] = {
		{"Kind", 20, false},
		{"Resource", 24, false},
		{"Resource type", 14, false},
		{"Region", 14, false},
		{"Account", 15, false},
		{"Action", 18, false},
		{"Recommended type", 14, false},
		{"Monthly cost", 14, true},
		{"Monthly saving", 14, true},
		{"Evidence", 80, false},
	};
	size_t i, k, n = nfindings(r), w_res = 0;
	lxw_row_t row;
	ct_money cost = 0, saving = 0;
	char f[256];

	for (i = 0; i < n; i++)
		if (text_width(rec->f[i].resource_id) > w_res)
			w_res = text_width(rec->f[i].resource_id);
	cols[1].width = fit(w_res, 14, 48);
	sheet_top(x, ws, "Findings: what to switch off or shrink",
		  !rec	   ? "Findings were not computed for this workbook."
		  : n == 0 ? "No findings: nothing idle, unattached or oversized was found."
			   : "Each finding with its monthly cost, the estimated monthly saving "
			     "and the evidence; totals are formulas.",
		  cols, CT_NELEM(cols), 2);
	sheet_table(x, ws, "Findings", "Findings", n, CT_NELEM(cols) - 1);
	for (i = 0; i < n; i++) {
		const struct ct_finding *fd = &rec->f[i];
		char *ev = NULL;

		row = (lxw_row_t)(FIRST_ROW + i);
		put_text(x, ws, row, 0, fd->kind, NULL);
		put_text(x, ws, row, 1, fd->resource_id, NULL);
		put_text(x, ws, row, 2, fd->resource_type, NULL);
		put_text(x, ws, row, 3, fd->region, NULL);
		put_text(x, ws, row, 4, fd->account_id, NULL);
		put_text(x, ws, row, 5, fd->action, NULL);
		put_text(x, ws, row, 6, fd->recommended_type, NULL);
		put_money(x, ws, row, 7, fd->monthly_cost, x->f.money);
		put_money(x, ws, row, 8, fd->savings, x->f.money);
		for (k = 0; k < fd->nev; k++) {
			char *next = ct_xasprintf("%s%s%s=%s", ev ? ev : "", ev ? "; " : "",
						  fd->ev[k].key, ct_render_nz(fd->ev[k].value));
			free(ev);
			ev = next;
		}
		put_text(x, ws, row, 9, ev, NULL);
		free(ev);
		cost = ct_render_add(cost, fd->monthly_cost);
		saving = ct_render_add(saving, fd->savings);
	}
	row = (lxw_row_t)(FIRST_ROW + n);
	put_text(x, ws, row, 0, "Total", x->f.total);
	for (lxw_col_t col = 1; col < CT_NELEM(cols); col++) {
		ct_money v = col == 7 ? cost : saving;

		if (col != 7 && col != 8) {
			put_text(x, ws, row, col, NULL, x->f.total);
			continue;
		}
		if (n == 0) {
			put_money(x, ws, row, col, 0, x->f.money_t);
			continue;
		}
		snprintf(f, sizeof(f), "=SUM(%s)",
			 range(FIRST_ROW, col, (lxw_row_t)(FIRST_ROW + n - 1), col, false).s);
		put_formula(x, ws, row, col, f, x->f.money_t, ct_money_to_double(v));
	}
	chk(x, worksheet_ignore_errors(ws, LXW_IGNORE_NUMBER_STORED_AS_TEXT, "A1:J1048576"),
	    "ignored errors");
}

/* The budgets of the config file: amount, spend and forecast as values;
 * the shares used and the status as formulas over them, so finance can
 * change an amount in the sheet and see the status follow. */
static void write_budgets(struct xw *x)
{
	const struct ct_budget_status *b = x->r->budgets;
	lxw_worksheet *ws = x->budgets;
	const struct column cols[] = {
		{"Budget", 28, false},	{"Scope", 34, false},	   {"Amount", 14, true},
		{"Spend", 14, true},	{"Used", 9, true},	   {"Forecast", 14, true},
		{"Forecast used", 10, true}, {"Warning at", 10, true}, {"Critical at", 10, true},
		{"Status", 10, false},	{"Forecast status", 12, false},
	};
	char f[512];

	sheet_top(x, ws, "Budgets",
		  b->complete ? "Spend against each budget of the config file; the month is "
				"complete, so the forecast is the spend."
			      : "Spend against each budget of the config file, and the month's "
				"run-rate forecast; shares and statuses are formulas.",
		  cols, CT_NELEM(cols), 1);
	sheet_table(x, ws, "Budgets", "Budgets", b->n, CT_NELEM(cols) - 1);
	for (size_t i = 0; i < b->n; i++) {
		const struct ct_budget_row *v = &b->v[i];
		lxw_row_t row = (lxw_row_t)(FIRST_ROW + i);
		struct ref amt = cell(row, 2, false), sp = cell(row, 3, false);
		struct ref fc = cell(row, 5, false), wr = cell(row, 7, false), cr = cell(row, 8, false);

		put_text(x, ws, row, 0, v->name, NULL);
		put_text(x, ws, row, 1, v->scope, NULL);
		put_money(x, ws, row, 2, v->amount, x->f.money);
		put_money(x, ws, row, 3, v->spend, x->f.money);
		snprintf(f, sizeof(f), "=%s/%s", sp.s, amt.s);
		put_formula(x, ws, row, 4, f, x->f.pct, v->used_pct / 100.0);
		put_money(x, ws, row, 5, v->forecast, x->f.money);
		snprintf(f, sizeof(f), "=%s/%s", fc.s, amt.s);
		put_formula(x, ws, row, 6, f, x->f.pct, v->forecast_pct / 100.0);
		put_num(x, ws, row, 7, v->warning_pct / 100.0, x->f.pct);
		put_num(x, ws, row, 8, v->critical_pct / 100.0, x->f.pct);
		snprintf(f, sizeof(f), "=IF(%s>=%s*%s,\"critical\",IF(%s>=%s*%s,\"warning\",\"ok\"))",
			 sp.s, amt.s, cr.s, sp.s, amt.s, wr.s);
		chk(x, worksheet_write_formula_str(ws, row, 9, f, NULL, v->status), "a formula cell");
		snprintf(f, sizeof(f), "=IF(%s>=%s*%s,\"critical\",IF(%s>=%s*%s,\"warning\",\"ok\"))",
			 fc.s, amt.s, cr.s, fc.s, amt.s, wr.s);
		chk(x, worksheet_write_formula_str(ws, row, 10, f, NULL, v->forecast_status),
		    "a formula cell");
	}
}

/* The ingested Kubernetes snapshot: each group's cost, total a formula. */
static void write_k8s(struct xw *x)
{
	const struct ct_k8s_cost *k = x->r->k8s;
	lxw_worksheet *ws = x->k8s;
	const struct column cols[] = {
		{k->by_name, 40, false}, {"Pods", 8, true},	       {"CPU", 14, true},
		{"Memory", 14, true},	 {"GPU", 14, true},	       {"Volumes", 14, true},
		{"Load balancers", 14, true}, {"Shared", 14, true}, {"Idle", 14, true},
		{"Monthly cost", 14, true},
	};
	char f[256], note[256], m[CT_RENDER_MONEY_MAX];
	lxw_row_t row;

	snprintf(note, sizeof(note),
		 "The ingested cluster snapshot at list prices: %s a month with the control plane; "
		 "idle, shared and special lines included, so the total is the cluster less the "
		 "control plane.",
		 ct_render_money(k->cluster, "USD", m, sizeof(m)));
	sheet_top(x, ws, "Kubernetes cost allocation", note, cols, CT_NELEM(cols), 1);
	sheet_table(x, ws, "Kubernetes", "Kubernetes", k->nalloc, CT_NELEM(cols) - 1);
	for (size_t i = 0; i < k->nalloc; i++) {
		const struct ct_k8s_cost_alloc *a = &k->alloc[i];

		row = (lxw_row_t)(FIRST_ROW + i);
		put_text(x, ws, row, 0, a->name, NULL);
		put_num(x, ws, row, 1, (double)a->pods, x->f.count);
		put_money(x, ws, row, 2, a->cpu, x->f.money);
		put_money(x, ws, row, 3, a->mem, x->f.money);
		put_money(x, ws, row, 4, a->gpu, x->f.money);
		put_money(x, ws, row, 5, a->pv, x->f.money);
		put_money(x, ws, row, 6, a->lb, x->f.money);
		put_money(x, ws, row, 7, a->shared, x->f.money);
		put_money(x, ws, row, 8, a->idle, x->f.money);
		put_money(x, ws, row, 9, a->total, x->f.money);
	}
	row = (lxw_row_t)(FIRST_ROW + k->nalloc);
	put_text(x, ws, row, 0, "Total", x->f.total);
	if (k->nalloc) {
		snprintf(f, sizeof(f), "=SUM(%s)",
			 range(FIRST_ROW, 9, (lxw_row_t)(row - 1), 9, false).s);
		put_formula(x, ws, row, 9, f, x->f.money_t,
			    ct_money_to_double(k->cluster - k->control_plane));
	}
}

static void write_savings(struct xw *x)
{
	const struct ct_report *r = x->r;
	const struct ct_recommend *rec = r->rec;
	lxw_worksheet *ws = x->savings;
	static const struct column cols[] = {
		{"Kind", 18, false},
		{"Instance type", 14, false},
		{"Region", 14, false},
		{"OS", 8, false},
		{"Term", 6, false},
		{"Payment", 16, false},
		{"Offering", 12, false},
		{"Instances", 10, true},
		{"Average running", 10, true},
		{"Utilisation", 11, true},
		{"Upfront", 13, true},
		{"On-demand hourly", 12, true},
		{"Effective hourly", 12, true},
		{"Monthly saving", 14, true},
		{"Saving at utilisation", 14, true},
		{"Break-even (months)", 11, true},
		{"Payback (months)", 11, true},
		{"Estimated", 10, false},
		{"Best option", 10, false},
		{"Note", 60, false},
	};
	enum { C_SAVING = 13, C_BEST = 18 };
	size_t i, n = ncommitments(r);
	lxw_row_t row;
	ct_money best = 0;
	char f[256];

	sheet_top(x, ws, "Savings: reserved instances, savings plans and spot",
		  !rec ? "Commitment projections were not computed for this workbook."
		       : "Each projection on the steady on-demand baseline; the total counts "
			 "the best option of each instance type, region and OS once.",
		  cols, CT_NELEM(cols), 2);
	sheet_table(x, ws, "Savings", "Commitments", n, CT_NELEM(cols) - 1);
	for (i = 0; i < n; i++) {
		const struct ct_commitment *cm = &rec->cm[i];

		row = (lxw_row_t)(FIRST_ROW + i);
		put_text(x, ws, row, 0, cm->kind, NULL);
		put_text(x, ws, row, 1, cm->instance_type, NULL);
		put_text(x, ws, row, 2, cm->region, NULL);
		put_text(x, ws, row, 3, cm->os, NULL);
		put_text(x, ws, row, 4, cm->term, NULL);
		put_text(x, ws, row, 5, cm->payment, NULL);
		put_text(x, ws, row, 6, cm->offering, NULL);
		put_num(x, ws, row, 7, cm->count, x->f.num1);
		put_num(x, ws, row, 8, cm->avg_count, x->f.num1);
		put_num(x, ws, row, 9, cm->utilisation, x->f.pct);
		put_money(x, ws, row, 10, cm->upfront, x->f.money);
		put_num(x, ws, row, 11, (double)cm->ondemand_hourly / (double)CT_RATE_UNIT,
			x->f.rate);
		put_num(x, ws, row, 12, (double)cm->effective_hourly / (double)CT_RATE_UNIT,
			x->f.rate);
		put_money(x, ws, row, C_SAVING, cm->savings, x->f.money);
		put_money(x, ws, row, 14, cm->savings_at_util, x->f.money);
		put_num(x, ws, row, 15, cm->break_even_months, x->f.num1);
		put_num(x, ws, row, 16, cm->payback_months, x->f.num1);
		put_text(x, ws, row, 17, cm->estimated ? "yes" : "no", NULL);
		put_text(x, ws, row, C_BEST, cm->best ? "yes" : "no", NULL);
		put_text(x, ws, row, 19, cm->note, NULL);
		if (cm->best)
			best = ct_render_add(best, cm->savings);
	}
	row = (lxw_row_t)(FIRST_ROW + n);
	put_text(x, ws, row, 0, "Total of the best options", x->f.total);
	for (lxw_col_t col = 1; col < CT_NELEM(cols); col++) {
		if (col != C_SAVING) {
			put_text(x, ws, row, col, NULL, x->f.total);
			continue;
		}
		if (n == 0) {
			put_money(x, ws, row, col, 0, x->f.money_t);
			continue;
		}
		/* "yes" is written above by this file, never taken from data */
		snprintf(f, sizeof(f), "=SUMIFS(%s,%s,\"yes\")",
			 range(FIRST_ROW, C_SAVING, (lxw_row_t)(FIRST_ROW + n - 1), C_SAVING, false)
				 .s,
			 range(FIRST_ROW, C_BEST, (lxw_row_t)(FIRST_ROW + n - 1), C_BEST, false).s);
		put_formula(x, ws, row, col, f, x->f.money_t, ct_money_to_double(best));
	}
	/* the saving by kind (findings and the best option of each kind) */
	if (rec && rec->nkt) {
		lxw_row_t first = row + 2;

		row = first;
		put_text(x, ws, row, 0, "Savings by kind", x->f.head);
		put_text(x, ws, row, 1, "Count", x->f.head_r);
		put_text(x, ws, row, 2, "Monthly saving", x->f.head_r);
		for (i = 0; i < rec->nkt; i++) {
			row++;
			put_text(x, ws, row, 0, rec->kt[i].kind, NULL);
			put_num(x, ws, row, 1, (double)rec->kt[i].n, x->f.count);
			put_money(x, ws, row, 2, rec->kt[i].savings, x->f.money);
		}
		define(x, "SavingsByKind", "Savings", first, 0, row, 2);
	}
}

/* ---- Line items ----------------------------------------------------------- */

static const struct column line_cols[] = {
	{"Charge period start", 16, false},
	{"Charge period end", 16, false},
	{"Provider", 10, false},
	{"Billing account", 15, false},
	{"Sub account", 15, false},
	{"Sub account name", 18, false},
	{"Service category", 14, false},
	{"Service", 28, false},
	{"Region", 14, false},
	{"Availability zone", 12, false},
	{"Resource ID", 24, false},
	{"Resource name", 24, false},
	{"Resource type", 14, false},
	{"Charge category", 10, false},
	{"Charge description", 40, false},
	{"SKU", 12, false},
	{"Pricing unit", 10, false},
	{"Pricing quantity", 12, true},
	{"Consumed quantity", 12, true},
	{"Billed cost", 13, true},
	{"Effective cost", 13, true},
	{"List cost", 13, true},
	{"Currency", 8, false},
};
#define LINE_FIXED CT_NELEM(line_cols)

struct line_sheets {
	struct xw *x;
	lxw_worksheet *ws; /* the sheet being filled; NULL before the first */
	int nsheets;
	lxw_row_t row;	/* next row to write */
	long per_sheet; /* data rows on a sheet */
	long left;	/* lines counted but not yet on a sheet */
	lxw_col_t last_col;
	const char *const *keys; /* tag keys (borrowed from the model) */
	size_t nkeys;
};

/* Start the next line sheet: header, widths, and the autofilter and name
 * over the rows it will get (known before they are written, as
 * constant-memory mode wants). */
static void line_sheet_open(struct line_sheets *ls)
{
	struct xw *x = ls->x;
	char sheet[32], name[32];
	long rows = ls->left < ls->per_sheet ? ls->left : ls->per_sheet;
	lxw_col_t c;

	if (rows < 0)
		rows = 0;
	ls->left -= rows;
	ls->nsheets++;
	if (ls->nsheets == 1) {
		snprintf(sheet, sizeof(sheet), "Line items");
		snprintf(name, sizeof(name), "LineItems");
	} else {
		snprintf(sheet, sizeof(sheet), "Line items %d", ls->nsheets);
		snprintf(name, sizeof(name), "LineItems%d", ls->nsheets);
	}
	ls->ws = workbook_add_worksheet(x->wb, sheet);
	if (!ls->ws) {
		chk(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a line-item sheet");
		return;
	}
	chk(x, worksheet_set_row(ls->ws, 0, 30, NULL), "a row height");
	for (c = 0; c <= ls->last_col; c++) {
		const char *head;
		double width;
		bool num;

		if (c < LINE_FIXED) {
			head = line_cols[c].head;
			width = line_cols[c].width;
			num = line_cols[c].numeric;
		} else if (c - LINE_FIXED < ls->nkeys) {
			head = ls->keys[c - LINE_FIXED];
			width = 14;
			num = false;
		} else {
			head = "Tags";
			width = 40;
			num = false;
		}
		chk(x, worksheet_set_column(ls->ws, c, c, width, NULL), "a column width");
		put_text(x, ls->ws, 0, c, head, num ? x->f.head_r : x->f.head);
	}
	worksheet_freeze_panes(ls->ws, 1, 0);
	chk(x, worksheet_autofilter(ls->ws, 0, 0, (lxw_row_t)rows, ls->last_col), "an autofilter");
	define(x, name, sheet, 0, 0, (lxw_row_t)rows, ls->last_col);
	chk(x, worksheet_ignore_errors(ls->ws, LXW_IGNORE_NUMBER_STORED_AS_TEXT, "A1:XFD1048576"),
	    "ignored errors");
	ls->row = 1;
}

static int line_row(void *arg, const struct ct_lines_row *l, struct ct_err *err)
{
	struct line_sheets *ls = arg;
	struct xw *x = ls->x;
	lxw_worksheet *ws;
	lxw_row_t row;
	const char *texts[] = {
		l->provider,	       l->billing_account_id,
		l->sub_account_id,     l->sub_account_name,
		l->service_category,   l->service_name,
		l->region_id,	       l->availability_zone,
		l->resource_id,	       l->resource_name,
		l->resource_type,      l->charge_category,
		l->charge_description, l->sku_id,
		l->pricing_unit,
	};
	size_t k;

	(void)err;
	if ((long)ls->row > ls->per_sheet)
		line_sheet_open(ls);
	if (x->e != LXW_NO_ERROR)
		return CT_E_IO;
	ws = ls->ws;
	row = ls->row++;
	chk(x, worksheet_write_unixtime(ws, row, 0, l->charge_start, x->f.datetime), "a date cell");
	chk(x, worksheet_write_unixtime(ws, row, 1, l->charge_end, x->f.datetime), "a date cell");
	for (k = 0; k < CT_NELEM(texts); k++)
		put_text(x, ws, row, (lxw_col_t)(2 + k), texts[k], NULL);
	if (l->has_pricing_quantity)
		put_num(x, ws, row, 17, l->pricing_quantity, x->f.qty);
	if (l->has_consumed_quantity)
		put_num(x, ws, row, 18, l->consumed_quantity, x->f.qty);
	put_money(x, ws, row, 19, l->billed, x->f.line_money);
	put_money(x, ws, row, 20, l->effective, x->f.line_money);
	if (l->has_list)
		put_money(x, ws, row, 21, l->list, x->f.line_money);
	put_text(x, ws, row, 22, l->currency, NULL);
	for (k = 0; k < ls->nkeys; k++)
		put_text(x, ws, row, (lxw_col_t)(LINE_FIXED + k), l->tag[k], NULL);
	put_text(x, ws, row, ls->last_col, l->tags, NULL);
	return x->e != LXW_NO_ERROR ? CT_E_IO : CT_OK;
}

static int write_lines(struct xw *x, long count, struct ct_err *err)
{
	const struct ct_report *r = x->r;
	struct line_sheets ls = {0};
	const char **keys;
	char m[8];
	int rc;
	keys = ct_xcalloc(r->ntags ? r->ntags : 1, sizeof(*keys));
	for (size_t t = 0; t < r->ntags; t++)
		keys[t] = r->tags[t].key;
	ls.x = x;
	ls.keys = keys;
	ls.nkeys = r->ntags;
	ls.per_sheet = x->o->max_rows > 0 && x->o->max_rows < EXCEL_ROWS - 1 ? x->o->max_rows
									     : EXCEL_ROWS - 1;
	ls.last_col = (lxw_col_t)(LINE_FIXED + r->ntags);
	ls.left = count;
	line_sheet_open(&ls); /* a month without lines still gets its sheet */
	rc = ct_lines_each(x->o->lines, month_of(r->month, m, sizeof(m)), keys, r->ntags, line_row,
			   &ls, err);
	free(keys);
	/* line_row() stops the walk with CT_E_IO on a libxlsxwriter error,
	 * which x->e holds and ct_xlsx_write() reports */
	if (rc == CT_E_IO && x->e != LXW_NO_ERROR)
		rc = CT_OK;
	return rc;
}

/* ---- Summary -------------------------------------------------------------- */

static void figure(struct xw *x, lxw_row_t row, const char *label)
{
	put_text(x, x->summary, row, 0, label, NULL);
}

static void write_summary(struct xw *x)
{
	const struct ct_report *r = x->r;
	lxw_worksheet *ws = x->summary;
	lxw_row_t row = 0, r_billed, r_prev = 0, r_untagged, first, last;
	char buf[256], f[256], m[8], pm[8], cur[32];
	size_t i, shown, n = r->by_service.n;
	char *svc = quoted("By service"), *fnd = quoted("Findings"), *sav = quoted("Savings");

	month_of(r->month, m, sizeof(m));
	month_of(r->prev_month, pm, sizeof(pm));
	snprintf(cur, sizeof(cur), "%.16s", r->currency[0] ? r->currency : "USD");
	chk(x, worksheet_set_column(ws, 0, 0, 40, NULL), "a column width");
	chk(x, worksheet_set_column(ws, 1, 1, 18, NULL), "a column width");
	chk(x, worksheet_set_column(ws, 2, 2, 16, NULL), "a column width");
	worksheet_gridlines(ws, LXW_HIDE_ALL_GRIDLINES);
	worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 1);
	snprintf(buf, sizeof(buf), "Cloud cost report, %s", m);
	put_text(x, ws, row++, 0, buf, x->f.title);
	snprintf(buf, sizeof(buf), "Billing period %s (%s), amounts in %s. Made by cloudtally %s.",
		 m, r->complete ? "complete" : "in progress", cur, PACKAGE_VERSION);
	put_text(x, ws, row++, 0, buf, x->f.note);
	row = HEAD_ROW;
	put_text(x, ws, row, 0, "Figure", x->f.head);
	put_text(x, ws, row++, 1, "Value", x->f.head_r);

	figure(x, row, "Month");
	put_text(x, ws, row++, 1, m, x->f.right);
	figure(x, row, "Currency");
	put_text(x, ws, row++, 1, cur, x->f.right);
	figure(x, row, "Billed cost");
	r_billed = row;
	put_money(x, ws, row++, 1, r->total_billed, x->f.money);
	figure(x, row, "Effective (amortized) cost");
	put_money(x, ws, row++, 1, r->total_effective, x->f.money);
	snprintf(buf, sizeof(buf), "Previous month billed (%s)", pm);
	figure(x, row, buf);
	if (r->has_prev) {
		r_prev = row;
		put_money(x, ws, row++, 1, r->prev_billed, x->f.money);
	} else {
		put_text(x, ws, row++, 1, "n/a", x->f.right);
	}
	snprintf(buf, sizeof(buf), "Previous month effective (%s)", pm);
	figure(x, row, buf);
	if (r->has_prev)
		put_money(x, ws, row++, 1, r->prev_effective, x->f.money);
	else
		put_text(x, ws, row++, 1, "n/a", x->f.right);
	figure(x, row, "Change in billed cost");
	if (r->has_prev) {
		struct ref a = cell(r_billed, 1, false), p = cell(r_prev, 1, false);

		snprintf(f, sizeof(f), "=%s-%s", a.s, p.s);
		put_formula(x, ws, row++, 1, f, x->f.money,
			    ct_money_to_double(ct_render_sub(r->total_billed, r->prev_billed)));
		figure(x, row, "Change in billed cost, %");
		snprintf(f, sizeof(f), "=IF(%s=0,\"n/a\",(%s-%s)/ABS(%s))", p.s, a.s, p.s, p.s);
		put_formula(x, ws, row++, 1, f, x->f.pct,
			    r->prev_billed == 0
				    ? NAN
				    : ((double)r->total_billed - (double)r->prev_billed) /
					      fabs((double)r->prev_billed));
	} else {
		put_text(x, ws, row++, 1, "n/a", x->f.right);
		figure(x, row, "Change in billed cost, %");
		put_text(x, ws, row++, 1, "n/a", x->f.right);
	}
	if (r->has_forecast) {
		figure(x, row, "Forecast billed cost (run rate)");
		put_money(x, ws, row++, 1, r->forecast, x->f.money);
	}
	figure(x, row, "Untagged billed cost");
	r_untagged = row;
	put_money(x, ws, row++, 1, r->untagged, x->f.money);
	figure(x, row, "Untagged share");
	{
		struct ref u = cell(r_untagged, 1, false), b = cell(r_billed, 1, false);

		snprintf(f, sizeof(f), "=IF(%s=0,\"n/a\",%s/%s)", b.s, u.s, b.s);
		put_formula(x, ws, row++, 1, f, x->f.pct,
			    r->total_billed == 0 ? NAN
						 : (double)r->untagged / (double)r->total_billed);
	}
	figure(x, row, "Billing lines");
	put_num(x, ws, row++, 1, (double)r->lines, x->f.count);
	figure(x, row, "Possible monthly savings");
	if (r->rec) {
		snprintf(f, sizeof(f), "=%s!%s+%s!%s", fnd,
			 cell((lxw_row_t)(FIRST_ROW + nfindings(r)), 8, true).s, sav,
			 cell((lxw_row_t)(FIRST_ROW + ncommitments(r)), 13, true).s);
		put_formula(x, ws, row++, 1, f, x->f.money,
			    ct_money_to_double(r->rec->total_savings));
		figure(x, row, "Findings");
		put_num(x, ws, row++, 1, (double)r->rec->n, x->f.count);
	} else {
		put_text(x, ws, row++, 1, "n/a", x->f.right);
	}
	define(x, "KeyFigures", "Summary", HEAD_ROW, 0, row - 1, 1);

	/* cost by service for the pie: the largest, then the rest */
	row++;
	first = row;
	put_text(x, ws, row, 0, "Cost by service", x->f.head);
	put_text(x, ws, row, 1, "Billed cost", x->f.head_r);
	put_text(x, ws, row++, 2, "Share of billed", x->f.head_r);
	shown = ct_render_shown(n, PIE_TOP);
	for (i = 0; i <= shown && n > 0; i++, row++) {
		struct ref b = cell(r_billed, 1, true), self = cell(row, 1, false);
		ct_money v;

		if (i < shown) {
			v = r->by_service.v[i].billed;
			put_text(x, ws, row, 0, nz_id(r->by_service.v[i].id), NULL);
			snprintf(f, sizeof(f), "=%s!%s", svc,
				 cell((lxw_row_t)(FIRST_ROW + i), 2, true).s);
		} else {
			struct ct_report_item rest;

			if (shown == n)
				break;
			ct_render_rest(&r->by_service, shown, &rest);
			v = rest.billed;
			snprintf(buf, sizeof(buf), "Other %zu services", n - shown);
			put_text(x, ws, row, 0, buf, NULL);
			snprintf(f, sizeof(f), "=SUM(%s!%s)", svc,
				 range((lxw_row_t)(FIRST_ROW + shown), 2,
				       (lxw_row_t)(FIRST_ROW + n - 1), 2, true)
					 .s);
		}
		put_formula(x, ws, row, 1, f, x->f.money, ct_money_to_double(v));
		snprintf(f, sizeof(f), "=IF(%s=0,\"n/a\",%s/%s)", b.s, self.s, b.s);
		put_formula(x, ws, row, 2, f, x->f.pct,
			    r->total_billed == 0 ? NAN : (double)v / (double)r->total_billed);
	}
	last = row - 1;
	define(x, "ServiceShare", "Summary", first, 0, last, 2);
	if (last > first) {
		lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_PIE);
		lxw_chart_series *s = ch ? chart_add_series(ch, NULL, NULL) : NULL;

		if (!s) {
			chk(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "the service chart");
		} else {
			chart_series_set_categories(s, "Summary", first + 1, 0, last, 0);
			chart_series_set_values(s, "Summary", first + 1, 1, last, 1);
			chart_series_set_name(s, "Billed cost");
			chart_title_set_name(ch, "Billed cost by service");
			chart_series_set_labels(s);
			chart_series_set_labels_options(s, LXW_FALSE, LXW_FALSE, LXW_FALSE);
			chart_series_set_labels_percentage(s);
			chk(x, worksheet_insert_chart(ws, HEAD_ROW, 4, ch), "the service chart");
		}
	}

	/* the last months */
	row++;
	first = row;
	put_text(x, ws, row, 0, "Month", x->f.head);
	put_text(x, ws, row, 1, "Billed cost", x->f.head_r);
	put_text(x, ws, row++, 2, "Effective cost", x->f.head_r);
	for (i = 0; i < r->nhistory; i++, row++) {
		put_text(x, ws, row, 0, month_of(r->history[i].month, buf, sizeof(buf)), NULL);
		put_money(x, ws, row, 1, r->history[i].billed, x->f.money);
		put_money(x, ws, row, 2, r->history[i].effective, x->f.money);
	}
	last = row - 1;
	define(x, "History", "Summary", first, 0, last, 2);
	if (last > first) {
		lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_COLUMN);
		lxw_chart_series *s = ch ? chart_add_series(ch, NULL, NULL) : NULL;

		if (!s) {
			chk(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "the history chart");
		} else {
			chart_series_set_categories(s, "Summary", first + 1, 0, last, 0);
			chart_series_set_values(s, "Summary", first + 1, 1, last, 1);
			chart_series_set_name(s, "Billed cost");
			chart_title_set_name(ch, "Billed cost of the last months");
			chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
			chart_axis_set_min(ch->y_axis, 0);
			chart_axis_set_num_format(ch->y_axis, "#,##0");
			chk(x, worksheet_insert_chart(ws, HEAD_ROW + 16, 4, ch),
			    "the history chart");
		}
	}

	/* notes: review thresholds, other currencies */
	if (r->nnotes) {
		row++;
		put_text(x, ws, row++, 0, "Notes", x->f.head);
		for (i = 0; i < r->nnotes; i++)
			put_text(x, ws, row++, 0, r->notes[i], NULL);
	}
	free(svc);
	free(fnd);
	free(sav);
}

/* ---- the workbook --------------------------------------------------------- */

static void properties(struct xw *x)
{
	const struct ct_report *r = x->r;
	char title[64], subject[160], comments[128], keywords[64], m[8], cur[32];
	char author[] = "cloudtally";
	lxw_doc_properties p = {0};

	month_of(r->month, m, sizeof(m));
	snprintf(cur, sizeof(cur), "%s", cell_text(x, r->currency[0] ? r->currency : "USD"));
	snprintf(title, sizeof(title), "Cloud cost report %s", m);
	snprintf(subject, sizeof(subject),
		 "Billed and effective cost of %s by service, account, region and tag", m);
	snprintf(comments, sizeof(comments), "Made by cloudtally %s", PACKAGE_VERSION);
	snprintf(keywords, sizeof(keywords), "FinOps, cloud cost, %s", m);
	p.title = title;
	p.subject = subject;
	p.author = author;
	p.comments = comments;
	p.keywords = keywords;
	p.created = (time_t)x->o->created; /* 0: libxlsxwriter takes the time now */
	chk(x, workbook_set_properties(x->wb, &p), "the document properties");
	chk(x, workbook_set_custom_property_string(x->wb, "Month", m), "a document property");
	chk(x, workbook_set_custom_property_string(x->wb, "Currency", cur), "a document property");
	chk(x,
	    workbook_set_custom_property_string(x->wb, "Generator", "cloudtally " PACKAGE_VERSION),
	    "a document property");
}

static lxw_worksheet *sheet(struct xw *x, const char *name)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);

	if (!ws)
		chk(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a worksheet");
	return ws;
}

int ct_xlsx_write(const struct ct_report *r, const struct ct_xlsx_opts *o, const char *path,
		  struct ct_err *err)
{
	static const struct ct_xlsx_opts none = {0};
	struct xw x = {0};
	lxw_workbook_options wo = {0};
	char *tmpdir = getenv("TMPDIR");
	char m[8];
	long lines = 0;
	int rc = CT_OK;

	x.r = r;
	x.o = o ? o : &none;
	if (x.o->lines &&
	    ct_lines_count(x.o->lines, month_of(r->month, m, sizeof(m)), &lines, err) != CT_OK)
		return CT_E_DB;
	wo.constant_memory = x.o->lines ? LXW_TRUE : LXW_FALSE;
	wo.use_zip64 = lines > ZIP64_LINES ? LXW_TRUE : LXW_FALSE;
	wo.tmpdir = tmpdir && *tmpdir ? tmpdir : NULL;
	x.wb = workbook_new_opt(path, &wo);
	if (!x.wb)
		return ct_err_set(err, CT_E_IO, path, 0, "cannot start the workbook");
	make_formats(&x);
	properties(&x);
	x.summary = sheet(&x, "Summary");
	x.service = sheet(&x, "By service");
	x.account = sheet(&x, "By account");
	x.region = sheet(&x, "By region");
	x.tag = sheet(&x, "By tag");
	x.daily = sheet(&x, "Daily");
	x.findings = sheet(&x, "Findings");
	x.savings = sheet(&x, "Savings");
	if (r->budgets && r->budgets->n)
		x.budgets = sheet(&x, "Budgets");
	if (r->k8s)
		x.k8s = sheet(&x, "Kubernetes");
	if (x.e != LXW_NO_ERROR)
		goto out;
	write_summary(&x);
	{
		char t1[64], t2[64], t3[64];
		const struct breakdown bds[] = {
			{x.service, "By service", "ByService", t1, "Service", "Category",
			 SECOND_CATEGORY, true, &r->by_service},
			{x.account, "By account", "ByAccount", t2, "Account", "Account name",
			 SECOND_NAME, true, &r->by_account},
			{x.region, "By region", "ByRegion", t3, "Region", "Region name",
			 SECOND_NAME, false, &r->by_region},
		};

		month_of(r->month, m, sizeof(m));
		snprintf(t1, sizeof(t1), "Cost by service, %s", m);
		snprintf(t2, sizeof(t2), "Cost by account, %s", m);
		snprintf(t3, sizeof(t3), "Cost by region, %s", m);
		for (size_t i = 0; i < CT_NELEM(bds); i++)
			write_breakdown(&x, &bds[i]);
	}
	write_tags(&x);
	write_daily(&x);
	write_findings(&x);
	write_savings(&x);
	if (x.budgets)
		write_budgets(&x);
	if (x.k8s)
		write_k8s(&x);
	if (x.e == LXW_NO_ERROR && x.o->lines)
		rc = write_lines(&x, lines, err);
out:
	if (x.e == LXW_NO_ERROR && rc == CT_OK) {
		lxw_error e = workbook_close(x.wb);

		x.wb = NULL;
		if (e != LXW_NO_ERROR) {
			x.e = e;
			snprintf(x.what, sizeof(x.what), "the file");
		}
	}
	if (x.wb)
		lxw_workbook_free(x.wb);
	if (x.e != LXW_NO_ERROR)
		rc = ct_err_set(err, CT_E_IO, path, 0, "cannot write the workbook (%s): %s", x.what,
				lxw_strerror(x.e));
	free(x.buf);
	return rc;
}
