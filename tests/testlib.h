/*
 * testlib.h - helpers shared by the Check unit tests: temporary folders,
 * paths to the shared sample data, a main() that runs one suite.
 */
#ifndef CT_TESTS_TESTLIB_H
#define CT_TESTS_TESTLIB_H

#include "ct.h"

#include <check.h>

/* A new empty temporary folder (new string; removed at exit). */
char *ct_test_tmpdir(void);
/* $CT_SHARED/rel (new string); CT_SHARED defaults to ../shared. */
char *ct_test_shared(const char *rel);
/* Write text to dir/name; returns the path (new string). */
char *ct_test_write(const char *dir, const char *name, const char *text);

/* Run one suite with CK_ENV verbosity; exit status 0 when all pass. */
int ct_test_run(Suite *s);

#define CT_TEST_MAIN(suite_fn)                                                 \
	int main(void)                                                         \
	{                                                                      \
		return ct_test_run(suite_fn());                                \
	}

#endif
