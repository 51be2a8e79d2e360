/* Diagnostics in the file:line:col form, and text that comes from data
 * cleaned of control characters (and bidirectional and invisible ones)
 * before it reaches a terminal. */
#include "../cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- diagnostics ---- */

void cli_print_position(FILE *fp, const char *file, size_t line, size_t col)
{
	cli_put_clean(fp, file);
	if (line) {
		fprintf(fp, ":%zu", line);
		if (col)
			fprintf(fp, ":%zu", col);
	}
	fputs(": ", fp);
}

void cli_print_errors(FILE *fp, const rulebook_error *err, const char *fallback,
		      const char *kind)
{
	size_t n = rulebook_error_count(err);
	for (size_t i = 0; i < n; i++) {
		const char *file = rulebook_error_file(err, i);
		cli_print_position(fp, file ? file : fallback, rulebook_error_line(err, i),
				   rulebook_error_column(err, i));
		if (kind)
			fprintf(fp, "%s: ", kind);
		cli_put_clean(fp, rulebook_error_message(err, i));
		fputc('\n', fp);
	}
}

/* ---- text ---- */

size_t cli_utf8_char(const unsigned char *s, size_t avail, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t v;
	if (avail == 0)
		return 0;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		v = c & 0x1Fu;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		v = c & 0x0Fu;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		v = c & 0x07u;
	} else {
		return 0;
	}
	if (n > avail)
		return 0;
	for (size_t k = 1; k < n; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[k] & 0x3Fu);
	}
	if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
	    (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return n;
}

bool cli_invisible(uint32_t c)
{
	return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
	       (c >= 0x200B && c <= 0x200F) || c == 0x2060 || c == 0xFEFF || c == 0x061C;
}

void cli_put_clean(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s);
	while (left) {
		uint32_t c = 0;
		size_t n = cli_utf8_char(p, left, &c);
		if (n && cli_invisible(c)) {
			/* bidirectional controls and zero-width characters would
			 * reorder or hide what the reader sees: shown by name */
			fprintf(fp, "<U+%04X>", (unsigned)c);
		} else if (n && c >= 0x20 && c != 0x7F && (c < 0x80 || c > 0x9F)) {
			fwrite(p, 1, n, fp);
		} else {
			/* Control characters (C0, DEL, C1) and bytes that are not
			 * UTF-8 never reach the terminal as they are. */
			fputc(c == '\t' || c == '\n' || c == '\r' ? ' ' : '?', fp);
			n = n ? n : 1;
		}
		p += n;
		left -= n;
	}
}

/* East Asian Wide and Fullwidth ranges: two columns on a terminal. */
static bool wide(uint32_t c)
{
	return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
	       (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
	       (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
	       (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
	       (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
	       (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
	       (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD);
}

size_t cli_text_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s), w = 0;
	while (left) {
		uint32_t c = '?';
		size_t n = cli_utf8_char(p, left, &c);
		n = n ? n : 1; /* shown as one '?' */
		p += n;
		left -= n;
		if (c >= 0x300 && c <= 0x36F)
			continue; /* combining marks */
		w += cli_invisible(c) ? 8 : wide(c) ? 2 : 1; /* "<U+202E>" */
	}
	return w;
}

void cli_put_padded(FILE *fp, const char *s, size_t width)
{
	cli_put_clean(fp, s);
	for (size_t w = cli_text_width(s); w < width; w++)
		fputc(' ', fp);
}
