'use strict';
/*
 * Node.js bindings of librulebook, over the C ABI with koffi (no compiled
 * addon of our own).
 *
 * Decimal values cross as text in both directions and are returned as
 * strings ("1158.1"): a JS number is a binary double, and turning "0.1" or
 * "1158.1" into one would lose the exactness the library keeps. Pass
 * strings (or bigint) for exact input; a number is converted by the library
 * to the shortest decimal that reads back as the same double.
 */

const fs = require('fs');
const path = require('path');

let koffi;
try {
  koffi = require('koffi');
} catch (e) {
  throw new Error('rulebook: the koffi package is missing; run `npm install` in ' + __dirname +
    ' (' + e.message + ')');
}

/* ------------------------------------------------------------------------
 * Finding and loading the library
 * ------------------------------------------------------------------------ */

const ENV_VAR = 'RULEBOOK_LIBRARY';
const ABI_VERSION = 1000; // RULEBOOK_VERSION_NUMBER this binding was written against

class LibraryNotFoundError extends Error {
  constructor(tried) {
    super('cannot load librulebook. Tried:\n' +
      tried.map(([where, why]) => `  ${where}: ${why}`).join('\n') +
      `\nBuild the library (meson setup build && ninja -C build) or set ${ENV_VAR} ` +
      'to the path of librulebook.so.');
    this.name = 'LibraryNotFoundError';
    this.tried = tried;
  }
}

function buildTreeCandidates(start) {
  const found = [];
  for (let dir = start; ; dir = path.dirname(dir)) {
    let names = [];
    try {
      names = fs.readdirSync(dir);
    } catch (e) {
      names = [];
    }
    const here = [];
    for (const n of names) {
      if (!n.startsWith('build')) continue;
      const so = path.join(dir, n, 'lib', 'librulebook.so');
      try {
        const st = fs.statSync(so);
        if (st.isFile()) here.push([so, st.mtimeMs]);
      } catch (e) { /* not there */ }
    }
    here.sort((a, b) => b[1] - a[1]);
    for (const [so] of here) found.push(so);
    if (path.dirname(dir) === dir) break;
  }
  return found;
}

function candidates() {
  const out = [];
  if (process.env[ENV_VAR]) out.push([`$${ENV_VAR}`, process.env[ENV_VAR]]);
  for (const so of buildTreeCandidates(__dirname)) out.push(['build tree', so]);
  out.push(['system', 'librulebook.so.0']);
  return out;
}

function openLibrary() {
  const tried = [];
  for (const [how, where] of candidates()) {
    let handle;
    try {
      handle = koffi.load(where);
    } catch (e) {
      tried.push([`${how} ${where}`, e.message]);
      if (how === `$${ENV_VAR}`) throw new LibraryNotFoundError(tried);
      continue;
    }
    let number;
    try {
      number = handle.func('uint32_t rulebook_version_number(void)')();
    } catch (e) {
      tried.push([`${how} ${where}`, 'not librulebook: ' + e.message]);
      continue;
    }
    if (Math.floor(number / 1000000) !== Math.floor(ABI_VERSION / 1000000) || number < ABI_VERSION) {
      tried.push([`${how} ${where}`, `version number ${number} is not compatible with this binding`]);
      if (how === `$${ENV_VAR}`) throw new LibraryNotFoundError(tried);
      continue;
    }
    return { handle, path: where };
  }
  throw new LibraryNotFoundError(tried);
}

const opened = openLibrary();

// Every handle is a `void *` (a BigInt, or null for NULL); every returned
// string is copied into a JS string by koffi at once.
const PROTOTYPES = [
  'const char *rulebook_version(void)',
  'const char *rulebook_status_str(int status)',
  'void *rulebook_error_new(void)',
  'void rulebook_error_free(void *err)',
  'size_t rulebook_error_count(void *err)',
  'const char *rulebook_error_message(void *err, size_t i)',
  'const char *rulebook_error_file(void *err, size_t i)',
  'uint32_t rulebook_error_line(void *err, size_t i)',
  'uint32_t rulebook_error_column(void *err, size_t i)',
  'const char *rulebook_error_subject(void *err, size_t i)',
  'int rulebook_error_status_at(void *err, size_t i)',
  'void rulebook_mem_free(void *p)',
  'void *rulebook_options_new(void)',
  'void rulebook_options_free(void *opts)',
  'int rulebook_options_set_limit(void *opts, int limit, uint64_t value)',
  'int rulebook_options_add_search_path(void *opts, const char *dir)',
  'int rulebook_load_file(const char *path, void *opts, _Out_ void **out, void *err)',
  'int rulebook_load_buffer(const uint8_t *data, size_t len, const char *name, void *opts, _Out_ void **out, void *err)',
  'void rulebook_free(void *rb)',
  'const char *rulebook_id(void *rb)',
  'const char *rulebook_title(void *rb, const char *lang)',
  'const char *rulebook_subject(void *rb)',
  'int32_t rulebook_in_force_from(void *rb)',
  'int32_t rulebook_in_force_until(void *rb)',
  'const char *rulebook_hash(void *rb)',
  'size_t rulebook_input_count(void *rb)',
  'const char *rulebook_input_name(void *rb, size_t i)',
  'const char *rulebook_input_type(void *rb, size_t i)',
  'const char *rulebook_input_unit(void *rb, size_t i)',
  'size_t rulebook_rule_count(void *rb)',
  'const char *rulebook_rule_id(void *rb, size_t i)',
  'const char *rulebook_rule_cite(void *rb, size_t i)',
  'const char *rulebook_rule_severity(void *rb, size_t i)',
  'size_t rulebook_rule_responsible_count(void *rb, size_t i)',
  'const char *rulebook_rule_responsible(void *rb, size_t i, size_t j)',
  'size_t rulebook_param_count(void *rb)',
  'const char *rulebook_param_name(void *rb, size_t i)',
  'const char *rulebook_param_unit(void *rb, size_t i)',
  'const char *rulebook_param_cite(void *rb, size_t i)',
  'const char *rulebook_param_provenance(void *rb, size_t i)',
  'const char *rulebook_param_value(void *rb, size_t i, int32_t as_of)',
  'int rulebook_lint(void *rb, int32_t as_of, void *out)',
  'void *rulebook_facts_new(void *rb)',
  'void rulebook_facts_free(void *facts)',
  'void rulebook_facts_clear(void *facts)',
  'int rulebook_facts_set_decimal(void *facts, const char *name, const char *value, void *err)',
  'int rulebook_facts_set_double(void *facts, const char *name, double value, void *err)',
  'int rulebook_facts_set_bool(void *facts, const char *name, int value, void *err)',
  'int rulebook_facts_set_text(void *facts, const char *name, const char *value, void *err)',
  'int rulebook_facts_set_date(void *facts, const char *name, int32_t value, void *err)',
  'int rulebook_facts_set_missing(void *facts, const char *name, void *err)',
  'int rulebook_facts_set_json(void *facts, const uint8_t *json, size_t len, void *err)',
  'int rulebook_facts_set_text_at(void *facts, size_t input, const uint8_t *value, size_t len, void *err)',
  'void *rulebook_result_new(void *rb)',
  'void rulebook_result_free(void *res)',
  'int rulebook_eval(void *rb, void *facts, int32_t as_of, void *out, void *err)',
  'const char *rulebook_result_record_id(void *res)',
  'int rulebook_result_verdict(void *res, size_t rule)',
  'void rulebook_result_counts(void *res, _Out_ uint32_t *out)',
  'const char *rulebook_result_value(void *res, const char *name)',
  'const char *rulebook_result_message(void *res, size_t rule, const char *lang)',
  'const char *rulebook_result_score(void *res, size_t scorecard)',
  'const char *rulebook_result_veto(void *res, size_t scorecard)',
  'int rulebook_result_json(void *res, uint32_t flags, _Out_ void **out, _Out_ size_t *len)',
  'int rulebook_result_explain(void *res, uint32_t flags, _Out_ void **out, _Out_ size_t *len)',
  'int rulebook_eval_json(void *rb, const uint8_t *json, size_t len, int32_t as_of, uint32_t flags, _Out_ void **out, _Out_ size_t *out_len, void *err)',
  'size_t rulebook_target_count(void *rb)',
  'const char *rulebook_target_id(void *rb, size_t i)',
  'const char *rulebook_target_cite(void *rb, size_t i)',
  'const char *rulebook_target_unit(void *rb, size_t i)',
  'size_t rulebook_target_responsible_count(void *rb, size_t i)',
  'const char *rulebook_target_responsible(void *rb, size_t i, size_t j)',
  'size_t rulebook_scorecard_count(void *rb)',
  'const char *rulebook_scorecard_id(void *rb, size_t i)',
  'size_t rulebook_scorecard_component_count(void *rb, size_t i)',
  'const char *rulebook_scorecard_component_id(void *rb, size_t i, size_t k)',
  'size_t rulebook_scorecard_class_count(void *rb, size_t i)',
  'const char *rulebook_scorecard_class_id(void *rb, size_t i, size_t k)',
  'void *rulebook_population_new(void *rb, int32_t as_of)',
  'void rulebook_population_free(void *pop)',
  'int rulebook_population_add(void *pop, void *facts, void *err)',
  'void *rulebook_population_copy(void *pop)',
  'size_t rulebook_population_size(void *pop)',
  'const char *rulebook_population_record_id(void *pop, size_t i)',
  'int rulebook_population_verdict(void *pop, size_t record, size_t rule)',
  'void rulebook_population_counts(void *pop, _Out_ uint32_t *out)',
  'const char *rulebook_population_class(void *pop, size_t record, size_t scorecard)',
  'const char *rulebook_population_score(void *pop, size_t record, size_t scorecard)',
  'size_t rulebook_aggregate_count(void *rb)',
  'const char *rulebook_aggregate_id(void *rb, size_t i)',
  'const char *rulebook_aggregate_cite(void *rb, size_t i)',
  'int rulebook_population_aggregate_verdict(void *pop, size_t i)',
  'const char *rulebook_population_aggregate_value(void *pop, size_t i, int field)',
  'size_t rulebook_population_aggregate_record_count(void *pop, size_t i)',
  'size_t rulebook_population_aggregate_record(void *pop, size_t i, size_t j)',
  'int rulebook_population_json(void *pop, uint32_t flags, _Out_ void **out, _Out_ size_t *len)',
  'int rulebook_run_tests(void *rb, _Out_ void **out, void *err)',
  'void rulebook_test_report_free(void *report)',
  'size_t rulebook_test_report_passed(void *report)',
  'size_t rulebook_test_report_failed(void *report)',
  'const char *rulebook_test_report_case(void *report, size_t i)',
  'const char *rulebook_test_report_check(void *report, size_t i)',
  'const char *rulebook_test_report_expected(void *report, size_t i)',
  'const char *rulebook_test_report_actual(void *report, size_t i)',
  'uint32_t rulebook_test_report_line(void *report, size_t i)',
];

// Added after 0.1.0's first release: used when the library has them,
// worked around when it does not (C[name] is then null).
const OPTIONAL = [
  'int rulebook_facts_set_id(void *facts, const uint8_t *id, size_t len)',
  // Arrays go as TypedArrays (koffi passes their memory, no copy).
  'int rulebook_population_add_table(void *pop, size_t n, const void *inputs, size_t ncols, const void *cells, const void *ids, void *bad_rows, _Out_ size_t *bad_count, void *err)',
  'int rulebook_population_add_columns(void *pop, size_t n, const void *inputs, size_t ncols, const void *values, const void *valid, void *err)',
  'int rulebook_population_report_html(void *pop, const uint8_t *results, size_t results_len, const uint8_t *settings, size_t settings_len, _Out_ void **out, _Out_ size_t *len, void *err)',
  // Results in bulk, into TypedArrays.
  'int rulebook_population_verdicts(void *pop, void *out)',
  'int rulebook_population_classes(void *pop, size_t k, void *out)',
  'int rulebook_population_scores_text(void *pop, size_t k, _Out_ void **out, _Out_ size_t *len)',
  'int rulebook_population_scores_double(void *pop, size_t k, void *out)',
  // Batches on the library's threads.
  'int rulebook_population_set_threads(void *pop, size_t threads)',
  // Packed records: one crossing per record (Rulebook#evaluate).
  'size_t rulebook_packed_record_size(void *rb)',
  'size_t rulebook_packed_result_size(void *rb)',
  'int rulebook_eval_packed(void *rb, void *facts, const void *record, size_t len, int32_t as_of, void *res, void *out, size_t out_len, void *err)',
  // ... with the scores in the same call; the record and results go by
  // address in the arena (koffi.address), not as a typed array per call.
  'size_t rulebook_packed_scored_size(void *rb)',
  'int rulebook_eval_packed_scored(void *rb, void *facts, uintptr_t record, size_t len, int32_t as_of, void *res, uintptr_t out, size_t out_len, void *err)',
  // ... with one argument: the block at the start of the arena
  // (rulebook_packed_call), the record and results at offsets from it.
  'int rulebook_eval_packed_call(uintptr_t call)',
  // How a result is decided.
  'void rulebook_result_set_exact_only(void *res, int exact_only)',
  'int rulebook_result_decided_exactly(void *res)',
  // Decimal text: texts as Buffers, results into a Buffer.
  'int rulebook_decimal_parse(const uint8_t *text, size_t len, void *buf, size_t size, _Out_ size_t *out_len, void *err)',
  'int rulebook_decimal_compare(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen, _Out_ int *out)',
  'int rulebook_decimal_calc(const uint8_t *a, size_t alen, int op, const uint8_t *b, size_t blen, void *buf, size_t size, _Out_ size_t *out_len)',
  'int rulebook_decimal_format(const uint8_t *text, size_t len, int32_t places, int rounding, uint32_t flags, void *buf, size_t size, _Out_ size_t *out_len)',
  // The test cases as data, and the report's columns.
  'uint32_t rulebook_test_report_column(void *report, size_t i)',
  'size_t rulebook_test_count(void *rb)',
  'const char *rulebook_test_name(void *rb, size_t i)',
  'int32_t rulebook_test_as_of(void *rb, size_t i)',
  'uint32_t rulebook_test_line(void *rb, size_t i)',
  'uint32_t rulebook_test_column(void *rb, size_t i)',
  'int rulebook_test_is_population(void *rb, size_t i)',
  'size_t rulebook_test_record_count(void *rb, size_t i)',
  'size_t rulebook_test_fact_count(void *rb, size_t i, size_t r)',
  'const char *rulebook_test_fact_name(void *rb, size_t i, size_t r, size_t j)',
  'const char *rulebook_test_fact_value(void *rb, size_t i, size_t r, size_t j)',
  'uint32_t rulebook_test_fact_line(void *rb, size_t i, size_t r, size_t j)',
  'uint32_t rulebook_test_fact_column(void *rb, size_t i, size_t r, size_t j)',
  'size_t rulebook_test_expect_count(void *rb, size_t i)',
  'int rulebook_test_expect_kind(void *rb, size_t i, size_t j)',
  'const char *rulebook_test_expect_name(void *rb, size_t i, size_t j)',
  'const char *rulebook_test_expect_value(void *rb, size_t i, size_t j)',
  'int32_t rulebook_test_expect_places(void *rb, size_t i, size_t j)',
  'uint32_t rulebook_test_expect_line(void *rb, size_t i, size_t j)',
  'uint32_t rulebook_test_expect_column(void *rb, size_t i, size_t j)',
  // Where items are written; a rule's comparisons and the values it used.
  'const char *rulebook_item_file(void *rb, int kind, size_t i)',
  'uint32_t rulebook_item_line(void *rb, int kind, size_t i)',
  'uint32_t rulebook_item_column(void *rb, int kind, size_t i)',
  'size_t rulebook_rule_comparison_count(void *rb, size_t rule)',
  'const char *rulebook_result_comparison(void *res, size_t rule, size_t j, int field)',
  'size_t rulebook_result_used_count(void *res, size_t rule)',
  'const char *rulebook_result_used_name(void *res, size_t rule, size_t j)',
  'const char *rulebook_result_used_kind(void *res, size_t rule, size_t j)',
  'const char *rulebook_result_used_unit(void *res, size_t rule, size_t j)',
  'const char *rulebook_result_used_value(void *res, size_t rule, size_t j)',
  // Exact gap parts, errors, illustrative verdicts, what unknowns miss.
  'const char *rulebook_result_gap_part(void *res, size_t rule, size_t j, int field)',
  'int rulebook_result_illustrative(void *res, size_t rule)',
  'const char *rulebook_result_error(void *res, size_t rule)',
  'size_t rulebook_result_target_missing_count(void *res, size_t target)',
  'const char *rulebook_result_target_missing(void *res, size_t target, size_t j)',
  'const char *rulebook_result_class_error(void *res, size_t scorecard)',
  'size_t rulebook_result_class_missing_count(void *res, size_t scorecard)',
  'const char *rulebook_result_class_missing(void *res, size_t scorecard, size_t j)',
  'const char *rulebook_result_class_missing_part(void *res, size_t scorecard, size_t j)',
  // The identity of the whole closure.
  'const char *rulebook_file_hash(void *rb)',
  'size_t rulebook_parent_count(void *rb)',
  'const char *rulebook_parent_id(void *rb, size_t i)',
  'const char *rulebook_parent_hash(void *rb, size_t i)',
  // Per-record vetoes and consequences; what leaves an aggregate unknown.
  'const char *rulebook_population_veto(void *pop, size_t record, size_t scorecard)',
  'size_t rulebook_population_consequence_count(void *pop, size_t record, size_t scorecard)',
  'const char *rulebook_population_consequence_name(void *pop, size_t record, size_t scorecard, size_t j)',
  'const char *rulebook_population_consequence_value(void *pop, size_t record, size_t scorecard, size_t j)',
  'const char *rulebook_population_consequence_unit(void *pop, size_t record, size_t scorecard, size_t j)',
  'size_t rulebook_population_aggregate_undecided_count(void *pop, size_t i)',
  'size_t rulebook_population_aggregate_undecided(void *pop, size_t i, size_t j)',
  'size_t rulebook_population_aggregate_missing_count(void *pop, size_t i)',
  'const char *rulebook_population_aggregate_missing(void *pop, size_t i, size_t j)',
  // What a rulebook declares: documents, titles, labels, other names, list
  // inputs' fields, items (declarations.js).
  'size_t rulebook_document_count(void *rb)',
  'const char *rulebook_document_id(void *rb, size_t d)',
  'const char *rulebook_document_issuer(void *rb, size_t d)',
  'const char *rulebook_document_title(void *rb, size_t d)',
  'const char *rulebook_document_number(void *rb, size_t d)',
  'int32_t rulebook_document_issued(void *rb, size_t d)',
  'int64_t rulebook_rule_document(void *rb, size_t i)',
  'const char *rulebook_rule_title(void *rb, size_t i, const char *lang)',
  'const char *rulebook_target_title(void *rb, size_t i, const char *lang)',
  'const char *rulebook_scorecard_title(void *rb, size_t i, const char *lang)',
  'const char *rulebook_scorecard_cite(void *rb, size_t i)',
  'const char *rulebook_aggregate_title(void *rb, size_t i, const char *lang)',
  'const char *rulebook_aggregate_unit(void *rb, size_t i)',
  'size_t rulebook_aggregate_responsible_count(void *rb, size_t i)',
  'const char *rulebook_aggregate_responsible(void *rb, size_t i, size_t j)',
  'const char *rulebook_input_label(void *rb, size_t i, const char *lang)',
  'size_t rulebook_input_alias_count(void *rb, size_t i)',
  'const char *rulebook_input_alias(void *rb, size_t i, size_t j)',
  'size_t rulebook_id_column_count(void *rb)',
  'const char *rulebook_id_column(void *rb, size_t j)',
  'const char *rulebook_input_element_type(void *rb, size_t i)',
  'size_t rulebook_input_field_count(void *rb, size_t i)',
  'const char *rulebook_input_field_name(void *rb, size_t i, size_t j)',
  'const char *rulebook_input_field_type(void *rb, size_t i, size_t j)',
  'const char *rulebook_input_field_unit(void *rb, size_t i, size_t j)',
  'size_t rulebook_item_count(void *rb, int kind)',
  'const char *rulebook_item_id(void *rb, int kind, size_t i)',
  'size_t rulebook_item_uses_count(void *rb, int kind, size_t i)',
  'const char *rulebook_item_uses(void *rb, int kind, size_t i, size_t j)',
  'const char *rulebook_item_definition(void *rb, int kind, size_t i)',
  'int64_t rulebook_item_document(void *rb, int kind, size_t i)',
  'uint32_t rulebook_version_number(void)',
  // Populations as bytes, merged, their scores as decimal128 (transfer.js).
  'int rulebook_population_scores_decimal128(void *pop, size_t k, int32_t scale, void *out, void *valid, void *err)',
  'int rulebook_population_merge(void *pop, void *src, void *err)',
  'int rulebook_population_save(void *pop, _Out_ void **out, _Out_ size_t *len)',
  'int rulebook_population_save_deferred(void *pop, _Out_ void **out, _Out_ size_t *len)',
  'int rulebook_population_load(void *rb, const uint8_t *data, size_t len, _Out_ void **out, void *err)',
  'int32_t rulebook_population_as_of(void *pop)',
  // Loading options (loading.js).
  'int rulebook_options_allow_extends(void *opts, int allow)',
  'int rulebook_options_set_resolver(void *opts, void *fn, void *payload)',
  // List facts (lists.js).
  'int rulebook_facts_set_list_text_at(void *facts, size_t input, const char **values, const size_t *lens, size_t n, void *err)',
  'int rulebook_facts_set_list_double_at(void *facts, size_t input, const double *values, size_t n, void *err)',
];

