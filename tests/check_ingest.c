/*
 * check_ingest.c - FOCUS ingest into the store: totals, restatement,
 * idempotence, bad input leaving the store unchanged. Files are written
 * by the tests; expected sums are added up by hand from their text.
 */
#include "ct.h"
#include "ingest.h"
#include "store.h"
#include "testlib.h"

#include <zlib.h>

#define HDR "BillingAccountId,BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart," \
	    "ChargePeriodEnd,BilledCost,EffectiveCost,ProviderName,ServiceName,"      \
	    "ServiceCategory,SubAccountId,RegionId,ChargeCategory,BillingCurrency,Tags\n"
#define OCT "2026-10-01T00:00:00Z,2026-11-01T00:00:00Z"
#define SEP "2026-09-01T00:00:00Z,2026-10-01T00:00:00Z"

static const char file_a[] = HDR
	"111," OCT ",2026-10-01T00:00:00Z,2026-10-01T01:00:00Z,1.10,1.00,AWS,Amazon EC2,Compute,a1,us-east-1,Usage,USD,\"{\"\"Owner\"\":\"\"web\"\"}\"\n"
	"111," OCT ",2026-10-02T00:00:00Z,2026-10-02T01:00:00Z,2.20,2.00,AWS,Amazon S3,Storage,a1,us-east-1,Usage,USD,\n"
	"111," OCT ",2026-10-02T05:00:00Z,2026-10-02T06:00:00Z,0.05,0.05,AWS,Amazon EC2,Compute,a2,eu-west-1,Usage,USD,{}\n";
static const char file_a2[] = HDR
	"111," OCT ",2026-10-01T00:00:00Z,2026-10-01T01:00:00Z,5.00,5.00,AWS,Amazon EC2,Compute,a1,us-east-1,Usage,USD,\n"
	"111," OCT ",2026-10-03T00:00:00Z,2026-10-03T01:00:00Z,1.00,1.00,AWS,Amazon S3,Storage,a1,us-east-1,Usage,USD,\n";
static const char file_b[] = HDR
	"111," SEP ",2026-09-10T00:00:00Z,2026-09-10T01:00:00Z,7.00,7.00,AWS,Amazon EC2,Compute,a1,us-east-1,Usage,USD,\n";
static const char file_c[] = HDR
	"222," OCT ",2026-10-05T00:00:00Z,2026-10-05T01:00:00Z,4.00,4.00,AWS,Amazon RDS,Databases,b1,us-east-1,Usage,USD,\n";

static struct ct_store *st;
static char *dir;

static void setup(void)
{
	struct ct_err err;
	char *path;

	dir = ct_test_tmpdir();
	path = ct_xasprintf("%s/t.db", dir);
	st = ct_store_open(path, CT_STORE_CREATE, &err);
	ck_assert_ptr_nonnull(st);
	free(path);
}

static void teardown(void)
{
	ct_store_close(st);
	free(dir);
}

static int64_t q1(const char *sql)
{
	struct ct_err err;
	struct ct_stmt *q = ct_store_prepare(st, sql, &err);
	int64_t v;

	ck_assert_msg(q != NULL, "%s", err.msg);
	ck_assert_int_eq(ct_stmt_step(q, &err), 1);
	v = ct_stmt_int64(q, 0);
	ct_stmt_finalize(q);
	return v;
}

/* Ingest files in one run; returns the status. */
static int run(const char *const *texts, size_t n, struct ct_err *err)
{
	struct ct_ingest *ing = ct_ingest_begin(st, err);
	int rc = CT_OK;

	ck_assert_ptr_nonnull(ing);
	for (size_t i = 0; i < n && rc == CT_OK; i++) {
		char name[32];
		char *path;
		snprintf(name, sizeof(name), "f%zu-%p.csv", i, (const void *)texts[i]);
		path = ct_test_write(dir, name, texts[i]);
		rc = ct_ingest_file(ing, path, NULL, err);
		free(path);
	}
	if (rc != CT_OK) {
		ct_ingest_abort(ing);
		return rc;
	}
	return ct_ingest_commit(ing, NULL, err);
}

static int run1(const char *text, struct ct_err *err)
{
	return run(&text, 1, err);
}

