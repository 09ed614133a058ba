/*
 * cmd_ingest.c - `cloudtally ingest [--format F] [--account ID] [--region R]
 * SOURCE...`: load billing exports, inventories and metrics into the store,
 * all sources in one transaction.
 */
#include "ct.h"
#include "cmd.h"
#include "azure.h"
#include "http.h"
#include "ingest.h"
#include "manifest.h"
#include "money.h"
#include "s3.h"
#include "store.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <sys/stat.h>
#include <unistd.h>

const char ct_cmd_ingest_usage[] =
	"usage: cloudtally ingest [--format F] [--account ID] [--region R] "
	"[--endpoint-url URL] SOURCE...\n"
	"\n"
	"Load billing exports, resource inventories and metrics into the store.\n"
	"A SOURCE is a file (plain or gzip-compressed), '-' for standard input\n"
	"(CSV only), a folder (its .csv, .csv.gz, .json and .json.gz files, in\n"
	"name order, recursively), an http:// or https:// URL (downloaded, then\n"
	"read like a file), or s3://BUCKET/PREFIX/ (the prefix's objects, read\n"
	"like a folder) or s3://BUCKET/KEY (one object). The format is detected\n"
	"from the content. S3 requests are signed (AWS Signature V4) with\n"
	"AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, else the\n"
	"AWS_PROFILE profile of ~/.aws/credentials; the region comes from\n"
	"AWS_REGION, AWS_DEFAULT_REGION or ~/.aws/config (default us-east-1).\n"
	"Objects are kept in ${XDG_CACHE_HOME:-~/.cache}/cloudtally/s3 and\n"
	"downloaded again only when their ETag changed.\n"
	"Billing exports: FOCUS 1.0, 1.1 and 1.2 CSV; AWS Cost and Usage Reports,\n"
	"legacy (lineItem/UnblendedCost ...), as Athena names them\n"
	"(line_item_unblended_cost ...) and CUR 2.0 from Data Exports; Azure cost\n"
	"details (EA, MCA, pay-as-you-go; actual and amortized); GCP billing\n"
	"exports from BigQuery as CSV or newline-delimited JSON; OCI cost reports.\n"
	"A folder synced from an AWS report's S3 prefix is read as AWS delivers\n"
	"it: in each yyyymmdd-yyyymmdd/ folder the files the report's manifest\n"
	"names (the current assembly, not older ones), and for CUR 2.0 the files\n"
	"metadata/BILLING_PERIOD=YYYY-MM/*-Manifest.json names; a manifest given\n"
	"as a SOURCE stands for its files. An Azure actual-cost file whose path\n"
	"says Actual, read with the amortized file of the same account and month\n"
	"(path says Amortized), adds only its commitment purchases and refunds.\n"
	"Other inputs: the JSON the AWS CLI prints for ec2\n"
	"describe-instances, describe-volumes, describe-addresses and\n"
	"describe-snapshots, rds describe-db-instances, elbv2\n"
	"describe-load-balancers and describe-target-health, and cloudwatch\n"
	"get-metric-data (each result's Label or Id is '<resource-id>' for CPU or\n"
	"'<resource-id> <MetricName>'); and a metrics CSV with the columns\n"
	"resource_id,timestamp,metric,value. Metrics are summed up per UTC day:\n"
	"averages for CPU and connections, sums for network bytes.\n"
	"describe-target-health output does not name its load balancer: wrap it\n"
	"as {\"LoadBalancerArn\": ..., \"TargetHealthDescriptions\": [...]} or\n"
	"name the file target-health.<load-balancer-name>.json.\n"
	"\n"
	"All sources load in one transaction: if any is bad, nothing changes.\n"
	"A (provider, billing account, billing period) already in the store from\n"
	"an earlier ingest is replaced, never added to, so re-ingesting a\n"
	"restated month or the same file is safe; a month that comes in several\n"
	"files (CUR parts, OCI report files) is ingested in one run, together.\n"
	"An inventory replaces the one of the same (kind, account, region) from\n"
	"an earlier ingest; a metric value replaces the earlier one of the same\n"
	"(resource, metric, day).\n"
	"\n"
	"  --format F     force the format instead of detecting it: focus, cur\n"
	"                 (AWS CUR), cur2 (CUR 2.0), azure, gcp or oci\n"
	"  --account ID   account of inventory data that does not say (else a\n"
	"                 12-digit number in the file's path)\n"
	"  --region R     region of inventory data that does not say (else a\n"
	"                 region name such as us-east-1 in the file's path)\n"
	"  --endpoint-url URL  an S3-compatible store instead of AWS, addressed\n"
	"                 path-style (URL/BUCKET/KEY)\n";

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

