/* rulebook benchmark: everything in one run, so ratios compare numbers
 * taken on the same machine at the same time.
 *
 *   bench [--quick] [--reps N] [--profile N [--path prepared|text|double]]
 *         [BENCH_YAML [RULES_DIR]]
 *
 * Prints: load+compile time of bench.yaml and of each rulebook in rules/linan;
 * single-record latency (median, p99) of bench.yaml and the Lin'an
 * enterprise rulebook; population throughput on 1 and 2 threads for 10^5
 * and 10^6 records against the hand-written loop (bench/handloop.c); heap
 * allocations per record; peak memory; the cost of explanations; and every
 * disagreement between the exact decimals and the doubles. --quick uses
 * 10^4 and 10^5 records. --profile N only evaluates 10^5 records N times
 * on one thread (for perf or callgrind), through prepared facts or facts
 * set from text or doubles (--path). */
#include "gen.h"
#include "handloop.h"
#include "measure.h"

#include <rulebook.h>

#include <dirent.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef BENCH_YAML
#define BENCH_YAML "bench/bench.yaml"
#endif
#ifndef RULES_DIR
#define RULES_DIR "rules"
#endif

#define AS_OF 20230630
#define SEED UINT64_C(0x5eed2023)
#define POOL 1024        /* prepared facts for the latency runs */
#define MAX_THREADS 2

/* ---- the data ---- */

typedef struct data {
	size_t n;
	gen_rec *g;
	hand_rec *h;
	char *text;        /* NUL-separated decimal texts */
	uint32_t (*off)[G_NUM];
	uint8_t (*len)[G_NUM];
} data;

static void make_data(data *d, size_t n)
{
	d->n = n;
	d->g = malloc(n * sizeof *d->g);
	d->h = malloc(n * sizeof *d->h);
	d->off = malloc(n * sizeof *d->off);
	d->len = malloc(n * sizeof *d->len);
	d->text = malloc(n * G_NUM * 12 + 1);
	if (!d->g || !d->h || !d->off || !d->len || !d->text)
		measure_die("out of memory", NULL);
	gen_records(d->g, n, SEED);
	size_t pos = 0;
	for (size_t i = 0; i < n; i++) {
		hand_from_gen(&d->g[i], &d->h[i]);
		for (int f = 0; f < G_NUM; f++) {
			d->off[i][f] = (uint32_t)pos;
			d->len[i][f] = (uint8_t)gen_format(d->g[i].v[f], d->text + pos);
			pos += d->len[i][f] + 1;
		}
	}
}

/* Input index of each generator field in rb, or SIZE_MAX. */
static void map_inputs(const rulebook *rb, size_t *idx)
{
	for (int f = 0; f < G_NFIELDS; f++)
		if (rulebook_input_index(rb, gen_field_names[f], strlen(gen_field_names[f]), &idx[f]) !=
		    RULEBOOK_OK)
			idx[f] = SIZE_MAX;
}

typedef enum { SET_TEXT, SET_DOUBLE } set_mode;

/* Set the facts of record i by index. */
static inline void set_record(rulebook_facts *f, const data *d, const size_t *idx, size_t i,
			      set_mode mode)
{
	const gen_rec *g = &d->g[i];
	for (int k = 0; k < G_NUM; k++) {
		if (idx[k] == SIZE_MAX)
			continue;
		if (g->missing & (1u << k))
			rulebook_facts_set_missing_at(f, idx[k]);
		else if (mode == SET_TEXT)
			rulebook_facts_set_decimal_at(f, idx[k], d->text + d->off[i][k], d->len[i][k], NULL);
		else
			rulebook_facts_set_double_at(f, idx[k], d->h[i].v[k], NULL);
	}
	if (idx[G_KEY_CHAIN] != SIZE_MAX) {
		if (g->missing & (1u << G_KEY_CHAIN))
			rulebook_facts_set_missing_at(f, idx[G_KEY_CHAIN]);
		else
			rulebook_facts_set_text_at(f, idx[G_KEY_CHAIN], g->key_chain ? "true" : "false",
						   g->key_chain ? 4 : 5, NULL);
	}
}

