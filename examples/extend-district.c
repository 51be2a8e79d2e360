/* A district rulebook that extends a provincial one: load it with the
 * provincial rulebooks' directory on the search path, evaluate one firm,
 * and print where each rule and each threshold came from (the "file"
 * fields of the JSON result). Then compare with the provincial rulebook
 * alone: thresholds overridden, rules disabled or added, verdicts changed.
 *
 *   extend-district [DISTRICT.yaml [SEARCH_DIR [PROVINCE.yaml]]]
 *
 * The defaults are examples/data/linan-industry.yaml, which says
 * `extends: zhejiang.industry`, the search directory
 * examples/data/provincial, where that id is found as
 * zhejiang/industry.yaml, and that file as PROVINCE.yaml. */
#include <rulebook.h>

#include <stdio.h>
#include <string.h>

#define AS_OF 20230630

/* One firm; keys that are not inputs of a rulebook are skipped when
 * rulebook_facts_ignore_unknown is on (the province has no R&D inputs). */
static const char firm[] = "{\"_id\": \"E1\", \"tax\": 984, \"land_area\": 30, "
			   "\"energy_use\": 1500, \"value_added\": 3000, "
			   "\"rd_expense\": 60, \"revenue\": 2000}";

/* Each diagnostic, with its file, line and column when it has them. */
static void print_errors(const rulebook_error *err)
{
	for (size_t i = 0; i < rulebook_error_count(err); i++) {
		const char *file = rulebook_error_file(err, i),
			   *msg = rulebook_error_message(err, i);
		uint32_t line = rulebook_error_line(err, i);
		if (file && line)
			fprintf(stderr, "%s:%u:%u: %s\n", file, line, rulebook_error_column(err, i),
				msg);
		else if (file)
			fprintf(stderr, "%s: %s\n", file, msg);
		else
			fprintf(stderr, "%s\n", msg);
	}
}

/* Find "key":"…" in the JSON text between p and end and copy the string
 * into out (escapes are copied as the character they protect). Returns
 * out, or "?" when the key is not there. Enough for the flat fields of a
 * result; use a JSON library for more. */
static const char *json_string(const char *p, const char *end, const char *key, char *out,
			       size_t size)
{
	char pat[128];
	snprintf(pat, sizeof pat, "\"%s\":\"", key);
	const char *at = strstr(p, pat);
	if (!at || at >= end)
		return "?";
	at += strlen(pat);
	size_t n = 0;
	for (; *at && *at != '"' && n + 1 < size; at++) {
		if (*at == '\\' && at[1])
			at++;
		out[n++] = *at;
	}
	out[n] = '\0';
	return out;
}

/* Where the object of the rule called id starts in the JSON result. */
static const char *rule_object(const char *json, const char *id)
{
	char pat[256];
	snprintf(pat, sizeof pat, "{\"id\":\"%s\",\"verdict\"", id);
	return strstr(json, pat);
}

/* Load the rulebook at path; NULL (and a message) on failure. */
static rulebook *load(const char *path, const rulebook_options *opts, rulebook_error *err)
{
	rulebook *rb = NULL;
	if (rulebook_load_file(path, opts, &rb, err) != RULEBOOK_OK)
		print_errors(err);
	return rb;
}

/* Evaluate the firm with rb into res. */
static int eval_firm(const rulebook *rb, rulebook_facts *facts, rulebook_result *res,
		     rulebook_error *err)
{
	rulebook_facts_ignore_unknown(facts, 1);
	if (rulebook_facts_set_json(facts, firm, strlen(firm), err) != RULEBOOK_OK ||
	    rulebook_eval(rb, facts, AS_OF, res, err) != RULEBOOK_OK) {
		print_errors(err);
		return -1;
	}
	return 0;
}

/* The index of parameter name in rb, or -1. */
static long param_index(const rulebook *rb, const char *name)
{
	for (size_t p = 0; p < rulebook_param_count(rb); p++)
		if (strcmp(rulebook_param_name(rb, p), name) == 0)
			return (long)p;
	return -1;
}

/* Every rule of the district with the file it came from, and the file of
 * each threshold it uses. */
