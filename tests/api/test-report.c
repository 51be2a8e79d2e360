/* rulebook_population_report_html: the page's figures, escaping, the light
 * thresholds of targets, settings and results checked, and every error a
 * caller can reach. The browser suite (tests/browser) renders full pages
 * of the shipped rulebooks; this one checks the function itself. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One rule with two responsible units and an illustrative threshold, an
 * aggregate (total tax of at least 50 万元) followed up by one of them, one
 * cumulative target over 100 days (2023-01-01 to 2023-04-10, both
 * counted), so that on 2023-02-19 the time progress is 50 / 100 = 0.5. */
static const char BOOK[] =
	"rulebook: 1\n"
	"id: t.report\n"
	"title: {zh: 报告测试, en: Report test}\n"
	"subject: enterprise\n"
	"source: {issuer: 区政府, document: 实施方案, number: 临政发〔2022〕9号, "
	"issued: 2022-05-19}\n"
	"inputs:\n"
	"  - {id: tax, type: number, unit: 万元}\n"
	"  - {id: done, type: number, unit: 亩}\n"
	"parameters:\n"
	"  - {id: min_tax, unit: 万元, cite: 三, provenance: illustrative, note: an example, "
	"value: 10}\n"
	"  - {id: goal, unit: 亩, cite: 二, provenance: cited, value: 100}\n"
	"  - {id: min_total, unit: 万元, cite: 四, provenance: cited, value: 50}\n"
	"rules:\n"
	"  - id: R1\n"
	"    title: {zh: 税收达标, en: enough tax}\n"
	"    cite: 三（一）\n"
	"    responsible: [区经信局, 区税务局]\n"
	"    require: tax >= min_tax\n"
	"    message: {zh: '税收 {tax}', en: 'tax {tax}'}\n"
	"targets:\n"
	"  - id: T1\n"
	"    title: {zh: 腾地, en: land freed}\n"
	"    cite: 二\n"
	"    responsible: [区自然资源局]\n"
	"    measure: done\n"
	"    target: goal\n"
	"    unit: 亩\n"
	"    kind: cumulative\n"
	"    period: {from: 2023-01-01, until: 2023-04-10}\n"
	"aggregates:\n"
	"  - id: A1\n"
	"    title: {zh: 税收总额, en: total tax}\n"
	"    cite: 四\n"
	"    responsible: [区经信局]\n"
	"    measure: sum\n"
	"    value: tax\n"
	"    unit: 万元\n"
	"    require: value >= min_total\n";

#define AS_OF 20230219

static rulebook *rb;

static void setup(void)
{
	rb = load_str(BOOK);
}

static void teardown(void)
{
	rulebook_free(rb);
}

/* A population of the records in jsons (NULL-terminated), and in *results
 * their JSON results as one array (free()). */
static rulebook_population *population_in(const char *const *jsons, uint32_t flags,
					  char **results)
{
	rulebook_population *pop = rulebook_population_new(rb, AS_OF);
	rulebook_facts *facts = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	ck_assert_ptr_nonnull(pop);
	size_t cap = 16, len = 0;
	char *all = malloc(cap);
	ck_assert_ptr_nonnull(all);
	all[len++] = '[';
	for (size_t i = 0; jsons[i]; i++) {
		rulebook_facts_clear(facts);
		set_json(facts, jsons[i]);
		ck_assert_int_eq(rulebook_population_add(pop, facts, NULL), RULEBOOK_OK);
		eval_ok(rb, facts, AS_OF, res);
		const char *json;
		size_t n;
		ck_assert_int_eq(rulebook_result_json(res, flags, &json, &n), RULEBOOK_OK);
		while (len + n + 3 > cap) {
			cap *= 2;
			all = realloc(all, cap);
			ck_assert_ptr_nonnull(all);
		}
		if (i)
			all[len++] = ',';
		memcpy(all + len, json, n);
		len += n;
	}
	all[len++] = ']';
	all[len] = '\0';
	*results = all;
	rulebook_result_free(res);
	rulebook_facts_free(facts);
	return pop;
}

static rulebook_population *population(const char *const *jsons, char **results)
{
	return population_in(jsons, 0, results);
}

