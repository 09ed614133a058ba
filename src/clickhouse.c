/*
 * clickhouse.c - a ClickHouse server over HTTP (see clickhouse.h).
 *
 * Every statement is one HTTP POST through http.c with the user and
 * password in X-ClickHouse-User/X-ClickHouse-Key headers (never in the
 * URL, so they are in no error message), the database as a URL
 * parameter, and no retry: ClickHouse answers a bad query with HTTP 500.
 * Inserts send the statement in the URL and the rows gzip compressed in
 * the body.
 *
 * ClickHouse 18.16 (Debian's) has no query parameters, so values reach
 * SQL as literals made by ct_ch_buf_quote() only.
 */
#include "ct.h"
#include "clickhouse.h"
#include "http.h"

#include <pthread.h>
#include <stdarg.h>
#include <zlib.h>

#define DEFAULT_PORT "8123"
#define MAX_HOSTS 64
#define RESULT_MAX ((uint64_t)4 << 30) /* a query result in memory */

struct ct_ch {
	char *user;     /* NULL: the server's default user */
	char *password; /* NULL: none */
	char *db;
	char *hosts[MAX_HOSTS]; /* "host:port" */
	size_t nhosts;
	char *shown;
	char *cluster; /* from the meta table; NULL: one server */
	size_t shards; /* hosts that are shards (1 without a cluster) */
	bool db_ready; /* the database exists: name it in each request */
};

bool ct_ch_is_url(const char *s)
{
	return s && !strncmp(s, "clickhouse://", 13);
}

/* ---- buffers --------------------------------------------------------- */

void ct_ch_buf_put(struct ct_ch_buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->p = ct_xrealloc(b->p, cap);
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void ct_ch_buf_puts(struct ct_ch_buf *b, const char *s)
{
	ct_ch_buf_put(b, s, strlen(s));
}

void ct_ch_buf_printf(struct ct_ch_buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s)
		ct_die("out of memory");
	ct_ch_buf_puts(b, s);
	free(s);
}

void ct_ch_buf_quote(struct ct_ch_buf *b, const char *s, size_t len)
{
	if (!s) {
		ct_ch_buf_puts(b, "NULL");
		return;
	}
	ct_ch_buf_put(b, "'", 1);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[5];

		if (c == '\'' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			ct_ch_buf_put(b, esc, 2);
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(esc, sizeof(esc), "\\x%02X", c);
			ct_ch_buf_put(b, esc, 4);
		} else {
			ct_ch_buf_put(b, &s[i], 1);
		}
	}
	ct_ch_buf_put(b, "'", 1);
}

void ct_ch_buf_i64(struct ct_ch_buf *b, int64_t v)
{
	unsigned char o[8];
	uint64_t u = (uint64_t)v;

	for (int i = 0; i < 8; i++)
		o[i] = (unsigned char)(u >> (8 * i));
	ct_ch_buf_put(b, o, 8);
}

void ct_ch_buf_i32(struct ct_ch_buf *b, int32_t v)
{
	unsigned char o[4];
	uint32_t u = (uint32_t)v;

	for (int i = 0; i < 4; i++)
		o[i] = (unsigned char)(u >> (8 * i));
	ct_ch_buf_put(b, o, 4);
}

void ct_ch_buf_f64(struct ct_ch_buf *b, double v)
{
	uint64_t u;

	memcpy(&u, &v, sizeof(u));
	ct_ch_buf_i64(b, (int64_t)u);
}

