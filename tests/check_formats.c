/*
 * check_formats.c - the provider billing readers (cur.c, azure.c, gcp.c,
 * oci.c), the tag reader/writer (tags.c) and the delivery layouts
 * (manifest.c). Every file is written here; every expected figure is
 * added up by hand from its text, in the comment next to it.
 */
#include "ct.h"
#include "ingest.h"
#include "manifest.h"
#include "store.h"
#include "tags.h"
#include "testlib.h"

#include <sys/stat.h>
#include <zlib.h>

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

/* The text of the one row of sql (new string). */
static char *qs(const char *sql)
{
	struct ct_err err;
	struct ct_stmt *q = ct_store_prepare(st, sql, &err);
	char *v;

	ck_assert_msg(q != NULL, "%s", err.msg);
	ck_assert_int_eq(ct_stmt_step(q, &err), 1);
	v = ct_xstrdup(ct_stmt_text(q, 0) ? ct_stmt_text(q, 0) : "(null)");
	ct_stmt_finalize(q);
	return v;
}

#define ck_text(sql, want)                                                     \
	do {                                                                   \
		char *got_ = qs(sql);                                          \
		ck_assert_str_eq(got_, want);                                  \
		free(got_);                                                    \
	} while (0)

/* Ingest files (name, text pairs) in one run, optionally forcing a
 * format. @return the status. */
static int run_fmt(const char *const *files, size_t n, const char *format,
		   struct ct_err *err)
{
	struct ct_ingest *ing = ct_ingest_begin(st, err);
	int rc = CT_OK;

	ck_assert_ptr_nonnull(ing);
	for (size_t i = 0; i + 1 < n * 2 && rc == CT_OK; i += 2) {
		char *path = ct_test_write(dir, files[i], files[i + 1]);
		rc = ct_ingest_file(ing, path, format, err);
		free(path);
	}
	if (rc != CT_OK) {
		if (getenv("CT_TEST_DEBUG"))
			fprintf(stderr, "%s:%ld: %s\n", err->source, err->line, err->msg);
		ct_ingest_abort(ing);
		return rc;
	}
	return ct_ingest_commit(ing, NULL, err);
}

static int run1(const char *name, const char *text, struct ct_err *err)
{
	const char *f[2] = {name, text};

	return run_fmt(f, 1, NULL, err);
}

/* "category|pricing|billed|effective|status" of every line, in order. */
#define LINES_SQL                                                              \
	"SELECT group_concat(x, ';') FROM (SELECT coalesce(charge_category, '-') " \
	"|| '|' || coalesce(pricing_category, '-') || '|' || billed_cost || '|' " \
	"|| effective_cost || '|' || coalesce(commitment_discount_status, '-') AS x " \
	"FROM focus_line ORDER BY line_id)"

/* ---- AWS CUR ------------------------------------------------------------ */

#define CUR_HDR                                                                \
	"bill/PayerAccountId,bill/BillingPeriodStartDate,lineItem/UsageAccountId," \
	"lineItem/LineItemType,lineItem/UsageStartDate,lineItem/UsageEndDate,"  \
	"lineItem/ProductCode,lineItem/UsageType,lineItem/CurrencyCode,"        \
	"lineItem/UnblendedCost,product/ProductName,reservation/ReservationARN," \
	"reservation/EffectiveCost,"                                            \
	"reservation/UnusedAmortizedUpfrontFeeForBillingPeriod,"               \
	"reservation/UnusedRecurringFee,savingsPlan/SavingsPlanARN,"            \
	"savingsPlan/SavingsPlanEffectiveCost,savingsPlan/TotalCommitmentToDate," \
	"savingsPlan/UsedCommitment,resourceTags/user:Owner\n"
#define CUR_P "111,2024-03-01T00:00:00Z,222,"
#define CUR_T "2024-03-02T00:00:00Z,2024-03-02T01:00:00Z"

static const char cur_types[] = CUR_HDR
	CUR_P "Usage," CUR_T ",AmazonEC2,BoxUsage:m5.large,USD,1.10,Amazon Elastic Compute Cloud,,,,,,,,,web\n"
	CUR_P "Usage," CUR_T ",AmazonEC2,SpotUsage:c5.large,USD,0.40,Amazon Elastic Compute Cloud,,,,,,,,,\n"
	CUR_P "DiscountedUsage," CUR_T ",AmazonEC2,BoxUsage:m5.large,USD,0,Amazon Elastic Compute Cloud,arn:ri,0.70,,,,,,,\n"
	CUR_P "RIFee," CUR_T ",AmazonEC2,HeavyUsage,USD,2.00,Amazon Elastic Compute Cloud,arn:ri,,0.25,0.05,,,,,\n"
	CUR_P "Fee," CUR_T ",AmazonEC2,,USD,30,Amazon Elastic Compute Cloud,arn:ri,,,,,,,,\n"
	CUR_P "Fee," CUR_T ",AWSSupportBusiness,,USD,4.00,AWS Support (Business),,,,,,,,,\n"
	CUR_P "SavingsPlanCoveredUsage," CUR_T ",AmazonEC2,BoxUsage:c5.large,USD,3.00,Amazon Elastic Compute Cloud,,,,,arn:sp,2.10,,,\n"
	CUR_P "SavingsPlanNegation," CUR_T ",AmazonEC2,BoxUsage:c5.large,USD,-3.00,Amazon Elastic Compute Cloud,,,,,arn:sp,,,,\n"
	CUR_P "SavingsPlanRecurringFee," CUR_T ",ComputeSavingsPlans,,USD,2.50,Savings Plans,,,,,arn:sp,,2.50,2.10,\n"
	CUR_P "SavingsPlanUpfrontFee," CUR_T ",ComputeSavingsPlans,,USD,20,Savings Plans,,,,,arn:sp,,,,\n"
	CUR_P "Tax," CUR_T ",AmazonEC2,,USD,1.23,Amazon Elastic Compute Cloud,,,,,,,,,\n"
	CUR_P "Credit," CUR_T ",AmazonEC2,,USD,-2,Amazon Elastic Compute Cloud,,,,,,,,,\n"
	CUR_P "Refund," CUR_T ",AmazonS3,,USD,-0.5,Amazon Simple Storage Service,,,,,,,,,\n"
	CUR_P "EdpDiscount," CUR_T ",AmazonEC2,,USD,-0.2,Amazon Elastic Compute Cloud,,,,,,,,,\n";

