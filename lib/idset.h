/* A set of names for duplicate checks and lookups in linear time: each
 * name (bytes and length, not copied: they must outlive the set) maps to
 * the index it was added with. */
#ifndef RB_IDSET_H
#define RB_IDSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct rb_idset {
	const char **names;
	size_t *lens;
	uint32_t *idx;
	size_t cap, count;      /* cap is a power of two, or 0 */
} rb_idset;

/* An empty set; rb_idset_free releases what it grew to. */
#define RB_IDSET_INIT {0}

/* Add name with index; returns 1 when added, 0 when the name was already
 * there (*first receives the index it was added with first), -1 when
 * memory ran out. */
int rb_idset_add(rb_idset *set, const char *name, size_t len, uint32_t index, uint32_t *first);

/* The index name was added with, or -1. */
int64_t rb_idset_find(const rb_idset *set, const char *name, size_t len);

void rb_idset_free(rb_idset *set);

#endif
