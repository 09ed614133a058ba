/*
 * store.h - the store (SQLite, or ClickHouse: see store.c): where it lives, opening it, the schema
 * migrations, transactions and a thin prepared-statement interface.
 *
 * Only store.c calls sqlite3_* functions. Everything else brings SQL text
 * and binds values through ct_stmt_* — SQL is never built by pasting
 * values in. Statements are finalized by the function that prepared them.
 */
#ifndef CT_SRC_STORE_H
#define CT_SRC_STORE_H

#include "ct.h"

struct ct_store;
struct ct_stmt;

enum {
	CT_STORE_READ = 0,    /* open an existing store */
	CT_STORE_CREATE = 1,  /* create the file (and its folder) if missing */
};

/**
 * The store path: opt (from --store or --db) if given, else
 * $CLOUDTALLY_STORE, else $CLOUDTALLY_DB, else
 * ${XDG_DATA_HOME:-$HOME/.local/share}/cloudtally/cloudtally.db. A
 * "clickhouse://..." URL names a ClickHouse store (clickhouse.h).
 *
 * @return new string (caller frees).
 */
char *ct_store_default_path(const char *opt);

/* True when path names a store that may be opened: a clickhouse:// URL
 * (whether the database holds one is found on opening) or an existing
 * file. Commands that work without a store ask this first. */
bool ct_store_exists(const char *path);

/**
 * Open the store at path in WAL mode with a busy timeout and foreign keys
 * on, and bring its schema up to date (ct_store_migrate()).
 *
 * @return new handle (ct_store_close()), or NULL with err: CT_E_IO when
 *         the file is missing without CT_STORE_CREATE or cannot be made,
 *         CT_E_DB for SQLite errors or a store from a newer cloudtally.
 */
struct ct_store *ct_store_open(const char *path, int flags,
			       struct ct_err *err);
/**
 * ct_store_open() for `db init --cluster NAME`: a ClickHouse store whose
 * line table is Distributed over the shards of cluster (NULL: as
 * ct_store_open()).
 */
struct ct_store *ct_store_open_cluster(const char *path, int flags,
				       const char *cluster, struct ct_err *err);
/* Close; NULL is allowed. */
void ct_store_close(struct ct_store *st);
/* True for a ClickHouse store (path "clickhouse://..."). */
bool ct_store_is_clickhouse(const struct ct_store *st);
/* The ClickHouse connection of a ClickHouse store, else NULL (borrowed). */
struct ct_ch *ct_store_ch(struct ct_store *st);
/* The path the store was opened with (borrowed). */
const char *ct_store_path(const struct ct_store *st);

/* Schema version in the file (PRAGMA user_version) and the latest known. */
int ct_store_version(struct ct_store *st);
int ct_store_latest_version(void);
/**
 * Apply every embedded data/schema/NNNN_*.sql step above the file's
 * version, each in its own transaction.
 *
 * @return CT_OK, or CT_E_DB.
 */
int ct_store_migrate(struct ct_store *st, struct ct_err *err);

/**
 * Check the store: SQLite's integrity and foreign-key checks plus
 * cloudtally's own invariants (every line belongs to an ingest, row counts
 * and daily sums agree with the lines). Problems are appended to *report
 * (new string, one per line; NULL when none).
 *
 * @return CT_OK (check ran; see *report), or CT_E_DB.
 */
int ct_store_check(struct ct_store *st, char **report, struct ct_err *err);

/* Transactions. begin takes the write lock at once (BEGIN IMMEDIATE). */
int ct_store_begin(struct ct_store *st, struct ct_err *err);
int ct_store_commit(struct ct_store *st, struct ct_err *err);
void ct_store_rollback(struct ct_store *st);

/* Run SQL text with no parameters and no result rows. */
int ct_store_exec(struct ct_store *st, const char *sql, struct ct_err *err);

/**
 * Prepare one statement.
 *
 * @return new statement (ct_stmt_finalize()), or NULL with CT_E_DB.
 */
struct ct_stmt *ct_store_prepare(struct ct_store *st, const char *sql,
				 struct ct_err *err);
/**
 * Prepare a query over the billing tables (ingest, line, line_day,
 * profile, profile_tag) with its text for each backend: sql on SQLite,
 * ch_sql on ClickHouse (the line table there has the profile columns,
 * the tags as arrays tag_key/tag_name/tag_value, billing_period, provider,
 * account and day; see ct_ingest_ch_columns()). Parameters are ?N in both
 * and bound the same way. A ClickHouse query runs at its first step and
 * its rows are held in memory.
 *
 * @return new statement, or NULL with CT_E_DB.
 */
struct ct_stmt *ct_store_prepare_ch(struct ct_store *st, const char *sql,
				    const char *ch_sql, struct ct_err *err);
/* Bind parameter i (1-based). Text is copied; NULL s binds SQL NULL. */
void ct_stmt_bind_int64(struct ct_stmt *q, int i, int64_t v);
void ct_stmt_bind_double(struct ct_stmt *q, int i, double v);
void ct_stmt_bind_text(struct ct_stmt *q, int i, const char *s, size_t len);
void ct_stmt_bind_str(struct ct_stmt *q, int i, const char *s);
void ct_stmt_bind_null(struct ct_stmt *q, int i);
/**
 * Step. @return 1 when a row is ready, 0 when done, CT_E_DB on error.
 */
int ct_stmt_step(struct ct_stmt *q, struct ct_err *err);
/* Reset for another step with new bindings (bindings are kept). */
void ct_stmt_reset(struct ct_stmt *q);
/* Column getters for the current row (0-based). Text is borrowed until
 * the next step/reset; NULL for SQL NULL. */
int64_t ct_stmt_int64(struct ct_stmt *q, int col);
double ct_stmt_double(struct ct_stmt *q, int col);
const char *ct_stmt_text(struct ct_stmt *q, int col);
bool ct_stmt_is_null(struct ct_stmt *q, int col);
int ct_stmt_columns(struct ct_stmt *q);
/* Finalize; NULL is allowed. */
void ct_stmt_finalize(struct ct_stmt *q);

/* Rows changed by the last statement, and the last inserted rowid. */
int64_t ct_store_changes(struct ct_store *st);
int64_t ct_store_last_rowid(struct ct_store *st);

#endif
