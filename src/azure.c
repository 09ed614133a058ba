/*
 * azure.c - the Azure cost details reader (see azure.h).
 *
 * Depends on csv.c, money.c, clock.c and tags.c, and hands normalised
 * lines to ingest.c; it never touches the store. Header names are reduced
 * to lower-case letters and digits, so "CostInBillingCurrency",
 * "costInBillingCurrency" and "costinbillingcurrency" are one column; a
 * localised header "Kategorie der Verbrauchseinheit (MeterCategory)" is
 * known by the name in its last parentheses.
 *
 * FOCUS mapping: Microsoft's own guide for converting Cost Management
 * data to FOCUS (learn.microsoft.com .../finops/focus/convert), with the
 * choices below where a file lacks what the guide assumes.
 *
 *   BilledCost       cost (CostInBillingCurrency, Cost in EA downloads,
 *                    PreTaxCost in pay-as-you-go); 0 for usage covered
 *                    by a reservation or savings plan and for their unused
 *                    parts (ChargeType Unused*): the purchase row carries
 *                    the billed amount
 *   EffectiveCost    cost; 0 for commitment purchases and refunds
 *                    (ChargeType Purchase/Refund with PricingModel
 *                    Reservation or SavingsPlan): the amortized usage rows
 *                    carry it. These two rules make the FOCUS commitment
 *                    invariants hold (Unused rows: billed 0, effective the
 *                    unused share, as in the FOCUS worked examples).
 *   ChargeCategory   ChargeType Usage/Purchase/Credit/Tax as is;
 *                    UnusedReservation/UnusedSavingsPlan Usage; Refund
 *                    Purchase with ChargeClass Correction; other types
 *                    Adjustment; no ChargeType column (pay-as-you-go) Usage
 *   ChargeFrequency  Frequency OneTime/Recurring/UsageBased; Other else;
 *                    Usage-Based without the column
 *   PricingCategory  PricingModel OnDemand Standard, Spot Dynamic,
 *                    Reservation/SavingsPlan Committed, Other else;
 *                    Standard without the column
 *   BillingAccount   EA: BillingAccountId/Name; MCA (a billing profile
 *                    that is neither the billing account nor the
 *                    subscription, the FinOps toolkit's test):
 *                    BillingProfileId/Name; pay-as-you-go exports have
 *                    neither and are per subscription: the subscription
 *   SubAccount       SubscriptionId (or SubscriptionGuid), SubscriptionName
 *   BillingPeriod    BillingPeriodStartDate; the end date is inclusive in
 *                    Azure and exclusive in FOCUS: plus one day; without
 *                    the columns, the calendar month of the charge
 *   ChargePeriod     Date (UsageDateTime) to the next day
 *   ServiceName      MeterCategory (else ServiceName, else
 *                    ConsumedService): the guide maps ResourceType through
 *                    a lookup table we do not ship; MeterCategory is the
 *                    service as Azure invoices and the portal name it
 *   ServiceCategory  ConsumedService through the FOCUS converters' table
 *                    (azure_category_mapping.csv, 97 providers); Other
 *   RegionId/Name    ResourceLocation in lower case without blanks
 *                    (EastUS and eastus are one region) / MeterRegion
 *   Commitment       BenefitId/BenefitName, else ReservationId/Name;
 *                    category Usage for reservations (microsoft.capacity),
 *                    Spend for savings plans (microsoft.billingbenefits);
 *                    status Unused for Unused* rows, Used for other
 *                    commitment rows
 *   Tags             the Tags column, a JSON object with or without its
 *                    outer braces (older EA exports omit them)
 *   ListCost         PayGCostInBillingCurrency when present
 *
 * Actual and amortized files. The actual dataset has commitment purchases
 * and zero-cost covered usage; the amortized one has the usage at its
 * amortized cost and the unused parts, but not the purchases. Microsoft's
 * rule is to keep every amortized row and only the commitment purchases
 * and refunds of the actual rows; a file alone is read whole, so one
 * dataset on its own still gives the month's figures as that dataset
 * sees them. Which dataset a file is comes from its path (Cost Management
 * names downloads and export folders after it); the pairing is per
 * (billing account, month), so an actual file of another month is not
 * cut.
 */
#include "ct.h"
#include "azure.h"
#include "clock.h"
#include "csv.h"
#include "ingest.h"
#include "money.h"
#include "stream.h"
#include "tags.h"

#include <strings.h>

