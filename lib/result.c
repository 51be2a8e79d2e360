/* Results: verdict accessors and the lazily rendered parts of an
 * explanation (values as text, gaps, messages). Rendering happens only when
 * asked for, into the result's string arena, which the next evaluation
 * empties. */
#include "result.h"
#include "alloc.h"
#include "date.h"
#include "expr.h"

#include <stdio.h>
#include <string.h>

RULEBOOK_API rulebook_result *rulebook_result_new(const rulebook *rb)
{
	if (!rb)
		return NULL;
	rulebook_result *r = rb_calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->rb = rb;
	rb_arena_init(&r->strings);
	rb_buf_init(&r->out);
	rb_buf_init(&r->scratch);
	r->slots = rb_malloc((rb->nslots ? rb->nslots : 1) * sizeof(rb_val));
	r->verdicts = rb_calloc(rb->nrules ? rb->nrules : 1, 1);
	r->exception = rb_calloc(rb->nrules ? rb->nrules : 1, sizeof(int32_t));
	r->rule_plan = rb_calloc(rb->nrules ? 2 * (size_t)rb->nrules : 1, sizeof(uint32_t));
	size_t nt = rb->ntargets ? rb->ntargets : 1;
	r->tstatus = rb_calloc(nt, 1);
	r->tfig = rb_calloc(nt * RB_TARGET_FIELDS, sizeof(rb_dec));
	r->tfig_ok = rb_calloc(nt * RB_TARGET_FIELDS, 1);
	size_t ns = rb->nscorecards ? rb->nscorecards : 1;
	r->sc_class = rb_calloc(ns, sizeof(int16_t));
	r->sc_veto = rb_calloc(ns, sizeof(int16_t));
	r->sc_fault = rb_calloc(ns, sizeof(uint32_t));
	if (!r->slots || !r->verdicts || !r->exception || !r->rule_plan || !r->tstatus ||
	    !r->tfig || !r->tfig_ok ||
	    !r->sc_class || !r->sc_veto || !r->sc_fault) {
		rulebook_result_free(r);
		return NULL;
	}
	memcpy(r->slots, rb->consts, rb->nslots * sizeof(rb_val));
	if (rb->fcode) {
		r->fslots = rb_malloc((rb->nslots ? rb->nslots : 1) * sizeof(rb_val));
		if (!r->fslots) {
			rulebook_result_free(r);
			return NULL;
		}
		memcpy(r->fslots, rb->fconsts, rb->nslots * sizeof(rb_val));
		r->fast_ok = true;
		if (rb->writer) {
			size_t nc = rb->ncode ? rb->ncode : 1;
			r->done = rb_calloc(nc, sizeof(uint32_t));
			r->work = rb_malloc(nc * sizeof(uint32_t));
			r->score_inv = rb_calloc(ns, sizeof(uint32_t));
			if (!r->done || !r->work || !r->score_inv) {
				rulebook_result_free(r);
				return NULL;
			}
		}
	}
	r->exact = true;
	r->params_as_of = -1;
	r->plain_as_of = -1;
	return r;
}

RULEBOOK_API void rulebook_result_free(rulebook_result *r)
{
	if (!r)
		return;
	rb_free(r->slots);
	rb_free(r->fslots);
	rb_free(r->done);
	rb_free(r->work);
	rb_free(r->score_inv);
	rb_free(r->verdicts);
	rb_free(r->exception);
	rb_free(r->rule_plan);
	rb_free(r->tstatus);
	rb_free(r->tfig);
	rb_free(r->tfig_ok);
	rb_free(r->sc_class);
	rb_free(r->sc_veto);
	rb_free(r->sc_fault);
	rb_free(r->text);
	rb_free(r->list);
	rb_free(r->record_id);
	rb_free(r->taint);
	rb_arena_release(&r->strings);
	rb_buf_release(&r->out);
	rb_buf_release(&r->scratch);
	rb_free(r);
}

static bool evaluated(const rulebook_result *r)
{
	return r && r->as_of != 0;
}

