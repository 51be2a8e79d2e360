/* rulebook_lint (every kind of finding, with its status, message, position
 * and name) and the parameter accessors (rulebook_param_*), with dated
 * values switching on their dates. The rulebooks are written here; their
 * positions are found in the text, so a finding's line and column are
 * checked against the source rather than against numbers. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The 1-based line and byte column of the n-th (0-based) occurrence of
 * needle in text. */
static void pos_of(const char *text, const char *needle, int n, uint32_t *line, uint32_t *col)
{
	const char *hit = text;
	for (int k = 0; k <= n; k++) {
		hit = strstr(k ? hit + 1 : hit, needle);
		ck_assert_msg(hit != NULL, "'%s' not found %d times", needle, n + 1);
	}
	uint32_t l = 1;
	const char *bol = text;
	for (const char *p = text; p < hit; p++)
		if (*p == '\n') {
			l++;
			bol = p + 1;
		}
	*line = l;
	*col = (uint32_t)(hit - bol) + 1;
}

/* The index of the finding whose message contains fragment; fails unless
 * there is exactly one. */
static size_t finding(const rulebook_error *out, const char *fragment)
{
	size_t at = SIZE_MAX;
	for (size_t i = 0; i < rulebook_error_count(out); i++)
		if (contains(rulebook_error_message(out, i), fragment)) {
			ck_assert_msg(at == SIZE_MAX, "two findings contain '%s'", fragment);
			at = i;
		}
	ck_assert_msg(at != SIZE_MAX, "no finding contains '%s'", fragment);
	return at;
}

static int has_finding(const rulebook_error *out, const char *fragment)
{
	for (size_t i = 0; i < rulebook_error_count(out); i++)
		if (contains(rulebook_error_message(out, i), fragment))
			return 1;
	return 0;
}

/* Finding i: status st in t.yaml at the n-th occurrence of needle, about
 * subject. */
static void ck_finding_st(const rulebook_error *out, size_t i, rulebook_status st, const char *yaml,
			  const char *needle, int n, const char *subject)
{
	uint32_t line, col;
	pos_of(yaml, needle, n, &line, &col);
	ck_assert_int_eq(rulebook_error_status_at(out, i), st);
	ck_assert_str_eq(rulebook_error_file(out, i), "t.yaml");
	ck_assert_msg(rulebook_error_line(out, i) == line && rulebook_error_column(out, i) == col,
		      "'%s' at %u:%u, wanted %u:%u", rulebook_error_message(out, i),
		      rulebook_error_line(out, i), rulebook_error_column(out, i), line, col);
	ck_assert_str_eq(rulebook_error_subject(out, i), subject);
}

/* A likely mistake (RULEBOOK_LINT). */
static void ck_finding(const rulebook_error *out, size_t i, const char *yaml, const char *needle,
		       int n, const char *subject)
{
	ck_finding_st(out, i, RULEBOOK_LINT, yaml, needle, n, subject);
}

/* Information (RULEBOOK_NOTE). */
static void ck_note(const rulebook_error *out, size_t i, const char *yaml, const char *needle, int n,
		    const char *subject)
{
	ck_finding_st(out, i, RULEBOOK_NOTE, yaml, needle, n, subject);
}

/* ---- lint ---- */

static const char *const LINTY =
	HDR
	"in_force: {from: 2022-01-01, until: 2023-12-31}\n"
	"inputs:\n"
	"  - {id: used, type: number}\n"
	"  - {id: unused, type: number}\n"
	"  - {id: flag, type: boolean}\n"
	"parameters:\n"
	"  - {id: later, cite: 一, provenance: cited, values: [{from: 2024-01-01, value: 1}]}\n"
	"  - {id: demo, cite: 二, provenance: illustrative, note: an example value, value: 2}\n"
	"  - {id: demo2, cite: 二, provenance: illustrative, note: another example, value: 3}\n"
	"rules:\n"
	"  - id: R1\n"
	"    cite: 一\n"
	"    when: 1 > 2\n"
	"    require: used > 0\n"
	"  - id: R2\n"
	"    cite: 一\n"
	"    require: used > demo + demo2\n"
	"    unless:\n"
	"      - {id: always, when: 1 < 2, cite: 一}\n"
	"      - {id: first, when: flag, cite: 一}\n"
	"      - {id: again, when: flag, cite: 一}\n"
	"  - id: R3\n"
	"    cite: 一\n"
	"    require: used < later\n";

