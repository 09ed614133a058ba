/*
 * notify.c - delivering the monthly report (see notify.h): the month's
 * summary as Slack Block Kit JSON and as plain text, the webhook body and
 * signature, the MIME mail, the hand-over (HTTP, a sendmail program) and
 * the delivery record in the store.
 *
 * Depends on the report model with its findings and budgets (report.h,
 * recommend.h, budget.h), the renderers' money texts (render.h), jansson
 * for the Slack document, the store's statement interface, http.c for
 * every request and POSIX fork/exec for sendmail. It never prints and
 * never keeps a secret: URLs, secrets and passwords stay with the caller.
 */
#include "ct.h"
#include "notify.h"
#include "budget.h"
#include "clock.h"
#include "http.h"
#include "recommend.h"
#include "render.h"
#include "report.h"
#include "store.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0"
#endif

#define LABEL_MAX 80	/* code points of a name in the summary */
#define SUBJECT_MAX 400 /* bytes of a subject or display name */
#define B64_LINE 57	/* input bytes per 76-column base64 line */
#define QP_LINE 76	/* columns of a quoted-printable line, with '=' */
#define EW_BYTES 36	/* input bytes per RFC 2047 encoded-word (60 chars) */

/* ---- a growing string ---------------------------------------------------- */

struct buf {
	char *p;
	size_t len, cap;
};

static void buf_add(struct buf *b, const void *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t c = b->cap ? b->cap : 256;

		while (c < b->len + n + 1)
			c *= 2;
		b->p = ct_xrealloc(b->p, c);
		b->cap = c;
	}
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void buf_printf(struct buf *b, const char *fmt, ...) CT_PRINTF(2, 3);
static void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		ct_die("out of memory");
	buf_add(b, s, (size_t)n);
	free(s);
}

/* The contents (new string, never NULL); b is empty afterwards. */
static char *buf_take(struct buf *b)
{
	char *p = b->p ? b->p : ct_xstrdup("");

	memset(b, 0, sizeof(*b));
	return p;
}

static void put_utf8(struct buf *b, uint32_t cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	buf_add(b, u, n);
}

/*
 * s (NULL: "") as one clean line: valid UTF-8 (bad bytes become U+FFFD),
 * control characters and bidirectional overrides as spaces, at most max
 * code points with "…" at a cut. New string.
 */
static char *clean(const char *s, size_t max)
{
	struct buf b = {0};
	const char *p = ct_render_nz(s);
	size_t n = 0;
	uint32_t cp;

	while ((cp = ct_render_utf8_next(&p)) != 0) {
		if (n + 1 >= max && *p) {
			buf_puts(&b, "…");
			break;
		}
		if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || (cp >= 0x202A && cp <= 0x202E) ||
		    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029)
			cp = ' ';
		put_utf8(&b, cp);
		n++;
	}
	return buf_take(&b);
}

/* ---- the summary -------------------------------------------------------- */

enum flag { FLAG_NONE, FLAG_BREACHED, FLAG_FORECAST };

/* One line of a list: "what: detail". Strings are clean and owned. */
struct entry {
	char *what, *detail;
	enum flag flag;
};

struct list {
	const char *title;
	char *note; /* after the title ("up to $X a month in all"); owned */
	struct entry v[CT_NOTIFY_LIST_MAX];
	size_t n;
	size_t more; /* not listed */
	char *empty; /* shown when n == 0 and the list is shown; owned */
	bool shown;
};

struct summary {
	char *title;  /* "Cloud costs 2026-10" */
	char *period; /* "Month complete", "Month open: ..." */
	char *total;
	char *change_label, *change; /* NULL without a previous month */
	char *forecast;		     /* NULL for a complete month */
	struct list movers, budgets, anomalies, savings;
};

static void list_add(struct list *l, char *what, char *detail, enum flag flag)
{
	if (l->n >= CT_NOTIFY_LIST_MAX) {
		l->more++;
		free(what);
		free(detail);
		return;
	}
	l->v[l->n].what = what;
	l->v[l->n].detail = detail;
	l->v[l->n].flag = flag;
	l->n++;
}

static void list_release(struct list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].what);
		free(l->v[i].detail);
	}
	free(l->note);
	free(l->empty);
}

static void summary_release(struct summary *s)
{
	free(s->title);
	free(s->period);
	free(s->total);
	free(s->change_label);
	free(s->change);
	free(s->forecast);
	list_release(&s->movers);
	list_release(&s->budgets);
	list_release(&s->anomalies);
	list_release(&s->savings);
}

static char *money(ct_money m, const char *currency)
{
	char b[CT_RENDER_MONEY_MAX];

	return ct_xstrdup(ct_render_money(m, currency, b, sizeof(b)));
}

static void movers(struct summary *s, const struct ct_report *r)
{
	char c[CT_RENDER_CHANGE_MAX], b[CT_RENDER_MONEY_MAX];

	s->movers.title = "Top movers";
	for (size_t i = 0; i < r->movers.n && i < CT_NOTIFY_TOP; i++) {
		const struct ct_report_item *it = &r->movers.v[i];
		char *label = ct_render_label(it, false);

		ct_render_money(it->billed, r->currency, b, sizeof(b));
		if (r->has_prev) {
			ct_render_change(it->billed, it->prev_billed, true, r->currency, c,
					 sizeof(c));
			list_add(&s->movers, clean(label, LABEL_MAX),
				 ct_xasprintf("%s to %s", c, b), FLAG_NONE);
		} else {
			list_add(&s->movers, clean(label, LABEL_MAX),
				 ct_xasprintf("%s (no previous month)", b), FLAG_NONE);
		}
		free(label);
	}
	s->movers.shown = s->movers.n > 0;
}