#define BILLED(period)                                                         \
	q1("SELECT coalesce(sum(billed_cost), 0) FROM focus_line WHERE billing_period = '" period "'")

START_TEST(test_totals)
{
	struct ct_err err;

	ck_assert_int_eq(run1(file_a, &err), CT_OK);
	ck_assert_int_eq(q1("SELECT count(*) FROM line"), 3);
	ck_assert_int_eq(BILLED("2026-10"), 3350000000);
	ck_assert_int_eq(q1("SELECT sum(effective_cost) FROM line"), 3050000000);
	/* rollup agrees with lines; one row per (day, profile) */
	ck_assert_int_eq(q1("SELECT sum(billed_cost) FROM line_day"), 3350000000);
	ck_assert_int_eq(q1("SELECT count(*) FROM line_day"), 3);
	ck_assert_int_eq(q1("SELECT count(*) FROM ingest"), 1);
	ck_assert_int_eq(q1("SELECT rows FROM ingest"), 3);
	ck_assert_int_eq(q1("SELECT count(*) FROM profile_tag WHERE key_norm = 'owner' AND value = 'web'"), 1);
	/* empty Tags and {} both mean no tags */
	ck_assert_int_eq(q1("SELECT count(*) FROM profile_tag"), 1);
}
END_TEST

START_TEST(test_restatement_replaces)
{
	struct ct_err err;

	ck_assert_int_eq(run1(file_a, &err), CT_OK);
	ck_assert_int_eq(run1(file_c, &err), CT_OK);
	ck_assert_int_eq(run1(file_b, &err), CT_OK);
	ck_assert_int_eq(run1(file_a2, &err), CT_OK);
	/* Oct: account 111 restated to 6.00, account 222 kept at 4.00 */
	ck_assert_int_eq(BILLED("2026-10"), 10000000000);
	ck_assert_int_eq(BILLED("2026-09"), 7000000000);
	ck_assert_int_eq(q1("SELECT count(*) FROM line"), 4);
	ck_assert_int_eq(q1("SELECT count(*) FROM ingest"), 3);
	ck_assert_int_eq(q1("SELECT sum(billed_cost) FROM line_day"), 17000000000);
}
END_TEST

START_TEST(test_same_file_twice)
{
	struct ct_err err;

	ck_assert_int_eq(run1(file_a, &err), CT_OK);
	ck_assert_int_eq(run1(file_a, &err), CT_OK);
	ck_assert_int_eq(BILLED("2026-10"), 3350000000);
	ck_assert_int_eq(q1("SELECT count(*) FROM line"), 3);
	ck_assert_int_eq(q1("SELECT count(*) FROM line_day"), 3);
	ck_assert_int_eq(q1("SELECT count(*) FROM ingest"), 1);
}
END_TEST

START_TEST(test_split_files_add_up)
{
	struct ct_err err;
	const char *both[] = {file_a, file_a2};

	/* two parts of one month in one run: both kept */
	ck_assert_int_eq(run(both, 2, &err), CT_OK);
	ck_assert_int_eq(BILLED("2026-10"), 9350000000);
	ck_assert_int_eq(q1("SELECT count(*) FROM ingest"), 2);
}
END_TEST

static const struct {
	const char *name;
	const char *text;
	long line;
	const char *msg;
} bad[] = {
	{"ragged", HDR "111," OCT ",2026-10-01T00:00:00Z,2026-10-01T01:00:00Z,1.10\n", 2, "expected 15 fields"},
	{"cost", HDR "111," OCT ",2026-10-01T00:00:00Z,2026-10-01T01:00:00Z,1.1O,1,AWS,S,C,a,r,Usage,USD,\n", 2, "BilledCost is not a number"},
	{"date", HDR "111," OCT ",2026-10-32T00:00:00Z,2026-10-01T01:00:00Z,1,1,AWS,S,C,a,r,Usage,USD,\n", 2, "ChargePeriodStart is not a date"},
	{"nullcost", HDR "111," OCT ",2026-10-01T00:00:00Z,2026-10-01T01:00:00Z,NULL,1,AWS,S,C,a,r,Usage,USD,\n", 2, "BilledCost is null"},
	{"tags", HDR "111," OCT ",2026-10-01T00:00:00Z,2026-10-01T01:00:00Z,1,1,AWS,S,C,a,r,Usage,USD,[1]\n", 2, "Tags is not a JSON object"},
	{"header", "a,b,c\n1,2,3\n", 1, "unrecognised billing format"},
	{"empty", "", 0, "empty file"},
	{"lateline", HDR "111," OCT ",2026-10-01T00:00:00Z,2026-10-01T01:00:00Z,1,1,AWS,S,C,a,r,Usage,USD,\n"
		     "111," OCT ",2026-10-01T00:00:00Z,2026-10-01T01:00:00Z,1e999,1,AWS,S,C,a,r,Usage,USD,\n", 3, "BilledCost is not a number"},
	{"quote", HDR "111," OCT ",2026-10-01T00:00:00Z,2026-10-01T01:00:00Z,1,1,AWS,\"S,C,a,r,Usage,USD,\n", 2, "quote"},
};