/* As of 2023-06-30: the unused input, R1's `when`, the exception that
 * always applies, the repeated one, `later` (first value 2024-01-01) and
 * two illustrative parameters: six findings. */
/* Test cases that name what does not exist are found by lint (and so by
 * `rulebook check`), each at its line and column. */
START_TEST(test_lint_test_cases)
{
	rulebook *rb = load_str(HDR "inputs:\n  - {id: tax, type: number}\n"
				    "rules:\n  - {id: R, cite: c, require: tax >= 1}\n"
				    "tests:\n  - name: bad\n    as_of: 2023-01-01\n"
				    "    facts: {taxx: 1, tax: abc}\n"
				    "    expect: {verdicts: {RR: pass}, values: {nope: 1}}\n");
	rulebook_error *err = rulebook_error_new();
	ck_assert_int_eq(rulebook_lint(rb, 0, err), RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_error_count(err), 4);
	check_diag(err, 0, RULEBOOK_LINT, "test 'bad': 'taxx' is not an input of the rulebook",
		   "t.yaml", 13, 13);
	check_diag(err, 1, RULEBOOK_LINT, "test 'bad': 'abc' is not a decimal number for input 'tax'",
		   "t.yaml", 13, 27);
	check_diag(err, 2, RULEBOOK_LINT, "test 'bad' expects a verdict of 'RR', which is not a rule",
		   "t.yaml", 14, 25);
	check_diag(err, 3, RULEBOOK_LINT, "test 'bad' expects a value of 'nope', which is not an input",
		   "t.yaml", 14, 45);
	rulebook_error_free(err);
	rulebook_free(rb);
}
END_TEST

START_TEST(test_lint_findings)
{
	rulebook *rb = load_str(LINTY);
	rulebook_error *out = rulebook_error_new();
	ck_assert_int_eq(rulebook_lint(rb, 20230630, out), RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_error_count(out), 6);
	/* the first finding is the unused input, a likely mistake */
	ck_assert_int_eq(rulebook_error_status(out), RULEBOOK_LINT);

	size_t i = finding(out, "'unused'");
	ck_assert(contains(rulebook_error_message(out, i), "not used"));
	ck_finding(out, i, LINTY, "unused", 0, "unused");

	i = finding(out, "can never apply");
	ck_assert(contains(rulebook_error_message(out, i), "R1"));
	ck_finding(out, i, LINTY, "1 > 2", 0, "R1");

	i = finding(out, "always applies");
	ck_assert(contains(rulebook_error_message(out, i), "'always'"));
	ck_finding(out, i, LINTY, "1 < 2", 0, "R2");

	i = finding(out, "repeats");
	ck_assert(contains(rulebook_error_message(out, i), "'again'"));
	ck_assert(contains(rulebook_error_message(out, i), "'first'"));
	ck_finding(out, i, LINTY, "flag", 2, "R2");

	i = finding(out, "no value in force");
	ck_assert(contains(rulebook_error_message(out, i), "'later'"));
	ck_assert(contains(rulebook_error_message(out, i), "2023-06-30"));
	ck_finding(out, i, LINTY, "later", 0, "later");

	i = finding(out, "illustrative");
	ck_assert(contains(rulebook_error_message(out, i), "2 illustrative parameters"));
	ck_note(out, i, LINTY, "t\n", 0, "t");

	ck_assert(!has_finding(out, "no longer in force"));
	ck_assert(!has_finding(out, "'used'"));
	ck_assert(!has_finding(out, "'flag'"));
	ck_assert(!has_finding(out, "R3"));
	rulebook_error_free(out);
	rulebook_free(rb);
}
END_TEST

/* As of 2024-06-30 the rulebook has ended (2023-12-31) and `later` has its
 * value; as of 0 the date checks are skipped. The other findings do not
 * depend on the date. */