void ct_ch_buf_varint(struct ct_ch_buf *b, uint64_t v)
{
	unsigned char o[10];
	size_t n = 0;

	do {
		o[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			o[n] |= 0x80;
		n++;
	} while (v);
	ct_ch_buf_put(b, o, n);
}

void ct_ch_buf_str(struct ct_ch_buf *b, const char *s, size_t len)
{
	ct_ch_buf_varint(b, len);
	if (len)
		ct_ch_buf_put(b, s, len);
}

void ct_ch_buf_nstr(struct ct_ch_buf *b, const char *s, size_t len)
{
	unsigned char isnull = s ? 0 : 1;

	ct_ch_buf_put(b, &isnull, 1);
	if (s)
		ct_ch_buf_str(b, s, len);
}

void ct_ch_buf_release(struct ct_ch_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* ---- TabSeparated ------------------------------------------------------ */

size_t ct_ch_tsv_row(char **line, char *end, char **field, size_t max)
{
	char *p = *line, *w;
	size_t n = 0;

	if (p >= end)
		return 0;
	for (;;) {
		char *start = p;
		bool esc_null = false;

		w = p;
		while (p < end && *p != '\t' && *p != '\n') {
			if (*p == '\\' && p + 1 < end) {
				char c = p[1];
				p += 2;
				switch (c) {
				case 'n': *w++ = '\n'; break;
				case 't': *w++ = '\t'; break;
				case 'r': *w++ = '\r'; break;
				case 'b': *w++ = '\b'; break;
				case 'f': *w++ = '\f'; break;
				case '0': *w++ = '\0'; break;
				case 'N':
					/* \N is NULL as a whole field only */
					if (p - start == 2)
						esc_null = true;
					else
						*w++ = 'N';
					break;
				default: *w++ = c; break;
				}
			} else {
				*w++ = *p++;
			}
		}
		if (n < max)
			field[n] = esc_null && p - start == 2 ? NULL : start;
		n++;
		if (p >= end || *p == '\n') {
			*w = '\0';
			*line = p < end ? p + 1 : end;
			break;
		}
		*w = '\0';
		p++;
	}
	return n > max ? max : n;
}

/* ---- URL --------------------------------------------------------------- */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode [s, s + n); NULL when an escape is malformed or
 * decodes to a control byte. */
static char *pct_decode(const char *s, size_t n)
{
	char *o = ct_xmalloc(n + 1), *w = o;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			int a = i + 2 < n ? hexval(s[i + 1]) : -1;
			int b = i + 2 < n ? hexval(s[i + 2]) : -1;
			if (a < 0 || b < 0 || a * 16 + b < 0x20) {
				free(o);
				return NULL;
			}
			*w++ = (char)(a * 16 + b);
			i += 2;
		} else {
			*w++ = s[i];
		}
	}
	*w = '\0';
	return o;
}

static bool ident_ok(const char *s)
{
	if (!*s || strlen(s) > 64 || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static int parse_url(struct ct_ch *ch, const char *url, struct ct_err *err)
{
	const char *p = url + 13, *slash, *at, *hosts_end;
	const char *env;
	struct ct_ch_buf shown = {0};

	slash = strchr(p, '/');
	if (!slash)
		return ct_err_set(err, CT_E_USAGE, NULL, 0,
				  "ClickHouse store URL without a database: "
				  "clickhouse://[user[:password]@]host[:port]/database");
	at = memchr(p, '@', (size_t)(slash - p));
	if (at) {
		/* the last '@' before the path ends the user information */
		for (const char *q = at; q < slash; q++)
			if (*q == '@')
				at = q;
		const char *colon = memchr(p, ':', (size_t)(at - p));
		ch->user = pct_decode(p, (size_t)((colon ? colon : at) - p));
		if (colon)
			ch->password = pct_decode(colon + 1, (size_t)(at - colon - 1));
		if (!ch->user || (colon && !ch->password))
			return ct_err_set(err, CT_E_USAGE, NULL, 0,
					  "ClickHouse store URL: bad %%-escape in the "
					  "user or password");
		if (!*ch->user) {
			free(ch->user);
			ch->user = NULL;
		}
		p = at + 1;
	}
	hosts_end = slash;
	while (p < hosts_end) {
		const char *comma = memchr(p, ',', (size_t)(hosts_end - p));
		const char *e = comma ? comma : hosts_end;
		size_t n = (size_t)(e - p);
		bool has_port = false;

		if (ch->nhosts == MAX_HOSTS)
			return ct_err_set(err, CT_E_USAGE, NULL, 0,
					  "ClickHouse store URL: more than %d hosts",
					  MAX_HOSTS);
		if (n == 0)
			return ct_err_set(err, CT_E_USAGE, NULL, 0,
					  "ClickHouse store URL: empty host name");
		for (size_t i = 0; i < n; i++) {
			char c = p[i];
			if (c == ':')
				has_port = true;
			else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
				   (c >= '0' && c <= '9') || c == '.' || c == '-' ||
				   c == '[' || c == ']'))
				return ct_err_set(err, CT_E_USAGE, NULL, 0,
						  "ClickHouse store URL: bad character in "
						  "host '%.*s'", (int)n, p);
		}
		ch->hosts[ch->nhosts++] = has_port
			? ct_xstrndup(p, n)
			: ct_xasprintf("%.*s:" DEFAULT_PORT, (int)n, p);
		p = comma ? comma + 1 : hosts_end;
	}
	if (!ch->nhosts)
		return ct_err_set(err, CT_E_USAGE, NULL, 0,
				  "ClickHouse store URL without a host");
	ch->db = ct_xstrdup(slash + 1);
	if (strchr(ch->db, '?'))
		*strchr(ch->db, '?') = '\0';
	if (!ident_ok(ch->db))
		return ct_err_set(err, CT_E_USAGE, NULL, 0,
				  "ClickHouse store URL: the database name must be "
				  "letters, digits and '_' (got '%s')", ch->db);
	env = getenv("CLICKHOUSE_PASSWORD");
	if (!ch->password && env && *env)
		ch->password = ct_xstrdup(env);
	ct_ch_buf_puts(&shown, "clickhouse://");
	if (ch->user) {
		ct_ch_buf_puts(&shown, ch->user);
		ct_ch_buf_puts(&shown, "@");
	}
	for (size_t i = 0; i < ch->nhosts; i++) {
		if (i)
			ct_ch_buf_puts(&shown, ",");
		ct_ch_buf_puts(&shown, ch->hosts[i]);
	}
	ct_ch_buf_puts(&shown, "/");
	ct_ch_buf_puts(&shown, ch->db);
	ch->shown = shown.p;
	ch->shards = 1;
	return CT_OK;
}

