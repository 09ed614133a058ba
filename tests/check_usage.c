/*
 * check_usage.c - unit tests of the usage file reader (src/usage.c): the
 * shared serverless usage file read by hand, the same data as JSON,
 * wildcards and type defaults, the YAML subset's accepted forms, and every
 * rejected form with its line.
 */
#include "ct.h"
#include "usage.h"
#include "testlib.h"

/* Load text written to a new file; NULL with err on failure. */
static struct ct_usage *load_text(const char *text, struct ct_err *err, char **path_out)
{
	char *dir = ct_test_tmpdir();
	char *path = ct_test_write(dir, "usage.yml", text);
	struct ct_usage *u;

	ct_err_init(err);
	u = ct_usage_load(path, err);
	if (path_out)
		*path_out = path;
	else
		free(path);
	free(dir);
	return u;
}

/* The number at (address, path), which must be there. */
static double num(const struct ct_usage *u, const char *address, const char *path)
{
	double v = -1;

	ck_assert_msg(ct_usage_get(u, address, path, &v), "no number for %s %s", address, path);
	return v;
}

static void ck_none(const struct ct_usage *u, const char *address, const char *path)
{
	double v = -1;

	ck_assert_msg(!ct_usage_get(u, address, path, &v), "unexpected number %g for %s %s", v,
		      address, path);
	ck_assert(v == -1); /* out untouched */
}

/* --- the shared serverless usage file ------------------------------------ */

START_TEST(test_serverless)
{
	char *path = ct_test_shared("terraform/serverless/usage.yml");
	struct ct_err err;
	struct ct_usage *u;

	ct_err_init(&err);
	u = ct_usage_load(path, &err);
	ck_assert_msg(u != NULL, "%s:%ld: %s", err.source, err.line, err.msg);
	ck_assert_str_eq(ct_usage_name(u), path);
	/* the values, read off the file by hand */
	ck_assert(num(u, "aws_lambda_function.api", "monthly_requests") == 50000000);
	ck_assert(num(u, "aws_lambda_function.api", "request_duration_ms") == 120);
	ck_assert(num(u, "aws_lambda_function.thumbnails", "monthly_requests") == 2000000);
	ck_assert(num(u, "aws_lambda_function.thumbnails", "request_duration_ms") == 900);
	ck_assert(num(u, "aws_dynamodb_table.sessions", "monthly_write_request_units") == 30000000);
	ck_assert(num(u, "aws_dynamodb_table.sessions", "monthly_read_request_units") == 120000000);
	ck_assert(num(u, "aws_dynamodb_table.sessions", "storage_gb") == 40);
	ck_assert(num(u, "aws_s3_bucket.uploads", "standard.storage_gb") == 12000);
	ck_assert(num(u, "aws_s3_bucket.uploads", "standard.monthly_tier_1_requests") == 4000000);
	ck_assert(num(u, "aws_s3_bucket.uploads", "standard.monthly_tier_2_requests") == 90000000);
	ck_assert(num(u, "aws_nat_gateway.egress", "monthly_data_processed_gb") == 1500);
	/* what the file does not give */
	ck_none(u, "aws_lambda_function.api", "monthly_gb");
	ck_none(u, "aws_s3_bucket.uploads", "standard"); /* a mapping */
	ck_none(u, "aws_s3_bucket.uploads", "storage_gb");
	ck_none(u, "aws_lambda_function.other", "monthly_requests");
	ck_none(u, "aws_lambda_function.ap", "monthly_requests");
	ck_none(u, "module.m.aws_lambda_function.api", "monthly_requests");
	ck_none(u, "resource_usage", "aws_lambda_function.api");
	ck_none(u, "version", "");
	ct_usage_free(u);
	ct_usage_free(NULL);
	ck_assert_ptr_null(ct_usage_name(NULL));
	ck_none(NULL, "aws_lambda_function.api", "monthly_requests");
	free(path);
}
END_TEST

