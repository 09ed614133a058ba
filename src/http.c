/*
 * http.c - the one HTTP(S) client (see http.h): GET into memory or into
 * a temporary file, and API requests with headers and a JSON body, with
 * timeouts, a size cap and bounded retries; and the one SMTP sender.
 *
 * Depends on libcurl (easy interface) and POSIX files. It is the only
 * file that includes curl.h. It never prints or logs, sends credentials
 * only in the request headers its caller gives (never to another host:
 * API redirects are followed by hand within one origin), and error
 * messages show URLs through ct_http_redact() and never a header value.
 */
#include "ct.h"
#include "http.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <strings.h>
#include <unistd.h>

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0"
#endif

#define CONNECT_TIMEOUT 15L   /* seconds */
#define STALL_DEFAULT 30L     /* seconds below 1 byte/s that fail a transfer */
#define BACKOFF_DEFAULT 1000L /* ms before the first retry; doubles */
#define MEM_TIMEOUT 300L      /* total seconds, memory fetches */
#define FILE_TIMEOUT 7200L    /* total seconds, file downloads */
#define HEADERS_MAX 262144    /* bytes of response headers kept (API) */
#define API_REDIRS 5	      /* same-origin redirects an API request follows */
#define SECONDARY_WAIT 60L    /* s: a 403 rate limit that does not say how long */

static bool global_done;

int ct_http_global_init(struct ct_err *err)
{
	CURLcode rc;

	if (global_done)
		return CT_OK;
	rc = curl_global_init(CURL_GLOBAL_DEFAULT);
	if (rc != CURLE_OK)
		return ct_err_set(err, CT_E_NET, NULL, 0, "cannot initialise libcurl: %s",
				  curl_easy_strerror(rc));
	global_done = true;
	return CT_OK;
}

void ct_http_global_cleanup(void)
{
	if (!global_done)
		return;
	curl_global_cleanup();
	global_done = false;
}

void ct_http_redact(const char *url, char *out, size_t outlen)
{
	const char *auth = strstr(url, "://");
	const char *end, *at = NULL, *q;
	size_t n = 0;

	if (!outlen)
		return;
	out[0] = '\0';
	auth = auth ? auth + 3 : url;
	/* user information ends at the last '@' before the path: a password
	 * typed with a raw '?' or '#' in it must not end the search early and
	 * leave its first part in the message */
	end = auth + strcspn(auth, "/");
	for (const char *p = auth; p < end; p++)
		if (*p == '@')
			at = p;
	/* scheme:// */
	n = (size_t)(auth - url);
	snprintf(out, outlen, "%.*s%s", (int)n, url, at ? "***@" : "");
	if (at)
		auth = at + 1;
	q = auth + strcspn(auth, "?#");
	n = strlen(out);
	if (n < outlen)
		snprintf(out + n, outlen - n, "%.*s%s", (int)(q - auth), auth,
			 *q == '?' ? "?..." : "");
}

/* A whole-number environment setting within [lo, hi], else def. */
static long env_long(const char *name, long def, long lo, long hi)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (!s || !*s)
		return def;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return def;
	return v;
}

static void sleep_ms(long ms)
{
	struct timespec ts, rem;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &rem) != 0 && errno == EINTR)
		ts = rem;
}

/* Where the body goes: a growing buffer, or a file. */
struct sink {
	CURL *h;
	FILE *f;   /* file mode when set */
	char *buf; /* memory mode */
	size_t len, cap;
	uint64_t got; /* body bytes accepted this attempt */
	uint64_t max;
	bool too_big;
	bool io_error;
	int io_errno;
	bool keep_errors; /* API: error bodies are kept for the caller */
	char *hdr;	  /* API: header lines of the latest response */
	size_t hlen, hcap;
	bool hdr_too_big;
	uint64_t resume_from; /* file: bytes kept for the next attempt (Range) */
	uint64_t base;	      /* bytes kept from earlier attempts (resume) */
	ct_http_progress_fn *progress;
	void *progress_ctx;
	char *etag;	      /* file: ETag of the first answer; owned */
};

static size_t on_data(char *p, size_t size, size_t nmemb, void *ud)
{
	struct sink *s = ud;
	size_t n = size * nmemb;
	long code = 0;

	/* An error page is not the body we asked for: drop it (an API
	 * caller wants it for the server's message). */
	curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &code);
	if (code >= 400 && !s->keep_errors)
		return n;
	if (n > s->max - s->got) {
		s->too_big = true;
		return 0;
	}
	s->got += n;
	if (s->progress) {
		curl_off_t clen = -1;

		curl_easy_getinfo(s->h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &clen);
		s->progress(s->progress_ctx, s->got, clen > 0 ? s->base + (uint64_t)clen : 0);
	}
	if (s->f) {
		if (fwrite(p, 1, n, s->f) != n) {
			s->io_error = true;
			s->io_errno = errno;
			return 0;
		}
		return n;
	}
	if (s->len + n + 1 > s->cap) {
		size_t c = s->cap ? s->cap : 65536;

		while (c < s->len + n + 1)
			c *= 2;
		s->buf = ct_xrealloc(s->buf, c);
		s->cap = c;
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	return n;
}

/* API: keep the header lines of the latest response (a status line
 * starts a new one: 100 Continue, a redirect). */
