/*
 * check_clock.c - UTC timestamp parsing and day arithmetic (src/clock.c).
 * Expected unix times were computed by hand: 2024-09-18 is day 19984.
 */
#include "ct.h"
#include "clock.h"
#include "testlib.h"

static const struct {
	const char *text;
	int64_t t;
} good[] = {
	{"1970-01-01", 0},
	{"2024-09-18T22:00:00Z", 19984 * 86400LL + 22 * 3600},
	{"2024-09-18 22:00:00", 19984 * 86400LL + 22 * 3600},
	{"2024-09-18T22:00Z", 19984 * 86400LL + 22 * 3600},
	{"2024-09-18T22:00:00.123Z", 19984 * 86400LL + 22 * 3600},
	{"2024-09-18T22:00:00+00:00", 19984 * 86400LL + 22 * 3600},
	{"2024-09-18T23:30:00+01:30", 19984 * 86400LL + 22 * 3600},
	{"2024-02-29", 19782 * 86400LL},
	{"2026-11-01T00:00:00Z", 20758 * 86400LL},
	{"2024-10-01T24:00:00Z", 19998 * 86400LL}, /* 24:00 = next midnight */
	{"2024-09-18T46:00:00Z", 19985 * 86400LL + 22 * 3600}, /* rolls over */
	{"9/18/2024", 19984 * 86400LL},
	{"9/18/24", 19984 * 86400LL},
	{"09/18/2024 22:00:00", 19984 * 86400LL + 22 * 3600},
};

static const char *const bad[] = {
	"", "2024", "2024-13-01", "2024-02-30", "2023-02-29", "2024-09-18X",
	"2024-09-18T48:00:00Z", "13/1/2024", "1/32/24", "1/2/202", "2024-09-18T22:61:00Z", "24-09-18",
	"2024-09-18T22:00:00Zjunk", "2024/09/18", "NULL",
};

START_TEST(test_parse_good)
{
	int64_t t = -1;

	ck_assert_int_eq(ct_clock_parse(good[_i].text, strlen(good[_i].text), &t), CT_OK);
	ck_assert_msg(t == good[_i].t, "%s: got %lld want %lld", good[_i].text,
		      (long long)t, (long long)good[_i].t);
}
END_TEST

START_TEST(test_parse_bad)
{
	int64_t t;

	ck_assert_msg(ct_clock_parse(bad[_i], strlen(bad[_i]), &t) == CT_E_INPUT,
		      "'%s' should not parse", bad[_i]);
}
END_TEST

START_TEST(test_days)
{
	char buf[21];
	int y;
	unsigned m, d;

	ck_assert_int_eq(ct_clock_days_from_civil(2000, 3, 1), 11017);
	ct_clock_civil_from_days(11017, &y, &m, &d);
	ck_assert(y == 2000 && m == 3 && d == 1);
	ck_assert_int_eq(ct_clock_days_in_month(2024, 2), 29);
	ck_assert_int_eq(ct_clock_days_in_month(2100, 2), 28);
	ck_assert_int_eq(ct_clock_days_in_month(2000, 2), 29);
	ck_assert_int_eq(ct_clock_days_in_month(2026, 9), 30);
	ct_clock_format_day(19984, buf);
	ck_assert_str_eq(buf, "2024-09-18");
	ct_clock_format_month(19984 * 86400LL + 5, buf);
	ck_assert_str_eq(buf, "2024-09");
	ct_clock_format_iso(19984 * 86400LL + 22 * 3600 + 61, buf);
	ck_assert_str_eq(buf, "2024-09-18T22:01:01Z");
	ck_assert_int_eq(ct_clock_day(-1), -1);
	ck_assert_int_eq(ct_clock_parse_month("2026-10", &y, &m), CT_OK);
	ck_assert(y == 2026 && m == 10);
	ck_assert_int_eq(ct_clock_parse_month("2026-13", &y, &m), CT_E_INPUT);
	ck_assert_int_eq(ct_clock_parse_month("2026-1", &y, &m), CT_E_INPUT);
}
END_TEST

START_TEST(test_now)
{
	setenv("CLOUDTALLY_NOW", "2026-11-05T12:00:00Z", 1);
	ck_assert_int_eq(ct_clock_now(), 20762 * 86400LL + 12 * 3600);
	setenv("CLOUDTALLY_NOW", "1000", 1);
	ck_assert_int_eq(ct_clock_now(), 1000);
	unsetenv("CLOUDTALLY_NOW");
	ck_assert(ct_clock_now() > 1700000000);
}
END_TEST

static Suite *clock_suite(void)
{
	Suite *s = suite_create("clock");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_parse_good, 0, CT_NELEM(good));
	tcase_add_loop_test(tc, test_parse_bad, 0, CT_NELEM(bad));
	suite_add_tcase(s, tc);
	tc = tcase_create("days");
	tcase_add_test(tc, test_days);
	tcase_add_test(tc, test_now);
	suite_add_tcase(s, tc);
	return s;
}

CT_TEST_MAIN(clock_suite)
