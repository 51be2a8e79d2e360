/* Tests of the expression parser (lib/expr_parse.c). Trees are compared as
 * fully parenthesised text, rendered by a small printer below. */
#include "expr.h"
#include "arena.h"
#include "decimal.h"
#include "rulebook.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEPTH 64
#define LENGTH 16384

/* ---- printer ---- */

typedef struct sbuf {
	char *p;
	size_t n, cap;
} sbuf;

static void put(sbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (b->n + n + 1 > cap)
			cap *= 2;
		b->p = realloc(b->p, cap);
		ck_assert_ptr_nonnull(b->p);
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void puts_(sbuf *b, const char *s)
{
	put(b, s, strlen(s));
}

static const char *op_text(rb_binop op)
{
	switch (op) {
	case RB_OP_ADD: return "+";
	case RB_OP_SUB: return "-";
	case RB_OP_MUL: return "*";
	case RB_OP_DIV: return "/";
	case RB_OP_EQ: return "==";
	case RB_OP_NE: return "!=";
	case RB_OP_LT: return "<";
	case RB_OP_LE: return "<=";
	case RB_OP_GT: return ">";
	case RB_OP_GE: return ">=";
	case RB_OP_AND: return "and";
	case RB_OP_OR: return "or";
	}
	return "?";
}

/* Numbers print as their source text, so the tree tests do not depend on
 * the decimal module; number values are checked separately. */
static void render(sbuf *b, const char *src, const rb_expr *e)
{
	switch (e->kind) {
	case RB_EX_NUMBER:
		put(b, src + e->offset, e->length);
		break;
	case RB_EX_STRING:
		puts_(b, "\"");
		put(b, e->text, e->len);
		puts_(b, "\"");
		break;
	case RB_EX_BOOL:
		puts_(b, e->boolean ? "true" : "false");
		break;
	case RB_EX_NAME:
		put(b, e->text, e->len);
		break;
	case RB_EX_NEG:
		puts_(b, "(-");
		render(b, src, e->a);
		puts_(b, ")");
		break;
	case RB_EX_NOT:
		puts_(b, "(not ");
		render(b, src, e->a);
		puts_(b, ")");
		break;
	case RB_EX_BINARY:
		puts_(b, "(");
		render(b, src, e->a);
		puts_(b, " ");
		puts_(b, op_text(e->op));
		puts_(b, " ");
		render(b, src, e->b);
		puts_(b, ")");
		break;
	case RB_EX_IF:
		puts_(b, "(if ");
		render(b, src, e->a);
		puts_(b, " then ");
		render(b, src, e->b);
		puts_(b, " else ");
		render(b, src, e->c);
		puts_(b, ")");
		break;
	case RB_EX_IN:
		puts_(b, "(");
		render(b, src, e->a);
		puts_(b, e->negated ? " not in [" : " in [");
		for (uint32_t i = 0; i < e->nargs; i++) {
			if (i)
				puts_(b, ", ");
			render(b, src, e->args[i]);
		}
		puts_(b, "])");
		break;
	case RB_EX_EACH:
		put(b, e->text, e->len);
		puts_(b, "(");
		if (e->c) {
			render(b, src, e->c);
			puts_(b, " for ");
		}
		put(b, e->var, e->var_len);
		puts_(b, " in ");
		render(b, src, e->a);
		if (e->b) {
			puts_(b, " where ");
			render(b, src, e->b);
		}
		puts_(b, ")");
		break;
	case RB_EX_INDEX:
		put(b, e->text, e->len);
		puts_(b, "[");
		for (uint32_t i = 0; i < e->nargs; i++) {
			if (i)
				puts_(b, ", ");
			render(b, src, e->args[i]);
		}
		puts_(b, "]");
		break;
	case RB_EX_CALL:
		put(b, e->text, e->len);
		puts_(b, "(");
		for (uint32_t i = 0; i < e->nargs; i++) {
			if (i)
				puts_(b, ", ");
			render(b, src, e->args[i]);
		}
		puts_(b, ")");
		break;
	}
}

/* Every node must lie inside the source and inside its parent. */
static void check_spans(const rb_expr *e, size_t len, uint32_t lo, uint32_t hi)
{
	ck_assert_uint_ge(e->offset, lo);
	ck_assert_uint_le((size_t)e->offset + e->length, hi);
	ck_assert_uint_le((size_t)e->offset + e->length, len);
	ck_assert_uint_gt(e->length, 0);
	uint32_t end = e->offset + e->length;
	if (e->a)
		check_spans(e->a, len, e->offset, end);
	if (e->b)
		check_spans(e->b, len, e->offset, end);
	if (e->c)
		check_spans(e->c, len, e->offset, end);
	for (uint32_t i = 0; i < e->nargs; i++)
		check_spans(e->args[i], len, e->offset, end);
}

static rb_arena g_arena;
static char g_out[4096];

/* Parse and render; an error renders as "error at OFFSET: MESSAGE". */
static const char *P(const char *src)
{
	rb_arena_release(&g_arena);
	rb_expr *e = (rb_expr *)1;
	rb_expr_error err;
	if (rb_expr_parse(&g_arena, src, strlen(src), DEPTH, LENGTH, &e, &err) != 0) {
		ck_assert_ptr_null(e);
		snprintf(g_out, sizeof g_out, "error at %u%s: %s", (unsigned)err.offset,
			 err.limit ? " (limit)" : "", err.message);
		return g_out;
	}
	ck_assert_ptr_nonnull(e);
	check_spans(e, strlen(src), 0, (uint32_t)strlen(src));
	sbuf b = {0};
	render(&b, src, e);
	snprintf(g_out, sizeof g_out, "%s", b.p);
	free(b.p);
	return g_out;
}

/* Parse, expecting success; the tree stays valid until the next P/parse. */
static rb_expr *parse(const char *src)
{
	rb_arena_release(&g_arena);
	rb_expr *e = NULL;
	rb_expr_error err;
	int rc = rb_expr_parse(&g_arena, src, strlen(src), DEPTH, LENGTH, &e, &err);
	ck_assert_msg(rc == 0, "%s: %s", src, err.message);
	return e;
}

static void setup(void)
{
	rb_arena_init(&g_arena);
}

static void teardown(void)
{
	rb_arena_release(&g_arena);
}

typedef struct pair {
	const char *src;
	const char *want;
} pair;

static void check_pairs(const pair *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(strcmp(P(t[i].src), t[i].want) == 0, "%s\n  got  %s\n  want %s",
			      t[i].src, g_out, t[i].want);
}

#define CHECK_PAIRS(t) check_pairs(t, sizeof t / sizeof t[0])

/* ---- trees ---- */

START_TEST(test_precedence)
{
	static const pair t[] = {
		{"a", "a"},
		{"a + b * c", "(a + (b * c))"},
		{"a * b + c", "((a * b) + c)"},
		{"a + b / c - d", "((a + (b / c)) - d)"},
		{"not a and b", "((not a) and b)"},
		{"a or b and c", "(a or (b and c))"},
		{"a and b or c and d", "((a and b) or (c and d))"},
		{"-a * b", "((-a) * b)"},
		{"-a + b", "((-a) + b)"},
		{"a * -b", "(a * (-b))"},
		{"a - -b", "(a - (-b))"},
		{"- - - - x", "(-(-(-(-x))))"},
		{"not not not x", "(not (not (not x)))"},
		{"a + b > c * d", "((a + b) > (c * d))"},
		{"not a == b", "(not (a == b))"},
		{"a == b and c != d", "((a == b) and (c != d))"},
		{"a < b or a <= b or a > b or a >= b",
		 "((((a < b) or (a <= b)) or (a > b)) or (a >= b))"},
		{"(a + b) * c", "((a + b) * c)"},
		{"((a))", "a"},
		{"tax / land_area >= min_mu_tax", "((tax / land_area) >= min_mu_tax)"},
		{"rd / revenue > 2.3%", "((rd / revenue) > 2.3%)"},
		{"if is_key_chain then 0 else energy * 1.2",
		 "(if is_key_chain then 0 else (energy * 1.2))"},
		{"if a then b else c or d", "(if a then b else (c or d))"},
		{"if a then b else if c then d else e", "(if a then b else (if c then d else e))"},
		{"if if a then b else c then d else e", "(if (if a then b else c) then d else e)"},
		{"if a or b then c + 1 else -c", "(if (a or b) then (c + 1) else (-c))"},
		{"x + (if a then 1 else 2)", "(x + (if a then 1 else 2))"},
		{"not (a or b)", "(not (a or b))"},
		{"-(a + b)", "(-(a + b))"},
		{"a and not b", "(a and (not b))"},
		{"true and false", "(true and false)"},
		{"-2 * 3", "((-2) * 3)"},
	};
	CHECK_PAIRS(t);
}
END_TEST

START_TEST(test_associativity)
{
	static const pair t[] = {
		{"a - b - c", "((a - b) - c)"},
		{"a / b / c", "((a / b) / c)"},
		{"a + b - c + d", "(((a + b) - c) + d)"},
		{"a * b / c * d", "(((a * b) / c) * d)"},
		{"a or b or c", "((a or b) or c)"},
		{"a and b and c", "((a and b) and c)"},
		{"a - (b - c)", "(a - (b - c))"},
	};
	CHECK_PAIRS(t);
}
END_TEST

START_TEST(test_calls_and_lists)
{
	static const pair t[] = {
		{"today()", "today()"},
		{"max(a, 0 [亩])", "max(a, 0 [亩])"},
		{"missing(rd)", "missing(rd)"},
		{"f(a + b, g(c), -d)", "f((a + b), g(c), (-d))"},
		{"f (x)", "f(x)"},
		{"f(x) * 2", "(f(x) * 2)"},
		{"f(if a then 1 else 2)", "f((if a then 1 else 2))"},
		{"sector in [\"chemical\", \"textile\"]", "(sector in [\"chemical\", \"textile\"])"},
		{"x in [a, b, c]", "(x in [a, b, c])"},
		{"x in [a, b, c,]", "(x in [a, b, c])"},
		{"x in []", "(x in [])"},
		{"x in [a]", "(x in [a])"},
		{"x not in [1, 2]", "(x not in [1, 2])"},
		{"not x in [1]", "(not (x in [1]))"},
		{"a + 1 in [b * 2, 3]", "((a + 1) in [(b * 2), 3])"},
		{"x in [1] and y not in [2]", "((x in [1]) and (y not in [2]))"},
		{"x in [1 [亩], 2[亩]]", "(x in [1 [亩], 2[亩]])"},
		{"x in\n  [a,\n   b]", "(x in [a, b])"},
		{"x not  # a comment\n in [a]", "(x not in [a])"},
		{"x in [if a then b else c]", "(x in [(if a then b else c)])"},
		{"far_min[industry]", "far_min[industry]"},
		{"invest_min[region_class, industry] * 2", "(invest_min[region_class, industry] * 2)"},
		{"t[\"C13\"] > x", "(t[\"C13\"] > x)"},
		{"t[if a then b else c, k + 1]", "t[(if a then b else c), (k + 1)]"},
	};
	CHECK_PAIRS(t);
}
END_TEST

START_TEST(test_names)
{
	static const pair t[] = {
		{"亩均税收 >= 15", "(亩均税收 >= 15)"},
		{"研发投入 / 营业收入 > 3%", "((研发投入 / 营业收入) > 3%)"},
		{"企业.亩均税收", "企业.亩均税收"},
		{"_x1 + a.b.c", "(_x1 + a.b.c)"},
		{"a2b", "a2b"},
		{"ifx or thenx or in_ or notx or true1 or False",
		 "(((((ifx or thenx) or in_) or notx) or true1) or False)"},
		{"in.x", "in.x"},
		{"研发投入（万元） > 0", "(研发投入（万元） > 0)"},
	};
	CHECK_PAIRS(t);

	rb_expr *e = parse("亩均税收");
	ck_assert_int_eq(e->kind, RB_EX_NAME);
	ck_assert_uint_eq(e->len, strlen("亩均税收"));
	ck_assert_str_eq(e->text, "亩均税收");

	e = parse("true");
	ck_assert_int_eq(e->kind, RB_EX_BOOL);
	ck_assert_int_eq(e->boolean, 1);
	e = parse("false");
	ck_assert_int_eq(e->kind, RB_EX_BOOL);
	ck_assert_int_eq(e->boolean, 0);
}
END_TEST

START_TEST(test_strings)
{
	rb_expr *e = parse("\"chemical\"");
	ck_assert_int_eq(e->kind, RB_EX_STRING);
	ck_assert_str_eq(e->text, "chemical");
	ck_assert_uint_eq(e->len, 8);
	ck_assert_uint_eq(e->offset, 0);
	ck_assert_uint_eq(e->length, 10);

	e = parse("\"a\\\"b\\\\c\"");
	ck_assert_str_eq(e->text, "a\"b\\c");
	ck_assert_uint_eq(e->len, 5);
	ck_assert_uint_eq(e->length, 9);

	e = parse("\"化工 # not a comment\"");
	ck_assert_str_eq(e->text, "化工 # not a comment");

	e = parse("\"\"");
	ck_assert_str_eq(e->text, "");
	ck_assert_uint_eq(e->len, 0);

	/* An embedded NUL passes through and the value is still terminated. */
	rb_arena_release(&g_arena);
	rb_expr_error err;
	ck_assert_int_eq(rb_expr_parse(&g_arena, "\"a\0b\"", 5, DEPTH, LENGTH, &e, &err), 0);
	ck_assert_uint_eq(e->len, 3);
	ck_assert_int_eq(memcmp(e->text, "a\0b", 4), 0);
}
END_TEST

START_TEST(test_whitespace)
{
	static const pair t[] = {
		{"  a\t+\n b  ", "(a + b)"},
		{"a +  # the first part\n  b # and the second\n", "(a + b)"},
		{"# only a comment line\na", "a"},
		{"a\r\n* b", "(a * b)"},
		{"if a\nthen b\nelse c", "(if a then b else c)"},
		{"a#comment", "a"},
	};
	CHECK_PAIRS(t);
}
END_TEST

/* ---- errors ---- */

START_TEST(test_errors)
{
	static const pair t[] = {
		{"", "error at 0: empty expression"},
		{"t[]", "error at 2: expected a key inside '[ ]', found ']'"},
		{"t[a", "error at 3: expected ',' or ']' to close '[' at column 2, found end of expression"},
		{"t[a b]", "error at 4: expected ',' or ']' to close '[' at column 2, found name 'b'"},
		{"   \n\t", "error at 0: empty expression"},
		{"# nothing but a comment", "error at 0: empty expression"},
		{"a + * b", "error at 4: expected a value, found '*'"},
		{"a +", "error at 3: expected a value, found end of expression"},
		{"(a + b", "error at 6: expected ')' to close '(' at column 1, found end of expression"},
		{"x * (a + b c)", "error at 11: expected ')' to close '(' at column 5, found name 'c'"},
		{"a < b < c", "error at 6: comparisons do not chain; use 'and'"},
		{"a == b == c", "error at 7: comparisons do not chain; use 'and'"},
		{"a < b in [1]", "error at 6: comparisons do not chain; use 'and'"},
		{"a in [1] not in [2]", "error at 9: comparisons do not chain; use 'and'"},
		{"a in [1] == b", "error at 9: comparisons do not chain; use 'and'"},
		{"a $ b", "error at 2: unexpected character '$'"},
		{"a = b", "error at 2: unexpected '='; use '==' to compare"},
		{"!a", "error at 0: unexpected '!'; use 'not' to negate or '!=' to compare"},
		{"a && b", "error at 2: unexpected character '&'; use 'and'"},
		{"a || b", "error at 2: unexpected character '|'; use 'or'"},
		{"x == 'a'", "error at 5: unexpected character \"'\"; strings use double quotes"},
		{"a \x01", "error at 2: unexpected byte 0x01"},
		{"x == \"abc", "error at 5: unterminated string: expected '\"'"},
		{"x == \"abc\\", "error at 5: unterminated string: expected '\"'"},
		{"x == \"a\\nb\"", "error at 7: unknown escape '\\n' in string; only \\\" and \\\\ are allowed"},
		{"1..2", "error at 0: malformed number '1..2'"},
		{"x + 1..2", "error at 4: malformed number '1..2'"},
		{"2.3%%", "error at 0: malformed number '2.3%%'"},
		{"1.", "error at 0: malformed number '1.'"},
		{"1.2.3", "error at 0: malformed number '1.2.3'"},
		{"1e", "error at 0: malformed number '1e'; a unit goes in brackets after the number, as in 3 [亩]"},
		{"1e+", "error at 0: malformed number '1e'; a unit goes in brackets after the number, as in 3 [亩]"},
		{"3亩", "error at 0: malformed number '3亩'; a unit goes in brackets after the number, as in 3 [亩]"},
		{"3kg", "error at 0: malformed number '3kg'; a unit goes in brackets after the number, as in 3 [亩]"},
		{".5", "error at 0: malformed number '.5'"},
		{"3 [亩", "error at 2: unterminated unit: expected ']' to close '['"},
		{"3 [亩\n]", "error at 2: unterminated unit: expected ']' to close '['"},
		{"3 [ ]", "error at 2: empty unit '[]'"},
		{"a b", "error at 2: unexpected name 'b'; expected an operator or the end of the expression"},
		{"a 1", "error at 2: unexpected number '1'; expected an operator or the end of the expression"},
		{"a)", "error at 1: unexpected ')' without a matching '('"},
		{"a]", "error at 1: unexpected ']' without a matching '['"},
		{"a not b", "error at 6: expected 'in' after 'not'"},
		{"x in a", "error at 5: expected '[' after 'in', found name 'a'"},
		{"x in [a b]", "error at 8: expected ',' or ']' to close '[' at column 6, found name 'b'"},
		{"x in [a, b", "error at 10: expected ',' or ']' to close '[' at column 6, found end of expression"},
		{"x in [a,, b]", "error at 8: expected a value, found ','"},
		{"f(a", "error at 3: expected ',' or ')' to close '(' at column 2, found end of expression"},
		{"f(a,)", "error at 4: expected a value, found ')'"},
		{"f(", "error at 2: expected ')' to close '(' at column 2, found end of expression"},
		{"(", "error at 1: expected ')' to close '(' at column 1, found end of expression"},
		{"x in [", "error at 6: expected ']' to close '[' at column 6, found end of expression"},
		{"x in [1,", "error at 8: expected ']' to close '[' at column 6, found end of expression"},
		{"f(a b)", "error at 4: expected ',' or ')' to close '(' at column 2, found name 'b'"},
		{"if a then b", "error at 11: expected 'else' (every 'if' needs one), found end of expression"},
		{"if a b else c", "error at 5: expected 'then' after the condition of 'if', found name 'b'"},
		{"a + if b then 1 else 2",
		 "error at 4: expected a value, found 'if'; put an 'if' inside an operation in parentheses"},
		{"then", "error at 0: expected a value, found 'then'"},
		{"a and", "error at 5: expected a value, found end of expression"},
		{"()", "error at 1: expected a value, found ')'"},
		{"+a", "error at 0: expected a value, found '+'"},
		{"\"abc\" \"def\"", "error at 6: unexpected string \"def\"; expected an operator or the end of the expression"},
		/* Columns count characters and restart on each line. */
		{"亩均 * (a", "error at 11: expected ')' to close '(' at column 6, found end of expression"},
		{"a +\n  (b", "error at 8: expected ')' to close '(' at line 2, column 3, found end of expression"},
		/* Long tokens are cut, on a character boundary, in messages. */
		{"a 亩亩亩亩亩亩亩亩亩亩亩亩亩亩亩亩亩亩亩亩",
		 "error at 2: unexpected name '亩亩亩亩亩亩亩亩亩亩亩亩亩...'; "
		 "expected an operator or the end of the expression"},
	};
	CHECK_PAIRS(t);
}
END_TEST

START_TEST(test_error_struct)
{
	rb_expr_error err;
	rb_expr *e = (rb_expr *)1;
	memset(&err, 0x55, sizeof err);
	ck_assert_int_eq(rb_expr_parse(&g_arena, "a + * b", 7, DEPTH, LENGTH, &e, &err), -1);
	ck_assert_ptr_null(e);
	ck_assert_uint_eq(err.offset, 4);
	ck_assert_int_eq(err.limit, 0);
	ck_assert_str_eq(err.message, "expected a value, found '*'");

	/* A successful parse leaves a cleared error. */
	memset(&err, 0x55, sizeof err);
	ck_assert_int_eq(rb_expr_parse(&g_arena, "a", 1, DEPTH, LENGTH, &e, &err), 0);
	ck_assert_int_eq(err.limit, 0);
	ck_assert_str_eq(err.message, "");

	/* err may be NULL when the status is enough. */
	ck_assert_int_eq(rb_expr_parse(&g_arena, "a +", 3, DEPTH, LENGTH, &e, NULL), -1);
	ck_assert_int_eq(rb_expr_parse(&g_arena, "a + b", 5, DEPTH, LENGTH, &e, NULL), 0);

	/* Only len bytes are read: the rest of a larger buffer is not looked at. */
	ck_assert_int_eq(rb_expr_parse(&g_arena, "a + b $$$", 5, DEPTH, LENGTH, &e, &err), 0);
	ck_assert_int_eq(e->kind, RB_EX_BINARY);
}
END_TEST

/* ---- limits ---- */

static char *repeat(const char *head, const char *unit, size_t n, const char *tail)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
	char *s = malloc(hl + ul * n + tl + 1);
	ck_assert_ptr_nonnull(s);
	memcpy(s, head, hl);
	for (size_t i = 0; i < n; i++)
		memcpy(s + hl + i * ul, unit, ul);
	memcpy(s + hl + ul * n, tail, tl + 1);
	return s;
}

