/*
 * check_stream.c - unit tests for src/stream.c: plain, gzip and standard
 * input sources, gzip errors, progress counters and the checksum.
 *
 * Test files are written into a fresh temporary directory (gzip ones with
 * zlib's gzopen) and removed at the end. Expected values are worked out
 * by hand from the bytes written.
 */
#include "ct.h"
#include "stream.h"
#include "testlib.h"

#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static char *tmpdir; /* made by main(), removed by testlib at exit */

/* Path of a file in the temporary directory (new). */
static char *tmp_path(const char *name)
{
	return ct_xasprintf("%s/%s", tmpdir, name);
}

/* Write n bytes to a new file; returns its path (new). */
static char *write_file(const char *name, const void *data, size_t n)
{
	char *path = tmp_path(name);
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

/* Append one gzip member holding n bytes ("wb" starts the file, "ab"
 * adds a member); returns the path (new). */
static char *write_gz(const char *name, const char *mode, const void *data,
		      size_t n)
{
	char *path = tmp_path(name);
	gzFile g = gzopen(path, mode);

	ck_assert_ptr_nonnull(g);
	if (n)
		ck_assert_int_eq(gzwrite(g, data, (unsigned)n), (int)n);
	ck_assert_int_eq(gzclose(g), Z_OK);
	return path;
}

static off_t file_size(const char *path)
{
	struct stat st;

	ck_assert_int_eq(stat(path, &st), 0);
	return st.st_size;
}

/* Deterministic filler bytes: all 256 values, no visible pattern. */
static unsigned char *make_bytes(size_t n, uint32_t seed)
{
	unsigned char *p = ct_xmalloc(n);
	size_t i;

	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (unsigned char)(seed >> 16);
	}
	return p;
}

/*
 * Read a whole stream, cycling through the read sizes in steps; the bytes
 * go to out (cap bytes) and the checksum to sum. Returns the byte count.
 */
static size_t slurp(const char *path, const size_t *steps, size_t nsteps,
		    unsigned char *out, size_t cap, char sum[17])
{
	struct ct_err err;
	struct ct_stream *s;
	size_t total = 0, k = 0;
	long got;

	ct_err_init(&err);
	s = ct_stream_open(path, &err);
	ck_assert_msg(s != NULL, "open %s: %s", path, err.msg);
	/* Plain ifs in the loop: each ck_assert costs a message to the
	 * parent process. */
	for (;;) {
		size_t want = steps[k++ % nsteps];

		if (total + want > cap)
			ck_abort_msg("buffer too small for %s", path);
		got = ct_stream_read(s, (char *)out + total, want, &err);
		if (got < 0)
			ck_abort_msg("read %s: %s", path, err.msg);
		if (got == 0)
			break;
		if ((size_t)got > want)
			ck_abort_msg("read %ld bytes, asked for %zu", got, want);
		total += (size_t)got;
	}
	ct_stream_checksum(s, sum);
	ct_stream_close(s);
	return total;
}

START_TEST(test_plain)
{
	char *path = write_file("plain.txt", "hello, world", 12);
	struct ct_err err;
	struct ct_stream *s;
	char buf[64];

	ct_err_init(&err);
	s = ct_stream_open(path, &err);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(ct_stream_name(s), path);
	ck_assert(!ct_stream_is_gzip(s));
	ck_assert_uint_eq(ct_stream_raw_size(s), 12);
	ck_assert_uint_eq(ct_stream_raw_pos(s), 0);
	/* The first 5 bytes, then the other 7, then the end, twice. */
	ck_assert_int_eq(ct_stream_read(s, buf, 5, &err), 5);
	ck_assert_mem_eq(buf, "hello", 5);
	ck_assert_uint_eq(ct_stream_raw_pos(s), 5);
	ck_assert_int_eq(ct_stream_read(s, buf, sizeof(buf), &err), 7);
	ck_assert_mem_eq(buf, ", world", 7);
	ck_assert_uint_eq(ct_stream_raw_pos(s), 12);
	ck_assert_int_eq(ct_stream_read(s, buf, sizeof(buf), &err), 0);
	ck_assert_int_eq(ct_stream_read(s, buf, sizeof(buf), &err), 0);
	ck_assert_int_eq(err.code, CT_OK);
	ct_stream_close(s);
	free(path);
}
END_TEST

