/*
 * render_html.c - the monthly report as one self-contained HTML5 page:
 * inline CSS, no script, no external fonts, images or links, so it can be
 * mailed, archived or opened offline. Summary cards for the totals, a
 * table per breakdown and an inline SVG bar chart of the daily cost.
 *
 * Depends on the model (report.h) and the shared helpers (render.h); it
 * only formats what the model holds, in the model's order. Every string
 * from the model goes through put_html(): & < > " ' become references,
 * control characters and invalid UTF-8 become U+FFFD. The amounts from
 * ct_render_money() and friends are plain ASCII without markup
 * characters, so they are written as they are.
 */
#include "ct.h"
#include "render.h"
#include "money.h"

#define CHART_LEFT 96  /* room for the y-axis labels */
#define CHART_TOP 12
#define CHART_H 180    /* plot height: the largest day */
#define CHART_BOTTOM 28 /* room for the day numbers */
#define CHART_SLOT 24  /* horizontal room per day */
#define CHART_BAR 16   /* bar width */

static const char style[] =
	":root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa;"
	"--bar:#0969da;--hot:#cf222e;--good:#1a7f37}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;color:var(--fg);background:#fff;line-height:1.45;"
	"font:15px/1.45 -apple-system,BlinkMacSystemFont,\"Segoe UI\","
	"Helvetica,Arial,sans-serif}\n"
	"main{max-width:1080px;margin:0 auto;padding:28px 20px 48px}\n"
	"h1{font-size:1.7em;margin:0 0 4px}\n"
	"h2{font-size:1.2em;margin:36px 0 10px;padding-bottom:4px;"
	"border-bottom:1px solid var(--line)}\n"
	"h3{font-size:1em;margin:20px 0 6px}\n"
	"p.sub{color:var(--muted);margin:0 0 22px}\n"
	".cards{display:grid;grid-template-columns:repeat(auto-fit,"
	"minmax(190px,1fr));gap:12px}\n"
	".card{border:1px solid var(--line);border-radius:8px;"
	"padding:12px 16px;background:var(--bg)}\n"
	".card .k{font-size:.78em;color:var(--muted);text-transform:uppercase;"
	"letter-spacing:.05em}\n"
	".card .v{font-size:1.45em;font-weight:600;margin-top:2px;"
	"font-variant-numeric:tabular-nums}\n"
	".card .d{font-size:.85em;color:var(--muted)}\n"
	"table{border-collapse:collapse;width:100%;font-size:.93em}\n"
	"th,td{padding:5px 10px;border-bottom:1px solid var(--line);"
	"text-align:left;vertical-align:top}\n"
	"th{background:var(--bg);font-weight:600}\n"
	"tbody tr:hover{background:#f0f6ff}\n"
	".n{text-align:right;font-variant-numeric:tabular-nums;"
	"white-space:nowrap}\n"
	"tr.other td{font-style:italic;color:var(--muted)}\n"
	".up{color:var(--hot)}\n.down{color:var(--good)}\n"
	".muted{color:var(--muted)}\n"
	"svg.chart{display:block;width:100%;height:auto}\n"
	".legend{font-size:.85em;color:var(--muted);margin:6px 0 0}\n"
	".sw{display:inline-block;width:10px;height:10px;margin:0 4px 0 0;"
	"vertical-align:baseline}\n"
	".sw+.sw,.legend .gap{margin-left:14px}\n"
	"ul.notes{padding-left:20px}\n"
	"footer{margin-top:40px;color:var(--muted);font-size:.8em}\n"
	"@media print{main{max-width:none;padding:0}"
	"tbody tr:hover{background:none}}\n";

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
		if ((cp < 0x20 && cp != '\t' && cp != '\n') ||
		    (cp >= 0x7F && cp < 0xA0))
			cp = 0xFFFD;
		ct_render_put_utf8(out, cp);
	}
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

