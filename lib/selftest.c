/* The rulebook's own test cases (`tests:`): evaluate each case's facts as of
 * its date and compare verdicts, values and obligations with what the case
 * expects. Numbers compare exactly (37 equals 37.00). */
#include "result.h"
#include "alloc.h"

#include <stdio.h>
#include <string.h>

typedef struct rb_failure {
	char *case_name, *check, *expected, *actual;
	uint32_t line, col;
} rb_failure;

struct rulebook_test_report {
	size_t passed;
	rb_failure *fails;
	size_t nfails, cap;
	int nomem;
};

static void add_failure(rulebook_test_report *rep, const rb_m_test *t, rb_pos pos,
			const char *check, const char *expected, const char *actual)
{
	if (rb_grow((void **)&rep->fails, &rep->cap, rep->nfails + 1, sizeof(rb_failure)) < 0) {
		rep->nomem = 1;
		return;
	}
	rb_failure *f = &rep->fails[rep->nfails];
	f->case_name = rb_strndup(t->name.s, t->name.len);
	f->check = rb_strndup(check, strlen(check));
	f->expected = rb_strndup(expected, strlen(expected));
	f->actual = rb_strndup(actual ? actual : "missing", strlen(actual ? actual : "missing"));
	f->line = pos.line;
	f->col = pos.col;
	if (!f->case_name || !f->check || !f->expected || !f->actual) {
		rb_free(f->case_name);
		rb_free(f->check);
		rb_free(f->expected);
		rb_free(f->actual);
		rep->nomem = 1;
		return;
	}
	rep->nfails++;
}

static void judge(rulebook_test_report *rep, const rb_m_test *t, const rb_m_expect *e,
		  const char *check, bool ok, const char *actual)
{
	if (ok)
		rep->passed++;
	else
		add_failure(rep, t, e->value.pos, check, e->value.s, actual);
}

/* Expected number (optionally with a unit) against a value in unit u. */
static bool same_number(const rulebook *rb, const rb_m_expect *e, const rb_val *v, const rb_unit *u)
{
	if (v->state != RB_V_OK)
		return false;
	rb_input fake = {0};
	rb_sym sym = {0};
	sym.name = e->name.s;
	sym.ct.unit = *u;
	sym.unit_text = "";
	fake.sym = &sym;
	fake.type = RB_T_NUMBER;
	rb_val want;
	char msg[256];
	if (rb_parse_input_value(rb, &fake, e->value.s, e->value.len, &want, msg, sizeof msg))
		return false;
	rb_dec have = v->u.d;
	if (e->places >= 0 && rb_dec_round(have, e->places, RB_ROUND_HALF_UP, &have) != RB_DEC_OK)
		return false;
	return rb_dec_cmp(want.u.d, have) == 0;
}

static bool set_facts(const rulebook *rb, const rb_m_test *t, const rb_m_fact *facts, size_t n,
		      rulebook_facts *f, rulebook_test_report *rep);

