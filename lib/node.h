/* The document tree produced by the YAML reader (load.c): mappings,
 * sequences and scalars, each with its 1-based position. It knows nothing
 * of rulebooks; the schema reader (model.c) gives it meaning.
 *
 * Scalars are kept as text: no YAML 1.1 implicit typing happens here, so
 * `no` stays the two letters n-o and `1:1.2` stays text. The style records
 * whether the scalar was quoted, so a reader can tell "37" from 37. */
#ifndef RB_NODE_H
#define RB_NODE_H

#include "arena.h"
#include "error.h"
#include "limits.h"

#include <stddef.h>
#include <stdint.h>

typedef enum rb_node_kind {
	RB_NODE_SCALAR = 1,
	RB_NODE_MAP,
	RB_NODE_SEQ
} rb_node_kind;

typedef enum rb_scalar_style {
	RB_SCALAR_PLAIN = 1,
	RB_SCALAR_SINGLE,   /* 'text' */
	RB_SCALAR_DOUBLE,   /* "text" */
	RB_SCALAR_LITERAL,  /* | block */
	RB_SCALAR_FOLDED    /* > block */
} rb_scalar_style;

typedef struct rb_node rb_node;
typedef struct rb_pair rb_pair;

struct rb_pair {
	rb_node *key;     /* always a scalar */
	rb_node *value;
};

struct rb_node {
	rb_node_kind kind;
	rb_pos pos;              /* where the node starts (file is the document name) */
	size_t offset;           /* byte offset of the start in the source */
	/* RB_NODE_SCALAR */
	const char *text;        /* NUL-terminated, owned by the document's arena */
	size_t len;              /* bytes, may contain no NUL (rejected on load) */
	rb_scalar_style style;
	uint32_t indent;         /* RB_SCALAR_LITERAL: the indent of its content's first
				  * line in the source (for positions inside it) */
	/* RB_NODE_MAP: count pairs; RB_NODE_SEQ: count items */
	size_t count;
	rb_pair *pairs;
	rb_node **items;
};

typedef struct rb_doc {
	rb_arena arena;
	rb_node *root;           /* never NULL after a successful load */
	const char *name;        /* copy of the name given to rb_yaml_load */
	const char *source;      /* copy of the source bytes (NUL-terminated); NULL
				  * once dropped (rb_doc_drop_source) */
	size_t source_len;
	char *source_buf;        /* the copy, when the document owns one */
} rb_doc;

/* Free the copy of the source bytes: the tree and its texts stay. An
 * extends chain keeps each parent's tree (the model's texts and positions
 * point into it) but not its bytes. */
void rb_doc_drop_source(rb_doc *doc);

/* Read one YAML document (JSON is read as YAML flow) from data[0..len).
 * name appears in diagnostics. limits may be NULL for the defaults.
 *
 * Rejected with a diagnostic carrying the 1-based line and column:
 *   - malformed YAML (RULEBOOK_ERR_SYNTAX, libyaml's problem text);
 *   - a document larger than limits->file_size, nesting deeper than
 *     limits->depth, more than limits->nodes nodes where each alias counts
 *     as many nodes as the tree it repeats (a "billion laughs" document
 *     fails fast), a scalar longer than limits->scalar (RULEBOOK_ERR_LIMIT,
 *     message naming the limit);
 *   - an empty input, or more than one document (RULEBOOK_ERR_SCHEMA);
 *   - a mapping key that is not a scalar, or a key that appears twice in
 *     one mapping (RULEBOOK_ERR_SCHEMA, at the second occurrence, naming the
 *     line of the first);
 *   - a NUL byte or invalid UTF-8 anywhere (RULEBOOK_ERR_SYNTAX);
 *   - YAML tags other than the standard ones (RULEBOOK_ERR_SCHEMA);
 *   - the merge key "<<" (RULEBOOK_ERR_SCHEMA, not supported).
 * A leading UTF-8 byte order mark is accepted and skipped. Aliases share the
 * anchored node (the tree becomes a DAG; nothing is copied).
 *
 * On success *out is a document to free with rb_doc_free. */
rulebook_status rb_yaml_load(const char *data, size_t len, const char *name,
			     const rb_limits *limits, rb_doc **out, rulebook_error *err);
void rb_doc_free(rb_doc *doc);

/* The value of key in a mapping, or NULL. */
const rb_node *rb_map_get(const rb_node *map, const char *key);

#endif
