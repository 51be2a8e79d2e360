/* The columnar binary run (lib/columnar_eval.c) never changes an answer.
 *
 *  1. A column's double becomes the binary number and bound the facts make
 *     of it (rb_fast_from_dec of rb_dec_from_double), bit for bit, on
 *     short decimals, their neighbours a unit in the last place away,
 *     integers around 2^53, tiny and huge values; infinities, and
 *     fractions for an integer input, are refused. Hand-checked: 0.5 and
 *     2.25 are exact (bound 0), 0.1 is not.
 *  2. tests/api/fixtures/columnar.yaml compiles to every instruction the
 *     columnar run covers. Over generated rows (values on and a unit in the
 *     last place beside the thresholds, missing values by NaN and by the
 *     validity bytes, zero divisors, in blocks of odd sizes), a row is
 *     decided by the block exactly when the record's own binary run decides
 *     it without computing any instruction exactly, and then the slots its
 *     verdicts and classes read are bit for bit those of its own run; the
 *     rows left to their own run are the near-threshold ones and those
 *     dividing by zero.
 *  3. Populations from the columns, in slices and on 1 to 4 threads, give
 *     the verdicts, classes and exact scores of each record evaluated alone
 *     in exact decimals only, the scores as doubles of each record's own
 *     binary run, and the classes by rank of a population filled record by
 *     record, also through merges and saved bytes.
 *     Saved with their exact scores left to compute
 *     (rulebook_population_save_deferred), loaded and merged, the same;
 *     bytes of an earlier saved form are refused. The deferred bytes are
 *     the same on 1 to 4 threads and for the rows split into calls (every
 *     row keeps its doubles, those evaluated alone too), and a copy or
 *     merge saves the same bytes, with no inputs too; a kept input the
 *     facts would refuse (2.5 or 1305e-1 for an integer input, a double
 *     too small for a decimal, a number for a boolean) is refused on load.
 *     The same rows as an Arrow batch (float64 and int64 columns, null
 *     bits, a struct offset) give the same.
 *  4. A value the facts refuse (infinity; 2.5 for an integer input) stops
 *     the batch with the facts' error, the rows before it kept. */
#include "api/common.h"
#include "columnar.h"
#include "fastpath.h"
#include "result.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AS_OF 20230630
#define NREC 9000 /* enough for slices on 4 threads */
#define NCOL 5

static rulebook *rb;
static rulebook_error *err;
static size_t inputs[NCOL];
static double values[NCOL * NREC];
static uint8_t valid[NCOL * NREC];
static uint32_t rng;

static uint32_t next(void)
{
	rng = rng * 1103515245u + 12345u;
	return (rng >> 8) & 0xFFFF;
}

/* ---- 1. doubles as binary numbers ---- */

static void check_input(double v, bool integer)
{
	rb_dec d;
	bool want = rb_dec_from_double(v, &d) == RB_DEC_OK && (!integer || rb_dec_is_integer(d));
	double x = -1, e = -1;
	bool got = rb_colrun_input(v, integer, &x, &e);
	ck_assert_msg(got == want, "%.17g (integer %d): usable %d, want %d", v, integer, got, want);
	if (!want)
		return;
	rb_val f;
	rb_fast_from_dec(d, &f);
	ck_assert_msg(memcmp(&x, &f.u.f.x, sizeof x) == 0 && memcmp(&e, &f.u.f.e, sizeof e) == 0,
		      "%.17g: %.17g ± %.17g, want %.17g ± %.17g", v, x, e, f.u.f.x, f.u.f.e);
}

START_TEST(test_input)
{
	double x, e;
	ck_assert(rb_colrun_input(0.5, false, &x, &e) && x == 0.5 && e == 0);
	ck_assert(rb_colrun_input(2.25, false, &x, &e) && x == 2.25 && e == 0);
	ck_assert(rb_colrun_input(-37, true, &x, &e) && x == -37 && e == 0);
	ck_assert(rb_colrun_input(0.1, false, &x, &e) && x == 0.1 && e > 0 && e < 1e-16);
	ck_assert(!rb_colrun_input(INFINITY, false, &x, &e));
	ck_assert(!rb_colrun_input(-INFINITY, false, &x, &e));
	ck_assert(!rb_colrun_input(2.5, true, &x, &e));
	static const double fixed[] = {0.0, -0.0, 1, -1, 0x1p53, 0x1p53 - 1, 0x1p53 + 2, 0x1p60, 1e15,
				       1e15 + 0.5, 999999999999999.9, 1e-7, 1e-7 * 0.999, 1.5e-8,
				       1e-300, 5e-324, 1e300, 1.7976931348623157e308, 0.1 + 0.2,
				       1158.1, 31.3, 0.52, 123456789012345.6, 3.3};
	for (size_t k = 0; k < sizeof fixed / sizeof fixed[0]; k++) {
		for (int s = 0; s < 2; s++) {
			double v = s ? -fixed[k] : fixed[k];
			check_input(v, false);
			check_input(v, true);
			check_input(nextafter(v, INFINITY), false);
			check_input(nextafter(v, -INFINITY), false);
		}
	}
	/* decimals of 1 to 17 digits with 0 to 22 places, and their neighbours */
	rng = 7;
	for (int k = 0; k < 200000; k++) {
		int digits = 1 + (int)(next() % 17), places = (int)(next() % 23);
		uint64_t m = 0;
		for (int j = 0; j < digits; j++)
			m = m * 10 + next() % 10;
		double v = (double)m;
		for (int j = 0; j < places; j++)
			v /= 10;
		if (next() % 2)
			v = -v;
		switch (next() % 4) {
		case 1: v = nextafter(v, INFINITY); break;
		case 2: v = nextafter(v, -INFINITY); break;
		default: break;
		}
		check_input(v, false);
		check_input(v, next() % 2);
	}
}
END_TEST

