/* Defaults and storage for the caller-settable limits (rulebook_options). */
#ifndef RB_LIMITS_H
#define RB_LIMITS_H

#include "rulebook.h"

#include <stdint.h>

#define RB_LIMIT_COUNT 11

typedef struct rb_limits {
	uint64_t file_size;    /* RULEBOOK_LIMIT_FILE_SIZE */
	uint64_t depth;        /* RULEBOOK_LIMIT_DEPTH */
	uint64_t nodes;        /* RULEBOOK_LIMIT_NODES */
	uint64_t scalar;       /* RULEBOOK_LIMIT_SCALAR */
	uint64_t expr_depth;   /* RULEBOOK_LIMIT_EXPR_DEPTH */
	uint64_t expr_length;  /* RULEBOOK_LIMIT_EXPR_LENGTH */
	uint64_t names;        /* RULEBOOK_LIMIT_NAMES */
	uint64_t items;        /* RULEBOOK_LIMIT_ITEMS */
	uint64_t chain_size;   /* RULEBOOK_LIMIT_CHAIN_SIZE */
	uint64_t diagnostics;  /* RULEBOOK_LIMIT_DIAGNOSTICS */
	uint64_t list_length;  /* RULEBOOK_LIMIT_LIST_LENGTH */
} rb_limits;

/* The defaults (documented in docs/reliability.md). */
extern const rb_limits rb_limits_default;

struct rulebook_options;
/* The limits of opts, or the defaults when opts is NULL. */
const rb_limits *rb_options_limits(const struct rulebook_options *opts);
/* Whether `extends` may load files (rulebook_options_allow_extends). */
#include <stdbool.h>
bool rb_options_extends_allowed(const struct rulebook_options *opts);
/* The search path for `extends: <id>`. */
const char *const *rb_options_search(const struct rulebook_options *opts, size_t *n);

/* The caller's source of parent rulebooks (rulebook_options_set_resolver). */
typedef struct rb_resolver {
	rulebook_resolver_fn fn;
	void *payload;
} rb_resolver;
/* The resolver of opts; NULL when none is set. */
const rb_resolver *rb_options_resolver(const struct rulebook_options *opts);

#endif