const C = {};
for (const proto of PROTOTYPES) {
  const name = /(rulebook_[a-z0-9_]+)\(/.exec(proto)[1];
  C[name] = opened.handle.func(proto);
}
for (const proto of OPTIONAL) {
  const name = /(rulebook_[a-z0-9_]+)\(/.exec(proto)[1];
  try {
    C[name] = opened.handle.func(proto);
  } catch (e) {
    C[name] = null;
  }
}

/* ------------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------------ */

const Status = Object.freeze({
  OK: 0, NOMEM: 1, IO: 2, SYNTAX: 3, SCHEMA: 4, EXPR: 5, NAME: 6, TYPE: 7, UNIT: 8,
  CYCLE: 9, VALUE: 10, RANGE: 11, LIMIT: 12, INVALID: 13, NOT_FOUND: 14, TEST: 15, LINT: 16,
  NOTE: 17,
});
const STATUS_NAMES = Object.fromEntries(Object.entries(Status).map(([k, v]) => [v, k.toLowerCase()]));

function diagText(d) {
  let where = '';
  if (d.file) {
    where = d.file;
    if (d.line) {
      where += `:${d.line}`;
      if (d.column) where += `:${d.column}`;
    }
    where += ': ';
  }
  return where + d.message;
}

/** Base class of every error the library reports. */
class RulebookError extends Error {
  constructor(message, diagnostics = [], status = undefined, record = undefined) {
    const diags = diagnostics.slice();
    const first = diags[0];
    const st = status !== undefined ? status : first ? first.status : new.target.status;
    const msg = message || (first ? first.message : '');
    let text = first ? diagText(first) : msg;
    if (first && msg !== first.message) text = msg + ': ' + text;
    if (record !== undefined && record !== null) text = `record ${record}: ${text}`;
    if (diags.length > 1) {
      text += ` (and ${diags.length - 1} more: ` +
        diags.slice(1, 4).map(diagText).join('; ') + (diags.length > 4 ? '; ...)' : ')');
    }
    super(text);
    this.name = new.target.name;
    this.status = st;
    this.statusName = STATUS_NAMES[st] || String(st);
    this.diagnostics = diags;
    this.record = record === undefined ? null : record;
    this.file = first ? first.file : null;
    this.line = first ? first.line : 0;
    this.column = first ? first.column : 0;
    this.subject = first ? first.subject : null;
    this.detail = msg;
  }
}
RulebookError.status = Status.INVALID;

function errorClass(name, status, doc) {
  const cls = { [name]: class extends RulebookError {} }[name];
  cls.status = status;
  cls.description = doc;
  return cls;
}

const OutOfMemoryError = errorClass('OutOfMemoryError', Status.NOMEM, 'memory allocation failed');
const RulebookIOError = errorClass('RulebookIOError', Status.IO, 'a file could not be opened or read');
const ParseError = errorClass('ParseError', Status.SYNTAX, 'the YAML or JSON text is not well formed');
const SchemaError = errorClass('SchemaError', Status.SCHEMA, 'unknown, duplicate or missing key; wrong kind of value');
const ExpressionError = errorClass('ExpressionError', Status.EXPR, 'an expression or unit does not parse');
const NamingError = errorClass('NamingError', Status.NAME, 'unknown or duplicate name');
const RulebookTypeError = errorClass('RulebookTypeError', Status.TYPE, 'operands of the wrong type');
const UnitError = errorClass('UnitError', Status.UNIT, 'incompatible or unknown units');
const CycleError = errorClass('CycleError', Status.CYCLE, 'indicators that depend on themselves');
const FactError = errorClass('FactError', Status.VALUE, 'a bad fact value: wrong type, bad number or date');
const NumberRangeError = { NumberRangeError: class extends FactError {} }.NumberRangeError;
NumberRangeError.status = Status.RANGE;
const LimitError = errorClass('LimitError', Status.LIMIT, 'a size, depth or count limit was exceeded');
const InvalidArgumentError = errorClass('InvalidArgumentError', Status.INVALID, 'invalid argument');
const NotFoundError = errorClass('NotFoundError', Status.NOT_FOUND, 'no such input, rule or name');
const RulebookTestError = errorClass('RulebookTestError', Status.TEST, "a rulebook's own test cases failed");
const ClosedError = errorClass('ClosedError', Status.INVALID, 'the object (or its rulebook) is closed');

const BY_STATUS = {
  [Status.NOMEM]: OutOfMemoryError, [Status.IO]: RulebookIOError, [Status.SYNTAX]: ParseError,
  [Status.SCHEMA]: SchemaError, [Status.EXPR]: ExpressionError, [Status.NAME]: NamingError,
  [Status.TYPE]: RulebookTypeError, [Status.UNIT]: UnitError, [Status.CYCLE]: CycleError,
  [Status.VALUE]: FactError, [Status.RANGE]: NumberRangeError, [Status.LIMIT]: LimitError,
  [Status.INVALID]: InvalidArgumentError, [Status.NOT_FOUND]: NotFoundError,
  [Status.TEST]: RulebookTestError,
};

// One error object for the whole process: JS runs on one thread, and the
// diagnostics are copied out right after the failing call.
const ERR = C.rulebook_error_new();

function diagnosticsOf(err) {
  const out = [];
  const n = Number(C.rulebook_error_count(err));
  for (let i = 0; i < n; i++) {
    out.push(Object.freeze({
      status: C.rulebook_error_status_at(err, i),
      message: C.rulebook_error_message(err, i) || '',
      file: C.rulebook_error_file(err, i),
      line: C.rulebook_error_line(err, i),
      column: C.rulebook_error_column(err, i),
      subject: C.rulebook_error_subject(err, i),
    }));
  }
  return out;
}

function fail(status, err, record, message) {
  let diags = err ? diagnosticsOf(err) : [];
  if (!diags.length) {
    diags = [{ status, message: message || C.rulebook_status_str(status), file: null, line: 0,
      column: 0, subject: null }];
  }
  const Cls = BY_STATUS[status] || RulebookError;
  throw new Cls('', diags, status, record);
}

function need(name) {
  if (!C[name]) throw new Error(`rulebook: the loaded librulebook has no ${name}`);
}

/* ------------------------------------------------------------------------
 * Decimal text (rulebook_decimal_*): the library's own exact parsing,
 * comparison, arithmetic and rounding
 * ------------------------------------------------------------------------ */

const DECIMAL_BUFSIZE = 1024;
const ROUNDINGS = { half_up: 0, half_even: 1, down: 2, floor: 3, ceiling: 4 };
const DECIMAL_OPS = { '+': 0, '-': 1, '*': 2, '/': 3 };

function decimalBytes(v) {
  if (typeof v === 'bigint') return Buffer.from(v.toString(), 'utf8');
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  if (typeof v === 'number' && Number.isSafeInteger(v)) return Buffer.from(String(v), 'utf8');
  throw new TypeError('a decimal text, a bigint or a safe integer is needed');
}

function decimalOut(call) {
  const buf = Buffer.alloc(DECIMAL_BUFSIZE);
  const n = [0];
  const st = call(buf, n);
  if (st) fail(st);
  return buf.toString('utf8', 0, Number(n[0]));
}

/** The plain form of a decimal text: "37.00" -> "37", "2.3%" -> "0.023". */
function decimalParse(text) {
  need('rulebook_decimal_parse');
  const b = decimalBytes(text);
  const buf = Buffer.alloc(DECIMAL_BUFSIZE);
  const n = [0];
  const st = C.rulebook_decimal_parse(b, b.length, buf, DECIMAL_BUFSIZE, n, ERR);
  if (st) fail(st, ERR);
  return buf.toString('utf8', 0, Number(n[0]));
}

/** -1, 0 or 1 as a < b, a == b, a > b, exactly ("1.20" equals "1.2"). */
function decimalCompare(a, b) {
  need('rulebook_decimal_compare');
  const x = decimalBytes(a);
  const y = decimalBytes(b);
  const out = [0];
  const st = C.rulebook_decimal_compare(x, x.length, y, y.length, out);
  if (st) fail(st);
  return out[0];
}

/** a op b for op in '+', '-', '*', '/', exact within 18 significant digits. */
function decimalCalc(a, op, b) {
  need('rulebook_decimal_calc');
  if (!(op in DECIMAL_OPS)) throw new InvalidArgumentError(`op must be one of + - * /, not ${op}`);
  const x = decimalBytes(a);
  const y = decimalBytes(b);
  return decimalOut((buf, n) => C.rulebook_decimal_calc(x, x.length, DECIMAL_OPS[op], y, y.length,
    buf, DECIMAL_BUFSIZE, n));
}

/**
 * A decimal for people: places digits (undefined keeps every digit),
 * rounding 'half_up' (四舍五入), 'half_even', 'down', 'floor' or 'ceiling';
 * thousands separators, fixed places, a '+' sign on positives.
 */
function decimalFormat(value, { places, rounding = 'half_up', thousands = false, fixed = false,
  sign = false } = {}) {
  need('rulebook_decimal_format');
  if (!(rounding in ROUNDINGS)) throw new InvalidArgumentError(`unknown rounding ${rounding}`);
  const b = decimalBytes(value);
  const flags = (thousands ? 1 : 0) | (fixed ? 2 : 0) | (sign ? 4 : 0);
  return decimalOut((buf, n) => C.rulebook_decimal_format(b, b.length,
    places === undefined || places === null ? -1 : places, ROUNDINGS[rounding], flags, buf,
    DECIMAL_BUFSIZE, n));
}

/* rulebook_expect_kind, rulebook_gap_field */
const EXPECT_KINDS = ['verdict', 'value', 'obligation', 'target', 'class', 'score', 'aggregate',
  'aggregate_value'];
const GAP = { VALUE: 0, ACTUAL: 1, THRESHOLD: 2, UNIT: 3, OPERATOR: 4, NAME: 5, TEXT: 6,
  THRESHOLD_NAME: 7, HOLDS: 8 };
const ITEM_RULE = 0;

function factError(name, message) {
  return new FactError(message, [{ status: Status.VALUE, message, file: null, line: 0, column: 0,
    subject: name || null }]);
}

/* ------------------------------------------------------------------------
 * Ownership
 *
 * Each C object has one Handle. It is freed once, when its owner was closed
 * (close(), or collected by the garbage collector) and no dependent uses it
 * any more: results and populations count as users of their rulebook's
 * handle, so objects can be closed or collected in any order.
 * ------------------------------------------------------------------------ */

class Handle {
  constructor(ptr, free, kind, parent) {
    if (parent) parent.acquire(true);
    this.ptr = ptr;
    this.free = free;
    this.kind = kind;
    this.parent = parent || null;
    this.refs = 0;
    this.closed = false;
  }

  acquire(dependent = false) {
    if ((this.closed && !dependent) || this.ptr === null) throw new ClosedError(`the ${this.kind} is closed`);
    this.refs++;
    return this.ptr;
  }

  release() {
    this.refs--;
    if (this.closed && this.refs === 0) this.destroy();
  }

  get() {
    if (this.ptr === null) throw new ClosedError(`the ${this.kind} is closed`);
    return this.ptr;
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    if (this.refs === 0) this.destroy();
  }

  destroy() {
    const p = this.ptr;
    this.ptr = null;
    if (p !== null) this.free(p);
    const parent = this.parent;
    this.parent = null;
    if (parent) parent.release();
  }
}

const hasOwn = Object.prototype.hasOwnProperty;
const registry = new FinalizationRegistry((handle) => handle.close());
const INTERNAL = Symbol('internal');
// `using rb = Rulebook.load(...)` where the runtime supports it.
const DISPOSE = Symbol.dispose || Symbol.for('nodejs.dispose');

function plain(facts) {
  if (facts instanceof Map) return Object.fromEntries(facts);
  if (facts === null || typeof facts !== 'object') {
    throw new InvalidArgumentError('facts must be an object mapping input names to values');
  }
  return facts;
}

function own(obj, handle) {
  registry.register(obj, handle, obj);
  return handle;
}

function disown(obj, handle) {
  registry.unregister(obj);
  handle.close();
}

/* ------------------------------------------------------------------------
 * Values
 * ------------------------------------------------------------------------ */

const VERDICTS = Object.freeze(['invalid', 'pass', 'fail', 'not_applicable', 'exempt', 'unknown',
  'not_in_force', 'error']);
const LIMITS = Object.freeze({ fileSize: 0, depth: 1, nodes: 2, scalar: 3, exprDepth: 4,
  exprLength: 5, names: 6 });
const OUT_LANG_EN = 1;
const OUT_PRETTY = 2;
const OUT_VERDICTS = 4;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DEC_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function langFlag(lang) {
  if (lang === undefined || lang === 'zh') return 0;
  if (lang === 'en') return OUT_LANG_EN;
  throw new InvalidArgumentError(`lang must be 'zh' or 'en', not ${JSON.stringify(lang)}`);
}

function validYmd(y, m, d) {
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  const dim = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= dim;
}

/* A Date at exactly UTC midnight (what new Date('2023-06-30') makes) is read
 * in UTC; any other Date by its local calendar day. */
function dateParts(date) {
  if (Number.isNaN(date.getTime())) return null;
  if (date.getUTCHours() === 0 && date.getUTCMinutes() === 0 && date.getUTCSeconds() === 0 &&
      date.getUTCMilliseconds() === 0) {
    return [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  }
  return [date.getFullYear(), date.getMonth() + 1, date.getDate()];
}

function pad(n, w) {
  return String(n).padStart(w, '0');
}

function ymdText([y, m, d]) {
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

function intToDateText(i) {
  if (!i) return null;
  return ymdText([Math.floor(i / 10000), Math.floor(i / 100) % 100, i % 100]);
}

function asOfInt(asOf) {
  let parts;
  if (asOf === undefined || asOf === null) {
    const now = new Date();
    parts = [now.getFullYear(), now.getMonth() + 1, now.getDate()];
  } else if (asOf instanceof Date) {
    parts = dateParts(asOf);
  } else if (typeof asOf === 'string') {
    const m = DATE_RE.exec(asOf);
    parts = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
  } else if (typeof asOf === 'number' && Number.isInteger(asOf)) {
    parts = [Math.floor(asOf / 10000), Math.floor(asOf / 100) % 100, asOf % 100];
  }
  if (!parts || !validYmd(...parts)) {
    throw new InvalidArgumentError(`asOf ${String(asOf)} is not a date (use a Date, 'YYYY-MM-DD' or YYYYMMDD)`);
  }
  return parts[0] * 10000 + parts[1] * 100 + parts[2];
}

function isDecimalObject(v) {
  // decimal.js, big.js, bignumber.js and the like
  return v !== null && typeof v === 'object' && typeof v.toFixed === 'function' &&
    typeof v.toString === 'function' && !(v instanceof Date);
}

function numberText(name, v) {
  if (!Number.isFinite(v)) throw factError(name, `${v} is not a usable number for input '${name}'`);
  return String(v);
}

/** A fact value as JSON text for rulebook_facts_set_json / eval_json. */
function factJSON(name, v) {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'boolean': return v ? 'true' : 'false';
    case 'number': return numberText(name, v);
    case 'bigint': return v.toString();
    case 'string': return JSON.stringify(v);
    default: break;
  }
  if (v instanceof Date) {
    const p = dateParts(v);
    if (!p) throw factError(name, `input '${name}': invalid Date`);
    return '"' + ymdText(p) + '"';
  }
  if (Array.isArray(v)) return '[' + v.map((x) => factJSON(name, x)).join(',') + ']';
  if (isDecimalObject(v)) return JSON.stringify(v.toString());
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) {
    /* an element of a list of records: its fields by name */
    return '{' + Object.keys(v).map((k) => JSON.stringify(k) + ':' + factJSON(name, v[k])).join(',') + '}';
  }
  throw factError(name, `input '${name}': cannot use ${Object.prototype.toString.call(v)} as a fact ` +
    '(use a string, number, bigint, boolean, Date, an array or null)');
}

/** A value's text as JS: decimal strings stay strings, booleans become
 * booleans, dates stay 'YYYY-MM-DD'. */
function typedValue(text, kind) {
  if (text === null || text === undefined) return null;
  if (kind === 'boolean') return text === 'true';
  if (kind && kind !== 'boolean') return text;
  if (text === 'true') return true;
  if (text === 'false') return false;
  return text;
}

function takeText(ptr, len) {
  return len ? koffi.decode.string(ptr, Number(len)) : '';
}

/* ------------------------------------------------------------------------
 * Packed records: Rulebook#evaluate crosses into the library once per
 * record (rulebook_eval_packed). The record is packed into an arena: one
 * 8-byte slot per input and one for "_id", a tag byte per slot, then the
 * text, as include/rulebook.h lays it out; the library writes the class
 * codes and verdicts into the bytes just before it. A result keeps its
 * bytes (verdicts and classes decode from them when read) and the record's
 * packed facts, to evaluate them again should it need the C result after
 * another record has replaced it. The arena is given up when full, not
 * reused; results still holding it keep it (and the rulebook) alive.
 * ------------------------------------------------------------------------ */

const PK_DOUBLE = 1;
const PK_TEXT = 2;
const PK_DECIMAL = 3;
const PK_BOOL = 4;
const PK_DATE = 5;
const ARENA_BYTES = 1 << 16;
// rulebook_packed_call (include/rulebook.h): four pointers, then uint32
// record_at, record_len, out_at, out_len, int32 as_of, uint32 reserved
const PTR = koffi.sizeof('void *');
const CALL_BYTES = (4 * PTR + 24 + 7) & ~7;

class PackArena {
  constructor(bytes, rbHandle, pk) {
    this.u8 = new Uint8Array(bytes);
    this.f64 = new Float64Array(this.u8.buffer);
    this.u32 = new Uint32Array(this.u8.buffer);
    this.i16 = new Int16Array(this.u8.buffer);
    this.i32 = new Int32Array(this.u8.buffer);
    // Where its memory is, for the packed calls that take addresses: an
    // ArrayBuffer of this size lives outside V8's heap and does not move;
    // the arena is held (by the rulebook) while the library reads and
    // writes it.
    this.addr = pk.scored ? Number(koffi.address(this.u8)) : 0;
    // With rulebook_eval_packed_call the arena starts with the call's
    // block: the pointers set here, the offsets (in u32 from callAt) per
    // record.
    this.callAt = 0;
    this.pos = 0;
    if (pk.call) {
      const ptrs = [rbHandle.ptr, pk.facts, pk.res, ERR].map((q) => BigInt(koffi.address(q)));
      if (PTR === 8) new BigUint64Array(this.u8.buffer, 0, 4).set(ptrs);
      else new Uint32Array(this.u8.buffer, 0, 4).set(ptrs.map(Number));
      this.callAt = PTR;
      this.pos = CALL_BYTES;
    }
    // Results decoded from this arena can still read their C result, which
    // needs the rulebook: the arena holds it until it is collected.
    registry.register(this, new Handle(1n, () => {}, 'result', rbHandle));
  }
}

/* The packed-record state of a rulebook; its C facts and result are made
 * on first use and freed with the rulebook. (The arena stays with the
 * Rulebook object: the rulebook's handle, which the arena's token holds,
 * must not lead back to it.) */
function packState(ptr) {
  if (!C.rulebook_eval_packed) return null;
  const n = Number(C.rulebook_input_count(ptr));
  /* With rulebook_eval_packed_scored the results start with a double per
   * scorecard and end with a flag byte per scorecard (include/rulebook.h). */
  const scored = C.rulebook_eval_packed_scored !== null;
  const nsc = Number(C.rulebook_scorecard_count(ptr));
  const classAt = scored ? 8 * nsc : 0;
  return {
    fixed: Number(C.rulebook_packed_record_size(ptr)),
    out: Number(scored ? C.rulebook_packed_scored_size(ptr) : C.rulebook_packed_result_size(ptr)),
    scored,
    call: scored && C.rulebook_eval_packed_call !== null,
    classAt,
    verdictAt: classAt + 2 * nsc,
    flagAt: classAt + 2 * nsc + Number(C.rulebook_rule_count(ptr)),
    tags: 8 * (n + 1),
    n,
    facts: null,
    res: null,
    gen: 0,
    // the plan of the last record's keys, and the plans by key set
    plan: null,
    plans: new Map(),
    rid: null, // the record id a plan's packer found
    packing: false, // a record is being packed (its getters may call evaluate)
  };
}

/* How records with these keys (in this order) are packed: the input index
 * of each key (-1 for a "_" key, -2 for "_id", -3 for a key that is not an
 * input, refused in its turn) and a packer made for them, which reads each
 * value by its key and writes its slot and tag. The packer returns the end
 * of the text, PACK_SETTERS when a value needs the typed setters, PACK_ROOM
 * when the arena is too small. */
const PACK_SETTERS = -1;
const PACK_ROOM = -2;
const PACK_HELP = Object.freeze({ packOther, packText, badNumber, notAnInput });

function makePlan(rb, keys) {
  const pk = rb._pk;
  const idx = new Int32Array(keys.length);
  const present = new Uint8Array(pk.n);
  const body = [];
  for (let j = 0; j < keys.length; j++) {
    const name = keys[j];
    let i;
    if (name.charCodeAt(0) === 95) i = name === '_id' ? -2 : -1; // "_"
    else {
      const k = rb._inputIdx.get(name);
      i = k === undefined ? -3 : k;
    }
    idx[j] = i;
    const key = JSON.stringify(name);
    const get = `rec[${key}]`; // never "__proto__": it starts with "_"
    if (i === -3) {
      body.push(`throw H.notAnInput(rb, ${key});`);
      break;
    }
    if (i === -2) body.push(`v = ${get}; if (v !== null && v !== undefined) pk.rid = String(v);`);
    if (i < 0) continue;
    present[i] = 1;
    body.push(`v = ${get};
  if (typeof v === 'number') {
    if (v - v !== 0) throw H.badNumber(${key}, v);
    f64[slot + ${i}] = v;
    u8[tags + ${i}] = ${PK_DOUBLE};
  } else if (typeof v === 'string') {
    tp = H.packText(u8, u32, slot + ${i}, tp, lim, rs, v);
    if (tp < 0) return tp;
    u8[tags + ${i}] = ${PK_TEXT};
  } else if (v === null || v === undefined) {
    u8[tags + ${i}] = 0;
  } else {
    tp = H.packOther(${key}, v, u8, f64, u32, slot + ${i}, tags + ${i}, tp, lim, rs);
    if (tp < 0) return tp;
  }`);
  }
  // inputs without a key are missing, and so is the id until found
  const zero = [];
  for (let i = 0; i < pk.n; i++) if (!present[i]) zero.push(`u8[tags + ${i}] = 0;`);
  zero.push(`u8[tags + ${pk.n}] = 0;`, 'pk.rid = null;');
  const pack = new Function('H', `return function pack(rb, pk, rec, u8, f64, u32, slot, tags, tp, lim, rs) {
  let v;
  ${zero.join('\n  ')}
  ${body.join('\n  ')}
  return tp;
};`)(PACK_HELP);
  return { keys, idx, pack };
}

/* s as UTF-8 into slot (its offset from rs and length) from tp; the end,
 * or PACK_ROOM when it might not fit below lim. */
function packText(u8, u32, slot, tp, lim, rs, s) {
  if (tp + 3 * s.length > lim) return PACK_ROOM;
  const end = utf8Into(u8, tp, s);
  u32[2 * slot] = tp - rs;
  u32[2 * slot + 1] = end - tp;
  return end;
}

function badNumber(name, v) {
  return factError(name, `${v} is not a usable number for input '${name}'`);
}

/* A value other than a number, string, null or undefined into its slot:
 * booleans, Dates, bigints and decimal objects; arrays and Dates outside
 * the years 1000-9999 need the typed setters. */
function packOther(name, v, u8, f64, u32, slot, tag, tp, lim, rs) {
  switch (typeof v) {
    case 'boolean':
      f64[slot] = v ? 1 : 0;
      u8[tag] = PK_BOOL;
      return tp;
    case 'bigint':
    case 'object': {
      if (v instanceof Date) {
        const dp = dateParts(v);
        if (!dp) throw factError(name, `input '${name}': invalid Date`);
        if (dp[0] < 1000 || dp[0] > 9999) return PACK_SETTERS;
        f64[slot] = dp[0] * 10000 + dp[1] * 100 + dp[2];
        u8[tag] = PK_DATE;
        return tp;
      }
      /* a list goes by the general path (the list setters) */
      if (Array.isArray(v)) return PACK_SETTERS;
      if (typeof v === 'object' && !isDecimalObject(v)) {
        factJSON(name, v); // throws the reason
        throw factError(name, `input '${name}': cannot use an object as a fact (records go inside an array)`);
      }
      const t = v.toString();
      if (t.length > 64) return PACK_SETTERS;
      const end = packText(u8, u32, slot, tp, lim, rs, t);
      if (end >= 0) u8[tag] = PK_DECIMAL;
      return end;
    }
    default:
      factJSON(name, v); // throws the reason
      throw factError(name, `input '${name}': cannot use a ${typeof v} as a fact`);
  }
}

/* s as UTF-8 into u8 from pos, which has room for 3 bytes per UTF-16 unit;
 * a lone surrogate becomes U+FFFD, as Buffer.from(s) makes it. Returns the
 * end. */
function utf8Into(u8, pos, s) {
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      u8[pos++] = c;
    } else if (c < 0x800) {
      u8[pos++] = 0xC0 | (c >> 6);
      u8[pos++] = 0x80 | (c & 63);
    } else {
      if (c >= 0xD800 && c <= 0xDFFF) {
        const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xDBFF && d >= 0xDC00 && d <= 0xDFFF) {
          const cp = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
          u8[pos++] = 0xF0 | (cp >> 18);
          u8[pos++] = 0x80 | ((cp >> 12) & 63);
          u8[pos++] = 0x80 | ((cp >> 6) & 63);
          u8[pos++] = 0x80 | (cp & 63);
          i++;
          continue;
        }
        c = 0xFFFD;
      }
      u8[pos++] = 0xE0 | (c >> 12);
      u8[pos++] = 0x80 | ((c >> 6) & 63);
      u8[pos++] = 0x80 | (c & 63);
    }
  }
  return pos;
}

