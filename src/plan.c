/*
 * plan.c - the Terraform plan reader (see plan.h).
 *
 * Region rules, in order: a resource's availability_zone attribute (minus
 * its zone letter); its provider configuration's region (provider_config_key
 * from the configuration, with module prefixes and aliases), given as a
 * constant or as a root variable; else us-east-1, flagged as assumed.
 */
#include "ct.h"
#include "plan.h"
#include "hash.h"

#include <errno.h>

#define MAX_PLAN_BYTES (512u << 20) /* a plan over 512 MB is bad input */

struct provider {
	char *key;    /* "aws", "aws.eu", "module.x:aws" */
	char region[32];
};

/* Lookups built on first use, so that pricing a plan stays linear in
 * its size: configuration resources by (module, address), and which
 * modules have been indexed. */
struct plan_cache {
	struct ct_hash_map cfg;     /* hash(module node, address) -> index in cfgv */
	struct ct_hash_map indexed; /* module node -> 1 */
	json_t **cfgv;              /* borrowed nodes */
	size_t ncfg, capcfg;
};

struct ct_plan {
	json_t *root;
	json_t *changes; /* borrowed from root */
	struct provider *prov;
	size_t nprov;
	struct plan_cache *cache; /* owned */
};

const char *ct_plan_str(json_t *obj, const char *key)
{
	json_t *v = obj ? json_object_get(obj, key) : NULL;

	return json_is_string(v) ? json_string_value(v) : NULL;
}

bool ct_plan_num(json_t *obj, const char *key, double *out)
{
	json_t *v = obj ? json_object_get(obj, key) : NULL;

	if (!json_is_number(v))
		return false;
	*out = json_number_value(v);
	return true;
}

bool ct_plan_bool(json_t *obj, const char *key)
{
	json_t *v = obj ? json_object_get(obj, key) : NULL;

	return json_is_true(v);
}

json_t *ct_plan_block(json_t *obj, const char *key)
{
	json_t *v = obj ? json_object_get(obj, key) : NULL;

	if (json_is_array(v) && json_array_size(v) > 0 &&
	    json_is_object(json_array_get(v, 0)))
		return json_array_get(v, 0);
	return json_is_object(v) ? v : NULL;
}

bool ct_plan_unknown(json_t *unknown, const char *key)
{
	json_t *v = unknown ? json_object_get(unknown, key) : NULL;

	return json_is_true(v);
}

/* The region an expression gives: a constant, or a root variable. */
static void expr_region(json_t *root, json_t *expr, char out[32])
{
	const char *s = ct_plan_str(expr, "constant_value");
	json_t *refs;

	if (s) {
		snprintf(out, 32, "%s", s);
		return;
	}
	refs = json_object_get(expr, "references");
	if (json_is_array(refs) && json_array_size(refs) > 0 &&
	    json_is_string(json_array_get(refs, 0))) {
		const char *r = json_string_value(json_array_get(refs, 0));
		if (!strncmp(r, "var.", 4)) {
			json_t *v = json_object_get(json_object_get(root, "variables"), r + 4);
			s = ct_plan_str(v, "value");
			if (s)
				snprintf(out, 32, "%s", s);
		}
	}
}

static void load_providers(struct ct_plan *p)
{
	json_t *pc = json_object_get(json_object_get(p->root, "configuration"),
				     "provider_config");
	const char *key;
	json_t *v;

	if (!json_is_object(pc))
		return;
	p->prov = ct_xcalloc(json_object_size(pc) + 1, sizeof(*p->prov));
	json_object_foreach(pc, key, v) {
		struct provider *pr = &p->prov[p->nprov++];
		json_t *region = json_object_get(json_object_get(v, "expressions"), "region");
		pr->key = ct_xstrdup(key);
		if (region)
			expr_region(p->root, region, pr->region);
	}
}

/* Top-level members the estimate never reads: planned_values and
 * prior_state repeat what resource_changes holds, and together they are
 * most of a large plan. Leaving them out before parsing halves the memory
 * and time of a 3,000-resource plan. */
static const char *const skipped[] = {
	"planned_values", "prior_state", "relevant_attributes", "output_changes",
	"checks", "resource_drift",
};

/* End of the JSON value starting at s (s < e): the byte after it, or NULL
 * when the text is not well formed (the full parse then reports it). */
