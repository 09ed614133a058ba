/*
 * cmd_db.c - `cloudtally db init|migrate|check`: manage the store.
 */
#include "ct.h"
#include "cmd.h"
#include "store.h"

const char ct_cmd_db_usage[] =
	"usage: cloudtally db init|migrate|check\n"
	"\n"
	"  init     create the store (and its folder) with the current schema\n"
	"  migrate  bring an existing store to the current schema version\n"
	"  check    verify the store: SQLite integrity, foreign keys, and that\n"
	"           every ingest's lines, row count and daily sums agree\n";

int ct_cmd_db(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err)
{
	char *path = ct_store_default_path(ctx->db_opt);
	struct ct_store *st = NULL;
	char *report = NULL;
	int rc = CT_OK;

	if (argc != 2) {
		rc = ct_err_set(err, CT_E_USAGE, NULL, 0,
				"db wants one of: init, migrate, check");
		goto out;
	}
	if (!strcmp(argv[1], "init")) {
		st = ct_store_open(path, CT_STORE_CREATE, err);
		if (!st) {
			rc = err->code;
			goto out;
		}
		if (ct_verbosity >= 0)
			fprintf(ctx->out, "store %s ready (schema version %d)\n",
				path, ct_store_version(st));
	} else if (!strcmp(argv[1], "migrate")) {
		st = ct_store_open(path, CT_STORE_READ, err);
		if (!st) {
			rc = err->code;
			goto out;
		}
		if (ct_verbosity >= 0)
			fprintf(ctx->out, "store %s at schema version %d\n", path,
				ct_store_version(st));
	} else if (!strcmp(argv[1], "check")) {
		st = ct_store_open(path, CT_STORE_READ, err);
		if (!st) {
			rc = err->code;
			goto out;
		}
		rc = ct_store_check(st, &report, err);
		if (rc != CT_OK)
			goto out;
		if (report) {
			fputs(report, ctx->out);
			rc = ct_err_set(err, CT_E_DB, path, 0, "the store check found problems");
		} else if (ct_verbosity >= 0) {
			fprintf(ctx->out, "ok\n");
		}
	} else {
		rc = ct_err_set(err, CT_E_USAGE, NULL, 0,
				"unknown db action '%s' (init, migrate, check)", argv[1]);
	}
out:
	free(report);
	ct_store_close(st);
	free(path);
	return rc;
}
