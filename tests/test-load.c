/* Tests of the YAML reader (lib/load.c). Expected positions were worked out
 * by hand from the input text: lines and columns are 1-based, columns count
 * bytes. */
#include "node.h"
#include "alloc.h"
#include "rulebook.h"

#include <check.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------ */

static rb_doc *load_ok_n(const char *s, size_t len, const rb_limits *lim)
{
	rulebook_error *err = rulebook_error_new();
	rb_doc *doc = NULL;
	rulebook_status st = rb_yaml_load(s, len, "t.yaml", lim, &doc, err);
	ck_assert_msg(st == RULEBOOK_OK, "load failed (%d): %s at %u:%u", (int)st,
		      rulebook_error_message(err, 0), rulebook_error_line(err, 0),
		      rulebook_error_column(err, 0));
	ck_assert_ptr_nonnull(doc);
	ck_assert_ptr_nonnull(doc->root);
	ck_assert_uint_eq(rulebook_error_count(err), 0);
	rulebook_error_free(err);
	return doc;
}

static rb_doc *load_ok(const char *s)
{
	return load_ok_n(s, strlen(s), NULL);
}

/* Load s, expect a failure with the given status, message fragment and
 * position. */
static void expect_err_n(const char *s, size_t len, const rb_limits *lim, rulebook_status status,
			 const char *fragment, uint32_t line, uint32_t col)
{
	rulebook_error *err = rulebook_error_new();
	rb_doc *doc = (rb_doc *)&doc;  /* must be reset to NULL */
	rulebook_status st = rb_yaml_load(s, len, "t.yaml", lim, &doc, err);
	ck_assert_ptr_null(doc);
	ck_assert_msg(st == status, "status %d, wanted %d (%s)", (int)st, (int)status,
		      rulebook_error_message(err, 0));
	ck_assert_int_eq(rulebook_error_status(err), status);
	ck_assert_uint_eq(rulebook_error_count(err), 1);
	const char *msg = rulebook_error_message(err, 0);
	ck_assert_msg(strstr(msg, fragment) != NULL, "message '%s' lacks '%s'", msg, fragment);
	ck_assert_str_eq(rulebook_error_file(err, 0), "t.yaml");
	ck_assert_msg(rulebook_error_line(err, 0) == line && rulebook_error_column(err, 0) == col,
		      "'%s' at %u:%u, wanted %u:%u", msg, rulebook_error_line(err, 0),
		      rulebook_error_column(err, 0), line, col);
	rulebook_error_free(err);
}

static void expect_err(const char *s, rulebook_status status, const char *fragment,
		       uint32_t line, uint32_t col)
{
	expect_err_n(s, strlen(s), NULL, status, fragment, line, col);
}

static void expect_err_lim(const char *s, const rb_limits *lim, rulebook_status status,
			   const char *fragment, uint32_t line, uint32_t col)
{
	expect_err_n(s, strlen(s), lim, status, fragment, line, col);
}

static void check_scalar(const rb_node *n, const char *text, rb_scalar_style style,
			 uint32_t line, uint32_t col)
{
	ck_assert_ptr_nonnull(n);
	ck_assert_int_eq(n->kind, RB_NODE_SCALAR);
	ck_assert_str_eq(n->text, text);
	ck_assert_uint_eq(n->len, strlen(text));
	ck_assert_int_eq(n->style, style);
	ck_assert_msg(n->pos.line == line && n->pos.col == col, "'%s' at %u:%u, wanted %u:%u",
		      text, n->pos.line, n->pos.col, line, col);
	ck_assert_str_eq(n->pos.file, "t.yaml");
}

static void check_pos(const rb_node *n, uint32_t line, uint32_t col)
{
	ck_assert_ptr_nonnull(n);
	ck_assert_msg(n->pos.line == line && n->pos.col == col, "node at %u:%u, wanted %u:%u",
		      n->pos.line, n->pos.col, line, col);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A growable string for generated documents. */
typedef struct sbuf {
	char *p;
	size_t len, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s)
{
	size_t n = strlen(s);
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		ck_assert_ptr_nonnull(b->p);
	}
	memcpy(b->p + b->len, s, n + 1);
	b->len += n;
}

/* ------------------------------------------------------------------------
 * Trees, scalars, positions
 * ------------------------------------------------------------------------ */

START_TEST(test_basic_map)
{
	const char *src = "id: x\nname: 名称\nlist:\n  - 1\n  - two\nempty: {}\n";
	rb_doc *doc = load_ok(src);
	ck_assert_str_eq(doc->name, "t.yaml");
	ck_assert_str_eq(doc->source, src);
	ck_assert_uint_eq(doc->source_len, strlen(src));

	const rb_node *r = doc->root;
	ck_assert_int_eq(r->kind, RB_NODE_MAP);
	ck_assert_uint_eq(r->count, 4);
	check_pos(r, 1, 1);
	ck_assert_uint_eq(r->offset, 0);
	check_scalar(r->pairs[0].key, "id", RB_SCALAR_PLAIN, 1, 1);
	check_scalar(r->pairs[0].value, "x", RB_SCALAR_PLAIN, 1, 5);
	ck_assert_uint_eq(r->pairs[0].value->offset, 4);
	check_scalar(r->pairs[1].key, "name", RB_SCALAR_PLAIN, 2, 1);
	check_scalar(r->pairs[1].value, "名称", RB_SCALAR_PLAIN, 2, 7);
	ck_assert_uint_eq(r->pairs[1].value->offset, 12);

	const rb_node *list = rb_map_get(r, "list");
	ck_assert_ptr_nonnull(list);
	ck_assert_int_eq(list->kind, RB_NODE_SEQ);
	ck_assert_uint_eq(list->count, 2);
	check_pos(list, 4, 3);
	check_scalar(list->items[0], "1", RB_SCALAR_PLAIN, 4, 5);
	check_scalar(list->items[1], "two", RB_SCALAR_PLAIN, 5, 5);
	ck_assert_uint_eq(list->items[1]->offset, 35);
	ck_assert_int_eq(strncmp(doc->source + list->items[1]->offset, "two\n", 4), 0);

	const rb_node *empty = rb_map_get(r, "empty");
	ck_assert_int_eq(empty->kind, RB_NODE_MAP);
	ck_assert_uint_eq(empty->count, 0);
	check_pos(empty, 6, 8);
	rb_doc_free(doc);
}
END_TEST

