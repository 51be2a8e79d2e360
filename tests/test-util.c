/* Unit tests of the small utilities: dates, SHA-256 and the output buffer.
 * Expected values are worked out by hand or taken from published vectors. */
#include <check.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "rulebook.h"
#include "sha256.h"

/* ------------------------------------------------------------------------
 * Dates
 * ------------------------------------------------------------------------ */

START_TEST(date_valid)
{
	ck_assert(rb_date_valid(20230101));
	ck_assert(rb_date_valid(20231231));
	ck_assert(rb_date_valid(10000101));
	ck_assert(rb_date_valid(99991231));
	/* Leap years: divisible by 4, except centuries not divisible by 400. */
	ck_assert(rb_date_valid(20000229));
	ck_assert(!rb_date_valid(19000229));
	ck_assert(rb_date_valid(20240229));
	ck_assert(!rb_date_valid(20230229));
	ck_assert(rb_date_valid(20230228));
	ck_assert(!rb_date_valid(21000229));
	ck_assert(rb_date_valid(16000229));
	/* Month lengths. */
	ck_assert(rb_date_valid(20230131));
	ck_assert(!rb_date_valid(20230132));
	ck_assert(rb_date_valid(20230430));
	ck_assert(!rb_date_valid(20230431));
	ck_assert(!rb_date_valid(20230631));
	ck_assert(!rb_date_valid(20230931));
	ck_assert(!rb_date_valid(20231131));
	/* Out of range parts. */
	ck_assert(!rb_date_valid(20230001));
	ck_assert(!rb_date_valid(20231301));
	ck_assert(!rb_date_valid(20230100));
	ck_assert(!rb_date_valid(9991231));
	ck_assert(!rb_date_valid(100000101));
	ck_assert(!rb_date_valid(0));
	ck_assert(!rb_date_valid(-20230101));
	ck_assert(!rb_date_valid(INT32_MAX));
	ck_assert(!rb_date_valid(INT32_MIN));
}
END_TEST

START_TEST(date_parse_good)
{
	int32_t d = 0;
	ck_assert_int_eq(rb_date_parse("2023-01-05", 10, &d), 0);
	ck_assert_int_eq(d, 20230105);
	ck_assert_int_eq(rb_date_parse("2024-02-29", 10, &d), 0);
	ck_assert_int_eq(d, 20240229);
	ck_assert_int_eq(rb_date_parse("2000-02-29", 10, &d), 0);
	ck_assert_int_eq(d, 20000229);
	ck_assert_int_eq(rb_date_parse("1000-01-01", 10, &d), 0);
	ck_assert_int_eq(d, 10000101);
	ck_assert_int_eq(rb_date_parse("9999-12-31", 10, &d), 0);
	ck_assert_int_eq(d, 99991231);
	/* Only len bytes are read; the text need not be NUL-terminated. */
	const char raw[10] = { '2', '0', '2', '1', '-', '0', '6', '-', '3', '0' };
	ck_assert_int_eq(rb_date_parse(raw, sizeof raw, &d), 0);
	ck_assert_int_eq(d, 20210630);
	ck_assert_int_eq(rb_date_parse("2021-07-01 and more", 10, &d), 0);
	ck_assert_int_eq(d, 20210701);
}
END_TEST

START_TEST(date_parse_bad)
{
	static const char *const bad[] = {
		"2023-02-30", "2023-2-3", "2023-13-01", "2023-00-10", "0999-01-01",
		"2023-01-01T00:00", " 2023-01-01", "2023-01-01 ", "2023-01-00",
		"1900-02-29", "2023-04-31", "2023/01/01", "2023-01-0a", "+023-01-01",
		"-023-01-01", "2023--1-01", "20230101", "", "2023-01-1 ", "2023-1-01\n",
		"202\xb3-01-01", "2023-01-\xd9\xa1\x30",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int32_t d = 12345;
		ck_assert_msg(rb_date_parse(bad[i], strlen(bad[i]), &d) == -1,
			      "accepted \"%s\"", bad[i]);
		ck_assert_int_eq(d, 12345);
	}
	int32_t d;
	/* A valid date cut short by len. */
	ck_assert_int_eq(rb_date_parse("2023-01-01", 9, &d), -1);
	ck_assert_int_eq(rb_date_parse("2023-01-01", 0, &d), -1);
	/* An embedded NUL is not a digit. */
	ck_assert_int_eq(rb_date_parse("2023-01-\0" "1", 10, &d), -1);
}
END_TEST

