/*
 * store.c - the store (see store.h): SQLite, or ClickHouse. The only
 * file that calls sqlite3_* directly.
 *
 * SQLite: opening sets WAL journaling (readers never block the cron
 * job's writer), a busy timeout so concurrent runs wait instead of
 * failing, foreign keys, and applies the embedded schema steps in order.
 *
 * ClickHouse (a clickhouse:// store, clickhouse.c): the billing data
 * (ingest and line) lives only in ClickHouse and is read with each
 * query's ClickHouse text (ct_store_prepare_ch()); ingest.c writes it.
 * The small tables (prices, inventories, metrics, Compute Optimizer,
 * deliveries, the Kubernetes snapshot) are kept whole in ClickHouse as
 * t_<name> tables and loaded into an in-memory SQLite working copy when
 * the store opens, so the code that reads and writes them runs unchanged;
 * ct_store_commit() writes back each table whose contents changed (a new
 * table swapped in by RENAME). The working copy has no billing tables, so
 * a billing query without a ClickHouse text fails loudly instead of
 * reading nothing.
 */
#include "ct.h"
#include "store.h"
#include "clickhouse.h"
#include "embed.h"
#include "hash.h"
#include "ingest.h" /* the layout of the ClickHouse line table */

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#define BUSY_TIMEOUT_MS 30000

/* The billing tables: in ClickHouse natively, never in the working copy. */
static const char *const billing_tables[] = {
	"line_day", "line", "profile_tag", "profile", "ingest",
};

struct small_table {
	char *name;
	uint64_t digest; /* of its rows as loaded or last written */
};

struct ct_store {
	sqlite3 *db;
	char *path;           /* SQLite: the file; ClickHouse: the shown URL */
	struct ct_ch *ch;     /* NULL: SQLite */
	struct small_table *small;
	size_t nsmall;
};

/* A bound value of a ClickHouse statement. */
struct chval {
	int type; /* 0 null, 1 int, 2 double, 3 text */
	int64_t i;
	double d;
	char *s;
	size_t len;
};

struct ct_stmt {
	sqlite3_stmt *s;      /* NULL for a ClickHouse statement */
	struct ct_store *st;
	/* ClickHouse */
	char *sql;
	struct chval *vals;
	int nvals;
	char *res, *cur, *end; /* the result rows, unread part */
	char *f[64];           /* the current row */
	int nf;
	bool ran;
};

static int db_error(struct ct_store *st, struct ct_err *err, const char *what)
{
	return ct_err_set(err, CT_E_DB, st->path, 0, "%s: %s", what,
			  sqlite3_errmsg(st->db));
}

char *ct_store_default_path(const char *opt)
{
	const char *env, *home;

	if (opt && *opt)
		return ct_xstrdup(opt);
	env = getenv("CLOUDTALLY_STORE");
	if (env && *env)
		return ct_xstrdup(env);
	env = getenv("CLOUDTALLY_DB");
	if (env && *env)
		return ct_xstrdup(env);
	env = getenv("XDG_DATA_HOME");
	if (env && *env)
		return ct_xasprintf("%s/cloudtally/cloudtally.db", env);
	home = getenv("HOME");
	if (!home || !*home)
		home = ".";
	return ct_xasprintf("%s/.local/share/cloudtally/cloudtally.db", home);
}

bool ct_store_exists(const char *path)
{
	struct stat sb;

	return ct_ch_is_url(path) || stat(path, &sb) == 0;
}

/* mkdir -p of the folder that holds path. */
static int make_parent(const char *path, struct ct_err *err)
{
	char *dir = ct_xstrdup(path);
	char *slash = strrchr(dir, '/');
	int rc = CT_OK;

	if (!slash || slash == dir)
		goto out;
	*slash = '\0';
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
			rc = ct_err_set(err, CT_E_IO, dir, 0,
					"cannot create folder: %s",
					strerror(errno));
			goto out;
		}
		*p = '/';
	}
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		rc = ct_err_set(err, CT_E_IO, dir, 0,
				"cannot create folder: %s", strerror(errno));
out:
	free(dir);
	return rc;
}

/* True when the store file or its folder cannot be written (a read-only
 * mount, or permissions), which SQLite would only report later as "unable
 * to open database file" or "attempt to write a readonly database". */
static bool read_only_place(const char *path)
{
	char *dir = ct_xstrdup(path), *slash = strrchr(dir, '/');
	bool ro;

	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	ro = access(path, W_OK) != 0 || access(slash ? dir : ".", W_OK | X_OK) != 0;
	free(dir);
	return ro;
}

