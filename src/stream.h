/*
 * stream.h - a byte source: a plain or gzip-compressed file (or standard
 * input), read in large blocks.
 *
 * Gzip is detected from the magic bytes (1f 8b), not the file name, and
 * concatenated gzip members are read as one stream. A truncated or corrupt
 * gzip stream is CT_E_INPUT naming the file. The stream also keeps a
 * 64-bit checksum of the decompressed bytes (to recognise a file ingested
 * twice) and counts raw bytes read (for progress lines).
 */
#ifndef CT_SRC_STREAM_H
#define CT_SRC_STREAM_H

#include "ct.h"

struct ct_stream;

/**
 * Open path for reading ("-" is standard input).
 *
 * @return new stream (free with ct_stream_close()), or NULL with
 *         CT_E_IO in err when it cannot be opened.
 */
struct ct_stream *ct_stream_open(const char *path, struct ct_err *err);

/**
 * Read from memory instead of a file (embedded data): data is borrowed
 * and must outlive the stream; name is used in error messages.
 *
 * @return new stream; NULL only on a read error of the source (none for
 *         memory) with err set.
 */
struct ct_stream *ct_stream_open_mem(const char *name, const void *data,
				     size_t len, struct ct_err *err);

/**
 * Read up to n decompressed bytes into buf.
 *
 * @return bytes read (> 0), 0 at the end of the stream, or a negative
 *         status (CT_E_INPUT for a corrupt or truncated gzip stream,
 *         CT_E_IO for a read error) with details in err.
 */
long ct_stream_read(struct ct_stream *s, char *buf, size_t n,
		    struct ct_err *err);

/* The name given to ct_stream_open(), "<stdin>" for "-" (borrowed). */
const char *ct_stream_name(const struct ct_stream *s);
/* True when the underlying file is gzip-compressed. */
bool ct_stream_is_gzip(const struct ct_stream *s);
/* Raw (compressed) bytes consumed so far, and the file size (0 unknown). */
uint64_t ct_stream_raw_pos(const struct ct_stream *s);
uint64_t ct_stream_raw_size(const struct ct_stream *s);
/* Checksum of all decompressed bytes returned so far, as 16 hex digits
 * written to out (17 bytes). */
void ct_stream_checksum(const struct ct_stream *s, char out[17]);
/* Close and free; NULL is allowed. */
void ct_stream_close(struct ct_stream *s);

#endif
