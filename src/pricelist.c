/*
 * pricelist.c - refreshing the store's prices from the AWS Price List bulk
 * files and the Spot Advisor feed (see pricelist.h for the walk, the
 * mapping and the transaction rule).
 *
 * Depends on http.c (downloads), stream.c + csv.c (reading the offer
 * CSV), Jansson (the small JSON indexes and the spot feed), store.h (the
 * only way to SQLite) and clock.c (update times). Never prints. Prices are
 * decimal strings from end to end: no binary floating point touches a
 * price (tier bounds are quantities and are REAL in the schema).
 */
#include "ct.h"
#include "pricelist.h"
#include "money.h"

#include <errno.h>
#include <jansson.h>
#include <strings.h>
#include <unistd.h>

#include "clock.h"
#include "csv.h"
#include "http.h"
#include "store.h"
#include "stream.h"

#define INDEX_PATH "/offers/v1.0/aws/index.json"
#define SPOT_PATH "/spot-advisor-data.json"
#define MAX_META_ROWS 32 /* metadata rows allowed before the header */
#define DEC_MAX 48	 /* longest decimal text kept */

/* ---- offers ------------------------------------------------------------ */

enum kind { K_EC2, K_RDS, K_SP };

struct offer {
	const char *code;      /* offer code in the index and in --service */
	const char *meta_code; /* what the OfferCode metadata row may say too */
	enum kind kind;
	const char *services[3]; /* catalog services whose rows it owns */
	const char *terms[3];	 /* ... for these terms */
};

static const struct offer offers[] = {
	{"AmazonEC2", NULL, K_EC2, {"ec2", "ebs", NULL}, {"ondemand", "reserved", NULL}},
	{"AmazonRDS", NULL, K_RDS, {"rds", NULL, NULL}, {"ondemand", "reserved", NULL}},
	{"AWSComputeSavingsPlan",
	 "AmazonComputeSavingsPlan",
	 K_SP,
	 {"ec2", NULL, NULL},
	 {"savingsplan", NULL, NULL}},
};

static const struct offer *find_offer(const char *code)
{
	for (size_t i = 0; i < CT_NELEM(offers); i++)
		if (!strcasecmp(offers[i].code, code))
			return &offers[i];
	return NULL;
}

/* ---- stats ------------------------------------------------------------- */

void ct_pricelist_stats_init(struct ct_pricelist_stats *s)
{
	memset(s, 0, sizeof(*s));
}

void ct_pricelist_stats_release(struct ct_pricelist_stats *s)
{
	for (size_t i = 0; i < s->n; i++) {
		struct ct_pricelist_entry *e = &s->entry[i];

		free(e->offer);
		free(e->service);
		free(e->region);
		free(e->source);
		free(e->publication);
	}
	free(s->entry);
	ct_pricelist_stats_init(s);
}

void ct_pricelist_print_stats(const struct ct_pricelist_stats *s, FILE *out)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct ct_pricelist_entry *e = &s->entry[i];

		fprintf(out, "%s %s: %ld row%s from %s, published %s\n", e->service, e->region,
			e->rows, e->rows == 1 ? "" : "s", e->offer, e->publication);
	}
	fprintf(out, "price rows read: %ld, skipped: %ld, duplicates: %ld\n", s->read, s->skipped,
		s->duplicates);
}

static void add_entry(struct ct_pricelist_stats *s, const char *offer, const char *service,
		      const char *region, const char *source, const char *publication, long rows)
{
	struct ct_pricelist_entry *e;

	if (!s)
		return;
	CT_GROW(s->entry, s->n + 1, s->cap);
	e = &s->entry[s->n++];
	e->offer = ct_xstrdup(offer);
	e->service = ct_xstrdup(service);
	e->region = ct_xstrdup(region);
	e->source = ct_xstrdup(source);
	e->publication = ct_xstrdup(publication);
	e->rows = rows;
}

/* ---- exact decimals ---------------------------------------------------- */

/*
 * Normalise a published decimal ("0.0960000000" -> "0.096", "2750" ->
 * "2750", "0.0000000000" -> "0"). Only digits with at most one point are
 * accepted. @return false for anything else or text too long for out.
 */
static bool dec_norm(const char *s, char *out, size_t outlen)
{
	const char *dot = NULL, *p, *end;
	size_t n;

	if (!*s)
		return false;
	for (p = s; *p; p++) {
		if (*p == '.') {
			if (dot)
				return false;
			dot = p;
		} else if (*p < '0' || *p > '9') {
			return false;
		}
	}
	if (dot && (dot == s && !dot[1]))
		return false;
	end = p;
	if (dot) {
		while (end > dot + 1 && end[-1] == '0')
			end--;
		if (end == dot + 1)
			end = dot; /* "12." or "12.000" */
	}
	while (*s == '0' && s + 1 < end && s[1] != '.')
		s++;
	n = (size_t)(end - s);
	if (n == 0 || n + 2 > outlen)
		return false;
	if (*s == '.') { /* ".5" */
		out[0] = '0';
		memcpy(out + 1, s, n);
		out[n + 1] = '\0';
	} else {
		memcpy(out, s, n);
		out[n] = '\0';
	}
	return true;
}

/*
 * out = dec * mul / 10^shift, exactly (dec normalised by dec_norm()).
 * @return false when the digits do not fit 64 bits.
 */
static bool dec_scale(const char *dec, uint64_t mul, unsigned shift, char *out, size_t outlen)
{
	uint64_t m = 0;
	unsigned scale = 0;
	bool frac = false;
	char digits[32], tmp[DEC_MAX + 8];
	size_t nd, pos = 0;

	for (const char *p = dec; *p; p++) {
		if (*p == '.') {
			frac = true;
			continue;
		}
		if (m > (UINT64_MAX - 9) / 10)
			return false;
		m = m * 10 + (uint64_t)(*p - '0');
		if (frac)
			scale++;
	}
	if (mul && m > UINT64_MAX / mul)
		return false;
	m *= mul;
	scale += shift;
	snprintf(digits, sizeof(digits), "%llu", (unsigned long long)m);
	nd = strlen(digits);
	if (scale + 2 > sizeof(tmp) - 1 || nd + 2 > sizeof(tmp) - 1)
		return false;
	if (nd <= scale) {
		tmp[pos++] = '0';
		tmp[pos++] = '.';
		for (size_t k = nd; k < scale; k++)
			tmp[pos++] = '0';
		memcpy(tmp + pos, digits, nd);
		pos += nd;
	} else {
		memcpy(tmp, digits, nd - scale);
		pos = nd - scale;
		if (scale) {
			tmp[pos++] = '.';
			memcpy(tmp + pos, digits + nd - scale, scale);
			pos += scale;
		}
	}
	tmp[pos] = '\0';
	return dec_norm(tmp, out, outlen);
}

/* ---- the CSV columns --------------------------------------------------- */

