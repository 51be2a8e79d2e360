/* The names an input's column may have in data files: rulebook_input_label,
 * rulebook_input_alias_count, rulebook_input_alias (`aliases:`), and the
 * record id column (`id_column:`, rulebook_id_column_count and
 * rulebook_id_column), inherited through `extends`. */
#include "common.h"

#include <stdlib.h>
#include <string.h>

#define INPUTS                                                                             \
	HDR "id_column: [统一社会信用代码, 企业名称]\n"                                    \
	    "inputs:\n"                                                                    \
	    "  - {id: tax, type: number, unit: 万元, label: {zh: 实缴税收, en: tax paid},\n" \
	    "     aliases: [税收实缴, 'tax (total)']}\n"                                    \
	    "  - {id: land_area, type: number, unit: 亩, label: {zh: 用地面积},\n"         \
	    "     aliases: 实际使用用地面积}\n"                                             \
	    "  - {id: employees, type: integer, label: {en: staff}}\n"                       \
	    "  - {id: note, type: text}\n"

START_TEST(test_labels)
{
	rulebook *rb = load_str(INPUTS);
	ck_assert_str_eq(rulebook_input_label(rb, 0, "zh"), "实缴税收");
	ck_assert_str_eq(rulebook_input_label(rb, 0, "en"), "tax paid");
	ck_assert_str_eq(rulebook_input_label(rb, 0, NULL), "实缴税收");
	/* a missing translation falls back to the other */
	ck_assert_str_eq(rulebook_input_label(rb, 1, "en"), "用地面积");
	ck_assert_str_eq(rulebook_input_label(rb, 2, "zh"), "staff");
	ck_assert_ptr_null(rulebook_input_label(rb, 3, "zh"));
	ck_assert_ptr_null(rulebook_input_label(rb, 4, "zh"));
	ck_assert_ptr_null(rulebook_input_label(NULL, 0, "zh"));
	rulebook_free(rb);
}
END_TEST

START_TEST(test_aliases)
{
	rulebook *rb = load_str(INPUTS);
	ck_assert_uint_eq(rulebook_input_alias_count(rb, 0), 2);
	ck_assert_str_eq(rulebook_input_alias(rb, 0, 0), "税收实缴");
	ck_assert_str_eq(rulebook_input_alias(rb, 0, 1), "tax (total)");
	ck_assert_ptr_null(rulebook_input_alias(rb, 0, 2));
	/* one name without a list */
	ck_assert_uint_eq(rulebook_input_alias_count(rb, 1), 1);
	ck_assert_str_eq(rulebook_input_alias(rb, 1, 0), "实际使用用地面积");
	ck_assert_uint_eq(rulebook_input_alias_count(rb, 2), 0);
	ck_assert_ptr_null(rulebook_input_alias(rb, 2, 0));
	ck_assert_uint_eq(rulebook_input_alias_count(rb, 9), 0);
	ck_assert_ptr_null(rulebook_input_alias(rb, 9, 0));
	ck_assert_uint_eq(rulebook_input_alias_count(NULL, 0), 0);
	ck_assert_ptr_null(rulebook_input_alias(NULL, 0, 0));
	rulebook_free(rb);
}
END_TEST

START_TEST(test_id_column)
{
	rulebook *rb = load_str(INPUTS);
	ck_assert_uint_eq(rulebook_id_column_count(rb), 2);
	ck_assert_str_eq(rulebook_id_column(rb, 0), "统一社会信用代码");
	ck_assert_str_eq(rulebook_id_column(rb, 1), "企业名称");
	ck_assert_ptr_null(rulebook_id_column(rb, 2));
	rulebook_free(rb);
	rb = load_str(HDR "id_column: 项目代码\ninputs:\n  - {id: a, type: number}\n");
	ck_assert_uint_eq(rulebook_id_column_count(rb), 1);
	ck_assert_str_eq(rulebook_id_column(rb, 0), "项目代码");
	rulebook_free(rb);
	rb = load_str(HDR "inputs:\n  - {id: a, type: number}\n");
	ck_assert_uint_eq(rulebook_id_column_count(rb), 0);
	ck_assert_ptr_null(rulebook_id_column(rb, 0));
	rulebook_free(rb);
	ck_assert_uint_eq(rulebook_id_column_count(NULL), 0);
	ck_assert_ptr_null(rulebook_id_column(NULL, 0));
}
END_TEST

static rulebook_status parent_source(const char *name, size_t name_len, const char **data,
				     size_t *len, void *payload)
{
	(void)name_len;
	(void)payload;
	static const char parent[] =
		"rulebook: 1\nid: p\ntitle: {zh: 省级}\nsubject: enterprise\n"
		"source: {issuer: 省, document: 文件, issued: 2021-01-01}\n"
		"id_column: 统一社会信用代码\n"
		"inputs:\n  - {id: tax, type: number, unit: 万元, aliases: [实缴税收]}\n";
	if (strcmp(name, "p") != 0)
		return RULEBOOK_ERR_NOT_FOUND;
	*data = parent;
	*len = strlen(parent);
	return RULEBOOK_OK;
}

START_TEST(test_inherited)
{
	static const char child[] =
		"rulebook: 1\nid: c\ntitle: {zh: 区级}\nsubject: enterprise\n"
		"source: {issuer: 区, document: 文件, issued: 2022-01-01}\nextends: p\n"
		"inputs:\n  - {id: rd, type: number, unit: 万元, aliases: 研发费用}\n";
	rulebook_options *opts = rulebook_options_new();
	rulebook_error *err = rulebook_error_new();
	ck_assert_int_eq(rulebook_options_set_resolver(opts, parent_source, NULL), RULEBOOK_OK);
	rulebook *rb = NULL;
	ck_assert_int_eq(rulebook_load_buffer(child, strlen(child), "c", opts, &rb, err),
			 RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_id_column_count(rb), 1);
	ck_assert_str_eq(rulebook_id_column(rb, 0), "统一社会信用代码");
	size_t tax, rd;
	ck_assert_int_eq(rulebook_input_index(rb, "tax", 3, &tax), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_input_index(rb, "rd", 2, &rd), RULEBOOK_OK);
	ck_assert_str_eq(rulebook_input_alias(rb, tax, 0), "实缴税收");
	ck_assert_str_eq(rulebook_input_alias(rb, rd, 0), "研发费用");
	rulebook_free(rb);
	rulebook_options_free(opts);
	rulebook_error_free(err);
}
END_TEST

START_TEST(test_errors)
{
	expect_load_error(HDR "inputs:\n  - {id: a, type: number, aliases: {x: 1}}\n",
			  RULEBOOK_ERR_SCHEMA, "an alias must be a name or a list of names, not a mapping",
			  7, 36);
	expect_load_error(HDR "inputs:\n  - {id: a, type: number, aliases: []}\n",
			  RULEBOOK_ERR_SCHEMA, "an alias must not be an empty list", 7, 36);
	expect_load_error(HDR "inputs:\n  - {id: a, type: number, aliases: [x, '']}\n",
			  RULEBOOK_ERR_SCHEMA, "an alias must not be empty", 7, 40);
	expect_load_error(HDR "id_column: [a, [b]]\n", RULEBOOK_ERR_SCHEMA,
			  "id_column must be a scalar, not a list", 6, 16);
}
END_TEST

static Suite *columns_suite(void)
{
	Suite *s = suite_create("columns");
	TCase *tc = tcase_create("columns");
	tcase_add_test(tc, test_labels);
	tcase_add_test(tc, test_aliases);
	tcase_add_test(tc, test_id_column);
	tcase_add_test(tc, test_inherited);
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(columns_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
