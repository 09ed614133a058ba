/*
 * configfile.c - the configuration file reader (see configfile.h for the
 * format). Reads the whole file with stdio, splits each line into words
 * and checks every statement; it never prints.
 */
#include "ct.h"
#include "configfile.h"
#include "money.h"

#include <errno.h>
#include <math.h>

#define MAX_WORDS 16
#define MAX_FILE (1 << 20) /* a larger config file is bad input */

char *ct_configfile_default_path(const char *opt)
{
	const char *env, *home;

	if (opt && *opt)
		return ct_xstrdup(opt);
	env = getenv("XDG_CONFIG_HOME");
	if (env && *env)
		return ct_xasprintf("%s/cloudtally/config", env);
	home = getenv("HOME");
	if (!home || !*home)
		home = ".";
	return ct_xasprintf("%s/.config/cloudtally/config", home);
}

void ct_configfile_free(struct ct_config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nbudgets; i++) {
		free(c->budgets[i].name);
		free(c->budgets[i].key);
		free(c->budgets[i].value);
	}
	free(c->budgets);
	free(c->path);
	free(c);
}

char *ct_configfile_scope_text(const struct ct_budget_def *b)
{
	switch (b->scope) {
	case CT_SCOPE_ACCOUNT:
		return ct_xasprintf("account:%s", b->value);
	case CT_SCOPE_SERVICE:
		return ct_xasprintf("service:%s", b->value);
	case CT_SCOPE_REGION:
		return ct_xasprintf("region:%s", b->value);
	case CT_SCOPE_TAG:
		return ct_xasprintf("tag:%s=%s", b->key, b->value);
	case CT_SCOPE_TOTAL:
	default:
		return ct_xstrdup("total");
	}
}

/* Split line into at most MAX_WORDS words in place (quotes removed).
 * @return the number of words, or -1 with *why set. */
static int split(char *line, char **w, const char **why)
{
	int n = 0;
	char *p = line, *o;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!*p || *p == '#')
			return n;
		if (n == MAX_WORDS) {
			*why = "too many words";
			return -1;
		}
		w[n++] = o = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r') {
			if (*p != '"') {
				*o++ = *p++;
				continue;
			}
			for (p++; *p != '"'; p++) {
				if (!*p) {
					*why = "a quote is not closed";
					return -1;
				}
				if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
					p++;
				*o++ = *p;
			}
			p++;
		}
		if (*p)
			p++;
		*o = '\0';
	}
}

static int bad(struct ct_err *err, const char *path, long line, const char *fmt, ...)
	CT_PRINTF(4, 5);
static int bad(struct ct_err *err, const char *path, long line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ct_err_set(err, CT_E_INPUT, path, line, "%s", msg);
}

static int parse_pct(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (!*s || *end || errno || !isfinite(v) || v <= 0 || v > 1000)
		return CT_E_INPUT;
	*out = v;
	return CT_OK;
}

