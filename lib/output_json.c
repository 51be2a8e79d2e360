/* Output stage: a result as JSON. The schema is documented in docs/api.md
 * and is stable: fields may be added, none is renamed or removed. */
#include "result.h"
#include "date.h"
#include "expr.h"

#include <string.h>

static const char *const severity_word[] = {"", "info", "minor", "major", "critical"};

static void indent(rb_buf *b, bool pretty, int level)
{
	if (!pretty)
		return;
	rb_buf_putc(b, '\n');
	for (int i = 0; i < level; i++)
		rb_buf_puts(b, "  ");
}

static void key(rb_buf *b, bool pretty, int level, const char *k, bool first)
{
	if (!first)
		rb_buf_putc(b, ',');
	indent(b, pretty, level);
	rb_buf_json_string(b, k, strlen(k));
	rb_buf_puts(b, pretty ? ": " : ":");
}

static void str_or_null(rb_buf *b, const char *s)
{
	if (s)
		rb_buf_json_string(b, s, strlen(s));
	else
		rb_buf_puts(b, "null");
}

static const char *error_text(const rb_val *v)
{
	if (v->state != RB_V_ERROR)
		return NULL;
	return v->err == RB_VERR_DIVZERO ? "division by zero" : "number out of the decimal range";
}

/* The value that made an undecided rule an error. */
const rb_val *rb_rule_error_value(const rulebook_result *r, size_t rule);
const rb_val *rb_rule_error_value(const rulebook_result *r, size_t rule)
{
	const rb_rule *ru = &r->rb->rules[rule];
	if (ru->when >= 0 && rb_exact_at(r, ru->when)->state == RB_V_ERROR)
		return rb_exact_at(r, ru->when);
	for (uint32_t k = 0; k < ru->nunless; k++)
		if (rb_exact_at(r, ru->unless[k].when)->state == RB_V_ERROR)
			return rb_exact_at(r, ru->unless[k].when);
	if (ru->require >= 0 && rb_exact_at(r, ru->require)->state == RB_V_ERROR)
		return rb_exact_at(r, ru->require);
	return NULL;
}

RULEBOOK_API const char *rulebook_result_error(const rulebook_result *r, size_t rule)
{
	if (!r || !r->as_of || rule >= r->rb->nrules || r->verdicts[rule] != RULEBOOK_ERROR)
		return NULL;
	const rb_val *ev = rb_rule_error_value(r, rule);
	return ev ? error_text(ev) : "undefined value";
}

/* One part of a gap: the exact figures, the unit, the text for people,
 * the comparison and the value's name. */
static void gap_json(rulebook_result *r, rb_buf *b, const rb_check *ck)
{
	static const char *const ops[] = {[RB_OP_EQ] = "==", [RB_OP_NE] = "!=", [RB_OP_LT] = "<",
					  [RB_OP_LE] = "<=", [RB_OP_GT] = ">", [RB_OP_GE] = ">="};
	rb_dec gap, value, thr;
	if (!ck || !rb_check_gap(r, ck, &gap, &value, &thr)) {
		rb_buf_puts(b, "null");
		return;
	}
	char g[RB_DEC_BUFSIZE], vs[RB_DEC_BUFSIZE], ts[RB_DEC_BUFSIZE];
	rb_dec_format(gap, g, sizeof g);
	rb_dec_format(value, vs, sizeof vs);
	rb_dec_format(thr, ts, sizeof ts);
	rb_buf_puts(b, "{\"value\":");
	str_or_null(b, g);
	rb_buf_puts(b, ",\"actual\":");
	str_or_null(b, vs);
	rb_buf_puts(b, ",\"threshold\":");
	str_or_null(b, ts);
	rb_buf_puts(b, ",\"unit\":");
	str_or_null(b, ck->unit_text);
	rb_buf_puts(b, ",\"text\":");
	str_or_null(b, rb_gap_text(r, ck, true));
	rb_buf_puts(b, ",\"strict\":");
	rb_buf_puts(b, ck->op == RB_OP_GT || ck->op == RB_OP_LT ? "true" : "false");
	rb_buf_puts(b, ",\"operator\":");
	str_or_null(b, ops[ck->op]);
	rb_buf_puts(b, ",\"name\":");
	if (ck->value_sym)
		rb_buf_json_string(b, ck->value_sym->name, ck->value_sym->len);
	else
		rb_buf_puts(b, "null");
	rb_buf_putc(b, '}');
}

