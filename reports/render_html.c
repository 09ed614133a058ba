/*
 * render_html.c - the monthly report as one self-contained HTML5 page:
 * inline CSS, one small inline script, inline SVG charts, and no external
 * fonts, images, scripts or links, so it can be mailed, archived or opened
 * offline. The sections are the text report's, in its order and with the
 * markdown report's wording, plus a month-over-month chart; summary cards
 * for the totals, a table per breakdown, SVG charts of the cost by
 * service, the daily cost with its anomalies and the history, the
 * budgets when the report has them, and the savings opportunities of the
 * recommend model.
 *
 * The script only makes tables sortable (a click on a column heading;
 * numbers sort by the raw value in data-v) and opens folded details for
 * printing: the page reads completely without it. Charts are drawn here
 * with x positions in percent and text in pixels, so they stay legible
 * from a phone to a wide screen; every chart has a title and its figures
 * are also in a table.
 *
 * Depends on the model (report.h, recommend.h, budget.h) and the shared
 * helpers (render.h); it only formats what the model holds, in the model's
 * order, except that findings and commitment options are listed by saving,
 * and never writes anywhere but the FILE * given. Every string from the model
 * goes through put_html(): & < > " ' become references, control
 * characters and invalid UTF-8 become U+FFFD, so model text can never
 * become markup, in text or in a quoted attribute. The amounts from
 * ct_render_money() and friends are plain ASCII without markup
 * characters, so they are written as they are.
 */
#include "ct.h"
#include "render.h"
#include "recommend.h"
#include "budget.h"
#include "k8s_cost.h"
#include "money.h"
#include "clock.h"

#include <math.h>

#define SVC_CHART_TOP 10      /* services drawn before the "other" bar */
#define SVC_ROW 40	      /* height of one service: label line and bar */
#define SVC_LABEL_MAX 34      /* code points of a service name in the chart */
#define PLOT_TOP 24	      /* room above the plot for value labels */
#define PLOT_H 170	      /* plot height: the top gridline */
#define PLOT_BOTTOM 40	      /* room below the plot for the x labels */
#define MOM_SLOTS 6	      /* fewer months are drawn this narrow, centred */
#define HTML_TOP_FINDINGS 100 /* findings listed before "top N of M" */

#define HTML_MAX(a, b) ((a) > (b) ? (a) : (b))
#define HTML_MIN(a, b) ((a) < (b) ? (a) : (b))

static const char style[] =
	":root{--fg:#1f2328;--muted:#59636e;--line:#d8dee4;--soft:#f6f8fa;"
	"--bar:#2563c9;--prev:#a9c3ec;--other:#aeb7c2;--track:#eef1f4;"
	"--hot:#cf222e;--good:#1a7f37;--link:#0a58b5}\n"
	"*{box-sizing:border-box}\n"
	"html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\n"
	"body{margin:0;color:var(--fg);background:#fff;"
	"font:15px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,"
	"\"Helvetica Neue\",Arial,sans-serif}\n"
	"main{max-width:1200px;margin:0 auto;padding:32px 24px 56px}\n"
	"header{border-bottom:3px solid var(--fg);padding-bottom:14px}\n"
	"h1{font-size:1.75em;line-height:1.2;margin:0 0 6px}\n"
	"h2{font-size:1.25em;line-height:1.3;margin:44px 0 12px;"
	"padding-bottom:6px;border-bottom:1px solid var(--line)}\n"
	"h3{font-size:1.02em;margin:26px 0 8px}\n"
	"p{margin:8px 0}\n"
	"code{font:.9em/1.3 ui-monospace,SFMono-Regular,Menlo,Consolas,"
	"monospace;background:var(--soft);padding:1px 4px;border-radius:4px}\n"
	"p code{white-space:nowrap}\n"
	"a{color:var(--link)}\n"
	".sub{color:var(--muted);margin:0}\n"
	".vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);"
	"white-space:nowrap;margin:0;padding:0;border:0}\n"
	".muted{color:var(--muted)}\n.small{font-size:.85em}\n"
	".up{color:var(--hot)}\n.down{color:var(--good)}\n"
	"nav{display:flex;flex-wrap:wrap;gap:2px 16px;margin:12px 0 0;"
	"font-size:.88em}\n"
	"nav a{text-decoration:none}\nnav a:hover{text-decoration:underline}\n"
	".cards{display:grid;grid-template-columns:repeat(auto-fit,"
	"minmax(150px,1fr));gap:12px;margin:22px 0 0}\n"
	".card{border:1px solid var(--line);border-radius:8px;"
	"padding:12px 16px;background:var(--soft);min-width:0}\n"
	".card.save{background:#edf7ef;border-color:#b4dfbf}\n"
	".card .k{font-size:.74em;font-weight:600;color:var(--muted);"
	"text-transform:uppercase;letter-spacing:.06em}\n"
	".card .v{font-size:1.45em;font-weight:650;margin-top:2px;"
	"font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	".card .d{font-size:.83em;color:var(--muted)}\n"
	".hint{display:none;font-size:.85em;color:var(--muted);margin:18px 0 0}\n"
	"body[data-sorted-ready] .hint{display:block}\n"
	".tw{overflow-x:auto;margin:8px 0}\n"
	"table{border-collapse:collapse;width:100%;font-size:.92em}\n"
	"th,td{padding:6px 10px;border-bottom:1px solid var(--line);"
	"text-align:left;vertical-align:top}\n"
	"thead th{background:var(--soft);font-weight:600;white-space:nowrap;"
	"border-bottom:2px solid var(--line)}\n"
	"tfoot td{color:var(--muted)}\n"
	"tfoot tr.other td{font-style:italic}\n"
	"tfoot tr.total td{color:var(--fg);font-weight:650;"
	"border-top:2px solid var(--line)}\n"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;"
	"white-space:nowrap}\n"
	"tr.hot td{background:#fff1f0}\n"
	"table.dense{font-size:.86em}\ntable.dense td,table.dense th{padding:6px 7px}\n"
	"table.dense thead th{white-space:normal;vertical-align:bottom}\n"
	"td.nw{white-space:nowrap}\ntd.w8{min-width:8em}\ntd.w10{min-width:10em}\n"
	"@media (hover:hover){tbody tr:hover td{background:#f1f6fe}}\n"
	"th button{all:unset;cursor:pointer}\n"
	"th button:focus-visible{outline:2px solid var(--link);"
	"outline-offset:2px}\n"
	"th button::after{content:\"\\2195\";color:#b4bcc6;margin-left:4px;"
	"font-weight:400}\n"
	"th[aria-sort=ascending] button::after{content:\"\\25B2\";"
	"color:var(--fg);font-size:.75em}\n"
	"th[aria-sort=descending] button::after{content:\"\\25BC\";"
	"color:var(--fg);font-size:.75em}\n"
	".meter{display:block;min-width:5em;height:5px;margin-top:3px;background:var(--track);"
	"border-radius:3px;overflow:hidden}\n"
	".meter span{display:block;height:100%;background:var(--good)}\n"
	".meter.warning span{background:#d4a72c}\n.meter.critical span{background:var(--hot)}\n"
	"td.st.warning{color:#9a6700;font-weight:600}\ntd.st.critical{color:var(--hot);"
	"font-weight:650}\n"
	"details{margin:8px 0}\n"
	"summary{cursor:pointer;color:var(--link)}\n"
	"td details{margin:0;max-width:28em}\ntd summary{font-size:.9em;white-space:nowrap}\n"
	"dl.ev{display:grid;grid-template-columns:auto auto;gap:0 10px;"
	"margin:4px 0;font-size:.85em}\n"
	"dl.ev dt{color:var(--muted)}\ndl.ev dd{margin:0}\n"
	"figure{margin:14px 0 6px}\n"
	"svg.chart{display:block;width:100%;overflow:visible;font-size:12px;"
	"font-variant-numeric:tabular-nums}\n"
	".chart text{fill:var(--muted)}\n"
	".chart text.l{fill:var(--fg);font-size:13px}\n"
	".chart text.hv{fill:var(--hot);font-weight:650}\n"
	".chart text.cv{fill:var(--fg);font-weight:600}\n"
	".chart .b{fill:var(--bar)}\n.chart .p{fill:var(--prev)}\n"
	".chart .o{fill:var(--other)}\n.chart .h{fill:var(--hot)}\n"
	".chart .t{fill:var(--track)}\n"
	".chart text.h{fill:var(--hot);font-weight:650}\n"
	".chart .g{stroke:var(--line)}\n"
	".chart .z{stroke:#8c959f}\n"
	".chart .mean{stroke:var(--muted);stroke-dasharray:5 4}\n"
	"figcaption,.legend{font-size:.85em;color:var(--muted);margin:8px 0 0}\n"
	".sw{display:inline-block;width:11px;height:11px;border-radius:2px;"
	"margin:0 5px 0 0;vertical-align:-1px}\n"
	".sw.dash{height:0;width:16px;border-top:2px dashed var(--muted);"
	"border-radius:0;vertical-align:3px}\n"
	".legend span+span{margin-left:16px}\n"
	".split{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);"
	"gap:28px;align-items:start}\n"
	".grid2{display:grid;grid-template-columns:repeat(auto-fit,"
	"minmax(min(100%,420px),1fr));gap:0 28px}\n"
	".callout{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 18px;"
	"border:1px solid #b4dfbf;background:#edf7ef;border-radius:8px;"
	"padding:14px 18px;margin:12px 0}\n"
	".callout .k{font-size:.74em;font-weight:600;color:var(--muted);"
	"text-transform:uppercase;letter-spacing:.06em}\n"
	".callout .big{font-size:1.7em;font-weight:700;margin:0;color:#116329;"
	"font-variant-numeric:tabular-nums}\n"
	".callout>p{margin:0;flex:1 1 320px;color:var(--muted)}\n"
	".notice{border-left:4px solid #d4a72c;background:#fff8e5;"
	"padding:10px 14px;border-radius:0 6px 6px 0}\n"
	"ul.notes{padding-left:20px}\n"
	"footer{margin-top:44px;padding-top:10px;border-top:1px solid "
	"var(--line);color:var(--muted);font-size:.8em}\n"
	"@media (max-width:760px){body{font-size:14px}"
	"main{padding:20px 14px 40px}h1{font-size:1.45em}"
	".split{grid-template-columns:minmax(0,1fr);gap:8px}"
	".card{padding:10px 12px}.card .v{font-size:1.25em}"
	".chart .m{display:none}th,td{padding:5px 8px}}\n"
	"@media print{@page{margin:14mm}"
	"body{font-size:10pt}main{max-width:none;padding:0}"
	"nav,body[data-sorted-ready] .hint,th[aria-sort] button::after,th button::after"
	"{display:none}"
	"dl.ev{display:block}dl.ev dt,dl.ev dd{display:inline}dl.ev dt::after{content:\": \"}"
	"dl.ev dd::after{content:\"; \"}"
	".tw{overflow:visible}a{color:inherit;text-decoration:none}"
	"tr,figure,.card,.callout,.notice,dl{break-inside:avoid}"
	"h2,h3{break-after:avoid}thead{display:table-header-group}"
	"tr.hot td,tbody tr:hover td{background:none}"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n"
	/* alone: a browser that does not know ::details-content drops only
	 * this rule; it prints folded details open without the script */
	"@media print{details::details-content{content-visibility:visible;"
	"display:contents}}\n";