static struct ct_store *open_clickhouse(const char *url, int flags,
				       const char *cluster, struct ct_err *err);

struct ct_store *ct_store_open(const char *path, int flags,
			       struct ct_err *err)
{
	return ct_store_open_cluster(path, flags, NULL, err);
}

struct ct_store *ct_store_open_cluster(const char *path, int flags,
				       const char *cluster, struct ct_err *err)
{
	struct ct_store *st;

	if (ct_ch_is_url(path))
		return open_clickhouse(path, flags, cluster, err);
	if (cluster)
		return ct_err_set(err, CT_E_USAGE, NULL, 0,
				  "--cluster is for a ClickHouse store"), NULL;
	st = ct_xcalloc(1, sizeof(*st));
	int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	struct stat sb;

	st->path = ct_xstrdup(path);
	if (stat(path, &sb) != 0) {
		if (!(flags & CT_STORE_CREATE)) {
			ct_err_set(err, CT_E_IO, path, 0,
				   "no store here (run 'cloudtally ingest' or "
				   "'cloudtally db init' first)");
			goto fail;
		}
		if (make_parent(path, err) != CT_OK)
			goto fail;
		/* create it ourselves, owner-only: billing data is private;
		 * SQLite gives the -wal and -shm files the same mode */
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST) {
			ct_err_set(err, CT_E_IO, path, 0, "cannot create the store: %s",
				   strerror(errno));
			goto fail;
		}
		if (fd >= 0)
			close(fd);
		oflags |= SQLITE_OPEN_CREATE;
	} else if (!S_ISREG(sb.st_mode)) {
		ct_err_set(err, CT_E_IO, path, 0, "not a regular file");
		goto fail;
	}
	if (sqlite3_open_v2(path, &st->db, oflags, NULL) != SQLITE_OK) {
		if (st->db)
			db_error(st, err, "cannot open store");
		else
			ct_err_set(err, CT_E_DB, path, 0, "cannot open store");
		goto fail;
	}
	if (read_only_place(path)) {
		ct_err_set(err, CT_E_DB, path, 0,
			   "the store or its folder is read-only: cloudtally writes the "
			   "store and its -wal and -shm files next to it");
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	if (ct_store_exec(st, "PRAGMA journal_mode=WAL", err) != CT_OK)
		goto fail;
	if (ct_store_exec(st,
			  "PRAGMA foreign_keys=ON;"
			  "PRAGMA synchronous=NORMAL;"
			  "PRAGMA cache_size=-16384;"
			  "PRAGMA temp_store=MEMORY;",
			  err) != CT_OK)
		goto fail;
	if (ct_store_migrate(st, err) != CT_OK)
		goto fail;
	return st;
fail:
	ct_store_close(st);
	return NULL;
}

void ct_store_close(struct ct_store *st)
{
	if (!st)
		return;
	if (st->db)
		sqlite3_close(st->db);
	ct_ch_close(st->ch);
	for (size_t i = 0; i < st->nsmall; i++)
		free(st->small[i].name);
	free(st->small);
	free(st->path);
	free(st);
}

const char *ct_store_path(const struct ct_store *st)
{
	return st->path;
}

int ct_store_exec(struct ct_store *st, const char *sql, struct ct_err *err)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		ct_err_set(err, CT_E_DB, st->path, 0, "%s",
			   msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return CT_E_DB;
	}
	return CT_OK;
}

int ct_store_version(struct ct_store *st)
{
	if (st->ch)
		return ct_store_latest_version();
	sqlite3_stmt *s = NULL;
	int v = -1;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) ==
		    SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* Schema steps are embedded as "schema/NNNN_name.sql"; their number is
 * the version they bring the store to. */
static int step_number(const char *name)
{
	const char *base = name + strlen("schema/");
	int n = 0;

	for (int i = 0; i < 4; i++) {
		if (base[i] < '0' || base[i] > '9')
			return -1;
		n = n * 10 + (base[i] - '0');
	}
	return n;
}

int ct_store_latest_version(void)
{
	int latest = 0;

	for (const struct ct_embed *e = ct_embedded; e->name; e++)
		if (!strncmp(e->name, "schema/", 7) && step_number(e->name) > latest)
			latest = step_number(e->name);
	return latest;
}

