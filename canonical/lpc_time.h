/* The toolkit's one RFC 3339 date-time parser and printer (RFC 3339 §5.6).
 *
 *   date-time = YYYY "-" MM "-" DD ("T" / "t") hh ":" mm ":" ss ["." 1*DIGIT] zone
 *   zone      = "Z" / "z" / ("+" / "-") hh ":" mm
 *
 * Calendar-checked (day within its month, leap years; ss up to 60 for a leap second,
 * which counts as the next second's start).  Fractions are kept to the microsecond,
 * extra digits truncated.  With LPC_TIME_ZONE_OPTIONAL a missing zone means UTC, as in
 * the naive `datetime.isoformat()` strings of Leadpoet's checkpoints (leadpoet-formats.md
 * §5.2).  Nothing else is accepted: no signs, spaces, missing fields or trailing bytes.
 * Pure. */
#ifndef LPC_TIME_H
#define LPC_TIME_H

#include <stddef.h>
#include <stdint.h>

#define LPC_TIME_ZONE_OPTIONAL 1u
#define LPC_TIME_TEXT_MAX      64   /* longer text is refused before it is scanned */
#define LPC_RFC3339_LEN        21   /* "YYYY-MM-DDThh:mm:ssZ" and the NUL */

/* Microseconds since 1970-01-01T00:00:00Z of s[0..n): 0 and *us set, -1 when s is not
 * such a date-time. */
int lpc_time_parse(const char *s, size_t n, unsigned flags, int64_t *us);

/* Days since 1970-01-01 of a proleptic Gregorian date (month 1..12). */
int64_t lpc_days_from_civil(int64_t y, unsigned m, unsigned d);

/* "YYYY-MM-DDThh:mm:ssZ" of Unix seconds t (years 0..9999): 0, or -1 when t is outside
 * them (out is then the decimal seconds). */
int lpc_time_format(int64_t t, char out[LPC_RFC3339_LEN]);

#endif
