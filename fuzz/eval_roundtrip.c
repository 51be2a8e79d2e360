/* Facts JSON through evaluation to output: the bytes are set as facts for
 * each of several shipped rulebooks (most refuse a record meant for
 * another); each that accepts them is evaluated, alone and as a
 * population, and rendered as JSON (checked well-formed) and as an
 * explanation. rulebook_eval_json gets the bytes too, for arrays. */
#include "common.h"

#include <stdlib.h>
#include <string.h>

static const char *const books[] = {
	"rules/linan/enterprise.yaml",
	"rules/linan/project.yaml",
	"rules/zhejiang/mujun-evaluation.yaml",
	"tests/rules/scorecard.yaml",
	"tests/rules/targets.yaml",
	"tests/rules/population.yaml",
	"rules/zhejiang/standard-land.yaml",  /* tables, rules about rules */
	"bench/enterprise-year.yaml",         /* if/then/else, text inputs */
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *json = (const char *)data;
	int32_t as_of = fuzz_pick_date(data, size);
	rulebook_error *err = rulebook_error_new();
	if (!err)
		abort();
	for (size_t b = 0; b < sizeof books / sizeof books[0]; b++) {
		const rulebook *rb = fuzz_rulebook(books[b]);
		rulebook_facts *f = rulebook_facts_new(rb);
		rulebook_result *res = rulebook_result_new(rb);
		if (!f || !res)
			abort();
		rulebook_status st = rulebook_facts_set_json(f, json, size, err);
		fuzz_check_status(st, err);
		if (st == RULEBOOK_OK) {
			fuzz_eval_all(rb, f, res, as_of);
			const rulebook_facts *records[2] = {f, f};
			fuzz_population(rb, records, 2, as_of);
		}
		char *out = NULL;
		size_t len = 0;
		st = rulebook_eval_json(rb, json, size, as_of, b % 2 ? RULEBOOK_OUT_PRETTY : 0, &out,
					&len, err);
		fuzz_check_status(st, err);
		if (st == RULEBOOK_OK)
			fuzz_check_json(out, len);
		else if (out)
			abort();
		rulebook_mem_free(out);
		rulebook_result_free(res);
		rulebook_facts_free(f);
	}
	rulebook_error_free(err);
	return 0;
}
