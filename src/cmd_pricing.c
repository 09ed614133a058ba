/*
 * cmd_pricing.c - `cloudtally pricing show|status|update`: look prices up,
 * see where they come from, refresh them from the public AWS price list.
 */
#include "ct.h"
#include "cmd.h"
#include "catalog.h"
#include "compute.h"
#include "money.h"
#include "pricelist.h"
#include "store.h"

#include <getopt.h>
#include <math.h>

const char ct_cmd_pricing_usage[] =
	"usage: cloudtally pricing show|status|update [ARGS]\n"
	"\n"
	"  pricing show SERVICE PRODUCT [--region R] [--os O] [--tenancy T]\n"
	"               [--spot] [--term 1y|3y [--payment no|partial|all]\n"
	"               [--offering standard|convertible]] [--format text|json]\n"
	"      one price with its source: an EC2 instance type (on-demand, spot\n"
	"      or reserved, amortized: upfront / term hours + hourly) with its\n"
	"      monthly cost, or every rate of another service's product\n"
	"      (e.g. pricing show ebs gp3, pricing show rds db.t3.large)\n"
	"  pricing status\n"
	"      where the prices come from: sources, dates and row counts of\n"
	"      the embedded catalog and of refreshed prices\n"
	"  pricing update [--region R]... [--service S]... [--source URL]\n"
	"                 [--spot-source URL]\n"
	"      refresh prices from the public AWS price list (offer index,\n"
	"      region index, regional CSV offer file); refreshed prices live in\n"
	"      the store and win over embedded ones. Services: AmazonEC2,\n"
	"      AmazonRDS, AWSComputeSavingsPlan, spot (the Spot Instance\n"
	"      Advisor feed); default AmazonEC2 and spot in us-east-1.\n"
	"      --source points the whole walk (and the spot feed) at a mirror.\n";

/* The catalog with the store's refreshed prices when there is a store. */
static struct ct_catalog *open_catalog(struct ct_ctx *ctx, struct ct_store **st,
				       struct ct_err *err)
{
	char *path = ct_store_default_path(ctx->db_opt);
	struct ct_catalog *cat;

	*st = NULL;
	if (ct_store_exists(path)) {
		*st = ct_store_open(path, CT_STORE_READ, err);
		if (!*st) {
			free(path);
			return NULL;
		}
	}
	free(path);
	cat = ct_catalog_load(*st, err);
	return cat;
}

static void print_rate_json(FILE *out, const char *k, ct_rate r)
{
	char b[64];
	fprintf(out, "  \"%s\": %s,\n", k, ct_rate_format(r, b, sizeof(b)));
}

static int show_ec2(struct ct_ctx *ctx, const struct ct_catalog *cat,
		    struct ct_ec2_spec *e, bool json, struct ct_err *err)
{
	struct ct_cost c;
	char rate[64], mon[40], up[40];
	int vcpu = 0;
	double mem = 0;
	bool facts;
	int rc = ct_compute_ec2(cat, e, &c, err);

