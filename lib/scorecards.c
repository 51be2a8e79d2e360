/* Scorecards (亩均效益综合评价): the weighted score is computed by the
 * compiled program; here the class is decided — out of scope, a veto
 * (一票否决), or the first class whose cut-off the score reaches — and the
 * consequences of the class are read. */
#include "attributes.h"
#include "result.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first component whose figures make no score, as index × 8 +
 * rb_comp_fault, read from the exact values; 0 when none does. */
static uint32_t find_fault(const rb_scorecard *sc, const rb_val *s)
{
	for (uint32_t k = 0; k < sc->ncomponents; k++) {
		const rb_component *c = &sc->components[k];
		const rb_val *b = c->bench >= 0 ? &s[c->bench] : NULL;
		const rb_val *w = &s[c->weight];
		const rb_val *lo = c->floor >= 0 ? &s[c->floor] : NULL;
		const rb_val *hi = c->cap >= 0 ? &s[c->cap] : NULL;
		const rb_val *smin = c->smin >= 0 ? &s[c->smin] : NULL;
		const rb_val *smax = c->smax >= 0 ? &s[c->smax] : NULL;
		if (b && b->state == RB_V_OK && rb_dec_sign(b->u.d) <= 0)
			return k * 8 + RB_FAULT_BENCHMARK;
		if (w->state == RB_V_OK && rb_dec_sign(w->u.d) < 0)
			return k * 8 + RB_FAULT_WEIGHT;
		if (lo && hi && lo->state == RB_V_OK && hi->state == RB_V_OK &&
		    rb_dec_cmp(hi->u.d, lo->u.d) < 0)
			return k * 8 + RB_FAULT_CAP;
		if (smin && smax && smin->state == RB_V_OK && smax->state == RB_V_OK &&
		    rb_dec_cmp(smax->u.d, smin->u.d) <= 0)
			return k * 8 + RB_FAULT_SCALE;
	}
	return 0;
}

static int16_t decide(const rb_scorecard *sc, const rb_val *s, int16_t *veto, bool *fault)
{
	*veto = -1;
	*fault = false;
	if (sc->scope >= 0) {
		const rb_val *v = &s[sc->scope];
		if (v->state != RB_V_OK)
			return RB_CLASS_UNKNOWN;
		if (!v->u.b)
			return RB_CLASS_NOT_RATED;
	}
	/* The first veto that holds decides, unless an earlier one is missing
	 * and would force another class. */
	bool undecided = false;
	for (uint32_t k = 0; k < sc->nvetoes; k++) {
		const rb_val *v = &s[sc->vetoes[k].when];
		if (v->state == RB_V_OK && v->u.b) {
			for (uint32_t j = 0; j < k; j++)
				if (s[sc->vetoes[j].when].state != RB_V_OK &&
				    sc->vetoes[j].cls != sc->vetoes[k].cls)
					return RB_CLASS_UNKNOWN;
			*veto = (int16_t)k;
			return (int16_t)sc->vetoes[k].cls;
		}
		if (v->state != RB_V_OK)
			undecided = true;
	}
	/* Figures that make no score on this date (a parameter): an error,
	 * whatever the score came to. */
	if (sc->sane >= 0 && s[sc->sane].state == RB_V_OK && !s[sc->sane].u.b) {
		*fault = true;
		return RB_CLASS_ERROR;
	}
	const rb_val *score = &s[sc->score];
	if (!undecided && score->state != RB_V_OK && sc->has_average) {
		/* missing only where the population's average stands in */
		bool only_average = true;
		for (uint32_t k = 0; only_average && k < sc->ncomponents; k++) {
			const rb_component *c = &sc->components[k];
			if (s[c->points].state == RB_V_OK || (c->average && s[c->ratio].state == RB_V_MISSING &&
							      s[c->weight].state == RB_V_OK))
				continue;
			only_average = false;
		}
		if (only_average)
			return RB_CLASS_NEEDS_AVERAGE;
	}
	if (undecided || score->state != RB_V_OK || !sc->ncomponents)
		return RB_CLASS_UNKNOWN;
	/* classes by rank are decided over a population (population.c) */
	if (sc->by_rank)
		return RB_CLASS_BY_RANK;
	for (uint32_t k = 0; k < sc->nclasses; k++) {
		if (!sc->classes[k].has_min)
			return (int16_t)k;
		/* score >= min, computed by the program (a missing cut-off leaves it missing) */
		const rb_val *reached = &s[sc->classes[k].reached];
		if (reached->state != RB_V_OK)
			return RB_CLASS_UNKNOWN;
		if (reached->u.b)
			return (int16_t)k;
	}
	return RB_CLASS_UNKNOWN;
}

