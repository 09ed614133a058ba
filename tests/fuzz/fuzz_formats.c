/*
 * fuzz_formats.c - libFuzzer harness for the provider billing readers
 * (src/cur.c, azure.c, gcp.c, oci.c, tags.c) through ct_ingest_file(),
 * detection included. The first byte picks the --format (0 detect, then
 * focus, cur, cur2, azure, gcp, oci) and the file's name (an Azure
 * amortized or actual export, for the pairing); the rest is the file. Any
 * input reads, stores and rolls back, or fails with CT_E_INPUT; never a
 * crash, leak or other status.
 */
#include "ct.h"
#include "ingest.h"
#include "store.h"

#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ct_store *st;
static char dir[] = "/tmp/fuzz_formats.XXXXXX";
static char *dbpath;

static void cleanup(void)
{
	static const char *const names[] = {"billing.csv", "EA_AmortizedCost.csv",
					    "EA_ActualCost.csv"};
	char *p;

	ct_store_close(st);
	for (size_t i = 0; i < CT_NELEM(names); i++) {
		p = ct_xasprintf("%s/%s", dir, names[i]);
		unlink(p);
		free(p);
	}
	for (const char *suffix = ""; suffix; suffix = *suffix ? NULL : "-wal") {
		p = ct_xasprintf("%s%s", dbpath, suffix);
		unlink(p);
		free(p);
	}
	p = ct_xasprintf("%s-shm", dbpath);
	unlink(p);
	free(p);
	free(dbpath);
	rmdir(dir);
}

static struct ct_store *store(void)
{
	struct ct_err err;

	if (st)
		return st;
	if (!mkdtemp(dir))
		abort();
	dbpath = ct_xasprintf("%s/t.db", dir);
	ct_err_init(&err);
	st = ct_store_open(dbpath, CT_STORE_CREATE, &err);
	if (!st || ct_store_exec(st, "PRAGMA synchronous=OFF", &err) != CT_OK)
		abort(); /* every run rolls back: durability buys nothing here */
	atexit(cleanup);
	return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const formats[] = {NULL, "focus", "cur", "cur2",
					      "azure", "gcp", "oci", NULL};
	static const char *const names[] = {"billing.csv", "EA_AmortizedCost.csv",
					    "EA_ActualCost.csv", "billing.csv"};
	struct ct_store *s = store();
	struct ct_ingest *ing;
	struct ct_err err;
	char *path;
	FILE *f;
	int rc;

	if (size < 1)
		return 0;
	path = ct_xasprintf("%s/%s", dir, names[(data[0] >> 3) & 3]);
	f = fopen(path, "wb");
	if (!f)
		abort();
	if (size > 1 && fwrite(data + 1, 1, size - 1, f) != size - 1)
		abort();
	fclose(f);
	ct_err_init(&err);
	ing = ct_ingest_begin(s, &err);
	if (!ing)
		abort();
	rc = ct_ingest_file(ing, path, formats[data[0] & 7], &err);
	if (rc != CT_OK && rc != CT_E_INPUT) {
		fprintf(stderr, "unexpected status %d: %s:%ld: %s\n", rc, err.source,
			err.line, err.msg);
		abort();
	}
	ct_ingest_abort(ing);
	free(path);
	return 0;
}
