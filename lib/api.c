/* The front door: version, loading (read -> load -> model -> compile), the
 * rulebook's accessors and the JSON-in/JSON-out call. */
#include "result.h"
#include "alloc.h"
#include "json_read.h"
#include "node.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

rulebook_status rb_facts_from_node(rulebook_facts *f, const rb_node *map, rulebook_error *err);
void rb_result_json_into(rulebook_result *r, rb_buf *b, uint32_t flags, int lv);

RULEBOOK_API const char *rulebook_version(void)
{
	return RULEBOOK_VERSION;
}

RULEBOOK_API uint32_t rulebook_version_number(void)
{
	return RULEBOOK_VERSION_NUMBER;
}

RULEBOOK_API void rulebook_mem_free(void *p)
{
	rb_free(p);
}

RULEBOOK_API const char *rulebook_verdict_str(rulebook_verdict v)
{
	static const char *const names[] = {"invalid", "pass", "fail", "not_applicable", "exempt",
					    "unknown", "not_in_force", "error"};
	return (unsigned)v < sizeof(names) / sizeof(names[0]) ? names[v] : "invalid";
}

/* ---- loading ---- */

RULEBOOK_API rulebook_status rulebook_load_buffer(const char *data, size_t len, const char *name,
						  const rulebook_options *opts, rulebook **out,
						  rulebook_error *err)
{
	rulebook_error_clear(err);
	if (!out)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL, "out is NULL");
	*out = NULL;
	if (!data && len)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL, "data is NULL");
	size_t nsearch;
	const char *const *search = rb_options_search(opts, &nsearch);
	const rb_limits *limits = rb_options_limits(opts);
	rb_error_set_max(err, limits->diagnostics);
	rb_model *m = NULL;
	rulebook_status st = rb_model_load(name ? name : "<buffer>", data ? data : "", len, limits,
					   search, nsearch, rb_options_resolver(opts),
					   rb_options_extends_allowed(opts), &m, err);
	if (st != RULEBOOK_OK)
		return st;
	return rb_compile(m, data ? data : "", len, limits, out, err);
}

RULEBOOK_API rulebook_status rulebook_load_file(const char *path, const rulebook_options *opts,
						rulebook **out, rulebook_error *err)
{
	rulebook_error_clear(err);
	if (!out || !path)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "a path and an output pointer are required");
	*out = NULL;
	size_t nsearch;
	const char *const *search = rb_options_search(opts, &nsearch);
	const rb_limits *limits = rb_options_limits(opts);
	rb_error_set_max(err, limits->diagnostics);
	rb_model *m = NULL;
	rulebook_status st = rb_model_load(path, NULL, 0, limits, search, nsearch,
					   rb_options_resolver(opts), rb_options_extends_allowed(opts),
					   &m, err);
	if (st != RULEBOOK_OK)
		return st;
	/* The hash covers the file's own bytes (kept by its document). */
	return rb_compile(m, m->doc->source, m->doc->source_len, limits, out, err);
}

RULEBOOK_API void rulebook_free(rulebook *rb)
{
	if (!rb)
		return;
	rb_units_free(rb->units);
	rb_free(rb->code);
	rb_free(rb->agg_code);
	rb_free(rb->consts);
	rb_model_free(rb->model);
	rb_arena_release(&rb->arena);
	rb_free(rb);
}

/* ---- accessors ---- */

RULEBOOK_API const char *rulebook_id(const rulebook *rb)
{
	return rb ? rb->id : NULL;
}

RULEBOOK_API const char *rulebook_title(const rulebook *rb, const char *lang)
{
	return rb ? rb_i18n_pick(&rb->title, rb_lang_en(lang)) : NULL;
}

RULEBOOK_API const char *rulebook_subject(const rulebook *rb)
{
	return rb ? rb->subject : NULL;
}

RULEBOOK_API int32_t rulebook_in_force_from(const rulebook *rb)
{
	return rb ? rb->from : 0;
}

RULEBOOK_API int32_t rulebook_in_force_until(const rulebook *rb)
{
	return rb ? rb->until : 0;
}

RULEBOOK_API const char *rulebook_hash(const rulebook *rb)
{
	return rb ? rb->hash : NULL;
}

RULEBOOK_API const char *rulebook_file_hash(const rulebook *rb)
{
	return rb ? rb->file_hash : NULL;
}

RULEBOOK_API size_t rulebook_parent_count(const rulebook *rb)
{
	return rb ? rb->nparents : 0;
}

RULEBOOK_API const char *rulebook_parent_id(const rulebook *rb, size_t i)
{
	return rb && i < rb->nparents ? rb->parents[i].id : NULL;
}

