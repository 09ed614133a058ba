/*
 * gcp.c - the Google Cloud billing export reader (see gcp.h).
 *
 * Depends on csv.c and stream.c for input, money.c, clock.c and tags.c
 * for values, and hands normalised lines to ingest.c; it never touches
 * the store. CSV columns and JSON paths meet in one table: a name is
 * reduced to its lower-case letters and digits, so the CSV column
 * "service.description", a flattened "service_description" and the JSON
 * path service -> description are one field. JSON lines are read by a
 * small scanner of our own rather than Jansson, because Jansson turns
 * numbers into doubles and money must be parsed from its decimal text.
 * The scanner also reads the Python repr some CSV exports carry in their
 * credits and labels columns (single quotes, None).
 *
 * FOCUS mapping (the BigQuery export schema as Google documents it):
 *
 *   BilledCost       cost + the sum of credits[].amount: credits are
 *                    negative and already belong to the row they reduce
 *                    (free trial, sustained and committed use discounts,
 *                    promotions), so folding them in gives the net cost
 *                    the invoice charges. EffectiveCost the same: the
 *                    export has no amortization.
 *   ContractedCost   cost (the negotiated price before credits)
 *   ListCost         cost_at_list, when the export has it
 *   BillingAccount   billing_account_id
 *   SubAccount       project.id / project.name
 *   BillingPeriod    invoice.month (YYYYMM); the calendar month of the
 *                    usage when absent
 *   ChargePeriod     usage_start_time / usage_end_time ("... UTC" as
 *                    BigQuery writes it is read as UTC)
 *   ChargeCategory   cost_type regular Usage, tax Tax, adjustment and
 *                    rounding_error Adjustment; Usage when absent
 *   ServiceName      service.description; ServiceCategory through the
 *                    FOCUS converters' table (gcp_category_mapping.csv,
 *                    125 services; Other for the rest)
 *   SkuId            sku.id; ChargeDescription sku.description
 *   Region/AZ        location.region (else location.location) /
 *                    location.zone
 *   Resource         resource.global_name (else resource.name) /
 *                    resource.name, in the detailed export
 *   Quantities       usage.amount in usage.unit (consumed),
 *                    usage.amount_in_pricing_units in usage.pricing_unit
 *   Tags             labels (the resource's), then project.labels for keys
 *                    the resource does not have: projects carry the cost
 *                    centre labels resources inherit in practice.
 *                    system_labels (machine facts such as core counts)
 *                    are not tags.
 */
#include "ct.h"
#include "gcp.h"
#include "clock.h"
#include "csv.h"
#include "ingest.h"
#include "money.h"
#include "stream.h"
#include "tags.h"

#include <strings.h>

#define MAX_DEPTH 32    /* JSON nesting we follow */
#define MAX_CREDITS 4096 /* credits of one row */

enum field {
	F_ACCOUNT, F_SERVICE_ID, F_SERVICE, F_SKU_ID, F_SKU, F_START, F_END,
	F_PROJECT_ID, F_PROJECT_NAME, F_REGION, F_ZONE, F_LOCATION, F_COST,
	F_CURRENCY, F_USAGE_AMOUNT, F_USAGE_UNIT, F_PRICING_AMOUNT,
	F_PRICING_UNIT, F_INVOICE_MONTH, F_COST_TYPE, F_RESOURCE_NAME,
	F_RESOURCE_GLOBAL, F_COST_AT_LIST, F_SELLER, F_CREDITS, F_LABELS,
	F_PROJECT_LABELS, F__N
};

static const struct {
	const char *key;
	const char *shown;
} names[F__N] = {
	{"billingaccountid", "billing_account_id"},
	{"serviceid", "service.id"},
	{"servicedescription", "service.description"},
	{"skuid", "sku.id"},
	{"skudescription", "sku.description"},
	{"usagestarttime", "usage_start_time"},
	{"usageendtime", "usage_end_time"},
	{"projectid", "project.id"},
	{"projectname", "project.name"},
	{"locationregion", "location.region"},
	{"locationzone", "location.zone"},
	{"locationlocation", "location.location"},
	{"cost", "cost"},
	{"currency", "currency"},
	{"usageamount", "usage.amount"},
	{"usageunit", "usage.unit"},
	{"usageamountinpricingunits", "usage.amount_in_pricing_units"},
	{"usagepricingunit", "usage.pricing_unit"},
	{"invoicemonth", "invoice.month"},
	{"costtype", "cost_type"},
	{"resourcename", "resource.name"},
	{"resourceglobalname", "resource.global_name"},
	{"costatlist", "cost_at_list"},
	{"sellername", "seller_name"},
	{"credits", "credits"},
	{"labels", "labels"},
	{"projectlabels", "project.labels"},
};

