/*
 * http.c - the one HTTP(S) client (see http.h): GET into memory or into
 * a temporary file, with timeouts, a size cap and bounded retries.
 *
 * Depends on libcurl (easy interface) and POSIX files. It is the only
 * file that includes curl.h. It never prints and never sends
 * credentials; error messages show URLs through ct_http_redact().
 */
#include "ct.h"
#include "http.h"

#include <curl/curl.h>
#include <errno.h>
#include <limits.h>
#include <unistd.h>

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0"
#endif

#define CONNECT_TIMEOUT 15L   /* seconds */
#define STALL_DEFAULT 30L     /* seconds below 1 byte/s that fail a transfer */
#define BACKOFF_DEFAULT 1000L /* ms before the first retry; doubles */
#define MEM_TIMEOUT 300L      /* total seconds, memory fetches */
#define FILE_TIMEOUT 7200L    /* total seconds, file downloads */

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
	end = auth + strcspn(auth, "/?#");
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
};

static size_t on_data(char *p, size_t size, size_t nmemb, void *ud)
{
	struct sink *s = ud;
	size_t n = size * nmemb;
	long code = 0;

	/* An error page is not the body we asked for: drop it. */
	curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &code);
	if (code >= 400)
		return n;
	if (n > s->max - s->got) {
		s->too_big = true;
		return 0;
	}
	s->got += n;
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
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
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

/*
 * Run the GET with retries. The sink holds the body of the last attempt.
 */
static int fetch(const char *url, struct sink *s, long timeout, struct ct_err *err)
{
	char shown[512];
	char errbuf[CURL_ERROR_SIZE];
	char msg[CURL_ERROR_SIZE + 128];
	long backoff = env_long("CLOUDTALLY_HTTP_BACKOFF_MS", BACKOFF_DEFAULT, 0, 600000);
	int attempts = 1 + (int)env_long("CLOUDTALLY_HTTP_RETRIES", CT_HTTP_ATTEMPTS - 1, 0, 10);
	CURL *h = NULL;
	int rc = CT_E_NET;

	ct_http_redact(url, shown, sizeof(shown));
	if (ct_http_global_init(err) != CT_OK)
		return CT_E_NET;
	h = curl_easy_init();
	if (!h)
		return ct_err_set(err, CT_E_NET, shown, 0, "cannot start a libcurl handle");
	s->h = h;
	set_options(h, url, errbuf, s, timeout);

	for (int attempt = 1;; attempt++) {
		CURLcode cc;
		long code = 0, delay;
		curl_off_t clen = -1, got = 0, retry_after = 0;
		bool again = false;

		if (sink_reset(s, shown, err) != CT_OK) {
			rc = CT_E_IO;
			goto out;
		}
		errbuf[0] = '\0';
		cc = curl_easy_perform(h);
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
		curl_easy_getinfo(h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &clen);
		curl_easy_getinfo(h, CURLINFO_SIZE_DOWNLOAD_T, &got);
		curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &retry_after);

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
		if (cc != CURLE_OK) {
			snprintf(msg, sizeof(msg), "%s%s",
				 cc == CURLE_PARTIAL_FILE	  ? "body truncated: "
				 : cc == CURLE_OPERATION_TIMEDOUT ? "timed out: "
								  : "",
				 errbuf[0] ? errbuf : curl_easy_strerror(cc));
			again = retryable(cc);
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
	curl_easy_cleanup(h);
	s->h = NULL;
	return rc;
}

int ct_http_get(const char *url, const struct ct_http_opts *o, char **body, size_t *len,
		struct ct_err *err)
{
	struct sink s = {0};
	int rc;

	*body = NULL;
	*len = 0;
	s.max = o && o->max_body ? o->max_body : CT_HTTP_MEM_MAX;
	if (s.max > SIZE_MAX / 4)
		s.max = SIZE_MAX / 4;
	rc = fetch(url, &s, o && o->timeout ? o->timeout : MEM_TIMEOUT, err);
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
	rc = fetch(url, &s, o && o->timeout ? o->timeout : FILE_TIMEOUT, err);
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
