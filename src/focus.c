/*
 * focus.c - the FOCUS 1.0 / 1.1 / 1.2 CSV reader (see focus.h).
 *
 * Depends on csv.c for records and hands normalised lines to ingest.c;
 * it never touches the store. The header is mapped once to a table of
 * column handlers, so the per-row loop only parses what is present.
 */
#include "ct.h"
#include "focus.h"
#include "clock.h"
#include "csv.h"
#include "ingest.h"
#include "money.h"
#include "stream.h"

#include <strings.h>

enum kind { K_DIM, K_MONEY, K_QTY, K_TIME };

enum money_field { M_BILLED, M_EFFECTIVE, M_LIST, M_CONTRACTED, M__N };
enum time_field { T_BP_START, T_BP_END, T_CP_START, T_CP_END, T__N };

struct column {
	const char *name;
	enum kind kind;
	int target;       /* enum ct_dim, money_field, ct_qty or time_field */
	const char *since; /* FOCUS version that introduced it */
};

static const struct column columns[] = {
	{"AvailabilityZone", K_DIM, CT_DIM_AVAILABILITY_ZONE, "1.0"},
	{"BilledCost", K_MONEY, M_BILLED, "1.0"},
	{"BillingAccountId", K_DIM, CT_DIM_BILLING_ACCOUNT_ID, "1.0"},
	{"BillingAccountName", K_DIM, CT_DIM_BILLING_ACCOUNT_NAME, "1.0"},
	{"BillingAccountType", K_DIM, CT_DIM_BILLING_ACCOUNT_TYPE, "1.2"},
	{"BillingCurrency", K_DIM, CT_DIM_BILLING_CURRENCY, "1.0"},
	{"BillingPeriodEnd", K_TIME, T_BP_END, "1.0"},
	{"BillingPeriodStart", K_TIME, T_BP_START, "1.0"},
	{"CapacityReservationId", K_DIM, CT_DIM_CAPACITY_RESERVATION_ID, "1.1"},
	{"CapacityReservationStatus", K_DIM, CT_DIM_CAPACITY_RESERVATION_STATUS, "1.1"},
	{"ChargeCategory", K_DIM, CT_DIM_CHARGE_CATEGORY, "1.0"},
	{"ChargeClass", K_DIM, CT_DIM_CHARGE_CLASS, "1.0"},
	{"ChargeDescription", K_DIM, CT_DIM_CHARGE_DESCRIPTION, "1.0"},
	{"ChargeFrequency", K_DIM, CT_DIM_CHARGE_FREQUENCY, "1.0"},
	{"ChargePeriodEnd", K_TIME, T_CP_END, "1.0"},
	{"ChargePeriodStart", K_TIME, T_CP_START, "1.0"},
	{"CommitmentDiscountCategory", K_DIM, CT_DIM_COMMITMENT_DISCOUNT_CATEGORY, "1.0"},
	{"CommitmentDiscountId", K_DIM, CT_DIM_COMMITMENT_DISCOUNT_ID, "1.0"},
	{"CommitmentDiscountName", K_DIM, CT_DIM_COMMITMENT_DISCOUNT_NAME, "1.0"},
	{"CommitmentDiscountQuantity", K_QTY, CT_QTY_COMMITMENT_DISCOUNT_QUANTITY, "1.1"},
	{"CommitmentDiscountStatus", K_DIM, CT_DIM_COMMITMENT_DISCOUNT_STATUS, "1.0"},
	{"CommitmentDiscountType", K_DIM, CT_DIM_COMMITMENT_DISCOUNT_TYPE, "1.0"},
	{"CommitmentDiscountUnit", K_DIM, CT_DIM_COMMITMENT_DISCOUNT_UNIT, "1.1"},
	{"ConsumedQuantity", K_QTY, CT_QTY_CONSUMED_QUANTITY, "1.0"},
	{"ConsumedUnit", K_DIM, CT_DIM_CONSUMED_UNIT, "1.0"},
	{"ContractedCost", K_MONEY, M_CONTRACTED, "1.0"},
	{"ContractedUnitPrice", K_QTY, CT_QTY_CONTRACTED_UNIT_PRICE, "1.0"},
	{"EffectiveCost", K_MONEY, M_EFFECTIVE, "1.0"},
	{"InvoiceId", K_DIM, CT_DIM_INVOICE_ID, "1.2"},
	{"InvoiceIssuerName", K_DIM, CT_DIM_INVOICE_ISSUER_NAME, "1.0"},
	{"ListCost", K_MONEY, M_LIST, "1.0"},
	{"ListUnitPrice", K_QTY, CT_QTY_LIST_UNIT_PRICE, "1.0"},
	{"PricingCategory", K_DIM, CT_DIM_PRICING_CATEGORY, "1.0"},
	{"PricingCurrency", K_DIM, CT_DIM_PRICING_CURRENCY, "1.2"},
	{"PricingQuantity", K_QTY, CT_QTY_PRICING_QUANTITY, "1.0"},
	{"PricingUnit", K_DIM, CT_DIM_PRICING_UNIT, "1.0"},
	{"ProviderName", K_DIM, CT_DIM_PROVIDER_NAME, "1.0"},
	{"PublisherName", K_DIM, CT_DIM_PUBLISHER_NAME, "1.0"},
	{"RegionId", K_DIM, CT_DIM_REGION_ID, "1.0"},
	{"RegionName", K_DIM, CT_DIM_REGION_NAME, "1.0"},
	{"ResourceId", K_DIM, CT_DIM_RESOURCE_ID, "1.0"},
	{"ResourceName", K_DIM, CT_DIM_RESOURCE_NAME, "1.0"},
	{"ResourceType", K_DIM, CT_DIM_RESOURCE_TYPE, "1.0"},
	{"ServiceCategory", K_DIM, CT_DIM_SERVICE_CATEGORY, "1.0"},
	{"ServiceName", K_DIM, CT_DIM_SERVICE_NAME, "1.0"},
	{"ServiceSubcategory", K_DIM, CT_DIM_SERVICE_SUBCATEGORY, "1.1"},
	{"SkuId", K_DIM, CT_DIM_SKU_ID, "1.0"},
	{"SkuMeter", K_DIM, CT_DIM_SKU_METER, "1.1"},
	{"SkuPriceDetails", K_DIM, CT_DIM_SKU_PRICE_DETAILS, "1.1"},
	{"SkuPriceId", K_DIM, CT_DIM_SKU_PRICE_ID, "1.0"},
	{"SubAccountId", K_DIM, CT_DIM_SUB_ACCOUNT_ID, "1.0"},
	{"SubAccountName", K_DIM, CT_DIM_SUB_ACCOUNT_NAME, "1.0"},
	{"SubAccountType", K_DIM, CT_DIM_SUB_ACCOUNT_TYPE, "1.2"},
	{"Tags", K_DIM, CT_DIM_TAGS, "1.0"},
};