/* Sortable tables and details opened for printing. Kept to ES5 and to
 * what every browser has; it never needs the network. */
static const char script[] =
	"(function(){var d=document;"
	"function k(c){var v=c.getAttribute('data-v');"
	"return v===null?c.textContent.trim():v===''?-Infinity:+v}"
	"function cmp(x,y){return typeof x=='number'&&typeof y=='number'?"
	"(x<y?-1:x>y?1:0):String(x).localeCompare(String(y),undefined,"
	"{numeric:true})}"
	"function all(s,f){Array.prototype.forEach.call(d.querySelectorAll(s),f)}"
	"all('table.sortable',function(t){var hs=t.tHead.rows[0].cells;"
	"Array.prototype.forEach.call(hs,function(h,i){"
	"if(h.classList.contains('ns'))return;"
	"var b=d.createElement('button');b.type='button';"
	"while(h.firstChild)b.appendChild(h.firstChild);h.appendChild(b);"
	"b.addEventListener('click',function(){"
	"var s=h.getAttribute('aria-sort'),tb=t.tBodies[0],"
	"o=s=='descending'?1:s=='ascending'?-1:h.classList.contains('n')?-1:1,"
	"rs=Array.prototype.slice.call(tb.rows);"
	"rs.sort(function(p,q){return o*cmp(k(p.cells[i]),k(q.cells[i]))});"
	"rs.forEach(function(r){tb.appendChild(r)});"
	"Array.prototype.forEach.call(hs,function(x){"
	"x.removeAttribute('aria-sort')});"
	"h.setAttribute('aria-sort',o>0?'ascending':'descending')})})});"
	"addEventListener('beforeprint',function(){"
	"all('details:not([open])',function(x){x.open=true;"
	"x.setAttribute('data-shut','')})});"
	"addEventListener('afterprint',function(){"
	"all('details[data-shut]',function(x){x.open=false;"
	"x.removeAttribute('data-shut')})});"
	"d.body.setAttribute('data-sorted-ready','1')})();\n";

static const char *const month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* Write s (NULL: nothing) as HTML text, also safe in a quoted attribute. */
static void put_html(FILE *out, const char *s)
{
	uint32_t cp;

	s = ct_render_nz(s);
	while ((cp = ct_render_utf8_next(&s)) != 0) {
		switch (cp) {
		case '&':
			fputs("&amp;", out);
			continue;
		case '<':
			fputs("&lt;", out);
			continue;
		case '>':
			fputs("&gt;", out);
			continue;
		case '"':
			fputs("&quot;", out);
			continue;
		case '\'':
			fputs("&#39;", out);
			continue;
		default:
			break;
		}
		if ((cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7F && cp < 0xA0))
			cp = 0xFFFD;
		ct_render_put_utf8(out, cp);
	}
}

/* Write at most max code points of s as put_html() does, then an ellipsis
 * when s was longer (chart labels; the full text goes in a <title>). */
static void put_html_cut(FILE *out, const char *s, size_t max)
{
	const char *p = ct_render_nz(s);
	size_t n = 0;
	char *head;

	while (n < max && ct_render_utf8_next(&p) != 0)
		n++;
	if (*p == '\0') {
		put_html(out, s);
		return;
	}
	/* keep room for the ellipsis */
	p = ct_render_nz(s);
	for (n = 0; n + 1 < max; n++)
		ct_render_utf8_next(&p);
	head = ct_xstrndup(ct_render_nz(s), (size_t)(p - ct_render_nz(s)));
	put_html(out, head);
	fputs("\xe2\x80\xa6", out);
	free(head);
}

/* Write the first n bytes of a fixed-size model field (month, date). */
static void put_html_n(FILE *out, const char *field, size_t n)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%.*s", (int)n, field);
	put_html(out, buf);
}

/* The class of a change: "up" (cost grew), "down" or "" (no change). */
static const char *trend(ct_money cur, ct_money prev, bool has_prev)
{
	ct_money d = ct_render_sub(cur, prev);

	if (!has_prev)
		return "";
	if (d >= CT_MONEY_UNIT / 200)
		return "up";
	if (d <= -CT_MONEY_UNIT / 200)
		return "down";
	return "";
}

/* The number written by the n digits at s, or -1 when one is not a digit
 * (the year, month and day of model dates). */