static void card(FILE *out, const char *key, const char *value,
		 const char *cls, const char *detail)
{
	fprintf(out, "<div class=\"card\"><div class=\"k\">%s</div>"
		     "<div class=\"v%s%s\">%s</div>",
		key, *cls ? " " : "", cls, value);
	if (detail) {
		fputs("<div class=\"d\">", out);
		put_html(out, detail);
		fputs("</div>", out);
	}
	fputs("</div>\n", out);
}

static void header_and_cards(FILE *out, const struct ct_report *r)
{
	char v[CT_RENDER_MONEY_MAX], d[CT_RENDER_CHANGE_MAX];
	char p[CT_RENDER_PCT_MAX];

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, "
	      "initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"cloudtally\">\n<title>",
	      out);
	fputs("Cloud cost report — ", out);
	put_html_n(out, r->month, 7);
	fputs(" (", out);
	put_html_n(out, r->currency, 7);
	fprintf(out, ")</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n",
		style);

	fputs("<h1>Cloud cost report — ", out);
	put_html_n(out, r->month, 7);
	fputs(" (", out);
	put_html_n(out, r->currency, 7);
	fputs(")</h1>\n<p class=\"sub\">Billing period ", out);
	put_html_n(out, r->month, 7);
	if (r->complete)
		fputs(", complete.", out);
	else
		fprintf(out, ", in progress: %d of %d days with charges.",
			r->days_with_data, r->days_in_month);
	fputs(r->has_prev ? " Compared with " : " No billing data for ", out);
	put_html_n(out, r->prev_month, 7);
	fputs(r->has_prev ? ".</p>\n" : " to compare with.</p>\n", out);

	fputs("<section class=\"cards\">\n", out);
	card(out, "Billed cost",
	     ct_render_money(r->total_billed, r->currency, v, sizeof(v)), "",
	     NULL);
	card(out, "Effective cost",
	     ct_render_money(r->total_effective, r->currency, v, sizeof(v)),
	     "", "amortized");
	if (r->has_prev) {
		char detail[64];

		snprintf(detail, sizeof(detail), "%.7s", r->prev_month);
		card(out, "Previous month",
		     ct_render_money(r->prev_billed, r->currency, v, sizeof(v)),
		     "", detail);
		ct_render_pct(r->total_billed, r->prev_billed, p, sizeof(p));
		snprintf(detail, sizeof(detail), "%s vs %.7s", p,
			 r->prev_month);
		card(out, "Change",
		     ct_render_delta(r->total_billed, r->prev_billed,
				     r->currency, d, sizeof(d)),
		     trend(r->total_billed, r->prev_billed, true), detail);
	} else {
		card(out, "Previous month", "n/a", "", "no data");
		card(out, "Change", "n/a", "", NULL);
	}
	if (r->has_forecast)
		card(out, "Forecast",
		     ct_render_money(r->forecast, r->currency, v, sizeof(v)),
		     "", "run rate for the month");
	card(out, "Billing lines", ct_render_count(r->lines, v, sizeof(v)), "",
	     NULL);
	fputs("</section>\n", out);
}

/* Write the Previous and Change cells of a row. */
static void change_cells(FILE *out, const struct ct_report *r, ct_money cur,
			 ct_money prev)
{
	char v[CT_RENDER_MONEY_MAX], c[CT_RENDER_CHANGE_MAX];
	const char *t = trend(cur, prev, r->has_prev);

	fprintf(out, "<td class=\"n\">%s</td>",
		r->has_prev ? ct_render_money(prev, r->currency, v, sizeof(v))
			    : "n/a");
	fprintf(out, "<td class=\"n%s%s\">%s</td>", *t ? " " : "", t,
		ct_render_change(cur, prev, r->has_prev, r->currency, c,
				 sizeof(c)));
}

static void money_cell(FILE *out, const struct ct_report *r, ct_money m)
{
	char v[CT_RENDER_MONEY_MAX];

	fprintf(out, "<td class=\"n\">%s</td>",
		ct_render_money(m, r->currency, v, sizeof(v)));
}

static void text_cell(FILE *out, const char *s)
{
	fputs("<td>", out);
	put_html(out, s);
	fputs("</td>", out);
}

