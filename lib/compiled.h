/* The compiled rulebook: names resolved to slots, types and units checked,
 * indicators ordered, every expression lowered to one linear program over
 * an array of value slots. Immutable after compile.c builds it, so any
 * number of threads may evaluate it at once (eval.c). */
#ifndef RB_COMPILED_H
#define RB_COMPILED_H

#include "rulebook.h"
#include "arena.h"
#include "decimal.h"
#include "limits.h"
#include "model.h"
#include "units.h"

#include <stdbool.h>
#include <stdint.h>

/* ---- values ---- */

typedef enum rb_vstate {
	RB_V_OK = 0,
	RB_V_MISSING = 1,   /* absent input, parameter without a value in force */
	RB_V_ERROR = 2      /* division by zero, overflow */
} rb_vstate;

typedef enum rb_verr {
	RB_VERR_DIVZERO = 1,
	RB_VERR_OVERFLOW = 2
} rb_verr;

typedef struct rb_val {
	uint8_t state;          /* rb_vstate */
	uint8_t err;            /* rb_verr when state is RB_V_ERROR */
	uint32_t at;            /* instruction that raised the error; a text
				 * input's value in the facts: RB_TEXT_* below */
	union {
		rb_dec d;       /* number, integer */
		struct {
			double x, e;
		} f;            /* number in the binary fast path (fastpath.c):
				 * the exact decimal lies within x ± e */
		int32_t b;      /* boolean: 0 or 1 */
		int32_t date;   /* YYYYMMDD */
		int32_t e;      /* enum: index into the input's values */
		struct {
			const char *s;
			uint32_t len;
		} t;            /* text */
		struct {
			const struct rb_val *items;
			uint32_t n;
		} l;            /* list: n elements of `stride` values each (one per
				 * field of a record, else one), owned by the facts or
				 * the result that holds the list */
	} u;
} rb_val;

/* rb_val.at of a text input's value: 1 + the index of the input's interned
 * text it equals (rb_input.interned), RB_TEXT_OTHER when it equals none,
 * RB_TEXT_UNKNOWN when nobody looked. */
#define RB_TEXT_UNKNOWN 0
#define RB_TEXT_OTHER UINT32_MAX

/* ---- program ---- */

typedef enum rb_opcode {
	RB_I_ADD = 1, RB_I_SUB, RB_I_MUL, RB_I_DIV, RB_I_NEG, RB_I_ABS,
	RB_I_CONV,              /* dst = a × num / den */
	RB_I_MIN, RB_I_MAX,
	RB_I_ROUND,             /* dst = round(a, num places, mode den) */
	RB_I_NLT, RB_I_NLE, RB_I_NGT, RB_I_NGE, RB_I_NEQ, RB_I_NNE, /* numbers */
	RB_I_IEQ, RB_I_INE, RB_I_ILT, RB_I_ILE, RB_I_IGT, RB_I_IGE, /* int32 payloads: bool, enum, date */
	RB_I_TEQ, RB_I_TNE,     /* text */
	RB_I_AND, RB_I_OR, RB_I_NOT,
	RB_I_SELECT,            /* dst = a ? b : c, three-valued */
	RB_I_MISSING,           /* dst = a is missing (never unknown) */
	RB_I_COALESCE,          /* dst = a if present else b */
	RB_I_YEAR,              /* dst = year of date a, as a number */
	RB_I_EACH,              /* dst = a fold over the elements of list a: the next
				 * num instructions (the body) run once per element with
				 * the element's values in slots b..; c: the condition's
				 * slot (0: none); den: RB_EACH_* below */
	RB_I_SKIP               /* only in a score program (lazy.c): skip the next num
				 * instructions unless condition a (the binary run's
				 * answer) chose the branch they feed: den RB_SKIP_* */
} rb_opcode;

/* RB_I_SKIP's den: which branch of a choice the skipped instructions feed. */
enum {
	RB_SKIP_ELSE = 0,       /* the branch taken when a is false */
	RB_SKIP_THEN = 1        /* the branch taken when a is true */
};

/* RB_I_EACH's den: the fold, the slot holding the value per element, and
 * the element's stride (values per element). */
