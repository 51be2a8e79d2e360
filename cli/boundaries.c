/* rulebook test --boundaries: cases generated at each threshold.
 *
 * Everything comes from the public API: the rulebook's test cases
 * (rulebook_test_*), each rule's comparisons with thresholds and, after an
 * evaluation, their exact figures (rulebook_result_comparison), and the
 * inputs the rule uses (rulebook_item_uses).
 *
 * For each rule, the first test case of one record in which the rule
 * passes or fails is the base. For each comparison of its requirement,
 * g(x) = threshold - value (RULEBOOK_GAP_VALUE) is a function of each
 * number input x the rule uses, the others as in the base case. For the
 * first x that g is linear in -- x itself compared with a parameter, or an
 * indicator such as tax / land_area when x is tax -- the value x* with
 * g(x*) = 0 is solved from three evaluations and checked by a fourth to
 * land exactly on the threshold (a solution rounded to 18 digits is
 * rounded further until it does). Then x is set one step below x*, at x*
 * and one step above (the step: one unit of x*'s last decimal, 0.01 at
 * least; 1 for an integer input), and at each point the rule's verdict
 * must be pass exactly where the comparison holds in exact decimals and
 * fail where it does not. Each rule with a comparison so tested counts as
 * one check. Every comparison that could not be tested is listed with the
 * reason. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#define TEXT 256

/* ---- exact decimals as text, through the library ---- */

typedef struct bdec {
	char s[64]; /* plain form, as rulebook_decimal_parse writes it */
} bdec;

static bool dec_parse(const char *text, bdec *out)
{
	return text && rulebook_decimal_parse(text, strlen(text), out->s, sizeof out->s, NULL,
					      NULL) == RULEBOOK_OK;
}

static int dec_cmp(const bdec *a, const bdec *b)
{
	int c = 0;
	rulebook_decimal_compare(a->s, strlen(a->s), b->s, strlen(b->s), &c);
	return c;
}

static int dec_sign(const bdec *a)
{
	return a->s[0] == '-' ? -1 : strcmp(a->s, "0") == 0 ? 0 : 1;
}

static bool dec_calc(const bdec *a, rulebook_decimal_op op, const bdec *b, bdec *out)
{
	bdec r;
	if (rulebook_decimal_calc(a->s, strlen(a->s), op, b->s, strlen(b->s), r.s, sizeof r.s,
				  NULL) != RULEBOOK_OK)
		return false;
	*out = r;
	return true;
}

static bool dec_round(const bdec *a, int places, bdec *out)
{
	bdec r;
	if (rulebook_decimal_format(a->s, strlen(a->s), places, RULEBOOK_ROUND_HALF_UP, 0, r.s,
				    sizeof r.s, NULL) != RULEBOOK_OK)
		return false;
	*out = r;
	return true;
}

/* Digits after the '.' of a plain decimal ("37.05" has 2). */
static int decimals(const bdec *a)
{
	const char *p = strchr(a->s, '.');
	return p ? (int)strlen(p + 1) : 0;
}

/* ---- evaluating a case with one input changed ---- */

typedef struct bctx {
	const char *name;
	const rulebook *rb;
	rulebook_facts *facts;
	rulebook_result *res;
	size_t base;               /* the test case the rule is tried on */
	size_t rule;
	size_t cmp;                /* the comparison being tested */
	bool nomem;
} bctx;

/* Set the facts of case c (record 0) through the API, then x (input
 * index) to value when value is not NULL; evaluate. false when a fact
 * cannot be set or the evaluation fails. */
