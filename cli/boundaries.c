/* rulebook test --boundaries: cases generated at each threshold.
 *
 * The C API does not expose a rule's expression, so thresholds are found by
 * evaluating. For each rule, the first embedded test case (tests: … facts:)
 * that makes the rule apply (pass or fail) gives every input. For each
 * number input x the rule uses (the "values" of the rule in the result
 * JSON, kind "input"):
 *
 *  - thresholds are found from the gap of a failed comparison, which names
 *    the value compared (gap.actual) and the threshold (gap.threshold): x
 *    is tried at its value in the test case, 0, ten times less, twice as
 *    much, and ±10^9, and every failure whose gap compares x itself (same
 *    unit, actual = x) gives a threshold (a parameter or a literal);
 *  - every parameter the rule uses (kind "parameter") whose unit x can take
 *    is tried as a threshold too, at the parameter's value;
 *
 * and then x is set just below, at, and just above the threshold. The step
 * is one unit of the last decimal the parameter's value is written with
 * ("37.0": 0.1; a "%" value counts in percent), and 0.01 when it is written
 * as an integer; a literal threshold's step comes from its decimal text;
 * integer inputs step by at least 1. The comparison's direction and
 * strictness come from the gap (a "+" gap: >= or >; "-": <= or <; strict
 * marked ">"), and the verdicts must be:
 *     >=  fail pass pass      >  fail fail pass
 *     <=  pass pass fail      <  pass fail fail
 * A threshold is counted only when at least one evaluation failed with a
 * gap comparing x with it; the rest (x used in a condition, an indicator
 * computed from several inputs) is left alone. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define TEXT 256

/* ---- exact decimals as text, through the library ---- */

