/* SQL values into rulebook_facts.
 *
 * jsonb: its text goes to rulebook_facts_set_json; jsonb keeps numbers as
 * numeric, so their text is the exact decimal.
 *
 * A row (any composite type): each column whose name is an input of the
 * rulebook, or one of the input's aliases, is bound to it once per
 * statement and row type; columns that are not inputs are ignored, except
 * "_id", which names the record. Each bound column then costs one typed
 * setter per row, with no text in between and no allocation:
 *   numeric            its base-10000 digits read straight from the value
 *                      into rulebook_facts_set_scaled_at (exact; never
 *                      through a double); NaN, infinities and values of
 *                      more than 18 significant digits go over as their
 *                      text, which the library refuses with its own message
 *   smallint, integer, bigint  rulebook_facts_set_scaled_at (scale 0)
 *   boolean            rulebook_facts_set_bool_at
 *   date               rulebook_facts_set_date_at (infinite dates as text,
 *                      which the library refuses)
 *   text, varchar, char  the value's bytes, rulebook_facts_set_text_at
 *   real, double precision  rulebook_facts_set_double_at (the shortest
 *                      decimal that reads back as the same double)
 *   anything else      its output text, rulebook_facts_set_text_at
 * NULL is a missing input. */
#include "rulebook_pg.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/typcache.h"

#include <stdio.h>
#include <string.h>

typedef enum kind {
	K_SKIP,
	K_ID,
	K_NUMERIC,
	K_INT2,
	K_INT4,
	K_INT8,
	K_BOOL,
	K_TEXT,
	K_DATE,
	K_FLOAT4,
	K_FLOAT8,
	K_OTHER
} kind;

typedef struct column {
	kind kind;
	bool as_text; /* K_BOOL, K_DATE for an input of another type: as text */
	size_t input;
	FmgrInfo out; /* K_OTHER and K_ID: the type's output function */
} column;

/* The bindings of one row type to one compiled rulebook. */
typedef struct binding {
	Oid type;
	int32 typmod;
	uint64 generation;
	uint64 serial; /* unique in the backend: which binding set the facts last */
	Oid arg_type;  /* the SQL type of the argument (a row type, or record) */
	int natts;
	column *cols;
	Datum *values;
	bool *nulls;
} binding;

static kind kind_of(Oid type)
{
	switch (type) {
	case NUMERICOID: return K_NUMERIC;
	case INT2OID: return K_INT2;
	case INT4OID: return K_INT4;
	case INT8OID: return K_INT8;
	case BOOLOID: return K_BOOL;
	case TEXTOID:
	case VARCHAROID:
	case BPCHAROID: return K_TEXT;
	case DATEOID: return K_DATE;
	case FLOAT4OID: return K_FLOAT4;
	case FLOAT8OID: return K_FLOAT8;
	default: return K_OTHER;
	}
}

/* The input a column called name sets: by the input's id, else by one of
 * its aliases (`aliases:` in the rulebook). */
static bool input_of(const rulebook *rb, const char *name, size_t *out)
{
	size_t len = strlen(name);
	if (rulebook_input_index(rb, name, len, out) == RULEBOOK_OK)
		return true;
	size_t n = rulebook_input_count(rb);
	for (size_t i = 0; i < n; i++) {
		size_t na = rulebook_input_alias_count(rb, i);
		for (size_t j = 0; j < na; j++)
			if (strcmp(rulebook_input_alias(rb, i, j), name) == 0) {
				*out = i;
				return true;
			}
	}
	return false;
}