static void budgets(struct summary *s, const struct ct_report *r)
{
	const struct ct_budget_status *b = r->budgets;
	char a[CT_RENDER_MONEY_MAX], v[CT_RENDER_MONEY_MAX];

	s->budgets.title = "Budgets";
	if (!b || !b->n)
		return;
	s->budgets.shown = true;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < b->n; i++) {
			const struct ct_budget_row *row = &b->v[i];
			bool now = !strcmp(row->status, "critical");
			bool later =
				!now && !b->complete && !strcmp(row->forecast_status, "critical");

			ct_render_money(row->amount, b->currency, a, sizeof(a));
			if (pass == 0 && now) {
				ct_render_money(row->spend, b->currency, v, sizeof(v));
				list_add(&s->budgets, clean(row->name, LABEL_MAX),
					 ct_xasprintf("%s of %s (%.1f%%)", v, a, row->used_pct),
					 FLAG_BREACHED);
			} else if (pass == 1 && later) {
				ct_render_money(row->forecast, b->currency, v, sizeof(v));
				list_add(&s->budgets, clean(row->name, LABEL_MAX),
					 ct_xasprintf("forecast %s of %s (%.1f%%)", v, a,
						      row->forecast_pct),
					 FLAG_FORECAST);
			}
		}
	}
	if (!s->budgets.n)
		s->budgets.empty = ct_xasprintf("%s within %s critical level%s",
						b->n == 1 ? "The budget is" : "All budgets are",
						b->n == 1 ? "its" : "their", b->n == 1 ? "" : "s");
	else
		s->budgets.note =
			ct_xasprintf("%zu breached, %zu forecast to breach, of %zu", b->critical,
				     b->complete ? (size_t)0 : b->forecast_critical, b->n);
}

static void anomalies(struct summary *s, const struct ct_report *r)
{
	char b[CT_RENDER_MONEY_MAX], e[CT_RENDER_MONEY_MAX], sd[32];

	s->anomalies.title = "Anomalous days";
	for (size_t i = 0; i < r->nanomalies; i++) {
		const struct ct_report_anomaly *a = &r->anomalies[i];

		ct_render_money(a->billed, r->currency, b, sizeof(b));
		ct_render_money(a->expected, r->currency, e, sizeof(e));
		ct_render_sigmas(a->sigmas, sd, sizeof(sd));
		list_add(&s->anomalies, clean(a->date, 16),
			 ct_xasprintf("%s, expected %s (%s)", b, e, sd), FLAG_NONE);
	}
	s->anomalies.shown = s->anomalies.n > 0;
}

/* One saving: a finding or a best commitment option. */
struct saving {
	ct_money amount;
	const struct ct_finding *f;
	const struct ct_commitment *c;
};

static void savings(struct summary *s, const struct ct_report *r)
{
	const struct ct_recommend *rec = r->rec;
	const struct ct_finding **by = NULL;
	const struct ct_commitment *best[CT_NOTIFY_TOP];
	struct saving top[2 * CT_NOTIFY_TOP];
	size_t n = 0, nbest, i, k;

	s->savings.title = "Top savings";
	if (!rec)
		return;
	/* the largest findings and the largest commitments, merged */
	by = ct_render_findings_by_saving(rec);
	for (i = 0; i < rec->n && n < CT_NOTIFY_TOP; i++)
		if (by[i]->savings > 0)
			top[n++] = (struct saving){by[i]->savings, by[i], NULL};
	free(by);
	nbest = ct_render_best_commitments(rec, best, CT_NOTIFY_TOP);
	for (i = 0; i < nbest; i++) {
		struct saving x = {best[i]->savings, NULL, best[i]};

		/* stable insertion: a finding goes before a commitment of the
		 * same amount */
		for (k = n; k > 0 && top[k - 1].amount < x.amount; k--)
			top[k] = top[k - 1];
		top[k] = x;
		n++;
	}
	for (i = 0; i < n && i < CT_NOTIFY_TOP; i++) {
		char m[CT_RENDER_MONEY_MAX];

		ct_render_money(top[i].amount, "USD", m, sizeof(m));
		if (top[i].f) {
			const struct ct_finding *f = top[i].f;
			char *action = ct_render_action(f);
			char *what = ct_xasprintf("%s (%s)", ct_render_nz(f->resource_id),
						  ct_render_kind_name(f->kind));

			list_add(&s->savings, clean(what, LABEL_MAX),
				 ct_xasprintf("%s, %s a month", action, m), FLAG_NONE);
			free(what);
			free(action);
		} else {
			const struct ct_commitment *c = top[i].c;
			char *opt = ct_render_commitment_option(c);
			char *what = ct_xasprintf("%s %s", ct_render_nz(c->instance_type),
						  ct_render_nz(c->region));

			list_add(&s->savings, clean(what, LABEL_MAX),
				 ct_xasprintf("%s, %s a month", opt, m), FLAG_NONE);
			free(what);
			free(opt);
		}
	}
	if (s->savings.n) {
		char m[CT_RENDER_MONEY_MAX];

		s->savings.shown = true;
		s->savings.note =
			ct_xasprintf("up to %s a month in all",
				     ct_render_money(rec->total_savings, "USD", m, sizeof(m)));
	}
}

