/* The catalogue of malformed rulebooks and facts (cases.txt): each file
 * must fail with exactly the status, message fragment, line and column the
 * manifest gives (or load, when it says OK), leave no object behind, and
 * every message must be UTF-8. Besides: the billion laughs and nesting far
 * beyond the limit fail fast in little memory, and a division by zero is a
 * verdict (error), not a load error. */
#include <rulebook.h>

#include <check.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_CASES 256

typedef struct bad_case {
	char file[128];
	char kind[16];
	rulebook_status status;
	uint32_t line, col;
	uint64_t scalar_limit;  /* 0: default */
	char at[128];           /* file the diagnostic points into */
	char fragment[512];
} bad_case;

static bad_case cases[MAX_CASES];
static int ncases;

static const char *root(void)
{
	const char *r = getenv("RULEBOOK_SOURCE_ROOT");
	ck_assert_msg(r != NULL, "RULEBOOK_SOURCE_ROOT is not set");
	return r;
}

static const char *bad_path(const char *file)
{
	static char buf[4096];
	snprintf(buf, sizeof buf, "%s/tests/bad/%s", root(), file);
	return buf;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	ck_assert_ptr_nonnull(buf);
	size_t got;
	while ((got = fread(buf + n, 1, cap - n, fp)) > 0) {
		n += got;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
	}
	fclose(fp);
	*len = n;
	return buf;
}

static int valid_utf8(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	while (*u) {
		size_t n = *u < 0x80 ? 1 : *u >= 0xC2 && *u <= 0xDF ? 2 : *u >= 0xE0 && *u <= 0xEF ? 3
			 : *u >= 0xF0 && *u <= 0xF4 ? 4 : 0;
		if (!n)
			return 0;
		for (size_t k = 1; k < n; k++)
			if ((u[k] & 0xC0) != 0x80)
				return 0;
		u += n;
	}
	return 1;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a > b && s[a - b - 1] == '/' && strcmp(s + a - b, suffix) == 0;
}

static void check_error(const bad_case *c, rulebook_status got, const rulebook_error *err)
{
	for (size_t i = 0; i < rulebook_error_count(err); i++)
		ck_assert_msg(valid_utf8(rulebook_error_message(err, i)),
			      "%s: message %zu is not UTF-8", c->file, i);
	if (c->status == RULEBOOK_OK) {
		ck_assert_msg(got == RULEBOOK_OK, "%s: %s: %s", c->file, rulebook_status_str(got),
			      rulebook_error_message(err, 0));
		ck_assert_uint_eq(rulebook_error_count(err), 0);
		return;
	}
	const char *msg = rulebook_error_message(err, 0);
	ck_assert_msg(got == c->status, "%s: status %s, wanted %s (%s)", c->file,
		      rulebook_status_str(got), rulebook_status_str(c->status), msg);
	ck_assert_int_eq(rulebook_error_status(err), c->status);
	ck_assert_uint_ge(rulebook_error_count(err), 1);
	ck_assert_msg(strstr(msg, c->fragment) != NULL, "%s: message '%s' lacks '%s'", c->file, msg,
		      c->fragment);
	ck_assert_msg(rulebook_error_line(err, 0) == c->line && rulebook_error_column(err, 0) == c->col,
		      "%s: at %u:%u, wanted %u:%u (%s)", c->file, rulebook_error_line(err, 0),
		      rulebook_error_column(err, 0), c->line, c->col, msg);
	if (strcmp(c->kind, "rulebook") == 0) {
		const char *file = rulebook_error_file(err, 0);
		ck_assert_msg(file && ends_with(file, c->at), "%s: diagnostic in %s, wanted %s", c->file,
			      file ? file : "(none)", c->at);
	} else {
		ck_assert_str_eq(rulebook_error_file(err, 0), "<json>");
	}
}