START_TEST(test_bad_input_changes_nothing)
{
	struct ct_err err;
	const char *texts[2] = {file_c, bad[_i].text};

	ck_assert_int_eq(run1(file_a, &err), CT_OK);
	ct_err_init(&err);
	/* a good file and a bad one in the same run: neither lands */
	ck_assert_int_eq(run(texts, 2, &err), CT_E_INPUT);
	ck_assert_msg(strstr(err.msg, bad[_i].msg) != NULL, "%s: message '%s'",
		      bad[_i].name, err.msg);
	ck_assert_msg(err.line == bad[_i].line, "%s: line %ld", bad[_i].name, err.line);
	ck_assert_ptr_nonnull(strstr(err.source, ".csv"));
	ck_assert_int_eq(BILLED("2026-10"), 3350000000);
	ck_assert_int_eq(q1("SELECT count(*) FROM line"), 3);
	ck_assert_int_eq(q1("SELECT count(*) FROM ingest"), 1);
}
END_TEST

START_TEST(test_gzip_and_truncated_gzip)
{
	struct ct_err err;
	char *path = ct_xasprintf("%s/a.csv.gz", dir);
	char *cut = ct_xasprintf("%s/cut.csv.gz", dir);
	gzFile gz = gzopen(path, "wb");
	struct ct_ingest *ing;
	FILE *f;
	char buf[4096];
	size_t n;

	ck_assert_ptr_nonnull(gz);
	gzwrite(gz, file_a, (unsigned)strlen(file_a));
	gzclose(gz);
	ing = ct_ingest_begin(st, &err);
	ck_assert_int_eq(ct_ingest_file(ing, path, NULL, &err), CT_OK);
	ck_assert_int_eq(ct_ingest_commit(ing, NULL, &err), CT_OK);
	ck_assert_int_eq(BILLED("2026-10"), 3350000000);

	/* the same file cut short */
	f = fopen(path, "rb");
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	f = fopen(cut, "wb");
	fwrite(buf, 1, n - 12, f);
	fclose(f);
	ing = ct_ingest_begin(st, &err);
	ct_err_init(&err);
	ck_assert_int_eq(ct_ingest_file(ing, cut, NULL, &err), CT_E_INPUT);
	ct_ingest_abort(ing);
	ck_assert_ptr_nonnull(strstr(err.source, "cut.csv.gz"));
	ck_assert_int_eq(q1("SELECT count(*) FROM line"), 3);
	free(path);
	free(cut);
}
END_TEST

START_TEST(test_tag_keys_first_wins)
{
	struct ct_err err;
	static const char f[] = HDR
		"111," OCT ",2026-10-01T00:00:00Z,2026-10-01T01:00:00Z,1,1,AWS,S,C,a,r,Usage,USD,"
		"\"{\"\"Environment\"\":\"\"prod\"\",\"\" environment \"\":\"\"dev\"\",\"\"Team\"\":null}\"\n";

	ck_assert_int_eq(run1(f, &err), CT_OK);
	ck_assert_int_eq(q1("SELECT count(*) FROM profile_tag"), 1);
	ck_assert_int_eq(q1("SELECT count(*) FROM profile_tag WHERE key_norm = 'environment' AND value = 'prod'"), 1);
}
END_TEST