START_TEST(test_lint_dates)
{
	rulebook *rb = load_str(LINTY);
	rulebook_error *out = rulebook_error_new();
	ck_assert_int_eq(rulebook_lint(rb, 20240630, out), RULEBOOK_OK);
	size_t i = finding(out, "no longer in force");
	ck_assert(contains(rulebook_error_message(out, i), "2023-12-31"));
	ck_finding(out, i, LINTY, "t\n", 0, "t");
	ck_assert(!has_finding(out, "no value in force"));
	ck_assert(has_finding(out, "'unused'"));
	ck_assert(has_finding(out, "can never apply"));
	ck_assert(has_finding(out, "always applies"));
	ck_assert(has_finding(out, "repeats"));
	ck_assert(has_finding(out, "2 illustrative parameters"));
	ck_assert_uint_eq(rulebook_error_count(out), 6);

	/* the out object is cleared first */
	ck_assert_int_eq(rulebook_lint(rb, 0, out), RULEBOOK_OK);
	ck_assert(!has_finding(out, "no longer in force"));
	ck_assert(!has_finding(out, "no value in force"));
	ck_assert(has_finding(out, "'unused'"));
	ck_assert(has_finding(out, "can never apply"));
	ck_assert(has_finding(out, "2 illustrative parameters"));
	ck_assert_uint_eq(rulebook_error_count(out), 5);

	/* the last day in force is still in force */
	ck_assert_int_eq(rulebook_lint(rb, 20231231, out), RULEBOOK_OK);
	ck_assert(!has_finding(out, "no longer in force"));
	ck_assert(has_finding(out, "no value in force"));
	rulebook_error_free(out);
	rulebook_free(rb);
}
END_TEST

/* Inputs used only by a target, a scorecard (through an indicator, or
 * directly) or an aggregate are used; z is not. One illustrative
 * parameter: the singular. */
START_TEST(test_lint_other_users)
{
	static const char *const yaml =
		HDR
		"inputs:\n"
		"  - {id: t_in, type: number}\n"
		"  - {id: s_in, type: number}\n"
		"  - {id: i_in, type: number}\n"
		"  - {id: a_in, type: number}\n"
		"  - {id: z, type: number}\n"
		"parameters:\n"
		"  - {id: goal, cite: 一, provenance: illustrative, note: an example, value: 10}\n"
		"indicators:\n"
		"  - {id: doubled, expr: i_in * 2}\n"
		"targets:\n"
		"  - {id: T, cite: 一, measure: t_in, target: goal, period: yearly}\n"
		"scorecards:\n"
		"  - id: S\n"
		"    cite: 一\n"
		"    components:\n"
		"      - {id: c1, value: doubled, benchmark: 1, weight: 1}\n"
		"      - {id: c2, value: s_in, benchmark: 1, weight: 1}\n"
		"    classes:\n"
		"      - {id: A, min: 1}\n"
		"      - {id: B}\n"
		"aggregates:\n"
		"  - {id: G, cite: 一, measure: sum, value: a_in}\n";
	rulebook *rb = load_str(yaml);
	rulebook_error *out = rulebook_error_new();
	ck_assert_int_eq(rulebook_lint(rb, 20230630, out), RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_error_count(out), 2);
	size_t i = finding(out, "'z'");
	ck_finding(out, i, yaml, "z,", 0, "z");
	i = finding(out, "1 illustrative parameter:");
	ck_note(out, i, yaml, "t\n", 0, "t");
	rulebook_error_free(out);
	rulebook_free(rb);
}
END_TEST

/* Contradictory conditions: comparisons with literals on one name in one
 * 'and' chain that cannot all hold, at the comparison that closes the
 * range. x > 10 and x < 5: nothing; y >= 3 and y < 3: nothing; z == 2 and
 * z > 2: nothing; a literal on the left counts turned around (5 > w is
 * w < 5). Fine: x > 10 and x < 50, y >= 3 and y <= 3 (exactly 3), ranges
 * on two names, an 'or'. */