enum col {
	C_TERMTYPE,
	C_UNIT,
	C_PRICE,
	C_CURRENCY,
	C_START,
	C_END,
	C_LEASE,
	C_PURCHASE,
	C_CLASS,
	C_FAMILY,
	C_LOCTYPE,
	C_REGION,
	C_ITYPE,
	C_TENANCY,
	C_OS,
	C_LICENSE,
	C_PREINST,
	C_CAPACITY,
	C_MARKET,
	C_UTYPE,
	C_VOLAPI,
	C_ENGINE,
	C_DEPLOY,
	C_VOLTYPE,
	C_RATE,
	C_DSVC,
	C_DUTYPE,
	C_DOP,
	C_LEASEUNIT,
	C_DREGION,
	C_DITYPE,
	NCOL
};

#define N_EC2 (1u << K_EC2)
#define N_RDS (1u << K_RDS)
#define N_SP (1u << K_SP)
#define N_ALL (N_EC2 | N_RDS | N_SP)

/* Header names and which offers cannot do without them. */
static const struct {
	const char *name;
	unsigned need;
} colspec[NCOL] = {
	[C_TERMTYPE] = {"TermType", N_EC2 | N_RDS},
	[C_UNIT] = {"Unit", N_ALL},
	[C_PRICE] = {"PricePerUnit", N_EC2 | N_RDS},
	[C_CURRENCY] = {"Currency", N_ALL},
	[C_START] = {"StartingRange", N_EC2 | N_RDS},
	[C_END] = {"EndingRange", N_EC2 | N_RDS},
	[C_LEASE] = {"LeaseContractLength", N_ALL},
	[C_PURCHASE] = {"PurchaseOption", N_ALL},
	[C_CLASS] = {"OfferingClass", N_EC2 | N_RDS},
	[C_FAMILY] = {"Product Family", N_ALL},
	[C_LOCTYPE] = {"Location Type", 0},
	[C_REGION] = {"Region Code", 0},
	[C_ITYPE] = {"Instance Type", N_EC2 | N_RDS},
	[C_TENANCY] = {"Tenancy", N_EC2},
	[C_OS] = {"Operating System", N_EC2},
	[C_LICENSE] = {"License Model", N_EC2 | N_RDS},
	[C_PREINST] = {"Pre Installed S/W", N_EC2},
	[C_CAPACITY] = {"CapacityStatus", N_EC2},
	[C_MARKET] = {"MarketOption", 0},
	[C_UTYPE] = {"usageType", N_EC2 | N_RDS},
	[C_VOLAPI] = {"Volume API Name", N_EC2},
	[C_ENGINE] = {"Database Engine", N_RDS},
	[C_DEPLOY] = {"Deployment Option", N_RDS},
	[C_VOLTYPE] = {"Volume Type", N_RDS},
	[C_RATE] = {"DiscountedRate", N_SP},
	[C_DSVC] = {"DiscountedServiceCode", N_SP},
	[C_DUTYPE] = {"DiscountedUsageType", N_SP},
	[C_DOP] = {"DiscountedOperation", N_SP},
	[C_LEASEUNIT] = {"LeaseContractLengthUnit", N_SP},
	[C_DREGION] = {"DiscountedRegionCode", 0},
	[C_DITYPE] = {"DiscountedInstanceType", 0},
};

/* One catalog row made from a CSV row. */
struct prow {
	const char *service;
	const char *product;
	char variant[96];
	const char *term;
	const char *offering;
	int years;
	const char *payment;
	const char *unit;
	double tier_start;
	bool open_end;
	double tier_end;
	char price[DEC_MAX];
	bool fee; /* price is the one-time fee of this key (reserved) */
};

/* One load of one file. */
struct load {
	struct ct_store *st;
	const struct offer *of;
	const char *region;
	const char *source;
	int col[NCOL]; /* field index, -1 when the column is absent */
	char **f;      /* fields of the current record */
	long line;     /* its line */
	struct ct_stmt *rate, *fee;
	struct ct_pricelist_stats *stats;
};

static const char *F(const struct load *l, enum col c)
{
	return l->col[c] >= 0 ? l->f[l->col[c]] : "";
}

static int bad(const struct load *l, struct ct_err *err, const char *what, const char *value)
{
	return ct_err_set(err, CT_E_INPUT, l->source, l->line, "%s \"%.80s\"", what, value);
}

/* ---- mapping ----------------------------------------------------------- */

/* "Red Hat Enterprise Linux with HA" -> "red-hat-enterprise-linux-with-ha" */
static void slug(const char *s, char *out, size_t outlen)
{
	size_t n = 0;
	bool dash = false;

	for (; *s && n + 2 < outlen; s++) {
		unsigned char ch = (unsigned char)*s;

		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
			if (dash && n)
				out[n++] = '-';
			out[n++] = (char)ch;
			dash = false;
		} else if (ch >= 'A' && ch <= 'Z') {
			if (dash && n)
				out[n++] = '-';
			out[n++] = (char)(ch - 'A' + 'a');
			dash = false;
		} else {
			dash = true;
		}
	}
	out[n] = '\0';
}

static void os_name(const char *os, char *out, size_t outlen)
{
	static const struct {
		const char *aws, *ours;
	} map[] = {
		{"Linux", "linux"},
		{"Windows", "windows"},
		{"RHEL", "rhel"},
		{"SUSE", "suse"},
		{"Red Hat Enterprise Linux with HA", "rhel-ha"},
		{"Ubuntu Pro", "ubuntu-pro"},
	};

	for (size_t i = 0; i < CT_NELEM(map); i++)
		if (!strcasecmp(os, map[i].aws)) {
			snprintf(out, outlen, "%s", map[i].ours);
			return;
		}
	slug(os, out, outlen);
}

static const char *tenancy_name(const char *t)
{
	if (!strcasecmp(t, "Shared"))
		return "shared";
	if (!strcasecmp(t, "Dedicated"))
		return "dedicated";
	if (!strcasecmp(t, "Host"))
		return "host";
	return NULL;
}

static const char *payment_name(const char *p)
{
	if (!strcasecmp(p, "No Upfront"))
		return "no";
	if (!strcasecmp(p, "Partial Upfront"))
		return "partial";
	if (!strcasecmp(p, "All Upfront"))
		return "all";
	return NULL;
}

/* "1yr", "3yr", "1 yr", "3 year", "1" -> 1 or 3; else 0. */
static int lease_years(const char *s)
{
	int y;

	if (s[0] != '1' && s[0] != '3')
		return 0;
	y = s[0] - '0';
	s++;
	while (*s == ' ')
		s++;
	if (!*s || !strcasecmp(s, "yr") || !strcasecmp(s, "year") || !strcasecmp(s, "years"))
		return y;
	return 0;
}

/* Is this row for the region being loaded? Outposts never are. */
static bool region_ok(const struct load *l)
{
	const char *rc = F(l, C_REGION);
	const char *lt = F(l, C_LOCTYPE);

	if (*rc)
		return !strcmp(rc, l->region) && strcasecmp(lt, "AWS Outposts");
	/* Files without region codes hold one region; keep to its own
	 * location, not its Local Zones, Wavelength Zones or Outposts. */
	return !*lt || !strcasecmp(lt, "AWS Region");
}

/*
 * TermType and the reserved attributes. @return 1 mapped, 0 not a term
 * we keep.
 */
