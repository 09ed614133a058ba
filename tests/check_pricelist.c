/*
 * check_pricelist.c - AWS price-list CSV and Spot Advisor rows into the
 * store: the real trimmed offer files under ../shared/data/external read
 * through the loader, their rows compared with values read off the files
 * by eye; the replace-or-roll-back rule; the exact decimal arithmetic.
 * No network: the HTTP walk is tested end to end by
 * tests/cli/pricing_update.sh against tests/tools/fake_aws.py.
 */
#include "ct.h"
#include "pricelist.h"
#include "http.h"
#include "store.h"
#include "testlib.h"

#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#define EC2_2025 "data/external/jtdelia__ec2-priceit/examples/3-global-pricing-file-sample.csv"
#define EC2_2020 "data/external/cycloidio__terracost/e2e/testdata/AmazonEC2_eu-west-3.csv"
#define SP_2025 "data/external/jtdelia__ec2-priceit/examples/5-ap-east-2-savingsplan-pricing.csv"
#define SPOT_FEED "data/external/alexei-led__spotinfo/internal/spot/data/spot-advisor-data.json"

static struct ct_store *new_store(void)
{
	char *dir = ct_test_tmpdir();
	char *path = ct_xasprintf("%s/p.db", dir);
	struct ct_err err;
	struct ct_store *st;

	ct_err_init(&err);
	st = ct_store_open(path, CT_STORE_CREATE, &err);
	ck_assert_msg(st != NULL, "%s", err.msg);
	free(path);
	free(dir);
	return st;
}

/* All rows of a query as "a|b\nc|d" (NULL as ""), like the sqlite3 CLI. */
static char *q(struct ct_store *st, const char *sql)
{
	struct ct_err err;
	struct ct_stmt *s;
	char *out = ct_xstrdup("");
	int rc;

	ct_err_init(&err);
	s = ct_store_prepare(st, sql, &err);
	ck_assert_msg(s != NULL, "%s", err.msg);
	while ((rc = ct_stmt_step(s, &err)) == 1) {
		for (int i = 0; i < ct_stmt_columns(s); i++) {
			const char *t = ct_stmt_text(s, i);
			char *n = ct_xasprintf("%s%s%s", out, i ? "|" : (*out ? "\n" : ""),
					       t ? t : "");
			free(out);
			out = n;
		}
	}
	ck_assert_msg(rc == 0, "%s", err.msg);
	ct_stmt_finalize(s);
	return out;
}

#define ck_q(st, sql, want)                                                                        \
	do {                                                                                       \
		char *got_ = q((st), (sql));                                                       \
		ck_assert_str_eq(got_, (want));                                                    \
		free(got_);                                                                        \
	} while (0)

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = ct_xmalloc((size_t)n + 1);
	ck_assert_int_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

/* Replace every "from" in text with "to" (new string). */
static char *replace_all(const char *text, const char *from, const char *to)
{
	size_t nf = strlen(from), nt = strlen(to), n = 0, cap = strlen(text) + 1;
	char *out = ct_xmalloc(cap);
	const char *p = text, *hit;

	while ((hit = strstr(p, from))) {
		size_t pre = (size_t)(hit - p);

		while (n + pre + nt + 1 > cap)
			out = ct_xrealloc(out, cap *= 2);
		memcpy(out + n, p, pre);
		memcpy(out + n + pre, to, nt);
		n += pre + nt;
		p = hit + nf;
	}
	while (n + strlen(p) + 1 > cap)
		out = ct_xrealloc(out, cap *= 2);
	memcpy(out + n, p, strlen(p) + 1);
	return out;
}

static int load(struct ct_store *st, const char *path, const char *offer, const char *region,
		struct ct_pricelist_stats *stats, struct ct_err *err)
{
	ct_err_init(err);
	return ct_pricelist_load_csv(st, path, offer, region, NULL, stats, err);
}

#define EC2K(region, product, variant)                                                             \
	"FROM price WHERE service='ec2' AND region='" region "' AND product='" product             \
	"' AND variant='" variant "'"

/* The 2025 sample as published: almost every row is a capacity
 * reservation, SQL Server, BYOL or a $0 Dedicated Host row, none of which
 * is a list price. What is left is the RHEL c7i.metal-24xl in the New York
 * Local Zone at $6.92717/h. */
START_TEST(test_ec2_2025_as_published)
{
	struct ct_store *st = new_store();
	char *path = ct_test_shared(EC2_2025);
	struct ct_pricelist_stats stats;
	struct ct_err err;

	ct_pricelist_stats_init(&stats);
	ck_assert_int_eq(load(st, path, "AmazonEC2", "us-east-1-nyc-1", &stats, &err), CT_OK);
	ck_q(st, "SELECT product, variant, term, unit, price, upfront IS NULL, as_of FROM price",
	     "c7i.metal-24xl|rhel/dedicated|ondemand|hour|6.92717|1|2025-09-12");
	ck_assert_int_eq(stats.read, 44);
	ck_assert_int_eq(stats.skipped, 43);
	ck_assert_int_eq(stats.duplicates, 0);
	ck_assert_uint_eq(stats.n, 2);
	ck_assert_str_eq(stats.entry[0].service, "ec2");
	ck_assert_int_eq(stats.entry[0].rows, 1);
	ck_assert_str_eq(stats.entry[0].publication, "2025-09-12T22:53:08Z");
	ck_assert_str_eq(stats.entry[1].service, "ebs");
	ck_assert_int_eq(stats.entry[1].rows, 0);
	ck_q(st, "SELECT service, region, publication, rows FROM price_update ORDER BY id",
	     "ec2|us-east-1-nyc-1|2025-09-12T22:53:08Z|1\n"
	     "ebs|us-east-1-nyc-1|2025-09-12T22:53:08Z|0");

	/* us-west-2: c6g.4xlarge Linux on a Dedicated Host at $0.00 is the
	 * host's business, not a free instance. */
	ck_assert_int_eq(load(st, path, "AmazonEC2", "us-west-2", &stats, &err), CT_OK);
	ck_q(st, "SELECT count(*) FROM price WHERE region = 'us-west-2'", "0");
	/* ap-northeast-1: only Windows with SQL Server Web. */
	ck_assert_int_eq(load(st, path, "AmazonEC2", "ap-northeast-1", &stats, &err), CT_OK);
	ck_q(st, "SELECT count(*) FROM price WHERE region = 'ap-northeast-1'", "0");
	ct_pricelist_stats_release(&stats);
	ck_assert_uint_eq(stats.n, 0);
	free(path);
	ct_store_close(st);
}
END_TEST

