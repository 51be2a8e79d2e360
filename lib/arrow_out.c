/* A population's results out as Arrow (the C Data and C Stream
 * Interfaces): one struct array of records with
 *
 *   _id            utf8, null where a record has no id
 *   <rule id>      the verdict, dictionary-encoded: int8 indices into the
 *                  utf8 dictionary pass, fail, not_applicable, exempt,
 *                  unknown, not_in_force, error (index = rulebook_verdict - 1)
 *   <sc>.class     dictionary-encoded: int16 indices into the scorecard's
 *                  class ids followed by not_rated, not_in_force and error;
 *                  null when the class cannot be decided for missing data
 *   <sc>.score     decimal128 (precision 38) at the fewest decimal places
 *                  that hold every score of the column exactly; null where
 *                  a record has no score
 *
 * Everything is copied out of the population: the arrays own their
 * buffers, which the library's allocator releases when the consumer calls
 * the release callbacks, so they outlive the population. Built only on the
 * public accessors of populations (rulebook_population_verdicts,
 * _classes, _scores_text, _scores_decimal128). */
#include "alloc.h"
#include "columnar.h"
#include "error.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define NVERDICTS 7

/* The verdict dictionary: static, shared by every verdict column. */
static const char verdict_text[] = "passfailnot_applicableexemptunknownnot_in_forceerror";
static const int32_t verdict_offsets[NVERDICTS + 1] = {0, 4, 8, 22, 28, 35, 47, 52};

/* ---- arrays and schemas that own what they point to ---- */

/* private_data of every ArrowArray made here. The children and the
 * dictionary are stored here too; a consumer may move one out (it then
 * sets the moved struct's release to NULL), so release skips those. */
typedef struct out_array {
	const void *buffers[3];
	void *owned[3];
	struct ArrowArray *child_ptrs;   /* storage of the children */
	struct ArrowArray **children;
	struct ArrowArray dictionary;
} out_array;

static void array_release(struct ArrowArray *a)
{
	if (!a || !a->release)
		return;
	out_array *p = a->private_data;
	for (int64_t i = 0; i < a->n_children; i++)
		if (p->children[i]->release)
			p->children[i]->release(p->children[i]);
	if (a->dictionary && a->dictionary->release)
		a->dictionary->release(a->dictionary);
	for (int i = 0; i < 3; i++)
		rb_free(p->owned[i]);
	rb_free(p->child_ptrs);
	rb_free(p->children);
	rb_free(p);
	a->release = NULL;
}

/* Make a an array of length rows with nbuf buffers (taken over: released
 * with a, even on failure) and nchildren zeroed children. */
static bool array_init(struct ArrowArray *a, int64_t length, int64_t null_count, int nbuf,
		       void *b0, void *b1, void *b2, int64_t nchildren)
{
	memset(a, 0, sizeof(*a));
	out_array *p = rb_calloc(1, sizeof(*p));
	void *bufs[3] = {b0, b1, b2};
	if (!p) {
		for (int i = 0; i < 3; i++)
			rb_free(bufs[i]);
		return false;
	}
	for (int i = 0; i < 3; i++) {
		p->owned[i] = bufs[i];
		p->buffers[i] = bufs[i];
	}
	a->length = length;
	a->null_count = null_count;
	a->n_buffers = nbuf;
	a->buffers = p->buffers;
	a->private_data = p;
	a->release = array_release;
	if (nchildren) {
		p->child_ptrs = rb_calloc((size_t)nchildren, sizeof(struct ArrowArray));
		p->children = rb_calloc((size_t)nchildren, sizeof(struct ArrowArray *));
		if (!p->child_ptrs || !p->children) {
			array_release(a);
			return false;
		}
		for (int64_t i = 0; i < nchildren; i++)
			p->children[i] = &p->child_ptrs[i];
		a->n_children = nchildren;
		a->children = p->children;
	}
	return true;
}

