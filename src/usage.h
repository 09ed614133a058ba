/*
 * usage.h - the usage file of `cloudtally estimate --usage-file`: expected
 * monthly usage per resource address, for usage-priced components.
 *
 * Format (YAML as Infracost writes it, or the same structure as JSON):
 *
 *   version: 0.1
 *   resource_usage:
 *     aws_lambda_function.api:
 *       monthly_requests: 50000000
 *       request_duration_ms: 120
 *     aws_s3_bucket.uploads:
 *       standard:
 *         storage_gb: 12000
 *
 * Keys are looked up by resource address and a dotted path
 * ("standard.storage_gb"): the exact address first, then wildcard
 * addresses (aws_lambda_function.*, module.x.aws_instance.web[*]) in file
 * order, then resource_type_default_usage. Values may be numbers or
 * strings (operating_system: linux); ct_usage_get() answers numbers only.
 */
#ifndef CT_SRC_USAGE_H
#define CT_SRC_USAGE_H

#include "ct.h"

struct ct_usage;

/**
 * Read a usage file (YAML subset or JSON, detected from the first
 * non-blank character).
 *
 * @return new usage (ct_usage_free()), or NULL with CT_E_INPUT naming the
 *         file and line (bad indentation, a malformed number such as
 *         1,000 or 0x10, tabs, duplicate keys, unknown top-level keys ...)
 *         or CT_E_IO.
 */
struct ct_usage *ct_usage_load(const char *path, struct ct_err *err);

/* Free; NULL is allowed. */
void ct_usage_free(struct ct_usage *u);

/**
 * Look up a number for a resource address and a dotted key path.
 *
 * @return true and *out when the file gives one (an exact address wins
 *         over a wildcard), false otherwise.
 */
bool ct_usage_get(const struct ct_usage *u, const char *address,
		  const char *path, double *out);

/* The file name given to ct_usage_load() (borrowed). */
const char *ct_usage_name(const struct ct_usage *u);

#endif
