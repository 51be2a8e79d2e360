/* The summary of an evaluation run: how often each verdict was given and,
 * as a 督办清单 (follow-up list), the failures grouped by responsible unit
 * with the number of failing rules and records. Memory depends on the
 * rulebook only, never on the number of records. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

struct cli_summary {
	const rulebook *rb;
	uint64_t records, skipped;
	uint64_t verdicts[8];
	size_t nunits;             /* distinct units; index nunits is "unassigned" */
	const char **units;        /* owned by rb */
	uint64_t *failures;        /* per unit: failed rules summed over records */
	uint64_t *unit_records;    /* per unit: records with a failure */
	uint8_t *seen;             /* per unit: already counted for this record */
	size_t *touched;           /* units counted for this record */
	uint8_t *rule_failed;      /* per rule: failed at least once */
	size_t *rule_unit_start;   /* rule i's units: rule_units[start[i] .. start[i+1]) */
	size_t *rule_units;
};

void cli_summary_free(cli_summary *s)
{
	if (!s)
		return;
	free(s->units);
	free(s->failures);
	free(s->unit_records);
	free(s->seen);
	free(s->touched);
	free(s->rule_failed);
	free(s->rule_unit_start);
	free(s->rule_units);
	free(s);
}

static size_t unit_index(cli_summary *s, const char *name)
{
	for (size_t u = 0; u < s->nunits; u++)
		if (strcmp(s->units[u], name) == 0)
			return u;
	s->units[s->nunits] = name;
	return s->nunits++;
}

cli_summary *cli_summary_new(const rulebook *rb)
{
	cli_summary *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->rb = rb;
	size_t nrules = rulebook_rule_count(rb), links = 0;
	for (size_t i = 0; i < nrules; i++)
		links += rulebook_rule_responsible_count(rb, i) ? rulebook_rule_responsible_count(rb, i)
								 : 1;
	s->units = calloc(links + 1, sizeof(*s->units));
	s->rule_unit_start = calloc(nrules + 1, sizeof(size_t));
	s->rule_units = calloc(links + 1, sizeof(size_t));
	s->rule_failed = calloc(nrules + 1, 1);
	if (!s->units || !s->rule_unit_start || !s->rule_units || !s->rule_failed) {
		cli_summary_free(s);
		return NULL;
	}
	/* Unassigned rules point at index SIZE_MAX until the count is known. */
	size_t k = 0;
	for (size_t i = 0; i < nrules; i++) {
		s->rule_unit_start[i] = k;
		size_t n = rulebook_rule_responsible_count(rb, i);
		if (!n)
			s->rule_units[k++] = SIZE_MAX;
		for (size_t j = 0; j < n; j++)
			s->rule_units[k++] = unit_index(s, rulebook_rule_responsible(rb, i, j));
	}
	s->rule_unit_start[nrules] = k;
	for (size_t i = 0; i < k; i++)
		if (s->rule_units[i] == SIZE_MAX)
			s->rule_units[i] = s->nunits;
	s->failures = calloc(s->nunits + 1, sizeof(uint64_t));
	s->unit_records = calloc(s->nunits + 1, sizeof(uint64_t));
	s->seen = calloc(s->nunits + 1, 1);
	s->touched = calloc(s->nunits + 1, sizeof(size_t));
	if (!s->failures || !s->unit_records || !s->seen || !s->touched) {
		cli_summary_free(s);
		return NULL;
	}
	return s;
}

void cli_summary_add(cli_summary *s, const rulebook_result *res)
{
	uint32_t counts[8];
	rulebook_result_counts(res, counts);
	for (int v = 0; v < 8; v++)
		s->verdicts[v] += counts[v];
	s->records++;
	if (!counts[RULEBOOK_FAIL])
		return;
	size_t ntouched = 0;
	size_t nrules = rulebook_rule_count(s->rb);
	for (size_t i = 0; i < nrules; i++) {
		if (rulebook_result_verdict(res, i) != RULEBOOK_FAIL)
			continue;
		s->rule_failed[i] = 1;
		for (size_t k = s->rule_unit_start[i]; k < s->rule_unit_start[i + 1]; k++) {
			size_t u = s->rule_units[k];
			s->failures[u]++;
			if (!s->seen[u]) {
				s->seen[u] = 1;
				s->unit_records[u]++;
				s->touched[ntouched++] = u;
			}
		}
	}
	while (ntouched)
		s->seen[s->touched[--ntouched]] = 0;
}

void cli_summary_skipped(cli_summary *s)
{
	s->skipped++;
}

typedef struct unit_row {
	const char *name; /* NULL: rules without a responsible unit */
	uint64_t failures, rules, records;
} unit_row;

