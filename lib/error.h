/* Internal side of rulebook_error: recording diagnostics with positions. */
#ifndef RB_ERROR_H
#define RB_ERROR_H

#include "rulebook.h"

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define RB_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define RB_PRINTF(f, a)
#endif

/* A position in a source document: file name, 1-based line and column. */
typedef struct rb_pos {
	const char *file;
	uint32_t line;
	uint32_t col;
} rb_pos;

/* Append a diagnostic to err (which may be NULL) and return status, so a
 * caller can write `return rb_error_add(err, ...)`. subject may be NULL.
 * When memory runs out while recording, err keeps a fixed "out of memory"
 * diagnostic instead. */
rulebook_status rb_error_add(rulebook_error *err, rulebook_status status, rb_pos pos,
			     const char *subject, const char *fmt, ...) RB_PRINTF(5, 6);

/* Keep at most max diagnostics in err (0: all); later ones are counted and
 * shown as one last diagnostic "and N more diagnostics". */
void rb_error_set_max(rulebook_error *err, uint64_t max);
/* Diagnostics added since the last clear, kept or not. */
size_t rb_error_total(const rulebook_error *err);

/* Copy every diagnostic of src to the end of dst. */
void rb_error_append(rulebook_error *dst, const rulebook_error *src);
/* The same from src's diagnostic first on. */
void rb_error_append_from(rulebook_error *dst, const rulebook_error *src, size_t first);

#endif
