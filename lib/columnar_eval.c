/* The binary run over columns (see columnar.h).
 *
 * Each instruction of the binary program (fastpath.h) runs over a block of
 * rows at a time, every slot held as three arrays: the doubles, their
 * bounds and the states (present or missing). The arithmetic and the
 * bounds are those of fastpath.c's per-record run (its relative bounds),
 * operation for operation, so a row the block decides has the values its
 * own binary run would have had. A row
 * where anything is left undecided — a comparison the bounds cannot
 * decide, a value out of range, a division by zero, a value the columns
 * cannot give as a binary number — is marked, and the caller evaluates it
 * alone, as before. Programs with instructions this run does not cover
 * (rounding, text comparisons) and rulebooks with aggregates, targets,
 * consequences or population averages (which read exact values per
 * record) are not run here at all. */
#include "columnar.h"
#include "fastpath.h"
#include "alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX
#define B RB_COL_BLOCK

struct rb_colrun {
	const rulebook *rb;
	uint32_t *dense;          /* per slot: its arrays' index, or NONE */
	uint32_t nused;
	double *x, *e;            /* nused × B */
	uint8_t *st;              /* nused × B: RB_V_OK or RB_V_MISSING */
	uint8_t und[B];           /* per row of the block: left undecided */
	size_t ncols;
	uint32_t *col;            /* per column: its input's index in the arrays, or
				   * NONE when a later column sets the same input */
	uint8_t *col_int;         /* per column: the input is an integer */
	uint32_t *out;            /* the slots verdicts and classes read */
	uint32_t nout;
	size_t *out_at;           /* per slot of out: where its block starts in the arrays */
	uint8_t *out_num;         /* per slot of out: numeric (else boolean) */
};

/* 10^(q - 8) for q in [0, 24], then infinity. */
static const double decades[26] = {
	1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1e0,  1e1,  1e2,  1e3,  1e4,
	1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, INFINITY,
};

/* floor(log10(a)) for 1e-7 <= a < 1e15: from a's binary exponent e2,
 * floor(e2 · 1233 / 4096) is floor(e2 · log10 2) for -24 <= e2 <= 49,
 * and floor(log10(a)) is that or one more; no branch. */
static inline int decade(double a)
{
	uint64_t bits;
	memcpy(&bits, &a, sizeof bits);
	int e2 = (int)((bits >> 52) & 0x7FF) - 1023;
	int q = (e2 * 1233 + 4096 * 64) / 4096 - 64; /* floor, the dividend kept positive */
	q = q < -8 ? -8 : q > 15 ? 15 : q;
	return q + (a >= decades[q + 9]);
}

static inline bool input_value(double v, bool integer, double *x, double *e)
{
	double a = fabs(v);
	if (a < 0x1p53 && (double)(int64_t)a == a) {
		/* an integer below 2^53 (or zero) is its own shortest decimal,
		 * exact; rb_fast_from_dec gives +0 for zero */
		*x = v == 0 ? 0 : v;
		*e = 0;
		return true;
	}
	if (!integer && a >= 1e-7 && a < 1e15) {
		/* At most one decimal of 15 significant digits or fewer reads
		 * back as a (see rb_dec_from_double); when m / 10^k does, it is
		 * the shortest decimal, its double is a itself (correctly
		 * rounded from m < 2^53 and 10^k, k <= 22), and it is the
		 * double exactly when 5^k divides m — which needs a · 2^k to be
		 * an integer first. k is the largest with a · 10^k < 10^15. */
		int k = 14 - decade(a);
		if (k >= 0 && k <= 22) {
			double s = a * rb_pow10_22[k];
			uint64_t m = (uint64_t)(s + 0.5);
			if (s < 1e15 && (double)m / rb_pow10_22[k] == a) {
				double t = a * (double)(UINT64_C(1) << k); /* exact, below 2^53 */
				*x = v;
				*e = (double)(int64_t)t == t && m * rb_inv5[k] <= rb_max5[k] ? 0 : a * RB_FAST_K;
				return true;
			}
		}
	}
	rb_dec d;
	if (rb_dec_from_double(v, &d) != RB_DEC_OK || (integer && !rb_dec_is_integer(d)))
		return false;
	rb_val f;
	rb_fast_from_dec(d, &f);
	*x = f.u.f.x;
	*e = f.u.f.e;
	return true;
}

