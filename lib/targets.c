/* Targets against time progress (五（三）): completion progress (achieved ÷
 * target) is compared with time progress (the elapsed share of the
 * target's period, counted in days and clipped to 0..1). A unit whose
 * completion is behind time progress is flagged. All figures are exact
 * decimals. */
#include "result.h"
#include "date.h"

#include <string.h>

enum { F_ACHIEVED, F_GOAL, F_COMPLETION, F_TIME, F_SHORTFALL, F_NEEDED };

static bool in_window(int32_t from, int32_t until, int32_t d)
{
	return (!from || d >= from) && (!until || d <= until);
}

static void put(rulebook_result *res, uint32_t t, int f, rb_dec v)
{
	res->tfig[t * RB_TARGET_FIELDS + f] = v;
	res->tfig_ok[t * RB_TARGET_FIELDS + f] = 1;
}

static rulebook_target_status eval_target(const rulebook *rb, const rb_target *t,
					  rulebook_result *res, uint32_t ti)
{
	const rb_val *s = rb_exact(res);
	int32_t as_of = res->as_of;
	if (!in_window(rb->from, rb->until, as_of))
		return RULEBOOK_TARGET_NOT_IN_FORCE;
	int32_t from = t->from, until = t->until;
	if (t->yearly) {
		from = as_of / 10000 * 10000 + 101;
		until = as_of / 10000 * 10000 + 1231;
	}
	/* time progress */
	int64_t total = rb_date_span(from, until);
	int64_t elapsed = as_of < from ? 0 : rb_date_span(from, as_of < until ? as_of : until);
	rb_dec tp;
	if (rb_dec_div(rb_dec_from_int(elapsed), rb_dec_from_int(total), &tp) != RB_DEC_OK)
		tp = RB_DEC_ZERO;
	put(res, ti, F_TIME, tp);

	const rb_val *m = &s[t->measure], *g = &s[t->goal];
	/* Before the period the status is not_started whatever the data; the
	 * figures that can be computed are given all the same. */
	rulebook_target_status undecided = as_of < from ? RULEBOOK_TARGET_NOT_STARTED
							: RULEBOOK_TARGET_UNKNOWN;
	if (g->state == RB_V_OK)
		put(res, ti, F_GOAL, g->u.d);
	if (m->state != RB_V_OK || g->state != RB_V_OK)
		return undecided;
	rb_dec achieved = m->u.d;
	if (t->kind == RB_TK_REDUCTION || t->kind == RB_TK_GROWTH) {
		const rb_val *b = &s[t->base];
		rb_dec diff;
		if (b->state != RB_V_OK)
			return undecided;
		rb_dec_status st = t->kind == RB_TK_REDUCTION ? rb_dec_sub(b->u.d, m->u.d, &diff)
							      : rb_dec_sub(m->u.d, b->u.d, &diff);
		if (st != RB_DEC_OK || rb_dec_div(diff, b->u.d, &achieved) != RB_DEC_OK)
			return undecided;
	}
	rb_dec goal = g->u.d;
	put(res, ti, F_ACHIEVED, achieved);
	rb_dec completion;
	bool have_completion = rb_dec_div(achieved, goal, &completion) == RB_DEC_OK;
	if (have_completion)
		put(res, ti, F_COMPLETION, completion);

	/* above and below are the strict forms: at exactly the goal a target
	 * that must be exceeded (突破) is not met. */
	bool at_least = t->direction == RB_DIR_AT_LEAST || t->direction == RB_DIR_ABOVE;
	bool strict = t->direction == RB_DIR_ABOVE || t->direction == RB_DIR_BELOW;
	int c = rb_dec_cmp(achieved, goal);
	bool met = at_least ? (strict ? c > 0 : c >= 0) : (strict ? c < 0 : c <= 0);
	rb_dec shortfall = RB_DEC_ZERO;
	if (!met)
		(void)(at_least ? rb_dec_sub(goal, achieved, &shortfall)
				: rb_dec_sub(achieved, goal, &shortfall));
	put(res, ti, F_SHORTFALL, shortfall);

	if (as_of < from)
		return RULEBOOK_TARGET_NOT_STARTED;
	/* On the last day of the period the figures are final. */
	if (as_of >= until)
		return met ? RULEBOOK_TARGET_MET : RULEBOOK_TARGET_MISSED;
	if (at_least && !met && t->kind == RB_TK_CUMULATIVE) {
		/* the shortfall spread over the months left: days × 12 / 365 */
		int64_t left = rb_date_span(as_of, until) - 1;
		rb_dec per;
		if (left > 0 &&
		    rb_dec_mul_ratio(shortfall, 365, left * 12, &per) == RB_DEC_OK)
			put(res, ti, F_NEEDED, per);
	}
	if (at_least) {
		if (met)
			return RULEBOOK_TARGET_MET;
		return have_completion && rb_dec_cmp(completion, tp) >= 0 ? RULEBOOK_TARGET_ON_PACE
									   : RULEBOOK_TARGET_BEHIND_PACE;
	}
	/* At most: a budget consumed over the period is on pace while it stays
	 * within the time share of the budget; a level must stay under it. */
	if (t->kind == RB_TK_CUMULATIVE) {
		rb_dec allowed;
		if (rb_dec_mul(goal, tp, &allowed) != RB_DEC_OK)
			return RULEBOOK_TARGET_UNKNOWN;
		int ca = rb_dec_cmp(achieved, allowed);
		return (strict ? ca < 0 : ca <= 0) ? RULEBOOK_TARGET_ON_PACE
						   : RULEBOOK_TARGET_BEHIND_PACE;
	}
	return met ? RULEBOOK_TARGET_ON_PACE : RULEBOOK_TARGET_BEHIND_PACE;
}