function notAnInput(rb, name) {
  /* Named here in full: the C setters take NUL-terminated names, so
   * "tax\0evil" would reach them as "tax". */
  const msg = `'${name.replace(/\0/g, '\\0')}' is not an input of rulebook '${rb.id}'`;
  return new NotFoundError('', [{ status: Status.NOT_FOUND, message: msg, file: null, line: 0,
    column: 0, subject: name }], Status.NOT_FOUND);
}

/* ------------------------------------------------------------------------
 * Results
 * ------------------------------------------------------------------------ */

class RuleResult {
  constructor(result, index, d, lang, inputTypes) {
    Object.defineProperty(this, '_result', { value: result });
    Object.defineProperty(this, '_lang', { value: lang });
    this.index = index;
    this.id = d.id;
    this.verdict = d.verdict;
    this.exception = d.exception ? d.exception.id : null;
    this.exceptionCite = d.exception ? d.exception.cite : null;
    this.missing = Object.freeze((d.missing || []).slice());
    this.error = d.error === undefined ? null : d.error;
    this.cite = d.cite === undefined ? null : d.cite;
    this.file = d.file === undefined ? null : d.file;
    this.title = d.title === undefined ? null : d.title;
    this.severity = d.severity === undefined ? null : d.severity;
    this.responsible = Object.freeze((d.responsible || []).slice());
    this.illustrative = !!d.illustrative;
    /* index of the cited document in the result JSON's "documents" */
    this.document = d.document === undefined ? null : d.document;
    /* all_of / any_of: the rules this one requires, each with its verdict and gap */
    this.partsMode = d.all_of ? 'all_of' : d.any_of ? 'any_of' : null;
    this.parts = Object.freeze((d.all_of || d.any_of || []).map((p) => Object.freeze({
      rule: p.rule, verdict: p.verdict, cite: p.cite === undefined ? null : p.cite,
      gap: p.gap === undefined ? null : p.gap,
    })));
    this.gap = d.gap ? Object.freeze({ ...d.gap }) : null;
    const values = {};
    for (const [name, v] of Object.entries(d.values || {})) {
      values[name] = Object.freeze({
        value: typedValue(v.value, v.kind === 'input' ? inputTypes[name] : undefined),
        unit: v.unit === undefined ? null : v.unit,
        kind: v.kind,
        provenance: v.provenance === undefined ? null : v.provenance,
        cite: v.cite === undefined ? null : v.cite,
        key: v.key === undefined ? null : v.key,
        document: v.document === undefined ? null : v.document,
      });
    }
    this.values = Object.freeze(values);
    this.obligations = Object.freeze((d.obligations || []).map((o) => Object.freeze({ ...o })));
    Object.defineProperty(this, '_message', { value: d.message === undefined ? null : d.message });
  }

