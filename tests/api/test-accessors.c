/* Titles, cites, units and responsible units of rules, targets, scorecards
 * and aggregates, read from a small rulebook written here. */
#include "common.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static const char *const yaml =
	"rulebook: 1\n"
	"id: api.accessors\n"
	"title: {zh: 访问函数, en: accessors}\n"
	"subject: district\n"
	"source: {issuer: 测试区, document: 测试, issued: 2022-01-01}\n"
	"inputs:\n"
	"  - {id: area, type: number, unit: 亩}\n"
	"  - {id: industrial, type: boolean}\n"
	"  - {id: freed, type: number, unit: 亩}\n"
	"rules:\n"
	"  - {id: R1, cite: 一, title: {zh: 面积为正, en: positive area}, require: area > 0}\n"
	"  - {id: R2, cite: 二, require: area < 1000}\n"
	"targets:\n"
	"  - {id: T1, cite: 二, title: {en: freed land}, measure: freed, target: 4000, unit: 亩,\n"
	"     period: yearly}\n"
	"scorecards:\n"
	"  - id: S1\n"
	"    cite: 四（四）\n"
	"    title: {zh: 评分}\n"
	"    components: [{id: a, value: area, benchmark: 10, weight: 1}]\n"
	"    classes: [{id: A, min: 1}, {id: B}]\n"
	"aggregates:\n"
	"  - {id: G1, cite: 四（二）, title: {zh: 工业用地占比}, responsible: [区经信局, 区规划局],\n"
	"     measure: share, value: area, where: industrial, unit: 亩}\n"
	"  - {id: G2, cite: 四（二）, measure: sum, value: area, unit: 亩}\n";

START_TEST(test_titles)
{
	rulebook *rb = load_str(yaml);
	ck_assert_str_eq(rulebook_rule_title(rb, 0, "zh"), "面积为正");
	ck_assert_str_eq(rulebook_rule_title(rb, 0, "en"), "positive area");
	ck_assert_ptr_null(rulebook_rule_title(rb, 1, "zh"));
	ck_assert_ptr_null(rulebook_rule_title(rb, 2, "zh"));
	/* only English given: Chinese falls back to it */
	ck_assert_str_eq(rulebook_target_title(rb, 0, "zh"), "freed land");
	ck_assert_ptr_null(rulebook_target_title(rb, 1, "en"));
	ck_assert_str_eq(rulebook_scorecard_title(rb, 0, "en"), "评分");
	ck_assert_str_eq(rulebook_scorecard_cite(rb, 0), "四（四）");
	ck_assert_ptr_null(rulebook_scorecard_cite(rb, 1));
	ck_assert_str_eq(rulebook_aggregate_title(rb, 0, "zh"), "工业用地占比");
	ck_assert_ptr_null(rulebook_aggregate_title(rb, 1, "zh"));
	ck_assert_ptr_null(rulebook_rule_title(NULL, 0, "zh"));
	rulebook_free(rb);
}
END_TEST

START_TEST(test_aggregate_unit_and_responsible)
{
	rulebook *rb = load_str(yaml);
	/* a share is a ratio: no unit; a sum keeps the value's */
	ck_assert_str_eq(rulebook_aggregate_unit(rb, 0), "");
	ck_assert_str_eq(rulebook_aggregate_unit(rb, 1), "亩");
	ck_assert_ptr_null(rulebook_aggregate_unit(rb, 2));
	ck_assert_uint_eq(rulebook_aggregate_responsible_count(rb, 0), 2);
	ck_assert_str_eq(rulebook_aggregate_responsible(rb, 0, 0), "区经信局");
	ck_assert_str_eq(rulebook_aggregate_responsible(rb, 0, 1), "区规划局");
	ck_assert_ptr_null(rulebook_aggregate_responsible(rb, 0, 2));
	ck_assert_uint_eq(rulebook_aggregate_responsible_count(rb, 1), 0);
	ck_assert_uint_eq(rulebook_aggregate_responsible_count(NULL, 0), 0);
	rulebook_free(rb);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("accessors");
	TCase *tc = tcase_create("accessors");
	tcase_add_test(tc, test_titles);
	tcase_add_test(tc, test_aggregate_unit_and_responsible);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
