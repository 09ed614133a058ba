/*
 * cmd.h - the command table and what every command gets from main().
 *
 * Each command lives in src/cmd_<name>.c with its own option table and
 * usage text; src/cmd.c keeps the sorted table. Commands return a status
 * (enum ct_status) and leave the reporting of errors to main().
 */
#ifndef CT_SRC_CMD_H
#define CT_SRC_CMD_H

#include "ct.h"
#include "report.h"

struct ct_ctx {
	const char *db_opt; /* --store or --db as given, or NULL */
	FILE *out;          /* standard output */
};

struct ct_cmd {
	const char *name;    /* table kept in strcmp() order */
	int (*run)(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err);
	const char *summary; /* one line for `cloudtally help` */
	const char *usage;   /* full usage text for `cloudtally help NAME` */
};

extern const struct ct_cmd ct_cmds[];
extern const size_t ct_ncmds;

/* Find a command by name; NULL when there is none. */
const struct ct_cmd *ct_cmd_find(const char *name);

/* The global usage text (first lines of `cloudtally help`). */
extern const char ct_cmd_global_usage[];

/* Print a command's usage to out. */
void ct_cmd_print_usage(const struct ct_cmd *c, FILE *out);

/* Is argv[i] "--help" or "-h"? Used by every command. */
bool ct_cmd_wants_help(int argc, char **argv);

/* Commands (src/cmd_*.c). */
int ct_cmd_budget(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err);
int ct_cmd_comment(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err);
int ct_cmd_db(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err);
int ct_cmd_demo(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err);
int ct_cmd_estimate(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err);
int ct_cmd_export(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err);
int ct_cmd_help(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err);
int ct_cmd_ingest(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err);
int ct_cmd_k8s(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err);
int ct_cmd_notify(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err);
int ct_cmd_pricing(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err);
int ct_cmd_recommend(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err);
int ct_cmd_report(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err);
int ct_cmd_version(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err);

extern const char ct_cmd_budget_usage[];
extern const char ct_cmd_comment_usage[];
extern const char ct_cmd_db_usage[];
extern const char ct_cmd_demo_usage[];
extern const char ct_cmd_estimate_usage[];
extern const char ct_cmd_export_usage[];
extern const char ct_cmd_help_usage[];
extern const char ct_cmd_ingest_usage[];
extern const char ct_cmd_k8s_usage[];
extern const char ct_cmd_notify_usage[];
extern const char ct_cmd_pricing_usage[];
extern const char ct_cmd_recommend_usage[];
extern const char ct_cmd_report_usage[];
extern const char ct_cmd_version_usage[];

/* Shared by report and demo: write the monthly report for opts to path
 * ("-" or NULL: ctx->out) in fmt; "xlsx" needs a path (a workbook
 * without the line items, see ct_cmd_write_workbook()). */
struct ct_store;
struct ct_report_opts;
int ct_cmd_write_report(struct ct_ctx *ctx, struct ct_store *st,
			const struct ct_report_opts *opts, const char *format,
			const char *path, struct ct_err *err);
/* Render a built report r (borrowed) to path ("-" or NULL: ctx->out),
 * through a temporary file renamed into place. */
int ct_cmd_render_report(struct ct_ctx *ctx, const struct ct_report *r, enum ct_report_format fmt,
			 const char *path, struct ct_err *err);
/* The report model for opts with the findings and commitment projections
 * of `recommend` (default thresholds) attached; NULL with err set. */
struct ct_report *ct_cmd_build_report(struct ct_store *st,
				      const struct ct_report_opts *opts,
				      struct ct_err *err);
/* Build the report for opts (borrowed) from st (borrowed) and write it as
 * an .xlsx workbook to path through a temporary file renamed into place,
 * with the month's billing lines when with_lines (cmd_export.c). path NULL
 * means cloudtally-YYYY-MM.xlsx in the current folder; "" or "-" is a
 * usage error. On success *written (when not NULL) is the path written
 * (new). @return CT_OK, or CT_E_USAGE, CT_E_INPUT, CT_E_DB, CT_E_IO. */
int ct_cmd_write_workbook(struct ct_store *st, const struct ct_report_opts *opts,
			  bool with_lines, const char *path, char **written,
			  struct ct_err *err);

#endif