/* The same real rows with "Pre Installed S/W" set to NA: the Tokyo
 * c6i.large Windows/Dedicated SKU 2223B6PCG6QAUYY6 with its OnDemand term
 * and all twelve Reserved terms, upfront fees joined to their hourly rows
 * whatever order they come in. */
START_TEST(test_ec2_2025_reserved)
{
	struct ct_store *st = new_store();
	char *path = ct_test_shared(EC2_2025);
	char *dir = ct_test_tmpdir();
	char *text = slurp(path, NULL);
	char *t1 = replace_all(text, "\"SQL Web\"", "\"NA\"");
	char *t2 = replace_all(t1, "\"SQL Std\"", "\"NA\"");
	char *mod = ct_test_write(dir, "ec2-na.csv", t2);
	struct ct_err err;

	ck_assert_int_eq(load(st, mod, "AmazonEC2", "ap-northeast-1", NULL, &err), CT_OK);
	ck_q(st, "SELECT count(*) " EC2K("ap-northeast-1", "c6i.large", "windows/dedicated"), "13");
	ck_q(st,
	     "SELECT price, upfront IS NULL " EC2K("ap-northeast-1", "c6i.large",
						   "windows/dedicated") " AND term = 'ondemand'",
	     "0.2773|1");
	ck_q(st,
	     "SELECT offering, years, payment, price, coalesce(upfront, '-') " EC2K(
		     "ap-northeast-1", "c6i.large",
		     "windows/dedicated") " AND term = 'reserved' ORDER BY offering, years, "
					  "payment",
	     "convertible|1|all|0|2129\n"
	     "convertible|1|no|0.24895|-\n"
	     "convertible|1|partial|0.12235|1072\n"
	     "convertible|3|all|0|5655\n"
	     "convertible|3|no|0.22087|-\n"
	     "convertible|3|partial|0.10817|2843\n"
	     "standard|1|all|0|2033\n"
	     "standard|1|no|0.23722|-\n"
	     "standard|1|partial|0.11676|1023\n"
	     "standard|3|all|0|5421\n"
	     "standard|3|no|0.21324|-\n"
	     "standard|3|partial|0.10463|2750");

	/* Canada: m6id.2xlarge Windows/Shared. The trimmed sample stops after
	 * the 1yr Partial Upfront hourly row, so that term has no fee and is
	 * dropped: without its fee it would look cheaper than it is. */
	ck_assert_int_eq(load(st, mod, "AmazonEC2", "ca-central-1", NULL, &err), CT_OK);
	ck_q(st,
	     "SELECT offering, years, payment, price, coalesce(upfront, '-') " EC2K(
		     "ca-central-1", "m6id.2xlarge",
		     "windows/shared") " ORDER BY offering, years, payment",
	     "convertible|1|no|1.71777|-\n"
	     "convertible|1|partial|0.8496|7443\n"
	     "standard|1|all|0|14359\n"
	     "standard|1|no|1.6614|-\n"
	     "standard|3|no|1.55661|-\n"
	     "standard|3|partial|0.76984|20231");
	free(text);
	free(t1);
	free(t2);
	free(mod);
	free(dir);
	free(path);
	ct_store_close(st);
}
END_TEST

/* A fee whose hourly row is missing is not a price. */
START_TEST(test_fee_without_rate)
{
	struct ct_store *st = new_store();
	char *path = ct_test_shared(EC2_2025);
	char *dir = ct_test_tmpdir();
	char *text = slurp(path, NULL);
	char *t1 = replace_all(text, "\"SQL Web\"", "\"NA\"");
	/* hide the hourly row of 1yr All Upfront standard (6QCMYABX3D) */
	char *t2 = replace_all(t1, "\"2223B6PCG6QAUYY6.6QCMYABX3D.6YS6EN2CT7\",\"Reserved\"",
			       "\"2223B6PCG6QAUYY6.6QCMYABX3D.6YS6EN2CT7\",\"Spot\"");
	char *mod = ct_test_write(dir, "ec2-nofee.csv", t2);
	struct ct_pricelist_stats stats;
	struct ct_err err;

	ct_pricelist_stats_init(&stats);
	ck_assert_int_eq(load(st, mod, "AmazonEC2", "ap-northeast-1", &stats, &err), CT_OK);
	ck_q(st,
	     "SELECT count(*) " EC2K("ap-northeast-1", "c6i.large",
				     "windows/dedicated") " AND years = 1 AND payment = 'all' AND "
							  "offering = 'standard'",
	     "0");
	ck_q(st, "SELECT count(*) FROM price WHERE price = ''", "0");
	ck_q(st, "SELECT count(*) FROM price", "12");
	ct_pricelist_stats_release(&stats);
	free(text);
	free(t1);
	free(t2);
	free(mod);
	free(dir);
	free(path);
	ct_store_close(st);
}
END_TEST

/* The 2020 eu-west-3 file: 83 columns in another order, no Region Code or
 * MarketOption, five EBS rows. */
