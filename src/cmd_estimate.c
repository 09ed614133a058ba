/*
 * cmd_estimate.c - `cloudtally estimate PLAN`: the monthly cost of a
 * Terraform plan, before and after, per resource; offline.
 */
#include "ct.h"
#include "cmd.h"
#include "catalog.h"
#include "estimate.h"
#include "money.h"
#include "plan.h"
#include "store.h"
#include "usage.h"

#include <getopt.h>

const char ct_cmd_estimate_usage[] =
	"usage: cloudtally estimate PLAN [--usage-file F] [--format table|json|markdown] [--fail-above USD] [--fail-increase-percent P]\n"
	"\n"
	"Price a Terraform plan (terraform show -json plan.out > plan.json):\n"
	"every resource change before and after, with its components, the\n"
	"change in monthly cost and the totals. No network and no API key; a\n"
	"price that is not known is listed as unknown and left out of the\n"
	"totals, never shown as $0.\n"
	"\n"
	"  --usage-file F             expected usage (YAML or JSON) for\n"
	"                             usage-priced components\n"
	"  --format F                 table (default), json, or markdown (the PR\n"
	"                             comment)\n"
	"  --fail-above USD           exit 1 when the monthly increase is above USD\n"
	"  --fail-increase-percent P  exit 1 when the monthly cost grows by more\n"
	"                             than P percent\n";

int ct_cmd_estimate(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err)
{
	static const struct option opts[] = {
		{"usage-file", required_argument, NULL, 'u'},
		{"format", required_argument, NULL, 'f'},
		{"fail-above", required_argument, NULL, 'a'},
		{"fail-increase-percent", required_argument, NULL, 'p'},
		{NULL, 0, NULL, 0},
	};
	const char *usage_path = NULL, *format = "table";
	enum ct_estimate_format fmt;
	ct_money fail_above = 0;
	double fail_pct = 0;
	bool have_above = false, have_pct = false;
	struct ct_plan *plan = NULL;
	struct ct_usage *u = NULL;
	struct ct_catalog *cat = NULL;
	struct ct_estimate *e = NULL;
	struct ct_store *st = NULL;
	char *path = NULL;
	int c, rc = CT_OK;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'u': usage_path = optarg; break;
		case 'f': format = optarg; break;
		case 'a':
			if (ct_money_parse(optarg, strlen(optarg), &fail_above) != CT_OK || fail_above < 0)
				return ct_err_set(err, CT_E_USAGE, NULL, 0,
						  "--fail-above wants an amount in dollars, not '%s'", optarg);
			have_above = true;
			break;
		case 'p':
			if (ct_num_parse(optarg, strlen(optarg), &fail_pct) != CT_OK || fail_pct < 0)
				return ct_err_set(err, CT_E_USAGE, NULL, 0,
						  "--fail-increase-percent wants a number, not '%s'", optarg);
			have_pct = true;
			break;
		default:
			return ct_err_set(err, CT_E_USAGE, NULL, 0, "bad option");
		}
	}
	if (argc - optind != 1)
		return ct_err_set(err, CT_E_USAGE, NULL, 0, "estimate wants one PLAN file");
	if (ct_estimate_format_parse(format, &fmt) != CT_OK)
		return ct_err_set(err, CT_E_USAGE, NULL, 0,
				  "unknown format '%s' (table, json, markdown)", format);
	plan = ct_plan_load(argv[optind], err);
	if (!plan)
		return err->code;
	if (usage_path && !(u = ct_usage_load(usage_path, err))) {
		rc = err->code;
		goto out;
	}
	/* refreshed prices, when there is a store: never created by estimate */
	path = ct_store_default_path(ctx->db_opt);
	if (ct_store_exists(path) && !(st = ct_store_open(path, CT_STORE_READ, err))) {
		rc = err->code;
		goto out;
	}
	cat = ct_catalog_load(st, err);
	if (!cat) {
		rc = err->code;
		goto out;
	}
	e = ct_estimate_build(plan, cat, u, argv[optind]);
	rc = ct_estimate_render(e, fmt, ctx->out, err);
	if (rc != CT_OK)
		goto out;
	{
		ct_money diff = e->total - e->past_total;
		if (have_above && diff > fail_above) {
			char d[40], a[40];
			rc = ct_err_set(err, CT_E_THRESHOLD, NULL, 0,
					"the monthly cost grows by $%s, above --fail-above $%s",
					ct_money_format(diff, 2, true, d, sizeof(d)),
					ct_money_format(fail_above, 2, true, a, sizeof(a)));
		} else if (have_pct && diff > 0 &&
			   (e->past_total <= 0 ||
			    (double)diff * 100.0 / (double)e->past_total > fail_pct)) {
			rc = ct_err_set(err, CT_E_THRESHOLD, NULL, 0,
					"the monthly cost grows by %s, above --fail-increase-percent %g",
					e->past_total > 0 ? "more than allowed" : "from nothing", fail_pct);
		}
	}
out:
	ct_estimate_free(e);
	ct_catalog_free(cat);
	ct_store_close(st);
	ct_usage_free(u);
	ct_plan_free(plan);
	free(path);
	return rc;
}