void rb_eval_scorecards(const rulebook *rb, rulebook_result *res, const rb_val *slots)
{
	for (uint32_t i = 0; i < rb->nscorecards; i++) {
		bool fault = false;
		if (res->book_in_force) { /* the rulebook's window, for res->as_of */
			res->sc_class[i] = decide(&rb->scorecards[i], slots, &res->sc_veto[i], &fault);
		} else {
			res->sc_class[i] = RB_CLASS_NOT_IN_FORCE;
			res->sc_veto[i] = -1;
		}
		/* which figure, from the exact values (rare: only on a fault) */
		res->sc_fault[i] = fault ? find_fault(&rb->scorecards[i], rb_exact(res)) : 0;
	}
}

RULEBOOK_API size_t rulebook_scorecard_count(const rulebook *rb)
{
	return rb ? rb->nscorecards : 0;
}

static const rb_scorecard *sc_at(const rulebook *rb, size_t i)
{
	return rb && i < rb->nscorecards ? &rb->scorecards[i] : NULL;
}

RULEBOOK_API const char *rulebook_scorecard_id(const rulebook *rb, size_t i)
{
	const rb_scorecard *sc = sc_at(rb, i);
	return sc ? sc->id : NULL;
}

RULEBOOK_API size_t rulebook_scorecard_component_count(const rulebook *rb, size_t i)
{
	const rb_scorecard *sc = sc_at(rb, i);
	return sc ? sc->ncomponents : 0;
}

RULEBOOK_API const char *rulebook_scorecard_component_id(const rulebook *rb, size_t i, size_t k)
{
	const rb_scorecard *sc = sc_at(rb, i);
	return sc && k < sc->ncomponents ? sc->components[k].id : NULL;
}

RULEBOOK_API size_t rulebook_scorecard_class_count(const rulebook *rb, size_t i)
{
	const rb_scorecard *sc = sc_at(rb, i);
	return sc ? sc->nclasses : 0;
}

RULEBOOK_API const char *rulebook_scorecard_class_id(const rulebook *rb, size_t i, size_t k)
{
	const rb_scorecard *sc = sc_at(rb, i);
	return sc && k < sc->nclasses ? sc->classes[k].id : NULL;
}

static const rb_consequence *declared_consequence(const rulebook *rb, size_t i, size_t j)
{
	const rb_scorecard *sc = sc_at(rb, i);
	return sc && j < sc->nconsequences ? &sc->consequences[j] : NULL;
}

RULEBOOK_API size_t rulebook_scorecard_consequence_count(const rulebook *rb, size_t i)
{
	const rb_scorecard *sc = sc_at(rb, i);
	return sc ? sc->nconsequences : 0;
}

RULEBOOK_API const char *rulebook_scorecard_consequence_id(const rulebook *rb, size_t i, size_t j)
{
	const rb_consequence *q = declared_consequence(rb, i, j);
	return q ? q->id : NULL;
}

RULEBOOK_API const char *rulebook_scorecard_consequence_class(const rulebook *rb, size_t i,
							      size_t j)
{
	const rb_consequence *q = declared_consequence(rb, i, j);
	return q ? rulebook_scorecard_class_id(rb, i, q->cls) : NULL;
}

RULEBOOK_API const char *rulebook_scorecard_consequence_unit(const rulebook *rb, size_t i,
							     size_t j)
{
	const rb_consequence *q = declared_consequence(rb, i, j);
	return q ? (q->unit_text ? q->unit_text : "") : NULL;
}

RULEBOOK_API const char *rulebook_scorecard_consequence_cite(const rulebook *rb, size_t i,
							     size_t j)
{
	const rb_consequence *q = declared_consequence(rb, i, j);
	return q && q->cite && q->cite[0] ? q->cite : NULL;
}