bool rb_colrun_input(double v, bool integer, double *x, double *e)
{
	return input_value(v, integer, x, e);
}

/* Whether the binary program has only instructions this run covers. */
static bool covered(const rulebook *rb)
{
	for (uint32_t j = 0; j < rb->nfcode; j++) {
		switch (rb->fcode[j].op) {
		case RB_I_ADD: case RB_I_SUB: case RB_I_MUL: case RB_I_DIV: case RB_I_NEG:
		case RB_I_ABS: case RB_I_CONV: case RB_I_MIN: case RB_I_MAX: case RB_I_NLT:
		case RB_I_NLE: case RB_I_NGT: case RB_I_NGE: case RB_I_NEQ: case RB_I_NNE:
		case RB_I_IEQ: case RB_I_INE: case RB_I_ILT: case RB_I_ILE: case RB_I_IGT:
		case RB_I_IGE: case RB_I_AND: case RB_I_OR: case RB_I_NOT: case RB_I_SELECT:
		case RB_I_MISSING: case RB_I_COALESCE: case RB_I_YEAR: case RB_F_CAPPED:
		case RB_F_MULQ: case RB_F_STOP: case RB_F_TEXT_IN: case RB_F_TEXT_SELECT:
			break;
		default:
			return false;
		}
	}
	return true;
}

/* Whether a record's verdicts and classes follow from the binary run alone,
 * with nothing read exactly per record (see the top of this file). */
static bool eligible(const rulebook *rb, const rulebook_result *res, int32_t as_of)
{
	if (!rb->fcode || !res->fslots || !res->fast_ok || !res->fpre_ok ||
	    res->params_as_of != as_of || !rb->numeric || !rb->fast_valid || rb->naggregates ||
	    rb->ntargets || !covered(rb))
		return false;
	for (uint32_t k = 0; k < rb->nscorecards; k++) {
		const rb_scorecard *sc = &rb->scorecards[k];
		if (sc->has_average || sc->nconsequences || !rb->fast_valid[sc->score])
			return false;
		/* figures that make no score on this date: the class error reads them exactly */
		if (sc->sane < 0)
			continue;
		if (res->fslots[sc->sane].state == RB_V_OK && !res->fslots[sc->sane].u.b)
			return false;
		for (uint32_t j = 0; j < rb->nfcode; j++)
			if (rb->fcode[j].dst == (uint32_t)sc->sane)
				return false;
	}
	return true;
}

static void use(rb_colrun *cr, uint32_t slot)
{
	if (cr->dense[slot] == NONE)
		cr->dense[slot] = cr->nused++;
}

static void out_slot(rb_colrun *cr, int64_t slot)
{
	if (slot < 0)
		return;
	for (uint32_t k = 0; k < cr->nout; k++)
		if (cr->out[k] == (uint32_t)slot)
			return;
	cr->out[cr->nout++] = (uint32_t)slot;
	use(cr, (uint32_t)slot);
}

