/* Output stage: a result as plain text for a person, in Chinese or
 * English: each rule with its citation, verdict, message, the values it
 * used, the gap, the exception that applied and the obligations. */
#include "result.h"
#include "date.h"

#include <stdio.h>
#include <string.h>

static const char *verdict_word(rulebook_verdict v, bool en)
{
	static const char *const zh[] = {"", "通过", "未达标", "不适用", "豁免", "数据不全", "不在有效期", "无法计算"};
	static const char *const eng[] = {"", "PASS", "FAIL", "NOT APPLICABLE", "EXEMPT", "UNKNOWN", "NOT IN FORCE", "ERROR"};
	if ((unsigned)v > RULEBOOK_ERROR)
		return "?";
	return en ? eng[v] : zh[v];
}

const rb_val *rb_rule_error_value(const rulebook_result *r, size_t rule);

/* " (clause 二)" or, with several documents, " (clause 二 [2])": [n] is
 * the n-th document listed at the top of the explanation. */
static void clause(const rulebook *rb, rb_buf *b, const char *cite, int32_t doc, bool en)
{
	if (rb->ndocs > 1 && doc >= 0)
		rb_buf_printf(b, en ? " (clause %s [%ld])" : "（条款 %s [%ld]）", cite ? cite : "",
			      (long)doc + 1);
	else
		rb_buf_printf(b, en ? " (clause %s)" : "（条款 %s）", cite ? cite : "");
}

