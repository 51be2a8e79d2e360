/* Result accessors: counts, verdict names, rendered messages with gaps,
 * obligations, values and the plain-text explanation. Uses
 * fixtures/enterprise.yaml unless a test builds its own rulebook. */
#include "common.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static rulebook *rb;
static rulebook_facts *facts;
static rulebook_result *res;
static size_t T1, E1, L1, S1;

static void setup(void)
{
	rb = load_fixture("enterprise.yaml");
	facts = rulebook_facts_new(rb);
	res = rulebook_result_new(rb);
	T1 = rule_at(rb, "T1.mu_tax");
	E1 = rule_at(rb, "E1.energy");
	L1 = rule_at(rb, "L1.land_balance");
	S1 = rule_at(rb, "S1.sector");
}

static void teardown(void)
{
	rulebook_result_free(res);
	rulebook_facts_free(facts);
	rulebook_free(rb);
}

static void run(const char *json, int32_t as_of)
{
	rulebook_facts_clear(facts);
	set_json(facts, json);
	eval_ok(rb, facts, as_of, res);
}

static int starts_with(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* msg is prefix followed by text that contains gap. */
static void ck_message_with_gap(const char *msg, const char *prefix, const char *gap)
{
	ck_assert_msg(starts_with(msg, prefix), "'%s' does not start with '%s'", msg, prefix);
	ck_assert_msg(contains(msg + strlen(prefix), gap), "'%s' lacks the gap '%s'", msg, gap);
}

static int contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; hay && *hay; hay++) {
		size_t i = 0;
		while (i < n && hay[i] && tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
			i++;
		if (i == n)
			return 1;
	}
	return 0;
}

/* 984 万元 over 30 亩 is 32.8 万元/亩: 4.2 short of 37. */
#define FAILING "{\"tax\": 984, \"land_area\": 30, \"is_key_chain_project\": false}"

START_TEST(test_verdict_str)
{
	ck_assert_str_eq(rulebook_verdict_str(RULEBOOK_PASS), "pass");
	ck_assert_str_eq(rulebook_verdict_str(RULEBOOK_FAIL), "fail");
	ck_assert_str_eq(rulebook_verdict_str(RULEBOOK_NOT_APPLICABLE), "not_applicable");
	ck_assert_str_eq(rulebook_verdict_str(RULEBOOK_EXEMPT), "exempt");
	ck_assert_str_eq(rulebook_verdict_str(RULEBOOK_UNKNOWN), "unknown");
	ck_assert_str_eq(rulebook_verdict_str(RULEBOOK_NOT_IN_FORCE), "not_in_force");
	ck_assert_str_eq(rulebook_verdict_str(RULEBOOK_ERROR), "error");
	ck_assert_str_eq(rulebook_verdict_str((rulebook_verdict)0), "invalid");
	ck_assert_str_eq(rulebook_verdict_str((rulebook_verdict)8), "invalid");
	ck_assert_str_eq(rulebook_verdict_str((rulebook_verdict)-1), "invalid");
	ck_assert_str_eq(rulebook_verdict_str((rulebook_verdict)1000), "invalid");
	/* Stable values. */
	ck_assert_int_eq(RULEBOOK_PASS, 1);
	ck_assert_int_eq(RULEBOOK_ERROR, 7);
}
END_TEST

START_TEST(test_counts_and_verdicts)
{
	/* T1 fail, E1 fail (1300 > 1000), L1 pass, S1 not applicable. */
	run("{\"tax\": 984, \"land_area\": 30, \"is_key_chain_project\": false, \"energy\": 1300,"
	    " \"converted_area\": 15, \"sector\": \"纺织\"}",
	    20230630);
	uint32_t counts[8];
	rulebook_result_counts(res, counts);
	ck_assert_uint_eq(counts[RULEBOOK_PASS], 1);
	ck_assert_uint_eq(counts[RULEBOOK_FAIL], 2);
	ck_assert_uint_eq(counts[RULEBOOK_NOT_APPLICABLE], 1);
	ck_assert_uint_eq(counts[RULEBOOK_EXEMPT] + counts[RULEBOOK_UNKNOWN] +
				  counts[RULEBOOK_NOT_IN_FORCE] + counts[RULEBOOK_ERROR],
			  0);
	ck_assert_int_eq(rulebook_result_verdict(res, T1), RULEBOOK_FAIL);
	ck_assert_int_eq(rulebook_result_verdict(res, E1), RULEBOOK_FAIL);
	ck_assert_int_eq(rulebook_result_verdict(res, L1), RULEBOOK_PASS);
	ck_assert_int_eq(rulebook_result_verdict(res, S1), RULEBOOK_NOT_APPLICABLE);
	ck_assert_int_eq(rulebook_result_as_of(res), 20230630);
}
END_TEST

