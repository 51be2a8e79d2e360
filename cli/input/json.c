/* JSON and JSON Lines: a small scanner that follows strings, escapes and
 * nesting cuts the text into records; each record is then given to
 * rulebook_facts_set_json. */
#include "input.h"

#include <stdlib.h>
#include <string.h>

/* ---- JSON records ---- */

bool input_json_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Byte offset of 1-based line and column in s; len if beyond. */
static size_t offset_of(const char *s, size_t len, size_t line, size_t col)
{
	size_t off = 0;
	for (size_t l = 1; l < line && off < len; off++)
		if (s[off] == '\n')
			l++;
	off += col ? col - 1 : 0;
	return off < len ? off : len;
}

/* In a two-rulebook run, a key that is not an input of book b but is one
 * of the other book is no error. */
static bool other_books_key(const reader *r, size_t b, size_t i)
{
	const char *key = rulebook_error_subject(r->err, i);
	size_t idx;
	return r->n > 1 && key && rulebook_error_status_at(r->err, i) == RULEBOOK_ERR_NOT_FOUND &&
	       rulebook_input_index(r->rbs[1 - b], key, strlen(key), &idx) == RULEBOOK_OK;
}

/* The diagnostics of set_json, moved from the record's text to the
 * position in the file. Returns how many were printed. */
static size_t json_error(reader *r, size_t b, const char *text, size_t len)
{
	size_t n = rulebook_error_count(r->err), printed = 0;
	for (size_t i = 0; i < n; i++) {
		if (other_books_key(r, b, i))
			continue;
		size_t l = rulebook_error_line(r->err, i), c = rulebook_error_column(r->err, i);
		size_t line = r->rec_line, col = 0;
		if (l) {
			size_t off = offset_of(text, len, l, c);
			size_t l0 = 1, c0 = 1;
			for (size_t k = 0; k < off && k < r->rec_len; k++) {
				if (r->rec[k] == '\n') {
					l0++;
					c0 = 1;
				} else {
					c0++;
				}
			}
			line = r->rec_line + l0 - 1;
			col = c ? (l0 == 1 ? r->rec_col + c0 - 1 : c0) : 0;
		}
		char msg[1024];
		snprintf(msg, sizeof msg, "%s%s", rulebook_error_message(r->err, i),
			 b ? " (new rulebook)" : "");
		input_refuse(r, line, col, NULL, msg);
		printed++;
	}
	return printed;
}

/* Set the facts of every book from one JSON record. Each book reads it
 * strictly first, so that a key neither book knows is reported; when the
 * only keys refused are inputs of the other book, it reads the record again
 * skipping unknown keys. */
static bool json_facts(reader *r, const char *text, size_t len)
{
	for (size_t b = 0; b < r->n; b++) {
		if (rulebook_facts_set_json(r->facts[b], text, len, r->err) == RULEBOOK_OK)
			continue;
		if (json_error(r, b, text, len))
			return false;
		/* Only keys of the other book were refused: take the rest. */
		rulebook_facts_ignore_unknown(r->facts[b], 1);
		rulebook_status st = rulebook_facts_set_json(r->facts[b], text, len, r->err);
		rulebook_facts_ignore_unknown(r->facts[b], r->ignore_unknown);
		if (st != RULEBOOK_OK) {
			json_error(r, b, text, len);
			return false;
		}
	}
	return true;
}

static void json_record(reader *r)
{
	r->records++;
	input_clear_facts(r);
	bool ok = true;
	if (r->rec_too_big) {
		char msg[96];
		snprintf(msg, sizeof msg, "the record is larger than the limit of %llu bytes",
			 (unsigned long long)r->max_record);
		input_refuse(r, r->rec_line, r->rec_col, NULL, msg);
		ok = false;
	} else {
		ok = json_facts(r, r->rec, r->rec_len);
	}
	input_deliver(r, ok, r->rec_line);
}

static void capture_byte(reader *r, char c)
{
	if (r->rec_too_big)
		return;
	if (r->rec_len + 1 > r->max_record) {
		r->rec_too_big = true;
		return;
	}
	if (!input_grow(&r->rec, &r->rec_cap, r->rec_len + 2)) {
		input_out_of_memory(r);
		return;
	}
	r->rec[r->rec_len++] = c;
	r->rec[r->rec_len] = '\0';
}

static void capture_bytes(reader *r, const char *data, size_t len)
{
	if (r->rec_too_big || len == 0)
		return;
	if (len > r->max_record - r->rec_len) {
		r->rec_too_big = true;
		return;
	}
	if (!input_grow(&r->rec, &r->rec_cap, r->rec_len + len + 1)) {
		input_out_of_memory(r);
		return;
	}
	memcpy(r->rec + r->rec_len, data, len);
	r->rec_len += len;
	r->rec[r->rec_len] = '\0';
}

