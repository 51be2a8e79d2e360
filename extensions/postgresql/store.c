/* Rulebooks in the database: rulebook.load stores a rulebook's source in
 * rulebook.rulebooks after compiling it; `extends` resolves against that
 * table (through rulebook_options_set_resolver, never the file system).
 * Each backend keeps the compiled rulebooks it used, with the ids and
 * hashes of the chain they were built from; a statement checks the chain's
 * hashes once and compiles again when one changed (a reload). */
#include "rulebook_pg.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/memutils.h"

#include <string.h>

PG_MODULE_MAGIC;

static int rbpg_lang = 0; /* 0 zh, 1 en */
static const struct config_enum_entry lang_options[] = {
	{"zh", 0, false},
	{"en", 1, false},
	{NULL, 0, false},
};

void _PG_init(void);

void _PG_init(void)
{
	DefineCustomEnumVariable("rulebook.lang",
				 "Language of rulebook messages and titles in results.",
				 "zh (the default) or en.", &rbpg_lang, 0, lang_options, PGC_USERSET,
				 0, NULL, NULL, NULL);
	MarkGUCPrefixReserved("rulebook");
}

uint32 rbpg_out_flags(void)
{
	return rbpg_lang == 1 ? RULEBOOK_OUT_LANG_EN : 0;
}

/* ---- errors ---- */

static int sqlstate_of(rulebook_status st)
{
	switch (st) {
	case RULEBOOK_ERR_NOMEM:
		return ERRCODE_OUT_OF_MEMORY;
	case RULEBOOK_ERR_SYNTAX:
		return ERRCODE_SYNTAX_ERROR;
	case RULEBOOK_ERR_SCHEMA:
	case RULEBOOK_ERR_EXPR:
	case RULEBOOK_ERR_NAME:
	case RULEBOOK_ERR_TYPE:
	case RULEBOOK_ERR_UNIT:
	case RULEBOOK_ERR_CYCLE:
	case RULEBOOK_ERR_TEST:
		return ERRCODE_INVALID_OBJECT_DEFINITION;
	case RULEBOOK_ERR_VALUE:
		return ERRCODE_INVALID_TEXT_REPRESENTATION;
	case RULEBOOK_ERR_RANGE:
		return ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
	case RULEBOOK_ERR_LIMIT:
		return ERRCODE_PROGRAM_LIMIT_EXCEEDED;
	case RULEBOOK_ERR_NOT_FOUND:
		return ERRCODE_UNDEFINED_OBJECT;
	case RULEBOOK_ERR_IO:
	case RULEBOOK_ERR_INVALID:
	default:
		return ERRCODE_INVALID_PARAMETER_VALUE;
	}
}

/* Every error of a rulebook being loaded is one of its definition, except
 * these. */
static int load_sqlstate_of(rulebook_status st)
{
	switch (st) {
	case RULEBOOK_ERR_NOMEM:
	case RULEBOOK_ERR_SYNTAX:
	case RULEBOOK_ERR_LIMIT:
	case RULEBOOK_ERR_NOT_FOUND:
		return sqlstate_of(st);
	default:
		return ERRCODE_INVALID_OBJECT_DEFINITION;
	}
}

static void raise_with(int sqlstate, const char *what, rulebook_status st,
		       const rulebook_error *err) pg_attribute_noreturn();

void rbpg_raise(const char *what, rulebook_status st, const rulebook_error *err)
{
	raise_with(sqlstate_of(st), what, st, err);
}

static void raise_with(int sqlstate, const char *what, rulebook_status st,
		       const rulebook_error *err)
{
	size_t n = err ? rulebook_error_count(err) : 0;
	const char *first = n ? rulebook_error_message(err, 0) : rulebook_status_str(st);
	/* DETAIL: every diagnostic with its position in the rulebook (or the
	 * JSON facts) as file:line:col */
	bool positions = false;
	for (size_t i = 0; i < n; i++)
		positions |= rulebook_error_file(err, i) != NULL;
	if (!positions && n <= 1)
		ereport(ERROR, (errcode(sqlstate), errmsg("%s: %s", what, first)));
	StringInfoData detail;
	initStringInfo(&detail);
	for (size_t i = 0; i < n && i < 20; i++) {
		const char *file = rulebook_error_file(err, i);
		if (i)
			appendStringInfoChar(&detail, '\n');
		if (file)
			appendStringInfo(&detail, "%s:%u:%u: ", file, rulebook_error_line(err, i),
					 rulebook_error_column(err, i));
		appendStringInfoString(&detail, rulebook_error_message(err, i));
	}
	if (n > 20)
		appendStringInfo(&detail, "\n(%zu more)", n - 20);
	ereport(ERROR, (errcode(sqlstate), errmsg("%s: %s", what, first),
			errdetail_internal("%s", detail.data)));
	pg_unreachable();
}

