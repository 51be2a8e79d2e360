/* Populations: many records evaluated as of one date. Each record is
 * evaluated with one reused result object; its verdicts, scores and
 * classes are kept, its contributions are added to the aggregates, and
 * classes by rank are decided when first asked for. */
#include "result.h"
#include "columnar.h"
#include "fastpath.h"
#include "alloc.h"
#include "date.h"
#include "error.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__extension__ typedef unsigned __int128 agg_u128;

/* A sum kept exactly, so that it does not depend on the order of its terms
 * (one thread or several, any partitioning merged in any order): integer
 * addition over limbs of 18 decimal digits that span the decimal's whole
 * range, limb i holding the digits of 10^(18 i - 306) to 10^(18 i - 289).
 * A term coef × 10^exp (|coef| < 10^18, exp within [RB_DEC_EXP_MIN,
 * RB_DEC_EXP_MAX]) falls on at most two limbs. Carries are propagated as
 * terms are added, so the limbs are always in one form: each in
 * [0, 10^18) but the top one, which is signed (the value is
 * Σ limb[i] × 10^(18 i - 306), negative when the top limb is). Equal sums
 * have equal limbs, whatever the order of their terms.
 *
 * The top limb starts at 10^324, beyond any decimal (below 10^318): it is
 * there for partial sums of many large terms, and the sum is over (an
 * error) only when it reaches 10^18 in magnitude, a partial sum of 10^342
 * or more: more than 10^24 terms, which no population holds. exp is the
 * finest exponent among the nonzero terms: the sum is read at that
 * exponent when it fits 18 digits (1.10 + 1 is 2.10, as rb_dec_add gives),
 * else rounded once to 18 significant digits, ties to even. */
#define SUM_LIMBS 36
#define SUM_TOP (SUM_LIMBS - 1)
#define SUM_BASE INT64_C(1000000000000000000) /* 10^18 */
#define SUM_EXP0 (-306)                        /* limb 0's lowest digit: 10^-306 */

typedef struct agg_sum {
	int64_t limb[SUM_LIMBS];
	int16_t exp;             /* finest exponent of a nonzero term; 0 while none */
	bool any;                /* a nonzero term was added (they may cancel) */
	bool over;               /* beyond the limbs: an error, and every limb 0 */
} agg_sum;

typedef struct agg_state {
	size_t counted;          /* records that passed the filter */
	size_t undecided;        /* records whose filter or value was missing */
	int error;               /* out of memory for the list of records */
	agg_sum sum, sum_where;  /* of value (share: numerator sum) */
	size_t count_where;
	rb_dec min, max;
	size_t *records;         /* indices of the counted records */
	size_t nrec, caprec;
	size_t *und;             /* indices of the undecided records (as many as undecided) */
	size_t nund, capund;
	uint8_t *miss;           /* per dependency of the aggregate (rb_aggregate.deps):
				  * missing in one of the undecided records */
} agg_state;

/* Per record and scorecard (sflag): */
#define SC_BIN 1                 /* decided in binary: the exact score lies within sx ± se */
#define SC_DEFER 2               /* the exact score is not computed yet (scores[] holds 0) */

/* Batch calls on threads: at most this many, each with at least this
 * many rows. */
#define RB_MAX_THREADS 64
#define RB_ROWS_PER_THREAD 2048

#define CQ_WHEN 1                /* the consequence's condition holds (or it has none) */
#define CQ_VALUE 2               /* its value, which depends on the record, is known */

struct rulebook_population {
	const rulebook *rb;
	int32_t as_of;
	rulebook_result *res;    /* reused for every record */
	size_t n, cap;
	uint8_t *verdicts;       /* n × nrules */
	rb_dec *scores;          /* n × nscorecards */
	uint8_t *score_ok;
	int16_t *classes;        /* n × nscorecards, before ranking */
	int16_t *ranked;         /* n × nscorecards after ranking, NULL until asked */
	int16_t *vetoes;         /* n × nscorecards: the veto that forced the class, or -1 */
	/* The consequences of every scorecard, nq in all, scorecard k's from
	 * cq_first[k]: per record whether each one's condition holds and, for a
	 * value that depends on the record, the value; a value that depends on
	 * the date alone is kept once. Kept for every class a record may still
	 * get (classes by rank are decided later), read for the class it got. */
	size_t nq;
	size_t *cq_first;
	uint8_t *cq;             /* n × nq: CQ_WHEN | CQ_VALUE */
	rb_dec *cq_val;          /* n × nq; NULL when no value depends on the record */
	rb_dec *cq_const;        /* nq */
	uint8_t *cq_const_ok;
	bool cq_per_record;
	char **ids;
	uint32_t counts[8];
	/* for scorecards with `missing: average`: per record and component the
	 * ratio, points and weight (RB_COMP_FIGS decimals, ok flags beside),
	 * and the class cut-offs in force */
	rb_dec *comp;
	uint8_t *comp_ok;
	size_t comp_stride;      /* figures per record */
	rb_dec *cutoffs;         /* per scorecard and class */
	uint8_t *cutoff_ok;
	agg_state *aggs;
	rb_val *agg_slots;       /* slots for the aggregate program */
	/* Binary scores. A record decided in binary keeps its binary score
	 * and error bound (sx, se: n × nscorecards) and, when its inputs hold
	 * no text or list (numbers, booleans, dates, enums: no pointers), its
	 * inputs (snap: n × ninputs) instead of its exact score: the exact
	 * score is computed from them when it is read or exported, or when
	 * the bounds cannot order it among its neighbours for a class by
	 * rank. */
	uint8_t *sflag;          /* n × nscorecards: SC_BIN | SC_DEFER */
	double *sx, *se;
	rb_val *snap;            /* NULL when no record can wait (can_defer false) */
	/* A record the columnar run decided keeps its inputs as the doubles
	 * of its columns (dsnap: n × ninputs, NaN for missing; kept_dbl[i]
	 * set) rather than in snap: 8 bytes an input, and their decimals are
	 * made only when an exact score is needed. */
	double *dsnap;
	uint8_t *kept_dbl;
	bool can_defer;
	rulebook_facts *xfacts;  /* for computing exact scores from snap */
	rulebook_result *xres;
	size_t threads;          /* for batch calls (rulebook_population_set_threads) */
	rb_arena strings;
	rb_buf out;
};

RULEBOOK_API rulebook_population *rulebook_population_new(const rulebook *rb, int32_t as_of)
{
	if (!rb || !rb_date_valid(as_of))
		return NULL;
	rulebook_population *p = rb_calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->rb = rb;
	p->as_of = as_of;
	p->threads = 1;
	rb_arena_init(&p->strings);
	rb_buf_init(&p->out);
	/* Records are decided by the fast path where it can; the exact
	 * scores, cut-offs and aggregated values kept per record are computed
	 * alone, from what each depends on (lazy.c). */
	p->res = rulebook_result_new(rb);
	for (uint32_t k = 0; p->res && p->res->fslots && k < rb->nscorecards; k++)
		p->can_defer |= !rb->scorecards[k].has_average;
	p->aggs = rb_calloc(rb->naggregates ? rb->naggregates : 1, sizeof(agg_state));
	size_t ncut = 0;
	for (uint32_t k = 0; k < rb->nscorecards; k++) {
		if (rb->scorecards[k].has_average)
			p->comp_stride += 3 * (size_t)rb->scorecards[k].ncomponents;
		ncut += rb->scorecards[k].nclasses;
	}
	p->cutoffs = rb_calloc(ncut ? ncut : 1, sizeof(rb_dec));
	p->cutoff_ok = rb_calloc(ncut ? ncut : 1, 1);
	p->cq_first = rb_calloc((size_t)rb->nscorecards + 1, sizeof(size_t));
	for (uint32_t k = 0; p->cq_first && k < rb->nscorecards; k++) {
		p->cq_first[k] = p->nq;
		p->nq += rb->scorecards[k].nconsequences;
		for (uint32_t j = 0; j < rb->scorecards[k].nconsequences; j++)
			p->cq_per_record |= rb->scorecards[k].consequences[j].per_record;
	}
	if (p->cq_first)
		p->cq_first[rb->nscorecards] = p->nq;
	p->cq_const = rb_calloc(p->nq ? p->nq : 1, sizeof(rb_dec));
	p->cq_const_ok = rb_calloc(p->nq ? p->nq : 1, 1);
	bool miss_ok = true;
	for (uint32_t a = 0; p->aggs && a < rb->naggregates; a++) {
		uint32_t nd = rb->aggregates[a].ndeps;
		p->aggs[a].miss = rb_calloc(nd ? nd : 1, 1);
		miss_ok &= p->aggs[a].miss != NULL;
	}
	if (!p->res || !p->aggs || !p->cutoffs || !p->cutoff_ok || !p->cq_first || !p->cq_const ||
	    !p->cq_const_ok || !miss_ok) {
		rulebook_population_free(p);
		return NULL;
	}
	return p;
}

int32_t rb_population_as_of(const rulebook_population *p)
{
	return p->as_of;
}

RULEBOOK_API void rulebook_population_free(rulebook_population *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		rb_free(p->ids[i]);
	if (p->aggs)
		for (uint32_t a = 0; a < p->rb->naggregates; a++) {
			rb_free(p->aggs[a].records);
			rb_free(p->aggs[a].und);
			rb_free(p->aggs[a].miss);
		}
	rb_free(p->ids);
	rb_free(p->verdicts);
	rb_free(p->scores);
	rb_free(p->score_ok);
	rb_free(p->classes);
	rb_free(p->ranked);
	rb_free(p->vetoes);
	rb_free(p->cq_first);
	rb_free(p->cq);
	rb_free(p->cq_val);
	rb_free(p->cq_const);
	rb_free(p->cq_const_ok);
	rb_free(p->aggs);
	rb_free(p->agg_slots);
	rb_free(p->comp);
	rb_free(p->comp_ok);
	rb_free(p->cutoffs);
	rb_free(p->cutoff_ok);
	rb_free(p->sflag);
	rb_free(p->sx);
	rb_free(p->se);
	rb_free(p->snap);
	rb_free(p->dsnap);
	rb_free(p->kept_dbl);
	rulebook_facts_free(p->xfacts);
	rulebook_result_free(p->xres);
	rulebook_result_free(p->res);
	rb_arena_release(&p->strings);
	rb_buf_release(&p->out);
	rb_free(p);
}

static int reserve(rulebook_population *p, size_t need)
{
	const rulebook *rb = p->rb;
	if (need <= p->cap)
		return 0;
	size_t cap = p->cap ? p->cap * 2 : 64;
	while (cap < need)
		cap *= 2;
	size_t nr = rb->nrules ? rb->nrules : 1, ns = rb->nscorecards ? rb->nscorecards : 1;
	uint8_t *v = rb_realloc(p->verdicts, cap * nr);
	if (v)
		p->verdicts = v;
	rb_dec *sc = rb_realloc(p->scores, cap * ns * sizeof(rb_dec));
	if (sc)
		p->scores = sc;
	uint8_t *ok = rb_realloc(p->score_ok, cap * ns);
	if (ok)
		p->score_ok = ok;
	int16_t *cl = rb_realloc(p->classes, cap * ns * sizeof(int16_t));
	if (cl)
		p->classes = cl;
	char **ids = rb_realloc(p->ids, cap * sizeof(char *));
	if (ids)
		p->ids = ids;
	if (!v || !sc || !ok || !cl || !ids)
		return -1;
	if (p->comp_stride) {
		rb_dec *cf = rb_realloc(p->comp, cap * p->comp_stride * sizeof(rb_dec));
		if (cf)
			p->comp = cf;
		uint8_t *co = rb_realloc(p->comp_ok, cap * p->comp_stride);
		if (co)
			p->comp_ok = co;
		if (!cf || !co)
			return -1;
	}
	int16_t *vt = rb_realloc(p->vetoes, cap * ns * sizeof(int16_t));
	if (vt)
		p->vetoes = vt;
	uint8_t *cq = rb_realloc(p->cq, cap * (p->nq ? p->nq : 1));
	if (cq)
		p->cq = cq;
	if (!vt || !cq)
		return -1;
	uint8_t *sf = rb_realloc(p->sflag, cap * ns);
	if (sf)
		p->sflag = sf;
	double *sx = rb_realloc(p->sx, cap * ns * sizeof(double));
	if (sx)
		p->sx = sx;
	double *se = rb_realloc(p->se, cap * ns * sizeof(double));
	if (se)
		p->se = se;
	if (!sf || !sx || !se)
		return -1;
	if (p->can_defer) {
		rb_val *sn = rb_realloc(p->snap, cap * (rb->ninputs ? rb->ninputs : 1) * sizeof(rb_val));
		if (!sn)
			return -1;
		p->snap = sn;
		double *ds = rb_realloc(p->dsnap, cap * (rb->ninputs ? rb->ninputs : 1) * sizeof(double));
		if (ds)
			p->dsnap = ds;
		uint8_t *kd = rb_realloc(p->kept_dbl, cap);
		if (kd) {
			/* records that keep nothing (loaded ones) read as the
			 * exact form, which copies and merges pass on as they are */
			if (cap > p->cap)
				memset(kd + p->cap, 0, cap - p->cap);
			p->kept_dbl = kd;
		}
		if (!ds || !kd)
			return -1;
	}
	if (p->cq_per_record) {
		rb_dec *cv = rb_realloc(p->cq_val, cap * p->nq * sizeof(rb_dec));
		if (!cv)
			return -1;
		p->cq_val = cv;
	}
	p->cap = cap;
	return 0;
}

static void sum_set_over(agg_sum *s)
{
	memset(s, 0, sizeof *s);
	s->over = true;
}

/* Carry c (1 or -1) into limb i and those above. */
static void sum_carry(agg_sum *s, uint32_t i, int64_t c)
{
	for (; i < SUM_TOP; i++) {
		int64_t x = s->limb[i] + c;
		if (x >= 0 && x < SUM_BASE) {
			s->limb[i] = x;
			return;
		}
		s->limb[i] = x < 0 ? x + SUM_BASE : x - SUM_BASE;
	}
	int64_t top = s->limb[SUM_TOP] + c;
	if (top >= SUM_BASE || top <= -SUM_BASE)
		sum_set_over(s);
	else
		s->limb[SUM_TOP] = top;
}

static void sum_add(agg_sum *s, rb_dec v)
{
	if (v.coef == 0 || s->over)
		return;
	if (v.exp < RB_DEC_EXP_MIN || v.exp > RB_DEC_EXP_MAX) {
		sum_set_over(s); /* not a decimal */
		return;
	}
	if (!s->any || v.exp < s->exp)
		s->exp = (int16_t)v.exp;
	s->any = true;
	/* coef × 10^off at limb i: its low 18 digits there, the rest above */
	uint32_t k = (uint32_t)(v.exp - SUM_EXP0), i = k / 18, off = k % 18;
	int64_t lo = v.coef, hi = 0;
	if (off) {
		int64_t d = rb_pow10_i64[18 - off];
		if (lo >= d || lo <= -d) {
			hi = lo / d;
			lo -= hi * d;
		}
		lo *= rb_pow10_i64[off];
	}
	/* the two limbs without branches (a carry is as likely as not), then
	 * any carry beyond them, which is rare; i + 1 is below the top limb,
	 * as exp <= RB_DEC_EXP_MAX puts i at 33 at most */
	int64_t x = s->limb[i] + lo;
	int64_t c = (x >= SUM_BASE) - (x < 0);
	s->limb[i] = x - c * SUM_BASE;
	x = s->limb[i + 1] + hi + c;
	c = (x >= SUM_BASE) - (x < 0);
	s->limb[i + 1] = x - c * SUM_BASE;
	if (c)
		sum_carry(s, i + 2, c);
}

static void sum_merge(agg_sum *d, const agg_sum *s)
{
	if (s->over || d->over) {
		if (s->over)
			sum_set_over(d);
		return;
	}
	if (s->any && (!d->any || s->exp < d->exp))
		d->exp = s->exp;
	d->any |= s->any;
	int64_t c = 0;
	for (uint32_t i = 0; i < SUM_TOP; i++) {
		int64_t x = d->limb[i] + s->limb[i] + c;
		c = x >= SUM_BASE;
		d->limb[i] = c ? x - SUM_BASE : x;
	}
	int64_t top = d->limb[SUM_TOP] + s->limb[SUM_TOP] + c;
	if (top >= SUM_BASE || top <= -SUM_BASE)
		sum_set_over(d);
	else
		d->limb[SUM_TOP] = top;
}

/* The sum rounded once to a decimal: exact at its finest exponent when
 * that fits 18 digits, else to 18 significant digits, ties to even. False
 * when it is over, or beyond the decimal's range. */
