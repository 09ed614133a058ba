/*
 * cur.c - the AWS Cost and Usage Report reader (see cur.h).
 *
 * Depends on csv.c for records, money.c and clock.c for values, tags.c
 * for Tags, and hands normalised lines to ingest.c; it never touches the
 * store. The header is mapped once: every spelling of a column is
 * reduced to its letters and digits in lower case, so
 * "lineItem/UnblendedCost" (legacy CUR), "line_item_unblended_cost"
 * (Athena, CUR 2.0) and "savingsPlan/SavingsPlanARN" /
 * "savings_plan_savings_plan_a_r_n" meet in one table of handlers.
 *
 * FOCUS mapping. The line item type decides the charge category, the
 * frequency, the pricing category and how the amortized (effective) cost
 * is found. Billed cost is always lineItem/UnblendedCost: summed over all
 * line items of a month (discount, credit, fee and negation lines
 * included) it is what the invoice says. The FOCUS converters take
 * lineItem/NetUnblendedCost instead when a report has it; we do not,
 * because discounts also come as line items of their own (EdpDiscount,
 * BundledDiscount ...) and one rule for every report is easier to check
 * against the invoice.
 *
 *   LineItemType             ChargeCategory  Frequency    Pricing    EffectiveCost
 *   Usage                    Usage           Usage-Based  Standard*  unblended
 *   DiscountedUsage          Usage           Usage-Based  Committed  RI: see (1)
 *   SavingsPlanCoveredUsage  Usage           Usage-Based  Committed  SP: see (2)
 *   SavingsPlanNegation      Usage           Usage-Based  Committed  0
 *   SavingsPlanUpfrontFee    Purchase        One-Time     Standard   0
 *   SavingsPlanRecurringFee  Purchase        Recurring    Standard   see (3)
 *   RIFee                    Purchase        Recurring    Standard   see (4)
 *   Fee                      Purchase        One-Time     Standard   see (5)
 *   Tax                      Tax             Recurring    (null)     unblended
 *   Credit                   Credit          One-Time     (null)     unblended
 *   Refund                   Adjustment      One-Time     (null)     unblended
 *   BundledDiscount,
 *   Discount, EdpDiscount,
 *   PrivateRateDiscount      Usage           Usage-Based  Standard   unblended
 *   anything else            Adjustment      One-Time     (null)     unblended
 *   (*) Dynamic when lineItem/UsageType names spot usage ("SpotUsage")
 *   (1) reservation/EffectiveCost
 *   (2) savingsPlan/SavingsPlanEffectiveCost
 *   (3) savingsPlan/TotalCommitmentToDate - savingsPlan/UsedCommitment
 *   (4) reservation/UnusedAmortizedUpfrontFeeForBillingPeriod
 *       + reservation/UnusedRecurringFee
 *   (5) 0 with a reservation ARN (an RI's upfront fee), else unblended
 *
 * The effective-cost rules are the FOCUS converters' (focus_converters
 * conversion_configs/aws/effective_cost_S001.yaml): usage covered by a
 * commitment carries its amortized share, the fees that paid for it carry
 * only the unused part, so a month's effective total equals what the
 * commitments cost in it. An amortization column that is empty on a row
 * counts as 0 (CUR leaves them blank when they do not apply).
 *
 * Categories. The converters map every type but Tax and the fees to
 * Usage and Credit/Refund to Adjustment; they predate FOCUS 1.0, which
 * added the Credit category ("granted by the service provider ...
 * promotional credits"), so Credit maps to Credit. A Refund does not say
 * what it refunds, and FOCUS keeps refunds "in their category"; lacking
 * the category, Adjustment ("charges ... that do not fall into other
 * category values") is the honest one. SavingsPlanNegation and the
 * discount types are negative charges tied to the usage they reduce, and
 * FOCUS Usage explicitly includes negative charges, so they stay Usage as
 * the converters have it: by-service and by-account figures then show the
 * usage net of its discount, which is what the invoice shows.
 *
 * Other columns: BillingAccountId = bill/PayerAccountId, SubAccountId =
 * lineItem/UsageAccountId, ServiceName = product/ProductName (else the
 * CUR 2.0 product map's product_name, else lineItem/ProductCode),
 * ServiceCategory from lineItem/ProductCode through the converters' table
 * (aws_category_mapping.csv, 213 codes; "Other" when missing), RegionId =
 * product/regionCode or product/region, RegionName = product/location,
 * CommitmentDiscountId = the savings plan ARN, else the reservation ARN.
 * The billing period is bill/BillingPeriodStartDate/EndDate (the calendar
 * month of the usage when absent), the charge period
 * lineItem/UsageStartDate/EndDate (or identity/TimeInterval). ListCost is
 * pricing/publicOnDemandCost.
 *
 * Tags: resourceTags/user:Team becomes {"Team": ...}: FOCUS wants user
 * tags unprefixed when a provider has one user tag scheme, and AWS has
 * one; AWS-generated tags keep their prefix (resourceTags/aws:createdBy
 * becomes "aws:createdBy"). CUR 2.0's resource_tags map likewise drops
 * "user_" from its keys; Athena's flattened resource_tags_user_team
 * columns give "team". Empty tag values are tags the resource does not
 * have and are left out. Cost categories are not tags and are ignored.
 */
#include "ct.h"
#include "cur.h"
#include "clock.h"
#include "csv.h"
#include "ingest.h"
#include "money.h"
#include "stream.h"
#include "tags.h"

#include <strings.h>

