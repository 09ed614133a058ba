/*
 * cmd_db.c - `cloudtally db init|migrate|check`: manage the store.
 */
#include "ct.h"
#include "cmd.h"
#include "store.h"

const char ct_cmd_db_usage[] =
	"usage: cloudtally db init [--cluster NAME] | migrate | check\n"
	"\n"
	"  init     create the store (and its folder) with the current schema;\n"
	"           a ClickHouse store (--store clickhouse://...) gets its\n"
	"           tables, with --cluster NAME local tables on every shard of\n"
	"           that remote_servers cluster (list each shard's HTTP address\n"
	"           in the URL) and a Distributed line table over them\n"
	"  migrate  bring an existing store to the current schema version\n"
	"  check    verify the store: SQLite integrity, foreign keys, and that\n"
	"           every ingest's lines, row count and daily sums agree\n";

int ct_cmd_db(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err)
{
	char *path = ct_store_default_path(ctx->db_opt);
	struct ct_store *st = NULL;
	char *report = NULL;
	const char *cluster = NULL;
	int rc = CT_OK;

	if (argc == 4 && !strcmp(argv[1], "init") && !strcmp(argv[2], "--cluster")) {
		cluster = argv[3];
		argc = 2;
	} else if (argc == 3 && !strcmp(argv[1], "init") &&
		   !strncmp(argv[2], "--cluster=", 10)) {
		cluster = argv[2] + 10;
		argc = 2;
	}
	if (argc != 2) {
		rc = ct_err_set(err, CT_E_USAGE, NULL, 0,
				"db wants one of: init [--cluster NAME], migrate, check");
		goto out;
	}
	if (!strcmp(argv[1], "init")) {
		if (cluster && !*cluster) {
			rc = ct_err_set(err, CT_E_USAGE, NULL, 0, "--cluster wants a name");
			goto out;
		}
		st = ct_store_open_cluster(path, CT_STORE_CREATE, cluster, err);
		if (!st) {
			rc = err->code;
			goto out;
		}
		if (ct_verbosity >= 0)
			fprintf(ctx->out, "store %s ready (schema version %d)\n",
				ct_store_path(st), ct_store_version(st));
	} else if (!strcmp(argv[1], "migrate")) {
		st = ct_store_open(path, CT_STORE_READ, err);
		if (!st) {
			rc = err->code;
			goto out;
		}
		if (ct_verbosity >= 0)
			fprintf(ctx->out, "store %s at schema version %d\n",
				ct_store_path(st), ct_store_version(st));
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
			rc = ct_err_set(err, CT_E_DB, ct_store_path(st), 0,
					"the store check found problems");
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
