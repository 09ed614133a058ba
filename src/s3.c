/*
 * s3.c - s3:// sources (see s3.h): credentials, ListObjectsV2 and its
 * XML, the object cache and the temporary mirror of a prefix.
 *
 * Depends on http.h (the signed requests) and sha256.h. Never prints,
 * never calls libcurl itself, never writes a credential anywhere.
 */
#include "ct.h"
#include "s3.h"
#include "http.h"
#include "sha256.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#define INI_LINE_MAX 4096

static void wipe_free(char *s)
{
	if (!s)
		return;
	for (volatile char *p = s; *p; p++)
		*p = 0;
	free(s);
}

void ct_s3_creds_release(struct ct_s3_creds *c)
{
	if (!c)
		return;
	wipe_free(c->access_key);
	wipe_free(c->secret_key);
	wipe_free(c->session_token);
	free(c->region);
	memset(c, 0, sizeof(*c));
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/* Read the keys of [section] of an INI file (AWS style) into vals
 * (new strings). Missing files are not an error. */
static void ini_read(const char *path, const char *section, const char *const *keys, char **vals,
		     size_t nkeys)
{
	FILE *f;
	char line[INI_LINE_MAX];
	bool in = false;

	if (!path || !(f = fopen(path, "r")))
		return;
	while (fgets(line, sizeof(line), f)) {
		char *s = trim(line), *eq;

		if (!*s || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *e = strchr(s, ']');

			if (e) {
				*e = '\0';
				in = !strcmp(trim(s + 1), section);
			}
			continue;
		}
		if (!in || !(eq = strchr(s, '=')))
			continue;
		*eq = '\0';
		s = trim(s);
		for (size_t i = 0; i < nkeys; i++)
			if (!strcmp(s, keys[i]) && !vals[i])
				vals[i] = ct_xstrdup(trim(eq + 1));
	}
	/* the buffer held a secret */
	for (volatile char *p = line; p < line + sizeof(line); p++)
		*p = 0;
	fclose(f);
}

static char *home_file(const char *env, const char *rel)
{
	const char *v = getenv(env), *home = getenv("HOME");

	if (v && *v)
		return ct_xstrdup(v);
	if (!home || !*home)
		return NULL;
	return ct_xasprintf("%s/%s", home, rel);
}

int ct_s3_creds_load(struct ct_s3_creds *c, struct ct_err *err)
{
	static const char *const ckeys[] = {"aws_access_key_id", "aws_secret_access_key",
					    "aws_session_token"};
	static const char *const rkeys[] = {"region"};
	const char *ak = getenv("AWS_ACCESS_KEY_ID"), *sk = getenv("AWS_SECRET_ACCESS_KEY");
	const char *tok = getenv("AWS_SESSION_TOKEN"), *reg = getenv("AWS_REGION");
	const char *profile = getenv("AWS_PROFILE");
	char *cred = NULL, *conf = NULL, *vals[3] = {NULL, NULL, NULL}, *region = NULL;
	char *sect;
	int rc = CT_OK;

	memset(c, 0, sizeof(*c));
	if (!profile || !*profile)
		profile = "default";
	if (ak && *ak && sk && *sk) {
		c->access_key = ct_xstrdup(ak);
		c->secret_key = ct_xstrdup(sk);
		c->session_token = tok && *tok ? ct_xstrdup(tok) : NULL;
	} else {
		cred = home_file("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials");
		ini_read(cred, profile, ckeys, vals, 3);
		if (!vals[0] || !*vals[0] || !vals[1] || !*vals[1]) {
			rc = ct_err_set(err, CT_E_USAGE, NULL, 0,
					"no AWS credentials for s3:// sources: set "
					"AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give "
					"profile '%.64s' keys in %.200s",
					profile, cred ? cred : "~/.aws/credentials");
			goto out;
		}
		c->access_key = vals[0];
		c->secret_key = vals[1];
		c->session_token = vals[2] && *vals[2] ? vals[2] : NULL;
		if (!c->session_token)
			wipe_free(vals[2]);
		vals[0] = vals[1] = vals[2] = NULL;
	}
	if (!reg || !*reg)
		reg = getenv("AWS_DEFAULT_REGION");
	if (!reg || !*reg) {
		conf = home_file("AWS_CONFIG_FILE", ".aws/config");
		sect = strcmp(profile, "default") ? ct_xasprintf("profile %s", profile)
						  : ct_xstrdup("default");
		ini_read(conf, sect, rkeys, &region, 1);
		free(sect);
		reg = region && *region ? region : "us-east-1";
	}
	/* the region goes into the host name: anything but a region name
	 * ("x@evil.example#") could send the signed request elsewhere */
	if (strlen(reg) > 32 || strspn(reg, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(reg)) {
		rc = ct_err_set(err, CT_E_USAGE, NULL, 0,
				"the AWS region '%.40s' is not a region name (lower-case "
				"letters, digits and '-')", reg);
		goto out;
	}
	c->region = ct_xstrdup(reg);
out:
	for (size_t i = 0; i < 3; i++)
		wipe_free(vals[i]);
	free(region);
	free(cred);
	free(conf);
	if (rc != CT_OK)
		ct_s3_creds_release(c);
	return rc;
}

int ct_s3_parse_url(const char *src, char **bucket, char **prefix, struct ct_err *err)
{
	const char *b, *slash;
	size_t bl;

	*bucket = *prefix = NULL;
	if (strncmp(src, "s3://", 5))
		return ct_err_set(err, CT_E_USAGE, src, 0, "not an s3:// URL");
	b = src + 5;
	slash = strchr(b, '/');
	bl = slash ? (size_t)(slash - b) : strlen(b);
	if (bl < 1 || bl > 255)
		return ct_err_set(err, CT_E_USAGE, src, 0, "s3:// URL without a bucket name");
	for (size_t i = 0; i < bl; i++) {
		char ch = b[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_'))
			return ct_err_set(err, CT_E_USAGE, src, 0,
					  "bad bucket name in s3:// URL (letters, digits, "
					  "'-', '.', '_')");
	}
	if (slash && strlen(slash + 1) > CT_S3_KEY_MAX)
		return ct_err_set(err, CT_E_USAGE, src, 0, "s3:// key longer than %d bytes",
				  CT_S3_KEY_MAX);
	*bucket = ct_xasprintf("%.*s", (int)bl, b);
	*prefix = ct_xstrdup(slash ? slash + 1 : "");
	return CT_OK;
}

void ct_s3_listing_release(struct ct_s3_listing *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].etag);
	}
	free(l->v);
	free(l->next);
	memset(l, 0, sizeof(*l));
}