static bool sum_value(const agg_sum *s, rb_dec *out)
{
	if (s->over)
		return false;
	/* the magnitude, limbs in [0, 10^18) */
	uint64_t m[SUM_LIMBS];
	bool neg = s->limb[SUM_TOP] < 0;
	int64_t borrow = 0;
	for (uint32_t i = 0; i < SUM_LIMBS; i++) {
		int64_t x = neg ? -s->limb[i] - borrow : s->limb[i];
		borrow = 0;
		if (x < 0 && i < SUM_TOP) {
			x += SUM_BASE;
			borrow = 1;
		}
		m[i] = (uint64_t)x;
	}
	int32_t h = SUM_TOP;
	while (h >= 0 && m[h] == 0)
		h--;
	if (h < 0) {
		*out = (rb_dec){0, s->any ? s->exp : 0};
		return true;
	}
	int32_t nd = 1;
	while (nd < 18 && m[h] >= (uint64_t)rb_pow10_i64[nd])
		nd++;
	/* the lowest digit kept: the finest exponent, or the 18th digit */
	int32_t top = 18 * h + SUM_EXP0 + nd - 1, e = top - 17;
	if (s->any && s->exp > e)
		e = s->exp;
	/* the top two limbs, from digit p0, and whether any below is nonzero */
	agg_u128 w = m[h];
	int32_t p0 = 18 * h + SUM_EXP0;
	bool sticky = false;
	if (h > 0) {
		w = w * (agg_u128)SUM_BASE + m[h - 1];
		p0 -= 18;
		for (int32_t i = 0; i < h - 1; i++)
			sticky |= m[i] != 0;
	}
	int32_t sh = e - p0;
	if (sh < 1 || sh > 35)
		return false; /* digits below the finest exponent: not a sum of terms */
	agg_u128 f = 1;
	for (int32_t j = 0; j < sh; j++)
		f *= 10;
	agg_u128 q = w / f, r = w % f, half = f / 2;
	if (r > half || (r == half && (sticky || (q & 1))))
		q++;
	if (q == (agg_u128)SUM_BASE) {
		q /= 10;
		e++;
	}
	if (e > RB_DEC_EXP_MAX)
		return false;
	out->coef = neg ? -(int64_t)q : (int64_t)q;
	out->exp = e;
	return true;
}

/* Whether s, read from saved bytes, is a sum sum_add could have made:
 * limbs in range, and nothing below the finest exponent. */
static bool sum_valid(const agg_sum *s)
{
	bool zero = true;
	for (uint32_t i = 0; i < SUM_LIMBS; i++) {
		if (i < SUM_TOP ? (s->limb[i] < 0 || s->limb[i] >= SUM_BASE)
				: (s->limb[i] <= -SUM_BASE || s->limb[i] >= SUM_BASE))
			return false;
		zero &= s->limb[i] == 0;
	}
	if (s->over || !s->any)
		return zero && s->exp == 0 && !(s->over && s->any);
	if (s->exp < RB_DEC_EXP_MIN || s->exp > RB_DEC_EXP_MAX)
		return false;
	uint32_t k = (uint32_t)(s->exp - SUM_EXP0), i = k / 18;
	for (uint32_t j = 0; j < i; j++)
		if (s->limb[j])
			return false;
	return s->limb[i] % rb_pow10_i64[k % 18] == 0;
}

/* A record whose filter, where or value is missing: it is named, and so
 * are the inputs and parameters it lacks. */
static void note_undecided(rulebook_population *p, const rb_aggregate *ag, agg_state *st,
			   size_t rec)
{
	st->undecided++;
	st->und[st->nund++] = rec; /* room made by rulebook_population_add */
	for (uint32_t d = 0; d < ag->ndeps; d++)
		if (!st->miss[d] && rb_sym_missing(p->res, ag->deps[d]))
			st->miss[d] = 1;
}

static void accumulate(rulebook_population *p, size_t rec)
{
	const rulebook *rb = p->rb;
	for (uint32_t a = 0; a < rb->naggregates; a++) {
		const rb_aggregate *ag = &rb->aggregates[a];
		agg_state *st = &p->aggs[a];
		if (ag->filter >= 0) {
			const rb_val *f = rb_exact_at(p->res, (uint32_t)ag->filter);
			if (f->state != RB_V_OK) {
				note_undecided(p, ag, st, rec);
				continue;
			}
			if (!f->u.b)
				continue;
		}
		bool in_where = true;
		if (ag->where >= 0) {
			const rb_val *w = rb_exact_at(p->res, (uint32_t)ag->where);
			if (w->state != RB_V_OK) {
				note_undecided(p, ag, st, rec);
				continue;
			}
			in_where = w->u.b;
		}
		if (ag->value >= 0) {
			const rb_val *v = rb_exact_at(p->res, (uint32_t)ag->value);
			if (v->state != RB_V_OK) {
				note_undecided(p, ag, st, rec);
				continue;
			}
			sum_add(&st->sum, v->u.d);
			if (in_where && ag->where >= 0)
				sum_add(&st->sum_where, v->u.d);
			if (!st->counted || rb_dec_cmp(v->u.d, st->min) < 0)
				st->min = v->u.d;
			if (!st->counted || rb_dec_cmp(v->u.d, st->max) > 0)
				st->max = v->u.d;
		}
		if (in_where)
			st->count_where++;
		st->counted++;
		if (rb_grow((void **)&st->records, &st->caprec, st->nrec + 1, sizeof(size_t)) == 0)
			st->records[st->nrec++] = rec;
		else
			st->error = 1;
	}
}

/* Record i's vetoes, and the consequences of every class it may still get:
 * the one it got, or, when ranking or a population average decides it
 * later, every class's. */
static void keep_vetoes_and_consequences(rulebook_population *p, size_t i)
{
	const rulebook *rb = p->rb;
	size_t ns = rb->nscorecards;
	for (uint32_t k = 0; k < ns; k++) {
		const rb_scorecard *sc = &rb->scorecards[k];
		int16_t cls = p->res->sc_class[k];
		bool open = cls == RB_CLASS_BY_RANK || cls == RB_CLASS_NEEDS_AVERAGE;
		p->vetoes[i * ns + k] = p->res->sc_veto[k];
		for (uint32_t j = 0; j < sc->nconsequences; j++) {
			const rb_consequence *q = &sc->consequences[j];
			size_t g = p->cq_first[k] + j;
			uint8_t st = 0;
			if (p->cq_per_record)
				p->cq_val[i * p->nq + g] = RB_DEC_ZERO;
			if (open || (cls >= 0 && (uint32_t)cls == q->cls)) {
				/* only what the consequence reads, not the whole exact program */
				const rb_val *w = q->when >= 0 ? rb_exact_at(p->res, (uint32_t)q->when) : NULL;
				if (!w || (w->state == RB_V_OK && w->u.b))
					st |= CQ_WHEN;
				const rb_val *v = rb_exact_at(p->res, q->value);
				if (v->state == RB_V_OK && q->per_record && (st & CQ_WHEN)) {
					p->cq_val[i * p->nq + g] = v->u.d;
					st |= CQ_VALUE;
				} else if (v->state == RB_V_OK && !q->per_record && !p->cq_const_ok[g]) {
					p->cq_const[g] = v->u.d;
					p->cq_const_ok[g] = 1;
				}
			}
			p->cq[i * p->nq + g] = st;
		}
	}
}

/* Whether a record's inputs can be kept as they are in the facts: no text
 * and no list (whose values point into the facts). */
static bool inputs_keepable(const rulebook *rb, const rulebook_facts *facts)
{
	for (uint32_t k = 0; (rb->text_inputs || rb->list_inputs) && k < rb->ninputs; k++)
		if ((rb->inputs[k].type == RB_T_TEXT || rb->inputs[k].type == RB_T_LIST) &&
		    facts->vals[k].state == RB_V_OK)
			return false;
	return true;
}

/* The binary score of scorecard sc when the last evaluation into res was
 * decided in binary and the score slot holds its exact state; else NULL. */
static const rb_val *fast_score(const rulebook_result *res, const rb_scorecard *sc)
{
	if (!res->decided_fast || res->exact || !res->rb->fast_valid ||
	    !res->rb->fast_valid[sc->score])
		return NULL;
	return &res->fslots[sc->score];
}

/* Input k set from the double a column gave it (keep_doubles): a number,
 * a boolean as 0 or 1, a date as YYYYMMDD (arrow_in.c's fill_arrow). */
/* Whether d is a value the columnar run gives an input of type t (not
 * NaN): for a number input a double the facts take (a whole one for an
 * integer input), for a boolean 0 or 1, for a date a valid YYYYMMDD. */
static bool kept_double_ok(rb_type t, double d)
{
	double x, e;
	switch (t) {
	case RB_T_NUMBER:
	case RB_T_INTEGER: return rb_colrun_input(d, t == RB_T_INTEGER, &x, &e);
	case RB_T_BOOL: return d == 0 || d == 1;
	case RB_T_DATE:
		return d >= 1 && d <= 99991231 && d == (double)(int32_t)d && rb_date_valid((int32_t)d);
	default: return false;
	}
}

static rulebook_status set_kept_double(rulebook_facts *f, uint32_t k, double d)
{
	rb_type t = f->rb->inputs[k].type;
	if (!kept_double_ok(t, d))
		return RULEBOOK_ERR_VALUE;
	if (t == RB_T_BOOL)
		return rb_facts_set_bool_at(f, k, d == 1, NULL);
	if (t == RB_T_DATE)
		return rb_facts_set_date_at(f, k, (int32_t)d, NULL);
	return rulebook_facts_set_double_at(f, k, d, NULL);
}

/* Evaluate record i again, exactly, from its kept inputs, into res:
 * RULEBOOK_ERR_VALUE for kept inputs the facts refuse (which neither a
 * batch nor rulebook_population_load lets in: see take_kept). */
static rulebook_status eval_kept(const rulebook_population *p, size_t i, rulebook_facts *f,
				 rulebook_result *res)
{
	const rulebook *rb = p->rb;
	rulebook_facts_clear(f);
	if (p->kept_dbl[i]) {
		/* the decimals the facts made of the same doubles when the
		 * record was added alone */
		const double *d = p->dsnap + i * rb->ninputs;
		for (uint32_t k = 0; k < rb->ninputs; k++)
			if (!isnan(d[k]) && set_kept_double(f, k, d[k]) != RULEBOOK_OK)
				return RULEBOOK_ERR_VALUE;
	} else if (rb->ninputs) {
		memcpy(f->vals, p->snap + i * rb->ninputs, rb->ninputs * sizeof(rb_val));
		/* and their binary forms, as the setters make them */
		for (uint32_t k = 0; k < rb->ninputs; k++) {
			rb_type t = rb->inputs[k].type;
			f->fvals[k] = f->vals[k];
			if ((t == RB_T_NUMBER || t == RB_T_INTEGER) && f->vals[k].state == RB_V_OK)
				rb_fast_from_dec(f->vals[k].u.d, &f->fvals[k]);
		}
	}
	rulebook_status st = rulebook_eval(rb, f, p->as_of, res, NULL);
	return st == RULEBOOK_OK || st == RULEBOOK_ERR_NOMEM ? st : RULEBOOK_ERR_VALUE;
}

/* A facts object and a result for eval_kept, whose exact scores are read
 * (rb_exact_score): the record is decided in binary where it can be, and
 * each exact score computed on its own, from its cone alone, rather than
 * the whole record in exact decimals; the same decimals either way. */
static int open_exact(const rulebook *rb, rulebook_facts **f, rulebook_result **res)
{
	if (!*f)
		*f = rulebook_facts_new(rb);
	if (!*res)
		*res = rulebook_result_new(rb);
	return *f && *res ? 0 : -1;
}

/* Whether record i owes an exact score (SC_DEFER in any scorecard). */
static bool owes_exact(const rulebook_population *p, size_t i)
{
	size_t ns = p->rb->nscorecards;
	for (size_t k = 0; k < ns; k++)
		if (p->sflag[i * ns + k] & SC_DEFER)
			return true;
	return false;
}

/* The exact scores of record i that are still to be computed: RULEBOOK_OK,
 * RULEBOOK_ERR_NOMEM or eval_kept's RULEBOOK_ERR_VALUE. */
static rulebook_status exact_scores(rulebook_population *p, size_t i)
{
	if (!owes_exact(p, i))
		return RULEBOOK_OK;
	size_t ns = p->rb->nscorecards;
	if (open_exact(p->rb, &p->xfacts, &p->xres) < 0)
		return RULEBOOK_ERR_NOMEM;
	rulebook_status st = eval_kept(p, i, p->xfacts, p->xres);
	if (st != RULEBOOK_OK)
		return st;
	for (uint32_t k = 0; k < ns; k++) {
		size_t at = i * ns + k;
		if (!(p->sflag[at] & SC_DEFER))
			continue;
		const rb_val *v = rb_exact_score(p->xres, k);
		p->score_ok[at] = v->state == RB_V_OK;
		p->scores[at] = v->state == RB_V_OK ? v->u.d : RB_DEC_ZERO;
		p->sflag[at] &= (uint8_t)~SC_DEFER;
	}
	return RULEBOOK_OK;
}

/* The error of a failed exact_scores or rank in err. */
static rulebook_status kept_error(rulebook_error *err, rulebook_status st)
{
	return st == RULEBOOK_ERR_NOMEM
		       ? rb_error_add(err, st, (rb_pos){0}, NULL, "out of memory")
		       : rb_error_add(err, st, (rb_pos){0}, NULL,
				      "a record's kept inputs do not give its exact score");
}

/* A row of a block of the columnar run: ncols values (NaN: missing) in
 * cols[c][j], setting inputs[c]. */
typedef struct block_row {
	const double *const *cols;
	const size_t *inputs;
	size_t ncols, j;
} block_row;

/* Record i's inputs kept as the doubles of a row of a block (dsnap); NaN
 * for each input no column sets. */
static void keep_doubles(rulebook_population *p, size_t i, const block_row *b)
{
	double *d = p->dsnap + i * p->rb->ninputs;
	for (uint32_t k = 0; k < p->rb->ninputs; k++)
		d[k] = NAN;
	for (size_t c = 0; c < b->ncols; c++)
		d[b->inputs[c]] = b->cols[c][b->j];
}

static rulebook_status keep_record(rulebook_population *p, const rulebook_facts *facts,
				   const block_row *b, rulebook_error *err);

/* Whether record i has a score in scorecard k (as rulebook_population_score). */
static bool has_score(const rulebook_population *p, size_t i, size_t k)
{
	size_t at = i * p->rb->nscorecards + k;
	return p->score_ok[at] && p->classes[at] != RB_CLASS_NOT_RATED &&
	       p->classes[at] != RB_CLASS_NOT_IN_FORCE;
}

RULEBOOK_API rulebook_status rulebook_population_add(rulebook_population *p,
						     const rulebook_facts *facts,
						     rulebook_error *err)
{
	rulebook_error_clear(err);
	if (!p || !facts)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "a population and facts are required");
	const rulebook *rb = p->rb;
	if (reserve(p, p->n + 1) < 0)
		return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	/* Room for the record in every aggregate first: accumulate() cannot
	 * report a failure, and a record must count fully or not at all. */
	for (uint32_t a = 0; a < rb->naggregates; a++)
		if (rb_grow((void **)&p->aggs[a].records, &p->aggs[a].caprec, p->aggs[a].nrec + 1,
			    sizeof(size_t)) < 0 ||
		    rb_grow((void **)&p->aggs[a].und, &p->aggs[a].capund, p->aggs[a].nund + 1,
			    sizeof(size_t)) < 0)
			return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	rulebook_status st = rulebook_eval(rb, facts, p->as_of, p->res, err);
	if (st != RULEBOOK_OK)
		return st;
	return keep_record(p, facts, NULL, err);
}

/* Record p->n from the evaluation in p->res (room made). When its scores
 * wait, its inputs are kept: the values of facts, or the doubles of a
 * block's row (made decimals, as the facts would have, only when an exact
 * score is needed: eval_kept). */