/* --- JSON ---------------------------------------------------------------- */

static const char json_text[] = "\n  {\n"
				"  \"version\": 0.1,\n"
				"  \"resource_usage\": {\n"
				"    \"aws_lambda_function.api\": {\n"
				"      \"monthly_requests\": 50000000,\n"
				"      \"request_duration_ms\": 120.5\n"
				"    },\n"
				"    \"aws_s3_bucket.uploads\": {\n"
				"      \"standard\": {\"storage_gb\": 1.2e4, \"tier\": \"hot\"}\n"
				"    },\n"
				"    \"aws_instance.web[*]\": {\n"
				"      \"monthly_hrs\": 100, \"spot\": true, \"x\": null\n"
				"    }\n"
				"  },\n"
				"  \"resource_type_default_usage\": {\n"
				"    \"aws_nat_gateway\": {\"monthly_data_processed_gb\": 10}\n"
				"  }\n"
				"}\n";

START_TEST(test_json)
{
	struct ct_err err;
	struct ct_usage *u = load_text(json_text, &err, NULL);

	ck_assert_msg(u != NULL, "%s:%ld: %s", err.source, err.line, err.msg);
	ck_assert(num(u, "aws_lambda_function.api", "monthly_requests") == 50000000);
	ck_assert(num(u, "aws_lambda_function.api", "request_duration_ms") == 120.5);
	ck_assert(num(u, "aws_s3_bucket.uploads", "standard.storage_gb") == 12000);
	ck_none(u, "aws_s3_bucket.uploads", "standard.tier"); /* a string */
	ck_assert(num(u, "aws_instance.web[3]", "monthly_hrs") == 100);
	ck_none(u, "aws_instance.web[3]", "spot");
	ck_none(u, "aws_instance.web[3]", "x");
	ck_assert(num(u, "aws_nat_gateway.egress", "monthly_data_processed_gb") == 10);
	ct_usage_free(u);
}
END_TEST

/* The same data in YAML and JSON reads the same. */
START_TEST(test_json_same_as_yaml)
{
	static const char yaml[] = "version: \"0.1\"\n"
				   "resource_usage:\n"
				   "  aws_lambda_function.api:\n"
				   "    monthly_requests: 50000000\n"
				   "    request_duration_ms: 120.5\n"
				   "  aws_s3_bucket.uploads:\n"
				   "    standard:\n"
				   "      storage_gb: 1.2e4\n"
				   "      tier: hot\n"
				   "  aws_instance.web[*]:\n"
				   "    monthly_hrs: 100\n"
				   "    spot: true\n"
				   "    x: null\n"
				   "resource_type_default_usage:\n"
				   "  aws_nat_gateway:\n"
				   "    monthly_data_processed_gb: 10\n";
	static const char *const probes[][2] = {
		{"aws_lambda_function.api", "monthly_requests"},
		{"aws_lambda_function.api", "request_duration_ms"},
		{"aws_s3_bucket.uploads", "standard.storage_gb"},
		{"aws_s3_bucket.uploads", "standard.tier"},
		{"aws_s3_bucket.uploads", "standard"},
		{"aws_instance.web[0]", "monthly_hrs"},
		{"aws_instance.web[0]", "spot"},
		{"aws_instance.web[0]", "x"},
		{"aws_instance.web", "monthly_hrs"},
		{"aws_nat_gateway.a", "monthly_data_processed_gb"},
	};
	struct ct_err err;
	struct ct_usage *y = load_text(yaml, &err, NULL);
	struct ct_usage *j = load_text(json_text, &err, NULL);
	size_t i;

	ck_assert_ptr_nonnull(y);
	ck_assert_ptr_nonnull(j);
	for (i = 0; i < CT_NELEM(probes); i++) {
		double a = -1, b = -2;
		bool ha = ct_usage_get(y, probes[i][0], probes[i][1], &a);
		bool hb = ct_usage_get(j, probes[i][0], probes[i][1], &b);

		ck_assert_msg(ha == hb && (!ha || a == b), "%s %s differ", probes[i][0],
			      probes[i][1]);
	}
	ct_usage_free(y);
	ct_usage_free(j);
}
END_TEST