/* ServiceCategory by service.description: the FOCUS converters'
 * conversion_configs/gcp/mapping_files/gcp_category_mapping.csv, sorted
 * by the lower-case name. */
static const struct category {
	const char *code, *category;
} categories[] = {
	{"Actifio GO", "Security"},
	{"Anthos", "Compute"},
	{"Anthos Config Management", "Compute"},
	{"Anthos Service Mesh", "Management and Governance"},
	{"API Gateway", "Integration"},
	{"App Engine", "Compute"},
	{"Artifact Registry", "Compute"},
	{"Backup for GKE", "Storage"},
	{"BeyondCorp Enterprise", "Security"},
	{"BigQuery", "Databases"},
	{"BigQuery BI Engine", "Analytics"},
	{"BigQuery Data Transfer Service", "Migration"},
	{"BigQuery Reservation API", "Analytics"},
	{"BigQuery Storage API", "Storage"},
	{"Binary Authorization", "Security"},
	{"Certificate Authority Service", "Security"},
	{"Cloud AutoML", "AI and Machine Learning"},
	{"Cloud Bigtable", "Databases"},
	{"Cloud Build", "Developer Tools"},
	{"Cloud CDN", "Networking"},
	{"Cloud Composer", "Analytics"},
	{"Cloud Data Fusion", "Analytics"},
	{"Cloud Data Labeling Service", "AI and Machine Learning"},
	{"Cloud Data Loss Prevention", "Security"},
	{"Cloud Dataflow", "Analytics"},
	{"Cloud Dialogflow API", "Integration"},
	{"Cloud DNS", "Networking"},
	{"Cloud Document AI API", "Integration"},
	{"Cloud Document API", "Integration"},
	{"Cloud Domains", "Web"},
	{"Cloud Filestore", "Storage"},
	{"Cloud Functions", "Compute"},
	{"Cloud Healthcare", "Integration"},
	{"Cloud IDS", "Security"},
	{"Cloud IoT Core", "Internet of Things"},
	{"Cloud Key Management Service (KMS)", "Security"},
	{"Cloud Logging", "Management and Governance"},
	{"Cloud Machine Learning Engine", "AI and Machine Learning"},
	{"Cloud Media Translation API", "Integration"},
	{"Cloud Memorystore for Memcached", "Databases"},
	{"Cloud Memorystore for Redis", "Databases"},
	{"Cloud Natural Language", "AI and Machine Learning"},
	{"Cloud Optimization", "AI and Machine Learning"},
	{"Cloud Pub/Sub", "Integration"},
	{"Cloud Run", "Compute"},
	{"Cloud Scheduler", "Developer Tools"},
	{"Cloud Spanner", "Databases"},
	{"Cloud Speech API", "Integration"},
	{"Cloud SQL", "Databases"},
	{"Cloud Storage", "Storage"},
	{"Cloud Talent Solution", "AI and Machine Learning"},
	{"Cloud Tasks", "Developer Tools"},
	{"Cloud Text-to-Speech API", "Integration"},
	{"Cloud TPU", "AI and Machine Learning"},
	{"Cloud Video Intelligence API", "Integration"},
	{"Cloud Vision API", "Integration"},
	{"Compute Engine", "Compute"},
	{"Confidential Computing", "Compute"},
	{"Contact Center AI Insights", "AI and Machine Learning"},
	{"Container Registry Vulnerability Scanning", "Security"},
	{"Custom Search", "Integration"},
	{"Data Catalog", "Analytics"},
	{"Dataproc Metastore", "Storage"},
	{"Datastream", "Databases"},
	{"Directions API", "Integration"},
	{"Distance Matrix API", "Integration"},
	{"Elastifile Cloud File System", "Storage"},
	{"Enterprise Agreement", "Management and Governance"},
	{"Firebase", "Mobile"},
	{"Firebase Auth", "Security"},
	{"Firebase Hosting", "Mobile"},
	{"Firebase Realtime Database", "Databases"},
	{"Firebase Test Lab", "Mobile"},
	{"Game Services API", "Integration"},
	{"Genomics", "AI and Machine Learning"},
	{"Geocoding API", "Integration"},
	{"Geolocation API", "Integration"},
	{"Google Click to Deploy Deep Learning VM", "AI and Machine Learning"},
	{"Google Cloud Platform Apigee team Apigee Developer Portal", "Integration"},
	{"Google Cloud Platform Financial Services team Datashare", "Management and Governance"},
	{"Google Cloud Vision OCR On-Prem", "AI and Machine Learning"},
	{"Google Maps Mobile SDK", "Integration"},
	{"Google Quickstart Simple pre-configured Debian VM", "Compute"},
	{"Google Service Control", "Networking"},
	{"Identity Platform", "Security"},
	{"Kubernetes Engine", "Compute"},
	{"Live Stream API", "Integration"},
	{"Looker Data Platform SaaS", "Analytics"},
	{"Maps Elevation API", "Integration"},
	{"Maps Embed API", "Integration"},
	{"Maps SDK for Unity", "Integration"},
	{"Maps Static API", "Integration"},
	{"MultiClusterIngress", "Compute"},
	{"Networking", "Networking"},
	{"Notebooks", "AI and Machine Learning"},
	{"On-Demand Scanning", "Security"},
	{"Places API", "Integration"},
	{"Prediction", "AI and Machine Learning"},
	{"Programmable Search Element", "Integration"},
	{"Pub/Sub Lite", "Integration"},
	{"reCAPTCHA Enterprise", "Security"},
	{"Recommendations AI", "AI and Machine Learning"},
	{"Remote Build Execution", "Developer Tools"},
	{"Roads API", "Integration"},
	{"Secret Manager", "Security"},
	{"Security Command Center", "Security"},
	{"Source Repository", "Developer Tools"},
	{"Speaker ID", "AI and Machine Learning"},
	{"Stackdriver", "Management and Governance"},
	{"Stackdriver Monitoring", "Compute"},
	{"Stackdriver Trace", "Compute"},
	{"Street View Static API", "Integration"},
	{"Time Zone API", "Integration"},
	{"Transcode API", "Integration"},
	{"Transcoder API", "Integration"},
	{"Transfer Appliance", "Migration"},
	{"Transfer Service", "Storage"},
	{"Translate", "Developer Tools"},
	{"Vertex AI", "AI and Machine Learning"},
	{"Video Stitcher API", "Integration"},
	{"VM Manager", "Compute"},
	{"VMware Engine", "Compute"},
	{"Web Risk", "Security"},
	{"Workflows", "Developer Tools"},
	{"Zync", "Media"},
};

