/* Helpers shared by the fuzz targets: the shipped rulebooks they run
 * against, and checks that abort when the library breaks a promise of its
 * API (a status that disagrees with its diagnostics, output that is not
 * UTF-8 or not JSON). An abort is what libFuzzer records as a finding. */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <rulebook.h>

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Load the rulebook at rel (relative to the source root) once; aborts if it
 * does not compile. The root is $RULEBOOK_SOURCE_ROOT, else the directory
 * the build was configured from (FUZZ_SOURCE_ROOT). */
const rulebook *fuzz_rulebook(const char *rel);

/* Abort unless st, out and err agree: OK with no diagnostics, or an error
 * whose first diagnostic has status st and a message. */
void fuzz_check_status(rulebook_status st, const rulebook_error *err);

/* Abort unless s[0..len) is NUL-terminated at len and valid UTF-8. */
void fuzz_check_text(const char *s, size_t len);

/* As fuzz_check_text, and the text is one well-formed JSON value. */
void fuzz_check_json(const char *s, size_t len);

/* Evaluate facts into res as of as_of and read every result accessor and
 * both renderings (JSON in each flag combination used, explanation). */
void fuzz_eval_all(const rulebook *rb, const rulebook_facts *facts, rulebook_result *res,
		   int32_t as_of);

/* A population of the n records as of as_of, a copy with the first record
 * added again, and every population accessor and JSON output of both. */
void fuzz_population(const rulebook *rb, const rulebook_facts *const *records, size_t n,
		     int32_t as_of);

/* An as-of date picked from a fixed set by the input bytes. */
int32_t fuzz_pick_date(const uint8_t *data, size_t size);

#endif