RULEBOOK_API int32_t rulebook_result_as_of(const rulebook_result *r)
{
	return r ? r->as_of : 0;
}

RULEBOOK_API const char *rulebook_result_record_id(const rulebook_result *r)
{
	return r && r->has_id ? r->record_id : NULL;
}

RULEBOOK_API rulebook_verdict rulebook_result_verdict(const rulebook_result *r, size_t rule)
{
	if (!r || rule >= r->nverdicts) /* none before the first evaluation */
		return (rulebook_verdict)0;
	return (rulebook_verdict)r->verdicts[rule];
}

RULEBOOK_API void rulebook_result_counts(const rulebook_result *r, uint32_t *out)
{
	if (!out)
		return;
	if (!evaluated(r)) {
		memset(out, 0, 8 * sizeof(uint32_t));
		return;
	}
	memcpy(out, r->counts, 8 * sizeof(uint32_t));
}

RULEBOOK_API const char *rulebook_result_exception(const rulebook_result *r, size_t rule)
{
	if (!evaluated(r) || rule >= r->rb->nrules || r->exception[rule] < 0)
		return NULL;
	return r->rb->rules[rule].unless[r->exception[rule]].id;
}

/* ---- missing inputs ---- */

/* A dependency the rule misses: an input or parameter without a value, or
 * a table lookup whose keys are known but whose row has no value. */
bool rb_sym_missing(const rulebook_result *r, const rb_sym *s)
{
	if (s->kind == RB_SYM_INDICATOR || rb_state_at(r, s->slot)->state != RB_V_MISSING)
		return false;
	if (s->kind == RB_SYM_EACH) /* the list is there: empty, or missing elements */
		return rb_exact_at(r, s->each->list->slot)->state == RB_V_OK;
	return s->kind != RB_SYM_LOOKUP || rb_table_row_of(r->rb, s->lookup, rb_exact(r)) != -2;
}

size_t rb_missing_in(const rulebook_result *r, const rb_sym *const *deps, uint32_t n, size_t j,
		     const char **name)
{
	size_t count = 0;
	for (uint32_t i = 0; i < n; i++) {
		const rb_sym *s = deps[i];
		if (!rb_sym_missing(r, s))
			continue;
		if (name && count == j)
			*name = s->kind == RB_SYM_LOOKUP ? rb_lookup_key_text((rulebook_result *)r, s)
				: s->kind == RB_SYM_EACH ? s->each->list->name
							 : s->name;
		count++;
	}
	return count;
}

RULEBOOK_API size_t rulebook_result_missing_count(const rulebook_result *r, size_t rule)
{
	if (!evaluated(r) || rule >= r->rb->nrules || r->verdicts[rule] != RULEBOOK_UNKNOWN)
		return 0;
	const rb_rule *ru = &r->rb->rules[rule];
	return rb_missing_in(r, ru->deps, ru->ndeps, 0, NULL);
}

RULEBOOK_API const char *rulebook_result_missing(const rulebook_result *r, size_t rule, size_t j)
{
	if (!evaluated(r) || rule >= r->rb->nrules || r->verdicts[rule] != RULEBOOK_UNKNOWN)
		return NULL;
	const rb_rule *ru = &r->rb->rules[rule];
	const char *name = NULL;
	rb_missing_in(r, ru->deps, ru->ndeps, j, &name);
	return name;
}

/* ---- values as text ---- */

const char *rb_format_value(const rulebook *rb, const rb_sym *sym, const rb_val *v, char *buf,
			    size_t size)
{
	if (v->state != RB_V_OK)
		return NULL;
	switch (sym ? sym->ct.type : RB_T_NUMBER) {
	case RB_T_NUMBER:
	case RB_T_INTEGER:
		rb_dec_format(v->u.d, buf, size);
		return buf;
	case RB_T_BOOL:
		return v->u.b ? "true" : "false";
	case RB_T_DATE:
		if (size < 11)
			return NULL;
		rb_date_format(v->u.date, buf);
		return buf;
	case RB_T_ENUM:
		return rb->inputs[sym->ct.enum_of].values[v->u.e];
	case RB_T_TEXT:
		return v->u.t.s;
	case RB_T_LIST:   /* rb_result_sym_value */
	case RB_T_RECORD:
		return NULL;
	}
	return NULL;
}

