#include "json.h"
#include "alloc.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int hex4(const char *s, size_t avail, uint32_t *out)
{
	if (avail < 4)
		return -1;
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v |= (uint32_t)((c | 0x20) - 'a' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* At i: "\uD8xx\uDCxx" (the backslash not itself escaped)? */
static bool pair_at(const char *s, size_t len, size_t i, uint32_t *cp)
{
	uint32_t hi, lo;
	if (i + 12 > len || s[i] != '\\' || s[i + 1] != 'u' || hex4(s + i + 2, len - i - 2, &hi) ||
	    hi < 0xD800 || hi > 0xDBFF || s[i + 6] != '\\' || s[i + 7] != 'u' ||
	    hex4(s + i + 8, len - i - 8, &lo) || lo < 0xDC00 || lo > 0xDFFF)
		return false;
	size_t bs = 0;
	while (bs < i && s[i - 1 - bs] == '\\')
		bs++;
	if (bs % 2)
		return false;
	*cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
	return true;
}

char *rb_json_rewrite_surrogates(const char *s, size_t len, size_t *outlen, int *nomem)
{
	*nomem = 0;
	uint32_t cp;
	size_t i = 0;
	for (; i < len; i++)
		if (s[i] == '\\' && pair_at(s, len, i, &cp))
			break;
	if (i == len)
		return NULL;
	char *out = rb_malloc(len + 1);
	if (!out) {
		*nomem = 1;
		return NULL;
	}
	size_t n = 0;
	for (i = 0; i < len;) {
		if (s[i] == '\\' && pair_at(s, len, i, &cp)) {
			n += (size_t)snprintf(out + n, len + 1 - n, "\\U%08X", (unsigned)cp);
			i += 12;
			continue;
		}
		/* keep other escapes whole so "\\\\u..." is not misread */
		if (s[i] == '\\' && i + 1 < len) {
			out[n++] = s[i++];
		}
		out[n++] = s[i++];
	}
	out[n] = '\0';
	*outlen = n;
	return out;
}
