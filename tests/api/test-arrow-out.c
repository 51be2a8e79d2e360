/* A population's results as Arrow: rulebook_population_results_arrow and
 * rulebook_population_results_arrow_stream. Every column of a small
 * population of fixtures/columns.yaml is read back through the C Data
 * Interface buffers and checked against values worked out by hand; the
 * release callbacks are called (children moved out included), which the
 * valgrind setup checks for leaks and double frees. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static rulebook *rb;
static rulebook_population *pop;
static rulebook_error *err;

/* fixtures/columns.yaml: rules N (n > 0), K (k > 0), B (ok), T (name ==
 * "临安"), E (sector == "化工"), D (opened >= 2020-01-01); scorecards sn,
 * sa, sk whose score is n, area (in 亩) and k themselves, class high from
 * 100 and low below. */
static const char *records[] = {
	"{\"_id\": \"甲\", \"n\": 150.25, \"area\": 12.5, \"k\": 3, \"ok\": true, \"name\": \"临安\","
	" \"sector\": \"化工\", \"opened\": \"2021-01-01\"}",
	"{\"n\": -3, \"area\": 0.125, \"k\": 0, \"ok\": false, \"name\": \"杭州\", \"sector\": \"纺织\","
	" \"opened\": \"2019-12-31\"}",
	"{\"_id\": \"C3\"}",
};

static void setup(void)
{
	rb = load_fixture("columns.yaml");
	pop = rulebook_population_new(rb, 20230630);
	err = rulebook_error_new();
	rulebook_facts *f = rulebook_facts_new(rb);
	for (size_t i = 0; i < 3; i++) {
		rulebook_facts_clear(f);
		set_json(f, records[i]);
		ck_assert_int_eq(rulebook_population_add(pop, f, err), RULEBOOK_OK);
	}
	rulebook_facts_free(f);
}

static void teardown(void)
{
	rulebook_error_free(err);
	rulebook_population_free(pop);
	rulebook_free(rb);
}

static int valid_at(const struct ArrowArray *a, int64_t i)
{
	const uint8_t *bits = a->buffers[0];
	return !bits || (bits[(a->offset + i) / 8] >> ((a->offset + i) % 8)) & 1;
}

/* String i of a utf8 array ("u"), copied into buf; NULL for a null. */
static const char *utf8_at(const struct ArrowArray *a, int64_t i, char *buf, size_t size)
{
	if (!valid_at(a, i))
		return NULL;
	const int32_t *off = a->buffers[1];
	const char *data = a->buffers[2];
	int32_t len = off[a->offset + i + 1] - off[a->offset + i];
	ck_assert_int_ge(len, 0);
	ck_assert_uint_lt((size_t)len, size);
	memcpy(buf, data + off[a->offset + i], (size_t)len);
	buf[len] = '\0';
	return buf;
}

/* The text a dictionary-encoded value stands for; NULL for a null. */
static const char *dict_at(const struct ArrowArray *a, const struct ArrowSchema *s, int64_t i,
			   char *buf, size_t size)
{
	if (!valid_at(a, i))
		return NULL;
	int64_t idx;
	if (strcmp(s->format, "c") == 0)
		idx = ((const int8_t *)a->buffers[1])[a->offset + i];
	else {
		ck_assert_str_eq(s->format, "s");
		idx = ((const int16_t *)a->buffers[1])[a->offset + i];
	}
	ck_assert_ptr_nonnull(a->dictionary);
	ck_assert_int_ge(idx, 0);
	ck_assert_int_lt(idx, a->dictionary->length);
	return utf8_at(a->dictionary, idx, buf, size);
}

/* The unscaled value of decimal128 i, which must fit an int64. */
static int64_t dec_at(const struct ArrowArray *a, int64_t i)
{
	const uint8_t *p = (const uint8_t *)a->buffers[1] + 16 * (a->offset + i);
	uint64_t lo, hi;
	memcpy(&lo, p, 8);
	memcpy(&hi, p + 8, 8);
	ck_assert_uint_eq(hi, (int64_t)lo < 0 ? UINT64_MAX : 0); /* sign extension */
	return (int64_t)lo;
}

static int64_t column(const struct ArrowSchema *s, const char *name)
{
	for (int64_t c = 0; c < s->n_children; c++)
		if (strcmp(s->children[c]->name, name) == 0)
			return c;
	ck_abort_msg("no column %s", name);
	return -1;
}