static int by_failures(const void *a, const void *b)
{
	const unit_row *x = a, *y = b;
	if (!x->name != !y->name)
		return x->name ? -1 : 1;
	if (x->failures != y->failures)
		return x->failures > y->failures ? -1 : 1;
	return x->name ? strcmp(x->name, y->name) : 0;
}

static void print_units(const unit_row *rows, size_t n, FILE *fp, bool markdown, bool en)
{
	const char *head[4] = {en ? "responsible unit" : "责任单位", en ? "failures" : "未达标次数",
			       en ? "rules" : "规则数", en ? "records" : "对象数"};
	const char *unassigned = en ? "(unassigned)" : "（未指定）";
	if (markdown) {
		fprintf(fp, "\n### %s\n\n", en ? "Failures by responsible unit" : "督办清单");
		fprintf(fp, "| %s | %s | %s | %s |\n|---|---:|---:|---:|\n", head[0], head[1], head[2],
			head[3]);
		for (size_t i = 0; i < n; i++) {
			fputs("| ", fp);
			cli_put_clean(fp, rows[i].name ? rows[i].name : unassigned);
			fprintf(fp, " | %llu | %llu | %llu |\n", (unsigned long long)rows[i].failures,
				(unsigned long long)rows[i].rules, (unsigned long long)rows[i].records);
		}
		return;
	}
	fprintf(fp, "%s\n",
		en ? "Failures by responsible unit (follow-up list):" : "督办清单（未达标，按责任单位）：");
	size_t w = cli_text_width(head[0]);
	for (size_t i = 0; i < n; i++) {
		size_t k = cli_text_width(rows[i].name ? rows[i].name : unassigned);
		w = k > w ? k : w;
	}
	int nums[3];
	for (int c = 0; c < 3; c++)
		nums[c] = (int)cli_text_width(head[c + 1]);
	fputs("  ", fp);
	cli_put_padded(fp, head[0], w);
	fprintf(fp, "  %s  %s  %s\n", head[1], head[2], head[3]);
	for (size_t i = 0; i < n; i++) {
		fputs("  ", fp);
		cli_put_padded(fp, rows[i].name ? rows[i].name : unassigned, w);
		fprintf(fp, "  %*llu  %*llu  %*llu\n", nums[0], (unsigned long long)rows[i].failures,
			nums[1], (unsigned long long)rows[i].rules, nums[2],
			(unsigned long long)rows[i].records);
	}
}

void cli_summary_print(const cli_summary *s, FILE *fp, bool markdown, bool en)
{
	if (markdown)
		fprintf(fp, "\n## %s\n\n", en ? "Summary" : "汇总");
	if (en)
		fprintf(fp, "%llu record%s evaluated", (unsigned long long)s->records,
			s->records == 1 ? "" : "s");
	else
		fprintf(fp, "评价对象 %llu 个", (unsigned long long)s->records);
	if (s->skipped)
		fprintf(fp, en ? ", %llu malformed record%s skipped" : "，跳过格式错误的记录 %llu 条%s",
			(unsigned long long)s->skipped, en && s->skipped != 1 ? "s" : "");
	if (!markdown)
		fputs("\n ", fp);
	else if (en)
		fputs(".\n\n| verdict | count |\n|---|---:|\n", fp);
	else
		fputs("。\n\n| 结论 | 次数 |\n|---|---:|\n", fp);
	for (int v = RULEBOOK_PASS; v <= RULEBOOK_ERROR; v++) {
		const char *name = rulebook_verdict_str((rulebook_verdict)v);
		if (markdown)
			fprintf(fp, "| %s | %llu |\n", name, (unsigned long long)s->verdicts[v]);
		else
			fprintf(fp, " %s %llu%s", name, (unsigned long long)s->verdicts[v],
				v == RULEBOOK_ERROR ? "\n" : ",");
	}

	size_t nrows = 0;
	unit_row *rows = calloc(s->nunits + 1, sizeof(*rows));
	if (!rows)
		return;
	for (size_t u = 0; u <= s->nunits; u++) {
		if (!s->failures[u])
			continue;
		rows[nrows].name = u < s->nunits ? s->units[u] : NULL;
		rows[nrows].failures = s->failures[u];
		rows[nrows].records = s->unit_records[u];
		for (size_t i = 0; i < rulebook_rule_count(s->rb); i++) {
			if (!s->rule_failed[i])
				continue;
			for (size_t k = s->rule_unit_start[i]; k < s->rule_unit_start[i + 1]; k++)
				if (s->rule_units[k] == u)
					rows[nrows].rules++;
		}
		nrows++;
	}
	if (nrows) {
		qsort(rows, nrows, sizeof(*rows), by_failures);
		print_units(rows, nrows, fp, markdown, en);
	} else if (markdown) {
		fprintf(fp, "\n%s\n", en ? "No rule failed." : "无未达标项。");
	} else {
		fprintf(fp, "%s\n", en ? "No rule failed." : "无未达标项。");
	}
	free(rows);
}
