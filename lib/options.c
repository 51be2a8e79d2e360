#include "rulebook.h"
#include "alloc.h"
#include "limits.h"

#include <stdbool.h>
#include <string.h>

const rb_limits rb_limits_default = {
	.file_size = 64u << 20,
	.depth = 64,
	.nodes = 1000000,
	.scalar = 1u << 20,
	.expr_depth = 64,
	.expr_length = 16384,
	.names = 100000,
	.items = 100000,
	.chain_size = 64u << 20,
	.diagnostics = 1000,
	.list_length = 10000,
};

struct rulebook_options {
	rb_limits limits;
	bool forbid_extends;
	rb_resolver resolver;
	char **search;
	size_t nsearch, capsearch;
};

static uint64_t *limit_slot(rb_limits *l, rulebook_limit limit)
{
	switch (limit) {
	case RULEBOOK_LIMIT_FILE_SIZE: return &l->file_size;
	case RULEBOOK_LIMIT_DEPTH: return &l->depth;
	case RULEBOOK_LIMIT_NODES: return &l->nodes;
	case RULEBOOK_LIMIT_SCALAR: return &l->scalar;
	case RULEBOOK_LIMIT_EXPR_DEPTH: return &l->expr_depth;
	case RULEBOOK_LIMIT_EXPR_LENGTH: return &l->expr_length;
	case RULEBOOK_LIMIT_NAMES: return &l->names;
	case RULEBOOK_LIMIT_ITEMS: return &l->items;
	case RULEBOOK_LIMIT_CHAIN_SIZE: return &l->chain_size;
	case RULEBOOK_LIMIT_DIAGNOSTICS: return &l->diagnostics;
	case RULEBOOK_LIMIT_LIST_LENGTH: return &l->list_length;
	}
	return NULL;
}

RULEBOOK_API rulebook_options *rulebook_options_new(void)
{
	rulebook_options *o = rb_calloc(1, sizeof(*o));
	if (o)
		o->limits = rb_limits_default;
	return o;
}

RULEBOOK_API void rulebook_options_free(rulebook_options *opts)
{
	if (!opts)
		return;
	for (size_t i = 0; i < opts->nsearch; i++)
		rb_free(opts->search[i]);
	rb_free(opts->search);
	rb_free(opts);
}

RULEBOOK_API rulebook_status rulebook_options_add_search_path(rulebook_options *opts,
							      const char *dir)
{
	if (!opts || !dir)
		return RULEBOOK_ERR_INVALID;
	if (rb_grow((void **)&opts->search, &opts->capsearch, opts->nsearch + 1, sizeof(char *)) < 0)
		return RULEBOOK_ERR_NOMEM;
	char *copy = rb_strndup(dir, strlen(dir));
	if (!copy)
		return RULEBOOK_ERR_NOMEM;
	opts->search[opts->nsearch++] = copy;
	return RULEBOOK_OK;
}

RULEBOOK_API rulebook_status rulebook_options_allow_extends(rulebook_options *opts, int allow)
{
	if (!opts)
		return RULEBOOK_ERR_INVALID;
	opts->forbid_extends = !allow;
	return RULEBOOK_OK;
}

bool rb_options_extends_allowed(const rulebook_options *opts)
{
	return !opts || !opts->forbid_extends;
}

RULEBOOK_API rulebook_status rulebook_options_set_resolver(rulebook_options *opts,
							  rulebook_resolver_fn fn, void *payload)
{
	if (!opts)
		return RULEBOOK_ERR_INVALID;
	opts->resolver.fn = fn;
	opts->resolver.payload = fn ? payload : NULL;
	return RULEBOOK_OK;
}

const rb_resolver *rb_options_resolver(const rulebook_options *opts)
{
	return opts && opts->resolver.fn ? &opts->resolver : NULL;
}

const char *const *rb_options_search(const rulebook_options *opts, size_t *n)
{
	*n = opts ? opts->nsearch : 0;
	return opts ? (const char *const *)opts->search : NULL;
}

RULEBOOK_API rulebook_status rulebook_options_set_limit(rulebook_options *opts,
							rulebook_limit limit, uint64_t value)
{
	if (!opts)
		return RULEBOOK_ERR_INVALID;
	uint64_t *slot = limit_slot(&opts->limits, limit);
	if (!slot)
		return RULEBOOK_ERR_INVALID;
	if (value == 0) {
		rb_limits d = rb_limits_default;
		value = *limit_slot(&d, limit);
	}
	*slot = value;
	return RULEBOOK_OK;
}

RULEBOOK_API uint64_t rulebook_options_get_limit(const rulebook_options *opts,
						 rulebook_limit limit)
{
	rb_limits l = opts ? opts->limits : rb_limits_default;
	uint64_t *slot = limit_slot(&l, limit);
	return slot ? *slot : 0;
}

const rb_limits *rb_options_limits(const rulebook_options *opts)
{
	return opts ? &opts->limits : &rb_limits_default;
}
