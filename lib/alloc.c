#include "alloc.h"
#include "rulebook.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *std_malloc(size_t n, void *payload) { (void)payload; return malloc(n); }
static void *std_realloc(void *p, size_t n, void *payload) { (void)payload; return realloc(p, n); }
static void std_free(void *p, void *payload) { (void)payload; free(p); }

static rulebook_malloc_fn g_malloc = std_malloc;
static rulebook_realloc_fn g_realloc = std_realloc;
static rulebook_free_fn g_free = std_free;
static void *g_payload;

RULEBOOK_API void rulebook_set_allocator(rulebook_malloc_fn m, rulebook_realloc_fn r,
					 rulebook_free_fn f, void *payload)
{
	if (!m || !r || !f) {
		g_malloc = std_malloc;
		g_realloc = std_realloc;
		g_free = std_free;
		g_payload = NULL;
		return;
	}
	g_malloc = m;
	g_realloc = r;
	g_free = f;
	g_payload = payload;
}

void *rb_malloc(size_t size)
{
	return g_malloc(size ? size : 1, g_payload);
}

void *rb_calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	void *p = rb_malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void *rb_realloc(void *p, size_t size)
{
	if (!p)
		return rb_malloc(size);
	return g_realloc(p, size ? size : 1, g_payload);
}

void rb_free(void *p)
{
	if (p)
		g_free(p, g_payload);
}

char *rb_strndup(const char *s, size_t len)
{
	if (len == SIZE_MAX)
		return NULL;
	char *p = rb_malloc(len + 1);
	if (!p)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

int rb_grow(void **items, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return -1;
		ncap *= 2;
	}
	if (elem && ncap > SIZE_MAX / elem)
		return -1;
	void *p = rb_realloc(*items, ncap * elem);
	if (!p)
		return -1;
	*items = p;
	*cap = ncap;
	return 0;
}