/* Inputs of the Lin'an enterprise rulebook beyond the generator's fields. */
static void set_linan_extras(const rulebook *rb, rulebook_facts *f, size_t i)
{
	static const struct {
		const char *name, *v0, *v1;
	} extra[] = {
		{"above_scale", "true", "true"},
		{"is_manufacturing", "true", "false"},
		{"energy_intensity_base", "0.6", "1.3"},
		{"electricity_use", "800", "120.5"},
		{"water_use", "30000", "1200"},
		{"gas_use", "100000", "0"},
		{"has_violation", "false", "true"},
		{"rectification_deadline", "2023-03-31", "2023-09-30"},
		{"rectified", "false", "true"},
		{"remedy_path", "改造提升", "未确定"},
		{"digitally_transformed", "true", "false"},
		{"mujun_class", "C", "D"},
		{"differential_pricing_applied", "true", "false"},
		{"land_use_tax_relief", "false", "true"},
		{"pollutant_emission", "12.5", "3"},
	};
	for (size_t k = 0; k < sizeof extra / sizeof extra[0]; k++) {
		size_t at;
		if (rulebook_input_index(rb, extra[k].name, strlen(extra[k].name), &at) != RULEBOOK_OK)
			continue;
		const char *v = (i >> (k % 5)) & 1 ? extra[k].v1 : extra[k].v0;
		rulebook_facts_set_text_at(f, at, v, strlen(v), NULL);
	}
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- single-record latency ---- */

static double timer_overhead_ns(void)
{
	double v[10001];
	for (int i = 0; i < 10001; i++) {
		double t0 = measure_now();
		v[i] = (measure_now() - t0) * 1e9;
	}
	return measure_median(v, 10001);
}

typedef struct lat {
	double med, p99;
} lat;

static lat summarize(double *v, size_t n, double overhead)
{
	qsort(v, n, sizeof *v, measure_cmp_double);
	lat l = {v[n / 2] - overhead, v[n * 99 / 100] - overhead};
	return l;
}

static rulebook_facts **prepare_pool(const rulebook *rb, const data *d, const size_t *idx,
				     bool linan)
{
	rulebook_facts **pool = malloc(POOL * sizeof *pool);
	for (size_t i = 0; i < POOL; i++) {
		pool[i] = rulebook_facts_new(rb);
		if (!pool[i])
			measure_die("out of memory", NULL);
		set_record(pool[i], d, idx, i, SET_TEXT);
		if (linan)
			set_linan_extras(rb, pool[i], i);
	}
	return pool;
}

static void free_pool(rulebook_facts **pool)
{
	for (size_t i = 0; i < POOL; i++)
		rulebook_facts_free(pool[i]);
	free(pool);
}

/* Median and p99 of rulebook_eval alone over prepared facts. */
static lat latency_eval(const rulebook *rb, rulebook_facts **pool, size_t evals, double ovh)
{
	rulebook_result *res = rulebook_result_new(rb);
	double *v = malloc(evals * sizeof *v);
	for (size_t i = 0; i < 20000; i++)
		rulebook_eval(rb, pool[i % POOL], AS_OF, res, NULL);
	for (size_t i = 0; i < evals; i++) {
		const rulebook_facts *f = pool[i % POOL];
		double t0 = measure_now();
		rulebook_eval(rb, f, AS_OF, res, NULL);
		v[i] = (measure_now() - t0) * 1e9;
	}
	lat l = summarize(v, evals, ovh);
	free(v);
	rulebook_result_free(res);
	return l;
}

/* The same, setting every input of the record by index first. */
static lat latency_set_eval(const rulebook *rb, const data *d, const size_t *idx, size_t evals,
			    set_mode mode, double ovh)
{
	rulebook_result *res = rulebook_result_new(rb);
	rulebook_facts *f = rulebook_facts_new(rb);
	double *v = malloc(evals * sizeof *v);
	for (size_t i = 0; i < 20000; i++) {
		set_record(f, d, idx, i % d->n, mode);
		rulebook_eval(rb, f, AS_OF, res, NULL);
	}
	for (size_t i = 0; i < evals; i++) {
		size_t r = i % d->n;
		double t0 = measure_now();
		set_record(f, d, idx, r, mode);
		rulebook_eval(rb, f, AS_OF, res, NULL);
		v[i] = (measure_now() - t0) * 1e9;
	}
	lat l = summarize(v, evals, ovh);
	free(v);
	rulebook_facts_free(f);
	rulebook_result_free(res);
	return l;
}

/* ---- population throughput ---- */

typedef enum { RUN_PREPARED, RUN_SET_TEXT, RUN_SET_DOUBLE, RUN_EXACT } run_mode;

typedef struct job {
	const rulebook *rb;
	const data *d;
	const size_t *idx;
	rulebook_facts *const *prepared;
	const char *const *class_ids;
	size_t nclasses;
	size_t from, to;
	run_mode mode;
	uint8_t *verdicts;  /* HAND_RULES per record */
	int8_t *classes;
	double cpu;         /* CPU time the thread used */
	size_t exactly;     /* records whose verdicts were decided in exact decimals */
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
	bool prepared = j->mode == RUN_PREPARED || j->mode == RUN_EXACT;
	rulebook_facts *f = prepared ? NULL : rulebook_facts_new(j->rb);
	rulebook_result_set_exact_only(res, j->mode == RUN_EXACT);
	j->exactly = 0;
	for (size_t i = j->from; i < j->to; i++) {
		const rulebook_facts *in;
		if (prepared) {
			in = j->prepared[i];
		} else {
			set_record(f, j->d, j->idx, i, j->mode == RUN_SET_TEXT ? SET_TEXT : SET_DOUBLE);
			in = f;
		}
		rulebook_eval(j->rb, in, AS_OF, res, NULL);
		uint8_t *v = j->verdicts + i * HAND_RULES;
		for (size_t r = 0; r < HAND_RULES; r++)
			v[r] = (uint8_t)rulebook_result_verdict(res, r);
		j->classes[i] = class_code(rulebook_result_class(res, 0), j->class_ids, j->nclasses);
		j->exactly += rulebook_result_decided_exactly(res) == 1;
	}
	rulebook_facts_free(f);
	rulebook_result_free(res);
	j->cpu = measure_cpu_now() - cpu0;
	return NULL;
}

/* Wall time of n records on `threads` threads; *cpu_max (if given) gets
 * the CPU time of the busiest thread, the wall time had each thread had a
 * core to itself. */
static double run_threads_cpu(job proto, size_t n, int threads, double *cpu_max)
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
	if (cpu_max) {
		*cpu_max = 0;
		for (int t = 0; t < threads; t++)
			if (jobs[t].cpu > *cpu_max)
				*cpu_max = jobs[t].cpu;
	}
	return wall;
}