START_TEST(date_parse_public)
{
	int32_t d = 0;
	ck_assert_int_eq(rulebook_date_parse("2024-02-29", 10, &d), RULEBOOK_OK);
	ck_assert_int_eq(d, 20240229);
	ck_assert_int_eq(rulebook_date_parse("2023-02-29", 10, &d), RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(rulebook_date_parse("2023-01-01T00:00", 16, &d), RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(rulebook_date_parse(NULL, 10, &d), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_date_parse("2024-02-29", 10, NULL), RULEBOOK_ERR_INVALID);
}
END_TEST

START_TEST(date_format)
{
	char buf[11];
	memset(buf, 'x', sizeof buf);
	rb_date_format(20230105, buf);
	ck_assert_str_eq(buf, "2023-01-05");
	rb_date_format(10000101, buf);
	ck_assert_str_eq(buf, "1000-01-01");
	rb_date_format(99991231, buf);
	ck_assert_str_eq(buf, "9999-12-31");
	rb_date_format(19700101, buf);
	ck_assert_str_eq(buf, "1970-01-01");
}
END_TEST

/* Day numbers counted by hand: 1970..1999 has 30 * 365 days plus the leap
 * days of 1972..1996 (7), so 2000-01-01 is day 10957; 2000-03-01 adds 31 + 29.
 * 1900-01-01 is 70 * 365 + 17 leap days (1904..1968) before the epoch. */
START_TEST(date_days_known)
{
	ck_assert_int_eq(rb_date_to_days(19700101), 0);
	ck_assert_int_eq(rb_date_to_days(19700102), 1);
	ck_assert_int_eq(rb_date_to_days(19691231), -1);
	ck_assert_int_eq(rb_date_to_days(19710101), 365);
	ck_assert_int_eq(rb_date_to_days(20000101), 10957);
	ck_assert_int_eq(rb_date_to_days(20000229), 11016);
	ck_assert_int_eq(rb_date_to_days(20000301), 11017);
	ck_assert_int_eq(rb_date_to_days(19000101), -25567);
	ck_assert_int_eq(rb_date_to_days(19000301), -25508);
	/* 1970..2023: 54 * 365 + 13 leap days (1972..2020); then 31 + 28. */
	ck_assert_int_eq(rb_date_to_days(20240101), 19723);
	ck_assert_int_eq(rb_date_to_days(20240229), 19782);
	ck_assert_int_eq(rb_date_to_days(10000101), -354285);
	ck_assert_int_eq(rb_date_to_days(99991231), 2932896);

	ck_assert_int_eq(rb_date_from_days(0), 19700101);
	ck_assert_int_eq(rb_date_from_days(-1), 19691231);
	ck_assert_int_eq(rb_date_from_days(11016), 20000229);
	ck_assert_int_eq(rb_date_from_days(11017), 20000301);
	ck_assert_int_eq(rb_date_from_days(-25508), 19000301);
	ck_assert_int_eq(rb_date_from_days(-25509), 19000228);
	ck_assert_int_eq(rb_date_from_days(19782), 20240229);
	ck_assert_int_eq(rb_date_from_days(-354285), 10000101);
	ck_assert_int_eq(rb_date_from_days(2932896), 99991231);
	/* Outside the supported years: 0, which is not a valid date. */
	ck_assert_int_eq(rb_date_from_days(-354286), 0);
	ck_assert_int_eq(rb_date_from_days(2932897), 0);
	ck_assert_int_eq(rb_date_from_days(INT64_MIN), 0);
	ck_assert_int_eq(rb_date_from_days(INT64_MAX), 0);
}
END_TEST

/* The calendar's successor, by counting, to check the closed-form
 * conversions against. */
static int32_t next_day(int32_t ymd)
{
	int32_t y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
	if (rb_date_valid(y * 10000 + m * 100 + d + 1))
		return ymd + 1;
	if (m < 12)
		return y * 10000 + (m + 1) * 100 + 1;
	return (y + 1) * 10000 + 101;
}

START_TEST(date_round_trip)
{
	/* Every day of the supported range, in order. ck_assert inside the loop
	 * would record a checkpoint per day, so only failures call into Check. */
	int32_t ymd = 10000101;
	int64_t count = 0;
	for (int64_t n = rb_date_to_days(10000101); n <= rb_date_to_days(99991231); n++) {
		if (!rb_date_valid(ymd))
			ck_abort_msg("%d not valid", (int)ymd);
		if (rb_date_to_days(ymd) != n)
			ck_abort_msg("to_days(%d) != %lld", (int)ymd, (long long)n);
		if (rb_date_from_days(n) != ymd)
			ck_abort_msg("from_days(%lld) = %d, want %d", (long long)n,
				     (int)rb_date_from_days(n), (int)ymd);
		char text[11];
		int32_t back;
		rb_date_format(ymd, text);
		if (rb_date_parse(text, 10, &back) != 0 || back != ymd)
			ck_abort_msg("parse(format(%d)) failed", (int)ymd);
		ymd = next_day(ymd);
		count++;
	}
	ck_assert_int_eq(ymd, 100000101);
	/* 9000 years: 9000 * 365 + leap days. Years 1000..9999 hold 2250
	 * multiples of 4, 90 centuries of which 22 are multiples of 400. */
	ck_assert_int_eq(count, 9000 * 365 + 2250 - 90 + 22);
}
END_TEST

START_TEST(date_span)
{
	ck_assert_int_eq(rb_date_span(20210101, 20231231), 1095);
	ck_assert_int_eq(rb_date_span(20200101, 20201231), 366);
	ck_assert_int_eq(rb_date_span(20230101, 20231231), 365);
	ck_assert_int_eq(rb_date_span(20240201, 20240229), 29);
	ck_assert_int_eq(rb_date_span(19000201, 19000301), 29);
	ck_assert_int_eq(rb_date_span(20230615, 20230615), 1);
	ck_assert_int_eq(rb_date_span(20230616, 20230615), 0);
	ck_assert_int_eq(rb_date_span(20240101, 20230101), 0);
	ck_assert_int_eq(rb_date_span(10000101, 99991231), 3287182);
}
END_TEST

/* ------------------------------------------------------------------------
 * SHA-256 (FIPS 180-4 examples)
 * ------------------------------------------------------------------------ */

static void check_sha(const char *msg, size_t len, const char *want)
{
	char out[65];
	memset(out, 'x', sizeof out);
	rb_sha256_hex(msg, len, out);
	ck_assert_str_eq(out, want);
}

START_TEST(sha_vectors)
{
	check_sha("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check_sha("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	/* 448 bits: the length no longer fits the first padding block. */
	check_sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* 896 bits: one full block, then a partial one. */
	check_sha("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
		  "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", 112,
		  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
	/* A NULL pointer is fine when there is nothing to read. */
	check_sha(NULL, 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
END_TEST

START_TEST(sha_million_a)
{
	size_t n = 1000000;
	char *m = malloc(n);
	ck_assert_ptr_nonnull(m);
	memset(m, 'a', n);
	check_sha(m, n, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(m);
}
END_TEST

START_TEST(sha_unaligned)
{
	/* Words are built from bytes, so any start address works. */
	char store[200];
	const char *msg = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	for (size_t off = 0; off < 8; off++) {
		memcpy(store + off, msg, 56);
		check_sha(store + off, 56,
			  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	}
}
END_TEST

/* ------------------------------------------------------------------------
 * Buffer
 * ------------------------------------------------------------------------ */

/* An allocator that counts calls and fails from call number `fail_at` on
 * (never when fail_at is 0). Storage comes from the C library, so blocks
 * can move between it and the default allocator. */
typedef struct test_alloc {
	int calls;
	int fail_at;
} test_alloc;

static void *t_malloc(size_t n, void *payload)
{
	test_alloc *t = payload;
	if (t->fail_at && ++t->calls >= t->fail_at)
		return NULL;
	if (!t->fail_at)
		t->calls++;
	return malloc(n);
}

static void *t_realloc(void *p, size_t n, void *payload)
{
	test_alloc *t = payload;
	if (t->fail_at && ++t->calls >= t->fail_at)
		return NULL;
	if (!t->fail_at)
		t->calls++;
	return realloc(p, n);
}

static void t_free(void *p, void *payload)
{
	(void)payload;
	free(p);
}

static void use_test_alloc(test_alloc *t)
{
	rulebook_set_allocator(t_malloc, t_realloc, t_free, t);
}

static void use_default_alloc(void)
{
	rulebook_set_allocator(NULL, NULL, NULL, NULL);
}

START_TEST(buf_empty)
{
	rb_buf b;
	rb_buf_init(&b);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_uint_eq(b.cap, 0);
	ck_assert(!b.failed);
	ck_assert_str_eq(rb_buf_cstr(&b), "");
	rb_buf_append(&b, NULL, 0);
	rb_buf_puts(&b, "");
	ck_assert_ptr_null(b.data);
	rb_buf_reset(&b);
	rb_buf_release(&b);
	ck_assert_ptr_null(b.data);
}
END_TEST

START_TEST(buf_append)
{
	rb_buf b;
	rb_buf_init(&b);
	rb_buf_append(&b, "abcXYZ", 3);
	rb_buf_puts(&b, "def");
	rb_buf_putc(&b, 'g');
	ck_assert_uint_eq(b.len, 7);
	ck_assert_str_eq(b.data, "abcdefg");
	ck_assert_str_eq(rb_buf_cstr(&b), "abcdefg");

	/* Growth keeps the contents and the terminating NUL. */
	char big[1000];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (char)('a' + i % 26);
	rb_buf_append(&b, big, sizeof big);
	ck_assert_uint_eq(b.len, 1007);
	ck_assert(b.cap > b.len);
	ck_assert_int_eq(memcmp(b.data, "abcdefg", 7), 0);
	ck_assert_int_eq(memcmp(b.data + 7, big, sizeof big), 0);
	ck_assert_int_eq(b.data[b.len], '\0');

	/* A NUL byte is content like any other. */
	rb_buf_reset(&b);
	rb_buf_putc(&b, 'a');
	rb_buf_putc(&b, '\0');
	rb_buf_putc(&b, 'b');
	ck_assert_uint_eq(b.len, 3);
	ck_assert_int_eq(memcmp(b.data, "a\0b", 4), 0);
	rb_buf_release(&b);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.len, 0);
}
END_TEST

START_TEST(buf_printf)
{
	rb_buf b;
	rb_buf_init(&b);
	rb_buf_printf(&b, "%d-%s", 42, "x");
	ck_assert_str_eq(rb_buf_cstr(&b), "42-x");
	rb_buf_printf(&b, "[%5u|%-3s]", 7u, "ab");
	ck_assert_str_eq(rb_buf_cstr(&b), "42-x[    7|ab ]");
	ck_assert_uint_eq(b.len, 15);
	rb_buf_release(&b);

	/* Fitting the spare room exactly, then one byte too many. The first
	 * allocation holds 8 bytes: 7 characters and the NUL. */
	rb_buf_init(&b);
	rb_buf_putc(&b, 'a');
	ck_assert_uint_eq(b.cap, 8);
	rb_buf_printf(&b, "%s", "bcdefg");
	ck_assert_uint_eq(b.cap, 8);
	ck_assert_str_eq(rb_buf_cstr(&b), "abcdefg");
	rb_buf_printf(&b, "%c", 'h');
	ck_assert_str_eq(rb_buf_cstr(&b), "abcdefgh");
	ck_assert_uint_eq(b.len, 8);
	ck_assert(b.cap > 8);
	rb_buf_release(&b);

	/* Much longer than the room: grow and format again. */
	char big[301];
	memset(big, 'q', 300);
	big[300] = '\0';
	rb_buf_init(&b);
	rb_buf_puts(&b, "<");
	rb_buf_printf(&b, "%s|%s", big, big);
	ck_assert_uint_eq(b.len, 602);
	ck_assert_int_eq(b.data[0], '<');
	ck_assert_int_eq(b.data[301], '|');
	ck_assert_int_eq(b.data[601], 'q');
	ck_assert_int_eq(b.data[602], '\0');

	/* Nothing to print leaves the buffer as it was. */
	rb_buf_printf(&b, "%s", "");
	ck_assert_uint_eq(b.len, 602);
	rb_buf_release(&b);
	rb_buf_printf(&b, "%s", "");
	ck_assert_ptr_null(b.data);
}
END_TEST

static void check_json(const char *in, size_t len, const char *want)
{
	rb_buf b;
	rb_buf_init(&b);
	rb_buf_puts(&b, "=");
	rb_buf_json_string(&b, in, len);
	ck_assert_str_eq(rb_buf_cstr(&b), want);
	ck_assert_uint_eq(b.len, strlen(want));
	rb_buf_release(&b);
}

START_TEST(buf_json_string)
{
	check_json("", 0, "=\"\"");
	check_json("plain text", 10, "=\"plain text\"");
	check_json("say \"hi\"", 8, "=\"say \\\"hi\\\"\"");
	check_json("a\\b", 3, "=\"a\\\\b\"");
	check_json("\b\f\n\r\t", 5, "=\"\\b\\f\\n\\r\\t\"");
	check_json("\x01\x1f", 2, "=\"\\u0001\\u001f\"");
	check_json("a\0b", 3, "=\"a\\u0000b\"");
	check_json("\x0b\x1b", 2, "=\"\\u000b\\u001b\"");
	/* Bytes from 0x20 up, DEL and UTF-8 included, are copied unchanged. */
	check_json(" ~\x7f/", 4, "=\" ~\x7f/\"");
	check_json("caf\xc3\xa9 \xe2\x82\xac", 9, "=\"caf\xc3\xa9 \xe2\x82\xac\"");
	/* Only len bytes are read. */
	check_json("abc\ndef", 4, "=\"abc\\n\"");
}
END_TEST

static void render(rb_buf *b)
{
	for (int i = 0; i < 50; i++)
		rb_buf_printf(b, "line %d\n", i);
	rb_buf_json_string(b, "x\ty", 3);
	rb_buf_puts(b, "end");
}

START_TEST(buf_reset_keeps_storage)
{
	rb_buf b;
	rb_buf_init(&b);
	render(&b);
	char *data = b.data;
	size_t cap = b.cap;
	rb_buf_reset(&b);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_str_eq(rb_buf_cstr(&b), "");
	ck_assert_ptr_eq(b.data, data);
	ck_assert_uint_eq(b.cap, cap);

	/* Rendering the same output again does not allocate. */
	test_alloc t = { 0, 0 };
	use_test_alloc(&t);
	render(&b);
	use_default_alloc();
	ck_assert_int_eq(t.calls, 0);
	ck_assert_ptr_eq(b.data, data);
	ck_assert(!b.failed);
	rb_buf_release(&b);
}
END_TEST

START_TEST(buf_fail_first)
{
	test_alloc t = { 0, 1 };
	rb_buf b;
	rb_buf_init(&b);
	use_test_alloc(&t);
	rb_buf_puts(&b, "hello");
	ck_assert(b.failed);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_str_eq(rb_buf_cstr(&b), "");

	/* Later appends are ignored without asking for memory again. */
	int calls = t.calls;
	rb_buf_putc(&b, 'x');
	rb_buf_printf(&b, "%d", 12345);
	rb_buf_json_string(&b, "abc", 3);
	rb_buf_append(&b, "abc", 3);
	ck_assert_int_eq(t.calls, calls);
	ck_assert(b.failed);
	ck_assert_str_eq(rb_buf_cstr(&b), "");

	/* reset clears the failure. */
	use_default_alloc();
	rb_buf_reset(&b);
	ck_assert(!b.failed);
	rb_buf_puts(&b, "ok");
	ck_assert_str_eq(rb_buf_cstr(&b), "ok");
	rb_buf_release(&b);
}
END_TEST

START_TEST(buf_fail_grow)
{
	rb_buf b;
	rb_buf_init(&b);
	rb_buf_puts(&b, "hello");
	char *data = b.data;

	test_alloc t = { 0, 1 };
	use_test_alloc(&t);
	rb_buf_puts(&b, ", a longer tail that needs more room");
	ck_assert(b.failed);
	ck_assert_str_eq(rb_buf_cstr(&b), "");
	/* The storage stays with the buffer, so release still frees it. */
	ck_assert_ptr_eq(b.data, data);
	ck_assert_uint_eq(b.len, 5);
	/* Even what would fit is ignored now. */
	rb_buf_putc(&b, '!');
	ck_assert_uint_eq(b.len, 5);
	use_default_alloc();

	rb_buf_reset(&b);
	rb_buf_puts(&b, "again");
	ck_assert_str_eq(rb_buf_cstr(&b), "again");
	rb_buf_release(&b);
}
END_TEST

START_TEST(buf_fail_printf)
{
	rb_buf b;
	rb_buf_init(&b);
	rb_buf_puts(&b, "abc");

	test_alloc t = { 0, 1 };
	use_test_alloc(&t);
	rb_buf_printf(&b, "%s", "0123456789abcdefghij");
	use_default_alloc();
	ck_assert(b.failed);
	ck_assert_uint_eq(b.len, 3);
	/* The truncated attempt wrote past len; the NUL is put back. */
	ck_assert_int_eq(b.data[3], '\0');
	ck_assert_int_eq(memcmp(b.data, "abc", 4), 0);
	ck_assert_str_eq(rb_buf_cstr(&b), "");
	rb_buf_release(&b);
}
END_TEST

START_TEST(buf_fail_json_midway)
{
	/* The first allocation succeeds, growing fails part way through. */
	test_alloc t = { 0, 2 };
	rb_buf b;
	rb_buf_init(&b);
	use_test_alloc(&t);
	rb_buf_json_string(&b, "a string longer than eight bytes", 32);
	use_default_alloc();
	ck_assert(b.failed);
	ck_assert_str_eq(rb_buf_cstr(&b), "");
	rb_buf_release(&b);
}
END_TEST

START_TEST(buf_size_overflow)
{
	rb_buf b;
	rb_buf_init(&b);
	rb_buf_puts(&b, "x");
	/* A length that cannot be represented with the NUL is refused before
	 * any byte is read. */
	rb_buf_append(&b, "y", SIZE_MAX);
	ck_assert(b.failed);
	ck_assert_uint_eq(b.len, 1);
	rb_buf_release(&b);
}
END_TEST

static Suite *util_suite(void)
{
	Suite *s = suite_create("util");

	TCase *tc = tcase_create("date");
	tcase_add_test(tc, date_valid);
	tcase_add_test(tc, date_parse_good);
	tcase_add_test(tc, date_parse_bad);
	tcase_add_test(tc, date_parse_public);
	tcase_add_test(tc, date_format);
	tcase_add_test(tc, date_days_known);
	tcase_add_test(tc, date_round_trip);
	tcase_add_test(tc, date_span);
	suite_add_tcase(s, tc);

	tc = tcase_create("sha256");
	tcase_add_test(tc, sha_vectors);
	tcase_add_test(tc, sha_million_a);
	tcase_add_test(tc, sha_unaligned);
	suite_add_tcase(s, tc);

	tc = tcase_create("buf");
	tcase_add_test(tc, buf_empty);
	tcase_add_test(tc, buf_append);
	tcase_add_test(tc, buf_printf);
	tcase_add_test(tc, buf_json_string);
	tcase_add_test(tc, buf_reset_keeps_storage);
	tcase_add_test(tc, buf_fail_first);
	tcase_add_test(tc, buf_fail_grow);
	tcase_add_test(tc, buf_fail_printf);
	tcase_add_test(tc, buf_fail_json_midway);
	tcase_add_test(tc, buf_size_overflow);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(util_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