RULEBOOK_API const char *rulebook_parent_hash(const rulebook *rb, size_t i)
{
	return rb && i < rb->nparents ? rb->parents[i].hash : NULL;
}

RULEBOOK_API size_t rulebook_input_count(const rulebook *rb)
{
	return rb ? rb->ninputs : 0;
}

static const rb_input *input_at(const rulebook *rb, size_t i)
{
	return rb && i < rb->ninputs ? &rb->inputs[i] : NULL;
}

RULEBOOK_API const char *rulebook_input_name(const rulebook *rb, size_t i)
{
	const rb_input *in = input_at(rb, i);
	return in ? in->sym->name : NULL;
}

static const char *const type_names[] = {"", "number", "integer", "boolean", "text",
					 "enum", "date", "list", "record"};

RULEBOOK_API const char *rulebook_input_type(const rulebook *rb, size_t i)
{
	const rb_input *in = input_at(rb, i);
	return in ? type_names[in->type] : NULL;
}

RULEBOOK_API const char *rulebook_input_element_type(const rulebook *rb, size_t i)
{
	const rb_input *in = input_at(rb, i);
	return in && in->type == RB_T_LIST ? type_names[in->elem] : NULL;
}

RULEBOOK_API size_t rulebook_input_field_count(const rulebook *rb, size_t i)
{
	const rb_input *in = input_at(rb, i);
	return in ? in->nfields : 0;
}

static const rb_input *field_at(const rulebook *rb, size_t i, size_t j)
{
	const rb_input *in = input_at(rb, i);
	return in && j < in->nfields ? &rb->inputs[in->field0 + j] : NULL;
}

RULEBOOK_API const char *rulebook_input_field_name(const rulebook *rb, size_t i, size_t j)
{
	const rb_input *f = field_at(rb, i, j);
	return f ? f->sym->name : NULL;
}

RULEBOOK_API const char *rulebook_input_field_type(const rulebook *rb, size_t i, size_t j)
{
	const rb_input *f = field_at(rb, i, j);
	return f ? type_names[f->type] : NULL;
}

RULEBOOK_API const char *rulebook_input_field_unit(const rulebook *rb, size_t i, size_t j)
{
	const rb_input *f = field_at(rb, i, j);
	return f ? f->sym->unit_text : NULL;
}

RULEBOOK_API const char *rulebook_input_unit(const rulebook *rb, size_t i)
{
	const rb_input *in = input_at(rb, i);
	return in ? in->sym->unit_text : NULL;
}

RULEBOOK_API const char *rulebook_input_label(const rulebook *rb, size_t i, const char *lang)
{
	const rb_input *in = input_at(rb, i);
	if (!in)
		return NULL;
	const rb_i18n *l = &in->sym->label;
	bool en = lang && strcmp(lang, "en") == 0;
	const char *first = en ? l->en : l->zh, *other = en ? l->zh : l->en;
	return first ? first : other;
}

RULEBOOK_API size_t rulebook_input_alias_count(const rulebook *rb, size_t i)
{
	const rb_input *in = input_at(rb, i);
	return in ? in->naliases : 0;
}

RULEBOOK_API const char *rulebook_input_alias(const rulebook *rb, size_t i, size_t j)
{
	const rb_input *in = input_at(rb, i);
	return in && j < in->naliases ? in->aliases[j].s : NULL;
}

RULEBOOK_API size_t rulebook_id_column_count(const rulebook *rb)
{
	return rb ? rb->nid_columns : 0;
}

RULEBOOK_API const char *rulebook_id_column(const rulebook *rb, size_t j)
{
	return rb && j < rb->nid_columns ? rb->id_columns[j].s : NULL;
}

RULEBOOK_API rulebook_status rulebook_input_index(const rulebook *rb, const char *name, size_t len,
						  size_t *out)
{
	if (!rb || !name || !out)
		return RULEBOOK_ERR_INVALID;
	const rb_sym *s = rb_lookup(rb, name, len);
	if (!s || s->kind != RB_SYM_INPUT)
		return RULEBOOK_ERR_NOT_FOUND;
	*out = s->index;
	return RULEBOOK_OK;
}

RULEBOOK_API size_t rulebook_rule_count(const rulebook *rb)
{
	return rb ? rb->nrules : 0;
}

static const rb_rule *rule_at(const rulebook *rb, size_t i)
{
	return rb && i < rb->nrules ? &rb->rules[i] : NULL;
}

RULEBOOK_API const char *rulebook_rule_id(const rulebook *rb, size_t i)
{
	const rb_rule *r = rule_at(rb, i);
	return r ? r->id : NULL;
}

