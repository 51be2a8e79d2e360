/* Clocks, allocation counting and the machine line shared by the
 * benchmarks (see measure.h). */
#include "measure.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static atomic_long n_alloc;

static void *c_malloc(size_t n, void *p)
{
	(void)p;
	atomic_fetch_add_explicit(&n_alloc, 1, memory_order_relaxed);
	return malloc(n);
}

static void *c_realloc(void *q, size_t n, void *p)
{
	(void)p;
	atomic_fetch_add_explicit(&n_alloc, 1, memory_order_relaxed);
	return realloc(q, n);
}

static void c_free(void *q, void *p)
{
	(void)p;
	free(q);
}

void measure_count_allocations(void)
{
	rulebook_set_allocator(c_malloc, c_realloc, c_free, NULL);
}

long measure_allocations(void)
{
	return atomic_load_explicit(&n_alloc, memory_order_relaxed);
}

double measure_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double measure_cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int measure_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double measure_median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, measure_cmp_double);
	return v[n / 2];
}

long measure_peak_rss_mb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

double measure_load(void)
{
	double load = -1;
	FILE *f = fopen("/proc/loadavg", "r");
	if (f) {
		if (fscanf(f, "%lf", &load) != 1)
			load = -1;
		fclose(f);
	}
	return load;
}

void measure_print_machine(void)
{
	char line[256], model[128] = "?";
	int cpus = 0;
	FILE *f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof line, f)) {
		if (strncmp(line, "processor", 9) == 0)
			cpus++;
		else if (strncmp(line, "model name", 10) == 0 && model[0] == '?') {
			char *c = strchr(line, ':');
			if (c) {
				snprintf(model, sizeof model, "%s", c + 2);
				model[strcspn(model, "\n")] = '\0';
			}
		}
	}
	if (f)
		fclose(f);
	printf("machine: %s, %d CPUs, load average %.2f at start\n\n", model, cpus, measure_load());
}

double measure_load_ms(const char *path, int reps, double *min_out)
{
	double t[64];
	if (reps > 64)
		reps = 64;
	if (reps < 1)
		reps = 1;
	rulebook_error *err = rulebook_error_new();
	for (int r = 0; r < reps; r++) {
		rulebook *rb = NULL;
		double t0 = measure_now();
		if (rulebook_load_file(path, NULL, &rb, err) != RULEBOOK_OK)
			measure_die(path, err);
		t[r] = (measure_now() - t0) * 1e3;
		rulebook_free(rb);
	}
	rulebook_error_free(err);
	double mn = t[0];
	for (int r = 1; r < reps; r++)
		if (t[r] < mn)
			mn = t[r];
	*min_out = mn;
	return measure_median(t, (size_t)reps);
}

void measure_die(const char *what, rulebook_error *err)
{
	fprintf(stderr, "bench: %s: %s\n", what,
		err && rulebook_error_count(err) ? rulebook_error_message(err, 0) : "failed");
	exit(2);
}
