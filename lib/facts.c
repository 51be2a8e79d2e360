/* Facts: the input values of one record, set through typed setters, from
 * text (with an optional unit, converted exactly) or from a JSON object. */
#include "compiled.h"
#include "columnar.h"
#include "fastpath.h"
#include "alloc.h"
#include "date.h"
#include "json_read.h"
#include "node.h"
#include "attributes.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* The common setters' first steps call no function but in tail position,
 * so that they save no registers: what they leave goes to a function of
 * its own, kept out of line (RB_NOINLINE, attributes.h). */

RULEBOOK_API rulebook_facts *rulebook_facts_new(const rulebook *rb)
{
	if (!rb)
		return NULL;
	rulebook_facts *f = rb_calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->rb = rb;
	size_t n = rb->ninputs ? rb->ninputs : 1;
	/* the exact and the fast values side by side: one block to read per record */
	f->vals = rb_calloc(2 * n, sizeof(rb_val));
	f->fvals = f->vals ? f->vals + n : NULL;
	f->text = rb_calloc(n, sizeof(char *));
	f->text_cap = rb_calloc(n, sizeof(size_t));
	f->list = rb_calloc(n, sizeof(rb_val *));
	f->list_cap = rb_calloc(n, sizeof(size_t));
	if (!f->vals || !f->fvals || !f->text || !f->text_cap || !f->list || !f->list_cap) {
		rulebook_facts_free(f);
		return NULL;
	}
	rulebook_facts_clear(f);
	return f;
}

RULEBOOK_API void rulebook_facts_free(rulebook_facts *f)
{
	if (!f)
		return;
	if (f->text)
		for (uint32_t i = 0; i < f->rb->ninputs; i++)
			rb_free(f->text[i]);
	if (f->list)
		for (uint32_t i = 0; i < f->rb->ninputs; i++)
			rb_free(f->list[i]);
	rb_free(f->text);
	rb_free(f->text_cap);
	rb_free(f->list);
	rb_free(f->list_cap);
	rb_free(f->vals);
	rb_free(f->record_id);
	rb_free(f);
}

static bool valid_text(const char *s, size_t len);

RULEBOOK_API rulebook_status rulebook_facts_set_id(rulebook_facts *f, const char *id, size_t len)
{
	if (!f)
		return RULEBOOK_ERR_INVALID;
	if (!id) {
		f->has_id = false;
		return RULEBOOK_OK;
	}
	/* ids are written into JSON and messages: UTF-8 only */
	if (!valid_text(id, len))
		return RULEBOOK_ERR_VALUE;
	if (rb_store_text(&f->record_id, &f->record_id_cap, id, len) < 0)
		return RULEBOOK_ERR_NOMEM;
	f->has_id = true;
	return RULEBOOK_OK;
}

RULEBOOK_API void rulebook_facts_ignore_unknown(rulebook_facts *f, int ignore)
{
	if (f)
		f->ignore_unknown = ignore != 0;
}

/* Input idx missing, in both the exact and the fast copy. */
static void set_missing(rulebook_facts *f, size_t idx)
{
	f->vals[idx].state = RB_V_MISSING;
	f->vals[idx].err = 0;
	f->fvals[idx] = f->vals[idx];
}

RULEBOOK_API void rulebook_facts_clear(rulebook_facts *f)
{
	if (!f)
		return;
	for (uint32_t i = 0; i < f->rb->ninputs; i++)
		set_missing(f, i);
	f->has_id = false;
}

/* ---- parsing text for an input ---- */

static const char *type_word(rb_type t)
{
	switch (t) {
	case RB_T_NUMBER: return "number";
	case RB_T_INTEGER: return "integer";
	case RB_T_BOOL: return "boolean";
	case RB_T_TEXT: return "text";
	case RB_T_ENUM: return "enum";
	case RB_T_DATE: return "date";
	case RB_T_LIST: return "list";
	case RB_T_RECORD: return "record";
	}
	return "?";
}

/* Bytes of s to quote in a message: at most 64, cut at a character
 * boundary so that the message stays UTF-8. */
static int shown(const char *s, size_t len)
{
	size_t n = len > 64 ? 64 : len;
	while (n < len && n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return (int)n;
}

/* Two three-byte characters with leads E1-EC in the first six bytes of w
 * (little-endian loads: byte k at bits 8k): bytes 0 and 3 leads, bytes 1,
 * 2, 4 and 5 continuations. */
static inline bool cjk_pair(uint64_t w)
{
	return (w & UINT64_C(0x0000C0C000C0C000)) == UINT64_C(0x0000808000808000) &&
	       (uint8_t)(w - 0xE1) <= 0x0B && (uint8_t)((w >> 24) - 0xE1) <= 0x0B;
}


/* Whether s[0..len) is UTF-8 without NUL bytes: text set through the API
 * is quoted in messages and copied into results, which must stay UTF-8.
 * Runs of ASCII are checked eight bytes at a time (the last one to seven
 * of the text in one step too), runs of the common three-byte characters
 * (most of CJK) four characters per step with SSE2, two per eight-byte
 * load, then one. Inline in the text setter (set_text_cell); valid_text
 * elsewhere. */
static RB_ALWAYS_INLINE bool utf8_text(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
	for (size_t i = 0; i < len;) {
		unsigned char b = u[i];
		if (b - 1u < 0x7Fu) { /* ASCII other than NUL */
			i++;
			uint64_t w;
			/* then eight at a time: no high bit and no zero byte */
			while (len - i >= 8 && (memcpy(&w, u + i, 8), !((w | ((w - ones) & ~w)) & highs)))
				i += 8;
			/* and fewer than eight at the end in one step: the last
			 * eight bytes of s, shifted so that only these remain */
			if (len - i - 1 < 7 && len >= 8) {
				unsigned drop = 8 * (unsigned)(8 - (len - i));
				memcpy(&w, u + len - 8, 8);
				w >>= drop;
				if (!((w | ((w - ones) & ~w)) & (highs >> drop)))
					i = len;
			}
			continue;
		}
		if (b >= 0xE1 && b <= 0xEC) { /* most of the CJK range */
			/* four characters per step, then two, then one */
#if defined(__SSE2__)
			while (len - i >= 16) {
				/* bytes 0, 3, 6 and 9 leads E1-EF other than ED,
				 * the eight others but the last four continuations */
				const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
				const __m128i top = _mm_set_epi8(0, 0, 0, 0, (char)0xC0, (char)0xC0, (char)0xF0,
								 (char)0xC0, (char)0xC0, (char)0xF0, (char)0xC0,
								 (char)0xC0, (char)0xF0, (char)0xC0, (char)0xC0,
								 (char)0xF0);
				const __m128i want = _mm_set_epi8(0, 0, 0, 0, (char)0x80, (char)0x80, (char)0xE0,
								  (char)0x80, (char)0x80, (char)0xE0, (char)0x80,
								  (char)0x80, (char)0xE0, (char)0x80, (char)0x80,
								  (char)0xE0);
				if (_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(x, top), want)) != 0xFFFF)
					break;
				const __m128i odd = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xE0)),
								 _mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xED)));
				if (_mm_movemask_epi8(odd) & 0x249)
					break;
				i += 12;
			}
