/* Schema reader: YAML tree -> rulebook model.
 *
 * Every mapping is checked against a table of its keys, so an unknown key,
 * a missing required key or a value of the wrong kind is reported with its
 * position and the list of keys that would have been accepted. Reading goes
 * on after an error so that one run reports every schema mistake. */
#include "model.h"
#include "alloc.h"
#include "date.h"
#include "idset.h"
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct rd {
	rb_model *m;
	rulebook_error *err;
	rulebook_status status;
} rd;

static rulebook_status fail(rd *r, rulebook_status st, const rb_node *n, const char *subject,
			    const char *fmt, ...) RB_PRINTF(5, 6);

static rulebook_status fail(rd *r, rulebook_status st, const rb_node *n, const char *subject,
			    const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	rb_error_add(r->err, st, n->pos, subject, "%s", buf);
	if (r->status == RULEBOOK_OK)
		r->status = st;
	return st;
}

static const char *kind_name(rb_node_kind k)
{
	switch (k) {
	case RB_NODE_SCALAR: return "a scalar";
	case RB_NODE_MAP: return "a mapping";
	case RB_NODE_SEQ: return "a list";
	}
	return "?";
}

/* ---- key tables ---- */

typedef struct key_spec {
	const char *key;
	rb_node_kind kind;   /* 0: scalar or mapping (i18n) */
	int required;
} key_spec;

/* Check map's keys against spec; fills found[i] with the value of spec[i]. */
static int check_keys(rd *r, const rb_node *map, const key_spec *spec, size_t nspec,
		      const rb_node **found, const char *what)
{
	int ok = 1;
	for (size_t i = 0; i < nspec; i++)
		found[i] = NULL;
	/* Keys of kind 0 (text or {zh, en}) admit any node: a list ends here. */
	if (map->kind != RB_NODE_MAP) {
		fail(r, RULEBOOK_ERR_SCHEMA, map, NULL, "%s must be a mapping, not %s", what,
		     kind_name(map->kind));
		return 0;
	}
	for (size_t p = 0; p < map->count; p++) {
		const rb_node *k = map->pairs[p].key;
		const rb_node *v = map->pairs[p].value;
		size_t i;
		for (i = 0; i < nspec; i++)
			if (strcmp(spec[i].key, k->text) == 0)
				break;
		if (i == nspec) {
			char expected[512];
			size_t off = 0;
			expected[0] = '\0';
			for (size_t j = 0; j < nspec && off < sizeof(expected) - 32; j++) {
				size_t l = strlen(spec[j].key);
				if (off + l + 3 >= sizeof(expected))
					break;
				if (j) {
					memcpy(expected + off, ", ", 2);
					off += 2;
				}
				memcpy(expected + off, spec[j].key, l);
				off += l;
				expected[off] = '\0';
			}
			fail(r, RULEBOOK_ERR_SCHEMA, k, NULL, "unknown key '%s' in %s (expected one of: %s)",
			     k->text, what, expected);
			ok = 0;
			continue;
		}
		if (spec[i].kind && v->kind != spec[i].kind) {
			fail(r, RULEBOOK_ERR_SCHEMA, v, NULL, "'%s' in %s must be %s, not %s", k->text,
			     what, kind_name(spec[i].kind), kind_name(v->kind));
			ok = 0;
			continue;
		}
		found[i] = v;
	}
	for (size_t i = 0; i < nspec; i++) {
		if (spec[i].required && !found[i] && !rb_map_get(map, spec[i].key)) {
			fail(r, RULEBOOK_ERR_SCHEMA, map, NULL, "missing required key '%s' in %s",
			     spec[i].key, what);
			ok = 0;
		}
	}
	return ok;
}

#define NKEYS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- scalars ---- */

static rb_text text_of(const rb_node *n)
{
	rb_text t = {0};
	if (n && n->kind == RB_NODE_SCALAR) {
		t.s = n->text;
		t.len = n->len;
		t.pos = n->pos;
		t.node = n;
	}
	return t;
}

/* A non-empty scalar. */
static int get_text(rd *r, const rb_node *n, const char *what, rb_text *out)
{
	if (!n)
		return 1;
	if (n->kind != RB_NODE_SCALAR)
		return fail(r, RULEBOOK_ERR_SCHEMA, n, NULL, "%s must be a scalar, not %s", what,
			    kind_name(n->kind)), 0;
	if (n->len == 0)
		return fail(r, RULEBOOK_ERR_SCHEMA, n, NULL, "%s must not be empty", what), 0;
	*out = text_of(n);
	return 1;
}

/* A citation: a clause of the file's document ("三（一）4"), or of a listed
 * document ({document: std2008, clause: 表2}). */
static int get_cite(rd *r, const rb_node *n, rb_text *out)
{
	if (!n || n->kind != RB_NODE_MAP)
		return get_text(r, n, "cite", out);
	static const key_spec keys[] = {{"document", RB_NODE_SCALAR, 1},
					{"clause", RB_NODE_SCALAR, 1}};
	const rb_node *f[2];
	if (!check_keys(r, n, keys, 2, f, "cite") || !get_text(r, f[1], "cite.clause", out))
		return 0;
	out->doc = f[0]->text;
	return 1;
}

/* An identifier: letters, digits, '_', '-', '.', or UTF-8; not starting with
 * a digit, '-' or '.'. */
