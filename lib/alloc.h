/* Every allocation of the library goes through these, so an embedder can
 * supply its own allocator (rulebook_set_allocator) and tests can inject
 * failures. */
#ifndef RB_ALLOC_H
#define RB_ALLOC_H

#include <stddef.h>

void *rb_malloc(size_t size);
void *rb_calloc(size_t n, size_t size);
void *rb_realloc(void *p, size_t size);
void rb_free(void *p);
char *rb_strndup(const char *s, size_t len);

/* Grow *items (of elem bytes each) so that it holds at least need; doubles.
 * Returns 0, or -1 with *items untouched when memory runs out. */
int rb_grow(void **items, size_t *cap, size_t need, size_t elem);

#endif