#endif
			uint64_t w;
			while (len - i >= 8 && (memcpy(&w, u + i, 8), cjk_pair(w)))
				i += 6;
			while (len - i >= 3 && u[i] >= 0xE1 && u[i] <= 0xEC &&
			       !(((u[i + 1] ^ 0x80) | (u[i + 2] ^ 0x80)) & 0xC0))
				i += 3;
			if (i == len || u[i] < 0x80)
				continue;
			b = u[i];
		}
		size_t n = b == 0 ? 0 : b < 0x80 ? 1 : b >= 0xC2 && b <= 0xDF ? 2
			 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
		if (!n || len - i < n)
			return false;
		unsigned char lo = b == 0xE0 ? 0xA0 : b == 0xF0 ? 0x90 : 0x80;
		unsigned char hi = b == 0xED ? 0x9F : b == 0xF4 ? 0x8F : 0xBF;
		if (n > 1 && (u[i + 1] < lo || u[i + 1] > hi))
			return false;
		for (size_t k = 2; k < n; k++)
			if ((u[i + k] & 0xC0) != 0x80)
				return false;
		i += n;
	}
	return true;
}

static bool valid_text(const char *s, size_t len)
{
	return utf8_text(s, len);
}

static rulebook_status parse_number(const rulebook *rb, const rb_input *in, const char *s,
				    size_t len, rb_val *out, char *msg, size_t msgsize)
{
	/* The number ends at the first space, or before a trailing '%'. */
	size_t nlen = 0;
	while (nlen < len && s[nlen] != ' ')
		nlen++;
	size_t ustart = nlen;
	while (ustart < len && s[ustart] == ' ')
		ustart++;
	if (nlen == len && len > 1 && s[len - 1] == '%') {
		nlen = len - 1;
		ustart = nlen;
	}
	rb_dec d;
	size_t at = 0;
	rb_dec_status st = rb_dec_parse(s, nlen, &d, &at);
	if (st != RB_DEC_OK) {
		snprintf(msg, msgsize, "'%.*s' is not %s for input '%s'", shown(s, len), s,
			 st == RB_DEC_SYNTAX     ? "a decimal number"
			 : st == RB_DEC_PRECISION ? "a number of at most 18 significant digits"
						 : "a number within the decimal range",
			 in->sym->name);
		return st == RB_DEC_SYNTAX ? RULEBOOK_ERR_VALUE : RULEBOOK_ERR_RANGE;
	}
	if (ustart < len) {
		rb_unit u;
		size_t upos = 0;
		rb_unit_status us = rb_units_parse(rb->units, s + ustart, len - ustart, &u, &upos);
		int64_t num = 1, den = 1;
		if (us == RB_UNIT_OK)
			us = rb_unit_ratio(&u, &in->sym->ct.unit, &num, &den);
		if (us != RB_UNIT_OK) {
			snprintf(msg, msgsize, "unit '%.*s' of input '%s': %s (the input is in %s)",
				 shown(s + ustart, len - ustart), s + ustart, in->sym->name,
				 us == RB_UNIT_MISMATCH ? "measures something else"
							: rb_unit_status_str(us),
				 in->sym->unit_text[0] ? in->sym->unit_text : "no unit");
			return RULEBOOK_ERR_VALUE;
		}
		if (rb_dec_mul_ratio(d, num, den, &d) != RB_DEC_OK) {
			snprintf(msg, msgsize, "'%.*s' is out of the decimal range in the unit of '%s'",
				 shown(s, len), s, in->sym->name);
			return RULEBOOK_ERR_RANGE;
		}
	}
	if (in->type == RB_T_INTEGER && !rb_dec_is_integer(d)) {
		snprintf(msg, msgsize, "'%.*s' is not a whole number for integer input '%s'",
			 shown(s, len), s, in->sym->name);
		return RULEBOOK_ERR_VALUE;
	}
	out->state = RB_V_OK;
	out->u.d = d;
	return RULEBOOK_OK;
}

rulebook_status rb_parse_input_value(const rulebook *rb, const rb_input *in, const char *s,
				     size_t len, rb_val *out, char *msg, size_t msgsize)
{
	memset(out, 0, sizeof(*out));
	switch (in->type) {
	case RB_T_NUMBER:
	case RB_T_INTEGER:
		return parse_number(rb, in, s, len, out, msg, msgsize);
	case RB_T_BOOL:
		if (len == 4 && memcmp(s, "true", 4) == 0) {
			out->u.b = 1;
			return RULEBOOK_OK;
		}
		if (len == 5 && memcmp(s, "false", 5) == 0) {
			out->u.b = 0;
			return RULEBOOK_OK;
		}
		break;
	case RB_T_DATE:
		if (rb_date_parse(s, len, &out->u.date) == 0)
			return RULEBOOK_OK;
		snprintf(msg, msgsize, "'%.*s' is not a date (YYYY-MM-DD, a real calendar day) for input '%s'",
			 shown(s, len), s, in->sym->name);
		return RULEBOOK_ERR_VALUE;
	case RB_T_ENUM:
		for (uint32_t k = 0; k < in->nvalues; k++)
			if (in->value_lens[k] == len && memcmp(in->values[k], s, len) == 0) {
				out->u.e = (int32_t)k;
				return RULEBOOK_OK;
			}
		snprintf(msg, msgsize, "'%.*s' is not one of the values of enum input '%s'",
			 shown(s, len), s, in->sym->name);
		return RULEBOOK_ERR_VALUE;
	case RB_T_TEXT:
		out->u.t.s = s;
		out->u.t.len = (uint32_t)len;
		return RULEBOOK_OK;
	case RB_T_LIST:
	case RB_T_RECORD:
		snprintf(msg, msgsize, "input '%s' is a list", in->sym->name);
		return RULEBOOK_ERR_VALUE;
	}
	snprintf(msg, msgsize, "'%.*s' is not a %s for input '%s' (write true or false)",
		 shown(s, len), s, type_word(in->type), in->sym->name);
	return RULEBOOK_ERR_VALUE;
}


/* ---- lists ---- */

/* Elements being read, before they are stored. */
typedef struct list_buf {
	rb_val *items;
	size_t n, cap;           /* values (elements × stride) */
	rb_doc *doc;             /* the JSON text elements may point into */
} list_buf;

static void list_buf_free(list_buf *b)
{
	rb_free(b->items);
	rb_doc_free(b->doc);
	*b = (list_buf){0};
}

static rulebook_status list_from_node(const rulebook *rb, const rb_input *in, const rb_node *v,
				      bool json, list_buf *b, rulebook_error *err);

static uint32_t stride_of(const rb_input *in)
{
	return in->nfields ? in->nfields : 1;
}

/* Room for one more element; the limit is checked here. */
static rulebook_status list_push(const rulebook *rb, const rb_input *in, list_buf *b, rb_val **out,
				 char *msg, size_t msgsize)
{
	uint32_t stride = stride_of(in);
	if (b->n / stride >= rb->max_list) {
		snprintf(msg, msgsize,
			 "list input '%s' has more than %llu elements (RULEBOOK_LIMIT_LIST_LENGTH)",
			 in->sym->name, (unsigned long long)rb->max_list);
		return RULEBOOK_ERR_LIMIT;
	}
	if (rb_grow((void **)&b->items, &b->cap, b->n + stride, sizeof(rb_val)) < 0) {
		snprintf(msg, msgsize, "out of memory");
		return RULEBOOK_ERR_NOMEM;
	}
	*out = &b->items[b->n];
	for (uint32_t k = 0; k < stride; k++)
		b->items[b->n + k] = (rb_val){.state = RB_V_MISSING};
	b->n += stride;
	return RULEBOOK_OK;
}