static const rb_scorecard *evaluated_sc(const rulebook_result *res, size_t i)
{
	return res && res->as_of ? sc_at(res->rb, i) : NULL;
}

RULEBOOK_API const char *rulebook_result_class(const rulebook_result *res, size_t i)
{
	if (!res || i >= res->nclasses)
		return NULL;
	int16_t c = res->sc_class[i];
	if (c >= 0)
		return res->rb->scorecards[i].classes[c].id;
	return c == RB_CLASS_NOT_RATED	  ? "not_rated"
	       : c == RB_CLASS_NOT_IN_FORCE ? "not_in_force"
	       : c == RB_CLASS_ERROR	    ? "error"
					    : NULL;
}

const char *rb_class_error_text(rulebook_result *res, size_t i, uint32_t fault)
{
	const rb_scorecard *sc = &res->rb->scorecards[i];
	const rb_component *c = &sc->components[fault / 8];
	const rb_val *s = rb_exact(res);
	char a[RB_DEC_BUFSIZE], b[RB_DEC_BUFSIZE], buf[3 * RB_DEC_BUFSIZE + 256];
	switch ((rb_comp_fault)(fault % 8)) {
	case RB_FAULT_BENCHMARK:
		rb_dec_format(s[c->bench].u.d, a, sizeof a);
		snprintf(buf, sizeof buf,
			 "the benchmark of component '%s' is %s on this date: a benchmark must be above 0",
			 c->id, a);
		break;
	case RB_FAULT_WEIGHT:
		rb_dec_format(s[c->weight].u.d, a, sizeof a);
		snprintf(buf, sizeof buf,
			 "the weight of component '%s' is %s on this date: weights are 0 or more",
			 c->id, a);
		break;
	case RB_FAULT_CAP:
		rb_dec_format(s[c->cap].u.d, a, sizeof a);
		rb_dec_format(s[c->floor].u.d, b, sizeof b);
		snprintf(buf, sizeof buf,
			 "the cap of component '%s' (%s) is below its floor (%s) on this date", c->id, a,
			 b);
		break;
	case RB_FAULT_SCALE:
		rb_dec_format(s[c->smax].u.d, a, sizeof a);
		rb_dec_format(s[c->smin].u.d, b, sizeof b);
		snprintf(buf, sizeof buf,
			 "the scale of component '%s' has max %s, not above min %s, on this date",
			 c->id, a, b);
		break;
	default:
		return NULL;
	}
	return rb_result_strdup(res, buf, strlen(buf));
}

RULEBOOK_API const char *rulebook_result_class_error(rulebook_result *res, size_t i)
{
	const rb_scorecard *sc = evaluated_sc(res, i);
	if (!sc || res->sc_class[i] != RB_CLASS_ERROR)
		return NULL;
	return rb_class_error_text(res, i, res->sc_fault[i]);
}

/* ---- what an undecided class misses ---- */

/* The parts of a scorecard that decide a class, in the order decide()
 * reads them: the scope, each veto, each component's points, each
 * cut-off. Part p's slot and what it uses; false past the last. */
static bool class_part(const rb_scorecard *sc, uint32_t p, int64_t *slot, const rb_deps **deps,
		       const char **kind, const char **id)
{
	if (p == 0) {
		*slot = sc->scope;
		*deps = &sc->scope_deps;
		*kind = "scope";
		*id = NULL;
		return true;
	}
	p--;
	if (p < sc->nvetoes) {
		*slot = sc->vetoes[p].when;
		*deps = &sc->vetoes[p].deps;
		*kind = "veto";
		*id = sc->vetoes[p].id;
		return true;
	}
	p -= sc->nvetoes;
	if (p < sc->ncomponents) {
		*slot = sc->components[p].points;
		*deps = &sc->components[p].deps;
		*kind = "component";
		*id = sc->components[p].id;
		return true;
	}
	p -= sc->ncomponents;
	if (p < sc->nclasses) {
		*slot = sc->classes[p].has_min ? (int64_t)sc->classes[p].min : -1;
		*deps = &sc->classes[p].deps;
		*kind = "class";
		*id = sc->classes[p].id;
		return true;
	}
	return false;
}

