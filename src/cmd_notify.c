/*
 * cmd_notify.c - `cloudtally notify slack|webhook|email`: deliver the
 * month's report where people read it, once per month and destination
 * unless --force (src/notify.c builds and sends the messages and keeps
 * the delivery record).
 *
 * Secrets come from the environment only: the Slack webhook URL from
 * --webhook-env VAR, the webhook's signing secret from --secret-env VAR,
 * the SMTP login from CLOUDTALLY_SMTP_USER / CLOUDTALLY_SMTP_PASSWORD.
 * They are never printed: the Slack webhook is named "the Slack webhook
 * in $VAR", other URLs are shown through ct_http_redact().
 */
#include "ct.h"
#include "cmd.h"
#include "clock.h"
#include "http.h"
#include "notify.h"
#include "report.h"
#include "store.h"
#include "xlsx.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define SENDMAIL_DEFAULT "/usr/sbin/sendmail"
#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define URL_MAX 2000

const char ct_cmd_notify_usage[] =
	"usage: cloudtally notify slack --webhook-env VAR [--month YYYY-MM] [--config FILE] [--report-url URL] [--attach PATH] [--timeout S] [--force]\n"
	"       cloudtally notify webhook --url URL [--secret-env VAR] [--month YYYY-MM] [--config FILE] [--timeout S] [--force]\n"
	"       cloudtally notify email --to ADDR [--to ADDR]... [--from ADDR] [--subject TEXT] [--smtp URL | --sendmail CMD] [--month YYYY-MM] [--config FILE] [--timeout S] [--force]\n"
	"\n"
	"Deliver the month's report: a summary to Slack, the report JSON to a\n"
	"webhook, or a mail with the HTML report and the workbook attached. A\n"
	"month goes to each destination once: a second run says when it was\n"
	"delivered and sends nothing, unless --force. Failed requests are\n"
	"retried with backoff; a failed delivery is not remembered.\n"
	"\n"
	"  --month YYYY-MM    the billing period (default: the latest complete one)\n"
	"  --config FILE      the config file with the budgets (default:\n"
	"                     ${XDG_CONFIG_HOME:-$HOME/.config}/cloudtally/config)\n"
	"  --timeout S        give up an attempt after S seconds (1-3600; default 60,\n"
	"                     SMTP 300); failed attempts are retried with backoff\n"
	"  --force            send even when the month was delivered there before\n"
	"\n"
	"slack: totals, change, forecast, top movers, breached budgets, anomalous\n"
	"days and top savings as a Block Kit message\n"
	"  --webhook-env VAR  the environment variable holding the Slack webhook URL\n"
	"  --report-url URL   link the full report (http or https)\n"
	"  --attach PATH      name the file with the full report instead\n"
	"\n"
	"webhook: POST the report JSON (with the budget status under \"budgets\")\n"
	"  --url URL          where to POST (http or https)\n"
	"  --secret-env VAR   sign the body: X-Cloudtally-Signature: sha256=HMAC-SHA256\n"
	"                     of the body keyed with the value of VAR\n"
	"\n"
	"email: a MIME mail, the summary as text with the HTML report and the\n"
	"workbook attached\n"
	"  --to ADDR          a recipient; repeat for more\n"
	"  --from ADDR        the sender, ADDR or 'NAME <ADDR>' (default:\n"
	"                     cloudtally <cloudtally@HOSTNAME>)\n"
	"  --subject TEXT     the subject (default: the month's total and change)\n"
	"  --sendmail CMD     hand the mail to CMD -t -oi (default: " SENDMAIL_DEFAULT ")\n"
	"  --smtp URL         send through smtp://HOST[:PORT] (STARTTLS when offered)\n"
	"                     or smtps://HOST[:PORT]; login from CLOUDTALLY_SMTP_USER\n"
	"                     and CLOUDTALLY_SMTP_PASSWORD\n";

enum channel { CH_SLACK, CH_WEBHOOK, CH_EMAIL };
static const char *const channel_names[] = {"slack", "webhook", "email"};

