/* A growable byte buffer for output (JSON, explanations, messages). It keeps
 * its storage between uses, so output rendered into a reused result does not
 * allocate once the buffer is large enough. */
#ifndef RB_BUF_H
#define RB_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rb_buf {
	char *data;     /* NUL-terminated when len > 0 or after rb_buf_cstr */
	size_t len;
	size_t cap;
	bool failed;    /* an allocation failed; further appends are ignored */
} rb_buf;

void rb_buf_init(rb_buf *b);
void rb_buf_release(rb_buf *b);
/* Empty the buffer, keeping its storage, and clear `failed`. */
void rb_buf_reset(rb_buf *b);
void rb_buf_append(rb_buf *b, const char *s, size_t len);
void rb_buf_puts(rb_buf *b, const char *s);
void rb_buf_putc(rb_buf *b, char c);
void rb_buf_printf(rb_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* Append s[0..len) as a JSON string literal with quotes; control characters
 * are escaped (\n, \t, \u001f), other UTF-8 is copied as is. */
void rb_buf_json_string(rb_buf *b, const char *s, size_t len);
/* Bidirectional controls (U+202A-202E, U+2066-2069, U+200E, U+200F,
 * U+061C) and zero-width characters (U+200B-200D, U+2060, U+FEFF): they
 * change or hide what a reader sees, so ids refuse them and text for
 * people shows them escaped. */
bool rb_invisible(uint32_t cp);
/* The code point of the UTF-8 sequence at s (n bytes left) and its length
 * in *len; 0 with *len = 1 for a byte that starts no valid sequence. */
uint32_t rb_utf8_decode(const char *s, size_t n, size_t *len);
/* Replace every character rb_invisible() names by "<U+XXXX>". */
void rb_buf_escape_invisible(rb_buf *b);
/* The contents, NUL-terminated ("" when empty or failed). */
const char *rb_buf_cstr(rb_buf *b);

#endif