/* Entry j of what the class of scorecard i misses: the name, and the part
 * that needs it ("scope", "veto:ID", "component:ID" or "class:ID" for a
 * cut-off). Returns the count. */
static size_t class_missing(rulebook_result *res, size_t i, size_t j, const char **name,
			    const char **part)
{
	const rb_scorecard *sc = evaluated_sc(res, i);
	if (!sc || (res->sc_class[i] != RB_CLASS_UNKNOWN && res->sc_class[i] != RB_CLASS_NEEDS_AVERAGE))
		return 0;
	const rb_val *s = rb_exact(res);
	size_t count = 0;
	int64_t slot;
	const rb_deps *deps;
	const char *kind, *id;
	for (uint32_t p = 0; class_part(sc, p, &slot, &deps, &kind, &id); p++) {
		if (slot < 0 || s[slot].state != RB_V_MISSING)
			continue;
		size_t n = rb_missing_in(res, deps->d, deps->n, 0, NULL);
		if (name && j >= count && j < count + n) {
			rb_missing_in(res, deps->d, deps->n, j - count, name);
			if (part && !id) {
				*part = kind;
			} else if (part) {
				char buf[256];
				int len = snprintf(buf, sizeof buf, "%s:%s", kind, id);
				if (len < 0)
					len = 0;
				if ((size_t)len >= sizeof buf)
					len = (int)sizeof buf - 1;
				*part = rb_result_strdup(res, buf, (size_t)len);
			}
			return count + n;
		}
		count += n;
	}
	return count;
}

RULEBOOK_API size_t rulebook_result_class_missing_count(rulebook_result *res, size_t scorecard)
{
	return class_missing(res, scorecard, 0, NULL, NULL);
}

RULEBOOK_API const char *rulebook_result_class_missing(rulebook_result *res, size_t scorecard,
						       size_t j)
{
	const char *name = NULL;
	class_missing(res, scorecard, j, &name, NULL);
	return name;
}

RULEBOOK_API const char *rulebook_result_class_missing_part(rulebook_result *res,
							    size_t scorecard, size_t j)
{
	const char *name = NULL, *part = NULL;
	class_missing(res, scorecard, j, &name, &part);
	return part;
}

RULEBOOK_API const char *rulebook_result_veto(const rulebook_result *res, size_t i)
{
	const rb_scorecard *sc = evaluated_sc(res, i);
	return sc && res->sc_veto[i] >= 0 ? sc->vetoes[res->sc_veto[i]].id : NULL;
}

static const char *dec_text(rulebook_result *res, const rb_val *v)
{
	if (v->state != RB_V_OK)
		return NULL;
	char buf[RB_DEC_BUFSIZE];
	rb_dec_format(v->u.d, buf, sizeof buf);
	return rb_result_strdup(res, buf, strlen(buf));
}

RULEBOOK_API const char *rulebook_result_score(rulebook_result *res, size_t i)
{
	const rb_scorecard *sc = evaluated_sc(res, i);
	if (!sc || res->sc_class[i] == RB_CLASS_NOT_RATED || res->sc_class[i] == RB_CLASS_NOT_IN_FORCE)
		return NULL;
	return dec_text(res, rb_exact_score(res, (uint32_t)i));
}

/* Its digits and exponent with no radix character, so that the locale
 * does not matter; strtod rounds correctly. */
double rb_dec_nearest_double(rb_dec d)
{
	char buf[48];
	snprintf(buf, sizeof buf, "%lldE%ld", (long long)d.coef, (long)d.exp);
	int saved = errno;
	double x = strtod(buf, NULL);
	errno = saved;
	return x;
}

/* The score from the exact decimals: the nearest double. */
static RB_NOINLINE rulebook_status exact_score_double(rulebook_result *res,
								      size_t i, double *out)
{
	const rb_val *v = rb_exact_score(res, (uint32_t)i);
	if (v->state != RB_V_OK)
		return RULEBOOK_ERR_NOT_FOUND;
	*out = rb_dec_nearest_double(v->u.d);
	return RULEBOOK_OK;
}

