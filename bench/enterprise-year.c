/* The enterprise-year benchmark: bench/enterprise-year.yaml (seven rules,
 * three text inputs beside ten numeric and boolean ones, two rules written
 * with `if … then … else`, a five-component capped scorecard) evaluated the
 * way a caller does it: one facts object filled per record by index from
 * text cells (rulebook_facts_set_text_at) or from doubles
 * (rulebook_facts_set_double_at, text inputs as text), rulebook_eval, then
 * every record's seven verdicts, class and score read (the score as text,
 * or on one route as a double: rulebook_result_score_double). Everything is
 * timed in one run beside the hand-written double loop
 * (bench/enterprise-year-hand.c) on the same records, so the ratios compare
 * numbers taken on the same machine in the same minute.
 *
 *   bench-enterprise-year [--quick] [--reps N]
 *                         [--profile N [--path text|double|score-double|exact|hand|hand-text]]
 *                         [ENTERPRISE_YEAR_YAML]
 *
 * Prints load + compile time; records/s and the ratio to the hand loop per
 * route on 1 and 2 threads for 10^5 and 10^6 records (--quick: 10^4 and
 * 10^5); there are two hand loops, one on the doubles and one reading the
 * same text cells as the text route (strtod per number), and each route's
 * ratio is given to both; the share of records whose verdicts needed exact
 * decimals and which records they are; heap allocations per record;
 * disagreements with the hand loop (binary rounding) and with an
 * exact-only evaluation (must be none). --profile N evaluates 10^5 records
 * N times on one thread through one route (hand, hand-text: the hand
 * loops), for perf or callgrind. */
#include "enterprise-year-hand.h"
#include "gen.h"
#include "measure.h"

#include <rulebook.h>

#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef ENTERPRISE_YEAR_YAML
#define ENTERPRISE_YEAR_YAML "bench/enterprise-year.yaml"
#endif

#define AS_OF 20230630
#define SEED UINT64_C(0x5eed2023)
#define MAX_THREADS 2
#define NIN (G_NFIELDS + GL_NFIELDS) /* inputs set per record */
_Static_assert(NIN == YEAR_CELLS, "the hand loop from text cells reads the same cells");

static const char *const input_names[NIN] = {
	"land_area", "tax", "value_added", "revenue", "rd_expense", "energy_use", "employees",
	"new_energy_use", "substitution_tce", "is_key_chain_project", "name", "industry", "town",
};

static const char *const rule_ids[YEAR_RULES] = {
	"R1.mu_tax", "R2.mu_value_added", "R3.labour_productivity", "R4.rd_share",
	"R5.energy_efficiency", "R6.hcle", "R7.energy_substitution",
};

/* ---- the data: every record as text cells and as doubles ---- */

typedef struct data {
	size_t n;
	gen_rec *g;
	gen_label *l;
	year_rec *h;          /* doubles and C strings, for the hand loop */
	char *text;           /* the cells, NUL-terminated, one after the other */
	uint32_t (*off)[NIN]; /* offset of each cell in text; UINT32_MAX when missing */
	uint16_t (*len)[NIN];
} data;

