/* Expression parser: a hand-written lexer and a recursive-descent parser
 * with one function per precedence level (see the grammar in expr.h).
 *
 * Binary operators at one level are parsed in a loop, so a long flat chain
 * (a + a + ... + a) costs no stack. Recursion happens only for genuinely
 * nested constructs (parentheses, unary '-' and 'not', call arguments,
 * 'if', 'in' lists); each of those counts one level against max_depth, so
 * the stack used is bounded whatever the input. */
#include "expr.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#if defined(__GNUC__)
#define EP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define EP_PRINTF(f, a)
#endif

typedef enum tok_kind {
	T_EOF, T_NUMBER, T_STRING, T_NAME,
	T_IF, T_THEN, T_ELSE, T_AND, T_OR, T_NOT, T_IN, T_TRUE, T_FALSE,
	T_LPAREN, T_RPAREN, T_LBRACKET, T_RBRACKET, T_COMMA,
	T_PLUS, T_MINUS, T_STAR, T_SLASH,
	T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE
} tok_kind;

typedef struct token {
	tok_kind kind;
	uint32_t offset;
	uint32_t length;      /* source bytes, including quotes and a [unit] */
	rb_dec num;           /* T_NUMBER */
	int percent;
	uint32_t unit_offset; /* T_NUMBER with a unit: trimmed text inside [] */
	uint32_t unit_len;
	bool has_unit;
	char *text;           /* T_STRING: decoded value in the arena */
	size_t len;
} token;

typedef struct parser {
	rb_arena *arena;
	const char *src;
	size_t len;
	size_t pos;           /* next byte for the lexer */
	uint32_t depth;
	uint32_t max_depth;
	token tok;            /* current token */
	/* Source range of the operand parsed last, including any parentheses
	 * around it: a node's own span excludes its enclosing parentheses, but
	 * the operator node containing it must cover them. */
	uint32_t lo, hi;
	rb_expr_error *err;
	bool failed;
} parser;

static void fail(parser *p, size_t offset, int limit, const char *fmt, ...) EP_PRINTF(4, 5);

static void fail(parser *p, size_t offset, int limit, const char *fmt, ...)
{
	if (p->failed)
		return;
	p->failed = true;
	p->err->offset = (uint32_t)offset;
	p->err->limit = limit;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err->message, sizeof p->err->message, fmt, ap);
	va_end(ap);
}

static void oom(parser *p)
{
	fail(p, p->tok.offset, 0, "out of memory");
}

