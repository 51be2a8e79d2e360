/* Lint of conditions as intervals: a name compared with literals in one
 * 'and' chain is a range of values. A chain whose ranges on one name
 * cannot meet can never hold (x > 10 and x < 5); and rules whose `when` is
 * a range on one name are bands of the same scale, so a value no band
 * covers (a gap) or two bands that partly cover the same values (an
 * overlap) is most likely a typo in a threshold. Found from the syntax
 * tree of each condition, re-read here; only literals count (a parameter
 * may change with the date). */
#include "result.h"
#include "alloc.h"
#include "expr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct bound {
	bool set;                /* false: unbounded */
	bool incl;
	rb_dec v;
	const rb_expr *by;       /* the comparison that set it */
} bound;

typedef struct range {
	const char *name;        /* the name compared, in the tree */
	size_t len;
	const char *unit;        /* of the literals: NULL bare, else the [unit] text */
	size_t unit_len;
	bool mixed;              /* literals in different units: not comparable */
	bound lo, hi;
} range;

/* The comparison e as "name op literal" (a literal on the left is turned
 * around): its name, literal and operator; false for anything else. */
static bool as_compare(const rb_expr *e, const rb_expr **name, const rb_expr **lit, rb_binop *op)
{
	if (e->kind != RB_EX_BINARY || e->op < RB_OP_EQ || e->op > RB_OP_GE)
		return false;
	const rb_expr *a = e->a, *b = e->b;
	rb_binop o = e->op;
	if (a->kind == RB_EX_NUMBER && b->kind == RB_EX_NAME) {
		const rb_expr *t = a;
		a = b;
		b = t;
		o = o == RB_OP_LT ? RB_OP_GT : o == RB_OP_GT ? RB_OP_LT
		    : o == RB_OP_LE ? RB_OP_GE : o == RB_OP_GE ? RB_OP_LE : o;
	}
	if (a->kind != RB_EX_NAME || b->kind != RB_EX_NUMBER || o == RB_OP_NE)
		return false;
	*name = a;
	*lit = b;
	*op = o;
	return true;
}

/* -1, 0, 1: a lower bound against another, an unbounded one lowest. */
static int cmp_lo(const bound *a, const bound *b)
{
	if (!a->set || !b->set)
		return a->set - b->set;
	int c = rb_dec_cmp(a->v, b->v);
	if (c)
		return c;
	return (int)b->incl - (int)a->incl; /* [5 starts before (5 */
}

static int cmp_hi(const bound *a, const bound *b)
{
	if (!a->set || !b->set)
		return b->set - a->set;
	int c = rb_dec_cmp(a->v, b->v);
	if (c)
		return c;
	return (int)a->incl - (int)b->incl; /* 5] ends after 5) */
}

/* Narrow r by "name op v"; the comparison becomes the bound's source. */
static void narrow(range *r, rb_binop op, rb_dec v, const rb_expr *by)
{
	bound lo = {true, op != RB_OP_GT, v, by}, hi = {true, op != RB_OP_LT, v, by};
	if ((op == RB_OP_GT || op == RB_OP_GE || op == RB_OP_EQ) && cmp_lo(&lo, &r->lo) > 0)
		r->lo = lo;
	if ((op == RB_OP_LT || op == RB_OP_LE || op == RB_OP_EQ) && cmp_hi(&hi, &r->hi) < 0)
		r->hi = hi;
}

static bool empty(const range *r)
{
	if (!r->lo.set || !r->hi.set)
		return false;
	int c = rb_dec_cmp(r->lo.v, r->hi.v);
	return c > 0 || (c == 0 && !(r->lo.incl && r->hi.incl));
}

/* The comparisons of the top-level 'and' chain of e, left to right. */
static size_t chain(const rb_expr *e, const rb_expr **out, size_t cap, size_t n)
{
	/* an 'and' chain nests to the left: walk down it, then back */
	const rb_expr *stack[64];
	size_t depth = 0;
	while (e->kind == RB_EX_BINARY && e->op == RB_OP_AND && depth < 64) {
		stack[depth++] = e->b;
		e = e->a;
	}
	if (n < cap)
		out[n++] = e;
	while (depth && n < cap)
		out[n++] = stack[--depth];
	return n;
}

static void text_of(const rb_text *t, const rb_expr *e, char *buf, size_t size)
{
	size_t len = e->offset + e->length <= t->len ? e->length : 0;
	snprintf(buf, size, "%.*s", (int)len, t->s + e->offset);
}

static void format_bound(const bound *b, const range *r, char *buf, size_t size)
{
	char v[RB_DEC_BUFSIZE];
	rb_dec_format(b->v, v, sizeof v);
	if (r->unit)
		snprintf(buf, size, "%s [%.*s]", v, (int)r->unit_len, r->unit);
	else
		snprintf(buf, size, "%s", v);
}

