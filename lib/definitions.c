/* What each rule, target, scorecard, aggregate and indicator is made of,
 * for tools that compare two versions of a rulebook: the names it uses,
 * where it is defined, and its definition as canonical text (one
 * "path: value" line per scalar, keys sorted, items of a list keyed by
 * their id), so that layout and comments do not count as changes. */
#include "compiled.h"
#include "alloc.h"
#include "buf.h"
#include "node.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An item's mapping in a document, keyed by the position of its id. */
typedef struct located {
	const char *file;
	uint32_t line, col;
	const rb_node *map;
} located;

static int cmp_located(const void *pa, const void *pb)
{
	const located *a = pa, *b = pb;
	if (a->file != b->file)
		return (uintptr_t)a->file < (uintptr_t)b->file ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->col < b->col ? -1 : a->col > b->col;
}

/* Every item of section in the documents of m and its parents, sorted by
 * the position of its id; NULL with *n 0 when there is none. */
static located *locate(const rb_model *m, const char *section, size_t *n, bool *nomem)
{
	size_t cap = 0;
	*n = 0;
	for (const rb_model *d = m; d; d = d->parent) {
		const rb_node *root = d->doc ? d->doc->root : NULL;
		for (size_t i = 0; root && root->kind == RB_NODE_MAP && i < root->count; i++)
			if (strcmp(root->pairs[i].key->text, section) == 0 &&
			    root->pairs[i].value->kind == RB_NODE_SEQ)
				cap += root->pairs[i].value->count;
	}
	if (!cap)
		return NULL;
	located *out = rb_malloc(cap * sizeof(*out));
	if (!out) {
		*nomem = true;
		return NULL;
	}
	for (const rb_model *d = m; d; d = d->parent) {
		const rb_node *root = d->doc ? d->doc->root : NULL;
		for (size_t i = 0; root && root->kind == RB_NODE_MAP && i < root->count; i++) {
			const rb_pair *p = &root->pairs[i];
			if (strcmp(p->key->text, section) != 0 || p->value->kind != RB_NODE_SEQ)
				continue;
			for (size_t k = 0; k < p->value->count; k++) {
				const rb_node *item = p->value->items[k];
				for (size_t q = 0; item->kind == RB_NODE_MAP && q < item->count; q++)
					if (strcmp(item->pairs[q].key->text, "id") == 0) {
						const rb_pos *ps = &item->pairs[q].value->pos;
						out[(*n)++] = (located){ps->file, ps->line, ps->col, item};
						break;
					}
			}
		}
	}
	qsort(out, *n, sizeof(*out), cmp_located);
	return out;
}

static const rb_node *find_item(const located *all, size_t n, const rb_pos *pos)
{
	located key = {pos->file, pos->line, pos->col, NULL};
	const located *hit = n ? bsearch(&key, all, n, sizeof(*all), cmp_located) : NULL;
	return hit ? hit->map : NULL;
}

static void put_scalar(rb_buf *b, const rb_node *n)
{
	for (size_t i = 0; i < n->len; i++) {
		char ch = n->text[i];
		if (ch == '\n')
			rb_buf_puts(b, "\\n");
		else if (ch == '\\')
			rb_buf_puts(b, "\\\\");
		else
			rb_buf_putc(b, ch);
	}
}

static const char *item_id(const rb_node *n)
{
	if (n->kind != RB_NODE_MAP)
		return NULL;
	for (size_t i = 0; i < n->count; i++)
		if (strcmp(n->pairs[i].key->text, "id") == 0 && n->pairs[i].value->kind == RB_NODE_SCALAR)
			return n->pairs[i].value->text;
	return NULL;
}

