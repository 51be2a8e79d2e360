/* Decimal numbers as text: rulebook_decimal_parse, _compare, _calc and
 * _format, and every error each can return. The expected texts are worked
 * out by hand in the comments beside them. */
#include "common.h"

#include <string.h>

/* Parse text and expect the plain form want. */
static void parses_as(const char *text, const char *want)
{
	char buf[RULEBOOK_DECIMAL_BUFSIZE];
	size_t len = 99;
	ck_assert_int_eq(rulebook_decimal_parse(text, strlen(text), buf, sizeof buf, &len, NULL),
			 RULEBOOK_OK);
	ck_assert_str_eq(buf, want);
	ck_assert_uint_eq(len, strlen(want));
}

START_TEST(test_parse)
{
	parses_as("37", "37");
	parses_as("37.00", "37");        /* trailing fractional zeros dropped */
	parses_as("+1158.10", "1158.1"); /* '+' dropped */
	parses_as("1.5e3", "1500");      /* 1.5 × 1000 */
	parses_as("-2.5E-2", "-0.025");  /* -2.5 / 100 */
	parses_as(".5", "0.5");
	parses_as("2.3%", "0.023");      /* 2.3 / 100 */
	parses_as("-0", "0");
	parses_as("000123456789012345678", "123456789012345678"); /* 18 digits after the zeros */

	/* only the len bytes given are read */
	char buf[64];
	ck_assert_int_eq(rulebook_decimal_parse("12345", 3, buf, sizeof buf, NULL, NULL),
			 RULEBOOK_OK);
	ck_assert_str_eq(buf, "123");

	/* errors, with the column of the offending byte */
	rulebook_error *err = rulebook_error_new();
	ck_assert_int_eq(rulebook_decimal_parse("12a4", 4, buf, sizeof buf, NULL, err),
			 RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(rulebook_error_status(err), RULEBOOK_ERR_VALUE);
	ck_assert_uint_eq(rulebook_error_column(err, 0), 3); /* 'a' is the third byte */
	ck_assert(contains(rulebook_error_message(err, 0), "'12a4' is not a decimal number"));
	ck_assert_int_eq(rulebook_decimal_parse("37 万元", strlen("37 万元"), buf, sizeof buf, NULL,
						err),
			 RULEBOOK_ERR_VALUE);
	ck_assert_uint_eq(rulebook_error_column(err, 0), 3); /* the space */
	ck_assert_int_eq(rulebook_decimal_parse("", 0, buf, sizeof buf, NULL, err),
			 RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(rulebook_decimal_parse("1,000", 5, buf, sizeof buf, NULL, NULL),
			 RULEBOOK_ERR_VALUE);
	/* 19 significant digits */
	ck_assert_int_eq(rulebook_decimal_parse("1234567890123456789", 19, buf, sizeof buf, NULL,
						err),
			 RULEBOOK_ERR_RANGE);
	ck_assert(contains(rulebook_error_message(err, 0), "more than 18 significant digits"));
	ck_assert_int_eq(rulebook_decimal_parse("1e999", 5, buf, sizeof buf, NULL, err),
			 RULEBOOK_ERR_RANGE);
	ck_assert(contains(rulebook_error_message(err, 0), "outside the decimal range"));
	ck_assert_int_eq(rulebook_decimal_parse(NULL, 0, buf, sizeof buf, NULL, err),
			 RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_decimal_parse("1", 1, NULL, 4, NULL, err), RULEBOOK_ERR_INVALID);
	/* "1158.1" needs 7 bytes with its NUL: 6 are too few */
	size_t need = 0;
	ck_assert_int_eq(rulebook_decimal_parse("1158.10", 7, buf, 6, &need, err),
			 RULEBOOK_ERR_LIMIT);
	ck_assert_uint_eq(need, 6);
	ck_assert_str_eq(buf, "");
	ck_assert(contains(rulebook_error_message(err, 0), "needs 7 bytes"));
	ck_assert_int_eq(rulebook_decimal_parse("1158.10", 7, buf, 7, &need, err), RULEBOOK_OK);
	ck_assert_str_eq(buf, "1158.1");
	ck_assert_uint_eq(rulebook_error_count(err), 0); /* cleared by the call */
	/* size 0 asks for the length only */
	ck_assert_int_eq(rulebook_decimal_parse("-0.5", 4, NULL, 0, &need, NULL),
			 RULEBOOK_ERR_LIMIT);
	ck_assert_uint_eq(need, 4);
	rulebook_error_free(err);
}
END_TEST

static int cmp(const char *a, const char *b)
{
	int c = 42;
	ck_assert_int_eq(rulebook_decimal_compare(a, strlen(a), b, strlen(b), &c), RULEBOOK_OK);
	return c;
}

START_TEST(test_compare)
{
	ck_assert_int_eq(cmp("1.20", "1.2"), 0);
	ck_assert_int_eq(cmp("7%", "0.07"), 0);
	ck_assert_int_eq(cmp("36.99", "37"), -1);
	ck_assert_int_eq(cmp("37.000001", "37"), 1);
	ck_assert_int_eq(cmp("-0.000025", "0"), -1);
	ck_assert_int_eq(cmp("1e3", "999.999999999999999"), 1);
	/* 0.1 × 3 written out is exactly 0.3 */
	ck_assert_int_eq(cmp("0.30", "3e-1"), 0);

	int c = 42;
	ck_assert_int_eq(rulebook_decimal_compare("x", 1, "1", 1, &c), RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(rulebook_decimal_compare("1", 1, "1 亩", strlen("1 亩"), &c),
			 RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(rulebook_decimal_compare("1", 1, "1e400", 5, &c), RULEBOOK_ERR_RANGE);
	ck_assert_int_eq(c, 42); /* not changed on error */
	ck_assert_int_eq(rulebook_decimal_compare(NULL, 0, "1", 1, &c), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_decimal_compare("1", 1, NULL, 0, &c), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_decimal_compare("1", 1, "1", 1, NULL), RULEBOOK_ERR_INVALID);
}
END_TEST

static void calc_is(const char *a, rulebook_decimal_op op, const char *b, const char *want)
{
	char buf[RULEBOOK_DECIMAL_BUFSIZE];
	size_t len = 0;
	ck_assert_int_eq(rulebook_decimal_calc(a, strlen(a), op, b, strlen(b), buf, sizeof buf,
					       &len),
			 RULEBOOK_OK);
	ck_assert_str_eq(buf, want);
	ck_assert_uint_eq(len, strlen(want));
}

START_TEST(test_calc)
{
	calc_is("0.1", RULEBOOK_DECIMAL_ADD, "0.2", "0.3");     /* not 0.30000000000000004 */
	calc_is("0.62", RULEBOOK_DECIMAL_SUB, "0.75", "-0.13");
	calc_is("37", RULEBOOK_DECIMAL_MUL, "31.3", "1158.1");  /* 37 × 31.3 = 1110 + 48.1 */
	calc_is("1158.1", RULEBOOK_DECIMAL_DIV, "31.3", "37");
	calc_is("7%", RULEBOOK_DECIMAL_MUL, "100", "7");
	/* 1/3 to 18 significant digits */
	calc_is("1", RULEBOOK_DECIMAL_DIV, "3", "0.333333333333333333");
	/* 2/3 rounds the 18th digit up */
	calc_is("2", RULEBOOK_DECIMAL_DIV, "3", "0.666666666666666667");

	char buf[8];
	size_t need = 0;
	ck_assert_int_eq(rulebook_decimal_calc("1", 1, RULEBOOK_DECIMAL_DIV, "0", 1, buf, sizeof buf,
					       NULL),
			 RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(rulebook_decimal_calc("a", 1, RULEBOOK_DECIMAL_ADD, "0", 1, buf,
					       sizeof buf, NULL),
			 RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(rulebook_decimal_calc("9e300", 5, RULEBOOK_DECIMAL_MUL, "9e300", 5, buf,
					       sizeof buf, NULL),
			 RULEBOOK_ERR_RANGE);
	ck_assert_int_eq(rulebook_decimal_calc("1", 1, (rulebook_decimal_op)4, "1", 1, buf,
					       sizeof buf, NULL),
			 RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_decimal_calc(NULL, 0, RULEBOOK_DECIMAL_ADD, "1", 1, buf,
					       sizeof buf, NULL),
			 RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_decimal_calc("1", 1, RULEBOOK_DECIMAL_ADD, "1", 1, NULL, 8,
					       NULL),
			 RULEBOOK_ERR_INVALID);
	/* 123456 × 1000 = "123456000": 9 bytes and a NUL do not fit in 8 */
	ck_assert_int_eq(rulebook_decimal_calc("123456", 6, RULEBOOK_DECIMAL_MUL, "1000", 4, buf,
					       sizeof buf, &need),
			 RULEBOOK_ERR_LIMIT);
	ck_assert_uint_eq(need, 9);
}
END_TEST

static void formats_as(const char *text, int32_t places, rulebook_rounding r, uint32_t flags,
		       const char *want)
{
	char buf[RULEBOOK_DECIMAL_BUFSIZE];
	size_t len = 0;
	ck_assert_int_eq(rulebook_decimal_format(text, strlen(text), places, r, flags, buf,
						 sizeof buf, &len),
			 RULEBOOK_OK);
	ck_assert_str_eq(buf, want);
	ck_assert_uint_eq(len, strlen(want));
}

START_TEST(test_format)
{
	formats_as("1158.149", 2, RULEBOOK_ROUND_HALF_UP, 0, "1158.15");
	formats_as("2.5", 0, RULEBOOK_ROUND_HALF_UP, 0, "3");
	formats_as("-2.5", 0, RULEBOOK_ROUND_HALF_UP, 0, "-3");   /* away from zero */
	formats_as("2.5", 0, RULEBOOK_ROUND_HALF_EVEN, 0, "2");
	formats_as("3.5", 0, RULEBOOK_ROUND_HALF_EVEN, 0, "4");
	formats_as("2.9", 0, RULEBOOK_ROUND_DOWN, 0, "2");
	formats_as("-2.9", 0, RULEBOOK_ROUND_DOWN, 0, "-2");
	formats_as("-2.1", 0, RULEBOOK_ROUND_FLOOR, 0, "-3");
	formats_as("2.1", 0, RULEBOOK_ROUND_CEILING, 0, "3");
	formats_as("1.10", 4, RULEBOOK_ROUND_HALF_UP, 0, "1.1");  /* no trailing zeros */
	formats_as("37", 2, RULEBOOK_ROUND_HALF_UP, RULEBOOK_FORMAT_FIXED, "37.00");
	formats_as("0.5", 3, RULEBOOK_ROUND_HALF_UP, RULEBOOK_FORMAT_FIXED, "0.500");
	formats_as("1234567.5", 0, RULEBOOK_ROUND_HALF_EVEN, RULEBOOK_FORMAT_THOUSANDS,
		   "1,234,568");
	formats_as("-1234567.891", RULEBOOK_DECIMAL_ALL_PLACES, RULEBOOK_ROUND_HALF_UP,
		   RULEBOOK_FORMAT_THOUSANDS, "-1,234,567.891");
	formats_as("123456", 0, RULEBOOK_ROUND_HALF_UP, RULEBOOK_FORMAT_THOUSANDS, "123,456");
	formats_as("999.9999", 2, RULEBOOK_ROUND_HALF_UP,
		   RULEBOOK_FORMAT_THOUSANDS | RULEBOOK_FORMAT_FIXED, "1,000.00");
	formats_as("4.2", 1, RULEBOOK_ROUND_HALF_UP, RULEBOOK_FORMAT_SIGN, "+4.2");
	formats_as("0", 1, RULEBOOK_ROUND_HALF_UP, RULEBOOK_FORMAT_SIGN, "0");    /* no + on 0 */
	formats_as("-0.001", 2, RULEBOOK_ROUND_HALF_UP, 0, "0");  /* rounds to zero */
	formats_as("-0.000025", RULEBOOK_DECIMAL_ALL_PLACES, RULEBOOK_ROUND_HALF_UP, 0,
		   "-0.000025");
	formats_as("7%", 3, RULEBOOK_ROUND_HALF_UP, 0, "0.07");
	formats_as("1.5e3", RULEBOOK_DECIMAL_ALL_PLACES, RULEBOOK_ROUND_HALF_UP, 0, "1500");

	char buf[8];
	size_t need = 0;
	ck_assert_int_eq(rulebook_decimal_format("x", 1, 2, RULEBOOK_ROUND_HALF_UP, 0, buf,
						 sizeof buf, NULL),
			 RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(rulebook_decimal_format("1e500", 5, 2, RULEBOOK_ROUND_HALF_UP, 0, buf,
						 sizeof buf, NULL),
			 RULEBOOK_ERR_RANGE);
	ck_assert_int_eq(rulebook_decimal_format("1", 1, -2, RULEBOOK_ROUND_HALF_UP, 0, buf,
						 sizeof buf, NULL),
			 RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_decimal_format("1", 1, 301, RULEBOOK_ROUND_HALF_UP, 0, buf,
						 sizeof buf, NULL),
			 RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_decimal_format("1", 1, 2, (rulebook_rounding)5, 0, buf,
						 sizeof buf, NULL),
			 RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_decimal_format("1", 1, 2, RULEBOOK_ROUND_HALF_UP, 0x8u, buf,
						 sizeof buf, NULL),
			 RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_decimal_format("1", 1, RULEBOOK_DECIMAL_ALL_PLACES,
						 RULEBOOK_ROUND_HALF_UP, RULEBOOK_FORMAT_FIXED, buf,
						 sizeof buf, NULL),
			 RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_decimal_format(NULL, 0, 2, RULEBOOK_ROUND_HALF_UP, 0, buf,
						 sizeof buf, NULL),
			 RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_decimal_format("1", 1, 2, RULEBOOK_ROUND_HALF_UP, 0, NULL, 8,
						 NULL),
			 RULEBOOK_ERR_INVALID);
	/* "1,234,567" is 9 bytes: too long for 8 */
	ck_assert_int_eq(rulebook_decimal_format("1234567", 7, 0, RULEBOOK_ROUND_HALF_UP,
						 RULEBOOK_FORMAT_THOUSANDS, buf, sizeof buf, &need),
			 RULEBOOK_ERR_LIMIT);
	ck_assert_uint_eq(need, 9);
	ck_assert_str_eq(buf, "");
	/* the largest output fits RULEBOOK_DECIMAL_BUFSIZE: 18 digits × 10^300
	 * with separators and 300 places */
	char big[RULEBOOK_DECIMAL_BUFSIZE];
	ck_assert_int_eq(rulebook_decimal_format("-999999999999999999e300", 23, 300,
						 RULEBOOK_ROUND_HALF_UP,
						 RULEBOOK_FORMAT_THOUSANDS | RULEBOOK_FORMAT_FIXED,
						 big, sizeof big, &need),
			 RULEBOOK_OK);
	/* '-', 318 digits, 105 commas, '.', 300 zeros */
	ck_assert_uint_eq(need, 1 + 318 + 105 + 1 + 300);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("decimal-text");
	TCase *tc = tcase_create("decimal-text");
	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_compare);
	tcase_add_test(tc, test_calc);
	tcase_add_test(tc, test_format);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