/* One value of element k of list input `in` into b. */
static void element_text(const rulebook *rb, const rb_input *in, const rb_val *items, size_t k,
			 rb_buf *b)
{
	uint32_t stride = in->nfields ? in->nfields : 1;
	if (in->nfields)
		rb_buf_putc(b, '{');
	for (uint32_t f = 0; f < stride; f++) {
		rb_sym es = in->nfields ? *rb->inputs[in->field0 + f].sym : *in->sym;
		if (!in->nfields)
			es.ct.type = in->sym->ct.elem;
		else
			rb_buf_printf(b, "%s%s: ", f ? ", " : "", es.name);
		char buf[RB_DEC_BUFSIZE];
		const char *t = rb_format_value(rb, &es, &items[k * stride + f], buf, sizeof buf);
		rb_buf_puts(b, t ? t : "null");
	}
	if (in->nfields)
		rb_buf_putc(b, '}');
}

/* "[3.5, 9, 4]", "[{height: 9, area: 300}]"; null for a missing element. */
static const char *list_text(rulebook_result *r, const rb_sym *s, const rb_val *v)
{
	const rulebook *rb = r->rb;
	const rb_input *in = &rb->inputs[s->index];
	rb_buf b;
	rb_buf_init(&b);
	rb_buf_putc(&b, '[');
	for (size_t k = 0; k < v->u.l.n; k++) {
		if (k)
			rb_buf_puts(&b, ", ");
		element_text(rb, in, v->u.l.items, k, &b);
	}
	rb_buf_putc(&b, ']');
	const char *t = b.failed ? NULL : rb_result_strdup(r, b.data, b.len);
	if (b.failed)
		r->out.failed = true;
	rb_buf_release(&b);
	return t;
}

int rb_each_selected(rulebook_result *r, const rb_each_site *site, size_t k)
{
	const rulebook *rb = r->rb;
	const rb_ins *i = &rb->code[site->pc];
	rb_val *slots = (rb_val *)rb_exact(r);
	const rb_val *l = &slots[i->a];
	uint32_t stride = RB_EACH_STRIDE(i->den);
	if (l->state != RB_V_OK || k >= l->u.l.n)
		return -1;
	/* the body's slots are scratch once the fold is done: run it again */
	memcpy(&slots[i->b], &l->u.l.items[k * stride], stride * sizeof(rb_val));
	rb_run_code(&rb->code[site->pc + 1], (uint32_t)i->num, slots);
	const rb_val *c = &slots[i->c];
	return c->state == RB_V_OK ? c->u.b : -1;
}

const char *rb_each_counted_text(rulebook_result *r, const rb_sym *s)
{
	if (s->kind != RB_SYM_EACH || !s->each->filtered)
		return NULL;
	const rb_val *l = &rb_exact(r)[s->each->list->slot];
	if (l->state != RB_V_OK)
		return NULL;
	const rb_input *in = &r->rb->inputs[s->each->list->index];
	rb_buf b;
	rb_buf_init(&b);
	size_t n = 0;
	for (size_t k = 0; k < l->u.l.n; k++) {
		if (rb_each_selected(r, s->each, k) != 1)
			continue;
		rb_buf_printf(&b, "%s#%zu ", n++ ? ", " : "", k + 1);
		element_text(r->rb, in, l->u.l.items, k, &b);
	}
	if (!n)
		rb_buf_puts(&b, "none");
	const char *t = b.failed ? NULL : rb_result_strdup(r, b.data, b.len);
	rb_buf_release(&b);
	return t;
}

const char *rb_result_strdup(rulebook_result *r, const char *s, size_t len)
{
	const char *t = rb_arena_strndup(&r->strings, s, len);
	/* Output being rendered would silently lack this text: mark it failed
	 * (rulebook_result_json and _explain reset it first, then report
	 * RULEBOOK_ERR_NOMEM). */
	if (!t)
		r->out.failed = true;
	return t;
}