enum field {
	F_PAYER, F_PAYER_NAME, F_BP_START, F_BP_END, F_INVOICE_ID,
	F_INVOICING_ENTITY, F_BILLING_ENTITY, F_USAGE_ACCOUNT,
	F_USAGE_ACCOUNT_NAME, F_TYPE, F_USAGE_START, F_USAGE_END,
	F_TIME_INTERVAL, F_PRODUCT_CODE, F_USAGE_TYPE, F_AZ, F_RESOURCE_ID,
	F_USAGE_AMOUNT, F_CURRENCY, F_UNBLENDED, F_DESCRIPTION, F_LEGAL_ENTITY,
	F_PRODUCT_NAME, F_REGION_CODE, F_REGION, F_LOCATION, F_SKU,
	F_PRICING_UNIT, F_PUBLIC_COST, F_PUBLIC_RATE, F_RES_ARN,
	F_RES_EFFECTIVE, F_RES_UNUSED_UPFRONT, F_RES_UNUSED_RECURRING,
	F_SP_ARN, F_SP_EFFECTIVE, F_SP_TOTAL, F_SP_USED, F_TAG_MAP,
	F_PRODUCT_MAP, F__N
};

/* Column names reduced to lower-case letters and digits (see norm()). */
static const struct {
	const char *key;
	enum field f;
	const char *shown; /* the legacy name, for messages */
} names[] = {
	{"billpayeraccountid", F_PAYER, "bill/PayerAccountId"},
	{"billpayeraccountname", F_PAYER_NAME, "bill/PayerAccountName"},
	{"billbillingperiodstartdate", F_BP_START, "bill/BillingPeriodStartDate"},
	{"billbillingperiodenddate", F_BP_END, "bill/BillingPeriodEndDate"},
	{"billinvoiceid", F_INVOICE_ID, "bill/InvoiceId"},
	{"billinvoicingentity", F_INVOICING_ENTITY, "bill/InvoicingEntity"},
	{"billbillingentity", F_BILLING_ENTITY, "bill/BillingEntity"},
	{"lineitemusageaccountid", F_USAGE_ACCOUNT, "lineItem/UsageAccountId"},
	{"lineitemusageaccountname", F_USAGE_ACCOUNT_NAME, "lineItem/UsageAccountName"},
	{"lineitemlineitemtype", F_TYPE, "lineItem/LineItemType"},
	{"lineitemusagestartdate", F_USAGE_START, "lineItem/UsageStartDate"},
	{"lineitemusageenddate", F_USAGE_END, "lineItem/UsageEndDate"},
	{"identitytimeinterval", F_TIME_INTERVAL, "identity/TimeInterval"},
	{"lineitemproductcode", F_PRODUCT_CODE, "lineItem/ProductCode"},
	{"lineitemusagetype", F_USAGE_TYPE, "lineItem/UsageType"},
	{"lineitemavailabilityzone", F_AZ, "lineItem/AvailabilityZone"},
	{"lineitemresourceid", F_RESOURCE_ID, "lineItem/ResourceId"},
	{"lineitemusageamount", F_USAGE_AMOUNT, "lineItem/UsageAmount"},
	{"lineitemcurrencycode", F_CURRENCY, "lineItem/CurrencyCode"},
	{"lineitemunblendedcost", F_UNBLENDED, "lineItem/UnblendedCost"},
	{"lineitemlineitemdescription", F_DESCRIPTION, "lineItem/LineItemDescription"},
	{"lineitemlegalentity", F_LEGAL_ENTITY, "lineItem/LegalEntity"},
	{"productproductname", F_PRODUCT_NAME, "product/ProductName"},
	{"productregioncode", F_REGION_CODE, "product/regionCode"},
	{"productregion", F_REGION, "product/region"},
	{"productlocation", F_LOCATION, "product/location"},
	{"productsku", F_SKU, "product/sku"},
	{"pricingunit", F_PRICING_UNIT, "pricing/unit"},
	{"pricingpublicondemandcost", F_PUBLIC_COST, "pricing/publicOnDemandCost"},
	{"pricingpublicondemandrate", F_PUBLIC_RATE, "pricing/publicOnDemandRate"},
	{"reservationreservationarn", F_RES_ARN, "reservation/ReservationARN"},
	{"reservationeffectivecost", F_RES_EFFECTIVE, "reservation/EffectiveCost"},
	{"reservationunusedamortizedupfrontfeeforbillingperiod", F_RES_UNUSED_UPFRONT,
	 "reservation/UnusedAmortizedUpfrontFeeForBillingPeriod"},
	{"reservationunusedrecurringfee", F_RES_UNUSED_RECURRING, "reservation/UnusedRecurringFee"},
	{"savingsplansavingsplanarn", F_SP_ARN, "savingsPlan/SavingsPlanARN"},
	{"savingsplansavingsplaneffectivecost", F_SP_EFFECTIVE,
	 "savingsPlan/SavingsPlanEffectiveCost"},
	{"savingsplantotalcommitmenttodate", F_SP_TOTAL, "savingsPlan/TotalCommitmentToDate"},
	{"savingsplanusedcommitment", F_SP_USED, "savingsPlan/UsedCommitment"},
	{"resourcetags", F_TAG_MAP, "resource_tags"},
	{"product", F_PRODUCT_MAP, "product"},
};

/* ServiceCategory by lineItem/ProductCode: the FOCUS converters'
 * conversion_configs/aws/mapping_files/aws_category_mapping.csv, sorted
 * by the lower-case code. */
