/*
 * database.h - managed databases: RDS instances with their storage, IOPS
 * and backups; ElastiCache nodes.
 */
#ifndef CT_PRICING_DATABASE_H
#define CT_PRICING_DATABASE_H

#include "ct.h"
#include "cost.h"

struct ct_catalog;

struct ct_rds_spec {
	const char *region;
	const char *engine;       /* mysql, postgres, mariadb, aurora-mysql, aurora-postgres */
	const char *instance;     /* "db.t3.large" */
	bool multi_az;
	const char *storage_type; /* gp2 (default), gp3, io1, magnetic, aurora */
	double gb;
	double iops;              /* io1; gp3 above its baseline */
	double backup_gb;         /* backup storage beyond the free allowance */
	double count;             /* instances, 1 when 0 */
};

/* A month of an RDS instance: RULE: database.multi-az -- Multi-AZ has its
 * own (doubled) instance and storage rates; RULE: database.gp3-baseline --
 * gp3 includes 3,000 IOPS below 400 GB and 12,000 at 400 GB and above;
 * RULE: database.io1-minimum -- io1 is priced at no less than 100 GB and
 * 1,000 IOPS; RULE: database.aurora-backup -- aurora-* engines bill backup
 * storage at the Aurora backup rate. */
int ct_database_rds(const struct ct_catalog *cat, const struct ct_rds_spec *s,
		    struct ct_cost *out, struct ct_err *err);

/* A month of ElastiCache nodes (engine redis, memcached or valkey). */
int ct_database_elasticache(const struct ct_catalog *cat, const char *region,
			    const char *node, const char *engine, double count,
			    struct ct_cost *out, struct ct_err *err);

#endif
