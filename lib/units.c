/* Units of measure: a registry of named units and a recursive-descent
 * parser for unit text (grammar in units.h). Scales are exact rationals in
 * int64; every product is checked so that overflow is an error, not UB. */
#include "units.h"

#include "alloc.h"

#include <stdlib.h>
#include <string.h>

/* A named unit. Energy units carry no dimension of their own: the basis
 * suffix picks RB_DIM_ENERGY_CAL or RB_DIM_ENERGY_EQV when they are used. */
typedef struct entry {
	const char *name;
	size_t len;
	rb_unit unit;
	bool energy;
	bool owned;   /* name is on the heap and freed with the registry */
} entry;

struct rb_units {
	entry *e;     /* sorted by name bytes, for binary search */
	size_t n, cap;
	const char *dimname[RB_DIM_MAX]; /* user dimensions: their base unit */
	int ndims;
};

/* ---- rational arithmetic ---- */

static int64_t gcd64(int64_t a, int64_t b)
{
	while (b) {
		int64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* (an/ad) × (bn/bd), cross-reduced first so that a result that fits is
 * never rejected for a large intermediate. Returns false on overflow. */
static bool scale_mul(int64_t an, int64_t ad, int64_t bn, int64_t bd, int64_t *n, int64_t *d)
{
	int64_t g1 = gcd64(an, bd), g2 = gcd64(bn, ad);
	an /= g1;
	bd /= g1;
	bn /= g2;
	ad /= g2;
	int64_t rn, rd;
	if (__builtin_mul_overflow(an, bn, &rn) || __builtin_mul_overflow(ad, bd, &rd))
		return false;
	int64_t g = gcd64(rn, rd);
	*n = rn / g;
	*d = rd / g;
	return true;
}

static bool dim_fits(int v) { return v >= INT8_MIN && v <= INT8_MAX; }

rb_unit rb_unit_one(void)
{
	rb_unit one;
	memset(&one, 0, sizeof one);
	one.num = 1;
	one.den = 1;
	return one;
}

bool rb_unit_is_dimensionless(const rb_unit *a)
{
	for (int i = 0; i < RB_DIM_MAX; i++)
		if (a->dim[i])
			return false;
	return true;
}

bool rb_unit_same_dim(const rb_unit *a, const rb_unit *b)
{
	return memcmp(a->dim, b->dim, sizeof a->dim) == 0;
}

bool rb_unit_equal(const rb_unit *a, const rb_unit *b)
{
	return rb_unit_same_dim(a, b) && a->num == b->num && a->den == b->den;
}

/* sign = +1 for a product, -1 for a quotient. */
static rb_unit_status combine(const rb_unit *a, const rb_unit *b, int sign, rb_unit *out)
{
	rb_unit r;
	for (int i = 0; i < RB_DIM_MAX; i++) {
		int v = a->dim[i] + sign * b->dim[i];
		if (!dim_fits(v))
			return RB_UNIT_OVERFLOW;
		r.dim[i] = (int8_t)v;
	}
	bool ok = sign > 0 ? scale_mul(a->num, a->den, b->num, b->den, &r.num, &r.den)
			   : scale_mul(a->num, a->den, b->den, b->num, &r.num, &r.den);
	if (!ok)
		return RB_UNIT_OVERFLOW;
	*out = r;
	return RB_UNIT_OK;
}

rb_unit_status rb_unit_mul(const rb_unit *a, const rb_unit *b, rb_unit *out)
{
	return combine(a, b, 1, out);
}

rb_unit_status rb_unit_div(const rb_unit *a, const rb_unit *b, rb_unit *out)
{
	return combine(a, b, -1, out);
}

rb_unit_status rb_unit_ratio(const rb_unit *from, const rb_unit *to, int64_t *num, int64_t *den)
{
	if (!rb_unit_same_dim(from, to))
		return RB_UNIT_MISMATCH;
	int64_t n, d;
	if (!scale_mul(from->num, from->den, to->den, to->num, &n, &d))
		return RB_UNIT_OVERFLOW;
	*num = n;
	*den = d;
	return RB_UNIT_OK;
}

/* a^n; exponents beyond int8 can only fit for the unit 1 itself. */
static rb_unit_status unit_pow(const rb_unit *a, long n, rb_unit *out)
{
	rb_unit base = *a, r = rb_unit_one();
	if (n < 0) {
		rb_unit one = rb_unit_one();
		if (combine(&one, a, -1, &base) != RB_UNIT_OK)
			return RB_UNIT_OVERFLOW;
		n = -n;
	}
	if (n > INT8_MAX) {
		rb_unit one = rb_unit_one();
		if (!rb_unit_equal(&base, &one))
			return RB_UNIT_OVERFLOW;
		*out = one;
		return RB_UNIT_OK;
	}
	for (long i = 0; i < n; i++)
		if (combine(&r, &base, 1, &r) != RB_UNIT_OK)
			return RB_UNIT_OVERFLOW;
	*out = r;
	return RB_UNIT_OK;
}

/* ---- built-in units ---- */

#define NOD (-1) /* dimension chosen by the basis suffix */

static const struct builtin {
	const char *name;
	int dim;
	int64_t num, den;
} builtins[] = {
	{"元", RB_DIM_CNY, 1, 1},
	{"yuan", RB_DIM_CNY, 1, 1},
	{"CNY", RB_DIM_CNY, 1, 1},
	{"千元", RB_DIM_CNY, 1000, 1},
	{"万元", RB_DIM_CNY, 10000, 1},
	{"百万元", RB_DIM_CNY, 1000000, 1},
	{"亿元", RB_DIM_CNY, 100000000, 1},

	{"美元", RB_DIM_USD, 1, 1},
	{"USD", RB_DIM_USD, 1, 1},
	{"万美元", RB_DIM_USD, 10000, 1},
	{"亿美元", RB_DIM_USD, 100000000, 1},

	{"m²", RB_DIM_AREA, 1, 1},
	{"m2", RB_DIM_AREA, 1, 1},
	{"平方米", RB_DIM_AREA, 1, 1},
	{"亩", RB_DIM_AREA, 2000, 3}, /* 10000/15 m², exactly */
	{"mu", RB_DIM_AREA, 2000, 3},
	{"公顷", RB_DIM_AREA, 10000, 1},
	{"ha", RB_DIM_AREA, 10000, 1},
	{"hm²", RB_DIM_AREA, 10000, 1},
	{"hm2", RB_DIM_AREA, 10000, 1},
	{"km²", RB_DIM_AREA, 1000000, 1},
	{"km2", RB_DIM_AREA, 1000000, 1},
	{"平方公里", RB_DIM_AREA, 1000000, 1},
	{"万平方米", RB_DIM_AREA, 10000, 1},

	{"kgce", NOD, 1, 1},
	{"千克标准煤", NOD, 1, 1},
	{"tce", NOD, 1000, 1},
	{"吨标准煤", NOD, 1000, 1},
	{"万tce", NOD, 10000000, 1},
	{"万吨标准煤", NOD, 10000000, 1},

	{"kgCO2", RB_DIM_CO2, 1, 1},
	{"kgCO₂", RB_DIM_CO2, 1, 1},
	{"千克二氧化碳", RB_DIM_CO2, 1, 1},
	{"tCO2", RB_DIM_CO2, 1000, 1},
	{"tCO₂", RB_DIM_CO2, 1000, 1},
	{"吨CO2", RB_DIM_CO2, 1000, 1},
	{"吨CO₂", RB_DIM_CO2, 1000, 1},
	{"吨二氧化碳", RB_DIM_CO2, 1000, 1},
	{"万吨CO2", RB_DIM_CO2, 10000000, 1},
	{"万吨CO₂", RB_DIM_CO2, 10000000, 1},
	{"万吨二氧化碳", RB_DIM_CO2, 10000000, 1},

	{"kWh", RB_DIM_ELECTRICITY, 1, 1},
	{"千瓦时", RB_DIM_ELECTRICITY, 1, 1},
	{"度", RB_DIM_ELECTRICITY, 1, 1},
	{"万kWh", RB_DIM_ELECTRICITY, 10000, 1},
	{"万千瓦时", RB_DIM_ELECTRICITY, 10000, 1},
	{"MWh", RB_DIM_ELECTRICITY, 1000, 1},
	{"亿千瓦时", RB_DIM_ELECTRICITY, 100000000, 1},

	{"人", RB_DIM_PERSON, 1, 1},
	{"万人", RB_DIM_PERSON, 10000, 1},
	{"人次", RB_DIM_PERSON, 1, 1},

	{"年", RB_DIM_TIME, 1, 1},
	{"a", RB_DIM_TIME, 1, 1},
	{"year", RB_DIM_TIME, 1, 1},

	{"个", RB_DIM_COUNT, 1, 1},
	{"家", RB_DIM_COUNT, 1, 1},
	{"项", RB_DIM_COUNT, 1, 1},
	{"件", RB_DIM_COUNT, 1, 1},
	{"台", RB_DIM_COUNT, 1, 1},
	{"套", RB_DIM_COUNT, 1, 1},
	{"次", RB_DIM_COUNT, 1, 1},
};

static const char *const builtin_dimname[RB_DIM_BUILTIN] = {
	"money (CNY)", "money (USD)", "area",   "energy (当量值)", "energy (等价值)",
	"CO2",         "electricity", "persons", "time",           "count",
};

static const struct {
	const char *word;
	int dim;
} bases[] = {
	{"当量值", RB_DIM_ENERGY_CAL},
	{"calorific", RB_DIM_ENERGY_CAL},
	{"等价值", RB_DIM_ENERGY_EQV},
	{"equivalent", RB_DIM_ENERGY_EQV},
};

/* ---- lexing ---- */

static bool has(const char *s, size_t len, size_t i, const char *lit)
{
	size_t n = strlen(lit);
	return len - i >= n && memcmp(s + i, lit, n) == 0;
}

#define MIDDOT "\xc2\xb7"  /* · */
#define TIMES "\xc3\x97"   /* × */
#define SUP2 "\xc2\xb2"    /* ² */
#define SUP3 "\xc2\xb3"    /* ³ */
#define PERMILLE "\xe2\x80\xb0" /* ‰ */

/* Length of the operator or unit character at s[i] that a name cannot
 * contain, or 0. */
static size_t special_at(const char *s, size_t len, size_t i)
{
	if (has(s, len, i, MIDDOT) || has(s, len, i, TIMES) || has(s, len, i, SUP2) ||
	    has(s, len, i, SUP3))
		return 2;
	if (has(s, len, i, PERMILLE))
		return 3;
	return 0;
}

static bool ascii_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static bool ascii_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* Bytes of the UTF-8 sequence led by c, clipped to what remains; a stray
 * byte counts alone. */
static size_t utf8_len(const char *s, size_t len, size_t i)
{
	unsigned char c = (unsigned char)s[i];
	size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	if (n > len - i)
		n = len - i;
	for (size_t k = 1; k < n; k++)
		if (((unsigned char)s[i + k] & 0xc0) != 0x80)
			return 1;
	return n;
}

static bool name_start(const char *s, size_t len, size_t i)
{
	unsigned char c = (unsigned char)s[i];
	return ascii_alpha(c) || (c >= 0x80 && !special_at(s, len, i));
}

/* End of the maximal name run starting at i (a name start). */
static size_t scan_name(const char *s, size_t len, size_t i)
{
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (ascii_alpha(c) || ascii_digit(c))
			i++;
		else if (c >= 0x80 && !special_at(s, len, i))
			i += utf8_len(s, len, i);
		else
			break;
	}
	return i;
}

/* ---- registry ---- */

static int name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);
	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static int entry_cmp(const void *pa, const void *pb)
{
	const entry *a = pa, *b = pb;
	return name_cmp(a->name, a->len, b->name, b->len);
}

