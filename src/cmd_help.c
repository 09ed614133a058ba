/*
 * cmd_help.c - `cloudtally help [COMMAND]` and `cloudtally version`.
 */
#include "ct.h"
#include "cmd.h"

const char ct_cmd_help_usage[] =
	"usage: cloudtally help [COMMAND]\n"
	"\n"
	"Without COMMAND, list the commands; with one, show its usage.\n";

const char ct_cmd_version_usage[] =
	"usage: cloudtally version\n"
	"\n"
	"Print the cloudtally version (also: cloudtally --version).\n";

int ct_cmd_help(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err)
{
	if (argc > 1) {
		const struct ct_cmd *c = ct_cmd_find(argv[1]);
		if (!c)
			return ct_err_set(err, CT_E_USAGE, NULL, 0,
					  "no command '%s'", argv[1]);
		ct_cmd_print_usage(c, ctx->out);
		return CT_OK;
	}
	fputs(ct_cmd_global_usage, ctx->out);
	fputs("\ncloudtally estimates and reports cloud costs, offline.\n\n"
	      "Commands:\n", ctx->out);
	for (size_t i = 0; i < ct_ncmds; i++)
		fprintf(ctx->out, "  %-10s %s\n", ct_cmds[i].name, ct_cmds[i].summary);
	fputs("\nGlobal options:\n"
	      "  --store PATH|URL, --db PATH|URL\n"
	      "                 the store: a SQLite file or\n"
	      "                 clickhouse://[user[:password]@]host[:port][,host...]/db\n"
	      "                 (password also from $CLICKHOUSE_PASSWORD); default\n"
	      "                 $CLOUDTALLY_STORE, else $CLOUDTALLY_DB, else\n"
	      "                 ${XDG_DATA_HOME:-$HOME/.local/share}/cloudtally/cloudtally.db\n"
	      "  -q, --quiet    only errors on stderr (for cron)\n"
	      "  -v, --verbose  more detail on stderr\n"
	      "  --version      print the version\n"
	      "\nExit status: 0 ok, 1 threshold exceeded, 2 usage error, 3 bad input,\n"
	      "4 database error, 5 network error, 6 file error, 70 internal error.\n"
	      "See cloudtally(1) for more.\n", ctx->out);
	return CT_OK;
}

int ct_cmd_version(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err)
{
	(void)argc;
	(void)argv;
	(void)err;
	fprintf(ctx->out, "cloudtally %s\n", PACKAGE_VERSION);
	return CT_OK;
}