typedef struct bdec {
	char s[64];                /* plain form, as rulebook_decimal_parse writes it */
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

static bool dec_calc(const bdec *a, rulebook_decimal_op op, const bdec *b, bdec *out)
{
	bdec r;
	if (rulebook_decimal_calc(a->s, strlen(a->s), op, b->s, strlen(b->s), r.s, sizeof r.s,
				  NULL) != RULEBOOK_OK)
		return false;
	*out = r;
	return true;
}

/* 10^k */
static void dec_pow10(int k, bdec *out)
{
	snprintf(out->s, sizeof out->s, "1e%d", k);
	dec_parse(out->s, out);
}

static bool dec_is_integer(const bdec *a)
{
	char whole[sizeof a->s];
	return rulebook_decimal_format(a->s, strlen(a->s), 0, RULEBOOK_ROUND_DOWN, 0, whole,
				       sizeof whole, NULL) == RULEBOOK_OK &&
	       strcmp(whole, a->s) == 0;
}

/* Digits after the '.' of a number as written ("37.0" has 1). */
static int decimals_written(const char *text)
{
	const char *p = strchr(text, '.');
	if (!p)
		return 0;
	int n = 0;
	for (p++; *p >= '0' && *p <= '9'; p++)
		n++;
	return n;
}

/* ---- the test cases and rule lines of the rulebook's own source ---- */

typedef struct bfact {
	char *name;
	char *value;      /* NULL: missing (null) */
} bfact;

typedef struct bcase {
	char *name;
	int32_t as_of;
	bfact *facts;
	size_t nfacts;
} bcase;

typedef struct bsource {
	bcase *cases;
	size_t ncases;
	char **rule_ids;
	size_t *rule_lines;
	size_t nrules;
	bool nomem;
} bsource;

static void source_free(bsource *s)
{
	for (size_t i = 0; i < s->ncases; i++) {
		for (size_t j = 0; j < s->cases[i].nfacts; j++) {
			free(s->cases[i].facts[j].name);
			free(s->cases[i].facts[j].value);
		}
		free(s->cases[i].facts);
		free(s->cases[i].name);
	}
	free(s->cases);
	for (size_t i = 0; i < s->nrules; i++)
		free(s->rule_ids[i]);
	free(s->rule_ids);
	free(s->rule_lines);
}

static const char *scalar(yaml_document_t *doc, int id)
{
	yaml_node_t *n = yaml_document_get_node(doc, id);
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* The value of key in a mapping node; NULL when absent. */
static yaml_node_t *map_get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		const char *k = scalar(doc, p->key);
		if (k && strcmp(k, key) == 0)
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}

static char *dup(bsource *s, const char *text)
{
	char *d = strdup(text);
	if (!d)
		s->nomem = true;
	return d;
}

/* One `tests:` entry with `facts:`; population cases (records:) and cases
 * that are not plain mappings of scalars are left out. */
static void read_case(bsource *s, yaml_document_t *doc, yaml_node_t *item)
{
	yaml_node_t *facts = map_get(doc, item, "facts");
	yaml_node_t *as_of = map_get(doc, item, "as_of");
	yaml_node_t *name = map_get(doc, item, "name");
	if (!facts || facts->type != YAML_MAPPING_NODE || !as_of ||
	    as_of->type != YAML_SCALAR_NODE)
		return;
	int32_t date;
	const char *date_text = (const char *)as_of->data.scalar.value;
	if (rulebook_date_parse(date_text, strlen(date_text), &date) != RULEBOOK_OK)
		return;
	size_t n = (size_t)(facts->data.mapping.pairs.top - facts->data.mapping.pairs.start);
	bcase c = {0};
	c.as_of = date;
	c.facts = calloc(n ? n : 1, sizeof(bfact));
	c.name = dup(s, name && name->type == YAML_SCALAR_NODE
				? (const char *)name->data.scalar.value
				: "");
	bool ok = c.facts && c.name;
	for (yaml_node_pair_t *p = facts->data.mapping.pairs.start;
	     ok && p < facts->data.mapping.pairs.top; p++) {
		const char *key = scalar(doc, p->key);
		yaml_node_t *v = yaml_document_get_node(doc, p->value);
		if (!key || !v || v->type != YAML_SCALAR_NODE) {
			ok = false;
			break;
		}
		const char *text = (const char *)v->data.scalar.value;
		bool null = v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && strcmp(text, "null") == 0;
		bfact *f = &c.facts[c.nfacts++];
		f->name = dup(s, key);
		f->value = null ? NULL : dup(s, text);
		ok = f->name && (null || f->value);
	}
	bcase *grown = ok ? realloc(s->cases, (s->ncases + 1) * sizeof(bcase)) : NULL;
	if (grown) {
		s->cases = grown;
		s->cases[s->ncases++] = c;
		return;
	}
	if (!c.facts || !c.name || ok)
		s->nomem = true;
	for (size_t j = 0; j < c.nfacts; j++) {
		free(c.facts[j].name);
		free(c.facts[j].value);
	}
	free(c.facts);
	free(c.name);
}

static void read_rule(bsource *s, yaml_document_t *doc, yaml_node_t *item)
{
	yaml_node_t *id = map_get(doc, item, "id");
	if (!id || id->type != YAML_SCALAR_NODE)
		return;
	char **ids = realloc(s->rule_ids, (s->nrules + 1) * sizeof(char *));
	if (ids)
		s->rule_ids = ids;
	size_t *lines = realloc(s->rule_lines, (s->nrules + 1) * sizeof(size_t));
	if (lines)
		s->rule_lines = lines;
	char *copy = ids && lines ? dup(s, (const char *)id->data.scalar.value) : NULL;
	if (!copy) {
		s->nomem = true;
		return;
	}
	s->rule_ids[s->nrules] = copy;
	s->rule_lines[s->nrules++] = item->start_mark.line + 1;
}

/* Read the test cases and the lines of the rules from the rulebook's text
 * (which the library has already compiled). */
static bool read_source(const char *data, size_t len, bsource *s)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	if (!yaml_parser_initialize(&parser))
		return false;
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	bool ok = yaml_parser_load(&parser, &doc) != 0;
	yaml_parser_delete(&parser);
	if (!ok)
		return false;
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	static const char *const sections[2] = {"tests", "rules"};
	for (int k = 0; k < 2; k++) {
		yaml_node_t *seq = map_get(&doc, root, sections[k]);
		if (!seq || seq->type != YAML_SEQUENCE_NODE)
			continue;
		for (yaml_node_item_t *it = seq->data.sequence.items.start;
		     it < seq->data.sequence.items.top && !s->nomem; it++) {
			yaml_node_t *item = yaml_document_get_node(&doc, *it);
			if (k == 0)
				read_case(s, &doc, item);
			else
				read_rule(s, &doc, item);
		}
	}
	yaml_document_delete(&doc);
	return !s->nomem;
}

