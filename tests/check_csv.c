/*
 * check_csv.c - unit tests for src/csv.c: RFC 4180 quoting, line ends,
 * blank lines, line numbers, every bad-input error with its line, the
 * record cap, records cut by the 1 MiB read boundary, and gzip input.
 *
 * Test files are written into a fresh temporary directory and removed at
 * the end. Expected records and line numbers are worked out by hand from
 * the text written.
 */
#include "ct.h"
#include "csv.h"
#include "stream.h"
#include "testlib.h"

#include <check.h>
#include <dirent.h>
#include <unistd.h>
#include <zlib.h>

#define MIB (1u << 20) /* the reader's block: a plain file arrives in 1 MiB
			* pieces, so offset 1 MiB is a buffer boundary */

static char *tmpdir; /* made by main(), removed by testlib at exit */
static char *cur_path; /* path of the file opened by open_text() (new) */

static char *tmp_path(const char *name)
{
	return ct_xasprintf("%s/%s", tmpdir, name);
}

static char *write_file(const char *name, const void *data, size_t n)
{
	char *path = tmp_path(name);
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

/* Append one gzip member ("wb" starts the file, "ab" adds a member). */
static char *write_gz(const char *name, const char *mode, const void *data,
		      size_t n)
{
	char *path = tmp_path(name);
	gzFile g = gzopen(path, mode);

	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(gzwrite(g, data, (unsigned)n), (int)n);
	ck_assert_int_eq(gzclose(g), Z_OK);
	return path;
}

static struct ct_csv *open_path(const char *path, size_t max_rec)
{
	struct ct_err err;
	struct ct_stream *s;

	ct_err_init(&err);
	s = ct_stream_open(path, &err);
	ck_assert_msg(s != NULL, "open %s: %s", path, err.msg);
	return ct_csv_open(s, max_rec);
}

/* Write n bytes of text to a file and open a reader on it. */
static struct ct_csv *open_bytes(const char *text, size_t n, size_t max_rec)
{
	static int seq;
	char name[32];

	snprintf(name, sizeof(name), "t%d.csv", ++seq);
	free(cur_path);
	cur_path = write_file(name, text, n);
	return open_path(cur_path, max_rec);
}

#define open_text(text) open_bytes((text), sizeof(text) - 1, 0)

/* The next record must start on line and hold exactly the n fields in f;
 * qflags ("0110", NULL: not checked) gives the quoted flags. */
static void want_rec(struct ct_csv *c, long line, const char *qflags,
		     size_t n, const char *const *f, int at)
{
	struct ct_csv_rec rec;
	struct ct_err err;
	int rc;
	size_t i;

	ct_err_init(&err);
	rc = ct_csv_next(c, &rec, &err);
	ck_assert_msg(rc == 1, "line %d: got %d (%s:%ld: %s)", at, rc,
		      err.source, err.line, err.msg);
	ck_assert_msg(rec.line == line, "line %d: record line %ld, want %ld",
		      at, rec.line, line);
	ck_assert_msg(rec.n == n, "line %d: %zu fields, want %zu", at, rec.n,
		      n);
	for (i = 0; i < n; i++) {
		ck_assert_msg(rec.len[i] == strlen(f[i]) &&
				      !memcmp(rec.field[i], f[i], rec.len[i]),
			      "line %d: field %zu is '%s', want '%s'", at, i,
			      rec.field[i], f[i]);
		ck_assert_msg(rec.field[i][rec.len[i]] == '\0',
			      "line %d: field %zu not terminated", at, i);
		if (qflags)
			ck_assert_msg(rec.quoted[i] == qflags[i] - '0',
				      "line %d: field %zu quoted %d", at, i,
				      rec.quoted[i]);
	}
}

#define WANT(c, line, q, ...)                                                  \
	want_rec((c), (line), (q),                                             \
		 CT_NELEM(((const char *const[]){ __VA_ARGS__ })),             \
		 (const char *const[]){ __VA_ARGS__ }, __LINE__)

/* No more records, and asking again changes nothing. */
static void want_end(struct ct_csv *c)
{
	struct ct_csv_rec rec;
	struct ct_err err;

	ct_err_init(&err);
	ck_assert_int_eq(ct_csv_next(c, &rec, &err), 0);
	ck_assert_int_eq(ct_csv_next(c, &rec, &err), 0);
	ck_assert_int_eq(err.code, CT_OK);
}

/* The next call fails with code at source:line, the message containing
 * text; the failure is sticky. */
static void want_err(struct ct_csv *c, int code, const char *source,
		     long line, const char *text)
{
	struct ct_csv_rec rec;
	struct ct_err err, again;

	ct_err_init(&err);
	ck_assert_int_eq(ct_csv_next(c, &rec, &err), code);
	ck_assert_int_eq(err.code, code);
	ck_assert_str_eq(err.source, source);
	ck_assert_int_eq(err.line, line);
	ck_assert_msg(strstr(err.msg, text) != NULL, "message '%s' lacks '%s'",
		      err.msg, text);
	ct_err_init(&again);
	ck_assert_int_eq(ct_csv_next(c, &rec, &again), code);
	ck_assert_str_eq(again.msg, err.msg);
	ck_assert_int_eq(again.line, err.line);
}

START_TEST(test_basic)
{
	struct ct_csv *c = open_text("a,b,c\n1,2,3\n");

	WANT(c, 1, "000", "a", "b", "c");
	WANT(c, 2, "000", "1", "2", "3");
	want_end(c);
	ck_assert_str_eq(ct_stream_name(ct_csv_stream(c)), cur_path);
	ct_csv_close(c);

	c = open_text("");
	want_end(c);
	ct_csv_close(c);
	ct_csv_close(NULL);
}
END_TEST

START_TEST(test_bom)
{
	struct ct_csv *c = open_text("\xef\xbb\xbfid,name\n1,x\n");

	WANT(c, 1, "00", "id", "name");
	WANT(c, 2, "00", "1", "x");
	want_end(c);
	ct_csv_close(c);

	/* Only at the start of the file. */
	c = open_text("a\n\xef\xbb\xbf" "b\n");
	WANT(c, 1, NULL, "a");
	WANT(c, 2, NULL, "\xef\xbb\xbf" "b");
	want_end(c);
	ct_csv_close(c);

	/* A BOM and nothing else; a BOM and a blank line. */
	c = open_text("\xef\xbb\xbf");
	want_end(c);
	ct_csv_close(c);
	c = open_text("\xef\xbb\xbf\r\nx");
	WANT(c, 2, NULL, "x");
	want_end(c);
	ct_csv_close(c);

	/* A quoted first field right after the BOM. */
	c = open_text("\xef\xbb\xbf\"id\",n\n");
	WANT(c, 1, "10", "id", "n");
	want_end(c);
	ct_csv_close(c);
}
END_TEST

START_TEST(test_crlf)
{
	struct ct_csv *c = open_text("a,b\r\nc,d\r\n\r\n\"e\"\r\nf\r\n");

	WANT(c, 1, "00", "a", "b");
	WANT(c, 2, "00", "c", "d");
	WANT(c, 4, "1", "e");
	WANT(c, 5, "0", "f");
	want_end(c);
	ct_csv_close(c);

	/* A CR at the very end of the input ends the line too. */
	c = open_text("a\r\nb\r");
	WANT(c, 1, NULL, "a");
	WANT(c, 2, NULL, "b");
	want_end(c);
	ct_csv_close(c);
	c = open_text("a,\"b\"\r");
	WANT(c, 1, "01", "a", "b");
	want_end(c);
	ct_csv_close(c);
}
END_TEST

START_TEST(test_quotes)
{
	struct ct_csv *c = open_text(
		"\"x,y\",\"he said \"\"hi\"\"\",\"l1\nl2\"\nnext\n");

	WANT(c, 1, "111", "x,y", "he said \"hi\"", "l1\nl2");
	WANT(c, 3, "0", "next");
	want_end(c);
	ct_csv_close(c);

	/* Quotes only: """" is one quote, """""" two. */
	c = open_text("\"\"\"\",\"\"\"\"\"\"\n");
	WANT(c, 1, "11", "\"", "\"\"");
	want_end(c);
	ct_csv_close(c);

	/* A quote inside an unquoted field is data. */
	c = open_text("ab\"c,d\"\n");
	WANT(c, 1, "00", "ab\"c", "d\"");
	want_end(c);
	ct_csv_close(c);
}
END_TEST

START_TEST(test_json_tags)
{
	struct ct_csv *c = open_text(
		"id,tags\n"
		"1,\"{\"\"a\"\": \"\"b\"\"}\"\n"
		"2,\"{\"\"Owner\"\":\"\"x,y\"\",\"\"Env\"\":\"\"\"\"}\"\n");

	WANT(c, 1, "00", "id", "tags");
	WANT(c, 2, "01", "1", "{\"a\": \"b\"}");
	WANT(c, 3, "01", "2", "{\"Owner\":\"x,y\",\"Env\":\"\"}");
	want_end(c);
	ct_csv_close(c);
}
END_TEST

START_TEST(test_empty_fields)
{
	struct ct_csv *c = open_text(",\"\",x,\n\"\"\n\n,\n");

	WANT(c, 1, "0100", "", "", "x", "");
	WANT(c, 2, "1", "");
	WANT(c, 4, "00", "", "");
	want_end(c);
	ct_csv_close(c);
}
END_TEST

START_TEST(test_last_line)
{
	struct ct_csv *c = open_text("a,b\nc,d");

	WANT(c, 1, NULL, "a", "b");
	WANT(c, 2, NULL, "c", "d");
	want_end(c);
	ct_csv_close(c);

	c = open_text("x,\"y\"");
	WANT(c, 1, "01", "x", "y");
	want_end(c);
	ct_csv_close(c);

	/* A trailing comma is one more, empty, field. */
	c = open_text("a,b,");
	WANT(c, 1, "000", "a", "b", "");
	want_end(c);
	ct_csv_close(c);
}
END_TEST

START_TEST(test_blank_lines)
{
	/* Lines: 1 "", 2 "", 3 "a", 4 CR LF, 5 "", 6 "b", 7 "", 8 " ". */
	struct ct_csv *c = open_text("\n\na\n\r\n\nb\n\n \n");

	WANT(c, 3, NULL, "a");
	WANT(c, 6, NULL, "b");
	WANT(c, 8, NULL, " "); /* a space is not a blank line */
	want_end(c);
	ct_csv_close(c);

	c = open_text("\n\r\n\n");
	want_end(c);
	ct_csv_close(c);
}
END_TEST

START_TEST(test_line_numbers)
{
	/* Lines: 1 h; 2-4 one record; 5 next; 6-7 one record; 8 last. */
	struct ct_csv *c = open_text(
		"h\n\"a\nb\nc\",x\nnext\n\"p\r\nq\"\nlast");

	WANT(c, 1, NULL, "h");
	WANT(c, 2, "10", "a\nb\nc", "x");
	WANT(c, 5, NULL, "next");
	WANT(c, 6, "1", "p\r\nq");
	WANT(c, 8, NULL, "last");
	want_end(c);
	ct_csv_close(c);
}
END_TEST

START_TEST(test_lone_cr)
{
	/* A CR without LF is data, inside quotes and outside. */
	struct ct_csv *c = open_text("\"a\rb\",c\na\rb,c\r\n\r\r\n");

	WANT(c, 1, "10", "a\rb", "c");
	WANT(c, 2, "00", "a\rb", "c");
	WANT(c, 3, "0", "\r");
	want_end(c);
	ct_csv_close(c);
}
END_TEST

START_TEST(test_err_nul)
{
	struct ct_csv *c = open_bytes("a,b\nc,d\0e\n", 10, 0);

	WANT(c, 1, NULL, "a", "b");
	want_err(c, CT_E_INPUT, cur_path, 2, "NUL byte");
	ct_csv_close(c);

	/* In a quoted field: the line of the NUL itself. */
	c = open_bytes("x\n\"a\nb\0\"\n", 9, 0);
	WANT(c, 1, NULL, "x");
	want_err(c, CT_E_INPUT, cur_path, 3, "NUL byte");
	ct_csv_close(c);

	c = open_bytes("\0", 1, 0);
	want_err(c, CT_E_INPUT, cur_path, 1, "NUL byte");
	ct_csv_close(c);

	/* Right after a closing quote, and as the last byte. */
	c = open_bytes("\"a\"\0\n", 5, 0);
	want_err(c, CT_E_INPUT, cur_path, 1, "NUL byte");
	ct_csv_close(c);
	c = open_bytes("a\n\nb\0", 5, 0);
	WANT(c, 1, NULL, "a");
	want_err(c, CT_E_INPUT, cur_path, 3, "NUL byte");
	ct_csv_close(c);
}
END_TEST

START_TEST(test_err_unterminated)
{
	struct ct_csv *c = open_text("a\nb,\"open\nmore\n");

	WANT(c, 1, NULL, "a");
	want_err(c, CT_E_INPUT, cur_path, 2, "unterminated quoted field");
	ct_csv_close(c);

	c = open_text("\"");
	want_err(c, CT_E_INPUT, cur_path, 1, "unterminated quoted field");
	ct_csv_close(c);

	/* The record starts on line 1; its second quoted field opens on
	 * line 2 and never closes. */
	c = open_text("\"a\nb\",\"c\nd");
	want_err(c, CT_E_INPUT, cur_path, 2, "unterminated quoted field");
	ct_csv_close(c);
}
END_TEST

START_TEST(test_err_stray)
{
	struct ct_csv *c = open_text("a\n\"ab\"c,d\n");

	WANT(c, 1, NULL, "a");
	want_err(c, CT_E_INPUT, cur_path, 2,
		 "unexpected text after closing quote");
	ct_csv_close(c);

	c = open_text("x,\"ab\" ,y\n");
	want_err(c, CT_E_INPUT, cur_path, 1,
		 "unexpected text after closing quote in field 2");
	ct_csv_close(c);

	/* A lone CR after a closing quote is stray text too. */
	c = open_text("\"ab\"\rx\n");
	want_err(c, CT_E_INPUT, cur_path, 1,
		 "unexpected text after closing quote");
	ct_csv_close(c);

	/* The line of the closing quote. */
	c = open_text("\"a\nb\"x\n");
	want_err(c, CT_E_INPUT, cur_path, 2,
		 "unexpected text after closing quote");
	ct_csv_close(c);
}
END_TEST

START_TEST(test_err_fields)
{
	/* Line 2: 4095 commas = 4096 fields (the limit); line 3: 4097. */
	size_t n = 3 + 4096 + 4097, i;
	char *text = ct_xmalloc(n);
	struct ct_csv *c;
	struct ct_csv_rec rec;
	struct ct_err err;

	memcpy(text, "ok\n", 3);
	memset(text + 3, ',', 4095);
	text[3 + 4095] = '\n';
	memset(text + 3 + 4096, ',', 4096);
	text[n - 1] = '\n';
	c = open_bytes(text, n, 0);
	WANT(c, 1, NULL, "ok");
	ct_err_init(&err);
	ck_assert_int_eq(ct_csv_next(c, &rec, &err), 1);
	ck_assert_int_eq(rec.line, 2);
	ck_assert_uint_eq(rec.n, CT_CSV_MAX_FIELDS);
	for (i = 0; i < rec.n; i++)
		if (rec.len[i] != 0 || rec.field[i][0] != '\0')
			ck_abort_msg("field %zu not empty", i);
	want_err(c, CT_E_INPUT, cur_path, 3, "more than 4096 fields");
	ct_csv_close(c);
	free(text);
}
END_TEST

/* n copies of ch followed by end (a string); returns new text. */
static char *line_of(char ch, size_t n, const char *end)
{
	char *s = ct_xmalloc(n + strlen(end) + 1);

	memset(s, ch, n);
	memcpy(s + n, end, strlen(end) + 1);
	return s;
}

START_TEST(test_cap)
{
	char *a64 = line_of('a', 64, "");
	char *b64 = line_of('b', 64, "");
	char *c62 = line_of('c', 62, "");
	char *d65 = line_of('d', 65, "");
	char *text = ct_xasprintf("%s\n%s\r\n\"%s\"\n%s\n%s\n", a64, b64, c62,
				  a64, d65);
	struct ct_csv *c;

	/* max_rec 64: 64 bytes (with LF, with CR LF, quoted 62 + 2 quotes)
	 * pass; line 5 has 65 bytes. */
	ck_assert_uint_eq(strlen(text), 65 + 66 + 65 + 65 + 66);
	c = open_bytes(text, strlen(text), 64);
	WANT(c, 1, "0", a64);
	WANT(c, 2, "0", b64);
	WANT(c, 3, "1", c62);
	WANT(c, 4, "0", a64);
	want_err(c, CT_E_INPUT, cur_path, 5, "record longer than 64 bytes");
	ct_csv_close(c);
	free(text);

	/* The same limits on a last line without a line end. */
	c = open_bytes(a64, 64, 64);
	WANT(c, 1, "0", a64);
	want_end(c);
	ct_csv_close(c);
	text = line_of('e', 65, "");
	c = open_bytes(text, 65, 64);
	want_err(c, CT_E_INPUT, cur_path, 1, "record longer than 64 bytes");
	ct_csv_close(c);

	free(text);
	free(d65);
	free(c62);
	free(b64);
	free(a64);
}
END_TEST

/*
 * Write filler records of 64 bytes (63 'f' + LF) and one shorter one so
 * that the text after them starts at offset 1 MiB - back; then the text.
 * Returns the file's path (new); *next_line is the line of the text.
 */
static char *write_at_boundary(const char *name, size_t back,
			       const char *text, size_t tlen, long *next_line)
{
	size_t head = MIB - back, n = head + tlen, off = 0;
	char *buf = ct_xmalloc(n), *path;
	long line = 1;

	while (head - off > 64) {
		memset(buf + off, 'f', 63);
		buf[off + 63] = '\n';
		off += 64;
		line++;
	}
	memset(buf + off, 'g', head - off - 1);
	buf[head - 1] = '\n';
	line++;
	memcpy(buf + head, text, tlen);
	path = write_file(name, buf, n);
	free(buf);
	*next_line = line;
	return path;
}

/* Read the n filler records, one per line from line 1. Plain ifs: each
 * ck_assert costs a message to the parent process. */
static void skip_records(struct ct_csv *c, long n)
{
	struct ct_csv_rec rec;
	struct ct_err err;
	long i;

	ct_err_init(&err);
	for (i = 1; i <= n; i++)
		if (ct_csv_next(c, &rec, &err) != 1 || rec.line != i)
			ck_abort_msg("filler record %ld: %s", i, err.msg);
}

START_TEST(test_cap_across_boundary)
{
	char *r64 = line_of('r', 64, "\r\ntail\n");
	char *z100 = line_of('z', 100, "\n");
	char *q100 = line_of('q', 100, "\"\n");
	char *path;
	struct ct_csv *c;
	long line;

	/* 64 bytes and CR LF, with the CR the last byte of the first 1 MiB:
	 * the reader must wait for the LF, not call it 65 bytes. */
	path = write_at_boundary("cap1.csv", 65, r64, strlen(r64), &line);
	c = open_path(path, 64);
	skip_records(c, line - 1);
	r64[64] = '\0';
	WANT(c, line, "0", r64);
	WANT(c, line + 1, "0", "tail");
	want_end(c);
	ct_csv_close(c);
	free(path);

	/* 80 bytes of a 100-byte record are in the buffer when it ends:
	 * already too long before the rest is read. */
	path = write_at_boundary("cap2.csv", 80, z100, strlen(z100), &line);
	c = open_path(path, 64);
	skip_records(c, line - 1);
	want_err(c, CT_E_INPUT, path, line, "record longer than 64 bytes");
	ct_csv_close(c);
	free(path);

	/* The same inside quotes: the message hints at a missing quote. */
	q100[0] = '"';
	path = write_at_boundary("cap3.csv", 80, q100, strlen(q100), &line);
	c = open_path(path, 64);
	skip_records(c, line - 1);
	want_err(c, CT_E_INPUT, path, line, "(unbalanced quote?)");
	ct_csv_close(c);
	free(path);
	free(q100);
	free(z100);
	free(r64);
}
END_TEST

START_TEST(test_read_boundary)
{
	/* Four records after the filler; the 1 MiB boundary falls at every
	 * position inside them, splitting a "" pair, CR LF pairs, a closing
	 * quote from its comma, a quoted line break and lone CRs. */
	static const char text[] =
		"\"a\"\"b\",x\r\n\"l1\nl2\"\r\nq\rr,\n\rs\n";
	size_t back;

	for (back = 0; back <= sizeof(text) - 1; back++) {
		char *path;
		struct ct_csv *c;
		long line;

		path = write_at_boundary("split.csv", back, text,
					 sizeof(text) - 1, &line);
		c = open_path(path, 0);
		skip_records(c, line - 1);
		WANT(c, line, "10", "a\"b", "x");
		WANT(c, line + 1, "1", "l1\nl2");
		WANT(c, line + 3, "00", "q\rr", "");
		WANT(c, line + 4, "0", "\rs");
		want_end(c);
		ct_csv_close(c);
		free(path);
	}
}
END_TEST

START_TEST(test_gzip)
{
	static const char text[] = "id,tags\n1,\"{\"\"a\"\": 1}\"\n\n2,\r\n";
	char *plain = write_file("g.csv", text, sizeof(text) - 1);
	char *gz = write_gz("g.csv.gz", "wb", text, sizeof(text) - 1);
	char sum_plain[17], sum_gz[17];
	struct ct_csv *c;

	c = open_path(plain, 0);
	WANT(c, 1, "00", "id", "tags");
	WANT(c, 2, "01", "1", "{\"a\": 1}");
	WANT(c, 4, "00", "2", "");
	want_end(c);
	ck_assert(!ct_stream_is_gzip(ct_csv_stream(c)));
	ct_stream_checksum(ct_csv_stream(c), sum_plain);
	ct_csv_close(c);

	c = open_path(gz, 0);
	ck_assert(ct_stream_is_gzip(ct_csv_stream(c)));
	WANT(c, 1, "00", "id", "tags");
	WANT(c, 2, "01", "1", "{\"a\": 1}");
	WANT(c, 4, "00", "2", "");
	want_end(c);
	ct_stream_checksum(ct_csv_stream(c), sum_gz);
	ck_assert_str_eq(sum_gz, sum_plain);
	ct_csv_close(c);
	free(gz);
	free(plain);
}
END_TEST

START_TEST(test_gzip_members)
{
	char *path;
	struct ct_csv *c;

	/* A quoted field cut between two members. */
	free(write_gz("m.csv.gz", "wb", "a,b\n1,\"two ", 11));
	path = write_gz("m.csv.gz", "ab", "parts\"\n2,x", 10);
	c = open_path(path, 0);
	WANT(c, 1, "00", "a", "b");
	WANT(c, 2, "01", "1", "two parts");
	WANT(c, 3, "00", "2", "x");
	want_end(c);
	ct_csv_close(c);
	free(path);
}
END_TEST

START_TEST(test_gzip_truncated)
{
	/* 200 lines "line N,<40 x's>"; the gzip file loses its last 20
	 * bytes, so reading stops at some record with the stream's error. */
	char *text = ct_xmalloc(200 * 64), *path, *cut;
	size_t n = 0, gzlen;
	unsigned char *gz;
	FILE *f;
	struct ct_csv *c;
	struct ct_csv_rec rec;
	struct ct_err err;
	int i, rc;

	for (i = 1; i <= 200; i++)
		n += (size_t)snprintf(text + n, 64, "line %d,%s\n", i,
				      "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	path = write_gz("t.csv.gz", "wb", text, n);
	f = fopen(path, "rb");
	gz = ct_xmalloc(n + 64);
	gzlen = fread(gz, 1, n + 64, f);
	fclose(f);
	ck_assert_uint_gt(gzlen, 20);
	cut = write_file("t-cut.csv.gz", gz, gzlen - 20);
	c = open_path(cut, 0);
	ct_err_init(&err);
	for (i = 0; (rc = ct_csv_next(c, &rec, &err)) == 1; i++)
		;
	ck_assert_int_le(i, 200);
	ck_assert_int_eq(rc, CT_E_INPUT);
	ck_assert_str_eq(err.source, cut);
	ck_assert_str_eq(err.msg, "truncated gzip stream");
	/* Sticky like the reader's own errors. */
	ck_assert_int_eq(ct_csv_next(c, &rec, &err), CT_E_INPUT);
	ck_assert_str_eq(err.msg, "truncated gzip stream");
	ct_csv_close(c);
	free(cut);
	free(gz);
	free(path);
	free(text);
}
END_TEST

static Suite *csv_suite(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("core");
	TCase *te = tcase_create("errors");
	TCase *tb = tcase_create("buffer");
	TCase *tg = tcase_create("gzip");

	tcase_add_test(tc, test_basic);
	tcase_add_test(tc, test_bom);
	tcase_add_test(tc, test_crlf);
	tcase_add_test(tc, test_quotes);
	tcase_add_test(tc, test_json_tags);
	tcase_add_test(tc, test_empty_fields);
	tcase_add_test(tc, test_last_line);
	tcase_add_test(tc, test_blank_lines);
	tcase_add_test(tc, test_line_numbers);
	tcase_add_test(tc, test_lone_cr);
	suite_add_tcase(s, tc);

	tcase_add_test(te, test_err_nul);
	tcase_add_test(te, test_err_unterminated);
	tcase_add_test(te, test_err_stray);
	tcase_add_test(te, test_err_fields);
	suite_add_tcase(s, te);

	tcase_add_test(tb, test_cap);
	tcase_add_test(tb, test_cap_across_boundary);
	tcase_add_test(tb, test_read_boundary);
	tcase_set_timeout(tb, 60);
	suite_add_tcase(s, tb);

	tcase_add_test(tg, test_gzip);
	tcase_add_test(tg, test_gzip_members);
	tcase_add_test(tg, test_gzip_truncated);
	suite_add_tcase(s, tg);
	return s;
}

int main(void)
{
	tmpdir = ct_test_tmpdir();
	return ct_test_run(csv_suite());
}
