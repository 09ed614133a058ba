/*
 * check_xlsx.c - the workbook writer (render_xlsx.c) and the line reader
 * (lines.c): text from billing data made safe and kept as text, formats,
 * reproducible bytes, file errors, and line items continued on further
 * sheets past the row limit (set small here). The .xlsx is read back with
 * a small zip reader over zlib; expected figures are written by hand.
 */
#include "ct.h"
#include "ingest.h"
#include "lines.h"
#include "money.h"
#include "report.h"
#include "store.h"
#include "testlib.h"
#include "xlsx.h"

#include <zlib.h>

#define NOW 1796083200 /* 2026-12-01T00:00:00Z */

/* ---- a small zip reader: the entry called name, inflated ------------------ */

static unsigned rd16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static unsigned long rd32(const unsigned char *p)
{
	return (unsigned long)rd16(p) | (unsigned long)rd16(p + 2) << 16;
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0, got;

	ck_assert_ptr_nonnull(f);
	do {
		CT_GROW(buf, n + 65536, cap);
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	*len = n;
	return buf;
}

/* The text of entry name of the zip at path (new), or NULL. */
static char *zip_read(const char *path, const char *name)
{
	size_t len, off, i;
	unsigned char *z = slurp(path, &len);
	unsigned long entries, cd;
	char *out = NULL;

	ck_assert_uint_ge(len, 22);
	ck_assert_uint_eq(rd32(z + len - 22), 0x06054b50UL); /* no archive comment */
	entries = rd16(z + len - 22 + 10);
	cd = rd32(z + len - 22 + 16);
	for (i = 0, off = cd; i < entries; i++) {
		const unsigned char *e = z + off;
		unsigned method = rd16(e + 10), nlen = rd16(e + 28);
		unsigned long csize = rd32(e + 20), usize = rd32(e + 24), loc = rd32(e + 42);

		ck_assert_uint_eq(rd32(e), 0x02014b50UL);
		if (nlen == strlen(name) && !memcmp(e + 46, name, nlen)) {
			const unsigned char *l = z + loc;
			z_stream s = {0};

			out = ct_xmalloc(usize + 1);
			s.next_in = (unsigned char *)l + 30 + rd16(l + 26) + rd16(l + 28);
			s.avail_in = (uInt)csize;
			s.next_out = (unsigned char *)out;
			s.avail_out = (uInt)usize;
			if (method == 0) {
				memcpy(out, s.next_in, usize);
			} else {
				ck_assert_uint_eq(method, 8);
				ck_assert_int_eq(inflateInit2(&s, -MAX_WBITS), Z_OK);
				ck_assert_int_eq(inflate(&s, Z_FINISH), Z_STREAM_END);
				inflateEnd(&s);
			}
			out[usize] = '\0';
			break;
		}
		off += 46 + nlen + rd16(e + 30) + rd16(e + 32);
	}
	free(z);
	return out;
}

static bool has(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

/* ---- a report model made by hand ---------------------------------------- */

static void item(struct ct_report_list *l, const char *id, const char *name, double billed,
		 double prev)
{
	struct ct_report_item *it;

	l->v = ct_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	it = &l->v[l->n++];
	memset(it, 0, sizeof(*it));
	it->id = ct_xstrdup(id);
	it->name = name ? ct_xstrdup(name) : NULL;
	it->billed = (ct_money)(billed * 1e9);
	it->effective = it->billed;
	it->prev_billed = (ct_money)(prev * 1e9);
}

static struct ct_report *model(const char *currency)
{
	struct ct_report *r = ct_xcalloc(1, sizeof(*r));
	char *big = ct_xmalloc(40010);

	snprintf(r->month, sizeof(r->month), "2026-10");
	snprintf(r->prev_month, sizeof(r->prev_month), "2026-09");
	snprintf(r->currency, sizeof(r->currency), "%s", currency);
	r->complete = true;
	r->lines = 3;
	r->total_billed = r->total_effective = 30 * CT_MONEY_UNIT;
	item(&r->by_service, "=cmd|' /C calc'!A0", NULL, 20, 0);
	item(&r->by_service, "_x0041_", NULL, 10, 0);
	r->by_service.v[0].category = ct_xstrdup("bad\xff\xfe"
						 "bytes"); /* not UTF-8 */
	r->by_service.v[1].category = ct_xstrdup("ctl\x01"
						 "char");
	item(&r->by_account, "0123", "acct", 30, 0);
	item(&r->by_region, "us-east-1", NULL, 30, 0);
	r->tags = ct_xcalloc(1, sizeof(*r->tags));
	r->ntags = 1;
	r->tags[0].key = ct_xstrdup("Team Name!");
	item(&r->tags[0].values, "+1+1", NULL, 25, 0);
	r->tags[0].untagged = 5 * CT_MONEY_UNIT;
	r->untagged = 5 * CT_MONEY_UNIT;
	r->daily = ct_xcalloc(2, sizeof(*r->daily));
	r->ndaily = 2;
	snprintf(r->daily[0].date, sizeof(r->daily[0].date), "2026-10-01");
	snprintf(r->daily[1].date, sizeof(r->daily[1].date), "2026-10-02");
	r->daily[0].billed = r->daily[1].billed = 15 * CT_MONEY_UNIT;
	memset(big, 'a', 40000);
	snprintf(big + 40000, 10, "END");
	r->notes = ct_xcalloc(1, sizeof(*r->notes));
	r->notes[0] = big;
	r->nnotes = 1;
	snprintf(r->history[0].month, sizeof(r->history[0].month), "2026-10");
	r->history[0].billed = r->total_billed;
	r->nhistory = 1;
	return r;
}

static char *dir;

static void setup(void)
{
	dir = ct_test_tmpdir();
}

static void teardown(void)
{
	free(dir);
}

static char *write_model(struct ct_report *r, const char *name)
{
	struct ct_xlsx_opts o = {.created = NOW};
	struct ct_err err;
	char *path = ct_xasprintf("%s/%s", dir, name);

	ck_assert_int_eq(ct_xlsx_write(r, &o, path, &err), CT_OK);
	return path;
}

START_TEST(text_stays_text)
{
	struct ct_report *r = model("USD");
	char *path = write_model(r, "t.xlsx");
	char *sst = zip_read(path, "xl/sharedStrings.xml");
	char *svc = zip_read(path, "xl/worksheets/sheet2.xml");
	char *sum = zip_read(path, "xl/worksheets/sheet1.xml");
	char *wb = zip_read(path, "xl/workbook.xml");
	char *longest = ct_xmalloc(32768 + 1);

	/* a formula-looking service name is a shared string, not a formula */
	ck_assert(has(sst, "<t>=cmd|' /C calc'!A0</t>"));
	ck_assert(has(sst, "<t>+1+1</t>"));
	ck_assert(!has(svc, "cmd"));
	ck_assert(has(svc, "<f>SUM(C5:C6)</f>"));
	/* invalid UTF-8 becomes U+FFFD; control characters and a literal
	 * "_x0041_" come back as themselves */
	ck_assert(has(sst, "bad\xEF\xBF\xBD\xEF\xBF\xBD"
			   "bytes"));
	ck_assert(has(sst, "ctl_x0001_char"));
	ck_assert(has(sst, "<t>_x005F_x0041_</t>"));
	/* cut at Excel's 32,767 characters */
	memset(longest, 'a', 32767);
	longest[32767] = '<';
	longest[32768] = '\0';
	ck_assert(has(sst, longest));
	ck_assert(!has(sst, "aEND"));
	/* no previous month: no change formulas, n/a instead */
	ck_assert(!has(svc, "C5-E5"));
	ck_assert(has(sst, "<t>n/a</t>"));
	/* no findings model: the savings are n/a, not a formula */
	ck_assert(!has(sum, "Findings'!"));
	/* a tag key that is not a name still names its block */
	ck_assert(has(wb, "<definedName name=\"Tag_Team_Name_\">'By tag'!$A$5:$G$6</definedName>"));
	free(longest);
	free(sst);
	free(svc);
	free(sum);
	free(wb);
	free(path);
	ct_report_free(r);
}
END_TEST

START_TEST(currency_formats)
{
	struct ct_report *eur = model("EUR"), *odd = model("E\"R");
	char *p1 = write_model(eur, "eur.xlsx"), *p2 = write_model(odd, "odd.xlsx");
	char *s1 = zip_read(p1, "xl/styles.xml"), *s2 = zip_read(p2, "xl/styles.xml");

	ck_assert(has(s1, "formatCode=\"#,##0.00 &quot;EUR&quot;\""));
	ck_assert(!has(s1, "&quot;$&quot;"));
	/* a currency code from the data that is not plain letters is left out */
	ck_assert(has(s2, "formatCode=\"#,##0.00\""));
	ck_assert(!has(s2, "E&quot;R"));
	free(s1);
	free(s2);
	free(p1);
	free(p2);
	ct_report_free(eur);
	ct_report_free(odd);
}
END_TEST

START_TEST(reproducible)
{
	struct ct_report *r = model("USD");
	char *p1 = write_model(r, "a.xlsx"), *p2 = write_model(r, "b.xlsx");
	size_t n1, n2;
	unsigned char *b1 = slurp(p1, &n1), *b2 = slurp(p2, &n2);
	char *core = zip_read(p1, "docProps/core.xml");

	ck_assert_uint_eq(n1, n2);
	ck_assert(memcmp(b1, b2, n1) == 0);
	ck_assert(has(core, ">2026-12-01T00:00:00Z</dcterms:created>"));
	free(core);
	free(b1);
	free(b2);
	free(p1);
	free(p2);
	ct_report_free(r);
}
END_TEST

START_TEST(cannot_write)
{
	struct ct_report *r = model("USD");
	struct ct_err err;
	char *path = ct_xasprintf("%s/no/such/dir/x.xlsx", dir);

	ck_assert_int_eq(ct_xlsx_write(r, NULL, path, &err), CT_E_IO);
	ck_assert_str_eq(err.source, path);
	ck_assert(has(err.msg, "cannot write the workbook"));
	free(path);
	ct_report_free(r);
}
END_TEST

/* ---- line items from a store -------------------------------------------- */

#define HDR                                                                                        \
	"BillingAccountId,BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart,"                  \
	"ChargePeriodEnd,BilledCost,EffectiveCost,ProviderName,ServiceName,"                       \
	"RegionId,BillingCurrency,Tags\n"
#define OCT "2026-10-01T00:00:00Z,2026-11-01T00:00:00Z"
#define SEP "2026-09-01T00:00:00Z,2026-10-01T00:00:00Z"

static const char csv[] = HDR
	"111," SEP ",2026-09-03T00:00:00Z,2026-09-03T01:00:00Z,10.00,9.00,AWS,EC2,us-east-1,USD,\n"
	"111," OCT ",2026-10-01T00:00:00Z,2026-10-01T01:00:00Z,1.00,1.00,AWS,EC2,us-east-1,USD,\"{"
		   "\"\"owner\"\":\"\"web\"\"}\"\n"
	"111," OCT ",2026-10-01T01:00:00Z,2026-10-01T02:00:00Z,2.00,2.00,AWS,EC2,us-east-1,USD,\n"
	"111," OCT ",2026-10-02T00:00:00Z,2026-10-02T01:00:00Z,3.00,3.00,AWS,S3,us-east-1,USD,\n"
	"111," OCT ",2026-10-03T00:00:00Z,2026-10-03T01:00:00Z,4.00,4.00,AWS,S3,us-east-1,USD,\n"
	"111," OCT ",2026-10-04T00:00:00Z,2026-10-04T01:00:00Z,5.00,5.00,AWS,S3,us-east-1,USD,\n"
	"111," OCT ",2026-10-05T00:00:00Z,2026-10-05T01:00:00Z,6.00,6.00,AWS,RDS,us-east-1,USD,\n"
	"111," OCT ",2026-10-06T00:00:00Z,2026-10-06T01:00:00Z,7.00,7.00,AWS,RDS,us-east-1,EUR,\n";

static struct ct_store *open_store(void)
{
	struct ct_err err;
	struct ct_ingest *ing;
	char *db = ct_xasprintf("%s/l.db", dir), *file = ct_test_write(dir, "l.csv", csv);
	struct ct_store *st = ct_store_open(db, CT_STORE_CREATE, &err);

	ck_assert_ptr_nonnull(st);
	ing = ct_ingest_begin(st, &err);
	ck_assert_ptr_nonnull(ing);
	ck_assert_int_eq(ct_ingest_file(ing, file, NULL, &err), CT_OK);
	ck_assert_int_eq(ct_ingest_commit(ing, NULL, &err), CT_OK);
	free(db);
	free(file);
	return st;
}

struct seen {
	int n;
	ct_money billed[16];
	char *keep[16];
	int stop_at;
};

static int collect(void *arg, const struct ct_lines_row *l, struct ct_err *err)
{
	struct seen *s = arg;

	if (s->n == s->stop_at)
		return ct_err_set(err, CT_E_INTERNAL, NULL, 0, "stop");
	s->billed[s->n] = l->billed;
	s->keep[s->n] = l->tag[0] ? ct_xstrdup(l->tag[0]) : NULL;
	s->n++;
	return CT_OK;
}

START_TEST(lines_in_order)
{
	struct ct_store *st = open_store();
	const char *keys[] = {"Owner"};
	const char *many[CT_LINES_MAX_TAGS + 1] = {0};
	struct seen s = {.stop_at = -1};
	struct ct_err err;
	long n = 0;

	ck_assert_int_eq(ct_lines_count(st, "2026-10", &n, &err), CT_OK);
	ck_assert_int_eq(n, 7); /* both currencies */
	ck_assert_int_eq(ct_lines_each(st, "2026-10", keys, 1, collect, &s, &err), CT_OK);
	ck_assert_int_eq(s.n, 7);
	for (int i = 0; i < 7; i++)
		ck_assert_int_eq(s.billed[i], (ct_money)(i + 1) * CT_MONEY_UNIT); /* file order */
	ck_assert_str_eq(s.keep[0], "web"); /* key matched without regard to case */
	ck_assert_ptr_null(s.keep[1]);
	for (int i = 0; i < s.n; i++)
		free(s.keep[i]);
	/* the callback's error stops the walk */
	memset(&s, 0, sizeof(s));
	s.stop_at = 2;
	ck_assert_int_eq(ct_lines_each(st, "2026-10", NULL, 0, collect, &s, &err), CT_E_INTERNAL);
	ck_assert_int_eq(s.n, 2);
	ck_assert_int_eq(
		ct_lines_each(st, "2026-10", many, CT_LINES_MAX_TAGS + 1, collect, &s, &err),
		CT_E_USAGE);
	ck_assert_int_eq(ct_lines_count(st, "2025-01", &n, &err), CT_OK);
	ck_assert_int_eq(n, 0);
	ct_store_close(st);
}
END_TEST

START_TEST(lines_continue_on_more_sheets)
{
	struct ct_store *st = open_store();
	struct ct_report_opts ro = {.month = "2026-10", .now = NOW};
	struct ct_xlsx_opts o = {.created = NOW, .max_rows = 3};
	struct ct_err err;
	struct ct_report *r = ct_report_build(st, &ro, &err);
	char *path = ct_xasprintf("%s/lines.xlsx", dir);
	char *wb, *s9, *s11;

	ck_assert_ptr_nonnull(r);
	o.lines = st;
	ck_assert_int_eq(ct_xlsx_write(r, &o, path, &err), CT_OK);
	wb = zip_read(path, "xl/workbook.xml");
	/* 7 lines, 3 a sheet: 3 + 3 + 1; 23 columns, 4 tag keys, Tags: AB */
	ck_assert(has(wb, "<sheet name=\"Line items\" sheetId=\"9\""));
	ck_assert(has(wb, "<sheet name=\"Line items 2\" sheetId=\"10\""));
	ck_assert(has(wb, "<sheet name=\"Line items 3\" sheetId=\"11\""));
	ck_assert(!has(wb, "Line items 4"));
	ck_assert(has(wb, "<definedName name=\"LineItems\">'Line items'!$A$1:$AB$4</definedName>"));
	ck_assert(has(wb,
		      "<definedName name=\"LineItems3\">'Line items 3'!$A$1:$AB$2</definedName>"));
	s9 = zip_read(path, "xl/worksheets/sheet9.xml");
	s11 = zip_read(path, "xl/worksheets/sheet11.xml");
	/* constant memory: inline strings; every sheet has its header row */
	ck_assert(has(s9, "<c r=\"A1\" s=\"3\" t=\"inlineStr\"><is><t>Charge period start</t>"));
	ck_assert(has(s9, "<c r=\"T2\" s=\"") && has(s9, "<v>1</v>"));
	ck_assert(has(s9, "<autoFilter ref=\"A1:AB4\"/>"));
	ck_assert(has(s11, "<t>Charge period start</t>"));
	ck_assert(has(s11, "<autoFilter ref=\"A1:AB2\"/>"));
	ck_assert(has(s11, "<v>7</v>") && has(s11, "<t>EUR</t>"));
	ck_assert(!has(s11, "r=\"A3\""));
	free(wb);
	free(s9);
	free(s11);
	free(path);
	ct_report_free(r);
	ct_store_close(st);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("xlsx");
	TCase *tc = tcase_create("xlsx");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, text_stays_text);
	tcase_add_test(tc, currency_formats);
	tcase_add_test(tc, reproducible);
	tcase_add_test(tc, cannot_write);
	tcase_add_test(tc, lines_in_order);
	tcase_add_test(tc, lines_continue_on_more_sheets);
	suite_add_tcase(s, tc);
	return s;
}

CT_TEST_MAIN(suite)
