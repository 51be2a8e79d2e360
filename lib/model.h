/* The rulebook model: what a rulebook file says, checked against the schema
 * (keys, kinds of values, required fields) but not yet resolved. Produced by
 * model.c from the YAML tree; consumed by compile.c. Every field that can be
 * wrong later carries the position it came from. All memory lives in the
 * model's arena. */
#ifndef RB_MODEL_H
#define RB_MODEL_H

#include "arena.h"
#include "error.h"
#include "node.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rb_i18n {
	const char *zh;
	const char *en;
} rb_i18n;

/* A piece of text from the file with where it starts. For expressions,
 * node lets the compiler map a byte offset inside the text to a line and
 * column. */
typedef struct rb_text {
	const char *s;           /* NULL when absent */
	size_t len;
	rb_pos pos;
	const rb_node *node;
	const char *doc;         /* a citation's document id ({document, clause}); NULL: the file's */
} rb_text;

/* A document a rulebook cites (`sources:`, or the single `source`, whose id
 * is ""). file is the rulebook file that lists it: a parent's documents
 * stay its own. */
typedef struct rb_m_source {
	const char *id;
	const char *issuer, *title, *number, *url, *file;
	int32_t issued, from, until;
	rb_pos pos;
} rb_m_source;

typedef enum rb_type {
	RB_T_NUMBER = 1,
	RB_T_INTEGER,
	RB_T_BOOL,
	RB_T_TEXT,
	RB_T_ENUM,
	RB_T_DATE,
	RB_T_LIST,               /* inputs only: a list of elements (rb_m_input.elem) */
	RB_T_RECORD              /* the element type of a list with fields */
} rb_type;

typedef struct rb_m_unit {
	rb_text id;
	rb_text equals;          /* "1000 亩"; s NULL for a new base dimension */
	rb_i18n label;
} rb_m_unit;

typedef struct rb_m_input rb_m_input;
struct rb_m_input {
	rb_text id;
	rb_type type;
	rb_pos type_pos;
	rb_type elem;            /* lists: the element type (`of:`, RB_T_RECORD with `fields:`) */
	rb_m_input *fields;      /* lists of records: the fields of an element */
	size_t nfields;
	rb_text unit;            /* s NULL: dimensionless; a list's: of its elements */
	rb_i18n label;
	int required;
	rb_text *values;         /* enum values */
	size_t nvalues;
	rb_text *aliases;        /* other names of the input's column in data files */
	size_t naliases;
};

typedef struct rb_m_value {
	int32_t from;            /* YYYYMMDD */
	rb_text value;           /* decimal text */
	rb_pos pos;
	bool absent;             /* `none`: the text gives no figure (from this date) */
} rb_m_value;

typedef enum rb_provenance {
	RB_PROV_CITED = 1,
	RB_PROV_ILLUSTRATIVE
} rb_provenance;

typedef enum rb_param_direction {
	RB_PDIR_NONE = 0,
	RB_PDIR_FLOOR,           /* a child rulebook may only raise it */
	RB_PDIR_CEILING          /* a child rulebook may only lower it */
} rb_param_direction;

typedef struct rb_m_param {
	rb_text id;
	rb_param_direction direction;
	rb_text unit;
	rb_text cite;
	rb_provenance provenance;
	const char *note;
	rb_i18n label;
	rb_m_value *values;      /* sorted by from, no two equal */
	size_t nvalues;
} rb_m_param;

/* A lookup table (`tables:`). Each row becomes a parameter of the model
 * named "<table>[<key>, <key>]" (so dated values, `none`, provenance,
 * citations and `overrides` work as for parameters); the table keeps the
 * keys of its rows for the compiler. */
typedef struct rb_m_row {
	rb_text *keys;           /* one per key of the table, as written */
	rb_text param;           /* the row's parameter id */
	rb_pos pos;
} rb_m_row;

typedef struct rb_m_table {
	rb_text id;
	rb_text *keys;           /* the inputs whose type each key takes */
	size_t nkeys;
	rb_text unit;
	rb_text dflt;            /* value when no row matches; s NULL: unknown */
	rb_i18n label;
	rb_m_row *rows;
	size_t nrows;
} rb_m_table;

typedef struct rb_m_indicator {
	rb_text id;
	rb_text expr;
	rb_text unit;            /* optional: result converted into it */
	rb_i18n label;
} rb_m_indicator;

typedef struct rb_m_exception {
	rb_text id;
	rb_text when;
	rb_text cite;
	rb_i18n label;
} rb_m_exception;