static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
	struct sink *s = ud;
	size_t n = size * nmemb;

	if (n >= 5 && !memcmp(p, "HTTP/", 5))
		s->hlen = 0;
	if (n > HEADERS_MAX - s->hlen) {
		s->hdr_too_big = true;
		return 0;
	}
	CT_GROW(s->hdr, s->hlen + n, s->hcap);
	memcpy(s->hdr + s->hlen, p, n);
	s->hlen += n;
	return n;
}

static void free_headers(struct ct_http_response *rs)
{
	for (size_t i = 0; i < rs->nheaders; i++) {
		free(rs->headers[i].name);
		free(rs->headers[i].value);
	}
	free(rs->headers);
	rs->headers = NULL;
	rs->nheaders = 0;
}

/* Split the kept header lines into name/value pairs. */
static void parse_headers(const char *p, size_t n, struct ct_http_response *rs)
{
	const char *end = p + n;
	size_t cap = 0;

	free_headers(rs);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		const char *colon, *v, *ve, *ne;

		while (e > p && (e[-1] == '\r' || e[-1] == '\n'))
			e--;
		colon = memchr(p, ':', (size_t)(e - p));
		/* skip the status line, folded lines and junk */
		if (colon && colon > p && *p != ' ' && *p != '\t' &&
		    !((size_t)(e - p) >= 5 && !memcmp(p, "HTTP/", 5))) {
			ne = colon;
			while (ne > p && (ne[-1] == ' ' || ne[-1] == '\t'))
				ne--;
			v = colon + 1;
			while (v < e && (*v == ' ' || *v == '\t'))
				v++;
			ve = e;
			while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			CT_GROW(rs->headers, rs->nheaders + 1, cap);
			rs->headers[rs->nheaders].name = ct_xstrndup(p, (size_t)(ne - p));
			rs->headers[rs->nheaders].value = ct_xstrndup(v, (size_t)(ve - v));
			rs->nheaders++;
		}
		p = nl ? nl + 1 : end;
	}
}

const char *ct_http_response_header(const struct ct_http_response *rs, const char *name)
{
	for (size_t i = 0; rs && i < rs->nheaders; i++)
		if (!strcasecmp(rs->headers[i].name, name))
			return rs->headers[i].value;
	return NULL;
}

void ct_http_response_release(struct ct_http_response *rs)
{
	if (!rs)
		return;
	free_headers(rs);
	free(rs->body);
	memset(rs, 0, sizeof(*rs));
}

/* "scheme://host:port" in lower case with the default port filled in;
 * false for what is not an absolute http(s) URL without user info. */
static bool origin_of(const char *url, char *out, size_t outlen)
{
	const char *sep = strstr(url, "://");
	const char *host, *end, *port = NULL, *hend;
	bool https;
	size_t n;

	if (!sep)
		return false;
	if ((size_t)(sep - url) == 4 && !strncasecmp(url, "http", 4))
		https = false;
	else if ((size_t)(sep - url) == 5 && !strncasecmp(url, "https", 5))
		https = true;
	else
		return false;
	host = sep + 3;
	end = host + strcspn(host, "/?#");
	if (end == host || memchr(host, '@', (size_t)(end - host)))
		return false;
	if (*host == '[') {
		hend = memchr(host, ']', (size_t)(end - host));
		if (!hend)
			return false;
		hend++;
		if (hend < end && *hend != ':')
			return false;
	} else {
		hend = memchr(host, ':', (size_t)(end - host));
		if (!hend)
			hend = end;
	}
	if (hend < end)
		port = hend + 1;
	for (const char *q = port; q && q < end; q++)
		if (!isdigit((unsigned char)*q))
			return false;
	n = (size_t)snprintf(out, outlen, "%s://%.*s:%.*s", https ? "https" : "http",
			     (int)(hend - host), host, port && port < end ? (int)(end - port) : 0,
			     port ? port : "");
	if (n >= outlen)
		return false;
	if (!port || port == end)
		snprintf(out + n - 1, outlen - (n - 1), ":%s", https ? "443" : "80");
	for (char *q = out; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	return true;
}

bool ct_http_same_origin(const char *a, const char *b)
{
	char oa[600], ob[600];

	return origin_of(a, oa, sizeof(oa)) && origin_of(b, ob, sizeof(ob)) && !strcmp(oa, ob);
}

/* Errors worth another try: the network or the server may recover. */
static bool retryable(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

static int sink_reset(struct sink *s, const char *shown, struct ct_err *err)
{
	s->len = 0;
	s->got = 0;
	s->too_big = false;
	s->hlen = 0;
	s->hdr_too_big = false;
	if (!s->f)
		return CT_OK;
	if (fflush(s->f) != 0 || ftruncate(fileno(s->f), 0) != 0 || fseek(s->f, 0, SEEK_SET) != 0)
		return ct_err_set(err, CT_E_IO, shown, 0, "cannot reset the download file: %s",
				  strerror(errno));
	return CT_OK;
}

static void set_options(CURL *h, const char *url, char *errbuf, struct sink *s, long timeout)
{
	long stall = env_long("CLOUDTALLY_HTTP_STALL_SECONDS", STALL_DEFAULT, 1, 86400);

	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 1L);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	/* an https fetch is never redirected down to plain http */
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR,
			 strncasecmp(url, "https:", 6) ? "http,https" : "https");
#else
	curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS,
			 strncasecmp(url, "https:", 6) ? (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS)
						       : (long)CURLPROTO_HTTPS);
