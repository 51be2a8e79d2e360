/* Items of a rulebook alike (rulebook_item_*): ids, the names each uses,
 * where each is defined, and its canonical definition, which ignores
 * layout, key order and comments but not a changed expression. */
#include "common.h"

#include <string.h>

#define ITEMS(require, extra)                                                                  \
	HDR                                                                                    \
	"inputs:\n"                                                                            \
	"  - {id: tax, type: number, unit: 万元}\n"                                            \
	"  - {id: land_area, type: number, unit: 亩}\n"                                        \
	"parameters:\n"                                                                        \
	"  - {id: min_mu_tax, unit: 万元/亩, cite: 二, provenance: cited, value: 37}\n"       \
	"indicators:\n"                                                                        \
	"  - {id: mu_tax, expr: tax / land_area, unit: 万元/亩}\n"                            \
	"rules:\n"                                                                             \
	"  - id: R1\n"                                                                         \
	"    cite: 二\n" extra                                                                 \
	"    require: " require "\n"                                                       \
	"  - {id: R2, cite: 三, require: land_area >= 10}\n"

START_TEST(test_items)
{
	rulebook *rb = load_str(ITEMS("mu_tax >= min_mu_tax", ""));
	ck_assert_uint_eq(rulebook_item_count(rb, RULEBOOK_ITEM_RULE), 2);
	ck_assert_uint_eq(rulebook_item_count(rb, RULEBOOK_ITEM_INDICATOR), 1);
	ck_assert_uint_eq(rulebook_item_count(rb, RULEBOOK_ITEM_TARGET), 0);
	ck_assert_str_eq(rulebook_item_id(rb, RULEBOOK_ITEM_RULE, 1), "R2");
	ck_assert_str_eq(rulebook_item_id(rb, RULEBOOK_ITEM_INDICATOR, 0), "mu_tax");
	/* R1 uses the indicator, what the indicator uses, and the parameter */
	size_t n = rulebook_item_uses_count(rb, RULEBOOK_ITEM_RULE, 0);
	ck_assert_uint_eq(n, 4);
	const char *want[] = {"tax", "land_area", "mu_tax", "min_mu_tax"};
	for (size_t k = 0; k < 4; k++) {
		int found = 0;
		for (size_t j = 0; j < n; j++)
			found += strcmp(rulebook_item_uses(rb, RULEBOOK_ITEM_RULE, 0, j), want[k]) == 0;
		ck_assert_msg(found == 1, "%s used %d times", want[k], found);
	}
	ck_assert_ptr_null(rulebook_item_uses(rb, RULEBOOK_ITEM_RULE, 0, 4));
	ck_assert_uint_eq(rulebook_item_uses_count(rb, RULEBOOK_ITEM_RULE, 1), 1);
	/* HDR is 5 lines; inputs 6-8, parameters 9-10, indicators 11-12,
	 * rules: 13, R1's id on line 14, R2 on line 17 */
	ck_assert_str_eq(rulebook_item_file(rb, RULEBOOK_ITEM_RULE, 0), "t.yaml");
	ck_assert_uint_eq(rulebook_item_line(rb, RULEBOOK_ITEM_RULE, 0), 14);
	ck_assert_uint_eq(rulebook_item_line(rb, RULEBOOK_ITEM_RULE, 1), 17);
	ck_assert_uint_eq(rulebook_item_line(rb, RULEBOOK_ITEM_INDICATOR, 0), 12);
	ck_assert_str_eq(rulebook_item_definition(rb, RULEBOOK_ITEM_RULE, 0),
			 "cite: 二\nid: R1\nrequire: mu_tax >= min_mu_tax\n");
	ck_assert_str_eq(rulebook_item_definition(rb, RULEBOOK_ITEM_INDICATOR, 0),
			 "expr: tax / land_area\nid: mu_tax\nunit: 万元/亩\n");

	/* A comment and the order of keys change nothing; the expression does. */
	rulebook *same = load_str(ITEMS("mu_tax >= min_mu_tax  # the plan's level", ""));
	ck_assert_str_eq(rulebook_item_definition(same, RULEBOOK_ITEM_RULE, 0),
			 rulebook_item_definition(rb, RULEBOOK_ITEM_RULE, 0));
	rulebook *other = load_str(ITEMS("mu_tax > min_mu_tax", ""));
	ck_assert_str_eq(rulebook_item_definition(other, RULEBOOK_ITEM_RULE, 0),
			 "cite: 二\nid: R1\nrequire: mu_tax > min_mu_tax\n");
	rulebook *titled = load_str(ITEMS("mu_tax >= min_mu_tax", "    title: {zh: 亩均税收}\n"));
	ck_assert_str_eq(rulebook_item_definition(titled, RULEBOOK_ITEM_RULE, 0),
			 "cite: 二\nid: R1\nrequire: mu_tax >= min_mu_tax\ntitle.zh: 亩均税收\n");

	/* NULL, unknown kinds and out of range */
	ck_assert_uint_eq(rulebook_item_count(NULL, RULEBOOK_ITEM_RULE), 0);
	ck_assert_uint_eq(rulebook_item_count(rb, (rulebook_item_kind)9), 0);
	ck_assert_ptr_null(rulebook_item_id(rb, RULEBOOK_ITEM_RULE, 2));
	ck_assert_ptr_null(rulebook_item_id(NULL, RULEBOOK_ITEM_RULE, 0));
	ck_assert_ptr_null(rulebook_item_file(rb, RULEBOOK_ITEM_TARGET, 0));
	ck_assert_uint_eq(rulebook_item_line(rb, (rulebook_item_kind)-1, 0), 0);
	ck_assert_ptr_null(rulebook_item_definition(rb, RULEBOOK_ITEM_AGGREGATE, 0));
	ck_assert_uint_eq(rulebook_item_uses_count(rb, RULEBOOK_ITEM_INDICATOR, 0), 0);
	ck_assert_uint_eq(rulebook_item_uses_count(NULL, RULEBOOK_ITEM_RULE, 0), 0);
	rulebook_free(titled);
	rulebook_free(other);
	rulebook_free(same);
	rulebook_free(rb);
}
END_TEST