static void run_case(const rulebook *rb, const rb_m_test *t, rulebook_facts *f,
		     rulebook_result *res, rulebook_test_report *rep)
{
	char check[256];
	if (!set_facts(rb, t, t->facts, t->nfacts, f, rep))
		return;
	if (rulebook_eval(rb, f, t->as_of, res, NULL) != RULEBOOK_OK) {
		add_failure(rep, t, t->name.pos, "evaluation", "success", "failure");
		return;
	}
	for (size_t k = 0; k < t->nverdicts; k++) {
		const rb_m_expect *e = &t->verdicts[k];
		size_t idx;
		snprintf(check, sizeof check, "verdict of %s", e->name.s);
		if (rulebook_rule_index(rb, e->name.s, e->name.len, &idx) != RULEBOOK_OK) {
			judge(rep, t, e, check, false, "no such rule");
			continue;
		}
		const char *got = rulebook_verdict_str(rulebook_result_verdict(res, idx));
		const char *exc = rulebook_result_exception(res, idx);
		/* "exempt:key_chain" also names the exception expected */
		char full[256];
		snprintf(full, sizeof full, "%s:%s", got, exc ? exc : "");
		bool ok = strcmp(e->value.s, got) == 0 || (exc && strcmp(e->value.s, full) == 0);
		judge(rep, t, e, check, ok, exc ? full : got);
	}
	for (size_t k = 0; k < t->nvalues; k++) {
		const rb_m_expect *e = &t->values[k];
		const rb_sym *s = rb_lookup(rb, e->name.s, e->name.len);
		snprintf(check, sizeof check, "value of %s", e->name.s);
		if (!s) {
			judge(rep, t, e, check, false, "no such name");
			continue;
		}
		const rb_val *v = rb_exact_at(res, s->slot);
		const char *got = rb_result_sym_value(res, s);
		bool ok;
		if (strcmp(e->value.s, "missing") == 0)
			ok = v->state == RB_V_MISSING;
		else if (strcmp(e->value.s, "error") == 0)
			ok = v->state == RB_V_ERROR;
		else if (s->ct.type == RB_T_NUMBER || s->ct.type == RB_T_INTEGER)
			ok = same_number(rb, e, v, &s->ct.unit);
		else
			ok = got && strcmp(got, e->value.s) == 0;
		judge(rep, t, e, check, ok,
		      got ? got : v->state == RB_V_ERROR ? "error" : "missing");
	}
	for (size_t k = 0; k < t->ntargets; k++) {
		const rb_m_expect *e = &t->targets[k];
		snprintf(check, sizeof check, "target %s", e->name.s);
		size_t ti;
		for (ti = 0; ti < rb->ntargets; ti++)
			if (strcmp(rb->targets[ti].id, e->name.s) == 0)
				break;
		if (ti == rb->ntargets) {
			judge(rep, t, e, check, false, "no such target");
			continue;
		}
		const char *got = rulebook_target_status_str(rulebook_result_target_status(res, ti));
		judge(rep, t, e, check, strcmp(got, e->value.s) == 0, got);
	}
	for (size_t k = 0; k < t->nclasses + t->nscores; k++) {
		bool is_class = k < t->nclasses;
		const rb_m_expect *e = is_class ? &t->classes[k] : &t->scores[k - t->nclasses];
		snprintf(check, sizeof check, "%s of %s", is_class ? "class" : "score", e->name.s);
		size_t si;
		for (si = 0; si < rb->nscorecards; si++)
			if (strcmp(rb->scorecards[si].id, e->name.s) == 0)
				break;
		if (si == rb->nscorecards) {
			judge(rep, t, e, check, false, "no such scorecard");
			continue;
		}
		if (is_class) {
			const char *got = rulebook_result_class(res, si);
			const char *veto = rulebook_result_veto(res, si);
			char full[256];
			snprintf(full, sizeof full, "%s:%s", got ? got : "unknown", veto ? veto : "");
			bool ok = strcmp(e->value.s, got ? got : "unknown") == 0 ||
				  (veto && strcmp(e->value.s, full) == 0);
			judge(rep, t, e, check, ok, veto ? full : got ? got : "unknown");
		} else {
			/* the score is in the weights' unit (分), or a plain number */
			rb_unit u = rb_unit_one();
			const char *su = rb->scorecards[si].score_unit;
			size_t at;
			if (su[0] && rb_units_parse(rb->units, su, strlen(su), &u, &at) != RB_UNIT_OK)
				u = rb_unit_one();
			const rb_val *v = rb_exact_at(res, rb->scorecards[si].score);
			const char *got = rulebook_result_score(res, si);
			judge(rep, t, e, check, same_number(rb, e, v, &u), got ? got : "unknown");
		}
	}
	for (size_t k = 0; k < t->nobligations; k++) {
		const rb_m_expect *e = &t->obligations[k];
		snprintf(check, sizeof check, "obligation %s", e->name.s);
		/* rule ids may contain dots; the obligation id is after the last one */
		const char *dot = NULL;
		for (size_t q = 0; q < e->name.len; q++)
			if (e->name.s[q] == '.')
				dot = e->name.s + q;
		size_t idx;
		const rb_obligation *o = NULL;
		if (dot && rulebook_rule_index(rb, e->name.s, (size_t)(dot - e->name.s), &idx) ==
				   RULEBOOK_OK) {
			const rb_rule *ru = &rb->rules[idx];
			for (uint32_t j = 0; j < ru->nobligations; j++)
				if (strcmp(ru->obligations[j].id, dot + 1) == 0)
					o = &ru->obligations[j];
		}
		if (!o) {
			judge(rep, t, e, check, false, "no such obligation (write rule.obligation)");
			continue;
		}
		uint8_t vd = res->verdicts[idx];
		bool applies = vd == RULEBOOK_PASS || vd == RULEBOOK_FAIL;
		if (strcmp(e->value.s, "none") == 0) {
			judge(rep, t, e, check, !applies, applies ? "created" : "none");
			continue;
		}
		rb_unit u;
		size_t pos;
		if (rb_units_parse(rb->units, o->unit_text, strlen(o->unit_text), &u, &pos) != RB_UNIT_OK)
			u = rb_unit_one();
		const char *got = applies ? rulebook_result_obligation_value(res, idx, (size_t)(o - rb->rules[idx].obligations)) : NULL;
		judge(rep, t, e, check, applies && same_number(rb, e, rb_exact_at(res, o->slot), &u),
		      applies ? got : "none (the rule did not apply)");
	}
}