/* Download progress on a terminal: after the first second, at most twice
 * a second, "\rcloudtally: download URL: 42% (12.3 of 29.1 MB)". */
struct dlprogress {
	bool on;
	const char *what; /* the redacted source */
	struct timespec start, last;
	bool shown;
};

static void on_download(void *ctx, uint64_t got, uint64_t total)
{
	struct dlprogress *p = ctx;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if ((now.tv_sec - p->start.tv_sec) * 1000 + (now.tv_nsec - p->start.tv_nsec) / 1000000 <
		    1000 ||
	    (p->shown && (now.tv_sec - p->last.tv_sec) * 1000 +
				   (now.tv_nsec - p->last.tv_nsec) / 1000000 <
			   500))
		return;
	p->last = now;
	p->shown = true;
	if (total >= got && total > 0)
		fprintf(stderr, "\r\033[Kcloudtally: download %s: %3d%% (%.1f of %.1f MB)", p->what,
			(int)(got * 100 / total), got / 1e6, total / 1e6);
	else
		fprintf(stderr, "\r\033[Kcloudtally: download %s: %.1f MB", p->what, got / 1e6);
	fflush(stderr);
}

/* Start progress for a download of what (or not, off a terminal). */
static void dl_begin(struct dlprogress *p, struct ct_http_opts *o, const char *what)
{
	memset(o, 0, sizeof(*o));
	p->on = ct_verbosity >= 0 && isatty(2);
	p->what = what;
	p->shown = false;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	if (p->on) {
		o->progress = on_download;
		o->progress_ctx = p;
	}
}

static void dl_end(struct dlprogress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = false;
}

struct warnings {
	char **msg;
	size_t n;
};

/* Keep warnings to print after the commit (none when it fails). */
static void on_warn(void *ctx, const char *msg)
{
	struct warnings *w = ctx;

	w->msg = ct_xrealloc(w->msg, (w->n + 1) * sizeof(*w->msg));
	w->msg[w->n++] = ct_xstrdup(msg);
}

