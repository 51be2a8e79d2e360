/* JSON output: rulebook_result_json and rulebook_eval_json, read back with
 * a strict JSON reader (json-lite.c) and checked field by field against the
 * schema in docs/api.md. Uses fixtures/enterprise.yaml. */
#include "common.h"
#include "json-lite.h"

#include <stdlib.h>
#include <string.h>

static rulebook *rb;
static rulebook_facts *facts;
static rulebook_result *res;

static void setup(void)
{
	rb = load_fixture("enterprise.yaml");
	facts = rulebook_facts_new(rb);
	res = rulebook_result_new(rb);
}

static void teardown(void)
{
	rulebook_result_free(res);
	rulebook_facts_free(facts);
	rulebook_free(rb);
}

/* Evaluate json as of 2023-06-30 and parse the result's JSON output. */
static jv *result_json(const char *json, uint32_t flags)
{
	rulebook_facts_clear(facts);
	set_json(facts, json);
	eval_ok(rb, facts, 20230630, res);
	const char *out = NULL;
	size_t len = 0;
	ck_assert_int_eq(rulebook_result_json(res, flags, &out, &len), RULEBOOK_OK);
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(len, strlen(out));
	jv *v = json_parse(out, len);
	ck_assert_msg(v != NULL, "not well-formed JSON: %s", out);
	return v;
}

static void ck_text(const jv *v, const char *path, const char *want)
{
	const char *got = json_text(v, path);
	ck_assert_msg(got != NULL, "%s is absent or not a string/number", path);
	ck_assert_msg(strcmp(got, want) == 0, "%s is '%s', wanted '%s'", path, got, want);
}

static void ck_kind(const jv *v, const char *path, jkind kind)
{
	const jv *x = json_path(v, path);
	ck_assert_msg(x != NULL, "%s is absent", path);
	ck_assert_msg(x->kind == kind, "%s has kind %d, wanted %d", path, (int)x->kind, (int)kind);
}

static void ck_absent(const jv *v, const char *path)
{
	ck_assert_msg(json_path(v, path) == NULL, "%s should be absent", path);
}

static int json_equal(const jv *a, const jv *b)
{
	if (a->kind != b->kind || a->count != b->count || a->boolean != b->boolean)
		return 0;
	if ((a->text || b->text) && (!a->text || !b->text || strcmp(a->text, b->text) != 0))
		return 0;
	for (size_t i = 0; i < a->count; i++) {
		if (a->keys && strcmp(a->keys[i], b->keys[i]) != 0)
			return 0;
		if (!json_equal(a->items[i], b->items[i]))
			return 0;
	}
	return 1;
}

#define FAILING                                                                          \
	"{\"_id\": \"firm-1\", \"tax\": 984, \"land_area\": 30, \"is_key_chain_project\": false," \
	" \"energy\": 1300, \"converted_area\": 15, \"sector\": \"纺织\"}"

START_TEST(test_json_header)
{
	jv *v = result_json(FAILING, 0);
	ck_kind(v, "", J_OBJECT);
	ck_text(v, "rulebook/id", "test.enterprise");
	ck_text(v, "rulebook/subject", "enterprise");
	ck_text(v, "rulebook/hash", rulebook_hash(rb));
	const char *hash = json_text(v, "rulebook/hash");
	ck_assert_uint_eq(strlen(hash), 64);
	ck_assert_uint_eq(strspn(hash, "0123456789abcdef"), 64);
	ck_text(v, "as_of", "2023-06-30");
	ck_text(v, "record", "firm-1");
	/* T1 fail, E1 fail, L1 pass, S1 not_applicable. */
	ck_kind(v, "counts/pass", J_NUMBER);
	ck_text(v, "counts/pass", "1");
	ck_text(v, "counts/fail", "2");
	ck_text(v, "counts/not_applicable", "1");
	ck_text(v, "counts/exempt", "0");
	ck_text(v, "counts/unknown", "0");
	ck_text(v, "counts/not_in_force", "0");
	ck_text(v, "counts/error", "0");
	ck_kind(v, "rules", J_ARRAY);
	ck_assert_uint_eq(json_path(v, "rules")->count, 4);
	ck_text(v, "rules/0/id", "T1.mu_tax");
	ck_text(v, "rules/1/id", "E1.energy");
	ck_text(v, "rules/2/id", "L1.land_balance");
	ck_text(v, "rules/3/id", "S1.sector");
	json_free(v);
	/* No _id: record is null. */
	v = result_json("{}", 0);
	ck_kind(v, "record", J_NULL);
	ck_text(v, "counts/unknown", "4");
	json_free(v);
}
END_TEST