/* Column index in the header for each entry of columns[], -1 if absent. */
static void map_header(const struct ct_csv_rec *hdr, long *idx)
{
	for (size_t c = 0; c < CT_NELEM(columns); c++) {
		idx[c] = -1;
		for (size_t i = 0; i < hdr->n && idx[c] < 0; i++)
			if (!strcmp(hdr->field[i], columns[c].name))
				idx[c] = (long)i;
		for (size_t i = 0; i < hdr->n && idx[c] < 0; i++)
			if (!strcasecmp(hdr->field[i], columns[c].name))
				idx[c] = (long)i;
	}
}

static long find(const long *idx, const char *name)
{
	for (size_t c = 0; c < CT_NELEM(columns); c++)
		if (!strcmp(columns[c].name, name))
			return idx[c];
	return -1;
}

bool ct_focus_detect(const struct ct_csv_rec *hdr, const char **version)
{
	long idx[CT_NELEM(columns)];
	const char *v = "focus-1.0";

	map_header(hdr, idx);
	if (find(idx, "BilledCost") < 0 || find(idx, "ChargePeriodStart") < 0 ||
	    find(idx, "BillingPeriodStart") < 0)
		return false;
	for (size_t c = 0; c < CT_NELEM(columns); c++) {
		if (idx[c] < 0)
			continue;
		if (!strcmp(columns[c].since, "1.2"))
			v = "focus-1.2";
		else if (!strcmp(columns[c].since, "1.1") && strcmp(v, "focus-1.2"))
			v = "focus-1.1";
	}
	*version = v;
	return true;
}