  /** The rendered message in lang ('zh' or 'en'); '' if the rule has none. */
  message(lang = 'zh') {
    if (lang === this._lang && this._message !== null) return this._message;
    return this._result._message(this.index, lang);
  }

  get passed() { return this.verdict === 'pass'; }

  get failed() { return this.verdict === 'fail'; }
}

/**
 * The evaluation of one record. From Rulebook#evaluate it holds a C result;
 * from Rulebook#evaluateMany it holds the JSON the library returned and
 * evaluates its record again, once, for what that JSON lacks (a message in
 * the other language, an explanation, a value no rule used).
 */
class Result {
  constructor(token) {
    if (token !== INTERNAL) throw new TypeError('results are made by Rulebook#evaluate() and evaluateMany()');
  }

  static _new(rb, asOf, handle, data, lang, facts, full) {
    const self = new Result(INTERNAL);
    self._rb = rb;
    self._asOf = asOf;
    self._h = handle;
    self._facts = facts || null;
    // _brief: the JSON evaluateMany() got (verdicts, exceptions, missing
    // inputs; everything when full); _raw: full JSON objects by language.
    self._brief = data || null;
    self._raw = new Map();
    if (data && full) self._raw.set(lang, data);
    self._rules = new Map();
    self._closed = false;
    // A result read from JSON holds a token that keeps the rulebook alive
    // so the record can be evaluated again.
    self._token = handle ? null : new Handle(1n, () => {}, 'result', rb._h);
    // from evaluate(): the arena holding the packed bytes, the offsets of
    // the results and of the record in it, and which evaluation it was
    self._pa = null;
    self._po = 0;
    self._pr = 0;
    self._pl = 0;
    self._gen = 0;
    own(self, handle || self._token);
    return self;
  }

  static _packed(rb, asOf, arena, os, rs, len, gen) {
    const self = new Result(INTERNAL);
    self._rb = rb;
    self._asOf = asOf;
    self._h = null;
    self._facts = null;
    self._brief = null;
    self._raw = null;
    self._rules = null;
    self._closed = false;
    self._token = null;
    self._pa = arena;
    self._po = os;
    self._pr = rs;
    self._pl = len;
    self._gen = gen;
    return self;
  }

  /** Free the C memory now; a closed result throws ClosedError when read. */
  close() {
    if (this._closed) return;
    this._closed = true;
    const a = this._pa;
    if (a !== null) {
      // the last record packed into the rulebook's arena: its bytes are
      // free for the next one
      if (a.pos === ((this._pr + this._pl + 7) & ~7) && this._rb._arena === a) a.pos = this._po;
      this._pa = null;
    }
    const h = this._h || this._token;
    if (h) disown(this, h);
  }

  [DISPOSE]() { this.close(); }

  get closed() { return this._closed; }

  _handle() {
    if (this._closed) throw new ClosedError('the result is closed');
    if (this._h === null) {
      const h = this._rb._evaluateHandle(this._facts, this._asOf, true);
      registry.unregister(this);
      this._h = h;
      own(this, h);
      const token = this._token;
      this._token = null;
      token.close();
    }
    return this._h;
  }

  _ptr() {
    if (this._pa !== null && this._h === null) {
      // The rulebook's own C result while no other record replaced it;
      // else the packed record evaluated again into a result of its own.
      const pk = this._rb._pk;
      if (pk.gen === this._gen && pk.res !== null) return pk.res;
      const h = this._rb._evaluatePackedHandle(this._pa.u8.subarray(this._pr, this._pr + this._pl),
        this._asOf);
      this._h = h;
      own(this, h);
      return h.get();
    }
    return this._handle().get();
  }

  /* The packed bytes of a result from evaluate(). */
  _bytes() {
    if (this._closed) throw new ClosedError('the result is closed');
    return this._pa.u8;
  }

  _packedClass(k) {
    this._bytes();
    const c = this._pa.i16[((this._po + this._rb._pk.classAt) >> 1) + k];
    if (c >= 0) return this._rb.scorecards[k].classes[c];
    return c === -2 ? 'not_rated' : c === -3 ? 'not_in_force' : c === -4 ? 'error' : null;
  }

  _out(fn, flags) {
    const p = [null];
    const n = [0];
    const st = fn(this._ptr(), flags, p, n);
    if (st) fail(st);
    return takeText(p[0], n[0]);
  }

  _anyRaw() {
    if (this._closed) throw new ClosedError('the result is closed');
    return this._brief;
  }

  _rawObject(lang) {
    if (this._closed) throw new ClosedError('the result is closed');
    if (this._raw === null) this._raw = new Map();
    let raw = this._raw.get(lang);
    if (!raw) {
      raw = JSON.parse(this.json({ lang }));
      this._raw.set(lang, raw);
    }
    return raw;
  }

  _someRaw() {
    if (this._closed) throw new ClosedError('the result is closed');
    if (this._raw !== null) for (const v of this._raw.values()) return v;
    return this._rawObject('zh');
  }

  get rulebook() { return this._rb; }

  /** The evaluation date, 'YYYY-MM-DD'. */
  get asOf() { return intToDateText(this._asOf); }

  /** The record's "_id", or null. */
  get recordId() {
    const raw = this._anyRaw();
    if (raw) return raw.record;
    return C.rulebook_result_record_id(this._ptr());
  }

  /** Rule id -> verdict, in the rulebook's order. */
  get verdicts() {
    const out = {};
    if (this._pa !== null) {
      const u8 = this._bytes();
      return this._rb._verdictsOf(u8, this._po + this._rb._pk.verdictAt);
    }
    const raw = this._anyRaw();
    if (raw) {
      for (const r of raw.rules) out[r.id] = r.verdict;
      return out;
    }
    const p = this._ptr();
    for (const r of this._rb.rules) out[r.id] = VERDICTS[C.rulebook_result_verdict(p, r.index)];
    return out;
  }

  /** How many rules got each verdict. */
  get counts() {
    const raw = this._anyRaw();
    if (raw) return { ...raw.counts };
    const a = new Uint32Array(8);
    if (this._pa !== null) {
      const u8 = this._bytes();
      const at = this._po + this._rb._pk.verdictAt;
      for (let k = 0; k < this._rb.rules.length; k++) a[u8[at + k]]++;
    } else {
      C.rulebook_result_counts(this._ptr(), a);
    }
    const out = {};
    for (let v = 1; v < 8; v++) out[VERDICTS[v]] = a[v];
    return out;
  }

  verdict(ruleId) {
    if (this._pa !== null) {
      const k = this._rb._ruleIdx.get(ruleId);
      if (k !== undefined) return VERDICTS[this._bytes()[this._po + this._rb._pk.verdictAt + k]];
    }
    const v = this.verdicts[ruleId];
    if (v === undefined) throw new NotFoundError(`no rule '${ruleId}' in rulebook '${this._rb.id}'`);
    return v;
  }

  /** Every rule's outcome, titles and messages in lang. */
  rulesIn(lang = 'zh') {
    langFlag(lang);
    let got = this._closed || this._rules === null ? undefined : this._rules.get(lang);
    if (!got) {
      const raw = this._rawObject(lang);
      got = Object.freeze(raw.rules.map((d, i) => new RuleResult(this, i, d, lang, this._rb._inputTypes)));
      if (this._rules === null) this._rules = new Map();
      this._rules.set(lang, got);
    }
    return got;
  }

  get rules() { return this.rulesIn('zh'); }

  rule(ruleId, lang = 'zh') {
    const r = this.rulesIn(lang).find((x) => x.id === ruleId);
    if (!r) throw new NotFoundError(`no rule '${ruleId}' in rulebook '${this._rb.id}'`);
    return r;
  }

  withVerdict(...verdicts) { return this.rules.filter((r) => verdicts.includes(r.verdict)); }

  get failed() { return this.withVerdict('fail'); }

  /**
   * An input, parameter or indicator after evaluation: decimal string (in
   * the declared unit), boolean, 'YYYY-MM-DD' or text; null when missing,
   * unknown or not a name of the rulebook.
   */
  value(name) {
    const kind = this._rb._inputTypes[name];
    if (this._h === null && !this._closed && this._raw !== null && this._raw.size) {
      const [lang] = this._raw.keys();
      for (const r of this.rulesIn(lang)) {
        if (Object.prototype.hasOwnProperty.call(r.values, name)) return r.values[name].value;
      }
    }
    return typedValue(C.rulebook_result_value(this._ptr(), name), kind);
  }

  _message(index, lang) {
    langFlag(lang);
    return C.rulebook_result_message(this._ptr(), index, lang) || '';
  }

  message(ruleId, lang = 'zh') { return this.rule(ruleId).message(lang); }

  /** A plain-text explanation of every rule, for a person. */
  explain(lang = 'zh') { return this._out(C.rulebook_result_explain, langFlag(lang)); }

  /** The result as JSON text (schema in docs/api.md). */
  json({ lang = 'zh', pretty = false, verdictsOnly = false } = {}) {
    const flags = langFlag(lang) | (pretty ? OUT_PRETTY : 0) | (verdictsOnly ? OUT_VERDICTS : 0);
    return this._out(C.rulebook_result_json, flags);
  }

  /** The JSON result as a fresh object (decimals stay strings). */
  toObject({ lang = 'zh' } = {}) {
    return JSON.parse(JSON.stringify(this._rawObject(lang)));
  }

  toJSON() { return this.toObject(); }

  /** Target id -> status and figures (decimal strings). */
  get targets() {
    const out = {};
    for (const t of this._someRaw().targets) {
      out[t.id] = Object.freeze({
        id: t.id, status: t.status, flagged: !!t.flagged, cite: t.cite ?? null,
        title: t.title ?? null, unit: t.unit ?? null,
        responsible: Object.freeze((t.responsible || []).slice()),
        achieved: t.achieved ?? null, target: t.target ?? null, completion: t.completion ?? null,
        timeProgress: t.time_progress ?? null, shortfall: t.shortfall ?? null,
        neededPerMonth: t.needed_per_month ?? null, document: t.document ?? null,
      });
    }
    return out;
  }

  /**
   * Scorecard id -> class, score, veto, components and consequences. From
   * evaluate(), each is read when asked for: the class from the packed
   * results, the exact score and the veto from the C result, the rest from
   * the JSON result.
   */
  get scorecards() {
    const out = {};
    if (this._pa !== null) {
      this._bytes();
      for (const sc of this._rb.scorecards) out[sc.id] = Object.freeze(new ScorecardView(this, sc.index, sc.id));
      return out;
    }
    for (const s of this._someRaw().scorecards) out[s.id] = scorecardFromJSON(s);
    return out;
  }

  /** The class in a scorecard (the only one when not named). */
  /**
   * Every comparison of the rule's requirement (those joined by its
   * top-level 'and' and 'or'), measured whether it holds or not:
   * [{ gap, value, threshold (decimal text; null when a side is missing),
   * unit, operator, strict, name, thresholdName, holds (null: unknown),
   * text (the gap for people while it does not hold) }].
   */
  comparisons(ruleId, fn = 'rulebook_result_comparison') {
    need(fn);
    const i = this._rb._ruleIndex(ruleId);
    const res = this._ptr();
    const out = [];
    for (let j = 0; ; j++) {
      const f = (field) => C[fn](res, i, j, field);
      const operator = f(GAP.OPERATOR);
      if (operator === null) break;
      const holds = f(GAP.HOLDS);
      out.push(Object.freeze({
        gap: f(GAP.VALUE), value: f(GAP.ACTUAL), threshold: f(GAP.THRESHOLD), unit: f(GAP.UNIT),
        operator, strict: operator === '<' || operator === '>', name: f(GAP.NAME),
        thresholdName: f(GAP.THRESHOLD_NAME), holds: holds === null ? null : holds === 'true',
        text: f(GAP.TEXT),
      }));
    }
    return Object.freeze(out);
  }

  /** The inputs, parameters, indicators and table lookups the rule used: [{ name, kind, unit, value }]. */
  valuesUsed(ruleId) {
    need('rulebook_result_used_count');
    const i = this._rb._ruleIndex(ruleId);
    const res = this._ptr();
    const out = [];
    const n = Number(C.rulebook_result_used_count(res, i));
    for (let j = 0; j < n; j++) {
      out.push(Object.freeze({
        name: C.rulebook_result_used_name(res, i, j), kind: C.rulebook_result_used_kind(res, i, j),
        unit: C.rulebook_result_used_unit(res, i, j), value: C.rulebook_result_used_value(res, i, j),
      }));
    }
    return Object.freeze(out);
  }

  /** The parts of a failed rule's gap, exactly, as comparisons ([] when it did not fail). */
  gapParts(ruleId) { return this.comparisons(ruleId, 'rulebook_result_gap_part'); }

  /** Whether the rule's verdict rests on an illustrative parameter (null before evaluation). */
  illustrative(ruleId) {
    need('rulebook_result_illustrative');
    const v = C.rulebook_result_illustrative(this._ptr(), this._rb._ruleIndex(ruleId));
    return v < 0 ? null : v === 1;
  }

  /** Why the rule's verdict is 'error' ('division by zero', ...), else null. */
  error(ruleId) {
    need('rulebook_result_error');
    return C.rulebook_result_error(this._ptr(), this._rb._ruleIndex(ruleId));
  }

  /** For an unknown target, the inputs and parameters without a value. */
  targetMissing(targetId) {
    need('rulebook_result_target_missing_count');
    const t = this._rb.targets.find((x) => x.id === targetId);
    if (!t) throw new NotFoundError(`no target '${targetId}' in rulebook '${this._rb.id}'`);
    const res = this._ptr();
    const out = [];
    const n = Number(C.rulebook_result_target_missing_count(res, t.index));
    for (let j = 0; j < n; j++) out.push(C.rulebook_result_target_missing(res, t.index, j));
    return Object.freeze(out);
  }

  /** When the class is 'error', why; else null. */
  classError(scorecard) {
    need('rulebook_result_class_error');
    return C.rulebook_result_class_error(this._ptr(), scorecardIndex(this._rb, scorecard));
  }

  /** What leaves the class undecided: [{ name, part }], part 'scope', 'veto:ID', 'component:ID' or 'class:ID'. */
  classMissing(scorecard) {
    need('rulebook_result_class_missing_count');
    const k = scorecardIndex(this._rb, scorecard);
    const res = this._ptr();
    const out = [];
    const n = Number(C.rulebook_result_class_missing_count(res, k));
    for (let j = 0; j < n; j++) {
      out.push(Object.freeze({ name: C.rulebook_result_class_missing(res, k, j),
        part: C.rulebook_result_class_missing_part(res, k, j) }));
    }
    return Object.freeze(out);
  }

  /** true when the verdicts were decided in exact decimals, false when by the binary run. */
  get decidedExactly() {
    need('rulebook_result_decided_exactly');
    const v = C.rulebook_result_decided_exactly(this._ptr());
    return v < 0 ? null : v === 1;
  }