START_TEST(test_case)
{
	const bad_case *c = &cases[_i];
	rulebook_error *err = rulebook_error_new();
	ck_assert_ptr_nonnull(err);
	if (strcmp(c->kind, "rulebook") == 0) {
		rulebook_options *opts = rulebook_options_new();
		ck_assert_ptr_nonnull(opts);
		if (c->scalar_limit)
			ck_assert_int_eq(rulebook_options_set_limit(opts, RULEBOOK_LIMIT_SCALAR,
								    c->scalar_limit), RULEBOOK_OK);
		rulebook *rb = (rulebook *)opts;  /* must be reset */
		rulebook_status st = rulebook_load_file(bad_path(c->file), opts, &rb, err);
		check_error(c, st, err);
		ck_assert(st == RULEBOOK_OK ? rb != NULL : rb == NULL);
		rulebook_free(rb);
		rulebook_options_free(opts);
	} else {
		rulebook *base = NULL;
		ck_assert_int_eq(rulebook_load_file(bad_path("base.yaml"), NULL, &base, err),
				 RULEBOOK_OK);
		rulebook_facts *f = rulebook_facts_new(base);
		rulebook_result *res = rulebook_result_new(base);
		ck_assert_ptr_nonnull(f);
		ck_assert_ptr_nonnull(res);
		ck_assert_int_eq(rulebook_facts_set_decimal(f, "tax", "7", err), RULEBOOK_OK);
		size_t len;
		char *json = read_all(bad_path(c->file), &len);
		rulebook_status st = rulebook_facts_set_json(f, json, len, err);
		check_error(c, st, err);
		/* A refused record leaves the facts as they were. */
		ck_assert_int_eq(rulebook_eval(base, f, 20230630, res, NULL), RULEBOOK_OK);
		ck_assert_str_eq(rulebook_result_value(res, "tax"),
				 st == RULEBOOK_OK ? "1158.1" : "7");
		free(json);
		rulebook_result_free(res);
		rulebook_facts_free(f);
		rulebook_free(base);
	}
	rulebook_error_free(err);
}
END_TEST

/* ---- a counting allocator, to bound what a hostile document costs ---- */

typedef struct counter {
	size_t live, peak;
} counter;

static counter mem;

#define HDR sizeof(max_align_t)

static void *count_malloc(size_t n, void *payload)
{
	counter *c = payload;
	char *p = malloc(n + HDR);
	if (!p)
		return NULL;
	memcpy(p, &n, sizeof n);
	c->live += n;
	if (c->live > c->peak)
		c->peak = c->live;
	return p + HDR;
}

static void count_free(void *p, void *payload)
{
	counter *c = payload;
	if (!p)
		return;
	size_t n;
	memcpy(&n, (char *)p - HDR, sizeof n);
	c->live -= n;
	free((char *)p - HDR);
}