static const struct category {
	const char *code, *category;
} categories[] = {
	{"A4B", "Business Applications"},
	{"Amazon EC2 Spot Instances*", "Compute"},
	{"Amazon EventBridge", "Integration"},
	{"AmazonA2I", "AI and Machine Learning"},
	{"AmazonApiGateway", "Networking"},
	{"AmazonAppStream", "Compute"},
	{"AmazonAthena", "Analytics"},
	{"AmazonBedrock", "AI and Machine Learning"},
	{"AmazonBraket", "Other"},
	{"AmazonChime", "Business Applications"},
	{"AmazonChimeBusinessCalling", "Business Applications"},
	{"AmazonChimeCallMe", "Business Applications"},
	{"AmazonChimeCallMeAMCS", "Business Applications"},
	{"AmazonChimeDialin", "Business Applications"},
	{"AmazonChimeDialInAMCS", "Business Applications"},
	{"AmazonChimeFeatures", "Business Applications"},
	{"AmazonChimeServices", "Business Applications"},
	{"AmazonChimeVoiceConnector", "Business Applications"},
	{"AmazonCloudFront", "Networking"},
	{"AmazonCloudSearch", "Analytics"},
	{"AmazonCloudWatch", "Management and Governance"},
	{"AmazonCodeWhisperer", "AI and Machine Learning"},
	{"AmazonCognito", "Security"},
	{"AmazonCognitoSync", "Security"},
	{"AmazonDetective", "Security"},
	{"AmazonDevOpsGuru", "AI and Machine Learning"},
	{"AmazonDocDB", "Databases"},
	{"AmazonDynamoDB", "Databases"},
	{"AmazonEBS", "Storage"},
	{"AmazonEC2", "Compute"},
	{"AmazonECR", "Compute"},
	{"AmazonECRPublic", "Compute"},
	{"AmazonECS", "Compute"},
	{"AmazonEFS", "Storage"},
	{"AmazonEI", "AI and Machine Learning"},
	{"AmazonEKS", "Compute"},
	{"AmazonElastiCache", "Databases"},
	{"AmazonES", "Analytics"},
	{"AmazonETS", "Media"},
	{"AmazonFinSpace", "Analytics"},
	{"AmazonForecast", "AI and Machine Learning"},
	{"AmazonFraudDetector", "AI and Machine Learning"},
	{"AmazonFSx", "Storage"},
	{"AmazonGlacier", "Storage"},
	{"AmazonGrafana", "Management and Governance"},
	{"AmazonGuardDuty", "Security"},
	{"AmazonHealthLake", "AI and Machine Learning"},
	{"AmazonHoneycode", "Business Applications"},
	{"AmazonInspector", "Security"},
	{"AmazonInspectorV2", "Security"},
	{"AmazonIVS", "Media"},
	{"AmazonKendra", "AI and Machine Learning"},
	{"AmazonKinesis", "Analytics"},
	{"AmazonKinesisAnalytics", "Analytics"},
	{"AmazonKinesisFirehose", "Analytics"},
	{"AmazonKinesisVideo", "Media"},
	{"AmazonLex", "AI and Machine Learning"},
	{"AmazonLightsail", "Compute"},
	{"AmazonLookoutEquipment", "AI and Machine Learning"},
	{"AmazonLookoutMetrics", "AI and Machine Learning"},
	{"AmazonLookoutVision", "AI and Machine Learning"},
	{"AmazonMacie", "Security"},
	{"AmazonManagedBlockchain", "Other"},
	{"AmazonMCS", "Databases"},
	{"AmazonMemoryDB", "Databases"},
	{"AmazonMonitron", "AI and Machine Learning"},
	{"AmazonMQ", "Integration"},
	{"AmazonMSK", "Analytics"},
	{"AmazonMWAA", "Integration"},
	{"AmazonNeptune", "Databases"},
	{"AmazonOmics", "AI and Machine Learning"},
	{"AmazonPersonalize", "AI and Machine Learning"},
	{"AmazonPinpoint", "Business Applications"},
	{"AmazonPolly", "AI and Machine Learning"},
	{"AmazonPrometheus", "Management and Governance"},
	{"AmazonQLDB", "Other"},
	{"AmazonQuickSight", "Analytics"},
	{"AmazonRDS", "Databases"},
	{"AmazonRedshift", "Databases"},
	{"AmazonRekognition", "AI and Machine Learning"},
	{"AmazonRoute53", "Networking"},
	{"AmazonS3", "Storage"},
	{"AmazonS3GlacierDeepArchive", "Storage"},
	{"AmazonSageMaker", "AI and Machine Learning"},
	{"AmazonSecurityLake", "Security"},
	{"AmazonSES", "Business Applications"},
	{"AmazonSNS", "Integration"},
	{"AmazonStates", "Integration"},
	{"AmazonSWF", "Business Applications"},
	{"AmazonTextract", "AI and Machine Learning"},
	{"AmazonTimestream", "Databases"},
	{"AmazonVerifiedPermissions", "Security"},
	{"AmazonVPC", "Networking"},
	{"AmazonWAM", "Business Applications"},
	{"AmazonWorkDocs", "Business Applications"},
	{"AmazonWorkLink", "Business Applications"},
	{"AmazonWorkMail", "Business Applications"},
	{"AmazonWorkSpacesWeb", "Business Applications"},
	{"AppFlow", "Integration"},
	{"auditmanager", "Security"},
	{"AWS App Mesh*", "Networking"},
	{"AWS App2Container*", "Compute"},
	{"AWS Auto Scaling*", "Compute"},
	{"AWS Batch*", "Compute"},
	{"AWS Compute Optimizer*", "Compute"},
	{"AWS Copilot*", "Compute"},
	{"AWS Cost and Usage Report*", "Management and Governance"},
	{"AWS EC2 Auto Scaling*", "Compute"},
	{"AWS Elastic Beanstalk*", "Compute"},
	{"AWS Fargate*", "Compute"},
	{"AWS Local Zones*", "Compute"},
	{"AWS PrivateLink*", "Networking"},
	{"AWS Serverless Application Repository*", "Compute"},
	{"AWS Transit Gateway*", "Networking"},
	{"AWS Verified Access*", "Networking"},
	{"AWS VPN*", "Networking"},
	{"AWS Wavelength*", "Compute"},
	{"AWSAmplify", "Developer Tools"},
	{"AWSAppFabric", "Integration"},
	{"AWSApplicationMigrationSvc", "Migration"},
	{"AWSAppRunner", "Compute"},
	{"AWSAppSync", "Developer Tools"},
	{"AWSBackup", "Storage"},
	{"AWSBillingConductor", "Management and Governance"},
	{"AWSBudgets", "Management and Governance"},
	{"AWSCertificateManager", "Security"},
	{"AWSCleanRooms", "Analytics"},
	{"AWSCloudFormation", "Management and Governance"},
	{"AWSCloudMap", "Networking"},
	{"AWSCloudTrail", "Management and Governance"},
	{"AWSCloudWAN", "Networking"},
	{"AWSCodeArtifact", "Developer Tools"},
	{"AWSCodeCommit", "Developer Tools"},
	{"AWSCodeDeploy", "Developer Tools"},
	{"AWSCodePipeline", "Developer Tools"},
	{"AWSConfig", "Management and Governance"},
	{"AWSCostExplorer", "Management and Governance"},
	{"AWSDatabaseMigrationSvc", "Migration"},
	{"AWSDataExchange", "Analytics"},
	{"AWSDataSync", "Migration"},
	{"AWSDataTransfer", "Networking"},
	{"AWSDeepRacer", "AI and Machine Learning"},
	{"AWSDeviceFarm", "Developer Tools"},
	{"AWSDirectConnect", "Networking"},
	{"AWSDirectoryService", "Security"},
	{"AWSElasticDisasterRecovery", "Storage"},
	{"AWSELB", "Networking"},
	{"AWSElementalMediaConvert", "Media"},
	{"AWSElementalMediaLive", "Media"},
	{"AWSElementalMediaPackage", "Media"},
	{"AWSElementalMediaStore", "Media"},
	{"AWSElementalMediaTailor", "Media"},
	{"AWSFMS", "Security"},
	{"AWSGlobalAccelerator", "Networking"},
	{"AWSGlue", "Analytics"},
	{"AWSGlueElasticViews", "Analytics"},
	{"AWSGreengrass", "Internet of Things"},
	{"AWSGroundStation", "Other"},
	{"AWSIoT", "Internet of Things"},
	{"AWSIoT1Click", "Internet of Things"},
	{"AWSIoTAnalytics", "Internet of Things"},
	{"AWSIoTEvents", "Internet of Things"},
	{"AWSIoTFleetWise", "Internet of Things"},
	{"AWSIoTSiteWise", "Internet of Things"},
	{"AWSIoTThingsGraph", "Internet of Things"},
	{"awskms", "Security"},
	{"AWSLakeFormation", "Analytics"},
	{"AWSLambda", "Compute"},
	{"AWSM2", "Migration"},
	{"AWSMediaConnect", "Media"},
	{"AWSNetworkFirewall", "Networking"},
	{"AWSOutposts", "Compute"},
	{"AWSPrivate5G", "Networking"},
	{"AWSQueueService", "Integration"},
	{"AWSResilienceHub", "Management and Governance"},
	{"AWSRoboMaker", "Other"},
	{"AWSSecretsManager", "Security"},
	{"AWSSecurityHub", "Security"},
	{"AWSServiceCatalog", "Management and Governance"},
	{"AWSShield", "Security"},
	{"AWSStorageGateway", "Storage"},
	{"AWSStorageGatewayDeepArchive", "Storage"},
	{"AWSSupplyChain", "Business Applications"},
	{"AWSSystemsManager", "Management and Governance"},
	{"AWSTransfer", "Migration"},
	{"awswaf", "Security"},
	{"AWSWickr", "Business Applications"},
	{"AWSWisdom", "Business Applications"},
	{"CloudHSM", "Security"},
	{"CodeBuild", "Developer Tools"},
	{"CodeCatalyst", "Developer Tools"},
	{"CodeGuru", "Developer Tools"},
	{"comprehend", "AI and Machine Learning"},
	{"Compute", "Business Applications"},
	{"ComputeSavingsPlans", "Compute"},
	{"ContactLensAmazonConnect", "Business Applications"},
	{"CustomerProfiles", "Business Applications"},
	{"datapipeline", "Analytics"},
	{"ElasticMapReduce", "Analytics"},
	{"IngestionServiceSnowball", "Storage"},
	{"IoTDeviceDefender", "Internet of Things"},
	{"IoTDeviceManagement", "Internet of Things"},
	{"IoTTwinMaker", "Internet of Things"},
	{"nimble", "Media"},
	{"OpsWorks", "Management and Governance"},
	{"Red Hat OpenShift Service on AWS*", "Compute"},
	{"Reserved Instance (RI) Reporting*", "Management and Governance"},
	{"Savings Plans*", "Management and Governance"},
	{"SimSpaceWeaver", "Compute"},
	{"SnowballExtraDays", "Storage"},
	{"transcribe", "AI and Machine Learning"},
	{"translate", "AI and Machine Learning"},
	{"VMwareCloudOnAWS", "Compute"},
};