START_TEST(test_json_rule_fields)
{
	jv *v = result_json(FAILING, 0);
	ck_text(v, "rules/0/verdict", "fail");
	ck_kind(v, "rules/0/exception", J_NULL);
	ck_kind(v, "rules/0/missing", J_ARRAY);
	ck_assert_uint_eq(json_path(v, "rules/0/missing")->count, 0);
	ck_text(v, "rules/0/cite", "二");
	ck_text(v, "rules/0/title", "亩均税收");
	ck_text(v, "rules/0/severity", "major");
	ck_text(v, "rules/0/responsible/0", "区经信局");
	ck_text(v, "rules/0/responsible/1", "区税务局");
	ck_assert_uint_eq(json_path(v, "rules/0/responsible")->count, 2);
	ck_kind(v, "rules/0/illustrative", J_BOOL);
	ck_assert_int_eq(json_path(v, "rules/0/illustrative")->boolean, 0);
	/* E1 uses the illustrative max_energy. */
	ck_assert_int_eq(json_path(v, "rules/1/illustrative")->boolean, 1);
	ck_text(v, "rules/1/severity", "critical");
	ck_text(v, "rules/1/responsible/0", "区发改局");
	ck_text(v, "rules/3/severity", "info");
	/* message and gap */
	const char *msg = json_text(v, "rules/0/message");
	ck_assert_ptr_nonnull(msg);
	ck_assert(strncmp(msg, "亩均税收 32.8 万元/亩，目标 37 万元/亩", strlen("亩均税收 32.8 万元/亩，目标 37 万元/亩")) == 0);
	ck_assert(contains(msg, "+4.2 万元/亩"));
	ck_text(v, "rules/0/gap/value", "4.2");
	ck_text(v, "rules/0/gap/actual", "32.8");
	ck_text(v, "rules/0/gap/threshold", "37");
	ck_text(v, "rules/0/gap/unit", "万元/亩");
	ck_text(v, "rules/0/gap/text", "+4.2 万元/亩");
	ck_text(v, "rules/1/gap/value", "-300");
	ck_text(v, "rules/1/gap/actual", "1300");
	ck_text(v, "rules/1/gap/threshold", "1000");
	ck_text(v, "rules/1/gap/text", "-300 tce(等价值)");
	ck_kind(v, "rules/2/gap", J_NULL);
	/* values: every input, parameter and indicator used, numbers as strings */
	ck_kind(v, "rules/0/values/mu_tax/value", J_STRING);
	ck_text(v, "rules/0/values/mu_tax/value", "32.8");
	ck_text(v, "rules/0/values/mu_tax/unit", "万元/亩");
	ck_text(v, "rules/0/values/mu_tax/kind", "indicator");
	ck_text(v, "rules/0/values/min_mu_tax/value", "37");
	ck_text(v, "rules/0/values/min_mu_tax/kind", "parameter");
	ck_text(v, "rules/0/values/min_mu_tax/provenance", "cited");
	ck_text(v, "rules/0/values/tax/value", "984");
	ck_text(v, "rules/0/values/tax/unit", "万元");
	ck_text(v, "rules/0/values/tax/kind", "input");
	ck_text(v, "rules/0/values/land_area/value", "30");
	ck_text(v, "rules/0/values/is_key_chain_project/value", "false");
	ck_text(v, "rules/1/values/max_energy/provenance", "illustrative");
	ck_text(v, "rules/1/values/max_energy/value", "1000");
	/* obligations */
	ck_text(v, "rules/2/verdict", "pass");
	ck_assert_uint_eq(json_path(v, "rules/2/obligations")->count, 1);
	ck_text(v, "rules/2/obligations/0/id", "compensating_land");
	ck_text(v, "rules/2/obligations/0/value", "18");
	ck_text(v, "rules/2/obligations/0/unit", "亩");
	ck_assert_uint_eq(json_path(v, "rules/0/obligations")->count, 0);
	ck_text(v, "rules/3/verdict", "not_applicable");
	ck_absent(v, "rules/0/error");
	json_free(v);
}
END_TEST

