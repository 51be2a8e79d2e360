/* One compiled rulebook (the Lin'an enterprise rules) shared by THREADS
 * threads, each evaluating its own records with its own facts and result
 * objects, in its own order, alone and as a population. Every JSON output
 * and explanation must equal what one thread computed beforehand. Built
 * and run under ThreadSanitizer by .ci/run (build-tsan). */
#include <rulebook.h>

#include <check.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 6
#define RECORDS 120

static rulebook *rb;

typedef struct expected {
	uint64_t json, explain;
} expected;

static expected want[THREADS][RECORDS];
static uint64_t want_population[THREADS];

static uint64_t fnv(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return h;
}

static uint64_t lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005u + 1442695040888963407u;
	return *s >> 33;
}

/* Record k of thread t, deterministic; mixes the setters and JSON, leaves
 * some inputs missing and some areas zero. Returns the as-of date. */
static int32_t make_record(rulebook_facts *f, unsigned t, unsigned k)
{
	static const char *const remedies[] = {"改造提升", "兼并重组", "搬迁入园", "整体腾退", "未确定"};
	static const char *const classes[] = {"A", "B", "C", "D"};
	static const int32_t dates[] = {20220519, 20221231, 20230630, 20231231, 20240101};
	uint64_t s = (uint64_t)t * 7919u + k * 104729u + 1;
	char buf[512];
	lcg(&s);
	rulebook_facts_clear(f);
	rulebook_facts_set_bool(f, "above_scale", (int)(lcg(&s) % 4 != 0), NULL);
	rulebook_facts_set_bool(f, "is_manufacturing", (int)(lcg(&s) % 5 != 0), NULL);
	uint64_t land = lcg(&s) % 60;
	if (land)
		rulebook_facts_set_double(f, "land_area", (double)land / 4.0 - 0.25, NULL);
	snprintf(buf, sizeof buf, "%llu.%llu", (unsigned long long)(lcg(&s) % 3000),
		 (unsigned long long)(lcg(&s) % 10));
	rulebook_facts_set_decimal(f, "tax", buf, NULL);
	rulebook_facts_set_int(f, "employees", (int64_t)(lcg(&s) % 400), NULL);
	if (lcg(&s) % 3)
		rulebook_facts_set_text(f, "rectification_deadline",
					lcg(&s) % 2 ? "2023-03-31" : "2022-12-31", NULL);
	snprintf(buf, sizeof buf,
		 "{\"_id\": \"t%u-%u\", \"value_added\": %llu, \"revenue\": %llu,"
		 " \"rd_expense\": %llu, \"energy_use\": \"%llu tce(等价值)\","
		 " \"electricity_use\": %llu, \"energy_intensity_base\": 0.%llu,"
		 " \"water_use\": %llu, \"gas_use\": %llu, \"has_violation\": %s,"
		 " \"rectified\": %s, \"remedy_path\": \"%s\", \"digitally_transformed\": %s,"
		 " \"mujun_class\": \"%s\", \"differential_pricing_applied\": %s,"
		 " \"land_use_tax_relief\": %s}",
		 t, k, (unsigned long long)(lcg(&s) % 20000), (unsigned long long)(lcg(&s) % 90000),
		 (unsigned long long)(lcg(&s) % 2000), (unsigned long long)(lcg(&s) % 5000),
		 (unsigned long long)(lcg(&s) % 900), (unsigned long long)(1 + lcg(&s) % 9),
		 (unsigned long long)(lcg(&s) % 90000), (unsigned long long)(lcg(&s) % 200000),
		 lcg(&s) % 3 ? "false" : "true", lcg(&s) % 2 ? "false" : "true",
		 remedies[lcg(&s) % 5], lcg(&s) % 2 ? "true" : "false", classes[lcg(&s) % 4],
		 lcg(&s) % 2 ? "true" : "false", lcg(&s) % 2 ? "true" : "false");
	rulebook_facts_set_json(f, buf, strlen(buf), NULL);
	return dates[lcg(&s) % 5];
}

static int evaluate(rulebook_facts *f, rulebook_result *r, unsigned t, unsigned k, expected *e)
{
	int32_t as_of = make_record(f, t, k);
	const char *out;
	size_t len;
	if (rulebook_eval(rb, f, as_of, r, NULL) != RULEBOOK_OK ||
	    rulebook_result_json(r, RULEBOOK_OUT_PRETTY, &out, &len) != RULEBOOK_OK)
		return -1;
	e->json = fnv(out, len);
	if (rulebook_result_explain(r, k % 2 ? RULEBOOK_OUT_LANG_EN : 0, &out, &len) != RULEBOOK_OK)
		return -1;
	e->explain = fnv(out, len);
	return 0;
}