static void summary_build(struct summary *s, const struct ct_report *r)
{
	char c[CT_RENDER_CHANGE_MAX];

	memset(s, 0, sizeof(*s));
	s->title = ct_xasprintf("Cloud costs %.7s", r->month);
	if (r->complete)
		s->period = ct_xstrdup("Month complete");
	else
		s->period = ct_xasprintf("Month open: data for %d of %d days", r->days_with_data,
					 r->days_in_month);
	s->total = money(r->total_billed, r->currency);
	if (r->has_prev) {
		s->change_label = ct_xasprintf("Change vs %.7s", r->prev_month);
		s->change = ct_xstrdup(ct_render_change(r->total_billed, r->prev_billed, true,
							r->currency, c, sizeof(c)));
	}
	if (r->has_forecast)
		s->forecast = money(r->forecast, r->currency);
	movers(s, r);
	budgets(s, r);
	anomalies(s, r);
	savings(s, r);
}

char *ct_notify_headline(const struct ct_report *r)
{
	struct summary s;
	struct buf b = {0};
	char p[CT_RENDER_PCT_MAX];

	summary_build(&s, r);
	buf_printf(&b, "%s: %s billed", s.title, s.total);
	if (s.change)
		buf_printf(&b, ", %s vs %.7s",
			   ct_render_pct(r->total_billed, r->prev_billed, p, sizeof(p)),
			   r->prev_month);
	if (s.forecast)
		buf_printf(&b, ", forecast %s", s.forecast);
	summary_release(&s);
	return buf_take(&b);
}

/* ---- plain text ----------------------------------------------------------- */

static void text_list(struct buf *b, const struct list *l)
{
	static const char *const flags[] = {"", "BREACHED: ", "FORECAST TO BREACH: "};

	if (!l->shown)
		return;
	buf_printf(b, "\n%s%s%s%s\n", l->title, l->note ? " (" : "", l->note ? l->note : "",
		   l->note ? ")" : "");
	if (!l->n && l->empty)
		buf_printf(b, "  %s\n", l->empty);
	for (size_t i = 0; i < l->n; i++)
		buf_printf(b, "  - %s%s: %s\n", flags[l->v[i].flag], l->v[i].what, l->v[i].detail);
	if (l->more)
		buf_printf(b, "  - and %zu more\n", l->more);
}

char *ct_notify_summary_text(const struct ct_report *r, const struct ct_notify_link *link)
{
	struct summary s;
	struct buf b = {0};
	size_t n;

	summary_build(&s, r);
	buf_printf(&b, "%s\n", s.title);
	for (n = strlen(s.title); n; n--)
		buf_puts(&b, "-");
	buf_printf(&b, "\n%s\n\n", s.period);
	buf_printf(&b, "Total billed: %s\n", s.total);
	if (s.change)
		buf_printf(&b, "%s: %s\n", s.change_label, s.change);
	if (s.forecast)
		buf_printf(&b, "Forecast for the month: %s\n", s.forecast);
	text_list(&b, &s.movers);
	text_list(&b, &s.budgets);
	text_list(&b, &s.anomalies);
	text_list(&b, &s.savings);
	if (link && link->url) {
		char *u = clean(link->url, 2000);

		buf_printf(&b, "\nFull report: %s\n", u);
		free(u);
	} else if (link && link->path) {
		char *p = clean(link->path, 1000);

		buf_printf(&b, "\nFull report: %s\n", p);
		free(p);
	}
	buf_puts(&b, "\n-- \ncloudtally " PACKAGE_VERSION "\n");
	summary_release(&s);
	return buf_take(&b);
}

/* ---- Slack ---------------------------------------------------------------- */

/* s escaped for Slack's mrkdwn: & < > as entities. */
static void mrkdwn_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '&')
			buf_puts(b, "&amp;");
		else if (*s == '<')
			buf_puts(b, "&lt;");
		else if (*s == '>')
			buf_puts(b, "&gt;");
		else
			buf_add(b, s, 1);
	}
}

static json_t *jstr(const char *s)
{
	json_t *j = json_string(s);

	if (!j)
		ct_die("cannot build the Slack message");
	return j;
}

static void jset(json_t *o, const char *k, json_t *v)
{
	if (!o || !v || json_object_set_new(o, k, v) != 0)
		ct_die("cannot build the Slack message");
}

static void jpush(json_t *a, json_t *v)
{
	if (!a || !v || json_array_append_new(a, v) != 0)
		ct_die("cannot build the Slack message");
}

static json_t *text_obj(const char *type, const char *text)
{
	json_t *o = json_object();

	jset(o, "type", jstr(type));
	jset(o, "text", jstr(text));
	return o;
}

static json_t *section(const char *mrkdwn)
{
	json_t *o = json_object();

	jset(o, "type", jstr("section"));
	jset(o, "text", text_obj("mrkdwn", mrkdwn));
	return o;
}

static json_t *field(const char *label, const char *value)
{
	struct buf b = {0};
	json_t *o;
	char *t;

	buf_puts(&b, "*");
	mrkdwn_escape(&b, label);
	buf_puts(&b, "*\n");
	mrkdwn_escape(&b, value);
	t = buf_take(&b);
	o = text_obj("mrkdwn", t);
	free(t);
	return o;
}

