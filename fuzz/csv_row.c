/* A CSV row: the bytes are parsed by libcsv (strict, as the command-line
 * tool reads files) as one line; cell i sets input i of the Lin'an
 * enterprise rulebook with rulebook_facts_set_text_at (an empty cell marks
 * the input missing), then the record is evaluated. */
#include "common.h"

#include <csv.h>

#include <stdlib.h>
#include <string.h>

typedef struct row {
	const rulebook *rb;
	rulebook_facts *facts;
	rulebook_error *err;
	size_t col;
	int done;  /* the first row ended: later rows are ignored */
} row;

static void on_field(void *s, size_t len, void *payload)
{
	row *r = payload;
	if (r->done)
		return;
	size_t i = r->col++;
	if (i >= rulebook_input_count(r->rb))
		return;
	rulebook_status st;
	if (!s) {
		st = rulebook_facts_set_missing_at(r->facts, i);
		if (st != RULEBOOK_OK)
			abort();
		return;
	}
	st = rulebook_facts_set_text_at(r->facts, i, s, len, r->err);
	fuzz_check_status(st, r->err);
	if (st != RULEBOOK_OK && st != RULEBOOK_ERR_VALUE && st != RULEBOOK_ERR_RANGE)
		abort();
}

static void on_row(int c, void *payload)
{
	(void)c;
	((row *)payload)->done = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	row r = {0};
	r.rb = fuzz_rulebook("rules/linan/enterprise.yaml");
	r.facts = rulebook_facts_new(r.rb);
	r.err = rulebook_error_new();
	rulebook_result *res = rulebook_result_new(r.rb);
	if (!r.facts || !r.err || !res)
		abort();
	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL) != 0)
		abort();
	csv_parse(&p, data, size, on_field, on_row, &r);
	csv_fini(&p, on_field, on_row, &r);
	csv_free(&p);
	fuzz_eval_all(r.rb, r.facts, res, fuzz_pick_date(data, size));
	rulebook_result_free(res);
	rulebook_error_free(r.err);
	rulebook_facts_free(r.facts);
	return 0;
}
