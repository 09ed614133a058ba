/*
 * check_clickhouse.c - the ClickHouse client's parts that need no server
 * (src/clickhouse.c): store URLs (hosts, default port, user, password
 * from the URL or $CLICKHOUSE_PASSWORD, %-escapes, the shown form without
 * the password, every malformed form), string literals (each byte that
 * must be escaped), RowBinary encodings (LEB128 lengths at the 7-bit
 * boundaries, little-endian integers, IEEE doubles bit for bit) and
 * TabSeparated rows (every escape, \N as NULL only when it is the whole
 * field, rows without a final newline). Expected bytes are written out by
 * hand from ClickHouse's format documentation.
 */
#include "ct.h"
#include "clickhouse.h"
#include "testlib.h"

static const struct {
	const char *url;
	const char *shown; /* NULL: rejected */
	size_t hosts;
	bool password;
} urls[] = {
	{"clickhouse://localhost/billing", "clickhouse://localhost:8123/billing", 1, false},
	{"clickhouse://ch1:9123/b_2", "clickhouse://ch1:9123/b_2", 1, false},
	{"clickhouse://finops@ch1/db", "clickhouse://finops@ch1:8123/db", 1, false},
	{"clickhouse://finops:pw@ch1/db", "clickhouse://finops@ch1:8123/db", 1, true},
	{"clickhouse://fin%40ops:p%2Fw%23@ch1/db", "clickhouse://fin@ops@ch1:8123/db", 1, true},
	{"clickhouse://u:p@ss@ch1/db", "clickhouse://u@ch1:8123/db", 1, true},
	{"clickhouse://:pw@ch1/db", "clickhouse://ch1:8123/db", 1, true},
	{"clickhouse://a:1,b,10.0.0.3:8124/db", "clickhouse://a:1,b:8123,10.0.0.3:8124/db", 3, false},
	{"clickhouse://h/db?x=1", "clickhouse://h:8123/db", 1, false},
	{"clickhouse://h", NULL, 0, false},
	{"clickhouse:///db", NULL, 0, false},
	{"clickhouse://a,,b/db", NULL, 0, false},
	{"clickhouse://a b/db", NULL, 0, false},
	{"clickhouse://h/", NULL, 0, false},
	{"clickhouse://h/a-b", NULL, 0, false},
	{"clickhouse://h/1db", NULL, 0, false},
	{"clickhouse://h/db;DROP", NULL, 0, false},
	{"clickhouse://u:%4@h/db", NULL, 0, false},
	{"clickhouse://u:%0a@h/db", NULL, 0, false},
	{"http://h/db", NULL, 0, false},
};

START_TEST(test_url)
{
	struct ct_err err;
	struct ct_ch *ch;

	unsetenv("CLICKHOUSE_PASSWORD");
	ct_err_init(&err);
	ch = ct_ch_parse(urls[_i].url, &err);
	if (!urls[_i].shown) {
		ck_assert_msg(!ch, "%s accepted", urls[_i].url);
		ck_assert_int_eq(err.code, CT_E_USAGE);
		/* an error never repeats a password */
		ck_assert_ptr_null(strstr(err.msg, "pw"));
		return;
	}
	ck_assert_msg(ch != NULL, "%s: %s", urls[_i].url, err.msg);
	ck_assert_str_eq(ct_ch_shown(ch), urls[_i].shown);
	ck_assert_uint_eq(ct_ch_hosts(ch), urls[_i].hosts);
	ck_assert(ct_ch_has_password(ch) == urls[_i].password);
	ck_assert_uint_eq(ct_ch_shards(ch), 1);
	ck_assert_ptr_null(ct_ch_cluster(ch));
	ct_ch_close(ch);
}
END_TEST

START_TEST(test_password_env)
{
	struct ct_err err;
	struct ct_ch *ch;

	ct_err_init(&err);
	setenv("CLICKHOUSE_PASSWORD", "from-env", 1);
	ch = ct_ch_parse("clickhouse://u@h/db", &err);
	ck_assert(ch && ct_ch_has_password(ch));
	ck_assert_ptr_null(strstr(ct_ch_shown(ch), "from-env"));
	ct_ch_close(ch);
	setenv("CLICKHOUSE_PASSWORD", "", 1);
	ch = ct_ch_parse("clickhouse://u@h/db", &err);
	ck_assert(ch && !ct_ch_has_password(ch));
	ct_ch_close(ch);
	unsetenv("CLICKHOUSE_PASSWORD");
}
END_TEST

static const struct {
	const char *in;
	size_t len;
	const char *lit;
} quotes[] = {
	{"abc", 3, "'abc'"},
	{"", 0, "''"},
	{"it's", 4, "'it\\'s'"},
	{"a\\b", 3, "'a\\\\b'"},
	{"x'); DROP TABLE line; --", 24, "'x\\'); DROP TABLE line; --'"},
	{"t\tn\nr\r", 6, "'t\\x09n\\x0Ar\\x0D'"},
	{"nul\0x", 5, "'nul\\x00x'"},
	{"del\x7f", 4, "'del\\x7F'"},
	{"caf\xc3\xa9", 5, "'caf\xc3\xa9'"},
	{NULL, 0, "NULL"},
};

