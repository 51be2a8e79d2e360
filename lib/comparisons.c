/* A rule's comparisons with thresholds -- the parts its gaps are made of --
 * measured whether they hold or not: the value, the threshold, the
 * distance between them, the operator and the names on each side. The
 * gaps of a failed rule (rulebook_result_gap_part) read the same fields. */
#include "result.h"
#include "expr.h"

#include <string.h>

const char *rb_check_field(rulebook_result *res, const rb_check *ck, rulebook_gap_field field)
{
	static const char *const ops[] = {[RB_OP_EQ] = "==", [RB_OP_NE] = "!=", [RB_OP_LT] = "<",
					  [RB_OP_LE] = "<=", [RB_OP_GT] = ">", [RB_OP_GE] = ">="};
	rb_dec gap, value, thr;
	char buf[RB_DEC_BUFSIZE];
	const rb_val *holds = &rb_exact(res)[ck->result];
	switch (field) {
	case RULEBOOK_GAP_VALUE:
	case RULEBOOK_GAP_ACTUAL:
	case RULEBOOK_GAP_THRESHOLD:
		if (!rb_check_gap(res, ck, &gap, &value, &thr))
			return NULL;
		rb_dec_format(field == RULEBOOK_GAP_VALUE ? gap
			      : field == RULEBOOK_GAP_ACTUAL ? value : thr, buf, sizeof buf);
		return rb_result_strdup(res, buf, strlen(buf));
	case RULEBOOK_GAP_UNIT:
		return ck->unit_text;
	case RULEBOOK_GAP_OPERATOR:
		return ops[ck->op];
	case RULEBOOK_GAP_NAME:
		return ck->value_sym ? rb_result_strdup(res, ck->value_sym->name, ck->value_sym->len)
				     : NULL;
	case RULEBOOK_GAP_TEXT:
		/* a distance to cover only where the comparison fails */
		return holds->state == RB_V_OK && !holds->u.b ? rb_gap_text(res, ck, true) : NULL;
	case RULEBOOK_GAP_THRESHOLD_NAME:
		return ck->threshold_sym ? rb_result_strdup(res, ck->threshold_sym->name,
							    ck->threshold_sym->len)
					 : NULL;
	case RULEBOOK_GAP_HOLDS:
		return holds->state != RB_V_OK ? NULL : holds->u.b ? "true" : "false";
	}
	return NULL;
}

RULEBOOK_API size_t rulebook_rule_comparison_count(const rulebook *rb, size_t rule)
{
	return rb && rule < rb->nrules ? rb->rules[rule].nchecks : 0;
}

RULEBOOK_API const char *rulebook_result_comparison(rulebook_result *res, size_t rule, size_t j,
						    rulebook_gap_field field)
{
	if (!res || !rulebook_result_as_of(res) || rule >= res->rb->nrules ||
	    j >= res->rb->rules[rule].nchecks)
		return NULL;
	return rb_check_field(res, &res->rb->rules[rule].checks[j], field);
}
