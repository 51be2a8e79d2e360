/* rulebook.evaluate (the result as jsonb) and rulebook.verdicts (one row
 * per rule), from jsonb facts or a row. */
#include "rulebook_pg.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include <string.h>

/* What fn_extra holds for these functions: the bindings of row columns.
 * (rbpg_get keeps its own check in a separate FmgrInfo-sized slot.) */
typedef struct call_state {
	FmgrInfo check; /* a private FmgrInfo whose fn_extra rbpg_get uses */
	void *bind;
	Oid facts_type;      /* the SQL type of argument 1, looked up once */
	bool dated;          /* as_of is the conversion of date */
	DateADT date;
	int32 as_of;
} call_state;

static call_state *state_of(FunctionCallInfo fcinfo)
{
	call_state *s = fcinfo->flinfo->fn_extra;
	if (!s) {
		s = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(*s));
		s->check.fn_mcxt = fcinfo->flinfo->fn_mcxt;
		fcinfo->flinfo->fn_extra = s;
	}
	return s;
}

/* Evaluate argument 1 (the facts) as of argument 2 with the rulebook named
 * by argument 0. */
static rbpg_rulebook *evaluate_args(FunctionCallInfo fcinfo, call_state *s)
{
	rbpg_rulebook *r = rbpg_get(&s->check, PG_GETARG_TEXT_PP(0));
	DateADT date = PG_GETARG_DATEADT(2);
	if (!s->dated || s->date != date) {
		s->as_of = rbpg_date(PG_GETARG_DATUM(2));
		s->date = date;
		s->dated = true;
	}
	if (!OidIsValid(s->facts_type))
		s->facts_type = get_fn_expr_argtype(fcinfo->flinfo, 1);
	rbpg_set_facts(r, s->facts_type, PG_GETARG_DATUM(1), &s->bind, fcinfo->flinfo->fn_mcxt);
	rulebook_status st = rulebook_eval(r->rb, r->facts, s->as_of, r->res, r->err);
	if (st != RULEBOOK_OK)
		rbpg_raise("rulebook: evaluation failed", st, r->err);
	return r;
}

static Datum json_of(const char *json, size_t len)
{
	(void)len;
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(json));
}

PG_FUNCTION_INFO_V1(rulebook_pg_evaluate);

Datum rulebook_pg_evaluate(PG_FUNCTION_ARGS)
{
	call_state *s = state_of(fcinfo);
	rbpg_rulebook *r = evaluate_args(fcinfo, s);
	const char *json;
	size_t len;
	rulebook_status st = rulebook_result_json(r->res, rbpg_out_flags(), &json, &len);
	if (st != RULEBOOK_OK)
		rbpg_raise("rulebook: result", st, NULL);
	PG_RETURN_DATUM(json_of(json, len));
}

/* The exact gap of rule i (threshold - actual of its first failed
 * comparison, as the result's JSON gives it in gap.value); NULL when it has
 * none. */
static Datum exact_gap(rbpg_rulebook *r, size_t i, bool *isnull)
{
	const char *v = rulebook_result_gap_part(r->res, i, 0, RULEBOOK_GAP_VALUE);
	*isnull = v == NULL;
	if (!v)
		return (Datum)0;
	return DirectFunctionCall3(numeric_in, CStringGetDatum(v), ObjectIdGetDatum(InvalidOid),
				   Int32GetDatum(-1));
}

PG_FUNCTION_INFO_V1(rulebook_pg_verdicts);

Datum rulebook_pg_verdicts(PG_FUNCTION_ARGS)
{
	/* the tuplestore is filled in one call, so fn_extra stays ours */
	call_state *s = state_of(fcinfo);
	rbpg_rulebook *r = evaluate_args(fcinfo, s);
	InitMaterializedSRF(fcinfo, 0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *)fcinfo->resultinfo;
	size_t n = rulebook_rule_count(r->rb);
	const char *lang = (rbpg_out_flags() & RULEBOOK_OUT_LANG_EN) ? "en" : "zh";
	for (size_t i = 0; i < n; i++) {
		Datum values[5];
		bool nulls[5] = {false, false, false, false, false};
		values[0] = CStringGetTextDatum(rulebook_rule_id(r->rb, i));
		values[1] = CStringGetTextDatum(rulebook_verdict_str(rulebook_result_verdict(r->res, i)));
		const char *cite = rulebook_rule_cite(r->rb, i);
		if (cite)
			values[2] = CStringGetTextDatum(cite);
		else
			nulls[2] = true;
		values[3] = exact_gap(r, i, &nulls[3]);
		const char *msg = rulebook_result_message(r->res, i, lang);
		if (msg && *msg)
			values[4] = CStringGetTextDatum(msg);
		else
			nulls[4] = true;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum)0;
}

/* The verdict of one rule: the cheapest way to a verdict from SQL (no
 * JSON, no messages). The rule is looked up once per statement. */
typedef struct verdict_state {
	call_state call;
	char *rule_id;
	size_t rule;
	uint64 generation;
	text *words[8]; /* each verdict's text, made once per statement */
} verdict_state;

PG_FUNCTION_INFO_V1(rulebook_pg_verdict);

Datum rulebook_pg_verdict(PG_FUNCTION_ARGS)
{
	verdict_state *v = fcinfo->flinfo->fn_extra;
	if (!v) {
		v = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(*v));
		v->call.check.fn_mcxt = fcinfo->flinfo->fn_mcxt;
		fcinfo->flinfo->fn_extra = v;
	}
	rbpg_rulebook *r = evaluate_args(fcinfo, &v->call);
	text *rule = PG_GETARG_TEXT_PP(3);
	size_t len = VARSIZE_ANY_EXHDR(rule);
	if (!v->rule_id || v->generation != r->generation || strlen(v->rule_id) != len ||
	    memcmp(v->rule_id, VARDATA_ANY(rule), len) != 0) {
		if (rulebook_rule_index(r->rb, VARDATA_ANY(rule), len, &v->rule) != RULEBOOK_OK)
			ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT),
					errmsg("rulebook %s has no rule '%s'", r->id, text_to_cstring(rule))));
		if (v->rule_id)
			pfree(v->rule_id);
		v->rule_id = MemoryContextStrdup(fcinfo->flinfo->fn_mcxt, text_to_cstring(rule));
		v->generation = r->generation;
	}
	rulebook_verdict verdict = rulebook_result_verdict(r->res, v->rule);
	size_t w = (size_t)verdict < lengthof(v->words) ? (size_t)verdict : 0;
	if (!v->words[w]) {
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		v->words[w] = cstring_to_text(rulebook_verdict_str(verdict));
		MemoryContextSwitchTo(old);
	}
	/* the caller copies a pass-by-reference result before the statement's
	 * memory goes */
	PG_RETURN_TEXT_P(v->words[w]);
}