static rulebook_status keep_record(rulebook_population *p, const rulebook_facts *facts,
				   const block_row *b, rulebook_error *err)
{
	const rulebook *rb = p->rb;
	size_t i = p->n;
	p->ids[i] = NULL;
	if (p->res->has_id) {
		p->ids[i] = rb_strndup(p->res->record_id, strlen(p->res->record_id));
		if (!p->ids[i])
			return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	}
	if (rb->nrules)
		memcpy(p->verdicts + i * rb->nrules, p->res->verdicts, rb->nrules);
	size_t cut = 0, fig = i * p->comp_stride;
	bool keepable = p->can_defer && (!facts || inputs_keepable(rb, facts)), kept = false;
	for (uint32_t k = 0; k < rb->nscorecards; k++) {
		const rb_scorecard *sc = &rb->scorecards[k];
		size_t at = i * rb->nscorecards + k;
		/* a score that waits for a population average is computed later */
		const rb_val *fs = sc->has_average ? NULL : fast_score(p->res, sc);
		p->sflag[at] = 0;
		if (fs && fs->state == RB_V_OK && isfinite(fs->u.f.x) && isfinite(fs->u.f.e)) {
			p->sflag[at] = SC_BIN;
			p->sx[at] = fs->u.f.x;
			p->se[at] = fs->u.f.e;
		} else {
			/* saved as they are: no leftover bytes in the saved form */
			p->sx[at] = 0;
			p->se[at] = 0;
		}
		if (fs && (fs->state != RB_V_OK || (keepable && p->sflag[at]))) {
			/* no score (the binary run's state is the exact one), or one
			 * computed exactly from the kept inputs when needed */
			p->score_ok[at] = fs->state == RB_V_OK;
			p->scores[at] = RB_DEC_ZERO;
			if (fs->state == RB_V_OK) {
				p->sflag[at] |= SC_DEFER;
				kept = true;
			}
		} else {
			const rb_val *v = rb_exact_score(p->res, k);
			p->score_ok[at] = v->state == RB_V_OK;
			p->scores[at] = v->state == RB_V_OK ? v->u.d : RB_DEC_ZERO;
		}
		p->classes[at] = p->res->sc_class[k];
		if (!sc->has_average) {
			cut += sc->nclasses;
			continue;
		}
		/* the cut-offs serve classes decided with a population average;
		 * they depend on the date alone (see fold_summary) */
		for (uint32_t c = 0; c < sc->nclasses; c++, cut++) {
			const rb_val *m = rb_exact_at(p->res, sc->classes[c].min);
			if (sc->classes[c].has_min && m->state == RB_V_OK) {
				p->cutoffs[cut] = m->u.d;
				p->cutoff_ok[cut] = 1;
			}
		}
		for (uint32_t c = 0; c < sc->ncomponents; c++) {
			const rb_component *cp = &sc->components[c];
			uint32_t slots[3] = {cp->ratio, cp->points, cp->weight};
			for (int f = 0; f < 3; f++, fig++) {
				const rb_val *x = rb_exact_at(p->res, slots[f]);
				p->comp_ok[fig] = x->state == RB_V_OK;
				p->comp[fig] = x->state == RB_V_OK ? x->u.d : RB_DEC_ZERO;
			}
		}
	}
	if (p->kept_dbl)
		p->kept_dbl[i] = !facts; /* which form copy_binary_scores copies */
	if (kept && facts)
		memcpy(p->snap + i * rb->ninputs, facts->vals, rb->ninputs * sizeof(rb_val));
	else if (kept)
		keep_doubles(p, i, b);
	keep_vetoes_and_consequences(p, i);
	for (int v = 0; v < 8; v++)
		p->counts[v] += p->res->counts[v];
	accumulate(p, i);
	p->n++;
	rb_free(p->ranked);
	p->ranked = NULL;
	return RULEBOOK_OK;
}

/* One facts object reused for every row of a batch. */
/* Room for rows more records, and the facts a batch sets them through;
 * NULL (an error in err) when memory runs out. */
static rulebook_facts *batch_facts(rulebook_population *p, size_t rows, rulebook_error *err)
{
	rulebook_facts *f = reserve(p, p->n + rows) < 0 ? NULL : rulebook_facts_new(p->rb);
	if (!f)
		rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	return f;
}

static rulebook_status check_columns(const rulebook_population *p, const size_t *inputs,
				     size_t ncols, rulebook_error *err)
{
	for (size_t c = 0; c < ncols; c++)
		if (inputs[c] >= p->rb->ninputs)
			return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
					    "column %zu names input index %zu, out of range (%u inputs)", c,
					    inputs[c], p->rb->ninputs);
	return RULEBOOK_OK;
}

RULEBOOK_API rulebook_status rulebook_population_set_threads(rulebook_population *p,
							    size_t threads)
{
	if (!p)
		return RULEBOOK_ERR_INVALID;
	if (threads == 0) {
		long online = sysconf(_SC_NPROCESSORS_ONLN);
		threads = online > 0 ? (size_t)online : 1;
	}
	p->threads = threads > RB_MAX_THREADS ? RB_MAX_THREADS : threads;
	return RULEBOOK_OK;
}

/* ---- batches on threads ---- */

typedef struct slice {
	rulebook_population *pop;
	rb_rows_fn fn;
	const void *ctx;
	size_t from, to, nbad;
	size_t *bad;
	rulebook_error *err;
	rulebook_status st;
	pthread_t tid;
	bool started;
} slice;

static void *run_slice(void *arg)
{
	slice *s = arg;
	s->st = s->fn(s->pop, s->ctx, s->from, s->to, s->bad, &s->nbad, s->err);
	return NULL;
}

static size_t cutoff_count(const rulebook *rb);

/* What slice_writer (below) made (not the records it wrote, which are p's). */
static void slice_writer_free(rulebook_population *w)
{
	if (!w)
		return;
	rulebook_result_free(w->res);
	rulebook_result_free(w->xres);
	rulebook_facts_free(w->xfacts);
	rb_free(w->ranked);
	rb_free(w->cutoffs);
	rb_free(w->cutoff_ok);
	rb_free(w->cq_const);
	rb_free(w->cq_const_ok);
	rb_arena_release(&w->strings);
	rb_buf_release(&w->out);
	rb_free(w);
}

/* A writer for the rows of slice j > 0 of a batch: a population that
 * shares p's per-record arrays (room made for every row of the batch) and
 * writes its records from record `base` on, with a result, counts,
 * cut-offs and date-only consequence values of its own (folded into p in
 * order afterwards). Only for rulebooks without aggregates, whose state is
 * not per record. */
static rulebook_population *slice_writer(const rulebook_population *p, size_t base)
{
	rulebook_population *w = rb_malloc(sizeof(*w));
	if (!w)
		return NULL;
	*w = *p;
	w->n = base;
	w->ranked = NULL;
	w->xfacts = NULL;
	w->xres = NULL;
	memset(w->counts, 0, sizeof(w->counts));
	rb_arena_init(&w->strings);
	rb_buf_init(&w->out);
	size_t ncut = cutoff_count(p->rb);
	w->res = rulebook_result_new(p->rb);
	w->cutoffs = rb_calloc(ncut ? ncut : 1, sizeof(rb_dec));
	w->cutoff_ok = rb_calloc(ncut ? ncut : 1, 1);
	w->cq_const = rb_calloc(p->nq ? p->nq : 1, sizeof(rb_dec));
	w->cq_const_ok = rb_calloc(p->nq ? p->nq : 1, 1);
	if (!w->res || !w->cutoffs || !w->cutoff_ok || !w->cq_const || !w->cq_const_ok) {
		slice_writer_free(w);
		return NULL;
	}
	return w;
}

/* Records [from, from + m) of p to [to, to + m): a slice that skipped bad
 * rows leaves a gap before the next slice's records. */
static void move_records(rulebook_population *p, size_t to, size_t from, size_t m)
{
	const rulebook *rb = p->rb;
	size_t nr = rb->nrules, ns = rb->nscorecards, ni = rb->ninputs, nq = p->nq;
	if (!m || to == from)
		return;
#define MOVE(arr, per) memmove((arr) + to * (per), (arr) + from * (per), m * (per) * sizeof(*(arr)))
	MOVE(p->ids, 1);
	MOVE(p->verdicts, nr);
	MOVE(p->scores, ns);
	MOVE(p->score_ok, ns);
	MOVE(p->classes, ns);
	MOVE(p->vetoes, ns);
	MOVE(p->sflag, ns);
	MOVE(p->sx, ns);
	MOVE(p->se, ns);
	MOVE(p->cq, nq);
	if (p->cq_per_record)
		MOVE(p->cq_val, nq);
	if (p->comp_stride) {
		MOVE(p->comp, p->comp_stride);
		MOVE(p->comp_ok, p->comp_stride);
	}
	if (p->snap) {
		MOVE(p->snap, ni);
		MOVE(p->dsnap, ni);
		MOVE(p->kept_dbl, 1);
	}
#undef MOVE
}

/* What src's records, which come after p's, leave besides themselves,
 * into p (merges, copies and the slices of a batch): the verdict counts;
 * each class cut-off, the last record's that has one, as keep_record
 * leaves it when the records are added one by one (such a cut-off is a
 * number or a parameter: the compiler refuses one that depends on the
 * record in a scorecard with a `missing: average` component); and each
 * consequence value that depends on the date alone, taken from src when
 * p has none. */
static void fold_summary(rulebook_population *p, const rulebook_population *src)
{
	size_t ncut = cutoff_count(p->rb);
	for (size_t c = 0; c < ncut; c++)
		if (src->cutoff_ok[c]) {
			p->cutoffs[c] = src->cutoffs[c];
			p->cutoff_ok[c] = 1;
		}
	for (size_t g = 0; g < p->nq; g++)
		if (!p->cq_const_ok[g] && src->cq_const_ok[g]) {
			p->cq_const[g] = src->cq_const[g];
			p->cq_const_ok[g] = 1;
		}
	for (int v = 0; v < 8; v++)
		p->counts[v] += src->counts[v];
}

rulebook_status rb_population_add_rows(rulebook_population *p, size_t n, rb_rows_fn fn,
				       const void *ctx, size_t *bad, size_t *nbad,
				       rulebook_error *err)
{
	*nbad = 0;
	size_t k = p->threads < n / RB_ROWS_PER_THREAD ? p->threads : n / RB_ROWS_PER_THREAD;
	if (k <= 1)
		return fn(p, ctx, 0, n, bad, nbad, err);
	/* Without aggregates, each thread writes its slice's records straight
	 * into p's arrays, made room for here: no copies to merge. */
	bool direct = p->rb->naggregates == 0;
	if (direct && reserve(p, p->n + n) < 0)
		return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	if (direct) {
		rb_free(p->ranked);
		p->ranked = NULL;
	}
	slice *sl = rb_calloc(k, sizeof(slice));
	if (!sl)
		return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	rulebook_status st = RULEBOOK_OK;
	size_t base = p->n;
	for (size_t j = 0; j < k; j++) {
		sl[j] = (slice){.fn = fn, .ctx = ctx, .from = n * j / k, .to = n * (j + 1) / k};
		sl[j].bad = bad ? bad + sl[j].from : NULL;
		sl[j].pop = j == 0   ? p
			    : direct ? slice_writer(p, base + sl[j].from)
				     : rulebook_population_new(p->rb, p->as_of);
		sl[j].err = rulebook_error_new();
		if (!sl[j].pop || !sl[j].err)
			st = RULEBOOK_ERR_NOMEM;
	}
	if (st == RULEBOOK_OK) {
		for (size_t j = 1; j < k; j++)
			sl[j].started = pthread_create(&sl[j].tid, NULL, run_slice, &sl[j]) == 0;
		run_slice(&sl[0]);
		for (size_t j = 1; j < k; j++) {
			if (sl[j].started)
				pthread_join(sl[j].tid, NULL);
			else
				run_slice(&sl[j]); /* no thread to be had: in this one */
		}
		/* in order, as one loop over all rows would have left them */
		size_t j = 0;
		for (; j < k; j++) {
			if (j && direct) {
				size_t at = base + sl[j].from, m = sl[j].pop->n - at;
				move_records(p, p->n, at, m);
				p->n += m;
				fold_summary(p, sl[j].pop);
			} else if (j && rulebook_population_merge(p, sl[j].pop, NULL) != RULEBOOK_OK) {
				st = rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL,
						  "out of memory");
				break;
			}
			if (bad && sl[j].nbad)
				memmove(bad + *nbad, sl[j].bad, sl[j].nbad * sizeof(size_t));
			/* only the first bad row of the batch has its diagnostic */
			rb_error_append_from(err, sl[j].err, *nbad && sl[j].nbad ? 1 : 0);
			*nbad += sl[j].nbad;
			if ((st = sl[j].st) != RULEBOOK_OK)
				break;
		}
		/* the records of slices after a failure are not the population's */
		for (j++; direct && j < k; j++)
			for (size_t i = base + sl[j].from; i < sl[j].pop->n; i++)
				rb_free(p->ids[i]);
	} else {
		rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	}
	for (size_t j = 1; j < k; j++) {
		if (direct)
			slice_writer_free(sl[j].pop);
		else
			rulebook_population_free(sl[j].pop);
	}
	for (size_t j = 0; j < k; j++)
		rulebook_error_free(sl[j].err);
	rb_free(sl);
	return st;
}

typedef struct table_rows {
	const size_t *inputs;
	size_t ncols;
	const char *const *cells;
	const char *const *ids;
} table_rows;

/* The diagnostic of bad row r of a table: "row 3, column 'tax': ..." for
 * its cell in column c, or for its id (c == ncols) the column '_id';
 * RULEBOOK_OK unless memory runs out. */
static rulebook_status table_bad_row(const rulebook_population *p, const table_rows *t, size_t r,
				     size_t c, rulebook_error *err)
{
	if (c == t->ncols) {
		rb_error_add(err, RULEBOOK_ERR_VALUE, (rb_pos){0}, "_id",
			     "row %zu, column '_id': the record id is not UTF-8 text", r);
		return RULEBOOK_OK;
	}
	const char *col = rulebook_input_name(p->rb, t->inputs[c]);
	const char *cell = t->cells[r * t->ncols + c];
	rulebook_error *why = rulebook_error_new();
	rulebook_facts *g = why ? rulebook_facts_new(p->rb) : NULL;
	if (!g) {
		rulebook_error_free(why);
		return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	}
	/* again, for the setter's message */
	rulebook_status st = rulebook_facts_set_text_at(g, t->inputs[c], cell, strlen(cell), why);
	if (st == RULEBOOK_ERR_NOMEM) {
		rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	} else {
		const char *msg = rulebook_error_count(why) ? rulebook_error_message(why, 0)
							     : "the value is refused";
		rb_error_add(err, st ? st : RULEBOOK_ERR_VALUE, (rb_pos){0}, col,
			     "row %zu, column '%s': %s", r, col, msg);
		st = RULEBOOK_OK;
	}
	rulebook_facts_free(g);
	rulebook_error_free(why);
	return st;
}

static rulebook_status add_table_rows(rulebook_population *p, const void *ctx, size_t from,
				      size_t to, size_t *bad_rows, size_t *nbad,
				      rulebook_error *err)
{
	const table_rows *t = ctx;
	rulebook_facts *f = batch_facts(p, to - from, err);
	if (!f)
		return RULEBOOK_ERR_NOMEM;
	rulebook_error *why = err ? rulebook_error_new() : NULL;
	if (err && !why) {
		rulebook_facts_free(f);
		return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	}
	rulebook_status st = RULEBOOK_OK;
	for (size_t r = from; r < to && st == RULEBOOK_OK; r++) {
		rulebook_facts_clear(f);
		size_t c = 0;
		for (; c < t->ncols; c++) {
			const char *cell = t->cells[r * t->ncols + c];
			if (cell && rulebook_facts_set_text_at(f, t->inputs[c], cell, strlen(cell), NULL) !=
					    RULEBOOK_OK)
				break;
		}
		const char *id = t->ids ? t->ids[r] : NULL;
		rulebook_status ist = c < t->ncols ? RULEBOOK_OK
						   : rulebook_facts_set_id(f, id, id ? strlen(id) : 0);
		if (ist == RULEBOOK_ERR_NOMEM) {
			st = rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
		} else if (c < t->ncols || ist != RULEBOOK_OK) {
			/* a bad cell or an id that is not UTF-8: a bad row, the
			 * first of the batch with its diagnostic */
			if (bad_rows)
				bad_rows[*nbad] = r;
			if (err && *nbad == 0)
				st = table_bad_row(p, t, r, c, err);
			(*nbad)++;
		} else {
			/* into one of its own: adding clears the error it is given,
			 * and err may hold a bad row's diagnostic */
			st = rulebook_population_add(p, f, why);
			if (st != RULEBOOK_OK)
				rb_error_append(err, why);
		}
	}
	rulebook_error_free(why);
	rulebook_facts_free(f);
	return st;
}

RULEBOOK_API rulebook_status rulebook_population_add_table(rulebook_population *p, size_t n,
							   const size_t *inputs, size_t ncols,
							   const char *const *cells,
							   const char *const *ids, size_t *bad_rows,
							   size_t *bad_count, rulebook_error *err)
{
	rulebook_error_clear(err);
	if (bad_count)
		*bad_count = 0;
	if (!p || (n && ncols && (!inputs || !cells)))
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "a population, input indices and cells are required");
	rulebook_status st = check_columns(p, inputs, ncols, err);
	if (st)
		return st;
	table_rows t = {inputs, ncols, cells, ids};
	size_t bad = 0;
	st = rb_population_add_rows(p, n, add_table_rows, &t, bad_rows, &bad, err);
	if (bad_count)
		*bad_count = bad;
	return st;
}