void rb_eval_targets(const rulebook *rb, rulebook_result *res)
{
	if (!rb->ntargets)
		return;
	memset(res->tfig_ok, 0, (size_t)rb->ntargets * RB_TARGET_FIELDS);
	for (uint32_t t = 0; t < rb->ntargets; t++)
		res->tstatus[t] = (uint8_t)eval_target(rb, &rb->targets[t], res, t);
}

RULEBOOK_API const char *rulebook_target_status_str(rulebook_target_status st)
{
	static const char *const names[] = {"invalid", "met", "on_pace", "behind_pace", "missed",
					    "not_started", "unknown", "not_in_force"};
	return (unsigned)st < sizeof(names) / sizeof(names[0]) ? names[st] : "invalid";
}

RULEBOOK_API size_t rulebook_target_count(const rulebook *rb)
{
	return rb ? rb->ntargets : 0;
}

static const rb_target *target_at(const rulebook *rb, size_t i)
{
	return rb && i < rb->ntargets ? &rb->targets[i] : NULL;
}

RULEBOOK_API const char *rulebook_target_id(const rulebook *rb, size_t i)
{
	const rb_target *t = target_at(rb, i);
	return t ? t->id : NULL;
}

RULEBOOK_API const char *rulebook_target_cite(const rulebook *rb, size_t i)
{
	const rb_target *t = target_at(rb, i);
	return t ? t->cite : NULL;
}

RULEBOOK_API const char *rulebook_target_unit(const rulebook *rb, size_t i)
{
	const rb_target *t = target_at(rb, i);
	return t ? t->unit_text : NULL;
}

RULEBOOK_API size_t rulebook_target_responsible_count(const rulebook *rb, size_t i)
{
	const rb_target *t = target_at(rb, i);
	return t ? t->nresponsible : 0;
}

RULEBOOK_API const char *rulebook_target_responsible(const rulebook *rb, size_t i, size_t j)
{
	const rb_target *t = target_at(rb, i);
	return t && j < t->nresponsible ? t->responsible[j] : NULL;
}

RULEBOOK_API rulebook_target_status rulebook_result_target_status(const rulebook_result *res,
								  size_t t)
{
	if (!res || !res->as_of || t >= res->rb->ntargets)
		return (rulebook_target_status)0;
	return (rulebook_target_status)res->tstatus[t];
}

RULEBOOK_API size_t rulebook_result_target_missing_count(const rulebook_result *res, size_t t)
{
	if (!res || !res->as_of || t >= res->rb->ntargets ||
	    res->tstatus[t] != RULEBOOK_TARGET_UNKNOWN)
		return 0;
	const rb_target *tg = &res->rb->targets[t];
	return rb_missing_in(res, tg->deps, tg->ndeps, 0, NULL);
}

RULEBOOK_API const char *rulebook_result_target_missing(const rulebook_result *res, size_t t,
							size_t j)
{
	if (!res || !res->as_of || t >= res->rb->ntargets ||
	    res->tstatus[t] != RULEBOOK_TARGET_UNKNOWN)
		return NULL;
	const rb_target *tg = &res->rb->targets[t];
	const char *name = NULL;
	rb_missing_in(res, tg->deps, tg->ndeps, j, &name);
	return name;
}

RULEBOOK_API const char *rulebook_result_target_value(rulebook_result *res, size_t t,
						      rulebook_target_field field)
{
	if (!res || !res->as_of || t >= res->rb->ntargets || (unsigned)field >= RB_TARGET_FIELDS)
		return NULL;
	size_t k = t * RB_TARGET_FIELDS + field;
	if (!res->tfig_ok[k])
		return NULL;
	char buf[RB_DEC_BUFSIZE];
	rb_dec v = res->tfig[k];
	if (field == RULEBOOK_TARGET_COMPLETION || field == RULEBOOK_TARGET_TIME_PROGRESS ||
	    field == RULEBOOK_TARGET_NEEDED_PER_MONTH)
		rb_dec_round(v, 4, RB_ROUND_HALF_UP, &v);
	rb_dec_format(v, buf, sizeof buf);
	return rb_result_strdup(res, buf, strlen(buf));
}