/* Find <name> ... </name> in [p, end): returns the start of the content
 * and sets *clen, or NULL. Elements are matched by exact name. */
static const char *element(const char *p, const char *end, const char *name, size_t *clen,
			   const char **after)
{
	size_t nl = strlen(name);

	while (p < end) {
		const char *lt = memchr(p, '<', (size_t)(end - p));
		const char *c, *q;

		if (!lt)
			return NULL;
		if ((size_t)(end - lt) > nl + 1 && !memcmp(lt + 1, name, nl) &&
		    (lt[nl + 1] == '>' || lt[nl + 1] == ' ')) {
			c = memchr(lt, '>', (size_t)(end - lt));
			if (!c)
				return NULL;
			if (c[-1] == '/') { /* <name/>: empty */
				*clen = 0;
				*after = c + 1;
				return c + 1;
			}
			c++;
			for (q = c; q < end; q++) {
				q = memchr(q, '<', (size_t)(end - q));
				if (!q)
					return NULL;
				if ((size_t)(end - q) >= nl + 3 && q[1] == '/' &&
				    !memcmp(q + 2, name, nl) && q[nl + 2] == '>') {
					*clen = (size_t)(q - c);
					*after = q + nl + 3;
					return c;
				}
			}
			return NULL;
		}
		p = lt + 1;
	}
	return NULL;
}

/* Unescape XML text into a new string; NULL when malformed or when it
 * holds a NUL or another control character than tab. */
