/* Facts from JSON: rulebook_facts_set_json on the raw bytes against the
 * Lin'an enterprise rulebook. A refused record must leave the facts as
 * they were, so the evaluation before and after must render the same. */
#include "common.h"

#include <stdlib.h>
#include <string.h>

static const char base[] =
	"{\"_id\": \"base\", \"above_scale\": true, \"land_area\": 31.3, \"tax\": 1158.1,"
	" \"remedy_path\": \"改造提升\", \"rectification_deadline\": \"2023-06-30\"}";

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
	const rulebook *rb = fuzz_rulebook("rules/linan/enterprise.yaml");
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	rulebook_error *err = rulebook_error_new();
	if (!f || !res || !err)
		abort();
	if (rulebook_facts_set_json(f, base, strlen(base), err) != RULEBOOK_OK)
		abort();
	char *before = render(rb, f, res);
	rulebook_status st = rulebook_facts_set_json(f, (const char *)data, size, err);
	fuzz_check_status(st, err);
	if (st != RULEBOOK_OK) {
		char *after = render(rb, f, res);
		if (strcmp(before, after) != 0)
			abort();
		free(after);
	} else {
		/* Setting the same record again changes nothing. */
		char *once = render(rb, f, res);
		if (rulebook_facts_set_json(f, (const char *)data, size, err) != RULEBOOK_OK)
			abort();
		char *twice = render(rb, f, res);
		if (strcmp(once, twice) != 0)
			abort();
		free(once);
		free(twice);
	}
	free(before);
	rulebook_error_free(err);
	rulebook_result_free(res);
	rulebook_facts_free(f);
	return 0;
}