static void rule_text(rulebook_result *r, rb_buf *b, size_t i, bool en)
{
	const rulebook *rb = r->rb;
	const rb_rule *ru = &rb->rules[i];
	rulebook_verdict v = (rulebook_verdict)r->verdicts[i];
	const char *title = rb_i18n_pick(&ru->title, en);
	rb_buf_printf(b, "[%s] %s", verdict_word(v, en), ru->id);
	if (title)
		rb_buf_printf(b, " %s", title);
	clause(rb, b, ru->cite, ru->doc, en);
	rb_buf_putc(b, '\n');
	if (ru->nresponsible) {
		rb_buf_puts(b, en ? "  responsible: " : "  责任单位：");
		for (uint32_t k = 0; k < ru->nresponsible; k++)
			rb_buf_printf(b, "%s%s", k ? (en ? ", " : "、") : "", ru->responsible[k]);
		rb_buf_putc(b, '\n');
	}
	const char *msg = rb_render_message(r, i, en);
	if (msg[0] && (v == RULEBOOK_PASS || v == RULEBOOK_FAIL))
		rb_buf_printf(b, "  %s\n", msg);
	if (v == RULEBOOK_EXEMPT) {
		const rb_exception *x = &ru->unless[r->exception[i]];
		const char *label = rb_i18n_pick(&x->label, en);
		rb_buf_printf(b, en ? "  exempt by %s%s%s" : "  适用例外 %s%s%s", x->id, label ? " " : "",
			      label ? label : "");
		clause(rb, b, x->cite, x->doc, en);
		rb_buf_putc(b, '\n');
	}
	/* all_of / any_of: every part, with the gap of each that fails */
	for (uint32_t k = 0; k < ru->nparts && v != RULEBOOK_NOT_IN_FORCE; k++) {
		size_t p = ru->parts[k];
		rulebook_verdict pv = (rulebook_verdict)r->verdicts[p];
		const char *pgap = pv == RULEBOOK_FAIL ? rb_rule_gap_text(r, p) : NULL;
		rb_buf_printf(b, en ? "  %s %s (clause %s): %s" : "  %s %s（条款 %s）：%s",
			      k ? "  " : (ru->parts_any ? (en ? "any of" : "之一") : (en ? "all of" : "全部")),
			      rb->rules[p].id, rb->rules[p].cite, verdict_word(pv, en));
		if (pgap)
			rb_buf_printf(b, en ? ", gap %s" : "，差距 %s", pgap);
		rb_buf_putc(b, '\n');
	}
	if (v == RULEBOOK_UNKNOWN) {
		rb_buf_puts(b, en ? "  missing: " : "  缺少数据：");
		size_t n = rulebook_result_missing_count(r, i);
		for (size_t k = 0; k < n; k++)
			rb_buf_printf(b, "%s%s", k ? ", " : "", rulebook_result_missing(r, i, k));
		rb_buf_putc(b, '\n');
	}
	if (v == RULEBOOK_ERROR) {
		const rb_val *ev = rb_rule_error_value(r, i);
		bool dz = ev && ev->err == RB_VERR_DIVZERO;
		rb_buf_printf(b, "  %s\n", en ? (dz ? "division by zero" : "number out of range")
					      : (dz ? "除数为零" : "数值超出范围"));
	}
	/* The message carries the gap when there is one; otherwise say it here. */
	const char *gap = !msg[0] ? rb_rule_gap_text(r, i) : NULL;
	if (gap)
		rb_buf_printf(b, en ? "  gap to threshold: %s\n" : "  与标准差距：%s\n", gap);
	if (v == RULEBOOK_NOT_IN_FORCE)
		return;
	if (ru->ndeps) {
		rb_buf_puts(b, en ? "  values:" : "  取值：");
		for (uint32_t k = 0; k < ru->ndeps; k++) {
			const rb_sym *s = ru->deps[k];
			const char *val = rb_display_value(r, s, en);
			rb_buf_printf(b, "%s%s = %s", k ? (en ? "; " : "；") : (en ? " " : ""), s->name,
				      val ? val : (en ? "(missing)" : "（缺失）"));
			if (val && s->unit_text[0])
				rb_buf_printf(b, " %s", s->unit_text);
			if (s->kind == RB_SYM_PARAM &&
			    rb->params[s->index].provenance == RB_PROV_ILLUSTRATIVE)
				rb_buf_puts(b, en ? " (illustrative)" : "（示例值）");
		}
		rb_buf_putc(b, '\n');
		/* which elements a fold with a condition took */
		for (uint32_t k = 0; k < ru->ndeps; k++) {
			const char *took = rb_each_counted_text(r, ru->deps[k]);
			if (took)
				rb_buf_printf(b, en ? "  %s took: %s\n" : "  %s 计入：%s\n",
					      ru->deps[k]->name, took);
		}
	}
	size_t no = rulebook_result_obligation_count(r, i);
	for (size_t k = 0; k < no; k++) {
		const char *val = rulebook_result_obligation_value(r, i, k);
		const rb_obligation *o = &ru->obligations[k];
		const char *label = rb_i18n_pick(&o->label, en);
		rb_buf_printf(b, en ? "  obligation %s%s%s: %s %s\n" : "  义务 %s%s%s：%s %s\n", o->id,
			      label ? " " : "", label ? label : "",
			      val ? val : (en ? "(unknown)" : "（未知）"), o->unit_text);
	}
	if (rb_result_rule_illustrative(r, (uint32_t)i))
		rb_buf_puts(b, en ? "  note: depends on an illustrative parameter, not an official value\n"
				  : "  注意：依赖示例参数，并非官方数值\n");
}

