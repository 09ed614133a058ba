/*
 * embed.h - files compiled into the binary at build time (data/embed.sh):
 * the SQL schema steps and the bundled sample month for `cloudtally demo`.
 */
#ifndef CT_SRC_EMBED_H
#define CT_SRC_EMBED_H

#include "ct.h"

struct ct_embed {
	const char *name;          /* "schema/0001_init.sql", "sample/..." */
	const unsigned char *data; /* the bytes, followed by one NUL */
	size_t len;                /* byte count without the NUL */
};

/* The table, ended by an entry whose name is NULL. */
extern const struct ct_embed ct_embedded[];

/* Find an embedded file by name; NULL when there is none (borrowed). */
const struct ct_embed *ct_embed_find(const char *name);

#endif
