/*
 * http.h - the one HTTP(S) client: GET a URL into memory or into a
 * temporary file, and send API requests (GET, POST, PATCH, PUT with
 * headers and a JSON body), with timeouts, a body-size cap and bounded
 * retries. Also the one SMTP client (ct_http_smtp_send(), at the end):
 * libcurl is called from http.c only.
 *
 * Every request: TLS verification on, connect timeout 15 s, a stall limit
 * (less than 1 byte/s for CLOUDTALLY_HTTP_STALL_SECONDS, default 30 s,
 * fails the transfer), a total timeout, a size cap on the decoded body,
 * HTTP status >= 400 an error naming the status and the URL, a body
 * shorter than its Content-Length an error, and User-Agent
 * "cloudtally/VERSION". Connection errors, stalls, truncated bodies, 5xx
 * and 429 are retried (CT_HTTP_ATTEMPTS tries in all; tests may set
 * CLOUDTALLY_HTTP_RETRIES, 0-10) with exponential backoff from
 * CLOUDTALLY_HTTP_BACKOFF_MS (default 1000 ms); a 429 or 503
 * Retry-After is honoured up to CT_HTTP_RETRY_AFTER_MAX seconds.
 * Compressed transfer encodings are decoded (Accept-Encoding: all that
 * libcurl supports); a gzip *file* is passed through as it is. A download
 * to a file that breaks off is resumed with an HTTP Range request when
 * the answer had no Content-Encoding and the server sent Accept-Ranges:
 * bytes or an ETag (a 206 must continue the same ETag at the same
 * offset, else the download starts over); otherwise it starts over.
 *
 * S3 (ct_http_s3_get()): GETs signed with AWS Signature V4 by libcurl,
 * redirects not followed, the S3 error code added to an error.
 *
 * API requests (ct_http_send()) differ where credentials are involved:
 * redirects are followed only to the same scheme, host and port (and
 * for other methods than GET only when 307/308 keep the method), so a
 * request header never reaches another host; 401 is "bad or expired
 * token"; a 403 or 429 rate limit (Retry-After, X-RateLimit-Reset or
 * RateLimit-Reset) is waited out within a budget of
 * CLOUDTALLY_HTTP_WAIT_MAX seconds (0-3600, default
 * CT_HTTP_RETRY_AFTER_MAX) per request and then is a "rate limited"
 * error; a POST is retried after a 5xx or a connection that never
 * opened, not after a lost answer. Error bodies are kept for the caller.
 *
 * Errors are CT_E_NET with the URL as the error source (user name,
 * password and query string are left out of it), CT_E_IO when the
 * temporary file cannot be written. Request header values (tokens) never
 * appear in an error, and nothing is logged. Never prints.
 */
#ifndef CT_SRC_HTTP_H
#define CT_SRC_HTTP_H

#include "ct.h"

#define CT_HTTP_ATTEMPTS 4		      /* first try + 3 retries */
#define CT_HTTP_RETRY_AFTER_MAX 60	      /* seconds */
#define CT_HTTP_MEM_MAX ((uint64_t)64 << 20)  /* default cap, memory */
#define CT_HTTP_FILE_MAX ((uint64_t)16 << 30) /* default cap, file */

/* Told of a transfer's progress as body bytes arrive: got so far (a
 * resumed download counts what it kept) and the total when the server
 * said (0 when not). Called often: the callee throttles. Must not fail. */
typedef void ct_http_progress_fn(void *ctx, uint64_t got, uint64_t total);

/* Per-request limits; a zero field takes the default. */
struct ct_http_opts {
	uint64_t max_body;	       /* decoded body bytes; more is CT_E_NET */
	long timeout;		       /* total seconds per attempt (memory 300, file 7200) */
	ct_http_progress_fn *progress; /* NULL: none */
	void *progress_ctx;	       /* for progress, borrowed */
	int attempts;		       /* 0: the default (CLOUDTALLY_HTTP_RETRIES);
					  1: no retry (ClickHouse queries, whose
					  500 is a query error) */
};

