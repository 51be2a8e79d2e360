/* Units of measure: a dimension vector and an exact rational scale.
 *
 * A quantity of x in unit u is x × u.num / u.den base units of u's
 * dimension. The base units are 元 (CNY), 美元 (USD, its own dimension: no
 * fixed exchange rate), m², kgce in each of the two energy bases (当量值 and
 * 等价值 are distinct dimensions, so they never mix), kg CO₂, kWh
 * (electricity: its conversion to coal equivalent is a dated parameter, not
 * a constant), 人 (persons), 年 (years) and 个 (counts of items, firms,
 * projects). Rulebooks may add base dimensions and scaled units.
 *
 * Unit text grammar (spaces around operators allowed):
 *   unit    := product ( '/' product )*            left-associative
 *   product := power ( ('·' | '*' | '×' | ' ') power )*
 *   power   := atom ( '^' '-'? digit+ | '²' | '³' )?
 *   atom    := name | name '(' basis ')' | '(' unit ')' | '1'
 *   basis   := '当量值' | 'calorific' | '等价值' | 'equivalent'
 * Energy units (kgce, tce, 吨标准煤, 万吨标准煤, 万tce) must carry a basis:
 * "tce(等价值)"; a bare "tce" is an error that says so. "%" is the
 * dimensionless 1/100 and "‰" 1/1000; "" and "1" are dimensionless 1.
 */
#ifndef RB_UNITS_H
#define RB_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RB_DIM_MAX 16

enum {
	RB_DIM_CNY = 0,
	RB_DIM_USD,
	RB_DIM_AREA,
	RB_DIM_ENERGY_CAL,   /* 当量值 */
	RB_DIM_ENERGY_EQV,   /* 等价值 */
	RB_DIM_CO2,
	RB_DIM_ELECTRICITY,
	RB_DIM_PERSON,
	RB_DIM_TIME,
	RB_DIM_COUNT,
	RB_DIM_BUILTIN       /* first dimension free for rulebooks */
};

typedef struct rb_unit {
	int8_t dim[RB_DIM_MAX];
	int64_t num;   /* > 0, reduced with den */
	int64_t den;   /* > 0 */
} rb_unit;

typedef struct rb_units rb_units;

typedef enum rb_unit_status {
	RB_UNIT_OK = 0,
	RB_UNIT_NOMEM,
	RB_UNIT_SYNTAX,      /* malformed unit text */
	RB_UNIT_UNKNOWN,     /* a name that is not a unit */
	RB_UNIT_NO_BASIS,    /* an energy unit without (当量值) or (等价值) */
	RB_UNIT_OVERFLOW,    /* the scale does not fit 64-bit num/den */
	RB_UNIT_DUPLICATE,   /* defining a name that exists */
	RB_UNIT_TOO_MANY,    /* more than RB_DIM_MAX dimensions */
	RB_UNIT_MISMATCH     /* rb_unit_ratio: different dimensions */
} rb_unit_status;

/* A registry with the built-in units. NULL when memory runs out. */
rb_units *rb_units_new(void);
void rb_units_free(rb_units *u);

/* A new base dimension whose unit is called name. */
rb_unit_status rb_units_define_base(rb_units *u, const char *name);
/* name = definition, e.g. ("千亩", "1000 亩"), ("万人次", "10000 人次"):
 * an optional decimal factor (digits, optional fraction, no exponent)
 * followed by unit text. */
rb_unit_status rb_units_define(rb_units *u, const char *name, const char *definition,
			       size_t *errpos);

/* Parse unit text s[0..len) into *out. On error *errpos is the byte offset
 * of the offending character. */
rb_unit_status rb_units_parse(const rb_units *u, const char *s, size_t len, rb_unit *out,
			      size_t *errpos);

/* A short English description of a status, for error messages. */
const char *rb_unit_status_str(rb_unit_status st);

rb_unit rb_unit_one(void);                         /* dimensionless, scale 1 */
bool rb_unit_is_dimensionless(const rb_unit *a);
bool rb_unit_same_dim(const rb_unit *a, const rb_unit *b);
bool rb_unit_equal(const rb_unit *a, const rb_unit *b); /* same dimension and scale */
/* Product and quotient; RB_UNIT_OVERFLOW if the scale does not fit. */
rb_unit_status rb_unit_mul(const rb_unit *a, const rb_unit *b, rb_unit *out);
rb_unit_status rb_unit_div(const rb_unit *a, const rb_unit *b, rb_unit *out);
/* The factor num/den (reduced, both > 0) that converts a value in `from`
 * into `to`: x_to = x_from × num / den. RB_UNIT_MISMATCH for different
 * dimensions. */
rb_unit_status rb_unit_ratio(const rb_unit *from, const rb_unit *to, int64_t *num, int64_t *den);
/* Describe the dimension for error messages: "money (CNY)/area",
 * "energy (等价值)", "dimensionless". Writes at most size bytes. */
void rb_unit_describe(const rb_units *u, const rb_unit *a, char *buf, size_t size);

#endif
