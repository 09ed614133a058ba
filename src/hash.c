/*
 * hash.c - 64-bit hashing and a key -> value map (see hash.h).
 *
 * The hash reads 8 bytes at a time and mixes with multiply/xor-shift
 * rounds (the same family as MurmurHash64 and SplitMix64 finalisers),
 * written from the published constants. Good enough that a 64-bit
 * collision between two distinct billing profiles is negligible (about
 * 1 in 10^7 for a million profiles).
 */
#include "ct.h"
#include "hash.h"

#define M1 UINT64_C(0x9e3779b97f4a7c15)
#define M2 UINT64_C(0xbf58476d1ce4e5b9)
#define M3 UINT64_C(0x94d049bb133111eb)

static uint64_t fmix(uint64_t z)
{
	z = (z ^ (z >> 30)) * M2;
	z = (z ^ (z >> 27)) * M3;
	return z ^ (z >> 31);
}

uint64_t ct_hash_u64(uint64_t h, uint64_t v)
{
	return fmix(h ^ (v + M1 + (h << 6) + (h >> 2)));
}

uint64_t ct_hash_bytes(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = seed ^ (n * M1);
	uint64_t w;

	while (n >= 8) {
		memcpy(&w, s, 8);
		h = (h ^ fmix(w * M1)) * M2;
		h ^= h >> 29;
		s += 8;
		n -= 8;
	}
	w = 0;
	for (size_t i = 0; i < n; i++)
		w |= (uint64_t)s[i] << (8 * i);
	h = (h ^ fmix((w + n) * M1)) * M3;
	return fmix(h);
}

void ct_hash_map_init(struct ct_hash_map *m)
{
	m->cap = 1024;
	m->n = 0;
	m->keys = ct_xcalloc(m->cap, sizeof(*m->keys));
	m->vals = ct_xcalloc(m->cap, sizeof(*m->vals));
}

void ct_hash_map_release(struct ct_hash_map *m)
{
	free(m->keys);
	free(m->vals);
	m->keys = NULL;
	m->vals = NULL;
	m->cap = m->n = 0;
}

static uint64_t fix_key(uint64_t k)
{
	return k ? k : M1; /* 0 marks empty slots */
}

bool ct_hash_map_get(const struct ct_hash_map *m, uint64_t key, int64_t *val)
{
	size_t mask = m->cap - 1;
	size_t i;

	key = fix_key(key);
	for (i = fmix(key) & mask; m->keys[i]; i = (i + 1) & mask) {
		if (m->keys[i] == key) {
			*val = m->vals[i];
			return true;
		}
	}
	return false;
}

static void put_raw(uint64_t *keys, int64_t *vals, size_t cap, uint64_t key,
		    int64_t val, size_t *n)
{
	size_t mask = cap - 1;
	size_t i;

	for (i = fmix(key) & mask; keys[i]; i = (i + 1) & mask) {
		if (keys[i] == key) {
			vals[i] = val;
			return;
		}
	}
	keys[i] = key;
	vals[i] = val;
	(*n)++;
}

void ct_hash_map_put(struct ct_hash_map *m, uint64_t key, int64_t val)
{
	key = fix_key(key);
	if ((m->n + 1) * 4 > m->cap * 3) {
		size_t ncap = m->cap * 2, nn = 0;
		uint64_t *nk = ct_xcalloc(ncap, sizeof(*nk));
		int64_t *nv = ct_xcalloc(ncap, sizeof(*nv));
		for (size_t i = 0; i < m->cap; i++)
			if (m->keys[i])
				put_raw(nk, nv, ncap, m->keys[i], m->vals[i], &nn);
		free(m->keys);
		free(m->vals);
		m->keys = nk;
		m->vals = nv;
		m->cap = ncap;
		m->n = nn;
	}
	put_raw(m->keys, m->vals, m->cap, key, val, &m->n);
}