/* --- wildcards and type defaults ----------------------------------------- */

START_TEST(test_wildcards)
{
	static const char text[] = "resource_usage:\n"
				   "  aws_lambda_function.*:\n"
				   "    monthly_requests: 1000\n"
				   "    request_duration_ms: 10\n"
				   "  aws_lambda_function.api:\n"
				   "    monthly_requests: 5\n"
				   "  module.app[*].aws_instance.web[*]:\n"
				   "    monthly_hrs: 100\n"
				   "  module.app[\"x\"].aws_instance.web[0]:\n"
				   "    monthly_hrs: 200\n"
				   "  aws_instance.batch[*]:\n"
				   "    monthly_hrs: 300\n"
				   "  aws_instance.batch[1]:\n"
				   "    operating_system: windows\n"
				   "    monthly_hrs: ~\n"
				   "  aws_instance.batch[*]x:\n"
				   "    monthly_hrs: 1\n"
				   "resource_type_default_usage:\n"
				   "  aws_lambda_function:\n"
				   "    monthly_requests: 7\n"
				   "    request_duration_ms: 70\n"
				   "    memory_mb: 512\n"
				   "  aws_nat_gateway:\n"
				   "    monthly_data_processed_gb: 10\n";
	struct ct_err err;
	struct ct_usage *u = load_text(text, &err, NULL);

	ck_assert_msg(u != NULL, "%s:%ld: %s", err.source, err.line, err.msg);
	/* exact wins; other keys fall back per key: wildcard, then type */
	ck_assert(num(u, "aws_lambda_function.api", "monthly_requests") == 5);
	ck_assert(num(u, "aws_lambda_function.api", "request_duration_ms") == 10);
	ck_assert(num(u, "aws_lambda_function.api", "memory_mb") == 512);
	/* a final .* is any one last name, with or without an index */
	ck_assert(num(u, "aws_lambda_function.other", "monthly_requests") == 1000);
	ck_assert(num(u, "aws_lambda_function.other[\"k.1\"]", "monthly_requests") == 1000);
	ck_assert(num(u, "aws_lambda_function.other[2]", "request_duration_ms") == 10);
	/* patterns match whole addresses: not inside a module; the type
	 * default still applies there */
	ck_assert(num(u, "module.m.aws_lambda_function.api", "monthly_requests") == 7);
	ck_assert(num(u, "module.m.aws_lambda_function.api", "request_duration_ms") == 70);
	/* [*] is exactly one index, quoted keys with ']' included */
	ck_assert(num(u, "module.app[\"y\"].aws_instance.web[3]", "monthly_hrs") == 100);
	ck_assert(num(u, "module.app[\"a]b\"].aws_instance.web[0]", "monthly_hrs") == 100);
	ck_assert(num(u, "module.app[\"x\"].aws_instance.web[0]", "monthly_hrs") == 200);
	ck_none(u, "module.app.aws_instance.web[0]", "monthly_hrs");
	ck_none(u, "module.app[0].aws_instance.web", "monthly_hrs");
	ck_none(u, "module.app[0][1].aws_instance.web[0]", "monthly_hrs");
	ck_assert(num(u, "aws_instance.batch[0]", "monthly_hrs") == 300);
	ck_assert(num(u, "aws_instance.batch[\"k\"]", "monthly_hrs") == 300);
	ck_none(u, "aws_instance.batch", "monthly_hrs");
	/* an exact null or string decides: no fallback to the wildcard */
	ck_none(u, "aws_instance.batch[1]", "monthly_hrs");
	ck_none(u, "aws_instance.batch[1]", "operating_system");
	ck_assert(num(u, "aws_instance.batch[0]x", "monthly_hrs") == 1);
	/* type defaults, also in modules and for data sources */
	ck_assert(num(u, "aws_nat_gateway.egress", "monthly_data_processed_gb") == 10);
	ck_assert(num(u, "module.net[0].aws_nat_gateway.egress[\"a.b\"]",
		      "monthly_data_processed_gb") == 10);
	ck_none(u, "aws_nat_gateway", "monthly_data_processed_gb");
	ck_none(u, "aws_nat_gatewayx.a", "monthly_data_processed_gb");
	ct_usage_free(u);
}
END_TEST