/* Index of name, or where it would be inserted (with *found false). */
static size_t find(const rb_units *u, const char *name, size_t len, bool *found)
{
	size_t lo = 0, hi = u->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = name_cmp(name, len, u->e[mid].name, u->e[mid].len);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	*found = false;
	return lo;
}

static const entry *lookup(const rb_units *u, const char *name, size_t len)
{
	bool found;
	size_t i = find(u, name, len, &found);
	return found ? &u->e[i] : NULL;
}

rb_units *rb_units_new(void)
{
	rb_units *u = rb_calloc(1, sizeof *u);
	if (!u)
		return NULL;
	size_t n = sizeof builtins / sizeof builtins[0];
	if (rb_grow((void **)&u->e, &u->cap, n, sizeof *u->e) != 0) {
		rb_free(u);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		entry *e = &u->e[i];
		e->name = builtins[i].name;
		e->len = strlen(builtins[i].name);
		e->unit = rb_unit_one();
		e->unit.num = builtins[i].num;
		e->unit.den = builtins[i].den;
		e->energy = builtins[i].dim == NOD;
		if (!e->energy)
			e->unit.dim[builtins[i].dim] = 1;
		e->owned = false;
	}
	u->n = n;
	qsort(u->e, n, sizeof *u->e, entry_cmp);
	u->ndims = RB_DIM_BUILTIN;
	return u;
}