static void make_data(data *d, size_t n)
{
	d->n = n;
	d->g = malloc(n * sizeof *d->g);
	d->l = malloc(n * sizeof *d->l);
	d->h = malloc(n * sizeof *d->h);
	d->off = malloc(n * sizeof *d->off);
	d->len = malloc(n * sizeof *d->len);
	size_t cap = n * 96, pos = 0;
	d->text = malloc(cap);
	if (!d->g || !d->l || !d->h || !d->off || !d->len || !d->text)
		measure_die("out of memory", NULL);
	gen_records(d->g, n, SEED);
	gen_labels(d->g, d->l, n, SEED);
	for (size_t i = 0; i < n; i++) {
		const gen_rec *g = &d->g[i];
		const gen_label *l = &d->l[i];
		for (int f = 0; f < NIN; f++) {
			bool missing = f < G_NFIELDS ? (g->missing >> f) & 1
						     : (l->missing >> (f - G_NFIELDS)) & 1;
			if (missing) {
				d->off[i][f] = UINT32_MAX;
				d->len[i][f] = 0;
				continue;
			}
			char *c = d->text + pos;
			size_t len;
			if (f < G_NUM)
				len = gen_format(g->v[f], c);
			else if (f == G_KEY_CHAIN)
				len = (size_t)sprintf(c, "%s", g->key_chain ? "true" : "false");
			else if (f == G_NFIELDS + GL_NAME)
				len = gen_name(i, c);
			else if (f == G_NFIELDS + GL_INDUSTRY)
				len = (size_t)sprintf(c, "%s", gen_industries[l->industry]);
			else
				len = (size_t)sprintf(c, "%s", gen_towns[l->town]);
			d->off[i][f] = (uint32_t)pos;
			d->len[i][f] = (uint16_t)len;
			pos += len + 1;
			if (pos + 96 > cap && i + 1 < n) {
				cap *= 2;
				d->text = realloc(d->text, cap);
				if (!d->text)
					measure_die("out of memory", NULL);
			}
		}
	}
	/* the hand loop's strings point into the final buffer */
	for (size_t i = 0; i < n; i++) {
		const gen_rec *g = &d->g[i];
		year_rec *h = &d->h[i];
		for (int f = 0; f < G_NUM; f++)
			h->v[f] = (g->missing >> f) & 1 ? NAN : gen_double(g->v[f]);
		h->key_chain = (g->missing >> G_KEY_CHAIN) & 1 ? -1 : (int8_t)g->key_chain;
		const char **s[GL_NFIELDS] = {&h->name, &h->industry, &h->town};
		for (int f = 0; f < GL_NFIELDS; f++) {
			uint32_t o = d->off[i][G_NFIELDS + f];
			*s[f] = o == UINT32_MAX ? NULL : d->text + o;
		}
	}
}

static void free_data(data *d)
{
	free(d->g);
	free(d->l);
	free(d->h);
	free(d->off);
	free(d->len);
	free(d->text);
}

/* ---- the routes ---- */

typedef enum { R_TEXT, R_DOUBLE, R_DOUBLE_SCORE, R_EXACT, NROUTES } route;

static const char *const route_names[NROUTES] = {
	"C, text cells (`set_text_at`)",
	"C, doubles (`set_double_at`; text inputs as text)",
	"C, doubles, score as a double (`result_score_double`)",
	"C, text cells, exact decimals only",
};

/* ---- the batch route: a population from a table of text cells ---- */

/* cells[r * NIN + c]: record r's text of input c, NULL when missing. */
static const char **table_cells(const data *d, size_t n)
{
	const char **cells = malloc(n * NIN * sizeof *cells);
	if (!cells)
		measure_die("out of memory", NULL);
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < NIN; k++)
			cells[i * NIN + k] = d->off[i][k] == UINT32_MAX ? NULL : d->text + d->off[i][k];
	return cells;
}

/* rulebook_population_add_table over n records, then every verdict, class
 * and score read in bulk; the CPU time in *cpu. */
static double population_run(const rulebook *rb, const size_t *idx, const char **cells, size_t n,
			     uint8_t *verdicts, int16_t *classes, double *cpu)
{
	double t0 = measure_now(), c0 = measure_cpu_now();
	rulebook_population *pop = rulebook_population_new(rb, AS_OF);
	size_t bad = 0;
	char *scores = NULL;
	size_t len = 0;
	if (!pop ||
	    rulebook_population_add_table(pop, n, idx, NIN, cells, NULL, NULL, &bad, NULL) != RULEBOOK_OK ||
	    bad || rulebook_population_verdicts(pop, verdicts) != RULEBOOK_OK ||
	    rulebook_population_classes(pop, 0, classes) != RULEBOOK_OK ||
	    rulebook_population_scores_text(pop, 0, &scores, &len) != RULEBOOK_OK)
		measure_die("population", NULL);
	rulebook_mem_free(scores);
	rulebook_population_free(pop);
	*cpu = measure_cpu_now() - c0;
	return measure_now() - t0;
}

/* Set the facts of record i by index: every cell as text, or the numbers
 * as doubles. */
static inline void set_record(rulebook_facts *f, const data *d, const size_t *idx, size_t i,
			      route r)
{
	for (int k = 0; k < NIN; k++) {
		uint32_t o = d->off[i][k];
		if (o == UINT32_MAX)
			rulebook_facts_set_missing_at(f, idx[k]);
		else if ((r == R_DOUBLE || r == R_DOUBLE_SCORE) && k < G_NUM)
			rulebook_facts_set_double_at(f, idx[k], d->h[i].v[k], NULL);
		else
			rulebook_facts_set_text_at(f, idx[k], d->text + o, d->len[i][k], NULL);
	}
}