enum { RB_EACH_COUNT = 1, RB_EACH_SUM, RB_EACH_MIN, RB_EACH_MAX, RB_EACH_ANY, RB_EACH_ALL };
#define RB_EACH_PACK(fold, value, stride) \
	((int64_t)(fold) | ((int64_t)(stride) << 8) | ((int64_t)(value) << 24))
#define RB_EACH_FOLD(den) ((int)((den) & 0xFF))
#define RB_EACH_STRIDE(den) ((uint32_t)(((den) >> 8) & 0xFFFF))
#define RB_EACH_VALUE(den) ((uint32_t)((den) >> 24))

typedef struct rb_ins {
	uint16_t op;
	uint32_t dst, a, b, c;
	int64_t num, den;
} rb_ins;

/* The binary fast path's form of an instruction (fastpath.c). */
typedef struct rb_fins {
	uint8_t op;
	uint8_t mode;           /* RB_I_ROUND: rb_dec_rounding */
	int16_t places;         /* RB_I_ROUND, within [-22, 22] when k is not 0 */
	uint32_t dst, a, b, c;
	uint32_t at;            /* the instruction's index in the exact program */
	union {
		double k;       /* RB_I_CONV: num / den; RB_I_ROUND: 10^|places| */
		uint32_t cmp;   /* RB_F_CAPPED: the comparison's slot, also written */
		uint64_t set;   /* RB_F_TEXT_IN: bit n for the input's interned text n - 1 */
	};
	double r;               /* a number's relative bound (fastpath.c): the
				 * exact decimal of dst lies within x ± r·|x| */
} rb_fins;

/* ---- named things ---- */

typedef enum rb_sym_kind {
	RB_SYM_INPUT = 1,
	RB_SYM_PARAM,
	RB_SYM_INDICATOR,
	RB_SYM_LOOKUP,           /* one table lookup in an expression (not named, not in the hash) */
	RB_SYM_EACH              /* one fold over a list in an expression (not in the hash):
				  * names the list when the fold has no value */
} rb_sym_kind;

typedef struct rb_ctype {
	rb_type type;           /* RB_T_INTEGER is reported as RB_T_NUMBER here */
	rb_unit unit;           /* numbers, and lists of numbers: the elements' */
	int32_t enum_of;        /* enums and lists of enums: index in rulebook.inputs
				 * of the input (or field) declaring the values */
	rb_type elem;           /* lists: the element type (RB_T_RECORD: fields) */
	int32_t list_of;        /* lists: index of the list input */
} rb_ctype;

struct rb_table;
struct rb_lookup_site;
struct rb_each_site;

typedef struct rb_sym {
	rb_sym_kind kind;
	uint32_t index;         /* within its kind */
	uint32_t slot;
	const char *name;
	size_t len;
	rb_ctype ct;
	const char *unit_text;  /* as declared; "" when none */
	rb_i18n label;
	rb_pos pos;
	const struct rb_lookup_site *lookup; /* RB_SYM_LOOKUP */
	const struct rb_sym **deps; /* RB_SYM_INDICATOR: the names its expression uses
				     * directly (not closed over: a chain stays linear) */
	uint32_t ndeps;
	const struct rb_each_site *each;     /* RB_SYM_EACH */
} rb_sym;

/* A fold over a list in an expression: the list, the RB_I_EACH
 * instruction, and the condition and value slots its body computes, so an
 * explanation can tell which elements counted. */
typedef struct rb_each_site {
	const rb_sym *list;     /* the list input */
	uint32_t pc;            /* the RB_I_EACH instruction in rulebook.code */
	int fold;               /* RB_EACH_* */
	bool filtered;          /* has a condition that selects elements */
} rb_each_site;

/* One key of a table row: an enum value, a text, or an integer range. */
typedef struct rb_table_key {
	int32_t e;              /* enum: value index */
	const char *text;       /* text: the value */
	uint32_t len;
	rb_dec lo, hi;          /* number: lo ≤ key ≤ hi */
} rb_table_key;

typedef struct rb_table_row {
	rb_table_key *keys;     /* one per key of the table */
	uint32_t param;         /* index in rulebook.params of the row's values */
	rb_pos pos;
} rb_table_row;

