/*
 * cmd_report.c - `cloudtally report`: the monthly cost report.
 */
#include "ct.h"
#include "cmd.h"
#include "clock.h"
#include "report.h"
#include "recommend.h"
#include "catalog.h"
#include "budget.h"
#include "configfile.h"
#include "k8s_cost.h"
#include "kube.h"
#include "store.h"

#include <errno.h>
#include <getopt.h>
#include <unistd.h>

const char ct_cmd_report_usage[] =
	"usage: cloudtally report [--month YYYY-MM] [--format text|markdown|html|json|csv|xlsx] [-o FILE] [--tag KEY]... [--with-lines] [--config FILE]\n"
	"\n"
	"Where the money went in one billing period and what changed against\n"
	"the period before: totals (billed and effective), a run-rate forecast\n"
	"while the month is open, cost by service, service category, account,\n"
	"region and charge category, the top movers, cost allocation by tag with\n"
	"the untagged share, daily cost and anomalous days.\n"
	"\n"
	"  --month YYYY-MM  the billing period (default: the latest complete one)\n"
	"  --format F       text (default), markdown, html, json, csv or xlsx (an\n"
	"                   Excel workbook, as `cloudtally export` writes; needs -o)\n"
	"  -o FILE          write to FILE instead of standard output\n"
	"  --tag KEY        allocation tag key; repeat for several (default:\n"
	"                   CostCenter, Environment, Owner, Application)\n"
	"  --with-lines     xlsx only: add the month's billing lines\n"
	"  --config FILE    the config file whose budgets the report shows (default:\n"
	"                   ${XDG_CONFIG_HOME:-$HOME/.config}/cloudtally/config if\n"
	"                   it exists)\n";

/* The report with the findings and commitment projections of `recommend`
 * (default thresholds) for its savings section, and the budget status of
 * the config file's budgets for its budgets section. */
/* The Kubernetes snapshot ingested (k8s_doc), priced with the defaults of
 * `cloudtally k8s`: *out stays NULL when there is no snapshot with nodes. */
static int attach_k8s(struct ct_store *st, const struct ct_catalog *cat, struct ct_k8s_cost **out,
		      struct ct_err *err)
{
	struct ct_k8s_cost_opts o;
	struct ct_kube k;
	struct ct_stmt *q;
	int rc, step = 0;

	*out = NULL;
	ct_kube_init(&k);
	q = ct_store_prepare(st, "SELECT kind, body, source FROM k8s_doc ORDER BY id", err);
	if (!q)
		return CT_E_DB;
	rc = CT_OK;
	while (rc == CT_OK && (step = ct_stmt_step(q, err)) == 1) {
		static const struct {
			const char *kind;
			enum ct_kube_file what;
		} kinds[] = {{"nodes", CT_KUBE_NODES}, {"pods", CT_KUBE_PODS},
			     {"volumes", CT_KUBE_VOLUMES}, {"services", CT_KUBE_SERVICES}};
		const char *kind = ct_stmt_text(q, 0), *body = ct_stmt_text(q, 1);

		for (size_t i = 0; i < CT_NELEM(kinds); i++)
			if (!strcmp(kind, kinds[i].kind))
				rc = ct_kube_read(&k, kinds[i].what, ct_stmt_text(q, 2), body,
						  strlen(body), err);
	}
	if (rc == CT_OK && step < 0)
		rc = CT_E_DB;
	ct_stmt_finalize(q);
	if (rc == CT_OK && k.nnodes) {
		ct_k8s_cost_opts_init(&o);
		*out = ct_k8s_cost_build(&k, cat, &o, err);
		if (!*out)
			rc = err->code;
	}
	ct_kube_release(&k);
	return rc;
}

struct ct_report *ct_cmd_build_report(struct ct_store *st,
				      const struct ct_report_opts *opts,
				      struct ct_err *err)
{
	struct ct_recommend_opts ro;
	struct ct_catalog *cat;
	struct ct_report *r = ct_report_build(st, opts, err);

	if (!r)
		return NULL;
	cat = ct_catalog_load(st, err);
	if (!cat) {
		ct_report_free(r);
		return NULL;
	}
	ct_recommend_opts_init(&ro);
	ro.now = opts->now;
	r->rec = ct_recommend_build(st, cat, &ro, err);
	if (!r->rec || attach_k8s(st, cat, &r->k8s, err) != CT_OK) {
		ct_catalog_free(cat);
		ct_report_free(r);
		return NULL;
	}
	ct_catalog_free(cat);
	if (!opts->config || *opts->config) {
		char *path = ct_configfile_default_path(opts->config);
		struct ct_config *cfg = ct_configfile_load(path, opts->config != NULL, err);

		free(path);
		if (cfg && cfg->nbudgets)
			r->budgets = ct_budget_build(st, r, cfg, err);
		if (!cfg || (cfg->nbudgets && !r->budgets)) {
			ct_configfile_free(cfg);
			ct_report_free(r);
			return NULL;
		}
		ct_configfile_free(cfg);
	}
	return r;
}

