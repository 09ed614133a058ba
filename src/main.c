/*
 * main.c - the cloudtally program: global options, then the command.
 * Kept thin: everything else is in the library the tests link.
 */
#include "ct.h"
#include "cmd.h"

#include <getopt.h>
#include <locale.h>

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"store", required_argument, NULL, 'd'},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct ct_ctx ctx = {NULL, stdout};
	struct ct_err err;
	const struct ct_cmd *cmd;
	int c, rc;

	setlocale(LC_ALL, "C");
	ct_err_init(&err);
	/* '+': stop at the command name; its options are its own */
	while ((c = getopt_long(argc, argv, "+qvh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			ctx.db_opt = optarg;
			break;
		case 'q':
			ct_verbosity = -1;
			break;
		case 'v':
			ct_verbosity = 1;
			break;
		case 'V':
			return ct_cmd_version(&ctx, 0, NULL, &err);
		case 'h':
			return ct_cmd_help(&ctx, 0, NULL, &err);
		default:
			fputs(ct_cmd_global_usage, stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		fputs(ct_cmd_global_usage, stderr);
		fputs("run 'cloudtally help' for the list of commands\n", stderr);
		return 2;
	}
	cmd = ct_cmd_find(argv[optind]);
	if (!cmd) {
		fprintf(stderr, "cloudtally: error: unknown command '%s' "
			"(run 'cloudtally help')\n", argv[optind]);
		return 2;
	}
	if (ct_cmd_wants_help(argc - optind, argv + optind)) {
		ct_cmd_print_usage(cmd, stdout);
		return 0;
	}
	optind++;
	/* commands parse their own options with getopt_long from argv[0] */
	rc = cmd->run(&ctx, argc - optind + 1, argv + optind - 1, &err);
	if (rc != CT_OK) {
		if (err.code == CT_OK)
			err.code = rc;
		ct_err_report(&err);
		if (rc == CT_E_USAGE)
			fprintf(stderr, "run 'cloudtally help %s' for usage\n", cmd->name);
	}
	if (fflush(stdout) != 0 && rc == CT_OK) {
		fprintf(stderr, "cloudtally: error: cannot write standard output\n");
		return 6;
	}
	return ct_err_exit_status(rc);
}