int ct_store_migrate(struct ct_store *st, struct ct_err *err)
{
	int have = ct_store_version(st);
	int latest = ct_store_latest_version();

	if (have < 0)
		return db_error(st, err, "cannot read schema version");
	if (have > latest)
		return ct_err_set(err, CT_E_DB, st->path, 0,
				  "store schema version %d is newer than this "
				  "cloudtally knows (%d); upgrade cloudtally",
				  have, latest);
	for (int v = have + 1; v <= latest; v++) {
		const struct ct_embed *step = NULL;
		char pragma[64];

		for (const struct ct_embed *e = ct_embedded; e->name; e++)
			if (!strncmp(e->name, "schema/", 7) && step_number(e->name) == v)
				step = e;
		if (!step)
			return ct_err_set(err, CT_E_INTERNAL, NULL, 0,
					  "schema step %04d is missing", v);
		if (ct_store_begin(st, err) != CT_OK)
			return CT_E_DB;
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%d", v);
		if (ct_store_exec(st, (const char *)step->data, err) != CT_OK ||
		    ct_store_exec(st, pragma, err) != CT_OK) {
			ct_store_rollback(st);
			return CT_E_DB;
		}
		if (ct_store_commit(st, err) != CT_OK)
			return CT_E_DB;
	}
	return CT_OK;
}

int ct_store_begin(struct ct_store *st, struct ct_err *err)
{
	return ct_store_exec(st, "BEGIN IMMEDIATE", err);
}

static int write_back(struct ct_store *st, struct ct_err *err);

int ct_store_commit(struct ct_store *st, struct ct_err *err)
{
	if (st->ch && write_back(st, err) != CT_OK)
		return CT_E_DB;
	return ct_store_exec(st, "COMMIT", err);
}

void ct_store_rollback(struct ct_store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

struct ct_stmt *ct_store_prepare(struct ct_store *st, const char *sql,
				 struct ct_err *err)
{
	struct ct_stmt *q = ct_xcalloc(1, sizeof(*q));

	q->st = st;
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
			       &q->s, NULL) != SQLITE_OK) {
		db_error(st, err, "cannot prepare statement");
		sqlite3_finalize(q->s);
		free(q);
		return NULL;
	}
	return q;
}

struct ct_stmt *ct_store_prepare_ch(struct ct_store *st, const char *sql,
				    const char *ch_sql, struct ct_err *err)
{
	struct ct_stmt *q;

	if (!st->ch || !ch_sql)
		return ct_store_prepare(st, sql, err);
	q = ct_xcalloc(1, sizeof(*q));
	q->st = st;
	q->sql = ct_xstrdup(ch_sql);
	return q;
}

bool ct_store_is_clickhouse(const struct ct_store *st)
{
	return st->ch != NULL;
}

struct ct_ch *ct_store_ch(struct ct_store *st)
{
	return st->ch;
}

static struct chval *chval(struct ct_stmt *q, int i)
{
	if (i < 1 || i > 999)
		ct_die("store: parameter %d out of range", i);
	if (i > q->nvals) {
		q->vals = ct_xrealloc(q->vals, (size_t)i * sizeof(*q->vals));
		memset(q->vals + q->nvals, 0, (size_t)(i - q->nvals) * sizeof(*q->vals));
		q->nvals = i;
	}
	free(q->vals[i - 1].s);
	q->vals[i - 1].s = NULL;
	return &q->vals[i - 1];
}

void ct_stmt_bind_int64(struct ct_stmt *q, int i, int64_t v)
{
	if (!q->s) {
		struct chval *c = chval(q, i);
		c->type = 1;
		c->i = v;
		return;
	}
	sqlite3_bind_int64(q->s, i, v);
}

void ct_stmt_bind_double(struct ct_stmt *q, int i, double v)
{
	if (!q->s) {
		struct chval *c = chval(q, i);
		c->type = 2;
		c->d = v;
		return;
	}
	sqlite3_bind_double(q->s, i, v);
}

void ct_stmt_bind_text(struct ct_stmt *q, int i, const char *s, size_t len)
{
	if (!q->s) {
		struct chval *c = chval(q, i);
		c->type = s ? 3 : 0;
		c->s = s ? ct_xstrndup(s, len) : NULL;
		c->len = s ? len : 0;
		return;
	}
	if (!s)
		sqlite3_bind_null(q->s, i);
	else
		sqlite3_bind_text(q->s, i, s, (int)len, SQLITE_TRANSIENT);
}