#endif
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, stall);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "cloudtally/" PACKAGE_VERSION);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
			 (curl_off_t)(s->max > (uint64_t)INT64_MAX ? INT64_MAX : s->max));
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, s);
}

/* What fetch() sends: the plain GET of ct_http_get() and
 * ct_http_download(), or an API request. */
struct call {
	const struct ct_http_request *rq; /* NULL: the plain GET */
	struct ct_http_response *rs;	  /* API: status and headers of each answer */
	long timeout;
	const struct ct_http_aws *aws; /* S3: sign with SigV4; NULL: no */
	int attempts;		       /* > 0: instead of the default */
};

static bool has_ctl(const char *v)
{
	for (; v && *v; v++)
		if ((unsigned char)*v < 0x20 || *v == 0x7f)
			return true;
	return false;
}

/* S3: sign the GET with AWS Signature V4 and follow no redirect. */
static int set_aws(CURL *h, const struct ct_http_aws *aws, struct curl_slist **list,
		   const char *shown, struct ct_err *err)
{
	struct curl_slist *l = NULL;
	char *v;

	if (!aws->region || !*aws->region || has_ctl(aws->region) || strchr(aws->region, ':') ||
	    !aws->access_key || has_ctl(aws->access_key) || !aws->secret_key ||
	    has_ctl(aws->secret_key) || has_ctl(aws->session_token))
		return ct_err_set(err, CT_E_INTERNAL, shown, 0,
				  "AWS credentials or region hold control characters");
	v = ct_xasprintf("aws:amz:%s:s3", aws->region);
	curl_easy_setopt(h, CURLOPT_AWS_SIGV4, v);
	free(v);
	curl_easy_setopt(h, CURLOPT_USERNAME, aws->access_key);
	curl_easy_setopt(h, CURLOPT_PASSWORD, aws->secret_key);
	/* SHA-256 of the empty body of a GET */
	l = curl_slist_append(l,
			      "x-amz-content-sha256: "
			      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	if (!l)
		ct_die("out of memory");
	if (aws->session_token && *aws->session_token) {
		v = ct_xasprintf("x-amz-security-token: %s", aws->session_token);
		l = curl_slist_append(l, v);
		free(v);
		if (!l)
			ct_die("out of memory");
	}
	*list = l;
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, l);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	return CT_OK;
}

/* File downloads: after a broken attempt, may the next one ask for the
 * rest only (HTTP Range)? Yes when the answer was the body (200, or the
 * 206 of a range we asked for), came without a content encoding (the
 * file holds decoded bytes), the server takes ranges (Accept-Ranges:
 * bytes or an ETag to keep it honest) and some of it arrived. Sets
 * s->resume_from (0: start over). */
static void plan_resume(struct sink *s, long code)
{
	struct ct_http_response hr = {0};
	const char *et, *ce;

	s->resume_from = 0;
	if (!s->f || s->got == 0 || (code != 200 && code != 206) || s->hdr_too_big)
		return;
	parse_headers(s->hdr ? s->hdr : "", s->hlen, &hr);
	et = ct_http_response_header(&hr, "ETag");
	ce = ct_http_response_header(&hr, "Content-Encoding");
	if (code == 200) {
		free(s->etag);
		s->etag = et && strncmp(et, "W/", 2) ? ct_xstrdup(et) : NULL;
	}
	/* only with a strong ETag to prove the rest comes from the same file:
	 * Accept-Ranges alone could join two versions of it */
	if ((!ce || !strcasecmp(ce, "identity")) && s->etag)
		s->resume_from = s->got;
	ct_http_response_release(&hr);
}

/* A 206 answer to a resumed download: the range we asked for, of the
 * same file (ETag)? */
static bool resume_ok(const struct sink *s, uint64_t from)
{
	struct ct_http_response hr = {0};
	const char *cr, *et;
	bool ok;

	parse_headers(s->hdr ? s->hdr : "", s->hlen, &hr);
	cr = ct_http_response_header(&hr, "Content-Range");
	et = ct_http_response_header(&hr, "ETag");
	ok = cr && !strncmp(cr, "bytes ", 6) && strtoull(cr + 6, NULL, 10) == from && s->etag &&
	     et && !strcmp(et, s->etag);
	ct_http_response_release(&hr);
	return ok;
}

/* Set the method, headers and body of an API request. */
static int set_request(CURL *h, const struct ct_http_request *rq, struct sink *s,
		       struct curl_slist **list, const char *shown, struct ct_err *err)
{
	const char *m = rq->method ? rq->method : "GET";
	struct curl_slist *l = NULL;
	char *ct;

