/*
 * tags.c - tag sets of billing lines (see tags.h).
 *
 * Depends on nothing but libc. The readers are one small lexer for the
 * union of JSON and Python repr that provider exports use for tags: both
 * quote styles, JSON and Python escapes, true/false/null and
 * True/False/None. Numbers become string values (tag values are strings
 * in every provider; the store keeps text). The writer escapes what JSON
 * needs and turns bytes that are not UTF-8 into U+FFFD, so a stray
 * Latin-1 byte in a tag value costs that character, not the whole file.
 * Limits: a tag text over CT_TAGS_MAX_TEXT, or nesting in a value, is
 * bad input.
 */
#include "ct.h"
#include "tags.h"

void ct_tags_init(struct ct_tags *t)
{
	memset(t, 0, sizeof(*t));
}

void ct_tags_release(struct ct_tags *t)
{
	free(t->buf);
	free(t->keys);
	free(t->kend);
	free(t->tmp);
	ct_tags_init(t);
}

void ct_tags_reset(struct ct_tags *t)
{
	t->len = 0;
	t->klen = 0;
	t->n = 0;
}

/* ---- writing ----------------------------------------------------------- */

static void put(struct ct_tags *t, const char *s, size_t n)
{
	CT_GROW(t->buf, t->len + n + 1, t->cap);
	memcpy(t->buf + t->len, s, n);
	t->len += n;
}

/* Length of the valid UTF-8 sequence at s (1..4), 0 when it is not one. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t k;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		k = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		k = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		k = 4, cp = c & 0x07;
	else
		return 0;
	if (n < k)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((k == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (k == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return k;
}

/* Write s as a JSON string. */
static void put_string(struct ct_tags *t, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0;

	put(t, "\"", 1);
	while (i < n) {
		size_t k;
		char esc[8];
		if (u[i] >= 0x20 && u[i] < 0x80 && u[i] != '"' && u[i] != '\\') {
			run = i;
			while (i < n && u[i] >= 0x20 && u[i] < 0x80 && u[i] != '"' &&
			       u[i] != '\\')
				i++;
			put(t, s + run, i - run);
			continue;
		}
		if (u[i] == '"' || u[i] == '\\') {
			esc[0] = '\\';
			esc[1] = (char)u[i];
			put(t, esc, 2);
			i++;
		} else if (u[i] < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", u[i]);
			put(t, esc, 6);
			i++;
		} else if ((k = utf8_len(u + i, n - i)) != 0) {
			put(t, s + i, k);
			i += k;
		} else {
			put(t, "\xef\xbf\xbd", 3); /* U+FFFD */
			i++;
		}
	}
	put(t, "\"", 1);
}

static bool have_key(const struct ct_tags *t, const char *k, size_t klen)
{
	size_t start = 0;

	for (size_t i = 0; i < t->n; start = t->kend[i++])
		if (t->kend[i] - start == klen && !memcmp(t->keys + start, k, klen))
			return true;
	return false;
}

static void strip_user(const char **k, size_t *klen, unsigned flags)
{
	if ((flags & CT_TAGS_STRIP_USER) && *klen > 5 &&
	    (!memcmp(*k, "user:", 5) || !memcmp(*k, "user_", 5))) {
		*k += 5;
		*klen -= 5;
	}
}

/* Add a pair whose value is JSON text already (true, false) or, with
 * raw false, a string to escape. */
static void add_pair(struct ct_tags *t, const char *k, size_t klen,
		     const char *v, size_t vlen, bool raw, unsigned flags)
{
	strip_user(&k, &klen, flags);
	if (!klen || have_key(t, k, klen))
		return;
	CT_GROW(t->keys, t->klen + klen, t->kcap);
	memcpy(t->keys + t->klen, k, klen);
	t->klen += klen;
	CT_GROW(t->kend, t->n + 1, t->ncap);
	t->kend[t->n++] = t->klen;
	put(t, t->n == 1 ? "{" : ",", 1);
	put_string(t, k, klen);
	put(t, ":", 1);
	if (raw)
		put(t, v, vlen);
	else
		put_string(t, v, vlen);
}