START_TEST(test_json_exempt_unknown_error)
{
	jv *v = result_json("{\"tax\": 984, \"land_area\": 30, \"is_key_chain_project\": true,"
			    " \"converted_area\": 15}",
			    0);
	ck_text(v, "rules/0/verdict", "exempt");
	ck_text(v, "rules/0/exception/id", "key_chain");
	ck_text(v, "rules/0/exception/cite", "三（一）4");
	ck_text(v, "rules/1/verdict", "unknown");
	ck_text(v, "rules/1/missing/0", "energy");
	ck_assert_uint_eq(json_path(v, "rules/1/missing")->count, 1);
	/* A missing value is null. */
	ck_kind(v, "rules/1/values/energy/value", J_NULL);
	json_free(v);

	v = result_json("{\"tax\": 984, \"land_area\": 0, \"is_key_chain_project\": false}", 0);
	ck_text(v, "rules/0/verdict", "error");
	ck_text(v, "rules/0/error", "division by zero");
	ck_text(v, "counts/error", "1");
	ck_kind(v, "rules/0/values/mu_tax/value", J_NULL);
	json_free(v);
}
END_TEST

START_TEST(test_json_flags)
{
	/* Every combination of flags gives well-formed JSON. */
	for (uint32_t flags = 0; flags < 8; flags++) {
		jv *v = result_json(FAILING, flags);
		ck_text(v, "rules/0/verdict", "fail");
		json_free(v);
	}
	/* Verdicts only. */
	jv *v = result_json(FAILING, RULEBOOK_OUT_VERDICTS);
	ck_text(v, "rules/0/id", "T1.mu_tax");
	ck_text(v, "rules/0/verdict", "fail");
	ck_kind(v, "rules/0/exception", J_NULL);
	ck_kind(v, "rules/0/missing", J_ARRAY);
	ck_absent(v, "rules/0/values");
	ck_absent(v, "rules/0/message");
	ck_absent(v, "rules/0/gap");
	ck_absent(v, "rules/0/obligations");
	ck_text(v, "rulebook/id", "test.enterprise");
	ck_text(v, "counts/fail", "2");
	json_free(v);
	/* English titles and messages. */
	v = result_json(FAILING, RULEBOOK_OUT_LANG_EN);
	ck_text(v, "rules/0/title", "Tax per mu");
	ck_assert(strncmp(json_text(v, "rules/0/message"), "tax per mu 32.8 万元/亩, target 37 万元/亩",
			  strlen("tax per mu 32.8 万元/亩, target 37 万元/亩")) == 0);
	/* L1 has only a Chinese title. */
	ck_text(v, "rules/2/title", "占补平衡");
	json_free(v);
	/* Pretty output is the same value, indented. */
	v = result_json(FAILING, 0);
	jv *p = result_json(FAILING, RULEBOOK_OUT_PRETTY);
	ck_assert(json_equal(v, p));
	const char *out = NULL;
	ck_assert_int_eq(rulebook_result_json(res, RULEBOOK_OUT_PRETTY, &out, NULL), RULEBOOK_OK);
	ck_assert(contains(out, "\n  "));
	ck_assert_int_eq(rulebook_result_json(res, 0, &out, NULL), RULEBOOK_OK);
	ck_assert(!contains(out, "\n"));
	json_free(p);
	json_free(v);
}
END_TEST