void rb_units_free(rb_units *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->n; i++)
		if (u->e[i].owned)
			rb_free((void *)u->e[i].name);
	rb_free(u->e);
	rb_free(u);
}

/* A user name must read back as one name token: a name run, optionally
 * ending in ² or ³ like the built-in m². */
static bool valid_name(const char *name, size_t len)
{
	if (len == 0 || !name_start(name, len, 0))
		return false;
	size_t end = scan_name(name, len, 0);
	return end == len || (len - end == 2 && (has(name, len, end, SUP2) || has(name, len, end, SUP3)));
}

/* Insert a copy of name; the caller has checked it is new and valid. */
static rb_unit_status insert(rb_units *u, const char *name, size_t len, const rb_unit *unit,
			     bool energy, const char **stored)
{
	bool found;
	size_t at = find(u, name, len, &found);
	if (rb_grow((void **)&u->e, &u->cap, u->n + 1, sizeof *u->e) != 0)
		return RB_UNIT_NOMEM;
	char *copy = rb_strndup(name, len);
	if (!copy)
		return RB_UNIT_NOMEM;
	memmove(&u->e[at + 1], &u->e[at], (u->n - at) * sizeof *u->e);
	u->e[at] = (entry){.name = copy, .len = len, .unit = *unit, .energy = energy, .owned = true};
	u->n++;
	if (stored)
		*stored = copy;
	return RB_UNIT_OK;
}