START_TEST(test_cur_line_item_types)
{
	struct ct_err err;

	ck_assert_int_eq(run1("cur.csv", cur_types, &err), CT_OK);
	ck_assert_int_eq(q1("SELECT count(*) FROM line"), 14);
	/* billed: 1.10 + 0.40 + 0 + 2.00 + 30 + 4.00 + 3.00 - 3.00 + 2.50 + 20
	 * + 1.23 - 2 - 0.5 - 0.2 = 58.53 */
	ck_assert_int_eq(q1("SELECT sum(billed_cost) FROM line"), 58530000000);
	/* effective: 1.10 + 0.40 + 0.70 + (0.25 + 0.05) + 0 + 4.00 + 2.10 + 0
	 * + (2.50 - 2.10) + 0 + 1.23 - 2 - 0.5 - 0.2 = 7.53 */
	ck_assert_int_eq(q1("SELECT sum(effective_cost) FROM line"), 7530000000);
	ck_text(LINES_SQL,
		"Usage|Standard|1100000000|1100000000|-;"
		"Usage|Dynamic|400000000|400000000|-;"
		"Usage|Committed|0|700000000|Used;"
		"Purchase|Standard|2000000000|300000000|-;"
		"Purchase|Standard|30000000000|0|-;"
		"Purchase|Standard|4000000000|4000000000|-;"
		"Usage|Committed|3000000000|2100000000|Used;"
		"Usage|Committed|-3000000000|0|-;"
		"Purchase|Standard|2500000000|400000000|-;"
		"Purchase|Standard|20000000000|0|-;"
		"Tax|-|1230000000|1230000000|-;"
		"Credit|-|-2000000000|-2000000000|-;"
		"Adjustment|-|-500000000|-500000000|-;"
		"Usage|Standard|-200000000|-200000000|-");
	ck_text("SELECT group_concat(DISTINCT commitment_discount_category || '/' || "
		"commitment_discount_type) FROM profile WHERE commitment_discount_id IS NOT NULL",
		"Usage/Reserved Instance,Spend/Savings Plan");
	ck_text("SELECT f.provider_name || ' ' || f.billing_account_id || ' ' || "
		"f.sub_account_id || ' ' || f.billing_period || ' ' || i.format FROM focus_line f "
		"JOIN ingest i ON i.id = f.ingest_id LIMIT 1", "AWS 111 222 2024-03 aws-cur");
	/* user: prefix dropped; the category table; unknown codes are Other */
	ck_text("SELECT tags FROM profile WHERE tags IS NOT NULL", "{\"Owner\":\"web\"}");
	ck_text("SELECT group_concat(DISTINCT service_category) FROM (SELECT "
		"service_category FROM profile ORDER BY service_category)",
		"Compute,Other,Storage");
}
END_TEST

/* The same three lines in the three spellings of a CUR. */
static const char cur_legacy[] =
	"identity/TimeInterval,bill/PayerAccountId,lineItem/LineItemType,"
	"lineItem/ProductCode,lineItem/UnblendedCost,lineItem/CurrencyCode,"
	"product/ProductName,resourceTags/user:Team,resourceTags/aws:createdBy\n"
	"2024-03-01T00:00:00Z/2024-03-01T01:00:00Z,111,Usage,AmazonEC2,1.5,USD,Amazon Elastic Compute Cloud,web,ci\n"
	"2024-03-01T00:00:00Z/2024-03-01T01:00:00Z,111,Usage,AmazonS3,0.25,USD,Amazon Simple Storage Service,,\n"
	"2024-03-01T00:00:00Z/2024-03-01T01:00:00Z,111,Tax,AmazonEC2,0.1,USD,Amazon Elastic Compute Cloud,,\n";
static const char cur_athena[] =
	"identity_time_interval,bill_payer_account_id,line_item_line_item_type,"
	"line_item_product_code,line_item_unblended_cost,line_item_currency_code,"
	"product_product_name,resource_tags_user_team,resource_tags_aws_created_by\n"
	"2024-03-01T00:00:00Z/2024-03-01T01:00:00Z,111,Usage,AmazonEC2,1.5,USD,Amazon Elastic Compute Cloud,web,ci\n"
	"2024-03-01T00:00:00Z/2024-03-01T01:00:00Z,111,Usage,AmazonS3,0.25,USD,Amazon Simple Storage Service,,\n"
	"2024-03-01T00:00:00Z/2024-03-01T01:00:00Z,111,Tax,AmazonEC2,0.1,USD,Amazon Elastic Compute Cloud,,\n";
static const char cur_two[] =
	"bill_payer_account_id,bill_payer_account_name,line_item_usage_start_date,"
	"line_item_usage_end_date,line_item_line_item_type,line_item_product_code,"
	"line_item_unblended_cost,line_item_currency_code,product,resource_tags\n"
	"111,Payer,2024-03-01T00:00:00.000Z,2024-03-01T01:00:00.000Z,Usage,AmazonEC2,1.5,USD,"
	"\"{\"\"product_name\"\":\"\"Amazon Elastic Compute Cloud\"\",\"\"region\"\":\"\"us-east-1\"\"}\","
	"\"{\"\"user_team\"\":\"\"web\"\",\"\"aws_created_by\"\":\"\"ci\"\"}\"\n"
	"111,Payer,2024-03-01T00:00:00.000Z,2024-03-01T01:00:00.000Z,Usage,AmazonS3,0.25,USD,"
	"\"{\"\"product_name\"\":\"\"Amazon Simple Storage Service\"\"}\",\n"
	"111,Payer,2024-03-01T00:00:00.000Z,2024-03-01T01:00:00.000Z,Tax,AmazonEC2,0.1,USD,"
	"\"{\"\"product_name\"\":\"\"Amazon Elastic Compute Cloud\"\"}\",{}\n";