static void target_text(rulebook_result *r, rb_buf *b, size_t t, bool en)
{
	static const char *const zh[] = {"", "已完成", "进度正常", "落后于时间进度", "未完成", "未开始", "数据不全", "不在有效期"};
	static const char *const eng[] = {"", "MET", "ON PACE", "BEHIND PACE", "MISSED", "NOT STARTED", "UNKNOWN", "NOT IN FORCE"};
	const rb_target *tg = &r->rb->targets[t];
	rulebook_target_status st = (rulebook_target_status)r->tstatus[t];
	const char *title = rb_i18n_pick(&tg->title, en);
	rb_buf_printf(b, "[%s] %s", en ? eng[st] : zh[st], tg->id);
	if (title)
		rb_buf_printf(b, " %s", title);
	clause(r->rb, b, tg->cite, tg->doc, en);
	rb_buf_putc(b, '\n');
	const char *a = rulebook_result_target_value(r, t, RULEBOOK_TARGET_ACHIEVED);
	const char *g = rulebook_result_target_value(r, t, RULEBOOK_TARGET_GOAL);
	const char *c = rulebook_result_target_value(r, t, RULEBOOK_TARGET_COMPLETION);
	const char *p = rulebook_result_target_value(r, t, RULEBOOK_TARGET_TIME_PROGRESS);
	const char *sf = rulebook_result_target_value(r, t, RULEBOOK_TARGET_SHORTFALL);
	const char *n = rulebook_result_target_value(r, t, RULEBOOK_TARGET_NEEDED_PER_MONTH);
	bool rel = tg->kind == RB_TK_REDUCTION || tg->kind == RB_TK_GROWTH;
	/* " 亩" after a number; nothing for ratios */
	char unit[128] = "";
	if (!rel && tg->unit_text[0])
		snprintf(unit, sizeof unit, " %s", tg->unit_text);
	if (a && g)
		rb_buf_printf(b, en ? "  achieved %s%s of %s%s" : "  完成 %s%s，目标 %s%s", a, unit, g, unit);
	if (c && p)
		rb_buf_printf(b, en ? "; completion %s vs time progress %s" : "；完成进度 %s，时间进度 %s", c, p);
	if (a && g)
		rb_buf_putc(b, '\n');
	if (sf && st != RULEBOOK_TARGET_MET && rb_dec_sign(r->tfig[t * RB_TARGET_FIELDS + 4]) > 0)
		rb_buf_printf(b, en ? "  shortfall %s%s" : "  差额 %s%s", sf, unit);
	if (n)
		rb_buf_printf(b, en ? ", needs %s%s per month" : "，每月需完成 %s%s", n, unit);
	if (sf && st != RULEBOOK_TARGET_MET && rb_dec_sign(r->tfig[t * RB_TARGET_FIELDS + 4]) > 0)
		rb_buf_putc(b, '\n');
	size_t nm = rulebook_result_target_missing_count(r, t);
	if (nm) {
		rb_buf_puts(b, en ? "  missing: " : "  缺少数据：");
		for (size_t k = 0; k < nm; k++)
			rb_buf_printf(b, "%s%s", k ? ", " : "", rulebook_result_target_missing(r, t, k));
		rb_buf_putc(b, '\n');
	}
	if ((st == RULEBOOK_TARGET_BEHIND_PACE || st == RULEBOOK_TARGET_MISSED) && tg->nresponsible) {
		rb_buf_puts(b, en ? "  flagged for: " : "  问效：");
		for (uint32_t k = 0; k < tg->nresponsible; k++)
			rb_buf_printf(b, "%s%s", k ? (en ? ", " : "、") : "", tg->responsible[k]);
		rb_buf_putc(b, '\n');
	}
}