rb_unit_status rb_units_define_base(rb_units *u, const char *name)
{
	size_t len = strlen(name);
	if (!valid_name(name, len))
		return RB_UNIT_SYNTAX;
	if (lookup(u, name, len))
		return RB_UNIT_DUPLICATE;
	if (u->ndims >= RB_DIM_MAX)
		return RB_UNIT_TOO_MANY;
	rb_unit unit = rb_unit_one();
	unit.dim[u->ndims] = 1;
	const char *stored;
	rb_unit_status st = insert(u, name, len, &unit, false, &stored);
	if (st != RB_UNIT_OK)
		return st;
	u->dimname[u->ndims++] = stored;
	return RB_UNIT_OK;
}

/* ---- parsing ---- */

#define MAX_DEPTH 32 /* nested parentheses; bounds the recursion */

typedef struct parser {
	const rb_units *u;
	const char *s;
	size_t len, pos, err;
	int depth;
} parser;

static void skip_spaces(parser *p)
{
	while (p->pos < p->len && p->s[p->pos] == ' ')
		p->pos++;
}

static rb_unit_status fail(parser *p, rb_unit_status st, size_t at)
{
	p->err = at;
	return st;
}

static rb_unit_status parse_unit(parser *p, rb_unit *out);

/* After an energy name: '(' basis ')' directly, spaces allowed inside. */
static rb_unit_status parse_basis(parser *p, size_t name_at, rb_unit *out)
{
	if (p->pos >= p->len || p->s[p->pos] != '(')
		return fail(p, RB_UNIT_NO_BASIS, name_at);
	p->pos++;
	skip_spaces(p);
	size_t word_at = p->pos;
	for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
		if (!has(p->s, p->len, p->pos, bases[i].word))
			continue;
		size_t end = p->pos + strlen(bases[i].word);
		/* the word must end here, not merely prefix a longer name */
		if (end < p->len && name_start(p->s, p->len, end))
			continue;
		p->pos = end;
		skip_spaces(p);
		if (p->pos >= p->len || p->s[p->pos] != ')')
			return fail(p, RB_UNIT_SYNTAX, p->pos);
		p->pos++;
		out->dim[bases[i].dim] = 1;
		return RB_UNIT_OK;
	}
	return fail(p, RB_UNIT_NO_BASIS, word_at);
}