static int parse_limits(const char *s, uint32_t depth, uint32_t length, rb_expr **e, rb_expr_error *err)
{
	rb_arena_release(&g_arena);
	return rb_expr_parse(&g_arena, s, strlen(s), depth, length, e, err);
}

/* n copies of open, "x", n copies of close. */
static char *nest(const char *open, size_t n, const char *close)
{
	size_t ol = strlen(open), cl = strlen(close);
	char *s = malloc(n * (ol + cl) + 2);
	ck_assert_ptr_nonnull(s);
	char *w = s;
	for (size_t i = 0; i < n; i++, w += ol)
		memcpy(w, open, ol);
	*w++ = 'x';
	for (size_t i = 0; i < n; i++, w += cl)
		memcpy(w, close, cl);
	*w = '\0';
	return s;
}

START_TEST(test_depth_limit)
{
	static const struct {
		const char *open, *close;
	} kinds[] = {
		{"(", ")"}, {"-", ""}, {"- ", ""}, {"not ", ""}, {"f(", ")"},
		{"if ", " then 1 else 2"}, {"if c then ", " else 2"}, {"if c then 1 else ", ""},
		{"y in [", "]"}, {"(-", ")"},
	};
	rb_expr *e;
	rb_expr_error err;
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		/* Each construct costs one level, except "(-" which costs two. */
		size_t per = strcmp(kinds[k].open, "(-") == 0 ? 2 : 1;
		size_t ok = DEPTH / per;
		char *s = nest(kinds[k].open, ok, kinds[k].close);
		ck_assert_msg(parse_limits(s, DEPTH, LENGTH, &e, &err) == 0, "%s: %s", s, err.message);
		free(s);

		s = nest(kinds[k].open, ok + 1, kinds[k].close);
		ck_assert_int_eq(parse_limits(s, DEPTH, LENGTH, &e, &err), -1);
		ck_assert_int_eq(err.limit, 1);
		ck_assert_str_eq(err.message, "expression nests deeper than the limit (64)");
		/* Reported at the construct that goes one level too deep: its
		 * first character, or the '[' of an 'in' list. */
		size_t want = strlen(kinds[k].open) * ok;
		if (strcmp(kinds[k].open, "y in [") == 0)
			want += strlen("y in ");
		ck_assert_msg(err.offset == want, "%s...: offset %u, want %zu", kinds[k].open,
			      (unsigned)err.offset, want);
		free(s);
	}

	/* Other limits than the default. */
	ck_assert_int_eq(parse_limits("((x))", 2, LENGTH, &e, &err), 0);
	ck_assert_int_eq(parse_limits("(((x)))", 2, LENGTH, &e, &err), -1);
	ck_assert_str_eq(err.message, "expression nests deeper than the limit (2)");
	ck_assert_uint_eq(err.offset, 2);
	ck_assert_int_eq(parse_limits("a + b * c", 0, LENGTH, &e, &err), 0);
	ck_assert_int_eq(parse_limits("-1", 0, LENGTH, &e, &err), -1);
	ck_assert_int_eq(err.limit, 1);

	/* Siblings do not add up: only nesting counts. */
	char *s = repeat("(x)", " + (x)", 1000, "");
	ck_assert_int_eq(parse_limits(s, 1, 1u << 20, &e, &err), 0);
	free(s);
	s = repeat("f(", "(x), ", 1000, "x)");
	ck_assert_int_eq(parse_limits(s, 2, 1u << 20, &e, &err), 0);
	ck_assert_uint_eq(e->nargs, 1001);
	free(s);
}
END_TEST