static void slack_list(json_t *blocks, const struct list *l)
{
	static const char *const flags[] = {"", ":red_circle: *Breached:* ",
					    ":large_orange_circle: *Forecast to breach:* "};
	struct buf b = {0};
	char *t;

	if (!l->shown)
		return;
	buf_puts(&b, "*");
	buf_puts(&b, l->title);
	buf_puts(&b, "*");
	if (l->note) {
		buf_puts(&b, " (");
		mrkdwn_escape(&b, l->note);
		buf_puts(&b, ")");
	}
	if (!l->n && l->empty) {
		buf_puts(&b, "\n");
		mrkdwn_escape(&b, l->empty);
	}
	for (size_t i = 0; i < l->n; i++) {
		buf_puts(&b, "\n• ");
		buf_puts(&b, flags[l->v[i].flag]);
		mrkdwn_escape(&b, l->v[i].what);
		buf_puts(&b, ": ");
		mrkdwn_escape(&b, l->v[i].detail);
	}
	if (l->more)
		buf_printf(&b, "\n• and %zu more", l->more);
	t = buf_take(&b);
	jpush(blocks, section(t));
	free(t);
}

char *ct_notify_slack_message(const struct ct_report *r, const struct ct_notify_link *link)
{
	struct summary s;
	json_t *doc = json_object(), *blocks = json_array(), *o, *a;
	char *headline = ct_notify_headline(r), *out;

	summary_build(&s, r);
	jset(doc, "text", jstr(headline));
	free(headline);

	o = json_object();
	jset(o, "type", jstr("header"));
	jset(o, "text", text_obj("plain_text", s.title));
	jpush(blocks, o);

	o = json_object();
	a = json_array();
	jset(o, "type", jstr("context"));
	jpush(a, text_obj("mrkdwn", s.period));
	jset(o, "elements", a);
	jpush(blocks, o);

	o = json_object();
	a = json_array();
	jset(o, "type", jstr("section"));
	jpush(a, field("Total billed", s.total));
	if (s.change)
		jpush(a, field(s.change_label, s.change));
	if (s.forecast)
		jpush(a, field("Forecast for the month", s.forecast));
	jset(o, "fields", a);
	jpush(blocks, o);

	slack_list(blocks, &s.movers);
	slack_list(blocks, &s.budgets);
	slack_list(blocks, &s.anomalies);
	slack_list(blocks, &s.savings);

	if (link && (link->url || link->path)) {
		struct buf b = {0};
		char *t, *c;

		o = json_object();
		a = json_array();
		if (link->url) {
			/* a link's URL may not hold < > | (checked by the caller);
			 * & is escaped as everywhere */
			c = clean(link->url, 2000);
			buf_puts(&b, "<");
			mrkdwn_escape(&b, c);
			buf_puts(&b, "|Full report>");
		} else {
			c = clean(link->path, 1000);
			buf_puts(&b, "Full report: ");
			mrkdwn_escape(&b, c);
		}
		free(c);
		t = buf_take(&b);
		jset(o, "type", jstr("context"));
		jpush(a, text_obj("mrkdwn", t));
		jset(o, "elements", a);
		jpush(blocks, o);
		free(t);
	}
	jset(doc, "blocks", blocks);
	out = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	json_decref(doc);
	summary_release(&s);
	if (!out)
		ct_die("cannot build the Slack message");
	/* jansson allocates with malloc: hand the caller a plain string */
	return out;
}

/* ---- the report in memory, signature, ids ----------------------------------- */

int ct_notify_render(const struct ct_report *r, int fmt, char **out, size_t *len,
		     struct ct_err *err)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);
	int rc;

	*out = NULL;
	*len = 0;
	if (!f)
		ct_die("out of memory");
	rc = ct_report_render(r, (enum ct_report_format)fmt, f, err);
	if (fclose(f) != 0 && rc == CT_OK)
		rc = ct_err_set(err, CT_E_IO, NULL, 0, "cannot render the report in memory");
	if (rc != CT_OK) {
		free(p);
		return rc;
	}
	*out = p;
	*len = n;
	return CT_OK;
}

void ct_notify_signature(const char *secret, size_t slen, const char *body, size_t len,
			 char out[CT_NOTIFY_SIG_LEN])
{
	unsigned char mac[CT_SHA256_LEN];
	char hex[CT_SHA256_HEX];

	ct_sha256_hmac(secret, slen, body, len, mac);
	snprintf(out, CT_NOTIFY_SIG_LEN, "sha256=%s", ct_sha256_hex(mac, hex));
}

/* n random bytes: the kernel's generator, else a hash of the time, the
 * process and a counter (ids need to be unique, not secret). */
static void random_bytes(unsigned char *p, size_t n)
{
	static unsigned counter;
	size_t got = 0;

	while (got < n) {
		ssize_t k = getrandom(p + got, n - got, 0);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	while (got < n) {
		unsigned char d[CT_SHA256_LEN];
		struct timespec ts;
		char seed[96];
		size_t take;

		clock_gettime(CLOCK_REALTIME, &ts);
		snprintf(seed, sizeof(seed), "%lld.%ld.%ld.%u", (long long)ts.tv_sec,
			 (long)ts.tv_nsec, (long)getpid(), counter++);
		ct_sha256(seed, strlen(seed), d);
		take = n - got < sizeof(d) ? n - got : sizeof(d);
		memcpy(p + got, d, take);
		got += take;
	}
}

static void hex_bytes(const unsigned char *p, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[p[i] >> 4];
		out[2 * i + 1] = hex[p[i] & 15];
	}
	out[2 * n] = '\0';
}

