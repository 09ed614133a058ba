/*
 * ingest.c - loading normalised billing lines into the store (see
 * ingest.h).
 *
 * Data flow for one file: format reader -> ct_ingest_line() -> packed row
 * in a chunk -> store side: profile id (deduplicated through an in-memory
 * hash map, then the profile table) -> line row + daily rollup entry. The
 * whole run is one transaction, so a bad file anywhere leaves the store
 * exactly as it was.
 *
 * Two threads: ct_ingest_file() runs the format reader (stream, CSV,
 * number and time parsing, the profile key and its hash) on a thread of
 * its own; ct_ingest_line() packs each line into a compact row and hands
 * full chunks of rows over through a small ring (pipeline.c), while the
 * calling thread does all the SQLite work, chunk by chunk, in input
 * order. A row carries the dimension text only when the reader does not
 * remember sending it (see pack()); other rows carry just the hash. Only
 * the calling thread touches the store. Errors keep their input order:
 * a reader error travels behind the rows before it, a store error stops
 * the reader. When no thread can be started, or ct_ingest_line() is called
 * outside ct_ingest_file(), each row is stored as soon as it is packed.
 *
 * Restatement: the first line of a (provider, billing account, billing
 * period) key in a run deletes whatever earlier runs stored for that key
 * (lines are a rowid range per ingest, so this is a range delete). Files
 * of the same run with the same key add up: a large month is often split
 * in several files.
 *
 * Memory stays flat: the profile map holds 16 bytes per distinct profile,
 * the reader remembers a fixed number of them, the chunks are a fixed
 * few, and the rollup table is flushed to the store when it grows large.
 */
#include "ct.h"
#include "ingest.h"
#include "azure.h"
#include "clickhouse.h"
#include "clock.h"
#include "csv.h"
#include "cur.h"
#include "focus.h"
#include "gcp.h"
#include "hash.h"
#include "inventory.h"
#include "money.h"
#include "oci.h"
#include "pipeline.h"
#include "store.h"
#include "stream.h"

#include <jansson.h>
#include <time.h>
#include <unistd.h>

#define ROLLUP_FLUSH 262144   /* rollup entries kept in memory at most */
#define PROGRESS_EVERY 65536  /* lines between progress callbacks */
#define MAX_LINES_PER_INGEST INT64_C(4294967295)
#define NCHUNKS 4             /* chunks in flight between the threads */
#define CHUNK_ROWS 4096       /* rows per chunk */
#define CHUNK_TEXT (1u << 18) /* a chunk with this much text is full */
#define STOPPED CT_E_INTERNAL /* the reader was told to stop */
#define SENT_SLOTS 16384      /* profile hashes the reader remembers */
#define MAX_LOADS 10000       /* (provider, account, period) keys per file */
#define CH_BATCH (32u << 20)  /* RowBinary bytes per ClickHouse insert */
#define CH_SENDERS 2          /* ClickHouse inserts in flight */