void ct_stmt_bind_str(struct ct_stmt *q, int i, const char *s)
{
	ct_stmt_bind_text(q, i, s, s ? strlen(s) : 0);
}

void ct_stmt_bind_null(struct ct_stmt *q, int i)
{
	if (!q->s) {
		chval(q, i)->type = 0;
		return;
	}
	sqlite3_bind_null(q->s, i);
}

/* The ClickHouse text with ?N (or ?, numbered in order) replaced by the
 * bound values as literals; quoted strings and comments are left alone. */
static char *ch_text(struct ct_stmt *q)
{
	struct ct_ch_buf b = {0};
	const char *p = q->sql;
	int next = 1;

	while (*p) {
		if (*p == '\'' || *p == '"' || *p == '`') {
			char quote = *p;
			const char *e = p + 1;
			while (*e && *e != quote)
				e += *e == '\\' && e[1] ? 2 : 1;
			if (*e)
				e++;
			ct_ch_buf_put(&b, p, (size_t)(e - p));
			p = e;
		} else if (*p == '?') {
			int n = 0;
			const struct chval *v;
			p++;
			if (*p >= '0' && *p <= '9') {
				while (*p >= '0' && *p <= '9')
					n = n * 10 + (*p++ - '0');
			} else {
				n = next;
			}
			next = n + 1;
			v = n >= 1 && n <= q->nvals ? &q->vals[n - 1] : NULL;
			if (!v || v->type == 0)
				ct_ch_buf_puts(&b, "NULL");
			else if (v->type == 1)
				ct_ch_buf_printf(&b, "toInt64(%lld)", (long long)v->i);
			else if (v->type == 2)
				ct_ch_buf_printf(&b, "toFloat64(%.17g)", v->d);
			else
				ct_ch_buf_quote(&b, v->s, v->len);
		} else {
			ct_ch_buf_put(&b, p, 1);
			p++;
		}
	}
	ct_ch_buf_puts(&b, " FORMAT TabSeparated");
	return b.p;
}

static int ch_step(struct ct_stmt *q, struct ct_err *err)
{
	if (!q->ran) {
		char *text = ch_text(q);
		size_t len = 0;
		int rc = ct_ch_run(q->st->ch, 0, text, &q->res, &len, err);
		free(text);
		if (rc != CT_OK)
			return CT_E_DB;
		q->ran = true;
		q->cur = q->res;
		q->end = q->res + len;
	}
	q->nf = (int)ct_ch_tsv_row(&q->cur, q->end, q->f, CT_NELEM(q->f));
	return q->nf > 0 ? 1 : 0;
}

int ct_stmt_step(struct ct_stmt *q, struct ct_err *err)
{
	int rc;

	if (!q->s)
		return ch_step(q, err);
	rc = sqlite3_step(q->s);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return db_error(q->st, err, "database error");
}

void ct_stmt_reset(struct ct_stmt *q)
{
	if (!q->s) {
		free(q->res);
		q->res = q->cur = q->end = NULL;
		q->nf = 0;
		q->ran = false;
		return;
	}
	sqlite3_reset(q->s);
}

static const char *ch_field(struct ct_stmt *q, int col)
{
	return col >= 0 && col < q->nf ? q->f[col] : NULL;
}

int64_t ct_stmt_int64(struct ct_stmt *q, int col)
{
	if (!q->s) {
		const char *f = ch_field(q, col);
		return f ? strtoll(f, NULL, 10) : 0;
	}
	return sqlite3_column_int64(q->s, col);
}

double ct_stmt_double(struct ct_stmt *q, int col)
{
	if (!q->s) {
		const char *f = ch_field(q, col);
		return f ? strtod(f, NULL) : 0;
	}
	return sqlite3_column_double(q->s, col);
}

const char *ct_stmt_text(struct ct_stmt *q, int col)
{
	if (!q->s)
		return ch_field(q, col);
	return (const char *)sqlite3_column_text(q->s, col);
}

bool ct_stmt_is_null(struct ct_stmt *q, int col)
{
	if (!q->s)
		return ch_field(q, col) == NULL;
	return sqlite3_column_type(q->s, col) == SQLITE_NULL;
}

int ct_stmt_columns(struct ct_stmt *q)
{
	if (!q->s)
		return q->nf;
	return sqlite3_column_count(q->s);
}