static int map_term(const struct load *l, struct prow *p)
{
	const char *tt = F(l, C_TERMTYPE);

	if (!strcasecmp(tt, "OnDemand")) {
		p->term = "ondemand";
		p->offering = "";
		p->years = 0;
		p->payment = "";
		return 1;
	}
	if (strcasecmp(tt, "Reserved"))
		return 0;
	p->term = "reserved";
	p->years = lease_years(F(l, C_LEASE));
	p->payment = payment_name(F(l, C_PURCHASE));
	if (!strcasecmp(F(l, C_CLASS), "standard"))
		p->offering = "standard";
	else if (!strcasecmp(F(l, C_CLASS), "convertible"))
		p->offering = "convertible";
	else
		p->offering = NULL;
	return p->years && p->payment && p->offering;
}

/* Tier bounds from StartingRange / EndingRange ("" and "Inf" open). */
static int map_range(const struct load *l, struct prow *p, struct ct_err *err)
{
	const char *a = F(l, C_START), *b = F(l, C_END);
	char *end;

	p->tier_start = 0;
	p->open_end = true;
	(void)end;
	/* finite, non-negative decimals only: "Infinity" or "nan" here would
	 * poison every later lookup */
	if (*a && (ct_num_parse(a, strlen(a), &p->tier_start) != CT_OK ||
		   p->tier_start < 0))
		return bad(l, err, "bad StartingRange", a);
	if (*b && strcasecmp(b, "Inf")) {
		if (ct_num_parse(b, strlen(b), &p->tier_end) != CT_OK ||
		    p->tier_end < p->tier_start)
			return bad(l, err, "bad EndingRange", b);
		p->open_end = false;
	}
	return CT_OK;
}

static int map_price(const struct load *l, enum col c, struct prow *p, struct ct_err *err)
{
	if (!dec_norm(F(l, c), p->price, sizeof(p->price)))
		return bad(l, err, "price is not a decimal number", F(l, c));
	return CT_OK;
}

/* Hourly or upfront of an instance-like row. @return 1, 0 skip, < 0. */
static int map_hour_or_fee(const struct load *l, struct prow *p, enum col price, struct ct_err *err)
{
	const char *unit = F(l, C_UNIT);

	if (!strcasecmp(unit, "Hrs")) {
		p->unit = "hour";
		if (map_range(l, p, err) < 0)
			return CT_E_INPUT;
	} else if (!strcasecmp(unit, "Quantity") && !strcmp(p->term, "reserved")) {
		p->unit = "hour";
		p->fee = true;
		p->tier_start = 0;
		p->open_end = true;
	} else {
		return 0;
	}
	if (map_price(l, price, p, err) < 0)
		return CT_E_INPUT;
	return 1;
}

static int map_instance(const struct load *l, struct prow *p, struct ct_err *err)
{
	char os[48];
	const char *ten, *lic = F(l, C_LICENSE);
	int m;

	if (!*F(l, C_ITYPE) || strcmp(F(l, C_PREINST), "NA") ||
	    strcasecmp(F(l, C_CAPACITY), "Used"))
		return 0;
	if (*F(l, C_MARKET) && strcasecmp(F(l, C_MARKET), "OnDemand"))
		return 0;
	ten = tenancy_name(F(l, C_TENANCY));
	os_name(F(l, C_OS), os, sizeof(os));
	if (!ten || !*os)
		return 0;
	if (strcasecmp(lic, "No License required") &&
	    !(!strcmp(os, "windows") && !strcasecmp(lic, "License Included")))
		return 0;
	if (!map_term(l, p))
		return 0;
	p->service = "ec2";
	p->product = F(l, C_ITYPE);
	snprintf(p->variant, sizeof(p->variant), "%s/%s", os, ten);
	m = map_hour_or_fee(l, p, C_PRICE, err);
	/* An instance on a Dedicated Host costs $0 an hour in the file: the
	 * host is billed by its own (HostUsage) row, which is not an
	 * instance price. A $0 here would read as "free", so leave it out. */
	if (m == 1 && !strcmp(ten, "host") && !strcmp(p->term, "ondemand") &&
	    !strcmp(p->price, "0"))
		return 0;
	return m;
}

/* io2 IOPS tiers as AWS documents them: up to 32,000 IOPS, 32,000 to
 * 64,000, above 64,000; used when the file gives no range of its own. */
static void io2_tier(const char *rest, struct prow *p)
{
	if (p->tier_start != 0 || !p->open_end)
		return;
	if (strstr(rest, ".tier3")) {
		p->tier_start = 64000;
	} else if (strstr(rest, ".tier2")) {
		p->tier_start = 32000;
		p->tier_end = 64000;
		p->open_end = false;
	} else {
		p->tier_end = 32000;
		p->open_end = false;
	}
}

static bool prefix_word(const char *s, const char *word)
{
	size_t n = strlen(word);

	return !strncmp(s, word, n) && (s[n] == '\0' || s[n] == '.');
}

static int map_ebs(const struct load *l, struct prow *p, struct ct_err *err)
{
	const char *rest = strstr(F(l, C_UTYPE), "EBS:") + 4;
	const char *unit = F(l, C_UNIT);
	const char *vol = F(l, C_VOLAPI);
	char tmp[DEC_MAX];

	if (strcasecmp(F(l, C_TERMTYPE), "OnDemand"))
		return 0;
	p->service = "ebs";
	p->term = "ondemand";
	p->offering = "";
	p->payment = "";
	p->years = 0;
	p->product = vol;
	if (prefix_word(rest, "VolumeUsage") && !strcasecmp(unit, "GB-Mo")) {
		snprintf(p->variant, sizeof(p->variant), "storage");
		p->unit = "GB-month";
	} else if (prefix_word(rest, "VolumeP-IOPS") && !strcasecmp(unit, "IOPS-Mo")) {
		snprintf(p->variant, sizeof(p->variant), "iops");
		p->unit = "IOPS-month";
	} else if (prefix_word(rest, "VolumeP-Throughput") &&
		   (!strcasecmp(unit, "GiBps-mo") || !strcasecmp(unit, "MiBps-mo"))) {
		snprintf(p->variant, sizeof(p->variant), "throughput");
		p->unit = "MiBps-month";
	} else if (!strcmp(rest, "VolumeIOUsage") && !strcasecmp(unit, "IOs")) {
		snprintf(p->variant, sizeof(p->variant), "io");
		p->unit = "request";
		if (!*vol)
			p->product = "standard";
	} else if (!strcmp(rest, "SnapshotUsage") && !strcasecmp(unit, "GB-Mo")) {
		snprintf(p->variant, sizeof(p->variant), "storage");
		p->unit = "GB-month";
		p->product = "snapshot";
	} else {
		return 0;
	}
	if (!*p->product)
		return 0;
	if (map_range(l, p, err) < 0 || map_price(l, C_PRICE, p, err) < 0)
		return CT_E_INPUT;
	if (!strcmp(p->variant, "iops") && !strcmp(p->product, "io2"))
		io2_tier(rest, p);
	if (!strcasecmp(unit, "GiBps-mo")) {
		/* 1 GiBps = 1024 MiBps, and 1/1024 is an exact decimal
		 * (0.0009765625): price * 9765625 / 10^10. */
		if (!dec_scale(p->price, 9765625, 10, tmp, sizeof(tmp)))
			return bad(l, err, "price out of range", p->price);
		snprintf(p->price, sizeof(p->price), "%s", tmp);
	}
	return 1;
}

