/* The summary of an evaluation run: how often each verdict was given, how
 * many records each class of each scorecard got and the consequences they
 * carry (output/consequences.c), how many targets got each
 * status, the aggregates of a population and, as a 督办清单 (follow-up
 * list), the failures grouped by responsible unit with the number of
 * failing rules (and failed aggregates of a population) and records. Memory depends on the rulebook only, never on
 * the number of records. */
#include "../cli.h"

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
	size_t *agg_unit_start;    /* aggregate a's units, likewise */
	size_t *agg_units;
	size_t nscorecards;
	size_t *class_start;       /* scorecard k's counters: class_counts[start[k] ..] */
	uint64_t *class_counts;    /* its classes, then not_rated, not_in_force, unknown, error */
	uint64_t targets[8];       /* by rulebook_target_status */
	rulebook_population *pop;
	cli_consequences *cq;
};

#define CLASS_EXTRA 4 /* not_rated, not_in_force, unknown, error (shown when there is one) */

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
	free(s->agg_unit_start);
	free(s->agg_units);
	free(s->class_start);
	free(s->class_counts);
	cli_consequences_free(s->cq);
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
	size_t naggs = rulebook_aggregate_count(rb), agg_links = 0;
	for (size_t i = 0; i < nrules; i++)
		links += rulebook_rule_responsible_count(rb, i) ? rulebook_rule_responsible_count(rb, i)
								 : 1;
	for (size_t a = 0; a < naggs; a++)
		agg_links += rulebook_aggregate_responsible_count(rb, a)
				     ? rulebook_aggregate_responsible_count(rb, a) : 1;
	s->units = calloc(links + agg_links + 1, sizeof(*s->units));
	s->agg_unit_start = calloc(naggs + 1, sizeof(size_t));
	s->agg_units = calloc(agg_links + 1, sizeof(size_t));
	s->rule_unit_start = calloc(nrules + 1, sizeof(size_t));
	s->rule_units = calloc(links + 1, sizeof(size_t));
	s->rule_failed = calloc(nrules + 1, 1);
	if (!s->units || !s->rule_unit_start || !s->rule_units || !s->rule_failed ||
	    !s->agg_unit_start || !s->agg_units) {
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
	size_t q = 0;
	for (size_t a = 0; a < naggs; a++) {
		s->agg_unit_start[a] = q;
		size_t n = rulebook_aggregate_responsible_count(rb, a);
		if (!n)
			s->agg_units[q++] = SIZE_MAX;
		for (size_t j = 0; j < n; j++)
			s->agg_units[q++] = unit_index(s, rulebook_aggregate_responsible(rb, a, j));
	}
	s->agg_unit_start[naggs] = q;
	for (size_t i = 0; i < k; i++)
		if (s->rule_units[i] == SIZE_MAX)
			s->rule_units[i] = s->nunits;
	for (size_t i = 0; i < q; i++)
		if (s->agg_units[i] == SIZE_MAX)
			s->agg_units[i] = s->nunits;
	s->failures = calloc(s->nunits + 1, sizeof(uint64_t));
	s->unit_records = calloc(s->nunits + 1, sizeof(uint64_t));
	s->seen = calloc(s->nunits + 1, 1);
	s->touched = calloc(s->nunits + 1, sizeof(size_t));
	if (!s->failures || !s->unit_records || !s->seen || !s->touched) {
		cli_summary_free(s);
		return NULL;
	}
	s->nscorecards = rulebook_scorecard_count(rb);
	s->class_start = calloc(s->nscorecards + 1, sizeof(size_t));
	if (!s->class_start) {
		cli_summary_free(s);
		return NULL;
	}
	size_t total = 0;
	for (size_t sc = 0; sc < s->nscorecards; sc++) {
		s->class_start[sc] = total;
		total += rulebook_scorecard_class_count(rb, sc) + CLASS_EXTRA;
	}
	s->class_start[s->nscorecards] = total;
	s->class_counts = calloc(total + 1, sizeof(uint64_t));
	s->cq = cli_consequences_new(rb);
	if (!s->class_counts || !s->cq) {
		cli_summary_free(s);
		return NULL;
	}
	return s;
}

