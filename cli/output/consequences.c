/* The consequences a run's records get, for the summary and the workbook:
 * one line per consequence a scorecard declares (in the order written), so
 * that two declarations of one id for one class under different conditions
 * (`when:`) keep their own amounts and clauses, with how many records got
 * it and its amount — one amount, or the lowest and highest when the
 * amount differs by record (a value computed from the record, such as a
 * table looked up by an input's key), and how many records got it without
 * an amount (the value could not be computed). Each consequence a record
 * gets is matched to its declaration by rulebook_result_consequence_index
 * (rulebook_population_consequence_index). Memory depends on the rulebook
 * only. */
#include "../cli.h"

#include <stdlib.h>
#include <string.h>

typedef struct cq_line {
	size_t scorecard, cls;      /* cls: index of the class */
	const char *id, *unit;      /* owned by the rulebook */
	const char *cite;           /* the declaration's citation, owned by the rulebook; NULL: none */
	uint64_t records, unknown;  /* records it applies to; of them, without an amount */
	char *lo, *hi;              /* lowest and highest amount; NULL before the first */
} cq_line;

struct cli_consequences {
	const rulebook *rb;
	cq_line *lines;
	size_t nlines;
	size_t *start;              /* scorecard k's lines: lines[start[k] .. start[k + 1]) */
};

void cli_consequences_free(cli_consequences *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nlines; i++) {
		free(c->lines[i].lo);
		free(c->lines[i].hi);
	}
	free(c->lines);
	free(c->start);
	free(c);
}

static size_t class_index(const rulebook *rb, size_t k, const char *cls)
{
	size_t n = rulebook_scorecard_class_count(rb, k);
	for (size_t i = 0; cls && i < n; i++)
		if (strcmp(rulebook_scorecard_class_id(rb, k, i), cls) == 0)
			return i;
	return SIZE_MAX;
}

cli_consequences *cli_consequences_new(const rulebook *rb)
{
	cli_consequences *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->rb = rb;
	size_t nk = rulebook_scorecard_count(rb), total = 0;
	for (size_t k = 0; k < nk; k++)
		total += rulebook_scorecard_consequence_count(rb, k);
	c->lines = calloc(total + 1, sizeof(*c->lines));
	c->start = calloc(nk + 1, sizeof(*c->start));
	if (!c->lines || !c->start) {
		cli_consequences_free(c);
		return NULL;
	}
	/* line start[k] + j is scorecard k's declaration j */
	for (size_t k = 0; k < nk; k++) {
		c->start[k] = c->nlines;
		for (size_t j = 0; j < rulebook_scorecard_consequence_count(rb, k); j++) {
			cq_line *l = &c->lines[c->nlines++];
			l->scorecard = k;
			l->cls = class_index(rb, k, rulebook_scorecard_consequence_class(rb, k, j));
			l->id = rulebook_scorecard_consequence_id(rb, k, j);
			l->unit = rulebook_scorecard_consequence_unit(rb, k, j);
			l->cite = rulebook_scorecard_consequence_cite(rb, k, j);
			if (l->cite && !l->cite[0])
				l->cite = NULL;
		}
	}
	c->start[nk] = c->nlines;
	return c;
}

/* Keep a copy of value in *slot (the old one when memory runs out). */
static void keep(char **slot, const char *value)
{
	char *copy = strdup(value);
	if (!copy)
		return;
	free(*slot);
	*slot = copy;
}

/* A record got scorecard k's declaration j with this value (NULL: none). */
static void count(cli_consequences *c, size_t k, size_t j, const char *value)
{
	if (j >= c->start[k + 1] - c->start[k])
		return;
	cq_line *l = &c->lines[c->start[k] + j];
	l->records++;
	int cmp;
	if (!value) {
		l->unknown++;
	} else if (!l->lo) {
		keep(&l->lo, value);
		keep(&l->hi, value);
	} else if (cli_decimal_cmp(value, l->lo, &cmp) && cmp < 0) {
		keep(&l->lo, value);
	} else if (cli_decimal_cmp(value, l->hi, &cmp) && cmp > 0) {
		keep(&l->hi, value);
	}
}

