/*
 * azure.h - the Azure cost details reader: Cost Management exports and
 * downloads for Enterprise Agreements (EA), Microsoft Customer Agreements
 * (MCA) and pay-as-you-go subscriptions, actual and amortized, in any of
 * the header spellings Azure has used (PascalCase, camelCase, localised
 * "Name (ColumnName)"). How the columns map to FOCUS is in azure.c.
 */
#ifndef CT_SRC_AZURE_H
#define CT_SRC_AZURE_H

#include "ct.h"

struct ct_csv;
struct ct_csv_rec;
struct ct_ingest;

/* Which cost dataset a file holds, as its path says ("...Actual..." or
 * "...Amortized...", any case; a file named for both, or neither, is
 * UNKNOWN and read as a complete dataset on its own). */
enum ct_azure_dataset { CT_AZURE_UNKNOWN, CT_AZURE_ACTUAL, CT_AZURE_AMORTIZED };
enum ct_azure_dataset ct_azure_dataset_of(const char *path);

/* The Azure state of one ingest run: the (billing account, month) keys
 * read from amortized files so far. */
struct ct_azure_run;
/* @return new, empty run state (free with ct_azure_run_free()). */
struct ct_azure_run *ct_azure_run_new(void);
/* Free; NULL is allowed. */
void ct_azure_run_free(struct ct_azure_run *run);

/**
 * Does this header row look like Azure cost details? It must have a cost
 * (CostInBillingCurrency, Cost or PreTaxCost), a date (Date or
 * UsageDateTime) and a subscription or billing account column.
 *
 * @param label  set to "azure-ea", "azure-mca" or "azure-payg" (static).
 */
bool ct_azure_detect(const struct ct_csv_rec *hdr, const char **label);

/**
 * Read every row after the header and hand it to ing. An actual-cost file
 * whose (billing account, month) an amortized file of the same run has
 * already loaded contributes only its commitment purchases and refunds:
 * the amortized file has the rest (Microsoft's FOCUS conversion rule).
 * Read amortized files first (the ingest command orders them so).
 *
 * @param path  the file's path, for the dataset (borrowed).
 * @param run   borrowed; the reader adds to it.
 * @return CT_OK, or CT_E_INPUT naming the file and line, or the store's
 *         error.
 */
int ct_azure_read(struct ct_ingest *ing, struct ct_csv *csv,
		  const struct ct_csv_rec *hdr, const char *path,
		  struct ct_azure_run *run, struct ct_err *err);

#endif