START_TEST(test_message_pass)
{
	run("{\"tax\": 1158.1, \"land_area\": 31.3, \"is_key_chain_project\": false}", 20230630);
	ck_assert_str_eq(rulebook_result_message(res, T1, "en"), "tax per mu 37 万元/亩, target 37 万元/亩");
	ck_assert_str_eq(rulebook_result_message(res, T1, "zh"), "亩均税收 37 万元/亩，目标 37 万元/亩");
	/* A rule without a message. */
	ck_assert_str_eq(rulebook_result_message(res, S1, "zh"), "");
	ck_assert_str_eq(rulebook_result_message(res, S1, "en"), "");
	/* Out of range. */
	ck_assert_str_eq(rulebook_result_message(res, 99, "en"), "");
}
END_TEST

START_TEST(test_message_fail_with_gap)
{
	run(FAILING, 20230630);
	ck_assert_str_eq(rulebook_result_gap(res, T1), "+4.2 万元/亩");
	ck_message_with_gap(rulebook_result_message(res, T1, "en"),
			    "tax per mu 32.8 万元/亩, target 37 万元/亩", "+4.2 万元/亩");
	ck_message_with_gap(rulebook_result_message(res, T1, "zh"),
			    "亩均税收 32.8 万元/亩，目标 37 万元/亩", "+4.2 万元/亩");
}
END_TEST

START_TEST(test_message_fallback_language)
{
	/* E1 has only English; 1300 is 300 over the cap of 1000 in 2023. */
	run("{\"energy\": 1300}", 20230630);
	ck_assert_int_eq(rulebook_result_verdict(res, E1), RULEBOOK_FAIL);
	ck_assert_str_eq(rulebook_result_gap(res, E1), "-300 tce(等价值)");
	const char *prefix = "energy 1300 tce(等价值), cap 1000 tce(等价值)";
	ck_message_with_gap(rulebook_result_message(res, E1, "en"), prefix, "-300 tce(等价值)");
	ck_message_with_gap(rulebook_result_message(res, E1, "zh"), prefix, "-300 tce(等价值)");
	/* In 2022 the cap was 1200. */
	run("{\"energy\": 1300}", 20221231);
	ck_assert_str_eq(rulebook_result_gap(res, E1), "-100 tce(等价值)");
	run("{\"energy\": 1100}", 20221231);
	ck_assert_int_eq(rulebook_result_verdict(res, E1), RULEBOOK_PASS);
	ck_assert_str_eq(rulebook_result_message(res, E1, "zh"), "energy 1100 tce(等价值), cap 1200 tce(等价值)");
	ck_assert_ptr_null(rulebook_result_gap(res, E1));
	/* L1 has only Chinese; 1.2 × 15 亩 = 18 亩. */
	run("{\"converted_area\": 15}", 20230630);
	ck_assert_str_eq(rulebook_result_message(res, L1, "zh"), "需补充耕地 18 亩");
	ck_assert_str_eq(rulebook_result_message(res, L1, "en"), "需补充耕地 18 亩");
}
END_TEST