const char *rb_result_sym_value(rulebook_result *r, const rb_sym *s)
{
	if (s->ct.type == RB_T_LIST) {
		const rb_val *v = &rb_exact(r)[s->slot];
		return v->state == RB_V_OK ? list_text(r, s, v) : NULL;
	}
	char buf[RB_DEC_BUFSIZE];
	const char *t = rb_format_value(r->rb, s, rb_exact_at(r, s->slot), buf, sizeof buf);
	if (!t)
		return NULL;
	return t == buf ? rb_result_strdup(r, buf, strlen(buf)) : t;
}

RULEBOOK_API const char *rulebook_result_value(rulebook_result *r, const char *name)
{
	if (!evaluated(r) || !name)
		return NULL;
	const rb_sym *s = rb_lookup(r->rb, name, strlen(name));
	return s ? rb_result_sym_value(r, s) : NULL;
}

/* ---- obligations ---- */

static const rb_obligation *obligation(const rulebook_result *r, size_t rule, size_t j)
{
	if (!evaluated(r) || rule >= r->rb->nrules)
		return NULL;
	uint8_t v = r->verdicts[rule];
	if (v != RULEBOOK_PASS && v != RULEBOOK_FAIL)
		return NULL;
	const rb_rule *ru = &r->rb->rules[rule];
	return j < ru->nobligations ? &ru->obligations[j] : NULL;
}

RULEBOOK_API size_t rulebook_result_obligation_count(const rulebook_result *r, size_t rule)
{
	return obligation(r, rule, 0) ? r->rb->rules[rule].nobligations : 0;
}

RULEBOOK_API const char *rulebook_result_obligation_name(const rulebook_result *r, size_t rule,
							 size_t j)
{
	const rb_obligation *o = obligation(r, rule, j);
	return o ? o->id : NULL;
}

RULEBOOK_API const char *rulebook_result_obligation_unit(const rulebook_result *r, size_t rule,
							 size_t j)
{
	const rb_obligation *o = obligation(r, rule, j);
	return o ? o->unit_text : NULL;
}

RULEBOOK_API const char *rulebook_result_obligation_value(rulebook_result *r, size_t rule,
							  size_t j)
{
	const rb_obligation *o = obligation(r, rule, j);
	if (!o)
		return NULL;
	char buf[RB_DEC_BUFSIZE];
	const char *t = rb_format_value(r->rb, NULL, rb_exact_at(r, o->slot), buf, sizeof buf);
	return t ? rb_result_strdup(r, t, strlen(t)) : NULL;
}

/* ---- gaps ---- */

static bool check_failed(const rulebook_result *r, const rb_check *ck)
{
	const rb_val *v = rb_exact_at(r, ck->result);
	return v->state == RB_V_OK && !v->u.b && ck->op != RB_OP_NE;
}

static bool in_display_unit(const rb_val *v, const rb_unit *from, const rb_unit *to, rb_dec *out)
{
	int64_t num, den;
	if (v->state != RB_V_OK || rb_unit_ratio(from, to, &num, &den) != RB_UNIT_OK)
		return false;
	return rb_dec_mul_ratio(v->u.d, num, den, out) == RB_DEC_OK;
}

bool rb_check_threshold(const rulebook_result *r, const rb_check *ck, rb_dec *out)
{
	return in_display_unit(rb_exact_at(r, ck->threshold), &ck->threshold_unit, &ck->value_unit, out);
}

bool rb_check_gap(const rulebook_result *r, const rb_check *ck, rb_dec *gap, rb_dec *value,
		  rb_dec *threshold)
{
	if (!in_display_unit(rb_exact_at(r, ck->value), &ck->value_unit, &ck->display_unit, value) ||
	    !in_display_unit(rb_exact_at(r, ck->threshold), &ck->threshold_unit, &ck->display_unit,
			     threshold))
		return false;
	return rb_dec_sub(*threshold, *value, gap) == RB_DEC_OK;
}

/* How far a failed comparison is from holding: |gap| / |threshold|, or
 * |gap| when the threshold is zero (rel false). */