static struct ArrowArray *array_dictionary(struct ArrowArray *a)
{
	out_array *p = a->private_data;
	a->dictionary = &p->dictionary;
	return a->dictionary;
}

typedef struct out_schema {
	char *format;
	char *name;
	struct ArrowSchema *child_ptrs;
	struct ArrowSchema **children;
	struct ArrowSchema dictionary;
} out_schema;

static void schema_release(struct ArrowSchema *s)
{
	if (!s || !s->release)
		return;
	out_schema *p = s->private_data;
	for (int64_t i = 0; i < s->n_children; i++)
		if (p->children[i]->release)
			p->children[i]->release(p->children[i]);
	if (s->dictionary && s->dictionary->release)
		s->dictionary->release(s->dictionary);
	rb_free(p->format);
	rb_free(p->name);
	rb_free(p->child_ptrs);
	rb_free(p->children);
	rb_free(p);
	s->release = NULL;
}

static bool schema_init(struct ArrowSchema *s, const char *format, const char *name,
			int64_t flags, int64_t nchildren)
{
	memset(s, 0, sizeof(*s));
	out_schema *p = rb_calloc(1, sizeof(*p));
	if (!p)
		return false;
	s->private_data = p;
	s->release = schema_release;
	p->format = rb_strndup(format, strlen(format));
	p->name = name ? rb_strndup(name, strlen(name)) : NULL;
	if (!p->format || (name && !p->name)) {
		schema_release(s);
		return false;
	}
	s->format = p->format;
	s->name = p->name;
	s->flags = flags;
	if (nchildren) {
		p->child_ptrs = rb_calloc((size_t)nchildren, sizeof(struct ArrowSchema));
		p->children = rb_calloc((size_t)nchildren, sizeof(struct ArrowSchema *));
		if (!p->child_ptrs || !p->children) {
			schema_release(s);
			return false;
		}
		for (int64_t i = 0; i < nchildren; i++)
			p->children[i] = &p->child_ptrs[i];
		s->n_children = nchildren;
		s->children = p->children;
	}
	return true;
}

static struct ArrowSchema *schema_dictionary(struct ArrowSchema *s)
{
	out_schema *p = s->private_data;
	s->dictionary = &p->dictionary;
	return s->dictionary;
}

/* A deep copy of a schema made here (for the stream's get_schema). */
static bool schema_copy(struct ArrowSchema *dst, const struct ArrowSchema *src)
{
	if (!schema_init(dst, src->format, src->name, src->flags, src->n_children))
		return false;
	for (int64_t i = 0; i < src->n_children; i++)
		if (!schema_copy(dst->children[i], src->children[i])) {
			schema_release(dst);
			return false;
		}
	if (src->dictionary && !schema_copy(schema_dictionary(dst), src->dictionary)) {
		schema_release(dst);
		return false;
	}
	return true;
}

/* ---- columns ---- */

static uint8_t *bitmap_new(size_t n)
{
	return rb_calloc(n / 8 + 1, 1);
}

static void bit_set(uint8_t *bits, size_t i)
{
	bits[i / 8] |= (uint8_t)(1u << (i % 8));
}

