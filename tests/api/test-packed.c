/* Packed records: rulebook_packed_record_size, rulebook_packed_result_size,
 * rulebook_facts_set_packed, rulebook_result_packed and
 * rulebook_eval_packed -- every tag, every error, and the same verdicts,
 * classes and scores as the typed setters on generated records; with the
 * scores: rulebook_packed_scored_size, rulebook_result_packed_scored and
 * rulebook_eval_packed_scored; with one argument: rulebook_eval_packed_call. */
#include "common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RB                                                                          \
	HDR "in_force: {from: 2022-01-01}\n"                                        \
	    "inputs:\n"                                                             \
	    "  - {id: tax, type: number, unit: 万元}\n"                             \
	    "  - {id: land_area, type: number, unit: 亩}\n"                         \
	    "  - {id: employees, type: integer, unit: 人}\n"                        \
	    "  - {id: key_project, type: boolean}\n"                                \
	    "  - {id: name, type: text}\n"                                          \
	    "  - {id: sector, type: enum, values: [制造业, 服务业]}\n"              \
	    "  - {id: started, type: date}\n"                                       \
	    "parameters:\n"                                                         \
	    "  - {id: min_mu_tax, unit: 万元/亩, cite: 二, provenance: cited, value: 37}\n"                      \
	    "  - {id: bench_mu_tax, unit: 万元/亩, cite: 二, provenance: cited, value: 30}\n"                    \
	    "indicators:\n"                                                         \
	    "  - {id: mu_tax, expr: tax / land_area, unit: 万元/亩}\n"              \
	    "rules:\n"                                                              \
	    "  - {id: R1, cite: 二, require: mu_tax >= min_mu_tax}\n"                         \
	    "  - {id: R2, cite: 二, require: employees >= 10}\n"                              \
	    "  - {id: R3, cite: 二, when: sector == \"制造业\", require: not key_project}\n"  \
	    "  - {id: R4, cite: 二, require: 'started <= date(\"2023-01-01\")'}\n"           \
	    "  - {id: R5, cite: 二, require: 'if missing(name) then false else true'}\n"      \
	    "scorecards:\n"                                                         \
	    "  - id: card\n"                                                        \
	    "    cite: 四\n"                                                        \
	    "    scope: land_area >= 5\n"                                           \
	    "    components:\n"                                                     \
	    "      - {id: tax, value: mu_tax, benchmark: bench_mu_tax, weight: 100, cap: 1.5}\n" \
	    "    classes:\n"                                                        \
	    "      - {id: A, min: 120}\n"                                           \
	    "      - {id: B, min: 80}\n"                                            \
	    "      - {id: C}\n"

enum { TAX, LAND, EMP, KEY, NAME, SECTOR, STARTED, NINPUTS };
#define NRULES 5

/* A packed record under construction: slots and tags, then text. */
typedef struct packer {
	unsigned char buf[1024];
	size_t len;
} packer;

static void pk_init(packer *p)
{
	memset(p->buf, 0, sizeof p->buf);
	p->len = 9 * (NINPUTS + 1);
}

static void pk_double(packer *p, size_t slot, unsigned tag, double d)
{
	memcpy(p->buf + 8 * slot, &d, sizeof d);
	p->buf[8 * (NINPUTS + 1) + slot] = (unsigned char)tag;
}

static void pk_text(packer *p, size_t slot, unsigned tag, const char *s, size_t n)
{
	uint32_t at[2] = {(uint32_t)p->len, (uint32_t)n};
	memcpy(p->buf + p->len, s, n);
	p->len += n;
	memcpy(p->buf + 8 * slot, at, sizeof at);
	p->buf[8 * (NINPUTS + 1) + slot] = (unsigned char)tag;
}

static void pk_str(packer *p, size_t slot, unsigned tag, const char *s)
{
	pk_text(p, slot, tag, s, strlen(s));
}

START_TEST(test_sizes)
{
	rulebook *rb = load_str(RB);
	ck_assert_uint_eq(rulebook_input_count(rb), NINPUTS);
	ck_assert_uint_eq(rulebook_packed_record_size(rb), 9 * (NINPUTS + 1));
	ck_assert_uint_eq(rulebook_packed_result_size(rb), 2 * 1 + NRULES);
	ck_assert_uint_eq(rulebook_packed_record_size(NULL), 0);
	ck_assert_uint_eq(rulebook_packed_result_size(NULL), 0);
	rulebook_free(rb);
}
END_TEST

