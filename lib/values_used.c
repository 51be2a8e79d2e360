/* The values a rule used: every input, parameter, indicator and table
 * lookup its evaluation reads (through indicators too), with the value the
 * last evaluation gave each, by index, so a program lists them without
 * knowing their names or parsing JSON. */
#include "result.h"

static const rb_sym *used(const rulebook_result *r, size_t rule, size_t j)
{
	if (!r || rule >= r->rb->nrules)
		return NULL;
	const rb_rule *ru = &r->rb->rules[rule];
	return j < ru->ndeps ? ru->deps[j] : NULL;
}

RULEBOOK_API size_t rulebook_result_used_count(const rulebook_result *res, size_t rule)
{
	return res && rule < res->rb->nrules ? res->rb->rules[rule].ndeps : 0;
}

RULEBOOK_API const char *rulebook_result_used_name(const rulebook_result *res, size_t rule,
						   size_t j)
{
	const rb_sym *s = used(res, rule, j);
	return s ? s->name : NULL;
}

RULEBOOK_API const char *rulebook_result_used_kind(const rulebook_result *res, size_t rule,
						   size_t j)
{
	const rb_sym *s = used(res, rule, j);
	if (!s)
		return NULL;
	switch (s->kind) {
	case RB_SYM_INPUT:
		return "input";
	case RB_SYM_PARAM:
		return "parameter";
	case RB_SYM_LOOKUP:
		return "table";
	default:
		return "indicator";
	}
}

RULEBOOK_API const char *rulebook_result_used_unit(const rulebook_result *res, size_t rule,
						   size_t j)
{
	const rb_sym *s = used(res, rule, j);
	return s ? s->unit_text : NULL;
}

RULEBOOK_API const char *rulebook_result_used_value(rulebook_result *res, size_t rule, size_t j)
{
	const rb_sym *s = used(res, rule, j);
	return s && rulebook_result_as_of(res) ? rb_result_sym_value(res, s) : NULL;
}