START_TEST(test_empty_and_short)
{
	char *empty = write_file("empty", "", 0);
	char *one = write_file("one", "\x1f", 1);
	struct ct_err err;
	struct ct_stream *s;
	char buf[8];

	ct_err_init(&err);
	s = ct_stream_open(empty, &err);
	ck_assert_ptr_nonnull(s);
	ck_assert(!ct_stream_is_gzip(s));
	ck_assert_uint_eq(ct_stream_raw_size(s), 0);
	ck_assert_int_eq(ct_stream_read(s, buf, sizeof(buf), &err), 0);
	ct_stream_close(s);

	/* One byte of the gzip magic is not gzip. */
	s = ct_stream_open(one, &err);
	ck_assert_ptr_nonnull(s);
	ck_assert(!ct_stream_is_gzip(s));
	ck_assert_int_eq(ct_stream_read(s, buf, sizeof(buf), &err), 1);
	ck_assert_int_eq((unsigned char)buf[0], 0x1f);
	ck_assert_int_eq(ct_stream_read(s, buf, sizeof(buf), &err), 0);
	ct_stream_close(s);
	free(empty);
	free(one);
}
END_TEST

START_TEST(test_open_errors)
{
	char *missing = tmp_path("no-such-file");
	struct ct_err err;

	ct_err_init(&err);
	ck_assert_ptr_null(ct_stream_open(missing, &err));
	ck_assert_int_eq(err.code, CT_E_IO);
	ck_assert_str_eq(err.source, missing);
	ck_assert_int_eq(err.line, 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "cannot open"));

	ct_err_init(&err);
	ck_assert_ptr_null(ct_stream_open(tmpdir, &err));
	ck_assert_int_eq(err.code, CT_E_IO);
	ck_assert_str_eq(err.source, tmpdir);
	ck_assert_str_eq(err.msg, "is a directory");

	/* A NULL error record is allowed. */
	ck_assert_ptr_null(ct_stream_open(missing, NULL));
	ct_stream_close(NULL);
	free(missing);
}
END_TEST

START_TEST(test_stdin)
{
	static const char text[] = "a,b\n1,2\n";
	char *path = write_gz("stdin.gz", "wb", text, 8);
	struct ct_err err;
	struct ct_stream *s;
	char buf[64];
	int fd = open(path, O_RDONLY);

	/* "-" reads standard input, gzip detection included. */
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);
	ct_err_init(&err);
	s = ct_stream_open("-", &err);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(ct_stream_name(s), "<stdin>");
	ck_assert(ct_stream_is_gzip(s));
	ck_assert_int_eq(ct_stream_read(s, buf, sizeof(buf), &err), 8);
	ck_assert_mem_eq(buf, text, 8);
	ck_assert_int_eq(ct_stream_read(s, buf, sizeof(buf), &err), 0);
	ct_stream_close(s);
	/* Closing the stream leaves standard input open. */
	ck_assert_int_ne(fcntl(STDIN_FILENO, F_GETFD), -1);
	free(path);
}
END_TEST

START_TEST(test_gzip)
{
	static const char text[] = "id,cost\n1,0.5\n2,1.25\n";
	char *path = write_gz("one.gz", "wb", text, 21);
	struct ct_err err;
	struct ct_stream *s;
	char buf[64];
	size_t total = 0;
	long got;

	ct_err_init(&err);
	s = ct_stream_open(path, &err);
	ck_assert_ptr_nonnull(s);
	ck_assert(ct_stream_is_gzip(s));
	ck_assert_uint_eq(ct_stream_raw_size(s), (uint64_t)file_size(path));
	/* Three bytes at a time: 21 bytes in 7 reads. */
	while ((got = ct_stream_read(s, buf + total, 3, &err)) > 0) {
		ck_assert_int_le(got, 3);
		total += (size_t)got;
	}
	ck_assert_int_eq(got, 0);
	ck_assert_uint_eq(total, 21);
	ck_assert_mem_eq(buf, text, 21);
	ck_assert_uint_eq(ct_stream_raw_pos(s), (uint64_t)file_size(path));
	ct_stream_close(s);
	free(path);
}
END_TEST

START_TEST(test_gzip_members)
{
	char *path;
	struct ct_err err;
	struct ct_stream *s;
	char buf[64];
	size_t total = 0;
	long got;

	/* Two members (the way `cat a.gz b.gz` joins them) and an empty
	 * third one read as "first part|second part". */
	free(write_gz("two.gz", "wb", "first part", 10));
	free(write_gz("two.gz", "ab", "|second part", 12));
	path = write_gz("two.gz", "ab", "", 0);
	ct_err_init(&err);
	s = ct_stream_open(path, &err);
	ck_assert_ptr_nonnull(s);
	ck_assert(ct_stream_is_gzip(s));
	while ((got = ct_stream_read(s, buf + total, sizeof(buf) - total,
				     &err)) > 0)
		total += (size_t)got;
	ck_assert_int_eq(got, 0);
	ck_assert_uint_eq(total, 22);
	ck_assert_mem_eq(buf, "first part|second part", 22);
	ck_assert_uint_eq(ct_stream_raw_pos(s), (uint64_t)file_size(path));
	ct_stream_close(s);
	free(path);
}
END_TEST