static size_t rule_line(const bsource *s, const char *id)
{
	for (size_t i = 0; i < s->nrules; i++)
		if (strcmp(s->rule_ids[i], id) == 0)
			return s->rule_lines[i];
	return 0;
}

/* ---- evaluation ---- */

typedef struct bctx {
	const char *name;
	const rulebook *rb;
	bsource src;
	rulebook_facts *facts;
	rulebook_result *res;
	const bcase *base;         /* the case the rule is tried on */
	size_t rule;
	const char *rule_id;
	bool nomem;
} bctx;

static bool apply_case(bctx *b, const bcase *c)
{
	rulebook_facts_clear(b->facts);
	for (size_t i = 0; i < c->nfacts; i++) {
		const bfact *f = &c->facts[i];
		rulebook_status st = f->value ? rulebook_facts_set_text(b->facts, f->name, f->value, NULL)
					      : rulebook_facts_set_missing(b->facts, f->name, NULL);
		if (st != RULEBOOK_OK)
			return false;
	}
	return true;
}

/* The rule's object in the result JSON (parsed into *doc; free it). */
static const cli_json *rule_json(bctx *b, cli_json **doc)
{
	const char *text;
	size_t len;
	*doc = NULL;
	if (rulebook_result_json(b->res, 0, &text, &len) != RULEBOOK_OK ||
	    !(*doc = cli_json_parse(text, len))) {
		b->nomem = true;
		return NULL;
	}
	const cli_json *rules = cli_json_get(*doc, "rules");
	for (const cli_json *r = rules ? rules->child : NULL; r; r = r->next) {
		const char *id = cli_json_get_text(r, "id");
		if (id && strcmp(id, b->rule_id) == 0)
			return r;
	}
	return NULL;
}

/* What one evaluation with x at a value showed. */
typedef struct point {
	bool set;                  /* the value could be set and evaluated */
	rulebook_verdict verdict;
	char x[TEXT];              /* x as evaluated, in its unit */
	bool gap;                  /* failed with a gap comparing x itself */
	bdec threshold;
	char threshold_text[TEXT];
	int dir;                   /* +1: x must rise (>=, >); -1: fall (<=, <) */
	bool strict;
} point;

/* Evaluate the base case with input x set to value (decimal text, with a
 * unit or not). */
static void try_point(bctx *b, const char *x, const char *xunit, const char *value, point *p)
{
	memset(p, 0, sizeof(*p));
	if (!apply_case(b, b->base) ||
	    (value && rulebook_facts_set_decimal(b->facts, x, value, NULL) != RULEBOOK_OK) ||
	    rulebook_eval(b->rb, b->facts, b->base->as_of, b->res, NULL) != RULEBOOK_OK)
		return;
	const char *xv = rulebook_result_value(b->res, x);
	if (!xv || strlen(xv) >= TEXT)
		return;
	p->set = true;
	strcpy(p->x, xv);
	p->verdict = rulebook_result_verdict(b->res, b->rule);
	if (p->verdict != RULEBOOK_FAIL)
		return;
	cli_json *doc;
	const cli_json *gap = cli_json_get(rule_json(b, &doc), "gap");
	const char *actual = cli_json_get_text(gap, "actual");
	const char *thr = cli_json_get_text(gap, "threshold");
	const char *unit = cli_json_get_text(gap, "unit");
	const char *text = cli_json_get_text(gap, "text");
	bdec a, xd;
	if (actual && thr && unit && text && strcmp(unit, xunit) == 0 && strlen(thr) < TEXT &&
	    dec_parse(actual, &a) && dec_parse(xv, &xd) && dec_cmp(&a, &xd) == 0 &&
	    dec_parse(thr, &p->threshold)) {
		p->gap = true;
		strcpy(p->threshold_text, thr);
		/* "+4.2 亩" / "-300 tce": raise / cut; a strict comparison says
		 * the change must exceed (">+0.5") or stay below ("<-0.5", "<+0"
		 * at the threshold itself). */
		p->strict = text[0] == '>' || text[0] == '<';
		p->dir = p->strict ? (text[0] == '>' ? 1 : -1) : (text[0] == '-' ? -1 : 1);
	}
	cli_json_free(doc);
}

