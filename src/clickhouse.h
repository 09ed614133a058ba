/*
 * clickhouse.h - a ClickHouse server reached over its HTTP interface:
 * the store URL, queries with TabSeparated results, compressed RowBinary
 * inserts, literals, and the layout of cloudtally's tables there.
 *
 * Depends on http.c (libcurl) and zlib; knows nothing of SQLite or of
 * the report models. Never prints; the password never appears in an
 * error, the shown URL or anything stored.
 *
 * Store URL: clickhouse://[user[:password]@]host[:port][,host[:port]...]/db
 * (port 8123 by default). The password may also come from
 * $CLICKHOUSE_PASSWORD. The first host takes every query; further hosts
 * are the shards of a cluster (see ct_ch_init()).
 */
#ifndef CT_SRC_CLICKHOUSE_H
#define CT_SRC_CLICKHOUSE_H

#include "ct.h"

struct ct_ch;

/* A growable byte buffer for literals, SQL text and RowBinary rows. */
struct ct_ch_buf {
	char *p;
	size_t len, cap;
};

/* True when s names a ClickHouse store (starts with "clickhouse://"). */
bool ct_ch_is_url(const char *s);

/**
 * Parse the store URL and check that the first host answers and holds
 * cloudtally's tables (unless create is true, for `db init`).
 *
 * @return new handle (ct_ch_close()), or NULL with err: CT_E_USAGE for a
 *         malformed URL, CT_E_NET when the server cannot be reached or
 *         refuses, CT_E_DB when the database holds no cloudtally store.
 */
struct ct_ch *ct_ch_open(const char *url, bool create, struct ct_err *err);
/**
 * Only parse the store URL (no network): what ct_ch_open() does first.
 *
 * @return new handle, or NULL with CT_E_USAGE.
 */
struct ct_ch *ct_ch_parse(const char *url, struct ct_err *err);
/* Close; NULL is allowed. */
void ct_ch_close(struct ct_ch *ch);
/* Hosts listed in the URL. */
size_t ct_ch_hosts(const struct ct_ch *ch);
/* True when a password came from the URL or $CLICKHOUSE_PASSWORD. */
bool ct_ch_has_password(const struct ct_ch *ch);
/* The URL without its password (borrowed). */
const char *ct_ch_shown(const struct ct_ch *ch);
/* Shard hosts ("host:port") of the store: 1 unless it is a cluster. */
size_t ct_ch_shards(const struct ct_ch *ch);
/* The cluster name, NULL for one server (borrowed). */
const char *ct_ch_cluster(const struct ct_ch *ch);

/**
 * Create the tables (db init). With cluster, the URL must list the HTTP
 * address of every shard of that remote_servers cluster, in its order:
 * each gets the local tables, and `line` is a Distributed table over
 * them. Running it again on an existing store changes nothing.
 *
 * @param line_cols  the column list of the line table (ingest.c's).
 * @param small  SQLite CREATE TABLE texts of the small tables mirrored
 *               whole (see store.c), as "name\tcol type,col type..." lines.
 * @return CT_OK, or CT_E_NET/CT_E_DB.
 */
int ct_ch_init(struct ct_ch *ch, const char *cluster, const char *line_cols,
	       const char *small, struct ct_err *err);

/**
 * Run one statement on shard host (0: the first host) and return its
 * result (TabSeparated when the SQL says so).
 *
 * @param out  when not NULL, *out gets the body (new, NUL-terminated)
 *             and *len its length.
 * @return CT_OK, or CT_E_DB with the server's message (the store URL as
 *         the error source), CT_E_NET when the server cannot be reached.
 */
int ct_ch_run(struct ct_ch *ch, size_t host, const char *sql, char **out,
	      size_t *len, struct ct_err *err);
/* ct_ch_run() with a printf-style statement (for identifiers and
 * literals made with ct_ch_buf_quote(), never raw input). */
int ct_ch_runf(struct ct_ch *ch, size_t host, struct ct_err *err,
	       const char *fmt, ...) CT_PRINTF(4, 5);

/**
 * Send data rows: "INSERT INTO table FORMAT fmt" with the body gzip
 * compressed, to shard host.
 */
int ct_ch_insert(struct ct_ch *ch, size_t host, const char *table,
		 const char *fmt, const void *data, size_t len,
		 struct ct_err *err);

/* ---- inserts in flight --------------------------------------------------
 *
 * A sender keeps up to n inserts into one table going at once on threads
 * of its own, so the server writes one batch while the next is being
 * filled and compressed. The ct_ch must outlive it and see no other
 * use from two threads at once (ct_ch_run() and friends only read it). */
struct ct_ch_sender;

/**
 * Start a sender for "INSERT INTO target FORMAT fmt" on shard host.
 *
 * @param target  table and column list, copied.
 * @param n       inserts at once (1..8).
 * @return new sender (ended by ct_ch_sender_free()), or NULL when no
 *         thread could be started: the caller then uses ct_ch_insert().
 */
struct ct_ch_sender *ct_ch_sender_new(struct ct_ch *ch, size_t host,
				      const char *target, const char *fmt, int n);

/**
 * Hand rows over: their bytes go to a sender thread and rows comes back
 * empty (with a spare buffer's capacity). Waits while n inserts are in
 * flight.
 *
 * @return CT_OK, or the first failure of any insert so far (in err); the
 *         rows are then dropped.
 */
int ct_ch_sender_put(struct ct_ch_sender *s, struct ct_ch_buf *rows, struct ct_err *err);

/* Wait until every insert handed over is done; the first failure, if any. */
int ct_ch_sender_wait(struct ct_ch_sender *s, struct ct_err *err);

/* Wait for the inserts in flight, end the threads, free; NULL is fine. */
void ct_ch_sender_free(struct ct_ch_sender *s);

/* Buffer helpers. */
void ct_ch_buf_put(struct ct_ch_buf *b, const void *p, size_t n);
void ct_ch_buf_puts(struct ct_ch_buf *b, const char *s);
void ct_ch_buf_printf(struct ct_ch_buf *b, const char *fmt, ...) CT_PRINTF(2, 3);
/* A string literal: '...' with quote, backslash and control bytes
 * escaped; s NULL gives NULL. */
void ct_ch_buf_quote(struct ct_ch_buf *b, const char *s, size_t len);
/* RowBinary values (little-endian, strings with a LEB128 length). */
void ct_ch_buf_i64(struct ct_ch_buf *b, int64_t v);
void ct_ch_buf_i32(struct ct_ch_buf *b, int32_t v);
void ct_ch_buf_f64(struct ct_ch_buf *b, double v);
void ct_ch_buf_varint(struct ct_ch_buf *b, uint64_t v);
void ct_ch_buf_str(struct ct_ch_buf *b, const char *s, size_t len);
/* Nullable(String): s NULL is null. */
void ct_ch_buf_nstr(struct ct_ch_buf *b, const char *s, size_t len);
void ct_ch_buf_release(struct ct_ch_buf *b);

/**
 * Split one TabSeparated row: fields are unescaped in place; a field
 * that is \N gets NULL. *line is advanced past the row's newline.
 *
 * @return the number of fields (at most max), 0 at the end of the text.
 */
size_t ct_ch_tsv_row(char **line, char *end, char **field, size_t max);

#endif
