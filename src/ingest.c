/*
 * ingest.c - loading normalised billing lines into the store (see
 * ingest.h).
 *
 * Data flow for one run: format reader -> ct_ingest_line() -> profile id
 * (deduplicated through an in-memory hash map, then the profile table)
 * -> line row + daily rollup entry. The whole run is one transaction, so
 * a bad file anywhere leaves the store exactly as it was.
 *
 * Restatement: the first line of a (provider, billing account, billing
 * period) key in a run deletes whatever earlier runs stored for that key
 * (lines are a rowid range per ingest, so this is a range delete). Files
 * of the same run with the same key add up: a large month is often split
 * in several files.
 *
 * Memory stays flat: the profile map holds 16 bytes per distinct profile
 * and the rollup table is flushed to the store when it grows large.
 */
#include "ct.h"
#include "ingest.h"
#include "clock.h"
#include "csv.h"
#include "focus.h"
#include "hash.h"
#include "money.h"
#include "store.h"
#include "stream.h"

#include <jansson.h>

#define ROLLUP_FLUSH 262144   /* rollup entries kept in memory at most */
#define PROGRESS_EVERY 65536  /* lines between progress callbacks */
#define MAX_LINES_PER_INGEST INT64_C(4294967295)

static const char *const dim_columns[CT_DIM__N] = {
	"provider_name", "publisher_name", "invoice_issuer_name",
	"billing_account_id", "billing_account_name", "billing_account_type",
	"sub_account_id", "sub_account_name", "sub_account_type",
	"billing_currency", "pricing_currency", "invoice_id",
	"charge_category", "charge_class", "charge_frequency",
	"charge_description", "pricing_category", "pricing_unit",
	"consumed_unit", "service_name", "service_category",
	"service_subcategory", "region_id", "region_name",
	"availability_zone", "resource_id", "resource_name", "resource_type",
	"sku_id", "sku_price_id", "sku_meter", "sku_price_details",
	"commitment_discount_id", "commitment_discount_name",
	"commitment_discount_category", "commitment_discount_status",
	"commitment_discount_type", "commitment_discount_unit",
	"capacity_reservation_id", "capacity_reservation_status", "tags",
};

/* One (file, provider, billing account, billing period) being loaded. */
struct load {
	char *provider;   /* owned */
	char *account;    /* owned */
	size_t plen, alen;
	char period[8];   /* YYYY-MM */
	int64_t id;       /* ingest.id */
	int64_t seq;      /* lines so far */
	ct_money billed;
	ct_money effective;
};

/* Daily rollup entry. */
struct day_ent {
	int64_t ingest_id; /* 0 = empty slot */
	int64_t day;
	int64_t profile_id;
	int64_t lines;
	ct_money billed, effective, list;
};

struct ct_ingest {
	struct ct_store *st;
	int64_t batch;
	char now_iso[21];

	struct ct_stmt *ins_line, *find_profile, *ins_profile, *ins_tag;
	struct ct_stmt *find_old, *del_lines, *del_days, *del_ingest;
	struct ct_stmt *ins_ingest, *upd_ingest, *upsert_day;

	/* the file being read */
	const char *source;
	const char *format;
	long line;
	struct ct_stream *in;
	struct load *loads; /* this file's loads */
	size_t nloads, caploads;
	struct load *last;

	struct ct_hash_map profiles; /* profile hash -> profile id */
	char *key;                   /* profile key buffer */
	size_t keycap;

	struct day_ent *days; /* open-addressing rollup table */
	size_t daycap, ndays;

	ct_ingest_progress_fn *progress;
	void *progress_ctx;
	struct ct_ingest_stats stats;
};

static void finalize_all(struct ct_ingest *ing)
{
	ct_stmt_finalize(ing->ins_line);
	ct_stmt_finalize(ing->find_profile);
	ct_stmt_finalize(ing->ins_profile);
	ct_stmt_finalize(ing->ins_tag);
	ct_stmt_finalize(ing->find_old);
	ct_stmt_finalize(ing->del_lines);
	ct_stmt_finalize(ing->del_days);
	ct_stmt_finalize(ing->del_ingest);
	ct_stmt_finalize(ing->ins_ingest);
	ct_stmt_finalize(ing->upd_ingest);
	ct_stmt_finalize(ing->upsert_day);
}