/* A threshold of x to check. */
typedef struct cand {
	bdec t;
	char t_text[TEXT];
	bool have_op;              /* dir and strict known from a discovering failure */
	int dir;
	bool strict;
	const char *param;         /* the parameter at that value, or NULL */
	const char *pvalue, *punit; /* its value and unit in the JSON */
} cand;

typedef struct cand_list {
	cand *v;
	size_t n, cap;
} cand_list;

static cand *cand_find(cand_list *l, const bdec *t)
{
	for (size_t i = 0; i < l->n; i++)
		if (dec_cmp(&l->v[i].t, t) == 0)
			return &l->v[i];
	return NULL;
}

static cand *cand_add(bctx *b, cand_list *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4;
		cand *v = realloc(l->v, cap * sizeof(*v));
		if (!v) {
			b->nomem = true;
			return NULL;
		}
		l->v = v;
		l->cap = cap;
	}
	cand *c = &l->v[l->n++];
	memset(c, 0, sizeof(*c));
	return c;
}

static const char *op_text(int dir, bool strict)
{
	return dir > 0 ? (strict ? ">" : ">=") : (strict ? "<" : "<=");
}

static bool dec_text(const bdec *d, char *buf, size_t size)
{
	return (size_t)snprintf(buf, size, "%s", d->s) < size;
}

/* value ± step as text, with the unit appended when there is one. */
static bool point_value(const bdec *v, const bdec *step, int sign, const char *unit,
			char *buf, size_t size)
{
	bdec r = *v;
	if (sign && !dec_calc(v, sign > 0 ? RULEBOOK_DECIMAL_ADD : RULEBOOK_DECIMAL_SUB, step, &r))
		return false;
	char num[TEXT];
	if (!dec_text(&r, num, sizeof num))
		return false;
	int n = snprintf(buf, size, "%s%s%s", num, unit[0] ? " " : "", unit);
	return n > 0 && (size_t)n < size;
}

typedef struct report {
	char ok[1024];             /* "x >= t = 10 人, step 1 人; …" */
	size_t ok_len;
	size_t checked, failed;
} report;

static void print_rule_prefix(bctx *b)
{
	cli_print_position(stdout, b->name, rule_line(&b->src, b->rule_id), 0);
	fputs("rule '", stdout);
	cli_put_clean(stdout, b->rule_id);
	fputs("': ", stdout);
}