static binding *bind_row(rbpg_rulebook *r, TupleDesc desc, Oid type, int32 typmod,
			 MemoryContext mcxt)
{
	static uint64 serials;
	binding *b = MemoryContextAllocZero(mcxt, sizeof(*b));
	b->serial = ++serials;
	b->type = type;
	b->typmod = typmod;
	b->generation = r->generation;
	b->natts = desc->natts;
	b->cols = MemoryContextAllocZero(mcxt, sizeof(column) * (size_t)(desc->natts + 1));
	b->values = MemoryContextAllocZero(mcxt, sizeof(Datum) * (size_t)(desc->natts + 1));
	b->nulls = MemoryContextAllocZero(mcxt, sizeof(bool) * (size_t)(desc->natts + 1));
	for (int i = 0; i < desc->natts; i++) {
		Form_pg_attribute att = TupleDescAttr(desc, i);
		column *c = &b->cols[i];
		c->kind = K_SKIP;
		if (att->attisdropped)
			continue;
		const char *name = NameStr(att->attname);
		size_t input;
		if (strcmp(name, "_id") == 0)
			c->kind = K_ID;
		else if (input_of(r->rb, name, &input)) {
			for (int k = 0; k < i; k++)
				if (b->cols[k].kind != K_SKIP && b->cols[k].kind != K_ID &&
				    b->cols[k].input == input)
					ereport(ERROR,
						(errcode(ERRCODE_DUPLICATE_COLUMN),
						 errmsg("rulebook %s: columns \"%s\" and \"%s\" both set input '%s'",
							r->id, NameStr(TupleDescAttr(desc, k)->attname), name,
							rulebook_input_name(r->rb, input))));
			c->kind = kind_of(att->atttypid);
			c->input = input;
			const char *itype = rulebook_input_type(r->rb, input);
			c->as_text = (c->kind == K_BOOL && strcmp(itype, "boolean") != 0) ||
				     (c->kind == K_DATE && strcmp(itype, "date") != 0);
		}
		if (c->kind == K_OTHER || (c->kind == K_ID && kind_of(att->atttypid) != K_TEXT)) {
			Oid fn;
			bool varlena;
			getTypeOutputInfo(att->atttypid, &fn, &varlena);
			fmgr_info_cxt(fn, &c->out, mcxt);
		}
		if (c->kind == K_ID && kind_of(att->atttypid) == K_TEXT)
			c->out.fn_oid = InvalidOid; /* the bytes themselves */
	}
	return b;
}

/* ---- numeric from its digits ----
 *
 * The storage format of numeric (src/backend/utils/adt/numeric.c, kept
 * stable across releases for pg_upgrade): after the varlena header, a
 * 16-bit header word; the short form (high bits 10) packs sign, display
 * scale and a 7-bit weight into it, the long form (high bits 00 or 01)
 * holds sign and scale and is followed by a 16-bit weight; 11 are NaN and
 * the infinities. Then base-10000 digits, int16 each, the first of weight
 * `weight`: the value is the sum of digit[i] × 10000^(weight - i). Leading
 * and trailing zero digits are never stored. The server's headers do not
 * declare this layout, so it is read here byte by byte (a value stored
 * with a 1-byte varlena header is not aligned). */
#define RBPG_NUMERIC_SIGN_MASK 0xC000
#define RBPG_NUMERIC_NEG 0x4000
#define RBPG_NUMERIC_SHORT 0x8000
#define RBPG_NUMERIC_SPECIAL 0xC000
#define RBPG_NUMERIC_SHORT_SIGN_MASK 0x2000
#define RBPG_NUMERIC_SHORT_WEIGHT_SIGN_MASK 0x0040
#define RBPG_NUMERIC_SHORT_WEIGHT_MASK 0x003F

/* The value of the numeric stored in p[0..len) (after its varlena header)
 * as unscaled × 10^-scale, when it has at most 18 significant digits;
 * false for NaN, infinities and longer values. */
static bool parts_of(const char *p, size_t len, int64 *unscaled, int32 *scale)
{
	uint16 header;
	if (len < sizeof header)
		return false;
	memcpy(&header, p, sizeof header);
	int weight;
	bool neg;
	size_t at;
	switch (header & RBPG_NUMERIC_SIGN_MASK) {
	case RBPG_NUMERIC_SPECIAL:
		return false;
	case RBPG_NUMERIC_SHORT:
		neg = (header & RBPG_NUMERIC_SHORT_SIGN_MASK) != 0;
		weight = (header & RBPG_NUMERIC_SHORT_WEIGHT_SIGN_MASK ? ~RBPG_NUMERIC_SHORT_WEIGHT_MASK : 0) |
			 (header & RBPG_NUMERIC_SHORT_WEIGHT_MASK);
		at = sizeof header;
		break;
	default: {
		int16 w;
		if (len < sizeof header + sizeof w)
			return false;
		memcpy(&w, p + sizeof header, sizeof w);
		neg = (header & RBPG_NUMERIC_SIGN_MASK) == RBPG_NUMERIC_NEG;
		weight = w;
		at = sizeof header + sizeof w;
		break;
	}
	}
	size_t ndigits = (len - at) / sizeof(int16);
	if (ndigits == 0) {
		*unscaled = 0;
		*scale = 0;
		return true;
	}
	/* The significant digits: those of the first base-10000 digit, 4 for
	 * each of the others, less the trailing zeros of the last. */
	int16 first, last;
	memcpy(&first, p + at, sizeof first);
	memcpy(&last, p + at + (ndigits - 1) * sizeof last, sizeof last);
	int lead = first >= 1000 ? 4 : first >= 100 ? 3 : first >= 10 ? 2 : 1;
	int tz = 0;
	int lastv = last;
	while (lastv != 0 && lastv % 10 == 0) {
		lastv /= 10;
		tz++;
	}
	if (ndigits == 1)
		lead -= tz;
	int sig = lead + 4 * (int)(ndigits - 1) - (ndigits > 1 ? tz : 0);
	if (sig > 18)
		return false;
	int64 c = 0;
	for (size_t i = 0; i + 1 < ndigits; i++) {
		int16 dg;
		memcpy(&dg, p + at + i * sizeof dg, sizeof dg);
		c = c * 10000 + dg;
	}
	static const int64 pow10[5] = {1, 10, 100, 1000, 10000};
	c = c * pow10[4 - tz] + lastv;
	*unscaled = neg ? -c : c;
	/* the last digit's place is 10000^(weight - ndigits + 1), less tz zeros */
	*scale = -(4 * (weight - (int32)(ndigits - 1)) + tz);
	return true;
}