static int cmp_category(const void *key, const void *elem)
{
	const struct category *c = elem;

	return strcasecmp(key, c->code);
}

/* One row, whatever its form: borrowed field texts. */
struct row {
	const char *v[F__N];
	size_t len[F__N];
	long line;
};

/* Reader state shared by both forms. */
struct gcp {
	const char *source;
	struct ct_tags set;
	char region_buf[8];
	char *scratch;     /* decoded JSON strings of the current line */
	size_t scap, slen;
};

/* Append the lower-case letters and digits of s to out (cap bytes in
 * all; out holds n). */
static size_t norm_append(char *out, size_t n, size_t cap, const char *s,
			  size_t len)
{
	for (size_t i = 0; i < len && n + 1 < cap; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			out[n++] = (char)(c - 'A' + 'a');
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[n++] = c;
	}
	out[n] = '\0';
	return n;
}

static int field_of(const char *key)
{
	for (int f = 0; f < F__N; f++)
		if (!strcmp(names[f].key, key))
			return f;
	return -1;
}


static int bad(struct ct_err *err, const struct gcp *g, const struct row *r,
	       enum field f, const char *what)
{
	char buf[48];

	return ct_err_set(err, CT_E_INPUT, g->source, r->line, "%s %s: '%s'",
			  names[f].shown, what,
			  ct_err_snippet(r->v[f], r->len[f], buf, sizeof(buf)));
}

/* ---- a scanner for JSON and Python repr --------------------------------- */

struct jw {
	const char *p, *end;
	int depth;
};

static void ws(struct jw *w)
{
	while (w->p < w->end && (*w->p == ' ' || *w->p == '\t' ||
				 *w->p == '\r' || *w->p == '\n'))
		w->p++;
}

/* A number or a bare word (true, None ...): its text. */
static int token(struct jw *w, const char **s, size_t *len)
{
	const char *b = w->p;

	while (w->p < w->end && ((*w->p >= '0' && *w->p <= '9') ||
				 (*w->p >= 'a' && *w->p <= 'z') ||
				 (*w->p >= 'A' && *w->p <= 'Z') ||
				 *w->p == '-' || *w->p == '+' || *w->p == '.'))
		w->p++;
	if (w->p == b)
		return CT_E_INPUT;
	*s = b;
	*len = (size_t)(w->p - b);
	return CT_OK;
}

