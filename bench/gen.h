/* Deterministic synthetic enterprises for the benchmark. */
#ifndef BENCH_GEN_H
#define BENCH_GEN_H

#include <stddef.h>
#include <stdint.h>

/* Fields in the order of bench/bench.yaml's inputs. Numbers are held as
 * exact hundredths (land in 亩, money in 万元, energy in tce(等价值),
 * employees in 人), so each has an exact decimal text and a nearest double. */
enum {
	G_LAND, G_TAX, G_VA, G_REV, G_RD, G_ENERGY, G_EMP, G_NEW_ENERGY, G_SUBST,
	G_NUM,          /* numeric fields */
	G_KEY_CHAIN = G_NUM, /* boolean */
	G_NFIELDS
};

/* Records built to sit exactly on a threshold (kind != 0). */
enum {
	K_RANDOM, K_MU_TAX, K_MU_VA, K_LP, K_RD, K_EI, K_SUBST, K_SCORE90, K_HCLE, K_SCORE70,
	K_SCORE50, K_SCOPE, K_NKINDS
};

typedef struct gen_rec {
	int64_t v[G_NUM];   /* hundredths */
	uint16_t missing;   /* bit f: field f missing */
	uint8_t key_chain;
	uint8_t kind;
} gen_rec;

extern const char *const gen_field_names[G_NFIELDS];
extern const char *const gen_kind_names[K_NKINDS];

/* Fill out[0..n) from seed; the same seed gives the same records. About
 * 3 % of fields are missing; 1 record in 250 lies exactly on a threshold. */
void gen_records(gen_rec *out, size_t n, uint64_t seed);

/* The exact decimal text of hundredths h ("1158.1", "37", "0.05"); returns
 * the length. buf needs 24 bytes. */
size_t gen_format(int64_t h, char *buf);

static inline double gen_double(int64_t h)
{
	return (double)h / 100.0;
}

#endif