typedef struct rb_table {
	const char *id;
	uint32_t nkeys;
	uint32_t key_input[2];  /* the inputs whose type the keys take */
	rb_table_row *rows;
	uint32_t nrows;
	rb_unit unit;
	const char *unit_text;
	bool has_default;
	rb_dec dflt;
	bool illustrative;      /* a row is illustrative */
	rb_pos pos;
} rb_table;

/* Where a table is looked up: the key slots, to name the key of a lookup
 * without a row. */
typedef struct rb_lookup_site {
	const rb_table *table;
	uint32_t keys[2];       /* slots */
} rb_lookup_site;

typedef struct rb_input {
	rb_sym *sym;            /* fields of a record: a symbol not in the hash */
	rb_type type;           /* as declared (integer kept); lists: RB_T_LIST */
	rb_type elem;           /* lists: the element type as declared (integer kept) */
	uint32_t field0;        /* lists of records: index in rulebook.inputs of the
				 * first field (fields follow the inputs) */
	uint32_t nfields;       /* lists of records: fields per element; else 0 */
	const char **values;    /* enum values */
	size_t *value_lens;
	uint32_t nvalues;
	bool required;
	/* text inputs: the distinct texts the program compares it with
	 * (fastpath.c); the facts store which one a value is (rb_val.at) */
	const char **interned;
	uint32_t *interned_len;
	uint64_t *interned_head; /* the first 8 bytes (fastpath.c text_head) */
	uint32_t ninterned;
	const rb_text *aliases; /* other names of its column (`aliases:`), in the model */
	size_t naliases;
} rb_input;

typedef struct rb_param_value {
	int32_t from;
	rb_dec value;           /* in the parameter's unit */
	const char *text;       /* as written; NULL for `none` */
	bool absent;            /* `none`: no figure from this date (the value is missing) */
} rb_param_value;

typedef struct rb_param {
	rb_sym *sym;
	const char *file;        /* the rulebook file its values come from */
	const char *cite;
	int32_t doc;            /* the cited document: index in rulebook.docs, -1 none */
	rb_provenance provenance;
	const char *note;
	rb_param_value *values;
	uint32_t nvalues;
} rb_param;

/* A message template: literal text and references to slots. */
typedef struct rb_tpart {
	const char *text;       /* literal, or NULL for a reference */
	size_t len;
	const rb_sym *sym;      /* reference to a named value */
	int gap;                /* {gap} */
	int obligation;         /* {obligation id}: index + 1 */
	int8_t places;          /* {x:.2}: fixed decimal places; -1 the default display */
	uint8_t mode;           /* rb_dec_rounding of places (half up unless given) */
	bool thousands;         /* {x:,}: group the digits of the whole part by three */
} rb_tpart;

typedef struct rb_template {
	rb_tpart *parts;
	uint32_t nparts;
	bool has_gap;
} rb_template;

/* A top-level comparison of a rule's requirement, for the gap. */
typedef struct rb_check {
	uint32_t result;        /* slot of the boolean */
	uint32_t value, threshold; /* slots as computed, before conversion */
	rb_unit value_unit, threshold_unit;
	const char *unit_text;  /* display unit of the gap: the value's */
	rb_unit display_unit;
	int op;                 /* rb_binop, oriented as value op threshold */
	uint32_t group;         /* 0: a part of the top-level 'and'; g > 0: an
				 * alternative of the g-th top-level 'or' */
	const rb_sym *value_sym; /* the value side when it is a name, else NULL */
	const rb_sym *threshold_sym; /* the threshold side when it is a name, else NULL */
} rb_check;

typedef struct rb_exception {
	const char *id;
	const char *cite;
	int32_t doc;            /* the cited document: index in rulebook.docs, -1 none */
	rb_i18n label;
	uint32_t when;          /* slot */
} rb_exception;

typedef struct rb_obligation {
	const char *id;
	rb_i18n label;
	uint32_t slot;
	const char *unit_text;
} rb_obligation;