static int skip_string(struct jw *w)
{
	char q = *w->p++;

	while (w->p < w->end && *w->p != q) {
		if (*w->p == '\\' && w->p + 1 < w->end)
			w->p++;
		w->p++;
	}
	if (w->p >= w->end)
		return CT_E_INPUT;
	w->p++;
	return CT_OK;
}

static int skip_value(struct jw *w)
{
	const char *s;
	size_t len;
	char close;

	ws(w);
	if (w->p >= w->end)
		return CT_E_INPUT;
	if (*w->p == '"' || *w->p == '\'')
		return skip_string(w);
	if (*w->p != '{' && *w->p != '[')
		return token(w, &s, &len);
	if (++w->depth > MAX_DEPTH)
		return CT_E_INPUT;
	close = *w->p == '{' ? '}' : ']';
	w->p++;
	ws(w);
	if (w->p < w->end && *w->p == close) {
		w->p++;
		w->depth--;
		return CT_OK;
	}
	for (;;) {
		if (close == '}') {
			ws(w);
			if (w->p >= w->end || (*w->p != '"' && *w->p != '\'') ||
			    skip_string(w) != CT_OK)
				return CT_E_INPUT;
			ws(w);
			if (w->p >= w->end || *w->p++ != ':')
				return CT_E_INPUT;
		}
		if (skip_value(w) != CT_OK)
			return CT_E_INPUT;
		ws(w);
		if (w->p < w->end && *w->p == ',') {
			w->p++;
			continue;
		}
		if (w->p < w->end && *w->p == close) {
			w->p++;
			w->depth--;
			return CT_OK;
		}
		return CT_E_INPUT;
	}
}

/* Decode the string at w->p into g->scratch (sized for the whole line by
 * the caller, so pointers into it stay valid). */
static int string_value(struct jw *w, struct gcp *g, const char **s, size_t *len)
{
	char *o = g->scratch + g->slen;

	if (g->slen + (size_t)(w->end - w->p) > g->scap ||
	    ct_tags_unquote(&w->p, w->end, o, len) != CT_OK)
		return CT_E_INPUT;
	*s = o;
	g->slen += *len;
	return CT_OK;
}

static bool is_null_word(const char *s, size_t len)
{
	return (len == 4 && !memcmp(s, "null", 4)) ||
	       (len == 4 && !memcmp(s, "None", 4));
}

/* Walk the members of the object at w->p, recording the fields of r:
 * objects are followed with their key added to the path, arrays are
 * kept as text (credits, labels), scalars as their decoded text. */
static int walk_object(struct jw *w, struct gcp *g, char *path, size_t plen,
		       struct row *r)
{
	ws(w);
	if (w->p >= w->end || *w->p != '{' || ++w->depth > MAX_DEPTH)
		return CT_E_INPUT;
	w->p++;
	ws(w);
	if (w->p < w->end && *w->p == '}') {
		w->p++;
		w->depth--;
		return CT_OK;
	}
	for (;;) {
		char key[128];
		size_t klen, n;
		const char *k, *s;
		int f;
		ws(w);
		if (w->p >= w->end || (*w->p != '"' && *w->p != '\'') ||
		    string_value(w, g, &k, &klen) != CT_OK)
			return CT_E_INPUT;
		g->slen -= klen; /* the key is not kept */
		n = norm_append(path, plen, 128, k, klen);
		memcpy(key, path, n + 1);
		ws(w);
		if (w->p >= w->end || *w->p++ != ':')
			return CT_E_INPUT;
		ws(w);
		if (w->p >= w->end)
			return CT_E_INPUT;
		f = field_of(key);
		if (*w->p == '{') {
			if (walk_object(w, g, path, n, r) != CT_OK)
				return CT_E_INPUT;
		} else if (*w->p == '[') {
			const char *b = w->p;
			if (skip_value(w) != CT_OK)
				return CT_E_INPUT;
			if (f >= 0) {
				r->v[f] = b;
				r->len[f] = (size_t)(w->p - b);
			}
		} else if (*w->p == '"' || *w->p == '\'') {
			if (string_value(w, g, &s, &klen) != CT_OK)
				return CT_E_INPUT;
			if (f >= 0 && klen) {
				r->v[f] = s;
				r->len[f] = klen;
			}
		} else {
			if (token(w, &s, &klen) != CT_OK)
				return CT_E_INPUT;
			if (f >= 0 && !is_null_word(s, klen)) {
				r->v[f] = s;
				r->len[f] = klen;
			}
		}
		path[plen] = '\0';
		ws(w);
		if (w->p < w->end && *w->p == ',') {
			w->p++;
			continue;
		}
		if (w->p < w->end && *w->p == '}') {
			w->p++;
			w->depth--;
			return CT_OK;
		}
		return CT_E_INPUT;
	}
}

