/* A 亩均效益综合评价 scorecard: one firm in detail (components, score,
 * class, veto and the consequences of its class), then every firm of a
 * county evaluated together, where classes by rank (A the top 20 %, …) are
 * decided over the whole population.
 *
 *   mujun-classes [RULEBOOK.yaml [FIRMS.jsonl [FIRM_ID]]]
 *
 * FIRMS.jsonl holds one JSON object per line, each with an "_id". The
 * defaults are examples/data/mujun-scorecard.yaml,
 * examples/data/mujun-firms.jsonl and F03. The rulebook has two
 * scorecards, "mujun" (classes by score cut-offs) and "mujun_rank"
 * (classes by rank). Its weights, benchmarks and cut-offs are
 * illustrative, and this program says so. */
#include <rulebook.h>

#include <stdio.h>
#include <string.h>

#define AS_OF 20231231
#define BY_SCORE "mujun"
#define BY_RANK "mujun_rank"

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

/* The index of the scorecard called id, or -1. */
static long scorecard_index(const rulebook *rb, const char *id)
{
	for (size_t i = 0; i < rulebook_scorecard_count(rb); i++)
		if (strcmp(rulebook_scorecard_id(rb, i), id) == 0)
			return (long)i;
	return -1;
}

static const char *or_dash(const char *s)
{
	return s ? s : "-";
}