const char *const ct_ingest_dim_columns[CT_DIM__N] = {
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

/* One (file, provider, billing account, billing period) being loaded,
 * store side; the reader's struct rd_load of the same index has the key. */
struct load {
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

/* A line packed for the store side: its facts, the hash of its profile
 * key and the index of its load. The dimension text comes along (at
 * text, see put_text()) only when the reader cannot tell that it sent
 * the profile before, and for the first line of a load. */
struct row {
	long line;        /* input line */
	uint64_t ph;      /* profile hash */
	int64_t bp_start, bp_end, charge_start, charge_end;
	ct_money billed, effective, list, contracted;
	double qty[CT_QTY__N];
	size_t load;      /* load index in this file */
	size_t text;      /* offset in the chunk's text, NO_TEXT when none */
	unsigned flags;   /* R_* */
};

#define NO_TEXT SIZE_MAX
#define NULL_DIM SIZE_MAX /* length of a null dimension in the text */
#define R_HAS_LIST 1u
#define R_HAS_CONTRACTED 2u
#define R_HAS_QTY(i) (4u << (i))

/* Rows in flight between the reader and the store side. */
struct chunk {
	struct row rows[CHUNK_ROWS];
	size_t n;
	char *text;            /* dimension text of the rows that carry it */
	size_t tlen, tcap;
	bool has_pos;          /* raw_pos and raw_size are known */
	uint64_t raw_pos, raw_size; /* of the stream when the chunk filled */
};

/* The dimension text of a row, unpacked. */
struct dims {
	const char *s[CT_DIM__N]; /* NULL = null */
	size_t len[CT_DIM__N];
};

/* A load as the reader knows it: the key that finds its index. */
struct rd_load {
	char *provider; /* owned */
	char *account;  /* owned */
	size_t plen, alen;
	char period[8]; /* YYYY-MM */
};

/* Reader side: while a file is read, touched only by the thread that
 * calls ct_ingest_line(); ct_ingest_file() sets it up before and after. */
struct reader {
	struct ct_pipeline *pipe; /* NULL: store each row at once */
	struct chunk *fill;       /* chunk being filled, NULL none */
	long line;                /* set by ct_ingest_set_line() */
	uint64_t *sent;           /* SENT_SLOTS profile hashes whose text was
				   sent, by hash; 0 = empty */
	char *key;                /* profile key buffer */
	size_t keycap;
	struct rd_load *loads;    /* this file's loads */
	size_t nloads, caploads, last;
	struct ct_hash_map load_index; /* key hash -> index in loads */
	bool too_many_loads;      /* a line needed load MAX_LOADS + 1 */
	int64_t month_of;         /* month holds the month of this time */
	char month[8];
	bool have_month;
	struct ct_csv *csv;       /* for the reader thread */
	struct ct_csv_rec hdr;
	int kind;                 /* enum reader_kind: which format reader */
	struct ct_err err;        /* the reader thread's error */
};

struct ct_ingest {
	struct ct_store *st;
	int64_t batch;
	char now_iso[21];

	struct ct_stmt *ins_line, *find_profile, *ins_profile, *ins_tag;
	struct ct_stmt *find_old, *del_lines, *del_days, *del_ingest;
	struct ct_stmt *ins_ingest, *upd_ingest, *upsert_day, *save_subs;

	/* the file being read; set before the reader thread starts */
	const char *source;
	const char *shown; /* ct_ingest_set_name(), borrowed; NULL: the path */
	const char *format;
	struct ct_stream *in;

	struct reader rd;
	struct chunk *chunks[NCHUNKS];

	/* store side */
	long line;          /* input line of the row being stored */
	struct load *loads; /* this file's loads, by index */
	size_t nloads, caploads;

	struct ct_hash_map profiles; /* profile hash -> profile id */

	struct day_ent *days; /* open-addressing rollup table */
	size_t daycap, ndays;
	size_t daylast;       /* slot of the last entry added to */

	ct_ingest_progress_fn *progress;
	void *progress_ctx;
	ct_ingest_warn_fn *warn;
	void *warn_ctx;
	struct ct_ingest_stats stats;
	struct ct_inventory *inv; /* inventories and metrics; made when needed */
	char *def_account, *def_region; /* for inventories (--account ...) */
	bool skip_unknown;              /* see ct_ingest_set_skip_unknown() */
	char (*sums)[17]; /* checksums of the files of this run */
	size_t nsums;
	struct ct_azure_run *azure; /* Azure actual/amortized pairing */
	bool last_billing;          /* the last file went to a billing reader */

	/* ClickHouse store (see "ClickHouse" below); ch NULL: SQLite */
	struct ct_ch *ch;
	char stage[64];             /* staging table of this run; "" none yet */
	struct ct_ch_buf rows;      /* RowBinary rows not yet sent */
	struct ct_ch_buf pdims;     /* encoded dimensions of each profile */
	struct chload *chl;         /* every load of the run */
	size_t nchl, capchl, file_first; /* file_first: first load of the file */
	int64_t next_id;
	size_t ch_batch;            /* bytes per insert */
	int ch_senders;             /* inserts in flight */
	struct ct_ch_sender *send;  /* NULL: inserts one at a time */
};

/* A load of a ClickHouse run: its ingest row. */
struct chload {
	int64_t id;
	char *source, *format, *provider, *account;
	char period[8];
	int64_t ps, pe, rows;
	ct_money billed, effective;
	char sum[17];
	bool dropped; /* the file repeated one of this run */
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
	ct_stmt_finalize(ing->save_subs);
	ct_inventory_free(ing->inv);
	ing->inv = NULL;
}

static void free_rd_loads(struct reader *rd)
{
	for (size_t i = 0; i < rd->nloads; i++) {
		free(rd->loads[i].provider);
		free(rd->loads[i].account);
	}
	rd->nloads = 0;
	rd->last = SIZE_MAX;
	rd->too_many_loads = false;
	ct_hash_map_release(&rd->load_index);
	ct_hash_map_init(&rd->load_index);
}

static void ingest_free(struct ct_ingest *ing)
{
	finalize_all(ing);
	free(ing->loads);
	free_rd_loads(&ing->rd);
	free(ing->rd.loads);
	free(ing->rd.sent);
	free(ing->rd.key);
	for (int i = 0; i < NCHUNKS; i++) {
		if (ing->chunks[i])
			free(ing->chunks[i]->text);
		free(ing->chunks[i]);
	}
	ct_hash_map_release(&ing->profiles);
	ct_hash_map_release(&ing->rd.load_index);
	free(ing->sums);
	free(ing->days);
	free(ing->def_account);
	free(ing->def_region);
	ct_azure_run_free(ing->azure);
	ct_ch_sender_free(ing->send);
	ct_ch_buf_release(&ing->rows);
	ct_ch_buf_release(&ing->pdims);
	for (size_t i = 0; i < ing->nchl; i++) {
		free(ing->chl[i].source);
		free(ing->chl[i].format);
		free(ing->chl[i].provider);
		free(ing->chl[i].account);
	}
	free(ing->chl);
	free(ing);
}

/* ---- ClickHouse -------------------------------------------------------
 *
 * A run on a ClickHouse store streams its lines, profile columns and all,
 * (and the 64-bit hash of its profile: the SQLite store's profile id)
 * as compressed RowBinary batches into a staging table of its own (on a
 * cluster: a Distributed staging table over a local one on each shard).
 * Nothing the reports read changes until the run commits: then each
 * (billing period, provider, billing account) partition of the line
 * table is replaced by the staged one on every shard, and the ingest
 * rows likewise, so a restatement never double counts, and a run that
 * fails half way leaves only its staging tables, which are dropped.
 * Lines that a repeated file (same bytes) staged are deleted from the
 * staging table before the swap. */

static int overflow_error(struct ct_ingest *ing, struct ct_err *err);
static int internal_error(struct ct_ingest *ing, struct ct_err *err,
			  const char *what);
static int tags_each(struct ct_ingest *ing, const char *text, size_t len,
		     int (*fn)(void *ctx, const char *norm, const char *key,
			       const char *val, struct ct_err *err),
		     void *ctx, struct ct_err *err);

const char *ct_ingest_ch_columns(void)
{
	static char cols[4096];

	if (!cols[0]) {
		size_t n = (size_t)snprintf(cols, sizeof(cols),
			"ingest_id Int64, billing_period String, provider String,"
			" account String, period_start Int64, period_end Int64, day Int32,"
			" profile UInt64, seq Int64, charge_start Int64, charge_end Int64, billed_cost Int64,"
			" effective_cost Int64, list_cost Nullable(Int64),"
			" contracted_cost Nullable(Int64), pricing_quantity Nullable(Float64),"
			" consumed_quantity Nullable(Float64), list_unit_price Nullable(Float64),"
			" contracted_unit_price Nullable(Float64),"
			" commitment_discount_quantity Nullable(Float64)");
		for (int i = 0; i < CT_DIM__N; i++)
			n += (size_t)snprintf(cols + n, sizeof(cols) - n, ", %s Nullable(String)",
					      ct_ingest_dim_columns[i]);
		snprintf(cols + n, sizeof(cols) - n,
			 ", tag_key Array(String), tag_name Array(String),"
			 " tag_value Array(String)");
	}
	return cols;
}

static int ch_begin(struct ct_ingest *ing, struct ct_err *err)
{
	char *out = NULL;
	size_t len = 0;
	struct ct_stmt *q;
	int64_t b = 0;
	int rc;

	rc = ct_ch_run(ing->ch, 0, "SELECT max(batch) FROM ingest FORMAT TabSeparated",
		       &out, &len, err);
	if (rc != CT_OK)
		return rc;
	b = strtoll(out, NULL, 10);
	free(out);
	q = ct_store_prepare(ing->st, "SELECT coalesce(max(batch), 0) FROM inventory_file", err);
	if (!q || ct_stmt_step(q, err) != 1) {
		ct_stmt_finalize(q);
		return CT_E_DB;
	}
	if (ct_stmt_int64(q, 0) > b)
		b = ct_stmt_int64(q, 0);
	ct_stmt_finalize(q);
	ing->batch = b + 1;
	/* $CLOUDTALLY_CH_BATCH_BYTES: smaller batches, for tests */
	{
		const char *e = getenv("CLOUDTALLY_CH_BATCH_BYTES");
		long v = e ? strtol(e, NULL, 10) : 0;
		ing->ch_batch = v >= 1024 ? (size_t)v : CH_BATCH;
		/* $CLOUDTALLY_CH_SENDERS: inserts in flight, 1..8 */
		e = getenv("CLOUDTALLY_CH_SENDERS");
		v = e ? strtol(e, NULL, 10) : 0;
		ing->ch_senders = v >= 1 && v <= 8 ? (int)v : CH_SENDERS;
	}
	/* ids of this run, in run order and unique across runs, also two
	 * that start at once (they may share a batch number): the start time
	 * in milliseconds, then 20 bits for the run's loads */
	{
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ing->next_id = ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000) << 20;
	}
	return CT_OK;
}

/* The staging tables, made at the first line of the run. */
static int ch_stage(struct ct_ingest *ing, struct ct_err *err)
{
	const char *cluster = ct_ch_cluster(ing->ch);
	int rc = CT_OK;

	if (ing->stage[0])
		return CT_OK;
	snprintf(ing->stage, sizeof(ing->stage), "stage_%lld_%ld_%lld",
		 (long long)ing->batch, (long)getpid(), (long long)ct_clock_now());
	for (size_t h = 0; rc == CT_OK && h < ct_ch_shards(ing->ch); h++)
		rc = ct_ch_runf(ing->ch, h, err, "CREATE TABLE %s%s AS %s", ing->stage,
				cluster ? "_local" : "", cluster ? "line_local" : "line");
	if (rc == CT_OK && cluster)
		rc = ct_ch_runf(ing->ch, 0, err,
				"CREATE TABLE %s AS line_local ENGINE = Distributed(%s,"
				" currentDatabase(), %s_local,"
				" cityHash64(billing_period, provider, account))",
				ing->stage, cluster, ing->stage);
	if (rc == CT_OK)
		rc = ct_ch_runf(ing->ch, 0, err, "CREATE TABLE i%s AS ingest", ing->stage);
	return rc;
}

static void ch_drop_stage(struct ct_ingest *ing)
{
	bool cluster = ct_ch_cluster(ing->ch) != NULL;

	/* no insert may still be running into the tables */
	ct_ch_sender_free(ing->send);
	ing->send = NULL;
	if (!ing->stage[0])
		return;
	ct_ch_runf(ing->ch, 0, NULL, "DROP TABLE IF EXISTS i%s", ing->stage);
	if (cluster)
		ct_ch_runf(ing->ch, 0, NULL, "DROP TABLE IF EXISTS %s", ing->stage);
	for (size_t h = 0; h < ct_ch_shards(ing->ch); h++)
		ct_ch_runf(ing->ch, h, NULL, "DROP TABLE IF EXISTS %s%s", ing->stage,
			   cluster ? "_local" : "");
	ing->stage[0] = '\0';
}

/* The insert target of the run's lines: staging table and columns. */
static char *ch_target(const struct ct_ingest *ing)
{
	struct ct_ch_buf t = {0};

	ct_ch_buf_printf(&t, "%s (ingest_id, billing_period,"
			 " provider, account, period_start, period_end, day,"
			 " profile, seq, charge_start, charge_end, billed_cost, effective_cost,"
			 " list_cost, contracted_cost, pricing_quantity,"
			 " consumed_quantity, list_unit_price, contracted_unit_price,"
			 " commitment_discount_quantity", ing->stage);
	for (int i = 0; i < CT_DIM__N; i++)
		ct_ch_buf_printf(&t, ", %s", ct_ingest_dim_columns[i]);
	ct_ch_buf_puts(&t, ", tag_key, tag_name, tag_value)");
	return t.p;
}

/* Send the rows gathered so far: to a sender thread when there is one
 * (started at the first batch), else here. */
static int ch_flush(struct ct_ingest *ing, struct ct_err *err)
{
	char *target;
	int rc;

	if (!ing->rows.len)
		return CT_OK;
	if (ing->send)
		return ct_ch_sender_put(ing->send, &ing->rows, err);
	target = ch_target(ing);
	if (ing->ch_senders > 1)
		ing->send = ct_ch_sender_new(ing->ch, 0, target, "RowBinary", ing->ch_senders);
	if (ing->send)
		rc = ct_ch_sender_put(ing->send, &ing->rows, err);
	else
		rc = ct_ch_insert(ing->ch, 0, target, "RowBinary", ing->rows.p, ing->rows.len, err);
	ing->rows.len = 0;
	free(target);
	return rc;
}

/* Send what is left and wait until every insert of the run is done. */
static int ch_settle(struct ct_ingest *ing, struct ct_err *err)
{
	int rc = ch_flush(ing, err);

	if (ing->send) {
		struct ct_err e;
		int wrc;

		ct_err_init(&e);
		wrc = ct_ch_sender_wait(ing->send, &e);
		if (rc == CT_OK && wrc != CT_OK) {
			rc = wrc;
			if (err)
				*err = e;
		}
	}
	return rc;
}

static int ch_new_load(struct ct_ingest *ing, struct load *l, const char *provider,
		       size_t plen, const char *account, size_t alen,
		       const char *period, const struct row *r, struct ct_err *err)
{
	struct chload *cl;

	if ((ing->next_id & 0xfffff) == 0xfffff)
		return ct_err_set(err, CT_E_INPUT, ing->source, r->line,
				  "more than 1,048,575 (provider, account, period) keys in "
				  "one ingest run: ingest the files in several runs");

	CT_GROW(ing->chl, ing->nchl + 1, ing->capchl);
	cl = &ing->chl[ing->nchl++];
	memset(cl, 0, sizeof(*cl));
	cl->id = ++ing->next_id;
	cl->source = ct_xstrdup(ing->source);
	cl->format = ct_xstrdup(ing->format ? ing->format : "");
	cl->provider = ct_xstrndup(provider, plen);
	cl->account = ct_xstrndup(account, alen);
	memcpy(cl->period, period, sizeof(cl->period));
	cl->ps = r->bp_start;
	cl->pe = r->bp_end;
	l->id = cl->id;
	return CT_OK;
}

/* Tags as three arrays, the first of each normalised key kept (as the
 * profile_tag table of the SQLite store keeps it). */
struct tagarr {
	struct ct_ch_buf k, n, v;
	size_t count;
	char **seen;
};

static int tag_add(void *ctx, const char *norm, const char *key, const char *val,
		   struct ct_err *err)
{
	struct tagarr *t = ctx;

	(void)err;
	for (size_t i = 0; i < t->count; i++)
		if (!strcmp(t->seen[i], norm))
			return CT_OK;
	t->seen = ct_xrealloc(t->seen, (t->count + 1) * sizeof(*t->seen));
	t->seen[t->count++] = ct_xstrdup(norm);
	ct_ch_buf_str(&t->k, norm, strlen(norm));
	ct_ch_buf_str(&t->n, key, strlen(key));
	ct_ch_buf_str(&t->v, val, strlen(val));
	return CT_OK;
}

/* The encoded dimensions of a row's profile, from its text or from an
 * earlier row with the same profile. */
static int ch_dims(struct ct_ingest *ing, const struct row *r, const struct dims *d,
		   const char **p, size_t *n, struct ct_err *err)
{
	int64_t v;
	size_t start;
	struct tagarr t = {0};
	int rc = CT_OK;

	if (ct_hash_map_get(&ing->profiles, r->ph, &v)) {
		uint32_t len;
		memcpy(&len, ing->pdims.p + v, sizeof(len));
		*p = ing->pdims.p + v + sizeof(len);
		*n = len;
		return CT_OK;
	}
	if (!d)
		return internal_error(ing, err, "a profile came without its text");
	start = ing->pdims.len;
	ct_ch_buf_put(&ing->pdims, "\0\0\0\0", 4);
	for (int i = 0; i < CT_DIM__N; i++)
		ct_ch_buf_nstr(&ing->pdims, d->s[i], d->len[i]);
	if (d->s[CT_DIM_TAGS])
		rc = tags_each(ing, d->s[CT_DIM_TAGS], d->len[CT_DIM_TAGS], tag_add, &t, err);
	if (rc == CT_OK) {
		uint32_t len;
		ct_ch_buf_varint(&ing->pdims, t.count);
		ct_ch_buf_put(&ing->pdims, t.k.p, t.k.len);
		ct_ch_buf_varint(&ing->pdims, t.count);
		ct_ch_buf_put(&ing->pdims, t.n.p, t.n.len);
		ct_ch_buf_varint(&ing->pdims, t.count);
		ct_ch_buf_put(&ing->pdims, t.v.p, t.v.len);
		len = (uint32_t)(ing->pdims.len - start - 4);
		memcpy(ing->pdims.p + start, &len, sizeof(len));
		ct_hash_map_put(&ing->profiles, r->ph, (int64_t)start);
		*p = ing->pdims.p + start + 4;
		*n = len;
	} else {
		ing->pdims.len = start;
	}
	for (size_t i = 0; i < t.count; i++)
		free(t.seen[i]);
	free(t.seen);
	ct_ch_buf_release(&t.k);
	ct_ch_buf_release(&t.n);
	ct_ch_buf_release(&t.v);
	return rc;
}

static void put_nqty(struct ct_ch_buf *b, bool has, double v)
{
	unsigned char isnull = has ? 0 : 1;

	ct_ch_buf_put(b, &isnull, 1);
	if (has)
		ct_ch_buf_f64(b, v);
}

static void put_nmoney(struct ct_ch_buf *b, bool has, ct_money v)
{
	unsigned char isnull = has ? 0 : 1;

	ct_ch_buf_put(b, &isnull, 1);
	if (has)
		ct_ch_buf_i64(b, v);
}

static int ch_row(struct ct_ingest *ing, const struct chunk *c, const struct row *r,
		  const struct dims *d, struct load *l, struct ct_err *err)
{
	struct chload *cl = &ing->chl[ing->file_first + r->load];
	struct ct_ch_buf *b = &ing->rows;
	const char *dp = NULL;
	size_t dn = 0;
	int rc;

	if ((rc = ch_dims(ing, r, d, &dp, &dn, err)) != CT_OK)
		return rc;
	if ((rc = ch_stage(ing, err)) != CT_OK)
		return rc;
	l->seq++;
	ct_ch_buf_i64(b, cl->id);
	ct_ch_buf_str(b, cl->period, strlen(cl->period));
	ct_ch_buf_str(b, cl->provider, strlen(cl->provider));
	ct_ch_buf_str(b, cl->account, strlen(cl->account));
	ct_ch_buf_i64(b, cl->ps);
	ct_ch_buf_i64(b, cl->pe);
	ct_ch_buf_i32(b, (int32_t)ct_clock_day(r->charge_start));
	ct_ch_buf_i64(b, (int64_t)r->ph);
	ct_ch_buf_i64(b, l->seq);
	ct_ch_buf_i64(b, r->charge_start);
	ct_ch_buf_i64(b, r->charge_end);
	ct_ch_buf_i64(b, r->billed);
	ct_ch_buf_i64(b, r->effective);
	put_nmoney(b, r->flags & R_HAS_LIST, r->list);
	put_nmoney(b, r->flags & R_HAS_CONTRACTED, r->contracted);
	for (int i = 0; i < CT_QTY__N; i++)
		put_nqty(b, r->flags & R_HAS_QTY(i), r->qty[i]);
	ct_ch_buf_put(b, dp, dn);
	if (__builtin_add_overflow(l->billed, r->billed, &l->billed) ||
	    __builtin_add_overflow(l->effective, r->effective, &l->effective) ||
	    __builtin_add_overflow(ing->stats.billed, r->billed, &ing->stats.billed))
		return overflow_error(ing, err);
	ing->stats.lines++;
	if (ing->progress && c->has_pos && ing->stats.lines % PROGRESS_EVERY == 0)
		ing->progress(ing->progress_ctx, ing->source, c->raw_pos,
			      c->raw_size, ing->stats.lines);
	if (b->len >= ing->ch_batch)
		return ch_flush(ing, err);
	return CT_OK;
}

/* Wait until the mutations of table on shard host are done. */
static int ch_wait_mutations(struct ct_ingest *ing, size_t host, const char *table,
			     struct ct_err *err)
{
	for (int i = 0; i < 6000; i++) {
		char *out = NULL;
		size_t len = 0;
		struct ct_ch_buf q = {0};
		long left;
		int rc;

		ct_ch_buf_puts(&q, "SELECT count() FROM system.mutations WHERE"
			       " database = currentDatabase() AND table = ");
		ct_ch_buf_quote(&q, table, strlen(table));
		ct_ch_buf_puts(&q, " AND is_done = 0");
		rc = ct_ch_run(ing->ch, host, q.p, &out, &len, err);
		ct_ch_buf_release(&q);
		left = rc == CT_OK ? strtol(out, NULL, 10) : 0;
		free(out);
		if (rc != CT_OK)
			return rc;
		if (!left)
			return CT_OK;
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	return ct_err_set(err, CT_E_DB, ct_ch_shown(ing->ch), 0,
			  "ClickHouse did not finish deleting a repeated file's "
			  "lines from %s in 60 s", table);
}

static int ch_drop_file(struct ct_ingest *ing, struct ct_err *err)
{
	struct ct_ch_buf ids = {0};
	bool cluster = ct_ch_cluster(ing->ch) != NULL;
	int rc = ch_settle(ing, err);

	for (size_t i = ing->file_first; i < ing->nchl; i++) {
		ing->chl[i].dropped = true;
		ct_ch_buf_printf(&ids, "%s%lld", ids.len ? ", " : "",
				 (long long)ing->chl[i].id);
	}
	for (size_t i = 0; i < ing->nloads; i++) {
		ing->stats.lines -= (long)ing->loads[i].seq;
		ing->stats.billed -= ing->loads[i].billed;
	}
	for (size_t h = 0; rc == CT_OK && ids.len && ing->stage[0] &&
			   h < ct_ch_shards(ing->ch); h++) {
		char *t = ct_xasprintf("%s%s", ing->stage, cluster ? "_local" : "");
		rc = ct_ch_runf(ing->ch, h, err, "ALTER TABLE %s DELETE WHERE ingest_id IN (%s)",
				t, ids.p);
		if (rc == CT_OK)
			rc = ch_wait_mutations(ing, h, t, err);
		free(t);
	}
	ct_ch_buf_release(&ids);
	ing->file_first = ing->nchl;
	ing->nloads = 0;
	ing->stats.duplicates++;
	return rc;
}

/* Swap the staged partitions in. */
static int ch_publish(struct ct_ingest *ing, struct ct_err *err)
{
	struct ct_ch_buf b = {0}, keys = {0};
	const char *cluster = ct_ch_cluster(ing->ch);
	char **parts = NULL;
	size_t nparts = 0, nrows = 0;
	char *out = NULL;
	size_t len = 0;
	int rc = ch_settle(ing, err);

	if (rc != CT_OK || !ing->stage[0])
		goto out;
	ct_ch_buf_printf(&b, "INSERT INTO i%s VALUES ", ing->stage);
	for (size_t i = 0; i < ing->nchl; i++) {
		struct chload *cl = &ing->chl[i];
		struct ct_ch_buf part = {0};
		bool seen = false;

		if (cl->dropped)
			continue;
		ct_ch_buf_printf(&b, "%s(%lld, %lld, ", nrows++ ? ", " : "",
				 (long long)cl->id, (long long)ing->batch);
		ct_ch_buf_quote(&b, cl->source, strlen(cl->source));
		ct_ch_buf_puts(&b, ", ");
		ct_ch_buf_quote(&b, cl->format, strlen(cl->format));
		ct_ch_buf_puts(&b, ", ");
		ct_ch_buf_quote(&b, cl->provider, strlen(cl->provider));
		ct_ch_buf_puts(&b, ", ");
		ct_ch_buf_quote(&b, cl->account, strlen(cl->account));
		ct_ch_buf_puts(&b, ", ");
		ct_ch_buf_quote(&b, cl->period, strlen(cl->period));
		ct_ch_buf_printf(&b, ", %lld, %lld, %lld, %lld, %lld, '%s', '%s')",
				 (long long)cl->ps, (long long)cl->pe, (long long)cl->rows,
				 (long long)cl->billed, (long long)cl->effective, cl->sum,
				 ing->now_iso);
		ct_ch_buf_puts(&part, "(");
		ct_ch_buf_quote(&part, cl->period, strlen(cl->period));
		ct_ch_buf_puts(&part, ", ");
		ct_ch_buf_quote(&part, cl->provider, strlen(cl->provider));
		ct_ch_buf_puts(&part, ", ");
		ct_ch_buf_quote(&part, cl->account, strlen(cl->account));
		ct_ch_buf_puts(&part, ")");
		for (size_t k = 0; k < nparts && !seen; k++)
			seen = !strcmp(parts[k], part.p);
		if (seen) {
			ct_ch_buf_release(&part);
			continue;
		}
		parts = ct_xrealloc(parts, (nparts + 1) * sizeof(*parts));
		parts[nparts++] = part.p;
		ct_ch_buf_printf(&keys, "%s%s", keys.len ? ", " : "", part.p);
	}
	if (!nparts)
		goto out;
	rc = ct_ch_run(ing->ch, 0, b.p, NULL, NULL, err);
	if (rc != CT_OK)
		goto out;
	ct_ch_buf_release(&b);
	ct_ch_buf_printf(&b, "SELECT count() FROM line WHERE (billing_period, provider,"
			 " account) IN (%s) FORMAT TabSeparated", keys.p);
	rc = ct_ch_run(ing->ch, 0, b.p, &out, &len, err);
	if (rc != CT_OK)
		goto out;
	ing->stats.replaced_lines += strtol(out, NULL, 10);
	for (size_t k = 0; rc == CT_OK && k < nparts; k++) {
		for (size_t h = 0; rc == CT_OK && h < ct_ch_shards(ing->ch); h++)
			rc = ct_ch_runf(ing->ch, h, err,
					"ALTER TABLE %s REPLACE PARTITION %s FROM %s%s",
					cluster ? "line_local" : "line", parts[k], ing->stage,
					cluster ? "_local" : "");
		if (rc == CT_OK)
			rc = ct_ch_runf(ing->ch, 0, err,
					"ALTER TABLE ingest REPLACE PARTITION %s FROM i%s",
					parts[k], ing->stage);
	}
out:
	for (size_t k = 0; k < nparts; k++)
		free(parts[k]);
	free(parts);
	free(out);
	ct_ch_buf_release(&b);
	ct_ch_buf_release(&keys);
	return rc;
}

static char *profile_insert_sql(void)
{
	size_t cap = 4096, n;
	char *sql = ct_xmalloc(cap);

	n = (size_t)snprintf(sql, cap, "INSERT INTO profile (h");
	for (int i = 0; i < CT_DIM__N; i++)
		n += (size_t)snprintf(sql + n, cap - n, ", %s", ct_ingest_dim_columns[i]);
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
	ct_hash_map_init(&ing->rd.load_index);
	ing->rd.sent = ct_xcalloc(SENT_SLOTS, sizeof(*ing->rd.sent));
	ing->rd.last = SIZE_MAX;
	for (int i = 0; i < NCHUNKS; i++)
		ing->chunks[i] = ct_xcalloc(1, sizeof(*ing->chunks[i]));
	ing->daycap = 1024;
	ing->days = ct_xcalloc(ing->daycap, sizeof(*ing->days));
	ct_clock_format_iso(ct_clock_now(), ing->now_iso);

	if (ct_store_begin(st, err) != CT_OK)
		goto fail_nobegin;
	ing->ch = ct_store_ch(st);
	if (ing->ch) {
		if (ch_begin(ing, err) != CT_OK)
			goto fail;
		return ing;
	}
	/* runs that loaded only inventories have a number too */
	q = ct_store_prepare(st, "SELECT max(coalesce((SELECT max(batch) FROM ingest), 0),"
			     " coalesce((SELECT max(batch) FROM inventory_file), 0)) + 1", err);
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
	if (ct_store_exec(st, "CREATE TEMP TABLE IF NOT EXISTS replaced_sub"
			  " (provider TEXT, account TEXT, period TEXT, sub TEXT,"
			  " lines INTEGER, billed INTEGER);"
			  "DELETE FROM temp.replaced_sub;", err) != CT_OK)
		goto fail;
	PREP(save_subs, "INSERT INTO temp.replaced_sub SELECT ?1, ?2, ?3,"
	     " coalesce(p.sub_account_id, ''), sum(d.lines), sum(d.billed_cost)"
	     " FROM line_day d JOIN profile p ON p.id = d.profile_id"
	     " WHERE d.ingest_id = ?4 GROUP BY 4");
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
	ing->rd.line = line;
}

/* ---- daily rollup ---------------------------------------------------- */

static size_t day_slot(const struct day_ent *t, size_t cap, int64_t ingest_id,
		       int64_t day, int64_t profile_id)
{
	uint64_t h = ct_hash_u64(((uint64_t)ingest_id << 32) ^ (uint64_t)day,
				 (uint64_t)profile_id);
	size_t mask = cap - 1, i;

	for (i = h & mask; t[i].ingest_id; i = (i + 1) & mask)
		if (t[i].ingest_id == ingest_id && t[i].day == day &&
		    t[i].profile_id == profile_id)
			break;
	return i;
}

static int cmp_day(const void *a, const void *b)
{
	const struct day_ent *x = a, *y = b;

	if (x->ingest_id != y->ingest_id)
		return x->ingest_id < y->ingest_id ? -1 : 1;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (x->profile_id != y->profile_id)
		return x->profile_id < y->profile_id ? -1 : 1;
	return 0;
}

/* Add the rollup entries to line_day and empty the table. They go in key
 * order, so the b-tree fills page after page: in hash order every upsert
 * would land on another page, and with the page cache full of new line
 * pages that means reading spilled pages back again and again. */
static int flush_days(struct ct_ingest *ing, struct ct_err *err)
{
	struct ct_stmt *q = ing->upsert_day;
	size_t n = 0;
	int rc = CT_OK;

	for (size_t i = 0; i < ing->daycap; i++)
		if (ing->days[i].ingest_id)
			ing->days[n++] = ing->days[i];
	qsort(ing->days, n, sizeof(*ing->days), cmp_day);
	for (size_t i = 0; i < n; i++) {
		struct day_ent *e = &ing->days[i];
		ct_stmt_bind_int64(q, 1, e->ingest_id);
		ct_stmt_bind_int64(q, 2, e->day);
		ct_stmt_bind_int64(q, 3, e->profile_id);
		ct_stmt_bind_int64(q, 4, e->lines);
		ct_stmt_bind_int64(q, 5, e->billed);
		ct_stmt_bind_int64(q, 6, e->effective);
		ct_stmt_bind_int64(q, 7, e->list);
		rc = ct_stmt_step(q, err) < 0 ? CT_E_DB : CT_OK;
		ct_stmt_reset(q);
		if (rc != CT_OK)
			break;
	}
	memset(ing->days, 0, ing->daycap * sizeof(*ing->days));
	ing->ndays = 0;
	return rc;
}

/* Sums are exact int64 nano-dollars: about $9.2 billion at most. */
static int overflow_error(struct ct_ingest *ing, struct ct_err *err)
{
	return ct_err_set(err, CT_E_INPUT, ing->source, ing->line,
			  "the costs add up past $9.2 billion, more than "
			  "cloudtally can sum exactly");
}

static int add_day(struct ct_ingest *ing, int64_t ingest_id, int64_t day,
		   int64_t profile_id, const struct row *r, struct ct_err *err)
{
	size_t i;
	struct day_ent *e = &ing->days[ing->daylast];

	/* Lines of one resource tend to come together: same entry again. */
	if (e->ingest_id == ingest_id && e->day == day &&
	    e->profile_id == profile_id)
		goto add;
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
	ing->daylast = i;
	if (!e->ingest_id) {
		e->ingest_id = ingest_id;
		e->day = day;
		e->profile_id = profile_id;
		ing->ndays++;
	}
add:
	e->lines++;
	if (__builtin_add_overflow(e->billed, r->billed, &e->billed) ||
	    __builtin_add_overflow(e->effective, r->effective, &e->effective) ||
	    __builtin_add_overflow(e->list, (r->flags & R_HAS_LIST) ? r->list : 0,
				   &e->list))
		return overflow_error(ing, err);
	return CT_OK;
}

/* ---- profiles -------------------------------------------------------- */

static int input_error(struct ct_ingest *ing, struct ct_err *err,
		       const char *fmt, const char *detail)
{
	return ct_err_set(err, CT_E_INPUT, ing->source, ing->line, fmt, detail);
}

/* Call fn with each tag of a Tags JSON object: its key normalised
 * (lower-case, blanks trimmed), as written, and its value as text. Keys
 * that are blank and null values are skipped. */
static int tags_each(struct ct_ingest *ing, const char *text, size_t len,
		     int (*fn)(void *ctx, const char *norm, const char *key,
			       const char *val, struct ct_err *err),
		     void *ctx, struct ct_err *err)
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
		rc = fn(ctx, norm, k, val ? val : "", err);
		free(norm);
		free(val);
		if (rc != CT_OK)
			goto out;
	}
out:
	json_decref(obj);
	return rc;
}

