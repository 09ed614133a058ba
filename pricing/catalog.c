/*
 * catalog.c - the price catalog (see catalog.h): embedded CSV files plus
 * refreshed prices from the store, indexed by key.
 *
 * Depends on csv.c/stream.c to read the embedded files, store.c for the
 * refreshed prices. Pure lookups after loading: no I/O, no globals.
 */
#include "ct.h"
#include "catalog.h"
#include "csv.h"
#include "embed.h"
#include "hash.h"
#include "store.h"
#include "stream.h"

#include <math.h>
#include <strings.h>

static const char *const columns[] = {
	"service", "region", "product", "variant", "term", "offering",
	"years", "payment", "unit", "tier_start", "tier_end", "price",
	"upfront", "note", "source", "as_of",
};
enum { C_SERVICE, C_REGION, C_PRODUCT, C_VARIANT, C_TERM, C_OFFERING,
       C_YEARS, C_PAYMENT, C_UNIT, C_TSTART, C_TEND, C_PRICE, C_UPFRONT,
       C_NOTE, C_SOURCE, C_ASOF, C__N };

struct itype {
	char *type;
	int vcpu;
	double mem;
};

struct ratio {
	char *offering, *payment, *source;
	int years;
	double ratio, upfront_share;
};

struct ct_catalog {
	struct ct_price *rows; /* sorted by key, then tier_start */
	size_t n, cap;
	struct ct_hash_map index; /* key hash -> first row of the key */
	char **strings;           /* interned strings, owned */
	size_t nstrings, capstrings;
	struct ct_hash_map strmap; /* string hash -> index in strings */
	struct itype *types;
	size_t ntypes, captypes;
	struct ct_hash_map typemap;
	struct ratio *ratios;
	size_t nratios, capratios;
};

/* Intern a string: equal strings share one copy, so keys compare fast. */
static const char *intern(struct ct_catalog *c, const char *s, size_t len)
{
	uint64_t h = ct_hash_bytes(s, len, 7);
	int64_t i;

	while (ct_hash_map_get(&c->strmap, h, &i)) {
		if (strlen(c->strings[i]) == len && !memcmp(c->strings[i], s, len))
			return c->strings[i];
		h = ct_hash_u64(h, 1); /* collision: probe the next hash */
	}
	CT_GROW(c->strings, c->nstrings + 1, c->capstrings);
	c->strings[c->nstrings] = ct_xstrndup(s, len);
	ct_hash_map_put(&c->strmap, h, (int64_t)c->nstrings);
	return c->strings[c->nstrings++];
}

/* The interned copy of s, or NULL when no catalog row uses it. */
static const char *interned(const struct ct_catalog *c, const char *s)
{
	size_t len = s ? strlen(s) : 0;
	uint64_t h = ct_hash_bytes(s ? s : "", len, 7);
	int64_t i;

	while (ct_hash_map_get(&c->strmap, h, &i)) {
		if (strlen(c->strings[i]) == len && !memcmp(c->strings[i], s ? s : "", len))
			return c->strings[i];
		h = ct_hash_u64(h, 1);
	}
	return NULL;
}

static uint64_t key_hash(const char *service, const char *region,
			 const char *product, const char *variant,
			 const char *term, const char *offering, int years,
			 const char *payment)
{
	const char *parts[] = {service, region, product, variant, term,
			       offering ? offering : "", payment ? payment : ""};
	uint64_t h = 11;

	for (size_t i = 0; i < CT_NELEM(parts); i++)
		h = ct_hash_bytes(parts[i], strlen(parts[i]) + 1, h);
	return ct_hash_u64(h, (uint64_t)years);
}

static uint64_t row_hash(const struct ct_price *p)
{
	return key_hash(p->service, p->region, p->product, p->variant, p->term,
			p->offering, p->years, p->payment);
}

static bool same_key(const struct ct_price *a, const struct ct_price *b)
{
	/* interned: pointer equality is string equality */
	return a->service == b->service && a->region == b->region &&
	       a->product == b->product && a->variant == b->variant &&
	       a->term == b->term && a->offering == b->offering &&
	       a->years == b->years && a->payment == b->payment;
}

