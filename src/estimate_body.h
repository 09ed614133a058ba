/*
 * estimate_body.h - the PR comment body for a plan: what `cloudtally
 * comment` posts. Implemented in reports/estimate.c.
 */
#ifndef CT_SRC_ESTIMATE_BODY_H
#define CT_SRC_ESTIMATE_BODY_H

#include "ct.h"

struct ct_store;

/**
 * Price plan_path (with the usage file, when not NULL) and render the
 * markdown comment.
 *
 * @param st    the store whose refreshed prices win, or NULL.
 * @param body  set to the new markdown text (caller frees).
 * @return CT_OK, or the plan's, usage file's or catalog's error.
 */
int ct_estimate_markdown_for_plan(const char *plan_path, const char *usage_path,
				  struct ct_store *st, char **body,
				  struct ct_err *err);

#endif