typedef struct job {
	const rulebook *rb;
	const data *d;
	const size_t *idx;
	const char *const *class_ids;
	size_t nclasses;
	size_t from, to;
	route route;
	uint8_t *verdicts;  /* YEAR_RULES per record */
	int8_t *classes;
	uint8_t *exact;     /* per record: the verdicts needed exact decimals */
	double cpu;         /* CPU time the thread used */
	size_t score_bytes; /* the scores read, so that reading them is not skipped */
	double score_sum;   /* the same for scores read as doubles */
} job;

static int8_t class_code(const char *c, const char *const *ids, size_t n)
{
	if (!c)
		return -1;
	for (size_t k = 0; k < n; k++)
		if (c == ids[k])
			return (int8_t)k;
	return strcmp(c, "not_rated") == 0 ? -2 : -3;
}

static void *run_job(void *arg)
{
	job *j = arg;
	double cpu0 = measure_cpu_now();
	rulebook_result *res = rulebook_result_new(j->rb);
	rulebook_facts *f = rulebook_facts_new(j->rb);
	rulebook_result_set_exact_only(res, j->route == R_EXACT);
	j->score_bytes = 0;
	j->score_sum = 0;
	for (size_t i = j->from; i < j->to; i++) {
		set_record(f, j->d, j->idx, i, j->route);
		rulebook_eval(j->rb, f, AS_OF, res, NULL);
		uint8_t *v = j->verdicts + i * YEAR_RULES;
		for (size_t r = 0; r < YEAR_RULES; r++)
			v[r] = (uint8_t)rulebook_result_verdict(res, r);
		j->classes[i] = class_code(rulebook_result_class(res, 0), j->class_ids, j->nclasses);
		if (j->route == R_DOUBLE_SCORE) {
			double score;
			if (rulebook_result_score_double(res, 0, &score) == RULEBOOK_OK)
				j->score_sum += score;
		} else {
			const char *score = rulebook_result_score(res, 0);
			j->score_bytes += score ? (size_t)(unsigned char)score[0] : 0;
		}
		j->exact[i] = (uint8_t)(rulebook_result_decided_exactly(res) == 1);
	}
	rulebook_facts_free(f);
	rulebook_result_free(res);
	j->cpu = measure_cpu_now() - cpu0;
	return NULL;
}

/* Wall time of n records on `threads` threads; *cpu_max gets the CPU time
 * of the busiest thread (the wall time had each thread a core of its own). */
static double run_threads(job proto, size_t n, int threads, double *cpu_max)
{
	pthread_t th[MAX_THREADS];
	job jobs[MAX_THREADS];
	double t0 = measure_now();
	for (int t = 0; t < threads; t++) {
		jobs[t] = proto;
		jobs[t].from = n * (size_t)t / (size_t)threads;
		jobs[t].to = n * (size_t)(t + 1) / (size_t)threads;
		if (threads == 1)
			run_job(&jobs[t]);
		else
			pthread_create(&th[t], NULL, run_job, &jobs[t]);
	}
	if (threads > 1)
		for (int t = 0; t < threads; t++)
			pthread_join(th[t], NULL);
	double wall = measure_now() - t0;
	*cpu_max = 0;
	for (int t = 0; t < threads; t++)
		if (jobs[t].cpu > *cpu_max)
			*cpu_max = jobs[t].cpu;
	return wall;
}

/* Best of reps (the least disturbed run on a shared machine). */
static double best_threads(job proto, size_t n, int threads, int reps, double *cpu)
{
	double best = 1e30, best_cpu = 1e30, c;
	for (int r = 0; r < reps; r++) {
		double t = run_threads(proto, n, threads, &c);
		if (t < best)
			best = t;
		if (c < best_cpu)
			best_cpu = c;
	}
	*cpu = best_cpu;
	return best;
}

/* The hand loop over the doubles, or (cells not NULL) over the text
 * cells, best of reps. */
static double best_hand(const data *d, const char **cells, size_t n, uint8_t *v, int8_t *c,
			double *s, int reps, double *cpu)
{
	double best = 1e30, best_cpu = 1e30;
	for (int r = 0; r < reps; r++) {
		double t0 = measure_now(), c0 = measure_cpu_now();
		if (cells)
			year_hand_eval_text(cells, n, v, c, s);
		else
			year_hand_eval(d->h, n, v, c, s);
		double t = measure_now() - t0, ct = measure_cpu_now() - c0;
		if (t < best)
			best = t;
		if (ct < best_cpu)
			best_cpu = ct;
	}
	*cpu = best_cpu;
	return best;
}