START_TEST(test_scalars_are_text)
{
	const char *src =
		"- no\n"
		"- yes\n"
		"- 1:1.2\n"
		"- 2022-05-19\n"
		"- ~\n"
		"- null\n"
		"- 'it''s'\n"
		"- \"tab\\there\"\n"
		"- |\n"
		"  lit\n"
		"  eral\n"
		"- >\n"
		"  fol\n"
		"  ded\n"
		"- 037\n"
		"- 0x1F\n"
		"- \"37\"\n"
		"-\n";
	rb_doc *doc = load_ok(src);
	const rb_node *r = doc->root;
	ck_assert_int_eq(r->kind, RB_NODE_SEQ);
	ck_assert_uint_eq(r->count, 14);
	check_pos(r, 1, 1);
	check_scalar(r->items[0], "no", RB_SCALAR_PLAIN, 1, 3);
	check_scalar(r->items[1], "yes", RB_SCALAR_PLAIN, 2, 3);
	check_scalar(r->items[2], "1:1.2", RB_SCALAR_PLAIN, 3, 3);
	check_scalar(r->items[3], "2022-05-19", RB_SCALAR_PLAIN, 4, 3);
	check_scalar(r->items[4], "~", RB_SCALAR_PLAIN, 5, 3);
	check_scalar(r->items[5], "null", RB_SCALAR_PLAIN, 6, 3);
	check_scalar(r->items[6], "it's", RB_SCALAR_SINGLE, 7, 3);
	check_scalar(r->items[7], "tab\there", RB_SCALAR_DOUBLE, 8, 3);
	check_scalar(r->items[8], "lit\neral\n", RB_SCALAR_LITERAL, 9, 3);
	check_scalar(r->items[9], "fol ded\n", RB_SCALAR_FOLDED, 12, 3);
	check_scalar(r->items[10], "037", RB_SCALAR_PLAIN, 15, 3);
	check_scalar(r->items[11], "0x1F", RB_SCALAR_PLAIN, 16, 3);
	check_scalar(r->items[12], "37", RB_SCALAR_DOUBLE, 17, 3);
	/* An empty entry is an empty plain scalar (YAML's null). */
	ck_assert_int_eq(r->items[13]->kind, RB_NODE_SCALAR);
	ck_assert_uint_eq(r->items[13]->len, 0);
	ck_assert_str_eq(r->items[13]->text, "");
	ck_assert_int_eq(r->items[13]->style, RB_SCALAR_PLAIN);
	rb_doc_free(doc);
}
END_TEST

START_TEST(test_json)
{
	const char *src = "{\"a\": 1158.1, \"b\": [1, 2], \"c\": \"x\\u00e9\"}";
	rb_doc *doc = load_ok(src);
	const rb_node *r = doc->root;
	ck_assert_int_eq(r->kind, RB_NODE_MAP);
	ck_assert_uint_eq(r->count, 3);
	check_pos(r, 1, 1);
	check_scalar(r->pairs[0].key, "a", RB_SCALAR_DOUBLE, 1, 2);
	check_scalar(rb_map_get(r, "a"), "1158.1", RB_SCALAR_PLAIN, 1, 7);
	const rb_node *b = rb_map_get(r, "b");
	ck_assert_int_eq(b->kind, RB_NODE_SEQ);
	check_pos(b, 1, 20);
	check_scalar(b->items[0], "1", RB_SCALAR_PLAIN, 1, 21);
	check_scalar(b->items[1], "2", RB_SCALAR_PLAIN, 1, 24);
	check_scalar(rb_map_get(r, "c"), "x\xc3\xa9", RB_SCALAR_DOUBLE, 1, 33);
	rb_doc_free(doc);

	/* Multi-line JSON, no spaces after colons. */
	doc = load_ok("{\n  \"k\":[{\"v\":-0.05e3}]\n}\n");
	const rb_node *k = rb_map_get(doc->root, "k");
	ck_assert_int_eq(k->kind, RB_NODE_SEQ);
	check_pos(k, 2, 7);
	check_scalar(rb_map_get(k->items[0], "v"), "-0.05e3", RB_SCALAR_PLAIN, 2, 13);
	rb_doc_free(doc);
}
END_TEST

START_TEST(test_positions_bytes)
{
	/* Columns count bytes: 名称 is 6 bytes. */
	rb_doc *doc = load_ok("名称: 值\n列表: [甲, 乙]\n");
	const rb_node *r = doc->root;
	check_scalar(r->pairs[0].key, "名称", RB_SCALAR_PLAIN, 1, 1);
	check_scalar(r->pairs[0].value, "值", RB_SCALAR_PLAIN, 1, 9);
	ck_assert_uint_eq(r->pairs[0].value->offset, 8);
	const rb_node *l = rb_map_get(r, "列表");
	check_pos(l, 2, 9);
	check_scalar(l->items[0], "甲", RB_SCALAR_PLAIN, 2, 10);
	check_scalar(l->items[1], "乙", RB_SCALAR_PLAIN, 2, 15);
	ck_assert_uint_eq(l->items[1]->offset, 12 + 14);
	rb_doc_free(doc);
}
END_TEST

START_TEST(test_crlf)
{
	rb_doc *doc = load_ok("a: 1\r\nb: \"two\"\r\n");
	check_scalar(rb_map_get(doc->root, "b"), "two", RB_SCALAR_DOUBLE, 2, 4);
	ck_assert_uint_eq(rb_map_get(doc->root, "b")->offset, 9);
	rb_doc_free(doc);
	expect_err("a: 1\r\nb: [x,\r\n", RULEBOOK_ERR_SYNTAX, "did not find expected node content",
		   3, 1);
	/* A lone CR is a line break too. */
	doc = load_ok("a: 1\rb: 2\r");
	check_scalar(rb_map_get(doc->root, "b"), "2", RB_SCALAR_PLAIN, 2, 4);
	rb_doc_free(doc);
}
END_TEST