	if (rc != CT_OK)
		return rc;
	facts = ct_catalog_instance(cat, e->type, &vcpu, &mem);
	ct_rate_format(c.hourly, rate, sizeof(rate));
	ct_money_format(c.monthly, 2, true, mon, sizeof(mon));
	ct_money_format(c.upfront, 2, true, up, sizeof(up));
	if (json) {
		char m9[40];
		fprintf(ctx->out, "{\n  \"service\": \"ec2\",\n  \"product\": \"%s\",\n"
			"  \"region\": \"%s\",\n  \"os\": \"%s\",\n  \"tenancy\": \"%s\",\n",
			e->type, e->region, e->os, e->tenancy);
		fprintf(ctx->out, "  \"purchase\": \"%s\",\n  \"years\": %d,\n  \"payment\": \"%s\",\n",
			e->buy == CT_BUY_SPOT ? "spot" : e->buy == CT_BUY_RESERVED ? "reserved" : "ondemand",
			e->years, e->buy == CT_BUY_RESERVED ? e->payment : "");
		print_rate_json(ctx->out, "effective_hourly", c.hourly);
		fprintf(ctx->out, "  \"monthly\": %s,\n", ct_money_format(c.monthly, 9, false, m9, sizeof(m9)));
		fprintf(ctx->out, "  \"upfront\": %s,\n", ct_money_format(c.upfront, 9, false, m9, sizeof(m9)));
		if (facts)
			fprintf(ctx->out, "  \"vcpu\": %d,\n  \"memory_gib\": %g,\n", vcpu, mem);
		fprintf(ctx->out, "  \"estimated\": %s,\n  \"source\": \"%s\",\n  \"as_of\": \"%s\"\n}\n",
			c.estimated ? "true" : "false", c.source ? c.source : "",
			c.as_of ? c.as_of : "");
		return CT_OK;
	}
	fprintf(ctx->out, "ec2 %s in %s, %s/%s, %s\n", e->type, e->region, e->os,
		e->tenancy,
		e->buy == CT_BUY_SPOT ? "spot" : e->buy == CT_BUY_RESERVED ? "reserved" : "on-demand");
	if (e->buy == CT_BUY_RESERVED)
		fprintf(ctx->out, "  term               %d year%s, %s, %s upfront\n", e->years,
			e->years == 1 ? "" : "s", e->offering ? e->offering : "standard", e->payment);
	fprintf(ctx->out, "  hourly             $%s%s\n", rate,
		e->buy == CT_BUY_RESERVED ? " (effective: upfront / term hours + hourly)" : "");
	fprintf(ctx->out, "  monthly (730 h)    $%s\n", mon);
	if (e->buy == CT_BUY_RESERVED)
		fprintf(ctx->out, "  upfront            $%s\n", up);
	if (facts)
		fprintf(ctx->out, "  size               %d vCPU, %g GiB\n", vcpu, mem);
	fprintf(ctx->out, "  source             %s (%s)\n", c.source ? c.source : "",
		c.as_of ? c.as_of : "");
	if (c.note[0])
		fprintf(ctx->out, "  note               %s\n", c.note);
	return CT_OK;
}

/* Every rate of one product of a service in a region. */
static int show_rows(struct ct_ctx *ctx, const struct ct_catalog *cat,
		     const char *service, const char *product, const char *region,
		     bool json, struct ct_err *err)
{
	size_t shown = 0;

	if (json)
		fputs("[\n", ctx->out);
	for (size_t i = 0; ct_catalog_row(cat, i); i++) {
		const struct ct_price *p = ct_catalog_row(cat, i);
		char rate[64], up[40] = "";
		if (strcmp(p->service, service) || strcmp(p->product, product) ||
		    strcmp(p->region, region))
			continue;
		ct_rate_format(p->price, rate, sizeof(rate));
		if (p->has_upfront)
			ct_money_format(p->upfront, 2, false, up, sizeof(up));
		if (json) {
			fprintf(ctx->out, "%s  {\"variant\": \"%s\", \"term\": \"%s\", \"offering\": \"%s\", "
				"\"years\": %d, \"payment\": \"%s\", \"unit\": \"%s\", \"tier_start\": %g, "
				"\"tier_end\": ", shown ? ",\n" : "", p->variant, p->term, p->offering,
				p->years, p->payment, p->unit, p->tier_start);
			if (isinf(p->tier_end))
				fputs("null", ctx->out);
			else
				fprintf(ctx->out, "%g", p->tier_end);
			fprintf(ctx->out, ", \"price\": %s, \"upfront\": %s, \"source\": \"%s\", \"as_of\": \"%s\"}",
				rate, up[0] ? up : "null", p->source, p->as_of);
		} else {
			char tier[64] = "";
			if (p->tier_start > 0 || !isinf(p->tier_end)) {
				if (isinf(p->tier_end))
					snprintf(tier, sizeof(tier), "over %g", p->tier_start);
				else
					snprintf(tier, sizeof(tier), "%g-%g", p->tier_start, p->tier_end);
			}
			fprintf(ctx->out, "  %-22s %-11s %-16s $%-14s per %-12s %s%s%s  [%s, %s]\n",
				p->variant, p->term, tier, rate, p->unit,
				up[0] ? "upfront $" : "", up, p->years ? (p->years == 1 ? " 1y" : " 3y") : "",
				p->source, p->as_of);
		}
		shown++;
	}
	if (json)
		fputs("\n]\n", ctx->out);
	if (!shown) {
		/* let the catalog say what it knows */
		struct ct_price_query q = {service, region, product, "", "ondemand", NULL, 0, NULL};
		const struct ct_price *rows;
		size_t n;
		return ct_catalog_find(cat, &q, &rows, &n, err) == CT_OK ? CT_OK : CT_E_NOPRICE;
	}
	return CT_OK;
}

