/* bench/bench.yaml by hand: the loop a programmer would write with
 * doubles, NaN for missing values and three-valued conditions where the
 * rulebook's semantics need them. It is the speed reference; its answers
 * differ from the exact decimals only where binary rounding lands on the
 * wrong side of a threshold. */
#include "handloop.h"

#include <math.h>

enum { PASS = 1, FAIL = 2, NOT_APPLICABLE = 3, EXEMPT = 4, UNKNOWN = 5 };
enum { T_FALSE = 0, T_TRUE = 1, T_UNKNOWN = 2 };

void hand_from_gen(const gen_rec *g, hand_rec *h)
{
	for (int f = 0; f < G_NUM; f++)
		h->v[f] = g->missing & (1u << f) ? NAN : gen_double(g->v[f]);
	h->key_chain = g->missing & (1u << G_KEY_CHAIN) ? -1 : (int8_t)g->key_chain;
}

static inline int ge(double a, double b) { return isnan(a) ? T_UNKNOWN : a >= b; }
static inline int gt(double a, double b) { return isnan(a) ? T_UNKNOWN : a > b; }
static inline int le(double a, double b) { return isnan(a) ? T_UNKNOWN : a <= b; }
static inline int lt(double a, double b) { return isnan(a) ? T_UNKNOWN : a < b; }

static inline int and3(int a, int b)
{
	if (a == T_FALSE || b == T_FALSE)
		return T_FALSE;
	return a == T_TRUE && b == T_TRUE ? T_TRUE : T_UNKNOWN;
}

static inline uint8_t verdict(int req)
{
	return req == T_UNKNOWN ? UNKNOWN : req ? PASS : FAIL;
}

static inline double capped(double ratio, double cap)
{
	return ratio > cap ? cap : ratio;
}

void hand_eval(const hand_rec *recs, size_t n, uint8_t *verdicts, int8_t *classes)
{
	for (size_t i = 0; i < n; i++) {
		const double *x = recs[i].v;
		uint8_t *out = verdicts + i * HAND_RULES;
		double land = x[G_LAND], va = x[G_VA];
		double mu_tax = x[G_TAX] / land;
		double mu_va = va / land;
		double lp = va / x[G_EMP];
		double rd_share = x[G_RD] / x[G_REV];
		double ei = x[G_ENERGY] / va;
		double va_per_tce = va / x[G_ENERGY];
		int hcle = and3(gt(ei, 0.8), lt(mu_tax, 10));

		out[0] = verdict(ge(mu_tax, 37));
		out[1] = verdict(ge(mu_va, 180));
		out[2] = verdict(ge(lp, 33));
		out[3] = verdict(gt(rd_share, 0.023));
		out[4] = verdict(le(ei, 0.52));
		out[5] = hcle == T_UNKNOWN ? UNKNOWN : hcle ? FAIL : PASS;

		int when = and3(gt(x[G_NEW_ENERGY], 0), gt(ei, 0.52));
		if (when == T_UNKNOWN) {
			out[6] = UNKNOWN;
		} else if (!when) {
			out[6] = NOT_APPLICABLE;
		} else if (recs[i].key_chain == 1) {
			out[6] = EXEMPT;
		} else {
			int req = ge(x[G_SUBST], x[G_NEW_ENERGY] * 1.0);
			out[6] = req == T_FALSE && recs[i].key_chain < 0 ? UNKNOWN : verdict(req);
		}

		/* scorecard: scope, veto, five capped components, cut-offs */
		int scope = ge(land, 5);
		int8_t cls;
		if (scope == T_UNKNOWN) {
			cls = -1;
		} else if (!scope) {
			cls = -2;
		} else if (hcle == T_TRUE) {
			cls = 3;
		} else if (hcle == T_UNKNOWN) {
			cls = -1;
		} else {
			double rd = capped(rd_share / 0.03, 2);
			double score = 30 * capped(mu_tax / 30, 1.5) + 20 * capped(mu_va / 150, 1.5) +
				       20 * capped(lp / 30, 1.5) + 15 * (isnan(rd) ? 0 : rd) +
				       15 * capped(va_per_tce / 2, 1.5);
			cls = isnan(score) ? -1 : score >= 90 ? 0 : score >= 70 ? 1 : score >= 50 ? 2 : 3;
		}
		classes[i] = cls;
	}
}