struct notify_opts {
	enum channel ch;
	struct ct_report_opts ro;
	bool force;
	long timeout;				       /* seconds per attempt, 0: the default */
	const char *webhook_env, *report_url, *attach; /* slack */
	const char *url, *secret_env;		       /* webhook */
	char **to;				       /* email (argv strings) */
	size_t nto;
	const char *from, *subject, *smtp, *sendmail;
};

/* An http(s) URL that can go into a Slack link: no blanks or < > |. */
static bool http_url_ok(const char *u, bool for_link)
{
	if (strncasecmp(u, "https://", 8) && strncasecmp(u, "http://", 7))
		return false;
	if (strlen(u) > URL_MAX)
		return false;
	for (const char *p = u; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c <= ' ' || c == 0x7f || (for_link && strchr("<>|", c)))
			return false;
	}
	return true;
}

/* Is the host of an http(s) URL this machine (127.x.y.z, ::1,
 * localhost)? User information before it is skipped. */
static bool is_loopback(const char *url)
{
	const char *h = strstr(url, "://") + 3;
	/* as curl reads it: the authority ends at the first / ? or #, so
	 * "http://evil.example?@127.0.0.1/" is not this machine */
	const char *at = memchr(h, '@', strcspn(h, "/?#"));
	size_t n;

	if (at)
		h = at + 1;
	n = strcspn(h, "/?#");
	if (*h == '[')
		return n >= 5 && !strncmp(h, "[::1]", 5) && (n == 5 || h[5] == ':');
	n = strcspn(h, ":/?#");
	if (n == 9 && !strncasecmp(h, "localhost", 9))
		return true;
	if (n < 7 || strncmp(h, "127.", 4))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)h[i]) && h[i] != '.')
			return false;
	return true;
}