START_TEST(test_ebs_2020)
{
	struct ct_store *st = new_store();
	char *path = ct_test_shared(EC2_2020);
	struct ct_pricelist_stats stats;
	struct ct_err err;

	ct_pricelist_stats_init(&stats);
	ck_assert_int_eq(load(st, path, "AmazonEC2", "eu-west-3", &stats, &err), CT_OK);
	ck_q(st,
	     "SELECT service, product, variant, term, unit, tier_start, tier_end IS NULL, price, "
	     "as_of"
	     " FROM price ORDER BY product, variant",
	     "ebs|gp2|storage|ondemand|GB-month|0.0|1|0.116|2020-10-19\n"
	     "ebs|io1|iops|ondemand|IOPS-month|0.0|1|0.076|2020-10-19\n"
	     "ebs|io1|storage|ondemand|GB-month|0.0|1|0.145|2020-10-19\n"
	     "ebs|st1|storage|ondemand|GB-month|0.0|1|0.053|2020-10-19\n"
	     "ebs|standard|io|ondemand|request|0.0|1|0.000000058|2020-10-19");
	ck_q(st, "SELECT DISTINCT source FROM price", path);
	ck_assert_int_eq(stats.read, 5);
	ck_assert_int_eq(stats.skipped, 0);
	ck_assert_int_eq(stats.entry[1].rows, 5);
	ct_pricelist_stats_release(&stats);
	free(path);
	ct_store_close(st);
}
END_TEST

/* Savings Plans: EC2 Instance SP rates for BoxUsage / DedicatedUsage of a
 * known OS; unused-reservation and host rates left out. */
START_TEST(test_savings_plans)
{
	struct ct_store *st = new_store();
	char *path = ct_test_shared(SP_2025);
	struct ct_pricelist_stats stats;
	struct ct_err err;

	ct_pricelist_stats_init(&stats);
	ck_assert_int_eq(load(st, path, "AWSComputeSavingsPlan", "ap-east-2", &stats, &err), CT_OK);
	ck_q(st, "SELECT count(*), min(as_of), max(as_of) FROM price WHERE term = 'savingsplan'",
	     "22|2025-09-11|2025-09-11");
	ck_q(st,
	     "SELECT offering, years, payment, unit, price, upfront IS NULL"
	     " FROM price WHERE product = 'r7g.medium' AND variant = 'rhel/dedicated'",
	     "ec2instance|3|partial|hour|0.0425|1");
	ck_q(st,
	     "SELECT price FROM price WHERE product = 'r7g.12xlarge' AND variant = 'linux/shared'",
	     "1.1721");
	ck_q(st,
	     "SELECT price FROM price WHERE product = 'r7g.large' AND variant = "
	     "'rhel-ha/dedicated'",
	     "0.12");
	/* APE2-UnusedDed:r7g.metal RunInstances 1.5628 must not be linux/dedicated */
	ck_q(st,
	     "SELECT count(*) FROM price WHERE product = 'r7g.metal' AND variant = "
	     "'linux/dedicated'",
	     "0");
	ck_q(st, "SELECT count(*) FROM price WHERE product = 'r7g'", "0");
	ck_assert_int_eq(stats.read, 44);
	ck_assert_int_eq(stats.skipped, 22);
	ck_assert_str_eq(stats.entry[0].offer, "AWSComputeSavingsPlan");

	/* another region's file: DiscountedRegionCode says ap-east-2 */
	ck_assert_int_eq(load(st, path, "AWSComputeSavingsPlan", "us-east-1", &stats, &err), CT_OK);
	ck_q(st, "SELECT count(*) FROM price WHERE region = 'us-east-1'", "0");
	/* and Savings Plans rows leave on-demand rows alone */
	ck_assert_int_eq(
		ct_store_exec(
			st,
			"INSERT INTO price (service, region, product, variant, term,"
			" unit, price, source, as_of) VALUES ('ec2', 'ap-east-2', 'r7g.large',"
			" 'linux/shared', 'ondemand', 'hour', '0.1', 'x', '2025-01-01')",
			&err),
		CT_OK);
	ck_assert_int_eq(load(st, path, "AWSComputeSavingsPlan", "ap-east-2", &stats, &err), CT_OK);
	ck_q(st, "SELECT count(*) FROM price WHERE region = 'ap-east-2'", "23");
	ct_pricelist_stats_release(&stats);
	free(path);
	ct_store_close(st);
}
END_TEST

/* A failed load leaves the previous rows and update records as they were,
 * and says where the problem is. */
