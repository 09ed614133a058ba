/*
 * database.c - RDS and ElastiCache formulas (see database.h).
 *
 * RULE: database.io1-minimum -- an io1 instance has at least 100 GB and
 * 1,000 provisioned IOPS (the smallest MySQL, MariaDB and PostgreSQL allow;
 * the catalog's io1 rows say so), so less is priced at the minimum, with a
 * note. RULE: database.aurora-backup -- Aurora engines bill backup storage
 * at the Aurora rate (product aurora-backup), not the RDS one.
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
	bool aurora = !strncmp(s->engine, "aurora", 6);
	double gb = s->gb, iops = s->iops;
	char variant[64], svar[64];
	int rc;

	ct_cost_init(out);
	if (!strcmp(st, "io1")) {
		if (gb > 0 && gb < 100) {
			ct_cost_note(out, "io1 storage priced at its 100 GB minimum "
				     "(%g GB asked).", gb);
			gb = 100;
		}
		if (iops < 1000) {
			ct_cost_note(out, "io1 priced at its 1,000 provisioned IOPS "
				     "minimum (%g asked).", iops);
			iops = 1000;
		}
	}
	snprintf(variant, sizeof(variant), "%s/%s", s->engine, dep);
	rc = ct_tiers_line(cat, out, "instance hours", "rds", s->region,
			   s->instance, variant, CT_HOURS_PER_MONTH * count, 0, err);
	if (rc != CT_OK)
		return rc;
	out->hourly = out->line[0].rate;
	if (gb > 0) {
		snprintf(svar, sizeof(svar), "storage/%s", dep);
		rc = ct_tiers_line(cat, out, "storage", "rds", s->region, st, svar,
				   gb * count, 0, err);
		if (rc != CT_OK)
			return rc;
	}
	if (iops > 0 && (!strcmp(st, "io1") || !strcmp(st, "gp3"))) {
		double base = 0;
		if (!strcmp(st, "gp3"))
			base = gb >= 400 ? 12000 : 3000;
		if (iops > base) {
			snprintf(svar, sizeof(svar), "iops/%s", dep);
			rc = ct_tiers_line(cat, out, base > 0 ? "IOPS above the baseline" :
					   "provisioned IOPS", "rds", s->region, st, svar,
					   (iops - base) * count, 0, err);
			if (rc != CT_OK)
				return rc;
		}
	}
	if (s->backup_gb > 0)
		rc = ct_tiers_line(cat, out, "backup storage", "rds", s->region,
				   aurora ? "aurora-backup" : "backup", "storage",
				   s->backup_gb, 0, err);
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
