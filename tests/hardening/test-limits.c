/* Every limit of rulebook_options, set to exactly what a small rulebook
 * needs (it loads) and to one less (RULEBOOK_ERR_LIMIT, with a message that
 * names the limit, at the position where it was exceeded). The figures of
 * the document below are counted by hand in the comments. */
#include <rulebook.h>

#include <check.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* 196 bytes. Nodes: the root mapping 1; rulebook, id, title, subject with
 * their values 8; source 1 + its mapping 1 + 3 pairs 6 = 8; inputs 1 + list
 * 1 + mapping 1 + id/x 2 + type/enum 2 + values 1 + list 1 + a, b 2 = 11;
 * rules 1 + list 1 + mapping 1 + 3 pairs 6 = 9; 37 in all, the last the
 * expression at 11:14. Nesting: root, inputs list, its mapping, values list
 * (7:33) = 4. Longest scalar: the expression, 12 bytes. Expression: 2
 * levels of parentheses. Names: input x and rule R = 2. */
static const char doc[] =
	"rulebook: 1\n"                                            /* 12, 12 */
	"id: lim\n"                                                /* 8, 20 */
	"title: t\n"                                               /* 9, 29 */
	"subject: s\n"                                             /* 11, 40 */
	"source: {issuer: i, document: d, issued: 2022-05-19}\n"   /* 53, 93 */
	"inputs:\n"                                                /* 8, 101 */
	"  - {id: x, type: enum, values: [a, b]}\n"                /* 40, 141 */
	"rules:\n"                                                 /* 7, 148 */
	"  - id: R\n"                                              /* 10, 158 */
	"    cite: c\n"                                            /* 12, 170 */
	"    require: ((x == \"a\"))\n";                           /* 26, 196 */

typedef struct limit_case {
	rulebook_limit limit;
	uint64_t need;          /* the least value that lets doc load */
	const char *message;    /* with the limit set to need - 1 */
	uint32_t line, col;
} limit_case;

static const limit_case cases[] = {
	{RULEBOOK_LIMIT_FILE_SIZE, 196, "document is larger than the file size limit (195 bytes)", 11, 26},
	{RULEBOOK_LIMIT_DEPTH, 4, "document nests deeper than the depth limit (3)", 7, 33},
	{RULEBOOK_LIMIT_NODES, 37, "document has more nodes than the node limit (36)", 11, 14},
	{RULEBOOK_LIMIT_SCALAR, 12, "scalar is longer than the scalar limit (11 bytes)", 11, 14},
	{RULEBOOK_LIMIT_EXPR_DEPTH, 2, "expression nests deeper than the limit (1)", 11, 15},
	{RULEBOOK_LIMIT_EXPR_LENGTH, 12, "expression longer than the limit (11 bytes)", 11, 14},
	{RULEBOOK_LIMIT_NAMES, 2, "the rulebook defines 2 names and rules, more than the names limit (1)", 1, 1},
	/* the root mapping's 7 keys are the most entries of any collection */
	{RULEBOOK_LIMIT_ITEMS, 7, "mapping has 7 entries, more than the items limit (6)", 1, 1},
	/* a buffer is the whole chain when it extends nothing */
	{RULEBOOK_LIMIT_CHAIN_SIZE, 196,
	 "the files of the extends chain (up to lim.yaml) are larger than the chain size limit "
	 "(195 bytes)", 0, 0},
};

static rulebook_status load(const rulebook_options *opts, rulebook_error *err)
{
	rulebook *rb = (rulebook *)err;
	rulebook_status st = rulebook_load_buffer(doc, sizeof doc - 1, "lim.yaml", opts, &rb, err);
	ck_assert(st == RULEBOOK_OK ? rb != NULL : rb == NULL);
	rulebook_free(rb);
	return st;
}