static void *count_realloc(void *p, size_t n, void *payload)
{
	void *q = count_malloc(n, payload);
	if (q && p) {
		size_t old;
		memcpy(&old, (char *)p - HDR, sizeof old);
		memcpy(q, p, old < n ? old : n);
		count_free(p, payload);
	}
	return q;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Load data under the counting allocator; returns the status and sets the
 * seconds taken and the peak of the library's live memory. */
static rulebook_status measured_load(const char *data, size_t len, double *secs, size_t *peak,
				     rulebook_error **err)
{
	rulebook_set_allocator(count_malloc, count_realloc, count_free, &mem);
	mem = (counter){0, 0};
	*err = rulebook_error_new();
	rulebook *rb = NULL;
	double t0 = now();
	rulebook_status st = rulebook_load_buffer(data, len, "bomb.yaml", NULL, &rb, *err);
	*secs = now() - t0;
	*peak = mem.peak;
	rulebook_free(rb);
	return st;
}

static void measured_done(rulebook_error *err)
{
	rulebook_error_free(err);
	ck_assert_uint_eq(mem.live, 0);
	rulebook_set_allocator(NULL, NULL, NULL, NULL);
}

START_TEST(test_billion_laughs_fails_fast)
{
	/* Nine levels of nine aliases would be 9^9 (387 million) nodes; the
	 * node limit stops it at the first alias of level g (13:10) having
	 * looked at a few hundred events. */
	size_t len;
	char *doc = read_all(bad_path("billion-laughs.yaml"), &len);
	double secs;
	size_t peak;
	rulebook_error *err;
	rulebook_status st = measured_load(doc, len, &secs, &peak, &err);
	ck_assert_int_eq(st, RULEBOOK_ERR_LIMIT);
	ck_assert_uint_eq(rulebook_error_line(err, 0), 13);
	ck_assert_uint_eq(rulebook_error_column(err, 0), 10);
	ck_assert_msg(secs < 1.0, "took %.3f s", secs);
	ck_assert_msg(peak < 256 * 1024, "peak %zu bytes", peak);
	measured_done(err);
	free(doc);
}
END_TEST

START_TEST(test_nesting_far_beyond_the_limit_fails_fast)
{
	/* 100000 '[' after `a: `: the 64th (the root mapping is the first
	 * level) at column 4 + 63 = 67 goes too deep. */
	size_t n = 100000;
	char *doc = malloc(3 + 2 * n + 2);
	ck_assert_ptr_nonnull(doc);
	memcpy(doc, "a: ", 3);
	memset(doc + 3, '[', n);
	memset(doc + 3 + n, ']', n);
	memcpy(doc + 3 + 2 * n, "\n", 2);
	double secs;
	size_t peak;
	rulebook_error *err;
	rulebook_status st = measured_load(doc, strlen(doc), &secs, &peak, &err);
	ck_assert_int_eq(st, RULEBOOK_ERR_LIMIT);
	ck_assert_str_eq(rulebook_error_message(err, 0),
			 "document nests deeper than the depth limit (64)");
	ck_assert_uint_eq(rulebook_error_line(err, 0), 1);
	ck_assert_uint_eq(rulebook_error_column(err, 0), 67);
	ck_assert_msg(secs < 1.0, "took %.3f s", secs);
	ck_assert_msg(peak < 1024 * 1024, "peak %zu bytes", peak);
	measured_done(err);
	free(doc);
}
END_TEST

START_TEST(test_division_by_zero_is_a_verdict)
{
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = NULL;
	ck_assert_int_eq(rulebook_load_file(bad_path("division-by-zero.yaml"), NULL, &rb, err),
			 RULEBOOK_OK);
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	const char *rec = "{\"tax\": 100, \"land_area\": 0}";
	ck_assert_int_eq(rulebook_facts_set_json(f, rec, strlen(rec), err), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_eval(rb, f, 20230630, res, err), RULEBOOK_OK);
	/* R1 through the indicator, R2 directly: 100 / 0 has no value. R3 does
	 * not divide: 100 >= 1. */
	ck_assert_int_eq(rulebook_result_verdict(res, 0), RULEBOOK_ERROR);
	ck_assert_int_eq(rulebook_result_verdict(res, 1), RULEBOOK_ERROR);
	ck_assert_int_eq(rulebook_result_verdict(res, 2), RULEBOOK_PASS);
	ck_assert_ptr_null(rulebook_result_value(res, "mu_tax"));
	uint32_t counts[8];
	rulebook_result_counts(res, counts);
	ck_assert_uint_eq(counts[RULEBOOK_ERROR], 2);
	ck_assert_uint_eq(counts[RULEBOOK_PASS], 1);
	const char *json;
	size_t len;
	ck_assert_int_eq(rulebook_result_json(res, RULEBOOK_OUT_VERDICTS, &json, &len), RULEBOOK_OK);
	ck_assert_ptr_nonnull(strstr(json, "\"error\""));
	const char *text;
	ck_assert_int_eq(rulebook_result_explain(res, RULEBOOK_OUT_LANG_EN, &text, &len),
			 RULEBOOK_OK);
	ck_assert_ptr_nonnull(strstr(text, "division by zero"));
	/* With an area the same rules decide: 100 / 2 = 50 >= 37. */
	rec = "{\"land_area\": 2}";
	ck_assert_int_eq(rulebook_facts_set_json(f, rec, strlen(rec), err), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_eval(rb, f, 20230630, res, err), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_result_verdict(res, 0), RULEBOOK_PASS);
	ck_assert_int_eq(rulebook_result_verdict(res, 1), RULEBOOK_PASS);
	ck_assert_str_eq(rulebook_result_value(res, "mu_tax"), "50");
	rulebook_result_free(res);
	rulebook_facts_free(f);
	rulebook_free(rb);
	rulebook_error_free(err);
}
END_TEST

/* ---- the manifest ---- */

static rulebook_status status_named(const char *name)
{
	static const struct {
		const char *name;
		rulebook_status st;
	} names[] = {
		{"OK", RULEBOOK_OK},
		{"RULEBOOK_ERR_IO", RULEBOOK_ERR_IO},
		{"RULEBOOK_ERR_SYNTAX", RULEBOOK_ERR_SYNTAX},
		{"RULEBOOK_ERR_SCHEMA", RULEBOOK_ERR_SCHEMA},
		{"RULEBOOK_ERR_EXPR", RULEBOOK_ERR_EXPR},
		{"RULEBOOK_ERR_NAME", RULEBOOK_ERR_NAME},
		{"RULEBOOK_ERR_TYPE", RULEBOOK_ERR_TYPE},
		{"RULEBOOK_ERR_UNIT", RULEBOOK_ERR_UNIT},
		{"RULEBOOK_ERR_CYCLE", RULEBOOK_ERR_CYCLE},
		{"RULEBOOK_ERR_VALUE", RULEBOOK_ERR_VALUE},
		{"RULEBOOK_ERR_RANGE", RULEBOOK_ERR_RANGE},
		{"RULEBOOK_ERR_LIMIT", RULEBOOK_ERR_LIMIT},
		{"RULEBOOK_ERR_NOT_FOUND", RULEBOOK_ERR_NOT_FOUND},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i].name, name) == 0)
			return names[i].st;
	fprintf(stderr, "cases.txt: unknown status %s\n", name);
	exit(1);
}