typedef struct rb_rule {
	const char *id;
	rb_i18n title;
	const char *cite;
	int32_t doc;            /* the cited document: index in rulebook.docs, -1 none */
	rb_severity severity;
	const char **responsible;
	uint32_t nresponsible;
	int32_t from, until;    /* 0: open */
	int64_t when;           /* slot, -1: always */
	int64_t require;        /* slot, -1: none */
	rb_exception *unless;
	uint32_t nunless;
	rb_obligation *obligations;
	uint32_t nobligations;
	rb_template msg_zh, msg_en;
	rb_template vmsg[2][2];  /* [0 pass, 1 fail][0 zh, 1 en], nparts 0 when absent */
	uint32_t *parts;         /* all_of / any_of: the rules it requires */
	uint32_t nparts;
	bool parts_any;          /* any_of (else all_of) */
	int64_t met;             /* slot: the verdict is pass, exempt or not_applicable
				  * (unknown when the verdict is); -1 until needed */
	const rb_sym **deps;    /* inputs, parameters, indicators it uses */
	uint32_t ndeps;
	rb_check *checks;
	uint32_t nchecks;
	bool illustrative;      /* uses an illustrative parameter */
	rb_pos pos;
} rb_rule;

typedef struct rb_target {
	const char *id;
	rb_i18n title;
	const char *cite;
	int32_t doc;            /* the cited document: index in rulebook.docs, -1 none */
	const char **responsible;
	uint32_t nresponsible;
	uint32_t measure, goal;  /* slots, in the display unit */
	int64_t base;            /* slot or -1 */
	const char *unit_text;
	rb_direction direction;
	rb_target_kind kind;
	int32_t from, until;
	bool yearly;
	const rb_sym **deps;
	uint32_t ndeps;
	rb_pos pos;
} rb_target;

#define RB_TARGET_FIELDS 6

/* What a part of an item uses: inputs, parameters, indicators and
 * lookups, indicators closed over (compile.c save_closure). */
typedef struct rb_deps {
	const rb_sym **d;
	uint32_t n;
} rb_deps;

/* A component's figure that must make sense for a score: where it can
 * depend on the date (a parameter), it is checked at evaluation. */
typedef enum rb_comp_fault {
	RB_FAULT_NONE = 0,
	RB_FAULT_BENCHMARK,      /* benchmark <= 0 */
	RB_FAULT_WEIGHT,         /* weight < 0 */
	RB_FAULT_CAP,            /* cap < floor */
	RB_FAULT_SCALE           /* scale max <= min */
} rb_comp_fault;

typedef struct rb_component {
	const char *id;
	rb_i18n label;
	uint32_t value, ratio, weight, points;   /* slots */
	int64_t bench, floor, cap, smin, smax;   /* slots, -1 when absent */
	rb_pos bench_pos, weight_pos, cap_pos, scale_pos; /* for lint */
	const char *unit_text;   /* of the value */
	const rb_sym *value_sym; /* when the value is a name */
	bool average;            /* missing: average (decided over a population) */
	rb_deps deps;            /* what its points use */
} rb_component;

typedef struct rb_veto {
	const char *id;
	const char *cite;
	int32_t doc;            /* the cited document: index in rulebook.docs, -1 none */
	rb_i18n label;
	uint32_t when;
	uint32_t cls;
	rb_deps deps;            /* what its condition uses */
} rb_veto;

typedef struct rb_class {
	const char *id;
	rb_i18n label;
	bool has_min;
	uint32_t min;            /* slot of the score cut-off (may be a dated parameter) */
	uint32_t reached;        /* slot of the boolean score >= min */
	rb_dec share;            /* classes by rank: share of the ranked records */
	rb_deps deps;            /* what its cut-off uses */
} rb_class;

typedef struct rb_consequence {
	const char *id;
	const char *cite;
	int32_t doc;            /* the cited document: index in rulebook.docs, -1 none */
	rb_i18n label;
	uint32_t cls;
	int64_t when;            /* slot or -1 */
	uint32_t value;
	const char *unit_text;
	bool per_record;         /* the value depends on the record (else on the date alone) */
} rb_consequence;

/* Class results besides a class index. */
enum {
	RB_CLASS_UNKNOWN = -1,
	RB_CLASS_NOT_RATED = -2,
	RB_CLASS_NOT_IN_FORCE = -3,
	RB_CLASS_BY_RANK = -4,   /* in scope, no veto, scored: a population ranks it */
	RB_CLASS_NEEDS_AVERAGE = -5, /* in scope, no veto, only `average` components missing */
	RB_CLASS_ERROR = -6      /* a component's figures make no score (rb_comp_fault) */
};