/* Check one threshold t of input x; print what fails. */
static void check_cand(bctx *b, const char *x, const char *xunit, bool integer, cand *c,
		       report *rep)
{
	/* The step, and the three values in the unit they are written in. */
	bdec base, step;
	const char *unit = xunit;
	int decimals = decimals_written(c->t_text), shift = 0;
	if (c->param) {
		size_t p;
		const char *written = NULL;
		for (p = 0; p < rulebook_param_count(b->rb); p++)
			if (strcmp(rulebook_param_name(b->rb, p), c->param) == 0) {
				written = rulebook_param_value(b->rb, p, b->base->as_of);
				break;
			}
		if (!written || !dec_parse(c->pvalue, &base))
			return;
		decimals = decimals_written(written);
		shift = strstr(written, "‰") ? -3 : strchr(written, '%') ? -2 : 0;
		unit = c->punit;
	} else {
		base = c->t;
	}
	dec_pow10(-(decimals ? decimals : 2) + shift, &step);
	if (integer && strcmp(unit, xunit) == 0) {
		bdec one;
		dec_pow10(0, &one);
		if (dec_cmp(&step, &one) < 0)
			step = one;
		if (!dec_is_integer(&base))
			return; /* an integer input cannot sit at this threshold */
	}
	point pts[3];
	for (int k = 0; k < 3; k++) {
		char value[TEXT];
		if (!point_value(&base, &step, k - 1, unit, value, sizeof value))
			return;
		try_point(b, x, xunit, value, &pts[k]);
		if (!pts[k].set)
			return; /* e.g. a fractional value for an integer input */
	}
	bdec at;
	if (!dec_parse(pts[1].x, &at))
		return;
	if (c->param) {
		c->t = at; /* the parameter in x's unit */
		dec_text(&at, c->t_text, sizeof c->t_text);
	}
	/* Confirmed when a failure compares x with this very threshold. */
	bool confirmed = false;
	for (int k = 0; k < 3 && !confirmed; k++)
		if (pts[k].gap && dec_cmp(&pts[k].threshold, &c->t) == 0) {
			confirmed = true;
			c->dir = pts[k].dir;
			c->strict = pts[k].strict;
		}
	if (!confirmed && !c->have_op)
		return;
	static const bool expect[4][3] = {
		/* pass at below, at, above */
		{false, true, true},  /* >= */
		{false, false, true}, /* >  */
		{true, true, false},  /* <= */
		{true, false, false}, /* <  */
	};
	int op = (c->dir > 0 ? 0 : 2) + (c->strict ? 1 : 0);
	char what[TEXT * 3];
	snprintf(what, sizeof what, "%s %s %s%s%s%s%s", x, op_text(c->dir, c->strict),
		 c->param ? c->param : "", c->param ? " = " : "", c->t_text, xunit[0] ? " " : "",
		 xunit);
	bool ok = true;
	for (int k = 0; k < 3; k++) {
		rulebook_verdict want = expect[op][k] ? RULEBOOK_PASS : RULEBOOK_FAIL;
		if (pts[k].verdict == want)
			continue;
		ok = false;
		print_rule_prefix(b);
		fputs("boundary ", stdout);
		cli_put_clean(stdout, what);
		fputs(": ", stdout);
		cli_put_clean(stdout, x);
		fputs(" = ", stdout);
		cli_put_clean(stdout, pts[k].x);
		if (xunit[0]) {
			fputc(' ', stdout);
			cli_put_clean(stdout, xunit);
		}
		printf(": expected %s, got %s (other inputs from case '", rulebook_verdict_str(want),
		       rulebook_verdict_str(pts[k].verdict));
		cli_put_clean(stdout, b->base->name);
		fputs("')\n", stdout);
	}
	rep->checked++;
	if (!ok) {
		rep->failed++;
		return;
	}
	bdec above, diff;
	char stepx[TEXT] = "?";
	if (dec_parse(pts[2].x, &above) && dec_calc(&above, RULEBOOK_DECIMAL_SUB, &at, &diff))
		dec_text(&diff, stepx, sizeof stepx);
	if (rep->ok_len < sizeof rep->ok) {
		int n = snprintf(rep->ok + rep->ok_len, sizeof rep->ok - rep->ok_len,
				 "%s%s, step %s%s%s", rep->ok_len ? "; " : "", what, stepx,
				 xunit[0] ? " " : "", xunit);
		if (n > 0)
			rep->ok_len += (size_t)n;
	}
}

/* Find and check the thresholds of input x in the current rule. */
static void check_input(bctx *b, const char *x, const cli_json *values, report *rep)
{
	size_t idx;
	if (rulebook_input_index(b->rb, x, strlen(x), &idx) != RULEBOOK_OK)
		return;
	const char *type = rulebook_input_type(b->rb, idx);
	bool integer = strcmp(type, "integer") == 0;
	if (!integer && strcmp(type, "number") != 0)
		return;
	const char *xunit = rulebook_input_unit(b->rb, idx);
	cand_list cands = {0};

	/* Discovery: failures whose gap compares x itself. */
	point base;
	try_point(b, x, xunit, NULL, &base);
	if (!base.set)
		return;
	bdec bv, probe, tenth_factor;
	const char *probes[6] = {NULL, "0", "1000000000", "-1000000000", NULL, NULL};
	char twice[TEXT], tenth[TEXT];
	if (dec_parse(base.x, &bv)) {
		if (dec_calc(&bv, RULEBOOK_DECIMAL_ADD, &bv, &probe) &&
		    dec_text(&probe, twice, sizeof twice))
			probes[4] = twice;
		dec_pow10(-1, &tenth_factor);
		if (dec_calc(&bv, RULEBOOK_DECIMAL_MUL, &tenth_factor, &probe) &&
		    dec_text(&probe, tenth, sizeof tenth))
			probes[5] = tenth;
	}
	for (int k = 0; k < 6 && !b->nomem; k++) {
		point p;
		if (k == 0)
			p = base;
		else if (probes[k])
			try_point(b, x, xunit, probes[k], &p);
		else
			continue;
		if (!p.gap || cand_find(&cands, &p.threshold))
			continue;
		cand *c = cand_add(b, &cands);
		if (!c)
			break;
		c->t = p.threshold;
		strcpy(c->t_text, p.threshold_text);
		c->have_op = true;
		c->dir = p.dir;
		c->strict = p.strict;
	}

	/* Parameters of the rule that x can be compared with. */
	for (const cli_json *v = values ? values->child : NULL; v && !b->nomem; v = v->next) {
		const char *kind = cli_json_get_text(v, "kind");
		const char *pv = cli_json_get_text(v, "value");
		const char *pu = cli_json_get_text(v, "unit");
		if (!kind || strcmp(kind, "parameter") != 0 || !pv || !pu || !v->key)
			continue;
		if (!pu[0] != !xunit[0])
			continue; /* a plain number and a quantity */
		char value[TEXT];
		int n = snprintf(value, sizeof value, "%s%s%s", pv, pu[0] ? " " : "", pu);
		if (n < 0 || (size_t)n >= sizeof value)
			continue;
		point p;
		try_point(b, x, xunit, value, &p);
		bdec t;
		if (!p.set || !dec_parse(p.x, &t))
			continue; /* not a unit of x's dimension */
		cand *c = cand_find(&cands, &t);
		if (!c) {
			if (!(c = cand_add(b, &cands)))
				break;
			c->t = t;
			strcpy(c->t_text, p.x);
		}
		if (!c->param) {
			c->param = v->key;
			c->pvalue = pv;
			c->punit = pu;
		}
	}
	for (size_t i = 0; i < cands.n && !b->nomem; i++)
		check_cand(b, x, xunit, integer, &cands.v[i], rep);
	free(cands.v);
}