static char *page_of(rulebook_population *pop, const char *results, const char *settings)
{
	char *html = NULL;
	size_t len = 0;
	rulebook_error *err = rulebook_error_new();
	rulebook_status st = rulebook_population_report_html(
		pop, results, results ? strlen(results) : 0, settings,
		settings ? strlen(settings) : 0, &html, &len, err);
	ck_assert_msg(st == RULEBOOK_OK, "report: %s", rulebook_error_message(err, 0));
	ck_assert_ptr_nonnull(html);
	ck_assert_uint_eq(len, strlen(html));
	rulebook_error_free(err);
	return html;
}

static void report_fails(rulebook_population *pop, const char *results, const char *settings,
			 rulebook_status want, const char *fragment)
{
	char *html = (char *)1;
	rulebook_error *err = rulebook_error_new();
	rulebook_status st = rulebook_population_report_html(
		pop, results, results ? strlen(results) : 0, settings,
		settings ? strlen(settings) : 0, &html, NULL, err);
	ck_assert_int_eq(st, want);
	ck_assert_ptr_null(html);
	ck_assert_uint_ge(rulebook_error_count(err), 1);
	ck_assert_msg(contains(rulebook_error_message(err, 0), fragment), "message '%s' lacks '%s'",
		      rulebook_error_message(err, 0), fragment);
	rulebook_error_free(err);
}

/* The light of target T1 on the page. */
static const char *light_of(const char *html)
{
	const char *row = strstr(html, "data-target=\"T1\"");
	ck_assert_ptr_nonnull(row);
	const char *l = strstr(row, "data-light=\"");
	ck_assert_ptr_nonnull(l);
	l += strlen("data-light=\"");
	if (strncmp(l, "green", 5) == 0)
		return "green";
	if (strncmp(l, "yellow", 6) == 0)
		return "yellow";
	if (strncmp(l, "red", 3) == 0)
		return "red";
	return "none";
}

static const char *light_for(const char *done, const char *settings)
{
	char json[128];
	snprintf(json, sizeof json, "{\"tax\": 20, \"done\": %s}", done);
	const char *recs[] = {json, NULL};
	char *results;
	rulebook_population *pop = population(recs, &results);
	char *html = page_of(pop, results, settings);
	const char *l = light_of(html);
	rulebook_mem_free(html);
	free(results);
	rulebook_population_free(pop);
	return l;
}

START_TEST(time_progress_is_one_half)
{
	/* the premise of the light tests, from the library itself */
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	set_json(f, "{\"done\": 40}");
	eval_ok(rb, f, AS_OF, res);
	ck_assert_str_eq(rulebook_result_target_value(res, 0, RULEBOOK_TARGET_TIME_PROGRESS), "0.5");
	ck_assert_str_eq(rulebook_result_target_value(res, 0, RULEBOOK_TARGET_COMPLETION), "0.4");
	rulebook_result_free(res);
	rulebook_facts_free(f);
}
END_TEST

START_TEST(lights_at_the_default_thresholds)
{
	/* completion 0.5 is on pace; 0.4 is exactly 10 points behind, not more:
	 * green; 0.39 is 11 points: yellow; 0.2 is exactly 30: yellow; 0.19 is
	 * 31: red; nothing achieved yet is 50 points behind: red */
	ck_assert_str_eq(light_for("50", NULL), "green");
	ck_assert_str_eq(light_for("40", NULL), "green");
	ck_assert_str_eq(light_for("39", NULL), "yellow");
	ck_assert_str_eq(light_for("20", NULL), "yellow");
	ck_assert_str_eq(light_for("19", NULL), "red");
	ck_assert_str_eq(light_for("0", NULL), "red");
	ck_assert_str_eq(light_for("null", NULL), "none");
}
END_TEST

START_TEST(lights_with_other_thresholds)
{
	const char *strict = "{\"yellow_behind\": \"5\", \"red_behind\": \"10.5\"}";
	ck_assert_str_eq(light_for("46", strict), "green");   /* 4 points behind */
	ck_assert_str_eq(light_for("45", strict), "green");   /* exactly 5 */
	ck_assert_str_eq(light_for("44", strict), "yellow");  /* 6 */
	ck_assert_str_eq(light_for("40", strict), "yellow");  /* 10 <= 10.5 */
	ck_assert_str_eq(light_for("39", strict), "red");     /* 11 */
}
END_TEST