enum field {
	F_COST, F_COST2, F_COST3, F_DATE, F_DATE2, F_BP_START, F_BP_END,
	F_BA_ID, F_BA_NAME, F_BP_ID, F_BP_NAME, F_SUB_ID, F_SUB_ID2, F_SUB_NAME,
	F_CURRENCY, F_CURRENCY2, F_CURRENCY3, F_CHARGE_TYPE, F_FREQUENCY,
	F_PRICING_MODEL, F_METER_CATEGORY, F_SERVICE_NAME, F_CONSUMED_SERVICE,
	F_LOCATION, F_METER_REGION, F_AZ, F_RESOURCE_ID, F_RESOURCE_ID2,
	F_RESOURCE_ID3, F_RESOURCE_NAME, F_RESOURCE_TYPE, F_PRODUCT_ID,
	F_PART_NUMBER, F_METER_NAME, F_PRODUCT, F_PRODUCT2, F_QUANTITY,
	F_QUANTITY2, F_UNIT, F_PAYG_COST, F_PAYG_PRICE, F_BENEFIT_ID,
	F_BENEFIT_NAME, F_RESERVATION_ID, F_RESERVATION_NAME, F_TAGS,
	F_INVOICE_ID, F_PUBLISHER, F__N
};

static const struct {
	const char *key;
	enum field f;
	const char *shown;
} names[] = {
	{"costinbillingcurrency", F_COST, "CostInBillingCurrency"},
	{"cost", F_COST2, "Cost"},
	{"pretaxcost", F_COST3, "PreTaxCost"},
	{"date", F_DATE, "Date"},
	{"usagedatetime", F_DATE2, "UsageDateTime"},
	{"billingperiodstartdate", F_BP_START, "BillingPeriodStartDate"},
	{"billingperiodenddate", F_BP_END, "BillingPeriodEndDate"},
	{"billingaccountid", F_BA_ID, "BillingAccountId"},
	{"billingaccountname", F_BA_NAME, "BillingAccountName"},
	{"billingprofileid", F_BP_ID, "BillingProfileId"},
	{"billingprofilename", F_BP_NAME, "BillingProfileName"},
	{"subscriptionid", F_SUB_ID, "SubscriptionId"},
	{"subscriptionguid", F_SUB_ID2, "SubscriptionGuid"},
	{"subscriptionname", F_SUB_NAME, "SubscriptionName"},
	{"billingcurrencycode", F_CURRENCY, "BillingCurrencyCode"},
	{"billingcurrency", F_CURRENCY2, "BillingCurrency"},
	{"currency", F_CURRENCY3, "Currency"},
	{"chargetype", F_CHARGE_TYPE, "ChargeType"},
	{"frequency", F_FREQUENCY, "Frequency"},
	{"pricingmodel", F_PRICING_MODEL, "PricingModel"},
	{"metercategory", F_METER_CATEGORY, "MeterCategory"},
	{"servicename", F_SERVICE_NAME, "ServiceName"},
	{"consumedservice", F_CONSUMED_SERVICE, "ConsumedService"},
	{"resourcelocation", F_LOCATION, "ResourceLocation"},
	{"meterregion", F_METER_REGION, "MeterRegion"},
	{"availabilityzone", F_AZ, "AvailabilityZone"},
	{"resourceid", F_RESOURCE_ID, "ResourceId"},
	{"instanceid", F_RESOURCE_ID2, "InstanceId"},
	{"instancename", F_RESOURCE_ID3, "InstanceName"},
	{"resourcename", F_RESOURCE_NAME, "ResourceName"},
	{"resourcetype", F_RESOURCE_TYPE, "ResourceType"},
	{"productid", F_PRODUCT_ID, "ProductId"},
	{"partnumber", F_PART_NUMBER, "PartNumber"},
	{"metername", F_METER_NAME, "MeterName"},
	{"productname", F_PRODUCT, "ProductName"},
	{"product", F_PRODUCT2, "Product"},
	{"quantity", F_QUANTITY, "Quantity"},
	{"usagequantity", F_QUANTITY2, "UsageQuantity"},
	{"unitofmeasure", F_UNIT, "UnitOfMeasure"},
	{"paygcostinbillingcurrency", F_PAYG_COST, "PayGCostInBillingCurrency"},
	{"paygprice", F_PAYG_PRICE, "PayGPrice"},
	{"benefitid", F_BENEFIT_ID, "BenefitId"},
	{"benefitname", F_BENEFIT_NAME, "BenefitName"},
	{"reservationid", F_RESERVATION_ID, "ReservationId"},
	{"reservationname", F_RESERVATION_NAME, "ReservationName"},
	{"tags", F_TAGS, "Tags"},
	{"invoiceid", F_INVOICE_ID, "InvoiceId"},
	{"publishername", F_PUBLISHER, "PublisherName"},
};