rb_colrun *rb_colrun_new(const rulebook *rb, const rulebook_result *res, int32_t as_of,
			 const size_t *inputs, size_t ncols)
{
	if (!eligible(rb, res, as_of))
		return NULL;
	rb_colrun *cr = rb_calloc(1, sizeof(*cr));
	if (!cr)
		return NULL;
	cr->rb = rb;
	cr->ncols = ncols;
	size_t nout = 0;
	for (uint32_t r = 0; r < rb->nrules; r++)
		nout += 2 + rb->rules[r].nunless;
	for (uint32_t k = 0; k < rb->nscorecards; k++)
		nout += 2 + rb->scorecards[k].nvetoes + rb->scorecards[k].nclasses;
	cr->dense = rb_malloc(rb->nslots * sizeof(uint32_t));
	cr->col = rb_calloc(ncols ? ncols : 1, sizeof(uint32_t));
	cr->col_int = rb_calloc(ncols ? ncols : 1, 1);
	cr->out = rb_calloc(nout ? nout : 1, sizeof(uint32_t));
	if (!cr->dense || !cr->col || !cr->col_int || !cr->out) {
		rb_colrun_free(cr);
		return NULL;
	}
	for (uint32_t s = 0; s < rb->nslots; s++)
		cr->dense[s] = NONE;
	for (uint32_t j = 0; j < rb->nfcode; j++) {
		const rb_fins *f = &rb->fcode[j];
		use(cr, f->dst);
		use(cr, f->a);
		use(cr, f->b);
		use(cr, f->c);
		if (f->op == RB_F_CAPPED) {
			use(cr, f->at);
			use(cr, f->cmp);
		}
	}
	for (uint32_t r = 0; r < rb->nrules; r++) {
		const rb_rule *ru = &rb->rules[r];
		out_slot(cr, ru->when);
		out_slot(cr, ru->require);
		for (uint32_t k = 0; k < ru->nunless; k++)
			out_slot(cr, ru->unless[k].when);
	}
	for (uint32_t k = 0; k < rb->nscorecards; k++) {
		const rb_scorecard *sc = &rb->scorecards[k];
		out_slot(cr, sc->scope);
		out_slot(cr, sc->score);
		for (uint32_t v = 0; v < sc->nvetoes; v++)
			out_slot(cr, sc->vetoes[v].when);
		for (uint32_t c = 0; c < sc->nclasses; c++)
			if (sc->classes[c].has_min)
				out_slot(cr, sc->classes[c].reached);
	}
	for (size_t c = 0; c < ncols; c++) {
		use(cr, rb->input_base + (uint32_t)inputs[c]);
		cr->col_int[c] = rb->inputs[inputs[c]].type == RB_T_INTEGER;
		cr->col[c] = cr->dense[rb->input_base + inputs[c]];
		for (size_t d = c + 1; d < ncols; d++)
			if (inputs[d] == inputs[c])
				cr->col[c] = NONE; /* the last column of an input sets it */
	}
	cr->out_at = rb_calloc(cr->nout ? cr->nout : 1, sizeof(size_t));
	cr->out_num = rb_calloc(cr->nout ? cr->nout : 1, 1);
	if (!cr->out_at || !cr->out_num) {
		rb_colrun_free(cr);
		return NULL;
	}
	for (uint32_t k = 0; k < cr->nout; k++) {
		cr->out_at[k] = (size_t)cr->dense[cr->out[k]] * B;
		cr->out_num[k] = rb->numeric[cr->out[k]] != 0;
	}
	size_t cells = (size_t)cr->nused * B;
	/* zeros: a row left undecided may leave some of its values unset */
	cr->x = rb_calloc(cells, sizeof(double));
	cr->e = rb_calloc(cells, sizeof(double));
	cr->st = rb_calloc(cells, 1);
	if (!cr->x || !cr->e || !cr->st) {
		rb_colrun_free(cr);
		return NULL;
	}
	/* What no instruction writes is the same for every row: the as-of
	 * date, parameters and constants as the per-date run left them, and
	 * the inputs no column sets, missing. */
	uint8_t *written = rb_calloc(rb->nslots, 1);
	if (!written) {
		rb_colrun_free(cr);
		return NULL;
	}
	for (uint32_t j = 0; j < rb->nfcode; j++) {
		written[rb->fcode[j].dst] = 1;
		if (rb->fcode[j].op == RB_F_CAPPED)
			written[rb->fcode[j].cmp] = 1;
	}
	for (uint32_t s = 0; s < rb->nslots; s++) {
		uint32_t i = cr->dense[s];
		if (i == NONE || written[s])
			continue;
		const rb_val *v = &res->fslots[s];
		bool input = s >= rb->input_base && s - rb->input_base < rb->ninputs;
		uint8_t st = input ? RB_V_MISSING : v->state;
		if (st == RB_V_ERROR) {
			/* an error for every record: left to the records' own runs */
			rb_free(written);
			rb_colrun_free(cr);
			return NULL;
		}
		double x = st != RB_V_OK ? 0 : rb->numeric[s] ? v->u.f.x : (double)v->u.b;
		double e = st != RB_V_OK || !rb->numeric[s] ? 0 : v->u.f.e;
		for (size_t r = 0; r < B; r++) {
			cr->x[(size_t)i * B + r] = x;
			cr->e[(size_t)i * B + r] = e;
			cr->st[(size_t)i * B + r] = st;
		}
	}
	rb_free(written);
	return cr;
}