/* Sum credits[].amount of a credits array (JSON or Python repr). */
static int credits_sum(const char *s, size_t len, ct_money *sum)
{
	struct jw w = {s, s + len, 0};
	long n = 0;

	*sum = 0;
	ws(&w);
	if (w.p == w.end)
		return CT_OK;
	if (*w.p++ != '[')
		return CT_E_INPUT;
	ws(&w);
	if (w.p < w.end && *w.p == ']')
		goto close;
	for (;;) {
		ws(&w);
		if (w.p >= w.end || *w.p++ != '{' || ++n > MAX_CREDITS)
			return CT_E_INPUT;
		ws(&w);
		if (w.p < w.end && *w.p == '}')
			goto next;
		for (;;) {
			const char *k, *v;
			size_t vlen;
			bool amount;
			ws(&w);
			if (w.p >= w.end || (*w.p != '"' && *w.p != '\''))
				return CT_E_INPUT;
			k = w.p + 1;
			if (skip_string(&w) != CT_OK)
				return CT_E_INPUT;
			amount = w.p - k == 7 && !memcmp(k, "amount", 6);
			ws(&w);
			if (w.p >= w.end || *w.p++ != ':')
				return CT_E_INPUT;
			ws(&w);
			if (amount && w.p < w.end && *w.p != '{' && *w.p != '[') {
				ct_money m;
				if (*w.p == '"' || *w.p == '\'') { /* a number as text */
					v = w.p + 1;
					if (skip_string(&w) != CT_OK)
						return CT_E_INPUT;
					vlen = (size_t)(w.p - 1 - v);
				} else if (token(&w, &v, &vlen) != CT_OK) {
					return CT_E_INPUT;
				}
				if (!is_null_word(v, vlen)) {
					if (ct_money_parse(v, vlen, &m) != CT_OK ||
					    __builtin_add_overflow(*sum, m, sum))
						return CT_E_INPUT;
				}
			} else if (skip_value(&w) != CT_OK) {
				return CT_E_INPUT;
			}
			ws(&w);
			if (w.p < w.end && *w.p == ',') {
				w.p++;
				continue;
			}
			if (w.p < w.end && *w.p == '}')
				break;
			return CT_E_INPUT;
		}
next:
		w.p++; /* '}' */
		ws(&w);
		if (w.p < w.end && *w.p == ',') {
			w.p++;
			continue;
		}
		break;
	}
	if (w.p >= w.end || *w.p != ']')
		return CT_E_INPUT;
close:
	w.p++;
	ws(&w);
	return w.p == w.end ? CT_OK : CT_E_INPUT;
}

/* ---- rows to lines ------------------------------------------------------- */

static void set(struct ct_line *ln, enum ct_dim d, const struct row *r,
		enum field f)
{
	if (r->v[f]) {
		ln->dim[d] = r->v[f];
		ln->dimlen[d] = r->len[f];
	}
}

static void set_const(struct ct_line *ln, enum ct_dim d, const char *v)
{
	ln->dim[d] = v;
	ln->dimlen[d] = v ? strlen(v) : 0;
}

static bool eq(const struct row *r, enum field f, const char *w)
{
	return r->v[f] && r->len[f] == strlen(w) && !strncasecmp(r->v[f], w, r->len[f]);
}

/* BigQuery writes TIMESTAMPs as "2022-08-01 03:00:00 UTC". */
static int parse_time(const char *v, size_t len, int64_t *out)
{
	if (len > 4 && !memcmp(v + len - 4, " UTC", 4))
		len -= 4;
	return ct_clock_parse(v, len, out);
}

static int convert(struct gcp *g, const struct row *r, struct ct_line *ln,
		   struct ct_err *err)
{
	ct_money credits = 0;
	const char *v;
	size_t len;