static int cmp_rows(const void *x, const void *y)
{
	const struct ct_price *a = x, *b = y;
	const char *sa[] = {a->service, a->region, a->product, a->variant,
			    a->term, a->offering, a->payment};
	const char *sb[] = {b->service, b->region, b->product, b->variant,
			    b->term, b->offering, b->payment};
	int r;

	for (size_t i = 0; i < CT_NELEM(sa); i++)
		if ((r = strcmp(sa[i], sb[i])) != 0)
			return r;
	if (a->years != b->years)
		return a->years < b->years ? -1 : 1;
	if (a->tier_start != b->tier_start)
		return a->tier_start < b->tier_start ? -1 : 1;
	/* refreshed rows sort first so they win a duplicate key */
	return (int)b->refreshed - (int)a->refreshed;
}

static int bad_row(struct ct_err *err, const char *src, long line,
		   const char *what)
{
	return ct_err_set(err, CT_E_INTERNAL, src, line, "bad catalog row: %s", what);
}

/* Fill a row from text fields (embedded CSV or store). */
static int add_row(struct ct_catalog *c, const char *const *f,
		   const size_t *len, bool refreshed, const char *src,
		   long line, struct ct_err *err)
{
	struct ct_price p = {0};
	char buf[64];

	p.service = intern(c, f[C_SERVICE], len[C_SERVICE]);
	p.region = intern(c, f[C_REGION], len[C_REGION]);
	p.product = intern(c, f[C_PRODUCT], len[C_PRODUCT]);
	p.variant = intern(c, f[C_VARIANT], len[C_VARIANT]);
	p.term = intern(c, f[C_TERM], len[C_TERM]);
	p.offering = intern(c, f[C_OFFERING], len[C_OFFERING]);
	p.payment = intern(c, f[C_PAYMENT], len[C_PAYMENT]);
	p.unit = intern(c, f[C_UNIT], len[C_UNIT]);
	p.note = len[C_NOTE] ? intern(c, f[C_NOTE], len[C_NOTE]) : NULL;
	p.source = intern(c, f[C_SOURCE], len[C_SOURCE]);
	p.as_of = intern(c, f[C_ASOF], len[C_ASOF]);
	p.refreshed = refreshed;
	if (len[C_YEARS] >= sizeof(buf))
		return bad_row(err, src, line, "years");
	memcpy(buf, f[C_YEARS], len[C_YEARS]);
	buf[len[C_YEARS]] = '\0';
	p.years = len[C_YEARS] ? (int)strtol(buf, NULL, 10) : 0;
	if (ct_num_parse(f[C_TSTART], len[C_TSTART], &p.tier_start) != CT_OK &&
	    len[C_TSTART])
		return bad_row(err, src, line, "tier_start");
	if (!len[C_TEND])
		p.tier_end = INFINITY;
	else if (ct_num_parse(f[C_TEND], len[C_TEND], &p.tier_end) != CT_OK)
		return bad_row(err, src, line, "tier_end");
	if (ct_rate_parse(f[C_PRICE], len[C_PRICE], &p.price) != CT_OK)
		return bad_row(err, src, line, "price");
	if (len[C_UPFRONT]) {
		if (ct_money_parse(f[C_UPFRONT], len[C_UPFRONT], &p.upfront) != CT_OK)
			return bad_row(err, src, line, "upfront");
		p.has_upfront = true;
	}
	if (!len[C_SERVICE] || !len[C_REGION] || !len[C_PRODUCT] || !len[C_TERM] ||
	    !len[C_UNIT])
		return bad_row(err, src, line, "empty key column");
	CT_GROW(c->rows, c->n + 1, c->cap);
	c->rows[c->n++] = p;
	return CT_OK;
}

static int load_prices(struct ct_catalog *c, const struct ct_embed *e,
		       struct ct_err *err)
{
	struct ct_stream *in = ct_stream_open_mem(e->name, e->data, e->len, err);
	struct ct_csv *csv;
	struct ct_csv_rec r;
	long idx[C__N];
	int rc;