/* One value of element k (field `field` of a record, else 0) from text. */
static rulebook_status parse_element(const rulebook *rb, const rb_input *in, uint32_t field,
				     size_t k, const char *s, size_t len, rb_val *out, char *msg,
				     size_t msgsize)
{
	rb_input plain;
	const rb_input *el = &plain;
	if (in->nfields) {
		el = &rb->inputs[in->field0 + field];
	} else {
		plain = *in;
		plain.type = in->elem;
	}
	char m[256];
	rulebook_status st = rb_parse_input_value(rb, el, s, len, out, m, sizeof m);
	if (st != RULEBOOK_OK) {
		snprintf(msg, msgsize, "element %zu of list '%s': %s", k + 1, in->sym->name, m);
		return st;
	}
	out->state = RB_V_OK;
	return RULEBOOK_OK;
}

/* The separators of a list written in one cell: ';' and the full-width
 * '；' and '、' that Chinese spreadsheets use. Returns the separator's
 * length at s[i], or 0. */
static size_t separator_at(const char *s, size_t len, size_t i)
{
	if (s[i] == ';')
		return 1;
	if (i + 3 <= len && ((!memcmp(s + i, "\xef\xbc\x9b", 3)) || !memcmp(s + i, "\xe3\x80\x81", 3)))
		return 3;
	return 0;
}

/* Spaces around an element: ASCII blanks and the ideographic space. */
static void trim(const char **s, size_t *len)
{
	for (;;) {
		if (*len && (**s == ' ' || **s == '\t'))
			(*s)++, (*len)--;
		else if (*len >= 3 && !memcmp(*s, "\xe3\x80\x80", 3))
			*s += 3, *len -= 3;
		else
			break;
	}
	for (;;) {
		if (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
			(*len)--;
		else if (*len >= 3 && !memcmp(*s + *len - 3, "\xe3\x80\x80", 3))
			*len -= 3;
		else
			break;
	}
}

/* A list written as text ("3.5; 9; 4", "食堂、宿舍"): elements separated
 * as separator_at says, an empty text is the empty list, an empty element
 * a missing one. Text elements point into s. */
static rulebook_status parse_list_text(const rulebook *rb, const rb_input *in, const char *s,
				       size_t len, list_buf *b, char *msg, size_t msgsize)
{
	const char *t = s;
	size_t tl = len;
	trim(&t, &tl);
	if (tl && t[0] == '[') {
		/* a JSON array in one text: any elements, records too */
		rulebook_error *e = rulebook_error_new();
		if (!e) {
			snprintf(msg, msgsize, "out of memory");
			return RULEBOOK_ERR_NOMEM;
		}
		rulebook_status st = rb_json_load(t, tl, "<list>", NULL, &b->doc, e);
		if (st == RULEBOOK_OK)
			st = list_from_node(rb, in, b->doc->root, true, b, e);
		if (st != RULEBOOK_OK)
			snprintf(msg, msgsize, "the list of input '%s' (JSON, column %u): %s",
				 in->sym->name, (unsigned)rulebook_error_column(e, 0),
				 rulebook_error_message(e, 0) ? rulebook_error_message(e, 0)
							      : "out of memory");
		rulebook_error_free(e);
		return st;
	}
	if (in->nfields) {
		snprintf(msg, msgsize,
			 "list input '%s' holds records: give it as a JSON array of objects, or "
			 "through rulebook_facts_set_list_text_at",
			 in->sym->name);
		return RULEBOOK_ERR_VALUE;
	}
	if (tl == 0)
		return RULEBOOK_OK;
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		size_t sep = i < len ? separator_at(s, len, i) : 1;
		if (!sep)
			continue;
		const char *e = s + start;
		size_t el = i - start;
		trim(&e, &el);
		rb_val *v;
		rulebook_status st = list_push(rb, in, b, &v, msg, msgsize);
		if (st != RULEBOOK_OK)
			return st;
		if (el) {
			st = parse_element(rb, in, 0, b->n - 1, e, el, v, msg, msgsize);
			if (st != RULEBOOK_OK)
				return st;
		}
		i += sep - 1;
		start = i + 1;
	}
	return RULEBOOK_OK;
}

/* Store the elements of b as the value of list input idx: the facts keep
 * their own copies (texts included). */
static rulebook_status store_list(rulebook_facts *f, size_t idx, const list_buf *b,
				  rulebook_error *err)
{
	const rulebook *rb = f->rb;
	const rb_input *in = &rb->inputs[idx];
	uint32_t stride = stride_of(in);
	size_t need = 0;
	for (size_t j = 0; j < b->n; j++)
		if (rb_list_item_is_text(rb, in, j % stride) && b->items[j].state == RB_V_OK)
			need += b->items[j].u.t.len + 1;
	if ((need && rb_grow((void **)&f->text[idx], &f->text_cap[idx], need, 1) < 0) ||
	    (b->n && rb_grow((void **)&f->list[idx], &f->list_cap[idx], b->n, sizeof(rb_val)) < 0))
		return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	rb_val *items = f->list[idx];
	size_t off = 0;
	for (size_t j = 0; j < b->n; j++) {
		items[j] = b->items[j];
		if (!rb_list_item_is_text(rb, in, j % stride) || items[j].state != RB_V_OK)
			continue;
		memcpy(f->text[idx] + off, items[j].u.t.s, items[j].u.t.len);
		f->text[idx][off + items[j].u.t.len] = '\0';
		items[j].u.t.s = f->text[idx] + off;
		off += items[j].u.t.len + 1;
	}
	rb_val v = {.state = RB_V_OK};
	v.u.l.items = items;
	v.u.l.n = (uint32_t)(b->n / stride);
	f->vals[idx] = v;
	f->fvals[idx] = v;
	return RULEBOOK_OK;
}

static rulebook_status need_list(const rulebook_facts *f, size_t idx, rulebook_error *err)
{
	const rb_input *in = &f->rb->inputs[idx];
	if (in->type == RB_T_LIST)
		return RULEBOOK_OK;
	return rb_error_add(err, RULEBOOK_ERR_VALUE, (rb_pos){0}, in->sym->name,
			    "input '%s' is a %s, not a list", in->sym->name, type_word(in->type));
}

static rulebook_status check_idx(const rulebook_facts *f, size_t idx, rulebook_error *err);

RULEBOOK_API rulebook_status rulebook_facts_set_list_text_at(rulebook_facts *f, size_t input,
							     const char *const *values,
							     const size_t *lens, size_t n,
							     rulebook_error *err)
{
	rulebook_status st = check_idx(f, input, err);
	if (!st)
		st = need_list(f, input, err);
	if (st)
		return st;
	const rulebook *rb = f->rb;
	const rb_input *in = &rb->inputs[input];
	uint32_t stride = stride_of(in);
	if (n && !values)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, in->sym->name,
				    "values is NULL");
	if (n % stride)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, in->sym->name,
				    "list input '%s' has %u fields per element; %zu values are not "
				    "whole elements", in->sym->name, stride, n);
	list_buf b = {0};
	char msg[320];
	st = RULEBOOK_OK;
	for (size_t k = 0; st == RULEBOOK_OK && k < n / stride; k++) {
		rb_val *v;
		st = list_push(rb, in, &b, &v, msg, sizeof msg);
		for (uint32_t fd = 0; st == RULEBOOK_OK && fd < stride; fd++) {
			const char *s = values[k * stride + fd];
			if (!s)
				continue; /* a missing element or field */
			size_t len = lens ? lens[k * stride + fd] : strlen(s);
			if (!valid_text(s, len)) {
				snprintf(msg, sizeof msg, "element %zu of list '%s' is not UTF-8 text "
					 "(invalid or NUL byte)", k + 1, in->sym->name);
				st = RULEBOOK_ERR_VALUE;
				break;
			}
			st = parse_element(rb, in, fd, k, s, len, &v[fd], msg, sizeof msg);
		}
	}
	if (st == RULEBOOK_OK)
		st = store_list(f, input, &b, err);
	else
		rb_error_add(err, st, (rb_pos){0}, in->sym->name, "%s", msg);
	list_buf_free(&b);
	return st;
}