START_TEST(test_bom)
{
	const char *src = "\xEF\xBB\xBF" "a: 1\nb: x\n";
	rb_doc *doc = load_ok(src);
	check_scalar(doc->root->pairs[0].key, "a", RB_SCALAR_PLAIN, 1, 1);
	ck_assert_uint_eq(doc->root->pairs[0].key->offset, 0);
	check_scalar(rb_map_get(doc->root, "b"), "x", RB_SCALAR_PLAIN, 2, 4);
	/* The stored source starts after the byte order mark. */
	ck_assert_str_eq(doc->source, "a: 1\nb: x\n");
	ck_assert_uint_eq(doc->source_len, strlen(src) - 3);
	rb_doc_free(doc);
	expect_err("\xEF\xBB\xBF" "a: 1\nb: [1,", RULEBOOK_ERR_SYNTAX, "did not find expected", 2, 7);
	expect_err("\xEF\xBB\xBF" "a: \xC0\x80", RULEBOOK_ERR_SYNTAX, "UTF-8", 1, 4);
}
END_TEST

START_TEST(test_aliases_share)
{
	rb_doc *doc = load_ok("a: &x {k: v}\nb: *x\nc: &s text\nd: [*s, *x]\n");
	const rb_node *r = doc->root;
	const rb_node *a = rb_map_get(r, "a");
	ck_assert_int_eq(a->kind, RB_NODE_MAP);
	check_pos(a, 1, 4);
	ck_assert_ptr_eq(rb_map_get(r, "b"), a);
	const rb_node *d = rb_map_get(r, "d");
	ck_assert_ptr_eq(d->items[0], rb_map_get(r, "c"));
	ck_assert_ptr_eq(d->items[1], a);
	check_scalar(d->items[0], "text", RB_SCALAR_PLAIN, 3, 4);
	rb_doc_free(doc);

	/* A later anchor of the same name wins. */
	doc = load_ok("a: &x 1\nb: &x 2\nc: *x\n");
	check_scalar(rb_map_get(doc->root, "c"), "2", RB_SCALAR_PLAIN, 2, 4);
	rb_doc_free(doc);
	/* Inside a collection anchored &x, a nested &x is the most recent. */
	doc = load_ok("a: &x [&x 1, *x]\nb: *x\n");
	check_scalar(rb_map_get(doc->root, "a")->items[1], "1", RB_SCALAR_PLAIN, 1, 8);
	check_scalar(rb_map_get(doc->root, "b"), "1", RB_SCALAR_PLAIN, 1, 8);
	rb_doc_free(doc);
}
END_TEST

START_TEST(test_alias_errors)
{
	expect_err("a: 1\nb: *nope\n", RULEBOOK_ERR_SYNTAX, "undefined alias 'nope'", 2, 4);
	expect_err("a: &x [1, *x]\n", RULEBOOK_ERR_SCHEMA, "alias 'x' refers to a collection", 1, 11);
	expect_err("a: &x {b: [*x]}\n", RULEBOOK_ERR_SCHEMA, "contains it", 1, 12);
	expect_err("a: &k x\n*k : y\n", RULEBOOK_ERR_SCHEMA, "alias cannot be a mapping key", 2, 1);
}
END_TEST

START_TEST(test_map_get)
{
	rb_doc *doc = load_ok("a: 1\nb: [x]\n'': e\n");
	const rb_node *r = doc->root;
	check_scalar(rb_map_get(r, "a"), "1", RB_SCALAR_PLAIN, 1, 4);
	check_scalar(rb_map_get(r, ""), "e", RB_SCALAR_PLAIN, 3, 5);
	ck_assert_ptr_null(rb_map_get(r, "c"));
	ck_assert_ptr_null(rb_map_get(r, "a "));
	ck_assert_ptr_null(rb_map_get(rb_map_get(r, "b"), "x"));
	ck_assert_ptr_null(rb_map_get(rb_map_get(r, "a"), "a"));
	ck_assert_ptr_null(rb_map_get(NULL, "a"));
	rb_doc_free(doc);
	rb_doc_free(NULL);
}
END_TEST

START_TEST(test_tags)
{
	rb_doc *doc = load_ok("a: !!str 37\nb: !!int 1\nc: !!map {}\nd: !!seq []\ne: ! x\n"
			      "f: !!null ~\ng: !!bool no\nh: !!float 1.5\n"
			      "i: !<tag:yaml.org,2002:str> y\n");
	check_scalar(rb_map_get(doc->root, "a"), "37", RB_SCALAR_PLAIN, 1, 4);
	check_scalar(rb_map_get(doc->root, "e"), "x", RB_SCALAR_PLAIN, 5, 4);
	check_scalar(rb_map_get(doc->root, "i"), "y", RB_SCALAR_PLAIN, 9, 4);
	ck_assert_int_eq(rb_map_get(doc->root, "c")->kind, RB_NODE_MAP);
	rb_doc_free(doc);

	expect_err("a: !foo x\n", RULEBOOK_ERR_SCHEMA, "unsupported tag '!foo'", 1, 4);
	expect_err("a: 1\nb: !!binary eA==\n", RULEBOOK_ERR_SCHEMA, "unsupported tag '!!binary'",
		   2, 4);
	expect_err("s: !!set {a, b}\n", RULEBOOK_ERR_SCHEMA, "unsupported tag '!!set'", 1, 4);
	expect_err("- !!timestamp 2022-05-19\n", RULEBOOK_ERR_SCHEMA, "'!!timestamp'", 1, 3);
	expect_err("a: !!map x\n", RULEBOOK_ERR_SCHEMA, "tag '!!map' does not suit a scalar", 1, 4);
	expect_err("a: !!str [x]\n", RULEBOOK_ERR_SCHEMA, "does not suit a sequence", 1, 4);
	expect_err("!!seq {a: 1}\n", RULEBOOK_ERR_SCHEMA, "does not suit a mapping", 1, 1);
	/* A %TAG directive cannot smuggle in another namespace as !!. */
	expect_err("%TAG !! tag:example.com,2000:\n---\na: !!str x\n", RULEBOOK_ERR_SCHEMA,
		   "unsupported tag 'tag:example.com,2000:str'", 3, 4);
	expect_err("%TAG !e! tag:example.com,2000:\n---\na: !e!foo x\n", RULEBOOK_ERR_SCHEMA,
		   "unsupported tag", 3, 4);
}
END_TEST