#define MAX_CHAIN 64

/* Parse a condition; NULL when it does not parse (the compiler reported it). */
static const rb_expr *parse(rb_arena *arena, const rulebook *rb, const rb_text *t)
{
	(void)rb;
	if (!t->s)
		return NULL;
	rb_expr *e = NULL;
	rb_expr_error xe;
	if (rb_expr_parse(arena, t->s, t->len, 64, UINT32_MAX, &e, &xe) != 0)
		return NULL;
	return e;
}

/* Add literal comparison c to the ranges of its name; returns the range,
 * NULL when c is not such a comparison. */
static range *add_compare(range *ranges, size_t *n, const rb_expr *c)
{
	const rb_expr *name, *lit;
	rb_binop op;
	if (!as_compare(c, &name, &lit, &op))
		return NULL;
	range *r = NULL;
	for (size_t k = 0; k < *n && !r; k++)
		if (ranges[k].len == name->len && memcmp(ranges[k].name, name->text, name->len) == 0)
			r = &ranges[k];
	if (!r) {
		if (*n >= MAX_CHAIN)
			return NULL;
		r = &ranges[(*n)++];
		memset(r, 0, sizeof *r);
		r->name = name->text;
		r->len = name->len;
		r->unit = lit->unit_text;
		r->unit_len = lit->unit_text ? lit->unit_len : 0;
	} else if ((r->unit == NULL) != (lit->unit_text == NULL) ||
		   (r->unit && (r->unit_len != lit->unit_len ||
				memcmp(r->unit, lit->unit_text, r->unit_len) != 0))) {
		r->mixed = true;
	}
	narrow(r, op, lit->num, c);
	return r;
}

/* A condition that can never hold: report the comparison that closes the
 * range and the one it contradicts. */
static void contradictions(const rulebook *rb, const rb_text *t, const char *item,
			   rb_arena *arena, rulebook_error *out)
{
	const rb_expr *e = parse(arena, rb, t);
	if (!e)
		return;
	const rb_expr *cmps[MAX_CHAIN];
	size_t nc = chain(e, cmps, MAX_CHAIN, 0);
	if (nc < 2)
		return;
	range ranges[MAX_CHAIN];
	size_t nr = 0;
	for (size_t k = 0; k < nc; k++) {
		range *r = add_compare(ranges, &nr, cmps[k]);
		if (!r || r->mixed || !empty(r))
			continue;
		const rb_expr *other = r->lo.by == cmps[k] ? r->hi.by : r->lo.by;
		char a[160], b[160];
		text_of(t, cmps[k], a, sizeof a);
		text_of(t, other, b, sizeof b);
		rb_error_add(out, RULEBOOK_LINT, rb_text_pos_at(rb->model, t, cmps[k]->offset), item,
			     "'%s' contradicts '%s': the condition can never hold", a, b);
		r->mixed = true; /* once per name */
	}
}

/* A rule whose `when` is a range on one name. */
typedef struct band {
	range r;
	uint32_t rule;
} band;

static int by_band(const void *x, const void *y)
{
	const band *a = x, *b = y;
	size_t n = a->r.len < b->r.len ? a->r.len : b->r.len;
	int c = memcmp(a->r.name, b->r.name, n);
	if (c || a->r.len != b->r.len)
		return c ? c : (a->r.len < b->r.len ? -1 : 1);
	if ((c = cmp_lo(&a->r.lo, &b->r.lo)))
		return c;
	if ((c = cmp_hi(&b->r.hi, &a->r.hi))) /* the wider first: nested ones follow */
		return c;
	return (a->rule > b->rule) - (a->rule < b->rule);
}

/* The `when` of rule i as one range, if that is all it says. */
static bool rule_band(const rulebook *rb, uint32_t i, rb_arena *arena, band *out)
{
	const rb_text *t = &rb->model->rules[i].when;
	const rb_expr *e = parse(arena, rb, t);
	if (!e)
		return false;
	const rb_expr *cmps[MAX_CHAIN];
	size_t nc = chain(e, cmps, MAX_CHAIN, 0);
	range ranges[MAX_CHAIN];
	size_t nr = 0;
	for (size_t k = 0; k < nc; k++)
		if (!add_compare(ranges, &nr, cmps[k]))
			return false;
	if (nr != 1 || ranges[0].mixed || empty(&ranges[0]))
		return false;
	out->r = ranges[0];
	out->rule = i;
	return true;
}