static bool eval_case(bctx *b, size_t c, size_t x, const bdec *value)
{
	rulebook_facts_clear(b->facts);
	size_t n = rulebook_test_fact_count(b->rb, c, 0);
	for (size_t j = 0; j < n; j++) {
		const char *name = rulebook_test_fact_name(b->rb, c, 0, j);
		const char *v = rulebook_test_fact_value(b->rb, c, 0, j);
		rulebook_status st = RULEBOOK_OK;
		if (strcmp(name, "_id") == 0)
			st = rulebook_facts_set_id(b->facts, v, v ? strlen(v) : 0);
		else if (name[0] == '_')
			continue;
		else if (v)
			st = rulebook_facts_set_text(b->facts, name, v, NULL);
		else
			st = rulebook_facts_set_missing(b->facts, name, NULL);
		if (st != RULEBOOK_OK)
			return false;
	}
	if (value && rulebook_facts_set_decimal_at(b->facts, x, value->s, strlen(value->s), NULL) !=
			     RULEBOOK_OK)
		return false;
	return rulebook_eval(b->rb, b->facts, rulebook_test_as_of(b->rb, c), b->res, NULL) ==
	       RULEBOOK_OK;
}

/* A field of the comparison under test after the last evaluation. */
static const char *field(bctx *b, rulebook_gap_field f)
{
	return rulebook_result_comparison(b->res, b->rule, b->cmp, f);
}

/* g(x) = threshold - value with x at v; false when not computed. */
static bool gap_at(bctx *b, size_t x, const bdec *v, bdec *g)
{
	return eval_case(b, b->base, x, v) && dec_parse(field(b, RULEBOOK_GAP_VALUE), g);
}

/* What the comparison is, for messages: "mu_tax >= min_mu_tax = 37 万元/亩"
 * with the figures of the last evaluation. */
static void describe(bctx *b, char *buf, size_t size)
{
	const char *name = field(b, RULEBOOK_GAP_NAME);
	const char *tname = field(b, RULEBOOK_GAP_THRESHOLD_NAME);
	const char *thr = field(b, RULEBOOK_GAP_THRESHOLD);
	const char *unit = field(b, RULEBOOK_GAP_UNIT);
	const char *op = field(b, RULEBOOK_GAP_OPERATOR);
	snprintf(buf, size, "%s %s %s%s%s%s%s", name ? name : "its left side", op ? op : "?",
		 tname ? tname : "", tname && thr ? " = " : "",
		 thr ? thr : tname ? "" : "its right side", thr && unit && unit[0] ? " " : "",
		 thr && unit ? unit : "");
}

static void print_rule_prefix(bctx *b)
{
	cli_print_position(stdout, b->name,
			   rulebook_item_line(b->rb, RULEBOOK_ITEM_RULE, b->rule),
			   rulebook_item_column(b->rb, RULEBOOK_ITEM_RULE, b->rule));
	fputs("rule '", stdout);
	cli_put_clean(stdout, rulebook_rule_id(b->rb, b->rule));
	fputs("': ", stdout);
}

static void not_tested(bctx *b, const char *what, const char *why)
{
	print_rule_prefix(b);
	fputs("not boundary-tested: ", stdout);
	cli_put_clean(stdout, what);
	fputs(": ", stdout);
	cli_put_clean(stdout, why);
	fputc('\n', stdout);
}

/* ---- solving for the threshold ---- */

typedef struct solution {
	size_t x;                  /* the input */
	bdec at, step;
	char why[TEXT];            /* when there is none: why */
} solution;

/* x* with g(x*) = 0 exactly, from g at x0, x0 + d and x0 + 2d; false with
 * a reason in s->why. */
