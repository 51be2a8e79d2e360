/* YAML reader: libyaml's event stream turned into an rb_node tree.
 *
 * The event API (not libyaml's document loader) is used so that aliases,
 * nesting and sizes are checked as the events arrive: a hostile document is
 * refused before it costs memory or time. The tree is built with an explicit
 * stack, never by recursion, so nesting depth cannot overflow the C stack. */
#include "node.h"
#include "alloc.h"

#include <yaml.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_NAME "<buffer>"
/* Mappings with at most this many pairs are checked for duplicate keys
 * pairwise; larger ones are sorted, so that no mapping is quadratic. */
#define SMALL_MAP 16
/* Longest key quoted in a diagnostic, in bytes. */
#define KEY_SHOWN 64

static const char yaml_tag_prefix[] = "tag:yaml.org,2002:";

/* ---------------------------------------------------------------------------
 * Positions
 *
 * libyaml's marks count characters (mark.index, mark.column), but our columns
 * count bytes, so that a CJK character counts 3. libyaml also moves the mark
 * at the end of the input onto a virtual next line. So every position is
 * derived from mark.index alone: a cursor walks the source, turning a
 * character index into a byte offset while counting lines as libyaml does
 * (LF, CR, CRLF, and the Unicode breaks NEL, LS, PS). Marks arrive in
 * nondecreasing order, so the walk is linear over the whole load; a mark
 * behind the cursor restarts it from the beginning.
 * ------------------------------------------------------------------------- */

typedef struct cursor {
	size_t byte;        /* offset in the source */
	size_t chr;         /* characters starting before byte */
	size_t line;        /* 1-based line of byte */
	size_t line_start;  /* offset where that line starts */
} cursor;

static void cur_reset(cursor *c)
{
	c->byte = 0;
	c->chr = 0;
	c->line = 1;
	c->line_start = 0;
}

/* Whether the byte just before s[i] ends a line break. Works on bytes not
 * yet validated as UTF-8 (used for the up-front checks). */
static int ends_break(const unsigned char *s, size_t len, size_t i)
{
	unsigned char b = s[i - 1];
	if (b == '\n')
		return 1;
	if (b == '\r')
		return i >= len || s[i] != '\n';  /* CR of a CRLF is not the break */
	if (b == 0x85)
		return i >= 2 && s[i - 2] == 0xC2;
	if (b == 0xA8 || b == 0xA9)
		return i >= 3 && s[i - 3] == 0xE2 && s[i - 2] == 0x80;
	return 0;
}

/* Move to the start of character chr_target or to byte byte_target,
 * whichever comes first (pass SIZE_MAX for the one not wanted). */
static void cur_walk(cursor *c, const unsigned char *s, size_t len, size_t chr_target,
		     size_t byte_target)
{
	if (c->chr > chr_target || c->byte > byte_target)
		cur_reset(c);
	while (c->byte < len && c->byte < byte_target) {
		unsigned char b = s[c->byte];
		if ((b & 0xC0) != 0x80) {
			if (c->chr == chr_target)
				break;
			c->chr++;
		}
		c->byte++;
		if (ends_break(s, len, c->byte)) {
			c->line++;
			c->line_start = c->byte;
		}
	}
}