/* The counter of class cls (NULL: unknown) of scorecard k. */
static uint64_t *class_counter(cli_summary *s, size_t k, const char *cls)
{
	size_t n = rulebook_scorecard_class_count(s->rb, k);
	uint64_t *c = s->class_counts + s->class_start[k];
	if (!cls)
		return &c[n + 2];
	for (size_t i = 0; i < n; i++)
		if (strcmp(rulebook_scorecard_class_id(s->rb, k, i), cls) == 0)
			return &c[i];
	if (strcmp(cls, "not_in_force") == 0)
		return &c[n + 1];
	if (strcmp(cls, "error") == 0)
		return &c[n + 3];
	return &c[n]; /* not_rated */
}

void cli_summary_population(cli_summary *s, rulebook_population *pop)
{
	s->pop = pop;
	memset(s->class_counts, 0, s->class_start[s->nscorecards] * sizeof(uint64_t));
	size_t n = rulebook_population_size(pop);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < s->nscorecards; k++)
			(*class_counter(s, k, rulebook_population_class(pop, i, k)))++;
	cli_consequences_population(s->cq, pop);
}

void cli_summary_add(cli_summary *s, rulebook_result *res)
{
	for (size_t k = 0; k < s->nscorecards; k++)
		(*class_counter(s, k, rulebook_result_class(res, k)))++;
	cli_consequences_add(s->cq, res);
	for (size_t t = 0; t < rulebook_target_count(s->rb); t++) {
		rulebook_target_status st = rulebook_result_target_status(res, t);
		if (st >= RULEBOOK_TARGET_MET && st <= RULEBOOK_TARGET_NOT_IN_FORCE)
			s->targets[st]++;
	}
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

/* The consequences scorecard k's records got, in the order the rulebook
 * declares them: each with its class, amount, records and citation
 * (nothing when the scorecard declares none). */
static void print_consequences(const cli_summary *s, size_t k, FILE *fp, bool markdown, bool en)
{
	size_t first = cli_consequences_first(s->cq, k), end = cli_consequences_end(s->cq, k);
	if (first == end)
		return;
	const char *head[5] = {en ? "consequence" : "后果", en ? "class" : "类别",
			       en ? "amount" : "金额", en ? "records" : "对象数",
			       en ? "cite" : "条款"};
	cli_consequence_line line;
	size_t shown = 0, w[3] = {cli_text_width(head[0]), cli_text_width(head[1]),
				  cli_text_width(head[2])};
	for (size_t i = first; i < end; i++) {
		if (!cli_consequences_line(s->cq, i, en, &line) || !line.records)
			continue;
		shown++;
		const char *cols[3] = {line.id, line.cls, line.amount};
		for (int c = 0; c < 3; c++) {
			size_t n = cli_text_width(cols[c]);
			w[c] = n > w[c] ? n : w[c];
		}
	}
	if (!shown) {
		if (markdown)
			fprintf(fp, "\n%s\n", en ? "No record gets a consequence." : "无对象适用后果。");
		else
			fprintf(fp, "  %s\n", en ? "consequences: none applies" : "后果：无对象适用");
		return;
	}
	if (markdown)
		fprintf(fp, "\n| %s | %s | %s | %s | %s |\n|---|---|---|---:|---|\n", head[0],
			head[1], head[2], head[3], head[4]);
	else {
		fputs("  ", fp);
		for (int c = 0; c < 3; c++) {
			cli_put_padded(fp, head[c], w[c]);
			fputs("  ", fp);
		}
		fprintf(fp, "%s  %s\n", head[3], head[4]);
	}
	int nrec = (int)cli_text_width(head[3]);
	for (size_t i = first; i < end; i++) {
		if (!cli_consequences_line(s->cq, i, en, &line) || !line.records)
			continue;
		const char *cols[3] = {line.id, line.cls, line.amount};
		if (markdown) {
			for (int c = 0; c < 3; c++) {
				fputs("| ", fp);
				cli_markdown_cell(fp, cols[c]);
				fputc(' ', fp);
			}
			fprintf(fp, "| %llu | ", (unsigned long long)line.records);
			cli_markdown_cell(fp, line.cite ? line.cite : "");
			fputs(" |\n", fp);
			continue;
		}
		fputs("  ", fp);
		for (int c = 0; c < 3; c++) {
			cli_put_padded(fp, cols[c], w[c]);
			fputs("  ", fp);
		}
		fprintf(fp, "%*llu", nrec, (unsigned long long)line.records);
		if (line.cite) {
			fputs("  ", fp);
			cli_put_clean(fp, line.cite);
		}
		fputc('\n', fp);
	}
}

static void print_classes(const cli_summary *s, FILE *fp, bool markdown, bool en)
{
	for (size_t k = 0; k < s->nscorecards; k++) {
		const char *id = rulebook_scorecard_id(s->rb, k);
		size_t n = rulebook_scorecard_class_count(s->rb, k);
		const uint64_t *c = s->class_counts + s->class_start[k];
		if (markdown) {
			fprintf(fp, "\n### %s ", en ? "Scorecard" : "评分卡");
			cli_markdown_cell(fp, id);
			fprintf(fp, "\n\n| %s | %s |\n|---|---:|\n", en ? "class" : "类别",
				en ? "records" : "对象数");
		} else {
			fputs(en ? "scorecard " : "评分卡 ", fp);
			cli_put_clean(fp, id);
			fputs(en ? ":" : "：", fp);
		}
		/* "error" (a component's figures make no score) only when it happened */
		size_t shown = c[n + 3] ? n + CLASS_EXTRA : n + CLASS_EXTRA - 1;
		for (size_t i = 0; i < shown; i++) {
			const char *name = i < n	    ? rulebook_scorecard_class_id(s->rb, k, i)
					   : i == n	    ? "not_rated"
					   : i == n + 1 ? "not_in_force"
					   : i == n + 2 ? "unknown"
							    : "error";
			if (markdown) {
				fputs("| ", fp);
				cli_markdown_cell(fp, name);
				fprintf(fp, " | %llu |\n", (unsigned long long)c[i]);
			} else {
				fputc(' ', fp);
				cli_put_clean(fp, name);
				fprintf(fp, " %llu%s", (unsigned long long)c[i],
					i + 1 < shown ? "," : "\n");
			}
		}
		print_consequences(s, k, fp, markdown, en);
	}
}

static void print_targets(const cli_summary *s, FILE *fp, bool markdown, bool en)
{
	if (!rulebook_target_count(s->rb))
		return;
	if (markdown)
		fprintf(fp, "\n### %s\n\n| %s | %s |\n|---|---:|\n",
			en ? "Targets against time progress" : "目标与时间进度",
			en ? "status" : "状态", en ? "targets" : "目标数");
	else
		fputs(en ? "targets:" : "目标：", fp);
	cli_print_status_counts(fp, s->targets, markdown);
}

static void print_aggregates(const cli_summary *s, FILE *fp, bool markdown, bool en)
{
	size_t n = rulebook_aggregate_count(s->rb);
	if (!s->pop || !n)
		return;
	size_t records = rulebook_population_size(s->pop);
	if (markdown) {
		fprintf(fp, "\n### %s\n\n", en ? "Aggregates over the population" : "总体指标");
		fprintf(fp, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n"
			    "|---|---|---|---:|---:|---:|---:|---|---:|\n",
			en ? "aggregate" : "指标", en ? "cite" : "条款", en ? "verdict" : "结论",
			en ? "value" : "值", en ? "numerator" : "分子", en ? "denominator" : "分母",
			en ? "threshold" : "阈值", en ? "gap" : "差距", en ? "counted" : "计入");
	} else if (en) {
		fprintf(fp, "aggregates over the %zu record%s:\n", records, records == 1 ? "" : "s");
	} else {
		fprintf(fp, "总体指标（%zu 条记录）：\n", records);
	}
	size_t w = 0;
	for (size_t a = 0; a < n; a++) {
		size_t k = cli_text_width(rulebook_aggregate_id(s->rb, a));
		w = k > w ? k : w;
	}
	for (size_t a = 0; a < n; a++) {
		rulebook_verdict v = rulebook_population_aggregate_verdict(s->pop, a);
		const char *f[6];
		char buf[6][160];
		for (int k = 0; k < 6; k++)
			f[k] = cli_people(rulebook_population_aggregate_value(
						  s->pop, a, (rulebook_aggregate_field)k),
					  buf[k], sizeof buf[k]);
		if (markdown) {
			fputs("| ", fp);
			cli_markdown_cell(fp, rulebook_aggregate_id(s->rb, a));
			fputs(" | ", fp);
			cli_markdown_cell(fp, rulebook_aggregate_cite(s->rb, a));
			fprintf(fp, " | %s |", rulebook_verdict_str(v));
			const int order[6] = {RULEBOOK_AGGREGATE_VALUE, RULEBOOK_AGGREGATE_NUMERATOR,
					      RULEBOOK_AGGREGATE_DENOMINATOR,
					      RULEBOOK_AGGREGATE_THRESHOLD, RULEBOOK_AGGREGATE_GAP,
					      RULEBOOK_AGGREGATE_COUNTED};
			for (int k = 0; k < 6; k++) {
				fputc(' ', fp);
				cli_markdown_cell(fp, f[order[k]] ? f[order[k]] : "");
				fputs(" |", fp);
			}
			fputc('\n', fp);
			continue;
		}
		fputs("  ", fp);
		cli_put_padded(fp, rulebook_aggregate_id(s->rb, a), w);
		fprintf(fp, "  %s", rulebook_verdict_str(v));
		const char *sep = en ? ": " : "：";
		if (f[RULEBOOK_AGGREGATE_VALUE]) {
			fprintf(fp, "%s%s ", sep, en ? "value" : "值");
			cli_put_clean(fp, f[RULEBOOK_AGGREGATE_VALUE]);
			sep = en ? ", " : "，";
		}
		if (f[RULEBOOK_AGGREGATE_NUMERATOR] && f[RULEBOOK_AGGREGATE_DENOMINATOR]) {
			fputs(en ? " (" : "（", fp);
			cli_put_clean(fp, f[RULEBOOK_AGGREGATE_NUMERATOR]);
			fputs(" / ", fp);
			cli_put_clean(fp, f[RULEBOOK_AGGREGATE_DENOMINATOR]);
			fputs(en ? ")" : "）", fp);
		}
		if (f[RULEBOOK_AGGREGATE_THRESHOLD]) {
			fprintf(fp, "%s%s ", sep, en ? "threshold" : "阈值");
			cli_put_clean(fp, f[RULEBOOK_AGGREGATE_THRESHOLD]);
			sep = en ? ", " : "，";
		}
		if (f[RULEBOOK_AGGREGATE_GAP]) {
			fprintf(fp, "%s%s ", sep, en ? "gap" : "差距");
			cli_put_clean(fp, f[RULEBOOK_AGGREGATE_GAP]);
			sep = en ? ", " : "，";
		}
		if (f[RULEBOOK_AGGREGATE_COUNTED])
			fprintf(fp, en ? "%s%s counted" : "%s计入 %s 条", sep,
				f[RULEBOOK_AGGREGATE_COUNTED]);
		fputc('\n', fp);
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
	/* A rulebook without rules (only scorecards, targets or aggregates)
	 * has no verdicts to count and no failures to list: saying "pass 0,
	 * fail 0" or "no rule failed" would suggest rules that are not there. */
	bool has_rules = rulebook_rule_count(s->rb) > 0;
	if (!has_rules)
		fputs(markdown ? (en ? ".\n" : "。\n") : "\n", fp);
	else if (!markdown)
		fputs("\n ", fp);
	else if (en)
		fputs(".\n\n| verdict | count |\n|---|---:|\n", fp);
	else
		fputs("。\n\n| 结论 | 次数 |\n|---|---:|\n", fp);
	for (int v = RULEBOOK_PASS; has_rules && v <= RULEBOOK_ERROR; v++) {
		const char *name = rulebook_verdict_str((rulebook_verdict)v);
		if (markdown)
			fprintf(fp, "| %s | %llu |\n", name, (unsigned long long)s->verdicts[v]);
		else
			fprintf(fp, " %s %llu%s", name, (unsigned long long)s->verdicts[v],
				v == RULEBOOK_ERROR ? "\n" : ",");
	}

	print_classes(s, fp, markdown, en);
	print_targets(s, fp, markdown, en);
	print_aggregates(s, fp, markdown, en);
	if (!has_rules)
		return;

	size_t nrows = 0;
	unit_row *rows = calloc(s->nunits + 1, sizeof(*rows));
	uint64_t *agg_failed = calloc(s->nunits + 1, sizeof(uint64_t));
	if (!rows || !agg_failed) {
		free(rows);
		free(agg_failed);
		return;
	}
	/* A failed aggregate of the population counts as one failure and one
	 * rule for each of its units: the population is its record. */
	for (size_t a = 0; s->pop && a < rulebook_aggregate_count(s->rb); a++)
		if (rulebook_population_aggregate_verdict(s->pop, a) == RULEBOOK_FAIL)
			for (size_t k = s->agg_unit_start[a]; k < s->agg_unit_start[a + 1]; k++)
				agg_failed[s->agg_units[k]]++;
	for (size_t u = 0; u <= s->nunits; u++) {
		if (!s->failures[u] && !agg_failed[u])
			continue;
		rows[nrows].name = u < s->nunits ? s->units[u] : NULL;
		rows[nrows].failures = s->failures[u] + agg_failed[u];
		rows[nrows].rules = agg_failed[u];
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
	free(agg_failed);
	free(rows);
}