static void free_loads(struct ct_ingest *ing)
{
	for (size_t i = 0; i < ing->nloads; i++) {
		free(ing->loads[i].provider);
		free(ing->loads[i].account);
	}
	ing->nloads = 0;
	ing->last = NULL;
}

static void ingest_free(struct ct_ingest *ing)
{
	finalize_all(ing);
	free_loads(ing);
	free(ing->loads);
	ct_hash_map_release(&ing->profiles);
	free(ing->key);
	free(ing->days);
	free(ing);
}

static char *profile_insert_sql(void)
{
	size_t cap = 4096, n;
	char *sql = ct_xmalloc(cap);

	n = (size_t)snprintf(sql, cap, "INSERT INTO profile (h");
	for (int i = 0; i < CT_DIM__N; i++)
		n += (size_t)snprintf(sql + n, cap - n, ", %s", dim_columns[i]);
	n += (size_t)snprintf(sql + n, cap - n, ") VALUES (?");
	for (int i = 0; i < CT_DIM__N; i++)
		n += (size_t)snprintf(sql + n, cap - n, ", ?");
	snprintf(sql + n, cap - n, ")");
	return sql;
}

struct ct_ingest *ct_ingest_begin(struct ct_store *st, struct ct_err *err)
{
	struct ct_ingest *ing = ct_xcalloc(1, sizeof(*ing));
	struct ct_stmt *q = NULL;
	char *psql = NULL;

	ing->st = st;
	ct_hash_map_init(&ing->profiles);
	ing->daycap = 1024;
	ing->days = ct_xcalloc(ing->daycap, sizeof(*ing->days));
	ct_clock_format_iso(ct_clock_now(), ing->now_iso);

	if (ct_store_begin(st, err) != CT_OK)
		goto fail_nobegin;
	q = ct_store_prepare(st, "SELECT coalesce(max(batch), 0) + 1 FROM ingest", err);
	if (!q || ct_stmt_step(q, err) != 1)
		goto fail;
	ing->batch = ct_stmt_int64(q, 0);
	ct_stmt_finalize(q);
	q = NULL;

	psql = profile_insert_sql();
#define PREP(field, sql)                                                       \
	do {                                                                   \
		if (!(ing->field = ct_store_prepare(st, sql, err)))            \
			goto fail;                                             \
	} while (0)
	PREP(ins_line, "INSERT INTO line VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
	PREP(find_profile, "SELECT id FROM profile WHERE h = ?");
	PREP(ins_profile, psql);
	PREP(ins_tag, "INSERT OR IGNORE INTO profile_tag (profile_id, key_norm, key, value) VALUES (?,?,?,?)");
	PREP(find_old, "SELECT id, rows FROM ingest WHERE provider = ? AND billing_account_id = ? AND billing_period = ? AND batch != ?");
	PREP(del_lines, "DELETE FROM line WHERE id BETWEEN ?1 << 32 AND (?1 << 32) + 4294967295");
	PREP(del_days, "DELETE FROM line_day WHERE ingest_id = ?");
	PREP(del_ingest, "DELETE FROM ingest WHERE id = ?");
	PREP(ins_ingest, "INSERT INTO ingest (batch, source, format, provider, billing_account_id, billing_period, period_start, period_end, checksum, ingested_at) VALUES (?,?,?,?,?,?,?,?,'',?)");
	PREP(upd_ingest, "UPDATE ingest SET rows = ?, billed_cost = ?, effective_cost = ?, checksum = ? WHERE id = ?");
	PREP(upsert_day, "INSERT INTO line_day VALUES (?,?,?,?,?,?,?) ON CONFLICT (ingest_id, day, profile_id) DO UPDATE SET lines = lines + excluded.lines, billed_cost = billed_cost + excluded.billed_cost, effective_cost = effective_cost + excluded.effective_cost, list_cost = list_cost + excluded.list_cost");
#undef PREP
	free(psql);
	return ing;
fail:
	ct_stmt_finalize(q);
	free(psql);
	ct_store_rollback(st);
fail_nobegin:
	ingest_free(ing);
	return NULL;
}

void ct_ingest_set_progress(struct ct_ingest *ing, ct_ingest_progress_fn *fn,
			    void *ctx)
{
	ing->progress = fn;
	ing->progress_ctx = ctx;
}

void ct_ingest_set_line(struct ct_ingest *ing, long line)
{
	ing->line = line;
}

/* ---- daily rollup ---------------------------------------------------- */

static size_t day_slot(const struct day_ent *t, size_t cap, int64_t ingest_id,
		       int64_t day, int64_t profile_id)
{
	uint64_t h = ct_hash_u64(ct_hash_u64(ct_hash_u64(0, (uint64_t)ingest_id),
					     (uint64_t)day),
				 (uint64_t)profile_id);
	size_t mask = cap - 1, i;

	for (i = h & mask; t[i].ingest_id; i = (i + 1) & mask)
		if (t[i].ingest_id == ingest_id && t[i].day == day &&
		    t[i].profile_id == profile_id)
			break;
	return i;
}

static int flush_days(struct ct_ingest *ing, struct ct_err *err)
{
	struct ct_stmt *q = ing->upsert_day;

	for (size_t i = 0; i < ing->daycap; i++) {
		struct day_ent *e = &ing->days[i];
		if (!e->ingest_id)
			continue;
		ct_stmt_bind_int64(q, 1, e->ingest_id);
		ct_stmt_bind_int64(q, 2, e->day);
		ct_stmt_bind_int64(q, 3, e->profile_id);
		ct_stmt_bind_int64(q, 4, e->lines);
		ct_stmt_bind_int64(q, 5, e->billed);
		ct_stmt_bind_int64(q, 6, e->effective);
		ct_stmt_bind_int64(q, 7, e->list);
		if (ct_stmt_step(q, err) < 0) {
			ct_stmt_reset(q);
			return CT_E_DB;
		}
		ct_stmt_reset(q);
	}
	memset(ing->days, 0, ing->daycap * sizeof(*ing->days));
	ing->ndays = 0;
	return CT_OK;
}

static int add_day(struct ct_ingest *ing, int64_t ingest_id, int64_t day,
		   int64_t profile_id, const struct ct_line *ln,
		   struct ct_err *err)
{
	size_t i;
	struct day_ent *e;

