/* Arrow record batches in: the columns of a struct array (Arrow C Data
 * Interface) are bound to inputs by name, then each row becomes one facts
 * record added to a population. Values arrive typed, so integers, decimals
 * and dates skip the text parser; text columns go through it. */
#include "columnar.h"
#include "alloc.h"
#include "date.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef enum col_kind {
	K_NULL,
	K_BOOL,
	K_INT,    /* signed, width bytes */
	K_UINT,
	K_F64,
	K_DEC128,
	K_UTF8,   /* 32-bit offsets */
	K_LUTF8,  /* 64-bit offsets */
	K_DATE32
} col_kind;

typedef struct col_type {
	col_kind kind;
	int width;       /* bytes of an integer value */
	int32_t scale;   /* decimal128 */
} col_type;

typedef struct column {
	const char *name;
	size_t input;     /* SIZE_MAX for the "_id" column */
	col_type type;
	const struct ArrowArray *arr;
	int64_t base;     /* the array's offset plus the batch's */
	bool dict;        /* arr holds indices (type: INT/UINT); values in darr */
	col_type vtype;
	const struct ArrowArray *darr;
} column;

/* A format string of a type we read; false for any other. */
static bool parse_format(const char *fmt, col_type *t)
{
	static const struct {
		const char *f;
		col_kind k;
		int w;
	} simple[] = {
		{"n", K_NULL, 0}, {"b", K_BOOL, 0}, {"c", K_INT, 1}, {"s", K_INT, 2},
		{"i", K_INT, 4}, {"l", K_INT, 8}, {"C", K_UINT, 1}, {"S", K_UINT, 2},
		{"I", K_UINT, 4}, {"L", K_UINT, 8}, {"g", K_F64, 8}, {"u", K_UTF8, 0},
		{"U", K_LUTF8, 0}, {"tdD", K_DATE32, 4},
	};
	memset(t, 0, sizeof *t);
	if (!fmt)
		return false;
	for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++)
		if (strcmp(fmt, simple[i].f) == 0) {
			t->kind = simple[i].k;
			t->width = simple[i].w;
			return true;
		}
	/* "d:precision,scale" or "d:precision,scale,128" */
	if (strncmp(fmt, "d:", 2) != 0)
		return false;
	long prec = 0, scale = 0;
	int used = 0;
	if (sscanf(fmt + 2, "%ld,%ld%n", &prec, &scale, &used) != 2)
		return false;
	const char *rest = fmt + 2 + used;
	if ((*rest && strcmp(rest, ",128") != 0) || prec < 1 || prec > 38 || scale < -300 ||
	    scale > 300)
		return false;
	t->kind = K_DEC128;
	t->width = 16;
	t->scale = (int32_t)scale;
	return true;
}

static const char *kind_word(col_kind k)
{
	switch (k) {
	case K_NULL: return "null";
	case K_BOOL: return "boolean";
	case K_INT: return "integer";
	case K_UINT: return "unsigned integer";
	case K_F64: return "float64";
	case K_DEC128: return "decimal128";
	case K_UTF8: return "utf8";
	case K_LUTF8: return "large_utf8";
	case K_DATE32: return "date32";
	}
	return "?";
}

/* Whether a column of type t can feed an input of type it. */
static bool suits(col_kind k, rb_type it)
{
	switch (k) {
	case K_NULL:
	case K_UTF8:
	case K_LUTF8:
		return true;
	case K_INT:
	case K_UINT:
	case K_F64:
	case K_DEC128:
		return it == RB_T_NUMBER || it == RB_T_INTEGER;
	case K_BOOL:
		return it == RB_T_BOOL;
	case K_DATE32:
		return it == RB_T_DATE;
	}
	return false;
}

static bool bit(const void *bits, int64_t i)
{
	return (((const uint8_t *)bits)[i >> 3] >> (i & 7)) & 1;
}

static bool is_null(const struct ArrowArray *a, int64_t pos)
{
	return a->null_count != 0 && a->n_buffers > 0 && a->buffers[0] && !bit(a->buffers[0], pos);
}

