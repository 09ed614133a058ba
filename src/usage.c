/*
 * usage.c - the usage file of `cloudtally estimate --usage-file`: reading
 * it (a strict YAML subset, or JSON) into a flat list of (address, key
 * path, value), and looking values up by resource address.
 *
 * The YAML subset is what Infracost's usage files use and nothing more:
 * block mappings indented with spaces (any consistent depth), `#`
 * comments, one optional leading `---`, plain, 'single-quoted' and
 * "double-quoted" scalars. Flow style ([ ] { }), lists, anchors, aliases,
 * tags, block scalars, multi-line scalars, several documents, directives
 * and tabs are CT_E_INPUT naming the file and line, as are duplicate keys,
 * control characters and invalid UTF-8. A file whose first non-blank
 * character is '{' is read as JSON (Jansson) with the same structure.
 *
 * Structure: top-level keys `version` (0.1 when given), `resource_usage`
 * (resource address -> mapping of usage keys) and
 * `resource_type_default_usage` (resource type -> mapping of usage keys,
 * as Infracost has it); anything else at the top is an error, so a typo
 * such as `resource_usages:` is not silently ignored. Nested mappings
 * under an address make dotted paths ("standard.storage_gb"); usage keys
 * may not contain '.'.
 *
 * Values: a plain scalar matching the YAML 1.2 core number syntax
 * ([-+]?(.d+|d+(.d*)?)([eE][-+]?d+)?) is a number, and must be finite
 * and not negative. Plain scalars that different YAML readers take for
 * different numbers are errors rather than strings: digits with '_' or
 * ',' (50_000_000), leading zeros (0750), 0x/0o/0b prefixes, .inf and
 * .nan. Everything else is kept as a string (operating_system: linux,
 * reserved_instance_term: 1_year, and quoted scalars, even "123"), or as
 * null (~, null, or a key with nothing under it). JSON numbers are numbers;
 * JSON strings and booleans are strings; JSON arrays are an error.
 * ct_usage_get() returns true only for numbers: a string or null value for
 * a key that should be a number reads as "no usage given".
 *
 * Lookup order for (address, key path), first hit decides, including a
 * hit on a string or null value:
 *   1. the exact address under resource_usage;
 *   2. wildcard addresses under resource_usage, in file order: "[*]"
 *      matches any one index ([0], ["a"]), a final ".*" matches any one
 *      last name with or without an index. Patterns match the whole
 *      address, so aws_lambda_function.* does not match resources inside
 *      modules (write module.x.aws_lambda_function.*);
 *   3. the resource's type under resource_type_default_usage.
 * The fallback is per key: an address that has its own entry for some
 * keys still takes the other keys from a matching wildcard or its type.
 *
 * Depends on money.h (number parsing) and Jansson. Never prints; the file
 * is read whole, capped at USAGE_MAX_BYTES.
 */
#include "ct.h"
#include "usage.h"

#include <errno.h>
#include <jansson.h>

#include "money.h"

#define USAGE_MAX_BYTES (16u << 20) /* a usage file is a few KB */
#define MAX_DEPTH 16		    /* nesting of mappings */

enum vkind { V_NULL, V_NUM, V_STR, V_MAP };

struct entry {
	char *addr;	 /* address, wildcard pattern or resource type */
	char *path;	 /* dotted key path below it */
	enum vkind kind; /* V_NULL, V_NUM or V_STR */
	double num;	 /* V_NUM */
};

struct list {
	struct entry *v;
	size_t n, cap;
};

struct ct_usage {
	char *name;	   /* the path given to ct_usage_load() */
	struct list exact; /* sorted by (addr, path) */
	struct list wild;  /* file order */
	struct list types; /* sorted by (addr, path) */
};

/* A key seen while reading YAML, for the duplicate check. */
struct node {
	char *key; /* full path, levels joined by '\x1f' */
	long line;
};

struct loader {
	struct ct_usage *u;
	const char *src; /* file name for errors */
	struct ct_err *err;
	struct node *nodes; /* YAML only */
	size_t nnodes, capnodes;
};

/* ---- the model ---------------------------------------------------------- */

static void list_release(struct list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].addr);
		free(l->v[i].path);
	}
	free(l->v);
}

void ct_usage_free(struct ct_usage *u)
{
	if (!u)
		return;
	list_release(&u->exact);
	list_release(&u->wild);
	list_release(&u->types);
	free(u->name);
	free(u);
}

const char *ct_usage_name(const struct ct_usage *u)
{
	return u ? u->name : NULL;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->addr, y->addr);

	return c ? c : strcmp(x->path, y->path);
}