/* The public code (RULEBOOK_CLASS_*) of a class result: a class index as
 * it is, and what only a population decides (by rank, or with an
 * average) unknown. */
static inline int16_t rb_class_code(int16_t c)
{
	switch (c) {
	case RB_CLASS_NOT_RATED:
	case RB_CLASS_NOT_IN_FORCE:
		return c;
	case RB_CLASS_ERROR:
		return RULEBOOK_CLASS_ERROR;
	default:
		return c >= 0 ? c : RB_CLASS_UNKNOWN;
	}
}

typedef struct rb_scorecard {
	const char *id;
	const char *cite;
	int32_t doc;            /* the cited document: index in rulebook.docs, -1 none */
	rb_i18n title;
	int64_t scope;           /* slot or -1 */
	rb_deps scope_deps;
	rb_component *components;
	uint32_t ncomponents;
	rb_veto *vetoes;
	uint32_t nvetoes;
	rb_class *classes;
	uint32_t nclasses;
	rb_consequence *consequences;
	uint32_t nconsequences;
	uint32_t score;          /* slot */
	uint32_t *score_cone;    /* the instructions the score depends on, in
				  * program order (lazy.c); NULL: not built */
	uint32_t nscore_cone;
	rb_ins *score_code;      /* the cone's per-record instructions, copied in
				  * program order to run in one pass by lazy.c's
				  * score interpreter: slots as byte offsets,
				  * ended by its end marker (nscore_code does not
				  * count it); NULL: run through the cone */
	uint32_t nscore_code;
	uint32_t *score_inv;     /* the cone's instructions of the as-of part */
	uint32_t nscore_inv;
	uint32_t *score_conds;   /* conditions of the score program's RB_I_SKIP:
				  * slots the binary run decides */
	uint32_t nscore_conds;
	int64_t sane;            /* slot: every component's figures make sense
				  * (component_sane in compile.c), -1 when all are constants */
	const char *score_unit;  /* unit text of the weights ("" for plain numbers) */
	bool by_rank;            /* classes by rank within a population */
	bool has_average;        /* a component with missing: average */
	const rb_sym **deps;     /* what it uses, for lint */
	uint32_t ndeps;
	rb_pos pos;
} rb_scorecard;

typedef struct rb_aggregate {
	const char *id;
	const char *cite;
	int32_t doc;            /* the cited document: index in rulebook.docs, -1 none */
	rb_i18n title;
	const char **responsible;
	uint32_t nresponsible;
	rb_agg_measure measure;
	int64_t filter, value, where; /* record-program slots, -1 when absent */
	uint32_t slot;           /* holds the aggregate for the aggregate program */
	int64_t require;         /* slot of the requirement in the aggregate program, -1 none */
	rb_check *checks;
	uint32_t nchecks;
	const char *unit_text;   /* of the value; "" for a share or a count */
	const rb_sym **deps;     /* what its filter, where and value use (per record) */
	uint32_t ndeps;
	rb_deps require_deps;    /* what its requirement uses (parameters), for lint */
	rb_pos pos;
} rb_aggregate;

/* ---- the rulebook ---- */

struct rulebook {
	rb_arena arena;
	rb_model *model;        /* kept for the embedded tests and positions */
	const char *id;
	rb_i18n title;
	const char *subject;
	int32_t from, until;
	char hash[65];          /* of the whole extends closure (rb_closure_hash) */
	char file_hash[65];     /* of the top file's own bytes */
	struct rb_parent {
		const char *id;
		char hash[65];  /* of the parent file's own bytes */
	} *parents;             /* the direct parent first, the root last */
	uint32_t nparents;
	/* canonical text of each item's definition, by rulebook_item_kind
	 * (definitions.c) */
#define RB_NITEM_KINDS 5
	const char **definitions[RB_NITEM_KINDS];

	rb_units *units;

	rb_sym *syms;           /* all named values */
	uint32_t nsyms;
	uint32_t *sym_hash;     /* open addressing: index + 1, 0 empty */
	uint32_t sym_hash_size; /* power of two */

