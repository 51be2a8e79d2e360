/* Compiler: rulebook model -> compiled rulebook.
 *
 * Resolves every name to a slot, checks types and units, orders indicators
 * by their dependencies, and lowers all expressions to one linear program
 * (SSA: each instruction writes a fresh slot). Unit conversions are
 * inserted here, as exact multiplications by integers, so evaluation never
 * looks at units. Every error a rule author can make is reported here with
 * the position inside the expression. */
#include "compiled.h"
#include "fastpath.h"
#include "alloc.h"
#include "date.h"
#include "expr.h"
#include "limits.h"
#include "idset.h"
#include "sha256.h"

#include <stdio.h>
#include <string.h>

typedef struct cmp_info {
	const rb_expr *e;
	uint32_t result;
	uint32_t a, b;
	rb_unit ua, ub;
	bool a_thr, b_thr;       /* operand uses no input or indicator */
	const rb_sym *a_sym, *b_sym;
} cmp_info;

typedef struct cc {
	rulebook *rb;
	rb_model *m;
	rulebook_error *err;
	rulebook_status status;
	const rb_limits *limits;
	rb_arena tmp;            /* syntax trees */

	rb_ins *code;
	size_t ncode, capcode;
	rb_val *consts;
	uint8_t *numeric;      /* per slot: a constant number (for the fast path) */
	size_t capnumeric;
	size_t nslots, capslots;

	/* per indicator (by index): the syms its expression names directly
	 * (the transitive closure is built per rule, target, scorecard and
	 * aggregate by save_closure, so a chain of indicators costs memory in
	 * proportion to its length, not its square) */
	const rb_sym ***ind_deps;
	uint32_t *ind_ndeps;
	uint8_t *ind_input;      /* per indicator: an input is among its closure */
	int32_t *ind_state;      /* 0 not yet, 1 compiling, 2 done, 3 failed */
	rb_sym **ind_sym;        /* the symbol of each indicator, NULL when refused */

	/* current expression being compiled */
	const rb_text *src;
	const rb_sym **deps;     /* collected for the current rule or indicator */
	size_t ndeps, capdeps;
	struct walk_frame {
		const rb_sym *s;
		uint32_t next;
	} *walk;                 /* save_closure's depth-first stack */
	size_t capwalk;
	uint32_t *mark;          /* per sym: stamp of the last collection */
	uint32_t stamp;          /* the current collection's */
	uint32_t clock;          /* last stamp handed out */
	cmp_info *cmps;
	size_t ncmps, capcmps;
	int nomem;
	uint64_t depth;          /* recursion of cx */
	const char *subject;     /* id of the item whose expression is compiling */
	size_t agg_cap;
	int64_t agg_value;       /* slot `value` names in an aggregate's requirement, or -1 */
	rb_unit agg_unit;
	int too_deep;
	uint8_t *rule_state;     /* per rule: 0 not yet, 1 compiling, 2 done, 3 failed */
	/* the elements of lists being folded, innermost last */
#define RB_MAX_EACH 8
	struct each_var {
		const char *name;
		size_t len;
		uint32_t slot;          /* first of the element's values */
		const rb_input *list;
	} vars[RB_MAX_EACH];
	uint32_t nvars;
} cc;

typedef struct cval {
	int64_t slot;            /* -1: error already reported */
	rb_ctype t;
	bool thr;                /* no input or indicator involved */
	const rb_sym *sym;       /* the expression is exactly this name */
} cval;

static const cval CV_ERR = {.slot = -1};

/* ---- diagnostics ---- */

static void err_at(cc *c, rulebook_status st, rb_pos pos, const char *subject, const char *fmt,
		   ...) RB_PRINTF(5, 6);

#include <stdarg.h>
static void err_at(cc *c, rulebook_status st, rb_pos pos, const char *subject, const char *fmt, ...)
{
	char buf[768];
	if (!subject)
		subject = c->subject;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	rb_error_add(c->err, st, pos, subject, "%s", buf);
	if (c->status == RULEBOOK_OK)
		c->status = st;
}

/* Where to point for a problem with e: a binary operation's operator, else
 * the node's first character. */
static rb_pos expr_pos(cc *c, const rb_expr *e)
{
	if (!e)
		return rb_text_pos_at(c->m, c->src, 0);
	return rb_text_pos_at(c->m, c->src, e->kind == RB_EX_BINARY ? e->op_offset : e->offset);
}

