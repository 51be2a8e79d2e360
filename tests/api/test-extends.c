/* Rulebooks that extend rulebooks: parents found by path, by id in the
 * extending file's directory and through rulebook_options_add_search_path
 * (flat <id>.yaml and dots as directories), overrides, floors and
 * ceilings, disable, cycles, a missing parent, a subject mismatch, and the
 * "file" fields of the JSON result. Each test writes its rulebooks into a
 * fresh temporary directory. */
#include "common.h"
#include "json-lite.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- a temporary tree ---- */

#define MAX_PATHS 64

static char root[256];
static char *created[MAX_PATHS]; /* files and directories, in creation order */
static size_t ncreated;

static void remember(const char *path)
{
	ck_assert_uint_lt(ncreated, MAX_PATHS);
	size_t n = strlen(path) + 1;
	created[ncreated] = malloc(n);
	ck_assert_ptr_nonnull(created[ncreated]);
	memcpy(created[ncreated++], path, n);
}

/* root/rel; a static buffer, valid until the next call. */
static const char *at(const char *rel)
{
	static char buf[2][512];
	static int k;
	k ^= 1;
	int n = snprintf(buf[k], sizeof buf[k], "%s/%s", root, rel);
	ck_assert(n > 0 && (size_t)n < sizeof buf[k]);
	return buf[k];
}

/* Write text to root/rel, making the directories on the way. */
static void put(const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", root, rel);
	for (char *p = path + strlen(root) + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) == 0)
			remember(path);
		else
			ck_assert_msg(errno == EEXIST, "mkdir %s: %s", path, strerror(errno));
		*p = '/';
	}
	FILE *fp = fopen(path, "wb");
	ck_assert_msg(fp != NULL, "cannot write %s", path);
	ck_assert_uint_eq(fwrite(text, 1, strlen(text), fp), strlen(text));
	ck_assert_int_eq(fclose(fp), 0);
	remember(path);
}