/* ---- statements -------------------------------------------------------- */

static void url_encode(struct ct_ch_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.') {
			ct_ch_buf_put(b, s, 1);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			ct_ch_buf_put(b, e, 3);
		}
	}
}

/* POST body to host; query (may be NULL) goes into the URL. */
static int post(struct ct_ch *ch, size_t host, const char *query,
		const char *body, size_t blen, bool gz, char **out, size_t *len,
		struct ct_err *err)
{
	struct ct_ch_buf url = {0}, hu = {0}, hk = {0};
	const char *headers[4];
	size_t nh = 0;
	struct ct_http_request rq;
	struct ct_http_response rs;
	int rc;

	/* a Distributed insert is written to every shard before it returns */
	ct_ch_buf_printf(&url, "http://%s/?insert_distributed_sync=1"
			 "&max_query_size=67108864", ch->hosts[host]);
	if (ch->db_ready) {
		ct_ch_buf_puts(&url, "&database=");
		url_encode(&url, ch->db);
	}
	if (query) {
		ct_ch_buf_puts(&url, "&query=");
		url_encode(&url, query);
	}
	if (ch->user) {
		ct_ch_buf_printf(&hu, "X-ClickHouse-User: %s", ch->user);
		headers[nh++] = hu.p;
	}
	if (ch->password) {
		ct_ch_buf_printf(&hk, "X-ClickHouse-Key: %s", ch->password);
		headers[nh++] = hk.p;
	}
	if (gz)
		headers[nh++] = "Content-Encoding: gzip";
	headers[nh] = NULL;
	memset(&rq, 0, sizeof(rq));
	rq.method = "POST";
	rq.url = url.p;
	rq.headers = headers;
	rq.body = body;
	rq.body_len = blen;
	rq.content_type = "text/plain; charset=utf-8";
	rq.opts.attempts = 1;
	rq.opts.max_body = RESULT_MAX;
	rq.opts.timeout = 3600;
	rc = ct_http_send(&rq, &rs, err);
	if (rc != CT_OK && rs.status >= 400) {
		/* the server's own message says what was wrong */
		char snip[400];
		size_t n = rs.len;
		while (n && (rs.body[n - 1] == '\n' || rs.body[n - 1] == ' '))
			n--;
		rc = ct_err_set(err, rs.status == 401 || rs.status == 403 ? CT_E_NET : CT_E_DB,
				ch->shown, 0, "ClickHouse (%s): %s", ch->hosts[host],
				ct_err_snippet(rs.body, n, snip, sizeof(snip)));
	} else if (rc != CT_OK) {
		char why[sizeof(err->msg)];

		/* err->msg is rewritten: format from a copy */
		snprintf(why, sizeof(why), "%s", err ? err->msg : "error");
		rc = ct_err_set(err, CT_E_NET, ch->shown, 0,
				"cannot reach ClickHouse at %s: %s", ch->hosts[host], why);
	} else if (out) {
		*out = rs.body;
		*len = rs.len;
		rs.body = NULL;
	}
	ct_http_response_release(&rs);
	ct_ch_buf_release(&url);
	ct_ch_buf_release(&hu);
	ct_ch_buf_release(&hk);
	return rc;
}