static int digits(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Whether month b ("YYYY-MM") is the calendar month after a. */
static bool month_follows(const char *a, const char *b)
{
	int ya, yb;
	unsigned ma, mb;

	if (ct_clock_parse_month(a, &ya, &ma) != 0 || ct_clock_parse_month(b, &yb, &mb) != 0)
		return false;
	return (ma == 12 && yb == ya + 1 && mb == 1) || (yb == ya && mb == ma + 1);
}

/* ---- table cells --------------------------------------------------------- */

/* The raw value of an amount for sorting: dollars, exact. */
static void put_data_money(FILE *out, ct_money m)
{
	char v[48];

	fprintf(out, " data-v=\"%s\"", ct_money_format(m, 9, false, v, sizeof(v)));
}

static void money_td(FILE *out, const char *currency, ct_money m)
{
	char v[CT_RENDER_MONEY_MAX];

	fputs("<td class=\"n\"", out);
	put_data_money(out, m);
	fprintf(out, ">%s</td>", ct_render_money(m, currency, v, sizeof(v)));
}

static void text_td(FILE *out, const char *s)
{
	fputs("<td>", out);
	put_html(out, s);
	fputs("</td>", out);
}

/* The Previous and Change cells of a row; without a previous month both
 * say n/a and sort last. */
static void change_tds(FILE *out, const struct ct_report *r, ct_money cur, ct_money prev)
{
	char c[CT_RENDER_CHANGE_MAX];
	const char *t = trend(cur, prev, r->has_prev);

	if (r->has_prev)
		money_td(out, r->currency, prev);
	else
		fputs("<td class=\"n\" data-v=\"\">n/a</td>", out);
	fprintf(out, "<td class=\"n%s%s\"", *t ? " " : "", t);
	if (r->has_prev)
		put_data_money(out, ct_render_sub(cur, prev));
	else
		fputs(" data-v=\"\"", out);
	fprintf(out, ">%s</td>",
		ct_render_change(cur, prev, r->has_prev, r->currency, c, sizeof(c)));
}

/* A billed amount and its share of the month's billed total. */
static void share_tds(FILE *out, const struct ct_report *r, ct_money billed)
{
	char s[CT_RENDER_PCT_MAX];

	money_td(out, r->currency, billed);
	fputs("<td class=\"n\"", out);
	put_data_money(out, billed);
	fprintf(out, ">%s</td>", ct_render_share(billed, r->total_billed, s, sizeof(s)));
}

static void table_open(FILE *out)
{
	fputs("<div class=\"tw\"><table class=\"sortable\">\n", out);
}

/* A wide table in a smaller type (findings, commitments). */
static void dense_table_open(FILE *out)
{
	fputs("<div class=\"tw\"><table class=\"sortable dense\">\n", out);
}

/* A text cell that does not wrap (ids, short codes). */
static void nw_td(FILE *out, const char *s)
{
	fputs("<td class=\"nw\">", out);
	put_html(out, s);
	fputs("</td>", out);
}

static void table_close(FILE *out)
{
	fputs("</table></div>\n", out);
}

/* A section heading with its anchor. */
static void h2(FILE *out, const char *id, const char *title)
{
	fprintf(out, "\n<section id=\"%s\">\n<h2>%s</h2>\n", id, title);
}

/* ---- chart helpers ------------------------------------------------------- */

/* An amount in dollars for an axis or a column label: no cents when it is
 * whole, thousands and millions abbreviated for USD. */
static const char *short_money(double dollars, const char *currency, char *buf, size_t len)
{
	bool usd = !currency || !*currency || !strcmp(currency, "USD");
	double a = fabs(dollars);
	char *p;

	if (usd && a >= 1e6) {
		snprintf(buf, len, "%s$%.1fM", dollars < 0 ? "-" : "", a / 1e6);
		if ((p = strstr(buf, ".0M")) != NULL)
			memmove(p, p + 2, strlen(p + 2) + 1);
		return buf;
	}
	if (usd && a >= 1e5) {
		snprintf(buf, len, "%s$%.0fk", dollars < 0 ? "-" : "", a / 1e3);
		return buf;
	}
	ct_render_money((ct_money)llround(dollars * (double)CT_MONEY_UNIT), currency, buf, len);
	p = strstr(buf, ".00");
	if (p && (p[3] == '\0' || p[3] == ' '))
		memmove(p, p + 3, strlen(p + 3) + 1);
	return buf;
}

/* A y axis for amounts up to max: a round step (1, 2, 2.5 or 5 times a
 * power of ten) giving about four intervals, and the top gridline. */
static void axis(ct_money max, double *step, double *top)
{
	double m = max > 0 ? ct_money_to_double(max) : 1.0;
	double raw = m / 4, mag = pow(10, floor(log10(raw))), f = raw / mag;

	*step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
	if (*step < 0.01)
		*step = 0.01; /* labels are cents at the finest */
	*top = ceil(m / *step - 1e-9) * *step;
	if (*top <= 0)
		*top = *step;
}

/* Pixels from the top of the plot area to the amount v on an axis whose
 * top gridline is top dollars; amounts below zero sit on the base line. */
static int plot_y(ct_money v, double top)
{
	double h = v > 0 ? ct_money_to_double(v) / top * PLOT_H : 0;

	if (h > PLOT_H)
		h = PLOT_H;
	return PLOT_TOP + PLOT_H - (int)lround(h);
}

/* Open a column chart: the svg with room on the left for the axis labels,
 * its title and description, the gridlines and their labels. */
static void column_chart_open(FILE *out, const char *id, const char *title, const char *desc,
			      double step, double top, const char *currency)
{
	char lab[CT_RENDER_MONEY_MAX];
	int k, n = (int)lround(top / step);
	size_t w = 0;

	for (k = 0; k <= n; k++)
		w = HTML_MAX(w, strlen(short_money(k * step, currency, lab, sizeof(lab))));
	fprintf(out,
		"<figure>\n<svg class=\"chart\" height=\"%d\" style=\"padding-left:%dpx\" "
		"role=\"img\" aria-labelledby=\"%s-t %s-d\">\n"
		"<title id=\"%s-t\">%s</title>\n<desc id=\"%s-d\">%s</desc>\n",
		PLOT_TOP + PLOT_H + PLOT_BOTTOM, (int)w * 7 + 12, id, id, id, title, id, desc);
	for (k = 0; k <= n; k++) {
		double t = k * step;
		int y = plot_y((ct_money)llround(t * (double)CT_MONEY_UNIT), top);

		fprintf(out,
			"<line class=\"%s\" x1=\"0\" x2=\"100%%\" y1=\"%d\" y2=\"%d\"/>"
			"<text x=\"-8\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
			k == 0 ? "z" : "g", y, y, y + 4,
			short_money(t, currency, lab, sizeof(lab)));
	}
}

/* Write the x position and anchor of a label over a column that spans
 * left to right (percent of the plot): centred, or kept inside the plot
 * near its edges, where a centred amount would stick out on a phone. */
static void put_label_x(FILE *out, double left, double right)
{
	double c = (left + right) / 2;

	if (c < 8)
		fprintf(out, "x=\"%.3f%%\" text-anchor=\"start\"", left);
	else if (c > 92)
		fprintf(out, "x=\"%.3f%%\" text-anchor=\"end\"", right);
	else
		fprintf(out, "x=\"%.3f%%\" text-anchor=\"middle\"", c);
}

/* ---- header and totals ---------------------------------------------------- */

static void card(FILE *out, const char *cls, const char *key, const char *value, const char *vcls,
		 const char *detail)
{
	fprintf(out,
		"<div class=\"card%s%s\"><div class=\"k\">%s</div>"
		"<div class=\"v%s%s\">%s</div>",
		*cls ? " " : "", cls, key, *vcls ? " " : "", vcls, value);
	if (detail) {
		fputs("<div class=\"d\">", out);
		put_html(out, detail);
		fputs("</div>", out);
	}
	fputs("</div>\n", out);
}

static void title_text(FILE *out, const struct ct_report *r)
{
	fputs("Cloud cost report — ", out);
	put_html_n(out, r->month, 7);
	fputs(" (", out);
	put_html_n(out, r->currency, 7);
	fputs(")", out);
}

static void header_and_cards(FILE *out, const struct ct_report *r)
{
	char v[CT_RENDER_MONEY_MAX], d[CT_RENDER_CHANGE_MAX], p[CT_RENDER_PCT_MAX];
	char detail[96];

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"cloudtally\">\n"
	      "<meta name=\"color-scheme\" content=\"light\">\n<title>",
	      out);
	title_text(out, r);
	fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n<header>\n<h1>",
		style);
	title_text(out, r);
	fputs("</h1>\n<p class=\"sub\">Billing period <strong>", out);
	put_html_n(out, r->month, 7);
	fputs("</strong>", out);
	if (r->complete)
		fputs(", complete.", out);
	else
		fprintf(out, ", in progress: %d of %d days with charges.", r->days_with_data,
			r->days_in_month);
	fputs(r->has_prev ? " Compared with " : " No billing data for ", out);
	put_html_n(out, r->prev_month, 7);
	fputs(r->has_prev ? ".</p>\n" : " to compare with.</p>\n", out);

	fputs("<nav aria-label=\"Sections\"><a href=\"#history\">Month over month</a>"
	      "<a href=\"#services\">By service</a><a href=\"#accounts\">By account</a>"
	      "<a href=\"#regions\">By region</a><a href=\"#movers\">Top movers</a>"
	      "<a href=\"#tags\">Cost allocation by tag</a>"
	      "<a href=\"#daily\">Daily billed cost</a><a href=\"#anomalies\">Anomalies</a>",
	      out);
	if (r->budgets && r->budgets->n)
		fputs("<a href=\"#budgets\">Budgets</a>", out);
	if (r->rec)
		fputs("<a href=\"#savings\">Savings opportunities</a>", out);
	if (r->k8s)
		fputs("<a href=\"#kubernetes\">Kubernetes</a>", out);
	if (r->nnotes)
		fputs("<a href=\"#notes\">Notes</a>", out);
	fputs("</nav>\n</header>\n", out);

	fputs("<section id=\"totals\">\n<h2 class=\"vh\">Totals</h2>\n<div class=\"cards\">\n",
	      out);
	card(out, "", "Billed cost", ct_render_money(r->total_billed, r->currency, v, sizeof(v)),
	     "", NULL);
	card(out, "", "Effective cost",
	     ct_render_money(r->total_effective, r->currency, v, sizeof(v)), "", "amortized");
	if (r->has_prev) {
		char e[CT_RENDER_MONEY_MAX];

		snprintf(detail, sizeof(detail), "%.7s; effective %s", r->prev_month,
			 ct_render_money(r->prev_effective, r->currency, e, sizeof(e)));
		card(out, "", "Previous month",
		     ct_render_money(r->prev_billed, r->currency, v, sizeof(v)), "", detail);
		ct_render_pct(r->total_billed, r->prev_billed, p, sizeof(p));
		snprintf(detail, sizeof(detail), "%s vs %.7s", p, r->prev_month);
		card(out, "", "Change in billed cost",
		     ct_render_delta(r->total_billed, r->prev_billed, r->currency, d, sizeof(d)),
		     trend(r->total_billed, r->prev_billed, true), detail);
	} else {
		card(out, "", "Previous month", "n/a", "", "no data");
		card(out, "", "Change in billed cost", "n/a", "", NULL);
	}
	if (r->has_forecast)
		card(out, "", "Forecast billed cost",
		     ct_render_money(r->forecast, r->currency, v, sizeof(v)), "", "run rate");
	if (r->rec) {
		if (r->rec->n == 0 && !r->rec->has_metrics)
			snprintf(detail, sizeof(detail), "no inventory or metrics yet");
		else
			snprintf(detail, sizeof(detail), "%zu finding%s and commitment options",
				 r->rec->n, r->rec->n == 1 ? "" : "s");
		card(out, "save", "Estimated monthly saving",
		     ct_render_money(r->rec->total_savings, "USD", v, sizeof(v)), "", detail);
	}
	card(out, "", "Billing lines", ct_render_count(r->lines, v, sizeof(v)), "", NULL);
	fputs("</div>\n</section>\n<p class=\"hint\">Select a column heading to sort a "
	      "table.</p>\n",
	      out);
}