int cli_boundaries(const char *name, const rulebook *rb, const char *data, size_t len,
		   size_t *passed, size_t *failed)
{
	bctx b = {0};
	b.name = name;
	b.rb = rb;
	if (!read_source(data, len, &b.src)) {
		source_free(&b.src);
		if (b.src.nomem) {
			fprintf(stderr, "%s: out of memory\n", name);
			return CLI_TROUBLE;
		}
		return CLI_OK; /* compiled by the library, so only a YAML oddity: no cases */
	}
	b.facts = rulebook_facts_new(rb);
	b.res = rulebook_result_new(rb);
	size_t nrules = rulebook_rule_count(rb), ncases = b.src.ncases;
	/* The verdicts of every rule in every case, to pick each rule's case. */
	uint8_t *verdicts = calloc(ncases * nrules + 1, 1);
	int status = CLI_OK;
	if (!b.facts || !b.res || !verdicts) {
		fprintf(stderr, "%s: out of memory\n", name);
		status = CLI_TROUBLE;
		nrules = 0;
	}
	for (size_t c = 0; c < ncases && nrules; c++)
		if (apply_case(&b, &b.src.cases[c]) &&
		    rulebook_eval(rb, b.facts, b.src.cases[c].as_of, b.res, NULL) == RULEBOOK_OK)
			for (size_t r = 0; r < nrules; r++)
				verdicts[c * nrules + r] = (uint8_t)rulebook_result_verdict(b.res, r);
	for (size_t r = 0; r < nrules && !b.nomem; r++) {
		b.base = NULL;
		for (size_t c = 0; c < ncases && !b.base; c++) {
			uint8_t v = verdicts[c * nrules + r];
			if (v == RULEBOOK_PASS || v == RULEBOOK_FAIL)
				b.base = &b.src.cases[c];
		}
		if (!b.base)
			continue;
		b.rule = r;
		b.rule_id = rulebook_rule_id(rb, r);
		/* The inputs and parameters the rule uses, from the base case. */
		cli_json *doc = NULL;
		const cli_json *values = NULL;
		if (apply_case(&b, b.base) &&
		    rulebook_eval(rb, b.facts, b.base->as_of, b.res, NULL) == RULEBOOK_OK)
			values = cli_json_get(rule_json(&b, &doc), "values");
		report rep = {0};
		for (const cli_json *v = values ? values->child : NULL; v && !b.nomem; v = v->next) {
			const char *kind = cli_json_get_text(v, "kind");
			if (kind && strcmp(kind, "input") == 0 && v->key)
				check_input(&b, v->key, values, &rep);
		}
		cli_json_free(doc);
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
	if (b.nomem) {
		fprintf(stderr, "%s: out of memory\n", name);
		status = CLI_TROUBLE;
	}
	free(verdicts);
	rulebook_result_free(b.res);
	rulebook_facts_free(b.facts);
	source_free(&b.src);
	return status;
}
