/* rulebook_options_set_resolver: parents of `extends` supplied by the
 * caller instead of files. A small in-memory store of named sources stands
 * in for a database table; each test checks what the loader asked for,
 * what it built, and the status, message and position of each error. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The parent: `tax` input on line 7, the rule on line 13. */
#define PARENT(id, min)                                                                    \
	"rulebook: 1\n"                                                                    \
	"id: " id "\n"                                                                     \
	"title: {zh: 省级（测试）, en: province (test)}\n"                                 \
	"subject: enterprise\n"                                                            \
	"source: {issuer: 测试省, document: 省级测试文件, issued: 2021-01-01}\n"           \
	"inputs:\n"                                                                        \
	"  - {id: tax, type: number, unit: 万元}\n"                                        \
	"  - {id: land_area, type: number, unit: 亩}\n"                                    \
	"parameters:\n"                                                                    \
	"  - {id: min_mu_tax, unit: 万元/亩, cite: 二, provenance: cited, value: " min "}\n" \
	"indicators:\n"                                                                    \
	"  - {id: mu_tax, expr: tax / land_area, unit: 万元/亩}\n"                         \
	"rules:\n"                                                                         \
	"  - {id: mu_tax, cite: 二, require: mu_tax >= min_mu_tax}\n"

/* A child of `parent`: `extends` on line 6, column 10. */
#define CHILD(id, parent)                                                                  \
	"rulebook: 1\n"                                                                    \
	"id: " id "\n"                                                                     \
	"title: {zh: 区级（测试）, en: district (test)}\n"                                 \
	"subject: enterprise\n"                                                            \
	"source: {issuer: 测试区, document: 区级测试文件, issued: 2022-05-19}\n"           \
	"extends: " parent "\n"                                                            \
	"inputs:\n"                                                                        \
	"  - {id: rd, type: number, unit: 万元}\n"                                         \
	"rules:\n"                                                                         \
	"  - {id: rd_reported, cite: 三, require: present(rd)}\n"

struct store {
	const char *names[4];
	const char *texts[4];
	size_t n;
	rulebook_status fail_with; /* returned for every name when not OK */
	int calls;
	char asked[8][64]; /* names asked for, in order */
};

static rulebook_status from_store(const char *name, size_t name_len, const char **data,
				  size_t *len, void *payload)
{
	struct store *s = payload;
	ck_assert_uint_eq(strlen(name), name_len);
	if (s->calls < 8)
		snprintf(s->asked[s->calls], sizeof s->asked[0], "%s", name);
	s->calls++;
	if (s->fail_with != RULEBOOK_OK)
		return s->fail_with;
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->names[i], name) == 0) {
			/* a copy freed right after the load shows the library keeps
			 * nothing that points into it */
			*data = s->texts[i];
			*len = strlen(s->texts[i]);
			return RULEBOOK_OK;
		}
	return RULEBOOK_ERR_NOT_FOUND;
}

static rulebook_status load_with(struct store *s, const char *text, rulebook **rb,
				 rulebook_error *err)
{
	rulebook_options *opts = rulebook_options_new();
	ck_assert_ptr_nonnull(opts);
	ck_assert_int_eq(rulebook_options_set_resolver(opts, from_store, s), RULEBOOK_OK);
	rulebook_status st = rulebook_load_buffer(text, strlen(text), "child", opts, rb, err);
	rulebook_options_free(opts);
	return st;
}

static char *dup_text(const char *text)
{
	size_t n = strlen(text) + 1;
	char *p = malloc(n);
	ck_assert_ptr_nonnull(p);
	memcpy(p, text, n);
	return p;
}

START_TEST(test_parent_from_resolver)
{
	char *parent = dup_text(PARENT("test.province", "30"));
	struct store s = {{"test.province"}, {parent}, 1, RULEBOOK_OK, 0, {{0}}};
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = NULL;
	ck_assert_int_eq(load_with(&s, CHILD("test.district", "test.province"), &rb, err),
			 RULEBOOK_OK);
	memset(parent, 'x', strlen(parent)); /* the library keeps its own copy */
	free(parent);
	ck_assert_int_eq(s.calls, 1);
	ck_assert_str_eq(s.asked[0], "test.province");
	ck_assert_str_eq(rulebook_id(rb), "test.district");
	/* the parent's rule first, then the child's */
	ck_assert_uint_eq(rulebook_rule_count(rb), 2);
	ck_assert_str_eq(rulebook_rule_id(rb, 0), "mu_tax");
	ck_assert_str_eq(rulebook_rule_id(rb, 1), "rd_reported");
	/* 600 万元 on 20 亩 is 30 万元/亩: exactly the parent's floor */
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	set_json(f, "{\"tax\": 600, \"land_area\": 20}");
	eval_ok(rb, f, 20230630, res);
	ck_assert_int_eq(rulebook_result_verdict(res, 0), RULEBOOK_PASS);
	/* present(rd) is false when rd is missing */
	ck_assert_int_eq(rulebook_result_verdict(res, 1), RULEBOOK_FAIL);
	rulebook_result_free(res);
	rulebook_facts_free(f);
	rulebook_free(rb);
	rulebook_error_free(err);
}
END_TEST