int32 rbpg_date(Datum d)
{
	DateADT date = DatumGetDateADT(d);
	if (DATE_NOT_FINITE(date))
		ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				errmsg("rulebook: the as-of date must be finite")));
	int y, m, day;
	j2date(date + POSTGRES_EPOCH_JDATE, &y, &m, &day);
	if (y < 1000 || y > 9999)
		ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				errmsg("rulebook: the as-of date must be in the years 1000 to 9999")));
	return (int32)(y * 10000 + m * 100 + day);
}

/* ---- reading the table ---- */

/* The source and hash stored for id, in the current memory context; false
 * when there is none. The caller is connected to SPI. */
static bool fetch_row(const char *id, char **source, char **hash)
{
	Oid types[1] = {TEXTOID};
	Datum values[1] = {CStringGetTextDatum(id)};
	int rc = SPI_execute_with_args("SELECT source, hash FROM rulebook.rulebooks WHERE id = $1",
				       1, types, values, NULL, true, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "rulebook: reading rulebook.rulebooks failed: %s",
		     SPI_result_code_string(rc));
	if (SPI_processed == 0)
		return false;
	bool isnull;
	Datum s = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	*source = isnull ? pstrdup("") : TextDatumGetCString(s);
	Datum h = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);
	*hash = isnull ? pstrdup("") : TextDatumGetCString(h);
	return true;
}

/* The chain a load went through, collected by the resolver. */
typedef struct chain {
	int n;
	char *ids[16];
	char *hashes[16];
	MemoryContext mcxt; /* where the sources and ids live until the load returns */
} chain;

static rulebook_status resolve_from_table(const char *name, size_t name_len, const char **data,
					  size_t *len, void *payload)
{
	chain *c = payload;
	(void)name_len;
	if (c->n >= 16)
		return RULEBOOK_ERR_LIMIT;
	MemoryContext old = MemoryContextSwitchTo(c->mcxt);
	char *source, *hash;
	bool found = fetch_row(name, &source, &hash);
	if (found) {
		c->ids[c->n] = pstrdup(name);
		c->hashes[c->n] = hash;
		c->n++;
		*data = source;
		*len = strlen(source);
	}
	MemoryContextSwitchTo(old);
	return found ? RULEBOOK_OK : RULEBOOK_ERR_NOT_FOUND;
}

/* Compile source (named name in diagnostics) with parents from the table.
 * The caller is connected to SPI. Raises on errors. */
static rulebook *compile(const char *source, const char *name, chain *c)
{
	rulebook_options *opts = rulebook_options_new();
	rulebook_error *err = rulebook_error_new();
	if (!opts || !err) {
		rulebook_options_free(opts);
		rulebook_error_free(err);
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	}
	rulebook_options_set_resolver(opts, resolve_from_table, c);
	rulebook *rb = NULL;
	rulebook_status st = rulebook_load_buffer(source, strlen(source), name, opts, &rb, err);
	rulebook_options_free(opts);
	if (st != RULEBOOK_OK) {
		/* copy the diagnostics into the error report, then free them */
		PG_TRY();
		{
			raise_with(load_sqlstate_of(st), "rulebook", st, err);
		}
		PG_FINALLY();
		{
			rulebook_error_free(err);
		}
		PG_END_TRY();
	}
	rulebook_error_free(err);
	return rb;
}

/* ---- the cache ----
 *
 * The cache holds one reference to the current compiled form of each id;
 * every statement that uses one (the check in a function's fn_extra, a
 * population being built) holds another until its memory goes. A reload
 * replaces the cache's entry and drops the cache's reference: a statement
 * that still holds the old form keeps using it safely, and the last
 * holder frees it. */

typedef struct cache_node {
	char *id;
	rbpg_rulebook *r;
	struct cache_node *next;
} cache_node;

static cache_node *cache;
static uint64 generation;
static uint64 loads; /* rulebook.load calls in this backend */

static void release(rbpg_rulebook *r)
{
	rulebook_error_free(r->err);
	rulebook_result_free(r->res);
	rulebook_facts_free(r->facts);
	rulebook_free(r->rb);
	for (int i = 0; i < r->nchain; i++)
		pfree(r->chain_ids[i]);
	if (r->chain_ids)
		pfree(r->chain_ids);
	if (r->chain_hashes)
		pfree(r->chain_hashes);
	pfree(r->id);
	pfree(r);
}

void rbpg_ref(rbpg_rulebook *r)
{
	r->refs++;
}

void rbpg_unref(rbpg_rulebook *r)
{
	if (r && --r->refs == 0)
		release(r);
}

static cache_node *cache_find(const char *id)
{
	for (cache_node *n = cache; n; n = n->next)
		if (strcmp(n->id, id) == 0)
			return n;
	return NULL;
}

/* Whether the hashes stored now for the chain of r are those it was
 * compiled from. The caller is connected to SPI. */
static bool still_current(const rbpg_rulebook *r)
{
	for (int i = 0; i < r->nchain; i++) {
		char *source, *hash;
		if (!fetch_row(r->chain_ids[i], &source, &hash))
			return false;
		if (strcmp(hash, r->chain_hashes[i]) != 0)
			return false;
	}
	return r->nchain > 0;
}

