#include "common.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FUZZ_SOURCE_ROOT
#define FUZZ_SOURCE_ROOT "."
#endif

#define MAX_BOOKS 8

static struct {
	char rel[256];
	rulebook *rb;
} books[MAX_BOOKS];
static size_t nbooks;

static void release_books(void)
{
	for (size_t i = 0; i < nbooks; i++)
		rulebook_free(books[i].rb);
	nbooks = 0;
}

const rulebook *fuzz_rulebook(const char *rel)
{
	for (size_t i = 0; i < nbooks; i++)
		if (strcmp(books[i].rel, rel) == 0)
			return books[i].rb;
	const char *root = getenv("RULEBOOK_SOURCE_ROOT");
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", root && *root ? root : FUZZ_SOURCE_ROOT, rel);
	rulebook *rb = NULL;
	rulebook_error *err = rulebook_error_new();
	if (nbooks == MAX_BOOKS || rulebook_load_file(path, NULL, &rb, err) != RULEBOOK_OK) {
		fprintf(stderr, "fuzz: cannot load %s: %s\n", path, rulebook_error_message(err, 0));
		abort();
	}
	rulebook_error_free(err);
	if (nbooks == 0)
		atexit(release_books);
	snprintf(books[nbooks].rel, sizeof books[nbooks].rel, "%s", rel);
	books[nbooks].rb = rb;
	return books[nbooks++].rb;
}

void fuzz_check_status(rulebook_status st, const rulebook_error *err)
{
	if (st == RULEBOOK_OK) {
		if (rulebook_error_count(err) != 0)
			abort();
		return;
	}
	if (st > RULEBOOK_ERR_TEST || rulebook_error_count(err) == 0 ||
	    rulebook_error_status(err) != st)
		abort();
	for (size_t i = 0; i < rulebook_error_count(err); i++) {
		const char *m = rulebook_error_message(err, i);
		fuzz_check_text(m, strlen(m));
		if (!*m)
			abort();
	}
}

/* Length of the UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char b = s[0];
	size_t len;
	unsigned char lo = 0x80, hi = 0xBF;
	if (b < 0x80)
		return 1;
	if (b >= 0xC2 && b <= 0xDF) {
		len = 2;
	} else if (b >= 0xE0 && b <= 0xEF) {
		len = 3;
		lo = b == 0xE0 ? 0xA0 : 0x80;
		hi = b == 0xED ? 0x9F : 0xBF;
	} else if (b >= 0xF0 && b <= 0xF4) {
		len = 4;
		lo = b == 0xF0 ? 0x90 : 0x80;
		hi = b == 0xF4 ? 0x8F : 0xBF;
	} else {
		return 0;
	}
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t k = 2; k < len; k++)
		if ((s[k] & 0xC0) != 0x80)
			return 0;
	return len;
}

void fuzz_check_text(const char *s, size_t len)
{
	if (!s || s[len] != '\0' || strlen(s) != len)
		abort();
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq(u + i, len - i);
		if (!n)
			abort();
		i += n;
	}
}

/* ---- a strict JSON checker (RFC 8259) ---- */

typedef struct jp {
	const char *s;
	size_t len, i;
} jp;

static void ws(jp *p)
{
	while (p->i < p->len && (p->s[p->i] == ' ' || p->s[p->i] == '\n' || p->s[p->i] == '\r' ||
				 p->s[p->i] == '\t'))
		p->i++;
}

static int lit(jp *p, const char *w)
{
	size_t n = strlen(w);
	if (p->len - p->i < n || memcmp(p->s + p->i, w, n) != 0)
		return 0;
	p->i += n;
	return 1;
}

static int digits(jp *p)
{
	size_t start = p->i;
	while (p->i < p->len && p->s[p->i] >= '0' && p->s[p->i] <= '9')
		p->i++;
	return p->i > start;
}

static int number(jp *p)
{
	if (p->i < p->len && p->s[p->i] == '-')
		p->i++;
	if (p->i < p->len && p->s[p->i] == '0')
		p->i++;
	else if (!digits(p))
		return 0;
	if (p->i < p->len && p->s[p->i] == '.') {
		p->i++;
		if (!digits(p))
			return 0;
	}
	if (p->i < p->len && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
		p->i++;
		if (p->i < p->len && (p->s[p->i] == '+' || p->s[p->i] == '-'))
			p->i++;
		if (!digits(p))
			return 0;
	}
	return 1;
}

static int string(jp *p)
{
	if (p->i >= p->len || p->s[p->i] != '"')
		return 0;
	p->i++;
	while (p->i < p->len) {
		unsigned char c = (unsigned char)p->s[p->i++];
		if (c == '"')
			return 1;
		if (c < 0x20)
			return 0;
		if (c != '\\')
			continue;
		if (p->i >= p->len)
			return 0;
		c = (unsigned char)p->s[p->i++];
		if (c == 'u') {
			for (int k = 0; k < 4; k++, p->i++)
				if (p->i >= p->len || !strchr("0123456789abcdefABCDEF", p->s[p->i]) ||
				    !p->s[p->i])
					return 0;
		} else if (!strchr("\"\\/bfnrt", c) || !c) {
			return 0;
		}
	}
	return 0;
}