/* ---- checks ---- */

/* Every record evaluated again through both routes and exact-only, every
 * answer compared: verdicts, classes and score texts must be identical to
 * exact-only evaluation; differences from the hand loop are counted (they
 * are binary rounding) and the first few listed. Returns the number of
 * records that differ from exact-only evaluation. */
static size_t check_all(const rulebook *rb, const data *d, size_t n, const size_t *idx,
			const char *const *class_ids, size_t nclasses, const uint8_t *hv,
			const int8_t *hc, const double *hs)
{
	rulebook_result *fast = rulebook_result_new(rb), *fast_d = rulebook_result_new(rb);
	rulebook_result *ex = rulebook_result_new(rb);
	rulebook_facts *f = rulebook_facts_new(rb), *fd = rulebook_facts_new(rb);
	rulebook_result_set_exact_only(ex, 1);
	size_t differ = 0, hand_by_rule[YEAR_RULES + 2] = {0}, hand_records = 0, listed = 0;
	for (size_t i = 0; i < n; i++) {
		set_record(f, d, idx, i, R_TEXT);
		set_record(fd, d, idx, i, R_DOUBLE);
		rulebook_eval(rb, f, AS_OF, fast, NULL);
		rulebook_eval(rb, fd, AS_OF, fast_d, NULL);
		rulebook_eval(rb, f, AS_OF, ex, NULL);
		bool bad = false, hand = false;
		for (size_t r = 0; r < YEAR_RULES; r++) {
			rulebook_verdict v = rulebook_result_verdict(ex, r);
			bad |= rulebook_result_verdict(fast, r) != v || rulebook_result_verdict(fast_d, r) != v;
			if (hv[i * YEAR_RULES + r] != (uint8_t)v) {
				hand_by_rule[r]++;
				hand = true;
			}
		}
		const char *c = rulebook_result_class(ex, 0);
		bad |= rulebook_result_class(fast, 0) != c || rulebook_result_class(fast_d, 0) != c;
		int8_t cc = class_code(c, class_ids, nclasses);
		if (cc != hc[i]) {
			hand_by_rule[YEAR_RULES]++;
			hand = true;
		}
		const char *s = rulebook_result_score(ex, 0), *sf = rulebook_result_score(fast, 0),
			   *sd = rulebook_result_score(fast_d, 0);
		bad |= (s == NULL) != (sf == NULL) || (s == NULL) != (sd == NULL) ||
		       (s && (strcmp(s, sf) != 0 || strcmp(s, sd) != 0));
		double xs = s ? strtod(s, NULL) : NAN;
		if (isnan(xs) != isnan(hs[i]) || (!isnan(xs) && fabs(xs - hs[i]) > 1e-9 * fabs(xs))) {
			hand_by_rule[YEAR_RULES + 1]++;
			hand = true;
		}
		hand_records += hand;
		if (bad) {
			differ++;
			if (listed++ < 5)
				printf("  record %zu differs from exact-only evaluation\n", i);
		}
	}
	printf("  %zu records: %zu differ from exact-only evaluation (verdicts, class or score text); "
	       "the hand loop differs in %zu records:",
	       n, differ, hand_records);
	for (size_t r = 0; r < YEAR_RULES + 2; r++)
		if (hand_by_rule[r])
			printf(" %s %zu", r < YEAR_RULES ? rule_ids[r] : r == YEAR_RULES ? "class" : "score",
			       hand_by_rule[r]);
	printf("\n");
	rulebook_facts_free(f);
	rulebook_facts_free(fd);
	rulebook_result_free(fast);
	rulebook_result_free(fast_d);
	rulebook_result_free(ex);
	return differ;
}

/* Which records needed exact decimals: by how the generator built them. */
static void exact_share(const data *d, size_t n, const uint8_t *exact, const char *route_name)
{
	size_t by_kind[K_NKINDS] = {0}, of_kind[K_NKINDS] = {0}, total = 0;
	for (size_t i = 0; i < n; i++) {
		of_kind[d->g[i].kind]++;
		if (exact[i]) {
			by_kind[d->g[i].kind]++;
			total++;
		}
	}
	printf("  %s: %zu of %zu records (%.2f %%) needed exact decimals:", route_name, total, n,
	       100.0 * (double)total / (double)n);
	for (int k = 0; k < K_NKINDS; k++)
		if (by_kind[k])
			printf(" %s %zu/%zu;", k ? gen_kind_names[k] : "random records", by_kind[k],
			       of_kind[k]);
	printf("\n");
}

