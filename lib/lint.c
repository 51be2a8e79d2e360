/* Lint: likely mistakes in a rulebook that compile fine. Found by looking at
 * the compiled form (dependencies, constant conditions) and, for conditions
 * that use no input, by evaluating them once with every input missing. */
#include "result.h"
#include "alloc.h"
#include "date.h"
#include "idset.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void report(rulebook_error *out, rulebook_status st, rb_pos pos, const char *name,
		   const char *fmt, va_list ap) RB_PRINTF(5, 0);

static void report(rulebook_error *out, rulebook_status st, rb_pos pos, const char *name,
		   const char *fmt, va_list ap)
{
	char buf[512];
	vsnprintf(buf, sizeof buf, fmt, ap);
	rb_error_add(out, st, pos, name, "%s", buf);
}

static void finding(rulebook_error *out, rb_pos pos, const char *name, const char *fmt, ...)
	RB_PRINTF(4, 5);
static void note(rulebook_error *out, rb_pos pos, const char *name, const char *fmt, ...)
	RB_PRINTF(4, 5);

static void finding(rulebook_error *out, rb_pos pos, const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(out, RULEBOOK_LINT, pos, name, fmt, ap);
	va_end(ap);
}

static void note(rulebook_error *out, rb_pos pos, const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(out, RULEBOOK_NOTE, pos, name, fmt, ap);
	va_end(ap);
}

/* A list in a test case's facts: read into scratch facts. */
static void lint_list_fact(const rulebook *rb, const rb_m_test *t, size_t idx, const rb_node *v,
			   rulebook_error *out)
{
	if (v->kind == RB_NODE_SCALAR && v->style == RB_SCALAR_PLAIN &&
	    (strcmp(v->text, "null") == 0 || v->len == 0))
		return;
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_error *e = rulebook_error_new();
	if (f && e && rb_facts_set_list_node(f, idx, v, false, e) != RULEBOOK_OK) {
		/* at the element the message names */
		rb_pos at = {v->pos.file, rulebook_error_line(e, 0), rulebook_error_column(e, 0)};
		finding(out, at.line ? at : v->pos, t->name.s, "test '%s': %s", t->name.s,
			rulebook_error_message(e, 0));
	}
	rulebook_error_free(e);
	rulebook_facts_free(f);
}

/* The facts of a test case: each names an input and holds a value it takes. */
static void lint_facts(const rulebook *rb, const rb_m_test *t, const rb_m_fact *facts, size_t n,
		       rulebook_error *out)
{
	for (size_t k = 0; k < n; k++) {
		const rb_m_fact *mf = &facts[k];
		if (!mf->name.s || mf->name.s[0] == '_')
			continue;
		const rb_sym *s = rb_lookup(rb, mf->name.s, mf->name.len);
		if (!s || s->kind != RB_SYM_INPUT) {
			finding(out, mf->name.pos, t->name.s,
				"test '%s': '%s' is not an input of the rulebook", t->name.s, mf->name.s);
			continue;
		}
		const rb_node *v = mf->value;
		if (v && rb->inputs[s->index].type == RB_T_LIST) {
			lint_list_fact(rb, t, s->index, v, out);
			continue;
		}
		if (!v || v->kind != RB_NODE_SCALAR ||
		    (v->style == RB_SCALAR_PLAIN && (strcmp(v->text, "null") == 0 || v->len == 0)))
			continue;
		char msg[256];
		rb_val tmp;
		if (rb_parse_input_value(rb, &rb->inputs[s->index], v->text, v->len, &tmp, msg,
					 sizeof msg) != RULEBOOK_OK)
			finding(out, v->pos, t->name.s, "test '%s': %s", t->name.s, msg);
	}
}

/* The ids of targets, scorecards and aggregates, looked up by the test
 * case checks in linear time. */
typedef struct lint_ids {
	rb_idset targets, scorecards, aggregates;
	bool nomem;
} lint_ids;

static void lint_ids_build(const rulebook *rb, lint_ids *ids)
{
	uint32_t first;
	for (uint32_t i = 0; i < rb->ntargets && !ids->nomem; i++)
		ids->nomem = rb_idset_add(&ids->targets, rb->targets[i].id,
					  strlen(rb->targets[i].id), i, &first) < 0;
	for (uint32_t i = 0; i < rb->nscorecards && !ids->nomem; i++)
		ids->nomem = rb_idset_add(&ids->scorecards, rb->scorecards[i].id,
					  strlen(rb->scorecards[i].id), i, &first) < 0;
	for (uint32_t i = 0; i < rb->naggregates && !ids->nomem; i++)
		ids->nomem = rb_idset_add(&ids->aggregates, rb->aggregates[i].id,
					  strlen(rb->aggregates[i].id), i, &first) < 0;
}