/* ServiceCategory by ConsumedService: the FOCUS converters'
 * conversion_configs/azure/mapping_files/azure_category_mapping.csv,
 * sorted by the lower-case provider name. */
static const struct category {
	const char *code, *category;
} categories[] = {
	{"microsoft.adhybridhealthservice", "Identity"},
	{"microsoft.advisor", "Management and Governance"},
	{"microsoft.alertsmanagement", "Management and Governance"},
	{"microsoft.apimanagement", "Integration"},
	{"microsoft.appconfiguration", "Web"},
	{"microsoft.authorization", "Identity"},
	{"microsoft.automation", "Developer Tools"},
	{"microsoft.avs", "Compute"},
	{"microsoft.blueprint", "Management and Governance"},
	{"microsoft.botservice", "AI and Machine Learning"},
	{"microsoft.cache", "Storage"},
	{"microsoft.capacity", "Other"},
	{"microsoft.cdn", "Web"},
	{"microsoft.changeanalysis", "Management and Governance"},
	{"microsoft.classiccompute", "Compute"},
	{"microsoft.classicnetwork", "Networking"},
	{"microsoft.classicstorage", "Storage"},
	{"microsoft.classicsubscription", "Other"},
	{"microsoft.cognitiveservices", "AI and Machine Learning"},
	{"microsoft.commerce", "Other"},
	{"microsoft.compute", "Compute"},
	{"microsoft.consumption", "Other"},
	{"microsoft.containerinstance", "Compute"},
	{"microsoft.containerregistry", "Storage"},
	{"microsoft.containerservice", "Compute"},
	{"microsoft.costmanagement", "Management and Governance"},
	{"microsoft.costmanagementexports", "Management and Governance"},
	{"microsoft.databricks", "AI and Machine Learning"},
	{"microsoft.datafactory", "Integration"},
	{"microsoft.datalakeanalytics", "Analytics"},
	{"microsoft.datalakestore", "Storage"},
	{"microsoft.datamigration", "Migration"},
	{"microsoft.datashare", "Integration"},
	{"microsoft.dbformysql", "Databases"},
	{"microsoft.dbforpostgressql", "Databases"},
	{"microsoft.desktopvirtualization", "Compute"},
	{"microsoft.devices", "Other"},
	{"microsoft.devtestlab", "Developer Tools"},
	{"microsoft.diagnostics", "Developer Tools"},
	{"microsoft.digitaltwins", "Internet of Things"},
	{"microsoft.documentdb", "Databases"},
	{"microsoft.domainregistration", "Networking"},
	{"microsoft.eventgrid", "Integration"},
	{"microsoft.eventhub", "Integration"},
	{"microsoft.guestconfiguration", "Identity"},
	{"microsoft.hdinsight", "Analytics"},
	{"microsoft.insights", "Management and Governance"},
	{"microsoft.iotsecurity", "Internet of Things"},
	{"microsoft.keyvault", "Security"},
	{"microsoft.kusto", "Analytics"},
	{"microsoft.loadtestservice", "Developer Tools"},
	{"microsoft.logic", "Integration"},
	{"microsoft.machinelearning", "AI and Machine Learning"},
	{"microsoft.machinelearningservices", "AI and Machine Learning"},
	{"microsoft.maintenance", "Other"},
	{"microsoft.managedidentity", "Security"},
	{"microsoft.management", "Other"},
	{"microsoft.maps", "Developer Tools"},
	{"microsoft.marketplacenotifications", "Other"},
	{"microsoft.marketplaceordering", "Other"},
	{"microsoft.media", "Media"},
	{"microsoft.migrate", "Migration"},
	{"microsoft.mixedreality", "Internet of Things"},
	{"microsoft.network", "Networking"},
	{"microsoft.notebooks", "Analytics"},
	{"microsoft.notificationhubs", "Other"},
	{"microsoft.offazure", "Migration"},
	{"microsoft.operationalinsights", "Management and Governance"},
	{"microsoft.operationsmanagement", "Management and Governance"},
	{"microsoft.policyinsights", "Management and Governance"},
	{"microsoft.portal", "Other"},
	{"microsoft.recoveryservices", "Management and Governance"},
	{"microsoft.relay", "Networking"},
	{"microsoft.resourcegraph", "Developer Tools"},
	{"microsoft.resourcehealth", "Management and Governance"},
	{"microsoft.resourcenotifications", "Management and Governance"},
	{"microsoft.resources", "Other"},
	{"microsoft.saas", "Other"},
	{"microsoft.search", "Web"},
	{"microsoft.security", "Security"},
	{"microsoft.securityinsights", "Security"},
	{"microsoft.serialconsole", "Compute"},
	{"microsoft.servicebus", "Integration"},
	{"microsoft.servicefabric", "Integration"},
	{"microsoft.servicelinker", "Integration"},
	{"microsoft.solutions", "Other"},
	{"microsoft.sql", "Databases"},
	{"microsoft.sqlvirtualmachine", "Databases"},
	{"microsoft.storage", "Storage"},
	{"microsoft.storagecache", "Storage"},
	{"microsoft.storagesync", "Storage"},
	{"microsoft.streamanalytics", "Analytics"},
	{"microsoft.support", "Other"},
	{"microsoft.synapse", "Analytics"},
	{"microsoft.virtual network", "Networking"},
	{"microsoft.visualstudio", "Developer Tools"},
	{"microsoft.web", "Web"},
};