/* The records of thread t as a population as of 2023-06-30. */
static int population(unsigned t, uint64_t *hash)
{
	rulebook_facts *f[RECORDS];
	int ok = 0;
	for (unsigned k = 0; k < RECORDS; k++) {
		f[k] = rulebook_facts_new(rb);
		if (f[k])
			make_record(f[k], t, k);
	}
	rulebook_population *pop = NULL;
	const char *out;
	size_t len;
	if (rulebook_eval_population(rb, (const rulebook_facts *const *)f, RECORDS, 20230630, &pop,
				     NULL) == RULEBOOK_OK &&
	    rulebook_population_json(pop, 0, &out, &len) == RULEBOOK_OK) {
		*hash = fnv(out, len);
		ok = 1;
	}
	rulebook_population_free(pop);
	for (unsigned k = 0; k < RECORDS; k++)
		rulebook_facts_free(f[k]);
	return ok ? 0 : -1;
}

typedef struct job {
	unsigned t;
	unsigned mismatches, failures;
} job;

static void *worker(void *arg)
{
	job *j = arg;
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *r = rulebook_result_new(rb);
	if (!f || !r) {
		j->failures++;
		goto done;
	}
	/* Odd threads go backwards, so threads differ in what they share. */
	for (unsigned i = 0; i < RECORDS; i++) {
		unsigned k = j->t % 2 ? RECORDS - 1 - i : i;
		expected e;
		if (evaluate(f, r, j->t, k, &e) != 0)
			j->failures++;
		else if (e.json != want[j->t][k].json || e.explain != want[j->t][k].explain)
			j->mismatches++;
	}
	uint64_t h;
	if (population(j->t, &h) != 0)
		j->failures++;
	else if (h != want_population[j->t])
		j->mismatches++;
done:
	rulebook_result_free(r);
	rulebook_facts_free(f);
	return NULL;
}

START_TEST(test_shared_rulebook)
{
	const char *root = getenv("RULEBOOK_SOURCE_ROOT");
	ck_assert_ptr_nonnull(root);
	char path[4096];
	snprintf(path, sizeof path, "%s/rules/linan/enterprise.yaml", root);
	ck_assert_int_eq(rulebook_load_file(path, NULL, &rb, NULL), RULEBOOK_OK);

	/* The reference, one thread, fresh objects. */
	uint32_t seen[8] = {0};
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *r = rulebook_result_new(rb);
	for (unsigned t = 0; t < THREADS; t++) {
		for (unsigned k = 0; k < RECORDS; k++) {
			ck_assert_int_eq(evaluate(f, r, t, k, &want[t][k]), 0);
			for (size_t i = 0; i < rulebook_rule_count(rb); i++)
				seen[rulebook_result_verdict(r, i)]++;
		}
		ck_assert_int_eq(population(t, &want_population[t]), 0);
	}
	rulebook_result_free(r);
	rulebook_facts_free(f);
	/* The records reach pass, fail, not applicable, unknown, not in force
	 * and error (areas of zero). */
	static const rulebook_verdict needed[] = {RULEBOOK_PASS, RULEBOOK_FAIL,
						  RULEBOOK_NOT_APPLICABLE, RULEBOOK_UNKNOWN,
						  RULEBOOK_NOT_IN_FORCE, RULEBOOK_ERROR};
	for (size_t i = 0; i < sizeof needed / sizeof needed[0]; i++)
		ck_assert_msg(seen[needed[i]] > 0, "no record got %s", rulebook_verdict_str(needed[i]));

	pthread_t th[THREADS];
	job jobs[THREADS];
	for (unsigned t = 0; t < THREADS; t++) {
		jobs[t] = (job){t, 0, 0};
		ck_assert_int_eq(pthread_create(&th[t], NULL, worker, &jobs[t]), 0);
	}
	for (unsigned t = 0; t < THREADS; t++)
		ck_assert_int_eq(pthread_join(th[t], NULL), 0);
	for (unsigned t = 0; t < THREADS; t++) {
		ck_assert_msg(jobs[t].failures == 0, "thread %u: %u failed calls", t, jobs[t].failures);
		ck_assert_msg(jobs[t].mismatches == 0, "thread %u: %u outputs differ", t,
			      jobs[t].mismatches);
	}
	rulebook_free(rb);
	rb = NULL;
}
END_TEST

int main(void)
{
	Suite *s = suite_create("threads");
	TCase *tc = tcase_create("threads");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_shared_rulebook);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	/* No fork: sanitizers and valgrind watch the threads themselves. */
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