/* ------------------------------------------------------------------------
 * Malformed YAML
 * ------------------------------------------------------------------------ */

START_TEST(test_syntax_errors)
{
	expect_err("a: [1, 2", RULEBOOK_ERR_SYNTAX, "did not find expected ',' or ']'", 1, 9);
	expect_err("a: [1, 2\n", RULEBOOK_ERR_SYNTAX, "while parsing a flow sequence at line 1, column 4",
		   2, 1);
	/* 名 is 3 bytes: the end of "名: [1, 2" is byte 10. */
	expect_err("名: [1, 2", RULEBOOK_ERR_SYNTAX, "did not find expected", 1, 11);
	expect_err("a: 'open\n", RULEBOOK_ERR_SYNTAX, "found unexpected end of stream", 2, 1);
	expect_err("a: b: c\n", RULEBOOK_ERR_SYNTAX, "mapping values are not allowed", 1, 5);
	expect_err("a: 1\n b: 2\n", RULEBOOK_ERR_SYNTAX, "mapping values are not allowed", 2, 3);
	expect_err("key: value\n- item\n", RULEBOOK_ERR_SYNTAX, "did not find expected key", 2, 1);
	expect_err("a: \"\\q\"\n", RULEBOOK_ERR_SYNTAX, "unknown escape", 1, 5);
	expect_err("a: @x\n", RULEBOOK_ERR_SYNTAX, "cannot start any token", 1, 4);
	/* Characters libyaml refuses (control characters, U+FFFE) are reported
	 * at their byte position. */
	expect_err("a: \x01", RULEBOOK_ERR_SYNTAX, "control characters are not allowed", 1, 4);
	expect_err("名: \x01", RULEBOOK_ERR_SYNTAX, "control characters are not allowed", 1, 6);
	expect_err("a: 1\nb: \xEF\xBF\xBE\n", RULEBOOK_ERR_SYNTAX, "control characters", 2, 4);
}
END_TEST

START_TEST(test_tabs)
{
	expect_err("a:\n\tb: 1\n", RULEBOOK_ERR_SYNTAX, "found character that cannot start any token",
		   2, 1);
	expect_err("a:\n  b: 1\n\tc: 2\n", RULEBOOK_ERR_SYNTAX,
		   "found a tab character that violates indentation (while scanning a plain "
		   "scalar at line 2, column 6)", 3, 1);
	expect_err("- a\n\t- b\n", RULEBOOK_ERR_SYNTAX, "tab character that violates indentation",
		   2, 1);
	expect_err("名称:\n\t值: 1\n", RULEBOOK_ERR_SYNTAX, "cannot start any token", 2, 1);
	/* Tabs inside a line are only separators or text. */
	rb_doc *doc = load_ok("a:\tx\ty\n");
	check_scalar(rb_map_get(doc->root, "a"), "x\ty", RB_SCALAR_PLAIN, 1, 4);
	rb_doc_free(doc);
}
END_TEST

START_TEST(test_nul)
{
	static const char s1[] = "a: 1\nb: x\0y\n";
	expect_err_n(s1, sizeof(s1) - 1, NULL, RULEBOOK_ERR_SYNTAX, "NUL byte", 2, 5);
	static const char s2[] = "\0a: 1";
	expect_err_n(s2, sizeof(s2) - 1, NULL, RULEBOOK_ERR_SYNTAX, "NUL byte", 1, 1);
	static const char s3[] = "名: \"x\0\"";
	expect_err_n(s3, sizeof(s3) - 1, NULL, RULEBOOK_ERR_SYNTAX, "NUL byte", 1, 8);
	/* Trailing NUL, as from a careless length. */
	static const char s4[] = "a: 1\n";
	expect_err_n(s4, sizeof(s4), NULL, RULEBOOK_ERR_SYNTAX, "NUL byte", 2, 1);
}
END_TEST

START_TEST(test_utf8)
{
	const char *frag = "invalid UTF-8";
	expect_err("a: \xC0\x80\n", RULEBOOK_ERR_SYNTAX, frag, 1, 4);          /* overlong NUL */
	expect_err("a: \xC1\xBF\n", RULEBOOK_ERR_SYNTAX, frag, 1, 4);          /* overlong */
	expect_err("a: \xE0\x80\xAF\n", RULEBOOK_ERR_SYNTAX, frag, 1, 4);      /* overlong / */
	expect_err("a: \xF0\x80\x80\xAF\n", RULEBOOK_ERR_SYNTAX, frag, 1, 4);  /* overlong */
	expect_err("a: \xED\xA0\x80\n", RULEBOOK_ERR_SYNTAX, frag, 1, 4);      /* U+D800 */
	expect_err("a: \xED\xBF\xBF\n", RULEBOOK_ERR_SYNTAX, frag, 1, 4);      /* U+DFFF */
	expect_err("a: \xF4\x90\x80\x80\n", RULEBOOK_ERR_SYNTAX, frag, 1, 4);  /* U+110000 */
	expect_err("a: \xF5\x80\x80\x80\n", RULEBOOK_ERR_SYNTAX, frag, 1, 4);
	expect_err("a: \xFF\n", RULEBOOK_ERR_SYNTAX, frag, 1, 4);
	expect_err("a: \x80\n", RULEBOOK_ERR_SYNTAX, frag, 1, 4);              /* stray continuation */
	expect_err("a: \xE4\xB8x\n", RULEBOOK_ERR_SYNTAX, frag, 1, 4);         /* cut short */
	expect_err("a: \xE4\xB8", RULEBOOK_ERR_SYNTAX, frag, 1, 4);            /* cut by the end */
	expect_err("名称: 值\nb: 中\xFF\n", RULEBOOK_ERR_SYNTAX, frag, 2, 7);
	/* UTF-16 byte order marks are not UTF-8. */
	expect_err("\xFF\xFE" "a\0", RULEBOOK_ERR_SYNTAX, frag, 1, 1);

	/* The largest valid forms of each length are accepted. */
	rb_doc *doc = load_ok("- \xC2\xA9\n- \xDF\xBF\n- \xE0\xA0\x80\n- \xED\x9F\xBF\n"
			      "- \xEE\x80\x80\n- \xF0\x90\x80\x80\n- \xF4\x8F\xBF\xBD\n");
	ck_assert_uint_eq(doc->root->count, 7);
	check_scalar(doc->root->items[6], "\xF4\x8F\xBF\xBD", RB_SCALAR_PLAIN, 7, 3);
	rb_doc_free(doc);
}
END_TEST

