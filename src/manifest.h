/*
 * manifest.h - AWS billing delivery layouts on disk: which data files of
 * a folder are the current delivery, as the report's manifest says.
 *
 * Legacy CUR: <prefix>/<report>/<yyyymmdd-yyyymmdd>/ holds
 * <report>-Manifest.json naming the current assembly's files
 * (reportKeys), next to <assemblyId>/ folders of this and earlier
 * assemblies. CUR 2.0 (Data Exports): <prefix>/<export>/ holds
 * metadata/BILLING_PERIOD=YYYY-MM/<export>-Manifest.json naming the data
 * files (dataFiles) under data/BILLING_PERIOD=YYYY-MM/. A folder synced
 * from S3 keeps that layout, and these functions turn it into the list
 * of files to read: the current assembly and only it.
 */
#ifndef CT_SRC_MANIFEST_H
#define CT_SRC_MANIFEST_H

#include "ct.h"

#define CT_MANIFEST_MAX (16u << 20) /* a larger manifest is bad input */

/**
 * If dir is a delivery folder (a legacy period folder with a manifest,
 * or a CUR 2.0 export folder with a metadata/ folder of manifests),
 * select what to read in it: the data files the manifests name, in their
 * order, and for CUR 2.0 the data/BILLING_PERIOD=... folders that have
 * no manifest (to read as plain folders).
 *
 * @param paths  set to a new array of new strings (free each, then the
 *               array) when the folder is a delivery folder.
 * @return 1 and the selection; 0 when dir is not a delivery folder; or a
 *         negative status: CT_E_INPUT for a manifest that is not one, that
 *         names a file that is not there (an incomplete download), or
 *         Parquet or ZIP files; several assemblies with no manifest to
 *         say which is current; CT_E_IO when a folder cannot be read.
 */
int ct_manifest_select(const char *dir, char ***paths, size_t *n,
		       struct ct_err *err);

/**
 * The same for one manifest file named on its own (a legacy
 * <report>-Manifest.json, or a CUR 2.0 one under metadata/).
 *
 * @return 1 and the data files it names; 0 when path is not a file
 *         named *-Manifest.json or Manifest.json; or a negative status as
 *         above.
 */
int ct_manifest_expand(const char *path, char ***paths, size_t *n,
		       struct ct_err *err);

#endif