/* Which key columns a breakdown shows. */
enum keys {
	KEY_ID,         /* one column: the id */
	KEY_ID_NAME,    /* id and display name (accounts, regions) */
	KEY_ID_CATEGORY /* id and category (services) */
};

static void list_section(FILE *out, const struct ct_report *r,
			 const char *title, const char *column,
			 const struct ct_report_list *l, enum keys keys,
			 size_t top, const char *noun)
{
	size_t i, shown = ct_render_shown(l->n, top);

	fprintf(out, "\n<h2>%s", title);
	if (shown < l->n)
		fprintf(out, " <span class=\"muted\">(top %zu of %zu)</span>",
			shown, l->n);
	fputs("</h2>\n", out);
	if (l->n == 0) {
		fputs("<p class=\"muted\">None.</p>\n", out);
		return;
	}
	fprintf(out, "<table>\n<thead><tr><th>%s</th>%s<th class=\"n\">Billed"
		     "</th><th class=\"n\">Effective</th><th class=\"n\">"
		     "Previous</th><th class=\"n\">Change</th></tr></thead>\n"
		     "<tbody>\n",
		column,
		keys == KEY_ID_NAME ? "<th>Name</th>"
		: keys == KEY_ID_CATEGORY ? "<th>Category</th>"
					  : "");
	for (i = 0; i < shown; i++) {
		const struct ct_report_item *it = &l->v[i];

		fputs("<tr>", out);
		text_cell(out, it->id);
		if (keys != KEY_ID)
			text_cell(out, keys == KEY_ID_NAME ? it->name
							   : it->category);
		money_cell(out, r, it->billed);
		money_cell(out, r, it->effective);
		change_cells(out, r, it->billed, it->prev_billed);
		fputs("</tr>\n", out);
	}
	if (shown < l->n) {
		struct ct_report_item rest;

		ct_render_rest(l, shown, &rest);
		fprintf(out, "<tr class=\"other\"><td%s>other %zu %s</td>",
			keys != KEY_ID ? " colspan=\"2\"" : "", l->n - shown,
			noun);
		money_cell(out, r, rest.billed);
		money_cell(out, r, rest.effective);
		change_cells(out, r, rest.billed, rest.prev_billed);
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n</table>\n", out);
}

static void movers_section(FILE *out, const struct ct_report *r)
{
	size_t i;

	fputs("\n<h2>Top movers</h2>\n", out);
	if (r->movers.n == 0) {
		fputs("<p class=\"muted\">None.</p>\n", out);
		return;
	}
	fputs("<table>\n<thead><tr><th>Service</th><th class=\"n\">Billed</th>"
	      "<th class=\"n\">Previous</th><th class=\"n\">Change</th></tr>"
	      "</thead>\n<tbody>\n",
	      out);
	for (i = 0; i < r->movers.n; i++) {
		const struct ct_report_item *it = &r->movers.v[i];

		fputs("<tr>", out);
		text_cell(out, it->id);
		money_cell(out, r, it->billed);
		change_cells(out, r, it->billed, it->prev_billed);
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n</table>\n", out);
}

static void share_cells(FILE *out, const struct ct_report *r,
			ct_money billed)
{
	char s[CT_RENDER_PCT_MAX];

	money_cell(out, r, billed);
	fprintf(out, "<td class=\"n\">%s</td></tr>\n",
		ct_render_share(billed, r->total_billed, s, sizeof(s)));
}

static void tags_section(FILE *out, const struct ct_report *r)
{
	char v[CT_RENDER_MONEY_MAX], s[CT_RENDER_PCT_MAX];
	size_t k, i;

	fputs("\n<h2>Cost allocation by tag</h2>\n", out);
	if (r->ntags == 0)
		fputs("<p class=\"muted\">No allocation tags configured.</p>\n",
		      out);
	for (k = 0; k < r->ntags; k++) {
		const struct ct_report_tag *t = &r->tags[k];
		size_t shown = ct_render_shown(t->values.n,
					       CT_RENDER_TOP_VALUES);

		fputs("<h3>Tag <code>", out);
		put_html(out, t->key);
		fputs("</code></h3>\n<table>\n<thead><tr><th>Value</th>"
		      "<th class=\"n\">Billed</th><th class=\"n\">Share</th>"
		      "</tr></thead>\n<tbody>\n",
		      out);
		for (i = 0; i < shown; i++) {
			fputs("<tr>", out);
			text_cell(out, t->values.v[i].id);
			share_cells(out, r, t->values.v[i].billed);
		}
		if (shown < t->values.n) {
			struct ct_report_item rest;

			ct_render_rest(&t->values, shown, &rest);
			fprintf(out, "<tr class=\"other\"><td>other %zu values"
				     "</td>",
				t->values.n - shown);
			share_cells(out, r, rest.billed);
		}
		fputs("<tr class=\"other\"><td>(untagged)</td>", out);
		share_cells(out, r, t->untagged);
		fputs("</tbody>\n</table>\n", out);
	}

	fputs("\n<h2>Untagged cost</h2>\n", out);
	fprintf(out, "<p><strong>%s</strong> carried none of the allocation "
		     "tags (%s of billed cost).</p>\n",
		ct_render_money(r->untagged, r->currency, v, sizeof(v)),
		ct_render_share(r->untagged, r->total_billed, s, sizeof(s)));
}

/* The inline SVG bar chart: one bar per day, scaled to the largest day;
 * anomaly days in red. Coordinates are whole pixels of the viewBox. */
static void daily_chart(FILE *out, const struct ct_report *r)
{
	char v[CT_RENDER_MONEY_MAX];
	ct_money max = 0;
	size_t i;
	int w = CHART_LEFT + (int)r->ndaily * CHART_SLOT + 8;
	int h = CHART_TOP + CHART_H + CHART_BOTTOM;
	int base = CHART_TOP + CHART_H;

	for (i = 0; i < r->ndaily; i++)
		if (r->daily[i].billed > max)
			max = r->daily[i].billed;

	fprintf(out, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" "
		     "style=\"max-width:%dpx\" role=\"img\" "
		     "aria-label=\"Daily billed cost\" "
		     "font-family=\"sans-serif\" font-size=\"11\">\n",
		w, h, w);
	/* grid lines at 0, half and the largest day, labelled */
	for (i = 0; i <= 2; i++) {
		int y = base - (int)i * CHART_H / 2;

		fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
			     "stroke=\"#d1d9e0\"/>\n",
			CHART_LEFT - 4, y, w - 4, y);
		fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
			     "fill=\"#59636e\">%s</text>\n",
			CHART_LEFT - 8, y + 4,
			ct_render_money(i == 0 ? 0 : i == 1 ? max / 2 : max,
					r->currency, v, sizeof(v)));
	}
	for (i = 0; i < r->ndaily; i++) {
		const struct ct_report_day *d = &r->daily[i];
		bool a = ct_render_is_anomaly(r, d->date);
		int x = CHART_LEFT + (int)i * CHART_SLOT +
			(CHART_SLOT - CHART_BAR) / 2;
		int bh = 0;

		if (max > 0 && d->billed > 0) {
			bh = (int)((double)d->billed / (double)max * CHART_H +
				   0.5);
			if (bh < 1)
				bh = 1; /* a day with any cost stays visible */
			if (bh > CHART_H)
				bh = CHART_H;
		}
		fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
			     "height=\"%d\" fill=\"%s\"><title>",
			x, base - bh, CHART_BAR, bh, a ? "#cf222e" : "#0969da");
		put_html_n(out, d->date, 10);
		fprintf(out, ": %s%s</title></rect>\n",
			ct_render_money(d->billed, r->currency, v, sizeof(v)),
			a ? " (anomaly)" : "");
		fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
			     "fill=\"%s\">",
			x + CHART_BAR / 2, base + 16, a ? "#cf222e" : "#59636e");
		put_html_n(out, strlen(d->date) >= 10 ? d->date + 8 : d->date,
			   2);
		fputs("</text>\n", out);
	}
	fputs("</svg>\n", out);
}

