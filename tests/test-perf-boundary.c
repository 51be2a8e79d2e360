/* The speed-ups must not change an answer.
 *
 *  - The evaluator's inline fast paths (comparison, addition,
 *    multiplication) give exactly what decimal.c's general functions give,
 *    on random operands of every size and exponent distance.
 *  - Folding constants at compile time gives the same verdicts as the same
 *    rule with the constant as a parameter (computed at run time).
 *  - Records built exactly on a threshold get the exact verdict (where
 *    binary doubles would get the other one), and setting the facts from
 *    doubles (shortest decimal) or from text gives identical verdicts. */
#include "compiled.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REQ_MSG(expr, ...)                       \
	do {                                     \
		if (!(expr))                     \
			ck_abort_msg(__VA_ARGS__); \
	} while (0)

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint64_t next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717u;
}

/* A coefficient of 1 to 18 digits (often small, sometimes with trailing
 * zeros), either sign, and an exponent near the other operand's. */
static rb_dec random_dec(int32_t around)
{
	static const int64_t p10[19] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
					100000000, 1000000000, 10000000000, 100000000000,
					1000000000000, 10000000000000, 100000000000000,
					1000000000000000, 10000000000000000, 100000000000000000,
					1000000000000000000};
	int digits = 1 + (int)(next() % 18);
	int64_t c = (int64_t)(next() % (uint64_t)p10[digits]);
	if (next() % 4 == 0)
		c = c / 1000 * 1000;
	if (next() % 2)
		c = -c;
	int32_t e = around + (int32_t)(next() % 41) - 20;
	if (next() % 3 == 0)
		e = around;
	return (rb_dec){c, e};
}

static rb_val num(rb_dec d)
{
	rb_val v = {.state = RB_V_OK};
	v.u.d = d;
	return v;
}

/* Run one instruction through the evaluator. */
static rb_val run1(rb_opcode op, rb_dec a, rb_dec b, int64_t n, int64_t d)
{
	rb_val s[3] = {num(a), num(b), {.state = RB_V_MISSING}};
	rb_ins ins = {.op = (uint16_t)op, .dst = 2, .a = 0, .b = 1, .num = n, .den = d};
	rb_run_code(&ins, 1, s);
	return s[2];
}

static void same_number(rb_val got, rb_dec_status st, rb_dec want, const char *what, rb_dec a,
			rb_dec b)
{
	if (st != RB_DEC_OK) {
		REQ_MSG(got.state == RB_V_ERROR, "%s of %lld e%d and %lld e%d: expected an error", what,
			(long long)a.coef, a.exp, (long long)b.coef, b.exp);
		return;
	}
	REQ_MSG(got.state == RB_V_OK && got.u.d.coef == want.coef && got.u.d.exp == want.exp,
		"%s of %lld e%d and %lld e%d: evaluator %lld e%d, decimal.c %lld e%d", what,
		(long long)a.coef, a.exp, (long long)b.coef, b.exp, (long long)got.u.d.coef,
		got.u.d.exp, (long long)want.coef, want.exp);
}

START_TEST(test_fast_paths_equal_general)
{
	static const rb_opcode cmps[] = {RB_I_NLT, RB_I_NLE, RB_I_NGT, RB_I_NGE, RB_I_NEQ, RB_I_NNE};
	for (int k = 0; k < 400000; k++) {
		rb_dec a = random_dec(0), b = random_dec(a.exp);
		if (k % 7 == 0)
			b = (rb_dec){a.coef, a.exp}; /* equal values */
		if (k % 11 == 0 && a.coef % 10 == 0)
			b = (rb_dec){a.coef / 10, a.exp + 1}; /* equal, other exponent */
		rb_dec want;
		rb_dec_status st = rb_dec_add(a, b, &want);
		same_number(run1(RB_I_ADD, a, b, 0, 0), st, want, "sum", a, b);
		st = rb_dec_sub(a, b, &want);
		same_number(run1(RB_I_SUB, a, b, 0, 0), st, want, "difference", a, b);
		st = rb_dec_mul(a, b, &want);
		same_number(run1(RB_I_MUL, a, b, 0, 0), st, want, "product", a, b);
		if (b.coef) {
			st = rb_dec_div(a, b, &want);
			same_number(run1(RB_I_DIV, a, b, 0, 0), st, want, "quotient", a, b);
		}
		int64_t n = 1 + (int64_t)(next() % 100000), d = k % 3 ? 1 : 1 + (int64_t)(next() % 1000);
		st = rb_dec_mul_ratio(a, n, d, &want);
		same_number(run1(RB_I_CONV, a, b, n, d), st, want, "conversion", a, b);
		int c = rb_dec_cmp(a, b);
		rb_val m = run1(RB_I_MIN, a, b, 0, 0), x = run1(RB_I_MAX, a, b, 0, 0);
		REQ_MSG(rb_dec_cmp(m.u.d, c <= 0 ? a : b) == 0 && rb_dec_cmp(x.u.d, c <= 0 ? b : a) == 0,
			"min/max of %lld e%d and %lld e%d", (long long)a.coef, a.exp, (long long)b.coef,
			b.exp);
		for (size_t j = 0; j < sizeof cmps / sizeof cmps[0]; j++) {
			int want_b = cmps[j] == RB_I_NLT ? c < 0 : cmps[j] == RB_I_NLE ? c <= 0
				   : cmps[j] == RB_I_NGT ? c > 0 : cmps[j] == RB_I_NGE ? c >= 0
				   : cmps[j] == RB_I_NEQ ? c == 0 : c != 0;
			rb_val r = run1(cmps[j], a, b, 0, 0);
			REQ_MSG(r.state == RB_V_OK && r.u.b == want_b,
				"comparison %d of %lld e%d and %lld e%d", (int)cmps[j], (long long)a.coef,
				a.exp, (long long)b.coef, b.exp);
		}
	}
}
END_TEST

