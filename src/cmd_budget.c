/*
 * cmd_budget.c - `cloudtally budget status`: the month's spend against
 * the budgets of the config file, with the forecast while the month is
 * open; exit status 1 with --fail-on-breach when a budget is breached.
 */
#include "ct.h"
#include "cmd.h"
#include "budget.h"
#include "clock.h"
#include "configfile.h"
#include "report.h"
#include "store.h"

#include <getopt.h>

const char ct_cmd_budget_usage[] =
	"usage: cloudtally budget status [--month YYYY-MM] [--config FILE] [--format text|markdown|json|csv] [--fail-on-breach]\n"
	"\n"
	"The month's billed cost against each budget of the config file, the\n"
	"forecast for the month while it is open, the share used, and which\n"
	"budgets are breached (at or over critical), at warning, or forecast to\n"
	"breach.\n"
	"\n"
	"  --month YYYY-MM   the billing period (default: the latest complete one)\n"
	"  --config FILE     the config file (default:\n"
	"                    ${XDG_CONFIG_HOME:-$HOME/.config}/cloudtally/config)\n"
	"  --format F        text (default), markdown, json or csv\n"
	"  --fail-on-breach  exit 1 when a budget is at or over its critical level\n"
	"\n"
	"Config lines: budget SCOPE AMOUNT [warning=PCT] [critical=PCT] [name=TEXT]\n"
	"with SCOPE total, account:ID, service:NAME, region:ID or tag:KEY=VALUE;\n"
	"warning defaults to 80 and critical to 100 (percent of AMOUNT).\n";

int ct_cmd_budget(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err)
{
	static const struct option opts[] = {
		{"month", required_argument, NULL, 'm'},
		{"config", required_argument, NULL, 'c'},
		{"format", required_argument, NULL, 'f'},
		{"fail-on-breach", no_argument, NULL, 'b'},
		{NULL, 0, NULL, 0},
	};
	struct ct_report_opts ro = {0};
	const char *format = "text", *config = NULL;
	enum ct_budget_format fmt;
	bool fail = false;
	char *path = NULL, *cpath = NULL;
	struct ct_store *st = NULL;
	struct ct_config *cfg = NULL;
	struct ct_report *r = NULL;
	struct ct_budget_status *b = NULL;
	int c, rc = CT_OK;

	if (argc < 2 || strcmp(argv[1], "status") != 0)
		return ct_err_set(err, CT_E_USAGE, NULL, 0, "%s",
				  argc < 2 ? "budget wants a subcommand: status"
					   : "unknown budget subcommand (status)");
	argc--;
	argv++;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			ro.month = optarg;
			break;
		case 'c':
			config = optarg;
			break;
		case 'f':
			format = optarg;
			break;
		case 'b':
			fail = true;
			break;
		default:
			return ct_err_set(err, CT_E_USAGE, NULL, 0, "bad option");
		}
	}
	if (optind < argc)
		return ct_err_set(err, CT_E_USAGE, NULL, 0, "unexpected argument '%s'",
				  argv[optind]);
	if (ct_budget_format_parse(format, &fmt) != CT_OK)
		return ct_err_set(err, CT_E_USAGE, NULL, 0,
				  "unknown format '%s' (text, markdown, json, csv)", format);
	{
		int y;
		unsigned m;
		if (ro.month && ct_clock_parse_month(ro.month, &y, &m) != CT_OK)
			return ct_err_set(err, CT_E_USAGE, NULL, 0,
					  "--month wants YYYY-MM, not '%s'", ro.month);
	}
	cpath = ct_configfile_default_path(config);
	cfg = ct_configfile_load(cpath, config != NULL, err);
	if (!cfg) {
		rc = err->code;
		goto out;
	}
	ro.now = ct_clock_now();
	path = ct_store_default_path(ctx->db_opt);
	st = ct_store_open(path, CT_STORE_READ, err);
	if (!st) {
		rc = err->code;
		goto out;
	}
	r = ct_report_build(st, &ro, err);
	if (!r) {
		rc = err->code;
		goto out;
	}
	b = ct_budget_build(st, r, cfg, err);
	if (!b) {
		rc = err->code;
		goto out;
	}
	rc = ct_budget_render(b, fmt, ctx->out, err);
	if (rc == CT_OK && fail && b->critical)
		rc = ct_err_set(err, CT_E_THRESHOLD, NULL, 0, "%zu budget%s breached in %.7s",
				b->critical, b->critical == 1 ? "" : "s", b->month);
out:
	ct_budget_free(b);
	ct_report_free(r);
	ct_store_close(st);
	ct_configfile_free(cfg);
	free(cpath);
	free(path);
	return rc;
}