/* ---- 2. the block against each record's own binary run ---- */

static bool has_op(uint8_t op)
{
	for (uint32_t j = 0; j < rb->nfcode; j++)
		if (rb->fcode[j].op == op)
			return true;
	return false;
}

START_TEST(test_opcodes)
{
	static const uint8_t ops[] = {
		RB_I_ADD, RB_I_SUB, RB_I_MUL, RB_I_DIV, RB_I_NEG, RB_I_ABS, RB_I_CONV, RB_I_MIN,
		RB_I_MAX, RB_I_NLT, RB_I_NLE, RB_I_NGT, RB_I_NGE, RB_I_NEQ, RB_I_NNE, RB_I_IEQ,
		RB_I_INE, RB_I_ILT, RB_I_IGE, RB_I_AND, RB_I_OR, RB_I_NOT, RB_I_SELECT,
		RB_I_MISSING, RB_I_COALESCE, RB_I_YEAR, RB_F_CAPPED, RB_F_MULQ, RB_F_STOP,
		RB_F_TEXT_IN};
	for (size_t k = 0; k < sizeof ops; k++)
		ck_assert_msg(has_op(ops[k]), "the fixture compiles to no instruction %u", ops[k]);
}
END_TEST

/* Values on a threshold, a unit in the last place beside it, or ordinary;
 * some missing by NaN, some by the validity bytes, some zero divisors. */
static void make_rows(void)
{
	static const double a[] = {0, 1, 1.5, 2, 3, 4.5, 7.2, 0.3, 12, 5};
	static const double b[] = {0, 1.5, 2, 3, 7, 8.5, 14, 0.7, 21, 2.1};
	static const double c[] = {0, 0.3, 0.45, 1, 3, 0.15, 2.5, 0.09, 6, 4};
	static const double n[] = {0, 1, 2, 3, 4, 10, 250, 3, 3, 2};
	static const double area[] = {99, 100, 1000, 999.99, 1000.005, 5000, 0, 1e6, 3000, 2000.4};
	const double *base[NCOL] = {a, b, c, n, area};
	rng = 11;
	for (size_t r = 0; r < NREC; r++) {
		for (size_t col = 0; col < NCOL; col++) {
			size_t at = col * NREC + r;
			double v = base[col][next() % 10];
			uint32_t near = next() % 16;
			if (v == 0 && near < 4)
				near = 0; /* 0's neighbours are beyond the decimal range */
			if (col != 3 && near == 1)
				v = nextafter(v, INFINITY);
			else if (col != 3 && near == 2)
				v = nextafter(v, -INFINITY);
			else if (col != 3 && near == 3)
				v += 1e-13;
			else if (near == 4)
				v = NAN;
			values[at] = v;
			valid[at] = next() % 23 != 0;
		}
		/* exact thresholds: a + b - c = 10, a b / c = 50 */
		if (r % 13 == 4) {
			values[0 * NREC + r] = 7.3;
			values[1 * NREC + r] = 3.1;
			values[2 * NREC + r] = 0.4;
		} else if (r % 13 == 9) {
			values[0 * NREC + r] = 2.5;
			values[1 * NREC + r] = 6;
			values[2 * NREC + r] = 0.3;
		}
	}
}

