/* A small strict JSON reader for checking the library's JSON output: it
 * refuses anything RFC 8259 does not allow and gives a tree to query. */
#ifndef API_JSON_LITE_H
#define API_JSON_LITE_H

#include <stddef.h>

typedef enum jkind { J_NULL, J_BOOL, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT } jkind;

typedef struct jv jv;
struct jv {
	jkind kind;
	char *text;     /* J_STRING: the decoded string; J_NUMBER: the number as written */
	int boolean;    /* J_BOOL */
	size_t count;   /* J_ARRAY, J_OBJECT */
	jv **items;
	char **keys;    /* J_OBJECT */
};

/* NULL when text is not exactly one well-formed JSON value (whitespace
 * around it allowed). */
jv *json_parse(const char *text, size_t len);
void json_free(jv *v);
/* Follow a path of object keys and array indexes separated by '/'
 * ("rules/0/verdict"); NULL when a step does not exist. */
const jv *json_path(const jv *v, const char *path);
/* The text of a string or number at path, NULL otherwise. */
const char *json_text(const jv *v, const char *path);

#endif