static void walk(rb_buf *b, const rb_node *n, char *path, size_t len, size_t cap, int depth)
{
	if (depth > 64 || b->failed)
		return;
	if (n->kind == RB_NODE_SCALAR) {
		rb_buf_append(b, path, len);
		rb_buf_puts(b, ": ");
		put_scalar(b, n);
		rb_buf_putc(b, '\n');
		return;
	}
	if (n->kind == RB_NODE_SEQ) {
		for (size_t i = 0; i < n->count; i++) {
			const char *id = item_id(n->items[i]);
			int w = id ? snprintf(path + len, cap - len, "[%s]", id)
				   : snprintf(path + len, cap - len, "[%zu]", i);
			if (w > 0 && (size_t)w < cap - len)
				walk(b, n->items[i], path, len + (size_t)w, cap, depth + 1);
		}
		return;
	}
	/* keys in byte order, so their order in the file does not matter */
	size_t done = 0;
	const char *last = NULL;
	while (done < n->count) {
		const rb_pair *next = NULL;
		for (size_t i = 0; i < n->count; i++) {
			const char *k = n->pairs[i].key->text;
			if ((!last || strcmp(k, last) > 0) && (!next || strcmp(k, next->key->text) < 0))
				next = &n->pairs[i];
		}
		if (!next)
			break;
		last = next->key->text;
		done++;
		int w = snprintf(path + len, cap - len, "%s%s", len ? "." : "", last);
		if (w > 0 && (size_t)w < cap - len)
			walk(b, next->value, path, len + (size_t)w, cap, depth + 1);
	}
}

static const char *definition_text(rulebook *rb, const rb_node *n)
{
	if (!n)
		return "";
	rb_buf b;
	rb_buf_init(&b);
	char path[1024];
	path[0] = '\0';
	walk(&b, n, path, 0, sizeof path, 0);
	const char *s = b.failed ? NULL : rb_arena_strndup(&rb->arena, rb_buf_cstr(&b), b.len);
	rb_buf_release(&b);
	return s;
}

static const rb_pos *item_pos(const rulebook *rb, rulebook_item_kind kind, size_t i);

bool rb_definitions_build(rulebook *rb)
{
	const rb_model *m = rb->model;
	if (!m)
		return true;
	static const char *const sections[RB_NITEM_KINDS] = {"rules", "targets", "scorecards",
							     "aggregates", "indicators"};
	for (int k = 0; k < RB_NITEM_KINDS; k++) {
		size_t n = rb_item_count(rb, k), nall;
		bool nomem = false;
		located *all = locate(m, sections[k], &nall, &nomem);
		rb->definitions[k] = rb_arena_calloc(&rb->arena, n ? n : 1, sizeof(char *));
		if (nomem || !rb->definitions[k]) {
			rb_free(all);
			return false;
		}
		for (size_t i = 0; i < n; i++) {
			const char *t = definition_text(rb, find_item(all, nall,
								       item_pos(rb, (rulebook_item_kind)k, i)));
			if (!t) {
				rb_free(all);
				return false;
			}
			rb->definitions[k][i] = t;
		}
		rb_free(all);
	}
	return true;
}

size_t rb_item_count(const rulebook *rb, int kind)
{
	switch (kind) {
	case RULEBOOK_ITEM_RULE:
		return rb->nrules;
	case RULEBOOK_ITEM_TARGET:
		return rb->ntargets;
	case RULEBOOK_ITEM_SCORECARD:
		return rb->nscorecards;
	case RULEBOOK_ITEM_AGGREGATE:
		return rb->naggregates;
	case RULEBOOK_ITEM_INDICATOR:
		return rb->nindicators;
	}
	return 0;
}

static bool item_ok(const rulebook *rb, rulebook_item_kind kind, size_t i)
{
	return rb && (int)kind >= 0 && (int)kind < RB_NITEM_KINDS && i < rb_item_count(rb, kind);
}

RULEBOOK_API size_t rulebook_item_count(const rulebook *rb, rulebook_item_kind kind)
{
	return rb && (int)kind >= 0 && (int)kind < RB_NITEM_KINDS ? rb_item_count(rb, kind) : 0;
}