START_TEST(test_lint_contradictions)
{
	static const char *const yaml =
		HDR
		"inputs:\n"
		"  - {id: x, type: number}\n"
		"  - {id: y, type: number}\n"
		"  - {id: z, type: number}\n"
		"  - {id: w, type: number}\n"
		"  - {id: m, type: number, unit: 万元}\n"
		"rules:\n"
		"  - {id: R1, cite: 一, require: x > 10 and x < 5}\n"
		"  - {id: R2, cite: 一, when: y >= 3 and x > 0 and y < 3, require: x > 1}\n"
		"  - {id: R3, cite: 一, require: z == 2 and z > 2}\n"
		"  - {id: R4, cite: 一, require: w > 7 and 5 > w}\n"
		"  - {id: R5, cite: 一, require: x > 10 and x < 50 and y >= 3 and y <= 3}\n"
		"  - {id: R6, cite: 一, require: x > 10 or x < 5, unless: [{id: e, cite: 一, when: 'z < 1 and z > 1'}]}\n"
		"  - {id: R7, cite: 一, require: 'm > 1 [亿元] and m < 5'}\n";
	rulebook *rb = load_str(yaml);
	rulebook_error *out = rulebook_error_new();
	ck_assert_int_eq(rulebook_lint(rb, 20230630, out), RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_error_count(out), 5);
	size_t i = finding(out, "'x < 5' contradicts 'x > 10'");
	ck_assert(contains(rulebook_error_message(out, i), "can never hold"));
	ck_finding(out, i, yaml, "x < 5}", 0, "R1");
	i = finding(out, "'y < 3' contradicts 'y >= 3'");
	ck_finding(out, i, yaml, "y < 3,", 0, "R2");
	i = finding(out, "'z > 2' contradicts 'z == 2'");
	ck_finding(out, i, yaml, "z > 2}", 0, "R3");
	i = finding(out, "'5 > w' contradicts 'w > 7'");
	ck_finding(out, i, yaml, "5 > w", 0, "R4");
	/* an exception's condition, in single quotes: one column further */
	i = finding(out, "'z > 1' contradicts 'z < 1'");
	ck_finding(out, i, yaml, "z > 1'", 0, "R6");
	ck_assert(!has_finding(out, "R5"));
	/* R7: 1 亿元 and 5 of m's unit (万元) are not compared */
	ck_assert(!has_finding(out, "'m < 5'"));
	rulebook_error_free(out);
	rulebook_free(rb);
}
END_TEST

/* Bands: rules whose `when` is a range on one name. a: below 10, 10 to
 * 20, 25 up: a gap from 20 to 25 (said at the rule that starts at 25).
 * b: below 15, 10 up: overlap from 10 to 15. c: below 5, above 5: 5 itself
 * is in no band. d: nested thresholds (3 up, 15 up) and no band bounded on
 * both sides: nothing. e: below 10, exactly 10 up: adjacent, nothing. */
START_TEST(test_lint_bands)
{
	static const char *const yaml =
		HDR
		"inputs:\n"
		"  - {id: a, type: number}\n"
		"  - {id: b, type: number}\n"
		"  - {id: c, type: number}\n"
		"  - {id: d, type: number}\n"
		"  - {id: e, type: number}\n"
		"rules:\n"
		"  - {id: A1, cite: 一, when: a < 10, require: b > 0}\n"
		"  - {id: A2, cite: 一, when: a >= 10 and a < 20, require: b > 1}\n"
		"  - {id: A3, cite: 一, when: a >= 25, require: b > 2}\n"
		"  - {id: B1, cite: 一, when: b < 15 and b > 0, require: a > 0}\n"
		"  - {id: B2, cite: 一, when: b >= 10, require: a > 1}\n"
		"  - {id: C1, cite: 一, when: c < 5 and c > 0, require: a > 0}\n"
		"  - {id: C2, cite: 一, when: c > 5, require: a > 1}\n"
		"  - {id: D1, cite: 一, when: d >= 3, require: a > 0}\n"
		"  - {id: D2, cite: 一, when: d >= 15, require: a > 1}\n"
		"  - {id: E1, cite: 一, when: e < 10 and e > 0, require: a > 0}\n"
		"  - {id: E2, cite: 一, when: e >= 10, require: a > 1}\n";
	rulebook *rb = load_str(yaml);
	rulebook_error *out = rulebook_error_new();
	ck_assert_int_eq(rulebook_lint(rb, 20230630, out), RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_error_count(out), 3);
	size_t i = finding(out, "no band covers 'a' between 20 and 25");
	ck_assert(contains(rulebook_error_message(out, i), "rule 'A2' ends at 20 and rule 'A3' starts at 25"));
	ck_finding(out, i, yaml, "a >= 25", 0, "A3");
	i = finding(out, "the band of rule 'B2' on 'b' overlaps the band of rule 'B1' from 10 to 15");
	ck_finding(out, i, yaml, "b >= 10", 0, "B2");
	i = finding(out, "no band covers 'c' at exactly 5");
	ck_assert(contains(rulebook_error_message(out, i), "rule 'C1' ends below it and rule 'C2'"));
	ck_finding(out, i, yaml, "c > 5", 0, "C2");
	rulebook_error_free(out);
	rulebook_free(rb);
}
END_TEST