/* Where the resource type starts in address (the segment before the
 * last name), its length in *len; NULL when the address has none. */
static const char *address_type(const char *a, size_t *len)
{
	const char *seg[2] = {NULL, NULL}; /* starts of the last two */
	const char *p = a, *start = a;
	bool quote = false;
	int depth = 0;

	for (;; p++) {
		if (quote) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"')
				quote = false;
			else if (!*p)
				return NULL;
			continue;
		}
		if (*p == '"' && depth > 0)
			quote = true;
		else if (*p == '[')
			depth++;
		else if (*p == ']' && depth > 0)
			depth--;
		else if ((*p == '.' && depth == 0) || !*p) {
			seg[0] = seg[1];
			seg[1] = start;
			if (!*p)
				break;
			start = p + 1;
		}
	}
	if (!seg[0] || !seg[1] || seg[1] - seg[0] < 2)
		return NULL;
	*len = (size_t)(seg[1] - seg[0] - 1);
	return seg[0];
}

/* Skip one bracketed index ("[0]", "[\"a]b\"]") at a. @return the
 * position after ']', or NULL when a is not at a complete index. */
static const char *skip_index(const char *a)
{
	if (*a != '[')
		return NULL;
	for (a++; *a && *a != ']'; a++) {
		if (*a != '"')
			continue;
		for (a++; *a && *a != '"'; a++)
			if (*a == '\\' && a[1])
				a++;
		if (!*a)
			return NULL;
	}
	return *a == ']' ? a + 1 : NULL;
}

/* Whether a is one final name segment, with or without an index. */
static bool last_segment(const char *a)
{
	const char *p = a;

	while (*p && *p != '.' && *p != '[')
		p++;
	if (p == a || *p == '.')
		return false;
	if (*p == '[')
		p = skip_index(p);
	return p && !*p;
}

/* Whether wildcard pattern p matches address a (see the file comment). */
static bool pattern_match(const char *p, const char *a)
{
	bool quote = false;

	while (*p) {
		if (!quote && p[0] == '[' && p[1] == '*' && p[2] == ']') {
			a = skip_index(a);
			if (!a)
				return false;
			p += 3;
			continue;
		}
		if (!quote && p[0] == '.' && p[1] == '*' && !p[2])
			return *a == '.' && last_segment(a + 1);
		if (*p != *a)
			return false;
		if (quote && *p == '\\' && p[1]) {
			if (p[1] != a[1])
				return false;
			p++;
			a++;
		} else if (*p == '"') {
			quote = !quote;
		}
		p++;
		a++;
	}
	return !*a;
}

/* The entry that decides (address, path) in a sorted list, or NULL. */
static const struct entry *find_sorted(const struct list *l, const char *addr, size_t addrlen,
				       const char *path)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct entry *e = &l->v[mid];
		int c = strncmp(e->addr, addr, addrlen);

		if (c == 0 && e->addr[addrlen])
			c = 1;
		if (c == 0)
			c = strcmp(e->path, path);
		if (c == 0)
			return e;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

bool ct_usage_get(const struct ct_usage *u, const char *address, const char *path, double *out)
{
	const struct entry *e = NULL;
	const char *type;
	size_t i, tlen;

	if (!u || !address || !path)
		return false;
	e = find_sorted(&u->exact, address, strlen(address), path);
	for (i = 0; !e && i < u->wild.n; i++)
		if (strcmp(u->wild.v[i].path, path) == 0 &&
		    pattern_match(u->wild.v[i].addr, address))
			e = &u->wild.v[i];
	if (!e && (type = address_type(address, &tlen)) != NULL)
		e = find_sorted(&u->types, type, tlen, path);
	if (!e || e->kind != V_NUM)
		return false;
	*out = e->num;
	return true;
}

/* ---- building the model from nodes (YAML and JSON alike) ---------------- */

/* Record CT_E_INPUT at line (0: none, JSON; messages name the key path). */
static int bad(struct loader *ld, long line, const char *fmt, ...) CT_PRINTF(3, 4);

static int bad(struct loader *ld, long line, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ct_err_set(ld->err, CT_E_INPUT, ld->src, line, "%s", msg);
}

static const char *const top_keys[] = {"resource_type_default_usage", "resource_usage", "version"};

/* Check the wildcards of a resource_usage address. @return 1 when it is a
 * pattern, 0 when an exact address, or an error. */