/* Read path to the end; returns the final status with err filled. */
static long read_to_end(const char *path, struct ct_err *err)
{
	struct ct_stream *s;
	char buf[4096];
	long got;

	ct_err_init(err);
	s = ct_stream_open(path, err);
	ck_assert_ptr_nonnull(s);
	ck_assert(ct_stream_is_gzip(s));
	while ((got = ct_stream_read(s, buf, sizeof(buf), err)) > 0)
		;
	if (got < 0) {
		/* Errors are sticky: the same status and text again. */
		struct ct_err again;

		ct_err_init(&again);
		ck_assert_int_eq(ct_stream_read(s, buf, sizeof(buf), &again),
				 got);
		ck_assert_str_eq(again.msg, err->msg);
	}
	ct_stream_close(s);
	return got;
}

START_TEST(test_gzip_truncated)
{
	unsigned char *data = make_bytes(100000, 7);
	unsigned char *gz;
	char *full = write_gz("full.gz", "wb", data, 100000);
	char *cut, *head;
	size_t n = (size_t)file_size(full);
	FILE *f = fopen(full, "rb");
	struct ct_err err;

	gz = ct_xmalloc(n);
	ck_assert_uint_eq(fread(gz, 1, n, f), n);
	fclose(f);

	/* Missing the last 4 bytes (half of the trailer). */
	cut = write_file("cut.gz", gz, n - 4);
	ck_assert_int_eq(read_to_end(cut, &err), CT_E_INPUT);
	ck_assert_int_eq(err.code, CT_E_INPUT);
	ck_assert_str_eq(err.source, cut);
	ck_assert_str_eq(err.msg, "truncated gzip stream");

	/* Cut in the middle of the compressed data. */
	free(cut);
	cut = write_file("half.gz", gz, n / 2);
	ck_assert_int_eq(read_to_end(cut, &err), CT_E_INPUT);
	ck_assert_str_eq(err.msg, "truncated gzip stream");

	/* Nothing but the magic bytes. */
	head = write_file("magic.gz", "\x1f\x8b", 2);
	ck_assert_int_eq(read_to_end(head, &err), CT_E_INPUT);
	ck_assert_str_eq(err.source, head);
	ck_assert_str_eq(err.msg, "truncated gzip stream");

	/* The complete file reads cleanly. */
	ck_assert_int_eq(read_to_end(full, &err), 0);
	free(head);
	free(cut);
	free(full);
	free(gz);
	free(data);
}
END_TEST

START_TEST(test_gzip_corrupt)
{
	char *path = write_gz("bad.gz", "wb", "some text\n", 10);
	unsigned char gz[256];
	size_t n;
	FILE *f = fopen(path, "rb");
	char *bad, *junk;
	struct ct_err err;

	n = fread(gz, 1, sizeof(gz), f);
	fclose(f);
	ck_assert_uint_gt(n, 18);
	/* gzopen writes a 10-byte header (no file name); the first deflate
	 * byte 0xff says "last block, type 3", and type 3 does not exist. */
	gz[10] = 0xff;
	bad = write_file("bad2.gz", gz, n);
	ck_assert_int_eq(read_to_end(bad, &err), CT_E_INPUT);
	ck_assert_str_eq(err.source, bad);
	ck_assert_str_eq(err.msg, "corrupt gzip data: invalid block type");

	/* Bytes after a complete member that do not start another one. */
	f = fopen(path, "rb");
	n = fread(gz, 1, sizeof(gz), f);
	fclose(f);
	memcpy(gz + n, "junk", 4);
	junk = write_file("junk.gz", gz, n + 4);
	ck_assert_int_eq(read_to_end(junk, &err), CT_E_INPUT);
	ck_assert_str_eq(err.msg, "corrupt gzip data: incorrect header check");
	free(junk);
	free(bad);
	free(path);
}
END_TEST