static int parse_scope(struct ct_budget_def *b, const char *s)
{
	static const struct {
		const char *prefix;
		enum ct_scope scope;
	} kinds[] = {
		{"account:", CT_SCOPE_ACCOUNT},
		{"service:", CT_SCOPE_SERVICE},
		{"region:", CT_SCOPE_REGION},
	};

	if (!strcmp(s, "total")) {
		b->scope = CT_SCOPE_TOTAL;
		return CT_OK;
	}
	for (size_t i = 0; i < CT_NELEM(kinds); i++) {
		size_t n = strlen(kinds[i].prefix);
		if (!strncmp(s, kinds[i].prefix, n) && s[n]) {
			b->scope = kinds[i].scope;
			b->value = ct_xstrdup(s + n);
			return CT_OK;
		}
	}
	if (!strncmp(s, "tag:", 4)) {
		const char *eq = strchr(s + 4, '=');
		const char *k = s + 4, *e = eq;
		char *key;

		if (!eq)
			return CT_E_INPUT;
		while (k < e && (*k == ' ' || *k == '\t'))
			k++;
		while (e > k && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (k == e)
			return CT_E_INPUT;
		key = ct_xstrndup(k, (size_t)(e - k));
		for (char *p = key; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		b->scope = CT_SCOPE_TAG;
		b->key = key;
		b->value = ct_xstrdup(eq + 1);
		return CT_OK;
	}
	return CT_E_INPUT;
}

static int budget(struct ct_config *c, char **w, int n, long line, struct ct_err *err)
{
	struct ct_budget_def b = {0};
	int rc = CT_OK;

	b.warning_pct = 80;
	b.critical_pct = 100;
	b.line = line;
	if (n < 3) {
		rc = bad(err, c->path, line, "budget wants a scope and an amount: "
			 "budget SCOPE AMOUNT [warning=PCT] [critical=PCT] [name=TEXT]");
		goto out;
	}
	if (parse_scope(&b, w[1]) != CT_OK) {
		rc = bad(err, c->path, line, "unknown budget scope '%.60s' (total, account:ID, "
			 "service:NAME, region:ID or tag:KEY=VALUE)", w[1]);
		goto out;
	}
	if (ct_money_parse(w[2], strlen(w[2]), &b.amount) != CT_OK || b.amount <= 0) {
		rc = bad(err, c->path, line, "budget amount '%.40s' is not a positive "
			 "number", w[2]);
		goto out;
	}
	for (int i = 3; i < n; i++) {
		const char *eq = strchr(w[i], '=');
		double *pct = NULL;

		if (eq && !strncmp(w[i], "warning=", 8))
			pct = &b.warning_pct;
		else if (eq && !strncmp(w[i], "critical=", 9))
			pct = &b.critical_pct;
		else if (eq && !strncmp(w[i], "name=", 5) && eq[1]) {
			free(b.name);
			b.name = ct_xstrdup(eq + 1);
			continue;
		} else {
			rc = bad(err, c->path, line, "unknown budget option '%.40s' (warning=, "
				 "critical=, name=)", w[i]);
			goto out;
		}
		if (parse_pct(eq + 1, pct) != CT_OK) {
			rc = bad(err, c->path, line, "'%.40s': a percentage above 0 and at "
				 "most 1000", w[i]);
			goto out;
		}
	}
	if (b.warning_pct > b.critical_pct) {
		rc = bad(err, c->path, line, "warning (%g%%) is above critical (%g%%)",
			 b.warning_pct, b.critical_pct);
		goto out;
	}
	if (!b.name)
		b.name = ct_configfile_scope_text(&b);
	c->budgets = ct_xrealloc(c->budgets, (c->nbudgets + 1) * sizeof(*c->budgets));
	c->budgets[c->nbudgets++] = b;
	return CT_OK;
out:
	free(b.name);
	free(b.key);
	free(b.value);
	return rc;
}

struct ct_config *ct_configfile_load(const char *path, bool required, struct ct_err *err)
{
	struct ct_config *c = ct_xcalloc(1, sizeof(*c));
	char *buf = ct_xmalloc(MAX_FILE + 1), *p, *end;
	size_t size;
	long line = 0;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		free(buf);
		if (errno == ENOENT && !required)
			return c;
		ct_err_set(err, CT_E_IO, path, 0, "cannot read the config file: %s",
			   strerror(errno));
		ct_configfile_free(c);
		return NULL;
	}
	c->path = ct_xstrdup(path);
	size = fread(buf, 1, MAX_FILE + 1, f);
	if (size > MAX_FILE) {
		bad(err, path, 0, "larger than %d KiB: not a config file", MAX_FILE >> 10);
		goto fail;
	}
	buf[size] = '\0';
	if (size >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		memset(buf, ' ', 3); /* a byte order mark */
	for (p = buf; p < buf + size; p = end + 1) {
		char *w[MAX_WORDS];
		const char *why = NULL;
		int n;

		line++;
		end = memchr(p, '\n', (size_t)(buf + size - p));
		if (!end)
			end = buf + size;
		*end = '\0';
		if (strlen(p) != (size_t)(end - p)) {
			bad(err, path, line, "a NUL byte");
			goto fail;
		}
		n = split(p, w, &why);
		if (n < 0) {
			bad(err, path, line, "%s", why);
			goto fail;
		}
		if (n == 0)
			continue;
		if (!strcmp(w[0], "budget")) {
			if (budget(c, w, n, line, err) != CT_OK)
				goto fail;
		} else {
			bad(err, path, line, "unknown statement '%.40s' (budget)", w[0]);
			goto fail;
		}
	}
	if (ferror(f)) {
		ct_err_set(err, CT_E_IO, path, 0, "cannot read the config file: %s",
			   strerror(errno));
		goto fail;
	}
	free(buf);
	fclose(f);
	return c;
fail:
	free(buf);
	fclose(f);
	ct_configfile_free(c);
	return NULL;
}
