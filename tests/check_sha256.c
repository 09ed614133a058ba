/*
 * check_sha256.c - SHA-256 and HMAC-SHA256 (src/sha256.c) against the
 * published test vectors: the FIPS 180-4 examples (NIST CSRC "Examples
 * with intermediate values": "abc", the 448- and 896-bit messages, one
 * million 'a'), the empty message, RFC 4231 test cases 1-7, and lengths
 * around the padding boundaries (55, 56, 63, 64 ... bytes; digests from
 * Python's hashlib). Every message is also fed in pieces of every size,
 * so the buffering of partial blocks is covered.
 */
#include "ct.h"
#include "sha256.h"
#include "testlib.h"

static void hex_of(const unsigned char *d, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[2 * n] = '\0';
}

static const struct {
	const char *msg;
	const char *digest;
} fips[] = {
	{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
	{"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqr"
	 "lmnopqrsmnopqrstnopqrstu",
	 "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
};

START_TEST(test_fips)
{
	const char *m = fips[_i].msg;
	unsigned char d[CT_SHA256_LEN];
	char hex[CT_SHA256_HEX];
	size_t n = strlen(m);

	ct_sha256(m, n, d);
	ck_assert_str_eq(ct_sha256_hex(d, hex), fips[_i].digest);
	/* the same message in pieces of every size */
	for (size_t step = 1; step <= n; step++) {
		struct ct_sha256 c;

		ct_sha256_init(&c);
		for (size_t at = 0; at < n; at += step)
			ct_sha256_update(&c, m + at, n - at < step ? n - at : step);
		ct_sha256_final(&c, d);
		ck_assert_msg(!strcmp(ct_sha256_hex(d, hex), fips[_i].digest),
			      "message %d in pieces of %zu", _i, step);
	}
}
END_TEST

START_TEST(test_million_a)
{
	static char chunk[1000];
	struct ct_sha256 c;
	unsigned char d[CT_SHA256_LEN];
	char hex[CT_SHA256_HEX];

	memset(chunk, 'a', sizeof(chunk));
	ct_sha256_init(&c);
	for (int i = 0; i < 1000; i++)
		ct_sha256_update(&c, chunk, sizeof(chunk));
	ct_sha256_final(&c, d);
	ck_assert_str_eq(ct_sha256_hex(d, hex),
			 "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

/* byte i of the boundary messages is (7i + 3) mod 256 */
static const struct {
	size_t n;
	const char *digest;
} bounds[] = {
	{55, "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b"},
	{56, "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27"},
	{57, "35df609437dcfea3279283ab79fd554e2bf78f8f7ae2de532d8ee300b09e8f73"},
	{63, "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055"},
	{64, "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241"},
	{65, "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e"},
	{119, "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e"},
	{120, "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5"},
	{128, "d2742f1f4ac6bb7ca2b239ee18402ba8b3f9f8e652d2a72973c2b9ba11c08cf6"},
};

START_TEST(test_boundaries)
{
	unsigned char m[128], d[CT_SHA256_LEN];
	char hex[CT_SHA256_HEX];
	size_t n = bounds[_i].n;

	for (size_t i = 0; i < n; i++)
		m[i] = (unsigned char)((i * 7 + 3) & 255);
	ct_sha256(m, n, d);
	ck_assert_str_eq(ct_sha256_hex(d, hex), bounds[_i].digest);
	for (size_t cut = 0; cut <= n; cut++) {
		struct ct_sha256 c;

		ct_sha256_init(&c);
		ct_sha256_update(&c, m, cut);
		ct_sha256_update(&c, NULL, 0);
		ct_sha256_update(&c, m + cut, n - cut);
		ct_sha256_final(&c, d);
		ck_assert_msg(!strcmp(ct_sha256_hex(d, hex), bounds[_i].digest),
			      "%zu bytes cut at %zu", n, cut);
	}
}
END_TEST

/* RFC 4231 section 4: key and data as (byte, count) runs or text. */
static const struct {
	unsigned char kbyte;
	size_t klen; /* 0: key is ktext */
	const char *ktext;
	unsigned char dbyte;
	size_t dlen; /* 0: data is dtext */
	const char *dtext;
	size_t outlen; /* bytes compared (test case 5 truncates) */
	const char *mac;
} rfc4231[] = {
	{0x0b, 20, NULL, 0, 0, "Hi There", 32,
	 "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
	{0, 0, "Jefe", 0, 0, "what do ya want for nothing?", 32,
	 "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
	{0xaa, 20, NULL, 0xdd, 50, NULL, 32,
	 "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
	{0, 25, NULL, 0xcd, 50, NULL, 32, /* key 0x01 .. 0x19 */
	 "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
	{0x0c, 20, NULL, 0, 0, "Test With Truncation", 16, "a3b6167473100ee06e0c796c2955552b"},
	{0xaa, 131, NULL, 0, 0, "Test Using Larger Than Block-Size Key - Hash Key First", 32,
	 "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
	{0xaa, 131, NULL, 0, 0,
	 "This is a test using a larger than block-size key and a larger than block-size "
	 "data. The key needs to be hashed before being used by the HMAC algorithm.",
	 32, "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
};

START_TEST(test_hmac_rfc4231)
{
	unsigned char key[131], data[64], mac[CT_SHA256_LEN];
	const unsigned char *k = key, *d = data;
	size_t klen = rfc4231[_i].klen, dlen = rfc4231[_i].dlen;
	char hex[CT_SHA256_HEX];

	if (rfc4231[_i].ktext) {
		k = (const unsigned char *)rfc4231[_i].ktext;
		klen = strlen(rfc4231[_i].ktext);
	} else if (_i == 3) {
		for (size_t i = 0; i < klen; i++)
			key[i] = (unsigned char)(i + 1);
	} else {
		memset(key, rfc4231[_i].kbyte, klen);
	}
	if (rfc4231[_i].dtext) {
		d = (const unsigned char *)rfc4231[_i].dtext;
		dlen = strlen(rfc4231[_i].dtext);
	} else {
		memset(data, rfc4231[_i].dbyte, dlen);
	}
	ct_sha256_hmac(k, klen, d, dlen, mac);
	hex_of(mac, rfc4231[_i].outlen, hex);
	ck_assert_str_eq(hex, rfc4231[_i].mac);
}
END_TEST

START_TEST(test_hmac_edges)
{
	unsigned char mac[CT_SHA256_LEN], key[64];
	char hex[CT_SHA256_HEX];

	/* empty key and message (Python: hmac.new(b"", b"", sha256)) */
	ct_sha256_hmac(NULL, 0, NULL, 0, mac);
	ck_assert_str_eq(ct_sha256_hex(mac, hex),
			 "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
	/* a key of exactly one block is used as it is, not hashed */
	memset(key, 'k', sizeof(key));
	ct_sha256_hmac(key, sizeof(key), "msg", 3, mac);
	ck_assert_str_eq(ct_sha256_hex(mac, hex),
			 "d62ad25bb128e96ab6ef43464aaf2bb91b5b85f013381e9ba6be747e8d0911b2");
}
END_TEST

static Suite *sha256_suite(void)
{
	Suite *s = suite_create("sha256");
	TCase *tc = tcase_create("sha256");

	tcase_add_loop_test(tc, test_fips, 0, CT_NELEM(fips));
	tcase_add_test(tc, test_million_a);
	tcase_add_loop_test(tc, test_boundaries, 0, CT_NELEM(bounds));
	suite_add_tcase(s, tc);
	tc = tcase_create("hmac");
	tcase_add_loop_test(tc, test_hmac_rfc4231, 0, CT_NELEM(rfc4231));
	tcase_add_test(tc, test_hmac_edges);
	suite_add_tcase(s, tc);
	return s;
}

CT_TEST_MAIN(sha256_suite)
