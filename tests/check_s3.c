/*
 * check_s3.c - unit tests for src/s3.c: s3:// URLs, the ListObjectsV2
 * answer (entities, paging, malformed answers) and where credentials and
 * the region come from. No network: the listing and fetch against a
 * server are tested by tests/cli/sources.sh.
 */
#include "ct.h"
#include "s3.h"
#include "testlib.h"

#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

static const char page1[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
	"<Name>b</Name><Prefix>r/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>"
	"<Contents><Key>r/a&amp;b &lt;1&gt;.csv</Key><ETag>&quot;abc&quot;</ETag>"
	"<Size>123</Size><Owner><ID>x</ID></Owner></Contents>"
	"<Contents><Key>r/caf&#233;&#x2F;x.csv.gz</Key><ETag>\"d-2\"</ETag><Size>0</Size>"
	"</Contents><IsTruncated>true</IsTruncated>"
	"<NextContinuationToken>tok&amp;1==</NextContinuationToken></ListBucketResult>";

START_TEST(test_parse_listing)
{
	struct ct_s3_listing l = {0};
	struct ct_err err;
	const char *last = "<ListBucketResult><Contents><Key>z.json</Key><Size>7</Size>"
			   "</Contents><KeyCount>1</KeyCount><IsTruncated>false</IsTruncated>"
			   "</ListBucketResult>";

	ct_err_init(&err);
	ck_assert_int_eq(ct_s3_parse_listing(page1, strlen(page1), "s3://b/r/", &l, &err), CT_OK);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(l.v[0].key, "r/a&b <1>.csv");
	ck_assert_str_eq(l.v[0].etag, "\"abc\"");
	ck_assert_uint_eq(l.v[0].size, 123);
	ck_assert_str_eq(l.v[1].key, "r/caf\xc3\xa9/x.csv.gz");
	ck_assert_str_eq(l.v[1].etag, "\"d-2\"");
	ck_assert(l.truncated);
	ck_assert_str_eq(l.next, "tok&1==");
	/* the next page appends */
	ck_assert_int_eq(ct_s3_parse_listing(last, strlen(last), "s3://b/r/", &l, &err), CT_OK);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_str_eq(l.v[2].key, "z.json");
	ck_assert_str_eq(l.v[2].etag, "");
	ck_assert_uint_eq(l.v[2].size, 7);
	ck_assert(!l.truncated);
	ck_assert_ptr_null(l.next);
	ct_s3_listing_release(&l);
	ct_s3_listing_release(NULL);
}
END_TEST

static int parse_bad(const char *xml)
{
	struct ct_s3_listing l = {0};
	struct ct_err err;
	int rc;

	ct_err_init(&err);
	rc = ct_s3_parse_listing(xml, strlen(xml), "s3://b/", &l, &err);
	if (rc != CT_OK)
		ck_assert_str_eq(err.source, "s3://b/");
	ct_s3_listing_release(&l);
	return rc;
}

START_TEST(test_parse_listing_bad)
{
	char *big;
	size_t n;

	ck_assert_int_eq(parse_bad(""), CT_E_NET);
	ck_assert_int_eq(parse_bad("<Error><Code>AccessDenied</Code></Error>"), CT_E_NET);
	ck_assert_int_eq(parse_bad("<ListBucketResult><Contents><Key>a"), CT_E_NET);
	ck_assert_int_eq(parse_bad("<ListBucketResult><Contents><Size>1</Size></Contents>"
				   "</ListBucketResult>"),
			 CT_E_NET);
	ck_assert_int_eq(parse_bad("<ListBucketResult><Contents><Key>a&bogus;</Key></Contents>"
				   "</ListBucketResult>"),
			 CT_E_NET);
	ck_assert_int_eq(parse_bad("<ListBucketResult><Contents><Key>a&#0;b</Key></Contents>"
				   "</ListBucketResult>"),
			 CT_E_NET);
	ck_assert_int_eq(parse_bad("<ListBucketResult><Contents><Key>a&#x110000;</Key>"
				   "</Contents></ListBucketResult>"),
			 CT_E_NET);
	ck_assert_int_eq(parse_bad("<ListBucketResult><Contents><Key>a&#1</Key></Contents>"
				   "</ListBucketResult>"),
			 CT_E_NET);
	ck_assert_int_eq(parse_bad("<ListBucketResult><Contents><Key>a\nb</Key></Contents>"
				   "</ListBucketResult>"),
			 CT_E_NET);
	/* truncated without a token would loop forever */
	ck_assert_int_eq(parse_bad("<ListBucketResult><IsTruncated>true</IsTruncated>"
				   "</ListBucketResult>"),
			 CT_E_NET);
	/* a key over S3's 1024 bytes */
	n = CT_S3_KEY_MAX + 1;
	big = ct_xmalloc(n + 100);
	memcpy(big, "<ListBucketResult><Contents><Key>", 33);
	memset(big + 33, 'k', n);
	snprintf(big + 33 + n, 100, "%s", "</Key></Contents></ListBucketResult>");
	ck_assert_int_eq(parse_bad(big), CT_E_NET);
	free(big);
	/* an empty listing is fine */
	ck_assert_int_eq(parse_bad("<ListBucketResult><KeyCount>0</KeyCount>"
				   "<IsTruncated>false</IsTruncated></ListBucketResult>"),
			 CT_OK);
}
END_TEST

START_TEST(test_parse_url)
{
	char *b, *p;
	struct ct_err err;

	ct_err_init(&err);
	ck_assert_int_eq(ct_s3_parse_url("s3://bkt/a/b/", &b, &p, &err), CT_OK);
	ck_assert_str_eq(b, "bkt");
	ck_assert_str_eq(p, "a/b/");
	free(b);
	free(p);
	ck_assert_int_eq(ct_s3_parse_url("s3://my.bucket", &b, &p, &err), CT_OK);
	ck_assert_str_eq(b, "my.bucket");
	ck_assert_str_eq(p, "");
	free(b);
	free(p);
	ck_assert_int_eq(ct_s3_parse_url("s3://", &b, &p, &err), CT_E_USAGE);
	ck_assert_ptr_null(b);
	ck_assert_int_eq(ct_s3_parse_url("s3:///key", &b, &p, &err), CT_E_USAGE);
	ck_assert_int_eq(ct_s3_parse_url("s3://a b/k", &b, &p, &err), CT_E_USAGE);
	ck_assert_int_eq(ct_s3_parse_url("s3://u:pw@host/k", &b, &p, &err), CT_E_USAGE);
	ck_assert_int_eq(ct_s3_parse_url("http://b/k", &b, &p, &err), CT_E_USAGE);
}
END_TEST

static void clear_env(void)
{
	static const char *const vars[] = {"AWS_ACCESS_KEY_ID",
					   "AWS_SECRET_ACCESS_KEY",
					   "AWS_SESSION_TOKEN",
					   "AWS_PROFILE",
					   "AWS_REGION",
					   "AWS_DEFAULT_REGION",
					   "AWS_SHARED_CREDENTIALS_FILE",
					   "AWS_CONFIG_FILE"};

	for (size_t i = 0; i < CT_NELEM(vars); i++)
		unsetenv(vars[i]);
}

START_TEST(test_creds)
{
	char *dir = ct_test_tmpdir(), *cred, *conf, *aws;
	struct ct_s3_creds c;
	struct ct_err err;

	ct_err_init(&err);
	clear_env();
	setenv("HOME", dir, 1);
	/* nothing anywhere: a usage error that names no secret */
	ck_assert_int_eq(ct_s3_creds_load(&c, &err), CT_E_USAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "AWS_ACCESS_KEY_ID"));
	ck_assert_ptr_null(c.access_key);

	/* the environment */
	setenv("AWS_ACCESS_KEY_ID", "AKENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "skenv", 1);
	setenv("AWS_SESSION_TOKEN", "", 1);
	ck_assert_int_eq(ct_s3_creds_load(&c, &err), CT_OK);
	ck_assert_str_eq(c.access_key, "AKENV");
	ck_assert_str_eq(c.secret_key, "skenv");
	ck_assert_ptr_null(c.session_token);
	ck_assert_str_eq(c.region, "us-east-1");
	ct_s3_creds_release(&c);
	setenv("AWS_DEFAULT_REGION", "eu-north-1", 1);
	ck_assert_int_eq(ct_s3_creds_load(&c, &err), CT_OK);
	ck_assert_str_eq(c.region, "eu-north-1");
	ct_s3_creds_release(&c);
	setenv("AWS_REGION", "ap-east-1", 1);
	ck_assert_int_eq(ct_s3_creds_load(&c, &err), CT_OK);
	ck_assert_str_eq(c.region, "ap-east-1");
	ct_s3_creds_release(&c);

	/* a profile of the credentials file, the region of ~/.aws/config */
	clear_env();
	cred = ct_test_write(dir, "creds",
			     "; comment\n[default]\naws_access_key_id=AKDEF\n"
			     "aws_secret_access_key = skdef\n\n[ team ]\n"
			     "  aws_access_key_id = AKTEAM  \r\n"
			     "aws_secret_access_key = sk/team=\n"
			     "aws_session_token = tok\n");
	aws = ct_xasprintf("%s/.aws", dir);
	ck_assert(mkdir(aws, 0700) == 0 || errno == EEXIST);
	free(aws);
	conf = ct_test_write(dir, ".aws/config",
			     "[default]\nregion = us-west-2\n"
			     "[profile team]\nregion = eu-west-1\n");
	setenv("AWS_SHARED_CREDENTIALS_FILE", cred, 1);
	ck_assert_int_eq(ct_s3_creds_load(&c, &err), CT_OK);
	ck_assert_str_eq(c.access_key, "AKDEF");
	ck_assert_str_eq(c.region, "us-west-2");
	ct_s3_creds_release(&c);
	setenv("AWS_PROFILE", "team", 1);
	ck_assert_int_eq(ct_s3_creds_load(&c, &err), CT_OK);
	ck_assert_str_eq(c.access_key, "AKTEAM");
	ck_assert_str_eq(c.secret_key, "sk/team=");
	ck_assert_str_eq(c.session_token, "tok");
	ck_assert_str_eq(c.region, "eu-west-1");
	ct_s3_creds_release(&c);
	ck_assert_ptr_null(c.secret_key);
	setenv("AWS_PROFILE", "nobody", 1);
	ck_assert_int_eq(ct_s3_creds_load(&c, &err), CT_E_USAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "'nobody'"));
	ck_assert_ptr_null(strstr(err.msg, "sk/team"));
	clear_env();
	free(cred);
	free(conf);
	free(dir);
}
END_TEST

static Suite *s3_suite(void)
{
	Suite *s = suite_create("s3");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_parse_listing);
	tcase_add_test(tc, test_parse_listing_bad);
	tcase_add_test(tc, test_parse_url);
	tcase_add_test(tc, test_creds);
	suite_add_tcase(s, tc);
	return s;
}

CT_TEST_MAIN(s3_suite)
