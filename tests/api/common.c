#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *source_path(const char *rel)
{
	static char buf[4096];
	const char *root = getenv("RULEBOOK_SOURCE_ROOT");
	ck_assert_msg(root != NULL, "RULEBOOK_SOURCE_ROOT is not set");
	int n = snprintf(buf, sizeof buf, "%s/%s", root, rel);
	ck_assert(n > 0 && (size_t)n < sizeof buf);
	return buf;
}

const char *fixture_path(const char *name)
{
	char rel[512];
	snprintf(rel, sizeof rel, "tests/api/fixtures/%s", name);
	return source_path(rel);
}

static void dump(const rulebook_error *err)
{
	for (size_t i = 0; i < rulebook_error_count(err); i++)
		fprintf(stderr, "  %s:%u:%u: [%s] %s\n",
			rulebook_error_file(err, i) ? rulebook_error_file(err, i) : "?",
			rulebook_error_line(err, i), rulebook_error_column(err, i),
			rulebook_status_str(rulebook_error_status_at(err, i)),
			rulebook_error_message(err, i));
}

rulebook *load_str(const char *yaml)
{
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = NULL;
	rulebook_status st = rulebook_load_buffer(yaml, strlen(yaml), "t.yaml", NULL, &rb, err);
	if (st != RULEBOOK_OK)
		dump(err);
	ck_assert_msg(st == RULEBOOK_OK, "load failed: %s", rulebook_error_message(err, 0));
	ck_assert_ptr_nonnull(rb);
	ck_assert_uint_eq(rulebook_error_count(err), 0);
	rulebook_error_free(err);
	return rb;
}

rulebook *load_fixture(const char *name)
{
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = NULL;
	rulebook_status st = rulebook_load_file(fixture_path(name), NULL, &rb, err);
	if (st != RULEBOOK_OK)
		dump(err);
	ck_assert_msg(st == RULEBOOK_OK, "loading %s failed: %s", name,
		      rulebook_error_message(err, 0));
	rulebook_error_free(err);
	return rb;
}

rulebook_error *load_fail(const char *yaml, rulebook_status st, size_t count)
{
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = (rulebook *)&rb; /* must be reset to NULL */
	rulebook_status got = rulebook_load_buffer(yaml, strlen(yaml), "t.yaml", NULL, &rb, err);
	if (got != st || rulebook_error_count(err) != count)
		dump(err);
	ck_assert_msg(got == st, "status %d (%s), wanted %d", (int)got, rulebook_status_str(got),
		      (int)st);
	ck_assert_ptr_null(rb);
	ck_assert_int_eq(rulebook_error_status(err), st);
	ck_assert_uint_eq(rulebook_error_count(err), count);
	return err;
}

void check_diag(const rulebook_error *err, size_t i, rulebook_status st, const char *fragment,
		const char *file, uint32_t line, uint32_t col)
{
	const char *msg = rulebook_error_message(err, i);
	ck_assert_msg(rulebook_error_status_at(err, i) == st, "diagnostic %zu: status %d, wanted %d (%s)",
		      i, (int)rulebook_error_status_at(err, i), (int)st, msg);
	ck_assert_msg(strstr(msg, fragment) != NULL, "diagnostic %zu: '%s' lacks '%s'", i, msg,
		      fragment);
	if (file)
		ck_assert_str_eq(rulebook_error_file(err, i), file);
	else
		ck_assert_ptr_null(rulebook_error_file(err, i));
	ck_assert_msg(rulebook_error_line(err, i) == line && rulebook_error_column(err, i) == col,
		      "diagnostic %zu '%s' at %u:%u, wanted %u:%u", i, msg, rulebook_error_line(err, i),
		      rulebook_error_column(err, i), line, col);
}

void expect_load_error(const char *yaml, rulebook_status st, const char *fragment,
		       uint32_t line, uint32_t col)
{
	rulebook_error *err = load_fail(yaml, st, 1);
	check_diag(err, 0, st, fragment, "t.yaml", line, col);
	rulebook_error_free(err);
}

void set_json(rulebook_facts *f, const char *json)
{
	rulebook_error *err = rulebook_error_new();
	rulebook_status st = rulebook_facts_set_json(f, json, strlen(json), err);
	if (st != RULEBOOK_OK)
		dump(err);
	ck_assert_msg(st == RULEBOOK_OK, "facts %s: %s", json, rulebook_error_message(err, 0));
	rulebook_error_free(err);
}

void eval_ok(const rulebook *rb, const rulebook_facts *f, int32_t as_of, rulebook_result *res)
{
	rulebook_error *err = rulebook_error_new();
	rulebook_status st = rulebook_eval(rb, f, as_of, res, err);
	ck_assert_msg(st == RULEBOOK_OK, "eval: %s", rulebook_error_message(err, 0));
	rulebook_error_free(err);
}

size_t rule_at(const rulebook *rb, const char *id)
{
	size_t i = (size_t)-1;
	ck_assert_int_eq(rulebook_rule_index(rb, id, strlen(id), &i), RULEBOOK_OK);
	return i;
}

rulebook_verdict verdict_of(const char *inputs, const char *expr, const char *json, int32_t as_of)
{
	char yaml[4096];
	int n = snprintf(yaml, sizeof yaml, HDR "%s%s\nrules:\n  - id: R\n    cite: 一\n    require: '%s'\n",
			 inputs[0] ? "inputs:\n" : "", inputs, expr);
	ck_assert(n > 0 && (size_t)n < sizeof yaml);
	rulebook *rb = load_str(yaml);
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(res);
	set_json(f, json);
	eval_ok(rb, f, as_of, res);
	rulebook_verdict v = rulebook_result_verdict(res, 0);
	rulebook_result_free(res);
	rulebook_facts_free(f);
	rulebook_free(rb);
	return v;
}

int contains(const char *hay, const char *needle)
{
	return hay && needle && strstr(hay, needle) != NULL;
}
