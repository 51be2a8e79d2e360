/* A small JSON reader for the documents the library writes
 * (rulebook_result_json, rulebook_population_json), where the tool needs
 * figures that the C API does not hand out one by one, and a writer for
 * JSON strings. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 256

typedef struct parser {
	const char *s;
	size_t len, at;
	bool failed;
} parser;

void cli_json_free(cli_json *j)
{
	while (j) {
		cli_json *next = j->next;
		cli_json_free(j->child);
		free(j->text);
		free(j->key);
		free(j);
		j = next;
	}
}

static void skip_space(parser *p)
{
	while (p->at < p->len && (p->s[p->at] == ' ' || p->s[p->at] == '\t' ||
				  p->s[p->at] == '\n' || p->s[p->at] == '\r'))
		p->at++;
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

static long read_hex4(parser *p)
{
	if (p->at + 4 > p->len)
		return -1;
	long v = 0;
	for (int i = 0; i < 4; i++) {
		int d = hex_digit(p->s[p->at + (size_t)i]);
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	p->at += 4;
	return v;
}

static size_t put_utf8(char *o, unsigned long cp)
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

/* A string at p->at (the opening quote), decoded into a new buffer. */
static char *read_string(parser *p)
{
	if (p->at >= p->len || p->s[p->at] != '"')
		return NULL;
	p->at++;
	size_t start = p->at;
	while (p->at < p->len && p->s[p->at] != '"')
		p->at += p->s[p->at] == '\\' ? 2 : 1;
	if (p->at >= p->len)
		return NULL;
	size_t end = p->at;
	p->at = start;
	/* Escapes never grow: \uXXXX (6 bytes) is at most 3 bytes of UTF-8,
	 * a pair (12 bytes) 4. */
	char *out = malloc(end - start + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	while (p->at < end) {
		char c = p->s[p->at++];
		if (c != '\\') {
			out[o++] = c;
			continue;
		}
		char e = p->s[p->at++];
		switch (e) {
		case 'n': out[o++] = '\n'; break;
		case 't': out[o++] = '\t'; break;
		case 'r': out[o++] = '\r'; break;
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'u': {
			long cp = read_hex4(p);
			if (cp >= 0xD800 && cp <= 0xDBFF && p->at + 6 <= end && p->s[p->at] == '\\' &&
			    p->s[p->at + 1] == 'u') {
				p->at += 2;
				long lo = read_hex4(p);
				if (lo >= 0xDC00 && lo <= 0xDFFF)
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				else
					cp = -1;
			}
			if (cp < 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
				free(out);
				return NULL;
			}
			o += put_utf8(out + o, (unsigned long)cp);
			break;
		}
		default: out[o++] = e; break; /* \" \\ \/ */
		}
	}
	out[o] = '\0';
	p->at = end + 1;
	return out;
}

static cli_json *parse_value(parser *p, int depth);

static cli_json *new_node(cli_json_type type)
{
	cli_json *j = calloc(1, sizeof(*j));
	if (j)
		j->type = type;
	return j;
}

static cli_json *parse_container(parser *p, int depth, bool object)
{
	cli_json *j = new_node(object ? CLI_JSON_OBJECT : CLI_JSON_ARRAY);
	if (!j)
		return NULL;
	cli_json **tail = &j->child;
	p->at++;
	skip_space(p);
	char close = object ? '}' : ']';
	if (p->at < p->len && p->s[p->at] == close) {
		p->at++;
		return j;
	}
	for (;;) {
		char *key = NULL;
		skip_space(p);
		if (object) {
			key = read_string(p);
			skip_space(p);
			if (!key || p->at >= p->len || p->s[p->at] != ':') {
				free(key);
				break;
			}
			p->at++;
		}
		cli_json *v = parse_value(p, depth + 1);
		if (!v) {
			free(key);
			break;
		}
		v->key = key;
		*tail = v;
		tail = &v->next;
		skip_space(p);
		if (p->at < p->len && p->s[p->at] == ',') {
			p->at++;
			continue;
		}
		if (p->at < p->len && p->s[p->at] == close) {
			p->at++;
			return j;
		}
		break;
	}
	cli_json_free(j);
	return NULL;
}

static cli_json *parse_value(parser *p, int depth)
{
	skip_space(p);
	if (p->at >= p->len || depth > MAX_DEPTH)
		return NULL;
	char c = p->s[p->at];
	if (c == '{' || c == '[')
		return parse_container(p, depth, c == '{');
	if (c == '"') {
		char *s = read_string(p);
		cli_json *j = s ? new_node(CLI_JSON_STRING) : NULL;
		if (!j) {
			free(s);
			return NULL;
		}
		j->text = s;
		return j;
	}
	static const struct {
		const char *word;
		cli_json_type type;
	} words[] = {{"null", CLI_JSON_NULL}, {"true", CLI_JSON_TRUE}, {"false", CLI_JSON_FALSE}};
	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(words[i].word);
		if (p->len - p->at >= n && memcmp(p->s + p->at, words[i].word, n) == 0) {
			p->at += n;
			return new_node(words[i].type);
		}
	}
	size_t start = p->at;
	while (p->at < p->len && strchr("+-0123456789.eE", p->s[p->at]))
		p->at++;
	if (p->at == start)
		return NULL;
	cli_json *j = new_node(CLI_JSON_NUMBER);
	if (!j)
		return NULL;
	j->text = malloc(p->at - start + 1);
	if (!j->text) {
		free(j);
		return NULL;
	}
	memcpy(j->text, p->s + start, p->at - start);
	j->text[p->at - start] = '\0';
	return j;
}

cli_json *cli_json_parse(const char *text, size_t len)
{
	parser p = {text, len, 0, false};
	cli_json *j = parse_value(&p, 0);
	skip_space(&p);
	if (j && p.at != len) {
		cli_json_free(j);
		return NULL;
	}
	return j;
}

const cli_json *cli_json_get(const cli_json *obj, const char *key)
{
	if (!obj || obj->type != CLI_JSON_OBJECT)
		return NULL;
	for (const cli_json *m = obj->child; m; m = m->next)
		if (m->key && strcmp(m->key, key) == 0)
			return m;
	return NULL;
}

const char *cli_json_text(const cli_json *j)
{
	return j && (j->type == CLI_JSON_STRING || j->type == CLI_JSON_NUMBER) ? j->text : NULL;
}

const char *cli_json_get_text(const cli_json *obj, const char *key)
{
	return cli_json_text(cli_json_get(obj, key));
}

void cli_json_put_string(FILE *fp, const char *s)
{
	if (!s) {
		fputs("null", fp);
		return;
	}
	fputc('"', fp);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(fp, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", fp);
		else if (*p < 0x20 || *p == 0x7F)
			fprintf(fp, "\\u%04x", *p);
		else
			fputc(*p, fp);
	}
	fputc('"', fp);
}