/* ---- through the public API ---- */

static const char *const yaml =
	"rulebook: 1\n"
	"id: perf.boundary\n"
	"title: {en: boundaries}\n"
	"subject: enterprise\n"
	"source: {issuer: test, document: test, issued: 2022-01-01}\n"
	"inputs:\n"
	"  - {id: land_area, type: number, unit: 亩}\n"
	"  - {id: tax, type: number, unit: 万元}\n"
	"  - {id: revenue, type: number, unit: 万元}\n"
	"  - {id: rd_expense, type: number, unit: 万元}\n"
	"parameters:\n"
	"  - {id: min_mu_tax, unit: 万元/亩, cite: x, provenance: cited, value: 37}\n"
	"  - {id: min_rd_share, unit: \"%\", cite: x, provenance: cited, value: 2.3}\n"
	"  - {id: min_land_m2, unit: m², cite: x, provenance: cited, value: 3000}\n"
	"  - {id: min_land_ha, unit: 公顷, cite: x, provenance: cited, value: 0.3}\n"
	"  - {id: two, cite: x, provenance: cited, value: 2}\n"
	"indicators:\n"
	"  - {id: mu_tax, expr: tax / land_area, unit: 万元/亩}\n"
	"  - {id: rd_share, expr: rd_expense / revenue, unit: \"%\"}\n"
	"rules:\n"
	"  - {id: mu_tax, cite: x, require: mu_tax >= min_mu_tax}\n"
	"  - {id: mu_tax_const, cite: x, require: \"tax / land_area >= 37 [万元/亩] * 1\"}\n"
	"  - {id: rd, cite: x, require: rd_share > min_rd_share}\n"
	"  - {id: rd_const, cite: x, require: \"rd_expense / revenue > 0.023\"}\n"
	"  - {id: land_param, cite: x, require: land_area >= min_land_m2}\n"
	"  - {id: land_const, cite: x, require: \"land_area >= 3000 [m²]\"}\n"
	"  - {id: land_folded, cite: x, require: \"land_area >= 1500 [m²] * 2\"}\n"
	"  - {id: land_ha_param, cite: x, require: land_area <= min_land_ha * two}\n"
	"  - {id: land_ha_const, cite: x, require: \"land_area <= 0.3 [公顷] * 2\"}\n";

enum { R_MU, R_MU_C, R_RD, R_RD_C, R_LAND_P, R_LAND_C, R_LAND_F, R_HA_P, R_HA_C, NRULES };

static rulebook *load(void)
{
	rulebook *rb = NULL;
	rulebook_error *err = rulebook_error_new();
	rulebook_status st = rulebook_load_buffer(yaml, strlen(yaml), "boundary", NULL, &rb, err);
	REQ_MSG(st == RULEBOOK_OK, "load: %s", rulebook_error_message(err, 0));
	rulebook_error_free(err);
	return rb;
}

static void set(rulebook *rb, rulebook_facts *f, const char *name, int64_t hundredths, int dbl)
{
	size_t idx;
	ck_assert_int_eq(rulebook_input_index(rb, name, strlen(name), &idx), RULEBOOK_OK);
	if (dbl) {
		ck_assert_int_eq(rulebook_facts_set_double_at(f, idx, (double)hundredths / 100.0, NULL),
				 RULEBOOK_OK);
	} else {
		char buf[32];
		snprintf(buf, sizeof buf, "%lld.%02lld", (long long)(hundredths / 100),
			 (long long)(hundredths % 100));
		ck_assert_int_eq(rulebook_facts_set_decimal_at(f, idx, buf, strlen(buf), NULL),
				 RULEBOOK_OK);
	}
}