START_TEST(test_failure_keeps_prices)
{
	struct ct_store *st = new_store();
	char *path = ct_test_shared(EC2_2020);
	char *dir = ct_test_tmpdir();
	char *text = slurp(path, NULL);
	char *nocol = replace_all(text, "\"Volume API Name\"", "\"Volume Name\"");
	char *badq = replace_all(text, "\"0.1160000000\"", "\"0.116\"x");
	char *badp = replace_all(text, "\"0.1160000000\"", "\"0,116\"");
	char *shortrow = replace_all(text, ",\"gp2\"", "");
	char *f_nocol = ct_test_write(dir, "nocol.csv", nocol);
	char *f_badq = ct_test_write(dir, "badq.csv", badq);
	char *f_badp = ct_test_write(dir, "badp.csv", badp);
	char *f_short = ct_test_write(dir, "short.csv", shortrow);
	char *f_html = ct_test_write(dir, "html.csv",
				     "<!DOCTYPE html>\n<html><body>Error</body></html>\n");
	char *f_json = ct_test_write(dir, "json.csv", "{\"message\": \"Forbidden\"}\n");
	char *f_empty = ct_test_write(dir, "empty.csv", "");
	char *f_meta = ct_test_write(
		dir, "meta.csv",
		"\"FormatVersion\",\"v1.0\"\n\"Publication Date\",\"2020-10-19T20:48:02Z\"\n");
	char *before;
	struct ct_err err;

	ck_assert_int_eq(load(st, path, "AmazonEC2", "eu-west-3", NULL, &err), CT_OK);
	before = q(st, "SELECT * FROM price ORDER BY product, variant");
	ck_assert_int_eq(load(st, f_nocol, "AmazonEC2", "eu-west-3", NULL, &err), CT_E_INPUT);
	ck_assert_str_eq(err.msg, "missing column \"Volume API Name\"");
	ck_assert_int_eq(err.line, 6);
	ck_assert_str_eq(err.source, f_nocol);

	ck_assert_int_eq(load(st, f_badq, "AmazonEC2", "eu-west-3", NULL, &err), CT_E_INPUT);
	ck_assert_int_eq(err.line, 9);
	ck_assert_int_eq(load(st, f_badp, "AmazonEC2", "eu-west-3", NULL, &err), CT_E_INPUT);
	ck_assert_int_eq(err.line, 9);
	ck_assert_str_eq(err.msg, "price is not a decimal number \"0,116\"");
	ck_assert_int_eq(load(st, f_short, "AmazonEC2", "eu-west-3", NULL, &err), CT_E_INPUT);
	ck_assert_str_eq(err.msg, "row has 82 fields, the header has 83");
	ck_assert_int_eq(load(st, f_html, "AmazonEC2", "eu-west-3", NULL, &err), CT_E_INPUT);
	ck_assert_str_eq(err.msg, "got HTML where a price-list CSV was expected");
	ck_assert_int_eq(load(st, f_json, "AmazonEC2", "eu-west-3", NULL, &err), CT_E_INPUT);
	ck_assert_str_eq(err.msg, "got JSON where a price-list CSV was expected");
	ck_assert_int_eq(load(st, f_empty, "AmazonEC2", "eu-west-3", NULL, &err), CT_E_INPUT);
	ck_assert_int_eq(load(st, f_meta, "AmazonEC2", "eu-west-3", NULL, &err), CT_E_INPUT);
	ck_assert_msg(strstr(err.msg, "no header row") != NULL, "%s", err.msg);
	/* the offer code row must match the offer */
	ck_assert_int_eq(load(st, path, "AmazonRDS", "eu-west-3", NULL, &err), CT_E_INPUT);
	ck_assert_str_eq(err.msg, "offer code is \"AmazonEC2\", expected \"AmazonRDS\"");
	ck_assert_int_eq(load(st, path, "AmazonS3", "eu-west-3", NULL, &err), CT_E_USAGE);

	ck_q(st, "SELECT * FROM price ORDER BY product, variant", before);
	ck_q(st, "SELECT count(*) FROM price_update", "2");

	/* a gzip copy reads the same */
	{
		char *gz = ct_xasprintf("%s/ec2.csv.gz", dir);
		char *cmd = ct_xasprintf("gzip -c '%s' > '%s'", path, gz);

		ck_assert_int_eq(system(cmd), 0);
		ck_assert_int_eq(load(st, gz, "AmazonEC2", "eu-west-3", NULL, &err), CT_OK);
		ck_q(st,
		     "SELECT service, region, product, variant, price FROM price ORDER BY product, "
		     "variant",
		     "ebs|eu-west-3|gp2|storage|0.116\n"
		     "ebs|eu-west-3|io1|iops|0.076\n"
		     "ebs|eu-west-3|io1|storage|0.145\n"
		     "ebs|eu-west-3|st1|storage|0.053\n"
		     "ebs|eu-west-3|standard|io|0.000000058");
		free(cmd);
		free(gz);
	}
	free(before);
	free(text);
	free(nocol);
	free(badq);
	free(badp);
	free(shortrow);
	free(f_nocol);
	free(f_badq);
	free(f_badp);
	free(f_short);
	free(f_html);
	free(f_json);
	free(f_empty);
	free(f_meta);
	free(dir);
	free(path);
	ct_store_close(st);
}
END_TEST

/* Only the columns a mapping uses are needed, in any order. The rows are
 * written for this test from AWS's published us-east-1 prices (gp3 $0.08
 * per GB-month, $0.005 per IOPS-month, $0.04 per MiBps-month = $40.96 per
 * GiBps-month; io2 IOPS $0.065 / $0.0455 / $0.03185 by tier). */
