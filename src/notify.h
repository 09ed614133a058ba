/*
 * notify.h - delivering the monthly report (issue 11): the messages
 * (a Slack Block Kit summary, the webhook body and its HMAC signature, a
 * MIME mail with the report attached), handing them over (HTTP through
 * ct_http_send(), SMTP through ct_http_smtp_send(), or a sendmail
 * program), and the record of what was delivered, so a month is not sent
 * twice to the same place.
 *
 * The summary is built from a report model with its findings (r->rec)
 * and budget status (r->budgets) attached; money goes through the
 * renderers' ct_render_money(), so it reads as in the text report. The
 * record lives in the store's delivery table (data/schema/0005_delivery.sql)
 * under the SHA-256 of the destination, never the URL or address itself.
 *
 * Never prints. Secrets (the Slack webhook URL, the webhook secret, the
 * SMTP password) are borrowed from the caller, used for the one request,
 * and never copied into a message, an error or the store.
 */
#ifndef CT_SRC_NOTIFY_H
#define CT_SRC_NOTIFY_H

#include "ct.h"
#include "sha256.h"

struct ct_report;
struct ct_store;

#define CT_NOTIFY_TOP 3			      /* movers and savings in the summary */
#define CT_NOTIFY_LIST_MAX 5		      /* anomalous days and budgets listed */
#define CT_NOTIFY_RCPT_MAX 100		      /* --to addresses */
#define CT_NOTIFY_ID_LEN 37		      /* a delivery id: 8-4-4-4-12 hex and a NUL */
#define CT_NOTIFY_SIG_LEN (7 + CT_SHA256_HEX) /* "sha256=" hex NUL */

/* Where the full report is, for the summary's last line. Borrowed. */
struct ct_notify_link {
	const char *url;  /* an http(s) link, or NULL */
	const char *path; /* a file path shown as it is, or NULL */
};

/**
 * The Slack message for r (borrowed): a Block Kit document with a header
 * (the month), the totals (billed, change against the previous month
 * with its percentage, the forecast while the month is open), the top
 * CT_NOTIFY_TOP movers, the breached and forecast-to-breach budgets, the
 * anomalous days, the top CT_NOTIFY_TOP savings and the link; and a
 * "text" fallback for notifications. Strings from the data are escaped
 * for Slack's mrkdwn (& < >) and cut to Slack's limits.
 *
 * @return new compact JSON text (caller frees), NUL-terminated.
 */
char *ct_notify_slack_message(const struct ct_report *r, const struct ct_notify_link *link);

/**
 * The same summary as plain UTF-8 text with LF line ends (the mail body).
 *
 * @return new string (caller frees).
 */
char *ct_notify_summary_text(const struct ct_report *r, const struct ct_notify_link *link);

/**
 * One line for a subject or a notification: "Cloud costs 2026-10:
 * $12,345.67 billed, +$1,000.00 (+8.8%) vs 2026-09". Plain ASCII.
 *
 * @return new string (caller frees).
 */
char *ct_notify_headline(const struct ct_report *r);

/**
 * r (borrowed) rendered in fmt (enum ct_report_format) into memory, the
 * same bytes `cloudtally report --format F` writes.
 *
 * @param out  on success: new buffer (caller frees), NUL-terminated.
 * @return CT_OK, or CT_E_IO.
 */
int ct_notify_render(const struct ct_report *r, int fmt, char **out, size_t *len,
		     struct ct_err *err);

/* The signature header value "sha256=<hex>" of body, keyed with the
 * slen bytes of secret (both borrowed): HMAC-SHA256 over the exact body. */
void ct_notify_signature(const char *secret, size_t slen, const char *body, size_t len,
			 char out[CT_NOTIFY_SIG_LEN]);

/* A new random delivery id in the form of a UUID (version 4). */
void ct_notify_delivery_id(char out[CT_NOTIFY_ID_LEN]);

/* Is a a bare mail address: local@domain, printable ASCII, no blanks,
 * quotes, angle brackets, commas or semicolons, at most 254 bytes? */