/**
 * Initialise libcurl once for the process. main() calls it before any
 * thread starts; the fetch functions call it too, so forgetting it is
 * harmless in the single-threaded CLI.
 *
 * @return CT_OK, or CT_E_NET when libcurl cannot start.
 */
int ct_http_global_init(struct ct_err *err);
/* Release libcurl's global state (at exit; optional). */
void ct_http_global_cleanup(void);

/**
 * GET url into memory.
 *
 * @param o     limits, or NULL for the defaults (borrowed).
 * @param body  on success: new buffer (caller frees), NUL-terminated.
 * @param len   on success: body length without the NUL.
 * @return CT_OK, or CT_E_NET with err naming the URL.
 */
int ct_http_get(const char *url, const struct ct_http_opts *o, char **body, size_t *len,
		struct ct_err *err);

/**
 * GET url into a new temporary file in $TMPDIR (else /tmp), streamed to
 * disk. The file holds the body as sent after transfer decoding, so a
 * .gz object stays gzip (ct_stream_open() recognises it).
 *
 * @param o     limits, or NULL for the defaults (borrowed).
 * @param path  on success: new string (caller frees) naming the file; the
 *              caller removes the file. On failure no file is left.
 * @return CT_OK, CT_E_NET with err naming the URL, or CT_E_IO.
 */
int ct_http_download(const char *url, const struct ct_http_opts *o, char **path,
		     struct ct_err *err);

/**
 * The URL as shown in messages: user name, password and query string
 * replaced by "***@" and "?...", cut to fit out.
 */
void ct_http_redact(const char *url, char *out, size_t outlen);

/* One response header, as received (value trimmed). */
struct ct_http_header {
	char *name;  /* owned */
	char *value; /* owned */
};

/* An API request for ct_http_send(). Everything is borrowed. */
struct ct_http_request {
	const char *method;	    /* "GET" (also NULL), "POST", "PATCH", "PUT" */
	const char *url;	    /* http:// or https://, no credentials */
	const char *const *headers; /* NULL-terminated "Name: value" lines,
				       sent as they are and never shown;
				       NULL for none */
	const char *body;	    /* request body, NULL for none (GET: none) */
	size_t body_len;
	const char *content_type; /* of the body; NULL: application/json */
	struct ct_http_opts opts; /* limits; zero fields take the defaults
				     (memory: 64 MiB, 300 s) */
};

/* What ct_http_send() got back: the final response of the last attempt. */
struct ct_http_response {
	long status;			/* HTTP status; 0 when none came */
	char *body;			/* owned, NUL-terminated ("" when none);
					   error bodies are kept */
	size_t len;			/* body length without the NUL */
	struct ct_http_header *headers; /* owned, in the order received */
	size_t nheaders;
};

/**
 * Send an API request (see the top of this file for the rules on
 * redirects, 401, rate limits and retries).
 *
 * @param rs  filled on success and on failure (status and body of the
 *            last answer, if any); the caller releases it with
 *            ct_http_response_release() in both cases.
 * @return CT_OK for a 2xx answer; CT_E_NET with err naming the URL
 *         (a 3xx that is not followed, any status >= 400, a transport
 *         error, a body over the cap); CT_E_INTERNAL for a bad request
 *         (unknown method, a body with GET, a header line with CR/LF).
 */
int ct_http_send(const struct ct_http_request *rq, struct ct_http_response *rs, struct ct_err *err);

/* Free the contents of rs and zero it; NULL is allowed. */
void ct_http_response_release(struct ct_http_response *rs);

/**
 * The value of the first response header called name (any case).
 *
 * @return borrowed string (valid while rs lives), or NULL.
 */
const char *ct_http_response_header(const struct ct_http_response *rs, const char *name);

