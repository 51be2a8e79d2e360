/* One compiled rulebook shared by 8 threads, each evaluating its own 2000
 * records with its own facts and result objects; every verdict, value and
 * JSON output must equal what a single thread computed first. */
#include "common.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 8
#define RECORDS 2000
#define RULES 4

typedef struct expected {
	uint8_t verdict[RULES];
	uint64_t json_hash;
	char mu_tax[48];
} expected;

static rulebook *rb;
static expected *want; /* [THREADS * RECORDS] */

static uint64_t lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005u + 1442695040888963407u;
	return *s >> 33;
}

static uint64_t fnv(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return h;
}

/* Set the facts of record k of thread t, deterministically; returns the
 * as-of date to evaluate it at. Mixes the setters and JSON. */
static int32_t make_record(rulebook_facts *f, unsigned t, unsigned k)
{
	static const char *const sectors[] = {"纺织", "化工", "装备制造"};
	static const int32_t dates[] = {20220519, 20221231, 20230101, 20230630, 20231231, 20240101};
	uint64_t s = (uint64_t)t * 1000003u + k;
	char buf[256];
	lcg(&s);
	rulebook_facts_clear(f);
	snprintf(buf, sizeof buf, "%llu.%02llu", (unsigned long long)(lcg(&s) % 5000),
		 (unsigned long long)(lcg(&s) % 100));
	rulebook_facts_set_decimal(f, "tax", buf, NULL);
	uint64_t land = lcg(&s) % 100;
	if (land >= 5) { /* 5 % missing, 1 % zero (division by zero) */
		snprintf(buf, sizeof buf, "%llu.%llu%s", (unsigned long long)(land == 5 ? 0 : land),
			 (unsigned long long)(lcg(&s) % 10), land % 2 ? "" : " 亩");
		rulebook_facts_set_decimal(f, "land_area", land == 5 ? "0" : buf, NULL);
	}
	rulebook_facts_set_int(f, "energy", (int64_t)(lcg(&s) % 2000), NULL);
	rulebook_facts_set_double(f, "converted_area", (double)(lcg(&s) % 400) / 8.0, NULL);
	if (lcg(&s) % 3)
		rulebook_facts_set_bool(f, "is_key_chain_project", (int)(lcg(&s) % 5 == 0), NULL);
	snprintf(buf, sizeof buf, "{\"_id\": \"t%u-r%u\", \"sector\": \"%s\", \"employees\": %llu}", t, k,
		 sectors[lcg(&s) % 3], (unsigned long long)(lcg(&s) % 20));
	rulebook_facts_set_json(f, buf, strlen(buf), NULL);
	return dates[lcg(&s) % 6];
}

/* Evaluate record k of thread t into e; 0 on success. */
static int evaluate(rulebook_facts *f, rulebook_result *r, unsigned t, unsigned k, expected *e)
{
	int32_t as_of = make_record(f, t, k);
	if (rulebook_eval(rb, f, as_of, r, NULL) != RULEBOOK_OK)
		return -1;
	for (size_t i = 0; i < RULES; i++)
		e->verdict[i] = (uint8_t)rulebook_result_verdict(r, i);
	const char *v = rulebook_result_value(r, "mu_tax");
	snprintf(e->mu_tax, sizeof e->mu_tax, "%s", v ? v : "(missing)");
	const char *json = NULL;
	size_t len = 0;
	if (rulebook_result_json(r, 0, &json, &len) != RULEBOOK_OK)
		return -1;
	e->json_hash = fnv(json, len);
	return 0;
}

typedef struct job {
	unsigned t;
	unsigned mismatches;
	unsigned failures;
} job;

static void *worker(void *arg)
{
	job *j = arg;
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *r = rulebook_result_new(rb);
	if (!f || !r) {
		j->failures = RECORDS;
		goto done;
	}
	for (unsigned k = 0; k < RECORDS; k++) {
		expected e;
		if (evaluate(f, r, j->t, k, &e) != 0) {
			j->failures++;
			continue;
		}
		const expected *w = &want[j->t * RECORDS + k];
		if (memcmp(e.verdict, w->verdict, RULES) != 0 || e.json_hash != w->json_hash ||
		    strcmp(e.mu_tax, w->mu_tax) != 0)
			j->mismatches++;
	}
done:
	rulebook_result_free(r);
	rulebook_facts_free(f);
	return NULL;
}

START_TEST(test_concurrent_evaluation)
{
	rb = load_fixture("enterprise.yaml");
	ck_assert_uint_eq(rulebook_rule_count(rb), RULES);
	want = calloc(THREADS * RECORDS, sizeof(*want));
	ck_assert_ptr_nonnull(want);

	/* Single-threaded reference, with fresh objects per thread's batch. */
	uint32_t seen[8] = {0};
	for (unsigned t = 0; t < THREADS; t++) {
		rulebook_facts *f = rulebook_facts_new(rb);
		rulebook_result *r = rulebook_result_new(rb);
		for (unsigned k = 0; k < RECORDS; k++) {
			ck_assert_int_eq(evaluate(f, r, t, k, &want[t * RECORDS + k]), 0);
			for (size_t i = 0; i < RULES; i++)
				seen[want[t * RECORDS + k].verdict[i]]++;
		}
		rulebook_result_free(r);
		rulebook_facts_free(f);
	}
	/* The records exercise every verdict. */
	for (int v = RULEBOOK_PASS; v <= RULEBOOK_ERROR; v++)
		ck_assert_msg(seen[v] > 0, "no record got %s", rulebook_verdict_str((rulebook_verdict)v));

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
		ck_assert_msg(jobs[t].mismatches == 0, "thread %u: %u records differ", t,
			      jobs[t].mismatches);
	}
	free(want);
	rulebook_free(rb);
}
END_TEST

/* Several threads loading and freeing rulebooks at once. */
static char fixture[4096];

static void *loader(void *arg)
{
	unsigned *fails = arg;
	for (int i = 0; i < 20; i++) {
		rulebook *r = NULL;
		if (rulebook_load_file(fixture, NULL, &r, NULL) != RULEBOOK_OK ||
		    strcmp(rulebook_id(r), "test.enterprise") != 0)
			(*fails)++;
		rulebook_free(r);
	}
	return NULL;
}

START_TEST(test_concurrent_loading)
{
	snprintf(fixture, sizeof fixture, "%s", fixture_path("enterprise.yaml"));
	pthread_t th[THREADS];
	unsigned fails[THREADS] = {0};
	for (unsigned t = 0; t < THREADS; t++)
		ck_assert_int_eq(pthread_create(&th[t], NULL, loader, &fails[t]), 0);
	for (unsigned t = 0; t < THREADS; t++) {
		ck_assert_int_eq(pthread_join(th[t], NULL), 0);
		ck_assert_uint_eq(fails[t], 0);
	}
}
END_TEST

static Suite *threads_suite(void)
{
	Suite *s = suite_create("threads");
	TCase *tc = tcase_create("threads");
	tcase_set_timeout(tc, 110);
	tcase_add_test(tc, test_concurrent_evaluation);
	tcase_add_test(tc, test_concurrent_loading);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(threads_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