static bool wanted_file(const char *name)
{
	size_t n = strlen(name);

	if (name[0] == '.')
		return false;
	return (n > 4 && !strcmp(name + n - 4, ".csv")) ||
	       (n > 7 && !strcmp(name + n - 7, ".csv.gz")) ||
	       (n > 5 && !strcmp(name + n - 5, ".json")) ||
	       (n > 8 && !strcmp(name + n - 8, ".json.gz"));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files of a run, each once: a file reached twice (named and inside
 * a named folder, or through a link) is read once. */
struct fileset {
	char **names;   /* owned */
	dev_t *dev;
	ino_t *ino;
	bool *in_folder; /* found in a folder, not named */
	char **shown;   /* owned; the name to show and store (a URL), or NULL */
	size_t n, cap;
	char **temps;   /* owned: downloads and mirror folders to remove */
	size_t ntemps, captemps;
	const char *endpoint; /* --endpoint-url, borrowed */
	struct ct_s3_stats s3; /* all s3:// sources together */
};

static void add_file(struct fileset *fs, const char *name, const struct stat *sb,
		     bool in_folder)
{
	for (size_t i = 0; sb && i < fs->n; i++)
		if (fs->dev[i] == sb->st_dev && fs->ino[i] == sb->st_ino)
			return;
	if (fs->n + 1 > fs->cap) {
		fs->cap = fs->cap ? fs->cap * 2 : 16;
		fs->names = ct_xrealloc(fs->names, fs->cap * sizeof(*fs->names));
		fs->dev = ct_xrealloc(fs->dev, fs->cap * sizeof(*fs->dev));
		fs->ino = ct_xrealloc(fs->ino, fs->cap * sizeof(*fs->ino));
		fs->in_folder = ct_xrealloc(fs->in_folder,
					    fs->cap * sizeof(*fs->in_folder));
		fs->shown = ct_xrealloc(fs->shown, fs->cap * sizeof(*fs->shown));
	}
	fs->shown[fs->n] = NULL;
	fs->in_folder[fs->n] = in_folder;
	fs->names[fs->n] = ct_xstrdup(name);
	fs->dev[fs->n] = sb ? sb->st_dev : 0;
	fs->ino[fs->n] = sb ? sb->st_ino : 0;
	fs->n++;
}

/* Azure amortized-cost files go first, so that the actual-cost file of
 * the same account and month knows to add only its commitment purchases
 * (azure.h); otherwise the order stays as given. */
static void amortized_first(struct fileset *fs)
{
	size_t k = 0;

	for (size_t i = 0; i < fs->n; i++) {
		if (ct_azure_dataset_of(fs->shown[i] ? fs->shown[i] : fs->names[i]) !=
		    CT_AZURE_AMORTIZED)
			continue;
		for (size_t j = i; j > k; j--) { /* move i to k, keeping order */
			char *name = fs->names[j];
			dev_t dev = fs->dev[j];
			ino_t ino = fs->ino[j];
			bool in_folder = fs->in_folder[j];
			char *shown = fs->shown[j];
			fs->names[j] = fs->names[j - 1];
			fs->dev[j] = fs->dev[j - 1];
			fs->ino[j] = fs->ino[j - 1];
			fs->in_folder[j] = fs->in_folder[j - 1];
			fs->shown[j] = fs->shown[j - 1];
			fs->names[j - 1] = name;
			fs->dev[j - 1] = dev;
			fs->ino[j - 1] = ino;
			fs->in_folder[j - 1] = in_folder;
			fs->shown[j - 1] = shown;
		}
		k++;
	}
}

static int collect(const char *src, struct fileset *fs, int depth, struct ct_err *err);

/* An error that names a file of a download names its URL instead: from
 * (a temporary path) at the start of err's source becomes to. */
static void unmirror(struct ct_err *err, const char *from, const char *to)
{
	size_t n = strlen(from);
	char buf[sizeof(err->source)];

	if (!err || strncmp(err->source, from, n) || (err->source[n] && err->source[n] != '/'))
		return;
	snprintf(buf, sizeof(buf), "%s%s", to, err->source + n);
	memcpy(err->source, buf, sizeof(buf));
}

static void add_temp(struct fileset *fs, char *path)
{
	CT_GROW(fs->temps, fs->ntemps + 1, fs->captemps);
	fs->temps[fs->ntemps++] = path;
}

/* An http(s):// source: download it to a temporary file and read that
 * under the (redacted) URL's name. */
static int collect_url(const char *src, struct fileset *fs, struct ct_err *err)
{
	char shown[512], *tmp = NULL;
	struct dlprogress p;
	struct ct_http_opts o;
	int rc;

	ct_http_redact(src, shown, sizeof(shown));
	dl_begin(&p, &o, shown);
	rc = ct_http_download(src, &o, &tmp, err);
	dl_end(&p);
	if (rc != CT_OK)
		return rc;
	add_temp(fs, tmp);
	add_file(fs, tmp, NULL, false);
	fs->shown[fs->n - 1] = ct_xstrdup(shown);
	return CT_OK;
}

/* An s3:// source: mirror its objects into a temporary folder (s3.h) and
 * collect that like a local folder, each file under its s3:// name. */
static int collect_s3(const char *src, struct fileset *fs, struct ct_err *err)
{
	struct ct_s3_stats st;
	struct dlprogress p;
	struct ct_http_opts o;
	char *dir = NULL, *root = NULL, *bucket = NULL, *prefix = NULL, *to = NULL;
	size_t n0 = fs->n, dl;
	int rc;

	dl_begin(&p, &o, src);
	rc = ct_s3_fetch(src, fs->endpoint, &o, &dir, &root, &st, err);
	dl_end(&p);
	if (rc != CT_OK)
		return rc;
	add_temp(fs, dir);
	fs->s3.listed += st.listed;
	fs->s3.fetched += st.fetched;
	fs->s3.cached += st.cached;
	fs->s3.skipped += st.skipped;
	rc = ct_s3_parse_url(src, &bucket, &prefix, err);
	if (rc != CT_OK)
		goto out;
	to = ct_xasprintf("s3://%s", bucket);
	rc = collect(root, fs, 0, err);
	unmirror(err, dir, to);
	dl = strlen(dir);
	for (size_t i = n0; i < fs->n; i++)
		if (!strncmp(fs->names[i], dir, dl))
			fs->shown[i] = ct_xasprintf("%s%s", to, fs->names[i] + dl);
out:
	free(root);
	free(bucket);
	free(prefix);
	free(to);
	return rc;
}

/* Collect the files of a source into fs. */
static int collect(const char *src, struct fileset *fs, int depth,
		   struct ct_err *err)
{
	struct stat sb;
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t nn = 0, ncap = 0;
	int rc = CT_OK;

	if (!strcmp(src, "-")) {
		add_file(fs, src, NULL, false);
		return CT_OK;
	}
	if (depth == 0 && (!strncmp(src, "http://", 7) || !strncmp(src, "https://", 8)))
		return collect_url(src, fs, err);
	if (depth == 0 && !strncmp(src, "s3://", 5))
		return collect_s3(src, fs, err);
	if (depth == 0 && strstr(src, "://")) {
		char shown[512];

		ct_http_redact(src, shown, sizeof(shown));
		return ct_err_set(err, CT_E_USAGE, shown, 0,
				  "unsupported URL scheme (http://, https:// and s3:// are)");
	}
	if (stat(src, &sb) != 0)
		return ct_err_set(err, CT_E_IO, src, 0, "cannot read: %s", strerror(errno));
	/* AWS delivery layouts: the files a manifest names (manifest.h) */
	if (S_ISDIR(sb.st_mode) && depth <= 16)
		rc = ct_manifest_select(src, &names, &nn, err);
	else if (depth == 0)
		rc = ct_manifest_expand(src, &names, &nn, err);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		rc = CT_OK;
		for (size_t i = 0; i < nn; i++) {
			if (rc == CT_OK)
				rc = collect(names[i], fs, depth + 1, err);
			free(names[i]);
		}
		free(names);
		return rc;
	}
	if (!S_ISDIR(sb.st_mode)) {
		add_file(fs, src, &sb, depth > 0);
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
		size_t sl = strlen(src);
		while (sl > 1 && src[sl - 1] == '/')
			sl--; /* "dir/" + "f.csv" is "dir/f.csv" */
		names[nn++] = ct_xasprintf("%.*s/%s", (int)sl, src, e->d_name);
	}
	closedir(d);
	qsort(names, nn, sizeof(*names), cmp_str);
	for (size_t i = 0; i < nn && rc == CT_OK; i++) {
		const char *base = strrchr(names[i], '/') + 1;
		if (stat(names[i], &sb) != 0)
			rc = ct_err_set(err, CT_E_IO, names[i], 0, "cannot read: %s",
					strerror(errno));
		else if (S_ISDIR(sb.st_mode))
			rc = collect(names[i], fs, depth + 1, err);
		else if (wanted_file(base))
			rc = collect(names[i], fs, depth + 1, err);
	}
	for (size_t i = 0; i < nn; i++)
		free(names[i]);
	free(names);
	return rc;
}