START_TEST(test_hostile_nesting)
{
	rb_expr *e;
	rb_expr_error err;
	/* 100000 '(' with room for all of them: fails at the 65th, without
	 * having recursed any deeper. */
	char *s = repeat("", "(", 100000, "");
	ck_assert_int_eq(parse_limits(s, DEPTH, 1u << 20, &e, &err), -1);
	ck_assert_int_eq(err.limit, 1);
	ck_assert_uint_eq(err.offset, 64);
	ck_assert_str_eq(err.message, "expression nests deeper than the limit (64)");
	/* The same with the default length limit fails on the length first. */
	ck_assert_int_eq(parse_limits(s, DEPTH, LENGTH, &e, &err), -1);
	ck_assert_int_eq(err.limit, 1);
	ck_assert_uint_eq(err.offset, 0);
	ck_assert_str_eq(err.message, "expression longer than the limit (16384 bytes)");
	free(s);

	s = repeat("", "- ", 100000, "x");
	ck_assert_int_eq(parse_limits(s, DEPTH, 1u << 20, &e, &err), -1);
	ck_assert_int_eq(err.limit, 1);
	ck_assert_uint_eq(err.offset, 128);
	free(s);

	s = repeat("", "not ", 100000, "x");
	ck_assert_int_eq(parse_limits(s, DEPTH, 1u << 20, &e, &err), -1);
	ck_assert_int_eq(err.limit, 1);
	ck_assert_uint_eq(err.offset, 256);
	free(s);

	s = repeat("", "f(", 100000, "");
	ck_assert_int_eq(parse_limits(s, DEPTH, 1u << 20, &e, &err), -1);
	ck_assert_int_eq(err.limit, 1);
	free(s);

	s = repeat("", "x in [", 100000, "");
	ck_assert_int_eq(parse_limits(s, DEPTH, 1u << 20, &e, &err), -1);
	ck_assert_int_eq(err.limit, 1);
	free(s);

	/* Under a generous limit the same input fails on its syntax. */
	s = repeat("", "(", 1000, "");
	ck_assert_int_eq(parse_limits(s, 100000, 1u << 20, &e, &err), -1);
	ck_assert_int_eq(err.limit, 0);
	ck_assert_uint_eq(err.offset, 1000);
	ck_assert_str_eq(err.message, "expected ')' to close '(' at column 1000, found end of expression");
	free(s);
}
END_TEST