static bool distance(const rulebook_result *r, const rb_check *ck, rb_dec *out, bool *rel)
{
	rb_dec gap, value, thr;
	if (!rb_check_gap(r, ck, &gap, &value, &thr))
		return false;
	*rel = !rb_dec_is_zero(thr);
	if (!*rel) {
		*out = rb_dec_abs(gap);
		return true;
	}
	return rb_dec_div(rb_dec_abs(gap), rb_dec_abs(thr), out) == RB_DEC_OK;
}

/* The nearest failed alternative of 'or' group g, NULL when none failed
 * with a gap (then the group holds, or lacks data). */
static const rb_check *nearest(const rulebook_result *r, const rb_rule *ru, uint32_t g)
{
	const rb_check *best = NULL;
	rb_dec bd = rb_dec_from_int(0);
	bool brel = false;
	for (uint32_t k = 0; k < ru->nchecks; k++) {
		const rb_check *ck = &ru->checks[k];
		if (ck->group != g)
			continue;
		const rb_val *v = rb_exact_at(r, ck->result);
		if (v->state != RB_V_OK || v->u.b)
			return NULL; /* an alternative holds or is unknown */
		rb_dec d;
		bool rel;
		if (ck->op == RB_OP_NE || !distance(r, ck, &d, &rel))
			continue;
		/* relative distances first: they compare across units */
		if (!best || (rel && !brel) || (rel == brel && rb_dec_cmp(d, bd) < 0)) {
			best = ck;
			bd = d;
			brel = rel;
		}
	}
	return best;
}

const rb_check *rb_gap_part(const rulebook_result *r, size_t rule, size_t j)
{
	if (!evaluated(r) || rule >= r->rb->nrules || r->verdicts[rule] != RULEBOOK_FAIL)
		return NULL;
	const rb_rule *ru = &r->rb->rules[rule];
	size_t n = 0;
	for (uint32_t k = 0; k < ru->nchecks; k++) {
		const rb_check *ck = &ru->checks[k], *part = NULL;
		if (ck->group == 0) {
			rb_dec gap, value, thr;
			if (check_failed(r, ck) && rb_check_gap(r, ck, &gap, &value, &thr))
				part = ck;
		} else {
			bool first = true;
			for (uint32_t q = 0; q < k; q++)
				if (ru->checks[q].group == ck->group)
					first = false;
			if (first)
				part = nearest(r, ru, ck->group);
		}
		if (part && n++ == j)
			return part;
	}
	return NULL;
}

size_t rb_gap_count(const rulebook_result *r, size_t rule)
{
	size_t n = 0;
	while (rb_gap_part(r, rule, n))
		n++;
	return n;
}

const rb_check *rb_failed_check(const rulebook_result *r, size_t rule)
{
	return rb_gap_part(r, rule, 0);
}

const char *rb_gap_text(rulebook_result *r, const rb_check *ck, bool display)
{
	rb_dec gap, value, threshold;
	if (!rb_check_gap(r, ck, &gap, &value, &threshold))
		return NULL;
	/* Rounded for people, unless rounding would make a miss read as zero:
	 * then every digit is shown. */
	rb_dec shown;
	if (display && rb_dec_round(gap, RB_DISPLAY_PLACES, RB_ROUND_HALF_UP, &shown) == RB_DEC_OK &&
	    (!rb_dec_is_zero(shown) || rb_dec_is_zero(gap)))
		gap = shown;
	char buf[RB_DEC_BUFSIZE + 64];
	size_t n = 0;
	if (ck->op == RB_OP_GT)
		buf[n++] = '>';
	else if (ck->op == RB_OP_LT)
		buf[n++] = '<';
	if (rb_dec_sign(gap) > 0 || (rb_dec_is_zero(gap) && ck->op != RB_OP_LT && ck->op != RB_OP_LE))
		buf[n++] = '+';
	else if (rb_dec_is_zero(gap))
		buf[n++] = '-';
	n += rb_dec_format(gap, buf + n, RB_DEC_BUFSIZE);
	if (ck->unit_text[0] && n + strlen(ck->unit_text) + 2 < sizeof buf) {
		if (strcmp(ck->unit_text, "%") != 0)
			buf[n++] = ' ';
		memcpy(buf + n, ck->unit_text, strlen(ck->unit_text));
		n += strlen(ck->unit_text);
	}
	return rb_result_strdup(r, buf, n);
}