static double run_threads(job proto, size_t n, int threads)
{
	return run_threads_cpu(proto, n, threads, NULL);
}

/* Best of reps (the least disturbed run on a shared machine); *cpu gets
 * the least busiest-thread CPU time. */
static double best_threads(job proto, size_t n, int threads, int reps, double *cpu)
{
	double best = 1e30, best_cpu = 1e30, c;
	for (int r = 0; r < reps; r++) {
		double t = run_threads_cpu(proto, n, threads, &c);
		if (t < best)
			best = t;
		if (c < best_cpu)
			best_cpu = c;
	}
	if (cpu)
		*cpu = best_cpu;
	return best;
}

static double best_hand(const data *d, size_t n, uint8_t *v, int8_t *c, int reps, double *cpu)
{
	double best = 1e30, best_cpu = 1e30;
	for (int r = 0; r < reps; r++) {
		double t0 = measure_now(), c0 = measure_cpu_now();
		hand_eval(d->h, n, v, c);
		double t = measure_now() - t0, ct = measure_cpu_now() - c0;
		if (t < best)
			best = t;
		if (ct < best_cpu)
			best_cpu = ct;
	}
	*cpu = best_cpu;
	return best;
}

/* ---- disagreements ---- */

static const char *const rule_ids[HAND_RULES] = {
	"R1.mu_tax", "R2.mu_value_added", "R3.labour_productivity", "R4.rd_share",
	"R5.energy_efficiency", "R6.hcle", "R7.energy_substitution",
};
static const char *const rule_value[HAND_RULES] = {
	"mu_tax", "mu_value_added", "labour_productivity", "rd_share", "energy_intensity",
	"energy_intensity", "substitution_tce",
};

static double hand_quantity(const hand_rec *h, int rule)
{
	const double *x = h->v;
	switch (rule) {
	case 0: return x[G_TAX] / x[G_LAND];
	case 1: return x[G_VA] / x[G_LAND];
	case 2: return x[G_VA] / x[G_EMP];
	case 3: return x[G_RD] / x[G_REV] * 100;
	case 4: case 5: return x[G_ENERGY] / x[G_VA];
	default: return x[G_SUBST];
	}
}

