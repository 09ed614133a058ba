/*
 * fuzz_usage.c - libFuzzer harness for the usage-file reader (src/usage.c,
 * YAML subset and JSON): any input loads or fails with CT_E_INPUT, never
 * crashes, and lookups on what loaded are safe.
 */
#include "ct.h"
#include "usage.h"

#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int memfd = -1;
static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_err err;
	struct ct_usage *u;
	double v;

	if (memfd < 0) {
		memfd = memfd_create("fuzz_usage", MFD_CLOEXEC);
		if (memfd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
	}
	if (ftruncate(memfd, 0) < 0 || pwrite(memfd, data, size, 0) != (ssize_t)size)
		abort();
	ct_err_init(&err);
	u = ct_usage_load(path, &err);
	if (!u) {
		if (err.code != CT_E_INPUT)
			abort();
		return 0;
	}
	(void)ct_usage_get(u, "aws_lambda_function.api", "monthly_requests", &v);
	(void)ct_usage_get(u, "module.a[\"x\"].aws_s3_bucket.b", "standard.storage_gb", &v);
	ct_usage_free(u);
	return 0;
}