RULEBOOK_API rulebook_status rulebook_facts_set_list_double_at(rulebook_facts *f, size_t input,
							       const double *values, size_t n,
							       rulebook_error *err)
{
	rulebook_status st = check_idx(f, input, err);
	if (!st)
		st = need_list(f, input, err);
	if (st)
		return st;
	const rulebook *rb = f->rb;
	const rb_input *in = &rb->inputs[input];
	if (in->elem != RB_T_NUMBER && in->elem != RB_T_INTEGER)
		return rb_error_add(err, RULEBOOK_ERR_VALUE, (rb_pos){0}, in->sym->name,
				    "list input '%s' holds %s values, not numbers", in->sym->name,
				    type_word(in->elem));
	if (n && !values)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, in->sym->name,
				    "values is NULL");
	list_buf b = {0};
	char msg[320];
	for (size_t k = 0; st == RULEBOOK_OK && k < n; k++) {
		rb_val *v;
		st = list_push(rb, in, &b, &v, msg, sizeof msg);
		if (st)
			break;
		rb_dec d;
		rb_dec_status ds = rb_dec_from_double(values[k], &d);
		if (ds != RB_DEC_OK) {
			snprintf(msg, sizeof msg, "element %zu of list '%s': %s is not a usable number",
				 k + 1, in->sym->name,
				 isnan(values[k]) ? "NaN" : isinf(values[k]) ? "infinity" : "the value");
			st = ds == RB_DEC_SYNTAX ? RULEBOOK_ERR_VALUE : RULEBOOK_ERR_RANGE;
			break;
		}
		if (in->elem == RB_T_INTEGER && !rb_dec_is_integer(d)) {
			snprintf(msg, sizeof msg, "element %zu of list '%s' is not a whole number",
				 k + 1, in->sym->name);
			st = RULEBOOK_ERR_VALUE;
			break;
		}
		v->state = RB_V_OK;
		v->u.d = d;
	}
	if (st == RULEBOOK_OK)
		st = store_list(f, input, &b, err);
	else
		rb_error_add(err, st, (rb_pos){0}, in->sym->name, "%s", msg);
	list_buf_free(&b);
	return st;
}

static rulebook_status find(const rulebook_facts *f, const char *name, size_t *idx,
			    rulebook_error *err);

RULEBOOK_API rulebook_status rulebook_facts_set_list_text(rulebook_facts *f, const char *name,
							  const char *const *values,
							  const size_t *lens, size_t n,
							  rulebook_error *err)
{
	size_t idx = 0;
	rulebook_status st = find(f, name, &idx, err);
	return st ? st : rulebook_facts_set_list_text_at(f, idx, values, lens, n, err);
}

RULEBOOK_API rulebook_status rulebook_facts_set_list_double(rulebook_facts *f, const char *name,
							    const double *values, size_t n,
							    rulebook_error *err)
{
	size_t idx = 0;
	rulebook_status st = find(f, name, &idx, err);
	return st ? st : rulebook_facts_set_list_double_at(f, idx, values, n, err);
}

/* A list from a document node: a sequence of scalars (null: a missing
 * element) or, for records, of mappings by field name (an absent or null
 * field is missing); a string is the text form. json: text elements must
 * be quoted strings (as text inputs must). Errors carry the node's
 * position. */
static rulebook_status list_from_node(const rulebook *rb, const rb_input *in, const rb_node *v,
				      bool json, list_buf *b, rulebook_error *err)
{
	char msg[320];
	const char *name = in->sym->name;
	if (v->kind == RB_NODE_SCALAR) {
		rulebook_status st = parse_list_text(rb, in, v->text, v->len, b, msg, sizeof msg);
		return st ? rb_error_add(err, st, v->pos, name, "%s", msg) : RULEBOOK_OK;
	}
	if (v->kind != RB_NODE_SEQ)
		return rb_error_add(err, RULEBOOK_ERR_VALUE, v->pos, name,
				    "list input '%s' takes an array, not an object", name);
	for (size_t k = 0; k < v->count; k++) {
		const rb_node *it = v->items[k];
		rb_val *e;
		rulebook_status st = list_push(rb, in, b, &e, msg, sizeof msg);
		if (st)
			return rb_error_add(err, st, it->pos, name, "%s", msg);
		const rb_node *cells[64];
		uint32_t nf = stride_of(in);
		if (in->nfields) {
			if (it->kind != RB_NODE_MAP)
				return rb_error_add(err, RULEBOOK_ERR_VALUE, it->pos, name,
						    "element %zu of list '%s' must be an object with "
						    "its fields", k + 1, name);
			for (uint32_t fd = 0; fd < nf && fd < 64; fd++)
				cells[fd] = NULL;
			for (size_t p = 0; p < it->count; p++) {
				const rb_node *key = it->pairs[p].key;
				uint32_t fd;
				for (fd = 0; fd < nf; fd++)
					if (!strcmp(rb->inputs[in->field0 + fd].sym->name, key->text))
						break;
				if (fd == nf || fd >= 64)
					return rb_error_add(err, RULEBOOK_ERR_NOT_FOUND, key->pos, name,
							    "'%s' is not a field of list '%s'",
							    key->text, name);
				cells[fd] = it->pairs[p].value;
			}
		} else {
			cells[0] = it;
		}
		for (uint32_t fd = 0; fd < nf && fd < 64; fd++) {
			const rb_node *c = cells[fd];
			if (!c)
				continue;
			if (c->kind != RB_NODE_SCALAR)
				return rb_error_add(err, RULEBOOK_ERR_VALUE, c->pos, name,
						    "element %zu of list '%s' must be a string, number, "
						    "boolean or null", k + 1, name);
			bool plain = c->style == RB_SCALAR_PLAIN;
			if (plain && (!strcmp(c->text, "null") || !strcmp(c->text, "~") || !c->len))
				continue;
			if (json && plain && rb_list_item_is_text(rb, in, fd))
				return rb_error_add(err, RULEBOOK_ERR_VALUE, c->pos, name,
						    "element %zu of list '%s' is text and needs a "
						    "quoted string", k + 1, name);
			st = parse_element(rb, in, fd, k, c->text, c->len, &e[fd], msg, sizeof msg);
			if (st)
				return rb_error_add(err, st, c->pos, name, "%s", msg);
		}
	}
	return RULEBOOK_OK;
}

