/* Rulebook text: rulebook_load_buffer on the raw bytes. A rulebook that
 * compiles is linted, run against its own test cases and evaluated with no
 * facts, so every stage after loading sees what the loader accepted. */
#include "common.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rulebook_options *opts = rulebook_options_new();
	rulebook_error *err = rulebook_error_new();
	if (!opts || !err)
		abort();
	/* `extends` may name any file: keep what a fuzzed one can read small. */
	rulebook_options_set_limit(opts, RULEBOOK_LIMIT_FILE_SIZE, 1u << 20);
	rulebook *rb = (rulebook *)opts;
	/* A name in no real directory, so relative `extends` paths resolve to
	 * nothing. */
	rulebook_status st = rulebook_load_buffer((const char *)data, size,
						  "/nonexistent/fuzz/load.yaml", opts, &rb, err);
	fuzz_check_status(st, err);
	if ((st == RULEBOOK_OK) != (rb != NULL))
		abort();
	if (rb) {
		if (rulebook_lint(rb, 20230630, err) != RULEBOOK_OK)
			abort();
		rulebook_test_report *report = NULL;
		st = rulebook_run_tests(rb, &report, err);
		if (st != RULEBOOK_OK && st != RULEBOOK_ERR_TEST)
			abort();
		for (size_t i = 0; i < rulebook_test_report_failed(report); i++) {
			const char *s = rulebook_test_report_actual(report, i);
			if (s)
				fuzz_check_text(s, strlen(s));
		}
		rulebook_test_report_free(report);
		rulebook_facts *facts = rulebook_facts_new(rb);
		rulebook_result *res = rulebook_result_new(rb);
		if (!facts || !res)
			abort();
		int32_t as_of = fuzz_pick_date(data, size);
		fuzz_eval_all(rb, facts, res, as_of);
		const rulebook_facts *records[1] = {facts};
		fuzz_population(rb, records, 1, as_of);
		rulebook_result_free(res);
		rulebook_facts_free(facts);
		rulebook_free(rb);
	}
	rulebook_error_free(err);
	rulebook_options_free(opts);
	return 0;
}