static void rule_json(rulebook_result *r, rb_buf *b, size_t i, uint32_t flags, int lv)
{
	const rulebook *rb = r->rb;
	const rb_rule *ru = &rb->rules[i];
	bool pretty = flags & RULEBOOK_OUT_PRETTY;
	bool en = flags & RULEBOOK_OUT_LANG_EN;
	rulebook_verdict v = (rulebook_verdict)r->verdicts[i];
	rb_buf_putc(b, '{');
	key(b, pretty, lv + 1, "id", true);
	str_or_null(b, ru->id);
	key(b, pretty, lv + 1, "verdict", false);
	str_or_null(b, rulebook_verdict_str(v));
	key(b, pretty, lv + 1, "exception", false);
	if (r->exception[i] >= 0) {
		const rb_exception *x = &ru->unless[r->exception[i]];
		rb_buf_puts(b, "{\"id\":");
		str_or_null(b, x->id);
		rb_buf_puts(b, ",\"cite\":");
		str_or_null(b, x->cite);
		rb_buf_printf(b, x->doc >= 0 ? ",\"document\":%ld}" : ",\"document\":null}",
			      (long)x->doc);
	} else {
		rb_buf_puts(b, "null");
	}
	key(b, pretty, lv + 1, "missing", false);
	rb_buf_putc(b, '[');
	size_t nm = rulebook_result_missing_count(r, i);
	for (size_t k = 0; k < nm; k++) {
		if (k)
			rb_buf_putc(b, ',');
		str_or_null(b, rulebook_result_missing(r, i, k));
	}
	rb_buf_putc(b, ']');
	if (v == RULEBOOK_ERROR) {
		const rb_val *ev = rb_rule_error_value(r, i);
		key(b, pretty, lv + 1, "error", false);
		str_or_null(b, ev ? error_text(ev) : "undefined value");
	}
	if (!(flags & RULEBOOK_OUT_VERDICTS)) {
		key(b, pretty, lv + 1, "cite", false);
		str_or_null(b, ru->cite);
		key(b, pretty, lv + 1, "document", false);
		rb_buf_printf(b, ru->doc >= 0 ? "%ld" : "null", (long)ru->doc);
		key(b, pretty, lv + 1, "file", false);
		str_or_null(b, ru->pos.file);
		key(b, pretty, lv + 1, "title", false);
		str_or_null(b, rb_i18n_pick(&ru->title, en));
		key(b, pretty, lv + 1, "severity", false);
		str_or_null(b, severity_word[ru->severity]);
		key(b, pretty, lv + 1, "responsible", false);
		rb_buf_putc(b, '[');
		for (uint32_t k = 0; k < ru->nresponsible; k++) {
			if (k)
				rb_buf_putc(b, ',');
			str_or_null(b, ru->responsible[k]);
		}
		rb_buf_putc(b, ']');
		key(b, pretty, lv + 1, "illustrative", false);
		rb_buf_puts(b, rb_result_rule_illustrative(r, (uint32_t)i) ? "true" : "false");
		key(b, pretty, lv + 1, "message", false);
		str_or_null(b, rb_render_message(r, i, en));
		key(b, pretty, lv + 1, "gap", false);
		gap_json(r, b, rb_gap_part(r, i, 0));
		key(b, pretty, lv + 1, "gaps", false);
		rb_buf_putc(b, '[');
		const rb_check *ck;
		for (size_t j = 0; (ck = rb_gap_part(r, i, j)) != NULL; j++) {
			if (j)
				rb_buf_putc(b, ',');
			gap_json(r, b, ck);
		}
		rb_buf_putc(b, ']');
		if (ru->nparts) {
			/* all_of / any_of: each part's verdict, citation and gap */
			key(b, pretty, lv + 1, ru->parts_any ? "any_of" : "all_of", false);
			rb_buf_putc(b, '[');
			for (uint32_t k = 0; k < ru->nparts; k++) {
				size_t p = ru->parts[k];
				rulebook_verdict pv = (rulebook_verdict)r->verdicts[p];
				rb_buf_puts(b, k ? ",{\"rule\":" : "{\"rule\":");
				str_or_null(b, rb->rules[p].id);
				rb_buf_puts(b, ",\"verdict\":");
				str_or_null(b, rulebook_verdict_str(pv));
				rb_buf_puts(b, ",\"cite\":");
				str_or_null(b, rb->rules[p].cite);
				rb_buf_puts(b, ",\"gap\":");
				str_or_null(b, pv == RULEBOOK_FAIL ? rb_rule_gap_text(r, p) : NULL);
				rb_buf_putc(b, '}');
			}
			rb_buf_putc(b, ']');
		}
		key(b, pretty, lv + 1, "values", false);
		rb_buf_putc(b, '{');
		for (uint32_t k = 0; k < ru->ndeps; k++) {
			const rb_sym *s = ru->deps[k];
			if (k)
				rb_buf_putc(b, ',');
			indent(b, pretty, lv + 2);
			rb_buf_json_string(b, s->name, s->len);
			rb_buf_puts(b, ":{\"value\":");
			str_or_null(b, rb_result_sym_value(r, s));
			rb_buf_puts(b, ",\"unit\":");
			str_or_null(b, s->unit_text);
			rb_buf_puts(b, ",\"kind\":");
			str_or_null(b, s->kind == RB_SYM_INPUT ? "input"
				       : s->kind == RB_SYM_PARAM ? "parameter"
				       : s->kind == RB_SYM_LOOKUP ? "table"
				       : s->kind == RB_SYM_EACH ? "fold" : "indicator");
			if (s->kind == RB_SYM_EACH && s->each->filtered) {
				/* the elements the condition took, by position from 1 */
				const rb_val *l = &rb_exact(r)[s->each->list->slot];
				rb_buf_puts(b, ",\"took\":");
				if (l->state != RB_V_OK) {
					rb_buf_puts(b, "null");
				} else {
					rb_buf_putc(b, '[');
					for (size_t e = 0, n = 0; e < l->u.l.n; e++)
						if (rb_each_selected(r, s->each, e) == 1)
							rb_buf_printf(b, "%s%zu", n++ ? "," : "", e + 1);
					rb_buf_putc(b, ']');
				}
			}
			const rb_param *pa = s->kind == RB_SYM_PARAM ? &rb->params[s->index] : NULL;
			if (s->kind == RB_SYM_LOOKUP) {
				/* the row taken: its parameter's citation and provenance */
				int64_t row = rb_table_row_of(rb, s->lookup, rb_exact(r));
				rb_buf_puts(b, ",\"key\":");
				str_or_null(b, rb_lookup_key_text(r, s));
				if (row >= 0)
					pa = &rb->params[s->lookup->table->rows[row].param];
			}
			if (pa) {
				rb_buf_puts(b, ",\"provenance\":");
				str_or_null(b, pa->provenance == RB_PROV_ILLUSTRATIVE ? "illustrative" : "cited");
				rb_buf_puts(b, ",\"cite\":");
				str_or_null(b, pa->cite);
				rb_buf_puts(b, ",\"document\":");
				rb_buf_printf(b, pa->doc >= 0 ? "%ld" : "null", (long)pa->doc);
				rb_buf_puts(b, ",\"file\":");
				str_or_null(b, pa->file);
			}
			rb_buf_putc(b, '}');
		}
		if (ru->ndeps)
			indent(b, pretty, lv + 1);
		rb_buf_putc(b, '}');
		key(b, pretty, lv + 1, "obligations", false);
		rb_buf_putc(b, '[');
		size_t no = rulebook_result_obligation_count(r, i);
		for (size_t k = 0; k < no; k++) {
			if (k)
				rb_buf_putc(b, ',');
			rb_buf_puts(b, "{\"id\":");
			str_or_null(b, rulebook_result_obligation_name(r, i, k));
			rb_buf_puts(b, ",\"value\":");
			str_or_null(b, rulebook_result_obligation_value(r, i, k));
			rb_buf_puts(b, ",\"unit\":");
			str_or_null(b, rulebook_result_obligation_unit(r, i, k));
			rb_buf_putc(b, '}');
		}
		rb_buf_putc(b, ']');
	}
	indent(b, pretty, lv);
	rb_buf_putc(b, '}');
}