static char *unescape(const char *p, size_t n)
{
	char *out = ct_xmalloc(n * 4 + 1), *o = out;
	const char *end = p + n;

	while (p < end) {
		unsigned long cp;

		if (*p != '&') {
			*o++ = *p++;
			continue;
		}
		const char *semi = memchr(p, ';', (size_t)(end - p) < 12 ? (size_t)(end - p) : 12);
		if (!semi)
			goto bad;
		size_t el = (size_t)(semi - p - 1);
		const char *e = p + 1;
		if (el == 3 && !memcmp(e, "amp", 3))
			cp = '&';
		else if (el == 2 && !memcmp(e, "lt", 2))
			cp = '<';
		else if (el == 2 && !memcmp(e, "gt", 2))
			cp = '>';
		else if (el == 4 && !memcmp(e, "quot", 4))
			cp = '"';
		else if (el == 4 && !memcmp(e, "apos", 4))
			cp = '\'';
		else if (el >= 2 && e[0] == '#') {
			char *stop;
			char num[12];

			memcpy(num, e + 1, el - 1);
			num[el - 1] = '\0';
			if (num[0] == 'x' || num[0] == 'X')
				cp = strtoul(num + 1, &stop, 16);
			else
				cp = strtoul(num, &stop, 10);
			if (*stop || stop == num || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
				goto bad;
		} else {
			goto bad;
		}
		if (cp < 0x80) {
			*o++ = (char)cp;
		} else if (cp < 0x800) {
			*o++ = (char)(0xc0 | (cp >> 6));
			*o++ = (char)(0x80 | (cp & 0x3f));
		} else if (cp < 0x10000) {
			*o++ = (char)(0xe0 | (cp >> 12));
			*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
			*o++ = (char)(0x80 | (cp & 0x3f));
		} else {
			*o++ = (char)(0xf0 | (cp >> 18));
			*o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
			*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
			*o++ = (char)(0x80 | (cp & 0x3f));
		}
		p = semi + 1;
	}
	*o = '\0';
	for (const char *q = out; q < o; q++)
		if ((unsigned char)*q < 0x20 && *q != '\t')
			goto bad;
	return out;
bad:
	free(out);
	return NULL;
}

int ct_s3_parse_listing(const char *xml, size_t len, const char *shown, struct ct_s3_listing *out,
			struct ct_err *err)
{
	const char *end = xml + len, *p, *c, *after;
	size_t cl;

	if (!element(xml, end, "ListBucketResult", &cl, &after))
		return ct_err_set(err, CT_E_NET, shown, 0,
				  "the answer is not a ListObjectsV2 listing");
	free(out->next);
	out->next = NULL;
	out->truncated = false;
	/* IsTruncated and the token come outside the Contents elements */
	p = xml;
	while ((c = element(p, end, "Contents", &cl, &after))) {
		const char *ce = c + cl, *v, *a2;
		size_t vl;
		struct ct_s3_object o = {NULL, NULL, 0};

		p = after;
		v = element(c, ce, "Key", &vl, &a2);
		if (!v || vl == 0 || vl > CT_S3_KEY_MAX * 6)
			return ct_err_set(err, CT_E_NET, shown, 0,
					  "listing: an object without a usable Key");
		o.key = unescape(v, vl);
		if (!o.key || strlen(o.key) > CT_S3_KEY_MAX) {
			free(o.key);
			return ct_err_set(err, CT_E_NET, shown, 0,
					  "listing: a malformed or over-long Key");
		}
		v = element(c, ce, "ETag", &vl, &a2);
		o.etag = v && vl <= 1024 ? unescape(v, vl) : ct_xstrdup("");
		if (!o.etag)
			o.etag = ct_xstrdup("");
		v = element(c, ce, "Size", &vl, &a2);
		for (size_t i = 0; v && i < vl && i < 20; i++) {
			if (v[i] < '0' || v[i] > '9')
				break;
			o.size = o.size * 10 + (uint64_t)(v[i] - '0');
		}
		if (out->n >= CT_S3_OBJECTS_MAX) {
			free(o.key);
			free(o.etag);
			return ct_err_set(err, CT_E_NET, shown, 0, "listing: more than %d objects",
					  CT_S3_OBJECTS_MAX);
		}
		CT_GROW(out->v, out->n + 1, out->cap);
		out->v[out->n++] = o;
	}
	/* the flag and token outside Contents: search after the last one */
	{
		const char *v, *a2;
		size_t vl;

		v = element(p, end, "IsTruncated", &vl, &a2);
		if (!v)
			v = element(xml, end, "IsTruncated", &vl, &a2);
		out->truncated = v && vl == 4 && !memcmp(v, "true", 4);
		v = element(xml, end, "NextContinuationToken", &vl, &a2);
		if (v && vl > 0 && vl <= 4096)
			out->next = unescape(v, vl);
		if (out->truncated && (!out->next || !*out->next))
			return ct_err_set(err, CT_E_NET, shown, 0,
					  "listing: truncated without a NextContinuationToken");
	}
	return CT_OK;
}

/* Percent-encode s the way S3 signs it: unreserved characters as they
 * are, '/' too when keep_slash. */
static void uri_encode(char **buf, size_t *len, size_t *cap, const char *s, bool keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		CT_GROW(*buf, *len + 4, *cap);
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.' || ch == '~' ||
		    (keep_slash && ch == '/')) {
			(*buf)[(*len)++] = (char)ch;
		} else {
			(*buf)[(*len)++] = '%';
			(*buf)[(*len)++] = hex[ch >> 4];
			(*buf)[(*len)++] = hex[ch & 15];
		}
		(*buf)[*len] = '\0';
	}
}

