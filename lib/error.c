#include "error.h"
#include "alloc.h"
#include "limits.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct rb_diag {
	rulebook_status status;
	char *message;
	char *file;
	char *subject;
	uint32_t line;
	uint32_t col;
} rb_diag;

struct rulebook_error {
	rb_diag *items;
	size_t count;
	size_t cap;
	/* Set when recording a diagnostic itself ran out of memory. */
	int nomem;
	/* At most max diagnostics are kept; the rest are counted in `more`
	 * and shown as one last diagnostic, "and N more". */
	size_t max, more;
	rb_diag more_diag;
	char more_msg[128];
};

static const char *const status_text[] = {
	[RULEBOOK_OK] = "ok",
	[RULEBOOK_ERR_NOMEM] = "out of memory",
	[RULEBOOK_ERR_IO] = "input/output error",
	[RULEBOOK_ERR_SYNTAX] = "syntax error",
	[RULEBOOK_ERR_SCHEMA] = "schema error",
	[RULEBOOK_ERR_EXPR] = "expression error",
	[RULEBOOK_ERR_NAME] = "name error",
	[RULEBOOK_ERR_TYPE] = "type error",
	[RULEBOOK_ERR_UNIT] = "unit error",
	[RULEBOOK_ERR_CYCLE] = "dependency cycle",
	[RULEBOOK_ERR_VALUE] = "invalid value",
	[RULEBOOK_ERR_RANGE] = "number out of range",
	[RULEBOOK_ERR_LIMIT] = "limit exceeded",
	[RULEBOOK_ERR_INVALID] = "invalid argument",
	[RULEBOOK_ERR_NOT_FOUND] = "not found",
	[RULEBOOK_ERR_TEST] = "rulebook tests failed",
	[RULEBOOK_LINT] = "lint finding",
	[RULEBOOK_NOTE] = "note",
};

RULEBOOK_API const char *rulebook_status_str(rulebook_status status)
{
	if ((unsigned)status < sizeof(status_text) / sizeof(status_text[0]) &&
	    status_text[status])
		return status_text[status];
	return "unknown status";
}

RULEBOOK_API rulebook_error *rulebook_error_new(void)
{
	rulebook_error *err = rb_calloc(1, sizeof(rulebook_error));
	if (err)
		err->max = (size_t)rb_limits_default.diagnostics;
	return err;
}

size_t rb_error_total(const rulebook_error *err)
{
	return err ? err->count + err->more + (err->nomem ? 1 : 0) : 0;
}

void rb_error_set_max(rulebook_error *err, uint64_t max)
{
	if (err)
		err->max = max > SIZE_MAX ? SIZE_MAX : (size_t)max;
}

RULEBOOK_API void rulebook_error_clear(rulebook_error *err)
{
	if (!err)
		return;
	for (size_t i = 0; i < err->count; i++) {
		rb_free(err->items[i].message);
		rb_free(err->items[i].file);
		rb_free(err->items[i].subject);
	}
	err->count = 0;
	err->nomem = 0;
	err->more = 0;
	rb_free(err->more_diag.file);
	err->more_diag.file = NULL;
}

RULEBOOK_API void rulebook_error_free(rulebook_error *err)
{
	if (!err)
		return;
	rulebook_error_clear(err);
	rb_free(err->items);
	rb_free(err);
}

static const rb_diag nomem_diag = {RULEBOOK_ERR_NOMEM, (char *)"out of memory", NULL, NULL, 0, 0};

static const rb_diag *diag_at(const rulebook_error *err, size_t i)
{
	if (!err)
		return NULL;
	if (i < err->count)
		return &err->items[i];
	if (err->nomem && i == err->count)
		return &nomem_diag;
	if (err->more && i == err->count + (err->nomem ? 1 : 0))
		return &err->more_diag;
	return NULL;
}

RULEBOOK_API size_t rulebook_error_count(const rulebook_error *err)
{
	return err ? err->count + (err->nomem ? 1 : 0) + (err->more ? 1 : 0) : 0;
}