static void lint_ids_free(lint_ids *ids)
{
	rb_idset_free(&ids->targets);
	rb_idset_free(&ids->scorecards);
	rb_idset_free(&ids->aggregates);
}

/* A verdict a rule can get: a verdict's name, or "exempt:<exception>" for
 * one of its exceptions (rule SIZE_MAX: none). */
static bool verdict_word(const rulebook *rb, size_t rule, const char *v)
{
	static const char *const words[] = {"pass",    "fail",         "not_applicable", "exempt",
					    "unknown", "not_in_force", "error"};
	for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
		if (strcmp(v, words[w]) == 0)
			return true;
	if (rule < rb->nrules && strncmp(v, "exempt:", 7) == 0) {
		const rb_rule *ru = &rb->rules[rule];
		for (uint32_t k = 0; k < ru->nunless; k++)
			if (strcmp(ru->unless[k].id, v + 7) == 0)
				return true;
	}
	return false;
}

static bool target_word(const char *v)
{
	for (int s = RULEBOOK_TARGET_MET; s <= RULEBOOK_TARGET_NOT_IN_FORCE; s++)
		if (strcmp(v, rulebook_target_status_str((rulebook_target_status)s)) == 0)
			return true;
	return false;
}

/* "rule.obligation": the rule id may contain dots, the obligation's is
 * after the last one. */
static bool obligation_exists(const rulebook *rb, const rb_text *name)
{
	const char *dot = NULL;
	for (size_t q = 0; q < name->len; q++)
		if (name->s[q] == '.')
			dot = name->s + q;
	size_t idx;
	if (!dot || rulebook_rule_index(rb, name->s, (size_t)(dot - name->s), &idx) != RULEBOOK_OK)
		return false;
	const rb_rule *ru = &rb->rules[idx];
	for (uint32_t j = 0; j < ru->nobligations; j++)
		if (strcmp(ru->obligations[j].id, dot + 1) == 0)
			return true;
	return false;
}

/* A population case's "record.scorecard": a record of the case (its _id)
 * and a scorecard. */
static bool record_class_exists(const lint_ids *ids, const rb_m_test *t, const rb_text *name)
{
	const char *dot = strrchr(name->s, '.');
	if (!dot || rb_idset_find(&ids->scorecards, dot + 1, strlen(dot + 1)) < 0)
		return false;
	size_t rlen = (size_t)(dot - name->s);
	for (size_t r = 0; r < t->nrecords; r++)
		for (size_t k = 0; k < t->nrecord_facts[r]; k++) {
			const rb_m_fact *f = &t->records[r][k];
			if (strcmp(f->name.s, "_id") == 0 && f->value->len == rlen &&
			    memcmp(f->value->text, name->s, rlen) == 0)
				return true;
		}
	return false;
}

/* Test cases must name what exists: inputs, rules, values, obligations,
 * targets, scorecards, aggregates; and expect verdicts and statuses that
 * exist. false when memory ran out. */