int ct_ch_run(struct ct_ch *ch, size_t host, const char *sql, char **out,
	      size_t *len, struct ct_err *err)
{
	size_t dummy;

	if (out)
		*out = NULL;
	return post(ch, host, NULL, sql, strlen(sql), false, out,
		    len ? len : &dummy, err);
}

int ct_ch_runf(struct ct_ch *ch, size_t host, struct ct_err *err,
	       const char *fmt, ...)
{
	va_list ap;
	char *s;
	int rc;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s)
		ct_die("out of memory");
	rc = ct_ch_run(ch, host, s, NULL, NULL, err);
	free(s);
	return rc;
}

int ct_ch_insert(struct ct_ch *ch, size_t host, const char *table,
		 const char *fmt, const void *data, size_t len,
		 struct ct_err *err)
{
	z_stream z;
	char *gz = NULL, *query;
	size_t cap;
	int rc;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		ct_die("out of memory");
	cap = deflateBound(&z, len) + 64;
	gz = ct_xmalloc(cap);
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)gz;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&z);
		free(gz);
		return ct_err_set(err, CT_E_INTERNAL, NULL, 0, "cannot compress a batch");
	}
	query = ct_xasprintf("INSERT INTO %s FORMAT %s", table, fmt);
	rc = post(ch, host, query, gz, z.total_out, true, NULL, NULL, err);
	deflateEnd(&z);
	free(query);
	free(gz);
	return rc;
}

/* ---- inserts in flight ------------------------------------------------- */

#define SENDERS_MAX 8

struct ct_ch_sender {
	struct ct_ch *ch;
	size_t host;
	char *target, *fmt;
	int n, nthreads;
	pthread_t threads[SENDERS_MAX];
	pthread_mutex_t mu;
	pthread_cond_t work; /* a batch is queued, or quit */
	pthread_cond_t done; /* an insert ended */
	struct ct_ch_buf queue[SENDERS_MAX]; /* handed over, not yet taken */
	size_t head, nqueued;
	struct ct_ch_buf spare[SENDERS_MAX + 1]; /* sent: buffers to reuse */
	size_t nspare;
	int busy;  /* batches queued or being sent */
	bool quit;
	int rc;    /* the first failure */
	struct ct_err err;
};