static int parse(int argc, char **argv, struct notify_opts *o, struct ct_err *err)
{
	static const struct option opts[] = {
		{"month", required_argument, NULL, 'm'},
		{"config", required_argument, NULL, 'c'},
		{"force", no_argument, NULL, 'F'},
		{"timeout", required_argument, NULL, 'T'},
		{"webhook-env", required_argument, NULL, 'w'},
		{"report-url", required_argument, NULL, 'r'},
		{"attach", required_argument, NULL, 'a'},
		{"url", required_argument, NULL, 'u'},
		{"secret-env", required_argument, NULL, 'S'},
		{"to", required_argument, NULL, 't'},
		{"from", required_argument, NULL, 'f'},
		{"subject", required_argument, NULL, 's'},
		{"smtp", required_argument, NULL, 'M'},
		{"sendmail", required_argument, NULL, 'x'},
		{NULL, 0, NULL, 0},
	};
	/* which channel each option belongs to; -1: all */
	static const struct {
		int opt, ch;
		const char *name;
	} only[] = {
		{'w', CH_SLACK, "--webhook-env"},  {'r', CH_SLACK, "--report-url"},
		{'a', CH_SLACK, "--attach"},	   {'u', CH_WEBHOOK, "--url"},
		{'S', CH_WEBHOOK, "--secret-env"}, {'t', CH_EMAIL, "--to"},
		{'f', CH_EMAIL, "--from"},	   {'s', CH_EMAIL, "--subject"},
		{'M', CH_EMAIL, "--smtp"},	   {'x', CH_EMAIL, "--sendmail"},
	};
	int c;
	size_t i;

	if (argc < 2)
		return ct_err_set(err, CT_E_USAGE, NULL, 0,
				  "notify wants a channel: slack, webhook or email");
	for (i = 0; i < CT_NELEM(channel_names); i++)
		if (!strcmp(argv[1], channel_names[i]))
			break;
	if (i == CT_NELEM(channel_names))
		return ct_err_set(err, CT_E_USAGE, NULL, 0,
				  "unknown channel '%s' (slack, webhook, email)", argv[1]);
	o->ch = (enum channel)i;
	argc--;
	argv++;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		for (i = 0; i < CT_NELEM(only); i++)
			if (only[i].opt == c && only[i].ch != (int)o->ch)
				return ct_err_set(err, CT_E_USAGE, NULL, 0,
						  "%s is not an option of notify %s", only[i].name,
						  channel_names[o->ch]);
		switch (c) {
		case 'm':
			o->ro.month = optarg;
			break;
		case 'c':
			o->ro.config = optarg;
			break;
		case 'F':
			o->force = true;
			break;
		case 'T': {
			char *end;

			errno = 0;
			o->timeout = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || o->timeout < 1 || o->timeout > 3600)
				return ct_err_set(
					err, CT_E_USAGE, NULL, 0,
					"--timeout wants whole seconds from 1 to 3600, not '%s'",
					optarg);
			break;
		}
		case 'w':
			o->webhook_env = optarg;
			break;
		case 'r':
			o->report_url = optarg;
			break;
		case 'a':
			o->attach = optarg;
			break;
		case 'u':
			o->url = optarg;
			break;
		case 'S':
			o->secret_env = optarg;
			break;
		case 't':
			if (o->nto >= CT_NOTIFY_RCPT_MAX)
				return ct_err_set(err, CT_E_USAGE, NULL, 0,
						  "more than %d --to addresses",
						  CT_NOTIFY_RCPT_MAX);
			o->to = ct_xrealloc(o->to, (o->nto + 1) * sizeof(*o->to));
			o->to[o->nto++] = optarg;
			break;
		case 'f':
			o->from = optarg;
			break;
		case 's':
			o->subject = optarg;
			break;
		case 'M':
			o->smtp = optarg;
			break;
		case 'x':
			o->sendmail = optarg;
			break;
		default:
			return ct_err_set(err, CT_E_USAGE, NULL, 0, "bad option");
		}
	}
	if (optind < argc)
		return ct_err_set(err, CT_E_USAGE, NULL, 0, "unexpected argument '%s'",
				  argv[optind]);
	{
		int y;
		unsigned m;

		if (o->ro.month && ct_clock_parse_month(o->ro.month, &y, &m) != CT_OK)
			return ct_err_set(err, CT_E_USAGE, NULL, 0,
					  "--month wants YYYY-MM, not '%s'", o->ro.month);
	}
	switch (o->ch) {
	case CH_SLACK:
		if (!o->webhook_env || !*o->webhook_env)
			return ct_err_set(err, CT_E_USAGE, NULL, 0,
					  "notify slack wants --webhook-env VAR, the environment "
					  "variable with the webhook URL");
		if (o->report_url && o->attach)
			return ct_err_set(err, CT_E_USAGE, NULL, 0,
					  "--report-url and --attach are two ways to say where the "
					  "report is: give one");
		if (o->report_url && !http_url_ok(o->report_url, true))
			return ct_err_set(
				err, CT_E_USAGE, NULL, 0,
				"--report-url wants an http(s) URL without blanks or < > |");
		break;
	case CH_WEBHOOK:
		if (!o->url)
			return ct_err_set(err, CT_E_USAGE, NULL, 0,
					  "notify webhook wants --url URL");
		if (!http_url_ok(o->url, false)) {
			char shown[512];

			ct_http_redact(o->url, shown, sizeof(shown));
			return ct_err_set(err, CT_E_USAGE, NULL, 0,
					  "--url wants an http:// or https:// URL, not '%s'",
					  shown);
		}
		{
			/* user information with a raw ? or # would be taken for the
			 * query or fragment, and shown */
			const char *h = strstr(o->url, "://") + 3;
			size_t auth = strcspn(h, "/");
			const char *at = memchr(h, '@', auth);

			if (at && (size_t)(at - h) > strcspn(h, "?#"))
				return ct_err_set(
					err, CT_E_USAGE, NULL, 0,
					"--url: a user name or password with ? or # must be "
					"percent-encoded (%%3F, %%23)");
			if (at && !strncasecmp(o->url, "http://", 7) && !is_loopback(o->url))
				return ct_err_set(
					err, CT_E_USAGE, NULL, 0,
					"--url: a password is not sent over plain http except "
					"to this machine; use https://");
		}
		if (o->secret_env && !*o->secret_env)
			return ct_err_set(err, CT_E_USAGE, NULL, 0,
					  "--secret-env wants a variable name");
		break;
	case CH_EMAIL:
		if (!o->nto)
			return ct_err_set(err, CT_E_USAGE, NULL, 0, "notify email wants --to ADDR");
		for (i = 0; i < o->nto; i++)
			if (!ct_notify_addr_ok(o->to[i]))
				return ct_err_set(
					err, CT_E_USAGE, NULL, 0,
					"--to wants a bare address such as ops@example.com, "
					"not '%s'",
					o->to[i]);
		if (o->smtp && o->sendmail)
			return ct_err_set(err, CT_E_USAGE, NULL, 0,
					  "--smtp and --sendmail are two ways to send: give one");
		if (o->smtp && strncasecmp(o->smtp, "smtp://", 7) &&
		    strncasecmp(o->smtp, "smtps://", 8))
			return ct_err_set(err, CT_E_USAGE, NULL, 0,
					  "--smtp wants smtp://HOST[:PORT] or smtps://HOST[:PORT]");
		if (o->smtp) {
			const char *h = strstr(o->smtp, "://") + 3;

			if (memchr(h, '@', strcspn(h, "/")))
				return ct_err_set(
					err, CT_E_USAGE, NULL, 0,
					"--smtp takes no user or password: set "
					"CLOUDTALLY_SMTP_USER and CLOUDTALLY_SMTP_PASSWORD");
		}
		if (o->subject &&
		    (!*o->subject || strpbrk(o->subject, "\r\n\t") || strlen(o->subject) > 400))
			return ct_err_set(err, CT_E_USAGE, NULL, 0,
					  "--subject wants one line of at most 400 bytes");
		if (o->sendmail && !*o->sendmail)
			return ct_err_set(err, CT_E_USAGE, NULL, 0, "--sendmail wants a program");
		break;
	}
	return CT_OK;
}

