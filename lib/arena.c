#include "arena.h"
#include "alloc.h"

#include <stdint.h>
#include <string.h>

struct rb_arena_block {
	rb_arena_block *next;
	size_t size;
	size_t used;
	max_align_t data[];
};

#define RB_ARENA_BLOCK_MIN 8192u

void rb_arena_init(rb_arena *a)
{
	a->head = NULL;
	a->used = 0;
}

void rb_arena_release(rb_arena *a)
{
	rb_arena_block *b = a->head;
	while (b) {
		rb_arena_block *next = b->next;
		rb_free(b);
		b = next;
	}
	a->head = NULL;
	a->used = 0;
}

void rb_arena_reset(rb_arena *a)
{
	rb_arena_block *keep = a->head;
	if (!keep)
		return;
	/* keep the largest block: large one-off blocks sit behind the head */
	for (rb_arena_block *b = keep->next; b; b = b->next)
		if (b->size > keep->size)
			keep = b;
	rb_arena_block *b = a->head;
	while (b) {
		rb_arena_block *next = b->next;
		if (b != keep)
			rb_free(b);
		b = next;
	}
	keep->next = NULL;
	keep->used = 0;
	a->head = keep;
	a->used = 0;
}

void *rb_arena_alloc(rb_arena *a, size_t size)
{
	const size_t align = sizeof(max_align_t);
	if (size == 0)
		size = 1;
	if (size > SIZE_MAX - align)
		return NULL;
	size = (size + align - 1) / align * align;

	rb_arena_block *b = a->head;
	if (!b || b->size - b->used < size) {
		size_t cap = size > RB_ARENA_BLOCK_MIN ? size : RB_ARENA_BLOCK_MIN;
		if (b && b->size * 2 > cap && b->size < (1u << 20))
			cap = b->size * 2;
		if (cap > SIZE_MAX - sizeof(*b))
			return NULL;
		rb_arena_block *nb = rb_malloc(sizeof(*nb) + cap);
		if (!nb)
			return NULL;
		nb->size = cap;
		nb->used = 0;
		/* A large one-off allocation goes behind the current block so the
		 * current block's free space stays usable. */
		if (b && size > RB_ARENA_BLOCK_MIN && b->size - b->used > 256) {
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->head = nb;
		}
		b = nb;
	}
	void *p = (char *)b->data + b->used;
	b->used += size;
	a->used += size;
	memset(p, 0, size);
	return p;
}

void *rb_arena_calloc(rb_arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return rb_arena_alloc(a, n * size);
}

char *rb_arena_strndup(rb_arena *a, const char *s, size_t len)
{
	if (len == SIZE_MAX)
		return NULL;
	char *p = rb_arena_alloc(a, len + 1);
	if (!p)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *rb_arena_strdup(rb_arena *a, const char *s)
{
	return rb_arena_strndup(a, s, strlen(s));
}
