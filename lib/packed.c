/* Packed records: all of one record's facts in one buffer, and its verdicts
 * and classes out in another, so that a binding crosses into the library
 * once per record instead of once per field. The layouts are in
 * include/rulebook.h (rulebook_facts_set_packed, rulebook_result_packed,
 * rulebook_result_packed_scored). */
#include "compiled.h"
#include "columnar.h"
#include "error.h"

#include <math.h>
#include <string.h>

#define SLOT 8

RULEBOOK_API size_t rulebook_packed_record_size(const rulebook *rb)
{
	return rb ? (size_t)(rb->ninputs + 1) * (SLOT + 1) : 0;
}

RULEBOOK_API size_t rulebook_packed_result_size(const rulebook *rb)
{
	return rb ? (size_t)rb->nscorecards * sizeof(int16_t) + rb->nrules : 0;
}

static double slot_double(const unsigned char *slot)
{
	double d;
	memcpy(&d, slot, sizeof d);
	return d;
}

/* The text a slot points at: offset and length as two uint32 within the
 * record's len bytes. */
static const char *slot_text(const unsigned char *rec, size_t len, size_t slot, size_t *n)
{
	uint32_t at[2];
	memcpy(at, rec + slot * SLOT, sizeof at);
	if ((uint64_t)at[0] + at[1] > len)
		return NULL;
	*n = at[1];
	return (const char *)rec + at[0];
}

/* Input i from its slot. err may be NULL: set_packed first sets every slot
 * without one (clearing an error object per input costs more than the
 * setter's common case) and sets a refused slot again with err for its
 * message. */
static rulebook_status set_slot(rulebook_facts *f, const unsigned char *rec, size_t len,
				size_t i, unsigned tag, rulebook_error *err)
{
	const rb_input *in = &f->rb->inputs[i];
	const unsigned char *slot = rec + i * SLOT;
	const char *s;
	size_t n;
	double d;
	switch (tag) {
	case RULEBOOK_PACKED_MISSING:
		return rulebook_facts_set_missing_at(f, i);
	case RULEBOOK_PACKED_DOUBLE:
		return rulebook_facts_set_double_at(f, i, slot_double(slot), err);
	case RULEBOOK_PACKED_TEXT:
	case RULEBOOK_PACKED_DECIMAL:
		s = slot_text(rec, len, i, &n);
		if (!s)
			return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, in->sym->name,
					    "the text of input '%s' lies outside the packed record",
					    in->sym->name);
		return tag == RULEBOOK_PACKED_TEXT ? rulebook_facts_set_text_at(f, i, s, n, err)
						   : rulebook_facts_set_decimal_at(f, i, s, n, err);
	case RULEBOOK_PACKED_BOOL:
		return rb_facts_set_bool_at(f, i, slot_double(slot) != 0, err);
	case RULEBOOK_PACKED_DATE:
		d = slot_double(slot);
		/* whole YYYYMMDD numbers only; anything else fails the date check */
		return rb_facts_set_date_at(f, i, d >= 0 && d <= 99999999 && d == (int32_t)d
							  ? (int32_t)d : 0, err);
	default:
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, in->sym->name,
				    "input '%s' has an unknown tag %u in the packed record",
				    in->sym->name, tag);
	}
}

RULEBOOK_API rulebook_status rulebook_facts_set_packed(rulebook_facts *f, const void *record,
							size_t len, rulebook_error *err)
{
	rulebook_error_clear(err);
	if (!f)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "facts and a packed record are required");
	/* a record is set whole or not at all: every input is set from its
	 * slot (a missing one made missing), and all are cleared when one is
	 * refused */
	if (!record || len < rulebook_packed_record_size(f->rb)) {
		rulebook_facts_clear(f);
		if (!record)
			return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
					    "facts and a packed record are required");
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "a packed record of rulebook '%s' has at least %zu bytes, not %zu",
				    f->rb->id, rulebook_packed_record_size(f->rb), len);
	}
	size_t n = f->rb->ninputs;
	const unsigned char *rec = record;
	const unsigned char *tags = rec + (n + 1) * SLOT;
	rulebook_status st = RULEBOOK_OK;
	for (size_t i = 0; i < n && !st; i++) {
		st = set_slot(f, rec, len, i, tags[i], NULL);
		if (st && err)
			st = set_slot(f, rec, len, i, tags[i], err);
	}
	if (!st && tags[n] == RULEBOOK_PACKED_TEXT) {
		size_t idlen = 0;
		const char *id = slot_text(rec, len, n, &idlen);
		st = id ? rulebook_facts_set_id(f, id, idlen) : RULEBOOK_ERR_INVALID;
		if (!id)
			rb_error_add(err, st, (rb_pos){0}, NULL,
				     "the record id lies outside the packed record");
		else if (st == RULEBOOK_ERR_VALUE)
			rb_error_add(err, st, (rb_pos){0}, NULL,
				     "the record id is not UTF-8 text (invalid or NUL byte)");
		else if (st)
			rb_error_add(err, st, (rb_pos){0}, NULL, "out of memory");
	} else if (!st && tags[n] == RULEBOOK_PACKED_MISSING) {
		rulebook_facts_set_id(f, NULL, 0);
	} else if (!st) {
		st = rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				  "the record id has tag %u; it takes text or missing", (unsigned)tags[n]);
	}
	if (st)
		rulebook_facts_clear(f);
	return st;
}