static const char xlsx_needs_file[] =
	"--format xlsx writes a binary workbook, not for standard output: give -o FILE";

/* Write to a temporary file next to path and rename it into place, so a
 * reader never sees half a report. */
int ct_cmd_render_report(struct ct_ctx *ctx, const struct ct_report *r, enum ct_report_format fmt,
			 const char *path, struct ct_err *err)
{
	FILE *f;
	char *tmp;
	int rc;

	if (!path || !strcmp(path, "-"))
		return ct_report_render(r, fmt, ctx->out, err);
	tmp = ct_xasprintf("%s.tmp%ld", path, (long)getpid());
	f = fopen(tmp, "w");
	if (!f) {
		rc = ct_err_set(err, CT_E_IO, path, 0, "cannot write: %s", strerror(errno));
		goto out;
	}
	rc = ct_report_render(r, fmt, f, err);
	if (fclose(f) != 0 && rc == CT_OK)
		rc = ct_err_set(err, CT_E_IO, path, 0, "cannot write: %s", strerror(errno));
	if (rc == CT_OK && rename(tmp, path) != 0)
		rc = ct_err_set(err, CT_E_IO, path, 0, "cannot write: %s", strerror(errno));
	if (rc != CT_OK)
		unlink(tmp);
out:
	free(tmp);
	return rc;
}

int ct_cmd_write_report(struct ct_ctx *ctx, struct ct_store *st,
			const struct ct_report_opts *opts, const char *format,
			const char *path, struct ct_err *err)
{
	enum ct_report_format fmt;
	struct ct_report *r;
	int rc;

	if (format && !strcmp(format, "xlsx")) {
		if (!path || !strcmp(path, "-"))
			return ct_err_set(err, CT_E_USAGE, NULL, 0, "%s", xlsx_needs_file);
		return ct_cmd_write_workbook(st, opts, false, path, NULL, err);
	}
	if (ct_report_format_parse(format ? format : "text", &fmt) != CT_OK)
		return ct_err_set(err, CT_E_USAGE, NULL, 0,
				  "unknown format '%s' (text, markdown, html, json, csv, xlsx)",
				  format);
	r = ct_cmd_build_report(st, opts, err);
	if (!r)
		return err->code;
	rc = ct_cmd_render_report(ctx, r, fmt, path, err);
	ct_report_free(r);
	return rc;
}

int ct_cmd_report(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err)
{
	static const struct option opts[] = {
		{"month", required_argument, NULL, 'm'},
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"tag", required_argument, NULL, 't'},
		{"with-lines", no_argument, NULL, 'L'},
		{"config", required_argument, NULL, 'c'},
		{NULL, 0, NULL, 0},
	};
	struct ct_report_opts ro = {0};
	const char *format = "text", *output = NULL;
	bool xlsx = false, with_lines = false;
	const char **tags = NULL;
	size_t ntags = 0;
	char *path = NULL;
	struct ct_store *st = NULL;
	int c, rc = CT_OK;

	optind = 0;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			ro.month = optarg;
			break;
		case 'f':
			format = optarg;
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
		rc = ct_err_set(err, CT_E_USAGE, NULL, 0, "unexpected argument '%s'",
				argv[optind]);
		goto out;
	}
	{
		enum ct_report_format fmt;
		int y;
		unsigned m;
		if (ro.month && ct_clock_parse_month(ro.month, &y, &m) != CT_OK) {
			rc = ct_err_set(err, CT_E_USAGE, NULL, 0,
					"--month wants YYYY-MM, not '%s'", ro.month);
			goto out;
		}
		xlsx = !strcmp(format, "xlsx");
		if (!xlsx && ct_report_format_parse(format, &fmt) != CT_OK) {
			rc = ct_err_set(err, CT_E_USAGE, NULL, 0,
					"unknown format '%s' (text, markdown, html, json, csv, xlsx)",
					format);
			goto out;
		}
		if (xlsx && (!output || !*output || !strcmp(output, "-"))) {
			rc = ct_err_set(err, CT_E_USAGE, NULL, 0, "%s", xlsx_needs_file);
			goto out;
		}
		if (with_lines && !xlsx) {
			rc = ct_err_set(err, CT_E_USAGE, NULL, 0,
					"--with-lines goes with --format xlsx");
			goto out;
		}
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
	if (xlsx)
		rc = ct_cmd_write_workbook(st, &ro, with_lines, output, NULL, err);
	else
		rc = ct_cmd_write_report(ctx, st, &ro, format, output, err);
out:
	ct_store_close(st);
	free(path);
	free(tags);
	return rc;
}