static int map_ec2(const struct load *l, struct prow *p, struct ct_err *err)
{
	const char *fam = F(l, C_FAMILY);

	if (!strcasecmp(fam, "Compute Instance") ||
	    !strcasecmp(fam, "Compute Instance (bare metal)"))
		return map_instance(l, p, err);
	if (strstr(F(l, C_UTYPE), "EBS:"))
		return map_ebs(l, p, err);
	return 0;
}

static const char *rds_engine(const char *e)
{
	static const struct {
		const char *aws, *ours;
	} map[] = {
		{"MySQL", "mysql"},
		{"PostgreSQL", "postgres"},
		{"MariaDB", "mariadb"},
		{"Aurora MySQL", "aurora-mysql"},
		{"Aurora PostgreSQL", "aurora-postgres"},
	};

	for (size_t i = 0; i < CT_NELEM(map); i++)
		if (!strcasecmp(e, map[i].aws))
			return map[i].ours;
	return NULL;
}

static const char *rds_deployment(const char *d)
{
	if (!strcasecmp(d, "Single-AZ"))
		return "single-az";
	if (!strcasecmp(d, "Multi-AZ"))
		return "multi-az";
	return NULL;
}

static const char *rds_volume(const char *v)
{
	static const struct {
		const char *aws, *ours;
	} map[] = {
		{"General Purpose", "gp2"},	   {"General Purpose (SSD)", "gp2"},
		{"General Purpose-GP3", "gp3"},	   {"Provisioned IOPS", "io1"},
		{"Provisioned IOPS (SSD)", "io1"}, {"Provisioned IOPS-IO2", "io2"},
		{"Magnetic", "magnetic"},
	};

	for (size_t i = 0; i < CT_NELEM(map); i++)
		if (!strcasecmp(v, map[i].aws))
			return map[i].ours;
	return NULL;
}

static int map_rds(const struct load *l, struct prow *p, struct ct_err *err)
{
	const char *fam = F(l, C_FAMILY);
	const char *dep = rds_deployment(F(l, C_DEPLOY));
	const char *eng = F(l, C_ENGINE);

	if (!dep)
		return 0;
	if (!strcasecmp(fam, "Database Instance")) {
		const char *e = rds_engine(eng);

		if (!e || !*F(l, C_ITYPE) || strstr(F(l, C_UTYPE), "IOOptimized"))
			return 0;
		if (*F(l, C_LICENSE) && strcasecmp(F(l, C_LICENSE), "No license required"))
			return 0;
		if (!map_term(l, p))
			return 0;
		p->service = "rds";
		p->product = F(l, C_ITYPE);
		snprintf(p->variant, sizeof(p->variant), "%s/%s", e, dep);
		return map_hour_or_fee(l, p, C_PRICE, err);
	}
	if (!strcasecmp(fam, "Database Storage")) {
		const char *v = rds_volume(F(l, C_VOLTYPE));

		if (!v || strcasecmp(F(l, C_TERMTYPE), "OnDemand") ||
		    strcasecmp(F(l, C_UNIT), "GB-Mo"))
			return 0;
		if (strcasecmp(eng, "Any") && strcasecmp(eng, "MySQL") &&
		    strcasecmp(eng, "PostgreSQL") && strcasecmp(eng, "MariaDB"))
			return 0;
		p->service = "rds";
		p->product = v;
		snprintf(p->variant, sizeof(p->variant), "storage/%s", dep);
		p->term = "ondemand";
		p->offering = "";
		p->payment = "";
		p->years = 0;
		p->unit = "GB-month";
		if (map_range(l, p, err) < 0 || map_price(l, C_PRICE, p, err) < 0)
			return CT_E_INPUT;
		return 1;
	}
	return 0;
}

/* DiscountedOperation -> our OS name (A1.3 operation codes). */
static const char *sp_os(const char *op)
{
	static const struct {
		const char *op, *os;
	} map[] = {
		{"RunInstances", "linux"},	  {"RunInstances:0002", "windows"},
		{"RunInstances:0010", "rhel"},	  {"RunInstances:000g", "suse"},
		{"RunInstances:1010", "rhel-ha"}, {"RunInstances:0g00", "ubuntu-pro"},
	};

	for (size_t i = 0; i < CT_NELEM(map); i++)
		if (!strcmp(op, map[i].op))
			return map[i].os;
	return NULL;
}

static int map_sp(const struct load *l, struct prow *p, struct ct_err *err)
{
	const char *fam = F(l, C_FAMILY);
	const char *ut = F(l, C_DUTYPE);
	const char *colon = strchr(ut, ':');
	const char *os = sp_os(F(l, C_DOP));
	const char *kind, *ten;
	size_t klen;

	if (strcmp(F(l, C_DSVC), "AmazonEC2") || !colon || !os || strcasecmp(F(l, C_UNIT), "Hrs"))
		return 0;
	if (*F(l, C_DREGION) && strcmp(F(l, C_DREGION), l->region))
		return 0;
	if (!strcasecmp(fam, "ComputeSavingsPlans"))
		p->offering = "compute";
	else if (!strcasecmp(fam, "EC2InstanceSavingsPlans"))
		p->offering = "ec2instance";
	else
		return 0;
	/* "APE2-BoxUsage:r7g.large": the kind sits between the region
	 * prefix (if any) and the colon. */
	kind = ut;
	for (const char *q = ut; q < colon; q++)
		if (*q == '-')
			kind = q + 1;
	klen = (size_t)(colon - kind);
	if (klen == 8 && !strncmp(kind, "BoxUsage", 8))
		ten = "shared";
	else if (klen == 14 && !strncmp(kind, "DedicatedUsage", 14))
		ten = "dedicated";
	else
		return 0;
	p->years = strcasecmp(F(l, C_LEASEUNIT), "year") && strcasecmp(F(l, C_LEASEUNIT), "years")
			   ? 0
			   : lease_years(F(l, C_LEASE));
	p->payment = payment_name(F(l, C_PURCHASE));
	if (!p->years || !p->payment)
		return 0;
	p->service = "ec2";
	p->product = *F(l, C_DITYPE) ? F(l, C_DITYPE) : colon + 1;
	if (!*p->product)
		return 0;
	snprintf(p->variant, sizeof(p->variant), "%s/%s", os, ten);
	p->term = "savingsplan";
	p->unit = "hour";
	p->tier_start = 0;
	p->open_end = true;
	if (map_price(l, C_RATE, p, err) < 0)
		return CT_E_INPUT;
	return 1;
}

/* ---- loading one CSV --------------------------------------------------- */

/* Bind the key columns (1-9) shared by both upserts. */
static void bind_key(struct ct_stmt *q, const struct load *l, const struct prow *p)
{
	ct_stmt_bind_str(q, 1, p->service);
	ct_stmt_bind_str(q, 2, l->region);
	ct_stmt_bind_str(q, 3, p->product);
	ct_stmt_bind_str(q, 4, p->variant);
	ct_stmt_bind_str(q, 5, p->term);
	ct_stmt_bind_str(q, 6, p->offering);
	ct_stmt_bind_int64(q, 7, p->years);
	ct_stmt_bind_str(q, 8, p->payment);
	ct_stmt_bind_str(q, 9, p->unit);
	ct_stmt_bind_double(q, 10, p->tier_start);
	if (p->open_end)
		ct_stmt_bind_null(q, 11);
	else
		ct_stmt_bind_double(q, 11, p->tier_end);
}

