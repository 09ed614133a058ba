/*
 * csv.c - a streaming RFC 4180 CSV reader.
 *
 * Depends on stream.c for bytes. One buffer of max_rec + a block, made
 * once: records are cut out of it in place and the unread tail slides to
 * the front before the next read, so memory does not grow with the file.
 * Never prints; errors name the stream and the line.
 *
 * How a record is read: a scan walks the buffered bytes from the start of
 * the record and notes where each field begins and ends, without writing
 * anything. If the buffer ends before the record does, the scan is thrown
 * away, more bytes are read and the record is scanned again from its
 * start (so the buffer can move freely). Only when the whole record has
 * been seen are doubled quotes collapsed and the NUL terminators written.
 *
 * Speed: the scan does not look at every byte. It classifies 64 bytes at
 * a time into a bit mask of the five bytes that matter (NUL, LF, CR, '"'
 * and ','; SSE2 where available, else eight bytes at a time in plain C)
 * and hops from set bit to set bit, so a field costs a few instructions
 * whatever its length. A NUL kept just past the buffered bytes always
 * ends the hopping; a NUL found before that point is bad input.
 *
 * Choices the RFC leaves open: a quote inside an unquoted field is data;
 * a CR not followed by LF is data (outside quotes too), except at the
 * very end of the input; a record with no bytes before its line end is
 * a blank line and yields nothing.
 */
#include "ct.h"
#include "csv.h"
#include "stream.h"

#if defined(__SSE2__) && !defined(CT_CSV_NO_SIMD)
#include <emmintrin.h>
#define CSV_SSE2 1
#endif

#ifndef CT_CSV_BLOCK
#define CT_CSV_BLOCK (1u << 20) /* tests and fuzzing may shrink it */
#endif
#define BLOCK ((size_t)CT_CSV_BLOCK) /* normal read size: 1 MiB */
#define PAD 64           /* zeroed bytes after the sentinel for wide loads */

enum { SCAN_MORE = 0, SCAN_REC = 1, SCAN_END = 2 };

struct ct_csv {
	struct ct_stream *in;
	char *buf;          /* cap + 1 (sentinel) + PAD bytes */
	size_t cap;         /* max_rec + 1 + BLOCK */
	size_t max_rec;
	size_t start;       /* first byte of the next record in buf */
	size_t len;         /* bytes held in buf; buf[len] == '\0' */
	long line;          /* physical line of buf[start] */
	bool eof;           /* the stream has ended */
	bool started;       /* the byte order mark has been looked for */
	bool more_in_quote; /* the last scan ran out inside quotes */
	int failed;         /* sticky status after an error, 0 none */
	struct ct_err saved;
	char **field;
	size_t *flen;
	unsigned char *quoted; /* bit 0: quoted, bit 1: has "" to collapse */
};

static inline unsigned ctz64(uint64_t x)
{
#if defined(__GNUC__)
	return (unsigned)__builtin_ctzll(x);
#else
	unsigned n = 0;

	while (!(x & 1)) {
		x >>= 1;
		n++;
	}
	return n;
#endif
}

#ifndef CSV_SSE2
/* High bit of each byte of v that equals the byte in every lane of pat. */
static inline uint64_t bytes_equal(uint64_t v, uint64_t pat)
{
	const uint64_t low7 = UINT64_C(0x7f7f7f7f7f7f7f7f);
	uint64_t x = v ^ pat;

	/* x's byte is zero exactly where they match; no borrows between
	 * bytes, so the answer is exact. */
	return ~(((x & low7) + low7) | x | low7);
}

static inline unsigned classify8(const char *p)
{
	const uint64_t ones = UINT64_C(0x0101010101010101);
	uint64_t v, m;

	memcpy(&v, p, sizeof(v));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	m = bytes_equal(v, 0) | bytes_equal(v, ones * '\n') |
	    bytes_equal(v, ones * '\r') | bytes_equal(v, ones * '"') |
	    bytes_equal(v, ones * ',');
	/* Gather the eight high bits into one byte, byte i to bit i. */
	return (unsigned)(((m >> 7) * UINT64_C(0x0102040810204080)) >> 56);
}
#endif

/* Bit i set when p[i] is NUL, LF, CR, '"' or ',' (i < 64). */
static inline uint64_t classify(const char *p)
{
	uint64_t r = 0;
	unsigned i;

#ifdef CSV_SSE2
	const __m128i nul = _mm_setzero_si128();
	const __m128i lf = _mm_set1_epi8('\n');
	const __m128i cr = _mm_set1_epi8('\r');
	const __m128i quote = _mm_set1_epi8('"');
	const __m128i comma = _mm_set1_epi8(',');

	for (i = 0; i < 4; i++) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)
						    (p + 16 * i));
		__m128i m = _mm_or_si128(
			_mm_or_si128(_mm_cmpeq_epi8(v, nul),
				     _mm_cmpeq_epi8(v, lf)),
			_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, cr),
						  _mm_cmpeq_epi8(v, quote)),
				     _mm_cmpeq_epi8(v, comma)));

		r |= (uint64_t)(unsigned)_mm_movemask_epi8(m) << (16 * i);
	}
