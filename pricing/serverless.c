/*
 * serverless.c - Lambda and DynamoDB formulas (see serverless.h).
 */
#include "ct.h"
#include "serverless.h"
#include "tiers.h"

int ct_serverless_lambda(const struct ct_catalog *cat,
			 const struct ct_lambda_spec *s, struct ct_cost *out,
			 struct ct_err *err)
{
	const char *arch = s->arch && *s->arch ? s->arch : "x86";
	double gbs = s->requests * (s->duration_ms / 1000.0) * (s->memory_mb / 1024.0);
	int rc;

	ct_cost_init(out);
	rc = ct_tiers_line(cat, out, "requests", "lambda", s->region, arch,
			   "requests", s->requests, 0, err);
	if (rc == CT_OK)
		rc = ct_tiers_line(cat, out, "duration", "lambda", s->region, arch,
				   "duration", gbs, 0, err);
	return rc;
}

int ct_serverless_dynamodb(const struct ct_catalog *cat,
			   const struct ct_dynamodb_spec *s,
			   struct ct_cost *out, struct ct_err *err)
{
	const char *mode = s->provisioned ? "provisioned" : "on-demand";
	double hours = s->provisioned ? CT_HOURS_PER_MONTH : 1;
	int rc = CT_OK;

	ct_cost_init(out);
	if (s->writes > 0)
		rc = ct_tiers_line(cat, out, s->provisioned ? "write capacity" :
				   "write requests", "dynamodb", s->region, mode,
				   "write", s->writes * hours, 0, err);
	if (rc == CT_OK && s->reads > 0)
		rc = ct_tiers_line(cat, out, s->provisioned ? "read capacity" :
				   "read requests", "dynamodb", s->region, mode,
				   "read", s->reads * hours, 0, err);
	if (rc == CT_OK && s->storage_gb > 0)
		rc = ct_tiers_line(cat, out, "storage", "dynamodb", s->region, mode,
				   "storage", s->storage_gb, 0, err);
	return rc;
}

int ct_serverless_cloudwatch(const struct ct_catalog *cat,
			     const struct ct_cloudwatch_spec *s,
			     struct ct_cost *out, struct ct_err *err)
{
	const struct {
		const char *name, *product;
		double qty;
	} parts[] = {
		{"metrics", "metrics", s->metrics},
		{"alarms", "alarm", s->alarms},
		{"log ingestion", "logs-ingest", s->logs_ingest_gb},
		{"log storage", "logs-storage", s->logs_storage_gb},
		{"dashboards", "dashboard", s->dashboards},
		{"API requests", "api-requests", s->api_requests},
	};
	int rc = CT_OK;

	ct_cost_init(out);
	for (size_t i = 0; i < CT_NELEM(parts) && rc == CT_OK; i++)
		if (parts[i].qty > 0)
			rc = ct_tiers_line(cat, out, parts[i].name, "cloudwatch",
					   s->region, parts[i].product, "standard",
					   parts[i].qty, 0, err);
	return rc;
}