START_TEST(test_length_limit)
{
	rb_expr *e;
	rb_expr_error err;
	/* 100000 terms in a flat chain parse in a loop, whatever the depth limit. */
	char *s = repeat("a", " + a", 99999, "");
	size_t len = strlen(s);
	ck_assert_int_eq(parse_limits(s, 4, (uint32_t)len, &e, &err), 0);
	size_t terms = 1;
	const rb_expr *n = e;
	for (; n->kind == RB_EX_BINARY; n = n->a) {
		ck_assert_int_eq(n->op, RB_OP_ADD);
		ck_assert_int_eq(n->b->kind, RB_EX_NAME);
		ck_assert_uint_eq(n->offset, 0);
		terms++;
	}
	ck_assert_int_eq(n->kind, RB_EX_NAME);
	ck_assert_uint_eq(terms, 100000);
	ck_assert_uint_eq(e->length, len);

	/* One byte over. */
	ck_assert_int_eq(parse_limits(s, 4, (uint32_t)len - 1, &e, &err), -1);
	ck_assert_int_eq(err.limit, 1);
	ck_assert_uint_eq(err.offset, 0);
	char want[96];
	snprintf(want, sizeof want, "expression longer than the limit (%zu bytes)", len - 1);
	ck_assert_str_eq(err.message, want);
	free(s);

	s = repeat("a", " or a", 99999, "");
	ck_assert_int_eq(parse_limits(s, 0, 1u << 20, &e, &err), 0);
	free(s);
	s = repeat("x in [1", ", 1", 99999, "]");
	ck_assert_int_eq(parse_limits(s, 1, 1u << 20, &e, &err), 0);
	ck_assert_uint_eq(e->nargs, 100000);
	free(s);

	/* The limit counts bytes, comments and all. */
	ck_assert_int_eq(parse_limits("a # 23456789", 12, 12, &e, &err), 0);
	ck_assert_int_eq(parse_limits("a # 234567890", 12, 12, &e, &err), -1);
	ck_assert_int_eq(err.limit, 1);
	ck_assert_str_eq(err.message, "expression longer than the limit (12 bytes)");
}
END_TEST