START_TEST(test_minimal_columns_and_units)
{
	struct ct_store *st = new_store();
	char *dir = ct_test_tmpdir();
	char *f = ct_test_write(
		dir, "min.csv",
		"FormatVersion,v1.0\n"
		"Publication Date,2025-09-12T22:53:08Z\n"
		"OfferCode,AmazonEC2\n"
		"SKU,usageType,Unit,PricePerUnit,Currency,TermType,Volume API Name,"
		"StartingRange,EndingRange,Product Family,LeaseContractLength,PurchaseOption,"
		"OfferingClass,Instance Type,Tenancy,Operating System,License Model,"
		"Pre Installed S/W,CapacityStatus\n"
		"A,EBS:VolumeUsage.gp3,GB-Mo,0.0800000000,USD,OnDemand,gp3,0,Inf,Storage,,,,,,,,,\n"
		"B,EBS:VolumeP-IOPS.gp3,IOPS-Mo,0.0050000000,USD,OnDemand,gp3,0,Inf,System "
		"Operation,,,,,,,,,\n"
		"C,EBS:VolumeP-Throughput.gp3,GiBps-mo,40.9600000000,USD,OnDemand,gp3,0,Inf,"
		"Provisioned Throughput,,,,,,,,,\n"
		"D,EBS:VolumeP-IOPS.io2,IOPS-Mo,0.0650000000,USD,OnDemand,io2,0,Inf,System "
		"Operation,,,,,,,,,\n"
		"E,EBS:VolumeP-IOPS.io2.tier2,IOPS-Mo,0.0455000000,USD,OnDemand,io2,0,Inf,System "
		"Operation,,,,,,,,,\n"
		"F,EBS:VolumeP-IOPS.io2.tier3,IOPS-Mo,0.0318500000,USD,OnDemand,io2,0,Inf,System "
		"Operation,,,,,,,,,\n"
		"G,EBS:SnapshotUsage,GB-Mo,0.0500000000,USD,OnDemand,,0,Inf,Storage "
		"Snapshot,,,,,,,,,\n"
		"H,EBS:VolumeUsage.gp3,GB-Mo,0.0800000000,CNY,OnDemand,gp3,0,Inf,Storage,,,,,,,,,\n"
		"I,BoxUsage:m5.large,Hrs,0.0960000000,USD,OnDemand,,0,Inf,Compute "
		"Instance,,,,m5.large,Shared,Linux,No License required,NA,Used\n"
		"J,BoxUsage:m5.large,Hrs,0.1880000000,USD,OnDemand,,0,Inf,Compute "
		"Instance,,,,m5.large,Shared,Windows,License Included,NA,Used\n"
		"K,BoxUsage:m5.large,Hrs,0.0960000000,USD,OnDemand,,0,Inf,Compute "
		"Instance,,,,m5.large,Shared,Linux,Bring your own license,NA,Used\n"
		"L,BoxUsage:m5.large,Hrs,0.0970000000,USD,OnDemand,,0,Inf,Compute "
		"Instance,,,,m5.large,Shared,Linux,No License required,NA,Used\n");
	struct ct_pricelist_stats stats;
	struct ct_err err;

	ct_pricelist_stats_init(&stats);
	ck_assert_int_eq(load(st, f, "AmazonEC2", "us-east-1", &stats, &err), CT_OK);
	ck_q(st,
	     "SELECT service, product, variant, unit, tier_start, coalesce(tier_end, '-'), price"
	     " FROM price ORDER BY service, product, variant, tier_start",
	     "ebs|gp3|iops|IOPS-month|0.0|-|0.005\n"
	     "ebs|gp3|storage|GB-month|0.0|-|0.08\n"
	     "ebs|gp3|throughput|MiBps-month|0.0|-|0.04\n"
	     "ebs|io2|iops|IOPS-month|0.0|32000.0|0.065\n"
	     "ebs|io2|iops|IOPS-month|32000.0|64000.0|0.0455\n"
	     "ebs|io2|iops|IOPS-month|64000.0|-|0.03185\n"
	     "ebs|snapshot|storage|GB-month|0.0|-|0.05\n"
	     "ec2|m5.large|linux/shared|hour|0.0|-|0.096\n"
	     "ec2|m5.large|windows/shared|hour|0.0|-|0.188");
	/* H: CNY, K: BYOL skipped; L: same key as I, the first is kept */
	ck_assert_int_eq(stats.skipped, 2);
	ck_assert_int_eq(stats.duplicates, 1);
	ct_pricelist_stats_release(&stats);
	free(f);
	free(dir);
	ct_store_close(st);
}
END_TEST

/* RDS by header name. No real RDS offer file is in the shared data, so
 * these rows are written for the test with the 2026 RDS column names and
 * the research figures (A2.1): db.t3.micro PostgreSQL $0.018 Single-AZ,
 * $0.036 Multi-AZ, MySQL $0.017; gp2 storage $0.115 / $0.23 per GB-month. */
START_TEST(test_rds_minimal)
{
	struct ct_store *st = new_store();
	char *dir = ct_test_tmpdir();
	char *f = ct_test_write(
		dir, "rds.csv",
		"\"FormatVersion\",\"v1.0\"\n"
		"\"Publication Date\",\"2026-04-28T17:07:46Z\"\n"
		"\"OfferCode\",\"AmazonRDS\"\n"
		"SKU,TermType,Unit,PricePerUnit,Currency,StartingRange,EndingRange,"
		"LeaseContractLength,PurchaseOption,OfferingClass,Product Family,"
		"Location Type,Instance Type,Volume Type,Database Engine,License Model,"
		"Deployment Option,usageType,Region Code\n"
		"A,OnDemand,Hrs,0.0180000000,USD,0,Inf,,,,Database Instance,AWS "
		"Region,db.t3.micro,,"
		"PostgreSQL,No license required,Single-AZ,InstanceUsage:db.t3.micro,us-east-1\n"
		"B,OnDemand,Hrs,0.0360000000,USD,0,Inf,,,,Database Instance,AWS "
		"Region,db.t3.micro,,"
		"PostgreSQL,No license required,Multi-AZ,Multi-AZUsage:db.t3.micro,us-east-1\n"
		"C,OnDemand,Hrs,0.0170000000,USD,0,Inf,,,,Database Instance,AWS "
		"Region,db.t3.micro,,"
		"MySQL,No license required,Single-AZ,InstanceUsage:db.t3.micro,us-east-1\n"
		"D,OnDemand,Hrs,0.0300000000,USD,0,Inf,,,,Database Instance,AWS "
		"Region,db.t3.micro,,"
		"SQL Server,License included,Single-AZ,InstanceUsage:db.t3.micro,us-east-1\n"
		"E,OnDemand,Hrs,0.0230000000,USD,0,Inf,,,,Database Instance,AWS "
		"Region,db.t3.micro,,"
		"Aurora PostgreSQL,No license "
		"required,Single-AZ,InstanceUsageIOOptimized:db.t3.micro,us-east-1\n"
		"F,OnDemand,GB-Mo,0.1150000000,USD,0,Inf,,,,Database Storage,AWS Region,,General "
		"Purpose,"
		"PostgreSQL,,Single-AZ,RDS:GP2-Storage,us-east-1\n"
		"G,OnDemand,GB-Mo,0.2300000000,USD,0,Inf,,,,Database Storage,AWS Region,,General "
		"Purpose,"
		"PostgreSQL,,Multi-AZ,RDS:Multi-AZ-GP2-Storage,us-east-1\n"
		"H,OnDemand,Hrs,0.0180000000,USD,0,Inf,,,,Database Instance,AWS "
		"Outposts,db.t3.micro,,"
		"PostgreSQL,No license required,Single-AZ,InstanceUsage:db.t3.micro,us-east-1\n"
		"I,Reserved,Quantity,96,USD,,,1yr,All Upfront,standard,Database Instance,AWS "
		"Region,db.t3.micro,,"
		"PostgreSQL,No license required,Single-AZ,InstanceUsage:db.t3.micro,us-east-1\n"
		"I,Reserved,Hrs,0.0000000000,USD,0,Inf,1yr,All Upfront,standard,Database "
		"Instance,AWS Region,db.t3.micro,,"
		"PostgreSQL,No license required,Single-AZ,InstanceUsage:db.t3.micro,us-east-1\n");
	struct ct_pricelist_stats stats;
	struct ct_err err;

	ct_pricelist_stats_init(&stats);
	ck_assert_int_eq(load(st, f, "AmazonRDS", "us-east-1", &stats, &err), CT_OK);
	ck_q(st,
	     "SELECT service, product, variant, term, unit, price, coalesce(upfront, '-')"
	     " FROM price ORDER BY product, variant, term",
	     "rds|db.t3.micro|mysql/single-az|ondemand|hour|0.017|-\n"
	     "rds|db.t3.micro|postgres/multi-az|ondemand|hour|0.036|-\n"
	     "rds|db.t3.micro|postgres/single-az|ondemand|hour|0.018|-\n"
	     "rds|db.t3.micro|postgres/single-az|reserved|hour|0|96\n"
	     "rds|gp2|storage/multi-az|ondemand|GB-month|0.23|-\n"
	     "rds|gp2|storage/single-az|ondemand|GB-month|0.115|-");
	ck_assert_int_eq(stats.skipped, 3); /* SQL Server, I/O-Optimized, Outposts */
	ck_assert_uint_eq(stats.n, 1);
	ck_assert_str_eq(stats.entry[0].service, "rds");
	ck_assert_int_eq(stats.entry[0].rows, 6);
	ct_pricelist_stats_release(&stats);
	free(f);
	free(dir);
	ct_store_close(st);
}
END_TEST