/* --- what the YAML subset accepts ---------------------------------------- */

START_TEST(test_yaml_forms)
{
	static const char text[] = "\xEF\xBB\xBF# a usage file\r\n"
				   "---\r\n"
				   "version: 0.1   # Infracost's\r\n"
				   "\r\n"
				   "resource_usage:\r\n"
				   "    # four-space indentation, comments anywhere\r\n"
				   "    \"aws_instance.web[\\\"a\\\"]\":\r\n"
				   "        monthly_hrs: 1.5e2\r\n"
				   "  # a comment less indented\r\n"
				   "        vcpu_count: +4\r\n"
				   "    aws_instance.web[\"b\"]:\r\n"
				   "        monthly_hrs: .5\r\n"
				   "        cpu_credits: 2.\r\n"
				   "        quoted: \"50000000\"\r\n"
				   "        single: 'it''s'   \r\n"
				   "        os: linux # comment\r\n"
				   "        term: 1_year\r\n"
				   "        hash: a#b\r\n"
				   "        url: http://x\r\n"
				   "        empty:\r\n"
				   "        zero: 0\r\n"
				   "        neg_zero: -0.0\r\n"
				   "    'aws_instance.odd''s':\r\n"
				   "        monthly_hrs: 1E3\r\n"
				   "    \"aws_instance.u\\u00e9\" :   # a quoted key, blanks\r\n"
				   "        monthly_hrs: 3\r\n"
				   "resource_type_default_usage:\r\n";
	struct ct_err err;
	struct ct_usage *u;

	u = load_text(text, &err, NULL);
	ck_assert_msg(u != NULL, "%s:%ld: %s", err.source, err.line, err.msg);
	ck_assert(num(u, "aws_instance.web[\"a\"]", "monthly_hrs") == 150);
	ck_assert(num(u, "aws_instance.web[\"a\"]", "vcpu_count") == 4);
	ck_assert(num(u, "aws_instance.web[\"b\"]", "monthly_hrs") == 0.5);
	ck_assert(num(u, "aws_instance.web[\"b\"]", "cpu_credits") == 2);
	ck_assert(num(u, "aws_instance.web[\"b\"]", "zero") == 0);
	ck_assert(num(u, "aws_instance.web[\"b\"]", "neg_zero") == 0);
	ck_assert(num(u, "aws_instance.odd's", "monthly_hrs") == 1000);
	ck_assert(num(u, "aws_instance.u\xC3\xA9", "monthly_hrs") == 3);
	/* strings and nulls are not numbers */
	ck_none(u, "aws_instance.web[\"b\"]", "quoted");
	ck_none(u, "aws_instance.web[\"b\"]", "single");
	ck_none(u, "aws_instance.web[\"b\"]", "os");
	ck_none(u, "aws_instance.web[\"b\"]", "term");
	ck_none(u, "aws_instance.web[\"b\"]", "hash");
	ck_none(u, "aws_instance.web[\"b\"]", "url");
	ck_none(u, "aws_instance.web[\"b\"]", "empty");
	ct_usage_free(u);

	/* empty and comment-only files hold nothing */
	u = load_text("", &err, NULL);
	ck_assert_ptr_nonnull(u);
	ck_none(u, "aws_instance.web", "monthly_hrs");
	ct_usage_free(u);
	u = load_text("# nothing yet\n\n   # still nothing\n", &err, NULL);
	ck_assert_ptr_nonnull(u);
	ct_usage_free(u);
	u = load_text("resource_usage:\nversion: 0.1", &err, NULL);
	ck_assert_ptr_nonnull(u);
	ct_usage_free(u);
	u = load_text("{}", &err, NULL);
	ck_assert_ptr_nonnull(u);
	ct_usage_free(u);
}
END_TEST