struct tag_row {
	struct ct_ingest *ing;
	int64_t pid;
};

static int tag_insert(void *ctx, const char *norm, const char *key,
		      const char *val, struct ct_err *err)
{
	struct tag_row *t = ctx;
	struct ct_stmt *q = t->ing->ins_tag;
	int rc;

	ct_stmt_bind_int64(q, 1, t->pid);
	ct_stmt_bind_str(q, 2, norm);
	ct_stmt_bind_str(q, 3, key);
	ct_stmt_bind_str(q, 4, val);
	rc = ct_stmt_step(q, err) < 0 ? CT_E_DB : CT_OK;
	ct_stmt_reset(q);
	return rc;
}

/* Store the tags of a new profile as profile_tag rows. */
static int add_tags(struct ct_ingest *ing, int64_t pid, const char *text,
		    size_t len, struct ct_err *err)
{
	struct tag_row t = {ing, pid};

	return tags_each(ing, text, len, tag_insert, &t, err);
}

static int internal_error(struct ct_ingest *ing, struct ct_err *err,
			  const char *what)
{
	return ct_err_set(err, CT_E_INTERNAL, ing->source, ing->line,
			  "ingest: %s", what);
}

static int profile_id(struct ct_ingest *ing, const struct row *r,
		      const struct dims *d, int64_t *out, struct ct_err *err)
{
	int64_t id;
	int rc;

	if (ct_hash_map_get(&ing->profiles, r->ph, &id)) {
		*out = id;
		return CT_OK;
	}
	if (!d)
		return internal_error(ing, err, "a profile came without its text");
	ct_stmt_bind_int64(ing->find_profile, 1, (int64_t)r->ph);
	rc = ct_stmt_step(ing->find_profile, err);
	id = rc == 1 ? ct_stmt_int64(ing->find_profile, 0) : 0;
	ct_stmt_reset(ing->find_profile);
	if (rc < 0)
		return CT_E_DB;
	if (rc == 0) {
		struct ct_stmt *q = ing->ins_profile;
		ct_stmt_bind_int64(q, 1, (int64_t)r->ph);
		for (int i = 0; i < CT_DIM__N; i++)
			ct_stmt_bind_text(q, i + 2, d->s[i], d->len[i]);
		rc = ct_stmt_step(q, err);
		ct_stmt_reset(q);
		if (rc < 0)
			return CT_E_DB;
		id = ct_store_last_rowid(ing->st);
		if (d->s[CT_DIM_TAGS] &&
		    add_tags(ing, id, d->s[CT_DIM_TAGS], d->len[CT_DIM_TAGS],
			     err) != CT_OK)
			return err ? err->code : CT_E_INPUT;
	}
	ct_hash_map_put(&ing->profiles, r->ph, id);
	*out = id;
	return CT_OK;
}

