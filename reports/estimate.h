/*
 * estimate.h - the cost estimate of a Terraform plan: per resource, its
 * priced components before and after the change, and the totals.
 *
 * ct_estimate_build() (estimate.c) fills the model from a plan (src/plan.h)
 * and the price catalog; the renderers (render_estimate_*.c) turn it into
 * a table, JSON or the markdown PR comment. The model owns its memory.
 */
#ifndef CT_REPORTS_ESTIMATE_H
#define CT_REPORTS_ESTIMATE_H

#include "ct.h"
#include "money.h"

/* One priced line of a resource: "Instance usage (Linux/UNIX, on-demand,
 * m5.large)", 730 hours at $0.096 = $70.08. */
struct ct_est_component {
	char *name;             /* owned */
	char *unit;             /* owned: hours, GB-month, GB, requests ... */
	double quantity;        /* a month; 0 for usage-based without usage */
	ct_rate unit_price;     /* per unit; 0 when !price_found */
	ct_money monthly;       /* 0 when !price_found (and then excluded) */
	bool usage_based;       /* priced from the usage file or "depends on usage" */
	bool has_usage;         /* usage_based and a quantity was given */
	bool price_found;       /* false: unknown price, excluded from totals */
	const char *purchase_option; /* "on_demand", "spot", "reserved",
					"savings_plan" (static) */
	char *note;             /* owned, may be NULL: why a price is unknown ... */
};

/* One side (before or after) of a resource. */
struct ct_est_side {
	struct ct_est_component *comp; /* owned array */
	size_t n;
	ct_money monthly;              /* sum of priced components */
	bool exists;                   /* the resource exists on this side */
};

struct ct_est_resource {
	char *address;   /* owned: "module.web.aws_instance.app[\"a\"]" */
	char *type;      /* owned: "aws_instance" */
	char *action;    /* owned: create, update, delete, replace, no-op, read */
	char *region;    /* owned */
	struct ct_est_side past; /* before the change */
	struct ct_est_side now;  /* after the change */
	char **notes;    /* owned strings: defaults applied ("root volume: 8 GB
			    gp2 by default") */
	size_t nnotes;
};

/* A resource listed by address and type only (free or unsupported). */
struct ct_est_ref {
	char *address; /* owned */
	char *type;    /* owned */
};

/* A component whose price is unknown (also present, with price_found
 * false, in its resource). */
struct ct_est_unpriced {
	char *address;   /* owned */
	char *component; /* owned */
	char *reason;    /* owned: the catalog's message */
};

struct ct_estimate {
	char currency[8];        /* "USD" */
	double hours_per_month;  /* 730 */
	struct ct_est_resource *res; /* priced resources, in plan order */
	size_t nres;
	struct ct_est_ref *free_res;  /* cost nothing (IAM, security groups ...) */
	size_t nfree;
	struct ct_est_ref *unsupported;
	size_t nunsupported;
	struct ct_est_unpriced *unpriced;
	size_t nunpriced;
	ct_money total;          /* after the change, priced components only */
	ct_money past_total;     /* before the change */
	char **assumptions;      /* owned: usage file used, defaults, ... */
	size_t nassumptions;
	char *plan_name;         /* owned: the plan file as given */
};

struct ct_plan;
struct ct_catalog;
struct ct_usage;

/**
 * Price every resource change of a plan, both sides.
 *
 * @param usage  may be NULL (usage-priced components then cost $0 and
 *               show their unit price).
 * @return new estimate; never NULL (unknown prices are in unpriced).
 */
struct ct_estimate *ct_estimate_build(const struct ct_plan *plan,
				      const struct ct_catalog *cat,
				      const struct ct_usage *usage,
				      const char *plan_name);

/* Free an estimate; NULL is allowed. */
void ct_estimate_free(struct ct_estimate *e);

enum ct_estimate_format {
	CT_EST_TABLE,
	CT_EST_JSON,
	CT_EST_MARKDOWN,
};

/* The hidden marker that lets `cloudtally comment` find its comment. */
#define CT_ESTIMATE_MARKER "<!-- cloudtally-estimate -->"
/* GitHub's comment limit; the markdown renderer stays under it. */
#define CT_ESTIMATE_MAX_MARKDOWN 65536

/**
 * Render e to out.
 *
 * @return CT_OK, or CT_E_IO when writing fails.
 */
int ct_estimate_render(const struct ct_estimate *e, enum ct_estimate_format fmt,
		       FILE *out, struct ct_err *err);

/* Parse "table", "json", "markdown"/"md". @return CT_OK or CT_E_USAGE. */
int ct_estimate_format_parse(const char *name, enum ct_estimate_format *fmt);

#endif