/* A row of the block the columnar run decided, into p. */
static rulebook_status add_decided_row(rulebook_population *p, const rb_colrun *cr,
				       const block_row *b, const rb_colsrc *src, size_t row,
				       rulebook_error *err)
{
	rulebook_result *res = p->res;
	rb_colrun_row(cr, b->j, res->fslots);
	/* as rulebook_eval leaves a record the binary run decided; nothing
	 * reads this record's exact values (rb_colrun_new) */
	res->decided_fast = true;
	res->fell_back = false;
	res->exact = false;
	res->has_id = false;
	char buf[32];
	size_t len;
	const char *id = src->id ? src->id(src->ctx, row, buf, &len) : NULL;
	if (id) {
		if (rb_store_text(&res->record_id, &res->record_id_cap, id, len) < 0)
			return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL,
					    "out of memory");
		res->has_id = true;
	}
	rb_eval_decide(p->rb, res, res->fslots, p->as_of);
	return keep_record(p, NULL, b, err);
}

/* Row b of a block that src->alone added by itself as record i (when it
 * added one): when it owes an exact score, it keeps its doubles, as a row
 * the columnar run decides does, not the facts' values. So the bytes
 * rulebook_population_save_deferred writes do not depend on which rows
 * went alone before the columnar run started: the first of each slice of
 * threads and of each call. */
static void keep_alone_doubles(rulebook_population *p, size_t i, const block_row *b)
{
	if (p->n != i + 1 || !p->kept_dbl || p->kept_dbl[i] || !owes_exact(p, i))
		return;
	keep_doubles(p, i, b);
	p->kept_dbl[i] = 1;
}

rulebook_status rb_population_add_columnar(rulebook_population *p, const rb_colsrc *src,
					   size_t from, size_t to, size_t *bad, size_t *nbad,
					   rulebook_error *err)
{
	if (reserve(p, p->n + (to - from)) < 0)
		return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	double *buf = rb_malloc((src->ncols ? src->ncols : 1) * RB_COL_BLOCK * sizeof(double));
	double **cols = rb_malloc((src->ncols ? src->ncols : 1) * sizeof(double *));
	uint8_t alone[RB_COL_BLOCK];
	if (!buf || !cols) {
		rb_free(buf);
		rb_free(cols);
		return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	}
	for (size_t c = 0; c < src->ncols; c++)
		cols[c] = buf + c * RB_COL_BLOCK;
	rulebook_status st = RULEBOOK_OK;
	rb_colrun *cr = NULL;
	bool tried = false;
	size_t r = from;
	while (r < to && st == RULEBOOK_OK) {
		/* the columnar run reads the per-date values a first record leaves */
		if (!tried && p->res->params_as_of == p->as_of) {
			tried = true;
			cr = rb_colrun_new(p->rb, p->res, p->as_of, src->inputs, src->ncols);
		}
		if (!cr) {
			/* the row's doubles too, for keep_alone_doubles */
			src->fill(src->ctx, r, 1, cols, alone);
			block_row b = {(const double *const *)cols, src->inputs, src->ncols, 0};
			size_t i = p->n;
			st = src->alone(p, src->state, r++, bad, nbad, err);
			if (st == RULEBOOK_OK && !alone[0])
				keep_alone_doubles(p, i, &b);
			continue;
		}
		size_t m = to - r < RB_COL_BLOCK ? to - r : RB_COL_BLOCK;
		src->fill(src->ctx, r, m, cols, alone);
		rb_colrun_block(cr, (const double *const *)cols, m, alone);
		block_row b = {(const double *const *)cols, src->inputs, src->ncols, 0};
		for (size_t j = 0; j < m && st == RULEBOOK_OK; j++) {
			b.j = j;
			if (rb_colrun_decided(cr, j)) {
				st = add_decided_row(p, cr, &b, src, r + j, err);
			} else {
				size_t i = p->n;
				st = src->alone(p, src->state, r + j, bad, nbad, err);
				if (st == RULEBOOK_OK && !alone[j])
					keep_alone_doubles(p, i, &b);
			}
		}
		r += m;
	}
	rb_colrun_free(cr);
	rb_free(cols);
	rb_free(buf);
	return st;
}

/* Numeric columns of a batch (rulebook_population_add_columns). */
typedef struct column_rows {
	size_t n;                /* rows of the columns */
	const size_t *inputs;
	size_t ncols;
	const double *values;
	const uint8_t *valid;
} column_rows;

/* Rows [from, from + n) of the columns into a block: NaN for a missing value. */
static void fill_column_rows(const void *ctx, size_t from, size_t n, double *const *cols,
			     uint8_t *alone)
{
	const column_rows *t = ctx;
	memset(alone, 0, n);
	for (size_t c = 0; c < t->ncols; c++) {
		const double *v = t->values + c * t->n + from;
		const uint8_t *ok = t->valid ? t->valid + c * t->n + from : NULL;
		for (size_t r = 0; r < n; r++)
			cols[c][r] = ok && !ok[r] ? NAN : v[r];
	}
}

/* Row r of the columns into p alone: set through the facts and evaluated. */
static rulebook_status add_column_row(rulebook_population *p, void *state, size_t r,
				      size_t *bad, size_t *nbad, rulebook_error *err)
{
	(void)bad;
	(void)nbad;
	const column_rows *t = ((void **)state)[0];
	rulebook_facts *f = ((void **)state)[1];
	/* every row sets every column, value or missing: no clearing between rows */
	rulebook_status st = RULEBOOK_OK;
	for (size_t c = 0; c < t->ncols && st == RULEBOOK_OK; c++) {
		size_t at = c * t->n + r;
		/* NaN is how data frames write a missing number */
		if ((t->valid && !t->valid[at]) || isnan(t->values[at]))
			st = rulebook_facts_set_missing_at(f, t->inputs[c]);
		else
			st = rulebook_facts_set_double_at(f, t->inputs[c], t->values[at], err);
	}
	return st == RULEBOOK_OK ? rulebook_population_add(p, f, err) : st;
}

static rulebook_status add_column_rows(rulebook_population *p, const void *ctx, size_t from,
				       size_t to, size_t *bad, size_t *nbad, rulebook_error *err)
{
	const column_rows *t = ctx;
	rulebook_facts *f = batch_facts(p, to - from, err);
	if (!f)
		return RULEBOOK_ERR_NOMEM;
	void *state[2] = {(void *)t, f};
	rb_colsrc src = {t->inputs, t->ncols, fill_column_rows, t, add_column_row, state, NULL};
	rulebook_status st = rb_population_add_columnar(p, &src, from, to, bad, nbad, err);
	rulebook_facts_free(f);
	return st;
}

RULEBOOK_API rulebook_status rulebook_population_add_columns(rulebook_population *p, size_t n,
							     const size_t *inputs, size_t ncols,
							     const double *values,
							     const uint8_t *valid,
							     rulebook_error *err)
{
	rulebook_error_clear(err);
	if (!p || (n && ncols && (!inputs || !values)))
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "a population, input indices and values are required");
	rulebook_status st = check_columns(p, inputs, ncols, err);
	if (st)
		return st;
	for (size_t c = 0; c < ncols; c++) {
		rb_type t = p->rb->inputs[inputs[c]].type;
		if (t != RB_T_NUMBER && t != RB_T_INTEGER)
			return rb_error_add(err, RULEBOOK_ERR_VALUE, (rb_pos){0},
					    p->rb->inputs[inputs[c]].sym->name,
					    "input '%s' is not a number and cannot come from a numeric column",
					    p->rb->inputs[inputs[c]].sym->name);
	}
	column_rows t = {n, inputs, ncols, values, valid};
	size_t bad = 0;
	return rb_population_add_rows(p, n, add_column_rows, &t, NULL, &bad, err);
}

RULEBOOK_API rulebook_status rulebook_eval_population(const rulebook *rb,
						      const rulebook_facts *const *records,
						      size_t n, int32_t as_of,
						      rulebook_population **out,
						      rulebook_error *err)
{
	rulebook_error_clear(err);
	if (!rb || !out || (n && !records))
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "a rulebook, records and an output pointer are required");
	*out = NULL;
	rulebook_population *p = rulebook_population_new(rb, as_of);
	if (!p)
		return rb_error_add(err, rb_date_valid(as_of) ? RULEBOOK_ERR_NOMEM : RULEBOOK_ERR_INVALID,
				    (rb_pos){0}, NULL, "%s",
				    rb_date_valid(as_of) ? "out of memory" : "invalid as-of date");
	if (reserve(p, n) < 0) {
		rulebook_population_free(p);
		return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		rulebook_status st = rulebook_population_add(p, records[i], err);
		if (st != RULEBOOK_OK) {
			rulebook_population_free(p);
			return st;
		}
	}
	*out = p;
	return RULEBOOK_OK;
}

/* The vetoes and consequences of src's records into p from record base on
 * (room made); the values that depend on the date alone go with
 * fold_summary. */
static void copy_vetoes_and_consequences(rulebook_population *p, size_t base,
					 const rulebook_population *src)
{
	size_t m = src->n, ns = p->rb->nscorecards, nq = p->nq;
	if (m) {
		memcpy(p->vetoes + base * ns, src->vetoes, m * ns * sizeof(int16_t));
		if (nq)
			memcpy(p->cq + base * nq, src->cq, m * nq);
		if (p->cq_per_record)
			memcpy(p->cq_val + base * nq, src->cq_val, m * nq * sizeof(rb_dec));
	}
}

/* The binary scores and kept inputs of src's records into p from record
 * base on (room made; the same rulebook, so the same sizes). */
static void copy_binary_scores(rulebook_population *p, size_t base, const rulebook_population *src)
{
	size_t m = src->n, ns = p->rb->nscorecards, ni = p->rb->ninputs;
	if (!m || !ns)
		return;
	memcpy(p->sflag + base * ns, src->sflag, m * ns);
	memcpy(p->sx + base * ns, src->sx, m * ns * sizeof(double));
	memcpy(p->se + base * ns, src->se, m * ns * sizeof(double));
	if (!p->snap || !src->snap)
		return;
	/* the form of each record's kept inputs, even with no inputs (the
	 * form byte is saved); then only what each record that owes an exact
	 * score kept: the pages of the other form, and of records that keep
	 * nothing, stay untouched */
	memcpy(p->kept_dbl + base, src->kept_dbl, m);
	if (!ni)
		return;
	for (size_t i = 0; i < m; i++) {
		if (!owes_exact(src, i))
			continue;
		if (src->kept_dbl[i])
			memcpy(p->dsnap + (base + i) * ni, src->dsnap + i * ni, ni * sizeof(double));
		else
			memcpy(p->snap + (base + i) * ni, src->snap + i * ni, ni * sizeof(rb_val));
	}
}

RULEBOOK_API rulebook_population *rulebook_population_copy(const rulebook_population *src)
{
	if (!src)
		return NULL;
	const rulebook *rb = src->rb;
	rulebook_population *p = rulebook_population_new(rb, src->as_of);
	if (!p || reserve(p, src->n ? src->n : 1) < 0) {
		rulebook_population_free(p);
		return NULL;
	}
	size_t nr = rb->nrules, ns = rb->nscorecards;
	if (src->n) {
		memcpy(p->verdicts, src->verdicts, src->n * nr);
		memcpy(p->scores, src->scores, src->n * ns * sizeof(rb_dec));
		memcpy(p->score_ok, src->score_ok, src->n * ns);
		memcpy(p->classes, src->classes, src->n * ns * sizeof(int16_t));
	}
	copy_binary_scores(p, 0, src);
	for (; p->n < src->n; p->n++) {
		const char *id = src->ids[p->n];
		p->ids[p->n] = id ? rb_strndup(id, strlen(id)) : NULL;
		if (id && !p->ids[p->n]) {
			rulebook_population_free(p);
			return NULL;
		}
	}
	if (src->n && p->comp_stride) {
		memcpy(p->comp, src->comp, src->n * p->comp_stride * sizeof(rb_dec));
		memcpy(p->comp_ok, src->comp_ok, src->n * p->comp_stride);
	}
	copy_vetoes_and_consequences(p, 0, src);
	fold_summary(p, src); /* into a new population: a copy */
	for (uint32_t a = 0; a < rb->naggregates; a++) {
		agg_state *d = &p->aggs[a];
		uint8_t *miss = d->miss;
		*d = src->aggs[a];
		d->records = NULL;
		d->caprec = 0;
		d->und = NULL;
		d->nund = d->capund = 0;
		d->miss = miss;
		memcpy(miss, src->aggs[a].miss, rb->aggregates[a].ndeps);
		if (src->aggs[a].nund) {
			if (rb_grow((void **)&d->und, &d->capund, src->aggs[a].nund, sizeof(size_t)) < 0) {
				d->nrec = 0;
				rulebook_population_free(p);
				return NULL;
			}
			memcpy(d->und, src->aggs[a].und, src->aggs[a].nund * sizeof(size_t));
			d->nund = src->aggs[a].nund;
		}
		if (src->aggs[a].nrec) {
			if (rb_grow((void **)&d->records, &d->caprec, src->aggs[a].nrec, sizeof(size_t)) < 0) {
				d->nrec = 0;
				rulebook_population_free(p);
				return NULL;
			}
			memcpy(d->records, src->aggs[a].records, src->aggs[a].nrec * sizeof(size_t));
		}
	}
	return p;
}

RULEBOOK_API size_t rulebook_population_size(const rulebook_population *p)
{
	return p ? p->n : 0;
}

RULEBOOK_API int32_t rulebook_population_as_of(const rulebook_population *p)
{
	return p ? p->as_of : 0;
}

RULEBOOK_API const char *rulebook_population_record_id(const rulebook_population *p, size_t i)
{
	return p && i < p->n ? p->ids[i] : NULL;
}

RULEBOOK_API rulebook_verdict rulebook_population_verdict(const rulebook_population *p,
							  size_t record, size_t rule)
{
	if (!p || record >= p->n || rule >= p->rb->nrules)
		return (rulebook_verdict)0;
	return (rulebook_verdict)p->verdicts[record * p->rb->nrules + rule];
}

RULEBOOK_API void rulebook_population_counts(const rulebook_population *p, uint32_t *out)
{
	if (!out)
		return;
	if (!p)
		memset(out, 0, 8 * sizeof(uint32_t));
	else
		memcpy(out, p->counts, 8 * sizeof(uint32_t));
}

/* ---- classes by rank ---- */

typedef struct rank_item {
	double lo, hi, x;        /* the exact score lies within [lo, hi]; x orders */
	rb_dec score;            /* the exact score, once computed */
	size_t rec;
} rank_item;

static int by_score_desc(const void *a, const void *b)
{
	const rank_item *x = a, *y = b;
	int c = rb_dec_cmp(y->score, x->score);
	if (c)
		return c;
	return (x->rec > y->rec) - (x->rec < y->rec);
}

static int by_binary_desc(const void *a, const void *b)
{
	const rank_item *x = a, *y = b;
	if (x->x != y->x)
		return x->x < y->x ? 1 : -1;
	return (x->rec > y->rec) - (x->rec < y->rec);
}

/* An interval holding the exact score at (scores[at] when computed, else
 * the binary score and its bound; SC_DEFER implies SC_BIN), rounded
 * outwards. */
static void score_interval(const rulebook_population *p, size_t at, rank_item *it)
{
	if (p->sflag[at] & SC_DEFER) {
		it->x = p->sx[at];
		it->lo = nextafter(p->sx[at] - p->se[at], -INFINITY);
		it->hi = nextafter(p->sx[at] + p->se[at], INFINITY);
	} else {
		it->x = rb_dec_nearest_double(p->scores[at]);
		it->lo = nextafter(it->x, -INFINITY);
		it->hi = nextafter(it->x, INFINITY);
	}
}

/* Records in scope with a score and no veto, sorted by score (then by their
 * order in the population); class k takes the ranks below
 * floor(cumulative share × N); a record tied with the one before it takes
 * the same class, so equal scores never get different classes. */
/* `missing: average`: each such component's average ratio over the rated
 * records that have it stands in for the records that lack it; their score
 * is recomputed and their class decided (by cut-off here, by rank below). */