START_TEST(test_cur_spellings)
{
	static const struct {
		const char *text, *label;
	} forms[] = {
		{cur_legacy, "aws-cur"},
		{cur_athena, "aws-cur-athena"},
		{cur_two, "aws-cur-2.0"},
	};
	struct ct_err err;
	char sql[160];

	for (size_t i = 0; i < CT_NELEM(forms); i++) {
		char name[32];
		snprintf(name, sizeof(name), "form%zu.csv", i);
		ck_assert_int_eq(run1(name, forms[i].text, &err), CT_OK);
		/* 1.5 + 0.25 + 0.1; the restatement keeps only the last form */
		ck_assert_int_eq(q1("SELECT sum(billed_cost) FROM line"), 1850000000);
		ck_assert_int_eq(q1("SELECT count(*) FROM line"), 3);
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM ingest WHERE format = '%s'",
			 forms[i].label);
		ck_assert_int_eq(q1(sql), 1);
		ck_assert_int_eq(q1("SELECT count(*) FROM line l JOIN profile_tag t ON "
				    "t.profile_id = l.profile_id JOIN profile p ON p.id = l.profile_id "
				    "WHERE key_norm = 'team' AND value = 'web' AND "
				    "p.service_name = 'Amazon Elastic Compute Cloud'"), 1);
		ck_assert_int_eq(q1("SELECT count(DISTINCT p.id) FROM line l JOIN profile p "
				    "ON p.id = l.profile_id WHERE p.service_name = "
				    "'Amazon Simple Storage Service' AND p.charge_category = 'Usage'"), 1);
	}
}
END_TEST

START_TEST(test_cur_short_rows_and_periods)
{
	struct ct_err err;
	/* a row shorter than the header: nulls at its end (a monthly CUR
	 * writer that trims trailing empty fields); no billing period
	 * columns: the month of the usage */
	static const char text[] =
		"lineItem/UsageAccountId,lineItem/UsageStartDate,lineItem/UnblendedCost,"
		"lineItem/ProductCode,resourceTags/user:Owner\n"
		"333,2024-02-29 23:00:00,0.000000000499,AmazonEC2\n"
		"333,2024-02-29 23:00:00,0.0000000005,AmazonEC2,ops\n";

	ck_assert_int_eq(run1("short.csv", text, &err), CT_OK);
	/* 0.000000000499 rounds to 0, 0.0000000005 half away from zero to 1 */
	ck_assert_int_eq(q1("SELECT sum(billed_cost) FROM line"), 1);
	ck_text("SELECT billing_period || ' ' || billing_account_id FROM ingest",
		"2024-02 333");
	ck_text("SELECT strftime('%Y-%m-%d', period_end, 'unixepoch') FROM ingest",
		"2024-03-01");
}
END_TEST

/* ---- Azure ---------------------------------------------------------------- */

#define AZ_HDR                                                                 \
	"\xef\xbb\xbf" "BillingAccountId,BillingAccountName,BillingPeriodStartDate," \
	"BillingPeriodEndDate,BillingProfileId,SubscriptionId,Date,MeterCategory," \
	"ConsumedService,ResourceLocation,CostInBillingCurrency,BillingCurrencyCode," \
	"ChargeType,Frequency,PricingModel,ReservationId,Tags\r\n"
#define AZ_P "8611537,Trey,09/01/2023,09/30/2023,8611537,sub-1,"

static const char azure_rules[] = AZ_HDR
	AZ_P "9/21/2023,Virtual Machines,Microsoft.Compute,East US,1.50,USD,Usage,UsageBased,OnDemand,,\"\"\"env\"\": \"\"prod\"\",\"\"team\"\": \"\"a\"\"\"\r\n"
	AZ_P "09/21/2023,Virtual Machines,Microsoft.Compute,eastus,0.80,USD,Usage,UsageBased,Reservation,r-1,\r\n"
	AZ_P "09/21/2023,Virtual Machines,Microsoft.Capacity,eastus,0.20,USD,UnusedReservation,UsageBased,Reservation,r-1,\r\n"
	AZ_P "09/01/2023,Virtual Machines,Microsoft.Capacity,eastus,100,USD,Purchase,OneTime,Reservation,r-1,\r\n"
	AZ_P "09/02/2023,Virtual Machines,Microsoft.Capacity,eastus,-10,USD,Refund,OneTime,Reservation,r-1,\r\n"
	AZ_P "09/30/2023,Tax,,,5,USD,Tax,OneTime,,,\r\n"
	AZ_P "09/30/2023,Rounding,,,0.01,USD,RoundingAdjustment,OneTime,,,\r\n"
	AZ_P "09/21/2023,Virtual Machines,Microsoft.Compute,eastus,0.30,USD,Usage,UsageBased,SavingsPlan,"
		"/providers/Microsoft.BillingBenefits/savingsPlanOrders/1,\"{\"\"team\"\": \"\"b\"\"}\"\r\n";

START_TEST(test_azure_rules)
{
	struct ct_err err;

	ck_assert_int_eq(run1("ea.csv", azure_rules, &err), CT_OK);
	/* billed: 1.50 + 0 + 0 + 100 - 10 + 5 + 0.01 + 0 = 96.51 */
	ck_assert_int_eq(q1("SELECT sum(billed_cost) FROM line"), 96510000000);
	/* effective: 1.50 + 0.80 + 0.20 + 0 + 0 + 5 + 0.01 + 0.30 = 7.81 */
	ck_assert_int_eq(q1("SELECT sum(effective_cost) FROM line"), 7810000000);
	ck_text(LINES_SQL,
		"Usage|Standard|1500000000|1500000000|-;"
		"Usage|Committed|0|800000000|Used;"
		"Usage|Committed|0|200000000|Unused;"
		"Purchase|Committed|100000000000|0|-;"
		"Purchase|Committed|-10000000000|0|-;"
		"Tax|Standard|5000000000|5000000000|-;"
		"Adjustment|Standard|10000000|10000000|-;"
		"Usage|Committed|0|300000000|Used");
	ck_assert_int_eq(q1("SELECT count(*) FROM profile WHERE charge_class = 'Correction'"), 1);
	ck_assert_int_eq(q1("SELECT count(*) FROM profile WHERE commitment_discount_category "
			    "= 'Spend' AND commitment_discount_type = 'Savings Plan'"), 1);
	/* tags without their outer braces; "East US" and "eastus" one region */
	ck_text("SELECT tags FROM profile WHERE tags LIKE '%prod%'",
		"{\"env\":\"prod\",\"team\":\"a\"}");
	ck_assert_int_eq(q1("SELECT count(DISTINCT region_id) FROM profile WHERE region_id IS NOT NULL"), 1);
	/* the inclusive end date becomes the exclusive FOCUS end; EA: the
	 * billing account */
	ck_text("SELECT billing_period || ' ' || strftime('%Y-%m-%d', period_end, 'unixepoch') "
		"|| ' ' || billing_account_id || ' ' || provider FROM ingest",
		"2023-09 2023-10-01 8611537 Microsoft");
	ck_text("SELECT strftime('%Y-%m-%dT%H', min(charge_start), 'unixepoch') || ' ' || "
		"(max(charge_end) - max(charge_start)) FROM line", "2023-09-01T00 86400");
}
END_TEST

