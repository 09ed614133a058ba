/*
 * report.h - the monthly report model: where the money went in one
 * billing period and what changed against the period before.
 *
 * ct_report_build() fills the model from the store (report.c, the only
 * file here that knows SQL); the renderers (render_*.c) turn a model into
 * text, markdown, HTML, JSON or CSV and are the only code that formats
 * money. The model owns all of its memory; free it with ct_report_free().
 */
#ifndef CT_REPORTS_REPORT_H
#define CT_REPORTS_REPORT_H

#include "ct.h"

struct ct_store;

/* One row of a breakdown (a service, an account, a region ...). */
struct ct_report_item {
	char *id;             /* key: service name, account id, region id; owned */
	char *name;           /* display name (account name, region name); owned, may be NULL */
	char *category;       /* service category for services; owned, may be NULL */
	ct_money billed;      /* billed cost this month */
	ct_money effective;   /* effective (amortized) cost this month */
	ct_money prev_billed; /* billed cost in the previous month */
};

struct ct_report_list {
	struct ct_report_item *v; /* owned array */
	size_t n;
};

/* Cost allocation for one tag key. */
struct ct_report_tag {
	char *key;                    /* tag key as configured, owned */
	struct ct_report_list values; /* id = tag value; sorted by billed desc */
	ct_money untagged;            /* billed cost of lines without this key */
};

struct ct_report_day {
	char date[11];   /* YYYY-MM-DD */
	ct_money billed; /* billed cost of lines whose charge period starts that day */
};

struct ct_report_anomaly {
	char date[11];     /* YYYY-MM-DD */
	ct_money billed;   /* that day's billed cost */
	ct_money expected; /* the month's daily mean */
	double sigmas;     /* (billed - mean) / standard deviation */
};

/* One month of the history (month-over-month chart, workbook). */
struct ct_report_month {
	char month[8];      /* YYYY-MM */
	ct_money billed;    /* billed total in the report's currency */
	ct_money effective; /* effective total */
};

struct ct_recommend;
struct ct_budget_status;
struct ct_k8s_cost;

#define CT_REPORT_HISTORY 12

struct ct_report {
	char month[8];      /* YYYY-MM */
	char prev_month[8]; /* YYYY-MM */
	char currency[24];  /* currency of the figures, "USD" (at most 16 bytes) */
	bool complete;      /* the billing period has ended */
	bool single_currency; /* the month's lines are all in currency */
	long lines;         /* billing lines in the month */
	int days_in_month;
	int days_with_data; /* days from the 1st to the last day with charges */

	ct_money total_billed;
	ct_money total_effective;
	ct_money prev_billed;    /* previous month's billed total */
	ct_money prev_effective; /* previous month's effective total */
	bool has_prev;           /* the previous month is in the store */
	bool has_forecast;       /* month not complete: forecast is set */
	ct_money forecast;       /* run-rate forecast of the month's billed cost */

	struct ct_report_list by_service;         /* id = ServiceName, category set */
	struct ct_report_list by_category;        /* id = ServiceCategory */
	struct ct_report_list by_account;         /* id = SubAccountId, name = SubAccountName */
	struct ct_report_list by_region;          /* id = RegionId, name = RegionName */
	struct ct_report_list by_charge_category; /* id = ChargeCategory */
	struct ct_report_list movers;             /* services by |change|, largest first, at most 10 */

	struct ct_report_tag *tags; /* one per allocation key, in configured order */
	size_t ntags;
	ct_money untagged; /* billed cost of lines with none of the allocation keys */

	struct ct_report_day *daily; /* every day of the month, in order */
	size_t ndaily;
	struct ct_report_anomaly *anomalies; /* days > 3 standard deviations off */
	size_t nanomalies;

	char **notes; /* owned strings: review thresholds, excluded currencies ... */
	size_t nnotes;

	/* Up to CT_REPORT_HISTORY months ending with this one, oldest first;
	 * only months in the store (a gap is left out, not zero). */
	struct ct_report_month history[CT_REPORT_HISTORY];
	size_t nhistory;

	/* Findings and commitment projections (recommend.h), attached by the
	 * caller after ct_report_build(); owned, freed with the report; NULL
	 * when not built. */
	struct ct_recommend *rec;

	/* Budget status of the month (budget.h), attached by the caller when
	 * the config file has budgets; owned, freed with the report; NULL
	 * otherwise. */
	struct ct_budget_status *budgets;

	/* The cluster cost of the ingested Kubernetes snapshot (k8s_cost.h),
	 * attached by the caller; owned; NULL when none was ingested. */
	struct ct_k8s_cost *k8s;
};

/* Options for building a report. */
struct ct_report_opts {
	const char *month;       /* YYYY-MM, or NULL for the latest complete month */
	const char *const *tags; /* allocation keys; NULL: the four defaults */
	size_t ntags;
	int64_t now;             /* unix seconds "now" (ct_clock_now()) */
	/* The config file whose budgets the commands attach (budget.h):
	 * NULL = the default file when it exists, "" = none. Not read by
	 * ct_report_build(). */
	const char *config;
};

/**
 * Build the report for one month from the store.
 *
 * @return new report (free with ct_report_free()), or NULL with err set:
 *         CT_E_INPUT when the store has no billing data or not that month,
 *         CT_E_DB on a database error.
 */
struct ct_report *ct_report_build(struct ct_store *st,
				  const struct ct_report_opts *opts,
				  struct ct_err *err);

/* Free a report; NULL is allowed. */
void ct_report_free(struct ct_report *r);

/* Output formats of the monthly report. */
enum ct_report_format {
	CT_FMT_TEXT,
	CT_FMT_MARKDOWN,
	CT_FMT_HTML,
	CT_FMT_JSON,
	CT_FMT_CSV,
};

/**
 * Render r to out in the given format.
 *
 * @return CT_OK, or CT_E_IO when writing fails.
 */
int ct_report_render(const struct ct_report *r, enum ct_report_format fmt,
		     FILE *out, struct ct_err *err);

/* Parse a format name ("text", "markdown", "md", "html", "json", "csv").
 * @return 0 and *fmt set, or CT_E_USAGE. */
int ct_report_format_parse(const char *name, enum ct_report_format *fmt);

#endif