void ct_stmt_finalize(struct ct_stmt *q)
{
	if (!q)
		return;
	if (q->s)
		sqlite3_finalize(q->s);
	for (int i = 0; i < q->nvals; i++)
		free(q->vals[i].s);
	free(q->vals);
	free(q->sql);
	free(q->res);
	free(q);
}

int64_t ct_store_changes(struct ct_store *st)
{
	return sqlite3_changes64(st->db);
}

int64_t ct_store_last_rowid(struct ct_store *st)
{
	return sqlite3_last_insert_rowid(st->db);
}

/* Append one problem line to *buf. */
static void add_problem(char **buf, const char *line)
{
	char *n = ct_xasprintf("%s%s\n", *buf ? *buf : "", line);
	free(*buf);
	*buf = n;
}

int ct_store_check(struct ct_store *st, char **report, struct ct_err *err)
{
	/* Each query returns problem descriptions, one per row. */
	static const char *const checks[] = {
		"PRAGMA integrity_check",
		"SELECT 'foreign key: ' || \"table\" || ' row ' || rowid "
		"|| ' -> ' || parent FROM pragma_foreign_key_check",
		"SELECT 'line ' || id || ' belongs to no ingest' FROM line "
		"WHERE (id >> 32) NOT IN (SELECT id FROM ingest) LIMIT 20",
		"SELECT 'line ' || id || ' has no profile' FROM line "
		"WHERE profile_id NOT IN (SELECT id FROM profile) LIMIT 20",
		"SELECT 'ingest ' || i.id || ' records ' || i.rows || ' rows, "
		"store holds ' || (SELECT count(*) FROM line l WHERE l.id "
		"BETWEEN i.id << 32 AND (i.id << 32) + 4294967295) FROM ingest i "
		"WHERE i.rows != (SELECT count(*) FROM line l WHERE l.id "
		"BETWEEN i.id << 32 AND (i.id << 32) + 4294967295)",
		"SELECT 'ingest ' || i.id || ' daily sums disagree with its "
		"lines' FROM ingest i WHERE i.billed_cost != "
		"(SELECT coalesce(sum(billed_cost), 0) FROM line_day d WHERE "
		"d.ingest_id = i.id) OR i.billed_cost != (SELECT "
		"coalesce(sum(billed_cost), 0) FROM line l WHERE l.id BETWEEN "
		"i.id << 32 AND (i.id << 32) + 4294967295) OR i.rows != (SELECT "
		"coalesce(sum(lines), 0) FROM line_day d WHERE d.ingest_id = i.id)",
		/* inventories: every row comes from a recorded file of its run,
		 * and a metric's day figure follows from its samples */
		"SELECT kind || ' ' || resource_id || ' comes from no inventory file' "
		"FROM resource WHERE batch NOT IN (SELECT batch FROM inventory_file) "
		"LIMIT 20",
		"SELECT 'metric ' || resource_id || ' ' || metric || ' day ' || day "
		"|| ' comes from no inventory file' FROM metric_day WHERE batch NOT "
		"IN (SELECT batch FROM inventory_file) LIMIT 20",
		"SELECT 'metric ' || resource_id || ' ' || metric || ' day ' || day "
		"|| ' has ' || samples || ' samples, peak ' || peak || ' and value ' "
		"|| value || ' for a total of ' || total FROM metric_day WHERE "
		"samples < 1 OR (value != total AND abs(value * samples - total) > "
		"1e-6 * max(1, abs(total))) LIMIT 20",
		"SELECT 'Compute Optimizer row ' || resource_id || ' comes from no "
		"inventory file' FROM optimizer_rec WHERE batch NOT IN (SELECT batch "
		"FROM inventory_file) LIMIT 20",
		"SELECT 'target health ' || load_balancer || ' has ' || healthy || "
		"' healthy of ' || targets FROM lb_target_health WHERE healthy < 0 "
		"OR healthy > targets LIMIT 20",
	};
	/* ClickHouse: the billing tables there, the rest as above (from the
	 * sixth check on, on the working copy) */
	static const char *const ch_checks[] = {
		"SELECT concat('ingest ', toString(id), ' records ', toString(rows),"
		" ' rows and ', toString(billed_cost), ' billed, store holds ', toString(n),"
		" ' and ', toString(b)) FROM ingest ANY LEFT JOIN (SELECT ingest_id AS id,"
		" count() AS n, sum(billed_cost) AS b FROM line GROUP BY id) USING id"
		" WHERE rows != n OR billed_cost != b ORDER BY id",
		"SELECT concat('lines of ingest ', toString(ingest_id), ' belong to no ingest')"
		" FROM line WHERE ingest_id GLOBAL NOT IN (SELECT id FROM ingest)"
		" GROUP BY ingest_id ORDER BY ingest_id LIMIT 20",
		"SELECT concat('table ', name, ' was left by an interrupted ingest:"
		" drop it') FROM system.tables WHERE database = currentDatabase()"
		" AND (name LIKE 'stage\\_%' OR name LIKE 'istage\\_%') ORDER BY name",
	};
	int rc = CT_OK;

	*report = NULL;
	for (size_t k = 0; st->ch && k < CT_NELEM(ch_checks); k++) {
		struct ct_stmt *q = ct_store_prepare_ch(st, NULL, ch_checks[k], err);
		int r;

		if (!q)
			return CT_E_DB;
		while ((r = ct_stmt_step(q, err)) == 1)
			add_problem(report, ct_stmt_text(q, 0) ? ct_stmt_text(q, 0) : "(null)");
		ct_stmt_finalize(q);
		if (r < 0)
			return CT_E_DB;
	}
	for (size_t k = st->ch ? 6 : 0; k < CT_NELEM(checks); k++) {
		struct ct_stmt *q = ct_store_prepare(st, checks[k], err);
		int r;

		if (!q)
			return CT_E_DB;
		while ((r = ct_stmt_step(q, err)) == 1) {
			const char *t = ct_stmt_text(q, 0);
			if (k == 0 && t && !strcmp(t, "ok"))
				continue;
			add_problem(report, t ? t : "(null)");
		}
		ct_stmt_finalize(q);
		if (r < 0) {
			rc = CT_E_DB;
			break;
		}
	}
	return rc;
}