static uint32_t clamp32(size_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

static rb_pos cur_pos(const cursor *c, const char *file)
{
	rb_pos p = {file, clamp32(c->line), clamp32(c->byte - c->line_start + 1)};
	return p;
}

/* Position of byte offset off, computed from scratch (for one-off errors). */
static rb_pos pos_of_byte(const unsigned char *s, size_t len, size_t off, const char *file)
{
	cursor c;
	cur_reset(&c);
	cur_walk(&c, s, len, SIZE_MAX, off);
	return cur_pos(&c, file);
}

/* ---------------------------------------------------------------------------
 * Up-front checks
 * ------------------------------------------------------------------------- */

/* Offset of the first NUL byte or invalid UTF-8 sequence (overlong forms,
 * surrogates, code points above U+10FFFF, truncated sequences), or len when
 * there is none; *nul tells which. */
static size_t find_bad_byte(const unsigned char *s, size_t len, int *nul)
{
	size_t i = 0;
	*nul = 0;
	while (i < len) {
		unsigned char b = s[i];
		if (b < 0x80) {
			if (b == 0) {
				*nul = 1;
				return i;
			}
			i++;
			continue;
		}
		size_t n;
		unsigned char lo = 0x80, hi = 0xBF;  /* range of the second byte */
		if (b >= 0xC2 && b <= 0xDF) {
			n = 2;
		} else if (b >= 0xE0 && b <= 0xEF) {
			n = 3;
			if (b == 0xE0)
				lo = 0xA0;   /* overlong */
			else if (b == 0xED)
				hi = 0x9F;   /* surrogates */
		} else if (b >= 0xF0 && b <= 0xF4) {
			n = 4;
			if (b == 0xF0)
				lo = 0x90;   /* overlong */
			else if (b == 0xF4)
				hi = 0x8F;   /* above U+10FFFF */
		} else {
			return i;        /* continuation byte, C0, C1 or F5..FF */
		}
		if (len - i < n || s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (size_t k = 2; k < n; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
		i += n;
	}
	return len;
}

/* ---------------------------------------------------------------------------
 * The loader
 * ------------------------------------------------------------------------- */

typedef struct frame {
	rb_node *node;          /* the open mapping or sequence */
	size_t base;            /* its first child in loader.vals */
	uint64_t total_before;  /* loader.total before the node was counted */
	uint64_t height;        /* greatest height among its children so far */
	size_t anchor;          /* its entry in loader.anchors, or SIZE_MAX */
} frame;

typedef struct anchor {
	const char *name;       /* in loader.scratch */
	uint64_t hash;
	rb_node *node;
	uint64_t size;          /* nodes in the subtree, aliases expanded */
	uint64_t height;        /* collection nesting of the subtree (scalar 0) */
	int open;               /* the collection has not ended yet */
} anchor;

typedef struct loader {
	const rb_limits *lim;
	const char *file;       /* name for positions */
	rulebook_error *err;
	rb_doc *doc;
	const unsigned char *src;
	size_t len;
	cursor cur;

	frame *frames;
	size_t nframes, frames_cap;
	/* Children of every open collection, one after another: each frame's
	 * children start at its base (keys and values alternate in mappings). */
	rb_node **vals;
	size_t nvals, vals_cap;

	anchor *anchors;
	size_t nanchors, anchors_cap;
	size_t *atab;           /* open-addressing index into anchors */
	size_t atab_cap;        /* power of two, or 0 */
	rb_arena scratch;       /* anchor names; released after the load */

	uint64_t total;         /* nodes so far, aliases counted expanded */
	size_t docs;
	rb_node *root;
	int root_empty;         /* root is an implicit empty scalar */
} loader;

static rulebook_status nomem(loader *ld)
{
	rb_pos p = {ld->file, 0, 0};
	return rb_error_add(ld->err, RULEBOOK_ERR_NOMEM, p, NULL, "out of memory");
}

/* Position and byte offset of a libyaml mark. */
static rb_pos mark_pos(loader *ld, yaml_mark_t m, size_t *offset)
{
	cur_walk(&ld->cur, ld->src, ld->len, m.index, SIZE_MAX);
	if (offset)
		*offset = ld->cur.byte;
	return cur_pos(&ld->cur, ld->file);
}

/* Length of at most max bytes of s, cut at a character boundary. */
static int shown_len(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return (int)len;
	size_t n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return (int)n;
}

static uint64_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037u;  /* FNV-1a */
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211u;
	}
	return h;
}

/* Index of the entry named name in ld->anchors, or SIZE_MAX. */
static size_t anchor_find(const loader *ld, const char *name, uint64_t h)
{
	if (!ld->atab_cap)
		return SIZE_MAX;
	size_t mask = ld->atab_cap - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		size_t e = ld->atab[i];
		if (e == SIZE_MAX)
			return SIZE_MAX;
		if (ld->anchors[e].hash == h && strcmp(ld->anchors[e].name, name) == 0)
			return e;
	}
}