static bool lint_tests(const rulebook *rb, const rb_model *m, rulebook_error *out)
{
	lint_ids ids = {RB_IDSET_INIT, RB_IDSET_INIT, RB_IDSET_INIT, false};
	lint_ids_build(rb, &ids);
	for (size_t i = 0; i < m->ntests && !ids.nomem; i++) {
		const rb_m_test *t = &m->tests[i];
		lint_facts(rb, t, t->facts, t->nfacts, out);
		for (size_t r = 0; r < t->nrecords; r++)
			lint_facts(rb, t, t->records[r], t->nrecord_facts[r], out);
		for (size_t k = 0; k < t->nverdicts; k++) {
			const rb_m_expect *e = &t->verdicts[k];
			size_t idx;
			if (rulebook_rule_index(rb, e->name.s, e->name.len, &idx) != RULEBOOK_OK)
				finding(out, e->name.pos, t->name.s,
					"test '%s' expects a verdict of '%s', which is not a rule",
					t->name.s, e->name.s);
			else if (!verdict_word(rb, idx, e->value.s))
				finding(out, e->value.pos, t->name.s,
					"test '%s' expects '%s' of rule '%s', which is not a verdict "
					"(pass, fail, not_applicable, exempt, exempt:<exception>, unknown, "
					"not_in_force, error)",
					t->name.s, e->value.s, e->name.s);
		}
		for (size_t k = 0; k < t->nvalues; k++) {
			const rb_m_expect *e = &t->values[k];
			if (!rb_lookup(rb, e->name.s, e->name.len))
				finding(out, e->name.pos, t->name.s,
					"test '%s' expects a value of '%s', which is not an input, "
					"parameter or indicator",
					t->name.s, e->name.s);
		}
		for (size_t k = 0; k < t->nobligations; k++) {
			const rb_m_expect *e = &t->obligations[k];
			if (!obligation_exists(rb, &e->name))
				finding(out, e->name.pos, t->name.s,
					"test '%s' expects obligation '%s', which is no obligation of a "
					"rule (write <rule>.<obligation>)",
					t->name.s, e->name.s);
		}
		for (size_t k = 0; k < t->ntargets; k++) {
			const rb_m_expect *e = &t->targets[k];
			if (rb_idset_find(&ids.targets, e->name.s, e->name.len) < 0)
				finding(out, e->name.pos, t->name.s,
					"test '%s' expects a status of '%s', which is not a target",
					t->name.s, e->name.s);
			else if (!target_word(e->value.s))
				finding(out, e->value.pos, t->name.s,
					"test '%s' expects '%s' of target '%s', which is not a status "
					"(met, on_pace, behind_pace, missed, not_started, unknown, "
					"not_in_force)",
					t->name.s, e->value.s, e->name.s);
		}
		for (size_t k = 0; k < t->nclasses + t->nscores; k++) {
			bool cls = k < t->nclasses;
			const rb_m_expect *e = cls ? &t->classes[k] : &t->scores[k - t->nclasses];
			if (cls && t->nrecords) {
				if (!record_class_exists(&ids, t, &e->name))
					finding(out, e->name.pos, t->name.s,
						"test '%s' expects a class of '%s', which is not "
						"<record _id>.<scorecard> of its records",
						t->name.s, e->name.s);
			} else if (rb_idset_find(&ids.scorecards, e->name.s, e->name.len) < 0) {
				finding(out, e->name.pos, t->name.s,
					"test '%s' expects a %s of '%s', which is not a scorecard",
					t->name.s, cls ? "class" : "score", e->name.s);
			}
		}
		for (size_t k = 0; k < t->naggregates + t->naggregate_values; k++) {
			const rb_m_expect *e = k < t->naggregates
						       ? &t->aggregates[k]
						       : &t->aggregate_values[k - t->naggregates];
			if (rb_idset_find(&ids.aggregates, e->name.s, e->name.len) < 0)
				finding(out, e->name.pos, t->name.s,
					"test '%s' expects aggregate '%s', which is not an aggregate",
					t->name.s, e->name.s);
			else if (k < t->naggregates && !verdict_word(rb, SIZE_MAX, e->value.s))
				finding(out, e->value.pos, t->name.s,
					"test '%s' expects '%s' of aggregate '%s', which is not a verdict",
					t->name.s, e->value.s, e->name.s);
		}
	}
	lint_ids_free(&ids);
	return !ids.nomem;
}

