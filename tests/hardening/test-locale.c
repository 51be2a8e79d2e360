/* Decimals under a comma-decimal locale: in de_DE.UTF-8 printf("%g", 0.1)
 * writes "0,1" and strtod("0.1") stops at the point, so a library that
 * leaned on either would misread and miswrite numbers. Parsing, formatting,
 * doubles from the caller, JSON and explanations must be exactly what they
 * are in the "C" locale. Skipped (77) when the locale is not installed
 * (scripts/deps --test generates it). */
#include <rulebook.h>

#include <check.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOCALE "de_DE.UTF-8"

static const char book[] =
	"rulebook: 1\n"
	"id: locale\n"
	"title: {zh: 区域设置, en: locale}\n"
	"subject: enterprise\n"
	"source: {issuer: x, document: y, issued: 2022-05-19}\n"
	"inputs:\n"
	"  - {id: tax, type: number, unit: 万元}\n"
	"  - {id: land_area, type: number, unit: 亩}\n"
	"  - {id: ratio, type: number}\n"
	"  - {id: big, type: number}\n"
	"parameters:\n"
	"  - {id: min_mu_tax, unit: 万元/亩, cite: 二, provenance: cited, value: 37.5}\n"
	"  - {id: share, cite: 二, provenance: cited, value: 2.5%}\n"
	"indicators:\n"
	"  - {id: mu_tax, expr: tax / land_area, unit: 万元/亩}\n"
	"rules:\n"
	"  - id: R1\n"
	"    cite: 二\n"
	"    require: mu_tax >= min_mu_tax\n"
	"    message: {en: \"tax per mu {mu_tax}, target {min_mu_tax}\"}\n"
	"  - id: R2\n"
	"    cite: 二\n"
	"    require: ratio >= share and ratio <= 0.5 and big > 1.5e3\n";

typedef struct outputs {
	char json[16384];
	char explain[8192];
	char eval_json[16384];
} outputs;

/* Load, set facts, evaluate; assert the values worked out by hand and keep
 * the renderings for comparison between locales. */