	rb_input *inputs;       /* ninputs inputs, then the fields of lists of records */
	uint32_t ninputs;
	uint32_t nfields;       /* fields of lists of records after the inputs */
	uint32_t ninputs_total; /* ninputs + nfields */
	uint64_t max_list;      /* RULEBOOK_LIMIT_LIST_LENGTH */
	const rb_text *id_columns; /* `id_column:`, the nearest rulebook of the closure that has it */
	size_t nid_columns;
	rb_param *params;
	uint32_t nparams;
	rb_table *tables;
	uint32_t ntables;
	const rb_m_source *docs;  /* the documents cited (the model's sources) */
	uint32_t ndocs;
	rb_sym **indicators;    /* in evaluation order */
	uint32_t nindicators;
	rb_rule *rules;
	uint32_t nrules;
	rb_target *targets;
	uint32_t ntargets;
	rb_scorecard *scorecards;
	uint32_t nscorecards;
	rb_aggregate *aggregates;
	uint32_t naggregates;

	rb_ins *code;
	uint32_t ncode;
	rb_ins *agg_code;        /* run once per population, after the aggregates are known */
	uint32_t nagg_code;
	uint32_t nslots;
	rb_val *consts;         /* initial values of all slots: constants filled, rest missing */
	/* The binary fast path (fastpath.c): only what verdicts and classes
	 * depend on, split into the part that depends on the as-of date and
	 * parameters alone (run when they change) and the part run per record. */
	rb_fins *fcode;         /* per record; NULL when the fast path is off */
	uint32_t nfcode;
	rb_fins *fpre;          /* per as-of date */
	uint32_t nfpre;
	rb_val *fconsts;        /* consts with numbers as doubles */
	rb_fins *frec;          /* fcode as the per-record run reads it (fastpath.c);
				 * NULL: it reads fcode */
	/* Lazy exact values (lazy.c): what computing one slot exactly needs.
	 * NULL when memory ran out (then a read runs the whole program). */
	uint32_t *writer;       /* per slot: the instruction of code writing it, or
				 * RB_NO_WRITER (inputs, parameters, constants) */
	uint8_t *invariant;     /* per instruction of code: depends on the as-of
				 * date and parameters alone */
	uint8_t *numeric;       /* per slot: holds a number */
	uint8_t *fast_valid;    /* per slot: after a fast run, its fast value has
				 * the exact state (and boolean) */
	uint8_t *rule_cone;     /* per instruction of code: a rule's condition,
				 * exception, requirement or obligation depends on it */
	uint32_t input_base, param_base;
	uint32_t text_inputs;   /* how many inputs are of type text */
	uint32_t list_inputs;   /* how many inputs are lists */
	uint32_t *copied_inputs; /* the text and list inputs' indices, which an
				  * evaluation copies into its result (lazy.c);
				  * NULL when memory ran out */
	uint32_t ncopied_inputs;
};

/* Build from a model (ownership of the model passes to the rulebook, also on
 * failure). Reports every error it finds. */
rulebook_status rb_compile(rb_model *model, const char *source, size_t len,
			   const rb_limits *limits, rulebook **out, rulebook_error *err);

/* Fill rb->file_hash, rb->parents and rb->hash from the model's extends
 * chain (extend.c); false when memory runs out. */
bool rb_closure_hash(rulebook *rb, const rb_model *m, const char *source, size_t len);

/* Fill rb->definitions (definitions.c); false when memory runs out. */
bool rb_definitions_build(rulebook *rb);
/* How many items of a rulebook_item_kind rb has. */
size_t rb_item_count(const rulebook *rb, int kind);

/* Look a name up; NULL when unknown. */
const rb_sym *rb_lookup(const rulebook *rb, const char *name, size_t len);

/* Run a program over slots (already holding inputs and parameters). */
void rb_run_code(const rb_ins *code, uint32_t n, rb_val *slots);
/* Run instruction pc of rb->code alone. */
void rb_run_one(const rulebook *rb, uint32_t pc, rb_val *slots);

#define RB_NO_WRITER UINT32_MAX

/* Fill rb->writer, rb->invariant, rb->numeric, rb->fast_valid and
 * rb->rule_cone (lazy.c),
 * after the fast path is prepared; numeric_consts[i] tells whether
 * constant slot i holds a number. Leaves them NULL when memory runs out. */
void rb_lazy_prepare(rulebook *rb, const uint8_t *numeric_consts);
/* numeric[s] = 1 when slot s holds a number (inputs of number and integer
 * type, parameters, constants numeric_consts marks, the results of numeric
 * instructions and folds, choices between numbers), else 0 (lazy.c). */
