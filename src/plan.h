/*
 * plan.h - reading a Terraform plan (`terraform show -json plan.out`):
 * the resource changes with their before and after values, and the
 * region of each resource from its provider configuration.
 *
 * Depends on jansson; the values handed out are borrowed jansson nodes of
 * the loaded document, valid until ct_plan_free().
 */
#ifndef CT_SRC_PLAN_H
#define CT_SRC_PLAN_H

#include "ct.h"

#include <jansson.h>

struct ct_plan;

/* One entry of resource_changes. */
struct ct_plan_change {
	const char *address;   /* "module.web.aws_instance.app[0]" */
	const char *module;    /* "module.web", "" at the root */
	const char *type;      /* "aws_instance" */
	const char *action;    /* create, update, delete, replace, no-op, read */
	json_t *before;        /* borrowed; NULL when absent (create) */
	json_t *after;         /* borrowed; NULL when absent (delete) */
	json_t *after_unknown; /* borrowed; may be NULL */
	char region[32];       /* resolved region */
	bool region_default;   /* no region found: us-east-1 assumed */
	bool data;             /* a data source (mode "data") */
};

/**
 * Load and check a plan file.
 *
 * @return new plan (ct_plan_free()), or NULL with CT_E_INPUT naming the
 *         file and line (not JSON, not a plan: no resource_changes array)
 *         or CT_E_IO.
 */
struct ct_plan *ct_plan_load(const char *path, struct ct_err *err);
void ct_plan_free(struct ct_plan *p);

/* Number of resource changes, and change i (filled into *out). */
size_t ct_plan_count(const struct ct_plan *p);
void ct_plan_get(const struct ct_plan *p, size_t i, struct ct_plan_change *out);

/**
 * The instance type of the launch template a resource (EKS node group,
 * autoscaling group) refers to in its configuration, looked up among the
 * plan's aws_launch_template resources in the same module.
 *
 * @return the type (borrowed) or NULL.
 */
const char *ct_plan_launch_template_type(const struct ct_plan *p,
					 const struct ct_plan_change *c);

/* A string attribute of obj, NULL when absent, null or not a string. */
const char *ct_plan_str(json_t *obj, const char *key);
/* A number attribute (integer or real), false when absent. */
bool ct_plan_num(json_t *obj, const char *key, double *out);
/* A boolean attribute, false when absent. */
bool ct_plan_bool(json_t *obj, const char *key);
/* The first object of a block list attribute ("root_block_device"). */
json_t *ct_plan_block(json_t *obj, const char *key);
/* Is the attribute unknown until apply? */
bool ct_plan_unknown(json_t *unknown, const char *key);

#endif