  classOf(scorecard) {
    const k = scorecardIndex(this._rb, scorecard);
    if (this._pa !== null) return this._packedClass(k);
    return this._someRaw().scorecards[k].class ?? null;
  }

  /** The score in a scorecard as exact decimal text (the only one when not named); null when none. */
  score(scorecard) {
    const k = scorecardIndex(this._rb, scorecard);
    if (this._pa !== null || this._h !== null) {
      if (this._closed) throw new ClosedError('the result is closed');
      return C.rulebook_result_score(this._ptr(), k);
    }
    return this._someRaw().scorecards[k].score ?? null;
  }

  /**
   * The score in a scorecard as a number (the only one when not named);
   * null when none. From evaluate() it is read from the bytes the
   * evaluation wrote, without a call: within 2^-43 of the exact score,
   * relatively (rulebook_result_score_double). Otherwise the exact score's
   * nearest number.
   */
  scoreNumber(scorecard) {
    const k = scorecardIndex(this._rb, scorecard);
    if (this._pa !== null && this._rb._pk.scored) {
      const u8 = this._bytes();
      return u8[this._po + this._rb._pk.flagAt + k] === 1 ? this._pa.f64[(this._po >> 3) + k] : null;
    }
    const s = this.score(scorecard);
    return s === null ? null : Number(s);
  }
}

function scorecardFromJSON(s) {
  return Object.freeze({
    id: s.id, class: s.class ?? null, score: s.score ?? null, veto: s.veto ?? null,
    cite: s.cite ?? null, document: s.document ?? null,
    vetoCite: s.veto_cite ?? null, vetoDocument: s.veto_document ?? null,
    components: Object.freeze((s.components || []).map((c) => Object.freeze({ ...c }))),
    consequences: Object.freeze((s.consequences || []).map((c) => Object.freeze({ ...c }))),
  });
}

/* Scorecard k of a result from evaluate(): each field read when asked for. */
class ScorecardView {
  constructor(result, k, id) {
    Object.defineProperty(this, '_r', { value: result });
    Object.defineProperty(this, '_k', { value: k });
    this.id = id;
  }

  get class() { return this._r._packedClass(this._k); }

  get score() { return this._r.score(this._r._rb.scorecards[this._k].id); }

  get veto() {
    if (this._r._closed) throw new ClosedError('the result is closed');
    return C.rulebook_result_veto(this._r._ptr(), this._k);
  }

  get cite() { return this._json().cite; }

  get document() { return this._json().document; }

  get vetoCite() { return this._json().vetoCite; }

  get vetoDocument() { return this._json().vetoDocument; }

  get components() { return this._json().components; }

  get consequences() { return this._json().consequences; }

  _json() { return scorecardFromJSON(this._r._someRaw().scorecards[this._k]); }

  toJSON() {
    const j = this._json();
    return { ...j, class: this.class, score: this.score, veto: this.veto };
  }
}

/* The index of a scorecard named by id (the only one when not named). */
function scorecardIndex(rb, id) {
  const cards = rb.scorecards;
  if (id === undefined) {
    if (cards.length !== 1) throw new InvalidArgumentError(`name the scorecard: the rulebook has ${cards.length}`);
    return 0;
  }
  for (let k = 0; k < cards.length; k++) if (cards[k].id === id) return k;
  throw new NotFoundError(`no scorecard '${id}' in rulebook '${rb.id}'`);
}

/* ------------------------------------------------------------------------
 * Populations
 * ------------------------------------------------------------------------ */

const AGGREGATE_FIELDS = ['value', 'numerator', 'denominator', 'counted', 'threshold', 'gap'];

/**
 * Records evaluated together as of one date: their verdicts, scores and
 * classes (ranked classes are decided over the whole population) and the
 * rulebook's aggregates.
 */
function needBulk(name) {
  if (!C[name]) throw new Error(`the loaded librulebook lacks ${name}; a newer library is needed`);
}

class Population {
  constructor(token) {
    if (token !== INTERNAL) throw new TypeError('populations are made by Rulebook#population()');
  }

  static _new(rb, asOf, handle) {
    const self = new Population(INTERNAL);
    self._rb = rb;
    self._asOf = asOf;
    self._h = handle;
    self._refused = Object.freeze([]);
    own(self, handle);
    return self;
  }

  close() { disown(this, this._h); }

  [DISPOSE]() { this.close(); }

  get closed() { return this._h.closed; }

  get rulebook() { return this._rb; }

  get asOf() { return intToDateText(this._asOf); }

  get size() { return Number(C.rulebook_population_size(this._h.get())); }

  /**
   * With rb.population(records, asOf, { skipBad: true }): the records left
   * out, one FactError each, whose `record` is the index in the records
   * given, `subject` the input and `detail` the reason. Empty otherwise.
   */
  get refused() { return this._refused; }

  /** The indices of the records left out by skipBad (see refused). */
  get badRows() { return this._refused.map((e) => e.record); }

  /**
   * Evaluate one more record and add it; returns its index. A record with
   * a bad value throws (FactError naming the input) and leaves the
   * population as it was.
   */
  add(record, { ignoreUnknown = false } = {}) {
    const p = this._h.get();
    const n = this.size;
    if (C.rulebook_population_add_table) {
      this._rb._h.acquire(true);
      try {
        addBatches(this._rb, p, [record], n, ignoreUnknown, false);
      } finally {
        this._rb._h.release();
      }
    } else {
      this._rb._addRecords(p, [record], n, ignoreUnknown);
    }
    return n;
  }

  /** A new population with the same records (for what-if). */
  copy() {
    const p = C.rulebook_population_copy(this._h.get());
    if (!p) throw new OutOfMemoryError('out of memory');
    return Population._new(this._rb, this._asOf,
      new Handle(p, C.rulebook_population_free, 'population', this._rb._h));
  }

  get recordIds() {
    const p = this._h.get();
    const n = this.size;
    const out = [];
    for (let i = 0; i < n; i++) out.push(C.rulebook_population_record_id(p, i));
    return out;
  }

  /** How many (record, rule) pairs got each verdict. */
  get counts() {
    const a = new Uint32Array(8);
    C.rulebook_population_counts(this._h.get(), a);
    const out = {};
    for (let v = 1; v < 8; v++) out[VERDICTS[v]] = a[v];
    return out;
  }

  _index(record) {
    const n = this.size;
    if (!Number.isInteger(record) || record < -n || record >= n) {
      throw new RangeError(`record ${record} out of range (the population has ${n})`);
    }
    return record < 0 ? record + n : record;
  }

  verdict(record, ruleId) {
    return VERDICTS[C.rulebook_population_verdict(this._h.get(), this._index(record), this._rb._ruleIndex(ruleId))];
  }

  verdicts(record) {
    const i = this._index(record);
    const p = this._h.get();
    const out = {};
    for (const r of this._rb.rules) out[r.id] = VERDICTS[C.rulebook_population_verdict(p, i, r.index)];
    return out;
  }

  /** Aggregate id -> verdict and figures (decimal strings) over the records added so far. */
  get aggregates() {
    const p = this._h.get();
    const out = {};
    for (const a of this._rb.aggregates) {
      const v = {};
      AGGREGATE_FIELDS.forEach((f, k) => { v[f] = C.rulebook_population_aggregate_value(p, a.index, k); });
      const records = [];
      const n = Number(C.rulebook_population_aggregate_record_count(p, a.index));
      for (let j = 0; j < n; j++) records.push(Number(C.rulebook_population_aggregate_record(p, a.index, j)));
      out[a.id] = Object.freeze({
        id: a.id, cite: a.cite, verdict: VERDICTS[C.rulebook_population_aggregate_verdict(p, a.index)],
        value: v.value, numerator: v.numerator, denominator: v.denominator,
        counted: v.counted === null ? null : Number(v.counted), threshold: v.threshold, gap: v.gap,
        records: Object.freeze(records),
      });
    }
    return out;
  }

  _scorecard(id) { return scorecardIndex(this._rb, id); }

  /** The veto (一票否决) that forced the record's class, or null. */
  veto(record, scorecard) {
    need('rulebook_population_veto');
    return C.rulebook_population_veto(this._h.get(), this._index(record), this._scorecard(scorecard));
  }

  /** The consequences of the record's class (a class by rank included): [{ id, value, unit }]. */
  consequences(record, scorecard) {
    need('rulebook_population_consequence_count');
    const p = this._h.get();
    const r = this._index(record);
    const k = this._scorecard(scorecard);
    const out = [];
    const n = Number(C.rulebook_population_consequence_count(p, r, k));
    for (let j = 0; j < n; j++) {
      out.push(Object.freeze({ id: C.rulebook_population_consequence_name(p, r, k, j),
        value: C.rulebook_population_consequence_value(p, r, k, j),
        unit: C.rulebook_population_consequence_unit(p, r, k, j) }));
    }
    return Object.freeze(out);
  }

  /** For an aggregate left unknown: { records (indices), missing (names) }. */
  aggregateUndecided(aggregateId) {
    need('rulebook_population_aggregate_undecided_count');
    const a = this._rb.aggregates.find((x) => x.id === aggregateId);
    if (!a) throw new NotFoundError(`no aggregate '${aggregateId}' in rulebook '${this._rb.id}'`);
    const p = this._h.get();
    const records = [];
    const n = Number(C.rulebook_population_aggregate_undecided_count(p, a.index));
    for (let j = 0; j < n; j++) records.push(Number(C.rulebook_population_aggregate_undecided(p, a.index, j)));
    const missing = [];
    const m = Number(C.rulebook_population_aggregate_missing_count(p, a.index));
    for (let j = 0; j < m; j++) missing.push(C.rulebook_population_aggregate_missing(p, a.index, j));
    return Object.freeze({ records: Object.freeze(records), missing: Object.freeze(missing) });
  }

  /** The class of a record (null when missing data leaves it undecided). */
  classOf(record, scorecard) {
    return C.rulebook_population_class(this._h.get(), this._index(record), this._scorecard(scorecard));
  }

  classes(scorecard) {
    const k = this._scorecard(scorecard);
    const p = this._h.get();
    const n = this.size;
    const out = [];
    for (let i = 0; i < n; i++) out.push(C.rulebook_population_class(p, i, k));
    return out;
  }

  score(record, scorecard) {
    return C.rulebook_population_score(this._h.get(), this._index(record), this._scorecard(scorecard));
  }

  /**
   * Every record's verdicts in one call: a Uint8Array of size × rules
   * codes, row-major (record r's verdict of rule j at r * rules + j), each
   * the index of the verdict in VERDICTS (1 pass, 2 fail, ...).
   */
  verdictMatrix() {
    needBulk('rulebook_population_verdicts');
    const out = new Uint8Array(this.size * this._rb.rules.length);
    if (out.length) {
      const st = C.rulebook_population_verdicts(this._h.get(), out);
      if (st) fail(st);
    }
    return out;
  }

  /**
   * Every record's class in one call: an Int16Array of class indices into
   * the scorecard's classes (0 the best), -1 unknown, -2 not rated, -3 not
   * in force, -4 error (a parameter makes a component's figures meaningless
   * on the date); classes by rank are decided over the whole population.
   */
  classCodes(scorecard) {
    needBulk('rulebook_population_classes');
    const out = new Int16Array(this.size);
    if (out.length) {
      const st = C.rulebook_population_classes(this._h.get(), this._scorecard(scorecard), out);
      if (st) fail(st);
    }
    return out;
  }

  /**
   * Every record's score in one call, as a Float64Array (NaN where a
   * record has none): as rulebook_population_scores_double gives it, the
   * binary score of a record decided in binary when its error bound is
   * tight (within 2^-43 of the exact score, relatively; no exact score is
   * computed), else the exact score's nearest double.
   */
  scoreValues(scorecard) {
    if (!C.rulebook_population_scores_double) return this._scoreTexts(scorecard).values;
    const out = new Float64Array(this.size);
    if (out.length) {
      const st = C.rulebook_population_scores_double(this._h.get(), this._scorecard(scorecard), out);
      if (st) fail(st);
    }
    return out;
  }

  /**
   * Every record's score in one call: { values, texts }, values as
   * scoreValues gives them, texts the exact decimal texts (null where
   * none), computed when first read.
   */
  scoreArrays(scorecard) {
    if (!C.rulebook_population_scores_double) return this._scoreTexts(scorecard);
    const values = this.scoreValues(scorecard);
    const self = this;
    let texts = null;
    return {
      values,
      get texts() {
        if (texts === null) texts = self._scoreTexts(scorecard).texts;
        return texts;
      },
    };
  }

  /* The exact texts in one call, and their nearest doubles. */
  _scoreTexts(scorecard) {
    needBulk('rulebook_population_scores_text');
    const p = [null];
    const n = [0];
    const st = C.rulebook_population_scores_text(this._h.get(), this._scorecard(scorecard), p, n);
    if (st) fail(st);
    let text;
    try {
      text = takeText(p[0], n[0]);
    } finally {
      C.rulebook_mem_free(p[0]);
    }
    const lines = text.split('\n');
    lines.pop();
    const values = new Float64Array(lines.length);
    const texts = lines.map((t, i) => {
      values[i] = t ? Number(t) : NaN;
      return t || null;
    });
    return { values, texts };
  }

  /** Scorecard id -> class id -> number of records. */
  get classCounts() { return this.toObject().classes; }

  json({ verdictsOnly = false } = {}) {
    const p = [null];
    const n = [0];
    const st = C.rulebook_population_json(this._h.get(), verdictsOnly ? OUT_VERDICTS : 0, p, n);
    if (st) fail(st);
    return takeText(p[0], n[0]);
  }

  toObject(options) { return JSON.parse(this.json(options)); }

  toJSON() { return this.toObject(); }

  /**
   * The population as one self-contained HTML page (no script, no network,
   * prints on A4): classes, ranking, failures per rule and per responsible
   * unit, targets with green/yellow/red lights, aggregates
   * (rulebook_population_report_html; docs/report.md). records: the records
   * the population was made from, in the same order; they are evaluated
   * once more in one call for the messages, gaps, values and target figures
   * the page shows. Without them the page holds what the population keeps.
   * data names the data in the header; yellowBehind and redBehind are the
   * light thresholds in points (default 10 and 30).
   */
  reportHtml(records, { lang = 'zh', data, yellowBehind, redBehind, ignoreUnknown = false } = {}) {
    if (!C.rulebook_population_report_html) {
      throw new RulebookError('this librulebook has no rulebook_population_report_html');
    }
    const flags = langFlag(lang);
    const settings = { lang };
    if (data !== undefined && data !== null) settings.data = String(data);
    if (yellowBehind !== undefined && yellowBehind !== null) settings.yellow_behind = String(yellowBehind);
    if (redBehind !== undefined && redBehind !== null) settings.red_behind = String(redBehind);
    let results = null;
    if (records !== undefined && records !== null) {
      const rb = this._rb;
      const list = Array.from(records, (r) => (ignoreUnknown ? rb._known(plain(r)) : plain(r)));
      results = list.length
        ? rb._evalJSON('[\n' + list.map((r) => rb._recordJSON(r)).join(',\n') + '\n]', this._asOf, flags, list.length)
        : '[]';
    }
    const rbuf = results === null ? null : Buffer.from(results, 'utf8');
    const sbuf = Buffer.from(JSON.stringify(settings), 'utf8');
    const out = [null];
    const n = [0];
    const st = C.rulebook_population_report_html(this._h.get(), rbuf, rbuf ? rbuf.length : 0,
      sbuf, sbuf.length, out, n, ERR);
    if (st) fail(st, ERR);
    try {
      return takeText(out[0], n[0]);
    } finally {
      C.rulebook_mem_free(out[0]);
    }
  }
}

/* ------------------------------------------------------------------------
 * Adding records to a population with one call into the library per batch
 *
 * The records of a batch become a row-major table of text cells here (the
 * forms rulebook_facts_set_text_at takes) and cross in one
 * rulebook_population_add_table call. A batch whose values are all numbers
 * of numeric inputs, without "_id", goes as columns of doubles through
 * rulebook_population_add_columns instead, which spares formatting every
 * number (docs/performance.md, "Bindings"). Values are checked against the
 * input's type as the typed setters of evaluate() check them, so a
 * population holds the same values whichever way its records came in; NaN
 * is a missing value, as in data frames.
 * ------------------------------------------------------------------------ */