RULEBOOK_API const char *rulebook_rule_cite(const rulebook *rb, size_t i)
{
	const rb_rule *r = rule_at(rb, i);
	return r ? r->cite : NULL;
}

RULEBOOK_API const char *rulebook_rule_severity(const rulebook *rb, size_t i)
{
	static const char *const names[] = {"", "info", "minor", "major", "critical"};
	const rb_rule *r = rule_at(rb, i);
	return r ? names[r->severity] : NULL;
}

RULEBOOK_API size_t rulebook_rule_responsible_count(const rulebook *rb, size_t i)
{
	const rb_rule *r = rule_at(rb, i);
	return r ? r->nresponsible : 0;
}

RULEBOOK_API const char *rulebook_rule_responsible(const rulebook *rb, size_t i, size_t j)
{
	const rb_rule *r = rule_at(rb, i);
	return r && j < r->nresponsible ? r->responsible[j] : NULL;
}

RULEBOOK_API rulebook_status rulebook_rule_index(const rulebook *rb, const char *id, size_t len,
						 size_t *out)
{
	if (!rb || !id || !out)
		return RULEBOOK_ERR_INVALID;
	for (uint32_t i = 0; i < rb->nrules; i++)
		if (strlen(rb->rules[i].id) == len && memcmp(rb->rules[i].id, id, len) == 0) {
			*out = i;
			return RULEBOOK_OK;
		}
	return RULEBOOK_ERR_NOT_FOUND;
}

RULEBOOK_API size_t rulebook_param_count(const rulebook *rb)
{
	return rb ? rb->nparams : 0;
}

static const rb_param *param_at(const rulebook *rb, size_t i)
{
	return rb && i < rb->nparams ? &rb->params[i] : NULL;
}

RULEBOOK_API const char *rulebook_param_name(const rulebook *rb, size_t i)
{
	const rb_param *p = param_at(rb, i);
	return p ? p->sym->name : NULL;
}

RULEBOOK_API const char *rulebook_param_unit(const rulebook *rb, size_t i)
{
	const rb_param *p = param_at(rb, i);
	return p ? p->sym->unit_text : NULL;
}

RULEBOOK_API const char *rulebook_param_cite(const rulebook *rb, size_t i)
{
	const rb_param *p = param_at(rb, i);
	return p ? p->cite : NULL;
}

RULEBOOK_API const char *rulebook_param_provenance(const rulebook *rb, size_t i)
{
	const rb_param *p = param_at(rb, i);
	return p ? (p->provenance == RB_PROV_ILLUSTRATIVE ? "illustrative" : "cited") : NULL;
}

RULEBOOK_API const char *rulebook_param_value(const rulebook *rb, size_t i, int32_t as_of)
{
	const rb_param *p = param_at(rb, i);
	if (!p)
		return NULL;
	for (uint32_t k = p->nvalues; k-- > 0;)
		if (p->values[k].from <= as_of)
			return p->values[k].text;
	return NULL;
}

RULEBOOK_API const char *rulebook_rule_title(const rulebook *rb, size_t i, const char *lang)
{
	const rb_rule *r = rule_at(rb, i);
	return r ? rb_i18n_pick(&r->title, rb_lang_en(lang)) : NULL;
}

RULEBOOK_API const char *rulebook_target_title(const rulebook *rb, size_t i, const char *lang)
{
	return rb && i < rb->ntargets ? rb_i18n_pick(&rb->targets[i].title, rb_lang_en(lang)) : NULL;
}

RULEBOOK_API const char *rulebook_scorecard_cite(const rulebook *rb, size_t i)
{
	return rb && i < rb->nscorecards ? rb->scorecards[i].cite : NULL;
}

RULEBOOK_API const char *rulebook_scorecard_title(const rulebook *rb, size_t i, const char *lang)
{
	return rb && i < rb->nscorecards ? rb_i18n_pick(&rb->scorecards[i].title, rb_lang_en(lang))
					 : NULL;
}

RULEBOOK_API const char *rulebook_aggregate_title(const rulebook *rb, size_t i, const char *lang)
{
	return rb && i < rb->naggregates ? rb_i18n_pick(&rb->aggregates[i].title, rb_lang_en(lang))
					 : NULL;
}

RULEBOOK_API const char *rulebook_aggregate_unit(const rulebook *rb, size_t i)
{
	return rb && i < rb->naggregates ? rb->aggregates[i].unit_text : NULL;
}

RULEBOOK_API size_t rulebook_aggregate_responsible_count(const rulebook *rb, size_t i)
{
	return rb && i < rb->naggregates ? rb->aggregates[i].nresponsible : 0;
}

