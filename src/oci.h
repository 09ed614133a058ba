/*
 * oci.h - the Oracle Cloud Infrastructure cost report reader
 * (files named reports_cost-csv_NNN.csv, with lineItem/..., product/...,
 * usage/..., cost/... and tags/... columns). How the columns map to FOCUS
 * is in oci.c.
 */
#ifndef CT_SRC_OCI_H
#define CT_SRC_OCI_H

#include "ct.h"

struct ct_csv;
struct ct_csv_rec;
struct ct_ingest;

/* Does this header row look like an OCI cost report? It must have
 * cost/myCost and lineItem/intervalUsageStart. */
bool ct_oci_detect(const struct ct_csv_rec *hdr);

/**
 * Read every row after the header and hand it to ing. A row with fewer
 * fields than the header has nulls at its end; one with more is bad
 * input.
 *
 * @return CT_OK, or CT_E_INPUT naming the file and line, or the store's
 *         error.
 */
int ct_oci_read(struct ct_ingest *ing, struct ct_csv *csv,
		const struct ct_csv_rec *hdr, struct ct_err *err);

#endif
