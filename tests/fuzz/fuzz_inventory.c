/*
 * fuzz_inventory.c - libFuzzer harness for the inventory and metrics
 * readers (src/inventory.c): the AWS CLI describe-* and CloudWatch
 * get-metric-data JSON shapes, the metrics CSV and the Compute Optimizer
 * CSV exports. The first byte picks the reader (even: JSON, odd: CSV);
 * the rest is the file. Any input reads, stores and rolls back, or fails
 * with CT_E_INPUT; never a crash, leak or other status.
 */
#include "ct.h"
#include "csv.h"
#include "inventory.h"
#include "store.h"
#include "stream.h"

#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ct_store *st;
static char path[] = "/tmp/fuzz_inventory.XXXXXX";

static void close_store(void)
{
	char *wal = ct_xasprintf("%s-wal", path), *shm = ct_xasprintf("%s-shm", path);

	ct_store_close(st);
	unlink(path);
	unlink(wal);
	unlink(shm);
	free(wal);
	free(shm);
}

static struct ct_store *store(void)
{
	struct ct_err err;
	int fd;

	if (st)
		return st;
	fd = mkstemp(path);
	if (fd < 0)
		abort();
	close(fd);
	unlink(path);
	ct_err_init(&err);
	st = ct_store_open(path, CT_STORE_CREATE, &err);
	if (!st)
		abort();
	atexit(close_store);
	return st;
}

/* The CSV reader, when the header is one it reads (*read set then). */
static int read_csv(struct ct_inventory *inv, const uint8_t *data, size_t size,
		    bool *read, struct ct_err *err)
{
	struct ct_stream *in = ct_stream_open_mem("fuzz.csv", data, size, err);
	struct ct_csv *csv = NULL;
	struct ct_csv_rec hdr;
	int rc;

	if (!in)
		return err->code;
	csv = ct_csv_open(in, 1 << 16); /* takes in */
	rc = ct_csv_next(csv, &hdr, err);
	*read = rc == 1 && ct_inventory_is_csv_header(&hdr);
	if (*read)
		rc = ct_inventory_read_csv(inv, "fuzz.csv", csv, &hdr, err);
	else if (rc >= 0)
		rc = CT_OK;
	ct_csv_close(csv);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_store *s = store();
	struct ct_inventory *inv;
	struct ct_err err;
	bool read = true;
	int rc;

	if (size < 1)
		return 0;
	ct_err_init(&err);
	if (ct_store_begin(s, &err) != CT_OK)
		abort();
	inv = ct_inventory_new(s, 1, "2026-12-01T00:00:00Z", &err);
	if (!inv)
		abort();
	ct_inventory_set_defaults(inv, NULL, (data[0] & 2) ? "us-east-1" : NULL);
	if (data[0] & 1)
		rc = read_csv(inv, data + 1, size - 1, &read, &err);
	else
		rc = ct_inventory_read_json(inv, "fuzz.json", (const char *)data + 1, size - 1,
					    &err);
	if (rc == CT_OK) {
		struct ct_inventory_counts n;
		if (read && ct_inventory_store(inv, "0123456789abcdef", &n, &err) != CT_OK)
			abort();
	} else if (rc != CT_E_INPUT) {
		abort();
	}
	ct_inventory_free(inv);
	ct_store_rollback(s);
	return 0;
}