static int get_id(rd *r, const rb_node *n, const char *what, rb_text *out)
{
	if (!get_text(r, n, what, out) || !n)
		return 0;
	const unsigned char *s = (const unsigned char *)n->text;
	int ok = !(s[0] >= '0' && s[0] <= '9') && s[0] != '-' && s[0] != '.';
	for (size_t i = 0; ok && i < n->len; i++) {
		unsigned c = s[i];
		ok = c >= 0x80 || c == '_' || c == '-' || c == '.' || (c >= '0' && c <= '9') ||
		     ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
	}
	if (!ok) {
		fail(r, RULEBOOK_ERR_SCHEMA, n, NULL,
		     "%s '%s' is not a valid identifier (letters, digits, '_', '-', '.'; not "
		     "starting with a digit)",
		     what, n->text);
		return 0;
	}
	/* Invisible characters would make two ids look alike, or reorder what
	 * a reader sees around them (U+202E). */
	for (size_t i = 0, k; i < n->len; i += k) {
		uint32_t cp = rb_utf8_decode(n->text + i, n->len - i, &k);
		if (!rb_invisible(cp))
			continue;
		rb_pos pos = n->pos;
		bool one_line = !memchr(n->text, '\n', n->len);
		if (one_line && (n->style == RB_SCALAR_PLAIN || n->style == RB_SCALAR_SINGLE ||
				 n->style == RB_SCALAR_DOUBLE))
			pos.col += (uint32_t)i + (n->style == RB_SCALAR_PLAIN ? 0 : 1);
		rb_buf shown;
		rb_buf_init(&shown);
		rb_buf_append(&shown, n->text, n->len);
		rb_buf_escape_invisible(&shown);
		rb_error_add(r->err, RULEBOOK_ERR_SCHEMA, pos, NULL,
			     "%s '%s' contains U+%04X, an invisible %s character: not allowed in an "
			     "identifier",
			     what, rb_buf_cstr(&shown), (unsigned)cp,
			     (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF
				     ? "zero-width"
				     : "bidirectional control");
		rb_buf_release(&shown);
		if (r->status == RULEBOOK_OK)
			r->status = RULEBOOK_ERR_SCHEMA;
		return 0;
	}
	return 1;
}

static int get_bool(rd *r, const rb_node *n, const char *what, int *out)
{
	if (!n)
		return 1;
	if (n->kind == RB_NODE_SCALAR && n->style == RB_SCALAR_PLAIN) {
		if (strcmp(n->text, "true") == 0)
			return *out = 1, 1;
		if (strcmp(n->text, "false") == 0)
			return *out = 0, 1;
	}
	fail(r, RULEBOOK_ERR_SCHEMA, n, NULL, "%s must be true or false", what);
	return 0;
}

static int get_date(rd *r, const rb_node *n, const char *what, int32_t *out)
{
	if (!n)
		return 1;
	if (n->kind != RB_NODE_SCALAR || rb_date_parse(n->text, n->len, out) != 0) {
		fail(r, RULEBOOK_ERR_SCHEMA, n, NULL,
		     "%s must be a date written YYYY-MM-DD (a real calendar day), not '%s'", what,
		     n->kind == RB_NODE_SCALAR ? n->text : kind_name(n->kind));
		return 0;
	}
	return 1;
}

static int get_enum(rd *r, const rb_node *n, const char *what, const char *const *names,
		    const char *list, int *out)
{
	if (!n)
		return 1;
	if (n->kind == RB_NODE_SCALAR) {
		for (int i = 0; names[i]; i++)
			if (strcmp(names[i], n->text) == 0)
				return *out = i, 1;
	}
	fail(r, RULEBOOK_ERR_SCHEMA, n, NULL, "%s must be one of: %s", what, list);
	return 0;
}

/* {zh: ..., en: ...} or a plain scalar (taken as Chinese). */
static int get_i18n(rd *r, const rb_node *n, const char *what, rb_i18n *out)
{
	if (!n)
		return 1;
	if (n->kind == RB_NODE_SCALAR) {
		out->zh = n->text;
		return 1;
	}
	static const key_spec keys[] = {{"zh", RB_NODE_SCALAR, 0}, {"en", RB_NODE_SCALAR, 0}};
	const rb_node *f[2];
	if (!check_keys(r, n, keys, 2, f, what))
		return 0;
	if (!f[0] && !f[1]) {
		fail(r, RULEBOOK_ERR_SCHEMA, n, NULL, "%s needs 'zh' or 'en'", what);
		return 0;
	}
	out->zh = f[0] ? f[0]->text : NULL;
	out->en = f[1] ? f[1]->text : NULL;
	return 1;
}

static void nomem(rd *r)
{
	if (r->status != RULEBOOK_ERR_NOMEM)
		rb_error_add(r->err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	r->status = RULEBOOK_ERR_NOMEM;
}

static void *alloc_items(rd *r, size_t n, size_t size)
{
	void *p = rb_arena_calloc(&r->m->arena, n ? n : 1, size);
	if (!p && r->status == RULEBOOK_OK) {
		rb_error_add(r->err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
		r->status = RULEBOOK_ERR_NOMEM;
	}
	return p;
}

static int in_force(rd *r, const rb_node *n, const char *what, int32_t *from, int32_t *until)
{
	if (!n)
		return 1;
	static const key_spec keys[] = {{"from", RB_NODE_SCALAR, 0}, {"until", RB_NODE_SCALAR, 0}};
	const rb_node *f[2];
	if (!check_keys(r, n, keys, 2, f, what))
		return 0;
	int ok = get_date(r, f[0], "in_force.from", from) & get_date(r, f[1], "in_force.until", until);
	if (ok && *from && *until && *until < *from) {
		fail(r, RULEBOOK_ERR_SCHEMA, f[1], NULL, "in_force.until %s is before from %s",
		     f[1]->text, f[0]->text);
		return 0;
	}
	return ok;
}

/* ---- sections ---- */

static void read_units(rd *r, const rb_node *seq)
{
	static const key_spec keys[] = {
		{"id", RB_NODE_SCALAR, 1}, {"equals", RB_NODE_SCALAR, 0},
		{"base", RB_NODE_SCALAR, 0}, {"label", 0, 0}};
	rb_model *m = r->m;
	m->units = alloc_items(r, seq->count, sizeof(*m->units));
	if (!m->units)
		return;
	for (size_t i = 0; i < seq->count; i++) {
		const rb_node *it = seq->items[i];
		if (it->kind != RB_NODE_MAP) {
			fail(r, RULEBOOK_ERR_SCHEMA, it, NULL, "each unit must be %s, not %s",
			     "a mapping", kind_name(it->kind));
			continue;
		}
		const rb_node *f[NKEYS(keys)];
		if (!check_keys(r, it, keys, NKEYS(keys), f, "unit"))
			continue;
		rb_m_unit *u = &m->units[m->nunits];
		int base = 0;
		if (!get_text(r, f[0], "unit id", &u->id) || !get_bool(r, f[2], "base", &base) ||
		    !get_text(r, f[1], "equals", &u->equals) || !get_i18n(r, f[3], "label", &u->label))
			continue;
		if (base == !!f[1]) {
			fail(r, RULEBOOK_ERR_SCHEMA, it, NULL,
			     "unit '%s' needs exactly one of 'equals' (a scaled unit) or 'base: true' "
			     "(a new dimension)",
			     f[0]->text);
			continue;
		}
		m->nunits++;
	}
}

/* A name or a list of names (`aliases: 企业名称` or `aliases: [a, b]`). */
static int get_names(rd *r, const rb_node *n, const char *what, rb_text **out, size_t *count)
{
	*out = NULL;
	*count = 0;
	if (!n)
		return 1;
	if (n->kind == RB_NODE_SCALAR) {
		*out = alloc_items(r, 1, sizeof(rb_text));
		if (!*out || !get_text(r, n, what, *out))
			return 0;
		*count = 1;
		return 1;
	}
	if (n->kind != RB_NODE_SEQ)
		return fail(r, RULEBOOK_ERR_SCHEMA, n, NULL, "%s must be a name or a list of names, not %s",
			    what, kind_name(n->kind)), 0;
	if (n->count == 0)
		return fail(r, RULEBOOK_ERR_SCHEMA, n, NULL, "%s must not be an empty list", what), 0;
	*out = alloc_items(r, n->count, sizeof(rb_text));
	if (!*out)
		return 0;
	for (size_t i = 0; i < n->count; i++)
		if (!get_text(r, n->items[i], what, &(*out)[i]))
			return 0;
	*count = n->count;
	return 1;
}

static const char *const type_names[] = {"", "number", "integer", "boolean", "text", "enum", "date", "list", NULL};
#define TYPE_LIST_TEXT "number, integer, boolean, text, enum, date, list"
#define ELEM_LIST_TEXT "number, integer, boolean, text, enum, date"

static int read_input(rd *r, const rb_node *it, rb_m_input *in, const char *owner);

/* The fields of a list of records: inputs of their own, without lists. */
static int read_fields(rd *r, const rb_node *seq, rb_m_input *in)
{
	if (seq->count == 0)
		return fail(r, RULEBOOK_ERR_SCHEMA, seq, in->id.s, "list input '%s' has no fields",
			    in->id.s), 0;
	in->fields = alloc_items(r, seq->count, sizeof(*in->fields));
	if (!in->fields)
		return 0;
	rb_idset seen = RB_IDSET_INIT;
	int ok = 1;
	for (size_t i = 0; ok && i < seq->count; i++) {
		rb_m_input *fd = &in->fields[i];
		ok = read_input(r, seq->items[i], fd, in->id.s);
		if (!ok)
			break;
		int added = rb_idset_add(&seen, fd->id.s, fd->id.len, (uint32_t)i, NULL);
		if (added < 0) {
			nomem(r);
			ok = 0;
		} else if (added == 0) {
			fail(r, RULEBOOK_ERR_SCHEMA, seq->items[i], in->id.s,
			     "field '%s' appears twice in list input '%s'", fd->id.s, in->id.s);
			ok = 0;
		}
	}
	rb_idset_free(&seen);
	in->nfields = ok ? seq->count : 0;
	return ok;
}

/* One input (owner NULL) or one field of a list of records (owner: the
 * list's id). */
static int read_input(rd *r, const rb_node *it, rb_m_input *in, const char *owner)
{
	static const key_spec keys[] = {
		{"id", RB_NODE_SCALAR, 1}, {"type", RB_NODE_SCALAR, 1}, {"unit", RB_NODE_SCALAR, 0},
		{"label", 0, 0},           {"required", RB_NODE_SCALAR, 0},
		{"values", RB_NODE_SEQ, 0}, {"note", RB_NODE_SCALAR, 0},
		{"aliases", 0, 0},         {"of", RB_NODE_SCALAR, 0},
		{"fields", RB_NODE_SEQ, 0}};
	static const key_spec field_keys[] = {
		{"id", RB_NODE_SCALAR, 1}, {"type", RB_NODE_SCALAR, 1}, {"unit", RB_NODE_SCALAR, 0},
		{"label", 0, 0},           {"values", RB_NODE_SEQ, 0}, {"note", RB_NODE_SCALAR, 0}};
	memset(in, 0, sizeof(*in));
	if (it->kind != RB_NODE_MAP)
		return fail(r, RULEBOOK_ERR_SCHEMA, it, NULL, "each %s must be %s, not %s",
			    owner ? "field" : "input", "a mapping", kind_name(it->kind)), 0;
	const rb_node *f[NKEYS(keys)];
	if (owner) {
		const rb_node *g[NKEYS(field_keys)];
		if (!check_keys(r, it, field_keys, NKEYS(field_keys), g, "field"))
			return 0;
		for (size_t k = 0; k < NKEYS(keys); k++)
			f[k] = NULL;
		f[0] = g[0], f[1] = g[1], f[2] = g[2], f[3] = g[3], f[5] = g[4];
	} else if (!check_keys(r, it, keys, NKEYS(keys), f, "input")) {
		return 0;
	}
	int type = 0, elem = 0;
	if (!get_id(r, f[0], owner ? "field id" : "input id", &in->id) ||
	    !get_enum(r, f[1], "input type", type_names + 0, TYPE_LIST_TEXT, &type) ||
	    !get_enum(r, f[8], "the element type ('of')", type_names + 0, ELEM_LIST_TEXT, &elem) ||
	    !get_text(r, f[2], "unit", &in->unit) || !get_i18n(r, f[3], "label", &in->label) ||
	    !get_bool(r, f[4], "required", &in->required) ||
	    !get_names(r, f[7], "an alias", &in->aliases, &in->naliases))
		return 0;
	if (type == 0 || (owner && type == RB_T_LIST)) {
		fail(r, RULEBOOK_ERR_SCHEMA, f[1], NULL, "%s type must be one of: %s",
		     owner ? "field" : "input", owner ? ELEM_LIST_TEXT : TYPE_LIST_TEXT);
		return 0;
	}
	if (elem == RB_T_LIST) {
		fail(r, RULEBOOK_ERR_SCHEMA, f[8], in->id.s,
		     "the elements of list input '%s' must be one of: %s (a list of lists is not "
		     "supported; use 'fields' for records)", in->id.s, ELEM_LIST_TEXT);
		return 0;
	}
	in->type = (rb_type)type;
	in->type_pos = f[1]->pos;
	if (type != RB_T_LIST && (f[8] || f[9])) {
		fail(r, RULEBOOK_ERR_SCHEMA, f[8] ? f[8] : f[9], in->id.s,
		     "input '%s' has '%s' but its type is %s, not list", in->id.s,
		     f[8] ? "of" : "fields", type_names[type]);
		return 0;
	}
	if (type == RB_T_LIST) {
		if (!!f[8] == !!f[9]) {
			fail(r, RULEBOOK_ERR_SCHEMA, f[8] ? f[8] : it, in->id.s,
			     "list input '%s' needs exactly one of 'of' (the element type) or "
			     "'fields' (elements are records)", in->id.s);
			return 0;
		}
		if (f[9]) {
			if (f[2] || f[5]) {
				fail(r, RULEBOOK_ERR_SCHEMA, f[2] ? f[2] : f[5], in->id.s,
				     "list input '%s' has fields: units and values belong to its fields",
				     in->id.s);
				return 0;
			}
			in->elem = RB_T_RECORD;
			return read_fields(r, f[9], in);
		}
		in->elem = (rb_type)elem;
	}
	rb_type vt = type == RB_T_LIST ? (rb_type)elem : (rb_type)type;
	if (f[2] && vt != RB_T_NUMBER && vt != RB_T_INTEGER) {
		fail(r, RULEBOOK_ERR_SCHEMA, f[2], in->id.s,
		     "input '%s' has a unit but its type is %s; only numbers have units",
		     in->id.s, type_names[vt]);
		return 0;
	}
	if ((vt == RB_T_ENUM) != (f[5] != NULL)) {
		fail(r, RULEBOOK_ERR_SCHEMA, f[5] ? f[5] : it, in->id.s,
		     vt == RB_T_ENUM ? "enum input '%s' needs 'values'"
				     : "input '%s' has 'values' but is not an enum",
		     in->id.s);
		return 0;
	}
	if (f[5]) {
		in->values = alloc_items(r, f[5]->count, sizeof(rb_text));
		if (!in->values)
			return 0;
		int ok = f[5]->count > 0;
		if (!ok)
			fail(r, RULEBOOK_ERR_SCHEMA, f[5], in->id.s, "enum input '%s' has no values",
			     in->id.s);
		rb_idset seen = RB_IDSET_INIT;
		for (size_t v = 0; ok && v < f[5]->count; v++) {
			ok = get_text(r, f[5]->items[v], "enum value", &in->values[v]);
			int added = ok ? rb_idset_add(&seen, in->values[v].s, in->values[v].len,
						      (uint32_t)v, NULL)
				       : 1;
			if (added < 0) {
				nomem(r);
				ok = 0;
			} else if (added == 0) {
				fail(r, RULEBOOK_ERR_SCHEMA, f[5]->items[v], in->id.s,
				     "enum value '%s' appears twice in input '%s'",
				     in->values[v].s, in->id.s);
				ok = 0;
			}
		}
		rb_idset_free(&seen);
		if (!ok)
			return 0;
		in->nvalues = f[5]->count;
	}
	return 1;
}

static void read_inputs(rd *r, const rb_node *seq)
{
	rb_model *m = r->m;
	m->inputs = alloc_items(r, seq->count, sizeof(*m->inputs));
	if (!m->inputs)
		return;
	for (size_t i = 0; i < seq->count; i++)
		if (read_input(r, seq->items[i], &m->inputs[m->ninputs], NULL))
			m->ninputs++;
}

/* `value: none` (plain, not quoted): the text gives no figure. */
static bool is_none(const rb_node *n)
{
	return n->kind == RB_NODE_SCALAR && n->style == RB_SCALAR_PLAIN && strcmp(n->text, "none") == 0;
}

/* `value: none` needs a note saying why there is no figure. */
static int check_absent_note(rd *r, const rb_node *it, const rb_m_value *v, size_t n,
			     const char *note, const char *what, const char *id)
{
	for (size_t k = 0; k < n; k++)
		if (v[k].absent && !note)
			return fail(r, RULEBOOK_ERR_SCHEMA, it, id,
				    "%s '%s' has a value 'none': it needs a 'note' saying why the text "
				    "gives no figure", what, id), 0;
	return 1;
}

static void read_params(rd *r, const rb_node *seq)
{
	static const key_spec keys[] = {
		{"id", RB_NODE_SCALAR, 1},         {"unit", RB_NODE_SCALAR, 0},
		{"cite", 0, 1},       {"provenance", RB_NODE_SCALAR, 1},
		{"note", RB_NODE_SCALAR, 0},       {"label", 0, 0},
		{"value", RB_NODE_SCALAR, 0},      {"values", RB_NODE_SEQ, 0},
		{"direction", RB_NODE_SCALAR, 0}};
	static const char *const prov[] = {"", "cited", "illustrative", NULL};
	static const char *const pdirs[] = {"none", "floor", "ceiling", NULL};
	static const key_spec vkeys[] = {{"from", RB_NODE_SCALAR, 1}, {"value", RB_NODE_SCALAR, 1}};
	rb_model *m = r->m;
	m->params = alloc_items(r, seq->count, sizeof(*m->params));
	if (!m->params)
		return;
	for (size_t i = 0; i < seq->count; i++) {
		const rb_node *it = seq->items[i];
		if (it->kind != RB_NODE_MAP) {
			fail(r, RULEBOOK_ERR_SCHEMA, it, NULL, "each parameter must be %s, not %s",
			     "a mapping", kind_name(it->kind));
			continue;
		}
		const rb_node *f[NKEYS(keys)];
		if (!check_keys(r, it, keys, NKEYS(keys), f, "parameter"))
			continue;
		rb_m_param *p = &m->params[m->nparams];
		int pv = 0, pd = 0;
		if (!get_enum(r, f[8], "direction", pdirs, "floor, ceiling", &pd))
			continue;
		p->direction = (rb_param_direction)pd;
		if (!get_id(r, f[0], "parameter id", &p->id) || !get_text(r, f[1], "unit", &p->unit) ||
		    !get_cite(r, f[2], &p->cite) ||
		    !get_enum(r, f[3], "provenance", prov, "cited, illustrative", &pv) ||
		    !get_i18n(r, f[5], "label", &p->label))
			continue;
		if (pv == 0) {
			fail(r, RULEBOOK_ERR_SCHEMA, f[3], p->id.s, "provenance must be one of: %s",
			     "cited, illustrative");
			continue;
		}
		p->provenance = (rb_provenance)pv;
		p->note = f[4] ? f[4]->text : NULL;
		if (p->provenance == RB_PROV_ILLUSTRATIVE && !p->note) {
			fail(r, RULEBOOK_ERR_SCHEMA, it, p->id.s,
			     "illustrative parameter '%s' needs a 'note' saying where a real value "
			     "comes from",
			     p->id.s);
			continue;
		}
		if (!!f[6] == !!f[7]) {
			fail(r, RULEBOOK_ERR_SCHEMA, it, p->id.s,
			     "parameter '%s' needs exactly one of 'value' or 'values'", p->id.s);
			continue;
		}
		if (f[6]) {
			p->values = alloc_items(r, 1, sizeof(*p->values));
			if (!p->values)
				continue;
			p->values[0].from = 0;
			p->values[0].value = text_of(f[6]);
			p->values[0].pos = f[6]->pos;
			p->values[0].absent = is_none(f[6]);
			p->nvalues = 1;
		} else {
			const rb_node *vs = f[7];
			if (vs->count == 0) {
				fail(r, RULEBOOK_ERR_SCHEMA, vs, p->id.s, "parameter '%s' has no values",
				     p->id.s);
				continue;
			}
			p->values = alloc_items(r, vs->count, sizeof(*p->values));
			if (!p->values)
				continue;
			int ok = 1;
			for (size_t v = 0; ok && v < vs->count; v++) {
				const rb_node *vn = vs->items[v];
				const rb_node *vf[2];
				if (vn->kind != RB_NODE_MAP) {
					fail(r, RULEBOOK_ERR_SCHEMA, vn, p->id.s,
					     "each dated value must be %s with 'from' and 'value', not %s",
					     "a mapping", kind_name(vn->kind));
					ok = 0;
					break;
				}
				ok = check_keys(r, vn, vkeys, 2, vf, "dated value") &&
				     get_date(r, vf[0], "from", &p->values[v].from);
				if (!ok)
					break;
				p->values[v].value = text_of(vf[1]);
				p->values[v].pos = vf[1]->pos;
				p->values[v].absent = is_none(vf[1]);
				if (v && p->values[v].from <= p->values[v - 1].from) {
					fail(r, RULEBOOK_ERR_SCHEMA, vf[0], p->id.s,
					     "dated values of '%s' must be in increasing order of "
					     "'from' (%s)",
					     p->id.s, vf[0]->text);
					ok = 0;
				}
			}
			if (!ok)
				continue;
			p->nvalues = vs->count;
		}
		if (!check_absent_note(r, it, p->values, p->nvalues, p->note, "parameter", p->id.s))
			continue;
		m->nparams++;
	}
}

/* `value: 37` or `values: [{from, value}, …]` into *out. */
static int read_values(rd *r, const rb_node *value, const rb_node *values, const char *id,
		       rb_m_value **out, size_t *count)
{
	static const key_spec vkeys[] = {{"from", RB_NODE_SCALAR, 1}, {"value", RB_NODE_SCALAR, 1}};
	if (value) {
		*out = alloc_items(r, 1, sizeof(**out));
		if (!*out)
			return 0;
		(*out)[0].value = text_of(value);
		(*out)[0].pos = value->pos;
		(*out)[0].absent = is_none(value);
		*count = 1;
		return 1;
	}
	if (values->count == 0) {
		fail(r, RULEBOOK_ERR_SCHEMA, values, id, "'%s' has no values", id);
		return 0;
	}
	*out = alloc_items(r, values->count, sizeof(**out));
	if (!*out)
		return 0;
	for (size_t v = 0; v < values->count; v++) {
		const rb_node *vn = values->items[v];
		const rb_node *vf[2];
		if (vn->kind != RB_NODE_MAP) {
			fail(r, RULEBOOK_ERR_SCHEMA, vn, id,
			     "each dated value must be a mapping with 'from' and 'value', not %s",
			     kind_name(vn->kind));
			return 0;
		}
		if (!check_keys(r, vn, vkeys, 2, vf, "dated value") ||
		    !get_date(r, vf[0], "from", &(*out)[v].from))
			return 0;
		(*out)[v].value = text_of(vf[1]);
		(*out)[v].pos = vf[1]->pos;
		(*out)[v].absent = is_none(vf[1]);
		if (v && (*out)[v].from <= (*out)[v - 1].from) {
			fail(r, RULEBOOK_ERR_SCHEMA, vf[0], id,
			     "dated values of '%s' must be in increasing order of 'from' (%s)", id,
			     vf[0]->text);
			return 0;
		}
	}
	*count = values->count;
	return 1;
}

/* tables: each row becomes a parameter "<table>[<key>, …]" appended to the
 * model's parameters. */
static void read_tables(rd *r, const rb_node *seq)
{
	static const key_spec keys[] = {
		{"id", RB_NODE_SCALAR, 1},       {"keys", 0, 1},
		{"unit", RB_NODE_SCALAR, 0},     {"cite", 0, 0},
		{"provenance", RB_NODE_SCALAR, 1}, {"note", RB_NODE_SCALAR, 0},
		{"label", 0, 0},                 {"direction", RB_NODE_SCALAR, 0},
		{"default", RB_NODE_SCALAR, 0},  {"rows", RB_NODE_SEQ, 1}};
	static const key_spec rkeys[] = {
		{"key", 0, 1},                   {"value", RB_NODE_SCALAR, 0},
		{"values", RB_NODE_SEQ, 0},      {"cite", 0, 0},
		{"provenance", RB_NODE_SCALAR, 0}, {"note", RB_NODE_SCALAR, 0},
		{"label", 0, 0}};
	static const char *const prov[] = {"", "cited", "illustrative", NULL};
	static const char *const pdirs[] = {"none", "floor", "ceiling", NULL};
	rb_model *m = r->m;
	size_t nrows = 0;
	for (size_t i = 0; i < seq->count; i++) {
		const rb_node *rows = seq->items[i]->kind == RB_NODE_MAP
					      ? rb_map_get(seq->items[i], "rows") : NULL;
		if (rows && rows->kind == RB_NODE_SEQ)
			nrows += rows->count;
	}
	m->tables = alloc_items(r, seq->count, sizeof(*m->tables));
	rb_m_param *params = alloc_items(r, m->nparams + nrows, sizeof(*params));
	if (!m->tables || !params)
		return;
	if (m->nparams)
		memcpy(params, m->params, m->nparams * sizeof(*params));
	m->params = params;
	for (size_t i = 0; i < seq->count; i++) {
		const rb_node *it = seq->items[i];
		if (it->kind != RB_NODE_MAP) {
			fail(r, RULEBOOK_ERR_SCHEMA, it, NULL, "each table must be %s, not %s",
			     "a mapping", kind_name(it->kind));
			continue;
		}
		const rb_node *f[NKEYS(keys)];
		if (!check_keys(r, it, keys, NKEYS(keys), f, "table"))
			continue;
		rb_m_table *t = &m->tables[m->ntables];
		int pv = 0, pd = 0;
		if (!get_id(r, f[0], "table id", &t->id) || !get_text(r, f[2], "unit", &t->unit) ||
		    !get_enum(r, f[4], "provenance", prov, "cited, illustrative", &pv) ||
		    !get_i18n(r, f[6], "label", &t->label) ||
		    !get_enum(r, f[7], "direction", pdirs, "floor, ceiling", &pd) ||
		    !get_text(r, f[8], "default", &t->dflt))
			continue;
		if (pv == 0) {
			fail(r, RULEBOOK_ERR_SCHEMA, f[4], t->id.s, "provenance must be one of: %s",
			     "cited, illustrative");
			continue;
		}
		const rb_node *kn = f[1];
		size_t nk = kn->kind == RB_NODE_SEQ ? kn->count : 1;
		if (kn->kind == RB_NODE_MAP || nk == 0 || nk > 2) {
			fail(r, RULEBOOK_ERR_SCHEMA, kn, t->id.s,
			     "keys of table '%s' must be one or two input names", t->id.s);
			continue;
		}
		t->keys = alloc_items(r, nk, sizeof(*t->keys));
		if (!t->keys)
			continue;
		int ok = 1;
		for (size_t k = 0; ok && k < nk; k++)
			ok = get_id(r, kn->kind == RB_NODE_SEQ ? kn->items[k] : kn, "table key",
				    &t->keys[k]);
		if (!ok)
			continue;
		t->nkeys = nk;
		const rb_node *rows = f[9];
		t->rows = alloc_items(r, rows->count ? rows->count : 1, sizeof(*t->rows));
		if (!t->rows)
			continue;
		for (size_t k = 0; k < rows->count; k++) {
			const rb_node *rn = rows->items[k];
			const rb_node *rf[NKEYS(rkeys)];
			if (rn->kind != RB_NODE_MAP) {
				fail(r, RULEBOOK_ERR_SCHEMA, rn, t->id.s,
				     "each row of table '%s' must be a mapping, not %s", t->id.s,
				     kind_name(rn->kind));
				ok = 0;
				break;
			}
			if (!check_keys(r, rn, rkeys, NKEYS(rkeys), rf, "table row")) {
				ok = 0;
				break;
			}
			rb_m_row *row = &t->rows[k];
			row->pos = rn->pos;
			const rb_node *key = rf[0];
			size_t nrk = key->kind == RB_NODE_SEQ ? key->count : 1;
			if (key->kind == RB_NODE_MAP || nrk != nk) {
				fail(r, RULEBOOK_ERR_SCHEMA, key, t->id.s,
				     "a row of table '%s' needs %zu key%s, like its 'keys'", t->id.s, nk,
				     nk == 1 ? "" : "s (a list)");
				ok = 0;
				break;
			}
			row->keys = alloc_items(r, nk, sizeof(*row->keys));
			if (!row->keys) {
				ok = 0;
				break;
			}
			/* the parameter id: table[key, key] */
			size_t idlen = t->id.len + 3;
			for (size_t q = 0; ok && q < nk; q++) {
				const rb_node *kq = key->kind == RB_NODE_SEQ ? key->items[q] : key;
				ok = get_text(r, kq, "a row key", &row->keys[q]);
				idlen += kq->len + 2;
			}
			if (!ok)
				break;
			char *id = rb_arena_alloc(&m->arena, idlen);
			if (!id) {
				fail(r, RULEBOOK_ERR_NOMEM, rn, NULL, "out of memory");
				ok = 0;
				break;
			}
			size_t n = 0;
			memcpy(id + n, t->id.s, t->id.len);
			n += t->id.len;
			id[n++] = '[';
			for (size_t q = 0; q < nk; q++) {
				if (q) {
					id[n++] = ',';
					id[n++] = ' ';
				}
				memcpy(id + n, row->keys[q].s, row->keys[q].len);
				n += row->keys[q].len;
			}
			id[n++] = ']';
			id[n] = '\0';
			row->param = (rb_text){.s = id, .len = n, .pos = rn->pos};

			rb_m_param *p = &m->params[m->nparams];
			memset(p, 0, sizeof *p);
			int rpv = pv;
			p->id = row->param;
			p->unit = t->unit;
			p->direction = (rb_param_direction)pd;
			p->note = rf[5] ? rf[5]->text : f[5] ? f[5]->text : NULL;
			if (!get_cite(r, rf[3] ? rf[3] : f[3], &p->cite) ||
			    !get_enum(r, rf[4], "provenance", prov, "cited, illustrative", &rpv) ||
			    !get_i18n(r, rf[6], "label", &p->label)) {
				ok = 0;
				break;
			}
			if (!p->cite.s) {
				fail(r, RULEBOOK_ERR_SCHEMA, rn, t->id.s,
				     "row %s needs a 'cite' (or the table one)", id);
				ok = 0;
				break;
			}
			if (rpv == 0)
				rpv = pv;
			p->provenance = (rb_provenance)rpv;
			if (p->provenance == RB_PROV_ILLUSTRATIVE && !p->note) {
				fail(r, RULEBOOK_ERR_SCHEMA, rn, t->id.s,
				     "illustrative row %s needs a 'note' saying where a real value comes "
				     "from", id);
				ok = 0;
				break;
			}
			if (!!rf[1] == !!rf[2]) {
				fail(r, RULEBOOK_ERR_SCHEMA, rn, t->id.s,
				     "row %s needs exactly one of 'value' or 'values'", id);
				ok = 0;
				break;
			}
			if (!read_values(r, rf[1], rf[2], id, &p->values, &p->nvalues) ||
			    !check_absent_note(r, rn, p->values, p->nvalues, p->note, "row", id)) {
				ok = 0;
				break;
			}
			m->nparams++;
			t->nrows++;
		}
		if (ok)
			m->ntables++;
	}
}

static int override_item(rd *r, const rb_node *it, const rb_node **f, void *out, const char *owner)
{
	static const char *const prov[] = {"", "cited", "illustrative", NULL};
	(void)owner;
	rb_m_override *o = out;
	int pv = 0; /* absent: the parent's provenance */
	o->pos = it->pos;
	bool row = f[0] && f[0]->kind == RB_NODE_SCALAR && memchr(f[0]->text, '[', f[0]->len);
	if (!(row ? get_text(r, f[0], "parameter", &o->parameter)
		  : get_id(r, f[0], "parameter", &o->parameter)) ||
	    !get_cite(r, f[1], &o->cite) ||
	    !get_text(r, f[2], "reason", &o->reason) ||
	    !get_enum(r, f[3], "provenance", prov, "cited, illustrative", &pv))
		return 0;
	o->provenance = (rb_provenance)pv;
	o->note = f[4] ? f[4]->text : NULL;
	if (o->provenance == RB_PROV_ILLUSTRATIVE && !o->note) {
		fail(r, RULEBOOK_ERR_SCHEMA, it, o->parameter.s,
		     "illustrative override of '%s' needs a 'note' saying where a real value comes from",
		     o->parameter.s);
		return 0;
	}
	if (!!f[5] == !!f[6]) {
		fail(r, RULEBOOK_ERR_SCHEMA, it, o->parameter.s,
		     "override of '%s' needs exactly one of 'value' or 'values'", o->parameter.s);
		return 0;
	}
	return read_values(r, f[5], f[6], o->parameter.s, &o->values, &o->nvalues) &&
	       check_absent_note(r, it, o->values, o->nvalues, o->note, "override of",
				 o->parameter.s);
}

static int disable_item(rd *r, const rb_node *it, const rb_node **f, void *out, const char *owner)
{
	(void)it;
	(void)owner;
	rb_m_disable *d = out;
	return get_id(r, f[0], "rule", &d->rule) && get_text(r, f[1], "reason", &d->reason);
}

static void read_indicators(rd *r, const rb_node *seq)
{
	static const key_spec keys[] = {{"id", RB_NODE_SCALAR, 1},   {"expr", RB_NODE_SCALAR, 1},
					{"unit", RB_NODE_SCALAR, 0}, {"label", 0, 0},
					{"note", RB_NODE_SCALAR, 0}};
	rb_model *m = r->m;
	m->indicators = alloc_items(r, seq->count, sizeof(*m->indicators));
	if (!m->indicators)
		return;
	for (size_t i = 0; i < seq->count; i++) {
		const rb_node *it = seq->items[i];
		if (it->kind != RB_NODE_MAP) {
			fail(r, RULEBOOK_ERR_SCHEMA, it, NULL, "each indicator must be %s, not %s",
			     "a mapping", kind_name(it->kind));
			continue;
		}
		const rb_node *f[NKEYS(keys)];
		if (!check_keys(r, it, keys, NKEYS(keys), f, "indicator"))
			continue;
		rb_m_indicator *d = &m->indicators[m->nindicators];
		if (!get_id(r, f[0], "indicator id", &d->id) || !get_text(r, f[1], "expr", &d->expr) ||
		    !get_text(r, f[2], "unit", &d->unit) || !get_i18n(r, f[3], "label", &d->label))
			continue;
		m->nindicators++;
	}
}

static const char *const severity_names[] = {"", "info", "minor", "major", "critical", NULL};

static int read_responsible(rd *r, const rb_node *n, const char *id, const char ***out,
			    size_t *count)
{
	if (!n)
		return 1;
	if (n->kind == RB_NODE_SCALAR) {
		*out = alloc_items(r, 1, sizeof(char *));
		if (!*out)
			return 0;
		(*out)[0] = n->text;
		*count = 1;
		return 1;
	}
	if (n->kind != RB_NODE_SEQ) {
		fail(r, RULEBOOK_ERR_SCHEMA, n, id, "responsible must be a list of units, not %s",
		     kind_name(n->kind));
		return 0;
	}
	*out = alloc_items(r, n->count, sizeof(char *));
	if (!*out)
		return 0;
	for (size_t i = 0; i < n->count; i++) {
		rb_text t = {0};
		if (!get_text(r, n->items[i], "a responsible unit", &t))
			return 0;
		(*out)[i] = t.s;
	}
	*count = n->count;
	return 1;
}

static int read_unless(rd *r, const rb_node *seq, rb_m_rule *rule)
{
	static const key_spec keys[] = {{"id", RB_NODE_SCALAR, 1},   {"when", RB_NODE_SCALAR, 1},
					{"cite", 0, 1}, {"label", 0, 0},
					{"note", RB_NODE_SCALAR, 0}};
	if (!seq)
		return 1;
	rule->unless = alloc_items(r, seq->count, sizeof(*rule->unless));
	if (!rule->unless)
		return 0;
	for (size_t i = 0; i < seq->count; i++) {
		const rb_node *it = seq->items[i];
		if (it->kind != RB_NODE_MAP) {
			fail(r, RULEBOOK_ERR_SCHEMA, it, rule->id.s, "each exception must be %s, not %s",
			     "a mapping", kind_name(it->kind));
			return 0;
		}
		const rb_node *f[NKEYS(keys)];
		rb_m_exception *e = &rule->unless[i];
		if (!check_keys(r, it, keys, NKEYS(keys), f, "exception") ||
		    !get_id(r, f[0], "exception id", &e->id) || !get_text(r, f[1], "when", &e->when) ||
		    !get_cite(r, f[2], &e->cite) || !get_i18n(r, f[3], "label", &e->label))
			return 0;
	}
	rule->nunless = seq->count;
	return 1;
}

static int read_obligations(rd *r, const rb_node *seq, rb_m_rule *rule)
{
	static const key_spec keys[] = {{"id", RB_NODE_SCALAR, 1}, {"value", RB_NODE_SCALAR, 1},
					{"unit", RB_NODE_SCALAR, 0}, {"label", 0, 0}};
	if (!seq)
		return 1;
	rule->obligations = alloc_items(r, seq->count, sizeof(*rule->obligations));
	if (!rule->obligations)
		return 0;
	for (size_t i = 0; i < seq->count; i++) {
		const rb_node *it = seq->items[i];
		if (it->kind != RB_NODE_MAP) {
			fail(r, RULEBOOK_ERR_SCHEMA, it, rule->id.s, "each obligation must be %s, not %s",
			     "a mapping", kind_name(it->kind));
			return 0;
		}
		const rb_node *f[NKEYS(keys)];
		rb_m_obligation *o = &rule->obligations[i];
		if (!check_keys(r, it, keys, NKEYS(keys), f, "obligation") ||
		    !get_id(r, f[0], "obligation id", &o->id) ||
		    !get_text(r, f[1], "value", &o->value) || !get_text(r, f[2], "unit", &o->unit) ||
		    !get_i18n(r, f[3], "label", &o->label))
			return 0;
	}
	rule->nobligations = seq->count;
	return 1;
}

static void read_rules(rd *r, const rb_node *seq)
{
	static const key_spec keys[] = {
		{"id", RB_NODE_SCALAR, 1},       {"title", 0, 0},
		{"cite", 0, 1},     {"severity", RB_NODE_SCALAR, 0},
		{"responsible", 0, 0},           {"when", RB_NODE_SCALAR, 0},
		{"require", RB_NODE_SCALAR, 0},  {"unless", RB_NODE_SEQ, 0},
		{"message", RB_NODE_MAP, 0},     {"obligations", RB_NODE_SEQ, 0},
		{"in_force", RB_NODE_MAP, 0},    {"note", RB_NODE_SCALAR, 0},
		{"all_of", RB_NODE_SEQ, 0},      {"any_of", RB_NODE_SEQ, 0}};
	static const key_spec mkeys[] = {{"zh", RB_NODE_SCALAR, 0}, {"en", RB_NODE_SCALAR, 0},
					 {"pass", RB_NODE_MAP, 0}, {"fail", RB_NODE_MAP, 0}};
	static const key_spec vkeys[] = {{"zh", RB_NODE_SCALAR, 0}, {"en", RB_NODE_SCALAR, 0}};
	rb_model *m = r->m;
	m->rules = alloc_items(r, seq->count, sizeof(*m->rules));
	if (!m->rules)
		return;
	for (size_t i = 0; i < seq->count; i++) {
		const rb_node *it = seq->items[i];
		if (it->kind != RB_NODE_MAP) {
			fail(r, RULEBOOK_ERR_SCHEMA, it, NULL, "each rule must be %s, not %s", "a mapping",
			     kind_name(it->kind));
			continue;
		}
		const rb_node *f[NKEYS(keys)];
		if (!check_keys(r, it, keys, NKEYS(keys), f, "rule"))
			continue;
		rb_m_rule *ru = &m->rules[m->nrules];
		int sev = RB_SEV_MAJOR;
		if (!get_id(r, f[0], "rule id", &ru->id) || !get_i18n(r, f[1], "title", &ru->title) ||
		    !get_cite(r, f[2], &ru->cite) ||
		    !get_enum(r, f[3], "severity", severity_names, "info, minor, major, critical", &sev) ||
		    !read_responsible(r, f[4], ru->id.s, &ru->responsible, &ru->nresponsible) || !get_text(r, f[5], "when", &ru->when) ||
		    !get_text(r, f[6], "require", &ru->require) || !read_unless(r, f[7], ru) ||
		    !read_obligations(r, f[9], ru) ||
		    !in_force(r, f[10], "rule in_force", &ru->from, &ru->until))
			continue;
		if (sev == 0) {
			fail(r, RULEBOOK_ERR_SCHEMA, f[3], ru->id.s, "severity must be one of: %s",
			     "info, minor, major, critical");
			continue;
		}
		ru->severity = (rb_severity)sev;
		if (f[8]) {
			const rb_node *mf[4];
			if (!check_keys(r, f[8], mkeys, 4, mf, "message"))
				continue;
			ru->message_zh = text_of(mf[0]);
			ru->message_en = text_of(mf[1]);
			int ok = 1;
			for (int v = 0; ok && v < 2; v++) {
				const rb_node *vf[2];
				if (!mf[2 + v])
					continue;
				ok = check_keys(r, mf[2 + v], vkeys, 2, vf, v ? "message.fail" : "message.pass");
				if (ok) {
					ru->verdict_msg[v][0] = text_of(vf[0]);
					ru->verdict_msg[v][1] = text_of(vf[1]);
				}
			}
			if (!ok)
				continue;
		}
		int ok = 1;
		for (int k = 0; ok && k < 2; k++) {
			const rb_node *ids = f[12 + k];
			if (!ids)
				continue;
			rb_text **out = k ? &ru->any_of : &ru->all_of;
			size_t *n = k ? &ru->nany_of : &ru->nall_of;
			if (ids->count == 0) {
				fail(r, RULEBOOK_ERR_SCHEMA, ids, ru->id.s, "%s of rule '%s' is empty",
				     k ? "any_of" : "all_of", ru->id.s);
				ok = 0;
				break;
			}
			*out = alloc_items(r, ids->count, sizeof(**out));
			if (!*out) {
				ok = 0;
				break;
			}
			for (size_t q = 0; ok && q < ids->count; q++)
				ok = get_id(r, ids->items[q], k ? "a rule in any_of" : "a rule in all_of",
					    &(*out)[q]);
			*n = ids->count;
		}
		if (!ok)
			continue;
		m->nrules++;
	}
}

static void read_targets(rd *r, const rb_node *seq)
{
	static const key_spec keys[] = {
		{"id", RB_NODE_SCALAR, 1},        {"title", 0, 0},
		{"cite", 0, 1},      {"responsible", 0, 0},
		{"measure", RB_NODE_SCALAR, 1},   {"target", RB_NODE_SCALAR, 1},
		{"base", RB_NODE_SCALAR, 0},      {"unit", RB_NODE_SCALAR, 0},
		{"direction", RB_NODE_SCALAR, 0}, {"kind", RB_NODE_SCALAR, 0},
		{"period", 0, 1},                 {"note", RB_NODE_SCALAR, 0}};
	static const char *const dirs[] = {"", "at_least", "at_most", "above", "below", NULL};
	static const char *const kinds[] = {"", "cumulative", "level", "reduction", "growth", NULL};
	rb_model *m = r->m;
	m->targets = alloc_items(r, seq->count, sizeof(*m->targets));
	if (!m->targets)
		return;
	for (size_t i = 0; i < seq->count; i++) {
		const rb_node *it = seq->items[i];
		if (it->kind != RB_NODE_MAP) {
			fail(r, RULEBOOK_ERR_SCHEMA, it, NULL, "each target must be a mapping, not %s",
			     kind_name(it->kind));
			continue;
		}
		const rb_node *f[NKEYS(keys)];
		if (!check_keys(r, it, keys, NKEYS(keys), f, "target"))
			continue;
		rb_m_target *t = &m->targets[m->ntargets];
		int dir = RB_DIR_AT_LEAST, kind = RB_TK_CUMULATIVE;
		if (!get_id(r, f[0], "target id", &t->id) || !get_i18n(r, f[1], "title", &t->title) ||
		    !get_cite(r, f[2], &t->cite) ||
		    !read_responsible(r, f[3], t->id.s, &t->responsible, &t->nresponsible) ||
		    !get_text(r, f[4], "measure", &t->measure) || !get_text(r, f[5], "target", &t->target) ||
		    !get_text(r, f[6], "base", &t->base) || !get_text(r, f[7], "unit", &t->unit) ||
		    !get_enum(r, f[8], "direction", dirs, "at_least, at_most, above, below", &dir) ||
		    !get_enum(r, f[9], "kind", kinds, "cumulative, level, reduction, growth", &kind))
			continue;
		if (dir == 0 || kind == 0) {
			fail(r, RULEBOOK_ERR_SCHEMA, dir == 0 ? f[8] : f[9], t->id.s,
			     "%s", dir == 0 ? "direction must be one of: at_least, at_most, above, below"
					    : "kind must be one of: cumulative, level, reduction, growth");
			continue;
		}
		t->direction = (rb_direction)dir;
		t->kind = (rb_target_kind)kind;
		if ((kind == RB_TK_REDUCTION || kind == RB_TK_GROWTH) && !f[6]) {
			fail(r, RULEBOOK_ERR_SCHEMA, it, t->id.s,
			     "target '%s' of kind %s needs a 'base'", t->id.s, kinds[kind]);
			continue;
		}
		const rb_node *p = f[10];
		if (p->kind == RB_NODE_SCALAR) {
			if (strcmp(p->text, "yearly") != 0) {
				fail(r, RULEBOOK_ERR_SCHEMA, p, t->id.s,
				     "period must be 'yearly' or a mapping {from, until}, not '%s'", p->text);
				continue;
			}
			t->yearly = 1;
		} else if (p->kind == RB_NODE_MAP) {
			static const key_spec pkeys[] = {{"from", RB_NODE_SCALAR, 1},
							 {"until", RB_NODE_SCALAR, 1}};
			const rb_node *pf[2];
			if (!check_keys(r, p, pkeys, 2, pf, "period") ||
			    !get_date(r, pf[0], "period.from", &t->from) ||
			    !get_date(r, pf[1], "period.until", &t->until))
				continue;
			if (t->until < t->from) {
				fail(r, RULEBOOK_ERR_SCHEMA, pf[1], t->id.s,
				     "period.until %s is before from %s", pf[1]->text, pf[0]->text);
				continue;
			}
		} else {
			fail(r, RULEBOOK_ERR_SCHEMA, p, t->id.s,
			     "period must be 'yearly' or a mapping {from, until}, not %s", kind_name(p->kind));
			continue;
		}
		m->ntargets++;
	}
}

/* Read a list of mappings: for each item, check keys then call fn. */
typedef int (*item_fn)(rd *r, const rb_node *it, const rb_node **f, void *out, const char *owner);

static int read_list(rd *r, const rb_node *seq, const key_spec *keys, size_t nkeys,
		     const char *what, size_t size, void **out, size_t *count, item_fn fn,
		     const char *owner)
{
	if (!seq)
		return 1;
	if (seq->kind != RB_NODE_SEQ) {
		fail(r, RULEBOOK_ERR_SCHEMA, seq, owner, "%s must be a list, not %s", what,
		     kind_name(seq->kind));
		return 0;
	}
	char *items = alloc_items(r, seq->count, size);
	if (!items)
		return 0;
	const rb_node *f[16];
	for (size_t i = 0; i < seq->count; i++) {
		const rb_node *it = seq->items[i];
		if (it->kind != RB_NODE_MAP) {
			fail(r, RULEBOOK_ERR_SCHEMA, it, owner, "each item of %s must be a mapping, not %s",
			     what, kind_name(it->kind));
			return 0;
		}
		if (!check_keys(r, it, keys, nkeys, f, what) || !fn(r, it, f, items + i * size, owner))
			return 0;
	}
	*out = items;
	*count = seq->count;
	return 1;
}

static int component_item(rd *r, const rb_node *it, const rb_node **f, void *out, const char *owner)
{
	static const char *const miss[] = {"unknown", "zero", "average", NULL};
	rb_m_component *c = out;
	int mp = 0;
	if (!get_id(r, f[0], "component id", &c->id) || !get_i18n(r, f[1], "label", &c->label) ||
	    !get_text(r, f[2], "value", &c->value) || !get_text(r, f[3], "benchmark", &c->benchmark) ||
	    !get_text(r, f[5], "weight", &c->weight) || !get_text(r, f[6], "floor", &c->floor) ||
	    !get_text(r, f[7], "cap", &c->cap) ||
	    !get_enum(r, f[8], "missing", miss, "unknown, zero, average", &mp))
		return 0;
	c->missing = (rb_missing_policy)mp;
	if (f[4]) {
		static const key_spec skeys[] = {{"min", RB_NODE_SCALAR, 1}, {"max", RB_NODE_SCALAR, 1}};
		const rb_node *sf[2];
		if (f[4]->kind != RB_NODE_MAP) {
			fail(r, RULEBOOK_ERR_SCHEMA, f[4], owner, "scale must be a mapping {min, max}%s", "");
			return 0;
		}
		if (!check_keys(r, f[4], skeys, 2, sf, "scale"))
			return 0;
		c->scale_min = text_of(sf[0]);
		c->scale_max = text_of(sf[1]);
	}
	if (!!f[3] == !!f[4]) {
		fail(r, RULEBOOK_ERR_SCHEMA, it, owner,
		     "component '%s' needs exactly one of 'benchmark' or 'scale'", c->id.s);
		return 0;
	}
	return 1;
}

static int veto_item(rd *r, const rb_node *it, const rb_node **f, void *out, const char *owner)
{
	(void)it;
	(void)owner;
	rb_m_veto *v = out;
	return get_id(r, f[0], "veto id", &v->id) && get_text(r, f[1], "when", &v->when) &&
	       get_cite(r, f[2], &v->cite) && get_text(r, f[3], "class", &v->cls) &&
	       get_i18n(r, f[4], "label", &v->label);
}

static int class_item(rd *r, const rb_node *it, const rb_node **f, void *out, const char *owner)
{
	(void)it;
	(void)owner;
	rb_m_class *c = out;
	if (!get_id(r, f[0], "class id", &c->id) || !get_text(r, f[1], "min", &c->min) ||
	    !get_i18n(r, f[2], "label", &c->label) || !get_text(r, f[3], "share", &c->share))
		return 0;
	if (f[1] && f[3]) {
		fail(r, RULEBOOK_ERR_SCHEMA, f[3], c->id.s,
		     "class '%s' has both 'min' (a score cut-off) and 'share' (a rank share)", c->id.s);
		return 0;
	}
	return 1;
}

static int consequence_item(rd *r, const rb_node *it, const rb_node **f, void *out,
			    const char *owner)
{
	(void)it;
	(void)owner;
	rb_m_consequence *c = out;
	return get_id(r, f[0], "consequence id", &c->id) && get_text(r, f[1], "class", &c->cls) &&
	       get_text(r, f[2], "when", &c->when) && get_text(r, f[3], "value", &c->value) &&
	       get_text(r, f[4], "unit", &c->unit) && get_cite(r, f[5], &c->cite) &&
	       get_i18n(r, f[6], "label", &c->label);
}

static int scorecard_item(rd *r, const rb_node *it, const rb_node **f, void *out, const char *owner)
{
	static const key_spec ckeys[] = {
		{"id", RB_NODE_SCALAR, 1},        {"label", 0, 0},
		{"value", RB_NODE_SCALAR, 1},     {"benchmark", RB_NODE_SCALAR, 0},
		{"scale", 0, 0},                  {"weight", RB_NODE_SCALAR, 1},
		{"floor", RB_NODE_SCALAR, 0},     {"cap", RB_NODE_SCALAR, 0},
		{"missing", RB_NODE_SCALAR, 0}};
	static const key_spec vkeys[] = {{"id", RB_NODE_SCALAR, 1},   {"when", RB_NODE_SCALAR, 1},
					 {"cite", 0, 1}, {"class", RB_NODE_SCALAR, 1},
					 {"label", 0, 0}};
	static const key_spec klkeys[] = {{"id", RB_NODE_SCALAR, 1}, {"min", RB_NODE_SCALAR, 0},
					  {"label", 0, 0}, {"share", RB_NODE_SCALAR, 0}};
	static const key_spec qkeys[] = {{"id", RB_NODE_SCALAR, 1},   {"class", RB_NODE_SCALAR, 1},
					 {"when", RB_NODE_SCALAR, 0}, {"value", RB_NODE_SCALAR, 1},
					 {"unit", RB_NODE_SCALAR, 0}, {"cite", 0, 1},
					 {"label", 0, 0}};
	(void)it;
	(void)owner;
	rb_m_scorecard *sc = out;
	if (!get_id(r, f[0], "scorecard id", &sc->id) || !get_i18n(r, f[1], "title", &sc->title) ||
	    !get_cite(r, f[2], &sc->cite) || !get_text(r, f[3], "scope", &sc->scope))
		return 0;
	const char *id = sc->id.s;
	return read_list(r, f[4], ckeys, NKEYS(ckeys), "components", sizeof(rb_m_component),
			 (void **)&sc->components, &sc->ncomponents, component_item, id) &&
	       read_list(r, f[5], vkeys, NKEYS(vkeys), "vetoes", sizeof(rb_m_veto),
			 (void **)&sc->vetoes, &sc->nvetoes, veto_item, id) &&
	       read_list(r, f[6], klkeys, NKEYS(klkeys), "classes", sizeof(rb_m_class),
			 (void **)&sc->classes, &sc->nclasses, class_item, id) &&
	       read_list(r, f[7], qkeys, NKEYS(qkeys), "consequences", sizeof(rb_m_consequence),
			 (void **)&sc->consequences, &sc->nconsequences, consequence_item, id);
}

static void read_scorecards(rd *r, const rb_node *seq)
{
	static const key_spec keys[] = {
		{"id", RB_NODE_SCALAR, 1},  {"title", 0, 0},           {"cite", 0, 1},
		{"scope", RB_NODE_SCALAR, 0}, {"components", RB_NODE_SEQ, 1}, {"vetoes", RB_NODE_SEQ, 0},
		{"classes", RB_NODE_SEQ, 1}, {"consequences", RB_NODE_SEQ, 0},
		{"note", RB_NODE_SCALAR, 0}};
	read_list(r, seq, keys, NKEYS(keys), "scorecards", sizeof(rb_m_scorecard),
		  (void **)&r->m->scorecards, &r->m->nscorecards, scorecard_item, NULL);
}

static int aggregate_item(rd *r, const rb_node *it, const rb_node **f, void *out, const char *owner)
{
	static const char *const measures[] = {"", "sum", "count", "avg", "min", "max", "share", NULL};
	(void)owner;
	rb_m_aggregate *a = out;
	int ms = 0;
	if (!get_id(r, f[0], "aggregate id", &a->id) || !get_i18n(r, f[1], "title", &a->title) ||
	    !get_cite(r, f[2], &a->cite) ||
	    !read_responsible(r, f[3], a->id.s, &a->responsible, &a->nresponsible) ||
	    !get_enum(r, f[4], "measure", measures, "sum, count, avg, min, max, share", &ms) ||
	    !get_text(r, f[5], "filter", &a->filter) || !get_text(r, f[6], "value", &a->value) ||
	    !get_text(r, f[7], "where", &a->where) || !get_text(r, f[8], "unit", &a->unit) ||
	    !get_text(r, f[9], "require", &a->require))
		return 0;
	if (ms == 0) {
		fail(r, RULEBOOK_ERR_SCHEMA, f[4], a->id.s, "measure must be one of: %s",
		     "sum, count, avg, min, max, share");
		return 0;
	}
	a->measure = (rb_agg_measure)ms;
	a->measure_pos = f[4]->pos;
	bool needs_value = ms != RB_AGG_COUNT && ms != RB_AGG_SHARE;
	if (needs_value && !f[6]) {
		fail(r, RULEBOOK_ERR_SCHEMA, it, a->id.s, "aggregate '%s' (%s) needs a 'value'", a->id.s,
		     measures[ms]);
		return 0;
	}
	if (ms == RB_AGG_COUNT && f[6]) {
		fail(r, RULEBOOK_ERR_SCHEMA, f[6], a->id.s, "aggregate '%s' counts records and takes no 'value'",
		     a->id.s);
		return 0;
	}
	if ((ms == RB_AGG_SHARE) != (f[7] != NULL)) {
		fail(r, RULEBOOK_ERR_SCHEMA, f[7] ? f[7] : it, a->id.s, "%s",
		     ms == RB_AGG_SHARE ? "a share needs 'where': the condition of its numerator"
					: "'where' belongs to a share; use 'filter' to choose records");
		return 0;
	}
	return 1;
}

static void read_aggregates(rd *r, const rb_node *seq)
{
	static const key_spec keys[] = {
		{"id", RB_NODE_SCALAR, 1},      {"title", 0, 0},
		{"cite", 0, 1},    {"responsible", 0, 0},
		{"measure", RB_NODE_SCALAR, 1}, {"filter", RB_NODE_SCALAR, 0},
		{"value", RB_NODE_SCALAR, 0},   {"where", RB_NODE_SCALAR, 0},
		{"unit", RB_NODE_SCALAR, 0},    {"require", RB_NODE_SCALAR, 0},
		{"note", RB_NODE_SCALAR, 0}};
	read_list(r, seq, keys, NKEYS(keys), "aggregates", sizeof(rb_m_aggregate),
		  (void **)&r->m->aggregates, &r->m->naggregates, aggregate_item, NULL);
}

static int read_facts(rd *r, const rb_node *facts, const rb_m_test *t, rb_m_fact **out, size_t *count)
{
	if (facts->kind != RB_NODE_MAP) {
		fail(r, RULEBOOK_ERR_SCHEMA, facts, t->name.s, "facts must be a mapping, not %s",
		     kind_name(facts->kind));
		return 0;
	}
	*out = alloc_items(r, facts->count, sizeof(**out));
	if (!*out)
		return 0;
	for (size_t k = 0; k < facts->count; k++) {
		const rb_node *v = facts->pairs[k].value;
		if (v->kind == RB_NODE_MAP) { /* a sequence is a list input's value */
			fail(r, RULEBOOK_ERR_SCHEMA, v, t->name.s,
			     "fact '%s' must be a scalar or a list, not %s",
			     facts->pairs[k].key->text, kind_name(v->kind));
			return 0;
		}
		(*out)[k].name = text_of(facts->pairs[k].key);
		(*out)[k].value = v;
	}
	*count = facts->count;
	return 1;
}

static int read_expect_map(rd *r, const rb_node *n, const char *what, bool numbers,
			   rb_m_expect **out, size_t *count)
{
	if (!n)
		return 1;
	*out = alloc_items(r, n->count, sizeof(**out));
	if (!*out)
		return 0;
	for (size_t i = 0; i < n->count; i++) {
		rb_m_expect *e = &(*out)[i];
		const rb_node *v = n->pairs[i].value;
		e->name = text_of(n->pairs[i].key);
		e->places = -1;
		if (numbers && v->kind == RB_NODE_MAP) {
			/* {value: 0.9333, places: 4}: the value rounded half up to 4 places */
			static const key_spec pkeys[] = {{"value", RB_NODE_SCALAR, 1},
							 {"places", RB_NODE_SCALAR, 1}};
			const rb_node *pf[2];
			if (!check_keys(r, v, pkeys, 2, pf, what))
				return 0;
			const char *p = pf[1]->text;
			int places = 0;
			bool ok = pf[1]->len > 0 && pf[1]->len <= 2;
			for (size_t k = 0; ok && k < pf[1]->len; k++) {
				ok = p[k] >= '0' && p[k] <= '9';
				places = places * 10 + (p[k] - '0');
			}
			if (!ok || places > 18)
				return fail(r, RULEBOOK_ERR_SCHEMA, pf[1], NULL,
					    "places must be a whole number from 0 to 18, not '%s'", p), 0;
			if (!get_text(r, pf[0], what, &e->value))
				return 0;
			/* the expected value may not be more precise than its places */
			const char *dot = memchr(e->value.s, '.', e->value.len);
			size_t decimals = 0;
			for (const char *q = dot ? dot + 1 : NULL; q && q < e->value.s + e->value.len &&
								   *q >= '0' && *q <= '9'; q++)
				decimals++;
			if (decimals > (size_t)places)
				return fail(r, RULEBOOK_ERR_SCHEMA, pf[0], NULL,
					    "expected value %s has %zu decimal places, more than places: %d",
					    e->value.s, decimals, places), 0;
			e->places = places;
			continue;
		}
		if (!get_text(r, v, what, &e->value))
			return 0;
	}
	*count = n->count;
	return 1;
}

static void read_tests(rd *r, const rb_node *seq)
{
	static const key_spec keys[] = {{"name", RB_NODE_SCALAR, 1},  {"as_of", RB_NODE_SCALAR, 1},
					{"facts", RB_NODE_MAP, 0},    {"expect", RB_NODE_MAP, 1},
					{"note", RB_NODE_SCALAR, 0},  {"records", RB_NODE_SEQ, 0}};
	static const key_spec ekeys[] = {{"verdicts", RB_NODE_MAP, 0},
					 {"values", RB_NODE_MAP, 0},
					 {"obligations", RB_NODE_MAP, 0},
					 {"targets", RB_NODE_MAP, 0},
					 {"classes", RB_NODE_MAP, 0},
					 {"scores", RB_NODE_MAP, 0},
					 {"aggregates", RB_NODE_MAP, 0},
					 {"aggregate_values", RB_NODE_MAP, 0}};
	rb_model *m = r->m;
	m->tests = alloc_items(r, seq->count, sizeof(*m->tests));
	if (!m->tests)
		return;
	for (size_t i = 0; i < seq->count; i++) {
		const rb_node *it = seq->items[i];
		if (it->kind != RB_NODE_MAP) {
			fail(r, RULEBOOK_ERR_SCHEMA, it, NULL, "each test must be %s, not %s", "a mapping",
			     kind_name(it->kind));
			continue;
		}
		const rb_node *f[NKEYS(keys)];
		if (!check_keys(r, it, keys, NKEYS(keys), f, "test"))
			continue;
		rb_m_test *t = &m->tests[m->ntests];
		if (!get_text(r, f[0], "test name", &t->name) || !get_date(r, f[1], "as_of", &t->as_of))
			continue;
		if (!!f[2] == !!f[5]) {
			fail(r, RULEBOOK_ERR_SCHEMA, it, t->name.s,
			     "test '%s' needs exactly one of 'facts' (one record) or 'records' (a population)",
			     t->name.s);
			continue;
		}
		if (f[2] && !read_facts(r, f[2], t, &t->facts, &t->nfacts))
			continue;
		if (f[5]) {
			const rb_node *recs = f[5];
			t->records = alloc_items(r, recs->count, sizeof(*t->records));
			t->nrecord_facts = alloc_items(r, recs->count, sizeof(size_t));
			if (!t->records || !t->nrecord_facts)
				continue;
			int ok = 1;
			for (size_t k = 0; ok && k < recs->count; k++)
				ok = read_facts(r, recs->items[k], t, &t->records[k], &t->nrecord_facts[k]);
			if (!ok)
				continue;
			t->nrecords = recs->count;
		}
		const rb_node *ef[NKEYS(ekeys)];
		if (!check_keys(r, f[3], ekeys, NKEYS(ekeys), ef, "expect") ||
		    !read_expect_map(r, ef[0], "an expected verdict", false, &t->verdicts, &t->nverdicts) ||
		    !read_expect_map(r, ef[1], "an expected value", true, &t->values, &t->nvalues) ||
		    !read_expect_map(r, ef[2], "an expected obligation", true, &t->obligations,
				     &t->nobligations) ||
		    !read_expect_map(r, ef[3], "an expected target status", false, &t->targets, &t->ntargets) ||
		    !read_expect_map(r, ef[4], "an expected class", false, &t->classes, &t->nclasses) ||
		    !read_expect_map(r, ef[5], "an expected score", true, &t->scores, &t->nscores) ||
		    !read_expect_map(r, ef[6], "an expected aggregate verdict", false, &t->aggregates,
				     &t->naggregates) ||
		    !read_expect_map(r, ef[7], "an expected aggregate value", true, &t->aggregate_values,
				     &t->naggregate_values))
			continue;
		if (t->nverdicts + t->nvalues + t->nobligations + t->ntargets + t->nclasses +
			    t->nscores + t->naggregates + t->naggregate_values == 0) {
			fail(r, RULEBOOK_ERR_SCHEMA, f[3], t->name.s,
			     "test '%s' expects nothing: give verdicts, values or obligations",
			     t->name.s);
			continue;
		}
		m->ntests++;
	}
}

static rb_m_source *add_source(rd *r, const char *id, rb_pos pos)
{
	rb_model *m = r->m;
	rb_m_source *a = alloc_items(r, m->nsources + 1, sizeof(*a));
	if (!a)
		return NULL;
	if (m->nsources)
		memcpy(a, m->sources, m->nsources * sizeof(*a));
	m->sources = a;
	rb_m_source *src = &a[m->nsources++];
	src->id = id;
	src->file = m->file;
	src->pos = pos;
	return src;
}

/* sources: the documents the rulebook cites, each with an id. */
static void read_sources(rd *r, const rb_node *seq)
{
	static const key_spec keys[] = {
		{"id", RB_NODE_SCALAR, 1},     {"issuer", RB_NODE_SCALAR, 1},
		{"title", RB_NODE_SCALAR, 1},  {"number", RB_NODE_SCALAR, 0},
		{"issued", RB_NODE_SCALAR, 0}, {"in_force", RB_NODE_MAP, 0},
		{"url", RB_NODE_SCALAR, 0},    {"note", RB_NODE_SCALAR, 0}};
	for (size_t i = 0; i < seq->count; i++) {
		const rb_node *it = seq->items[i];
		const rb_node *f[NKEYS(keys)];
		rb_text id;
		if (it->kind != RB_NODE_MAP) {
			fail(r, RULEBOOK_ERR_SCHEMA, it, NULL, "each source must be %s, not %s",
			     "a mapping", kind_name(it->kind));
			continue;
		}
		if (!check_keys(r, it, keys, NKEYS(keys), f, "source") ||
		    !get_id(r, f[0], "source id", &id))
			continue;
		bool dup = false;
		for (size_t k = 0; k < r->m->nsources; k++)
			dup = dup || strcmp(r->m->sources[k].id, id.s) == 0;
		if (dup) {
			fail(r, RULEBOOK_ERR_NAME, f[0], id.s, "source '%s' is listed twice", id.s);
			continue;
		}
		rb_m_source *src = add_source(r, id.s, it->pos);
		if (!src)
			return;
		src->issuer = f[1]->text;
		src->title = f[2]->text;
		src->number = f[3] ? f[3]->text : NULL;
		src->url = f[6] ? f[6]->text : NULL;
		if (!get_date(r, f[4], "source issued", &src->issued) ||
		    !in_force(r, f[5], "source in_force", &src->from, &src->until))
			continue;
	}
}

static void read_source(rd *r, const rb_node *n)
{
	static const key_spec keys[] = {
		{"issuer", RB_NODE_SCALAR, 1}, {"document", RB_NODE_SCALAR, 1},
		{"number", RB_NODE_SCALAR, 0}, {"issued", RB_NODE_SCALAR, 1},
		{"url", RB_NODE_SCALAR, 0},    {"file", RB_NODE_SCALAR, 0}};
	const rb_node *f[NKEYS(keys)];
	if (!check_keys(r, n, keys, NKEYS(keys), f, "source"))
		return;
	rb_model *m = r->m;
	m->source.issuer = f[0]->text;
	m->source.document = f[1]->text;
	m->source.number = f[2] ? f[2]->text : NULL;
	get_date(r, f[3], "source.issued", &m->source.issued);
	m->source.url = f[4] ? f[4]->text : NULL;
	m->source.file = f[5] ? f[5]->text : NULL;
	rb_m_source *src = add_source(r, "", n->pos);
	if (src) {
		src->issuer = m->source.issuer;
		src->title = m->source.document;
		src->number = m->source.number;
		src->url = m->source.url;
		src->issued = m->source.issued;
	}
}

rulebook_status rb_model_read(rb_doc *doc, rb_model **out, rulebook_error *err)
{
	static const key_spec keys[] = {
		{"rulebook", RB_NODE_SCALAR, 1}, {"id", RB_NODE_SCALAR, 1},
		{"title", 0, 1},                 {"subject", RB_NODE_SCALAR, 1},
		{"source", RB_NODE_MAP, 0},      {"in_force", RB_NODE_MAP, 0},
		{"jurisdiction", RB_NODE_SCALAR, 0}, {"description", RB_NODE_SCALAR, 0},
		{"units", RB_NODE_SEQ, 0},       {"inputs", RB_NODE_SEQ, 0},
		{"parameters", RB_NODE_SEQ, 0},  {"indicators", RB_NODE_SEQ, 0},
		{"rules", RB_NODE_SEQ, 0},       {"targets", RB_NODE_SEQ, 0},
		{"scorecards", RB_NODE_SEQ, 0},  {"aggregates", RB_NODE_SEQ, 0},
		{"tests", RB_NODE_SEQ, 0},       {"extends", RB_NODE_SCALAR, 0},
		{"overrides", RB_NODE_SEQ, 0},   {"disable", RB_NODE_SEQ, 0},
		{"tables", RB_NODE_SEQ, 0},      {"id_column", 0, 0},
		{"sources", RB_NODE_SEQ, 0}};
	static const key_spec okeys[] = {
		{"parameter", RB_NODE_SCALAR, 1}, {"cite", 0, 1},
		{"reason", RB_NODE_SCALAR, 1},    {"provenance", RB_NODE_SCALAR, 0},
		{"note", RB_NODE_SCALAR, 0},      {"value", RB_NODE_SCALAR, 0},
		{"values", RB_NODE_SEQ, 0}};
	static const key_spec dkeys[] = {{"rule", RB_NODE_SCALAR, 1}, {"reason", RB_NODE_SCALAR, 1}};
	*out = NULL;
	rb_model *m = rb_calloc(1, sizeof(*m));
	if (!m) {
		rb_doc_free(doc);
		return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	}
	rb_arena_init(&m->arena);
	m->doc = doc;
	m->file = doc->name;
	rd r = {m, err, RULEBOOK_OK};
	const rb_node *root = doc->root;
	if (root->kind != RB_NODE_MAP) {
		fail(&r, RULEBOOK_ERR_SCHEMA, root, NULL, "a rulebook must be a mapping, not %s",
		     kind_name(root->kind));
		rb_model_free(m);
		return r.status;
	}
	const rb_node *f[NKEYS(keys)];
	check_keys(&r, root, keys, NKEYS(keys), f, "the rulebook");
	if (f[0] && strcmp(f[0]->text, "1") != 0)
		fail(&r, RULEBOOK_ERR_SCHEMA, f[0], NULL,
		     "unsupported rulebook format version '%s' (this library reads version %s)",
		     f[0]->text, "1");
	get_id(&r, f[1], "rulebook id", &m->id);
	get_i18n(&r, f[2], "title", &m->title);
	get_id(&r, f[3], "subject", &m->subject);
	if (f[4])
		read_source(&r, f[4]);
	if (f[22])
		read_sources(&r, f[22]);
	if (!f[4] && !f[22])
		fail(&r, RULEBOOK_ERR_SCHEMA, root, NULL,
		     "missing required key 'source' in the rulebook: give 'source' (its document) or "
		     "'sources' (the documents it cites)");
	in_force(&r, f[5], "in_force", &m->from, &m->until);
	m->jurisdiction = f[6] ? f[6]->text : NULL;
	m->description = f[7] ? f[7]->text : NULL;
	if (f[8])
		read_units(&r, f[8]);
	if (f[9])
		read_inputs(&r, f[9]);
	if (f[10])
		read_params(&r, f[10]);
	if (f[20])
		read_tables(&r, f[20]);
	get_names(&r, f[21], "id_column", &m->id_columns, &m->nid_columns);
	if (f[11])
		read_indicators(&r, f[11]);
	if (f[12])
		read_rules(&r, f[12]);
	if (f[13])
		read_targets(&r, f[13]);
	if (f[14])
		read_scorecards(&r, f[14]);
	if (f[15])
		read_aggregates(&r, f[15]);
	if (f[16])
		read_tests(&r, f[16]);
	get_text(&r, f[17], "extends", &m->extends);
	read_list(&r, f[18], okeys, NKEYS(okeys), "overrides", sizeof(rb_m_override),
		  (void **)&m->overrides, &m->noverrides, override_item, NULL);
	read_list(&r, f[19], dkeys, NKEYS(dkeys), "disable", sizeof(rb_m_disable),
		  (void **)&m->disables, &m->ndisables, disable_item, NULL);
	if ((f[18] || f[19]) && !f[17])
		fail(&r, RULEBOOK_ERR_SCHEMA, f[18] ? f[18] : f[19], NULL,
		     "'%s' needs 'extends': there is no parent rulebook to change",
		     f[18] ? "overrides" : "disable");
	if (r.status != RULEBOOK_OK) {
		rb_model_free(m);
		return r.status;
	}
	*out = m;
	return RULEBOOK_OK;
}

void rb_model_free(rb_model *m)
{
	if (!m)
		return;
	rb_model_free(m->parent);
	rb_arena_release(&m->arena);
	rb_doc_free(m->doc);
	rb_free(m);
}

rb_pos rb_text_pos_at(const rb_model *m, const rb_text *t, size_t off)
{
	rb_pos p = t->pos;
	const rb_node *n = t->node;
	if (!n)
		return p;
	if (off > t->len)
		off = t->len;
	switch (n->style) {
	case RB_SCALAR_PLAIN:
	case RB_SCALAR_SINGLE:
	case RB_SCALAR_DOUBLE:
		/* Exact when the scalar sits on one line; escapes in quoted
		 * scalars are rare in expressions. */
		if (memchr(t->s, '\n', off))
			return p;
		p.col += (uint32_t)off + (n->style == RB_SCALAR_PLAIN ? 0 : 1);
		return p;
	case RB_SCALAR_LITERAL: {
		/* Content starts on the line after the '|' indicator, indented
		 * by the indent of its first line in the source (found when
		 * the tree was read: a parent's source is gone by now). */
		uint32_t indent = n->indent;
		uint32_t line = p.line + 1;
		uint32_t col = 0;
		for (size_t k = 0; k < off; k++) {
			if (t->s[k] == '\n') {
				line++;
				col = 0;
			} else {
				col++;
			}
		}
		p.line = line;
		p.col = indent + col + 1;
		return p;
	}
	case RB_SCALAR_FOLDED:
		return p;
	}
	return p;
}