/* Compile the stored rulebook id into node n (created when NULL), which
 * then holds the new compiled form. */
static cache_node *build(const char *id, cache_node *n)
{
	chain c = {0};
	c.mcxt = CurrentMemoryContext;
	char *source, *hash;
	if (!fetch_row(id, &source, &hash))
		ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT),
				errmsg("rulebook: no rulebook '%s'", id),
				errhint("Load it with rulebook.load(source).")));
	rulebook *rb = compile(source, id, &c);
	rulebook_facts *facts = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	rulebook_error *err = rulebook_error_new();
	if (!facts || !res || !err) {
		rulebook_error_free(err);
		rulebook_facts_free(facts);
		rulebook_result_free(res);
		rulebook_free(rb);
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	}
	MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
	rbpg_rulebook *r = palloc0(sizeof(*r));
	r->id = pstrdup(id);
	r->rb = rb;
	r->facts = facts;
	r->res = res;
	r->err = err;
	r->nchain = c.n + 1;
	r->chain_ids = palloc(sizeof(char *) * (size_t)r->nchain);
	r->chain_hashes = palloc(sizeof(*r->chain_hashes) * (size_t)r->nchain);
	r->chain_ids[0] = pstrdup(id);
	strlcpy(r->chain_hashes[0], hash, 65);
	for (int i = 0; i < c.n; i++) {
		r->chain_ids[i + 1] = pstrdup(c.ids[i]);
		strlcpy(r->chain_hashes[i + 1], c.hashes[i], 65);
	}
	r->generation = ++generation;
	r->refs = 1; /* the cache's */
	if (!n) {
		n = palloc0(sizeof(*n));
		n->id = pstrdup(id);
		n->next = cache;
		cache = n;
	} else {
		rbpg_unref(n->r);
	}
	n->r = r;
	MemoryContextSwitchTo(old);
	return n;
}

/* What fn_extra of a calling function holds: the id checked in this
 * statement and a reference to its compiled rulebook, dropped when the
 * function's memory goes (the end of the statement, or an error). */
typedef struct checked {
	char *id;
	rbpg_rulebook *r;
	uint64 loads;
	MemoryContextCallback cb;
} checked;

static void checked_drop(void *arg)
{
	checked *ck = arg;
	rbpg_unref(ck->r);
	ck->r = NULL;
}

rbpg_rulebook *rbpg_get(FmgrInfo *flinfo, text *id_text)
{
	checked *ck = flinfo ? flinfo->fn_extra : NULL;
	const char *idp = VARDATA_ANY(id_text);
	size_t idlen = VARSIZE_ANY_EXHDR(id_text);
	if (ck && ck->r && ck->loads == loads && strlen(ck->id) == idlen &&
	    memcmp(ck->id, idp, idlen) == 0)
		return ck->r;
	char *id = text_to_cstring(id_text);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "rulebook: SPI_connect failed");
	cache_node *n = cache_find(id);
	if (!n || !still_current(n->r))
		n = build(id, n);
	SPI_finish();
	if (flinfo) {
		if (!ck) {
			ck = MemoryContextAllocZero(flinfo->fn_mcxt, sizeof(*ck));
			ck->cb.func = checked_drop;
			ck->cb.arg = ck;
			MemoryContextRegisterResetCallback(flinfo->fn_mcxt, &ck->cb);
			flinfo->fn_extra = ck;
		}
		if (ck->id)
			pfree(ck->id);
		ck->id = MemoryContextStrdup(flinfo->fn_mcxt, id);
		if (ck->r != n->r) {
			rbpg_ref(n->r);
			rbpg_unref(ck->r);
			ck->r = n->r;
		}
		ck->loads = loads;
	}
	pfree(id);
	return n->r;
}

/* ---- rulebook.load ---- */

PG_FUNCTION_INFO_V1(rulebook_pg_load);

Datum rulebook_pg_load(PG_FUNCTION_ARGS)
{
	char *source = text_to_cstring(PG_GETARG_TEXT_PP(0));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "rulebook: SPI_connect failed");
	chain c = {0};
	c.mcxt = CurrentMemoryContext;
	rulebook *rb = compile(source, "<source>", &c);
	char *id = pstrdup(rulebook_id(rb));
	char *hash = pstrdup(rulebook_hash(rb));
	rulebook_free(rb);
	Oid types[3] = {TEXTOID, TEXTOID, TEXTOID};
	Datum values[3] = {CStringGetTextDatum(id), CStringGetTextDatum(hash),
			   CStringGetTextDatum(source)};
	int rc = SPI_execute_with_args(
		"INSERT INTO rulebook.rulebooks AS r (id, hash, source, loaded_at) "
		"VALUES ($1, $2, $3, now()) ON CONFLICT (id) DO UPDATE "
		"SET hash = excluded.hash, source = excluded.source, loaded_at = excluded.loaded_at",
		3, types, values, NULL, false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "rulebook: storing the rulebook failed: %s", SPI_result_code_string(rc));
	SPI_finish();
	loads++;
	PG_RETURN_TEXT_P(cstring_to_text(id));
}