/* FOCUS null: an empty field, or the unquoted word NULL (any case) that
 * some exporters and spreadsheets write. */
static bool is_null(const struct ct_csv_rec *r, size_t i)
{
	return r->len[i] == 0 ||
	       (!r->quoted[i] && r->len[i] == 4 && !strncasecmp(r->field[i], "NULL", 4));
}

/* Amounts as spreadsheets write them: "$10,000.00 ". Blanks around, one
 * leading currency sign and correctly grouped thousands separators are
 * dropped; anything else is still not a number. A comma counts as a
 * thousands separator only next to a '$' or a decimal point ("1,250.00",
 * "$1,250"): "1,250" alone may be a European 1.25 and stays bad input.
 * Writes the plain number to buf; false when the text is not of that form. */
static bool plain_amount(const char *v, size_t len, char *buf, size_t cap)
{
	size_t a = 0, b = len, n = 0, digits = 0;
	bool grouped = false, any_group = false, dollar = false, point = false;

	while (a < b && (v[a] == ' ' || v[a] == '\t'))
		a++;
	while (b > a && (v[b - 1] == ' ' || v[b - 1] == '\t'))
		b--;
	if (a < b && v[a] == '-' && n < cap)
		buf[n++] = v[a++];
	if (a < b && v[a] == '$') {
		a++;
		dollar = true;
	}
	for (size_t i = a; i < b; i++) {
		if (v[i] == ',') {
			/* a separator needs 1-3 digits before the first and
			 * exactly three digits after every one */
			if (!digits || (!grouped && digits > 3) || (grouped && digits != 3))
				return false;
			grouped = true;
			any_group = true;
			digits = 0;
			continue;
		}
		if (v[i] == '.' || v[i] == 'e' || v[i] == 'E') {
			if (grouped && digits != 3)
				return false;
			point = point || v[i] == '.';
			grouped = false;
			digits = 4; /* no separators after this */
		} else if (v[i] >= '0' && v[i] <= '9') {
			digits++;
		}
		if (n + 1 >= cap)
			return false;
		buf[n++] = v[i];
	}
	if (grouped && digits != 3)
		return false;
	if (any_group && !dollar && !point)
		return false;
	buf[n] = '\0';
	return n > 0;
}

static int parse_money(const char *v, size_t len, ct_money *out)
{
	char buf[64];

	if (ct_money_parse(v, len, out) == CT_OK)
		return CT_OK;
	if (!plain_amount(v, len, buf, sizeof(buf)))
		return CT_E_INPUT;
	return ct_money_parse(buf, strlen(buf), out);
}

static int parse_num(const char *v, size_t len, double *out)
{
	char buf[64];

	if (ct_num_parse(v, len, out) == CT_OK)
		return CT_OK;
	if (!plain_amount(v, len, buf, sizeof(buf)))
		return CT_E_INPUT;
	return ct_num_parse(buf, strlen(buf), out);
}


struct plan {
	size_t ncol;                    /* fields every row must have */
	long idx[CT_NELEM(columns)];    /* header position per column */
};

static int bad(struct ct_err *err, struct ct_csv *csv, long line,
	       const char *col, const char *what, const char *val, size_t len)
{
	char buf[48];

	return ct_err_set(err, CT_E_INPUT,
			  ct_stream_name(ct_csv_stream(csv)), line,
			  "%s %s: '%s'", col, what, ct_err_snippet(val, len, buf, sizeof(buf)));
}

static int convert(const struct plan *pl, struct ct_csv *csv,
		   const struct ct_csv_rec *r, struct ct_line *ln,
		   struct ct_err *err)
{
	bool have_time[T__N] = {false};
	int64_t t[T__N] = {0};
	bool have_money[M__N] = {false};
	ct_money m[M__N] = {0};

