/*
 * configfile.h - the cloudtally configuration file: monthly budgets (and,
 * later, delivery settings), read from --config FILE or
 * ${XDG_CONFIG_HOME:-$HOME/.config}/cloudtally/config.
 *
 * Format: one statement per line; '#' starts a comment; words are split
 * on blanks, and a word may be "double quoted" to hold blanks (\" and \\
 * inside quotes). Statements:
 *
 *   budget SCOPE AMOUNT [warning=PCT] [critical=PCT] [name=TEXT]
 *
 * SCOPE is one of
 *   total             the whole bill
 *   account:ID        SubAccountId (or BillingAccountId when there is none)
 *   service:NAME      ServiceName, e.g. service:"Amazon Elastic Compute Cloud"
 *   region:ID         RegionId, e.g. region:us-east-1
 *   tag:KEY=VALUE     lines whose tag KEY (any case) has exactly VALUE
 * AMOUNT is the monthly budget in the bill's currency, a plain decimal
 * ("12000", "2500.50"). warning and critical are percentages of AMOUNT
 * (defaults 80 and 100; 0 < warning <= critical <= 1000). name labels the
 * budget in reports (default: the scope).
 *
 * Example:
 *   budget total 12000
 *   budget account:111122223333 5000 warning=75
 *   budget tag:CostCenter=cc-104 2500 name="Data platform"
 */
#ifndef CT_SRC_CONFIGFILE_H
#define CT_SRC_CONFIGFILE_H

#include "ct.h"

enum ct_scope { CT_SCOPE_TOTAL, CT_SCOPE_ACCOUNT, CT_SCOPE_SERVICE, CT_SCOPE_REGION, CT_SCOPE_TAG };

struct ct_budget_def {
	char *name;           /* label; owned */
	enum ct_scope scope;
	char *key;            /* tag key, lower-cased and trimmed; NULL otherwise; owned */
	char *value;          /* account id, service, region, tag value; NULL for total; owned */
	ct_money amount;      /* monthly, > 0 */
	double warning_pct;   /* default 80 */
	double critical_pct;  /* default 100 */
	long line;            /* where it was defined */
};

struct ct_config {
	char *path;                   /* the file read, or NULL when none; owned */
	struct ct_budget_def *budgets; /* in file order; owned */
	size_t nbudgets;
};

/**
 * The config file to read: opt when given, else the XDG default.
 *
 * @return new string (caller frees).
 */
char *ct_configfile_default_path(const char *opt);

/**
 * Read the config file at path. A missing file is an error only when
 * required (it was named with --config); otherwise it reads as empty.
 *
 * @return new config (ct_configfile_free()), or NULL with err: CT_E_INPUT
 *         naming the file and line of a bad statement, CT_E_IO.
 */
struct ct_config *ct_configfile_load(const char *path, bool required, struct ct_err *err);

/* Free; NULL is allowed. */
void ct_configfile_free(struct ct_config *c);

/* The scope as written in the file ("tag:costcenter=cc-104"): new string. */
char *ct_configfile_scope_text(const struct ct_budget_def *b);

#endif
