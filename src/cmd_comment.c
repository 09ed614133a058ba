/*
 * cmd_comment.c - `cloudtally comment github|gitlab`: price a Terraform
 * plan and post the estimate on the pull or merge request, or edit the
 * comment an earlier run posted.
 *
 * Depends on comment.h (the API client) and estimate_body.h (the markdown
 * body). The token comes from the environment only, never from the
 * command line (where ps and CI logs would show it).
 */
#include "ct.h"
#include "cmd.h"
#include "comment.h"
#include "estimate_body.h"
#include "store.h"

#include <errno.h>
#include <getopt.h>

const char ct_cmd_comment_usage[] =
	"usage: cloudtally comment github --repo OWNER/REPO --pr N [OPTIONS] PLAN\n"
	"       cloudtally comment gitlab --project ID --mr N [OPTIONS] PLAN\n"
	"\n"
	"Price a Terraform plan (terraform show -json) and post the estimate as a\n"
	"comment on a GitHub pull request or a GitLab merge request, or edit the\n"
	"comment an earlier run posted (found by its hidden marker), so the\n"
	"request keeps one up-to-date estimate. Prints what it did and the\n"
	"comment's address. The token comes from GITHUB_TOKEN or GITLAB_TOKEN.\n"
	"\n"
	"  --repo OWNER/REPO   github: the repository\n"
	"  --pr N              github: the pull request number\n"
	"  --project ID        gitlab: the project, a numeric ID or a path like\n"
	"                      group/project\n"
	"  --mr N              gitlab: the merge request IID\n"
	"  --api-url URL       the API (default https://api.github.com or\n"
	"                      https://gitlab.com/api/v4); plain http only to\n"
	"                      this machine\n"
	"  --behavior B        update (default): edit the newest earlier comment,\n"
	"                      or post one if there is none; new: always post\n"
	"  --usage-file F      expected usage for usage-priced resources\n";

/* A request number: 1 to 2^31-1. */
static int parse_number(const char *opt, const char *s, long *out, struct ct_err *err)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (!*s || *s == '-' || *s == '+' || errno || *end || v < 1 || v > 2147483647L)
		return ct_err_set(err, CT_E_USAGE, NULL, 0,
				  "%s wants a positive whole number, not '%s'", opt, s);
	*out = v;
	return CT_OK;
}

/* The store for refreshed prices when there is one; a missing store is
 * fine (the embedded catalog prices the plan). */
static int open_store(struct ct_ctx *ctx, struct ct_store **st, struct ct_err *err)
{
	char *path = ct_store_default_path(ctx->db_opt);
	int rc = CT_OK;

	*st = NULL;
	if (ct_store_exists(path)) {
		*st = ct_store_open(path, CT_STORE_READ, err);
		if (!*st)
			rc = err->code;
	}
	free(path);
	return rc;
}

