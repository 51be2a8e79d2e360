/* Region allocator: every object of a loaded document or a compiled rulebook
 * lives in one arena and is released with it, so no structure needs its own
 * free function and no error path can leak a partial tree. */
#ifndef RB_ARENA_H
#define RB_ARENA_H

#include <stddef.h>

typedef struct rb_arena_block rb_arena_block;

typedef struct rb_arena {
	rb_arena_block *head;
	size_t used;   /* bytes handed out, for limits and statistics */
} rb_arena;

void rb_arena_init(rb_arena *a);
void rb_arena_release(rb_arena *a);
/* Forget every allocation but keep the most recent block for reuse, so an
 * arena emptied once per record stops allocating once it is large enough. */
void rb_arena_reset(rb_arena *a);

/* Zero-filled, aligned for any type; NULL when memory runs out. */
void *rb_arena_alloc(rb_arena *a, size_t size);
/* n * size with overflow check. */
void *rb_arena_calloc(rb_arena *a, size_t n, size_t size);
/* A NUL-terminated copy of s[0..len). */
char *rb_arena_strndup(rb_arena *a, const char *s, size_t len);
char *rb_arena_strdup(rb_arena *a, const char *s);

#endif