RULEBOOK_API const char *rulebook_aggregate_responsible(const rulebook *rb, size_t i, size_t j)
{
	if (!rb || i >= rb->naggregates || j >= rb->aggregates[i].nresponsible)
		return NULL;
	return rb->aggregates[i].responsible[j];
}

/* ---- JSON in, JSON out ---- */

RULEBOOK_API rulebook_status rulebook_eval_json(const rulebook *rb, const char *json, size_t len,
						int32_t as_of, uint32_t flags, char **out,
						size_t *out_len, rulebook_error *err)
{
	rulebook_error_clear(err);
	if (!rb || !json || !out)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "a rulebook, JSON text and an output pointer are required");
	*out = NULL;
	rb_doc *doc = NULL;
	rulebook_status st = rb_json_load(json, len, "<json>", NULL, &doc, err);
	if (st != RULEBOOK_OK)
		return st;
	const rb_node *root = doc->root;
	bool many = root->kind == RB_NODE_SEQ;
	size_t n = many ? root->count : 1;
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	rb_buf b;
	rb_buf_init(&b);
	if (!f || !res) {
		st = rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
		goto done;
	}
	rulebook_facts_ignore_unknown(f, (flags & RULEBOOK_IN_IGNORE_UNKNOWN) != 0);
	if (many)
		rb_buf_putc(&b, '[');
	for (size_t i = 0; i < n; i++) {
		rulebook_facts_clear(f);
		st = rb_facts_from_node(f, many ? root->items[i] : root, err);
		if (st == RULEBOOK_OK)
			st = rulebook_eval(rb, f, as_of, res, err);
		if (st != RULEBOOK_OK)
			goto done;
		if (i)
			rb_buf_putc(&b, ',');
		rb_result_json_into(res, &b, flags, many ? 1 : 0);
	}
	if (many)
		rb_buf_putc(&b, ']');
	if (b.failed || res->out.failed) {  /* res->out: see rb_result_strdup */
		st = rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
		goto done;
	}
	if (out_len)
		*out_len = b.len;
	*out = b.data ? b.data : rb_strndup("", 0);
	b.data = NULL;
	if (!*out)
		st = rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
done:
	rb_buf_release(&b);
	rulebook_facts_free(f);
	rulebook_result_free(res);
	rb_doc_free(doc);
	return st;
}

/* ---- documents ---- */

static const rb_m_source *doc_at(const rulebook *rb, size_t d)
{
	return rb && d < rb->ndocs ? &rb->docs[d] : NULL;
}

RULEBOOK_API size_t rulebook_document_count(const rulebook *rb)
{
	return rb ? rb->ndocs : 0;
}

RULEBOOK_API const char *rulebook_document_id(const rulebook *rb, size_t d)
{
	const rb_m_source *s = doc_at(rb, d);
	return s ? s->id : NULL;
}

RULEBOOK_API const char *rulebook_document_issuer(const rulebook *rb, size_t d)
{
	const rb_m_source *s = doc_at(rb, d);
	return s ? s->issuer : NULL;
}

RULEBOOK_API const char *rulebook_document_title(const rulebook *rb, size_t d)
{
	const rb_m_source *s = doc_at(rb, d);
	return s ? s->title : NULL;
}

RULEBOOK_API const char *rulebook_document_number(const rulebook *rb, size_t d)
{
	const rb_m_source *s = doc_at(rb, d);
	return s ? s->number : NULL;
}

RULEBOOK_API int32_t rulebook_document_issued(const rulebook *rb, size_t d)
{
	const rb_m_source *s = doc_at(rb, d);
	return s ? s->issued : 0;
}

RULEBOOK_API int64_t rulebook_item_document(const rulebook *rb, rulebook_item_kind kind, size_t i)
{
	if (!rb)
		return -1;
	switch (kind) {
	case RULEBOOK_ITEM_RULE:
		return i < rb->nrules ? rb->rules[i].doc : -1;
	case RULEBOOK_ITEM_TARGET:
		return i < rb->ntargets ? rb->targets[i].doc : -1;
	case RULEBOOK_ITEM_SCORECARD:
		return i < rb->nscorecards ? rb->scorecards[i].doc : -1;
	case RULEBOOK_ITEM_AGGREGATE:
		return i < rb->naggregates ? rb->aggregates[i].doc : -1;
	case RULEBOOK_ITEM_INDICATOR:
		break;
	}
	return -1;
}

RULEBOOK_API int64_t rulebook_rule_document(const rulebook *rb, size_t i)
{
	return rb && i < rb->nrules ? rb->rules[i].doc : -1;
}
