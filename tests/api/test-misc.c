/* Version, status names, error objects, options and limits, NULL handling,
 * allocation failure, dates and the rulebook's accessors. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * Version and status names
 * ------------------------------------------------------------------------ */

START_TEST(test_version)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%d.%d.%d", RULEBOOK_VERSION_MAJOR, RULEBOOK_VERSION_MINOR,
		 RULEBOOK_VERSION_PATCH);
	ck_assert_str_eq(RULEBOOK_VERSION, buf);
	ck_assert_str_eq(rulebook_version(), RULEBOOK_VERSION);
	ck_assert_uint_eq(RULEBOOK_VERSION_NUMBER, RULEBOOK_VERSION_MAJOR * 1000000 +
							   RULEBOOK_VERSION_MINOR * 1000 +
							   RULEBOOK_VERSION_PATCH);
	ck_assert_uint_eq(rulebook_version_number(), RULEBOOK_VERSION_NUMBER);
}
END_TEST

START_TEST(test_status_str)
{
	ck_assert_str_eq(rulebook_status_str(RULEBOOK_ERR_NOMEM), "out of memory");
	/* Stable values. */
	ck_assert_int_eq(RULEBOOK_OK, 0);
	ck_assert_int_eq(RULEBOOK_ERR_NOMEM, 1);
	ck_assert_int_eq(RULEBOOK_ERR_IO, 2);
	ck_assert_int_eq(RULEBOOK_ERR_SYNTAX, 3);
	ck_assert_int_eq(RULEBOOK_ERR_SCHEMA, 4);
	ck_assert_int_eq(RULEBOOK_ERR_EXPR, 5);
	ck_assert_int_eq(RULEBOOK_ERR_NAME, 6);
	ck_assert_int_eq(RULEBOOK_ERR_TYPE, 7);
	ck_assert_int_eq(RULEBOOK_ERR_UNIT, 8);
	ck_assert_int_eq(RULEBOOK_ERR_CYCLE, 9);
	ck_assert_int_eq(RULEBOOK_ERR_VALUE, 10);
	ck_assert_int_eq(RULEBOOK_ERR_RANGE, 11);
	ck_assert_int_eq(RULEBOOK_ERR_LIMIT, 12);
	ck_assert_int_eq(RULEBOOK_ERR_INVALID, 13);
	ck_assert_int_eq(RULEBOOK_ERR_NOT_FOUND, 14);
	ck_assert_int_eq(RULEBOOK_ERR_TEST, 15);
	ck_assert_int_eq(RULEBOOK_LINT, 16);
	ck_assert_int_eq(RULEBOOK_NOTE, 17);
	/* Every status has its own name. */
	for (int i = RULEBOOK_OK; i <= RULEBOOK_NOTE; i++) {
		const char *a = rulebook_status_str((rulebook_status)i);
		ck_assert_ptr_nonnull(a);
		ck_assert_uint_gt(strlen(a), 0);
		ck_assert_str_ne(a, "unknown status");
		for (int j = RULEBOOK_OK; j < i; j++)
			ck_assert_str_ne(a, rulebook_status_str((rulebook_status)j));
	}
	ck_assert_str_eq(rulebook_status_str((rulebook_status)(RULEBOOK_NOTE + 1)), "unknown status");
	ck_assert_str_eq(rulebook_status_str((rulebook_status)-1), "unknown status");
	ck_assert_str_eq(rulebook_status_str((rulebook_status)100000), "unknown status");
}
END_TEST

/* ------------------------------------------------------------------------
 * Error objects
 * ------------------------------------------------------------------------ */

static void ck_empty_diag(const rulebook_error *err, size_t i)
{
	ck_assert_str_eq(rulebook_error_message(err, i), "");
	ck_assert_ptr_null(rulebook_error_file(err, i));
	ck_assert_uint_eq(rulebook_error_line(err, i), 0);
	ck_assert_uint_eq(rulebook_error_column(err, i), 0);
	ck_assert_ptr_null(rulebook_error_subject(err, i));
	ck_assert_int_eq(rulebook_error_status_at(err, i), RULEBOOK_OK);
}

START_TEST(test_error_accessors)
{
	rulebook_error *err = rulebook_error_new();
	ck_assert_ptr_nonnull(err);
	ck_assert_uint_eq(rulebook_error_count(err), 0);
	ck_assert_int_eq(rulebook_error_status(err), RULEBOOK_OK);
	ck_empty_diag(err, 0);
	ck_empty_diag(err, (size_t)-1);

	rulebook *rb = NULL;
	const char *yaml = HDR "colour: red\n";
	ck_assert_int_eq(rulebook_load_buffer(yaml, strlen(yaml), "t.yaml", NULL, &rb, err),
			 RULEBOOK_ERR_SCHEMA);
	ck_assert_uint_eq(rulebook_error_count(err), 1);
	check_diag(err, 0, RULEBOOK_ERR_SCHEMA, "colour", "t.yaml", 6, 1);
	ck_empty_diag(err, 1);
	ck_empty_diag(err, 1000);

	rulebook_error_clear(err);
	ck_assert_uint_eq(rulebook_error_count(err), 0);
	ck_assert_int_eq(rulebook_error_status(err), RULEBOOK_OK);
	ck_empty_diag(err, 0);

	/* A NULL error object reads as empty. */
	ck_assert_uint_eq(rulebook_error_count(NULL), 0);
	ck_assert_int_eq(rulebook_error_status(NULL), RULEBOOK_OK);
	ck_empty_diag(NULL, 0);
	rulebook_error_clear(NULL);
	rulebook_error_free(err);
}
END_TEST

