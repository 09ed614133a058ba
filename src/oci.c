/*
 * oci.c - the OCI cost report reader (see oci.h).
 *
 * Depends on csv.c, money.c, clock.c and tags.c, and hands normalised
 * lines to ingest.c; it never touches the store. Columns are found by
 * name (any case), in any order.
 *
 * FOCUS mapping (OCI publishes no converter rules of its own for this
 * report; the choices follow the column documentation):
 *
 *   BilledCost       cost/myCost + cost/myCostOverage (the overage part is
 *                    billed on top; empty is 0). EffectiveCost the same:
 *                    the report has no amortization.
 *   BillingAccount   lineItem/tenantId: the tenancy is what OCI bills
 *   SubAccount       product/compartmentId / compartmentName: the unit OCI
 *                    allocates cost to, as subscriptions and projects are
 *                    elsewhere
 *   BillingPeriod    the calendar month of the usage: the report has no
 *                    billing period column, and OCI bills by month
 *   ChargePeriod     lineItem/intervalUsageStart/End (the report mixes
 *                    "...T10:00Z" and "...T11:00:00Z"; both parse)
 *   ChargeCategory   Usage; ChargeClass Correction when
 *                    lineItem/isCorrection is true
 *   ServiceName      product/service; ServiceCategory by a table of the
 *                    OCI service codes below (Other for the rest)
 *   ChargeDescription product/Description; SkuId cost/productSku;
 *                    ListUnitPrice cost/unitPrice; ConsumedQuantity
 *                    usage/billedQuantity; units cost/skuUnitDescription
 *   Region/AZ        product/region, product/availabilityDomain
 *   ResourceId       product/resourceId
 *   Tags             tags/NAMESPACE.KEY columns as "NAMESPACE.KEY" (the
 *                    defined-tag spelling OCI uses everywhere); free-form
 *                    tags as their key; empty values are left out
 */
#include "ct.h"
#include "oci.h"
#include "clock.h"
#include "csv.h"
#include "ingest.h"
#include "money.h"
#include "stream.h"
#include "tags.h"

#include <strings.h>

enum field {
	F_TENANT, F_START, F_END, F_SERVICE, F_COMPARTMENT_ID,
	F_COMPARTMENT_NAME, F_REGION, F_AD, F_RESOURCE_ID, F_QUANTITY,
	F_SKU, F_DESCRIPTION, F_UNIT_PRICE, F_COST, F_COST_OVERAGE,
	F_CURRENCY, F_UNIT, F_CORRECTION, F__N
};

static const char *const names[F__N] = {
	"lineItem/tenantId", "lineItem/intervalUsageStart",
	"lineItem/intervalUsageEnd", "product/service",
	"product/compartmentId", "product/compartmentName", "product/region",
	"product/availabilityDomain", "product/resourceId",
	"usage/billedQuantity", "cost/productSku", "product/Description",
	"cost/unitPrice", "cost/myCost", "cost/myCostOverage",
	"cost/currencyCode", "cost/skuUnitDescription", "lineItem/isCorrection",
};

/* ServiceCategory of the product/service codes OCI reports use. */
static const struct {
	const char *code, *category;
} categories[] = {
	{"ANALYTICS", "Analytics"},
	{"API_GATEWAY", "Integration"},
	{"AUTONOMOUS_DATABASE", "Databases"},
	{"BLOCK_STORAGE", "Storage"},
	{"COMPUTE", "Compute"},
	{"CONTAINER_ENGINE", "Compute"},
	{"DATABASE", "Databases"},
	{"DATA_SCIENCE", "AI and Machine Learning"},
	{"DNS", "Networking"},
	{"FASTCONNECT", "Networking"},
	{"FILE_STORAGE", "Storage"},
	{"FUNCTIONS", "Compute"},
	{"KMS", "Security"},
	{"LOAD_BALANCER", "Networking"},
	{"LOGGING", "Management and Governance"},
	{"MYSQL", "Databases"},
	{"NETWORK", "Networking"},
	{"NOSQL", "Databases"},
	{"NOTIFICATIONS", "Integration"},
	{"OBJECTSTORE", "Storage"},
	{"ORACLE_STREAMING_SERVICE", "Integration"},
	{"TELEMETRY", "Management and Governance"},
	{"VAULT", "Security"},
	{"VCN", "Networking"},
	{"WAF", "Security"},
};

struct tag_col {
	long idx;
	char *key; /* owned: the header's text does not outlive the next
		      record (csv.h) */
	size_t klen;
};

struct plan {
	size_t ncol;
	long idx[F__N];
	struct tag_col *tags;
	size_t ntags;
	struct ct_tags set;
};

