/*
 * manifest.c - AWS billing delivery layouts on disk (see manifest.h).
 *
 * Depends on Jansson for the manifests and the file system for folders;
 * it reads no billing data and never touches the store.
 *
 * Decisions:
 *   - A legacy period folder's own manifest is the word on which
 *     assembly is current (AWS overwrites it with each delivery; the
 *     copies inside the assembly folders never change). Its reportKeys
 *     are S3 keys; the part after the period folder's name is the path
 *     inside the local period folder.
 *   - Without that manifest, one assembly folder with a manifest is
 *     taken as current; several are refused rather than guessed: reading
 *     an old assembly would silently restate the month with stale data.
 *   - A file the manifest names but the folder lacks is an incomplete
 *     download: an error, so nothing is read rather than part of a month.
 *   - Parquet and ZIP deliveries are refused by name with the setting to
 *     change (cloudtally reads CSV, plain or gzip).
 */
#include "ct.h"
#include "manifest.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <sys/stat.h>

struct list {
	char **v;
	size_t n, cap;
};

static void list_add(struct list *l, char *s /* takes */)
{
	CT_GROW(l->v, l->n + 1, l->cap);
	l->v[l->n++] = s;
}

static void list_free(struct list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

static bool is_manifest_name(const char *base)
{
	return ends_with(base, "-Manifest.json") || !strcmp(base, "Manifest.json");
}

static const char *base_of(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static bool is_dir(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static bool is_file(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* yyyymmdd-yyyymmdd */
static bool is_period_name(const char *s)
{
	if (strlen(s) != 17 || s[8] != '-')
		return false;
	for (int i = 0; i < 17; i++)
		if (i != 8 && (s[i] < '0' || s[i] > '9'))
			return false;
	return true;
}

/* dir without trailing slashes joined with name (new string). */
static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	return ct_xasprintf("%.*s/%s", (int)n, dir, name);
}

/* The entries of dir, sorted (new list of new names). */
static int entries(const char *dir, struct list *out, struct ct_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return ct_err_set(err, CT_E_IO, dir, 0, "cannot open folder: %s",
				  strerror(errno));
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			list_add(out, ct_xstrdup(e->d_name));
	closedir(d);
	qsort(out->v, out->n, sizeof(*out->v), cmp_str);
	return CT_OK;
}

/* Read and parse a manifest (new JSON object). */
static json_t *load(const char *path, struct ct_err *err)
{
	json_error_t je;
	json_t *root;
	struct stat sb;

	if (stat(path, &sb) != 0) {
		ct_err_set(err, CT_E_IO, path, 0, "cannot read: %s", strerror(errno));
		return NULL;
	}
	if ((uint64_t)sb.st_size > CT_MANIFEST_MAX) {
		ct_err_set(err, CT_E_INPUT, path, 0, "manifest larger than %u MiB",
			   CT_MANIFEST_MAX >> 20);
		return NULL;
	}
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		ct_err_set(err, CT_E_INPUT, path, je.line > 0 ? je.line : 0,
			   "not a JSON manifest: %s", je.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		ct_err_set(err, CT_E_INPUT, path, 0, "not a JSON manifest: not an object");
		return NULL;
	}
	return root;
}

/* Refuse what cloudtally cannot read, by name. */
static int check_kind(const char *manifest, const char *key, struct ct_err *err)
{
	if (ends_with(key, ".parquet") || ends_with(key, ".snappy.parquet"))
		return ct_err_set(err, CT_E_INPUT, manifest, 0,
				  "the report is delivered as Parquet (%s); cloudtally "
				  "reads CSV: set the report's format to CSV (gzip)",
				  base_of(key));
	if (ends_with(key, ".zip"))
		return ct_err_set(err, CT_E_INPUT, manifest, 0,
				  "the report is ZIP-compressed (%s); cloudtally reads "
				  "plain or gzip CSV: set the compression to GZIP",
				  base_of(key));
	return CT_OK;
}

/* The local path of S3 key (or s3:// URI) key: the part after the path
 * component 'anchor' (its last occurrence), under local folder 'under'.
 * With no such component, the key's last component. */
static char *local_path(const char *key, const char *anchor, const char *under)
{
	size_t al = strlen(anchor);
	const char *rest = NULL;

	for (const char *p = key; (p = strstr(p, anchor)) != NULL; p++)
		if ((p == key || p[-1] == '/') && p[al] == '/')
			rest = p + al + 1;
	if (!rest || !*rest)
		rest = base_of(key);
	return join(under, rest);
}

/* Add the files a manifest names: "reportKeys" (legacy) or "dataFiles"
 * (CUR 2.0). anchor and under place them on disk (see local_path()). */
static int add_named(const char *manifest, const char *anchor,
		     const char *under, struct list *out, struct ct_err *err)
{
	json_t *root = load(manifest, err), *keys;
	size_t i;
	json_t *k;
	int rc = CT_OK;

	if (!root)
		return err ? err->code : CT_E_INPUT;
	keys = json_object_get(root, "reportKeys");
	if (!keys)
		keys = json_object_get(root, "dataFiles");
	if (!json_is_array(keys)) {
		rc = ct_err_set(err, CT_E_INPUT, manifest, 0,
				"the manifest has no list of report files "
				"(reportKeys or dataFiles)");
		goto out;
	}
	json_array_foreach(keys, i, k) {
		char *path;
		if (!json_is_string(k)) {
			rc = ct_err_set(err, CT_E_INPUT, manifest, 0,
					"report file %zu of the manifest is not a string", i + 1);
			goto out;
		}
		if ((rc = check_kind(manifest, json_string_value(k), err)) != CT_OK)
			goto out;
		path = local_path(json_string_value(k), anchor, under);
		if (!is_file(path)) {
			rc = ct_err_set(err, CT_E_INPUT, manifest, 0,
					"the manifest names %s, which is not here: an "
					"incomplete download? (nothing was read)", path);
			free(path);
			goto out;
		}
		list_add(out, path);
	}
out:
	json_decref(root);
	return rc;
}

/* A legacy period folder: its own manifests, else the one assembly's. */
static int select_period(const char *dir, struct list *out, struct ct_err *err)
{
	struct list names = {0};
	const char *period = base_of(dir);
	char *assembly = NULL;
	int found = 0, assemblies = 0, rc;

	if ((rc = entries(dir, &names, err)) != CT_OK)
		goto out;
	for (size_t i = 0; i < names.n; i++) {
		char *p = join(dir, names.v[i]);
		if (is_manifest_name(names.v[i]) && is_file(p)) {
			rc = add_named(p, period, dir, out, err);
			found++;
		}
		free(p);
		if (rc != CT_OK)
			goto out;
	}
	if (found) {
		rc = 1;
		goto out;
	}
	/* no current manifest: look in the assembly folders */
	for (size_t i = 0; i < names.n; i++) {
		char *sub = join(dir, names.v[i]);
		struct list inner = {0};
		if (is_dir(sub) && entries(sub, &inner, NULL) == CT_OK) {
			for (size_t k = 0; k < inner.n; k++) {
				if (!is_manifest_name(inner.v[k]))
					continue;
				assemblies++;
				free(assembly);
				assembly = join(sub, inner.v[k]);
				break;
			}
		}
		list_free(&inner);
		free(sub);
	}
	if (assemblies == 0) {
		rc = 0;
	} else if (assemblies > 1) {
		rc = ct_err_set(err, CT_E_INPUT, dir, 0,
				"%d assemblies and no %s-Manifest.json to say which "
				"is current; sync the period folder's manifest too",
				assemblies, "<report>");
	} else {
		rc = add_named(assembly, period, dir, out, err);
		if (rc == CT_OK)
			rc = 1;
	}
out:
	free(assembly);
	list_free(&names);
	return rc;
}

/* A CUR 2.0 export folder: manifests under metadata/, data under data/. */
static int select_export(const char *dir, struct list *out, struct ct_err *err)
{
	char *meta = join(dir, "metadata"), *data = join(dir, "data");
	struct list periods = {0}, dperiods = {0};
	int rc, any = 0;

	rc = entries(meta, &periods, err);
	if (rc != CT_OK)
		goto out;
	for (size_t i = 0; i < periods.n && rc == CT_OK; i++) {
		char *pdir = join(meta, periods.v[i]);
		char *under = join(data, periods.v[i]);
		struct list files = {0};
		if (!strncmp(periods.v[i], "BILLING_PERIOD=", 15) && is_dir(pdir) &&
		    entries(pdir, &files, NULL) == CT_OK) {
			for (size_t k = 0; k < files.n && rc == CT_OK; k++) {
				char *m = join(pdir, files.v[k]);
				if (is_manifest_name(files.v[k]) && is_file(m)) {
					rc = add_named(m, periods.v[i], under, out, err);
					any = 1;
				}
				free(m);
			}
		}
		list_free(&files);
		free(pdir);
		free(under);
	}
	if (rc != CT_OK)
		goto out;
	/* data periods no manifest speaks for are read as plain folders */
	if (is_dir(data) && entries(data, &dperiods, err) == CT_OK) {
		for (size_t i = 0; i < dperiods.n; i++) {
			char *m = join(meta, dperiods.v[i]);
			bool has = false;
			struct list files = {0};
			if (is_dir(m) && entries(m, &files, NULL) == CT_OK)
				for (size_t k = 0; k < files.n; k++)
					has = has || is_manifest_name(files.v[k]);
			list_free(&files);
			free(m);
			if (!has)
				list_add(out, join(data, dperiods.v[i]));
		}
	}
	rc = any ? 1 : 0;
out:
	list_free(&periods);
	list_free(&dperiods);
	free(meta);
	free(data);
	return rc;
}

static int give(struct list *l, int rc, char ***paths, size_t *n)
{
	if (rc == 1) {
		*paths = l->v;
		*n = l->n;
		return 1;
	}
	list_free(l);
	*paths = NULL;
	*n = 0;
	return rc;
}

int ct_manifest_select(const char *dir, char ***paths, size_t *n,
		       struct ct_err *err)
{
	struct list out = {0};
	char *meta = join(dir, "metadata");
	int rc = 0;

	if (is_period_name(base_of(dir)))
		rc = select_period(dir, &out, err);
	else if (is_dir(meta))
		rc = select_export(dir, &out, err);
	free(meta);
	return give(&out, rc, paths, n);
}

int ct_manifest_expand(const char *path, char ***paths, size_t *n,
		       struct ct_err *err)
{
	struct list out = {0};
	char *dir, *parent = NULL;
	const char *folder;
	int rc = 0;

	if (!is_manifest_name(base_of(path)) || !is_file(path))
		return give(&out, 0, paths, n);
	dir = base_of(path) == path ? ct_xstrdup(".") :
	      ct_xstrndup(path, (size_t)(base_of(path) - path - 1));
	folder = base_of(dir);
	if (!strncmp(folder, "BILLING_PERIOD=", 15)) {
		/* <export>/metadata/BILLING_PERIOD=X/: data is in ../../data/X */
		char *up = join(dir, "../../data");
		char *under = join(up, folder);
		rc = add_named(path, folder, under, &out, err);
		free(up);
		free(under);
	} else {
		/* legacy: the period folder, or an assembly folder in it */
		const char *anchor = folder;
		char *under = ct_xstrdup(dir);
		if (!is_period_name(folder) && strrchr(dir, '/')) {
			parent = ct_xstrndup(dir, (size_t)(strrchr(dir, '/') - dir));
			if (is_period_name(base_of(parent))) {
				anchor = base_of(parent);
				free(under);
				under = ct_xstrdup(parent);
			}
		}
		rc = add_named(path, anchor, under, &out, err);
		free(under);
	}
	free(parent);
	free(dir);
	return give(&out, rc == CT_OK ? 1 : rc, paths, n);
}