/* Buffers each kind needs (validity first), and whether they are there. */
static bool buffers_ok(const struct ArrowArray *a, col_kind k)
{
	int64_t need = k == K_NULL ? 0 : (k == K_UTF8 || k == K_LUTF8) ? 3 : 2;
	if (a->n_buffers < need || a->length < 0 || a->offset < 0 || (need && !a->buffers))
		return false;
	for (int64_t i = 1; i < need; i++)
		if (!a->buffers[i] && a->length > 0)
			return false;
	return true;
}

static int64_t read_int(const void *data, int width, bool is_signed, int64_t pos, bool *big)
{
	*big = false;
	switch (width) {
	case 1:
		return is_signed ? ((const int8_t *)data)[pos] : ((const uint8_t *)data)[pos];
	case 2:
		return is_signed ? ((const int16_t *)data)[pos] : ((const uint16_t *)data)[pos];
	case 4:
		if (is_signed)
			return ((const int32_t *)data)[pos];
		return ((const uint32_t *)data)[pos];
	default: {
		uint64_t u;
		memcpy(&u, (const char *)data + 8 * pos, 8);
		if (!is_signed && u > INT64_MAX) {
			*big = true;
			return 0;
		}
		int64_t v;
		memcpy(&v, &u, 8);
		return v;
	}
	}
}

/* The decimal text of a 128-bit two's complement value scaled by 10^-scale
 * ("-12345e-2"), for the exact parser, which refuses more than 18
 * significant digits. */
static size_t dec128_text(const void *p, int32_t scale, char *buf, size_t size)
{
	uint64_t lo, hi;
	memcpy(&lo, p, 8);
	memcpy(&hi, (const char *)p + 8, 8);
	bool neg = hi >> 63;
	if (neg) {
		lo = ~lo + 1;
		hi = ~hi + (lo == 0);
	}
	uint32_t limb[4] = {(uint32_t)(hi >> 32), (uint32_t)hi, (uint32_t)(lo >> 32), (uint32_t)lo};
	char digits[48];
	size_t nd = 0;
	do {
		uint64_t rem = 0;
		for (int i = 0; i < 4; i++) {
			uint64_t cur = rem << 32 | limb[i];
			limb[i] = (uint32_t)(cur / 10);
			rem = cur % 10;
		}
		digits[nd++] = (char)('0' + rem);
	} while ((limb[0] | limb[1] | limb[2] | limb[3]) && nd < sizeof digits);
	size_t n = 0;
	if (neg)
		buf[n++] = '-';
	while (nd)
		buf[n++] = digits[--nd];
	n += (size_t)snprintf(buf + n, size - n, "e%ld", -(long)scale);
	return n;
}

/* Cell outcome: set (or missing), refused (the row is bad: err holds why),
 * or a malformed batch (stop). */
/* CELL_MISSING: the cell is null (or a NaN double): the caller sets the
 * input missing. */
enum { CELL_OK, CELL_BAD, CELL_MALFORMED, CELL_MISSING };

