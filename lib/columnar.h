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

/* ---- the binary run over columns (columnar_eval.c) ---- */

/* Rows per block of the columnar run. */
#define RB_COL_BLOCK 512

typedef struct rb_colrun rb_colrun;

/* A columnar run of rb's binary program for numeric columns setting
 * inputs[0..ncols) (every other input missing), as of as_of; res is a
 * result that has evaluated a record as of that date (the per-date values
 * are read from it). NULL when the program or the rulebook is not one the
 * columnar run covers (every row then goes through rulebook_eval), or
 * when memory runs out. */
rb_colrun *rb_colrun_new(const rulebook *rb, const rulebook_result *res, int32_t as_of,
			 const size_t *inputs, size_t ncols);
void rb_colrun_free(rb_colrun *cr);

/* Run a block of n <= RB_COL_BLOCK rows: cols[c][0..n) the values of
 * column c (NaN: missing); alone (NULL: none) marks rows to leave to
 * their own evaluation. */
void rb_colrun_block(rb_colrun *cr, const double *const *cols, size_t n, const uint8_t *alone);

/* Whether row `row` of the last block (0-based in the block) was decided:
 * then rb_colrun_row gives the slots its verdicts and classes read (as a
 * binary run of the record alone would), else the row must be evaluated
 * alone. */
bool rb_colrun_decided(const rb_colrun *cr, size_t row);
void rb_colrun_row(const rb_colrun *cr, size_t row, rb_val *slots);

/* A double for a number input as the binary run holds it (x, bound e),
 * equal to rb_fast_from_dec of rb_dec_from_double(v); false when v is not
 * a usable value (infinite, out of range, or not an integer for an
 * integer input). */
bool rb_colrun_input(double v, bool integer, double *x, double *e);

/* Rows of numeric columns for rb_population_add_columnar: fill writes
 * rows [from, from + n) of column c into cols[c][0..n) (NaN: missing) and
 * marks in alone[0..n) the rows to evaluate alone (a value the block
 * cannot hold); alone adds row r into the population by itself, as the
 * batch call did before (a bad row goes to bad[*nbad], see rb_rows_fn). */
typedef struct rb_colsrc {
	const size_t *inputs;
	size_t ncols;
	void (*fill)(const void *ctx, size_t from, size_t n, double *const *cols, uint8_t *alone);
	const void *ctx;
	rulebook_status (*alone)(rulebook_population *pop, void *state, size_t r, size_t *bad,
				 size_t *nbad, rulebook_error *err);
	void *state;
	/* the record id of row r (in buf or the source's data, *len bytes,
	 * UTF-8 without NUL: fill sends other rows alone), NULL for none;
	 * NULL when the rows have no ids */
	const char *(*id)(const void *ctx, size_t r, char buf[32], size_t *len);
} rb_colsrc;

/* Rows [from, to) of src into pop, in order, block by block through the
 * columnar run where it decides, each other row through src->alone;
 * stops at the first failure. */
rulebook_status rb_population_add_columnar(rulebook_population *pop, const rb_colsrc *src,
					   size_t from, size_t to, size_t *bad, size_t *nbad,
					   rulebook_error *err);

#endif
