/*
 * budget.h - budget status for one month (issue 11): each budget of the
 * config file against the month's billed cost in its scope, the forecast
 * for the month while it is open (the report's run-rate rule), the share
 * used, and whether it is breached (>= critical), in warning (>= warning)
 * or forecast to breach.
 *
 * ct_budget_build() reads the store (budget.c holds the feature's SQL);
 * the renderers (render_budget.c) write the model; money is ct_money.
 */
#ifndef CT_REPORTS_BUDGET_H
#define CT_REPORTS_BUDGET_H

#include "ct.h"

struct ct_store;
struct ct_report;
struct ct_config;

struct ct_budget_row {
	char *name, *scope;    /* owned */
	ct_money amount;       /* monthly budget */
	ct_money spend;        /* billed cost in scope this month */
	ct_money forecast;     /* the month's forecast; = spend when complete */
	double used_pct;       /* spend / amount x 100 */
	double forecast_pct;   /* forecast / amount x 100 */
	double warning_pct, critical_pct;
	const char *status;          /* "ok", "warning", "critical" (static) */
	const char *forecast_status; /* the same rule on the forecast */
};

struct ct_budget_status {
	char month[8];
	char currency[24];
	bool complete;           /* the month has ended: no forecast */
	int days_in_month, days_with_data;
	char *config;            /* the config file read, NULL when none; owned */
	struct ct_budget_row *v; /* in config order; owned */
	size_t n;
	size_t critical;         /* budgets at or over critical now */
	size_t warning;          /* at or over warning, under critical */
	size_t forecast_critical; /* not critical now, but by the forecast */
};

/**
 * Status of every budget of cfg (borrowed) in the month of r (borrowed,
 * built by ct_report_build() on the same store).
 *
 * @return new status (ct_budget_free()), or NULL with err (CT_E_DB).
 */
struct ct_budget_status *ct_budget_build(struct ct_store *st, const struct ct_report *r,
					 const struct ct_config *cfg, struct ct_err *err);

/* Free; NULL is allowed. */
void ct_budget_free(struct ct_budget_status *b);

enum ct_budget_format { CT_BUDGET_TEXT, CT_BUDGET_MARKDOWN, CT_BUDGET_JSON, CT_BUDGET_CSV };

/* Parse "text", "markdown" ("md"), "json", "csv". @return CT_OK or CT_E_USAGE. */
int ct_budget_format_parse(const char *s, enum ct_budget_format *out);

/**
 * Write b (borrowed) to out (render_budget.c).
 *
 * @return CT_OK, or CT_E_IO when writing failed.
 */
int ct_budget_render(const struct ct_budget_status *b, enum ct_budget_format fmt, FILE *out,
		     struct ct_err *err);

struct ct_jsonw;
/* b as one JSON object value at w's position (also the report's
 * "budgets" member). */
void ct_budget_json(struct ct_jsonw *w, const struct ct_budget_status *b);

#endif