static rb_unit_status parse_atom(parser *p, rb_unit *out)
{
	size_t at = p->pos;
	if (at >= p->len)
		return fail(p, RB_UNIT_SYNTAX, at);
	unsigned char c = (unsigned char)p->s[at];
	if (c == '(') {
		if (p->depth >= MAX_DEPTH)
			return fail(p, RB_UNIT_SYNTAX, at);
		p->depth++;
		p->pos++;
		skip_spaces(p);
		rb_unit_status st = parse_unit(p, out);
		if (st != RB_UNIT_OK)
			return st;
		skip_spaces(p);
		if (p->pos >= p->len || p->s[p->pos] != ')')
			return fail(p, RB_UNIT_SYNTAX, p->pos);
		p->pos++;
		p->depth--;
		return RB_UNIT_OK;
	}
	if (c == '%' || has(p->s, p->len, at, PERMILLE)) {
		*out = rb_unit_one();
		out->den = c == '%' ? 100 : 1000;
		p->pos += c == '%' ? 1 : 3;
		return RB_UNIT_OK;
	}
	if (c == '1') {
		p->pos++;
		if (p->pos < p->len && ascii_digit((unsigned char)p->s[p->pos]))
			return fail(p, RB_UNIT_SYNTAX, p->pos);
		*out = rb_unit_one();
		return RB_UNIT_OK;
	}
	if (!name_start(p->s, p->len, at))
		return fail(p, RB_UNIT_SYNTAX, at);
	size_t end = scan_name(p->s, p->len, at);
	const entry *e = lookup(p->u, p->s + at, end - at);
	/* m², km²: a name may end in a superscript that is otherwise a power */
	if ((has(p->s, p->len, end, SUP2) || has(p->s, p->len, end, SUP3))) {
		const entry *sup = lookup(p->u, p->s + at, end + 2 - at);
		if (sup) {
			e = sup;
			end += 2;
		}
	}
	if (!e)
		return fail(p, RB_UNIT_UNKNOWN, at);
	p->pos = end;
	*out = e->unit;
	if (e->energy)
		return parse_basis(p, at, out);
	if (p->pos < p->len && p->s[p->pos] == '(')
		return fail(p, RB_UNIT_SYNTAX, p->pos); /* a basis on a non-energy unit */
	return RB_UNIT_OK;
}

static rb_unit_status parse_power(parser *p, rb_unit *out)
{
	rb_unit_status st = parse_atom(p, out);
	if (st != RB_UNIT_OK)
		return st;
	size_t save = p->pos;
	skip_spaces(p);
	size_t at = p->pos;
	long n;
	if (at < p->len && p->s[at] == '^') {
		p->pos++;
		skip_spaces(p);
		bool neg = p->pos < p->len && p->s[p->pos] == '-';
		if (neg)
			p->pos++;
		if (p->pos >= p->len || !ascii_digit((unsigned char)p->s[p->pos]))
			return fail(p, RB_UNIT_SYNTAX, p->pos);
		n = 0;
		while (p->pos < p->len && ascii_digit((unsigned char)p->s[p->pos])) {
			if (n < 1000000) /* saturate: anything this big overflows anyway */
				n = n * 10 + (p->s[p->pos] - '0');
			p->pos++;
		}
		if (neg)
			n = -n;
	} else if (at == save && has(p->s, p->len, at, SUP2)) {
		n = 2;
		p->pos += 2;
	} else if (at == save && has(p->s, p->len, at, SUP3)) {
		n = 3;
		p->pos += 2;
	} else {
		p->pos = save; /* the spaces may be a product operator */
		return RB_UNIT_OK;
	}
	if (unit_pow(out, n, out) != RB_UNIT_OK)
		return fail(p, RB_UNIT_OVERFLOW, at);
	return RB_UNIT_OK;
}

static bool atom_start(const parser *p)
{
	if (p->pos >= p->len)
		return false;
	unsigned char c = (unsigned char)p->s[p->pos];
	return c == '(' || c == '%' || ascii_digit(c) || has(p->s, p->len, p->pos, PERMILLE) ||
	       name_start(p->s, p->len, p->pos);
}

