/* A rulebook's own test cases (`tests:`) as data: their facts, as-of dates
 * and expectations with positions, for programs that run them their own
 * way (the boundary tests of the command-line tool, an editor). */
#include "result.h"

#include <string.h>

static const rb_m_test *test_at(const rulebook *rb, size_t i)
{
	return rb && rb->model && i < rb->model->ntests ? &rb->model->tests[i] : NULL;
}

RULEBOOK_API size_t rulebook_test_count(const rulebook *rb)
{
	return rb && rb->model ? rb->model->ntests : 0;
}

RULEBOOK_API const char *rulebook_test_name(const rulebook *rb, size_t i)
{
	const rb_m_test *t = test_at(rb, i);
	return t ? t->name.s : NULL;
}

RULEBOOK_API int32_t rulebook_test_as_of(const rulebook *rb, size_t i)
{
	const rb_m_test *t = test_at(rb, i);
	return t ? t->as_of : 0;
}

RULEBOOK_API uint32_t rulebook_test_line(const rulebook *rb, size_t i)
{
	const rb_m_test *t = test_at(rb, i);
	return t ? t->name.pos.line : 0;
}

RULEBOOK_API uint32_t rulebook_test_column(const rulebook *rb, size_t i)
{
	const rb_m_test *t = test_at(rb, i);
	return t ? t->name.pos.col : 0;
}

RULEBOOK_API int rulebook_test_is_population(const rulebook *rb, size_t i)
{
	const rb_m_test *t = test_at(rb, i);
	return t ? t->nrecords > 0 : -1;
}

RULEBOOK_API size_t rulebook_test_record_count(const rulebook *rb, size_t i)
{
	const rb_m_test *t = test_at(rb, i);
	return !t ? 0 : t->nrecords ? t->nrecords : 1;
}

static const rb_m_fact *fact_at(const rulebook *rb, size_t i, size_t r, size_t j)
{
	const rb_m_test *t = test_at(rb, i);
	if (!t)
		return NULL;
	if (t->nrecords)
		return r < t->nrecords && j < t->nrecord_facts[r] ? &t->records[r][j] : NULL;
	return r == 0 && j < t->nfacts ? &t->facts[j] : NULL;
}

RULEBOOK_API size_t rulebook_test_fact_count(const rulebook *rb, size_t i, size_t r)
{
	const rb_m_test *t = test_at(rb, i);
	if (!t)
		return 0;
	if (t->nrecords)
		return r < t->nrecords ? t->nrecord_facts[r] : 0;
	return r == 0 ? t->nfacts : 0;
}

RULEBOOK_API const char *rulebook_test_fact_name(const rulebook *rb, size_t i, size_t r, size_t j)
{
	const rb_m_fact *f = fact_at(rb, i, r, j);
	return f ? f->name.s : NULL;
}

/* A plain null (or an empty plain scalar) marks the fact missing. */
static bool fact_missing(const rb_m_fact *f)
{
	const rb_node *v = f->value;
	return v->style == RB_SCALAR_PLAIN && (v->len == 0 || strcmp(v->text, "null") == 0);
}

RULEBOOK_API const char *rulebook_test_fact_value(const rulebook *rb, size_t i, size_t r,
						  size_t j)
{
	const rb_m_fact *f = fact_at(rb, i, r, j);
	return f && !fact_missing(f) ? f->value->text : NULL;
}

RULEBOOK_API uint32_t rulebook_test_fact_line(const rulebook *rb, size_t i, size_t r, size_t j)
{
	const rb_m_fact *f = fact_at(rb, i, r, j);
	return f ? f->name.pos.line : 0;
}

RULEBOOK_API uint32_t rulebook_test_fact_column(const rulebook *rb, size_t i, size_t r, size_t j)
{
	const rb_m_fact *f = fact_at(rb, i, r, j);
	return f ? f->name.pos.col : 0;
}

/* Expectation j of case t in the order of rulebook_expect_kind, and its
 * kind. */
static const rb_m_expect *expect_at(const rulebook *rb, size_t i, size_t j,
				    rulebook_expect_kind *kind)
{
	const rb_m_test *t = test_at(rb, i);
	if (!t)
		return NULL;
	const rb_m_expect *lists[] = {t->verdicts, t->values,  t->obligations, t->targets,
				      t->classes,  t->scores,  t->aggregates,  t->aggregate_values};
	const size_t counts[] = {t->nverdicts, t->nvalues, t->nobligations, t->ntargets,
				 t->nclasses,  t->nscores, t->naggregates,  t->naggregate_values};
	for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
		if (j < counts[k]) {
			if (kind)
				*kind = (rulebook_expect_kind)k;
			return &lists[k][j];
		}
		j -= counts[k];
	}
	return NULL;
}

RULEBOOK_API size_t rulebook_test_expect_count(const rulebook *rb, size_t i)
{
	const rb_m_test *t = test_at(rb, i);
	return t ? t->nverdicts + t->nvalues + t->nobligations + t->ntargets + t->nclasses +
			   t->nscores + t->naggregates + t->naggregate_values
		 : 0;
}

RULEBOOK_API int rulebook_test_expect_kind(const rulebook *rb, size_t i, size_t j)
{
	rulebook_expect_kind kind;
	return expect_at(rb, i, j, &kind) ? (int)kind : -1;
}

RULEBOOK_API const char *rulebook_test_expect_name(const rulebook *rb, size_t i, size_t j)
{
	const rb_m_expect *e = expect_at(rb, i, j, NULL);
	return e ? e->name.s : NULL;
}

RULEBOOK_API const char *rulebook_test_expect_value(const rulebook *rb, size_t i, size_t j)
{
	const rb_m_expect *e = expect_at(rb, i, j, NULL);
	return e ? e->value.s : NULL;
}

RULEBOOK_API int32_t rulebook_test_expect_places(const rulebook *rb, size_t i, size_t j)
{
	const rb_m_expect *e = expect_at(rb, i, j, NULL);
	return e ? e->places : -1;
}

RULEBOOK_API uint32_t rulebook_test_expect_line(const rulebook *rb, size_t i, size_t j)
{
	const rb_m_expect *e = expect_at(rb, i, j, NULL);
	return e ? e->value.pos.line : 0;
}

RULEBOOK_API uint32_t rulebook_test_expect_column(const rulebook *rb, size_t i, size_t j)
{
	const rb_m_expect *e = expect_at(rb, i, j, NULL);
	return e ? e->value.pos.col : 0;
}