/* A utf8 array of n strings (NULL entries are nulls). */
static rulebook_status utf8_array(struct ArrowArray *a, size_t n, const char *(*get)(void *, size_t),
				  void *payload, rulebook_error *err)
{
	size_t total = 0, nulls = 0;
	for (size_t i = 0; i < n; i++) {
		const char *s = get(payload, i);
		if (s)
			total += strlen(s);
		else
			nulls++;
	}
	if (total > INT32_MAX)
		return rb_error_add(err, RULEBOOK_ERR_LIMIT, (rb_pos){0}, NULL,
				    "the texts of one column exceed 2 GiB, the limit of an Arrow utf8 array");
	uint8_t *valid = nulls ? bitmap_new(n) : NULL;
	int32_t *offsets = rb_malloc((n + 1) * sizeof(int32_t));
	char *data = rb_malloc(total ? total : 1);
	if (!array_init(a, (int64_t)n, (int64_t)nulls, 3, valid, offsets, data, 0) ||
	    (nulls && !valid) || !offsets || !data)
		goto nomem;
	int32_t at = 0;
	for (size_t i = 0; i < n; i++) {
		offsets[i] = at;
		const char *s = get(payload, i);
		if (!s)
			continue;
		size_t len = strlen(s);
		memcpy(data + at, s, len);
		at += (int32_t)len;
		if (valid)
			bit_set(valid, i);
	}
	offsets[n] = at;
	return RULEBOOK_OK;
nomem:
	array_release(a);
	return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
}

static const char *record_id(void *pop, size_t i)
{
	return rulebook_population_record_id(pop, i);
}

typedef struct class_names {
	const rulebook *rb;
	size_t k, nclasses;
} class_names;

static const char *class_name(void *payload, size_t i)
{
	class_names *c = payload;
	if (i < c->nclasses)
		return rulebook_scorecard_class_id(c->rb, c->k, i);
	return i == c->nclasses ? "not_rated" : i == c->nclasses + 1 ? "not_in_force" : "error";
}

/* The verdicts of rule `rule`: int8 indices into the static dictionary. */
static bool verdict_column(struct ArrowArray *a, struct ArrowSchema *s, const char *rule_id,
			   const uint8_t *matrix, size_t n, size_t nrules, size_t rule)
{
	int8_t *idx = rb_malloc(n ? n : 1);
	if (!array_init(a, (int64_t)n, 0, 2, NULL, idx, NULL, 0) || !idx)
		return false;
	for (size_t i = 0; i < n; i++) {
		uint8_t v = matrix[i * nrules + rule];
		idx[i] = (int8_t)(v >= 1 && v <= NVERDICTS ? v - 1 : RULEBOOK_ERROR - 1);
	}
	struct ArrowArray *d = array_dictionary(a);
	if (!array_init(d, NVERDICTS, 0, 3, NULL, NULL, NULL, 0))
		return false;
	((out_array *)d->private_data)->buffers[1] = verdict_offsets;
	((out_array *)d->private_data)->buffers[2] = verdict_text;
	return schema_init(s, "c", rule_id, 0, 0) && schema_init(schema_dictionary(s), "u", NULL, 0, 0);
}

/* Scorecard k's classes: int16 indices, null for unknown. */
static rulebook_status class_column(struct ArrowArray *a, struct ArrowSchema *s,
				    rulebook_population *pop, const rulebook *rb, size_t k,
				    const char *name, rulebook_error *err)
{
	size_t n = rulebook_population_size(pop);
	int16_t *codes = rb_malloc((n ? n : 1) * sizeof(int16_t));
	uint8_t *valid = bitmap_new(n);
	if (!codes || !valid) {
		rb_free(codes);
		rb_free(valid);
		goto nomem;
	}
	rulebook_status st = rulebook_population_classes(pop, k, codes);
	if (st != RULEBOOK_OK) {
		rb_free(codes);
		rb_free(valid);
		return rb_error_add(err, st, (rb_pos){0}, NULL, "the classes of scorecard '%s': %s",
				    rulebook_scorecard_id(rb, k), rulebook_status_str(st));
	}
	int16_t ncls = (int16_t)rulebook_scorecard_class_count(rb, k);
	size_t nulls = 0;
	for (size_t i = 0; i < n; i++) {
		int16_t c = codes[i];
		if (c == RULEBOOK_CLASS_UNKNOWN) {
			codes[i] = 0;
			nulls++;
			continue;
		}
		codes[i] = c == RULEBOOK_CLASS_NOT_RATED      ? ncls
			   : c == RULEBOOK_CLASS_NOT_IN_FORCE ? (int16_t)(ncls + 1)
			   : c == RULEBOOK_CLASS_ERROR        ? (int16_t)(ncls + 2)
							      : c;
		bit_set(valid, i);
	}
	if (!nulls) {
		rb_free(valid);
		valid = NULL;
	}
	if (!array_init(a, (int64_t)n, (int64_t)nulls, 2, valid, codes, NULL, 0))
		goto nomem;
	class_names names = {rb, k, (size_t)ncls};
	st = utf8_array(array_dictionary(a), (size_t)ncls + 3, class_name, &names, err);
	if (st != RULEBOOK_OK)
		return st;
	if (!schema_init(s, "s", name, ARROW_FLAG_NULLABLE, 0) ||
	    !schema_init(schema_dictionary(s), "u", NULL, 0, 0))
		goto nomem;
	return RULEBOOK_OK;
nomem:
	return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
}

