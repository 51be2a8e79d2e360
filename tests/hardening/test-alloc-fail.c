/* Allocation failure injection: an allocator (rulebook_set_allocator) that
 * fails the Nth allocation, for N = 1, 2, ... until a run completes without
 * reaching N. Every run of every scenario must return cleanly: RULEBOOK_OK
 * or RULEBOOK_ERR_NOMEM (never another status, never a crash), free every
 * block it allocated, and write nothing to stdout or stderr. The last run
 * must produce what an undisturbed run produces. Under valgrind
 * (RULEBOOK_TEST_UNDER_VALGRIND, set by the valgrind test setup) each
 * scenario fails every one of its first 64 allocations and 64 more spread
 * evenly over the rest: each run costs O(N), so failing all N costs O(N^2)
 * (a rulebook of 1 400 allocations took most of the valgrind stage), and
 * the plain and sanitizer runs fail every allocation. */
#include <rulebook.h>

#include <check.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct injector {
	long count;    /* allocations while armed */
	long fail_at;  /* the allocation that fails (1-based); 0 for none */
	int armed;
	int failed;    /* the failure was injected */
	long live;     /* blocks outstanding */
} injector;

static injector inj;

static int fail_now(void)
{
	if (!inj.armed)
		return 0;
	if (++inj.count == inj.fail_at) {
		inj.failed = 1;
		return 1;
	}
	return 0;
}

static void *inj_malloc(size_t n, void *payload)
{
	(void)payload;
	if (fail_now())
		return NULL;
	void *p = malloc(n);
	if (p)
		inj.live++;
	return p;
}

static void *inj_realloc(void *p, size_t n, void *payload)
{
	(void)payload;
	if (fail_now())
		return NULL;
	void *q = realloc(p, n);
	if (q && !p)
		inj.live++;
	return q;
}

static void inj_free(void *p, void *payload)
{
	(void)payload;
	if (p) {
		inj.live--;
		free(p);
	}
}

static const char *src_path(const char *rel)
{
	static char buf[4096];
	const char *root = getenv("RULEBOOK_SOURCE_ROOT");
	ck_assert_msg(root != NULL, "RULEBOOK_SOURCE_ROOT is not set");
	snprintf(buf, sizeof buf, "%s/%s", root, rel);
	return buf;
}