	if ((ing->ndays + 1) * 4 > ing->daycap * 3) {
		if (ing->daycap >= ROLLUP_FLUSH) {
			if (flush_days(ing, err) != CT_OK)
				return CT_E_DB;
		} else {
			size_t ncap = ing->daycap * 2;
			struct day_ent *nt = ct_xcalloc(ncap, sizeof(*nt));
			for (size_t k = 0; k < ing->daycap; k++) {
				struct day_ent *o = &ing->days[k];
				if (o->ingest_id)
					nt[day_slot(nt, ncap, o->ingest_id, o->day,
						    o->profile_id)] = *o;
			}
			free(ing->days);
			ing->days = nt;
			ing->daycap = ncap;
		}
	}
	i = day_slot(ing->days, ing->daycap, ingest_id, day, profile_id);
	e = &ing->days[i];
	if (!e->ingest_id) {
		e->ingest_id = ingest_id;
		e->day = day;
		e->profile_id = profile_id;
		ing->ndays++;
	}
	e->lines++;
	e->billed += ln->billed;
	e->effective += ln->effective;
	e->list += ln->has_list ? ln->list : 0;
	return CT_OK;
}

/* ---- profiles -------------------------------------------------------- */

static int input_error(struct ct_ingest *ing, struct ct_err *err,
		       const char *fmt, const char *detail)
{
	return ct_err_set(err, CT_E_INPUT, ing->source, ing->line, fmt, detail);
}

/* Store the tags of a new profile as profile_tag rows. */
static int add_tags(struct ct_ingest *ing, int64_t pid, const char *text,
		    size_t len, struct ct_err *err)
{
	json_error_t je;
	json_t *obj = NULL, *v;
	const char *k;
	int rc = CT_OK;

	obj = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
	if (!obj || !json_is_object(obj)) {
		rc = input_error(ing, err, "Tags is not a JSON object: %s",
				 obj ? "not an object" : je.text);
		goto out;
	}
	json_object_foreach(obj, k, v) {
		char *norm, *val;
		size_t a = 0, b = strlen(k);

		while (a < b && (k[a] == ' ' || k[a] == '\t'))
			a++;
		while (b > a && (k[b - 1] == ' ' || k[b - 1] == '\t'))
			b--;
		if (a == b || json_is_null(v))
			continue;
		norm = ct_xstrndup(k + a, b - a);
		for (char *p = norm; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		if (json_is_string(v))
			val = ct_xstrdup(json_string_value(v));
		else if (json_is_true(v))
			val = ct_xstrdup("true");
		else if (json_is_false(v))
			val = ct_xstrdup("false");
		else if (json_is_integer(v))
			val = ct_xasprintf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
		else if (json_is_real(v))
			val = ct_xasprintf("%.17g", json_real_value(v));
		else
			val = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
		ct_stmt_bind_int64(ing->ins_tag, 1, pid);
		ct_stmt_bind_str(ing->ins_tag, 2, norm);
		ct_stmt_bind_str(ing->ins_tag, 3, k);
		ct_stmt_bind_str(ing->ins_tag, 4, val ? val : "");
		rc = ct_stmt_step(ing->ins_tag, err) < 0 ? CT_E_DB : CT_OK;
		ct_stmt_reset(ing->ins_tag);
		free(norm);
		free(val);
		if (rc != CT_OK)
			goto out;
	}
out:
	json_decref(obj);
	return rc;
}

static int profile_id(struct ct_ingest *ing, const struct ct_line *ln,
		      int64_t *out, struct ct_err *err)
{
	size_t need = 0, n = 0;
	uint64_t h;
	int64_t id;
	int r;

	for (int i = 0; i < CT_DIM__N; i++)
		need += (ln->dim[i] ? ln->dimlen[i] : 0) + 1;
	CT_GROW(ing->key, need, ing->keycap);
	for (int i = 0; i < CT_DIM__N; i++) {
		if (ln->dim[i]) {
			memcpy(ing->key + n, ln->dim[i], ln->dimlen[i]);
			n += ln->dimlen[i];
			ing->key[n++] = '\x1f';
		} else {
			ing->key[n++] = '\x1e';
		}
	}
	h = ct_hash_bytes(ing->key, n, 0);
	if (ct_hash_map_get(&ing->profiles, h, &id)) {
		*out = id;
		return CT_OK;
	}
	ct_stmt_bind_int64(ing->find_profile, 1, (int64_t)h);
	r = ct_stmt_step(ing->find_profile, err);
	id = r == 1 ? ct_stmt_int64(ing->find_profile, 0) : 0;
	ct_stmt_reset(ing->find_profile);
	if (r < 0)
		return CT_E_DB;
	if (r == 0) {
		struct ct_stmt *q = ing->ins_profile;
		ct_stmt_bind_int64(q, 1, (int64_t)h);
		for (int i = 0; i < CT_DIM__N; i++)
			ct_stmt_bind_text(q, i + 2, ln->dim[i], ln->dimlen[i]);
		r = ct_stmt_step(q, err);
		ct_stmt_reset(q);
		if (r < 0)
			return CT_E_DB;
		id = ct_store_last_rowid(ing->st);
		if (ln->dim[CT_DIM_TAGS] &&
		    add_tags(ing, id, ln->dim[CT_DIM_TAGS],
			     ln->dimlen[CT_DIM_TAGS], err) != CT_OK)
			return err ? err->code : CT_E_INPUT;
	}
	ct_hash_map_put(&ing->profiles, h, id);
	*out = id;
	return CT_OK;
}

/* ---- loads (ingest rows) --------------------------------------------- */

static bool load_matches(const struct load *l, const struct ct_line *ln,
			 const char *period)
{
	size_t plen = ln->dim[CT_DIM_PROVIDER_NAME] ? ln->dimlen[CT_DIM_PROVIDER_NAME] : 0;
	size_t alen = ln->dim[CT_DIM_BILLING_ACCOUNT_ID] ? ln->dimlen[CT_DIM_BILLING_ACCOUNT_ID] : 0;

	return l->plen == plen && l->alen == alen &&
	       !memcmp(l->period, period, 8) &&
	       (!plen || !memcmp(l->provider, ln->dim[CT_DIM_PROVIDER_NAME], plen)) &&
	       (!alen || !memcmp(l->account, ln->dim[CT_DIM_BILLING_ACCOUNT_ID], alen));
}

/* Delete what earlier runs stored for this key. */
static int replace_old(struct ct_ingest *ing, struct load *l,
		       struct ct_err *err)
{
	struct ct_stmt *q = ing->find_old;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int r, rc = CT_OK;

	ct_stmt_bind_text(q, 1, l->provider, l->plen);
	ct_stmt_bind_text(q, 2, l->account, l->alen);
	ct_stmt_bind_str(q, 3, l->period);
	ct_stmt_bind_int64(q, 4, ing->batch);
	while ((r = ct_stmt_step(q, err)) == 1) {
		CT_GROW(ids, n + 1, cap);
		ids[n++] = ct_stmt_int64(q, 0);
		ing->stats.replaced_lines += (long)ct_stmt_int64(q, 1);
	}
	ct_stmt_reset(q);
	if (r < 0) {
		rc = CT_E_DB;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct ct_stmt *dels[3] = {ing->del_lines, ing->del_days, ing->del_ingest};
		for (int k = 0; k < 3; k++) {
			ct_stmt_bind_int64(dels[k], 1, ids[i]);
			r = ct_stmt_step(dels[k], err);
			ct_stmt_reset(dels[k]);
			if (r < 0) {
				rc = CT_E_DB;
				goto out;
			}
		}
	}
out:
	free(ids);
	return rc;
}

static struct load *find_load(struct ct_ingest *ing, const struct ct_line *ln,
			      struct ct_err *err)
{
	char period[8];
	struct load *l;
	struct ct_stmt *q = ing->ins_ingest;
	int r;

	ct_clock_format_month(ln->billing_period_start, period);
	if (ing->last && load_matches(ing->last, ln, period))
		return ing->last;
	for (size_t i = 0; i < ing->nloads; i++)
		if (load_matches(&ing->loads[i], ln, period))
			return ing->last = &ing->loads[i];

	CT_GROW(ing->loads, ing->nloads + 1, ing->caploads);
	l = &ing->loads[ing->nloads++];
	memset(l, 0, sizeof(*l));
	l->plen = ln->dim[CT_DIM_PROVIDER_NAME] ? ln->dimlen[CT_DIM_PROVIDER_NAME] : 0;
	l->alen = ln->dim[CT_DIM_BILLING_ACCOUNT_ID] ? ln->dimlen[CT_DIM_BILLING_ACCOUNT_ID] : 0;
	l->provider = ct_xstrndup(l->plen ? ln->dim[CT_DIM_PROVIDER_NAME] : "", l->plen);
	l->account = ct_xstrndup(l->alen ? ln->dim[CT_DIM_BILLING_ACCOUNT_ID] : "", l->alen);
	memcpy(l->period, period, 8);
	ing->last = l;

	if (replace_old(ing, l, err) != CT_OK)
		return NULL;
	ct_stmt_bind_int64(q, 1, ing->batch);
	ct_stmt_bind_str(q, 2, ing->source);
	ct_stmt_bind_str(q, 3, ing->format);
	ct_stmt_bind_text(q, 4, l->provider, l->plen);
	ct_stmt_bind_text(q, 5, l->account, l->alen);
	ct_stmt_bind_str(q, 6, l->period);
	ct_stmt_bind_int64(q, 7, ln->billing_period_start);
	ct_stmt_bind_int64(q, 8, ln->billing_period_end);
	ct_stmt_bind_str(q, 9, ing->now_iso);
	r = ct_stmt_step(q, err);
	ct_stmt_reset(q);
	if (r < 0)
		return NULL;
	l->id = ct_store_last_rowid(ing->st);
	return l;
}

/* ---- lines ----------------------------------------------------------- */

int ct_ingest_line(struct ct_ingest *ing, const struct ct_line *ln,
		   struct ct_err *err)
{
	struct ct_stmt *q = ing->ins_line;
	struct load *l;
	int64_t pid = 0;
	int r;

	l = find_load(ing, ln, err);
	if (!l)
		return err ? err->code : CT_E_DB;
	if (profile_id(ing, ln, &pid, err) != CT_OK)
		return err ? err->code : CT_E_DB;
	if (l->seq >= MAX_LINES_PER_INGEST)
		return input_error(ing, err, "%s", "more than 4294967295 lines for one billing account and period in one file");
	l->seq++;
	ct_stmt_bind_int64(q, 1, (l->id << 32) + l->seq);
	ct_stmt_bind_int64(q, 2, pid);
	ct_stmt_bind_int64(q, 3, ln->charge_start);
	ct_stmt_bind_int64(q, 4, ln->charge_end);
	ct_stmt_bind_int64(q, 5, ln->billed);
	ct_stmt_bind_int64(q, 6, ln->effective);
	if (ln->has_list)
		ct_stmt_bind_int64(q, 7, ln->list);
	else
		ct_stmt_bind_null(q, 7);
	if (ln->has_contracted)
		ct_stmt_bind_int64(q, 8, ln->contracted);
	else
		ct_stmt_bind_null(q, 8);
	for (int i = 0; i < CT_QTY__N; i++) {
		if (ln->has_qty[i])
			ct_stmt_bind_double(q, 9 + i, ln->qty[i]);
		else
			ct_stmt_bind_null(q, 9 + i);
	}
	r = ct_stmt_step(q, err);
	ct_stmt_reset(q);
	if (r < 0)
		return CT_E_DB;
	l->billed += ln->billed;
	l->effective += ln->effective;
	if (add_day(ing, l->id, ct_clock_day(ln->charge_start), pid, ln, err) != CT_OK)
		return CT_E_DB;
	ing->stats.lines++;
	ing->stats.billed += ln->billed;
	if (ing->progress && ing->in && ing->stats.lines % PROGRESS_EVERY == 0)
		ing->progress(ing->progress_ctx, ing->source,
			      ct_stream_raw_pos(ing->in),
			      ct_stream_raw_size(ing->in), ing->stats.lines);
	return CT_OK;
}

/* ---- files ----------------------------------------------------------- */

static int finish_file(struct ct_ingest *ing, struct ct_stream *in,
		       struct ct_err *err)
{
	char sum[17];
	struct ct_stmt *q = ing->upd_ingest;
	int r;

	ct_stream_checksum(in, sum);
	for (size_t i = 0; i < ing->nloads; i++) {
		struct load *l = &ing->loads[i];
		ct_stmt_bind_int64(q, 1, l->seq);
		ct_stmt_bind_int64(q, 2, l->billed);
		ct_stmt_bind_int64(q, 3, l->effective);
		ct_stmt_bind_str(q, 4, sum);
		ct_stmt_bind_int64(q, 5, l->id);
		r = ct_stmt_step(q, err);
		ct_stmt_reset(q);
		if (r < 0)
			return CT_E_DB;
	}
	free_loads(ing);
	return flush_days(ing, err);
}

int ct_ingest_file(struct ct_ingest *ing, const char *path, const char *format,
		   struct ct_err *err)
{
	struct ct_stream *in;
	struct ct_csv *csv = NULL;
	struct ct_csv_rec hdr;
	const char *version = NULL;
	int rc;

	in = ct_stream_open(path, err);
	if (!in)
		return err ? err->code : CT_E_IO;
	csv = ct_csv_open(in, 0);
	ing->source = path;
	ing->in = in;
	ing->line = 0;
	rc = ct_csv_next(csv, &hdr, err);
	if (rc < 0)
		goto out;
	if (rc == 0) {
		rc = ct_err_set(err, CT_E_INPUT, path, 0, "empty file: no header row");
		goto out;
	}
	if (format && strcmp(format, "focus") != 0) {
		rc = ct_err_set(err, CT_E_USAGE, NULL, 0,
				"unknown format '%s' (known: focus)", format);
		goto out;
	}
	if (!ct_focus_detect(&hdr, &version)) {
		rc = ct_err_set(err, CT_E_INPUT, path, hdr.line,
				"unrecognised billing format: the header has no "
				"FOCUS columns BilledCost, ChargePeriodStart and "
				"BillingPeriodStart");
		goto out;
	}
	ing->format = version;
	rc = ct_focus_read(ing, csv, &hdr, err);
	if (rc != CT_OK)
		goto out;
	rc = finish_file(ing, in, err);
	ing->stats.files++;
out:
	ing->in = NULL;
	ct_csv_close(csv);
	return rc;
}

void ct_ingest_get_stats(const struct ct_ingest *ing, struct ct_ingest_stats *out)
{
	*out = ing->stats;
}

const char *ct_ingest_last_format(const struct ct_ingest *ing)
{
	return ing->format ? ing->format : "";
}

int ct_ingest_commit(struct ct_ingest *ing, struct ct_ingest_stats *stats,
		     struct ct_err *err)
{
	int rc = ct_store_commit(ing->st, err);

	if (rc != CT_OK)
		ct_store_rollback(ing->st);
	else if (stats)
		*stats = ing->stats;
	ingest_free(ing);
	return rc;
}

void ct_ingest_abort(struct ct_ingest *ing)
{
	if (!ing)
		return;
	finalize_all(ing);
	ing->ins_line = ing->find_profile = ing->ins_profile = ing->ins_tag = NULL;
	ing->find_old = ing->del_lines = ing->del_days = ing->del_ingest = NULL;
	ing->ins_ingest = ing->upd_ingest = ing->upsert_day = NULL;
	ct_store_rollback(ing->st);
	ingest_free(ing);
}