static void lint_bands(const rulebook *rb, rb_arena *arena, rulebook_error *out)
{
	band *bands = rb_calloc(rb->nrules ? rb->nrules : 1, sizeof(*bands));
	if (!bands) {
		rb_error_add(out, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
		return;
	}
	size_t n = 0;
	for (uint32_t i = 0; i < rb->nrules; i++)
		if (rb->model->rules[i].when.s && rule_band(rb, i, arena, &bands[n]))
			n++;
	qsort(bands, n, sizeof(*bands), by_band);
	for (size_t g = 0; g < n;) {
		size_t end = g + 1;
		while (end < n && bands[end].r.len == bands[g].r.len &&
		       memcmp(bands[end].r.name, bands[g].r.name, bands[g].r.len) == 0)
			end++;
		/* a scale of bands: two rules or more (sorted by where they start),
		 * one bounded on both sides, the literals of one unit */
		bool banded = false, one_unit = true;
		for (size_t k = g; k < end; k++) {
			banded |= bands[k].r.lo.set && bands[k].r.hi.set;
			one_unit &= (bands[k].r.unit == NULL) == (bands[g].r.unit == NULL) &&
				    (!bands[k].r.unit ||
				     (bands[k].r.unit_len == bands[g].r.unit_len &&
				      memcmp(bands[k].r.unit, bands[g].r.unit, bands[g].r.unit_len) == 0));
		}
		const band *cur = &bands[g]; /* the band reaching highest so far */
		for (size_t k = g + 1; banded && one_unit && k < end; k++) {
			const band *nb = &bands[k];
			if (cmp_hi(&nb->r.hi, &cur->r.hi) <= 0)
				continue; /* inside cur: a narrower rule within a wider one */
			const rb_m_rule *mr = &rb->model->rules[nb->rule];
			rb_pos at = rb_text_pos_at(rb->model, &mr->when, 0);
			char lo[RB_DEC_BUFSIZE + 64], hi[RB_DEC_BUFSIZE + 64];
			int c = cur->r.hi.set && nb->r.lo.set ? rb_dec_cmp(nb->r.lo.v, cur->r.hi.v) : -1;
			bool overlap = c < 0 || (c == 0 && nb->r.lo.incl && cur->r.hi.incl);
			bool gap = c > 0 || (c == 0 && !nb->r.lo.incl && !cur->r.hi.incl);
			if (nb->r.lo.set)
				format_bound(&nb->r.lo, &nb->r, lo, sizeof lo);
			if (cur->r.hi.set)
				format_bound(&cur->r.hi, &cur->r, hi, sizeof hi);
			if (overlap)
				rb_error_add(out, RULEBOOK_LINT, at, mr->id.s,
					     "the band of rule '%s' on '%.*s' overlaps the band of rule "
					     "'%s' from %s to %s: both apply there",
					     mr->id.s, (int)nb->r.len, nb->r.name, rb->rules[cur->rule].id,
					     nb->r.lo.set ? lo : "the lowest value",
					     cur->r.hi.set ? hi : "the highest");
			else if (gap && c == 0)
				rb_error_add(out, RULEBOOK_LINT, at, mr->id.s,
					     "no band covers '%.*s' at exactly %s: rule '%s' ends below it "
					     "and rule '%s' starts above it",
					     (int)nb->r.len, nb->r.name, lo, rb->rules[cur->rule].id,
					     mr->id.s);
			else if (gap)
				rb_error_add(out, RULEBOOK_LINT, at, mr->id.s,
					     "no band covers '%.*s' between %s and %s: rule '%s' ends at "
					     "%s and rule '%s' starts at %s",
					     (int)nb->r.len, nb->r.name, hi, lo, rb->rules[cur->rule].id,
					     hi, mr->id.s, lo);
			cur = nb;
		}
		g = end;
	}
	rb_free(bands);
}

void rb_lint_conditions(const rulebook *rb, rulebook_error *out)
{
	const rb_model *m = rb->model;
	rb_arena arena;
	rb_arena_init(&arena);
	for (uint32_t i = 0; i < rb->nrules; i++) {
		const rb_m_rule *mr = &m->rules[i];
		contradictions(rb, &mr->when, mr->id.s, &arena, out);
		contradictions(rb, &mr->require, mr->id.s, &arena, out);
		for (size_t k = 0; k < mr->nunless; k++)
			contradictions(rb, &mr->unless[k].when, mr->id.s, &arena, out);
		if ((i & 1023) == 1023)
			rb_arena_reset(&arena);
	}
	for (size_t i = 0; i < m->nscorecards; i++) {
		contradictions(rb, &m->scorecards[i].scope, m->scorecards[i].id.s, &arena, out);
		for (size_t k = 0; k < m->scorecards[i].nvetoes; k++)
			contradictions(rb, &m->scorecards[i].vetoes[k].when, m->scorecards[i].id.s,
				       &arena, out);
	}
	for (size_t i = 0; i < m->naggregates; i++) {
		contradictions(rb, &m->aggregates[i].filter, m->aggregates[i].id.s, &arena, out);
		contradictions(rb, &m->aggregates[i].where, m->aggregates[i].id.s, &arena, out);
	}
	lint_bands(rb, &arena, out);
	rb_arena_release(&arena);
}