static rb_unit_status parse_product(parser *p, rb_unit *out)
{
	rb_unit_status st = parse_power(p, out);
	if (st != RB_UNIT_OK)
		return st;
	for (;;) {
		size_t save = p->pos;
		skip_spaces(p);
		bool spaced = p->pos > save;
		size_t op = 0;
		if (p->pos < p->len && p->s[p->pos] == '*')
			op = 1;
		else if (has(p->s, p->len, p->pos, MIDDOT) || has(p->s, p->len, p->pos, TIMES))
			op = 2;
		if (op) {
			p->pos += op;
			skip_spaces(p);
		} else if (!spaced || !atom_start(p)) {
			return RB_UNIT_OK;
		}
		size_t at = p->pos;
		rb_unit rhs;
		st = parse_power(p, &rhs);
		if (st != RB_UNIT_OK)
			return st;
		if (rb_unit_mul(out, &rhs, out) != RB_UNIT_OK)
			return fail(p, RB_UNIT_OVERFLOW, at);
	}
}

static rb_unit_status parse_unit(parser *p, rb_unit *out)
{
	rb_unit_status st = parse_product(p, out);
	if (st != RB_UNIT_OK)
		return st;
	for (;;) {
		size_t save = p->pos;
		skip_spaces(p);
		if (p->pos >= p->len || p->s[p->pos] != '/') {
			p->pos = save;
			return RB_UNIT_OK;
		}
		p->pos++;
		skip_spaces(p);
		size_t at = p->pos;
		rb_unit rhs;
		st = parse_product(p, &rhs);
		if (st != RB_UNIT_OK)
			return st;
		if (rb_unit_div(out, &rhs, out) != RB_UNIT_OK)
			return fail(p, RB_UNIT_OVERFLOW, at);
	}
}

/* Parse s[start..len) as a whole unit; errors are offsets into s. */
static rb_unit_status parse_text(const rb_units *u, const char *s, size_t start, size_t len,
				 rb_unit *out, size_t *errpos)
{
	parser p = {.u = u, .s = s, .len = len, .pos = start};
	rb_unit r = rb_unit_one();
	rb_unit_status st = RB_UNIT_OK;
	skip_spaces(&p);
	if (p.pos < len) {
		st = parse_unit(&p, &r);
		if (st == RB_UNIT_OK) {
			skip_spaces(&p);
			if (p.pos < len)
				st = fail(&p, RB_UNIT_SYNTAX, p.pos);
		}
	}
	if (st != RB_UNIT_OK) {
		if (errpos)
			*errpos = p.err;
		return st;
	}
	*out = r;
	return RB_UNIT_OK;
}

rb_unit_status rb_units_parse(const rb_units *u, const char *s, size_t len, rb_unit *out,
			      size_t *errpos)
{
	return parse_text(u, s, 0, len, out, errpos);
}

rb_unit_status rb_units_define(rb_units *u, const char *name, const char *definition,
			       size_t *errpos)
{
	size_t nlen = strlen(name), len = strlen(definition);
	size_t dummy;
	if (!errpos)
		errpos = &dummy;
	*errpos = 0;
	if (!valid_name(name, nlen))
		return RB_UNIT_SYNTAX;
	if (lookup(u, name, nlen))
		return RB_UNIT_DUPLICATE;

	/* the factor: digits, optionally '.' digits, as an exact fraction */
	const char *s = definition;
	size_t i = 0;
	while (i < len && s[i] == ' ')
		i++;
	int64_t fn = 1, fd = 1;
	size_t fat = i;
	if (i < len && ascii_digit((unsigned char)s[i])) {
		fn = 0;
		bool frac = false;
		while (i < len && (ascii_digit((unsigned char)s[i]) || (s[i] == '.' && !frac))) {
			if (s[i] == '.') {
				frac = true;
				if (i + 1 >= len || !ascii_digit((unsigned char)s[i + 1])) {
					*errpos = i + 1;
					return RB_UNIT_SYNTAX;
				}
			} else if (__builtin_mul_overflow(fn, 10, &fn) ||
				   __builtin_add_overflow(fn, s[i] - '0', &fn) ||
				   (frac && __builtin_mul_overflow(fd, 10, &fd))) {
				*errpos = fat;
				return RB_UNIT_OVERFLOW;
			}
			i++;
		}
		if (fn == 0) { /* a unit must have a positive scale */
			*errpos = fat;
			return RB_UNIT_SYNTAX;
		}
		int64_t g = gcd64(fn, fd);
		fn /= g;
		fd /= g;
	}
	rb_unit base;
	bool energy = false;
	/* "1000 tce": a bare energy unit keeps the basis open, like 万tce */
	while (i < len && s[i] == ' ')
		i++;
	if (i < len && name_start(s, len, i)) {
		size_t end = scan_name(s, len, i), k = end;
		while (k < len && s[k] == ' ')
			k++;
		const entry *e = lookup(u, s + i, end - i);
		if (k == len && e && e->energy) {
			base = e->unit;
			energy = true;
		}
	}
	if (!energy) {
		rb_unit_status st = parse_text(u, s, i, len, &base, errpos);
		if (st != RB_UNIT_OK)
			return st;
	}
	if (!scale_mul(fn, fd, base.num, base.den, &base.num, &base.den)) {
		*errpos = fat;
		return RB_UNIT_OVERFLOW;
	}
	return insert(u, name, nlen, &base, energy, NULL);
}