static int set_value(rulebook_facts *f, size_t input, const col_type *t,
		     const struct ArrowArray *a, int64_t pos, rulebook_error *err)
{
	rulebook_status st = RULEBOOK_OK;
	char buf[64];
	switch (t->kind) {
	case K_NULL:
		return CELL_MISSING;
	case K_BOOL:
		st = rb_facts_set_bool_at(f, input, bit(a->buffers[1], pos), err);
		break;
	case K_INT:
	case K_UINT: {
		bool big;
		int64_t v = read_int(a->buffers[1], t->width, t->kind == K_INT, pos, &big);
		if (!big && v > -RB_DEC_COEF_LIMIT && v < RB_DEC_COEF_LIMIT) {
			st = rb_facts_set_dec_at(f, input, rb_dec_from_int(v), err);
			break;
		}
		/* 19 or 20 digits: the parser refuses what it cannot hold exactly */
		int n = big ? snprintf(buf, sizeof buf, "%llu",
				       (unsigned long long)((const uint64_t *)a->buffers[1])[pos])
			    : snprintf(buf, sizeof buf, "%lld", (long long)v);
		st = rulebook_facts_set_decimal_at(f, input, buf, (size_t)n, err);
		break;
	}
	case K_F64: {
		double d = ((const double *)a->buffers[1])[pos];
		if (isnan(d))
			return CELL_MISSING;
		st = rulebook_facts_set_double_at(f, input, d, err);
		break;
	}
	case K_DEC128: {
		size_t n = dec128_text((const char *)a->buffers[1] + 16 * pos, t->scale, buf, sizeof buf);
		st = rulebook_facts_set_decimal_at(f, input, buf, n, err);
		break;
	}
	case K_UTF8:
	case K_LUTF8: {
		int64_t from, to;
		if (t->kind == K_UTF8) {
			from = ((const int32_t *)a->buffers[1])[pos];
			to = ((const int32_t *)a->buffers[1])[pos + 1];
		} else {
			memcpy(&from, (const char *)a->buffers[1] + 8 * pos, 8);
			memcpy(&to, (const char *)a->buffers[1] + 8 * (pos + 1), 8);
		}
		if (from < 0 || to < from || (!a->buffers[2] && to > from))
			return CELL_MALFORMED;
		const char *s = to > from ? (const char *)a->buffers[2] + from : "";
		st = rulebook_facts_set_text_at(f, input, s, (size_t)(to - from), err);
		break;
	}
	case K_DATE32: {
		int32_t days = ((const int32_t *)a->buffers[1])[pos];
		int32_t ymd = rb_date_from_days(days);
		st = rb_facts_set_date_at(f, input, ymd, err);
		break;
	}
	}
	return st == RULEBOOK_OK ? CELL_OK : st == RULEBOOK_ERR_NOMEM ? CELL_MALFORMED : CELL_BAD;
}

static int set_cell_value(rulebook_facts *f, const column *c, int64_t r, rulebook_error *err);

/* Row r of column c into facts: set, missing (set so), refused or
 * malformed. Every row sets every column, so the facts need no clearing
 * between rows. */
static int set_cell(rulebook_facts *f, const column *c, int64_t r, rulebook_error *err)
{
	int cell = set_cell_value(f, c, r, err);
	if (cell != CELL_MISSING)
		return cell;
	rulebook_facts_set_missing_at(f, c->input);
	return CELL_OK;
}

static int set_cell_value(rulebook_facts *f, const column *c, int64_t r, rulebook_error *err)
{
	int64_t pos = c->base + r;
	if (is_null(c->arr, pos))
		return CELL_MISSING;
	if (!c->dict)
		return set_value(f, c->input, &c->type, c->arr, pos, err);
	bool big;
	int64_t k = read_int(c->arr->buffers[1], c->type.width, c->type.kind == K_INT, pos, &big);
	if (big || k < 0 || k >= c->darr->length)
		return CELL_MALFORMED;
	int64_t dpos = c->darr->offset + k;
	if (is_null(c->darr, dpos))
		return CELL_MISSING;
	return set_value(f, c->input, &c->vtype, c->darr, dpos, err);
}

/* The record id of row r of the "_id" column: CELL_OK with *s NULL for
 * none (null), else *s and *len (in the column's data, or in buf for an
 * integer); CELL_MALFORMED for offsets out of order or a dictionary index
 * out of range. */
static int id_text(const column *c, int64_t r, char buf[32], const char **s, size_t *len)
{
	int64_t pos = c->base + r;
	*s = NULL;
	*len = 0;
	if (is_null(c->arr, pos))
		return CELL_OK;
	const struct ArrowArray *a = c->arr;
	const col_type *t = &c->type;
	if (t->kind == K_NULL)
		return CELL_OK;
	if (c->dict) {
		bool big;
		int64_t k = read_int(a->buffers[1], t->width, t->kind == K_INT, pos, &big);
		if (big || k < 0 || k >= c->darr->length)
			return CELL_MALFORMED;
		a = c->darr;
		t = &c->vtype;
		pos = a->offset + k;
		if (is_null(a, pos) || t->kind == K_NULL)
			return CELL_OK;
	}
	if (t->kind == K_INT || t->kind == K_UINT) {
		bool big;
		int64_t v = read_int(a->buffers[1], t->width, t->kind == K_INT, pos, &big);
		*len = (size_t)(big ? snprintf(buf, 32, "%llu",
					       (unsigned long long)((const uint64_t *)a->buffers[1])[pos])
				    : snprintf(buf, 32, "%lld", (long long)v));
		*s = buf;
		return CELL_OK;
	}
	int64_t from, to;
	if (t->kind == K_UTF8) {
		from = ((const int32_t *)a->buffers[1])[pos];
		to = ((const int32_t *)a->buffers[1])[pos + 1];
	} else {
		memcpy(&from, (const char *)a->buffers[1] + 8 * pos, 8);
		memcpy(&to, (const char *)a->buffers[1] + 8 * (pos + 1), 8);
	}
	if (from < 0 || to < from || (!a->buffers[2] && to > from))
		return CELL_MALFORMED;
	*s = to > from ? (const char *)a->buffers[2] + from : "";
	*len = (size_t)(to - from);
	return CELL_OK;
}

