/*
 * check_money.c - money parsing and formatting (src/money.c).
 * Expected values are worked out by hand from the decimal text.
 */
#include "ct.h"
#include "money.h"
#include "testlib.h"

#include <math.h>

static const struct {
	const char *text;
	int64_t nanos;
} good[] = {
	{"0", 0},
	{"-0", 0},
	{"1", 1000000000},
	{"0.1", 100000000},
	{"12.5", 12500000000},
	{"-3.25", -3250000000},
	{"0.0000004", 400},
	{"0.00000080000", 800},
	{"0.0000160599", 16060},         /* 16059.9 rounds up */
	{"0.00000000049", 0},            /* below half a nano-dollar */
	{"0.0000000005", 1},             /* exactly half: away from zero */
	{"-0.0000000005", -1},
	{"1.5E-7", 150},
	{"3e2", 300000000000},
	{"2.000000000000000", 2000000000},
	{"+7", 7000000000},
	{"123456789.123456789", 123456789123456789},
	{".5", 500000000},
	{"5.", 5000000000},
	{"1e-30", 0},
};

static const char *const bad[] = {
	"", "abc", "1,000.00", "$5", " 1", "1 ", "1e", "1e+", "NaN", "nan",
	"inf", "Infinity", "1e999", "--1", "1.2.3", "0x10", "1e10", "-",
	"999999999999",
};

START_TEST(test_parse_good)
{
	ct_money m = -12345;
	const char *t = good[_i].text;

	ck_assert_int_eq(ct_money_parse(t, strlen(t), &m), CT_OK);
	ck_assert_msg(m == good[_i].nanos, "%s: got %lld want %lld", t,
		      (long long)m, (long long)good[_i].nanos);
}
END_TEST

START_TEST(test_parse_bad)
{
	ct_money m;
	const char *t = bad[_i];

	ck_assert_msg(ct_money_parse(t, strlen(t), &m) == CT_E_INPUT,
		      "'%s' should not parse", t);
}
END_TEST

START_TEST(test_format)
{
	char buf[64];

	ck_assert_str_eq(ct_money_format(1234567890123, 2, true, buf, sizeof(buf)), "1,234.57");
	ck_assert_str_eq(ct_money_format(1234567890123, 2, false, buf, sizeof(buf)), "1234.57");
	ck_assert_str_eq(ct_money_format(-5000000000, 2, true, buf, sizeof(buf)), "-5.00");
	ck_assert_str_eq(ct_money_format(4999999, 2, true, buf, sizeof(buf)), "0.00");
	ck_assert_str_eq(ct_money_format(5000000, 2, true, buf, sizeof(buf)), "0.01");
	ck_assert_str_eq(ct_money_format(-4999999, 2, true, buf, sizeof(buf)), "0.00");
	ck_assert_str_eq(ct_money_format(1234567890123, 9, false, buf, sizeof(buf)), "1234.567890123");
	ck_assert_str_eq(ct_money_format(999999999999999999, 0, true, buf, sizeof(buf)), "1,000,000,000");
	ck_assert_str_eq(ct_money_format(1000000000000, 0, true, buf, sizeof(buf)), "1,000");
}
END_TEST

START_TEST(test_num_parse)
{
	double v;

	ck_assert_int_eq(ct_num_parse("2.5", 3, &v), CT_OK);
	ck_assert(v == 2.5);
	ck_assert_int_eq(ct_num_parse("-0", 2, &v), CT_OK);
	ck_assert(v == 0.0 && !signbit(v));
	ck_assert_int_eq(ct_num_parse("1e999", 5, &v), CT_E_INPUT);
	ck_assert_int_eq(ct_num_parse("NaN", 3, &v), CT_E_INPUT);
	ck_assert_int_eq(ct_num_parse("", 0, &v), CT_E_INPUT);
	ck_assert_int_eq(ct_num_parse("0x1p3", 5, &v), CT_E_INPUT);
}
END_TEST

static Suite *money_suite(void)
{
	Suite *s = suite_create("money");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_parse_good, 0, CT_NELEM(good));
	tcase_add_loop_test(tc, test_parse_bad, 0, CT_NELEM(bad));
	tcase_add_test(tc, test_num_parse);
	suite_add_tcase(s, tc);
	tc = tcase_create("format");
	tcase_add_test(tc, test_format);
	suite_add_tcase(s, tc);
	return s;
}

CT_TEST_MAIN(money_suite)