START_TEST(figures_and_follow_up)
{
	const char *recs[] = {"{\"_id\": \"a\", \"tax\": 5, \"done\": 50}",
			      "{\"_id\": \"b\", \"tax\": 15, \"done\": 50}",
			      "{\"_id\": \"c\", \"done\": 50}",
			      "{\"_id\": \"d\", \"tax\": 9.99, \"done\": 50}", NULL};
	char *results;
	rulebook_population *pop = population(recs, &results);
	char *html = page_of(pop, results, "{\"data\": \"firms.csv\"}");
	/* a and d fail R1 (5 and 9.99 < 10), c is unknown, b passes */
	ck_assert(contains(html, "data-rule=\"R1\" data-fail=\"2\" data-unknown=\"1\""));
	/* the header: document number, hash, as-of, data, version */
	ck_assert(contains(html, "临政发〔2022〕9号"));
	ck_assert(contains(html, rulebook_hash(rb)));
	ck_assert(contains(html, "2023-02-19"));
	ck_assert(contains(html, "<code>firms.csv</code>, 4&nbsp;条记录"));
	ck_assert(contains(html, rulebook_version()));
	/* illustrative min_tax is named in the notice */
	ck_assert(contains(html, "id=\"illustrative\""));
	ck_assert(contains(html, "<code>min_tax</code>"));
	/* both units follow up both failing records */
	ck_assert(contains(html, "data-unit=\"区经信局\" data-fail=\"2\""));
	ck_assert(contains(html, "data-unit=\"区税务局\" data-fail=\"2\""));
	/* failing records link to their explanations, the others have none */
	ck_assert(contains(html, "<a href=\"#r1\">a</a>"));
	ck_assert(contains(html, "<a href=\"#r4\">d</a>"));
	ck_assert(contains(html, "id=\"r1\""));
	ck_assert(contains(html, "id=\"r4\""));
	ck_assert(!contains(html, "id=\"r2\""));
	/* the gap and the message of d */
	ck_assert(contains(html, "+0.01 万元"));
	ck_assert(contains(html, "税收 9.99"));
	/* four targets on pace */
	ck_assert(contains(html, "data-target-status=\"on_pace\"><th scope=\"row\">符合序时进度"
				 "</th><td class=\"n\" data-count=\"4\">"));
	ck_assert(contains(html, "@page{size:A4"));
	ck_assert(!contains(html, "<script"));
	rulebook_mem_free(html);

	/* English, from results written in English */
	char *results_en;
	rulebook_population *pop_en = population_in(recs, RULEBOOK_OUT_LANG_EN, &results_en);
	html = page_of(pop_en, results_en, "{\"lang\": \"en\"}");
	ck_assert(contains(html, "<html lang=\"en\">"));
	ck_assert(contains(html, "Follow-up by responsible unit"));
	ck_assert(contains(html, "tax 9.99"));
	rulebook_mem_free(html);
	free(results_en);
	rulebook_population_free(pop_en);

	/* without the results: verdicts stay, details are said to be left out */
	html = page_of(pop, NULL, "{\"lang\": \"en\"}");
	ck_assert(contains(html, "data-rule=\"R1\" data-fail=\"2\""));
	ck_assert(contains(html, "No per-record results were given"));
	ck_assert(!contains(html, "id=\"r1\""));
	rulebook_mem_free(html);
	free(results);
	rulebook_population_free(pop);
}
END_TEST