static void targets_json(rulebook_result *r, rb_buf *b, uint32_t flags, int lv)
{
	static const char *const fields[] = {"achieved", "target", "completion", "time_progress",
					     "shortfall", "needed_per_month"};
	const rulebook *rb = r->rb;
	bool pretty = flags & RULEBOOK_OUT_PRETTY;
	rb_buf_putc(b, '[');
	for (uint32_t t = 0; t < rb->ntargets; t++) {
		const rb_target *tg = &rb->targets[t];
		rulebook_target_status st = (rulebook_target_status)r->tstatus[t];
		if (t)
			rb_buf_putc(b, ',');
		indent(b, pretty, lv + 1);
		rb_buf_puts(b, "{\"id\":");
		str_or_null(b, tg->id);
		rb_buf_puts(b, ",\"status\":");
		str_or_null(b, rulebook_target_status_str(st));
		rb_buf_puts(b, ",\"flagged\":");
		rb_buf_puts(b, st == RULEBOOK_TARGET_BEHIND_PACE || st == RULEBOOK_TARGET_MISSED ? "true" : "false");
		rb_buf_puts(b, ",\"missing\":[");
		size_t nm = rulebook_result_target_missing_count(r, t);
		for (size_t k = 0; k < nm; k++) {
			if (k)
				rb_buf_putc(b, ',');
			str_or_null(b, rulebook_result_target_missing(r, t, k));
		}
		rb_buf_putc(b, ']');
		if (!(flags & RULEBOOK_OUT_VERDICTS)) {
			rb_buf_puts(b, ",\"cite\":");
			str_or_null(b, tg->cite);
			rb_buf_printf(b, tg->doc >= 0 ? ",\"document\":%ld" : ",\"document\":null",
				      (long)tg->doc);
			rb_buf_puts(b, ",\"title\":");
			str_or_null(b, rb_i18n_pick(&tg->title, flags & RULEBOOK_OUT_LANG_EN));
			rb_buf_puts(b, ",\"unit\":");
			str_or_null(b, tg->unit_text);
			rb_buf_puts(b, ",\"responsible\":[");
			for (uint32_t k = 0; k < tg->nresponsible; k++) {
				if (k)
					rb_buf_putc(b, ',');
				str_or_null(b, tg->responsible[k]);
			}
			rb_buf_putc(b, ']');
			for (int f = 0; f < RB_TARGET_FIELDS; f++) {
				rb_buf_printf(b, ",\"%s\":", fields[f]);
				str_or_null(b, rulebook_result_target_value(r, t, (rulebook_target_field)f));
			}
		}
		rb_buf_putc(b, '}');
	}
	if (rb->ntargets)
		indent(b, pretty, lv);
	rb_buf_putc(b, ']');
}