/* ---- ClickHouse: the working copy of the small tables ------------------ */

static bool is_billing_table(const char *name)
{
	for (size_t i = 0; i < CT_NELEM(billing_tables); i++)
		if (!strcmp(name, billing_tables[i]))
			return true;
	return false;
}

/* Column names and declared types (0 text, 1 integer, 2 real) of a
 * working-copy table. */
struct cols {
	char **name;
	int *type;
	int n;
};

static void cols_release(struct cols *c)
{
	for (int i = 0; i < c->n; i++)
		free(c->name[i]);
	free(c->name);
	free(c->type);
	memset(c, 0, sizeof(*c));
}

static int table_cols(struct ct_store *st, const char *table, struct cols *c,
		      struct ct_err *err)
{
	char *sql = ct_xasprintf("SELECT name, upper(type) FROM pragma_table_info('%s')"
				 " ORDER BY cid", table);
	struct ct_stmt *q = ct_store_prepare(st, sql, err);
	int r;

	free(sql);
	memset(c, 0, sizeof(*c));
	if (!q)
		return CT_E_DB;
	while ((r = ct_stmt_step(q, err)) == 1) {
		const char *t = ct_stmt_text(q, 1);
		c->name = ct_xrealloc(c->name, (size_t)(c->n + 1) * sizeof(*c->name));
		c->type = ct_xrealloc(c->type, (size_t)(c->n + 1) * sizeof(*c->type));
		c->name[c->n] = ct_xstrdup(ct_stmt_text(q, 0));
		c->type[c->n] = !strcmp(t, "INTEGER") ? 1 : !strcmp(t, "REAL") ? 2 : 0;
		c->n++;
	}
	ct_stmt_finalize(q);
	return r < 0 ? CT_E_DB : CT_OK;
}

/* "name\tcol Type, ..." lines for ct_ch_init(). */
static char *small_spec(struct ct_store *st, struct ct_err *err)
{
	struct ct_ch_buf b = {0};

	ct_ch_buf_puts(&b, "");
	for (size_t i = 0; i < st->nsmall; i++) {
		struct cols c;
		if (table_cols(st, st->small[i].name, &c, err) != CT_OK) {
			ct_ch_buf_release(&b);
			return NULL;
		}
		ct_ch_buf_printf(&b, "%s\t", st->small[i].name);
		for (int k = 0; k < c.n; k++)
			ct_ch_buf_printf(&b, "%s%s Nullable(%s)", k ? ", " : "", c.name[k],
					 c.type[k] == 1 ? "Int64" : c.type[k] == 2 ? "Float64" : "String");
		ct_ch_buf_puts(&b, "\n");
		cols_release(&c);
	}
	return b.p;
}