/* Every part's gap, "; "-separated; each named by its value when there
 * are several. */
const char *rb_rule_gap_text(rulebook_result *r, size_t rule)
{
	const rb_check *first = rb_gap_part(r, rule, 0);
	if (!first)
		return NULL;
	if (!rb_gap_part(r, rule, 1))
		return rb_gap_text(r, first, true);
	char buf[1024];
	size_t n = 0;
	const rb_check *ck;
	for (size_t j = 0; (ck = rb_gap_part(r, rule, j)) != NULL && n < sizeof buf; j++) {
		const char *t = rb_gap_text(r, ck, true);
		int w;
		if (ck->value_sym)
			w = snprintf(buf + n, sizeof buf - n, "%s%.*s %s", j ? "; " : "",
				     (int)ck->value_sym->len, ck->value_sym->name, t ? t : "?");
		else
			w = snprintf(buf + n, sizeof buf - n, "%s%s", j ? "; " : "", t ? t : "?");
		if (w < 0)
			break;
		n += (size_t)w;
	}
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	return rb_result_strdup(r, buf, n);
}

RULEBOOK_API const char *rulebook_result_gap(rulebook_result *r, size_t rule)
{
	return rb_rule_gap_text(r, rule);
}

RULEBOOK_API size_t rulebook_result_gap_count(const rulebook_result *res, size_t rule)
{
	return res ? rb_gap_count(res, rule) : 0;
}

RULEBOOK_API const char *rulebook_result_gap_part(rulebook_result *res, size_t rule, size_t j,
						  rulebook_gap_field field)
{
	const rb_check *ck = res ? rb_gap_part(res, rule, j) : NULL;
	return ck ? rb_check_field(res, ck, field) : NULL;
}

const char *rb_display_value(rulebook_result *r, const rb_sym *s, bool en)
{
	const rb_val *v = rb_exact_at(r, s->slot);
	if (v->state != RB_V_OK)
		return NULL;
	if (s->ct.type == RB_T_BOOL && !en)
		return v->u.b ? "是" : "否";
	if (s->ct.type != RB_T_NUMBER && s->ct.type != RB_T_INTEGER)
		return rb_result_sym_value(r, s);
	rb_dec d;
	char buf[RB_DEC_BUFSIZE];
	if (rb_dec_round(v->u.d, RB_DISPLAY_PLACES, RB_ROUND_HALF_UP, &d) != RB_DEC_OK)
		d = v->u.d;
	rb_dec_format(d, buf, sizeof buf);
	return rb_result_strdup(r, buf, strlen(buf));
}

/* ---- messages ---- */

/* A number for a message: RB_DISPLAY_PLACES places (half up, trailing
 * zeros dropped) unless the placeholder gives its own places (kept, zeros
 * included) and rounding; digits grouped by three with {x:,}. */
const char *rb_display_number(rulebook_result *r, rb_dec d, const rb_tpart *p)
{
	int places = p && p->places >= 0 ? p->places : RB_DISPLAY_PLACES;
	rb_dec_rounding mode = p && p->places >= 0 ? (rb_dec_rounding)p->mode : RB_ROUND_HALF_UP;
	rb_dec x;
	if (rb_dec_round(d, places, mode, &x) != RB_DEC_OK)
		x = d;
	char buf[RB_DEC_BUFSIZE], out[RB_DEC_BUFSIZE * 2 + 24];
	rb_dec_format(x, buf, sizeof buf);
	const char *dot = strchr(buf, '.');
	size_t whole = dot ? (size_t)(dot - buf) : strlen(buf);
	size_t n = 0, start = buf[0] == '-' ? 1 : 0;
	if (start)
		out[n++] = '-';
	for (size_t i = start; i < whole; i++) {
		if (p && p->thousands && i > start && (whole - i) % 3 == 0)
			out[n++] = ',';
		out[n++] = buf[i];
	}
	size_t have = dot ? strlen(dot + 1) : 0;
	if (have)
		for (const char *q = dot; *q; q++)
			out[n++] = *q;
	if (p && p->places > 0 && have < (size_t)p->places) {
		if (!have)
			out[n++] = '.';
		for (size_t k = have; k < (size_t)p->places; k++)
			out[n++] = '0';
	}
	out[n] = '\0';
	return rb_result_strdup(r, out, n);
}