	if (!in)
		return CT_E_INTERNAL;
	csv = ct_csv_open(in, 0);
	rc = ct_csv_next(csv, &r, err);
	if (rc != 1) {
		rc = bad_row(err, e->name, 1, "no header");
		goto out;
	}
	for (int k = 0; k < C__N; k++) {
		idx[k] = -1;
		for (size_t i = 0; i < r.n; i++)
			if (!strcmp(r.field[i], columns[k]))
				idx[k] = (long)i;
		if (idx[k] < 0) {
			rc = bad_row(err, e->name, 1, columns[k]);
			goto out;
		}
	}
	while ((rc = ct_csv_next(csv, &r, err)) == 1) {
		const char *f[C__N];
		size_t len[C__N];
		if (r.n != CT_NELEM(columns) && r.n <= (size_t)idx[C_ASOF]) {
			rc = bad_row(err, e->name, r.line, "field count");
			goto out;
		}
		for (int k = 0; k < C__N; k++) {
			f[k] = r.field[idx[k]];
			len[k] = r.len[idx[k]];
		}
		rc = add_row(c, f, len, false, e->name, r.line, err);
		if (rc != CT_OK)
			goto out;
	}
out:
	ct_csv_close(csv);
	return rc < 0 ? rc : CT_OK;
}

/* data/catalog/ec2_types.csv: instance_type,vcpu,memory_gib,source */
static int load_types(struct ct_catalog *c, const struct ct_embed *e,
		      struct ct_err *err)
{
	struct ct_stream *in = ct_stream_open_mem(e->name, e->data, e->len, err);
	struct ct_csv *csv;
	struct ct_csv_rec r;
	int rc;

	if (!in)
		return CT_E_INTERNAL;
	csv = ct_csv_open(in, 0);
	rc = ct_csv_next(csv, &r, err); /* header */
	while (rc == 1 && (rc = ct_csv_next(csv, &r, err)) == 1) {
		struct itype *t;
		double v, m;
		if (r.n < 3 || ct_num_parse(r.field[1], r.len[1], &v) != CT_OK ||
		    ct_num_parse(r.field[2], r.len[2], &m) != CT_OK) {
			rc = bad_row(err, e->name, r.line, "instance type");
			break;
		}
		CT_GROW(c->types, c->ntypes + 1, c->captypes);
		t = &c->types[c->ntypes];
		t->type = ct_xstrdup(r.field[0]);
		t->vcpu = (int)v;
		t->mem = m;
		ct_hash_map_put(&c->typemap, ct_hash_bytes(t->type, strlen(t->type), 3),
				(int64_t)c->ntypes);
		c->ntypes++;
	}
	ct_csv_close(csv);
	return rc < 0 ? rc : CT_OK;
}

/* data/catalog/reserved_ratios.csv: offering,years,payment,ratio,upfront_share,source */
static int load_ratios(struct ct_catalog *c, const struct ct_embed *e,
		       struct ct_err *err)
{
	struct ct_stream *in = ct_stream_open_mem(e->name, e->data, e->len, err);
	struct ct_csv *csv;
	struct ct_csv_rec r;
	int rc;

	if (!in)
		return CT_E_INTERNAL;
	csv = ct_csv_open(in, 0);
	rc = ct_csv_next(csv, &r, err);
	while (rc == 1 && (rc = ct_csv_next(csv, &r, err)) == 1) {
		struct ratio *x;
		double y;
		CT_GROW(c->ratios, c->nratios + 1, c->capratios);
		x = &c->ratios[c->nratios];
		if (r.n < 6 || ct_num_parse(r.field[1], r.len[1], &y) != CT_OK ||
		    ct_num_parse(r.field[3], r.len[3], &x->ratio) != CT_OK ||
		    ct_num_parse(r.field[4], r.len[4], &x->upfront_share) != CT_OK) {
			rc = bad_row(err, e->name, r.line, "ratio");
			break;
		}
		x->offering = ct_xstrdup(r.field[0]);
		x->years = (int)y;
		x->payment = ct_xstrdup(r.field[2]);
		x->source = ct_xstrdup(r.field[5]);
		c->nratios++;
	}
	ct_csv_close(csv);
	return rc < 0 ? rc : CT_OK;
}