/* ---- offsets ---- */

#define SPAN(e, off, len) do { \
	ck_assert_uint_eq((e)->offset, (off)); \
	ck_assert_uint_eq((e)->length, (len)); \
} while (0)

START_TEST(test_offsets)
{
	/*             0123456789012345678 */
	rb_expr *e = parse("(a + b) * f(c, 2)");
	SPAN(e, 0, 17);
	SPAN(e->a, 1, 5);      /* a + b: its parentheses belong to the '*' */
	SPAN(e->a->a, 1, 1);
	SPAN(e->a->b, 5, 1);
	SPAN(e->b, 10, 7);     /* f(c, 2) */
	SPAN(e->b->args[0], 12, 1);
	SPAN(e->b->args[1], 15, 1);

	/*       0123456789012345678901234 */
	e = parse("  -x >= 3 [亩] and not y");
	ck_assert_int_eq(e->op, RB_OP_AND);
	SPAN(e, 2, strlen("-x >= 3 [亩] and not y"));
	SPAN(e->a, 2, strlen("-x >= 3 [亩]"));
	SPAN(e->a->a, 2, 2);
	SPAN(e->a->a->a, 3, 1);
	SPAN(e->a->b, 8, strlen("3 [亩]"));
	ck_assert_uint_eq(e->a->b->unit_offset, 11);
	ck_assert_uint_eq(e->a->b->unit_len, strlen("亩"));
	ck_assert_str_eq(e->a->b->unit_text, "亩");
	SPAN(e->b, strlen("  -x >= 3 [亩] and "), 5);
	SPAN(e->b->a, strlen("  -x >= 3 [亩] and not "), 1);

	/*       0123456789012345678901234567 */
	e = parse("if a then \"x\" else ((b))");
	SPAN(e, 0, 24);
	SPAN(e->a, 3, 1);
	SPAN(e->b, 10, 3);
	SPAN(e->c, 21, 1);     /* the inner b; the IF covers the parentheses */

	/*       012345678901234567890123 */
	e = parse("亩均税收 not in [1, \"a\",]");
	ck_assert_int_eq(e->kind, RB_EX_IN);
	ck_assert_int_eq(e->negated, 1);
	SPAN(e, 0, strlen("亩均税收 not in [1, \"a\",]"));
	SPAN(e->a, 0, 12);
	SPAN(e->args[0], 21, 1);
	SPAN(e->args[1], 24, 3);

	/* A name spans only itself, even with a comment after it. */
	e = parse("\n  abc  # note\n");
	SPAN(e, 3, 3);

	/* Percent and unit are part of the number. */
	e = parse("x + 0.3%[元/kWh]");
	SPAN(e->b, 4, strlen("0.3%[元/kWh]"));
	ck_assert_uint_eq(e->b->unit_offset, 9);
	ck_assert_str_eq(e->b->unit_text, "元/kWh");
}
END_TEST