/* Every tag, read back through the result's accessors. */
START_TEST(test_tags)
{
	rulebook *rb = load_str(RB);
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	rulebook_error *err = rulebook_error_new();
	packer p;
	pk_init(&p);
	pk_str(&p, TAX, RULEBOOK_PACKED_DECIMAL, "1110");
	pk_str(&p, LAND, RULEBOOK_PACKED_TEXT, "20000 m²");
	pk_double(&p, EMP, RULEBOOK_PACKED_DOUBLE, 313);
	pk_double(&p, KEY, RULEBOOK_PACKED_BOOL, 1);
	pk_str(&p, NAME, RULEBOOK_PACKED_TEXT, "青山五金");
	pk_str(&p, SECTOR, RULEBOOK_PACKED_TEXT, "制造业");
	pk_double(&p, STARTED, RULEBOOK_PACKED_DATE, 20221231);
	pk_str(&p, NINPUTS, RULEBOOK_PACKED_TEXT, "E0001");
	unsigned char out[2 + NRULES];
	memset(out, 0xAA, sizeof out);
	ck_assert_int_eq(rulebook_eval_packed(rb, f, p.buf, p.len, 20230630, res, out, sizeof out, err),
			 RULEBOOK_OK);
	ck_assert_str_eq(rulebook_result_value(res, "tax"), "1110");
	/* 20000 m² is exactly 30 亩 */
	ck_assert_str_eq(rulebook_result_value(res, "land_area"), "30");
	ck_assert_str_eq(rulebook_result_value(res, "employees"), "313");
	ck_assert_str_eq(rulebook_result_value(res, "key_project"), "true");
	ck_assert_str_eq(rulebook_result_value(res, "name"), "青山五金");
	ck_assert_str_eq(rulebook_result_value(res, "sector"), "制造业");
	ck_assert_str_eq(rulebook_result_value(res, "started"), "2022-12-31");
	ck_assert_str_eq(rulebook_result_record_id(res), "E0001");
	/* 1110 / 30 = 37 exactly: R1 passes */
	ck_assert_int_eq(rulebook_result_verdict(res, 0), RULEBOOK_PASS);
	ck_assert_int_eq(rulebook_result_verdict(res, 1), RULEBOOK_PASS);
	ck_assert_int_eq(rulebook_result_verdict(res, 2), RULEBOOK_FAIL);
	ck_assert_int_eq(rulebook_result_verdict(res, 3), RULEBOOK_PASS);
	ck_assert_int_eq(rulebook_result_verdict(res, 4), RULEBOOK_PASS);
	/* 37 / 30 = 1.2333…, × 100 = 123.33…: class A (index 0) */
	int16_t cls;
	memcpy(&cls, out, sizeof cls);
	ck_assert_int_eq(cls, 0);
	ck_assert_uint_eq(out[2], RULEBOOK_PASS);
	ck_assert_uint_eq(out[3], RULEBOOK_PASS);
	ck_assert_uint_eq(out[4], RULEBOOK_FAIL);
	ck_assert_uint_eq(out[5], RULEBOOK_PASS);
	ck_assert_uint_eq(out[6], RULEBOOK_PASS);
	ck_assert_str_eq(rulebook_result_score(res, 0), "123.333333333333333");

	/* a double goes in as the shortest decimal that reads back as it;
	 * every slot is set, so what the last record had is gone */
	pk_init(&p);
	pk_double(&p, TAX, RULEBOOK_PACKED_DOUBLE, 0.1);
	pk_double(&p, LAND, RULEBOOK_PACKED_DOUBLE, 4);
	pk_double(&p, KEY, RULEBOOK_PACKED_BOOL, 0);
	ck_assert_int_eq(rulebook_eval_packed(rb, f, p.buf, p.len, 20230630, res, out, sizeof out, err),
			 RULEBOOK_OK);
	ck_assert_str_eq(rulebook_result_value(res, "tax"), "0.1");
	ck_assert_str_eq(rulebook_result_value(res, "key_project"), "false");
	ck_assert_ptr_null(rulebook_result_value(res, "name"));
	ck_assert_ptr_null(rulebook_result_value(res, "employees"));
	ck_assert_ptr_null(rulebook_result_record_id(res));
	ck_assert_int_eq(rulebook_result_verdict(res, 0), RULEBOOK_FAIL);
	ck_assert_int_eq(rulebook_result_verdict(res, 1), RULEBOOK_UNKNOWN);
	ck_assert_int_eq(rulebook_result_verdict(res, 2), RULEBOOK_UNKNOWN);
	ck_assert_int_eq(rulebook_result_verdict(res, 4), RULEBOOK_FAIL);
	memcpy(&cls, out, sizeof cls);
	ck_assert_int_eq(cls, RULEBOOK_CLASS_NOT_RATED);
	ck_assert_ptr_null(rulebook_result_score(res, 0));

	/* the setter alone, then the results alone */
	pk_init(&p);
	pk_double(&p, LAND, RULEBOOK_PACKED_DOUBLE, 10);
	ck_assert_int_eq(rulebook_facts_set_packed(f, p.buf, p.len, err), RULEBOOK_OK);
	eval_ok(rb, f, 20230630, res);
	ck_assert_int_eq(rulebook_result_packed(res, out, sizeof out), RULEBOOK_OK);
	memcpy(&cls, out, sizeof cls);
	ck_assert_int_eq(cls, RULEBOOK_CLASS_UNKNOWN);
	ck_assert_uint_eq(out[2], RULEBOOK_UNKNOWN);
	/* eval_packed without out */
	ck_assert_int_eq(rulebook_eval_packed(rb, f, p.buf, p.len, 20230630, res, NULL, 0, err),
			 RULEBOOK_OK);
	/* not in force */
	ck_assert_int_eq(rulebook_eval_packed(rb, f, p.buf, p.len, 20210630, res, out, sizeof out, err),
			 RULEBOOK_OK);
	memcpy(&cls, out, sizeof cls);
	ck_assert_int_eq(cls, RULEBOOK_CLASS_NOT_IN_FORCE);
	ck_assert_uint_eq(out[2], RULEBOOK_NOT_IN_FORCE);

	rulebook_error_free(err);
	rulebook_result_free(res);
	rulebook_facts_free(f);
	rulebook_free(rb);
}
END_TEST