static int check_address(struct loader *ld, long line, const char *a)
{
	bool quote = false, wild = false;
	int depth = 0;
	const char *p;

	if (!*a)
		return bad(ld, line, "empty resource address");
	for (p = a; *p; p++) {
		if (quote) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"')
				quote = false;
			continue;
		}
		if (*p == '"' && depth > 0) {
			quote = true;
		} else if (*p == '[') {
			depth++;
		} else if (*p == ']' && depth > 0) {
			depth--;
		} else if (*p == '*') {
			if (p > a && p[-1] == '[' && p[1] == ']') {
				wild = true;
			} else if (p > a && p[-1] == '.' && !p[1] && depth == 0) {
				wild = true;
			} else {
				return bad(ld, line,
					   "unsupported wildcard in '%s': use "
					   "[*] for any index or a final .* for "
					   "any name",
					   a);
			}
		}
	}
	return wild ? 1 : 0;
}

static void add_entry(struct list *l, const char *addr, const char *path, enum vkind kind,
		      double num)
{
	struct entry *e;

	CT_GROW(l->v, l->n + 1, l->cap);
	e = &l->v[l->n++];
	e->addr = ct_xstrdup(addr);
	e->path = ct_xstrdup(path);
	e->kind = kind;
	e->num = num;
}

/* The dotted path of keys[from..n-1] (new string). */
static char *join_path(const char *const *keys, int from, int n)
{
	size_t len = 1, o = 0;
	char *s;
	int i;

	for (i = from; i < n; i++)
		len += strlen(keys[i]) + 1;
	s = ct_xmalloc(len);
	for (i = from; i < n; i++) {
		size_t k = strlen(keys[i]);

		if (i > from)
			s[o++] = '.';
		memcpy(s + o, keys[i], k);
		o += k;
	}
	s[o] = '\0';
	return s;
}

/* One node of the document: keys[0..n-1] is its key path from the top.
 * line is the YAML line, or 0 for JSON (then messages name the path). */
