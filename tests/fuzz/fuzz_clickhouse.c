/*
 * fuzz_clickhouse.c - libFuzzer harness for the ClickHouse client's input
 * parsers (src/clickhouse.c): the store URL (ct_ch_parse()) and
 * TabSeparated result rows (ct_ch_tsv_row()). The input is tried as a URL
 * (after "clickhouse://") and as a result body. A URL parses or fails
 * with CT_E_USAGE; a parsed URL's shown form starts with clickhouse://
 * and never contains the password. Rows are walked to the end without
 * reading past it: every field lies inside the body, and each call
 * consumes at least one byte. Never a crash, leak or hang.
 */
#include "ct.h"
#include "clickhouse.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_err err;
	struct ct_ch *ch;
	char *url = ct_xmalloc(size + 14), *body = ct_xmalloc(size + 1);
	char *p, *end, *f[16];
	size_t n;

	memcpy(url, "clickhouse://", 13);
	memcpy(url + 13, data, size);
	url[size + 13] = '\0';
	ct_err_init(&err);
	unsetenv("CLICKHOUSE_PASSWORD");
	ch = ct_ch_parse(url, &err);
	if (!ch && err.code != CT_E_USAGE)
		abort();
	if (ch) {
		const char *at = strchr(url + 13, '@'), *colon;
		if (strncmp(ct_ch_shown(ch), "clickhouse://", 13) || ct_ch_hosts(ch) == 0)
			abort();
		/* a plain (unescaped) password is never shown after the user */
		colon = at ? memchr(url + 13, ':', (size_t)(at - url - 13)) : NULL;
		if (colon && at - colon > 4 && !memchr(colon, '%', (size_t)(at - colon)) &&
		    !memchr(colon, '@', (size_t)(at - colon)) && !memchr(colon, '/', (size_t)(at - colon))) {
			char pw[64];
			size_t k = (size_t)(at - colon - 1);
			if (k + 2 < sizeof(pw)) {
				pw[0] = ':';
				memcpy(pw + 1, colon + 1, k);
				pw[k + 1] = '@';
				pw[k + 2] = '\0';
				if (strstr(ct_ch_shown(ch), pw))
					abort();
			}
		}
		ct_ch_close(ch);
	}
	memcpy(body, data, size);
	body[size] = '\0';
	p = body;
	end = body + size;
	while (p < end) {
		char *before = p;
		n = ct_ch_tsv_row(&p, end, f, CT_NELEM(f));
		if (n == 0 || p <= before || p > end)
			abort();
		for (size_t i = 0; i < n; i++)
			if (f[i] && (f[i] < body || f[i] > end))
				abort();
	}
	free(url);
	free(body);
	return 0;
}