START_TEST(test_json_escaping)
{
	/* Quotes, backslashes and control characters survive the round trip. */
	jv *v = result_json("{\"_id\": \"a\\\"b\\\\c\\td\\ne\\u0001f\"}", 0);
	ck_text(v, "record", "a\"b\\c\td\ne\001f");
	json_free(v);
}
END_TEST

START_TEST(test_hash)
{
	/* sha256 of the bytes of HDR, computed independently. */
	rulebook *a = load_str(HDR);
	ck_assert_str_eq(rulebook_hash(a),
			 "7fc594ee06b93b414f6fbb31e5a0ad86a78fca8b0fcbb3b72db8bf7b008a3339");
	/* One more byte, another hash. */
	rulebook *b = load_str(HDR "\n");
	ck_assert_str_ne(rulebook_hash(a), rulebook_hash(b));
	ck_assert_uint_eq(strlen(rulebook_hash(b)), 64);
	rulebook_free(b);
	rulebook_free(a);
}
END_TEST

START_TEST(test_eval_json_one)
{
	char *out = NULL;
	size_t len = 0;
	rulebook_error *err = rulebook_error_new();
	const char *in = FAILING;
	ck_assert_int_eq(rulebook_eval_json(rb, in, strlen(in), 20230630, 0, &out, &len, err),
			 RULEBOOK_OK);
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(len, strlen(out));
	jv *v = json_parse(out, len);
	ck_assert_ptr_nonnull(v);
	ck_kind(v, "", J_OBJECT);
	ck_text(v, "record", "firm-1");
	ck_text(v, "as_of", "2023-06-30");
	ck_text(v, "rules/0/verdict", "fail");
	ck_text(v, "rules/0/gap/text", "+4.2 万元/亩");
	/* The same as the typed API gives. */
	jv *w = result_json(FAILING, 0);
	ck_assert(json_equal(v, w));
	json_free(w);
	json_free(v);
	rulebook_mem_free(out);
	/* out_len may be NULL; flags apply. */
	out = NULL;
	ck_assert_int_eq(rulebook_eval_json(rb, in, strlen(in), 20230630, RULEBOOK_OUT_VERDICTS, &out,
					    NULL, err),
			 RULEBOOK_OK);
	v = json_parse(out, strlen(out));
	ck_assert_ptr_nonnull(v);
	ck_absent(v, "rules/0/values");
	json_free(v);
	rulebook_mem_free(out);
	rulebook_error_free(err);
}
END_TEST

START_TEST(test_eval_json_array)
{
	const char *in = "[{\"_id\": \"A\", \"tax\": 1158.1, \"land_area\": 31.3, \"is_key_chain_project\": false},\n"
			 " {\"_id\": \"B\", \"tax\": 984, \"land_area\": 30, \"is_key_chain_project\": false},\n"
			 " {\"_id\": \"C\", \"tax\": 984, \"land_area\": 30, \"is_key_chain_project\": true},\n"
			 " {\"tax\": 984}]";
	char *out = NULL;
	size_t len = 0;
	ck_assert_int_eq(rulebook_eval_json(rb, in, strlen(in), 20230630, 0, &out, &len, NULL),
			 RULEBOOK_OK);
	jv *v = json_parse(out, len);
	ck_assert_msg(v != NULL, "%s", out);
	ck_kind(v, "", J_ARRAY);
	ck_assert_uint_eq(v->count, 4);
	ck_text(v, "0/record", "A");
	ck_text(v, "0/rules/0/verdict", "pass");
	ck_text(v, "0/rules/0/values/mu_tax/value", "37");
	ck_text(v, "1/record", "B");
	ck_text(v, "1/rules/0/verdict", "fail");
	ck_text(v, "2/record", "C");
	ck_text(v, "2/rules/0/verdict", "exempt");
	/* Each record starts from nothing: no _id, no land_area. */
	ck_kind(v, "3/record", J_NULL);
	ck_text(v, "3/rules/0/verdict", "unknown");
	ck_text(v, "3/rules/0/missing/0", "land_area");
	json_free(v);
	rulebook_mem_free(out);

	/* An empty array gives an empty array. */
	out = NULL;
	ck_assert_int_eq(rulebook_eval_json(rb, "[]", 2, 20230630, 0, &out, &len, NULL), RULEBOOK_OK);
	v = json_parse(out, len);
	ck_assert_ptr_nonnull(v);
	ck_kind(v, "", J_ARRAY);
	ck_assert_uint_eq(v->count, 0);
	json_free(v);
	rulebook_mem_free(out);
}
END_TEST