	memset(ln, 0, sizeof(*ln));
	for (size_t c = 0; c < CT_NELEM(columns); c++) {
		long i = pl->idx[c];
		const struct column *col = &columns[c];

		if (i < 0 || is_null(r, (size_t)i))
			continue;
		const char *v = r->field[i];
		size_t len = r->len[i];
		switch (col->kind) {
		case K_DIM:
			ln->dim[col->target] = v;
			ln->dimlen[col->target] = len;
			break;
		case K_MONEY:
			if (parse_money(v, len, &m[col->target]) != CT_OK)
				return bad(err, csv, r->line, col->name,
					   "is not a number", v, len);
			have_money[col->target] = true;
			break;
		case K_QTY:
			if (parse_num(v, len, &ln->qty[col->target]) != CT_OK)
				return bad(err, csv, r->line, col->name,
					   "is not a number", v, len);
			ln->has_qty[col->target] = true;
			break;
		case K_TIME:
			if (ct_clock_parse(v, len, &t[col->target]) != CT_OK)
				return bad(err, csv, r->line, col->name,
					   "is not a date and time", v, len);
			have_time[col->target] = true;
			break;
		}
	}
	if (ln->dim[CT_DIM_BILLING_CURRENCY] &&
	    ln->dimlen[CT_DIM_BILLING_CURRENCY] > CT_CURRENCY_MAX)
		return bad(err, csv, r->line, "BillingCurrency",
			   "is not a currency code",
			   ln->dim[CT_DIM_BILLING_CURRENCY],
			   ln->dimlen[CT_DIM_BILLING_CURRENCY]);
	if (!have_money[M_BILLED])
		return ct_err_set(err, CT_E_INPUT, ct_stream_name(ct_csv_stream(csv)),
				  r->line, "BilledCost is null");
	if (!have_time[T_CP_START])
		return ct_err_set(err, CT_E_INPUT, ct_stream_name(ct_csv_stream(csv)),
				  r->line, "ChargePeriodStart is null");
	if (!have_time[T_BP_START])
		return ct_err_set(err, CT_E_INPUT, ct_stream_name(ct_csv_stream(csv)),
				  r->line, "BillingPeriodStart is null");
	ln->billed = m[M_BILLED];
	/* EffectiveCost is mandatory in FOCUS; when a file leaves it null the
	 * line had no discount or amortization, so it equals BilledCost. */
	ln->effective = have_money[M_EFFECTIVE] ? m[M_EFFECTIVE] : m[M_BILLED];
	ln->list = m[M_LIST];
	ln->has_list = have_money[M_LIST];
	ln->contracted = m[M_CONTRACTED];
	ln->has_contracted = have_money[M_CONTRACTED];
	ln->billing_period_start = t[T_BP_START];
	if (have_time[T_BP_END]) {
		ln->billing_period_end = t[T_BP_END];
	} else {
		int y;
		unsigned mo, d;
		ct_clock_civil_from_days(ct_clock_day(t[T_BP_START]), &y, &mo, &d);
		ln->billing_period_end =
			ct_clock_days_from_civil(mo == 12 ? y + 1 : y,
						 mo == 12 ? 1 : mo + 1, 1) * 86400;
	}
	ln->charge_start = t[T_CP_START];
	ln->charge_end = have_time[T_CP_END] ? t[T_CP_END] : t[T_CP_START];
	if (ln->charge_end < ln->charge_start)
		return ct_err_set(err, CT_E_INPUT, ct_stream_name(ct_csv_stream(csv)),
				  r->line, "ChargePeriodEnd is before ChargePeriodStart");
	return CT_OK;
}

int ct_focus_read(struct ct_ingest *ing, struct ct_csv *csv,
		  const struct ct_csv_rec *hdr, struct ct_err *err)
{
	struct plan pl;
	struct ct_csv_rec r;
	struct ct_line ln;
	int rc;

	pl.ncol = hdr->n;
	map_header(hdr, pl.idx);
	while ((rc = ct_csv_next(csv, &r, err)) == 1) {
		if (r.n != pl.ncol)
			return ct_err_set(err, CT_E_INPUT,
					  ct_stream_name(ct_csv_stream(csv)), r.line,
					  "expected %zu fields as in the header, found %zu",
					  pl.ncol, r.n);
		ct_ingest_set_line(ing, r.line);
		rc = convert(&pl, csv, &r, &ln, err);
		if (rc != CT_OK)
			return rc;
		rc = ct_ingest_line(ing, &ln, err);
		if (rc != CT_OK)
			return rc;
	}
	return rc;
}
