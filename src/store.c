/*
 * store.c - the SQLite store (see store.h). The only file that calls
 * sqlite3_* directly.
 *
 * Opening sets WAL journaling (readers never block the cron job's writer),
 * a busy timeout so concurrent runs wait instead of failing, foreign keys,
 * and applies the embedded schema steps in order.
 */
#include "ct.h"
#include "store.h"
#include "embed.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#define BUSY_TIMEOUT_MS 30000

struct ct_store {
	sqlite3 *db;
	char *path;
};

struct ct_stmt {
	sqlite3_stmt *s;
	struct ct_store *st;
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

struct ct_store *ct_store_open(const char *path, int flags,
			       struct ct_err *err)
{
	struct ct_store *st = ct_xcalloc(1, sizeof(*st));
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

int ct_store_commit(struct ct_store *st, struct ct_err *err)
{
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

void ct_stmt_bind_int64(struct ct_stmt *q, int i, int64_t v)
{
	sqlite3_bind_int64(q->s, i, v);
}

void ct_stmt_bind_double(struct ct_stmt *q, int i, double v)
{
	sqlite3_bind_double(q->s, i, v);
}

void ct_stmt_bind_text(struct ct_stmt *q, int i, const char *s, size_t len)
{
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
	sqlite3_bind_null(q->s, i);
}

int ct_stmt_step(struct ct_stmt *q, struct ct_err *err)
{
	int rc = sqlite3_step(q->s);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return db_error(q->st, err, "database error");
}

void ct_stmt_reset(struct ct_stmt *q)
{
	sqlite3_reset(q->s);
}

int64_t ct_stmt_int64(struct ct_stmt *q, int col)
{
	return sqlite3_column_int64(q->s, col);
}

double ct_stmt_double(struct ct_stmt *q, int col)
{
	return sqlite3_column_double(q->s, col);
}

const char *ct_stmt_text(struct ct_stmt *q, int col)
{
	return (const char *)sqlite3_column_text(q->s, col);
}

bool ct_stmt_is_null(struct ct_stmt *q, int col)
{
	return sqlite3_column_type(q->s, col) == SQLITE_NULL;
}

int ct_stmt_columns(struct ct_stmt *q)
{
	return sqlite3_column_count(q->s);
}

void ct_stmt_finalize(struct ct_stmt *q)
{
	if (!q)
		return;
	sqlite3_finalize(q->s);
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
	int rc = CT_OK;

	*report = NULL;
	for (size_t k = 0; k < CT_NELEM(checks); k++) {
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