static void fill_averages(rulebook_population *p)
{
	const rulebook *rb = p->rb;
	size_t ns = rb->nscorecards, base = 0, cut = 0;
	for (uint32_t k = 0; k < ns; cut += rb->scorecards[k].nclasses, k++) {
		const rb_scorecard *sc = &rb->scorecards[k];
		if (!sc->has_average)
			continue;
		size_t nc = sc->ncomponents;
		for (uint32_t c = 0; c < nc; c++) {
			if (!sc->components[c].average)
				continue;
			agg_sum acc = {.any = false};
			rb_dec sum, avg;
			size_t cnt = 0;
			for (size_t i = 0; i < p->n; i++) {
				int16_t cls = p->classes[i * ns + k];
				size_t f = i * p->comp_stride + base + 3 * c;
				if (cls == RB_CLASS_NOT_RATED || cls == RB_CLASS_NOT_IN_FORCE || !p->comp_ok[f])
					continue;
				/* exact: the same average for any order of the records */
				sum_add(&acc, p->comp[f]);
				cnt++;
			}
			bool have = cnt && sum_value(&acc, &sum) &&
				    rb_dec_div(sum, rb_dec_from_int((int64_t)cnt), &avg) == RB_DEC_OK;
			for (size_t i = 0; i < p->n; i++) {
				size_t f = i * p->comp_stride + base + 3 * c;
				if (p->classes[i * ns + k] != RB_CLASS_NEEDS_AVERAGE || p->comp_ok[f])
					continue;
				/* the stand-in points: weight × average ratio */
				p->comp_ok[f + 1] = have && rb_dec_mul(p->comp[f + 2], avg, &p->comp[f + 1]) == RB_DEC_OK;
			}
		}
		for (size_t i = 0; i < p->n; i++) {
			size_t at = i * ns + k;
			if (p->classes[at] != RB_CLASS_NEEDS_AVERAGE)
				continue;
			rb_dec score = RB_DEC_ZERO;
			bool ok = true;
			for (uint32_t c = 0; ok && c < nc; c++) {
				size_t f = i * p->comp_stride + base + 3 * c + 1;
				ok = p->comp_ok[f] && rb_dec_add(score, p->comp[f], &score) == RB_DEC_OK;
			}
			p->score_ok[at] = ok;
			p->scores[at] = ok ? score : RB_DEC_ZERO;
			int16_t cls = RB_CLASS_UNKNOWN;
			if (ok && sc->by_rank) {
				cls = RB_CLASS_BY_RANK;
			} else if (ok) {
				for (uint32_t c = 0; c < sc->nclasses; c++) {
					if (!sc->classes[c].has_min ||
					    (p->cutoff_ok[cut + c] && rb_dec_cmp(score, p->cutoffs[cut + c]) >= 0)) {
						cls = (int16_t)c;
						break;
					}
					if (!p->cutoff_ok[cut + c])
						break;
				}
			}
			p->ranked[at] = cls;
		}
		base += 3 * nc;
	}
}

/* The class of sorted position pos: the first whose positions reach past it. */
static uint32_t class_at(const size_t *upto, uint32_t nclasses, size_t pos)
{
	uint32_t c = 0;
	while (c + 1 < nclasses && pos >= upto[c])
		c++;
	return c;
}

/* The classes by rank (p->ranked): RULEBOOK_OK, RULEBOOK_ERR_NOMEM or, for
 * an exact score its kept inputs cannot give, RULEBOOK_ERR_VALUE. */
static rulebook_status rank(rulebook_population *p)
{
	rulebook_status st = RULEBOOK_ERR_NOMEM;
	const rulebook *rb = p->rb;
	size_t ns = rb->nscorecards;
	size_t maxcls = 1;
	for (uint32_t k = 0; k < ns; k++)
		maxcls = rb->scorecards[k].nclasses > maxcls ? rb->scorecards[k].nclasses : maxcls;
	p->ranked = rb_malloc((p->n ? p->n : 1) * (ns ? ns : 1) * sizeof(int16_t));
	rank_item *items = rb_malloc((p->n ? p->n : 1) * sizeof(rank_item));
	double *sufhi = rb_malloc((p->n ? p->n : 1) * sizeof(double));
	size_t *upto = rb_malloc(maxcls * sizeof(size_t));
	if (!p->ranked || !items || !sufhi || !upto)
		goto fail;
	if (p->n)
		memcpy(p->ranked, p->classes, p->n * ns * sizeof(int16_t));
	fill_averages(p);
	for (uint32_t k = 0; k < ns; k++) {
		const rb_scorecard *sc = &rb->scorecards[k];
		if (!sc->by_rank)
			continue;
		size_t m = 0;
		for (size_t i = 0; i < p->n; i++) {
			size_t at = i * ns + k;
			/* only records otherwise decided: in scope, no veto, scored */
			if (p->ranked[at] != RB_CLASS_BY_RANK || !p->score_ok[at])
				continue;
			items[m].score = p->scores[at];
			items[m].rec = i;
			score_interval(p, at, &items[m]);
			m++;
		}
		/* class c takes the positions below upto[c] */
		rb_dec cum = RB_DEC_ZERO;
		for (uint32_t c = 0; c < sc->nclasses; c++) {
			rb_dec_add(cum, sc->classes[c].share, &cum);
			rb_dec bound;
			upto[c] = m;
			if (c + 1 < sc->nclasses &&
			    rb_dec_mul(cum, rb_dec_from_int((int64_t)m), &bound) == RB_DEC_OK &&
			    rb_dec_round(bound, 0, RB_ROUND_FLOOR, &bound) == RB_DEC_OK) {
				char buf[RB_DEC_BUFSIZE];
				rb_dec_format(bound, buf, sizeof buf);
				upto[c] = (size_t)strtoull(buf, NULL, 10);
			}
		}
		/* Sorted by binary score, the records fall into runs whose order
		 * among themselves the bounds cannot tell, while every record of a
		 * run is certainly above every record after it. A run within one
		 * class takes that class; only the records of a run that spans a
		 * cut between classes need their exact scores, and are sorted by
		 * them, equal scores taking the class of the first. */
		qsort(items, m, sizeof(*items), by_binary_desc);
		for (size_t t = m; t-- > 0;)
			sufhi[t] = t + 1 < m && sufhi[t + 1] > items[t].hi ? sufhi[t + 1] : items[t].hi;
		double prelo = INFINITY;
		for (size_t a = 0, b; a < m; a = b) {
			b = a;
			do {
				prelo = items[b].lo < prelo ? items[b].lo : prelo;
				b++;
			} while (b < m && !(prelo > sufhi[b]));
			prelo = INFINITY;
			uint32_t first = class_at(upto, sc->nclasses, a), last = class_at(upto, sc->nclasses, b - 1);
			if (first != last) {
				for (size_t j = a; j < b; j++) {
					if ((st = exact_scores(p, items[j].rec)) != RULEBOOK_OK)
						goto fail;
					items[j].score = p->scores[items[j].rec * ns + k];
				}
				qsort(items + a, b - a, sizeof(*items), by_score_desc);
			}
			for (size_t pos = a; pos < b; pos++) {
				int16_t cls = (int16_t)class_at(upto, sc->nclasses, pos);
				if (first != last && pos > a &&
				    rb_dec_cmp(items[pos].score, items[pos - 1].score) == 0)
					cls = p->ranked[items[pos - 1].rec * ns + k];
				p->ranked[items[pos].rec * ns + k] = cls;
			}
		}
	}
	rb_free(items);
	rb_free(sufhi);
	rb_free(upto);
	return RULEBOOK_OK;
fail:
	rb_free(items);
	rb_free(sufhi);
	rb_free(upto);
	rb_free(p->ranked);
	p->ranked = NULL;
	return st;
}

RULEBOOK_API const char *rulebook_population_class(rulebook_population *p, size_t record,
						   size_t k)
{
	if (!p || record >= p->n || k >= p->rb->nscorecards)
		return NULL;
	if (!p->ranked && rank(p) != RULEBOOK_OK) {
		p->out.failed = true;  /* JSON being rendered would miscount */
		return NULL;
	}
	int16_t c = p->ranked[record * p->rb->nscorecards + k];
	if (c >= 0)
		return p->rb->scorecards[k].classes[c].id;
	return c == RB_CLASS_NOT_RATED	  ? "not_rated"
	       : c == RB_CLASS_NOT_IN_FORCE ? "not_in_force"
	       : c == RB_CLASS_ERROR	    ? "error"
					    : NULL;
}

RULEBOOK_API const char *rulebook_population_score(rulebook_population *p, size_t record, size_t k)
{
	if (!p || record >= p->n || k >= p->rb->nscorecards)
		return NULL;
	/* scores that wait for a population average are filled in by ranking */
	if (!p->ranked && rank(p) != RULEBOOK_OK)
		return NULL;
	size_t at = record * p->rb->nscorecards + k;
	if (!has_score(p, record, k) || exact_scores(p, record) != RULEBOOK_OK)
		return NULL;
	char buf[RB_DEC_BUFSIZE];
	rb_dec_format(p->scores[at], buf, sizeof buf);
	return rb_arena_strndup(&p->strings, buf, strlen(buf));
}

RULEBOOK_API const char *rulebook_population_veto(const rulebook_population *p, size_t record,
						  size_t k)
{
	if (!p || record >= p->n || k >= p->rb->nscorecards)
		return NULL;
	int16_t v = p->vetoes[record * p->rb->nscorecards + k];
	return v >= 0 ? p->rb->scorecards[k].vetoes[v].id : NULL;
}

/* Consequence j of those that apply to the record's class in scorecard k
 * (the class by rank included); *count is how many apply. */
static const rb_consequence *pop_consequence(rulebook_population *p, size_t record, size_t k,
					     size_t j, size_t *count, size_t *g)
{
	*count = 0;
	if (!p || record >= p->n || k >= p->rb->nscorecards)
		return NULL;
	if (!p->ranked && rank(p) != RULEBOOK_OK) {
		p->out.failed = true;  /* JSON being rendered would miss them */
		return NULL;
	}
	int16_t cls = p->ranked[record * p->rb->nscorecards + k];
	if (cls < 0)
		return NULL;
	const rb_scorecard *sc = &p->rb->scorecards[k];
	const rb_consequence *hit = NULL;
	for (uint32_t q = 0; q < sc->nconsequences; q++) {
		size_t at = p->cq_first[k] + q;
		if (sc->consequences[q].cls != (uint32_t)cls || !(p->cq[record * p->nq + at] & CQ_WHEN))
			continue;
		if (*count == j) {
			hit = &sc->consequences[q];
			*g = at;
		}
		(*count)++;
	}
	return hit;
}

RULEBOOK_API size_t rulebook_population_consequence_count(rulebook_population *p, size_t record,
							  size_t k)
{
	size_t n, g;
	pop_consequence(p, record, k, SIZE_MAX, &n, &g);
	return n;
}

RULEBOOK_API const char *rulebook_population_consequence_name(rulebook_population *p,
							      size_t record, size_t k, size_t j)
{
	size_t n, g;
	const rb_consequence *q = pop_consequence(p, record, k, j, &n, &g);
	return q ? q->id : NULL;
}

RULEBOOK_API const char *rulebook_population_consequence_unit(rulebook_population *p,
							      size_t record, size_t k, size_t j)
{
	size_t n, g;
	const rb_consequence *q = pop_consequence(p, record, k, j, &n, &g);
	return q ? q->unit_text : NULL;
}

RULEBOOK_API size_t rulebook_population_consequence_index(rulebook_population *p, size_t record,
							  size_t k, size_t j)
{
	size_t n, g;
	const rb_consequence *q = pop_consequence(p, record, k, j, &n, &g);
	return q ? (size_t)(q - p->rb->scorecards[k].consequences) : SIZE_MAX;
}

static const char *dec_str(rulebook_population *p, rb_dec d);

RULEBOOK_API const char *rulebook_population_consequence_value(rulebook_population *p,
							       size_t record, size_t k, size_t j)
{
	size_t n, g = 0;
	const rb_consequence *q = pop_consequence(p, record, k, j, &n, &g);
	if (!q)
		return NULL;
	if (q->per_record)
		return p->cq[record * p->nq + g] & CQ_VALUE ? dec_str(p, p->cq_val[record * p->nq + g])
							    : NULL;
	return p->cq_const_ok[g] ? dec_str(p, p->cq_const[g]) : NULL;
}

/* ---- aggregates ---- */

RULEBOOK_API size_t rulebook_aggregate_count(const rulebook *rb)
{
	return rb ? rb->naggregates : 0;
}

RULEBOOK_API const char *rulebook_aggregate_id(const rulebook *rb, size_t i)
{
	return rb && i < rb->naggregates ? rb->aggregates[i].id : NULL;
}

RULEBOOK_API const char *rulebook_aggregate_cite(const rulebook *rb, size_t i)
{
	return rb && i < rb->naggregates ? rb->aggregates[i].cite : NULL;
}

/* The aggregate's value; false when it cannot be computed. */
static bool agg_value(const rb_aggregate *ag, const agg_state *st, rb_dec *out, bool *error)
{
	*error = false;
	rb_dec sum = RB_DEC_ZERO, where = RB_DEC_ZERO;
	bool sums = ag->measure == RB_AGG_SUM || ag->measure == RB_AGG_AVG ||
		    (ag->measure == RB_AGG_SHARE && ag->value >= 0);
	if (sums && (!sum_value(&st->sum, &sum) || !sum_value(&st->sum_where, &where))) {
		*error = true; /* beyond the exact sum's range */
		return false;
	}
	switch (ag->measure) {
	case RB_AGG_SUM:
		*out = sum;
		return true;
	case RB_AGG_COUNT:
		*out = rb_dec_from_int((int64_t)st->counted);
		return true;
	case RB_AGG_MIN:
		*out = st->min;
		return true;
	case RB_AGG_MAX:
		*out = st->max;
		return true;
	case RB_AGG_AVG:
		return rb_dec_div(sum, rb_dec_from_int((int64_t)st->counted), out) == RB_DEC_OK;
	case RB_AGG_SHARE: {
		rb_dec num = ag->value >= 0 ? where : rb_dec_from_int((int64_t)st->count_where);
		rb_dec den = ag->value >= 0 ? sum : rb_dec_from_int((int64_t)st->counted);
		if (rb_dec_div(num, den, out) != RB_DEC_OK) {
			*error = true;
			return false;
		}
		return true;
	}
	}
	return false;
}

static bool agg_in_force(const rulebook *rb, int32_t d)
{
	return (!rb->from || d >= rb->from) && (!rb->until || d <= rb->until);
}

/* Run the aggregate program with aggregate i's value; the slots hold the
 * parameters of the as-of date. */
static rulebook_verdict agg_verdict(rulebook_population *p, size_t i)
{
	const rulebook *rb = p->rb;
	const rb_aggregate *ag = &rb->aggregates[i];
	const agg_state *st = &p->aggs[i];
	if (!agg_in_force(rb, p->as_of))
		return RULEBOOK_NOT_IN_FORCE;
	if (st->error)
		return RULEBOOK_ERROR;
	if (st->undecided)
		return RULEBOOK_UNKNOWN;
	if (!st->counted)
		return RULEBOOK_NOT_APPLICABLE;
	rb_dec v;
	bool error;
	if (!agg_value(ag, st, &v, &error))
		return error ? RULEBOOK_ERROR : RULEBOOK_UNKNOWN;
	if (ag->require < 0)
		return RULEBOOK_PASS;
	if (!p->agg_slots) {
		p->agg_slots = rb_malloc(rb->nslots * sizeof(rb_val));
		/* parameters of the as-of date, from an empty evaluation */
		rulebook_facts *f = rulebook_facts_new(rb);
		rulebook_result *r = rulebook_result_new(rb);
		bool ok = p->agg_slots && f && r &&
			  rulebook_eval(rb, f, p->as_of, r, NULL) == RULEBOOK_OK;
		if (ok)
			memcpy(p->agg_slots, rb_exact(r), rb->nslots * sizeof(rb_val));
		rulebook_facts_free(f);
		rulebook_result_free(r);
		if (!ok) {
			/* Out of memory: no verdict now, a retry later; JSON being
			 * rendered reports RULEBOOK_ERR_NOMEM. */
			rb_free(p->agg_slots);
			p->agg_slots = NULL;
			p->out.failed = true;
			return RULEBOOK_ERROR;
		}
	}
	rb_val *s = p->agg_slots;
	s[ag->slot].state = RB_V_OK;
	s[ag->slot].u.d = v;
	rb_run_code(rb->agg_code, rb->nagg_code, s);
	const rb_val *q = &s[ag->require];
	if (q->state != RB_V_OK)
		return q->state == RB_V_ERROR ? RULEBOOK_ERROR : RULEBOOK_UNKNOWN;
	return q->u.b ? RULEBOOK_PASS : RULEBOOK_FAIL;
}

RULEBOOK_API rulebook_verdict rulebook_population_aggregate_verdict(rulebook_population *p,
								    size_t i)
{
	if (!p || i >= p->rb->naggregates)
		return (rulebook_verdict)0;
	return agg_verdict(p, i);
}

static const char *dec_str(rulebook_population *p, rb_dec d)
{
	char buf[RB_DEC_BUFSIZE];
	rb_dec_format(d, buf, sizeof buf);
	const char *s = rb_arena_strndup(&p->strings, buf, strlen(buf));
	if (!s)
		p->out.failed = true;  /* JSON being rendered would lack it */
	return s;
}

