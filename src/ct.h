/*
 * ct.h - the common header: included first by every .c file in src/,
 * pricing/, reports/ and tests/.
 *
 * It brings config.h, the standard headers every file uses, the status
 * codes, the caller-owned error record, the allocation wrappers and the
 * money type. It depends on nothing but libc and must stay free of any
 * library header (sqlite3, curl, jansson ...).
 */
#ifndef CT_H
#define CT_H

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Status codes. 0 is success; every failure is negative. main() maps them
 * to the documented exit statuses with ct_err_exit_status(). */
enum ct_status {
	CT_OK = 0,
	CT_E_THRESHOLD = -1, /* a --fail-above style threshold was exceeded */
	CT_E_USAGE = -2,     /* bad options or arguments */
	CT_E_INPUT = -3,     /* malformed input file */
	CT_E_DB = -4,        /* SQLite error */
	CT_E_NET = -5,       /* network / HTTP error */
	CT_E_IO = -6,        /* file system error */
	CT_E_NOPRICE = -7,   /* no price known for what was asked */
	CT_E_INTERNAL = -70, /* a bug */
};

/* Where and why something failed. Filled by ct_err_set(); source and line
 * name the input position when there is one (line 0 = no line). */
struct ct_err {
	int code;         /* enum ct_status */
	char source[512]; /* file or URL, "" when none */
	long line;        /* 1-based input line, 0 when none */
	char msg[768];    /* lower-case message, no final full stop */
};

#define CT_NELEM(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define CT_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define CT_NORETURN __attribute__((noreturn))
#else
#define CT_PRINTF(f, a)
#define CT_NORETURN
#endif

/* Record an error in err (which may be NULL) and return code. */
int ct_err_set(struct ct_err *err, int code, const char *source, long line,
	       const char *fmt, ...) CT_PRINTF(5, 6);

/**
 * A field of bad input as an error message shows it: at most cap - 1
 * bytes (cap >= 8), cut with "..." when longer, control characters as '?'.
 *
 * @param s  len bytes, borrowed; buf receives the text.
 * @return buf.
 */
const char *ct_err_snippet(const char *s, size_t len, char *buf, size_t cap);
/* Clear an error record. */
void ct_err_init(struct ct_err *err);
/* The process exit status for a status code (0, 1, 2, 3, 4, 5, 6, 70). */
int ct_err_exit_status(int code);
/* Write "cloudtally: error: SOURCE:LINE: MSG" to stderr. The one reporter. */
void ct_err_report(const struct ct_err *err);
/* Write "cloudtally: warning: ..." to stderr unless quiet. */
void ct_warn(const char *fmt, ...) CT_PRINTF(1, 2);
/* Print "cloudtally: fatal: ..." and exit 70. */
CT_NORETURN void ct_die(const char *fmt, ...) CT_PRINTF(1, 2);
/* Verbosity: -1 quiet, 0 normal, 1 verbose. Set once by main(). */
extern int ct_verbosity;

/* Allocation: out of memory ends the process with exit status 70. */
void *ct_xmalloc(size_t n);
void *ct_xcalloc(size_t n, size_t size);
void *ct_xrealloc(void *p, size_t n);
char *ct_xstrdup(const char *s);
char *ct_xstrndup(const char *s, size_t n);
char *ct_xasprintf(const char *fmt, ...) CT_PRINTF(1, 2);

/* Grow an array to hold at least need elements: ALLOC_GROW (git). */
#define CT_GROW(ptr, need, cap)                                                \
	do {                                                                   \
		if ((size_t)(need) > (cap)) {                                  \
			size_t ct_n_ = (cap) ? (cap)*2 : 16;                   \
			while (ct_n_ < (size_t)(need))                         \
				ct_n_ *= 2;                                    \
			(ptr) = ct_xrealloc((ptr), ct_n_ * sizeof(*(ptr)));    \
			(cap) = ct_n_;                                         \
		}                                                              \
	} while (0)

/* Money: int64 nano-dollars (1 USD = 10^9). See src/money.h. */
typedef int64_t ct_money;

#include "banned.h"

#endif
