/*
 * cmd_export.c - `cloudtally export`: the monthly report as an Excel
 * workbook for finance (reports/render_xlsx.c), and the one function that
 * writes a workbook file for both `export` and `report --format xlsx`.
 */
#include "ct.h"
#include "cmd.h"
#include "clock.h"
#include "report.h"
#include "store.h"
#include "xlsx.h"

#include <errno.h>
#include <getopt.h>
#include <unistd.h>

const char ct_cmd_export_usage[] =
	"usage: cloudtally export [-o FILE] [--month YYYY-MM] [--tag KEY]... [--with-lines] [--config FILE]\n"
	"\n"
	"Write the monthly report as an Excel workbook for finance, the same as\n"
	"`report --format xlsx`: a summary with charts, cost by service, account,\n"
	"region and tag (with formulas for change, percentages and totals), daily\n"
	"cost with the anomalous days highlighted, the findings and the savings.\n"
	"\n"
	"  -o FILE          where to write (default: cloudtally-YYYY-MM.xlsx)\n"
	"  --month YYYY-MM  the billing period (default: the latest complete one)\n"
	"  --tag KEY        allocation tag key; repeat for several (default:\n"
	"                   CostCenter, Environment, Owner, Application)\n"
	"  --with-lines     add the month's billing lines on \"Line items\" sheets\n"
	"  --config FILE    the config file whose budgets go on the Budgets sheet\n"
	"                   (default: the XDG config file if it exists)\n";

int ct_cmd_write_workbook(struct ct_store *st, const struct ct_report_opts *opts, bool with_lines,
			  const char *path, char **written, struct ct_err *err)
{
	struct ct_xlsx_opts xo = {0};
	struct ct_report *r = NULL;
	char *file = NULL, *tmp = NULL;
	FILE *probe;
	int rc;

	if (path && (!*path || !strcmp(path, "-")))
		return ct_err_set(err, CT_E_USAGE, NULL, 0,
				  "a workbook is a binary file, not for standard output: "
				  "give -o FILE");
	r = ct_cmd_build_report(st, opts, err);
	if (!r)
		return err->code;
	file = path ? ct_xstrdup(path) : ct_xasprintf("cloudtally-%.7s.xlsx", r->month);
	tmp = ct_xasprintf("%s.tmp%ld", file, (long)getpid());
	/* fail before the work, not after it, when the folder is not writable */
	probe = fopen(tmp, "wb");
	if (!probe || fclose(probe) != 0) {
		rc = ct_err_set(err, CT_E_IO, file, 0, "cannot write: %s", strerror(errno));
		goto out;
	}
	xo.lines = with_lines ? st : NULL;
	xo.created = opts->now;
	rc = ct_xlsx_write(r, &xo, tmp, err);
	if (rc == CT_OK && rename(tmp, file) != 0)
		rc = ct_err_set(err, CT_E_IO, file, 0, "cannot write: %s", strerror(errno));
	if (rc == CT_E_IO && err)
		snprintf(err->source, sizeof(err->source), "%s", file); /* not the temporary name */
out:
	if (rc != CT_OK)
		unlink(tmp);
	if (rc == CT_OK && written) {
		*written = file;
		file = NULL;
	}
	free(file);
	free(tmp);
	ct_report_free(r);
	return rc;
}

int ct_cmd_export(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err)
{
	static const struct option opts[] = {
		{"month", required_argument, NULL, 'm'},
		{"output", required_argument, NULL, 'o'},
		{"tag", required_argument, NULL, 't'},
		{"with-lines", no_argument, NULL, 'L'},
		{"config", required_argument, NULL, 'c'},
		{NULL, 0, NULL, 0},
	};
	struct ct_report_opts ro = {0};
	const char *output = NULL;
	const char **tags = NULL;
	size_t ntags = 0;
	bool with_lines = false;
	char *path = NULL, *written = NULL;
	struct ct_store *st = NULL;
	int c, y, rc = CT_OK;
	unsigned m;

	optind = 0;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			ro.month = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 't':
			tags = ct_xrealloc(tags, (ntags + 1) * sizeof(*tags));
			tags[ntags++] = optarg;
			break;
		case 'L':
			with_lines = true;
			break;
		case 'c':
			ro.config = optarg;
			break;
		default:
			rc = ct_err_set(err, CT_E_USAGE, NULL, 0, "bad option");
			goto out;
		}
	}
	if (optind < argc) {
		rc = ct_err_set(err, CT_E_USAGE, NULL, 0, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (ro.month && ct_clock_parse_month(ro.month, &y, &m) != CT_OK) {
		rc = ct_err_set(err, CT_E_USAGE, NULL, 0, "--month wants YYYY-MM, not '%s'",
				ro.month);
		goto out;
	}
	if (output && (!*output || !strcmp(output, "-"))) {
		rc = ct_err_set(
			err, CT_E_USAGE, NULL, 0,
			"a workbook is a binary file, not for standard output: give -o FILE");
		goto out;
	}
	ro.tags = tags;
	ro.ntags = ntags;
	ro.now = ct_clock_now();
	path = ct_store_default_path(ctx->db_opt);
	st = ct_store_open(path, CT_STORE_READ, err);
	if (!st) {
		rc = err->code;
		goto out;
	}
	rc = ct_cmd_write_workbook(st, &ro, with_lines, output, &written, err);
	if (rc == CT_OK && ct_verbosity >= 0)
		fprintf(ctx->out, "wrote %s\n", written);
out:
	ct_store_close(st);
	free(written);
	free(path);
	free(tags);
	return rc;
}