/* The record id of row r from the "_id" column into facts. */
static int set_id(rulebook_facts *f, const column *c, int64_t r)
{
	char buf[32];
	const char *s;
	size_t len;
	int cell = id_text(c, r, buf, &s, &len);
	if (cell != CELL_OK || !s)
		return cell;
	rulebook_status st = rulebook_facts_set_id(f, s, len);
	return st == RULEBOOK_OK ? CELL_OK : st == RULEBOOK_ERR_NOMEM ? CELL_MALFORMED : CELL_BAD;
}

/* Bind child i of the batch; a status other than OK stops the call. */
static rulebook_status bind(const rulebook *rb, const struct ArrowSchema *s,
			    const struct ArrowArray *a, int64_t batch_off, int64_t rows,
			    uint32_t flags, const bool *taken, column *out, bool *skip,
			    rulebook_error *err)
{
	*skip = false;
	const char *name = s->name ? s->name : "";
	memset(out, 0, sizeof *out);
	out->name = name;
	out->input = SIZE_MAX;
	bool is_id = strcmp(name, "_id") == 0;
	if (!is_id && name[0] == '_') {
		*skip = true;
		return RULEBOOK_OK;
	}
	if (!is_id && rulebook_input_index(rb, name, strlen(name), &out->input) != RULEBOOK_OK) {
		if (flags & RULEBOOK_IN_IGNORE_UNKNOWN) {
			*skip = true;
			return RULEBOOK_OK;
		}
		return rb_error_add(err, RULEBOOK_ERR_NOT_FOUND, (rb_pos){0}, name,
				    "column '%s' is not an input of the rulebook", name);
	}
	if (!is_id && taken[out->input])
		return rb_error_add(err, RULEBOOK_ERR_NAME, (rb_pos){0}, name,
				    "two columns are named '%s'", name);
	const char *fmt = s->format ? s->format : "";
	bool known = parse_format(fmt, &out->type);
	if (known && s->dictionary) {
		/* dictionary-encoded: the column holds integer indices */
		const char *vfmt = s->dictionary->format ? s->dictionary->format : "";
		if (out->type.kind != K_INT && out->type.kind != K_UINT)
			known = false;
		else if (!parse_format(vfmt, &out->vtype) || s->dictionary->dictionary)
			return rb_error_add(err, RULEBOOK_ERR_VALUE, (rb_pos){0}, name,
					    "column '%s' is dictionary-encoded with values of Arrow type "
					    "'%s', which is not supported",
					    name, vfmt);
		out->dict = true;
	}
	if (!known)
		return rb_error_add(err, RULEBOOK_ERR_VALUE, (rb_pos){0}, name,
				    "column '%s' has Arrow type '%s', which is not supported "
				    "(integers, decimal128, float64, utf8, large_utf8, boolean, date32, "
				    "null and dictionaries of them are)",
				    name, fmt);
	col_kind vk = out->dict ? out->vtype.kind : out->type.kind;
	if (is_id && vk != K_UTF8 && vk != K_LUTF8 && vk != K_INT && vk != K_UINT && vk != K_NULL)
		return rb_error_add(err, RULEBOOK_ERR_TYPE, (rb_pos){0}, name,
				    "column '_id' is %s; record ids come from text or integers",
				    kind_word(vk));
	if (!is_id && !suits(vk, rb->inputs[out->input].type)) {
		const char *it = rulebook_input_type(rb, out->input);
		return rb_error_add(err, RULEBOOK_ERR_TYPE, (rb_pos){0}, name,
				    "column '%s' is %s; input '%s' is %s %s and cannot take it", name,
				    kind_word(vk), name, it[0] == 'i' || it[0] == 'e' ? "an" : "a", it);
	}
	out->arr = a;
	out->base = a->offset + batch_off;
	if (!buffers_ok(a, out->type.kind) || a->length < batch_off + rows ||
	    (out->dict && (!a->dictionary || !buffers_ok(a->dictionary, out->vtype.kind))))
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, name,
				    "column '%s': the array does not match its type or is shorter "
				    "than the batch",
				    name);
	out->darr = a->dictionary;
	return RULEBOOK_OK;
}