/* Components, score, class, veto and consequences of one evaluated firm. */
static void print_firm(const rulebook *rb, rulebook_result *res, size_t sc)
{
	printf("\nFirm %s, scorecard %s\n", or_dash(rulebook_result_record_id(res)),
	       rulebook_scorecard_id(rb, sc));
	/* Each component: the indicator's value, its ratio to the benchmark
	 * (within the floor and cap), the weight and the points it earns. */
	printf("  %-16s %10s %8s %8s %8s\n", "component", "value", "ratio", "weight", "points");
	for (size_t k = 0; k < rulebook_scorecard_component_count(rb, sc); k++)
		printf("  %-16s %10s %8s %8s %8s\n", rulebook_scorecard_component_id(rb, sc, k),
		       or_dash(rulebook_result_component(res, sc, k, RULEBOOK_COMPONENT_VALUE)),
		       or_dash(rulebook_result_component(res, sc, k, RULEBOOK_COMPONENT_RATIO)),
		       or_dash(rulebook_result_component(res, sc, k, RULEBOOK_COMPONENT_WEIGHT)),
		       or_dash(rulebook_result_component(res, sc, k, RULEBOOK_COMPONENT_POINTS)));
	/* The class is NULL when missing data leave it undecided. */
	const char *veto = rulebook_result_veto(res, sc);
	printf("  score %s, class %s, veto %s\n", or_dash(rulebook_result_score(res, sc)),
	       rulebook_result_class(res, sc) ? rulebook_result_class(res, sc) : "unknown",
	       veto ? veto : "none");
	size_t nq = rulebook_result_consequence_count(res, sc);
	if (nq == 0)
		printf("  no consequence for this class\n");
	for (size_t j = 0; j < nq; j++)
		printf("  consequence %s: %s %s\n", rulebook_result_consequence_name(res, sc, j),
		       or_dash(rulebook_result_consequence_value(res, sc, j)),
		       rulebook_result_consequence_unit(res, sc, j));
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "examples/data/mujun-scorecard.yaml";
	const char *firms = argc > 2 ? argv[2] : "examples/data/mujun-firms.jsonl";
	const char *firm = argc > 3 ? argv[3] : "F03";
	int status = 1;
	FILE *fp = NULL;
	rulebook *rb = NULL;
	rulebook_facts *facts = NULL;
	rulebook_result *res = NULL;
	rulebook_population *pop = NULL;
	rulebook_error *err = rulebook_error_new();
	if (!err)
		return 1;

	if (rulebook_load_file(path, NULL, &rb, err) != RULEBOOK_OK) {
		print_errors(err);
		goto done;
	}
	long by_score = scorecard_index(rb, BY_SCORE), by_rank = scorecard_index(rb, BY_RANK);
	if (by_score < 0 || by_rank < 0) {
		fprintf(stderr, "%s: needs the scorecards %s and %s\n", path, BY_SCORE, BY_RANK);
		goto done;
	}
	printf("%s, as of 2023-12-31\n", rulebook_title(rb, "en"));

	/* Parameters marked illustrative are stand-ins, not official values:
	 * every result that uses them is an example. */
	size_t illustrative = 0;
	for (size_t i = 0; i < rulebook_param_count(rb); i++)
		if (strcmp(rulebook_param_provenance(rb, i), "illustrative") == 0)
			illustrative++;
	if (illustrative)
		printf("NOTE: %zu of %zu parameters are illustrative; these results are examples, "
		       "not official classes.\n",
		       illustrative, rulebook_param_count(rb));

	facts = rulebook_facts_new(rb);
	res = rulebook_result_new(rb);
	pop = rulebook_population_new(rb, AS_OF);
	if (!facts || !res || !pop) {
		fprintf(stderr, "out of memory\n");
		goto done;
	}
	fp = fopen(firms, "r");
	if (!fp) {
		perror(firms);
		goto done;
	}

	/* Each line is one firm: evaluate it alone (to show the chosen firm)
	 * and add it to the population. */
	char line[8192], vetoed[1024] = "";
	unsigned lineno = 0;
	int found = 0;
	while (fgets(line, sizeof line, fp)) {
		lineno++;
		size_t len = strlen(line);
		if (len == sizeof line - 1 && line[len - 1] != '\n') {
			fprintf(stderr, "%s:%u: line too long\n", firms, lineno);
			goto done;
		}
		if (strspn(line, " \t\r\n") == len)
			continue;
		rulebook_facts_clear(facts);
		if (rulebook_facts_set_json(facts, line, len, err) != RULEBOOK_OK ||
		    rulebook_eval(rb, facts, AS_OF, res, err) != RULEBOOK_OK ||
		    rulebook_population_add(pop, facts, err) != RULEBOOK_OK) {
			for (size_t i = 0; i < rulebook_error_count(err); i++)
				fprintf(stderr, "%s:%u: %s\n", firms, lineno,
					rulebook_error_message(err, i));
			goto done;
		}
		const char *id = rulebook_result_record_id(res);
		/* The population keeps classes, not vetoes: note them here. */
		const char *veto = rulebook_result_veto(res, (size_t)by_rank);
		size_t used = strlen(vetoed);
		if (veto)
			snprintf(vetoed + used, sizeof vetoed - used, " %s (%s)", or_dash(id),
				 veto);
		if (id && strcmp(id, firm) == 0) {
			found = 1;
			print_firm(rb, res, (size_t)by_score);
		}
	}
	if (ferror(fp)) {
		fprintf(stderr, "%s: cannot read\n", firms);
		goto done;
	}
	if (!found) {
		fprintf(stderr, "%s: no firm with \"_id\": \"%s\"\n", firms, firm);
		goto done;
	}

	/* The population: classes by rank are decided over every firm added
	 * (ties get the better class; vetoed and unrated firms are not
	 * ranked). */
	size_t n = rulebook_population_size(pop);
	printf("\n%zu firms, classes by score (%s) and by rank (%s)\n", n, BY_SCORE, BY_RANK);
	printf("  %-6s %8s %10s %10s\n", "firm", "score", "by score", "by rank");
	for (size_t r = 0; r < n; r++) {
		const char *s = rulebook_population_score(pop, r, (size_t)by_score);
		const char *cs = rulebook_population_class(pop, r, (size_t)by_score);
		const char *cr = rulebook_population_class(pop, r, (size_t)by_rank);
		printf("  %-6s %8s %10s %10s\n", or_dash(rulebook_population_record_id(pop, r)),
		       or_dash(s), cs ? cs : "unknown", cr ? cr : "unknown");
	}

	if (vetoed[0])
		printf("  class D by veto (一票否决):%s\n", vetoed);

	/* How many firms each class by rank got. */
	printf("  by rank:");
	size_t nclasses = rulebook_scorecard_class_count(rb, (size_t)by_rank);
	for (size_t k = 0; k <= nclasses; k++) {
		const char *cls = k < nclasses ? rulebook_scorecard_class_id(rb, (size_t)by_rank, k)
					       : "not_rated";
		size_t count = 0;
		for (size_t r = 0; r < n; r++) {
			const char *cr = rulebook_population_class(pop, r, (size_t)by_rank);
			count += cr && strcmp(cr, cls) == 0;
		}
		printf(" %s %zu%s", cls, count, k < nclasses ? "," : "\n");
	}
	status = 0;

done:
	if (fp)
		fclose(fp);
	rulebook_population_free(pop);
	rulebook_result_free(res);
	rulebook_facts_free(facts);
	rulebook_free(rb);
	rulebook_error_free(err);
	return status;
}