START_TEST(failed_aggregate_followed_up)
{
	/* a fails R1 (5 < 10), b passes; the total 5 + 15 = 20 万元 is 30 short
	 * of 50, so A1 fails and only 区经信局 follows it up */
	const char *recs[] = {"{\"_id\": \"a\", \"tax\": 5, \"done\": 50}",
			      "{\"_id\": \"b\", \"tax\": 15, \"done\": 50}", NULL};
	char *results;
	rulebook_population *pop = population(recs, &results);
	ck_assert_int_eq(rulebook_population_aggregate_verdict(pop, 0), RULEBOOK_FAIL);
	char *html = page_of(pop, results, NULL);
	ck_assert(contains(html, "data-unit=\"区经信局\" data-fail=\"1\" data-aggregate-fail=\"1\""));
	ck_assert(contains(html, "data-unit=\"区税务局\" data-fail=\"1\" data-aggregate-fail=\"0\""));
	ck_assert(contains(html, "1 家记录，1 项不通过；1 项总量指标不通过"));
	ck_assert(contains(html, "<li data-follow-aggregate=\"A1\"><a href=\"#aggregates\">税收总额</a>（四）"
				 " 差距 <strong>+30 万元</strong></li>"));
	/* the aggregates table names the unit */
	ck_assert(contains(html, "<td>区经信局</td></tr>"));
	rulebook_mem_free(html);
	free(results);
	rulebook_population_free(pop);

	/* a total of 50 passes: nothing population-wide to follow up */
	const char *enough[] = {"{\"_id\": \"a\", \"tax\": 35, \"done\": 50}",
				"{\"_id\": \"b\", \"tax\": 15, \"done\": 50}", NULL};
	pop = population(enough, &results);
	html = page_of(pop, results, NULL);
	ck_assert(!contains(html, "data-aggregate-fail=\"1\""));
	ck_assert(!contains(html, "<li data-follow-aggregate="));
	ck_assert(contains(html, "没有不通过的规则，无需督办。"));
	rulebook_mem_free(html);
	free(results);
	rulebook_population_free(pop);
}
END_TEST

