/*
 * cmd_recommend.c - `cloudtally recommend`: what to switch off or shrink,
 * with the monthly saving of each finding (reports/recommend.c).
 */
#include "ct.h"
#include "cmd.h"
#include "catalog.h"
#include "clock.h"
#include "money.h"
#include "recommend.h"
#include "store.h"

#include <errno.h>
#include <getopt.h>

const char ct_cmd_recommend_usage[] =
	"usage: cloudtally recommend [--format text|markdown|json|csv] [--idle-cpu PCT] [--idle-net-mb MB] [--idle-days N] [--window-days N] [--low-cpu PCT] [--snapshot-days N] [--stopped-days N] [--usage-days N] [--spot-tag KEY=VALUE]\n"
	"\n"
	"What to switch off or shrink, from the ingested inventory, metrics and\n"
	"billing data, with the monthly saving of each finding and its evidence:\n"
	"idle instances, low-CPU instances (the next smaller size of the family),\n"
	"unattached volumes, unassociated Elastic IPs, old snapshots, instances\n"
	"stopped for long with volumes still billed, load balancers without\n"
	"healthy targets and databases without connections for 7 days. The cost\n"
	"of a finding is what billing says it cost in the latest complete month,\n"
	"else the catalog price. The metrics window ends on the latest metric day.\n"
	"\n"
	"  --format F         text (default), markdown, json or csv\n"
	"  --idle-cpu PCT     idle: daily average CPU at most PCT (default 10)\n"
	"  --idle-net-mb MB   idle: network in+out at most MB a day (default 5)\n"
	"  --idle-days N      idle: on at least N days of the window (default 4)\n"
	"  --window-days N    days of metrics looked at (default 14)\n"
	"  --low-cpu PCT      low CPU: window average below PCT (default 20)\n"
	"  --snapshot-days N  snapshots older than N days (default 90)\n"
	"  --stopped-days N   instances stopped for N days or more (default 30)\n"
	"  --usage-days N     reserved/savings-plan projections: days of on-demand\n"
	"                     billing usage for the steady baseline (default 30)\n"
	"  --spot-tag K=V     spot projections for instances with this tag\n"
	"                     (default spot-ok=true), plus EKS node groups and\n"
	"                     auto-scaling groups\n";

static int parse_days(const char *opt, const char *s, int *out, struct ct_err *err)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > 100000)
		return ct_err_set(err, CT_E_USAGE, NULL, 0,
				  "%s wants a whole number of days, not '%s'", opt, s);
	*out = (int)v;
	return CT_OK;
}

static int parse_num(const char *opt, const char *s, double max, double *out, struct ct_err *err)
{
	double v;

	if (ct_num_parse(s, strlen(s), &v) != CT_OK || v < 0 || v > max)
		return ct_err_set(err, CT_E_USAGE, NULL, 0,
				  "%s wants a number from 0 to %g, not '%s'", opt, max, s);
	*out = v;
	return CT_OK;
}

int ct_cmd_recommend(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"idle-cpu", required_argument, NULL, 'c'},
		{"idle-net-mb", required_argument, NULL, 'n'},
		{"idle-days", required_argument, NULL, 'd'},
		{"window-days", required_argument, NULL, 'w'},
		{"low-cpu", required_argument, NULL, 'l'},
		{"snapshot-days", required_argument, NULL, 's'},
		{"stopped-days", required_argument, NULL, 't'},
		{"usage-days", required_argument, NULL, 'u'},
		{"spot-tag", required_argument, NULL, 'g'},
		{NULL, 0, NULL, 0},
	};
	struct ct_recommend_opts ro;
	enum ct_recommend_format fmt;
	const char *format = "text";
	struct ct_store *st = NULL;
	struct ct_catalog *cat = NULL;
	struct ct_recommend *r = NULL;
	char *path = NULL;
	int c, rc = CT_OK;

	ct_recommend_opts_init(&ro);
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			format = optarg;
			break;
		case 'c':
			rc = parse_num("--idle-cpu", optarg, 100, &ro.idle_cpu, err);
			break;
		case 'n':
			rc = parse_num("--idle-net-mb", optarg, 1e9, &ro.idle_net_mb, err);
			break;
		case 'd':
			rc = parse_days("--idle-days", optarg, &ro.idle_days, err);
			break;
		case 'w':
			rc = parse_days("--window-days", optarg, &ro.window_days, err);
			break;
		case 'l':
			rc = parse_num("--low-cpu", optarg, 100, &ro.low_cpu, err);
			break;
		case 's':
			rc = parse_days("--snapshot-days", optarg, &ro.snapshot_days, err);
			break;
		case 't':
			rc = parse_days("--stopped-days", optarg, &ro.stopped_days, err);
			break;
		case 'u':
			rc = parse_days("--usage-days", optarg, &ro.usage_days, err);
			if (rc == CT_OK && ro.usage_days < 1)
				rc = ct_err_set(err, CT_E_USAGE, NULL, 0, "--usage-days wants at least 1");
			break;
		case 'g': {
			char *eq = strchr(optarg, '=');
			if (!eq || eq == optarg || !eq[1]) {
				rc = ct_err_set(err, CT_E_USAGE, NULL, 0,
						"--spot-tag wants KEY=VALUE, not '%s'", optarg);
				break;
			}
			*eq = '\0'; /* argv is ours to split */
			ro.spot_tag_key = optarg;
			ro.spot_tag_value = eq + 1;
			break;
		}
		default:
			rc = ct_err_set(err, CT_E_USAGE, NULL, 0, "bad option");
			break;
		}
		if (rc != CT_OK)
			goto out;
	}
	if (optind < argc) {
		rc = ct_err_set(err, CT_E_USAGE, NULL, 0, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (ct_recommend_format_parse(format, &fmt) != CT_OK) {
		rc = ct_err_set(err, CT_E_USAGE, NULL, 0,
				"unknown format '%s' (text, markdown, json, csv)", format);
		goto out;
	}
	if (ro.idle_days < 1 || ro.idle_days > ro.window_days || ro.window_days > 366) {
		rc = ct_err_set(
			err, CT_E_USAGE, NULL, 0,
			"--idle-days must be 1 to --window-days, and --window-days at most 366");
		goto out;
	}
	if (ro.db_days > ro.window_days)
		ro.db_days = ro.window_days;
	ro.now = ct_clock_now();
	path = ct_store_default_path(ctx->db_opt);
	st = ct_store_open(path, CT_STORE_READ, err);
	if (!st) {
		rc = err->code;
		goto out;
	}
	cat = ct_catalog_load(st, err);
	if (!cat) {
		rc = err->code;
		goto out;
	}
	r = ct_recommend_build(st, cat, &ro, err);
	if (!r) {
		rc = err->code;
		goto out;
	}
	rc = ct_recommend_render(r, fmt, ctx->out, err);
out:
	ct_recommend_free(r);
	ct_catalog_free(cat);
	ct_store_close(st);
	free(path);
	return rc;
}