#else
	for (i = 0; i < 8; i++)
		r |= (uint64_t)classify8(p + 8 * i) << (8 * i);
#endif
	return r;
}

struct ct_csv *ct_csv_open(struct ct_stream *in, size_t max_rec)
{
	struct ct_csv *c = ct_xcalloc(1, sizeof(*c));

	c->in = in;
	c->max_rec = max_rec ? max_rec : CT_CSV_MAX_RECORD;
	if (c->max_rec > SIZE_MAX / 4)
		c->max_rec = SIZE_MAX / 4; /* no wrap below; calloc says no */
	c->cap = c->max_rec + 1 + BLOCK;
	/* calloc: the sentinel and the padding start out as zeros. */
	c->buf = ct_xcalloc(1, c->cap + 1 + PAD);
	c->line = 1;
	c->field = ct_xmalloc(CT_CSV_MAX_FIELDS * sizeof(*c->field));
	c->flen = ct_xmalloc(CT_CSV_MAX_FIELDS * sizeof(*c->flen));
	c->quoted = ct_xmalloc(CT_CSV_MAX_FIELDS);
	return c;
}

static int fail(struct ct_csv *c, struct ct_err *err, long line,
		const char *fmt, ...) CT_PRINTF(4, 5);

static int fail(struct ct_csv *c, struct ct_err *err, long line,
		const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ct_err_set(&c->saved, CT_E_INPUT, ct_stream_name(c->in), line, "%s",
		   msg);
	c->failed = CT_E_INPUT;
	if (err)
		*err = c->saved;
	return CT_E_INPUT;
}

/* Collapse each "" of a quoted field to ". Returns the new length. */
static size_t unescape(char *f, size_t n)
{
	char *r = memchr(f, '"', n), *w, *end = f + n;

	if (!r)
		return n;
	for (w = r; r < end; r++) {
		if (*r == '"')
			r++; /* the first of a pair; the scan saw both */
		*w++ = *r;
	}
	return (size_t)(w - f);
}

/*
 * Hop to the next special byte: s = its address. mask holds the special
 * bytes of the 64 at blk that have not been hopped over yet; every special
 * byte is visited in order, so the mask never holds one behind the scan.
 * The sentinel NUL at the end of the buffer stops the loop.
 */
#define NEXT_SPECIAL()                                                         \
	do {                                                                   \
		while (!mask) {                                                \
			blk += 64;                                             \
			mask = classify(blk);                                  \
		}                                                              \
		s = blk + ctz64(mask);                                         \
		mask &= mask - 1;                                              \
	} while (0)

/*
 * Scan one record from c->start. Returns SCAN_REC (rec filled, start and
 * line moved past it), SCAN_MORE (the buffer ends inside the record; only
 * blank lines were consumed), SCAN_END, or a negative status.
 */