START_TEST(test_gap_accessor)
{
	/* S1: 9 people against at least 10. */
	run("{\"sector\": \"化工\", \"employees\": 9, \"converted_area\": 15}", 20230630);
	ck_assert_int_eq(rulebook_result_verdict(res, S1), RULEBOOK_FAIL);
	ck_assert_str_eq(rulebook_result_gap(res, S1), "+1 人");
	/* No gap: a passing rule, a rule without a requirement, a rule that
	 * did not fail, an index out of range. */
	ck_assert_ptr_null(rulebook_result_gap(res, L1));
	ck_assert_ptr_null(rulebook_result_gap(res, T1)); /* unknown */
	ck_assert_ptr_null(rulebook_result_gap(res, 99));
	run("{\"sector\": \"化工\", \"employees\": 10}", 20230630);
	ck_assert_ptr_null(rulebook_result_gap(res, S1));
	ck_assert_ptr_null(rulebook_result_gap(NULL, 0));
}
END_TEST

START_TEST(test_gap_shapes)
{
	/* 37 万元/亩 = 555 元/m² (1 亩 = 10000/15 m²). */
	rulebook *r = load_str(HDR
			       "inputs:\n"
			       "  - {id: tax, type: number, unit: 万元}\n"
			       "  - {id: land_area, type: number, unit: 亩}\n"
			       "parameters:\n"
			       "  - {id: min_mu_tax, unit: 万元/亩, cite: 二, provenance: cited, value: 37}\n"
			       "  - {id: min_m2, unit: 元/m², cite: 二, provenance: cited, value: 555}\n"
			       "indicators:\n"
			       "  - {id: mu_tax, expr: tax / land_area, unit: 万元/亩}\n"
			       "rules:\n"
			       "  - {id: flipped, cite: 二, require: min_mu_tax <= mu_tax}\n"
			       "  - {id: other_unit, cite: 二, require: mu_tax >= min_m2}\n"
			       "  - {id: joined, cite: 二, require: tax >= 100 and mu_tax >= min_mu_tax}\n"
			       "  - {id: expr, cite: 二, require: tax / land_area >= min_mu_tax}\n"
			       "  - id: placeholder\n"
			       "    cite: 二\n"
			       "    require: mu_tax >= min_mu_tax\n"
			       "    message: {en: \"short by {gap}\"}\n");
	rulebook_facts *f = rulebook_facts_new(r);
	rulebook_result *o = rulebook_result_new(r);
	set_json(f, "{\"tax\": 984, \"land_area\": 30}");
	eval_ok(r, f, 20230630, o);
	for (size_t i = 0; i < 5; i++) {
		ck_assert_int_eq(rulebook_result_verdict(o, i), RULEBOOK_FAIL);
		ck_assert_str_eq(rulebook_result_gap(o, i), "+4.2 万元/亩");
	}
	/* {gap} in the template: the gap is not added a second time. */
	ck_assert_str_eq(rulebook_result_message(o, 4, "en"), "short by +4.2 万元/亩");
	/* Land given in m²: 18000 m² = 27 亩, and 984 / 27 = 36.444… (the
	 * quotient rounded to 18 digits), so the gap is 0.5555…6, shown rounded
	 * to 4 decimals: 0.5556. */
	set_json(f, "{\"land_area\": \"18000 m²\"}");
	eval_ok(r, f, 20230630, o);
	ck_assert_str_eq(rulebook_result_value(o, "land_area"), "27");
	ck_assert_int_eq(rulebook_result_verdict(o, 0), RULEBOOK_FAIL);
	ck_assert_str_eq(rulebook_result_gap(o, 0), "+0.5556 万元/亩");
	rulebook_result_free(o);
	rulebook_facts_free(f);
	rulebook_free(r);
}
END_TEST

