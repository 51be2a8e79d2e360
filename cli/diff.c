/* rulebook diff: evaluate a population under two versions of a rulebook and
 * list everything that changed — rule verdicts, classes and scores,
 * aggregates, target statuses — each with its causes found by comparing
 * the two rulebooks: parameters whose value differs, definitions that
 * differ (an expression, a benchmark, a cut-off), items added or removed.
 * The records are kept in one population per rulebook, so classes by rank
 * and aggregates are compared too; memory grows with the records. */
#include "cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"Usage: rulebook diff [OPTION]... OLD NEW DATA\n"
	"Evaluate the records in DATA, as one population, under the rulebooks OLD\n"
	"and NEW and list what changed: rule verdicts, scorecard classes and\n"
	"scores (classes by rank included), aggregate values and verdicts, target\n"
	"statuses. Each change names its causes: parameters whose value (as of\n"
	"the date), provenance or clause differ; definitions that differ (a rule's\n"
	"expression, a benchmark or cut-off); items added or removed. A summary\n"
	"says who moves class.\n"
	"\n"
	"  -d, --as-of DATE           evaluate as of DATE (YYYY-MM-DD; default today)\n"
	"  -f, --format FORMAT        table (default), json or csv\n"
	"  -i, --input-format FORMAT  csv, json or jsonl (default: from the file name)\n"
	"      --ignore-unknown       skip columns and keys that are not inputs of\n"
	"                             either rulebook\n"
	CLI_INPUT_HELP
	"  -I, --search-path DIR      look for the parents named by 'extends: <id>' in\n"
	"                             DIR too (repeatable)\n"
	"      --strict               stop at the first malformed record (status 2)\n"
	"  -h, --help                 show this help and exit\n"
	"\n"
	"A column or key must be an input of at least one of the rulebooks.\n"
	"Exit status: 0 nothing changed, 1 something changed (in the rulebooks or\n"
	"in a result), 2 usage error, unreadable input or (with --strict) a\n"
	"malformed record, 3 a record was refused (unless --skip-bad).\n";

enum { FMT_TABLE, FMT_JSON, FMT_CSV };

static const char *const kind_word[] = {"rule", "target", "scorecard", "aggregate", "indicator"};

/* One item (rule, target, ...) of either rulebook, matched by id. */
typedef struct item {
	rulebook_item_kind kind;
	const char *id;
	size_t at[2];              /* index in OLD and NEW, SIZE_MAX when absent */
	char *causes;              /* "; "-separated; NULL when none found */
} item;

/* One change in a result. */
typedef struct change {
	const char *record;        /* owned by the run's labels */
	const char *what;          /* "rule", "class", "score", "aggregate", "target" */
	const item *it;
	char *from, *to;
} change;

typedef struct diff_run {
	const rulebook *books[2];
	rulebook_facts *facts[2];
	rulebook_result *res[2];
	rulebook_population *pop[2];
	const char *names[2];
	int32_t as_of;
	bool strict;
	bool stopped;
	/* parameters that differ, as lines "name: a → b" */
	char **params;
	char **param_names;
	size_t nparams;
	item *items;
	size_t nitems;
	char **labels;
	size_t nlabels, caplabels;
	change *changes;
	size_t nchanges, capchanges;
	size_t skipped;
	bool nomem;
} diff_run;

static char *xstrdup(diff_run *run, const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		run->nomem = true;
	return d;
}

/* Append printf-style text to *s ("; " between pieces). */
static void add_cause(diff_run *run, char **s, const char *fmt, ...) CLI_PRINTF(3, 4);

