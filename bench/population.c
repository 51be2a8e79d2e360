/* The batch route: a population from numeric columns, results read in
 * bulk, beside the hand-written loop in the same run.
 *
 *   build-bench/bench/bench-population [--records N] [--reps R] [--rulebook PATH]
 *   build-bench/bench/bench-population --profile 5      (the columns route only, for perf)
 *
 * The records are those of bench/gen.c for bench/enterprise-year.yaml,
 * their nine numeric inputs as column-major doubles (NaN when missing; the
 * text inputs and the key-chain flag are missing), as a data frame or a
 * binding hands them over. Routes, each the best of R rounds taking turns:
 *
 *   hand loop       year_hand_eval over the same doubles
 *   columns/1       rulebook_population_add_columns on one thread, then the
 *                   verdict matrix, the class codes and the scores as
 *                   doubles (rulebook_population_scores_double)
 *   columns/2       the same on two threads (rulebook_population_set_threads)
 *   columns/2 busy  the same, records/s by the busiest thread's CPU time:
 *                   the calling thread's before and after
 *                   rulebook_population_add_columns (making the population,
 *                   reading the results) plus, within it, the larger of the
 *                   calling thread's (its slice) and the other thread's (the
 *                   process's less the calling thread's): the rate two free
 *                   cores give, whatever else the machine runs
 *   columns/1 text  one thread, the exact score texts read as well
 *   partitions/2    the rows in two halves, each added on a thread of its
 *                   own into a population of its own, then merged and the
 *                   results read (what columns/2 did inside the library
 *                   before each thread wrote its slice in place);
 *                   records/s by the busiest thread's CPU time plus the
 *                   merge's and the reading's: the rate two free cores
 *                   give, whatever else the machine runs
 *
 * Records/s by wall clock and by CPU time of the process (all threads);
 * the ratio is to the hand loop's CPU time. Before timing, the routes are
 * checked against each other: verdicts, classes and score texts identical
 * on 1 and 2 threads (exit status 1 otherwise). The share of rows the
 * columnar run leaves to per-record exact evaluation is printed last. */
#include "enterprise-year-hand.h"
#include "gen.h"
#include "measure.h"

#include <rulebook.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define AS_OF 20231231
#define NCOL G_NUM

static double process_cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double thread_cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct out {
	uint8_t *verdicts;
	int16_t *classes;
	double *scores;
	char *text;
} out;

/* One population from the columns on `threads` threads, results read;
 * *busy (when not NULL): the CPU time of the busiest thread, that is the
 * calling thread's outside rulebook_population_add_columns, plus, within
 * it, the larger of the calling thread's and the others' together. */
static void columns_run(const rulebook *rb, const size_t *inputs, const double *values, size_t n,
			size_t threads, int texts, out *o, double *busy)
{
	double t0 = thread_cpu();
	rulebook_error *err = rulebook_error_new();
	rulebook_population *pop = rulebook_population_new(rb, AS_OF);
	if (!pop || rulebook_population_set_threads(pop, threads) != RULEBOOK_OK)
		measure_die("population", err);
	double ta = thread_cpu(), pa = process_cpu();
	if (rulebook_population_add_columns(pop, n, inputs, NCOL, values, NULL, err) != RULEBOOK_OK)
		measure_die("add_columns", err);
	double tb = thread_cpu(), pb = process_cpu();
	if (rulebook_population_size(pop) != n ||
	    rulebook_population_verdicts(pop, o->verdicts) != RULEBOOK_OK ||
	    rulebook_population_classes(pop, 0, o->classes) != RULEBOOK_OK ||
	    rulebook_population_scores_double(pop, 0, o->scores) != RULEBOOK_OK)
		measure_die("population", err);
	rulebook_mem_free(o->text);
	o->text = NULL;
	size_t len;
	if (texts && rulebook_population_scores_text(pop, 0, &o->text, &len) != RULEBOOK_OK)
		measure_die("scores_text", NULL);
	rulebook_population_free(pop);
	rulebook_error_free(err);
	if (busy) {
		double mine = tb - ta, others = (pb - pa) - mine;
		*busy = (ta - t0) + (mine > others ? mine : others) + (thread_cpu() - tb);
	}
}

typedef struct part {
	const rulebook *rb;
	const size_t *inputs;
	const double *values; /* column-major, n rows */
	size_t n;
	rulebook_population *pop;
	double cpu;
} part;

static void *part_run(void *arg)
{
	part *pt = arg;
	double c = thread_cpu();
	pt->pop = rulebook_population_new(pt->rb, AS_OF);
	if (!pt->pop ||
	    rulebook_population_add_columns(pt->pop, pt->n, pt->inputs, NCOL, pt->values, NULL, NULL) !=
		    RULEBOOK_OK)
		measure_die("partition", NULL);
	pt->cpu = thread_cpu() - c;
	return NULL;
}