RULEBOOK_API rulebook_status rulebook_result_score_double(rulebook_result *res, size_t i,
							  double *out)
{
	if (out)
		*out = NAN;
	if (!res || i >= res->nclasses || !out)
		return RULEBOOK_ERR_INVALID;
	int16_t c = res->sc_class[i];
	if (c == RB_CLASS_NOT_RATED || c == RB_CLASS_NOT_IN_FORCE)
		return RULEBOOK_ERR_NOT_FOUND;
	/* the binary run's score, when its bound is well inside a double's
	 * rounding of the exact score (else the exact decimal decides) */
	if (res->decided_fast && !res->exact) {
		uint32_t slot = res->rb->scorecards[i].score;
		if (res->rb->fast_valid && res->rb->fast_valid[slot]) {
			const rb_val *f = &res->fslots[slot];
			if (f->state != RB_V_OK)
				return RULEBOOK_ERR_NOT_FOUND;
			double x = f->u.f.x;
			if (isfinite(x) && f->u.f.e <= fabs(x) * RB_SCORE_DOUBLE_SLACK) {
				*out = x + 0.0; /* -0 becomes 0 */
				return RULEBOOK_OK;
			}
		}
	}
	return exact_score_double(res, i, out);
}

RULEBOOK_API const char *rulebook_result_component(rulebook_result *res, size_t i, size_t k,
						   rulebook_component_field field)
{
	const rb_scorecard *sc = evaluated_sc(res, i);
	if (!sc || k >= sc->ncomponents)
		return NULL;
	const rb_component *c = &sc->components[k];
	uint32_t slot;
	switch (field) {
	case RULEBOOK_COMPONENT_VALUE: slot = c->value; break;
	case RULEBOOK_COMPONENT_RATIO: slot = c->ratio; break;
	case RULEBOOK_COMPONENT_WEIGHT: slot = c->weight; break;
	case RULEBOOK_COMPONENT_POINTS: slot = c->points; break;
	default: return NULL;
	}
	return dec_text(res, rb_exact_at(res, slot));
}

/* Consequence j among those that apply to the record's class. */
static const rb_consequence *consequence(const rulebook_result *res, size_t i, size_t j, size_t *count)
{
	const rb_scorecard *sc = evaluated_sc(res, i);
	*count = 0;
	if (!sc || res->sc_class[i] < 0)
		return NULL;
	const rb_consequence *hit = NULL;
	for (uint32_t k = 0; k < sc->nconsequences; k++) {
		const rb_consequence *q = &sc->consequences[k];
		if (q->cls != (uint32_t)res->sc_class[i])
			continue;
		if (q->when >= 0 && !(rb_exact_at(res, q->when)->state == RB_V_OK && rb_exact_at(res, q->when)->u.b))
			continue;
		if (*count == j)
			hit = q;
		(*count)++;
	}
	return hit;
}

RULEBOOK_API size_t rulebook_result_consequence_count(const rulebook_result *res, size_t i)
{
	size_t n;
	consequence(res, i, SIZE_MAX, &n);
	return n;
}

RULEBOOK_API const char *rulebook_result_consequence_name(const rulebook_result *res, size_t i,
							  size_t j)
{
	size_t n;
	const rb_consequence *q = consequence(res, i, j, &n);
	return q ? q->id : NULL;
}

RULEBOOK_API const char *rulebook_result_consequence_unit(const rulebook_result *res, size_t i,
							  size_t j)
{
	size_t n;
	const rb_consequence *q = consequence(res, i, j, &n);
	return q ? q->unit_text : NULL;
}

RULEBOOK_API const char *rulebook_result_consequence_value(rulebook_result *res, size_t i, size_t j)
{
	size_t n;
	const rb_consequence *q = consequence(res, i, j, &n);
	return q ? dec_text(res, rb_exact_at(res, q->value)) : NULL;
}

RULEBOOK_API size_t rulebook_result_consequence_index(const rulebook_result *res, size_t i,
						      size_t j)
{
	size_t n;
	const rb_consequence *q = consequence(res, i, j, &n);
	return q ? (size_t)(q - evaluated_sc(res, i)->consequences) : SIZE_MAX;
}

const rb_consequence *rb_result_consequence(const rulebook_result *res, size_t i, size_t j)
{
	size_t n;
	return consequence(res, i, j, &n);
}