RULEBOOK_API rulebook_status rulebook_lint(const rulebook *rb, int32_t as_of, rulebook_error *out)
{
	rulebook_error_clear(out);
	if (!rb || !out || (as_of && !rb_date_valid(as_of)))
		return RULEBOOK_ERR_INVALID;
	const rb_model *m = rb->model;
	uint8_t *used = rb_calloc(rb->nsyms ? rb->nsyms : 1, 1);
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	if (!used || !f || !res) {
		rb_free(used);
		rulebook_facts_free(f);
		rulebook_result_free(res);
		return RULEBOOK_ERR_NOMEM;
	}
	/* inputs count as used by rules, targets, scorecards and aggregates */
	for (uint32_t r = 0; r < rb->nrules; r++)
		for (uint32_t k = 0; k < rb->rules[r].ndeps; k++)
			if (rb->rules[r].deps[k]->kind < RB_SYM_LOOKUP)
				used[rb->rules[r].deps[k] - rb->syms] = 1;
	for (uint32_t t = 0; t < rb->ntargets; t++)
		for (uint32_t k = 0; k < rb->targets[t].ndeps; k++)
			if (rb->targets[t].deps[k]->kind < RB_SYM_LOOKUP)
				used[rb->targets[t].deps[k] - rb->syms] = 1;
	for (uint32_t t = 0; t < rb->nscorecards; t++)
		for (uint32_t k = 0; k < rb->scorecards[t].ndeps; k++)
			if (rb->scorecards[t].deps[k]->kind < RB_SYM_LOOKUP)
				used[rb->scorecards[t].deps[k] - rb->syms] = 1;
	for (uint32_t t = 0; t < rb->naggregates; t++)
		for (uint32_t k = 0; k < rb->aggregates[t].ndeps; k++)
			if (rb->aggregates[t].deps[k]->kind < RB_SYM_LOOKUP)
				used[rb->aggregates[t].deps[k] - rb->syms] = 1;
	for (uint32_t i = 0; i < rb->ninputs; i++) {
		const rb_sym *s = rb->inputs[i].sym;
		if (!used[s - rb->syms])
			finding(out, s->pos, s->name,
				"input '%s' is not used by any rule, target, scorecard or aggregate", s->name);
	}
	int32_t day = as_of ? as_of : (rb->from ? rb->from : 20000101);
	rulebook_eval(rb, f, day, res, NULL);
	char date[11];
	rb_date_format(day, date);
	bool nomem = false;
	for (uint32_t r = 0; r < rb->nrules && !nomem; r++) {
		const rb_rule *ru = &rb->rules[r];
		const rb_m_rule *mr = &m->rules[r];
		if (ru->when >= 0 && rb_exact_at(res, ru->when)->state == RB_V_OK && !rb_exact_at(res, ru->when)->u.b)
			finding(out, mr->when.pos, ru->id,
				"rule '%s' can never apply: its 'when' is false whatever the facts%s%s%s",
				ru->id, as_of ? " (as of " : "", as_of ? date : "", as_of ? ")" : "");
		rb_idset conds = RB_IDSET_INIT; /* each exception condition's first use */
		for (uint32_t k = 0; k < ru->nunless; k++) {
			const rb_val *e = rb_exact_at(res, ru->unless[k].when);
			const rb_m_exception *me = &mr->unless[k];
			if (e->state == RB_V_OK && e->u.b)
				finding(out, me->when.pos, ru->id,
					"exception '%s' always applies, so rule '%s' is always exempt",
					me->id.s, ru->id);
			uint32_t j;
			int added = rb_idset_add(&conds, me->when.s, me->when.len, k, &j);
			if (added < 0) {
				nomem = true;
				break;
			}
			if (added == 0)
				finding(out, me->when.pos, ru->id,
					"exception '%s' repeats the condition of '%s' and is never the one "
					"that applies",
					me->id.s, mr->unless[j].id.s);
		}
		rb_idset_free(&conds);
	}
	/* class cut-offs given as parameters must still go down */
	for (uint32_t k = 0; k < rb->nscorecards; k++) {
		const rb_scorecard *sc = &rb->scorecards[k];
		for (uint32_t c = 1; c < sc->nclasses; c++) {
			const rb_class *a = &sc->classes[c - 1], *b = &sc->classes[c];
			if (!a->has_min || !b->has_min)
				continue;
			const rb_val *va = rb_exact_at(res, a->min), *vb = rb_exact_at(res, b->min);
			if (va->state == RB_V_OK && vb->state == RB_V_OK && rb_dec_cmp(vb->u.d, va->u.d) >= 0)
				finding(out, m->scorecards[k].classes[c].min.pos, sc->id,
					"class '%s' of scorecard '%s' can never be reached: its cut-off is not below "
					"the one of '%s'%s%s%s",
					b->id, sc->id, a->id, as_of ? " (as of " : "", as_of ? date : "",
					as_of ? ")" : "");
		}
	}
	if (!lint_tests(rb, m, out))
		nomem = true;
	size_t illustrative = 0;
	for (uint32_t p = 0; p < rb->nparams; p++) {
		const rb_param *pa = &rb->params[p];
		if (pa->provenance == RB_PROV_ILLUSTRATIVE)
			illustrative++;
		bool declared_absent = false; /* value: none in force: said on purpose */
		for (uint32_t k = pa->nvalues; k-- > 0;)
			if (pa->values[k].from <= day) {
				declared_absent = pa->values[k].absent;
				break;
			}
		if (as_of && !declared_absent && rb_exact_at(res, pa->sym->slot)->state == RB_V_MISSING)
			finding(out, pa->sym->pos, pa->sym->name,
				"parameter '%s' has no value in force on %s (its first value starts later)",
				pa->sym->name, date);
	}
	rb_lint_tables(rb, out);
	if (as_of && rb->until && as_of > rb->until) {
		char until[11];
		rb_date_format(rb->until, until);
		finding(out, (rb_pos){m->file, m->id.pos.line, m->id.pos.col}, rb->id,
			"the rulebook is no longer in force on the as-of date: it ended on %s", until);
	}
	if (illustrative) {
		char n[32];
		snprintf(n, sizeof n, "%zu", illustrative);
		note(out, (rb_pos){m->file, m->id.pos.line, m->id.pos.col}, rb->id,
			"%s illustrative parameter%s: results that use them are marked, they are not "
			"official values",
			n, illustrative == 1 ? "" : "s");
	}
	rb_free(used);
	rulebook_facts_free(f);
	rulebook_result_free(res);
	/* a finding that could not be recorded left "out of memory" in out */
	for (size_t i = 0; i < rulebook_error_count(out) && !nomem; i++)
		nomem = rulebook_error_status_at(out, i) == RULEBOOK_ERR_NOMEM;
	return nomem ? RULEBOOK_ERR_NOMEM : RULEBOOK_OK;
}