/* Spot = on-demand in the store x (1 - s/100), exactly; note = band. */
START_TEST(test_spot)
{
	struct ct_store *st = new_store();
	char *path = ct_test_shared(SPOT_FEED);
	size_t len;
	char *json = slurp(path, &len);
	struct ct_pricelist_stats stats;
	struct ct_err err;

	ct_err_init(&err);
	ct_pricelist_stats_init(&stats);
	setenv("CLOUDTALLY_NOW", "2026-11-15T12:00:00Z", 1);
	/* no on-demand prices yet: no spot rows */
	ck_assert_int_eq(ct_pricelist_load_spot(st, json, len, "us-east-1", "feed", &stats, &err),
			 CT_OK);
	ck_q(st, "SELECT count(*) FROM price", "0");
	ck_assert_int_eq(ct_store_exec(st,
				       "INSERT INTO price (service, region, product, variant, "
				       "term, unit, price, source, as_of) VALUES"
				       " ('ec2', 'us-east-1', 'm5.large', 'linux/shared', "
				       "'ondemand', 'hour', '0.096', 'x', '2026-07-20'),"
				       " ('ec2', 'us-east-1', 'm5.large', 'windows/shared', "
				       "'ondemand', 'hour', '0.188', 'x', '2026-07-20'),"
				       " ('ec2', 'us-east-1', 't3.micro', 'linux/shared', "
				       "'ondemand', 'hour', '0.0104', 'x', '2026-07-20'),"
				       " ('ec2', 'us-east-1', 'x9.nosuch', 'linux/shared', "
				       "'ondemand', 'hour', '1', 'x', '2026-07-20'),"
				       " ('ec2', 'us-east-1', 'm5.large', 'linux/dedicated', "
				       "'ondemand', 'hour', '0.1', 'x', '2026-07-20')",
				       &err),
			 CT_OK);
	ck_assert_int_eq(ct_pricelist_load_spot(st, json, len, "us-east-1", "feed", &stats, &err),
			 CT_OK);
	/* m5.large Linux s=66 r=3, Windows s=46 r=4; t3.micro s=69 r=0 */
	ck_q(st,
	     "SELECT product, variant, price, note, as_of, source FROM price WHERE term = 'spot'"
	     " ORDER BY product, variant",
	     "m5.large|linux/shared|0.03264|15-20%|2026-11-15|feed\n"
	     "m5.large|windows/shared|0.10152|>20%|2026-11-15|feed\n"
	     "t3.micro|linux/shared|0.003224|<5%|2026-11-15|feed");
	/* again: replaced, not added */
	ck_assert_int_eq(ct_pricelist_load_spot(st, json, len, "us-east-1", "feed", &stats, &err),
			 CT_OK);
	ck_q(st, "SELECT count(*) FROM price WHERE term = 'spot'", "3");
	ck_assert_int_eq(stats.entry[stats.n - 1].rows, 3);
	/* a region the feed does not cover */
	ck_assert_int_eq(ct_pricelist_load_spot(st, json, len, "eu-mars-1", "feed", &stats, &err),
			 CT_OK);
	/* not a feed */
	ck_assert_int_eq(
		ct_pricelist_load_spot(st, "{\"a\": 1}", 8, "us-east-1", "feed", &stats, &err),
		CT_E_INPUT);
	ck_assert_int_eq(ct_pricelist_load_spot(st, "<html>", 6, "us-east-1", "feed", &stats, &err),
			 CT_E_INPUT);
	ck_assert_str_eq(err.msg, "got HTML where JSON was expected");
	ck_assert_int_eq(ct_pricelist_load_spot(st, "{\"spot_advisor\":", 16, "us-east-1", "feed",
						&stats, &err),
			 CT_E_INPUT);
	ck_assert_str_eq(err.source, "feed");
	ck_q(st, "SELECT count(*) FROM price WHERE term = 'spot'", "3");
	unsetenv("CLOUDTALLY_NOW");
	ct_pricelist_stats_release(&stats);
	free(json);
	free(path);
	ct_store_close(st);
}
END_TEST