void ct_notify_delivery_id(char out[CT_NOTIFY_ID_LEN])
{
	unsigned char r[16];
	char h[33];

	random_bytes(r, sizeof(r));
	r[6] = (unsigned char)((r[6] & 0x0F) | 0x40); /* version 4 */
	r[8] = (unsigned char)((r[8] & 0x3F) | 0x80); /* RFC 4122 variant */
	hex_bytes(r, sizeof(r), h);
	snprintf(out, CT_NOTIFY_ID_LEN, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16,
		 h + 20);
}

/* ---- addresses ---------------------------------------------------------- */

bool ct_notify_addr_ok(const char *a)
{
	const char *at;
	size_t n;

	if (!a || !*a || (n = strlen(a)) > 254)
		return false;
	for (const char *p = a; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c <= ' ' || c >= 0x7f || strchr("\"(),:;<>[\\]", c))
			return false;
	}
	at = strchr(a, '@');
	if (!at || at == a || strchr(at + 1, '@') || !at[1] || at - a > 64)
		return false;
	/* the domain: labels of letters, digits and hyphens */
	for (const char *p = at + 1; *p; p++)
		if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '.'))
			return false;
	return at[1] != '.' && a[n - 1] != '.' && !strstr(at, "..");
}

/* Valid UTF-8 without control characters? */
static bool text_ok(const char *s)
{
	const char *p = s;
	uint32_t cp;

	while (*p) {
		const char *before = p;

		cp = ct_render_utf8_next(&p);
		if (cp == 0xFFFD && (p - before != 3 || memcmp(before, "\xEF\xBF\xBD", 3)))
			return false; /* an invalid byte, not a real U+FFFD */
		if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
			return false;
	}
	return true;
}

int ct_notify_parse_from(const char *s, char **name, char **addr, struct ct_err *err)
{
	const char *lt = strrchr(s, '<');
	char *n = NULL, *a = NULL;
	size_t len;

	*name = NULL;
	*addr = NULL;
	if (strlen(s) > SUBJECT_MAX || !text_ok(s))
		return ct_err_set(
			err, CT_E_USAGE, NULL, 0,
			"--from is too long or holds control characters or invalid UTF-8");
	if (!lt) {
		if (!ct_notify_addr_ok(s))
			return ct_err_set(err, CT_E_USAGE, NULL, 0,
					  "--from wants ADDRESS or 'NAME <ADDRESS>', not '%s'", s);
		*addr = ct_xstrdup(s);
		return CT_OK;
	}
	len = strlen(lt);
	if (len < 3 || lt[len - 1] != '>')
		return ct_err_set(err, CT_E_USAGE, NULL, 0,
				  "--from wants ADDRESS or 'NAME <ADDRESS>', not '%s'", s);
	a = ct_xstrndup(lt + 1, len - 2);
	/* the name, trimmed, without surrounding quotes */
	{
		const char *b = s, *e = lt;

		while (b < e && *b == ' ')
			b++;
		while (e > b && e[-1] == ' ')
			e--;
		if (e - b >= 2 && *b == '"' && e[-1] == '"') {
			b++;
			e--;
		}
		if (e > b)
			n = ct_xstrndup(b, (size_t)(e - b));
	}
	if (!ct_notify_addr_ok(a) || (n && (strchr(n, '"') || strchr(n, '\\')))) {
		free(a);
		free(n);
		return ct_err_set(err, CT_E_USAGE, NULL, 0,
				  "--from wants ADDRESS or 'NAME <ADDRESS>' (a name without "
				  "quotes or backslashes), not '%s'",
				  s);
	}
	*name = n;
	*addr = a;
	return CT_OK;
}

/* ---- MIME ------------------------------------------------------------------ */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* n bytes of p in base64, no line breaks. */
static void base64(struct buf *b, const unsigned char *p, size_t n)
{
	char q[4];

	for (; n >= 3; p += 3, n -= 3) {
		q[0] = b64[p[0] >> 2];
		q[1] = b64[((p[0] & 3) << 4) | (p[1] >> 4)];
		q[2] = b64[((p[1] & 15) << 2) | (p[2] >> 6)];
		q[3] = b64[p[2] & 63];
		buf_add(b, q, 4);
	}
	if (n) {
		q[0] = b64[p[0] >> 2];
		q[1] = b64[((p[0] & 3) << 4) | (n > 1 ? p[1] >> 4 : 0)];
		q[2] = n > 1 ? b64[(p[1] & 15) << 2] : '=';
		q[3] = '=';
		buf_add(b, q, 4);
	}
}

/* A body in base64, lines of 76 characters ending in CRLF. */
static void base64_lines(struct buf *b, const unsigned char *p, size_t n)
{
	while (n) {
		size_t k = n < B64_LINE ? n : B64_LINE;

		base64(b, p, k);
		buf_puts(b, "\r\n");
		p += k;
		n -= k;
	}
}

/*
 * Text with LF (or CRLF) line ends as quoted-printable (RFC 2045 6.7):
 * lines end in CRLF, at most 76 columns with soft breaks, '=' and bytes
 * outside printable ASCII as =XX, a blank before a line end encoded, and
 * a line starting "From " or "." protected for mbox and SMTP.
 */