START_TEST(test_obligations)
{
	run("{\"converted_area\": 15}", 20230630);
	ck_assert_int_eq(rulebook_result_verdict(res, L1), RULEBOOK_PASS);
	ck_assert_uint_eq(rulebook_result_obligation_count(res, L1), 1);
	ck_assert_str_eq(rulebook_result_obligation_name(res, L1, 0), "compensating_land");
	ck_assert_str_eq(rulebook_result_obligation_value(res, L1, 0), "18");
	ck_assert_str_eq(rulebook_result_obligation_unit(res, L1, 0), "亩");
	ck_assert_ptr_null(rulebook_result_obligation_name(res, L1, 1));
	ck_assert_ptr_null(rulebook_result_obligation_value(res, L1, 1));
	ck_assert_ptr_null(rulebook_result_obligation_unit(res, L1, 1));
	/* 10000 m² = 15 亩. */
	run("{\"converted_area\": \"10000 m²\"}", 20230630);
	ck_assert_str_eq(rulebook_result_obligation_value(res, L1, 0), "18");
	run("{\"converted_area\": 2.5}", 20230630);
	ck_assert_str_eq(rulebook_result_obligation_value(res, L1, 0), "3");
	/* Not created when the rule does not apply. */
	run("{\"converted_area\": 0}", 20230630);
	ck_assert_int_eq(rulebook_result_verdict(res, L1), RULEBOOK_NOT_APPLICABLE);
	ck_assert_uint_eq(rulebook_result_obligation_count(res, L1), 0);
	ck_assert_ptr_null(rulebook_result_obligation_name(res, L1, 0));
	ck_assert_ptr_null(rulebook_result_obligation_value(res, L1, 0));
	run("{}", 20230630);
	ck_assert_uint_eq(rulebook_result_obligation_count(res, L1), 0);
	run("{\"converted_area\": 15}", 20240101);
	ck_assert_uint_eq(rulebook_result_obligation_count(res, L1), 0);
	/* Rules without obligations. */
	ck_assert_uint_eq(rulebook_result_obligation_count(res, T1), 0);
	ck_assert_uint_eq(rulebook_result_obligation_count(res, 99), 0);
}
END_TEST

START_TEST(test_obligations_failing_rule)
{
	/* Created on fail too, and converted into the declared unit:
	 * 1.2 × 15 亩 = 18 亩 = 12000 m². */
	rulebook *r = load_str(HDR
			       "inputs:\n"
			       "  - {id: converted, type: number, unit: 亩}\n"
			       "  - {id: compensated, type: number, unit: 亩}\n"
			       "parameters:\n"
			       "  - {id: ratio, cite: 四, provenance: cited, value: 1.2}\n"
			       "rules:\n"
			       "  - id: P3\n"
			       "    cite: 四\n"
			       "    require: compensated >= converted * ratio\n"
			       "    obligations:\n"
			       "      - {id: land, value: converted * ratio, unit: 亩}\n"
			       "      - {id: land_m2, value: converted * ratio, unit: m²}\n"
			       "      - {id: short, value: 'converted * ratio - compensated', unit: 亩}\n"
			       "    message: {zh: \"应补 {land}，尚差 {short}\"}\n");
	rulebook_facts *f = rulebook_facts_new(r);
	rulebook_result *o = rulebook_result_new(r);
	set_json(f, "{\"converted\": 15, \"compensated\": 10}");
	eval_ok(r, f, 20230630, o);
	ck_assert_int_eq(rulebook_result_verdict(o, 0), RULEBOOK_FAIL);
	ck_assert_uint_eq(rulebook_result_obligation_count(o, 0), 3);
	ck_assert_str_eq(rulebook_result_obligation_value(o, 0, 0), "18");
	ck_assert_str_eq(rulebook_result_obligation_value(o, 0, 1), "12000");
	ck_assert_str_eq(rulebook_result_obligation_unit(o, 0, 1), "m²");
	ck_assert_str_eq(rulebook_result_obligation_value(o, 0, 2), "8");
	ck_assert_str_eq(rulebook_result_gap(o, 0), "+8 亩");
	ck_message_with_gap(rulebook_result_message(o, 0, "zh"), "应补 18 亩，尚差 8 亩", "+8 亩");
	/* compensated missing makes the rule unknown: nothing is created. */
	set_json(f, "{\"compensated\": null}");
	eval_ok(r, f, 20230630, o);
	ck_assert_int_eq(rulebook_result_verdict(o, 0), RULEBOOK_UNKNOWN);
	ck_assert_uint_eq(rulebook_result_obligation_count(o, 0), 0);
	rulebook_result_free(o);
	rulebook_facts_free(f);
	rulebook_free(r);
}
END_TEST