void rb_numeric_slots(const rulebook *rb, const uint8_t *numeric_consts, uint8_t *numeric);
#define rb_run(rb, slots) rb_run_code((rb)->code, (rb)->ncode, (slots))

/* Parse text as a value for input `in` (used by facts and tests). On error
 * fills msg. A number may carry a unit after a space ("2000 m²"). */
rulebook_status rb_parse_input_value(const rulebook *rb, const rb_input *in, const char *s,
				     size_t len, rb_val *out, char *msg, size_t msgsize);

/* Format a slot value as text into buf (RB_DEC_BUFSIZE bytes at least);
 * returns NULL for missing or error values. */
const char *rb_format_value(const rulebook *rb, const rb_sym *sym, const rb_val *v, char *buf,
			    size_t size);

/* ---- the per-record state shared by the evaluation and output stages ---- */

#include "buf.h"

struct rulebook_facts {
	const rulebook *rb;
	rb_val *vals;            /* one per input */
	rb_val *fvals;           /* the same with numbers as doubles (fast path) */
	char **text;             /* storage of text inputs, grown as needed */
	size_t *text_cap;
	rb_val **list;           /* storage of list inputs' elements, grown as needed */
	size_t *list_cap;
	char *record_id;         /* "_id" of the record, NUL-terminated */
	size_t record_id_cap;
	bool has_id;
	bool ignore_unknown;     /* JSON keys that are not inputs are skipped */
};

struct rulebook_result {
	const rulebook *rb;
	rb_val *slots;           /* exact values; complete only when `exact` (rb_exact) */
	rb_val *fslots;          /* the fast path's values, NULL when it is off */
	bool exact;              /* slots hold this evaluation's exact values */
	bool fast_ok;            /* try the fast path (off: always exact) */
	bool fpre_ok;            /* the per-as-of part of the fast path was decided */
	bool decided_fast;       /* the last evaluation's verdicts came from the fast path */
	bool fell_back;          /* ... with some instructions computed exactly */
	/* Lazy exact values (lazy.c): slots computed exactly on demand when
	 * the fast path decided. done[pc] is the stamp of the evaluation that
	 * last computed instruction pc; an instruction of the as-of part stays
	 * done while the parameters stay (done >= pstamp). */
	uint32_t *done;          /* per instruction; NULL: lazy reads are off */
	uint32_t *work;          /* pending instructions while computing a slot */
	uint32_t *score_inv;     /* per scorecard: the pstamp for which all of its
				  * score program's as-of instructions are done, 0
				  * none (lazy.c); NULL with done */
	uint32_t stamp, pstamp;
	uint8_t *verdicts;       /* rulebook_verdict per rule */
	int32_t *exception;      /* index of the exception that applied, or -1 */
	/* What of the verdicts depends on the date alone, for plain_as_of
	 * (rb_eval_decide): pairs of a rule and the byte offset of the slot
	 * of its `require`
	 * for the nplain rules nothing else decides (in force, no `when`, no
	 * exceptions), then the ndecide other rules in force. The rules not
	 * in force keep their verdict; base_counts counts them. */
	uint32_t *rule_plan;     /* 2 × nrules entries */
	uint32_t nplain, ndecide;
	uint32_t base_counts[8];
	int32_t plain_as_of;
	bool book_in_force;      /* the rulebook is in force on plain_as_of */
	uint32_t nverdicts;      /* rules with a verdict: 0 before the first evaluation */
	uint32_t nclasses;       /* scorecards with a class: 0 before the first evaluation */
	uint8_t *tstatus;        /* rulebook_target_status per target */
	rb_dec *tfig;            /* RB_TARGET_FIELDS figures per target */
	uint8_t *tfig_ok;        /* which figures are defined */
	int16_t *sc_class;       /* class index or RB_CLASS_* per scorecard */
	int16_t *sc_veto;        /* veto index or -1 */
	uint32_t *sc_fault;      /* RB_CLASS_ERROR: component index × 8 + rb_comp_fault */
	uint32_t counts[8];
	int32_t as_of;
	int32_t params_as_of;    /* the date the parameter slots hold values for */
	char *text;              /* copies of text input values */
	size_t text_cap;
	rb_val *list;            /* copies of list inputs' elements */
	size_t list_cap;
	char *record_id;
	size_t record_id_cap;
	bool has_id;
	rb_arena strings;        /* rendered messages and values; reset per evaluation */
	rb_buf out;              /* JSON or explanation */
	rb_buf scratch;          /* a message being rendered */
	uint8_t *taint;          /* per slot: derived from an illustrative value (illustrative.c) */
	bool taint_ok;           /* taint holds this evaluation's marks */
};

