#include "idset.h"
#include "alloc.h"

#include <string.h>

static uint64_t hash(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return h ^ (h >> 29);
}

static size_t slot(const char *const *names, const size_t *lens, size_t cap, const char *name,
		   size_t len)
{
	size_t mask = cap - 1;
	size_t h = (size_t)hash(name, len) & mask;
	while (names[h] && !(lens[h] == len && memcmp(names[h], name, len) == 0))
		h = (h + 1) & mask;
	return h;
}

static int grow(rb_idset *set)
{
	size_t cap = set->cap ? set->cap * 2 : 16;
	const char **names = rb_calloc(cap, sizeof(*names));
	size_t *lens = rb_calloc(cap, sizeof(*lens));
	uint32_t *idx = rb_calloc(cap, sizeof(*idx));
	if (!names || !lens || !idx) {
		rb_free(names);
		rb_free(lens);
		rb_free(idx);
		return -1;
	}
	for (size_t i = 0; i < set->cap; i++)
		if (set->names[i]) {
			size_t h = slot(names, lens, cap, set->names[i], set->lens[i]);
			names[h] = set->names[i];
			lens[h] = set->lens[i];
			idx[h] = set->idx[i];
		}
	rb_free(set->names);
	rb_free(set->lens);
	rb_free(set->idx);
	set->names = names;
	set->lens = lens;
	set->idx = idx;
	set->cap = cap;
	return 0;
}

int rb_idset_add(rb_idset *set, const char *name, size_t len, uint32_t index, uint32_t *first)
{
	if ((set->count + 1) * 2 > set->cap && grow(set) < 0)
		return -1;
	/* A NULL name (an item whose id was missing) is never a duplicate. */
	if (!name)
		return 1;
	size_t h = slot(set->names, set->lens, set->cap, name, len);
	if (set->names[h]) {
		if (first)
			*first = set->idx[h];
		return 0;
	}
	set->names[h] = name;
	set->lens[h] = len;
	set->idx[h] = index;
	set->count++;
	return 1;
}

int64_t rb_idset_find(const rb_idset *set, const char *name, size_t len)
{
	if (!set->cap || !name)
		return -1;
	size_t h = slot(set->names, set->lens, set->cap, name, len);
	return set->names[h] ? (int64_t)set->idx[h] : -1;
}

void rb_idset_free(rb_idset *set)
{
	rb_free(set->names);
	rb_free(set->lens);
	rb_free(set->idx);
	*set = (rb_idset)RB_IDSET_INIT;
}
