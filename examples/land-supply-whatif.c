/* Land parcels evaluated together as a population: each aggregate of the
 * rulebook (the industrial share of the year's land supply, 四（二）; the
 * share of new industrial land supplied as 标准地, 三（一）2) with its
 * verdict, numerator, denominator, threshold, gap and the parcels counted.
 * Then a what-if: the same population plus one proposed non-industrial
 * parcel, and how each share and verdict change.
 *
 *   land-supply-whatif [RULEBOOK.yaml [PARCELS.csv [AREA]]]
 *
 * PARCELS.csv has a header row of input names ("_id" names the parcel) and
 * one parcel per row; an empty cell is missing. AREA is the proposed
 * parcel's area in 亩, or with a unit ("10000 m²"). The defaults are
 * examples/data/land-supply.yaml, examples/data/land-supply-2023.csv and
 * 15. The parcels are evaluated as of 2023-12-31. */
#include <rulebook.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AS_OF 20231231
#define MAX_COLUMNS 32

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
static char *read_file(const char *path)
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
	return buf;
}

/* Split the line at s (ending at '\n' or NUL) into at most max fields at
 * commas, in place; empty fields become NULL. Returns the number of
 * fields and sets *next to the start of the next line (NULL at the end). */
static size_t split_line(char *s, char **fields, size_t max, char **next)
{
	char *end = strchr(s, '\n');
	*next = end ? end + 1 : NULL;
	if (end)
		*end = '\0';
	size_t len = strlen(s);
	if (len && s[len - 1] == '\r')
		s[len - 1] = '\0';
	size_t n = 0;
	for (;;) {
		char *comma = strchr(s, ',');
		if (comma)
			*comma = '\0';
		if (n < max)
			fields[n] = s[0] ? s : NULL;
		n++;
		if (!comma)
			return n;
		s = comma + 1;
	}
}

/* A parcel table read from CSV: cells[r * ncols + c] is the text of input
 * inputs[c] for parcel r, ids[r] its "_id". Pointers into text. */
struct table {
	char *text;
	size_t inputs[MAX_COLUMNS], ncols, nrows;
	const char **cells, **ids;
};

static void table_free(struct table *t)
{
	free(t->text);
	free(t->cells);
	free(t->ids);
}

static int table_read(const rulebook *rb, const char *path, struct table *t)
{
	memset(t, 0, sizeof *t);
	if (!(t->text = read_file(path)))
		return -1;
	/* The header: each column is an input of the rulebook, or "_id". */
	char *fields[MAX_COLUMNS], *line = t->text, *next;
	size_t nfields = split_line(line, fields, MAX_COLUMNS, &next);
	long id_col = -1;
	if (nfields > MAX_COLUMNS) {
		fprintf(stderr, "%s: more than %d columns\n", path, MAX_COLUMNS);
		return -1;
	}
	for (size_t c = 0; c < nfields; c++) {
		const char *name = fields[c] ? fields[c] : "";
		if (strcmp(name, "_id") == 0) {
			id_col = (long)c;
		} else if (rulebook_input_index(rb, name, strlen(name), &t->inputs[t->ncols++]) !=
			   RULEBOOK_OK) {
			fprintf(stderr, "%s:1: column '%s' is not an input of %s\n", path, name,
				rulebook_id(rb));
			return -1;
		}
	}
	if (t->ncols == 0) {
		fprintf(stderr, "%s:1: no input columns\n", path);
		return -1;
	}
	/* The rows, one parcel each; blank lines are skipped. */
	size_t cap = 0;
	for (unsigned lineno = 2; (line = next) != NULL; lineno++) {
		if (line[0] == '\n' || line[0] == '\r' || line[0] == '\0') {
			next = strchr(line, '\n');
			next = next ? next + 1 : NULL;
			continue;
		}
		if (split_line(line, fields, MAX_COLUMNS, &next) != nfields) {
			fprintf(stderr, "%s:%u: expected %zu cells\n", path, lineno, nfields);
			return -1;
		}
		if (t->nrows == cap) {
			cap = cap ? 2 * cap : 16;
			const char **cells = realloc(t->cells, cap * t->ncols * sizeof *cells);
			if (cells)
				t->cells = cells;
			const char **ids = realloc(t->ids, cap * sizeof *ids);
			if (ids)
				t->ids = ids;
			if (!cells || !ids) {
				fprintf(stderr, "out of memory\n");
				return -1;
			}
		}
		size_t k = 0;
		t->ids[t->nrows] = id_col >= 0 ? fields[id_col] : NULL;
		for (size_t c = 0; c < nfields; c++)
			if ((long)c != id_col)
				t->cells[t->nrows * t->ncols + k++] = fields[c];
		t->nrows++;
	}
	return 0;
}

/* A figure of aggregate a, or "-" when it does not apply. */
static const char *agg(rulebook_population *pop, size_t a, rulebook_aggregate_field field)
{
	const char *v = rulebook_population_aggregate_value(pop, a, field);
	return v ? v : "-";
}