static bool solve_in(bctx *b, size_t x, bool integer, solution *s)
{
	const char *xname = rulebook_input_name(b->rb, x);
	bdec x0, d, x1, x2, g0, g1, g2, zero;
	dec_parse("0", &zero);
	if (!eval_case(b, b->base, x, NULL) ||
	    !dec_parse(rulebook_result_value(b->res, xname), &x0) || !gap_at(b, x, &x0, &g0)) {
		snprintf(s->why, sizeof s->why, "%s: missing in the case", xname);
		return false;
	}
	if (dec_sign(&x0))
		d = x0;
	else
		dec_parse("1", &d);
	if (x0.s[0] == '-')
		dec_calc(&zero, RULEBOOK_DECIMAL_SUB, &x0, &d);
	if (!dec_calc(&x0, RULEBOOK_DECIMAL_ADD, &d, &x1) ||
	    !dec_calc(&x1, RULEBOOK_DECIMAL_ADD, &d, &x2) || !gap_at(b, x, &x1, &g1) ||
	    !gap_at(b, x, &x2, &g2)) {
		snprintf(s->why, sizeof s->why, "%s: no figures away from the case's value", xname);
		return false;
	}
	bdec d1, d2, curve, slope, q, xs;
	if (!dec_calc(&g1, RULEBOOK_DECIMAL_SUB, &g0, &d1) ||
	    !dec_calc(&g2, RULEBOOK_DECIMAL_SUB, &g1, &d2))
		return false;
	if (dec_sign(&d1) == 0 && dec_sign(&d2) == 0)
		return false; /* does not depend on x: no reason to give */
	/* linear: the second difference is within rounding (10^-12) of the first */
	bdec tol, rel;
	dec_parse("1e-12", &tol);
	if (!dec_calc(&d2, RULEBOOK_DECIMAL_SUB, &d1, &curve) || dec_sign(&d1) == 0 ||
	    !dec_calc(&curve, RULEBOOK_DECIMAL_DIV, &d1, &rel) ||
	    (dec_sign(&rel) < 0 && !dec_calc(&zero, RULEBOOK_DECIMAL_SUB, &rel, &rel)) ||
	    dec_cmp(&rel, &tol) > 0) {
		snprintf(s->why, sizeof s->why, "not linear in %s", xname);
		return false;
	}
	/* x* = x0 - g0 × d / (g1 - g0) */
	if (!dec_calc(&d1, RULEBOOK_DECIMAL_DIV, &d, &slope) ||
	    !dec_calc(&g0, RULEBOOK_DECIMAL_DIV, &slope, &q) ||
	    !dec_calc(&x0, RULEBOOK_DECIMAL_SUB, &q, &xs)) {
		snprintf(s->why, sizeof s->why, "%s: the solution is out of range", xname);
		return false;
	}
	/* the solution as computed, then rounded to fewer and fewer digits
	 * until one lands exactly (18 digits may have rounded it) */
	for (int places = -1; places <= 18; places++) {
		bdec cand = xs, g;
		if (places >= 0 && !dec_round(&xs, places, &cand))
			continue;
		if ((!integer || !decimals(&cand)) && gap_at(b, x, &cand, &g) && dec_sign(&g) == 0) {
			s->x = x;
			s->at = cand;
			/* one unit of the last decimal, 0.01 at least; 1 for integers */
			char step[16] = "1";
			if (!integer)
				snprintf(step, sizeof step, "1e-%d",
					 decimals(&cand) > 2 ? decimals(&cand) : 2);
			return dec_parse(step, &s->step);
		}
	}
	if (integer)
		snprintf(s->why, sizeof s->why,
			 "the threshold lies between two whole values of %s (near %s)", xname, xs.s);
	else
		snprintf(s->why, sizeof s->why,
			 "no value of %s lands exactly on the threshold (near %s)", xname, xs.s);
	return false;
}

/* The number inputs the rule uses, the comparison's own name first. */
static bool solve(bctx *b, solution *s)
{
	char whys[TEXT * 2] = "";
	size_t n = rulebook_item_uses_count(b->rb, RULEBOOK_ITEM_RULE, b->rule);
	const char *own = field(b, RULEBOOK_GAP_NAME);
	size_t own_idx = SIZE_MAX;
	if (own)
		rulebook_input_index(b->rb, own, strlen(own), &own_idx);
	for (size_t k = 0; k <= n; k++) {
		size_t x;
		if (k == 0) {
			if (own_idx == SIZE_MAX)
				continue;
			x = own_idx;
		} else {
			const char *u = rulebook_item_uses(b->rb, RULEBOOK_ITEM_RULE, b->rule, k - 1);
			if (rulebook_input_index(b->rb, u, strlen(u), &x) != RULEBOOK_OK ||
			    x == own_idx)
				continue;
		}
		const char *type = rulebook_input_type(b->rb, x);
		bool integer = strcmp(type, "integer") == 0;
		if (!integer && strcmp(type, "number") != 0)
			continue;
		s->why[0] = '\0';
		if (solve_in(b, x, integer, s))
			return true;
		if (s->why[0] && strlen(whys) + strlen(s->why) + 3 < sizeof whys) {
			if (whys[0])
				strcat(whys, "; ");
			strcat(whys, s->why);
		}
	}
	snprintf(s->why, sizeof s->why, "%s",
		 whys[0] ? whys : "it depends on no number input the rule uses");
	return false;
}