	memset(ln, 0, sizeof(*ln));
	if (!r->v[F_START])
		return ct_err_set(err, CT_E_INPUT, g->source, r->line,
				  "usage_start_time is empty");
	if (parse_time(r->v[F_START], r->len[F_START], &ln->charge_start) != CT_OK)
		return bad(err, g, r, F_START, "is not a date and time");
	ln->charge_end = ln->charge_start;
	if (r->v[F_END] &&
	    parse_time(r->v[F_END], r->len[F_END], &ln->charge_end) != CT_OK)
		return bad(err, g, r, F_END, "is not a date and time");
	if (ln->charge_end < ln->charge_start)
		return ct_err_set(err, CT_E_INPUT, g->source, r->line,
				  "usage_end_time is before usage_start_time");
	{
		int y;
		unsigned m, d;
		v = r->v[F_INVOICE_MONTH];
		if (v) {
			bool digits = r->len[F_INVOICE_MONTH] == 6;
			for (size_t i = 0; digits && i < 6; i++)
				digits = v[i] >= '0' && v[i] <= '9';
			if (!digits) /* v is not NUL-terminated (JSON scratch) */
				return bad(err, g, r, F_INVOICE_MONTH, "is not YYYYMM");
			y = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 +
			    (v[3] - '0');
			m = (unsigned)((v[4] - '0') * 10 + (v[5] - '0'));
			if (m < 1 || m > 12)
				return bad(err, g, r, F_INVOICE_MONTH, "is not YYYYMM");
		} else {
			ct_clock_civil_from_days(ct_clock_day(ln->charge_start), &y, &m, &d);
		}
		ln->billing_period_start = ct_clock_days_from_civil(y, m, 1) * 86400;
		ln->billing_period_end = ct_clock_days_from_civil(
			m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) * 86400;
	}

	if (!r->v[F_COST])
		return ct_err_set(err, CT_E_INPUT, g->source, r->line, "cost is empty");
	if (ct_money_parse(r->v[F_COST], r->len[F_COST], &ln->contracted) != CT_OK)
		return bad(err, g, r, F_COST, "is not a number");
	ln->has_contracted = true;
	if (r->v[F_CREDITS] &&
	    credits_sum(r->v[F_CREDITS], r->len[F_CREDITS], &credits) != CT_OK)
		return bad(err, g, r, F_CREDITS, "is not a list of credits");
	if (__builtin_add_overflow(ln->contracted, credits, &ln->billed))
		return bad(err, g, r, F_CREDITS, "add up past what cloudtally can sum");
	ln->effective = ln->billed;
	if (r->v[F_COST_AT_LIST]) {
		if (ct_money_parse(r->v[F_COST_AT_LIST], r->len[F_COST_AT_LIST],
				   &ln->list) != CT_OK)
			return bad(err, g, r, F_COST_AT_LIST, "is not a number");
		ln->has_list = true;
	}
	if (r->v[F_USAGE_AMOUNT]) {
		if (ct_num_parse(r->v[F_USAGE_AMOUNT], r->len[F_USAGE_AMOUNT],
				 &ln->qty[CT_QTY_CONSUMED_QUANTITY]) != CT_OK)
			return bad(err, g, r, F_USAGE_AMOUNT, "is not a number");
		ln->has_qty[CT_QTY_CONSUMED_QUANTITY] = true;
	}
	if (r->v[F_PRICING_AMOUNT]) {
		if (ct_num_parse(r->v[F_PRICING_AMOUNT], r->len[F_PRICING_AMOUNT],
				 &ln->qty[CT_QTY_PRICING_QUANTITY]) != CT_OK)
			return bad(err, g, r, F_PRICING_AMOUNT, "is not a number");
		ln->has_qty[CT_QTY_PRICING_QUANTITY] = true;
	}