START_TEST(test_azure_actual_with_amortized)
{
	struct ct_err err;
	static const char amortized[] = AZ_HDR
		AZ_P "09/21/2023,Virtual Machines,Microsoft.Compute,eastus,1.00,USD,Usage,UsageBased,OnDemand,,\r\n"
		AZ_P "09/21/2023,Virtual Machines,Microsoft.Compute,eastus,0.40,USD,Usage,UsageBased,Reservation,r-1,\r\n";
	static const char actual[] = AZ_HDR
		AZ_P "09/21/2023,Virtual Machines,Microsoft.Compute,eastus,1.00,USD,Usage,UsageBased,OnDemand,,\r\n"
		AZ_P "09/21/2023,Virtual Machines,Microsoft.Compute,eastus,0,USD,Usage,UsageBased,Reservation,r-1,\r\n"
		AZ_P "09/01/2023,Virtual Machines,Microsoft.Capacity,eastus,12.00,USD,Purchase,Recurring,Reservation,r-1,\r\n"
		"8611537,Trey,10/01/2023,10/31/2023,8611537,sub-1,10/02/2023,Storage,Microsoft.Storage,eastus,2.00,USD,Usage,UsageBased,OnDemand,,\r\n";
	const char *files[] = {"EA_AmortizedCost.csv", amortized, "EA_ActualCost.csv", actual};

	ck_assert_int_eq(run_fmt(files, 2, NULL, &err), CT_OK);
	/* amortized: both rows; actual: September's purchase only (its usage
	 * is in the amortized file), and all of October (no amortized file) */
	ck_assert_int_eq(q1("SELECT count(*) FROM line"), 4);
	/* billed: 1.00 + 0 + 12.00 + 2.00 */
	ck_assert_int_eq(q1("SELECT sum(billed_cost) FROM line"), 15000000000);
	/* effective: 1.00 + 0.40 + 0 + 2.00 */
	ck_assert_int_eq(q1("SELECT sum(effective_cost) FROM line"), 3400000000);
	ck_assert_int_eq(q1("SELECT count(*) FROM ingest WHERE format = 'azure-ea'"), 3);

	/* either file alone is read whole */
	ck_assert_int_eq(run1("EA_ActualCost.csv", actual, &err), CT_OK);
	ck_assert_int_eq(q1("SELECT count(*) FROM line"), 4);
	ck_assert_int_eq(q1("SELECT sum(billed_cost) FROM line"), 15000000000);
}
END_TEST

START_TEST(test_azure_mca_payg_localised)
{
	struct ct_err err;
	static const char mca[] =
		"invoiceId,billingAccountId,billingAccountName,billingProfileId,"
		"billingProfileName,subscriptionId,date,meterCategory,costInBillingCurrency,"
		"billingCurrency,chargeType,pricingModel,tags\n"
		"I1,3c100a8a-acct,Contoso,NF5V-BI6B,Profile A,sub-9,08/01/2023,Storage,0.0000204972,"
		"EUR,Usage,OnDemand,\"{\"\"project\"\":\"\"p1\"\"}\"\n";
	static const char german[] =
		"\xef\xbb\xbf" "Abonnement-GUID (SubscriptionGuid),UsageDateTime (UsageDateTime),"
		"Kategorie der Verbrauchseinheit (MeterCategory),PreTaxCost (PreTaxCost),Currency\r\n"
		"11111111-12ab,2021-02-02,Load Balancer,0.075,USD\r\n";

	ck_assert_int_eq(run1("mca.csv", mca, &err), CT_OK);
	/* MCA: the billing profile is the billing account */
	ck_text("SELECT billing_account_id || ' ' || billing_account_name || ' ' || "
		"sub_account_id || ' ' || billing_currency FROM profile",
		"NF5V-BI6B Profile A sub-9 EUR");
	ck_assert_int_eq(q1("SELECT billed_cost FROM line"), 20497);
	ck_assert_int_eq(q1("SELECT count(*) FROM ingest WHERE format = 'azure-mca'"), 1);
	ck_assert_int_eq(run1("de.csv", german, &err), CT_OK);
	/* pay-as-you-go: one subscription is the billing account */
	ck_text("SELECT billing_account_id || ' ' || service_name || ' ' || charge_category "
		"FROM focus_line WHERE billing_period = '2021-02'",
		"11111111-12ab Load Balancer Usage");
	ck_assert_int_eq(q1("SELECT billed_cost FROM focus_line WHERE billing_period = '2021-02'"),
			 75000000);
}
END_TEST

/* ---- GCP ----------------------------------------------------------------- */

static const char gcp_csv[] =
	"billing_account_id,service.description,usage_start_time,usage_end_time,"
	"project.id,project.labels,labels,cost,currency,credits,invoice.month,cost_type\n"
	"01A-B,Compute Engine,2024-03-01 00:00:00+00:00,2024-03-01 01:00:00+00:00,p1,"
	"\"[{'key': 'env', 'value': 'prod'}]\",\"[{\"\"key\"\":\"\"app\"\",\"\"value\"\":\"\"web\"\"}]\","
	"1.5,USD,\"[{'name': 'x', 'amount': -0.25, 'full_name': None, 'type': 'PROMOTION'}, "
	"{'name': 'y', 'amount': -5e-06, 'type': 'SUSTAINED_USAGE_DISCOUNT'}]\",202403,regular\n"
	"01A-B,Invoice,2024-03-31 00:00:00+00:00,2024-04-01 00:00:00+00:00,p1,[],[],0.2,USD,[],202403,tax\n"
	"01A-B,Compute Engine,2024-03-01 00:30:00+00:00,2024-03-01 01:00:00+00:00,p1,[],[],0.3,USD,[],202402,regular\n";