void ct_tags_add(struct ct_tags *t, const char *key, size_t klen,
		 const char *val, size_t vlen, unsigned flags)
{
	add_pair(t, key, klen, val, vlen, false, flags);
}

const char *ct_tags_json(struct ct_tags *t, size_t *len)
{
	if (!t->n)
		return NULL;
	put(t, "}", 1);
	t->len--; /* the closing brace stays outside the text being built */
	*len = t->len + 1;
	return t->buf;
}

/* ---- reading ----------------------------------------------------------- */

struct lex {
	const char *p, *end;
};

enum vkind { V_STRING, V_NUMBER, V_TRUE, V_FALSE, V_NULL };

static void skip_ws(struct lex *x)
{
	while (x->p < x->end && (*x->p == ' ' || *x->p == '\t' ||
				 *x->p == '\r' || *x->p == '\n'))
		x->p++;
}

static void put_utf8(char *o, size_t *n, unsigned cp)
{
	if (cp < 0x80) {
		o[(*n)++] = (char)cp;
	} else if (cp < 0x800) {
		o[(*n)++] = (char)(0xc0 | (cp >> 6));
		o[(*n)++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		o[(*n)++] = (char)(0xe0 | (cp >> 12));
		o[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[(*n)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		o[(*n)++] = (char)(0xf0 | (cp >> 18));
		o[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3f));
		o[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[(*n)++] = (char)(0x80 | (cp & 0x3f));
	}
}

static int hexval(const char *p, int n, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < n; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return CT_E_INPUT;
	}
	*out = v;
	return CT_OK;
}

int ct_tags_unquote(const char **pp, const char *end, char *o, size_t *len)
{
	const char *p = *pp;
	char q = *p++;
	size_t n = 0;

	while (p < end && *p != q) {
		char c = *p++;
		unsigned cp, lo;
		if (c != '\\') {
			o[n++] = c;
			continue;
		}
		if (p >= end)
			return CT_E_INPUT;
		c = *p++;
		switch (c) {
		case '"': case '\'': case '\\': case '/': o[n++] = c; break;
		case 'b': o[n++] = '\b'; break;
		case 'f': o[n++] = '\f'; break;
		case 'n': o[n++] = '\n'; break;
		case 'r': o[n++] = '\r'; break;
		case 't': o[n++] = '\t'; break;
		case 'x': /* Python: a code point below 256 */
			if (end - p < 2 || hexval(p, 2, &cp) != CT_OK)
				return CT_E_INPUT;
			p += 2;
			put_utf8(o, &n, cp);
			break;
		case 'u':
			if (end - p < 4 || hexval(p, 4, &cp) != CT_OK)
				return CT_E_INPUT;
			p += 4;
			if (cp >= 0xd800 && cp <= 0xdbff && end - p >= 6 &&
			    p[0] == '\\' && p[1] == 'u' &&
			    hexval(p + 2, 4, &lo) == CT_OK && lo >= 0xdc00 &&
			    lo <= 0xdfff) {
				p += 6;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			} else if (cp >= 0xd800 && cp <= 0xdfff) {
				cp = 0xfffd;
			}
			put_utf8(o, &n, cp);
			break;
		default:
			return CT_E_INPUT;
		}
	}
	if (p >= end)
		return CT_E_INPUT; /* no closing quote */
	*pp = p + 1;
	*len = n;
	return CT_OK;
}

/* Decode the quoted string at x->p into t->tmp from 'at' on. */
static int lex_string(struct lex *x, struct ct_tags *t, size_t at,
		      size_t *len)
{
	CT_GROW(t->tmp, at + (size_t)(x->end - x->p) + 4, t->tmpcap);
	return ct_tags_unquote(&x->p, x->end, t->tmp + at, len);
}

static bool word(struct lex *x, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(x->end - x->p) < n || memcmp(x->p, w, n))
		return false;
	x->p += n;
	return true;
}

/* A scalar value: a string (decoded into t->tmp at 'at'), a number (its
 * text, likewise), or a literal. */
static int lex_value(struct lex *x, struct ct_tags *t, size_t at,
		     enum vkind *kind, size_t *len)
{
	if (x->p >= x->end)
		return CT_E_INPUT;
	if (*x->p == '"' || *x->p == '\'') {
		*kind = V_STRING;
		return lex_string(x, t, at, len);
	}
	if (word(x, "true") || word(x, "True")) {
		*kind = V_TRUE;
		return CT_OK;
	}
	if (word(x, "false") || word(x, "False")) {
		*kind = V_FALSE;
		return CT_OK;
	}
	if (word(x, "null") || word(x, "None")) {
		*kind = V_NULL;
		return CT_OK;
	}
	if (*x->p == '-' || (*x->p >= '0' && *x->p <= '9')) {
		const char *s = x->p;
		while (x->p < x->end && ((*x->p && strchr("+-.eE", *x->p)) ||
					 (*x->p >= '0' && *x->p <= '9')))
			x->p++;
		CT_GROW(t->tmp, at + (size_t)(x->p - s), t->tmpcap);
		memcpy(t->tmp + at, s, (size_t)(x->p - s));
		*len = (size_t)(x->p - s);
		*kind = V_NUMBER;
		return CT_OK;
	}
	return CT_E_INPUT; /* an object, an array or junk */
}

/* Called for each pair of an object; key and value live in t->tmp.
 * @return true to stop the walk there. */
typedef bool pair_fn(struct ct_tags *t, const char *k, size_t klen,
		     enum vkind kind, const char *v, size_t vlen, void *ctx);

/* Walk an object, braced or not, calling fn for each pair. */
static int each_pair(struct ct_tags *t, const char *s, size_t len,
		     pair_fn *fn, void *ctx)
{
	struct lex x = {s, s + len};
	bool braced;

	if (len > CT_TAGS_MAX_TEXT)
		return CT_E_INPUT;
	skip_ws(&x);
	if (x.p == x.end)
		return CT_OK; /* nothing at all: no tags */
	braced = *x.p == '{';
	if (braced) {
		x.p++;
		skip_ws(&x);
		if (x.p < x.end && *x.p == '}')
			goto close;
	}
	for (;;) {
		size_t klen, vlen;
		enum vkind kind;
		skip_ws(&x);
		if (x.p >= x.end || (*x.p != '"' && *x.p != '\''))
			return CT_E_INPUT;
		if (lex_string(&x, t, 0, &klen) != CT_OK)
			return CT_E_INPUT;
		skip_ws(&x);
		if (x.p >= x.end || *x.p++ != ':')
			return CT_E_INPUT;
		skip_ws(&x);
		if (lex_value(&x, t, klen, &kind, &vlen) != CT_OK)
			return CT_E_INPUT;
		if (fn(t, t->tmp, klen, kind, t->tmp + klen, vlen, ctx))
			return CT_OK;
		skip_ws(&x);
		if (x.p < x.end && *x.p == ',') {
			x.p++;
			continue;
		}
		break;
	}
	if (braced) {
		if (x.p >= x.end || *x.p != '}')
			return CT_E_INPUT;
close:
		x.p++;
	}
	skip_ws(&x);
	return x.p == x.end ? CT_OK : CT_E_INPUT;
}

static bool add_cb(struct ct_tags *t, const char *k, size_t klen,
		   enum vkind kind, const char *v, size_t vlen, void *ctx)
{
	unsigned flags = *(const unsigned *)ctx;
	char *copy;

	if (kind == V_NULL)
		return false;
	/* add_pair() may grow t->tmp, which holds k and v: copy them */
	copy = ct_xmalloc(klen + vlen + 1);
	memcpy(copy, k, klen);
	memcpy(copy + klen, v, vlen);
	if (kind == V_TRUE)
		add_pair(t, copy, klen, "true", 4, true, flags);
	else if (kind == V_FALSE)
		add_pair(t, copy, klen, "false", 5, true, flags);
	else
		add_pair(t, copy, klen, copy + klen, vlen, false, flags);
	free(copy);
	return false;
}

int ct_tags_add_object(struct ct_tags *t, const char *s, size_t len,
		       unsigned flags)
{
	return each_pair(t, s, len, add_cb, &flags);
}

struct find_ctx {
	const char *key;
	const char *val;
	size_t len;
};

static bool find_cb(struct ct_tags *t, const char *k, size_t klen,
		    enum vkind kind, const char *v, size_t vlen, void *ctx)
{
	struct find_ctx *f = ctx;

	(void)t;
	if (klen != strlen(f->key) || memcmp(k, f->key, klen))
		return false;
	if (kind == V_STRING) {
		f->val = v;
		f->len = vlen;
	}
	return true; /* the walk stops: v stays valid */
}

int ct_tags_find(struct ct_tags *t, const char *s, size_t len,
		 const char *key, const char **out, size_t *outlen)
{
	struct find_ctx f = {key, NULL, 0};
	int rc = each_pair(t, s, len, find_cb, &f);

	*out = rc == CT_OK ? f.val : NULL;
	*outlen = rc == CT_OK ? f.len : 0;
	return rc;
}

int ct_tags_add_kv_array(struct ct_tags *t, const char *s, size_t len,
			 unsigned flags)
{
	struct lex x = {s, s + len};

	if (len > CT_TAGS_MAX_TEXT)
		return CT_E_INPUT;
	skip_ws(&x);
	if (x.p == x.end)
		return CT_OK;
	if (*x.p++ != '[')
		return CT_E_INPUT;
	skip_ws(&x);
	if (x.p < x.end && *x.p == ']')
		goto close;
	for (;;) {
		char *key = NULL, *val = NULL;
		size_t klen = 0, vlen = 0;
		bool have_k = false, have_v = false;
		skip_ws(&x);
		if (x.p >= x.end || *x.p++ != '{')
			return CT_E_INPUT;
		for (;;) {
			size_t nlen, len2;
			enum vkind kind;
			bool is_key, is_val;
			skip_ws(&x);
			if (x.p < x.end && *x.p == '}' && !have_k && !have_v)
				break; /* {} */
			if (x.p >= x.end || (*x.p != '"' && *x.p != '\'') ||
			    lex_string(&x, t, 0, &nlen) != CT_OK)
				goto bad;
			is_key = nlen == 3 && !memcmp(t->tmp, "key", 3);
			is_val = nlen == 5 && !memcmp(t->tmp, "value", 5);
			skip_ws(&x);
			if (x.p >= x.end || *x.p++ != ':')
				goto bad;
			skip_ws(&x);
			if (lex_value(&x, t, 0, &kind, &len2) != CT_OK)
				goto bad;
			if ((is_key || is_val) && (kind == V_STRING || kind == V_NUMBER)) {
				char *c = ct_xmalloc(len2 ? len2 : 1);
				memcpy(c, t->tmp, len2);
				if (is_key) {
					free(key);
					key = c;
					klen = len2;
					have_k = true;
				} else {
					free(val);
					val = c;
					vlen = len2;
					have_v = true;
				}
			}
			skip_ws(&x);
			if (x.p < x.end && *x.p == ',') {
				x.p++;
				continue;
			}
			break;
		}
		if (x.p >= x.end || *x.p++ != '}')
			goto bad;
		if (have_k)
			add_pair(t, key, klen, have_v ? val : "", have_v ? vlen : 0,
				 false, flags);
		free(key);
		free(val);
		skip_ws(&x);
		if (x.p < x.end && *x.p == ',') {
			x.p++;
			continue;
		}
		break;
bad:
		free(key);
		free(val);
		return CT_E_INPUT;
	}
	if (x.p >= x.end || *x.p != ']')
		return CT_E_INPUT;
close:
	x.p++;
	skip_ws(&x);
	return x.p == x.end ? CT_OK : CT_E_INPUT;
}