START_TEST(test_update_usage_errors)
{
	struct ct_store *st = new_store();
	const char *bad_service[] = {"AmazonFoo"};
	const char *bad_region[] = {"us east 1"};
	struct ct_pricelist_opts o = {0};
	struct ct_err err;

	ct_err_init(&err);
	o.services = bad_service;
	o.nservices = 1;
	ck_assert_int_eq(ct_pricelist_update(st, &o, NULL, &err), CT_E_USAGE);
	ck_assert_msg(strstr(err.msg, "AmazonFoo") != NULL, "%s", err.msg);
	o.nservices = 0;
	o.regions = bad_region;
	o.nregions = 1;
	ck_assert_int_eq(ct_pricelist_update(st, &o, NULL, &err), CT_E_USAGE);
	o.nregions = 0;
	o.source = "ftp://example.com";
	ck_assert_int_eq(ct_pricelist_update(st, &o, NULL, &err), CT_E_USAGE);
	ct_store_close(st);
}
END_TEST

START_TEST(test_http_redact)
{
	char out[128];

	ct_http_redact("https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/index.json", out,
		       sizeof(out));
	ck_assert_str_eq(out, "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/index.json");
	ct_http_redact("https://user:secret@host:8443/a/b?X-Amz-Signature=abc#frag", out,
		       sizeof(out));
	ck_assert_str_eq(out, "https://***@host:8443/a/b?...");
	ct_http_redact("http://h/p#x", out, sizeof(out));
	ck_assert_str_eq(out, "http://h/p");
	ct_http_redact("https://a@b", out, 10);
	ck_assert_str_eq(out, "https://*");
	/* a password with a raw '#' or '?' is still hidden whole */
	ct_http_redact("https://user:pa#ss@host/x", out, sizeof(out));
	ck_assert_str_eq(out, "https://***@host/x");
	ct_http_redact("smtp://me:p?w@mail:587", out, sizeof(out));
	ck_assert_str_eq(out, "smtp://***@mail:587");
	/* an '@' in a query after the path is not user information */
	ct_http_redact("https://host/p?mail=a@b", out, sizeof(out));
	ck_assert_str_eq(out, "https://host/p?...");
}
END_TEST

/* ---- the HTTP client against tests/tools/fake_aws.py ------------------ */

static pid_t srv_pid = -1;
static char srv_base[64];

