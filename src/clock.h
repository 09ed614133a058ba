/*
 * clock.h - civil time in UTC: "now" (fixed by CLOUDTALLY_NOW in tests),
 * timestamp parsing as billing files write them, and day/month arithmetic.
 * Pure except ct_clock_now(), which reads the environment and the clock.
 */
#ifndef CT_SRC_CLOCK_H
#define CT_SRC_CLOCK_H

#include "ct.h"

/* Unix seconds now, or CLOUDTALLY_NOW (unix seconds or an ISO 8601 time)
 * when set. */
int64_t ct_clock_now(void);

/**
 * Parse a UTC timestamp: "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]]" with
 * 'T' or ' ' between date and time, and an optional "Z", "+00:00" or
 * "+0000" (other offsets are applied). Also the US-style dates of
 * spreadsheets and Azure exports, "M/D/YYYY" or "M/D/YY" (20YY), with
 * the same optional time. Hours from 24 to 47 roll over into the next
 * day.
 *
 * @return CT_OK and *out in unix seconds, or CT_E_INPUT.
 */
int ct_clock_parse(const char *s, size_t len, int64_t *out);

/* Days since 1970-01-01 for a civil date, and back. */
int64_t ct_clock_days_from_civil(int y, unsigned m, unsigned d);
void ct_clock_civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d);

/* Day number of unix time t (floor). */
int64_t ct_clock_day(int64_t t);
/* "YYYY-MM-DD" of day number z into out (11 bytes). */
void ct_clock_format_day(int64_t z, char out[11]);
/* "YYYY-MM" of unix time t into out (8 bytes). */
void ct_clock_format_month(int64_t t, char out[8]);
/* "YYYY-MM-DDTHH:MM:SSZ" of unix time t into out (21 bytes). */
void ct_clock_format_iso(int64_t t, char out[21]);
/**
 * Parse "YYYY-MM". @return CT_OK with year and month, or CT_E_INPUT.
 */
int ct_clock_parse_month(const char *s, int *y, unsigned *m);
/* Number of days in a month. */
int ct_clock_days_in_month(int y, unsigned m);

#endif
