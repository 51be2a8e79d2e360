/* SQL values into rulebook_facts.
 *
 * jsonb: its text goes to rulebook_facts_set_json; jsonb keeps numbers as
 * numeric, so their text is the exact decimal.
 *
 * A row (any composite type): each column whose name is an input of the
 * rulebook is bound to it once per statement; columns that are not inputs
 * are ignored, except "_id", which names the record. numeric goes over as
 * its decimal text (never through a double), integers as their digits,
 * booleans as true/false, dates as YYYY-MM-DD, text as it is, float4 and
 * float8 as the shortest decimal that reads back as the same double, any
 * other type as its output text. NULL is a missing input. */
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
	size_t input;
	FmgrInfo out; /* K_OTHER and K_ID: the type's output function */
} column;

typedef struct binding {
	Oid type;
	int32 typmod;
	uint64 generation;
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

static binding *bind_row(rbpg_rulebook *r, TupleDesc desc, Oid type, int32 typmod,
			 MemoryContext mcxt)
{
	binding *b = MemoryContextAllocZero(mcxt, sizeof(*b));
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
		else if (rulebook_input_index(r->rb, name, strlen(name), &input) == RULEBOOK_OK) {
			c->kind = kind_of(att->atttypid);
			c->input = input;
		}
		if (c->kind == K_OTHER || c->kind == K_ID) {
			Oid fn;
			bool varlena;
			getTypeOutputInfo(att->atttypid, &fn, &varlena);
			fmgr_info_cxt(fn, &c->out, mcxt);
		}
	}
	return b;
}

/* Raise the error of setting column name. */
static void column_error(rbpg_rulebook *r, const char *name, const char *value,
			 rulebook_status st, rulebook_error *err) pg_attribute_noreturn();

static void column_error(rbpg_rulebook *r, const char *name, const char *value,
			 rulebook_status st, rulebook_error *err)
{
	char what[256];
	(void)value; /* the library's message quotes it */
	snprintf(what, sizeof what, "rulebook %s: column \"%s\"", r->id, name);
	PG_TRY();
	{
		rbpg_raise(what, st, err);
	}
	PG_FINALLY();
	{
		rulebook_error_free(err);
	}
	PG_END_TRY();
	pg_unreachable();
}

static void set_at(rbpg_rulebook *r, TupleDesc desc, int i, const column *c, Datum v)
{
	char buf[64];
	const char *str = NULL;
	bool decimal = false;
	double d = 0;
	switch (c->kind) {
	case K_NUMERIC:
		str = DatumGetCString(DirectFunctionCall1(numeric_out, v));
		decimal = true;
		break;
	case K_INT2:
		snprintf(buf, sizeof buf, "%d", (int)DatumGetInt16(v));
		str = buf;
		decimal = true;
		break;
	case K_INT4:
		snprintf(buf, sizeof buf, "%d", (int)DatumGetInt32(v));
		str = buf;
		decimal = true;
		break;
	case K_INT8:
		snprintf(buf, sizeof buf, INT64_FORMAT, DatumGetInt64(v));
		str = buf;
		decimal = true;
		break;
	case K_BOOL:
		str = DatumGetBool(v) ? "true" : "false";
		break;
	case K_TEXT:
		str = TextDatumGetCString(v);
		break;
	case K_DATE: {
		DateADT date = DatumGetDateADT(v);
		if (DATE_NOT_FINITE(date)) {
			str = DATE_IS_NOBEGIN(date) ? "-infinity" : "infinity";
			break;
		}
		int y, m, day;
		j2date(date + POSTGRES_EPOCH_JDATE, &y, &m, &day);
		snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, day);
		str = buf;
		break;
	}
	case K_FLOAT4:
		d = (double)DatumGetFloat4(v);
		break;
	case K_FLOAT8:
		d = DatumGetFloat8(v);
		break;
	case K_OTHER:
		str = OutputFunctionCall((FmgrInfo *)&c->out, v);
		break;
	case K_SKIP:
	case K_ID:
		return;
	}
	rulebook_error *err = rulebook_error_new();
	rulebook_status st;
	if (c->kind == K_FLOAT4 || c->kind == K_FLOAT8)
		st = rulebook_facts_set_double_at(r->facts, c->input, d, err);
	else if (decimal)
		st = rulebook_facts_set_decimal_at(r->facts, c->input, str, strlen(str), err);
	else
		st = rulebook_facts_set_text_at(r->facts, c->input, str, strlen(str), err);
	if (st != RULEBOOK_OK) {
		if (!str) {
			snprintf(buf, sizeof buf, "%g", d);
			str = buf;
		}
		column_error(r, NameStr(TupleDescAttr(desc, i)->attname), str, st, err);
	}
	rulebook_error_free(err);
}

static void set_row(rbpg_rulebook *r, HeapTupleHeader row, void **cache, MemoryContext mcxt)
{
	Oid type = HeapTupleHeaderGetTypeId(row);
	int32 typmod = HeapTupleHeaderGetTypMod(row);
	TupleDesc desc = lookup_rowtype_tupdesc(type, typmod);
	binding *b = *cache;
	if (!b || b->type != type || b->typmod != typmod || b->generation != r->generation ||
	    b->natts != desc->natts) {
		b = bind_row(r, desc, type, typmod, mcxt);
		*cache = b;
	}
	HeapTupleData tuple;
	tuple.t_len = HeapTupleHeaderGetDatumLength(row);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = row;
	heap_deform_tuple(&tuple, desc, b->values, b->nulls);
	for (int i = 0; i < b->natts; i++) {
		const column *c = &b->cols[i];
		if (c->kind == K_SKIP || b->nulls[i])
			continue; /* NULL: the input stays missing */
		if (c->kind == K_ID) {
			char *id = OutputFunctionCall((FmgrInfo *)&c->out, b->values[i]);
			if (rulebook_facts_set_id(r->facts, id, strlen(id)) != RULEBOOK_OK)
				ereport(ERROR, (errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						errmsg("rulebook %s: column \"_id\" is not a valid record id",
						       r->id)));
			continue;
		}
		set_at(r, desc, i, c, b->values[i]);
	}
	ReleaseTupleDesc(desc);
}

static void set_jsonb(rbpg_rulebook *r, Jsonb *jb)
{
	StringInfoData s;
	initStringInfo(&s);
	(void)JsonbToCString(&s, &jb->root, (int)VARSIZE(jb));
	rulebook_error *err = rulebook_error_new();
	rulebook_status st = rulebook_facts_set_json(r->facts, s.data, (size_t)s.len, err);
	if (st != RULEBOOK_OK) {
		char what[256];
		snprintf(what, sizeof what, "rulebook %s: facts", r->id);
		PG_TRY();
		{
			rbpg_raise(what, st, err);
		}
		PG_FINALLY();
		{
			rulebook_error_free(err);
		}
		PG_END_TRY();
	}
	rulebook_error_free(err);
	pfree(s.data);
}

void rbpg_set_facts(rbpg_rulebook *r, Oid facts_type, Datum facts, void **cache,
		    MemoryContext mcxt)
{
	rulebook_facts_clear(r->facts);
	if (facts_type == JSONBOID)
		set_jsonb(r, DatumGetJsonbP(facts));
	else if (type_is_rowtype(facts_type))
		set_row(r, DatumGetHeapTupleHeader(facts), cache, mcxt);
	else
		ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
				errmsg("rulebook: facts must be jsonb or a row, not %s",
				       format_type_be(facts_type))));
}