static int cmp_category(const void *key, const void *elem)
{
	const struct category *c = elem;

	return strcasecmp(key, c->code);
}

/* ---- run state: amortized keys ------------------------------------------ */

struct ct_azure_run {
	char **keys; /* "account\nYYYY-MM", owned */
	size_t n, cap;
};

struct ct_azure_run *ct_azure_run_new(void)
{
	return ct_xcalloc(1, sizeof(struct ct_azure_run));
}

void ct_azure_run_free(struct ct_azure_run *run)
{
	if (!run)
		return;
	for (size_t i = 0; i < run->n; i++)
		free(run->keys[i]);
	free(run->keys);
	free(run);
}

static bool run_has(const struct ct_azure_run *run, const char *key)
{
	for (size_t i = run->n; i-- > 0;)
		if (!strcmp(run->keys[i], key))
			return true;
	return false;
}

static void run_add(struct ct_azure_run *run, const char *key)
{
	if (run_has(run, key))
		return;
	CT_GROW(run->keys, run->n + 1, run->cap);
	run->keys[run->n++] = ct_xstrdup(key);
}

static bool has_word(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w);

	for (size_t i = 0; i + k <= n; i++)
		if (!strncasecmp(s + i, w, k))
			return true;
	return false;
}

enum ct_azure_dataset ct_azure_dataset_of(const char *path)
{
	const char *end = path + strlen(path);

	/* the file's name, then up to three folders above it (an export's
	 * name is a folder: export/period/run/part.csv) */
	for (int level = 0; level < 4 && end > path; level++) {
		const char *start = end;
		bool act, amo;
		while (start > path && start[-1] != '/')
			start--;
		act = has_word(start, (size_t)(end - start), "actual");
		amo = has_word(start, (size_t)(end - start), "amortized") ||
		      has_word(start, (size_t)(end - start), "amortised");
		if (act != amo)
			return act ? CT_AZURE_ACTUAL : CT_AZURE_AMORTIZED;
		if (act && amo)
			return CT_AZURE_UNKNOWN;
		end = start > path ? start - 1 : path;
	}
	return CT_AZURE_UNKNOWN;
}

/* ---- header --------------------------------------------------------------- */

/* Lower-case letters and digits of the header name; a localised header
 * "Label (ColumnName)" gives ColumnName. */
static void norm(const char *s, char *out, size_t cap)
{
	size_t n = 0, len = strlen(s);
	const char *open;

	if (len > 2 && s[len - 1] == ')' && (open = strrchr(s, '(')) != NULL &&
	    open > s) {
		s = open + 1;
		len = (size_t)(strrchr(s, ')') - s);
	}
	for (size_t i = 0; i < len && n + 1 < cap; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			out[n++] = (char)(c - 'A' + 'a');
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[n++] = c;
	}
	out[n] = '\0';
}

static void map_header(const struct ct_csv_rec *hdr, long *idx)
{
	char k[96];

	for (int f = 0; f < F__N; f++)
		idx[f] = -1;
	for (size_t i = 0; i < hdr->n; i++) {
		norm(hdr->field[i], k, sizeof(k));
		for (size_t c = 0; c < CT_NELEM(names); c++)
			if (idx[names[c].f] < 0 && !strcmp(k, names[c].key))
				idx[names[c].f] = (long)i;
	}
}

static bool usable(const long *idx)
{
	return (idx[F_COST] >= 0 || idx[F_COST2] >= 0 || idx[F_COST3] >= 0) &&
	       (idx[F_DATE] >= 0 || idx[F_DATE2] >= 0) &&
	       (idx[F_SUB_ID] >= 0 || idx[F_SUB_ID2] >= 0 || idx[F_BA_ID] >= 0);
}