	if (strcmp(m, "GET") && strcmp(m, "POST") && strcmp(m, "PATCH") && strcmp(m, "PUT"))
		return ct_err_set(err, CT_E_INTERNAL, shown, 0, "unsupported HTTP method '%.16s'",
				  m);
	if (!strcmp(m, "GET") && rq->body)
		return ct_err_set(err, CT_E_INTERNAL, shown, 0, "a GET request cannot have a body");
	for (size_t i = 0; rq->headers && rq->headers[i]; i++) {
		const char *x = rq->headers[i];
		const char *colon = strchr(x, ':');

		/* the value may be a secret: say which header, never what */
		if (!colon || colon == x || strpbrk(x, "\r\n")) {
			curl_slist_free_all(l);
			return ct_err_set(err, CT_E_INTERNAL, shown, 0,
					  "request header %zu is malformed", i + 1);
		}
		l = curl_slist_append(l, x);
		if (!l)
			ct_die("out of memory");
	}
	if (rq->body) {
		ct = ct_xasprintf("Content-Type: %s",
				  rq->content_type ? rq->content_type : "application/json");
		if (strpbrk(ct, "\r\n")) {
			free(ct);
			curl_slist_free_all(l);
			return ct_err_set(err, CT_E_INTERNAL, shown, 0, "bad content type");
		}
		l = curl_slist_append(l, ct);
		free(ct);
		if (!l)
			ct_die("out of memory");
	}
	/* no 100-continue round trip: send the body at once */
	l = curl_slist_append(l, "Expect:");
	if (!l)
		ct_die("out of memory");
	*list = l;
	if (!strcmp(m, "GET")) {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	} else {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, rq->body ? rq->body : "");
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)(rq->body ? rq->body_len : 0));
		if (strcmp(m, "POST"))
			curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, m);
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, l);
	/* redirects are followed by hand, within one origin */
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, s);
	return CT_OK;
}

/* A whole number of seconds, or -1. */
static long long parse_secs(const char *v)
{
	char *end;
	long long n;

	if (!v || !isdigit((unsigned char)*v))
		return -1;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno || *end)
		return -1;
	return n;
}

/* Is this answer a rate limit? 429 always; 403 when it says so (GitHub
 * answers 403 both for "no permission" and for its rate limits). */
static bool rate_limited(long code, const struct ct_http_response *rs)
{
	const char *rem;

	if (code == 429)
		return true;
	if (code != 403)
		return false;
	if (ct_http_response_header(rs, "Retry-After"))
		return true;
	rem = ct_http_response_header(rs, "X-RateLimit-Remaining");
	if (!rem)
		rem = ct_http_response_header(rs, "RateLimit-Remaining");
	if (rem && !strcmp(rem, "0"))
		return true;
	/* GitHub's secondary limit may come without either header */
	return rs->body && strcasestr(rs->body, "rate limit") != NULL;
}

/* Milliseconds a rate-limited answer asks to wait, -1 when it does not
 * say: Retry-After (seconds or an HTTP date), else the reset time. */
static long rate_wait_ms(const struct ct_http_response *rs)
{
	const char *ra = ct_http_response_header(rs, "Retry-After");
	const char *reset = ct_http_response_header(rs, "X-RateLimit-Reset");
	long long v, now = (long long)time(NULL);

	if (ra) {
		v = parse_secs(ra);
		if (v < 0) {
			time_t t = curl_getdate(ra, NULL);
			v = t == (time_t)-1 ? -1 : (long long)t - now;
			if (t != (time_t)-1 && v < 0)
				v = 0;
		}
		if (v >= 0)
			return v > 86400 ? 86400000L : (long)v * 1000;
	}
	if (!reset)
		reset = ct_http_response_header(rs, "RateLimit-Reset");
	v = parse_secs(reset);
	if (v >= 0) {
		/* an epoch time; a small number is already a delay */
		if (v > 1000000000LL)
			v -= now;
		if (v < 1)
			v = 1; /* the reset second itself, or clock skew */
		return v > 86400 ? 86400000L : (long)v * 1000;
	}
	return -1;
}

/*
 * Run the request with retries. The sink holds the body of the last
 * attempt; for an API request c->rs has its status and headers.
 */