static int atab_rebuild(loader *ld, size_t cap)
{
	size_t *t = rb_calloc(cap, sizeof(*t));
	if (!t)
		return -1;
	for (size_t i = 0; i < cap; i++)
		t[i] = SIZE_MAX;
	for (size_t e = 0; e < ld->nanchors; e++) {
		size_t i = (size_t)ld->anchors[e].hash & (cap - 1);
		while (t[i] != SIZE_MAX)
			i = (i + 1) & (cap - 1);
		t[i] = e;
	}
	rb_free(ld->atab);
	ld->atab = t;
	ld->atab_cap = cap;
	return 0;
}

/* Bind name to node; a later anchor of the same name replaces the earlier
 * one, as YAML says. Returns the entry's index, or SIZE_MAX when memory ran
 * out. */
static size_t anchor_define(loader *ld, const char *name, rb_node *node, int open)
{
	uint64_t h = hash_bytes(name, strlen(name));
	size_t e = anchor_find(ld, name, h);
	if (e == SIZE_MAX) {
		if (ld->nanchors + 1 > ld->atab_cap / 2) {
			size_t cap = ld->atab_cap ? ld->atab_cap * 2 : 16;
			if (cap > SIZE_MAX / 4 || atab_rebuild(ld, cap) < 0)
				return SIZE_MAX;
		}
		if (rb_grow((void **)&ld->anchors, &ld->anchors_cap, ld->nanchors + 1,
			    sizeof(anchor)) < 0)
			return SIZE_MAX;
		const char *copy = rb_arena_strdup(&ld->scratch, name);
		if (!copy)
			return SIZE_MAX;
		e = ld->nanchors++;
		ld->anchors[e].name = copy;
		ld->anchors[e].hash = h;
		size_t i = (size_t)h & (ld->atab_cap - 1);
		while (ld->atab[i] != SIZE_MAX)
			i = (i + 1) & (ld->atab_cap - 1);
		ld->atab[i] = e;
	}
	ld->anchors[e].node = node;
	ld->anchors[e].size = 1;
	ld->anchors[e].height = 0;
	ld->anchors[e].open = open;
	return e;
}

/* Count n more nodes against the node limit. */
static rulebook_status count_nodes(loader *ld, uint64_t n, rb_pos pos, int alias)
{
	if (n > ld->lim->nodes || ld->total > ld->lim->nodes - n) {
		if (alias)
			return rb_error_add(ld->err, RULEBOOK_ERR_LIMIT, pos, NULL,
					    "alias expansion exceeds the node limit (%" PRIu64 ")",
					    ld->lim->nodes);
		return rb_error_add(ld->err, RULEBOOK_ERR_LIMIT, pos, NULL,
				    "document has more nodes than the node limit (%" PRIu64 ")",
				    ld->lim->nodes);
	}
	ld->total += n;
	return RULEBOOK_OK;
}

static rulebook_status depth_error(loader *ld, rb_pos pos)
{
	return rb_error_add(ld->err, RULEBOOK_ERR_LIMIT, pos, NULL,
			    "document nests deeper than the depth limit (%" PRIu64 ")",
			    ld->lim->depth);
}

/* Whether the next child of the innermost collection is a mapping key. */
static int at_key(const loader *ld)
{
	if (!ld->nframes)
		return 0;
	const frame *f = &ld->frames[ld->nframes - 1];
	return f->node->kind == RB_NODE_MAP && (ld->nvals - f->base) % 2 == 0;
}

/* Only the core schema's tags are accepted (and "!", the non-specific tag):
 * anything else would ask for a type this reader does not build. */