static int load_store(struct ct_catalog *c, struct ct_store *st,
		      struct ct_err *err)
{
	struct ct_stmt *q = ct_store_prepare(st,
		"SELECT service, region, product, variant, term, offering,"
		" CAST(years AS TEXT), payment, unit, CAST(tier_start AS TEXT),"
		" coalesce(CAST(tier_end AS TEXT), ''), price, coalesce(upfront, ''),"
		" coalesce(note, ''), source, as_of FROM price", err);
	int r;

	if (!q)
		return CT_E_DB;
	while ((r = ct_stmt_step(q, err)) == 1) {
		const char *f[C__N];
		size_t len[C__N];
		for (int k = 0; k < C__N; k++) {
			f[k] = ct_stmt_text(q, k) ? ct_stmt_text(q, k) : "";
			len[k] = strlen(f[k]);
		}
		if (add_row(c, f, len, true, "price table", 0, err) != CT_OK) {
			r = CT_E_DB;
			break;
		}
	}
	ct_stmt_finalize(q);
	return r < 0 ? CT_E_DB : CT_OK;
}

struct ct_catalog *ct_catalog_load(struct ct_store *st, struct ct_err *err)
{
	struct ct_catalog *c = ct_xcalloc(1, sizeof(*c));
	size_t w = 0;

	ct_hash_map_init(&c->index);
	ct_hash_map_init(&c->strmap);
	ct_hash_map_init(&c->typemap);
	for (const struct ct_embed *e = ct_embedded; e->name; e++) {
		int rc = CT_OK;
		if (strncmp(e->name, "catalog/", 8) != 0)
			continue;
		if (!strcmp(e->name, "catalog/ec2_types.csv"))
			rc = load_types(c, e, err);
		else if (!strcmp(e->name, "catalog/reserved_ratios.csv"))
			rc = load_ratios(c, e, err);
		else
			rc = load_prices(c, e, err);
		if (rc != CT_OK)
			goto fail;
	}
	if (st && load_store(c, st, err) != CT_OK)
		goto fail;
	qsort(c->rows, c->n, sizeof(*c->rows), cmp_rows);
	/* a refreshed key replaces the embedded key as a whole (all tiers) */
	for (size_t i = 0; i < c->n;) {
		size_t j = i;
		bool refreshed = false;
		while (j < c->n && same_key(&c->rows[i], &c->rows[j])) {
			refreshed |= c->rows[j].refreshed;
			j++;
		}
		for (size_t k = i; k < j; k++) {
			if (refreshed && !c->rows[k].refreshed)
				continue;
			if (w > 0 && same_key(&c->rows[w - 1], &c->rows[k]) &&
			    c->rows[w - 1].tier_start == c->rows[k].tier_start)
				continue; /* duplicate tier: first (refreshed) wins */
			c->rows[w++] = c->rows[k];
		}
		i = j;
	}
	c->n = w;
	for (size_t i = 0; i < c->n; i++)
		if (i == 0 || !same_key(&c->rows[i - 1], &c->rows[i]))
			ct_hash_map_put(&c->index, row_hash(&c->rows[i]), (int64_t)i);
	return c;
fail:
	ct_catalog_free(c);
	return NULL;
}

void ct_catalog_free(struct ct_catalog *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nstrings; i++)
		free(c->strings[i]);
	for (size_t i = 0; i < c->ntypes; i++)
		free(c->types[i].type);
	for (size_t i = 0; i < c->nratios; i++) {
		free(c->ratios[i].offering);
		free(c->ratios[i].payment);
		free(c->ratios[i].source);
	}
	free(c->strings);
	free(c->types);
	free(c->ratios);
	free(c->rows);
	ct_hash_map_release(&c->index);
	ct_hash_map_release(&c->strmap);
	ct_hash_map_release(&c->typemap);
	free(c);
}