static int on_node(struct loader *ld, const char *const *keys, int n, enum vkind kind, double num,
		   const char *str, long line)
{
	char where[300];
	const char *k = keys[n - 1];
	char *path;
	size_t i;
	int rc;

	if (line > 0) {
		snprintf(where, sizeof(where), "'%.200s'", k);
	} else {
		path = join_path(keys, 0, n);
		snprintf(where, sizeof(where), "'%.280s'", path);
		free(path);
	}
	if (n == 1) {
		for (i = 0; i < CT_NELEM(top_keys); i++)
			if (strcmp(k, top_keys[i]) == 0)
				break;
		if (i == CT_NELEM(top_keys))
			return bad(ld, line,
				   "unknown top-level key %s (expected "
				   "version, resource_usage or "
				   "resource_type_default_usage)",
				   where);
		if (strcmp(k, "version") == 0) {
			if ((kind == V_NUM && num == 0.1) ||
			    (kind == V_STR && strcmp(str, "0.1") == 0))
				return CT_OK;
			return bad(ld, line,
				   "unsupported usage file version (expected "
				   "version: 0.1)");
		}
		if (kind != V_MAP && kind != V_NULL)
			return bad(ld, line,
				   "%s must be a mapping of resources to "
				   "their usage",
				   where);
		return CT_OK;
	}
	if (n == 2) {
		if (kind != V_MAP && kind != V_NULL)
			return bad(ld, line,
				   "the usage of %s must be a mapping of usage "
				   "keys to values",
				   where);
		if (strcmp(keys[0], "resource_usage") == 0) {
			rc = check_address(ld, line, k);
			return rc < 0 ? rc : CT_OK;
		}
		if (!*k || strspn(k, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(k))
			return bad(ld, line,
				   "%s is not a resource type (like "
				   "aws_lambda_function)",
				   where);
		return CT_OK;
	}
	if (!*k)
		return bad(ld, line, "empty usage key");
	if (strchr(k, '.'))
		return bad(ld, line, "usage key %s must not contain '.'", where);
	if (kind == V_MAP)
		return CT_OK;
	if (kind == V_NUM && num < 0)
		return bad(ld, line, "usage value %s must not be negative", where);
	path = join_path(keys, 2, n);
	if (strcmp(keys[0], "resource_type_default_usage") == 0)
		add_entry(&ld->u->types, keys[1], path, kind, num);
	else if (check_address(ld, line, keys[1]) == 1)
		add_entry(&ld->u->wild, keys[1], path, kind, num);
	else
		add_entry(&ld->u->exact, keys[1], path, kind, num);
	free(path);
	return CT_OK;
}

/* After reading: sort the exact and type lists for lookups. Duplicates
 * were rejected while reading (YAML) or by Jansson. */
static void finish(struct ct_usage *u)
{
	if (u->exact.n > 1)
		qsort(u->exact.v, u->exact.n, sizeof(*u->exact.v), entry_cmp);
	if (u->types.n > 1)
		qsort(u->types.v, u->types.n, sizeof(*u->types.v), entry_cmp);
}

/* ---- JSON --------------------------------------------------------------- */

static int json_walk(struct loader *ld, json_t *obj, const char **keys, int n)
{
	const char *k;
	json_t *v;
	int rc;

	json_object_foreach(obj, k, v)
	{
		char *path;

		if (n >= MAX_DEPTH)
			return bad(ld, 0, "mappings nest deeper than %d levels", MAX_DEPTH);
		keys[n] = k;
		switch (json_typeof(v)) {
		case JSON_OBJECT:
			rc = on_node(ld, keys, n + 1, V_MAP, 0, NULL, 0);
			if (rc == CT_OK)
				rc = json_walk(ld, v, keys, n + 1);
			break;
		case JSON_INTEGER:
			rc = on_node(ld, keys, n + 1, V_NUM, (double)json_integer_value(v), NULL,
				     0);
			break;
		case JSON_REAL:
			rc = on_node(ld, keys, n + 1, V_NUM, json_real_value(v), NULL, 0);
			break;
		case JSON_STRING:
			rc = on_node(ld, keys, n + 1, V_STR, 0, json_string_value(v), 0);
			break;
		case JSON_TRUE:
		case JSON_FALSE:
			rc = on_node(ld, keys, n + 1, V_STR, 0, json_is_true(v) ? "true" : "false",
				     0);
			break;
		case JSON_NULL:
			rc = on_node(ld, keys, n + 1, V_NULL, 0, NULL, 0);
			break;
		default:
			path = join_path(keys, 0, n + 1);
			rc = bad(ld, 0, "'%.280s': lists are not supported", path);
			free(path);
			break;
		}
		if (rc != CT_OK)
			return rc;
	}
	return CT_OK;
}

static int load_json(struct loader *ld, const char *buf, size_t len)
{
	const char *keys[MAX_DEPTH];
	json_error_t je;
	json_t *root;
	int rc;

	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return bad(ld, je.line > 0 ? je.line : 0, "invalid JSON: %s", je.text);
	if (json_is_object(root))
		rc = json_walk(ld, root, keys, 0);
	else
		rc = bad(ld, 0, "expected a JSON object");
	json_decref(root);
	return rc;
}

/* ---- YAML --------------------------------------------------------------- */

/* One line being parsed. */
struct cur {
	struct loader *ld;
	const char *p, *end;
	long line;
};

static int cbad(struct cur *c, const char *what)
{
	return bad(c->ld, c->line, "%s", what);
}

/* Skip blanks; a tab among them is an error. */
static int skip_blanks(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t')) {
		if (*c->p == '\t')
			return cbad(c, "tab characters are not allowed; use "
				       "spaces");
		c->p++;
	}
	return CT_OK;
}

/* At the end of the line or at a comment (after blanks). */
static bool at_end(const struct cur *c)
{
	return c->p == c->end || *c->p == '#';
}