bool ct_oci_detect(const struct ct_csv_rec *hdr)
{
	bool cost = false, start = false;

	for (size_t i = 0; i < hdr->n; i++) {
		cost = cost || !strcasecmp(hdr->field[i], "cost/myCost");
		start = start || !strcasecmp(hdr->field[i], "lineItem/intervalUsageStart");
	}
	return cost && start;
}

static const char *fv(const struct plan *pl, const struct ct_csv_rec *r,
		      enum field f, size_t *len)
{
	long i = pl->idx[f];

	if (i < 0 || (size_t)i >= r->n || !r->len[i])
		return NULL;
	*len = r->len[i];
	return r->field[i];
}


static int bad(struct ct_err *err, struct ct_csv *csv, long line,
	       enum field f, const char *what, const char *v, size_t len)
{
	char buf[48];

	return ct_err_set(err, CT_E_INPUT, ct_stream_name(ct_csv_stream(csv)),
			  line, "%s %s: '%s'", names[f], what,
			  ct_err_snippet(v, len, buf, sizeof(buf)));
}

static void copy(const struct plan *pl, const struct ct_csv_rec *r,
		 struct ct_line *ln, enum field f, enum ct_dim d)
{
	size_t len;
	const char *v = fv(pl, r, f, &len);

	if (v) {
		ln->dim[d] = v;
		ln->dimlen[d] = len;
	}
}

static void set_const(struct ct_line *ln, enum ct_dim d, const char *v)
{
	ln->dim[d] = v;
	ln->dimlen[d] = v ? strlen(v) : 0;
}

static int convert(struct plan *pl, struct ct_csv *csv,
		   const struct ct_csv_rec *r, struct ct_line *ln,
		   struct ct_err *err)
{
	const char *name = ct_stream_name(ct_csv_stream(csv));
	const char *v;
	size_t len;
	ct_money over = 0;
	int y;
	unsigned mo, d;

	memset(ln, 0, sizeof(*ln));
	v = fv(pl, r, F_START, &len);
	if (!v)
		return ct_err_set(err, CT_E_INPUT, name, r->line,
				  "lineItem/intervalUsageStart is empty");
	if (ct_clock_parse(v, len, &ln->charge_start) != CT_OK)
		return bad(err, csv, r->line, F_START, "is not a date and time", v, len);
	v = fv(pl, r, F_END, &len);
	if (!v)
		ln->charge_end = ln->charge_start;
	else if (ct_clock_parse(v, len, &ln->charge_end) != CT_OK)
		return bad(err, csv, r->line, F_END, "is not a date and time", v, len);
	if (ln->charge_end < ln->charge_start)
		return ct_err_set(err, CT_E_INPUT, name, r->line,
				  "lineItem/intervalUsageEnd is before "
				  "lineItem/intervalUsageStart");
	ct_clock_civil_from_days(ct_clock_day(ln->charge_start), &y, &mo, &d);
	ln->billing_period_start = ct_clock_days_from_civil(y, mo, 1) * 86400;
	ln->billing_period_end = ct_clock_days_from_civil(mo == 12 ? y + 1 : y,
							  mo == 12 ? 1 : mo + 1, 1) * 86400;

	v = fv(pl, r, F_COST, &len);
	if (!v)
		return ct_err_set(err, CT_E_INPUT, name, r->line, "cost/myCost is empty");
	if (ct_money_parse(v, len, &ln->billed) != CT_OK)
		return bad(err, csv, r->line, F_COST, "is not a number", v, len);
	v = fv(pl, r, F_COST_OVERAGE, &len);
	if (v && ct_money_parse(v, len, &over) != CT_OK)
		return bad(err, csv, r->line, F_COST_OVERAGE, "is not a number", v, len);
	ln->billed += over; /* both below CT_MONEY_MAX_ABS: no overflow */
	ln->effective = ln->billed;
	v = fv(pl, r, F_QUANTITY, &len);
	if (v) {
		if (ct_num_parse(v, len, &ln->qty[CT_QTY_CONSUMED_QUANTITY]) != CT_OK)
			return bad(err, csv, r->line, F_QUANTITY, "is not a number", v, len);
		ln->has_qty[CT_QTY_CONSUMED_QUANTITY] = true;
		ln->qty[CT_QTY_PRICING_QUANTITY] = ln->qty[CT_QTY_CONSUMED_QUANTITY];
		ln->has_qty[CT_QTY_PRICING_QUANTITY] = true;
	}
	v = fv(pl, r, F_UNIT_PRICE, &len);
	if (v) {
		if (ct_num_parse(v, len, &ln->qty[CT_QTY_LIST_UNIT_PRICE]) != CT_OK)
			return bad(err, csv, r->line, F_UNIT_PRICE, "is not a number", v, len);
		ln->has_qty[CT_QTY_LIST_UNIT_PRICE] = true;
	}