/* Heap allocations per record once the facts and result have been used:
 * the loop of run_job, counted after a warm-up. */
static double steady_allocs(const job *j, size_t n)
{
	rulebook_result *res = rulebook_result_new(j->rb);
	rulebook_facts *f = rulebook_facts_new(j->rb);
	rulebook_result_set_exact_only(res, j->route == R_EXACT);
	long a0 = 0;
	size_t sum = 0, warm = n < 1000 ? n : 1000;
	for (size_t k = 0; k < warm + n; k++) {
		if (k == warm)
			a0 = measure_allocations();
		size_t i = k % n;
		set_record(f, j->d, j->idx, i, j->route);
		rulebook_eval(j->rb, f, AS_OF, res, NULL);
		for (size_t r = 0; r < YEAR_RULES; r++)
			sum += (size_t)rulebook_result_verdict(res, r);
		sum += rulebook_result_class(res, 0) != NULL;
		double score;
		if (j->route == R_DOUBLE_SCORE)
			sum += rulebook_result_score_double(res, 0, &score) == RULEBOOK_OK;
		else
			sum += rulebook_result_score(res, 0) != NULL;
	}
	double per = (double)(measure_allocations() - a0) / (double)n;
	rulebook_facts_free(f);
	rulebook_result_free(res);
	return sum ? per : -1;
}

/* ---- main ---- */

typedef struct row {
	size_t n;
	double hand, hand_cpu;
	double hand_text, hand_text_cpu; /* the hand loop from text cells */
	double wall1[NROUTES], cpu1[NROUTES], wall2[NROUTES], cpu2[NROUTES];
	size_t exact[NROUTES];
	double allocs[NROUTES];
	double pop, pop_cpu;
} row;