/* Features of YAML this reader rejects, by the scalar's first char. */
static int check_indicator(struct cur *c)
{
	char ch = *c->p;
	char next = c->p + 1 < c->end ? c->p[1] : ' ';

	switch (ch) {
	case '[':
	case '{':
		return cbad(c, "flow style ([ ] and { }) is not supported");
	case ']':
	case '}':
	case ',':
	case '@':
	case '`':
		return cbad(c, "a plain scalar cannot start with this "
			       "character; quote it");
	case '&':
		return cbad(c, "anchors (&) are not supported");
	case '*':
		return cbad(c, "aliases (*) are not supported");
	case '!':
		return cbad(c, "tags (!) are not supported");
	case '|':
	case '>':
		return cbad(c, "block scalars (| and >) are not supported");
	case '%':
		return cbad(c, "directives (%) are not supported");
	case '-':
		if (next == ' ' || next == '\t')
			return cbad(c, "lists (- item) are not supported");
		break;
	case '?':
		if (next == ' ' || next == '\t')
			return cbad(c, "complex keys (? key) are not "
				       "supported");
		break;
	case ':':
		if (next == ' ' || next == '\t')
			return cbad(c, "empty key");
		break;
	}
	return CT_OK;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static void put_utf8(char *out, size_t *o, uint32_t cp)
{
	if (cp < 0x80) {
		out[(*o)++] = (char)cp;
	} else if (cp < 0x800) {
		out[(*o)++] = (char)(0xC0 | (cp >> 6));
		out[(*o)++] = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		out[(*o)++] = (char)(0xE0 | (cp >> 12));
		out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[(*o)++] = (char)(0x80 | (cp & 0x3F));
	} else {
		out[(*o)++] = (char)(0xF0 | (cp >> 18));
		out[(*o)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
		out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[(*o)++] = (char)(0x80 | (cp & 0x3F));
	}
}

/* A quoted scalar at c->p; *out is new. The escapes of "..." are the
 * JSON ones plus \xXX and \UXXXXXXXX (no NUL); '...' doubles its quote. */
static int quoted(struct cur *c, char **out)
{
	char q = *c->p++;
	/* the result is never longer than the source */
	char *s = ct_xmalloc((size_t)(c->end - c->p) + 1);
	size_t o = 0;

	for (;;) {
		char ch;

		if (c->p == c->end) {
			free(s);
			return cbad(c, "unterminated quoted string (quoted "
				       "strings must end on their line)");
		}
		ch = *c->p++;
		if (ch == q) {
			if (q == '\'' && c->p < c->end && *c->p == '\'') {
				s[o++] = '\'';
				c->p++;
				continue;
			}
			break;
		}
		if (ch != '\\' || q == '\'') {
			s[o++] = ch;
			continue;
		}
		if (c->p == c->end)
			continue; /* reported as unterminated */
		ch = *c->p++;
		switch (ch) {
		case '"':
		case '\\':
		case '/':
			s[o++] = ch;
			break;
		case 'n':
			s[o++] = '\n';
			break;
		case 't':
			s[o++] = '\t';
			break;
		case 'r':
			s[o++] = '\r';
			break;
		case 'b':
			s[o++] = '\b';
			break;
		case 'f':
			s[o++] = '\f';
			break;
		case 'x':
		case 'u':
		case 'U': {
			int nd = ch == 'x' ? 2 : ch == 'u' ? 4 : 8, i, h;
			uint32_t cp = 0;

			for (i = 0; i < nd; i++) {
				if (c->p == c->end || (h = hexval(*c->p)) < 0) {
					free(s);
					return cbad(c, "bad \\x, \\u or \\U "
						       "escape");
				}
				cp = cp * 16 + (uint32_t)h;
				c->p++;
			}
			if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
				free(s);
				return cbad(c, "escape is not a Unicode "
					       "character (or is NUL)");
			}
			/* 4 bytes of UTF-8 from at least 4 of source */
			put_utf8(s, &o, cp);
			break;
		}
		default:
			free(s);
			return cbad(c, "unknown escape in a double-quoted "
				       "string");
		}
	}
	s[o] = '\0';
	*out = s;
	return CT_OK;
}

/* Whether s[0..n) is a YAML 1.2 core-schema number. */
static bool is_number(const char *s, size_t n)
{
	size_t i = 0, d = 0, f = 0;

	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		d++;
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			f++;
	if (d == 0 && f == 0)
		return false;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t e = 0;

		if (++i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			e++;
		if (e == 0)
			return false;
	}
	return i == n;
}

/* Classify a plain scalar s[0..n). */
static int plain_value(struct cur *c, const char *s, size_t n, enum vkind *kind, double *num)
{
	const char *body = s;
	size_t bn = n, i, digits = 0, seps = 0;

	*kind = V_STR;
	if ((n == 1 && s[0] == '~') ||
	    (n == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4)))) {
		*kind = V_NULL;
		return CT_OK;
	}
	if (bn > 0 && (body[0] == '-' || body[0] == '+')) {
		body++;
		bn--;
	}
	if (is_number(s, n)) {
		if (bn > 1 && body[0] == '0' && body[1] >= '0' && body[1] <= '9')
			return cbad(c, "a number with a leading zero is "
				       "ambiguous (octal in YAML 1.1); drop "
				       "the zero");
		if (ct_num_parse(s, n, num) != CT_OK)
			return cbad(c, "number out of range");
		*kind = V_NUM;
		return CT_OK;
	}
	for (i = 0; i < bn; i++) {
		if (body[i] >= '0' && body[i] <= '9')
			digits++;
		else if (body[i] == '_' || body[i] == ',')
			seps++;
		else if (body[i] != '.')
			break;
	}
	if (i == bn && digits > 0 && seps > 0)
		return cbad(c, "write numbers as plain digits, without '_' or "
			       "',' (50000000, not 50_000_000)");
	if (bn > 2 && body[0] == '0' && strchr("xXoObB", body[1]))
		return cbad(c, "hexadecimal, octal and binary numbers are not "
			       "supported");
	if (bn == 4 && body[0] == '.' &&
	    (!strncmp(body + 1, "inf", 3) || !strncmp(body + 1, "Inf", 3) ||
	     !strncmp(body + 1, "INF", 3) || !strncmp(body + 1, "nan", 3) ||
	     !strncmp(body + 1, "NaN", 3) || !strncmp(body + 1, "NAN", 3)))
		return cbad(c, "usage values must be finite numbers");
	return CT_OK;
}