START_TEST(test_block_against_records)
{
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	ck_assert_int_eq(rulebook_eval(rb, f, AS_OF, res, err), RULEBOOK_OK);
	rb_colrun *cr = rb_colrun_new(rb, res, AS_OF, inputs, NCOL);
	ck_assert_ptr_nonnull(cr);
	const double *cols[NCOL];
	const uint8_t *ok[NCOL];
	for (size_t c = 0; c < NCOL; c++) {
		cols[c] = values + c * NREC;
		ok[c] = valid + c * NREC;
	}
	double *block = malloc(NCOL * RB_COL_BLOCK * sizeof(double));
	const double *bcols[NCOL];
	for (size_t c = 0; c < NCOL; c++)
		bcols[c] = block + c * RB_COL_BLOCK;
	rb_val *slots = calloc(rb->nslots, sizeof(rb_val));
	static const size_t sizes[] = {1, 511, RB_COL_BLOCK, 7, 300, RB_COL_BLOCK - 1};
	size_t decided = 0, alone = 0;
	for (size_t r = 0, s = 0; r < NREC; s++) {
		size_t m = sizes[s % 6];
		if (m > NREC - r)
			m = NREC - r;
		for (size_t c = 0; c < NCOL; c++)
			for (size_t j = 0; j < m; j++)
				block[c * RB_COL_BLOCK + j] = ok[c][r + j] ? cols[c][r + j] : NAN;
		rb_colrun_block(cr, bcols, m, NULL);
		for (size_t j = 0; j < m; j++) {
			size_t row = r + j;
			rulebook_facts_clear(f);
			for (size_t c = 0; c < NCOL; c++) {
				double v = values[c * NREC + row];
				if (valid[c * NREC + row] && !isnan(v))
					ck_assert_int_eq(rulebook_facts_set_double_at(f, inputs[c], v, err),
							 RULEBOOK_OK);
			}
			ck_assert_int_eq(rulebook_eval(rb, f, AS_OF, res, err), RULEBOOK_OK);
			bool own = res->decided_fast && !res->fell_back;
			/* a division by an exact zero (an error verdict) is left to
			 * the row's own run too */
			bool zero = valid[2 * NREC + row] && values[2 * NREC + row] == 0;
			for (size_t q = 0; q < 2; q++)
				zero &= valid[q * NREC + row] && !isnan(values[q * NREC + row]);
			ck_assert_msg(rb_colrun_decided(cr, j) == (own && !zero),
				      "row %zu: block %d, own run %d", row, rb_colrun_decided(cr, j), own);
			if (!rb_colrun_decided(cr, j)) {
				alone++;
				continue;
			}
			decided++;
			rb_colrun_row(cr, j, slots);
			/* every slot the verdicts and classes read */
			for (uint32_t k = 0; k < rb->nrules; k++) {
				int64_t w[2] = {rb->rules[k].when, rb->rules[k].require};
				for (int q = 0; q < 2; q++) {
					if (w[q] < 0)
						continue;
					const rb_val *x = &slots[w[q]], *y = &res->fslots[w[q]];
					ck_assert_int_eq(x->state, y->state);
					if (x->state == RB_V_OK)
						ck_assert_int_eq(x->u.b, y->u.b);
				}
			}
			for (uint32_t k = 0; k < rb->nscorecards; k++) {
				const rb_val *x = &slots[rb->scorecards[k].score];
				const rb_val *y = &res->fslots[rb->scorecards[k].score];
				ck_assert_int_eq(x->state, y->state);
				if (x->state == RB_V_OK)
					ck_assert(memcmp(&x->u.f, &y->u.f, sizeof x->u.f) == 0);
			}
		}
		r += m;
	}
	/* rows on or next to a threshold are left to their own run; the data
	 * has many (a third of the rows are exact ties or a unit in the last
	 * place from one), the others are decided by the block */
	ck_assert_uint_gt(alone, NREC / 10);
	ck_assert_uint_gt(decided, NREC / 2);
	free(slots);
	free(block);
	rb_colrun_free(cr);
	rulebook_result_free(res);
	rulebook_facts_free(f);
}
END_TEST

/* ---- 3. populations ---- */

/* Record by record, through the facts. */
static rulebook_population *by_record(void)
{
	rulebook_population *p = rulebook_population_new(rb, AS_OF);
	rulebook_facts *f = rulebook_facts_new(rb);
	for (size_t r = 0; r < NREC; r++) {
		rulebook_facts_clear(f);
		for (size_t c = 0; c < NCOL; c++) {
			double v = values[c * NREC + r];
			if (valid[c * NREC + r] && !isnan(v))
				ck_assert_int_eq(rulebook_facts_set_double_at(f, inputs[c], v, err),
						 RULEBOOK_OK);
		}
		ck_assert_int_eq(rulebook_population_add(p, f, err), RULEBOOK_OK);
	}
	rulebook_facts_free(f);
	return p;
}

/* Rows [from, to) of the columns into p. */
static void add_rows(rulebook_population *p, size_t from, size_t to)
{
	size_t n = to - from;
	double *part = malloc((n ? n : 1) * NCOL * sizeof(double));
	uint8_t *ok = malloc((n ? n : 1) * NCOL);
	for (size_t c = 0; c < NCOL; c++) {
		memcpy(part + c * n, values + c * NREC + from, n * sizeof(double));
		memcpy(ok + c * n, valid + c * NREC + from, n);
	}
	ck_assert_int_eq(rulebook_population_add_columns(p, n, inputs, NCOL, part, ok, err),
			 RULEBOOK_OK);
	free(part);
	free(ok);
}

/* Everything p gives equals each record evaluated alone (exact decimals
 * only; the score as a double from its own binary run), and the classes
 * by rank equal those of want (filled record by record). */
static void check_population(rulebook_population *p, rulebook_population *want)
{
	ck_assert_uint_eq(rulebook_population_size(p), NREC);
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *exact = rulebook_result_new(rb), *fast = rulebook_result_new(rb);
	rulebook_result_set_exact_only(exact, 1);
	size_t nr = rulebook_rule_count(rb);
	uint8_t *matrix = malloc(NREC * nr);
	ck_assert_int_eq(rulebook_population_verdicts(p, matrix), RULEBOOK_OK);
	double *d = malloc(NREC * sizeof(double));
	int16_t *codes = malloc(NREC * sizeof(int16_t)), *wcodes = malloc(NREC * sizeof(int16_t));
	for (size_t k = 0; k < 2; k++) {
		ck_assert_int_eq(rulebook_population_scores_double(p, k, d), RULEBOOK_OK);
		for (size_t r = 0; r < NREC; r++) {
			rulebook_facts_clear(f);
			for (size_t c = 0; c < NCOL; c++) {
				double v = values[c * NREC + r];
				if (valid[c * NREC + r] && !isnan(v))
					rulebook_facts_set_double_at(f, inputs[c], v, err);
			}
			ck_assert_int_eq(rulebook_eval(rb, f, AS_OF, exact, err), RULEBOOK_OK);
			ck_assert_int_eq(rulebook_eval(rb, f, AS_OF, fast, err), RULEBOOK_OK);
			for (size_t j = 0; k == 0 && j < nr; j++)
				ck_assert_int_eq(matrix[r * nr + j], rulebook_result_verdict(exact, j));
			const char *s = rulebook_result_score(exact, k), *got = rulebook_population_score(p, r, k);
			if (s)
				ck_assert_str_eq(got, s);
			else
				ck_assert_ptr_null(got);
			double wd;
			if (rulebook_result_score_double(fast, k, &wd) == RULEBOOK_OK)
				ck_assert(memcmp(&d[r], &wd, sizeof wd) == 0);
			else
				ck_assert(isnan(d[r]));
			const char *c = rulebook_population_class(p, r, k);
			if (k == 0) { /* by cut-offs: the record's own class */
				const char *wc = rulebook_result_class(exact, k);
				if (wc)
					ck_assert_str_eq(c, wc);
				else
					ck_assert_ptr_null(c);
			}
		}
		ck_assert_int_eq(rulebook_population_classes(p, k, codes), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_population_classes(want, k, wcodes), RULEBOOK_OK);
		ck_assert(memcmp(codes, wcodes, NREC * sizeof(int16_t)) == 0);
	}
	free(matrix);
	free(d);
	free(codes);
	free(wcodes);
	rulebook_result_free(exact);
	rulebook_result_free(fast);
	rulebook_facts_free(f);
}

