/* The header row: which input each column sets.
 *
 * A column names an input by its id, its label (zh or en) or one of its
 * aliases, compared after folding full-width forms to half-width (（ to (,
 * Ａ to A, the ideographic space to a space), ASCII letters to lower case
 * and dropping the spaces around. A name that matches nothing as a whole
 * may end in a unit in brackets ([m2], (平方米), （万元）), which converts
 * the column's numbers exactly. The record id's column is "_id", the one
 * named by --id, or the first of the rulebook's `id_column` names present.
 * Other columns starting with '_' are ignored; columns that match no input
 * are named once in a warning. Every check takes time in proportion to the
 * number of columns. */
#include "input.h"

#include <stdlib.h>
#include <string.h>

typedef struct name_entry {
	char *key;       /* folded name */
	size_t book;
	size_t input;
} name_entry;

typedef struct name_map {
	name_entry *v;
	size_t size;     /* power of two; NULL keys are empty */
	size_t n;
} name_map;

static uint64_t hash_text(const char *s)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* Append code point c as UTF-8. */
static size_t put_utf8(char *o, uint32_t c)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xC0 | (c >> 6));
		o[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xE0 | (c >> 12));
		o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		o[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (c >> 18));
	o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	o[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

static char *fold(const char *s, size_t len, bool lower)
{
	char *o = malloc(len + 1);
	if (!o)
		return NULL;
	size_t n = 0, i = 0;
	while (i < len) {
		uint32_t c;
		size_t k = cli_utf8_char((const unsigned char *)s + i, len - i, &c);
		if (!k) {
			o[n++] = s[i++]; /* not UTF-8: kept as it is */
			continue;
		}
		i += k;
		if (c >= 0xFF01 && c <= 0xFF5E)
			c -= 0xFEE0; /* full-width ASCII */
		else if (c == 0x3000)
			c = ' ';
		else if (c == 0x3010)
			c = '['; /* 【 */
		else if (c == 0x3011)
			c = ']'; /* 】 */
		if (lower && c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		n += put_utf8(o + n, c); /* never longer than the original */
	}
	size_t a = 0;
	while (a < n && (o[a] == ' ' || o[a] == '\t'))
		a++;
	while (n > a && (o[n - 1] == ' ' || o[n - 1] == '\t'))
		n--;
	memmove(o, o + a, n - a);
	o[n - a] = '\0';
	return o;
}

char *input_fold(const char *s, size_t len)
{
	return fold(s, len, true);
}

static bool map_add(name_map *m, char *key, size_t book, size_t input)
{
	if (!key)
		return false;
	if (!key[0]) {
		free(key);
		return true;
	}
	if ((m->n + 1) * 2 > m->size) {
		size_t size = m->size ? m->size * 2 : 64;
		name_entry *v = calloc(size, sizeof(*v));
		if (!v) {
			free(key);
			return false;
		}
		for (size_t i = 0; i < m->size; i++) {
			if (!m->v[i].key)
				continue;
			size_t j = (size_t)hash_text(m->v[i].key) & (size - 1);
			while (v[j].key)
				j = (j + 1) & (size - 1);
			v[j] = m->v[i];
		}
		free(m->v);
		m->v = v;
		m->size = size;
	}
	size_t j = (size_t)hash_text(key) & (m->size - 1);
	while (m->v[j].key) {
		/* The same name for the same input twice (label = id): once. */
		if (strcmp(m->v[j].key, key) == 0 && m->v[j].book == book && m->v[j].input == input) {
			free(key);
			return true;
		}
		j = (j + 1) & (m->size - 1);
	}
	m->v[j] = (name_entry){key, book, input};
	m->n++;
	return true;
}

static void map_free(name_map *m)
{
	for (size_t i = 0; i < m->size; i++)
		free(m->v[i].key);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

static bool add_name(name_map *m, const char *name, size_t book, size_t input)
{
	return !name || map_add(m, input_fold(name, strlen(name)), book, input);
}

/* Every name of every input of every book. */
static bool build_map(reader *r, name_map *m)
{
	for (size_t b = 0; b < r->n; b++) {
		const rulebook *rb = r->rbs[b];
		for (size_t i = 0; i < rulebook_input_count(rb); i++) {
			if (!add_name(m, rulebook_input_name(rb, i), b, i))
				return false;
			const char *zh = rulebook_input_label(rb, i, "zh");
			const char *en = rulebook_input_label(rb, i, "en");
			if (!add_name(m, zh, b, i) || (en != zh && !add_name(m, en, b, i)))
				return false;
			for (size_t j = 0; j < rulebook_input_alias_count(rb, i); j++)
				if (!add_name(m, rulebook_input_alias(rb, i, j), b, i))
					return false;
		}
	}
	return true;
}

/* The inputs key names, per book. found[b] is SIZE_MAX when none; a second
 * input of the same book goes to *other. Returns how many books match. */
static size_t lookup(const name_map *m, const char *key, size_t found[MAX_BOOKS],
		     size_t other[MAX_BOOKS])
{
	size_t books = 0;
	for (size_t b = 0; b < MAX_BOOKS; b++)
		found[b] = other[b] = SIZE_MAX;
	if (!m->size || !key[0])
		return 0;
	size_t j = (size_t)hash_text(key) & (m->size - 1);
	for (; m->v[j].key; j = (j + 1) & (m->size - 1)) {
		const name_entry *e = &m->v[j];
		if (strcmp(e->key, key) != 0)
			continue;
		if (found[e->book] == SIZE_MAX) {
			found[e->book] = e->input;
			books++;
		} else if (found[e->book] != e->input && other[e->book] == SIZE_MAX) {
			other[e->book] = e->input;
		}
	}
	return books;
}

/* "name[unit]", "name(unit)" or "name（unit）" (folded: all end in ')' or
 * ']'): the name and the unit, both trimmed; false when there are no
 * brackets at the end. */
static bool split_unit(const char *s, char **name, char **unit, bool lower)
{
	size_t len = strlen(s);
	if (len < 2 || (s[len - 1] != ']' && s[len - 1] != ')'))
		return false;
	char open = s[len - 1] == ']' ? '[' : '(';
	const char *at = NULL;
	for (const char *p = s; p < s + len - 1; p++)
		if (*p == open)
			at = p;
	if (!at)
		return false;
	*name = fold(s, (size_t)(at - s), lower);
	*unit = fold(at + 1, (size_t)(s + len - 1 - at - 1), lower);
	if (!*name || !*unit) {
		free(*name);
		free(*unit);
		*name = *unit = NULL;
		return false;
	}
	return true;
}

/* The header as written, without its last bracket and what follows. */
static void cut_unit(char *h)
{
	static const char *const opens[] = {"[", "(", "\xEF\xBC\x88" /* （ */,
					    "\xE3\x80\x90" /* 【 */, "\xEF\xBC\xBB" /* ［ */};
	char *cut = NULL;
	for (size_t i = 0; i < sizeof opens / sizeof opens[0]; i++)
		for (char *p = strstr(h, opens[i]); p; p = strstr(p + 1, opens[i]))
			if (!cut || p > cut)
				cut = p;
	if (!cut)
		return;
	while (cut > h && (cut[-1] == ' ' || cut[-1] == '\t'))
		cut--;
	*cut = '\0';
}

static void header_error(reader *r, size_t col, const char *msg)
{
	input_progress_clear(r);
	cli_print_position(stderr, r->name, r->row_line, 0);
	fprintf(stderr, "column %zu", col + 1);
	if (r->cols[col].header && r->cols[col].header[0]) {
		fputs(" (", stderr);
		cli_put_clean(stderr, r->cols[col].header);
		fputc(')', stderr);
	}
	fputs(": ", stderr);
	cli_put_clean(stderr, msg);
	fputc('\n', stderr);
	r->status = CLI_TROUBLE;
	r->stop = true;
}

/* Check a column's unit by converting a zero from it. NULL if it is fine. */
static const char *unit_problem(reader *r, size_t c, size_t book)
{
	column *col = &r->cols[c];
	size_t ulen = strlen(col->unit);
	if (!input_grow(&r->scratch, &r->scratch_cap, ulen + 3))
		return "out of memory";
	memcpy(r->scratch, "0 ", 2);
	memcpy(r->scratch + 2, col->unit, ulen + 1);
	rulebook_status st = rulebook_facts_set_decimal_at(r->facts[book], col->input[book],
							   r->scratch, ulen + 2, r->err);
	rulebook_facts_clear(r->facts[book]);
	return st == RULEBOOK_OK ? NULL : rulebook_error_message(r->err, 0);
}

/* The column's text trimmed, as the name shown in messages. */
static bool set_header(column *col, const field *f)
{
	const char *s = f->null ? "" : f->data;
	size_t len = f->null ? 0 : f->len;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	col->header = malloc(len + 1);
	if (!col->header)
		return false;
	memcpy(col->header, s, len);
	col->header[len] = '\0';
	return true;
}

/* Match column c. Returns a problem, or NULL. */
static const char *match_column(reader *r, const name_map *m, size_t c, char *buf, size_t size)
{
	column *col = &r->cols[c];
	const char *h = col->header;
	if (!h[0])
		return "the column has no name";
	if (input_bad_utf8((const unsigned char *)h, strlen(h)) < strlen(h))
		return "the name is not valid UTF-8 (name the file's encoding with --encoding, e.g. "
		       "--encoding gb18030)";
	if (col->duplicate)
		return "the column appears twice";
	if (col->kind == COL_ID)
		return NULL;
	size_t found[MAX_BOOKS], other[MAX_BOOKS];
	size_t books = lookup(m, col->key, found, other);
	char *name = NULL, *unit = NULL;
	if (!books && split_unit(col->key, &name, &unit, true)) {
		if (!unit[0]) {
			free(name);
			free(unit);
			cut_unit(col->header);
			return "the brackets after the name hold no unit";
		}
		books = lookup(m, name, found, other);
		if (name[0] == '_') {
			free(name);
			free(unit);
			return "only input columns may have a unit";
		}
		/* Units keep their case (kWh): taken from the header as written. */
		free(name);
		free(unit);
		char *wide = fold(col->header, strlen(col->header), false);
		if (!wide || !split_unit(wide, &name, &unit, false)) {
			free(wide);
			return "out of memory";
		}
		free(wide);
		free(name);
		/* Shown by the name without its unit from now on. */
		cut_unit(col->header);
		col->unit = unit;
	}
	if (!books) {
		col->kind = COL_UNMATCHED;
		return NULL;
	}
	col->kind = COL_INPUT;
	for (size_t b = 0; b < r->n; b++) {
		col->input[b] = found[b];
		if (found[b] == SIZE_MAX)
			continue;
		if (other[b] != SIZE_MAX) {
			snprintf(buf, size, "the name matches two inputs%s: '%s' and '%s'",
				 r->n > 1 ? (b ? " of the new rulebook" : " of the old rulebook") : "",
				 rulebook_input_name(r->rbs[b], found[b]),
				 rulebook_input_name(r->rbs[b], other[b]));
			return buf;
		}
		const char *type = rulebook_input_type(r->rbs[b], found[b]);
		col->numeric[b] = strcmp(type, "number") == 0 || strcmp(type, "integer") == 0;
		col->boolean[b] = strcmp(type, "boolean") == 0;
		col->date[b] = strcmp(type, "date") == 0;
		if (col->unit && !col->numeric[b]) {
			if (strchr(col->key, '[')) {
				snprintf(buf, size,
					 "a unit is only allowed for number inputs; '%s' is of type %s",
					 col->header, type);
				return buf;
			}
			/* 是否重点项目（是/否）: a note in brackets, not a unit */
			continue;
		}
		const char *bad = col->unit ? unit_problem(r, c, b) : NULL;
		if (bad)
			return bad;
	}
	if (col->unit && !col->numeric[0] && !(r->n > 1 && col->numeric[1])) {
		free(col->unit);
		col->unit = NULL;
	}
	return NULL;
}

/* Mark every column whose name an earlier column has. */
static bool mark_duplicates(reader *r)
{
	size_t size = 16;
	while (size < r->ncols * 2)
		size *= 2;
	size_t *slot = malloc(size * sizeof(*slot));
	if (!slot)
		return false;
	for (size_t i = 0; i < size; i++)
		slot[i] = SIZE_MAX;
	for (size_t c = 0; c < r->ncols; c++) {
		if (!r->cols[c].key[0])
			continue;
		size_t i = (size_t)hash_text(r->cols[c].key) & (size - 1);
		while (slot[i] != SIZE_MAX && strcmp(r->cols[slot[i]].key, r->cols[c].key) != 0)
			i = (i + 1) & (size - 1);
		if (slot[i] == SIZE_MAX)
			slot[i] = c;
		else
			r->cols[c].duplicate = true;
	}
	free(slot);
	return true;
}

/* The record id's column: --id, else "_id", else the first of the
 * rulebook's id_column names that the header has. false after an error. */
static bool choose_id(reader *r)
{
	const char *want = cli_input_options_get()->id_column;
	char *key = want ? input_fold(want, strlen(want)) : NULL;
	if (want && !key)
		return false;
	size_t best = SIZE_MAX, rank = SIZE_MAX;
	for (size_t c = 0; c < r->ncols; c++) {
		const char *k = r->cols[c].key;
		if (key) {
			if (strcmp(k, key) == 0 && best == SIZE_MAX)
				best = c;
			continue;
		}
		if (strcmp(k, "_id") == 0 && rank) {
			best = c;
			rank = 0;
			continue;
		}
		size_t n = rulebook_id_column_count(r->rbs[0]);
		for (size_t j = 0; j < n && j + 1 < rank; j++) {
			char *idk = input_fold(rulebook_id_column(r->rbs[0], j),
					       strlen(rulebook_id_column(r->rbs[0], j)));
			bool same = idk && strcmp(idk, k) == 0;
			free(idk);
			if (same) {
				best = c;
				rank = j + 1;
			}
		}
	}
	free(key);
	if (want && best == SIZE_MAX) {
		char msg[512];
		snprintf(msg, sizeof msg, "--id %s: the header has no such column", want);
		input_fatal(r, r->row_line, 0, msg);
		return false;
	}
	if (best != SIZE_MAX)
		r->cols[best].kind = COL_ID;
	/* The other id-like columns (企业名称 beside 统一社会信用代码) are no
	 * inputs and need no warning. */
	for (size_t c = 0; c < r->ncols; c++)
		for (size_t j = 0; c != best && j < rulebook_id_column_count(r->rbs[0]); j++) {
			const char *name = rulebook_id_column(r->rbs[0], j);
			char *idk = input_fold(name, strlen(name));
			if (idk && strcmp(idk, r->cols[c].key) == 0)
				r->cols[c].kind = COL_IGNORED;
			free(idk);
		}
	return true;
}

/* Two columns that set the same input (实缴税收 and 税收): an error at
 * the second. */
static bool one_column_per_input(reader *r)
{
	for (size_t b = 0; b < r->n; b++) {
		size_t n = rulebook_input_count(r->rbs[b]);
		size_t *by = malloc((n ? n : 1) * sizeof(*by));
		if (!by) {
			input_out_of_memory(r);
			return false;
		}
		for (size_t i = 0; i < n; i++)
			by[i] = SIZE_MAX;
		for (size_t c = 0; c < r->ncols; c++) {
			size_t in = r->cols[c].kind == COL_INPUT ? r->cols[c].input[b] : SIZE_MAX;
			if (in == SIZE_MAX)
				continue;
			if (by[in] != SIZE_MAX) {
				char msg[512];
				snprintf(msg, sizeof msg, "sets input '%s', as column %zu does",
					 rulebook_input_name(r->rbs[b], in), by[in] + 1);
				free(by);
				header_error(r, c, msg);
				return false;
			}
			by[in] = c;
		}
		free(by);
	}
	return true;
}

/* Columns that match no input: one warning naming them all. */
static void warn_unmatched(reader *r)
{
	size_t n = 0, inputs = 0;
	for (size_t c = 0; c < r->ncols; c++) {
		n += r->cols[c].kind == COL_UNMATCHED;
		inputs += r->cols[c].kind == COL_INPUT;
	}
	if (!n)
		return;
	if (!inputs && !r->ignore_unknown) {
		input_fatal(r, r->row_line, 0,
			    r->n > 1 ? "no column is an input of either rulebook (check the delimiter, "
				       "--delimiter, and the encoding, --encoding)"
				     : "no column is an input of the rulebook (check the delimiter, "
				       "--delimiter, and the encoding, --encoding)");
		return;
	}
	if (r->ignore_unknown)
		return;
	input_progress_clear(r);
	cli_print_position(stderr, r->name, r->row_line, 0);
	fprintf(stderr, "warning: %zu column%s %s no input and %s ignored:", n, n == 1 ? "" : "s",
		n == 1 ? "matches" : "match", n == 1 ? "is" : "are");
	size_t shown = 0;
	for (size_t c = 0; c < r->ncols && shown < 20; c++)
		if (r->cols[c].kind == COL_UNMATCHED) {
			fputs(shown++ ? ", " : " ", stderr);
			cli_put_clean(stderr, r->cols[c].header);
		}
	if (n > shown)
		fprintf(stderr, " and %zu more", n - shown);
	fputs(" (--ignore-unknown silences this)\n", stderr);
}

void input_free_columns(reader *r)
{
	for (size_t i = 0; i < r->ncols; i++) {
		free(r->cols[i].header);
		free(r->cols[i].key);
		free(r->cols[i].unit);
	}
	free(r->cols);
	r->cols = NULL;
	r->ncols = 0;
}

void input_header(reader *r)
{
	r->cols = calloc(r->nfields ? r->nfields : 1, sizeof(*r->cols));
	if (!r->cols) {
		input_out_of_memory(r);
		return;
	}
	r->ncols = r->nfields;
	for (size_t c = 0; c < r->ncols; c++) {
		column *col = &r->cols[c];
		if (!set_header(col, &r->fields[c]) ||
		    !(col->key = input_fold(col->header, strlen(col->header)))) {
			input_out_of_memory(r);
			return;
		}
		col->kind = col->key[0] == '_' ? COL_IGNORED : COL_INPUT;
		for (size_t b = 0; b < MAX_BOOKS; b++)
			col->input[b] = SIZE_MAX;
	}
	name_map m = {0};
	if (!mark_duplicates(r) || !build_map(r, &m)) {
		map_free(&m);
		input_out_of_memory(r);
		return;
	}
	if (!choose_id(r)) {
		map_free(&m);
		return;
	}
	for (size_t c = 0; c < r->ncols; c++) {
		char buf[512];
		const char *problem = NULL;
		column *col = &r->cols[c];
		if (col->kind == COL_IGNORED) {
			/* "_id[m2]" and "_note" */
			char *name = NULL, *unit = NULL;
			if (col->duplicate)
				problem = "the column appears twice";
			else if (split_unit(col->key, &name, &unit, true)) {
				cut_unit(col->header);
				free(name);
				free(unit);
				problem = "only input columns may have a unit";
			}
		} else {
			problem = match_column(r, &m, c, buf, sizeof buf);
		}
		if (problem) {
			header_error(r, c, problem);
			map_free(&m);
			return;
		}
	}
	map_free(&m);
	if (!one_column_per_input(r))
		return;
	warn_unmatched(r);
	if (!r->stop)
		r->header_done = true;
}