static int cmp_category(const void *key, const void *elem)
{
	const char *k = key;
	const struct category *c = elem;

	return strcasecmp(k, c->code);
}

/* Line item types: how each maps (see the table at the top). */
enum effective {
	E_UNBLENDED, E_ZERO, E_RESERVATION, E_SAVINGS_PLAN, E_SP_UNUSED,
	E_RI_UNUSED, E_FEE
};

static const struct type {
	const char *name;
	const char *category, *frequency, *pricing;
	enum effective eff;
	bool used; /* commitment discount status Used */
} types[] = {
	{"Usage", "Usage", "Usage-Based", "Standard", E_UNBLENDED, false},
	{"DiscountedUsage", "Usage", "Usage-Based", "Committed", E_RESERVATION, true},
	{"SavingsPlanCoveredUsage", "Usage", "Usage-Based", "Committed", E_SAVINGS_PLAN, true},
	{"SavingsPlanNegation", "Usage", "Usage-Based", "Committed", E_ZERO, false},
	{"SavingsPlanUpfrontFee", "Purchase", "One-Time", "Standard", E_ZERO, false},
	{"SavingsPlanRecurringFee", "Purchase", "Recurring", "Standard", E_SP_UNUSED, false},
	{"RIFee", "Purchase", "Recurring", "Standard", E_RI_UNUSED, false},
	{"Fee", "Purchase", "One-Time", "Standard", E_FEE, false},
	{"Tax", "Tax", "Recurring", NULL, E_UNBLENDED, false},
	{"Credit", "Credit", "One-Time", NULL, E_UNBLENDED, false},
	{"Refund", "Adjustment", "One-Time", NULL, E_UNBLENDED, false},
	{"BundledDiscount", "Usage", "Usage-Based", "Standard", E_UNBLENDED, false},
	{"Discount", "Usage", "Usage-Based", "Standard", E_UNBLENDED, false},
	{"EdpDiscount", "Usage", "Usage-Based", "Standard", E_UNBLENDED, false},
	{"PrivateRateDiscount", "Usage", "Usage-Based", "Standard", E_UNBLENDED, false},
};
static const struct type other_type = {
	NULL, "Adjustment", "One-Time", NULL, E_UNBLENDED, false
};