static bool numeric_parts(Datum d, int64 *unscaled, int32 *scale)
{
	struct varlena *v = pg_detoast_datum_packed((struct varlena *)DatumGetPointer(d));
	bool ok = parts_of(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v), unscaled, scale);
	if ((Pointer)v != DatumGetPointer(d))
		pfree(v);
	return ok;
}

/* Raise the error the library reported in r->err for column i. */
static void column_error(rbpg_rulebook *r, TupleDesc desc, int i, rulebook_status st)
	pg_attribute_noreturn();

static void column_error(rbpg_rulebook *r, TupleDesc desc, int i, rulebook_status st)
{
	char what[256];
	snprintf(what, sizeof what, "rulebook %s: column \"%s\"", r->id,
		 NameStr(TupleDescAttr(desc, i)->attname));
	rbpg_raise(what, st, r->err);
}

static void set_at(rbpg_rulebook *r, TupleDesc desc, int i, const column *c, Datum v)
{
	rulebook_facts *f = r->facts;
	rulebook_error *err = r->err;
	rulebook_status st;
	switch (c->kind) {
	case K_NUMERIC: {
		int64 unscaled;
		int32 scale;
		if (numeric_parts(v, &unscaled, &scale))
			st = rulebook_facts_set_scaled_at(f, c->input, unscaled, scale, err);
		else {
			const char *s = DatumGetCString(DirectFunctionCall1(numeric_out, v));
			st = rulebook_facts_set_decimal_at(f, c->input, s, strlen(s), err);
		}
		break;
	}
	case K_INT2:
		st = rulebook_facts_set_scaled_at(f, c->input, DatumGetInt16(v), 0, err);
		break;
	case K_INT4:
		st = rulebook_facts_set_scaled_at(f, c->input, DatumGetInt32(v), 0, err);
		break;
	case K_INT8:
		st = rulebook_facts_set_scaled_at(f, c->input, DatumGetInt64(v), 0, err);
		break;
	case K_BOOL:
		if (c->as_text) {
			const char *s = DatumGetBool(v) ? "true" : "false";
			st = rulebook_facts_set_text_at(f, c->input, s, strlen(s), err);
		} else
			st = rulebook_facts_set_bool_at(f, c->input, DatumGetBool(v), err);
		break;
	case K_TEXT: {
		struct varlena *t = pg_detoast_datum_packed((struct varlena *)DatumGetPointer(v));
		st = rulebook_facts_set_text_at(f, c->input, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), err);
		break;
	}
	case K_DATE: {
		DateADT date = DatumGetDateADT(v);
		if (DATE_NOT_FINITE(date)) {
			const char *s = DATE_IS_NOBEGIN(date) ? "-infinity" : "infinity";
			st = rulebook_facts_set_text_at(f, c->input, s, strlen(s), err);
			break;
		}
		int y, m, day;
		j2date(date + POSTGRES_EPOCH_JDATE, &y, &m, &day);
		if (c->as_text) {
			char buf[32];
			int n = snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, day);
			st = rulebook_facts_set_text_at(f, c->input, buf, (size_t)n, err);
		} else
			st = rulebook_facts_set_date_at(f, c->input, (int32)(y * 10000 + m * 100 + day),
							err);
		break;
	}
	case K_FLOAT4:
		st = rulebook_facts_set_double_at(f, c->input, (double)DatumGetFloat4(v), err);
		break;
	case K_FLOAT8:
		st = rulebook_facts_set_double_at(f, c->input, DatumGetFloat8(v), err);
		break;
	case K_OTHER: {
		const char *s = OutputFunctionCall((FmgrInfo *)&c->out, v);
		st = rulebook_facts_set_text_at(f, c->input, s, strlen(s), err);
		break;
	}
	case K_SKIP:
	case K_ID:
	default:
		return;
	}
	if (st != RULEBOOK_OK)
		column_error(r, desc, i, st);
}