/* Whether rule's verdict (or an obligation it created) rests on an
 * illustrative parameter along the branches this evaluation took. */
bool rb_result_rule_illustrative(const rulebook_result *res, uint32_t rule);

/* The exact values of this evaluation's slots. When the fast path decided
 * the verdicts, the exact program runs here, once, on first use: only
 * values, gaps and figures need it. */
void rb_result_make_exact(rulebook_result *res);
static inline const rb_val *rb_exact(const rulebook_result *res)
{
	if (!res->exact)
		rb_result_make_exact((rulebook_result *)res);
	return res->slots;
}

/* The exact value of one slot of this evaluation. When the fast path
 * decided, only the instructions the slot depends on run, each at most
 * once per evaluation (those of the as-of part once per as-of date). */
const rb_val *rb_exact_slot(rulebook_result *res, uint32_t slot);
static inline const rb_val *rb_exact_at(const rulebook_result *res, uint32_t slot)
{
	if (res->exact)
		return &res->slots[slot];
	return rb_exact_slot((rulebook_result *)res, slot);
}

/* The same for a slot whose cone (the instructions it depends on, in
 * program order) was listed once at compile time. */
const rb_val *rb_exact_cone(rulebook_result *res, const uint32_t *cone, uint32_t n,
			    uint32_t slot);

/* The exact score of scorecard i of this evaluation (lazy.c): after a
 * binary run, only its cone runs, at most once per evaluation. */
const rb_val *rb_exact_score_slow(rulebook_result *res, uint32_t i);
static inline const rb_val *rb_exact_score(const rulebook_result *res, uint32_t i)
{
	const rb_scorecard *sc = &res->rb->scorecards[i];
	if (res->exact)
		return &res->slots[sc->score];
	return rb_exact_score_slow((rulebook_result *)res, i);
}

/* The state (and boolean) of a slot after this evaluation: the fast run's
 * when it holds the exact state, else the exact value (lazy.c). */
static inline const rb_val *rb_state_at(const rulebook_result *res, uint32_t slot)
{
	if (!res->exact && res->rb->fast_valid && res->rb->fast_valid[slot])
		return &res->fslots[slot];
	return rb_exact_at(res, slot);
}

/* The fast run could not decide the instruction writing slot dst: compute
 * it exactly and store it as a fast value (lazy.c). */
void rb_fast_fallback(rulebook_result *res, uint32_t dst);

/* The verdicts, targets and classes of res from the slots a program ran
 * on (exact or fast), as of as_of: the end of rulebook_eval (eval.c). */
void rb_eval_decide(const rulebook *rb, rulebook_result *res, const rb_val *slots, int32_t as_of);

/* Evaluate every target of rb into res (after the program has run). */
void rb_eval_targets(const rulebook *rb, rulebook_result *res);
/* Decide the class of every scorecard from the slots the program ran on
 * (exact or fast: the class reads only states and booleans). */
void rb_eval_scorecards(const rulebook *rb, rulebook_result *res, const rb_val *slots);

/* Whether value `field` of an element of list `in` is text (field 0 for
 * lists of plain values). */
bool rb_list_item_is_text(const rulebook *rb, const rb_input *in, size_t field);

/* Set list input idx of facts from a document node: an array (JSON, or a
 * YAML sequence in a test case), or a string in the text form; json: text
 * elements must be quoted. Errors carry the node's positions. */
rulebook_status rb_facts_set_list_node(rulebook_facts *f, size_t idx, const rb_node *v, bool json,
				       rulebook_error *err);

/* Set a copy of text as the value of slot (facts and results own their
 * copies); 0 or -1 when memory runs out. */
int rb_store_text(char **store, size_t *cap, const char *s, size_t len);

#endif