static void append(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s);

	CT_GROW(*buf, *len + n + 1, *cap);
	memcpy(*buf + *len, s, n + 1);
	*len += n;
}

/* The URL of the bucket (with a trailing '/' for a key to follow). */
static char *bucket_url(const char *endpoint, const char *region, const char *bucket)
{
	size_t el;

	if (endpoint) {
		el = strlen(endpoint);
		while (el > 0 && endpoint[el - 1] == '/')
			el--;
		return ct_xasprintf("%.*s/%s/", (int)el, endpoint, bucket);
	}
	if (strchr(bucket, '.')) /* virtual hosts break TLS names with dots */
		return ct_xasprintf("https://s3.%s.amazonaws.com/%s/", region, bucket);
	return ct_xasprintf("https://%s.s3.%s.amazonaws.com/", bucket, region);
}

/* ListObjectsV2 of prefix, every page. */
static int list_all(const char *base, const char *src, const struct ct_http_aws *aws,
		    const char *prefix, struct ct_s3_listing *out, struct ct_err *err)
{
	struct ct_http_opts o = {.max_body = CT_S3_LIST_MAX};
	char *url = NULL, *body = NULL, shown[512];
	size_t len, ul, uc, pages = 0;
	int rc = CT_OK;

	ct_http_redact(src, shown, sizeof(shown));
	do {
		url = NULL;
		ul = uc = 0;
		/* the query names in sorted order, as SigV4 signs them */
		append(&url, &ul, &uc, base);
		append(&url, &ul, &uc, "?");
		if (out->next) {
			append(&url, &ul, &uc, "continuation-token=");
			uri_encode(&url, &ul, &uc, out->next, false);
			append(&url, &ul, &uc, "&");
		}
		append(&url, &ul, &uc, "list-type=2&prefix=");
		uri_encode(&url, &ul, &uc, prefix, false);
		rc = ct_http_s3_get(url, aws, &o, NULL, &body, &len, err);
		if (rc == CT_OK)
			rc = ct_s3_parse_listing(body, len, shown, out, err);
		if (rc != CT_OK && err && !strncmp(err->source, "http", 4))
			snprintf(err->source, sizeof(err->source), "%s", shown);
		free(body);
		body = NULL;
		free(url);
		if (rc == CT_OK && ++pages > 100000)
			rc = ct_err_set(err, CT_E_NET, shown, 0, "listing: more than 100000 pages");
	} while (rc == CT_OK && out->truncated);
	return rc;
}

static bool wanted_name(const char *key)
{
	const char *b = strrchr(key, '/');
	size_t n;

	b = b ? b + 1 : key;
	n = strlen(b);
	if (b[0] == '.')
		return false;
	return (n > 4 && !strcmp(b + n - 4, ".csv")) || (n > 7 && !strcmp(b + n - 7, ".csv.gz")) ||
	       (n > 5 && !strcmp(b + n - 5, ".json")) || (n > 8 && !strcmp(b + n - 8, ".json.gz"));
}

/* Can key be a relative path under the mirror folder? */
static bool safe_key(const char *key)
{
	const char *s = key;

	if (!*key || *key == '/')
		return false;
	while (*s) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);

		if (n == 0 || n > 255 || (n == 1 && s[0] == '.') ||
		    (n == 2 && s[0] == '.' && s[1] == '.'))
			return false;
		if (!e)
			break;
		s = e + 1;
		if (!*s)
			return false; /* a "folder" marker */
	}
	return true;
}

/* mkdir -p of the folder part of path (its last component excluded). */
static int make_parents(const char *path, struct ct_err *err)
{
	char *p = ct_xstrdup(path);
	int rc = CT_OK;

	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST) {
			rc = ct_err_set(err, CT_E_IO, p, 0, "cannot create folder: %s",
					strerror(errno));
			break;
		}
		*s = '/';
	}
	free(p);
	return rc;
}

/* The cache folder of (endpoint, bucket), made if need be; NULL when
 * there is none. */
