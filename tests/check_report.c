/*
 * check_report.c - the monthly report model built from a small store.
 * Every expected figure is added up by hand from the CSV text below.
 */
#include "ct.h"
#include "ingest.h"
#include "report.h"
#include "store.h"
#include "testlib.h"

#define HDR "BillingAccountId,BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart," \
	    "ChargePeriodEnd,BilledCost,EffectiveCost,ProviderName,ServiceName,"      \
	    "ServiceCategory,SubAccountId,SubAccountName,RegionId,ChargeCategory,BillingCurrency,Tags\n"
#define OCT "2026-10-01T00:00:00Z,2026-11-01T00:00:00Z"
#define SEP "2026-09-01T00:00:00Z,2026-10-01T00:00:00Z"
#define T_WEB "\"{\"\"Owner\"\":\"\"web\"\",\"\"CostCenter\"\":\"\"cc1\"\"}\""

static const char data[] = HDR
	"111," SEP ",2026-09-03T00:00:00Z,2026-09-03T01:00:00Z,10.00,9.00,AWS,Amazon EC2,Compute,a1,one,us-east-1,Usage,USD," T_WEB "\n"
	"111," SEP ",2026-09-04T00:00:00Z,2026-09-04T01:00:00Z,5.00,5.00,AWS,Amazon S3,Storage,a1,one,us-east-1,Usage,USD,\n"
	"111," OCT ",2026-10-01T00:00:00Z,2026-10-01T01:00:00Z,12.00,11.00,AWS,Amazon EC2,Compute,a1,one,us-east-1,Usage,USD," T_WEB "\n"
	"111," OCT ",2026-10-02T00:00:00Z,2026-10-02T01:00:00Z,3.00,3.00,AWS,Amazon EC2,Compute,a2,two,eu-west-1,Usage,USD,\"{\"\"owner\"\":\"\"api\"\"}\"\n"
	"111," OCT ",2026-10-02T05:00:00Z,2026-10-02T06:00:00Z,4.00,4.00,AWS,Amazon S3,Storage,a1,one,us-east-1,Usage,USD,{}\n"
	"111," OCT ",2026-10-03T00:00:00Z,2026-10-03T01:00:00Z,1.00,1.00,AWS,Amazon RDS,Databases,a2,two,eu-west-1,Usage,USD,\"{\"\"Environment\"\":\"\"prod\"\"}\"\n"
	"111," OCT ",2026-10-03T00:00:00Z,2026-10-03T01:00:00Z,-0.50,-0.50,AWS,Amazon RDS,Databases,a2,two,eu-west-1,Credit,USD,\"{\"\"Environment\"\":\"\"prod\"\"}\"\n"
	"111," OCT ",2026-10-03T00:00:00Z,2026-10-03T01:00:00Z,0.50,0.50,AWS,Amazon RDS,Databases,a2,two,eu-west-1,Tax,USD,\"{\"\"Environment\"\":\"\"prod\"\"}\"\n"
	"111," OCT ",2026-10-04T00:00:00Z,2026-10-04T01:00:00Z,99.00,99.00,AWS,Amazon S3,Storage,a1,one,us-east-1,Usage,EUR,\n";

#define USD(x) ((ct_money)((x) * 1000000000.0 + ((x) < 0 ? -0.5 : 0.5)))

static struct ct_store *st;
static char *dir;

static void setup(void)
{
	struct ct_err err;
	struct ct_ingest *ing;
	char *path;
	char *csv;

	dir = ct_test_tmpdir();
	path = ct_xasprintf("%s/r.db", dir);
	st = ct_store_open(path, CT_STORE_CREATE, &err);
	ck_assert_ptr_nonnull(st);
	csv = ct_test_write(dir, "d.csv", data);
	ing = ct_ingest_begin(st, &err);
	ck_assert_int_eq(ct_ingest_file(ing, csv, NULL, &err), CT_OK);
	ck_assert_int_eq(ct_ingest_commit(ing, NULL, &err), CT_OK);
	free(path);
	free(csv);
}

static void teardown(void)
{
	ct_store_close(st);
	free(dir);
}