static void quoted_printable(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	while (*s) {
		size_t n = strcspn(s, "\n");
		size_t end = n, col = 0;

		if (end && s[end - 1] == '\r')
			end--;
		for (size_t i = 0; i < end; i++) {
			unsigned char c = (unsigned char)s[i];
			char t[3];
			size_t w;
			bool enc = c == '=' || c > 126 || (c < 32 && c != '\t') ||
				   ((c == ' ' || c == '\t') && i + 1 == end) ||
				   (i == 0 && (c == '.' || (c == 'F' && !strncmp(s, "From ", 5))));

			if (enc) {
				t[0] = '=';
				t[1] = hex[c >> 4];
				t[2] = hex[c & 15];
				w = 3;
			} else {
				t[0] = (char)c;
				w = 1;
			}
			/* room for a soft break's '=' unless this ends the line */
			if (col + w > QP_LINE - 1 && !(i + 1 == end && col + w <= QP_LINE)) {
				buf_puts(b, "=\r\n");
				col = 0;
			}
			buf_add(b, t, w);
			col += w;
		}
		buf_puts(b, "\r\n");
		s += n;
		if (*s == '\n')
			s++;
	}
}

static bool is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

/*
 * A header value that may be non-ASCII: as it is when ASCII (folded at
 * blanks to keep lines short), else RFC 2047 B encoded-words of at most
 * EW_BYTES bytes each (never splitting a UTF-8 sequence), one a line.
 * used: columns already on the first line ("Subject: ").
 */
static void header_text(struct buf *b, const char *s, size_t used, bool quote)
{
	size_t n = strlen(s);

	if (is_ascii(s)) {
		if (quote)
			buf_printf(b, "\"%s\"", s);
		else {
			/* fold before a blank when a line would pass 78 columns */
			size_t col = used;
			const char *p = s;

			while (*p) {
				size_t w = strcspn(p + 1, " ") + 1;

				if (col + w > 78 && col > used && *p == ' ') {
					buf_puts(b, "\r\n");
					col = 0;
				}
				buf_add(b, p, w);
				col += w;
				p += w;
			}
		}
		return;
	}
	for (size_t at = 0, first = 1; at < n; first = 0) {
		size_t k = n - at < EW_BYTES ? n - at : EW_BYTES;

		/* back off to the start of a UTF-8 sequence */
		while (at + k < n && k > 1 && ((unsigned char)s[at + k] & 0xC0) == 0x80)
			k--;
		if (!first)
			buf_puts(b, "\r\n ");
		buf_puts(b, "=?UTF-8?B?");
		base64(b, (const unsigned char *)s + at, k);
		buf_puts(b, "?=");
		at += k;
	}
}

/* "Tue, 01 Dec 2026 04:39:13 +0000" */
static void rfc5322_date(int64_t t, char *out, size_t len)
{
	static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	int64_t day = ct_clock_day(t), sec = t - day * 86400;
	int y;
	unsigned m, d;

	ct_clock_civil_from_days(day, &y, &m, &d);
	snprintf(out, len, "%s, %02u %s %04d %02d:%02d:%02d +0000", wd[((day % 7) + 7 + 4) % 7], d,
		 mon[(m - 1) % 12], y, (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60));
}

int ct_notify_mime(const struct ct_notify_mail *m, char **out, size_t *len, struct ct_err *err)
{
	struct buf b = {0};
	unsigned char rnd[16];
	char boundary[64], id[33], date[64], stamp[21];
	const char *domain;

	*out = NULL;
	*len = 0;
	if (!m->subject || strlen(m->subject) > SUBJECT_MAX || !text_ok(m->subject))
		return ct_err_set(err, CT_E_USAGE, NULL, 0,
				  "the subject is too long or holds control characters or "
				  "invalid UTF-8");
	if (m->from_name && (strlen(m->from_name) > SUBJECT_MAX || !text_ok(m->from_name) ||
			     strpbrk(m->from_name, "\"\\")))
		return ct_err_set(err, CT_E_USAGE, NULL, 0, "bad sender name");
	if (!ct_notify_addr_ok(m->from_addr))
		return ct_err_set(err, CT_E_USAGE, NULL, 0, "bad sender address");
	if (!m->nto)
		return ct_err_set(err, CT_E_USAGE, NULL, 0, "no recipient");
	for (size_t i = 0; i < m->nto; i++)
		if (!ct_notify_addr_ok(m->to[i]))
			return ct_err_set(err, CT_E_USAGE, NULL, 0, "bad recipient address");

	random_bytes(rnd, sizeof(rnd));
	hex_bytes(rnd, sizeof(rnd), id);
	/* "=_" never occurs in base64 or quoted-printable text */
	snprintf(boundary, sizeof(boundary), "=_cloudtally_%s", id);
	domain = strchr(m->from_addr, '@') + 1;
	rfc5322_date(m->date, date, sizeof(date));
	ct_clock_format_iso(m->date, stamp);

	buf_printf(&b, "Date: %s\r\n", date);
	buf_puts(&b, "From: ");
	if (m->from_name) {
		header_text(&b, m->from_name, 6, true);
		buf_puts(&b, " ");
	}
	buf_printf(&b, "<%s>\r\n", m->from_addr);
	buf_puts(&b, "To: ");
	for (size_t i = 0; i < m->nto; i++)
		buf_printf(&b, "%s%s", i ? ",\r\n " : "", m->to[i]);
	buf_puts(&b, "\r\nSubject: ");
	header_text(&b, m->subject, 9, false);
	/* Message-ID: the time, random bits and the sender's domain */
	buf_printf(&b, "\r\nMessage-ID: <%.4s%.2s%.2s%.2s%.2s%.2s.%.16s@%s>\r\n", stamp, stamp + 5,
		   stamp + 8, stamp + 11, stamp + 14, stamp + 17, id + 16, domain);
	buf_puts(&b, "MIME-Version: 1.0\r\n");
	buf_printf(&b, "Content-Type: multipart/mixed;\r\n boundary=\"%s\"\r\n", boundary);
	buf_puts(&b, "Auto-Submitted: auto-generated\r\n");
	buf_printf(&b, "X-Cloudtally-Month: %.7s\r\n", m->month ? m->month : "");
	buf_puts(&b, "User-Agent: cloudtally/" PACKAGE_VERSION "\r\n");
	buf_puts(&b, "\r\nThis is a message in MIME format.\r\n");

	buf_printf(&b, "\r\n--%s\r\n", boundary);
	buf_puts(&b, "Content-Type: text/plain; charset=UTF-8\r\n"
		     "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
	quoted_printable(&b, m->text ? m->text : "");
	for (size_t i = 0; i < m->nparts; i++) {
		const struct ct_notify_part *p = &m->parts[i];

		buf_printf(&b, "\r\n--%s\r\n", boundary);
		buf_printf(&b, "Content-Type: %s;\r\n name=\"%s\"\r\n", p->content_type,
			   p->filename);
		buf_printf(&b, "Content-Disposition: attachment;\r\n filename=\"%s\"\r\n",
			   p->filename);
		buf_puts(&b, "Content-Transfer-Encoding: base64\r\n\r\n");
		base64_lines(&b, p->data, p->len);
	}
	buf_printf(&b, "\r\n--%s--\r\n", boundary);
	*len = b.len;
	*out = buf_take(&b);
	return CT_OK;
}

/* ---- sendmail --------------------------------------------------------------- */

/* Write all of p; false with errno on failure. */
static bool write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		p += k;
		n -= (size_t)k;
	}
	return true;
}