bool rb_lang_en(const char *lang)
{
	return lang && strcmp(lang, "en") == 0;
}

const char *rb_i18n_pick(const rb_i18n *t, bool en)
{
	const char *a = en ? t->en : t->zh;
	return a ? a : en ? t->zh : t->en;
}

const char *rb_render_message(rulebook_result *r, size_t rule, bool en)
{
	const rb_rule *ru = &r->rb->rules[rule];
	const rb_template *t = en ? &ru->msg_en : &ru->msg_zh;
	if (!t->nparts)
		t = en ? &ru->msg_zh : &ru->msg_en;
	/* a message for this verdict (pass, fail) replaces the general one */
	uint8_t verdict = r->verdicts[rule];
	if (verdict == RULEBOOK_PASS || verdict == RULEBOOK_FAIL) {
		const rb_template *v = ru->vmsg[verdict == RULEBOOK_FAIL];
		if (v[en].nparts)
			t = &v[en];
		else if (v[!en].nparts)
			t = &v[!en];
	}
	if (!t->nparts)
		return "";
	/* Rendered in the result's scratch buffer, then copied into its string
	 * arena: both keep their storage, so steady state allocates nothing. */
	rb_buf *b = &r->scratch;
	rb_buf_reset(b);
	/* A piece lost for memory (flagged by rb_result_strdup) fails the
	 * whole message rather than leave it silently incomplete. */
	bool failed_before = r->out.failed;
	r->out.failed = false;
	const char *gap = rb_rule_gap_text(r, rule);
	for (uint32_t i = 0; i < t->nparts; i++) {
		const rb_tpart *p = &t->parts[i];
		const char *v = NULL, *unit = "";
		if (p->text) {
			rb_buf_append(b, p->text, p->len);
			continue;
		}
		if (p->gap) {
			v = gap;
		} else if (p->sym) {
			const rb_val *x = rb_exact_at(r, p->sym->slot);
			bool number = p->sym->ct.type == RB_T_NUMBER || p->sym->ct.type == RB_T_INTEGER;
			v = number && x->state == RB_V_OK ? rb_display_number(r, x->u.d, p)
							  : rb_display_value(r, p->sym, en);
			unit = p->sym->unit_text;
		} else if (p->obligation) {
			/* displayed like values: 4 places unless the placeholder says */
			const rb_obligation *o = &ru->obligations[p->obligation - 1];
			const rb_val *x = rb_exact_at(r, o->slot);
			v = x->state == RB_V_OK ? rb_display_number(r, x->u.d, p) : NULL;
			unit = o->unit_text;
		}
		if (!v) {
			rb_buf_puts(b, en ? "(unknown)" : "（未知）");
			continue;
		}
		rb_buf_puts(b, v);
		if (unit[0]) {
			if (strcmp(unit, "%") != 0)
				rb_buf_putc(b, ' ');
			rb_buf_puts(b, unit);
		}
	}
	if (gap && !t->has_gap)
		rb_buf_printf(b, en ? " (gap: %s)" : "（差距 %s）", gap);
	if (b->failed)
		r->out.failed = true;
	const char *s = r->out.failed ? NULL : rb_result_strdup(r, rb_buf_cstr(b), b->len);
	r->out.failed = r->out.failed || failed_before;
	return s ? s : "";
}

RULEBOOK_API const char *rulebook_result_message(rulebook_result *r, size_t rule, const char *lang)
{
	if (!evaluated(r) || rule >= r->rb->nrules)
		return "";
	return rb_render_message(r, rule, rb_lang_en(lang));
}