/* ---- checking one comparison ---- */

typedef struct report {
	char ok[1024];             /* "x >= t = 10 人, step 1 人; …" */
	size_t ok_len;
	size_t checked, failed;
} report;

static bool holds(const char *op, int sign_of_value_minus_threshold)
{
	int c = sign_of_value_minus_threshold;
	if (strcmp(op, ">=") == 0)
		return c >= 0;
	if (strcmp(op, ">") == 0)
		return c > 0;
	if (strcmp(op, "<=") == 0)
		return c <= 0;
	if (strcmp(op, "<") == 0)
		return c < 0;
	if (strcmp(op, "==") == 0)
		return c == 0;
	return c != 0;
}

static void check_comparison(bctx *b, report *rep)
{
	char what[TEXT * 2];
	eval_case(b, b->base, 0, NULL);
	describe(b, what, sizeof what);
	if (!field(b, RULEBOOK_GAP_VALUE)) {
		not_tested(b, what, "not computed in the test case (a part not reached, or missing)");
		return;
	}
	/* another part that is unknown or not reached can decide the verdict
	 * by itself (three-valued 'and' and 'or') */
	for (size_t j = 0; j < rulebook_rule_comparison_count(b->rb, b->rule); j++)
		if (j != b->cmp && !rulebook_result_comparison(b->res, b->rule, j, RULEBOOK_GAP_HOLDS)) {
			not_tested(b, what, "another part of the requirement is unknown or not "
					    "reached in the test case");
			return;
		}
	solution s;
	if (!solve(b, &s)) {
		not_tested(b, what, s.why);
		return;
	}
	const char *xname = rulebook_input_name(b->rb, s.x);
	const char *xunit = rulebook_input_unit(b->rb, s.x);
	const char *op = field(b, RULEBOOK_GAP_OPERATOR);
	char opc[4];
	snprintf(opc, sizeof opc, "%s", op ? op : "");
	bdec pts[3];
	dec_calc(&s.at, RULEBOOK_DECIMAL_SUB, &s.step, &pts[0]);
	pts[1] = s.at;
	dec_calc(&s.at, RULEBOOK_DECIMAL_ADD, &s.step, &pts[2]);
	rulebook_verdict got[3];
	bool want[3];
	for (int k = 0; k < 3; k++) {
		bdec g;
		if (!gap_at(b, s.x, &pts[k], &g)) {
			not_tested(b, what, "not computed one step from the threshold");
			return;
		}
		want[k] = holds(opc, -dec_sign(&g)); /* value - threshold = -g */
		got[k] = rulebook_result_verdict(b->res, b->rule);
	}
	if (got[0] == got[1] && got[1] == got[2] &&
	    (got[0] == RULEBOOK_PASS || got[0] == RULEBOOK_FAIL) &&
	    !(want[0] == want[1] && want[1] == want[2])) {
		/* e.g. another part of an 'and' fails in the case */
		not_tested(b, what, "the verdict does not follow it in the test case "
				    "(another part of the requirement decides)");
		return;
	}
	char where[TEXT];
	if (strcmp(xname, field(b, RULEBOOK_GAP_NAME) ? field(b, RULEBOOK_GAP_NAME) : "") == 0)
		where[0] = '\0';
	else
		snprintf(where, sizeof where, " at %s = %s%s%s", xname, s.at.s, xunit[0] ? " " : "",
			 xunit);
	bool ok = true;
	for (int k = 0; k < 3; k++) {
		rulebook_verdict w = want[k] ? RULEBOOK_PASS : RULEBOOK_FAIL;
		if (got[k] == w)
			continue;
		ok = false;
		print_rule_prefix(b);
		fputs("boundary ", stdout);
		cli_put_clean(stdout, what);
		cli_put_clean(stdout, where);
		fputs(": ", stdout);
		cli_put_clean(stdout, xname);
		fputs(" = ", stdout);
		cli_put_clean(stdout, pts[k].s);
		if (xunit[0]) {
			fputc(' ', stdout);
			cli_put_clean(stdout, xunit);
		}
		printf(": expected %s, got %s (other inputs from case '", rulebook_verdict_str(w),
		       rulebook_verdict_str(got[k]));
		cli_put_clean(stdout, rulebook_test_name(b->rb, b->base));
		fputs("')\n", stdout);
	}
	rep->checked++;
	if (!ok) {
		rep->failed++;
		return;
	}
	if (rep->ok_len < sizeof rep->ok) {
		int n = snprintf(rep->ok + rep->ok_len, sizeof rep->ok - rep->ok_len,
				 "%s%s%s, step %s%s%s", rep->ok_len ? "; " : "", what, where, s.step.s,
				 xunit[0] ? " " : "", xunit);
		if (n > 0)
			rep->ok_len += (size_t)n;
	}
}