#define MAX_TAG_COLUMNS 1024

struct tag_col {
	long idx;
	char *key;    /* owned */
	size_t klen;
};

/* A parsed time, remembered: most rows repeat the billing period. */
struct tcache {
	char text[40];
	size_t len;
	int64_t t;
};

struct plan {
	size_t ncol;
	long idx[F__N];
	struct tag_col *tags;
	size_t ntags;
	struct ct_tags set;       /* the row's Tags */
	struct ct_tags scratch;   /* product map lookups (ServiceName) */
	struct tcache bp_start, bp_end;
	char code[64];           /* product code of the last category lookup */
	const char *category;
};

/* Lower-case letters and digits of s, into out (cap bytes). */
static void norm(const char *s, char *out, size_t cap)
{
	size_t n = 0;

	for (; *s && n + 1 < cap; s++) {
		char c = *s;
		if (c >= 'A' && c <= 'Z')
			out[n++] = (char)(c - 'A' + 'a');
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[n++] = c;
	}
	out[n] = '\0';
}

/* A tag column: resourceTags/KEY (legacy) or resource_tags_KEY (Athena).
 * @return the key (borrowed from s), or NULL. */
static const char *tag_key(const char *s)
{
	if (!strncasecmp(s, "resourceTags/", 13))
		return s + 13;
	if (!strncasecmp(s, "resource_tags_", 14))
		return s + 14;
	return NULL;
}

static void map_header(const struct ct_csv_rec *hdr, long *idx)
{
	char k[96];

	for (int f = 0; f < F__N; f++)
		idx[f] = -1;
	for (size_t i = 0; i < hdr->n; i++) {
		if (tag_key(hdr->field[i]))
			continue;
		norm(hdr->field[i], k, sizeof(k));
		for (size_t c = 0; c < CT_NELEM(names); c++)
			if (idx[names[c].f] < 0 && !strcmp(k, names[c].key))
				idx[names[c].f] = (long)i;
	}
}

bool ct_cur_detect(const struct ct_csv_rec *hdr, const char **label)
{
	long idx[F__N];
	bool slash = false;

	map_header(hdr, idx);
	if (idx[F_UNBLENDED] < 0 ||
	    (idx[F_USAGE_START] < 0 && idx[F_TIME_INTERVAL] < 0) ||
	    (idx[F_PAYER] < 0 && idx[F_USAGE_ACCOUNT] < 0))
		return false;
	for (size_t i = 0; i < hdr->n && !slash; i++)
		slash = strchr(hdr->field[i], '/') != NULL;
	if (slash)
		*label = "aws-cur";
	else if (idx[F_TAG_MAP] >= 0 || idx[F_PRODUCT_MAP] >= 0 ||
		 idx[F_PAYER_NAME] >= 0 || idx[F_USAGE_ACCOUNT_NAME] >= 0)
		*label = "aws-cur-2.0";
	else
		*label = "aws-cur-athena";
	return true;
}

/* ---- values ----------------------------------------------------------- */

/* Field f of r: NULL when the column is absent, the row short, or the
 * field empty. */
static const char *fv(const struct plan *pl, const struct ct_csv_rec *r,
		      enum field f, size_t *len)
{
	long i = pl->idx[f];

	if (i < 0 || (size_t)i >= r->n || !r->len[i])
		return NULL;
	*len = r->len[i];
	return r->field[i];
}


static const char *col_name(enum field f)
{
	for (size_t c = 0; c < CT_NELEM(names); c++)
		if (names[c].f == f)
			return names[c].shown;
	return "?";
}

static int bad(struct ct_err *err, struct ct_csv *csv, long line,
	       enum field f, const char *what, const char *v, size_t len)
{
	char buf[48];

	return ct_err_set(err, CT_E_INPUT, ct_stream_name(ct_csv_stream(csv)),
			  line, "%s %s: '%s'", col_name(f), what,
			  ct_err_snippet(v, len, buf, sizeof(buf)));
}

/* Money in column f; an empty field is 0. */
static int money(const struct plan *pl, struct ct_csv *csv,
		 const struct ct_csv_rec *r, enum field f, ct_money *out,
		 bool *present, struct ct_err *err)
{
	size_t len;
	const char *v = fv(pl, r, f, &len);

	*out = 0;
	if (present)
		*present = v != NULL;
	if (!v)
		return CT_OK;
	if (ct_money_parse(v, len, out) != CT_OK)
		return bad(err, csv, r->line, f, "is not a number", v, len);
	return CT_OK;
}

static int qty(const struct plan *pl, struct ct_csv *csv,
	       const struct ct_csv_rec *r, enum field f, double *out,
	       bool *present, struct ct_err *err)
{
	size_t len;
	const char *v = fv(pl, r, f, &len);

	*present = false;
	if (!v)
		return CT_OK;
	if (ct_num_parse(v, len, out) != CT_OK)
		return bad(err, csv, r->line, f, "is not a number", v, len);
	*present = true;
	return CT_OK;
}