/* --- errors -------------------------------------------------------------- */

#define RU "resource_usage:\n  aws_x.y:\n"

static const struct {
	const char *text;
	long line;
	const char *msg;
} bad_cases[] = {
	{"resource_usage:\n\taws_x.y:\n", 2, "tab"},
	{RU "    a:\t1\n", 3, "tab"},
	{"resource_usage:\n  aws_x.y: {a: 1}\n", 2, "flow style"},
	{RU "    a: [1, 2]\n", 3, "flow style"},
	{"[1, 2]\n", 1, "flow style"},
	{RU "    - a\n", 3, "lists"},
	{RU "    a:\n      - 1\n", 4, "lists"},
	{"resource_usage:\n  aws_x.y: &anchor\n", 2, "anchors"},
	{RU "    a: *ref\n", 3, "aliases"},
	{RU "    a: !!int 5\n", 3, "tags"},
	{RU "    a: |\n      text\n", 3, "block scalars"},
	{RU "    a: >\n", 3, "block scalars"},
	{RU "    ? a\n", 3, "complex keys"},
	{RU "    a: 1\n---\nresource_usage:\n", 4, "several YAML documents"},
	{"---\n---\n", 2, "several YAML documents"},
	{"--- x\n", 1, "content after '---'"},
	{RU "    a: 1\n...\n", 4, "document end"},
	{"%YAML 1.2\n---\n", 1, "directives"},
	{RU "    a: 1\n    a: 2\n", 4, "duplicate key 'a' (first on line 3)"},
	{RU "    a: 1\n  aws_x.y:\n    b: 2\n", 4, "duplicate key 'aws_x.y' (first on line 2)"},
	{"version: 0.1\nresource_usage:\nversion: 0.1\n", 3, "duplicate key 'version'"},
	{RU "    s:\n      a: 1\n    s:\n      b: 1\n", 5, "duplicate key 's'"},
	{RU "    a: 1\n   b: 2\n", 4, "indentation does not match"},
	{RU "    a: 1\n      b: 2\n", 4, "unexpected indentation"},
	{RU "    a: one\n      two\n", 4, "unexpected indentation"},
	{RU "    a: 50_000_000\n", 3, "without '_' or ','"},
	{RU "    a: 1,000\n", 3, "without '_' or ','"},
	{RU "    a: 0x10\n", 3, "hexadecimal"},
	{RU "    a: 0o17\n", 3, "hexadecimal, octal"},
	{RU "    a: 0750\n", 3, "leading zero"},
	{RU "    a: .inf\n", 3, "finite"},
	{RU "    a: -.Inf\n", 3, "finite"},
	{RU "    a: .NaN\n", 3, "finite"},
	{RU "    a: -5\n", 3, "must not be negative"},
	{RU "    a: 1e999\n", 3, "out of range"},
	{"resource_usages:\n  aws_x.y:\n", 1, "unknown top-level key 'resource_usages'"},
	{"aws_x.y:\n  a: 1\n", 1, "unknown top-level key 'aws_x.y'"},
	{"resource_usage:\naws_x.y:\n  a: 1\n", 2, "unknown top-level key"},
	{"version: 0.2\n", 1, "unsupported usage file version"},
	{"version:\n  a: 1\n", 1, "unsupported usage file version"},
	{"resource_usage: 5\n", 1, "must be a mapping"},
	{"resource_usage:\n  aws_x.y: 5\n", 2, "must be a mapping of usage keys"},
	{"resource_usage:\n  aws_*.y:\n    a: 1\n", 2, "unsupported wildcard"},
	{"resource_usage:\n  aws_x.y*:\n    a: 1\n", 2, "unsupported wildcard"},
	{"resource_usage:\n  aws_x.y[*:\n    a: 1\n", 2, "unsupported wildcard"},
	{"resource_usage:\n  \"\":\n    a: 1\n", 2, "empty resource address"},
	{RU "    a.b: 1\n", 3, "must not contain '.'"},
	{RU "    \"\": 1\n", 3, "empty usage key"},
	{RU "    : 1\n", 3, "empty key"},
	{RU "    a: \"unterminated\n", 3, "unterminated"},
	{RU "    a: 'unterminated\n", 3, "unterminated"},
	{RU "    a: \"bad \\q\"\n", 3, "unknown escape"},
	{RU "    a: \"\\u00\"\n", 3, "escape"},
	{RU "    a: \"\\ud800\"\n", 3, "not a Unicode character"},
	{RU "    a: \"\\u0000\"\n", 3, "not a Unicode character"},
	{RU "    a: \"x\" y\n", 3, "unexpected text after the quoted value"},
	{RU "    a: \"x\"# y\n", 3, "unexpected text after the quoted value"},
	{RU "    \"a\" b: 1\n", 3, "expected ':' after the quoted key"},
	{RU "    a: b: c\n", 3, "': ' inside a plain value"},
	{"resource_usage:\n  aws_x.y\n", 2, "expected 'key: value'"},
	{RU "    a:1\n", 3, "expected 'key: value'"},
	{RU "    a # b: 1\n", 3, "expected 'key: value'"},
	{RU "    a: 1\x01\n", 3, "control character"},
	{RU "    a: 1\r2\n", 3, "control character"},
	{RU "    a: \xff\n", 3, "invalid UTF-8"},
	{RU "    a: \xC0\xAF\n", 3, "invalid UTF-8"},
	{RU "    a: \xED\xA0\x80\n", 3, "invalid UTF-8"},
	{RU "    a: \xE2\x82\n", 3, "invalid UTF-8"},
	{"resource_type_default_usage:\n  aws_x.y:\n    a: 1\n", 2, "not a resource type"},
	{"resource_usage:\n  a:\n   b:\n    c:\n     d:\n      e:\n       f:\n"
	 "        g:\n         h:\n          i:\n           j:\n            k:\n"
	 "             l:\n              m:\n               n:\n"
	 "                o:\n                 p:\n                  q: 1\n",
	 17, "deeper than 16"},
	{RU "    a: @x\n", 3, "cannot start with"},
	/* JSON */
	{"{\n  \"resource_usage\": {\n    \"aws_x.y\": {\"a\": 1, \"a\": 2}\n"
	 "  }\n}\n",
	 3, "duplicate object key"},
	{"{ bad json\n", 1, "invalid JSON"},
	{"{\n  \"resource_usage\": {\"aws_x.y\": {\"a\": 1}}\n} trailing\n", 3, "invalid JSON"},
	{"{\"resource_usage\": [1]}", 0, "'resource_usage': lists are not supported"},
	{"{\"resource_usage\": {\"aws_x.y\": {\"s\": {\"a\": [1]}}}}", 0,
	 "'resource_usage.aws_x.y.s.a': lists are not supported"},
	{"{\"x\": 1}", 0, "unknown top-level key 'x'"},
	{"{\"resource_usage\": {\"aws_x.y\": {\"a\": -1}}}", 0,
	 "'resource_usage.aws_x.y.a' must not be negative"},
	{"{\"resource_usage\": {\"aws_x.y\": 3}}", 0, "must be a mapping of usage keys"},
	{"{\"version\": \"1\"}", 0, "unsupported usage file version"},
	{"{\"resource_usage\": {\"aws_*\": {}}}", 0, "unsupported wildcard"},
};

