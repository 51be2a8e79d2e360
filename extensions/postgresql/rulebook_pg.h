/* The PostgreSQL extension: a thin adapter over the public API.
 *
 *   store.c     rulebook.load, the rulebooks table, the per-backend cache of
 *               compiled rulebooks, errors as PostgreSQL errors
 *   facts.c     SQL values (jsonb or a row) into rulebook_facts
 *   evaluate.c  rulebook.evaluate and rulebook.verdicts
 *   population.c the population aggregate and the rank-class window function
 */
#ifndef RULEBOOK_PG_H
#define RULEBOOK_PG_H

#include "postgres.h"
#include "fmgr.h"

#include <rulebook.h>

/* A compiled rulebook as this backend holds it, with one facts, one result
 * and one error object reused for every record (a backend runs one query
 * at a time). Reference-counted: the cache holds one reference to the
 * current form of each id, and whatever keeps using a form during a
 * statement (the check in a function's fn_extra, a population) holds
 * another, so that a reload in the middle of a statement never frees what
 * the statement still uses. Allocated in TopMemoryContext. */
typedef struct rbpg_rulebook {
	char *id;
	rulebook *rb;
	rulebook_facts *facts;
	rulebook_result *res;
	rulebook_error *err;
	/* the ids and stored hashes of the rulebook and its parents: the
	 * closure the compiled form was built from */
	int nchain;
	char **chain_ids;
	char (*chain_hashes)[65];
	uint64 generation; /* unique to each compiled form, for bindings cached by callers */
	uint64 facts_owner; /* the row binding that last set every input of facts; 0 none */
	int refs;
} rbpg_rulebook;

/* The compiled rulebook called id, checked against the rulebooks table
 * once per statement and per id (fn_extra of flinfo holds the check and a
 * reference, dropped when flinfo's memory context goes), and compiled
 * again when it or a parent was reloaded. Raises undefined_object for an
 * unknown id and the compile errors of a stored rulebook that no longer
 * compiles. */
rbpg_rulebook *rbpg_get(FmgrInfo *flinfo, text *id);

/* Take and drop a reference to r (rbpg_unref(NULL) does nothing); the
 * last reference frees it. Neither raises. */
void rbpg_ref(rbpg_rulebook *r);
void rbpg_unref(rbpg_rulebook *r);

/* Raise a rulebook error as a PostgreSQL ERROR: the SQLSTATE from the
 * status, the first diagnostic as the message (prefixed by what), every
 * diagnostic as file:line:col in DETAIL. Does not return. */
void rbpg_raise(const char *what, rulebook_status st, const rulebook_error *err)
	pg_attribute_noreturn();

/* A PostgreSQL date as YYYYMMDD; raises for infinite dates. */
int32 rbpg_date(Datum d);

/* The output flags of the session (rulebook.lang = 'en' for English). */
uint32 rbpg_out_flags(void);

/* Set the facts of r from a jsonb value or a row (any composite type);
 * facts_type is the SQL type of the value. Cached column bindings live in
 * *cache (allocated in mcxt). Raises on a bad value. */
void rbpg_set_facts(rbpg_rulebook *r, Oid facts_type, Datum facts, void **cache,
		    MemoryContext mcxt);

#endif
