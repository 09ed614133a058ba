/*
 * http.h - the one HTTP(S) client: GET a URL into memory or into a
 * temporary file, with timeouts, a body-size cap and bounded retries.
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
 * libcurl supports); a gzip *file* is passed through as it is.
 *
 * Errors are CT_E_NET with the URL as the error source (user name,
 * password and query string are left out of it), CT_E_IO when the
 * temporary file cannot be written. Never prints.
 */
#ifndef CT_SRC_HTTP_H
#define CT_SRC_HTTP_H

#include "ct.h"

#define CT_HTTP_ATTEMPTS 4		      /* first try + 3 retries */
#define CT_HTTP_RETRY_AFTER_MAX 60	      /* seconds */
#define CT_HTTP_MEM_MAX ((uint64_t)64 << 20)  /* default cap, memory */
#define CT_HTTP_FILE_MAX ((uint64_t)16 << 30) /* default cap, file */

/* Per-request limits; a zero field takes the default. */
struct ct_http_opts {
	uint64_t max_body; /* decoded body bytes; more is CT_E_NET */
	long timeout;	   /* total seconds per attempt (memory 300, file 7200) */
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

#endif