static void set_id(rbpg_rulebook *r, const column *c, Datum v)
{
	const char *id;
	size_t len;
	if (c->out.fn_oid == InvalidOid) {
		struct varlena *t = pg_detoast_datum_packed((struct varlena *)DatumGetPointer(v));
		id = VARDATA_ANY(t);
		len = VARSIZE_ANY_EXHDR(t);
	} else {
		id = OutputFunctionCall((FmgrInfo *)&c->out, v);
		len = strlen(id);
	}
	if (rulebook_facts_set_id(r->facts, id, len) != RULEBOOK_OK)
		ereport(ERROR, (errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				errmsg("rulebook %s: column \"_id\" is not a valid record id", r->id)));
}

static void set_row(rbpg_rulebook *r, Oid arg_type, HeapTupleHeader row, void **cache,
		    MemoryContext mcxt)
{
	Oid type = HeapTupleHeaderGetTypeId(row);
	int32 typmod = HeapTupleHeaderGetTypMod(row);
	TupleDesc desc = lookup_rowtype_tupdesc(type, typmod);
	binding *b = *cache;
	if (!b || b->type != type || b->typmod != typmod || b->generation != r->generation ||
	    b->natts != desc->natts) {
		b = bind_row(r, desc, type, typmod, mcxt);
		b->arg_type = arg_type;
		*cache = b;
	}
	HeapTupleData tuple;
	tuple.t_len = HeapTupleHeaderGetDatumLength(row);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = row;
	heap_deform_tuple(&tuple, desc, b->values, b->nulls);
	/* Inputs no column binds stay missing from one row to the next, and
	 * every bound one is set (or marked missing) on each row: the facts
	 * need clearing only when something else set them last. */
	if (r->facts_owner != b->serial) {
		rulebook_facts_clear(r->facts);
		r->facts_owner = b->serial;
	}
	for (int i = 0; i < b->natts; i++) {
		const column *c = &b->cols[i];
		if (c->kind == K_SKIP)
			continue;
		if (c->kind == K_ID) {
			if (b->nulls[i])
				(void)rulebook_facts_set_id(r->facts, NULL, 0);
			else
				set_id(r, c, b->values[i]);
		} else if (b->nulls[i])
			(void)rulebook_facts_set_missing_at(r->facts, c->input); /* NULL is missing */
		else
			set_at(r, desc, i, c, b->values[i]);
	}
	ReleaseTupleDesc(desc);
}

static void set_jsonb(rbpg_rulebook *r, Jsonb *jb)
{
	StringInfoData s;
	initStringInfo(&s);
	(void)JsonbToCString(&s, &jb->root, (int)VARSIZE(jb));
	rulebook_status st = rulebook_facts_set_json(r->facts, s.data, (size_t)s.len, r->err);
	if (st != RULEBOOK_OK) {
		char what[256];
		snprintf(what, sizeof what, "rulebook %s: facts", r->id);
		rbpg_raise(what, st, r->err);
	}
	pfree(s.data);
}

void rbpg_set_facts(rbpg_rulebook *r, Oid facts_type, Datum facts, void **cache,
		    MemoryContext mcxt)
{
	if (facts_type == JSONBOID) {
		rulebook_facts_clear(r->facts);
		r->facts_owner = 0;
		set_jsonb(r, DatumGetJsonbP(facts));
	} else if ((*cache && ((binding *)*cache)->arg_type == facts_type) ||
		   type_is_rowtype(facts_type))
		set_row(r, facts_type, DatumGetHeapTupleHeader(facts), cache, mcxt);
	else
		ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
				errmsg("rulebook: facts must be jsonb or a row, not %s",
				       format_type_be(facts_type))));
}