START_TEST(test_population_threads)
{
	rulebook_population *want = by_record();
	rulebook_population *p = rulebook_population_new(rb, AS_OF);
	ck_assert_int_eq(rulebook_population_set_threads(p, (size_t)_i), RULEBOOK_OK);
	add_rows(p, 0, NREC);
	check_population(p, want);
	rulebook_population_free(p);
	rulebook_population_free(want);
}
END_TEST

START_TEST(test_population_slices)
{
	static const size_t cuts[] = {0, 1, 512, 513, 1026, 1027, 4000, NREC};
	rulebook_population *want = by_record();
	rulebook_population *p = rulebook_population_new(rb, AS_OF);
	rulebook_population *merged = rulebook_population_new(rb, AS_OF);
	for (size_t j = 0; j + 1 < sizeof cuts / sizeof cuts[0]; j++) {
		add_rows(p, cuts[j], cuts[j + 1]);
		rulebook_population *q = rulebook_population_new(rb, AS_OF);
		add_rows(q, cuts[j], cuts[j + 1]);
		ck_assert_int_eq(rulebook_population_merge(merged, q, err), RULEBOOK_OK);
		rulebook_population_free(q);
	}
	check_population(p, want);
	check_population(merged, want);
	char *bytes = NULL;
	size_t len = 0;
	rulebook_population *fresh = rulebook_population_new(rb, AS_OF);
	add_rows(fresh, 0, NREC);
	ck_assert_int_eq(rulebook_population_save(fresh, &bytes, &len), RULEBOOK_OK);
	rulebook_population *loaded = NULL;
	ck_assert_int_eq(rulebook_population_load(rb, bytes, len, &loaded, err), RULEBOOK_OK);
	check_population(loaded, want);
	rulebook_mem_free(bytes);
	rulebook_population_free(loaded);
	rulebook_population_free(fresh);
	rulebook_population_free(merged);
	rulebook_population_free(p);
	rulebook_population_free(want);
}
END_TEST

/* Saved with rulebook_population_save_deferred, the exact scores not
 * computed yet travel as the records' inputs (the columns' doubles, or the
 * facts' values for records added one by one): the loaded population gives
 * every answer of the records evaluated alone, alone and merged; the bytes
 * are longer than those with every exact score. */
static rulebook_population *saved(rulebook_population *p, bool deferred, size_t *len_out)
{
	char *bytes = NULL;
	size_t len = 0;
	ck_assert_int_eq(deferred ? rulebook_population_save_deferred(p, &bytes, &len)
				  : rulebook_population_save(p, &bytes, &len),
			 RULEBOOK_OK);
	rulebook_population *l = NULL;
	ck_assert_int_eq(rulebook_population_load(rb, bytes, len, &l, err), RULEBOOK_OK);
	rulebook_mem_free(bytes);
	if (len_out)
		*len_out = len;
	return l;
}

START_TEST(test_saved_deferred)
{
	rulebook_population *want = by_record();
	rulebook_population *p = rulebook_population_new(rb, AS_OF), *q = NULL;
	if (_i) {
		q = by_record();
	} else {
		/* on threads writing their slices in place */
		q = rulebook_population_new(rb, AS_OF);
		ck_assert_int_eq(rulebook_population_set_threads(q, 3), RULEBOOK_OK);
		add_rows(q, 0, NREC);
	}
	size_t dlen = 0, elen = 0;
	rulebook_population *d = saved(q, true, &dlen), *e = saved(q, false, &elen);
	ck_assert_uint_gt(dlen, elen);
	check_population(d, want);
	check_population(e, want);
	/* halves saved deferred, loaded and merged; and saved again deferred
	 * after the merge */
	rulebook_population *a = rulebook_population_new(rb, AS_OF),
			    *b = rulebook_population_new(rb, AS_OF);
	add_rows(a, 0, 4321);
	add_rows(b, 4321, NREC);
	rulebook_population *la = saved(a, true, NULL), *lb = saved(b, true, NULL);
	ck_assert_int_eq(rulebook_population_merge(la, lb, err), RULEBOOK_OK);
	rulebook_population *again = saved(la, true, NULL);
	check_population(la, want);
	check_population(again, want);
	for (rulebook_population **x = (rulebook_population *[]){want, p, q, d, e, a, b, la, lb, again, NULL};
	     *x; x++)
		rulebook_population_free(*x);
}
END_TEST

