/*
 * storage.c - EBS and S3 formulas (see storage.h).
 *
 * RULE: storage.gp3-baseline -- gp3 includes 3,000 IOPS and 125 MiB/s;
 * only what is provisioned above them is billed (the catalog encodes the
 * baselines as free first tiers). RULE: storage.io -- io1 and io2 bill
 * every provisioned IOPS; io2 in tiers.
 */
#include "ct.h"
#include "storage.h"
#include "tiers.h"

int ct_storage_ebs(const struct ct_catalog *cat, const struct ct_ebs_spec *s,
		   struct ct_cost *out, struct ct_err *err)
{
	const char *t = s->type && *s->type ? s->type : "gp2";
	int rc;

	ct_cost_init(out);
	if (s->gb < 0 || s->iops < 0 || s->throughput < 0)
		return ct_err_set(err, CT_E_USAGE, NULL, 0, "negative volume size, IOPS or throughput");
	rc = ct_tiers_line(cat, out, "storage", "ebs", s->region, t, "storage",
			   s->gb, 0, err);
	if (rc != CT_OK)
		return rc;
	if (!strcmp(t, "gp3")) {
		double iops = s->iops > 0 ? s->iops : 3000;
		double tp = s->throughput > 0 ? s->throughput : 125;
		rc = ct_tiers_line(cat, out, "IOPS above 3,000", "ebs", s->region,
				   t, "iops", iops, 0, err);
		if (rc == CT_OK)
			rc = ct_tiers_line(cat, out, "throughput above 125 MiB/s",
					   "ebs", s->region, t, "throughput", tp, 0, err);
	} else if (!strcmp(t, "io1") || !strcmp(t, "io2")) {
		if (s->iops <= 0)
			return ct_err_set(err, CT_E_USAGE, NULL, 0,
					  "an %s volume needs its provisioned IOPS", t);
		rc = ct_tiers_line(cat, out, "provisioned IOPS", "ebs", s->region,
				   t, "iops", s->iops, 0, err);
	} else if (!strcmp(t, "standard") && s->io_requests > 0) {
		rc = ct_tiers_line(cat, out, "I/O requests", "ebs", s->region, t,
				   "io", s->io_requests, 0, err);
	}
	return rc;
}

int ct_storage_snapshot(const struct ct_catalog *cat, const char *region,
			double gb, struct ct_cost *out, struct ct_err *err)
{
	ct_cost_init(out);
	return ct_tiers_line(cat, out, "snapshot storage", "ebs", region,
			     "snapshot", "storage", gb, 0, err);
}

int ct_storage_s3(const struct ct_catalog *cat, const struct ct_s3_spec *s,
		  struct ct_cost *out, struct ct_err *err)
{
	const char *cls = s->storage_class && *s->storage_class ? s->storage_class : "standard";
	int rc;

	ct_cost_init(out);
	rc = ct_tiers_line(cat, out, "storage", "s3", s->region, cls, "storage",
			   s->gb, 0, err);
	if (rc == CT_OK && s->put_requests > 0)
		rc = ct_tiers_line(cat, out, "PUT, COPY, POST, LIST requests", "s3",
				   s->region, cls, "put", s->put_requests, 0, err);
	if (rc == CT_OK && s->get_requests > 0)
		rc = ct_tiers_line(cat, out, "GET, SELECT and other requests", "s3",
				   s->region, cls, "get", s->get_requests, 0, err);
	if (rc == CT_OK && s->retrieval_gb > 0)
		rc = ct_tiers_line(cat, out, "retrievals", "s3", s->region, cls,
				   "retrieval", s->retrieval_gb, 0, err);
	return rc;
}