static int fetch(const char *url, struct sink *s, const struct call *c, struct ct_err *err)
{
	char shown[512];
	char errbuf[CURL_ERROR_SIZE];
	char msg[CURL_ERROR_SIZE + 600];
	long backoff = env_long("CLOUDTALLY_HTTP_BACKOFF_MS", BACKOFF_DEFAULT, 0, 600000);
	int attempts = c->attempts > 0 ? c->attempts
				       : 1 + (int)env_long("CLOUDTALLY_HTTP_RETRIES",
							   CT_HTTP_ATTEMPTS - 1, 0, 10);
	bool api = c->rq != NULL;
	const char *method = api && c->rq->method ? c->rq->method : "GET";
	bool is_get = !strcmp(method, "GET");
	bool is_post = !strcmp(method, "POST");
	long budget = 0; /* ms of rate-limit waiting left (API) */
	struct curl_slist *hdrs = NULL;
	char *cur = ct_xstrdup(url);
	int redirects = 0;
	CURL *h = NULL;
	int rc = CT_E_NET;

	ct_http_redact(cur, shown, sizeof(shown));
	if (ct_http_global_init(err) != CT_OK)
		goto out;
	h = curl_easy_init();
	if (!h) {
		rc = ct_err_set(err, CT_E_NET, shown, 0, "cannot start a libcurl handle");
		goto out;
	}
	s->h = h;
	set_options(h, cur, errbuf, s, c->timeout);
	if (api) {
		budget = env_long("CLOUDTALLY_HTTP_WAIT_MAX", CT_HTTP_RETRY_AFTER_MAX, 0, 3600) *
			 1000;
		rc = set_request(h, c->rq, s, &hdrs, shown, err);
		if (rc != CT_OK)
			goto out;
		rc = CT_E_NET;
	} else if (c->aws) {
		rc = set_aws(h, c->aws, &hdrs, shown, err);
		if (rc != CT_OK)
			goto out;
		rc = CT_E_NET;
	}
	if (s->f && !api) { /* headers for resuming a broken download */
		curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
		curl_easy_setopt(h, CURLOPT_HEADERDATA, s);
	}

	for (int attempt = 1;; attempt++) {
		CURLcode cc;
		long code = 0, delay;
		curl_off_t clen = -1, got = 0, retry_after = 0;
		bool again = false, restart = false;
		uint64_t from = s->f && !api ? s->resume_from : 0;

		s->base = from;
		if (from) { /* keep what arrived; ask for the rest */
			s->len = 0;
			s->got = from;
			s->too_big = false;
			s->hlen = 0;
			s->hdr_too_big = false;
			if (fflush(s->f) != 0 || fseek(s->f, 0, SEEK_END) != 0) {
				rc = ct_err_set(err, CT_E_IO, shown, 0,
						"cannot reset the download file: %s",
						strerror(errno));
				goto out;
			}
		} else if (sink_reset(s, shown, err) != CT_OK) {
			rc = CT_E_IO;
			goto out;
		}
		if (s->f && !api)
			curl_easy_setopt(h, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)from);
		errbuf[0] = '\0';
		cc = curl_easy_perform(h);
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
		curl_easy_getinfo(h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &clen);
		curl_easy_getinfo(h, CURLINFO_SIZE_DOWNLOAD_T, &got);
		curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &retry_after);
		if (api) {
			if (s->buf)
				s->buf[s->len] = '\0'; /* on_data() leaves room */
			c->rs->status = code;
			c->rs->body = s->buf; /* borrowed for rate_limited() */
			parse_headers(s->hdr ? s->hdr : "", s->hlen, c->rs);
		}

		if (s->io_error) {
			rc = ct_err_set(err, CT_E_IO, shown, 0, "cannot write the download: %s",
					strerror(s->io_errno));
			goto out;
		}
		if (s->too_big || cc == CURLE_FILESIZE_EXCEEDED) {
			rc = ct_err_set(err, CT_E_NET, shown, 0,
					"response is larger than the limit of "
					"%llu bytes",
					(unsigned long long)s->max);
			goto out;
		}
		if (s->hdr_too_big) {
			rc = ct_err_set(err, CT_E_NET, shown, 0,
					"response headers are larger than the limit of %d bytes",
					HEADERS_MAX);
			goto out;
		}
		if (from && (cc == CURLE_RANGE_ERROR ||
			     (cc == CURLE_OK && code == 206 && !resume_ok(s, from)))) {
			/* the server would not resume, or the file changed */
			snprintf(msg, sizeof(msg),
				 "a resumed download did not continue the same "
				 "file");
			free(s->etag);
			s->etag = NULL;
			again = true;
			restart = true;
		} else if (cc != CURLE_OK) {
			snprintf(msg, sizeof(msg), "%s%s",
				 cc == CURLE_PARTIAL_FILE	  ? "body truncated: "
				 : cc == CURLE_OPERATION_TIMEDOUT ? "timed out: "
								  : "",
				 errbuf[0] ? errbuf : curl_easy_strerror(cc));
			/* a POST that may have arrived is not sent twice */
			again = retryable(cc) && (!is_post || cc == CURLE_COULDNT_RESOLVE_HOST ||
						  cc == CURLE_COULDNT_CONNECT);
		} else if (api && code >= 300 && code <= 399) {
			char *loc = NULL;
			char to[512];

			curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &loc);
			if (!loc || !*loc) {
				snprintf(msg, sizeof(msg), "unexpected HTTP status %ld", code);
			} else if (!ct_http_same_origin(cur, loc)) {
				ct_http_redact(loc, to, sizeof(to));
				snprintf(msg, sizeof(msg),
					 "server answered HTTP %ld, a redirect to %s; a request "
					 "with credentials is not sent to another host",
					 code, to);
			} else if (!is_get && code != 307 && code != 308) {
				snprintf(msg, sizeof(msg),
					 "server answered HTTP %ld, a redirect that would turn the "
					 "%s into a GET; not followed",
					 code, method);
			} else if (redirects >= API_REDIRS) {
				snprintf(msg, sizeof(msg), "more than %d redirects", API_REDIRS);
			} else {
				redirects++;
				free(cur);
				cur = ct_xstrdup(loc);
				curl_easy_setopt(h, CURLOPT_URL, cur);
				ct_http_redact(cur, shown, sizeof(shown));
				attempt--; /* a redirect is not a failed attempt */
				continue;
			}
		} else if (api && code == 401) {
			snprintf(msg, sizeof(msg),
				 "server answered HTTP 401: bad or expired token");
		} else if (api && rate_limited(code, c->rs)) {
			long w = rate_wait_ms(c->rs);

			if (w < 0) {
				w = code == 403 ? SECONDARY_WAIT * 1000 : backoff;
				for (int k = 1; code != 403 && k < attempt && w < 600000; k++)
					w *= 2;
			}
			if (w > budget) {
				rc = ct_err_set(
					err, CT_E_NET, shown, 0,
					"rate limited (HTTP %ld): the limit resets in %ld s, "
					"longer than cloudtally waits (%ld s); try again later",
					code, (w + 999) / 1000,
					env_long("CLOUDTALLY_HTTP_WAIT_MAX",
						 CT_HTTP_RETRY_AFTER_MAX, 0, 3600));
				goto out;
			}
			if (attempt >= attempts) {
				rc = ct_err_set(err, CT_E_NET, shown, 0,
						"rate limited (HTTP %ld): still limited after %d "
						"attempt%s; try again later",
						code, attempt, attempt == 1 ? "" : "s");
				goto out;
			}
			budget -= w;
			sleep_ms(w);
			continue;
		} else if (code >= 400) {
			snprintf(msg, sizeof(msg), "server answered HTTP %ld", code);
			again = code == 429 || code >= 500;
		} else if (code < 200 || code > 299) {
			snprintf(msg, sizeof(msg), "unexpected HTTP status %ld", code);
		} else if (clen >= 0 && got != clen) {
			snprintf(msg, sizeof(msg), "body truncated: received %lld of %lld bytes",
				 (long long)got, (long long)clen);
			again = true;
		} else {
			rc = CT_OK;
			goto out;
		}
		if (again && s->f && !api && !restart)
			plan_resume(s, code);
		else
			s->resume_from = 0;
		if (!again || attempt >= attempts) {
			if (attempt > 1)
				rc = ct_err_set(err, CT_E_NET, shown, 0,
						"%s (gave up after %d attempts)", msg, attempt);
			else
				rc = ct_err_set(err, CT_E_NET, shown, 0, "%s", msg);
			goto out;
		}
		delay = backoff;
		for (int k = 1; k < attempt && delay < 600000; k++)
			delay *= 2;
		if ((code == 429 || code == 503) && retry_after > 0) {
			long ra = retry_after > CT_HTTP_RETRY_AFTER_MAX ? CT_HTTP_RETRY_AFTER_MAX
									: (long)retry_after;
			if (ra * 1000 > delay)
				delay = ra * 1000;
		}
		sleep_ms(delay);
	}