static const char *label_of(const long *idx, enum ct_azure_dataset ds)
{
	static const char *const labels[3][3] = {
		{"azure-ea", "azure-ea-actual", "azure-ea-amortized"},
		{"azure-mca", "azure-mca-actual", "azure-mca-amortized"},
		{"azure-payg", "azure-payg-actual", "azure-payg-amortized"},
	};
	/* MCA files have invoice columns, EA files do not; pay-as-you-go
	 * files have no billing account at all */
	int kind = idx[F_BA_ID] < 0 ? 2 : idx[F_INVOICE_ID] >= 0 ? 1 : 0;

	return labels[kind][ds];
}

bool ct_azure_detect(const struct ct_csv_rec *hdr, const char **label)
{
	long idx[F__N];

	map_header(hdr, idx);
	if (!usable(idx))
		return false;
	*label = label_of(idx, CT_AZURE_UNKNOWN);
	return true;
}

/* ---- rows ------------------------------------------------------------------ */

struct plan {
	size_t ncol;
	long idx[F__N];
	long cost, date, sub, currency, resource, quantity, product;
	enum ct_azure_dataset ds;
	struct ct_azure_run *run;
	struct ct_tags set;
	char region[64];
	char key[256];     /* the last row's "account\nYYYY-MM" */
	bool key_paired;   /* and whether an amortized file had it */
	bool have_key;
};

static const char *fv(const struct ct_csv_rec *r, long i, size_t *len)
{
	if (i < 0 || (size_t)i >= r->n || !r->len[i])
		return NULL;
	*len = r->len[i];
	return r->field[i];
}

static const char *f(const struct plan *pl, const struct ct_csv_rec *r,
		     enum field fl, size_t *len)
{
	return fv(r, pl->idx[fl], len);
}

static long first(const long *idx, enum field a, enum field b, enum field c)
{
	return idx[a] >= 0 ? idx[a] : idx[b] >= 0 ? idx[b] : idx[c];
}


static int bad(struct ct_err *err, struct ct_csv *csv, long line,
	       const char *what, const char *v, size_t len)
{
	char buf[48];

	return ct_err_set(err, CT_E_INPUT, ct_stream_name(ct_csv_stream(csv)),
			  line, "%s: '%s'", what, ct_err_snippet(v, len, buf, sizeof(buf)));
}

