/* Expressions: the bytes become the `require:` of a fixed rulebook (a
 * double-quoted YAML scalar, escaped so that the expression the compiler
 * sees is exactly the input), loaded through the public API. An expression
 * that compiles is evaluated against records that are complete, empty, all
 * zero (division by zero) and at the edges of the decimal range. */
#include "common.h"

#include <stdlib.h>
#include <string.h>

static const char head[] =
	"rulebook: 1\n"
	"id: fuzz.expr\n"
	"title: {zh: 表达式, en: expressions}\n"
	"subject: enterprise\n"
	"source: {issuer: x, document: y, issued: 2022-01-01}\n"
	"in_force: {from: 2022-01-01, until: 2023-12-31}\n"
	"units:\n"
	"  - {id: 千亩, equals: 1000 亩}\n"
	"  - {id: 地块, base: true}\n"
	"inputs:\n"
	"  - {id: tax, type: number, unit: 万元}\n"
	"  - {id: land_area, type: number, unit: 亩}\n"
	"  - {id: energy, type: number, unit: tce(等价值)}\n"
	"  - {id: elec, type: number, unit: 万kWh}\n"
	"  - {id: parcels, type: number, unit: 地块}\n"
	"  - {id: ratio_in, type: number}\n"
	"  - {id: n, type: integer}\n"
	"  - {id: staff, type: integer, unit: 人}\n"
	"  - {id: flag, type: boolean}\n"
	"  - {id: name, type: text}\n"
	"  - {id: sector, type: enum, values: [纺织, 化工, 装备制造]}\n"
	"  - {id: day, type: date}\n"
	"parameters:\n"
	"  - id: min_mu_tax\n"
	"    unit: 万元/亩\n"
	"    cite: 二\n"
	"    provenance: cited\n"
	"    values: [{from: 2022-01-01, value: 30}, {from: 2023-01-01, value: 37}]\n"
	"  - {id: share, cite: 二, provenance: illustrative, note: x, value: 12.5%}\n"
	"  - {id: factor, unit: kgce(等价值)/kWh, cite: 二, provenance: cited, value: 0.1229}\n"
	"indicators:\n"
	"  - {id: mu_tax, expr: tax / land_area, unit: 万元/亩}\n"
	"  - {id: big, expr: 'land_area >= 3 [亩]'}\n"
	"  - {id: elec_tce, expr: elec * factor, unit: tce(等价值)}\n"
	"rules:\n"
	"  - id: R\n"
	"    cite: 一\n"
	"    message: {zh: \"差距 {gap}，亩均 {mu_tax}\", en: \"gap {gap}\"}\n"
	"    require: \"";
static const char tail[] = "\"\n";

static const char *const records[] = {
	"{\"_id\": \"full\", \"tax\": 1158.1, \"land_area\": 31.3, \"energy\": 900, \"elec\": 120,"
	" \"parcels\": 2, \"ratio_in\": 0.25, \"n\": 7, \"staff\": 40, \"flag\": true,"
	" \"name\": \"甲\", \"sector\": \"化工\", \"day\": \"2023-02-28\"}",
	"{}",
	"{\"tax\": 0, \"land_area\": 0, \"energy\": 0, \"elec\": 0, \"parcels\": 0, \"ratio_in\": 0,"
	" \"n\": 0, \"staff\": 0, \"flag\": false, \"name\": \"\", \"sector\": \"纺织\","
	" \"day\": \"2000-01-01\"}",
	"{\"tax\": 999999999999999999, \"land_area\": 0.000000000000000001,"
	" \"energy\": -999999999999999999, \"elec\": 1e-30, \"ratio_in\": -1e30, \"n\": -9,"
	" \"staff\": 999999999999999999, \"day\": \"9999-12-31\"}",
};

/* Decode the UTF-8 sequence at s (n bytes left) into *cp; its length, or
 * 0 when it is not valid UTF-8. */
static size_t decode(const uint8_t *s, size_t n, uint32_t *cp)
{
	size_t len = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] <= 0xDF ? 2
				     : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
				     : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
	if (!len || len > n)
		return 0;
	uint32_t v = len == 1 ? s[0] : (uint32_t)(s[0] & (0x7F >> len));
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		v = v << 6 | (s[k] & 0x3F);
	}
	static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
	if (v < least[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

/* Append the expression to out as the body of a YAML double-quoted
 * scalar: characters YAML refuses or folds there are escaped, the rest
 * (invalid UTF-8 included) copied; returns the bytes written. */
static size_t quote(char *out, const uint8_t *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp = 0;
		size_t len = decode(s + i, n - i, &cp);
		if (!len) {
			out[o++] = (char)s[i++];
			continue;
		}
		if (cp == '"' || cp == '\\') {
			out[o++] = '\\';
			out[o++] = (char)cp;
		} else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[cp >> 4];
			out[o++] = hex[cp & 15];
		} else if (cp == 0x2028 || cp == 0x2029 || cp == 0xFFFE || cp == 0xFFFF) {
			out[o++] = '\\';
			out[o++] = 'u';
			for (int sh = 12; sh >= 0; sh -= 4)
				out[o++] = hex[(cp >> sh) & 15];
		} else {
			memcpy(out + o, s + i, len);
			o += len;
		}
		i += len;
	}
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An escape takes at most 4 bytes per byte of input. */
	size_t cap = sizeof head + 4 * size + sizeof tail;
	char *doc = malloc(cap);
	if (!doc)
		abort();
	size_t len = sizeof head - 1;
	memcpy(doc, head, len);
	len += quote(doc + len, data, size);
	memcpy(doc + len, tail, sizeof tail - 1);
	len += sizeof tail - 1;

	rulebook_error *err = rulebook_error_new();
	rulebook *rb = NULL;
	rulebook_status st = rulebook_load_buffer(doc, len, "expr.yaml", NULL, &rb, err);
	fuzz_check_status(st, err);
	if ((st == RULEBOOK_OK) != (rb != NULL))
		abort();
	if (rb) {
		rulebook_facts *f[sizeof records / sizeof records[0]];
		rulebook_result *res = rulebook_result_new(rb);
		if (!res)
			abort();
		for (size_t k = 0; k < sizeof records / sizeof records[0]; k++) {
			f[k] = rulebook_facts_new(rb);
			if (!f[k] ||
			    rulebook_facts_set_json(f[k], records[k], strlen(records[k]), err) !=
				    RULEBOOK_OK)
				abort();
			fuzz_eval_all(rb, f[k], res, k % 2 ? 20221231 : 20230630);
		}
		fuzz_population(rb, (const rulebook_facts *const *)f, sizeof f / sizeof f[0],
				20230630);
		for (size_t k = 0; k < sizeof records / sizeof records[0]; k++)
			rulebook_facts_free(f[k]);
		rulebook_result_free(res);
		rulebook_free(rb);
	}
	rulebook_error_free(err);
	free(doc);
	return 0;
}