out:
	if (api)
		c->rs->body = NULL; /* the sink owns it until ct_http_send() */
	curl_easy_cleanup(h);
	curl_slist_free_all(hdrs);
	free(cur);
	free(s->etag);
	s->etag = NULL;
	s->resume_from = 0;
	s->h = NULL;
	return rc;
}

int ct_http_get(const char *url, const struct ct_http_opts *o, char **body, size_t *len,
		struct ct_err *err)
{
	struct sink s = {0};
	struct call c = {NULL, NULL, o && o->timeout ? o->timeout : MEM_TIMEOUT, NULL, 0};
	int rc;

	*body = NULL;
	*len = 0;
	s.max = o && o->max_body ? o->max_body : CT_HTTP_MEM_MAX;
	if (s.max > SIZE_MAX / 4)
		s.max = SIZE_MAX / 4;
	rc = fetch(url, &s, &c, err);
	if (rc != CT_OK) {
		free(s.buf);
		return rc;
	}
	if (!s.buf)
		s.buf = ct_xmalloc(1);
	s.buf[s.len] = '\0';
	*body = s.buf;
	*len = s.len;
	return CT_OK;
}

int ct_http_download(const char *url, const struct ct_http_opts *o, char **path, struct ct_err *err)
{
	const char *dir = getenv("TMPDIR");
	char *tmp = NULL;
	struct sink s = {0};
	struct call c = {NULL, NULL, 0, NULL, 0};
	int fd, rc = CT_E_IO;

	*path = NULL;
	tmp = ct_xasprintf("%s/cloudtally-dl-XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = ct_err_set(err, CT_E_IO, tmp, 0, "cannot create a temporary file: %s",
				strerror(errno));
		free(tmp);
		return rc;
	}
	s.f = fdopen(fd, "w+b");
	if (!s.f) {
		rc = ct_err_set(err, CT_E_IO, tmp, 0, "cannot open: %s", strerror(errno));
		close(fd);
		goto out;
	}
	s.max = o && o->max_body ? o->max_body : CT_HTTP_FILE_MAX;
	c.timeout = o && o->timeout ? o->timeout : FILE_TIMEOUT;
	s.progress = o ? o->progress : NULL;
	s.progress_ctx = o ? o->progress_ctx : NULL;
	rc = fetch(url, &s, &c, err);
	free(s.hdr);
	if (fclose(s.f) != 0 && rc == CT_OK)
		rc = ct_err_set(err, CT_E_IO, tmp, 0, "cannot write: %s", strerror(errno));
out:
	if (rc != CT_OK) {
		unlink(tmp);
		free(tmp);
		return rc;
	}
	*path = tmp;
	return CT_OK;
}

/* An S3 error answer says why in <Code>: add it to the message (a word
 * such as NoSuchBucket or SignatureDoesNotMatch, never a credential). */
static void s3_error_code(const struct sink *s, struct ct_err *err)
{
	const char *p, *e;
	size_t n, ml;

	if (!err || !s->buf || s->len == 0)
		return;
	s->buf[s->len] = '\0';
	p = strstr(s->buf, "<Code>");
	if (!p)
		return;
	p += 6;
	e = strstr(p, "</Code>");
	if (!e || e - p > 64)
		return;
	for (n = 0; p + n < e; n++)
		if (!isalnum((unsigned char)p[n]) && p[n] != '.' && p[n] != '-')
			return;
	ml = strlen(err->msg);
	if (n && ml + n + 3 < sizeof(err->msg))
		snprintf(err->msg + ml, sizeof(err->msg) - ml, " (%.*s)", (int)n, p);
}

