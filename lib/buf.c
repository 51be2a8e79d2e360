#include "buf.h"
#include "alloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void rb_buf_init(rb_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->failed = false;
}

void rb_buf_release(rb_buf *b)
{
	rb_free(b->data);
	rb_buf_init(b);
}

void rb_buf_reset(rb_buf *b)
{
	b->len = 0;
	b->failed = false;
	if (b->data)
		b->data[0] = '\0';
}

/* Make room for extra bytes plus the terminating NUL. Whenever data is
 * allocated cap > len holds, so data[len] can always be written. */
static bool reserve(rb_buf *b, size_t extra)
{
	if (b->failed)
		return false;
	if (extra > SIZE_MAX - 1 - b->len) {
		b->failed = true;
		return false;
	}
	void *p = b->data;
	if (rb_grow(&p, &b->cap, b->len + extra + 1, 1) != 0) {
		b->failed = true;
		return false;
	}
	b->data = p;
	return true;
}

void rb_buf_append(rb_buf *b, const char *s, size_t len)
{
	if (len == 0 || !reserve(b, len))
		return;
	memcpy(b->data + b->len, s, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void rb_buf_puts(rb_buf *b, const char *s)
{
	rb_buf_append(b, s, strlen(s));
}

void rb_buf_putc(rb_buf *b, char c)
{
	rb_buf_append(b, &c, 1);
}

/* vsnprintf honours LC_NUMERIC for %f, %g and friends, so this is for text
 * and integers only: callers format numbers that must be locale-independent
 * (decimals, JSON numbers) themselves and append the digits. */
void rb_buf_printf(rb_buf *b, const char *fmt, ...)
{
	if (b->failed)
		return;
	va_list ap, again;
	va_start(ap, fmt);
	va_copy(again, ap);
	/* First try the spare room; on truncation grow to the exact size and
	 * format once more. */
	size_t room = b->data ? b->cap - b->len : 0;
	int n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap);
	if (n > 0 && (size_t)n >= room && reserve(b, (size_t)n))
		n = vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
	if (n >= 0 && !b->failed && (size_t)n < b->cap - b->len)
		b->len += (size_t)n;
	/* A failed or truncated attempt may have overwritten the NUL. */
	if (b->data)
		b->data[b->len] = '\0';
	va_end(again);
	va_end(ap);
}

void rb_buf_json_string(rb_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	rb_buf_putc(b, '"');
	size_t run = 0; /* start of the bytes not yet copied */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		rb_buf_append(b, s + run, i - run);
		run = i + 1;
		char esc[6] = { '\\', 0, 0, 0, 0, 0 };
		size_t n = 2;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
			break;
		}
		rb_buf_append(b, esc, n);
	}
	rb_buf_append(b, s + run, len - run);
	rb_buf_putc(b, '"');
}

const char *rb_buf_cstr(rb_buf *b)
{
	if (b->failed || !b->data)
		return "";
	b->data[b->len] = '\0';
	return b->data;
}

bool rb_invisible(uint32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	       (cp >= 0x200B && cp <= 0x200F) || cp == 0x2060 || cp == 0xFEFF || cp == 0x061C;
}

/* The code point of the valid UTF-8 sequence at s (n bytes left), its
 * length in *len; 0 with *len 1 for a byte that starts none. */
uint32_t rb_utf8_decode(const char *s, size_t n, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t k = u[0] < 0x80 ? 1 : u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : u[0] >= 0xC0 ? 2 : 0;
	if (k == 0 || k > n) {
		*len = 1;
		return 0;
	}
	uint32_t cp = k == 1 ? u[0] : (uint32_t)(u[0] & (0x7F >> k));
	for (size_t i = 1; i < k; i++) {
		if ((u[i] & 0xC0) != 0x80) {
			*len = 1;
			return 0;
		}
		cp = (cp << 6) | (u[i] & 0x3F);
	}
	*len = k;
	return cp;
}

void rb_buf_escape_invisible(rb_buf *b)
{
	if (b->failed || !b->len)
		return;
	size_t first = b->len;
	for (size_t i = 0, k; i < b->len; i += k)
		if (rb_invisible(rb_utf8_decode(b->data + i, b->len - i, &k))) {
			first = i;
			break;
		}
	if (first == b->len)
		return;
	rb_buf out;
	rb_buf_init(&out);
	rb_buf_append(&out, b->data, first);
	for (size_t i = first, k; i < b->len; i += k) {
		uint32_t cp = rb_utf8_decode(b->data + i, b->len - i, &k);
		if (rb_invisible(cp))
			rb_buf_printf(&out, "<U+%04X>", (unsigned)cp);
		else
			rb_buf_append(&out, b->data + i, k);
	}
	if (out.failed) {
		rb_buf_release(&out);
		b->failed = true;
		return;
	}
	rb_buf_release(b);
	*b = out;
}