int ct_notify_sendmail(const char *path, const char *msg, size_t len, struct ct_err *err)
{
	int in[2] = {-1, -1}, rep[2] = {-1, -1};
	struct sigaction ign, old;
	bool wrote = true;
	int werr = 0, child_errno = 0, status, rc = CT_OK;
	ssize_t k;
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) != 0 || pipe2(rep, O_CLOEXEC) != 0) {
		rc = ct_err_set(err, CT_E_IO, path, 0, "cannot make a pipe: %s", strerror(errno));
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		rc = ct_err_set(err, CT_E_IO, path, 0, "cannot start: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		char *argv[] = {(char *)path, (char *)"-t", (char *)"-oi", NULL};
		int e;

		if (dup2(in[0], 0) < 0 || dup2(2, 1) < 0)
			_exit(127);
		execvp(path, argv);
		e = errno;
		if (write(rep[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(in[0]);
	close(rep[1]);
	in[0] = rep[1] = -1;
	/* exec worked when the report pipe closes empty */
	do
		k = read(rep[0], &child_errno, sizeof(child_errno));
	while (k < 0 && errno == EINTR);
	if (k == (ssize_t)sizeof(child_errno)) {
		close(in[1]);
		in[1] = -1;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		rc = ct_err_set(err, CT_E_IO, path, 0, "cannot run: %s", strerror(child_errno));
		goto out;
	}
	/* the local mail interface takes LF line ends; a program that quits
	 * early must not kill us with SIGPIPE */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old);
	for (size_t i = 0; i < len && wrote;) {
		const char *crlf = memmem(msg + i, len - i, "\r\n", 2);
		size_t n = crlf ? (size_t)(crlf - (msg + i)) : len - i;

		wrote = write_all(in[1], msg + i, n);
		i += n;
		if (wrote && crlf) {
			wrote = write_all(in[1], "\n", 1);
			i += 2;
		}
	}
	if (!wrote)
		werr = errno;
	close(in[1]);
	in[1] = -1;
	sigaction(SIGPIPE, &old, NULL);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			rc = ct_err_set(err, CT_E_IO, path, 0, "cannot wait: %s", strerror(errno));
			goto out;
		}
	}
	if (WIFSIGNALED(status))
		rc = ct_err_set(err, CT_E_NET, path, 0, "killed by signal %d", WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		rc = ct_err_set(err, CT_E_NET, path, 0,
				"exited with status %d: the mail was not sent",
				WEXITSTATUS(status));
	else if (!wrote)
		rc = ct_err_set(err, CT_E_NET, path, 0, "did not read the whole message: %s",
				strerror(werr));
out:
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (rep[i] >= 0)
			close(rep[i]);
	}
	return rc;
}

/* ---- HTTP ---------------------------------------------------------------- */

/* Replace every n-byte occurrence of what in s with "***". */
static void scrub(char *s, size_t cap, const char *what, size_t n)
{
	char *p;

	if (n < 4)
		return;
	while ((p = memmem(s, strlen(s), what, n)) != NULL) {
		struct buf b = {0};

		buf_add(&b, s, (size_t)(p - s));
		buf_puts(&b, "***");
		buf_puts(&b, p + n);
		snprintf(s, cap, "%s", b.p);
		free(b.p);
	}
}

/* Remove anything URL-like from an error message about a secret URL. */
static void scrub_secret_url(struct ct_err *err, const char *url)
{
	struct buf b = {0};
	char shown[512];
	const char *host, *path, *m, *p;

	if (!err)
		return;
	/* every "scheme://..." up to a blank becomes "(URL)" */
	for (m = err->msg; (p = strstr(m, "://")) != NULL;) {
		const char *s = p, *e = p + 3;

		while (s > m && (isalnum((unsigned char)s[-1]) || s[-1] == '+' || s[-1] == '.' ||
				 s[-1] == '-'))
			s--;
		while (*e && *e != ' ' && *e != ';' && *e != ',' && *e != ')')
			e++;
		buf_add(&b, m, (size_t)(s - m));
		buf_puts(&b, "(URL)");
		m = e;
	}
	buf_puts(&b, m);
	snprintf(err->msg, sizeof(err->msg), "%s", b.p);
	free(b.p);
	/* and the path and query of the URL, wherever they show */
	host = strstr(url, "://");
	host = host ? host + 3 : url;
	path = host + strcspn(host, "/?#");
	scrub(err->msg, sizeof(err->msg), path, strlen(path));
	ct_http_redact(url, shown, sizeof(shown));
	scrub(err->msg, sizeof(err->msg), shown, strlen(shown));
}

/* Is the answer a short error code such as Slack's "invalid_token"? */
static bool error_code(const char *body, size_t len)
{
	size_t n = len;

	while (n && (body[n - 1] == '\n' || body[n - 1] == '\r'))
		n--;
	if (!n || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char)body[i]) || isdigit((unsigned char)body[i]) ||
		      body[i] == '_'))
			return false;
	return true;
}