// Records per call into the library: a population of up to this many
// records crosses once, a larger one once per this many records.
const BATCH = { size: 65536 };
const K_NUM = 0;
const K_BOOL = 1;
const K_DATE = 2;
const K_TEXT = 3;
const KINDS = { number: K_NUM, integer: K_NUM, boolean: K_BOOL, date: K_DATE, text: K_TEXT, enum: K_TEXT };
const KIND_WORDS = ['number', 'boolean', 'date'];
const TWO32 = 4294967296;
// The buffer the pointers of the call in progress point into: held here
// (a GC root) until it returns.
let callBuffers = null;

function batchPlan(rb) {
  const names = rb.inputs.map((i) => i.name);
  const kinds = rb.inputs.map((i) => (i.type in KINDS ? KINDS[i.type] : K_TEXT));
  const numeric = [];
  kinds.forEach((k, c) => { if (k === K_NUM) numeric.push(c); });
  return {
    rbId: rb.id,
    names,
    types: rb.inputs.map((i) => i.type),
    kinds,
    ncols: names.length,
    col: new Map(names.map((n, c) => [n, c])),
    numeric,
    numPos: new Map(numeric.map((c, p) => [names[c], p])),
  };
}

function withRecord(e, i) {
  if (e instanceof RulebookError && e.record !== i) {
    e.record = i;
    e.message = `record ${i}: ${e.message}`;
  }
  return e;
}

function mismatch(plan, c, want) {
  const name = plan.names[c];
  return factError(name, `input '${name}' is a ${plan.types[c]}, not a ${KIND_WORDS[want]}`);
}

function noNul(name, s, what) {
  if (s.indexOf('\0') !== -1) throw factError(name, `${what} contains a NUL character`);
  return s;
}

/* The text cell of a value for input c (null: missing); throws the
 * FactError the typed setters would give. */
function cellText(plan, c, v) {
  const kind = plan.kinds[c];
  switch (typeof v) {
    case 'string':
      return v.indexOf('\0') === -1 ? v : noNul(plan.names[c], v, `input '${plan.names[c]}': the text`);
    case 'number':
      if (kind !== K_NUM) throw mismatch(plan, c, K_NUM);
      if (Number.isFinite(v)) return String(v);
      if (Number.isNaN(v)) return null;
      throw factError(plan.names[c], `${v} is not a usable number for input '${plan.names[c]}'`);
    case 'boolean':
      if (kind !== K_BOOL) throw mismatch(plan, c, K_BOOL);
      return v ? 'true' : 'false';
    case 'bigint':
      if (kind !== K_NUM) throw mismatch(plan, c, K_NUM);
      return v.toString();
    case 'undefined':
      return null;
    default:
      break;
  }
  if (v === null) return null;
  const name = plan.names[c];
  if (v instanceof Date) {
    if (kind !== K_DATE) throw mismatch(plan, c, K_DATE);
    const p = dateParts(v);
    if (!p) throw factError(name, `input '${name}': invalid Date`);
    return ymdText(p);
  }
  if (isDecimalObject(v)) {
    if (kind !== K_NUM) throw mismatch(plan, c, K_NUM);
    return noNul(name, v.toString(), `input '${name}': the number`);
  }
  /* a list input reads a JSON array from its cell; other inputs refuse it */
  if (Array.isArray(v)) {
    if (plan.types[c] !== 'list') throw factError(name, `input '${name}' is a ${plan.types[c]}, not a list`);
    return factJSON(name, v);
  }
  factJSON(name, v); // throws with the reason
  throw factError(name, `input '${name}': cannot use this value as a fact`);
}

/* Text, NUL-terminated strings one after the other, in memory of an
 * ArrayBuffer of its own (off the JS heap: it does not move). Strings are
 * copied a character at a time while they are ASCII, which costs less than
 * a call into Buffer#write per string. */
class TextArena {
  constructor(capacity) {
    this.buf = Buffer.from(new ArrayBuffer(Math.max(64, capacity)));
    this.len = 0;
  }

  /* Append s; returns its offset. */
  add(s) {
    const n = s.length;
    if (this.len + 3 * n + 1 > this.buf.length) this.grow(3 * n + 1);
    const b = this.buf;
    const start = this.len;
    let o = start;
    for (let j = 0; j < n; j++) {
      const c = s.charCodeAt(j);
      if (c >= 128) {
        o = start + b.write(s, start, 'utf8');
        break;
      }
      b[o++] = c;
    }
    b[o++] = 0;
    this.len = o;
    return start;
  }

  grow(more) {
    const old = this.buf;
    this.buf = Buffer.from(new ArrayBuffer(Math.max(2 * old.length, this.len + more)));
    old.copy(this.buf, 0, 0, this.len);
  }

  /* Pointers: slot at[k] of ptrs (size_t as pairs of uint32) gets the
   * address of the string at offset offs[k]. Call after the last add(). */
  point(ptrs, at, offs) {
    const base = Number(koffi.address(this.buf));
    for (let k = 0; k < at.length; k++) {
      const p = base + offs[k];
      const lo = p >>> 0;
      ptrs[2 * at[k]] = lo;
      ptrs[2 * at[k] + 1] = (p - lo) / TWO32;
    }
  }
}

function pointerArray(slots) {
  return new Uint32Array(new ArrayBuffer(8 * Math.max(1, slots)));
}

/* The records as a table for rulebook_population_add_table, its text in
 * `arena`: cell k of a number input, at offset offs[k], goes to slot at[k]
 * (row * ncols + input index) of the table; the cells of other inputs
 * (booleans, enums, dates, texts: few distinct values) are stored once per
 * distinct text, cell j at slot sAt[j] being shared[sIdx[j]]; record ids
 * at idOffs for rows idAt. Records refused here are collected (skipBad) or
 * end the table (stop: the error). */
function buildTable(plan, records, first, ignoreUnknown, skipBad) {
  const ncols = plan.ncols;
  const col = plan.col;
  const kinds = plan.kinds;
  const arena = new TextArena(8 * ncols * (Array.isArray(records) ? records.length : 64));
  const offs = [];
  const at = [];
  const shared = [];
  const sharedIdx = new Map();
  const sAt = [];
  const sIdx = [];
  const idOffs = [];
  const idAt = [];
  const recs = [];
  const rows = [];
  const refused = [];
  let stop = null;
  let i = first;
  for (const rec0 of records) {
    const mark = at.length;
    const sMark = sAt.length;
    const arenaMark = arena.len;
    const slot = rows.length * ncols;
    let rid = null;
    let rec;
    try {
      rec = plain(rec0);
      for (const name in rec) {
        if (!Object.prototype.hasOwnProperty.call(rec, name)) continue;
        const v = rec[name];
        const c = col.get(name);
        if (c === undefined) {
          if (name[0] === '_') {
            if (name === '_id' && v !== null && v !== undefined) rid = noNul('_id', String(v), 'the record id');
            continue;
          }
          if (ignoreUnknown) continue;
          const msg = `'${name}' is not an input of rulebook '${plan.rbId}'`;
          throw new NotFoundError('', [{ status: Status.NOT_FOUND, message: msg, file: null, line: 0,
            column: 0, subject: name }]);
        }
        const text = cellText(plan, c, v);
        if (text === null) continue;
        if (kinds[c] === K_NUM) {
          offs.push(arena.add(text));
          at.push(slot + c);
        } else {
          let u = sharedIdx.get(text);
          if (u === undefined) {
            u = shared.length;
            shared.push(text);
            sharedIdx.set(text, u);
          }
          sAt.push(slot + c);
          sIdx.push(u);
        }
      }
    } catch (e) {
      at.length = mark;
      offs.length = mark;
      sAt.length = sMark;
      sIdx.length = sMark;
      arena.len = arenaMark;
      if (!(e instanceof RulebookError)) throw e;
      withRecord(e, i);
      if (skipBad && e instanceof FactError) {
        refused.push(e);
        i++;
        continue;
      }
      stop = e;
      break;
    }
    if (rid !== null) {
      idOffs.push(arena.add(rid));
      idAt.push(rows.length);
    }
    recs.push(rec);
    rows.push(i);
    i++;
  }
  const sharedOffs = shared.map((text) => arena.add(text));
  return {
    table: { n: rows.length, ncols, arena, offs, at, sharedOffs, sAt, sIdx, idOffs, idAt, recs, rows },
    refused,
    stop,
  };
}

function sizeArray(values) {
  const a = new BigUint64Array(new ArrayBuffer(8 * Math.max(1, values.length)));
  values.forEach((v, k) => { a[k] = BigInt(v); });
  return a;
}

/* Why the library refused table row r: its cells through
 * rulebook_facts_set_text_at, as rulebook_population_add_table sets them,
 * until one fails. */
function diagnoseRow(rb, plan, t, r) {
  const record = t.rows[r];
  const rec = t.recs[r];
  const f = rb._takeFacts();
  try {
    for (const name of Object.keys(rec)) {
      const c = plan.col.get(name);
      if (c === undefined) continue;
      const s = cellText(plan, c, rec[name]);
      if (s === null) continue;
      const b = Buffer.from(s, 'utf8');
      const st = C.rulebook_facts_set_text_at(f, c, b, b.length, ERR);
      if (st) {
        const Cls = BY_STATUS[st] || RulebookError;
        return new Cls('', diagnosticsOf(ERR), st, record);
      }
    }
  } finally {
    rb._giveFacts(f);
  }
  const msg = 'the library refused the record';
  return new FactError('', [{ status: Status.VALUE, message: msg, file: null, line: 0, column: 0,
    subject: null }], Status.VALUE, record);
}

/* One rulebook_population_add_table call; the records it refused, as
 * errors naming them (record: the index in the caller's list). */
function addTable(rb, plan, pop, t) {
  const n = t.n;
  if (!n) return [];
  const cellPtrs = pointerArray(n * t.ncols);
  t.arena.point(cellPtrs, t.at, t.offs);
  t.arena.point(cellPtrs, t.sAt, t.sIdx.map((u) => t.sharedOffs[u]));
  const idPtrs = t.idAt.length ? pointerArray(n) : null;
  if (idPtrs) t.arena.point(idPtrs, t.idAt, t.idOffs);
  if (!plan.inputsArray) plan.inputsArray = sizeArray(plan.names.map((_, c) => c));
  const bad = new BigUint64Array(new ArrayBuffer(8 * n));
  const nbad = [0];
  const before = Number(C.rulebook_population_size(pop));
  callBuffers = t.arena.buf;
  let st;
  try {
    st = C.rulebook_population_add_table(pop, n, plan.inputsArray, t.ncols, cellPtrs, idPtrs,
      bad, nbad, ERR);
  } finally {
    callBuffers = null;
  }
  const nb = Number(nbad[0]);
  if (st) {
    // The row it was adding: every row before it was added or refused.
    const r = Number(C.rulebook_population_size(pop)) - before + nb;
    fail(st, ERR, r < n ? t.rows[r] : undefined);
  }
  const out = [];
  for (let k = 0; k < nb; k++) out.push(diagnoseRow(rb, plan, t, Number(bad[k])));
  return out;
}

/* The batch as numeric columns (column-major doubles, NaN missing), or
 * null when a record has anything but finite numbers, NaN, null and
 * undefined for numeric inputs, or an "_id". */
function numericColumns(plan, records, ignoreUnknown) {
  const n = records.length;
  const k = plan.numeric.length;
  if (!k) return null;
  const values = new Float64Array(new ArrayBuffer(8 * n * k)).fill(NaN);
  for (let r = 0; r < n; r++) {
    const rec = records[r];
    if (rec === null || typeof rec !== 'object' || rec instanceof Map) return null;
    for (const name of Object.keys(rec)) {
      const p = plan.numPos.get(name);
      const v = rec[name];
      if (p === undefined) {
        if (name[0] === '_' ? name === '_id' : !(ignoreUnknown && !plan.col.has(name))) return null;
        continue;
      }
      if (typeof v === 'number') {
        if (v === Infinity || v === -Infinity) return null; // the table path refuses it
        values[p * n + r] = v;
      } else if (v !== null && v !== undefined) {
        return null;
      }
    }
  }
  return values;
}

/* One rulebook_population_add_columns call; how many records it added: all
 * n, unless a value was refused (the caller goes on from there). */
function addColumns(plan, pop, n, values) {
  if (!plan.numericArray) plan.numericArray = sizeArray(plan.numeric);
  const before = Number(C.rulebook_population_size(pop));
  const st = C.rulebook_population_add_columns(pop, n, plan.numericArray, plan.numeric.length,
    values, null, ERR);
  if (st && st !== Status.VALUE && st !== Status.RANGE) fail(st, ERR);
  return Number(C.rulebook_population_size(pop)) - before;
}

/* Add records, one call into the library per BATCH.size records. Returns
 * the refused records (skipBad); without skipBad throws the error of the
 * first refused record instead. */
function addBatches(rb, pop, records, first, ignoreUnknown, skipBad) {
  if (!rb._plan) rb._plan = batchPlan(rb);
  const plan = rb._plan;
  const useColumns = !!C.rulebook_population_add_columns;
  const refused = [];
  const all = Array.isArray(records) ? records : Array.from(records);
  const size = BATCH.size;
  for (let at = 0; at < all.length; at += size) {
    const chunk = all.length <= size ? all : all.slice(at, at + size);
    let start = 0;
    if (useColumns) {
      const values = numericColumns(plan, chunk, ignoreUnknown);
      if (values) start = addColumns(plan, pop, chunk.length, values);
    }
    if (start < chunk.length) {
      const rest = start ? chunk.slice(start) : chunk;
      const { table, refused: host, stop } = buildTable(plan, rest, first + at + start, ignoreUnknown, skipBad);
      const errors = host.concat(addTable(rb, plan, pop, table)).sort((a, b) => a.record - b.record);
      if (errors.length && !skipBad) throw errors[0];
      if (stop) throw stop;
      refused.push(...errors);
    }
  }
  return refused;
}

/* Whether population() was given columns ({ input: array }) rather than
 * records. */
function isColumns(records) {
  return records !== null && typeof records === 'object' && !(records instanceof Map) &&
    typeof records[Symbol.iterator] !== 'function';
}

/* Columns of number and integer inputs in one rulebook_population_add_columns
 * call: Float64Arrays go as they are, other typed arrays and arrays of
 * numbers (null is missing) are copied into one. */
function addColumnArrays(rb, pop, columns, ignoreUnknown) {
  needBulk('rulebook_population_add_columns');
  const inputs = [];
  const cols = [];
  let n = -1;
  for (const name of Object.keys(columns)) {
    const col = columns[name];
    if (name[0] === '_') {
      throw new InvalidArgumentError(`column '${name}': columns carry inputs only (no record ids)`);
    }
    const i = rb._inputIdx.get(name);
    if (i === undefined) {
      if (ignoreUnknown) continue;
      throw notAnInput(rb, name);
    }
    if (!Array.isArray(col) && !(ArrayBuffer.isView(col) && !(col instanceof DataView))) {
      throw new InvalidArgumentError(`column '${name}' is not an array or a typed array`);
    }
    const type = rb._inputTypes[name];
    if (type !== 'number' && type !== 'integer') {
      throw factError(name, `input '${name}' is a ${type}: columns carry number and integer inputs`);
    }
    if (n < 0) n = col.length;
    else if (col.length !== n) {
      throw new InvalidArgumentError(`column '${name}' has ${col.length} values, the first one ${n}`);
    }
    inputs.push(i);
    cols.push(col);
  }
  if (n <= 0) return;
  let values;
  if (cols.length === 1 && cols[0] instanceof Float64Array) {
    values = cols[0];
  } else {
    values = new Float64Array(n * cols.length);
    cols.forEach((c, k) => {
      if (ArrayBuffer.isView(c) && !(c instanceof BigInt64Array || c instanceof BigUint64Array)) {
        values.set(c, k * n);
      } else {
        for (let r = 0; r < n; r++) {
          const v = c[r];
          values[k * n + r] = v === null || v === undefined ? NaN : Number(v);
        }
      }
    });
  }
  const st = C.rulebook_population_add_columns(pop, n, sizeArray(inputs), inputs.length, values, null, ERR);
  if (st) fail(st, ERR);
}

/* ------------------------------------------------------------------------
 * Rulebooks
 * ------------------------------------------------------------------------ */

function strings(count, get) {
  const out = [];
  for (let i = 0; i < count; i++) out.push(get(i));
  return Object.freeze(out);
}

