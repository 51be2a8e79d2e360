#include "date.h"
#include "rulebook.h"

/* Supported years: four digits keep the text form fixed-width. */
#define RB_YEAR_MIN 1000
#define RB_YEAR_MAX 9999

static bool is_leap(int32_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int32_t days_in_month(int32_t y, int32_t m)
{
	static const int8_t dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

bool rb_date_valid(int32_t ymd)
{
	if (ymd < 0)
		return false;
	int32_t y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
	if (y < RB_YEAR_MIN || y > RB_YEAR_MAX || m < 1 || m > 12 || d < 1)
		return false;
	return d <= days_in_month(y, m);
}

int rb_date_parse(const char *s, size_t len, int32_t *out)
{
	if (!s || len != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	int32_t v = 0;
	for (size_t i = 0; i < 10; i++) {
		if (i == 4 || i == 7)
			continue;
		/* Compare explicitly: isdigit() depends on the locale. */
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (!rb_date_valid(v))
		return -1;
	if (out)
		*out = v;
	return 0;
}

void rb_date_format(int32_t ymd, char *buf)
{
	/* Digits by hand: no locale, and out-of-range input still yields ten
	 * characters (modulo) instead of overrunning buf. */
	uint32_t v = (uint32_t)ymd;
	uint32_t y = v / 10000 % 10000, m = v / 100 % 100, d = v % 100;
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
}

/* days_from_civil / civil_from_days (H. Hinnant): years are shifted to start
 * in March so the leap day is last, and split into 400-year eras of 146097
 * days. Constant time, no loops over years. Supported years are positive, so
 * the era arithmetic needs no rounding toward negative infinity. */
int64_t rb_date_to_days(int32_t ymd)
{
	int64_t y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
	if (m <= 2)
		y -= 1;
	int64_t era = y / 400;
	int64_t yoe = y - era * 400;                                 /* [0, 399] */
	int64_t mp = (m + 9) % 12;                                   /* March = 0 */
	int64_t doy = (153 * mp + 2) / 5 + d - 1;                    /* [0, 365] */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;         /* [0, 146096] */
	return era * 146097 + doe - 719468; /* 719468: 0000-03-01 .. 1970-01-01 */
}

/* Day numbers of 1000-01-01 and 9999-12-31. */
#define RB_DAYS_MIN (-354285)
#define RB_DAYS_MAX 2932896

/* Outside years 1000..9999 the result is 0, which rb_date_valid rejects;
 * this also keeps the arithmetic far from overflow for any int64 input. */
int32_t rb_date_from_days(int64_t days)
{
	if (days < RB_DAYS_MIN || days > RB_DAYS_MAX)
		return 0;
	int64_t z = days + 719468;                                   /* > 0 here */
	int64_t era = z / 146097;
	int64_t doe = z - era * 146097;                              /* [0, 146096] */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);       /* [0, 365] */
	int64_t mp = (5 * doy + 2) / 153;                            /* [0, 11] */
	int64_t d = doy - (153 * mp + 2) / 5 + 1;                    /* [1, 31] */
	int64_t m = mp < 10 ? mp + 3 : mp - 9;                       /* [1, 12] */
	if (m <= 2)
		y += 1;
	return (int32_t)(y * 10000 + m * 100 + d);
}

int64_t rb_date_span(int32_t a, int32_t b)
{
	int64_t da = rb_date_to_days(a), db = rb_date_to_days(b);
	return db < da ? 0 : db - da + 1;
}

RULEBOOK_API rulebook_status rulebook_date_parse(const char *text, size_t len, int32_t *out)
{
	if (!text || !out)
		return RULEBOOK_ERR_INVALID;
	return rb_date_parse(text, len, out) == 0 ? RULEBOOK_OK : RULEBOOK_ERR_VALUE;
}