/* ---- month over month -------------------------------------------------- */

static void history_chart(FILE *out, const struct ct_report *r)
{
	char v[CT_RENDER_MONEY_MAX], desc[160];
	size_t i, n = r->nhistory, slots = HTML_MAX(n, (size_t)MOM_SLOTS);
	double step, top, slot = 100.0 / (double)slots;
	double off = (double)(slots - n) / 2.0;
	ct_money max = 0;

	for (i = 0; i < n; i++)
		max = HTML_MAX(max, r->history[i].billed);
	axis(max, &step, &top);
	snprintf(desc, sizeof(desc),
		 "One column per month, %zu month%s ending %.7s; the figures are in the "
		 "table next to the chart.",
		 n, n == 1 ? "" : "s", r->month);
	column_chart_open(out, "hist", "Billed cost by month", desc, step, top, r->currency);
	for (i = 0; i < n; i++) {
		const struct ct_report_month *h = &r->history[i];
		double x = (off + (double)i) * slot, cx = x + slot / 2;
		int y = plot_y(h->billed, top), yr;
		bool last = i + 1 == n;
		unsigned m;

		fprintf(out,
			"<rect class=\"%s\" x=\"%.3f%%\" y=\"%d\" width=\"%.3f%%\" "
			"height=\"%d\" rx=\"2\"><title>",
			last ? "b" : "p", x + slot * 0.2, y, slot * 0.6, PLOT_TOP + PLOT_H - y);
		put_html_n(out, h->month, 7);
		fprintf(out, ": %s billed</title></rect>\n",
			ct_render_money(h->billed, r->currency, v, sizeof(v)));
		fprintf(out, "<text class=\"cv%s\" y=\"%d\" ", last ? "" : " m", y - 6);
		put_label_x(out, x + slot * 0.2, x + slot * 0.8);
		fprintf(out, ">%s</text>\n",
			short_money((double)llround(ct_money_to_double(h->billed)), r->currency, v,
				    sizeof(v)));
		/* the month's short name; the year under the first and under January */
		m = (unsigned)digits(h->month + 5, 2);
		fprintf(out, "<text x=\"%.3f%%\" y=\"%d\" text-anchor=\"middle\">%s", cx,
			PLOT_TOP + PLOT_H + 16, m >= 1 && m <= 12 ? month_names[m - 1] : "?");
		yr = digits(h->month, 4);
		if (i == 0 || m == 1)
			fprintf(out, "<tspan x=\"%.3f%%\" dy=\"14\">%d</tspan>", cx, yr);
		fputs("</text>\n", out);
	}
	fputs("</svg>\n<figcaption><span><span class=\"sw\" style=\"background:#2563c9\">"
	      "</span>this month</span> <span><span class=\"sw\" style=\"background:#a9c3ec\">"
	      "</span>earlier months</span></figcaption>\n</figure>\n",
	      out);
}

