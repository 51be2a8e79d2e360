/* Typed setters by input index for the columnar readers (arrow_in.c):
 * values that arrive already typed skip the text parser. Each checks that
 * the input's type takes the value and reports as the public setters do. */
#ifndef RB_COLUMNAR_H
#define RB_COLUMNAR_H

#include "compiled.h"

#include <stdbool.h>

rulebook_status rb_facts_set_dec_at(rulebook_facts *f, size_t idx, rb_dec d, rulebook_error *err);
rulebook_status rb_facts_set_bool_at(rulebook_facts *f, size_t idx, bool b, rulebook_error *err);
rulebook_status rb_facts_set_date_at(rulebook_facts *f, size_t idx, int32_t ymd,
				     rulebook_error *err);

/* Whether s[0..len) is UTF-8 without NUL bytes (as facts take text). */
bool rb_valid_text(const char *s, size_t len);
/* The rulebook a population evaluates. */
const rulebook *rb_population_rulebook(const rulebook_population *pop);

/* The row loop of a batch call: rows [from, to) of the batch into pop, in
 * order, stopping at the first failure (returned, with its diagnostic in
 * err). A row that cannot be a record is skipped: its number goes to
 * bad[*nbad] (when bad is not NULL) and *nbad counts it; the first one's
 * diagnostic goes to err. fn only reads ctx. */
typedef rulebook_status (*rb_rows_fn)(rulebook_population *pop, const void *ctx, size_t from,
				      size_t to, size_t *bad, size_t *nbad, rulebook_error *err);
/* Run fn over rows [0, n) on the population's threads
 * (rulebook_population_set_threads): each thread takes a slice of the
 * rows into a population of its own, and the slices are merged in order,
 * so that the records, bad rows and diagnostics are those of one loop over
 * all rows. bad has room for n row numbers or is NULL. */
rulebook_status rb_population_add_rows(rulebook_population *pop, size_t n, rb_rows_fn fn,
				       const void *ctx, size_t *bad, size_t *nbad,
				       rulebook_error *err);

#endif
