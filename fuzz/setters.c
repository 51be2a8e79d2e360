/* The length-counted entry points the bindings use, with any bytes:
 * rulebook_input_index, rulebook_facts_set_text_at, _set_decimal_at and
 * rulebook_facts_set_id against the Lin'an enterprise rulebook. The first
 * byte picks the entry point, the second the input; the rest is the name or
 * value, NUL bytes included. Promises checked: a name is found only when it
 * is exactly an input's id (a NUL never cuts it), a value holding a NUL is
 * refused, and a refused value leaves the facts as they were. */
#include "common.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static char *render(const rulebook *rb, const rulebook_facts *f, rulebook_result *res)
{
	const char *out = NULL;
	size_t len = 0;
	if (rulebook_eval(rb, f, 20230630, res, NULL) != RULEBOOK_OK ||
	    rulebook_result_json(res, 0, &out, &len) != RULEBOOK_OK)
		abort();
	fuzz_check_json(out, len);
	char *copy = malloc(len + 1);
	if (!copy)
		abort();
	memcpy(copy, out, len + 1);
	return copy;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	const rulebook *rb = fuzz_rulebook("rules/linan/enterprise.yaml");
	size_t ninputs = rulebook_input_count(rb);
	int which = data[0] % 4;
	size_t input = data[1] % ninputs;
	const char *bytes = (const char *)data + 2;
	size_t len = size - 2;
	bool has_nul = memchr(bytes, 0, len) != NULL;

	if (which == 0) {
		size_t idx = (size_t)-1;
		rulebook_status st = rulebook_input_index(rb, bytes, len, &idx);
		if (st == RULEBOOK_OK) {
			const char *name = rulebook_input_name(rb, idx);
			if (has_nul || idx >= ninputs || strlen(name) != len || memcmp(name, bytes, len) != 0)
				abort();
		} else if (st != RULEBOOK_ERR_NOT_FOUND) {
			abort();
		}
		return 0;
	}
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	rulebook_error *err = rulebook_error_new();
	if (!f || !res || !err)
		abort();
	if (rulebook_facts_set_decimal(f, "tax", "1158.1", err) != RULEBOOK_OK ||
	    rulebook_facts_set_id(f, "base", 4) != RULEBOOK_OK)
		abort();
	char *before = render(rb, f, res);
	rulebook_status st;
	if (which == 1) {
		st = rulebook_facts_set_text_at(f, input, bytes, len, err);
		fuzz_check_status(st, err);
	} else if (which == 2) {
		st = rulebook_facts_set_decimal_at(f, input, bytes, len, err);
		fuzz_check_status(st, err);
	} else {
		st = rulebook_facts_set_id(f, bytes, len);
	}
	if (has_nul && st == RULEBOOK_OK)
		abort();
	char *after = render(rb, f, res);
	if (st != RULEBOOK_OK && strcmp(before, after) != 0)
		abort();
	free(before);
	free(after);
	rulebook_error_free(err);
	rulebook_result_free(res);
	rulebook_facts_free(f);
	return 0;
}