START_TEST(test_unicode_breaks)
{
	/* libyaml treats NEL, LS and PS as line breaks; lines are counted the
	 * same way, and the column restarts after them. */
	rb_doc *doc = load_ok("a: \"x\xC2\x85y\"\nb: 2\n");
	check_scalar(rb_map_get(doc->root, "b"), "2", RB_SCALAR_PLAIN, 3, 4);
	rb_doc_free(doc);
	expect_err("a: 1\xE2\x80\xA8" "b: [1", RULEBOOK_ERR_SYNTAX, "did not find expected", 2, 6);
}
END_TEST

/* ------------------------------------------------------------------------
 * Keys
 * ------------------------------------------------------------------------ */

START_TEST(test_duplicate_keys)
{
	expect_err("name: a\nid: 1\nx: 2\nid: 3\n", RULEBOOK_ERR_SCHEMA,
		   "duplicate key 'id' (first at line 2)", 4, 1);
	expect_err("{a: 1, b: {c: 1, c: 2}}", RULEBOOK_ERR_SCHEMA,
		   "duplicate key 'c' (first at line 1)", 1, 18);
	/* Quoting does not make a different key: the model reads text. */
	expect_err("k: 1\n\"k\": 2\n", RULEBOOK_ERR_SCHEMA, "duplicate key 'k'", 2, 1);
	expect_err("名称: 1\nx: 2\n名称: 3\n", RULEBOOK_ERR_SCHEMA,
		   "duplicate key '名称' (first at line 1)", 3, 1);
	/* The earliest second occurrence is reported. */
	expect_err("a: 1\nb: 2\nb: 3\na: 4\n", RULEBOOK_ERR_SCHEMA,
		   "duplicate key 'b' (first at line 2)", 3, 1);
	/* Empty keys are keys too. */
	expect_err("'': 1\n\"\": 2\n", RULEBOOK_ERR_SCHEMA, "duplicate key ''", 2, 1);
	/* The same key in different mappings is fine. */
	rb_doc *doc = load_ok("a: {id: 1}\nb: {id: 2}\n");
	rb_doc_free(doc);
}
END_TEST

START_TEST(test_duplicate_keys_large)
{
	/* 100000 keys: loads fast (no quadratic check) and a duplicate in a
	 * large mapping is found with the right positions. */
	sbuf b = {0};
	char line[64];
	for (int i = 0; i < 100000; i++) {
		snprintf(line, sizeof(line), "key%d: %d\n", i, i);
		sb_add(&b, line);
	}
	rb_doc *doc = load_ok_n(b.p, b.len, NULL);
	ck_assert_uint_eq(doc->root->count, 100000);
	check_scalar(rb_map_get(doc->root, "key99999"), "99999", RB_SCALAR_PLAIN, 100000, 11);
	rb_doc_free(doc);

	/* key5 again at line 100001 and key7 again at line 100002: key5 is the
	 * earlier second occurrence. A long key is cut in the message. */
	sb_add(&b, "key5: again\nkey7: again\n");
	rb_limits more = rb_limits_default;
	more.items = 200000;
	expect_err_n(b.p, b.len, &more, RULEBOOK_ERR_SCHEMA, "duplicate key 'key5' (first at line 6)",
		     100001, 1);

	b.len = 0;
	char longkey[200];
	memset(longkey, 'k', 100);
	longkey[100] = '\0';
	for (int i = 0; i < 40; i++) {
		snprintf(line, sizeof(line), "x%d: 1\n", i);
		sb_add(&b, line);
		if (i == 3 || i == 30) {
			sb_add(&b, longkey);
			sb_add(&b, ": 1\n");
		}
	}
	expect_err_n(b.p, b.len, NULL, RULEBOOK_ERR_SCHEMA, "...' (first at line 5)", 33, 1);
	free(b.p);
}
END_TEST

START_TEST(test_non_scalar_keys)
{
	expect_err("? [a]\n: b\n", RULEBOOK_ERR_SCHEMA, "mapping key must be a scalar, not a sequence",
		   1, 3);
	expect_err("x: 1\n? {a: 1}\n: b\n", RULEBOOK_ERR_SCHEMA, "not a mapping", 2, 3);
	expect_err("[a]: b\n", RULEBOOK_ERR_SCHEMA, "mapping key must be a scalar", 1, 1);
	expect_err("{x: 1, [a]: b}", RULEBOOK_ERR_SCHEMA, "mapping key must be a scalar", 1, 8);
	/* A complex key that is a scalar is fine. */
	rb_doc *doc = load_ok("? a\n: b\n");
	check_scalar(rb_map_get(doc->root, "a"), "b", RB_SCALAR_PLAIN, 2, 3);
	rb_doc_free(doc);
}
END_TEST

START_TEST(test_merge_key)
{
	expect_err("base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n", RULEBOOK_ERR_SCHEMA,
		   "merge keys are not supported", 3, 3);
	expect_err("{<<: {x: 1}}", RULEBOOK_ERR_SCHEMA, "merge keys are not supported", 1, 2);
	/* "<<" as a value, or quoted, is just text. */
	rb_doc *doc = load_ok("'<<': 1\na: <<\n");
	check_scalar(rb_map_get(doc->root, "<<"), "1", RB_SCALAR_PLAIN, 1, 7);
	check_scalar(rb_map_get(doc->root, "a"), "<<", RB_SCALAR_PLAIN, 2, 4);
	rb_doc_free(doc);
}
END_TEST