int cli_boundaries(const char *name, const rulebook *rb, size_t *passed, size_t *failed)
{
	bctx b = {0};
	b.name = name;
	b.rb = rb;
	b.facts = rulebook_facts_new(rb);
	b.res = rulebook_result_new(rb);
	size_t nrules = rulebook_rule_count(rb), ncases = rulebook_test_count(rb);
	/* The verdicts of every rule in every case, to pick each rule's case. */
	uint8_t *verdicts = calloc(ncases * nrules + 1, 1);
	if (!b.facts || !b.res || !verdicts) {
		fprintf(stderr, "%s: out of memory\n", name);
		free(verdicts);
		rulebook_result_free(b.res);
		rulebook_facts_free(b.facts);
		return CLI_TROUBLE;
	}
	for (size_t c = 0; c < ncases; c++)
		if (rulebook_test_is_population(rb, c) == 0 && eval_case(&b, c, 0, NULL))
			for (size_t r = 0; r < nrules; r++)
				verdicts[c * nrules + r] = (uint8_t)rulebook_result_verdict(b.res, r);
	int status = CLI_OK;
	for (size_t r = 0; r < nrules; r++) {
		size_t ncmp = rulebook_rule_comparison_count(rb, r);
		if (!ncmp)
			continue;
		b.rule = r;
		b.base = ncases;
		for (size_t c = 0; c < ncases && b.base == ncases; c++) {
			uint8_t v = verdicts[c * nrules + r];
			if (v == RULEBOOK_PASS || v == RULEBOOK_FAIL)
				b.base = c;
		}
		if (b.base == ncases) {
			print_rule_prefix(&b);
			printf("not boundary-tested: no test case in which it passes or fails "
			       "(%zu comparison%s)\n",
			       ncmp, ncmp == 1 ? "" : "s");
			continue;
		}
		report rep = {0};
		for (size_t j = 0; j < ncmp; j++) {
			b.cmp = j;
			check_comparison(&b, &rep);
		}
		if (!rep.checked)
			continue;
		if (rep.failed) {
			(*failed)++;
			status = CLI_FINDINGS;
		} else {
			(*passed)++;
			print_rule_prefix(&b);
			fputs("boundary OK (", stdout);
			cli_put_clean(stdout, rep.ok);
			fputs(")\n", stdout);
		}
	}
	free(verdicts);
	rulebook_result_free(b.res);
	rulebook_facts_free(b.facts);
	return status;
}