const struct ct_price *ct_catalog_row(const struct ct_catalog *c, size_t i)
{
	return i < c->n ? &c->rows[i] : NULL;
}

static bool eq(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

static bool matches(const struct ct_price *p, const struct ct_price_query *q)
{
	return eq(p->service, q->service) && eq(p->region, q->region) &&
	       eq(p->product, q->product) && eq(p->variant, q->variant) &&
	       eq(p->term, q->term) && eq(p->offering, q->offering) &&
	       p->years == q->years && eq(p->payment, q->payment);
}

/* Edit distance of two short strings (for "did you mean"). */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t d = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			cur[j] = d;
		}
		memcpy(prev, cur, (lb + 1) * sizeof(size_t));
	}
	return prev[lb];
}

/* Append s to a list of distinct values (at most max shown). */
static void add_known(const char **list, size_t *n, size_t max, const char *s,
		      size_t *total)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(list[i], s))
			return;
	(*total)++;
	if (*n < max)
		list[(*n)++] = s;
}

static char *join(const char *const *list, size_t n, size_t total)
{
	char *out = ct_xstrdup("");

	for (size_t i = 0; i < n; i++) {
		char *t = ct_xasprintf("%s%s%s", out, i ? ", " : "", list[i][0] ? list[i] : "(none)");
		free(out);
		out = t;
	}
	if (total > n) {
		char *t = ct_xasprintf("%s and %zu more", out, total - n);
		free(out);
		out = t;
	}
	return out;
}

/* Say what is known, level by level: the first part of the key that has
 * no match is the one to name. */
static int no_price(const struct ct_catalog *c, const struct ct_price_query *q,
		    struct ct_err *err)
{
	const char *known[8];
	char terms[8][48];
	size_t nk = 0, total = 0;
	char *list;
	int level;
	char what[256];

	snprintf(what, sizeof(what), "%s %s in %s (%s%s%s%s%s%s%s)", q->service,
		 q->product, q->region, q->variant[0] ? q->variant : "-", ", ",
		 q->term, q->offering && *q->offering ? " " : "",
		 q->offering ? q->offering : "", q->years ? (q->years == 1 ? " 1y" : " 3y") : "",
		 q->payment && *q->payment ? " upfront" : "");
	/* Strings no row uses match nothing; the others compare by pointer
	 * (rows hold interned copies), which keeps a failed lookup cheap. */
	const char *qs = interned(c, q->service), *qp = interned(c, q->product);
	const char *qr = interned(c, q->region), *qv = interned(c, q->variant);
	const char *qt = interned(c, q->term);
	/* level 0: service; 1: product in service; 2: region; 3: variant; 4: term */
	for (level = 0; level < 5; level++) {
		bool any = false;
		const char *need[5] = {qs, qp, qr, qv, qt};
		bool missing = false;
		for (int k = 0; k <= level; k++)
			missing |= need[k] == NULL;
		for (size_t i = 0; i < c->n && !any && !missing; i++) {
			const struct ct_price *p = &c->rows[i];
			any = p->service == qs && (level < 1 || p->product == qp) &&
			      (level < 2 || p->region == qr) &&
			      (level < 3 || p->variant == qv) &&
			      (level < 4 || p->term == qt);
		}
		if (!any)
			break;
	}
	for (size_t i = 0; i < c->n; i++) {
		const struct ct_price *p = &c->rows[i];
		if (level == 0) {
			add_known(known, &nk, 8, p->service, &total);
		} else if (level == 1) {
			if (p->service == qs && p->region == qr &&
			    distance(p->product, q->product) <= 2)
				add_known(known, &nk, 5, p->product, &total);
		} else if (p->service == qs && p->product == qp) {
			if (level == 2)
				add_known(known, &nk, 8, p->region, &total);
			else if (level == 3 && p->region == qr)
				add_known(known, &nk, 8, p->variant, &total);
			else if (level == 4 && p->region == qr &&
				 p->variant == qv)
				add_known(known, &nk, 8, p->term, &total);
			else if (level == 5 && p->region == qr &&
				 p->variant == qv && p->term == qt) {
				if (nk < 8)
					snprintf(terms[nk], sizeof(terms[nk]),
						 "%s %dy %s upfront", p->offering,
						 p->years, p->payment);
				add_known(known, &nk, 8, nk < 8 ? terms[nk] : "", &total);
			}
		}
	}
	list = join(known, nk, total);
	switch (level) {
	case 0:
		ct_err_set(err, CT_E_NOPRICE, NULL, 0, "no price for %s: unknown service '%s'; known: %s",
			   what, q->service, list);
		break;
	case 1:
		if (nk)
			ct_err_set(err, CT_E_NOPRICE, NULL, 0,
				   "no price for %s: unknown %s product '%s'; did you mean %s?",
				   what, q->service, q->product, list);
		else
			ct_err_set(err, CT_E_NOPRICE, NULL, 0,
				   "no price for %s: unknown %s product '%s'", what,
				   q->service, q->product);
		break;
	case 2:
		ct_err_set(err, CT_E_NOPRICE, NULL, 0,
			   "no price for %s: no prices in region '%s'; known regions: %s",
			   what, q->region, list);
		break;
	case 3:
		ct_err_set(err, CT_E_NOPRICE, NULL, 0,
			   "no price for %s: unknown variant '%s'; known: %s", what,
			   q->variant, list);
		break;
	case 4:
		ct_err_set(err, CT_E_NOPRICE, NULL, 0,
			   "no price for %s: no '%s' prices; known terms: %s", what,
			   q->term, list);
		break;
	default:
		ct_err_set(err, CT_E_NOPRICE, NULL, 0, "no price for %s; known: %s",
			   what, nk ? list : "none");
		break;
	}
	free(list);
	return CT_E_NOPRICE;
}