static char *cache_dir(const char *base)
{
	const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	unsigned char d[CT_SHA256_LEN];
	char hex[CT_SHA256_HEX], *dir;

	if (x && *x)
		dir = ct_xasprintf("%s/cloudtally/s3/", x);
	else if (home && *home)
		dir = ct_xasprintf("%s/.cache/cloudtally/s3/", home);
	else
		return NULL;
	ct_sha256(base, strlen(base), d);
	ct_sha256_hex(d, hex);
	char *full = ct_xasprintf("%s%.32s/", dir, hex);
	free(dir);
	if (make_parents(full, NULL) != CT_OK) {
		free(full);
		return NULL;
	}
	return full;
}

static char *read_small(const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[1100];
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return ct_xstrdup(buf);
}

static int copy_file(const char *from, const char *to, struct ct_err *err)
{
	FILE *in = fopen(from, "rb"), *out = NULL;
	char buf[65536];
	size_t n;
	int rc = CT_OK;

	if (!in)
		return ct_err_set(err, CT_E_IO, from, 0, "cannot read: %s", strerror(errno));
	out = fopen(to, "wb");
	if (!out) {
		rc = ct_err_set(err, CT_E_IO, to, 0, "cannot create: %s", strerror(errno));
		goto out;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n) {
			rc = ct_err_set(err, CT_E_IO, to, 0, "cannot write: %s", strerror(errno));
			break;
		}
	if (ferror(in) && rc == CT_OK)
		rc = ct_err_set(err, CT_E_IO, from, 0, "cannot read: %s", strerror(errno));
out:
	fclose(in);
	if (out && fclose(out) != 0 && rc == CT_OK)
		rc = ct_err_set(err, CT_E_IO, to, 0, "cannot write: %s", strerror(errno));
	return rc;
}

/* One object into the mirror at dest, through the cache when there is one. */
static int get_object(const char *base, const char *bucket, const char *cache,
		      const struct ct_http_aws *aws, const struct ct_http_opts *o,
		      const struct ct_s3_object *ob, const char *dest, struct ct_s3_stats *st,
		      struct ct_err *err)
{
	char *url = NULL, *body = NULL, *etagf = NULL, *tmp = NULL, *have = NULL;
	size_t ul = 0, uc = 0;
	unsigned char d[CT_SHA256_LEN];
	char hex[CT_SHA256_HEX];
	struct stat sb;
	int rc = CT_OK;
	FILE *f;

	append(&url, &ul, &uc, base);
	uri_encode(&url, &ul, &uc, ob->key, true);
	if (!cache) {
		rc = ct_http_s3_get(url, aws, o, dest, NULL, NULL, err);
		if (rc == CT_OK)
			st->fetched++;
		goto out;
	}
	ct_sha256(ob->key, strlen(ob->key), d);
	ct_sha256_hex(d, hex);
	body = ct_xasprintf("%s%s.body", cache, hex);
	etagf = ct_xasprintf("%s%s.etag", cache, hex);
	have = read_small(etagf);
	/* a body is renamed into place only when whole, so its ETag says it
	 * all (its size may differ: libcurl decodes a Content-Encoding) */
	if (!have || !*ob->etag || strcmp(have, ob->etag) || stat(body, &sb) != 0) {
		tmp = ct_xasprintf("%s%s.%ld.part", cache, hex, (long)getpid());
		unlink(etagf);
		rc = ct_http_s3_get(url, aws, o, tmp, NULL, NULL, err);
		if (rc != CT_OK)
			goto out;
		if (rename(tmp, body) != 0) {
			rc = ct_err_set(err, CT_E_IO, body, 0, "cannot rename: %s",
					strerror(errno));
			unlink(tmp);
			goto out;
		}
		f = fopen(etagf, "w");
		if (f) { /* without it the object is fetched again next time */
			fputs(ob->etag, f);
			if (fclose(f) != 0)
				unlink(etagf);
		}
		st->fetched++;
	} else {
		st->cached++;
	}
	if (link(body, dest) != 0)
		rc = copy_file(body, dest, err);
out:
	if (rc != CT_OK && err && !strncmp(err->source, "http", 4)) {
		char s3u[600];

		snprintf(s3u, sizeof(s3u), "s3://%s/%s", bucket, ob->key);
		ct_http_redact(s3u, err->source, sizeof(err->source));
	}
	free(url);
	free(body);
	free(etagf);
	free(tmp);
	free(have);
	return rc;
}