static void history_section(FILE *out, const struct ct_report *r)
{
	char c[CT_RENDER_CHANGE_MAX];
	size_t i;

	h2(out, "history", "Month over month");
	if (r->nhistory == 0) {
		fputs("<p class=\"muted\">None.</p>\n</section>\n", out);
		return;
	}
	fputs("<div class=\"split\">\n<div>\n", out);
	history_chart(out, r);
	fputs("</div>\n<div>\n", out);
	table_open(out);
	fputs("<thead><tr><th>Month</th><th class=\"n\">Billed</th><th class=\"n\">Effective</th>"
	      "<th class=\"n\">Change</th></tr></thead>\n<tbody>\n",
	      out);
	for (i = 0; i < r->nhistory; i++) {
		const struct ct_report_month *h = &r->history[i];
		bool prev = i > 0 && month_follows(r->history[i - 1].month, h->month);
		ct_money pb = prev ? r->history[i - 1].billed : 0;
		const char *t = trend(h->billed, pb, prev);

		fputs("<tr><td>", out);
		put_html_n(out, h->month, 7);
		fputs("</td>", out);
		money_td(out, r->currency, h->billed);
		money_td(out, r->currency, h->effective);
		fprintf(out, "<td class=\"n%s%s\"", *t ? " " : "", t);
		if (prev)
			put_data_money(out, ct_render_sub(h->billed, pb));
		else
			fputs(" data-v=\"\"", out);
		fprintf(out, ">%s</td></tr>\n",
			ct_render_change(h->billed, pb, prev, r->currency, c, sizeof(c)));
	}
	fputs("</tbody>\n", out);
	table_close(out);
	fputs("<p class=\"small muted\">Change against the calendar month before; n/a when that "
	      "month is not in the store.</p>\n</div>\n</div>\n</section>\n",
	      out);
}

/* ---- breakdowns ----------------------------------------------------------- */

/* One horizontal bar of the service chart: the label and the amount with
 * its share on a line, the bar under them on a full-width track. */
static void service_bar(FILE *out, const struct ct_report *r, int y, const char *label,
			ct_money billed, ct_money max, bool other)
{
	char v[CT_RENDER_MONEY_MAX], s[CT_RENDER_PCT_MAX];
	double w = max > 0 && billed > 0 ? (double)billed / (double)max * 100.0 : 0;

	ct_render_money(billed, r->currency, v, sizeof(v));
	ct_render_share(billed, r->total_billed, s, sizeof(s));
	fputs("<g><title>", out);
	put_html(out, label);
	fprintf(out, ": %s (%s)</title>\n<text class=\"l\" x=\"0\" y=\"%d\">", v, s, y + 14);
	put_html_cut(out, label, SVC_LABEL_MAX);
	fprintf(out,
		"</text><text x=\"100%%\" y=\"%d\" text-anchor=\"end\">%s · %s</text>\n"
		"<rect class=\"t\" x=\"0\" y=\"%d\" width=\"100%%\" height=\"12\" rx=\"3\"/>"
		"<rect class=\"%s\" x=\"0\" y=\"%d\" width=\"%.3f%%\" height=\"12\" rx=\"3\"/>"
		"</g>\n",
		y + 14, v, s, y + 20, other ? "o" : "b", y + 20, w > 100 ? 100.0 : w);
}

static void service_chart(FILE *out, const struct ct_report *r)
{
	const struct ct_report_list *l = &r->by_service;
	size_t i, shown = ct_render_shown(l->n, SVC_CHART_TOP);
	size_t rows = shown + (shown < l->n);
	struct ct_report_item rest = {0};
	ct_money max = 0;

	if (shown < l->n)
		ct_render_rest(l, shown, &rest);
	for (i = 0; i < shown; i++)
		max = HTML_MAX(max, l->v[i].billed);
	if (shown < l->n)
		max = HTML_MAX(max, rest.billed);
	fprintf(out,
		"<figure>\n<svg class=\"chart\" height=\"%d\" role=\"img\" "
		"aria-labelledby=\"svc-t svc-d\">\n<title id=\"svc-t\">Billed cost by "
		"service</title>\n<desc id=\"svc-d\">One bar per service, largest first, %s; "
		"the figures are in the table below.</desc>\n",
		(int)rows * SVC_ROW,
		shown < l->n ? "then the other services together" : "all services");
	for (i = 0; i < shown; i++)
		service_bar(out, r, (int)i * SVC_ROW, l->v[i].id, l->v[i].billed, max, false);
	if (shown < l->n) {
		char *label = ct_xasprintf("other %zu services", l->n - shown);

		service_bar(out, r, (int)shown * SVC_ROW, label, rest.billed, max, true);
		free(label);
	}
	fputs("</svg>\n</figure>\n", out);
}

/* Which key columns a breakdown shows. */
enum keys {
	KEY_ID,		/* one column: the id */
	KEY_ID_NAME,	/* id and display name (accounts, regions) */
	KEY_ID_CATEGORY /* id and category (services) */
};