/* A chain of three: the resolver is asked for each parent once, in order. */
START_TEST(test_chain_of_three)
{
	struct store s = {{"test.province", "test.city"},
			  {PARENT("test.province", "30"), CHILD("test.city", "test.province")},
			  2, RULEBOOK_OK, 0, {{0}}};
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = NULL;
	/* the district's own rule id must differ from the city's */
	const char *district = "rulebook: 1\n"
			       "id: test.district\n"
			       "title: {zh: 区级, en: district}\n"
			       "subject: enterprise\n"
			       "source: {issuer: 测试区, document: 区级测试文件, issued: 2022-05-19}\n"
			       "extends: test.city\n"
			       "rules:\n"
			       "  - {id: tax_reported, cite: 四, require: present(tax)}\n";
	ck_assert_int_eq(load_with(&s, district, &rb, err), RULEBOOK_OK);
	ck_assert_int_eq(s.calls, 2);
	ck_assert_str_eq(s.asked[0], "test.city");
	ck_assert_str_eq(s.asked[1], "test.province");
	ck_assert_uint_eq(rulebook_rule_count(rb), 3);
	ck_assert_str_eq(rulebook_rule_id(rb, 2), "tax_reported");
	rulebook_free(rb);
	rulebook_error_free(err);
}
END_TEST

/* A file with the parent's name next to the working directory is never
 * read: only the resolver is asked. */
