/*
 * fuzz_s3.c - libFuzzer harness for the ListObjectsV2 reader
 * (ct_s3_parse_listing() in src/s3.c). The input is one answer, parsed
 * twice into the same listing (as pages are). Any input parses or fails
 * with CT_E_NET naming the URL; every key parsed is NUL-terminated, at
 * most CT_S3_KEY_MAX bytes, free of control characters other than tab;
 * a truncated page always has a continuation token. Never a crash, leak
 * or other status.
 */
#include "ct.h"
#include "s3.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_s3_listing l = {0};
	struct ct_err err;
	char *xml = ct_xmalloc(size + 1);

	memcpy(xml, data, size);
	xml[size] = '\0';
	for (int round = 0; round < 2; round++) {
		int rc;

		ct_err_init(&err);
		rc = ct_s3_parse_listing(xml, size, "s3://b/", &l, &err);
		if (rc != CT_OK) {
			if (rc != CT_E_NET || strcmp(err.source, "s3://b/"))
				abort();
			break;
		}
		if (l.truncated && (!l.next || !*l.next))
			abort();
		for (size_t i = 0; i < l.n; i++) {
			size_t n = strlen(l.v[i].key);

			if (n == 0 || n > CT_S3_KEY_MAX || !l.v[i].etag)
				abort();
			for (size_t k = 0; k < n; k++)
				if ((unsigned char)l.v[i].key[k] < 0x20 && l.v[i].key[k] != '\t')
					abort();
		}
	}
	ct_s3_listing_release(&l);
	free(xml);
	return 0;
}