static void list_section(FILE *out, const struct ct_report *r, const char *id, const char *title,
			 const char *column, const struct ct_report_list *l, enum keys keys,
			 size_t top, const char *noun)
{
	size_t i, shown = ct_render_shown(l->n, top);

	fprintf(out, "\n<section id=\"%s\">\n<h2>%s", id, title);
	if (shown < l->n)
		fprintf(out, " <span class=\"muted\">(top %zu of %zu)</span>", shown, l->n);
	fputs("</h2>\n", out);
	if (l->n == 0) {
		fputs("<p class=\"muted\">None.</p>\n</section>\n", out);
		return;
	}
	if (keys == KEY_ID_CATEGORY)
		service_chart(out, r);
	table_open(out);
	fprintf(out,
		"<thead><tr><th>%s</th>%s<th class=\"n\" aria-sort=\"descending\">Billed</th>"
		"<th class=\"n\">Effective</th><th class=\"n\">Previous</th>"
		"<th class=\"n\">Change</th></tr></thead>\n<tbody>\n",
		column,
		keys == KEY_ID_NAME	  ? "<th>Name</th>"
		: keys == KEY_ID_CATEGORY ? "<th>Category</th>"
					  : "");
	for (i = 0; i < shown; i++) {
		const struct ct_report_item *it = &l->v[i];

		fputs("<tr>", out);
		text_td(out, it->id);
		if (keys != KEY_ID)
			text_td(out, keys == KEY_ID_NAME ? it->name : it->category);
		money_td(out, r->currency, it->billed);
		money_td(out, r->currency, it->effective);
		change_tds(out, r, it->billed, it->prev_billed);
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n", out);
	if (shown < l->n) {
		struct ct_report_item rest;

		ct_render_rest(l, shown, &rest);
		fprintf(out, "<tfoot><tr class=\"other\"><td%s>other %zu %s</td>",
			keys != KEY_ID ? " colspan=\"2\"" : "", l->n - shown, noun);
		money_td(out, r->currency, rest.billed);
		money_td(out, r->currency, rest.effective);
		change_tds(out, r, rest.billed, rest.prev_billed);
		fputs("</tr></tfoot>\n", out);
	}
	table_close(out);
	fputs("</section>\n", out);
}

static void movers_section(FILE *out, const struct ct_report *r)
{
	size_t i;

	h2(out, "movers", "Top movers");
	if (r->movers.n == 0) {
		fputs("<p class=\"muted\">None.</p>\n</section>\n", out);
		return;
	}
	table_open(out);
	fputs("<thead><tr><th>Service</th><th class=\"n\">Billed</th><th class=\"n\">Previous</th>"
	      "<th class=\"n\">Change</th></tr></thead>\n<tbody>\n",
	      out);
	for (i = 0; i < r->movers.n; i++) {
		const struct ct_report_item *it = &r->movers.v[i];

		fputs("<tr>", out);
		text_td(out, it->id);
		money_td(out, r->currency, it->billed);
		change_tds(out, r, it->billed, it->prev_billed);
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n", out);
	table_close(out);
	fputs("</section>\n", out);
}

static void tags_section(FILE *out, const struct ct_report *r)
{
	char v[CT_RENDER_MONEY_MAX], s[CT_RENDER_PCT_MAX];
	size_t k, i;

	h2(out, "tags", "Cost allocation by tag");
	if (r->ntags == 0)
		fputs("<p class=\"muted\">No allocation tags configured.</p>\n", out);
	else
		fputs("<div class=\"grid2\">\n", out);
	for (k = 0; k < r->ntags; k++) {
		const struct ct_report_tag *t = &r->tags[k];
		size_t shown = ct_render_shown(t->values.n, CT_RENDER_TOP_VALUES);

		fputs("<div>\n<h3>Tag <code>", out);
		put_html(out, t->key);
		fputs("</code></h3>\n", out);
		table_open(out);
		fputs("<thead><tr><th>Value</th><th class=\"n\" "
		      "aria-sort=\"descending\">Billed</th>"
		      "<th class=\"n\">Share</th></tr></thead>\n<tbody>\n",
		      out);
		for (i = 0; i < shown; i++) {
			fputs("<tr>", out);
			text_td(out, t->values.v[i].id);
			share_tds(out, r, t->values.v[i].billed);
			fputs("</tr>\n", out);
		}
		fputs("</tbody>\n<tfoot>", out);
		if (shown < t->values.n) {
			struct ct_report_item rest;

			ct_render_rest(&t->values, shown, &rest);
			fprintf(out, "<tr class=\"other\"><td>other %zu values</td>",
				t->values.n - shown);
			share_tds(out, r, rest.billed);
			fputs("</tr>", out);
		}
		fputs("<tr class=\"other\"><td>(untagged)</td>", out);
		share_tds(out, r, t->untagged);
		fputs("</tr></tfoot>\n", out);
		table_close(out);
		fputs("</div>\n", out);
	}
	if (r->ntags)
		fputs("</div>\n", out);
	fputs("</section>\n", out);

	h2(out, "untagged", "Untagged cost");
	fprintf(out,
		"<p><strong>%s</strong> carried none of the allocation tags (%s of billed "
		"cost).</p>\n</section>\n",
		ct_render_money(r->untagged, r->currency, v, sizeof(v)),
		ct_render_share(r->untagged, r->total_billed, s, sizeof(s)));
}

/* ---- daily cost and anomalies ------------------------------------------ */

/* The anomaly of day date, or NULL. */
static const struct ct_report_anomaly *anomaly_of(const struct ct_report *r, const char *date)
{
	for (size_t i = 0; i < r->nanomalies; i++)
		if (!strncmp(r->anomalies[i].date, date, 10))
			return &r->anomalies[i];
	return NULL;
}

/* The column chart of the daily cost: one column per day, anomaly days in
 * the hot colour with their amount above, and the daily mean dashed when
 * the model gives it (as the expected amount of an anomaly). */
static void daily_chart(FILE *out, const struct ct_report *r)
{
	char v[CT_RENDER_MONEY_MAX], desc[200];
	double step, top, slot = 100.0 / (double)r->ndaily;
	ct_money max = 0;
	size_t i;

	for (i = 0; i < r->ndaily; i++)
		max = HTML_MAX(max, r->daily[i].billed);
	axis(max, &step, &top);
	snprintf(desc, sizeof(desc),
		 "One column per day of %.7s; %zu anomal%s in red. The figures are in the "
		 "daily table below.",
		 r->month, r->nanomalies, r->nanomalies == 1 ? "y" : "ies");
	column_chart_open(out, "day", "Daily billed cost", desc, step, top, r->currency);
	if (r->nanomalies) {
		int y = plot_y(r->anomalies[0].expected, top);

		fprintf(out,
			"<line class=\"mean\" x1=\"0\" x2=\"100%%\" y1=\"%d\" y2=\"%d\">"
			"<title>daily mean: %s</title></line>\n",
			y, y, ct_render_money(r->anomalies[0].expected, r->currency, v, sizeof(v)));
	}
	for (i = 0; i < r->ndaily; i++) {
		const struct ct_report_day *d = &r->daily[i];
		bool a = anomaly_of(r, d->date) != NULL;
		bool same_month = !strncmp(d->date, r->month, 7);
		int y = plot_y(d->billed, top), day = digits(d->date + 8, 2);
		double x = (double)i * slot, cx = x + slot / 2;

		if (d->billed > 0 && y == PLOT_TOP + PLOT_H)
			y--; /* a day with any cost stays visible */
		fprintf(out,
			"<rect class=\"%s\" x=\"%.3f%%\" y=\"%d\" width=\"%.3f%%\" "
			"height=\"%d\" rx=\"1.5\"><title>",
			a ? "h" : "b", x + slot * 0.14, y, slot * 0.72, PLOT_TOP + PLOT_H - y);
		put_html_n(out, d->date, 10);
		fprintf(out, ": %s%s</title></rect>\n",
			ct_render_money(d->billed, r->currency, v, sizeof(v)),
			a ? " (anomaly)" : "");
		if (a) {
			fprintf(out, "<text class=\"hv\" y=\"%d\" ", y - 6);
			put_label_x(out, x + slot * 0.14, x + slot * 0.86);
			fprintf(out, ">%s</text>\n",
				short_money((double)llround(ct_money_to_double(d->billed)),
					    r->currency, v, sizeof(v)));
		}
		/* every day on a wide screen; the 1st, every 5th and the anomalies
		 * on a phone */
		fprintf(out, "<text%s x=\"%.3f%%\" y=\"%d\" text-anchor=\"middle\">",
			a			   ? " class=\"h\""
			: day == 1 || day % 5 == 0 ? ""
						   : " class=\"m\"",
			cx, PLOT_TOP + PLOT_H + 16);
		if (same_month)
			fprintf(out, "%d", day);
		else
			put_html_n(out, d->date + 5, 5);
		fputs("</text>\n", out);
	}
	fputs("</svg>\n<figcaption class=\"legend\"><span><span class=\"sw\" "
	      "style=\"background:#2563c9\"></span>billed cost of the day</span>"
	      "<span><span class=\"sw\" style=\"background:#cf222e\"></span>anomaly (more than 3 "
	      "standard deviations from the daily mean)</span>",
	      out);
	if (r->nanomalies)
		fputs("<span><span class=\"sw dash\"></span>daily mean</span>", out);
	fputs("</figcaption>\n</figure>\n", out);
}

static void daily_section(FILE *out, const struct ct_report *r)
{
	size_t i;

	h2(out, "daily", "Daily billed cost");
	if (r->ndaily == 0) {
		fputs("<p class=\"muted\">None.</p>\n</section>\n", out);
		return;
	}
	daily_chart(out, r);
	fputs("<details>\n<summary>Daily figures</summary>\n", out);
	table_open(out);
	fputs("<thead><tr><th aria-sort=\"ascending\">Date</th><th class=\"n\">Billed</th>"
	      "<th>Anomaly</th></tr></thead>\n<tbody>\n",
	      out);
	for (i = 0; i < r->ndaily; i++) {
		const struct ct_report_day *d = &r->daily[i];
		bool a = anomaly_of(r, d->date) != NULL;

		fprintf(out, "<tr%s><td>", a ? " class=\"hot\"" : "");
		put_html_n(out, d->date, 10);
		fputs("</td>", out);
		money_td(out, r->currency, d->billed);
		fprintf(out, "<td%s>%s</td></tr>\n", a ? " class=\"up\"" : "", a ? "anomaly" : "");
	}
	fputs("</tbody>\n", out);
	table_close(out);
	fputs("</details>\n</section>\n", out);
}

static void anomalies_section(FILE *out, const struct ct_report *r)
{
	char s[32];
	size_t i;

	h2(out, "anomalies", "Anomalies");
	if (r->nanomalies == 0) {
		fputs("<p class=\"muted\">None: no day more than 3 standard deviations from the "
		      "daily mean.</p>\n</section>\n",
		      out);
		return;
	}
	table_open(out);
	fputs("<thead><tr><th>Date</th><th class=\"n\">Billed</th><th class=\"n\">Expected</th>"
	      "<th class=\"n\">Deviation</th></tr></thead>\n<tbody>\n",
	      out);
	for (i = 0; i < r->nanomalies; i++) {
		const struct ct_report_anomaly *a = &r->anomalies[i];

		fputs("<tr><td>", out);
		put_html_n(out, a->date, 10);
		fputs("</td>", out);
		money_td(out, r->currency, a->billed);
		money_td(out, r->currency, a->expected);
		fprintf(out, "<td class=\"n\" data-v=\"%.6f\">%s</td></tr>\n",
			isfinite(a->sigmas) ? a->sigmas : 0.0,
			ct_render_sigmas(a->sigmas, s, sizeof(s)));
	}
	fputs("</tbody>\n", out);
	table_close(out);
	fputs("</section>\n", out);
}

/* ---- budgets -------------------------------------------------------------- */

static void budgets_section(FILE *out, const struct ct_report *r)
{
	const struct ct_budget_status *b = r->budgets;
	char m[CT_RENDER_MONEY_MAX];

	if (!b || !b->n)
		return;
	h2(out, "budgets", "Budgets");
	table_open(out);
	fputs("<thead><tr><th>Budget</th><th class=\"n\">Amount</th><th class=\"n\">Spend</th>"
	      "<th class=\"n\">Used</th><th class=\"n\">Forecast</th><th>Status</th></tr>"
	      "</thead>\n<tbody>\n",
	      out);
	for (size_t i = 0; i < b->n; i++) {
		const struct ct_budget_row *v = &b->v[i];
		double used = isfinite(v->used_pct) ? v->used_pct : 0;

		fputs("<tr>", out);
		text_td(out, v->name);
		money_td(out, r->currency, v->amount);
		money_td(out, r->currency, v->spend);
		/* the share used as text and as a small bar, full at 100 % */
		fprintf(out,
			"<td class=\"n\" data-v=\"%.6f\">%.1f%%<span class=\"meter %s\">"
			"<span style=\"width:%.1f%%\"></span></span></td>",
			used, used, v->status,
			used > 100 ? 100.0
			: used < 0 ? 0.0
				   : used);
		fputs("<td class=\"n\"", out);
		put_data_money(out, v->forecast);
		fprintf(out, ">%s</td><td class=\"st %s\">%s",
			ct_render_money(v->forecast, r->currency, m, sizeof(m)), v->status,
			v->status);
		if (strcmp(v->forecast_status, v->status))
			fprintf(out, " (forecast: %s)", v->forecast_status);
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody>\n", out);
	table_close(out);
	fputs("</section>\n", out);
}

/* The ingested cluster snapshot: its cost at list prices and the groups
 * that spend it. */
static void k8s_section(FILE *out, const struct ct_report *r)
{
	const struct ct_k8s_cost *k = r->k8s;
	char m[6][CT_RENDER_MONEY_MAX];

	if (!k)
		return;
	h2(out, "kubernetes", "Kubernetes");
	fprintf(out, "<p>The ingested cluster snapshot at list prices: <strong>%s</strong> a month "
		     "(control plane %s, %zu nodes %s, %zu volumes %s, %zu load balancers %s). "
		     "Idle capacity costs %s; moving the on-demand node groups to spot would "
		     "save %s.</p>\n",
		ct_render_money(k->cluster, "USD", m[0], sizeof(m[0])),
		ct_render_money(k->control_plane, "USD", m[1], sizeof(m[1])), k->nnodes,
		ct_render_money(k->nodes_total, "USD", m[2], sizeof(m[2])), k->nvolumes,
		ct_render_money(k->volumes_total, "USD", m[3], sizeof(m[3])), k->nlbs,
		ct_render_money(k->lbs_total, "USD", m[4], sizeof(m[4])),
		ct_render_money(k->idle, "USD", m[5], sizeof(m[5])),
		ct_render_money(k->spot_savings, "USD", m[0], sizeof(m[0])));
	table_open(out);
	fputs("<thead><tr><th>", out);
	put_html(out, k->by_name);
	fputs("</th><th class=\"n\">Pods</th><th class=\"n\">Monthly cost</th></tr></thead>\n"
	      "<tbody>\n", out);
	for (size_t i = 0; i < k->nalloc; i++) {
		fputs("<tr>", out);
		text_td(out, k->alloc[i].name);
		fprintf(out, "<td class=\"n\" data-v=\"%zu\">%zu</td>", k->alloc[i].pods,
			k->alloc[i].pods);
		money_td(out, "USD", k->alloc[i].total);
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n", out);
	table_close(out);
	fputs("</section>\n", out);
}

/* ---- savings opportunities ---------------------------------------------- */

/* A count or a number of months for people: at most places decimals,
 * trailing zeros dropped; "n/a" when not finite. */
static const char *number(double v, int places, char *buf, size_t len)
{
	size_t n;

	if (!isfinite(v)) {
		snprintf(buf, len, "n/a");
		return buf;
	}
	snprintf(buf, len, "%.*f", places, v);
	n = strlen(buf);
	while (n > 1 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	return buf;
}

static void number_td(FILE *out, double v, int places)
{
	char b[48];

	fprintf(out, "<td class=\"n\" data-v=\"%.6f\">%s</td>", isfinite(v) ? v : 0.0,
		number(v, places, b, sizeof(b)));
}

/* An hourly rate in dollars: "$0.0960". */
static void rate_td(FILE *out, ct_rate rate)
{
	char b[48];

	ct_rate_format(rate, b, sizeof(b));
	fprintf(out, "<td class=\"n\" data-v=\"%s\">$%s</td>", b, b);
}

static int cmp_commitment(const void *a, const void *b)
{
	const struct ct_commitment *x = *(const struct ct_commitment *const *)a;
	const struct ct_commitment *y = *(const struct ct_commitment *const *)b;

	if (x->savings != y->savings)
		return x->savings > y->savings ? -1 : 1;
	return x < y ? -1 : x > y; /* the model's order */
}

static void kinds_table(FILE *out, const struct ct_recommend *rec)
{
	char s[CT_RENDER_PCT_MAX];
	size_t i, items = 0;

	fputs("<h3>Savings by kind</h3>\n", out);
	table_open(out);
	fputs("<thead><tr><th>Kind</th><th class=\"n\">Items</th>"
	      "<th class=\"n\" aria-sort=\"descending\">Monthly saving</th>"
	      "<th class=\"n\">Share</th></tr></thead>\n<tbody>\n",
	      out);
	for (i = 0; i < rec->nkt; i++) {
		const struct ct_kind_total *k = &rec->kt[i];

		items += k->n;
		fputs("<tr>", out);
		text_td(out, ct_render_kind_name(k->kind));
		fprintf(out, "<td class=\"n\" data-v=\"%zu\">%zu</td>", k->n, k->n);
		money_td(out, "USD", k->savings);
		fputs("<td class=\"n\"", out);
		put_data_money(out, k->savings);
		fprintf(out, ">%s</td></tr>\n",
			ct_render_share(k->savings, rec->total_savings, s, sizeof(s)));
	}
	fprintf(out,
		"</tbody>\n<tfoot><tr class=\"total\"><td>Total</td>"
		"<td class=\"n\">%zu</td>",
		items);
	money_td(out, "USD", rec->total_savings);
	fputs("<td></td></tr></tfoot>\n", out);
	table_close(out);
}

static void findings_table(FILE *out, const struct ct_recommend *rec)
{
	const struct ct_finding **by = ct_render_findings_by_saving(rec);
	size_t i, k, shown = HTML_MIN(rec->n, (size_t)HTML_TOP_FINDINGS);
	char first[11], last[11];

	ct_clock_format_day(rec->window_first, first);
	ct_clock_format_day(rec->window_last, last);
	fputs("<h3>Findings by saving", out);
	if (shown < rec->n)
		fprintf(out, " <span class=\"muted\">(top %zu of %zu)</span>", shown, rec->n);
	fprintf(out,
		"</h3>\n<p class=\"muted\">%zu finding%s from the inventory and the metrics "
		"window %s to %s; costs from ",
		rec->n, rec->n == 1 ? "" : "s", first, last);
	if (rec->billing_month[0]) {
		fputs("the billing month ", out);
		put_html_n(out, rec->billing_month, 7);
	} else {
		fputs("catalog prices", out);
	}
	fputs(".</p>\n", out);
	dense_table_open(out);
	fputs("<thead><tr><th>Kind</th><th>Resource</th><th>Type</th><th>Region</th>"
	      "<th>Account</th><th>Action</th><th class=\"n\">Monthly cost</th>"
	      "<th class=\"n\" aria-sort=\"descending\">Saving</th><th class=\"ns\">Evidence</th>"
	      "</tr></thead>\n<tbody>\n",
	      out);
	for (i = 0; i < shown; i++) {
		const struct ct_finding *f = by[i];
		char *action = ct_render_action(f);

		fputs("<tr>", out);
		fputs("<td class=\"w8\">", out);
		put_html(out, ct_render_kind_name(f->kind));
		fputs("</td><td class=\"nw\"><code>", out);
		put_html(out, f->resource_id);
		fputs("</code></td>", out);
		nw_td(out, f->resource_type);
		nw_td(out, f->region);
		nw_td(out, f->account_id);
		fputs("<td class=\"w10\">", out);
		put_html(out, action);
		fputs("</td>", out);
		money_td(out, "USD", f->monthly_cost);
		money_td(out, "USD", f->savings);
		fputs("<td>", out);
		if (f->nev) {
			fprintf(out, "<details><summary>%zu fact%s</summary><dl class=\"ev\">",
				f->nev, f->nev == 1 ? "" : "s");
			for (k = 0; k < f->nev; k++) {
				fputs("<dt>", out);
				put_html(out, f->ev[k].key);
				fputs("</dt><dd>", out);
				put_html(out, f->ev[k].value);
				fputs("</dd>", out);
			}
			fputs("</dl></details>", out);
		}
		fputs("</td></tr>\n", out);
		free(action);
	}
	fputs("</tbody>\n", out);
	table_close(out);
	free(by);
}

static void commitments_table(FILE *out, const struct ct_recommend *rec)
{
	const struct ct_commitment **v = NULL;
	char first[11], last[11];
	size_t i, n = 0;

	for (i = 0; i < rec->ncm; i++)
		n += rec->cm[i].best && rec->cm[i].savings > 0;
	if (n == 0)
		return;
	v = ct_xmalloc(n * sizeof(*v));
	for (i = 0, n = 0; i < rec->ncm; i++)
		if (rec->cm[i].best && rec->cm[i].savings > 0)
			v[n++] = &rec->cm[i];
	qsort(v, n, sizeof(*v), cmp_commitment);

	fputs("<h3>Best commitment options</h3>\n<p class=\"muted\">", out);
	if (rec->usage_last) {
		ct_clock_format_day(ct_clock_day(rec->usage_first), first);
		ct_clock_format_day(ct_clock_day(rec->usage_last - 1), last);
		fprintf(out, "On-demand EC2 usage %s to %s. ", first, last);
	}
	fputs("Per instance type, region and OS, the option with the largest monthly saving "
	      "(the one counted in the total); count is the steady baseline, the fewest "
	      "instances running in any hour. Every option: <code>cloudtally recommend</code>."
	      "</p>\n",
	      out);
	dense_table_open(out);
	fputs("<thead><tr><th>Instance type</th><th>Region</th><th>OS</th><th>Option</th>"
	      "<th class=\"n\">Count</th><th class=\"n\">Upfront</th>"
	      "<th class=\"n\">Effective/h</th><th class=\"n\">On-demand/h</th>"
	      "<th class=\"n\" aria-sort=\"descending\">Monthly saving</th>"
	      "<th class=\"n\">At observed utilisation</th><th class=\"n\">Break-even (months)</th>"
	      "<th>Note</th></tr></thead>\n<tbody>\n",
	      out);
	for (i = 0; i < n; i++) {
		const struct ct_commitment *c = v[i];
		char *opt = ct_render_commitment_option(c);

		fputs("<tr>", out);
		nw_td(out, c->instance_type);
		nw_td(out, c->region);
		text_td(out, c->os);
		nw_td(out, opt);
		number_td(out, c->count, 2);
		money_td(out, "USD", c->upfront);
		rate_td(out, c->effective_hourly);
		rate_td(out, c->ondemand_hourly);
		money_td(out, "USD", c->savings);
		money_td(out, "USD", c->savings_at_util);
		number_td(out, c->break_even_months, 1);
		/* the estimate's reasoning is long: folded under its summary */
		fputs("<td>", out);
		if (c->note) {
			fprintf(out, "<details><summary>%s</summary>",
				c->estimated ? "estimated" : "note");
			put_html(out, c->note);
			fputs("</details>", out);
		} else if (c->estimated) {
			fputs("estimated", out);
		}
		fputs("</td></tr>\n", out);
		free(opt);
	}
	fputs("</tbody>\n", out);
	table_close(out);
	free(v);
}

static void savings_section(FILE *out, const struct ct_report *r)
{
	const struct ct_recommend *rec = r->rec;
	char m[CT_RENDER_MONEY_MAX];

	if (!rec)
		return;
	h2(out, "savings", "Savings opportunities");
	fprintf(out,
		"<div class=\"callout\"><div><div class=\"k\">Estimated monthly saving</div>"
		"<p class=\"big\" id=\"savings-total\">%s</p></div>\n"
		"<p>The findings plus, per instance type, the best commitment option; every "
		"finding with its evidence: <code>cloudtally recommend</code>.</p></div>\n",
		ct_render_money(rec->total_savings, "USD", m, sizeof(m)));
	if (rec->n == 0 && !rec->has_metrics)
		fputs("<p class=\"notice\">No inventory or metrics in the store: ingest the output "
		      "of <code>contrib/collect-aws</code> to find idle, low-CPU and unattached "
		      "resources: <code>contrib/collect-aws OUTDIR</code> (read-only AWS CLI "
		      "calls), then <code>cloudtally ingest OUTDIR</code>.</p>\n",
		      out);
	else if (rec->n == 0)
		fputs("<p class=\"muted\">No findings: no idle, low-CPU, unattached or "
		      "unassociated resources in the metrics window.</p>\n",
		      out);
	if (rec->nkt)
		kinds_table(out, rec);
	if (rec->n)
		findings_table(out, rec);
	commitments_table(out, rec);
	fputs("</section>\n", out);
}

static void notes_section(FILE *out, const struct ct_report *r)
{
	size_t i;

	if (r->nnotes == 0)
		return;
	h2(out, "notes", "Notes");
	fputs("<ul class=\"notes\">\n", out);
	for (i = 0; i < r->nnotes; i++) {
		fputs("<li>", out);
		put_html(out, r->notes[i]);
		fputs("</li>\n", out);
	}
	fputs("</ul>\n</section>\n", out);
}

void ct_render_html_report(const struct ct_report *r, FILE *out)
{
	header_and_cards(out, r);
	history_section(out, r);
	list_section(out, r, "services", "By service", "Service", &r->by_service, KEY_ID_CATEGORY,
		     CT_RENDER_TOP_SERVICES, "services");
	list_section(out, r, "categories", "By service category", "Category", &r->by_category,
		     KEY_ID, 0, "");
	list_section(out, r, "accounts", "By account", "Account", &r->by_account, KEY_ID_NAME, 0,
		     "");
	list_section(out, r, "regions", "By region", "Region", &r->by_region, KEY_ID_NAME, 0, "");
	list_section(out, r, "charges", "By charge category", "Charge category",
		     &r->by_charge_category, KEY_ID, 0, "");
	movers_section(out, r);
	tags_section(out, r);
	daily_section(out, r);
	anomalies_section(out, r);
	budgets_section(out, r);
	savings_section(out, r);
	k8s_section(out, r);
	notes_section(out, r);
	fprintf(out,
		"\n<footer>Generated by cloudtally. Amounts are rounded to the cent; the JSON "
		"and CSV formats keep full precision.</footer>\n</main>\n<script>\n%s"
		"</script>\n</body>\n</html>\n",
		script);
}