/* A parsed content line: "key: value" or "key:". */
struct yline {
	char *key; /* new */
	bool has_value;
	enum vkind kind;
	double num;
	char *str; /* new, V_STR */
};

static int parse_key(struct cur *c, char **key)
{
	const char *q;
	int rc;

	if (*c->p == '"' || *c->p == '\'') {
		if ((rc = quoted(c, key)) != CT_OK)
			return rc;
		if ((rc = skip_blanks(c)) != CT_OK)
			goto fail;
		if (c->p == c->end || *c->p != ':') {
			rc = cbad(c, "expected ':' after the quoted key");
			goto fail;
		}
		c->p++;
		return CT_OK;
	}
	if ((rc = check_indicator(c)) != CT_OK)
		return rc;
	for (q = c->p; q < c->end; q++) {
		if (*q == ':' && (q + 1 == c->end || q[1] == ' ' || q[1] == '\t'))
			break;
		if (*q == '#' && q > c->p && q[-1] == ' ')
			q = c->end - 1; /* a comment: no ':' on this line */
		else if (*q == '\t')
			return cbad(c, "tab characters are not allowed; use "
				       "spaces");
	}
	if (q >= c->end)
		return cbad(c, "expected 'key: value' (a ':' followed by a "
			       "space or the end of the line)");
	*key = ct_xstrndup(c->p, (size_t)(q - c->p));
	/* trailing blanks before ':' */
	for (size_t n = strlen(*key); n > 0 && (*key)[n - 1] == ' '; n--)
		(*key)[n - 1] = '\0';
	c->p = q + 1;
	return CT_OK;
fail:
	free(*key);
	*key = NULL;
	return rc;
}

static int parse_value(struct cur *c, struct yline *yl)
{
	const char *start, *q, *last;
	int rc;

	if ((rc = skip_blanks(c)) != CT_OK)
		return rc;
	if (at_end(c))
		return CT_OK;
	yl->has_value = true;
	if (*c->p == '"' || *c->p == '\'') {
		if ((rc = quoted(c, &yl->str)) != CT_OK)
			return rc;
		yl->kind = V_STR;
		start = c->p;
		if ((rc = skip_blanks(c)) != CT_OK)
			return rc;
		if (c->p < c->end && (*c->p != '#' || c->p == start))
			return cbad(c, "unexpected text after the quoted "
				       "value");
		return CT_OK;
	}
	if ((rc = check_indicator(c)) != CT_OK)
		return rc;
	start = c->p;
	last = start;
	for (q = start; q < c->end; q++) {
		if (*q == '#' && q[-1] == ' ')
			break;
		if (*q == '\t')
			return cbad(c, "tab characters are not allowed; use "
				       "spaces");
		if (*q == ':' && (q + 1 == c->end || q[1] == ' '))
			return cbad(c, "': ' inside a plain value (nested "
				       "mappings go on their own lines; quote "
				       "a value that contains ': ')");
		if (*q != ' ')
			last = q + 1;
	}
	rc = plain_value(c, start, (size_t)(last - start), &yl->kind, &yl->num);
	if (rc == CT_OK && yl->kind == V_STR)
		yl->str = ct_xstrndup(start, (size_t)(last - start));
	return rc;
}

/* Check a line's bytes: no NUL or control characters, valid UTF-8. */
static int check_bytes(struct cur *c)
{
	const unsigned char *p = (const unsigned char *)c->p;
	const unsigned char *end = (const unsigned char *)c->end;

	while (p < end) {
		unsigned char b = *p;
		int n, i;
		uint32_t cp, min;

		if (b < 0x80) {
			if ((b < 0x20 && b != '\t') || b == 0x7F)
				return cbad(c, b == 0 ? "NUL byte (not a text "
							"file?)"
						      : "control character");
			p++;
			continue;
		}
		if (b >= 0xC2 && b <= 0xDF) {
			n = 1;
			cp = b & 0x1Fu;
			min = 0x80;
		} else if ((b & 0xF0) == 0xE0) {
			n = 2;
			cp = b & 0x0Fu;
			min = 0x800;
		} else if (b >= 0xF0 && b <= 0xF4) {
			n = 3;
			cp = b & 0x07u;
			min = 0x10000;
		} else {
			return cbad(c, "invalid UTF-8");
		}
		if (end - p <= n)
			return cbad(c, "invalid UTF-8");
		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return cbad(c, "invalid UTF-8");
			cp = (cp << 6) | (p[i] & 0x3Fu);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return cbad(c, "invalid UTF-8");
		p += n + 1;
	}
	return CT_OK;
}