START_TEST(test_bad)
{
	struct ct_err err;
	char *path = NULL;
	struct ct_usage *u = load_text(bad_cases[_i].text, &err, &path);

	ck_assert_msg(u == NULL, "case %d loaded: %s", _i, bad_cases[_i].text);
	ck_assert_int_eq(err.code, CT_E_INPUT);
	ck_assert_str_eq(err.source, path);
	ck_assert_msg(err.line == bad_cases[_i].line, "case %d: line %ld, want %ld (%s)", _i,
		      err.line, bad_cases[_i].line, err.msg);
	ck_assert_msg(strstr(err.msg, bad_cases[_i].msg) != NULL, "case %d: \"%s\" lacks \"%s\"",
		      _i, err.msg, bad_cases[_i].msg);
	free(path);
}
END_TEST

/* Bytes strlen() cannot carry, and files that are not files. */
START_TEST(test_bad_files)
{
	static const char nul[] = "resource_usage:\n  aws_x.y:\n    a: 1\0\n";
	char *dir = ct_test_tmpdir();
	char *path = ct_xasprintf("%s/nul.yml", dir);
	struct ct_err err;
	FILE *f;
	char *big;
	size_t n = (16u << 20) + 1, i;

	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(nul, 1, sizeof(nul) - 1, f), sizeof(nul) - 1);
	fclose(f);
	ct_err_init(&err);
	ck_assert_ptr_null(ct_usage_load(path, &err));
	ck_assert_int_eq(err.code, CT_E_INPUT);
	ck_assert_int_eq(err.line, 3);
	ck_assert_ptr_nonnull(strstr(err.msg, "NUL byte"));
	free(path);

	/* JSON with a NUL: Jansson says where */
	path = ct_xasprintf("%s/nul.json", dir);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fwrite("{\"a\": \0}", 1, 8, f);
	fclose(f);
	ct_err_init(&err);
	ck_assert_ptr_null(ct_usage_load(path, &err));
	ck_assert_int_eq(err.code, CT_E_INPUT);
	ck_assert_int_eq(err.line, 1);
	free(path);

	/* too big: a comment of 16 MiB */
	path = ct_xasprintf("%s/big.yml", dir);
	big = ct_xmalloc(n + 1);
	big[0] = '#';
	for (i = 1; i < n; i++)
		big[i] = 'x';
	big[n] = '\0';
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(big, 1, n, f), n);
	fclose(f);
	free(big);
	ct_err_init(&err);
	ck_assert_ptr_null(ct_usage_load(path, &err));
	ck_assert_int_eq(err.code, CT_E_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "larger than 16 MiB"));
	free(path);

	/* missing, and a folder */
	path = ct_xasprintf("%s/missing.yml", dir);
	ct_err_init(&err);
	ck_assert_ptr_null(ct_usage_load(path, &err));
	ck_assert_int_eq(err.code, CT_E_IO);
	ck_assert_str_eq(err.source, path);
	free(path);
	ct_err_init(&err);
	ck_assert_ptr_null(ct_usage_load(dir, &err));
	ck_assert_int_eq(err.code, CT_E_IO);
	free(dir);
}
END_TEST

static Suite *usage_suite(void)
{
	Suite *s = suite_create("usage");
	TCase *tc;

	tc = tcase_create("read");
	tcase_add_test(tc, test_serverless);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_json_same_as_yaml);
	tcase_add_test(tc, test_wildcards);
	tcase_add_test(tc, test_yaml_forms);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_loop_test(tc, test_bad, 0, CT_NELEM(bad_cases));
	tcase_add_test(tc, test_bad_files);
	suite_add_tcase(s, tc);
	return s;
}

CT_TEST_MAIN(usage_suite)