int main(int argc, char **argv)
{
	const char *yaml = ENTERPRISE_YEAR_YAML;
	int quick = 0, reps = 3, profile = 0;
	route profile_route = R_TEXT;
	int profile_hand = 0; /* 1: the hand loop on doubles, 2: on text cells */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0)
			quick = 1;
		else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
			reps = atoi(argv[++i]);
		else if (strcmp(argv[i], "--profile") == 0 && i + 1 < argc)
			profile = atoi(argv[++i]);
		else if (strcmp(argv[i], "--path") == 0 && i + 1 < argc) {
			i++;
			profile_hand = strcmp(argv[i], "hand") == 0	   ? 1
				       : strcmp(argv[i], "hand-text") == 0 ? 2
									   : 0;
			profile_route = strcmp(argv[i], "double") == 0	  ? R_DOUBLE
					: strcmp(argv[i], "score-double") == 0 ? R_DOUBLE_SCORE
					: strcmp(argv[i], "exact") == 0	  ? R_EXACT
									  : R_TEXT;
		} else
			yaml = argv[i];
	}
	if (reps < 1)
		reps = 1;
	measure_count_allocations();
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = NULL;
	if (rulebook_load_file(yaml, NULL, &rb, err) != RULEBOOK_OK)
		measure_die(yaml, err);
	if (rulebook_rule_count(rb) != YEAR_RULES || rulebook_scorecard_count(rb) != 1)
		measure_die("enterprise-year.yaml must have 7 rules and one scorecard", NULL);
	for (size_t r = 0; r < YEAR_RULES; r++)
		if (strcmp(rulebook_rule_id(rb, r), rule_ids[r]) != 0)
			measure_die("enterprise-year.yaml's rule order differs from the hand loop", NULL);
	size_t idx[NIN];
	for (int k = 0; k < NIN; k++)
		if (rulebook_input_index(rb, input_names[k], strlen(input_names[k]), &idx[k]) != RULEBOOK_OK)
			measure_die(input_names[k], NULL);
	const char *class_ids[4];
	size_t nclasses = rulebook_scorecard_class_count(rb, 0);
	for (size_t k = 0; k < nclasses && k < 4; k++)
		class_ids[k] = rulebook_scorecard_class_id(rb, 0, k);

	data d;
	if (profile) {
		make_data(&d, 100000);
		uint8_t *v = malloc(d.n * YEAR_RULES), *ex = malloc(d.n);
		int8_t *c = malloc(d.n);
		job proto = {rb, &d, idx, class_ids, nclasses, 0, 0, profile_route, v, c, ex, 0, 0, 0};
		const char **cells = profile_hand == 2 ? table_cells(&d, d.n) : NULL;
		double *hs = malloc(d.n * sizeof *hs);
		if (!v || !ex || !c || !hs)
			measure_die("out of memory", NULL);
		double cpu, best = 1e30, t0 = measure_now(), c0 = measure_cpu_now();
		for (int r = 0; r < profile; r++) {
			double t = profile_hand ? best_hand(&d, cells, d.n, v, c, hs, 1, &cpu)
						: run_threads(proto, d.n, 1, &cpu);
			if (t < best)
				best = t;
		}
		printf("%.0f ns/record wall, %.0f cpu, best run %.0f\n",
		       (measure_now() - t0) / profile / (double)d.n * 1e9,
		       (measure_cpu_now() - c0) / profile / (double)d.n * 1e9, best / (double)d.n * 1e9);
		return 0;
	}

	size_t sizes[2] = {quick ? 10000 : 100000, quick ? 100000 : 1000000};
	printf("rulebook %s enterprise-year benchmark, as of %d, seed %#llx, best of %d runs\n",
	       rulebook_version(), AS_OF, (unsigned long long)SEED, reps);
	measure_print_machine();
	double mn, md = measure_load_ms(yaml, 25, &mn);
	printf("load + compile %s: %.3f ms median of 25 (min %.3f)\n", yaml, md, mn);

	make_data(&d, sizes[1]);
	uint8_t *rv = malloc(d.n * YEAR_RULES), *hv = malloc(d.n * YEAR_RULES), *ex = malloc(d.n);
	int8_t *rc = malloc(d.n), *hc = malloc(d.n);
	double *hs = malloc(d.n * sizeof *hs);
	if (!rv || !hv || !ex || !rc || !hc || !hs)
		measure_die("out of memory", NULL);
	row rows[2];
	size_t differ = 0;
	for (int s = 0; s < 2; s++) {
		size_t n = sizes[s];
		row *w = &rows[s];
		w->n = n;
		printf("\n== %zu records ==\n", n);
		w->hand = best_hand(&d, NULL, n, hv, hc, hs, reps + 2, &w->hand_cpu);
		{
			/* the hand loop from the text cells: the same answers */
			const char **cells = table_cells(&d, n);
			uint8_t *tv = malloc(n * YEAR_RULES);
			int8_t *tc = malloc(n);
			double *ts = malloc(n * sizeof *ts);
			if (!tv || !tc || !ts)
				measure_die("out of memory", NULL);
			w->hand_text = best_hand(&d, cells, n, tv, tc, ts, reps + 2, &w->hand_text_cpu);
			size_t tdiff = 0;
			for (size_t i = 0; i < n; i++)
				tdiff += memcmp(tv + i * YEAR_RULES, hv + i * YEAR_RULES, YEAR_RULES) != 0 ||
					 tc[i] != hc[i] ||
					 (isnan(ts[i]) ? !isnan(hs[i]) : ts[i] != hs[i]);
			printf("  hand loop from text cells (strtod): %zu records differ from the hand loop on doubles\n",
			       tdiff);
			free(cells);
			free(tv);
			free(tc);
			free(ts);
		}
		job proto = {rb, &d, idx, class_ids, nclasses, 0, 0, R_TEXT, rv, rc, ex, 0, 0, 0};
		for (int r = 0; r < NROUTES; r++) {
			proto.route = (route)r;
			double cpu;
			run_threads(proto, n < 20000 ? n : 20000, 1, &cpu); /* warm up */
			w->wall1[r] = best_threads(proto, n, 1, reps, &w->cpu1[r]);
			w->exact[r] = 0;
			for (size_t i = 0; i < n; i++)
				w->exact[r] += ex[i];
			if (r != R_EXACT)
				exact_share(&d, n, ex, route_names[r]);
			w->wall2[r] = best_threads(proto, n, 2, reps, &w->cpu2[r]);
			w->allocs[r] = s == 0 ? steady_allocs(&proto, n) : rows[0].allocs[r];
		}
		{
			const char **cells = table_cells(&d, n);
			uint8_t *pv = malloc(n * YEAR_RULES);
			int16_t *pc = malloc(n * sizeof *pc);
			if (!pv || !pc)
				measure_die("out of memory", NULL);
			w->pop = w->pop_cpu = 1e30;
			for (int r = 0; r < reps; r++) {
				double cpu, t = population_run(rb, idx, cells, n, pv, pc, &cpu);
				if (t < w->pop)
					w->pop = t;
				if (cpu < w->pop_cpu)
					w->pop_cpu = cpu;
			}
			/* the same verdicts and classes as record by record */
			size_t pdiff = 0;
			for (size_t i = 0; i < n; i++)
				pdiff += memcmp(pv + i * YEAR_RULES, rv + i * YEAR_RULES, YEAR_RULES) != 0 ||
					 pc[i] != rc[i];
			if (pdiff)
				printf("  population: %zu records differ from the record-by-record route\n", pdiff);
			differ += pdiff;
			free(cells);
			free(pv);
			free(pc);
		}
		if (s == 1 || quick)
			differ += check_all(rb, &d, n, idx, class_ids, nclasses, hv, hc, hs);
	}

	printf("\n== table: records/s, best of %d; ratio = time per record / the hand loop's, same run ==\n",
	       reps);
	printf("(load average at the end %.2f; every route reads each record's 7 verdicts, class and score;\n"
	       " 2-thread speed-up by wall time and by the busiest thread's CPU time)\n\n",
	       measure_load());
	printf("(ratio: to the hand loop on doubles; text ratio (CPU): to the hand loop reading the same text cells, strtod per number)\n\n");
	printf("| records | route | 1 thread, wall | ratio | 1 thread, CPU | ratio | text ratio (CPU) | exact decimals | 2 threads, wall | speed-up (wall) | speed-up (CPU) | allocations/record |\n");
	printf("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	for (int s = 0; s < 2; s++) {
		row *w = &rows[s];
		double n = (double)w->n;
		printf("| %zu | hand-written loop (doubles, strcmp) | %.2f M/s | 1 | %.2f M/s | 1 | %.2f× | | | | | |\n",
		       w->n, n / w->hand / 1e6, n / w->hand_cpu / 1e6, w->hand_cpu / w->hand_text_cpu);
		printf("| %zu | hand-written loop from text cells (strtod, strcmp) | %.2f M/s | %.2f× | %.2f M/s | %.2f× | 1 | | | | | |\n",
		       w->n, n / w->hand_text / 1e6, w->hand_text / w->hand, n / w->hand_text_cpu / 1e6,
		       w->hand_text_cpu / w->hand_cpu);
		for (int r = 0; r < NROUTES; r++)
			printf("| %zu | %s | %.2f M/s | %.1f× | %.2f M/s | %.1f× | %.1f× | %.2f %% | %.2f M/s | %.2f× | %.2f× | %.4f |\n",
			       w->n, route_names[r], n / w->wall1[r] / 1e6, w->wall1[r] / w->hand,
			       n / w->cpu1[r] / 1e6, w->cpu1[r] / w->hand_cpu,
			       w->cpu1[r] / w->hand_text_cpu, 100.0 * (double)w->exact[r] / n,
			       n / w->wall2[r] / 1e6, w->wall1[r] / w->wall2[r], w->cpu1[r] / w->cpu2[r],
			       w->allocs[r]);
		printf("| %zu | C, population: `add_table` (text cells), verdicts, classes, scores in bulk | %.2f M/s | %.1f× | %.2f M/s | %.1f× | %.1f× | | | | | |\n",
		       w->n, n / w->pop / 1e6, w->pop / w->hand, n / w->pop_cpu / 1e6,
		       w->pop_cpu / w->hand_cpu, w->pop_cpu / w->hand_text_cpu);
	}
	for (int s = 0; s < 2; s++)
		printf("\n%zu records, text cells route by CPU time: %.1f× the hand loop on doubles, %.1f× the hand loop from text cells",
		       rows[s].n, rows[s].cpu1[R_TEXT] / rows[s].hand_cpu,
		       rows[s].cpu1[R_TEXT] / rows[s].hand_text_cpu);
	printf("\n");
	printf("\npeak RSS %ld MB; %zu records differ from exact-only evaluation\n",
	       measure_peak_rss_mb(), differ);

	free(rv);
	free(hv);
	free(ex);
	free(rc);
	free(hc);
	free(hs);
	free_data(&d);
	rulebook_free(rb);
	rulebook_error_free(err);
	rulebook_set_allocator(NULL, NULL, NULL, NULL);
	return differ != 0;
}