/* A fold over a list and a table lookup are evaluated as parts of their
 * own, but the uses name only the inputs and parameters inside them. */
START_TEST(test_uses_inside_folds_and_lookups)
{
	rulebook *rb = load_str(HDR "inputs:\n"
				    "  - {id: heights, type: list, of: number}\n"
				    "  - {id: industry, type: integer}\n"
				    "  - {id: far, type: number}\n"
				    "parameters:\n"
				    "  - {id: tall, cite: 二, provenance: cited, value: 8}\n"
				    "tables:\n"
				    "  - id: far_min\n"
				    "    keys: industry\n"
				    "    cite: 表2\n"
				    "    provenance: cited\n"
				    "    rows:\n"
				    "      - {key: 13-16, value: 1.0}\n"
				    "rules:\n"
				    "  - {id: R1, cite: 二, require: 'all(h in heights where h <= tall)'}\n"
				    "  - {id: R2, cite: 二, require: 'far >= far_min[industry]'}\n");
	const char *r1[] = {"heights", "tall"}, *r2[] = {"far", "industry"};
	const char *const *want[] = {r1, r2};
	for (size_t r = 0; r < 2; r++) {
		size_t n = rulebook_item_uses_count(rb, RULEBOOK_ITEM_RULE, r);
		ck_assert_uint_eq(n, 2);
		for (size_t k = 0; k < 2; k++) {
			int found = 0;
			for (size_t j = 0; j < n; j++)
				found += strcmp(rulebook_item_uses(rb, RULEBOOK_ITEM_RULE, r, j),
						want[r][k]) == 0;
			ck_assert_msg(found == 1, "rule %zu: %s used %d times", r, want[r][k], found);
		}
		ck_assert_ptr_null(rulebook_item_uses(rb, RULEBOOK_ITEM_RULE, r, 2));
	}
	rulebook_free(rb);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("items");
	TCase *tc = tcase_create("items");
	tcase_add_test(tc, test_items);
	tcase_add_test(tc, test_uses_inside_folds_and_lookups);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
