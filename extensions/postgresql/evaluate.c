/* rulebook.evaluate (the result as jsonb) and rulebook.verdicts (one row
 * per rule), from jsonb facts or a row. */
#include "rulebook_pg.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include <string.h>

/* What fn_extra holds for these functions: the bindings of row columns.
 * (rbpg_get keeps its own check in a separate FmgrInfo-sized slot.) */
typedef struct call_state {
	FmgrInfo check; /* a private FmgrInfo whose fn_extra rbpg_get uses */
	void *bind;
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
	int32 as_of = rbpg_date(PG_GETARG_DATUM(2));
	Oid type = get_fn_expr_argtype(fcinfo->flinfo, 1);
	rbpg_set_facts(r, type, PG_GETARG_DATUM(1), &s->bind, fcinfo->flinfo->fn_mcxt);
	rulebook_error *err = rulebook_error_new();
	rulebook_status st = rulebook_eval(r->rb, r->facts, as_of, r->res, err);
	if (st != RULEBOOK_OK) {
		PG_TRY();
		{
			rbpg_raise("rulebook: evaluation failed", st, err);
		}
		PG_FINALLY();
		{
			rulebook_error_free(err);
		}
		PG_END_TRY();
	}
	rulebook_error_free(err);
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

/* The exact gap of each failed rule, from the result's JSON (gap.value):
 * values[i] is NULL when rule i has none. */
static void exact_gaps(rbpg_rulebook *r, Datum *values, bool *isnull, size_t n)
{
	for (size_t i = 0; i < n; i++)
		isnull[i] = true;
	bool any = false;
	for (size_t i = 0; i < n && !any; i++)
		any = rulebook_result_gap(r->res, i) != NULL;
	if (!any)
		return;
	const char *json;
	size_t len;
	if (rulebook_result_json(r->res, 0, &json, &len) != RULEBOOK_OK)
		rbpg_raise("rulebook: result", RULEBOOK_ERR_NOMEM, NULL);
	Jsonb *jb = DatumGetJsonbP(json_of(json, len));
	JsonbValue *rules = getKeyJsonValueFromContainer(&jb->root, "rules", 5, NULL);
	if (!rules || rules->type != jbvBinary)
		return;
	for (size_t i = 0; i < n; i++) {
		JsonbValue *rule = getIthJsonbValueFromContainer(rules->val.binary.data, (uint32)i);
		if (!rule || rule->type != jbvBinary)
			continue;
		JsonbValue *gap = getKeyJsonValueFromContainer(rule->val.binary.data, "gap", 3, NULL);
		if (!gap || gap->type != jbvBinary)
			continue;
		JsonbValue *v = getKeyJsonValueFromContainer(gap->val.binary.data, "value", 5, NULL);
		if (!v || v->type != jbvString)
			continue;
		char *text = pnstrdup(v->val.string.val, (Size)v->val.string.len);
		values[i] = DirectFunctionCall3(numeric_in, CStringGetDatum(text),
						ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
		isnull[i] = false;
	}
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
	Datum *gaps = palloc(sizeof(Datum) * (n ? n : 1));
	bool *gap_null = palloc(sizeof(bool) * (n ? n : 1));
	exact_gaps(r, gaps, gap_null, n);
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
		values[3] = gaps[i];
		nulls[3] = gap_null[i];
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
	PG_RETURN_TEXT_P(cstring_to_text(rulebook_verdict_str(rulebook_result_verdict(r->res, v->rule))));
}