int ct_http_s3_get(const char *url, const struct ct_http_aws *aws, const struct ct_http_opts *o,
		   const char *path, char **body, size_t *len, struct ct_err *err)
{
	struct sink s = {0};
	struct call c = {NULL, NULL, 0, aws, 0};
	int fd, rc;

	if (!path) {
		*body = NULL;
		*len = 0;
		s.max = o && o->max_body ? o->max_body : CT_HTTP_MEM_MAX;
		if (s.max > SIZE_MAX / 4)
			s.max = SIZE_MAX / 4;
		c.timeout = o && o->timeout ? o->timeout : MEM_TIMEOUT;
		s.keep_errors = true; /* for S3's error code */
		rc = fetch(url, &s, &c, err);
		free(s.hdr);
		if (rc != CT_OK) {
			s3_error_code(&s, err);
			free(s.buf);
			return rc;
		}
		if (!s.buf)
			s.buf = ct_xmalloc(1);
		s.buf[s.len] = '\0';
		*body = s.buf;
		*len = s.len;
		return CT_OK;
	}
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return ct_err_set(err, CT_E_IO, path, 0, "cannot create: %s", strerror(errno));
	s.f = fdopen(fd, "w+b");
	if (!s.f) {
		rc = ct_err_set(err, CT_E_IO, path, 0, "cannot open: %s", strerror(errno));
		close(fd);
		unlink(path);
		return rc;
	}
	s.max = o && o->max_body ? o->max_body : CT_HTTP_FILE_MAX;
	c.timeout = o && o->timeout ? o->timeout : FILE_TIMEOUT;
	s.progress = o ? o->progress : NULL;
	s.progress_ctx = o ? o->progress_ctx : NULL;
	rc = fetch(url, &s, &c, err);
	free(s.hdr);
	if (fclose(s.f) != 0 && rc == CT_OK)
		rc = ct_err_set(err, CT_E_IO, path, 0, "cannot write: %s", strerror(errno));
	if (rc != CT_OK)
		unlink(path);
	return rc;
}

int ct_http_send(const struct ct_http_request *rq, struct ct_http_response *rs, struct ct_err *err)
{
	struct sink s = {0};
	struct call c = {rq, rs, rq->opts.timeout ? rq->opts.timeout : MEM_TIMEOUT, NULL,
			 rq->opts.attempts};
	int rc;

	memset(rs, 0, sizeof(*rs));
	s.max = rq->opts.max_body ? rq->opts.max_body : CT_HTTP_MEM_MAX;
	if (s.max > SIZE_MAX / 4)
		s.max = SIZE_MAX / 4;
	s.keep_errors = true;
	rc = fetch(rq->url, &s, &c, err);
	if (!s.buf)
		s.buf = ct_xmalloc(1);
	s.buf[s.len] = '\0';
	rs->body = s.buf;
	rs->len = s.len;
	free(s.hdr);
	return rc;
}

/* ---- SMTP (ct_http_smtp_send) ------------------------------------------ */

#define SMTP_TIMEOUT 300L /* total seconds per attempt */

/* The message as libcurl reads it, from the start on every attempt. */
struct mail_reader {
	const char *p;
	size_t len, at;
};

static size_t on_mail_read(char *buf, size_t size, size_t nmemb, void *ud)
{
	struct mail_reader *r = ud;
	size_t n = size * nmemb;

	if (n > r->len - r->at)
		n = r->len - r->at;
	memcpy(buf, r->p + r->at, n);
	r->at += n;
	return n;
}

/* A bare address for the envelope: something@something, no blanks,
 * angle brackets or control characters. */
static bool envelope_ok(const char *a)
{
	const char *at;

	if (!a || !*a || strlen(a) > 320)
		return false;
	for (const char *p = a; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == 0x7f)
			return false;
	at = strrchr(a, '@');
	return at && at > a && at[1];
}

/* "smtp" or "smtps" scheme, no user information, and whether the host
 * is the loopback interface. */
static bool smtp_url_ok(const char *url, bool *tls, bool *loopback)
{
	const char *sep = strstr(url, "://");
	const char *host, *end, *hend;
	size_t hn;

	if (!sep)
		return false;
	if ((size_t)(sep - url) == 4 && !strncasecmp(url, "smtp", 4))
		*tls = false;
	else if ((size_t)(sep - url) == 5 && !strncasecmp(url, "smtps", 5))
		*tls = true;
	else
		return false;
	host = sep + 3;
	end = host + strcspn(host, "/?#");
	/* an '@' anywhere before the path: user information, maybe with a
	 * '?' or '#' in its password */
	if (end == host || memchr(host, '@', strcspn(host, "/")) || strpbrk(url, "\r\n"))
		return false;
	if (*host == '[') {
		hend = memchr(host, ']', (size_t)(end - host));
		if (!hend)
			return false;
		host++;
	} else {
		hend = memchr(host, ':', (size_t)(end - host));
		if (!hend)
			hend = end;
	}
	hn = (size_t)(hend - host);
	*loopback = (hn == 9 && !strncasecmp(host, "localhost", 9)) ||
		    (hn == 3 && !strncmp(host, "::1", 3)) ||
		    (hn >= 9 && !strncmp(host, "127.", 4) && strspn(host, "0123456789.") == hn);
	return true;
}