RULEBOOK_API rulebook_status rulebook_error_status(const rulebook_error *err)
{
	const rb_diag *d = diag_at(err, 0);
	return d ? d->status : RULEBOOK_OK;
}

RULEBOOK_API rulebook_status rulebook_error_status_at(const rulebook_error *err, size_t i)
{
	const rb_diag *d = diag_at(err, i);
	return d ? d->status : RULEBOOK_OK;
}

RULEBOOK_API const char *rulebook_error_message(const rulebook_error *err, size_t i)
{
	const rb_diag *d = diag_at(err, i);
	return d ? d->message : "";
}

RULEBOOK_API const char *rulebook_error_file(const rulebook_error *err, size_t i)
{
	const rb_diag *d = diag_at(err, i);
	return d ? d->file : NULL;
}

RULEBOOK_API uint32_t rulebook_error_line(const rulebook_error *err, size_t i)
{
	const rb_diag *d = diag_at(err, i);
	return d ? d->line : 0;
}

RULEBOOK_API uint32_t rulebook_error_column(const rulebook_error *err, size_t i)
{
	const rb_diag *d = diag_at(err, i);
	return d ? d->col : 0;
}

RULEBOOK_API const char *rulebook_error_subject(const rulebook_error *err, size_t i)
{
	const rb_diag *d = diag_at(err, i);
	return d ? d->subject : NULL;
}

/* len without a trailing incomplete UTF-8 sequence: a message cut short by
 * a fixed-size buffer may end inside a character. */
static size_t whole_chars(const char *s, size_t len)
{
	size_t i = len;
	while (i > 0 && len - i < 3 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return len;
	unsigned char b = (unsigned char)s[i - 1];
	size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
	return len - (i - 1) < need ? i - 1 : len;
}

static rulebook_status push(rulebook_error *err, rulebook_status status, const char *file,
			    uint32_t line, uint32_t col, const char *subject, const char *msg)
{
	if (err->nomem)
		return status;
	if (err->max && err->count >= err->max) {
		/* Counted, not kept: the last diagnostic says how many. */
		if (err->more++ == 0) {
			err->more_diag.status = status;
			err->more_diag.file = file ? rb_strndup(file, strlen(file)) : NULL;
			err->more_diag.message = err->more_msg;
		}
		snprintf(err->more_msg, sizeof err->more_msg,
			 "and %zu more diagnostic%s (at most %zu are kept)", err->more,
			 err->more == 1 ? "" : "s", err->max);
		return status;
	}
	if (rb_grow((void **)&err->items, &err->cap, err->count + 1, sizeof(rb_diag)) < 0) {
		err->nomem = 1;
		return status;
	}
	rb_diag *d = &err->items[err->count];
	d->status = status;
	d->line = line;
	d->col = col;
	d->message = rb_strndup(msg, whole_chars(msg, strlen(msg)));
	d->file = file ? rb_strndup(file, strlen(file)) : NULL;
	d->subject = subject ? rb_strndup(subject, strlen(subject)) : NULL;
	if (!d->message || (file && !d->file) || (subject && !d->subject)) {
		rb_free(d->message);
		rb_free(d->file);
		rb_free(d->subject);
		err->nomem = 1;
		return status;
	}
	err->count++;
	return status;
}

rulebook_status rb_error_add(rulebook_error *err, rulebook_status status, rb_pos pos,
			     const char *subject, const char *fmt, ...)
{
	if (!err)
		return status;
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return push(err, status, pos.file, pos.line, pos.col, subject, buf);
}

void rb_error_append(rulebook_error *dst, const rulebook_error *src)
{
	rb_error_append_from(dst, src, 0);
}

void rb_error_append_from(rulebook_error *dst, const rulebook_error *src, size_t first)
{
	if (!dst || !src)
		return;
	for (size_t i = first; i < src->count; i++) {
		const rb_diag *d = &src->items[i];
		push(dst, d->status, d->file, d->line, d->col, d->subject, d->message);
	}
	if (src->more)
		push(dst, src->more_diag.status, src->more_diag.file, 0, 0, NULL, src->more_msg);
	if (src->nomem)
		dst->nomem = 1;
}