START_TEST(test_checksum_chunking)
{
	enum { N = 300001 }; /* not a multiple of 8 or 32 */
	static const size_t whole[] = { 1u << 20 };
	static const size_t ones[] = { 1 };
	static const size_t sevens[] = { 7 };
	static const size_t stripe[] = { 32 };
	static const size_t mixed[] = { 3, 1, 64, 29, 5000, 31, 33, 8 };
	const size_t *steps[] = { whole, ones, sevens, stripe, mixed };
	const size_t nsteps[] = { 1, 1, 1, 1, CT_NELEM(mixed) };
	unsigned char *data = make_bytes(N, 42);
	unsigned char *out = ct_xmalloc(N + (1u << 20));
	char *plain = write_file("sum.bin", data, N);
	char *gz = write_gz("sum.gz", "wb", data, N);
	char ref[17], sum[17];
	size_t i;

	/* The data must not start with the gzip magic by chance. */
	ck_assert(!(data[0] == 0x1f && data[1] == 0x8b));
	ck_assert_uint_eq(slurp(plain, whole, 1, out, N + (1u << 20), ref), N);
	ck_assert_mem_eq(out, data, N);
	ck_assert_uint_eq(strlen(ref), 16);
	ck_assert_uint_eq(strspn(ref, "0123456789abcdef"), 16);
	for (i = 0; i < CT_NELEM(steps); i++) {
		memset(out, 0, N);
		ck_assert_uint_eq(slurp(plain, steps[i], nsteps[i], out,
					N + (1u << 20), sum), N);
		ck_assert_mem_eq(out, data, N);
		ck_assert_str_eq(sum, ref);
		/* The same bytes through gzip give the same checksum. */
		memset(out, 0, N);
		ck_assert_uint_eq(slurp(gz, steps[i], nsteps[i], out,
					N + (1u << 20), sum), N);
		ck_assert_mem_eq(out, data, N);
		ck_assert_str_eq(sum, ref);
	}
	free(gz);
	free(plain);
	free(out);
	free(data);
}
END_TEST

START_TEST(test_checksum_differs)
{
	static const size_t step[] = { 4096 };
	unsigned char *data = make_bytes(1000, 3);
	unsigned char out[8192];
	char s_full[17], s_flip[17], s_first[17], s_short[17], s_empty[17],
		s_empty2[17], s_zero[17];
	char *path;

	path = write_file("d1", data, 1000);
	slurp(path, step, 1, out, sizeof(out), s_full);
	free(path);
	/* One bit changed in the last, partial stripe. */
	data[999] ^= 1;
	path = write_file("d2", data, 1000);
	slurp(path, step, 1, out, sizeof(out), s_flip);
	free(path);
	/* One bit changed in the first word. */
	data[999] ^= 1;
	data[0] ^= 0x80;
	path = write_file("d3", data, 1000);
	slurp(path, step, 1, out, sizeof(out), s_first);
	free(path);
	/* One byte shorter. */
	data[0] ^= 0x80;
	path = write_file("d4", data, 999);
	slurp(path, step, 1, out, sizeof(out), s_short);
	free(path);
	ck_assert_str_ne(s_full, s_flip);
	ck_assert_str_ne(s_full, s_first);
	ck_assert_str_ne(s_full, s_short);
	ck_assert_str_ne(s_flip, s_first);

	/* An empty stream has a fixed checksum, different from a zero
	 * byte's: the length counts. */
	path = write_file("e1", "", 0);
	slurp(path, step, 1, out, sizeof(out), s_empty);
	free(path);
	path = write_file("e2", "", 0);
	slurp(path, step, 1, out, sizeof(out), s_empty2);
	free(path);
	ck_assert_str_eq(s_empty, s_empty2);
	path = write_file("e3", "\0", 1);
	slurp(path, step, 1, out, sizeof(out), s_zero);
	free(path);
	ck_assert_str_ne(s_empty, s_zero);
	free(data);
}
END_TEST

static Suite *stream_suite(void)
{
	Suite *s = suite_create("stream");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_plain);
	tcase_add_test(tc, test_empty_and_short);
	tcase_add_test(tc, test_open_errors);
	tcase_add_test(tc, test_stdin);
	tcase_add_test(tc, test_gzip);
	tcase_add_test(tc, test_gzip_members);
	tcase_add_test(tc, test_gzip_truncated);
	tcase_add_test(tc, test_gzip_corrupt);
	tcase_add_test(tc, test_checksum_chunking);
	tcase_add_test(tc, test_checksum_differs);
	suite_add_tcase(s, tc);
	return s;
}

/* Remove the temporary directory and the files in it. */
int main(void)
{
	tmpdir = ct_test_tmpdir();
	return ct_test_run(stream_suite());
}