static int cmd_show(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err)
{
	static const struct option opts[] = {
		{"region", required_argument, NULL, 'r'},
		{"os", required_argument, NULL, 'o'},
		{"tenancy", required_argument, NULL, 't'},
		{"spot", no_argument, NULL, 's'},
		{"term", required_argument, NULL, 'T'},
		{"payment", required_argument, NULL, 'p'},
		{"offering", required_argument, NULL, 'O'},
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	struct ct_ec2_spec e = {0};
	struct ct_store *st = NULL;
	struct ct_catalog *cat = NULL;
	bool json = false;
	int c, rc;

	e.region = "us-east-1";
	e.os = "linux";
	e.tenancy = "shared";
	e.payment = "no";
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r': e.region = optarg; break;
		case 'o': e.os = optarg; break;
		case 't': e.tenancy = optarg; break;
		case 's': e.buy = CT_BUY_SPOT; break;
		case 'T':
			if (strcmp(optarg, "1y") && strcmp(optarg, "3y"))
				return ct_err_set(err, CT_E_USAGE, NULL, 0, "--term wants 1y or 3y");
			e.years = optarg[0] - '0';
			e.buy = CT_BUY_RESERVED;
			break;
		case 'p':
			if (strcmp(optarg, "no") && strcmp(optarg, "partial") && strcmp(optarg, "all"))
				return ct_err_set(err, CT_E_USAGE, NULL, 0, "--payment wants no, partial or all");
			e.payment = optarg;
			break;
		case 'O': e.offering = optarg; break;
		case 'f':
			if (strcmp(optarg, "text") && strcmp(optarg, "json"))
				return ct_err_set(err, CT_E_USAGE, NULL, 0, "--format wants text or json");
			json = !strcmp(optarg, "json");
			break;
		default:
			return ct_err_set(err, CT_E_USAGE, NULL, 0, "bad option");
		}
	}
	if (argc - optind != 2)
		return ct_err_set(err, CT_E_USAGE, NULL, 0, "pricing show wants SERVICE PRODUCT");
	cat = open_catalog(ctx, &st, err);
	if (!cat) {
		ct_store_close(st);
		return err->code;
	}
	e.type = argv[optind + 1];
	if (!strcmp(argv[optind], "ec2"))
		rc = show_ec2(ctx, cat, &e, json, err);
	else
		rc = show_rows(ctx, cat, argv[optind], argv[optind + 1], e.region, json, err);
	ct_catalog_free(cat);
	ct_store_close(st);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmd_status(struct ct_ctx *ctx, struct ct_err *err)
{
	struct ct_store *st = NULL;
	struct ct_catalog *cat = open_catalog(ctx, &st, err);
	char **keys = NULL;
	size_t nkeys = 0, cap = 0, total = 0, refreshed = 0;

	if (!cat) {
		ct_store_close(st);
		return err->code;
	}
	/* one line per (layer, service, source, date) with its row count */
	for (size_t i = 0; ct_catalog_row(cat, i); i++) {
		const struct ct_price *p = ct_catalog_row(cat, i);
		CT_GROW(keys, nkeys + 1, cap);
		keys[nkeys++] = ct_xasprintf("%s\t%s\t%s\t%s", p->refreshed ? "refreshed" : "embedded",
					     p->service, p->as_of, p->source);
		total++;
		refreshed += p->refreshed;
	}
	qsort(keys, nkeys, sizeof(*keys), cmp_str);
	fprintf(ctx->out, "%zu prices: %zu embedded, %zu refreshed\n\n", total,
		total - refreshed, refreshed);
	fprintf(ctx->out, "  %-10s %-12s %-10s %7s  %s\n", "layer", "service", "as of", "prices", "source");
	for (size_t i = 0; i < nkeys;) {
		size_t j = i;
		char *f[4], *save = ct_xstrdup(keys[i]), *p = save;
		while (j < nkeys && !strcmp(keys[j], keys[i]))
			j++;
		for (int k = 0; k < 4; k++) {
			f[k] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = '\0';
			else
				p = f[k] + strlen(f[k]);
		}
		fprintf(ctx->out, "  %-10s %-12s %-10s %7zu  %s\n", f[0], f[1], f[2], j - i, f[3]);
		free(save);
		i = j;
	}
	for (size_t i = 0; i < nkeys; i++)
		free(keys[i]);
	free(keys);
	ct_catalog_free(cat);
	ct_store_close(st);
	return CT_OK;
}

