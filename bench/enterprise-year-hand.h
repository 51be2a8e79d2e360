/* The reference for bench/enterprise-year.yaml: the same seven verdicts,
 * class and score written by hand in C with doubles. */
#ifndef BENCH_ENTERPRISE_YEAR_HAND_H
#define BENCH_ENTERPRISE_YEAR_HAND_H

#include "gen.h"

#include <stddef.h>
#include <stdint.h>

#define YEAR_RULES 7

/* One record as a programmer would hold it: doubles (NaN when missing),
 * key_chain -1 when missing, text as NUL-terminated strings (NULL when
 * missing). */
typedef struct year_rec {
	double v[G_NUM];
	int8_t key_chain;
	const char *name, *industry, *town;
} year_rec;

/* Verdicts (rulebook_verdict values) of the seven rules into
 * verdicts[YEAR_RULES * i ...], the class of record i into classes[i]
 * (0..3 for A..D, -1 unknown, -2 not rated) and its score into scores[i]
 * (NaN when it cannot be computed; not rated records get NaN too). */
void year_hand_eval(const year_rec *recs, size_t n, uint8_t *verdicts, int8_t *classes,
		    double *scores);

/* Cells per record of year_hand_eval_text: the G_NFIELDS fields of gen.h,
 * then the GL_NFIELDS labels. */
#define YEAR_CELLS (G_NFIELDS + GL_NFIELDS)

/* The same from text cells, as a programmer would read them:
 * cells[i * YEAR_CELLS + k] is record i's NUL-terminated text of cell k
 * (NULL when missing); each number read with strtod (a missing cell is
 * NaN), the key-chain flag "true" or "false", the labels as they are. */
void year_hand_eval_text(const char *const *cells, size_t n, uint8_t *verdicts, int8_t *classes,
			 double *scores);

#endif