START_TEST(test_limit)
{
	const limit_case *c = &cases[_i];
	ck_assert_uint_eq(sizeof doc - 1, 196);
	rulebook_options *opts = rulebook_options_new();
	rulebook_error *err = rulebook_error_new();
	ck_assert_int_eq(rulebook_options_set_limit(opts, c->limit, c->need), RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_options_get_limit(opts, c->limit), c->need);
	rulebook_status st = load(opts, err);
	ck_assert_msg(st == RULEBOOK_OK, "limit %d at %llu: %s", (int)c->limit,
		      (unsigned long long)c->need, rulebook_error_message(err, 0));

	ck_assert_int_eq(rulebook_options_set_limit(opts, c->limit, c->need - 1), RULEBOOK_OK);
	ck_assert_int_eq(load(opts, err), RULEBOOK_ERR_LIMIT);
	ck_assert_uint_eq(rulebook_error_count(err), 1);
	ck_assert_str_eq(rulebook_error_message(err, 0), c->message);
	ck_assert_str_eq(rulebook_error_file(err, 0), "lim.yaml");
	ck_assert_uint_eq(rulebook_error_line(err, 0), c->line);
	ck_assert_uint_eq(rulebook_error_column(err, 0), c->col);

	/* 0 restores the default, under which the document loads. */
	ck_assert_int_eq(rulebook_options_set_limit(opts, c->limit, 0), RULEBOOK_OK);
	ck_assert_int_eq(load(opts, err), RULEBOOK_OK);
	rulebook_error_free(err);
	rulebook_options_free(opts);
}
END_TEST

START_TEST(test_file_size_limit_of_a_file)
{
	char path[] = "/tmp/rulebook-limit-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, doc, sizeof doc - 1), (ssize_t)(sizeof doc - 1));
	close(fd);
	rulebook_options *opts = rulebook_options_new();
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = NULL;
	ck_assert_int_eq(rulebook_options_set_limit(opts, RULEBOOK_LIMIT_FILE_SIZE, 196), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_load_file(path, opts, &rb, err), RULEBOOK_OK);
	rulebook_free(rb);
	rb = NULL;
	ck_assert_int_eq(rulebook_options_set_limit(opts, RULEBOOK_LIMIT_FILE_SIZE, 195), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_load_file(path, opts, &rb, err), RULEBOOK_ERR_LIMIT);
	ck_assert_ptr_null(rb);
	ck_assert_ptr_nonnull(strstr(rulebook_error_message(err, 0),
				     "is larger than the file size limit (195 bytes)"));
	ck_assert_str_eq(rulebook_error_file(err, 0), path);
	unlink(path);
	rulebook_error_free(err);
	rulebook_options_free(opts);
}
END_TEST

/* Diagnostics beyond RULEBOOK_LIMIT_DIAGNOSTICS are counted, not kept: 7
 * unknown keys with the limit at 3 give 3 errors and "and 4 more". */
START_TEST(test_diagnostics_limit)
{
	char text[1024] = "rulebook: 1\nid: d\ntitle: t\nsubject: s\n"
			  "source: {issuer: i, document: d, issued: 2022-05-19}\ninputs:\n";
	for (int i = 0; i < 7; i++)
		snprintf(text + strlen(text), sizeof text - strlen(text),
			 "  - {id: x%d, type: number, bogus: 1}\n", i);
	rulebook_options *opts = rulebook_options_new();
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = NULL;
	ck_assert_int_eq(rulebook_load_buffer(text, strlen(text), "d.yaml", opts, &rb, err),
			 RULEBOOK_ERR_SCHEMA);
	ck_assert_uint_eq(rulebook_error_count(err), 7);
	ck_assert_int_eq(rulebook_options_set_limit(opts, RULEBOOK_LIMIT_DIAGNOSTICS, 3), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_load_buffer(text, strlen(text), "d.yaml", opts, &rb, err),
			 RULEBOOK_ERR_SCHEMA);
	ck_assert_ptr_null(rb);
	ck_assert_uint_eq(rulebook_error_count(err), 4);
	for (size_t i = 0; i < 3; i++) {
		ck_assert_ptr_nonnull(strstr(rulebook_error_message(err, i), "unknown key 'bogus'"));
		ck_assert_uint_eq(rulebook_error_line(err, i), 7 + i);
	}
	ck_assert_str_eq(rulebook_error_message(err, 3), "and 4 more diagnostics (at most 3 are kept)");
	ck_assert_int_eq(rulebook_error_status_at(err, 3), RULEBOOK_ERR_SCHEMA);
	ck_assert_str_eq(rulebook_error_file(err, 3), "d.yaml");
	ck_assert_uint_eq(rulebook_error_line(err, 3), 0);
	/* one left out: singular */
	ck_assert_int_eq(rulebook_options_set_limit(opts, RULEBOOK_LIMIT_DIAGNOSTICS, 6), RULEBOOK_OK);
	rulebook_load_buffer(text, strlen(text), "d.yaml", opts, &rb, err);
	ck_assert_uint_eq(rulebook_error_count(err), 7);
	ck_assert_str_eq(rulebook_error_message(err, 6), "and 1 more diagnostic (at most 6 are kept)");
	/* a cleared error object starts counting again */
	rulebook_error_clear(err);
	ck_assert_uint_eq(rulebook_error_count(err), 0);
	rulebook_error_free(err);
	rulebook_options_free(opts);
}
END_TEST