static void add_node(struct loader *ld, const char *const *keys, int n, long line)
{
	struct node *nd;
	size_t len = 0, o = 0;
	int i;

	for (i = 0; i < n; i++)
		len += strlen(keys[i]) + 1;
	CT_GROW(ld->nodes, ld->nnodes + 1, ld->capnodes);
	nd = &ld->nodes[ld->nnodes++];
	nd->key = ct_xmalloc(len);
	for (i = 0; i < n; i++) {
		size_t k = strlen(keys[i]);

		memcpy(nd->key + o, keys[i], k);
		o += k;
		nd->key[o++] = i + 1 < n ? '\x1f' : '\0';
	}
	nd->line = line;
}

static int node_cmp(const void *a, const void *b)
{
	const struct node *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	return (x->line > y->line) - (x->line < y->line);
}

/* Reject a key given twice in one mapping: report the earliest second
 * occurrence in the file. */
static int check_duplicates(struct loader *ld)
{
	size_t i, worst = SIZE_MAX;
	const char *k;

	if (ld->nnodes > 1)
		qsort(ld->nodes, ld->nnodes, sizeof(*ld->nodes), node_cmp);
	for (i = 1; i < ld->nnodes; i++)
		if (strcmp(ld->nodes[i].key, ld->nodes[i - 1].key) == 0 &&
		    (worst == SIZE_MAX || ld->nodes[i].line < ld->nodes[worst].line))
			worst = i;
	if (worst == SIZE_MAX)
		return CT_OK;
	k = strrchr(ld->nodes[worst].key, '\x1f');
	k = k ? k + 1 : ld->nodes[worst].key;
	return bad(ld, ld->nodes[worst].line, "duplicate key '%.200s' (first on line %ld)", k,
		   ld->nodes[worst - 1].line);
}

/* The mapping levels open while reading YAML. */
struct ystack {
	int indent[MAX_DEPTH + 1]; /* indent of the keys of each level */
	char *keys[MAX_DEPTH + 1]; /* keys[d]: the key that opened level d+1 */
	int depth;		   /* levels open - 1 */
	bool pending;		   /* keys[depth] had no value yet */
	long pending_line;
	bool started;
};

static int emit(struct loader *ld, struct ystack *st, int n, enum vkind kind, double num,
		const char *str, long line)
{
	add_node(ld, (const char *const *)st->keys, n, line);
	return on_node(ld, (const char *const *)st->keys, n, kind, num, str, line);
}

/* Resolve a "key:" line once the next line (indent, or -1 at the end)
 * shows whether a mapping follows. */
static int resolve_pending(struct loader *ld, struct ystack *st, int indent, long line)
{
	int rc;

	if (!st->pending)
		return CT_OK;
	st->pending = false;
	if (indent > st->indent[st->depth]) {
		if (st->depth + 1 >= MAX_DEPTH)
			return bad(ld, line,
				   "mappings nest deeper than %d "
				   "levels",
				   MAX_DEPTH);
		rc = emit(ld, st, st->depth + 1, V_MAP, 0, NULL, st->pending_line);
		st->depth++;
		st->indent[st->depth] = indent;
		return rc;
	}
	return emit(ld, st, st->depth + 1, V_NULL, 0, NULL, st->pending_line);
}