/* ---- numbers (need lib/decimal.c) ---- */

static void check_number(const char *src, const char *value, int percent, const char *unit)
{
	rb_expr *e = parse(src);
	ck_assert_int_eq(e->kind, RB_EX_NUMBER);
	char buf[RB_DEC_BUFSIZE];
	rb_dec_format(e->num, buf, sizeof buf);
	ck_assert_msg(strcmp(buf, value) == 0, "%s: got %s, want %s", src, buf, value);
	ck_assert_int_eq(e->percent, percent);
	if (unit) {
		ck_assert_ptr_nonnull(e->unit_text);
		ck_assert_str_eq(e->unit_text, unit);
		ck_assert_uint_eq(e->unit_len, strlen(unit));
		ck_assert_int_eq(memcmp(src + e->unit_offset, unit, strlen(unit)), 0);
	} else {
		ck_assert_ptr_null(e->unit_text);
		ck_assert_uint_eq(e->unit_len, 0);
	}
	ck_assert_uint_eq(e->offset, 0);
	ck_assert_uint_eq(e->length, strlen(src));
}

START_TEST(test_numbers)
{
	check_number("0", "0", 0, NULL);
	check_number("37", "37", 0, NULL);
	check_number("1158.1", "1158.1", 0, NULL);
	check_number("1.20", "1.2", 0, NULL);
	check_number("007", "7", 0, NULL);
	check_number("1e3", "1000", 0, NULL);
	check_number("1.5E-2", "0.015", 0, NULL);
	check_number("2e+2", "200", 0, NULL);
	check_number("2.3%", "0.023", 1, NULL);
	check_number("100%", "1", 1, NULL);
	check_number("0.5%", "0.005", 1, NULL);
	check_number("1e2%", "1", 1, NULL);
	check_number("3 [亩]", "3", 0, "亩");
	check_number("3[亩]", "3", 0, "亩");
	check_number("0.3[元/kWh]", "0.3", 0, "元/kWh");
	check_number("15 [  万元 / 亩 ]", "15", 0, "万元 / 亩");
	check_number("5%  [t]", "0.05", 1, "t");
	check_number("999999999999999999", "999999999999999999", 0, NULL);
	check_number("0.100000000000000000000", "0.1", 0, NULL);

	/* Exactly /100: the coefficient is kept, the exponent moves. */
	rb_expr *e = parse("2.3%");
	rb_dec want = {23, -3};
	ck_assert_int_eq(rb_dec_cmp(e->num, want), 0);
	ck_assert_int_eq(e->num.coef, 23);
	ck_assert_int_eq(e->num.exp, -3);

	/* The minus sign is an operator, not part of the literal. */
	e = parse("-2.5");
	ck_assert_int_eq(e->kind, RB_EX_NEG);
	ck_assert_int_eq(rb_dec_cmp(e->a->num, (rb_dec){25, -1}), 0);

	e = parse("max(a, 0 [亩])");
	ck_assert_int_eq(e->args[1]->kind, RB_EX_NUMBER);
	ck_assert_int_eq(rb_dec_cmp(e->args[1]->num, RB_DEC_ZERO), 0);
	ck_assert_str_eq(e->args[1]->unit_text, "亩");

	static const pair t[] = {
		{"1234567890123456789", "error at 0: number '1234567890123456789' has more than 18 significant digits"},
		{"x + 0.1234567890123456789", "error at 4: number '0.1234567890123456789' has more than 18 significant digits"},
		{"1e999", "error at 0: number '1e999' is out of range"},
		{"a * 1e-999", "error at 4: number '1e-999' is out of range"},
		{"1e12345", "error at 0: malformed number '1e12345'"},
	};
	CHECK_PAIRS(t);
}
END_TEST