static bool eq(const char *v, size_t len, const char *w)
{
	return v && strlen(w) == len && !strncasecmp(v, w, len);
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

static void copy(const struct ct_csv_rec *r, long i, struct ct_line *ln,
		 enum ct_dim d)
{
	size_t len;
	const char *v = fv(r, i, &len);

	if (v)
		set_dim(ln, d, v, len);
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

static bool commitment_model(const char *v, size_t len)
{
	return eq(v, len, "Reservation") || eq(v, len, "SavingsPlan") ||
	       eq(v, len, "Savings Plan");
}

/* Is this row of an actual file one that pairing keeps? */
static bool purchase_row(const char *type, size_t tlen, const char *model,
			 size_t mlen)
{
	return (eq(type, tlen, "Purchase") || eq(type, tlen, "Refund")) &&
	       commitment_model(model, mlen);
}

/* Convert a row. *skip is set when pairing drops it. */
static int convert(struct plan *pl, struct ct_csv *csv,
		   const struct ct_csv_rec *r, struct ct_line *ln, bool *skip,
		   struct ct_err *err)
{
	const char *name = ct_stream_name(ct_csv_stream(csv));
	const char *v, *type, *model, *acct;
	size_t len = 0, tlen = 0, mlen = 0, alen = 0;
	ct_money cost;
	bool unused, commit, purchase;

	memset(ln, 0, sizeof(*ln));
	*skip = false;

	/* times */
	v = fv(r, pl->date, &len);
	if (!v)
		return ct_err_set(err, CT_E_INPUT, name, r->line, "Date is empty");
	if (ct_clock_parse(v, len, &ln->charge_start) != CT_OK)
		return bad(err, csv, r->line,
			   "Date is not a date", v, len);
	ln->charge_start = ct_clock_day(ln->charge_start) * 86400;
	ln->charge_end = ln->charge_start + 86400;
	v = f(pl, r, F_BP_START, &len);
	if (!v)
		ln->billing_period_start = month_start(ln->charge_start);
	else if (ct_clock_parse(v, len, &ln->billing_period_start) != CT_OK)
		return bad(err, csv, r->line,
			   "BillingPeriodStartDate is not a date", v, len);
	v = f(pl, r, F_BP_END, &len);
	if (!v)
		ln->billing_period_end = next_month(ln->billing_period_start);
	else if (ct_clock_parse(v, len, &ln->billing_period_end) != CT_OK)
		return bad(err, csv, r->line,
			   "BillingPeriodEndDate is not a date", v, len);
	else
		ln->billing_period_end = (ct_clock_day(ln->billing_period_end) + 1) * 86400;

	/* accounts: EA, MCA (a billing profile of its own), pay-as-you-go */
	acct = f(pl, r, F_BA_ID, &alen);
	{
		size_t plen, slen;
		const char *prof = f(pl, r, F_BP_ID, &plen);
		const char *sub = fv(r, pl->sub, &slen);
		bool mca = prof && !(acct && plen == alen && !memcmp(prof, acct, alen)) &&
			   !(sub && plen == slen && !memcmp(prof, sub, slen));
		if (mca) {
			acct = prof;
			alen = plen;
			copy(r, pl->idx[F_BP_NAME], ln, CT_DIM_BILLING_ACCOUNT_NAME);
		} else if (acct) {
			copy(r, pl->idx[F_BA_NAME], ln, CT_DIM_BILLING_ACCOUNT_NAME);
		} else {
			acct = sub;
			alen = slen;
			copy(r, pl->idx[F_SUB_NAME], ln, CT_DIM_BILLING_ACCOUNT_NAME);
		}
		set_dim(ln, CT_DIM_BILLING_ACCOUNT_ID, acct, alen); /* NULL: a
			blank row, with no account to file it under */
		if (!acct) {
			acct = "";
			alen = 0;
		}
		if (sub)
			set_dim(ln, CT_DIM_SUB_ACCOUNT_ID, sub, slen);
		copy(r, pl->idx[F_SUB_NAME], ln, CT_DIM_SUB_ACCOUNT_NAME);
	}

	/* pairing of actual with amortized files, per (account, month) */
	type = f(pl, r, F_CHARGE_TYPE, &tlen);
	model = f(pl, r, F_PRICING_MODEL, &mlen);
	if (pl->ds != CT_AZURE_UNKNOWN) {
		char key[sizeof(pl->key)], month[8];
		ct_clock_format_month(ln->billing_period_start, month);
		snprintf(key, sizeof(key), "%.*s\n%s",
			 (int)(alen < 200 ? alen : 200), acct, month);
		if (!pl->have_key || strcmp(key, pl->key)) {
			memcpy(pl->key, key, sizeof(key));
			pl->have_key = true;
			if (pl->ds == CT_AZURE_AMORTIZED)
				run_add(pl->run, key);
			pl->key_paired = pl->ds == CT_AZURE_ACTUAL &&
					 run_has(pl->run, key);
		}
		if (pl->key_paired && !purchase_row(type, tlen, model, mlen)) {
			*skip = true;
			return CT_OK;
		}
	}

	/* money */
	v = fv(r, pl->cost, &len);
	if (!v)
		cost = 0; /* Azure leaves cost empty on some zero rows */
	else if (ct_money_parse(v, len, &cost) != CT_OK)
		return bad(err, csv, r->line,
			   "the cost is not a number", v, len);
	commit = commitment_model(model, mlen);
	unused = eq(type, tlen, "UnusedReservation") ||
		 eq(type, tlen, "UnusedSavingsPlan");
	purchase = purchase_row(type, tlen, model, mlen);
	ln->billed = ((commit && eq(type, tlen, "Usage")) || unused) ? 0 : cost;
	ln->effective = purchase ? 0 : cost;
	v = f(pl, r, F_PAYG_COST, &len);
	if (v) {
		if (ct_money_parse(v, len, &ln->list) != CT_OK)
			return bad(err, csv, r->line,
				   "PayGCostInBillingCurrency is not a number", v, len);
		ln->has_list = true;
	}
	v = fv(r, pl->quantity, &len);
	if (v) {
		if (ct_num_parse(v, len, &ln->qty[CT_QTY_CONSUMED_QUANTITY]) != CT_OK)
			return bad(err, csv, r->line,
				   "Quantity is not a number", v, len);
		ln->has_qty[CT_QTY_CONSUMED_QUANTITY] = true;
		ln->qty[CT_QTY_PRICING_QUANTITY] = ln->qty[CT_QTY_CONSUMED_QUANTITY];
		ln->has_qty[CT_QTY_PRICING_QUANTITY] = true;
	}
	v = f(pl, r, F_PAYG_PRICE, &len);
	if (v && ct_num_parse(v, len, &ln->qty[CT_QTY_LIST_UNIT_PRICE]) == CT_OK)
		ln->has_qty[CT_QTY_LIST_UNIT_PRICE] = true;

	/* categories */
	set_const(ln, CT_DIM_PROVIDER_NAME, "Microsoft");
	set_const(ln, CT_DIM_INVOICE_ISSUER_NAME, "Microsoft");
	v = f(pl, r, F_PUBLISHER, &len);
	if (v)
		set_dim(ln, CT_DIM_PUBLISHER_NAME, v, len);
	else
		set_const(ln, CT_DIM_PUBLISHER_NAME, "Microsoft");
	copy(r, pl->idx[F_INVOICE_ID], ln, CT_DIM_INVOICE_ID);
	if (!type || eq(type, tlen, "Usage") || unused)
		set_const(ln, CT_DIM_CHARGE_CATEGORY, "Usage");
	else if (eq(type, tlen, "Purchase") || eq(type, tlen, "Refund"))
		set_const(ln, CT_DIM_CHARGE_CATEGORY, "Purchase");
	else if (eq(type, tlen, "Credit"))
		set_const(ln, CT_DIM_CHARGE_CATEGORY, "Credit");
	else if (eq(type, tlen, "Tax"))
		set_const(ln, CT_DIM_CHARGE_CATEGORY, "Tax");
	else
		set_const(ln, CT_DIM_CHARGE_CATEGORY, "Adjustment");
	if (eq(type, tlen, "Refund"))
		set_const(ln, CT_DIM_CHARGE_CLASS, "Correction");
	v = f(pl, r, F_FREQUENCY, &len);
	set_const(ln, CT_DIM_CHARGE_FREQUENCY,
		  !v ? "Usage-Based" : eq(v, len, "OneTime") ? "One-Time" :
		  eq(v, len, "Recurring") ? "Recurring" :
		  eq(v, len, "UsageBased") ? "Usage-Based" : "Other");
	set_const(ln, CT_DIM_PRICING_CATEGORY,
		  !model ? "Standard" : eq(model, mlen, "OnDemand") ? "Standard" :
		  eq(model, mlen, "Spot") ? "Dynamic" : commit ? "Committed" : "Other");

	/* what and where */
	v = f(pl, r, F_METER_CATEGORY, &len);
	if (!v)
		v = f(pl, r, F_SERVICE_NAME, &len);
	if (!v)
		v = f(pl, r, F_CONSUMED_SERVICE, &len);
	set_dim(ln, CT_DIM_SERVICE_NAME, v, len);
	v = f(pl, r, F_CONSUMED_SERVICE, &len);
	{
		char code[96];
		const struct category *c = NULL;
		if (v && len < sizeof(code)) {
			memcpy(code, v, len);
			code[len] = '\0';
			c = bsearch(code, categories, CT_NELEM(categories),
				    sizeof(categories[0]), cmp_category);
		}
		set_const(ln, CT_DIM_SERVICE_CATEGORY, c ? c->category : "Other");
	}
	v = f(pl, r, F_LOCATION, &len);
	if (v) {
		size_t n = 0;
		for (size_t i = 0; i < len && n < sizeof(pl->region); i++) {
			char c = v[i];
			if (c == ' ')
				continue;
			pl->region[n++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
		}
		set_dim(ln, CT_DIM_REGION_ID, pl->region, n);
	}
	copy(r, pl->idx[F_METER_REGION], ln, CT_DIM_REGION_NAME);
	copy(r, pl->idx[F_AZ], ln, CT_DIM_AVAILABILITY_ZONE);
	copy(r, pl->resource, ln, CT_DIM_RESOURCE_ID);
	copy(r, pl->idx[F_RESOURCE_NAME], ln, CT_DIM_RESOURCE_NAME);
	copy(r, pl->idx[F_RESOURCE_TYPE], ln, CT_DIM_RESOURCE_TYPE);
	copy(r, pl->idx[F_PART_NUMBER], ln, CT_DIM_SKU_ID);
	copy(r, pl->idx[F_PRODUCT_ID], ln, CT_DIM_SKU_ID);
	copy(r, pl->idx[F_METER_NAME], ln, CT_DIM_SKU_METER);
	copy(r, pl->product, ln, CT_DIM_CHARGE_DESCRIPTION);
	copy(r, pl->idx[F_UNIT], ln, CT_DIM_PRICING_UNIT);
	copy(r, pl->idx[F_UNIT], ln, CT_DIM_CONSUMED_UNIT);
	v = fv(r, pl->currency, &len);
	if (v && len > CT_CURRENCY_MAX)
		return bad(err, csv, r->line,
			   "BillingCurrency is not a currency code", v, len);
	set_dim(ln, CT_DIM_BILLING_CURRENCY, v, len);

	/* commitments */
	v = f(pl, r, F_BENEFIT_ID, &len);
	if (!v)
		v = f(pl, r, F_RESERVATION_ID, &len);
	if (v) {
		set_dim(ln, CT_DIM_COMMITMENT_DISCOUNT_ID, v, len);
		if (has_word(v, len, "/microsoft.billingbenefits/") ||
		    eq(model, mlen, "SavingsPlan") || eq(model, mlen, "Savings Plan")) {
			set_const(ln, CT_DIM_COMMITMENT_DISCOUNT_CATEGORY, "Spend");
			set_const(ln, CT_DIM_COMMITMENT_DISCOUNT_TYPE, "Savings Plan");
		} else {
			set_const(ln, CT_DIM_COMMITMENT_DISCOUNT_CATEGORY, "Usage");
			set_const(ln, CT_DIM_COMMITMENT_DISCOUNT_TYPE, "Reservation");
		}
		v = f(pl, r, F_BENEFIT_NAME, &len);
		if (!v)
			v = f(pl, r, F_RESERVATION_NAME, &len);
		if (v)
			set_dim(ln, CT_DIM_COMMITMENT_DISCOUNT_NAME, v, len);
		if (unused)
			set_const(ln, CT_DIM_COMMITMENT_DISCOUNT_STATUS, "Unused");
		else if (commit && eq(type, tlen, "Usage"))
			set_const(ln, CT_DIM_COMMITMENT_DISCOUNT_STATUS, "Used");
	}

	/* tags, with or without the outer braces */
	v = f(pl, r, F_TAGS, &len);
	ct_tags_reset(&pl->set);
	if (v && ct_tags_add_object(&pl->set, v, len, 0) != CT_OK)
		return bad(err, csv, r->line, "Tags is not a JSON object",
			   v, len);
	v = ct_tags_json(&pl->set, &len);
	if (v)
		set_dim(ln, CT_DIM_TAGS, v, len);
	return CT_OK;
}

int ct_azure_read(struct ct_ingest *ing, struct ct_csv *csv,
		  const struct ct_csv_rec *hdr, const char *path,
		  struct ct_azure_run *run, struct ct_err *err)
{
	const char *name = ct_stream_name(ct_csv_stream(csv));
	struct plan pl;
	struct ct_csv_rec r;
	struct ct_line ln;
	int rc;

	memset(&pl, 0, sizeof(pl));
	ct_tags_init(&pl.set);
	pl.ncol = hdr->n;
	map_header(hdr, pl.idx);
	pl.cost = first(pl.idx, F_COST, F_COST2, F_COST3);
	pl.date = first(pl.idx, F_DATE, F_DATE2, F_DATE2);
	pl.sub = first(pl.idx, F_SUB_ID, F_SUB_ID2, F_SUB_ID2);
	pl.currency = first(pl.idx, F_CURRENCY, F_CURRENCY2, F_CURRENCY3);
	pl.resource = first(pl.idx, F_RESOURCE_ID, F_RESOURCE_ID2, F_RESOURCE_ID3);
	pl.quantity = first(pl.idx, F_QUANTITY, F_QUANTITY2, F_QUANTITY2);
	pl.product = first(pl.idx, F_PRODUCT, F_PRODUCT2, F_PRODUCT2);
	pl.ds = path ? ct_azure_dataset_of(path) : CT_AZURE_UNKNOWN;
	pl.run = run;
	if (!usable(pl.idx)) {
		rc = ct_err_set(err, CT_E_INPUT, name, hdr->line,
				"not Azure cost details: the header needs a cost "
				"(CostInBillingCurrency, Cost or PreTaxCost), a Date "
				"and a SubscriptionId or BillingAccountId");
		goto out;
	}
	if (!run)
		pl.ds = CT_AZURE_UNKNOWN;
	while ((rc = ct_csv_next(csv, &r, err)) == 1) {
		bool skip;
		if (r.n > pl.ncol) { /* a short row has nulls at its end */
			rc = ct_err_set(err, CT_E_INPUT, name, r.line,
					"expected %zu fields as in the header, found %zu",
					pl.ncol, r.n);
			goto out;
		}
		ct_ingest_set_line(ing, r.line);
		rc = convert(&pl, csv, &r, &ln, &skip, err);
		if (rc != CT_OK)
			goto out;
		if (skip)
			continue;
		rc = ct_ingest_line(ing, &ln, err);
		if (rc != CT_OK)
			goto out;
	}
out:
	ct_tags_release(&pl.set);
	return rc;
}