/* A mail for ct_http_smtp_send(). Everything is borrowed. */
struct ct_http_mail {
	const char *url;	  /* smtp://host[:port][/EHLO-NAME] or smtps://...;
				     user information in it is refused */
	const char *user;	  /* SMTP AUTH user; NULL or "": no AUTH */
	const char *password;	  /* its password (never shown) */
	const char *from;	  /* envelope sender, a bare address a@b */
	const char *const *rcpts; /* NULL-terminated envelope recipients, bare
				     addresses; at least one */
	const char *message;	  /* the whole message, CRLF line ends */
	size_t len;
	long timeout;		  /* total seconds per attempt; 0: 300 */
};

/**
 * Send one mail over SMTP (smtp:// with STARTTLS when the server offers
 * it, smtps:// with TLS from the start), through libcurl with the
 * protocols limited to smtp and smtps for this call only. TLS
 * certificates are verified; with a user, smtp:// requires STARTTLS
 * unless the host is the loopback interface (127.0.0.1, ::1, localhost),
 * so a password never crosses a network in clear text. Connect timeout
 * 15 s, the stall limit of HTTP, a total timeout per attempt.
 *
 * Retries (the CT_HTTP_ATTEMPTS / CLOUDTALLY_HTTP_RETRIES and
 * CLOUDTALLY_HTTP_BACKOFF_MS rules of HTTP) only when the mail cannot
 * have been accepted: no connection, no greeting, or a transient 4xx
 * answer. A connection lost after the message went out is not retried,
 * so a mail is never sent twice.
 *
 * @param attempts  when not NULL: the tries made (also on failure).
 * @return CT_OK when the server accepted the message; CT_E_NET with err
 *         naming the redacted URL and the server's answer (never the
 *         user or password); CT_E_INTERNAL for a bad request (not
 *         smtp/smtps, credentials in the URL, an address with blanks,
 *         angle brackets or control characters, no recipient).
 */
int ct_http_smtp_send(const struct ct_http_mail *m, int *attempts, struct ct_err *err);

/**
 * Do two absolute http(s) URLs have the same scheme, host and port
 * (case-insensitive; an omitted port is the scheme's default)? URLs with
 * user information are never the same origin as anything.
 */
bool ct_http_same_origin(const char *a, const char *b);

/* AWS Signature V4 credentials for ct_http_s3_get(). All borrowed; they
 * go into the signature and request headers only, never into an error. */
struct ct_http_aws {
	const char *region;	   /* e.g. "us-east-1" */
	const char *access_key;	   /* AWS_ACCESS_KEY_ID */
	const char *secret_key;	   /* AWS_SECRET_ACCESS_KEY */
	const char *session_token; /* x-amz-security-token; NULL for none */
};

/**
 * GET an S3 URL signed with AWS Signature V4 (libcurl's
 * CURLOPT_AWS_SIGV4 "aws:amz:REGION:s3", x-amz-content-sha256 of the
 * empty body, x-amz-security-token with a session token), with the
 * timeouts, cap and retries of ct_http_get(). Redirects are not followed
 * (a signed request never goes to another host). url must already be
 * percent-encoded the way S3 signs it (src/s3.c builds it).
 *
 * @param aws   credentials (borrowed).
 * @param o     limits, or NULL for the defaults (borrowed).
 * @param path  NULL: the body goes to memory (body, len as for
 *              ct_http_get()); else the file to write (created mode
 *              0600 or truncated; removed on failure), body and len
 *              unused and may be NULL.
 * @return CT_OK, CT_E_NET with err naming the redacted URL (and, for a
 *         listing in memory, S3's error code such as NoSuchBucket), CT_E_IO, or
 *         CT_E_INTERNAL for credentials or a region with control
 *         characters.
 */
int ct_http_s3_get(const char *url, const struct ct_http_aws *aws, const struct ct_http_opts *o,
		   const char *path, char **body, size_t *len, struct ct_err *err);

#endif
