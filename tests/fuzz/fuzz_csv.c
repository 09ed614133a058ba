/*
 * fuzz_csv.c - libFuzzer harness for the CSV reader and the stream under
 * it (plain and gzip: an input starting with 1f 8b goes through zlib).
 *
 * Each input is written to a memfd and opened by its /proc/self/fd path,
 * so the real ct_stream_open() and read() path runs without touching the
 * disk. The first byte picks the record cap (1..255 reaches the too-long
 * paths; 0 means 64 KiB); the rest is the file. Every record is checked
 * against the reader's promises: at least one field, each NUL-terminated
 * at its length with no NUL inside, lines only going forwards; errors
 * name the file and are sticky.
 *
 * Build and run from the top of the tree. Small read blocks make every
 * refill and buffer-boundary path hot and keep runs fast; new inputs go
 * to the first directory, so the seed corpus stays as it is:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
 *       -DCT_CSV_BLOCK=16 -DCT_STREAM_BLOCK=16 tests/fuzz/fuzz_csv.c \
 *       src/csv.c src/stream.c src/err.c src/xalloc.c -lz -o fuzz_csv
 *   mkdir -p /tmp/corpus_csv
 *   ./fuzz_csv -max_total_time=60 /tmp/corpus_csv tests/fuzz/corpus_csv
 */
#include "ct.h"
#include "csv.h"
#include "stream.h"

#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int memfd = -1;
static char memfd_path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_stream *s = NULL;
	struct ct_csv *c = NULL;
	struct ct_csv_rec rec;
	struct ct_err err;
	size_t max_rec, i;
	long last_line = 0;
	char sum[17];
	int rc;

	if (size < 1)
		return 0;
	if (memfd < 0) {
		memfd = memfd_create("fuzz_csv", MFD_CLOEXEC);
		if (memfd < 0)
			abort();
		snprintf(memfd_path, sizeof(memfd_path), "/proc/self/fd/%d",
			 memfd);
	}
	max_rec = data[0] ? data[0] : 1u << 16;
	data++;
	size--;
	if (ftruncate(memfd, 0) < 0 ||
	    pwrite(memfd, data, size, 0) != (ssize_t)size)
		abort();

	ct_err_init(&err);
	s = ct_stream_open(memfd_path, &err);
	if (!s)
		abort();
	c = ct_csv_open(s, max_rec);
	while ((rc = ct_csv_next(c, &rec, &err)) == 1) {
		if (rec.n < 1 || rec.line < 1 || rec.line <= last_line)
			abort();
		for (i = 0; i < rec.n; i++) {
			if (rec.quoted[i] > 1)
				abort();
			if (rec.field[i][rec.len[i]] != '\0' ||
			    strlen(rec.field[i]) != rec.len[i])
				abort();
		}
		last_line = rec.line;
	}
	if (rc < 0) {
		if (rc != CT_E_INPUT && rc != CT_E_IO)
			abort();
		if (!err.msg[0] || strcmp(err.source, memfd_path))
			abort();
		/* Errors are sticky. */
		if (ct_csv_next(c, &rec, &err) != rc)
			abort();
	} else if (ct_csv_next(c, &rec, &err) != 0) {
		abort();
	}
	ct_stream_checksum(ct_csv_stream(c), sum);
	if (strlen(sum) != 16)
		abort();
	ct_csv_close(c);
	return 0;
}