RULEBOOK_API const char *rulebook_population_aggregate_value(rulebook_population *p, size_t i,
							     rulebook_aggregate_field field)
{
	if (!p || i >= p->rb->naggregates)
		return NULL;
	const rb_aggregate *ag = &p->rb->aggregates[i];
	const agg_state *st = &p->aggs[i];
	rb_dec v;
	bool error;
	switch (field) {
	case RULEBOOK_AGGREGATE_VALUE:
		return st->counted && !st->undecided && agg_value(ag, st, &v, &error) ? dec_str(p, v) : NULL;
	case RULEBOOK_AGGREGATE_NUMERATOR:
		if (ag->measure != RB_AGG_SHARE)
			return NULL;
		if (ag->value < 0)
			return dec_str(p, rb_dec_from_int((int64_t)st->count_where));
		return sum_value(&st->sum_where, &v) ? dec_str(p, v) : NULL;
	case RULEBOOK_AGGREGATE_DENOMINATOR:
		if (ag->measure != RB_AGG_SHARE)
			return NULL;
		if (ag->value < 0)
			return dec_str(p, rb_dec_from_int((int64_t)st->counted));
		return sum_value(&st->sum, &v) ? dec_str(p, v) : NULL;
	case RULEBOOK_AGGREGATE_COUNTED:
		return dec_str(p, rb_dec_from_int((int64_t)st->counted));
	case RULEBOOK_AGGREGATE_THRESHOLD:
	case RULEBOOK_AGGREGATE_GAP: {
		if (!ag->nchecks)
			return NULL;
		rulebook_verdict vd = agg_verdict(p, i);
		if (vd != RULEBOOK_PASS && vd != RULEBOOK_FAIL)
			return NULL;
		const rb_check *ck = &ag->checks[0];
		rb_dec gap, val, thr;
		/* rb_check_gap reads slots from a result; lend it the aggregate slots */
		rb_val *saved = p->res->slots;
		bool saved_exact = p->res->exact;
		p->res->slots = p->agg_slots;
		p->res->exact = true;
		bool ok = rb_check_gap(p->res, ck, &gap, &val, &thr);
		rb_dec own;
		bool own_ok = rb_check_threshold(p->res, ck, &own);
		p->res->slots = saved;
		p->res->exact = saved_exact;
		if (!ok || !own_ok)
			return NULL;
		/* the threshold in the aggregate's own unit, comparable with VALUE */
		if (field == RULEBOOK_AGGREGATE_THRESHOLD)
			return dec_str(p, own);
		if (vd != RULEBOOK_FAIL)
			return NULL;
		char buf[RB_DEC_BUFSIZE + 64];
		size_t n = 0;
		if (rb_dec_sign(gap) >= 0)
			buf[n++] = '+';
		n += rb_dec_format(gap, buf + n, RB_DEC_BUFSIZE);
		const char *u = ck->unit_text[0] ? ck->unit_text : ag->unit_text;
		if (u[0] && n + strlen(u) + 2 < sizeof buf) {
			buf[n++] = ' ';
			memcpy(buf + n, u, strlen(u));
			n += strlen(u);
		}
		return rb_arena_strndup(&p->strings, buf, n);
	}
	}
	return NULL;
}

RULEBOOK_API size_t rulebook_population_aggregate_record_count(rulebook_population *p, size_t i)
{
	return p && i < p->rb->naggregates ? p->aggs[i].nrec : 0;
}

RULEBOOK_API size_t rulebook_population_aggregate_record(rulebook_population *p, size_t i, size_t j)
{
	if (!p || i >= p->rb->naggregates || j >= p->aggs[i].nrec)
		return SIZE_MAX;
	return p->aggs[i].records[j];
}

RULEBOOK_API size_t rulebook_population_aggregate_undecided_count(const rulebook_population *p,
								  size_t i)
{
	return p && i < p->rb->naggregates ? p->aggs[i].nund : 0;
}

RULEBOOK_API size_t rulebook_population_aggregate_undecided(const rulebook_population *p, size_t i,
							    size_t j)
{
	if (!p || i >= p->rb->naggregates || j >= p->aggs[i].nund)
		return SIZE_MAX;
	return p->aggs[i].und[j];
}

/* The j-th dependency of aggregate i missing in an undecided record; the
 * count of them in *count. */
static const rb_sym *agg_missing(const rulebook_population *p, size_t i, size_t j, size_t *count)
{
	*count = 0;
	if (!p || i >= p->rb->naggregates)
		return NULL;
	const rb_aggregate *ag = &p->rb->aggregates[i];
	const rb_sym *hit = NULL;
	for (uint32_t d = 0; d < ag->ndeps; d++) {
		if (!p->aggs[i].miss[d])
			continue;
		if (*count == j)
			hit = ag->deps[d];
		(*count)++;
	}
	return hit;
}

RULEBOOK_API size_t rulebook_population_aggregate_missing_count(const rulebook_population *p,
								size_t i)
{
	size_t n;
	agg_missing(p, i, SIZE_MAX, &n);
	return n;
}

RULEBOOK_API const char *rulebook_population_aggregate_missing(const rulebook_population *p,
							       size_t i, size_t j)
{
	size_t n;
	const rb_sym *s = agg_missing(p, i, j, &n);
	return s ? s->name : NULL;
}

/* ---- JSON ---- */

static void jstr(rb_buf *b, const char *s)
{
	if (s)
		rb_buf_json_string(b, s, strlen(s));
	else
		rb_buf_puts(b, "null");
}

/* Records by id, or by index when they have none. */
static void record_list(const rulebook_population *p, rb_buf *b, const size_t *recs, size_t n)
{
	rb_buf_putc(b, '[');
	for (size_t j = 0; j < n; j++) {
		if (j)
			rb_buf_putc(b, ',');
		if (p->ids[recs[j]])
			jstr(b, p->ids[recs[j]]);
		else
			rb_buf_printf(b, "%zu", recs[j]);
	}
	rb_buf_putc(b, ']');
}

/* {"scorecard": {"veto or consequence id": records, ...}, ...}: how many
 * records each veto forced, or each consequence applies to. */
static void instrument_counts(rulebook_population *p, rb_buf *b, bool vetoes)
{
	const rulebook *rb = p->rb;
	rb_buf_putc(b, '{');
	for (uint32_t k = 0; k < rb->nscorecards; k++) {
		const rb_scorecard *sc = &rb->scorecards[k];
		if (k)
			rb_buf_putc(b, ',');
		jstr(b, sc->id);
		rb_buf_putc(b, ':');
		rb_buf_putc(b, '{');
		uint32_t n = vetoes ? sc->nvetoes : sc->nconsequences;
		bool first = true;
		for (uint32_t q = 0; q < n; q++) {
			/* one key per id: two classes may share a consequence's id */
			const char *id = vetoes ? sc->vetoes[q].id : sc->consequences[q].id;
			bool seen = false;
			for (uint32_t e = 0; e < q && !seen; e++)
				seen = strcmp(id, vetoes ? sc->vetoes[e].id : sc->consequences[e].id) == 0;
			if (seen)
				continue;
			size_t cnt = 0;
			for (size_t i = 0; i < p->n; i++) {
				if (vetoes) {
					int16_t v = p->vetoes[i * rb->nscorecards + k];
					cnt += v >= 0 && strcmp(sc->vetoes[v].id, id) == 0;
					continue;
				}
				size_t m = rulebook_population_consequence_count(p, i, k);
				for (size_t j = 0; j < m; j++)
					cnt += strcmp(rulebook_population_consequence_name(p, i, k, j), id) == 0;
			}
			if (!first)
				rb_buf_putc(b, ',');
			first = false;
			jstr(b, id);
			rb_buf_printf(b, ":%zu", cnt);
		}
		rb_buf_putc(b, '}');
	}
	rb_buf_putc(b, '}');
}

RULEBOOK_API rulebook_status rulebook_population_json(rulebook_population *p, uint32_t flags,
						      const char **out, size_t *len)
{
	static const char *const fields[] = {"value", "numerator", "denominator", "counted",
					     "threshold", "gap"};
	if (!p || !out)
		return RULEBOOK_ERR_INVALID;
	const rulebook *rb = p->rb;
	rb_buf *b = &p->out;
	rb_buf_reset(b);
	char date[11];
	rb_date_format(p->as_of, date);
	rb_buf_puts(b, "{\"rulebook\":");
	rb_rulebook_json_into(rb, b);
	rb_buf_puts(b, ",\"as_of\":");
	jstr(b, date);
	/* the documents cited, once; aggregates refer to them by index */
	rb_buf_puts(b, ",\"documents\":");
	rb_documents_json_into(rb, b);
	rb_buf_puts(b, ",\"library_version\":");
	jstr(b, RULEBOOK_VERSION);
	rb_buf_printf(b, ",\"records\":%zu,\"counts\":{", p->n);
	for (int v = RULEBOOK_PASS; v <= RULEBOOK_ERROR; v++)
		rb_buf_printf(b, "%s\"%s\":%u", v == RULEBOOK_PASS ? "" : ",",
			      rulebook_verdict_str((rulebook_verdict)v), (unsigned)p->counts[v]);
	rb_buf_puts(b, "},\"aggregates\":[");
	for (uint32_t a = 0; a < rb->naggregates; a++) {
		if (a)
			rb_buf_putc(b, ',');
		rb_buf_puts(b, "{\"id\":");
		jstr(b, rb->aggregates[a].id);
		rb_buf_puts(b, ",\"cite\":");
		jstr(b, rb->aggregates[a].cite);
		rb_buf_printf(b, rb->aggregates[a].doc >= 0 ? ",\"document\":%ld" : ",\"document\":null",
			      (long)rb->aggregates[a].doc);
		rb_buf_puts(b, ",\"responsible\":[");
		for (uint32_t k = 0; k < rb->aggregates[a].nresponsible; k++) {
			if (k)
				rb_buf_putc(b, ',');
			jstr(b, rb->aggregates[a].responsible[k]);
		}
		rb_buf_putc(b, ']');
		rb_buf_puts(b, ",\"verdict\":");
		jstr(b, rulebook_verdict_str(agg_verdict(p, a)));
		rb_buf_puts(b, ",\"unit\":");
		jstr(b, rb->aggregates[a].unit_text);
		for (int f = 0; f < 6; f++) {
			rb_buf_printf(b, ",\"%s\":", fields[f]);
			jstr(b, rulebook_population_aggregate_value(p, a, (rulebook_aggregate_field)f));
		}
		if (!(flags & RULEBOOK_OUT_VERDICTS)) {
			rb_buf_puts(b, ",\"records\":");
			record_list(p, b, p->aggs[a].records, p->aggs[a].nrec);
			/* an unknown aggregate: the records that lacked data, and what they lacked */
			rb_buf_puts(b, ",\"undecided\":");
			record_list(p, b, p->aggs[a].und, p->aggs[a].nund);
			rb_buf_puts(b, ",\"missing\":[");
			size_t nm = rulebook_population_aggregate_missing_count(p, a);
			for (size_t j = 0; j < nm; j++) {
				if (j)
					rb_buf_putc(b, ',');
				jstr(b, rulebook_population_aggregate_missing(p, a, j));
			}
			rb_buf_putc(b, ']');
		}
		rb_buf_putc(b, '}');
	}
	rb_buf_puts(b, "],\"classes\":{");
	for (uint32_t k = 0; k < rb->nscorecards; k++) {
		if (k)
			rb_buf_putc(b, ',');
		jstr(b, rb->scorecards[k].id);
		rb_buf_puts(b, ":{");
		for (uint32_t c = 0; c < rb->scorecards[k].nclasses + 1; c++) {
			const char *cid = c < rb->scorecards[k].nclasses ? rb->scorecards[k].classes[c].id
									: "not_rated";
			size_t cnt = 0;
			for (size_t i = 0; i < p->n; i++) {
				const char *got = rulebook_population_class(p, i, k);
				if (got && strcmp(got, cid) == 0)
					cnt++;
			}
			rb_buf_printf(b, "%s", c ? "," : "");
			jstr(b, cid);
			rb_buf_printf(b, ":%zu", cnt);
		}
		rb_buf_putc(b, '}');
	}
	rb_buf_puts(b, "},\"vetoes\":");
	instrument_counts(p, b, true);
	rb_buf_puts(b, ",\"consequences\":");
	instrument_counts(p, b, false);
	rb_buf_putc(b, '}');
	if (b->failed)
		return RULEBOOK_ERR_NOMEM;
	*out = rb_buf_cstr(b);
	if (len)
		*len = b->len;
	return RULEBOOK_OK;
}

const rulebook *rb_population_rulebook(const rulebook_population *p)
{
	return p->rb;
}

/* ---- results in bulk ---- */

RULEBOOK_API rulebook_status rulebook_population_verdicts(const rulebook_population *p,
							  uint8_t *out)
{
	if (!p || !out)
		return RULEBOOK_ERR_INVALID;
	if (p->n && p->rb->nrules)
		memcpy(out, p->verdicts, p->n * p->rb->nrules);
	return RULEBOOK_OK;
}

RULEBOOK_API rulebook_status rulebook_population_classes(rulebook_population *p, size_t k,
							 int16_t *out)
{
	if (!p || !out || k >= p->rb->nscorecards)
		return RULEBOOK_ERR_INVALID;
	rulebook_status rs = p->ranked ? RULEBOOK_OK : rank(p);
	if (rs != RULEBOOK_OK)
		return rs;
	size_t ns = p->rb->nscorecards;
	for (size_t i = 0; i < p->n; i++) {
		out[i] = rb_class_code(p->ranked[i * ns + k]);
	}
	return RULEBOOK_OK;
}

RULEBOOK_API rulebook_status rulebook_population_scores_text(rulebook_population *p, size_t k,
							     char **out, size_t *len)
{
	if (out)
		*out = NULL;
	if (len)
		*len = 0;
	if (!p || !out || k >= p->rb->nscorecards)
		return RULEBOOK_ERR_INVALID;
	rulebook_status rs = p->ranked ? RULEBOOK_OK : rank(p);
	if (rs != RULEBOOK_OK)
		return rs;
	rb_buf b;
	rb_buf_init(&b);
	for (size_t i = 0; i < p->n; i++) {
		if (has_score(p, i, k) && (rs = exact_scores(p, i)) != RULEBOOK_OK) {
			rb_buf_release(&b);
			return rs;
		}
		if (has_score(p, i, k)) {
			char buf[RB_DEC_BUFSIZE];
			rb_buf_puts(&b, rb_dec_format(p->scores[i * p->rb->nscorecards + k], buf, sizeof buf)
					    ? buf
					    : "");
		}
		rb_buf_putc(&b, '\n');
	}
	if (b.failed) {
		rb_buf_release(&b);
		return RULEBOOK_ERR_NOMEM;
	}
	size_t n = b.len;
	char *copy = rb_malloc(n + 1);
	if (!copy) {
		rb_buf_release(&b);
		return RULEBOOK_ERR_NOMEM;
	}
	memcpy(copy, rb_buf_cstr(&b), n + 1);
	rb_buf_release(&b);
	*out = copy;
	if (len)
		*len = n;
	return RULEBOOK_OK;
}

RULEBOOK_API rulebook_status rulebook_population_scores_double(rulebook_population *p, size_t k,
							       double *out)
{
	if (!p || !out || k >= p->rb->nscorecards)
		return RULEBOOK_ERR_INVALID;
	rulebook_status rs = p->ranked ? RULEBOOK_OK : rank(p);
	if (rs != RULEBOOK_OK)
		return rs;
	size_t ns = p->rb->nscorecards;
	for (size_t i = 0; i < p->n; i++) {
		size_t at = i * ns + k;
		out[i] = NAN;
		if (!has_score(p, i, k))
			continue;
		/* as rulebook_result_score_double: the binary score when its bound
		 * is tight enough, else the exact score's nearest double */
		if ((p->sflag[at] & SC_BIN) && p->se[at] <= fabs(p->sx[at]) * RB_SCORE_DOUBLE_SLACK) {
			out[i] = p->sx[at] == 0 ? 0.0 : p->sx[at];
			continue;
		}
		if ((rs = exact_scores(p, i)) != RULEBOOK_OK)
			return rs;
		if (has_score(p, i, k))
			out[i] = rb_dec_nearest_double(p->scores[at]);
	}
	return RULEBOOK_OK;
}