/* Worth another try: the server cannot have accepted the mail. */
static bool smtp_retryable(CURLcode cc, long code)
{
	if (code >= 400 && code <= 499)
		return true;
	if (code != 0)
		return false; /* it answered; a lost reply may follow DATA */
	switch (cc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
		return true;
	default:
		return false;
	}
}

int ct_http_smtp_send(const struct ct_http_mail *m, int *attempts, struct ct_err *err)
{
	char shown[512];
	char errbuf[CURL_ERROR_SIZE];
	char *from = NULL;
	long backoff = env_long("CLOUDTALLY_HTTP_BACKOFF_MS", BACKOFF_DEFAULT, 0, 600000);
	long stall = env_long("CLOUDTALLY_HTTP_STALL_SECONDS", STALL_DEFAULT, 1, 86400);
	int tries = 1 + (int)env_long("CLOUDTALLY_HTTP_RETRIES", CT_HTTP_ATTEMPTS - 1, 0, 10);
	struct mail_reader rd = {m->message, m->len, 0};
	struct curl_slist *rcpt = NULL;
	bool tls = false, loopback = false, auth = m->user && *m->user;
	CURL *h = NULL;
	int attempt = 0, rc = CT_E_INTERNAL;

	if (!m->url || !smtp_url_ok(m->url, &tls, &loopback)) {
		/* not shown: it may hold a password */
		rc = ct_err_set(err, CT_E_INTERNAL, NULL, 0,
				"the SMTP URL is not smtp:// or smtps:// without user information");
		goto out;
	}
	ct_http_redact(m->url, shown, sizeof(shown));
	if (!envelope_ok(m->from)) {
		rc = ct_err_set(err, CT_E_INTERNAL, shown, 0, "bad envelope sender");
		goto out;
	}
	for (size_t i = 0; m->rcpts && m->rcpts[i]; i++) {
		char *a;

		if (!envelope_ok(m->rcpts[i])) {
			curl_slist_free_all(rcpt);
			rcpt = NULL;
			rc = ct_err_set(err, CT_E_INTERNAL, shown, 0, "bad envelope recipient %zu",
					i + 1);
			goto out;
		}
		a = ct_xasprintf("<%s>", m->rcpts[i]);
		rcpt = curl_slist_append(rcpt, a);
		free(a);
		if (!rcpt)
			ct_die("out of memory");
	}
	if (!rcpt) {
		rc = ct_err_set(err, CT_E_INTERNAL, shown, 0, "no recipient");
		goto out;
	}
	rc = CT_E_NET;
	if (ct_http_global_init(err) != CT_OK)
		goto out;
	h = curl_easy_init();
	if (!h) {
		rc = ct_err_set(err, CT_E_NET, shown, 0, "cannot start a libcurl handle");
		goto out;
	}
	from = ct_xasprintf("<%s>", m->from);
	curl_easy_setopt(h, CURLOPT_URL, m->url);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#else
	curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_SMTP | CURLPROTO_SMTPS));
#endif
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, m->timeout > 0 ? m->timeout : SMTP_TIMEOUT);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, stall);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (!tls)
		curl_easy_setopt(h, CURLOPT_USE_SSL,
				 (long)(auth && !loopback ? CURLUSESSL_ALL : CURLUSESSL_TRY));
	if (auth) {
		curl_easy_setopt(h, CURLOPT_USERNAME, m->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, m->password ? m->password : "");
	}
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, on_mail_read);
	curl_easy_setopt(h, CURLOPT_READDATA, &rd);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)m->len);

	for (attempt = 1;; attempt++) {
		CURLcode cc;
		long code = 0, delay;

		rd.at = 0;
		errbuf[0] = '\0';
		cc = curl_easy_perform(h);
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
		if (cc == CURLE_OK) {
			rc = CT_OK;
			goto out;
		}
		if (!smtp_retryable(cc, code) || attempt >= tries) {
			const char *why = errbuf[0] ? errbuf : curl_easy_strerror(cc);

			if (cc == CURLE_USE_SSL_FAILED)
				why = "the server does not offer STARTTLS, and a password is "
				      "only sent encrypted (use smtps:// or a server with "
				      "STARTTLS)";
			if (attempt > 1)
				rc = ct_err_set(err, CT_E_NET, shown, 0,
						"%s%s (gave up after %d attempts)",
						cc == CURLE_OPERATION_TIMEDOUT ? "timed out: " : "",
						why, attempt);
			else
				rc = ct_err_set(err, CT_E_NET, shown, 0, "%s%s",
						cc == CURLE_OPERATION_TIMEDOUT ? "timed out: " : "",
						why);
			goto out;
		}
		delay = backoff;
		for (int k = 1; k < attempt && delay < 600000; k++)
			delay *= 2;
		sleep_ms(delay);
	}
out:
	if (attempts)
		*attempts = attempt;
	curl_easy_cleanup(h);
	curl_slist_free_all(rcpt);
	free(from);
	return rc;
}