static double hand_score(const hand_rec *h)
{
	const double *x = h->v;
	double land = x[G_LAND], va = x[G_VA];
#define CAP(r, c) ((r) > (c) ? (c) : (r))
	double rd = CAP(x[G_RD] / x[G_REV] / 0.03, 2);
	return 30 * CAP(x[G_TAX] / land / 30, 1.5) + 20 * CAP(va / land / 150, 1.5) +
	       20 * CAP(va / x[G_EMP] / 30, 1.5) + 15 * (rd != rd ? 0 : rd) +
	       15 * CAP(va / x[G_ENERGY] / 2, 1.5);
#undef CAP
}

static const char *class_name(int8_t c)
{
	static const char *const n[] = {"A", "B", "C", "D"};
	return c >= 0 && c < 4 ? n[c] : c == -2 ? "not_rated" : c == -1 ? "unknown" : "not_in_force";
}

static void record_text(const data *d, size_t i, char *buf, size_t size)
{
	size_t pos = 0;
	for (int f = 0; f < G_NUM && pos < size; f++) {
		const char *v = d->g[i].missing & (1u << f) ? "-" : d->text + d->off[i][f];
		pos += (size_t)snprintf(buf + pos, size - pos, "%s%s=%s", f ? " " : "", gen_field_names[f], v);
	}
}

/* Count and list disagreements between the rulebook and the hand loop. */
static size_t compare(const rulebook *rb, const data *d, size_t n, const uint8_t *rv,
		      const int8_t *rc, const uint8_t *hv, const int8_t *hc, int listing)
{
	size_t by_rule[HAND_RULES + 1] = {0}, by_kind[K_NKINDS] = {0}, total = 0, records = 0;
	size_t listed[HAND_RULES + 1] = {0};
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	size_t idx[G_NFIELDS];
	map_inputs(rb, idx);
	for (size_t i = 0; i < n; i++) {
		int any = 0;
		for (int r = 0; r <= HAND_RULES; r++) {
			int differ = r < HAND_RULES ? rv[i * HAND_RULES + r] != hv[i * HAND_RULES + r]
						    : rc[i] != hc[i];
			if (!differ)
				continue;
			by_rule[r]++;
			total++;
			any = 1;
			if (listing && listed[r] < 3) {
				char rec[512];
				listed[r]++;
				set_record(f, d, idx, i, SET_TEXT);
				rulebook_eval(rb, f, AS_OF, res, NULL);
				record_text(d, i, rec, sizeof rec);
				if (r < HAND_RULES)
					printf("  #%zu [%s] %s: exact %s (%s = %s), double %s (%.17g)\n", i,
					       gen_kind_names[d->g[i].kind], rule_ids[r],
					       rulebook_verdict_str((rulebook_verdict)rv[i * HAND_RULES + r]),
					       rule_value[r], rulebook_result_value(res, rule_value[r]),
					       rulebook_verdict_str((rulebook_verdict)hv[i * HAND_RULES + r]),
					       hand_quantity(&d->h[i], r));
				else
					printf("  #%zu [%s] class: exact %s (score %s), double %s (%.17g)\n", i,
					       gen_kind_names[d->g[i].kind], class_name(rc[i]),
					       rulebook_result_score(res, 0) ? rulebook_result_score(res, 0) : "-",
					       class_name(hc[i]), hand_score(&d->h[i]));
				printf("      %s\n", rec);
			}
		}
		if (any) {
			records++;
			by_kind[d->g[i].kind]++;
		}
	}
	printf("  disagreements: %zu (in %zu of %zu records)\n", total, records, n);
	for (int r = 0; r <= HAND_RULES; r++)
		if (by_rule[r])
			printf("    %-26s %zu\n", r < HAND_RULES ? rule_ids[r] : "class", by_rule[r]);
	for (int k = 0; k < K_NKINDS; k++)
		if (by_kind[k])
			printf("    records built as %-26s %zu\n", gen_kind_names[k], by_kind[k]);
	rulebook_result_free(res);
	rulebook_facts_free(f);
	return total;
}

/* ---- explanations ---- */

typedef enum { EX_NONE, EX_JSON_VERDICTS, EX_JSON, EX_EXPLAIN } ex_mode;

