/*
 * xlsx.h - the monthly report as an Excel workbook for finance
 * (`report --format xlsx`, `export`), written with libxlsxwriter by
 * render_xlsx.c.
 *
 * Sheets: Summary (figures, a pie of cost by service and a column chart
 * of the last months), By service, By account, By region, By tag (one
 * block per allocation key), Daily (line chart, anomalies highlighted),
 * Findings, Savings and, on request, Line items (the month's billing
 * lines, continued on "Line items 2" ... past Excel's row limit). Change,
 * percentages and totals are formulas over the cells above them, with the
 * computed result cached so viewers that do not recalculate show it too.
 * Every string from the data is written as a string cell, never as a
 * formula. The file is reproducible: the same model, lines and creation
 * time give the same bytes.
 */
#ifndef CT_REPORTS_XLSX_H
#define CT_REPORTS_XLSX_H

#include "ct.h"
#include "report.h"

struct ct_store;

struct ct_xlsx_opts {
	/* Store to read the report month's billing lines from for the "Line
	 * items" sheets (borrowed); NULL leaves them out. */
	struct ct_store *lines;
	/* Data rows per line-item sheet; 0 means Excel's limit, 1,048,575
	 * (a header row plus those make 1,048,576). Tests set it small. */
	long max_rows;
	/* The document's creation time, unix seconds (ct_clock_now()); it is
	 * the only time in the file. 0 means the current time. */
	int64_t created;
};

/**
 * Write report r (borrowed) as an .xlsx workbook to path. With o->lines,
 * the workbook is written in libxlsxwriter's constant-memory mode (rows
 * go to temporary files as they are written), so a month of millions of
 * lines takes little memory. Temporary files go to $TMPDIR when set.
 *
 * The file at path is created or replaced; on failure it may hold part of
 * a workbook or nothing, so callers write to a temporary name and rename.
 *
 * @param o options (borrowed); NULL: no line items, created now
 * @return CT_OK, or CT_E_IO (path and libxlsxwriter's reason in err),
 *         CT_E_DB when reading the lines failed.
 */
int ct_xlsx_write(const struct ct_report *r, const struct ct_xlsx_opts *o, const char *path,
		  struct ct_err *err);

#endif