static const char *value_end(const char *s, const char *e)
{
	int depth = 0;

	for (; s < e; s++) {
		switch (*s) {
		case '"':
			for (s++; s < e && *s != '"'; s++)
				if (*s == '\\')
					s++;
			if (s >= e)
				return NULL;
			if (depth == 0)
				return s + 1;
			break;
		case '{':
		case '[':
			depth++;
			break;
		case '}':
		case ']':
			if (depth == 0)
				return s; /* a scalar ends where its container does */
			if (--depth == 0)
				return s + 1;
			break;
		case ',':
			if (depth == 0)
				return s;
			break;
		default:
			break;
		}
	}
	return depth == 0 ? e : NULL;
}

/* Copy text without the skipped top-level members; NULL if the outline is
 * not what a plan looks like (then the whole text is parsed). */
static char *strip_plan(const char *t, size_t len, size_t *out_len)
{
	const char *s = t, *e = t + len;
	char *out, *o;

	while (s < e && (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t'))
		s++;
	if (s >= e || *s != '{')
		return NULL;
	out = ct_xmalloc(len + 1);
	o = out;
	*o++ = '{';
	s++;
	for (bool first = true;; first = false) {
		const char *k, *ke, *v, *ve;
		bool skip = false;
		while (s < e && (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t'))
			s++;
		if (s < e && *s == '}')
			break;
		if (!first) { /* members are separated by exactly one comma */
			if (s >= e || *s != ',')
				goto bad;
			s++;
			while (s < e && (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t'))
				s++;
		}
		if (s >= e || *s != '"')
			goto bad;
		k = s;
		ke = value_end(s, e);
		if (!ke)
			goto bad;
		for (size_t i = 0; i < CT_NELEM(skipped); i++)
			if ((size_t)(ke - k) == strlen(skipped[i]) + 2 &&
			    !memcmp(k + 1, skipped[i], strlen(skipped[i])))
				skip = true;
		v = ke;
		while (v < e && *v != ':')
			v++;
		if (v >= e)
			goto bad;
		v++;
		while (v < e && (*v == ' ' || *v == '\n' || *v == '\r' || *v == '\t'))
			v++;
		ve = value_end(v, e);
		if (!ve)
			goto bad;
		if (!skip) {
			if (o > out + 1)
				*o++ = ',';
			memcpy(o, k, (size_t)(ve - k));
			o += ve - k;
		}
		s = ve;
	}
	/* nothing but blanks may follow the document */
	for (s++; s < e; s++)
		if (*s != ' ' && *s != '\n' && *s != '\r' && *s != '\t')
			goto bad;
	*o++ = '}';
	*out_len = (size_t)(o - out);
	return out;
bad:
	free(out);
	return NULL;
}

/* Read a whole file; NULL with err on failure. */
static char *slurp(const char *path, size_t *len, struct ct_err *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f) {
		ct_err_set(err, CT_E_IO, path, 0, "cannot read: %s", strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t r;
		if (n + 65536 > cap) {
			cap = cap ? cap * 2 : 1 << 20;
			if (cap > MAX_PLAN_BYTES + 65536) {
				fclose(f);
				free(buf);
				ct_err_set(err, CT_E_INPUT, path, 0, "plan larger than 512 MB");
				return NULL;
			}
			buf = ct_xrealloc(buf, cap);
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		fclose(f);
		free(buf);
		ct_err_set(err, CT_E_IO, path, 0, "cannot read: %s", strerror(errno));
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

struct ct_plan *ct_plan_load(const char *path, struct ct_err *err)
{
	struct ct_plan *p;
	json_error_t je;
	json_t *root = NULL;
	size_t len = 0, slen = 0;
	char *text = slurp(path, &len, err), *small;

	if (!text)
		return NULL;
	small = strip_plan(text, len, &slen);
	if (small) {
		root = json_loadb(small, slen, JSON_REJECT_DUPLICATES, &je);
		free(small);
	}
	if (!root) /* the whole text: also gives the right error line */
		root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	free(text);
	if (!root) {
		ct_err_set(err, CT_E_INPUT, path, je.line > 0 ? je.line : 0,
			   "not a JSON plan: %s", je.text);
		return NULL;
	}
	if (!json_is_object(root) || !json_is_array(json_object_get(root, "resource_changes"))) {
		json_decref(root);
		ct_err_set(err, CT_E_INPUT, path, 0,
			   "not a Terraform plan: no resource_changes (make it with "
			   "'terraform show -json plan.out > plan.json')");
		return NULL;
	}
	p = ct_xcalloc(1, sizeof(*p));
	p->cache = ct_xcalloc(1, sizeof(*p->cache));
	ct_hash_map_init(&p->cache->cfg);
	ct_hash_map_init(&p->cache->indexed);
	p->root = root;
	p->changes = json_object_get(root, "resource_changes");
	load_providers(p);
	return p;
}

void ct_plan_free(struct ct_plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nprov; i++)
		free(p->prov[i].key);
	free(p->prov);
	ct_hash_map_release(&p->cache->cfg);
	ct_hash_map_release(&p->cache->indexed);
	free(p->cache->cfgv);
	free(p->cache);
	json_decref(p->root);
	free(p);
}

size_t ct_plan_count(const struct ct_plan *p)
{
	return json_array_size(p->changes);
}

/* The configuration module of a module address: module.a["x"].module.b
 * -> root_module.module_calls.a.module.module_calls.b.module */
static json_t *config_module(const struct ct_plan *p, const char *module)
{
	json_t *m = json_object_get(json_object_get(p->root, "configuration"), "root_module");
	const char *s = module;

	while (m && s && *s) {
		char name[128];
		size_t n = 0;
		if (strncmp(s, "module.", 7) != 0)
			return NULL;
		s += 7;
		while (*s && *s != '.' && *s != '[' && n + 1 < sizeof(name))
			name[n++] = *s++;
		name[n] = '\0';
		if (*s == '[') { /* skip the instance key, which may hold dots */
			bool q = false;
			for (s++; *s && (q || *s != ']'); s++)
				if (*s == '"')
					q = !q;
			if (*s == ']')
				s++;
		}
		if (*s == '.')
			s++;
		m = json_object_get(json_object_get(json_object_get(m, "module_calls"), name),
				    "module");
	}
	return m;
}

/* The configuration entry of a change: same module, address without the
 * instance key. */
static uint64_t cfg_key(const json_t *m, const char *addr)
{
	return ct_hash_bytes(addr, strlen(addr), ct_hash_u64(0, (uint64_t)(uintptr_t)m));
}

static json_t *config_resource(const struct ct_plan *p, const char *module,
			       const char *type, const char *name)
{
	json_t *m = config_module(p, module), *res, *r;
	struct plan_cache *c = p->cache;
	char addr[256];
	int64_t v;
	size_t i;

	if (!m)
		return NULL;
	if (!ct_hash_map_get(&c->indexed, (uint64_t)(uintptr_t)m, &v)) {
		res = json_object_get(m, "resources");
		json_array_foreach(res, i, r) {
			const char *a = ct_plan_str(r, "address");
			if (!a)
				continue;
			CT_GROW(c->cfgv, c->ncfg + 1, c->capcfg);
			c->cfgv[c->ncfg] = r;
			ct_hash_map_put(&c->cfg, cfg_key(m, a), (int64_t)c->ncfg);
			c->ncfg++;
		}
		ct_hash_map_put(&c->indexed, (uint64_t)(uintptr_t)m, 1);
	}
	snprintf(addr, sizeof(addr), "%s.%s", type, name);
	if (ct_hash_map_get(&c->cfg, cfg_key(m, addr), &v)) {
		r = c->cfgv[v];
		if (!strcmp(ct_plan_str(r, "address"), addr))
			return r;
	}
	return NULL;
}

static const char *provider_region(const struct ct_plan *p, const char *key)
{
	for (int pass = 0; pass < 2 && key; pass++) {
		for (size_t i = 0; i < p->nprov; i++)
			if (!strcmp(p->prov[i].key, key) && p->prov[i].region[0])
				return p->prov[i].region;
		/* "module.x:aws.eu" inherits "aws.eu" from the root */
		key = strrchr(key, ':') ? strrchr(key, ':') + 1 : NULL;
	}
	return NULL;
}

void ct_plan_get(const struct ct_plan *p, size_t i, struct ct_plan_change *c)
{
	json_t *rc = json_array_get(p->changes, i);
	json_t *ch = json_object_get(rc, "change");
	json_t *acts = json_object_get(ch, "actions");
	const char *a0 = json_string_value(json_array_get(acts, 0));
	const char *az, *reg = NULL, *mode = ct_plan_str(rc, "mode");
	json_t *cfg;

	memset(c, 0, sizeof(*c));
	c->address = ct_plan_str(rc, "address") ? ct_plan_str(rc, "address") : "";
	c->module = ct_plan_str(rc, "module_address") ? ct_plan_str(rc, "module_address") : "";
	c->type = ct_plan_str(rc, "type") ? ct_plan_str(rc, "type") : "";
	c->data = mode && !strcmp(mode, "data");
	if (json_array_size(acts) == 2)
		c->action = "replace";
	else if (a0 && (!strcmp(a0, "create") || !strcmp(a0, "update") ||
			!strcmp(a0, "delete") || !strcmp(a0, "read")))
		c->action = a0;
	else
		c->action = "no-op";
	c->before = json_is_object(json_object_get(ch, "before")) ? json_object_get(ch, "before") : NULL;
	c->after = json_is_object(json_object_get(ch, "after")) ? json_object_get(ch, "after") : NULL;
	/* "forget" (a removed block that keeps the object): Terraform stops
	 * managing it, but it still runs and costs the same */
	if (a0 && !strcmp(a0, "forget") && json_array_size(acts) == 1) {
		c->action = "no-op";
		c->after = c->before;
	}
	c->after_unknown = json_object_get(ch, "after_unknown");

	az = ct_plan_str(c->after ? c->after : c->before, "availability_zone");
	if (az && strlen(az) > 2 && strlen(az) < sizeof(c->region)) {
		/* us-east-1a -> us-east-1 (also local zones: us-east-1-bos-1a) */
		snprintf(c->region, sizeof(c->region), "%s", az);
		size_t n = strlen(c->region);
		if (c->region[n - 1] >= 'a' && c->region[n - 1] <= 'z')
			c->region[n - 1] = '\0';
		return;
	}
	cfg = config_resource(p, c->module, c->type, ct_plan_str(rc, "name") ? ct_plan_str(rc, "name") : "");
	reg = provider_region(p, ct_plan_str(cfg, "provider_config_key"));
	if (!reg)
		reg = provider_region(p, "aws");
	if (reg) {
		snprintf(c->region, sizeof(c->region), "%s", reg);
	} else {
		snprintf(c->region, sizeof(c->region), "us-east-1");
		c->region_default = true;
	}
}

const char *ct_plan_launch_template_type(const struct ct_plan *p,
					 const struct ct_plan_change *c)
{
	json_t *rc = NULL, *cfg, *lt, *refs, *r;
	const char *name = NULL;
	size_t i, k;

	for (i = 0; i < ct_plan_count(p); i++) {
		rc = json_array_get(p->changes, i);
		if (!strcmp(ct_plan_str(rc, "address") ? ct_plan_str(rc, "address") : "", c->address))
			break;
	}
	if (i == ct_plan_count(p))
		return NULL;
	cfg = config_resource(p, c->module, c->type, ct_plan_str(rc, "name") ? ct_plan_str(rc, "name") : "");
	lt = ct_plan_block(json_object_get(cfg, "expressions"), "launch_template");
	for (const char *const *f = (const char *const[]){"id", "name", NULL}; *f && !name; f++) {
		refs = json_object_get(json_object_get(lt, *f), "references");
		json_array_foreach(refs, k, r) {
			const char *s = json_string_value(r);
			if (s && !strncmp(s, "aws_launch_template.", 20)) {
				name = s + 20;
				break;
			}
		}
	}
	if (!name)
		return NULL;
	for (i = 0; i < ct_plan_count(p); i++) {
		const char *type, *rname, *mod;
		size_t n = strcspn(name, ".");
		rc = json_array_get(p->changes, i);
		type = ct_plan_str(rc, "type");
		rname = ct_plan_str(rc, "name");
		mod = ct_plan_str(rc, "module_address") ? ct_plan_str(rc, "module_address") : "";
		if (type && rname && !strcmp(type, "aws_launch_template") &&
		    strlen(rname) == n && !strncmp(rname, name, n) && !strcmp(mod, c->module)) {
			json_t *ch = json_object_get(rc, "change");
			json_t *a = json_object_get(ch, "after");
			return ct_plan_str(json_is_object(a) ? a : json_object_get(ch, "before"),
					   "instance_type");
		}
	}
	return NULL;
}
