/* Populations in SQL.
 *
 * rulebook.population(rulebook_id, facts, as_of) is an aggregate: each row
 * is added to a rulebook_population, and the final value is the library's
 * population JSON (verdict counts, aggregates with the records counted,
 * records per class). rulebook.population_class(rulebook_id, facts, as_of,
 * scorecard) is a window function: the rows of the window partition make
 * one population, and each row gets its class in it (classes by rank are
 * decided over the whole partition, as the library decides them).
 *
 * The population is allocated by the library; a memory context callback
 * frees it with the aggregate's or the partition's memory. */
#include "rulebook_pg.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "windowapi.h"

#include <string.h>

typedef struct pop_state {
	rbpg_rulebook *r;
	rulebook_population *pop;
	int32 as_of;
	MemoryContextCallback cb;
} pop_state;

static void pop_free(void *arg)
{
	pop_state *s = arg;
	rulebook_population_free(s->pop);
	s->pop = NULL;
	rbpg_unref(s->r);
	s->r = NULL;
}

static pop_state *pop_new(MemoryContext mcxt, rbpg_rulebook *r, int32 as_of)
{
	pop_state *s = MemoryContextAllocZero(mcxt, sizeof(*s));
	s->r = r;
	s->as_of = as_of;
	s->pop = rulebook_population_new(r->rb, as_of);
	if (!s->pop)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	/* the population keeps the compiled rulebook it was made with, even
	 * if a reload in the same statement replaces it in the cache */
	rbpg_ref(r);
	s->cb.func = pop_free;
	s->cb.arg = s;
	MemoryContextRegisterResetCallback(mcxt, &s->cb);
	return s;
}

static void pop_add(pop_state *s)
{
	rulebook_status st = rulebook_population_add(s->pop, s->r->facts, s->r->err);
	if (st != RULEBOOK_OK) {
		char what[256];
		snprintf(what, sizeof what, "rulebook %s: population", s->r->id);
		rbpg_raise(what, st, s->r->err);
	}
}

/* Where the aggregate's transition function keeps what it reuses. */
typedef struct agg_extra {
	FmgrInfo check;
	void *bind;
} agg_extra;

PG_FUNCTION_INFO_V1(rulebook_pg_population_add);

/* (state internal, rulebook_id text, facts jsonb|record, as_of date) */
Datum rulebook_pg_population_add(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "rulebook.population called outside an aggregate");
	pop_state *s = PG_ARGISNULL(0) ? NULL : (pop_state *)PG_GETARG_POINTER(0);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(3))
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				errmsg("rulebook.population: the rulebook id and the as-of date must not be NULL")));
	agg_extra *x = fcinfo->flinfo->fn_extra;
	if (!x) {
		x = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(*x));
		x->check.fn_mcxt = fcinfo->flinfo->fn_mcxt;
		fcinfo->flinfo->fn_extra = x;
	}
	text *id = PG_GETARG_TEXT_PP(1);
	rbpg_rulebook *r = rbpg_get(&x->check, id);
	int32 as_of = rbpg_date(PG_GETARG_DATUM(3));
	if (!s)
		s = pop_new(aggcxt, r, as_of);
	else if (s->r != r && strcmp(s->r->id, r->id) == 0)
		ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				errmsg("rulebook %s was reloaded during the query", r->id)));
	else if (s->r != r || s->as_of != as_of)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("rulebook.population: every row of one population must name the same rulebook and as-of date")));
	if (PG_ARGISNULL(2)) /* a NULL record is no record */
		PG_RETURN_POINTER(s);
	rbpg_set_facts(r, get_fn_expr_argtype(fcinfo->flinfo, 2), PG_GETARG_DATUM(2), &x->bind,
		       fcinfo->flinfo->fn_mcxt);
	pop_add(s);
	PG_RETURN_POINTER(s);
}

static Datum jsonb_of(const char *json)
{
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(json));
}

PG_FUNCTION_INFO_V1(rulebook_pg_population_json);

Datum rulebook_pg_population_json(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL(); /* no rows */
	pop_state *s = (pop_state *)PG_GETARG_POINTER(0);
	if (!s->pop)
		PG_RETURN_NULL();
	const char *json;
	size_t len;
	rulebook_status st = rulebook_population_json(s->pop, rbpg_out_flags(), &json, &len);
	if (st != RULEBOOK_OK)
		rbpg_raise("rulebook.population", st, NULL);
	PG_RETURN_DATUM(jsonb_of(json));
}

/* ---- the window function ---- */

typedef struct win_state {
	pop_state *p;
	size_t scorecard;
	bool built;
} win_state;

PG_FUNCTION_INFO_V1(rulebook_pg_population_class);

/* (rulebook_id text, facts jsonb|record, as_of date, scorecard text) */
Datum rulebook_pg_population_class(PG_FUNCTION_ARGS)
{
	WindowObject win = PG_WINDOW_OBJECT();
	win_state *w = WinGetPartitionLocalMemory(win, sizeof(win_state));
	if (!w->built) {
		bool isnull;
		Datum id = WinGetFuncArgCurrent(win, 0, &isnull);
		if (isnull)
			PG_RETURN_NULL();
		agg_extra *x = fcinfo->flinfo->fn_extra;
		if (!x) {
			x = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(*x));
			x->check.fn_mcxt = fcinfo->flinfo->fn_mcxt;
			fcinfo->flinfo->fn_extra = x;
		}
		rbpg_rulebook *r = rbpg_get(&x->check, DatumGetTextPP(id));
		Datum d = WinGetFuncArgCurrent(win, 2, &isnull);
		if (isnull)
			PG_RETURN_NULL();
		int32 as_of = rbpg_date(d);
		Datum sc = WinGetFuncArgCurrent(win, 3, &isnull);
		if (isnull)
			PG_RETURN_NULL();
		char *scorecard = TextDatumGetCString(sc);
		size_t k, n = rulebook_scorecard_count(r->rb);
		for (k = 0; k < n; k++)
			if (strcmp(rulebook_scorecard_id(r->rb, k), scorecard) == 0)
				break;
		if (k == n)
			ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT),
					errmsg("rulebook %s has no scorecard '%s'", r->id, scorecard)));
		w->scorecard = k;
		w->p = pop_new(GetMemoryChunkContext(w), r, as_of);
		Oid type = get_fn_expr_argtype(fcinfo->flinfo, 1);
		for (int64 row = 0;; row++) {
			bool isout;
			Datum facts = WinGetFuncArgInPartition(win, 1, row, WINDOW_SEEK_HEAD, false,
							       &isnull, &isout);
			if (isout)
				break;
			if (isnull) {
				/* a NULL row is a record with every input missing */
				rulebook_facts_clear(r->facts);
				r->facts_owner = 0;
			} else
				rbpg_set_facts(r, type, facts, &x->bind, fcinfo->flinfo->fn_mcxt);
			pop_add(w->p);
		}
		w->built = true;
	}
	int64 pos = WinGetCurrentPosition(win);
	const char *cls = rulebook_population_class(w->p->pop, (size_t)pos, w->scorecard);
	if (!cls)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(cls));
}
