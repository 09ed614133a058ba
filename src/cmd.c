/*
 * cmd.c - the command table (sorted by name) and helpers every command
 * uses. Adding a command: write src/cmd_<name>.c, add its line here, add
 * its section to data/cloudtally.1 (a test keeps the two in step).
 */
#include "ct.h"
#include "cmd.h"

const char ct_cmd_global_usage[] =
	"usage: cloudtally [--store PATH|URL] [-q|-v] COMMAND [ARGS]\n"
	"       cloudtally --version\n"
	"       cloudtally help [COMMAND]\n";

const struct ct_cmd ct_cmds[] = {
	{"budget", ct_cmd_budget, "monthly budgets: spend, forecast and breaches", ct_cmd_budget_usage},
	{"comment", ct_cmd_comment, "post or update the cost estimate on a pull or merge request", ct_cmd_comment_usage},
	{"db", ct_cmd_db, "create, migrate or check the store", ct_cmd_db_usage},
	{"demo", ct_cmd_demo, "run the monthly report on the bundled sample data", ct_cmd_demo_usage},
	{"estimate", ct_cmd_estimate, "price a Terraform plan: the monthly change", ct_cmd_estimate_usage},
	{"export", ct_cmd_export, "the monthly report as an Excel workbook for finance", ct_cmd_export_usage},
	{"help", ct_cmd_help, "show help for cloudtally or one command", ct_cmd_help_usage},
	{"ingest", ct_cmd_ingest, "load billing exports into the store", ct_cmd_ingest_usage},
	{"k8s", ct_cmd_k8s, "Kubernetes cluster cost: nodes, allocation, idle, spot", ct_cmd_k8s_usage},
	{"notify", ct_cmd_notify, "deliver the month's report to Slack, a webhook or e-mail", ct_cmd_notify_usage},
	{"pricing", ct_cmd_pricing, "look up, explain and refresh prices", ct_cmd_pricing_usage},
	{"recommend", ct_cmd_recommend, "what to switch off or shrink, and what it saves", ct_cmd_recommend_usage},
	{"report", ct_cmd_report, "the monthly cost report", ct_cmd_report_usage},
	{"version", ct_cmd_version, "print the version", ct_cmd_version_usage},
};
const size_t ct_ncmds = CT_NELEM(ct_cmds);

const struct ct_cmd *ct_cmd_find(const char *name)
{
	for (size_t i = 0; i < ct_ncmds; i++)
		if (!strcmp(ct_cmds[i].name, name))
			return &ct_cmds[i];
	return NULL;
}

void ct_cmd_print_usage(const struct ct_cmd *c, FILE *out)
{
	fputs(c->usage, out);
}

bool ct_cmd_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	}
	return false;
}
