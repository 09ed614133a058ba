/*
 * sha256.c - SHA-256 after FIPS 180-4 section 6.2, and HMAC after
 * RFC 2104 (see sha256.h). Portable C: the message schedule reads bytes
 * big-endian by hand, so the host's byte order does not matter.
 *
 * Depends on nothing but libc; never allocates, never prints. Key
 * material is wiped from the stack before returning.
 */
#include "ct.h"
#include "sha256.h"

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2,
};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define CH(x, y, z) (((x) & (y)) ^ (~(x) & (z)))
#define MAJ(x, y, z) (((x) & (y)) ^ ((x) & (z)) ^ ((y) & (z)))
#define BSIG0(x) (ROTR(x, 2) ^ ROTR(x, 13) ^ ROTR(x, 22))
#define BSIG1(x) (ROTR(x, 6) ^ ROTR(x, 11) ^ ROTR(x, 25))
#define SSIG0(x) (ROTR(x, 7) ^ ROTR(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (ROTR(x, 17) ^ ROTR(x, 19) ^ ((x) >> 10))

/* Process one 64-byte block. */
static void block(uint32_t h[8], const unsigned char *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, k, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (; i < 64; i++)
		w[i] = SSIG1(w[i - 2]) + w[i - 7] + SSIG0(w[i - 15]) + w[i - 16];
	a = h[0];
	b = h[1];
	c = h[2];
	d = h[3];
	e = h[4];
	f = h[5];
	g = h[6];
	k = h[7];
	for (i = 0; i < 64; i++) {
		t1 = k + BSIG1(e) + CH(e, f, g) + K[i] + w[i];
		t2 = BSIG0(a) + MAJ(a, b, c);
		k = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	h[5] += f;
	h[6] += g;
	h[7] += k;
}

void ct_sha256_init(struct ct_sha256 *c)
{
	static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
				       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

	memcpy(c->h, iv, sizeof(iv));
	c->bytes = 0;
	c->nbuf = 0;
}

void ct_sha256_update(struct ct_sha256 *c, const void *p, size_t n)
{
	const unsigned char *s = p;

	if (!n)
		return;
	c->bytes += n;
	if (c->nbuf) {
		size_t take = CT_SHA256_BLOCK - c->nbuf;

		if (take > n)
			take = n;
		memcpy(c->buf + c->nbuf, s, take);
		c->nbuf += take;
		s += take;
		n -= take;
		if (c->nbuf < CT_SHA256_BLOCK)
			return;
		block(c->h, c->buf);
		c->nbuf = 0;
	}
	for (; n >= CT_SHA256_BLOCK; s += CT_SHA256_BLOCK, n -= CT_SHA256_BLOCK)
		block(c->h, s);
	if (n) {
		memcpy(c->buf, s, n);
		c->nbuf = n;
	}
}

void ct_sha256_final(struct ct_sha256 *c, unsigned char out[CT_SHA256_LEN])
{
	uint64_t bits = c->bytes * 8;
	int i;

	/* 0x80, zeros up to 56 mod 64, the length in bits big-endian */
	c->buf[c->nbuf++] = 0x80;
	if (c->nbuf > CT_SHA256_BLOCK - 8) {
		memset(c->buf + c->nbuf, 0, CT_SHA256_BLOCK - c->nbuf);
		block(c->h, c->buf);
		c->nbuf = 0;
	}
	memset(c->buf + c->nbuf, 0, CT_SHA256_BLOCK - 8 - c->nbuf);
	for (i = 0; i < 8; i++)
		c->buf[CT_SHA256_BLOCK - 1 - i] = (unsigned char)(bits >> (8 * i));
	block(c->h, c->buf);
	for (i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(c->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)c->h[i];
	}
	memset(c, 0, sizeof(*c));
}

void ct_sha256(const void *p, size_t n, unsigned char out[CT_SHA256_LEN])
{
	struct ct_sha256 c;

	ct_sha256_init(&c);
	ct_sha256_update(&c, p, n);
	ct_sha256_final(&c, out);
}

/* Overwrite n bytes in a way the compiler may not drop. */
static void wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n--)
		*v++ = 0;
}

void ct_sha256_hmac(const void *key, size_t klen, const void *msg, size_t n,
		    unsigned char out[CT_SHA256_LEN])
{
	unsigned char k[CT_SHA256_BLOCK] = {0};
	unsigned char pad[CT_SHA256_BLOCK];
	unsigned char inner[CT_SHA256_LEN];
	struct ct_sha256 c;
	int i;

	if (klen > CT_SHA256_BLOCK)
		ct_sha256(key, klen, k);
	else if (klen)
		memcpy(k, key, klen);
	for (i = 0; i < CT_SHA256_BLOCK; i++)
		pad[i] = k[i] ^ 0x36;
	ct_sha256_init(&c);
	ct_sha256_update(&c, pad, sizeof(pad));
	ct_sha256_update(&c, msg, n);
	ct_sha256_final(&c, inner);
	for (i = 0; i < CT_SHA256_BLOCK; i++)
		pad[i] = k[i] ^ 0x5c;
	ct_sha256_init(&c);
	ct_sha256_update(&c, pad, sizeof(pad));
	ct_sha256_update(&c, inner, sizeof(inner));
	ct_sha256_final(&c, out);
	wipe(k, sizeof(k));
	wipe(pad, sizeof(pad));
	wipe(inner, sizeof(inner));
}

char *ct_sha256_hex(const unsigned char d[CT_SHA256_LEN], char out[CT_SHA256_HEX])
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < CT_SHA256_LEN; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[2 * CT_SHA256_LEN] = '\0';
	return out;
}