/* The saved form is RBPOP6; an earlier one (RBPOP5: other sums) is
 * refused, saying so; a kept form byte out of place is damage. */
START_TEST(test_saved_forms)
{
	rulebook_population *q = rulebook_population_new(rb, AS_OF), *want = by_record();
	add_rows(q, 0, NREC);
	char *bytes = NULL;
	size_t len = 0;
	rulebook_population *l = NULL;
	ck_assert_int_eq(rulebook_population_save(q, &bytes, &len), RULEBOOK_OK);
	ck_assert(memcmp(bytes, "RBPOP6", 6) == 0);
	ck_assert_int_eq(rulebook_population_load(rb, bytes, len, &l, err), RULEBOOK_OK);
	check_population(l, want);
	rulebook_population_free(l);
	rulebook_mem_free(bytes);
	ck_assert_int_eq(rulebook_population_save_deferred(q, &bytes, &len), RULEBOOK_OK);
	bytes[5] = '5';
	ck_assert_int_eq(rulebook_population_load(rb, bytes, len, &l, err), RULEBOOK_ERR_VALUE);
	ck_assert(strstr(rulebook_error_message(err, 0), "saved by an earlier version of the library (RBPOP5)"));
	bytes[5] = '6';
	ck_assert_int_eq(rulebook_population_load(rb, bytes, len - 1, &l, err), RULEBOOK_ERR_VALUE);
	/* the first kept record's form byte: after the header, the verdicts,
	 * the exact scores (12 bytes) and the binary scores (17 bytes) */
	size_t nr = rulebook_rule_count(rb), ns = rulebook_scorecard_count(rb);
	size_t at = 8 + 4 + 64 + 4 + 6 * 8 + NREC * nr + NREC * ns * (12 + 17);
	char form = bytes[at]; /* the columns' doubles (1), every row's */
	ck_assert_int_eq(form, 1);
	bytes[at] = 3;
	ck_assert_int_eq(rulebook_population_load(rb, bytes, len, &l, err), RULEBOOK_ERR_VALUE);
	bytes[at] = 0;
	ck_assert_int_eq(rulebook_population_load(rb, bytes, len, &l, err), RULEBOOK_ERR_VALUE);
	bytes[at] = form;
	ck_assert_int_eq(rulebook_population_load(rb, bytes, len, &l, err), RULEBOOK_OK);
	rulebook_population_free(l);
	rulebook_mem_free(bytes);
	rulebook_population_free(q);
	rulebook_population_free(want);
}
END_TEST

/* Kept values of every type a record without text may hold (numbers,
 * integers, booleans, enums, dates; a missing text), saved deferred: the
 * same scores, classes and JSON as the population saved with its exact
 * scores. */
START_TEST(test_saved_value_types)
{
	rulebook *crb = load_fixture("columns.yaml");
	rulebook_population *p = rulebook_population_new(crb, AS_OF);
	rulebook_facts *f = rulebook_facts_new(crb);
	static const char *const sectors[] = {"纺织", "化工"};
	rng = 7;
	for (size_t r = 0; r < 3000; r++) {
		rulebook_facts_clear(f);
		if (next() % 10)
			rulebook_facts_set_double(f, "n", (double)(next() % 20000) / 100, err);
		if (next() % 10)
			rulebook_facts_set_double(f, "area", (double)(next() % 30000) / 100, err);
		if (next() % 10)
			rulebook_facts_set_int(f, "k", (int64_t)(next() % 300), err);
		if (next() % 10)
			rulebook_facts_set_bool(f, "ok", (int)(next() % 2), err);
		if (next() % 10)
			rulebook_facts_set_text(f, "sector", sectors[next() % 2], err);
		if (next() % 10)
			rulebook_facts_set_date(f, "opened", 20180101 + (int32_t)(next() % 5) * 10000, err);
		if (next() % 50 == 0)
			rulebook_facts_set_text(f, "name", "临安", err);
		ck_assert_int_eq(rulebook_population_add(p, f, err), RULEBOOK_OK);
	}
	char *db = NULL, *eb = NULL;
	size_t dlen = 0, elen = 0;
	ck_assert_int_eq(rulebook_population_save_deferred(p, &db, &dlen), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_population_save(p, &eb, &elen), RULEBOOK_OK);
	ck_assert_uint_gt(dlen, elen);
	rulebook_population *d = NULL, *e = NULL;
	ck_assert_int_eq(rulebook_population_load(crb, db, dlen, &d, err), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_population_load(crb, eb, elen, &e, err), RULEBOOK_OK);
	for (size_t r = 0; r < 3000; r++)
		for (size_t k = 0; k < 3; k++) {
			const char *ws = rulebook_population_score(p, r, k), *gs = rulebook_population_score(d, r, k);
			ck_assert_int_eq(ws == NULL, gs == NULL);
			if (ws)
				ck_assert_str_eq(gs, ws);
			ck_assert_int_eq(rulebook_population_class(p, r, k) == NULL,
					 rulebook_population_class(d, r, k) == NULL);
		}
	const char *dj = NULL, *ej = NULL;
	size_t djl = 0, ejl = 0;
	ck_assert_int_eq(rulebook_population_json(d, 0, &dj, &djl), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_population_json(e, 0, &ej, &ejl), RULEBOOK_OK);
	ck_assert_uint_eq(djl, ejl);
	ck_assert(memcmp(dj, ej, djl) == 0);
	/* the deferred bytes read again give the exact bytes */
	rulebook_mem_free(eb);
	ck_assert_int_eq(rulebook_population_save(d, &eb, &djl), RULEBOOK_OK);
	ck_assert_uint_eq(djl, elen);
	char *eb2 = NULL;
	ck_assert_int_eq(rulebook_population_save(p, &eb2, &ejl), RULEBOOK_OK);
	ck_assert(memcmp(eb, eb2, elen) == 0);
	rulebook_mem_free(eb2);
	rulebook_mem_free(db);
	rulebook_mem_free(eb);
	rulebook_population_free(d);
	rulebook_population_free(e);
	rulebook_population_free(p);
	rulebook_facts_free(f);
	rulebook_free(crb);
}
END_TEST