static bool set_facts(const rulebook *rb, const rb_m_test *t, const rb_m_fact *facts, size_t n,
		      rulebook_facts *f, rulebook_test_report *rep)
{
	char check[256];
	rulebook_facts_clear(f);
	for (size_t k = 0; k < n; k++) {
		const rb_m_fact *mf = &facts[k];
		const rb_node *v = mf->value;
		if (strcmp(mf->name.s, "_id") == 0) {
			/* set through the API: the text is never pasted into a document */
			bool none = v->kind == RB_NODE_SCALAR && v->style == RB_SCALAR_PLAIN &&
				    (strcmp(v->text, "null") == 0 || v->len == 0);
			if (v->kind != RB_NODE_SCALAR ||
			    rulebook_facts_set_id(f, none ? NULL : v->text, v->len) != RULEBOOK_OK) {
				add_failure(rep, t, v->pos, "fact _id", "a record id (text)",
					    "not a valid record id");
				return false;
			}
			continue;
		}
		const rb_sym *s = rb_lookup(rb, mf->name.s, mf->name.len);
		snprintf(check, sizeof check, "fact %s", mf->name.s);
		if (!s || s->kind != RB_SYM_INPUT) {
			add_failure(rep, t, mf->name.pos, check, "an input of the rulebook",
				    "not an input");
			return false;
		}
		if (v->kind == RB_NODE_SCALAR && v->style == RB_SCALAR_PLAIN &&
		    (strcmp(v->text, "null") == 0 || v->len == 0)) {
			rulebook_facts_set_missing_at(f, s->index);
			continue;
		}
		if (rb->inputs[s->index].type == RB_T_LIST) {
			rulebook_error *e = rulebook_error_new();
			if (rb_facts_set_list_node(f, s->index, v, false, e) != RULEBOOK_OK) {
				const char *m = e ? rulebook_error_message(e, 0) : NULL;
				add_failure(rep, t, v->pos, check, "a valid list",
					    m ? m : "out of memory");
				rulebook_error_free(e);
				return false;
			}
			rulebook_error_free(e);
			continue;
		}
		if (v->kind != RB_NODE_SCALAR) {
			add_failure(rep, t, v->pos, check, "a value", "a list or mapping");
			return false;
		}
		if (rulebook_facts_set_text_at(f, s->index, v->text, v->len, NULL) != RULEBOOK_OK) {
			char msg[256];
			rb_val tmp;
			rb_parse_input_value(rb, &rb->inputs[s->index], v->text, v->len, &tmp, msg,
					     sizeof msg);
			add_failure(rep, t, v->pos, check, "a valid value", msg);
			return false;
		}
	}
	return true;
}

/* A population case: records evaluated together; aggregates and classes by
 * record ("E1.mujun") are checked. */
static void run_population_case(const rulebook *rb, const rb_m_test *t, rulebook_facts *f,
				rulebook_test_report *rep)
{
	char check[256];
	rulebook_population *p = rulebook_population_new(rb, t->as_of);
	if (!p) {
		rep->nomem = 1;
		return;
	}
	for (size_t r = 0; r < t->nrecords; r++) {
		if (!set_facts(rb, t, t->records[r], t->nrecord_facts[r], f, rep) ||
		    rulebook_population_add(p, f, NULL) != RULEBOOK_OK) {
			rulebook_population_free(p);
			return;
		}
	}
	for (size_t k = 0; k < t->naggregates + t->naggregate_values; k++) {
		bool verdict = k < t->naggregates;
		const rb_m_expect *e = verdict ? &t->aggregates[k] : &t->aggregate_values[k - t->naggregates];
		snprintf(check, sizeof check, "aggregate %s%s", e->name.s, verdict ? "" : " value");
		size_t ai;
		for (ai = 0; ai < rb->naggregates; ai++)
			if (strcmp(rb->aggregates[ai].id, e->name.s) == 0)
				break;
		if (ai == rb->naggregates) {
			judge(rep, t, e, check, false, "no such aggregate");
			continue;
		}
		if (verdict) {
			const char *got = rulebook_verdict_str(rulebook_population_aggregate_verdict(p, ai));
			judge(rep, t, e, check, strcmp(got, e->value.s) == 0, got);
		} else {
			const char *got = rulebook_population_aggregate_value(p, ai, RULEBOOK_AGGREGATE_VALUE);
			/* expected values may carry a unit or be percentages ("40%") */
			rb_val have = {.state = RB_V_OK};
			size_t at;
			rb_unit one = rb_unit_one();
			const rb_aggregate *ag = &rb->aggregates[ai];
			if (ag->unit_text[0] && rb_units_parse(rb->units, ag->unit_text,
							       strlen(ag->unit_text), &one, &at) != RB_UNIT_OK)
				one = rb_unit_one();
			bool ok = got && rb_dec_parse(got, strlen(got), &have.u.d, &at) == RB_DEC_OK &&
				  same_number(rb, e, &have, &one);
			judge(rep, t, e, check, ok, got ? got : "none");
		}
	}
	for (size_t k = 0; k < t->nclasses; k++) {
		const rb_m_expect *e = &t->classes[k];
		snprintf(check, sizeof check, "class of %s", e->name.s);
		const char *dot = strrchr(e->name.s, '.');
		size_t np = rulebook_population_size(p);
		size_t si = rb->nscorecards, ri = np;
		if (dot) {
			for (si = 0; si < rb->nscorecards; si++)
				if (strcmp(rb->scorecards[si].id, dot + 1) == 0)
					break;
			for (ri = 0; ri < np; ri++) {
				const char *id = rulebook_population_record_id(p, ri);
				if (id && strlen(id) == (size_t)(dot - e->name.s) &&
				    memcmp(id, e->name.s, (size_t)(dot - e->name.s)) == 0)
					break;
			}
		}
		if (si == rb->nscorecards || ri == np) {
			judge(rep, t, e, check, false, "write <record _id>.<scorecard>");
			continue;
		}
		const char *got = rulebook_population_class(p, ri, si);
		judge(rep, t, e, check, strcmp(got ? got : "unknown", e->value.s) == 0,
		      got ? got : "unknown");
	}
	rulebook_population_free(p);
}

