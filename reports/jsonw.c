/*
 * jsonw.c - the streaming JSON writer shared by the renderers (see
 * jsonw.h). Writes only to the FILE * it is given.
 */
#include "ct.h"
#include "jsonw.h"
#include "render.h"
#include "money.h"

#include <assert.h>

void ct_jsonw_put_string(FILE *out, const char *s)
{
	uint32_t cp;

	putc('"', out);
	while ((cp = ct_render_utf8_next(&s)) != 0) {
		switch (cp) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\b':
			fputs("\\b", out);
			break;
		case '\f':
			fputs("\\f", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (cp < 0x20)
				fprintf(out, "\\u%04x", (unsigned)cp);
			else
				ct_render_put_utf8(out, cp);
		}
	}
	putc('"', out);
}

static void newline(struct ct_jsonw *w)
{
	int i;

	putc('\n', w->out);
	for (i = 0; i < w->depth; i++)
		fputs("  ", w->out);
}

/* Before a value: nothing after a key, else a separator and the indent. */
static void value_start(struct ct_jsonw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth == 0)
		return;
	if (!w->empty[w->depth - 1])
		putc(',', w->out);
	w->empty[w->depth - 1] = false;
	newline(w);
}

/* Write an object key; keys of one object must come in strcmp order. */
void ct_jsonw_key(struct ct_jsonw *w, const char *k)
{
	assert(w->depth > 0 && !w->after_key);
	assert(!w->last[w->depth - 1] || strcmp(w->last[w->depth - 1], k) < 0);
	w->last[w->depth - 1] = k;
	value_start(w);
	ct_jsonw_put_string(w->out, k);
	fputs(": ", w->out);
	w->after_key = true;
}

void ct_jsonw_open(struct ct_jsonw *w, char c)
{
	value_start(w);
	putc(c, w->out);
	assert(w->depth < CT_JSONW_DEPTH);
	w->empty[w->depth] = true;
	w->last[w->depth] = NULL;
	w->depth++;
}

void ct_jsonw_close(struct ct_jsonw *w, char c)
{
	assert(w->depth > 0 && !w->after_key);
	w->depth--;
	if (!w->empty[w->depth])
		newline(w);
	putc(c, w->out);
}

void ct_jsonw_raw(struct ct_jsonw *w, const char *text)
{
	value_start(w);
	fputs(text, w->out);
}

/* A string value; NULL is written as null. */
void ct_jsonw_string(struct ct_jsonw *w, const char *s)
{
	if (!s) {
		ct_jsonw_raw(w, "null");
		return;
	}
	value_start(w);
	ct_jsonw_put_string(w->out, s);
}

void ct_jsonw_money(struct ct_jsonw *w, int64_t m)
{
	char num[48];
	char *dot;
	size_t n;

	ct_money_format(m, 9, false, num, sizeof(num));
	dot = strchr(num, '.');
	n = strlen(num);
	while (dot && n > (size_t)(dot - num) + 3 && num[n - 1] == '0')
		num[--n] = '\0';
	ct_jsonw_raw(w, num);
}