static rulebook_status check_tag(loader *ld, const yaml_char_t *utag, rb_node_kind kind,
				 rb_pos pos)
{
	static const char *const scalar_tags[] = {"str", "int", "float", "bool", "null"};
	const char *tag = (const char *)utag;
	if (!tag || strcmp(tag, "!") == 0)
		return RULEBOOK_OK;
	size_t plen = sizeof(yaml_tag_prefix) - 1;
	int known = 0;
	rb_node_kind want = RB_NODE_SCALAR;
	if (strncmp(tag, yaml_tag_prefix, plen) == 0) {
		const char *sfx = tag + plen;
		for (size_t i = 0; i < sizeof(scalar_tags) / sizeof(scalar_tags[0]); i++)
			if (strcmp(sfx, scalar_tags[i]) == 0)
				known = 1;
		if (strcmp(sfx, "map") == 0) {
			known = 1;
			want = RB_NODE_MAP;
		} else if (strcmp(sfx, "seq") == 0) {
			known = 1;
			want = RB_NODE_SEQ;
		}
	}
	/* Show !!x rather than the long form. */
	const char *shown = tag, *pre = "";
	size_t tlen = strlen(tag);
	if (strncmp(tag, yaml_tag_prefix, plen) == 0) {
		shown = tag + plen;
		pre = "!!";
		tlen -= plen;
	}
	int n = shown_len(shown, tlen, KEY_SHOWN);
	if (!known)
		return rb_error_add(ld->err, RULEBOOK_ERR_SCHEMA, pos, NULL,
				    "unsupported tag '%s%.*s'", pre, n, shown);
	if (want != kind)
		return rb_error_add(ld->err, RULEBOOK_ERR_SCHEMA, pos, NULL,
				    "tag '%s%.*s' does not suit a %s", pre, n, shown,
				    kind == RB_NODE_SCALAR ? "scalar"
				    : kind == RB_NODE_MAP ? "mapping" : "sequence");
	return RULEBOOK_OK;
}

/* Attach a finished node (or an alias's target) of the given height to the
 * innermost open collection, or make it the root. */
static rulebook_status add_child(loader *ld, rb_node *node, uint64_t height)
{
	if (!ld->nframes) {
		ld->root = node;
		return RULEBOOK_OK;
	}
	frame *f = &ld->frames[ld->nframes - 1];
	if (height > f->height)
		f->height = height;
	if (rb_grow((void **)&ld->vals, &ld->vals_cap, ld->nvals + 1, sizeof(*ld->vals)) < 0)
		return nomem(ld);
	ld->vals[ld->nvals++] = node;
	return RULEBOOK_OK;
}

static rb_node *new_node(loader *ld, rb_node_kind kind, yaml_mark_t m)
{
	rb_node *n = rb_arena_alloc(&ld->doc->arena, sizeof(*n));
	if (!n)
		return NULL;
	n->kind = kind;
	n->pos = mark_pos(ld, m, &n->offset);
	return n;
}

