/* Evaluate one enterprise against a rulebook and print, for every rule, its
 * verdict, message, gap and obligations.
 *
 *   evaluate-enterprise [RULEBOOK.yaml [YYYY-MM-DD]]
 *
 * The defaults are examples/data/enterprise-basic.yaml and 2023-06-30. */
#include <rulebook.h>

#include <stdio.h>
#include <string.h>

static void print_errors(const rulebook_error *err)
{
	for (size_t i = 0; i < rulebook_error_count(err); i++) {
		const char *file = rulebook_error_file(err, i);
		fprintf(stderr, "%s:%u:%u: %s\n", file ? file : "", rulebook_error_line(err, i),
			rulebook_error_column(err, i), rulebook_error_message(err, i));
	}
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "examples/data/enterprise-basic.yaml";
	const char *date = argc > 2 ? argv[2] : "2023-06-30";
	int status = 1;
	rulebook *rb = NULL;
	rulebook_facts *facts = NULL;
	rulebook_result *res = NULL;
	rulebook_error *err = rulebook_error_new();
	if (!err)
		return 1;

	/* Load and compile the rulebook. Every mistake in it is reported with
	 * its file, line and column. */
	if (rulebook_load_file(path, NULL, &rb, err) != RULEBOOK_OK) {
		print_errors(err);
		goto done;
	}

	/* Dates cross the API as YYYYMMDD integers. */
	int32_t as_of;
	if (rulebook_date_parse(date, strlen(date), &as_of) != RULEBOOK_OK) {
		fprintf(stderr, "%s: not a date (YYYY-MM-DD)\n", date);
		goto done;
	}

	/* The facts of one enterprise, set by input name. Numbers go in as
	 * decimal text, so nothing is lost to binary floating point; a value
	 * may carry its own unit and is converted exactly (20000 m² = 30 亩).
	 * Inputs left unset are missing: rules that need them are "unknown". */
	facts = rulebook_facts_new(rb);
	res = rulebook_result_new(rb);
	if (!facts || !res) {
		fprintf(stderr, "out of memory\n");
		goto done;
	}
	if (rulebook_facts_set_decimal(facts, "tax", "984", err) != RULEBOOK_OK ||
	    rulebook_facts_set_decimal(facts, "land_area", "20000 m²", err) != RULEBOOK_OK ||
	    rulebook_facts_set_int(facts, "rd_expense", 180, err) != RULEBOOK_OK ||
	    rulebook_facts_set_decimal(facts, "revenue", "1e4", err) != RULEBOOK_OK ||
	    rulebook_facts_set_decimal(facts, "converted_area", "15", err) != RULEBOOK_OK) {
		print_errors(err);
		goto done;
	}

	/* Evaluate as of the date: parameters take the value in force then,
	 * and rules outside their validity are "not_in_force". */
	if (rulebook_eval(rb, facts, as_of, res, err) != RULEBOOK_OK) {
		print_errors(err);
		goto done;
	}

	printf("%s, as of %s\n", rulebook_title(rb, "en"), date);
	for (size_t i = 0; i < rulebook_rule_count(rb); i++) {
		rulebook_verdict v = rulebook_result_verdict(res, i);
		printf("\n%s (clause %s): %s\n", rulebook_rule_id(rb, i), rulebook_rule_cite(rb, i),
		       rulebook_verdict_str(v));
		/* The message, placeholders filled in (Chinese: "zh"). */
		const char *msg = rulebook_result_message(res, i, "en");
		if (msg[0])
			printf("  %s\n", msg);
		/* For a failed threshold: the change needed to meet it. */
		const char *gap = rulebook_result_gap(res, i);
		if (gap)
			printf("  gap: %s\n", gap);
		/* For an unknown rule: the inputs that are missing. */
		for (size_t j = 0; j < rulebook_result_missing_count(res, i); j++)
			printf("  missing: %s\n", rulebook_result_missing(res, i, j));
		/* Amounts the rule requires when it applies. */
		for (size_t j = 0; j < rulebook_result_obligation_count(res, i); j++) {
			const char *value = rulebook_result_obligation_value(res, i, j);
			printf("  obligation %s: %s %s\n", rulebook_result_obligation_name(res, i, j),
			       value ? value : "(unknown)", rulebook_result_obligation_unit(res, i, j));
		}
	}
	status = 0;

done:
	/* Every free function accepts NULL. */
	rulebook_result_free(res);
	rulebook_facts_free(facts);
	rulebook_free(rb);
	rulebook_error_free(err);
	return status;
}