static void daily_section(FILE *out, const struct ct_report *r)
{
	size_t i;

	fputs("\n<h2>Daily billed cost</h2>\n", out);
	if (r->ndaily == 0) {
		fputs("<p class=\"muted\">None.</p>\n", out);
		return;
	}
	daily_chart(out, r);
	fputs("<p class=\"legend\"><span class=\"sw\" "
	      "style=\"background:#0969da\"></span>billed cost of the day"
	      "<span class=\"gap\"></span><span class=\"sw\" "
	      "style=\"background:#cf222e\"></span>anomaly (more than 3 "
	      "standard deviations from the daily mean)</p>\n",
	      out);
	fputs("<details>\n<summary>Daily figures</summary>\n<table>\n"
	      "<thead><tr><th>Date</th><th class=\"n\">Billed</th><th></th>"
	      "</tr></thead>\n<tbody>\n",
	      out);
	for (i = 0; i < r->ndaily; i++) {
		const struct ct_report_day *d = &r->daily[i];
		bool a = ct_render_is_anomaly(r, d->date);

		fputs("<tr><td>", out);
		put_html_n(out, d->date, 10);
		fputs("</td>", out);
		money_cell(out, r, d->billed);
		fprintf(out, "<td%s>%s</td></tr>\n", a ? " class=\"up\"" : "",
			a ? "anomaly" : "");
	}
	fputs("</tbody>\n</table>\n</details>\n", out);
}