START_TEST(test_eval_json_errors)
{
	rulebook_error *err = rulebook_error_new();
	char *out = (char *)&out;
	/* The bad value of the second record, on line 2: "  {\"tax\": " is 10
	 * bytes, the quote of "NaN" at column 11. */
	const char *in = "[{\"tax\": 1},\n  {\"tax\": \"NaN\"}]";
	ck_assert_int_eq(rulebook_eval_json(rb, in, strlen(in), 20230630, 0, &out, NULL, err),
			 RULEBOOK_ERR_VALUE);
	ck_assert_ptr_null(out);
	ck_assert_uint_eq(rulebook_error_line(err, 0), 2);
	ck_assert_uint_eq(rulebook_error_column(err, 0), 11);
	const char *unknown = "{\"bogus\": 1}";
	ck_assert_int_eq(rulebook_eval_json(rb, unknown, strlen(unknown), 20230630, 0, &out, NULL, err),
			 RULEBOOK_ERR_NOT_FOUND);
	ck_assert_int_eq(rulebook_eval_json(rb, "{", 1, 20230630, 0, &out, NULL, err),
			 RULEBOOK_ERR_SYNTAX);
	ck_assert_int_eq(rulebook_eval_json(rb, "[1]", 3, 20230630, 0, &out, NULL, err),
			 RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(rulebook_eval_json(rb, "{}", 2, 20230230, 0, &out, NULL, err),
			 RULEBOOK_ERR_INVALID);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(rulebook_eval_json(NULL, "{}", 2, 20230630, 0, &out, NULL, err),
			 RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_eval_json(rb, NULL, 0, 20230630, 0, &out, NULL, err),
			 RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_eval_json(rb, "{}", 2, 20230630, 0, NULL, NULL, err),
			 RULEBOOK_ERR_INVALID);
	rulebook_error_free(err);
	rulebook_mem_free(NULL);
}
END_TEST

START_TEST(test_result_json_invalid)
{
	const char *out = NULL;
	ck_assert_int_eq(rulebook_result_json(NULL, 0, &out, NULL), RULEBOOK_ERR_INVALID);
	eval_ok(rb, facts, 20230630, res);
	ck_assert_int_eq(rulebook_result_json(res, 0, NULL, NULL), RULEBOOK_ERR_INVALID);
}
END_TEST

static Suite *json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("json");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_json_header);
	tcase_add_test(tc, test_json_rule_fields);
	tcase_add_test(tc, test_json_exempt_unknown_error);
	tcase_add_test(tc, test_json_flags);
	tcase_add_test(tc, test_json_escaping);
	tcase_add_test(tc, test_hash);
	tcase_add_test(tc, test_eval_json_one);
	tcase_add_test(tc, test_eval_json_array);
	tcase_add_test(tc, test_eval_json_errors);
	tcase_add_test(tc, test_result_json_invalid);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(json_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
