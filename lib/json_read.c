/* Facts JSON, read strictly as RFC 8259 into the document tree of node.h:
 * strings become double-quoted scalars (escapes resolved), numbers keep
 * their exact decimal text, and true, false and null are plain scalars, so
 * the facts reader (facts.c) tells "37" from 37 as it does for YAML. What
 * is YAML but not JSON (unquoted keys and strings, anchors, comments,
 * single quotes, NaN, trailing commas) is a syntax error with its line and
 * column. Nothing here recurses: nesting is kept on an explicit stack. */
#include "json_read.h"
#include "alloc.h"
#include "idset.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

typedef struct frame {
	rb_node *node;
	size_t base;        /* first child in vals */
} frame;

typedef struct reader {
	const unsigned char *s;
	size_t len, at;
	size_t line, line_start;
	const char *file;
	const rb_limits *lim;
	rulebook_error *err;
	rb_doc *doc;
	frame *frames;
	size_t nframes, capframes;
	rb_node **vals;
	size_t nvals, capvals;
	uint64_t nodes;
	char *text;          /* a string being decoded */
	size_t captext;
} reader;

static rb_pos pos_at(const reader *r, size_t off)
{
	/* off is on the current line: columns count bytes */
	rb_pos p = {r->file, (uint32_t)(r->line > UINT32_MAX ? UINT32_MAX : r->line),
		    (uint32_t)(off - r->line_start + 1 > UINT32_MAX ? UINT32_MAX
								     : off - r->line_start + 1)};
	return p;
}