/* ------------------------------------------------------------------------
 * Options and limits
 * ------------------------------------------------------------------------ */

static const rulebook_limit all_limits[] = {
	RULEBOOK_LIMIT_FILE_SIZE,   RULEBOOK_LIMIT_DEPTH,       RULEBOOK_LIMIT_NODES,
	RULEBOOK_LIMIT_SCALAR,      RULEBOOK_LIMIT_EXPR_DEPTH, RULEBOOK_LIMIT_EXPR_LENGTH,
	RULEBOOK_LIMIT_NAMES,         RULEBOOK_LIMIT_LIST_LENGTH,
};

START_TEST(test_options_get_set)
{
	rulebook_options *o = rulebook_options_new();
	ck_assert_ptr_nonnull(o);
	for (size_t i = 0; i < sizeof all_limits / sizeof all_limits[0]; i++) {
		rulebook_limit l = all_limits[i];
		uint64_t def = rulebook_options_get_limit(o, l);
		ck_assert_uint_gt(def, 0);
		/* NULL options read as the defaults. */
		ck_assert_uint_eq(rulebook_options_get_limit(NULL, l), def);
		ck_assert_int_eq(rulebook_options_set_limit(o, l, 5), RULEBOOK_OK);
		ck_assert_uint_eq(rulebook_options_get_limit(o, l), 5);
		ck_assert_int_eq(rulebook_options_set_limit(o, l, def + 1), RULEBOOK_OK);
		ck_assert_uint_eq(rulebook_options_get_limit(o, l), def + 1);
		/* 0 restores the default. */
		ck_assert_int_eq(rulebook_options_set_limit(o, l, 0), RULEBOOK_OK);
		ck_assert_uint_eq(rulebook_options_get_limit(o, l), def);
	}
	/* Setting one limit leaves the others. */
	ck_assert_int_eq(rulebook_options_set_limit(o, RULEBOOK_LIMIT_DEPTH, 3), RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_options_get_limit(o, RULEBOOK_LIMIT_NODES),
			  rulebook_options_get_limit(NULL, RULEBOOK_LIMIT_NODES));
	/* Unknown limits. */
	ck_assert_int_eq(rulebook_options_set_limit(o, (rulebook_limit)11, 1), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_options_set_limit(o, (rulebook_limit)-1, 1), RULEBOOK_ERR_INVALID);
	ck_assert_uint_eq(rulebook_options_get_limit(o, (rulebook_limit)11), 0);
	ck_assert_uint_eq(rulebook_options_get_limit(NULL, (rulebook_limit)99), 0);
	ck_assert_int_eq(rulebook_options_set_limit(NULL, RULEBOOK_LIMIT_DEPTH, 1), RULEBOOK_ERR_INVALID);
	rulebook_options_free(o);
}
END_TEST

/* Load yaml with one limit set; return the status, and check a LIMIT
 * diagnostic names the limit. */
static rulebook_status load_limited(const char *yaml, rulebook_limit l, uint64_t v,
				    rulebook_error *err)
{
	rulebook_options *o = rulebook_options_new();
	ck_assert_int_eq(rulebook_options_set_limit(o, l, v), RULEBOOK_OK);
	rulebook *rb = NULL;
	rulebook_status st = rulebook_load_buffer(yaml, strlen(yaml), "t.yaml", o, &rb, err);
	rulebook_free(rb);
	rulebook_options_free(o);
	return st;
}

static const char nested[] = HDR
	"inputs:\n"                      /* 6: depth 2 */
	"  - {id: tax, type: number}\n"; /* 7: the mapping at depth 3, '{' at column 5 */

START_TEST(test_depth_limit)
{
	rulebook_error *err = rulebook_error_new();
	ck_assert_int_eq(load_limited(nested, RULEBOOK_LIMIT_DEPTH, 2, err), RULEBOOK_ERR_LIMIT);
	check_diag(err, 0, RULEBOOK_ERR_LIMIT, "depth", "t.yaml", 7, 5);
	ck_assert_int_eq(load_limited(nested, RULEBOOK_LIMIT_DEPTH, 3, err), RULEBOOK_OK);
	/* The header's source mapping is at depth 2. */
	ck_assert_int_eq(load_limited(HDR, RULEBOOK_LIMIT_DEPTH, 1, err), RULEBOOK_ERR_LIMIT);
	ck_assert_uint_eq(rulebook_error_line(err, 0), 3); /* title: {zh: ..} */
	rulebook_error_free(err);
}
END_TEST