void rb_colrun_free(rb_colrun *cr)
{
	if (!cr)
		return;
	rb_free(cr->dense);
	rb_free(cr->col);
	rb_free(cr->col_int);
	rb_free(cr->out);
	rb_free(cr->out_at);
	rb_free(cr->out_num);
	rb_free(cr->x);
	rb_free(cr->e);
	rb_free(cr->st);
	rb_free(cr);
}

static inline bool moderate(double xa, double ea, double x)
{
	double ax = fabs(x);
	return (ax >= 1e-250 && ax <= 1e270) || (xa == 0 && ea == 0);
}

/* rb_fcmp (fastpath.h): -1, 0 or 1, or 2 when the bounds cannot tell.
 * Written with branches here: over a block of rows the compiler does
 * better with them (rb_fcmp in this loop measured 4 % slower), while the
 * per-record run gains from having none. */
static inline int fcmp(double xa, double ea, double xb, double eb)
{
	double d = xa - xb, m = ea + eb;
	if (m == 0)
		return (d > 0) - (d < 0);
	if (fabs(d) * (1 - 0x1p-50) > m * (1 + 0x1p-20))
		return d > 0 ? 1 : -1;
	return 2;
}

void rb_colrun_block(rb_colrun *cr, const double *const *cols, size_t n, const uint8_t *alone)
{
	const rulebook *rb = cr->rb;
	if (alone)
		memcpy(cr->und, alone, n);
	else
		memset(cr->und, 0, n);
	/* the columns' values as binary numbers with their bounds */
	for (size_t c = 0; c < cr->ncols; c++) {
		uint32_t i = cr->col[c];
		if (i == NONE)
			continue;
		double *x = cr->x + (size_t)i * B, *e = cr->e + (size_t)i * B;
		uint8_t *st = cr->st + (size_t)i * B;
		const double *v = cols[c];
		bool integer = cr->col_int[c];
		for (size_t r = 0; r < n; r++) {
			/* NaN is how data frames write a missing number */
			st[r] = isnan(v[r]) ? RB_V_MISSING : RB_V_OK;
			if (!st[r] && !input_value(v[r], integer, &x[r], &e[r]))
				cr->und[r] = 1;
		}
	}
	uint8_t *und = cr->und;
	for (uint32_t j = 0; j < rb->nfcode; j++) {
		const rb_fins *f = &rb->fcode[j];
		size_t di = (size_t)cr->dense[f->dst] * B, ai = (size_t)cr->dense[f->a] * B,
		       bi = (size_t)cr->dense[f->b] * B, ci = (size_t)cr->dense[f->c] * B;
		double *xd = cr->x + di, *ed = cr->e + di;
		uint8_t *sd = cr->st + di;
		const double *xa = cr->x + ai, *ea = cr->e + ai, *xb = cr->x + bi, *eb = cr->e + bi;
		const double *xc = cr->x + ci, *ec = cr->e + ci;
		const uint8_t *sa = cr->st + ai, *sb = cr->st + bi, *sc = cr->st + ci;
		switch (f->op) {
		case RB_I_ADD:
		case RB_I_SUB:
			for (size_t r = 0; r < n; r++) {
				sd[r] = sa[r] | sb[r];
				if (sd[r])
					continue;
				double x = f->op == RB_I_ADD ? xa[r] + xb[r] : xa[r] - xb[r];
				double e = ea[r] + eb[r] + fabs(x) * RB_FAST_K;
				xd[r] = x;
				ed[r] = e;
				und[r] |= !rb_rel_ok(x, e, f->r);
			}
			break;
		case RB_I_MUL:
		case RB_F_MULQ:
			for (size_t r = 0; r < n; r++) {
				sd[r] = sa[r] | sb[r];
				if (sd[r])
					continue;
				double x = xa[r] * xb[r];
				xd[r] = x;
				ed[r] = f->r * fabs(x);
				und[r] |= !rb_rel_range(x) ||
					  (f->op == RB_F_MULQ && !moderate(xa[r], ea[r], x));
			}
			break;
		case RB_I_DIV:
			for (size_t r = 0; r < n; r++) {
				sd[r] = sa[r] | sb[r];
				if (sd[r])
					continue;
				/* a zero divisor (exactly zero, see fastpath.c): left to
				 * the row's own run */
				if (xb[r] == 0) {
					und[r] = 1;
					continue;
				}
				double x = xa[r] / xb[r];
				und[r] |= !rb_rel_range(x);
				xd[r] = x;
				ed[r] = f->r * fabs(x);
			}
			break;
		case RB_I_NEG:
		case RB_I_ABS:
			for (size_t r = 0; r < n; r++) {
				sd[r] = sa[r];
				xd[r] = f->op == RB_I_NEG ? -xa[r] : fabs(xa[r]);
				ed[r] = ea[r];
			}
			break;
		case RB_I_CONV:
			for (size_t r = 0; r < n; r++) {
				sd[r] = sa[r];
				if (sd[r])
					continue;
				double x = xa[r] * f->k;
				und[r] |= !rb_rel_range(x);
				xd[r] = x;
				ed[r] = f->r * fabs(x);
			}
			break;
		case RB_I_MIN:
		case RB_I_MAX:
			for (size_t r = 0; r < n; r++) {
				sd[r] = sa[r] | sb[r];
				bool first = (f->op == RB_I_MIN) == (xa[r] <= xb[r]);
				xd[r] = first ? xa[r] : xb[r];
				ed[r] = f->r * fabs(xd[r]);
				und[r] |= !sd[r] && (isnan(xa[r]) || isnan(xb[r]));
			}
			break;
#define COMPARE(opc, test)                                                   \
	case opc:                                                            \
		for (size_t r = 0; r < n; r++) {                             \
			sd[r] = sa[r] | sb[r];                               \
			if (sd[r])                                           \
				continue;                                    \
			int c = fcmp(xa[r], ea[r], xb[r], eb[r]);            \
			und[r] |= c == 2;                                    \
			xd[r] = (test);                                      \
			ed[r] = 0;                                           \
		}                                                            \
		break
			COMPARE(RB_I_NLT, c < 0);
			COMPARE(RB_I_NLE, c <= 0);
			COMPARE(RB_I_NGT, c > 0);
			COMPARE(RB_I_NGE, c >= 0);
			COMPARE(RB_I_NEQ, c == 0);
			COMPARE(RB_I_NNE, c != 0);
#undef COMPARE
#define INT_COMPARE(opc, test)                                               \
	case opc:                                                            \
		for (size_t r = 0; r < n; r++) {                             \
			sd[r] = sa[r] | sb[r];                               \
			xd[r] = (test);                                      \
			ed[r] = 0;                                           \
		}                                                            \
		break
			INT_COMPARE(RB_I_IEQ, xa[r] == xb[r]);
			INT_COMPARE(RB_I_INE, xa[r] != xb[r]);
			INT_COMPARE(RB_I_ILT, xa[r] < xb[r]);
			INT_COMPARE(RB_I_ILE, xa[r] <= xb[r]);
			INT_COMPARE(RB_I_IGT, xa[r] > xb[r]);
			INT_COMPARE(RB_I_IGE, xa[r] >= xb[r]);
#undef INT_COMPARE
		case RB_I_AND:
		case RB_I_OR: {
			/* Kleene: false dominates 'and', true 'or' */
			double dom = f->op == RB_I_OR;
			for (size_t r = 0; r < n; r++) {
				bool hit = (!sa[r] && xa[r] == dom) || (!sb[r] && xb[r] == dom);
				sd[r] = hit ? RB_V_OK : sa[r] | sb[r];
				xd[r] = hit ? dom : 1 - dom;
				ed[r] = 0;
			}
			break;
		}
		case RB_I_NOT:
			for (size_t r = 0; r < n; r++) {
				sd[r] = sa[r];
				xd[r] = xa[r] == 0;
				ed[r] = 0;
			}
			break;
		case RB_I_SELECT:
			for (size_t r = 0; r < n; r++) {
				if (sa[r]) {
					sd[r] = RB_V_MISSING;
					continue;
				}
				bool t = xa[r] != 0;
				sd[r] = t ? sb[r] : sc[r];
				xd[r] = t ? xb[r] : xc[r];
				ed[r] = t ? eb[r] : ec[r];
			}
			break;
		case RB_I_MISSING:
			for (size_t r = 0; r < n; r++) {
				xd[r] = sa[r] == RB_V_MISSING;
				ed[r] = 0;
				sd[r] = RB_V_OK;
			}
			break;
		case RB_I_COALESCE:
			for (size_t r = 0; r < n; r++) {
				bool m = sa[r] == RB_V_MISSING;
				sd[r] = m ? sb[r] : sa[r];
				xd[r] = m ? xb[r] : xa[r];
				ed[r] = m ? eb[r] : ea[r];
			}
			break;
		case RB_I_YEAR:
			for (size_t r = 0; r < n; r++) {
				sd[r] = sa[r];
				xd[r] = sa[r] ? 0 : (double)((int32_t)xa[r] / 10000);
				ed[r] = 0;
			}
			break;
		case RB_F_CAPPED: {
			/* dst = a > b ? c : a × s[at], the comparison written to cmp too */
			size_t qi = (size_t)cr->dense[f->at] * B, mi = (size_t)cr->dense[f->cmp] * B;
			const double *xq = cr->x + qi;
			const uint8_t *sq = cr->st + qi;
			double *xm = cr->x + mi, *em = cr->e + mi;
			uint8_t *sm = cr->st + mi;
			for (size_t r = 0; r < n; r++) {
				sd[r] = sm[r] = sa[r] | sb[r];
				em[r] = 0;
				if (sd[r])
					continue;
				int c = fcmp(xa[r], ea[r], xb[r], eb[r]);
				if (c == 2) {
					und[r] = 1;
					continue;
				}
				xm[r] = c > 0;
				if (c > 0) {
					sd[r] = sc[r];
					xd[r] = xc[r];
					ed[r] = ec[r];
					continue;
				}
				sd[r] = sq[r];
				if (sd[r])
					continue;
				double x = xa[r] * xq[r];
				xd[r] = x;
				ed[r] = f->r * fabs(x);
				und[r] |= !rb_rel_range(x) || (f->mode && !moderate(xa[r], ea[r], x));
			}
			break;
		}
		case RB_F_STOP:
		case RB_F_TEXT_IN:
		case RB_F_TEXT_SELECT:
			/* a list or a text input: the columns give none (missing);
			 * one that is present is left to the row's own run */
			for (size_t r = 0; r < n; r++) {
				und[r] |= sa[r] == RB_V_OK;
				sd[r] = RB_V_MISSING;
			}
			break;
		default: /* not covered: rb_colrun_new does not run such a program */
			memset(und, 1, n);
			return;
		}
	}
}

bool rb_colrun_decided(const rb_colrun *cr, size_t row)
{
	return !cr->und[row];
}

void rb_colrun_row(const rb_colrun *cr, size_t row, rb_val *slots)
{
	const uint32_t *out = cr->out;
	const size_t *out_at = cr->out_at;
	const uint8_t *st = cr->st + row, *num = cr->out_num;
	const double *x = cr->x + row, *e = cr->e + row;
	for (uint32_t k = 0; k < cr->nout; k++) {
		size_t at = out_at[k];
		rb_val *v = &slots[out[k]];
		v->state = st[at];
		if (v->state != RB_V_OK)
			continue;
		if (num[k]) {
			v->u.f.x = x[at];
			v->u.f.e = e[at];
		} else {
			v->u.b = (int32_t)x[at];
		}
	}
}