int ct_notify_post(const char *url, const char *shown, const char *const *headers, const char *body,
		   size_t len, long timeout, long *status, struct ct_err *err)
{
	struct ct_http_request rq = {0};
	struct ct_http_response rs = {0};
	int rc;

	rq.method = "POST";
	rq.url = url;
	rq.headers = headers;
	rq.body = body;
	rq.body_len = len;
	rq.content_type = "application/json";
	rq.opts.max_body = 1 << 20;
	rq.opts.timeout = timeout > 0 ? timeout : 60;
	rc = ct_http_send(&rq, &rs, err);
	if (status)
		*status = rs.status;
	if (rc != CT_OK && shown && err) {
		scrub_secret_url(err, url);
		snprintf(err->source, sizeof(err->source), "%s", shown);
		if (rs.status >= 400 && error_code(rs.body, rs.len)) {
			size_t n = strlen(err->msg);
			size_t k = strcspn(rs.body, "\r\n");

			snprintf(err->msg + n, sizeof(err->msg) - n, ": %.*s", (int)k, rs.body);
		}
	}
	ct_http_response_release(&rs);
	return rc;
}

/* ---- the delivery record ------------------------------------------------------ */

void ct_notify_target(const char *channel, const char *target, char out[CT_SHA256_HEX])
{
	struct ct_sha256 c;
	unsigned char d[CT_SHA256_LEN];

	ct_sha256_init(&c);
	ct_sha256_update(&c, channel, strlen(channel) + 1); /* with its NUL */
	ct_sha256_update(&c, target, strlen(target));
	ct_sha256_final(&c, d);
	ct_sha256_hex(d, out);
}

int ct_notify_delivered(struct ct_store *st, const char *channel, const char *target,
			const char *month, char **sent_at, struct ct_err *err)
{
	struct ct_stmt *q;
	int rc;

	*sent_at = NULL;
	q = ct_store_prepare(st,
			     "SELECT sent_at FROM delivery WHERE channel = ?1 AND target = ?2 "
			     "AND month = ?3",
			     err);
	if (!q)
		return CT_E_DB;
	ct_stmt_bind_str(q, 1, channel);
	ct_stmt_bind_str(q, 2, target);
	ct_stmt_bind_str(q, 3, month);
	rc = ct_stmt_step(q, err);
	if (rc == 1)
		*sent_at = ct_xstrdup(ct_render_nz(ct_stmt_text(q, 0)));
	ct_stmt_finalize(q);
	return rc;
}

int ct_notify_record(struct ct_store *st, const char *channel, const char *target,
		     const char *month, int64_t now, struct ct_err *err)
{
	struct ct_stmt *q;
	char at[21];
	int rc;

	ct_clock_format_iso(now, at);
	/* a transaction of its own: on ClickHouse the commit writes it there */
	if (ct_store_begin(st, err) != CT_OK)
		return CT_E_DB;
	q = ct_store_prepare(st,
			     "INSERT INTO delivery (channel, target, month, sent_at, attempts) "
			     "VALUES (?1, ?2, ?3, ?4, 1) "
			     "ON CONFLICT (channel, target, month) DO UPDATE SET "
			     "sent_at = excluded.sent_at, attempts = delivery.attempts + 1",
			     err);
	if (!q) {
		ct_store_rollback(st);
		return CT_E_DB;
	}
	ct_stmt_bind_str(q, 1, channel);
	ct_stmt_bind_str(q, 2, target);
	ct_stmt_bind_str(q, 3, month);
	ct_stmt_bind_str(q, 4, at);
	rc = ct_stmt_step(q, err);
	ct_stmt_finalize(q);
	if (rc < 0) {
		ct_store_rollback(st);
		return rc;
	}
	if (ct_store_commit(st, err) != CT_OK) {
		ct_store_rollback(st);
		return CT_E_DB;
	}
	return CT_OK;
}