static rulebook_status on_scalar(loader *ld, const yaml_event_t *ev)
{
	size_t off;
	rb_pos pos = mark_pos(ld, ev->start_mark, &off);
	const char *value = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	yaml_scalar_style_t st = ev->data.scalar.style;
	rulebook_status s;

	if (at_key(ld) && st == YAML_PLAIN_SCALAR_STYLE && len == 2 &&
	    memcmp(value, "<<", 2) == 0)
		return rb_error_add(ld->err, RULEBOOK_ERR_SCHEMA, pos, NULL,
				    "merge keys are not supported");
	if ((s = check_tag(ld, ev->data.scalar.tag, RB_NODE_SCALAR, pos)) != RULEBOOK_OK)
		return s;
	if ((uint64_t)len > ld->lim->scalar)
		return rb_error_add(ld->err, RULEBOOK_ERR_LIMIT, pos, NULL,
				    "scalar is longer than the scalar limit (%" PRIu64 " bytes)",
				    ld->lim->scalar);
	if ((s = count_nodes(ld, 1, pos, 0)) != RULEBOOK_OK)
		return s;

	rb_node *n = rb_arena_alloc(&ld->doc->arena, sizeof(*n));
	if (!n || !(n->text = rb_arena_strndup(&ld->doc->arena, value, len)))
		return nomem(ld);
	n->kind = RB_NODE_SCALAR;
	n->pos = pos;
	n->offset = off;
	n->len = len;
	switch (st) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE: n->style = RB_SCALAR_SINGLE; break;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE: n->style = RB_SCALAR_DOUBLE; break;
	case YAML_LITERAL_SCALAR_STYLE: n->style = RB_SCALAR_LITERAL; break;
	case YAML_FOLDED_SCALAR_STYLE: n->style = RB_SCALAR_FOLDED; break;
	default: n->style = RB_SCALAR_PLAIN; break;
	}
	n->indent = 0;
	if (n->style == RB_SCALAR_LITERAL) {
		/* content starts on the line after the '|' indicator */
		size_t i = off;
		while (i < ld->len && ld->src[i] != '\n')
			i++;
		for (i++; i < ld->len && ld->src[i] == ' '; i++)
			n->indent++;
	}
	if (ev->data.scalar.anchor) {
		size_t e = anchor_define(ld, (const char *)ev->data.scalar.anchor, n, 0);
		if (e == SIZE_MAX)
			return nomem(ld);
	}
	if (!ld->nframes)
		ld->root_empty = len == 0 && n->style == RB_SCALAR_PLAIN &&
				 !ev->data.scalar.tag && !ev->data.scalar.anchor;
	return add_child(ld, n, 0);
}

static rulebook_status on_start(loader *ld, const yaml_event_t *ev, rb_node_kind kind)
{
	rb_pos pos = mark_pos(ld, ev->start_mark, NULL);
	const yaml_char_t *tag, *anc;
	rulebook_status s;
	if (kind == RB_NODE_MAP) {
		tag = ev->data.mapping_start.tag;
		anc = ev->data.mapping_start.anchor;
	} else {
		tag = ev->data.sequence_start.tag;
		anc = ev->data.sequence_start.anchor;
	}
	if (at_key(ld))
		return rb_error_add(ld->err, RULEBOOK_ERR_SCHEMA, pos, NULL,
				    "a mapping key must be a scalar, not a %s",
				    kind == RB_NODE_MAP ? "mapping" : "sequence");
	if ((s = check_tag(ld, tag, kind, pos)) != RULEBOOK_OK)
		return s;
	if ((uint64_t)ld->nframes >= ld->lim->depth)
		return depth_error(ld, pos);
	uint64_t before = ld->total;
	if ((s = count_nodes(ld, 1, pos, 0)) != RULEBOOK_OK)
		return s;

	rb_node *n = new_node(ld, kind, ev->start_mark);
	if (!n)
		return nomem(ld);
	size_t e = SIZE_MAX;
	if (anc && (e = anchor_define(ld, (const char *)anc, n, 1)) == SIZE_MAX)
		return nomem(ld);
	if (rb_grow((void **)&ld->frames, &ld->frames_cap, ld->nframes + 1, sizeof(frame)) < 0)
		return nomem(ld);
	frame *f = &ld->frames[ld->nframes++];
	f->node = n;
	f->base = ld->nvals;
	f->total_before = before;
	f->height = 0;
	f->anchor = e;
	return RULEBOOK_OK;
}

typedef struct key_ref {
	const rb_node *key;
	size_t idx;
} key_ref;