RULEBOOK_API const char *rulebook_item_id(const rulebook *rb, rulebook_item_kind kind, size_t i)
{
	if (!item_ok(rb, kind, i))
		return NULL;
	switch (kind) {
	case RULEBOOK_ITEM_RULE:
		return rb->rules[i].id;
	case RULEBOOK_ITEM_TARGET:
		return rb->targets[i].id;
	case RULEBOOK_ITEM_SCORECARD:
		return rb->scorecards[i].id;
	case RULEBOOK_ITEM_AGGREGATE:
		return rb->aggregates[i].id;
	case RULEBOOK_ITEM_INDICATOR:
		return rb->indicators[i]->name;
	}
	return NULL;
}

static const rb_sym *const *item_deps(const rulebook *rb, rulebook_item_kind kind, size_t i,
				      uint32_t *n)
{
	*n = 0;
	if (!item_ok(rb, kind, i))
		return NULL;
	switch (kind) {
	case RULEBOOK_ITEM_RULE:
		*n = rb->rules[i].ndeps;
		return rb->rules[i].deps;
	case RULEBOOK_ITEM_TARGET:
		*n = rb->targets[i].ndeps;
		return rb->targets[i].deps;
	case RULEBOOK_ITEM_SCORECARD:
		*n = rb->scorecards[i].ndeps;
		return rb->scorecards[i].deps;
	case RULEBOOK_ITEM_AGGREGATE:
		*n = rb->aggregates[i].ndeps;
		return rb->aggregates[i].deps;
	case RULEBOOK_ITEM_INDICATOR:
		break;
	}
	return NULL;
}

/* The uses a caller sees: inputs, parameters and indicators. A table
 * lookup or a fold over a list is a dependency of its own for evaluation,
 * named by its text; the names inside it are dependencies beside it. */
static bool named_use(const rb_sym *s)
{
	return s->kind == RB_SYM_INPUT || s->kind == RB_SYM_PARAM || s->kind == RB_SYM_INDICATOR;
}

RULEBOOK_API size_t rulebook_item_uses_count(const rulebook *rb, rulebook_item_kind kind, size_t i)
{
	uint32_t n;
	const rb_sym *const *d = item_deps(rb, kind, i, &n);
	size_t k = 0;
	for (uint32_t j = 0; d && j < n; j++)
		k += named_use(d[j]);
	return k;
}

RULEBOOK_API const char *rulebook_item_uses(const rulebook *rb, rulebook_item_kind kind, size_t i,
					    size_t j)
{
	uint32_t n;
	const rb_sym *const *d = item_deps(rb, kind, i, &n);
	for (uint32_t k = 0; d && k < n; k++)
		if (named_use(d[k]) && j-- == 0)
			return d[k]->name;
	return NULL;
}

static const rb_pos *item_pos(const rulebook *rb, rulebook_item_kind kind, size_t i)
{
	if (!item_ok(rb, kind, i))
		return NULL;
	switch (kind) {
	case RULEBOOK_ITEM_RULE:
		return &rb->rules[i].pos;
	case RULEBOOK_ITEM_TARGET:
		return &rb->targets[i].pos;
	case RULEBOOK_ITEM_SCORECARD:
		return &rb->scorecards[i].pos;
	case RULEBOOK_ITEM_AGGREGATE:
		return &rb->aggregates[i].pos;
	case RULEBOOK_ITEM_INDICATOR:
		return &rb->indicators[i]->pos;
	}
	return NULL;
}

RULEBOOK_API const char *rulebook_item_file(const rulebook *rb, rulebook_item_kind kind, size_t i)
{
	const rb_pos *p = item_pos(rb, kind, i);
	return p ? p->file : NULL;
}

RULEBOOK_API uint32_t rulebook_item_line(const rulebook *rb, rulebook_item_kind kind, size_t i)
{
	const rb_pos *p = item_pos(rb, kind, i);
	return p ? p->line : 0;
}

RULEBOOK_API uint32_t rulebook_item_column(const rulebook *rb, rulebook_item_kind kind, size_t i)
{
	const rb_pos *p = item_pos(rb, kind, i);
	return p ? p->col : 0;
}

RULEBOOK_API const char *rulebook_item_definition(const rulebook *rb, rulebook_item_kind kind,
						  size_t i)
{
	if (!item_ok(rb, kind, i) || !rb->definitions[kind])
		return NULL;
	return rb->definitions[kind][i];
}
