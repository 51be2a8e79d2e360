/* What every benchmark of bench/ measures with: wall and CPU clocks, a
 * heap-allocation counter installed through rulebook_set_allocator, peak
 * memory, and a line describing the machine. */
#ifndef BENCH_MEASURE_H
#define BENCH_MEASURE_H

#include <rulebook.h>

#include <stddef.h>

/* Route the library's allocations through a counter. */
void measure_count_allocations(void);
/* Allocations (malloc and realloc calls) counted so far. */
long measure_allocations(void);

/* Monotonic wall time in seconds. */
double measure_now(void);
/* CPU time of the calling thread in seconds: less disturbed than wall time
 * when other processes compete for the cores. */
double measure_cpu_now(void);

/* Median of v[0..n) (sorts v). */
double measure_median(double *v, size_t n);
/* qsort comparison of doubles. */
int measure_cmp_double(const void *a, const void *b);

/* Peak resident memory of the process in MB. */
long measure_peak_rss_mb(void);
/* The one-minute load average, or -1. */
double measure_load(void);
/* Print the CPU model, the number of CPUs and the load average. */
void measure_print_machine(void);

/* Median (and *min_out, the minimum) of reps timings of loading and
 * compiling path, in milliseconds; exits on a load error. */
double measure_load_ms(const char *path, int reps, double *min_out);

/* Print "bench: what: message" and exit with status 2. */
void measure_die(const char *what, rulebook_error *err);

#endif