static void *sender_main(void *arg)
{
	struct ct_ch_sender *s = arg;

	pthread_mutex_lock(&s->mu);
	for (;;) {
		struct ct_ch_buf b;
		struct ct_err e;
		int rc = CT_OK;

		ct_err_init(&e);
		while (!s->nqueued && !s->quit)
			pthread_cond_wait(&s->work, &s->mu);
		if (!s->nqueued)
			break;
		b = s->queue[s->head];
		s->head = (s->head + 1) % SENDERS_MAX;
		s->nqueued--;
		/* after a failure the rest is dropped: the run fails anyway */
		if (s->rc == CT_OK) {
			pthread_mutex_unlock(&s->mu);
			rc = ct_ch_insert(s->ch, s->host, s->target, s->fmt, b.p, b.len, &e);
			pthread_mutex_lock(&s->mu);
		}
		b.len = 0;
		if (s->nspare < CT_NELEM(s->spare))
			s->spare[s->nspare++] = b;
		else
			ct_ch_buf_release(&b);
		if (rc != CT_OK && s->rc == CT_OK) {
			s->rc = rc;
			s->err = e;
		}
		s->busy--;
		pthread_cond_broadcast(&s->done);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

struct ct_ch_sender *ct_ch_sender_new(struct ct_ch *ch, size_t host,
				      const char *target, const char *fmt, int n)
{
	struct ct_ch_sender *s = ct_xcalloc(1, sizeof(*s));

	s->ch = ch;
	s->host = host;
	s->target = ct_xstrdup(target);
	s->fmt = ct_xstrdup(fmt);
	s->n = n < 1 ? 1 : n > SENDERS_MAX ? SENDERS_MAX : n;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->work, NULL);
	pthread_cond_init(&s->done, NULL);
	for (int i = 0; i < s->n; i++) {
		if (pthread_create(&s->threads[i], NULL, sender_main, s) != 0)
			break;
		s->nthreads++;
	}
	if (!s->nthreads) {
		ct_ch_sender_free(s);
		return NULL;
	}
	s->n = s->nthreads;
	return s;
}

int ct_ch_sender_put(struct ct_ch_sender *s, struct ct_ch_buf *rows, struct ct_err *err)
{
	int rc;

	pthread_mutex_lock(&s->mu);
	while (s->busy >= s->n && s->rc == CT_OK)
		pthread_cond_wait(&s->done, &s->mu);
	rc = s->rc;
	if (rc != CT_OK) {
		if (err)
			*err = s->err;
		rows->len = 0;
	} else {
		size_t tail = (s->head + s->nqueued) % SENDERS_MAX;

		s->queue[tail] = *rows;
		s->nqueued++;
		s->busy++;
		if (s->nspare)
			*rows = s->spare[--s->nspare];
		else
			memset(rows, 0, sizeof(*rows));
		pthread_cond_signal(&s->work);
	}
	pthread_mutex_unlock(&s->mu);
	return rc;
}

int ct_ch_sender_wait(struct ct_ch_sender *s, struct ct_err *err)
{
	int rc;

	pthread_mutex_lock(&s->mu);
	while (s->busy)
		pthread_cond_wait(&s->done, &s->mu);
	rc = s->rc;
	if (rc != CT_OK && err)
		*err = s->err;
	pthread_mutex_unlock(&s->mu);
	return rc;
}

void ct_ch_sender_free(struct ct_ch_sender *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->mu);
	s->quit = true;
	pthread_cond_broadcast(&s->work);
	pthread_mutex_unlock(&s->mu);
	for (int i = 0; i < s->nthreads; i++)
		pthread_join(s->threads[i], NULL);
	for (size_t i = 0; i < s->nspare; i++)
		ct_ch_buf_release(&s->spare[i]);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->work);
	pthread_cond_destroy(&s->done);
	free(s->target);
	free(s->fmt);
	free(s);
}

/* ---- open and init ----------------------------------------------------- */

static int read_meta(struct ct_ch *ch, struct ct_err *err)
{
	char *out = NULL, *p, *f[2];
	size_t len = 0;
	int rc;

	rc = ct_ch_run(ch, 0, "SELECT key, value FROM meta FORMAT TabSeparated",
		       &out, &len, err);
	if (rc != CT_OK) {
		char why[sizeof(err->msg)];

		free(out);
		snprintf(why, sizeof(why), "%s", err ? err->msg : "");
		return ct_err_set(err, CT_E_DB, ch->shown, 0,
				  "no cloudtally store in this ClickHouse database "
				  "(run 'cloudtally db init --store ...' first): %s", why);
	}
	p = out;
	while (ct_ch_tsv_row(&p, out + len, f, 2) == 2) {
		if (!f[0] || !f[1])
			continue;
		if (!strcmp(f[0], "cluster") && *f[1]) {
			free(ch->cluster);
			ch->cluster = ct_xstrdup(f[1]);
		} else if (!strcmp(f[0], "shards")) {
			ch->shards = (size_t)strtoul(f[1], NULL, 10);
		}
	}
	free(out);
	if (ch->cluster && ch->shards != ch->nhosts) {
		return ct_err_set(err, CT_E_USAGE, NULL, 0,
				  "the store is on cluster '%s' with %zu shards: list "
				  "the HTTP address of each in the store URL, in the "
				  "cluster's order (clickhouse://host1:8123,host2:8123/db)",
				  ch->cluster, ch->shards);
	}
	if (!ch->cluster)
		ch->shards = 1;
	return CT_OK;
}