static const char gcp_json[] =
	"{\"billing_account_id\":\"01A-B\",\"service\":{\"id\":\"S\",\"description\":\"Compute Engine\"},"
	"\"usage_start_time\":\"2024-03-01 00:00:00 UTC\",\"usage_end_time\":\"2024-03-01 01:00:00 UTC\","
	"\"project\":{\"id\":\"p1\",\"labels\":[{\"key\":\"env\",\"value\":\"prod\"},{\"key\":\"app\",\"value\":\"other\"}]},"
	"\"labels\":[{\"key\":\"app\",\"value\":\"web\"}],\"system_labels\":[{\"key\":\"cores\",\"value\":\"2\"}],"
	"\"cost\":1.5,\"currency\":\"USD\",\"credits\":[{\"name\":\"x\",\"amount\":-0.25,\"type\":\"PROMOTION\"},"
	"{\"name\":\"y\",\"amount\":-5e-06}],\"invoice\":{\"month\":\"202403\"},\"cost_type\":\"regular\"}\n"
	"\n"
	"{\"billing_account_id\":\"01A-B\",\"service\":{\"description\":\"Invoice\"},\"usage_start_time\":"
	"\"2024-03-31 00:00:00 UTC\",\"project\":{\"id\":\"p1\"},\"cost\":0.2,\"currency\":\"USD\","
	"\"credits\":[],\"invoice\":{\"month\":\"202403\"},\"cost_type\":\"tax\",\"labels\":[]}\r\n"
	"{\"billing_account_id\":\"01A-B\",\"service\":{\"description\":\"Compute Engine\"},"
	"\"usage_start_time\":\"2024-03-01 00:30:00 UTC\",\"project\":{\"id\":\"p1\"},\"cost\":0.3,"
	"\"currency\":\"USD\",\"invoice\":{\"month\":\"202402\"},\"cost_type\":\"regular\",\"credits\":null}";

START_TEST(test_gcp_csv_and_json)
{
	static const struct {
		const char *name, *text, *format;
	} forms[] = {{"gcp.csv", gcp_csv, "gcp-csv"}, {"gcp.json", gcp_json, "gcp-json"}};
	struct ct_err err;

	for (size_t i = 0; i < CT_NELEM(forms); i++) {
		char sql[96];
		ck_assert_int_eq(run1(forms[i].name, forms[i].text, &err), CT_OK);
		/* March: 1.5 - 0.25 - 0.000005 + 0.2; the 0.3 row is on the
		 * February invoice */
		ck_assert_int_eq(q1("SELECT sum(billed_cost) FROM focus_line WHERE "
				    "billing_period = '2024-03'"), 1449995000);
		ck_assert_int_eq(q1("SELECT sum(billed_cost) FROM focus_line WHERE "
				    "billing_period = '2024-02'"), 300000000);
		ck_assert_int_eq(q1("SELECT sum(contracted_cost) FROM line"), 2000000000);
		ck_text("SELECT group_concat(charge_category) FROM (SELECT charge_category "
			"FROM focus_line ORDER BY line_id)", "Usage,Tax,Usage");
		/* resource labels first, project labels for the rest */
		ck_assert_int_eq(q1("SELECT count(*) FROM profile_tag WHERE key_norm = 'app' "
				    "AND value = 'web'"), 1);
		ck_assert_int_eq(q1("SELECT count(*) FROM profile_tag WHERE key_norm = 'env' "
				    "AND value = 'prod'"), 1);
		ck_assert_int_eq(q1("SELECT count(*) FROM profile_tag WHERE key_norm = 'cores'"), 0);
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM ingest WHERE format = '%s'",
			 forms[i].format);
		ck_assert_int_eq(q1(sql), 2);
		ck_text("SELECT DISTINCT provider || ' ' || billing_account_id FROM ingest",
			"Google Cloud 01A-B");
	}
}
END_TEST

/* ---- OCI ------------------------------------------------------------------ */

START_TEST(test_oci)
{
	struct ct_err err;
	static const char text[] =
		"lineItem/referenceNo,lineItem/tenantId,lineItem/intervalUsageStart,"
		"lineItem/intervalUsageEnd,product/service,product/compartmentId,"
		"product/region,cost/myCost,cost/myCostOverage,cost/currencyCode,"
		"lineItem/isCorrection,tags/Oracle-Tags.CreatedBy,tags/free\r\n"
		"r1,ocid1.tenancy.oc1..a,2023-11-13T10:00Z,2023-11-13T11:00:00Z,COMPUTE,"
		"ocid1.compartment.oc1..c,us-sanjose-1,1.5,0.25,USD,false,default/ann,\r\n"
		"r2,ocid1.tenancy.oc1..a,2023-11-13T10:00Z,2023-11-13T11:00:00Z,NETWORK,"
		"ocid1.compartment.oc1..c,us-sanjose-1,2.323760000E-9,,USD,true,,x\r\n";

	ck_assert_int_eq(run1("reports_cost-csv_1.csv", text, &err), CT_OK);
	/* 1.5 + 0.25 overage; 2.32376e-9 rounds to 2 nano-dollars */
	ck_assert_int_eq(q1("SELECT sum(billed_cost) FROM line"), 1750000002);
	ck_text("SELECT billing_period || ' ' || format || ' ' || billing_account_id FROM ingest",
		"2023-11 oci ocid1.tenancy.oc1..a");
	ck_text("SELECT group_concat(x, ';') FROM (SELECT service_category || '|' || "
		"coalesce(charge_class, '-') || '|' || coalesce(tags, '-') AS x FROM focus_line "
		"ORDER BY line_id)",
		"Compute|-|{\"Oracle-Tags.CreatedBy\":\"default/ann\"};"
		"Networking|Correction|{\"free\":\"x\"}");
}
END_TEST

/* ---- detection, forcing, and bad input ------------------------------------ */

START_TEST(test_forced_format)
{
	struct ct_err err;
	const char *files[] = {"a.csv", cur_legacy};

	ck_assert_int_eq(run_fmt(files, 1, "cur", &err), CT_OK);
	ck_assert_int_eq(q1("SELECT count(*) FROM line"), 3);
	/* forced, but not that format: the reader says what is missing */
	ck_assert_int_eq(run_fmt(files, 1, "oci", &err), CT_E_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "not an OCI cost report"));
	ck_assert_int_eq(run_fmt(files, 1, "azure", &err), CT_E_INPUT);
	ck_assert_int_eq(run_fmt(files, 1, "focus", &err), CT_E_INPUT);
	ck_assert_int_eq(run_fmt(files, 1, "parquet", &err), CT_E_USAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "focus, cur, cur2, azure, gcp, oci"));
	ck_assert_int_eq(q1("SELECT count(*) FROM line"), 3);
}
END_TEST