START_TEST(data_is_escaped)
{
	const char *recs[] = {"{\"_id\": \"<script>alert('x')</script>\", \"tax\": 1, \"done\": 1}",
			      "{\"_id\": \"\\\"><img src=x onerror=y>&amp;\", \"tax\": 1}", NULL};
	char *results;
	rulebook_population *pop = population(recs, &results);
	char *html = page_of(pop, results, "{\"data\": \"<b>data</b>.csv\"}");
	ck_assert(!contains(html, "<script"));
	ck_assert(!contains(html, "<img"));
	ck_assert(!contains(html, "<b>data"));
	ck_assert(contains(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
	ck_assert(contains(html, "&quot;&gt;&lt;img src=x onerror=y&gt;&amp;amp;"));
	ck_assert(contains(html, "&lt;b&gt;data&lt;/b&gt;.csv"));
	rulebook_mem_free(html);
	free(results);
	rulebook_population_free(pop);
}
END_TEST

START_TEST(settings_refused)
{
	const char *recs[] = {"{\"tax\": 1}", NULL};
	char *results;
	rulebook_population *pop = population(recs, &results);
	report_fails(pop, results, "{\"colour\": \"red\"}", RULEBOOK_ERR_INVALID,
		     "unknown report setting (use lang, data, yellow_behind, red_behind): colour");
	report_fails(pop, results, "{\"lang\": \"fr\"}", RULEBOOK_ERR_INVALID,
		     "\"lang\" must be \"zh\" or \"en\"");
	report_fails(pop, results, "{\"yellow_behind\": \"-1\"}", RULEBOOK_ERR_INVALID,
		     "not a number of points (0 or more): yellow_behind");
	report_fails(pop, results, "{\"red_behind\": \"lots\"}", RULEBOOK_ERR_INVALID,
		     "not a number of points (0 or more): red_behind");
	report_fails(pop, results, "{\"yellow_behind\": \"40\"}", RULEBOOK_ERR_INVALID,
		     "yellow_behind must not be larger than red_behind");
	report_fails(pop, results, "[\"en\"]", RULEBOOK_ERR_INVALID,
		     "the report settings must be a JSON object");
	report_fails(pop, results, "{\"data\": [1]}", RULEBOOK_ERR_INVALID,
		     "\"data\" must be a string");

	/* a syntax error is reported with its position */
	rulebook_error *err = rulebook_error_new();
	char *html = NULL;
	const char *bad = "{\"lang\":\n \"en\",,}";
	ck_assert_int_eq(rulebook_population_report_html(pop, NULL, 0, bad, strlen(bad), &html,
							 NULL, err),
			 RULEBOOK_ERR_SYNTAX);
	ck_assert_ptr_null(html);
	ck_assert_str_eq(rulebook_error_file(err, 0), "settings");
	ck_assert_uint_eq(rulebook_error_line(err, 0), 2);
	rulebook_error_free(err);
	free(results);
	rulebook_population_free(pop);
}
END_TEST

START_TEST(results_refused)
{
	const char *recs[] = {"{\"_id\": \"a\", \"tax\": 1}", "{\"_id\": \"b\", \"tax\": 2}", NULL};
	char *results;
	rulebook_population *pop = population(recs, &results);
	/* one result too few */
	char *one = strdup(results);
	char *cut = strstr(one, "},{\"rulebook\"");
	ck_assert_ptr_nonnull(cut);
	strcpy(cut + 1, "]");
	report_fails(pop, one, NULL, RULEBOOK_ERR_INVALID,
		     "1 results for a population of 2 records");
	free(one);
	/* in the other order */
	char *swapped = malloc(strlen(results) + 1);
	const char *second = strstr(results, ",{\"rulebook\"") + 1;
	size_t first_len = (size_t)(second - 1 - (results + 1));
	sprintf(swapped, "[%.*s,%.*s]", (int)(strlen(second) - 1), second, (int)first_len,
		results + 1);
	report_fails(pop, swapped, NULL, RULEBOOK_ERR_INVALID,
		     "result 1 is for record b, but record 1 of the population is a");
	free(swapped);
	report_fails(pop, "{\"rules\": []}", NULL, RULEBOOK_ERR_INVALID,
		     "the results must be a JSON array of record results");
	report_fails(pop, "[{\"rulebook\": {\"id\": \"other\"}}, {}]", NULL, RULEBOOK_ERR_INVALID,
		     "result 1 is not a full result of rulebook t.report");
	report_fails(pop, "[1, 2", NULL, RULEBOOK_ERR_SYNTAX, "");

	/* verdicts only: no messages to show */
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	set_json(f, "{\"_id\": \"a\", \"tax\": 1}");
	eval_ok(rb, f, AS_OF, res);
	const char *json;
	ck_assert_int_eq(rulebook_result_json(res, RULEBOOK_OUT_VERDICTS, &json, NULL), RULEBOOK_OK);
	char both[4096];
	snprintf(both, sizeof both, "[%s,%s]", json, json);
	report_fails(pop, both, NULL, RULEBOOK_ERR_INVALID, "without RULEBOOK_OUT_VERDICTS");
	rulebook_result_free(res);
	rulebook_facts_free(f);
	free(results);
	rulebook_population_free(pop);
}
END_TEST

START_TEST(invalid_arguments)
{
	rulebook_population *pop = rulebook_population_new(rb, AS_OF);
	char *html = NULL;
	size_t len = 7;
	report_fails(NULL, NULL, NULL, RULEBOOK_ERR_INVALID, "invalid argument");
	ck_assert_int_eq(rulebook_population_report_html(pop, NULL, 0, NULL, 0, NULL, &len, NULL),
			 RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_population_report_html(pop, NULL, 3, NULL, 0, &html, &len, NULL),
			 RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_population_report_html(pop, NULL, 0, NULL, 2, &html, &len, NULL),
			 RULEBOOK_ERR_INVALID);
	ck_assert_ptr_null(html);
	ck_assert_uint_eq(len, 0);
	/* an empty population still makes a page */
	ck_assert_int_eq(rulebook_population_report_html(pop, "[]", 2, NULL, 0, &html, &len, NULL),
			 RULEBOOK_OK);
	ck_assert(contains(html, "0&nbsp;条记录"));
	ck_assert(contains(html, "</html>"));
	rulebook_mem_free(html);
	rulebook_population_free(pop);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, time_progress_is_one_half);
	tcase_add_test(tc, lights_at_the_default_thresholds);
	tcase_add_test(tc, lights_with_other_thresholds);
	tcase_add_test(tc, figures_and_follow_up);
	tcase_add_test(tc, failed_aggregate_followed_up);
	tcase_add_test(tc, data_is_escaped);
	tcase_add_test(tc, settings_refused);
	tcase_add_test(tc, results_refused);
	tcase_add_test(tc, invalid_arguments);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