/* Parameters and indicators no rule, target, scorecard or aggregate uses;
 * a parameter used only by an aggregate's requirement or shown only in a
 * message is used, and so is an indicator used only by another one that
 * is used. */
START_TEST(test_lint_unused_names)
{
	static const char *const yaml =
		HDR
		"inputs:\n"
		"  - {id: x, type: number}\n"
		"parameters:\n"
		"  - {id: p_used, cite: 一, provenance: cited, value: 1}\n"
		"  - {id: p_idle, cite: 一, provenance: cited, value: 2}\n"
		"  - {id: p_agg, cite: 一, provenance: cited, value: 3}\n"
		"  - {id: p_msg, cite: 一, provenance: cited, value: 4}\n"
		"indicators:\n"
		"  - {id: i_base, expr: x * 2}\n"
		"  - {id: i_top, expr: i_base + 1}\n"
		"  - {id: i_idle, expr: x + p_idle}\n"
		"rules:\n"
		"  - {id: R, cite: 一, require: i_top > p_used, message: {zh: '上限 {p_msg}'}}\n"
		"aggregates:\n"
		"  - {id: G, cite: 一, measure: sum, value: x, require: value >= p_agg}\n";
	rulebook *rb = load_str(yaml);
	rulebook_error *out = rulebook_error_new();
	ck_assert_int_eq(rulebook_lint(rb, 20230630, out), RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_error_count(out), 2);
	size_t i = finding(out, "parameter 'p_idle' is not used by any rule, target, scorecard or aggregate");
	ck_finding(out, i, yaml, "p_idle", 0, "p_idle");
	i = finding(out, "indicator 'i_idle' is not used by any rule, target, scorecard, aggregate or test");
	ck_finding(out, i, yaml, "i_idle", 0, "i_idle");
	rulebook_error_free(out);
	rulebook_free(rb);
}
END_TEST

/* A scorecard's figures a parameter makes nonsense from some date: said at
 * the figure, with the date and the value. */
START_TEST(test_lint_dated_scorecard_figures)
{
	static const char *const yaml =
		HDR
		"inputs:\n  - {id: x, type: number}\n"
		"parameters:\n"
		"  - {id: bench, cite: c, provenance: cited, values: [{from: 2022-01-01, value: 2}, {from: 2023-01-01, value: 0}]}\n"
		"  - {id: w, cite: c, provenance: cited, values: [{from: 2022-01-01, value: 1}, {from: 2024-01-01, value: -1}]}\n"
		"  - {id: capp, cite: c, provenance: cited, values: [{from: 2022-01-01, value: 1.5}, {from: 2023-07-01, value: 0.1}]}\n"
		"  - {id: top, cite: c, provenance: cited, values: [{from: 2022-01-01, value: 10}, {from: 2025-01-01, value: 0}]}\n"
		"scorecards:\n"
		"  - id: s\n"
		"    cite: c\n"
		"    classes: [{id: A, min: 1}, {id: B}]\n"
		"    components:\n"
		"      - {id: k1, value: x, benchmark: bench, weight: w, floor: 0.2, cap: capp}\n"
		"      - {id: k2, value: x, scale: {min: 0, max: top}, weight: 1}\n";
	rulebook *rb = load_str(yaml);
	rulebook_error *out = rulebook_error_new();
	ck_assert_int_eq(rulebook_lint(rb, 20220630, out), RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_error_count(out), 4);
	size_t i = finding(out, "the benchmark of component 'k1' is 0 from 2023-01-01 (parameter 'bench')");
	ck_finding(out, i, yaml, "bench, weight", 0, "s");
	i = finding(out, "the weight of component 'k1' is -1 from 2024-01-01 (parameter 'w')");
	ck_finding(out, i, yaml, "w, floor", 0, "s");
	i = finding(out, "the cap of component 'k1' (0.1) is below its floor (0.2) from 2023-07-01");
	ck_finding(out, i, yaml, "capp}", 0, "s");
	i = finding(out, "the scale of component 'k2' has max 0, not above min 0, from 2025-01-01");
	ck_finding(out, i, yaml, "top}", 0, "s");
	rulebook_error_free(out);
	rulebook_free(rb);
}
END_TEST