static const struct {
	const char *name;
	const char *file;
	const char *text;
	long line;
	const char *msg;
} bad[] = {
	{"cur cost", "c.csv", CUR_HDR CUR_P "Usage," CUR_T ",AmazonEC2,,USD,1.1O,X,,,,,,,,,\n",
	 2, "lineItem/UnblendedCost is not a number: '1.1O'"},
	{"cur empty cost", "c.csv", CUR_HDR CUR_P "Usage," CUR_T ",AmazonEC2,,USD,1,X,,,,,,,,,\n"
	 CUR_P "Usage," CUR_T ",AmazonEC2,,USD,,X,,,,,,,,,\n", 3, "lineItem/UnblendedCost is empty"},
	{"cur ragged", "c.csv", CUR_HDR CUR_P "Usage," CUR_T ",AmazonEC2,,USD,1,X,,,,,,,,,,extra\n",
	 2, "expected 20 fields"},
	{"cur date", "c.csv", CUR_HDR CUR_P "Usage,2024-03-32T00:00:00Z,2024-03-02T01:00:00Z,"
	 "AmazonEC2,,USD,1,X,,,,,,,,,\n", 2, "lineItem/UsageStartDate is not a date"},
	{"cur effective", "c.csv", CUR_HDR CUR_P "DiscountedUsage," CUR_T ",AmazonEC2,,USD,0,X,arn,x,,,,,,,\n",
	 2, "reservation/EffectiveCost is not a number"},
	{"cur2 tags", "c2.csv", "bill_payer_account_id,line_item_usage_start_date,line_item_unblended_cost,"
	 "resource_tags\n111,2024-03-01T00:00:00Z,1,\"{\"\"a\"\":{\"\"b\"\":1}}\"\n", 2,
	 "resource_tags is not a JSON object"},
	{"azure date", "az.csv", AZ_HDR AZ_P "13/45/2023,VM,Microsoft.Compute,eastus,1,USD,Usage,UsageBased,OnDemand,,\r\n",
	 2, "Date is not a date"},
	{"azure tags", "az.csv", AZ_HDR AZ_P "09/01/2023,VM,Microsoft.Compute,eastus,1,USD,Usage,UsageBased,OnDemand,,\"{\"\"a\"\"\"\r\n",
	 2, "Tags is not a JSON object"},
	{"azure cost", "az.csv", AZ_HDR AZ_P "09/01/2023,VM,Microsoft.Compute,eastus,1;5,USD,Usage,UsageBased,OnDemand,,\r\n",
	 2, "the cost is not a number"},
	{"gcp credits", "g.csv", "billing_account_id,usage_start_time,cost,credits\n"
	 "A,2024-03-01 00:00:00+00:00,1,\"[{'amount': 'lots'}]\"\n", 2, "credits is not a list of credits"},
	{"gcp json", "g.json", "{\"billing_account_id\":\"A\",\"usage_start_time\":\"2024-03-01 00:00:00 UTC\",\"cost\":1}\n"
	 "{\"billing_account_id\":\"A\",\"cost\":1,\n", 2, "not a JSON object"},
	{"gcp json cost", "g.json", "{\"billing_account_id\":\"A\",\"usage_start_time\":\"2024-03-01 00:00:00 UTC\",\"cost\":true}\n",
	 1, "cost is not a number"},
	/* found in review: a month read past its end in JSON scratch, and
	 * cost plus credits overflowing */
	{"gcp month json", "g.json", "{\"billing_account_id\":\"A\",\"usage_start_time\":"
	 "\"2024-03-01 00:00:00 UTC\",\"cost\":1,\"invoice\":{\"month\":\"20240\"},\"x\":\"3\"}\n",
	 1, "invoice.month is not YYYYMM"},
	{"gcp overflow", "g.json", "{\"billing_account_id\":\"A\",\"usage_start_time\":"
	 "\"2024-03-01 00:00:00 UTC\",\"cost\":-999999999,\"credits\":["
	 "{\"amount\":-999999999},{\"amount\":-999999999},{\"amount\":-999999999},"
	 "{\"amount\":-999999999},{\"amount\":-999999999},{\"amount\":-999999999},"
	 "{\"amount\":-999999999},{\"amount\":-999999999},{\"amount\":-999999999}]}\n",
	 1, "credits add up past"},
	{"gcp month", "g.csv", "billing_account_id,usage_start_time,cost,invoice.month\n"
	 "A,2024-03-01 00:00:00+00:00,1,2024-3\n", 2, "invoice.month is not YYYYMM"},
	{"oci cost", "o.csv", "lineItem/tenantId,lineItem/intervalUsageStart,cost/myCost\r\n"
	 "t,2023-11-13T10:00Z,1\r\nt,2023-11-13T10:00Z,NaN\r\n", 3, "cost/myCost is not a number"},
	{"oci end", "o.csv", "lineItem/tenantId,lineItem/intervalUsageStart,lineItem/intervalUsageEnd,cost/myCost\r\n"
	 "t,2023-11-13T10:00Z,2023-11-13T09:00Z,1\r\n", 2, "is before"},
	{"mapping table", "Services.csv", "ConsumedService,ResourceType,ServiceName\nmicrosoft.compute,x,VM\n",
	 1, "unrecognised billing format"},
};

START_TEST(test_bad_input_changes_nothing)
{
	struct ct_err err;
	const char *files[4] = {"good.csv", cur_legacy, bad[_i].file, bad[_i].text};

	ck_assert_int_eq(run1("first.csv", cur_types, &err), CT_OK);
	ct_err_init(&err);
	/* a good file and a bad one in the same run: neither lands */
	ck_assert_int_eq(run_fmt(files, 2, NULL, &err), CT_E_INPUT);
	ck_assert_msg(strstr(err.msg, bad[_i].msg) != NULL, "%s: message '%s'",
		      bad[_i].name, err.msg);
	ck_assert_msg(err.line == bad[_i].line, "%s: line %ld", bad[_i].name, err.line);
	ck_assert_msg(strstr(err.source, bad[_i].file) != NULL, "%s: source %s",
		      bad[_i].name, err.source);
	ck_assert_int_eq(q1("SELECT sum(billed_cost) FROM line"), 58530000000);
	ck_assert_int_eq(q1("SELECT count(*) FROM line"), 14);
	ck_assert_int_eq(q1("SELECT count(*) FROM ingest"), 1);
}
END_TEST