/* Every column of the batch, checked against the records above. */
static void check_batch(const struct ArrowSchema *s, const struct ArrowArray *a)
{
	char buf[64];
	ck_assert_str_eq(s->format, "+s");
	ck_assert_int_eq(a->length, 3);
	ck_assert_int_eq(a->null_count, 0);
	ck_assert_int_eq(a->n_buffers, 1);
	/* _id, the six rules, class and score of the three scorecards */
	ck_assert_int_eq(s->n_children, 1 + 6 + 2 * 3);
	ck_assert_int_eq(a->n_children, s->n_children);
	static const char *names[] = {"_id", "N", "K", "B", "T", "E", "D", "sn.class", "sn.score",
				      "sa.class", "sa.score", "sk.class", "sk.score"};
	for (int64_t c = 0; c < s->n_children; c++) {
		ck_assert_str_eq(s->children[c]->name, names[c]);
		ck_assert_int_eq(a->children[c]->length, 3);
		ck_assert_int_eq(a->children[c]->offset, 0);
	}

	const struct ArrowArray *ids = a->children[0];
	ck_assert_str_eq(s->children[0]->format, "u");
	ck_assert_int_eq(ids->null_count, 1);
	ck_assert_str_eq(utf8_at(ids, 0, buf, sizeof buf), "甲");
	ck_assert_ptr_null(utf8_at(ids, 1, buf, sizeof buf));
	ck_assert_str_eq(utf8_at(ids, 2, buf, sizeof buf), "C3");

	/* record 0 passes every rule, record 1 fails every one, record 2 has
	 * no facts */
	for (int64_t c = 1; c <= 6; c++) {
		const struct ArrowSchema *cs = s->children[c];
		const struct ArrowArray *ca = a->children[c];
		ck_assert_str_eq(cs->format, "c");
		ck_assert_ptr_nonnull(cs->dictionary);
		ck_assert_str_eq(cs->dictionary->format, "u");
		ck_assert_int_eq(ca->null_count, 0);
		ck_assert_str_eq(dict_at(ca, cs, 0, buf, sizeof buf), "pass");
		ck_assert_str_eq(dict_at(ca, cs, 1, buf, sizeof buf), "fail");
		ck_assert_str_eq(dict_at(ca, cs, 2, buf, sizeof buf), "unknown");
	}
	/* the verdict dictionary: index = rulebook_verdict - 1 */
	static const char *verdicts[] = {"pass", "fail", "not_applicable", "exempt",
					 "unknown", "not_in_force", "error"};
	const struct ArrowArray *vd = a->children[1]->dictionary;
	ck_assert_int_eq(vd->length, 7);
	for (int64_t v = 0; v < 7; v++) {
		ck_assert_str_eq(utf8_at(vd, v, buf, sizeof buf), verdicts[v]);
		ck_assert_str_eq(verdicts[v], rulebook_verdict_str((rulebook_verdict)(v + 1)));
	}

	/* classes: high from 100; the third record's cannot be decided */
	static const char *classes[3][3] = {{"high", "low", NULL}, {"low", "low", NULL},
					    {"low", "low", NULL}};
	static const char *sc[] = {"sn", "sa", "sk"};
	for (int k = 0; k < 3; k++) {
		char name[16];
		snprintf(name, sizeof name, "%s.class", sc[k]);
		int64_t c = column(s, name);
		const struct ArrowSchema *cs = s->children[c];
		const struct ArrowArray *ca = a->children[c];
		ck_assert_str_eq(cs->format, "s");
		ck_assert_int_eq(ca->null_count, 1);
		for (int64_t i = 0; i < 3; i++) {
			const char *got = dict_at(ca, cs, i, buf, sizeof buf);
			if (classes[k][i])
				ck_assert_str_eq(got, classes[k][i]);
			else
				ck_assert_ptr_null(got);
		}
		const struct ArrowArray *cd = ca->dictionary;
		ck_assert_int_eq(cd->length, 5);
		ck_assert_str_eq(utf8_at(cd, 0, buf, sizeof buf), "high");
		ck_assert_str_eq(utf8_at(cd, 1, buf, sizeof buf), "low");
		ck_assert_str_eq(utf8_at(cd, 2, buf, sizeof buf), "not_rated");
		ck_assert_str_eq(utf8_at(cd, 3, buf, sizeof buf), "not_in_force");
		ck_assert_str_eq(utf8_at(cd, 4, buf, sizeof buf), "error");
	}

	/* scores at the fewest places that hold them: 150.25 and -3 at scale
	 * 2; 12.5 and 0.125 亩 at 3; 3 and 0 at 0 */
	static const char *formats[] = {"d:38,2", "d:38,3", "d:38,0"};
	static const int64_t unscaled[3][2] = {{15025, -300}, {12500, 125}, {3, 0}};
	for (int k = 0; k < 3; k++) {
		char name[16];
		snprintf(name, sizeof name, "%s.score", sc[k]);
		int64_t c = column(s, name);
		const struct ArrowArray *ca = a->children[c];
		ck_assert_str_eq(s->children[c]->format, formats[k]);
		ck_assert_int_eq(ca->n_buffers, 2);
		ck_assert_int_eq(ca->null_count, 1);
		ck_assert(valid_at(ca, 0) && valid_at(ca, 1) && !valid_at(ca, 2));
		ck_assert_int_eq(dec_at(ca, 0), unscaled[k][0]);
		ck_assert_int_eq(dec_at(ca, 1), unscaled[k][1]);
	}
}