START_TEST(test_quote)
{
	struct ct_ch_buf b = {0};

	ct_ch_buf_quote(&b, quotes[_i].in, quotes[_i].len);
	ck_assert_str_eq(b.p, quotes[_i].lit);
	ct_ch_buf_release(&b);
}
END_TEST

START_TEST(test_rowbinary)
{
	struct ct_ch_buf b = {0};
	static const unsigned char want[] = {
		0x00,                   /* varint 0 */
		0x7f,                   /* 127 */
		0x80, 0x01,             /* 128 */
		0xac, 0x02,             /* 300 */
		0xff, 0xff, 0x03,       /* 65535 */
		0x01, 0, 0, 0, 0, 0, 0, 0,                  /* Int64 1 */
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* Int64 -1 */
		0x78, 0x56, 0x34, 0x12,                     /* Int32 0x12345678 */
		0x9a, 0x99, 0x99, 0x99, 0x99, 0x99, 0xb9, 0x3f, /* Float64 0.1 */
		0x02, 'h', 'i',          /* String "hi" */
		0x01,                    /* Nullable NULL */
		0x00, 0x00,              /* Nullable "" */
	};

	ct_ch_buf_varint(&b, 0);
	ct_ch_buf_varint(&b, 127);
	ct_ch_buf_varint(&b, 128);
	ct_ch_buf_varint(&b, 300);
	ct_ch_buf_varint(&b, 65535);
	ct_ch_buf_i64(&b, 1);
	ct_ch_buf_i64(&b, -1);
	ct_ch_buf_i32(&b, 0x12345678);
	ct_ch_buf_f64(&b, 0.1);
	ct_ch_buf_str(&b, "hi", 2);
	ct_ch_buf_nstr(&b, NULL, 0);
	ct_ch_buf_nstr(&b, "", 0);
	ck_assert_uint_eq(b.len, sizeof(want));
	ck_assert(memcmp(b.p, want, sizeof(want)) == 0);
	ct_ch_buf_release(&b);
}
END_TEST

START_TEST(test_tsv)
{
	char text[] = "a\tb\\tc\t\\N\n"          /* a | b<TAB>c | NULL */
		      "\\\\N\tx\\N\t\n"           /* \N (text) | xN | "" */
		      "\\n\\r\\b\\f\\0\\\\\\'\n"  /* one field of escapes */
		      "last";                      /* no final newline */
	char *p = text, *f[4];
	char *end = text + sizeof(text) - 1;

	ck_assert_uint_eq(ct_ch_tsv_row(&p, end, f, 4), 3);
	ck_assert_str_eq(f[0], "a");
	ck_assert_str_eq(f[1], "b\tc");
	ck_assert_ptr_null(f[2]);
	ck_assert_uint_eq(ct_ch_tsv_row(&p, end, f, 4), 3);
	ck_assert_str_eq(f[0], "\\N");
	ck_assert_str_eq(f[1], "xN");
	ck_assert_str_eq(f[2], "");
	ck_assert_uint_eq(ct_ch_tsv_row(&p, end, f, 4), 1);
	ck_assert(memcmp(f[0], "\n\r\b\f\0\\'", 7) == 0);
	ck_assert_uint_eq(ct_ch_tsv_row(&p, end, f, 4), 1);
	ck_assert_str_eq(f[0], "last");
	ck_assert_uint_eq(ct_ch_tsv_row(&p, end, f, 4), 0);
}
END_TEST

START_TEST(test_tsv_wide)
{
	/* more fields than room: the first ones are kept, the row is consumed */
	char text[] = "1\t2\t3\t4\t5\nnext\n";
	char *p = text, *f[2];
	char *end = text + sizeof(text) - 1;

	ck_assert_uint_eq(ct_ch_tsv_row(&p, end, f, 2), 2);
	ck_assert_str_eq(f[0], "1");
	ck_assert_str_eq(f[1], "2");
	ck_assert_uint_eq(ct_ch_tsv_row(&p, end, f, 2), 1);
	ck_assert_str_eq(f[0], "next");
}
END_TEST

static Suite *clickhouse_suite(void)
{
	Suite *s = suite_create("clickhouse");
	TCase *tc = tcase_create("url");

	tcase_add_loop_test(tc, test_url, 0, CT_NELEM(urls));
	tcase_add_test(tc, test_password_env);
	suite_add_tcase(s, tc);
	tc = tcase_create("formats");
	tcase_add_loop_test(tc, test_quote, 0, CT_NELEM(quotes));
	tcase_add_test(tc, test_rowbinary);
	tcase_add_test(tc, test_tsv);
	tcase_add_test(tc, test_tsv_wide);
	suite_add_tcase(s, tc);
	return s;
}

CT_TEST_MAIN(clickhouse_suite)
