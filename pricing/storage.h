/*
 * storage.h - block and object storage: EBS volumes and snapshots, S3.
 */
#ifndef CT_PRICING_STORAGE_H
#define CT_PRICING_STORAGE_H

#include "ct.h"
#include "cost.h"

struct ct_catalog;

struct ct_ebs_spec {
	const char *region;
	const char *type;   /* gp2, gp3, io1, io2, st1, sc1, standard */
	double gb;          /* provisioned size */
	double iops;        /* provisioned IOPS (gp3: 3,000 when 0; io1/io2) */
	double throughput;  /* MiB/s (gp3: 125 when 0) */
	double io_requests; /* standard (magnetic): I/O requests a month */
};

/* A month of one EBS volume: storage, IOPS and throughput above the
 * baselines, magnetic I/O. @return CT_OK, CT_E_NOPRICE or CT_E_USAGE. */
int ct_storage_ebs(const struct ct_catalog *cat, const struct ct_ebs_spec *s,
		   struct ct_cost *out, struct ct_err *err);

/* A month of EBS snapshot storage (GB-month). */
int ct_storage_snapshot(const struct ct_catalog *cat, const char *region,
			double gb, struct ct_cost *out, struct ct_err *err);

struct ct_s3_spec {
	const char *region;
	const char *storage_class; /* standard (default), standard-ia, ... */
	double gb;                 /* average stored in the month */
	double put_requests;       /* PUT, COPY, POST, LIST */
	double get_requests;       /* GET, SELECT and the rest */
	double retrieval_gb;       /* for the infrequent-access classes */
};

/* A month of one S3 bucket's storage class (tiered). */
int ct_storage_s3(const struct ct_catalog *cat, const struct ct_s3_spec *s,
		  struct ct_cost *out, struct ct_err *err);

#endif