START_TEST(test_batch)
{
	struct ArrowSchema s;
	struct ArrowArray a;
	ck_assert_int_eq(rulebook_population_results_arrow(pop, &s, &a, err), RULEBOOK_OK);
	/* a copy: the batch outlives the population */
	rulebook_population_free(pop);
	pop = NULL;
	check_batch(&s, &a);
	s.release(&s);
	a.release(&a);
	ck_assert(s.release == NULL);
	ck_assert(a.release == NULL);
}
END_TEST

/* A consumer may move a child out and release it after its parent. */
START_TEST(test_move_child)
{
	struct ArrowSchema s, moved_s;
	struct ArrowArray a, moved_a;
	ck_assert_int_eq(rulebook_population_results_arrow(pop, &s, &a, err), RULEBOOK_OK);
	int64_t c = column(&s, "sn.class");
	moved_a = *a.children[c];
	a.children[c]->release = NULL;
	moved_s = *s.children[c];
	s.children[c]->release = NULL;
	a.release(&a);
	s.release(&s);
	char buf[16];
	ck_assert_str_eq(dict_at(&moved_a, &moved_s, 0, buf, sizeof buf), "high");
	moved_a.release(&moved_a);
	moved_s.release(&moved_s);
	ck_assert(moved_a.release == NULL);
}
END_TEST

START_TEST(test_stream)
{
	struct ArrowArrayStream st;
	ck_assert_int_eq(rulebook_population_results_arrow_stream(pop, &st, err), RULEBOOK_OK);
	rulebook_population_free(pop);
	pop = NULL;
	struct ArrowSchema s1, s2;
	ck_assert_int_eq(st.get_schema(&st, &s1), 0);
	ck_assert_int_eq(st.get_schema(&st, &s2), 0); /* a new copy every time */
	ck_assert_ptr_ne(s1.children, s2.children);
	struct ArrowArray a;
	ck_assert_int_eq(st.get_next(&st, &a), 0);
	ck_assert(a.release != NULL);
	check_batch(&s1, &a);
	s1.release(&s1);
	check_batch(&s2, &a);
	s2.release(&s2);
	struct ArrowArray end;
	ck_assert_int_eq(st.get_next(&st, &end), 0);
	ck_assert(end.release == NULL); /* the end of the stream */
	ck_assert_ptr_null(st.get_last_error(&st));
	st.release(&st);
	ck_assert(st.release == NULL);
	a.release(&a); /* the batch taken is the caller's */
}
END_TEST

/* A stream released before its batch was taken frees the batch too. */
START_TEST(test_stream_unread)
{
	struct ArrowArrayStream st;
	ck_assert_int_eq(rulebook_population_results_arrow_stream(pop, &st, err), RULEBOOK_OK);
	st.release(&st);
	ck_assert(st.release == NULL);
}
END_TEST

/* Stand-ins that a failed call must overwrite with NULL. */
static void schema_release_never(struct ArrowSchema *s)
{
	(void)s;
	ck_abort_msg("released a schema the call did not make");
}

static void array_release_never(struct ArrowArray *a)
{
	(void)a;
	ck_abort_msg("released an array the call did not make");
}