START_TEST(test_lint_clean_and_invalid)
{
	rulebook *rb = load_str(HDR "inputs:\n  - {id: x, type: number}\n"
				    "parameters:\n  - {id: m, cite: 一, provenance: cited, value: 1}\n"
				    "rules:\n  - {id: R, cite: 一, when: x > 0, require: x > m}\n");
	rulebook_error *out = rulebook_error_new();
	/* a previous diagnostic is cleared */
	rulebook *bad = NULL;
	ck_assert_int_ne(rulebook_load_buffer("rulebook: 2\n", 12, "b.yaml", NULL, &bad, out), RULEBOOK_OK);
	ck_assert_uint_gt(rulebook_error_count(out), 0);
	ck_assert_int_eq(rulebook_lint(rb, 20230630, out), RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_error_count(out), 0);
	ck_assert_int_eq(rulebook_error_status(out), RULEBOOK_OK);
	/* invalid arguments */
	ck_assert_int_eq(rulebook_lint(NULL, 0, out), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_lint(rb, 0, NULL), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_lint(rb, 20230230, out), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_lint(rb, 123, out), RULEBOOK_ERR_INVALID);
	rulebook_error_free(out);
	rulebook_free(rb);
}
END_TEST

/* ---- parameters ---- */

static const char *const PARAMS =
	HDR
	"parameters:\n"
	"  - {id: min_mu_tax, unit: 万元/亩, cite: 二, provenance: cited, value: 37}\n"
	"  - id: max_energy\n"
	"    unit: tce(等价值)\n"
	"    cite: 三（一）4\n"
	"    provenance: illustrative\n"
	"    note: an example cap; the real one comes from the city plan\n"
	"    values:\n"
	"      - {from: 2022-01-01, value: 1200}\n"
	"      - {from: 2023-01-01, value: 1000}\n"
	"      - {from: 2024-07-01, value: 950.5}\n"
	"  - {id: ratio, cite: 四, provenance: cited, value: 1.2}\n"
	"  - {id: 最低比例, cite: 五, provenance: cited, value: '-0.05'}\n"
	"inputs:\n"
	"  - {id: energy, type: number, unit: tce(等价值)}\n"
	"rules:\n"
	"  - {id: R, cite: 一, require: energy <= max_energy}\n";

START_TEST(test_param_accessors)
{
	rulebook *rb = load_str(PARAMS);
	ck_assert_uint_eq(rulebook_param_count(rb), 4);
	static const char *const names[] = {"min_mu_tax", "max_energy", "ratio", "最低比例"};
	static const char *const units[] = {"万元/亩", "tce(等价值)", "", ""};
	static const char *const cites[] = {"二", "三（一）4", "四", "五"};
	static const char *const prov[] = {"cited", "illustrative", "cited", "cited"};
	for (size_t i = 0; i < 4; i++) {
		ck_assert_str_eq(rulebook_param_name(rb, i), names[i]);
		ck_assert_str_eq(rulebook_param_unit(rb, i), units[i]);
		ck_assert_str_eq(rulebook_param_cite(rb, i), cites[i]);
		ck_assert_str_eq(rulebook_param_provenance(rb, i), prov[i]);
	}
	/* one value: in force at every date */
	ck_assert_str_eq(rulebook_param_value(rb, 0, 10000101), "37");
	ck_assert_str_eq(rulebook_param_value(rb, 0, 20230630), "37");
	ck_assert_str_eq(rulebook_param_value(rb, 0, 99991231), "37");
	ck_assert_str_eq(rulebook_param_value(rb, 2, 20230630), "1.2");
	ck_assert_str_eq(rulebook_param_value(rb, 3, 20230630), "-0.05");
	/* dated values switch on their dates; none before the first */
	ck_assert_ptr_null(rulebook_param_value(rb, 1, 20211231));
	ck_assert_ptr_null(rulebook_param_value(rb, 1, 10000101));
	ck_assert_str_eq(rulebook_param_value(rb, 1, 20220101), "1200");
	ck_assert_str_eq(rulebook_param_value(rb, 1, 20221231), "1200");
	ck_assert_str_eq(rulebook_param_value(rb, 1, 20230101), "1000");
	ck_assert_str_eq(rulebook_param_value(rb, 1, 20240630), "1000");
	ck_assert_str_eq(rulebook_param_value(rb, 1, 20240701), "950.5");
	ck_assert_str_eq(rulebook_param_value(rb, 1, 99991231), "950.5");

	/* out of range and NULL */
	ck_assert_ptr_null(rulebook_param_name(rb, 4));
	ck_assert_ptr_null(rulebook_param_unit(rb, 4));
	ck_assert_ptr_null(rulebook_param_cite(rb, 4));
	ck_assert_ptr_null(rulebook_param_provenance(rb, 4));
	ck_assert_ptr_null(rulebook_param_value(rb, 4, 20230630));
	ck_assert_ptr_null(rulebook_param_value(rb, SIZE_MAX, 20230630));
	ck_assert_uint_eq(rulebook_param_count(NULL), 0);
	ck_assert_ptr_null(rulebook_param_name(NULL, 0));
	ck_assert_ptr_null(rulebook_param_unit(NULL, 0));
	ck_assert_ptr_null(rulebook_param_cite(NULL, 0));
	ck_assert_ptr_null(rulebook_param_provenance(NULL, 0));
	ck_assert_ptr_null(rulebook_param_value(NULL, 0, 20230630));
	rulebook_free(rb);

	rulebook *none = load_str(HDR);
	ck_assert_uint_eq(rulebook_param_count(none), 0);
	ck_assert_ptr_null(rulebook_param_name(none, 0));
	rulebook_free(none);
}
END_TEST

