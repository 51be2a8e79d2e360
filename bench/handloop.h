/* The reference: bench/bench.yaml written by hand in C with doubles. */
#ifndef BENCH_HANDLOOP_H
#define BENCH_HANDLOOP_H

#include "gen.h"

#include <stddef.h>
#include <stdint.h>

#define HAND_RULES 7

/* One record as a programmer would hold it: doubles, NaN when missing;
 * key_chain -1 when missing. */
typedef struct hand_rec {
	double v[G_NUM];
	int8_t key_chain;
} hand_rec;

void hand_from_gen(const gen_rec *g, hand_rec *h);

/* Verdicts (rulebook_verdict values) of the seven rules into
 * verdicts[HAND_RULES * i ...] and the class of record i into classes[i]:
 * 0..3 for A..D, -1 unknown, -2 not rated. */
void hand_eval(const hand_rec *recs, size_t n, uint8_t *verdicts, int8_t *classes);

#endif
