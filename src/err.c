/*
 * err.c - the error record, the one error reporter and the exit-status table.
 *
 * Only this file and main.c write to stderr. Library code fills a
 * struct ct_err and returns a status.
 */
#include "ct.h"

#include <errno.h>
#include <unistd.h>

int ct_verbosity;

void ct_err_init(struct ct_err *err)
{
	if (!err)
		return;
	err->code = CT_OK;
	err->source[0] = '\0';
	err->line = 0;
	err->msg[0] = '\0';
}

int ct_err_set(struct ct_err *err, int code, const char *source, long line,
	       const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	snprintf(err->source, sizeof(err->source), "%s", source ? source : "");
	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

int ct_err_exit_status(int code)
{
	switch (code) {
	case CT_OK:
		return 0;
	case CT_E_THRESHOLD:
		return 1;
	case CT_E_USAGE:
		return 2;
	case CT_E_INPUT:
		return 3;
	case CT_E_DB:
		return 4;
	case CT_E_NET:
		return 5;
	case CT_E_IO:
		return 6;
	case CT_E_NOPRICE:
		return 3; /* the input names something without a price */
	default:
		return 70;
	}
}

void ct_err_report(const struct ct_err *err)
{
	const char *msg = err->msg[0] ? err->msg : "unknown error";

	if (err->source[0] && err->line > 0)
		fprintf(stderr, "cloudtally: error: %s:%ld: %s\n", err->source,
			err->line, msg);
	else if (err->source[0])
		fprintf(stderr, "cloudtally: error: %s: %s\n", err->source, msg);
	else
		fprintf(stderr, "cloudtally: error: %s\n", msg);
}

void ct_warn(const char *fmt, ...)
{
	va_list ap;

	if (ct_verbosity < 0)
		return;
	fputs("cloudtally: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void ct_die(const char *fmt, ...)
{
	va_list ap;

	fputs("cloudtally: fatal: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(70);
}

const char *ct_err_snippet(const char *s, size_t len, char *buf, size_t cap)
{
	if (len < cap - 4) {
		memcpy(buf, s, len);
		buf[len] = '\0';
	} else {
		memcpy(buf, s, cap - 4);
		memcpy(buf + cap - 4, "...", 4);
	}
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = '?';
	return buf;
}