/* Verdicts of the record with land L/10 亩, tax t, revenue r, R&D d (hundredths). */
static void eval(rulebook *rb, rulebook_facts *f, rulebook_result *res, int64_t land_h, int64_t tax_h,
		 int64_t rev_h, int64_t rd_h, int dbl, uint8_t *v)
{
	set(rb, f, "land_area", land_h, dbl);
	set(rb, f, "tax", tax_h, dbl);
	set(rb, f, "revenue", rev_h, dbl);
	set(rb, f, "rd_expense", rd_h, dbl);
	ck_assert_int_eq(rulebook_eval(rb, f, 20230630, res, NULL), RULEBOOK_OK);
	for (int r = 0; r < NRULES; r++)
		v[r] = (uint8_t)rulebook_result_verdict(res, (size_t)r);
}

START_TEST(test_boundaries)
{
	rulebook *rb = load();
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	size_t binary_wrong = 0;
	for (int64_t L = 30; L <= 30000; L += 7) {
		int64_t land = L * 10;           /* L/10 亩, in hundredths */
		for (int off = -1; off <= 1; off++) {
			/* tax = 37 × land (+/- 0.01 万元); R&D = 2.3 % of revenue (+/- 0.01) */
			int64_t tax = 37 * land + off, rev = 1000 * L, rd = 23 * L + off;
			uint8_t text[NRULES], dbl[NRULES];
			eval(rb, f, res, land, tax, rev, rd, 0, text);
			eval(rb, f, res, land, tax, rev, rd, 1, dbl);
			REQ_MSG(memcmp(text, dbl, NRULES) == 0, "land %lld: text and double facts differ",
				(long long)L);
			int want_mu = off >= 0 ? RULEBOOK_PASS : RULEBOOK_FAIL;
			int want_rd = off > 0 ? RULEBOOK_PASS : RULEBOOK_FAIL;
			REQ_MSG(text[R_MU] == want_mu && text[R_MU_C] == want_mu,
				"land %lld.%lld, tax %+d: mu_tax verdicts %d %d", (long long)(L / 10),
				(long long)(L % 10), off, text[R_MU], text[R_MU_C]);
			REQ_MSG(text[R_RD] == want_rd && text[R_RD_C] == want_rd,
				"revenue %lld, R&D %+d: rd verdicts %d %d", (long long)L * 10, off, text[R_RD],
				text[R_RD_C]);
			/* folded constants decide as parameters do: 3000 m² = 4.5 亩, 0.6 公顷 = 9 亩 */
			REQ_MSG(text[R_LAND_C] == text[R_LAND_P] && text[R_LAND_F] == text[R_LAND_P],
				"land %lld: folded and parameter thresholds differ", (long long)L);
			REQ_MSG(text[R_LAND_P] == (L >= 45 ? RULEBOOK_PASS : RULEBOOK_FAIL),
				"land %lld: 3000 m²", (long long)L);
			REQ_MSG(text[R_HA_C] == text[R_HA_P] &&
					text[R_HA_P] == (L <= 90 ? RULEBOOK_PASS : RULEBOOK_FAIL),
				"land %lld: 0.6 公顷", (long long)L);
			if (off == 0) {
				double mt = ((double)tax / 100) / ((double)land / 100);
				if (mt < 37)
					binary_wrong++;
			}
		}
	}
	/* the point of exact decimals: doubles miss some of these */
	ck_assert_uint_gt(binary_wrong, 0);
	rulebook_result_free(res);
	rulebook_facts_free(f);
	rulebook_free(rb);
}
END_TEST

/* Cases the benchmark found where doubles and decimals disagree. */
START_TEST(test_known_binary_misses)
{
	rulebook *rb = load();
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	uint8_t v[NRULES];
	eval(rb, f, res, 720, 26640, 1817000, 41791, 1, v); /* 266.4 / 7.2 = 37; 417.91 / 18170 = 2.3 % */
	ck_assert_int_eq(v[R_MU], RULEBOOK_PASS);
	ck_assert_int_eq(v[R_RD], RULEBOOK_FAIL);
	ck_assert_str_eq(rulebook_result_value(res, "mu_tax"), "37");
	ck_assert_str_eq(rulebook_result_value(res, "rd_share"), "2.3");
	rulebook_result_free(res);
	rulebook_facts_free(f);
	rulebook_free(rb);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("perf-boundary");
	TCase *tc = tcase_create("identical");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_fast_paths_equal_general);
	tcase_add_test(tc, test_boundaries);
	tcase_add_test(tc, test_known_binary_misses);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