START_TEST(test_obligation_not_computable)
{
	/* The rule applies but the amount divides by zero: value NULL. */
	rulebook *r = load_str(HDR
			       "inputs:\n"
			       "  - {id: area, type: number, unit: 亩}\n"
			       "  - {id: parts, type: number}\n"
			       "rules:\n"
			       "  - id: R\n"
			       "    cite: 一\n"
			       "    obligations:\n"
			       "      - {id: share, value: area / parts, unit: 亩}\n");
	rulebook_facts *f = rulebook_facts_new(r);
	rulebook_result *o = rulebook_result_new(r);
	set_json(f, "{\"area\": 15, \"parts\": 0}");
	eval_ok(r, f, 20230630, o);
	ck_assert_int_eq(rulebook_result_verdict(o, 0), RULEBOOK_PASS);
	ck_assert_uint_eq(rulebook_result_obligation_count(o, 0), 1);
	ck_assert_str_eq(rulebook_result_obligation_name(o, 0, 0), "share");
	ck_assert_ptr_null(rulebook_result_obligation_value(o, 0, 0));
	ck_assert_str_eq(rulebook_result_obligation_unit(o, 0, 0), "亩");
	/* 15 / 4 = 3.75 */
	set_json(f, "{\"parts\": 4}");
	eval_ok(r, f, 20230630, o);
	ck_assert_str_eq(rulebook_result_obligation_value(o, 0, 0), "3.75");
	rulebook_result_free(o);
	rulebook_facts_free(f);
	rulebook_free(r);
}
END_TEST

START_TEST(test_values)
{
	run("{\"tax\": 984, \"land_area\": 30, \"is_key_chain_project\": false, \"sector\": \"化工\","
	    " \"employees\": 9, \"name\": \"某公司\", \"founded\": \"2020-02-29\"}",
	    20230630);
	ck_assert_str_eq(rulebook_result_value(res, "tax"), "984");
	ck_assert_str_eq(rulebook_result_value(res, "land_area"), "30");
	ck_assert_str_eq(rulebook_result_value(res, "mu_tax"), "32.8");
	ck_assert_str_eq(rulebook_result_value(res, "min_mu_tax"), "37");
	ck_assert_str_eq(rulebook_result_value(res, "compensation_ratio"), "1.2");
	ck_assert_str_eq(rulebook_result_value(res, "max_energy"), "1000");
	ck_assert_str_eq(rulebook_result_value(res, "is_key_chain_project"), "false");
	ck_assert_str_eq(rulebook_result_value(res, "sector"), "化工");
	ck_assert_str_eq(rulebook_result_value(res, "employees"), "9");
	ck_assert_str_eq(rulebook_result_value(res, "name"), "某公司");
	ck_assert_str_eq(rulebook_result_value(res, "founded"), "2020-02-29");
	/* Missing, unknown names, rule ids, NULL. */
	ck_assert_ptr_null(rulebook_result_value(res, "energy"));
	ck_assert_ptr_null(rulebook_result_value(res, "bogus"));
	ck_assert_ptr_null(rulebook_result_value(res, "T1.mu_tax"));
	ck_assert_ptr_null(rulebook_result_value(res, NULL));
	ck_assert_ptr_null(rulebook_result_value(NULL, "tax"));
	/* Dated parameter in 2022. */
	run("{}", 20221231);
	ck_assert_str_eq(rulebook_result_value(res, "max_energy"), "1200");
	ck_assert_ptr_null(rulebook_result_value(res, "mu_tax"));
}
END_TEST

/* Text inputs are copied into the result, whether or not they equal a
 * text the rulebook compares them with: the values stay readable, and the
 * verdicts stay those of the record, after the facts change or go away,
 * also when a longer record makes the result's storage grow. */