/* ------------------------------------------------------------------------
 * Documents
 * ------------------------------------------------------------------------ */

START_TEST(test_empty_document)
{
	expect_err("", RULEBOOK_ERR_SCHEMA, "empty document", 1, 1);
	expect_err_n(NULL, 0, NULL, RULEBOOK_ERR_SCHEMA, "empty document", 1, 1);
	expect_err("\n  \n", RULEBOOK_ERR_SCHEMA, "empty document", 1, 1);
	expect_err("# only a comment\n", RULEBOOK_ERR_SCHEMA, "empty document", 1, 1);
	expect_err("---\n", RULEBOOK_ERR_SCHEMA, "empty document", 1, 1);
	expect_err("--- # nothing\n...\n", RULEBOOK_ERR_SCHEMA, "empty document", 1, 1);
	expect_err("\xEF\xBB\xBF", RULEBOOK_ERR_SCHEMA, "empty document", 1, 1);
	/* Explicit nulls and empty strings are content. */
	rb_doc *doc = load_ok("~\n");
	check_scalar(doc->root, "~", RB_SCALAR_PLAIN, 1, 1);
	rb_doc_free(doc);
	doc = load_ok("''");
	check_scalar(doc->root, "", RB_SCALAR_SINGLE, 1, 1);
	rb_doc_free(doc);
	doc = load_ok("--- plain\n");
	check_scalar(doc->root, "plain", RB_SCALAR_PLAIN, 1, 5);
	rb_doc_free(doc);
}
END_TEST

START_TEST(test_multiple_documents)
{
	expect_err("a: 1\n---\nb: 2\n", RULEBOOK_ERR_SCHEMA, "more than one document", 2, 1);
	expect_err("a: 1\n...\n---\nb: 2\n", RULEBOOK_ERR_SCHEMA, "more than one document", 3, 1);
	/* libyaml wants "---" before a document that follows "...". */
	expect_err("a: 1\n...\nb: 2\n", RULEBOOK_ERR_SYNTAX, "did not find expected <document start>",
		   3, 1);
	expect_err("--- a\n--- b\n", RULEBOOK_ERR_SCHEMA, "more than one document", 2, 1);
	expect_err("--- a\n---\n", RULEBOOK_ERR_SCHEMA, "more than one document", 2, 1);
	/* A document end marker alone is fine. */
	rb_doc *doc = load_ok("---\na: 1\n...\n");
	check_scalar(rb_map_get(doc->root, "a"), "1", RB_SCALAR_PLAIN, 2, 4);
	rb_doc_free(doc);
}
END_TEST

/* ------------------------------------------------------------------------
 * Limits
 * ------------------------------------------------------------------------ */

START_TEST(test_limit_file_size)
{
	rb_limits lim = rb_limits_default;
	lim.file_size = 10;
	/* The position is that of the first byte beyond the limit. */
	expect_err_lim("a: 1234567890\n", &lim, RULEBOOK_ERR_LIMIT,
		       "larger than the file size limit (10 bytes)", 1, 11);
	lim.file_size = 5;
	expect_err_lim("ab\ncdef\n", &lim, RULEBOOK_ERR_LIMIT, "file size limit (5 bytes)", 2, 3);
	/* Checked before anything else, even a NUL byte. */
	static const char nul[] = "a: \0 more text";
	expect_err_n(nul, sizeof(nul) - 1, &lim, RULEBOOK_ERR_LIMIT, "file size limit", 1, 6);
	/* Exactly at the limit is fine; the byte order mark counts. */
	lim.file_size = 4;
	rb_doc *doc = load_ok_n("a: 1", 4, &lim);
	rb_doc_free(doc);
	expect_err_lim("\xEF\xBB\xBF" "a: 1", &lim, RULEBOOK_ERR_LIMIT, "file size limit", 1, 2);
}
END_TEST

START_TEST(test_limit_depth)
{
	rb_limits lim = rb_limits_default;
	lim.depth = 3;
	rb_doc *doc = load_ok_n("a: [[x]]", 8, &lim);
	rb_doc_free(doc);
	expect_err_lim("a: [[[x]]]", &lim, RULEBOOK_ERR_LIMIT,
		       "document nests deeper than the depth limit (3)", 1, 6);
	expect_err_lim("a:\n  b:\n    c:\n      d: 1\n", &lim, RULEBOOK_ERR_LIMIT, "depth limit (3)",
		       4, 7);
	/* An alias repeats its subtree where it stands. */
	doc = load_ok_n("a: &x [y]\nb: [*x]\n", 18, &lim);
	rb_doc_free(doc);
	expect_err_lim("a: &x [[y]]\nb: [*x]\n", &lim, RULEBOOK_ERR_LIMIT, "depth limit (3)", 2, 5);
}
END_TEST

START_TEST(test_limit_depth_default)
{
	/* 64 levels load; 65 fail at the 65th bracket. */
	char s[20002];
	memset(s, '[', 64);
	memset(s + 64, ']', 64);
	rb_doc *doc = load_ok_n(s, 128, NULL);
	const rb_node *n = doc->root;
	int depth = 0;
	while (n->kind == RB_NODE_SEQ) {
		depth++;
		if (!n->count)
			break;
		n = n->items[0];
	}
	ck_assert_int_eq(depth, 64);
	rb_doc_free(doc);

	/* 10000 deep: a clean limit error, not a stack overflow. */
	memset(s, '[', 10000);
	memset(s + 10000, ']', 10000);
	expect_err_n(s, 20000, NULL, RULEBOOK_ERR_LIMIT,
		     "document nests deeper than the depth limit (64)", 1, 65);
	/* Unclosed, and in block style. */
	expect_err_n(s, 10000, NULL, RULEBOOK_ERR_LIMIT, "depth limit (64)", 1, 65);
	sbuf b = {0};
	for (int i = 0; i < 10000; i++)
		sb_add(&b, "- ");
	sb_add(&b, "x\n");
	expect_err_n(b.p, b.len, NULL, RULEBOOK_ERR_LIMIT, "depth limit (64)", 1, 129);
	free(b.p);
}
END_TEST