/* The same rows as an Arrow record batch: float64 columns, n as int64,
 * missing values as null bits (NaN in a float64 column stays as it is), a
 * struct offset of `skip` rows before them. */
static void no_release_schema(struct ArrowSchema *s)
{
	s->release = NULL;
}

static void no_release_array(struct ArrowArray *a)
{
	a->release = NULL;
}

START_TEST(test_arrow)
{
	enum { SKIP = 3 };
	static const char *const names[NCOL] = {"a", "b", "c", "n", "area"};
	static double f64[NCOL][NREC + SKIP];
	static int64_t i64[NREC + SKIP];
	static uint8_t bits[NCOL][(NREC + SKIP + 7) / 8];
	struct ArrowSchema cs[NCOL], s = {0}, *csp[NCOL];
	struct ArrowArray ca[NCOL], a = {0}, *cap[NCOL];
	const void *bufs[NCOL][2], *sbufs[1] = {NULL};
	memset(bits, 0, sizeof bits);
	for (size_t c = 0; c < NCOL; c++) {
		for (size_t r = 0; r < NREC; r++) {
			size_t at = r + SKIP;
			double v = values[c * NREC + r];
			bool ok = valid[c * NREC + r] && (c != 3 || !isnan(v));
			if (ok)
				bits[c][at / 8] |= (uint8_t)(1u << (at % 8));
			f64[c][at] = v;
			if (c == 3)
				i64[at] = ok ? (int64_t)v : 0;
		}
		cs[c] = (struct ArrowSchema){.format = c == 3 ? "l" : "g", .name = names[c],
					     .flags = ARROW_FLAG_NULLABLE, .release = no_release_schema};
		bufs[c][0] = bits[c];
		bufs[c][1] = c == 3 ? (const void *)i64 : (const void *)f64[c];
		ca[c] = (struct ArrowArray){.length = NREC + SKIP, .null_count = -1, .n_buffers = 2,
					    .buffers = bufs[c], .release = no_release_array};
		csp[c] = &cs[c];
		cap[c] = &ca[c];
	}
	s = (struct ArrowSchema){.format = "+s", .name = "", .n_children = NCOL, .children = csp,
				 .release = no_release_schema};
	a = (struct ArrowArray){.length = NREC, .offset = SKIP, .n_buffers = 1, .buffers = sbufs,
				.n_children = NCOL, .children = cap, .release = no_release_array};
	rulebook_population *want = by_record();
	rulebook_population *p = rulebook_population_new(rb, AS_OF);
	ck_assert_int_eq(rulebook_population_set_threads(p, (size_t)_i), RULEBOOK_OK);
	size_t nbad = 1;
	ck_assert_int_eq(rulebook_population_add_arrow(p, &s, &a, 0, NULL, &nbad, err), RULEBOOK_OK);
	ck_assert_uint_eq(nbad, 0);
	check_population(p, want);
	rulebook_population_free(p);
	rulebook_population_free(want);
}
END_TEST

/* ---- kept inputs in deferred bytes ---- */

/* Deferred bytes of n records of r: the offset of the first kept record's
 * form byte (after the header, the verdicts, the exact scores, 12 bytes,
 * and the binary scores, 17 bytes), and the offset past a kept record. */
static size_t first_kept(const rulebook *r, size_t n)
{
	return 8 + 4 + 64 + 4 + 6 * 8 + n * rulebook_rule_count(r) +
	       n * rulebook_scorecard_count(r) * (12 + 17);
}

static size_t past_kept(const rulebook *r, const char *bytes, size_t at)
{
	size_t ni = rulebook_input_count(r);
	if (bytes[at] == 1) /* the doubles of the columns */
		return at + 1 + 8 * ni;
	ck_assert_int_eq(bytes[at], 2); /* the facts' values */
	at++;
	for (size_t k = 0; k < ni; k++) {
		const char *t = rulebook_input_type(r, k);
		if (bytes[at++] != RB_V_OK)
			continue;
		at += strcmp(t, "number") == 0 || strcmp(t, "integer") == 0 ? 12 : 4;
	}
	return at;
}

/* A double the facts refuse, in place of a kept double of the columns
 * (2.5 for the integer input n, a finite double too small for a
 * decimal, 0.5 for the boolean input flag, which a column gives as 0 or
 * 1): refused on load as
 * damage, RULEBOOK_ERR_VALUE naming the input, not loaded for its
 * exact scores to fail later. */