START_TEST(test_profiles_do_not_mix)
{
	struct ct_err err;
	/* field contents that would spell the same key with separators */
	static const char f[] = HDR
		"111," OCT ",2026-10-01T00:00:00Z,2026-10-01T01:00:00Z,1,1,AWS,\"EC2\x1f\",Compute,a,r,Usage,USD,\n"
		"111," OCT ",2026-10-01T00:00:00Z,2026-10-01T01:00:00Z,5,5,AWS,EC2,\"\x1f" "Compute\",a,r,Usage,USD,\n";

	ck_assert_int_eq(run1(f, &err), CT_OK);
	ck_assert_int_eq(q1("SELECT count(*) FROM profile"), 2);
	ck_assert_int_eq(q1("SELECT sum(billed_cost) FROM focus_line WHERE service_name = 'EC2'"), 5000000000);
}
END_TEST

START_TEST(test_overflow_is_bad_input)
{
	struct ct_err err;
	char *buf = ct_xstrdup(HDR);

	/* ten lines of $999,999,999 on ten days: the sum passes int64 */
	for (int d = 1; d <= 10; d++) {
		char *n = ct_xasprintf("%s111," OCT ",2026-10-%02dT00:00:00Z,2026-10-%02dT01:00:00Z,"
				       "999999999,999999999,AWS,S,C,a,r,Usage,USD,\n", buf, d, d);
		free(buf);
		buf = n;
	}
	ct_err_init(&err);
	ck_assert_int_eq(run1(buf, &err), CT_E_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "9.2 billion"));
	ck_assert_int_eq(q1("SELECT count(*) FROM line"), 0);
	free(buf);
}
END_TEST

START_TEST(test_amount_forms)
{
	struct ct_err err;
	static const char good[] = HDR
		"111," OCT ",2026-10-01T00:00:00Z,2026-10-01T01:00:00Z,\"$1,250\",\" 1,250.50 \",AWS,S,C,a,r,Usage,USD,\n";
	static const char comma[] = HDR
		"111," OCT ",2026-10-01T00:00:00Z,2026-10-01T01:00:00Z,\"1,250\",1,AWS,S,C,a,r,Usage,USD,\n";
	static const char cur[] = HDR
		"111," OCT ",2026-10-01T00:00:00Z,2026-10-01T01:00:00Z,1,1,AWS,S,C,a,r,Usage,US Dollars of America,\n";

	ck_assert_int_eq(run1(good, &err), CT_OK);
	ck_assert_int_eq(q1("SELECT billed_cost FROM line"), 1250000000000);
	ck_assert_int_eq(q1("SELECT effective_cost FROM line"), 1250500000000);
	ct_err_init(&err);
	ck_assert_int_eq(run1(comma, &err), CT_E_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "BilledCost is not a number"));
	ct_err_init(&err);
	ck_assert_int_eq(run1(cur, &err), CT_E_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "BillingCurrency"));
}
END_TEST

START_TEST(test_duplicate_file_in_one_run)
{
	struct ct_err err;
	const char *twice[] = {file_a, file_a};

	ck_assert_int_eq(run(twice, 2, &err), CT_OK);
	ck_assert_int_eq(BILLED("2026-10"), 3350000000);
	ck_assert_int_eq(q1("SELECT count(*) FROM line"), 3);
	ck_assert_int_eq(q1("SELECT sum(billed_cost) FROM line_day"), 3350000000);
	ck_assert_int_eq(q1("SELECT count(*) FROM ingest"), 1);
}
END_TEST

static Suite *ingest_suite(void)
{
	Suite *s = suite_create("ingest");
	TCase *tc = tcase_create("ingest");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_totals);
	tcase_add_test(tc, test_restatement_replaces);
	tcase_add_test(tc, test_same_file_twice);
	tcase_add_test(tc, test_split_files_add_up);
	tcase_add_loop_test(tc, test_bad_input_changes_nothing, 0, CT_NELEM(bad));
	tcase_add_test(tc, test_gzip_and_truncated_gzip);
	tcase_add_test(tc, test_tag_keys_first_wins);
	tcase_add_test(tc, test_profiles_do_not_mix);
	tcase_add_test(tc, test_overflow_is_bad_input);
	tcase_add_test(tc, test_amount_forms);
	tcase_add_test(tc, test_duplicate_file_in_one_run);
	suite_add_tcase(s, tc);
	return s;
}

CT_TEST_MAIN(ingest_suite)