/* ---- loads (ingest rows) --------------------------------------------- */

/* Delete what earlier runs stored for this key. */
static int replace_old(struct ct_ingest *ing, const char *provider,
		       size_t plen, const char *account, size_t alen,
		       const char *period, struct ct_err *err)
{
	struct ct_stmt *q = ing->find_old;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int r, rc = CT_OK;

	ct_stmt_bind_text(q, 1, provider, plen);
	ct_stmt_bind_text(q, 2, account, alen);
	ct_stmt_bind_str(q, 3, period);
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
		/* remember which sub-accounts the replaced data covered */
		struct ct_stmt *rs = ing->save_subs;
		ct_stmt_bind_text(rs, 1, provider, plen);
		ct_stmt_bind_text(rs, 2, account, alen);
		ct_stmt_bind_str(rs, 3, period);
		ct_stmt_bind_int64(rs, 4, ids[i]);
		r = ct_stmt_step(rs, err);
		ct_stmt_reset(rs);
		if (r < 0) {
			rc = CT_E_DB;
			goto out;
		}
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

/* The load of a row: one seen before, or the next one, which the reader
 * sends with its text. */
static struct load *find_load(struct ct_ingest *ing, const struct row *r,
			      const struct dims *d, struct ct_err *err)
{
	char period[8];
	struct load *l;
	struct ct_stmt *q = ing->ins_ingest;
	const char *provider, *account;
	size_t plen, alen;
	int rc;

	if (r->load < ing->nloads)
		return &ing->loads[r->load];
	if (r->load != ing->nloads || !d) {
		internal_error(ing, err, "a load came out of order");
		return NULL;
	}
	CT_GROW(ing->loads, ing->nloads + 1, ing->caploads);
	l = &ing->loads[ing->nloads++];
	memset(l, 0, sizeof(*l));
	provider = d->s[CT_DIM_PROVIDER_NAME] ? d->s[CT_DIM_PROVIDER_NAME] : "";
	plen = d->s[CT_DIM_PROVIDER_NAME] ? d->len[CT_DIM_PROVIDER_NAME] : 0;
	account = d->s[CT_DIM_BILLING_ACCOUNT_ID] ? d->s[CT_DIM_BILLING_ACCOUNT_ID] : "";
	alen = d->s[CT_DIM_BILLING_ACCOUNT_ID] ? d->len[CT_DIM_BILLING_ACCOUNT_ID] : 0;
	ct_clock_format_month(r->bp_start, period);
	if (ing->ch)
		return ch_new_load(ing, l, provider, plen, account, alen, period, r,
				   err) == CT_OK ? l : NULL;

	if (replace_old(ing, provider, plen, account, alen, period, err) != CT_OK)
		return NULL;
	ct_stmt_bind_int64(q, 1, ing->batch);
	ct_stmt_bind_str(q, 2, ing->source);
	ct_stmt_bind_str(q, 3, ing->format);
	ct_stmt_bind_text(q, 4, provider, plen);
	ct_stmt_bind_text(q, 5, account, alen);
	ct_stmt_bind_str(q, 6, period);
	ct_stmt_bind_int64(q, 7, r->bp_start);
	ct_stmt_bind_int64(q, 8, r->bp_end);
	ct_stmt_bind_str(q, 9, ing->now_iso);
	rc = ct_stmt_step(q, err);
	ct_stmt_reset(q);
	if (rc < 0)
		return NULL;
	l->id = ct_store_last_rowid(ing->st);
	return l;
}

/* ---- store side: rows -------------------------------------------------- */

static void unpack_text(const struct chunk *c, size_t off, struct dims *d)
{
	const char *p = c->text + off;

	memcpy(d->len, p, sizeof(d->len));
	p += sizeof(d->len);
	for (int i = 0; i < CT_DIM__N; i++) {
		if (d->len[i] == NULL_DIM) {
			d->s[i] = NULL;
			d->len[i] = 0;
		} else {
			d->s[i] = p;
			p += d->len[i];
		}
	}
}

static int store_row(struct ct_ingest *ing, const struct chunk *c,
		     const struct row *r, struct ct_err *err)
{
	struct ct_stmt *q = ing->ins_line;
	struct dims dims;
	const struct dims *d = NULL;
	struct load *l;
	int64_t pid = 0;
	int rc;

	ing->line = r->line;
	if (r->text != NO_TEXT) {
		unpack_text(c, r->text, &dims);
		d = &dims;
	}
	l = find_load(ing, r, d, err);
	if (!l)
		return err ? err->code : CT_E_DB;
	if (!ing->ch && profile_id(ing, r, d, &pid, err) != CT_OK)
		return err ? err->code : CT_E_DB;
	if (l->seq >= MAX_LINES_PER_INGEST)
		return input_error(ing, err, "%s", "more than 4294967295 lines for one billing account and period in one file");
	if (ing->ch)
		return ch_row(ing, c, r, d, l, err);
	l->seq++;
	ct_stmt_bind_int64(q, 1, (l->id << 32) + l->seq);
	ct_stmt_bind_int64(q, 2, pid);
	ct_stmt_bind_int64(q, 3, r->charge_start);
	ct_stmt_bind_int64(q, 4, r->charge_end);
	ct_stmt_bind_int64(q, 5, r->billed);
	ct_stmt_bind_int64(q, 6, r->effective);
	if (r->flags & R_HAS_LIST)
		ct_stmt_bind_int64(q, 7, r->list);
	else
		ct_stmt_bind_null(q, 7);
	if (r->flags & R_HAS_CONTRACTED)
		ct_stmt_bind_int64(q, 8, r->contracted);
	else
		ct_stmt_bind_null(q, 8);
	for (int i = 0; i < CT_QTY__N; i++) {
		if (r->flags & R_HAS_QTY(i))
			ct_stmt_bind_double(q, 9 + i, r->qty[i]);
		else
			ct_stmt_bind_null(q, 9 + i);
	}
	rc = ct_stmt_step(q, err);
	ct_stmt_reset(q);
	if (rc < 0)
		return CT_E_DB;
	if (__builtin_add_overflow(l->billed, r->billed, &l->billed) ||
	    __builtin_add_overflow(l->effective, r->effective, &l->effective) ||
	    __builtin_add_overflow(ing->stats.billed, r->billed, &ing->stats.billed))
		return overflow_error(ing, err);
	rc = add_day(ing, l->id, ct_clock_day(r->charge_start), pid, r, err);
	if (rc != CT_OK)
		return rc;
	ing->stats.lines++;
	if (ing->progress && c->has_pos && ing->stats.lines % PROGRESS_EVERY == 0)
		ing->progress(ing->progress_ctx, ing->source, c->raw_pos,
			      c->raw_size, ing->stats.lines);
	return CT_OK;
}

static int store_chunk(struct ct_ingest *ing, const struct chunk *c,
		       struct ct_err *err)
{
	for (size_t i = 0; i < c->n; i++) {
		int rc = store_row(ing, c, &c->rows[i], err);
		if (rc != CT_OK)
			return rc;
	}
	return CT_OK;
}

/* ---- reader side: packing lines ---------------------------------------- */

static bool rd_load_matches(const struct rd_load *l, const char *provider,
			    size_t plen, const char *account, size_t alen,
			    const char *period)
{
	return l->plen == plen && l->alen == alen &&
	       !memcmp(l->period, period, 8) &&
	       (!plen || !memcmp(l->provider, provider, plen)) &&
	       (!alen || !memcmp(l->account, account, alen));
}

/* Index of the line's load in this file; *is_new when it is the first
 * line of it. */
static size_t rd_find_load(struct reader *rd, const struct ct_line *ln,
			   bool *is_new)
{
	const char *provider = ln->dim[CT_DIM_PROVIDER_NAME];
	const char *account = ln->dim[CT_DIM_BILLING_ACCOUNT_ID];
	size_t plen = provider ? ln->dimlen[CT_DIM_PROVIDER_NAME] : 0;
	size_t alen = account ? ln->dimlen[CT_DIM_BILLING_ACCOUNT_ID] : 0;
	struct rd_load *l;
	uint64_t h;
	int64_t idx;

	if (!rd->have_month || rd->month_of != ln->billing_period_start) {
		ct_clock_format_month(ln->billing_period_start, rd->month);
		rd->month_of = ln->billing_period_start;
		rd->have_month = true;
	}
	if (rd->last < rd->nloads &&
	    rd_load_matches(&rd->loads[rd->last], provider, plen, account,
			    alen, rd->month))
		return rd->last;
	h = ct_hash_bytes(rd->month, 7, ct_hash_bytes(account ? account : "", alen,
				ct_hash_bytes(provider ? provider : "", plen, 1)));
	if (ct_hash_map_get(&rd->load_index, h, &idx) &&
	    rd_load_matches(&rd->loads[idx], provider, plen, account, alen, rd->month))
		return rd->last = (size_t)idx;
	for (size_t i = 0; i < rd->nloads; i++) /* only on a hash collision */
		if (rd_load_matches(&rd->loads[i], provider, plen, account,
				    alen, rd->month))
			return rd->last = i;
	if (rd->nloads >= MAX_LOADS) {
		rd->too_many_loads = true;
		return 0;
	}
	ct_hash_map_put(&rd->load_index, h, (int64_t)rd->nloads);

	CT_GROW(rd->loads, rd->nloads + 1, rd->caploads);
	l = &rd->loads[rd->nloads];
	l->plen = plen;
	l->alen = alen;
	l->provider = ct_xstrndup(plen ? provider : "", plen);
	l->account = ct_xstrndup(alen ? account : "", alen);
	memcpy(l->period, rd->month, 8);
	*is_new = true;
	return rd->last = rd->nloads++;
}

/* The profile key is every dimension, each written as its length (4
 * bytes; 0xffffffff for null) and then its bytes, so no two different
 * profiles can spell the same key; its hash is what the profile table
 * keys on. */
static uint64_t profile_hash(struct reader *rd, const struct ct_line *ln)
{
	size_t need = 0, n = 0;

	for (int i = 0; i < CT_DIM__N; i++)
		need += (ln->dim[i] ? ln->dimlen[i] : 0) + 4;
	CT_GROW(rd->key, need, rd->keycap);
	for (int i = 0; i < CT_DIM__N; i++) {
		uint32_t len = ln->dim[i] ? (uint32_t)ln->dimlen[i] : UINT32_MAX;
		memcpy(rd->key + n, &len, 4);
		n += 4;
		if (ln->dim[i]) {
			memcpy(rd->key + n, ln->dim[i], ln->dimlen[i]);
			n += ln->dimlen[i];
		}
	}
	return ct_hash_bytes(rd->key, n, 0);
}

/* Copy the dimensions of ln into c's text: CT_DIM__N lengths (NULL_DIM for
 * null), 8-byte aligned, then the bytes. @return the offset. */
static size_t put_text(struct chunk *c, const struct ct_line *ln)
{
	size_t len[CT_DIM__N];
	size_t off = (c->tlen + 7) & ~(size_t)7, need = sizeof(len), p;

	for (int i = 0; i < CT_DIM__N; i++) {
		len[i] = ln->dim[i] ? ln->dimlen[i] : NULL_DIM;
		need += ln->dim[i] ? ln->dimlen[i] : 0;
	}
	CT_GROW(c->text, off + need, c->tcap);
	memcpy(c->text + off, len, sizeof(len));
	p = off + sizeof(len);
	for (int i = 0; i < CT_DIM__N; i++) {
		if (ln->dim[i] && ln->dimlen[i]) {
			memcpy(c->text + p, ln->dim[i], ln->dimlen[i]);
			p += ln->dimlen[i];
		}
	}
	c->tlen = p;
	return off;
}

/*
 * Pack ln as the next row of c. The store side stores rows in order, so a
 * profile whose text went with an earlier row is known there by the time
 * this row arrives: only its hash needs to go. The reader remembers the
 * hashes it sent in a fixed table (a slot per hash value, the last one
 * wins), so memory stays flat however many profiles a file has; a profile
 * that lost its slot just has its text sent again, which the store side
 * ignores.
 */
static void pack(struct reader *rd, struct chunk *c, const struct ct_line *ln)
{
	struct row *r = &c->rows[c->n++];
	bool text = false;
	uint64_t *slot;

	r->line = rd->line;
	r->load = rd_find_load(rd, ln, &text);
	r->ph = profile_hash(rd, ln);
	slot = &rd->sent[r->ph & (SENT_SLOTS - 1)];
	if (*slot != r->ph || r->ph == 0) {
		*slot = r->ph;
		text = true;
	}
	r->text = text ? put_text(c, ln) : NO_TEXT;
	r->bp_start = ln->billing_period_start;
	r->bp_end = ln->billing_period_end;
	r->charge_start = ln->charge_start;
	r->charge_end = ln->charge_end;
	r->billed = ln->billed;
	r->effective = ln->effective;
	r->list = ln->list;
	r->contracted = ln->contracted;
	r->flags = (ln->has_list ? R_HAS_LIST : 0) |
		   (ln->has_contracted ? R_HAS_CONTRACTED : 0);
	for (int i = 0; i < CT_QTY__N; i++) {
		r->qty[i] = ln->qty[i];
		if (ln->has_qty[i])
			r->flags |= R_HAS_QTY(i);
	}
}

static void chunk_reset(struct chunk *c)
{
	c->n = 0;
	c->tlen = 0;
	if (c->tcap > 4 * CHUNK_TEXT) { /* one huge line: give it back */
		free(c->text);
		c->text = NULL;
		c->tcap = 0;
	}
}

/* Note where the stream is, for progress reports of the store side. */
static void chunk_close(const struct ct_ingest *ing, struct chunk *c)
{
	c->has_pos = ing->in != NULL;
	if (ing->in) {
		c->raw_pos = ct_stream_raw_pos(ing->in);
		c->raw_size = ct_stream_raw_size(ing->in);
	}
}

int ct_ingest_line(struct ct_ingest *ing, const struct ct_line *ln,
		   struct ct_err *err)
{
	struct reader *rd = &ing->rd;
	struct chunk *c = rd->fill;

	if (!c) {
		c = rd->pipe ? ct_pipeline_take_free(rd->pipe) : ing->chunks[0];
		if (!c)
			return ct_err_set(err, STOPPED, NULL, 0, "stopped");
		chunk_reset(c);
		rd->fill = c;
	}
	pack(rd, c, ln);
	if (rd->too_many_loads) {
		c->n--; /* the row that did not fit is not sent */
		return ct_err_set(err, CT_E_INPUT, ing->source, rd->line,
				  "more than %d different (provider, billing "
				  "account, billing period) keys in one file",
				  MAX_LOADS);
	}
	if (!rd->pipe) {
		rd->fill = NULL;
		chunk_close(ing, c);
		return store_chunk(ing, c, err);
	}
	if (c->n == CHUNK_ROWS || c->tlen >= CHUNK_TEXT) {
		rd->fill = NULL;
		chunk_close(ing, c);
		ct_pipeline_put_full(rd->pipe, c);
	}
	return CT_OK;
}

/* ---- files ----------------------------------------------------------- */

/* Take back what this file stored: it repeats a file of this run. */
static int drop_file(struct ct_ingest *ing, struct ct_err *err)
{
	struct ct_stmt *dels[3] = {ing->del_lines, ing->del_days, ing->del_ingest};

	if (ing->ch)
		return ch_drop_file(ing, err);

	for (size_t i = 0; i < ing->nloads; i++) {
		struct load *l = &ing->loads[i];
		for (int k = 0; k < 3; k++) {
			int r;
			ct_stmt_bind_int64(dels[k], 1, l->id);
			r = ct_stmt_step(dels[k], err);
			ct_stmt_reset(dels[k]);
			if (r < 0)
				return CT_E_DB;
		}
		ing->stats.lines -= (long)l->seq;
		ing->stats.billed -= l->billed;
	}
	memset(ing->days, 0, ing->daycap * sizeof(*ing->days));
	ing->ndays = 0;
	ing->daylast = 0;
	ing->nloads = 0;
	ing->stats.duplicates++;
	return CT_OK;
}

static int finish_file(struct ct_ingest *ing, struct ct_stream *in,
		       struct ct_err *err)
{
	char sum[17];
	struct ct_stmt *q = ing->upd_ingest;
	int r;

	ct_stream_checksum(in, sum);
	/* The same bytes twice in one run (a file and its .gz copy, a folder
	 * and a file in it, a link): count them once. */
	for (size_t i = 0; i < ing->nsums; i++)
		if (!strcmp(ing->sums[i], sum))
			return drop_file(ing, err);
	ing->sums = ct_xrealloc(ing->sums, (ing->nsums + 1) * sizeof(*ing->sums));
	memcpy(ing->sums[ing->nsums++], sum, sizeof(sum));
	if (ing->ch) {
		for (size_t i = ing->file_first; i < ing->nchl; i++) {
			struct chload *cl = &ing->chl[i];
			struct load *l = &ing->loads[i - ing->file_first];
			cl->rows = l->seq;
			cl->billed = l->billed;
			cl->effective = l->effective;
			memcpy(cl->sum, sum, sizeof(sum));
		}
		ing->file_first = ing->nchl;
		ing->nloads = 0;
		return CT_OK;
	}
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
	ing->nloads = 0;
	return flush_days(ing, err);
}

/* ---- inventories and metrics (src/inventory.c) ------------------------ */

void ct_ingest_set_defaults(struct ct_ingest *ing, const char *account,
			    const char *region)
{
	free(ing->def_account);
	free(ing->def_region);
	ing->def_account = account ? ct_xstrdup(account) : NULL;
	ing->def_region = region ? ct_xstrdup(region) : NULL;
	if (ing->inv)
		ct_inventory_set_defaults(ing->inv, account, region);
}

void ct_ingest_set_skip_unknown(struct ct_ingest *ing, bool on)
{
	ing->skip_unknown = on;
}

static struct ct_inventory *inventory(struct ct_ingest *ing, struct ct_err *err)
{
	if (!ing->inv) {
		ing->inv = ct_inventory_new(ing->st, ing->batch, ing->now_iso, err);
		if (ing->inv)
			ct_inventory_set_defaults(ing->inv, ing->def_account,
						  ing->def_region);
	}
	return ing->inv;
}

/* Store what the inventory reader staged from the file read by in, unless
 * the run already had a file with the same bytes. */
static int store_inventory(struct ct_ingest *ing, struct ct_stream *in,
			   struct ct_err *err)
{
	struct ct_inventory_counts n;
	char sum[17];
	int rc;

	ct_stream_checksum(in, sum);
	ing->format = ct_inventory_format(ing->inv);
	ing->stats.files++;
	for (size_t i = 0; i < ing->nsums; i++) {
		if (!strcmp(ing->sums[i], sum)) {
			ct_inventory_discard(ing->inv);
			ing->stats.duplicates++;
			return CT_OK;
		}
	}
	ing->sums = ct_xrealloc(ing->sums, (ing->nsums + 1) * sizeof(*ing->sums));
	memcpy(ing->sums[ing->nsums++], sum, sizeof(sum));
	rc = ct_inventory_store(ing->inv, sum, &n, err);
	ing->stats.resources += n.resources;
	ing->stats.metric_days += n.metric_days;
	ing->stats.targets += n.targets;
	return rc;
}

/* True when the first non-blank byte of the file is '{' (after a byte
 * order mark): a JSON document. Reads a few bytes of a separate stream,
 * so that the real reader starts at the beginning. */
static int peek_json(const char *path, bool *is_json, struct ct_err *err)
{
	struct ct_stream *s;
	char buf[512];
	long n;

	*is_json = false;
	if (!strcmp(path, "-"))
		return CT_OK; /* cannot be read twice: CSV only */
	s = ct_stream_open(path, err);
	if (!s)
		return err ? err->code : CT_E_IO;
	n = ct_stream_read(s, buf, sizeof(buf), err);
	ct_stream_close(s);
	if (n < 0)
		return (int)n;
	for (long i = 0; i < n; i++) {
		if (i == 0 && n >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3)) {
			i = 2;
			continue;
		}
		if (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n')
			continue;
		*is_json = buf[i] == '{';
		break;
	}
	return CT_OK;
}

/* Read a whole JSON file and load it through the inventory reader. */
static int ingest_json(struct ct_ingest *ing, const char *path,
		       struct ct_err *err)
{
	struct ct_stream *in = NULL;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc;

	if (!inventory(ing, err))
		return CT_E_DB;
	in = ct_stream_open(path, err);
	if (!in)
		return err ? err->code : CT_E_IO;
	for (;;) {
		long n;
		if (len + 65536 > cap) {
			cap = cap ? cap * 2 : 1u << 20;
			buf = ct_xrealloc(buf, cap);
		}
		n = ct_stream_read(in, buf + len, cap - len, err);
		if (n < 0) {
			rc = (int)n;
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > CT_INVENTORY_MAX_JSON) {
			rc = ct_err_set(err, CT_E_INPUT, path, 0, "JSON file larger "
					"than %zu MiB", CT_INVENTORY_MAX_JSON >> 20);
			goto out;
		}
	}
	rc = ct_inventory_read_json(ing->inv, path, buf, len, err);
	if (rc == CT_E_INPUT && ing->skip_unknown &&
	    ct_inventory_unknown_shape(ing->inv)) {
		ing->format = "skipped";
		ing->stats.skipped++;
		rc = CT_OK;
		goto out;
	}
	if (rc == CT_OK)
		rc = store_inventory(ing, in, err);
out:
	free(buf);
	ct_stream_close(in);
	return rc;
}

/* ---- format dispatch ------------------------------------------------
 * Billing formats, detected from the header in this order (the first
 * that fits wins; the column sets do not overlap): FOCUS, AWS CUR (all
 * spellings), OCI, GCP, Azure. --format names one and skips detection.
 * A JSON file is a GCP export when its first line is a row object with
 * billing_account_id, else an inventory (src/inventory.c). */

enum reader_kind { R_FOCUS, R_CUR, R_AZURE, R_GCP_CSV, R_GCP_JSON, R_OCI };

static const struct {
	const char *name; /* --format */
	enum reader_kind kind;
} format_names[] = {
	{"focus", R_FOCUS}, {"cur", R_CUR}, {"cur2", R_CUR},
	{"azure", R_AZURE}, {"gcp", R_GCP_CSV}, {"oci", R_OCI},
};

/* Detect the billing format of a CSV header; forced (a --format name, or
 * NULL) wins. @return true with *kind and *label, false if unknown. */
static bool detect(const struct ct_csv_rec *hdr, const char *forced,
		   enum reader_kind *kind, const char **label)
{
	for (size_t i = 0; forced && i < CT_NELEM(format_names); i++) {
		if (strcmp(forced, format_names[i].name))
			continue;
		*kind = format_names[i].kind;
		if (*kind == R_FOCUS)
			return ct_focus_detect(hdr, label);
		if (*kind == R_CUR && !ct_cur_detect(hdr, label))
			*label = !strcmp(forced, "cur2") ? "aws-cur-2.0" : "aws-cur";
		else if (*kind == R_AZURE && !ct_azure_detect(hdr, label))
			*label = "azure";
		else if (*kind == R_GCP_CSV)
			*label = "gcp-csv";
		else if (*kind == R_OCI)
			*label = "oci";
		return true;
	}
	if (ct_focus_detect(hdr, label)) {
		*kind = R_FOCUS;
	} else if (ct_cur_detect(hdr, label)) {
		*kind = R_CUR;
	} else if (ct_oci_detect(hdr)) {
		*kind = R_OCI;
		*label = "oci";
	} else if (ct_gcp_detect(hdr)) {
		*kind = R_GCP_CSV;
		*label = "gcp-csv";
	} else if (ct_azure_detect(hdr, label)) {
		*kind = R_AZURE;
	} else {
		return false;
	}
	return true;
}

/* Run the format reader over the rows after the header. */
static int read_rows(struct ct_ingest *ing, struct ct_err *err)
{
	struct reader *rd = &ing->rd;

	switch ((enum reader_kind)rd->kind) {
	case R_CUR:
		return ct_cur_read(ing, rd->csv, &rd->hdr, err);
	case R_AZURE:
		return ct_azure_read(ing, rd->csv, &rd->hdr, ing->source,
				     ing->azure, err);
	case R_GCP_CSV:
		return ct_gcp_read_csv(ing, rd->csv, &rd->hdr, err);
	case R_GCP_JSON:
		return ct_gcp_read_json(ing, ing->in, err);
	case R_OCI:
		return ct_oci_read(ing, rd->csv, &rd->hdr, err);
	case R_FOCUS:
		break;
	}
	return ct_focus_read(ing, rd->csv, &rd->hdr, err);
}

/* The reader thread: rows into chunks; the last one goes over even after
 * an error, so that the rows before it are stored (and their errors win). */
static int reader_thread(struct ct_pipeline *p, void *arg)
{
	struct ct_ingest *ing = arg;
	struct reader *rd = &ing->rd;
	int rc;

	rd->pipe = p;
	rc = read_rows(ing, &rd->err);
	if (rd->fill) {
		chunk_close(ing, rd->fill);
		ct_pipeline_put_full(p, rd->fill);
		rd->fill = NULL;
	}
	rd->pipe = NULL;
	return rc;
}

/* Read the rows on a reader thread and store them here. */
static int read_and_store(struct ct_ingest *ing, struct ct_err *err)
{
	struct ct_pipeline *p;
	struct chunk *c;
	int rc = CT_OK, rrc;

	ct_err_init(&ing->rd.err);
	p = ct_pipeline_start((void *const *)ing->chunks, NCHUNKS,
			      reader_thread, ing);
	if (!p)
		return read_rows(ing, err); /* no thread: one row at a time */
	while ((c = ct_pipeline_take_full(p))) {
		if (rc == CT_OK && (rc = store_chunk(ing, c, err)) != CT_OK)
			ct_pipeline_stop(p);
		ct_pipeline_put_free(p, c);
	}
	rrc = ct_pipeline_join(p);
	if (rc == CT_OK && rrc != CT_OK) {
		rc = rrc;
		if (err)
			*err = ing->rd.err;
	}
	return rc;
}

/* Read a GCP newline-delimited JSON export. */
static int ingest_gcp_json(struct ct_ingest *ing, const char *path,
			   struct ct_err *err)
{
	struct ct_stream *in = ct_stream_open(path, err);
	int rc;

	if (!in)
		return err ? err->code : CT_E_IO;
	ing->source = ing->shown ? ing->shown : path;
	ing->in = in;
	ing->line = 0;
	ing->rd.line = 0;
	ing->nloads = 0;
	free_rd_loads(&ing->rd);
	ing->format = "gcp-json";
	ing->rd.kind = R_GCP_JSON;
	ing->last_billing = true;
	rc = read_and_store(ing, err);
	if (rc == CT_OK)
		rc = finish_file(ing, in, err);
	if (rc == CT_OK)
		ing->stats.files++;
	ing->in = NULL;
	ct_stream_close(in);
	return rc;
}

void ct_ingest_set_name(struct ct_ingest *ing, const char *name)
{
	ing->shown = name;
}

int ct_ingest_file(struct ct_ingest *ing, const char *path, const char *format,
		   struct ct_err *err)
{
	struct ct_stream *in;
	struct ct_csv *csv = NULL;
	struct ct_csv_rec hdr;
	const char *version = NULL;
	enum reader_kind kind = R_FOCUS;
	bool is_json = false, known = !format;
	int rc;

	for (size_t i = 0; format && i < CT_NELEM(format_names); i++)
		known = known || !strcmp(format, format_names[i].name);
	if (!known)
		return ct_err_set(err, CT_E_USAGE, NULL, 0,
				  "unknown format '%s' (known: focus, cur, cur2, "
				  "azure, gcp, oci)", format);
	ing->last_billing = false;
	if (!format || !strcmp(format, "gcp")) {
		rc = peek_json(path, &is_json, err);
		if (rc != CT_OK)
			return rc;
		if (is_json && (format || ct_gcp_sniff_json(path)))
			return ingest_gcp_json(ing, path, err);
		if (is_json && !format)
			return ingest_json(ing, path, err);
	}
	in = ct_stream_open(path, err);
	if (!in)
		return err ? err->code : CT_E_IO;
	csv = ct_csv_open(in, 0);
	ing->source = ing->shown ? ing->shown : path;
	ing->in = in;
	ing->line = 0;
	ing->rd.line = 0;
	ing->nloads = 0;
	free_rd_loads(&ing->rd);
	rc = ct_csv_next(csv, &hdr, err);
	if (rc < 0)
		goto out;
	if (rc == 0) {
		rc = ct_err_set(err, CT_E_INPUT, path, 0, "empty file: no header row");
		goto out;
	}
	if (!format && ct_inventory_is_csv_header(&hdr)) {
		if (!inventory(ing, err)) {
			rc = CT_E_DB;
			goto out;
		}
		rc = ct_inventory_read_csv(ing->inv, path, csv, &hdr, err);
		if (rc == CT_OK)
			rc = store_inventory(ing, in, err);
		goto out;
	}
	if (hdr.n >= 1 && hdr.field[0][strspn(hdr.field[0], " \t\r\n")] == '{') {
		rc = ct_err_set(err, CT_E_INPUT, path, hdr.line,
				"JSON on standard input is not supported: save it "
				"to a file and ingest that");
		goto out;
	}
	if (!detect(&hdr, format, &kind, &version)) {
		rc = ct_err_set(err, CT_E_INPUT, path, hdr.line,
				"unrecognised billing format: the header has the "
				"columns of none of FOCUS (BilledCost, "
				"ChargePeriodStart, BillingPeriodStart), AWS CUR, "
				"Azure cost details, GCP billing export or OCI cost "
				"report (nor the metrics CSV columns resource_id, "
				"timestamp, metric and value): not a billing export?");
		goto out;
	}
	if (kind == R_AZURE && !ing->azure)
		ing->azure = ct_azure_run_new();
	ing->format = version;
	ing->last_billing = true;
	ing->rd.csv = csv;
	ing->rd.hdr = hdr;
	ing->rd.kind = kind;
	rc = read_and_store(ing, err);
	if (rc != CT_OK)
		goto out;
	rc = finish_file(ing, in, err);
	ing->stats.files++;
out:
	ing->in = NULL;
	ing->rd.csv = NULL;
	ct_csv_close(csv);
	return rc;
}

bool ct_ingest_last_was_billing(const struct ct_ingest *ing)
{
	return ing->last_billing;
}

void ct_ingest_get_stats(const struct ct_ingest *ing, struct ct_ingest_stats *out)
{
	*out = ing->stats;
}

const char *ct_ingest_last_format(const struct ct_ingest *ing)
{
	return ing->format ? ing->format : "";
}

/* A restatement that lacks sub-accounts the replaced data had is most
 * likely one of several exports under one billing account: say so. */
static int warn_dropped_subs(struct ct_ingest *ing, struct ct_err *err)
{
	struct ct_stmt *q;
	int r;

	if (!ing->warn)
		return CT_OK;
	q = ct_store_prepare(ing->st,
		"SELECT r.provider, r.account, r.period, r.sub, sum(r.lines), sum(r.billed)"
		" FROM temp.replaced_sub r WHERE NOT EXISTS (SELECT 1 FROM ingest i"
		" JOIN line_day d ON d.ingest_id = i.id JOIN profile p ON p.id = d.profile_id"
		" WHERE i.batch = ?1 AND i.provider = r.provider"
		" AND i.billing_account_id = r.account AND i.billing_period = r.period"
		" AND coalesce(p.sub_account_id, '') = r.sub)"
		" GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4", err);
	if (!q)
		return CT_E_DB;
	ct_stmt_bind_int64(q, 1, ing->batch);
	while ((r = ct_stmt_step(q, err)) == 1) {
		char amt[40];
		char *msg = ct_xasprintf(
			"the new %s data for billing account '%s' (%s) has no lines of "
			"sub-account '%s', which the replaced data had (%lld lines, "
			"$%s); if it comes in a separate export, ingest the exports "
			"together", ct_stmt_text(q, 2), ct_stmt_text(q, 1),
			ct_stmt_text(q, 0), ct_stmt_text(q, 3),
			(long long)ct_stmt_int64(q, 4),
			ct_money_format(ct_stmt_int64(q, 5), 2, true, amt, sizeof(amt)));
		ing->warn(ing->warn_ctx, msg);
		free(msg);
	}
	ct_stmt_finalize(q);
	return r < 0 ? CT_E_DB : CT_OK;
}

void ct_ingest_set_warn(struct ct_ingest *ing, ct_ingest_warn_fn *fn, void *ctx)
{
	ing->warn = fn;
	ing->warn_ctx = ctx;
}

int ct_ingest_commit(struct ct_ingest *ing, struct ct_ingest_stats *stats,
		     struct ct_err *err)
{
	int rc = ing->ch ? ch_publish(ing, err) : warn_dropped_subs(ing, err);

	if (rc == CT_OK)
		rc = ct_store_commit(ing->st, err);

	if (rc != CT_OK)
		ct_store_rollback(ing->st);
	else if (stats)
		*stats = ing->stats;
	if (ing->ch)
		ch_drop_stage(ing);
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
	ing->ins_ingest = ing->upd_ingest = ing->upsert_day = ing->save_subs = NULL;
	if (ing->ch)
		ch_drop_stage(ing);
	ct_store_rollback(ing->st);
	ingest_free(ing);
}