void ct_s3_remove_tree(const char *dir)
{
	DIR *d;
	struct dirent *e;
	struct stat sb;

	if (!dir)
		return;
	d = opendir(dir);
	if (d) {
		while ((e = readdir(d))) {
			char *p;

			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			p = ct_xasprintf("%s/%s", dir, e->d_name);
			if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
				ct_s3_remove_tree(p);
			else
				unlink(p);
			free(p);
		}
		closedir(d);
	}
	rmdir(dir);
}

int ct_s3_fetch(const char *src, const char *endpoint, const struct ct_http_opts *o, char **dir,
		char **root, struct ct_s3_stats *stats, struct ct_err *err)
{
	struct ct_s3_creds cr = {0};
	struct ct_s3_listing l = {0};
	struct ct_http_aws aws;
	char *bucket = NULL, *prefix = NULL, *base = NULL, *cache = NULL, *tmp = NULL;
	char *folder = NULL, *dest = NULL, *id = NULL;
	const char *tdir = getenv("TMPDIR");
	const struct ct_s3_object *single = NULL;
	size_t pl;
	int rc;

	*dir = *root = NULL;
	memset(stats, 0, sizeof(*stats));
	rc = ct_s3_parse_url(src, &bucket, &prefix, err);
	if (rc != CT_OK)
		goto out;
	if (endpoint && strncmp(endpoint, "http://", 7) && strncmp(endpoint, "https://", 8)) {
		rc = ct_err_set(err, CT_E_USAGE, NULL, 0,
				"--endpoint-url wants an http:// or https:// URL");
		goto out;
	}
	rc = ct_s3_creds_load(&cr, err);
	if (rc != CT_OK)
		goto out;
	aws.region = cr.region;
	aws.access_key = cr.access_key;
	aws.secret_key = cr.secret_key;
	aws.session_token = cr.session_token;
	base = bucket_url(endpoint, cr.region, bucket);
	rc = list_all(base, src, &aws, prefix, &l, err);
	if (rc != CT_OK)
		goto out;
	for (size_t i = 0; i < l.n; i++)
		if (*prefix && !strcmp(l.v[i].key, prefix) && prefix[strlen(prefix) - 1] != '/')
			single = &l.v[i];
	/* a prefix is a folder: "a/b" lists a/b/..., not a/bc */
	pl = strlen(prefix);
	folder = pl && prefix[pl - 1] != '/' ? ct_xasprintf("%s/", prefix) : ct_xstrdup(prefix);
	id = ct_xasprintf("%s\n%s", base, bucket);
	cache = cache_dir(id);
	tmp = ct_xasprintf("%s/cloudtally-s3-XXXXXX", tdir && *tdir ? tdir : "/tmp");
	if (!mkdtemp(tmp)) {
		rc = ct_err_set(err, CT_E_IO, tmp, 0, "cannot create a temporary folder: %s",
				strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	for (size_t i = 0; i < l.n && rc == CT_OK; i++) {
		const struct ct_s3_object *ob = &l.v[i];

		if (single ? ob != single
			   : strncmp(ob->key, folder, strlen(folder)) || !wanted_name(ob->key))
			continue;
		if (!safe_key(ob->key)) {
			stats->skipped++;
			continue;
		}
		stats->listed++;
		free(dest);
		dest = ct_xasprintf("%s/%s", tmp, ob->key);
		rc = make_parents(dest, err);
		if (rc == CT_OK)
			rc = get_object(base, bucket, cache, &aws, o, ob, dest, stats, err);
	}
	if (rc != CT_OK)
		goto out;
	if (!stats->listed) {
		rc = ct_err_set(err, CT_E_INPUT, src, 0,
				"no object%s found (.csv, .csv.gz, .json or .json.gz)",
				*prefix ? " under this prefix" : " in this bucket");
		goto out;
	}
	if (single) {
		*root = ct_xasprintf("%s/%s", tmp, single->key);
	} else {
		size_t fl = strlen(folder);

		*root = ct_xasprintf("%s/%.*s", tmp, (int)(fl ? fl - 1 : 0), folder);
		if (!fl)
			(*root)[strlen(*root) - 1] = '\0';
	}
	*dir = tmp;
	tmp = NULL;
out:
	if (tmp)
		ct_s3_remove_tree(tmp);
	free(tmp);
	free(dest);
	free(id);
	free(folder);
	free(cache);
	free(base);
	free(bucket);
	free(prefix);
	ct_s3_listing_release(&l);
	ct_s3_creds_release(&cr);
	return rc;
}