static int key_cmp(const void *a, const void *b)
{
	const key_ref *x = a, *y = b;
	if (x->key->len != y->key->len)
		return x->key->len < y->key->len ? -1 : 1;
	int c = memcmp(x->key->text, y->key->text, x->key->len);
	if (c)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int same_key(const rb_node *a, const rb_node *b)
{
	return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

/* Report the duplicate key whose second occurrence comes first. */
static rulebook_status check_dups(loader *ld, const rb_node *map)
{
	const rb_pair *p = map->pairs;
	size_t n = map->count, first = SIZE_MAX, second = SIZE_MAX;
	if (n <= SMALL_MAP) {
		for (size_t j = 1; j < n && second == SIZE_MAX; j++)
			for (size_t i = 0; i < j; i++)
				if (same_key(p[i].key, p[j].key)) {
					first = i;
					second = j;
					break;
				}
	} else {
		key_ref *r = rb_malloc(n * sizeof(*r));
		if (!r)
			return nomem(ld);
		for (size_t i = 0; i < n; i++) {
			r[i].key = p[i].key;
			r[i].idx = i;
		}
		qsort(r, n, sizeof(*r), key_cmp);
		/* Sorted by text, then by order: in each run of equal keys the
		 * first two entries are the first and second occurrences. */
		for (size_t i = 1; i < n; i++)
			if (same_key(r[i - 1].key, r[i].key) &&
			    (i < 2 || !same_key(r[i - 2].key, r[i].key)) && r[i].idx < second) {
				first = r[i - 1].idx;
				second = r[i].idx;
			}
		rb_free(r);
	}
	if (second == SIZE_MAX)
		return RULEBOOK_OK;
	const rb_node *k = p[second].key;
	return rb_error_add(ld->err, RULEBOOK_ERR_SCHEMA, k->pos, NULL,
			    "duplicate key '%.*s%s' (first at line %" PRIu32 ")",
			    shown_len(k->text, k->len, KEY_SHOWN), k->text,
			    k->len > KEY_SHOWN ? "..." : "", p[first].key->pos.line);
}

static rulebook_status on_end(loader *ld)
{
	frame f = ld->frames[--ld->nframes];
	rb_node *n = f.node;
	size_t nv = ld->nvals - f.base;
	rb_node **v = nv ? ld->vals + f.base : NULL;  /* vals is NULL before any child */
	rulebook_status s;

	size_t items = n->kind == RB_NODE_MAP ? nv / 2 : nv;
	if (items > ld->lim->items)
		return rb_error_add(ld->err, RULEBOOK_ERR_LIMIT, n->pos, NULL,
				    "%s has %zu entries, more than the items limit (%" PRIu64 ")",
				    n->kind == RB_NODE_MAP ? "mapping" : "list", items,
				    ld->lim->items);

	if (n->kind == RB_NODE_MAP) {
		n->count = nv / 2;
		if (n->count) {
			n->pairs = rb_arena_calloc(&ld->doc->arena, n->count, sizeof(rb_pair));
			if (!n->pairs)
				return nomem(ld);
			for (size_t i = 0; i < n->count; i++) {
				n->pairs[i].key = v[2 * i];
				n->pairs[i].value = v[2 * i + 1];
			}
			if ((s = check_dups(ld, n)) != RULEBOOK_OK)
				return s;
		}
	} else {
		n->count = nv;
		if (nv) {
			n->items = rb_arena_calloc(&ld->doc->arena, nv, sizeof(rb_node *));
			if (!n->items)
				return nomem(ld);
			memcpy(n->items, v, nv * sizeof(*v));
		}
	}
	ld->nvals = f.base;

	uint64_t height = f.height + 1;
	if (f.anchor != SIZE_MAX && ld->anchors[f.anchor].node == n) {
		anchor *a = &ld->anchors[f.anchor];
		a->size = ld->total - f.total_before;
		a->height = height;
		a->open = 0;
	}
	return add_child(ld, n, height);
}

static rulebook_status on_alias(loader *ld, const yaml_event_t *ev)
{
	rb_pos pos = mark_pos(ld, ev->start_mark, NULL);
	const char *name = (const char *)ev->data.alias.anchor;
	int nl = shown_len(name, strlen(name), KEY_SHOWN);
	rulebook_status s;

	if (at_key(ld))
		return rb_error_add(ld->err, RULEBOOK_ERR_SCHEMA, pos, NULL,
				    "an alias cannot be a mapping key");
	size_t e = anchor_find(ld, name, hash_bytes(name, strlen(name)));
	if (e == SIZE_MAX)
		return rb_error_add(ld->err, RULEBOOK_ERR_SYNTAX, pos, NULL,
				    "found undefined alias '%.*s'", nl, name);
	const anchor *a = &ld->anchors[e];
	if (a->open)
		return rb_error_add(ld->err, RULEBOOK_ERR_SCHEMA, pos, NULL,
				    "alias '%.*s' refers to a collection that contains it", nl,
				    name);
	/* The alias repeats the subtree here, so its nesting counts from here. */
	if (a->height > ld->lim->depth || (uint64_t)ld->nframes > ld->lim->depth - a->height)
		return depth_error(ld, pos);
	if ((s = count_nodes(ld, a->size, pos, 1)) != RULEBOOK_OK)
		return s;
	return add_child(ld, a->node, a->height);
}

static rulebook_status on_event(loader *ld, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++ld->docs > 1)
			return rb_error_add(ld->err, RULEBOOK_ERR_SCHEMA,
					    mark_pos(ld, ev->start_mark, NULL), NULL,
					    "more than one document (only one is allowed)");
		return RULEBOOK_OK;
	case YAML_SCALAR_EVENT:
		return on_scalar(ld, ev);
	case YAML_SEQUENCE_START_EVENT:
		return on_start(ld, ev, RB_NODE_SEQ);
	case YAML_MAPPING_START_EVENT:
		return on_start(ld, ev, RB_NODE_MAP);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return on_end(ld);
	case YAML_ALIAS_EVENT:
		return on_alias(ld, ev);
	default:
		return RULEBOOK_OK;
	}
}

