/*
 * xalloc.c - allocation wrappers that end the process on out of memory.
 *
 * A cron job that runs out of memory cannot do anything useful; callers
 * carry no NULL checks. Sizes that come from input are capped by the
 * readers, so a huge input is bad input, never a huge allocation.
 */
#include "ct.h"

void *ct_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		ct_die("out of memory allocating %zu bytes", n);
	return p;
}

void *ct_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		ct_die("out of memory allocating %zu x %zu bytes", n, size);
	return p;
}

void *ct_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		ct_die("out of memory allocating %zu bytes", n);
	return q;
}

char *ct_xstrdup(const char *s)
{
	return ct_xstrndup(s, strlen(s));
}

char *ct_xstrndup(const char *s, size_t n)
{
	char *p = ct_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *ct_xasprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		ct_die("bad format '%s'", fmt);
	p = ct_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
