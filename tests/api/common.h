/* Helpers shared by the API suites: loading rulebooks from text or from
 * tests/api/fixtures, checking diagnostics, setting facts and evaluating. */
#ifndef API_COMMON_H
#define API_COMMON_H

#include <rulebook.h>

#include <check.h>

#include <stddef.h>
#include <stdint.h>

/* A minimal header: five lines, so the first line after it is line 6. */
#define HDR                                                                \
	"rulebook: 1\n"                                                    \
	"id: t\n"                                                          \
	"title: {zh: 测试, en: Test}\n"                                    \
	"subject: enterprise\n"                                            \
	"source: {issuer: 区政府, document: 实施方案, issued: 2022-05-19}\n"

/* Load yaml (named "t.yaml"); the test fails unless it compiles. */
rulebook *load_str(const char *yaml);
/* Load a file of tests/api/fixtures; the test fails unless it compiles. */
rulebook *load_fixture(const char *name);
/* The path of a fixture; a static buffer, valid until the next call. */
const char *fixture_path(const char *name);
/* A file under the source root ("examples/data/x.yaml"); a static
 * buffer, valid until the next call. */
const char *source_path(const char *rel);

/* Load yaml as "t.yaml", expect failure with status st and exactly count
 * diagnostics; return the error object for more checks (caller frees). */
rulebook_error *load_fail(const char *yaml, rulebook_status st, size_t count);
/* Diagnostic i of err has this status, message fragment, file and
 * position. */
void check_diag(const rulebook_error *err, size_t i, rulebook_status st, const char *fragment,
		const char *file, uint32_t line, uint32_t col);
/* load_fail + check_diag for a single diagnostic at "t.yaml". */
void expect_load_error(const char *yaml, rulebook_status st, const char *fragment,
		       uint32_t line, uint32_t col);

/* Set facts from JSON; the test fails unless it succeeds. */
void set_json(rulebook_facts *f, const char *json);
/* Evaluate; the test fails unless it succeeds. */
void eval_ok(const rulebook *rb, const rulebook_facts *f, int32_t as_of, rulebook_result *res);

/* Index of the rule called id; the test fails if there is none. */
size_t rule_at(const rulebook *rb, const char *id);

/* A rulebook with HDR, the given inputs block (may be "") and one rule R
 * whose require is expr (single-quoted in YAML), evaluated with the facts
 * in json as of as_of. Returns the verdict. */
rulebook_verdict verdict_of(const char *inputs, const char *expr, const char *json, int32_t as_of);

int contains(const char *hay, const char *needle);

#endif