START_TEST(test_kept_doubles_refused)
{
	rulebook_population *p = rulebook_population_new(rb, AS_OF);
	add_rows(p, 0, 3000);
	char *bytes = NULL;
	size_t len = 0;
	ck_assert_int_eq(rulebook_population_save_deferred(p, &bytes, &len), RULEBOOK_OK);
	size_t at = first_kept(rb, 3000);
	while (bytes[at] != 1)
		at = past_kept(rb, bytes, at);
	size_t flag = 0;
	ck_assert_int_eq(rulebook_input_index(rb, "flag", 4, &flag), RULEBOOK_OK);
	static const double bad[] = {2.5, 1e-310, 0.5};
	size_t in[] = {inputs[3], inputs[0], flag};
	const char *name[] = {"'n'", "'a'", "'flag'"};
	rulebook_population *l = NULL;
	for (size_t j = 0; j < 3; j++) {
		double was;
		char *d = bytes + at + 1 + 8 * in[j];
		memcpy(&was, d, 8);
		memcpy(d, &bad[j], 8);
		ck_assert_msg(rulebook_population_load(rb, bytes, len, &l, err) == RULEBOOK_ERR_VALUE,
			      "%g for input %s is taken", bad[j], name[j]);
		ck_assert_ptr_null(l);
		ck_assert_msg(strstr(rulebook_error_message(err, 0), name[j]), "%s",
			      rulebook_error_message(err, 0));
		memcpy(d, &was, 8);
	}
	ck_assert_int_eq(rulebook_population_load(rb, bytes, len, &l, err), RULEBOOK_OK);
	rulebook_population_free(l);
	rulebook_mem_free(bytes);
	rulebook_population_free(p);
}
END_TEST

/* A fraction (1305e-1) in place of the kept value of the integer input n
 * of a record added through the facts: refused on load as damage. */
START_TEST(test_kept_values_refused)
{
	rulebook_population *p = rulebook_population_new(rb, AS_OF);
	rulebook_facts *f = rulebook_facts_new(rb);
	for (size_t r = 0; r < 500; r++) {
		rulebook_facts_clear(f);
		for (size_t c = 0; c < NCOL; c++) {
			double v = values[c * NREC + r];
			if (valid[c * NREC + r] && !isnan(v))
				ck_assert_int_eq(rulebook_facts_set_double_at(f, inputs[c], v, err),
						 RULEBOOK_OK);
		}
		ck_assert_int_eq(rulebook_population_add(p, f, err), RULEBOOK_OK);
	}
	char *bytes = NULL;
	size_t len = 0;
	ck_assert_int_eq(rulebook_population_save_deferred(p, &bytes, &len), RULEBOOK_OK);
	/* the first kept record that has n: its value after those before it */
	size_t at = first_kept(rb, 500), dec = 0;
	while (!dec) {
		ck_assert_int_eq(bytes[at], 2);
		size_t v = at + 1;
		for (size_t k = 0; k < rulebook_input_count(rb); k++) {
			const char *t = rulebook_input_type(rb, k);
			if (bytes[v++] != RB_V_OK)
				continue;
			if (k == inputs[3])
				dec = v;
			v += strcmp(t, "number") == 0 || strcmp(t, "integer") == 0 ? 12 : 4;
		}
		at = v;
	}
	char was[12];
	memcpy(was, bytes + dec, 12);
	int64_t coef = 1305;
	int32_t exp = -1;
	memcpy(bytes + dec, &coef, 8);
	memcpy(bytes + dec + 8, &exp, 4);
	rulebook_population *l = NULL;
	ck_assert_int_eq(rulebook_population_load(rb, bytes, len, &l, err), RULEBOOK_ERR_VALUE);
	ck_assert_ptr_null(l);
	ck_assert_msg(strstr(rulebook_error_message(err, 0), "'n'"), "%s",
		      rulebook_error_message(err, 0));
	/* a whole number is taken */
	coef = 1300;
	memcpy(bytes + dec, &coef, 8);
	ck_assert_int_eq(rulebook_population_load(rb, bytes, len, &l, err), RULEBOOK_OK);
	rulebook_population_free(l);
	memcpy(bytes + dec, was, 12);
	ck_assert_int_eq(rulebook_population_load(rb, bytes, len, &l, err), RULEBOOK_OK);
	rulebook_population_free(l);
	rulebook_mem_free(bytes);
	rulebook_facts_free(f);
	rulebook_population_free(p);
}
END_TEST

/* Deferred bytes do not depend on the number of threads nor on how the
 * rows are split into calls: every record of the columns keeps their
 * doubles, the rows evaluated alone too. */
static char *deferred_bytes(rulebook_population *p, size_t *len)
{
	char *bytes = NULL;
	ck_assert_int_eq(rulebook_population_save_deferred(p, &bytes, len), RULEBOOK_OK);
	return bytes;
}