int ct_catalog_find(const struct ct_catalog *c, const struct ct_price_query *q,
		    const struct ct_price **rows, size_t *n, struct ct_err *err)
{
	uint64_t h = key_hash(q->service, q->region, q->product, q->variant,
			      q->term, q->offering, q->years, q->payment);
	int64_t i;
	size_t k;

	if (ct_hash_map_get(&c->index, h, &i) && matches(&c->rows[i], q)) {
		for (k = (size_t)i; k < c->n && matches(&c->rows[k], q); k++)
			;
		*rows = &c->rows[i];
		*n = k - (size_t)i;
		return CT_OK;
	}
	return no_price(c, q, err);
}

ct_money ct_catalog_tiered(const struct ct_price *rows, size_t n, double qty,
			   double from)
{
	ct_money total = 0;
	double lo = from, hi = from + qty;

	for (size_t i = 0; i < n; i++) {
		double a = rows[i].tier_start > lo ? rows[i].tier_start : lo;
		double b = rows[i].tier_end < hi ? rows[i].tier_end : hi;
		if (b > a)
			total += ct_money_of_rate(rows[i].price, b - a);
	}
	return total;
}

bool ct_catalog_instance(const struct ct_catalog *c, const char *type,
			 int *vcpu, double *memory_gib)
{
	int64_t i;

	if (!ct_hash_map_get(&c->typemap, ct_hash_bytes(type, strlen(type), 3), &i) ||
	    strcmp(c->types[i].type, type))
		return false;
	*vcpu = c->types[i].vcpu;
	*memory_gib = c->types[i].mem;
	return true;
}

bool ct_catalog_ri_ratio(const struct ct_catalog *c, const char *offering,
			 int years, const char *payment, double *ratio,
			 double *upfront_share, const char **source)
{
	for (size_t i = 0; i < c->nratios; i++) {
		const struct ratio *x = &c->ratios[i];
		if (!strcmp(x->offering, offering) && x->years == years &&
		    !strcmp(x->payment, payment)) {
			*ratio = x->ratio;
			*upfront_share = x->upfront_share;
			*source = x->source;
			return true;
		}
	}
	return false;
}
