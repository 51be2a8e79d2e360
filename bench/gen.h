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

/* Text inputs of bench/enterprise-year.yaml: a town and an industry of a
 * Lin'an enterprise, and its name (made from the record's index). */
#define GEN_TOWNS 18
#define GEN_INDUSTRIES 10
#define GEN_PLATFORM_TOWNS 2     /* gen_towns[0..2): the platform towns */
#define GEN_HIGH_TECH 3          /* gen_industries[0..3): high-tech industries */

enum { GL_NAME, GL_INDUSTRY, GL_TOWN, GL_NFIELDS };

typedef struct gen_label {
	uint8_t town, industry;
	uint8_t missing;    /* bit f: label field f missing */
} gen_label;

extern const char *const gen_towns[GEN_TOWNS];
extern const char *const gen_industries[GEN_INDUSTRIES];

/* Labels for records[0..n) from their own seed, so the numbers of
 * gen_records stay as they are. About 3 % of labels are missing; a record
 * built on the 亩均税收 or R&D threshold gets a town or an industry whose
 * threshold is that one (37 万元/亩, 2.3 %). */
void gen_labels(const gen_rec *records, gen_label *out, size_t n, uint64_t seed);

/* The name of record i ("临安样本企业000042"); returns the length. buf needs
 * 48 bytes. */
size_t gen_name(size_t i, char *buf);

static inline double gen_double(int64_t h)
{
	return (double)h / 100.0;
}

#endif