static int parse_time(struct tcache *c, const char *v, size_t len,
		      int64_t *out)
{
	if (c && c->len == len && !memcmp(c->text, v, len)) {
		*out = c->t;
		return CT_OK;
	}
	if (ct_clock_parse(v, len, out) != CT_OK)
		return CT_E_INPUT;
	if (c && len < sizeof(c->text)) {
		memcpy(c->text, v, len);
		c->len = len;
		c->t = *out;
	}
	return CT_OK;
}

static int64_t month_start(int64_t t)
{
	int y;
	unsigned m, d;

	ct_clock_civil_from_days(ct_clock_day(t), &y, &m, &d);
	return ct_clock_days_from_civil(y, m, 1) * 86400;
}

static int64_t next_month(int64_t t)
{
	int y;
	unsigned m, d;

	ct_clock_civil_from_days(ct_clock_day(t), &y, &m, &d);
	return ct_clock_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1,
					1) * 86400;
}

static const struct type *find_type(const char *v, size_t len)
{
	if (!v)
		return &types[0]; /* no type column: plain usage */
	for (size_t i = 0; i < CT_NELEM(types); i++)
		if (strlen(types[i].name) == len && !memcmp(types[i].name, v, len))
			return &types[i];
	return &other_type;
}

static const char *category_of(struct plan *pl, const char *code, size_t len)
{
	const struct category *c;

	if (!code || len >= sizeof(pl->code))
		return "Other";
	if (pl->category && !memcmp(pl->code, code, len) && !pl->code[len])
		return pl->category;
	memcpy(pl->code, code, len);
	pl->code[len] = '\0';
	c = bsearch(pl->code, categories, CT_NELEM(categories),
		    sizeof(categories[0]), cmp_category);
	pl->category = c ? c->category : "Other";
	return pl->category;
}

static void set_dim(struct ct_line *ln, enum ct_dim d, const char *v, size_t len)
{
	ln->dim[d] = v;
	ln->dimlen[d] = v ? len : 0;
}

static void set_const(struct ct_line *ln, enum ct_dim d, const char *v)
{
	set_dim(ln, d, v, v ? strlen(v) : 0);
}

/* Copy field f into dimension d when present. */
static void copy_dim(const struct plan *pl, const struct ct_csv_rec *r,
		     struct ct_line *ln, enum field f, enum ct_dim d)
{
	size_t len;
	const char *v = fv(pl, r, f, &len);

	if (v)
		set_dim(ln, d, v, len);
}

static bool contains(const char *v, size_t len, const char *what)
{
	size_t n = strlen(what);

	for (size_t i = 0; v && i + n <= len; i++)
		if (!memcmp(v + i, what, n))
			return true;
	return false;
}

/* ---- rows ------------------------------------------------------------- */

static int times(struct plan *pl, struct ct_csv *csv,
		 const struct ct_csv_rec *r, struct ct_line *ln,
		 struct ct_err *err)
{
	size_t len = 0, len2 = 0;
	const char *v = fv(pl, r, F_USAGE_START, &len);
	const char *e = fv(pl, r, F_USAGE_END, &len2);
	const char *name = ct_stream_name(ct_csv_stream(csv));

	if (!v) {
		/* identity/TimeInterval: START/END */
		const char *ti = fv(pl, r, F_TIME_INTERVAL, &len);
		const char *slash = ti ? memchr(ti, '/', len) : NULL;
		if (!ti)
			return ct_err_set(err, CT_E_INPUT, name, r->line,
					  "lineItem/UsageStartDate is empty");
		if (!slash)
			return bad(err, csv, r->line, F_TIME_INTERVAL,
				   "is not START/END", ti, len);
		v = ti;
		e = slash + 1;
		len2 = len - (size_t)(e - ti);
		len = (size_t)(slash - ti);
	}
	if (parse_time(NULL, v, len, &ln->charge_start) != CT_OK)
		return bad(err, csv, r->line, F_USAGE_START, "is not a date and time",
			   v, len);
	if (!e) {
		ln->charge_end = ln->charge_start;
	} else if (parse_time(NULL, e, len2, &ln->charge_end) != CT_OK) {
		return bad(err, csv, r->line, F_USAGE_END, "is not a date and time",
			   e, len2);
	}
	if (ln->charge_end < ln->charge_start)
		return ct_err_set(err, CT_E_INPUT, name, r->line,
				  "lineItem/UsageEndDate is before lineItem/UsageStartDate");
	v = fv(pl, r, F_BP_START, &len);
	if (!v)
		ln->billing_period_start = month_start(ln->charge_start);
	else if (parse_time(&pl->bp_start, v, len, &ln->billing_period_start) != CT_OK)
		return bad(err, csv, r->line, F_BP_START, "is not a date and time",
			   v, len);
	v = fv(pl, r, F_BP_END, &len);
	if (!v)
		ln->billing_period_end = next_month(ln->billing_period_start);
	else if (parse_time(&pl->bp_end, v, len, &ln->billing_period_end) != CT_OK)
		return bad(err, csv, r->line, F_BP_END, "is not a date and time",
			   v, len);
	return CT_OK;
}

static int effective(const struct plan *pl, struct ct_csv *csv,
		     const struct ct_csv_rec *r, const struct type *ty,
		     struct ct_line *ln, struct ct_err *err)
{
	ct_money a = 0, b = 0;
	size_t len;