RULEBOOK_API rulebook_status rulebook_result_packed(const rulebook_result *res, void *out,
						     size_t len)
{
	if (!res || !out || len < rulebook_packed_result_size(res->rb))
		return RULEBOOK_ERR_INVALID;
	const rulebook *rb = res->rb;
	unsigned char *o = out;
	if (!res->as_of) {
		/* nothing evaluated yet: no verdicts, classes unknown */
		for (uint32_t k = 0; k < rb->nscorecards; k++) {
			int16_t c = RB_CLASS_UNKNOWN;
			memcpy(o + k * sizeof c, &c, sizeof c);
		}
		memset(o + rb->nscorecards * sizeof(int16_t), 0, rb->nrules);
		return RULEBOOK_OK;
	}
	for (uint32_t k = 0; k < rb->nscorecards; k++) {
		/* what only a population decides (by rank) is unknown here */
		int16_t c = rb_class_code(res->sc_class[k]);
		memcpy(o + k * sizeof c, &c, sizeof c);
	}
	memcpy(o + rb->nscorecards * sizeof(int16_t), res->verdicts, rb->nrules);
	return RULEBOOK_OK;
}

RULEBOOK_API rulebook_status rulebook_eval_packed(const rulebook *rb, rulebook_facts *facts,
						   const void *record, size_t len, int32_t as_of,
						   rulebook_result *res, void *out, size_t out_len,
						   rulebook_error *err)
{
	rulebook_error_clear(err);
	if (!rb || !facts || !res || facts->rb != rb || res->rb != rb)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "rulebook_eval_packed needs a rulebook with its own facts and result");
	if (out && out_len < rulebook_packed_result_size(rb))
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "the packed results of rulebook '%s' need %zu bytes, not %zu",
				    rb->id, rulebook_packed_result_size(rb), out_len);
	rulebook_status st = rulebook_facts_set_packed(facts, record, len, err);
	if (!st)
		st = rulebook_eval(rb, facts, as_of, res, err);
	if (!st && out)
		st = rulebook_result_packed(res, out, out_len);
	return st;
}

RULEBOOK_API size_t rulebook_packed_scored_size(const rulebook *rb)
{
	return rb ? (size_t)rb->nscorecards * (sizeof(double) + 1) + rulebook_packed_result_size(rb)
		  : 0;
}

RULEBOOK_API rulebook_status rulebook_result_packed_scored(rulebook_result *res, void *out,
							    size_t len)
{
	if (!res || !out || len < rulebook_packed_scored_size(res->rb))
		return RULEBOOK_ERR_INVALID;
	const rulebook *rb = res->rb;
	unsigned char *o = out;
	unsigned char *flags = o + rb->nscorecards * sizeof(double) + rulebook_packed_result_size(rb);
	for (uint32_t k = 0; k < rb->nscorecards; k++) {
		double d = NAN;
		/* RULEBOOK_ERR_NOT_FOUND: no score; RULEBOOK_ERR_INVALID: nothing
		 * evaluated yet. d is NaN for both. */
		flags[k] = rulebook_result_score_double(res, k, &d) == RULEBOOK_OK
				   ? RULEBOOK_PACKED_SCORE_KNOWN
				   : RULEBOOK_PACKED_SCORE_NONE;
		memcpy(o + k * sizeof d, &d, sizeof d);
	}
	return rulebook_result_packed(res, o + rb->nscorecards * sizeof(double),
				      rulebook_packed_result_size(rb));
}

RULEBOOK_API rulebook_status rulebook_eval_packed_scored(const rulebook *rb, rulebook_facts *facts,
							  const void *record, size_t len,
							  int32_t as_of, rulebook_result *res,
							  void *out, size_t out_len,
							  rulebook_error *err)
{
	rulebook_error_clear(err);
	if (rb && out && out_len < rulebook_packed_scored_size(rb))
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "the packed results with scores of rulebook '%s' need %zu bytes, not %zu",
				    rb->id, rulebook_packed_scored_size(rb), out_len);
	rulebook_status st = rulebook_eval_packed(rb, facts, record, len, as_of, res, NULL, 0, err);
	if (!st && out)
		st = rulebook_result_packed_scored(res, out, out_len);
	return st;
}

RULEBOOK_API rulebook_status rulebook_eval_packed_call(rulebook_packed_call *call)
{
	if (!call)
		return RULEBOOK_ERR_INVALID;
	if (call->reserved) {
		rulebook_error_clear(call->err);
		return rb_error_add(call->err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "the reserved field of a packed call is %u; it must be 0",
				    (unsigned)call->reserved);
	}
	/* The buffer's length is the caller's to vouch for (as any pointer and
	 * length); what the block itself says is checked: neither range may
	 * lie in the block (results written there would overwrite its
	 * pointers), and the results may not overlap the record. */
	const uint64_t rec_end = (uint64_t)call->record_at + call->record_len;
	const uint64_t out_end = (uint64_t)call->out_at + call->out_len;
	const bool record_inside = call->record_at < sizeof *call;
	if (record_inside || (call->out_len && call->out_at < sizeof *call)) {
		rulebook_error_clear(call->err);
		return rb_error_add(call->err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "a packed call's %s at byte %u, inside the call's own %zu bytes",
				    record_inside ? "record starts" : "results start",
				    (unsigned)(record_inside ? call->record_at : call->out_at),
				    sizeof *call);
	}
	if (call->out_len && call->out_at < rec_end && call->record_at < out_end) {
		rulebook_error_clear(call->err);
		return rb_error_add(call->err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "a packed call's results (bytes %u to %llu) overlap its record "
				    "(bytes %u to %llu)",
				    (unsigned)call->out_at, (unsigned long long)out_end - 1,
				    (unsigned)call->record_at, (unsigned long long)rec_end - 1);
	}
	unsigned char *base = (unsigned char *)call;
	return rulebook_eval_packed_scored(call->rb, call->facts, base + call->record_at,
					   call->record_len, call->as_of, call->res,
					   call->out_len ? base + call->out_at : NULL,
					   call->out_len, call->err);
}