static void nomem(cc *c)
{
	if (!c->nomem)
		err_at(c, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	c->nomem = 1;
}

/* Whether id was already added to set (then *first is the index it came
 * with); running out of memory is reported and counts as not a duplicate. */
static bool seen_before(cc *c, rb_idset *set, const rb_text *id, size_t index, uint32_t *first)
{
	int r = rb_idset_add(set, id->s, id->len, (uint32_t)index, first);
	if (r < 0)
		nomem(c);
	return r == 0;
}

/* ---- slots and code ---- */

static int64_t new_slot(cc *c, rb_val init)
{
	if (rb_grow((void **)&c->consts, &c->capslots, c->nslots + 1, sizeof(rb_val)) < 0) {
		nomem(c);
		return -1;
	}
	if (rb_grow((void **)&c->numeric, &c->capnumeric, c->nslots + 1, 1) < 0) {
		nomem(c);
		return -1;
	}
	c->consts[c->nslots] = init;
	c->numeric[c->nslots] = 0;
	return (int64_t)c->nslots++;
}

static int64_t new_number(cc *c, rb_val init)
{
	int64_t s = new_slot(c, init);
	if (s >= 0)
		c->numeric[s] = 1;
	return s;
}

static int64_t emit(cc *c, rb_opcode op, int64_t a, int64_t b, int64_t d, int64_t num, int64_t den)
{
	if (a < 0 || b < 0 || d < 0)
		return -1;
	/* Arithmetic on constants (converted literals, weights) is done here,
	 * by the evaluator itself so the value is the one it would compute;
	 * x × 1 is x (same coefficient and exponent). Only constants have an
	 * initial value: inputs, parameters and results start missing. */
	if (op >= RB_I_ADD && op <= RB_I_ROUND && c->consts[a].state == RB_V_OK) {
		bool unary = op == RB_I_NEG || op == RB_I_ABS || op == RB_I_CONV || op == RB_I_ROUND;
		if (unary || c->consts[b].state == RB_V_OK) {
			rb_val t[3] = {c->consts[a], c->consts[b], {.state = RB_V_MISSING}};
			rb_ins ins = {.op = (uint16_t)op, .dst = 2, .a = 0, .b = 1, .num = num, .den = den};
			rb_run_code(&ins, 1, t);
			if (t[2].state == RB_V_OK)
				return new_number(c, t[2]);
		}
	}
	if (op == RB_I_MUL) {
		const rb_val *ka = &c->consts[a], *kb = &c->consts[b];
		if (kb->state == RB_V_OK && kb->u.d.coef == 1 && kb->u.d.exp == 0)
			return a;
		if (ka->state == RB_V_OK && ka->u.d.coef == 1 && ka->u.d.exp == 0)
			return b;
	}
	rb_val missing = {.state = RB_V_MISSING};
	int64_t dst = new_slot(c, missing);
	if (dst < 0)
		return -1;
	if (rb_grow((void **)&c->code, &c->capcode, c->ncode + 1, sizeof(rb_ins)) < 0) {
		nomem(c);
		return -1;
	}
	rb_ins *i = &c->code[c->ncode++];
	i->op = (uint16_t)op;
	i->dst = (uint32_t)dst;
	i->a = (uint32_t)a;
	i->b = (uint32_t)b;
	i->c = (uint32_t)d;
	i->num = num;
	i->den = den;
	return dst;
}

static int64_t const_dec(cc *c, rb_dec d)
{
	rb_val v = {.state = RB_V_OK};
	v.u.d = d;
	return new_number(c, v);
}

static int64_t const_int(cc *c, int32_t x)
{
	rb_val v = {.state = RB_V_OK};
	v.u.b = x;
	return new_slot(c, v);
}

/* ---- names ---- */

static uint32_t hash_name(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

const rb_sym *rb_lookup(const rulebook *rb, const char *name, size_t len)
{
	if (!rb->sym_hash_size)
		return NULL;
	uint32_t mask = rb->sym_hash_size - 1;
	for (uint32_t h = hash_name(name, len) & mask;; h = (h + 1) & mask) {
		uint32_t v = rb->sym_hash[h];
		if (!v)
			return NULL;
		const rb_sym *s = &rb->syms[v - 1];
		if (s->len == len && memcmp(s->name, name, len) == 0)
			return s;
	}
}

static const char *const reserved[] = {"if", "then", "else", "and", "or", "not", "in",
				       "true", "false", "as_of", "gap", NULL};

static bool add_sym(cc *c, rb_sym_kind kind, uint32_t index, const rb_text *id, rb_sym **out)
{
	rulebook *rb = c->rb;
	for (int i = 0; reserved[i]; i++)
		if (strcmp(reserved[i], id->s) == 0) {
			err_at(c, RULEBOOK_ERR_NAME, id->pos, id->s,
			       "'%s' is a reserved word and cannot name a value", id->s);
			return false;
		}
	const rb_sym *old = rb_lookup(rb, id->s, id->len);
	if (old) {
		err_at(c, RULEBOOK_ERR_NAME, id->pos, id->s, "'%s' is already defined at %s:%u", id->s,
		       old->pos.file ? old->pos.file : "?", old->pos.line);
		return false;
	}
	rb_sym *s = &rb->syms[rb->nsyms];
	s->kind = kind;
	s->index = index;
	s->name = id->s;
	s->len = id->len;
	s->pos = id->pos;
	s->unit_text = "";
	uint32_t mask = rb->sym_hash_size - 1;
	uint32_t h = hash_name(id->s, id->len) & mask;
	while (rb->sym_hash[h])
		h = (h + 1) & mask;
	rb->sym_hash[h] = rb->nsyms + 1;
	rb->nsyms++;
	*out = s;
	return true;
}

/* ---- units ---- */

static bool parse_unit(cc *c, const rb_text *t, rb_unit *out, const char *subject)
{
	if (!t->s) {
		*out = rb_unit_one();
		return true;
	}
	size_t pos = 0;
	rb_unit_status st = rb_units_parse(c->rb->units, t->s, t->len, out, &pos);
	if (st == RB_UNIT_OK)
		return true;
	if (st == RB_UNIT_NOMEM) {
		nomem(c);
		return false;
	}
	err_at(c, RULEBOOK_ERR_UNIT, rb_text_pos_at(c->m, t, pos), subject, "unit '%s': %s", t->s,
	       rb_unit_status_str(st));
	return false;
}

static void describe(cc *c, const rb_unit *u, char *buf, size_t size)
{
	rb_unit_describe(c->rb->units, u, buf, size);
}

static int64_t gcd64(int64_t a, int64_t b)
{
	while (b) {
		int64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* Convert the value in x into a unit of the same dimension scaled num/den
 * times finer; constants are folded. */
static int64_t conv(cc *c, int64_t slot, int64_t num, int64_t den)
{
	if (slot < 0)
		return -1;
	if (num == 1 && den == 1)
		return slot;
	return emit(c, RB_I_CONV, slot, 0, 0, num, den);
}

/* Bring two numbers to a common unit, exactly (see units.h): x in C = x·q,
 * y in C = y·p where scale(y)/scale(x) = p/q. */
static bool unify(cc *c, const rb_expr *e, cval *x, cval *y, const char *what)
{
	if (!rb_unit_same_dim(&x->t.unit, &y->t.unit)) {
		char dx[128], dy[128];
		describe(c, &x->t.unit, dx, sizeof dx);
		describe(c, &y->t.unit, dy, sizeof dy);
		err_at(c, RULEBOOK_ERR_UNIT, expr_pos(c, e), NULL,
		       "cannot %s %s and %s: the units measure different things", what, dx, dy);
		return false;
	}
	int64_t p, q;
	if (rb_unit_ratio(&y->t.unit, &x->t.unit, &p, &q) != RB_UNIT_OK) {
		err_at(c, RULEBOOK_ERR_UNIT, expr_pos(c, e), NULL, "unit scales too far apart to %s",
		       what);
		return false;
	}
	if (q != 1)
		x->slot = conv(c, x->slot, q, 1);
	if (p != 1)
		y->slot = conv(c, y->slot, p, 1);
	rb_unit u = x->t.unit;
	if (q != 1) {
		if (__builtin_mul_overflow(u.den, q, &u.den)) {
			err_at(c, RULEBOOK_ERR_UNIT, expr_pos(c, e), NULL,
			       "unit scales too far apart to %s", what);
			return false;
		}
		int64_t g = gcd64(u.num, u.den);
		u.num /= g;
		u.den /= g;
	}
	x->t.unit = u;
	y->t.unit = u;
	return x->slot >= 0 && y->slot >= 0;
}

/* ---- dependencies ---- */

static void add_dep(cc *c, const rb_sym *s)
{
	if (s->kind == RB_SYM_LOOKUP || s->kind == RB_SYM_EACH) {
		/* lookups are not in the symbol array: few per rule, so look */
		for (size_t k = 0; k < c->ndeps; k++)
			if (c->deps[k] == s)
				return;
		if (rb_grow((void **)&c->deps, &c->capdeps, c->ndeps + 1, sizeof(*c->deps)) < 0) {
			nomem(c);
			return;
		}
		c->deps[c->ndeps++] = s;
		return;
	}
	uint32_t i = (uint32_t)(s - c->rb->syms);
	if (c->mark[i] == c->stamp)
		return;
	c->mark[i] = c->stamp;
	if (rb_grow((void **)&c->deps, &c->capdeps, c->ndeps + 1, sizeof(*c->deps)) < 0) {
		nomem(c);
		return;
	}
	c->deps[c->ndeps++] = s;
}

static void begin_deps(cc *c)
{
	c->ndeps = 0;
	c->stamp = ++c->clock;
}

/* Copy the collected list into arena (without the repeats a nested
 * compilation may have left). */
static const rb_sym **save_deps(cc *c, rb_arena *arena, uint32_t *n)
{
	/* A nested indicator may have re-stamped a sym collected earlier, so
	 * drop repeats with a fresh stamp. */
	uint32_t fresh = ++c->clock;
	size_t k = 0;
	for (size_t i = 0; i < c->ndeps; i++) {
		if (c->deps[i]->kind == RB_SYM_LOOKUP || c->deps[i]->kind == RB_SYM_EACH) {
			c->deps[k++] = c->deps[i]; /* unique already (add_dep) */
			continue;
		}
		uint32_t si = (uint32_t)(c->deps[i] - c->rb->syms);
		if (c->mark[si] == fresh)
			continue;
		c->mark[si] = fresh;
		c->deps[k++] = c->deps[i];
	}
	c->ndeps = k;
	*n = (uint32_t)c->ndeps;
	const rb_sym **d = rb_arena_calloc(arena, c->ndeps ? c->ndeps : 1, sizeof(*d));
	if (!d) {
		nomem(c);
		*n = 0;  /* callers walk *n entries of the NULL list */
		return NULL;
	}
	if (c->ndeps)
		memcpy(d, c->deps, c->ndeps * sizeof(*d));
	return d;
}

/* Whether s was already placed in the closure being built (lookups are
 * not in the symbol array: few per item, so look). */
static bool placed(cc *c, const rb_sym *s, const rb_sym **out, size_t n, uint32_t stamp)
{
	if (s->kind == RB_SYM_LOOKUP || s->kind == RB_SYM_EACH) {
		for (size_t k = 0; k < n; k++)
			if (out[k] == s)
				return true;
		return false;
	}
	uint32_t i = (uint32_t)(s - c->rb->syms);
	if (c->mark[i] == stamp)
		return true;
	c->mark[i] = stamp;
	return false;
}

/* A list of direct dependencies with every indicator replaced by the
 * closure of what it uses, the indicator after its own dependencies, each
 * once, copied into the rulebook. Walked with an explicit stack: a chain
 * of indicators may be as long as the name limit. */
static const rb_sym **closure_of(cc *c, const rb_sym *const *direct, size_t ndirect, uint32_t *n)
{
	const rb_sym **out = NULL;
	size_t nout = 0, capout = 0;
	uint32_t stamp = ++c->clock;
	for (size_t i = 0; i < ndirect && !c->nomem; i++) {
		if (placed(c, direct[i], out, nout, stamp))
			continue;
		size_t depth = 0;
		if (rb_grow((void **)&c->walk, &c->capwalk, 1, sizeof(*c->walk)) < 0) {
			nomem(c);
			break;
		}
		c->walk[depth++] = (struct walk_frame){direct[i], 0};
		while (depth) {
			struct walk_frame *f = &c->walk[depth - 1];
			const rb_sym *s = f->s;
			if (s->kind == RB_SYM_INDICATOR && f->next < c->ind_ndeps[s->index]) {
				const rb_sym *d = c->ind_deps[s->index][f->next++];
				if (placed(c, d, out, nout, stamp))
					continue;
				if (rb_grow((void **)&c->walk, &c->capwalk, depth + 1,
					    sizeof(*c->walk)) < 0) {
					nomem(c);
					break;
				}
				c->walk[depth++] = (struct walk_frame){d, 0};
				continue;
			}
			if (rb_grow((void **)&out, &capout, nout + 1, sizeof(*out)) < 0) {
				nomem(c);
				break;
			}
			out[nout++] = s;
			depth--;
		}
	}
	const rb_sym **d = c->nomem ? NULL
				    : rb_arena_calloc(&c->rb->arena, nout ? nout : 1, sizeof(*d));
	*n = d ? (uint32_t)nout : 0;  /* callers walk *n entries of a NULL list */
	if (d && nout)
		memcpy(d, out, nout * sizeof(*d));
	else if (!d)
		nomem(c);
	rb_free(out);
	return d;
}

/* The closure of everything collected for the current item. */
static const rb_sym **save_closure(cc *c, uint32_t *n)
{
	return closure_of(c, c->deps, c->ndeps, n);
}

/* A part of an item (a scorecard's scope, component, veto or cut-off)
 * collects its own list, within the item's: a fresh stamp lets it collect
 * names an earlier part already has. */
static size_t part_begin(cc *c)
{
	c->stamp = ++c->clock;
	return c->ndeps;
}

static rb_deps part_end(cc *c, size_t start)
{
	rb_deps d;
	d.d = closure_of(c, c->deps + start, c->ndeps - start, &d.n);
	/* later names of the item are collected again from here */
	c->stamp = ++c->clock;
	return d;
}

/* ---- expressions ---- */

static cval cx(cc *c, const rb_expr *e, const rb_unit *hint);
static bool compile_indicator(cc *c, uint32_t idx);
static int64_t find_rule(cc *c, const char *id, size_t len);
static bool compile_rule_at(cc *c, uint32_t idx);
static int64_t rule_met(cc *c, uint32_t idx);

static bool is_bare_number(const rb_expr *e)
{
	while (e->kind == RB_EX_NEG)
		e = e->a;
	return e->kind == RB_EX_NUMBER && !e->unit_text && !e->percent;
}

static const char *type_name(rb_type t)
{
	switch (t) {
	case RB_T_NUMBER: case RB_T_INTEGER: return "number";
	case RB_T_BOOL: return "boolean";
	case RB_T_TEXT: return "text";
	case RB_T_ENUM: return "enum";
	case RB_T_DATE: return "date";
	case RB_T_LIST: return "list";
	case RB_T_RECORD: return "record";
	}
	return "?";
}

static bool want(cc *c, const rb_expr *e, const cval *v, rb_type t, const char *what)
{
	if (v->slot < 0)
		return false;
	rb_type have = v->t.type == RB_T_INTEGER ? RB_T_NUMBER : v->t.type;
	if (have != t) {
		err_at(c, RULEBOOK_ERR_TYPE, expr_pos(c, e), NULL, "%s needs a %s, not a %s", what,
		       type_name(t), type_name(have));
		return false;
	}
	return true;
}

/* The unit a bare literal beside v takes: v's unit when v has a dimension
 * (`land_area >= 3` means 3 of land_area's unit); none beside a plain or
 * percent number, so `1 - cut` with cut = 10 % is 0.9, not 1 % - 10 %. */
static const rb_unit *hint_of(const cval *v)
{
	if (v->slot < 0 || v->t.type != RB_T_NUMBER || rb_unit_is_dimensionless(&v->t.unit))
		return NULL;
	return &v->t.unit;
}

/* Compile a pair of operands that must share a unit: a bare literal on one
 * side takes the unit of the other side (see hint_of). */
static bool pair(cc *c, const rb_expr *ea, const rb_expr *eb, cval *a, cval *b)
{
	if (is_bare_number(ea) && !is_bare_number(eb)) {
		*b = cx(c, eb, NULL);
		if (b->slot < 0)
			return false;
		*a = cx(c, ea, hint_of(b));
	} else {
		*a = cx(c, ea, NULL);
		if (a->slot < 0)
			return false;
		*b = cx(c, eb, hint_of(a));
	}
	return a->slot >= 0 && b->slot >= 0;
}

static cval result(int64_t slot, rb_type t, rb_unit u, bool thr)
{
	cval v = {.slot = slot, .thr = thr};
	v.t.type = t;
	v.t.unit = u;
	v.t.enum_of = -1;
	return v;
}

/* The type of one value of an element of list `in`: field f of a record,
 * or (f < 0) the element itself. */
static rb_ctype element_type(const rulebook *rb, const rb_input *in, int64_t f)
{
	const rb_input *v = f >= 0 ? &rb->inputs[in->field0 + f] : in;
	rb_ctype t = {.type = f >= 0 ? v->sym->ct.type : in->sym->ct.elem, .unit = v->sym->ct.unit,
		      .enum_of = v->sym->ct.enum_of, .list_of = -1};
	if (t.type == RB_T_INTEGER)
		t.type = RB_T_NUMBER;
	return t;
}

/* A name bound to the element of a list being folded (`h`), or a field of
 * it (`s.height`). found is false when the name is not one of these. */
static cval cx_element(cc *c, const rb_expr *e, bool *found)
{
	*found = false;
	for (uint32_t k = c->nvars; k-- > 0;) {
		const struct each_var *v = &c->vars[k];
		const rb_input *in = v->list;
		if (e->len == v->len && memcmp(e->text, v->name, v->len) == 0) {
			*found = true;
			if (in->nfields) {
				err_at(c, RULEBOOK_ERR_TYPE, expr_pos(c, e), NULL,
				       "'%s' is a record of list '%s': use one of its fields, as in "
				       "%s.%s",
				       v->name, in->sym->name, v->name,
				       c->rb->inputs[in->field0].sym->name);
				return CV_ERR;
			}
			cval r = {.slot = v->slot, .t = element_type(c->rb, in, -1)};
			return r;
		}
		if (e->len > v->len && e->text[v->len] == '.' && memcmp(e->text, v->name, v->len) == 0) {
			*found = true;
			const char *fname = e->text + v->len + 1;
			size_t flen = e->len - v->len - 1;
			char names[256];
			size_t off = 0;
			names[0] = '\0';
			for (uint32_t f = 0; f < in->nfields; f++) {
				const rb_sym *fs = c->rb->inputs[in->field0 + f].sym;
				if (fs->len == flen && memcmp(fs->name, fname, flen) == 0) {
					cval r = {.slot = v->slot + f, .t = element_type(c->rb, in, f)};
					return r;
				}
				int n = snprintf(names + off, sizeof names - off, "%s%s", f ? ", " : "",
						 fs->name);
				if (n > 0 && off + (size_t)n < sizeof names)
					off += (size_t)n;
			}
			if (!in->nfields)
				err_at(c, RULEBOOK_ERR_TYPE, expr_pos(c, e), NULL,
				       "'%s' is an element of list '%s', which has no fields", v->name,
				       in->sym->name);
			else
				err_at(c, RULEBOOK_ERR_NAME, expr_pos(c, e), NULL,
				       "unknown field '%.*s' of list '%s' (fields: %s)", (int)flen, fname,
				       in->sym->name, names);
			return CV_ERR;
		}
	}
	return CV_ERR;
}

static cval cx_name(cc *c, const rb_expr *e)
{
	if (e->len == 5 && memcmp(e->text, "as_of", 5) == 0)
		return result(0, RB_T_DATE, rb_unit_one(), true);
	if (c->nvars) {
		bool found;
		cval v = cx_element(c, e, &found);
		if (found)
			return v;
	}
	if (c->agg_value >= 0 && e->len == 5 && memcmp(e->text, "value", 5) == 0)
		return result(c->agg_value, RB_T_NUMBER, c->agg_unit, false);
	const rb_sym *s = rb_lookup(c->rb, e->text, e->len);
	if (!s) {
		err_at(c, RULEBOOK_ERR_NAME, expr_pos(c, e), NULL,
		       "unknown name '%.*s' (not an input, parameter or indicator)", (int)e->len,
		       e->text);
		return CV_ERR;
	}
	if (s->kind == RB_SYM_INDICATOR) {
		if (!compile_indicator(c, s->index))
			return CV_ERR;
	}
	add_dep(c, s);
	cval v = {.slot = s->slot, .t = s->ct, .thr = s->kind == RB_SYM_PARAM, .sym = s};
	/* An indicator computed only from parameters is still a threshold. */
	if (s->kind == RB_SYM_INDICATOR)
		v.thr = !c->ind_input[s->index];
	return v;
}

static cval cx_number(cc *c, const rb_expr *e, const rb_unit *hint)
{
	rb_unit u = rb_unit_one();
	if (e->unit_text) {
		size_t pos = 0;
		char *z = rb_arena_strndup(&c->tmp, e->unit_text, e->unit_len);
		if (!z) {
			nomem(c);
			return CV_ERR;
		}
		rb_unit_status st = rb_units_parse(c->rb->units, z, e->unit_len, &u, &pos);
		if (st != RB_UNIT_OK) {
			err_at(c, st == RB_UNIT_NOMEM ? RULEBOOK_ERR_NOMEM : RULEBOOK_ERR_UNIT,
			       rb_text_pos_at(c->m, c->src, e->unit_offset + pos), NULL,
			       "unit '%s': %s", z, rb_unit_status_str(st));
			return CV_ERR;
		}
	} else if (hint && !e->percent) {
		u = *hint;
	}
	return result(const_dec(c, e->num), RB_T_NUMBER, u, true);
}

static cval cx_cmp(cc *c, const rb_expr *e)
{
	cval a, b;
	if (!pair(c, e->a, e->b, &a, &b))
		return CV_ERR;
	rb_type ta = a.t.type == RB_T_INTEGER ? RB_T_NUMBER : a.t.type;
	rb_type tb = b.t.type == RB_T_INTEGER ? RB_T_NUMBER : b.t.type;
	const rb_expr *str = NULL;
	cval *en = NULL;
	/* "value" == enum: look the literal up among the enum's values */
	if (ta == RB_T_ENUM && e->b->kind == RB_EX_STRING)
		str = e->b, en = &a;
	if (tb == RB_T_ENUM && e->a->kind == RB_EX_STRING)
		str = e->a, en = &b;
	if (str) {
		const rb_input *in = &c->rb->inputs[en->t.enum_of];
		uint32_t k;
		for (k = 0; k < in->nvalues; k++)
			if (in->value_lens[k] == str->len && memcmp(in->values[k], str->text, str->len) == 0)
				break;
		if (k == in->nvalues) {
			err_at(c, RULEBOOK_ERR_TYPE, expr_pos(c, str), NULL,
			       "\"%s\" is not a value of enum input '%s'", str->text, in->sym->name);
			return CV_ERR;
		}
		cval *lit = en == &a ? &b : &a;
		lit->slot = const_int(c, (int32_t)k);
		lit->t = en->t;
		ta = tb = RB_T_ENUM;
	}
	if (ta != tb) {
		err_at(c, RULEBOOK_ERR_TYPE, expr_pos(c, e), NULL, "cannot compare a %s with a %s",
		       type_name(ta), type_name(tb));
		return CV_ERR;
	}
	if (ta == RB_T_ENUM && a.t.enum_of != b.t.enum_of) {
		err_at(c, RULEBOOK_ERR_TYPE, expr_pos(c, e), NULL,
		       "cannot compare values of two different enums");
		return CV_ERR;
	}
	bool ordered = e->op != RB_OP_EQ && e->op != RB_OP_NE;
	if (ordered && (ta == RB_T_BOOL || ta == RB_T_ENUM || ta == RB_T_TEXT)) {
		err_at(c, RULEBOOK_ERR_TYPE, expr_pos(c, e), NULL,
		       "a %s can only be compared with == or !=", type_name(ta));
		return CV_ERR;
	}
	cmp_info info = {.e = e, .a = (uint32_t)a.slot, .b = (uint32_t)b.slot, .ua = a.t.unit,
			 .ub = b.t.unit, .a_thr = a.thr, .b_thr = b.thr, .a_sym = a.sym, .b_sym = b.sym};
	static const rb_opcode nops[] = {[RB_OP_EQ] = RB_I_NEQ, [RB_OP_NE] = RB_I_NNE,
					 [RB_OP_LT] = RB_I_NLT, [RB_OP_LE] = RB_I_NLE,
					 [RB_OP_GT] = RB_I_NGT, [RB_OP_GE] = RB_I_NGE};
	static const rb_opcode iops[] = {[RB_OP_EQ] = RB_I_IEQ, [RB_OP_NE] = RB_I_INE,
					 [RB_OP_LT] = RB_I_ILT, [RB_OP_LE] = RB_I_ILE,
					 [RB_OP_GT] = RB_I_IGT, [RB_OP_GE] = RB_I_IGE};
	rb_opcode op;
	if (ta == RB_T_NUMBER) {
		if (!unify(c, e, &a, &b, "compare"))
			return CV_ERR;
		op = nops[e->op];
	} else if (ta == RB_T_TEXT) {
		op = e->op == RB_OP_EQ ? RB_I_TEQ : RB_I_TNE;
	} else {
		op = iops[e->op];
	}
	int64_t r = emit(c, op, a.slot, b.slot, 0, 0, 0);
	if (r >= 0 && ta == RB_T_NUMBER) {
		info.result = (uint32_t)r;
		if (rb_grow((void **)&c->cmps, &c->capcmps, c->ncmps + 1, sizeof(cmp_info)) < 0)
			nomem(c);
		else
			c->cmps[c->ncmps++] = info;
	}
	return result(r, RB_T_BOOL, rb_unit_one(), a.thr && b.thr);
}

static cval cx_arith(cc *c, const rb_expr *e)
{
	cval a, b;
	if (e->op == RB_OP_ADD || e->op == RB_OP_SUB) {
		if (!pair(c, e->a, e->b, &a, &b))
			return CV_ERR;
		if (!want(c, e->a, &a, RB_T_NUMBER, e->op == RB_OP_ADD ? "'+'" : "'-'") ||
		    !want(c, e->b, &b, RB_T_NUMBER, e->op == RB_OP_ADD ? "'+'" : "'-'") ||
		    !unify(c, e, &a, &b, e->op == RB_OP_ADD ? "add" : "subtract"))
			return CV_ERR;
		return result(emit(c, e->op == RB_OP_ADD ? RB_I_ADD : RB_I_SUB, a.slot, b.slot, 0, 0, 0),
			      RB_T_NUMBER, a.t.unit, a.thr && b.thr);
	}
	a = cx(c, e->a, NULL);
	b = cx(c, e->b, NULL);
	const char *what = e->op == RB_OP_MUL ? "'*'" : "'/'";
	if (!want(c, e->a, &a, RB_T_NUMBER, what) || !want(c, e->b, &b, RB_T_NUMBER, what))
		return CV_ERR;
	rb_unit u;
	rb_unit_status st = e->op == RB_OP_MUL ? rb_unit_mul(&a.t.unit, &b.t.unit, &u)
					       : rb_unit_div(&a.t.unit, &b.t.unit, &u);
	if (st != RB_UNIT_OK) {
		err_at(c, RULEBOOK_ERR_UNIT, expr_pos(c, e), NULL, "unit of the %s: %s",
		       e->op == RB_OP_MUL ? "product" : "quotient", rb_unit_status_str(st));
		return CV_ERR;
	}
	return result(emit(c, e->op == RB_OP_MUL ? RB_I_MUL : RB_I_DIV, a.slot, b.slot, 0, 0, 0),
		      RB_T_NUMBER, u, a.thr && b.thr);
}

static cval cx_logic(cc *c, const rb_expr *e)
{
	cval a = cx(c, e->a, NULL);
	cval b = cx(c, e->b, NULL);
	const char *what = e->op == RB_OP_AND ? "'and'" : "'or'";
	if (!want(c, e->a, &a, RB_T_BOOL, what) || !want(c, e->b, &b, RB_T_BOOL, what))
		return CV_ERR;
	return result(emit(c, e->op == RB_OP_AND ? RB_I_AND : RB_I_OR, a.slot, b.slot, 0, 0, 0),
		      RB_T_BOOL, rb_unit_one(), a.thr && b.thr);
}

/* Same-typed branches (if/coalesce/min/max), numbers unified. */
static bool same_type(cc *c, const rb_expr *e, cval *a, cval *b, const char *what)
{
	rb_type ta = a->t.type == RB_T_INTEGER ? RB_T_NUMBER : a->t.type;
	rb_type tb = b->t.type == RB_T_INTEGER ? RB_T_NUMBER : b->t.type;
	if (ta != tb || (ta == RB_T_ENUM && a->t.enum_of != b->t.enum_of)) {
		err_at(c, RULEBOOK_ERR_TYPE, expr_pos(c, e), NULL,
		       "the operands of %s must have one type, not %s and %s", what, type_name(ta),
		       type_name(tb));
		return false;
	}
	if (ta == RB_T_LIST) {
		err_at(c, RULEBOOK_ERR_TYPE, expr_pos(c, e), NULL,
		       "%s cannot choose between lists: fold each list first (sum, count, min, "
		       "max, any, all)", what);
		return false;
	}
	if (ta == RB_T_NUMBER)
		return unify(c, e, a, b, what);
	return true;
}

/* ---- folds over lists ---- */

/* Compile now what the body of a fold names but must not compute per
 * element: indicators and other rules' verdicts are computed once, before
 * the fold, so they hold their values even when the list is empty. */
static bool precompile_names(cc *c, const rb_expr *e, int depth)
{
	if (!e || depth > 256)
		return true;
	if (e->kind == RB_EX_NAME) {
		const rb_sym *s = rb_lookup(c->rb, e->text, e->len);
		if (s && s->kind == RB_SYM_INDICATOR)
			return compile_indicator(c, s->index);
		return true;
	}
	if (e->kind == RB_EX_CALL && e->len == 3 && memcmp(e->text, "met", 3) == 0 &&
	    e->nargs == 1 && (e->args[0]->kind == RB_EX_NAME || e->args[0]->kind == RB_EX_STRING)) {
		int64_t idx = find_rule(c, e->args[0]->text, e->args[0]->len);
		if (idx >= 0 && compile_rule_at(c, (uint32_t)idx))
			rule_met(c, (uint32_t)idx);
		return true;
	}
	bool ok = precompile_names(c, e->a, depth + 1) && precompile_names(c, e->b, depth + 1) &&
		  precompile_names(c, e->c, depth + 1);
	for (uint32_t i = 0; ok && i < e->nargs; i++)
		ok = precompile_names(c, e->args[i], depth + 1);
	return ok;
}

static const char *const fold_names[] = {[RB_EACH_COUNT] = "count", [RB_EACH_SUM] = "sum",
					 [RB_EACH_MIN] = "min",     [RB_EACH_MAX] = "max",
					 [RB_EACH_ANY] = "any",     [RB_EACH_ALL] = "all"};

/* The list input a fold runs over: list_e must name one. */
static const rb_input *fold_list(cc *c, const rb_expr *list_e, const char *fname)
{
	const rb_sym *s = list_e->kind == RB_EX_NAME ? rb_lookup(c->rb, list_e->text, list_e->len)
						      : NULL;
	if (!s || s->kind != RB_SYM_INPUT || c->rb->inputs[s->index].type != RB_T_LIST) {
		if (list_e->kind == RB_EX_NAME && !s) {
			bool found = false;
			if (c->nvars)
				(void)cx_element(c, list_e, &found);
			if (found)
				return NULL; /* reported: an element is no list */
			err_at(c, RULEBOOK_ERR_NAME, expr_pos(c, list_e), NULL,
			       "unknown name '%.*s' (not an input, parameter or indicator)",
			       (int)list_e->len, list_e->text);
			return NULL;
		}
		err_at(c, RULEBOOK_ERR_TYPE, expr_pos(c, list_e), NULL,
		       "%s() runs over a list input; '%.*s' is not one", fname,
		       (int)list_e->length, c->src->s + list_e->offset);
		return NULL;
	}
	return &c->rb->inputs[s->index];
}

/* fold(var in list where cond), fold(value for var in list where cond) and
 * fold(list): one RB_I_EACH instruction followed by its body. */
static bool expr_unit_text(const cc *c, const rb_expr *e, char *buf, size_t size, int depth);

static cval cx_fold(cc *c, const rb_expr *e, int fold, const rb_expr *list_e, const char *var,
		    size_t var_len, const rb_expr *cond_e, const rb_expr *value_e)
{
	rulebook *rb = c->rb;
	const char *fname = fold_names[fold];
	const rb_input *in = fold_list(c, list_e, fname);
	if (!in)
		return CV_ERR;
	if (var && (rb_lookup(rb, var, var_len) || (var_len == 5 && !memcmp(var, "as_of", 5)))) {
		err_at(c, RULEBOOK_ERR_NAME, rb_text_pos_at(c->m, c->src, e->var_offset), NULL,
		       "'%.*s' already names a value of the rulebook: give the element another name",
		       (int)var_len, var);
		return CV_ERR;
	}
	if (c->nvars == RB_MAX_EACH) {
		err_at(c, RULEBOOK_ERR_LIMIT, expr_pos(c, e), NULL,
		       "folds over lists nest more than %d deep", RB_MAX_EACH);
		return CV_ERR;
	}
	if (fold == RB_EACH_COUNT && value_e) {
		err_at(c, RULEBOOK_ERR_EXPR, expr_pos(c, value_e), NULL,
		       "count() counts elements: write count(x in list where condition)");
		return CV_ERR;
	}
	if (!precompile_names(c, cond_e, 0) || !precompile_names(c, value_e, 0))
		return CV_ERR;
	if (c->status != RULEBOOK_OK && c->nomem)
		return CV_ERR;
	add_dep(c, in->sym);
	uint32_t stride = in->nfields ? in->nfields : 1;
	rb_val missing = {.state = RB_V_MISSING};
	int64_t base = -1;
	for (uint32_t k = 0; k < stride; k++) {
		int64_t sl = new_slot(c, missing);
		if (k == 0)
			base = sl;
		if (sl < 0)
			return CV_ERR;
	}
	int64_t dst = new_slot(c, missing);
	if (dst < 0 || rb_grow((void **)&c->code, &c->capcode, c->ncode + 1, sizeof(rb_ins)) < 0) {
		nomem(c);
		return CV_ERR;
	}
	size_t at = c->ncode++;
	c->code[at] = (rb_ins){.op = RB_I_EACH, .dst = (uint32_t)dst, .a = in->sym->slot,
			       .b = (uint32_t)base};
	c->vars[c->nvars++] = (struct each_var){.name = var, .len = var_len, .slot = (uint32_t)base,
						 .list = in};
	if (!var) /* fold(list): the element itself */
		c->vars[c->nvars - 1].name = "", c->vars[c->nvars - 1].len = 0;
	cval cond = {.slot = 0}, val = {.slot = base, .t = element_type(rb, in, -1)};
	bool ok = true;
	if (cond_e) {
		cond = cx(c, cond_e, NULL);
		ok = want(c, cond_e, &cond, RB_T_BOOL, "'where'");
	}
	if (ok && value_e)
		val = cx(c, value_e, NULL);
	else if (ok && !var && in->nfields) {
		err_at(c, RULEBOOK_ERR_TYPE, expr_pos(c, list_e), NULL,
		       "%s() of list '%s': its elements are records; write %s(x.%s for x in %s)",
		       fname, in->sym->name, fname, rb->inputs[in->field0].sym->name, in->sym->name);
		ok = false;
	}
	c->nvars--;
	if (!ok || val.slot < 0)
		return CV_ERR;
	bool any_all = fold == RB_EACH_ANY || fold == RB_EACH_ALL;
	/* any/all(x in list where p): p is the predicate, not a filter */
	if (any_all && !value_e && cond_e) {
		val = cond;
		cond.slot = 0;
	}
	const rb_expr *ve = value_e ? value_e : cond_e && any_all ? cond_e : list_e;
	rb_ctype rt = {.type = RB_T_NUMBER, .unit = rb_unit_one(), .enum_of = -1, .list_of = -1};
	if (fold == RB_EACH_SUM || fold == RB_EACH_MIN || fold == RB_EACH_MAX) {
		if (val.t.type != RB_T_NUMBER) {
			err_at(c, RULEBOOK_ERR_TYPE, expr_pos(c, ve), NULL,
			       "%s() needs numbers, not %s values", fname, type_name(val.t.type));
			return CV_ERR;
		}
		rt.unit = val.t.unit;
	} else if (any_all) {
		if (val.t.type != RB_T_BOOL) {
			err_at(c, RULEBOOK_ERR_TYPE, expr_pos(c, ve), NULL,
			       "%s() needs a condition per element (%s(x in list where x == ...)), "
			       "not %s values",
			       fname, fname, type_name(val.t.type));
			return CV_ERR;
		}
		rt.type = RB_T_BOOL;
	}
	rb_ins *i = &c->code[at];
	i->num = (int64_t)(c->ncode - at - 1);
	i->c = (uint32_t)cond.slot;
	i->den = RB_EACH_PACK(fold, val.slot, stride);

	rb_each_site *site = rb_arena_calloc(&rb->arena, 1, sizeof *site);
	rb_sym *sym = rb_arena_calloc(&rb->arena, 1, sizeof *sym);
	char *name = rb_arena_strndup(&rb->arena, c->src->s + e->offset, e->length);
	if (!site || !sym || !name) {
		nomem(c);
		return CV_ERR;
	}
	site->list = in->sym;
	site->pc = (uint32_t)at;
	site->fold = fold;
	site->filtered = cond.slot != 0;
	sym->kind = RB_SYM_EACH;
	sym->slot = (uint32_t)dst;
	sym->name = name;
	sym->len = e->length;
	sym->ct = rt;
	sym->unit_text = "";
	if (fold == RB_EACH_SUM || fold == RB_EACH_MIN || fold == RB_EACH_MAX) {
		char ut[128];
		sym->unit_text = in->sym->unit_text;
		if (value_e)
			sym->unit_text = expr_unit_text(c, value_e, ut, sizeof ut, 0)
						 ? rb_arena_strndup(&rb->arena, ut, strlen(ut)) : "";
		if (!sym->unit_text) {
			nomem(c);
			return CV_ERR;
		}
	}
	sym->pos = expr_pos(c, e);
	sym->each = site;
	add_dep(c, sym);
	cval r = {.slot = dst, .t = rt, .sym = sym};
	return r;
}

static int fold_of(const char *name)
{
	for (int k = RB_EACH_COUNT; k <= RB_EACH_ALL; k++)
		if (!strcmp(name, fold_names[k]))
			return k;
	return 0;
}

/* Whether e names a list input (for min/max of one list). */
static bool names_list(cc *c, const rb_expr *e)
{
	const rb_sym *s = e->kind == RB_EX_NAME ? rb_lookup(c->rb, e->text, e->len) : NULL;
	return s && s->kind == RB_SYM_INPUT && c->rb->inputs[s->index].type == RB_T_LIST;
}

static cval cx_each(cc *c, const rb_expr *e)
{
	char name[32];
	snprintf(name, sizeof name, "%.*s", (int)(e->len < 31 ? e->len : 31), e->text);
	int fold = fold_of(name);
	if (!fold) {
		err_at(c, RULEBOOK_ERR_NAME, expr_pos(c, e), NULL,
		       "'%s' does not run over a list (these do: count, sum, min, max, any, all)", name);
		return CV_ERR;
	}
	return cx_fold(c, e, fold, e->a, e->var, e->var_len, e->b, e->c);
}

static cval cx_call(cc *c, const rb_expr *e)
{
	char name[32];
	size_t nlen = e->len < 31 ? e->len : 31;
	while (nlen < e->len && nlen > 0 && ((unsigned char)e->text[nlen] & 0xC0) == 0x80)
		nlen--;  /* cut at a character boundary: messages quote the name */
	snprintf(name, sizeof name, "%.*s", (int)nlen, e->text);
	uint32_t n = e->nargs;
	int fold = fold_of(name);
	if (fold && (n == 1 && (fold < RB_EACH_MIN || fold > RB_EACH_MAX || names_list(c, e->args[0])))) 
		return cx_fold(c, e, fold, e->args[0], NULL, 0, NULL, NULL);
	if (fold && (fold < RB_EACH_MIN || fold > RB_EACH_MAX)) {
		err_at(c, RULEBOOK_ERR_EXPR, expr_pos(c, e), NULL,
		       "%s() takes one list: %s(list) or %s(x in list where condition)", name, name,
		       name);
		return CV_ERR;
	}
#define ARGS(lo, hi, text)                                                              \
	do {                                                                            \
		if (n < (lo) || n > (hi)) {                                             \
			err_at(c, RULEBOOK_ERR_EXPR, expr_pos(c, e), NULL,              \
			       "%s() takes %s, not %u", name, text, n);                 \
			return CV_ERR;                                                  \
		}                                                                       \
	} while (0)
	if (!strcmp(name, "min") || !strcmp(name, "max")) {
		if (n < 1) {
			err_at(c, RULEBOOK_ERR_EXPR, expr_pos(c, e), NULL,
			       "%s() needs at least one argument", name);
			return CV_ERR;
		}
		cval acc = cx(c, e->args[0], NULL);
		if (!want(c, e->args[0], &acc, RB_T_NUMBER, name))
			return CV_ERR;
		for (uint32_t i = 1; i < n; i++) {
			cval b = cx(c, e->args[i], is_bare_number(e->args[i]) ? hint_of(&acc) : NULL);
			if (!want(c, e->args[i], &b, RB_T_NUMBER, name) || !unify(c, e, &acc, &b, name))
				return CV_ERR;
			acc = result(emit(c, name[1] == 'i' ? RB_I_MIN : RB_I_MAX, acc.slot, b.slot, 0, 0, 0),
				     RB_T_NUMBER, acc.t.unit, acc.thr && b.thr);
		}
		return acc;
	}
	if (!strcmp(name, "abs")) {
		ARGS(1, 1, "one argument");
		cval a = cx(c, e->args[0], NULL);
		if (!want(c, e->args[0], &a, RB_T_NUMBER, "abs()"))
			return CV_ERR;
		return result(emit(c, RB_I_ABS, a.slot, 0, 0, 0, 0), RB_T_NUMBER, a.t.unit, a.thr);
	}
	if (!strcmp(name, "round")) {
		ARGS(1, 2, "one or two arguments");
		cval a = cx(c, e->args[0], NULL);
		if (!want(c, e->args[0], &a, RB_T_NUMBER, "round()"))
			return CV_ERR;
		int64_t places = 0;
		if (n == 2) {
			const rb_expr *p = e->args[1];
			bool neg = false;
			if (p->kind == RB_EX_NEG) {
				neg = true;
				p = p->a;
			}
			if (p->kind != RB_EX_NUMBER || p->unit_text || p->percent ||
			    !rb_dec_is_integer(p->num) || rb_dec_cmp(p->num, rb_dec_from_int(30)) > 0) {
				err_at(c, RULEBOOK_ERR_EXPR, expr_pos(c, e->args[1]), NULL,
				       "round()'s second argument must be a whole number of decimal "
				       "places from -30 to 30");
				return CV_ERR;
			}
			rb_dec pl;
			rb_dec_round(p->num, 0, RB_ROUND_DOWN, &pl);
			pl = rb_dec_normalize(pl);
			places = pl.coef;
			for (int32_t k = 0; k < pl.exp; k++)
				places *= 10;
			if (neg)
				places = -places;
		}
		return result(emit(c, RB_I_ROUND, a.slot, 0, 0, places, RB_ROUND_HALF_UP), RB_T_NUMBER,
			      a.t.unit, a.thr);
	}
	if (!strcmp(name, "clamp")) {
		ARGS(3, 3, "three arguments");
		cval x = cx(c, e->args[0], NULL);
		if (!want(c, e->args[0], &x, RB_T_NUMBER, "clamp()"))
			return CV_ERR;
		cval lo = cx(c, e->args[1], is_bare_number(e->args[1]) ? hint_of(&x) : NULL);
		cval hi = cx(c, e->args[2], is_bare_number(e->args[2]) ? hint_of(&x) : NULL);
		if (!want(c, e->args[1], &lo, RB_T_NUMBER, "clamp()") ||
		    !want(c, e->args[2], &hi, RB_T_NUMBER, "clamp()") ||
		    !unify(c, e, &x, &lo, "clamp"))
			return CV_ERR;
		cval m = result(emit(c, RB_I_MAX, x.slot, lo.slot, 0, 0, 0), RB_T_NUMBER, x.t.unit,
				x.thr && lo.thr);
		if (!unify(c, e, &m, &hi, "clamp"))
			return CV_ERR;
		return result(emit(c, RB_I_MIN, m.slot, hi.slot, 0, 0, 0), RB_T_NUMBER, m.t.unit,
			      m.thr && hi.thr);
	}
	if (!strcmp(name, "missing") || !strcmp(name, "present")) {
		ARGS(1, 1, "one argument");
		cval a = cx(c, e->args[0], NULL);
		if (a.slot < 0)
			return CV_ERR;
		int64_t r = emit(c, RB_I_MISSING, a.slot, 0, 0, 0, 0);
		if (name[0] == 'p')
			r = emit(c, RB_I_NOT, r, 0, 0, 0, 0);
		return result(r, RB_T_BOOL, rb_unit_one(), a.thr);
	}
	if (!strcmp(name, "coalesce")) {
		ARGS(2, 2, "two arguments");
		cval a, b;
		if (!pair(c, e->args[0], e->args[1], &a, &b) || !same_type(c, e, &a, &b, "coalesce()"))
			return CV_ERR;
		cval r = result(emit(c, RB_I_COALESCE, a.slot, b.slot, 0, 0, 0), a.t.type, a.t.unit,
				a.thr && b.thr);
		r.t.enum_of = a.t.enum_of;
		return r;
	}
	if (!strcmp(name, "date")) {
		ARGS(1, 1, "one argument");
		const rb_expr *s = e->args[0];
		int32_t d;
		if (s->kind != RB_EX_STRING || rb_date_parse(s->text, s->len, &d) != 0) {
			err_at(c, RULEBOOK_ERR_EXPR, expr_pos(c, s), NULL,
			       "date() takes a date in quotes, written \"YYYY-MM-DD\"");
			return CV_ERR;
		}
		return result(const_int(c, d), RB_T_DATE, rb_unit_one(), true);
	}
	if (!strcmp(name, "year")) {
		ARGS(1, 1, "one argument");
		cval a = cx(c, e->args[0], NULL);
		if (!want(c, e->args[0], &a, RB_T_DATE, "year()"))
			return CV_ERR;
		return result(emit(c, RB_I_YEAR, a.slot, 0, 0, 0, 0), RB_T_NUMBER, rb_unit_one(), a.thr);
	}
	if (!strcmp(name, "met")) {
		ARGS(1, 1, "one argument");
		const rb_expr *a = e->args[0];
		int64_t idx = a->kind == RB_EX_NAME || a->kind == RB_EX_STRING
				      ? find_rule(c, a->text, a->len) : -2;
		if (idx < 0) {
			err_at(c, RULEBOOK_ERR_NAME, expr_pos(c, a), NULL,
			       idx == -2 ? "met() takes the id of a rule"
					 : "met(): '%.*s' is not a rule of this rulebook",
			       (int)a->len, a->text);
			return CV_ERR;
		}
		if (!compile_rule_at(c, (uint32_t)idx))
			return CV_ERR;
		const rb_rule *ru = &c->rb->rules[idx];
		for (uint32_t d = 0; d < ru->ndeps; d++)
			add_dep(c, ru->deps[d]);
		return result(rule_met(c, (uint32_t)idx), RB_T_BOOL, rb_unit_one(), false);
	}
#undef ARGS
	err_at(c, RULEBOOK_ERR_NAME, expr_pos(c, e), NULL,
	       "unknown function '%s' (functions: min, max, abs, round, clamp, missing, present, "
	       "coalesce, date, year, met, sum, count, any, all)",
	       name);
	return CV_ERR;
}

static cval cx_node(cc *c, const rb_expr *e, const rb_unit *hint);

/* ---- table lookups ---- */

static const rb_table *find_table(const rulebook *rb, const char *name, size_t len)
{
	for (uint32_t i = 0; i < rb->ntables; i++)
		if (strlen(rb->tables[i].id) == len && memcmp(rb->tables[i].id, name, len) == 0)
			return &rb->tables[i];
	return NULL;
}

/* Whether key slot `key` matches key k of a row (a boolean slot). */
static int64_t key_match(cc *c, const rb_table *t, uint32_t k, int64_t key, const rb_table_key *rk)
{
	const rb_input *in = &c->rb->inputs[t->key_input[k]];
	if (in->type == RB_T_ENUM)
		return emit(c, RB_I_IEQ, key, const_int(c, rk->e), 0, 0, 0);
	if (in->type == RB_T_TEXT) {
		rb_val v = {.state = RB_V_OK};
		v.u.t.s = rk->text;
		v.u.t.len = rk->len;
		return emit(c, RB_I_TEQ, key, new_slot(c, v), 0, 0, 0);
	}
	if (rb_dec_cmp(rk->lo, rk->hi) == 0)
		return emit(c, RB_I_NEQ, key, const_dec(c, rk->lo), 0, 0, 0);
	return emit(c, RB_I_AND, emit(c, RB_I_NGE, key, const_dec(c, rk->lo), 0, 0, 0),
		    emit(c, RB_I_NLE, key, const_dec(c, rk->hi), 0, 0, 0), 0, 0, 0);
}

/* table[key, key]: the first row whose keys all match, as a chain of
 * selections (so both interpreters run it as they run `if`); no row gives
 * the table's default or no value. */
static cval cx_index(cc *c, const rb_expr *e)
{
	rulebook *rb = c->rb;
	const rb_table *t = find_table(rb, e->text, e->len);
	if (!t) {
		err_at(c, RULEBOOK_ERR_NAME, expr_pos(c, e), NULL,
		       rb_lookup(rb, e->text, e->len) ? "'%.*s' is not a table: only tables take [keys]"
						      : "unknown table '%.*s'",
		       (int)e->len, e->text);
		return CV_ERR;
	}
	if (e->nargs != t->nkeys) {
		err_at(c, RULEBOOK_ERR_EXPR, expr_pos(c, e), NULL, "table '%s' takes %u key%s, not %u",
		       t->id, t->nkeys, t->nkeys == 1 ? "" : "s", e->nargs);
		return CV_ERR;
	}
	rb_lookup_site *site = rb_arena_calloc(&rb->arena, 1, sizeof *site);
	rb_sym *sym = rb_arena_calloc(&rb->arena, 1, sizeof *sym);
	char *name = rb_arena_strndup(&rb->arena, c->src->s + e->offset, e->length);
	if (!site || !sym || !name) {
		nomem(c);
		return CV_ERR;
	}
	site->table = t;
	int64_t keys[2] = {-1, -1};
	for (uint32_t k = 0; k < t->nkeys; k++) {
		const rb_input *in = &rb->inputs[t->key_input[k]];
		const rb_expr *arg = e->args[k];
		if (in->type == RB_T_ENUM && arg->kind == RB_EX_STRING) {
			uint32_t v;
			for (v = 0; v < in->nvalues; v++)
				if (in->value_lens[v] == arg->len && memcmp(in->values[v], arg->text, arg->len) == 0)
					break;
			if (v == in->nvalues) {
				err_at(c, RULEBOOK_ERR_TYPE, expr_pos(c, arg), NULL,
				       "\"%s\" is not a value of enum input '%s' (key %u of table '%s')",
				       arg->text, in->sym->name, k + 1, t->id);
				return CV_ERR;
			}
			keys[k] = const_int(c, (int32_t)v);
			continue;
		}
		cval v = cx(c, arg, NULL);
		if (v.slot < 0)
			return CV_ERR;
		bool ok = in->type == RB_T_ENUM   ? v.t.type == RB_T_ENUM && v.t.enum_of == in->sym->ct.enum_of
			  : in->type == RB_T_TEXT ? v.t.type == RB_T_TEXT
						  : (v.t.type == RB_T_NUMBER || v.t.type == RB_T_INTEGER) &&
						    rb_unit_is_dimensionless(&v.t.unit);
		if (!ok) {
			err_at(c, RULEBOOK_ERR_TYPE, expr_pos(c, arg), NULL,
			       "key %u of table '%s' must be %s like input '%s' (found: %s)", k + 1, t->id,
			       in->type == RB_T_ENUM ? "a value of the enum" : in->type == RB_T_TEXT
				       ? "a text" : "a plain whole number",
			       in->sym->name, type_name(v.t.type));
			return CV_ERR;
		}
		keys[k] = v.slot;
	}
	rb_val missing = {.state = RB_V_MISSING};
	int64_t acc = t->has_default ? const_dec(c, t->dflt) : new_slot(c, missing);
	for (uint32_t r = t->nrows; r-- > 0;) {
		const rb_table_row *row = &t->rows[r];
		int64_t cond = -1;
		for (uint32_t k = 0; k < t->nkeys; k++) {
			int64_t m = key_match(c, t, k, keys[k], &row->keys[k]);
			cond = cond < 0 ? m : emit(c, RB_I_AND, cond, m, 0, 0, 0);
		}
		acc = emit(c, RB_I_SELECT, cond, rb->params[row->param].sym->slot, acc, 0, 0);
	}
	if (acc < 0)
		return CV_ERR;
	for (uint32_t k = 0; k < t->nkeys; k++)
		site->keys[k] = (uint32_t)keys[k];
	sym->kind = RB_SYM_LOOKUP;
	sym->slot = (uint32_t)acc;
	sym->name = name;
	sym->len = e->length;
	sym->ct.type = RB_T_NUMBER;
	sym->ct.unit = t->unit;
	sym->ct.enum_of = -1;
	sym->unit_text = t->unit_text;
	sym->pos = expr_pos(c, e);
	sym->lookup = site;
	add_dep(c, sym);
	/* a value of the table is a threshold, whatever its keys depend on */
	cval v = {.slot = acc, .t = sym->ct, .thr = true, .sym = sym};
	return v;
}

/* Long flat chains (a + b + c ...) make tall trees without nesting; bound
 * the compiler's recursion so no input can exhaust the stack. */
static cval cx(cc *c, const rb_expr *e, const rb_unit *hint)
{
	uint64_t max = c->limits->expr_depth * 4 < 256 ? 256 : c->limits->expr_depth * 4;
	if (++c->depth > max) {
		c->depth--;
		if (!c->too_deep)
			err_at(c, RULEBOOK_ERR_LIMIT, expr_pos(c, e), NULL,
			       "expression too long to compile: more than %llu operations in a "
			       "chain (the limit is four times the expression depth limit)",
			       (unsigned long long)max);
		c->too_deep = 1;
		return CV_ERR;
	}
	cval v = cx_node(c, e, hint);
	c->depth--;
	return v;
}

static cval cx_node(cc *c, const rb_expr *e, const rb_unit *hint)
{
	switch (e->kind) {
	case RB_EX_NUMBER:
		return cx_number(c, e, hint);
	case RB_EX_BOOL:
		return result(const_int(c, e->boolean), RB_T_BOOL, rb_unit_one(), true);
	case RB_EX_STRING: {
		rb_val v = {.state = RB_V_OK};
		v.u.t.s = rb_arena_strndup(&c->rb->arena, e->text, e->len);
		v.u.t.len = (uint32_t)e->len;
		if (!v.u.t.s) {
			nomem(c);
			return CV_ERR;
		}
		return result(new_slot(c, v), RB_T_TEXT, rb_unit_one(), true);
	}
	case RB_EX_NAME:
		return cx_name(c, e);
	case RB_EX_NEG: {
		cval a = cx(c, e->a, hint);
		if (!want(c, e->a, &a, RB_T_NUMBER, "'-'"))
			return CV_ERR;
		return result(emit(c, RB_I_NEG, a.slot, 0, 0, 0, 0), RB_T_NUMBER, a.t.unit, a.thr);
	}
	case RB_EX_NOT: {
		cval a = cx(c, e->a, NULL);
		if (!want(c, e->a, &a, RB_T_BOOL, "'not'"))
			return CV_ERR;
		return result(emit(c, RB_I_NOT, a.slot, 0, 0, 0, 0), RB_T_BOOL, rb_unit_one(), a.thr);
	}
	case RB_EX_BINARY:
		switch (e->op) {
		case RB_OP_AND:
		case RB_OP_OR:
			return cx_logic(c, e);
		case RB_OP_ADD:
		case RB_OP_SUB:
		case RB_OP_MUL:
		case RB_OP_DIV:
			return cx_arith(c, e);
		default:
			return cx_cmp(c, e);
		}
	case RB_EX_IF: {
		cval cond = cx(c, e->a, NULL);
		if (!want(c, e->a, &cond, RB_T_BOOL, "'if'"))
			return CV_ERR;
		cval a, b;
		if (!pair(c, e->b, e->c, &a, &b) || !same_type(c, e, &a, &b, "if/then/else"))
			return CV_ERR;
		cval r = result(emit(c, RB_I_SELECT, cond.slot, a.slot, b.slot, 0, 0), a.t.type,
				a.t.unit, cond.thr && a.thr && b.thr);
		r.t.enum_of = a.t.enum_of;
		return r;
	}
	case RB_EX_IN: {
		if (e->nargs == 0) {
			err_at(c, RULEBOOK_ERR_EXPR, expr_pos(c, e), NULL, "'in' needs a non-empty list");
			return CV_ERR;
		}
		int64_t acc = -1;
		bool thr = true;
		for (uint32_t i = 0; i < e->nargs; i++) {
			rb_expr eq = {.kind = RB_EX_BINARY, .op = RB_OP_EQ, .offset = e->args[i]->offset,
				      .op_offset = e->args[i]->offset,
				      .a = e->a, .b = e->args[i]};
			size_t before = c->ncmps;
			cval r = cx_cmp(c, &eq);
			c->ncmps = before; /* the synthetic node does not outlive this call */
			if (r.slot < 0)
				return CV_ERR;
			thr = thr && r.thr;
			acc = acc < 0 ? r.slot : emit(c, RB_I_OR, acc, r.slot, 0, 0, 0);
		}
		if (e->negated)
			acc = emit(c, RB_I_NOT, acc, 0, 0, 0, 0);
		return result(acc, RB_T_BOOL, rb_unit_one(), thr);
	}
	case RB_EX_CALL:
		return cx_call(c, e);
	case RB_EX_INDEX:
		return cx_index(c, e);
	case RB_EX_EACH:
		return cx_each(c, e);
	}
	return CV_ERR;
}

/* Parse and compile one expression of the model. */
static cval compile_hinted(cc *c, const rb_text *t, const char *subject, const rb_expr **tree,
			   const rb_unit *hint);

static cval compile_text(cc *c, const rb_text *t, const char *subject, const rb_expr **tree)
{
	return compile_hinted(c, t, subject, tree, NULL);
}

/* A bare number as the whole expression takes the unit `hint` (the unit the
 * value is declared in: `target: 4000` with `unit: 亩`). */
static cval compile_hinted(cc *c, const rb_text *t, const char *subject, const rb_expr **tree,
			   const rb_unit *hint)
{
	rb_expr *e = NULL;
	rb_expr_error xe;
	if (rb_expr_parse(&c->tmp, t->s, t->len, (uint32_t)c->limits->expr_depth,
			  (uint32_t)(c->limits->expr_length > UINT32_MAX ? UINT32_MAX
									 : c->limits->expr_length),
			  &e, &xe) != 0) {
		rulebook_status st = xe.limit ? RULEBOOK_ERR_LIMIT : RULEBOOK_ERR_EXPR;
		if (strcmp(xe.message, "out of memory") == 0)
			st = RULEBOOK_ERR_NOMEM;
		err_at(c, st, rb_text_pos_at(c->m, t, xe.offset), subject, "%s", xe.message);
		return CV_ERR;
	}
	const rb_text *saved = c->src;
	const char *saved_subject = c->subject;
	c->src = t;
	c->subject = subject;
	cval v = cx(c, e, hint && is_bare_number(e) ? hint : NULL);
	c->src = saved;
	c->subject = saved_subject;
	if (tree)
		*tree = e;
	return v;
}

static cval compile_bool(cc *c, const rb_text *t, const char *subject, const char *what,
			const rb_expr **tree)
{
	cval v = compile_text(c, t, subject, tree);
	if (v.slot >= 0 && v.t.type != RB_T_BOOL) {
		err_at(c, RULEBOOK_ERR_TYPE, t->pos, subject, "%s must be a condition (true or false), not a %s",
		       what, type_name(v.t.type));
		return CV_ERR;
	}
	return v;
}

/* Convert a number into a declared unit; error names the declaration. */
/* Convert v into the declared unit u. unit_text is the declaration (NULL
 * when there is none); errors point at it, or at where (the expression). */
static int64_t to_unit_at(cc *c, cval v, const rb_unit *u, const rb_text *unit_text,
			  const char *subject, const char *what, rb_pos where)
{
	bool declared = unit_text && unit_text->s;
	rb_pos pos = declared ? unit_text->pos : where;
	if (!rb_unit_same_dim(&v.t.unit, u)) {
		char dv[128], du[128];
		describe(c, &v.t.unit, dv, sizeof dv);
		describe(c, u, du, sizeof du);
		if (declared)
			err_at(c, RULEBOOK_ERR_UNIT, pos, subject,
			       "the %s of '%s' is in %s but declared in %s (%s)", what, subject, dv,
			       unit_text->s, du);
		else
			err_at(c, RULEBOOK_ERR_UNIT, pos, subject,
			       "the %s of '%s' is in %s: %s", what, subject, dv,
			       rb_unit_is_dimensionless(u) ? "it must be a plain number, or declare 'unit:'"
							   : "it does not match the unit it is used with");
		return -1;
	}
	int64_t p, q;
	if (rb_unit_ratio(&v.t.unit, u, &p, &q) != RB_UNIT_OK) {
		err_at(c, RULEBOOK_ERR_UNIT, pos, subject, "unit scales too far apart");
		return -1;
	}
	return conv(c, v.slot, p, q);
}

static int64_t to_unit(cc *c, cval v, const rb_unit *u, const rb_text *unit_text,
		       const char *subject, const char *what)
{
	return to_unit_at(c, v, u, unit_text, subject, what, (rb_pos){0});
}

/* ---- indicators ---- */

static bool compile_indicator(cc *c, uint32_t idx)
{
	rulebook *rb = c->rb;
	if (c->ind_state[idx] == 2)
		return true;
	if (c->ind_state[idx] == 3)
		return false;
	rb_sym *s = c->ind_sym[idx];
	const rb_m_indicator *mi = &c->m->indicators[idx];
	if (c->ind_state[idx] == 1) {
		err_at(c, RULEBOOK_ERR_CYCLE, mi->id.pos, mi->id.s,
		       "indicator '%s' depends on itself through its expression", mi->id.s);
		c->ind_state[idx] = 3;
		return false;
	}
	c->ind_state[idx] = 1;
	/* Save the caller's dependency collection; indicators collect their own. */
	const rb_sym **saved = c->deps;
	size_t saved_n = c->ndeps, saved_cap = c->capdeps;
	uint32_t saved_stamp = c->stamp;
	c->deps = NULL;
	c->ndeps = c->capdeps = 0;
	c->stamp = ++c->clock;

	cval v = compile_text(c, &mi->expr, mi->id.s, NULL);
	int64_t slot = v.slot;
	if (slot >= 0 && (v.t.type == RB_T_NUMBER || v.t.type == RB_T_INTEGER)) {
		rb_unit u;
		if (mi->unit.s) {
			if (!parse_unit(c, &mi->unit, &u, mi->id.s))
				slot = -1;
			else
				slot = to_unit(c, v, &u, &mi->unit, mi->id.s, "indicator");
			v.t.unit = u;
		} else if (!rb_unit_is_dimensionless(&v.t.unit)) {
			char d[128];
			describe(c, &v.t.unit, d, sizeof d);
			err_at(c, RULEBOOK_ERR_UNIT, mi->id.pos, mi->id.s,
			       "indicator '%s' computes %s: declare its unit with 'unit:'", mi->id.s, d);
			slot = -1;
		} else if (v.t.unit.num != v.t.unit.den) {
			/* a scaled dimensionless value: bring it to plain ratio */
			rb_unit one = rb_unit_one();
			slot = to_unit(c, v, &one, NULL, mi->id.s, "indicator");
			v.t.unit = one;
		}
		v.t.type = RB_T_NUMBER;
	} else if (slot >= 0 && v.t.type == RB_T_LIST) {
		err_at(c, RULEBOOK_ERR_TYPE, rb_text_pos_at(c->m, &mi->expr, 0), mi->id.s,
		       "indicator '%s' is a list; an indicator holds one value (fold the list with "
		       "sum, count, min, max, any or all)", mi->id.s);
		slot = -1;
	} else if (slot >= 0 && mi->unit.s) {
		err_at(c, RULEBOOK_ERR_UNIT, mi->unit.pos, mi->id.s,
		       "indicator '%s' is a %s and cannot have a unit", mi->id.s, type_name(v.t.type));
		slot = -1;
	}
	c->ind_deps[idx] = save_deps(c, &c->rb->arena, &c->ind_ndeps[idx]);
	for (uint32_t i = 0; i < c->ind_ndeps[idx]; i++) {
		const rb_sym *d = c->ind_deps[idx][i];
		if (d->kind == RB_SYM_INPUT || (d->kind == RB_SYM_INDICATOR && c->ind_input[d->index]))
			c->ind_input[idx] = 1;
	}
	rb_free(c->deps);
	c->deps = saved;
	c->ndeps = saved_n;
	c->capdeps = saved_cap;
	c->stamp = saved_stamp;
	if (slot < 0 || !s) {
		c->ind_state[idx] = 3;
		return false;
	}
	s->slot = (uint32_t)slot;
	s->ct = v.t;
	s->unit_text = mi->unit.s ? mi->unit.s : "";
	s->deps = c->ind_deps[idx];
	s->ndeps = c->ind_ndeps[idx];
	rb->indicators[rb->nindicators++] = s;
	c->ind_state[idx] = 2;
	return true;
}

/* The order to compile indicators in: each after the indicators it names,
 * found without recursion (a chain of any length declared in reverse order
 * compiles without nesting one indicator's compilation in another's, so
 * the expression depth of one never counts against the next). A cycle is
 * reported here, at the indicator it returns to. Returns the number of
 * indicators in *order, or -1 when memory ran out. */
static int64_t order_indicators(cc *c, uint32_t *order)
{
	const rb_model *m = c->m;
	size_t n = m->nindicators, norder = 0;
	uint32_t **deps = rb_calloc(n ? n : 1, sizeof(*deps));
	uint32_t *ndeps = rb_calloc(n ? n : 1, sizeof(*ndeps));
	uint8_t *vis = rb_calloc(n ? n : 1, 1);
	size_t *next = rb_calloc(n ? n : 1, sizeof(*next));
	uint32_t *stack = rb_calloc(n ? n : 1, sizeof(*stack));
	const rb_expr **walk = NULL;
	size_t capwalk = 0;
	uint32_t *found = NULL;
	size_t capfound = 0;
	int64_t result = -1;
	if (!deps || !ndeps || !vis || !next || !stack)
		goto done;
	for (size_t i = 0; i < n; i++) {
		const rb_text *t = &m->indicators[i].expr;
		rb_expr *e = NULL;
		rb_expr_error xe;
		if (!t->s || rb_expr_parse(&c->tmp, t->s, t->len, (uint32_t)c->limits->expr_depth,
					   (uint32_t)(c->limits->expr_length > UINT32_MAX
							      ? UINT32_MAX
							      : c->limits->expr_length),
					   &e, &xe) != 0)
			continue; /* reported when it compiles */
		/* the indicators it names, left to right */
		size_t nwalk = 0, nfound = 0;
		if (rb_grow((void **)&walk, &capwalk, 1, sizeof(*walk)) < 0)
			goto done;
		walk[nwalk++] = e;
		while (nwalk) {
			const rb_expr *x = walk[--nwalk];
			if (x->kind == RB_EX_NAME) {
				const rb_sym *s = rb_lookup(c->rb, x->text, x->len);
				if (s && s->kind == RB_SYM_INDICATOR) {
					if (rb_grow((void **)&found, &capfound, nfound + 1,
						    sizeof(*found)) < 0)
						goto done;
					found[nfound++] = s->index;
				}
			}
			const rb_expr *kids[3] = {x->a, x->b, x->c};
			if (rb_grow((void **)&walk, &capwalk, nwalk + 3 + x->nargs, sizeof(*walk)) < 0)
				goto done;
			for (uint32_t k = x->nargs; k-- > 0;)
				walk[nwalk++] = x->args[k];
			for (int k = 3; k-- > 0;)
				if (kids[k])
					walk[nwalk++] = kids[k];
		}
		if (nfound) {
			deps[i] = rb_arena_alloc(&c->tmp, nfound * sizeof(**deps));
			if (!deps[i])
				goto done;
			memcpy(deps[i], found, nfound * sizeof(*found));
			ndeps[i] = (uint32_t)nfound;
		}
	}
	/* depth-first, post-order: 1 on the path, 2 placed */
	for (size_t root = 0; root < n; root++) {
		if (vis[root])
			continue;
		size_t depth = 0;
		stack[depth++] = (uint32_t)root;
		vis[root] = 1;
		while (depth) {
			uint32_t v = stack[depth - 1];
			if (next[v] < ndeps[v]) {
				uint32_t w = deps[v][next[v]++];
				if (vis[w] == 0) {
					vis[w] = 1;
					stack[depth++] = w;
				} else if (vis[w] == 1 && c->ind_state[w] == 0) {
					const rb_m_indicator *mi = &m->indicators[w];
					err_at(c, RULEBOOK_ERR_CYCLE, mi->id.pos, mi->id.s,
					       "indicator '%s' depends on itself through its expression",
					       mi->id.s);
					c->ind_state[w] = 3;
				}
				continue;
			}
			vis[v] = 2;
			order[norder++] = v;
			depth--;
		}
	}
	result = (int64_t)norder;
done:
	rb_free(deps);
	rb_free(ndeps);
	rb_free(vis);
	rb_free(next);
	rb_free(stack);
	rb_free(walk);
	rb_free(found);
	return result;
}

/* ---- templates ---- */

static bool compile_template(cc *c, const rb_text *t, const rb_m_rule *mr, const rb_rule *r,
			     rb_template *out)
{
	if (!t->s)
		return true;
	size_t cap = 1;
	for (size_t i = 0; i < t->len; i++)
		cap += t->s[i] == '{' ? 2 : 0;
	out->parts = rb_arena_calloc(&c->rb->arena, cap, sizeof(rb_tpart));
	if (!out->parts) {
		nomem(c);
		return false;
	}
	size_t i = 0, lit = 0;
	while (i <= t->len) {
		if (i == t->len || t->s[i] == '{') {
			if (i > lit) {
				rb_tpart *p = &out->parts[out->nparts++];
				p->text = t->s + lit;
				p->len = i - lit;
			}
			if (i == t->len)
				break;
			const char *close = memchr(t->s + i, '}', t->len - i);
			if (!close) {
				err_at(c, RULEBOOK_ERR_EXPR, rb_text_pos_at(c->m, t, i), mr->id.s,
				       "'{' without a closing '}' in the message of rule '%s'", mr->id.s);
				return false;
			}
			const char *name = t->s + i + 1;
			size_t len = (size_t)(close - name);
			size_t whole = len; /* name and ":spec" */
			rb_tpart *p = &out->parts[out->nparts++];
			p->places = -1;
			p->mode = RB_ROUND_HALF_UP;
			const char *colon = memchr(name, ':', len);
			if (colon) {
				/* {x:,.2d}: ',' groups thousands; '.N' fixes N places, rounded
				 * half up, or d (towards zero), f (floor), c (ceiling), e (half
				 * even) */
				const char *q = colon + 1, *end = close;
				len = (size_t)(colon - name);
				if (q < end && *q == ',') {
					p->thousands = true;
					q++;
				}
				bool ok = true;
				if (q < end && *q == '.') {
					int places = 0, digits = 0;
					for (q++; q < end && *q >= '0' && *q <= '9' && digits < 3; q++, digits++)
						places = places * 10 + (*q - '0');
					ok = digits > 0 && places <= 18;
					p->places = (int8_t)places;
					if (ok && q < end) {
						p->mode = *q == 'd' ? RB_ROUND_DOWN : *q == 'f' ? RB_ROUND_FLOOR
							  : *q == 'c' ? RB_ROUND_CEILING
							  : *q == 'e' ? RB_ROUND_HALF_EVEN : 255;
						ok = p->mode != 255;
						q++;
					}
				}
				if (!ok || q != end || colon + 1 == end) {
					err_at(c, RULEBOOK_ERR_EXPR, rb_text_pos_at(c->m, t, (size_t)(colon + 1 - t->s)),
					       mr->id.s,
					       "display format '%.*s' in the message of rule '%s': write ',' for "
					       "thousands and '.N' for N places (0 to 18), optionally followed by d, "
					       "f, c or e to round towards zero, down, up or half to even",
					       (int)(close - colon - 1), colon + 1, mr->id.s);
					return false;
				}
			}
			if (len == 3 && memcmp(name, "gap", 3) == 0) {
				p->gap = 1;
				out->has_gap = true;
			} else {
				p->sym = rb_lookup(c->rb, name, len);
				/* {far_min[industry]}: a lookup the rule makes, by its text */
				for (uint32_t k = 0; !p->sym && r->deps && k < r->ndeps; k++)
					if (r->deps[k]->kind == RB_SYM_LOOKUP && r->deps[k]->len == len &&
					    memcmp(r->deps[k]->name, name, len) == 0)
						p->sym = r->deps[k];
				for (size_t k = 0; !p->sym && k < mr->nobligations; k++)
					if (mr->obligations[k].id.len == len &&
					    memcmp(mr->obligations[k].id.s, name, len) == 0)
						p->obligation = (int)k + 1;
				if (!p->sym && !p->obligation) {
					err_at(c, RULEBOOK_ERR_NAME, rb_text_pos_at(c->m, t, i + 1), mr->id.s,
					       "unknown name '{%.*s}' in the message of rule '%s'", (int)len,
					       name, mr->id.s);
					return false;
				}
			}
			i += whole + 2;
			lit = i;
			continue;
		}
		i++;
	}
	return true;
}

/* ---- rules ---- */

static const cmp_info *find_cmp(const cc *c, const rb_expr *e)
{
	if (e->kind != RB_EX_BINARY || e->op < RB_OP_EQ || e->op > RB_OP_GE)
		return NULL;
	for (size_t k = 0; k < c->ncmps; k++)
		if (c->cmps[k].e == e)
			return &c->cmps[k];
	return NULL;
}

/* The unit text of a numeric expression as written: a name's declared
 * unit, a literal's [unit], "a/b" for a quotient, "a·b" for a product, the
 * operand's for +, -, negation and functions. false when it has none. */
static bool expr_unit_text(const cc *c, const rb_expr *e, char *buf, size_t size, int depth)
{
	char a[128], b[128];
	if (depth > 16)
		return false;
	switch (e->kind) {
	case RB_EX_NAME: {
		const rb_sym *s = rb_lookup(c->rb, e->text, e->len);
		if (!s || !s->unit_text[0])
			return false;
		return (size_t)snprintf(buf, size, "%s", s->unit_text) < size;
	}
	case RB_EX_NUMBER:
		if (!e->unit_text || !e->unit_len)
			return false;
		return (size_t)snprintf(buf, size, "%.*s", (int)e->unit_len, e->unit_text) < size;
	case RB_EX_NEG:
		return expr_unit_text(c, e->a, buf, size, depth + 1);
	case RB_EX_EACH:
		if (fold_of(e->text) < RB_EACH_SUM || fold_of(e->text) > RB_EACH_MAX)
			return false;
		return expr_unit_text(c, e->c ? e->c : e->a, buf, size, depth + 1);
	case RB_EX_CALL:
		if (fold_of(e->text) && (fold_of(e->text) < RB_EACH_SUM || fold_of(e->text) > RB_EACH_MAX))
			return false;
		for (uint32_t i = 0; i < e->nargs; i++)
			if (expr_unit_text(c, e->args[i], buf, size, depth + 1))
				return true;
		return false;
	case RB_EX_BINARY:
		if (e->op == RB_OP_ADD || e->op == RB_OP_SUB)
			return expr_unit_text(c, e->a, buf, size, depth + 1) ||
			       expr_unit_text(c, e->b, buf, size, depth + 1);
		if (e->op != RB_OP_MUL && e->op != RB_OP_DIV)
			return false;
		{
			bool ha = expr_unit_text(c, e->a, a, sizeof a, depth + 1);
			bool hb = expr_unit_text(c, e->b, b, sizeof b, depth + 1);
			if (!ha && !hb)
				return false;
			if (!hb)
				return (size_t)snprintf(buf, size, "%s", a) < size;
			bool paren = strpbrk(b, "/") != NULL || strstr(b, "·") != NULL;
			int n = snprintf(buf, size, "%s%s%s%s%s", ha ? a : "1",
					 e->op == RB_OP_DIV ? "/" : "·", paren ? "(" : "", b,
					 paren ? ")" : "");
			return n > 0 && (size_t)n < size;
		}
	default:
		return false;
	}
}

/* For a side that is no name: the unit written in the comparison (the
 * threshold's [unit] first, then the value's as composed from its names),
 * when it converts to the value's unit. */
static bool written_unit(cc *c, const rb_expr *value, const rb_expr *threshold, rb_check *ck)
{
	char text[256];
	const rb_expr *sides[2] = {threshold, value};
	if (c->agg_value >= 0)
		return false; /* an aggregate's requirement: the aggregate's unit applies */
	for (int i = 0; i < 2; i++) {
		if (!expr_unit_text(c, sides[i], text, sizeof text, 0))
			continue;
		rb_unit u;
		size_t at;
		int64_t num, den;
		if (rb_units_parse(c->rb->units, text, strlen(text), &u, &at) != RB_UNIT_OK ||
		    rb_unit_ratio(&ck->value_unit, &u, &num, &den) != RB_UNIT_OK)
			continue;
		char *copy = rb_arena_strndup(&c->rb->arena, text, strlen(text));
		if (!copy) {
			nomem(c);
			return false;
		}
		ck->unit_text = copy;
		ck->display_unit = u;
		return true;
	}
	return false;
}

static void add_check(cc *c, const cmp_info *ci, rb_check *ck, uint32_t group)
{
	const rb_expr *e = ci->e;
	bool flip = ci->a_thr && !ci->b_thr;
	static const int mirror[] = {[RB_OP_EQ] = RB_OP_EQ, [RB_OP_NE] = RB_OP_NE,
				     [RB_OP_LT] = RB_OP_GT, [RB_OP_LE] = RB_OP_GE,
				     [RB_OP_GT] = RB_OP_LT, [RB_OP_GE] = RB_OP_LE};
	ck->result = ci->result;
	ck->group = group;
	ck->op = flip ? mirror[e->op] : (int)e->op;
	ck->value = flip ? ci->b : ci->a;
	ck->threshold = flip ? ci->a : ci->b;
	ck->value_unit = flip ? ci->ub : ci->ua;
	ck->threshold_unit = flip ? ci->ua : ci->ub;
	const rb_sym *vs = flip ? ci->b_sym : ci->a_sym;
	const rb_sym *ts = flip ? ci->a_sym : ci->b_sym;
	ck->value_sym = vs;
	ck->threshold_sym = ts;
	if (vs && vs->unit_text[0]) {
		ck->unit_text = vs->unit_text;
		ck->display_unit = vs->ct.unit;
	} else if (ts && ts->unit_text[0]) {
		ck->unit_text = ts->unit_text;
		ck->display_unit = ts->ct.unit;
	} else if (!written_unit(c, flip ? e->b : e->a, flip ? e->a : e->b, ck)) {
		ck->unit_text = "";
		ck->display_unit = ck->value_unit;
	}
}

/* An 'or' whose every alternative is a numeric comparison (or such an
 * 'or'): its gap is its nearest alternative's. Anything else in it could
 * be what holds, so it gives no gap. */
static bool or_of_comparisons(const cc *c, const rb_expr *e)
{
	if (e->kind == RB_EX_BINARY && e->op == RB_OP_OR)
		return or_of_comparisons(c, e->a) && or_of_comparisons(c, e->b);
	return find_cmp(c, e) != NULL;
}

static void collect_checks(cc *c, const rb_expr *e, rb_check *out, uint32_t *n,
			   uint32_t cap, uint32_t group, uint32_t *ngroups)
{
	if (e->kind == RB_EX_BINARY && e->op == RB_OP_AND && !group) {
		collect_checks(c, e->a, out, n, cap, 0, ngroups);
		collect_checks(c, e->b, out, n, cap, 0, ngroups);
		return;
	}
	if (e->kind == RB_EX_BINARY && e->op == RB_OP_OR) {
		if (!group) {
			if (!or_of_comparisons(c, e))
				return;
			group = ++*ngroups;
		}
		collect_checks(c, e->a, out, n, cap, group, ngroups);
		collect_checks(c, e->b, out, n, cap, group, ngroups);
		return;
	}
	const cmp_info *ci = find_cmp(c, e);
	if (ci && *n < cap)
		add_check(c, ci, &out[(*n)++], group);
}

static void rule_checks(cc *c, rb_rule *r, const rb_expr *req, size_t first);
static void compile_rule(cc *c, const rb_m_rule *mr, rb_rule *r);

/* ---- documents ---- */

/* The document a citation names: {document, clause} names one of the
 * sources listed by the file the citation is in; a plain clause is of
 * that file's `source` (or its first listed document). */
static int32_t cite_doc(cc *c, const rb_text *cite, const char *subject)
{
	const rb_model *m = c->m;
	const char *file = cite->pos.file;
	int32_t first = -1;
	for (size_t i = 0; cite->s && i < m->nsources; i++) {
		const rb_m_source *src = &m->sources[i];
		if (!(file && src->file && strcmp(file, src->file) == 0))
			continue;
		if (cite->doc ? strcmp(src->id, cite->doc) == 0 : src->id[0] == '\0')
			return (int32_t)i;
		if (first < 0)
			first = (int32_t)i;
	}
	if (cite->doc) {
		err_at(c, RULEBOOK_ERR_NAME, cite->pos, subject,
		       "the citation names document '%s', which is not among the sources of %s",
		       cite->doc, file ? file : "this rulebook");
		return -1;
	}
	return first;
}

/* ---- rules about rules ---- */

static int64_t find_rule(cc *c, const char *id, size_t len)
{
	for (size_t i = 0; i < c->m->nrules; i++)
		if (c->m->rules[i].id.len == len && memcmp(c->m->rules[i].id.s, id, len) == 0)
			return (int64_t)i;
	return -1;
}

/* Compile rule idx now (another rule or an expression needs it), keeping
 * the caller's collection of dependencies and comparisons. */
static bool compile_rule_at(cc *c, uint32_t idx)
{
	const rb_m_rule *mr = &c->m->rules[idx];
	if (c->rule_state[idx] == 2)
		return true;
	if (c->rule_state[idx] == 3)
		return false;
	if (c->rule_state[idx] == 1) {
		err_at(c, RULEBOOK_ERR_CYCLE, mr->id.pos, mr->id.s,
		       "rule '%s' depends on itself through all_of, any_of or met()", mr->id.s);
		c->rule_state[idx] = 3;
		return false;
	}
	c->rule_state[idx] = 1;
	const rb_sym **saved = c->deps;
	size_t saved_n = c->ndeps, saved_cap = c->capdeps, saved_cmps = c->ncmps;
	uint32_t saved_stamp = c->stamp;
	c->deps = NULL;
	c->ndeps = c->capdeps = 0;
	rulebook_status before = c->status;
	compile_rule(c, mr, &c->rb->rules[idx]);
	rb_free(c->deps);
	c->deps = saved;
	c->ndeps = saved_n;
	c->capdeps = saved_cap;
	c->stamp = saved_stamp;
	c->ncmps = saved_cmps;
	if (c->rule_state[idx] == 3 || (before == RULEBOOK_OK && c->status != RULEBOOK_OK)) {
		c->rule_state[idx] = 3;
		return false;
	}
	c->rule_state[idx] = 2;
	return true;
}

/* The slot of "rule idx is met": its verdict is pass, exempt or
 * not_applicable (also when not in force); false when it fails; unknown
 * when the verdict is unknown or an error. The same decision as decide()
 * in eval.c, as instructions. */
static int64_t rule_met(cc *c, uint32_t idx)
{
	rb_rule *r = &c->rb->rules[idx];
	if (r->met >= 0)
		return r->met;
	int64_t yes = const_int(c, 1);
	int64_t v = r->require >= 0 ? r->require : yes;
	for (uint32_t k = 0; k < r->nunless; k++)
		v = emit(c, RB_I_OR, r->unless[k].when, v, 0, 0, 0);
	if (r->when >= 0)
		v = emit(c, RB_I_SELECT, r->when, v, yes, 0, 0);
	if (r->from || r->until) {
		int64_t in = yes;
		if (r->from)
			in = emit(c, RB_I_IGE, 0, const_int(c, r->from), 0, 0, 0);
		if (r->until)
			in = emit(c, RB_I_AND, in, emit(c, RB_I_ILE, 0, const_int(c, r->until), 0, 0, 0),
				  0, 0, 0);
		v = emit(c, RB_I_SELECT, in, v, yes, 0, 0);
	}
	r->met = v;
	return v;
}

/* all_of / any_of: the rule also requires that all (any) of the listed
 * rules are met; their dependencies become the rule's. */
static void rule_parts(cc *c, const rb_m_rule *mr, rb_rule *r)
{
	size_t n = mr->nall_of + mr->nany_of;
	if (!n)
		return;
	if (mr->nall_of && mr->nany_of) {
		err_at(c, RULEBOOK_ERR_SCHEMA, mr->id.pos, mr->id.s,
		       "rule '%s' has both all_of and any_of: split it into two rules", mr->id.s);
		return;
	}
	r->parts_any = mr->nany_of > 0;
	const rb_text *ids = r->parts_any ? mr->any_of : mr->all_of;
	r->parts = rb_arena_calloc(&c->rb->arena, n, sizeof(uint32_t));
	if (!r->parts) {
		nomem(c);
		return;
	}
	int64_t acc = -1;
	for (size_t k = 0; k < n; k++) {
		int64_t idx = find_rule(c, ids[k].s, ids[k].len);
		if (idx < 0) {
			err_at(c, RULEBOOK_ERR_NAME, ids[k].pos, mr->id.s,
			       "'%s' in %s of rule '%s' is not a rule of this rulebook", ids[k].s,
			       r->parts_any ? "any_of" : "all_of", mr->id.s);
			continue;
		}
		if (!compile_rule_at(c, (uint32_t)idx))
			continue;
		const rb_rule *part = &c->rb->rules[idx];
		for (uint32_t d = 0; d < part->ndeps; d++)
			add_dep(c, part->deps[d]);
		int64_t met = rule_met(c, (uint32_t)idx);
		acc = acc < 0 ? met : emit(c, r->parts_any ? RB_I_OR : RB_I_AND, acc, met, 0, 0, 0);
		r->parts[r->nparts++] = (uint32_t)idx;
	}
	if (acc >= 0 && r->nparts == n)
		r->require = r->require >= 0 ? emit(c, RB_I_AND, r->require, acc, 0, 0, 0) : acc;
}

static void compile_rule(cc *c, const rb_m_rule *mr, rb_rule *r)
{
	rulebook *rb = c->rb;
	r->id = mr->id.s;
	r->title = mr->title;
	r->cite = mr->cite.s;
	r->doc = cite_doc(c, &mr->cite, mr->id.s);
	r->severity = mr->severity;
	r->responsible = mr->responsible;
	r->nresponsible = (uint32_t)mr->nresponsible;
	r->from = mr->from;
	r->until = mr->until;
	r->pos = mr->id.pos;
	r->when = r->require = -1;
	r->met = -1;
	begin_deps(c);
	if (mr->when.s) {
		cval v = compile_bool(c, &mr->when, r->id, "'when'", NULL);
		r->when = v.slot;
	}
	if (mr->require.s) {
		const rb_expr *tree = NULL;
		size_t first = c->ncmps;
		cval v = compile_bool(c, &mr->require, r->id, "'require'", &tree);
		r->require = v.slot;
		if (v.slot >= 0)
			rule_checks(c, r, tree, first);
	}
	r->unless = rb_arena_calloc(&rb->arena, mr->nunless ? mr->nunless : 1, sizeof(rb_exception));
	r->obligations = rb_arena_calloc(&rb->arena, mr->nobligations ? mr->nobligations : 1,
					 sizeof(rb_obligation));
	if (!r->unless || !r->obligations) {
		nomem(c);
		return;
	}
	rb_idset seen = RB_IDSET_INIT;
	uint32_t first;
	for (size_t i = 0; i < mr->nunless; i++) {
		const rb_m_exception *me = &mr->unless[i];
		if (seen_before(c, &seen, &me->id, i, &first))
			err_at(c, RULEBOOK_ERR_NAME, me->id.pos, r->id,
			       "exception '%s' appears twice in rule '%s'", me->id.s, r->id);
		rb_exception *x = &r->unless[i];
		x->id = me->id.s;
		x->cite = me->cite.s;
		x->doc = cite_doc(c, &me->cite, r->id);
		x->label = me->label;
		cval v = compile_bool(c, &me->when, r->id, "an exception's 'when'", NULL);
		x->when = v.slot < 0 ? 0 : (uint32_t)v.slot;
	}
	r->nunless = (uint32_t)mr->nunless;
	rb_idset_free(&seen);
	for (size_t i = 0; i < mr->nobligations; i++) {
		const rb_m_obligation *mo = &mr->obligations[i];
		if (seen_before(c, &seen, &mo->id, i, &first))
			err_at(c, RULEBOOK_ERR_NAME, mo->id.pos, r->id,
			       "obligation '%s' appears twice in rule '%s'", mo->id.s, r->id);
		rb_obligation *o = &r->obligations[i];
		o->id = mo->id.s;
		o->label = mo->label;
		o->unit_text = mo->unit.s ? mo->unit.s : "";
		rb_unit u;
		if (!parse_unit(c, &mo->unit, &u, r->id))
			continue;
		cval v = compile_hinted(c, &mo->value, r->id, NULL, &u);
		if (v.slot < 0)
			continue;
		if (v.t.type != RB_T_NUMBER && v.t.type != RB_T_INTEGER) {
			err_at(c, RULEBOOK_ERR_TYPE, mo->value.pos, r->id,
			       "obligation '%s' must be an amount (a number), not a %s", mo->id.s,
			       type_name(v.t.type));
			continue;
		}
		int64_t s = to_unit(c, v, &u, &mo->unit, mo->id.s, "obligation");
		o->slot = s < 0 ? 0 : (uint32_t)s;
	}
	r->nobligations = (uint32_t)mr->nobligations;
	rb_idset_free(&seen);
	rule_parts(c, mr, r);
	r->deps = save_closure(c, &r->ndeps);
	for (uint32_t i = 0; r->deps && i < r->ndeps; i++)
		if ((r->deps[i]->kind == RB_SYM_PARAM &&
		     rb->params[r->deps[i]->index].provenance == RB_PROV_ILLUSTRATIVE) ||
		    (r->deps[i]->kind == RB_SYM_LOOKUP && r->deps[i]->lookup->table->illustrative))
			r->illustrative = true;
	compile_template(c, &mr->message_zh, mr, r, &r->msg_zh);
	compile_template(c, &mr->message_en, mr, r, &r->msg_en);
	for (int v = 0; v < 2; v++)
		for (int l = 0; l < 2; l++)
			compile_template(c, &mr->verdict_msg[v][l], mr, r, &r->vmsg[v][l]);
}

/* The top-level comparisons of a requirement (joined by 'and'), recorded
 * while it compiled, become the rule's checks: the source of its gap. */
static void find_checks(cc *c, const rb_expr *req, size_t first, rb_check **out, uint32_t *n)
{
	uint32_t cap = (uint32_t)(c->ncmps - first);
	if (!cap)
		return;
	*out = rb_arena_calloc(&c->rb->arena, cap, sizeof(rb_check));
	if (!*out) {
		nomem(c);
		return;
	}
	uint32_t ngroups = 0;
	collect_checks(c, req, *out, n, cap, 0, &ngroups);
}

static void rule_checks(cc *c, rb_rule *r, const rb_expr *req, size_t first)
{
	find_checks(c, req, first, &r->checks, &r->nchecks);
}

/* ---- targets ---- */

static int64_t target_number(cc *c, const rb_text *t, const char *id, const char *what,
			     const rb_unit *unit, const rb_text *unit_text)
{
	cval v = compile_hinted(c, t, id, NULL, unit);
	if (v.slot < 0)
		return -1;
	if (v.t.type != RB_T_NUMBER && v.t.type != RB_T_INTEGER) {
		err_at(c, RULEBOOK_ERR_TYPE, t->pos, id, "the %s of target '%s' must be a number, not a %s",
		       what, id, type_name(v.t.type));
		return -1;
	}
	return to_unit_at(c, v, unit, unit_text, id, what, t->pos);
}

static void compile_target(cc *c, const rb_m_target *mt, rb_target *t)
{
	t->id = mt->id.s;
	t->title = mt->title;
	t->cite = mt->cite.s;
	t->doc = cite_doc(c, &mt->cite, mt->id.s);
	t->responsible = mt->responsible;
	t->nresponsible = (uint32_t)mt->nresponsible;
	t->direction = mt->direction;
	t->kind = mt->kind;
	t->from = mt->from;
	t->until = mt->until;
	t->yearly = mt->yearly;
	/* reduction and growth report ratios: their figures have no unit */
	t->unit_text = mt->unit.s && mt->kind != RB_TK_REDUCTION && mt->kind != RB_TK_GROWTH
			       ? mt->unit.s : "";
	t->pos = mt->id.pos;
	t->base = -1;
	rb_unit u, one = rb_unit_one();
	if (!parse_unit(c, &mt->unit, &u, t->id))
		return;
	begin_deps(c);
	bool relative = mt->kind == RB_TK_REDUCTION || mt->kind == RB_TK_GROWTH;
	int64_t m = target_number(c, &mt->measure, t->id, "measure", &u, &mt->unit);
	int64_t g = target_number(c, &mt->target, t->id, "target", relative ? &one : &u,
				  relative ? NULL : &mt->unit);
	if (mt->base.s)
		t->base = target_number(c, &mt->base, t->id, "base", &u, &mt->unit);
	t->deps = save_closure(c, &t->ndeps);
	t->measure = m < 0 ? 0 : (uint32_t)m;
	t->goal = g < 0 ? 0 : (uint32_t)g;
}

/* ---- scorecards ---- */

/* A number in unit u (plain numbers when u is dimensionless); bare
 * literals take u. */
static int64_t number_in(cc *c, const rb_text *t, const char *id, const char *what, const rb_unit *u)
{
	cval v = compile_hinted(c, t, id, NULL, u);
	if (v.slot < 0)
		return -1;
	if (v.t.type != RB_T_NUMBER && v.t.type != RB_T_INTEGER) {
		err_at(c, RULEBOOK_ERR_TYPE, t->pos, id, "the %s must be a number, not a %s", what,
		       type_name(v.t.type));
		return -1;
	}
	return to_unit_at(c, v, u, NULL, id, what, t->pos);
}

static int64_t dimensionless(cc *c, const rb_text *t, const char *id, const char *what)
{
	rb_unit one = rb_unit_one();
	return number_in(c, t, id, what, &one);
}

/* The value of a slot known when compiling (a literal, or arithmetic on
 * literals); false for anything that depends on the facts or the date. */
static bool known(const cc *c, int64_t slot, rb_dec *out)
{
	if (slot < 0 || c->consts[slot].state != RB_V_OK || !c->numeric[slot])
		return false;
	*out = c->consts[slot].u.d;
	return true;
}

/* The figures of a component that the date (a parameter) or the record
 * decides are checked when evaluating: a slot that is true when the
 * benchmark is above 0, the weight 0 or more, the cap not below the floor
 * and the scale's max above its min; -1 when every figure is a constant
 * (those are checked here, when compiling). */
static int64_t component_sane(cc *c, const rb_component *k)
{
	rb_dec d, e;
	int64_t ok = -1, t;
	int64_t zero = const_dec(c, RB_DEC_ZERO);
	if (k->bench >= 0 && !known(c, k->bench, &d)) {
		t = emit(c, RB_I_NGT, k->bench, zero, 0, 0, 0);
		ok = ok < 0 ? t : emit(c, RB_I_AND, ok, t, 0, 0, 0);
	}
	if (!known(c, k->weight, &d)) {
		t = emit(c, RB_I_NGE, k->weight, zero, 0, 0, 0);
		ok = ok < 0 ? t : emit(c, RB_I_AND, ok, t, 0, 0, 0);
	}
	if (k->floor >= 0 && k->cap >= 0 && !(known(c, k->floor, &d) && known(c, k->cap, &e))) {
		t = emit(c, RB_I_NGE, k->cap, k->floor, 0, 0, 0);
		ok = ok < 0 ? t : emit(c, RB_I_AND, ok, t, 0, 0, 0);
	}
	if (k->smin >= 0 && k->smax >= 0 && !(known(c, k->smin, &d) && known(c, k->smax, &e))) {
		t = emit(c, RB_I_NGT, k->smax, k->smin, 0, 0, 0);
		ok = ok < 0 ? t : emit(c, RB_I_AND, ok, t, 0, 0, 0);
	}
	return ok;
}

static bool compile_component(cc *c, const rb_m_component *mc, rb_component *k, const char *sc,
			      cval *points, int64_t *sane)
{
	k->id = mc->id.s;
	k->label = mc->label;
	k->average = mc->missing == RB_MISS_AVERAGE;
	k->bench = k->floor = k->cap = k->smin = k->smax = -1;
	k->bench_pos = mc->benchmark.pos;
	k->weight_pos = mc->weight.pos;
	k->cap_pos = mc->cap.pos;
	k->scale_pos = mc->scale_max.pos;
	cval v = compile_text(c, &mc->value, sc, NULL);
	if (v.slot < 0)
		return false;
	if (v.t.type != RB_T_NUMBER && v.t.type != RB_T_INTEGER) {
		err_at(c, RULEBOOK_ERR_TYPE, mc->value.pos, sc,
		       "component '%s' needs a number as its value, not a %s", k->id, type_name(v.t.type));
		return false;
	}
	k->value = (uint32_t)v.slot;
	k->value_sym = v.sym;
	k->unit_text = v.sym ? v.sym->unit_text : "";
	const rb_text *saved = c->src;
	c->src = &mc->value;
	int64_t ratio;
	int64_t vslot = -1, bslot = -1; /* value and benchmark in one unit */
	if (mc->benchmark.s) {
		cval b = compile_hinted(c, &mc->benchmark, sc, NULL, &v.t.unit);
		if (b.slot < 0 || !unify(c, NULL, &v, &b, "divide a component by its benchmark")) {
			c->src = saved;
			return false;
		}
		rb_dec d;
		if (known(c, b.slot, &d) && rb_dec_sign(d) <= 0) {
			char t[RB_DEC_BUFSIZE];
			rb_dec_format(d, t, sizeof t);
			err_at(c, RULEBOOK_ERR_VALUE, mc->benchmark.pos, sc,
			       "the benchmark of component '%s' is %s: a benchmark must be above 0",
			       k->id, t);
			c->src = saved;
			return false;
		}
		vslot = v.slot;
		bslot = b.slot;
		k->bench = b.slot;
		ratio = emit(c, RB_I_DIV, v.slot, b.slot, 0, 0, 0);
	} else {
		/* (value - min) / (max - min) within 0..1; bounds in the value's unit */
		cval lo = compile_hinted(c, &mc->scale_min, sc, NULL, &v.t.unit);
		cval hi = compile_hinted(c, &mc->scale_max, sc, NULL, &v.t.unit);
		int64_t l = lo.slot < 0 ? -1 : to_unit(c, lo, &v.t.unit, &mc->scale_min, k->id, "scale");
		int64_t h = hi.slot < 0 ? -1 : to_unit(c, hi, &v.t.unit, &mc->scale_max, k->id, "scale");
		if (l < 0 || h < 0) {
			c->src = saved;
			return false;
		}
		rb_dec dl, dh;
		if (known(c, l, &dl) && known(c, h, &dh) && rb_dec_cmp(dh, dl) <= 0) {
			err_at(c, RULEBOOK_ERR_VALUE, mc->scale_max.pos, sc,
			       "the scale of component '%s' needs 'max' above 'min' (a ratio over "
			       "max - min)",
			       k->id);
			c->src = saved;
			return false;
		}
		k->smin = l;
		k->smax = h;
		ratio = emit(c, RB_I_DIV, emit(c, RB_I_SUB, v.slot, l, 0, 0, 0),
			     emit(c, RB_I_SUB, h, l, 0, 0, 0), 0, 0, 0);
		ratio = emit(c, RB_I_MAX, ratio, const_dec(c, RB_DEC_ZERO), 0, 0, 0);
		ratio = emit(c, RB_I_MIN, ratio, const_dec(c, rb_dec_from_int(1)), 0, 0, 0);
	}
	c->src = saved;
	int64_t floor_slot = -1, cap_slot = -1;
	if (mc->floor.s) {
		floor_slot = dimensionless(c, &mc->floor, sc, "floor");
		ratio = floor_slot < 0 ? -1 : emit(c, RB_I_MAX, ratio, floor_slot, 0, 0, 0);
	}
	if (mc->cap.s) {
		cap_slot = dimensionless(c, &mc->cap, sc, "cap");
		ratio = cap_slot < 0 ? -1 : emit(c, RB_I_MIN, ratio, cap_slot, 0, 0, 0);
	}
	rb_dec dfloor, dcap;
	if (floor_slot >= 0 && cap_slot >= 0 && known(c, floor_slot, &dfloor) &&
	    known(c, cap_slot, &dcap) && rb_dec_cmp(dcap, dfloor) < 0) {
		err_at(c, RULEBOOK_ERR_VALUE, mc->cap.pos, sc,
		       "the cap of component '%s' is below its floor", k->id);
		return false;
	}
	k->floor = floor_slot;
	k->cap = cap_slot;
	if (mc->missing == RB_MISS_ZERO)
		ratio = emit(c, RB_I_COALESCE, ratio, const_dec(c, RB_DEC_ZERO), 0, 0, 0);
	/* weights: plain numbers, or points in a unit of the rulebook's (分) */
	cval w = compile_text(c, &mc->weight, sc, NULL);
	if (w.slot >= 0 && w.t.type != RB_T_NUMBER && w.t.type != RB_T_INTEGER) {
		err_at(c, RULEBOOK_ERR_TYPE, mc->weight.pos, sc, "the weight of component '%s' must be a number",
		       k->id);
		return false;
	}
	rb_dec dw;
	if (w.slot >= 0 && known(c, w.slot, &dw) && rb_dec_sign(dw) < 0) {
		err_at(c, RULEBOOK_ERR_VALUE, mc->weight.pos, sc,
		       "the weight of component '%s' is negative: weights are 0 or more", k->id);
		return false;
	}
	if (ratio < 0 || w.slot < 0)
		return false;
	k->ratio = (uint32_t)ratio;
	k->weight = (uint32_t)w.slot;
	*sane = component_sane(c, k);
	int64_t pts;
	if (vslot >= 0) {
		/* weight × value / benchmark with a single rounding, the bounds
		 * decided by exact products (value < floor × benchmark), so a firm
		 * exactly on a cut-off is not moved by a rounded ratio. Benchmarks
		 * are positive. */
		pts = emit(c, RB_I_DIV, emit(c, RB_I_MUL, w.slot, vslot, 0, 0, 0), bslot, 0, 0, 0);
		if (floor_slot >= 0) {
			int64_t below = emit(c, RB_I_NLT, vslot, emit(c, RB_I_MUL, floor_slot, bslot, 0, 0, 0),
					     0, 0, 0);
			pts = emit(c, RB_I_SELECT, below, emit(c, RB_I_MUL, w.slot, floor_slot, 0, 0, 0), pts,
				   0, 0);
		}
		if (cap_slot >= 0) {
			int64_t above = emit(c, RB_I_NGT, vslot, emit(c, RB_I_MUL, cap_slot, bslot, 0, 0, 0),
					     0, 0, 0);
			pts = emit(c, RB_I_SELECT, above, emit(c, RB_I_MUL, w.slot, cap_slot, 0, 0, 0), pts,
				   0, 0);
		}
		if (mc->missing == RB_MISS_ZERO)
			pts = emit(c, RB_I_COALESCE, pts, const_dec(c, RB_DEC_ZERO), 0, 0, 0);
	} else {
		pts = emit(c, RB_I_MUL, w.slot, ratio, 0, 0, 0);
	}
	if (pts < 0)
		return false;
	k->points = (uint32_t)pts;
	*points = result(pts, RB_T_NUMBER, w.t.unit, false);
	points->sym = w.sym;
	return true;
}

/* The first input among what a part uses (indicators closed over, the keys
 * of a lookup and the list of a fold included): what makes it depend on the
 * record; NULL when it depends on the date alone. */
static const rb_sym *first_input(const rb_deps *d)
{
	for (uint32_t k = 0; k < d->n; k++)
		if (d->d[k]->kind == RB_SYM_INPUT)
			return d->d[k];
	return NULL;
}

/* The index of the class named id (classes holds the scorecard's). */
static int32_t class_index(const rb_idset *classes, const rb_text *id)
{
	return (int32_t)rb_idset_find(classes, id->s, id->len);
}

static void compile_scorecard(cc *c, const rb_m_scorecard *ms, rb_scorecard *sc)
{
	rulebook *rb = c->rb;
	sc->id = ms->id.s;
	sc->cite = ms->cite.s;
	sc->doc = cite_doc(c, &ms->cite, ms->id.s);
	sc->title = ms->title;
	sc->pos = ms->id.pos;
	sc->scope = -1;
	sc->components = rb_arena_calloc(&rb->arena, ms->ncomponents + 1, sizeof(rb_component));
	sc->vetoes = rb_arena_calloc(&rb->arena, ms->nvetoes + 1, sizeof(rb_veto));
	sc->classes = rb_arena_calloc(&rb->arena, ms->nclasses + 1, sizeof(rb_class));
	sc->consequences = rb_arena_calloc(&rb->arena, ms->nconsequences + 1, sizeof(rb_consequence));
	if (!sc->components || !sc->vetoes || !sc->classes || !sc->consequences) {
		nomem(c);
		return;
	}
	begin_deps(c);
	sc->sane = -1;
	size_t part = part_begin(c);
	if (ms->scope.s)
		sc->scope = compile_bool(c, &ms->scope, sc->id, "'scope'", NULL).slot;
	sc->scope_deps = part_end(c, part);
	/* the score: the sum of the components' points, in the weights' unit */
	cval score = {.slot = -1};
	rb_idset seen = RB_IDSET_INIT;
	uint32_t first;
	for (size_t k = 0; k < ms->ncomponents; k++) {
		if (seen_before(c, &seen, &ms->components[k].id, k, &first))
			err_at(c, RULEBOOK_ERR_NAME, ms->components[k].id.pos, sc->id,
			       "component '%s' appears twice in scorecard '%s'",
			       ms->components[k].id.s, sc->id);
		cval pts;
		int64_t sane = -1;
		part = part_begin(c);
		bool ok = compile_component(c, &ms->components[k], &sc->components[k], sc->id, &pts,
					    &sane);
		sc->components[k].deps = part_end(c, part);
		if (!ok)
			continue;
		if (sane >= 0)
			sc->sane = sc->sane < 0 ? sane : emit(c, RB_I_AND, sc->sane, sane, 0, 0, 0);
		if (sc->components[k].average)
			sc->has_average = true;
		if (score.slot < 0) {
			score = pts;
			sc->score_unit = pts.sym && pts.sym->unit_text ? pts.sym->unit_text : "";
			continue;
		}
		const rb_text *saved = c->src;
		c->src = &ms->components[k].weight;
		if (unify(c, NULL, &score, &pts, "add the points of components weighted in"))
			score = result(emit(c, RB_I_ADD, score.slot, pts.slot, 0, 0, 0), RB_T_NUMBER,
				       score.t.unit, false);
		c->src = saved;
	}
	sc->ncomponents = (uint32_t)ms->ncomponents;
	rb_idset_free(&seen);
	sc->score = score.slot < 0 ? 0 : (uint32_t)score.slot;
	if (!sc->score_unit)
		sc->score_unit = "";
	rb_unit score_unit = score.slot < 0 ? rb_unit_one() : score.t.unit;

	/* classes: best first, each with a cut-off but the last */
	for (size_t k = 0; k < ms->nclasses; k++) {
		const rb_m_class *mk = &ms->classes[k];
		rb_class *cl = &sc->classes[k];
		cl->id = mk->id.s;
		cl->label = mk->label;
		if (seen_before(c, &seen, &mk->id, k, &first))
			err_at(c, RULEBOOK_ERR_NAME, mk->id.pos, sc->id,
			       "class '%s' appears twice in scorecard '%s'", mk->id.s, sc->id);
		bool last = k + 1 == ms->nclasses;
		if (mk->share.s) {
			size_t at;
			rb_dec sh;
			rb_dec_status ds = rb_dec_parse_percent(mk->share.s, mk->share.len, &sh, &at);
			if (ds != RB_DEC_OK || rb_dec_sign(sh) <= 0 || rb_dec_cmp(sh, rb_dec_from_int(1)) > 0) {
				err_at(c, RULEBOOK_ERR_VALUE, mk->share.pos, sc->id,
				       "'share' of class '%s' must be a share above 0 and at most 100%%",
				       mk->id.s);
				continue;
			}
			cl->share = sh;
			sc->by_rank = true;
			continue;
		}
		if (sc->by_rank) {
			err_at(c, RULEBOOK_ERR_SCHEMA, mk->id.pos, sc->id,
			       "class '%s' needs a 'share': classes of one scorecard are all by score "
			       "('min') or all by rank ('share')",
			       mk->id.s);
			continue;
		}
		if (!mk->min.s) {
			if (!last)
				err_at(c, RULEBOOK_ERR_SCHEMA, mk->id.pos, sc->id,
				       "class '%s' needs a 'min' score: only the last class takes the rest",
				       mk->id.s);
			continue;
		}
		if (last) {
			err_at(c, RULEBOOK_ERR_SCHEMA, mk->min.pos, sc->id,
			       "the last class '%s' takes every score below the others: remove its 'min'",
			       mk->id.s);
			continue;
		}
		/* a cut-off is a number or an expression (a cited, dated parameter) */
		part = part_begin(c);
		int64_t min = number_in(c, &mk->min, sc->id, "cut-off", &score_unit);
		cl->deps = part_end(c, part);
		if (min < 0)
			continue;
		/* A record that waits for the population's average is classed
		 * once every record is in, with the cut-offs of none in
		 * particular: they cannot depend on the record. */
		const rb_sym *in = sc->has_average ? first_input(&cl->deps) : NULL;
		if (in) {
			const char *avg = "";
			for (size_t j = 0; j < ms->ncomponents && !*avg; j++)
				if (ms->components[j].missing == RB_MISS_AVERAGE && ms->components[j].id.s)
					avg = ms->components[j].id.s;
			err_at(c, RULEBOOK_ERR_SCHEMA, mk->min.pos, sc->id,
			       "the cut-off of class '%s' in scorecard '%s' depends on input '%.*s', but "
			       "component '%s' has 'missing: average': a record that waits for the "
			       "population's average is classed after every record is in, so a cut-off "
			       "must be a number or a parameter",
			       mk->id.s, sc->id, (int)in->len, in->name, avg);
			continue;
		}
		int64_t reached = emit(c, RB_I_NGE, sc->score, min, 0, 0, 0);
		if (reached < 0)
			continue;
		cl->min = (uint32_t)min;
		cl->reached = (uint32_t)reached;
		cl->has_min = true;
		/* literal cut-offs must go down */
		rb_dec a, b;
		size_t at;
		if (k > 0 && ms->classes[k - 1].min.s &&
		    rb_dec_parse_percent(mk->min.s, mk->min.len, &a, &at) == RB_DEC_OK &&
		    rb_dec_parse_percent(ms->classes[k - 1].min.s, ms->classes[k - 1].min.len, &b, &at) == RB_DEC_OK &&
		    rb_dec_cmp(a, b) >= 0)
			err_at(c, RULEBOOK_ERR_SCHEMA, mk->min.pos, sc->id,
			       "classes must go from best to worst: 'min' of '%s' is not below the one "
			       "before",
			       mk->id.s);
	}
	sc->nclasses = (uint32_t)ms->nclasses;
	if (sc->by_rank) {
		rb_dec total = RB_DEC_ZERO;
		for (uint32_t k = 0; k < sc->nclasses; k++)
			rb_dec_add(total, sc->classes[k].share, &total);
		if (rb_dec_cmp(total, rb_dec_from_int(1)) != 0)
			err_at(c, RULEBOOK_ERR_SCHEMA, ms->id.pos, sc->id,
			       "the class shares of scorecard '%s' must add up to 100%%", sc->id);
	}
	for (size_t k = 0; k < ms->nvetoes; k++) {
		const rb_m_veto *mv = &ms->vetoes[k];
		rb_veto *v = &sc->vetoes[k];
		v->id = mv->id.s;
		v->cite = mv->cite.s;
		v->doc = cite_doc(c, &mv->cite, ms->id.s);
		v->label = mv->label;
		part = part_begin(c);
		int64_t w = compile_bool(c, &mv->when, sc->id, "a veto's 'when'", NULL).slot;
		v->deps = part_end(c, part);
		v->when = w < 0 ? 0 : (uint32_t)w;
		int32_t ci = class_index(&seen, &mv->cls);
		if (ci < 0)
			err_at(c, RULEBOOK_ERR_NAME, mv->cls.pos, sc->id,
			       "veto '%s' forces class '%s', which scorecard '%s' does not have", v->id,
			       mv->cls.s, sc->id);
		v->cls = ci < 0 ? 0 : (uint32_t)ci;
	}
	sc->nvetoes = (uint32_t)ms->nvetoes;
	for (size_t k = 0; k < ms->nconsequences; k++) {
		const rb_m_consequence *mq = &ms->consequences[k];
		rb_consequence *q = &sc->consequences[k];
		q->id = mq->id.s;
		q->cite = mq->cite.s;
		q->doc = cite_doc(c, &mq->cite, ms->id.s);
		q->label = mq->label;
		q->unit_text = mq->unit.s ? mq->unit.s : "";
		q->when = -1;
		int32_t ci = class_index(&seen, &mq->cls);
		if (ci < 0)
			err_at(c, RULEBOOK_ERR_NAME, mq->cls.pos, sc->id,
			       "consequence '%s' is for class '%s', which scorecard '%s' does not have",
			       q->id, mq->cls.s, sc->id);
		q->cls = ci < 0 ? 0 : (uint32_t)ci;
		if (mq->when.s)
			q->when = compile_bool(c, &mq->when, sc->id, "a consequence's 'when'", NULL).slot;
		rb_unit u;
		if (!parse_unit(c, &mq->unit, &u, sc->id))
			continue;
		part = part_begin(c);
		cval v = compile_hinted(c, &mq->value, sc->id, NULL, &u);
		rb_deps vd = part_end(c, part);
		if (v.slot < 0)
			continue;
		int64_t s = to_unit(c, v, &u, &mq->unit, q->id, "consequence");
		q->value = s < 0 ? 0 : (uint32_t)s;
		/* a table's value counts as a threshold, but one looked up by an
		 * input's key is the record's */
		q->per_record = !v.thr || first_input(&vd);
	}
	sc->nconsequences = (uint32_t)ms->nconsequences;
	rb_idset_free(&seen);
	sc->deps = save_closure(c, &sc->ndeps);
}

/* ---- aggregates ---- */

static void compile_aggregate(cc *c, const rb_m_aggregate *ma, rb_aggregate *a)
{
	a->id = ma->id.s;
	a->cite = ma->cite.s;
	a->doc = cite_doc(c, &ma->cite, ma->id.s);
	a->title = ma->title;
	a->responsible = ma->responsible;
	a->nresponsible = (uint32_t)ma->nresponsible;
	a->measure = ma->measure;
	a->unit_text = ma->unit.s && a->measure != RB_AGG_SHARE && a->measure != RB_AGG_COUNT
			       ? ma->unit.s : "";
	a->pos = ma->id.pos;
	a->filter = a->value = a->where = a->require = -1;
	rb_unit u = rb_unit_one();
	if (!parse_unit(c, &ma->unit, &u, a->id))
		return;
	begin_deps(c);
	if (ma->filter.s)
		a->filter = compile_bool(c, &ma->filter, a->id, "'filter'", NULL).slot;
	if (ma->where.s)
		a->where = compile_bool(c, &ma->where, a->id, "'where'", NULL).slot;
	if (ma->value.s) {
		cval v = compile_hinted(c, &ma->value, a->id, NULL, &u);
		if (v.slot >= 0 && v.t.type != RB_T_NUMBER && v.t.type != RB_T_INTEGER)
			err_at(c, RULEBOOK_ERR_TYPE, ma->value.pos, a->id,
			       "the value of aggregate '%s' must be a number, not a %s", a->id,
			       type_name(v.t.type));
		else if (v.slot >= 0)
			a->value = to_unit(c, v, &u, &ma->unit, a->id, "aggregate");
	}
	a->deps = save_closure(c, &a->ndeps);
	/* The aggregate's own unit: a share and a count are plain numbers. */
	rb_unit au = (a->measure == RB_AGG_SHARE || a->measure == RB_AGG_COUNT) ? rb_unit_one() : u;
	int64_t slot = new_slot(c, (rb_val){.state = RB_V_MISSING});
	if (slot < 0)
		return;
	a->slot = (uint32_t)slot;
	if (!ma->require.s)
		return;
	/* The requirement runs in the aggregate program, once per population. */
	rb_ins *saved_code = c->code;
	size_t saved_n = c->ncode, saved_cap = c->capcode;
	c->code = c->rb->agg_code;
	c->ncode = c->rb->nagg_code;
	c->capcode = c->agg_cap;
	c->agg_value = slot;
	c->agg_unit = au;
	const rb_expr *tree = NULL;
	size_t first = c->ncmps;
	size_t part = part_begin(c);
	cval v = compile_bool(c, &ma->require, a->id, "'require'", &tree);
	a->require_deps = part_end(c, part);
	a->require = v.slot;
	if (v.slot >= 0)
		find_checks(c, tree, first, &a->checks, &a->nchecks);
	c->agg_value = -1;
	c->rb->agg_code = c->code;
	c->rb->nagg_code = (uint32_t)c->ncode;
	c->agg_cap = c->capcode;
	c->code = saved_code;
	c->ncode = saved_n;
	c->capcode = saved_cap;
}

/* ---- parameters and inputs ---- */


static void compile_param(cc *c, const rb_m_param *mp, rb_param *p)
{
	rb_sym *s = p->sym;
	p->cite = mp->cite.s;
	p->doc = cite_doc(c, &mp->cite, mp->id.s);
	p->file = mp->nvalues ? mp->values[0].pos.file : mp->id.pos.file;
	p->provenance = mp->provenance;
	p->note = mp->note;
	rb_unit u;
	if (!parse_unit(c, &mp->unit, &u, mp->id.s))
		return;
	s->ct.type = RB_T_NUMBER;
	s->ct.unit = u;
	s->ct.enum_of = -1;
	s->unit_text = mp->unit.s ? mp->unit.s : "";
	s->label = mp->label;
	p->values = rb_arena_calloc(&c->rb->arena, mp->nvalues, sizeof(rb_param_value));
	if (!p->values) {
		nomem(c);
		return;
	}
	for (size_t i = 0; i < mp->nvalues; i++) {
		const rb_m_value *mv = &mp->values[i];
		size_t at = 0;
		p->values[i].from = mv->from;
		if (mv->absent) {
			p->values[i].absent = true;
			continue;
		}
		rb_dec_status st = rb_dec_parse_percent(mv->value.s, mv->value.len, &p->values[i].value, &at);
		if (st != RB_DEC_OK) {
			/* Quote at most 64 bytes (a character boundary) of a long value. */
			size_t shown = mv->value.len > 64 ? 64 : mv->value.len;
			while (shown < mv->value.len && shown > 0 &&
			       ((unsigned char)mv->value.s[shown] & 0xC0) == 0x80)
				shown--;
			err_at(c, st == RB_DEC_SYNTAX ? RULEBOOK_ERR_VALUE : RULEBOOK_ERR_RANGE,
			       rb_text_pos_at(c->m, &mv->value, at), mp->id.s,
			       "value '%.*s%s' of parameter '%s' is not %s", (int)shown, mv->value.s,
			       shown < mv->value.len ? "..." : "", mp->id.s,
			       st == RB_DEC_SYNTAX ? "a decimal number (write 37, 0.023, 2.3% or 1.2e3)"
						   : "within 18 significant digits and the decimal range");
			continue;
		}
		p->values[i].from = mv->from;
		p->values[i].text = mv->value.s;
	}
	p->nvalues = (uint32_t)mp->nvalues;
}

/* A row key as written: an enum value, a text, or for integer keys a whole
 * number or a range "13-20" (also "13–20"), both ends included. */
static bool table_key(cc *c, const rb_m_table *mt, uint32_t k, const rb_text *kt, const rb_input *in,
		      rb_table_key *out)
{
	if (in->type == RB_T_ENUM) {
		for (uint32_t v = 0; v < in->nvalues; v++)
			if (in->value_lens[v] == kt->len && memcmp(in->values[v], kt->s, kt->len) == 0) {
				out->e = (int32_t)v;
				return true;
			}
		err_at(c, RULEBOOK_ERR_VALUE, kt->pos, mt->id.s,
		       "row key '%s' of table '%s' is not a value of enum input '%s', so no record "
		       "can reach the row", kt->s, mt->id.s, in->sym->name);
		return false;
	}
	if (in->type == RB_T_TEXT) {
		out->text = kt->s;
		out->len = (uint32_t)kt->len;
		return true;
	}
	/* integers: "13", "13-20", "13–20" (U+2013) */
	size_t cut = kt->len, rest = kt->len;
	for (size_t i = 1; i < kt->len; i++) {
		if (kt->s[i] == '-') {
			cut = i;
			rest = i + 1;
			break;
		}
		if (i + 2 < kt->len && memcmp(kt->s + i, "\xe2\x80\x93", 3) == 0) {
			cut = i;
			rest = i + 3;
			break;
		}
	}
	size_t at;
	bool ok = rb_dec_parse(kt->s, cut, &out->lo, &at) == RB_DEC_OK && rb_dec_is_integer(out->lo);
	out->hi = out->lo;
	if (ok && rest < kt->len)
		ok = rb_dec_parse(kt->s + rest, kt->len - rest, &out->hi, &at) == RB_DEC_OK &&
		     rb_dec_is_integer(out->hi);
	else if (rest == kt->len && cut < kt->len)
		ok = false;
	if (!ok) {
		err_at(c, RULEBOOK_ERR_VALUE, kt->pos, mt->id.s,
		       "row key '%s' of table '%s' must be a whole number or a range like 13-20 "
		       "(key %u is the integer input '%s')", kt->s, mt->id.s, k + 1, in->sym->name);
		return false;
	}
	if (rb_dec_cmp(out->lo, out->hi) > 0) {
		err_at(c, RULEBOOK_ERR_VALUE, kt->pos, mt->id.s,
		       "row key '%s' of table '%s' is an empty range: its start is above its end",
		       kt->s, mt->id.s);
		return false;
	}
	return true;
}

static void compile_tables(cc *c)
{
	rulebook *rb = c->rb;
	const rb_model *m = c->m;
	rb->tables = rb_arena_calloc(&rb->arena, m->ntables ? m->ntables : 1, sizeof(rb_table));
	if (!rb->tables) {
		nomem(c);
		return;
	}
	for (size_t i = 0; i < m->ntables; i++) {
		const rb_m_table *mt = &m->tables[i];
		rb_table *t = &rb->tables[rb->ntables];
		t->id = mt->id.s;
		t->pos = mt->id.pos;
		t->nkeys = (uint32_t)mt->nkeys;
		t->unit_text = mt->unit.s ? mt->unit.s : "";
		if (find_table(rb, mt->id.s, mt->id.len) || rb_lookup(rb, mt->id.s, mt->id.len)) {
			err_at(c, RULEBOOK_ERR_NAME, mt->id.pos, mt->id.s,
			       "'%s' is already defined", mt->id.s);
			continue;
		}
		if (!parse_unit(c, &mt->unit, &t->unit, mt->id.s))
			continue;
		bool ok = true;
		for (size_t k = 0; ok && k < mt->nkeys; k++) {
			const rb_sym *s = rb_lookup(rb, mt->keys[k].s, mt->keys[k].len);
			const rb_input *in = s && s->kind == RB_SYM_INPUT ? &rb->inputs[s->index] : NULL;
			if (!in || (in->type != RB_T_ENUM && in->type != RB_T_TEXT &&
				    in->type != RB_T_INTEGER)) {
				err_at(c, RULEBOOK_ERR_TYPE, mt->keys[k].pos, mt->id.s,
				       "key '%s' of table '%s' must be an input of type enum, text or "
				       "integer", mt->keys[k].s, mt->id.s);
				ok = false;
				break;
			}
			t->key_input[k] = s->index;
		}
		if (ok && mt->dflt.s) {
			size_t at;
			if (rb_dec_parse_percent(mt->dflt.s, mt->dflt.len, &t->dflt, &at) != RB_DEC_OK) {
				err_at(c, RULEBOOK_ERR_VALUE, mt->dflt.pos, mt->id.s,
				       "default '%s' of table '%s' is not a decimal number", mt->dflt.s,
				       mt->id.s);
				ok = false;
			}
			t->has_default = true;
		}
		t->rows = rb_arena_calloc(&rb->arena, mt->nrows ? mt->nrows : 1, sizeof(rb_table_row));
		if (!t->rows) {
			nomem(c);
			return;
		}
		for (size_t r = 0; ok && r < mt->nrows; r++) {
			const rb_m_row *mr = &mt->rows[r];
			rb_table_row *row = &t->rows[r];
			const rb_sym *ps = rb_lookup(rb, mr->param.s, mr->param.len);
			row->keys = rb_arena_calloc(&rb->arena, mt->nkeys, sizeof(rb_table_key));
			if (!ps || ps->kind != RB_SYM_PARAM || !row->keys) {
				ok = false; /* reported: a duplicate row, or memory */
				break;
			}
			row->param = ps->index;
			row->pos = mr->pos;
			if (rb->params[ps->index].provenance == RB_PROV_ILLUSTRATIVE)
				t->illustrative = true;
			for (uint32_t k = 0; ok && k < t->nkeys; k++)
				ok = table_key(c, mt, k, &mr->keys[k], &rb->inputs[t->key_input[k]],
					       &row->keys[k]);
			t->nrows++;
		}
		if (ok)
			rb->ntables++;
	}
}

static void compile_input(cc *c, const rb_m_input *mi, rb_input *in);

/* The fields of a list of records: inputs after rulebook.inputs' own, each
 * with a symbol outside the name table (a field is named through an
 * element: s.height). */
static void compile_fields(cc *c, const rb_m_input *mi, rb_input *in)
{
	rulebook *rb = c->rb;
	in->field0 = rb->ninputs_total;
	in->nfields = (uint32_t)mi->nfields;
	for (size_t f = 0; f < mi->nfields; f++) {
		uint32_t at = rb->ninputs_total++;
		rb_input *fd = &rb->inputs[at];
		rb_sym *fs = rb_arena_calloc(&rb->arena, 1, sizeof *fs);
		if (!fs) {
			nomem(c);
			return;
		}
		fs->kind = RB_SYM_INPUT;
		fs->index = at;
		fs->slot = in->sym->slot;
		fs->name = mi->fields[f].id.s;
		fs->len = mi->fields[f].id.len;
		fs->pos = mi->fields[f].id.pos;
		fd->sym = fs;
		compile_input(c, &mi->fields[f], fd);
	}
}

static void compile_input(cc *c, const rb_m_input *mi, rb_input *in)
{
	rb_sym *s = in->sym;
	in->type = mi->type;
	in->elem = mi->elem;
	in->required = mi->required;
	s->ct.type = mi->type == RB_T_INTEGER ? RB_T_NUMBER : mi->type;
	rb_type vt = mi->type == RB_T_LIST ? mi->elem : mi->type;
	s->ct.enum_of = vt == RB_T_ENUM ? (int32_t)s->index : -1;
	s->ct.elem = mi->elem == RB_T_INTEGER ? RB_T_NUMBER : mi->elem;
	s->ct.list_of = mi->type == RB_T_LIST ? (int32_t)s->index : -1;
	if (mi->type == RB_T_LIST)
		c->rb->list_inputs++;
	if (mi->nfields)
		compile_fields(c, mi, in);
	s->label = mi->label;
	in->aliases = mi->aliases;
	in->naliases = mi->naliases;
	s->unit_text = mi->unit.s ? mi->unit.s : "";
	if (!parse_unit(c, &mi->unit, &s->ct.unit, mi->id.s))
		return;
	if (vt == RB_T_ENUM) {
		in->values = rb_arena_calloc(&c->rb->arena, mi->nvalues, sizeof(char *));
		in->value_lens = rb_arena_calloc(&c->rb->arena, mi->nvalues, sizeof(size_t));
		if (!in->values || !in->value_lens) {
			nomem(c);
			return;
		}
		for (size_t k = 0; k < mi->nvalues; k++) {
			in->values[k] = mi->values[k].s;
			in->value_lens[k] = mi->values[k].len;
		}
		in->nvalues = (uint32_t)mi->nvalues;
	}
	if (mi->type == RB_T_TEXT && s->index < c->rb->ninputs)
		c->rb->text_inputs++;
}

static void define_units(cc *c)
{
	for (size_t i = 0; i < c->m->nunits; i++) {
		const rb_m_unit *mu = &c->m->units[i];
		size_t at = 0;
		rb_unit_status st = mu->equals.s ? rb_units_define(c->rb->units, mu->id.s, mu->equals.s, &at)
						 : rb_units_define_base(c->rb->units, mu->id.s);
		if (st == RB_UNIT_OK)
			continue;
		if (st == RB_UNIT_NOMEM) {
			nomem(c);
			return;
		}
		rb_pos pos = mu->equals.s && st != RB_UNIT_DUPLICATE && st != RB_UNIT_TOO_MANY
				     ? rb_text_pos_at(c->m, &mu->equals, at)
				     : mu->id.pos;
		err_at(c, RULEBOOK_ERR_UNIT, pos, mu->id.s, "unit '%s': %s", mu->id.s,
		       rb_unit_status_str(st));
	}
}

/* ---- driver ---- */

rulebook_status rb_compile(rb_model *m, const char *source, size_t len,
			   const rb_limits *limits, rulebook **out, rulebook_error *err)
{
	*out = NULL;
	rulebook *rb = rb_calloc(1, sizeof(*rb));
	if (!rb) {
		rb_model_free(m);
		return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	}
	rb_arena_init(&rb->arena);
	rb->model = m;
	cc c = {.rb = rb, .m = m, .err = err, .limits = limits ? limits : &rb_limits_default,
		.agg_value = -1};
	rb_arena_init(&c.tmp);
	rb_idset seen = RB_IDSET_INIT; /* ids of one kind, for duplicates */
	uint32_t k;

	rb->id = m->id.s;
	rb->title = m->title;
	rb->docs = m->sources;
	rb->ndocs = (uint32_t)m->nsources;
	rb->subject = m->subject.s;
	for (const rb_model *p = m; p && !rb->nid_columns; p = p->parent) {
		rb->id_columns = p->id_columns;
		rb->nid_columns = p->nid_columns;
	}
	rb->from = m->from;
	rb->until = m->until;
	if (!rb_closure_hash(rb, m, source, len)) {
		nomem(&c);
		goto done;
	}
	rb->units = rb_units_new();
	if (!rb->units) {
		nomem(&c);
		goto done;
	}
	define_units(&c);

	size_t nnames = m->ninputs + m->nparams + m->nindicators;
	if (nnames + m->nrules > c.limits->names) {
		err_at(&c, RULEBOOK_ERR_LIMIT, (rb_pos){m->file, 1, 1}, NULL,
		       "the rulebook defines %zu names and rules, more than the names limit (%llu)",
		       nnames + m->nrules, (unsigned long long)c.limits->names);
		goto done;
	}
	rb->sym_hash_size = 16;
	while (rb->sym_hash_size < nnames * 2 + 2)
		rb->sym_hash_size *= 2;
	rb->syms = rb_arena_calloc(&rb->arena, nnames ? nnames : 1, sizeof(rb_sym));
	rb->sym_hash = rb_arena_calloc(&rb->arena, rb->sym_hash_size, sizeof(uint32_t));
	size_t nfields = 0;
	for (size_t i = 0; i < m->ninputs; i++)
		nfields += m->inputs[i].nfields;
	rb->inputs = rb_arena_calloc(&rb->arena, m->ninputs + nfields ? m->ninputs + nfields : 1,
				     sizeof(rb_input));
	rb->max_list = c.limits->list_length;
	rb->params = rb_arena_calloc(&rb->arena, m->nparams ? m->nparams : 1, sizeof(rb_param));
	rb->indicators = rb_arena_calloc(&rb->arena, m->nindicators ? m->nindicators : 1,
					 sizeof(rb_sym *));
	rb->rules = rb_arena_calloc(&rb->arena, m->nrules ? m->nrules : 1, sizeof(rb_rule));
	c.ind_deps = rb_calloc(m->nindicators ? m->nindicators : 1, sizeof(*c.ind_deps));
	c.ind_ndeps = rb_calloc(m->nindicators ? m->nindicators : 1, sizeof(*c.ind_ndeps));
	c.ind_input = rb_calloc(m->nindicators ? m->nindicators : 1, 1);
	c.ind_state = rb_calloc(m->nindicators ? m->nindicators : 1, sizeof(*c.ind_state));
	c.ind_sym = rb_calloc(m->nindicators ? m->nindicators : 1, sizeof(*c.ind_sym));
	c.mark = rb_calloc(nnames ? nnames : 1, sizeof(*c.mark));
	c.rule_state = rb_calloc(m->nrules ? m->nrules : 1, 1);
	if (!rb->syms || !rb->sym_hash || !rb->inputs || !rb->params || !rb->indicators ||
	    !rb->rules || !c.ind_deps || !c.ind_ndeps || !c.ind_input || !c.ind_state || !c.ind_sym || !c.mark ||
	    !c.rule_state) {
		nomem(&c);
		goto done;
	}

	/* Slot 0 is as_of; then inputs, then parameters; the rest follow. */
	rb_val missing = {.state = RB_V_MISSING};
	new_slot(&c, missing);
	rb->input_base = 1;
	/* the inputs' slots first (evaluation copies them as one block), then
	 * their fields */
	for (size_t i = 0; i < m->ninputs; i++) {
		rb_sym *s;
		if (!add_sym(&c, RB_SYM_INPUT, rb->ninputs, &m->inputs[i].id, &s))
			continue;
		rb->inputs[rb->ninputs].sym = s;
		s->slot = (uint32_t)new_slot(&c, missing);
		rb->ninputs++;
	}
	rb->ninputs_total = rb->ninputs;
	for (uint32_t i = 0, at = 0; i < m->ninputs && at < rb->ninputs; i++)
		if (rb->inputs[at].sym->name == m->inputs[i].id.s)
			compile_input(&c, &m->inputs[i], &rb->inputs[at++]);
	rb->nfields = rb->ninputs_total - rb->ninputs;
	rb->param_base = (uint32_t)c.nslots;
	for (size_t i = 0; i < m->nparams; i++) {
		rb_sym *s;
		if (!add_sym(&c, RB_SYM_PARAM, rb->nparams, &m->params[i].id, &s))
			continue;
		rb->params[rb->nparams].sym = s;
		s->slot = (uint32_t)new_slot(&c, missing);
		compile_param(&c, &m->params[i], &rb->params[rb->nparams]);
		rb->nparams++;
	}
	if (c.status != RULEBOOK_OK)
		goto done;
	compile_tables(&c);
	if (c.status != RULEBOOK_OK)
		goto done;
	for (size_t i = 0; i < m->nindicators; i++) {
		rb_sym *s;
		if (add_sym(&c, RB_SYM_INDICATOR, (uint32_t)i, &m->indicators[i].id, &s)) {
			s->label = m->indicators[i].label;
			c.ind_sym[i] = s;
		}
	}
	if (c.status != RULEBOOK_OK)
		goto done;
	uint32_t *order = rb_calloc(m->nindicators ? m->nindicators : 1, sizeof(*order));
	int64_t norder = order ? order_indicators(&c, order) : -1;
	if (norder < 0) {
		rb_free(order);
		nomem(&c);
		goto done;
	}
	for (int64_t i = 0; i < norder; i++)
		compile_indicator(&c, order[i]);
	rb_free(order);
	rb->nrules = (uint32_t)m->nrules; /* compiled in order, or earlier when another needs one */
	for (size_t i = 0; i < m->nrules; i++) {
		const rb_m_rule *mr = &m->rules[i];
		if (seen_before(&c, &seen, &mr->id, i, &k))
			err_at(&c, RULEBOOK_ERR_NAME, mr->id.pos, mr->id.s,
			       "rule '%s' is already defined at %s:%u", mr->id.s,
			       m->rules[k].id.pos.file ? m->rules[k].id.pos.file : "?",
			       m->rules[k].id.pos.line);
		c.ncmps = 0;
		compile_rule_at(&c, (uint32_t)i);
	}
	rb->targets = rb_arena_calloc(&rb->arena, m->ntargets ? m->ntargets : 1, sizeof(rb_target));
	if (!rb->targets) {
		nomem(&c);
		goto done;
	}
	rb_idset_free(&seen);
	for (size_t i = 0; i < m->ntargets; i++) {
		const rb_m_target *mt = &m->targets[i];
		if (seen_before(&c, &seen, &mt->id, i, &k))
			err_at(&c, RULEBOOK_ERR_NAME, mt->id.pos, mt->id.s,
			       "target '%s' is already defined at line %u", mt->id.s,
			       m->targets[k].id.pos.line);
		compile_target(&c, mt, &rb->targets[rb->ntargets++]);
	}
	rb->scorecards = rb_arena_calloc(&rb->arena, m->nscorecards ? m->nscorecards : 1,
					 sizeof(rb_scorecard));
	if (!rb->scorecards) {
		nomem(&c);
		goto done;
	}
	rb_idset_free(&seen);
	for (size_t i = 0; i < m->nscorecards; i++) {
		if (seen_before(&c, &seen, &m->scorecards[i].id, i, &k))
			err_at(&c, RULEBOOK_ERR_NAME, m->scorecards[i].id.pos, m->scorecards[i].id.s,
				       "scorecard '%s' is already defined", m->scorecards[i].id.s);
		compile_scorecard(&c, &m->scorecards[i], &rb->scorecards[rb->nscorecards++]);
	}
	rb->aggregates = rb_arena_calloc(&rb->arena, m->naggregates ? m->naggregates : 1,
					 sizeof(rb_aggregate));
	if (!rb->aggregates) {
		nomem(&c);
		goto done;
	}
	rb_idset_free(&seen);
	for (size_t i = 0; i < m->naggregates; i++) {
		if (seen_before(&c, &seen, &m->aggregates[i].id, i, &k))
			err_at(&c, RULEBOOK_ERR_NAME, m->aggregates[i].id.pos, m->aggregates[i].id.s,
				       "aggregate '%s' is already defined", m->aggregates[i].id.s);
		compile_aggregate(&c, &m->aggregates[i], &rb->aggregates[rb->naggregates++]);
	}

done:
	rb_idset_free(&seen);
	rb->code = c.code;
	rb->ncode = (uint32_t)c.ncode;
	rb->consts = c.consts;
	rb->nslots = (uint32_t)c.nslots;
	if (c.status == RULEBOOK_OK) {
		rb_fast_prepare(rb, c.numeric);
		rb_lazy_prepare(rb, c.numeric);
	}
	if (c.status == RULEBOOK_OK && !rb_definitions_build(rb))
		nomem(&c);
	rb_free(c.numeric);
	rb_free(c.ind_deps);
	rb_free(c.ind_ndeps);
	rb_free(c.ind_input);
	rb_free(c.ind_state);
	rb_free(c.ind_sym);
	rb_free(c.mark);
	rb_free(c.rule_state);
	rb_free(c.deps);
	rb_free(c.walk);
	rb_free(c.cmps);
	rb_arena_release(&c.tmp);
	if (c.status != RULEBOOK_OK) {
		rulebook_free(rb);
		return c.status;
	}
	*out = rb;
	return RULEBOOK_OK;
}