/* The value the rules see is the one rulebook_param_value gives. */
START_TEST(test_param_value_matches_evaluation)
{
	rulebook *rb = load_str(PARAMS);
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	set_json(f, "{\"energy\": 1100}");
	eval_ok(rb, f, 20221231, res);
	ck_assert_str_eq(rulebook_result_value(res, "max_energy"), "1200");
	ck_assert_int_eq(rulebook_result_verdict(res, 0), RULEBOOK_PASS);
	eval_ok(rb, f, 20230101, res);
	ck_assert_str_eq(rulebook_result_value(res, "max_energy"), "1000");
	ck_assert_int_eq(rulebook_result_verdict(res, 0), RULEBOOK_FAIL);
	/* before the first value the rule is unknown, naming the parameter */
	eval_ok(rb, f, 20211231, res);
	ck_assert_ptr_null(rulebook_result_value(res, "max_energy"));
	ck_assert_int_eq(rulebook_result_verdict(res, 0), RULEBOOK_UNKNOWN);
	ck_assert_uint_eq(rulebook_result_missing_count(res, 0), 1);
	ck_assert_str_eq(rulebook_result_missing(res, 0, 0), "max_energy");
	rulebook_result_free(res);
	rulebook_facts_free(f);
	rulebook_free(rb);
}
END_TEST

/* The value as written in the rulebook: "37.0" stays "37.0", while the
 * evaluation works with the number. */
START_TEST(test_param_value_as_written)
{
	rulebook *rb = load_str(HDR "parameters:\n"
				    "  - {id: m, cite: 五, provenance: cited, value: 37.0}\n");
	ck_assert_str_eq(rulebook_param_value(rb, 0, 20230630), "37.0");
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	eval_ok(rb, f, 20230630, res);
	ck_assert_str_eq(rulebook_result_value(res, "m"), "37");
	rulebook_result_free(res);
	rulebook_facts_free(f);
	rulebook_free(rb);
}
END_TEST

static Suite *lint_suite(void)
{
	Suite *s = suite_create("lint");
	TCase *tc = tcase_create("lint");
	tcase_add_test(tc, test_lint_findings);
	tcase_add_test(tc, test_lint_test_cases);
	tcase_add_test(tc, test_lint_dates);
	tcase_add_test(tc, test_lint_other_users);
	tcase_add_test(tc, test_lint_clean_and_invalid);
	tcase_add_test(tc, test_lint_contradictions);
	tcase_add_test(tc, test_lint_bands);
	tcase_add_test(tc, test_lint_unused_names);
	tcase_add_test(tc, test_lint_dated_scorecard_figures);
	suite_add_tcase(s, tc);

	tc = tcase_create("parameters");
	tcase_add_test(tc, test_param_accessors);
	tcase_add_test(tc, test_param_value_matches_evaluation);
	tcase_add_test(tc, test_param_value_as_written);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(lint_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
