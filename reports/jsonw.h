/*
 * jsonw.h - a small streaming JSON writer for the renderers: keys in
 * strcmp order (checked), 2-space indent, strings escaped per RFC 8259
 * with invalid UTF-8 replaced, and numbers written as given, so money can
 * be exact to the nano-dollar (jansson has no raw-number API).
 */
#ifndef CT_REPORTS_JSONW_H
#define CT_REPORTS_JSONW_H

#include "ct.h"

#define CT_JSONW_DEPTH 8

/* Where the writer is in the document. Zero it, then set out. */
struct ct_jsonw {
	FILE *out;                        /* borrowed */
	int depth;                        /* open containers */
	bool empty[CT_JSONW_DEPTH];       /* container has no member yet */
	const char *last[CT_JSONW_DEPTH]; /* last key written (borrowed) */
	bool after_key;                   /* a key was written, its value next */
};

/* A JSON string literal of s (UTF-8; invalid bytes become U+FFFD). */
void ct_jsonw_put_string(FILE *out, const char *s);
/* An object key; the keys of one object must come in strcmp order. */
void ct_jsonw_key(struct ct_jsonw *w, const char *k);
/* Open '{' or '[' / close '}' or ']' a container. */
void ct_jsonw_open(struct ct_jsonw *w, char c);
void ct_jsonw_close(struct ct_jsonw *w, char c);
/* A value written as given (a number, true, false, null). */
void ct_jsonw_raw(struct ct_jsonw *w, const char *text);
/* Money in dollars, exact to the nano-dollar, trailing zeros trimmed to
 * two decimals (12.50, 0.000000400). */
void ct_jsonw_money(struct ct_jsonw *w, int64_t m);
/* A string value; NULL is written as null. */
void ct_jsonw_string(struct ct_jsonw *w, const char *s);

#endif
