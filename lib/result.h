/* Helpers shared by the result accessors (result.c) and the output stages
 * (output_json.c, explain.c). */
#ifndef RB_RESULT_H
#define RB_RESULT_H

#include "compiled.h"

#include <stdbool.h>

/* The nearest double to an exact decimal, correctly rounded. */
double rb_dec_nearest_double(rb_dec d);
/* A binary score x ± e is close enough to the exact score s to be read
 * as a double when e <= |x| × 2^-44: then |x - s| < |s| × 2^-43
 * (rulebook_result_score_double). The bounds of ordinary scores are near
 * |x| × 2^-47. */
#define RB_SCORE_DOUBLE_SLACK 0x1p-44

/* A copy in the result's string arena (valid until the next evaluation). */
const char *rb_result_strdup(rulebook_result *r, const char *s, size_t len);
/* The value of a named slot as text, NULL when missing or undefined. */
const char *rb_result_sym_value(rulebook_result *r, const rb_sym *s);
/* Whether s has no value in r: an input or parameter without a value, or
 * a table lookup whose keys are known but whose row has none. */
bool rb_sym_missing(const rulebook_result *r, const rb_sym *s);
/* How many of deps have no value in r (inputs and parameters without a
 * value, lookups whose keys are known but whose row has none); with name,
 * *name is set to the j-th of them (a lookup as "table[key]"). */
size_t rb_missing_in(const rulebook_result *r, const rb_sym *const *deps, uint32_t n, size_t j,
		     const char **name);
/* Why scorecard i's class is an error, from its fault (component × 8 +
 * rb_comp_fault), in the result's strings. */
const char *rb_class_error_text(rulebook_result *res, size_t i, uint32_t fault);
/* The first failed comparison of a failed rule, NULL if none. */
const rb_check *rb_failed_check(const rulebook_result *r, size_t rule);
/* The comparisons whose gaps a failed rule reports: every failed part of
 * its top-level 'and', and for each top-level 'or' of comparisons the
 * alternative nearest to holding. j-th of them, NULL past the last. */
const rb_check *rb_gap_part(const rulebook_result *r, size_t rule, size_t j);
size_t rb_gap_count(const rulebook_result *r, size_t rule);
/* Field f of check ck after the evaluation in r (comparisons.c), as
 * rulebook_result_gap_part and rulebook_result_comparison give it. */
const char *rb_check_field(rulebook_result *r, const rb_check *ck, rulebook_gap_field f);
/* All of a rule's gaps for people, "; "-separated; NULL when none. */
const char *rb_rule_gap_text(rulebook_result *r, size_t rule);
/* The gap of a check in its display unit: threshold - value. */
bool rb_check_gap(const rulebook_result *r, const rb_check *ck, rb_dec *gap, rb_dec *value,
		  rb_dec *threshold);
/* The threshold of a check in the unit of its value side. */
bool rb_check_threshold(const rulebook_result *r, const rb_check *ck, rb_dec *out);
/* "+4.2 万元/亩"; for a strict comparison (> or <) ">+0 %" or "<-3 tce(等价值)":
 * the change must exceed the figure. display rounds to RB_DISPLAY_PLACES
 * decimals for people; otherwise every digit is kept. */
const char *rb_gap_text(rulebook_result *r, const rb_check *ck, bool display);
/* A value for people: booleans as 是/否 in Chinese, numbers rounded to
 * RB_DISPLAY_PLACES decimals (half up). NULL when missing. */
const char *rb_display_value(rulebook_result *r, const rb_sym *s, bool en);
#define RB_DISPLAY_PLACES 4
/* A number for a message, formatted as placeholder p says (NULL: the
 * default display). */
const char *rb_display_number(rulebook_result *r, rb_dec d, const rb_tpart *p);
/* The row a table lookup took (tables.c): its index, -1 when no row has
 * the key, -2 when a key is missing. */
int64_t rb_table_row_of(const rulebook *rb, const rb_lookup_site *site, const rb_val *slots);
/* "far_min[C27]": the table and the key values of a lookup, in the
 * result's strings; "?" for a missing key. */
const char *rb_lookup_key_text(rulebook_result *r, const rb_sym *s);
/* Lint findings of tables: rows that overlap an earlier row, or that an
 * earlier row covers entirely (they can never be used). */
void rb_lint_tables(const rulebook *rb, rulebook_error *out);
/* Lint findings of conditions (lint_conditions.c): an 'and' chain whose
 * comparisons with literals on one name cannot all hold, and gaps and
 * overlaps between rules whose `when` is a band on the same name. */
void rb_lint_conditions(const rulebook *rb, rulebook_error *out);
/* [{"id", "issuer", "title", "number", "issued", "in_force", "url",
 * "file"}]: the documents rb cites, which "document" indexes refer to. */
void rb_documents_json_into(const rulebook *rb, rb_buf *b);
/* The consequence j of scorecard i in a result (as
 * rulebook_result_consequence_name counts them), NULL when out of range. */
const rb_consequence *rb_result_consequence(const rulebook_result *r, size_t i, size_t j);
/* {"id", "hash", "file_hash", "parents": [{"id", "hash"}], "subject"}. */
void rb_rulebook_json_into(const rulebook *rb, rb_buf *b);
const char *rb_render_message(rulebook_result *r, size_t rule, bool en);
bool rb_lang_en(const char *lang);
/* The text in the wanted language, falling back to the other. */
const char *rb_i18n_pick(const rb_i18n *t, bool en);

/* Whether the condition of fold site held for element k of its list (1, 0;
 * -1 when undecided or there is no such element). */
int rb_each_selected(rulebook_result *r, const rb_each_site *site, size_t k);
/* The elements a fold with a condition took, "#2 9, #3 10.5" ("none");
 * NULL when s is no such fold or its list is missing. */
const char *rb_each_counted_text(rulebook_result *r, const rb_sym *s);

/* The as-of date of a population (population.c), for the report
 * (report/html.c). */
int32_t rb_population_as_of(const rulebook_population *pop);

#endif