/* A refused record: the status and message of the setter its tag names,
 * the facts left empty and the result as it was. */
static void refused(rulebook *rb, rulebook_facts *f, rulebook_result *res, const packer *p,
		    size_t len, rulebook_status st, const char *fragment, const char *subject)
{
	rulebook_error *err = rulebook_error_new();
	unsigned char out[2 + NRULES];
	ck_assert_int_eq(rulebook_eval_packed(rb, f, p->buf, len, 20230630, res, out, sizeof out, err),
			 st);
	ck_assert_uint_eq(rulebook_error_count(err), 1);
	ck_assert_int_eq(rulebook_error_status_at(err, 0), st);
	ck_assert_msg(contains(rulebook_error_message(err, 0), fragment), "message '%s' lacks '%s'",
		      rulebook_error_message(err, 0), fragment);
	if (subject)
		ck_assert_str_eq(rulebook_error_subject(err, 0), subject);
	else
		ck_assert_ptr_null(rulebook_error_subject(err, 0));
	/* the previous evaluation (R1 passed for E0001) is still there */
	ck_assert_str_eq(rulebook_result_record_id(res), "E0001");
	ck_assert_int_eq(rulebook_result_verdict(res, 0), RULEBOOK_PASS);
	/* and the facts hold nothing */
	rulebook_result *again = rulebook_result_new(rb);
	eval_ok(rb, f, 20230630, again);
	ck_assert_ptr_null(rulebook_result_value(again, "tax"));
	ck_assert_ptr_null(rulebook_result_record_id(again));
	rulebook_result_free(again);
	rulebook_error_free(err);
}