/* ---- characters ---- */

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_name_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool is_name_char(unsigned char c)
{
	return is_name_start(c) || is_digit(c) || c == '.';
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Quote src[off..off+n) for a message, cut at a UTF-8 character boundary so
 * a message never ends in half a character. */
static void quote(const parser *p, size_t off, size_t n, char *buf, size_t size)
{
	const size_t max = 40;
	bool cut = n > max;
	if (cut) {
		n = max;
		while (n > 0 && ((unsigned char)p->src[off + n] & 0xC0) == 0x80)
			n--;
	}
	snprintf(buf, size, "%.*s%s", (int)n, p->src + off, cut ? "..." : "");
}

/* "column 4", or "line 2, column 4" inside a multi-line expression. Columns
 * count characters, not bytes. */
static void where(const parser *p, size_t off, char *buf, size_t size)
{
	uint32_t line = 1, col = 1;
	for (size_t i = 0; i < off && i < p->len; i++) {
		unsigned char c = (unsigned char)p->src[i];
		if (c == '\n') {
			line++;
			col = 1;
		} else if ((c & 0xC0) != 0x80) {
			col++;
		}
	}
	if (line == 1)
		snprintf(buf, size, "column %u", (unsigned)col);
	else
		snprintf(buf, size, "line %u, column %u", (unsigned)line, (unsigned)col);
}

static const char *const tok_names[] = {
	[T_IF] = "'if'", [T_THEN] = "'then'", [T_ELSE] = "'else'", [T_AND] = "'and'",
	[T_OR] = "'or'", [T_NOT] = "'not'", [T_IN] = "'in'", [T_TRUE] = "'true'",
	[T_FALSE] = "'false'", [T_LPAREN] = "'('", [T_RPAREN] = "')'", [T_LBRACKET] = "'['",
	[T_RBRACKET] = "']'", [T_COMMA] = "','", [T_PLUS] = "'+'", [T_MINUS] = "'-'",
	[T_STAR] = "'*'", [T_SLASH] = "'/'", [T_EQ] = "'=='", [T_NE] = "'!='",
	[T_LT] = "'<'", [T_LE] = "'<='", [T_GT] = "'>'", [T_GE] = "'>='",
};

/* The current token for a message: "name 'b'", "'*'", "end of expression". */
static void describe(const parser *p, char *buf, size_t size)
{
	const token *t = &p->tok;
	char q[64];
	switch (t->kind) {
	case T_EOF:
		snprintf(buf, size, "end of expression");
		return;
	case T_NUMBER:
		quote(p, t->offset, t->length, q, sizeof q);
		snprintf(buf, size, "number '%s'", q);
		return;
	case T_STRING:
		quote(p, t->offset, t->length, q, sizeof q);
		snprintf(buf, size, "string %s", q);
		return;
	case T_NAME:
		quote(p, t->offset, t->length, q, sizeof q);
		snprintf(buf, size, "name '%s'", q);
		return;
	default:
		snprintf(buf, size, "%s", tok_names[t->kind]);
		return;
	}
}

/* ---- lexer ---- */

static size_t skip_space(const parser *p, size_t i)
{
	while (i < p->len) {
		unsigned char c = (unsigned char)p->src[i];
		if (is_space(c)) {
			i++;
		} else if (c == '#') {
			while (i < p->len && p->src[i] != '\n')
				i++;
		} else {
			break;
		}
	}
	return i;
}

static int lex_string(parser *p, token *t)
{
	const char *s = p->src;
	size_t start = p->pos, i = start + 1, n = 0;
	for (;;) {
		if (i >= p->len) {
			fail(p, start, 0, "unterminated string: expected '\"'");
			return -1;
		}
		if (s[i] == '"')
			break;
		if (s[i] == '\\') {
			if (i + 1 < p->len && (s[i + 1] == '"' || s[i + 1] == '\\')) {
				i += 2;
				n++;
				continue;
			}
			if (i + 1 >= p->len) {
				fail(p, start, 0, "unterminated string: expected '\"'");
				return -1;
			}
			unsigned char e = (unsigned char)s[i + 1];
			if (e >= 0x20 && e < 0x7F)
				fail(p, i, 0, "unknown escape '\\%c' in string; only \\\" and \\\\ are allowed", e);
			else
				fail(p, i, 0, "unknown escape in string; only \\\" and \\\\ are allowed");
			return -1;
		}
		i++;
		n++;
	}
	char *text = rb_arena_alloc(p->arena, n + 1);
	if (!text) {
		oom(p);
		return -1;
	}
	size_t k = 0;
	for (size_t j = start + 1; j < i; j++) {
		if (s[j] == '\\')
			j++;
		text[k++] = s[j];
	}
	text[k] = '\0';
	t->kind = T_STRING;
	t->text = text;
	t->len = n;
	p->pos = i + 1;
	return 0;
}

/* Malformed number text: extend over everything that looks glued to it so
 * the message shows what was written ("1..2", "2.3%%", "3亩"). */
static int bad_number(parser *p, size_t start, size_t junk)
{
	size_t end = junk;
	while (end < p->len && (is_name_char((unsigned char)p->src[end]) || p->src[end] == '%'))
		end++;
	char q[64];
	quote(p, start, end - start, q, sizeof q);
	if (is_name_start((unsigned char)p->src[junk]))
		fail(p, start, 0, "malformed number '%s'; a unit goes in brackets after the number, as in 3 [亩]", q);
	else
		fail(p, start, 0, "malformed number '%s'", q);
	return -1;
}

static int lex_number(parser *p, token *t)
{
	const char *s = p->src;
	size_t start = p->pos, i = start;
	while (i < p->len && is_digit((unsigned char)s[i]))
		i++;
	if (i < p->len && s[i] == '.') {
		if (i + 1 >= p->len || !is_digit((unsigned char)s[i + 1]))
			return bad_number(p, start, i);
		i++;
		while (i < p->len && is_digit((unsigned char)s[i]))
			i++;
	}
	if (i < p->len && (s[i] == 'e' || s[i] == 'E')) {
		size_t j = i + 1;
		if (j < p->len && (s[j] == '+' || s[j] == '-'))
			j++;
		if (j >= p->len || !is_digit((unsigned char)s[j]))
			return bad_number(p, start, i);
		i = j;
		while (i < p->len && is_digit((unsigned char)s[i]))
			i++;
	}
	size_t numlen = i - start;
	int percent = 0;
	if (i < p->len && s[i] == '%') {
		percent = 1;
		i++;
	}
	if (i < p->len && (is_name_char((unsigned char)s[i]) || s[i] == '%'))
		return bad_number(p, start, i);

	char q[64];
	rb_dec d;
	rb_dec_status st = rb_dec_parse(s + start, numlen, &d, NULL);
	if (st == RB_DEC_OK && percent) {
		/* Dividing by 100 is exact: only the exponent moves. At the bottom
		 * of the range, trailing zeros of the coefficient make room. */
		if (d.coef == 0) {
			d.exp = d.exp - 2 < RB_DEC_EXP_MIN ? RB_DEC_EXP_MIN : d.exp - 2;
		} else {
			while (d.exp - 2 < RB_DEC_EXP_MIN && d.coef % 10 == 0) {
				d.coef /= 10;
				d.exp++;
			}
			if (d.exp - 2 < RB_DEC_EXP_MIN)
				st = RB_DEC_OVERFLOW;
			else
				d.exp -= 2;
		}
	}
	if (st != RB_DEC_OK) {
		quote(p, start, i - start, q, sizeof q);
		if (st == RB_DEC_PRECISION)
			fail(p, start, 0, "number '%s' has more than %d significant digits", q, RB_DEC_DIGITS);
		else if (st == RB_DEC_OVERFLOW)
			fail(p, start, 0, "number '%s' is out of range", q);
		else
			fail(p, start, 0, "malformed number '%s'", q);
		return -1;
	}

	/* An optional [unit]. Nothing else may follow a number directly, so a
	 * '[' here always opens a unit, never an 'in' list. */
	size_t j = i;
	while (j < p->len && is_space((unsigned char)s[j]))
		j++;
	if (j < p->len && s[j] == '[') {
		size_t open = j, e = j + 1;
		while (e < p->len && s[e] != ']' && s[e] != '[' && s[e] != '\n' && s[e] != '\r')
			e++;
		if (e >= p->len || s[e] != ']') {
			fail(p, open, 0, "unterminated unit: expected ']' to close '['");
			return -1;
		}
		size_t a = open + 1, b = e;
		while (a < b && (s[a] == ' ' || s[a] == '\t'))
			a++;
		while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
			b--;
		if (a == b) {
			fail(p, open, 0, "empty unit '[]'");
			return -1;
		}
		t->has_unit = true;
		t->unit_offset = (uint32_t)a;
		t->unit_len = (uint32_t)(b - a);
		i = e + 1;
	}
	t->kind = T_NUMBER;
	t->num = d;
	t->percent = percent;
	p->pos = i;
	return 0;
}

static const struct {
	const char *word;
	tok_kind kind;
} keywords[] = {
	{"if", T_IF}, {"then", T_THEN}, {"else", T_ELSE}, {"and", T_AND}, {"or", T_OR},
	{"not", T_NOT}, {"in", T_IN}, {"true", T_TRUE}, {"false", T_FALSE},
};

static tok_kind keyword(const char *s, size_t n)
{
	for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
		if (strlen(keywords[k].word) == n && memcmp(keywords[k].word, s, n) == 0)
			return keywords[k].kind;
	return T_NAME;
}

/* Advance to the next token. */
static int next(parser *p)
{
	token *t = &p->tok;
	memset(t, 0, sizeof *t);
	p->pos = skip_space(p, p->pos);
	t->offset = (uint32_t)p->pos;
	if (p->pos >= p->len) {
		t->kind = T_EOF;
		return 0;
	}
	const char *s = p->src;
	size_t i = p->pos;
	unsigned char c = (unsigned char)s[i];
	unsigned char c1 = i + 1 < p->len ? (unsigned char)s[i + 1] : 0;
	size_t n = 1;
	switch (c) {
	case '(': t->kind = T_LPAREN; break;
	case ')': t->kind = T_RPAREN; break;
	case '[': t->kind = T_LBRACKET; break;
	case ']': t->kind = T_RBRACKET; break;
	case ',': t->kind = T_COMMA; break;
	case '+': t->kind = T_PLUS; break;
	case '-': t->kind = T_MINUS; break;
	case '*': t->kind = T_STAR; break;
	case '/': t->kind = T_SLASH; break;
	case '<':
		t->kind = c1 == '=' ? T_LE : T_LT;
		n = c1 == '=' ? 2 : 1;
		break;
	case '>':
		t->kind = c1 == '=' ? T_GE : T_GT;
		n = c1 == '=' ? 2 : 1;
		break;
	case '=':
		if (c1 != '=') {
			fail(p, i, 0, "unexpected '='; use '==' to compare");
			return -1;
		}
		t->kind = T_EQ;
		n = 2;
		break;
	case '!':
		if (c1 != '=') {
			fail(p, i, 0, "unexpected '!'; use 'not' to negate or '!=' to compare");
			return -1;
		}
		t->kind = T_NE;
		n = 2;
		break;
	case '"':
		if (lex_string(p, t))
			return -1;
		t->length = (uint32_t)(p->pos - i);
		return 0;
	default:
		if (is_digit(c)) {
			if (lex_number(p, t))
				return -1;
			t->length = (uint32_t)(p->pos - i);
			return 0;
		}
		if (is_name_start(c)) {
			size_t e = i + 1;
			while (e < p->len && is_name_char((unsigned char)s[e]))
				e++;
			t->kind = keyword(s + i, e - i);
			n = e - i;
			break;
		}
		if (c == '.' && is_digit(c1)) {
			return bad_number(p, i, i);
		}
		if (c == '&')
			fail(p, i, 0, "unexpected character '&'; use 'and'");
		else if (c == '|')
			fail(p, i, 0, "unexpected character '|'; use 'or'");
		else if (c == '\'')
			fail(p, i, 0, "unexpected character \"'\"; strings use double quotes");
		else if (c >= 0x21 && c < 0x7F)
			fail(p, i, 0, "unexpected character '%c'", c);
		else
			fail(p, i, 0, "unexpected byte 0x%02X", (unsigned)c);
		return -1;
	}
	t->length = (uint32_t)n;
	p->pos = i + n;
	return 0;
}

/* Is the current 'not' followed by 'in'? Looks at the raw text, so no
 * second token of lookahead (and no second allocation) is needed. */
static bool not_in_follows(const parser *p)
{
	if (p->tok.kind != T_NOT)
		return false;
	size_t i = skip_space(p, p->pos);
	return i + 2 <= p->len && p->src[i] == 'i' && p->src[i + 1] == 'n' &&
	       (i + 2 == p->len || !is_name_char((unsigned char)p->src[i + 2]));
}

/* ---- parser ---- */

static int enter(parser *p, uint32_t offset)
{
	if (p->depth >= p->max_depth) {
		fail(p, offset, 1, "expression nests deeper than the limit (%u)", (unsigned)p->max_depth);
		return -1;
	}
	p->depth++;
	return 0;
}

static void leave(parser *p)
{
	p->depth--;
}

static rb_expr *node(parser *p, rb_expr_kind kind, uint32_t lo, uint32_t hi)
{
	rb_expr *e = rb_arena_alloc(p->arena, sizeof *e);
	if (!e) {
		oom(p);
		return NULL;
	}
	e->kind = kind;
	e->offset = lo;
	e->length = hi - lo;
	return e;
}

static uint32_t tok_end(const parser *p)
{
	return p->tok.offset + p->tok.length;
}

/* Fail with "expected X ..., found <current token>". */
static void expected(parser *p, const char *what)
{
	char d[96];
	describe(p, d, sizeof d);
	fail(p, p->tok.offset, 0, "expected %s, found %s", what, d);
}

static void expected_close(parser *p, const char *close, uint32_t open_offset, char open)
{
	char d[96], w[48];
	describe(p, d, sizeof d);
	where(p, open_offset, w, sizeof w);
	fail(p, p->tok.offset, 0, "expected %s to close '%c' at %s, found %s", close, open, w, d);
}

/* Growable argument array in the arena; the abandoned copies are bounded by
 * the final size, which max_length bounds. */
static int push_arg(parser *p, rb_expr ***items, uint32_t *n, uint32_t *cap, rb_expr *e)
{
	if (*n == *cap) {
		uint32_t ncap = *cap ? *cap * 2 : 4;
		rb_expr **ni = rb_arena_calloc(p->arena, ncap, sizeof *ni);
		if (!ni) {
			oom(p);
			return -1;
		}
		if (*n)
			memcpy(ni, *items, *n * sizeof *ni);
		*items = ni;
		*cap = ncap;
	}
	(*items)[(*n)++] = e;
	return 0;
}

static rb_expr *parse_expr(parser *p);

/* Whether the current token is the name `word` (a contextual keyword). */
static bool at_word(const parser *p, const char *word)
{
	size_t n = strlen(word);
	return p->tok.kind == T_NAME && p->tok.length == n && memcmp(p->src + p->tok.offset, word, n) == 0;
}

/* Is the current name followed by 'in' and then not by '['? Then it names
 * the element of a list (`count(h in heights where h > 8 [m])`), not a
 * value tested for membership. */
static bool element_in_follows(const parser *p)
{
	if (p->tok.kind != T_NAME)
		return false;
	size_t i = skip_space(p, p->pos);
	if (!(i + 2 <= p->len && p->src[i] == 'i' && p->src[i + 1] == 'n' &&
	      (i + 2 == p->len || !is_name_char((unsigned char)p->src[i + 2]))))
		return false;
	i = skip_space(p, i + 2);
	return i < p->len && p->src[i] != '[';
}

/* The rest of f(... var in list [where cond]) from the element's name on;
 * value is the expression before 'for', or NULL. */
static rb_expr *parse_each(parser *p, rb_expr *call, rb_expr *value, uint32_t open)
{
	if (p->tok.kind != T_NAME) {
		expected(p, "the name of a list's element after 'for'");
		return NULL;
	}
	call->kind = RB_EX_EACH;
	call->c = value;
	call->var_offset = p->tok.offset;
	call->var_len = p->tok.length;
	call->var = rb_arena_strndup(p->arena, p->src + p->tok.offset, p->tok.length);
	if (!call->var) {
		oom(p);
		return NULL;
	}
	if (next(p))
		return NULL;
	if (p->tok.kind != T_IN) {
		expected(p, "'in' after the name of a list's element");
		return NULL;
	}
	if (next(p))
		return NULL;
	if (!(call->a = parse_expr(p)))
		return NULL;
	if (at_word(p, "where")) {
		if (next(p) || !(call->b = parse_expr(p)))
			return NULL;
	}
	if (p->tok.kind != T_RPAREN) {
		expected_close(p, call->b ? "')'" : "'where' or ')'", open, '(');
		return NULL;
	}
	leave(p);
	call->length = tok_end(p) - call->offset;
	p->lo = call->offset;
	p->hi = tok_end(p);
	if (next(p))
		return NULL;
	return call;
}

static rb_expr *parse_call(parser *p, rb_expr *call)
{
	uint32_t open = p->tok.offset;
	if (enter(p, call->offset) || next(p))
		return NULL;
	uint32_t cap = 0;
	if (p->tok.kind == T_EOF) {
		expected_close(p, "')'", open, '(');
		return NULL;
	}
	if (element_in_follows(p))
		return parse_each(p, call, NULL, open);
	if (p->tok.kind != T_RPAREN) {
		for (;;) {
			rb_expr *a = parse_expr(p);
			if (!a)
				return NULL;
			if (call->nargs == 0 && at_word(p, "for")) {
				if (next(p))
					return NULL;
				return parse_each(p, call, a, open);
			}
			if (push_arg(p, &call->args, &call->nargs, &cap, a))
				return NULL;
			if (p->tok.kind == T_COMMA) {
				if (next(p))
					return NULL;
				continue;
			}
			if (p->tok.kind == T_RPAREN)
				break;
			expected_close(p, "',' or ')'", open, '(');
			return NULL;
		}
	}
	leave(p);
	call->length = tok_end(p) - call->offset;
	p->lo = call->offset;
	p->hi = tok_end(p);
	if (next(p))
		return NULL;
	return call;
}

/* name '[' key (',' key)? ']': a table lookup. */
static rb_expr *parse_index(parser *p, rb_expr *ix)
{
	uint32_t open = p->tok.offset;
	if (enter(p, ix->offset) || next(p))
		return NULL;
	uint32_t cap = 0;
	for (;;) {
		if (p->tok.kind == T_EOF || p->tok.kind == T_RBRACKET) {
			if (p->tok.kind == T_RBRACKET && ix->nargs)
				break;
			if (p->tok.kind == T_EOF) {
				expected_close(p, "']'", open, '[');
				return NULL;
			}
			expected(p, "a key inside '[ ]'");
			return NULL;
		}
		rb_expr *a = parse_expr(p);
		if (!a || push_arg(p, &ix->args, &ix->nargs, &cap, a))
			return NULL;
		if (p->tok.kind == T_COMMA) {
			if (next(p))
				return NULL;
			continue;
		}
		if (p->tok.kind == T_RBRACKET)
			break;
		expected_close(p, "',' or ']'", open, '[');
		return NULL;
	}
	leave(p);
	ix->length = tok_end(p) - ix->offset;
	p->lo = ix->offset;
	p->hi = tok_end(p);
	if (next(p))
		return NULL;
	return ix;
}

static rb_expr *parse_primary(parser *p)
{
	token *t = &p->tok;
	rb_expr *e;
	switch (t->kind) {
	case T_NUMBER:
		e = node(p, RB_EX_NUMBER, t->offset, tok_end(p));
		if (!e)
			return NULL;
		e->num = t->num;
		e->percent = t->percent;
		if (t->has_unit) {
			e->unit_text = rb_arena_strndup(p->arena, p->src + t->unit_offset, t->unit_len);
			if (!e->unit_text) {
				oom(p);
				return NULL;
			}
			e->unit_len = t->unit_len;
			e->unit_offset = t->unit_offset;
		}
		break;
	case T_STRING:
		e = node(p, RB_EX_STRING, t->offset, tok_end(p));
		if (!e)
			return NULL;
		e->text = t->text;
		e->len = t->len;
		break;
	case T_TRUE:
	case T_FALSE:
		e = node(p, RB_EX_BOOL, t->offset, tok_end(p));
		if (!e)
			return NULL;
		e->boolean = t->kind == T_TRUE;
		break;
	case T_NAME:
		e = node(p, RB_EX_NAME, t->offset, tok_end(p));
		if (!e)
			return NULL;
		e->len = t->length;
		e->text = rb_arena_strndup(p->arena, p->src + t->offset, t->length);
		if (!e->text) {
			oom(p);
			return NULL;
		}
		p->lo = e->offset;
		p->hi = tok_end(p);
		if (next(p))
			return NULL;
		if (p->tok.kind == T_LPAREN) {
			e->kind = RB_EX_CALL;
			return parse_call(p, e);
		}
		if (p->tok.kind == T_LBRACKET) {
			e->kind = RB_EX_INDEX;
			return parse_index(p, e);
		}
		return e;
	case T_LPAREN: {
		uint32_t open = t->offset;
		if (enter(p, open) || next(p))
			return NULL;
		if (p->tok.kind == T_EOF) {
			expected_close(p, "')'", open, '(');
			return NULL;
		}
		e = parse_expr(p);
		if (!e)
			return NULL;
		if (p->tok.kind != T_RPAREN) {
			expected_close(p, "')'", open, '(');
			return NULL;
		}
		leave(p);
		p->lo = open;
		p->hi = tok_end(p);
		if (next(p))
			return NULL;
		return e;
	}
	case T_IF:
		fail(p, t->offset, 0, "expected a value, found 'if'; put an 'if' inside an operation in parentheses");
		return NULL;
	default:
		expected(p, "a value");
		return NULL;
	}
	p->lo = e->offset;
	p->hi = e->offset + e->length;
	if (next(p))
		return NULL;
	return e;
}

static rb_expr *parse_unary(parser *p)
{
	if (p->tok.kind != T_MINUS)
		return parse_primary(p);
	uint32_t lo = p->tok.offset;
	if (enter(p, lo) || next(p))
		return NULL;
	rb_expr *a = parse_unary(p);
	if (!a)
		return NULL;
	leave(p);
	rb_expr *e = node(p, RB_EX_NEG, lo, p->hi);
	if (!e)
		return NULL;
	e->a = a;
	p->lo = lo;
	return e;
}

static rb_expr *binary(parser *p, rb_binop op, rb_expr *a, rb_expr *b, uint32_t lo,
		       uint32_t op_offset)
{
	rb_expr *e = node(p, RB_EX_BINARY, lo, p->hi);
	if (!e)
		return NULL;
	e->op = op;
	e->op_offset = op_offset;
	e->a = a;
	e->b = b;
	p->lo = lo;
	return e;
}

static rb_expr *parse_product(parser *p)
{
	rb_expr *l = parse_unary(p);
	if (!l)
		return NULL;
	uint32_t lo = p->lo;
	while (p->tok.kind == T_STAR || p->tok.kind == T_SLASH) {
		rb_binop op = p->tok.kind == T_STAR ? RB_OP_MUL : RB_OP_DIV;
		uint32_t opoff = p->tok.offset;
		if (next(p))
			return NULL;
		rb_expr *r = parse_unary(p);
		if (!r || !(l = binary(p, op, l, r, lo, opoff)))
			return NULL;
	}
	return l;
}

static rb_expr *parse_sum(parser *p)
{
	rb_expr *l = parse_product(p);
	if (!l)
		return NULL;
	uint32_t lo = p->lo;
	while (p->tok.kind == T_PLUS || p->tok.kind == T_MINUS) {
		rb_binop op = p->tok.kind == T_PLUS ? RB_OP_ADD : RB_OP_SUB;
		uint32_t opoff = p->tok.offset;
		if (next(p))
			return NULL;
		rb_expr *r = parse_product(p);
		if (!r || !(l = binary(p, op, l, r, lo, opoff)))
			return NULL;
	}
	return l;
}

static rb_binop cmp_op(tok_kind k)
{
	switch (k) {
	case T_EQ: return RB_OP_EQ;
	case T_NE: return RB_OP_NE;
	case T_LT: return RB_OP_LT;
	case T_LE: return RB_OP_LE;
	case T_GT: return RB_OP_GT;
	case T_GE: return RB_OP_GE;
	default: return (rb_binop)0;
	}
}

static rb_expr *parse_in(parser *p, rb_expr *a, uint32_t lo)
{
	bool negated = p->tok.kind == T_NOT;
	if (negated && next(p))
		return NULL;
	if (next(p)) /* past 'in' */
		return NULL;
	if (p->tok.kind != T_LBRACKET) {
		expected(p, "'[' after 'in'");
		return NULL;
	}
	uint32_t open = p->tok.offset;
	if (enter(p, open) || next(p))
		return NULL;
	rb_expr *e = node(p, RB_EX_IN, lo, lo);
	if (!e)
		return NULL;
	e->a = a;
	e->negated = negated;
	uint32_t cap = 0;
	while (p->tok.kind != T_RBRACKET) {
		if (p->tok.kind == T_EOF) {
			expected_close(p, "']'", open, '[');
			return NULL;
		}
		rb_expr *item = parse_expr(p);
		if (!item || push_arg(p, &e->args, &e->nargs, &cap, item))
			return NULL;
		if (p->tok.kind == T_COMMA) {
			if (next(p))
				return NULL;
		} else if (p->tok.kind != T_RBRACKET) {
			expected_close(p, "',' or ']'", open, '[');
			return NULL;
		}
	}
	leave(p);
	e->length = tok_end(p) - lo;
	p->lo = lo;
	p->hi = tok_end(p);
	if (next(p))
		return NULL;
	return e;
}

static rb_expr *parse_cmp(parser *p)
{
	rb_expr *l = parse_sum(p);
	if (!l)
		return NULL;
	uint32_t lo = p->lo;
	rb_binop op = cmp_op(p->tok.kind);
	if (op) {
		uint32_t opoff = p->tok.offset;
		if (next(p))
			return NULL;
		rb_expr *r = parse_sum(p);
		if (!r || !(l = binary(p, op, l, r, lo, opoff)))
			return NULL;
	} else if (p->tok.kind == T_IN || not_in_follows(p)) {
		if (!(l = parse_in(p, l, lo)))
			return NULL;
	} else if (p->tok.kind == T_NOT) {
		/* A value followed by 'not' can only be the start of 'not in'. */
		fail(p, skip_space(p, p->pos), 0, "expected 'in' after 'not'");
		return NULL;
	} else {
		return l;
	}
	if (cmp_op(p->tok.kind) || p->tok.kind == T_IN || not_in_follows(p)) {
		fail(p, p->tok.offset, 0, "comparisons do not chain; use 'and'");
		return NULL;
	}
	return l;
}

static rb_expr *parse_not(parser *p)
{
	if (p->tok.kind != T_NOT)
		return parse_cmp(p);
	uint32_t lo = p->tok.offset;
	if (enter(p, lo) || next(p))
		return NULL;
	rb_expr *a = parse_not(p);
	if (!a)
		return NULL;
	leave(p);
	rb_expr *e = node(p, RB_EX_NOT, lo, p->hi);
	if (!e)
		return NULL;
	e->a = a;
	p->lo = lo;
	return e;
}

static rb_expr *parse_and(parser *p)
{
	rb_expr *l = parse_not(p);
	if (!l)
		return NULL;
	uint32_t lo = p->lo;
	while (p->tok.kind == T_AND) {
		uint32_t opoff = p->tok.offset;
		if (next(p))
			return NULL;
		rb_expr *r = parse_not(p);
		if (!r || !(l = binary(p, RB_OP_AND, l, r, lo, opoff)))
			return NULL;
	}
	return l;
}

static rb_expr *parse_or(parser *p)
{
	rb_expr *l = parse_and(p);
	if (!l)
		return NULL;
	uint32_t lo = p->lo;
	while (p->tok.kind == T_OR) {
		uint32_t opoff = p->tok.offset;
		if (next(p))
			return NULL;
		rb_expr *r = parse_and(p);
		if (!r || !(l = binary(p, RB_OP_OR, l, r, lo, opoff)))
			return NULL;
	}
	return l;
}

static rb_expr *parse_expr(parser *p)
{
	if (p->tok.kind != T_IF)
		return parse_or(p);
	uint32_t lo = p->tok.offset;
	if (enter(p, lo) || next(p))
		return NULL;
	rb_expr *c = parse_expr(p);
	if (!c)
		return NULL;
	if (p->tok.kind != T_THEN) {
		expected(p, "'then' after the condition of 'if'");
		return NULL;
	}
	if (next(p))
		return NULL;
	rb_expr *a = parse_expr(p);
	if (!a)
		return NULL;
	if (p->tok.kind != T_ELSE) {
		expected(p, "'else' (every 'if' needs one)");
		return NULL;
	}
	if (next(p))
		return NULL;
	rb_expr *b = parse_expr(p);
	if (!b)
		return NULL;
	leave(p);
	rb_expr *e = node(p, RB_EX_IF, lo, p->hi);
	if (!e)
		return NULL;
	e->a = c;
	e->b = a;
	e->c = b;
	p->lo = lo;
	return e;
}

int rb_expr_parse(rb_arena *arena, const char *src, size_t len, uint32_t max_depth,
		  uint32_t max_length, rb_expr **out, rb_expr_error *err)
{
	rb_expr_error scratch;
	if (!err)
		err = &scratch;
	memset(err, 0, sizeof *err);
	if (out)
		*out = NULL;

	parser p = {
		.arena = arena,
		.src = src ? src : "",
		.len = src ? len : 0,
		.max_depth = max_depth,
		.err = err,
	};
	/* Checked before anything else, so offsets fit in uint32_t. */
	if (len > max_length) {
		fail(&p, 0, 1, "expression longer than the limit (%u bytes)", (unsigned)max_length);
		return -1;
	}
	if (next(&p))
		return -1;
	if (p.tok.kind == T_EOF) {
		fail(&p, 0, 0, "empty expression");
		return -1;
	}
	rb_expr *e = parse_expr(&p);
	if (!e)
		return -1;
	if (p.tok.kind != T_EOF) {
		char d[96];
		describe(&p, d, sizeof d);
		if (p.tok.kind == T_RPAREN || p.tok.kind == T_RBRACKET)
			fail(&p, p.tok.offset, 0, "unexpected %s without a matching '%c'", d,
			     p.tok.kind == T_RPAREN ? '(' : '[');
		else
			fail(&p, p.tok.offset, 0, "unexpected %s; expected an operator or the end of the expression", d);
		return -1;
	}
	if (out)
		*out = e;
	return 0;
}