/* The fewest decimal places that hold every score of text (one line per
 * record) exactly. */
static int32_t scale_of(const char *text, size_t len)
{
	int32_t best = 0, cur = -1;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (c == '.')
			cur = 0;
		else if (c == '\n')
			cur = -1;
		else if (cur >= 0 && c >= '0' && c <= '9' && ++cur > best)
			best = cur;
	}
	return best;
}

/* Scorecard k's scores: decimal128. */
static rulebook_status score_column(struct ArrowArray *a, struct ArrowSchema *s,
				    rulebook_population *pop, size_t k, const char *name,
				    rulebook_error *err)
{
	size_t n = rulebook_population_size(pop);
	char *text = NULL;
	size_t len = 0;
	rulebook_status st = rulebook_population_scores_text(pop, k, &text, &len);
	if (st != RULEBOOK_OK)
		return rb_error_add(err, st, (rb_pos){0}, NULL, "scores: %s", rulebook_status_str(st));
	int32_t scale = scale_of(text, len);
	rulebook_mem_free(text);
	if (scale > 38)
		scale = 38; /* the decimal128 call refuses what does not fit */
	uint8_t *data = rb_malloc((n ? n : 1) * 16);
	uint8_t *present = rb_malloc(n ? n : 1);
	uint8_t *valid = bitmap_new(n);
	if (!data || !present || !valid) {
		rb_free(data);
		rb_free(present);
		rb_free(valid);
		return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	}
	st = rulebook_population_scores_decimal128(pop, k, scale, data, present, err);
	size_t nulls = 0;
	for (size_t i = 0; st == RULEBOOK_OK && i < n; i++) {
		if (present[i])
			bit_set(valid, i);
		else
			nulls++;
	}
	rb_free(present);
	if (st != RULEBOOK_OK) {
		rb_free(data);
		rb_free(valid);
		return st;
	}
	if (!nulls) {
		rb_free(valid);
		valid = NULL;
	}
	char format[32];
	snprintf(format, sizeof format, "d:38,%d", (int)scale);
	if (!array_init(a, (int64_t)n, (int64_t)nulls, 2, valid, data, NULL, 0) ||
	    !schema_init(s, format, name, ARROW_FLAG_NULLABLE, 0))
		return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	return RULEBOOK_OK;
}

/* ---- the record batch ---- */

