/*
 * focus.h - the FOCUS (FinOps Open Cost and Usage Specification) CSV
 * reader, versions 1.0, 1.1 and 1.2.
 *
 * Columns are found by name, in any order; columns a version does not
 * have are null, custom x_ columns and other unknown columns are ignored.
 * Both the spec's null (an empty field) and the literal NULL some
 * exporters write are null. Timestamps may use 'T' or a space, with or
 * without 'Z'.
 */
#ifndef CT_SRC_FOCUS_H
#define CT_SRC_FOCUS_H

#include "ct.h"

struct ct_csv;
struct ct_csv_rec;
struct ct_ingest;

/**
 * Does this header row look like FOCUS? It must have BilledCost,
 * ChargePeriodStart and BillingPeriodStart.
 *
 * @param version  set to "focus-1.0", "focus-1.1" or "focus-1.2", from the
 *                 newest columns present (static string).
 */
bool ct_focus_detect(const struct ct_csv_rec *hdr, const char **version);

/**
 * Read every row after the header and hand it to ing.
 *
 * @return CT_OK, or CT_E_INPUT naming the file and line (ragged row, a
 *         cost that is not a number, a bad timestamp, a missing required
 *         value ...), or the store's error.
 */
int ct_focus_read(struct ct_ingest *ing, struct ct_csv *csv,
		  const struct ct_csv_rec *hdr, struct ct_err *err);

#endif