START_TEST(test_other_limits)
{
	rulebook_error *err = rulebook_error_new();
	/* The file is strlen(nested) bytes. */
	size_t size = strlen(nested);
	ck_assert_int_eq(load_limited(nested, RULEBOOK_LIMIT_FILE_SIZE, size - 1, err),
			 RULEBOOK_ERR_LIMIT);
	ck_assert_int_eq(load_limited(nested, RULEBOOK_LIMIT_FILE_SIZE, size, err), RULEBOOK_OK);
	/* The longest scalar of HDR is "实施方案" (12 bytes, at 5:39); the
	 * first longer than 9 bytes is "enterprise" (at 4:10). */
	ck_assert_int_eq(load_limited(HDR, RULEBOOK_LIMIT_SCALAR, 12, err), RULEBOOK_OK);
	ck_assert_int_eq(load_limited(HDR, RULEBOOK_LIMIT_SCALAR, 11, err), RULEBOOK_ERR_LIMIT);
	check_diag(err, 0, RULEBOOK_ERR_LIMIT, "scalar", "t.yaml", 5, 39);
	ck_assert_int_eq(load_limited(HDR, RULEBOOK_LIMIT_SCALAR, 9, err), RULEBOOK_ERR_LIMIT);
	check_diag(err, 0, RULEBOOK_ERR_LIMIT, "scalar", "t.yaml", 4, 10);
	/* Nodes: HDR has the root, 5 keys + 3 scalars, title {2 keys, 2
	 * values}, source {3 keys, 3 values}: 1 + 8 + 1 + 4 + 1 + 6 = 21. */
	ck_assert_int_eq(load_limited(HDR, RULEBOOK_LIMIT_NODES, 21, err), RULEBOOK_OK);
	ck_assert_int_eq(load_limited(HDR, RULEBOOK_LIMIT_NODES, 20, err), RULEBOOK_ERR_LIMIT);
	/* Names: inputs + parameters + indicators + rules. */
	const char *two = HDR "inputs:\n  - {id: a, type: number}\nrules:\n  - {id: R, cite: 一}\n";
	ck_assert_int_eq(load_limited(two, RULEBOOK_LIMIT_NAMES, 2, err), RULEBOOK_OK);
	ck_assert_int_eq(load_limited(two, RULEBOOK_LIMIT_NAMES, 1, err), RULEBOOK_ERR_LIMIT);
	ck_assert(contains(rulebook_error_message(err, 0), "names"));
	/* Expression length: "a >= 1 + 2" is 10 bytes. */
	const char *expr = HDR "inputs:\n  - {id: a, type: number}\nrules:\n  - {id: R, cite: 一, require: a >= 1 + 2}\n";
	ck_assert_int_eq(load_limited(expr, RULEBOOK_LIMIT_EXPR_LENGTH, 10, err), RULEBOOK_OK);
	ck_assert_int_eq(load_limited(expr, RULEBOOK_LIMIT_EXPR_LENGTH, 9, err), RULEBOOK_ERR_LIMIT);
	ck_assert_uint_eq(rulebook_error_line(err, 0), 9);
	/* Expression depth: parentheses nest. */
	const char *deep = HDR "rules:\n  - {id: R, cite: 一, require: '((((1)))) == 1'}\n";
	ck_assert_int_eq(load_limited(deep, RULEBOOK_LIMIT_EXPR_DEPTH, 2, err), RULEBOOK_ERR_LIMIT);
	ck_assert_int_eq(load_limited(deep, RULEBOOK_LIMIT_EXPR_DEPTH, 64, err), RULEBOOK_OK);
	rulebook_error_free(err);
}
END_TEST

/* ------------------------------------------------------------------------
 * NULL handling
 * ------------------------------------------------------------------------ */

START_TEST(test_free_null)
{
	rulebook_free(NULL);
	rulebook_facts_free(NULL);
	rulebook_result_free(NULL);
	rulebook_error_free(NULL);
	rulebook_options_free(NULL);
	rulebook_test_report_free(NULL);
	rulebook_population_free(NULL);
	rulebook_mem_free(NULL);
	rulebook_error_clear(NULL);
	rulebook_facts_clear(NULL);
}
END_TEST