static void scorecards_json(rulebook_result *r, rb_buf *b, uint32_t flags, int lv)
{
	static const char *const fields[] = {"value", "ratio", "weight", "points"};
	const rulebook *rb = r->rb;
	bool pretty = flags & RULEBOOK_OUT_PRETTY;
	rb_buf_putc(b, '[');
	for (uint32_t i = 0; i < rb->nscorecards; i++) {
		const rb_scorecard *sc = &rb->scorecards[i];
		if (i)
			rb_buf_putc(b, ',');
		indent(b, pretty, lv + 1);
		rb_buf_puts(b, "{\"id\":");
		str_or_null(b, sc->id);
		rb_buf_puts(b, ",\"class\":");
		str_or_null(b, rulebook_result_class(r, i));
		rb_buf_puts(b, ",\"score\":");
		str_or_null(b, rulebook_result_score(r, i));
		rb_buf_puts(b, ",\"veto\":");
		str_or_null(b, rulebook_result_veto(r, i));
		rb_buf_puts(b, ",\"error\":");
		str_or_null(b, rulebook_result_class_error(r, i));
		rb_buf_puts(b, ",\"missing\":[");
		size_t nm = rulebook_result_class_missing_count(r, i);
		for (size_t k = 0; k < nm; k++) {
			rb_buf_puts(b, k ? ",{\"part\":" : "{\"part\":");
			str_or_null(b, rulebook_result_class_missing_part(r, i, k));
			rb_buf_puts(b, ",\"name\":");
			str_or_null(b, rulebook_result_class_missing(r, i, k));
			rb_buf_putc(b, '}');
		}
		rb_buf_putc(b, ']');
		if (!(flags & RULEBOOK_OUT_VERDICTS)) {
			rb_buf_puts(b, ",\"cite\":");
			str_or_null(b, sc->cite);
			rb_buf_printf(b, sc->doc >= 0 ? ",\"document\":%ld" : ",\"document\":null",
				      (long)sc->doc);
			/* the veto that applied, with its citation */
			if (r->sc_veto[i] >= 0) {
				const rb_veto *vt = &sc->vetoes[r->sc_veto[i]];
				rb_buf_puts(b, ",\"veto_cite\":");
				str_or_null(b, vt->cite);
				rb_buf_printf(b, vt->doc >= 0 ? ",\"veto_document\":%ld"
							      : ",\"veto_document\":null",
					      (long)vt->doc);
			}
			rb_buf_puts(b, ",\"components\":[");
			for (uint32_t k = 0; k < sc->ncomponents; k++) {
				if (k)
					rb_buf_putc(b, ',');
				rb_buf_puts(b, "{\"id\":");
				str_or_null(b, sc->components[k].id);
				rb_buf_puts(b, ",\"unit\":");
				str_or_null(b, sc->components[k].unit_text);
				for (int f = 0; f < 4; f++) {
					rb_buf_printf(b, ",\"%s\":", fields[f]);
					str_or_null(b, rulebook_result_component(r, i, k, (rulebook_component_field)f));
				}
				rb_buf_putc(b, '}');
			}
			rb_buf_puts(b, "],\"consequences\":[");
			size_t nq = rulebook_result_consequence_count(r, i);
			for (size_t j = 0; j < nq; j++) {
				if (j)
					rb_buf_putc(b, ',');
				rb_buf_puts(b, "{\"id\":");
				str_or_null(b, rulebook_result_consequence_name(r, i, j));
				rb_buf_puts(b, ",\"value\":");
				str_or_null(b, rulebook_result_consequence_value(r, i, j));
				rb_buf_puts(b, ",\"unit\":");
				str_or_null(b, rulebook_result_consequence_unit(r, i, j));
				const rb_consequence *cq = rb_result_consequence(r, i, j);
				rb_buf_puts(b, ",\"cite\":");
				str_or_null(b, cq ? cq->cite : NULL);
				rb_buf_printf(b, cq && cq->doc >= 0 ? ",\"document\":%ld}"
								    : ",\"document\":null}",
					      cq ? (long)cq->doc : -1L);
			}
			rb_buf_putc(b, ']');
		}
		rb_buf_putc(b, '}');
	}
	if (rb->nscorecards)
		indent(b, pretty, lv);
	rb_buf_putc(b, ']');
}