/* A secret from the environment: set and not empty, else a usage error
 * naming the variable (never the value). */
static int secret_env(const char *var, const char *what, const char **out, struct ct_err *err)
{
	const char *v = getenv(var);

	*out = NULL;
	if (!v || !*v)
		return ct_err_set(err, CT_E_USAGE, NULL, 0, "%s is not set: it should hold %s", var,
				  what);
	*out = v;
	return CT_OK;
}

/* The whole file at path into memory (new buffer). */
static int read_file(const char *path, char **out, size_t *len, struct ct_err *err)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	size_t n = 0, cap = 0, k;
	int rc = CT_OK;

	*out = NULL;
	*len = 0;
	if (!f)
		return ct_err_set(err, CT_E_IO, path, 0, "cannot read: %s", strerror(errno));
	do {
		CT_GROW(p, n + 65536, cap);
		k = fread(p + n, 1, cap - n, f);
		n += k;
	} while (k > 0);
	if (ferror(f))
		rc = ct_err_set(err, CT_E_IO, path, 0, "cannot read: %s", strerror(errno));
	fclose(f);
	if (rc != CT_OK) {
		free(p);
		return rc;
	}
	*out = p;
	*len = n;
	return CT_OK;
}

/* The workbook of r in memory, written through a temporary file. */
static int workbook(const struct ct_report *r, int64_t now, char **out, size_t *len,
		    struct ct_err *err)
{
	const char *dir = getenv("TMPDIR");
	struct ct_xlsx_opts xo = {0};
	char *tmp = ct_xasprintf("%s/cloudtally-mail-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(tmp), rc;

	if (fd < 0) {
		rc = ct_err_set(err, CT_E_IO, tmp, 0, "cannot create a temporary file: %s",
				strerror(errno));
		free(tmp);
		return rc;
	}
	close(fd);
	xo.created = now;
	rc = ct_xlsx_write(r, &xo, tmp, err);
	if (rc == CT_OK)
		rc = read_file(tmp, out, len, err);
	unlink(tmp);
	free(tmp);
	return rc;
}

static int cmp_addr(const void *a, const void *b)
{
	return strcasecmp(*(char *const *)a, *(char *const *)b);
}

/* The recipients sorted, without repeats (any case); borrowed strings. */
static size_t unique_rcpts(char **to, size_t n, const char **out)
{
	char **v = ct_xmalloc(n * sizeof(*v));
	size_t k = 0;

	memcpy(v, to, n * sizeof(*v));
	qsort(v, n, sizeof(*v), cmp_addr);
	for (size_t i = 0; i < n; i++)
		if (!k || strcasecmp(out[k - 1], v[i]))
			out[k++] = v[i];
	free(v);
	return k;
}

/* The default sender: cloudtally@HOSTNAME, or cloudtally@localhost. */
static char *default_from(void)
{
	char host[256] = "";
	char *a;

	if (gethostname(host, sizeof(host) - 1) != 0)
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	a = ct_xasprintf("cloudtally@%s", host[0] ? host : "localhost");
	if (!ct_notify_addr_ok(a)) {
		free(a);
		a = ct_xstrdup("cloudtally@localhost");
	}
	return a;
}

static int send_slack(const struct notify_opts *o, const struct ct_report *r, const char *url,
		      const char *shown, struct ct_err *err)
{
	struct ct_notify_link link = {o->report_url, o->attach};
	char *msg = ct_notify_slack_message(r, &link);
	int rc = ct_notify_post(url, shown, NULL, msg, strlen(msg), o->timeout, NULL, err);

	free(msg);
	return rc;
}

static int send_webhook(const struct notify_opts *o, const struct ct_report *r, const char *secret,
			long *status, char id[CT_NOTIFY_ID_LEN], struct ct_err *err)
{
	char sig[CT_NOTIFY_SIG_LEN];
	char *body = NULL, *h_month = NULL, *h_id = NULL, *h_sig = NULL;
	const char *headers[4] = {NULL};
	size_t len, nh = 0;
	int rc;

	rc = ct_notify_render(r, CT_FMT_JSON, &body, &len, err);
	if (rc != CT_OK)
		return rc;
	ct_notify_delivery_id(id);
	h_month = ct_xasprintf("X-Cloudtally-Month: %.7s", r->month);
	h_id = ct_xasprintf("X-Cloudtally-Delivery: %s", id);
	headers[nh++] = h_month;
	headers[nh++] = h_id;
	if (secret) {
		ct_notify_signature(secret, strlen(secret), body, len, sig);
		h_sig = ct_xasprintf("X-Cloudtally-Signature: %s", sig);
		headers[nh++] = h_sig;
	}
	rc = ct_notify_post(o->url, NULL, headers, body, len, o->timeout, status, err);
	free(h_month);
	free(h_id);
	free(h_sig);
	free(body);
	return rc;
}

static int send_email(const struct notify_opts *o, const struct ct_report *r, int64_t now,
		      const char *const *rcpts, size_t nrcpts, char **via, struct ct_err *err)
{
	struct ct_notify_mail m = {0};
	struct ct_notify_part parts[2];
	struct ct_notify_link link = {NULL, NULL};
	char *from_name = NULL, *from_addr = NULL, *html = NULL, *xlsx = NULL;
	char *text = NULL, *subject = NULL, *msg = NULL, *names = NULL;
	char *fhtml = ct_xasprintf("cloudtally-%.7s.html", r->month);
	char *fxlsx = ct_xasprintf("cloudtally-%.7s.xlsx", r->month);
	size_t hlen = 0, xlen = 0, mlen = 0;
	int rc;

	*via = NULL;
	if (o->from) {
		rc = ct_notify_parse_from(o->from, &from_name, &from_addr, err);
		if (rc != CT_OK)
			goto out;
	} else {
		from_name = ct_xstrdup("cloudtally");
		from_addr = default_from();
	}
	rc = ct_notify_render(r, CT_FMT_HTML, &html, &hlen, err);
	if (rc != CT_OK)
		goto out;
	rc = workbook(r, now, &xlsx, &xlen, err);
	if (rc != CT_OK)
		goto out;
	names = ct_xasprintf("attached, %s and %s", fhtml, fxlsx);
	link.path = names;
	text = ct_notify_summary_text(r, &link);
	subject = o->subject ? ct_xstrdup(o->subject) : ct_notify_headline(r);
	parts[0] = (struct ct_notify_part){fhtml, "text/html; charset=UTF-8", html, hlen};
	parts[1] = (struct ct_notify_part){fxlsx, XLSX_TYPE, xlsx, xlen};
	m.from_name = from_name;
	m.from_addr = from_addr;
	m.to = rcpts;
	m.nto = nrcpts;
	m.subject = subject;
	m.text = text;
	m.parts = parts;
	m.nparts = 2;
	m.date = now;
	m.month = r->month;
	rc = ct_notify_mime(&m, &msg, &mlen, err);
	if (rc != CT_OK)
		goto out;
	if (o->smtp) {
		struct ct_http_mail hm = {0};
		char shown[512];
		const char *user = getenv("CLOUDTALLY_SMTP_USER");

		hm.url = o->smtp;
		hm.user = user && *user ? user : NULL;
		hm.password = hm.user ? getenv("CLOUDTALLY_SMTP_PASSWORD") : NULL;
		hm.from = from_addr;
		hm.rcpts = rcpts;
		hm.message = msg;
		hm.len = mlen;
		hm.timeout = o->timeout;
		rc = ct_http_smtp_send(&hm, NULL, err);
		ct_http_redact(o->smtp, shown, sizeof(shown));
		*via = ct_xstrdup(shown);
	} else {
		const char *prog = o->sendmail ? o->sendmail : SENDMAIL_DEFAULT;

		rc = ct_notify_sendmail(prog, msg, mlen, err);
		*via = ct_xstrdup(prog);
	}
out:
	if (rc != CT_OK) {
		free(*via);
		*via = NULL;
	}
	free(from_name);
	free(from_addr);
	free(html);
	free(xlsx);
	free(text);
	free(subject);
	free(msg);
	free(names);
	free(fhtml);
	free(fxlsx);
	return rc;
}

int ct_cmd_notify(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err)
{
	struct notify_opts o = {0};
	const char *secret = NULL, *slack_url = NULL;
	const char **rcpts = NULL;
	size_t nrcpts = 0;
	char *path = NULL, *shown = NULL, *sent_at = NULL, *via = NULL;
	char *key = NULL, target[CT_SHA256_HEX], id[CT_NOTIFY_ID_LEN] = "";
	struct ct_store *st = NULL;
	struct ct_report *r = NULL;
	const char *channel;
	long status = 0;
	int64_t now;
	int rc;

	rc = parse(argc, argv, &o, err);
	if (rc != CT_OK)
		goto out;
	channel = channel_names[o.ch];
	/* the destination: what is hashed for the record, what is shown */
	switch (o.ch) {
	case CH_SLACK:
		rc = secret_env(o.webhook_env, "the Slack webhook URL", &slack_url, err);
		if (rc != CT_OK)
			goto out;
		shown = ct_xasprintf("the Slack webhook in $%s", o.webhook_env);
		if (!http_url_ok(slack_url, false)) {
			rc = ct_err_set(err, CT_E_USAGE, NULL, 0, "%s is not an http(s) URL",
					shown);
			goto out;
		}
		if (!strncasecmp(slack_url, "http://", 7) && !is_loopback(slack_url)) {
			rc = ct_err_set(err, CT_E_USAGE, NULL, 0,
					"%s is a plain http URL: the webhook is a secret, sent "
					"only over https (or to this machine)",
					shown);
			goto out;
		}
		if (o.attach) {
			struct stat sb;

			if (stat(o.attach, &sb) != 0) {
				rc = ct_err_set(err, CT_E_IO, o.attach, 0, "cannot read: %s",
						strerror(errno));
				goto out;
			}
			if (!S_ISREG(sb.st_mode)) {
				rc = ct_err_set(err, CT_E_IO, o.attach, 0, "not a regular file");
				goto out;
			}
		}
		key = ct_xstrdup(slack_url);
		break;
	case CH_WEBHOOK: {
		char red[512];

		if (o.secret_env) {
			rc = secret_env(o.secret_env, "the webhook's signing secret", &secret, err);
			if (rc != CT_OK)
				goto out;
		}
		ct_http_redact(o.url, red, sizeof(red));
		shown = ct_xstrdup(red);
		key = ct_xstrdup(o.url);
		break;
	}
	case CH_EMAIL: {
		struct {
			char *p;
			size_t len, cap;
		} k = {0};

		rcpts = ct_xcalloc(o.nto + 1, sizeof(*rcpts));
		nrcpts = unique_rcpts(o.to, o.nto, rcpts);
		for (size_t i = 0; i < nrcpts; i++) {
			size_t n = strlen(rcpts[i]);

			CT_GROW(k.p, k.len + n + 2, k.cap);
			for (size_t j = 0; j < n; j++)
				k.p[k.len + j] = (char)tolower((unsigned char)rcpts[i][j]);
			k.len += n;
			k.p[k.len++] = '\n';
			k.p[k.len] = '\0';
		}
		key = k.p;
		shown = ct_xstrdup("");
		for (size_t i = 0; i < nrcpts; i++) {
			char *s = ct_xasprintf("%s%s%s", shown, i ? ", " : "", rcpts[i]);

			free(shown);
			shown = s;
		}
		break;
	}
	}
	ct_notify_target(channel, key, target);

	now = ct_clock_now();
	o.ro.now = now;
	path = ct_store_default_path(ctx->db_opt);
	st = ct_store_open(path, CT_STORE_READ, err);
	if (!st) {
		rc = err->code;
		goto out;
	}
	/* the report as `report` builds it, findings and budgets attached */
	r = ct_cmd_build_report(st, &o.ro, err);
	if (!r) {
		rc = err->code;
		goto out;
	}
	rc = ct_notify_delivered(st, channel, target, r->month, &sent_at, err);
	if (rc < 0)
		goto out;
	if (rc == 1 && !o.force) {
		if (ct_verbosity >= 0)
			fprintf(ctx->out,
				"notify %s: %.7s already delivered on %s to %s; --force sends it "
				"again\n",
				channel, r->month, sent_at, shown);
		rc = CT_OK;
		goto out;
	}
	switch (o.ch) {
	case CH_SLACK:
		rc = send_slack(&o, r, slack_url, shown, err);
		break;
	case CH_WEBHOOK:
		rc = send_webhook(&o, r, secret, &status, id, err);
		break;
	case CH_EMAIL:
		rc = send_email(&o, r, now, rcpts, nrcpts, &via, err);
		break;
	}
	if (rc != CT_OK)
		goto out;
	rc = ct_notify_record(st, channel, target, r->month, now, err);
	if (rc != CT_OK) {
		size_t n = strlen(err->msg);

		snprintf(err->msg + n, sizeof(err->msg) - n,
			 " (the %.7s report was delivered, but the delivery is not recorded: a "
			 "second run would send it again)",
			 r->month);
		goto out;
	}
	if (ct_verbosity >= 0) {
		if (o.ch == CH_WEBHOOK)
			fprintf(ctx->out,
				"notify %s: %.7s delivered to %s (HTTP %ld, delivery %s)\n",
				channel, r->month, shown, status, id);
		else if (o.ch == CH_EMAIL)
			fprintf(ctx->out, "notify %s: %.7s mailed to %s through %s\n", channel,
				r->month, shown, via);
		else
			fprintf(ctx->out, "notify %s: %.7s delivered to %s\n", channel, r->month,
				shown);
	}
out:
	ct_report_free(r);
	ct_store_close(st);
	free(path);
	free(shown);
	free(sent_at);
	free(via);
	free(key);
	free(rcpts);
	free(o.to);
	return rc;
}