static void report_bad(rulebook_error *err, size_t *nbad, int64_t row, const char *col,
		       const rulebook_error *why)
{
	if (err && *nbad == 0) {
		rulebook_status st = rulebook_error_status(why);
		const char *msg = rulebook_error_count(why) ? rulebook_error_message(why, 0)
							     : "the record is null";
		if (col)
			rb_error_add(err, st ? st : RULEBOOK_ERR_VALUE, (rb_pos){0}, col,
				     "row %lld, column '%s': %s", (long long)row, col, msg);
		else
			rb_error_add(err, st ? st : RULEBOOK_ERR_VALUE, (rb_pos){0}, NULL,
				     "row %lld: %s", (long long)row, msg);
	}
	(*nbad)++;
}

/* The columns of a batch bound to inputs, for its row loop. */
typedef struct arrow_rows {
	const struct ArrowArray *batch;
	const column *cols;
	size_t nbound;
	const column *id;        /* the "_id" column among cols, or NULL */
	const void *rows_valid;  /* the struct's own validity bitmap, or NULL */
} arrow_rows;

/* The facts and diagnostics a slice of rows is set through. */
typedef struct arrow_state {
	const arrow_rows *t;
	rulebook_facts *f;
	rulebook_error *why;
} arrow_state;

/* Row r into pop by itself: a bad row is skipped (its number in bad_rows,
 * its diagnostic in err), a malformed batch stops the call. */
static rulebook_status arrow_row(rulebook_population *pop, void *state, size_t row,
				 size_t *bad_rows, size_t *nbad, rulebook_error *err)
{
	arrow_state *s = state;
	const arrow_rows *t = s->t;
	const column *cols = t->cols, *id = t->id;
	rulebook_facts *f = s->f;
	rulebook_error *why = s->why;
	int64_t r = (int64_t)row;
	/* each row sets every bound column (value or missing) and its id */
	if (id)
		rulebook_facts_set_id(f, NULL, 0);
	const char *bad_col = NULL;
	int cell = CELL_OK;
	rulebook_error_clear(why);
	if (t->rows_valid && !bit(t->rows_valid, t->batch->offset + r))
		cell = CELL_BAD;
	for (size_t c = 0; cell == CELL_OK && c < t->nbound; c++) {
		if (&cols[c] == id)
			continue;
		cell = set_cell(f, &cols[c], r, why);
		if (cell != CELL_OK)
			bad_col = cols[c].name;
	}
	if (cell == CELL_OK && id) {
		cell = set_id(f, id, r);
		if (cell != CELL_OK)
			bad_col = "_id";
		if (cell == CELL_BAD)
			rb_error_add(why, RULEBOOK_ERR_VALUE, (rb_pos){0}, "_id",
				     "the record id is not UTF-8 text");
	}
	if (cell == CELL_MALFORMED)
		return rulebook_error_status(why) == RULEBOOK_ERR_NOMEM
			       ? rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory")
			       : rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, bad_col,
					      "row %lld, column '%s': the array is malformed "
					      "(offsets out of order or a dictionary index out "
					      "of range)",
					      (long long)r, bad_col ? bad_col : "");
	if (cell == CELL_BAD) {
		if (bad_rows)
			bad_rows[*nbad] = (size_t)r;
		report_bad(err, nbad, r, bad_col, why);
		return RULEBOOK_OK;
	}
	rulebook_status st = rulebook_population_add(pop, f, why);
	if (st != RULEBOOK_OK)
		rb_error_append(err, why);
	return st;
}