static void print_aggregates(const rulebook *rb, rulebook_population *pop)
{
	for (size_t a = 0; a < rulebook_aggregate_count(rb); a++) {
		const char *title = rulebook_aggregate_title(rb, a, "en");
		rulebook_verdict verdict = rulebook_population_aggregate_verdict(pop, a);
		printf("\n%s%s%s (clause %s): %s\n", rulebook_aggregate_id(rb, a),
		       title ? ", " : "", title ? title : "", rulebook_aggregate_cite(rb, a),
		       rulebook_verdict_str(verdict));
		/* A share is a ratio: numerator (the records where `where`
		 * holds) over denominator (every counted record), both sums of
		 * the per-record value (here land_area, in 亩). Other measures
		 * carry their unit. */
		const char *unit = rulebook_aggregate_unit(rb, a);
		printf("  value %s%s%s", agg(pop, a, RULEBOOK_AGGREGATE_VALUE), unit[0] ? " " : "",
		       unit);
		if (rulebook_population_aggregate_value(pop, a, RULEBOOK_AGGREGATE_NUMERATOR))
			printf(" = %s / %s", agg(pop, a, RULEBOOK_AGGREGATE_NUMERATOR),
			       agg(pop, a, RULEBOOK_AGGREGATE_DENOMINATOR));
		printf(", threshold %s\n", agg(pop, a, RULEBOOK_AGGREGATE_THRESHOLD));
		/* For a failed requirement: the change needed, and who answers
		 * for it. */
		const char *gap =
			rulebook_population_aggregate_value(pop, a, RULEBOOK_AGGREGATE_GAP);
		if (gap)
			printf("  gap: %s\n", gap);
		if (verdict == RULEBOOK_FAIL && rulebook_aggregate_responsible_count(rb, a)) {
			printf("  responsible:");
			for (size_t j = 0; j < rulebook_aggregate_responsible_count(rb, a); j++)
				printf("%s%s", j ? ", " : " ",
				       rulebook_aggregate_responsible(rb, a, j));
			printf("\n");
		}
		/* Which records passed the filter. */
		printf("  counted %s:", agg(pop, a, RULEBOOK_AGGREGATE_COUNTED));
		for (size_t j = 0; j < rulebook_population_aggregate_record_count(pop, a); j++) {
			const char *id = rulebook_population_record_id(
				pop, rulebook_population_aggregate_record(pop, a, j));
			printf(" %s", id ? id : "?");
		}
		printf("\n");
	}
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "examples/data/land-supply.yaml";
	const char *csv = argc > 2 ? argv[2] : "examples/data/land-supply-2023.csv";
	const char *area = argc > 3 ? argv[3] : "15";
	int status = 1;
	rulebook *rb = NULL;
	rulebook_facts *proposal = NULL;
	rulebook_population *pop = NULL, *whatif = NULL;
	struct table t = {0};
	size_t *bad_rows = NULL;
	rulebook_error *err = rulebook_error_new();
	if (!err)
		return 1;

	if (rulebook_load_file(path, NULL, &rb, err) != RULEBOOK_OK) {
		print_errors(err);
		goto done;
	}
	if (table_read(rb, csv, &t) != 0)
		goto done;

	/* The whole table goes in with one call. A parcel with a bad cell is
	 * not added: its row comes back in bad_rows. */
	pop = rulebook_population_new(rb, AS_OF);
	bad_rows = malloc((t.nrows ? t.nrows : 1) * sizeof *bad_rows);
	if (!pop || !bad_rows) {
		fprintf(stderr, "out of memory\n");
		goto done;
	}
	size_t bad_count = 0;
	if (rulebook_population_add_table(pop, t.nrows, t.inputs, t.ncols, t.cells, t.ids, bad_rows,
					  &bad_count, err) != RULEBOOK_OK) {
		print_errors(err);
		goto done;
	}
	for (size_t i = 0; i < bad_count; i++) {
		const char *id = t.ids[bad_rows[i]];
		fprintf(stderr, "%s: parcel %s (row %zu) skipped: a cell is not a valid value\n",
			csv, id ? id : "without _id", bad_rows[i] + 1);
	}

	printf("%s: %zu parcels as of 2023-12-31\n", rulebook_title(rb, "en"),
	       rulebook_population_size(pop));
	print_aggregates(rb, pop);

	/* What-if: a copy of the population plus the proposed parcel. The
	 * original is left as it was, so the two can be compared. */
	proposal = rulebook_facts_new(rb);
	whatif = rulebook_population_copy(pop);
	if (!proposal || !whatif) {
		fprintf(stderr, "out of memory\n");
		goto done;
	}
	if (rulebook_facts_set_id(proposal, "proposed", strlen("proposed")) != RULEBOOK_OK ||
	    rulebook_facts_set_decimal(proposal, "land_area", area, err) != RULEBOOK_OK ||
	    rulebook_facts_set_int(proposal, "supply_year", 2023, err) != RULEBOOK_OK ||
	    rulebook_facts_set_bool(proposal, "is_industrial", 0, err) != RULEBOOK_OK ||
	    rulebook_population_add(whatif, proposal, err) != RULEBOOK_OK) {
		print_errors(err);
		goto done;
	}
	printf("\nWhat if a non-industrial parcel of %s%s is supplied in 2023?\n", area,
	       strchr(area, ' ') ? "" : " 亩");
	for (size_t a = 0; a < rulebook_aggregate_count(rb); a++) {
		rulebook_verdict before = rulebook_population_aggregate_verdict(pop, a);
		rulebook_verdict after = rulebook_population_aggregate_verdict(whatif, a);
		printf("  %s: %s -> %s, value %s -> %s", rulebook_aggregate_id(rb, a),
		       rulebook_verdict_str(before), rulebook_verdict_str(after),
		       agg(pop, a, RULEBOOK_AGGREGATE_VALUE),
		       agg(whatif, a, RULEBOOK_AGGREGATE_VALUE));
		const char *gap =
			rulebook_population_aggregate_value(whatif, a, RULEBOOK_AGGREGATE_GAP);
		if (gap)
			printf(", gap %s", gap);
		printf("\n");
	}
	status = 0;

done:
	rulebook_population_free(whatif);
	rulebook_population_free(pop);
	rulebook_facts_free(proposal);
	free(bad_rows);
	table_free(&t);
	rulebook_free(rb);
	rulebook_error_free(err);
	return status;
}