/* ---- allocation failure ---- */

static long g_fail_after = -1;

static void *fail_malloc(size_t n, void *payload)
{
	(void)payload;
	if (g_fail_after == 0)
		return NULL;
	if (g_fail_after > 0)
		g_fail_after--;
	return malloc(n);
}

static void *fail_realloc(void *p, size_t n, void *payload)
{
	(void)payload;
	return realloc(p, n);
}

static void fail_free(void *p, void *payload)
{
	(void)payload;
	free(p);
}

START_TEST(test_out_of_memory)
{
	/* Enough nodes and strings to need several arena blocks. */
	char *s = repeat("f(\"abc\", x in [1, 2])", " + g(亩均, \"长长的字符串\") * -y", 2000, "");
	rulebook_set_allocator(fail_malloc, fail_realloc, fail_free, NULL);
	int failures = 0;
	for (long n = 0;; n++) {
		rb_arena a;
		rb_arena_init(&a);
		rb_expr *e = (rb_expr *)1;
		rb_expr_error err;
		g_fail_after = n;
		int rc = rb_expr_parse(&a, s, strlen(s), DEPTH, 1u << 20, &e, &err);
		g_fail_after = -1;
		rb_arena_release(&a);
		if (rc == 0)
			break;
		ck_assert_ptr_null(e);
		ck_assert_str_eq(err.message, "out of memory");
		ck_assert_int_eq(err.limit, 0);
		failures++;
		ck_assert_int_lt(n, 10000);
	}
	rulebook_set_allocator(NULL, NULL, NULL, NULL);
	ck_assert_int_gt(failures, 2);
	free(s);
}
END_TEST

static Suite *expr_suite(void)
{
	Suite *s = suite_create("expr");
	TCase *tc = tcase_create("parse");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_precedence);
	tcase_add_test(tc, test_associativity);
	tcase_add_test(tc, test_calls_and_lists);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_strings);
	tcase_add_test(tc, test_whitespace);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_error_struct);
	tcase_add_test(tc, test_offsets);
	tcase_add_test(tc, test_numbers);
	tcase_add_test(tc, test_out_of_memory);
	suite_add_tcase(s, tc);

	TCase *lim = tcase_create("limits");
	tcase_add_checked_fixture(lim, setup, teardown);
	tcase_set_timeout(lim, 60);
	tcase_add_test(lim, test_depth_limit);
	tcase_add_test(lim, test_hostile_nesting);
	tcase_add_test(lim, test_length_limit);
	suite_add_tcase(s, lim);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(expr_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