void rb_documents_json_into(const rulebook *rb, rb_buf *b)
{
	rb_buf_putc(b, '[');
	for (uint32_t d = 0; d < rb->ndocs; d++) {
		const rb_m_source *src = &rb->docs[d];
		char day[11];
		rb_buf_puts(b, d ? ",{\"id\":" : "{\"id\":");
		str_or_null(b, src->id);
		rb_buf_puts(b, ",\"issuer\":");
		str_or_null(b, src->issuer);
		rb_buf_puts(b, ",\"title\":");
		str_or_null(b, src->title);
		rb_buf_puts(b, ",\"number\":");
		str_or_null(b, src->number);
		rb_buf_puts(b, ",\"issued\":");
		if (src->issued) {
			rb_date_format(src->issued, day);
			str_or_null(b, day);
		} else {
			rb_buf_puts(b, "null");
		}
		rb_buf_puts(b, ",\"in_force\":");
		if (src->from || src->until) {
			rb_buf_puts(b, "{\"from\":");
			if (src->from) {
				rb_date_format(src->from, day);
				str_or_null(b, day);
			} else {
				rb_buf_puts(b, "null");
			}
			rb_buf_puts(b, ",\"until\":");
			if (src->until) {
				rb_date_format(src->until, day);
				str_or_null(b, day);
			} else {
				rb_buf_puts(b, "null");
			}
			rb_buf_putc(b, '}');
		} else {
			rb_buf_puts(b, "null");
		}
		rb_buf_puts(b, ",\"url\":");
		str_or_null(b, src->url);
		rb_buf_puts(b, ",\"file\":");
		str_or_null(b, src->file);
		rb_buf_putc(b, '}');
	}
	rb_buf_putc(b, ']');
}

