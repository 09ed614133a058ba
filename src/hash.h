/*
 * hash.h - a fast 64-bit hash of byte strings and an open-addressing map
 * from 64-bit keys to 64-bit values, for the ingest hot path (profile
 * dedup). Pure memory structures, no I/O.
 */
#ifndef CT_SRC_HASH_H
#define CT_SRC_HASH_H

#include "ct.h"

/* Hash n bytes of p, continuing from seed (pass 0 to start). */
uint64_t ct_hash_bytes(const void *p, size_t n, uint64_t seed);
/* Mix one 64-bit value into a hash. */
uint64_t ct_hash_u64(uint64_t h, uint64_t v);

struct ct_hash_map {
	uint64_t *keys; /* owned; 0 marks an empty slot (key 0 is remapped) */
	int64_t *vals;  /* owned */
	size_t cap;     /* power of two */
	size_t n;
};

void ct_hash_map_init(struct ct_hash_map *m);
void ct_hash_map_release(struct ct_hash_map *m);
/* Look key up. @return true and *val when present. */
bool ct_hash_map_get(const struct ct_hash_map *m, uint64_t key, int64_t *val);
/* Insert or replace key -> val. */
void ct_hash_map_put(struct ct_hash_map *m, uint64_t key, int64_t val);

#endif
