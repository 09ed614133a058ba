/*
 * testlib.c - shared helpers for the Check unit tests (see testlib.h).
 */
#include "ct.h"
#include "testlib.h"

#include <unistd.h>

static char **dirs;
static size_t ndirs;
static pid_t owner; /* the process that made the folders */

static void cleanup(void)
{
	/* Check runs each test in a child process that exits too: only the
	 * process that made the folders removes them. */
	if (getpid() != owner)
		return;
	for (size_t i = 0; i < ndirs; i++) {
		char *cmd = ct_xasprintf("rm -rf '%s'", dirs[i]);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", dirs[i]);
		free(cmd);
		free(dirs[i]);
	}
	free(dirs);
	dirs = NULL;
	ndirs = 0;
}

char *ct_test_tmpdir(void)
{
	const char *t = getenv("TMPDIR");
	char *tmpl = ct_xasprintf("%s/ct-test-XXXXXX", t && *t ? t : "/tmp");

	if (!mkdtemp(tmpl))
		ct_die("mkdtemp failed");
	if (owner != getpid()) {
		/* a forked test process starts its own list; the one atexit
		 * handler (inherited across fork) cleans the list of the
		 * process it runs in */
		static bool registered;
		for (size_t i = 0; i < ndirs; i++)
			free(dirs[i]);
		free(dirs);
		dirs = NULL;
		ndirs = 0;
		owner = getpid();
		if (!registered) {
			atexit(cleanup);
			registered = true;
		}
	}
	dirs = ct_xrealloc(dirs, (ndirs + 1) * sizeof(*dirs));
	dirs[ndirs++] = ct_xstrdup(tmpl);
	return tmpl;
}

char *ct_test_shared(const char *rel)
{
	const char *s = getenv("CT_SHARED");

	return ct_xasprintf("%s/%s", s && *s ? s : "../shared", rel);
}

char *ct_test_write(const char *dir, const char *name, const char *text)
{
	char *path = ct_xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(text, 1, strlen(text), f) != strlen(text) || fclose(f) != 0)
		ct_die("cannot write %s", path);
	return path;
}

int ct_test_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