/* Split line at tabs into at most n fields; returns how many. */
static int split(char *line, char **f, int n)
{
	int k = 0;
	f[k++] = line;
	for (char *p = line; *p && k < n; p++)
		if (*p == '\t') {
			*p = '\0';
			f[k++] = p + 1;
		}
	return k;
}

static void read_manifest(void)
{
	const char *r = getenv("RULEBOOK_SOURCE_ROOT");
	if (!r) {
		fprintf(stderr, "RULEBOOK_SOURCE_ROOT is not set\n");
		exit(1);
	}
	char path[4096];
	snprintf(path, sizeof path, "%s/tests/bad/cases.txt", r);
	FILE *fp = fopen(path, "r");
	if (!fp) {
		fprintf(stderr, "cannot open %s\n", path);
		exit(1);
	}
	char line[2048];
	int lineno = 0;
	while (fgets(line, sizeof line, fp)) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		char *f[7];
		if (split(line, f, 7) != 7 || ncases == MAX_CASES) {
			fprintf(stderr, "cases.txt:%d: expected 7 tab-separated fields\n", lineno);
			exit(1);
		}
		bad_case *c = &cases[ncases++];
		snprintf(c->file, sizeof c->file, "%s", f[0]);
		snprintf(c->kind, sizeof c->kind, "%s", f[1]);
		c->status = status_named(f[2]);
		c->line = (uint32_t)strtoul(f[3], NULL, 10);
		c->col = (uint32_t)strtoul(f[4], NULL, 10);
		snprintf(c->at, sizeof c->at, "%s", f[0]);
		for (char *opt = strtok(f[5], ","); opt; opt = strtok(NULL, ","))
			if (strncmp(opt, "scalar=", 7) == 0)
				c->scalar_limit = strtoull(opt + 7, NULL, 10);
			else if (strncmp(opt, "at=", 3) == 0)
				snprintf(c->at, sizeof c->at, "%s", opt + 3);
		snprintf(c->fragment, sizeof c->fragment, "%s", f[6]);
		if (strcmp(c->kind, "rulebook") != 0 && strcmp(c->kind, "facts") != 0) {
			fprintf(stderr, "cases.txt:%d: unknown kind %s\n", lineno, c->kind);
			exit(1);
		}
	}
	fclose(fp);
}

int main(void)
{
	read_manifest();
	Suite *s = suite_create("bad");
	TCase *tc = tcase_create("catalogue");
	tcase_add_loop_test(tc, test_case, 0, ncases);
	suite_add_tcase(s, tc);
	tc = tcase_create("hostile");
	tcase_add_test(tc, test_billion_laughs_fails_fast);
	tcase_add_test(tc, test_nesting_far_beyond_the_limit_fails_fast);
	tcase_add_test(tc, test_division_by_zero_is_a_verdict);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