struct ct_ch *ct_ch_parse(const char *url, struct ct_err *err)
{
	struct ct_ch *ch = ct_xcalloc(1, sizeof(*ch));

	if (!ct_ch_is_url(url)) {
		ct_err_set(err, CT_E_USAGE, NULL, 0, "not a clickhouse:// URL");
		goto fail;
	}
	if (parse_url(ch, url, err) != CT_OK)
		goto fail;
	return ch;
fail:
	ct_ch_close(ch);
	return NULL;
}

size_t ct_ch_hosts(const struct ct_ch *ch)
{
	return ch->nhosts;
}

bool ct_ch_has_password(const struct ct_ch *ch)
{
	return ch->password != NULL;
}

struct ct_ch *ct_ch_open(const char *url, bool create, struct ct_err *err)
{
	struct ct_ch *ch = ct_ch_parse(url, err);

	if (!ch)
		goto fail;
	if (ct_ch_run(ch, 0, "SELECT 1", NULL, NULL, err) != CT_OK)
		goto fail;
	ch->db_ready = !create;
	if (!create && read_meta(ch, err) != CT_OK)
		goto fail;
	return ch;
fail:
	ct_ch_close(ch);
	return NULL;
}

void ct_ch_close(struct ct_ch *ch)
{
	if (!ch)
		return;
	free(ch->user);
	free(ch->password);
	free(ch->db);
	for (size_t i = 0; i < ch->nhosts; i++)
		free(ch->hosts[i]);
	free(ch->shown);
	free(ch->cluster);
	free(ch);
}

/* The shards of cluster as ClickHouse knows them. */
static int check_cluster(struct ct_ch *ch, const char *cluster, struct ct_err *err)
{
	struct ct_ch_buf q = {0};
	char *out = NULL;
	size_t len = 0;
	long n;
	int rc;

	if (!ident_ok(cluster))
		return ct_err_set(err, CT_E_USAGE, NULL, 0,
				  "cluster name must be letters, digits and '_' (got '%s')",
				  cluster);
	ct_ch_buf_puts(&q, "SELECT uniqExact(shard_num) FROM system.clusters WHERE cluster = ");
	ct_ch_buf_quote(&q, cluster, strlen(cluster));
	rc = ct_ch_run(ch, 0, q.p, &out, &len, err);
	ct_ch_buf_release(&q);
	if (rc != CT_OK)
		return rc;
	n = strtol(out, NULL, 10);
	free(out);
	if (n == 0)
		return ct_err_set(err, CT_E_USAGE, ch->shown, 0,
				  "the server has no cluster '%s' in its remote_servers",
				  cluster);
	if ((size_t)n != ch->nhosts)
		return ct_err_set(err, CT_E_USAGE, ch->shown, 0,
				  "cluster '%s' has %ld shards but the store URL lists %zu "
				  "hosts: list the HTTP address of each shard, in the "
				  "cluster's order", cluster, n, ch->nhosts);
	return CT_OK;
}