/* 300 indicators, each using the one declared after it: the expression
 * depth of one indicator does not count against the ones it uses. */
START_TEST(test_indicators_in_reverse_order)
{
	size_t cap = 64 * 1024, len = 0;
	char *text = malloc(cap);
	ck_assert_ptr_nonnull(text);
	len += (size_t)snprintf(text, cap,
				"rulebook: 1\nid: r\ntitle: t\nsubject: s\n"
				"source: {issuer: i, document: d, issued: 2022-05-19}\n"
				"inputs:\n  - {id: x, type: number}\nindicators:\n");
	for (int i = 0; i < 300; i++)
		len += (size_t)snprintf(text + len, cap - len, "  - {id: v%d, expr: v%d + 1}\n", i, i + 1);
	len += (size_t)snprintf(text + len, cap - len,
				"  - {id: v300, expr: x}\nrules:\n  - {id: R, cite: c, require: v0 >= 300}\n");
	ck_assert_uint_lt(len, cap);
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = NULL;
	rulebook_status st = rulebook_load_buffer(text, len, "r.yaml", NULL, &rb, err);
	ck_assert_msg(st == RULEBOOK_OK, "%s", rulebook_error_message(err, 0));
	/* v0 = x + 300 */
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	ck_assert_int_eq(rulebook_facts_set_decimal(f, "x", "0", NULL), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_eval(rb, f, 20230101, res, err), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_result_verdict(res, 0), RULEBOOK_PASS);
	ck_assert_int_eq(rulebook_facts_set_decimal(f, "x", "-1", NULL), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_eval(rb, f, 20230101, res, err), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_result_verdict(res, 0), RULEBOOK_FAIL);
	rulebook_result_free(res);
	rulebook_facts_free(f);
	rulebook_free(rb);
	/* a cycle through the chain is still found, at the indicator it returns to */
	char *last = strstr(text, "  - {id: v300, expr: x}");
	ck_assert_ptr_nonnull(last);
	memmove(last + 24, last + 23, strlen(last + 23) + 1);
	memcpy(last, "  - {id: v300, expr: v0}", 24);
	ck_assert_int_eq(rulebook_load_buffer(text, len + 1, "r.yaml", NULL, &rb, err),
			 RULEBOOK_ERR_CYCLE);
	ck_assert_str_eq(rulebook_error_message(err, 0),
			 "indicator 'v0' depends on itself through its expression");
	ck_assert_uint_eq(rulebook_error_line(err, 0), 9);
	ck_assert_uint_eq(rulebook_error_column(err, 0), 10);
	free(text);
	rulebook_error_free(err);
}
END_TEST

START_TEST(test_defaults)
{
	/* The defaults documented in docs/reliability.md. */
	static const uint64_t want[] = {64u << 20, 64, 1000000, 1u << 20, 64,
					16384, 100000, 100000, 64u << 20, 1000, 10000};
	rulebook_options *opts = rulebook_options_new();
	for (int l = RULEBOOK_LIMIT_FILE_SIZE; l <= RULEBOOK_LIMIT_LIST_LENGTH; l++) {
		ck_assert_uint_eq(rulebook_options_get_limit(opts, (rulebook_limit)l), want[l]);
		ck_assert_uint_eq(rulebook_options_get_limit(NULL, (rulebook_limit)l), want[l]);
	}
	ck_assert_uint_eq(rulebook_options_get_limit(opts, (rulebook_limit)11), 0);
	ck_assert_int_eq(rulebook_options_set_limit(opts, (rulebook_limit)11, 1), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_options_set_limit(opts, (rulebook_limit)-1, 1), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_options_set_limit(NULL, RULEBOOK_LIMIT_DEPTH, 1), RULEBOOK_ERR_INVALID);
	rulebook_options_free(opts);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("limits");
	TCase *tc = tcase_create("limits");
	tcase_add_loop_test(tc, test_limit, 0, sizeof cases / sizeof cases[0]);
	tcase_add_test(tc, test_file_size_limit_of_a_file);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_diagnostics_limit);
	tcase_add_test(tc, test_indicators_in_reverse_order);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