static int value(jp *p, int depth)
{
	if (depth > 64)
		return 0;
	ws(p);
	if (p->i >= p->len)
		return 0;
	char c = p->s[p->i];
	if (c == '{' || c == '[') {
		char close = c == '{' ? '}' : ']';
		p->i++;
		ws(p);
		if (p->i < p->len && p->s[p->i] == close) {
			p->i++;
			return 1;
		}
		for (;;) {
			if (c == '{') {
				ws(p);
				if (!string(p))
					return 0;
				ws(p);
				if (p->i >= p->len || p->s[p->i++] != ':')
					return 0;
			}
			if (!value(p, depth + 1))
				return 0;
			ws(p);
			if (p->i >= p->len)
				return 0;
			if (p->s[p->i] == close) {
				p->i++;
				return 1;
			}
			if (p->s[p->i++] != ',')
				return 0;
		}
	}
	if (c == '"')
		return string(p);
	if (c == '-' || (c >= '0' && c <= '9'))
		return number(p);
	return lit(p, "true") || lit(p, "false") || lit(p, "null");
}

void fuzz_check_json(const char *s, size_t len)
{
	fuzz_check_text(s, len);
	jp p = {s, len, 0};
	if (!value(&p, 0))
		abort();
	ws(&p);
	if (p.i != len)
		abort();
}

/* ---- evaluation ---- */

static void check_opt(const char *s)
{
	if (s)
		fuzz_check_text(s, strlen(s));
}

static bool same_text(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* The binary fast path gives the exact route's verdicts, exceptions,
 * classes, vetoes, scores and illustrative marks
 * (rulebook_result_set_exact_only); the score and the marks are read from
 * res first, so they come from its lazily computed exact values. */
static void same_as_exact(const rulebook *rb, const rulebook_facts *facts, int32_t as_of,
			  rulebook_result *res)
{
	rulebook_result *ex = rulebook_result_new(rb);
	if (!ex)
		abort();
	rulebook_result_set_exact_only(ex, 1);
	if (rulebook_eval(rb, facts, as_of, ex, NULL) != RULEBOOK_OK ||
	    rulebook_result_decided_exactly(ex) != 1)
		abort();
	for (size_t i = 0; i < rulebook_rule_count(rb); i++)
		if (rulebook_result_verdict(ex, i) != rulebook_result_verdict(res, i) ||
		    !same_text(rulebook_result_exception(ex, i), rulebook_result_exception(res, i)))
			abort();
	for (size_t i = 0; i < rulebook_scorecard_count(rb); i++)
		if (!same_text(rulebook_result_class(ex, i), rulebook_result_class(res, i)) ||
		    !same_text(rulebook_result_veto(ex, i), rulebook_result_veto(res, i)) ||
		    !same_text(rulebook_result_score(ex, i), rulebook_result_score(res, i)))
			abort();
	for (size_t i = 0; i < rulebook_rule_count(rb); i++)
		if (rulebook_result_illustrative(ex, i) != rulebook_result_illustrative(res, i))
			abort();
	rulebook_result_free(ex);
}

void fuzz_eval_all(const rulebook *rb, const rulebook_facts *facts, rulebook_result *res,
		   int32_t as_of)
{
	if (rulebook_eval(rb, facts, as_of, res, NULL) != RULEBOOK_OK)
		abort();
	same_as_exact(rb, facts, as_of, res);
	uint32_t counts[8];
	rulebook_result_counts(res, counts);
	size_t total = 0;
	for (int v = RULEBOOK_PASS; v <= RULEBOOK_ERROR; v++)
		total += counts[v];
	if (total != rulebook_rule_count(rb))
		abort();
	check_opt(rulebook_result_record_id(res));
	for (size_t i = 0; i < rulebook_rule_count(rb); i++) {
		rulebook_verdict v = rulebook_result_verdict(res, i);
		if (v < RULEBOOK_PASS || v > RULEBOOK_ERROR)
			abort();
		check_opt(rulebook_result_exception(res, i));
		for (size_t j = 0; j < rulebook_result_missing_count(res, i); j++)
			if (!rulebook_result_missing(res, i, j))
				abort();
		for (size_t j = 0; j < rulebook_result_obligation_count(res, i); j++) {
			check_opt(rulebook_result_obligation_name(res, i, j));
			check_opt(rulebook_result_obligation_value(res, i, j));
			check_opt(rulebook_result_obligation_unit(res, i, j));
		}
		check_opt(rulebook_result_message(res, i, "zh"));
		check_opt(rulebook_result_message(res, i, "en"));
		check_opt(rulebook_result_gap(res, i));
	}
	for (size_t i = 0; i < rulebook_input_count(rb); i++)
		check_opt(rulebook_result_value(res, rulebook_input_name(rb, i)));
	for (size_t i = 0; i < rulebook_param_count(rb); i++)
		check_opt(rulebook_result_value(res, rulebook_param_name(rb, i)));
	for (size_t i = 0; i < rulebook_target_count(rb); i++) {
		rulebook_target_status ts = rulebook_result_target_status(res, i);
		if (ts < RULEBOOK_TARGET_MET || ts > RULEBOOK_TARGET_NOT_IN_FORCE)
			abort();
		for (int f = RULEBOOK_TARGET_ACHIEVED; f <= RULEBOOK_TARGET_NEEDED_PER_MONTH; f++)
			check_opt(rulebook_result_target_value(res, i, (rulebook_target_field)f));
	}
	for (size_t i = 0; i < rulebook_scorecard_count(rb); i++) {
		check_opt(rulebook_result_class(res, i));
		check_opt(rulebook_result_score(res, i));
		check_opt(rulebook_result_veto(res, i));
		for (size_t k = 0; k < rulebook_scorecard_component_count(rb, i); k++)
			for (int f = RULEBOOK_COMPONENT_VALUE; f <= RULEBOOK_COMPONENT_POINTS; f++)
				check_opt(rulebook_result_component(res, i, k,
								    (rulebook_component_field)f));
		for (size_t j = 0; j < rulebook_result_consequence_count(res, i); j++) {
			check_opt(rulebook_result_consequence_name(res, i, j));
			check_opt(rulebook_result_consequence_value(res, i, j));
			check_opt(rulebook_result_consequence_unit(res, i, j));
		}
	}
	static const uint32_t flags[] = {0, RULEBOOK_OUT_PRETTY | RULEBOOK_OUT_LANG_EN,
					 RULEBOOK_OUT_VERDICTS};
	for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++) {
		const char *out = NULL;
		size_t len = 0;
		if (rulebook_result_json(res, flags[k], &out, &len) != RULEBOOK_OK)
			abort();
		fuzz_check_json(out, len);
	}
	for (uint32_t f = 0; f <= RULEBOOK_OUT_LANG_EN; f++) {
		const char *out = NULL;
		size_t len = 0;
		if (rulebook_result_explain(res, f, &out, &len) != RULEBOOK_OK)
			abort();
		fuzz_check_text(out, len);
	}
}