static int scan(struct ct_csv *c, struct ct_csv_rec *rec, struct ct_err *err)
{
	char *const base = c->buf;
	char *const end = base + c->len;
	char **const field = c->field;
	size_t *const flen = c->flen;
	unsigned char *const quoted = c->quoted;
	const bool eof = c->eof;
	char *p = base + c->start;
	char *rs, *rec_end, *f, *s, *blk;
	long line = c->line, rec_line, q_line;
	size_t nf = 0, i;
	uint64_t mask;
	unsigned char q;

	/* Blank lines. */
	for (;;) {
		if (*p == '\n') {
			p++;
			line++;
		} else if (*p == '\r' && p[1] == '\n') {
			p += 2;
			line++;
		} else if (*p == '\r' && p + 1 == end && eof) {
			p++;
		} else {
			break;
		}
	}
	c->start = (size_t)(p - base);
	c->line = line;
	if (p == end)
		return eof ? SCAN_END : SCAN_MORE;
	c->more_in_quote = false;
	rs = p;
	rec_line = line;
	blk = p;
	mask = classify(blk);

	for (;;) {
		if (nf == CT_CSV_MAX_FIELDS)
			return fail(c, err, rec_line, "more than %d fields",
				    CT_CSV_MAX_FIELDS);
		if (*p != '"') {
			/* The fast path: unquoted text, left where it is. */
			f = p;
			for (;;) {
				NEXT_SPECIAL();
				if (*s == ',' || *s == '\n' || *s == '\0')
					break;
				if (*s == '"')
					continue; /* data here */
				/* CR */
				if (s[1] == '\n')
					break;
				if (s + 1 == end) {
					if (!eof)
						return SCAN_MORE;
					break;
				}
				/* a lone CR is data */
			}
			field[nf] = f;
			flen[nf] = (size_t)(s - f);
			quoted[nf++] = 0;
			p = s + 1;
			switch (*s) {
			case ',':
				continue;
			case '\n':
				rec_end = s;
				line++;
				goto done;
			case '\r':
				rec_end = s;
				if (*p == '\n') {
					p++;
					line++;
				}
				goto done;
			default: /* NUL */
				if (s != end)
					return fail(c, err, line, "NUL byte");
				if (!eof)
					return SCAN_MORE;
				rec_end = p = s;
				goto done;
			}
		}

		/* A quoted field: its text runs to the next lone quote. */
		NEXT_SPECIAL(); /* the opening quote: s == p */
		q_line = line;
		f = p + 1;
		q = 1;
		for (;;) {
			NEXT_SPECIAL();
			if (*s == '"') {
				if (s[1] == '"') {
					q = 3;
					NEXT_SPECIAL();
					continue;
				}
				break; /* a "" cut by the buffer end: see below */
			}
			if (*s == '\n') {
				line++;
				continue;
			}
			if (*s != '\0')
				continue; /* comma or CR: data here */
			if (s != end)
				return fail(c, err, line, "NUL byte");
			if (!eof) {
				c->more_in_quote = true;
				return SCAN_MORE;
			}
			return fail(c, err, q_line,
				    "unterminated quoted field at end of input");
		}
		field[nf] = f;
		flen[nf] = (size_t)(s - f);
		quoted[nf++] = q;
		p = s + 1;
		switch (*p) {
		case ',':
			NEXT_SPECIAL(); /* the comma: s == p */
			p++;
			continue;
		case '\n':
			rec_end = p++;
			line++;
			goto done;
		case '\r':
			if (p[1] == '\n') {
				rec_end = p;
				p += 2;
				line++;
				goto done;
			}
			if (p + 1 == end) {
				if (!eof)
					return SCAN_MORE;
				rec_end = p++;
				goto done;
			}
			break;
		case '\0':
			if (p != end)
				return fail(c, err, line, "NUL byte");
			if (!eof)
				return SCAN_MORE; /* or a "" cut in two */
			rec_end = p;
			goto done;
		default:
			break;
		}
		return fail(c, err, line,
			    "unexpected text after closing quote in field %zu",
			    nf);
	}

done:
	if ((size_t)(rec_end - rs) > c->max_rec)
		return fail(c, err, rec_line, "record longer than %zu bytes",
			    c->max_rec);
	for (i = 0; i < nf; i++) {
		if (quoted[i] & 2) {
			flen[i] = unescape(field[i], flen[i]);
			quoted[i] = 1;
		}
		field[i][flen[i]] = '\0';
	}
	rec->n = nf;
	rec->field = field;
	rec->len = flen;
	rec->quoted = quoted;
	rec->line = rec_line;
	c->start = (size_t)(p - base);
	c->line = line;
	return SCAN_REC;
}

/* Slide the unread bytes to the front and read more. 0 or a status. */
static int refill(struct ct_csv *c, struct ct_err *err)
{
	size_t keep = c->len - c->start, want;
	long got;

	if (c->start) {
		memmove(c->buf, c->buf + c->start, keep);
		c->start = 0;
		c->len = keep;
	}
	/* Normally a block; a long record grows the reads geometrically so
	 * that it is rescanned only a few times. */
	want = keep > BLOCK ? keep : BLOCK;
	if (want > c->cap - c->len)
		want = c->cap - c->len;
	got = ct_stream_read(c->in, c->buf + c->len, want, err);
	if (got < 0) {
		c->failed = (int)got;
		if (err)
			c->saved = *err;
		else
			ct_err_set(&c->saved, (int)got, ct_stream_name(c->in),
				   0, "read error");
		return (int)got;
	}
	if (got == 0)
		c->eof = true;
	c->len += (size_t)got;
	c->buf[c->len] = '\0';
	return CT_OK;
}

int ct_csv_next(struct ct_csv *c, struct ct_csv_rec *rec, struct ct_err *err)
{
	int rc;

	if (c->failed) {
		if (err)
			*err = c->saved;
		return c->failed;
	}
	if (!c->started) {
		while (c->len < 3 && !c->eof) {
			rc = refill(c, err);
			if (rc < 0)
				return rc;
		}
		if (c->len >= 3 && !memcmp(c->buf, "\xef\xbb\xbf", 3))
			c->start = 3;
		c->started = true;
	}
	for (;;) {
		rc = scan(c, rec, err);
		if (rc == SCAN_REC)
			return 1;
		if (rc == SCAN_END)
			return 0;
		if (rc < 0)
			return rc;
		/* SCAN_MORE: start is at the record (or a split CR LF). */
		if (c->len - c->start > c->max_rec + 1)
			return fail(c, err, c->line,
				    "record longer than %zu bytes%s",
				    c->max_rec,
				    c->more_in_quote ?
					    " (unbalanced quote?)" : "");
		rc = refill(c, err);
		if (rc < 0)
			return rc;
	}
}

struct ct_stream *ct_csv_stream(struct ct_csv *c)
{
	return c->in;
}

void ct_csv_close(struct ct_csv *c)
{
	if (!c)
		return;
	ct_stream_close(c->in);
	free(c->buf);
	free(c->field);
	free(c->flen);
	free(c->quoted);
	free(c);
}