START_TEST(test_texts_outlive_facts)
{
	rulebook *tb = load_str(HDR "inputs:\n"
				    "  - {id: town, type: text}\n"
				    "  - {id: name, type: text}\n"
				    "  - {id: x, type: number}\n"
				    "rules:\n"
				    "  - id: R\n"
				    "    cite: 一\n"
				    "    require: 'town in [\"锦城\", \"玲珑\"] and x > 1'\n"
				    "  - id: N\n"
				    "    cite: 一\n"
				    "    require: 'name == \"甲\"'\n");
	rulebook_result *r = rulebook_result_new(tb);
	ck_assert_ptr_nonnull(r);
	/* compared texts and others, storage grown and reused */
	const char *towns[] = {"锦城", "某某镇", "某镇", "玲珑", "锦城锦城锦城锦城锦城锦城锦城锦城锦城"};
	const char *names[] = {"甲", "乙公司", "乙", "甲", "一个很长很长很长很长很长很长很长的公司名称"};
	for (size_t k = 0; k < 5; k++) {
		rulebook_facts *f = rulebook_facts_new(tb);
		ck_assert_ptr_nonnull(f);
		char town[128], name[128];
		strcpy(town, towns[k]);
		strcpy(name, names[k]);
		ck_assert_int_eq(rulebook_facts_set_text(f, "town", town, NULL), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_facts_set_text(f, "name", name, NULL), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_facts_set_text(f, "x", "2", NULL), RULEBOOK_OK);
		eval_ok(tb, f, 20230630, r);
		/* other texts in the facts, then no facts at all */
		ck_assert_int_eq(rulebook_facts_set_text(f, "town", "玲珑", NULL), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_facts_set_text(f, "name", "丙", NULL), RULEBOOK_OK);
		memset(town, 'x', sizeof town - 1);
		memset(name, 'x', sizeof name - 1);
		rulebook_facts_free(f);
		ck_assert_str_eq(rulebook_result_value(r, "town"), towns[k]);
		ck_assert_str_eq(rulebook_result_value(r, "name"), names[k]);
		int in_list = k == 0 || k == 3;
		ck_assert_int_eq(rulebook_result_verdict(r, 0), in_list ? RULEBOOK_PASS : RULEBOOK_FAIL);
		ck_assert_int_eq(rulebook_result_verdict(r, 1),
				 strcmp(names[k], "甲") == 0 ? RULEBOOK_PASS : RULEBOOK_FAIL);
	}
	rulebook_result_free(r);
	rulebook_free(tb);
}
END_TEST

START_TEST(test_explain)
{
	run(FAILING, 20230630);
	const char *text = NULL;
	size_t len = 0;
	ck_assert_int_eq(rulebook_result_explain(res, RULEBOOK_OUT_LANG_EN, &text, &len), RULEBOOK_OK);
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(len, strlen(text));
	ck_assert(contains(text, "test.enterprise"));
	ck_assert(contains(text, "2023-06-30"));
	ck_assert(contains(text, "T1.mu_tax"));
	ck_assert(contains(text, "二"));         /* citation */
	ck_assert(contains_nocase(text, "fail")); /* verdict */
	ck_assert(contains(text, "tax per mu 32.8 万元/亩, target 37 万元/亩"));
	ck_assert(contains(text, "+4.2 万元/亩"));
	ck_assert(contains(text, "984"));        /* values used */
	ck_assert(contains(text, "32.8"));
	ck_assert(contains(text, "区经信局"));   /* responsible */

	ck_assert_int_eq(rulebook_result_explain(res, 0, &text, NULL), RULEBOOK_OK);
	ck_assert(contains(text, "T1.mu_tax"));
	ck_assert(contains(text, "二"));
	ck_assert(contains(text, "亩均税收 32.8 万元/亩，目标 37 万元/亩"));
	ck_assert(contains(text, "+4.2 万元/亩"));

	/* Exception, missing inputs and obligations are named. */
	run("{\"tax\": 984, \"land_area\": 30, \"is_key_chain_project\": true, \"converted_area\": 15}",
	    20230630);
	ck_assert_int_eq(rulebook_result_explain(res, RULEBOOK_OUT_LANG_EN, &text, &len), RULEBOOK_OK);
	ck_assert(contains(text, "key_chain"));
	ck_assert(contains(text, "三（一）4"));
	ck_assert(contains(text, "compensating_land"));
	ck_assert(contains(text, "18"));
	run("{\"tax\": 984, \"is_key_chain_project\": false}", 20230630);
	ck_assert_int_eq(rulebook_result_explain(res, RULEBOOK_OUT_LANG_EN, &text, &len), RULEBOOK_OK);
	ck_assert(contains(text, "land_area"));
	ck_assert(contains_nocase(text, "unknown"));

	ck_assert_int_eq(rulebook_result_explain(NULL, 0, &text, &len), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_result_explain(res, 0, NULL, &len), RULEBOOK_ERR_INVALID);
}
END_TEST