START_TEST(test_deferred_bytes_stable)
{
	static const size_t cuts[] = {0, 1, 512, 513, 1026, 1027, 4000, NREC};
	rulebook_population *one = rulebook_population_new(rb, AS_OF);
	add_rows(one, 0, NREC);
	size_t len = 0, l2 = 0;
	char *want = deferred_bytes(one, &len);
	for (size_t t = 1; t <= 4; t++) {
		rulebook_population *p = rulebook_population_new(rb, AS_OF);
		ck_assert_int_eq(rulebook_population_set_threads(p, t), RULEBOOK_OK);
		add_rows(p, 0, NREC);
		char *got = deferred_bytes(p, &l2);
		ck_assert_msg(l2 == len && memcmp(got, want, len) == 0, "%zu threads", t);
		rulebook_mem_free(got);
		rulebook_population_free(p);
	}
	rulebook_population *split = rulebook_population_new(rb, AS_OF);
	ck_assert_int_eq(rulebook_population_set_threads(split, 2), RULEBOOK_OK);
	for (size_t j = 0; j + 1 < sizeof cuts / sizeof cuts[0]; j++)
		add_rows(split, cuts[j], cuts[j + 1]);
	char *got = deferred_bytes(split, &l2);
	ck_assert(l2 == len && memcmp(got, want, len) == 0);
	rulebook_mem_free(got);
	rulebook_population_free(split);
	rulebook_mem_free(want);
	rulebook_population_free(one);
}
END_TEST

/* A rulebook without inputs: a copy and a merge pass on the form byte of
 * each kept record, so their deferred bytes are those of the original. */
START_TEST(test_deferred_no_inputs)
{
	rulebook *z = load_str(HDR "parameters:\n"
				   "  - {id: p, cite: 一, provenance: cited, value: 0.1}\n"
				   "scorecards:\n"
				   "  - id: s\n"
				   "    cite: 二\n"
				   "    components:\n"
				   "      - {id: x, value: p, benchmark: 0.3, weight: 70}\n"
				   "    classes:\n"
				   "      - {id: A, min: 50}\n"
				   "      - {id: B}\n");
	ck_assert_uint_eq(rulebook_input_count(z), 0);
	rulebook_population *p = rulebook_population_new(z, AS_OF);
	ck_assert_int_eq(rulebook_population_add_columns(p, 100, NULL, 0, NULL, NULL, err),
			 RULEBOOK_OK);
	size_t len = 0, l2 = 0;
	char *want = deferred_bytes(p, &len);
	/* every record owes its exact score and keeps no input: its form
	 * byte alone, the columns' (1) */
	for (size_t i = 0; i < 100; i++)
		ck_assert_int_eq(want[first_kept(z, 100) + i], 1);
	rulebook_population *c = rulebook_population_copy(p), *m = rulebook_population_new(z, AS_OF);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(rulebook_population_merge(m, p, err), RULEBOOK_OK);
	char *got = deferred_bytes(c, &l2);
	ck_assert(l2 == len && memcmp(got, want, len) == 0);
	rulebook_mem_free(got);
	got = deferred_bytes(m, &l2);
	ck_assert(l2 == len && memcmp(got, want, len) == 0);
	rulebook_mem_free(got);
	rulebook_mem_free(want);
	rulebook_population_free(m);
	rulebook_population_free(c);
	rulebook_population_free(p);
	rulebook_free(z);
}
END_TEST

/* ---- 4. values the facts refuse ---- */

START_TEST(test_refused)
{
	size_t at = 700;
	double saved = values[_i ? 3 * NREC + at : at];
	uint8_t was = valid[_i ? 3 * NREC + at : at];
	values[_i ? 3 * NREC + at : at] = _i ? 2.5 : INFINITY;
	valid[_i ? 3 * NREC + at : at] = 1;
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_status want = rulebook_facts_set_double_at(f, inputs[_i ? 3 : 0], _i ? 2.5 : INFINITY,
							    err);
	ck_assert_int_ne(want, RULEBOOK_OK);
	char msg[256];
	snprintf(msg, sizeof msg, "%s", rulebook_error_message(err, 0));
	rulebook_population *p = rulebook_population_new(rb, AS_OF);
	ck_assert_int_eq(rulebook_population_add_columns(p, NREC, inputs, NCOL, values, valid, err),
			 want);
	ck_assert_str_eq(rulebook_error_message(err, 0), msg);
	ck_assert_uint_eq(rulebook_population_size(p), at);
	values[_i ? 3 * NREC + at : at] = saved;
	valid[_i ? 3 * NREC + at : at] = was;
	rulebook_population_free(p);
	rulebook_facts_free(f);
}
END_TEST

static void setup(void)
{
	rb = load_fixture("columnar.yaml");
	err = rulebook_error_new();
	static const char *const names[NCOL] = {"a", "b", "c", "n", "area"};
	for (size_t c = 0; c < NCOL; c++)
		ck_assert_int_eq(rulebook_input_index(rb, names[c], strlen(names[c]), &inputs[c]),
				 RULEBOOK_OK);
	make_rows();
}

static void teardown(void)
{
	rulebook_error_free(err);
	rulebook_free(rb);
}

int main(void)
{
	Suite *s = suite_create("columnar");
	TCase *tc = tcase_create("columnar");
	tcase_set_timeout(tc, 300);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_input);
	tcase_add_test(tc, test_opcodes);
	tcase_add_test(tc, test_block_against_records);
	tcase_add_loop_test(tc, test_population_threads, 1, 5);
	tcase_add_test(tc, test_population_slices);
	tcase_add_loop_test(tc, test_saved_deferred, 0, 2);
	tcase_add_test(tc, test_saved_forms);
	tcase_add_test(tc, test_saved_value_types);
	tcase_add_loop_test(tc, test_arrow, 1, 3);
	tcase_add_loop_test(tc, test_refused, 0, 2);
	tcase_add_test(tc, test_kept_doubles_refused);
	tcase_add_test(tc, test_kept_values_refused);
	tcase_add_test(tc, test_deferred_bytes_stable);
	tcase_add_test(tc, test_deferred_no_inputs);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