typedef struct rb_m_obligation {
	rb_text id;
	rb_text value;           /* expression */
	rb_text unit;
	rb_i18n label;
} rb_m_obligation;

typedef enum rb_severity {
	RB_SEV_INFO = 1,
	RB_SEV_MINOR,
	RB_SEV_MAJOR,
	RB_SEV_CRITICAL
} rb_severity;

typedef struct rb_m_rule {
	rb_text id;
	rb_i18n title;
	rb_text cite;
	rb_severity severity;
	const char **responsible;
	size_t nresponsible;
	rb_text when;            /* s NULL: always applies */
	rb_text require;         /* s NULL: applies and passes (obligation-only rule) */
	rb_m_exception *unless;
	size_t nunless;
	rb_text message_zh;
	rb_text message_en;
	rb_text verdict_msg[2][2]; /* [0 pass, 1 fail][0 zh, 1 en]: message for that verdict */
	rb_text *all_of, *any_of; /* ids of rules this one requires */
	size_t nall_of, nany_of;
	rb_m_obligation *obligations;
	size_t nobligations;
	int32_t from, until;     /* 0: open */
} rb_m_rule;

typedef enum rb_direction {
	RB_DIR_AT_LEAST = 1,
	RB_DIR_AT_MOST,
	RB_DIR_ABOVE,            /* must exceed (突破, 超过): met only strictly above */
	RB_DIR_BELOW             /* must stay strictly under (低于) */
} rb_direction;

typedef enum rb_target_kind {
	RB_TK_CUMULATIVE = 1,    /* an amount accumulated over the period */
	RB_TK_LEVEL,             /* a level to reach by the end */
	RB_TK_REDUCTION,         /* (base - measure) / base, e.g. energy intensity down 10 % */
	RB_TK_GROWTH             /* (measure - base) / base, e.g. investment up 12 % */
} rb_target_kind;

typedef struct rb_m_target {
	rb_text id;
	rb_i18n title;
	rb_text cite;
	const char **responsible;
	size_t nresponsible;
	rb_text measure;         /* expression: the achieved value */
	rb_text target;          /* expression: the goal */
	rb_text base;            /* expression: base value (reduction, growth; optional for level) */
	rb_text unit;            /* display unit of measure and target */
	rb_direction direction;
	rb_target_kind kind;
	int32_t from, until;     /* the period; both 0 with yearly */
	int yearly;              /* the calendar year of the as-of date */
} rb_m_target;

typedef enum rb_missing_policy {
	RB_MISS_UNKNOWN = 0,     /* the record's class is unknown */
	RB_MISS_ZERO,            /* the component scores zero */
	RB_MISS_AVERAGE          /* the population's average ratio (populations only) */
} rb_missing_policy;

typedef struct rb_m_component {
	rb_text id;
	rb_i18n label;
	rb_text value;           /* expression: the indicator */
	rb_text benchmark;       /* expression: ratio = value / benchmark */
	rb_text scale_min, scale_max; /* or: ratio = (value - min) / (max - min), within 0..1 */
	rb_text weight;          /* expression, dimensionless */
	rb_text floor, cap;      /* optional bounds of the ratio */
	rb_missing_policy missing;
} rb_m_component;

typedef struct rb_m_veto {
	rb_text id;
	rb_text when;
	rb_text cite;
	rb_text cls;             /* the class it forces */
	rb_i18n label;
} rb_m_veto;

typedef struct rb_m_class {
	rb_text id;
	rb_text min;             /* score cut-off (decimal); absent for the last class */
	rb_text share;           /* or: share of the ranked population (e.g. 20%) */
	rb_i18n label;
} rb_m_class;

typedef struct rb_m_consequence {
	rb_text id;
	rb_text cls;             /* the class it applies to */
	rb_text when;            /* optional further condition (e.g. three years running) */
	rb_text value;
	rb_text unit;
	rb_text cite;
	rb_i18n label;
} rb_m_consequence;

typedef struct rb_m_scorecard {
	rb_text id;
	rb_i18n title;
	rb_text cite;
	rb_text scope;           /* optional: records outside are "not_rated" */
	rb_m_component *components;
	size_t ncomponents;
	rb_m_veto *vetoes;
	size_t nvetoes;
	rb_m_class *classes;
	size_t nclasses;
	rb_m_consequence *consequences;
	size_t nconsequences;
} rb_m_scorecard;

typedef enum rb_agg_measure {
	RB_AGG_SUM = 1,
	RB_AGG_COUNT,
	RB_AGG_AVG,
	RB_AGG_MIN,
	RB_AGG_MAX,
	RB_AGG_SHARE
} rb_agg_measure;