int ct_cmd_comment(struct ct_ctx *ctx, int argc, char **argv, struct ct_err *err)
{
	static const struct option opts[] = {
		{"repo", required_argument, NULL, 'r'},
		{"pr", required_argument, NULL, 'p'},
		{"project", required_argument, NULL, 'P'},
		{"mr", required_argument, NULL, 'm'},
		{"api-url", required_argument, NULL, 'a'},
		{"behavior", required_argument, NULL, 'b'},
		{"usage-file", required_argument, NULL, 'u'},
		{NULL, 0, NULL, 0},
	};
	struct ct_comment_target t;
	struct ct_comment_result res = {0};
	enum ct_comment_behavior behavior = CT_COMMENT_UPDATE;
	const char *forge, *plan = NULL, *usage = NULL, *env, *number_opt = NULL;
	const char *gh_only = NULL, *gl_only = NULL;
	struct ct_store *st = NULL;
	char *body = NULL;
	int c, rc = CT_OK;

	memset(&t, 0, sizeof(t));
	if (argc < 2 || argv[1][0] == '-') {
		return ct_err_set(err, CT_E_USAGE, NULL, 0, "comment wants github or gitlab first");
	}
	forge = argv[1];
	if (!strcmp(forge, "github")) {
		t.forge = CT_COMMENT_GITHUB;
		env = "GITHUB_TOKEN";
	} else if (!strcmp(forge, "gitlab")) {
		t.forge = CT_COMMENT_GITLAB;
		env = "GITLAB_TOKEN";
	} else {
		return ct_err_set(err, CT_E_USAGE, NULL, 0, "unknown forge '%s' (github, gitlab)",
				  forge);
	}
	/* getopt_long from argv[1]: the forge plays the program name */
	argc--;
	argv++;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			t.repo = optarg;
			gh_only = "--repo";
			break;
		case 'p':
			rc = parse_number("--pr", optarg, &t.number, err);
			number_opt = "--pr";
			gh_only = "--pr";
			break;
		case 'P':
			t.project = optarg;
			gl_only = "--project";
			break;
		case 'm':
			rc = parse_number("--mr", optarg, &t.number, err);
			number_opt = "--mr";
			gl_only = "--mr";
			break;
		case 'a':
			t.api_url = optarg;
			break;
		case 'b':
			if (!strcmp(optarg, "update")) {
				behavior = CT_COMMENT_UPDATE;
			} else if (!strcmp(optarg, "new")) {
				behavior = CT_COMMENT_NEW;
			} else {
				rc = ct_err_set(err, CT_E_USAGE, NULL, 0,
						"--behavior wants update or new, not '%s'", optarg);
			}
			break;
		case 'u':
			usage = optarg;
			break;
		default:
			rc = ct_err_set(err, CT_E_USAGE, NULL, 0, "bad option");
			break;
		}
		if (rc != CT_OK)
			goto out;
	}
	if (optind < argc)
		plan = argv[optind++];
	if (optind < argc) {
		rc = ct_err_set(err, CT_E_USAGE, NULL, 0, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (t.forge == CT_COMMENT_GITHUB && gl_only) {
		rc = ct_err_set(err, CT_E_USAGE, NULL, 0,
				"%s is for gitlab; github wants --repo and --pr", gl_only);
		goto out;
	}
	if (t.forge == CT_COMMENT_GITLAB && gh_only) {
		rc = ct_err_set(err, CT_E_USAGE, NULL, 0,
				"%s is for github; gitlab wants --project and --mr", gh_only);
		goto out;
	}
	if (t.forge == CT_COMMENT_GITHUB && (!t.repo || !number_opt)) {
		rc = ct_err_set(err, CT_E_USAGE, NULL, 0, "comment github wants --repo and --pr");
		goto out;
	}
	if (t.forge == CT_COMMENT_GITLAB && (!t.project || !number_opt)) {
		rc = ct_err_set(err, CT_E_USAGE, NULL, 0,
				"comment gitlab wants --project and --mr");
		goto out;
	}
	if (!plan) {
		rc = ct_err_set(err, CT_E_USAGE, NULL, 0,
				"no plan given (the JSON of terraform show -json)");
		goto out;
	}
	t.token = getenv(env);
	if (!t.token || !*t.token) {
		rc = ct_err_set(err, CT_E_USAGE, NULL, 0,
				"%s is not set: the token to comment with", env);
		goto out;
	}
	rc = ct_comment_check(&t, err);
	if (rc != CT_OK)
		goto out;

	rc = open_store(ctx, &st, err);
	if (rc != CT_OK)
		goto out;
	rc = ct_estimate_markdown_for_plan(plan, usage, st, &body, err);
	if (rc != CT_OK)
		goto out;
	rc = ct_comment_post(&t, behavior, body, &res, err);
	if (rc != CT_OK)
		goto out;
	if (ct_verbosity >= 0) {
		const char *what = t.forge == CT_COMMENT_GITHUB ? "comment" : "note";

		if (res.url)
			fprintf(ctx->out, "%s %s %lld: %s\n", res.updated ? "updated" : "posted",
				what, res.id, res.url);
		else if (t.forge == CT_COMMENT_GITHUB)
			fprintf(ctx->out, "%s %s %lld on pull request #%ld of %s\n",
				res.updated ? "updated" : "posted", what, res.id, t.number, t.repo);
		else
			fprintf(ctx->out, "%s %s %lld on merge request !%ld of project %s\n",
				res.updated ? "updated" : "posted", what, res.id, t.number,
				t.project);
	}
out:
	ct_comment_result_release(&res);
	free(body);
	ct_store_close(st);
	return rc;
}