static void add_cause(diff_run *run, char **s, const char *fmt, ...)
{
	char piece[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(piece, sizeof piece, fmt, ap);
	va_end(ap);
	size_t old = *s ? strlen(*s) : 0;
	char *n = realloc(*s, old + strlen(piece) + 3);
	if (!n) {
		run->nomem = true;
		return;
	}
	if (old)
		memcpy(n + old, "; ", 2), old += 2;
	strcpy(n + old, piece);
	*s = n;
}

static size_t param_index(const rulebook *rb, const char *name)
{
	for (size_t i = 0; i < rulebook_param_count(rb); i++)
		if (strcmp(rulebook_param_name(rb, i), name) == 0)
			return i;
	return SIZE_MAX;
}

static const char *param_text(const rulebook *rb, size_t i, int32_t as_of, char *buf, size_t size)
{
	const char *v = rulebook_param_value(rb, i, as_of);
	const char *unit = rulebook_param_unit(rb, i);
	if (!v)
		snprintf(buf, size, "(no value)");
	else
		snprintf(buf, size, "%s%s%s", v, unit && unit[0] ? " " : "", unit ? unit : "");
	return buf;
}

static void add_param(diff_run *run, const char *name, const char *line)
{
	char **p = realloc(run->params, (run->nparams + 1) * sizeof(*p));
	char **q = p ? realloc(run->param_names, (run->nparams + 1) * sizeof(*q)) : NULL;
	if (p)
		run->params = p;
	if (!p || !q) {
		run->nomem = true;
		return;
	}
	run->param_names = q;
	run->params[run->nparams] = xstrdup(run, line);
	run->param_names[run->nparams++] = xstrdup(run, name);
}

/* Parameters that differ between the books. */
static void diff_parameters(diff_run *run)
{
	for (int b = 0; b < 2; b++) {
		const rulebook *rb = run->books[b], *other = run->books[1 - b];
		for (size_t i = 0; i < rulebook_param_count(rb); i++) {
			const char *name = rulebook_param_name(rb, i);
			size_t j = param_index(other, name);
			char v0[256], v1[256], line[1024];
			if (j == SIZE_MAX) {
				snprintf(line, sizeof line, "parameter %s %s (%s)", name,
					 b ? "added" : "removed", param_text(rb, i, run->as_of, v0, sizeof v0));
				add_param(run, name, line);
				continue;
			}
			if (b == 1)
				continue; /* pairs are compared once, from the old side */
			param_text(rb, i, run->as_of, v0, sizeof v0);
			param_text(other, j, run->as_of, v1, sizeof v1);
			const char *p0 = rulebook_param_provenance(rb, i), *p1 = rulebook_param_provenance(other, j);
			const char *c0 = rulebook_param_cite(rb, i), *c1 = rulebook_param_cite(other, j);
			bool dv = strcmp(v0, v1) != 0, dp = strcmp(p0, p1) != 0, dc = strcmp(c0, c1) != 0;
			if (!dv && !dp && !dc)
				continue;
			size_t n = (size_t)snprintf(line, sizeof line, "parameter %s", name);
			const char *sep = " ";
			if (dv && n < sizeof line) {
				n += (size_t)snprintf(line + n, sizeof line - n, "%s%s → %s", sep, v0, v1);
				sep = ", ";
			}
			if (dp && n < sizeof line) {
				n += (size_t)snprintf(line + n, sizeof line - n, "%sprovenance %s → %s", sep,
						      p0, p1);
				sep = ", ";
			}
			if (dc && n < sizeof line)
				snprintf(line + n, sizeof line - n, "%sclause %s → %s", sep, c0, c1);
			add_param(run, name, line);
		}
	}
}

static const char *param_change(const diff_run *run, const char *name)
{
	for (size_t i = 0; i < run->nparams; i++)
		if (strcmp(run->param_names[i], name) == 0)
			return run->params[i];
	return NULL;
}

/* The lines of definition a that are not in b, as "path: value". */
static void definition_changes(diff_run *run, char **causes, const char *a, const char *b,
			       const char *prefix)
{
	/* a line changed in place shows as "path: old → new"; one only in
	 * either as "path: old → (none)" / "(none) → new" */
	const char *texts[2] = {a, b};
	for (int side = 0; side < 2; side++) {
		const char *t = texts[side], *o = texts[1 - side];
		for (const char *line = t; *line;) {
			const char *end = strchr(line, '\n');
			size_t len = end ? (size_t)(end - line) : strlen(line);
			const char *colon = memchr(line, ':', len);
			size_t plen = colon ? (size_t)(colon - line) : len;
			/* the same line in the other text? */
			bool same = false, path_there = false;
			const char *other_value = NULL;
			size_t other_len = 0;
			for (const char *l2 = o; *l2;) {
				const char *e2 = strchr(l2, '\n');
				size_t n2 = e2 ? (size_t)(e2 - l2) : strlen(l2);
				if (n2 == len && memcmp(l2, line, len) == 0)
					same = true;
				else if (n2 > plen && memcmp(l2, line, plen) == 0 && l2[plen] == ':') {
					path_there = true;
					other_value = l2 + plen + 2;
					other_len = n2 - plen - 2;
				}
				l2 += n2 + (e2 ? 1 : 0);
			}
			if (!same && (side == 0 || !path_there)) {
				const char *value = colon ? colon + 2 : "";
				int vlen = colon ? (int)(len - plen - 2) : 0;
				if (side == 0 && path_there)
					add_cause(run, causes, "%s%.*s: %.*s → %.*s", prefix, (int)plen, line,
						  vlen, value, (int)other_len, other_value);
				else if (side == 0)
					add_cause(run, causes, "%s%.*s: %.*s → (none)", prefix, (int)plen,
						  line, vlen, value);
				else
					add_cause(run, causes, "%s%.*s: (none) → %.*s", prefix, (int)plen,
						  line, vlen, value);
			}
			line += len + (end ? 1 : 0);
		}
	}
}

static size_t item_at(const rulebook *rb, rulebook_item_kind kind, const char *id)
{
	for (size_t i = 0; i < rulebook_item_count(rb, kind); i++)
		if (strcmp(rulebook_item_id(rb, kind, i), id) == 0)
			return i;
	return SIZE_MAX;
}

/* Why item it may give other results: added, removed, its definition, the
 * parameters and indicators it uses. */
static void item_causes(diff_run *run, item *it)
{
	const rulebook *o = run->books[0], *n = run->books[1];
	if (it->at[0] == SIZE_MAX) {
		add_cause(run, &it->causes, "%s added in NEW", kind_word[it->kind]);
		return;
	}
	if (it->at[1] == SIZE_MAX) {
		add_cause(run, &it->causes, "%s removed or disabled in NEW", kind_word[it->kind]);
		return;
	}
	const char *d0 = rulebook_item_definition(o, it->kind, it->at[0]);
	const char *d1 = rulebook_item_definition(n, it->kind, it->at[1]);
	if (d0 && d1 && strcmp(d0, d1) != 0)
		definition_changes(run, &it->causes, d0, d1, "");
	/* what it uses, in either version, once */
	for (int b = 0; b < 2; b++) {
		const rulebook *rb = run->books[b];
		for (size_t j = 0; j < rulebook_item_uses_count(rb, it->kind, it->at[b]); j++) {
			const char *name = rulebook_item_uses(rb, it->kind, it->at[b], j);
			if (b == 1) {
				bool seen = false;
				for (size_t q = 0; q < rulebook_item_uses_count(o, it->kind, it->at[0]); q++)
					if (strcmp(rulebook_item_uses(o, it->kind, it->at[0], q), name) == 0)
						seen = true;
				if (seen)
					continue;
			}
			const char *p = param_change(run, name);
			if (p) {
				add_cause(run, &it->causes, "%s", p);
				continue;
			}
			size_t i0 = item_at(o, RULEBOOK_ITEM_INDICATOR, name);
			size_t i1 = item_at(n, RULEBOOK_ITEM_INDICATOR, name);
			if (i0 != SIZE_MAX && i1 != SIZE_MAX) {
				const char *a = rulebook_item_definition(o, RULEBOOK_ITEM_INDICATOR, i0);
				const char *c = rulebook_item_definition(n, RULEBOOK_ITEM_INDICATOR, i1);
				char prefix[256];
				snprintf(prefix, sizeof prefix, "indicator %s ", name);
				if (a && c && strcmp(a, c) != 0)
					definition_changes(run, &it->causes, a, c, prefix);
			}
		}
	}
}

static void build_items(diff_run *run)
{
	size_t cap = 0;
	for (int k = RULEBOOK_ITEM_RULE; k <= RULEBOOK_ITEM_AGGREGATE; k++)
		cap += rulebook_item_count(run->books[0], k) + rulebook_item_count(run->books[1], k);
	run->items = calloc(cap ? cap : 1, sizeof(item));
	if (!run->items) {
		run->nomem = true;
		return;
	}
	for (int k = RULEBOOK_ITEM_RULE; k <= RULEBOOK_ITEM_AGGREGATE; k++)
		for (int b = 0; b < 2; b++)
			for (size_t i = 0; i < rulebook_item_count(run->books[b], k); i++) {
				const char *id = rulebook_item_id(run->books[b], k, i);
				size_t other = item_at(run->books[1 - b], k, id);
				if (b == 1 && other != SIZE_MAX)
					continue;
				item *it = &run->items[run->nitems++];
				it->kind = (rulebook_item_kind)k;
				it->id = id;
				it->at[b] = i;
				it->at[1 - b] = other;
				item_causes(run, it);
			}
}

static void add_change(diff_run *run, const char *record, const char *what, const item *it,
		       const char *from, const char *to)
{
	if (run->nchanges == run->capchanges) {
		size_t cap = run->capchanges ? run->capchanges * 2 : 64;
		change *c = realloc(run->changes, cap * sizeof(*c));
		if (!c) {
			run->nomem = true;
			return;
		}
		run->changes = c;
		run->capchanges = cap;
	}
	change *c = &run->changes[run->nchanges++];
	c->record = record;
	c->what = what;
	c->it = it;
	c->from = xstrdup(run, from ? from : "-");
	c->to = xstrdup(run, to ? to : "-");
}

static int on_record(const cli_record *rec, void *payload)
{
	diff_run *run = payload;
	if (!rec->ok) {
		run->skipped++;
		if (run->strict) {
			fputs("rulebook diff: stopped at the first malformed record (--strict)\n", stderr);
			run->stopped = true;
			return 1;
		}
		return 0;
	}
	for (int b = 0; b < 2; b++)
		if (rulebook_eval(run->books[b], run->facts[b], run->as_of, run->res[b], NULL) !=
			    RULEBOOK_OK ||
		    rulebook_population_add(run->pop[b], run->facts[b], NULL) != RULEBOOK_OK) {
			fputs("rulebook diff: evaluation failed (out of memory?)\n", stderr);
			run->stopped = true;
			return 1;
		}
	char label[64];
	const char *id = rulebook_result_record_id(run->res[0]);
	if (!id) {
		snprintf(label, sizeof label, "#%zu", rec->number);
		id = label;
	}
	if (run->nlabels == run->caplabels) {
		size_t cap = run->caplabels ? run->caplabels * 2 : 256;
		char **l = realloc(run->labels, cap * sizeof(*l));
		if (!l) {
			run->nomem = run->stopped = true;
			return 1;
		}
		run->labels = l;
		run->caplabels = cap;
	}
	run->labels[run->nlabels++] = xstrdup(run, id);
	/* targets are per record and not kept by the population */
	const char *rid = run->labels[run->nlabels - 1];
	for (size_t i = 0; i < run->nitems; i++) {
		const item *it = &run->items[i];
		if (it->kind != RULEBOOK_ITEM_TARGET || it->at[0] == SIZE_MAX || it->at[1] == SIZE_MAX)
			continue;
		rulebook_target_status s0 = rulebook_result_target_status(run->res[0], it->at[0]);
		rulebook_target_status s1 = rulebook_result_target_status(run->res[1], it->at[1]);
		if (s0 != s1)
			add_change(run, rid, "target", it, rulebook_target_status_str(s0),
				   rulebook_target_status_str(s1));
	}
	return 0;
}

/* After the last record: rules, classes, scores and aggregates from the
 * two populations. */
static void compare_populations(diff_run *run)
{
	for (size_t r = 0; r < run->nlabels; r++) {
		const char *rid = run->labels[r];
		for (size_t i = 0; i < run->nitems; i++) {
			const item *it = &run->items[i];
			if (it->at[0] == SIZE_MAX || it->at[1] == SIZE_MAX)
				continue;
			if (it->kind == RULEBOOK_ITEM_RULE) {
				rulebook_verdict v0 = rulebook_population_verdict(run->pop[0], r, it->at[0]);
				rulebook_verdict v1 = rulebook_population_verdict(run->pop[1], r, it->at[1]);
				if (v0 != v1)
					add_change(run, rid, "rule", it, rulebook_verdict_str(v0),
						   rulebook_verdict_str(v1));
			} else if (it->kind == RULEBOOK_ITEM_SCORECARD) {
				const char *c0 = rulebook_population_class(run->pop[0], r, it->at[0]);
				char *c0copy = xstrdup(run, c0 ? c0 : "unknown");
				const char *c1 = rulebook_population_class(run->pop[1], r, it->at[1]);
				if (c0copy && strcmp(c0copy, c1 ? c1 : "unknown") != 0)
					add_change(run, rid, "class", it, c0copy, c1 ? c1 : "unknown");
				free(c0copy);
				const char *s0 = rulebook_population_score(run->pop[0], r, it->at[0]);
				char *s0copy = s0 ? xstrdup(run, s0) : NULL;
				const char *s1 = rulebook_population_score(run->pop[1], r, it->at[1]);
				if ((s0copy == NULL) != (s1 == NULL) ||
				    (s0copy && s1 && strcmp(s0copy, s1) != 0))
					add_change(run, rid, "score", it, s0copy, s1);
				free(s0copy);
			}
		}
	}
	const char *pop_label = "(population)";
	for (size_t i = 0; i < run->nitems; i++) {
		const item *it = &run->items[i];
		if (it->kind != RULEBOOK_ITEM_AGGREGATE || it->at[0] == SIZE_MAX || it->at[1] == SIZE_MAX)
			continue;
		rulebook_verdict v0 = rulebook_population_aggregate_verdict(run->pop[0], it->at[0]);
		rulebook_verdict v1 = rulebook_population_aggregate_verdict(run->pop[1], it->at[1]);
		const char *a0 = rulebook_population_aggregate_value(run->pop[0], it->at[0],
								     RULEBOOK_AGGREGATE_VALUE);
		const char *a1 = rulebook_population_aggregate_value(run->pop[1], it->at[1],
								     RULEBOOK_AGGREGATE_VALUE);
		char f[512], t[512];
		snprintf(f, sizeof f, "%s (%s)", rulebook_verdict_str(v0), a0 ? a0 : "no value");
		snprintf(t, sizeof t, "%s (%s)", rulebook_verdict_str(v1), a1 ? a1 : "no value");
		if (strcmp(f, t) != 0)
			add_change(run, pop_label, "aggregate", it, f, t);
	}
}

/* ---- output ---- */

static size_t width(size_t w, const char *s)
{
	size_t n = cli_text_width(s);
	return n > w ? n : w;
}

static const char *cause_of(const change *c)
{
	return c->it->causes ? c->it->causes : "no difference found in the rulebooks";
}

/* Scores for people in a table: 4 decimals (JSON and CSV keep them exact). */
static const char *people(const change *c, const char *text, char *buf, size_t size)
{
	if (strcmp(c->what, "score") != 0)
		return text;
	const char *r = cli_people(text, buf, size);
	return r ? r : text;
}

typedef struct move {
	const char *scorecard, *from, *to;
	size_t count;
	size_t first;              /* index of the first change of this move */
} move;

/* Class changes grouped by scorecard and (from, to), most records first. */
static move *class_moves(const diff_run *run, size_t *n)
{
	move *m = calloc(run->nchanges ? run->nchanges : 1, sizeof(*m));
	*n = 0;
	if (!m)
		return NULL;
	for (size_t i = 0; i < run->nchanges; i++) {
		const change *c = &run->changes[i];
		if (strcmp(c->what, "class") != 0)
			continue;
		size_t k;
		for (k = 0; k < *n; k++)
			if (strcmp(m[k].scorecard, c->it->id) == 0 && strcmp(m[k].from, c->from) == 0 &&
			    strcmp(m[k].to, c->to) == 0)
				break;
		if (k == *n)
			m[(*n)++] = (move){c->it->id, c->from, c->to, 0, i};
		m[k].count++;
	}
	for (size_t a = 1; a < *n; a++)
		for (size_t b = a; b > 0 && m[b].count > m[b - 1].count; b--) {
			move t = m[b];
			m[b] = m[b - 1];
			m[b - 1] = t;
		}
	return m;
}

static void print_records_of(const diff_run *run, const move *mv, FILE *fp, bool json)
{
	size_t shown = 0;
	for (size_t i = mv->first; i < run->nchanges; i++) {
		const change *c = &run->changes[i];
		if (strcmp(c->what, "class") != 0 || strcmp(c->it->id, mv->scorecard) != 0 ||
		    strcmp(c->from, mv->from) != 0 || strcmp(c->to, mv->to) != 0)
			continue;
		if (json) {
			fputs(shown++ ? "," : "", fp);
			cli_json_put_string(fp, c->record);
			continue;
		}
		if (shown++ == 10) {
			fprintf(fp, ", … (%zu more)", mv->count - 10);
			break;
		}
		fputs(shown > 1 ? ", " : "", fp);
		cli_put_clean(fp, c->record);
	}
}

static void print_table(const diff_run *run, const move *moves, size_t nmoves, FILE *fp)
{
	bool any = false;
	if (run->nparams) {
		fputs("Parameters that differ:\n", fp);
		for (size_t i = 0; i < run->nparams; i++) {
			fputs("  ", fp);
			cli_put_clean(fp, run->params[i]);
			fputc('\n', fp);
		}
		any = true;
	}
	size_t shown = 0;
	for (size_t i = 0; i < run->nitems; i++) {
		const item *it = &run->items[i];
		if (!it->causes)
			continue;
		if (!shown++)
			fprintf(fp, "%sWhat differs for each item:\n", any ? "\n" : "");
		fprintf(fp, "  %s ", kind_word[it->kind]);
		cli_put_clean(fp, it->id);
		fputs(": ", fp);
		cli_put_clean(fp, it->causes);
		fputc('\n', fp);
	}
	any = any || shown;
	if (run->nchanges) {
		size_t w[5] = {cli_text_width("RECORD"), cli_text_width("KIND"), cli_text_width("ITEM"),
			       cli_text_width("OLD"), cli_text_width("NEW")};
		char f[160], t[160];
		for (size_t i = 0; i < run->nchanges; i++) {
			const change *c = &run->changes[i];
			w[0] = width(w[0], c->record);
			w[1] = width(w[1], c->what);
			w[2] = width(w[2], c->it->id);
			w[3] = width(w[3], people(c, c->from, f, sizeof f));
			w[4] = width(w[4], people(c, c->to, t, sizeof t));
		}
		fprintf(fp, "%sChanges:\n  ", any ? "\n" : "");
		const char *head[5] = {"RECORD", "KIND", "ITEM", "OLD", "NEW"};
		for (int k = 0; k < 5; k++) {
			cli_put_padded(fp, head[k], w[k]);
			fputs("  ", fp);
		}
		fputs("CAUSE\n", fp);
		for (size_t i = 0; i < run->nchanges; i++) {
			const change *c = &run->changes[i];
			const char *cols[5] = {c->record, c->what, c->it->id,
					       people(c, c->from, f, sizeof f),
					       people(c, c->to, t, sizeof t)};
			fputs("  ", fp);
			for (int k = 0; k < 5; k++) {
				cli_put_padded(fp, cols[k], w[k]);
				fputs("  ", fp);
			}
			cli_put_clean(fp, cause_of(c));
			fputc('\n', fp);
		}
		any = true;
	}
	if (nmoves) {
		fputs("\nWho moves class:\n", fp);
		for (size_t i = 0; i < nmoves; i++) {
			fputs("  ", fp);
			cli_put_clean(fp, moves[i].scorecard);
			fputs(" ", fp);
			cli_put_clean(fp, moves[i].from);
			fputs(" → ", fp);
			cli_put_clean(fp, moves[i].to);
			fprintf(fp, ": %zu record%s (", moves[i].count, moves[i].count == 1 ? "" : "s");
			print_records_of(run, &moves[i], fp, false);
			fputs(")\n", fp);
		}
	}
	size_t changed = 0;
	for (size_t i = 0; i < run->nchanges; i++)
		if (i == 0 || run->changes[i].record != run->changes[i - 1].record)
			changed++;
	fprintf(fp, "%s%zu record%s compared, %zu change%s", any ? "\n" : "", run->nlabels,
		run->nlabels == 1 ? "" : "s", run->nchanges, run->nchanges == 1 ? "" : "s");
	if (run->skipped)
		fprintf(fp, ", %zu malformed skipped", run->skipped);
	fputc('\n', fp);
	for (int b = 0; b < 2; b++) {
		fputs(b ? "new: " : "old: ", fp);
		cli_put_clean(fp, rulebook_id(run->books[b]));
		fprintf(fp, "  hash %s\n", rulebook_hash(run->books[b]));
	}
	char date[16];
	fprintf(fp, "as of %s  rulebook %s\n", cli_date_text(run->as_of, date), rulebook_version());
}

static void json_book(FILE *fp, const rulebook *rb, const char *name)
{
	fputs("{\"file\":", fp);
	cli_json_put_string(fp, name);
	fputs(",\"id\":", fp);
	cli_json_put_string(fp, rulebook_id(rb));
	fputs(",\"hash\":", fp);
	cli_json_put_string(fp, rulebook_hash(rb));
	fputc('}', fp);
}

static void json_causes(FILE *fp, const char *causes)
{
	fputc('[', fp);
	for (const char *p = causes; p && *p;) {
		const char *end = strstr(p, "; ");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char *one = strndup(p, n);
		if (p != causes)
			fputc(',', fp);
		cli_json_put_string(fp, one ? one : "");
		free(one);
		p += n + (end ? 2 : 0);
	}
	fputc(']', fp);
}

static void print_json(const diff_run *run, const move *moves, size_t nmoves, FILE *fp)
{
	char date[16];
	fputs("{\"old\":", fp);
	json_book(fp, run->books[0], run->names[0]);
	fputs(",\"new\":", fp);
	json_book(fp, run->books[1], run->names[1]);
	fprintf(fp, ",\"as_of\":\"%s\",\"library_version\":", cli_date_text(run->as_of, date));
	cli_json_put_string(fp, rulebook_version());
	fprintf(fp, ",\"records\":%zu,\"skipped\":%zu,\"parameters\":[", run->nlabels, run->skipped);
	for (size_t i = 0; i < run->nparams; i++) {
		fputs(i ? "," : "", fp);
		cli_json_put_string(fp, run->params[i]);
	}
	fputs("],\"items\":[", fp);
	size_t shown = 0;
	for (size_t i = 0; i < run->nitems; i++) {
		const item *it = &run->items[i];
		if (!it->causes)
			continue;
		fprintf(fp, "%s{\"kind\":\"%s\",\"id\":", shown++ ? "," : "", kind_word[it->kind]);
		cli_json_put_string(fp, it->id);
		fprintf(fp, ",\"status\":\"%s\",\"causes\":",
			it->at[0] == SIZE_MAX ? "added" : it->at[1] == SIZE_MAX ? "removed" : "changed");
		json_causes(fp, it->causes);
		fputc('}', fp);
	}
	fputs("],\"changes\":[", fp);
	for (size_t i = 0; i < run->nchanges; i++) {
		const change *c = &run->changes[i];
		fputs(i ? ",\n{\"record\":" : "\n{\"record\":", fp);
		cli_json_put_string(fp, c->record);
		fprintf(fp, ",\"kind\":\"%s\",\"item\":", c->what);
		cli_json_put_string(fp, c->it->id);
		fputs(",\"old\":", fp);
		cli_json_put_string(fp, c->from);
		fputs(",\"new\":", fp);
		cli_json_put_string(fp, c->to);
		fputs(",\"causes\":", fp);
		json_causes(fp, c->it->causes);
		fputc('}', fp);
	}
	fputs("],\"moves\":[", fp);
	for (size_t i = 0; i < nmoves; i++) {
		fputs(i ? ",{\"scorecard\":" : "{\"scorecard\":", fp);
		cli_json_put_string(fp, moves[i].scorecard);
		fputs(",\"from\":", fp);
		cli_json_put_string(fp, moves[i].from);
		fputs(",\"to\":", fp);
		cli_json_put_string(fp, moves[i].to);
		fprintf(fp, ",\"count\":%zu,\"records\":[", moves[i].count);
		print_records_of(run, &moves[i], fp, true);
		fputs("]}", fp);
	}
	fputs("]}\n", fp);
}

static void print_csv(const diff_run *run, FILE *fp)
{
	char date[16];
	cli_date_text(run->as_of, date);
	fputs("record,kind,item,old,new,cause,old_hash,new_hash,as_of,library_version\n", fp);
	for (size_t i = 0; i < run->nchanges; i++) {
		const change *c = &run->changes[i];
		const char *cols[10] = {c->record, c->what, c->it->id, c->from, c->to, cause_of(c),
					rulebook_hash(run->books[0]), rulebook_hash(run->books[1]), date,
					rulebook_version()};
		for (int k = 0; k < 10; k++) {
			if (k)
				fputc(',', fp);
			cli_csv_field(fp, cols[k]);
		}
		fputc('\n', fp);
	}
}

static void free_run(diff_run *run)
{
	for (size_t i = 0; i < run->nparams; i++) {
		free(run->params[i]);
		free(run->param_names[i]);
	}
	free(run->params);
	free(run->param_names);
	for (size_t i = 0; i < run->nitems; i++)
		free(run->items[i].causes);
	free(run->items);
	for (size_t i = 0; i < run->nchanges; i++) {
		free(run->changes[i].from);
		free(run->changes[i].to);
	}
	free(run->changes);
	for (size_t i = 0; i < run->nlabels; i++)
		free(run->labels[i]);
	free(run->labels);
	for (int b = 0; b < 2; b++) {
		rulebook_population_free(run->pop[b]);
		rulebook_result_free(run->res[b]);
		rulebook_facts_free(run->facts[b]);
	}
}

int cli_diff(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'},
		CLI_STRICT_LONGOPT,
		CLI_DATA_LONGOPTS,
	};
	diff_run run = {0};
	cli_common opt = {0};
	int format = FMT_TABLE;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:f:i:I:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "table") == 0)
				format = FMT_TABLE;
			else if (strcmp(optarg, "json") == 0)
				format = FMT_JSON;
			else if (strcmp(optarg, "csv") == 0)
				format = FMT_CSV;
			else
				return cli_usage_error("diff", "unknown format '%s': use table, json or csv",
						       optarg);
			break;
		case 'h':
			fputs(help, stdout);
			return CLI_OK;
		default: {
			int st = cli_common_option("diff", argv, c, optarg, &opt);
			if (st != CLI_OK)
				return st;
			break;
		}
		}
	}
	if (argc - optind != 3)
		return cli_usage_error("diff", "two rulebooks and a data file are needed");
	for (int i = optind; i < argc; i++)
		for (int k = optind; k < i; k++)
			if (strcmp(argv[i], "-") == 0 && strcmp(argv[k], "-") == 0)
				return cli_usage_error("diff", "stdin ('-') can be read only once");
	cli_common_finish(&opt);
	run.as_of = opt.as_of;
	run.strict = opt.strict;
	rulebook *books[2] = {NULL, NULL};
	int status = CLI_OK;
	for (int b = 0; b < 2 && status == CLI_OK; b++) {
		run.names[b] = strcmp(argv[optind + b], "-") == 0 ? "<stdin>" : argv[optind + b];
		if (cli_load_rulebook(argv[optind + b], stderr, &books[b]) != CLI_OK)
			status = CLI_TROUBLE;
	}
	if (status != CLI_OK) {
		rulebook_free(books[0]);
		return status;
	}
	for (int b = 0; b < 2; b++) {
		run.books[b] = books[b];
		run.facts[b] = rulebook_facts_new(books[b]);
		run.res[b] = rulebook_result_new(books[b]);
		run.pop[b] = rulebook_population_new(books[b], run.as_of);
		if (!run.facts[b] || !run.res[b] || !run.pop[b])
			run.nomem = true;
	}
	if (!run.nomem) {
		if (strcmp(rulebook_id(books[0]), rulebook_id(books[1])) != 0)
			fprintf(stderr, "rulebook diff: warning: the rulebooks have different ids (%s, %s)\n",
				rulebook_id(books[0]), rulebook_id(books[1]));
		diff_parameters(&run);
		build_items(&run);
	}
	if (!run.nomem) {
		cli_source src = {argv[optind + 2], opt.input_format, true, opt.ignore_unknown};
		const rulebook *const cbooks[2] = {books[0], books[1]};
		status = cli_read_records(&src, cbooks, run.facts, 2, on_record, &run);
		if (status == CLI_OK && run.stopped)
			status = CLI_TROUBLE;
	}
	if (status == CLI_OK && !run.nomem)
		compare_populations(&run);
	if (run.nomem) {
		fputs("rulebook diff: out of memory\n", stderr);
		status = CLI_TROUBLE;
	}
	if (status == CLI_OK) {
		size_t nmoves = 0;
		move *moves = class_moves(&run, &nmoves);
		if (format == FMT_JSON)
			print_json(&run, moves, nmoves, stdout);
		else if (format == FMT_CSV)
			print_csv(&run, stdout);
		else
			print_table(&run, moves, nmoves, stdout);
		free(moves);
		bool static_diffs = run.nparams != 0;
		for (size_t i = 0; i < run.nitems; i++)
			static_diffs = static_diffs || run.items[i].causes != NULL;
		if (static_diffs || run.nchanges)
			status = CLI_FINDINGS;
	}
	free_run(&run);
	rulebook_free(books[0]);
	rulebook_free(books[1]);
	return status;
}