rulebook_status rb_facts_set_list_node(rulebook_facts *f, size_t idx, const rb_node *v, bool json,
				       rulebook_error *err)
{
	list_buf b = {0};
	rulebook_status st = list_from_node(f->rb, &f->rb->inputs[idx], v, json, &b, err);
	if (st == RULEBOOK_OK)
		st = store_list(f, idx, &b, err);
	list_buf_free(&b);
	return st;
}

/* ---- setters ---- */

static rulebook_status find(const rulebook_facts *f, const char *name, size_t *idx,
			    rulebook_error *err)
{
	rulebook_error_clear(err);
	if (!f || !name)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "facts and a name are required");
	const rb_sym *s = rb_lookup(f->rb, name, strlen(name));
	if (!s || s->kind != RB_SYM_INPUT)
		return rb_error_add(err, RULEBOOK_ERR_NOT_FOUND, (rb_pos){0}, name,
				    "'%s' is not an input of rulebook '%s'", name, f->rb->id);
	*idx = s->index;
	return RULEBOOK_OK;
}

static rulebook_status store(rulebook_facts *f, size_t idx, rb_val v, rulebook_error *err)
{
	if (f->rb->inputs[idx].type == RB_T_TEXT && v.state == RB_V_OK) {
		if (rb_store_text(&f->text[idx], &f->text_cap[idx], v.u.t.s, v.u.t.len) < 0)
			return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
		v.u.t.s = f->text[idx];
		/* which text of the rulebook it is, for the binary run's comparisons */
		v.at = rb_fast_text_id(&f->rb->inputs[idx], v.u.t.s, v.u.t.len);
	}
	f->vals[idx] = v;
	f->fvals[idx] = v;
	rb_type t = f->rb->inputs[idx].type;
	if ((t == RB_T_NUMBER || t == RB_T_INTEGER) && v.state == RB_V_OK)
		rb_fast_from_dec(v.u.d, &f->fvals[idx]);
	return RULEBOOK_OK;
}

/* The common cells, set without the general path: a plain number for a
 * number or integer input, true or false for a boolean. False when the
 * general path must decide (and report what is wrong). */
static inline bool set_plain_number(rulebook_facts *f, const rb_input *in, size_t idx,
				    const char *s, size_t len)
{
	/* one pass; plain ASCII needs no UTF-8 check. Its trailing zeros
	 * dropped, a plain decimal is whole when its exponent is not negative. */
	rb_dec d;
	if (!rb_dec_parse_plain(s, len, &d) || (in->type == RB_T_INTEGER && d.exp < 0))
		return false;
	rb_val *v = &f->vals[idx];
	v->state = RB_V_OK;
	v->err = 0;
	v->at = 0;
	v->u.d = d;
	rb_fast_from_dec(d, &f->fvals[idx]);
	return true;
}

static bool set_plain(rulebook_facts *f, const rb_input *in, size_t idx, const char *s,
		      size_t len)
{
	if (in->type == RB_T_NUMBER || in->type == RB_T_INTEGER)
		return set_plain_number(f, in, idx, s, len);
	if (in->type == RB_T_BOOL && len - 4 <= 1) {
		/* "true" or "false" told apart without a branch on which: as
		 * good as random to a branch predictor */
		uint32_t w, wt, wf;
		memcpy(&w, s, 4);
		memcpy(&wt, "true", 4);
		memcpy(&wf, "fals", 4);
		bool t = (len == 4) & (w == wt), fa = (len == 5) & (w == wf) & (s[len - 1] == 'e');
		if (t | fa) {
			rb_val v = {.state = RB_V_OK};
			v.u.b = t;
			f->vals[idx] = f->fvals[idx] = v;
			return true;
		}
	}
	return false;
}

/* Copy len bytes of s to t without a call: up to 32 bytes two loads that
 * may overlap, then two stores (t == s is harmless); longer texts sixteen
 * bytes at a time. */
static inline void copy_text(char *t, const char *s, size_t len)
{
	if (len >= 16 && len <= 32) {
		unsigned char lo[16], hi[16];
		memcpy(lo, s, 16);
		memcpy(hi, s + len - 16, 16);
		memcpy(t, lo, 16);
		memcpy(t + len - 16, hi, 16);
	} else if (len >= 8 && len < 16) {
		uint64_t lo, hi;
		memcpy(&lo, s, 8);
		memcpy(&hi, s + len - 8, 8);
		memcpy(t, &lo, 8);
		memcpy(t + len - 8, &hi, 8);
	} else if (len < 8) {
		for (size_t k = 0; k < len; k++)
			t[k] = s[k];
	} else {
		/* longer: sixteen at a time, the last sixteen overlapping */
		unsigned char c[16];
		size_t o = 0;
		for (; o + 16 < len; o += 16) {
			memcpy(c, s + o, 16);
			memcpy(t + o, c, 16);
		}
		memcpy(c, s + len - 16, 16);
		memcpy(t + len - 16, c, 16);
	}
}

/* A text input set without the general path: looked up among the input's
 * interned texts, UTF-8 checked unless it equals one of them (they are
 * UTF-8 without NUL bytes, see intern_texts), copied into the facts'
 * storage. False when the general path must decide (and report what is
 * wrong). */
static bool set_plain_text(rulebook_facts *f, const rb_input *in, size_t idx, const char *s,
			   size_t len)
{
	uint32_t id = rb_fast_text_id(in, s, len);
	if ((id == RB_TEXT_OTHER || id == RB_TEXT_UNKNOWN) && !valid_text(s, len))
		return false;
	if (len >= UINT32_MAX || (len + 1 > f->text_cap[idx] &&
				  rb_grow((void **)&f->text[idx], &f->text_cap[idx], len + 1, 1) < 0))
		return false;
	char *t = f->text[idx];
	copy_text(t, s, len);
	t[len] = '\0';
	/* what store() stores, field by field */
	rb_val *v = &f->vals[idx], *fv = &f->fvals[idx];
	v->state = fv->state = RB_V_OK;
	v->err = fv->err = 0;
	v->at = fv->at = id;
	v->u.t.s = fv->u.t.s = t;
	v->u.t.len = fv->u.t.len = (uint32_t)len;
	return true;
}

static rulebook_status set_text_idx(rulebook_facts *f, size_t idx, const char *value, size_t len,
				    rulebook_error *err)
{
	if (!value)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL, "value is NULL");
	rb_val v;
	char msg[256];
	const rb_input *in = &f->rb->inputs[idx];
	if (set_plain(f, in, idx, value, len))
		return RULEBOOK_OK;
	if (!valid_text(value, len))
		return rb_error_add(err, RULEBOOK_ERR_VALUE, (rb_pos){0}, in->sym->name,
				    "the value for input '%s' is not UTF-8 text (invalid or NUL byte)",
				    in->sym->name);
	if (in->type == RB_T_LIST) {
		list_buf b = {0};
		char lmsg[320];
		rulebook_status st = parse_list_text(f->rb, in, value, len, &b, lmsg, sizeof lmsg);
		if (st == RULEBOOK_OK)
			st = store_list(f, idx, &b, err);
		else
			rb_error_add(err, st, (rb_pos){0}, in->sym->name, "%s", lmsg);
		list_buf_free(&b);
		return st;
	}
	rulebook_status st = rb_parse_input_value(f->rb, in, value, len, &v, msg, sizeof msg);
	if (st != RULEBOOK_OK)
		return rb_error_add(err, st, (rb_pos){0}, in->sym->name, "%s", msg);
	return store(f, idx, v, err);
}

