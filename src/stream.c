/*
 * stream.c - a byte source: a plain or gzip-compressed file (or standard
 * input), read in large blocks.
 *
 * Depends on zlib and POSIX read(). Gzip is recognised by its magic bytes,
 * never by the file name; concatenated members are one stream, and a
 * member must follow a member directly (trailing garbage is corrupt
 * data). While bytes pass through, a 64-bit checksum of the decompressed
 * data is kept; it depends only on the bytes, not on how they were read.
 * Never prints; errors go into the caller's struct ct_err.
 */
#include "ct.h"
#include "stream.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#ifndef CT_STREAM_BLOCK
#define CT_STREAM_BLOCK (1u << 20) /* tests and fuzzing may shrink it */
#endif
#define RAW_BLOCK ((size_t)CT_STREAM_BLOCK) /* raw read size: 1 MiB */
#define MAX_CHUNK (1u << 30)  /* largest single read handed to the caller */

/*
 * The checksum: four independent 64-bit lanes eat 32-byte stripes, so the
 * multiplications of neighbouring words do not wait on each other. Bytes
 * that do not yet fill a stripe wait in pend[]; the finish step folds the
 * lanes, the waiting bytes and the total length through a final mixer.
 * Words are read little-endian, so the value is the same on every host.
 */
#define SUM_M1 UINT64_C(0x9e3779b97f4a7c15)
#define SUM_M2 UINT64_C(0xd6e8feb86659fd93)
#define SUM_M3 UINT64_C(0xbf58476d1ce4e5b9)
#define SUM_STRIPE 32

struct sum {
	uint64_t lane[4];
	uint64_t total;               /* bytes seen */
	unsigned char pend[SUM_STRIPE]; /* bytes of an incomplete stripe */
	unsigned npend;
};

struct ct_stream {
	char *name;
	int fd;
	bool own_fd;        /* false for standard input */
	bool gzip;
	bool raw_eof;       /* read() has returned 0 */
	bool member_end;    /* inflate finished a member */
	bool z_live;        /* inflateInit2 succeeded */
	int failed;         /* sticky status after an error, 0 none */
	unsigned char *raw; /* RAW_BLOCK bytes */
	size_t raw_off;     /* next unused byte in raw (plain mode) */
	size_t raw_len;     /* bytes held in raw */
	uint64_t raw_read;  /* bytes read from the file */
	uint64_t raw_size;
	z_stream z;
	struct sum sum;
	struct ct_err saved; /* the error that made the stream fail */
	const unsigned char *mem; /* memory source (borrowed), NULL: fd */
	size_t mem_len, mem_off;
};

/* Read up to n bytes from the source: the file descriptor or memory. */
static ssize_t source_read(struct ct_stream *s, void *buf, size_t n)
{
	size_t take;

	if (!s->mem)
		return read(s->fd, buf, n);
	take = s->mem_len - s->mem_off;
	if (take > n)
		take = n;
	memcpy(buf, s->mem + s->mem_off, take);
	s->mem_off += take;
	return (ssize_t)take;
}

static inline uint64_t rotl64(uint64_t x, unsigned r)
{
	return (x << r) | (x >> (64 - r));
}

static inline uint64_t load_le64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static inline uint64_t lane_step(uint64_t acc, uint64_t word)
{
	acc ^= word * SUM_M1;
	return rotl64(acc, 29) * SUM_M2;
}

static inline uint64_t mix_final(uint64_t x)
{
	x ^= x >> 31;
	x *= SUM_M3;
	x ^= x >> 29;
	x *= SUM_M2;
	x ^= x >> 32;
	return x;
}

static void sum_init(struct sum *s)
{
	s->lane[0] = UINT64_C(0x243f6a8885a308d3);
	s->lane[1] = UINT64_C(0x13198a2e03707344);
	s->lane[2] = UINT64_C(0xa4093822299f31d0);
	s->lane[3] = UINT64_C(0x082efa98ec4e6c89);
	s->total = 0;
	s->npend = 0;
}

static void sum_stripes(uint64_t lane[4], const unsigned char *p, size_t n)
{
	uint64_t a = lane[0], b = lane[1], c = lane[2], d = lane[3];

	for (; n >= SUM_STRIPE; n -= SUM_STRIPE, p += SUM_STRIPE) {
		a = lane_step(a, load_le64(p));
		b = lane_step(b, load_le64(p + 8));
		c = lane_step(c, load_le64(p + 16));
		d = lane_step(d, load_le64(p + 24));
	}
	lane[0] = a;
	lane[1] = b;
	lane[2] = c;
	lane[3] = d;
}