static void anomalies_section(FILE *out, const struct ct_report *r)
{
	char s[32];
	size_t i;

	fputs("\n<h2>Anomalies</h2>\n", out);
	if (r->nanomalies == 0) {
		fputs("<p class=\"muted\">None: no day more than 3 standard "
		      "deviations from the daily mean.</p>\n",
		      out);
		return;
	}
	fputs("<table>\n<thead><tr><th>Date</th><th class=\"n\">Billed</th>"
	      "<th class=\"n\">Expected</th><th class=\"n\">Deviation</th>"
	      "</tr></thead>\n<tbody>\n",
	      out);
	for (i = 0; i < r->nanomalies; i++) {
		const struct ct_report_anomaly *a = &r->anomalies[i];

		fputs("<tr><td>", out);
		put_html_n(out, a->date, 10);
		fputs("</td>", out);
		money_cell(out, r, a->billed);
		money_cell(out, r, a->expected);
		fprintf(out, "<td class=\"n\">%s</td></tr>\n",
			ct_render_sigmas(a->sigmas, s, sizeof(s)));
	}
	fputs("</tbody>\n</table>\n", out);
}

static void notes_section(FILE *out, const struct ct_report *r)
{
	size_t i;

	if (r->nnotes == 0)
		return;
	fputs("\n<h2>Notes</h2>\n<ul class=\"notes\">\n", out);
	for (i = 0; i < r->nnotes; i++) {
		fputs("<li>", out);
		put_html(out, r->notes[i]);
		fputs("</li>\n", out);
	}
	fputs("</ul>\n", out);
}

void ct_render_html_report(const struct ct_report *r, FILE *out)
{
	header_and_cards(out, r);
	list_section(out, r, "By service", "Service", &r->by_service,
		     KEY_ID_CATEGORY, CT_RENDER_TOP_SERVICES, "services");
	list_section(out, r, "By service category", "Category",
		     &r->by_category, KEY_ID, 0, "");
	list_section(out, r, "By account", "Account", &r->by_account,
		     KEY_ID_NAME, 0, "");
	list_section(out, r, "By region", "Region", &r->by_region,
		     KEY_ID_NAME, 0, "");
	list_section(out, r, "By charge category", "Charge category",
		     &r->by_charge_category, KEY_ID, 0, "");
	movers_section(out, r);
	tags_section(out, r);
	daily_section(out, r);
	anomalies_section(out, r);
	notes_section(out, r);
	fputs("\n<footer>Generated by cloudtally. Amounts are rounded to the "
	      "cent; the JSON and CSV formats keep full precision.</footer>\n"
	      "</main>\n</body>\n</html>\n",
	      out);
}