static rulebook_status check_idx(const rulebook_facts *f, size_t idx, rulebook_error *err)
{
	rulebook_error_clear(err);
	if (!f)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL, "facts are NULL");
	if (idx >= f->rb->ninputs)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "input index %zu is out of range (the rulebook has %u inputs)",
				    idx, f->rb->ninputs);
	return RULEBOOK_OK;
}

static rulebook_status need_type(const rulebook_facts *f, size_t idx, int numeric, rb_type t,
				 rulebook_error *err)
{
	const rb_input *in = &f->rb->inputs[idx];
	bool ok = numeric ? (in->type == RB_T_NUMBER || in->type == RB_T_INTEGER) : in->type == t;
	if (ok)
		return RULEBOOK_OK;
	return rb_error_add(err, RULEBOOK_ERR_VALUE, (rb_pos){0}, in->sym->name,
			    "input '%s' is a %s, not a %s", in->sym->name, type_word(in->type),
			    numeric ? "number" : type_word(t));
}

static rulebook_status set_dec_idx(rulebook_facts *f, size_t idx, rb_dec d, rulebook_error *err)
{
	rulebook_status st = need_type(f, idx, 1, RB_T_NUMBER, err);
	if (st)
		return st;
	const rb_input *in = &f->rb->inputs[idx];
	if (in->type == RB_T_INTEGER && !rb_dec_is_integer(d))
		return rb_error_add(err, RULEBOOK_ERR_VALUE, (rb_pos){0}, in->sym->name,
				    "input '%s' is an integer; the value is not a whole number",
				    in->sym->name);
	rb_val v = {.state = RB_V_OK};
	v.u.d = d;
	return store(f, idx, v, err);
}

static RB_NOINLINE rulebook_status ok_cleared(rulebook_error *err)
{
	rulebook_error_clear(err);
	return RULEBOOK_OK;
}

/* rulebook_facts_set_text_at past its first steps: the general path. */
static RB_NOINLINE rulebook_status set_text_general(rulebook_facts *f, size_t input,
						     const char *value, size_t len,
						     rulebook_error *err)
{
	rulebook_status st = check_idx(f, input, err);
	return st ? st : set_text_idx(f, input, value, len, err);
}

/* rulebook_facts_set_text_at for a number or integer input. */
static RB_NOINLINE rulebook_status set_number_cell(rulebook_facts *f, const rb_input *in,
						    size_t input, const char *value, size_t len,
						    rulebook_error *err)
{
	if (set_plain_number(f, in, input, value, len))
		return err ? ok_cleared(err) : RULEBOOK_OK;
	return set_text_general(f, input, value, len, err);
}

/* rulebook_facts_set_text_at for a text input whose storage must grow. */
static RB_NOINLINE rulebook_status set_text_grown(rulebook_facts *f, const rb_input *in,
						   size_t input, const char *value, size_t len,
						   rulebook_error *err)
{
	if (set_plain_text(f, in, input, value, len))
		return err ? ok_cleared(err) : RULEBOOK_OK;
	return set_text_general(f, input, value, len, err);
}

/* rulebook_facts_set_text_at for a text input: set_plain_text with the
 * lookup, the UTF-8 check and the copy inline, calling nothing but in
 * tail position (see RB_NOINLINE). */
static RB_NOINLINE rulebook_status set_text_cell(rulebook_facts *f, const rb_input *in,
						  size_t input, const char *value, size_t len,
						  rulebook_error *err)
{
	uint32_t id = rb_fast_text_id(in, value, len);
	if ((id == RB_TEXT_OTHER || id == RB_TEXT_UNKNOWN) && !utf8_text(value, len))
		return set_text_general(f, input, value, len, err);
	if (len >= UINT32_MAX || len >= f->text_cap[input])
		return set_text_grown(f, in, input, value, len, err);
	char *t = f->text[input];
	copy_text(t, value, len);
	t[len] = '\0';
	rb_val *v = &f->vals[input], *fv = &f->fvals[input];
	v->state = fv->state = RB_V_OK;
	v->err = fv->err = 0;
	v->at = fv->at = id;
	v->u.t.s = fv->u.t.s = t;
	v->u.t.len = fv->u.t.len = (uint32_t)len;
	return err ? ok_cleared(err) : RULEBOOK_OK;
}

/* rulebook_facts_set_text_at for an input other than a number or a text. */
static RB_NOINLINE rulebook_status set_text_other(rulebook_facts *f, const rb_input *in,
						   size_t input, const char *value, size_t len,
						   rulebook_error *err)
{
	if (set_plain(f, in, input, value, len))
		return err ? ok_cleared(err) : RULEBOOK_OK;
	return set_text_general(f, input, value, len, err);
}

RULEBOOK_API rulebook_status rulebook_facts_set_text_at(rulebook_facts *f, size_t input,
							const char *value, size_t len,
							rulebook_error *err)
{
	/* the common cells, a plain number, a boolean or a text, without the
	 * checks and messages of the general path; a plain number first,
	 * calling nothing (see RB_NOINLINE) */
	if (f && value && input < f->rb->ninputs) {
		const rb_input *in = &f->rb->inputs[input];
		if (in->type == RB_T_TEXT)
			return set_text_cell(f, in, input, value, len, err);
		if (in->type != RB_T_NUMBER && in->type != RB_T_INTEGER)
			return set_text_other(f, in, input, value, len, err);
		return set_number_cell(f, in, input, value, len, err);
	}
	return set_text_general(f, input, value, len, err);
}

RULEBOOK_API rulebook_status rulebook_facts_set_decimal_at(rulebook_facts *f, size_t input,
							   const char *value, size_t len,
							   rulebook_error *err)
{
	rulebook_status st = check_idx(f, input, err);
	if (st)
		return st;
	st = need_type(f, input, 1, RB_T_NUMBER, err);
	return st ? st : set_text_idx(f, input, value, len, err);
}

/* What rulebook_facts_set_double_at does not take in its first steps:
 * a double that needs the general conversion, or an error to report. */
static rulebook_status set_double_general(rulebook_facts *f, size_t input, double value,
					  rulebook_error *err)
{
	rulebook_status st = check_idx(f, input, err);
	if (st)
		return st;
	rb_dec d;
	rb_dec_status ds = rb_dec_from_double(value, &d);
	if (ds != RB_DEC_OK)
		return rb_error_add(err, ds == RB_DEC_SYNTAX ? RULEBOOK_ERR_VALUE : RULEBOOK_ERR_RANGE,
				    (rb_pos){0}, f->rb->inputs[input].sym->name,
				    "%s is not a usable number for input '%s'",
				    isnan(value) ? "NaN" : isinf(value) ? "infinity" : "the value",
				    f->rb->inputs[input].sym->name);
	return set_dec_idx(f, input, d, err);
}

static inline rulebook_status stored_double(rulebook_facts *f, size_t input, rb_dec d,
					    rulebook_error *err)
{
	rb_val *v = &f->vals[input];
	v->state = RB_V_OK;
	v->err = 0;
	v->at = 0;
	v->u.d = d;
	return err ? ok_cleared(err) : RULEBOOK_OK;
}

