/*
 * s3.h - s3://bucket/prefix sources: AWS credentials and region (the
 * environment, ~/.aws/credentials and ~/.aws/config), ListObjectsV2 with
 * pagination and its XML answer, and the local mirror of a prefix that
 * `cloudtally ingest` reads like a folder.
 *
 * Depends on http.h for every request (signed with AWS Signature V4
 * there) and on sha256.h for cache file names. Never prints; credentials
 * never appear in an error, a file name or the cache.
 *
 * Cache: objects are kept in ${XDG_CACHE_HOME:-$HOME/.cache}/cloudtally/s3/
 * under the SHA-256 of (endpoint, bucket) and of the key, each body with
 * the ETag it was listed with. An object whose listed ETag matches the
 * cached copy's is not downloaded again; the cached copy is still read,
 * because a restated (provider, account, period) replaces the old lines,
 * so every file of the prefix must take part in every ingest. When the
 * cache folder cannot be made, every object is downloaded.
 */
#ifndef CT_SRC_S3_H
#define CT_SRC_S3_H

#include "ct.h"

struct ct_http_opts;

#define CT_S3_KEY_MAX 1024	   /* bytes of an object key (S3's own limit) */
#define CT_S3_OBJECTS_MAX 1000000  /* objects of one listing */
#define CT_S3_LIST_MAX (16u << 20) /* bytes of one ListObjectsV2 page */

/* Credentials and region; every string new (owned by the struct). */
struct ct_s3_creds {
	char *access_key;
	char *secret_key;
	char *session_token; /* NULL when none */
	char *region;
};

/**
 * Load credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with
 * AWS_SESSION_TOKEN) when both are set, else the profile AWS_PROFILE
 * (default "default") of AWS_SHARED_CREDENTIALS_FILE (default
 * ~/.aws/credentials). Region: AWS_REGION, AWS_DEFAULT_REGION, the
 * profile's region in AWS_CONFIG_FILE (default ~/.aws/config), else
 * us-east-1.
 *
 * @param c  filled on success; release with ct_s3_creds_release().
 * @return CT_OK, or CT_E_USAGE when no credentials are found (the
 *         message says where cloudtally looked, never a secret).
 */
int ct_s3_creds_load(struct ct_s3_creds *c, struct ct_err *err);
/* Free the contents of c (secrets are wiped first) and zero it. */
void ct_s3_creds_release(struct ct_s3_creds *c);

/**
 * Split s3://BUCKET[/KEY-OR-PREFIX].
 *
 * @param bucket, prefix  on success: new strings (caller frees); prefix
 *                        "" when none.
 * @return CT_OK, or CT_E_USAGE for a malformed URL.
 */
int ct_s3_parse_url(const char *src, char **bucket, char **prefix, struct ct_err *err);

/* One listed object; strings owned by the listing. */
struct ct_s3_object {
	char *key;
	char *etag; /* as listed, quotes included; "" when none */
	uint64_t size;
};

struct ct_s3_listing {
	struct ct_s3_object *v; /* owned */
	size_t n, cap;
	bool truncated; /* IsTruncated of the last page */
	char *next;	/* NextContinuationToken of the last page; owned */
};

/**
 * Parse one ListObjectsV2 answer and append its objects to out (Key,
 * ETag, Size of each Contents; IsTruncated; NextContinuationToken),
 * XML entities and character references unescaped.
 *
 * @param shown  the redacted URL for errors (borrowed).
 * @return CT_OK, or CT_E_NET for an answer that is not a listing
 *         (malformed, a key over CT_S3_KEY_MAX, too many objects).
 */
int ct_s3_parse_listing(const char *xml, size_t len, const char *shown, struct ct_s3_listing *out,
			struct ct_err *err);
/* Free the contents of l and zero it; NULL is allowed. */
void ct_s3_listing_release(struct ct_s3_listing *l);

/* What ct_s3_fetch() did. */
struct ct_s3_stats {
	long listed;  /* objects taken from the listing */
	long fetched; /* downloaded */
	long cached;  /* read from the cache, unchanged (same ETag) */
	long skipped; /* keys that cannot be a local path (".." etc.) */
};

/**
 * Mirror the objects of an s3:// source into a new temporary folder:
 * for s3://bucket/KEY the one object KEY when it exists, else (and for a
 * prefix ending in '/') every object under KEY/ whose name ends in .csv,
 * .csv.gz, .json or .json.gz, each at TMP/KEY. New or changed objects
 * (ETag) are downloaded, others come from the cache (see the top).
 *
 * @param endpoint  --endpoint-url (path-style URL/bucket/key), or NULL for
 *                  AWS (https://BUCKET.s3.REGION.amazonaws.com/KEY).
 * @param o         limits and progress of each object's download, or NULL
 *                  for the defaults (borrowed; see http.h).
 * @param dir       on success: new string, the temporary folder (the
 *                  caller removes it with ct_s3_remove_tree()); NULL on
 *                  failure (nothing is left behind).
 * @param root      on success: new string, what to read: TMP/KEY for one
 *                  object, else the folder TMP/PREFIX.
 * @return CT_OK, CT_E_USAGE (bad URL, no credentials), CT_E_INPUT (no
 *         object), CT_E_NET (errors name the object's s3:// URL), CT_E_IO.
 */
int ct_s3_fetch(const char *src, const char *endpoint, const struct ct_http_opts *o, char **dir,
		char **root, struct ct_s3_stats *stats, struct ct_err *err);

/* Remove a folder made by ct_s3_fetch() with everything in it. */
void ct_s3_remove_tree(const char *dir);

#endif
