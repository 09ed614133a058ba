/*
 * recommend.h - the findings of `cloudtally recommend` (issue 5): idle and
 * low-CPU instances, unattached volumes, unassociated addresses, old
 * snapshots, long-stopped instances with billed volumes, idle load
 * balancers and idle databases, each with its monthly cost, the saving
 * and the evidence; and the commitment projections (reserved instances
 * and savings plans on the steady baseline of the last 30 days of
 * on-demand EC2 usage in the billing lines, spot for fault-tolerant
 * instances) with the totals by kind (rules in recommend.c).
 *
 * The model reads the store (resource, metric_day, lb_target_health and
 * the billing rollup) and the price catalog; it holds all of the SQL of
 * the feature. It never prints: the renderers (render_recommend.c) write
 * the model in each format. Money is ct_money (nano-dollars).
 */
#ifndef CT_REPORTS_RECOMMEND_H
#define CT_REPORTS_RECOMMEND_H

#include "ct.h"
#include "money.h"

struct ct_store;
struct ct_catalog;

/* Thresholds; ct_recommend_opts_init() sets the defaults. */
struct ct_recommend_opts {
	double idle_cpu;    /* idle: daily average CPU <= this (%), 10 */
	double idle_net_mb; /* idle: network in+out <= this (10^6 bytes), 5 */
	int idle_days;	    /* idle: on at least this many days, 4 */
	int window_days;    /* of metrics looked at, 14 */
	double low_cpu;	    /* low-CPU: window average below this (%), 20 */
	int snapshot_days;  /* old snapshot: created more than this ago, 90 */
	int stopped_days;   /* stopped instance: for at least this long, 30 */
	int db_days;	    /* idle database: no connections on these, 7 */
	int usage_days;	    /* commitments: days of on-demand usage, 30 */
	const char *spot_tag_key;   /* fault-tolerant tag, "spot-ok" */
	const char *spot_tag_value; /* its value (case-insensitive), "true" */
	int64_t now;	    /* unix seconds (ct_clock_now()) */
};

/* One evidence member: key and value text; num says the value is a JSON
 * number (written as is) rather than a string. */
struct ct_evidence {
	const char *key; /* static string */
	char *value;	 /* owned by the finding */
	bool num;
};

#define CT_EVIDENCE_MAX 20

struct ct_finding {
	const char *kind; /* idle_instance ... (static) */
	char *resource_id, *resource_type, *region, *account_id;
	const char *action;	/* stop_or_terminate, downsize ... (static) */
	char *recommended_type; /* NULL when none */
	ct_money monthly_cost;
	ct_money savings;			/* estimated monthly */
	struct ct_evidence ev[CT_EVIDENCE_MAX]; /* sorted by key when built */
	size_t nev;
};

/* One commitment projection (reserved instance, savings plan) or spot
 * estimate for an (instance type, region, OS). Rates are per instance. */
struct ct_commitment {
	const char *kind;    /* reserved_instance, savings_plan, spot (static) */
	char *instance_type, *region;
	const char *os;	     /* linux, windows, rhel, suse (static) */
	const char *term;    /* "1y", "3y"; "" for spot (static) */
	const char *payment; /* no_upfront, partial_upfront, all_upfront; "" */
	const char *offering; /* standard, compute, ec2instance; "" for spot */
	double count;	     /* instances committed (the baseline) */
	double avg_count;    /* average running over the usage window */
	double utilisation;  /* of the committed hours, observed (0-1) */
	ct_money upfront;    /* total, all instances */
	ct_rate ondemand_hourly, effective_hourly;
	ct_money savings;	   /* monthly at 100 % utilisation */
	ct_money savings_at_util;  /* monthly at the observed utilisation */
	double break_even_months;  /* upfront / ((OD - recurring) x 730 x n) */
	double payback_months;	   /* upfront / savings */
	bool estimated;		   /* ratio fallback / spot estimate */
	bool best;		   /* the option counted in the total */
	char *note;		   /* spot: interruption band, reason; or NULL */
};

/* Monthly saving of one kind (finding or commitment kind). */
struct ct_kind_total {
	const char *kind;
	ct_money savings;
	size_t n;
};

/* One AWS Compute Optimizer recommendation from an ingested export: a
 * second opinion shown next to the findings, never added to the totals
 * (its estimate uses its own prices and look-back). */
struct ct_optimizer {
	char *resource_id, *kind, *account_id, *region; /* kind: instance, volume */
	char *finding;	   /* as exported: OVER_PROVISIONED, NotOptimized ... */
	char *current;	   /* m4.xlarge, "gp2 80 GiB"; NULL unknown */
	char *recommended; /* option 1; NULL when none */
	ct_money savings;  /* option 1 estimate, monthly */
	bool has_savings;
	double risk;	   /* option 1 performance risk, 0-4; < 0 unknown */
	const char *ours;  /* kind of cloudtally's finding on it, or NULL (static) */
};

struct ct_recommend {
	struct ct_recommend_opts opts;
	int64_t window_first, window_last; /* days since 1970-01-01 */
	bool has_metrics;		   /* metric_day had a day to end on */
	char billing_month[8];		   /* "" when no billing data */
	struct ct_finding *f;		   /* sorted: kind, resource_id */
	size_t n;
	ct_money total_savings;		   /* findings + best commitments */
	struct ct_commitment *cm;	   /* sorted: type, region, os, kind ... */
	size_t ncm;
	int64_t usage_first, usage_last;   /* unix seconds; 0 when no usage */
	struct ct_kind_total kt[16];	   /* by kind, sorted by kind */
	size_t nkt;
	struct ct_optimizer *opt;	   /* sorted: kind, resource_id */
	size_t nopt;
};

/* Fill o with the defaults (10 %, 5 MB, 4 of 14 days, 20 %, 90, 30, 7
 * days) and now = 0; callers set now. */
void ct_recommend_opts_init(struct ct_recommend_opts *o);

/**
 * Build the findings from the store st (borrowed) and catalog cat
 * (borrowed; NULL loads none and every catalog price is unknown).
 *
 * @return new model (ct_recommend_free()), or NULL with err set (CT_E_DB,
 *         CT_E_USAGE for thresholds out of range).
 */
struct ct_recommend *ct_recommend_build(struct ct_store *st, const struct ct_catalog *cat,
					const struct ct_recommend_opts *o, struct ct_err *err);
/* Free a model; NULL is allowed. */
void ct_recommend_free(struct ct_recommend *r);

enum ct_recommend_format {
	CT_RECOMMEND_TEXT,
	CT_RECOMMEND_MARKDOWN,
	CT_RECOMMEND_JSON,
	CT_RECOMMEND_CSV,
};
/* Parse "text", "markdown", "json", "csv". @return CT_OK or CT_E_USAGE. */
int ct_recommend_format_parse(const char *s, enum ct_recommend_format *out);
/**
 * Write r (borrowed) to out in fmt (render_recommend.c).
 *
 * @return CT_OK, or CT_E_IO when writing failed.
 */
int ct_recommend_render(const struct ct_recommend *r, enum ct_recommend_format fmt, FILE *out,
			struct ct_err *err);

struct ct_jsonw;
/* Write r as one JSON object value at w's position (the whole document of
 * `recommend --format json`; the "recommendations" member of the report). */
void ct_recommend_json(struct ct_jsonw *w, const struct ct_recommend *r);

#endif