	set_const(ln, CT_DIM_PROVIDER_NAME, "Google Cloud");
	set_const(ln, CT_DIM_INVOICE_ISSUER_NAME, "Google Cloud");
	set_const(ln, CT_DIM_PUBLISHER_NAME, "Google Cloud");
	set(ln, CT_DIM_PUBLISHER_NAME, r, F_SELLER);
	if (!r->v[F_ACCOUNT])
		return ct_err_set(err, CT_E_INPUT, g->source, r->line,
				  "billing_account_id is empty");
	set(ln, CT_DIM_BILLING_ACCOUNT_ID, r, F_ACCOUNT);
	set(ln, CT_DIM_SUB_ACCOUNT_ID, r, F_PROJECT_ID);
	set(ln, CT_DIM_SUB_ACCOUNT_NAME, r, F_PROJECT_NAME);
	if (r->v[F_CURRENCY] && r->len[F_CURRENCY] > CT_CURRENCY_MAX)
		return bad(err, g, r, F_CURRENCY, "is not a currency code");
	set(ln, CT_DIM_BILLING_CURRENCY, r, F_CURRENCY);
	if (!r->v[F_COST_TYPE] || eq(r, F_COST_TYPE, "regular")) {
		set_const(ln, CT_DIM_CHARGE_CATEGORY, "Usage");
		set_const(ln, CT_DIM_CHARGE_FREQUENCY, "Usage-Based");
		set_const(ln, CT_DIM_PRICING_CATEGORY, "Standard");
	} else {
		set_const(ln, CT_DIM_CHARGE_CATEGORY,
			  eq(r, F_COST_TYPE, "tax") ? "Tax" : "Adjustment");
		set_const(ln, CT_DIM_CHARGE_FREQUENCY, "One-Time");
	}
	set(ln, CT_DIM_SERVICE_NAME, r, F_SERVICE);
	{
		char name[128];
		const struct category *c = NULL;
		if (r->v[F_SERVICE] && r->len[F_SERVICE] < sizeof(name)) {
			memcpy(name, r->v[F_SERVICE], r->len[F_SERVICE]);
			name[r->len[F_SERVICE]] = '\0';
			c = bsearch(name, categories, CT_NELEM(categories),
				    sizeof(categories[0]), cmp_category);
		}
		set_const(ln, CT_DIM_SERVICE_CATEGORY, c ? c->category : "Other");
	}
	set(ln, CT_DIM_SKU_ID, r, F_SKU_ID);
	set(ln, CT_DIM_CHARGE_DESCRIPTION, r, F_SKU);
	set(ln, CT_DIM_REGION_ID, r, F_LOCATION);
	set(ln, CT_DIM_REGION_ID, r, F_REGION);
	set(ln, CT_DIM_AVAILABILITY_ZONE, r, F_ZONE);
	set(ln, CT_DIM_RESOURCE_NAME, r, F_RESOURCE_NAME);
	set(ln, CT_DIM_RESOURCE_ID, r, F_RESOURCE_NAME);
	set(ln, CT_DIM_RESOURCE_ID, r, F_RESOURCE_GLOBAL);
	set(ln, CT_DIM_CONSUMED_UNIT, r, F_USAGE_UNIT);
	set(ln, CT_DIM_PRICING_UNIT, r, F_PRICING_UNIT);

	ct_tags_reset(&g->set);
	if (r->v[F_LABELS] &&
	    ct_tags_add_kv_array(&g->set, r->v[F_LABELS], r->len[F_LABELS], 0) != CT_OK)
		return bad(err, g, r, F_LABELS, "is not a list of labels");
	if (r->v[F_PROJECT_LABELS] &&
	    ct_tags_add_kv_array(&g->set, r->v[F_PROJECT_LABELS],
				 r->len[F_PROJECT_LABELS], 0) != CT_OK)
		return bad(err, g, r, F_PROJECT_LABELS, "is not a list of labels");
	v = ct_tags_json(&g->set, &len);
	if (v) {
		ln->dim[CT_DIM_TAGS] = v;
		ln->dimlen[CT_DIM_TAGS] = len;
	}
	return CT_OK;
}

/* ---- CSV ------------------------------------------------------------------ */

static void map_header(const struct ct_csv_rec *hdr, long *idx)
{
	char k[128];

	for (int f = 0; f < F__N; f++)
		idx[f] = -1;
	for (size_t i = 0; i < hdr->n; i++) {
		int f;
		norm_append(k, 0, sizeof(k), hdr->field[i], hdr->len[i]);
		f = field_of(k);
		if (f >= 0 && idx[f] < 0)
			idx[f] = (long)i;
	}
}

bool ct_gcp_detect(const struct ct_csv_rec *hdr)
{
	long idx[F__N];

	map_header(hdr, idx);
	return idx[F_ACCOUNT] >= 0 && idx[F_COST] >= 0 && idx[F_START] >= 0;
}

int ct_gcp_read_csv(struct ct_ingest *ing, struct ct_csv *csv,
		    const struct ct_csv_rec *hdr, struct ct_err *err)
{
	struct gcp g;
	struct ct_csv_rec rec;
	struct ct_line ln;
	long idx[F__N];
	int rc;

	memset(&g, 0, sizeof(g));
	g.source = ct_stream_name(ct_csv_stream(csv));
	ct_tags_init(&g.set);
	map_header(hdr, idx);
	if (idx[F_ACCOUNT] < 0 || idx[F_COST] < 0 || idx[F_START] < 0) {
		rc = ct_err_set(err, CT_E_INPUT, g.source, hdr->line,
				"not a GCP billing export: the header needs "
				"billing_account_id, cost and usage_start_time");
		goto out;
	}
	while ((rc = ct_csv_next(csv, &rec, err)) == 1) {
		struct row r;
		if (rec.n > hdr->n) {
			rc = ct_err_set(err, CT_E_INPUT, g.source, rec.line,
					"expected %zu fields as in the header, found %zu",
					hdr->n, rec.n);
			goto out;
		}
		memset(&r, 0, sizeof(r));
		r.line = rec.line;
		for (int f = 0; f < F__N; f++) {
			long i = idx[f];
			if (i >= 0 && (size_t)i < rec.n && rec.len[i]) {
				r.v[f] = rec.field[i];
				r.len[f] = rec.len[i];
			}
		}
		ct_ingest_set_line(ing, rec.line);
		rc = convert(&g, &r, &ln, err);
		if (rc == CT_OK)
			rc = ct_ingest_line(ing, &ln, err);
		if (rc != CT_OK)
			goto out;
	}
out:
	ct_tags_release(&g.set);
	return rc;
}