START_TEST(test_files_not_used)
{
	char dir[] = "/tmp/rulebook-resolver-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof path, "%s/test.province.yaml", dir);
	FILE *fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(PARENT("test.province", "30"), fp);
	fclose(fp);
	struct store s = {{0}, {0}, 0, RULEBOOK_OK, 0, {{0}}};
	rulebook_options *opts = rulebook_options_new();
	ck_assert_int_eq(rulebook_options_add_search_path(opts, dir), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_options_set_resolver(opts, from_store, &s), RULEBOOK_OK);
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = (rulebook *)&rb;
	const char *child = CHILD("test.district", "test.province");
	ck_assert_int_eq(rulebook_load_buffer(child, strlen(child), "child", opts, &rb, err),
			 RULEBOOK_ERR_NOT_FOUND);
	ck_assert_ptr_null(rb);
	ck_assert_int_eq(s.calls, 1);
	/* without the resolver the search path finds the file */
	ck_assert_int_eq(rulebook_options_set_resolver(opts, NULL, NULL), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_load_buffer(child, strlen(child), "child", opts, &rb, err),
			 RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_rule_count(rb), 2);
	ck_assert_int_eq(s.calls, 1);
	rulebook_free(rb);
	rulebook_options_free(opts);
	rulebook_error_free(err);
	ck_assert_int_eq(remove(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(test_not_found)
{
	struct store s = {{0}, {0}, 0, RULEBOOK_OK, 0, {{0}}};
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = (rulebook *)&rb;
	ck_assert_int_eq(load_with(&s, CHILD("test.district", "test.nowhere"), &rb, err),
			 RULEBOOK_ERR_NOT_FOUND);
	ck_assert_ptr_null(rb);
	check_diag(err, 0, RULEBOOK_ERR_NOT_FOUND, "extends 'test.nowhere': no such rulebook",
		   "child", 6, 10);
	ck_assert_str_eq(rulebook_error_subject(err, 0), "test.district");
	rulebook_error_free(err);
}
END_TEST

START_TEST(test_resolver_fails)
{
	struct store s = {{0}, {0}, 0, RULEBOOK_ERR_IO, 0, {{0}}};
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = (rulebook *)&rb;
	ck_assert_int_eq(load_with(&s, CHILD("test.district", "test.province"), &rb, err),
			 RULEBOOK_ERR_IO);
	ck_assert_ptr_null(rb);
	check_diag(err, 0, RULEBOOK_ERR_IO, "extends 'test.province': the resolver failed", "child",
		   6, 10);
	rulebook_error_free(err);
}
END_TEST

/* An error inside the parent points into the parent, named by its id. */
START_TEST(test_error_in_parent)
{
	const char *bad = "rulebook: 1\n"
			  "id: test.province\n"
			  "title: {zh: 省级, en: province}\n"
			  "subject: enterprise\n"
			  "source: {issuer: 测试省, document: 省级测试文件, issued: 2021-01-01}\n"
			  "rules:\n"
			  "  - {id: r, cite: 二, require: nosuch > 1}\n";
	struct store s = {{"test.province"}, {bad}, 1, RULEBOOK_OK, 0, {{0}}};
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = (rulebook *)&rb;
	ck_assert_int_eq(load_with(&s, CHILD("test.district", "test.province"), &rb, err),
			 RULEBOOK_ERR_NAME);
	ck_assert_ptr_null(rb);
	check_diag(err, 0, RULEBOOK_ERR_NAME, "nosuch", "test.province", 7, 33);
	rulebook_error_free(err);
}
END_TEST

/* a -> b -> a, found by name. */
START_TEST(test_cycle_by_name)
{
	struct store s = {{"test.a", "test.b"},
			  {CHILD("test.a", "test.b"), CHILD("test.b", "test.a")},
			  2, RULEBOOK_OK, 0, {{0}}};
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = (rulebook *)&rb;
	ck_assert_int_eq(load_with(&s, CHILD("test.c", "test.a"), &rb, err), RULEBOOK_ERR_CYCLE);
	ck_assert_ptr_null(rb);
	/* c asks for a, a for b, b for a again: the cycle is at b's extends */
	ck_assert_int_eq(s.calls, 3);
	ck_assert_str_eq(s.asked[2], "test.a");
	check_diag(err, 0, RULEBOOK_ERR_CYCLE, "extends 'test.a' makes a cycle", "test.b", 6, 10);
	rulebook_error_free(err);
}
END_TEST

/* Forbidding extends wins over a resolver. */
START_TEST(test_forbidden_with_resolver)
{
	struct store s = {{"test.province"}, {PARENT("test.province", "30")}, 1, RULEBOOK_OK, 0, {{0}}};
	rulebook_options *opts = rulebook_options_new();
	ck_assert_int_eq(rulebook_options_set_resolver(opts, from_store, &s), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_options_allow_extends(opts, 0), RULEBOOK_OK);
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = (rulebook *)&rb;
	const char *child = CHILD("test.district", "test.province");
	ck_assert_int_eq(rulebook_load_buffer(child, strlen(child), "child", opts, &rb, err),
			 RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(s.calls, 0);
	check_diag(err, 0, RULEBOOK_ERR_INVALID, "forbidden", "child", 6, 10);
	rulebook_options_free(opts);
	rulebook_error_free(err);
}
END_TEST

static rulebook_status no_text(const char *name, size_t name_len, const char **data, size_t *len,
			       void *payload)
{
	(void)name;
	(void)name_len;
	(void)payload;
	*data = NULL;
	*len = 5;
	return RULEBOOK_OK;
}

START_TEST(test_invalid)
{
	ck_assert_int_eq(rulebook_options_set_resolver(NULL, from_store, NULL), RULEBOOK_ERR_INVALID);
	rulebook_options *opts = rulebook_options_new();
	ck_assert_int_eq(rulebook_options_set_resolver(opts, no_text, NULL), RULEBOOK_OK);
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = (rulebook *)&rb;
	const char *child = CHILD("test.district", "test.province");
	ck_assert_int_eq(rulebook_load_buffer(child, strlen(child), "child", opts, &rb, err),
			 RULEBOOK_ERR_INVALID);
	ck_assert_ptr_null(rb);
	check_diag(err, 0, RULEBOOK_ERR_INVALID, "the resolver returned no text", "child", 6, 10);
	rulebook_options_free(opts);
	rulebook_error_free(err);
}
END_TEST

static Suite *resolver_suite(void)
{
	Suite *s = suite_create("resolver");
	TCase *tc = tcase_create("resolver");
	tcase_add_test(tc, test_parent_from_resolver);
	tcase_add_test(tc, test_chain_of_three);
	tcase_add_test(tc, test_files_not_used);
	tcase_add_test(tc, test_not_found);
	tcase_add_test(tc, test_resolver_fails);
	tcase_add_test(tc, test_error_in_parent);
	tcase_add_test(tc, test_cycle_by_name);
	tcase_add_test(tc, test_forbidden_with_resolver);
	tcase_add_test(tc, test_invalid);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(resolver_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