/* The rows of a working-copy table as RowBinary, in table order. */
static int table_rows(struct ct_store *st, const char *table, const struct cols *c,
		      struct ct_ch_buf *b, struct ct_err *err)
{
	char *sql = ct_xasprintf("SELECT * FROM \"%s\"", table);
	struct ct_stmt *q = ct_store_prepare(st, sql, err);
	int r;

	free(sql);
	if (!q)
		return CT_E_DB;
	while ((r = ct_stmt_step(q, err)) == 1) {
		for (int k = 0; k < c->n; k++) {
			unsigned char isnull = ct_stmt_is_null(q, k);
			ct_ch_buf_put(b, &isnull, 1);
			if (isnull)
				continue;
			if (c->type[k] == 1) {
				ct_ch_buf_i64(b, ct_stmt_int64(q, k));
			} else if (c->type[k] == 2) {
				ct_ch_buf_f64(b, ct_stmt_double(q, k));
			} else {
				const char *t = ct_stmt_text(q, k);
				ct_ch_buf_str(b, t, (size_t)sqlite3_column_bytes(q->s, k));
			}
		}
	}
	ct_stmt_finalize(q);
	return r < 0 ? CT_E_DB : CT_OK;
}

static uint64_t digest(const struct ct_ch_buf *b)
{
	return ct_hash_bytes(b->p ? b->p : "", b->len, 0);
}

/* Copy t_<name> from ClickHouse into the working copy. */
static int load_table(struct ct_store *st, struct small_table *t, struct ct_err *err)
{
	struct cols c;
	struct ct_ch_buf sel = {0}, rows = {0};
	char *out = NULL, *p, *f[128];
	size_t len = 0;
	struct ct_stmt *ins = NULL;
	int rc;

	if ((rc = table_cols(st, t->name, &c, err)) != CT_OK)
		return rc;
	if (c.n > (int)CT_NELEM(f)) {
		cols_release(&c);
		return ct_err_set(err, CT_E_INTERNAL, NULL, 0, "table %s is too wide", t->name);
	}
	ct_ch_buf_puts(&sel, "SELECT ");
	for (int k = 0; k < c.n; k++)
		ct_ch_buf_printf(&sel, "%s%s", k ? ", " : "", c.name[k]);
	ct_ch_buf_printf(&sel, " FROM t_%s FORMAT TabSeparated", t->name);
	rc = ct_ch_run(st->ch, 0, sel.p, &out, &len, err);
	if (rc != CT_OK)
		goto out;
	ct_ch_buf_release(&sel);
	ct_ch_buf_printf(&sel, "INSERT INTO \"%s\" VALUES (", t->name);
	for (int k = 0; k < c.n; k++)
		ct_ch_buf_puts(&sel, k ? ", ?" : "?");
	ct_ch_buf_puts(&sel, ")");
	ins = ct_store_prepare(st, sel.p, err);
	if (!ins) {
		rc = CT_E_DB;
		goto out;
	}
	p = out;
	while (ct_ch_tsv_row(&p, out + len, f, CT_NELEM(f)) == (size_t)c.n) {
		for (int k = 0; k < c.n; k++) {
			if (!f[k])
				ct_stmt_bind_null(ins, k + 1);
			else if (c.type[k] == 1)
				ct_stmt_bind_int64(ins, k + 1, strtoll(f[k], NULL, 10));
			else if (c.type[k] == 2)
				ct_stmt_bind_double(ins, k + 1, strtod(f[k], NULL));
			else
				ct_stmt_bind_str(ins, k + 1, f[k]);
		}
		rc = ct_stmt_step(ins, err) < 0 ? CT_E_DB : CT_OK;
		ct_stmt_reset(ins);
		if (rc != CT_OK)
			goto out;
	}
	rc = table_rows(st, t->name, &c, &rows, err);
	t->digest = digest(&rows);
out:
	ct_stmt_finalize(ins);
	free(out);
	ct_ch_buf_release(&sel);
	ct_ch_buf_release(&rows);
	cols_release(&c);
	return rc;
}

/* Write each small table whose rows changed since they were loaded: a
 * new table filled and swapped in by one RENAME, so readers see the old
 * rows or the new ones. */