/* Start the fake host once, in the runner process (unchecked fixture). */
static void srv_start(void)
{
	const char *src = getenv("CT_SRCDIR");
	char *script = ct_xasprintf("%s/tests/tools/fake_aws.py", src && *src ? src : ".");
	char *root = ct_test_shared("data/external");
	char line[32] = "";
	int fds[2];
	FILE *f;

	if (access(script, R_OK) != 0 || access(root, R_OK) != 0 || pipe(fds) != 0)
		goto out;
	srv_pid = fork();
	if (srv_pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execlp("python3", "python3", script, "--root", root, "--stall", "5", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	if (srv_pid < 0 || !f || !fgets(line, sizeof(line), f) || !line[0]) {
		if (srv_pid > 0)
			kill(srv_pid, SIGTERM);
		srv_pid = -1;
	} else {
		line[strcspn(line, "\r\n")] = '\0';
		snprintf(srv_base, sizeof(srv_base), "http://127.0.0.1:%s", line);
	}
	if (f)
		fclose(f);
	else
		close(fds[0]);
out:
	free(script);
	free(root);
}

static void srv_stop(void)
{
	if (srv_pid > 0) {
		kill(srv_pid, SIGTERM);
		waitpid(srv_pid, NULL, 0);
		srv_pid = -1;
	}
}

#define NEED_SERVER()                                                                              \
	do {                                                                                       \
		if (srv_pid < 0) {                                                                 \
			/* under CI a missing server is a failure, not a skip */                   \
			ck_assert_msg(!getenv("CI"), "fake_aws.py could not be started");          \
			fprintf(stderr, "# fake_aws.py not started (python3 "                      \
					"or shared data missing): skipped\n");                     \
			return;                                                                    \
		}                                                                                  \
	} while (0)

static double now_s(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

START_TEST(test_http_get)
{
	char *url, *body = NULL, *want;
	size_t len = 0, wlen;
	struct ct_http_opts o = {0};
	struct ct_err err;
	char *path = ct_test_shared(
		"data/external/jtdelia__ec2-priceit/examples/1-global-service-index.json");

	NEED_SERVER();
	ct_err_init(&err);
	want = slurp(path, &wlen);
	url = ct_xasprintf("%s/offers/v1.0/aws/index.json", srv_base);
	ck_assert_int_eq(ct_http_get(url, NULL, &body, &len, &err), CT_OK);
	ck_assert_uint_eq(len, wlen);
	ck_assert_int_eq(memcmp(body, want, len), 0);
	ck_assert_int_eq(body[len], '\0');
	free(body);
	/* transfer-encoded gzip is decoded */
	free(url);
	url = ct_xasprintf("%s/offers/v1.0/aws/index.json?fault=gzip", srv_base);
	ck_assert_int_eq(ct_http_get(url, NULL, &body, &len, &err), CT_OK);
	ck_assert_uint_eq(len, wlen);
	free(body);
	/* the size cap */
	o.max_body = 1000;
	ck_assert_int_eq(ct_http_get(url, &o, &body, &len, &err), CT_E_NET);
	ck_assert_ptr_null(body);
	ck_assert_str_eq(err.msg, "response is larger than the limit of 1000 bytes");
	ck_assert_msg(strstr(err.source, "/offers/v1.0/aws/index.json?...") != NULL, "%s",
		      err.source);
	free(url);
	free(want);
	free(path);
}
END_TEST

START_TEST(test_http_errors)
{
	char *url, *body = NULL;
	size_t len;
	struct ct_err err;
	double t0;

	NEED_SERVER();
	ct_err_init(&err);
	setenv("CLOUDTALLY_HTTP_BACKOFF_MS", "10", 1);
	setenv("CLOUDTALLY_HTTP_RETRIES", "1", 1);
	url = ct_xasprintf("%s/no/such/file.json", srv_base);
	ck_assert_int_eq(ct_http_get(url, NULL, &body, &len, &err), CT_E_NET);
	ck_assert_str_eq(err.msg, "server answered HTTP 404");
	ck_assert_str_eq(err.source, url);
	free(url);
	url = ct_xasprintf("%s/spot-advisor-data.json?fault=500", srv_base);
	ck_assert_int_eq(ct_http_get(url, NULL, &body, &len, &err), CT_E_NET);
	ck_assert_str_eq(err.msg, "server answered HTTP 500 (gave up after 2 attempts)");
	free(url);
	/* 429 with Retry-After: 1 waits a second although the backoff is 10 ms */
	url = ct_xasprintf("%s/spot-advisor-data.json?fault=429", srv_base);
	t0 = now_s();
	ck_assert_int_eq(ct_http_get(url, NULL, &body, &len, &err), CT_E_NET);
	ck_assert_msg(now_s() - t0 >= 0.9, "Retry-After not honoured");
	ck_assert_str_eq(err.msg, "server answered HTTP 429 (gave up after 2 attempts)");
	free(url);
	url = ct_xasprintf("%s/spot-advisor-data.json?fault=truncate", srv_base);
	ck_assert_int_eq(ct_http_get(url, NULL, &body, &len, &err), CT_E_NET);
	ck_assert_msg(strstr(err.msg, "body truncated") != NULL, "%s", err.msg);
	free(url);
	setenv("CLOUDTALLY_HTTP_RETRIES", "0", 1);
	ck_assert_int_eq(ct_http_get("http://127.0.0.1:1/x", NULL, &body, &len, &err), CT_E_NET);
	ck_assert_str_eq(err.source, "http://127.0.0.1:1/x");
	ck_assert_int_eq(ct_http_get("ftp://127.0.0.1/x", NULL, &body, &len, &err), CT_E_NET);
	ck_assert_ptr_null(body);
	unsetenv("CLOUDTALLY_HTTP_RETRIES");
	unsetenv("CLOUDTALLY_HTTP_BACKOFF_MS");
}
END_TEST

START_TEST(test_http_download)
{
	char *dir = ct_test_tmpdir();
	char *url, *path = NULL, *got, *want;
	char *src = ct_test_shared(EC2_2020);
	size_t glen, wlen;
	struct ct_err err;
	char *cmd;

	NEED_SERVER();
	ct_err_init(&err);
	setenv("TMPDIR", dir, 1);
	want = slurp(src, &wlen);
	url = ct_xasprintf(
		"%s/offers/v1.0/aws/AmazonEC2/20201019204802/eu-west-3/index.csv?fault=gzip",
		srv_base);
	ck_assert_int_eq(ct_http_download(url, NULL, &path, &err), CT_OK);
	ck_assert_msg(strncmp(path, dir, strlen(dir)) == 0, "%s", path);
	got = slurp(path, &glen);
	ck_assert_uint_eq(glen, wlen);
	ck_assert_int_eq(memcmp(got, want, wlen), 0);
	unlink(path);
	free(path);
	free(got);
	free(url);
	/* a failed download leaves no file behind */
	setenv("CLOUDTALLY_HTTP_BACKOFF_MS", "10", 1);
	url = ct_xasprintf(
		"%s/offers/v1.0/aws/AmazonEC2/20201019204802/eu-west-3/index.csv?fault=reset",
		srv_base);
	ck_assert_int_eq(ct_http_download(url, NULL, &path, &err), CT_E_NET);
	ck_assert_ptr_null(path);
	cmd = ct_xasprintf("test -z \"$(ls -A '%s')\"", dir);
	ck_assert_int_eq(system(cmd), 0);
	unsetenv("CLOUDTALLY_HTTP_BACKOFF_MS");
	unsetenv("TMPDIR");
	free(cmd);
	free(url);
	free(want);
	free(src);
	free(dir);
}
END_TEST

static Suite *pricelist_suite(void)
{
	Suite *s = suite_create("pricelist");
	TCase *tc = tcase_create("core");
	TCase *th = tcase_create("http");

	tcase_add_test(tc, test_ec2_2025_as_published);
	tcase_add_test(tc, test_ec2_2025_reserved);
	tcase_add_test(tc, test_fee_without_rate);
	tcase_add_test(tc, test_ebs_2020);
	tcase_add_test(tc, test_savings_plans);
	tcase_add_test(tc, test_failure_keeps_prices);
	tcase_add_test(tc, test_minimal_columns_and_units);
	tcase_add_test(tc, test_rds_minimal);
	tcase_add_test(tc, test_spot);
	tcase_add_test(tc, test_update_usage_errors);
	tcase_add_test(tc, test_http_redact);
	suite_add_tcase(s, tc);
	tcase_add_unchecked_fixture(th, srv_start, srv_stop);
	tcase_set_timeout(th, 60);
	tcase_add_test(th, test_http_get);
	tcase_add_test(th, test_http_errors);
	tcase_add_test(th, test_http_download);
	suite_add_tcase(s, th);
	return s;
}

CT_TEST_MAIN(pricelist_suite)
