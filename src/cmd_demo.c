/*
 * cmd_demo.c - `cloudtally demo`: the monthly report job on the bundled
 * sample (two months of FOCUS data compiled into the binary), with no
 * set-up and no network.
 */
#include "ct.h"
#include "cmd.h"
#include "clock.h"
#include "embed.h"
#include "ingest.h"
#include "report.h"
#include "store.h"

#include <errno.h>
#include <getopt.h>
#include <sys/stat.h>
#include <unistd.h>

const char ct_cmd_demo_usage[] =
	"usage: cloudtally demo [--out DIR]\n"
	"\n"
	"Run the monthly report job on the bundled sample data: write the two\n"
	"sample months, the EC2 inventory and the CloudWatch metrics to\n"
	"DIR/sample, ingest them into DIR/demo.db (or --db), print the text\n"
	"report of the latest month, with its findings and savings, and write\n"
	"its markdown and HTML versions to DIR.\n"
	"\n"
	"  --out DIR    where to put the files (default: ./cloudtally-demo)\n";

/* The sample's budgets (src/configfile.h): the whole bill near its
 * warning level, EC2 over budget, one cost centre well within. */
static const char demo_config[] =
	"# cloudtally config written by `cloudtally demo`: budgets for the sample\n"
	"budget total 10000\n"
	"budget service:\"Amazon Elastic Compute Cloud\" 6500 name=\"EC2\"\n"
	"budget tag:CostCenter=cc-104 1500 warning=75 name=\"Cost centre cc-104\"\n";

static int write_file(const char *path, const unsigned char *data, size_t len,
		      struct ct_err *err)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return ct_err_set(err, CT_E_IO, path, 0, "cannot write: %s", strerror(errno));
	if (fwrite(data, 1, len, f) != len) {
		fclose(f);
		return ct_err_set(err, CT_E_IO, path, 0, "cannot write: %s", strerror(errno));
	}
	if (fclose(f) != 0)
		return ct_err_set(err, CT_E_IO, path, 0, "cannot write: %s", strerror(errno));
	return CT_OK;
}

static int make_dir(const char *dir, struct ct_err *err)
{
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return ct_err_set(err, CT_E_IO, dir, 0, "cannot create folder: %s",
				  strerror(errno));
	return CT_OK;
}

int ct_cmd_demo(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err)
{
	static const struct option opts[] = {
		{"out", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	const char *dir = "cloudtally-demo";
	char *sample = NULL, *db = NULL, *md = NULL, *html = NULL, *conf = NULL;
	struct ct_store *st = NULL;
	struct ct_ingest *ing = NULL;
	struct ct_report_opts ro = {0};
	struct ct_report *r = NULL;
	int c, rc = CT_OK;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'o')
			dir = optarg;
		else
			return ct_err_set(err, CT_E_USAGE, NULL, 0, "bad option");
	}
	if (make_dir(dir, err) != CT_OK)
		return CT_E_IO;
	sample = ct_xasprintf("%s/sample", dir);
	if ((rc = make_dir(sample, err)) != CT_OK)
		goto out;
	db = ctx->db_opt ? ct_xstrdup(ctx->db_opt) : ct_xasprintf("%s/demo.db", dir);
	st = ct_store_open(db, CT_STORE_CREATE, err);
	if (!st) {
		rc = err->code;
		goto out;
	}
	ing = ct_ingest_begin(st, err);
	if (!ing) {
		rc = err->code;
		goto out;
	}
	for (const struct ct_embed *e = ct_embedded; e->name; e++) {
		char *file;
		if (strncmp(e->name, "sample/", 7) != 0)
			continue;
		file = ct_xasprintf("%s/%s", sample, e->name + 7);
		rc = write_file(file, e->data, e->len, err);
		if (rc == CT_OK)
			rc = ct_ingest_file(ing, file, NULL, err);
		free(file);
		if (rc != CT_OK)
			goto out;
	}
	rc = ct_ingest_commit(ing, NULL, err);
	ing = NULL;
	if (rc != CT_OK)
		goto out;

	/* budgets for the sample, so the report shows that section too */
	conf = ct_xasprintf("%s/cloudtally.conf", dir);
	if ((rc = write_file(conf, (const unsigned char *)demo_config, strlen(demo_config),
			     err)) != CT_OK)
		goto out;
	ro.config = conf;
	ro.now = ct_clock_now();
	r = ct_cmd_build_report(st, &ro, err);
	if (!r) {
		rc = err->code;
		goto out;
	}
	ro.month = r->month;
	if ((rc = ct_report_render(r, CT_FMT_TEXT, ctx->out, err)) != CT_OK)
		goto out;
	md = ct_xasprintf("%s/report-%s.md", dir, r->month);
	html = ct_xasprintf("%s/report-%s.html", dir, r->month);
	/* the same model in the other formats: built once */
	if ((rc = ct_cmd_render_report(ctx, r, CT_FMT_MARKDOWN, md, err)) != CT_OK ||
	    (rc = ct_cmd_render_report(ctx, r, CT_FMT_HTML, html, err)) != CT_OK)
		goto out;
	fprintf(ctx->out,
		"\nThe same report as markdown: %s\n"
		"and as a web page:           %s\n"
		"Its budgets are in %s (cloudtally help budget).\n"
		"The sample store is %s; try:\n"
		"  cloudtally --db %s report --month %s --format json\n",
		md, html, conf, db, db, r->month);
out:
	ct_ingest_abort(ing);
	ct_report_free(r);
	ct_store_close(st);
	free(sample);
	free(db);
	free(md);
	free(html);
	free(conf);
	return rc;
}