static int print_sources(const rulebook *rb, rulebook_result *res)
{
	const char *json;
	size_t len;
	if (rulebook_result_json(res, 0, &json, &len) != RULEBOOK_OK) {
		fprintf(stderr, "cannot render the result\n");
		return -1;
	}
	char file[1024];
	size_t nrules = rulebook_rule_count(rb);
	for (size_t i = 0; i < nrules; i++) {
		/* This rule's part of the JSON: up to the next rule. */
		const char *start = rule_object(json, rulebook_rule_id(rb, i));
		const char *end =
			i + 1 < nrules ? rule_object(json, rulebook_rule_id(rb, i + 1)) : NULL;
		if (!start)
			continue;
		if (!end)
			end = json + len;
		printf("  %s (clause %s): %s\n    rule from %s\n", rulebook_rule_id(rb, i),
		       rulebook_rule_cite(rb, i),
		       rulebook_verdict_str(rulebook_result_verdict(res, i)),
		       json_string(start, end, "file", file, sizeof file));
		/* The thresholds (parameters) the rule uses: each value names the
		 * file its value came from, the district's for an override. */
		for (size_t p = 0; p < rulebook_param_count(rb); p++) {
			char key[256];
			snprintf(key, sizeof key, "\"%s\":{", rulebook_param_name(rb, p));
			const char *v = strstr(start, key);
			if (!v || v >= end)
				continue;
			const char *vend = strchr(v, '}');
			const char *value = rulebook_param_value(rb, p, AS_OF);
			printf("    %s = %s %s (clause %s, %s) from %s\n",
			       rulebook_param_name(rb, p), value ? value : "-",
			       rulebook_param_unit(rb, p), rulebook_param_cite(rb, p),
			       rulebook_param_provenance(rb, p),
			       json_string(v, vend ? vend : end, "file", file, sizeof file));
		}
	}
	return 0;
}

/* What the district changed: parameters whose value differs, rules only
 * in one of the two, and verdicts that differ. */
static void print_changes(const rulebook *district, rulebook_result *dres, const rulebook *province,
			  rulebook_result *pres)
{
	for (size_t p = 0; p < rulebook_param_count(province); p++) {
		const char *name = rulebook_param_name(province, p);
		long d = param_index(district, name);
		const char *was = rulebook_param_value(province, p, AS_OF);
		const char *now = d >= 0 ? rulebook_param_value(district, (size_t)d, AS_OF) : NULL;
		if (was && now && strcmp(was, now) != 0)
			printf("  overridden: %s %s -> %s %s (clause %s)\n", name, was, now,
			       rulebook_param_unit(district, (size_t)d),
			       rulebook_param_cite(district, (size_t)d));
	}
	for (size_t i = 0; i < rulebook_rule_count(province); i++) {
		const char *id = rulebook_rule_id(province, i);
		size_t j;
		if (rulebook_rule_index(district, id, strlen(id), &j) != RULEBOOK_OK) {
			printf("  disabled: %s\n", id);
			continue;
		}
		rulebook_verdict was = rulebook_result_verdict(pres, i);
		rulebook_verdict now = rulebook_result_verdict(dres, j);
		if (was != now)
			printf("  verdict changed: %s %s -> %s\n", id, rulebook_verdict_str(was),
			       rulebook_verdict_str(now));
	}
	for (size_t j = 0; j < rulebook_rule_count(district); j++) {
		const char *id = rulebook_rule_id(district, j);
		size_t i;
		if (rulebook_rule_index(province, id, strlen(id), &i) != RULEBOOK_OK)
			printf("  added: %s\n", id);
	}
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "examples/data/linan-industry.yaml";
	const char *search = argc > 2 ? argv[2] : "examples/data/provincial";
	char parent_path[1024];
	snprintf(parent_path, sizeof parent_path, "%s/zhejiang/industry.yaml", search);
	const char *parent = argc > 3 ? argv[3] : parent_path;
	int status = 1;
	rulebook_options *opts = rulebook_options_new();
	rulebook *district = NULL, *province = NULL;
	rulebook_facts *dfacts = NULL, *pfacts = NULL;
	rulebook_result *dres = NULL, *pres = NULL;
	rulebook_error *err = rulebook_error_new();
	if (!err || !opts) {
		fprintf(stderr, "out of memory\n");
		goto done;
	}

	/* `extends: zhejiang.industry` is looked up as zhejiang.industry.yaml
	 * or zhejiang/industry.yaml next to the district's file, then in each
	 * directory of the search path. */
	if (rulebook_options_add_search_path(opts, search) != RULEBOOK_OK) {
		fprintf(stderr, "out of memory\n");
		goto done;
	}
	if (!(district = load(path, opts, err)) || !(province = load(parent, NULL, err)))
		goto done;

	dfacts = rulebook_facts_new(district);
	dres = rulebook_result_new(district);
	pfacts = rulebook_facts_new(province);
	pres = rulebook_result_new(province);
	if (!dfacts || !dres || !pfacts || !pres) {
		fprintf(stderr, "out of memory\n");
		goto done;
	}
	if (eval_firm(district, dfacts, dres, err) != 0 ||
	    eval_firm(province, pfacts, pres, err) != 0)
		goto done;

	printf("%s (%s), as of 2023-06-30, firm %s\n", rulebook_title(district, "en"),
	       rulebook_id(district), rulebook_result_record_id(dres));
	if (print_sources(district, dres) != 0)
		goto done;

	printf("\nCompared with %s (%s) alone:\n", rulebook_id(province), parent);
	print_changes(district, dres, province, pres);
	status = 0;

done:
	rulebook_result_free(pres);
	rulebook_result_free(dres);
	rulebook_facts_free(pfacts);
	rulebook_facts_free(dfacts);
	rulebook_free(province);
	rulebook_free(district);
	rulebook_options_free(opts);
	rulebook_error_free(err);
	return status;
}