static rulebook_status parser_error(loader *ld, const yaml_parser_t *p)
{
	if (p->error == YAML_MEMORY_ERROR)
		return nomem(ld);
	const char *problem = p->problem ? p->problem : "malformed YAML";
	rb_pos pos;
	if (p->error == YAML_READER_ERROR) {
		/* Reader errors carry a byte offset, not a mark. */
		pos = pos_of_byte(ld->src, ld->len, p->problem_offset, ld->file);
	} else {
		pos = mark_pos(ld, p->problem_mark, NULL);
		if (p->context) {
			/* The context (e.g. the flow sequence being parsed) is named, with
			 * its own position when that differs. */
			cursor c;
			cur_reset(&c);
			cur_walk(&c, ld->src, ld->len, p->context_mark.index, SIZE_MAX);
			rb_pos cpos = cur_pos(&c, ld->file);
			if (cpos.line != pos.line || cpos.col != pos.col)
				return rb_error_add(ld->err, RULEBOOK_ERR_SYNTAX, pos, NULL,
						    "%s (%s at line %" PRIu32 ", column %" PRIu32 ")",
						    problem, p->context, cpos.line, cpos.col);
			return rb_error_add(ld->err, RULEBOOK_ERR_SYNTAX, pos, NULL, "%s (%s)",
					    problem, p->context);
		}
	}
	return rb_error_add(ld->err, RULEBOOK_ERR_SYNTAX, pos, NULL, "%s", problem);
}

static void loader_free(loader *ld)
{
	rb_free(ld->frames);
	rb_free(ld->vals);
	rb_free(ld->anchors);
	rb_free(ld->atab);
	rb_arena_release(&ld->scratch);
}