static void sum_update(struct sum *s, const unsigned char *p, size_t n)
{
	size_t whole;

	s->total += n;
	if (s->npend) {
		size_t take = SUM_STRIPE - s->npend;

		if (take > n)
			take = n;
		memcpy(s->pend + s->npend, p, take);
		s->npend += (unsigned)take;
		p += take;
		n -= take;
		if (s->npend < SUM_STRIPE)
			return;
		sum_stripes(s->lane, s->pend, SUM_STRIPE);
		s->npend = 0;
	}
	whole = n - n % SUM_STRIPE;
	sum_stripes(s->lane, p, whole);
	memcpy(s->pend, p + whole, n - whole);
	s->npend = (unsigned)(n - whole);
}

static uint64_t sum_finish(const struct sum *s)
{
	uint64_t h = s->total * SUM_M1;
	unsigned i = 0;

	h ^= mix_final(s->lane[0]);
	h = rotl64(h, 23) * SUM_M2 + mix_final(s->lane[1]);
	h = rotl64(h, 23) * SUM_M2 + mix_final(s->lane[2]);
	h = rotl64(h, 23) * SUM_M2 + mix_final(s->lane[3]);
	for (; i + 8 <= s->npend; i += 8)
		h = rotl64(h ^ mix_final(load_le64(s->pend + i)), 27) * SUM_M1;
	if (i < s->npend) {
		uint64_t w = 0;
		unsigned k;

		for (k = 0; i + k < s->npend; k++)
			w |= (uint64_t)s->pend[i + k] << (8 * k);
		h = rotl64(h ^ mix_final(w ^ ((uint64_t)k << 56)), 27) * SUM_M1;
	}
	return mix_final(h);
}

/* Record a failure once; later calls return the same status and text. */
static long fail(struct ct_stream *s, struct ct_err *err, int code,
		 const char *msg, const char *detail)
{
	ct_err_set(&s->saved, code, s->name, 0, "%s%s%s", msg,
		   detail ? ": " : "", detail ? detail : "");
	s->failed = code;
	if (err)
		*err = s->saved;
	return code;
}

/* Read more raw bytes after the first raw_len ones. 0 ok (raw_eof may
 * become true), or a negative status. */
static int fill_raw(struct ct_stream *s, struct ct_err *err)
{
	ssize_t r;

	do
		r = source_read(s, s->raw + s->raw_len, RAW_BLOCK - s->raw_len);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return (int)fail(s, err, CT_E_IO, "read error", strerror(errno));
	if (r == 0)
		s->raw_eof = true;
	s->raw_len += (size_t)r;
	s->raw_read += (uint64_t)r;
	return CT_OK;
}

/* Common to every source: the raw buffer and the gzip decision. */
static int start_source(struct ct_stream *s, struct ct_err *err)
{
	s->raw = ct_xmalloc(RAW_BLOCK);

	/* Two bytes decide the format; a pipe may hand them over one by one. */
	while (s->raw_len < 2 && !s->raw_eof)
		if (fill_raw(s, err) < 0)
			return CT_E_IO;
	if (s->raw_len >= 2 && s->raw[0] == 0x1f && s->raw[1] == 0x8b) {
		s->gzip = true;
		/* 15 + 16: a 32 KiB window, gzip wrapper only. */
		if (inflateInit2(&s->z, 15 + 16) != Z_OK)
			ct_die("cannot initialise zlib");
		s->z_live = true;
		s->z.next_in = s->raw;
		s->z.avail_in = (uInt)s->raw_len;
	}
	return CT_OK;
}

struct ct_stream *ct_stream_open_mem(const char *name, const void *data,
				     size_t len, struct ct_err *err)
{
	struct ct_stream *s = ct_xcalloc(1, sizeof(*s));

	s->name = ct_xstrdup(name);
	s->fd = -1;
	s->mem = data;
	s->mem_len = len;
	s->raw_size = len;
	sum_init(&s->sum);
	if (start_source(s, err) != CT_OK) {
		ct_stream_close(s);
		return NULL;
	}
	return s;
}

struct ct_stream *ct_stream_open(const char *path, struct ct_err *err)
{
	struct ct_stream *s = NULL;
	struct stat st;
	int rc = CT_E_IO;