START_TEST(test_truncated_gzip_cur)
{
	struct ct_err err;
	char *path = ct_xasprintf("%s/r-1.csv.gz", dir);
	gzFile gz = gzopen(path, "wb");
	struct ct_ingest *ing;
	FILE *f;
	long size;
	char *buf;

	gzwrite(gz, cur_types, (unsigned)strlen(cur_types));
	gzclose(gz);
	f = fopen(path, "rb");
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	buf = ct_xmalloc((size_t)size);
	ck_assert_int_eq(fread(buf, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	ing = ct_ingest_begin(st, &err);
	ck_assert_int_eq(ct_ingest_file(ing, path, NULL, &err), CT_OK);
	ck_assert_int_eq(ct_ingest_commit(ing, NULL, &err), CT_OK);
	ck_assert_int_eq(q1("SELECT sum(billed_cost) FROM line"), 58530000000);
	f = fopen(path, "wb");
	fwrite(buf, 1, (size_t)size - 12, f);
	fclose(f);
	ing = ct_ingest_begin(st, &err);
	ck_assert_int_eq(ct_ingest_file(ing, path, NULL, &err), CT_E_INPUT);
	ct_ingest_abort(ing);
	ck_assert_int_eq(q1("SELECT count(*) FROM line"), 14);
	free(buf);
	free(path);
}
END_TEST

/* ---- tags ------------------------------------------------------------------ */

static char *tags_of(const char *text, int kind, unsigned flags, int *rc)
{
	struct ct_tags t;
	const char *json;
	size_t len;
	char *out;

	ct_tags_init(&t);
	*rc = kind ? ct_tags_add_kv_array(&t, text, strlen(text), flags) :
		     ct_tags_add_object(&t, text, strlen(text), flags);
	json = ct_tags_json(&t, &len);
	out = json ? ct_xstrndup(json, len) : ct_xstrdup("");
	ct_tags_release(&t);
	return out;
}

START_TEST(test_tags)
{
	static const struct {
		const char *in;
		int kind; /* 0 object, 1 key/value array */
		unsigned flags;
		int rc;
		const char *out;
	} cases[] = {
		{"{\"a\": \"b\", \"c\": \"d\"}", 0, 0, CT_OK, "{\"a\":\"b\",\"c\":\"d\"}"},
		{"\"a\": \"b\",\"c\": \"d\"", 0, 0, CT_OK, "{\"a\":\"b\",\"c\":\"d\"}"},
		{"  ", 0, 0, CT_OK, ""},
		{"{}", 0, 0, CT_OK, ""},
		{"{'a': 'it\\'s', 'n': None, 't': True, 'x': 2}", 0, 0, CT_OK,
		 "{\"a\":\"it's\",\"t\":true,\"x\":\"2\"}"},
		{"{\"user:Team\": \"w\", \"user_cc\": \"1\", \"aws:createdBy\": \"ci\"}", 0,
		 CT_TAGS_STRIP_USER, CT_OK, "{\"Team\":\"w\",\"cc\":\"1\",\"aws:createdBy\":\"ci\"}"},
		{"{\"a\": \"1\", \"a\": \"2\"}", 0, 0, CT_OK, "{\"a\":\"1\"}"},
		{"{\"q\": \"say \\\"hi\\\"\\n\", \"u\": \"\\u00e9\\ud83d\\ude00\"}", 0, 0, CT_OK,
		 "{\"q\":\"say \\\"hi\\\"\\u000a\",\"u\":\"\xc3\xa9\xf0\x9f\x98\x80\"}"},
		{"{\"bad\": \"\xff\"}", 0, 0, CT_OK, "{\"bad\":\"\xef\xbf\xbd\"}"},
		{"{\"a\": {\"b\": 1}}", 0, 0, CT_E_INPUT, NULL},
		{"{\"a\": [1]}", 0, 0, CT_E_INPUT, NULL},
		{"{\"a\": \"b\"", 0, 0, CT_E_INPUT, NULL},
		{"{\"a\" \"b\"}", 0, 0, CT_E_INPUT, NULL},
		{"{\"a\": \"b\"} x", 0, 0, CT_E_INPUT, NULL},
		{"[{\"key\": \"env\", \"value\": \"prod\"}, {'key': 'k', 'value': None}]", 1, 0,
		 CT_OK, "{\"env\":\"prod\",\"k\":\"\"}"},
		{"[]", 1, 0, CT_OK, ""},
		{"[{\"value\": \"v\"}]", 1, 0, CT_OK, ""},
		{"[{\"key\": \"a\"", 1, 0, CT_E_INPUT, NULL},
		{"{\"key\": \"a\"}", 1, 0, CT_E_INPUT, NULL},
	};

	for (size_t i = 0; i < CT_NELEM(cases); i++) {
		int rc;
		char *out = tags_of(cases[i].in, cases[i].kind, cases[i].flags, &rc);
		ck_assert_msg(rc == cases[i].rc, "case %zu: rc %d", i, rc);
		if (cases[i].out)
			ck_assert_msg(!strcmp(out, cases[i].out), "case %zu: %s", i, out);
		free(out);
	}
}
END_TEST

START_TEST(test_tags_find)
{
	struct ct_tags t;
	const char *v;
	size_t len;
	static const char map[] = "{\"region\": \"us-east-1\", \"product_name\": \"Amazon EC2\"}";

	ct_tags_init(&t);
	ck_assert_int_eq(ct_tags_find(&t, map, strlen(map), "product_name", &v, &len), CT_OK);
	ck_assert_int_eq((int)len, 10);
	ck_assert(!memcmp(v, "Amazon EC2", 10));
	ck_assert_int_eq(ct_tags_find(&t, map, strlen(map), "sku", &v, &len), CT_OK);
	ck_assert_ptr_null(v);
	ck_assert_int_eq(ct_tags_find(&t, "{\"a\"", 4, "a", &v, &len), CT_E_INPUT);
	ct_tags_release(&t);
}
END_TEST

/* ---- delivery layouts ------------------------------------------------------- */

static void mkdirs(const char *path)
{
	char *p = ct_xstrdup(path);

	for (char *s = p + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0755);
			*s = '/';
		}
	}
	mkdir(p, 0755);
	free(p);
}