	switch (ty->eff) {
	case E_UNBLENDED:
		ln->effective = ln->billed;
		return CT_OK;
	case E_ZERO:
		ln->effective = 0;
		return CT_OK;
	case E_RESERVATION:
		return money(pl, csv, r, F_RES_EFFECTIVE, &ln->effective, NULL, err);
	case E_SAVINGS_PLAN:
		return money(pl, csv, r, F_SP_EFFECTIVE, &ln->effective, NULL, err);
	case E_SP_UNUSED:
		if (money(pl, csv, r, F_SP_TOTAL, &a, NULL, err) != CT_OK ||
		    money(pl, csv, r, F_SP_USED, &b, NULL, err) != CT_OK)
			return CT_E_INPUT;
		ln->effective = a - b;
		return CT_OK;
	case E_RI_UNUSED:
		if (money(pl, csv, r, F_RES_UNUSED_UPFRONT, &a, NULL, err) != CT_OK ||
		    money(pl, csv, r, F_RES_UNUSED_RECURRING, &b, NULL, err) != CT_OK)
			return CT_E_INPUT;
		ln->effective = a + b;
		return CT_OK;
	case E_FEE:
		ln->effective = fv(pl, r, F_RES_ARN, &len) ? 0 : ln->billed;
		return CT_OK;
	}
	return CT_OK;
}

static int tags(struct plan *pl, struct ct_csv *csv,
		const struct ct_csv_rec *r, struct ct_line *ln,
		struct ct_err *err)
{
	const char *v, *json;
	size_t len;

	ct_tags_reset(&pl->set);
	for (size_t i = 0; i < pl->ntags; i++) {
		long k = pl->tags[i].idx;
		if ((size_t)k < r->n && r->len[k])
			ct_tags_add(&pl->set, pl->tags[i].key, pl->tags[i].klen,
				    r->field[k], r->len[k], CT_TAGS_STRIP_USER);
	}
	v = fv(pl, r, F_TAG_MAP, &len);
	if (v && ct_tags_add_object(&pl->set, v, len, CT_TAGS_STRIP_USER) != CT_OK)
		return bad(err, csv, r->line, F_TAG_MAP, "is not a JSON object",
			   v, len);
	json = ct_tags_json(&pl->set, &len);
	if (json)
		set_dim(ln, CT_DIM_TAGS, json, len);
	return CT_OK;
}

static int convert(struct plan *pl, struct ct_csv *csv,
		   const struct ct_csv_rec *r, struct ct_line *ln,
		   struct ct_err *err)
{
	const char *name = ct_stream_name(ct_csv_stream(csv));
	const struct type *ty;
	const char *v, *code;
	size_t len = 0, clen = 0;
	bool has;

	memset(ln, 0, sizeof(*ln));
	if (times(pl, csv, r, ln, err) != CT_OK)
		return CT_E_INPUT;
	v = fv(pl, r, F_TYPE, &len);
	ty = find_type(v, len);

	if (!fv(pl, r, F_UNBLENDED, &len))
		return ct_err_set(err, CT_E_INPUT, name, r->line,
				  "lineItem/UnblendedCost is empty");
	if (money(pl, csv, r, F_UNBLENDED, &ln->billed, NULL, err) != CT_OK ||
	    effective(pl, csv, r, ty, ln, err) != CT_OK ||
	    money(pl, csv, r, F_PUBLIC_COST, &ln->list, &ln->has_list, err) != CT_OK)
		return CT_E_INPUT;
	if (qty(pl, csv, r, F_USAGE_AMOUNT, &ln->qty[CT_QTY_CONSUMED_QUANTITY],
		&has, err) != CT_OK)
		return CT_E_INPUT;
	ln->has_qty[CT_QTY_CONSUMED_QUANTITY] = has;
	ln->qty[CT_QTY_PRICING_QUANTITY] = ln->qty[CT_QTY_CONSUMED_QUANTITY];
	ln->has_qty[CT_QTY_PRICING_QUANTITY] = has;
	if (qty(pl, csv, r, F_PUBLIC_RATE, &ln->qty[CT_QTY_LIST_UNIT_PRICE],
		&ln->has_qty[CT_QTY_LIST_UNIT_PRICE], err) != CT_OK)
		return CT_E_INPUT;

	set_const(ln, CT_DIM_PROVIDER_NAME, "AWS");
	v = fv(pl, r, F_PAYER, &len);
	if (!v)
		v = fv(pl, r, F_USAGE_ACCOUNT, &len);
	if (!v)
		return ct_err_set(err, CT_E_INPUT, name, r->line,
				  "bill/PayerAccountId is empty");
	set_dim(ln, CT_DIM_BILLING_ACCOUNT_ID, v, len);
	copy_dim(pl, r, ln, F_PAYER_NAME, CT_DIM_BILLING_ACCOUNT_NAME);
	copy_dim(pl, r, ln, F_USAGE_ACCOUNT, CT_DIM_SUB_ACCOUNT_ID);
	copy_dim(pl, r, ln, F_USAGE_ACCOUNT_NAME, CT_DIM_SUB_ACCOUNT_NAME);
	copy_dim(pl, r, ln, F_BILLING_ENTITY, CT_DIM_PUBLISHER_NAME);
	copy_dim(pl, r, ln, F_LEGAL_ENTITY, CT_DIM_PUBLISHER_NAME);
	copy_dim(pl, r, ln, F_INVOICING_ENTITY, CT_DIM_INVOICE_ISSUER_NAME);
	copy_dim(pl, r, ln, F_INVOICE_ID, CT_DIM_INVOICE_ID);
	v = fv(pl, r, F_CURRENCY, &len);
	if (v && len > CT_CURRENCY_MAX)
		return bad(err, csv, r->line, F_CURRENCY, "is not a currency code",
			   v, len);
	set_dim(ln, CT_DIM_BILLING_CURRENCY, v, len);

