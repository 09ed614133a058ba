/*
 * check_pricing.c - the price catalog and the formulas, pinned to public
 * price facts (us-east-1, from the issue and research/infracost.md) and
 * hand arithmetic: e.g. m5.large $0.096/h x 730 h = $70.08.
 */
#include "ct.h"
#include "catalog.h"
#include "compute.h"
#include "database.h"
#include "k8s.h"
#include "money.h"
#include "network.h"
#include "serverless.h"
#include "storage.h"
#include "testlib.h"

#include <math.h>

static struct ct_catalog *cat;

static void setup(void)
{
	struct ct_err err;

	ct_err_init(&err);
	cat = ct_catalog_load(NULL, &err);
	ck_assert_msg(cat != NULL, "%s:%ld: %s", err.source, err.line, err.msg);
}

static void teardown(void)
{
	ct_catalog_free(cat);
}

#define USD(x) ((ct_money)llround((x) * 1e9))
#define CENTS(m) ((long long)llround((double)(m) / 1e7))

static void ec2(const char *type, enum ct_purchase buy, int years,
		const char *payment, struct ct_cost *c)
{
	struct ct_ec2_spec s = {0};
	struct ct_err err;

	s.region = "us-east-1";
	s.type = type;
	s.buy = buy;
	s.years = years;
	s.payment = payment;
	ct_err_init(&err);
	ck_assert_msg(ct_compute_ec2(cat, &s, c, &err) == CT_OK, "%s", err.msg);
}

START_TEST(test_rate_parse)
{
	ct_rate r;
	char b[64];

	ck_assert_int_eq(ct_rate_parse("0.0960000000", 12, &r), CT_OK);
	ck_assert_int_eq(r, INT64_C(96000000000));
	ck_assert_int_eq(ct_rate_parse("0.0000166667", 12, &r), CT_OK);
	ck_assert_int_eq(r, INT64_C(16666700));
	ck_assert_int_eq(ct_rate_parse("2.5E-7", 6, &r), CT_OK);
	ck_assert_int_eq(r, INT64_C(250000));
	ck_assert_int_eq(ct_rate_parse("0.0000000000004", 15, &r), CT_OK);
	ck_assert_int_eq(r, 0);
	ck_assert_int_eq(ct_rate_parse("abc", 3, &r), CT_E_INPUT);
	ck_assert_str_eq(ct_rate_format(INT64_C(96000000000), b, sizeof(b)), "0.0960");
	ck_assert_str_eq(ct_rate_format(INT64_C(16666700), b, sizeof(b)), "0.0000166667");
	/* 730 hours at $0.096 */
	ck_assert_int_eq(ct_money_of_rate(INT64_C(96000000000), 730), USD(70.08));
}
END_TEST

START_TEST(test_ec2_on_demand)
{
	struct ct_cost c;
	int vcpu;
	double mem;

	ec2("m5.large", CT_BUY_ONDEMAND, 0, NULL, &c);
	ck_assert_int_eq(c.hourly, INT64_C(96000000000));
	ck_assert_int_eq(c.monthly, USD(70.08));
	ck_assert_ptr_nonnull(c.source);
	ec2("m5.4xlarge", CT_BUY_ONDEMAND, 0, NULL, &c);
	ck_assert_int_eq(c.monthly, USD(560.64));
	ec2("t3.medium", CT_BUY_ONDEMAND, 0, NULL, &c);
	ck_assert_int_eq(c.hourly, INT64_C(41600000000));
	ck_assert_int_eq(c.monthly, USD(30.368));
	ck_assert(ct_catalog_instance(cat, "m5.large", &vcpu, &mem));
	ck_assert_int_eq(vcpu, 2);
	ck_assert(mem == 8.0);
}
END_TEST

START_TEST(test_ec2_reserved_amortized)
{
	struct ct_cost c;
	char b[64];

	/* standard 1-year all upfront: $494 up front, $0/h: 494 / 8760 */
	ec2("m5.large", CT_BUY_RESERVED, 1, "all", &c);
	ck_assert_int_eq(c.upfront, USD(494));
	ck_assert_int_eq(c.hourly, INT64_C(56392694064)); /* $0.056392694064/h */
	ct_rate_format(c.hourly, b, sizeof(b));
	ck_assert_msg(!strncmp(b, "0.05639", 7), "%s", b);
	ck_assert(c.monthly > 0); /* never $0 for all upfront */
	ck_assert_int_eq(CENTS(c.monthly), 4117); /* 0.056392694 x 730 = 41.1667 */
	ck_assert(!c.estimated);
}
END_TEST

