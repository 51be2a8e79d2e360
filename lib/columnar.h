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

#endif
