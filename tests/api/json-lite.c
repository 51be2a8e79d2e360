#include "json-lite.h"

#include <stdlib.h>
#include <string.h>

typedef struct jp {
	const char *s;
	size_t len, pos;
	int depth;
} jp;

static void ws(jp *p)
{
	while (p->pos < p->len && strchr(" \t\r\n", p->s[p->pos]) && p->s[p->pos])
		p->pos++;
}

static jv *mk(jkind k)
{
	jv *v = calloc(1, sizeof(*v));
	if (v)
		v->kind = k;
	return v;
}

static int push(jv *v, jv *item, char *key)
{
	jv **items = realloc(v->items, (v->count + 1) * sizeof(*items));
	if (!items)
		return -1;
	v->items = items;
	if (v->kind == J_OBJECT) {
		char **keys = realloc(v->keys, (v->count + 1) * sizeof(*keys));
		if (!keys)
			return -1;
		v->keys = keys;
		v->keys[v->count] = key;
	}
	v->items[v->count++] = item;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int hex4(jp *p, unsigned *out)
{
	if (p->len - p->pos < 4)
		return -1;
	unsigned u = 0;
	for (int i = 0; i < 4; i++) {
		int h = hexval(p->s[p->pos + (size_t)i]);
		if (h < 0)
			return -1;
		u = u * 16 + (unsigned)h;
	}
	p->pos += 4;
	*out = u;
	return 0;
}

static size_t utf8(unsigned cp, char *o)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* A string starting at the opening quote; returns the decoded text. */
static char *string(jp *p)
{
	p->pos++;
	char *out = malloc(p->len - p->pos + 1);
	size_t n = 0;
	if (!out)
		return NULL;
	while (p->pos < p->len) {
		unsigned char c = (unsigned char)p->s[p->pos++];
		if (c == '"') {
			out[n] = '\0';
			return out;
		}
		if (c < 0x20)
			break;
		if (c != '\\') {
			out[n++] = (char)c;
			continue;
		}
		if (p->pos >= p->len)
			break;
		char e = p->s[p->pos++];
		const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
		const char *k = e ? strchr(from, e) : NULL;
		if (k) {
			out[n++] = to[k - from];
			continue;
		}
		unsigned cp;
		if (e != 'u' || hex4(p, &cp) < 0)
			break;
		if (cp >= 0xD800 && cp < 0xDC00) {
			unsigned lo;
			if (p->len - p->pos < 2 || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u')
				break;
			p->pos += 2;
			if (hex4(p, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF)
				break;
			cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
		} else if (cp >= 0xDC00 && cp < 0xE000) {
			break;
		}
		n += utf8(cp, out + n);
	}
	free(out);
	return NULL;
}

static int digits(jp *p)
{
	size_t start = p->pos;
	while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
		p->pos++;
	return p->pos > start;
}

static jv *value(jp *p);

static jv *number(jp *p)
{
	size_t start = p->pos;
	if (p->s[p->pos] == '-')
		p->pos++;
	if (p->pos < p->len && p->s[p->pos] == '0')
		p->pos++;
	else if (!digits(p))
		return NULL;
	if (p->pos < p->len && p->s[p->pos] == '.') {
		p->pos++;
		if (!digits(p))
			return NULL;
	}
	if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
			p->pos++;
		if (!digits(p))
			return NULL;
	}
	jv *v = mk(J_NUMBER);
	if (!v)
		return NULL;
	v->text = malloc(p->pos - start + 1);
	if (!v->text) {
		free(v);
		return NULL;
	}
	memcpy(v->text, p->s + start, p->pos - start);
	v->text[p->pos - start] = '\0';
	return v;
}

static jv *literal(jp *p, const char *word, jkind k, int b)
{
	size_t n = strlen(word);
	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
		return NULL;
	p->pos += n;
	jv *v = mk(k);
	if (v)
		v->boolean = b;
	return v;
}

static jv *container(jp *p, int obj)
{
	jv *v = mk(obj ? J_OBJECT : J_ARRAY);
	if (!v || ++p->depth > 200)
		goto bad;
	p->pos++;
	ws(p);
	if (p->pos < p->len && p->s[p->pos] == (obj ? '}' : ']')) {
		p->pos++;
		p->depth--;
		return v;
	}
	for (;;) {
		char *key = NULL;
		ws(p);
		if (obj) {
			if (p->pos >= p->len || p->s[p->pos] != '"' || !(key = string(p)))
				goto bad;
			ws(p);
			if (p->pos >= p->len || p->s[p->pos] != ':') {
				free(key);
				goto bad;
			}
			p->pos++;
		}
		jv *item = value(p);
		if (!item || push(v, item, key) < 0) {
			free(key);
			json_free(item);
			goto bad;
		}
		ws(p);
		if (p->pos >= p->len)
			goto bad;
		char c = p->s[p->pos++];
		if (c == (obj ? '}' : ']'))
			break;
		if (c != ',')
			goto bad;
	}
	p->depth--;
	return v;
bad:
	json_free(v);
	return NULL;
}

static jv *value(jp *p)
{
	ws(p);
	if (p->pos >= p->len)
		return NULL;
	char c = p->s[p->pos];
	switch (c) {
	case '{':
		return container(p, 1);
	case '[':
		return container(p, 0);
	case '"': {
		char *s = string(p);
		jv *v = s ? mk(J_STRING) : NULL;
		if (!v) {
			free(s);
			return NULL;
		}
		v->text = s;
		return v;
	}
	case 't':
		return literal(p, "true", J_BOOL, 1);
	case 'f':
		return literal(p, "false", J_BOOL, 0);
	case 'n':
		return literal(p, "null", J_NULL, 0);
	default:
		if (c == '-' || (c >= '0' && c <= '9'))
			return number(p);
		return NULL;
	}
}

jv *json_parse(const char *text, size_t len)
{
	jp p = {text, len, 0, 0};
	jv *v = value(&p);
	if (!v)
		return NULL;
	ws(&p);
	if (p.pos != len) {
		json_free(v);
		return NULL;
	}
	return v;
}

void json_free(jv *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->count; i++) {
		json_free(v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->text);
	free(v);
}

const jv *json_path(const jv *v, const char *path)
{
	while (v && *path) {
		const char *end = strchr(path, '/');
		size_t n = end ? (size_t)(end - path) : strlen(path);
		const jv *next = NULL;
		if (v->kind == J_OBJECT) {
			for (size_t i = 0; i < v->count; i++)
				if (strlen(v->keys[i]) == n && memcmp(v->keys[i], path, n) == 0)
					next = v->items[i];
		} else if (v->kind == J_ARRAY) {
			char *stop;
			unsigned long k = strtoul(path, &stop, 10);
			if (stop == path + n && k < v->count)
				next = v->items[k];
		}
		v = next;
		path += n;
		if (*path == '/')
			path++;
	}
	return v;
}

const char *json_text(const jv *v, const char *path)
{
	const jv *x = json_path(v, path);
	return x && (x->kind == J_STRING || x->kind == J_NUMBER) ? x->text : NULL;
}