START_TEST(test_ec2_spot_and_unknown)
{
	struct ct_cost c;
	struct ct_ec2_spec s = {0};
	struct ct_err err;

	ec2("m5.large", CT_BUY_SPOT, 0, NULL, &c);
	ck_assert(c.hourly > 0 && c.hourly < INT64_C(96000000000));
	ck_assert(c.estimated);
	s.region = "us-east-1";
	s.type = "m5.lage";
	ct_err_init(&err);
	ck_assert_int_eq(ct_compute_ec2(cat, &s, &c, &err), CT_E_NOPRICE);
	ck_assert_msg(strstr(err.msg, "m5.lage") && strstr(err.msg, "m5.large"), "%s", err.msg);
	s.type = "m5.large";
	s.region = "eu-mars-1";
	ck_assert_int_eq(ct_compute_ec2(cat, &s, &c, &err), CT_E_NOPRICE);
	ck_assert_msg(strstr(err.msg, "eu-mars-1") && strstr(err.msg, "us-east-1"), "%s", err.msg);
	s.region = "us-east-1";
	s.buy = CT_BUY_RESERVED;
	s.years = 2;
	ck_assert_int_eq(ct_compute_ec2(cat, &s, &c, &err), CT_E_USAGE);
}
END_TEST

START_TEST(test_ebs)
{
	struct ct_ebs_spec v = {0};
	struct ct_cost c;
	struct ct_err err;

	v.region = "us-east-1";
	v.type = "gp3";
	v.gb = 40;
	v.iops = 4000;
	v.throughput = 130;
	ck_assert_msg(ct_storage_ebs(cat, &v, &c, &err) == CT_OK, "%s", err.msg);
	ck_assert_int_eq(c.nlines, 3);
	ck_assert_int_eq(c.line[0].monthly, USD(3.20)); /* 40 x 0.08 */
	ck_assert_int_eq(c.line[1].monthly, USD(5.00)); /* 1,000 x 0.005 */
	ck_assert_int_eq(c.line[2].monthly, USD(0.20)); /* 5 x 0.04 */
	ck_assert_int_eq(c.monthly, USD(8.40));
	/* at the baselines only storage is billed */
	v.iops = 0;
	v.throughput = 0;
	ck_assert_int_eq(ct_storage_ebs(cat, &v, &c, &err), CT_OK);
	ck_assert_int_eq(c.monthly, USD(3.20));
	v.type = "io1";
	v.gb = 30;
	v.iops = 300;
	ck_assert_msg(ct_storage_ebs(cat, &v, &c, &err) == CT_OK, "%s", err.msg);
	ck_assert_int_eq(c.line[0].monthly, USD(3.75));  /* 30 x 0.125 */
	ck_assert_int_eq(c.line[1].monthly, USD(19.50)); /* 300 x 0.065 */
	v.iops = 0;
	ck_assert_int_eq(ct_storage_ebs(cat, &v, &c, &err), CT_E_USAGE);
	v.type = "gp9";
	v.iops = 100;
	ck_assert_int_eq(ct_storage_ebs(cat, &v, &c, &err), CT_E_NOPRICE);
	ck_assert_msg(strstr(err.msg, "gp9"), "%s", err.msg);
}
END_TEST

START_TEST(test_rds)
{
	struct ct_rds_spec r = {0};
	struct ct_cost c;
	struct ct_err err;

	r.region = "us-east-1";
	r.engine = "mysql";
	r.instance = "db.t3.large";
	r.multi_az = true;
	r.storage_type = "gp2";
	r.gb = 30;
	ck_assert_msg(ct_database_rds(cat, &r, &c, &err) == CT_OK, "%s", err.msg);
	ck_assert_int_eq(c.line[0].monthly, USD(198.56)); /* 0.272 x 730 */
	ck_assert_int_eq(c.line[1].monthly, USD(6.90));   /* 30 x 0.23 */
	r.engine = "oracle-xe";
	ck_assert_int_eq(ct_database_rds(cat, &r, &c, &err), CT_E_NOPRICE);
	ck_assert_msg(strstr(err.msg, "oracle-xe"), "%s", err.msg);
}
END_TEST