/*
 * A rate fills a placeholder left by its fee; a fee fills the upfront of
 * its rate (or leaves a placeholder with price ''). A key already taken
 * by another SKU changes nothing and counts as a duplicate.
 */
static const char sql_rate[] =
	"INSERT INTO price (service, region, product, variant, term, offering,"
	" years, payment, unit, tier_start, tier_end, price, upfront, note,"
	" source, as_of) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
	" ?12, NULL, NULL, ?13, ?14)"
	" ON CONFLICT (service, region, product, variant, term, offering, years,"
	" payment, tier_start) DO UPDATE SET price = excluded.price,"
	" unit = excluded.unit, tier_end = excluded.tier_end WHERE price = ''";
static const char sql_fee[] =
	"INSERT INTO price (service, region, product, variant, term, offering,"
	" years, payment, unit, tier_start, tier_end, price, upfront, note,"
	" source, as_of) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
	" '', ?12, NULL, ?13, ?14)"
	" ON CONFLICT (service, region, product, variant, term, offering, years,"
	" payment, tier_start) DO UPDATE SET upfront = excluded.upfront"
	" WHERE upfront IS NULL";

static int store_row(struct load *l, const struct prow *p, const char *as_of, struct ct_err *err)
{
	struct ct_stmt *q = p->fee ? l->fee : l->rate;
	int rc;

	ct_stmt_reset(q);
	bind_key(q, l, p);
	ct_stmt_bind_str(q, 12, p->price);
	ct_stmt_bind_str(q, 13, l->source);
	ct_stmt_bind_str(q, 14, as_of);
	rc = ct_stmt_step(q, err);
	if (rc < 0)
		return rc;
	if (ct_store_changes(l->st) == 0 && l->stats)
		l->stats->duplicates++;
	return CT_OK;
}

/* Bind up to two names as parameters first..first+1 (NULL matches none). */
static void bind_pair(struct ct_stmt *q, int first, const char *const v[3])
{
	ct_stmt_bind_str(q, first, v[0]);
	if (v[1])
		ct_stmt_bind_str(q, first + 1, v[1]);
	else
		ct_stmt_bind_null(q, first + 1);
}

static int exec_scoped(struct ct_store *st, const char *sql, const struct offer *of,
		       const char *region, struct ct_err *err)
{
	struct ct_stmt *q = ct_store_prepare(st, sql, err);
	int rc;

	if (!q)
		return CT_E_DB;
	ct_stmt_bind_str(q, 1, region);
	bind_pair(q, 2, of->services);
	bind_pair(q, 4, of->terms);
	rc = ct_stmt_step(q, err);
	ct_stmt_finalize(q);
	return rc < 0 ? rc : CT_OK;
}

static int count_rows(struct ct_store *st, const char *service, const char *region,
		      const char *const terms[3], long *n, struct ct_err *err)
{
	struct ct_stmt *q =
		ct_store_prepare(st,
				 "SELECT count(*) FROM price WHERE region = ?1 AND service = ?2"
				 " AND term IN (?3, ?4)",
				 err);
	int rc;

	if (!q)
		return CT_E_DB;
	ct_stmt_bind_str(q, 1, region);
	ct_stmt_bind_str(q, 2, service);
	bind_pair(q, 3, terms);
	rc = ct_stmt_step(q, err);
	if (rc == 1)
		*n = (long)ct_stmt_int64(q, 0);
	ct_stmt_finalize(q);
	return rc < 0 ? rc : CT_OK;
}

static int add_update_row(struct ct_store *st, const char *service, const char *region,
			  const char *source, const char *publication, long rows,
			  struct ct_err *err)
{
	char now[21];
	struct ct_stmt *q =
		ct_store_prepare(st,
				 "INSERT INTO price_update (service, region, source, publication,"
				 " rows, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
				 err);
	int rc;

	if (!q)
		return CT_E_DB;
	ct_clock_format_iso(ct_clock_now(), now);
	ct_stmt_bind_str(q, 1, service);
	ct_stmt_bind_str(q, 2, region);
	ct_stmt_bind_str(q, 3, source);
	ct_stmt_bind_str(q, 4, publication);
	ct_stmt_bind_int64(q, 5, rows);
	ct_stmt_bind_str(q, 6, now);
	rc = ct_stmt_step(q, err);
	ct_stmt_finalize(q);
	return rc < 0 ? rc : CT_OK;
}

/* Keep the line from a reader error but name the URL, not the temp file. */
static int rename_err(int rc, struct ct_err *err, const char *source)
{
	if (err)
		snprintf(err->source, sizeof(err->source), "%s", source);
	return rc;
}

/*
 * Look at the first bytes: a price-list CSV starts with FormatVersion.
 * Say what came instead, since servers answer errors with HTML or JSON.
 */
