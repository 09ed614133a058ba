/*
 * check_store.c - the SQLite store: paths, creation, migration, checks.
 */
#include "ct.h"
#include "store.h"
#include "testlib.h"

#include <sqlite3.h>

START_TEST(test_default_path)
{
	char *p;

	setenv("CLOUDTALLY_DB", "/x/env.db", 1);
	p = ct_store_default_path("/y/opt.db");
	ck_assert_str_eq(p, "/y/opt.db");
	free(p);
	p = ct_store_default_path(NULL);
	ck_assert_str_eq(p, "/x/env.db");
	free(p);
	unsetenv("CLOUDTALLY_DB");
	setenv("XDG_DATA_HOME", "/data", 1);
	p = ct_store_default_path(NULL);
	ck_assert_str_eq(p, "/data/cloudtally/cloudtally.db");
	free(p);
	unsetenv("XDG_DATA_HOME");
	setenv("HOME", "/home/u", 1);
	p = ct_store_default_path(NULL);
	ck_assert_str_eq(p, "/home/u/.local/share/cloudtally/cloudtally.db");
	free(p);
}
END_TEST

START_TEST(test_create_and_reopen)
{
	char *dir = ct_test_tmpdir();
	char *path = ct_xasprintf("%s/a/b/store.db", dir);
	struct ct_err err;
	struct ct_store *st;
	char *report = NULL;

	ct_err_init(&err);
	st = ct_store_open(path, CT_STORE_READ, &err);
	ck_assert_ptr_null(st);
	ck_assert_int_eq(err.code, CT_E_IO);

	st = ct_store_open(path, CT_STORE_CREATE, &err);
	ck_assert_msg(st != NULL, "%s", err.msg);
	ck_assert_int_ge(ct_store_latest_version(), 1);
	ck_assert_int_eq(ct_store_version(st), ct_store_latest_version());
	ck_assert_int_eq(ct_store_check(st, &report, &err), CT_OK);
	ck_assert_ptr_null(report);
	ct_store_close(st);

	st = ct_store_open(path, CT_STORE_READ, &err);
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(ct_store_migrate(st, &err), CT_OK);
	ck_assert_int_eq(ct_store_version(st), ct_store_latest_version());
	ct_store_close(st);
	free(path);
	free(dir);
}
END_TEST

START_TEST(test_newer_schema_refused)
{
	char *dir = ct_test_tmpdir();
	char *path = ct_xasprintf("%s/new.db", dir);
	struct ct_err err;
	sqlite3 *db;
	struct ct_store *st;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "PRAGMA user_version=9999", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	ct_err_init(&err);
	st = ct_store_open(path, CT_STORE_READ, &err);
	ck_assert_ptr_null(st);
	ck_assert_int_eq(err.code, CT_E_DB);
	ck_assert_ptr_nonnull(strstr(err.msg, "newer"));
	free(path);
	free(dir);
}
END_TEST

START_TEST(test_check_finds_damage)
{
	char *dir = ct_test_tmpdir();
	char *path = ct_xasprintf("%s/d.db", dir);
	struct ct_err err;
	struct ct_store *st;
	char *report = NULL;

	ct_err_init(&err);
	st = ct_store_open(path, CT_STORE_CREATE, &err);
	ck_assert_ptr_nonnull(st);
	/* a line whose ingest (id 5) does not exist */
	ck_assert_int_eq(ct_store_exec(st,
		"INSERT INTO profile (id, h) VALUES (1, 42);"
		"INSERT INTO line (id, profile_id, charge_start, charge_end, billed_cost, effective_cost)"
		" VALUES ((5 << 32) + 1, 1, 0, 0, 10, 10);", &err), CT_OK);
	ck_assert_int_eq(ct_store_check(st, &report, &err), CT_OK);
	ck_assert_ptr_nonnull(report);
	ck_assert_ptr_nonnull(strstr(report, "belongs to no ingest"));
	free(report);
	ct_store_close(st);
	free(path);
	free(dir);
}
END_TEST

START_TEST(test_wal_and_pragmas)
{
	char *dir = ct_test_tmpdir();
	char *path = ct_xasprintf("%s/w.db", dir);
	struct ct_err err;
	struct ct_store *st;
	struct ct_stmt *q;

	ct_err_init(&err);
	st = ct_store_open(path, CT_STORE_CREATE, &err);
	ck_assert_ptr_nonnull(st);
	q = ct_store_prepare(st, "PRAGMA journal_mode", &err);
	ck_assert_int_eq(ct_stmt_step(q, &err), 1);
	ck_assert_str_eq(ct_stmt_text(q, 0), "wal");
	ct_stmt_finalize(q);
	q = ct_store_prepare(st, "PRAGMA foreign_keys", &err);
	ck_assert_int_eq(ct_stmt_step(q, &err), 1);
	ck_assert_int_eq(ct_stmt_int64(q, 0), 1);
	ct_stmt_finalize(q);
	/* STRICT: a text cost is refused */
	ck_assert_int_eq(ct_store_exec(st,
		"INSERT INTO line (id, profile_id, charge_start, charge_end, billed_cost, effective_cost)"
		" VALUES (1, 1, 0, 0, 'ten', 10)", &err), CT_E_DB);
	ct_store_close(st);
	free(path);
	free(dir);
}
END_TEST

static Suite *store_suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");

	tcase_add_test(tc, test_default_path);
	tcase_add_test(tc, test_create_and_reopen);
	tcase_add_test(tc, test_newer_schema_refused);
	tcase_add_test(tc, test_check_finds_damage);
	tcase_add_test(tc, test_wal_and_pragmas);
	suite_add_tcase(s, tc);
	return s;
}

CT_TEST_MAIN(store_suite)