START_TEST(test_empty_and_errors)
{
	rulebook_population *empty = rulebook_population_new(rb, 20230630);
	struct ArrowSchema s;
	struct ArrowArray a;
	ck_assert_int_eq(rulebook_population_results_arrow(empty, &s, &a, err), RULEBOOK_OK);
	ck_assert_int_eq(a.length, 0);
	ck_assert_int_eq(s.n_children, 13);
	for (int64_t c = 0; c < a.n_children; c++)
		ck_assert_int_eq(a.children[c]->length, 0);
	ck_assert_str_eq(s.children[8]->format, "d:38,0");
	s.release(&s);
	a.release(&a);
	rulebook_population_free(empty);

	s.release = schema_release_never;
	a.release = array_release_never;
	ck_assert_int_eq(rulebook_population_results_arrow(NULL, &s, &a, err), RULEBOOK_ERR_INVALID);
	ck_assert_str_eq(rulebook_error_message(err, 0),
			 "a population, a schema and an array are required");
	ck_assert(s.release == NULL); /* nothing to release */
	ck_assert(a.release == NULL);
	ck_assert_int_eq(rulebook_population_results_arrow(pop, NULL, &a, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_population_results_arrow(pop, &s, NULL, err), RULEBOOK_ERR_INVALID);
	struct ArrowArrayStream st;
	ck_assert_int_eq(rulebook_population_results_arrow_stream(NULL, &st, err), RULEBOOK_ERR_INVALID);
	ck_assert(st.release == NULL);
	ck_assert_int_eq(rulebook_population_results_arrow_stream(pop, NULL, err), RULEBOOK_ERR_INVALID);
	ck_assert_str_eq(rulebook_error_message(err, 0), "a population and a stream are required");
}
END_TEST

/* A score that decimal128 cannot hold exactly is refused. */
START_TEST(test_score_out_of_range)
{
	rulebook_population *big = rulebook_population_new(rb, 20230630);
	rulebook_facts *f = rulebook_facts_new(rb);
	/* 1e-30 and 1e20: 51 digits at scale 30 */
	set_json(f, "{\"n\": 1e-30}");
	ck_assert_int_eq(rulebook_population_add(big, f, err), RULEBOOK_OK);
	set_json(f, "{\"n\": 1e20}");
	ck_assert_int_eq(rulebook_population_add(big, f, err), RULEBOOK_OK);
	struct ArrowSchema s;
	struct ArrowArray a;
	ck_assert_int_eq(rulebook_population_results_arrow(big, &s, &a, err), RULEBOOK_ERR_RANGE);
	ck_assert(s.release == NULL);
	ck_assert(a.release == NULL);
	ck_assert_uint_eq(rulebook_error_count(err), 1);
	ck_assert_str_eq(rulebook_error_message(err, 0),
			 "the score of record 1 in 'sn' does not fit in decimal128 at scale 30");
	ck_assert_str_eq(rulebook_error_subject(err, 0), "sn");
	rulebook_facts_free(f);
	rulebook_population_free(big);
}
END_TEST

/* A class of error (a parameter makes the benchmark 0 from 2023) comes
 * out as "error", not null, with or without x; in 2022 the record with x
 * has class A and the one without is null (unknown). */
START_TEST(test_class_error)
{
	rulebook *t = load_fixture("class-error.yaml");
	rulebook_facts *f = rulebook_facts_new(t);
	for (int year = 0; year < 2; year++) {
		rulebook_population *p = rulebook_population_new(t, year ? 20230630 : 20220630);
		set_json(f, "{\"x\": 4}");
		ck_assert_int_eq(rulebook_population_add(p, f, err), RULEBOOK_OK);
		rulebook_facts_clear(f);
		ck_assert_int_eq(rulebook_population_add(p, f, err), RULEBOOK_OK);
		struct ArrowSchema s;
		struct ArrowArray a;
		ck_assert_int_eq(rulebook_population_results_arrow(p, &s, &a, err), RULEBOOK_OK);
		int64_t c = column(&s, "s.class");
		char buf[64];
		const char *first = dict_at(a.children[c], s.children[c], 0, buf, sizeof buf);
		ck_assert_str_eq(first, year ? "error" : "A");
		const char *second = dict_at(a.children[c], s.children[c], 1, buf, sizeof buf);
		if (year)
			ck_assert_str_eq(second, "error");
		else
			ck_assert_ptr_null(second);
		ck_assert_int_eq(a.children[c]->null_count, year ? 0 : 1);
		/* as the population's own accessor says */
		ck_assert_str_eq(rulebook_population_class(p, 0, 0), year ? "error" : "A");
		if (year)
			ck_assert_str_eq(rulebook_population_class(p, 1, 0), "error");
		else
			ck_assert_ptr_null(rulebook_population_class(p, 1, 0));
		a.release(&a);
		s.release(&s);
		rulebook_population_free(p);
	}
	rulebook_facts_free(f);
	rulebook_free(t);
}
END_TEST

static Suite *arrow_out_suite(void)
{
	Suite *s = suite_create("arrow-out");
	TCase *tc = tcase_create("results");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_batch);
	tcase_add_test(tc, test_move_child);
	tcase_add_test(tc, test_stream);
	tcase_add_test(tc, test_stream_unread);
	tcase_add_test(tc, test_empty_and_errors);
	tcase_add_test(tc, test_score_out_of_range);
	tcase_add_test(tc, test_class_error);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(arrow_out_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