static int yaml_line(struct loader *ld, struct ystack *st, struct cur *c)
{
	struct yline yl = {0};
	const char *s = c->p;
	int indent, rc;

	if ((rc = check_bytes(c)) != CT_OK)
		return rc;
	while (c->p < c->end && *c->p == ' ')
		c->p++;
	indent = (int)(c->p - s);
	if (c->p < c->end && *c->p == '\t')
		return cbad(c, "tab characters are not allowed; indent with "
			       "spaces");
	if (at_end(c))
		return CT_OK; /* blank or comment */
	if (indent == 0 && c->end - c->p >= 3 &&
	    (!memcmp(c->p, "---", 3) || !memcmp(c->p, "...", 3)) &&
	    (c->end - c->p == 3 || c->p[3] == ' ' || c->p[3] == '\t')) {
		bool doc = c->p[0] == '-';

		c->p += 3;
		if ((rc = skip_blanks(c)) != CT_OK)
			return rc;
		if (!doc)
			return cbad(c, "document end markers (...) are not "
				       "supported");
		if (st->started)
			return cbad(c, "several YAML documents in one file "
				       "are not supported");
		if (!at_end(c))
			return cbad(c, "content after '---' is not supported");
		st->started = true;
		return CT_OK;
	}
	st->started = true;
	if (st->indent[0] < 0)
		st->indent[0] = indent;
	if ((rc = resolve_pending(ld, st, indent, c->line)) != CT_OK)
		return rc;
	if (indent > st->indent[st->depth])
		return cbad(c, "unexpected indentation (multi-line values are "
			       "not supported)");
	while (st->depth > 0 && indent < st->indent[st->depth]) {
		free(st->keys[st->depth]);
		st->keys[st->depth] = NULL;
		st->depth--;
	}
	if (indent != st->indent[st->depth])
		return cbad(c, "indentation does not match any enclosing "
			       "mapping");
	if ((rc = parse_key(c, &yl.key)) != CT_OK)
		return rc;
	if ((rc = parse_value(c, &yl)) != CT_OK)
		goto out;
	free(st->keys[st->depth]);
	st->keys[st->depth] = yl.key;
	yl.key = NULL;
	if (!yl.has_value) {
		st->pending = true;
		st->pending_line = c->line;
	} else {
		rc = emit(ld, st, st->depth + 1, yl.kind, yl.num, yl.str, c->line);
	}
out:
	free(yl.key);
	free(yl.str);
	return rc;
}

static int load_yaml(struct loader *ld, const char *buf, size_t len)
{
	struct ystack st;
	const char *p = buf, *end = buf + len;
	long line = 0;
	int rc = CT_OK, i;

	memset(&st, 0, sizeof(st));
	st.indent[0] = -1;
	while (p < end && rc == CT_OK) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		struct cur c;

		line++;
		if (le > p && le[-1] == '\r')
			le--;
		c.ld = ld;
		c.p = p;
		c.end = le;
		c.line = line;
		rc = yaml_line(ld, &st, &c);
		p = nl ? nl + 1 : end;
	}
	if (rc == CT_OK)
		rc = resolve_pending(ld, &st, -1, line);
	if (rc == CT_OK)
		rc = check_duplicates(ld);
	for (i = 0; i <= MAX_DEPTH; i++)
		free(st.keys[i]);
	return rc;
}

/* ---- loading ------------------------------------------------------------ */

/* Read the whole file into a new NUL-terminated buffer. */
static int read_file(const char *path, char **out, size_t *len, struct ct_err *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;
	int e;

	if (!f)
		return ct_err_set(err, CT_E_IO, path, 0, "cannot open: %s", strerror(errno));
	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = ct_xrealloc(buf, cap + 1);
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n > USAGE_MAX_BYTES) {
			fclose(f);
			free(buf);
			return ct_err_set(err, CT_E_INPUT, path, 0, "usage file larger than %u MiB",
					  USAGE_MAX_BYTES >> 20);
		}
		if (got == 0)
			break;
	}
	e = ferror(f) ? (errno ? errno : EIO) : 0;
	fclose(f);
	if (e) {
		free(buf);
		return ct_err_set(err, CT_E_IO, path, 0, "cannot read: %s", strerror(e));
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return CT_OK;
}

struct ct_usage *ct_usage_load(const char *path, struct ct_err *err)
{
	struct loader ld;
	char *buf = NULL;
	const char *start, *p;
	size_t len = 0, i;
	int rc;

	memset(&ld, 0, sizeof(ld));
	ld.src = path;
	ld.err = err;
	ld.u = ct_xcalloc(1, sizeof(*ld.u));
	ld.u->name = ct_xstrdup(path);
	errno = 0;
	rc = read_file(path, &buf, &len, err);
	if (rc != CT_OK)
		goto out;
	start = buf;
	if (len >= 3 && !memcmp(start, "\xEF\xBB\xBF", 3))
		start += 3; /* a byte order mark */
	for (p = start; *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n';)
		p++;
	/* both readers get the whole text, so line numbers stay right */
	if (*p == '{')
		rc = load_json(&ld, start, len - (size_t)(start - buf));
	else
		rc = load_yaml(&ld, start, len - (size_t)(start - buf));
	if (rc == CT_OK)
		finish(ld.u);
out:
	for (i = 0; i < ld.nnodes; i++)
		free(ld.nodes[i].key);
	free(ld.nodes);
	free(buf);
	if (rc != CT_OK) {
		ct_usage_free(ld.u);
		return NULL;
	}
	return ld.u;
}