START_TEST(test_errors)
{
	rulebook *rb = load_str(RB);
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	packer good, p;
	pk_init(&good);
	pk_str(&good, TAX, RULEBOOK_PACKED_DECIMAL, "1158.1");
	pk_double(&good, LAND, RULEBOOK_PACKED_DOUBLE, 31.3);
	pk_str(&good, NINPUTS, RULEBOOK_PACKED_TEXT, "E0001");
	ck_assert_int_eq(rulebook_eval_packed(rb, f, good.buf, good.len, 20230630, res, NULL, 0, NULL),
			 RULEBOOK_OK);

	/* too short */
	refused(rb, f, res, &good, 9 * NINPUTS, RULEBOOK_ERR_INVALID,
		"a packed record of rulebook 't' has at least 72 bytes, not 63", NULL);
	/* an unknown tag */
	p = good;
	p.buf[8 * (NINPUTS + 1) + SECTOR] = 9;
	refused(rb, f, res, &p, p.len, RULEBOOK_ERR_INVALID,
		"input 'sector' has an unknown tag 9 in the packed record", "sector");
	/* text outside the record */
	p = good;
	pk_str(&p, NAME, RULEBOOK_PACKED_TEXT, "青山");
	refused(rb, f, res, &p, p.len - 1, RULEBOOK_ERR_INVALID,
		"the text of input 'name' lies outside the packed record", "name");
	/* values the input's type refuses, with the setters' messages */
	p = good;
	pk_str(&p, TAX, RULEBOOK_PACKED_DECIMAL, "12,5");
	refused(rb, f, res, &p, p.len, RULEBOOK_ERR_VALUE, "'12,5'", "tax");
	p = good;
	pk_str(&p, NAME, RULEBOOK_PACKED_DECIMAL, "12");
	refused(rb, f, res, &p, p.len, RULEBOOK_ERR_VALUE, "input 'name' is a text, not a number",
		"name");
	p = good;
	pk_double(&p, NAME, RULEBOOK_PACKED_DOUBLE, 12);
	refused(rb, f, res, &p, p.len, RULEBOOK_ERR_VALUE, "input 'name' is a text, not a number",
		"name");
	p = good;
	pk_double(&p, TAX, RULEBOOK_PACKED_DOUBLE, NAN);
	refused(rb, f, res, &p, p.len, RULEBOOK_ERR_VALUE,
		"NaN is not a usable number for input 'tax'", "tax");
	p = good;
	pk_double(&p, EMP, RULEBOOK_PACKED_DOUBLE, 2.5);
	refused(rb, f, res, &p, p.len, RULEBOOK_ERR_VALUE,
		"input 'employees' is an integer; the value is not a whole number", "employees");
	p = good;
	pk_double(&p, TAX, RULEBOOK_PACKED_BOOL, 1);
	refused(rb, f, res, &p, p.len, RULEBOOK_ERR_VALUE, "input 'tax' is a number, not a boolean",
		"tax");
	p = good;
	pk_double(&p, STARTED, RULEBOOK_PACKED_DATE, 20231301.5);
	refused(rb, f, res, &p, p.len, RULEBOOK_ERR_VALUE,
		"the date for input 'started' is outside the years 1000 to 9999", "started");
	p = good;
	pk_str(&p, SECTOR, RULEBOOK_PACKED_TEXT, "农业");
	refused(rb, f, res, &p, p.len, RULEBOOK_ERR_VALUE, "农业", "sector");
	p = good;
	pk_text(&p, NAME, RULEBOOK_PACKED_TEXT, "a\0b", 3);
	refused(rb, f, res, &p, p.len, RULEBOOK_ERR_VALUE,
		"the value for input 'name' is not UTF-8 text (invalid or NUL byte)", "name");
	/* the record id */
	p = good;
	pk_text(&p, NINPUTS, RULEBOOK_PACKED_TEXT, "E\0", 2);
	refused(rb, f, res, &p, p.len, RULEBOOK_ERR_VALUE,
		"the record id is not UTF-8 text (invalid or NUL byte)", NULL);
	p = good;
	pk_double(&p, NINPUTS, RULEBOOK_PACKED_DOUBLE, 1);
	refused(rb, f, res, &p, p.len, RULEBOOK_ERR_INVALID,
		"the record id has tag 1; it takes text or missing", NULL);
	p = good;
	refused(rb, f, res, &p, p.len - 1, RULEBOOK_ERR_INVALID,
		"the record id lies outside the packed record", NULL);

	/* arguments */
	rulebook_error *err = rulebook_error_new();
	unsigned char out[2 + NRULES];
	ck_assert_int_eq(rulebook_facts_set_packed(NULL, good.buf, good.len, err),
			 RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_packed(f, NULL, good.len, err), RULEBOOK_ERR_INVALID);
	ck_assert(contains(rulebook_error_message(err, 0), "facts and a packed record are required"));
	ck_assert_int_eq(rulebook_eval_packed(rb, f, good.buf, good.len, 20230630, res, out,
					      sizeof out - 1, err),
			 RULEBOOK_ERR_INVALID);
	ck_assert(contains(rulebook_error_message(err, 0),
			   "the packed results of rulebook 't' need 7 bytes, not 6"));
	ck_assert_int_eq(rulebook_eval_packed(rb, f, good.buf, good.len, 2023, res, out, sizeof out,
					      err),
			 RULEBOOK_ERR_INVALID);
	ck_assert(contains(rulebook_error_message(err, 0), "as-of date 2023 is not a valid"));
	rulebook *other = load_str(RB);
	rulebook_facts *of = rulebook_facts_new(other);
	ck_assert_int_eq(rulebook_eval_packed(rb, of, good.buf, good.len, 20230630, res, out,
					      sizeof out, err),
			 RULEBOOK_ERR_INVALID);
	ck_assert(contains(rulebook_error_message(err, 0), "with its own facts and result"));
	ck_assert_int_eq(rulebook_eval_packed(NULL, f, good.buf, good.len, 20230630, res, out,
					      sizeof out, err),
			 RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_result_packed(res, out, sizeof out - 1), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_result_packed(NULL, out, sizeof out), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_result_packed(res, NULL, sizeof out), RULEBOOK_ERR_INVALID);
	/* before any evaluation */
	rulebook_result *fresh = rulebook_result_new(rb);
	memset(out, 0xAA, sizeof out);
	ck_assert_int_eq(rulebook_result_packed(fresh, out, sizeof out), RULEBOOK_OK);
	int16_t cls;
	memcpy(&cls, out, sizeof cls);
	ck_assert_int_eq(cls, RULEBOOK_CLASS_UNKNOWN);
	for (size_t k = 2; k < sizeof out; k++)
		ck_assert_uint_eq(out[k], 0);
	rulebook_result_free(fresh);
	rulebook_facts_free(of);
	rulebook_free(other);
	rulebook_error_free(err);
	rulebook_result_free(res);
	rulebook_facts_free(f);
	rulebook_free(rb);
}
END_TEST

/* Generated records through the packed call and through the typed setters
 * give the same verdicts, classes and scores. */
