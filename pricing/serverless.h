/*
 * serverless.h - request- and usage-priced services: Lambda, DynamoDB,
 * CloudWatch.
 */
#ifndef CT_PRICING_SERVERLESS_H
#define CT_PRICING_SERVERLESS_H

#include "ct.h"
#include "cost.h"

struct ct_catalog;

struct ct_lambda_spec {
	const char *region;
	const char *arch;   /* x86 (default) or arm64 */
	double requests;    /* a month */
	double duration_ms; /* average per request */
	double memory_mb;   /* configured memory */
};

/* RULE: lambda.gb-seconds -- requests x rate + requests x seconds x
 * memory GB at the duration tiers. */
int ct_serverless_lambda(const struct ct_catalog *cat,
			 const struct ct_lambda_spec *s, struct ct_cost *out,
			 struct ct_err *err);

struct ct_dynamodb_spec {
	const char *region;
	bool provisioned;   /* else on-demand */
	double writes;      /* on-demand: write request units a month;
			       provisioned: WCU */
	double reads;       /* on-demand: read request units; provisioned: RCU */
	double storage_gb;
};

int ct_serverless_dynamodb(const struct ct_catalog *cat,
			   const struct ct_dynamodb_spec *s,
			   struct ct_cost *out, struct ct_err *err);

struct ct_cloudwatch_spec {
	const char *region;
	double metrics;         /* custom / detailed-monitoring metrics */
	double alarms;          /* standard-resolution alarms */
	double logs_ingest_gb;  /* a month */
	double logs_storage_gb; /* kept */
	double dashboards;
	double api_requests;
};

/* CloudWatch basics: metrics (tiered), alarms, log ingestion and storage,
 * dashboards, API requests. Free-tier allowances are not subtracted. */
int ct_serverless_cloudwatch(const struct ct_catalog *cat,
			     const struct ct_cloudwatch_spec *s,
			     struct ct_cost *out, struct ct_err *err);

#endif