static void scorecard_text(rulebook_result *r, rb_buf *b, size_t i, bool en)
{
	const rb_scorecard *sc = &r->rb->scorecards[i];
	const char *cls = rulebook_result_class(r, i);
	const char *score = rulebook_result_score(r, i);
	const char *title = rb_i18n_pick(&sc->title, en);
	rb_buf_printf(b, en ? "[CLASS %s] %s%s%s" : "[分类 %s] %s%s%s",
		      cls ? cls : (en ? "unknown" : "未定"), sc->id, title ? " " : "", title ? title : "");
	clause(r->rb, b, sc->cite, sc->doc, en);
	if (score)
		rb_buf_printf(b, en ? ", score %s" : "，得分 %s", score);
	rb_buf_putc(b, '\n');
	const char *veto = rulebook_result_veto(r, i);
	if (veto) {
		rb_buf_printf(b, en ? "  veto %s applied" : "  一票否决：%s", veto);
		clause(r->rb, b, sc->vetoes[r->sc_veto[i]].cite, sc->vetoes[r->sc_veto[i]].doc, en);
		rb_buf_putc(b, '\n');
	}
	const char *why = rulebook_result_class_error(r, i);
	if (why)
		rb_buf_printf(b, en ? "  error: %s\n" : "  错误：%s\n", why);
	/* what is missing, by the part that needs it: "component:mu_tax: tax, land_area" */
	size_t nm = rulebook_result_class_missing_count(r, i);
	for (size_t k = 0; k < nm; k++) {
		const char *part = rulebook_result_class_missing_part(r, i, k);
		const char *prev = k ? rulebook_result_class_missing_part(r, i, k - 1) : NULL;
		bool same = prev && part && strcmp(prev, part) == 0;
		if (!k)
			rb_buf_puts(b, en ? "  missing: " : "  缺少数据：");
		else
			rb_buf_puts(b, same ? ", " : "; ");
		if (!same)
			rb_buf_printf(b, "%s: ", part ? part : "?");
		rb_buf_puts(b, rulebook_result_class_missing(r, i, k));
		if (k + 1 == nm)
			rb_buf_putc(b, '\n');
	}
	for (uint32_t k = 0; k < sc->ncomponents && cls && strcmp(cls, "not_rated") != 0; k++) {
		const char *v = rulebook_result_component(r, i, k, RULEBOOK_COMPONENT_VALUE);
		const char *ra = rulebook_result_component(r, i, k, RULEBOOK_COMPONENT_RATIO);
		const char *w = rulebook_result_component(r, i, k, RULEBOOK_COMPONENT_WEIGHT);
		const char *p = rulebook_result_component(r, i, k, RULEBOOK_COMPONENT_POINTS);
		rb_buf_printf(b, en ? "  %s: value %s%s%s, ratio %s × weight %s = %s points\n"
				    : "  %s：数值 %s%s%s，比值 %s × 权重 %s = %s 分\n",
			      sc->components[k].id, v ? v : "-", sc->components[k].unit_text[0] ? " " : "",
			      sc->components[k].unit_text, ra ? ra : "-", w ? w : "-", p ? p : "-");
	}
	size_t nq = rulebook_result_consequence_count(r, i);
	for (size_t j = 0; j < nq; j++) {
		const char *v = rulebook_result_consequence_value(r, i, j);
		const rb_consequence *cq = rb_result_consequence(r, i, j);
		rb_buf_printf(b, en ? "  consequence %s: %s %s" : "  后果 %s：%s %s",
			      rulebook_result_consequence_name(r, i, j), v ? v : "-",
			      rulebook_result_consequence_unit(r, i, j));
		if (cq && cq->cite)
			clause(r->rb, b, cq->cite, cq->doc, en);
		rb_buf_putc(b, '\n');
	}
}

RULEBOOK_API rulebook_status rulebook_result_explain(rulebook_result *r, uint32_t flags,
						     const char **out, size_t *len)
{
	if (!r || !out || !r->as_of)
		return RULEBOOK_ERR_INVALID;
	bool en = flags & RULEBOOK_OUT_LANG_EN;
	const rulebook *rb = r->rb;
	rb_buf *b = &r->out;
	rb_buf_reset(b);
	char date[11];
	rb_date_format(r->as_of, date);
	const char *title = rb_i18n_pick(&rb->title, en);
	rb_buf_printf(b, en ? "%s — %s\nas of %s" : "%s — %s\n评价日期 %s", rb->id, title ? title : "", date);
	if (r->has_id)
		rb_buf_printf(b, en ? ", record %s" : "，对象 %s", r->record_id);
	rb_buf_putc(b, '\n');
	for (uint32_t d = 0; rb->ndocs > 1 && d < rb->ndocs; d++) {
		const rb_m_source *src = &rb->docs[d];
		rb_buf_printf(b, en ? "[%lu] %s, %s" : "[%lu] %s《%s》", (unsigned long)d + 1,
			      src->issuer ? src->issuer : "", src->title ? src->title : "");
		if (src->number)
			rb_buf_printf(b, en ? ", %s" : "（%s）", src->number);
		rb_buf_putc(b, '\n');
	}
	for (uint32_t i = 0; i < rb->nrules; i++)
		rule_text(r, b, i, en);
	for (uint32_t t = 0; t < rb->ntargets; t++)
		target_text(r, b, t, en);
	for (uint32_t i = 0; i < rb->nscorecards; i++)
		scorecard_text(r, b, i, en);
	/* ids and texts from the data may hide bidirectional controls */
	rb_buf_escape_invisible(b);
	if (b->failed)
		return RULEBOOK_ERR_NOMEM;
	*out = rb_buf_cstr(b);
	if (len)
		*len = b->len;
	return RULEBOOK_OK;
}