	set_const(ln, CT_DIM_PROVIDER_NAME, "Oracle");
	set_const(ln, CT_DIM_PUBLISHER_NAME, "Oracle");
	set_const(ln, CT_DIM_INVOICE_ISSUER_NAME, "Oracle");
	copy(pl, r, ln, F_TENANT, CT_DIM_BILLING_ACCOUNT_ID);
	copy(pl, r, ln, F_COMPARTMENT_ID, CT_DIM_SUB_ACCOUNT_ID);
	copy(pl, r, ln, F_COMPARTMENT_NAME, CT_DIM_SUB_ACCOUNT_NAME);
	set_const(ln, CT_DIM_CHARGE_CATEGORY, "Usage");
	set_const(ln, CT_DIM_CHARGE_FREQUENCY, "Usage-Based");
	set_const(ln, CT_DIM_PRICING_CATEGORY, "Standard");
	v = fv(pl, r, F_CORRECTION, &len);
	if (v && len == 4 && !strncasecmp(v, "true", 4))
		set_const(ln, CT_DIM_CHARGE_CLASS, "Correction");
	copy(pl, r, ln, F_SERVICE, CT_DIM_SERVICE_NAME);
	set_const(ln, CT_DIM_SERVICE_CATEGORY, "Other");
	v = fv(pl, r, F_SERVICE, &len);
	for (size_t i = 0; v && i < CT_NELEM(categories); i++)
		if (strlen(categories[i].code) == len &&
		    !strncasecmp(categories[i].code, v, len))
			set_const(ln, CT_DIM_SERVICE_CATEGORY, categories[i].category);
	copy(pl, r, ln, F_DESCRIPTION, CT_DIM_CHARGE_DESCRIPTION);
	copy(pl, r, ln, F_SKU, CT_DIM_SKU_ID);
	copy(pl, r, ln, F_UNIT, CT_DIM_PRICING_UNIT);
	copy(pl, r, ln, F_UNIT, CT_DIM_CONSUMED_UNIT);
	copy(pl, r, ln, F_REGION, CT_DIM_REGION_ID);
	copy(pl, r, ln, F_REGION, CT_DIM_REGION_NAME);
	copy(pl, r, ln, F_AD, CT_DIM_AVAILABILITY_ZONE);
	copy(pl, r, ln, F_RESOURCE_ID, CT_DIM_RESOURCE_ID);
	v = fv(pl, r, F_CURRENCY, &len);
	if (v && len > CT_CURRENCY_MAX)
		return bad(err, csv, r->line, F_CURRENCY, "is not a currency code", v, len);
	copy(pl, r, ln, F_CURRENCY, CT_DIM_BILLING_CURRENCY);

	ct_tags_reset(&pl->set);
	for (size_t i = 0; i < pl->ntags; i++) {
		long k = pl->tags[i].idx;
		if ((size_t)k < r->n && r->len[k])
			ct_tags_add(&pl->set, pl->tags[i].key, pl->tags[i].klen,
				    r->field[k], r->len[k], 0);
	}
	v = ct_tags_json(&pl->set, &len);
	if (v) {
		ln->dim[CT_DIM_TAGS] = v;
		ln->dimlen[CT_DIM_TAGS] = len;
	}
	return CT_OK;
}

int ct_oci_read(struct ct_ingest *ing, struct ct_csv *csv,
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
	pl.ncol = hdr->n;
	for (int f = 0; f < F__N; f++) {
		pl.idx[f] = -1;
		for (size_t i = 0; i < hdr->n && pl.idx[f] < 0; i++)
			if (!strcasecmp(hdr->field[i], names[f]))
				pl.idx[f] = (long)i;
	}
	for (size_t i = 0; i < hdr->n; i++) {
		if (strncasecmp(hdr->field[i], "tags/", 5) || !hdr->field[i][5])
			continue;
		CT_GROW(pl.tags, pl.ntags + 1, tcap);
		pl.tags[pl.ntags].idx = (long)i;
		pl.tags[pl.ntags].key = ct_xstrndup(hdr->field[i] + 5, hdr->len[i] - 5);
		pl.tags[pl.ntags].klen = hdr->len[i] - 5;
		pl.ntags++;
	}
	if (pl.idx[F_COST] < 0 || pl.idx[F_START] < 0) {
		rc = ct_err_set(err, CT_E_INPUT, name, hdr->line,
				"not an OCI cost report: the header needs cost/myCost "
				"and lineItem/intervalUsageStart");
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
	for (size_t i = 0; i < pl.ntags; i++)
		free(pl.tags[i].key);
	free(pl.tags);
	ct_tags_release(&pl.set);
	return rc;
}