static rulebook_status nomem(reader *r)
{
	return rb_error_add(r->err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
}

/* Length of the UTF-8 sequence at s[0..avail), 0 when invalid. */
static size_t utf8_len(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t min, v;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2, min = 0x80, v = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3, min = 0x800, v = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4, min = 0x10000, v = c & 0x07;
	else
		return 0;
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	return n;
}

/* What is at off, for messages: a character, or "the end". */
static void describe(const reader *r, size_t off, char *buf, size_t size)
{
	if (off >= r->len) {
		snprintf(buf, size, "the end of the text");
		return;
	}
	unsigned char c = r->s[off];
	if (c >= 0x21 && c < 0x7F) {
		snprintf(buf, size, "'%c'", c);
		return;
	}
	size_t n = c < 0x80 ? 0 : utf8_len(r->s + off, r->len - off);
	if (n == 0) {
		snprintf(buf, size, c < 0x80 ? "byte 0x%02X" : "byte 0x%02X (not UTF-8)", c);
		return;
	}
	snprintf(buf, size, "'%.*s'", (int)n, (const char *)r->s + off);
}

static rulebook_status syntax(reader *r, size_t off, const char *expected)
{
	char what[32];
	describe(r, off, what, sizeof what);
	return rb_error_add(r->err, RULEBOOK_ERR_SYNTAX, pos_at(r, off), NULL, "expected %s, found %s",
			    expected, what);
}

static void skip_space(reader *r)
{
	while (r->at < r->len) {
		unsigned char c = r->s[r->at];
		if (c == ' ' || c == '\t') {
			r->at++;
		} else if (c == '\n' || c == '\r') {
			r->at++;
			if (c == '\r' && r->at < r->len && r->s[r->at] == '\n')
				r->at++;
			r->line++;
			r->line_start = r->at;
		} else {
			break;
		}
	}
}

static rb_node *new_node(reader *r, rb_node_kind kind, size_t off)
{
	rb_node *n = rb_arena_alloc(&r->doc->arena, sizeof(*n));
	if (!n)
		return NULL;
	n->kind = kind;
	n->pos = pos_at(r, off);
	n->offset = off;
	return n;
}

static rulebook_status count_node(reader *r, size_t off)
{
	if (++r->nodes > r->lim->nodes)
		return rb_error_add(r->err, RULEBOOK_ERR_LIMIT, pos_at(r, off), NULL,
				    "document has more nodes than the node limit (%" PRIu64 ")",
				    r->lim->nodes);
	return RULEBOOK_OK;
}

static rulebook_status push_val(reader *r, rb_node *n)
{
	if (rb_grow((void **)&r->vals, &r->capvals, r->nvals + 1, sizeof(*r->vals)) < 0)
		return nomem(r);
	r->vals[r->nvals++] = n;
	return RULEBOOK_OK;
}

static int hex(unsigned char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
					 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static bool hex4(const reader *r, size_t off, uint32_t *out)
{
	if (off + 4 > r->len)
		return false;
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		int h = hex(r->s[off + (size_t)i]);
		if (h < 0)
			return false;
		v = v * 16 + (uint32_t)h;
	}
	*out = v;
	return true;
}

static size_t put_utf8(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* A string at r->at (the opening quote) into a scalar node. */
static rulebook_status read_string(reader *r, rb_node **out)
{
	size_t start = r->at;
	rb_node *n = new_node(r, RB_NODE_SCALAR, start);
	if (!n)
		return nomem(r);
	r->at++;
	size_t len = 0;
	for (;;) {
		if (r->at >= r->len)
			return rb_error_add(r->err, RULEBOOK_ERR_SYNTAX, pos_at(r, start), NULL,
					    "string not closed: expected '\"' before the end of the text");
		/* the decoded text is never longer than what is left */
		if (rb_grow((void **)&r->text, &r->captext, len + 5, 1) < 0)
			return nomem(r);
		unsigned char c = r->s[r->at];
		if (c == '"') {
			r->at++;
			break;
		}
		if (c < 0x20)
			return rb_error_add(r->err, RULEBOOK_ERR_SYNTAX, pos_at(r, r->at), NULL,
					    c == '\n' || c == '\r'
						    ? "string not closed on its line (a line break in a "
						      "string must be written \\n)"
						    : "control character in a string (write it as an "
						      "escape such as \\t or \\u0001)");
		if (c != '\\') {
			size_t k = utf8_len(r->s + r->at, r->len - r->at);
			if (!k)
				return rb_error_add(r->err, RULEBOOK_ERR_SYNTAX, pos_at(r, r->at), NULL,
						    "invalid UTF-8 byte sequence");
			memcpy(r->text + len, r->s + r->at, k);
			len += k;
			r->at += k;
		} else {
			size_t esc = r->at;
			unsigned char e = r->at + 1 < r->len ? r->s[r->at + 1] : 0;
			const char *simple = strchr("\"\\/bfnrt", e);
			if (e && simple) {
				static const char to[] = "\"\\/\b\f\n\r\t";
				r->text[len++] = to[simple - "\"\\/bfnrt"];
				r->at += 2;
			} else if (e == 'u') {
				uint32_t cp;
				if (!hex4(r, r->at + 2, &cp))
					return rb_error_add(r->err, RULEBOOK_ERR_SYNTAX, pos_at(r, esc),
							    NULL, "\\u must be followed by four hex digits");
				r->at += 6;
				if (cp >= 0xD800 && cp <= 0xDBFF) {
					uint32_t lo;
					if (r->at + 1 < r->len && r->s[r->at] == '\\' &&
					    r->s[r->at + 1] == 'u' && hex4(r, r->at + 2, &lo) &&
					    lo >= 0xDC00 && lo <= 0xDFFF) {
						cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
						r->at += 6;
					} else {
						return rb_error_add(r->err, RULEBOOK_ERR_SYNTAX,
								    pos_at(r, esc), NULL,
								    "\\u%04" PRIX32 " starts a surrogate "
								    "pair but no low surrogate follows",
								    cp);
					}
				} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
					return rb_error_add(r->err, RULEBOOK_ERR_SYNTAX, pos_at(r, esc),
							    NULL,
							    "\\u%04" PRIX32 " is a low surrogate without "
							    "a high one before it",
							    cp);
				} else if (cp == 0) {
					/* the C setters refuse NUL too: it would cut the text */
					return rb_error_add(r->err, RULEBOOK_ERR_VALUE, pos_at(r, esc),
							    NULL,
							    "\\u0000 (NUL) is not allowed in a string");
				}
				len += put_utf8(r->text + len, cp);
			} else {
				char what[32];
				describe(r, r->at + 1, what, sizeof what);
				return rb_error_add(r->err, RULEBOOK_ERR_SYNTAX, pos_at(r, esc), NULL,
						    "unknown escape: '\\' followed by %s", what);
			}
		}
		if (len > r->lim->scalar)
			return rb_error_add(r->err, RULEBOOK_ERR_LIMIT, pos_at(r, start), NULL,
					    "scalar is longer than the scalar limit (%" PRIu64 " bytes)",
					    r->lim->scalar);
	}
	char *t = rb_arena_strndup(&r->doc->arena, r->text ? r->text : "", len);
	if (!t)
		return nomem(r);
	n->text = t;
	n->len = len;
	n->style = RB_SCALAR_DOUBLE;
	*out = n;
	return RULEBOOK_OK;
}

static bool digit(const reader *r, size_t off)
{
	return off < r->len && r->s[off] >= '0' && r->s[off] <= '9';
}

/* A number, kept as its exact text. */
static rulebook_status read_number(reader *r, rb_node **out)
{
	size_t start = r->at, i = r->at;
	if (i < r->len && r->s[i] == '-')
		i++;
	if (!digit(r, i))
		return syntax(r, i, "a digit");
	if (r->s[i] == '0') {
		i++;
		if (digit(r, i))
			return rb_error_add(r->err, RULEBOOK_ERR_SYNTAX, pos_at(r, start), NULL,
					    "a number cannot start with 0 followed by a digit");
	} else {
		while (digit(r, i))
			i++;
	}
	if (i < r->len && r->s[i] == '.') {
		i++;
		if (!digit(r, i))
			return syntax(r, i, "a digit after the decimal point");
		while (digit(r, i))
			i++;
	}
	if (i < r->len && (r->s[i] == 'e' || r->s[i] == 'E')) {
		i++;
		if (i < r->len && (r->s[i] == '+' || r->s[i] == '-'))
			i++;
		if (!digit(r, i))
			return syntax(r, i, "a digit in the exponent");
		while (digit(r, i))
			i++;
	}
	if (i - start > r->lim->scalar)
		return rb_error_add(r->err, RULEBOOK_ERR_LIMIT, pos_at(r, start), NULL,
				    "scalar is longer than the scalar limit (%" PRIu64 " bytes)",
				    r->lim->scalar);
	rb_node *n = new_node(r, RB_NODE_SCALAR, start);
	char *t = n ? rb_arena_strndup(&r->doc->arena, (const char *)r->s + start, i - start) : NULL;
	if (!t)
		return nomem(r);
	n->text = t;
	n->len = i - start;
	n->style = RB_SCALAR_PLAIN;
	r->at = i;
	*out = n;
	return RULEBOOK_OK;
}

static rulebook_status read_word(reader *r, const char *word, rb_node **out)
{
	size_t n = strlen(word);
	rb_node *node = new_node(r, RB_NODE_SCALAR, r->at);
	if (!node)
		return nomem(r);
	node->text = word;
	node->len = n;
	node->style = RB_SCALAR_PLAIN;
	r->at += n;
	*out = node;
	return RULEBOOK_OK;
}

static const char value_expected[] =
	"a JSON value (a \"string\", a number, an object, an array, true, false or null)";

/* A scalar or the start of a collection at r->at. */
static rulebook_status read_value(reader *r, rb_node **scalar, bool *opened)
{
	*scalar = NULL;
	*opened = false;
	rulebook_status st = count_node(r, r->at);
	if (st)
		return st;
	if (r->at >= r->len)
		return syntax(r, r->at, value_expected);
	unsigned char c = r->s[r->at];
	if (c == '{' || c == '[') {
		if (r->nframes + 1 > r->lim->depth)
			return rb_error_add(r->err, RULEBOOK_ERR_LIMIT, pos_at(r, r->at), NULL,
					    "document nests deeper than the depth limit (%" PRIu64 ")",
					    r->lim->depth);
		rb_node *n = new_node(r, c == '{' ? RB_NODE_MAP : RB_NODE_SEQ, r->at);
		if (!n)
			return nomem(r);
		if (rb_grow((void **)&r->frames, &r->capframes, r->nframes + 1, sizeof(*r->frames)) < 0)
			return nomem(r);
		r->frames[r->nframes++] = (frame){n, r->nvals};
		r->at++;
		*opened = true;
		return RULEBOOK_OK;
	}
	if (c == '"')
		return read_string(r, scalar);
	if (c == '-' || (c >= '0' && c <= '9'))
		return read_number(r, scalar);
	static const char *const words[] = {"true", "false", "null"};
	for (int i = 0; i < 3; i++)
		if (r->len - r->at >= strlen(words[i]) &&
		    memcmp(r->s + r->at, words[i], strlen(words[i])) == 0)
			return read_word(r, words[i], scalar);
	if (c == '\'')
		return rb_error_add(r->err, RULEBOOK_ERR_SYNTAX, pos_at(r, r->at), NULL,
				    "JSON strings are in double quotes, not single quotes");
	return syntax(r, r->at, value_expected);
}

/* Close the collection on top of the stack: its children move into the
 * document's arena; an object's keys are checked for repeats. */
static rulebook_status close_frame(reader *r, rb_node **out)
{
	frame f = r->frames[--r->nframes];
	rb_node *n = f.node;
	size_t nv = r->nvals - f.base;
	rb_node **v = r->vals + f.base;
	/* No items limit: a record's size is bounded by the file size limit and
	 * everything done with its keys is linear. */
	size_t items = n->kind == RB_NODE_MAP ? nv / 2 : nv;
	n->count = items;
	if (n->kind == RB_NODE_MAP && items) {
		n->pairs = rb_arena_calloc(&r->doc->arena, items, sizeof(rb_pair));
		if (!n->pairs)
			return nomem(r);
		rb_idset keys = RB_IDSET_INIT;
		for (size_t i = 0; i < items; i++) {
			n->pairs[i].key = v[2 * i];
			n->pairs[i].value = v[2 * i + 1];
			uint32_t first;
			int added = rb_idset_add(&keys, v[2 * i]->text, v[2 * i]->len, (uint32_t)i, &first);
			if (added < 0) {
				rb_idset_free(&keys);
				return nomem(r);
			}
			if (added == 0) {
				const rb_node *k = v[2 * i];
				rb_idset_free(&keys);
				int shown = k->len > 64 ? 64 : (int)k->len;
				while (shown > 0 && shown < (int)k->len &&
				       ((unsigned char)k->text[shown] & 0xC0) == 0x80)
					shown--;
				return rb_error_add(r->err, RULEBOOK_ERR_SCHEMA, k->pos, NULL,
						    "duplicate key '%.*s%s' (first at line %" PRIu32 ")",
						    shown, k->text, shown < (int)k->len ? "..." : "",
						    n->pairs[first].key->pos.line);
			}
		}
		rb_idset_free(&keys);
	} else if (items) {
		n->items = rb_arena_calloc(&r->doc->arena, items, sizeof(rb_node *));
		if (!n->items)
			return nomem(r);
		memcpy(n->items, v, items * sizeof(*v));
	}
	r->nvals = f.base;
	*out = n;
	return RULEBOOK_OK;
}

static rulebook_status parse(reader *r)
{
	rulebook_status st;
	skip_space(r);
	if (r->at >= r->len)
		return rb_error_add(r->err, RULEBOOK_ERR_SCHEMA, pos_at(r, r->at), NULL,
				    "empty document: expected a JSON object");
	rb_node *done = NULL;  /* a finished value, to attach to its parent */
	bool opened;
	if ((st = read_value(r, &done, &opened)) != RULEBOOK_OK)
		return st;
	for (;;) {
		if (done) {
			if (r->nframes == 0) {
				r->doc->root = done;
				break;
			}
			if ((st = push_val(r, done)) != RULEBOOK_OK)
				return st;
			done = NULL;
			/* after a member or an element: ',' or the closing bracket */
			frame *f = &r->frames[r->nframes - 1];
			bool map = f->node->kind == RB_NODE_MAP;
			skip_space(r);
			if (r->at < r->len && r->s[r->at] == (map ? '}' : ']')) {
				r->at++;
				if ((st = close_frame(r, &done)) != RULEBOOK_OK)
					return st;
				continue;
			}
			if (r->at >= r->len || r->s[r->at] != ',') {
				size_t prev = r->nvals ? r->nvals - 1 : 0;
				const rb_node *last = r->vals[prev];
				if (r->at < r->len && r->s[r->at] >= 0x80 && last->kind == RB_NODE_SCALAR &&
				    last->style == RB_SCALAR_PLAIN)
					return rb_error_add(
						r->err, RULEBOOK_ERR_SYNTAX, pos_at(r, r->at), NULL,
						"expected ',' or '%c' after %s (a value with a unit is a "
						"string: \"%s 万元\")",
						map ? '}' : ']', map ? "a member" : "an element", last->text);
				return syntax(r, r->at, map ? "',' or '}' after a member"
							    : "',' or ']' after an element");
			}
			r->at++;
			skip_space(r);
			if (r->at < r->len && r->s[r->at] == (map ? '}' : ']'))
				return rb_error_add(r->err, RULEBOOK_ERR_SYNTAX, pos_at(r, r->at), NULL,
						    "a trailing ',' before '%c' is not JSON",
						    map ? '}' : ']');
		} else {
			/* just opened: empty, or the first member or element */
			frame *f = &r->frames[r->nframes - 1];
			bool map = f->node->kind == RB_NODE_MAP;
			skip_space(r);
			if (r->at < r->len && r->s[r->at] == (map ? '}' : ']')) {
				r->at++;
				if ((st = close_frame(r, &done)) != RULEBOOK_OK)
					return st;
				continue;
			}
		}
		frame *f = &r->frames[r->nframes - 1];
		if (f->node->kind == RB_NODE_MAP) {
			if (r->at >= r->len || r->s[r->at] != '"')
				return syntax(r, r->at, "a key in double quotes");
			rb_node *key;
			if ((st = read_string(r, &key)) != RULEBOOK_OK)
				return st;
			if ((st = push_val(r, key)) != RULEBOOK_OK)
				return st;
			skip_space(r);
			if (r->at >= r->len || r->s[r->at] != ':')
				return syntax(r, r->at, "':' after the key");
			r->at++;
			skip_space(r);
		}
		if ((st = read_value(r, &done, &opened)) != RULEBOOK_OK)
			return st;
	}
	skip_space(r);
	if (r->at < r->len)
		return syntax(r, r->at, "the end of the text after the JSON value");
	return RULEBOOK_OK;
}

rulebook_status rb_json_load(const char *data, size_t len, const char *name,
			     const rb_limits *limits, rb_doc **out, rulebook_error *err)
{
	const char *file = name ? name : "<json>";
	*out = NULL;
	if (!limits)
		limits = &rb_limits_default;
	reader r = {.s = (const unsigned char *)data, .len = len, .line = 1, .file = file,
		    .lim = limits, .err = err};
	/* A UTF-8 byte order mark is skipped; columns count from after it. */
	if (len >= 3 && r.s[0] == 0xEF && r.s[1] == 0xBB && r.s[2] == 0xBF) {
		r.s += 3;
		r.len -= 3;
	}
	if ((uint64_t)r.len > limits->file_size)
		return rb_error_add(err, RULEBOOK_ERR_LIMIT, (rb_pos){file, 1, 1}, NULL,
				    "document is larger than the file size limit (%" PRIu64 " bytes)",
				    limits->file_size);
	const unsigned char *nul = memchr(r.s, 0, r.len);
	if (nul) {
		size_t off = (size_t)(nul - r.s);
		size_t line = 1, start = 0;
		for (size_t i = 0; i < off; i++)
			if (r.s[i] == '\n' || (r.s[i] == '\r' && (i + 1 >= off || r.s[i + 1] != '\n'))) {
				line++;
				start = i + 1;
			}
		r.line = line;
		r.line_start = start;
		return rb_error_add(err, RULEBOOK_ERR_SYNTAX, pos_at(&r, off), NULL,
				    "NUL byte in the document");
	}
	r.doc = rb_malloc(sizeof(*r.doc));
	if (!r.doc)
		return nomem(&r);
	memset(r.doc, 0, sizeof(*r.doc));
	rb_arena_init(&r.doc->arena);
	r.doc->name = rb_arena_strdup(&r.doc->arena, file);
	rulebook_status st = r.doc->name ? parse(&r) : nomem(&r);
	rb_free(r.frames);
	rb_free(r.vals);
	rb_free(r.text);
	if (st != RULEBOOK_OK) {
		rb_doc_free(r.doc);
		return st;
	}
	r.doc->source = "";
	*out = r.doc;
	return RULEBOOK_OK;
}