RULEBOOK_API rulebook_status rulebook_population_scores_decimal128(rulebook_population *p,
								   size_t k, int32_t scale,
								   uint8_t *out, uint8_t *valid,
								   rulebook_error *err)
{
	rulebook_error_clear(err);
	if (!p || !out || k >= p->rb->nscorecards || scale < 0 || scale > 38)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "a population, a scorecard index, a scale from 0 to 38 and an output "
				    "buffer are required");
	rulebook_status rs = p->ranked ? RULEBOOK_OK : rank(p);
	if (rs != RULEBOOK_OK)
		return kept_error(err, rs);
	const char *sid = p->rb->scorecards[k].id;
	for (size_t i = 0; i < p->n; i++) {
		uint64_t lo = 0, hi = 0;
		bool ok = has_score(p, i, k);
		if (ok && (rs = exact_scores(p, i)) != RULEBOOK_OK)
			return kept_error(err, rs);
		if (ok) {
			rb_dec d = p->scores[i * p->rb->nscorecards + k];
			/* coef × 10^(exp + scale), exactly, within 38 digits */
			int32_t shift = d.exp + scale;
			int64_t c = d.coef;
			while (shift < 0 && c % 10 == 0 && c != 0) {
				c /= 10;
				shift++;
			}
			if (c == 0)
				shift = 0;
			if (shift < 0)
				return rb_error_add(err, RULEBOOK_ERR_RANGE, (rb_pos){0}, sid,
						    "the score of record %zu in '%s' has more than %d "
						    "decimal places",
						    i, sid, (int)scale);
			if (shift > 38 - 18)
				return rb_error_add(err, RULEBOOK_ERR_RANGE, (rb_pos){0}, sid,
						    "the score of record %zu in '%s' does not fit in "
						    "decimal128 at scale %d",
						    i, sid, (int)scale);
			lo = (uint64_t)(c < 0 ? -c : c);
			for (int32_t z = 0; z < shift; z++) {
				uint64_t lo8 = lo << 3, hi8 = hi << 3 | lo >> 61;
				uint64_t lo2 = lo << 1, hi2 = hi << 1 | lo >> 63;
				lo = lo8 + lo2;
				hi = hi8 + hi2 + (lo < lo8);
			}
			if (c < 0) {
				lo = ~lo + 1;
				hi = ~hi + (lo == 0);
			}
		}
		memcpy(out + 16 * i, &lo, 8);
		memcpy(out + 16 * i + 8, &hi, 8);
		if (valid)
			valid[i] = ok;
	}
	return RULEBOOK_OK;
}

/* ---- merging populations ---- */

static size_t cutoff_count(const rulebook *rb)
{
	size_t ncut = 0;
	for (uint32_t k = 0; k < rb->nscorecards; k++)
		ncut += rb->scorecards[k].nclasses;
	return ncut;
}

/* Fold aggregate state s (of records numbered from base) into d. */
static int merge_agg(const rb_aggregate *ag, agg_state *d, const agg_state *s, size_t base)
{
	if (s->nrec && rb_grow((void **)&d->records, &d->caprec, d->nrec + s->nrec, sizeof(size_t)) < 0)
		return -1;
	if (ag->value >= 0 && s->counted) {
		if (!d->counted || rb_dec_cmp(s->min, d->min) < 0)
			d->min = s->min;
		if (!d->counted || rb_dec_cmp(s->max, d->max) > 0)
			d->max = s->max;
	}
	sum_merge(&d->sum, &s->sum);
	sum_merge(&d->sum_where, &s->sum_where);
	d->error |= s->error;
	d->counted += s->counted;
	d->undecided += s->undecided;
	d->count_where += s->count_where;
	for (size_t j = 0; j < s->nrec; j++)
		d->records[d->nrec++] = s->records[j] + base;
	for (size_t j = 0; j < s->nund; j++)
		d->und[d->nund++] = s->und[j] + base; /* room made by the caller */
	for (uint32_t k = 0; k < ag->ndeps; k++)
		d->miss[k] |= s->miss[k];
	return 0;
}

RULEBOOK_API rulebook_status rulebook_population_merge(rulebook_population *p,
						       const rulebook_population *src,
						       rulebook_error *err)
{
	rulebook_error_clear(err);
	if (!p || !src)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "two populations are required");
	const rulebook *rb = p->rb;
	if (src->rb != rb && strcmp(src->rb->hash, rb->hash) != 0)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "the populations were evaluated with different rulebooks "
				    "(hashes %.12s… and %.12s…)",
				    rb->hash, src->rb->hash);
	if (src->as_of != p->as_of)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "the populations were evaluated as of different dates (%ld and %ld)",
				    (long)p->as_of, (long)src->as_of);
	size_t m = src->n, base = p->n;
	size_t nr = rb->nrules, ns = rb->nscorecards;
	/* everything that can fail first, so that a failure leaves p as it was */
	if (reserve(p, base + m) < 0)
		return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	for (uint32_t a = 0; a < rb->naggregates; a++)
		if ((src->aggs[a].nrec &&
		     rb_grow((void **)&p->aggs[a].records, &p->aggs[a].caprec,
			     p->aggs[a].nrec + src->aggs[a].nrec, sizeof(size_t)) < 0) ||
		    (src->aggs[a].nund &&
		     rb_grow((void **)&p->aggs[a].und, &p->aggs[a].capund,
			     p->aggs[a].nund + src->aggs[a].nund, sizeof(size_t)) < 0))
			return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	for (size_t i = 0; i < m; i++) {
		const char *id = src->ids[i];
		p->ids[base + i] = id ? rb_strndup(id, strlen(id)) : NULL;
		if (id && !p->ids[base + i]) {
			while (i--)
				rb_free(p->ids[base + i]);
			return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
		}
	}
	if (m) {
		/* src may be p itself: its arrays were moved by reserve, read them now */
		memcpy(p->verdicts + base * nr, src->verdicts, m * nr);
		memcpy(p->scores + base * ns, src->scores, m * ns * sizeof(rb_dec));
		memcpy(p->score_ok + base * ns, src->score_ok, m * ns);
		memcpy(p->classes + base * ns, src->classes, m * ns * sizeof(int16_t));
		copy_binary_scores(p, base, src);
		if (p->comp_stride) {
			memcpy(p->comp + base * p->comp_stride, src->comp,
			       m * p->comp_stride * sizeof(rb_dec));
			memcpy(p->comp_ok + base * p->comp_stride, src->comp_ok, m * p->comp_stride);
		}
	}
	copy_vetoes_and_consequences(p, base, src);
	fold_summary(p, src);
	for (uint32_t a = 0; a < rb->naggregates; a++) {
		agg_state s = src->aggs[a];
		merge_agg(&rb->aggregates[a], &p->aggs[a], &s, base);
	}
	p->n = base + m;
	rb_free(p->ranked);
	p->ranked = NULL;
	return RULEBOOK_OK;
}

/* ---- a population as bytes, to move it between processes ---- */

/* Layout (native byte order, checked on loading): magic, byte-order mark,
 * the rulebook's hash, as-of date, sizes, then every per-record array (the
 * vetoes and consequences included), the cut-offs, the consequence values
 * that depend on the date alone, the counts, the record ids and the
 * aggregate states (with their undecided records and what those missed). Decimals
 * are 12 bytes: coefficient then exponent; an aggregate's exact sums
 * (agg_sum) 5 bytes and the limbs from the first nonzero one to the last
 * (put_sum). Each
 * score is followed by its binary score: a flag byte (SC_BIN, and SC_DEFER
 * when the exact score is not computed yet), the score and its bound as
 * doubles. rulebook_population_save computes the exact scores not computed
 * yet for the copy; rulebook_population_save_deferred leaves them so (the
 * score saved is 0) and writes, after the binary scores, the inputs of each
 * record that has one: a form byte (KEPT_DOUBLES: one double an input, NaN
 * for missing; KEPT_VALUES: per input a state byte and, for a value, 12
 * bytes of decimal or 4 of boolean, date or enum index). Earlier forms
 * (RBPOP1 to RBPOP5, their sums in other forms) are refused by name. */
static const char POP_MAGIC[8] = {'R', 'B', 'P', 'O', 'P', '6', 0, 0};
#define KEPT_DOUBLES 1
#define KEPT_VALUES 2
#define POP_BOM UINT32_C(0x01020304)

static void put(rb_buf *b, const void *x, size_t n)
{
	rb_buf_append(b, (const char *)x, n);
}

static void put_u64(rb_buf *b, uint64_t v)
{
	put(b, &v, 8);
}

static void put_dec(rb_buf *b, rb_dec d)
{
	put(b, &d.coef, 8);
	put(b, &d.exp, 4);
}

/* The kept inputs of record i, which owes an exact score. */
static void put_kept(rb_buf *b, const rulebook_population *p, size_t i)
{
	const rulebook *rb = p->rb;
	size_t ni = rb->ninputs;
	uint8_t form = p->kept_dbl[i] ? KEPT_DOUBLES : KEPT_VALUES;
	put(b, &form, 1);
	if (form == KEPT_DOUBLES) {
		put(b, p->dsnap + i * ni, ni * sizeof(double));
		return;
	}
	for (size_t k = 0; k < ni; k++) {
		const rb_val *v = &p->snap[i * ni + k];
		uint8_t st = v->state == RB_V_OK ? RB_V_OK : RB_V_MISSING;
		put(b, &st, 1);
		if (st != RB_V_OK)
			continue;
		switch (rb->inputs[k].type) {
		case RB_T_BOOL:
			put(b, &v->u.b, 4);
			break;
		case RB_T_DATE:
			put(b, &v->u.date, 4);
			break;
		case RB_T_ENUM:
			put(b, &v->u.e, 4);
			break;
		default: /* numbers and integers: a record with text or lists keeps none */
			put_dec(b, v->u.d);
			break;
		}
	}
}

/* Whether scorecard k's score of record i waits for a population average:
 * reading classes (fill_averages) writes it in place. */
static bool stand_in(const rulebook_population *p, size_t i, size_t k)
{
	return p->rb->scorecards[k].has_average &&
	       p->classes[i * p->rb->nscorecards + k] == RB_CLASS_NEEDS_AVERAGE;
}

/* Whether figure fig of the `missing: average` figures (comp) is points
 * that fill_averages writes in place: those of an average component whose
 * ratio the record lacks, in a scorecard whose class waits for the average. */
static bool stand_in_points(const rulebook_population *p, size_t fig)
{
	const rulebook *rb = p->rb;
	size_t i = fig / p->comp_stride, at = fig % p->comp_stride, base = 0;
	for (uint32_t k = 0; k < rb->nscorecards; k++) {
		const rb_scorecard *sc = &rb->scorecards[k];
		if (!sc->has_average)
			continue;
		if (at < base + 3 * (size_t)sc->ncomponents) {
			size_t c = (at - base) / 3, f = i * p->comp_stride + base + 3 * c;
			return (at - base) % 3 == 1 && sc->components[c].average && !p->comp_ok[f] &&
			       stand_in(p, i, k);
		}
		base += 3 * (size_t)sc->ncomponents;
	}
	return false;
}

/* An exact sum (agg_sum): a flag byte (1 any, 2 over), the exponent (2
 * bytes), the first nonzero limb and the number of limbs from it to the
 * last nonzero one, then those limbs (8 bytes each). */
static void put_sum(rb_buf *b, const agg_sum *s)
{
	uint8_t head[5] = {(uint8_t)(s->any | s->over << 1), 0, 0, 0, 0};
	uint32_t lo = 0, hi = SUM_LIMBS;
	while (lo < SUM_LIMBS && s->limb[lo] == 0)
		lo++;
	while (hi > lo && s->limb[hi - 1] == 0)
		hi--;
	if (lo == SUM_LIMBS)
		lo = hi = 0;
	memcpy(head + 1, &s->exp, 2);
	head[3] = (uint8_t)lo;
	head[4] = (uint8_t)(hi - lo);
	put(b, head, 5);
	put(b, s->limb + lo, (hi - lo) * sizeof(int64_t));
}

/* Saved as added: the figures fill_averages writes in place when classes
 * are read are saved as they were before (zero, not ok), so that saving,
 * reading classes and saving again gives the same bytes; loading and
 * reading classes computes them again. */
static rulebook_status save(const rulebook_population *p, bool deferred, char **out, size_t *len)
{
	if (out)
		*out = NULL;
	if (len)
		*len = 0;
	if (!p || !out || !len)
		return RULEBOOK_ERR_INVALID;
	const rulebook *rb = p->rb;
	size_t n = p->n, nr = rb->nrules, ns = rb->nscorecards, ncut = cutoff_count(rb);
	rb_buf b;
	rb_buf_init(&b);
	uint32_t bom = POP_BOM;
	put(&b, POP_MAGIC, 8);
	put(&b, &bom, 4);
	put(&b, rb->hash, 64);
	put(&b, &p->as_of, 4);
	put_u64(&b, n);
	put_u64(&b, nr);
	put_u64(&b, ns);
	put_u64(&b, p->comp_stride);
	put_u64(&b, ncut);
	put_u64(&b, rb->naggregates);
	rulebook_facts *xf = NULL;
	rulebook_result *xr = NULL;
	rulebook_status kst = RULEBOOK_OK;
	if (n) {
		put(&b, p->verdicts, n * nr);
		/* exact scores not computed yet are computed for the copy, or
		 * left so (0) with the record's inputs; a score that waits for a
		 * population average is saved as it was added, whether or not
		 * classes were read since (stand_in) */
		for (size_t i = 0, last = SIZE_MAX; i < n * ns; i++) {
			if (deferred || !(p->sflag[i] & SC_DEFER)) {
				put_dec(&b, stand_in(p, i / ns, i % ns) ? RB_DEC_ZERO : p->scores[i]);
				continue;
			}
			if (last != i / ns && open_exact(rb, &xf, &xr) < 0) {
				b.failed = true;
				break;
			}
			if (last != i / ns && (kst = eval_kept(p, i / ns, xf, xr)) != RULEBOOK_OK) {
				b.failed = true; /* nothing more to write */
				break;
			}
			last = i / ns;
			const rb_val *v = rb_exact_score(xr, (uint32_t)(i % ns));
			put_dec(&b, v->state == RB_V_OK ? v->u.d : RB_DEC_ZERO);
		}
		/* and so are the binary scores, SC_DEFER only where left so */
		for (size_t i = 0; i < n * ns; i++) {
			uint8_t f = p->sflag[i] & (deferred ? SC_BIN | SC_DEFER : SC_BIN);
			put(&b, &f, 1);
			put(&b, &p->sx[i], sizeof(double));
			put(&b, &p->se[i], sizeof(double));
		}
		for (size_t i = 0; deferred && ns && i < n; i++)
			if (owes_exact(p, i))
				put_kept(&b, p, i);
		for (size_t i = 0; i < n * ns; i++) {
			uint8_t ok = stand_in(p, i / ns, i % ns) ? 0 : p->score_ok[i];
			put(&b, &ok, 1);
		}
		put(&b, p->classes, n * ns * sizeof(int16_t));
		for (size_t i = 0; i < n * p->comp_stride; i++)
			put_dec(&b, stand_in_points(p, i) ? RB_DEC_ZERO : p->comp[i]);
		for (size_t i = 0; i < n * p->comp_stride; i++) {
			uint8_t ok = stand_in_points(p, i) ? 0 : p->comp_ok[i];
			put(&b, &ok, 1);
		}
		put(&b, p->vetoes, n * ns * sizeof(int16_t));
		put(&b, p->cq, n * p->nq);
		for (size_t i = 0; p->cq_per_record && i < n * p->nq; i++)
			put_dec(&b, p->cq_val[i]);
	}
	for (size_t g = 0; g < p->nq; g++)
		put_dec(&b, p->cq_const[g]);
	put(&b, p->cq_const_ok, p->nq);
	for (size_t c = 0; c < ncut; c++)
		put_dec(&b, p->cutoffs[c]);
	put(&b, p->cutoff_ok, ncut);
	put(&b, p->counts, sizeof p->counts);
	for (size_t i = 0; i < n; i++) {
		uint32_t l = p->ids[i] ? (uint32_t)strlen(p->ids[i]) : UINT32_MAX;
		put(&b, &l, 4);
		if (p->ids[i])
			put(&b, p->ids[i], l);
	}
	for (uint32_t a = 0; a < rb->naggregates; a++) {
		const agg_state *s = &p->aggs[a];
		uint8_t e = s->error != 0;
		put_u64(&b, s->counted);
		put_u64(&b, s->undecided);
		put(&b, &e, 1);
		put_sum(&b, &s->sum);
		put_sum(&b, &s->sum_where);
		put_u64(&b, s->count_where);
		put_dec(&b, s->min);
		put_dec(&b, s->max);
		put_u64(&b, s->nrec);
		for (size_t j = 0; j < s->nrec; j++)
			put_u64(&b, s->records[j]);
		for (size_t j = 0; j < s->nund; j++)
			put_u64(&b, s->und[j]);
		put(&b, s->miss, rb->aggregates[a].ndeps);
	}
	rulebook_facts_free(xf);
	rulebook_result_free(xr);
	if (b.failed || kst != RULEBOOK_OK) {
		rb_buf_release(&b);
		return kst != RULEBOOK_OK ? kst : RULEBOOK_ERR_NOMEM;
	}
	char *copy = rb_malloc(b.len ? b.len : 1);
	if (!copy) {
		rb_buf_release(&b);
		return RULEBOOK_ERR_NOMEM;
	}
	memcpy(copy, b.data, b.len);
	*out = copy;
	*len = b.len;
	rb_buf_release(&b);
	return RULEBOOK_OK;
}

