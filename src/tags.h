/*
 * tags.h - tag sets of billing lines: reading the ways providers write
 * them and writing the one FOCUS form, a JSON object of scalar values.
 *
 * Providers encode tags as columns (AWS CUR resourceTags/user:Team,
 * OCI tags/ns.key), as JSON objects (CUR 2.0 resource_tags, Azure Tags),
 * as JSON objects without their outer braces (older Azure exports), and
 * as arrays of {"key": ..., "value": ...} (GCP labels). Some exports went
 * through Python and carry its repr instead of JSON (single quotes, None,
 * True, False): the readers here accept that too. A set keeps the first
 * of two equal keys, so the JSON it writes never repeats a key (the store
 * rejects repeated keys). Pure memory work, no I/O; a reader thread may
 * use its own set.
 */
#ifndef CT_SRC_TAGS_H
#define CT_SRC_TAGS_H

#include "ct.h"

#define CT_TAGS_MAX_TEXT (1u << 20) /* a longer tag set is bad input */

/* Key prefixes to drop when adding: AWS writes user-defined cost
 * allocation tags as "user:Team" (CUR) or "user_team" (CUR 2.0). */
#define CT_TAGS_STRIP_USER 1u

struct ct_tags {
	char *buf;      /* "{" and the pairs so far, as JSON text */
	size_t len, cap;
	char *keys;     /* the keys added, as decoded text, back to back */
	size_t klen, kcap;
	size_t *kend;   /* end offset in keys of each key */
	size_t n, ncap;
	char *tmp;      /* scratch for decoded strings */
	size_t tmpcap;
};

/* Fill a caller-owned set (empty). */
void ct_tags_init(struct ct_tags *t);
/* Free what the set holds; the struct can be initialised again. */
void ct_tags_release(struct ct_tags *t);
/* Empty the set, keeping its memory. */
void ct_tags_reset(struct ct_tags *t);

/* Add one pair with a string value (raw UTF-8 text; escaped here). A key
 * already in the set, or an empty key, is skipped. */
void ct_tags_add(struct ct_tags *t, const char *key, size_t klen,
		 const char *val, size_t vlen, unsigned flags);

/**
 * Add the pairs of an object written as JSON, with or without its outer
 * braces, or as a Python dict repr. Null values are left out; strings,
 * numbers, true and false are kept.
 *
 * @return CT_OK, or CT_E_INPUT when the text is not such an object (a
 *         nested object or array as a value is bad input too); the pairs
 *         before the error may have been added.
 */
int ct_tags_add_object(struct ct_tags *t, const char *s, size_t len,
		       unsigned flags);

/**
 * Add the pairs of an array of {"key": K, "value": V} objects (GCP
 * labels), JSON or Python repr. An empty text or "[]" adds nothing.
 *
 * @return CT_OK or CT_E_INPUT (see ct_tags_add_object()).
 */
int ct_tags_add_kv_array(struct ct_tags *t, const char *s, size_t len,
			 unsigned flags);

/**
 * Find the string value of key in an object as ct_tags_add_object()
 * reads it (for a single field of a CUR 2.0 map column).
 *
 * @param out  set to the decoded value (borrowed from t until its next
 *             use), NULL when absent, null or not a string.
 * @return CT_OK or CT_E_INPUT.
 */
int ct_tags_find(struct ct_tags *t, const char *s, size_t len,
		 const char *key, const char **out, size_t *outlen);

/**
 * Decode the quoted string (JSON, or Python with either quote) that
 * starts at *p, which must be its opening quote. JSON and Python escapes
 * are understood; an escaped lone surrogate becomes U+FFFD.
 *
 * @param out  receives the text; it needs end - *p bytes (decoded text is
 *             never longer than its quoted form).
 * @return CT_OK with *p past the closing quote and *len set, or
 *         CT_E_INPUT (no closing quote, a bad escape).
 */
int ct_tags_unquote(const char **p, const char *end, char *out, size_t *len);

/* The set as a JSON object (borrowed until the set changes), or NULL
 * when it is empty. */
const char *ct_tags_json(struct ct_tags *t, size_t *len);

#endif
