/* bench/enterprise-year.yaml by hand: the loop a programmer would write
 * with doubles (or from text cells: strtod per number), NaN for missing
 * values, strcmp for the text inputs and
 * three-valued logic where the rulebook's semantics need it (an `if` whose
 * condition is unknown is unknown). Its answers differ from the exact
 * decimals only where binary rounding lands on the wrong side of a
 * threshold. */
#include "enterprise-year-hand.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { PASS = 1, FAIL = 2, EXEMPT = 4, UNKNOWN = 5 };
enum { T_FALSE = 0, T_TRUE = 1, T_UNKNOWN = 2 };

static inline int ge(double a, double b) { return isnan(a) || isnan(b) ? T_UNKNOWN : a >= b; }
static inline int gt(double a, double b) { return isnan(a) || isnan(b) ? T_UNKNOWN : a > b; }
static inline int le(double a, double b) { return isnan(a) || isnan(b) ? T_UNKNOWN : a <= b; }
static inline int lt(double a, double b) { return isnan(a) || isnan(b) ? T_UNKNOWN : a < b; }

static inline int and3(int a, int b)
{
	if (a == T_FALSE || b == T_FALSE)
		return T_FALSE;
	return a == T_TRUE && b == T_TRUE ? T_TRUE : T_UNKNOWN;
}

/* if c then a else b, three-valued */
static inline int if3(int c, int a, int b)
{
	return c == T_UNKNOWN ? T_UNKNOWN : c ? a : b;
}

static inline uint8_t verdict(int req)
{
	return req == T_UNKNOWN ? UNKNOWN : req ? PASS : FAIL;
}

static inline double capped(double ratio, double cap)
{
	return ratio > cap ? cap : ratio;
}

static int platform_town(const char *t)
{
	return !strcmp(t, "青山湖街道") || !strcmp(t, "锦南街道");
}

static int high_tech(const char *s)
{
	return !strcmp(s, "计算机、通信和其他电子设备制造业") || !strcmp(s, "医药制造业") ||
	       !strcmp(s, "专用设备制造业");
}

/* One record: its verdicts into out[0..YEAR_RULES), its class and score. */
static inline void hand_one(const year_rec *r, uint8_t *out, int8_t *class_out, double *score_out)
{
	const double *x = r->v;
	double land = x[G_LAND], va = x[G_VA];
	double mu_tax = x[G_TAX] / land;
	double mu_va = va / land;
	double lp = va / x[G_EMP];
	double rd_share = x[G_RD] / x[G_REV];
	double ei = x[G_ENERGY] / va;
	double va_per_tce = va / x[G_ENERGY];
	double tax_min = !r->town ? NAN : platform_town(r->town) ? 45 : 37;
	double rd_min = !r->industry ? NAN : high_tech(r->industry) ? 0.03 : 0.023;
	int hcle = if3(gt(ei, 0.8), lt(mu_tax, 10), T_FALSE);

	out[0] = verdict(ge(mu_tax, tax_min));
	out[1] = verdict(ge(mu_va, 180));
	out[2] = verdict(ge(lp, 33));
	out[3] = verdict(gt(rd_share, rd_min));
	out[4] = verdict(le(ei, 0.52));
	out[5] = hcle == T_UNKNOWN ? UNKNOWN : hcle ? FAIL : PASS;

	/* the exception is tried first; a failure it might have excused is unknown */
	int req = if3(and3(gt(x[G_NEW_ENERGY], 0), gt(ei, 0.52)),
		      ge(x[G_SUBST], x[G_NEW_ENERGY] * 1.0), T_TRUE);
	if (r->key_chain == 1)
		out[6] = EXEMPT;
	else if (req == T_FALSE && r->key_chain < 0)
		out[6] = UNKNOWN;
	else
		out[6] = verdict(req);

	/* scorecard: five capped components (R&D counts zero when
	 * missing), scope, veto, cut-offs */
	double rd = capped(rd_share / 0.03, 2);
	double score = 30 * capped(mu_tax / 30, 1.5) + 20 * capped(mu_va / 150, 1.5) +
		       20 * capped(lp / 30, 1.5) + 15 * (isnan(rd) ? 0 : rd) +
		       15 * capped(va_per_tce / 2, 1.5);
	int scope = ge(land, 5);
	int8_t cls;
	if (scope == T_UNKNOWN)
		cls = -1;
	else if (!scope)
		cls = -2, score = NAN;
	else if (hcle == T_TRUE)
		cls = 3;
	else if (hcle == T_UNKNOWN || isnan(score))
		cls = -1;
	else
		cls = score >= 90 ? 0 : score >= 70 ? 1 : score >= 50 ? 2 : 3;
	*class_out = cls;
	*score_out = score;
}

void year_hand_eval(const year_rec *recs, size_t n, uint8_t *verdicts, int8_t *classes,
		    double *scores)
{
	for (size_t i = 0; i < n; i++)
		hand_one(&recs[i], verdicts + i * YEAR_RULES, &classes[i], &scores[i]);
}

void year_hand_eval_text(const char *const *cells, size_t n, uint8_t *verdicts, int8_t *classes,
			 double *scores)
{
	for (size_t i = 0; i < n; i++) {
		const char *const *c = cells + i * YEAR_CELLS;
		year_rec r;
		for (int f = 0; f < G_NUM; f++)
			r.v[f] = c[f] ? strtod(c[f], NULL) : NAN;
		const char *k = c[G_KEY_CHAIN];
		r.key_chain = !k ? -1 : strcmp(k, "true") == 0 ? 1 : strcmp(k, "false") == 0 ? 0 : -1;
		r.name = c[G_NFIELDS + GL_NAME];
		r.industry = c[G_NFIELDS + GL_INDUSTRY];
		r.town = c[G_NFIELDS + GL_TOWN];
		hand_one(&r, verdicts + i * YEAR_RULES, &classes[i], &scores[i]);
	}
}