static void setup(void)
{
	snprintf(root, sizeof root, "%s/rulebook-extends-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(root));
	ncreated = 0;
}

/* Remove the tree; safe to call twice. A failing check ends the test
 * without its teardown, so a test expected to fail calls this first. */
static void teardown(void)
{
	while (ncreated > 0) {
		char *p = created[--ncreated];
		if (remove(p) != 0)
			fprintf(stderr, "cannot remove %s\n", p);
		free(p);
	}
	if (root[0])
		rmdir(root);
	root[0] = '\0';
}

/* ---- the rulebooks ---- */

/* The province: min_mu_tax is a floor (line 12), max_energy a ceiling
 * (line 13); three rules. */
#define PROVINCE(id, min_mu_tax)                                                                  \
	"rulebook: 1\n"                                                                           \
	"id: " id "\n"                                                                            \
	"title: {zh: 省级（测试）, en: province (test)}\n"                                        \
	"subject: enterprise\n"                                                                   \
	"source: {issuer: 测试省, document: 省级测试文件, issued: 2021-01-01}\n"                  \
	"in_force: {from: 2021-01-01, until: 2025-12-31}\n"                                       \
	"inputs:\n"                                                                               \
	"  - {id: tax, type: number, unit: 万元}\n"                                               \
	"  - {id: land_area, type: number, unit: 亩}\n"                                           \
	"  - {id: energy, type: number, unit: tce(等价值)}\n"                                     \
	"parameters:\n"                                                                           \
	"  - {id: min_mu_tax, unit: 万元/亩, cite: 省文件 二, provenance: cited, direction: floor, value: " \
	min_mu_tax "}\n"                                                                          \
	"  - {id: max_energy, unit: tce(等价值), cite: 省文件 三, provenance: cited, direction: ceiling, value: 5000}\n" \
	"indicators:\n"                                                                           \
	"  - {id: mu_tax, expr: tax / land_area, unit: 万元/亩}\n"                                \
	"rules:\n"                                                                                \
	"  - {id: mu_tax, cite: 省文件 二, require: mu_tax >= min_mu_tax}\n"                      \
	"  - {id: energy_cap, cite: 省文件 三, require: energy <= max_energy}\n"                  \
	"  - {id: land_reported, cite: 省文件 四, require: present(land_area)}\n"

/* The district: `extends` on line 7, the override on line 9. */
static void district(const char *rel, const char *extends, const char *subject,
		     const char *override_line)
{
	char text[2048];
	int n = snprintf(text, sizeof text,
			 "rulebook: 1\n"
			 "id: test.district\n"
			 "title: {zh: 区级（测试）, en: district (test)}\n"
			 "subject: %s\n"
			 "source: {issuer: 测试区, document: 区级测试文件, issued: 2022-05-19}\n"
			 "in_force: {from: 2022-05-19}\n"
			 "extends: %s\n"
			 "overrides:\n"
			 "%s\n"
			 "disable:\n"
			 "  - {rule: land_reported, reason: the district reads the land register}\n"
			 "inputs:\n"
			 "  - {id: rd, type: number, unit: 万元}\n"
			 "  - {id: revenue, type: number, unit: 万元}\n"
			 "rules:\n"
			 "  - {id: rd_share, cite: 二, require: rd / revenue > 2.3%%}\n",
			 subject, extends, override_line);
	ck_assert(n > 0 && (size_t)n < sizeof text);
	put(rel, text);
}

#define RAISE_TO_37 "  - {parameter: min_mu_tax, value: 37, cite: 二, reason: a higher district target}"

static rulebook *load_ok(const char *path, const rulebook_options *opts)
{
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = NULL;
	rulebook_status st = rulebook_load_file(path, opts, &rb, err);
	ck_assert_msg(st == RULEBOOK_OK, "loading %s: %s (%s:%u:%u)", path, rulebook_error_message(err, 0),
		      rulebook_error_file(err, 0) ? rulebook_error_file(err, 0) : "?",
		      rulebook_error_line(err, 0), rulebook_error_column(err, 0));
	ck_assert_ptr_nonnull(rb);
	rulebook_error_free(err);
	return rb;
}

/* Load path expecting failure with status st; returns the error. */
static rulebook_error *load_bad(const char *path, const rulebook_options *opts, rulebook_status st)
{
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = (rulebook *)&rb;
	rulebook_status got = rulebook_load_file(path, opts, &rb, err);
	ck_assert_msg(got == st, "loading %s: status %d (%s), wanted %d", path, (int)got,
		      rulebook_error_message(err, 0), (int)st);
	ck_assert_ptr_null(rb);
	ck_assert_uint_ge(rulebook_error_count(err), 1);
	ck_assert_int_eq(rulebook_error_status(err), st);
	return err;
}

static size_t param_at(const rulebook *rb, const char *name)
{
	for (size_t i = 0; i < rulebook_param_count(rb); i++)
		if (strcmp(rulebook_param_name(rb, i), name) == 0)
			return i;
	ck_abort_msg("no parameter %s", name);
	return 0;
}

static const char *min_mu_tax(const rulebook *rb)
{
	return rulebook_param_value(rb, param_at(rb, "min_mu_tax"), 20220630);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = s ? strlen(s) : 0, b = strlen(suffix);
	return s && a >= b && strcmp(s + a - b, suffix) == 0;
}

/* ---- finding the parent ---- */

/* By a path relative to the extending file. */
START_TEST(test_extends_relative_path)
{
	put("province/zhejiang.yaml", PROVINCE("test.province", "30"));
	district("city/district.yaml", "../province/zhejiang.yaml", "enterprise", RAISE_TO_37);
	rulebook *rb = load_ok(at("city/district.yaml"), NULL);
	ck_assert_str_eq(rulebook_id(rb), "test.district");
	ck_assert_str_eq(min_mu_tax(rb), "37");
	rulebook_free(rb);
}
END_TEST

/* An id is looked up in the extending file's directory first. */
START_TEST(test_extends_id_in_own_directory)
{
	put("d/test.province.yaml", PROVINCE("test.province", "31"));
	district("d/district.yaml", "test.province", "enterprise", RAISE_TO_37);
	rulebook *rb = load_ok(at("d/district.yaml"), NULL);
	/* the district's own parameter value, not the parent's 31 */
	ck_assert_str_eq(min_mu_tax(rb), "37");
	rulebook_free(rb);
}
END_TEST

/* test.province is neither next to the district nor a path: only the
 * search path finds it, as lib/test/province.yaml (dots as directories). */
START_TEST(test_search_path_nested)
{
	put("lib/test/province.yaml", PROVINCE("test.province", "30"));
	district("child/district.yaml", "test.province", "enterprise", RAISE_TO_37);
	/* without the search path: not found, at the `extends` value */
	rulebook_error *err = load_bad(at("child/district.yaml"), NULL, RULEBOOK_ERR_IO);
	check_diag(err, 0, RULEBOOK_ERR_IO, "test.province", at("child/district.yaml"), 7, 10);
	rulebook_error_free(err);

	rulebook_options *opts = rulebook_options_new();
	ck_assert_ptr_nonnull(opts);
	/* the directory string is copied */
	char dir[512];
	snprintf(dir, sizeof dir, "%s", at("lib"));
	ck_assert_int_eq(rulebook_options_add_search_path(opts, dir), RULEBOOK_OK);
	memset(dir, 'x', sizeof dir - 1);
	dir[sizeof dir - 1] = '\0';
	rulebook *rb = load_ok(at("child/district.yaml"), opts);
	ck_assert_str_eq(min_mu_tax(rb), "37");
	ck_assert_uint_eq(rulebook_rule_count(rb), 3);
	rulebook_free(rb);
	rulebook_options_free(opts);
}
END_TEST

/* A program loading rulebooks it did not write can forbid `extends`: the
 * error points at the value of `extends` (line 7, column 10). */
START_TEST(test_extends_forbidden)
{
	put("lib/test/province.yaml", PROVINCE("test.province", "30"));
	district("child/district.yaml", "test.province", "enterprise", RAISE_TO_37);
	rulebook_options *opts = rulebook_options_new();
	ck_assert_int_eq(rulebook_options_add_search_path(opts, at("lib")), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_options_allow_extends(opts, 0), RULEBOOK_OK);
	rulebook_error *err = load_bad(at("child/district.yaml"), opts, RULEBOOK_ERR_INVALID);
	check_diag(err, 0, RULEBOOK_ERR_INVALID, "forbidden", at("child/district.yaml"), 7, 10);
	rulebook_error_free(err);
	/* allowed again */
	ck_assert_int_eq(rulebook_options_allow_extends(opts, 1), RULEBOOK_OK);
	rulebook *rb = load_ok(at("child/district.yaml"), opts);
	ck_assert_str_eq(min_mu_tax(rb), "37");
	rulebook_free(rb);
	rulebook_options_free(opts);
	ck_assert_int_eq(rulebook_options_allow_extends(NULL, 0), RULEBOOK_ERR_INVALID);
}
END_TEST

/* Flat <id>.yaml in the second of two search directories. */
START_TEST(test_search_path_flat_second_dir)
{
	put("empty/readme.txt", "nothing here\n");
	put("flat/test.province.yaml", PROVINCE("test.province", "30"));
	district("child/district.yaml", "test.province", "enterprise", "  []");
	rulebook_options *opts = rulebook_options_new();
	ck_assert_int_eq(rulebook_options_add_search_path(opts, at("empty")), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_options_add_search_path(opts, at("flat")), RULEBOOK_OK);
	rulebook *rb = load_ok(at("child/district.yaml"), opts);
	/* no override: the parent's value */
	ck_assert_str_eq(min_mu_tax(rb), "30");
	rulebook_free(rb);
	rulebook_options_free(opts);
}
END_TEST

/* The extending file's directory comes before the search path. */
START_TEST(test_own_directory_before_search_path)
{
	put("child/test/province.yaml", PROVINCE("test.province", "32"));
	put("lib/test/province.yaml", PROVINCE("test.province", "33"));
	district("child/district.yaml", "test.province", "enterprise", "  []");
	rulebook_options *opts = rulebook_options_new();
	ck_assert_int_eq(rulebook_options_add_search_path(opts, at("lib")), RULEBOOK_OK);
	rulebook *rb = load_ok(at("child/district.yaml"), opts);
	ck_assert_str_eq(min_mu_tax(rb), "32");
	rulebook_free(rb);
	rulebook_options_free(opts);
}
END_TEST

START_TEST(test_add_search_path_invalid)
{
	rulebook_options *opts = rulebook_options_new();
	ck_assert_int_eq(rulebook_options_add_search_path(NULL, "/tmp"), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_options_add_search_path(opts, NULL), RULEBOOK_ERR_INVALID);
	/* many directories */
	for (int i = 0; i < 40; i++)
		ck_assert_int_eq(rulebook_options_add_search_path(opts, "/nonexistent/dir"), RULEBOOK_OK);
	rulebook_options_free(opts);
}
END_TEST

/* ---- merging ---- */

/* The district: the parent's inputs, parameters and rules first, land_reported
 * disabled, min_mu_tax raised to 37, the district's rule last, and the
 * parent's in_force until inherited. tax 300 over 10 亩 = 30 万元/亩 passes
 * the province (30) and fails the district (37) by +7 万元/亩. */
START_TEST(test_override_disable_inherit)
{
	put("province.yaml", PROVINCE("test.province", "30"));
	district("district.yaml", "province.yaml", "enterprise", RAISE_TO_37);
	rulebook *prov = load_ok(at("province.yaml"), NULL);
	rulebook *dist = load_ok(at("district.yaml"), NULL);

	ck_assert_uint_eq(rulebook_input_count(dist), 5);
	static const char *const inputs[] = {"tax", "land_area", "energy", "rd", "revenue"};
	for (size_t i = 0; i < 5; i++)
		ck_assert_str_eq(rulebook_input_name(dist, i), inputs[i]);
	ck_assert_uint_eq(rulebook_rule_count(dist), 3);
	ck_assert_str_eq(rulebook_rule_id(dist, 0), "mu_tax");
	ck_assert_str_eq(rulebook_rule_id(dist, 1), "energy_cap");
	ck_assert_str_eq(rulebook_rule_id(dist, 2), "rd_share");
	size_t idx;
	ck_assert_int_eq(rulebook_rule_index(dist, "land_reported", strlen("land_reported"), &idx),
			 RULEBOOK_ERR_NOT_FOUND);
	ck_assert_uint_eq(rulebook_rule_count(prov), 3);
	/* the header is the district's; until is inherited */
	ck_assert_str_eq(rulebook_id(dist), "test.district");
	ck_assert_str_eq(rulebook_title(dist, "en"), "district (test)");
	ck_assert_int_eq(rulebook_in_force_from(dist), 20220519);
	ck_assert_int_eq(rulebook_in_force_until(dist), 20251231);
	/* the override: value and cite from the district, unit from the province */
	size_t p = param_at(dist, "min_mu_tax");
	ck_assert_str_eq(rulebook_param_value(dist, p, 20220630), "37");
	ck_assert_str_eq(rulebook_param_cite(dist, p), "二");
	ck_assert_str_eq(rulebook_param_unit(dist, p), "万元/亩");
	ck_assert_str_eq(rulebook_param_value(prov, param_at(prov, "min_mu_tax"), 20220630), "30");
	ck_assert_str_eq(rulebook_param_value(dist, param_at(dist, "max_energy"), 20220630), "5000");

	const char *json = "{\"tax\": 300, \"land_area\": 10, \"energy\": 100, \"rd\": 24, \"revenue\": 1000}";
	rulebook_facts *fd = rulebook_facts_new(dist), *fp = rulebook_facts_new(prov);
	rulebook_result *rd = rulebook_result_new(dist), *rp = rulebook_result_new(prov);
	set_json(fd, json);
	set_json(fp, "{\"tax\": 300, \"land_area\": 10, \"energy\": 100}");
	eval_ok(dist, fd, 20220630, rd);
	eval_ok(prov, fp, 20220630, rp);
	ck_assert_int_eq(rulebook_result_verdict(rp, 0), RULEBOOK_PASS);
	ck_assert_int_eq(rulebook_result_verdict(rd, 0), RULEBOOK_FAIL);
	ck_assert_str_eq(rulebook_result_gap(rd, 0), "+7 万元/亩");
	ck_assert_int_eq(rulebook_result_verdict(rd, 1), RULEBOOK_PASS);
	/* 24 / 1000 = 0.024 > 0.023 */
	ck_assert_int_eq(rulebook_result_verdict(rd, 2), RULEBOOK_PASS);
	/* the district is not in force before its own from */
	eval_ok(dist, fd, 20220518, rd);
	ck_assert_int_eq(rulebook_result_verdict(rd, 0), RULEBOOK_NOT_IN_FORCE);
	eval_ok(dist, fd, 20251231, rd);
	ck_assert_int_eq(rulebook_result_verdict(rd, 0), RULEBOOK_FAIL);
	eval_ok(dist, fd, 20260101, rd);
	ck_assert_int_eq(rulebook_result_verdict(rd, 0), RULEBOOK_NOT_IN_FORCE);

	rulebook_result_free(rd);
	rulebook_result_free(rp);
	rulebook_facts_free(fd);
	rulebook_facts_free(fp);
	rulebook_free(dist);
	rulebook_free(prov);
}
END_TEST

/* Results name the file each rule came from and, for each parameter, the
 * file its values came from (the district for an override). */
START_TEST(test_json_file_fields)
{
	put("p/province.yaml", PROVINCE("test.province", "30"));
	district("d/district.yaml", "../p/province.yaml", "enterprise", RAISE_TO_37);
	rulebook *rb = load_ok(at("d/district.yaml"), NULL);
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	set_json(f, "{\"tax\": 300, \"land_area\": 10, \"energy\": 100, \"rd\": 24, \"revenue\": 1000}");
	eval_ok(rb, f, 20220630, res);
	const char *out = NULL;
	size_t len = 0;
	ck_assert_int_eq(rulebook_result_json(res, 0, &out, &len), RULEBOOK_OK);
	jv *v = json_parse(out, len);
	ck_assert_msg(v != NULL, "%s", out);
	ck_assert_str_eq(json_text(v, "rulebook/id"), "test.district");
	ck_assert_str_eq(json_text(v, "rules/0/id"), "mu_tax");
	ck_assert_msg(ends_with(json_text(v, "rules/0/file"), "/p/province.yaml"), "%s",
		      json_text(v, "rules/0/file"));
	ck_assert_str_eq(json_text(v, "rules/1/id"), "energy_cap");
	ck_assert(ends_with(json_text(v, "rules/1/file"), "/p/province.yaml"));
	ck_assert_str_eq(json_text(v, "rules/2/id"), "rd_share");
	ck_assert_msg(ends_with(json_text(v, "rules/2/file"), "/d/district.yaml"), "%s",
		      json_text(v, "rules/2/file"));
	/* overridden: the district's file and value; inherited: the province's */
	ck_assert_str_eq(json_text(v, "rules/0/values/min_mu_tax/value"), "37");
	ck_assert_msg(ends_with(json_text(v, "rules/0/values/min_mu_tax/file"), "/d/district.yaml"), "%s",
		      json_text(v, "rules/0/values/min_mu_tax/file"));
	ck_assert_str_eq(json_text(v, "rules/1/values/max_energy/value"), "5000");
	ck_assert_msg(ends_with(json_text(v, "rules/1/values/max_energy/file"), "/p/province.yaml"), "%s",
		      json_text(v, "rules/1/values/max_energy/file"));
	json_free(v);
	rulebook_result_free(res);
	rulebook_facts_free(f);
	rulebook_free(rb);
}
END_TEST

/* ---- floors and ceilings ---- */

/* min_mu_tax is a floor of 30 (province line 12): 25 is laxer. The
 * diagnostic points at the override in the district (line 9) and its
 * message names the province's file and line. */
START_TEST(test_laxer_floor)
{
	put("province.yaml", PROVINCE("test.province", "30"));
	const char *line = "  - {parameter: min_mu_tax, value: 25, cite: 二, reason: lower}";
	district("district.yaml", "province.yaml", "enterprise", line);
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = (rulebook *)&rb;
	ck_assert_int_ne(rulebook_load_file(at("district.yaml"), NULL, &rb, err), RULEBOOK_OK);
	ck_assert_ptr_null(rb);
	ck_assert_uint_eq(rulebook_error_count(err), 1);
	const char *msg = rulebook_error_message(err, 0);
	ck_assert_msg(contains(msg, "min_mu_tax") && contains(msg, "floor"), "%s", msg);
	ck_assert_msg(contains(msg, "province.yaml:12"), "%s", msg);
	ck_assert_str_eq(rulebook_error_file(err, 0), at("district.yaml"));
	ck_assert_uint_eq(rulebook_error_line(err, 0), 9);
	ck_assert_uint_eq(rulebook_error_column(err, 0), (uint32_t)(strstr(line, "25") - line) + 1);
	ck_assert_str_eq(rulebook_error_subject(err, 0), "min_mu_tax");
	rulebook_error_free(err);
}
END_TEST

/* max_energy is a ceiling of 5000 (line 13): 6000 is laxer, 4000 is fine. */
START_TEST(test_laxer_ceiling)
{
	put("province.yaml", PROVINCE("test.province", "30"));
	const char *line = "  - {parameter: max_energy, value: 6000, cite: 三, reason: more}";
	district("district.yaml", "province.yaml", "enterprise", line);
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = (rulebook *)&rb;
	ck_assert_int_ne(rulebook_load_file(at("district.yaml"), NULL, &rb, err), RULEBOOK_OK);
	ck_assert_ptr_null(rb);
	const char *msg = rulebook_error_message(err, 0);
	ck_assert_msg(contains(msg, "max_energy") && contains(msg, "ceiling"), "%s", msg);
	ck_assert_msg(contains(msg, "province.yaml:13"), "%s", msg);
	ck_assert_str_eq(rulebook_error_file(err, 0), at("district.yaml"));
	ck_assert_uint_eq(rulebook_error_line(err, 0), 9);
	rulebook_error_free(err);
}
END_TEST

START_TEST(test_stricter_and_equal_overrides)
{
	put("province.yaml", PROVINCE("test.province", "30"));
	district("a.yaml", "province.yaml", "enterprise",
		 "  - {parameter: max_energy, value: 4000, cite: 三, reason: less}\n"
		 "  - {parameter: min_mu_tax, value: 30, cite: 二, reason: the same}");
	rulebook *rb = load_ok(at("a.yaml"), NULL);
	ck_assert_str_eq(rulebook_param_value(rb, param_at(rb, "max_energy"), 20220630), "4000");
	ck_assert_str_eq(min_mu_tax(rb), "30");
	rulebook_free(rb);
}
END_TEST

/* ---- errors ---- */

START_TEST(test_missing_parent)
{
	district("district.yaml", "nowhere.yaml", "enterprise", "  []");
	rulebook_error *err = load_bad(at("district.yaml"), NULL, RULEBOOK_ERR_IO);
	check_diag(err, 0, RULEBOOK_ERR_IO, "nowhere.yaml", at("district.yaml"), 7, 10);
	rulebook_error_free(err);
	/* a missing parent found through a directory path */
	district("d2.yaml", "../no/such/dir.yaml", "enterprise", "  []");
	err = load_bad(at("d2.yaml"), NULL, RULEBOOK_ERR_IO);
	check_diag(err, 0, RULEBOOK_ERR_IO, "../no/such/dir.yaml", at("d2.yaml"), 7, 10);
	rulebook_error_free(err);
}
END_TEST

/* A parent that is not a regular file is named for what it is, at the
 * line and column of the `extends` that asked for it. */
START_TEST(test_parent_not_a_file)
{
	char dir[512], what[600];
	snprintf(dir, sizeof dir, "%s", at("dir.yaml"));
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	remember(dir);
	district("d1.yaml", "dir.yaml", "enterprise", "  []");
	rulebook_error *err = load_bad(at("d1.yaml"), NULL, RULEBOOK_ERR_IO);
	snprintf(what, sizeof what, "extends 'dir.yaml': %s is a directory, not a rulebook file", dir);
	check_diag(err, 0, RULEBOOK_ERR_IO, what, at("d1.yaml"), 7, 10);
	rulebook_error_free(err);

	district("d2.yaml", "/dev/null", "enterprise", "  []");
	err = load_bad(at("d2.yaml"), NULL, RULEBOOK_ERR_IO);
	check_diag(err, 0, RULEBOOK_ERR_IO,
		   "extends '/dev/null': /dev/null is a device, not a rulebook file", at("d2.yaml"), 7,
		   10);
	rulebook_error_free(err);

	char loop[512];
	snprintf(loop, sizeof loop, "%s", at("loop.yaml"));
	ck_assert_int_eq(symlink("loop.yaml", loop), 0);
	remember(loop);
	district("d3.yaml", "loop.yaml", "enterprise", "  []");
	err = load_bad(at("d3.yaml"), NULL, RULEBOOK_ERR_IO);
	snprintf(what, sizeof what, "extends 'loop.yaml': %s is a symbolic link loop", loop);
	check_diag(err, 0, RULEBOOK_ERR_IO, what, at("d3.yaml"), 7, 10);
	rulebook_error_free(err);

	/* by id too: the candidate <id>.yaml is a directory */
	district("d4.yaml", "dir", "enterprise", "  []");
	err = load_bad(at("d4.yaml"), NULL, RULEBOOK_ERR_IO);
	snprintf(what, sizeof what, "extends 'dir': %s is a directory, not a rulebook file", dir);
	check_diag(err, 0, RULEBOOK_ERR_IO, what, at("d4.yaml"), 7, 10);
	rulebook_error_free(err);
}
END_TEST

/* A parent that is a file but not a rulebook: its own error, then one at
 * the `extends` that asked for it. */
START_TEST(test_parent_not_a_rulebook)
{
	put("list.yaml", "- a\n- b\n");
	district("d.yaml", "list.yaml", "enterprise", "  []");
	rulebook_error *err = load_bad(at("d.yaml"), NULL, RULEBOOK_ERR_SCHEMA);
	ck_assert_uint_eq(rulebook_error_count(err), 2);
	ck_assert_str_eq(rulebook_error_file(err, 0), at("list.yaml"));
	ck_assert_uint_eq(rulebook_error_line(err, 0), 1);
	char what[600];
	snprintf(what, sizeof what, "extends 'list.yaml': the parent rulebook %s could not be loaded",
		 at("list.yaml"));
	check_diag(err, 1, RULEBOOK_ERR_SCHEMA, what, at("d.yaml"), 7, 10);
	rulebook_error_free(err);
}
END_TEST

/* RULEBOOK_LIMIT_CHAIN_SIZE bounds the bytes of all the files of a chain,
 * each of which may be under the file size limit. */
START_TEST(test_chain_size_limit)
{
	put("zhejiang.yaml", PROVINCE("test.province", "30"));
	district("district.yaml", "zhejiang.yaml", "enterprise", RAISE_TO_37);
	struct stat a, b;
	ck_assert_int_eq(stat(at("zhejiang.yaml"), &a), 0);
	ck_assert_int_eq(stat(at("district.yaml"), &b), 0);
	uint64_t total = (uint64_t)a.st_size + (uint64_t)b.st_size;
	rulebook_options *o = rulebook_options_new();
	ck_assert_int_eq(rulebook_options_set_limit(o, RULEBOOK_LIMIT_CHAIN_SIZE, total), RULEBOOK_OK);
	rulebook_free(load_ok(at("district.yaml"), o));
	ck_assert_int_eq(rulebook_options_set_limit(o, RULEBOOK_LIMIT_CHAIN_SIZE, total - 1),
			 RULEBOOK_OK);
	rulebook_error *err = load_bad(at("district.yaml"), o, RULEBOOK_ERR_LIMIT);
	char what[600];
	snprintf(what, sizeof what,
		 "the files of the extends chain (up to %s) are larger than the chain size limit "
		 "(%llu bytes)",
		 at("zhejiang.yaml"), (unsigned long long)(total - 1));
	ck_assert_str_eq(rulebook_error_message(err, 0), what);
	check_diag(err, 1, RULEBOOK_ERR_LIMIT, "extends 'zhejiang.yaml'", at("district.yaml"), 7,
		   10);
	rulebook_error_free(err);
	rulebook_options_free(o);
}
END_TEST

/* a extends b extends a; and a rulebook extending itself. */
START_TEST(test_cycle)
{
	district("a.yaml", "b.yaml", "enterprise", "  []");
	district("b.yaml", "a.yaml", "enterprise", "  []");
	rulebook_error *err = load_bad(at("a.yaml"), NULL, RULEBOOK_ERR_CYCLE);
	ck_assert_uint_eq(rulebook_error_line(err, 0), 7);
	ck_assert_uint_eq(rulebook_error_column(err, 0), 10);
	rulebook_error_free(err);
	district("self.yaml", "self.yaml", "enterprise", "  []");
	err = load_bad(at("self.yaml"), NULL, RULEBOOK_ERR_CYCLE);
	check_diag(err, 0, RULEBOOK_ERR_CYCLE, "self.yaml", at("self.yaml"), 7, 10);
	rulebook_error_free(err);
	/* the same parent twice in a chain by different spellings */
	district("sub/c.yaml", "../sub/./c.yaml", "enterprise", "  []");
	err = load_bad(at("sub/c.yaml"), NULL, RULEBOOK_ERR_CYCLE);
	rulebook_error_free(err);
}
END_TEST

START_TEST(test_subject_mismatch)
{
	put("province.yaml", PROVINCE("test.province", "30"));
	district("district.yaml", "province.yaml", "project", "  []");
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = (rulebook *)&rb;
	ck_assert_int_ne(rulebook_load_file(at("district.yaml"), NULL, &rb, err), RULEBOOK_OK);
	ck_assert_ptr_null(rb);
	const char *msg = rulebook_error_message(err, 0);
	ck_assert_msg(contains(msg, "project") && contains(msg, "enterprise"), "%s", msg);
	/* at the district's subject: line 4, column 10 */
	ck_assert_str_eq(rulebook_error_file(err, 0), at("district.yaml"));
	ck_assert_uint_eq(rulebook_error_line(err, 0), 4);
	ck_assert_uint_eq(rulebook_error_column(err, 0), 10);
	rulebook_error_free(err);
}
END_TEST

/* A name defined by the parent and again by the child: an error at the
 * child's definition that gives the parent's position too (tax is on line
 * 8 of the province). */
START_TEST(test_name_in_both)
{
	put("province.yaml", PROVINCE("test.province", "30"));
	put("district.yaml", "rulebook: 1\n"
			     "id: test.district\n"
			     "title: {zh: 区级, en: district}\n"
			     "subject: enterprise\n"
			     "source: {issuer: 测试区, document: 区级测试文件, issued: 2022-05-19}\n"
			     "extends: province.yaml\n"
			     "inputs:\n"
			     "  - {id: tax, type: number, unit: 万元}\n");
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = (rulebook *)&rb;
	ck_assert_int_ne(rulebook_load_file(at("district.yaml"), NULL, &rb, err), RULEBOOK_OK);
	ck_assert_ptr_null(rb);
	ck_assert_uint_eq(rulebook_error_count(err), 1);
	const char *msg = rulebook_error_message(err, 0);
	ck_assert_msg(contains(msg, "tax") && contains(msg, "province.yaml:8"), "%s", msg);
	ck_assert_str_eq(rulebook_error_file(err, 0), at("district.yaml"));
	ck_assert_uint_eq(rulebook_error_line(err, 0), 8);
	ck_assert_uint_eq(rulebook_error_column(err, 0), 10);
	rulebook_error_free(err);
}
END_TEST

/* A parent's source bytes are dropped once its model is read; an error
 * the compiler finds later inside a parent's literal block (`|`) still
 * points into the parent: y on line 13, column 7 (the block's indent is
 * 6). */
START_TEST(test_parent_block_position)
{
	put("parent.yaml", "rulebook: 1\n"
			   "id: test.parent\n"
			   "title: {zh: 父, en: parent}\n"
			   "subject: enterprise\n"
			   "source: {issuer: 测试, document: 父文件, issued: 2021-01-01}\n"
			   "inputs:\n"
			   "  - {id: x, type: number}\n"
			   "rules:\n"
			   "  - id: R\n"
			   "    cite: 一\n"
			   "    require: |\n"
			   "      x > 1 and\n"
			   "      y > 2\n");
	put("child.yaml", "rulebook: 1\n"
			  "id: test.child\n"
			  "title: {zh: 子, en: child}\n"
			  "subject: enterprise\n"
			  "source: {issuer: 测试, document: 子文件, issued: 2022-01-01}\n"
			  "extends: parent.yaml\n");
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = (rulebook *)&rb;
	ck_assert_int_eq(rulebook_load_file(at("child.yaml"), NULL, &rb, err), RULEBOOK_ERR_NAME);
	ck_assert_ptr_null(rb);
	ck_assert_msg(contains(rulebook_error_message(err, 0), "unknown name 'y'"), "%s",
		      rulebook_error_message(err, 0));
	ck_assert_str_eq(rulebook_error_file(err, 0), at("parent.yaml"));
	ck_assert_uint_eq(rulebook_error_line(err, 0), 13);
	ck_assert_uint_eq(rulebook_error_column(err, 0), 7);
	rulebook_error_free(err);
}
END_TEST

/* A chain of 16 rulebooks is allowed; 17 is deeper than 16. Each link
 * extends the next; the last defines the rule. */
static void chain(int n)
{
	char rel[64], text[1024];
	for (int k = 0; k < n; k++) {
		snprintf(rel, sizeof rel, "chain%d/r%d.yaml", n, k);
		int len = snprintf(text, sizeof text,
				   "rulebook: 1\n"
				   "id: chain.r%d\n"
				   "title: {zh: 链, en: chain}\n"
				   "subject: enterprise\n"
				   "source: {issuer: 测试, document: 链, issued: 2021-01-01}\n"
				   "%s%d%s\n",
				   k, k + 1 < n ? "extends: r" : "inputs: [{id: x, type: number}]\n"
				   "rules: [{id: R, cite: 一, require: x > ",
				   k + 1 < n ? k + 1 : 0, k + 1 < n ? ".yaml" : "}]");
		ck_assert(len > 0 && (size_t)len < sizeof text);
		put(rel, text);
	}
}

START_TEST(test_chain_depth)
{
	chain(16);
	rulebook *rb = load_ok(at("chain16/r0.yaml"), NULL);
	ck_assert_str_eq(rulebook_id(rb), "chain.r0");
	ck_assert_uint_eq(rulebook_rule_count(rb), 1);
	ck_assert_str_eq(rulebook_rule_id(rb, 0), "R");
	rulebook_free(rb);
	chain(17);
	rulebook_error *err = rulebook_error_new();
	rb = (rulebook *)&rb;
	ck_assert_int_ne(rulebook_load_file(at("chain17/r0.yaml"), NULL, &rb, err), RULEBOOK_OK);
	ck_assert_ptr_null(rb);
	ck_assert_msg(contains(rulebook_error_message(err, 0), "16"), "%s", rulebook_error_message(err, 0));
	rulebook_error_free(err);
}
END_TEST

/* ---- regressions: cases that once went wrong ---- */

/* "direction: floor (a child may only raise it)". The province's floor is
 * 30 until 2022-12-31 and 35 from 2023-01-01; an override of 32 (in force at
 * every date) raises 2022's floor but lowers 2023's from 35 to 32: laxer, so
 * an error naming the parameter. The same with a dated override from
 * 2022-01-01. */
START_TEST(test_override_below_a_later_floor)
{
	static const char *const prov =
		"rulebook: 1\n"
		"id: prov\n"
		"title: {zh: 省, en: province}\n"
		"subject: enterprise\n"
		"source: {issuer: 省, document: 文件, issued: 2021-01-01}\n"
		"inputs:\n"
		"  - {id: x, type: number}\n"
		"parameters:\n"
		"  - id: floor_p\n"
		"    cite: 一\n"
		"    provenance: cited\n"
		"    direction: floor\n"
		"    values:\n"
		"      - {from: 2021-01-01, value: 30}\n"
		"      - {from: 2023-01-01, value: 35}\n"
		"rules:\n"
		"  - {id: R, cite: 一, require: x >= floor_p}\n";
	put("prov.yaml", prov);
	put("single.yaml", "rulebook: 1\n"
			   "id: single\n"
			   "title: {zh: 区, en: district}\n"
			   "subject: enterprise\n"
			   "source: {issuer: 区, document: 文件, issued: 2022-01-01}\n"
			   "extends: prov.yaml\n"
			   "overrides:\n"
			   "  - {parameter: floor_p, value: 32, cite: 二, reason: higher}\n");
	put("dated.yaml", "rulebook: 1\n"
			  "id: dated\n"
			  "title: {zh: 区, en: district}\n"
			  "subject: enterprise\n"
			  "source: {issuer: 区, document: 文件, issued: 2022-01-01}\n"
			  "extends: prov.yaml\n"
			  "overrides:\n"
			  "  - {parameter: floor_p, values: [{from: 2022-01-01, value: 32}], cite: 二, reason: higher}\n");
	static const char *const files[] = {"single.yaml", "dated.yaml"};
	rulebook_status st[2];
	int named[2];
	for (int k = 0; k < 2; k++) {
		rulebook_error *err = rulebook_error_new();
		rulebook *rb = NULL;
		st[k] = rulebook_load_file(at(files[k]), NULL, &rb, err);
		named[k] = contains(rulebook_error_message(err, 0), "floor_p");
		rulebook_free(rb);
		rulebook_error_free(err);
	}
	teardown();
	for (int k = 0; k < 2; k++) {
		ck_assert_msg(st[k] != RULEBOOK_OK,
			      "%s: an override of 32 under the 2023 floor of 35 was accepted", files[k]);
		ck_assert(named[k]);
	}
}
END_TEST

/* ---- the closure hash ---- */

#define CLOSURE_ROOT(floor)                                                                    \
	"rulebook: 1\nid: t.root\ntitle: {zh: 根, en: root}\nsubject: enterprise\n"             \
	"source: {issuer: 省, document: 文件, issued: 2021-01-01}\nin_force: {from: 2021-01-01}\n" \
	"inputs:\n  - {id: tax, type: number, unit: 万元}\n"                                     \
	"parameters:\n  - {id: floor, unit: 万元, cite: 一, provenance: cited, direction: floor, " \
	"value: " floor "}\n"                                                                     \
	"rules:\n  - {id: tax_floor, cite: 一, require: tax >= floor}\n"
#define CLOSURE_MID                                                                            \
	"rulebook: 1\nid: t.mid\ntitle: {zh: 中, en: mid}\nsubject: enterprise\n"               \
	"source: {issuer: 市, document: 文件, issued: 2021-01-01}\nin_force: {from: 2021-01-01}\n" \
	"extends: a.yaml\n"
#define CLOSURE_TOP                                                                            \
	"rulebook: 1\nid: t.top\ntitle: {zh: 顶, en: top}\nsubject: enterprise\n"               \
	"source: {issuer: 区, document: 文件, issued: 2021-01-01}\nin_force: {from: 2021-01-01}\n" \
	"extends: b.yaml\n"

static void ck_text(const jv *v, const char *path, const char *want)
{
	const char *got = json_text(v, path);
	ck_assert_msg(got != NULL, "%s: missing", path);
	ck_assert_str_eq(got, want);
}

/* The expected hashes were computed apart from the library, with Python's
 * hashlib: the file hashes of the three texts, and for t.top the SHA-256 of
 * "<c> t.top\n<b> t.mid\n<a> t.root\n". */
START_TEST(test_closure_hash)
{
	put("a.yaml", CLOSURE_ROOT("10"));
	put("b.yaml", CLOSURE_MID);
	put("c.yaml", CLOSURE_TOP);
	rulebook *top = load_ok(at("c.yaml"), NULL);
	ck_assert_str_eq(rulebook_file_hash(top),
			 "b4263a12240fff4872032dece9a7ee0251d36c983195e85bd590989c4d0ffc32");
	ck_assert_str_eq(rulebook_hash(top),
			 "7919c5af35aed88c0e5e3091cff6c87ab2854f6c73cac3e670061c9c19c2afbf");
	ck_assert_uint_eq(rulebook_parent_count(top), 2);
	ck_assert_str_eq(rulebook_parent_id(top, 0), "t.mid");
	ck_assert_str_eq(rulebook_parent_hash(top, 0),
			 "04f5fb1bc8f9c4700b010ab23c1576d2701147428df746f16aaa5c8da1503ab0");
	ck_assert_str_eq(rulebook_parent_id(top, 1), "t.root");
	ck_assert_str_eq(rulebook_parent_hash(top, 1),
			 "399ab1f97f976e4e97029970d9249a1960a9b97c84eb0648b2edc6dacecf2893");
	ck_assert_ptr_null(rulebook_parent_id(top, 2));
	ck_assert_ptr_null(rulebook_parent_hash(top, 2));

	/* The JSON result lists every parent with its hash. */
	rulebook_facts *facts = rulebook_facts_new(top);
	rulebook_result *res = rulebook_result_new(top);
	ck_assert_int_eq(rulebook_facts_set_decimal(facts, "tax", "12", NULL), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_eval(top, facts, 20230630, res, NULL), RULEBOOK_OK);
	const char *text;
	size_t len;
	ck_assert_int_eq(rulebook_result_json(res, 0, &text, &len), RULEBOOK_OK);
	jv *v = json_parse(text, len);
	ck_assert_ptr_nonnull(v);
	ck_text(v, "rulebook/hash", rulebook_hash(top));
	ck_text(v, "rulebook/file_hash", rulebook_file_hash(top));
	ck_text(v, "rulebook/parents/0/id", "t.mid");
	ck_text(v, "rulebook/parents/1/id", "t.root");
	ck_text(v, "rulebook/parents/1/hash", rulebook_parent_hash(top, 1));
	ck_text(v, "library_version", rulebook_version());
	ck_text(v, "as_of", "2023-06-30");
	json_free(v);
	rulebook_result_free(res);
	rulebook_facts_free(facts);
	rulebook_free(top);

	/* The middle file's closure: itself and the root. */
	rulebook *mid = load_ok(at("b.yaml"), NULL);
	ck_assert_str_eq(rulebook_hash(mid),
			 "029b39738c3ce2e63f733283474f69c1127b380e292f06501c58a1c2e4aa0ab1");
	ck_assert_uint_eq(rulebook_parent_count(mid), 1);
	rulebook_free(mid);

	/* Editing only the root changes the top's hash, not its file hash. */
	put("a.yaml", CLOSURE_ROOT("20"));
	top = load_ok(at("c.yaml"), NULL);
	ck_assert_str_eq(rulebook_file_hash(top),
			 "b4263a12240fff4872032dece9a7ee0251d36c983195e85bd590989c4d0ffc32");
	ck_assert_str_eq(rulebook_hash(top),
			 "10e2baeeb0d3d301a94629e2a3e4e3afd6c16242d181671236b862c1fd11d208");
	rulebook_free(top);

	/* The root alone: its hash is its file's. */
	rulebook *root_rb = load_ok(at("a.yaml"), NULL);
	ck_assert_str_eq(rulebook_hash(root_rb),
			 "6102826fbe4268cfcb34b7b08b944f5d26534774a26bf0ed038421ddfbaaef28");
	ck_assert_str_eq(rulebook_file_hash(root_rb), rulebook_hash(root_rb));
	ck_assert_uint_eq(rulebook_parent_count(root_rb), 0);
	ck_assert_ptr_null(rulebook_parent_id(root_rb, 0));
	rulebook_free(root_rb);

	ck_assert_ptr_null(rulebook_file_hash(NULL));
	ck_assert_uint_eq(rulebook_parent_count(NULL), 0);
	ck_assert_ptr_null(rulebook_parent_id(NULL, 0));
	ck_assert_ptr_null(rulebook_parent_hash(NULL, 0));
}
END_TEST

static Suite *extends_suite(void)
{
	Suite *s = suite_create("extends");
	TCase *tc = tcase_create("lookup");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_extends_relative_path);
	tcase_add_test(tc, test_extends_id_in_own_directory);
	tcase_add_test(tc, test_search_path_nested);
	tcase_add_test(tc, test_extends_forbidden);
	tcase_add_test(tc, test_search_path_flat_second_dir);
	tcase_add_test(tc, test_own_directory_before_search_path);
	tcase_add_test(tc, test_add_search_path_invalid);
	suite_add_tcase(s, tc);

	tc = tcase_create("merge");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_override_disable_inherit);
	tcase_add_test(tc, test_json_file_fields);
	tcase_add_test(tc, test_laxer_floor);
	tcase_add_test(tc, test_laxer_ceiling);
	tcase_add_test(tc, test_stricter_and_equal_overrides);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_missing_parent);
	tcase_add_test(tc, test_parent_not_a_file);
	tcase_add_test(tc, test_parent_not_a_rulebook);
	tcase_add_test(tc, test_chain_size_limit);
	tcase_add_test(tc, test_cycle);
	tcase_add_test(tc, test_subject_mismatch);
	tcase_add_test(tc, test_chain_depth);
	tcase_add_test(tc, test_parent_block_position);
	tcase_add_test(tc, test_name_in_both);
	suite_add_tcase(s, tc);

	tc = tcase_create("closure_hash");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_closure_hash);
	suite_add_tcase(s, tc);

	tc = tcase_create("override_spans");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_override_below_a_later_floor);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(extends_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