typedef struct rb_m_aggregate {
	rb_text id;
	rb_i18n title;
	rb_text cite;
	const char **responsible;
	size_t nresponsible;
	rb_agg_measure measure;
	rb_pos measure_pos;
	rb_text filter;          /* which records count (optional) */
	rb_text value;           /* per-record amount (not for count) */
	rb_text where;           /* share: the numerator's condition */
	rb_text unit;
	rb_text require;         /* over `value`, the aggregate */
} rb_m_aggregate;

typedef struct rb_m_fact {
	rb_text name;
	const rb_node *value;    /* scalar */
} rb_m_fact;

typedef struct rb_m_expect {
	rb_text name;            /* rule id, value name, or "rule.obligation" */
	rb_text value;
	int places;              /* {value: 0.9333, places: 4}: compare rounded; -1 exact */
} rb_m_expect;

typedef struct rb_m_test {
	rb_text name;
	int32_t as_of;
	rb_m_fact *facts;
	size_t nfacts;
	rb_m_fact **records;     /* population cases: each a list of facts */
	size_t *nrecord_facts;
	size_t nrecords;
	rb_m_expect *verdicts, *values, *obligations, *targets, *classes, *scores, *aggregates,
		*aggregate_values;
	size_t nverdicts, nvalues, nobligations, ntargets, nclasses, nscores, naggregates,
		naggregate_values;
} rb_m_test;

typedef struct rb_m_override {
	rb_text parameter;
	rb_text cite;
	rb_text reason;
	rb_provenance provenance;
	const char *note;
	rb_m_value *values;
	size_t nvalues;
	rb_pos pos;
} rb_m_override;

typedef struct rb_m_disable {
	rb_text rule;
	rb_text reason;
} rb_m_disable;

typedef struct rb_model rb_model;

struct rb_model {
	rb_arena arena;
	rb_doc *doc;             /* owned; a parent's without its source bytes */
	char file_hash[65];      /* SHA-256 of the file's bytes, for the closure hash */
	rb_model *parent;        /* owned: the rulebook this one extends, merged in */
	rb_text extends;         /* path or id of the parent */
	rb_m_override *overrides;
	size_t noverrides;
	rb_m_disable *disables;
	size_t ndisables;
	const char *file;
	rb_text id;
	rb_i18n title;
	rb_text subject;
	struct {
		const char *issuer, *document, *number, *url, *file;
		int32_t issued;
	} source;
	rb_m_source *sources;    /* `source` (id "") and `sources:`, of this file and its parents */
	size_t nsources;
	int32_t from, until;
	const char *jurisdiction;
	const char *description;
	rb_text *id_columns;     /* `id_column:` names of the record id column */
	size_t nid_columns;
	rb_m_unit *units;
	size_t nunits;
	rb_m_input *inputs;
	size_t ninputs;
	rb_m_param *params;
	size_t nparams;
	rb_m_table *tables;
	size_t ntables;
	rb_m_indicator *indicators;
	size_t nindicators;
	rb_m_rule *rules;
	size_t nrules;
	rb_m_target *targets;
	size_t ntargets;
	rb_m_scorecard *scorecards;
	size_t nscorecards;
	rb_m_aggregate *aggregates;
	size_t naggregates;
	rb_m_test *tests;
	size_t ntests;
};

/* Read the model from a loaded document (taking ownership of doc, also on
 * failure). Reports every schema error it finds into err, each with its
 * position, and returns the status of the first; *out is set only on
 * success. */
rulebook_status rb_model_read(rb_doc *doc, rb_model **out, rulebook_error *err);
void rb_model_free(rb_model *m);

/* Load a rulebook file into a model, following `extends` (paths relative
 * to the file, ids through the search path) and merging each parent in:
 * parent definitions first, then the child's; overrides checked against
 * the parent's units and directions; disabled rules removed. Cycles and
 * chains deeper than 16 are errors. data may be given (a buffer named
 * path) or NULL to read the file. With a resolver (non-NULL), parents come
 * from it instead of files and the search path is not used. */
rulebook_status rb_model_load(const char *path, const char *data, size_t len,
			      const rb_limits *limits, const char *const *search, size_t nsearch,
			      const rb_resolver *resolver, bool allow_extends, rb_model **out,
			      rulebook_error *err);

/* Position of byte offset `off` inside the text of an expression node:
 * exact for single-line plain and quoted scalars and literal blocks. */
rb_pos rb_text_pos_at(const rb_model *m, const rb_text *t, size_t off);

#endif