	set_const(ln, CT_DIM_CHARGE_CATEGORY, ty->category);
	set_const(ln, CT_DIM_CHARGE_FREQUENCY, ty->frequency);
	v = fv(pl, r, F_USAGE_TYPE, &len);
	if (ty->pricing && !strcmp(ty->pricing, "Standard") &&
	    !strcmp(ty->category, "Usage") && contains(v, len, "SpotUsage"))
		set_const(ln, CT_DIM_PRICING_CATEGORY, "Dynamic");
	else
		set_const(ln, CT_DIM_PRICING_CATEGORY, ty->pricing);
	if (v)
		set_dim(ln, CT_DIM_SKU_METER, v, len);
	copy_dim(pl, r, ln, F_DESCRIPTION, CT_DIM_CHARGE_DESCRIPTION);
	copy_dim(pl, r, ln, F_PRICING_UNIT, CT_DIM_PRICING_UNIT);
	copy_dim(pl, r, ln, F_PRICING_UNIT, CT_DIM_CONSUMED_UNIT);

	code = fv(pl, r, F_PRODUCT_CODE, &clen);
	v = fv(pl, r, F_PRODUCT_NAME, &len);
	if (!v && (v = fv(pl, r, F_PRODUCT_MAP, &len)) != NULL) {
		const char *map = v;
		size_t mlen = len;
		if (ct_tags_find(&pl->scratch, map, mlen, "product_name", &v,
				 &len) != CT_OK)
			return bad(err, csv, r->line, F_PRODUCT_MAP,
				   "is not a JSON object", map, mlen);
	}
	if (!v || !len) {
		v = code;
		len = clen;
	}
	set_dim(ln, CT_DIM_SERVICE_NAME, v, len);
	set_const(ln, CT_DIM_SERVICE_CATEGORY, category_of(pl, code, clen));
	copy_dim(pl, r, ln, F_REGION, CT_DIM_REGION_ID);
	copy_dim(pl, r, ln, F_REGION_CODE, CT_DIM_REGION_ID);
	copy_dim(pl, r, ln, F_LOCATION, CT_DIM_REGION_NAME);
	copy_dim(pl, r, ln, F_AZ, CT_DIM_AVAILABILITY_ZONE);
	copy_dim(pl, r, ln, F_RESOURCE_ID, CT_DIM_RESOURCE_ID);
	copy_dim(pl, r, ln, F_SKU, CT_DIM_SKU_ID);

	if ((v = fv(pl, r, F_SP_ARN, &len)) != NULL) {
		set_dim(ln, CT_DIM_COMMITMENT_DISCOUNT_ID, v, len);
		set_const(ln, CT_DIM_COMMITMENT_DISCOUNT_CATEGORY, "Spend");
		set_const(ln, CT_DIM_COMMITMENT_DISCOUNT_TYPE, "Savings Plan");
	} else if ((v = fv(pl, r, F_RES_ARN, &len)) != NULL) {
		set_dim(ln, CT_DIM_COMMITMENT_DISCOUNT_ID, v, len);
		set_const(ln, CT_DIM_COMMITMENT_DISCOUNT_CATEGORY, "Usage");
		set_const(ln, CT_DIM_COMMITMENT_DISCOUNT_TYPE, "Reserved Instance");
	}
	if (v && ty->used)
		set_const(ln, CT_DIM_COMMITMENT_DISCOUNT_STATUS, "Used");
	return tags(pl, csv, r, ln, err);
}

static void plan_release(struct plan *pl)
{
	for (size_t i = 0; i < pl->ntags; i++)
		free(pl->tags[i].key);
	free(pl->tags);
	ct_tags_release(&pl->set);
	ct_tags_release(&pl->scratch);
}

int ct_cur_read(struct ct_ingest *ing, struct ct_csv *csv,
		const struct ct_csv_rec *hdr, struct ct_err *err)
{
	const char *name = ct_stream_name(ct_csv_stream(csv));
	struct plan pl;
	struct ct_csv_rec r;
	struct ct_line ln;
	size_t tcap = 0;
	int rc;

	memset(&pl, 0, sizeof(pl));
	ct_tags_init(&pl.set);
	ct_tags_init(&pl.scratch);
	pl.ncol = hdr->n;
	map_header(hdr, pl.idx);
	for (size_t i = 0; i < hdr->n; i++) {
		const char *k = tag_key(hdr->field[i]);
		if (!k || !*k)
			continue;
		if (pl.ntags >= MAX_TAG_COLUMNS) {
			rc = ct_err_set(err, CT_E_INPUT, name, hdr->line,
					"more than %d tag columns", MAX_TAG_COLUMNS);
			goto out;
		}
		CT_GROW(pl.tags, pl.ntags + 1, tcap);
		pl.tags[pl.ntags].idx = (long)i;
		pl.tags[pl.ntags].key = ct_xstrdup(k);
		pl.tags[pl.ntags].klen = strlen(k);
		pl.ntags++;
	}
	if (pl.idx[F_UNBLENDED] < 0 ||
	    (pl.idx[F_USAGE_START] < 0 && pl.idx[F_TIME_INTERVAL] < 0) ||
	    (pl.idx[F_PAYER] < 0 && pl.idx[F_USAGE_ACCOUNT] < 0)) {
		rc = ct_err_set(err, CT_E_INPUT, name, hdr->line,
				"not an AWS Cost and Usage Report: the header needs "
				"lineItem/UnblendedCost, lineItem/UsageStartDate and "
				"bill/PayerAccountId (in any CUR spelling)");
		goto out;
	}
	while ((rc = ct_csv_next(csv, &r, err)) == 1) {
		if (r.n > pl.ncol) {
			rc = ct_err_set(err, CT_E_INPUT, name, r.line,
					"expected %zu fields as in the header, found %zu",
					pl.ncol, r.n);
			goto out;
		}
		ct_ingest_set_line(ing, r.line);
		rc = convert(&pl, csv, &r, &ln, err);
		if (rc != CT_OK)
			goto out;
		rc = ct_ingest_line(ing, &ln, err);
		if (rc != CT_OK)
			goto out;
	}
out:
	plan_release(&pl);
	return rc;
}