static int sniff(const char *path, const char *source, struct ct_err *err)
{
	char buf[64];
	struct ct_stream *s = ct_stream_open(path, err);
	long got = 0, r = 0;
	const char *p;

	if (!s)
		return CT_E_IO;
	while (got < (long)sizeof(buf) - 1 &&
	       (r = ct_stream_read(s, buf + got, sizeof(buf) - 1 - (size_t)got, err)) > 0)
		got += r;
	ct_stream_close(s);
	if (r < 0)
		return rename_err((int)r, err, source);
	buf[got] = '\0';
	p = buf;
	if (!strncmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (*p == '"')
		p++;
	if (!strncmp(p, "FormatVersion", 13))
		return CT_OK;
	if (!*p)
		return ct_err_set(err, CT_E_INPUT, source, 0,
				  "empty response where a price-list CSV was "
				  "expected");
	if (*p == '<')
		return ct_err_set(err, CT_E_INPUT, source, 0,
				  "got HTML where a price-list CSV was "
				  "expected");
	if (*p == '{' || *p == '[')
		return ct_err_set(err, CT_E_INPUT, source, 0,
				  "got JSON where a price-list CSV was "
				  "expected");
	return ct_err_set(err, CT_E_INPUT, source, 1,
			  "not an AWS price-list CSV (no FormatVersion row)");
}

int ct_pricelist_load_csv(struct ct_store *st, const char *path, const char *offer,
			  const char *region, const char *source, struct ct_pricelist_stats *stats,
			  struct ct_err *err)
{
	const struct offer *of = find_offer(offer);
	struct load l = {0};
	struct ct_stream *in = NULL;
	struct ct_csv *csv = NULL;
	struct ct_csv_rec rec;
	char *publication = NULL, *code = NULL;
	char as_of[11];
	size_t width = 0;
	long nrows[3] = {0, 0, 0};
	bool tx = false;
	int rc, got;

	if (!of)
		return ct_err_set(err, CT_E_USAGE, NULL, 0, "unknown price-list offer \"%s\"",
				  offer);
	if (!source)
		source = path;
	l.st = st;
	l.of = of;
	l.region = region;
	l.source = source;
	l.stats = stats;
	for (int c = 0; c < NCOL; c++)
		l.col[c] = -1;

	rc = sniff(path, source, err);
	if (rc < 0)
		goto out;
	in = ct_stream_open(path, err);
	if (!in) {
		rc = CT_E_IO;
		goto out;
	}
	csv = ct_csv_open(in, 0);

	/* Metadata rows, then the header (it starts with SKU). */
	for (int k = 0;; k++) {
		got = ct_csv_next(csv, &rec, err);
		if (got < 0) {
			rc = rename_err(got, err, source);
			goto out;
		}
		if (got == 0 || k >= MAX_META_ROWS) {
			rc = ct_err_set(err, CT_E_INPUT, source, got ? rec.line : 0,
					"no header row (SKU, ...) after the "
					"metadata rows");
			goto out;
		}
		if (!strcmp(rec.field[0], "SKU"))
			break;
		if (rec.n < 2)
			continue;
		if (!strcmp(rec.field[0], "Publication Date")) {
			free(publication);
			publication = ct_xstrdup(rec.field[1]);
		} else if (!strcmp(rec.field[0], "OfferCode")) {
			free(code);
			code = ct_xstrdup(rec.field[1]);
		}
	}
	l.line = rec.line;
	if (!publication) {
		rc = ct_err_set(err, CT_E_INPUT, source, rec.line,
				"no \"Publication Date\" row before the header");
		goto out;
	}
	{
		int64_t t;

		if (strlen(publication) < 10 || ct_clock_parse(publication, 10, &t) != CT_OK) {
			rc = bad(&l, err, "bad publication date", publication);
			goto out;
		}
		memcpy(as_of, publication, 10);
		as_of[10] = '\0';
	}
	if (code && strcasecmp(code, of->code) &&
	    !(of->meta_code && !strcasecmp(code, of->meta_code))) {
		rc = ct_err_set(err, CT_E_INPUT, source, 0,
				"offer code is \"%.60s\", expected \"%s\"", code, of->code);
		goto out;
	}

	/* Header: columns by name. */
	width = rec.n;
	for (size_t i = 0; i < rec.n; i++)
		for (int c = 0; c < NCOL; c++)
			if (l.col[c] < 0 && !strcasecmp(rec.field[i], colspec[c].name))
				l.col[c] = (int)i;
	for (int c = 0; c < NCOL; c++)
		if ((colspec[c].need & (1u << of->kind)) && l.col[c] < 0) {
			rc = ct_err_set(err, CT_E_INPUT, source, rec.line, "missing column \"%s\"",
					colspec[c].name);
			goto out;
		}

	rc = ct_store_begin(st, err);
	if (rc < 0)
		goto out;
	tx = true;
	rc = exec_scoped(st,
			 "DELETE FROM price WHERE region = ?1 AND service IN"
			 " (?2, ?3) AND term IN (?4, ?5)",
			 of, region, err);
	if (rc < 0)
		goto out;
	l.rate = ct_store_prepare(st, sql_rate, err);
	l.fee = l.rate ? ct_store_prepare(st, sql_fee, err) : NULL;
	if (!l.fee) {
		rc = CT_E_DB;
		goto out;
	}

	while ((got = ct_csv_next(csv, &rec, err)) > 0) {
		struct prow p;
		int m;

		l.f = rec.field;
		l.line = rec.line;
		if (stats)
			stats->read++;
		if (rec.n != width) {
			rc = ct_err_set(err, CT_E_INPUT, source, rec.line,
					"row has %zu fields, the header has %zu", rec.n, width);
			goto out;
		}
		memset(&p, 0, sizeof(p));
		m = 0;
		if (!strcasecmp(F(&l, C_CURRENCY), "USD") && (of->kind == K_SP || region_ok(&l))) {
			if (of->kind == K_EC2)
				m = map_ec2(&l, &p, err);
			else if (of->kind == K_RDS)
				m = map_rds(&l, &p, err);
			else
				m = map_sp(&l, &p, err);
		}
		if (m < 0) {
			rc = m;
			goto out;
		}
		if (m == 0) {
			if (stats)
				stats->skipped++;
			continue;
		}
		rc = store_row(&l, &p, as_of, err);
		if (rc < 0)
			goto out;
	}
	if (got < 0) {
		rc = rename_err(got, err, source);
		goto out;
	}

	/* A fee whose rate never came is no price, and a partial or all
	 * upfront term whose fee never came is not free: drop both. */
	rc = exec_scoped(st,
			 "DELETE FROM price WHERE region = ?1 AND service IN"
			 " (?2, ?3) AND term IN (?4, ?5) AND (price = ''"
			 " OR (term = 'reserved' AND payment IN ('partial', 'all')"
			 " AND upfront IS NULL))",
			 of, region, err);
	if (rc < 0)
		goto out;
	if (stats)
		stats->skipped += (long)ct_store_changes(st);
	for (int i = 0; i < 3 && of->services[i]; i++) {
		rc = count_rows(st, of->services[i], region, of->terms, &nrows[i], err);
		if (rc < 0)
			goto out;
		rc = add_update_row(st, of->services[i], region, source, publication, nrows[i],
				    err);
		if (rc < 0)
			goto out;
	}
	ct_stmt_finalize(l.rate);
	ct_stmt_finalize(l.fee);
	l.rate = l.fee = NULL;
	rc = ct_store_commit(st, err);
	if (rc < 0)
		goto out;
	tx = false;
	for (int i = 0; i < 3 && of->services[i]; i++)
		add_entry(stats, of->code, of->services[i], region, source, publication, nrows[i]);
	rc = CT_OK;
out:
	ct_stmt_finalize(l.rate);
	ct_stmt_finalize(l.fee);
	if (tx)
		ct_store_rollback(st);
	ct_csv_close(csv);
	if (!csv)
		ct_stream_close(in);
	free(publication);
	free(code);
	return rc;
}

/* ---- spot -------------------------------------------------------------- */

struct od {
	char *product;
	char *price;
};

/* The label of interruption band r from the feed's ranges (borrowed). */
static const char *band_label(json_t *ranges, json_int_t r)
{
	size_t i;
	json_t *v;

	json_array_foreach(ranges, i, v)
	{
		json_t *ix = json_object_get(v, "index");
		json_t *lb = json_object_get(v, "label");

		if (json_is_integer(ix) && json_integer_value(ix) == r && json_is_string(lb))
			return json_string_value(lb);
	}
	return NULL;
}

static int spot_region(struct ct_store *st, json_t *doc, const char *region, const char *source,
		       struct ct_pricelist_stats *stats, struct ct_err *err)
{
	static const struct {
		const char *feed, *variant;
	} oses[] = {{"Linux", "linux/shared"}, {"Windows", "windows/shared"}};
	static const struct offer spot = {
		"spot", NULL, K_EC2, {"ec2", NULL, NULL}, {"spot", NULL, NULL}};
	json_t *ranges = json_object_get(doc, "ranges");
	json_t *reg = json_object_get(json_object_get(doc, "spot_advisor"), region);
	struct ct_stmt *q = NULL, *ins = NULL;
	struct od *ods = NULL;
	size_t nod = 0, cap = 0;
	char today[11];
	long rows = 0;
	bool tx = false;
	int rc;

	ct_clock_format_day(ct_clock_day(ct_clock_now()), today);
	rc = ct_store_begin(st, err);
	if (rc < 0)
		return rc;
	tx = true;
	rc = exec_scoped(st,
			 "DELETE FROM price WHERE region = ?1 AND service IN"
			 " (?2, ?3) AND term IN (?4, ?5)",
			 &spot, region, err);
	if (rc < 0)
		goto out;
	ins = ct_store_prepare(st,
			       "INSERT INTO price (service, region, product, variant, term,"
			       " offering, years, payment, unit, tier_start, tier_end, price,"
			       " upfront, note, source, as_of) VALUES ('ec2', ?1, ?2, ?3,"
			       " 'spot', '', 0, '', 'hour', 0, NULL, ?4, NULL, ?5, ?6, ?7)",
			       err);
	q = ins ? ct_store_prepare(st,
				   "SELECT product, price FROM price WHERE service = 'ec2'"
				   " AND region = ?1 AND variant = ?2 AND term ="
				   " 'ondemand' AND unit = 'hour' AND tier_start = 0"
				   " ORDER BY product",
				   err)
		: NULL;
	if (!q) {
		rc = CT_E_DB;
		goto out;
	}
	for (size_t k = 0; json_is_object(reg) && k < CT_NELEM(oses); k++) {
		json_t *types = json_object_get(reg, oses[k].feed);

		if (!json_is_object(types))
			continue;
		/* On-demand prices first, then the inserts. */
		nod = 0;
		ct_stmt_reset(q);
		ct_stmt_bind_str(q, 1, region);
		ct_stmt_bind_str(q, 2, oses[k].variant);
		while ((rc = ct_stmt_step(q, err)) == 1) {
			CT_GROW(ods, nod + 1, cap);
			ods[nod].product = ct_xstrdup(ct_stmt_text(q, 0));
			ods[nod].price = ct_xstrdup(ct_stmt_text(q, 1));
			nod++;
		}
		if (rc < 0)
			goto out;
		for (size_t i = 0; i < nod; i++) {
			json_t *t = json_object_get(types, ods[i].product);
			json_t *s = json_object_get(t, "s");
			json_t *r = json_object_get(t, "r");
			char price[DEC_MAX];
			json_int_t pct;

			if (!json_is_object(t))
				continue;
			if (!json_is_integer(s) || !json_is_integer(r) ||
			    (pct = json_integer_value(s)) < 0 || pct > 100) {
				rc = ct_err_set(err, CT_E_INPUT, source, 0,
						"spot_advisor.%s.%s.%s: s and r "
						"must be whole numbers, s 0-100",
						region, oses[k].feed, ods[i].product);
				goto out;
			}
			/* od * (100 - s) / 100, exactly. */
			if (!dec_scale(ods[i].price, (uint64_t)(100 - pct), 2, price,
				       sizeof(price)))
				continue;
			ct_stmt_reset(ins);
			ct_stmt_bind_str(ins, 1, region);
			ct_stmt_bind_str(ins, 2, ods[i].product);
			ct_stmt_bind_str(ins, 3, oses[k].variant);
			ct_stmt_bind_str(ins, 4, price);
			ct_stmt_bind_str(ins, 5, band_label(ranges, json_integer_value(r)));
			ct_stmt_bind_str(ins, 6, source);
			ct_stmt_bind_str(ins, 7, today);
			rc = ct_stmt_step(ins, err);
			if (rc < 0)
				goto out;
			rows++;
		}
		for (size_t i = 0; i < nod; i++) {
			free(ods[i].product);
			free(ods[i].price);
		}
		nod = 0;
	}
	ct_stmt_finalize(q);
	ct_stmt_finalize(ins);
	q = ins = NULL;
	rc = add_update_row(st, "ec2", region, source, today, rows, err);
	if (rc < 0)
		goto out;
	rc = ct_store_commit(st, err);
	if (rc < 0)
		goto out;
	tx = false;
	add_entry(stats, "spot", "ec2", region, source, today, rows);
	rc = CT_OK;
out:
	for (size_t i = 0; i < nod; i++) {
		free(ods[i].product);
		free(ods[i].price);
	}
	free(ods);
	ct_stmt_finalize(q);
	ct_stmt_finalize(ins);
	if (tx)
		ct_store_rollback(st);
	return rc;
}

/* Parse JSON text; say so clearly when it is HTML or not JSON. */
static json_t *parse_json(const char *text, size_t len, const char *source, struct ct_err *err)
{
	json_error_t je;
	json_t *doc;
	const char *p = text;

	while (p < text + len && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		p++;
	if (p < text + len && *p == '<') {
		ct_err_set(err, CT_E_INPUT, source, 0, "got HTML where JSON was expected");
		return NULL;
	}
	doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!doc) {
		ct_err_set(err, CT_E_INPUT, source, je.line > 0 ? je.line : 0, "not valid JSON: %s",
			   je.text);
		return NULL;
	}
	if (!json_is_object(doc)) {
		json_decref(doc);
		ct_err_set(err, CT_E_INPUT, source, 0, "expected a JSON object");
		return NULL;
	}
	return doc;
}

static int check_spot_doc(json_t *doc, const char *source, struct ct_err *err)
{
	if (!json_is_object(json_object_get(doc, "spot_advisor")) ||
	    !json_is_array(json_object_get(doc, "ranges")))
		return ct_err_set(err, CT_E_INPUT, source, 0,
				  "not a Spot Advisor feed (no spot_advisor "
				  "object or ranges list)");
	return CT_OK;
}

int ct_pricelist_load_spot(struct ct_store *st, const char *json, size_t len, const char *region,
			   const char *source, struct ct_pricelist_stats *stats, struct ct_err *err)
{
	json_t *doc = parse_json(json, len, source, err);
	int rc;

	if (!doc)
		return CT_E_INPUT;
	rc = check_spot_doc(doc, source, err);
	if (rc == CT_OK)
		rc = spot_region(st, doc, region, source, stats, err);
	json_decref(doc);
	return rc;
}

/* ---- the walk ---------------------------------------------------------- */

/* A URL from an index: absolute http(s) as is; "/path" under base. */
static char *resolve(const char *base, const char *ref, const char *index, struct ct_err *err)
{
	if (!strncmp(ref, "https://", 8) || !strncmp(ref, "http://", 7))
		return ct_xstrdup(ref);
	if (ref[0] == '/')
		return ct_xasprintf("%s%s", base, ref);
	ct_err_set(err, CT_E_INPUT, index, 0, "unexpected URL \"%.100s\"", ref);
	return NULL;
}

static int fetch_json(const char *url, json_t **out, struct ct_err *err)
{
	char *body = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	rc = ct_http_get(url, NULL, &body, &len, err);
	if (rc < 0)
		return rc;
	*out = parse_json(body, len, url, err);
	free(body);
	return *out ? CT_OK : CT_E_INPUT;
}

static const char *json_str(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The version URL of region in a region index: a map (offers) or a list
 * (Savings Plans); currentVersionUrl or versionUrl. */
static const char *region_url(json_t *idx, const char *region)
{
	json_t *regs = json_object_get(idx, "regions");
	json_t *r = NULL, *v;
	size_t i;
	const char *u;

	if (json_is_object(regs)) {
		r = json_object_get(regs, region);
	} else if (json_is_array(regs)) {
		json_array_foreach(regs, i, v)
		{
			const char *rc = json_str(v, "regionCode");

			if (rc && !strcmp(rc, region)) {
				r = v;
				break;
			}
		}
	}
	if (!json_is_object(r))
		return NULL;
	u = json_str(r, "currentVersionUrl");
	return u ? u : json_str(r, "versionUrl");
}

/* index.json -> index.csv */
static char *csv_url(const char *url, const char *index, struct ct_err *err)
{
	size_t n = strlen(url);

	if (n > 5 && !strcmp(url + n - 5, ".json"))
		return ct_xasprintf("%.*s.csv", (int)(n - 5), url);
	if (n > 4 && !strcmp(url + n - 4, ".csv"))
		return ct_xstrdup(url);
	ct_err_set(err, CT_E_INPUT, index, 0, "version URL \"%.100s\" is not a .json file", url);
	return NULL;
}

static int load_offer(struct ct_store *st, const char *base, json_t *offers_idx,
		      const char *index_url, const struct offer *of, const char *const *regions,
		      size_t nregions, struct ct_pricelist_stats *stats, struct ct_err *err)
{
	json_t *entry, *ridx = NULL;
	const char *rel;
	char *ridx_url = NULL, *url = NULL, *csv = NULL, *tmp = NULL;
	int rc = CT_OK;

	if (of->kind == K_SP) {
		entry = json_object_get(offers_idx, "AmazonEC2");
		rel = json_str(entry, "currentSavingsPlanIndexUrl");
	} else {
		entry = json_object_get(offers_idx, of->code);
		rel = json_str(entry, "currentRegionIndexUrl");
	}
	if (!rel)
		return ct_err_set(err, CT_E_INPUT, index_url, 0, "the offer index has no %s for %s",
				  of->kind == K_SP ? "currentSavingsPlanIndexUrl"
						   : "currentRegionIndexUrl",
				  of->kind == K_SP ? "AmazonEC2" : of->code);
	ridx_url = resolve(base, rel, index_url, err);
	if (!ridx_url)
		return CT_E_INPUT;
	rc = fetch_json(ridx_url, &ridx, err);
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < nregions; i++) {
		const char *v = region_url(ridx, regions[i]);

		if (!v) {
			rc = ct_err_set(err, CT_E_INPUT, ridx_url, 0,
					"region %s is not in the region index", regions[i]);
			goto out;
		}
		url = resolve(base, v, ridx_url, err);
		csv = url ? csv_url(url, ridx_url, err) : NULL;
		if (!csv) {
			rc = CT_E_INPUT;
			goto out;
		}
		rc = ct_http_download(csv, NULL, &tmp, err);
		if (rc < 0)
			goto out;
		rc = ct_pricelist_load_csv(st, tmp, of->code, regions[i], csv, stats, err);
		unlink(tmp);
		free(tmp);
		tmp = NULL;
		if (rc < 0)
			goto out;
		free(url);
		free(csv);
		url = csv = NULL;
	}
out:
	if (tmp)
		unlink(tmp);
	free(tmp);
	free(url);
	free(csv);
	free(ridx_url);
	json_decref(ridx);
	return rc;
}

static bool region_code_ok(const char *r)
{
	size_t n = strlen(r);

	if (n == 0 || n > 64)
		return false;
	for (; *r; r++)
		if (!((*r >= 'a' && *r <= 'z') || (*r >= '0' && *r <= '9') || *r == '-'))
			return false;
	return true;
}

int ct_pricelist_update(struct ct_store *st, const struct ct_pricelist_opts *o,
			struct ct_pricelist_stats *stats, struct ct_err *err)
{
	static const char *const default_regions[] = {"us-east-1"};
	static const struct ct_pricelist_opts none = {0};
	const char *const *regions;
	size_t nregions;
	bool want[CT_NELEM(offers)] = {false}, want_spot = false, any = false;
	char *base = NULL, *index_url = NULL, *spot_url = NULL, *body = NULL;
	json_t *index = NULL, *spot = NULL;
	size_t len;
	int rc = CT_OK;

	if (!o)
		o = &none;
	regions = o->nregions ? o->regions : default_regions;
	nregions = o->nregions ? o->nregions : CT_NELEM(default_regions);
	for (size_t i = 0; i < nregions; i++)
		if (!region_code_ok(regions[i]))
			return ct_err_set(err, CT_E_USAGE, NULL, 0, "bad region code \"%.64s\"",
					  regions[i]);
	if (!o->nservices) {
		want[0] = true; /* AmazonEC2 */
		want_spot = true;
	}
	for (size_t i = 0; i < o->nservices; i++) {
		const struct offer *of = find_offer(o->services[i]);

		if (of)
			want[of - offers] = true;
		else if (!strcasecmp(o->services[i], "spot"))
			want_spot = true;
		else
			return ct_err_set(err, CT_E_USAGE, NULL, 0,
					  "unknown price-list service \"%.64s\" "
					  "(known: %s)",
					  o->services[i], CT_PRICELIST_SERVICES);
	}
	for (size_t i = 0; i < CT_NELEM(offers); i++)
		any = any || want[i];

	base = ct_xstrdup(o->source ? o->source : CT_PRICELIST_DEFAULT_SOURCE);
	for (size_t n = strlen(base); n > 0 && base[n - 1] == '/'; n--)
		base[n - 1] = '\0';
	if (strncmp(base, "https://", 8) && strncmp(base, "http://", 7)) {
		rc = ct_err_set(err, CT_E_USAGE, NULL, 0,
				"--source must be an http:// or https:// URL");
		goto out;
	}
	rc = ct_http_global_init(err);
	if (rc < 0)
		goto out;

	if (any) {
		json_t *offers_idx;

		index_url = ct_xasprintf("%s%s", base, INDEX_PATH);
		rc = fetch_json(index_url, &index, err);
		if (rc < 0)
			goto out;
		offers_idx = json_object_get(index, "offers");
		if (!json_is_object(offers_idx)) {
			rc = ct_err_set(err, CT_E_INPUT, index_url, 0,
					"not an offer index (no \"offers\" "
					"object)");
			goto out;
		}
		for (size_t i = 0; i < CT_NELEM(offers); i++) {
			if (!want[i])
				continue;
			rc = load_offer(st, base, offers_idx, index_url, &offers[i], regions,
					nregions, stats, err);
			if (rc < 0)
				goto out;
		}
	}

	if (want_spot) {
		if (o->spot_source)
			spot_url = ct_xstrdup(o->spot_source);
		else if (o->source)
			spot_url = ct_xasprintf("%s%s", base, SPOT_PATH);
		else
			spot_url = ct_xstrdup(CT_PRICELIST_DEFAULT_SPOT);
		rc = ct_http_get(spot_url, NULL, &body, &len, err);
		if (rc < 0)
			goto out;
		spot = parse_json(body, len, spot_url, err);
		if (!spot) {
			rc = CT_E_INPUT;
			goto out;
		}
		rc = check_spot_doc(spot, spot_url, err);
		for (size_t i = 0; rc == CT_OK && i < nregions; i++)
			rc = spot_region(st, spot, regions[i], spot_url, stats, err);
	}
out:
	json_decref(index);
	json_decref(spot);
	free(body);
	free(spot_url);
	free(index_url);
	free(base);
	return rc;
}