RULEBOOK_API rulebook_status rulebook_run_tests(const rulebook *rb, rulebook_test_report **out,
						rulebook_error *err)
{
	rulebook_error_clear(err);
	if (!rb || !out)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "a rulebook and an output pointer are required");
	*out = NULL;
	rulebook_test_report *rep = rb_calloc(1, sizeof(*rep));
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	if (!rep || !f || !res) {
		rulebook_test_report_free(rep);
		rulebook_facts_free(f);
		rulebook_result_free(res);
		return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	}
	for (size_t i = 0; i < rb->model->ntests; i++) {
		const rb_m_test *t = &rb->model->tests[i];
		if (t->nrecords)
			run_population_case(rb, t, f, rep);
		else
			run_case(rb, t, f, res, rep);
	}
	rulebook_facts_free(f);
	rulebook_result_free(res);
	if (rep->nomem) {
		rulebook_test_report_free(rep);
		return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	}
	*out = rep;
	if (rep->nfails) {
		const rb_failure *f0 = &rep->fails[0];
		return rb_error_add(err, RULEBOOK_ERR_TEST, (rb_pos){rb->model->file, f0->line, f0->col},
				    f0->case_name, "%zu of %zu checks failed; first: case '%s', %s: expected %s, got %s",
				    rep->nfails, rep->nfails + rep->passed, f0->case_name, f0->check,
				    f0->expected, f0->actual);
	}
	return RULEBOOK_OK;
}

RULEBOOK_API void rulebook_test_report_free(rulebook_test_report *rep)
{
	if (!rep)
		return;
	for (size_t i = 0; i < rep->nfails; i++) {
		rb_free(rep->fails[i].case_name);
		rb_free(rep->fails[i].check);
		rb_free(rep->fails[i].expected);
		rb_free(rep->fails[i].actual);
	}
	rb_free(rep->fails);
	rb_free(rep);
}

RULEBOOK_API size_t rulebook_test_report_passed(const rulebook_test_report *rep)
{
	return rep ? rep->passed : 0;
}

RULEBOOK_API size_t rulebook_test_report_failed(const rulebook_test_report *rep)
{
	return rep ? rep->nfails : 0;
}

static const rb_failure *failure(const rulebook_test_report *rep, size_t i)
{
	return rep && i < rep->nfails ? &rep->fails[i] : NULL;
}

RULEBOOK_API const char *rulebook_test_report_case(const rulebook_test_report *rep, size_t i)
{
	const rb_failure *f = failure(rep, i);
	return f ? f->case_name : NULL;
}

RULEBOOK_API const char *rulebook_test_report_check(const rulebook_test_report *rep, size_t i)
{
	const rb_failure *f = failure(rep, i);
	return f ? f->check : NULL;
}

RULEBOOK_API const char *rulebook_test_report_expected(const rulebook_test_report *rep, size_t i)
{
	const rb_failure *f = failure(rep, i);
	return f ? f->expected : NULL;
}

RULEBOOK_API const char *rulebook_test_report_actual(const rulebook_test_report *rep, size_t i)
{
	const rb_failure *f = failure(rep, i);
	return f ? f->actual : NULL;
}

RULEBOOK_API uint32_t rulebook_test_report_line(const rulebook_test_report *rep, size_t i)
{
	const rb_failure *f = failure(rep, i);
	return f ? f->line : 0;
}

RULEBOOK_API uint32_t rulebook_test_report_column(const rulebook_test_report *rep, size_t i)
{
	const rb_failure *f = failure(rep, i);
	return f ? f->col : 0;
}
