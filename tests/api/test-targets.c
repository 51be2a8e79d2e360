/* Targets against time progress: the target accessors, the status and
 * every figure of rulebook_result_target_value, the "targets" array of
 * rulebook_result_json and the explanation. Uses fixtures/progress.yaml;
 * every expected figure is worked out in the comment above its check. */
#include "common.h"
#include "json-lite.h"

#include <stdlib.h>
#include <string.h>

enum { T14, E1, T12, G1, P8, L1, F1, NTARGETS };

static rulebook *rb;
static rulebook_facts *facts;
static rulebook_result *res;

static void setup(void)
{
	rb = load_fixture("progress.yaml");
	facts = rulebook_facts_new(rb);
	res = rulebook_result_new(rb);
	ck_assert_ptr_nonnull(facts);
	ck_assert_ptr_nonnull(res);
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

static void ck_status(size_t t, rulebook_target_status want)
{
	rulebook_target_status got = rulebook_result_target_status(res, t);
	ck_assert_msg(got == want, "target %s: status %s, wanted %s", rulebook_target_id(rb, t),
		      rulebook_target_status_str(got), rulebook_target_status_str(want));
}

/* A figure of target t; want NULL means the figure must be absent. */
static void ck_fig(size_t t, rulebook_target_field f, const char *want)
{
	const char *got = rulebook_result_target_value(res, t, f);
	if (!want) {
		ck_assert_msg(got == NULL, "target %s field %d: '%s', wanted NULL",
			      rulebook_target_id(rb, t), (int)f, got);
		return;
	}
	ck_assert_msg(got != NULL, "target %s field %d: NULL, wanted '%s'", rulebook_target_id(rb, t),
		      (int)f, want);
	ck_assert_msg(strcmp(got, want) == 0, "target %s field %d: '%s', wanted '%s'",
		      rulebook_target_id(rb, t), (int)f, got, want);
}

/* All six figures in field order. */
static void ck_figs(size_t t, const char *achieved, const char *goal, const char *completion,
		    const char *time, const char *shortfall, const char *per_month)
{
	ck_fig(t, RULEBOOK_TARGET_ACHIEVED, achieved);
	ck_fig(t, RULEBOOK_TARGET_GOAL, goal);
	ck_fig(t, RULEBOOK_TARGET_COMPLETION, completion);
	ck_fig(t, RULEBOOK_TARGET_TIME_PROGRESS, time);
	ck_fig(t, RULEBOOK_TARGET_SHORTFALL, shortfall);
	ck_fig(t, RULEBOOK_TARGET_NEEDED_PER_MONTH, per_month);
}

/* Mid-2022 facts: the shared case of several tests. */
#define MID_2022                                                                                 \
	"{\"freed_land\": 1900, \"energy_used\": 490, \"intensity\": 0.47, \"intensity_base\": 0.5," \
	" \"output\": 10.3, \"output_base\": 10, \"trained\": 260, \"pm25\": 33}"

/* ---- accessors ---- */

START_TEST(test_status_str)
{
	ck_assert_str_eq(rulebook_target_status_str(RULEBOOK_TARGET_MET), "met");
	ck_assert_str_eq(rulebook_target_status_str(RULEBOOK_TARGET_ON_PACE), "on_pace");
	ck_assert_str_eq(rulebook_target_status_str(RULEBOOK_TARGET_BEHIND_PACE), "behind_pace");
	ck_assert_str_eq(rulebook_target_status_str(RULEBOOK_TARGET_MISSED), "missed");
	ck_assert_str_eq(rulebook_target_status_str(RULEBOOK_TARGET_NOT_STARTED), "not_started");
	ck_assert_str_eq(rulebook_target_status_str(RULEBOOK_TARGET_UNKNOWN), "unknown");
	ck_assert_str_eq(rulebook_target_status_str(RULEBOOK_TARGET_NOT_IN_FORCE), "not_in_force");
	ck_assert_str_eq(rulebook_target_status_str((rulebook_target_status)0), "invalid");
	ck_assert_str_eq(rulebook_target_status_str((rulebook_target_status)8), "invalid");
	ck_assert_str_eq(rulebook_target_status_str((rulebook_target_status)-1), "invalid");
	ck_assert_str_eq(rulebook_target_status_str((rulebook_target_status)1000), "invalid");
	/* the values are stable */
	ck_assert_int_eq(RULEBOOK_TARGET_MET, 1);
	ck_assert_int_eq(RULEBOOK_TARGET_NOT_IN_FORCE, 7);
	ck_assert_int_eq(RULEBOOK_TARGET_ACHIEVED, 0);
	ck_assert_int_eq(RULEBOOK_TARGET_NEEDED_PER_MONTH, 5);
}
END_TEST

START_TEST(test_accessors)
{
	ck_assert_uint_eq(rulebook_target_count(rb), NTARGETS);
	static const char *const ids[] = {"T14.freed_land", "E1.energy_budget", "T12.intensity_cut",
					  "G1.output_growth", "P8.training", "L1.pm25", "F1.later"};
	static const char *const cites[] = {"二", "三（一）4", "三（一）4", "二", "四（五）", "五", "二"};
	/* T12 (reduction) and G1 (growth) report ratios: no unit */
	static const char *const units[] = {"亩", "tce(等价值)", "", "", "人次", "", "公顷"};
	static const size_t nresp[] = {2, 0, 1, 0, 1, 0, 0};
	for (size_t t = 0; t < NTARGETS; t++) {
		ck_assert_str_eq(rulebook_target_id(rb, t), ids[t]);
		ck_assert_str_eq(rulebook_target_cite(rb, t), cites[t]);
		ck_assert_str_eq(rulebook_target_unit(rb, t), units[t]);
		ck_assert_uint_eq(rulebook_target_responsible_count(rb, t), nresp[t]);
		ck_assert_ptr_null(rulebook_target_responsible(rb, t, nresp[t]));
	}
	ck_assert_str_eq(rulebook_target_responsible(rb, T14, 0), "规划与自然资源局临安分局");
	ck_assert_str_eq(rulebook_target_responsible(rb, T14, 1), "区经信局");
	/* one name instead of a list */
	ck_assert_str_eq(rulebook_target_responsible(rb, T12, 0), "区发改局");
	ck_assert_str_eq(rulebook_target_responsible(rb, P8, 0), "区人力社保局");

	/* out of range and NULL */
	ck_assert_ptr_null(rulebook_target_id(rb, NTARGETS));
	ck_assert_ptr_null(rulebook_target_cite(rb, NTARGETS));
	ck_assert_ptr_null(rulebook_target_unit(rb, NTARGETS));
	ck_assert_uint_eq(rulebook_target_responsible_count(rb, NTARGETS), 0);
	ck_assert_ptr_null(rulebook_target_responsible(rb, NTARGETS, 0));
	ck_assert_ptr_null(rulebook_target_responsible(rb, T14, SIZE_MAX));
	ck_assert_uint_eq(rulebook_target_count(NULL), 0);
	ck_assert_ptr_null(rulebook_target_id(NULL, 0));
	ck_assert_ptr_null(rulebook_target_cite(NULL, 0));
	ck_assert_ptr_null(rulebook_target_unit(NULL, 0));
	ck_assert_uint_eq(rulebook_target_responsible_count(NULL, 0), 0);
	ck_assert_ptr_null(rulebook_target_responsible(NULL, 0, 0));
}
END_TEST

START_TEST(test_result_null_and_range)
{
	run(MID_2022, 20220630);
	ck_assert_str_eq(rulebook_target_status_str(rulebook_result_target_status(res, NTARGETS)), "invalid");
	ck_assert_str_eq(rulebook_target_status_str(rulebook_result_target_status(NULL, 0)), "invalid");
	ck_assert_ptr_null(rulebook_result_target_value(res, NTARGETS, RULEBOOK_TARGET_ACHIEVED));
	ck_assert_ptr_null(rulebook_result_target_value(res, SIZE_MAX, RULEBOOK_TARGET_GOAL));
	ck_assert_ptr_null(rulebook_result_target_value(NULL, 0, RULEBOOK_TARGET_ACHIEVED));
	ck_assert_ptr_null(rulebook_result_target_value(res, T14, (rulebook_target_field)6));
	ck_assert_ptr_null(rulebook_result_target_value(res, T14, (rulebook_target_field)-1));
	/* a rulebook without targets */
	rulebook *plain = load_str(HDR "rules:\n  - {id: R, cite: 一, require: 1 > 0}\n");
	ck_assert_uint_eq(rulebook_target_count(plain), 0);
	ck_assert_ptr_null(rulebook_target_id(plain, 0));
	rulebook_free(plain);
}
END_TEST

/* ---- figures and statuses ---- */

/* The documented example. 2021-01-01..2023-12-31 is 365 + 365 + 365 = 1095
 * days; 2021-01-01..2022-06-30 inclusive is 365 + 181 = 546: time progress
 * 546/1095 = 0.498630... -> 0.4986. Completion 1900/4000 = 0.475 < 0.4986:
 * behind pace. Shortfall 4000 - 1900 = 2100. Days left after 2022-06-30:
 * 184 (rest of 2022) + 365 = 549; 2100 × 365 / (549 × 12) = 116.34790... ->
 * 116.3479. */
START_TEST(test_cumulative_behind_pace)
{
	run(MID_2022, 20220630);
	ck_status(T14, RULEBOOK_TARGET_BEHIND_PACE);
	ck_figs(T14, "1900", "4000", "0.475", "0.4986", "2100", "116.3479");
}
END_TEST

/* Yearly periods take the calendar year of the as-of date: 2022-01-01 ..
 * 2022-06-30 is 31+28+31+30+31+30 = 181 of 365 days = 0.495890... -> 0.4959.
 * P8: 260/500 = 0.52 >= 0.4959, on pace; shortfall 240; days left 184:
 * 240 × 365 / (184 × 12) = 39.673913... -> 39.6739. */
START_TEST(test_yearly_on_pace)
{
	run(MID_2022, 20220630);
	ck_status(P8, RULEBOOK_TARGET_ON_PACE);
	ck_figs(P8, "260", "500", "0.52", "0.4959", "240", "39.6739");
	/* the same day a year later is again 181/365 of its year */
	run("{\"trained\": 100}", 20230630);
	ck_status(P8, RULEBOOK_TARGET_BEHIND_PACE);
	/* 100/500 = 0.2 < 0.4959; 400 × 365 / 2208 = 66.123188... */
	ck_figs(P8, "100", "500", "0.2", "0.4959", "400", "66.1232");
}
END_TEST

/* Reduction: (base - measure) / base = (0.5 - 0.47) / 0.5 = 0.06 against
 * 10 %: completion 0.6 >= 0.4986 -> on pace, shortfall 0.1 - 0.06 = 0.04;
 * no monthly need (only cumulative targets have one). */
START_TEST(test_reduction)
{
	run(MID_2022, 20220630);
	ck_status(T12, RULEBOOK_TARGET_ON_PACE);
	ck_figs(T12, "0.06", "0.1", "0.6", "0.4986", "0.04", NULL);
	/* 0.5 -> 0.48: 0.04, completion 0.4 < 0.4986 */
	run("{\"intensity\": 0.48, \"intensity_base\": 0.5}", 20220630);
	ck_status(T12, RULEBOOK_TARGET_BEHIND_PACE);
	ck_figs(T12, "0.04", "0.1", "0.4", "0.4986", "0.06", NULL);
	/* an intensity that went up is a negative achievement */
	run("{\"intensity\": 0.55, \"intensity_base\": 0.5}", 20220630);
	ck_status(T12, RULEBOOK_TARGET_BEHIND_PACE);
	ck_figs(T12, "-0.1", "0.1", "-1", "0.4986", "0.2", NULL);
}
END_TEST

/* Growth, yearly: (measure - base) / base = (10.3 - 10) / 10 = 0.03 against
 * 8 %: completion 0.375 < 0.4959 -> behind pace, shortfall 0.05. */
START_TEST(test_growth)
{
	run(MID_2022, 20220630);
	ck_status(G1, RULEBOOK_TARGET_BEHIND_PACE);
	ck_figs(G1, "0.03", "0.08", "0.375", "0.4959", "0.05", NULL);
	/* 10.4: 0.04 -> completion 0.5 >= 0.4959 */
	run("{\"output\": 10.4, \"output_base\": 10}", 20220630);
	ck_status(G1, RULEBOOK_TARGET_ON_PACE);
	ck_figs(G1, "0.04", "0.08", "0.5", "0.4959", "0.04", NULL);
	/* 10.8 reaches 8 % before the end of the year: met */
	run("{\"output\": 10.8, \"output_base\": 10}", 20220630);
	ck_status(G1, RULEBOOK_TARGET_MET);
	ck_figs(G1, "0.08", "0.08", "1", "0.4959", "0", NULL);
}
END_TEST

/* An at-most budget for 2022: on 2022-06-30 time progress is 181/365, so
 * 1000 × 181/365 = 495.89... may have been used. */
START_TEST(test_at_most_budget)
{
	run(MID_2022, 20220630);
	/* 490 <= 495.89: on pace; within the budget: no shortfall */
	ck_status(E1, RULEBOOK_TARGET_ON_PACE);
	ck_figs(E1, "490", "1000", "0.49", "0.4959", "0", NULL);
	/* 500 > 495.89: used faster than time, though still under 1000 */
	run("{\"energy_used\": 500}", 20220630);
	ck_status(E1, RULEBOOK_TARGET_BEHIND_PACE);
	ck_figs(E1, "500", "1000", "0.5", "0.4959", "0", NULL);
	/* over the budget: the shortfall is achieved - target = 200 */
	run("{\"energy_used\": 1200}", 20220630);
	ck_status(E1, RULEBOOK_TARGET_BEHIND_PACE);
	ck_figs(E1, "1200", "1000", "1.2", "0.4959", "200", NULL);
	/* on the last day of the year the budget held: met */
	run("{\"energy_used\": 1000}", 20221231);
	ck_status(E1, RULEBOOK_TARGET_MET);
	ck_figs(E1, "1000", "1000", "1", "1", "0", NULL);
	/* one over on the last day: missed by 1 */
	run("{\"energy_used\": 1001}", 20221231);
	ck_status(E1, RULEBOOK_TARGET_MISSED);
	ck_figs(E1, "1001", "1000", "1.001", "1", "1", NULL);
}
END_TEST

/* An at-most level (no unit): 33 <= 35 mid-period is on pace; 33/35 =
 * 0.942857... -> 0.9429. 36 is over it: behind pace by 1. */
START_TEST(test_at_most_level)
{
	run(MID_2022, 20220630);
	ck_status(L1, RULEBOOK_TARGET_ON_PACE);
	ck_figs(L1, "33", "35", "0.9429", "0.4959", "0", NULL);
	run("{\"pm25\": 36}", 20220630);
	ck_status(L1, RULEBOOK_TARGET_BEHIND_PACE);
	ck_figs(L1, "36", "35", "1.0286", "0.4959", "1", NULL);
}
END_TEST

/* On the last day of the period the figures are final: 3999 of 4000 is
 * missed by 1 (completion 0.99975 -> 0.9998, half up), time progress 1. */
START_TEST(test_missed_on_last_day)
{
	run("{\"freed_land\": 3999, \"energy_used\": 990, \"intensity\": 0.45,"
	    " \"intensity_base\": 0.5, \"output\": 10.8, \"output_base\": 10, \"trained\": 499,"
	    " \"pm25\": 40}",
	    20231231);
	ck_status(T14, RULEBOOK_TARGET_MISSED);
	ck_figs(T14, "3999", "4000", "0.9998", "1", "1", NULL);
	/* yearly 2023: 990 <= 1000 on 2023-12-31 */
	ck_status(E1, RULEBOOK_TARGET_MET);
	ck_figs(E1, "990", "1000", "0.99", "1", "0", NULL);
	/* (0.5 - 0.45) / 0.5 = 0.1: exactly the 10 % */
	ck_status(T12, RULEBOOK_TARGET_MET);
	ck_figs(T12, "0.1", "0.1", "1", "1", "0", NULL);
	/* (10.8 - 10) / 10 = 0.08 */
	ck_status(G1, RULEBOOK_TARGET_MET);
	ck_figs(G1, "0.08", "0.08", "1", "1", "0", NULL);
	/* 499 of 500 */
	ck_status(P8, RULEBOOK_TARGET_MISSED);
	ck_figs(P8, "499", "500", "0.998", "1", "1", NULL);
	/* L1's period (2022) is long over: 40 > 35 missed by 5; 40/35 = 1.142857... */
	ck_status(L1, RULEBOOK_TARGET_MISSED);
	ck_figs(L1, "40", "35", "1.1429", "1", "5", NULL);
	/* F1 in 公顷 (15 亩 each): 3999/15 = 266.6 of 100 */
	ck_status(F1, RULEBOOK_TARGET_MET);
	ck_figs(F1, "266.6", "100", "2.666", "1", "0", NULL);
}
END_TEST

/* One day earlier the period is still running: 1094 of 1095 days elapsed,
 * time progress 0.999086... -> 0.9991 (below completion 0.99975: on pace),
 * and one day is left: 1 × 365 / (1 × 12) = 30.416666... -> 30.4167. */
START_TEST(test_day_before_the_end)
{
	run("{\"freed_land\": 3999}", 20231230);
	ck_status(T14, RULEBOOK_TARGET_ON_PACE);
	ck_figs(T14, "3999", "4000", "0.9998", "0.9991", "1", "30.4167");
}
END_TEST

START_TEST(test_met_early)
{
	run("{\"freed_land\": 4000}", 20220630);
	ck_status(T14, RULEBOOK_TARGET_MET);
	ck_figs(T14, "4000", "4000", "1", "0.4986", "0", NULL);
	run("{\"freed_land\": 4400}", 20220630);
	ck_status(T14, RULEBOOK_TARGET_MET);
	ck_figs(T14, "4400", "4000", "1.1", "0.4986", "0", NULL);
}
END_TEST

/* F1 runs 2023-07-01..2023-12-31 (184 days). Before it: not started, time
 * progress 0. 1900 亩 = 1900/15 公顷 = 126.666666666666667 (18 digits). */
START_TEST(test_not_started_and_unit_conversion)
{
	run(MID_2022, 20220630);
	ck_status(F1, RULEBOOK_TARGET_NOT_STARTED);
	ck_fig(F1, RULEBOOK_TARGET_ACHIEVED, "126.666666666666667");
	ck_fig(F1, RULEBOOK_TARGET_GOAL, "100");
	ck_fig(F1, RULEBOOK_TARGET_TIME_PROGRESS, "0");
	ck_fig(F1, RULEBOOK_TARGET_NEEDED_PER_MONTH, NULL);
	run("{\"freed_land\": 1000}", 20230630);
	ck_status(F1, RULEBOOK_TARGET_NOT_STARTED);
	ck_fig(F1, RULEBOOK_TARGET_TIME_PROGRESS, "0");
	/* its first day: 1/184 = 0.005434... -> 0.0054; 1000 亩 = 66.6666666666666667
	 * 公顷, completion 0.6667; shortfall 33.3333333333333333 over 183 days left:
	 * × 365 / 2196 = 5.540376... -> 5.5404 */
	run("{\"freed_land\": 1000}", 20230701);
	ck_status(F1, RULEBOOK_TARGET_ON_PACE);
	ck_figs(F1, "66.6666666666666667", "100", "0.6667", "0.0054", "33.3333333333333333", "5.5404");
	/* a measure given in m² is converted exactly: 20000 m² = 30 亩; 30/4000 =
	 * 0.0075; 3970 × 365 / 6588 = 219.95294... */
	rulebook_facts_clear(facts);
	ck_assert_int_eq(rulebook_facts_set_decimal(facts, "freed_land", "20000 m²", NULL), RULEBOOK_OK);
	eval_ok(rb, facts, 20220630, res);
	ck_figs(T14, "30", "4000", "0.0075", "0.4986", "3970", "219.9529");
}
END_TEST

/* A missing measure (or base) leaves the status unknown and the figures
 * that depend on it absent; time progress only needs the dates. */
START_TEST(test_unknown)
{
	run("{}", 20220630);
	/* F1's period has not begun: not_started wins over missing data */
	for (size_t t = 0; t < NTARGETS; t++)
		ck_status(t, t == F1 ? RULEBOOK_TARGET_NOT_STARTED : RULEBOOK_TARGET_UNKNOWN);
	ck_fig(T14, RULEBOOK_TARGET_ACHIEVED, NULL);
	ck_fig(T14, RULEBOOK_TARGET_COMPLETION, NULL);
	ck_fig(T14, RULEBOOK_TARGET_SHORTFALL, NULL);
	ck_fig(T14, RULEBOOK_TARGET_NEEDED_PER_MONTH, NULL);
	ck_fig(T14, RULEBOOK_TARGET_TIME_PROGRESS, "0.4986");
	/* the base of a reduction missing */
	run("{\"intensity\": 0.47}", 20220630);
	ck_status(T12, RULEBOOK_TARGET_UNKNOWN);
	ck_fig(T12, RULEBOOK_TARGET_ACHIEVED, NULL);
	ck_fig(T12, RULEBOOK_TARGET_COMPLETION, NULL);
	/* the measure explicitly null */
	run("{\"freed_land\": null, \"output_base\": 10}", 20220630);
	ck_status(T14, RULEBOOK_TARGET_UNKNOWN);
	ck_status(G1, RULEBOOK_TARGET_UNKNOWN);
}
END_TEST

START_TEST(test_not_in_force)
{
	run(MID_2022, 20240101);
	for (size_t t = 0; t < NTARGETS; t++)
		ck_status(t, RULEBOOK_TARGET_NOT_IN_FORCE);
	run(MID_2022, 20201231);
	for (size_t t = 0; t < NTARGETS; t++)
		ck_status(t, RULEBOOK_TARGET_NOT_IN_FORCE);
	/* the first day in force counts: 1 of 1095 days */
	run(MID_2022, 20210101);
	ck_status(T14, RULEBOOK_TARGET_ON_PACE);
	/* 1/1095 = 0.000913... -> 0.0009 */
	ck_fig(T14, RULEBOOK_TARGET_TIME_PROGRESS, "0.0009");
}
END_TEST

/* Every evaluation replaces the figures of the one before. */
START_TEST(test_reevaluation_replaces)
{
	run(MID_2022, 20220630);
	ck_fig(T14, RULEBOOK_TARGET_NEEDED_PER_MONTH, "116.3479");
	run("{\"freed_land\": 4000}", 20220630);
	ck_fig(T14, RULEBOOK_TARGET_NEEDED_PER_MONTH, NULL);
	ck_fig(T12, RULEBOOK_TARGET_ACHIEVED, NULL);
	ck_status(T12, RULEBOOK_TARGET_UNKNOWN);
}
END_TEST

/* An unknown target names what it misses: the measure's inputs through
 * its indicator, and a base or a target parameter without a value on the
 * as-of date. Any other status names nothing. */
START_TEST(test_unknown_names_missing)
{
	rulebook *t = load_str(HDR "inputs:\n  - {id: a, type: number, unit: 亩}\n"
				   "  - {id: b, type: number, unit: 亩}\n"
				   "  - {id: base, type: number, unit: 亩}\n"
				   "parameters:\n"
				   "  - {id: goal, unit: 亩, cite: 二, provenance: cited,"
				   " values: [{from: 2023-01-01, value: 100}]}\n"
				   "indicators:\n  - {id: total, expr: a + b, unit: 亩}\n"
				   "targets:\n"
				   "  - {id: T, cite: 四, measure: total, target: goal, unit: 亩,"
				   " period: yearly}\n"
				   "  - {id: G, cite: 五, measure: a, base: base, target: 10%, unit: 亩,"
				   " kind: growth, period: yearly}\n");
	rulebook_facts *f = rulebook_facts_new(t);
	rulebook_result *r = rulebook_result_new(t);
	set_json(f, "{\"a\": 30}");
	eval_ok(t, f, 20230630, r);
	/* total = a + b: b is missing; goal has a value */
	ck_assert_int_eq(rulebook_result_target_status(r, 0), RULEBOOK_TARGET_UNKNOWN);
	ck_assert_uint_eq(rulebook_result_target_missing_count(r, 0), 1);
	ck_assert_str_eq(rulebook_result_target_missing(r, 0, 0), "b");
	ck_assert_ptr_null(rulebook_result_target_missing(r, 0, 1));
	/* the growth target has its measure and misses its base */
	ck_assert_int_eq(rulebook_result_target_status(r, 1), RULEBOOK_TARGET_UNKNOWN);
	ck_assert_uint_eq(rulebook_result_target_missing_count(r, 1), 1);
	ck_assert_str_eq(rulebook_result_target_missing(r, 1, 0), "base");
	/* in 2022 the goal has no value either: b, then goal (the order they are used in) */
	eval_ok(t, f, 20220630, r);
	ck_assert_uint_eq(rulebook_result_target_missing_count(r, 0), 2);
	ck_assert_str_eq(rulebook_result_target_missing(r, 0, 0), "b");
	ck_assert_str_eq(rulebook_result_target_missing(r, 0, 1), "goal");
	/* JSON and the explanation say the same */
	const char *text = NULL;
	ck_assert_int_eq(rulebook_result_json(r, 0, &text, NULL), RULEBOOK_OK);
	ck_assert_msg(contains(text, "\"status\":\"unknown\",\"flagged\":false,"
				     "\"missing\":[\"b\",\"goal\"]"), "%s", text);
	ck_assert_int_eq(rulebook_result_explain(r, RULEBOOK_OUT_LANG_EN, &text, NULL), RULEBOOK_OK);
	ck_assert_msg(contains(text, "[UNKNOWN] T (clause 四)\n  missing: b, goal\n"), "%s", text);
	ck_assert_int_eq(rulebook_result_explain(r, 0, &text, NULL), RULEBOOK_OK);
	ck_assert_msg(contains(text, "  缺少数据：b, goal\n"), "%s", text);
	/* decided: nothing is missing; 30 + 20 = 50 of 100 by mid-year */
	set_json(f, "{\"b\": 20, \"base\": 25}");
	eval_ok(t, f, 20230630, r);
	ck_assert_int_ne(rulebook_result_target_status(r, 0), RULEBOOK_TARGET_UNKNOWN);
	ck_assert_uint_eq(rulebook_result_target_missing_count(r, 0), 0);
	ck_assert_ptr_null(rulebook_result_target_missing(r, 0, 0));
	ck_assert_uint_eq(rulebook_result_target_missing_count(r, 1), 0);
	ck_assert_int_eq(rulebook_result_json(r, 0, &text, NULL), RULEBOOK_OK);
	ck_assert_msg(contains(text, "\"missing\":[]"), "%s", text);
	/* NULL and out of range */
	ck_assert_uint_eq(rulebook_result_target_missing_count(NULL, 0), 0);
	ck_assert_uint_eq(rulebook_result_target_missing_count(r, 2), 0);
	ck_assert_ptr_null(rulebook_result_target_missing(NULL, 0, 0));
	ck_assert_ptr_null(rulebook_result_target_missing(r, 2, 0));
	rulebook_result_free(r);
	rulebook_facts_free(f);
	rulebook_free(t);
}
END_TEST

/* A yearly target in a leap year: on 2024-02-29, 31 + 29 = 60 of 366 days
 * have elapsed: 0.163934... -> 0.1639; 306 days are left, so 400 still
 * missing need 400 × 365 / (306 × 12) = 39.760348... -> 39.7603 a month. */
START_TEST(test_leap_year)
{
	rulebook *leap = load_str(HDR "inputs:\n  - {id: trained, type: integer, unit: 人次}\n"
				      "targets:\n"
				      "  - {id: P8, cite: 四（五）, measure: trained, target: 500, unit: 人次,"
				      " period: yearly}\n");
	rulebook_facts *f = rulebook_facts_new(leap);
	rulebook_result *r = rulebook_result_new(leap);
	set_json(f, "{\"trained\": 100}");
	eval_ok(leap, f, 20240229, r);
	ck_assert_int_eq(rulebook_result_target_status(r, 0), RULEBOOK_TARGET_ON_PACE);
	ck_assert_str_eq(rulebook_result_target_value(r, 0, RULEBOOK_TARGET_COMPLETION), "0.2");
	ck_assert_str_eq(rulebook_result_target_value(r, 0, RULEBOOK_TARGET_TIME_PROGRESS), "0.1639");
	ck_assert_str_eq(rulebook_result_target_value(r, 0, RULEBOOK_TARGET_SHORTFALL), "400");
	ck_assert_str_eq(rulebook_result_target_value(r, 0, RULEBOOK_TARGET_NEEDED_PER_MONTH), "39.7603");
	/* the header has no in_force: every date is in force; 2024-12-31 is the
	 * last day of that year's period */
	eval_ok(leap, f, 20241231, r);
	ck_assert_int_eq(rulebook_result_target_status(r, 0), RULEBOOK_TARGET_MISSED);
	ck_assert_str_eq(rulebook_result_target_value(r, 0, RULEBOOK_TARGET_TIME_PROGRESS), "1");
	/* and a new year starts over: 1 of 365 days -> 0.0027 */
	eval_ok(leap, f, 20250101, r);
	ck_assert_int_eq(rulebook_result_target_status(r, 0), RULEBOOK_TARGET_ON_PACE);
	ck_assert_str_eq(rulebook_result_target_value(r, 0, RULEBOOK_TARGET_TIME_PROGRESS), "0.0027");
	rulebook_result_free(r);
	rulebook_facts_free(f);
	rulebook_free(leap);
}
END_TEST

/* ---- JSON and explanation ---- */

static jv *json_of(uint32_t flags)
{
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
	ck_assert_msg(got != NULL, "%s is absent or not a string", path);
	ck_assert_msg(strcmp(got, want) == 0, "%s is '%s', wanted '%s'", path, got, want);
}

static void ck_null(const jv *v, const char *path)
{
	const jv *x = json_path(v, path);
	ck_assert_msg(x != NULL && x->kind == J_NULL, "%s should be null", path);
}

static void ck_bool(const jv *v, const char *path, int want)
{
	const jv *x = json_path(v, path);
	ck_assert_msg(x != NULL && x->kind == J_BOOL, "%s should be a boolean", path);
	ck_assert_int_eq(x->boolean, want);
}

START_TEST(test_json_targets)
{
	run(MID_2022, 20220630);
	jv *v = json_of(0);
	const jv *arr = json_path(v, "targets");
	ck_assert_ptr_nonnull(arr);
	ck_assert_int_eq(arr->kind, J_ARRAY);
	ck_assert_uint_eq(arr->count, NTARGETS);
	ck_text(v, "targets/0/id", "T14.freed_land");
	ck_text(v, "targets/0/status", "behind_pace");
	ck_bool(v, "targets/0/flagged", 1);
	ck_text(v, "targets/0/cite", "二");
	ck_text(v, "targets/0/title", "腾出低效工业用地");
	ck_text(v, "targets/0/unit", "亩");
	ck_text(v, "targets/0/responsible/0", "规划与自然资源局临安分局");
	ck_text(v, "targets/0/responsible/1", "区经信局");
	ck_text(v, "targets/0/achieved", "1900");
	ck_text(v, "targets/0/target", "4000");
	ck_text(v, "targets/0/completion", "0.475");
	ck_text(v, "targets/0/time_progress", "0.4986");
	ck_text(v, "targets/0/shortfall", "2100");
	ck_text(v, "targets/0/needed_per_month", "116.3479");
	/* numbers are strings, never JSON numbers */
	ck_assert_int_eq(json_path(v, "targets/0/achieved")->kind, J_STRING);
	/* on pace is not flagged; no monthly need for a reduction */
	ck_text(v, "targets/2/id", "T12.intensity_cut");
	ck_text(v, "targets/2/status", "on_pace");
	ck_bool(v, "targets/2/flagged", 0);
	ck_text(v, "targets/2/achieved", "0.06");
	ck_null(v, "targets/2/needed_per_month");
	ck_text(v, "targets/3/status", "behind_pace");
	ck_bool(v, "targets/3/flagged", 1);
	ck_text(v, "targets/6/status", "not_started");
	ck_bool(v, "targets/6/flagged", 0);
	ck_text(v, "targets/6/unit", "公顷");
	ck_text(v, "targets/5/unit", "");
	json_free(v);

	/* English titles */
	v = json_of(RULEBOOK_OUT_LANG_EN | RULEBOOK_OUT_PRETTY);
	ck_text(v, "targets/0/title", "inefficient industrial land freed");
	ck_text(v, "targets/0/completion", "0.475");
	json_free(v);

	/* verdicts only: the id and status remain, the figures go */
	v = json_of(RULEBOOK_OUT_VERDICTS);
	ck_text(v, "targets/0/id", "T14.freed_land");
	ck_text(v, "targets/0/status", "behind_pace");
	ck_assert_ptr_null(json_path(v, "targets/0/achieved"));
	json_free(v);

	/* missed is flagged; unknown figures are null */
	run("{\"freed_land\": 3999}", 20231231);
	v = json_of(0);
	ck_text(v, "targets/0/status", "missed");
	ck_bool(v, "targets/0/flagged", 1);
	ck_text(v, "targets/0/shortfall", "1");
	ck_text(v, "targets/1/status", "unknown");
	ck_null(v, "targets/1/achieved");
	json_free(v);
}
END_TEST

START_TEST(test_json_without_targets)
{
	rulebook *plain = load_str(HDR "rules:\n  - {id: R, cite: 一, require: 1 > 0}\n");
	rulebook_facts *f = rulebook_facts_new(plain);
	rulebook_result *r = rulebook_result_new(plain);
	eval_ok(plain, f, 20230630, r);
	const char *out = NULL;
	size_t len = 0;
	ck_assert_int_eq(rulebook_result_json(r, 0, &out, &len), RULEBOOK_OK);
	jv *v = json_parse(out, len);
	ck_assert_ptr_nonnull(v);
	const jv *arr = json_path(v, "targets");
	ck_assert_ptr_nonnull(arr);
	ck_assert_int_eq(arr->kind, J_ARRAY);
	ck_assert_uint_eq(arr->count, 0);
	json_free(v);
	rulebook_result_free(r);
	rulebook_facts_free(f);
	rulebook_free(plain);
}
END_TEST

START_TEST(test_explain_targets)
{
	run(MID_2022, 20220630);
	const char *text = NULL;
	size_t len = 0;
	ck_assert_int_eq(rulebook_result_explain(res, RULEBOOK_OUT_LANG_EN, &text, &len), RULEBOOK_OK);
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(len, strlen(text));
	/* the behind-pace target with its figures and the units to ask */
	ck_assert_msg(contains(text, "T14.freed_land"), "%s", text);
	ck_assert(contains(text, "1900"));
	ck_assert(contains(text, "4000"));
	ck_assert(contains(text, "0.475"));
	ck_assert(contains(text, "0.4986"));
	ck_assert(contains(text, "2100"));
	ck_assert(contains(text, "116.3479"));
	ck_assert(contains(text, "规划与自然资源局临安分局"));
	ck_assert(contains(text, "P8.training"));
	ck_assert(contains(text, "39.6739"));
	/* Chinese */
	ck_assert_int_eq(rulebook_result_explain(res, 0, &text, &len), RULEBOOK_OK);
	ck_assert(contains(text, "T14.freed_land"));
	ck_assert(contains(text, "腾出低效工业用地"));
	ck_assert(contains(text, "116.3479"));
}
END_TEST

/* ---- regressions: cases that once went wrong ---- */

/* "NULL when it cannot be computed": with the measure missing the goal is
 * still known (the parameter freed_land_goal = 4000). */
START_TEST(test_goal_known_when_measure_missing)
{
	run("{}", 20220630);
	ck_status(T14, RULEBOOK_TARGET_UNKNOWN);
	ck_fig(T14, RULEBOOK_TARGET_GOAL, "4000");
}
END_TEST

static Suite *targets_suite(void)
{
	Suite *s = suite_create("targets");
	TCase *tc = tcase_create("accessors");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_status_str);
	tcase_add_test(tc, test_accessors);
	tcase_add_test(tc, test_result_null_and_range);
	suite_add_tcase(s, tc);

	tc = tcase_create("figures");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_cumulative_behind_pace);
	tcase_add_test(tc, test_yearly_on_pace);
	tcase_add_test(tc, test_reduction);
	tcase_add_test(tc, test_growth);
	tcase_add_test(tc, test_at_most_budget);
	tcase_add_test(tc, test_at_most_level);
	tcase_add_test(tc, test_missed_on_last_day);
	tcase_add_test(tc, test_day_before_the_end);
	tcase_add_test(tc, test_met_early);
	tcase_add_test(tc, test_not_started_and_unit_conversion);
	tcase_add_test(tc, test_unknown);
	tcase_add_test(tc, test_not_in_force);
	tcase_add_test(tc, test_reevaluation_replaces);
	tcase_add_test(tc, test_leap_year);
	suite_add_tcase(s, tc);

	tc = tcase_create("output");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_json_targets);
	tcase_add_test(tc, test_json_without_targets);
	tcase_add_test(tc, test_explain_targets);
	suite_add_tcase(s, tc);

	tc = tcase_create("partial_figures");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_goal_known_when_measure_missing);
	tcase_add_test(tc, test_unknown_names_missing);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(targets_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