START_TEST(test_same_as_setters)
{
	rulebook *rb = load_str(RB);
	rulebook_facts *f = rulebook_facts_new(rb), *g = rulebook_facts_new(rb);
	rulebook_result *a = rulebook_result_new(rb), *b = rulebook_result_new(rb);
	rulebook_error *err = rulebook_error_new();
	unsigned s = 12345;
	for (int i = 0; i < 3000; i++) {
		packer p;
		pk_init(&p);
		rulebook_facts_clear(g);
		char txt[64];
		/* figures in hundredths, some at the threshold (tax = 37 × land) */
		s = s * 1103515245u + 12345u;
		double land = (double)(300 + (s >> 8) % 30000) / 100;
		s = s * 1103515245u + 12345u;
		double tax = (s >> 8) % 7 == 0 ? round(land * 3700) / 100
					       : (double)((s >> 8) % 400000) / 100;
		if ((s >> 4) % 3 == 0) {
			snprintf(txt, sizeof txt, "%.2f", tax);
			pk_str(&p, TAX, RULEBOOK_PACKED_DECIMAL, txt);
			ck_assert_int_eq(rulebook_facts_set_decimal(g, "tax", txt, err), RULEBOOK_OK);
		} else {
			pk_double(&p, TAX, RULEBOOK_PACKED_DOUBLE, tax);
			ck_assert_int_eq(rulebook_facts_set_double(g, "tax", tax, err), RULEBOOK_OK);
		}
		if ((s >> 12) % 10) {
			pk_double(&p, LAND, RULEBOOK_PACKED_DOUBLE, land);
			ck_assert_int_eq(rulebook_facts_set_double(g, "land_area", land, err),
					 RULEBOOK_OK);
		}
		double emp = (double)((s >> 16) % 40);
		pk_double(&p, EMP, RULEBOOK_PACKED_DOUBLE, emp);
		ck_assert_int_eq(rulebook_facts_set_double(g, "employees", emp, err), RULEBOOK_OK);
		int key = (s >> 20) & 1;
		pk_double(&p, KEY, RULEBOOK_PACKED_BOOL, key);
		ck_assert_int_eq(rulebook_facts_set_bool(g, "key_project", key, err), RULEBOOK_OK);
		if ((s >> 21) & 1) {
			pk_str(&p, NAME, RULEBOOK_PACKED_TEXT, "临安");
			ck_assert_int_eq(rulebook_facts_set_text(g, "name", "临安", err), RULEBOOK_OK);
		}
		const char *sector = (s >> 22) & 1 ? "制造业" : "服务业";
		pk_str(&p, SECTOR, RULEBOOK_PACKED_TEXT, sector);
		ck_assert_int_eq(rulebook_facts_set_text(g, "sector", sector, err), RULEBOOK_OK);
		int32_t day = (s >> 23) & 1 ? 20221231 : 20230102;
		pk_double(&p, STARTED, RULEBOOK_PACKED_DATE, day);
		ck_assert_int_eq(rulebook_facts_set_date(g, "started", day, err), RULEBOOK_OK);

		unsigned char out[2 + NRULES];
		ck_assert_int_eq(rulebook_eval_packed(rb, f, p.buf, p.len, 20230630, a, out,
						      sizeof out, err),
				 RULEBOOK_OK);
		rulebook_result_set_exact_only(b, 1);
		eval_ok(rb, g, 20230630, b);
		for (size_t r = 0; r < NRULES; r++) {
			ck_assert_int_eq(rulebook_result_verdict(a, r), rulebook_result_verdict(b, r));
			ck_assert_uint_eq(out[2 + r], rulebook_result_verdict(b, r));
		}
		const char *ca = rulebook_result_class(a, 0), *cb = rulebook_result_class(b, 0);
		ck_assert_msg((!ca && !cb) || (ca && cb && !strcmp(ca, cb)), "record %d", i);
		int16_t code;
		memcpy(&code, out, sizeof code);
		if (cb && !strcmp(cb, "not_rated"))
			ck_assert_int_eq(code, RULEBOOK_CLASS_NOT_RATED);
		else if (cb)
			ck_assert_str_eq(rulebook_scorecard_class_id(rb, 0, (size_t)code), cb);
		else
			ck_assert_int_eq(code, RULEBOOK_CLASS_UNKNOWN);
		const char *sa = rulebook_result_score(a, 0), *sb = rulebook_result_score(b, 0);
		ck_assert_msg((!sa && !sb) || (sa && sb && !strcmp(sa, sb)), "record %d", i);
		/* with the scores, in the same call: the same bytes after the score */
		double scored[(9 + 2 + NRULES + 7) / 8];
		unsigned char *so = (unsigned char *)scored;
		ck_assert_int_eq(rulebook_eval_packed_scored(rb, f, p.buf, p.len, 20230630, a, so,
							     9 + 2 + NRULES, err),
				 RULEBOOK_OK);
		ck_assert_mem_eq(so + 8, out, sizeof out);
		if (sb) {
			double exact = strtod(sb, NULL);
			ck_assert_uint_eq(so[8 + sizeof out], RULEBOOK_PACKED_SCORE_KNOWN);
			ck_assert_msg(fabs(scored[0] - exact) <= fabs(exact) * 0x1p-43,
				      "record %d: %.17g against %s", i, scored[0], sb);
		} else {
			ck_assert_uint_eq(so[8 + sizeof out], RULEBOOK_PACKED_SCORE_NONE);
			ck_assert(isnan(scored[0]));
		}
	}
	rulebook_error_free(err);
	rulebook_result_free(a);
	rulebook_result_free(b);
	rulebook_facts_free(f);
	rulebook_facts_free(g);
	rulebook_free(rb);
}
END_TEST

/* Packed results with scores: the layout, a score worked out by hand, a
 * record not rated, nothing evaluated yet, and every error. */