static int write_back(struct ct_store *st, struct ct_err *err)
{
	int rc = CT_OK;

	for (size_t i = 0; rc == CT_OK && i < st->nsmall; i++) {
		struct small_table *t = &st->small[i];
		struct ct_ch_buf rows = {0};
		struct cols c;
		uint64_t d;

		if ((rc = table_cols(st, t->name, &c, err)) != CT_OK)
			break;
		rc = table_rows(st, t->name, &c, &rows, err);
		d = digest(&rows);
		cols_release(&c);
		if (rc == CT_OK && d != t->digest) {
			const char *n = t->name;
			char *tbl = ct_xasprintf("t_%s_new", n);
			rc = ct_ch_runf(st->ch, 0, err, "DROP TABLE IF EXISTS t_%s_new", n);
			if (rc == CT_OK)
				rc = ct_ch_runf(st->ch, 0, err, "CREATE TABLE t_%s_new AS t_%s", n, n);
			if (rc == CT_OK && rows.len)
				rc = ct_ch_insert(st->ch, 0, tbl, "RowBinary", rows.p, rows.len, err);
			if (rc == CT_OK)
				rc = ct_ch_runf(st->ch, 0, err, "DROP TABLE IF EXISTS t_%s_old", n);
			if (rc == CT_OK)
				rc = ct_ch_runf(st->ch, 0, err,
						"RENAME TABLE t_%s TO t_%s_old, t_%s_new TO t_%s",
						n, n, n, n);
			if (rc == CT_OK) {
				ct_ch_runf(st->ch, 0, NULL, "DROP TABLE IF EXISTS t_%s_old", n);
				t->digest = d;
			}
			free(tbl);
		}
		ct_ch_buf_release(&rows);
	}
	return rc;
}

static struct ct_store *open_clickhouse(const char *url, int flags,
				       const char *cluster, struct ct_err *err)
{
	struct ct_store *st = ct_xcalloc(1, sizeof(*st));
	struct ct_stmt *q = NULL;
	struct ct_ch *ch;
	char *spec = NULL;
	bool init = cluster != NULL;
	int r;

	ch = ct_ch_open(url, init, err);
	if (!ch && !init && (flags & CT_STORE_CREATE) && err &&
	    err->code == CT_E_DB) {
		/* like a new SQLite file: the first ingest makes the store */
		ct_err_init(err);
		init = true;
		ch = ct_ch_open(url, true, err);
	}
	if (!ch)
		goto fail;
	st->path = ct_xstrdup(ct_ch_shown(ch));
	if (sqlite3_open_v2(":memory:", &st->db, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		ct_err_set(err, CT_E_DB, st->path, 0, "cannot open the working copy");
		goto fail;
	}
	if (ct_store_migrate(st, err) != CT_OK)
		goto fail;
	if (ct_store_exec(st, "DROP VIEW IF EXISTS focus_line", err) != CT_OK)
		goto fail;
	for (size_t i = 0; i < CT_NELEM(billing_tables); i++) {
		char *sql = ct_xasprintf("DROP TABLE %s", billing_tables[i]);
		int rc = ct_store_exec(st, sql, err);
		free(sql);
		if (rc != CT_OK)
			goto fail;
	}
	q = ct_store_prepare(st, "SELECT name FROM sqlite_master WHERE type = 'table'"
			     " AND name NOT LIKE 'sqlite%' ORDER BY name", err);
	if (!q)
		goto fail;
	while ((r = ct_stmt_step(q, err)) == 1) {
		const char *n = ct_stmt_text(q, 0);
		if (is_billing_table(n))
			continue;
		st->small = ct_xrealloc(st->small, (st->nsmall + 1) * sizeof(*st->small));
		st->small[st->nsmall].name = ct_xstrdup(n);
		st->small[st->nsmall].digest = 0;
		st->nsmall++;
	}
	ct_stmt_finalize(q);
	q = NULL;
	if (r < 0)
		goto fail;
	st->ch = ch;
	ch = NULL;
	if (init) {
		spec = small_spec(st, err);
		if (!spec || ct_ch_init(st->ch, cluster, ct_ingest_ch_columns(),
					spec, err) != CT_OK)
			goto fail;
	}
	if (ct_store_exec(st, "PRAGMA foreign_keys=OFF", err) != CT_OK)
		goto fail;
	for (size_t i = 0; i < st->nsmall; i++)
		if (load_table(st, &st->small[i], err) != CT_OK)
			goto fail;
	if (ct_store_exec(st, "PRAGMA foreign_keys=ON", err) != CT_OK)
		goto fail;
	free(spec);
	return st;
fail:
	free(spec);
	ct_stmt_finalize(q);
	ct_ch_close(ch);
	ct_store_close(st);
	return NULL;
}