static double explain_cost(const rulebook *rb, rulebook_facts **prepared, size_t n, ex_mode m,
			   double *allocs_per)
{
	rulebook_result *res = rulebook_result_new(rb);
	const char *out;
	size_t len, sum = 0;
	for (size_t i = 0; i < 2000 && i < n; i++) {
		rulebook_eval(rb, prepared[i], AS_OF, res, NULL);
		rulebook_result_explain(res, 0, &out, &len);
		rulebook_result_json(res, 0, &out, &len);
	}
	long a0 = measure_allocations();
	double t0 = measure_now();
	for (size_t i = 0; i < n; i++) {
		rulebook_eval(rb, prepared[i], AS_OF, res, NULL);
		switch (m) {
		case EX_NONE: sum += (size_t)rulebook_result_verdict(res, 0); break;
		case EX_JSON_VERDICTS: rulebook_result_json(res, RULEBOOK_OUT_VERDICTS, &out, &len); sum += len; break;
		case EX_JSON: rulebook_result_json(res, 0, &out, &len); sum += len; break;
		case EX_EXPLAIN: rulebook_result_explain(res, 0, &out, &len); sum += len; break;
		}
	}
	double t = measure_now() - t0;
	*allocs_per = (double)(measure_allocations() - a0) / (double)n;
	rulebook_result_free(res);
	if (sum == 0)
		printf("(no output)\n");
	return t / (double)n * 1e9;
}

/* ---- allocations ---- */

/* Heap allocations per record once a result has been used: prepared
 * facts, or one facts object reset from text for every record. */
static double steady_allocs(const rulebook *rb, const data *d, const size_t *idx,
			    rulebook_facts *const *prepared, size_t n)
{
	rulebook_result *res = rulebook_result_new(rb);
	rulebook_facts *f = prepared ? NULL : rulebook_facts_new(rb);
	for (size_t i = 0; i < 1000 && i < n; i++) {
		if (f)
			set_record(f, d, idx, i, SET_TEXT);
		rulebook_eval(rb, f ? f : prepared[i], AS_OF, res, NULL);
	}
	long a0 = measure_allocations();
	for (size_t i = 0; i < n; i++) {
		if (f)
			set_record(f, d, idx, i, SET_TEXT);
		rulebook_eval(rb, f ? f : prepared[i], AS_OF, res, NULL);
		(void)rulebook_result_class(res, 0);
	}
	double per = (double)(measure_allocations() - a0) / (double)n;
	rulebook_facts_free(f);
	rulebook_result_free(res);
	return per;
}

/* ---- main ---- */

enum { P_PREPARED, P_EXACT, P_TEXT, P_DOUBLE, NPATHS };

static const char *const path_names[NPATHS] = {
	"rulebook_eval on prepared facts", "the same, exact decimals only",
	"set_decimal_at + rulebook_eval", "set_double_at + rulebook_eval",
};

typedef struct row {
	size_t n;
	double hand, hand_cpu, pop1;
	double wall1[NPATHS], wall2[NPATHS], cpu1[NPATHS], cpu2[NPATHS];
} row;