static void capture_start(reader *r, char c, bool top)
{
	r->js = J_CAPTURE;
	r->rec_len = 0;
	r->rec_too_big = false;
	r->rec_line = r->line;
	r->rec_col = r->col;
	r->top_level = top;
	r->in_string = c == '"';
	r->escaped = false;
	r->scalar = c != '{' && c != '[';
	r->depth = r->scalar ? 0 : 1;
	capture_byte(r, c);
}

static void capture_end(reader *r)
{
	r->js = r->top_level ? J_TOP : J_ARRAY_SEP;
	json_record(r);
}

/* One byte of a JSON document; r->line and r->col locate it. */
static void json_byte(reader *r, char c)
{
	switch (r->js) {
	case J_TOP:
		if (input_json_space(c))
			return;
		if (c == '[')
			r->js = J_ARRAY_FIRST;
		else if (c == '{')
			capture_start(r, c, true);
		else
			input_fatal(r, r->line, r->col, "expected a JSON object or an array of objects");
		return;
	case J_ARRAY_FIRST:
	case J_ARRAY_NEXT:
		if (input_json_space(c))
			return;
		if (c == ']')
			r->js = J_TOP; /* [] and a trailing comma, as the library allows */
		else if (c == ',')
			input_fatal(r, r->line, r->col, "expected a record before ','");
		else
			capture_start(r, c, false);
		return;
	case J_ARRAY_SEP:
		if (input_json_space(c))
			return;
		if (c == ',')
			r->js = J_ARRAY_NEXT;
		else if (c == ']')
			r->js = J_TOP;
		else
			input_fatal(r, r->line, r->col, "expected ',' or ']' after a record");
		return;
	case J_CAPTURE:
		break;
	}
	if (r->in_string) {
		capture_byte(r, c);
		if (r->escaped)
			r->escaped = false;
		else if (c == '\\')
			r->escaped = true;
		else if (c == '"') {
			r->in_string = false;
			if (r->scalar)
				capture_end(r);
		}
		return;
	}
	if (r->scalar) {
		/* A bare number or word ends before a separator, which is then
		 * read in the array's state. */
		if (input_json_space(c) || c == ',' || c == ']') {
			capture_end(r);
			if (!r->stop)
				json_byte(r, c);
			return;
		}
		capture_byte(r, c);
		return;
	}
	capture_byte(r, c);
	if (c == '"')
		r->in_string = true;
	else if (c == '{' || c == '[')
		r->depth++;
	else if ((c == '}' || c == ']') && --r->depth == 0)
		capture_end(r);
}

void input_json_feed(reader *r, const char *data, size_t len)
{
	for (size_t i = 0; i < len && !r->stop; i++) {
		r->col++;
		json_byte(r, data[i]);
		if (data[i] == '\n') {
			r->line++;
			r->col = 0;
		}
	}
}

void input_json_finish(reader *r)
{
	if (r->stop)
		return;
	if (r->js == J_CAPTURE && r->scalar && !r->in_string && !r->top_level) {
		capture_end(r);
		if (r->stop)
			return;
	}
	if (r->js == J_TOP)
		return;
	input_fatal(r, r->line, r->col + 1,
	      r->js == J_CAPTURE && r->in_string ? "unexpected end of data in a string"
	      : r->js == J_CAPTURE && r->top_level ? "unexpected end of data: the object is not closed"
						  : "unexpected end of data: the array is not closed");
}

/* JSON Lines: a record per line; blank lines are skipped. */
static void jsonl_line(reader *r)
{
	while (r->rec_len && (r->rec[r->rec_len - 1] == '\r'))
		r->rec[--r->rec_len] = '\0';
	bool blank = !r->rec_too_big;
	for (size_t i = 0; blank && i < r->rec_len; i++)
		blank = input_json_space(r->rec[i]);
	if (!blank) {
		r->rec_col = 1;
		json_record(r);
	}
	r->rec_len = 0;
	r->rec_too_big = false;
}

void input_jsonl_feed(reader *r, const char *data, size_t len)
{
	size_t at = 0;
	while (at < len && !r->stop) {
		const char *nl = memchr(data + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - data) : len;
		if (r->rec_len == 0)
			r->rec_line = r->line;
		capture_bytes(r, data + at, end - at);
		if (nl) {
			jsonl_line(r);
			r->line++;
			at = end + 1;
		} else {
			at = end;
		}
	}
}

void input_jsonl_finish(reader *r)
{
	if (!r->stop && (r->rec_len || r->rec_too_big))
		jsonl_line(r);
}