/* Whether every bound column but the record id holds values the columnar
 * run takes as doubles (float64, integers, booleans as 0 and 1, date32 as
 * YYYYMMDD, nulls; no dictionary). */
static bool numeric_only(const arrow_rows *t)
{
	for (size_t c = 0; c < t->nbound; c++) {
		col_kind k = t->cols[c].type.kind;
		if (&t->cols[c] != t->id &&
		    (t->cols[c].dict || (k != K_F64 && k != K_INT && k != K_UINT && k != K_NULL &&
					 k != K_BOOL && k != K_DATE32)))
			return false;
	}
	return true;
}

/* The columns of the columnar run: the bound ones but the record id. */
typedef struct arrow_block {
	const arrow_rows *t;
	const column **cols;
	size_t ncols;
} arrow_block;

/* The record id of row r for a row the columnar run decided (fill_arrow
 * has sent rows whose id the facts would refuse to arrow_row). */
static const char *arrow_id(const void *ctx, size_t row, char buf[32], size_t *len)
{
	const arrow_block *ab = ctx;
	const char *s;
	if (!ab->t->id || id_text(ab->t->id, (int64_t)row, buf, &s, len) != CELL_OK)
		return NULL;
	return s;
}

/* Rows [from, from + n) of the bound columns as doubles (NaN: null or
 * missing; booleans 0 and 1; dates YYYYMMDD); a row the struct marks
 * null, or an integer beyond 2^53 (whose double is not the integer), is
 * left to arrow_row. */
static void fill_arrow(const void *ctx, size_t from, size_t n, double *const *out, uint8_t *alone)
{
	const arrow_block *ab = ctx;
	const arrow_rows *t = ab->t;
	for (size_t j = 0; j < n; j++)
		alone[j] = t->rows_valid && !bit(t->rows_valid, t->batch->offset + (int64_t)(from + j));
	for (size_t j = 0; t->id && j < n; j++) {
		/* an id the facts would refuse (or a malformed one): arrow_row
		 * reports it */
		char buf[32];
		const char *s;
		size_t len;
		if (id_text(t->id, (int64_t)(from + j), buf, &s, &len) != CELL_OK ||
		    (s && !rb_valid_text(s, len)))
			alone[j] = 1;
	}
	for (size_t c = 0; c < ab->ncols; c++) {
		const column *col = ab->cols[c];
		double *v = out[c];
		for (size_t j = 0; j < n; j++) {
			int64_t pos = col->base + (int64_t)(from + j);
			if (col->type.kind == K_NULL || is_null(col->arr, pos)) {
				v[j] = NAN;
			} else if (col->type.kind == K_F64) {
				v[j] = ((const double *)col->arr->buffers[1])[pos];
			} else if (col->type.kind == K_BOOL) {
				v[j] = bit(col->arr->buffers[1], pos);
			} else if (col->type.kind == K_DATE32) {
				/* as set_value sets it: the date of the day number */
				int32_t days = ((const int32_t *)col->arr->buffers[1])[pos];
				int32_t ymd = rb_date_from_days(days);
				v[j] = ymd;
				if (ymd == 0) /* out of range: arrow_row refuses it */
					alone[j] = 1;
			} else {
				bool big;
				int64_t k = read_int(col->arr->buffers[1], col->type.width,
						     col->type.kind == K_INT, pos, &big);
				if (big || k <= -(INT64_C(1) << 53) || k >= (INT64_C(1) << 53)) {
					alone[j] = 1;
					v[j] = 0;
				} else {
					v[j] = (double)k;
				}
			}
		}
	}
}