void rb_rulebook_json_into(const rulebook *rb, rb_buf *b)
{
	rb_buf_puts(b, "{\"id\":");
	str_or_null(b, rb->id);
	rb_buf_puts(b, ",\"hash\":");
	str_or_null(b, rb->hash);
	rb_buf_puts(b, ",\"file_hash\":");
	str_or_null(b, rb->file_hash);
	rb_buf_puts(b, ",\"parents\":[");
	for (uint32_t i = 0; i < rb->nparents; i++) {
		rb_buf_puts(b, i ? ",{\"id\":" : "{\"id\":");
		str_or_null(b, rb->parents[i].id);
		rb_buf_puts(b, ",\"hash\":");
		str_or_null(b, rb->parents[i].hash);
		rb_buf_putc(b, '}');
	}
	rb_buf_puts(b, "],\"subject\":");
	str_or_null(b, rb->subject);
	rb_buf_putc(b, '}');
}

void rb_result_json_into(rulebook_result *r, rb_buf *b, uint32_t flags, int lv);
void rb_result_json_into(rulebook_result *r, rb_buf *b, uint32_t flags, int lv)
{
	const rulebook *rb = r->rb;
	bool pretty = flags & RULEBOOK_OUT_PRETTY;
	char date[11];
	rb_date_format(r->as_of, date);
	rb_buf_putc(b, '{');
	key(b, pretty, lv + 1, "rulebook", true);
	rb_rulebook_json_into(rb, b);
	key(b, pretty, lv + 1, "as_of", false);
	str_or_null(b, date);
	key(b, pretty, lv + 1, "library_version", false);
	str_or_null(b, RULEBOOK_VERSION);
	key(b, pretty, lv + 1, "record", false);
	str_or_null(b, rulebook_result_record_id(r));
	/* the documents cited, once; rules and values refer to them by index */
	key(b, pretty, lv + 1, "documents", false);
	rb_documents_json_into(rb, b);
	key(b, pretty, lv + 1, "counts", false);
	rb_buf_putc(b, '{');
	for (int v = RULEBOOK_PASS; v <= RULEBOOK_ERROR; v++) {
		if (v != RULEBOOK_PASS)
			rb_buf_putc(b, ',');
		rb_buf_json_string(b, rulebook_verdict_str((rulebook_verdict)v),
				   strlen(rulebook_verdict_str((rulebook_verdict)v)));
		rb_buf_printf(b, ":%u", (unsigned)r->counts[v]);
	}
	rb_buf_putc(b, '}');
	key(b, pretty, lv + 1, "rules", false);
	rb_buf_putc(b, '[');
	for (uint32_t i = 0; i < rb->nrules; i++) {
		if (i)
			rb_buf_putc(b, ',');
		indent(b, pretty, lv + 2);
		rule_json(r, b, i, flags, lv + 2);
	}
	if (rb->nrules)
		indent(b, pretty, lv + 1);
	rb_buf_putc(b, ']');
	key(b, pretty, lv + 1, "targets", false);
	targets_json(r, b, flags, lv + 1);
	key(b, pretty, lv + 1, "scorecards", false);
	scorecards_json(r, b, flags, lv + 1);
	indent(b, pretty, lv);
	rb_buf_putc(b, '}');
}

RULEBOOK_API rulebook_status rulebook_result_json(rulebook_result *r, uint32_t flags,
						  const char **out, size_t *len)
{
	if (!r || !out || !r->as_of)
		return RULEBOOK_ERR_INVALID;
	rb_buf_reset(&r->out);
	rb_result_json_into(r, &r->out, flags, 0);
	if (r->out.failed)
		return RULEBOOK_ERR_NOMEM;
	*out = rb_buf_cstr(&r->out);
	if (len)
		*len = r->out.len;
	return RULEBOOK_OK;
}