/* rulebook_facts_set_double_at past its first steps. */
static RB_NOINLINE rulebook_status set_double_rest(rulebook_facts *f, size_t input, rb_type t,
						   double value, rulebook_error *err)
{
	rb_dec d;
	if (t == RB_T_NUMBER && rb_fast_from_short_double(value, &d, &f->fvals[input]))
		return stored_double(f, input, d, err);
	if ((t == RB_T_NUMBER || t == RB_T_INTEGER) && rb_dec_from_double(value, &d) == RB_DEC_OK &&
	    (t == RB_T_NUMBER || rb_dec_is_integer(d))) {
		rb_fast_from_dec(d, &f->fvals[input]);
		return stored_double(f, input, d, err);
	}
	return set_double_general(f, input, value, err);
}

RULEBOOK_API rulebook_status rulebook_facts_set_double_at(rulebook_facts *f, size_t input,
							  double value, rulebook_error *err)
{
	/* the common cases, a number (or a whole one for an integer input),
	 * stored as store() stores a number: first, calling nothing (see
	 * RB_NOINLINE), a double whose shortest decimal has at most two
	 * fraction digits for a number input or a whole one for an integer
	 * input, made inline with its binary form; then (set_double_rest) up
	 * to eight fraction digits; the general path decides and reports
	 * everything else */
	rb_type t = f && input < f->rb->ninputs ? f->rb->inputs[input].type : RB_T_TEXT;
	rb_dec d;
	if ((t == RB_T_NUMBER && rb_fast_from_cents_double(value, &d, &f->fvals[input])) ||
	    (t == RB_T_INTEGER && rb_fast_from_whole_double(value, &d, &f->fvals[input])))
		return stored_double(f, input, d, err);
	return set_double_rest(f, input, t, value, err);
}

/* unscaled × 10^-scale as text for messages: "123.45", "-0.005", "37e4". */
static void scaled_text(int64_t unscaled, int32_t scale, char *buf, size_t size)
{
	char digits[24];
	uint64_t u = unscaled < 0 ? UINT64_C(0) - (uint64_t)unscaled : (uint64_t)unscaled;
	int nd = snprintf(digits, sizeof digits, "%" PRIu64, u);
	const char *sign = unscaled < 0 ? "-" : "";
	if (scale == 0)
		snprintf(buf, size, "%s%s", sign, digits);
	else if (scale < 0 || scale - nd > 20)
		snprintf(buf, size, "%s%se%" PRId64, sign, digits, -(int64_t)scale);
	else if (scale < nd)
		snprintf(buf, size, "%s%.*s.%s", sign, nd - scale, digits, digits + (nd - scale));
	else
		snprintf(buf, size, "%s0.%.*s%s", sign, scale - nd, "00000000000000000000", digits);
}

RULEBOOK_API rulebook_status rulebook_facts_set_scaled_at(rulebook_facts *f, size_t input,
							  int64_t unscaled, int32_t scale,
							  rulebook_error *err)
{
	rulebook_status st = check_idx(f, input, err);
	if (st)
		return st;
	st = need_type(f, input, 1, RB_T_NUMBER, err);
	if (st)
		return st;
	const rb_input *in = &f->rb->inputs[input];
	rb_dec d;
	rb_dec_status ds = rb_dec_from_scaled(unscaled, scale, &d);
	if (ds == RB_DEC_OK && (in->type != RB_T_INTEGER || rb_dec_is_integer(d)))
		return set_dec_idx(f, input, d, err);
	char text[80];
	scaled_text(unscaled, scale, text, sizeof text);
	if (ds == RB_DEC_OK)
		return rb_error_add(err, RULEBOOK_ERR_VALUE, (rb_pos){0}, in->sym->name,
				    "'%s' is not a whole number for integer input '%s'", text,
				    in->sym->name);
	return rb_error_add(err, RULEBOOK_ERR_RANGE, (rb_pos){0}, in->sym->name,
			    "'%s' is not %s for input '%s'", text,
			    ds == RB_DEC_PRECISION ? "a number of at most 18 significant digits"
						   : "a number within the decimal range",
			    in->sym->name);
}

RULEBOOK_API rulebook_status rulebook_facts_set_bool_at(rulebook_facts *f, size_t input, int value,
							rulebook_error *err)
{
	rulebook_status st = check_idx(f, input, err);
	return st ? st : rb_facts_set_bool_at(f, input, value != 0, err);
}

RULEBOOK_API rulebook_status rulebook_facts_set_date_at(rulebook_facts *f, size_t input,
							int32_t value, rulebook_error *err)
{
	rulebook_status st = check_idx(f, input, err);
	if (st)
		return st;
	if (f->rb->inputs[input].type == RB_T_DATE && !rb_date_valid(value))
		return rb_error_add(err, RULEBOOK_ERR_VALUE, (rb_pos){0}, f->rb->inputs[input].sym->name,
				    "%ld is not a valid YYYYMMDD date", (long)value);
	return rb_facts_set_date_at(f, input, value, err);
}

RULEBOOK_API rulebook_status rulebook_facts_set_missing_at(rulebook_facts *f, size_t input)
{
	rulebook_status st = check_idx(f, input, NULL);
	if (st)
		return st;
	set_missing(f, input);
	return RULEBOOK_OK;
}

RULEBOOK_API rulebook_status rulebook_facts_set_decimal(rulebook_facts *f, const char *name,
							const char *value, rulebook_error *err)
{
	size_t idx = 0;
	rulebook_status st = find(f, name, &idx, err);
	if (st)
		return st;
	if (!value)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, name, "value is NULL");
	st = need_type(f, idx, 1, RB_T_NUMBER, err);
	return st ? st : set_text_idx(f, idx, value, strlen(value), err);
}

RULEBOOK_API rulebook_status rulebook_facts_set_double(rulebook_facts *f, const char *name,
						       double value, rulebook_error *err)
{
	size_t idx = 0;
	rulebook_status st = find(f, name, &idx, err);
	return st ? st : rulebook_facts_set_double_at(f, idx, value, err);
}

RULEBOOK_API rulebook_status rulebook_facts_set_int(rulebook_facts *f, const char *name,
						    int64_t value, rulebook_error *err)
{
	size_t idx = 0;
	rulebook_status st = find(f, name, &idx, err);
	return st ? st : set_dec_idx(f, idx, rb_dec_from_int(value), err);
}

RULEBOOK_API rulebook_status rulebook_facts_set_bool(rulebook_facts *f, const char *name,
						     int value, rulebook_error *err)
{
	size_t idx = 0;
	rulebook_status st = find(f, name, &idx, err);
	if (!st)
		st = need_type(f, idx, 0, RB_T_BOOL, err);
	if (st)
		return st;
	rb_val v = {.state = RB_V_OK};
	v.u.b = value != 0;
	return store(f, idx, v, err);
}

RULEBOOK_API rulebook_status rulebook_facts_set_text(rulebook_facts *f, const char *name,
						     const char *value, rulebook_error *err)
{
	size_t idx = 0;
	rulebook_status st = find(f, name, &idx, err);
	return st ? st : set_text_idx(f, idx, value, value ? strlen(value) : 0, err);
}

RULEBOOK_API rulebook_status rulebook_facts_set_date(rulebook_facts *f, const char *name,
						     int32_t value, rulebook_error *err)
{
	size_t idx = 0;
	rulebook_status st = find(f, name, &idx, err);
	if (!st)
		st = need_type(f, idx, 0, RB_T_DATE, err);
	if (st)
		return st;
	if (!rb_date_valid(value))
		return rb_error_add(err, RULEBOOK_ERR_VALUE, (rb_pos){0}, name,
				    "%ld is not a valid YYYYMMDD date", (long)value);
	rb_val v = {.state = RB_V_OK};
	v.u.date = value;
	return store(f, idx, v, err);
}

