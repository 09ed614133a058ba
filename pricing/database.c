/*
 * database.c - RDS and ElastiCache formulas (see database.h).
 */
#include "ct.h"
#include "database.h"
#include "catalog.h"
#include "tiers.h"

int ct_database_rds(const struct ct_catalog *cat, const struct ct_rds_spec *s,
		    struct ct_cost *out, struct ct_err *err)
{
	const char *dep = s->multi_az ? "multi-az" : "single-az";
	const char *st = s->storage_type && *s->storage_type ? s->storage_type : "gp2";
	double count = s->count > 0 ? s->count : 1;
	char variant[64], svar[64];
	int rc;

	ct_cost_init(out);
	snprintf(variant, sizeof(variant), "%s/%s", s->engine, dep);
	rc = ct_tiers_line(cat, out, "instance hours", "rds", s->region,
			   s->instance, variant, CT_HOURS_PER_MONTH * count, 0, err);
	if (rc != CT_OK)
		return rc;
	out->hourly = out->line[0].rate;
	if (s->gb > 0) {
		snprintf(svar, sizeof(svar), "storage/%s", dep);
		rc = ct_tiers_line(cat, out, "storage", "rds", s->region, st, svar,
				   s->gb * count, 0, err);
		if (rc != CT_OK)
			return rc;
	}
	if (s->iops > 0 && (!strcmp(st, "io1") || !strcmp(st, "gp3"))) {
		double base = 0;
		if (!strcmp(st, "gp3"))
			base = s->gb >= 400 ? 12000 : 3000;
		if (s->iops > base) {
			snprintf(svar, sizeof(svar), "iops/%s", dep);
			rc = ct_tiers_line(cat, out, base > 0 ? "IOPS above the baseline" :
					   "provisioned IOPS", "rds", s->region, st, svar,
					   (s->iops - base) * count, 0, err);
			if (rc != CT_OK)
				return rc;
		}
	}
	if (s->backup_gb > 0)
		rc = ct_tiers_line(cat, out, "backup storage", "rds", s->region,
				   "backup", "storage", s->backup_gb, 0, err);
	return rc;
}

int ct_database_elasticache(const struct ct_catalog *cat, const char *region,
			    const char *node, const char *engine, double count,
			    struct ct_cost *out, struct ct_err *err)
{
	int rc;

	ct_cost_init(out);
	rc = ct_tiers_line(cat, out, "node hours", "elasticache", region, node,
			   engine && *engine ? engine : "redis",
			   CT_HOURS_PER_MONTH * (count > 0 ? count : 1), 0, err);
	if (rc == CT_OK)
		out->hourly = out->line[0].rate;
	return rc;
}