static int cmd_update(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err)
{
	static const struct option opts[] = {
		{"region", required_argument, NULL, 'r'},
		{"service", required_argument, NULL, 's'},
		{"source", required_argument, NULL, 'u'},
		{"spot-source", required_argument, NULL, 'S'},
		{NULL, 0, NULL, 0},
	};
	struct ct_pricelist_opts o = {0};
	struct ct_pricelist_stats stats = {0};
	const char **regions = NULL, **services = NULL;
	size_t nr = 0, ns = 0;
	struct ct_store *st = NULL;
	char *path = NULL;
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			regions = ct_xrealloc(regions, (nr + 1) * sizeof(*regions));
			regions[nr++] = optarg;
			break;
		case 's':
			services = ct_xrealloc(services, (ns + 1) * sizeof(*services));
			services[ns++] = optarg;
			break;
		case 'u': o.source = optarg; break;
		case 'S': o.spot_source = optarg; break;
		default:
			rc = ct_err_set(err, CT_E_USAGE, NULL, 0, "bad option");
			goto out;
		}
	}
	if (optind < argc) {
		rc = ct_err_set(err, CT_E_USAGE, NULL, 0, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	o.regions = regions;
	o.nregions = nr;
	o.services = services;
	o.nservices = ns;
	path = ct_store_default_path(ctx->db_opt);
	st = ct_store_open(path, CT_STORE_CREATE, err);
	if (!st) {
		rc = err->code;
		goto out;
	}
	rc = ct_pricelist_update(st, &o, &stats, err);
	if (rc == CT_OK && ct_verbosity >= 0)
		ct_pricelist_print_stats(&stats, ctx->out);
out:
	ct_pricelist_stats_release(&stats);
	ct_store_close(st);
	free(path);
	free(regions);
	free(services);
	return rc;
}

int ct_cmd_pricing(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err)
{
	if (argc < 2)
		return ct_err_set(err, CT_E_USAGE, NULL, 0, "pricing wants show, status or update");
	if (!strcmp(argv[1], "show"))
		return cmd_show(ctx, argc - 1, argv + 1, err);
	if (!strcmp(argv[1], "status")) {
		if (argc != 2)
			return ct_err_set(err, CT_E_USAGE, NULL, 0, "pricing status takes no arguments");
		return cmd_status(ctx, err);
	}
	if (!strcmp(argv[1], "update"))
		return cmd_update(ctx, argc - 1, argv + 1, err);
	return ct_err_set(err, CT_E_USAGE, NULL, 0, "unknown pricing action '%s' (show, status, update)", argv[1]);
}