#define SCORED (9 * 1 + 2 + NRULES)
START_TEST(test_scored)
{
	rulebook *rb = load_str(RB);
	ck_assert_uint_eq(rulebook_packed_scored_size(rb), SCORED);
	ck_assert_uint_eq(rulebook_packed_scored_size(NULL), 0);
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	rulebook_error *err = rulebook_error_new();
	/* 8-byte aligned, one byte more than needed */
	double store[(SCORED + 8) / 8];
	unsigned char *out = (unsigned char *)store;
	double d;
	int16_t cls;

	/* nothing evaluated yet */
	memset(out, 0xAA, SCORED);
	ck_assert_int_eq(rulebook_result_packed_scored(res, out, SCORED), RULEBOOK_OK);
	memcpy(&d, out, sizeof d);
	ck_assert(isnan(d));
	memcpy(&cls, out + 8, sizeof cls);
	ck_assert_int_eq(cls, RULEBOOK_CLASS_UNKNOWN);
	for (size_t r = 0; r < NRULES; r++)
		ck_assert_uint_eq(out[10 + r], 0);
	ck_assert_uint_eq(out[SCORED - 1], RULEBOOK_PACKED_SCORE_NONE);

	/* 1158.1 / 31.3 = 37 exactly; 37 / 30 × 100 = 123.333…: class A */
	packer p;
	pk_init(&p);
	pk_str(&p, TAX, RULEBOOK_PACKED_DECIMAL, "1158.1");
	pk_double(&p, LAND, RULEBOOK_PACKED_DOUBLE, 31.3);
	pk_double(&p, EMP, RULEBOOK_PACKED_DOUBLE, 9);
	pk_str(&p, NINPUTS, RULEBOOK_PACKED_TEXT, "E0002");
	memset(out, 0xAA, SCORED + 1);
	ck_assert_int_eq(rulebook_eval_packed_scored(rb, f, p.buf, p.len, 20230630, res, out,
						     SCORED + 1, err),
			 RULEBOOK_OK);
	memcpy(&d, out, sizeof d);
	ck_assert_msg(fabs(d - 370.0 / 3) <= 370.0 / 3 * 0x1p-43, "score %.17g", d);
	ck_assert_uint_eq(out[SCORED - 1], RULEBOOK_PACKED_SCORE_KNOWN);
	ck_assert_uint_eq(out[SCORED], 0xAA); /* nothing beyond */
	ck_assert_str_eq(rulebook_result_score(res, 0), "123.333333333333333");
	memcpy(&cls, out + 8, sizeof cls);
	ck_assert_int_eq(cls, 0);
	ck_assert_uint_eq(out[10 + 0], RULEBOOK_PASS);    /* R1: 37 >= 37 */
	ck_assert_uint_eq(out[10 + 1], RULEBOOK_FAIL);    /* R2: 9 employees */
	ck_assert_uint_eq(out[10 + 2], RULEBOOK_UNKNOWN); /* R3: no sector */
	ck_assert_uint_eq(out[10 + 3], RULEBOOK_UNKNOWN); /* R4: no start date */
	ck_assert_uint_eq(out[10 + 4], RULEBOOK_FAIL);    /* R5: no name */
	/* the same bytes as rulebook_result_packed writes, after the score */
	unsigned char plain[2 + NRULES];
	ck_assert_int_eq(rulebook_result_packed(res, plain, sizeof plain), RULEBOOK_OK);
	ck_assert_mem_eq(out + 8, plain, sizeof plain);
	/* and rulebook_result_packed_scored writes them again */
	unsigned char again[SCORED];
	ck_assert_int_eq(rulebook_result_packed_scored(res, again, sizeof again), RULEBOOK_OK);
	ck_assert_mem_eq(again, out, SCORED);

	/* not rated (land_area below 5): no score, and out NULL writes nothing */
	pk_double(&p, LAND, RULEBOOK_PACKED_DOUBLE, 4);
	ck_assert_int_eq(rulebook_eval_packed_scored(rb, f, p.buf, p.len, 20230630, res, NULL, 0,
						     err),
			 RULEBOOK_OK);
	ck_assert_str_eq(rulebook_result_class(res, 0), "not_rated");
	ck_assert_int_eq(rulebook_result_packed_scored(res, out, SCORED), RULEBOOK_OK);
	memcpy(&d, out, sizeof d);
	ck_assert(isnan(d));
	ck_assert_uint_eq(out[SCORED - 1], RULEBOOK_PACKED_SCORE_NONE);
	memcpy(&cls, out + 8, sizeof cls);
	ck_assert_int_eq(cls, RULEBOOK_CLASS_NOT_RATED);

	/* errors: too small, NULL */
	ck_assert_int_eq(rulebook_result_packed_scored(res, out, SCORED - 1), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_result_packed_scored(res, NULL, SCORED), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_result_packed_scored(NULL, out, SCORED), RULEBOOK_ERR_INVALID);
	pk_double(&p, LAND, RULEBOOK_PACKED_DOUBLE, 31.3);
	ck_assert_int_eq(rulebook_eval_packed_scored(rb, f, p.buf, p.len, 20230630, res, out,
						     SCORED - 1, err),
			 RULEBOOK_ERR_INVALID);
	ck_assert_uint_eq(rulebook_error_count(err), 1);
	ck_assert_str_eq(rulebook_error_message(err, 0),
			 "the packed results with scores of rulebook 't' need 16 bytes, not 15");
	/* refused before anything was set: the previous evaluation stays */
	ck_assert_str_eq(rulebook_result_class(res, 0), "not_rated");
	ck_assert_int_eq(rulebook_eval_packed_scored(NULL, f, p.buf, p.len, 20230630, res, out,
						     SCORED, err),
			 RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_eval_packed_scored(rb, f, NULL, 0, 20230630, res, out, SCORED,
						     err),
			 RULEBOOK_ERR_INVALID);
	/* a refused record writes nothing into out */
	memset(out, 0xAA, SCORED);
	p.buf[8 * (NINPUTS + 1) + SECTOR] = 9;
	ck_assert_int_eq(rulebook_eval_packed_scored(rb, f, p.buf, p.len, 20230630, res, out,
						     SCORED, err),
			 RULEBOOK_ERR_INVALID);
	for (size_t i = 0; i < SCORED; i++)
		ck_assert_uint_eq(out[i], 0xAA);
	rulebook_error_free(err);
	rulebook_result_free(res);
	rulebook_facts_free(f);
	rulebook_free(rb);
}
END_TEST