#define NAME(i) (fs.shown[i] ? fs.shown[i] : fs.names[i])

int ct_cmd_ingest(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"account", required_argument, NULL, 'a'},
		{"region", required_argument, NULL, 'r'},
		{"endpoint-url", required_argument, NULL, 'e'},
		{NULL, 0, NULL, 0},
	};
	const char *format = NULL, *account = NULL, *region = NULL;
	char *path = NULL;
	struct fileset fs = {0};
	char **lines = NULL; /* what to say of each file, after the commit */
	struct ct_store *st = NULL;
	struct ct_ingest *ing = NULL;
	struct ct_ingest_stats before, after;
	struct progress prog = {0};
	struct warnings warns = {0};
	char amt[40];
	int c, rc = CT_OK;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'f')
			format = optarg;
		else if (c == 'a')
			account = optarg;
		else if (c == 'r')
			region = optarg;
		else if (c == 'e')
			fs.endpoint = optarg;
		else
			return ct_err_set(err, CT_E_USAGE, NULL, 0, "bad option");
	}
	if (optind >= argc)
		return ct_err_set(err, CT_E_USAGE, NULL, 0, "ingest wants at least one SOURCE");
	for (int i = optind; i < argc && rc == CT_OK; i++)
		rc = collect(argv[i], &fs, 0, err);
	if (rc != CT_OK)
		goto out;
	if (fs.s3.skipped)
		ct_warn("%ld S3 object%s skipped: the key%s cannot be a file name "
			"(empty, '.' or '..' parts)", fs.s3.skipped,
			fs.s3.skipped == 1 ? "" : "s", fs.s3.skipped == 1 ? "" : "s");
	if (ct_verbosity > 0 && fs.s3.listed)
		fprintf(stderr, "cloudtally: s3: %ld objects, %ld downloaded, %ld unchanged "
			"(cache)\n", fs.s3.listed, fs.s3.fetched, fs.s3.cached);
	if (!fs.n) {
		rc = ct_err_set(err, CT_E_INPUT, argv[optind], 0, "no .csv, .csv.gz, .json or .json.gz files found");
		goto out;
	}
	amortized_first(&fs);
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
	ct_ingest_set_warn(ing, on_warn, &warns);
	ct_ingest_set_defaults(ing, account, region);
	lines = ct_xcalloc(fs.n, sizeof(*lines));
	for (size_t i = 0; i < fs.n; i++) {
		ct_ingest_get_stats(ing, &before);
		ct_ingest_set_skip_unknown(ing, fs.in_folder[i]);
		ct_ingest_set_name(ing, fs.shown[i]);
		rc = ct_ingest_file(ing, fs.names[i], format, err);
		if (rc != CT_OK && fs.shown[i])
			unmirror(err, fs.names[i], fs.shown[i]);
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
		if (after.skipped > before.skipped)
			lines[i] = ct_xasprintf("%s: not an inventory or metrics JSON "
						"output, skipped", NAME(i));
		else if (after.duplicates > before.duplicates)
			lines[i] = ct_xasprintf("%s: same content as an earlier file of "
						"this ingest, skipped", NAME(i));
		else if (!ct_ingest_last_was_billing(ing))
			lines[i] = ct_xasprintf("%s: %s, %ld %s", NAME(i),
						ct_ingest_last_format(ing),
						after.resources - before.resources +
						after.metric_days - before.metric_days +
						after.targets - before.targets,
						after.metric_days > before.metric_days ?
						"daily metric values" :
						after.targets > before.targets ?
						"target groups" : "resources");
		else
			lines[i] = ct_xasprintf("%s: %s, %ld lines, billed %s",
						NAME(i), ct_ingest_last_format(ing),
						after.lines - before.lines,
						ct_money_format(after.billed - before.billed,
								2, true, amt, sizeof(amt)));
	}
	rc = ct_ingest_commit(ing, &after, err);
	ing = NULL;
	/* only now is it true that the files are in the store */
	for (size_t i = 0; rc == CT_OK && ct_verbosity >= 0 && i < fs.n; i++)
		fprintf(ctx->out, "%s\n", lines[i]);
	for (size_t i = 0; rc == CT_OK && i < warns.n; i++)
		ct_warn("%s", warns.msg[i]);
	if (rc == CT_OK && ct_verbosity >= 0) {
		fprintf(ctx->out, "ingested %ld file%s, %ld lines into %s",
			after.files - after.duplicates,
			after.files - after.duplicates == 1 ? "" : "s", after.lines, path);
		if (after.resources || after.metric_days || after.targets)
			fprintf(ctx->out, ", %ld resources, %ld daily metric values, "
				"%ld target groups", after.resources,
				after.metric_days, after.targets);
		if (after.replaced_lines)
			fprintf(ctx->out, " (replaced %ld lines of earlier ingests)",
				after.replaced_lines);
		fputc('\n', ctx->out);
	}
out:
	ct_ingest_abort(ing);
	ct_store_close(st);
	for (size_t i = 0; i < fs.ntemps; i++) {
		struct stat sb;

		if (lstat(fs.temps[i], &sb) == 0 && S_ISDIR(sb.st_mode))
			ct_s3_remove_tree(fs.temps[i]);
		else
			unlink(fs.temps[i]);
		free(fs.temps[i]);
	}
	free(fs.temps);
	for (size_t i = 0; i < fs.n; i++) {
		free(fs.shown[i]);
		free(fs.names[i]);
		if (lines)
			free(lines[i]);
	}
	for (size_t i = 0; i < warns.n; i++)
		free(warns.msg[i]);
	free(warns.msg);
	free(fs.names);
	free(fs.dev);
	free(fs.ino);
	free(fs.in_folder);
	free(fs.shown);
	free(lines);
	free(path);
	return rc;
}