bool ct_notify_addr_ok(const char *a);

/**
 * Split a --from value, "a@b" or "Display Name <a@b>".
 *
 * @param name  new string (caller frees), NULL when there is none.
 * @param addr  new string (caller frees), the bare address.
 * @return CT_OK, or CT_E_USAGE naming what is wrong.
 */
int ct_notify_parse_from(const char *s, char **name, char **addr, struct ct_err *err);

/* One attachment. Borrowed. */
struct ct_notify_part {
	const char *filename;	  /* ASCII file name */
	const char *content_type; /* "text/html; charset=UTF-8" ... */
	const void *data;
	size_t len;
};

/* A mail for ct_notify_mime(). Borrowed. */
struct ct_notify_mail {
	const char *from_name; /* display name (UTF-8) or NULL */
	const char *from_addr; /* bare address */
	const char *const *to; /* bare addresses */
	size_t nto;
	const char *subject; /* UTF-8, no control characters */
	const char *text;    /* the body, UTF-8 with LF line ends */
	const struct ct_notify_part *parts;
	size_t nparts;
	int64_t date;	   /* unix seconds: Date and Message-ID */
	const char *month; /* X-Cloudtally-Month */
};

/**
 * The mail as an RFC 5322 / MIME message with CRLF line ends: Date,
 * From, To, Subject (RFC 2047 encoded-words when not ASCII), Message-ID,
 * multipart/mixed with the text as its first part (text/plain, UTF-8,
 * quoted-printable) and each attachment in base64 in lines of 76.
 *
 * @param out  on success: new buffer (caller frees), NUL-terminated.
 * @return CT_OK, or CT_E_USAGE for a subject or name with control
 *         characters or invalid UTF-8, or a bad address.
 */
int ct_notify_mime(const struct ct_notify_mail *m, char **out, size_t *len, struct ct_err *err);

/**
 * Hand a message to a sendmail program: path (borrowed) is run without a
 * shell as `path -t -oi`, with the message on standard input (CRLF turned
 * into the LF of the local mail interface) and its standard output sent
 * to standard error.
 *
 * @return CT_OK when it exits 0; CT_E_IO when it cannot be run; CT_E_NET
 *         when it fails (its exit status or signal in err).
 */
int ct_notify_sendmail(const char *path, const char *msg, size_t len, struct ct_err *err);

/**
 * POST body (borrowed) to url with the extra headers (NULL-terminated
 * "Name: value" lines, borrowed) through ct_http_send(), which retries.
 * shown names the endpoint in errors instead of the URL when it is a
 * secret (a Slack webhook): then nothing of the URL reaches err, and a
 * short error code in the answer (Slack's "invalid_token") is added.
 *
 * @param timeout seconds per attempt; 0: 60.
 * @param status  when not NULL: the HTTP status of the last answer.
 * @return CT_OK for a 2xx answer, else CT_E_NET (or CT_E_INTERNAL).
 */
int ct_notify_post(const char *url, const char *shown, const char *const *headers, const char *body,
		   size_t len, long timeout, long *status, struct ct_err *err);

/* The store key of a destination: the SHA-256 hex of the channel name,
 * a NUL and target (the URL, or the sorted recipient list). */
void ct_notify_target(const char *channel, const char *target, char out[CT_SHA256_HEX]);

/**
 * Has month been delivered on channel to target (a ct_notify_target())?
 *
 * @param sent_at  when found: new string (caller frees), the last time.
 * @return 1 found, 0 not found, or CT_E_DB.
 */
int ct_notify_delivered(struct ct_store *st, const char *channel, const char *target,
			const char *month, char **sent_at, struct ct_err *err);

/**
 * Remember a delivery made at now (unix seconds): a new row, or the
 * existing one with sent_at moved and attempts counted up (--force).
 *
 * @return CT_OK, or CT_E_DB.
 */
int ct_notify_record(struct ct_store *st, const char *channel, const char *target,
		     const char *month, int64_t now, struct ct_err *err);

#endif