static char *put(const char *rel, const char *text)
{
	char *path = ct_xasprintf("%s/%s", dir, rel);
	char *slash = strrchr(path, '/');
	FILE *f;

	*slash = '\0';
	mkdirs(path);
	*slash = '/';
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

#define MANIFEST(asm)                                                          \
	"{\"assemblyId\": \"" asm "\", \"reportKeys\": [\"pre/rep/20240301-20240401/" \
	asm "/rep-1.csv.gz\", \"pre/rep/20240301-20240401/" asm "/rep-2.csv.gz\"]}"

START_TEST(test_manifest_legacy)
{
	struct ct_err err;
	char **files = NULL;
	size_t n = 0;
	char *period = ct_xasprintf("%s/rep/20240301-20240401", dir);
	char *m;

	free(put("rep/20240301-20240401/a1/rep-1.csv.gz", "x"));
	free(put("rep/20240301-20240401/a1/rep-2.csv.gz", "x"));
	free(put("rep/20240301-20240401/a1/rep-Manifest.json", MANIFEST("a1")));
	/* one assembly and no current manifest: that one */
	ck_assert_int_eq(ct_manifest_select(period, &files, &n, &err), 1);
	ck_assert_int_eq((int)n, 2);
	ck_assert_ptr_nonnull(strstr(files[0], "20240301-20240401/a1/rep-1.csv.gz"));
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	free(files);
	/* a second assembly: refused without the period's own manifest */
	free(put("rep/20240301-20240401/a2/rep-1.csv.gz", "x"));
	free(put("rep/20240301-20240401/a2/rep-2.csv.gz", "x"));
	free(put("rep/20240301-20240401/a2/rep-Manifest.json", MANIFEST("a2")));
	ck_assert_int_eq(ct_manifest_select(period, &files, &n, &err), CT_E_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "2 assemblies"));
	/* the period's manifest names the current one */
	free(put("rep/20240301-20240401/rep-Manifest.json", MANIFEST("a2")));
	ck_assert_int_eq(ct_manifest_select(period, &files, &n, &err), 1);
	ck_assert_int_eq((int)n, 2);
	ck_assert_ptr_nonnull(strstr(files[1], "20240301-20240401/a2/rep-2.csv.gz"));
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	free(files);
	/* a manifest named on its own stands for its files */
	m = ct_xasprintf("%s/rep/20240301-20240401/a1/rep-Manifest.json", dir);
	ck_assert_int_eq(ct_manifest_expand(m, &files, &n, &err), 1);
	ck_assert_ptr_nonnull(strstr(files[0], "/a1/rep-1.csv.gz"));
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	free(files);
	free(m);
	/* a folder that is no delivery folder */
	ck_assert_int_eq(ct_manifest_select(dir, &files, &n, &err), 0);
	/* a named file missing: an incomplete download */
	free(put("rep/20240301-20240401/rep-Manifest.json",
		 "{\"reportKeys\": [\"pre/rep/20240301-20240401/a3/rep-1.csv.gz\"]}"));
	ck_assert_int_eq(ct_manifest_select(period, &files, &n, &err), CT_E_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "incomplete download"));
	/* Parquet, and junk */
	free(put("rep/20240301-20240401/rep-Manifest.json",
		 "{\"reportKeys\": [\"pre/rep/20240301-20240401/a3/rep-1.snappy.parquet\"]}"));
	ck_assert_int_eq(ct_manifest_select(period, &files, &n, &err), CT_E_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "Parquet"));
	free(put("rep/20240301-20240401/rep-Manifest.json", "{\"reportKeys\": 3}"));
	ck_assert_int_eq(ct_manifest_select(period, &files, &n, &err), CT_E_INPUT);
	free(put("rep/20240301-20240401/rep-Manifest.json", "not json"));
	ck_assert_int_eq(ct_manifest_select(period, &files, &n, &err), CT_E_INPUT);
	free(period);
}
END_TEST

START_TEST(test_manifest_cur2)
{
	struct ct_err err;
	char **files = NULL;
	size_t n = 0;
	char *root = ct_xasprintf("%s/exp", dir);

	free(put("exp/data/BILLING_PERIOD=2024-03/e1/exp-00001.csv.gz", "x"));
	free(put("exp/data/BILLING_PERIOD=2024-03/e2/exp-00001.csv.gz", "x"));
	free(put("exp/data/BILLING_PERIOD=2024-02/exp-00001.csv.gz", "x"));
	free(put("exp/metadata/BILLING_PERIOD=2024-03/exp-Manifest.json",
		 "{\"executionId\": \"e2\", \"dataFiles\": [\"s3://b/p/exp/data/"
		 "BILLING_PERIOD=2024-03/e2/exp-00001.csv.gz\"]}"));
	ck_assert_int_eq(ct_manifest_select(root, &files, &n, &err), 1);
	/* March from its manifest; February has none: its folder, as is */
	ck_assert_int_eq((int)n, 2);
	ck_assert_ptr_nonnull(strstr(files[0], "exp/data/BILLING_PERIOD=2024-03/e2/exp-00001.csv.gz"));
	ck_assert_ptr_nonnull(strstr(files[1], "exp/data/BILLING_PERIOD=2024-02"));
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	free(files);
	free(root);
}
END_TEST

static Suite *formats_suite(void)
{
	Suite *s = suite_create("formats");
	TCase *tc = tcase_create("formats");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_cur_line_item_types);
	tcase_add_test(tc, test_cur_spellings);
	tcase_add_test(tc, test_cur_short_rows_and_periods);
	tcase_add_test(tc, test_azure_rules);
	tcase_add_test(tc, test_azure_actual_with_amortized);
	tcase_add_test(tc, test_azure_mca_payg_localised);
	tcase_add_test(tc, test_gcp_csv_and_json);
	tcase_add_test(tc, test_oci);
	tcase_add_test(tc, test_forced_format);
	tcase_add_loop_test(tc, test_bad_input_changes_nothing, 0, CT_NELEM(bad));
	tcase_add_test(tc, test_truncated_gzip_cur);
	tcase_add_test(tc, test_tags);
	tcase_add_test(tc, test_tags_find);
	tcase_add_test(tc, test_manifest_legacy);
	tcase_add_test(tc, test_manifest_cur2);
	suite_add_tcase(s, tc);
	return s;
}

CT_TEST_MAIN(formats_suite)