void fuzz_population(const rulebook *rb, const rulebook_facts *const *records, size_t n,
		     int32_t as_of)
{
	rulebook_population *pop = NULL;
	if (rulebook_eval_population(rb, records, n, as_of, &pop, NULL) != RULEBOOK_OK || !pop)
		abort();
	rulebook_population *copy = rulebook_population_copy(pop);
	if (!copy || rulebook_population_add(copy, records[0], NULL) != RULEBOOK_OK ||
	    rulebook_population_size(copy) != n + 1)
		abort();
	for (size_t r = 0; r < rulebook_population_size(copy); r++) {
		check_opt(rulebook_population_record_id(copy, r));
		for (size_t k = 0; k < rulebook_scorecard_count(rb); k++) {
			check_opt(rulebook_population_class(copy, r, k));
			check_opt(rulebook_population_score(copy, r, k));
		}
	}
	for (size_t i = 0; i < rulebook_aggregate_count(rb); i++) {
		rulebook_verdict v = rulebook_population_aggregate_verdict(copy, i);
		if (v < RULEBOOK_PASS || v > RULEBOOK_ERROR)
			abort();
		for (int f = RULEBOOK_AGGREGATE_VALUE; f <= RULEBOOK_AGGREGATE_GAP; f++)
			check_opt(rulebook_population_aggregate_value(copy, i,
								      (rulebook_aggregate_field)f));
		for (size_t j = 0; j < rulebook_population_aggregate_record_count(copy, i); j++)
			if (rulebook_population_aggregate_record(copy, i, j) > n)
				abort();
	}
	const char *out = NULL;
	size_t len = 0;
	if (rulebook_population_json(copy, RULEBOOK_OUT_PRETTY, &out, &len) != RULEBOOK_OK)
		abort();
	fuzz_check_json(out, len);
	if (rulebook_population_json(pop, RULEBOOK_OUT_VERDICTS, &out, &len) != RULEBOOK_OK)
		abort();
	fuzz_check_json(out, len);
	rulebook_population_free(copy);
	rulebook_population_free(pop);
}

int32_t fuzz_pick_date(const uint8_t *data, size_t size)
{
	static const int32_t dates[] = {20230630, 20220519, 20221231, 20231231, 20240101, 20210101};
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619u;
	return dates[h % (sizeof dates / sizeof dates[0])];
}