static const struct ct_report_item *item(const struct ct_report_list *l,
					 const char *id)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].id, id))
			return &l->v[i];
	ck_abort_msg("no item '%s'", id);
	return NULL;
}

static struct ct_report *build(const char *month, int64_t now)
{
	struct ct_report_opts o = {0};
	struct ct_err err;
	struct ct_report *r;

	o.month = month;
	o.now = now;
	ct_err_init(&err);
	r = ct_report_build(st, &o, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	return r;
}

START_TEST(test_totals_and_breakdowns)
{
	struct ct_report *r = build(NULL, 1796083200); /* 2026-12-01 */

	ck_assert_str_eq(r->month, "2026-10");
	ck_assert_str_eq(r->prev_month, "2026-09");
	ck_assert_str_eq(r->currency, "USD");
	ck_assert(r->complete);
	ck_assert(r->has_prev);
	ck_assert(!r->has_forecast);
	ck_assert_int_eq(r->lines, 6);
	/* 12 + 3 + 4 + 1 - 0.5 + 0.5 = 20; the EUR line is left out */
	ck_assert_int_eq(r->total_billed, USD(20.00));
	ck_assert_int_eq(r->total_effective, USD(19.00));
	ck_assert_int_eq(r->prev_billed, USD(15.00));
	ck_assert_int_eq(r->nnotes, 1);
	ck_assert_ptr_nonnull(strstr(r->notes[0], "EUR"));

	ck_assert_int_eq(r->by_service.n, 3);
	ck_assert_str_eq(r->by_service.v[0].id, "Amazon EC2");
	ck_assert_int_eq(r->by_service.v[0].billed, USD(15.00));
	ck_assert_int_eq(r->by_service.v[0].effective, USD(14.00));
	ck_assert_int_eq(r->by_service.v[0].prev_billed, USD(10.00));
	ck_assert_str_eq(r->by_service.v[0].category, "Compute");
	ck_assert_int_eq(item(&r->by_service, "Amazon S3")->billed, USD(4.00));
	ck_assert_int_eq(item(&r->by_service, "Amazon S3")->prev_billed, USD(5.00));
	ck_assert_int_eq(item(&r->by_service, "Amazon RDS")->billed, USD(1.00));

	ck_assert_int_eq(item(&r->by_account, "a1")->billed, USD(16.00));
	ck_assert_str_eq(item(&r->by_account, "a1")->name, "one");
	ck_assert_int_eq(item(&r->by_account, "a2")->billed, USD(4.00));
	ck_assert_int_eq(item(&r->by_region, "eu-west-1")->billed, USD(4.00));
	ck_assert_int_eq(item(&r->by_category, "Databases")->billed, USD(1.00));
	ck_assert_int_eq(item(&r->by_charge_category, "Usage")->billed, USD(20.00));
	ck_assert_int_eq(item(&r->by_charge_category, "Credit")->billed, USD(-0.50));
	ck_assert_int_eq(item(&r->by_charge_category, "Tax")->billed, USD(0.50));

	/* movers: EC2 +5, then RDS +1 and S3 -1 (ties by name) */
	ck_assert_int_eq(r->movers.n, 3);
	ck_assert_str_eq(r->movers.v[0].id, "Amazon EC2");
	ck_assert_str_eq(r->movers.v[1].id, "Amazon RDS");
	ck_assert_str_eq(r->movers.v[2].id, "Amazon S3");
	ct_report_free(r);
}
END_TEST

START_TEST(test_tags)
{
	struct ct_report *r = build("2026-10", 1796083200);

	ck_assert_int_eq(r->ntags, 4);
	ck_assert_str_eq(r->tags[2].key, "Owner");
	/* keys match without regard to case: "owner" counts as Owner */
	ck_assert_int_eq(item(&r->tags[2].values, "web")->billed, USD(12.00));
	ck_assert_int_eq(item(&r->tags[2].values, "api")->billed, USD(3.00));
	ck_assert_int_eq(r->tags[2].untagged, USD(5.00));
	ck_assert_str_eq(r->tags[0].key, "CostCenter");
	ck_assert_int_eq(r->tags[0].untagged, USD(8.00));
	ck_assert_int_eq(item(&r->tags[1].values, "prod")->billed, USD(1.00));
	/* only the S3 line carries none of the four keys */
	ck_assert_int_eq(r->untagged, USD(4.00));
	ct_report_free(r);
}
END_TEST

START_TEST(test_daily_and_forecast)
{
	/* 2026-10-15: October is open, September is the latest complete */
	struct ct_report *r = build(NULL, 1796083200 - 47 * 86400);

	ck_assert_str_eq(r->month, "2026-09");
	ct_report_free(r);
	r = build("2026-10", 1796083200 - 47 * 86400);
	ck_assert(!r->complete);
	ck_assert_int_eq(r->ndaily, 31);
	ck_assert_str_eq(r->daily[0].date, "2026-10-01");
	ck_assert_int_eq(r->daily[0].billed, USD(12.00));
	ck_assert_int_eq(r->daily[1].billed, USD(7.00));
	ck_assert_int_eq(r->daily[2].billed, USD(1.00));
	ck_assert_int_eq(r->daily[30].billed, 0);
	ck_assert_int_eq(r->days_with_data, 3);
	ck_assert(r->has_forecast);
	/* 20.00 over 3 days, times 31 days = 206.666666667 */
	ck_assert_int_eq(r->forecast, INT64_C(206666666667));
	ct_report_free(r);
}
END_TEST

START_TEST(test_anomaly)
{
	struct ct_err err;
	struct ct_ingest *ing;
	char *buf = ct_xstrdup(HDR), *csv;
	struct ct_report *r;

	/* November: 29 days at 10.00, one day at 100.00 */
	for (int d = 1; d <= 30; d++) {
		char *n = ct_xasprintf("%s222,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,"
				       "2026-11-%02dT00:00:00Z,2026-11-%02dT01:00:00Z,%s,%s,"
				       "AWS,Amazon EC2,Compute,b,b,us-east-1,Usage,USD,\n",
				       buf, d, d, d == 17 ? "100.00" : "10.00",
				       d == 17 ? "100.00" : "10.00");
		free(buf);
		buf = n;
	}
	csv = ct_test_write(dir, "nov.csv", buf);
	ing = ct_ingest_begin(st, &err);
	ck_assert_int_eq(ct_ingest_file(ing, csv, NULL, &err), CT_OK);
	ck_assert_int_eq(ct_ingest_commit(ing, NULL, &err), CT_OK);
	r = build("2026-11", 1796083200);
	ck_assert_int_eq(r->total_billed, USD(390.00));
	ck_assert_int_eq(r->nanomalies, 1);
	ck_assert_str_eq(r->anomalies[0].date, "2026-11-17");
	ck_assert_int_eq(r->anomalies[0].billed, USD(100.00));
	/* mean = 390 / 30 = 13.00 */
	ck_assert_int_eq(r->anomalies[0].expected, USD(13.00));
	ck_assert(r->anomalies[0].sigmas > 5.0 && r->anomalies[0].sigmas < 5.5);
	/* a month with no prior month: no previous figures, no movers */
	ck_assert(!r->has_prev || r->prev_billed == USD(20.00));
	ct_report_free(r);
	free(buf);
	free(csv);
}
END_TEST

START_TEST(test_forecast_one_time_charges)
{
	struct ct_err err;
	struct ct_ingest *ing;
	char *buf = ct_xstrdup(HDR), *csv;
	struct ct_report *r;

	/* December so far: ten days of 100.00 usage and a 3000.00 purchase */
	for (int d = 1; d <= 11; d++) {
		char *n = ct_xasprintf("%s333,2026-12-01T00:00:00Z,2027-01-01T00:00:00Z,"
				       "2026-12-%02dT00:00:00Z,2026-12-%02dT01:00:00Z,%s,%s,"
				       "AWS,Amazon EC2,Compute,c,c,us-east-1,%s,USD,\n",
				       buf, d == 11 ? 1 : d, d == 11 ? 1 : d,
				       d == 11 ? "3000" : "100", d == 11 ? "0" : "100",
				       d == 11 ? "Purchase" : "Usage");
		free(buf);
		buf = n;
	}
	csv = ct_test_write(dir, "dec.csv", buf);
	ing = ct_ingest_begin(st, &err);
	ck_assert_int_eq(ct_ingest_file(ing, csv, NULL, &err), CT_OK);
	ck_assert_int_eq(ct_ingest_commit(ing, NULL, &err), CT_OK);
	r = build("2026-12", 1796083200 + 10 * 86400 + 3600); /* 2026-12-11 */
	ck_assert(!r->complete);
	ck_assert_int_eq(r->total_billed, USD(4000.00));
	ck_assert_int_eq(r->days_with_data, 10);
	/* 3000 as it came, plus 1000 of usage over 10 days run to 31 days */
	ck_assert(r->has_forecast);
	ck_assert_int_eq(r->forecast, USD(6100.00));
	ct_report_free(r);
	free(buf);
	free(csv);
}
END_TEST

START_TEST(test_review_notes)
{
	struct ct_err err;
	struct ct_ingest *ing;
	char *csv;
	struct ct_report *r;
	static const char big[] = HDR
		"444,2027-01-01T00:00:00Z,2027-02-01T00:00:00Z,2027-01-05T00:00:00Z,"
		"2027-01-05T01:00:00Z,50000.01,50000.01,AWS,Amazon EC2,Compute,d,d,us-east-1,Usage,USD,\n";
	static const char mid[] = HDR
		"444,2027-02-01T00:00:00Z,2027-03-01T00:00:00Z,2027-02-05T00:00:00Z,"
		"2027-02-05T01:00:00Z,5000.01,5000.01,AWS,Amazon EC2,Compute,d,d,us-east-1,Usage,USD,\n"
		"444,2027-03-01T00:00:00Z,2027-04-01T00:00:00Z,2027-03-05T00:00:00Z,"
		"2027-03-05T01:00:00Z,5000.00,5000.00,AWS,Amazon EC2,Compute,d,d,us-east-1,Usage,USD,\n";

	ing = ct_ingest_begin(st, &err);
	csv = ct_test_write(dir, "big.csv", big);
	ck_assert_int_eq(ct_ingest_file(ing, csv, NULL, &err), CT_OK);
	free(csv);
	csv = ct_test_write(dir, "mid.csv", mid);
	ck_assert_int_eq(ct_ingest_file(ing, csv, NULL, &err), CT_OK);
	free(csv);
	ck_assert_int_eq(ct_ingest_commit(ing, NULL, &err), CT_OK);
	r = build("2027-01", 1900000000);
	ck_assert_int_eq(r->nnotes, 1);
	ck_assert_ptr_nonnull(strstr(r->notes[0], "$50,000"));
	ck_assert_ptr_nonnull(strstr(r->notes[0], "anomaly detection"));
	ct_report_free(r);
	r = build("2027-02", 1900000000);
	ck_assert_int_eq(r->nnotes, 1);
	ck_assert_ptr_nonnull(strstr(r->notes[0], "$5,000"));
	ct_report_free(r);
	/* exactly $5,000 does not pass $5,000 */
	r = build("2027-03", 1900000000);
	ck_assert_int_eq(r->nnotes, 0);
	ct_report_free(r);
}
END_TEST

START_TEST(test_missing_month)
{
	struct ct_report_opts o = {0};
	struct ct_err err;

	o.month = "2020-01";
	o.now = 1796083200;
	ck_assert_ptr_null(ct_report_build(st, &o, &err));
	ck_assert_int_eq(err.code, CT_E_INPUT);
	o.month = "2020-13";
	ck_assert_ptr_null(ct_report_build(st, &o, &err));
	ck_assert_int_eq(err.code, CT_E_USAGE);
}
END_TEST

static Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_totals_and_breakdowns);
	tcase_add_test(tc, test_tags);
	tcase_add_test(tc, test_daily_and_forecast);
	tcase_add_test(tc, test_anomaly);
	tcase_add_test(tc, test_missing_month);
	tcase_add_test(tc, test_forecast_one_time_charges);
	tcase_add_test(tc, test_review_notes);
	suite_add_tcase(s, tc);
	return s;
}

CT_TEST_MAIN(report_suite)