void cli_consequences_add(cli_consequences *c, rulebook_result *res)
{
	for (size_t k = 0; k < rulebook_scorecard_count(c->rb); k++) {
		size_t n = rulebook_result_consequence_count(res, k);
		for (size_t j = 0; j < n; j++)
			count(c, k, rulebook_result_consequence_index(res, k, j),
			      rulebook_result_consequence_value(res, k, j));
	}
}

void cli_consequences_population(cli_consequences *c, rulebook_population *pop)
{
	for (size_t i = 0; i < c->nlines; i++) {
		cq_line *l = &c->lines[i];
		free(l->lo);
		free(l->hi);
		l->lo = l->hi = NULL;
		l->records = l->unknown = 0;
	}
	size_t n = rulebook_population_size(pop);
	for (size_t r = 0; r < n; r++) {
		for (size_t k = 0; k < rulebook_scorecard_count(c->rb); k++) {
			size_t nq = rulebook_population_consequence_count(pop, r, k);
			for (size_t j = 0; j < nq; j++)
				count(c, k, rulebook_population_consequence_index(pop, r, k, j),
				      rulebook_population_consequence_value(pop, r, k, j));
		}
	}
}

size_t cli_consequences_first(const cli_consequences *c, size_t k)
{
	return c->start[k];
}

size_t cli_consequences_end(const cli_consequences *c, size_t k)
{
	return c->start[k + 1];
}

/* "0.1 元/kWh", "100 %": a figure for people and its unit. */
static void amount_text(char *out, size_t size, const char *value, const char *unit)
{
	char num[160];
	snprintf(out, size, "%s%s%s", cli_people(value, num, sizeof num), unit[0] ? " " : "",
		 unit);
}

bool cli_consequences_line(const cli_consequences *c, size_t i, bool en, cli_consequence_line *out)
{
	if (i >= c->nlines)
		return false;
	const cq_line *l = &c->lines[i];
	out->scorecard = l->scorecard;
	out->id = l->id;
	out->cls = rulebook_scorecard_class_id(c->rb, l->scorecard, l->cls);
	if (!out->cls)
		out->cls = "";
	out->cite = l->cite;
	out->records = l->records;
	int cmp = 0;
	bool one = l->lo && cli_decimal_cmp(l->lo, l->hi, &cmp) && cmp == 0;
	char lo[200], hi[200], none[80] = "";
	if (l->unknown)
		snprintf(none, sizeof none, en ? "%llu not computable" : "%llu 个金额无法计算",
			 (unsigned long long)l->unknown);
	if (!l->lo) {
		snprintf(out->amount, sizeof out->amount, "%s",
			 en ? "not computable" : "金额无法计算");
	} else if (one) {
		amount_text(lo, sizeof lo, l->lo, l->unit);
		if (l->unknown)
			snprintf(out->amount, sizeof out->amount, en ? "%s (%s)" : "%s（%s）", lo, none);
		else
			snprintf(out->amount, sizeof out->amount, "%s", lo);
	} else {
		/* the amount differs by record: never one figure, the range */
		char num[160], num2[160];
		const char *a = cli_people(l->lo, num, sizeof num);
		const char *b = cli_people(l->hi, num2, sizeof num2);
		if (a && b && strcmp(a, b) == 0) { /* apart only beyond 4 decimals: every digit */
			a = l->lo;
			b = l->hi;
		}
		snprintf(lo, sizeof lo, "%s", a);
		snprintf(hi, sizeof hi, "%s%s%s", b, l->unit[0] ? " " : "", l->unit);
		snprintf(out->amount, sizeof out->amount,
			 en ? "%s–%s (varies by record%s%s)" : "%s～%s（因对象而异%s%s）", lo, hi,
			 l->unknown ? (en ? ", " : "，") : "", none);
	}
	return true;
}