RULEBOOK_API rulebook_status rulebook_population_save(const rulebook_population *p, char **out,
						      size_t *len)
{
	return save(p, false, out, len);
}

RULEBOOK_API rulebook_status rulebook_population_save_deferred(const rulebook_population *p,
							       char **out, size_t *len)
{
	return save(p, true, out, len);
}

typedef struct reader {
	const unsigned char *p;
	size_t left;
	bool bad;
	/* the first kept input the facts would refuse (take_kept) */
	bool refused;
	size_t refused_rec, refused_in;
} reader;

static const void *take(reader *r, size_t n)
{
	if (r->bad || n > r->left) {
		r->bad = true;
		return NULL;
	}
	const void *at = r->p;
	r->p += n;
	r->left -= n;
	return at;
}

static uint64_t get_u64(reader *r)
{
	uint64_t v = 0;
	const void *at = take(r, 8);
	if (at)
		memcpy(&v, at, 8);
	return v;
}

static rb_dec get_dec(reader *r)
{
	rb_dec d = RB_DEC_ZERO;
	const unsigned char *at = take(r, 12);
	if (!at)
		return d;
	memcpy(&d.coef, at, 8);
	memcpy(&d.exp, at + 8, 4);
	if (d.coef <= -RB_DEC_COEF_LIMIT || d.coef >= RB_DEC_COEF_LIMIT || d.exp < RB_DEC_EXP_MIN ||
	    d.exp > RB_DEC_EXP_MAX)
		r->bad = true;
	return d;
}

static agg_sum get_sum(reader *r)
{
	agg_sum s = {.any = false};
	const unsigned char *head = take(r, 5);
	if (!head)
		return s;
	uint32_t lo = head[3], n = head[4];
	const void *at = head[0] <= 3 && lo + n <= SUM_LIMBS ? take(r, n * sizeof(int64_t)) : NULL;
	if (!at) {
		r->bad = true;
		return s;
	}
	s.any = head[0] & 1;
	s.over = head[0] >> 1;
	memcpy(&s.exp, head + 1, 2);
	memcpy(s.limb + lo, at, n * sizeof(int64_t));
	/* the span of nonzero limbs, exactly, so that equal sums are equal bytes */
	if (!sum_valid(&s) || (n && (s.limb[lo] == 0 || s.limb[lo + n - 1] == 0)) || (!n && lo)) {
		r->bad = true;
		return (agg_sum){.any = false};
	}
	return s;
}

/* Whether n items of size bytes each are left (without overflowing). */
static bool room(const reader *r, size_t n, size_t size)
{
	return !r->bad && (size == 0 || n <= r->left / size);
}

/* Input k of record i keeps a value the facts would refuse: damage. */
static void refuse_kept(reader *r, size_t i, size_t k)
{
	if (!r->refused) {
		r->refused = true;
		r->refused_rec = i;
		r->refused_in = k;
	}
	r->bad = true;
}

/* The kept inputs of record i (put_kept), which owes an exact score. */
static void take_kept(reader *r, rulebook_population *p, size_t i)
{
	const rulebook *rb = p->rb;
	size_t ni = rb->ninputs;
	const uint8_t *form = take(r, 1);
	if (!form || (*form != KEPT_DOUBLES && *form != KEPT_VALUES)) {
		r->bad = true;
		return;
	}
	p->kept_dbl[i] = *form == KEPT_DOUBLES;
	if (*form == KEPT_DOUBLES) {
		const void *at = room(r, ni, sizeof(double)) ? take(r, ni * sizeof(double)) : NULL;
		if (!at) {
			r->bad = true;
			return;
		}
		double *d = p->dsnap + i * ni;
		if (ni)
			memcpy(d, at, ni * sizeof(double));
		/* as a column's: NaN (missing), or what kept_double_ok takes */
		for (size_t k = 0; k < ni; k++)
			if (!isnan(d[k]) && !kept_double_ok(rb->inputs[k].type, d[k]))
				refuse_kept(r, i, k);
		return;
	}
	for (size_t k = 0; k < ni && !r->bad; k++) {
		const rb_input *in = &rb->inputs[k];
		rb_val *v = &p->snap[i * ni + k];
		const uint8_t *st = take(r, 1);
		*v = (rb_val){.state = RB_V_MISSING};
		if (!st || *st == RB_V_MISSING)
			continue;
		if (*st != RB_V_OK || in->type == RB_T_TEXT || in->type == RB_T_LIST) {
			r->bad = true;
			break;
		}
		v->state = RB_V_OK;
		if (in->type == RB_T_NUMBER || in->type == RB_T_INTEGER) {
			v->u.d = get_dec(r);
			if (!r->bad && in->type == RB_T_INTEGER && !rb_dec_is_integer(v->u.d))
				refuse_kept(r, i, k);
			continue;
		}
		int32_t x = 0;
		const void *at = take(r, 4);
		if (at)
			memcpy(&x, at, 4);
		if (!at)
			break;
		if (in->type == RB_T_BOOL) {
			v->u.b = x;
			if (x != 0 && x != 1)
				refuse_kept(r, i, k);
		} else if (in->type == RB_T_DATE) {
			v->u.date = x;
			if (!rb_date_valid(x))
				refuse_kept(r, i, k);
		} else if (in->type == RB_T_ENUM) {
			v->u.e = x;
			if (x < 0 || (uint32_t)x >= in->nvalues)
				refuse_kept(r, i, k);
		} else {
			r->bad = true;
		}
	}
}

RULEBOOK_API rulebook_status rulebook_population_load(const rulebook *rb, const char *data,
						      size_t len, rulebook_population **out,
						      rulebook_error *err)
{
	rulebook_error_clear(err);
	if (out)
		*out = NULL;
	if (!rb || !data || !out)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "a rulebook, data and an output pointer are required");
	reader r = {.p = (const unsigned char *)data, .left = len};
	const char *magic = take(&r, 8);
	uint32_t bom = 0;
	const void *at = take(&r, 4);
	if (at)
		memcpy(&bom, at, 4);
	if (magic && memcmp(magic, POP_MAGIC, 5) == 0 && magic[5] >= '1' && magic[5] < POP_MAGIC[5] &&
	    magic[6] == 0 && magic[7] == 0 && bom == POP_BOM)
		return rb_error_add(err, RULEBOOK_ERR_VALUE, (rb_pos){0}, NULL,
				    "the population was saved by an earlier version of the library "
				    "(RBPOP%c); save it again with this one",
				    magic[5]);
	if (!magic || memcmp(magic, POP_MAGIC, 8) != 0 || bom != POP_BOM)
		return rb_error_add(err, RULEBOOK_ERR_VALUE, (rb_pos){0}, NULL,
				    "not a saved population (or saved on a machine of another byte order)");
	const char *hash = take(&r, 64);
	if (!hash)
		return rb_error_add(err, RULEBOOK_ERR_VALUE, (rb_pos){0}, NULL,
				    "the saved population is truncated or damaged");
	if (memcmp(hash, rb->hash, 64) != 0)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "the population was saved for another rulebook (hash %.12s…, this "
				    "one is %.12s…)",
				    hash, rb->hash);
	int32_t as_of = 0;
	if ((at = take(&r, 4)))
		memcpy(&as_of, at, 4);
	uint64_t n = get_u64(&r), nr = get_u64(&r), ns = get_u64(&r), stride = get_u64(&r),
		 ncut = get_u64(&r), nagg = get_u64(&r);
	if (r.bad || !rb_date_valid(as_of))
		return rb_error_add(err, RULEBOOK_ERR_VALUE, (rb_pos){0}, NULL,
				    "the saved population is truncated or damaged");
	rulebook_population *p = rulebook_population_new(rb, as_of);
	if (!p)
		return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	if (nr != rb->nrules || ns != rb->nscorecards || stride != p->comp_stride ||
	    ncut != cutoff_count(rb) || nagg != rb->naggregates) {
		rulebook_population_free(p);
		return rb_error_add(err, RULEBOOK_ERR_VALUE, (rb_pos){0}, NULL,
				    "the saved population does not match the rulebook's rules, "
				    "scorecards or aggregates");
	}
	/* every record takes at least its verdicts and an id length: a count
	 * beyond what the bytes can hold is damage, not a reason to allocate */
	if (!room(&r, (size_t)n, (size_t)(nr + 4))) {
		rulebook_population_free(p);
		return rb_error_add(err, RULEBOOK_ERR_VALUE, (rb_pos){0}, NULL,
				    "the saved population is truncated or damaged");
	}
	if (reserve(p, (size_t)n ? (size_t)n : 1) < 0) {
		rulebook_population_free(p);
		return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	}
	size_t nn = (size_t)n;
	const uint8_t *v = take(&r, nn * nr);
	for (size_t i = 0; v && i < nn * nr; i++)
		if (v[i] < RULEBOOK_PASS || v[i] > RULEBOOK_ERROR)
			r.bad = true;
	if (v && nn * nr > 0)
		memcpy(p->verdicts, v, nn * nr);
	if (room(&r, nn * ns, 12))
		for (size_t i = 0; i < nn * ns; i++)
			p->scores[i] = get_dec(&r);
	else
		r.bad = true;
	if (room(&r, nn * ns, 1 + 2 * sizeof(double)))
		for (size_t i = 0; i < nn * ns; i++) {
			const uint8_t *f = take(&r, 1);
			const void *x = take(&r, sizeof(double)), *e = take(&r, sizeof(double));
			p->sflag[i] = f ? *f : 0;
			if (x && e) {
				memcpy(&p->sx[i], x, sizeof(double));
				memcpy(&p->se[i], e, sizeof(double));
			}
			/* SC_DEFER only beside SC_BIN, where a score may wait */
			bool defer = p->sflag[i] == (SC_BIN | SC_DEFER) && p->can_defer &&
				     !rb->scorecards[i % ns].has_average && p->scores[i].coef == 0;
			r.bad |= (p->sflag[i] > SC_BIN && !defer) ||
				 (p->sflag[i] && (!isfinite(p->sx[i]) || !(p->se[i] >= 0) || !isfinite(p->se[i])));
		}
	else
		r.bad = true;
	for (size_t i = 0; ns && !r.bad && i < nn; i++)
		if (owes_exact(p, i))
			take_kept(&r, p, i);
	const uint8_t *ok = take(&r, nn * ns);
	const void *cl = take(&r, nn * ns * sizeof(int16_t));
	if (ok && cl && nn * ns > 0) {
		memcpy(p->score_ok, ok, nn * ns);
		memcpy(p->classes, cl, nn * ns * sizeof(int16_t));
	}
	for (size_t i = 0; !r.bad && i < nn * ns; i++) {
		const rb_scorecard *sc = &rb->scorecards[i % ns];
		if (p->score_ok[i] > 1 || ((p->sflag[i] & SC_DEFER) && p->score_ok[i] != 1) || p->classes[i] < RB_CLASS_ERROR ||
		    p->classes[i] >= (int16_t)sc->nclasses ||
		    (p->classes[i] == RB_CLASS_NEEDS_AVERAGE && !sc->has_average))
			r.bad = true;
	}
	if (room(&r, nn * stride, 12))
		for (size_t i = 0; i < nn * stride; i++)
			p->comp[i] = get_dec(&r);
	else
		r.bad = true;
	if (stride) {
		const uint8_t *cok = take(&r, nn * stride);
		for (size_t i = 0; cok && i < nn * stride; i++)
			r.bad |= cok[i] > 1;
		if (cok && nn)
			memcpy(p->comp_ok, cok, nn * stride);
	}
	const void *vt = take(&r, nn * ns * sizeof(int16_t));
	if (vt && nn * ns > 0)
		memcpy(p->vetoes, vt, nn * ns * sizeof(int16_t));
	for (size_t i = 0; vt && i < nn * ns; i++)
		r.bad |= p->vetoes[i] < -1 || p->vetoes[i] >= (int16_t)rb->scorecards[i % ns].nvetoes;
	const uint8_t *cq = take(&r, nn * p->nq);
	for (size_t i = 0; cq && i < nn * p->nq; i++)
		r.bad |= cq[i] > (CQ_WHEN | CQ_VALUE);
	if (cq && nn * p->nq > 0)
		memcpy(p->cq, cq, nn * p->nq);
	if (p->cq_per_record) {
		if (room(&r, nn * p->nq, 12))
			for (size_t i = 0; i < nn * p->nq; i++)
				p->cq_val[i] = get_dec(&r);
		else
			r.bad = true;
	}
	for (size_t g = 0; g < p->nq; g++)
		p->cq_const[g] = get_dec(&r);
	const uint8_t *cqok = take(&r, p->nq);
	for (size_t g = 0; cqok && g < p->nq; g++) {
		r.bad |= cqok[g] > 1;
		p->cq_const_ok[g] = cqok[g];
	}
	for (size_t c = 0; c < ncut; c++)
		p->cutoffs[c] = get_dec(&r);
	const uint8_t *cutok = take(&r, ncut);
	for (size_t c = 0; cutok && c < ncut; c++) {
		r.bad |= cutok[c] > 1;
		p->cutoff_ok[c] = cutok[c];
	}
	if ((at = take(&r, sizeof p->counts)))
		memcpy(p->counts, at, sizeof p->counts);
	for (; !r.bad && p->n < nn; p->n++) {
		uint32_t l = 0;
		if ((at = take(&r, 4)))
			memcpy(&l, at, 4);
		p->ids[p->n] = NULL;
		if (r.bad || l == UINT32_MAX)
			continue;
		const char *s = take(&r, l);
		if (!s || !rb_valid_text(s, l)) {
			r.bad = true;
			break;
		}
		if (!(p->ids[p->n] = rb_strndup(s, l))) {
			rulebook_population_free(p);
			return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
		}
	}
	for (uint32_t a = 0; !r.bad && a < rb->naggregates; a++) {
		agg_state *s = &p->aggs[a];
		s->counted = (size_t)get_u64(&r);
		s->undecided = (size_t)get_u64(&r);
		const uint8_t *e = take(&r, 1);
		s->error = e && *e;
		s->sum = get_sum(&r);
		s->sum_where = get_sum(&r);
		s->count_where = (size_t)get_u64(&r);
		s->min = get_dec(&r);
		s->max = get_dec(&r);
		uint64_t nrec = get_u64(&r);
		if (r.bad || nrec > nn || nrec != s->counted || s->count_where > s->counted ||
		    !room(&r, (size_t)nrec, 8)) {
			r.bad = true;
			break;
		}
		if (nrec && rb_grow((void **)&s->records, &s->caprec, (size_t)nrec, sizeof(size_t)) < 0) {
			rulebook_population_free(p);
			return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
		}
		for (size_t j = 0; j < nrec; j++) {
			uint64_t rec = get_u64(&r);
			if (rec >= nn || (j && rec <= s->records[j - 1])) {
				r.bad = true;
				break;
			}
			s->records[s->nrec++] = (size_t)rec;
		}
		if (r.bad || s->undecided > nn || !room(&r, s->undecided, 8)) {
			r.bad = true;
			break;
		}
		if (s->undecided &&
		    rb_grow((void **)&s->und, &s->capund, s->undecided, sizeof(size_t)) < 0) {
			rulebook_population_free(p);
			return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
		}
		for (size_t j = 0; j < s->undecided; j++) {
			uint64_t rec = get_u64(&r);
			if (rec >= nn || (j && rec <= s->und[j - 1])) {
				r.bad = true;
				break;
			}
			s->und[s->nund++] = (size_t)rec;
		}
		const uint8_t *miss = take(&r, rb->aggregates[a].ndeps);
		for (uint32_t k = 0; miss && k < rb->aggregates[a].ndeps; k++) {
			r.bad |= miss[k] > 1;
			s->miss[k] = miss[k];
		}
	}
	if (r.refused) {
		const char *name = rb->inputs[r.refused_in].sym->name;
		rulebook_population_free(p);
		return rb_error_add(err, RULEBOOK_ERR_VALUE, (rb_pos){0}, name,
				    "the saved population is damaged: record %zu keeps a value input "
				    "'%s' does not take",
				    r.refused_rec, name);
	}
	if (r.bad || r.left) {
		rulebook_population_free(p);
		return rb_error_add(err, RULEBOOK_ERR_VALUE, (rb_pos){0}, NULL,
				    "the saved population is truncated or damaged");
	}
	*out = p;
	return RULEBOOK_OK;
}
