/*
 * embed.c - lookup in the table of files compiled into the binary.
 */
#include "ct.h"
#include "embed.h"

const struct ct_embed *ct_embed_find(const char *name)
{
	for (const struct ct_embed *e = ct_embedded; e->name; e++)
		if (!strcmp(e->name, name))
			return e;
	return NULL;
}
