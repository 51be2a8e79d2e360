/* Calendar dates as YYYYMMDD integers (the API's representation) and as
 * day numbers for arithmetic (time progress, periods). Proleptic Gregorian. */
#ifndef RB_DATE_H
#define RB_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True for a real calendar day in years 1000..9999. */
bool rb_date_valid(int32_t ymd);
/* "YYYY-MM-DD" exactly (no spaces, no time part) → 0 and *out; -1 otherwise. */
int rb_date_parse(const char *s, size_t len, int32_t *out);
/* Writes "YYYY-MM-DD" and a NUL into buf (at least 11 bytes). */
void rb_date_format(int32_t ymd, char *buf);
/* Days since 1970-01-01 (negative before); ymd must be valid. */
int64_t rb_date_to_days(int32_t ymd);
int32_t rb_date_from_days(int64_t days);
/* Inclusive count of days from a to b (b - a + 1); 0 if b < a. */
int64_t rb_date_span(int32_t a, int32_t b);

#endif