START_TEST(test_limit_scalar)
{
	rb_limits lim = rb_limits_default;
	lim.scalar = 4;
	rb_doc *doc = load_ok_n("a: abcd\n", 8, &lim);
	rb_doc_free(doc);
	expect_err_lim("a: abcd\nb: abcde\n", &lim, RULEBOOK_ERR_LIMIT,
		       "scalar is longer than the scalar limit (4 bytes)", 2, 4);
	expect_err_lim("a: |\n  ab\n  c\n", &lim, RULEBOOK_ERR_LIMIT, "scalar limit (4 bytes)", 1, 4);
	/* Bytes, not characters: 名称 is 6 bytes. */
	expect_err_lim("- 名称\n", &lim, RULEBOOK_ERR_LIMIT, "scalar limit", 1, 3);
	/* Keys are scalars too. */
	expect_err_lim("abcdef: 1\n", &lim, RULEBOOK_ERR_LIMIT, "scalar limit", 1, 1);
}
END_TEST

START_TEST(test_limit_nodes)
{
	rb_limits lim = rb_limits_default;
	lim.nodes = 5;
	rb_doc *doc = load_ok_n("[1, 2, 3, 4]", 12, &lim);
	rb_doc_free(doc);
	expect_err_lim("[1, 2, 3, 4, 5]", &lim, RULEBOOK_ERR_LIMIT,
		       "document has more nodes than the node limit (5)", 1, 14);
	/* The alias counts the 3 nodes it repeats: 1 + 1 + 3 + 1 + 3 = 9. */
	lim.nodes = 9;
	doc = load_ok_n("a: &x [1, 2]\nb: *x\n", 19, &lim);
	rb_doc_free(doc);
	lim.nodes = 8;
	expect_err_lim("a: &x [1, 2]\nb: *x\n", &lim, RULEBOOK_ERR_LIMIT,
		       "alias expansion exceeds the node limit (8)", 2, 4);
}
END_TEST