RULEBOOK_API rulebook_status rulebook_population_results_arrow(rulebook_population *pop,
							       struct ArrowSchema *schema,
							       struct ArrowArray *array,
							       rulebook_error *err)
{
	rulebook_error_clear(err);
	if (schema)
		schema->release = NULL;
	if (array)
		array->release = NULL;
	if (!pop || !schema || !array)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "a population, a schema and an array are required");
	const rulebook *rb = rb_population_rulebook(pop);
	size_t n = rulebook_population_size(pop);
	size_t nrules = rulebook_rule_count(rb), nsc = rulebook_scorecard_count(rb);
	int64_t ncols = (int64_t)(1 + nrules + 2 * nsc);
	rulebook_status st = RULEBOOK_OK;
	uint8_t *matrix = NULL;
	char *name = NULL;
	if (!array_init(array, (int64_t)n, 0, 1, NULL, NULL, NULL, ncols) ||
	    !schema_init(schema, "+s", "", 0, ncols))
		goto nomem;
	st = utf8_array(array->children[0], n, record_id, pop, err);
	if (st != RULEBOOK_OK)
		goto fail;
	if (!schema_init(schema->children[0], "u", "_id", ARROW_FLAG_NULLABLE, 0))
		goto nomem;
	matrix = rb_malloc(n && nrules ? n * nrules : 1);
	if (!matrix || rulebook_population_verdicts(pop, matrix) != RULEBOOK_OK)
		goto nomem;
	for (size_t j = 0; j < nrules; j++)
		if (!verdict_column(array->children[1 + j], schema->children[1 + j],
				    rulebook_rule_id(rb, j), matrix, n, nrules, j))
			goto nomem;
	for (size_t k = 0; k < nsc; k++) {
		const char *id = rulebook_scorecard_id(rb, k);
		size_t len = strlen(id);
		name = rb_malloc(len + 7);
		if (!name)
			goto nomem;
		memcpy(name, id, len);
		memcpy(name + len, ".class", 7);
		int64_t c = (int64_t)(1 + nrules + 2 * k);
		st = class_column(array->children[c], schema->children[c], pop, rb, k, name, err);
		if (st != RULEBOOK_OK)
			goto fail;
		memcpy(name + len, ".score", 7);
		st = score_column(array->children[c + 1], schema->children[c + 1], pop, k, name, err);
		if (st != RULEBOOK_OK)
			goto fail;
		rb_free(name);
		name = NULL;
	}
	rb_free(matrix);
	return RULEBOOK_OK;
nomem:
	st = rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
fail:
	rb_free(name);
	rb_free(matrix);
	array_release(array);
	schema_release(schema);
	return st;
}

/* ---- the stream: one batch ---- */

typedef struct out_stream {
	struct ArrowSchema schema;
	struct ArrowArray array; /* moved out by the first get_next */
} out_stream;

static int stream_get_schema(struct ArrowArrayStream *s, struct ArrowSchema *out)
{
	out_stream *p = s->private_data;
	return schema_copy(out, &p->schema) ? 0 : ENOMEM;
}

static int stream_get_next(struct ArrowArrayStream *s, struct ArrowArray *out)
{
	out_stream *p = s->private_data;
	*out = p->array; /* the batch the first time; then release NULL: the end */
	p->array.release = NULL;
	return 0;
}

static const char *stream_get_last_error(struct ArrowArrayStream *s)
{
	(void)s;
	return NULL; /* nothing fails once the stream is made, but memory */
}

static void stream_release(struct ArrowArrayStream *s)
{
	if (!s || !s->release)
		return;
	out_stream *p = s->private_data;
	array_release(&p->array);
	schema_release(&p->schema);
	rb_free(p);
	s->release = NULL;
}

RULEBOOK_API rulebook_status rulebook_population_results_arrow_stream(rulebook_population *pop,
								      struct ArrowArrayStream *stream,
								      rulebook_error *err)
{
	rulebook_error_clear(err);
	if (stream)
		stream->release = NULL;
	if (!pop || !stream)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "a population and a stream are required");
	out_stream *p = rb_calloc(1, sizeof(*p));
	if (!p)
		return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	rulebook_status st = rulebook_population_results_arrow(pop, &p->schema, &p->array, err);
	if (st != RULEBOOK_OK) {
		rb_free(p);
		return st;
	}
	stream->get_schema = stream_get_schema;
	stream->get_next = stream_get_next;
	stream->get_last_error = stream_get_last_error;
	stream->release = stream_release;
	stream->private_data = p;
	return RULEBOOK_OK;
}