rulebook_status rb_yaml_load(const char *data, size_t len, const char *name,
			     const rb_limits *limits, rb_doc **out, rulebook_error *err)
{
	const char *file = name ? name : DEFAULT_NAME;
	rb_pos nowhere = {file, 0, 0};
	if (out)
		*out = NULL;
	if (!out || (!data && len))
		return rb_error_add(err, RULEBOOK_ERR_INVALID, nowhere, NULL,
				    "invalid argument to the YAML reader");
	if (!limits)
		limits = &rb_limits_default;

	/* The byte order mark is dropped before anything else: the document's
	 * source, offsets and columns all start after it. */
	const unsigned char *s = (const unsigned char *)data;
	size_t n = len;
	if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
		s += 3;
		n -= 3;
	}
	if ((uint64_t)len > limits->file_size) {
		/* Point at the first byte beyond the limit. */
		size_t skipped = len - n;
		size_t at = (size_t)limits->file_size > skipped ? (size_t)limits->file_size - skipped
								 : 0;
		return rb_error_add(err, RULEBOOK_ERR_LIMIT, pos_of_byte(s, n, at, file), NULL,
				    "document is larger than the file size limit (%" PRIu64
				    " bytes)", limits->file_size);
	}
	/* libyaml stops at a NUL and reports bad UTF-8 by byte offset only, so
	 * both are found here, with a position. */
	int nul;
	size_t bad = find_bad_byte(s, n, &nul);
	if (bad < n)
		return rb_error_add(err, RULEBOOK_ERR_SYNTAX, pos_of_byte(s, n, bad, file), NULL,
				    nul ? "NUL byte in the document" : "invalid UTF-8 byte sequence");

	rb_doc *doc = rb_calloc(1, sizeof(*doc));
	if (!doc)
		return rb_error_add(err, RULEBOOK_ERR_NOMEM, nowhere, NULL, "out of memory");
	rb_arena_init(&doc->arena);
	doc->root = NULL;
	doc->source_len = n;
	doc->name = rb_arena_strdup(&doc->arena, file);
	doc->source_buf = rb_malloc(n + 1);
	if (doc->source_buf) {
		if (n)
			memcpy(doc->source_buf, s, n);
		doc->source_buf[n] = '\0';
	}
	doc->source = doc->source_buf;
	if (!doc->name || !doc->source) {
		rb_doc_free(doc);
		return rb_error_add(err, RULEBOOK_ERR_NOMEM, nowhere, NULL, "out of memory");
	}

	loader ld;
	memset(&ld, 0, sizeof(ld));
	ld.lim = limits;
	ld.file = doc->name;
	ld.err = err;
	ld.doc = doc;
	ld.src = (const unsigned char *)doc->source;
	ld.len = n;
	cur_reset(&ld.cur);
	rb_arena_init(&ld.scratch);

	rulebook_status st = RULEBOOK_OK;
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser)) {
		st = nomem(&ld);
	} else {
		yaml_parser_set_input_string(&parser, ld.src, n);
		yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
		for (;;) {
			yaml_event_t ev;
			if (!yaml_parser_parse(&parser, &ev)) {
				st = parser_error(&ld, &parser);
				break;
			}
			int end = ev.type == YAML_STREAM_END_EVENT;
			st = on_event(&ld, &ev);
			yaml_event_delete(&ev);
			if (st != RULEBOOK_OK || end)
				break;
		}
		yaml_parser_delete(&parser);
	}
	if (st == RULEBOOK_OK && (ld.docs == 0 || !ld.root || ld.root_empty)) {
		rb_pos start = {ld.file, 1, 1};
		st = rb_error_add(err, RULEBOOK_ERR_SCHEMA, start, NULL, "empty document");
	}
	loader_free(&ld);
	if (st != RULEBOOK_OK) {
		/* Diagnostics were copied into err; the name they used goes now. */
		rb_doc_free(doc);
		return st;
	}
	doc->root = ld.root;
	*out = doc;
	return RULEBOOK_OK;
}

void rb_doc_drop_source(rb_doc *doc)
{
	rb_free(doc->source_buf);
	doc->source_buf = NULL;
	doc->source = NULL;
}

void rb_doc_free(rb_doc *doc)
{
	if (!doc)
		return;
	rb_free(doc->source_buf);
	rb_arena_release(&doc->arena);
	rb_free(doc);
}

const rb_node *rb_map_get(const rb_node *map, const char *key)
{
	if (!map || !key || map->kind != RB_NODE_MAP)
		return NULL;
	size_t len = strlen(key);
	for (size_t i = 0; i < map->count; i++) {
		const rb_node *k = map->pairs[i].key;
		if (k->len == len && memcmp(k->text, key, len) == 0)
			return map->pairs[i].value;
	}
	return NULL;
}