static rulebook_status add_arrow_rows(rulebook_population *pop, const void *ctx, size_t from,
				      size_t to, size_t *bad_rows, size_t *nbad,
				      rulebook_error *err)
{
	const arrow_rows *t = ctx;
	arrow_state s = {t, rulebook_facts_new(rb_population_rulebook(pop)), rulebook_error_new()};
	rulebook_status st = RULEBOOK_OK;
	size_t *inputs = rb_malloc((t->nbound ? t->nbound : 1) * sizeof(size_t));
	if (!s.f || !s.why || !inputs)
		st = rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	const column **cols = rb_malloc((t->nbound ? t->nbound : 1) * sizeof(column *));
	if (st == RULEBOOK_OK && !cols)
		st = rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	if (st == RULEBOOK_OK && numeric_only(t)) {
		/* numbers, booleans and dates: through the columnar run, block
		 * by block, with the record ids */
		arrow_block ab = {t, cols, 0};
		for (size_t c = 0; c < t->nbound; c++)
			if (&t->cols[c] != t->id) {
				inputs[ab.ncols] = t->cols[c].input;
				cols[ab.ncols++] = &t->cols[c];
			}
		rb_colsrc src = {inputs, ab.ncols, fill_arrow, &ab, arrow_row, &s, arrow_id};
		st = rb_population_add_columnar(pop, &src, from, to, bad_rows, nbad, err);
	} else {
		for (size_t r = from; st == RULEBOOK_OK && r < to; r++)
			st = arrow_row(pop, &s, r, bad_rows, nbad, err);
	}
	rb_free(cols);
	rb_free(inputs);
	rulebook_error_free(s.why);
	rulebook_facts_free(s.f);
	return st;
}

RULEBOOK_API rulebook_status rulebook_population_add_arrow(rulebook_population *pop,
							   const struct ArrowSchema *schema,
							   const struct ArrowArray *batch,
							   uint32_t flags, size_t *bad_rows,
							   size_t *bad_count, rulebook_error *err)
{
	rulebook_error_clear(err);
	if (bad_count)
		*bad_count = 0;
	if (!pop || !schema || !batch)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "a population, a schema and a batch are required");
	if (!schema->format || strcmp(schema->format, "+s") != 0)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "the schema is not a struct ('+s') of columns but '%s'",
				    schema->format ? schema->format : "");
	if (!schema->release || !batch->release)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "the schema or the batch has been released");
	if (schema->n_children != batch->n_children || schema->n_children < 0 ||
	    batch->length < 0 || batch->offset < 0 ||
	    (schema->n_children && (!schema->children || !batch->children)))
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "the batch does not match the schema (%lld columns described, %lld "
				    "given)",
				    (long long)schema->n_children, (long long)batch->n_children);
	const rulebook *rb = rb_population_rulebook(pop);
	size_t ncols = (size_t)schema->n_children;
	column *cols = rb_calloc(ncols ? ncols : 1, sizeof(column));
	bool *taken = rb_calloc(rb->ninputs ? rb->ninputs : 1, sizeof(bool));
	rulebook_status st = RULEBOOK_OK;
	if (!cols || !taken)
		st = rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	size_t nbound = 0;
	const column *id = NULL;
	for (size_t i = 0; st == RULEBOOK_OK && i < ncols; i++) {
		const struct ArrowSchema *cs = schema->children[i];
		const struct ArrowArray *ca = batch->children[i];
		if (!cs || !ca) {
			st = rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
					  "column %zu of the batch is NULL", i);
			break;
		}
		bool skip;
		st = bind(rb, cs, ca, batch->offset, batch->length, flags, taken, &cols[nbound],
			  &skip, err);
		if (st != RULEBOOK_OK || skip)
			continue;
		if (cols[nbound].input == SIZE_MAX) {
			if (id) {
				st = rb_error_add(err, RULEBOOK_ERR_NAME, (rb_pos){0}, "_id",
						  "two columns are named '_id'");
				break;
			}
			id = &cols[nbound];
		} else {
			taken[cols[nbound].input] = true;
		}
		nbound++;
	}
	size_t nbad = 0;
	const void *rows_valid = batch->null_count != 0 && batch->n_buffers > 0 && batch->buffers
					 ? batch->buffers[0]
					 : NULL;
	arrow_rows t = {batch, cols, nbound, id, rows_valid};
	if (st == RULEBOOK_OK)
		st = rb_population_add_rows(pop, (size_t)batch->length, add_arrow_rows, &t, bad_rows,
					    &nbad, err);
	if (bad_count)
		*bad_count = nbad;
	rb_free(taken);
	rb_free(cols);
	return st;
}