/* rulebook_eval_packed_call: the record and the results at offsets from
 * the block, the same bytes and errors as rulebook_eval_packed_scored, the
 * block reused for a second record, and its own errors. */
START_TEST(test_call)
{
	rulebook *rb = load_str(RB);
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	rulebook_error *err = rulebook_error_new();
	/* the block, then the record, then the results, in one buffer */
	union {
		rulebook_packed_call call;
		unsigned char bytes[2048];
	} buf;
	memset(&buf, 0xAA, sizeof buf);
	rulebook_packed_call *call = &buf.call;
	call->rb = rb;
	call->facts = f;
	call->res = res;
	call->err = err;
	call->reserved = 0;
	call->as_of = 20230630;
	size_t rec_at = (sizeof *call + 7) & ~(size_t)7;

	/* 1158.1 / 31.3 = 37 exactly: class A, R1 passes, R2 fails */
	packer p;
	pk_init(&p);
	pk_str(&p, TAX, RULEBOOK_PACKED_DECIMAL, "1158.1");
	pk_double(&p, LAND, RULEBOOK_PACKED_DOUBLE, 31.3);
	pk_double(&p, EMP, RULEBOOK_PACKED_DOUBLE, 9);
	pk_str(&p, NINPUTS, RULEBOOK_PACKED_TEXT, "E0002");
	memcpy(buf.bytes + rec_at, p.buf, p.len);
	size_t out_at = (rec_at + p.len + 7) & ~(size_t)7;
	call->record_at = (uint32_t)rec_at;
	call->record_len = (uint32_t)p.len;
	call->out_at = (uint32_t)out_at;
	call->out_len = SCORED;
	ck_assert_int_eq(rulebook_eval_packed_call(call), RULEBOOK_OK);
	ck_assert_uint_eq(buf.bytes[out_at + SCORED], 0xAA); /* nothing beyond */
	/* the bytes rulebook_eval_packed_scored writes for the same record */
	double store[(SCORED + 7) / 8];
	unsigned char *want = (unsigned char *)store;
	rulebook_result *res2 = rulebook_result_new(rb);
	rulebook_facts *g = rulebook_facts_new(rb);
	ck_assert_int_eq(rulebook_eval_packed_scored(rb, g, p.buf, p.len, 20230630, res2, want,
						     SCORED, err),
			 RULEBOOK_OK);
	ck_assert_mem_eq(buf.bytes + out_at, want, SCORED);
	double d;
	memcpy(&d, buf.bytes + out_at, sizeof d);
	ck_assert_msg(fabs(d - 370.0 / 3) <= 370.0 / 3 * 0x1p-43, "score %.17g", d);
	ck_assert_uint_eq(buf.bytes[out_at + 8 + 2 + 0], RULEBOOK_PASS);
	ck_assert_uint_eq(buf.bytes[out_at + 8 + 2 + 1], RULEBOOK_FAIL);
	ck_assert_str_eq(rulebook_result_score(res, 0), "123.333333333333333");
	ck_assert_str_eq(rulebook_result_record_id(res), "E0002");

	/* the block reused: 12 employees now, and no results written (out_len 0) */
	pk_double(&p, EMP, RULEBOOK_PACKED_DOUBLE, 12);
	memcpy(buf.bytes + rec_at, p.buf, p.len);
	memset(buf.bytes + out_at, 0xAA, SCORED);
	call->out_len = 0;
	ck_assert_int_eq(rulebook_eval_packed_call(call), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_result_verdict(res, 1), RULEBOOK_PASS);
	for (size_t i = 0; i < SCORED; i++)
		ck_assert_uint_eq(buf.bytes[out_at + i], 0xAA);

	/* errors as rulebook_eval_packed_scored gives them: too small a result
	 * buffer, a record too short, foreign facts; the previous evaluation stays */
	call->out_len = SCORED - 1;
	ck_assert_int_eq(rulebook_eval_packed_call(call), RULEBOOK_ERR_INVALID);
	ck_assert_uint_eq(rulebook_error_count(err), 1);
	ck_assert_str_eq(rulebook_error_message(err, 0),
			 "the packed results with scores of rulebook 't' need 16 bytes, not 15");
	call->out_len = SCORED;
	call->record_len = 9 * (NINPUTS + 1) - 1;
	ck_assert_int_eq(rulebook_eval_packed_call(call), RULEBOOK_ERR_INVALID);
	ck_assert_str_eq(rulebook_error_message(err, 0),
			 "a packed record of rulebook 't' has at least 72 bytes, not 71");
	call->record_len = (uint32_t)p.len;
	rulebook *other = load_str(RB);
	rulebook_facts *foreign = rulebook_facts_new(other);
	call->facts = foreign;
	ck_assert_int_eq(rulebook_eval_packed_call(call), RULEBOOK_ERR_INVALID);
	ck_assert_str_eq(rulebook_error_message(err, 0),
			 "rulebook_eval_packed needs a rulebook with its own facts and result");
	call->facts = f;
	ck_assert_int_eq(rulebook_result_verdict(res, 1), RULEBOOK_PASS);
	/* an unknown tag, named by its input */
	p.buf[8 * (NINPUTS + 1) + SECTOR] = 9;
	memcpy(buf.bytes + rec_at, p.buf, p.len);
	ck_assert_int_eq(rulebook_eval_packed_call(call), RULEBOOK_ERR_INVALID);
	ck_assert_str_eq(rulebook_error_message(err, 0),
			 "input 'sector' has an unknown tag 9 in the packed record");
	/* offsets the block itself rules out, before anything is evaluated:
	 * the record or the results inside the block (results there would
	 * overwrite its pointers), the results over the record */
	char want_msg[128];
	call->record_at = 8;
	ck_assert_int_eq(rulebook_eval_packed_call(call), RULEBOOK_ERR_INVALID);
	snprintf(want_msg, sizeof want_msg,
		 "a packed call's record starts at byte 8, inside the call's own %zu bytes",
		 sizeof *call);
	ck_assert_str_eq(rulebook_error_message(err, 0), want_msg);
	call->record_at = (uint32_t)rec_at;
	call->out_at = 0;
	ck_assert_int_eq(rulebook_eval_packed_call(call), RULEBOOK_ERR_INVALID);
	snprintf(want_msg, sizeof want_msg,
		 "a packed call's results start at byte 0, inside the call's own %zu bytes",
		 sizeof *call);
	ck_assert_str_eq(rulebook_error_message(err, 0), want_msg);
	ck_assert_ptr_eq(call->rb, rb); /* the block is intact */
	call->out_len = 0; /* no results: their offset is not read */
	ck_assert_int_eq(rulebook_eval_packed_call(call), RULEBOOK_ERR_INVALID);
	ck_assert_str_eq(rulebook_error_message(err, 0),
			 "input 'sector' has an unknown tag 9 in the packed record");
	call->out_len = SCORED;
	call->out_at = (uint32_t)(rec_at + p.len - 1); /* one byte over the record's last */
	ck_assert_int_eq(rulebook_eval_packed_call(call), RULEBOOK_ERR_INVALID);
	snprintf(want_msg, sizeof want_msg,
		 "a packed call's results (bytes %zu to %zu) overlap its record (bytes %zu to %zu)",
		 rec_at + p.len - 1, rec_at + p.len - 1 + SCORED - 1, rec_at, rec_at + p.len - 1);
	ck_assert_str_eq(rulebook_error_message(err, 0), want_msg);
	call->out_at = (uint32_t)(rec_at + p.len); /* right after the record: allowed */
	ck_assert_int_eq(rulebook_eval_packed_call(call), RULEBOOK_ERR_INVALID);
	ck_assert_str_eq(rulebook_error_message(err, 0),
			 "input 'sector' has an unknown tag 9 in the packed record");
	call->out_at = (uint32_t)out_at;
	ck_assert_int_eq(rulebook_result_verdict(res, 1), RULEBOOK_PASS);
	/* its own: reserved not 0 (nothing evaluated), NULL; no error object */
	call->reserved = 1;
	ck_assert_int_eq(rulebook_eval_packed_call(call), RULEBOOK_ERR_INVALID);
	ck_assert_uint_eq(rulebook_error_count(err), 1);
	ck_assert_str_eq(rulebook_error_message(err, 0),
			 "the reserved field of a packed call is 1; it must be 0");
	call->err = NULL;
	ck_assert_int_eq(rulebook_eval_packed_call(call), RULEBOOK_ERR_INVALID);
	call->reserved = 0;
	ck_assert_int_eq(rulebook_eval_packed_call(call), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_eval_packed_call(NULL), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_result_verdict(res, 1), RULEBOOK_PASS);

	rulebook_facts_free(foreign);
	rulebook_free(other);
	rulebook_facts_free(g);
	rulebook_result_free(res2);
	rulebook_error_free(err);
	rulebook_result_free(res);
	rulebook_facts_free(f);
	rulebook_free(rb);
}
END_TEST

static Suite *packed_suite(void)
{
	Suite *s = suite_create("packed");
	TCase *tc = tcase_create("packed");
	tcase_add_test(tc, test_sizes);
	tcase_add_test(tc, test_tags);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_same_as_setters);
	tcase_add_test(tc, test_scored);
	tcase_add_test(tc, test_call);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(packed_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