static char *read_all(const char *rel, size_t *len)
{
	FILE *fp = fopen(src_path(rel), "rb");
	ck_assert_msg(fp != NULL, "cannot open %s", rel);
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* What a scenario produced, compared with an undisturbed run. `strict`
 * holds what calls that returned RULEBOOK_OK produced (JSON, explanations,
 * verdicts of an evaluation): identical in every run that returns OK.
 * `loose` holds what accessors returned; an accessor has no status, so
 * when memory runs out it may give NULL, "" or the verdict "error"
 * instead, but never another value. */
typedef struct record {
	char strict[1 << 16];
	char loose[1 << 14];
} record;

static record produced, want;

static void append(char *buf, size_t size, const char *s, size_t len)
{
	size_t used = strlen(buf);
	ck_assert_msg(used + len + 2 < size, "record buffer too small");
	memcpy(buf + used, s, len);
	buf[used + len] = '\n';
	buf[used + len + 1] = '\0';
}

static void note(const char *s, size_t len)
{
	append(produced.strict, sizeof produced.strict, s, len);
}

static void note_verdict(rulebook_verdict v)
{
	const char *s = rulebook_verdict_str(v);
	note(s, strlen(s));
}

static void note_str(const char *s)
{
	if (!s)
		s = "(null)";
	append(produced.loose, sizeof produced.loose, s, strlen(s));
}

/* Whether every line of got equals that of ref or is a permitted
 * stand-in. */
static int loose_match(const char *got, const char *ref)
{
	while (*got && *ref) {
		size_t g = strcspn(got, "\n"), r = strcspn(ref, "\n");
		if (!(g == r && memcmp(got, ref, g) == 0) && g != 0 &&
		    !(g == 6 && memcmp(got, "(null)", 6) == 0) &&
		    !(g == 5 && memcmp(got, "error", 5) == 0))
			return 0;
		got += g + (got[g] == '\n');
		ref += r + (ref[r] == '\n');
	}
	return !*got && !*ref;
}

#define TRY(call)                                    \
	do {                                         \
		rulebook_status st_ = (call);        \
		if (st_ != RULEBOOK_OK && !st)       \
			st = st_;                    \
	} while (0)

/* ---- scenarios: each frees everything it made and returns the first
 * failure, NOMEM for a constructor that returned NULL ---- */

static void check_load_result(rulebook_status st, const rulebook *rb, const rulebook_error *err)
{
	ck_assert(st == RULEBOOK_OK ? rb != NULL : rb == NULL);
	if (st != RULEBOOK_OK && err) {
		ck_assert_uint_ge(rulebook_error_count(err), 1);
		ck_assert_int_eq(rulebook_error_status(err), st);
	}
}

static const char *load_rel;

static rulebook_status scenario_load_buffer(void)
{
	size_t len;
	char *text = read_all(load_rel, &len);
	inj.armed = 1;
	rulebook_status st = RULEBOOK_OK;
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = NULL;
	st = rulebook_load_buffer(text, len, load_rel, NULL, &rb, err);
	check_load_result(st, rb, err);
	if (!err && !st)
		st = RULEBOOK_ERR_NOMEM;
	if (rb)
		note_str(rulebook_hash(rb));
	rulebook_free(rb);
	rulebook_error_free(err);
	inj.armed = 0;
	free(text);
	return st;
}

static rulebook_status scenario_load_file(void)
{
	char path[4096];
	snprintf(path, sizeof path, "%s", src_path(load_rel));
	inj.armed = 1;
	rulebook_status st = RULEBOOK_OK;
	rulebook_options *opts = rulebook_options_new();
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = NULL;
	if (!opts || !err) {
		st = RULEBOOK_ERR_NOMEM;
	} else {
		TRY(rulebook_options_add_search_path(opts, src_path("tests/rules")));
		if (!st) {
			st = rulebook_load_file(path, opts, &rb, err);
			check_load_result(st, rb, err);
		}
	}
	if (rb) {
		note_str(rulebook_id(rb));
		note_str(rulebook_param_value(rb, 0, 20230630));
	}
	rulebook_free(rb);
	rulebook_error_free(err);
	rulebook_options_free(opts);
	inj.armed = 0;
	return st;
}

static rulebook *shared;  /* loaded before arming */

static rulebook_status scenario_eval(void)
{
	static const char rec[] = "{\"_id\": \"r1\", \"tax\": 984, \"land_area\": \"20000 m²\","
				  " \"is_key_chain_project\": false, \"converted_area\": 15,"
				  " \"energy\": 1100, \"sector\": \"化工\", \"employees\": 8,"
				  " \"name\": \"甲公司\", \"founded\": \"2001-02-03\"}";
	static const char many[] = "[{\"tax\": 1158.1, \"land_area\": 31.3}, {\"tax\": 1}]";
	inj.armed = 1;
	rulebook_status st = RULEBOOK_OK;
	rulebook_error *err = rulebook_error_new();
	rulebook_facts *f = rulebook_facts_new(shared);
	rulebook_result *res = rulebook_result_new(shared);
	char *out = NULL;
	if (!f || !res) {
		st = RULEBOOK_ERR_NOMEM;
		goto done;
	}
	TRY(rulebook_facts_set_json(f, rec, strlen(rec), err));
	TRY(rulebook_facts_set_text(f, "name", "乙公司", err));
	TRY(rulebook_facts_set_double(f, "energy", 1100.5, err));
	if (st)
		goto done;
	for (int as_of = 0; as_of < 2; as_of++) {
		TRY(rulebook_eval(shared, f, as_of ? 20221231 : 20230630, res, err));
		if (st)
			goto done;
		for (size_t i = 0; i < rulebook_rule_count(shared); i++) {
			note_verdict(rulebook_result_verdict(res, i));
			note_str(rulebook_result_message(res, i, "zh"));
			note_str(rulebook_result_message(res, i, "en"));
			note_str(rulebook_result_gap(res, i));
			for (size_t j = 0; j < rulebook_result_obligation_count(res, i); j++)
				note_str(rulebook_result_obligation_value(res, i, j));
		}
		note_str(rulebook_result_value(res, "mu_tax"));
		note_str(rulebook_result_value(res, "land_area"));
		const char *text;
		size_t len;
		TRY(rulebook_result_json(res, 0, &text, &len));
		if (!st)
			note(text, len);
		TRY(rulebook_result_json(res, RULEBOOK_OUT_PRETTY | RULEBOOK_OUT_LANG_EN, &text, &len));
		if (!st)
			note(text, len);
		TRY(rulebook_result_explain(res, 0, &text, &len));
		if (!st)
			note(text, len);
		TRY(rulebook_result_explain(res, RULEBOOK_OUT_LANG_EN, &text, &len));
		if (!st)
			note(text, len);
		if (st)
			goto done;
	}
	size_t len = 0;
	TRY(rulebook_eval_json(shared, many, strlen(many), 20230630, RULEBOOK_OUT_VERDICTS, &out,
			       &len, err));
	if (!st)
		note(out, len);
done:
	rulebook_mem_free(out);
	rulebook_result_free(res);
	rulebook_facts_free(f);
	rulebook_error_free(err);
	inj.armed = 0;
	return st;
}

static rulebook_status scenario_scorecard_targets(void)
{
	static const char rec[] = "{\"tax\": 120.485, \"value_added\": 340.4, \"land_area\": 10,"
				  " \"safety_violation\": false, \"d_years_running\": 3}";
	inj.armed = 1;
	rulebook_status st = RULEBOOK_OK;
	rulebook_facts *f = rulebook_facts_new(shared);
	rulebook_result *res = rulebook_result_new(shared);
	if (!f || !res) {
		st = RULEBOOK_ERR_NOMEM;
		goto done;
	}
	TRY(rulebook_facts_set_json(f, rec, strlen(rec), NULL));
	TRY(rulebook_eval(shared, f, 20230630, res, NULL));
	if (st)
		goto done;
	for (size_t i = 0; i < rulebook_scorecard_count(shared); i++) {
		note_str(rulebook_result_class(res, i));
		note_str(rulebook_result_score(res, i));
		for (size_t k = 0; k < rulebook_scorecard_component_count(shared, i); k++)
			note_str(rulebook_result_component(res, i, k, RULEBOOK_COMPONENT_POINTS));
		for (size_t j = 0; j < rulebook_result_consequence_count(res, i); j++)
			note_str(rulebook_result_consequence_value(res, i, j));
	}
	const char *text;
	size_t len;
	TRY(rulebook_result_json(res, RULEBOOK_OUT_PRETTY, &text, &len));
	if (!st)
		note(text, len);
	TRY(rulebook_result_explain(res, RULEBOOK_OUT_LANG_EN, &text, &len));
	if (!st)
		note(text, len);
done:
	rulebook_result_free(res);
	rulebook_facts_free(f);
	inj.armed = 0;
	return st;
}

static rulebook_status scenario_targets(void)
{
	static const char rec[] = "{\"freed_land\": 1900, \"intensity\": 0.47,"
				  " \"intensity_base\": 0.5, \"trained\": 260}";
	inj.armed = 1;
	rulebook_status st = RULEBOOK_OK;
	rulebook_facts *f = rulebook_facts_new(shared);
	rulebook_result *res = rulebook_result_new(shared);
	if (!f || !res) {
		st = RULEBOOK_ERR_NOMEM;
		goto done;
	}
	TRY(rulebook_facts_set_json(f, rec, strlen(rec), NULL));
	TRY(rulebook_eval(shared, f, 20220630, res, NULL));
	if (st)
		goto done;
	for (size_t i = 0; i < rulebook_target_count(shared); i++) {
		note(rulebook_target_status_str(rulebook_result_target_status(res, i)),
		     strlen(rulebook_target_status_str(rulebook_result_target_status(res, i))));
		for (int k = RULEBOOK_TARGET_ACHIEVED; k <= RULEBOOK_TARGET_NEEDED_PER_MONTH; k++)
			note_str(rulebook_result_target_value(res, i, (rulebook_target_field)k));
	}
	const char *text;
	size_t len;
	TRY(rulebook_result_json(res, 0, &text, &len));
	if (!st)
		note(text, len);
	TRY(rulebook_result_explain(res, 0, &text, &len));
	if (!st)
		note(text, len);
done:
	rulebook_result_free(res);
	rulebook_facts_free(f);
	inj.armed = 0;
	return st;
}

static rulebook_status scenario_population(void)
{
	static const char *const recs[] = {
		"{\"_id\": \"p1\", \"area\": 40, \"industrial\": true, \"standard_land\": true,"
		" \"year\": 2022, \"score_in\": 3}",
		"{\"_id\": \"p2\", \"area\": 20, \"industrial\": true, \"standard_land\": false,"
		" \"year\": 2022, \"score_in\": 2}",
		"{\"_id\": \"p3\", \"area\": 90, \"industrial\": false, \"standard_land\": false,"
		" \"year\": 2022, \"score_in\": 1}",
	};
	rulebook_facts *f[3] = {NULL, NULL, NULL};
	for (int i = 0; i < 3; i++) {
		f[i] = rulebook_facts_new(shared);
		ck_assert_int_eq(rulebook_facts_set_json(f[i], recs[i], strlen(recs[i]), NULL),
				 RULEBOOK_OK);
	}
	inj.armed = 1;
	rulebook_status st = RULEBOOK_OK;
	rulebook_population *pop = NULL, *copy = NULL;
	TRY(rulebook_eval_population(shared, (const rulebook_facts *const *)f, 2, 20230630, &pop,
				     NULL));
	if (st)
		goto done;
	copy = rulebook_population_copy(pop);
	if (!copy) {
		st = RULEBOOK_ERR_NOMEM;
		goto done;
	}
	TRY(rulebook_population_add(copy, f[2], NULL));
	if (st)
		goto done;
	for (size_t i = 0; i < rulebook_aggregate_count(shared); i++) {
		note_str(rulebook_verdict_str(rulebook_population_aggregate_verdict(copy, i)));
		for (int k = RULEBOOK_AGGREGATE_VALUE; k <= RULEBOOK_AGGREGATE_GAP; k++)
			note_str(rulebook_population_aggregate_value(copy, i,
								     (rulebook_aggregate_field)k));
	}
	for (size_t r = 0; r < rulebook_population_size(copy); r++) {
		note_str(rulebook_population_class(copy, r, 0));
		note_str(rulebook_population_score(copy, r, 0));
	}
	const char *text;
	size_t len;
	TRY(rulebook_population_json(copy, RULEBOOK_OUT_PRETTY, &text, &len));
	if (!st)
		note(text, len);
	TRY(rulebook_population_json(pop, 0, &text, &len));
	if (!st)
		note(text, len);
done:
	rulebook_population_free(copy);
	rulebook_population_free(pop);
	inj.armed = 0;
	for (int i = 0; i < 3; i++)
		rulebook_facts_free(f[i]);
	return st;
}

static rulebook_status scenario_selftest_lint(void)
{
	inj.armed = 1;
	rulebook_status st = RULEBOOK_OK;
	rulebook_error *err = rulebook_error_new();
	rulebook_test_report *report = NULL;
	if (!err) {
		st = RULEBOOK_ERR_NOMEM;
		goto done;
	}
	TRY(rulebook_lint(shared, 20230630, err));
	if (st)
		goto done;
	for (size_t i = 0; i < rulebook_error_count(err); i++)
		note_str(rulebook_error_message(err, i));
	rulebook_status t = rulebook_run_tests(shared, &report, err);
	if (t != RULEBOOK_ERR_TEST)
		TRY(t);
	if (st)
		goto done;
	for (size_t i = 0; i < rulebook_test_report_failed(report); i++) {
		note_str(rulebook_test_report_check(report, i));
		note_str(rulebook_test_report_actual(report, i));
	}
done:
	rulebook_test_report_free(report);
	rulebook_error_free(err);
	inj.armed = 0;
	return st;
}

/* ---- the driver ---- */


/* Run fn with no failure, then failing allocation 1, 2, ... */
static void inject(const char *name, rulebook_status (*fn)(void))
{
	inj = (injector){0};
	memset(&produced, 0, sizeof produced);
	ck_assert_int_eq(fn(), RULEBOOK_OK);
	ck_assert_int_eq(inj.live, 0);
	ck_assert_msg(inj.count > 0, "%s allocates nothing", name);
	want = produced;

	/* Anything the library prints goes to a file that must stay empty (a
	 * crash leaves its sanitizer report there, in /tmp/rulebook-quiet-*). */
	char quiet[] = "/tmp/rulebook-quiet-XXXXXX";
	int qfd = mkstemp(quiet);
	ck_assert_int_ge(qfd, 0);
	fflush(stdout);
	fflush(stderr);
	int out = dup(1), errfd = dup(2);
	dup2(qfd, 1);
	dup2(qfd, 2);

	long n, ok_runs = 0;
	int bad_status = 0, differs = 0;
	const int sample = getenv("RULEBOOK_TEST_UNDER_VALGRIND") != NULL;
	const long stride = sample && inj.count > 128 ? inj.count / 64 : 1;
	for (n = 1;; n += n >= 64 ? stride : 1) {
		inj.count = 0;
		inj.fail_at = n;
		inj.failed = 0;
		memset(&produced, 0, sizeof produced);
		rulebook_status st = fn();
		if (inj.live != 0)
			break;
		if (st != RULEBOOK_OK && (st != RULEBOOK_ERR_NOMEM || !inj.failed)) {
			bad_status = (int)st;
			break;
		}
		if (st == RULEBOOK_OK && (strcmp(produced.strict, want.strict) != 0 ||
					  !loose_match(produced.loose, want.loose))) {
			differs = 1;
			break;
		}
		if (!inj.failed)
			break;
		ok_runs += st == RULEBOOK_OK;
	}
	fflush(stdout);
	fflush(stderr);
	dup2(out, 1);
	dup2(errfd, 2);
	close(out);
	close(errfd);
	off_t printed = lseek(qfd, 0, SEEK_END);
	close(qfd);
	unlink(quiet);

	ck_assert_msg(inj.live == 0, "%s: %ld blocks leaked when allocation %ld failed", name,
		      inj.live, n);
	ck_assert_msg(!bad_status, "%s: allocation %ld failed: status %s", name, n,
		      rulebook_status_str((rulebook_status)bad_status));
	ck_assert_msg(!differs, "%s: allocation %ld failed: status OK but the output differs", name,
		      n);
	ck_assert_msg(printed == 0, "%s: the library wrote %ld bytes to stdout/stderr", name,
		      (long)printed);
	ck_assert_msg(strcmp(produced.strict, want.strict) == 0 &&
		      strcmp(produced.loose, want.loose) == 0, "%s: the final run differs", name);
	printf("%s: %ld allocations, %s failed once (%ld runs still OK)\n", name, inj.count,
	       sample ? "a sample of them" : "each", ok_runs);
}

static void with_shared(const char *rel, const char *name, rulebook_status (*fn)(void))
{
	ck_assert_int_eq(rulebook_load_file(src_path(rel), NULL, &shared, NULL), RULEBOOK_OK);
	inject(name, fn);
	rulebook_free(shared);
	shared = NULL;
}

START_TEST(test_load_buffer)
{
	static const char *const books[] = {"tests/rules/scorecard.yaml", "tests/rules/targets.yaml",
					    "tests/rules/population.yaml",
					    "tests/api/fixtures/enterprise.yaml",
					    "rules/linan/enterprise.yaml",
					    "rules/linan/project.yaml",
					    "rules/linan/district.yaml",
					    "rules/zhejiang/mujun-evaluation.yaml"};
	load_rel = books[_i];
	inject(books[_i], scenario_load_buffer);
}
END_TEST

START_TEST(test_load_file_extends)
{
	load_rel = "tests/rules/extends/district.yaml";
	inject("extends", scenario_load_file);
}
END_TEST

START_TEST(test_eval)
{
	with_shared("tests/api/fixtures/enterprise.yaml", "eval", scenario_eval);
}
END_TEST

START_TEST(test_scorecard)
{
	with_shared("tests/rules/scorecard.yaml", "scorecard", scenario_scorecard_targets);
}
END_TEST

START_TEST(test_targets)
{
	with_shared("tests/rules/targets.yaml", "targets", scenario_targets);
}
END_TEST

START_TEST(test_population)
{
	with_shared("tests/rules/population.yaml", "population", scenario_population);
}
END_TEST

START_TEST(test_selftest_lint)
{
	with_shared("tests/api/fixtures/selftest-fail.yaml", "selftest", scenario_selftest_lint);
}
END_TEST

/* An evaluation that runs out of memory copying the record's texts has
 * already replaced part of the last record's inputs: the result then
 * holds no evaluation, and the next one that succeeds reads as usual. */
START_TEST(test_eval_nomem_leaves_no_result)
{
	ck_assert_int_eq(rulebook_load_file(src_path("tests/api/fixtures/enterprise.yaml"), NULL,
					    &shared, NULL),
			 RULEBOOK_OK);
	rulebook_facts *f = rulebook_facts_new(shared);
	rulebook_result *res = rulebook_result_new(shared);
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(res);
	ck_assert_int_eq(rulebook_facts_set_text(f, "name", "甲", NULL), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_facts_set_text(f, "tax", "984", NULL), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_eval(shared, f, 20230630, res, NULL), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_result_as_of(res), 20230630);
	ck_assert_str_eq(rulebook_result_value(res, "name"), "甲");
	/* a longer name: the result's text storage must grow, and cannot */
	const char *longer = "一家名字比上一家长得多的有限公司";
	ck_assert_int_eq(rulebook_facts_set_text(f, "name", longer, NULL), RULEBOOK_OK);
	inj.count = 0;
	inj.fail_at = 1;
	inj.failed = 0;
	inj.armed = 1;
	rulebook_status st = rulebook_eval(shared, f, 20230630, res, NULL);
	inj.armed = 0;
	ck_assert_int_eq(inj.failed, 1);
	ck_assert_int_eq(st, RULEBOOK_ERR_NOMEM);
	ck_assert_int_eq(rulebook_result_as_of(res), 0);
	ck_assert_int_eq(rulebook_result_verdict(res, 0), 0);
	ck_assert_ptr_null(rulebook_result_record_id(res));
	ck_assert_int_eq(rulebook_eval(shared, f, 20230630, res, NULL), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_result_as_of(res), 20230630);
	ck_assert_str_eq(rulebook_result_value(res, "name"), longer);
	ck_assert_int_ne(rulebook_result_verdict(res, 0), 0);
	rulebook_result_free(res);
	rulebook_facts_free(f);
	rulebook_free(shared);
	shared = NULL;
}
END_TEST

int main(void)
{
	/* Before any object exists, as rulebook_set_allocator requires; the
	 * injector passes every allocation through until it is armed. */
	rulebook_set_allocator(inj_malloc, inj_realloc, inj_free, NULL);
	Suite *s = suite_create("alloc-fail");
	TCase *tc = tcase_create("alloc-fail");
	tcase_set_timeout(tc, 600);
	tcase_add_loop_test(tc, test_load_buffer, 0, 8);
	tcase_add_test(tc, test_load_file_extends);
	tcase_add_test(tc, test_eval);
	tcase_add_test(tc, test_eval_nomem_leaves_no_result);
	tcase_add_test(tc, test_scorecard);
	tcase_add_test(tc, test_targets);
	tcase_add_test(tc, test_population);
	tcase_add_test(tc, test_selftest_lint);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