function makeOptions(options) {
  const searchPath = (options && options.searchPath) || [];
  const limits = (options && options.limits) || {};
  if (!searchPath.length && !Object.keys(limits).length && !loading.needed(options)) return null;
  const opts = C.rulebook_options_new();
  if (!opts) throw new OutOfMemoryError('out of memory');
  try {
    for (const dir of searchPath) {
      const st = C.rulebook_options_add_search_path(opts, String(dir));
      if (st) fail(st);
    }
    for (const [name, value] of Object.entries(limits)) {
      if (!(name in LIMITS)) {
        throw new InvalidArgumentError(`unknown limit '${name}' (known: ${Object.keys(LIMITS).join(', ')})`);
      }
      const st = C.rulebook_options_set_limit(opts, LIMITS[name], BigInt(value));
      if (st) fail(st);
    }
    if (loading.needed(options)) loading.apply(opts, options);
  } catch (e) {
    loading.finish(opts);
    C.rulebook_options_free(opts);
    throw e;
  }
  return opts;
}

function freeRulebook(pool, pk) {
  return (ptr) => {
    while (pool.length) C.rulebook_facts_free(pool.pop());
    if (pk && pk.facts !== null) {
      C.rulebook_result_free(pk.res);
      C.rulebook_facts_free(pk.facts);
      pk.facts = null;
      pk.res = null;
    }
    C.rulebook_free(ptr);
  };
}

/**
 * A compiled rulebook: immutable. Load with Rulebook.load() or
 * Rulebook.fromString(); free with close() (results and populations made
 * from it keep it alive until they are freed too), or let the garbage
 * collector do it.
 */
class Rulebook {
  constructor(token) {
    if (token !== INTERNAL) throw new TypeError('use Rulebook.load(path) or Rulebook.fromString(text)');
  }

  /** Load and compile the rulebook at path. Throws a RulebookError subclass. */
  static load(file, options = {}) {
    const opts = makeOptions(options);
    const out = [null];
    try {
      const st = C.rulebook_load_file(String(file), opts, out, ERR);
      loading.finish(opts); // throws what a resolver threw
      if (st) fail(st, ERR);
    } finally {
      loading.finish(opts);
      C.rulebook_options_free(opts);
    }
    return Rulebook._wrap(out[0]);
  }

  /** Compile a rulebook from YAML text (string or bytes). */
  static fromString(source, options = {}) {
    const data = typeof source === 'string' ? Buffer.from(source, 'utf8') : Buffer.from(source);
    const opts = makeOptions(options);
    const out = [null];
    try {
      const st = C.rulebook_load_buffer(data, data.length, options.name || null, opts, out, ERR);
      loading.finish(opts); // throws what a resolver threw
      if (st) fail(st, ERR);
    } finally {
      loading.finish(opts);
      C.rulebook_options_free(opts);
    }
    return Rulebook._wrap(out[0]);
  }

  static _wrap(ptr) {
    const self = new Rulebook(INTERNAL);
    self._pool = [];
    self._pk = packState(ptr);
    self._arena = null;
    self._pkCopy = null;
    self._h = new Handle(ptr, freeRulebook(self._pool, self._pk), 'rulebook', null);
    own(self, self._h);
    self._readHeader(ptr);
    return self;
  }

  _readHeader(p) {
    this.id = C.rulebook_id(p);
    this._titles = { zh: C.rulebook_title(p, 'zh') || '', en: C.rulebook_title(p, 'en') || '' };
    this.subject = C.rulebook_subject(p);
    this.hash = C.rulebook_hash(p);
    this.inForce = Object.freeze({ from: intToDateText(C.rulebook_in_force_from(p)),
      until: intToDateText(C.rulebook_in_force_until(p)) });
    this.inputs = strings(Number(C.rulebook_input_count(p)), (i) => Object.freeze({
      name: C.rulebook_input_name(p, i), type: C.rulebook_input_type(p, i),
      unit: C.rulebook_input_unit(p, i), index: i }));
    this.rules = strings(Number(C.rulebook_rule_count(p)), (i) => Object.freeze({
      id: C.rulebook_rule_id(p, i), cite: C.rulebook_rule_cite(p, i),
      severity: C.rulebook_rule_severity(p, i),
      responsible: strings(Number(C.rulebook_rule_responsible_count(p, i)), (j) => C.rulebook_rule_responsible(p, i, j)),
      index: i }));
    this.parameters = strings(Number(C.rulebook_param_count(p)), (i) => Object.freeze({
      name: C.rulebook_param_name(p, i), unit: C.rulebook_param_unit(p, i),
      cite: C.rulebook_param_cite(p, i), provenance: C.rulebook_param_provenance(p, i), index: i }));
    this.targets = strings(Number(C.rulebook_target_count(p)), (i) => Object.freeze({
      id: C.rulebook_target_id(p, i), cite: C.rulebook_target_cite(p, i),
      unit: C.rulebook_target_unit(p, i),
      responsible: strings(Number(C.rulebook_target_responsible_count(p, i)), (j) => C.rulebook_target_responsible(p, i, j)),
      index: i }));
    this.scorecards = strings(Number(C.rulebook_scorecard_count(p)), (i) => Object.freeze({
      id: C.rulebook_scorecard_id(p, i),
      components: strings(Number(C.rulebook_scorecard_component_count(p, i)), (k) => C.rulebook_scorecard_component_id(p, i, k)),
      classes: strings(Number(C.rulebook_scorecard_class_count(p, i)), (k) => C.rulebook_scorecard_class_id(p, i, k)),
      index: i }));
    this.aggregates = strings(Number(C.rulebook_aggregate_count(p)), (i) => Object.freeze({
      id: C.rulebook_aggregate_id(p, i), cite: C.rulebook_aggregate_cite(p, i), index: i }));
    this._inputTypes = Object.create(null);
    for (const i of this.inputs) this._inputTypes[i.name] = i.type;
    this._inputIdx = new Map(this.inputs.map((i, k) => [i.name, k]));
    this._ruleIdx = new Map(this.rules.map((r) => [r.id, r.index]));
    this._keys = new Map();
    this._verdictsMaker = undefined;
    this._asOfText = null;
    this._asOfInt = 0;
  }

  /** Release the rulebook (the C memory goes once its results and populations are freed too). */
  close() {
    this._arena = null;
    disown(this, this._h);
  }

  [DISPOSE]() { this.close(); }

  get closed() { return this._h.closed; }

  /** The Chinese title (the English one when there is no Chinese). */
  get title() { return this._titles.zh; }

  titleIn(lang) {
    langFlag(lang);
    return this._titles[lang];
  }

  get inputNames() { return this.inputs.map((i) => i.name); }

  get ruleIds() { return this.rules.map((r) => r.id); }

  /** A parameter's value in force on asOf, as decimal text, or null. */
  parameterValue(name, asOf) {
    const prm = this.parameters.find((x) => x.name === name);
    if (!prm) throw new NotFoundError(`no parameter '${name}' in rulebook '${this.id}'`);
    const d = asOfInt(asOf);
    const p = this._h.acquire();
    try {
      return C.rulebook_param_value(p, prm.index, d);
    } finally {
      this._h.release();
    }
  }

  _ruleIndex(rule) {
    if (typeof rule === 'number') {
      if (!Number.isInteger(rule) || rule < 0 || rule >= this.rules.length) throw new RangeError(`rule index ${rule} out of range`);
      return rule;
    }
    const i = this._ruleIdx.get(rule);
    if (i === undefined) throw new NotFoundError(`no rule '${rule}' in rulebook '${this.id}'`);
    return i;
  }

  _takeFacts() {
    if (this._pool.length) return this._pool.pop();
    const f = C.rulebook_facts_new(this._h.ptr);
    if (!f) throw new OutOfMemoryError('out of memory');
    return f;
  }

  _giveFacts(f) {
    C.rulebook_facts_clear(f);
    this._pool.push(f);
  }

  /* Typed setters: numbers through rulebook_facts_set_double, strings and
   * bigints as text, dates as YYYYMMDD. */
  _setFacts(f, facts, ignoreUnknown) {
    let rid = null;
    for (const name of Object.keys(facts)) {
      const v = facts[name];
      if (name[0] === '_') {
        if (name === '_id' && v !== null && v !== undefined) rid = String(v);
        continue;
      }
      const idx = this._inputIdx.get(name);
      if (idx === undefined) {
        if (ignoreUnknown) continue;
        throw notAnInput(this, name);
      }
      let st;
      if (v === null || v === undefined) st = C.rulebook_facts_set_missing(f, name, ERR);
      else if (typeof v === 'boolean') st = C.rulebook_facts_set_bool(f, name, v ? 1 : 0, ERR);
      else if (typeof v === 'number') {
        if (!Number.isFinite(v)) throw factError(name, `${v} is not a usable number for input '${name}'`);
        st = C.rulebook_facts_set_double(f, name, v, ERR);
      } else if (typeof v === 'string') {
        /* length-counted: a NUL inside the text is refused, not a cut */
        const b = Buffer.from(v + '\0', 'utf8'); // never empty: an empty Buffer passes NULL
        st = C.rulebook_facts_set_text_at(f, idx, b, b.length - 1, ERR);
      }
      else if (typeof v === 'bigint') st = C.rulebook_facts_set_decimal(f, name, v.toString(), ERR);
      else if (v instanceof Date) {
        const p = dateParts(v);
        if (!p) throw factError(name, `input '${name}': invalid Date`);
        st = C.rulebook_facts_set_date(f, name, p[0] * 10000 + p[1] * 100 + p[2], ERR);
      } else if (isDecimalObject(v)) st = C.rulebook_facts_set_decimal(f, name, v.toString(), ERR);
      else if (Array.isArray(v)) {
        /* a list input takes a JSON array as its text; other inputs refuse it */
        const type = this._inputTypes[name];
        if (type !== 'list') throw factError(name, `input '${name}' is a ${type}, not a list`);
        if (C.rulebook_facts_set_list_text_at) st = setList(this, f, idx, name, v, ERR);
        else { // a library before the list setters
          const b = Buffer.from(factJSON(name, v) + '\0', 'utf8');
          st = C.rulebook_facts_set_text_at(f, idx, b, b.length - 1, ERR);
        }
      } else {
        factJSON(name, v); // throws with the reason
        throw factError(name, `input '${name}': cannot use an object as a fact (records go inside an array)`);
      }
      if (st) fail(st, ERR);
    }
    if (rid !== null) {
      let st;
      if (C.rulebook_facts_set_id) {
        const b = Buffer.from(rid, 'utf8');
        st = C.rulebook_facts_set_id(f, b, b.length);
      } else { // a library before rulebook_facts_set_id
        const js = Buffer.from('{"_id":' + JSON.stringify(rid) + '}', 'utf8');
        st = C.rulebook_facts_set_json(f, js, js.length, ERR);
      }
      if (st) fail(st, ERR);
    }
  }

  _key(name) {
    let k = this._keys.get(name);
    if (k === undefined) {
      k = JSON.stringify(name);
      this._keys.set(name, k);
    }
    return k;
  }

  /* One record as a JSON object. */
  _recordJSON(record) {
    const parts = [];
    for (const name of Object.keys(record)) {
      const v = record[name];
      if (name[0] === '_') {
        if (name === '_id' && v !== null && v !== undefined) parts.push('"_id":' + JSON.stringify(String(v)));
        continue;
      }
      parts.push(this._key(name) + ':' + factJSON(name, v));
    }
    return '{' + parts.join(',') + '}';
  }

  /**
   * Evaluate one record as of a date (default today). facts maps input
   * names to strings (decimal text, possibly with a unit: "20000 m²"),
   * numbers, bigints, booleans, Dates or null (missing); "_id" names the
   * record, other keys starting with "_" are ignored. A key that is not an
   * input is an error unless ignoreUnknown is set.
   */
  evaluate(facts, asOf, options) {
    let d;
    if (typeof asOf === 'string' && asOf === this._asOfText) {
      d = this._asOfInt;
    } else {
      d = asOfInt(asOf);
      if (typeof asOf === 'string') {
        this._asOfText = asOf;
        this._asOfInt = d;
      }
    }
    let rec = plain(facts);
    if (options !== undefined && options !== null && options.ignoreUnknown) rec = this._known(rec);
    const exactOnly = options !== undefined && options !== null && options.exactOnly === true;
    if (this._pk !== null && !exactOnly) {
      const r = this._evaluatePacked(rec, d);
      if (r !== null) return r;
      // the values the packer already copied, so that no getter is read
      // a third time
      const copy = this._pkCopy;
      if (copy !== null) {
        this._pkCopy = null;
        rec = copy;
      }
    }
    return Result._new(this, d, this._evaluateHandle(rec, d, false, exactOnly));
  }

  /* evaluate() in one crossing: null when a value needs the typed setters
   * (a Date outside the years 1000-9999, a list), with this._pkCopy set to
   * the copy of the record's values when one was made. */
  _evaluatePacked(rec, asOf) {
    const pk = this._pk;
    // an evaluate() from a getter of the record being packed takes the
    // typed setters: the arena and pk.rid belong to the outer record
    if (pk.packing) return null;
    const h = this._h;
    const p = h.acquire();
    try {
      if (pk.facts === null) {
        const f = C.rulebook_facts_new(p);
        const res = f && C.rulebook_result_new(p);
        if (!res) {
          if (f) C.rulebook_facts_free(f);
          throw new OutOfMemoryError('out of memory');
        }
        pk.facts = f;
        pk.res = res;
      }
      const plan = this._packPlan(rec);
      let a = this._arena;
      // the results, the fixed part of the record and its text, each from
      // an 8-byte boundary; the text's room is checked as it is written
      const base = ((pk.out + 7) & ~7) + pk.fixed + 8;
      if (a === null || a.pos + base + 512 > a.u8.length) a = this._newArena(base + 512);
      let os;
      let rs;
      let tp;
      let from = rec;
      pk.packing = true;
      try {
        for (;;) {
          os = a.pos;
          rs = os + ((pk.out + 7) & ~7);
          tp = plan.pack(this, pk, from, a.u8, a.f64, a.u32, rs >> 3, rs + pk.tags,
            rs + pk.fixed, a.u8.length, rs);
          // an empty id is no id, as with the typed setters
          if (tp >= 0 && pk.rid !== null && pk.rid.length) {
            tp = packText(a.u8, a.u32, (rs >> 3) + pk.n, tp, a.u8.length, rs, pk.rid);
            if (tp >= 0) a.u8[rs + pk.tags + pk.n] = PK_TEXT;
          }
          if (tp !== PACK_ROOM) break;
          // the copy did not fit an arena made for it (an object whose
          // text is longer than a decimal's, or changes from one reading
          // to the next): the typed setters take the copy
          if (from !== rec) {
            tp = PACK_SETTERS;
            break;
          }
          // more text than the arena has room for: the record's own values
          // read once more into a copy (a getter's next value may differ),
          // the id made text once, and a new arena with room for three
          // bytes per UTF-16 unit of every text of the copy (decimal
          // objects have up to 64), which the copy then fits
          from = { ...rec };
          let need = base;
          const id = from._id;
          if (id !== null && id !== undefined) {
            const t = String(id);
            from._id = t;
            need += 3 * t.length;
          }
          for (const k of plan.keys) {
            const v = from[k];
            if (typeof v === 'string') need += 3 * v.length;
            else if (typeof v === 'object' || typeof v === 'bigint') need += 3 * 64;
          }
          a = this._newArena(need);
        }
      } finally {
        pk.packing = false;
      }
      if (tp === PACK_SETTERS) {
        if (from !== rec) this._pkCopy = from;
        return null;
      }
      const len = tp - rs;
      a.pos = (tp + 7) & ~7;
      let st;
      if (pk.call) {
        const u32 = a.u32;
        const c = a.callAt; // in uint32s: record_at, record_len, out_at, out_len, as_of
        u32[c] = rs;
        u32[c + 1] = len;
        u32[c + 2] = os;
        u32[c + 3] = pk.out;
        a.i32[c + 4] = asOf;
        st = C.rulebook_eval_packed_call(a.addr);
      } else if (pk.scored) {
        st = C.rulebook_eval_packed_scored(p, pk.facts, a.addr + rs, len, asOf, pk.res,
          a.addr + os, pk.out, ERR);
      } else {
        st = C.rulebook_eval_packed(p, pk.facts, a.u8.subarray(rs, tp), len, asOf, pk.res,
          a.u8.subarray(os, os + pk.out), pk.out, ERR);
      }
      if (st) {
        a.pos = os; // the refused record's bytes are free again
        fail(st, ERR);
      }
      return Result._packed(this, asOf, a, os, rs, len, ++pk.gen);
    } finally {
      h.release();
    }
  }