static void run(outputs *o)
{
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = NULL;
	ck_assert_int_eq(rulebook_load_buffer(book, strlen(book), "locale.yaml", NULL, &rb, err),
			 RULEBOOK_OK);
	ck_assert_str_eq(rulebook_param_value(rb, 0, 20230630), "37.5");
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	/* 0.1 and 0.025 are not exact doubles; the shortest decimals that read
	 * back as them are. 0.1 / 0.004 = 25 < 37.5: the gap is +12.5. */
	ck_assert_int_eq(rulebook_facts_set_double(f, "tax", 0.1, err), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_facts_set_decimal(f, "land_area", "0.004", err), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_facts_set_double(f, "ratio", 0.025, err), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_facts_set_double(f, "big", 1158.1, err), RULEBOOK_OK);
	/* A comma is not a decimal point, whatever the locale says. */
	ck_assert_int_eq(rulebook_facts_set_decimal(f, "land_area", "0,004", err), RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(rulebook_facts_set_text(f, "big", "1,5", err), RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(rulebook_eval(rb, f, 20230630, res, err), RULEBOOK_OK);
	ck_assert_str_eq(rulebook_result_value(res, "tax"), "0.1");
	ck_assert_str_eq(rulebook_result_value(res, "land_area"), "0.004");
	ck_assert_str_eq(rulebook_result_value(res, "ratio"), "0.025");
	ck_assert_str_eq(rulebook_result_value(res, "big"), "1158.1");
	ck_assert_str_eq(rulebook_result_value(res, "mu_tax"), "25");
	ck_assert_str_eq(rulebook_result_value(res, "min_mu_tax"), "37.5");
	ck_assert_int_eq(rulebook_result_verdict(res, 0), RULEBOOK_FAIL);
	/* 0.025 >= 2.5 %, 0.025 <= 0.5, 1158.1 > 1500 is false. */
	ck_assert_int_eq(rulebook_result_verdict(res, 1), RULEBOOK_FAIL);
	ck_assert_str_eq(rulebook_result_gap(res, 0), "+12.5 万元/亩");
	ck_assert_str_eq(rulebook_result_message(res, 0, "en"),
			 "tax per mu 25 万元/亩, target 37.5 万元/亩 (gap: +12.5 万元/亩)");

	/* More doubles: the shortest round trip, never exponent or comma. */
	static const struct {
		double d;
		const char *text;
	} doubles[] = {
		{0.3, "0.3"}, {1e-7, "0.0000001"}, {123456789.125, "123456789.125"},
		{-2.5, "-2.5"}, {1e15, "1000000000000000"}, {0.1 + 0.2, "0.30000000000000004"},
	};
	for (size_t i = 0; i < sizeof doubles / sizeof doubles[0]; i++) {
		ck_assert_int_eq(rulebook_facts_set_double(f, "big", doubles[i].d, err), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_eval(rb, f, 20230630, res, err), RULEBOOK_OK);
		ck_assert_str_eq(rulebook_result_value(res, "big"), doubles[i].text);
	}
	ck_assert_int_eq(rulebook_facts_set_double(f, "big", 1158.1, err), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_eval(rb, f, 20230630, res, err), RULEBOOK_OK);

	const char *text;
	size_t len;
	ck_assert_int_eq(rulebook_result_json(res, RULEBOOK_OUT_PRETTY, &text, &len), RULEBOOK_OK);
	ck_assert_uint_lt(len, sizeof o->json);
	memcpy(o->json, text, len + 1);
	ck_assert_ptr_nonnull(strstr(text, "\"0.1\""));
	ck_assert_ptr_nonnull(strstr(text, "\"37.5\""));
	ck_assert_ptr_null(strstr(text, "0,1"));
	ck_assert_ptr_null(strstr(text, "37,5"));
	ck_assert_int_eq(rulebook_result_explain(res, RULEBOOK_OUT_LANG_EN, &text, &len), RULEBOOK_OK);
	ck_assert_uint_lt(len, sizeof o->explain);
	memcpy(o->explain, text, len + 1);
	ck_assert_ptr_null(strstr(text, "12,5"));

	/* JSON numbers in, JSON out. */
	static const char rec[] = "{\"tax\": 1158.1, \"land_area\": 31.3, \"ratio\": 0.25,"
				  " \"big\": 1.5e3}";
	char *out = NULL;
	ck_assert_int_eq(rulebook_eval_json(rb, rec, strlen(rec), 20230630, 0, &out, &len, err),
			 RULEBOOK_OK);
	ck_assert_uint_lt(len, sizeof o->eval_json);
	memcpy(o->eval_json, out, len + 1);
	/* 1158.1 / 31.3 = 37 >= 37.5 fails; 1.5e3 = 1500 is not > 1500. */
	ck_assert_ptr_nonnull(strstr(out, "\"37\""));
	ck_assert_ptr_nonnull(strstr(out, "\"1500\""));
	rulebook_mem_free(out);

	rulebook_result_free(res);
	rulebook_facts_free(f);
	rulebook_free(rb);
	rulebook_error_free(err);
}

START_TEST(test_comma_locale)
{
	static outputs c, de;
	ck_assert_ptr_nonnull(setlocale(LC_ALL, "C"));
	run(&c);
	ck_assert_ptr_nonnull(setlocale(LC_ALL, LOCALE));
	/* The locale really writes decimal commas. */
	char probe[16];
	snprintf(probe, sizeof probe, "%.1f", 0.5);
	ck_assert_str_eq(probe, "0,5");
	ck_assert_str_eq(localeconv()->decimal_point, ",");
	run(&de);
	setlocale(LC_ALL, "C");
	ck_assert_str_eq(de.json, c.json);
	ck_assert_str_eq(de.explain, c.explain);
	ck_assert_str_eq(de.eval_json, c.eval_json);
}
END_TEST

int main(void)
{
	if (!setlocale(LC_ALL, LOCALE)) {
		fprintf(stderr, "locale %s is not installed: skipped\n", LOCALE);
		return 77;
	}
	setlocale(LC_ALL, "C");
	Suite *s = suite_create("locale");
	TCase *tc = tcase_create("locale");
	tcase_add_test(tc, test_comma_locale);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