int main(int argc, char **argv)
{
	const char *yaml = BENCH_YAML, *rules = RULES_DIR;
	int quick = 0, reps = 3, pos = 0, profile = 0;
	run_mode profile_mode = RUN_PREPARED;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0)
			quick = 1;
		else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
			reps = atoi(argv[++i]);
		else if (strcmp(argv[i], "--profile") == 0 && i + 1 < argc)
			profile = atoi(argv[++i]);
		else if (strcmp(argv[i], "--path") == 0 && i + 1 < argc) {
			i++;
			profile_mode = strcmp(argv[i], "text") == 0     ? RUN_SET_TEXT
				       : strcmp(argv[i], "double") == 0 ? RUN_SET_DOUBLE
									: RUN_PREPARED;
		}
		else if (pos == 0 && ++pos)
			yaml = argv[i];
		else if (pos == 1 && ++pos)
			rules = argv[i];
	}
	if (reps < 1)
		reps = 1;
	measure_count_allocations();
	rulebook_error *err = rulebook_error_new();
	size_t sizes[2] = {quick ? 10000 : 100000, quick ? 100000 : 1000000};

	printf("rulebook %s benchmark, as of %d, seed %#llx, best of %d runs\n", rulebook_version(),
	       AS_OF, (unsigned long long)SEED, reps);
	measure_print_machine();

	/* load + compile */
	if (!profile) {
		printf("== load + compile (median of 25, min) ==\n");
		double mn, md = measure_load_ms(yaml, 25, &mn);
		printf("  %-40s %8.3f ms  (min %.3f)\n", yaml, md, mn);
		char dir[1024];
		snprintf(dir, sizeof dir, "%s/linan", rules);
		DIR *dh = opendir(dir);
		char *names[64];
		size_t nn = 0;
		struct dirent *de;
		while (dh && (de = readdir(dh)) && nn < 64) {
			size_t l = strlen(de->d_name);
			if (l > 5 && strcmp(de->d_name + l - 5, ".yaml") == 0)
				names[nn++] = strdup(de->d_name);
		}
		if (dh)
			closedir(dh);
		qsort(names, nn, sizeof *names, by_name);
		if (!nn)
			printf("  (no rulebooks under %s)\n", dir);
		for (size_t k = 0; k < nn; k++) {
			char path[2048];
			snprintf(path, sizeof path, "%s/%s", dir, names[k]);
			md = measure_load_ms(path, 25, &mn);
			printf("  %-40s %8.3f ms  (min %.3f)\n", path, md, mn);
			free(names[k]);
		}
	}

	rulebook *rb = NULL;
	if (rulebook_load_file(yaml, NULL, &rb, err) != RULEBOOK_OK)
		measure_die(yaml, err);
	if (rulebook_rule_count(rb) != HAND_RULES || rulebook_scorecard_count(rb) != 1)
		measure_die("bench.yaml must have 7 rules and one scorecard", NULL);
	for (size_t r = 0; r < HAND_RULES; r++)
		if (strcmp(rulebook_rule_id(rb, r), rule_ids[r]) != 0)
			measure_die("bench.yaml rule order differs from the hand loop", NULL);
	size_t idx[G_NFIELDS];
	map_inputs(rb, idx);
	const char *class_ids[4];
	size_t nclasses = rulebook_scorecard_class_count(rb, 0);
	for (size_t k = 0; k < nclasses && k < 4; k++)
		class_ids[k] = rulebook_scorecard_class_id(rb, 0, k);

	data d;
	if (profile) {
		make_data(&d, 100000);
		rulebook_facts **prepared = malloc(d.n * sizeof *prepared);
		uint8_t *v = malloc(d.n * HAND_RULES);
		int8_t *c = malloc(d.n);
		for (size_t i = 0; i < d.n; i++) {
			prepared[i] = rulebook_facts_new(rb);
			set_record(prepared[i], &d, idx, i, SET_TEXT);
		}
		job proto = {rb, &d, idx, prepared, class_ids, nclasses, 0, 0, profile_mode, v, c, 0, 0};
		double best = 1e30, cpu0 = measure_cpu_now(), t0 = measure_now();
		for (int r = 0; r < profile; r++) {
			double t1 = measure_now();
			run_threads(proto, d.n, 1);
			if (measure_now() - t1 < best)
				best = measure_now() - t1;
		}
		printf("%.0f ns/record wall, %.0f cpu, best run %.0f\n",
		       (measure_now() - t0) / (double)profile / (double)d.n * 1e9,
		       (measure_cpu_now() - cpu0) / (double)profile / (double)d.n * 1e9, best / (double)d.n * 1e9);
		return 0;
	}
	make_data(&d, sizes[1]);
	printf("\n%zu records generated; peak RSS %ld MB\n", d.n, measure_peak_rss_mb());

	/* single-record latency */
	double ovh = timer_overhead_ns();
	size_t nlat = quick ? 50000 : 300000;
	printf("\n== single-record latency (ns, clock overhead %.0f ns subtracted) ==\n", ovh);
	{
		rulebook_facts **pool = prepare_pool(rb, &d, idx, false);
		lat l = latency_eval(rb, pool, nlat, ovh);
		printf("  bench.yaml, eval only           median %7.0f  p99 %7.0f\n", l.med, l.p99);
		l = latency_set_eval(rb, &d, idx, nlat, SET_TEXT, ovh);
		printf("  bench.yaml, set text + eval     median %7.0f  p99 %7.0f\n", l.med, l.p99);
		l = latency_set_eval(rb, &d, idx, nlat, SET_DOUBLE, ovh);
		printf("  bench.yaml, set double + eval   median %7.0f  p99 %7.0f\n", l.med, l.p99);
		free_pool(pool);

		const char *others[] = {"linan/enterprise.yaml", "zhejiang/mujun-evaluation.yaml"};
		for (size_t k = 0; k < 2; k++) {
			char path[2048];
			rulebook *lb = NULL;
			snprintf(path, sizeof path, "%s/%s", rules, others[k]);
			if (rulebook_load_file(path, NULL, &lb, NULL) != RULEBOOK_OK) {
				printf("  %s: not found\n", path);
				continue;
			}
			size_t lidx[G_NFIELDS];
			map_inputs(lb, lidx);
			pool = prepare_pool(lb, &d, lidx, true);
			l = latency_eval(lb, pool, nlat, ovh);
			printf("  %-31s median %7.0f  p99 %7.0f  (%zu rules, %zu inputs)\n", others[k], l.med,
			       l.p99, rulebook_rule_count(lb), rulebook_input_count(lb));
			free_pool(pool);
			rulebook_free(lb);
		}
	}

	/* population throughput */
	uint8_t *rv = malloc(d.n * HAND_RULES), *hv = malloc(d.n * HAND_RULES);
	int8_t *rc = malloc(d.n), *hc = malloc(d.n);
	row rows[2];
	double allocs_prep = 0, allocs_text = 0, allocs_pop = 0;
	size_t disagreements = 0;
	printf("\n== population throughput ==\n");
	for (int s = 0; s < 2; s++) {
		size_t n = sizes[s];
		row *w = &rows[s];
		w->n = n;
		w->hand = best_hand(&d, n, hv, hc, reps + 2, &w->hand_cpu);

		rulebook_facts **prepared = malloc(n * sizeof *prepared);
		for (size_t i = 0; i < n; i++) {
			prepared[i] = rulebook_facts_new(rb);
			if (!prepared[i])
				measure_die("out of memory", NULL);
			set_record(prepared[i], &d, idx, i, SET_TEXT);
		}
		job proto = {rb, &d, idx, prepared, class_ids, nclasses, 0, 0, RUN_PREPARED, rv, rc, 0, 0};
		run_threads(proto, n < 20000 ? n : 20000, 1); /* warm up */
		w->wall1[P_PREPARED] = best_threads(proto, n, 1, reps, &w->cpu1[P_PREPARED]);
		w->wall2[P_PREPARED] = best_threads(proto, n, 2, reps, &w->cpu2[P_PREPARED]);
		if (s == 0) {
			allocs_prep = steady_allocs(rb, &d, idx, prepared, n);
			allocs_text = steady_allocs(rb, &d, idx, NULL, n);
		}
		if (s == 1) {
			printf("  exact decimals vs doubles on %zu records:\n", n);
			disagreements = compare(rb, &d, n, rv, rc, hv, hc, s == 1);
		}
		/* exact decimals only, and what the binary run left to them */
		{
			uint8_t *ev = malloc(n * HAND_RULES);
			int8_t *ec = malloc(n);
			job ex = proto;
			ex.verdicts = ev;
			ex.classes = ec;
			ex.mode = RUN_EXACT;
			w->wall1[P_EXACT] = best_threads(ex, n, 1, reps, &w->cpu1[P_EXACT]);
			w->wall2[P_EXACT] = best_threads(ex, n, 2, reps, &w->cpu2[P_EXACT]);
			proto.from = 0;
			proto.to = n;
			run_job(&proto);
			size_t differ = 0;
			for (size_t i = 0; i < n; i++)
				differ += memcmp(ev + i * HAND_RULES, rv + i * HAND_RULES, HAND_RULES) != 0 ||
					  ec[i] != rc[i];
			printf("  %zu records: %zu (%.2f %%) decided in exact decimals, the rest in binary; "
			       "%zu differ from exact-only evaluation\n",
			       n, proto.exactly, 100.0 * (double)proto.exactly / (double)n, differ);
			free(ev);
			free(ec);
		}

		proto.mode = RUN_SET_TEXT;
		w->wall1[P_TEXT] = best_threads(proto, n, 1, reps, &w->cpu1[P_TEXT]);
		w->wall2[P_TEXT] = best_threads(proto, n, 2, reps, &w->cpu2[P_TEXT]);
		proto.mode = RUN_SET_DOUBLE;
		w->wall1[P_DOUBLE] = best_threads(proto, n, 1, reps, &w->cpu1[P_DOUBLE]);
		w->wall2[P_DOUBLE] = best_threads(proto, n, 2, reps, &w->cpu2[P_DOUBLE]);

		/* rulebook_eval_population: verdicts and scores kept per record */
		double best = 1e30;
		for (int r = 0; r < reps; r++) {
			rulebook_population *pop = NULL;
			long a0 = measure_allocations();
			double t0 = measure_now();
			if (rulebook_eval_population(rb, (const rulebook_facts *const *)prepared, n, AS_OF,
						     &pop, err) != RULEBOOK_OK)
				measure_die("rulebook_eval_population", err);
			double t = measure_now() - t0;
			allocs_pop = (double)(measure_allocations() - a0) / (double)n;
			if (t < best)
				best = t;
			rulebook_population_free(pop);
		}
		w->pop1 = best;

		if (s == 1) {
			printf("\n== explanations (%zu records, 1 thread, prepared facts) ==\n", sizes[0]);
			double ap, base = explain_cost(rb, prepared, sizes[0], EX_NONE, &ap);
			printf("  verdicts only                     %7.0f ns/record  %.2f allocations/record\n",
			       base, ap);
			double t = explain_cost(rb, prepared, sizes[0], EX_JSON_VERDICTS, &ap);
			printf("  + rulebook_result_json(VERDICTS)  %7.0f ns/record  %.2f allocations/record  (x%.1f)\n",
			       t, ap, t / base);
			t = explain_cost(rb, prepared, sizes[0], EX_JSON, &ap);
			printf("  + rulebook_result_json            %7.0f ns/record  %.2f allocations/record  (x%.1f)\n",
			       t, ap, t / base);
			t = explain_cost(rb, prepared, sizes[0], EX_EXPLAIN, &ap);
			printf("  + rulebook_result_explain         %7.0f ns/record  %.2f allocations/record  (x%.1f)\n",
			       t, ap, t / base);
		}
		for (size_t i = 0; i < n; i++)
			rulebook_facts_free(prepared[i]);
		free(prepared);
	}

	printf("\n== heap allocations per record in steady state ==\n");
	printf("  rulebook_eval on prepared facts        %.4f\n", allocs_prep);
	printf("  set_decimal_at + rulebook_eval         %.4f\n", allocs_text);
	printf("  rulebook_eval_population (amortised)   %.4f\n", allocs_pop);
	printf("\npeak RSS: %ld MB\n", measure_peak_rss_mb());

	printf("\n== table: records/s, best of %d; ratio = time / hand-loop time (same run) ==\n", reps);
	printf("(load average at the end %.2f; 2-thread speed-up by wall time and by the busiest\n"
	       " thread's CPU time, which is what the wall time would be with both cores free)\n\n",
	       measure_load());
	printf("| records | path | 1 thread, wall | ratio | 1 thread, CPU time | ratio | 2 threads, wall | speed-up (wall) | speed-up (CPU) |\n");
	printf("|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
	for (int s = 0; s < 2; s++) {
		row *w = &rows[s];
		double n = (double)w->n;
		printf("| %zu | hand-written loop (doubles) | %.1f M/s | 1 | %.1f M/s | 1 | | | |\n", w->n,
		       n / w->hand / 1e6, n / w->hand_cpu / 1e6);
		for (int k = 0; k < NPATHS; k++)
			printf("| %zu | %s | %.2f M/s | %.1f× | %.2f M/s | %.1f× | %.2f M/s | %.2f× | %.2f× |\n",
			       w->n, path_names[k], n / w->wall1[k] / 1e6, w->wall1[k] / w->hand,
			       n / w->cpu1[k] / 1e6, w->cpu1[k] / w->hand_cpu, n / w->wall2[k] / 1e6,
			       w->wall1[k] / w->wall2[k], w->cpu1[k] / w->cpu2[k]);
		printf("| %zu | rulebook_eval_population | %.2f M/s | %.1f× | | | | | |\n", w->n,
		       n / w->pop1 / 1e6, w->pop1 / w->hand);
	}
	printf("\n%zu disagreements between exact decimals and doubles (listed above)\n", disagreements);

	free(rv);
	free(hv);
	free(rc);
	free(hc);
	free(d.g);
	free(d.h);
	free(d.text);
	free(d.off);
	free(d.len);
	rulebook_free(rb);
	rulebook_error_free(err);
	rulebook_set_allocator(NULL, NULL, NULL, NULL);
	return 0;
}