const char *rb_unit_status_str(rb_unit_status st)
{
	switch (st) {
	case RB_UNIT_OK: return "ok";
	case RB_UNIT_NOMEM: return "out of memory";
	case RB_UNIT_SYNTAX: return "malformed unit";
	case RB_UNIT_UNKNOWN: return "unknown unit";
	case RB_UNIT_NO_BASIS: return "energy unit needs a basis: (当量值) or (等价值)";
	case RB_UNIT_OVERFLOW: return "unit scale or exponent too large";
	case RB_UNIT_DUPLICATE: return "unit already defined";
	case RB_UNIT_TOO_MANY: return "too many base dimensions";
	case RB_UNIT_MISMATCH: return "units of different dimensions";
	}
	return "unknown unit status";
}

/* ---- description ---- */

typedef struct sink {
	char *buf;
	size_t size, used;
	bool full;
} sink;

/* Append s, truncating at a UTF-8 character boundary so the text stays
 * valid; always NUL-terminated when size > 0. */
static void put(sink *k, const char *s)
{
	size_t n = strlen(s);
	if (k->full || k->size == 0)
		return;
	size_t room = k->size - 1 - k->used;
	if (n > room) {
		n = room;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		k->full = true;
	}
	memcpy(k->buf + k->used, s, n);
	k->used += n;
	k->buf[k->used] = '\0';
}

static const char *dim_name(const rb_units *u, int i)
{
	if (i < RB_DIM_BUILTIN)
		return builtin_dimname[i];
	return u && i < u->ndims && u->dimname[i] ? u->dimname[i] : "?";
}

/* The dimensions with exponent of the given sign, joined by '·'. */
static void put_terms(sink *k, const rb_units *u, const rb_unit *a, int sign)
{
	bool first = true;
	for (int i = 0; i < RB_DIM_MAX; i++) {
		int e = a->dim[i] * sign;
		if (e <= 0)
			continue;
		if (!first)
			put(k, "·");
		first = false;
		put(k, dim_name(u, i));
		if (e != 1) {
			char num[8];
			char *q = num + sizeof num;
			*--q = '\0';
			do
				*--q = (char)('0' + e % 10);
			while (e /= 10);
			*--q = '^';
			put(k, q);
		}
	}
}

void rb_unit_describe(const rb_units *u, const rb_unit *a, char *buf, size_t size)
{
	sink k = {.buf = buf, .size = size};
	if (size)
		buf[0] = '\0';
	int npos = 0, nneg = 0;
	for (int i = 0; i < RB_DIM_MAX; i++) {
		npos += a->dim[i] > 0;
		nneg += a->dim[i] < 0;
	}
	if (!npos && !nneg) {
		put(&k, "dimensionless");
		return;
	}
	if (npos)
		put_terms(&k, u, a, 1);
	else
		put(&k, "1");
	if (nneg) {
		put(&k, nneg > 1 ? "/(" : "/");
		put_terms(&k, u, a, -1);
		if (nneg > 1)
			put(&k, ")");
	}
}
