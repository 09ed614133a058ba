/*
 * cmd_ingest.c - `cloudtally ingest [--format F] SOURCE...`: load billing
 * exports into the store, all sources in one transaction.
 */
#include "ct.h"
#include "cmd.h"
#include "ingest.h"
#include "money.h"
#include "store.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <sys/stat.h>
#include <unistd.h>

const char ct_cmd_ingest_usage[] =
	"usage: cloudtally ingest [--format F] SOURCE...\n"
	"\n"
	"Load billing exports into the store. A SOURCE is a file (plain or\n"
	"gzip-compressed), '-' for standard input, or a folder (its .csv and\n"
	".csv.gz files, in name order, recursively). The format is detected from\n"
	"the header: FOCUS 1.0, 1.1 and 1.2 CSV.\n"
	"\n"
	"All sources load in one transaction: if any is bad, nothing changes.\n"
	"A (provider, billing account, billing period) already in the store from\n"
	"an earlier ingest is replaced, never added to, so re-ingesting a\n"
	"restated month or the same file is safe.\n"
	"\n"
	"  --format F   force the format instead of detecting it (focus)\n";

struct progress {
	bool on;
	struct timespec last;
	bool shown;
};

static void on_progress(void *ctx, const char *source, uint64_t pos,
			uint64_t size, long lines)
{
	struct progress *p = ctx;
	struct timespec now;

	if (!p->on || size < (32u << 20))
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (p->shown && (now.tv_sec - p->last.tv_sec) * 1000 +
				(now.tv_nsec - p->last.tv_nsec) / 1000000 < 500)
		return;
	p->last = now;
	p->shown = true;
	fprintf(stderr, "\rcloudtally: ingest %s: %3d%% (%ld lines)", source,
		(int)(pos * 100 / size), lines);
	fflush(stderr);
}

static bool wanted_file(const char *name)
{
	size_t n = strlen(name);

	if (name[0] == '.')
		return false;
	return (n > 4 && !strcmp(name + n - 4, ".csv")) ||
	       (n > 7 && !strcmp(name + n - 7, ".csv.gz"));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collect the files of a source into *files (new strings). */
static int collect(const char *src, char ***files, size_t *n, size_t *cap,
		   int depth, struct ct_err *err)
{
	struct stat sb;
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t nn = 0, ncap = 0;
	int rc = CT_OK;

	if (!strcmp(src, "-")) {
		CT_GROW(*files, *n + 1, *cap);
		(*files)[(*n)++] = ct_xstrdup(src);
		return CT_OK;
	}
	if (strstr(src, "://"))
		return ct_err_set(err, CT_E_USAGE, src, 0,
				  "URL sources are not supported by this build yet; "
				  "download the file and ingest it");
	if (stat(src, &sb) != 0)
		return ct_err_set(err, CT_E_IO, src, 0, "cannot read: %s", strerror(errno));
	if (!S_ISDIR(sb.st_mode)) {
		CT_GROW(*files, *n + 1, *cap);
		(*files)[(*n)++] = ct_xstrdup(src);
		return CT_OK;
	}
	if (depth > 16)
		return ct_err_set(err, CT_E_IO, src, 0, "folders nested too deep");
	d = opendir(src);
	if (!d)
		return ct_err_set(err, CT_E_IO, src, 0, "cannot open folder: %s",
				  strerror(errno));
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		CT_GROW(names, nn + 1, ncap);
		names[nn++] = ct_xasprintf("%s/%s", src, e->d_name);
	}
	closedir(d);
	qsort(names, nn, sizeof(*names), cmp_str);
	for (size_t i = 0; i < nn && rc == CT_OK; i++) {
		const char *base = strrchr(names[i], '/') + 1;
		if (stat(names[i], &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode))
			rc = collect(names[i], files, n, cap, depth + 1, err);
		else if (wanted_file(base))
			rc = collect(names[i], files, n, cap, depth + 1, err);
	}
	for (size_t i = 0; i < nn; i++)
		free(names[i]);
	free(names);
	return rc;
}

int ct_cmd_ingest(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	const char *format = NULL;
	char *path = NULL;
	char **files = NULL;
	size_t nfiles = 0, capfiles = 0;
	struct ct_store *st = NULL;
	struct ct_ingest *ing = NULL;
	struct ct_ingest_stats before, after;
	struct progress prog = {0};
	char amt[40];
	int c, rc = CT_OK;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'f')
			format = optarg;
		else
			return ct_err_set(err, CT_E_USAGE, NULL, 0, "bad option");
	}
	if (optind >= argc)
		return ct_err_set(err, CT_E_USAGE, NULL, 0, "ingest wants at least one SOURCE");
	for (int i = optind; i < argc && rc == CT_OK; i++)
		rc = collect(argv[i], &files, &nfiles, &capfiles, 0, err);
	if (rc != CT_OK)
		goto out;
	if (!nfiles) {
		rc = ct_err_set(err, CT_E_INPUT, argv[optind], 0, "no .csv or .csv.gz files found");
		goto out;
	}
	path = ct_store_default_path(ctx->db_opt);
	st = ct_store_open(path, CT_STORE_CREATE, err);
	if (!st) {
		rc = err->code;
		goto out;
	}
	ing = ct_ingest_begin(st, err);
	if (!ing) {
		rc = err->code;
		goto out;
	}
	prog.on = ct_verbosity >= 0 && isatty(2);
	ct_ingest_set_progress(ing, on_progress, &prog);
	for (size_t i = 0; i < nfiles; i++) {
		ct_ingest_get_stats(ing, &before);
		rc = ct_ingest_file(ing, files[i], format, err);
		if (prog.shown) {
			fputs("\r\033[K", stderr);
			prog.shown = false;
		}
		if (rc != CT_OK) {
			ct_ingest_abort(ing);
			ing = NULL;
			goto out;
		}
		ct_ingest_get_stats(ing, &after);
		if (ct_verbosity >= 0)
			fprintf(ctx->out, "%s: %s, %ld lines, billed %s\n", files[i],
				ct_ingest_last_format(ing), after.lines - before.lines,
				ct_money_format(after.billed - before.billed, 2, true,
						amt, sizeof(amt)));
	}
	rc = ct_ingest_commit(ing, &after, err);
	ing = NULL;
	if (rc == CT_OK && ct_verbosity >= 0) {
		fprintf(ctx->out, "ingested %ld file%s, %ld lines into %s", after.files,
			after.files == 1 ? "" : "s", after.lines, path);
		if (after.replaced_lines)
			fprintf(ctx->out, " (replaced %ld lines of earlier ingests)",
				after.replaced_lines);
		fputc('\n', ctx->out);
	}
out:
	ct_ingest_abort(ing);
	ct_store_close(st);
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	free(path);
	return rc;
}