START_TEST(test_billion_laughs)
{
	/* 9 levels of 10 aliases each: 10^9 nodes if expanded. Each level is
	 * 1 + 10 * (previous) nodes: a=11, b=111, ..., e=111111. Before f the
	 * count is 123462 (root, keys and a..e); f's sequence makes 123463, and
	 * its 8th *e brings it past 1000000. */
	static const char *names = "abcdefghi";
	sbuf b = {0};
	sb_add(&b, "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
	for (int i = 1; i < 9; i++) {
		char line[128];
		char p = names[i - 1], c = names[i];
		snprintf(line, sizeof(line),
			 "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", c, c, p, p,
			 p, p, p, p, p, p, p, p);
		sb_add(&b, line);
	}
	double t0 = now();
	/* "f: &f [" is 7 bytes and each "*e, " 4: the 8th alias is at column 36. */
	expect_err_n(b.p, b.len, NULL, RULEBOOK_ERR_LIMIT,
		     "alias expansion exceeds the node limit (1000000)", 6, 36);
	double t = now() - t0;
	ck_assert_msg(t < 0.5, "billion laughs took %.3f s", t);
	free(b.p);
}
END_TEST

/* ------------------------------------------------------------------------
 * Arguments, names, errors without an error object
 * ------------------------------------------------------------------------ */

START_TEST(test_arguments)
{
	rulebook_error *err = rulebook_error_new();
	ck_assert_int_eq(rb_yaml_load("a: 1", 4, "x", NULL, NULL, err), RULEBOOK_ERR_INVALID);
	rb_doc *doc = NULL;
	rulebook_error_clear(err);
	ck_assert_int_eq(rb_yaml_load(NULL, 3, "x", NULL, &doc, err), RULEBOOK_ERR_INVALID);
	ck_assert_ptr_null(doc);

	/* No name: diagnostics say "<buffer>". */
	rulebook_error_clear(err);
	ck_assert_int_eq(rb_yaml_load("a: [", 4, NULL, NULL, &doc, err), RULEBOOK_ERR_SYNTAX);
	ck_assert_str_eq(rulebook_error_file(err, 0), "<buffer>");
	ck_assert_uint_eq(rulebook_error_line(err, 0), 1);
	ck_assert_uint_eq(rulebook_error_column(err, 0), 5);
	ck_assert_int_eq(rb_yaml_load("a: 1", 4, NULL, NULL, &doc, NULL), RULEBOOK_OK);
	ck_assert_str_eq(doc->name, "<buffer>");
	ck_assert_str_eq(doc->root->pairs[0].key->pos.file, "<buffer>");
	rb_doc_free(doc);

	/* Errors without an error object still return the status. */
	ck_assert_int_eq(rb_yaml_load("a: [", 4, "x", NULL, &doc, NULL), RULEBOOK_ERR_SYNTAX);
	ck_assert_int_eq(rb_yaml_load("a: 1\na: 2", 9, "x", NULL, &doc, NULL), RULEBOOK_ERR_SCHEMA);
	ck_assert_int_eq(rb_yaml_load("\xff", 1, "x", NULL, &doc, NULL), RULEBOOK_ERR_SYNTAX);
	ck_assert_ptr_null(doc);

	/* Input need not be NUL-terminated: only len bytes are read. */
	char buf[8] = {'a', ':', ' ', '1', '2', 'x', 'y', 'z'};
	ck_assert_int_eq(rb_yaml_load(buf, 5, "x", NULL, &doc, NULL), RULEBOOK_OK);
	ck_assert_str_eq(rb_map_get(doc->root, "a")->text, "12");
	ck_assert_str_eq(doc->source, "a: 12");
	rb_doc_free(doc);
	rulebook_error_free(err);
}
END_TEST

/* ------------------------------------------------------------------------
 * Allocation failure
 * ------------------------------------------------------------------------ */

typedef struct fail_alloc {
	long calls;     /* allocations (malloc and realloc) so far */
	long fail_at;   /* fail this call; 0 never */
	long live;      /* blocks not yet freed */
} fail_alloc;

static void *fa_malloc(size_t n, void *payload)
{
	fail_alloc *fa = payload;
	if (++fa->calls == fa->fail_at)
		return NULL;
	void *p = malloc(n);
	if (p)
		fa->live++;
	return p;
}

static void *fa_realloc(void *p, size_t n, void *payload)
{
	fail_alloc *fa = payload;
	if (++fa->calls == fa->fail_at)
		return NULL;
	return realloc(p, n);
}

static void fa_free(void *p, void *payload)
{
	fail_alloc *fa = payload;
	if (p)
		fa->live--;
	free(p);
}

/* Load src failing the 1st, 2nd, ... allocation until a load succeeds;
 * every failure must be a clean out-of-memory error that leaks nothing.
 * Returns the number of allocations of the successful load. */
static long fail_each_allocation(const char *src, rulebook_status final_status)
{
	fail_alloc fa = {0, 0, 0};
	rulebook_set_allocator(fa_malloc, fa_realloc, fa_free, &fa);
	long n;
	for (n = 1;; n++) {
		fa.fail_at = 0;
		rulebook_error *err = rulebook_error_new();
		ck_assert_ptr_nonnull(err);
		fa.calls = 0;
		fa.fail_at = n;
		rb_doc *doc = NULL;
		rulebook_status st = rb_yaml_load(src, strlen(src), "t.yaml", NULL, &doc, err);
		int failed = fa.calls >= n;
		fa.fail_at = 0;
		if (!failed) {
			ck_assert_int_eq(st, final_status);
			if (st == RULEBOOK_OK) {
				ck_assert_ptr_nonnull(doc);
				ck_assert_ptr_nonnull(doc->root);
			} else {
				ck_assert_int_eq(rulebook_error_status(err), final_status);
			}
			rb_doc_free(doc);
			rulebook_error_free(err);
			ck_assert_int_eq(fa.live, 0);
			break;
		}
		ck_assert_msg(st == RULEBOOK_ERR_NOMEM || st == final_status,
			      "allocation %ld failed: status %d", n, (int)st);
		if (st == RULEBOOK_ERR_NOMEM) {
			ck_assert_ptr_null(doc);
			ck_assert_int_eq(rulebook_error_status(err), RULEBOOK_ERR_NOMEM);
		}
		rb_doc_free(doc);
		rulebook_error_free(err);
		ck_assert_msg(fa.live == 0, "allocation %ld failed: %ld blocks leaked", n, fa.live);
	}
	rulebook_set_allocator(NULL, NULL, NULL, NULL);
	return n;
}

START_TEST(test_alloc_failure)
{
	/* Big enough to need several arena blocks, anchors, a sorted mapping
	 * and a growing build stack. */
	sbuf b = {0};
	sb_add(&b, "id: rb\nbase: &b {x: 1, y: [a, b, c]}\nuse: [*b, *b]\nwide:\n");
	char line[64];
	for (int i = 0; i < 40; i++) {
		snprintf(line, sizeof(line), "  k%d: &a%d [v%d, 'w', \"x\"]\n", i, i, i);
		sb_add(&b, line);
	}
	sb_add(&b, "again: [*a1, *a39]\ntext: |\n");
	for (int i = 0; i < 400; i++)
		sb_add(&b, "  a long line of text to fill the arena beyond one block\n");
	long n = fail_each_allocation(b.p, RULEBOOK_OK);
	ck_assert_int_gt(n, 5);

	/* Error paths under allocation failure. */
	fail_each_allocation("a: 1\nb: [1, 2\n", RULEBOOK_ERR_SYNTAX);
	fail_each_allocation("a: 1\na: 2\n", RULEBOOK_ERR_SCHEMA);
	fail_each_allocation("a: &x [1]\nb: *y\n", RULEBOOK_ERR_SYNTAX);
	fail_each_allocation("a: !foo 1\n", RULEBOOK_ERR_SCHEMA);
	fail_each_allocation("", RULEBOOK_ERR_SCHEMA);
	fail_each_allocation("a: \xff", RULEBOOK_ERR_SYNTAX);

	/* A duplicate in a mapping big enough to be sorted. */
	b.len = 0;
	for (int i = 0; i < 30; i++) {
		snprintf(line, sizeof(line), "k%d: %d\n", i % 29, i);
		sb_add(&b, line);
	}
	fail_each_allocation(b.p, RULEBOOK_ERR_SCHEMA);
	free(b.p);
}
END_TEST

static Suite *load_suite(void)
{
	Suite *s = suite_create("load");
	TCase *tc = tcase_create("tree");
	tcase_add_test(tc, test_basic_map);
	tcase_add_test(tc, test_scalars_are_text);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_positions_bytes);
	tcase_add_test(tc, test_crlf);
	tcase_add_test(tc, test_bom);
	tcase_add_test(tc, test_aliases_share);
	tcase_add_test(tc, test_alias_errors);
	tcase_add_test(tc, test_map_get);
	tcase_add_test(tc, test_tags);
	suite_add_tcase(s, tc);

	tc = tcase_create("malformed");
	tcase_add_test(tc, test_syntax_errors);
	tcase_add_test(tc, test_tabs);
	tcase_add_test(tc, test_nul);
	tcase_add_test(tc, test_utf8);
	tcase_add_test(tc, test_unicode_breaks);
	suite_add_tcase(s, tc);

	tc = tcase_create("keys");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_duplicate_keys);
	tcase_add_test(tc, test_duplicate_keys_large);
	tcase_add_test(tc, test_non_scalar_keys);
	tcase_add_test(tc, test_merge_key);
	suite_add_tcase(s, tc);

	tc = tcase_create("documents");
	tcase_add_test(tc, test_empty_document);
	tcase_add_test(tc, test_multiple_documents);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_limit_file_size);
	tcase_add_test(tc, test_limit_depth);
	tcase_add_test(tc, test_limit_depth_default);
	tcase_add_test(tc, test_limit_scalar);
	tcase_add_test(tc, test_limit_nodes);
	tcase_add_test(tc, test_billion_laughs);
	suite_add_tcase(s, tc);

	tc = tcase_create("api");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_arguments);
	tcase_add_test(tc, test_alloc_failure);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(load_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