  /* A fresh arena with room for at least need bytes of records. */
  _newArena(need) {
    const a = new PackArena(Math.max(ARENA_BYTES, (CALL_BYTES + 2 * need + 7) & ~7), this._h, this._pk);
    this._arena = a;
    return a;
  }

  /* The plan of rec's keys: the last record's when its keys are the same,
   * else the one made for this key set before (up to 256 kept). The last
   * record's keys are compared by for-in, which makes no array as
   * Object.keys does: for-in gives the own enumerable keys first, in
   * Object.keys' order, then inherited ones; so when it gives the last
   * plan's keys and the last of them is the record's own, they are
   * Object.keys(rec). */
  _packPlan(rec) {
    const pk = this._pk;
    const last = pk.plan;
    if (last !== null) {
      const lk = last.keys;
      let j = 0;
      for (const k in rec) {
        if (j === lk.length || lk[j] !== k) {
          j = -1;
          break;
        }
        j++;
      }
      if (j === lk.length && (j === 0 || hasOwn.call(rec, lk[j - 1]))) return last;
    }
    const keys = Object.keys(rec);
    // JSON names every key set apart (keys may hold any character)
    const id = JSON.stringify(keys);
    let plan = pk.plans.get(id);
    if (plan === undefined) {
      plan = makePlan(this, keys);
      // the least recently used goes when 256 are kept
      if (pk.plans.size >= 256) pk.plans.delete(pk.plans.keys().next().value);
    } else {
      pk.plans.delete(id);
    }
    pk.plans.set(id, plan);
    pk.plan = plan;
    return plan;
  }

  /* Rule id -> verdict from the packed verdicts at u8[at..]: an object
   * literal made once per rulebook, so that every such object has the same
   * shape. */
  _verdictsOf(u8, at) {
    let make = this._verdictsMaker;
    if (make === undefined) {
      const ids = this.rules.map((r) => r.id);
      make = ids.includes('__proto__') ? null
        : new Function('V', `return function verdicts(u8, at) { return {${ids.map((id, k) =>
          `${JSON.stringify(id)}: V[u8[at + ${k}]]`).join(', ')}}; };`)(VERDICTS);
      this._verdictsMaker = make;
    }
    if (make !== null) return make(u8, at);
    const out = {};
    for (let k = 0; k < this.rules.length; k++) out[this.rules[k].id] = VERDICTS[u8[at + k]];
    return out;
  }

  /* A C result of its own for a packed record evaluated before. */
  _evaluatePackedHandle(record, asOf) {
    const h = this._h;
    const p = h.acquire(true);
    try {
      const f = this._takeFacts();
      try {
        const res = C.rulebook_result_new(p);
        if (!res) throw new OutOfMemoryError('out of memory');
        const rh = new Handle(res, C.rulebook_result_free, 'result', h);
        const st = C.rulebook_eval_packed(p, f, record, record.length, asOf, rh.ptr, null, 0, ERR);
        if (st) {
          rh.close();
          fail(st, ERR);
        }
        return rh;
      } finally {
        this._giveFacts(f);
      }
    } finally {
      h.release();
    }
  }

  /* The record without keys that are neither inputs nor "_" keys. */
  _known(record) {
    const out = {};
    for (const k of Object.keys(record)) {
      if (k[0] === '_' || k in this._inputTypes) out[k] = record[k];
    }
    return out;
  }

  _evaluateHandle(facts, asOf, dependent, exactOnly = false) {
    const h = this._h;
    const p = h.acquire(dependent);
    try {
      const f = this._takeFacts();
      try {
        this._setFacts(f, facts);
        const res = C.rulebook_result_new(p);
        if (!res) throw new OutOfMemoryError('out of memory');
        const rh = new Handle(res, C.rulebook_result_free, 'result', h);
        if (exactOnly) {
          need('rulebook_result_set_exact_only');
          C.rulebook_result_set_exact_only(res, 1);
        }
        const st = C.rulebook_eval(p, f, asOf, res, ERR);
        if (st) {
          rh.close();
          fail(st, ERR);
        }
        return rh;
      } finally {
        this._giveFacts(f);
      }
    } finally {
      h.release();
    }
  }

  /**
   * Evaluate many records in one call into the library (rulebook_eval_json
   * on an array). Each result answers verdicts, counts, exceptions and
   * missing inputs from the returned JSON; anything else makes it evaluate
   * its own record again, once. details: true asks for the full results
   * (messages and titles in lang) up front instead.
   */
  evaluateMany(records, asOf, { lang = 'zh', details = false, ignoreUnknown = false } = {}) {
    const d = asOfInt(asOf);
    const flags = langFlag(lang) | (details ? 0 : OUT_VERDICTS);
    const list = Array.from(records, (r) => (ignoreUnknown ? this._known(plain(r)) : plain(r)));
    if (!list.length) return [];
    const body = '[\n' + list.map((r) => this._recordJSON(r)).join(',\n') + '\n]';
    const data = JSON.parse(this._evalJSON(body, d, flags, list.length));
    return data.map((item, i) => Result._new(this, d, null, item, lang, { ...list[i] }, details));
  }

  /** JSON in, JSON out: facts object(s) as JSON text -> result(s) as JSON text. */
  evaluateJSON(json, asOf, { lang = 'zh', pretty = false, verdictsOnly = false } = {}) {
    const flags = langFlag(lang) | (pretty ? OUT_PRETTY : 0) | (verdictsOnly ? OUT_VERDICTS : 0);
    return this._evalJSON(String(json), asOfInt(asOf), flags, 0);
  }

  _evalJSON(body, asOf, flags, count) {
    const buf = Buffer.from(body, 'utf8');
    const out = [null];
    const n = [0];
    const p = this._h.acquire();
    try {
      const st = C.rulebook_eval_json(p, buf, buf.length, asOf, flags, out, n, ERR);
      if (st) {
        const diags = diagnosticsOf(ERR);
        // Record i is on line i + 2 of the text evaluateMany builds.
        const line = diags.length ? diags[0].line : 0;
        fail(st, ERR, line >= 2 && line < count + 2 ? line - 2 : undefined);
      }
      try {
        return takeText(out[0], n[0]);
      } finally {
        C.rulebook_mem_free(out[0]);
      }
    } finally {
      this._h.release();
    }
  }

  /* One call per fact and per record: the typed setters (as evaluate()
   * uses them) and one rulebook_population_add. Used only with a library
   * that lacks rulebook_population_add_table. */
  _addRecords(pop, records, first, ignoreUnknown) {
    const h = this._h;
    h.acquire(true);
    try {
      const f = this._takeFacts();
      try {
        let i = first;
        for (const rec of records) {
          C.rulebook_facts_clear(f);
          try {
            this._setFacts(f, plain(rec), ignoreUnknown);
          } catch (e) {
            if (e instanceof RulebookError) {
              e.record = i;
              e.message = `record ${i}: ${e.message}`;
            }
            throw e;
          }
          const st = C.rulebook_population_add(pop, f, ERR);
          if (st) fail(st, ERR, i);
          i++;
        }
      } finally {
        this._giveFacts(f);
      }
    } finally {
      h.release();
    }
  }

  /**
   * Evaluate records together: aggregates, ranked classes, verdict counts.
   * The records cross into the library in one call
   * (rulebook_population_add_table; all-numeric records without "_id" as
   * columns through rulebook_population_add_columns), not one per record.
   * Values are as for evaluate(); NaN is a missing value. A record with a
   * bad value throws the error of the first such record (`record` is its
   * index, `subject` the input); with skipBad: true such records are left
   * out instead and listed in the population's `refused` and `badRows`
   * (record k of the population is then not necessarily records[k]).
   *
   * Columns instead of records: { input: Float64Array, ... } (any typed
   * array or array of numbers; NaN and null are missing), all of one
   * length, for number and integer inputs, go to the library in one
   * rulebook_population_add_columns call without per-value work; a value
   * an input refuses throws, naming its record.
   *
   * threads: how many threads the library may evaluate a batch on (slices
   * of at least 2048 records, merged in order, so the results are the same
   * for any number); default one per processor.
   */
  population(records, asOf, { ignoreUnknown = false, skipBad = false, threads } = {}) {
    if (threads !== undefined && threads !== null && !(Number.isInteger(threads) && threads >= 1)) {
      throw new InvalidArgumentError(`threads must be an integer of at least 1, not ${threads}`);
    }
    const d = asOfInt(asOf);
    const h = this._h;
    const p = h.acquire();
    try {
      const pop = C.rulebook_population_new(p, d);
      if (!pop) throw new OutOfMemoryError('out of memory');
      const result = Population._new(this, d, new Handle(pop, C.rulebook_population_free, 'population', h));
      // slices of each batch on the library's threads, merged in order
      if (C.rulebook_population_set_threads) C.rulebook_population_set_threads(pop, threads || 0);
      try {
        if (isColumns(records)) {
          addColumnArrays(this, pop, records, ignoreUnknown);
        } else if (C.rulebook_population_add_table) {
          result._refused = Object.freeze(addBatches(this, pop, records, 0, ignoreUnknown, skipBad));
        } else {
          this._addRecords(pop, records, 0, ignoreUnknown);
        }
      } catch (e) {
        result.close();
        throw e;
      }
      return result;
    } finally {
      h.release();
    }
  }

  /** Run the rulebook's own tests: { passed, failed, ok, failures }. */
  runTests() {
    const out = [null];
    const p = this._h.acquire();
    try {
      const st = C.rulebook_run_tests(p, out, ERR);
      const rep = out[0];
      if ((st && st !== Status.TEST) || !rep) {
        C.rulebook_test_report_free(rep);
        fail(st || Status.NOMEM, ERR);
      }
      try {
        const failed = Number(C.rulebook_test_report_failed(rep));
        const failures = [];
        for (let i = 0; i < failed; i++) {
          failures.push(Object.freeze({
            case: C.rulebook_test_report_case(rep, i), check: C.rulebook_test_report_check(rep, i),
            expected: C.rulebook_test_report_expected(rep, i), actual: C.rulebook_test_report_actual(rep, i),
            line: C.rulebook_test_report_line(rep, i),
            column: C.rulebook_test_report_column ? C.rulebook_test_report_column(rep, i) : 0,
          }));
        }
        const passed = Number(C.rulebook_test_report_passed(rep));
        return Object.freeze({ passed, failed, ok: failed === 0, failures: Object.freeze(failures) });
      } finally {
        C.rulebook_test_report_free(rep);
      }
    } finally {
      this._h.release();
    }
  }

  /**
   * The rulebook's own tests: as data: [{ name, asOf, line, column,
   * population, records: [[{ name, value, line, column }]], facts (the
   * first record's), expectations: [{ kind, name, value, places, line,
   * column }] }]. A fact's value is the text written (null for null).
   */
  testCases() {
    need('rulebook_test_count');
    const p = this._h.acquire();
    try {
      const cases = [];
      const n = Number(C.rulebook_test_count(p));
      for (let i = 0; i < n; i++) {
        const records = [];
        const nr = Number(C.rulebook_test_record_count(p, i));
        for (let r = 0; r < nr; r++) {
          const facts = [];
          const nf = Number(C.rulebook_test_fact_count(p, i, r));
          for (let j = 0; j < nf; j++) {
            facts.push(Object.freeze({
              name: C.rulebook_test_fact_name(p, i, r, j),
              value: C.rulebook_test_fact_value(p, i, r, j),
              line: C.rulebook_test_fact_line(p, i, r, j),
              column: C.rulebook_test_fact_column(p, i, r, j),
            }));
          }
          records.push(Object.freeze(facts));
        }
        const expectations = [];
        const ne = Number(C.rulebook_test_expect_count(p, i));
        for (let j = 0; j < ne; j++) {
          const places = C.rulebook_test_expect_places(p, i, j);
          expectations.push(Object.freeze({
            kind: EXPECT_KINDS[C.rulebook_test_expect_kind(p, i, j)],
            name: C.rulebook_test_expect_name(p, i, j),
            value: C.rulebook_test_expect_value(p, i, j),
            places: places < 0 ? null : places,
            line: C.rulebook_test_expect_line(p, i, j),
            column: C.rulebook_test_expect_column(p, i, j),
          }));
        }
        cases.push(Object.freeze({
          name: C.rulebook_test_name(p, i), asOf: intToDateText(C.rulebook_test_as_of(p, i)),
          line: C.rulebook_test_line(p, i), column: C.rulebook_test_column(p, i),
          population: C.rulebook_test_is_population(p, i) === 1,
          records: Object.freeze(records), facts: records.length ? records[0] : Object.freeze([]),
          expectations: Object.freeze(expectations),
        }));
      }
      return Object.freeze(cases);
    } finally {
      this._h.release();
    }
  }

  /** SHA-256 of this rulebook's own source (hash covers its parents too). */
  get fileHash() {
    need('rulebook_file_hash');
    const p = this._h.acquire();
    try {
      return C.rulebook_file_hash(p);
    } finally {
      this._h.release();
    }
  }

  /** [{ id, hash }] of each rulebook this one extends, the direct parent first. */
  get parents() {
    need('rulebook_parent_count');
    const p = this._h.acquire();
    try {
      const out = [];
      const n = Number(C.rulebook_parent_count(p));
      for (let i = 0; i < n; i++) {
        out.push(Object.freeze({ id: C.rulebook_parent_id(p, i), hash: C.rulebook_parent_hash(p, i) }));
      }
      return Object.freeze(out);
    } finally {
      this._h.release();
    }
  }

  /** Where the rule (id or index) is written: { file, line, column } of its id. */
  ruleLocation(rule) {
    need('rulebook_item_column');
    const i = this._ruleIndex(rule);
    const p = this._h.acquire();
    try {
      return Object.freeze({
        file: C.rulebook_item_file(p, ITEM_RULE, i), line: C.rulebook_item_line(p, ITEM_RULE, i),
        column: C.rulebook_item_column(p, ITEM_RULE, i),
      });
    } finally {
      this._h.release();
    }
  }

  /** How many comparisons the rule's requirement has (Result#comparisons). */
  comparisonCount(rule) {
    need('rulebook_rule_comparison_count');
    const i = this._ruleIndex(rule);
    const p = this._h.acquire();
    try {
      return Number(C.rulebook_rule_comparison_count(p, i));
    } finally {
      this._h.release();
    }
  }

  /** Likely mistakes that still compile; no asOf skips the date checks. */
  lint(asOf) {
    const d = asOf === undefined || asOf === null ? 0 : asOfInt(asOf);
    const p = this._h.acquire();
    try {
      const st = C.rulebook_lint(p, d, ERR);
      if (st) fail(st, ERR);
      return diagnosticsOf(ERR);
    } finally {
      this._h.release();
    }
  }
}

const declarations = require('./declarations');

const setList = require('./lists').makeSetList({ C, factError, dateParts, ymdText, isDecimalObject });
const loading = require('./loading').makeLoading({ C, koffi, fail, Status });

declarations.install(Rulebook, { C, need, intToDateText, NotFoundError, InvalidArgumentError });
require('./transfer').install(Population, Rulebook, {
  C, koffi, need, fail, ERR, Handle, scorecardIndex, OutOfMemoryError,
});

module.exports = {
  ITEM_KINDS: declarations.ITEM_KINDS,
  decimalParse,
  decimalCompare,
  decimalCalc,
  decimalFormat,
  Rulebook,
  Result,
  RuleResult,
  Population,
  Status,
  VERDICTS,
  LIMITS,
  RulebookError,
  OutOfMemoryError,
  RulebookIOError,
  ParseError,
  SchemaError,
  ExpressionError,
  NamingError,
  RulebookTypeError,
  UnitError,
  CycleError,
  FactError,
  NumberRangeError,
  LimitError,
  InvalidArgumentError,
  NotFoundError,
  RulebookTestError,
  ClosedError,
  LibraryNotFoundError,
  libraryPath: opened.path,
  libraryVersion: C.rulebook_version(),
  libraryVersionNumber: C.rulebook_version_number(),
  ABI_VERSION,
};
// For the binding's own tests and measurements: the C functions (which a
// test may wrap to count calls) and the batch size. Not part of the API.
Object.defineProperty(module.exports, '_internal', { value: Object.freeze({ C, BATCH }) });