int ct_ch_init(struct ct_ch *ch, const char *cluster, const char *line_cols,
	       const char *small, struct ct_err *err)
{
	const char *local = cluster ? "line_local" : "line";
	struct ct_ch_buf b = {0};
	char *out = NULL;
	size_t len = 0;
	int rc;

	if (cluster && (rc = check_cluster(ch, cluster, err)) != CT_OK)
		return rc;
	if (!cluster && ch->nhosts > 1)
		return ct_err_set(err, CT_E_USAGE, NULL, 0,
				  "the store URL lists %zu hosts: name their cluster "
				  "with --cluster", ch->nhosts);
	ch->db_ready = false;
	for (size_t h = 0; h < ch->nhosts; h++)
		if ((rc = ct_ch_runf(ch, h, err, "CREATE DATABASE IF NOT EXISTS %s",
				     ch->db)) != CT_OK)
			return rc;
	ch->db_ready = true;
	rc = ct_ch_run(ch, 0, "CREATE TABLE IF NOT EXISTS meta (key String, value String)"
		       " ENGINE = MergeTree ORDER BY key", NULL, NULL, err);
	if (rc == CT_OK)
		rc = ct_ch_run(ch, 0, "SELECT key, value FROM meta WHERE key = 'cluster'"
			       " FORMAT TabSeparated", &out, &len, err);
	if (rc != CT_OK)
		goto out;
	if (len) {
		char *p = out, *f[2];
		if (ct_ch_tsv_row(&p, out + len, f, 2) == 2 && f[1] &&
		    strcmp(f[1], cluster ? cluster : "")) {
			rc = ct_err_set(err, CT_E_USAGE, ch->shown, 0,
					"this store was made %s%s%s; it cannot become %s%s%s",
					*f[1] ? "on cluster '" : "on one server", f[1],
					*f[1] ? "'" : "", cluster ? "cluster '" : "one server",
					cluster ? cluster : "", cluster ? "'" : "");
			goto out;
		}
	}
	rc = ct_ch_run(ch, 0,
		       "CREATE TABLE IF NOT EXISTS ingest (id Int64, batch Int64, source String,"
		       " format String, provider String, billing_account_id String,"
		       " billing_period String, period_start Int64, period_end Int64,"
		       " rows Int64, billed_cost Int64, effective_cost Int64,"
		       " checksum String, ingested_at String) ENGINE = MergeTree"
		       " PARTITION BY (billing_period, provider, billing_account_id)"
		       " ORDER BY id", NULL, NULL, err);
	for (size_t h = 0; rc == CT_OK && h < ch->nhosts; h++)
		rc = ct_ch_runf(ch, h, err,
				"CREATE TABLE IF NOT EXISTS %s (%s) ENGINE = MergeTree"
				" PARTITION BY (billing_period, provider, account)"
				" ORDER BY (day, ingest_id)", local, line_cols);
	for (size_t h = 0; cluster && rc == CT_OK && h < ch->nhosts; h++)
		rc = ct_ch_runf(ch, h, err,
				"CREATE TABLE IF NOT EXISTS line AS line_local ENGINE ="
				" Distributed(%s, %s, line_local,"
				" cityHash64(billing_period, provider, account))",
				cluster, ch->db);
	for (const char *p = small; rc == CT_OK && p && *p;) {
		const char *nl = strchr(p, '\n'), *tab = strchr(p, '\t');
		if (!nl)
			nl = p + strlen(p);
		if (!tab || tab > nl)
			break;
		rc = ct_ch_runf(ch, 0, err,
				"CREATE TABLE IF NOT EXISTS t_%.*s (%.*s) ENGINE = MergeTree"
				" ORDER BY tuple()", (int)(tab - p), p,
				(int)(nl - tab - 1), tab + 1);
		p = *nl ? nl + 1 : nl;
	}
	if (rc != CT_OK)
		goto out;
	if (!len) {
		ct_ch_buf_printf(&b, "INSERT INTO meta VALUES ('schema', '1'), ('cluster', ");
		ct_ch_buf_quote(&b, cluster ? cluster : "", cluster ? strlen(cluster) : 0);
		ct_ch_buf_printf(&b, "), ('shards', '%zu')", ch->nhosts);
		rc = ct_ch_run(ch, 0, b.p, NULL, NULL, err);
	}
	if (rc == CT_OK) {
		free(ch->cluster);
		ch->cluster = cluster ? ct_xstrdup(cluster) : NULL;
		ch->shards = cluster ? ch->nhosts : 1;
	}
out:
	free(out);
	ct_ch_buf_release(&b);
	return rc;
}

const char *ct_ch_shown(const struct ct_ch *ch)
{
	return ch->shown;
}

size_t ct_ch_shards(const struct ct_ch *ch)
{
	return ch->shards;
}

const char *ct_ch_cluster(const struct ct_ch *ch)
{
	return ch->cluster;
}