	s = ct_xcalloc(1, sizeof(*s));
	s->name = ct_xstrdup(strcmp(path, "-") ? path : "<stdin>");
	s->fd = -1;
	sum_init(&s->sum);
	if (!strcmp(path, "-")) {
		s->fd = STDIN_FILENO;
	} else {
		s->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (s->fd < 0) {
			ct_err_set(err, CT_E_IO, path, 0, "cannot open: %s",
				   strerror(errno));
			goto out;
		}
		s->own_fd = true;
	}
	if (fstat(s->fd, &st) < 0) {
		ct_err_set(err, CT_E_IO, path, 0, "cannot stat: %s",
			   strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		ct_err_set(err, CT_E_IO, path, 0, "is a directory");
		goto out;
	}
	if (S_ISREG(st.st_mode)) {
		s->raw_size = (uint64_t)st.st_size;
#ifdef POSIX_FADV_SEQUENTIAL
		posix_fadvise(s->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	}
	if (start_source(s, err) != CT_OK)
		goto out;
	rc = CT_OK;
out:
	if (rc != CT_OK) {
		ct_stream_close(s);
		s = NULL;
	}
	return s;
}

static long read_plain(struct ct_stream *s, char *buf, size_t n,
		       struct ct_err *err)
{
	ssize_t r;

	if (s->raw_off < s->raw_len) {
		size_t take = s->raw_len - s->raw_off;

		if (take > n)
			take = n;
		memcpy(buf, s->raw + s->raw_off, take);
		s->raw_off += take;
		return (long)take;
	}
	if (s->raw_eof)
		return 0;
	/* The buffer is drained: read straight into the caller's memory. */
	do
		r = source_read(s, buf, n);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return fail(s, err, CT_E_IO, "read error", strerror(errno));
	if (r == 0)
		s->raw_eof = true;
	s->raw_read += (uint64_t)r;
	return (long)r;
}

static long read_gzip(struct ct_stream *s, char *buf, size_t n,
		      struct ct_err *err)
{
	int ret;
	size_t got;

	for (;;) {
		if (s->z.avail_in == 0 && !s->raw_eof) {
			s->raw_len = 0;
			if (fill_raw(s, err) < 0)
				return s->failed;
			s->z.next_in = s->raw;
			s->z.avail_in = (uInt)s->raw_len;
		}
		if (s->member_end) {
			if (s->z.avail_in == 0 && s->raw_eof)
				return 0;
			if (s->z.avail_in == 0)
				continue;
			/* Another member follows. */
			inflateReset(&s->z);
			s->member_end = false;
		}
		s->z.next_out = (Bytef *)buf;
		s->z.avail_out = (uInt)n;
		ret = inflate(&s->z, Z_NO_FLUSH);
		got = n - s->z.avail_out;
		switch (ret) {
		case Z_STREAM_END:
			s->member_end = true;
			break;
		case Z_OK:
		case Z_BUF_ERROR: /* no progress possible: more input needed */
			break;
		case Z_NEED_DICT:
			return fail(s, err, CT_E_INPUT, "corrupt gzip data",
				    "a preset dictionary is required");
		case Z_MEM_ERROR:
			ct_die("out of memory in zlib");
		default:
			return fail(s, err, CT_E_INPUT, "corrupt gzip data",
				    s->z.msg ? s->z.msg : "unknown zlib error");
		}
		if (got)
			return (long)got;
		if (!s->member_end && s->z.avail_in == 0 && s->raw_eof)
			return fail(s, err, CT_E_INPUT, "truncated gzip stream",
				    NULL);
	}
}

long ct_stream_read(struct ct_stream *s, char *buf, size_t n,
		    struct ct_err *err)
{
	long got;

	if (s->failed) {
		if (err)
			*err = s->saved;
		return s->failed;
	}
	if (n == 0)
		return 0;
	if (n > MAX_CHUNK)
		n = MAX_CHUNK;
	got = s->gzip ? read_gzip(s, buf, n, err) : read_plain(s, buf, n, err);
	if (got > 0)
		sum_update(&s->sum, (const unsigned char *)buf, (size_t)got);
	return got;
}

const char *ct_stream_name(const struct ct_stream *s)
{
	return s->name;
}

bool ct_stream_is_gzip(const struct ct_stream *s)
{
	return s->gzip;
}

uint64_t ct_stream_raw_pos(const struct ct_stream *s)
{
	size_t unused;

	if (s->gzip)
		unused = s->z.avail_in;
	else
		unused = s->raw_len - s->raw_off;
	return s->raw_read - unused;
}

uint64_t ct_stream_raw_size(const struct ct_stream *s)
{
	return s->raw_size;
}

void ct_stream_checksum(const struct ct_stream *s, char out[17])
{
	snprintf(out, 17, "%016" PRIx64, sum_finish(&s->sum));
}

void ct_stream_close(struct ct_stream *s)
{
	if (!s)
		return;
	if (s->z_live)
		inflateEnd(&s->z);
	if (s->own_fd && s->fd >= 0)
		close(s->fd);
	free(s->raw);
	free(s->name);
	free(s);
}
