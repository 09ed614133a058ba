/*
 * fuzz_plan.c - libFuzzer harness for the Terraform plan reader and the
 * estimate built on it (src/plan.c, reports/estimate.c) with the embedded
 * catalog: any input either fails cleanly with CT_E_INPUT or gives an
 * estimate whose totals are the sums of its fully priced resources.
 *
 *   make fuzz-smoke   (see Makefile.am; seeds in tests/fuzz/corpus_plan)
 */
#include "ct.h"
#include "catalog.h"
#include "estimate.h"
#include "plan.h"

#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ct_catalog *cat;
static int memfd = -1;
static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_err err;
	struct ct_plan *p;
	struct ct_estimate *e;
	ct_money now = 0, past = 0;

	if (!cat) {
		ct_err_init(&err);
		cat = ct_catalog_load(NULL, &err);
		if (!cat)
			abort();
		memfd = memfd_create("fuzz_plan", MFD_CLOEXEC);
		if (memfd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
	}
	if (ftruncate(memfd, 0) < 0 || pwrite(memfd, data, size, 0) != (ssize_t)size)
		abort();
	ct_err_init(&err);
	p = ct_plan_load(path, &err);
	if (!p) {
		if (err.code != CT_E_INPUT)
			abort();
		return 0;
	}
	e = ct_estimate_build(p, cat, NULL, "fuzz");
	for (size_t i = 0; i < e->nres; i++) {
		const struct ct_est_resource *r = &e->res[i];
		bool unknown = false;
		for (size_t k = 0; k < r->past.n; k++)
			unknown |= !r->past.comp[k].price_found;
		for (size_t k = 0; k < r->now.n; k++)
			unknown |= !r->now.comp[k].price_found;
		if (unknown) /* left out of the totals */
			continue;
		now += r->now.monthly;
		past += r->past.monthly;
	}
	if (now != e->total || past != e->past_total)
		abort();
	ct_estimate_free(e);
	ct_plan_free(p);
	return 0;
}