/* ---- newline-delimited JSON ------------------------------------------------ */

bool ct_gcp_sniff_json(const char *path)
{
	struct ct_err err;
	struct ct_stream *s = ct_stream_open(path, &err);
	char *buf;
	long n = 0, got;
	size_t i = 0;
	bool yes = false;

	if (!s)
		return false;
	buf = ct_xmalloc(65536);
	while ((size_t)n < 65536 &&
	       (got = ct_stream_read(s, buf + n, 65536 - (size_t)n, &err)) > 0)
		n += got;
	if (n >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < (size_t)n && strchr(" \t\r\n", buf[i]))
		i++;
	if (i < (size_t)n && buf[i] == '{') {
		const char *nl = memchr(buf + i, '\n', (size_t)n - i);
		size_t end = nl ? (size_t)(nl - buf) : (size_t)n;
		static const char key[] = "\"billing_account_id\"";
		for (size_t k = i; k + sizeof(key) - 1 <= end && !yes; k++)
			yes = !memcmp(buf + k, key, sizeof(key) - 1);
	}
	free(buf);
	ct_stream_close(s);
	return yes;
}

static int json_line(struct ct_ingest *ing, struct gcp *g, const char *s,
		     size_t len, long line, struct ct_err *err)
{
	struct jw w = {s, s + len, 0};
	struct row r;
	struct ct_line ln;
	char path[128] = "";
	int rc;

	memset(&r, 0, sizeof(r));
	r.line = line;
	g->slen = 0;
	CT_GROW(g->scratch, len + 1, g->scap);
	if (walk_object(&w, g, path, 0, &r) != CT_OK)
		return ct_err_set(err, CT_E_INPUT, g->source, line,
				  "not a JSON object of a billing export row");
	ws(&w);
	if (w.p != w.end)
		return ct_err_set(err, CT_E_INPUT, g->source, line,
				  "text after the JSON object");
	ct_ingest_set_line(ing, line);
	rc = convert(g, &r, &ln, err);
	if (rc == CT_OK)
		rc = ct_ingest_line(ing, &ln, err);
	return rc;
}

int ct_gcp_read_json(struct ct_ingest *ing, struct ct_stream *in,
		     struct ct_err *err)
{
	struct gcp g;
	char *buf = NULL;
	size_t len = 0, cap = 0, start = 0;
	long line = 1;
	bool eof = false, first = true;
	int rc = CT_OK;

	memset(&g, 0, sizeof(g));
	g.source = ct_stream_name(in);
	ct_tags_init(&g.set);
	while (rc == CT_OK) {
		char *nl = buf ? memchr(buf + start, '\n', len - start) : NULL;
		size_t end;
		if (!nl && !eof) {
			long n;
			if (start) { /* keep only the unread part */
				memmove(buf, buf + start, len - start);
				len -= start;
				start = 0;
			}
			if (len > CT_GCP_MAX_LINE) {
				rc = ct_err_set(err, CT_E_INPUT, g.source, line,
						"line longer than %u MiB",
						CT_GCP_MAX_LINE >> 20);
				break;
			}
			CT_GROW(buf, len + 65536, cap);
			n = ct_stream_read(in, buf + len, cap - len, err);
			if (n < 0) {
				rc = (int)n;
				break;
			}
			if (n == 0)
				eof = true;
			len += (size_t)n;
			continue;
		}
		end = nl ? (size_t)(nl - buf) : len;
		if (first && end - start >= 3 && !memcmp(buf + start, "\xef\xbb\xbf", 3))
			start += 3;
		first = false;
		{
			size_t a = start, b = end;
			while (a < b && strchr(" \t\r", buf[a]))
				a++;
			while (b > a && strchr(" \t\r", buf[b - 1]))
				b--;
			if (b > a) {
				if (memchr(buf + a, '\0', b - a))
					rc = ct_err_set(err, CT_E_INPUT, g.source, line,
							"a NUL byte in the line");
				else
					rc = json_line(ing, &g, buf + a, b - a, line, err);
			}
		}
		if (!nl)
			break;
		start = end + 1;
		line++;
	}
	free(buf);
	free(g.scratch);
	ct_tags_release(&g.set);
	return rc;
}