START_TEST(test_null_arguments)
{
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = load_str(HDR "inputs:\n  - {id: x, type: number}\n");
	rulebook *out = (rulebook *)&out;
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	const char *s = NULL;
	char *m = NULL;
	size_t i = 0;

	ck_assert_int_eq(rulebook_load_buffer(HDR, strlen(HDR), "t", NULL, NULL, err),
			 RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_error_status(err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_load_buffer(NULL, 5, "t", NULL, &out, err), RULEBOOK_ERR_INVALID);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(rulebook_load_file(NULL, NULL, &out, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_load_file(fixture_path("enterprise.yaml"), NULL, NULL, err),
			 RULEBOOK_ERR_INVALID);

	ck_assert_int_eq(rulebook_eval(NULL, f, 20230630, res, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_eval(rb, NULL, 20230630, res, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_eval(rb, f, 20230630, NULL, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_error_status(err), RULEBOOK_ERR_INVALID);

	ck_assert_int_eq(rulebook_facts_set_decimal(NULL, "x", "1", err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_double(NULL, "x", 1, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_int(NULL, "x", 1, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_bool(NULL, "x", 1, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_text(NULL, "x", "1", err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_date(NULL, "x", 20230101, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_missing(NULL, "x", err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_double(f, NULL, 1, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_int(f, NULL, 1, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_bool(f, NULL, 1, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_text(f, NULL, "1", err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_date(f, NULL, 20230101, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_missing(f, NULL, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_json(NULL, "{}", 2, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_json(f, NULL, 2, err), RULEBOOK_ERR_INVALID);

	ck_assert_int_eq(rulebook_input_index(NULL, "x", 1, &i), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_rule_index(NULL, "R", 1, &i), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_rule_index(rb, NULL, 1, &i), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_rule_index(rb, "R", 1, NULL), RULEBOOK_ERR_INVALID);

	ck_assert_int_eq(rulebook_result_json(NULL, 0, &s, &i), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_result_explain(NULL, 0, &s, &i), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_eval_json(NULL, "{}", 2, 20230630, 0, &m, NULL, err),
			 RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_run_tests(NULL, NULL, err), RULEBOOK_ERR_INVALID);
	ck_assert_ptr_null(rulebook_facts_new(NULL));
	ck_assert_ptr_null(rulebook_result_new(NULL));

	rulebook_result_free(res);
	rulebook_facts_free(f);
	rulebook_free(rb);
	rulebook_error_free(err);
}
END_TEST

/* ------------------------------------------------------------------------
 * Allocation failure
 * ------------------------------------------------------------------------ */

typedef struct alloc_state {
	long calls;   /* allocations attempted (malloc, and realloc) */
	long fail_at; /* the one that fails; 0 for none */
	long live;    /* blocks not yet freed */
	int failed;
} alloc_state;

static void *t_malloc(size_t n, void *payload)
{
	alloc_state *s = payload;
	if (++s->calls == s->fail_at) {
		s->failed = 1;
		return NULL;
	}
	void *p = malloc(n);
	if (p)
		s->live++;
	return p;
}

static void *t_realloc(void *p, size_t n, void *payload)
{
	alloc_state *s = payload;
	if (++s->calls == s->fail_at) {
		s->failed = 1;
		return NULL;
	}
	void *q = realloc(p, n);
	if (q && !p)
		s->live++;
	return q;
}

static void t_free(void *p, void *payload)
{
	alloc_state *s = payload;
	if (p) {
		s->live--;
		free(p);
	}
}

static const char alloc_yaml[] = HDR
	"inputs:\n"
	"  - {id: tax, type: number, unit: 万元}\n"
	"  - {id: land_area, type: number, unit: 亩}\n"
	"  - {id: name, type: text}\n"
	"parameters:\n"
	"  - {id: min_mu_tax, unit: 万元/亩, cite: 二, provenance: cited, value: 37}\n"
	"  - {id: ratio, cite: 四, provenance: cited, value: 1.2}\n"
	"indicators:\n"
	"  - {id: mu_tax, expr: tax / land_area, unit: 万元/亩}\n"
	"rules:\n"
	"  - id: T1\n"
	"    cite: 二\n"
	"    require: mu_tax >= min_mu_tax\n"
	"    message: {en: \"{name}: {mu_tax} against {min_mu_tax}\"}\n"
	"    obligations:\n"
	"      - {id: land, value: land_area * ratio, unit: 亩}\n"
	"tests:\n"
	"  - name: short\n"
	"    as_of: 2023-06-30\n"
	"    facts: {tax: 984, land_area: 30}\n"
	"    expect: {verdicts: {T1: fail}, values: {mu_tax: 32.8}}\n";

/* One load and use of a rulebook under the current allocator. Returns 0
 * when every step succeeded (and checks the results), 1 when a step failed
 * cleanly for lack of memory. */
static int alloc_scenario(const alloc_state *as)
{
	int rc = 1;
	rulebook *rb = NULL;
	rulebook_facts *f = NULL;
	rulebook_result *res = NULL;
	rulebook_test_report *rep = NULL;
	char *out = NULL;
	const char *text = NULL;
	rulebook_status st;
	rulebook_error *err = rulebook_error_new();
	if (!err)
		goto done;
#define STEP(call)                                                                          \
	do {                                                                                \
		st = (call);                                                                \
		if (st != RULEBOOK_OK) {                                                    \
			ck_assert_msg(st == RULEBOOK_ERR_NOMEM, "%s: status %d (%s)", #call, \
				      (int)st, rulebook_error_message(err, 0));             \
			ck_assert(as->failed);                                               \
			goto done;                                                          \
		}                                                                           \
	} while (0)
#define SOFT(ptr)                                 \
	do {                                      \
		if (!(ptr)) {                     \
			ck_assert(as->failed);     \
			goto done;                \
		}                                 \
	} while (0)
	st = rulebook_load_buffer(alloc_yaml, strlen(alloc_yaml), "alloc.yaml", NULL, &rb, err);
	if (st != RULEBOOK_OK) {
		ck_assert_ptr_null(rb);
		ck_assert_int_eq(rulebook_error_status(err), RULEBOOK_ERR_NOMEM);
	}
	STEP(st);
	SOFT(f = rulebook_facts_new(rb));
	SOFT(res = rulebook_result_new(rb));
	STEP(rulebook_facts_set_decimal(f, "land_area", "20000 m²", err));
	STEP(rulebook_facts_set_text(f, "name", "某公司", err));
	const char *json = "{\"_id\": \"r1\", \"tax\": 984}";
	STEP(rulebook_facts_set_json(f, json, strlen(json), err));
	STEP(rulebook_eval(rb, f, 20230630, res, err));
	ck_assert_int_eq(rulebook_result_verdict(res, 0), RULEBOOK_FAIL);
	const char *v;
	SOFT(v = rulebook_result_value(res, "mu_tax"));
	ck_assert_str_eq(v, "32.8");
	SOFT(v = rulebook_result_gap(res, 0));
	ck_assert_str_eq(v, "+4.2 万元/亩");
	SOFT(v = rulebook_result_obligation_value(res, 0, 0));
	ck_assert_str_eq(v, "36");
	v = rulebook_result_message(res, 0, "en");
	SOFT(v[0]);
	ck_assert(strncmp(v, "某公司: 32.8 万元/亩 against 37 万元/亩", strlen("某公司: 32.8 万元/亩 against 37 万元/亩")) == 0);
	STEP(rulebook_result_json(res, 0, &text, NULL));
	ck_assert(contains(text, "\"record\":\"r1\""));
	STEP(rulebook_result_explain(res, RULEBOOK_OUT_LANG_EN, &text, NULL));
	ck_assert(contains(text, "+4.2 万元/亩"));
	const char *batch = "[{\"tax\": 1110, \"land_area\": 30}]";
	STEP(rulebook_eval_json(rb, batch, strlen(batch), 20230630, 0, &out, NULL, err));
	ck_assert(contains(out, "\"verdict\":\"pass\""));
	STEP(rulebook_run_tests(rb, &rep, err));
	ck_assert_uint_eq(rulebook_test_report_passed(rep), 2);
	rc = 0;
#undef STEP
#undef SOFT
done:
	rulebook_test_report_free(rep);
	rulebook_mem_free(out);
	rulebook_result_free(res);
	rulebook_facts_free(f);
	rulebook_free(rb);
	rulebook_error_free(err);
	return rc;
}

/* Static, so that an allocator left installed by a failed check never
 * points at a dead stack frame; the checked teardown restores it. */
static alloc_state astate;

static void restore_allocator(void)
{
	rulebook_set_allocator(NULL, NULL, NULL, NULL);
}

START_TEST(test_allocation_failures)
{
	/* Fail the first allocation, then the second, ... until a run needs
	 * fewer allocations than the one that would fail. */
	long n;
	for (n = 1; n < 100000; n++) {
		astate = (alloc_state){0, n, 0, 0};
		rulebook_set_allocator(t_malloc, t_realloc, t_free, &astate);
		int rc = alloc_scenario(&astate);
		rulebook_set_allocator(NULL, NULL, NULL, NULL);
		ck_assert_msg(astate.live == 0, "failing allocation %ld: %ld blocks leaked", n, astate.live);
		if (rc == 0 && !astate.failed)
			break;
	}
	ck_assert_msg(n > 10 && n < 100000, "stopped after %ld runs", n);
}
END_TEST

START_TEST(test_allocator_routes_everything)
{
	astate = (alloc_state){0, 0, 0, 0};
	rulebook_set_allocator(t_malloc, t_realloc, t_free, &astate);
	ck_assert_int_eq(alloc_scenario(&astate), 0);
	long calls = astate.calls;
	rulebook_set_allocator(NULL, NULL, NULL, NULL);
	ck_assert_uint_gt(calls, 0);
	ck_assert_int_eq(astate.live, 0);
	/* Restored: nothing more goes through the test allocator. */
	rulebook *rb = load_str(HDR);
	rulebook_free(rb);
	ck_assert_int_eq(astate.calls, calls);
	/* Any NULL restores the C library's allocator. */
	rulebook_set_allocator(t_malloc, NULL, t_free, &astate);
	rb = load_str(HDR);
	rulebook_free(rb);
	ck_assert_int_eq(astate.calls, calls);
	rulebook_set_allocator(NULL, NULL, NULL, NULL);
}
END_TEST

/* Documented: evaluation allocates nothing once the result has held a
 * record as large as this one (text storage only grows). */
START_TEST(test_eval_allocates_nothing)
{
	astate = (alloc_state){0, 0, 0, 0};
	rulebook_set_allocator(t_malloc, t_realloc, t_free, &astate);
	rulebook *rb = NULL;
	ck_assert_int_eq(rulebook_load_buffer(alloc_yaml, strlen(alloc_yaml), "a", NULL, &rb, NULL),
			 RULEBOOK_OK);
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	rulebook_facts_set_decimal(f, "tax", "984", NULL);
	rulebook_facts_set_decimal(f, "land_area", "30", NULL);
	rulebook_facts_set_text(f, "name", "a", NULL);
	ck_assert_int_eq(rulebook_eval(rb, f, 20230630, res, NULL), RULEBOOK_OK);
	/* Numbers only: nothing allocated. */
	long before = astate.calls;
	for (int i = 0; i < 10; i++) {
		rulebook_facts_set_int(f, "tax", 900 + i, NULL);
		ck_assert_int_eq(rulebook_eval(rb, f, 20230601 + i, res, NULL), RULEBOOK_OK);
	}
	ck_assert_int_eq(astate.calls, before);
	/* A longer text than the first record's grows the storage once... */
	rulebook_facts_set_text(f, "name", "临安某新材料科技有限公司", NULL);
	ck_assert_int_eq(rulebook_eval(rb, f, 20230630, res, NULL), RULEBOOK_OK);
	/* ...after which records of that size or smaller allocate nothing. */
	before = astate.calls;
	for (int i = 0; i < 10; i++) {
		rulebook_facts_set_text(f, "name", i % 2 ? "临安某新材料科技有限公司" : "b", NULL);
		ck_assert_int_eq(rulebook_eval(rb, f, 20230630, res, NULL), RULEBOOK_OK);
	}
	long after = astate.calls;
	rulebook_result_free(res);
	rulebook_facts_free(f);
	rulebook_free(rb);
	rulebook_set_allocator(NULL, NULL, NULL, NULL);
	ck_assert_int_eq(astate.live, 0);
	ck_assert_msg(after == before, "rulebook_eval allocated %ld times", after - before);
}
END_TEST

/* bench/enterprise-year.yaml (text inputs, if/then/else, a scorecard),
 * set from text cells by index as a caller does, with every verdict, the
 * class, the exact score, the illustrative marks and a value read; records
 * on a threshold (computed exactly for one comparison) among them. After
 * a warm-up nothing is allocated. */
START_TEST(test_enterprise_year_allocates_nothing)
{
	static const char *const names[] = {"land_area", "tax", "value_added", "revenue",
					    "rd_expense", "energy_use", "employees", "new_energy_use",
					    "substitution_tce", "is_key_chain_project", "name",
					    "industry", "town"};
	static const char *const rows[][13] = {
		{"31.3", "1158.1", "5634", "39180", "901.14", "2929.68", "313", "0", NULL, "false",
		 "临安某机械有限公司", "通用设备制造业", "玲珑街道"},
		{"20", "100", "1000", "5000", "50", "1500", "50", "300", "300", "false", "某企业",
		 "医药制造业", "青山湖街道"},
		{"120.5", "4821.33", "27627.6", "98000", "2100.5", NULL, "812", "12.5", "3", NULL,
		 NULL, "纺织业", "锦南街道"},
		{"4.9", "100", "1000", "5000", "50", "400", "50", "0", NULL, "true", "b", "x", "y"},
	};
	enum { NIN = 13 };
	astate = (alloc_state){0, 0, 0, 0};
	rulebook_set_allocator(t_malloc, t_realloc, t_free, &astate);
	rulebook *rb = NULL;
	ck_assert_int_eq(rulebook_load_file(source_path("bench/enterprise-year.yaml"), NULL, &rb, NULL),
			 RULEBOOK_OK);
	size_t idx[NIN];
	for (size_t k = 0; k < NIN; k++)
		ck_assert_int_eq(rulebook_input_index(rb, names[k], strlen(names[k]), &idx[k]),
				 RULEBOOK_OK);
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	long before = 0;
	size_t exact = 0, read = 0;
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1)
			before = astate.calls;
		for (int i = 0; i < 40; i++) {
			const char *const *row = rows[i % 4];
			for (size_t k = 0; k < NIN; k++)
				if (row[k])
					ck_assert_int_eq(rulebook_facts_set_text_at(f, idx[k], row[k],
										    strlen(row[k]), NULL),
							 RULEBOOK_OK);
				else
					ck_assert_int_eq(rulebook_facts_set_missing_at(f, idx[k]), RULEBOOK_OK);
			ck_assert_int_eq(rulebook_eval(rb, f, 20230630, res, NULL), RULEBOOK_OK);
			for (size_t r = 0; r < rulebook_rule_count(rb); r++) {
				read += rulebook_result_verdict(res, r) != 0;
				read += rulebook_result_illustrative(res, r) >= 0;
			}
			read += rulebook_result_class(res, 0) != NULL;
			read += rulebook_result_score(res, 0) != NULL;
			read += rulebook_result_value(res, "mu_tax") != NULL;
			exact += rulebook_result_decided_exactly(res) == 1;
		}
	}
	long after = astate.calls;
	rulebook_result_free(res);
	rulebook_facts_free(f);
	rulebook_free(rb);
	rulebook_set_allocator(NULL, NULL, NULL, NULL);
	ck_assert_int_eq(astate.live, 0);
	ck_assert_uint_gt(read, 0);
	/* the first row is exactly on the 37 and 180 thresholds */
	ck_assert_uint_ge(exact, 20);
	ck_assert_msg(after == before, "evaluating and reading allocated %ld times", after - before);
}
END_TEST

/* ------------------------------------------------------------------------
 * Dates and accessors
 * ------------------------------------------------------------------------ */

START_TEST(test_date_parse)
{
	int32_t d = 0;
	ck_assert_int_eq(rulebook_date_parse("2023-12-31", 10, &d), RULEBOOK_OK);
	ck_assert_int_eq(d, 20231231);
	ck_assert_int_eq(rulebook_date_parse("2024-02-29", 10, &d), RULEBOOK_OK);
	ck_assert_int_eq(d, 20240229);
	ck_assert_int_eq(rulebook_date_parse("1000-01-01", 10, &d), RULEBOOK_OK);
	ck_assert_int_eq(d, 10000101);
	ck_assert_int_eq(rulebook_date_parse("9999-12-31", 10, &d), RULEBOOK_OK);
	ck_assert_int_eq(d, 99991231);
	/* Not NUL-terminated. */
	ck_assert_int_eq(rulebook_date_parse("2023-06-30xyz", 10, &d), RULEBOOK_OK);
	ck_assert_int_eq(d, 20230630);
	static const char *const bad[] = {"2023-02-29", "2023-02-30", "2100-02-29", "2023-13-01",
					  "2023-00-10", "2023-01-00", "2023-1-01",  "0999-12-31",
					  "23-01-01",   "2023/01/01", "",           "2023-06-30 "};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(rulebook_date_parse(bad[i], strlen(bad[i]), &d) == RULEBOOK_ERR_VALUE,
			      "'%s' accepted", bad[i]);
	ck_assert_int_eq(rulebook_date_parse("2023-06-30xyz", 11, &d), RULEBOOK_ERR_VALUE);
}
END_TEST

START_TEST(test_rulebook_accessors)
{
	rulebook *rb = load_fixture("enterprise.yaml");
	ck_assert_str_eq(rulebook_id(rb), "test.enterprise");
	ck_assert_str_eq(rulebook_title(rb, "zh"), "测试企业评价");
	ck_assert_str_eq(rulebook_title(rb, "en"), "Test enterprise evaluation");
	ck_assert_str_eq(rulebook_subject(rb), "enterprise");
	ck_assert_int_eq(rulebook_in_force_from(rb), 20220519);
	ck_assert_int_eq(rulebook_in_force_until(rb), 20231231);
	ck_assert_uint_eq(strlen(rulebook_hash(rb)), 64);

	static const char *const names[] = {"tax", "land_area", "energy", "converted_area",
					    "is_key_chain_project", "sector", "employees", "name",
					    "founded"};
	static const char *const types[] = {"number", "number", "number", "number", "boolean",
					    "enum",   "integer", "text",  "date"};
	static const char *const units[] = {"万元", "亩", "tce(等价值)", "亩", "", "", "人", "", ""};
	ck_assert_uint_eq(rulebook_input_count(rb), 9);
	for (size_t i = 0; i < 9; i++) {
		ck_assert_str_eq(rulebook_input_name(rb, i), names[i]);
		ck_assert_str_eq(rulebook_input_type(rb, i), types[i]);
		ck_assert_str_eq(rulebook_input_unit(rb, i), units[i]);
	}
	ck_assert_ptr_null(rulebook_input_name(rb, 9));
	ck_assert_ptr_null(rulebook_input_type(rb, 9));
	ck_assert_ptr_null(rulebook_input_unit(rb, 9));

	static const char *const ids[] = {"T1.mu_tax", "E1.energy", "L1.land_balance", "S1.sector"};
	static const char *const cites[] = {"二", "三（一）4", "四", "五"};
	static const char *const sev[] = {"major", "critical", "minor", "info"};
	static const size_t nresp[] = {2, 1, 0, 0};
	ck_assert_uint_eq(rulebook_rule_count(rb), 4);
	for (size_t i = 0; i < 4; i++) {
		ck_assert_str_eq(rulebook_rule_id(rb, i), ids[i]);
		ck_assert_str_eq(rulebook_rule_cite(rb, i), cites[i]);
		ck_assert_str_eq(rulebook_rule_severity(rb, i), sev[i]);
		ck_assert_uint_eq(rulebook_rule_responsible_count(rb, i), nresp[i]);
		size_t k = 99;
		ck_assert_int_eq(rulebook_rule_index(rb, ids[i], strlen(ids[i]), &k), RULEBOOK_OK);
		ck_assert_uint_eq(k, i);
	}
	ck_assert_str_eq(rulebook_rule_responsible(rb, 0, 0), "区经信局");
	ck_assert_str_eq(rulebook_rule_responsible(rb, 0, 1), "区税务局");
	ck_assert_str_eq(rulebook_rule_responsible(rb, 1, 0), "区发改局"); /* a single name */
	ck_assert_ptr_null(rulebook_rule_responsible(rb, 0, 2));
	ck_assert_ptr_null(rulebook_rule_responsible(rb, 2, 0));
	ck_assert_ptr_null(rulebook_rule_responsible(rb, 4, 0));
	ck_assert_ptr_null(rulebook_rule_id(rb, 4));
	ck_assert_ptr_null(rulebook_rule_cite(rb, 4));
	ck_assert_ptr_null(rulebook_rule_severity(rb, 4));
	ck_assert_uint_eq(rulebook_rule_responsible_count(rb, 4), 0);
	size_t k;
	ck_assert_int_eq(rulebook_rule_index(rb, "T1", 2, &k), RULEBOOK_ERR_NOT_FOUND);
	ck_assert_int_eq(rulebook_rule_index(rb, "T1.mu_taxes", 9, &k), RULEBOOK_OK);
	ck_assert_uint_eq(k, 0);

	ck_assert_uint_eq(rulebook_param_count(rb), 3);
	ck_assert_str_eq(rulebook_param_name(rb, 0), "min_mu_tax");
	ck_assert_str_eq(rulebook_param_unit(rb, 0), "万元/亩");
	ck_assert_str_eq(rulebook_param_cite(rb, 0), "二");
	ck_assert_str_eq(rulebook_param_provenance(rb, 0), "cited");
	ck_assert_str_eq(rulebook_param_value(rb, 0, 20230630), "37");
	ck_assert_str_eq(rulebook_param_name(rb, 1), "max_energy");
	ck_assert_str_eq(rulebook_param_provenance(rb, 1), "illustrative");
	ck_assert_ptr_null(rulebook_param_value(rb, 1, 20211231));
	ck_assert_str_eq(rulebook_param_value(rb, 1, 20220101), "1200");
	ck_assert_str_eq(rulebook_param_value(rb, 1, 20221231), "1200");
	ck_assert_str_eq(rulebook_param_value(rb, 1, 20230101), "1000");
	ck_assert_str_eq(rulebook_param_unit(rb, 2), "");
	ck_assert_str_eq(rulebook_param_value(rb, 2, 20230101), "1.2");
	ck_assert_ptr_null(rulebook_param_name(rb, 3));
	rulebook_free(rb);

	/* Defaults and fallbacks: no window, severity major, title only zh. */
	rb = load_str("rulebook: 1\n"
		      "id: t2\n"
		      "title: 只有中文\n"
		      "subject: project\n"
		      "source: {issuer: X, document: D, issued: 2022-05-19}\n"
		      "rules:\n"
		      "  - {id: R, cite: 一}\n");
	ck_assert_str_eq(rulebook_title(rb, "en"), "只有中文");
	ck_assert_str_eq(rulebook_title(rb, "zh"), "只有中文");
	ck_assert_str_eq(rulebook_subject(rb), "project");
	ck_assert_int_eq(rulebook_in_force_from(rb), 0);
	ck_assert_int_eq(rulebook_in_force_until(rb), 0);
	ck_assert_str_eq(rulebook_rule_severity(rb, 0), "major");
	rulebook_free(rb);
	rb = load_str("rulebook: 1\n"
		      "id: t3\n"
		      "title: {en: English only}\n"
		      "subject: district\n"
		      "source: {issuer: X, document: D, issued: 2022-05-19}\n");
	ck_assert_str_eq(rulebook_title(rb, "zh"), "English only");
	rulebook_free(rb);
}
END_TEST

START_TEST(test_lint_unused_input)
{
	rulebook *rb = load_str(HDR
				"inputs:\n"                  /* 6 */
				"  - {id: x, type: number}\n" /* 7: 'x' at column 10 */
				"  - {id: y, type: number}\n" /* 8 */
				"rules:\n"
				"  - {id: R, cite: 一, require: y > 0}\n");
	rulebook_error *out = rulebook_error_new();
	ck_assert_int_eq(rulebook_lint(rb, 0, out), RULEBOOK_OK);
	int found = 0;
	for (size_t i = 0; i < rulebook_error_count(out); i++) {
		ck_assert_int_eq(rulebook_error_status_at(out, i), RULEBOOK_LINT);
		const char *subj = rulebook_error_subject(out, i);
		if (subj && strcmp(subj, "x") == 0) {
			found = 1;
			ck_assert_uint_eq(rulebook_error_line(out, i), 7);
			ck_assert_uint_eq(rulebook_error_column(out, i), 10);
		}
		ck_assert(!subj || strcmp(subj, "y") != 0);
	}
	ck_assert(found);
	ck_assert_int_eq(rulebook_lint(NULL, 0, out), RULEBOOK_ERR_INVALID);
	rulebook_error_free(out);
	rulebook_free(rb);
}
END_TEST

static Suite *misc_suite(void)
{
	Suite *s = suite_create("misc");
	TCase *tc = tcase_create("misc");
	tcase_add_test(tc, test_version);
	tcase_add_test(tc, test_status_str);
	tcase_add_test(tc, test_error_accessors);
	tcase_add_test(tc, test_options_get_set);
	tcase_add_test(tc, test_depth_limit);
	tcase_add_test(tc, test_other_limits);
	tcase_add_test(tc, test_free_null);
	tcase_add_test(tc, test_null_arguments);
	tcase_add_test(tc, test_date_parse);
	tcase_add_test(tc, test_rulebook_accessors);
	tcase_add_test(tc, test_lint_unused_input);
	suite_add_tcase(s, tc);

	tc = tcase_create("allocator");
	tcase_add_checked_fixture(tc, NULL, restore_allocator);
	tcase_set_timeout(tc, 110);
	tcase_add_test(tc, test_allocator_routes_everything);
	tcase_add_test(tc, test_allocation_failures);
	suite_add_tcase(s, tc);

	tc = tcase_create("allocation");
	tcase_add_checked_fixture(tc, NULL, restore_allocator);
	tcase_add_test(tc, test_eval_allocates_nothing);
	tcase_add_test(tc, test_enterprise_year_allocates_nothing);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(misc_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