START_TEST(test_network)
{
	struct ct_cost c;
	struct ct_err err;

	ck_assert_msg(ct_network_nat(cat, "us-east-1", 1, 100, &c, &err) == CT_OK, "%s", err.msg);
	ck_assert_int_eq(c.line[0].monthly, USD(32.85)); /* 0.045 x 730 */
	ck_assert_int_eq(c.line[1].monthly, USD(4.50));  /* 100 GB x 0.045 */
	ck_assert_msg(ct_network_lb(cat, "us-east-1", "alb", 1, 0, 0, &c, &err) == CT_OK, "%s", err.msg);
	ck_assert_int_eq(c.monthly, USD(16.425)); /* 0.0225 x 730 */
	ck_assert_msg(ct_network_ipv4(cat, "us-east-1", 2, &c, &err) == CT_OK, "%s", err.msg);
	ck_assert_int_eq(c.monthly, USD(7.30)); /* 2 x 0.005 x 730 */
	/* the first 100 GB out to the internet are free, then $0.09/GB */
	ck_assert_msg(ct_network_egress(cat, "us-east-1", 50, &c, &err) == CT_OK, "%s", err.msg);
	ck_assert_int_eq(c.monthly, 0);
	ck_assert_int_eq(ct_network_egress(cat, "us-east-1", 1000, &c, &err), CT_OK);
	ck_assert_int_eq(c.monthly, USD(81.00));
	/* inter-AZ: $0.01 out and $0.01 in */
	ck_assert_msg(ct_network_inter_az(cat, "us-east-1", 100, &c, &err) == CT_OK, "%s", err.msg);
	ck_assert_int_eq(c.monthly, USD(2.00));
}
END_TEST

START_TEST(test_k8s)
{
	struct ct_k8s_nodes nodes[] = {{"m5.large", 3, false}};
	struct ct_k8s_spec s = {0};
	struct ct_cost c;
	struct ct_err err;

	s.region = "us-east-1";
	s.eks = true;
	ck_assert_msg(ct_k8s_cluster(cat, &s, &c, &err) == CT_OK, "%s", err.msg);
	ck_assert_int_eq(c.monthly, USD(73.00)); /* 0.10 x 730 */
	s.extended = true;
	ck_assert_int_eq(ct_k8s_cluster(cat, &s, &c, &err), CT_OK);
	ck_assert_int_eq(c.monthly, USD(438.00)); /* 0.60 x 730 */
	s.extended = false;
	s.nodes = nodes;
	s.nnodes = 1;
	ck_assert_int_eq(ct_k8s_cluster(cat, &s, &c, &err), CT_OK);
	ck_assert_int_eq(c.monthly, USD(73.00 + 3 * 70.08));
}
END_TEST

START_TEST(test_lambda)
{
	struct ct_lambda_spec l = {0};
	struct ct_cost c;
	struct ct_err err;

	/* 1M requests of 100 ms at 128 MB: $0.20 + 12,500 GB-s x 0.0000166667 */
	l.region = "us-east-1";
	l.requests = 1000000;
	l.duration_ms = 100;
	l.memory_mb = 128;
	ck_assert_msg(ct_serverless_lambda(cat, &l, &c, &err) == CT_OK, "%s", err.msg);
	ck_assert_int_eq(c.line[0].monthly, USD(0.20));
	ck_assert_int_eq(CENTS(c.line[1].monthly), 21); /* 0.20833 */
}
END_TEST

START_TEST(test_cloudwatch_and_s3)
{
	struct ct_cloudwatch_spec w = {0};
	struct ct_s3_spec b = {0};
	struct ct_cost c;
	struct ct_err err;

	/* 12,000 metrics: 10,000 x 0.30 + 2,000 x 0.10 = 3,200.00 */
	w.region = "us-east-1";
	w.metrics = 12000;
	w.alarms = 10;       /* 10 x 0.10 */
	w.logs_ingest_gb = 100; /* 100 x 0.50 */
	ck_assert_msg(ct_serverless_cloudwatch(cat, &w, &c, &err) == CT_OK, "%s", err.msg);
	ck_assert_int_eq(c.line[0].monthly, USD(3200.00));
	ck_assert_int_eq(c.monthly, USD(3200.00 + 1.00 + 50.00));
	/* S3 standard: 100 GB x 0.023 */
	b.region = "us-east-1";
	b.gb = 100;
	ck_assert_msg(ct_storage_s3(cat, &b, &c, &err) == CT_OK, "%s", err.msg);
	ck_assert_int_eq(c.monthly, USD(2.30));
}
END_TEST

static Suite *pricing_suite(void)
{
	Suite *s = suite_create("pricing");
	TCase *tc = tcase_create("pricing");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_rate_parse);
	tcase_add_test(tc, test_ec2_on_demand);
	tcase_add_test(tc, test_ec2_reserved_amortized);
	tcase_add_test(tc, test_ec2_spot_and_unknown);
	tcase_add_test(tc, test_ebs);
	tcase_add_test(tc, test_rds);
	tcase_add_test(tc, test_network);
	tcase_add_test(tc, test_k8s);
	tcase_add_test(tc, test_lambda);
	tcase_add_test(tc, test_cloudwatch_and_s3);
	suite_add_tcase(s, tc);
	return s;
}

CT_TEST_MAIN(pricing_suite)