START_TEST(test_strings_valid_until_next_eval)
{
	run(FAILING, 20230630);
	/* Several strings asked for after one evaluation stay valid together. */
	const char *m_en = rulebook_result_message(res, T1, "en");
	const char *m_zh = rulebook_result_message(res, T1, "zh");
	const char *gap = rulebook_result_gap(res, T1);
	const char *v = rulebook_result_value(res, "mu_tax");
	const char *j = NULL;
	ck_assert_int_eq(rulebook_result_json(res, 0, &j, NULL), RULEBOOK_OK);
	ck_assert(starts_with(m_en, "tax per mu 32.8"));
	ck_assert(starts_with(m_zh, "亩均税收 32.8"));
	ck_assert_str_eq(gap, "+4.2 万元/亩");
	ck_assert_str_eq(v, "32.8");
}
END_TEST

/* The binary fast path decides a record far from every threshold; one
 * exactly on a threshold (1110 / 30 = 37) is left to exact decimals; with
 * exact_only set, every record is decided in decimals, with the same
 * verdicts and values. */
START_TEST(test_decided_exactly)
{
	ck_assert_int_eq(rulebook_result_decided_exactly(NULL), -1);
	ck_assert_int_eq(rulebook_result_decided_exactly(res), -1);
	rulebook_result_set_exact_only(NULL, 1); /* ignored */

	run(FAILING, 20230630);
	ck_assert_int_eq(rulebook_result_decided_exactly(res), 0);
	ck_assert_int_eq(rulebook_result_verdict(res, T1), RULEBOOK_FAIL);
	ck_assert_str_eq(rulebook_result_value(res, "mu_tax"), "32.8");

	run("{\"tax\": 1110, \"land_area\": 30, \"is_key_chain_project\": false}", 20230630);
	ck_assert_int_eq(rulebook_result_decided_exactly(res), 1);
	ck_assert_int_eq(rulebook_result_verdict(res, T1), RULEBOOK_PASS);
	ck_assert_str_eq(rulebook_result_value(res, "mu_tax"), "37");

	/* 1109.99 / 30 = 36.99966…: close, but the bounds still tell */
	run("{\"tax\": 1109.99, \"land_area\": 30, \"is_key_chain_project\": false}", 20230630);
	ck_assert_int_eq(rulebook_result_decided_exactly(res), 0);
	ck_assert_int_eq(rulebook_result_verdict(res, T1), RULEBOOK_FAIL);

	rulebook_result_set_exact_only(res, 1);
	run(FAILING, 20230630);
	ck_assert_int_eq(rulebook_result_decided_exactly(res), 1);
	ck_assert_int_eq(rulebook_result_verdict(res, T1), RULEBOOK_FAIL);
	ck_assert_str_eq(rulebook_result_value(res, "mu_tax"), "32.8");

	rulebook_result_set_exact_only(res, 0);
	run(FAILING, 20230630);
	ck_assert_int_eq(rulebook_result_decided_exactly(res), 0);
}
END_TEST

static Suite *results_suite(void)
{
	Suite *s = suite_create("results");
	TCase *tc = tcase_create("results");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_verdict_str);
	tcase_add_test(tc, test_counts_and_verdicts);
	tcase_add_test(tc, test_decided_exactly);
	tcase_add_test(tc, test_message_pass);
	tcase_add_test(tc, test_message_fail_with_gap);
	tcase_add_test(tc, test_message_fallback_language);
	tcase_add_test(tc, test_gap_accessor);
	tcase_add_test(tc, test_gap_shapes);
	tcase_add_test(tc, test_obligations);
	tcase_add_test(tc, test_obligations_failing_rule);
	tcase_add_test(tc, test_obligation_not_computable);
	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_texts_outlive_facts);
	tcase_add_test(tc, test_explain);
	tcase_add_test(tc, test_strings_valid_until_next_eval);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(results_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
