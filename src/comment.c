/*
 * comment.c - the pull-request comment client (see comment.h): list the
 * comments of a GitHub pull request or GitLab merge request page by page,
 * find the one an earlier run posted, then edit it or post a new one.
 *
 * Depends on http.c for every request and on Jansson for the JSON. It
 * must not print, must not put the token anywhere but the one request
 * header, and scrubs it from every error it returns.
 */
#include "ct.h"
#include "comment.h"
#include "estimate.h"
#include "http.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <strings.h>

#define PAGE_BYTES ((uint64_t)16 << 20) /* one page of comments, at most */
#define TOKEN_MAX 4096
#define PROJECT_MAX 1024
#define QUOTE_MAX 200 /* characters of a server's message quoted in an error */

/* One conversation: the pull or merge request and how to talk to it. */
struct client {
	const struct ct_comment_target *t;
	const char *forge; /* "GitHub", "GitLab" */
	char *base;	   /* API base, no trailing slash */
	char *coll;	   /* the comments collection URL, no query */
	char *where;	   /* "pull request #7 of acme/infra" */
	char *auth;	   /* the header line with the token */
	const char *hdrs[4];
};

/* Is the host of an http(s) URL this machine: 127.x.x.x, localhost, [::1]? */
static bool is_loopback(const char *url)
{
	const char *h = strstr(url, "://") + 3;
	size_t n = strcspn(h, "/?#");

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

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* owner/repo as GitHub allows them. */
static bool valid_repo(const char *r)
{
	const char *slash = strchr(r, '/');
	size_t on, rn;

	if (!slash || strchr(slash + 1, '/'))
		return false;
	on = (size_t)(slash - r);
	rn = strlen(slash + 1);
	if (on < 1 || on > 39 || rn < 1 || rn > 100)
		return false;
	for (const char *p = r; p < slash; p++)
		if (!isalnum((unsigned char)*p) && *p != '-')
			return false;
	for (const char *p = slash + 1; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
			return false;
	return strcmp(slash + 1, ".") && strcmp(slash + 1, "..");
}

int ct_comment_check(const struct ct_comment_target *t, struct ct_err *err)
{
	const char *u = t->api_url;

	if (t->forge != CT_COMMENT_GITHUB && t->forge != CT_COMMENT_GITLAB)
		return ct_err_set(err, CT_E_USAGE, NULL, 0, "unknown forge");
	if (!t->token || !*t->token)
		return ct_err_set(err, CT_E_USAGE, NULL, 0, "no token given");
	if (strlen(t->token) > TOKEN_MAX)
		return ct_err_set(err, CT_E_USAGE, NULL, 0, "the token is longer than %d bytes",
				  TOKEN_MAX);
	for (const unsigned char *p = (const unsigned char *)t->token; *p; p++)
		if (*p < 0x21 || *p == 0x7f)
			return ct_err_set(err, CT_E_USAGE, NULL, 0,
					  "the token holds spaces or control characters");
	if (u) {
		size_t n = strlen(u);
		const char *auth = strstr(u, "://");

		if (!auth || (strncasecmp(u, "http://", 7) && strncasecmp(u, "https://", 8)))
			return ct_err_set(err, CT_E_USAGE, NULL, 0,
					  "--api-url wants an http:// or https:// URL");
		if (n > 400 || strpbrk(u, "?# \t\r\n") ||
		    memchr(auth + 3, '@', strcspn(auth + 3, "/")) || !ct_http_same_origin(u, u))
			return ct_err_set(err, CT_E_USAGE, NULL, 0,
					  "--api-url wants a plain URL: no user, query, fragment "
					  "or spaces, at most 400 characters");
		if (!strncasecmp(u, "http://", 7) && !is_loopback(u))
			return ct_err_set(err, CT_E_USAGE, NULL, 0,
					  "--api-url: the token is not sent over plain http "
					  "except to this machine; use https://");
	}
	if (t->number < 1 || t->number > 2147483647L)
		return ct_err_set(err, CT_E_USAGE, NULL, 0, "%s wants a positive whole number",
				  t->forge == CT_COMMENT_GITHUB ? "--pr" : "--mr");
	if (t->forge == CT_COMMENT_GITHUB) {
		if (!t->repo || !valid_repo(t->repo))
			return ct_err_set(err, CT_E_USAGE, NULL, 0,
					  "--repo wants OWNER/REPO, like octo-org/infra");
	} else {
		const char *p = t->project;
		size_t n = p ? strlen(p) : 0;

		if (!n || n > PROJECT_MAX || p[0] == '/' || p[n - 1] == '/')
			return ct_err_set(
				err, CT_E_USAGE, NULL, 0,
				"--project wants a numeric ID or a path like group/project");
		for (; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				return ct_err_set(err, CT_E_USAGE, NULL, 0,
						  "--project holds control characters");
	}
	return CT_OK;
}

char *ct_comment_encode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = ct_xmalloc(strlen(s) * 3 + 1), *o = out;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~') {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

bool ct_comment_is_marked(const char *body)
{
	size_t mlen = strlen(CT_ESTIMATE_MARKER);

	for (const char *p = body; (p = strstr(p, CT_ESTIMATE_MARKER)) != NULL; p += mlen) {
		const char *ls = p;

		while (ls > body && ls[-1] != '\n')
			ls--;
		while (ls < p && (*ls == ' ' || *ls == '\t'))
			ls++;
		if (*ls != '>')
			return true;
	}
	return false;
}

/* s with every copy of secret replaced by "***" (new string). */
static char *scrub_dup(const char *s, const char *secret)
{
	size_t n = secret ? strlen(secret) : 0, k = 0;
	char *out = ct_xmalloc(strlen(s) * 3 + 1);

	while (*s) {
		if (n && !strncmp(s, secret, n)) {
			memcpy(out + k, "***", 3);
			k += 3;
			s += n;
		} else {
			out[k++] = *s++;
		}
	}
	out[k] = '\0';
	return out;
}

/* The same in place, in a buffer of size bytes (cut to fit). */
static void scrub(char *s, size_t size, const char *secret)
{
	char *t;

	if (!secret || !*secret || !strstr(s, secret))
		return;
	t = scrub_dup(s, secret);
	snprintf(s, size, "%s", t);
	free(t);
}

static void client_release(struct client *c)
{
	free(c->base);
	free(c->coll);
	free(c->where);
	free(c->auth);
}

static void client_init(struct client *c, const struct ct_comment_target *t)
{
	const char *b = t->api_url;
	size_t n;

	memset(c, 0, sizeof(*c));
	c->t = t;
	if (!b)
		b = t->forge == CT_COMMENT_GITHUB ? CT_COMMENT_GITHUB_API : CT_COMMENT_GITLAB_API;
	n = strlen(b);
	while (n > 0 && b[n - 1] == '/')
		n--;
	c->base = ct_xstrndup(b, n);
	if (t->forge == CT_COMMENT_GITHUB) {
		c->forge = "GitHub";
		c->coll = ct_xasprintf("%s/repos/%s/issues/%ld/comments", c->base, t->repo,
				       t->number);
		c->where = ct_xasprintf("pull request #%ld of %s", t->number, t->repo);
		c->auth = ct_xasprintf("Authorization: Bearer %s", t->token);
		c->hdrs[0] = c->auth;
		c->hdrs[1] = "Accept: application/vnd.github+json";
		c->hdrs[2] = "X-GitHub-Api-Version: 2022-11-28";
	} else {
		char *enc = ct_comment_encode(t->project);

		c->forge = "GitLab";
		c->coll = ct_xasprintf("%s/projects/%s/merge_requests/%ld/notes", c->base, enc,
				       t->number);
		c->where = ct_xasprintf("merge request !%ld of project %s", t->number, t->project);
		c->auth = ct_xasprintf("PRIVATE-TOKEN: %s", t->token);
		c->hdrs[0] = c->auth;
		c->hdrs[1] = "Accept: application/json";
		free(enc);
	}
}

static int api_call(struct client *c, const char *method, const char *url, const char *json,
		    struct ct_http_response *rs, struct ct_err *err)
{
	struct ct_http_request rq;

	memset(&rq, 0, sizeof(rq));
	rq.method = method;
	rq.url = url;
	rq.headers = c->hdrs;
	rq.body = json;
	rq.body_len = json ? strlen(json) : 0;
	rq.opts.max_body = PAGE_BYTES;
	return ct_http_send(&rq, rs, err);
}

/* The server's own words from an error body: GitHub {"message": ...},
 * GitLab {"message": ...} or {"error": ...}; "" when there are none. A
 * server may quote the request back: the token is scrubbed before the
 * words are cut short, so no part of it can remain. */
static void server_says(const struct ct_http_response *rs, const char *token, char *out,
			size_t outlen)
{
	json_t *doc = NULL, *m;
	char *dump = NULL, *clean = NULL;
	const char *s = NULL;
	size_t k = 0;

	out[0] = '\0';
	if (rs->body && rs->len)
		doc = json_loadb(rs->body, rs->len, 0, NULL);
	if (json_is_object(doc)) {
		m = json_object_get(doc, "message");
		if (!m)
			m = json_object_get(doc, "error");
		if (json_is_string(m))
			s = json_string_value(m);
		else if (m && (dump = json_dumps(m, JSON_COMPACT | JSON_SORT_KEYS)) != NULL)
			s = dump;
	}
	if (s)
		s = clean = scrub_dup(s, token);
	/* printable ASCII only, cut short */
	for (; s && *s && k + 4 < outlen && k < QUOTE_MAX; s++)
		out[k++] = (*s >= 0x20 && *s < 0x7f) ? *s : ' ';
	if (s && *s && k + 4 < outlen)
		out[k++] = '.', out[k++] = '.', out[k++] = '.';
	out[k] = '\0';
	free(clean);
	free(dump);
	json_decref(doc);
}

/* Put what was being done and what the status means in front of and
 * after http.c's message. */
static int explain(struct client *c, const char *doing, const struct ct_http_response *rs,
		   long long id, struct ct_err *err)
{
	char said[QUOTE_MAX + 8], hint[300] = "", *m;
	size_t n;
	bool github = c->t->forge == CT_COMMENT_GITHUB;

	if (err->code != CT_E_NET)
		return err->code;
	scrub(err->msg, sizeof(err->msg), c->t->token);
	server_says(rs, c->t->token, said, sizeof(said));
	if (strstr(err->msg, "rate limited"))
		; /* says it all */
	else if (rs->status == 401)
		snprintf(hint, sizeof(hint), "; check %s",
			 github ? "GITHUB_TOKEN" : "GITLAB_TOKEN");
	else if (rs->status == 403)
		snprintf(hint, sizeof(hint), "; the token may not %s comments on this %s",
			 id ? "edit" : "read or write", github ? "repository" : "project");
	else if (rs->status == 404 && id)
		snprintf(hint, sizeof(hint), "; %s %lld is gone", github ? "comment" : "note", id);
	else if (rs->status == 404)
		snprintf(hint, sizeof(hint), "; no %s, or the token cannot see it", c->where);
	else if ((rs->status == 400 || rs->status == 422) && strncmp(doing, "list", 4))
		snprintf(hint, sizeof(hint), "; %s refused the comment", c->forge);
	m = ct_xasprintf("cannot %s %s: %s%s%s%s%s%s%s", doing, c->where, err->msg, hint,
			 said[0] ? " (" : "", said[0] ? c->forge : "", said[0] ? " says: " : "",
			 said, said[0] ? ")" : "");
	n = strlen(m);
	if (n >= sizeof(err->msg))
		n = sizeof(err->msg) - 1;
	memcpy(err->msg, m, n);
	err->msg[n] = '\0';
	free(m);
	return err->code;
}

/* A CT_E_NET error about the answer from url. */
static int net_error(const char *url, struct ct_err *err, const char *fmt, ...) CT_PRINTF(3, 4);
static int net_error(const char *url, struct ct_err *err, const char *fmt, ...)
{
	char shown[512];
	va_list ap;

	ct_http_redact(url, shown, sizeof(shown));
	ct_err_set(err, CT_E_NET, shown, 0, "%s", "");
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return CT_E_NET;
}

/* Does a Link parameter list (";rel=next;...") have rel "next"? */
static bool rel_next(const char *p, const char *end)
{
	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *e = semi ? semi : end, *v;

		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if (e - p > 3 && !strncasecmp(p, "rel", 3)) {
			v = p + 3;
			while (v < e && *v == ' ')
				v++;
			if (v < e && *v == '=') {
				v++;
				/* a quoted list of relation types, or one token */
				while (v < e) {
					size_t n;

					while (v < e && (*v == ' ' || *v == '"'))
						v++;
					n = strcspn(v, " \";,");
					if (v + n > e)
						n = (size_t)(e - v);
					if (n == 4 && !strncasecmp(v, "next", 4))
						return true;
					if (!n)
						break;
					v += n;
				}
			}
		}
		p = semi ? semi + 1 : end;
	}
	return false;
}

/* The rel="next" target of a Link header (new), or NULL. */
static char *link_next(const char *v)
{
	while (v && *v) {
		const char *lt = strchr(v, '<'), *gt, *end;

		if (!lt || !(gt = strchr(lt, '>')))
			return NULL;
		end = strchr(gt, ',');
		if (!end)
			end = gt + strlen(gt);
		if (rel_next(gt + 1, end))
			return ct_xstrndup(lt + 1, (size_t)(gt - lt - 1));
		v = end;
	}
	return NULL;
}

/* The URL of page page of the comments. */
static char *page_url(const struct client *c, long page)
{
	if (c->t->forge == CT_COMMENT_GITHUB)
		return ct_xasprintf("%s?per_page=100&page=%ld", c->coll, page);
	return ct_xasprintf("%s?sort=asc&order_by=created_at&per_page=100&page=%ld", c->coll, page);
}

/* The next page after url (new), NULL at the end; CT_E_NET in *rc for a
 * link to another host or a page that does not advance. */
static char *next_page(const struct client *c, const char *url, long page,
		       const struct ct_http_response *rs, int *rc, struct ct_err *err)
{
	const char *xn = ct_http_response_header(rs, "X-Next-Page");
	const char *link = ct_http_response_header(rs, "Link");
	char *next = NULL, shown[512];

	*rc = CT_OK;
	if (c->t->forge == CT_COMMENT_GITLAB && xn) {
		char *end;
		long n;

		if (!*xn)
			return NULL;
		errno = 0;
		n = strtol(xn, &end, 10);
		if (errno || *end || n <= page) {
			*rc = net_error(
				url, err,
				"unexpected answer: X-Next-Page does not name a later page");
			return NULL;
		}
		return page_url(c, n);
	}
	next = link ? link_next(link) : NULL;
	if (!next)
		return NULL;
	if (!ct_http_same_origin(c->base, next)) {
		ct_http_redact(next, shown, sizeof(shown));
		free(next);
		*rc = net_error(url, err,
				"the next page of comments is on another host (%s); the token is "
				"not sent there",
				shown);
		return NULL;
	}
	if (!strcmp(next, url)) {
		free(next);
		*rc = net_error(url, err,
				"unexpected answer: the next page link points to the same page");
		return NULL;
	}
	return next;
}

/* The newest comment holding the marker: its ID in *found (0: none). */
static int find_marked(struct client *c, long long *found, size_t *scanned, struct ct_err *err)
{
	char *url = page_url(c, 1), *next = NULL;
	struct ct_http_response rs = {0};
	json_t *doc = NULL;
	int rc = CT_OK;

	*found = 0;
	*scanned = 0;
	for (long page = 1; url; page++) {
		size_t i;
		json_t *it;

		if (page > CT_COMMENT_PAGES_MAX) {
			rc = net_error(url, err,
				       "more than %d pages of comments on %s; use --behavior new",
				       CT_COMMENT_PAGES_MAX, c->where);
			goto out;
		}
		ct_http_response_release(&rs);
		rc = api_call(c, "GET", url, NULL, &rs, err);
		if (rc != CT_OK) {
			rc = explain(c, "list the comments of", &rs, 0, err);
			goto out;
		}
		doc = json_loadb(rs.body, rs.len, 0, NULL);
		if (!json_is_array(doc)) {
			rc = net_error(url, err, "unexpected answer: not a JSON array of comments");
			goto out;
		}
		json_array_foreach(doc, i, it)
		{
			json_t *id = json_object_get(it, "id");
			json_t *body = json_object_get(it, "body");

			if (!json_is_object(it) || !json_is_integer(id) ||
			    json_integer_value(id) <= 0) {
				rc = net_error(
					url, err,
					"unexpected answer: a comment without a numeric \"id\"");
				goto out;
			}
			(*scanned)++;
			if (json_is_true(json_object_get(it, "system")))
				continue; /* GitLab's "added 1 commit" notes */
			if (json_is_string(body) && ct_comment_is_marked(json_string_value(body)))
				*found = (long long)json_integer_value(id);
		}
		json_decref(doc);
		doc = NULL;
		next = next_page(c, url, page, &rs, &rc, err);
		if (rc != CT_OK)
			goto out;
		free(url);
		url = next;
		next = NULL;
	}
out:
	json_decref(doc);
	ct_http_response_release(&rs);
	free(url);
	return rc;
}

/* Characters of UTF-8 text. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static char *web_url(const struct client *c, long long id, json_t *answer)
{
	json_t *u = json_object_get(answer, "html_url");
	size_t n = strlen(c->base);

	if (json_is_string(u))
		return ct_xstrdup(json_string_value(u));
	/* GitLab notes carry no address: made from a path and an /api/v4 base */
	if (c->t->forge == CT_COMMENT_GITLAB && !all_digits(c->t->project) && n > 7 &&
	    !strcmp(c->base + n - 7, "/api/v4"))
		return ct_xasprintf("%.*s/%s/-/merge_requests/%ld#note_%lld", (int)(n - 7), c->base,
				    c->t->project, c->t->number, id);
	return NULL;
}

int ct_comment_post(const struct ct_comment_target *t, enum ct_comment_behavior b, const char *body,
		    struct ct_comment_result *res, struct ct_err *err)
{
	struct client c;
	struct ct_http_response rs = {0};
	json_t *req = NULL, *str, *ans = NULL, *id;
	char *json = NULL, *url = NULL;
	long long found = 0;
	size_t chars, max;
	struct ct_err local;
	int rc;

	memset(res, 0, sizeof(*res));
	if (!err) {
		ct_err_init(&local);
		err = &local;
	}
	rc = ct_comment_check(t, err);
	if (rc != CT_OK)
		return rc;
	client_init(&c, t);
	max = t->forge == CT_COMMENT_GITHUB ? CT_COMMENT_GITHUB_MAX : CT_COMMENT_GITLAB_MAX;
	chars = utf8_chars(body);
	str = json_string(body);
	if (!str) {
		rc = ct_err_set(err, CT_E_INPUT, NULL, 0, "the comment body is not UTF-8 text");
		goto out;
	}
	if (!chars || chars > max) {
		json_decref(str);
		rc = ct_err_set(err, CT_E_INPUT, NULL, 0,
				"the comment body is %zu characters; %s takes 1 to %zu", chars,
				c.forge, max);
		goto out;
	}
	req = json_object();
	json_object_set_new(req, "body", str);
	json = json_dumps(req, JSON_COMPACT | JSON_SORT_KEYS);
	if (!json)
		ct_die("out of memory");

	if (b == CT_COMMENT_UPDATE) {
		rc = find_marked(&c, &found, &res->scanned, err);
		if (rc != CT_OK)
			goto out;
	}
	if (found) {
		if (t->forge == CT_COMMENT_GITHUB)
			url = ct_xasprintf("%s/repos/%s/issues/comments/%lld", c.base, t->repo,
					   found);
		else
			url = ct_xasprintf("%s/%lld", c.coll, found);
		rc = api_call(&c, t->forge == CT_COMMENT_GITHUB ? "PATCH" : "PUT", url, json, &rs,
			      err);
		if (rc != CT_OK) {
			rc = explain(&c, "edit the comment on", &rs, found, err);
			goto out;
		}
	} else {
		url = ct_xstrdup(c.coll);
		rc = api_call(&c, "POST", url, json, &rs, err);
		if (rc != CT_OK) {
			rc = explain(&c, "comment on", &rs, 0, err);
			goto out;
		}
	}
	ans = json_loadb(rs.body, rs.len, 0, NULL);
	id = json_object_get(ans, "id");
	if (!json_is_object(ans) || !json_is_integer(id) || json_integer_value(id) <= 0) {
		rc = net_error(url, err,
			       "unexpected answer: the saved comment has no numeric \"id\"");
		goto out;
	}
	if (found && json_integer_value(id) != found) {
		rc = net_error(url, err,
			       "unexpected answer: the edited comment has another \"id\"");
		goto out;
	}
	res->id = (long long)json_integer_value(id);
	res->url = web_url(&c, res->id, ans);
	res->updated = found != 0;
out:
	if (rc != CT_OK) {
		scrub(err->msg, sizeof(err->msg), t->token);
		scrub(err->source, sizeof(err->source), t->token);
	}
	json_decref(ans);
	json_decref(req);
	free(json);
	free(url);
	ct_http_response_release(&rs);
	client_release(&c);
	return rc;
}

void ct_comment_result_release(struct ct_comment_result *res)
{
	if (!res)
		return;
	free(res->url);
	memset(res, 0, sizeof(*res));
}
