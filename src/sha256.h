/*
 * sha256.h - SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), for the
 * webhook signature header and the hashed delivery targets of the store.
 *
 * Pure functions over memory: no I/O, no allocation, no global state.
 * Written here rather than taken from a TLS library so cloudtally needs
 * no crypto dependency of its own; tests/check_sha256.c holds the FIPS
 * 180-4 and RFC 4231 test vectors.
 */
#ifndef CT_SRC_SHA256_H
#define CT_SRC_SHA256_H

#include "ct.h"

#define CT_SHA256_LEN 32   /* digest bytes */
#define CT_SHA256_HEX 65   /* hex digest with its NUL */
#define CT_SHA256_BLOCK 64 /* block bytes */

/* A running hash. Fill it with ct_sha256_init(); no release needed. */
struct ct_sha256 {
	uint32_t h[8];
	uint64_t bytes;			    /* message length so far */
	unsigned char buf[CT_SHA256_BLOCK]; /* a partial block */
	size_t nbuf;
};

/* Start a hash in the caller's c. */
void ct_sha256_init(struct ct_sha256 *c);

/* Add n bytes at p (borrowed; NULL is allowed when n is 0). */
void ct_sha256_update(struct ct_sha256 *c, const void *p, size_t n);

/* Finish: the digest into out. c must be initialised again for reuse. */
void ct_sha256_final(struct ct_sha256 *c, unsigned char out[CT_SHA256_LEN]);

/* The digest of n bytes at p, in one call. */
void ct_sha256(const void *p, size_t n, unsigned char out[CT_SHA256_LEN]);

/**
 * HMAC-SHA256 of the n bytes at msg with the klen bytes of key (a key
 * longer than a block is hashed first, as RFC 2104 says).
 */
void ct_sha256_hmac(const void *key, size_t klen, const void *msg, size_t n,
		    unsigned char out[CT_SHA256_LEN]);

/* A digest as 64 lower-case hex digits and a NUL. @return out. */
char *ct_sha256_hex(const unsigned char d[CT_SHA256_LEN], char out[CT_SHA256_HEX]);

#endif