RULEBOOK_API rulebook_status rulebook_facts_set_missing(rulebook_facts *f, const char *name,
							rulebook_error *err)
{
	size_t idx = 0;
	rulebook_status st = find(f, name, &idx, err);
	if (st)
		return st;
	set_missing(f, idx);
	return RULEBOOK_OK;
}

/* ---- JSON ---- */

/* Set facts from a mapping node; all values are checked before any is set,
 * so a record with one bad value leaves the facts unchanged. */
rulebook_status rb_facts_from_node(rulebook_facts *f, const rb_node *map, rulebook_error *err);

rulebook_status rb_facts_from_node(rulebook_facts *f, const rb_node *map, rulebook_error *err)
{
	const rulebook *rb = f->rb;
	if (map->kind != RB_NODE_MAP)
		return rb_error_add(err, RULEBOOK_ERR_VALUE, map->pos, NULL,
				    "a record must be a JSON object");
	rb_val *vals = rb_malloc((map->count ? map->count : 1) * sizeof(rb_val));
	uint32_t *idx = rb_malloc((map->count ? map->count : 1) * sizeof(uint32_t));
	list_buf *lists = rb_calloc(map->count ? map->count : 1, sizeof(list_buf));
	if (!vals || !idx || !lists) {
		rb_free(vals);
		rb_free(idx);
		rb_free(lists);
		return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	}
	rulebook_status first = RULEBOOK_OK;
	const rb_node *id = NULL;
	size_t n = 0;
	for (size_t p = 0; p < map->count; p++) {
		const rb_node *k = map->pairs[p].key;
		const rb_node *v = map->pairs[p].value;
		if (k->text[0] == '_') {
			if (strcmp(k->text, "_id") == 0) {
				bool plain = v->kind == RB_NODE_SCALAR && v->style == RB_SCALAR_PLAIN;
				if (plain && strcmp(v->text, "null") == 0) {
					id = NULL; /* no record id, not the id "null" */
				} else if (v->kind != RB_NODE_SCALAR ||
					   (plain && (strcmp(v->text, "true") == 0 ||
						      strcmp(v->text, "false") == 0))) {
					rulebook_status st = rb_error_add(err, RULEBOOK_ERR_VALUE, v->pos, "_id",
									  "_id must be a string or number");
					first = first ? first : st;
				} else {
					id = v;
				}
			}
			continue;
		}
		const rb_sym *s = rb_lookup(rb, k->text, k->len);
		if ((!s || s->kind != RB_SYM_INPUT) && f->ignore_unknown)
			continue;
		if (!s || s->kind != RB_SYM_INPUT) {
			rulebook_status st = rb_error_add(err, RULEBOOK_ERR_NOT_FOUND, k->pos, k->text,
							  "'%s' is not an input of rulebook '%s'",
							  k->text, rb->id);
			first = first ? first : st;
			continue;
		}
		if (rb->inputs[s->index].type == RB_T_LIST &&
		    !(v->kind == RB_NODE_SCALAR && v->style == RB_SCALAR_PLAIN)) {
			rulebook_status st = list_from_node(rb, &rb->inputs[s->index], v, true, &lists[n],
							    err);
			if (st != RULEBOOK_OK) {
				first = first ? first : st;
				continue;
			}
			vals[n] = (rb_val){.state = RB_V_OK};
			idx[n] = s->index;
			n++;
			continue;
		}
		if (v->kind != RB_NODE_SCALAR) {
			rulebook_status st = rb_error_add(err, RULEBOOK_ERR_VALUE, v->pos, k->text,
							  "the value of '%s' must be a string, number, "
							  "boolean or null",
							  k->text);
			first = first ? first : st;
			continue;
		}
		const rb_input *in = &rb->inputs[s->index];
		rb_val val = {.state = RB_V_MISSING};
		bool plain = v->style == RB_SCALAR_PLAIN;
		if (plain && (strcmp(v->text, "null") == 0 || strcmp(v->text, "~") == 0 || v->len == 0)) {
			/* missing */
		} else if (plain && in->type == RB_T_TEXT) {
			rulebook_status st = rb_error_add(err, RULEBOOK_ERR_VALUE, v->pos, k->text,
							  "text input '%s' needs a quoted string", k->text);
			first = first ? first : st;
			continue;
		} else {
			char msg[256];
			rulebook_status st = rb_parse_input_value(rb, in, v->text, v->len, &val, msg,
								  sizeof msg);
			if (st != RULEBOOK_OK) {
				rb_error_add(err, st, v->pos, k->text, "%s", msg);
				first = first ? first : st;
				continue;
			}
			val.state = RB_V_OK;
		}
		vals[n] = val;
		idx[n] = s->index;
		n++;
	}
	for (size_t i = 0; first == RULEBOOK_OK && i < n; i++)
		first = rb->inputs[idx[i]].type == RB_T_LIST && vals[i].state == RB_V_OK
				? store_list(f, idx[i], &lists[i], err)
				: store(f, idx[i], vals[i], err);
	if (first == RULEBOOK_OK) {
		f->has_id = id != NULL;
		if (id && rb_store_text(&f->record_id, &f->record_id_cap, id->text, id->len) < 0)
			first = rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	}
	for (size_t i = 0; i < map->count; i++)
		list_buf_free(&lists[i]);
	rb_free(lists);
	rb_free(vals);
	rb_free(idx);
	return first;
}

RULEBOOK_API rulebook_status rulebook_facts_set_json(rulebook_facts *f, const char *json,
						     size_t len, rulebook_error *err)
{
	rulebook_error_clear(err);
	if (!f || !json)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "facts and JSON text are required");
	rb_doc *doc = NULL;
	rulebook_status st = rb_json_load(json, len, "<json>", NULL, &doc, err);
	if (st != RULEBOOK_OK)
		return st;
	st = rb_facts_from_node(f, doc->root, err);
	rb_doc_free(doc);
	return st;
}

/* ---- typed setters by index, for columnar input (lib/arrow_in.c) ---- */

rulebook_status rb_facts_set_dec_at(rulebook_facts *f, size_t idx, rb_dec d, rulebook_error *err)
{
	return set_dec_idx(f, idx, d, err);
}

rulebook_status rb_facts_set_bool_at(rulebook_facts *f, size_t idx, bool b, rulebook_error *err)
{
	rulebook_status st = need_type(f, idx, 0, RB_T_BOOL, err);
	if (st)
		return st;
	rb_val v = {.state = RB_V_OK};
	v.u.b = b;
	return store(f, idx, v, err);
}

rulebook_status rb_facts_set_date_at(rulebook_facts *f, size_t idx, int32_t ymd,
				     rulebook_error *err)
{
	rulebook_status st = need_type(f, idx, 0, RB_T_DATE, err);
	if (st)
		return st;
	if (!rb_date_valid(ymd))
		return rb_error_add(err, RULEBOOK_ERR_VALUE, (rb_pos){0}, f->rb->inputs[idx].sym->name,
				    "the date for input '%s' is outside the years 1000 to 9999",
				    f->rb->inputs[idx].sym->name);
	rb_val v = {.state = RB_V_OK};
	v.u.date = ymd;
	return store(f, idx, v, err);
}

bool rb_valid_text(const char *s, size_t len)
{
	return valid_text(s, len);
}
