/*
 * csv.h - a streaming RFC 4180 CSV reader.
 *
 * Reads records one at a time from a ct_stream with a fixed-size buffer,
 * so memory does not grow with the file. Handles a UTF-8 byte order mark,
 * LF and CRLF line ends, quoted fields with doubled quotes, commas and
 * line breaks inside, and a last line without a line end. A record longer
 * than the cap (default CT_CSV_MAX_RECORD) is bad input, not a reason to
 * grow. Field text is unescaped in place and NUL-terminated; a field that
 * contains a NUL byte is bad input.
 */
#ifndef CT_SRC_CSV_H
#define CT_SRC_CSV_H

#include "ct.h"

struct ct_stream;

#define CT_CSV_MAX_RECORD (16u << 20) /* 16 MiB: a longer record is bad input */
#define CT_CSV_MAX_FIELDS 4096        /* more fields is bad input */

/* One record. All pointers are borrowed and valid until the next
 * ct_csv_next() or ct_csv_close(). */
struct ct_csv_rec {
	size_t n;              /* number of fields */
	char **field;          /* field[i]: NUL-terminated, unescaped text */
	size_t *len;           /* len[i]: byte length of field[i] */
	unsigned char *quoted; /* quoted[i]: 1 when the field was quoted */
	long line;             /* 1-based line number where the record starts */
};

struct ct_csv;

/**
 * Start reading CSV from in.
 *
 * @param in       takes: closed by ct_csv_close().
 * @param max_rec  longest record accepted in bytes (0: CT_CSV_MAX_RECORD).
 * @return new reader; never NULL.
 */
struct ct_csv *ct_csv_open(struct ct_stream *in, size_t max_rec);

/**
 * Read the next record.
 *
 * @param rec  filled on success; its pointers are borrowed (see above).
 * @return 1 when a record was read, 0 at the end of input, or a negative
 *         status with err naming the stream and the line: CT_E_INPUT for
 *         an unterminated quote, a record over the cap, too many fields,
 *         a NUL byte, or stray text after a closing quote; the stream's
 *         own errors as they come.
 */
int ct_csv_next(struct ct_csv *c, struct ct_csv_rec *rec, struct ct_err *err);

/* The underlying stream (borrowed), e.g. for progress and checksum. */
struct ct_stream *ct_csv_stream(struct ct_csv *c);

/* Close the reader and its stream; NULL is allowed. */
void ct_csv_close(struct ct_csv *c);

#endif