/* Two halves on two threads, merged, results read; *busiest: the larger
 * thread CPU time plus the merge's and the reading's. */
static void partitions_run(part pt[2], out *o, double *busiest)
{
	pthread_t tid[2];
	for (int k = 0; k < 2; k++)
		if (pthread_create(&tid[k], NULL, part_run, &pt[k]) != 0)
			measure_die("pthread_create", NULL);
	for (int k = 0; k < 2; k++)
		pthread_join(tid[k], NULL);
	double c = thread_cpu();
	rulebook_population *pop = pt[0].pop;
	if (rulebook_population_merge(pop, pt[1].pop, NULL) != RULEBOOK_OK ||
	    rulebook_population_verdicts(pop, o->verdicts) != RULEBOOK_OK ||
	    rulebook_population_classes(pop, 0, o->classes) != RULEBOOK_OK ||
	    rulebook_population_scores_double(pop, 0, o->scores) != RULEBOOK_OK)
		measure_die("merge", NULL);
	c = thread_cpu() - c;
	*busiest = (pt[0].cpu > pt[1].cpu ? pt[0].cpu : pt[1].cpu) + c;
	rulebook_population_free(pt[0].pop);
	rulebook_population_free(pt[1].pop);
}

int main(int argc, char **argv)
{
	size_t n = 100000;
	int reps = 3, profile = 0;
	const char *path = ENTERPRISE_YEAR_YAML;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--records") == 0 && i + 1 < argc)
			n = (size_t)strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
			reps = atoi(argv[++i]);
		else if (strcmp(argv[i], "--profile") == 0 && i + 1 < argc)
			profile = atoi(argv[++i]);
		else if (strcmp(argv[i], "--rulebook") == 0 && i + 1 < argc)
			path = argv[++i];
		else {
			fprintf(stderr, "usage: %s [--records N] [--reps R] [--profile R] [--rulebook PATH]\n",
				argv[0]);
			return 2;
		}
	}
	rulebook *rb = NULL;
	rulebook_error *err = rulebook_error_new();
	if (rulebook_load_file(path, NULL, &rb, err) != RULEBOOK_OK)
		measure_die("load", err);
	size_t inputs[NCOL];
	for (size_t c = 0; c < NCOL; c++)
		if (rulebook_input_index(rb, gen_field_names[c], strlen(gen_field_names[c]), &inputs[c]) !=
		    RULEBOOK_OK)
			measure_die(gen_field_names[c], NULL);

	gen_rec *g = malloc(n * sizeof(gen_rec));
	year_rec *hand = calloc(n, sizeof(year_rec));
	double *values = malloc(n * NCOL * sizeof(double));
	out o[2] = {{0}, {0}};
	for (int k = 0; k < 2; k++) {
		o[k].verdicts = malloc(n * YEAR_RULES);
		o[k].classes = malloc(n * sizeof(int16_t));
		o[k].scores = malloc(n * sizeof(double));
	}
	uint8_t *hv = malloc(n * YEAR_RULES);
	int8_t *hc = malloc(n);
	double *hs = malloc(n * sizeof(double));
	if (!g || !hand || !values || !hv || !hc || !hs || !o[0].verdicts || !o[1].verdicts ||
	    !o[0].classes || !o[1].classes || !o[0].scores || !o[1].scores)
		measure_die("out of memory", NULL);
	gen_records(g, n, 1);
	for (size_t r = 0; r < n; r++) {
		hand[r].key_chain = -1;
		for (size_t c = 0; c < NCOL; c++) {
			double v = g[r].missing >> c & 1 ? NAN : (double)g[r].v[c] / 100;
			values[c * n + r] = v;
			hand[r].v[c] = v;
		}
	}

	if (profile) {
		for (int r = 0; r < profile; r++)
			columns_run(rb, inputs, values, n, 1, 0, &o[0], NULL);
		return 0;
	}

	/* the same answers on one thread and on two */
	columns_run(rb, inputs, values, n, 1, 1, &o[0], NULL);
	columns_run(rb, inputs, values, n, 2, 1, &o[1], NULL);
	if (memcmp(o[0].verdicts, o[1].verdicts, n * YEAR_RULES) != 0 ||
	    memcmp(o[0].classes, o[1].classes, n * sizeof(int16_t)) != 0 ||
	    memcmp(o[0].scores, o[1].scores, n * sizeof(double)) != 0 ||
	    strcmp(o[0].text, o[1].text) != 0) {
		printf("population: 1 and 2 threads differ\n");
		return 1;
	}
	/* the two halves, each column-major */
	size_t half = n / 2;
	double *halves[2] = {malloc((half ? half : 1) * NCOL * sizeof(double)),
			     malloc((n - half) * NCOL * sizeof(double))};
	if (!halves[0] || !halves[1])
		measure_die("out of memory", NULL);
	for (size_t c = 0; c < NCOL; c++) {
		memcpy(halves[0] + c * half, values + c * n, half * sizeof(double));
		memcpy(halves[1] + c * (n - half), values + c * n + half, (n - half) * sizeof(double));
	}
	part pt[2] = {{rb, inputs, halves[0], half, NULL, 0}, {rb, inputs, halves[1], n - half, NULL, 0}};
	double busiest;
	partitions_run(pt, &o[1], &busiest);
	if (memcmp(o[0].verdicts, o[1].verdicts, n * YEAR_RULES) != 0 ||
	    memcmp(o[0].classes, o[1].classes, n * sizeof(int16_t)) != 0 ||
	    memcmp(o[0].scores, o[1].scores, n * sizeof(double)) != 0) {
		printf("population: partitions merged differ from one population\n");
		return 1;
	}
	/* rows the block leaves to rulebook_eval: those whose own binary run
	 * cannot decide them (tests/test-columnar.c checks that the block
	 * decides a row exactly when its own run does) */
	size_t alone = 0;
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	if (!f || !res)
		measure_die("out of memory", NULL);
	for (size_t r = 0; r < n; r++) {
		rulebook_facts_clear(f);
		for (size_t c = 0; c < NCOL; c++)
			if (!isnan(values[c * n + r]) &&
			    rulebook_facts_set_double_at(f, inputs[c], values[c * n + r], err) != RULEBOOK_OK)
				measure_die("set_double_at", err);
		if (rulebook_eval(rb, f, AS_OF, res, err) != RULEBOOK_OK)
			measure_die("eval", err);
		alone += rulebook_result_decided_exactly(res) == 1;
	}
	rulebook_facts_free(f);
	rulebook_result_free(res);
	year_hand_eval(hand, n, hv, hc, hs);
	size_t differ = 0;
	for (size_t r = 0; r < n; r++)
		differ += memcmp(hv + r * YEAR_RULES, o[0].verdicts + r * YEAR_RULES, YEAR_RULES) != 0 ||
			  hc[r] != o[0].classes[r];

	enum { HAND, COL1, COL2, COL2B, TEXT, PART, NRUNS };
	static const char *const names[NRUNS] = {
		"hand loop (doubles)", "columns, 1 thread: verdicts, classes, scores as doubles",
		"columns, 2 threads: the same",
		"columns, 2 threads (CPU: busiest thread)",
		"columns, 1 thread, exact score texts read too",
		"2 partitions on 2 threads, merged (CPU: busiest thread + merge)"};
	double wall[NRUNS], cpu[NRUNS];
	for (int k = 0; k < NRUNS; k++)
		wall[k] = cpu[k] = INFINITY;
	for (int rep = 0; rep < reps; rep++)
		for (int k = 0; k < NRUNS; k++) {
			double w = measure_now(), c = process_cpu(), busy = 0;
			if (k == HAND)
				year_hand_eval(hand, n, hv, hc, hs);
			else if (k == PART)
				partitions_run(pt, &o[1], &busiest);
			else
				columns_run(rb, inputs, values, n, k == COL2 || k == COL2B ? 2 : 1,
					    k == TEXT, &o[0], &busy);
			w = measure_now() - w;
			c = k == PART ? busiest : k == COL2B ? busy : process_cpu() - c;
			wall[k] = w < wall[k] ? w : wall[k];
			cpu[k] = c < cpu[k] ? c : cpu[k];
		}
	measure_print_machine();
	printf("%zu records of %s, best of %d\n\n", n, path, reps);
	printf("| route | records/s (wall) | records/s (CPU) | × hand loop (CPU) |\n|---|---:|---:|---:|\n");
	for (int k = 0; k < NRUNS; k++)
		printf("| %s | %.2f M | %.2f M | %.1f |\n", names[k], (double)n / wall[k] / 1e6,
		       (double)n / cpu[k] / 1e6, cpu[k] / cpu[HAND]);
	printf("\n1 and 2 threads, and 2 partitions merged: identical verdicts, classes and "
	       "scores; the hand loop differs in %zu records (binary rounding on a threshold)\n",
	       differ);
	printf("rows the columnar run left to per-record exact evaluation: %zu (%.2f %%)\n", alone,
	       n ? 100.0 * (double)alone / (double)n : 0.0);
	for (int k = 0; k < 2; k++) {
		free(o[k].verdicts);
		free(o[k].classes);
		free(o[k].scores);
		rulebook_mem_free(o[k].text);
	}
	free(halves[0]);
	free(halves[1]);
	free(g);
	free(hand);
	free(values);
	free(hv);
	free(hc);
	free(hs);
	rulebook_error_free(err);
	rulebook_free(rb);
	return 0;
}
