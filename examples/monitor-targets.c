/* Monitor a district's targets against time progress (五（三）: 月度监测、
 * 季度通报、年度考核): for each reporting date, every target's status,
 * completion against time progress, shortfall and what is needed per month,
 * then the responsible units (责任单位) of the targets that are flagged.
 *
 *   monitor-targets [RULEBOOK.yaml [YYYY-MM-DD PROGRESS.json]...]
 *
 * PROGRESS.json is one JSON object: the district's figures as of the date
 * before it. The defaults are examples/data/district-targets.yaml with
 * examples/data/district-progress-2022-06-30.json as of 2022-06-30 and
 * examples/data/district-progress-2023-12-31.json as of 2023-12-31. */
#include <rulebook.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The whole file at path in a new NUL-terminated buffer (free() it), or
 * NULL with a message on stderr. */
static char *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		perror(path);
		return NULL;
	}
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		n += fread(buf + n, 1, cap - n - 1, fp);
		if (n < cap - 1)
			break;
		char *bigger = realloc(buf, cap *= 2);
		if (!bigger)
			free(buf);
		buf = bigger;
	}
	if (!buf || ferror(fp)) {
		fprintf(stderr, "%s: cannot read\n", path);
		free(buf);
		fclose(fp);
		return NULL;
	}
	fclose(fp);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* A figure of target t, or "-" when it does not apply (e.g. no monthly need
 * once the target is met, or for a reduction). */
static const char *figure(rulebook_result *res, size_t t, rulebook_target_field field)
{
	const char *v = rulebook_result_target_value(res, t, field);
	return v ? v : "-";
}

/* Evaluate the progress in json as of date and print the targets. */
static int report(const rulebook *rb, rulebook_facts *facts, rulebook_result *res, const char *date,
		  const char *json, size_t len, rulebook_error *err)
{
	int32_t as_of;
	if (rulebook_date_parse(date, strlen(date), &as_of) != RULEBOOK_OK) {
		fprintf(stderr, "%s: not a date (YYYY-MM-DD)\n", date);
		return -1;
	}
	/* Targets are evaluated by rulebook_eval along with the rules. */
	rulebook_facts_clear(facts);
	if (rulebook_facts_set_json(facts, json, len, err) != RULEBOOK_OK ||
	    rulebook_eval(rb, facts, as_of, res, err) != RULEBOOK_OK) {
		print_errors(err);
		return -1;
	}
	const char *who = rulebook_result_record_id(res);
	printf("\nAs of %s (%s)\n", date, who ? who : "district");

	size_t flagged = 0;
	for (size_t t = 0; t < rulebook_target_count(rb); t++) {
		rulebook_target_status st = rulebook_result_target_status(res, t);
		const char *unit = rulebook_target_unit(rb, t);
		const char *title = rulebook_target_title(rb, t, "en");
		printf("  %s%s%s (clause %s%s%s): %s\n", rulebook_target_id(rb, t),
		       title ? ", " : "", title ? title : "", rulebook_target_cite(rb, t),
		       unit[0] ? ", measured in " : "", unit, rulebook_target_status_str(st));
		/* Achieved and target are amounts in the unit for a cumulative or
		 * level target; for a reduction or growth they are the relative
		 * change (0.1 is 10 %). */
		printf("    achieved %s of target %s\n", figure(res, t, RULEBOOK_TARGET_ACHIEVED),
		       figure(res, t, RULEBOOK_TARGET_GOAL));
		/* Completion progress (achieved / target) against time progress
		 * (the elapsed share of the period). */
		printf("    completion %s vs time progress %s\n",
		       figure(res, t, RULEBOOK_TARGET_COMPLETION),
		       figure(res, t, RULEBOOK_TARGET_TIME_PROGRESS));
		printf("    shortfall %s, needed per month %s\n",
		       figure(res, t, RULEBOOK_TARGET_SHORTFALL),
		       figure(res, t, RULEBOOK_TARGET_NEEDED_PER_MONTH));
		if (st == RULEBOOK_TARGET_BEHIND_PACE || st == RULEBOOK_TARGET_MISSED)
			flagged++;
	}

	/* Behind pace or missed: the units to ask (问效). */
	if (!flagged) {
		printf("  No target is behind pace or missed.\n");
		return 0;
	}
	printf("  Flagged (behind pace or missed), responsible units:\n");
	for (size_t t = 0; t < rulebook_target_count(rb); t++) {
		rulebook_target_status st = rulebook_result_target_status(res, t);
		if (st != RULEBOOK_TARGET_BEHIND_PACE && st != RULEBOOK_TARGET_MISSED)
			continue;
		printf("    %s (%s):", rulebook_target_id(rb, t), rulebook_target_status_str(st));
		for (size_t j = 0; j < rulebook_target_responsible_count(rb, t); j++)
			printf("%s%s", j ? ", " : " ", rulebook_target_responsible(rb, t, j));
		printf("\n");
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const defaults[] = {
		"2022-06-30",
		"examples/data/district-progress-2022-06-30.json",
		"2023-12-31",
		"examples/data/district-progress-2023-12-31.json",
	};
	const char *path = argc > 1 ? argv[1] : "examples/data/district-targets.yaml";
	/* The (date, progress file) pairs after the rulebook. */
	const char *const *pairs = argc > 2 ? (const char *const *)argv + 2 : defaults;
	int npairs = argc > 2 ? (argc - 2) / 2 : 2;
	if (argc > 2 && argc % 2 != 0) {
		fprintf(stderr, "usage: %s [RULEBOOK.yaml [YYYY-MM-DD PROGRESS.json]...]\n",
			argv[0]);
		return 1;
	}
	int status = 1;
	rulebook *rb = NULL;
	rulebook_facts *facts = NULL;
	rulebook_result *res = NULL;
	rulebook_error *err = rulebook_error_new();
	if (!err)
		return 1;

	if (rulebook_load_file(path, NULL, &rb, err) != RULEBOOK_OK) {
		print_errors(err);
		goto done;
	}
	/* One facts and one result object serve every date. */
	facts = rulebook_facts_new(rb);
	res = rulebook_result_new(rb);
	if (!facts || !res) {
		fprintf(stderr, "out of memory\n");
		goto done;
	}

	printf("%s: %zu targets\n", rulebook_title(rb, "en"), rulebook_target_count(rb));
	for (int k = 0; k < npairs; k++) {
		size_t len;
		char *json = read_file(pairs[2 * k + 1], &len);
		if (!json)
			goto done;
		int rc = report(rb, facts, res, pairs[2 * k], json, len, err);
		free(json);
		if (rc != 0)
			goto done;
	}
	status = 0;

done:
	rulebook_result_free(res);
	rulebook_facts_free(facts);
	rulebook_free(rb);
	rulebook_error_free(err);
	return status;
}
