// TypeScript declarations of the rulebook Node binding.
//
// Decimal values are strings ("1158.1"): JS numbers are binary doubles and
// cannot hold most decimal fractions exactly; the library computes in exact
// decimals and the binding never turns one into a number. Dates are
// 'YYYY-MM-DD' strings on output and Date | 'YYYY-MM-DD' | YYYYMMDD on input.

/** Text of a decimal number: "37", "1158.1", "-0.05". */
export type DecimalString = string;
/** A calendar day as 'YYYY-MM-DD'. */
export type DateString = string;
export type Lang = 'zh' | 'en';
export type Verdict = 'pass' | 'fail' | 'not_applicable' | 'exempt' | 'unknown' | 'not_in_force' | 'error';
export type TargetStatus = 'met' | 'on_pace' | 'behind_pace' | 'missed' | 'not_started' | 'unknown' | 'not_in_force';

/**
 * An evaluation date: a Date (one at exactly UTC midnight, as
 * `new Date('2023-06-30')` makes, is read in UTC; any other by its local
 * calendar day), 'YYYY-MM-DD', or a number YYYYMMDD. Omitted: today.
 */
export type DateLike = Date | DateString | number;

/** Anything decimal.js, big.js or bignumber.js make: passed as its toString(). */
export interface DecimalLike { toFixed(...args: unknown[]): string; toString(): string }

/**
 * A fact value: a string (decimal text, possibly with a unit: "20000 m²";
 * or the text of a boolean, date, enum or text input), a number (converted
 * by the library to the shortest decimal that reads back as the same
 * double), a bigint, a boolean, a Date, a decimal object, or null/undefined
 * for a missing value.
 */
export type ScalarFactValue = string | number | bigint | boolean | Date | DecimalLike | null | undefined;
/** A list input's elements; a list of records takes objects of its fields. */
export type FactValue = ScalarFactValue | ScalarFactValue[] | { [field: string]: ScalarFactValue }[];
/** Input name -> value; "_id" names the record; other "_" keys are ignored. */
export type Facts = { [input: string]: FactValue } | Map<string, FactValue>;

export interface LoadOptions {
  /** Directories where `extends: <id>` looks after the rulebook's own. */
  searchPath?: string[];
  /** Limits (0 restores a default). */
  limits?: Partial<Record<keyof typeof LIMITS, number | bigint>>;
  /** false refuses a rulebook with `extends` (InvalidArgumentError at its value): for files from others. */
  allowExtends?: boolean;
  /**
   * Supplies the source of the parent `extends: name` names, instead of
   * reading files; null or undefined when there is none (NotFoundError).
   * What it throws comes out of the load.
   */
  resolver?: (name: string) => string | Uint8Array | null | undefined;
}

export declare const Status: Readonly<{
  OK: 0; NOMEM: 1; IO: 2; SYNTAX: 3; SCHEMA: 4; EXPR: 5; NAME: 6; TYPE: 7; UNIT: 8; CYCLE: 9;
  VALUE: 10; RANGE: 11; LIMIT: 12; INVALID: 13; NOT_FOUND: 14; TEST: 15; LINT: 16; NOTE: 17;
}>;
export declare const VERDICTS: readonly string[];
export declare const LIMITS: Readonly<{
  fileSize: 0; depth: 1; nodes: 2; scalar: 3; exprDepth: 4; exprLength: 5; names: 6;
}>;
export declare const libraryPath: string;
export declare const libraryVersion: string;
export declare const ABI_VERSION: number;

/** One diagnostic of a failed call, or one lint finding. */
export interface Diagnostic {
  readonly status: number;
  readonly message: string;
  /** The file or buffer name; null if none. */
  readonly file: string | null;
  /** 1-based; 0 when unknown. */
  readonly line: number;
  /** 1-based, counting bytes; 0 when unknown. */
  readonly column: number;
  /** The rule, input, parameter, indicator or test case involved. */
  readonly subject: string | null;
}

/** Base class of every error the library reports. */
export declare class RulebookError extends Error {
  static readonly status: number;
  readonly status: number;
  /** 'schema', 'value', 'not_found', ... */
  readonly statusName: string;
  /** Every diagnostic (loading reports all mistakes it finds). */
  readonly diagnostics: readonly Diagnostic[];
  /** The first diagnostic's position and subject. */
  readonly file: string | null;
  readonly line: number;
  readonly column: number;
  readonly subject: string | null;
  /** The 0-based index of the record at fault in a batch call, else null. */
  readonly record: number | null;
  /** The first diagnostic's message without its position. */
  readonly detail: string;
}
export declare class OutOfMemoryError extends RulebookError {}
export declare class RulebookIOError extends RulebookError {}
export declare class ParseError extends RulebookError {}
export declare class SchemaError extends RulebookError {}
export declare class ExpressionError extends RulebookError {}
export declare class NamingError extends RulebookError {}
export declare class RulebookTypeError extends RulebookError {}
export declare class UnitError extends RulebookError {}
export declare class CycleError extends RulebookError {}
export declare class FactError extends RulebookError {}
export declare class NumberRangeError extends FactError {}
export declare class LimitError extends RulebookError {}
export declare class InvalidArgumentError extends RulebookError {}
export declare class NotFoundError extends RulebookError {}
export declare class RulebookTestError extends RulebookError {}
export declare class ClosedError extends RulebookError {}
export declare class LibraryNotFoundError extends Error {
  readonly tried: ReadonlyArray<[string, string]>;
}

export interface InputInfo {
  readonly name: string;
  readonly type: 'number' | 'integer' | 'boolean' | 'text' | 'enum' | 'date';
  /** '' when none. */
  readonly unit: string;
  readonly index: number;
}
export interface RuleInfo {
  readonly id: string;
  readonly cite: string;
  readonly severity: 'info' | 'minor' | 'major' | 'critical';
  readonly responsible: readonly string[];
  readonly index: number;
}
export interface ParameterInfo {
  readonly name: string;
  readonly unit: string;
  readonly cite: string;
  readonly provenance: 'cited' | 'illustrative';
  readonly index: number;
}
export interface TargetInfo {
  readonly id: string;
  readonly cite: string;
  readonly unit: string;
  readonly responsible: readonly string[];
  readonly index: number;
}
export interface ScorecardInfo {
  readonly id: string;
  readonly components: readonly string[];
  /** Best first. */
  readonly classes: readonly string[];
  readonly index: number;
}
export interface AggregateInfo {
  readonly id: string;
  readonly cite: string;
  readonly index: number;
}

export interface TestFailure {
  readonly case: string;
  readonly check: string;
  readonly expected: string;
  readonly actual: string;
  readonly line: number;
  /** Of the expected value (or of the fact that could not be set). */
  readonly column: number;
}
export interface TestReport {
  readonly passed: number;
  readonly failed: number;
  readonly ok: boolean;
  readonly failures: readonly TestFailure[];
}

/** A fact of a test case as written ("31.3 亩"); value null when null. */
export interface TestFact {
  readonly name: string;
  readonly value: string | null;
  readonly line: number;
  readonly column: number;
}
export type ExpectKind = 'verdict' | 'value' | 'obligation' | 'target' | 'class' | 'score' |
  'aggregate' | 'aggregate_value';
export interface TestExpectation {
  readonly kind: ExpectKind;
  readonly name: string;
  readonly value: string;
  /** {value, places}: compared rounded half up; null when exact. */
  readonly places: number | null;
  readonly line: number;
  readonly column: number;
}
/** A case under `tests:`; records has one list of facts per record. */
export interface TestCase {
  readonly name: string;
  readonly asOf: DateString;
  readonly line: number;
  readonly column: number;
  readonly population: boolean;
  readonly records: readonly (readonly TestFact[])[];
  readonly facts: readonly TestFact[];
  readonly expectations: readonly TestExpectation[];
}
export interface SourceLocation {
  readonly file: string | null;
  readonly line: number;
  readonly column: number;
}
/** A comparison of a rule's requirement, measured whether it holds or not. */
export interface Comparison {
  /** threshold - value, every digit; null when a side is missing or not reached. */
  readonly gap: DecimalString | null;
  readonly value: DecimalString | null;
  readonly threshold: DecimalString | null;
  readonly unit: string;
  readonly operator: '<' | '<=' | '>' | '>=' | '==' | '!=';
  readonly strict: boolean;
  readonly name: string | null;
  readonly thresholdName: string | null;
  readonly holds: boolean | null;
  /** The gap for people while the comparison does not hold. */
  readonly text: string | null;
}
export interface UsedValue {
  readonly name: string;
  readonly kind: 'input' | 'parameter' | 'indicator' | 'table';
  readonly unit: string;
  readonly value: string | null;
}
export type Rounding = 'half_up' | 'half_even' | 'down' | 'floor' | 'ceiling';
/** The plain form of a decimal text: "37.00" -> "37", "2.3%" -> "0.023". */
export declare function decimalParse(text: DecimalString | bigint | number): DecimalString;
/** -1, 0 or 1 as a < b, a == b, a > b, exactly. */
export declare function decimalCompare(a: DecimalString | bigint | number,
  b: DecimalString | bigint | number): -1 | 0 | 1;
/** a op b, exact within 18 significant digits. */
export declare function decimalCalc(a: DecimalString | bigint | number, op: '+' | '-' | '*' | '/',
  b: DecimalString | bigint | number): DecimalString;
/** A decimal for people: places, rounding, thousands separators, fixed places, a sign. */
export declare function decimalFormat(value: DecimalString | bigint | number, options?: {
  places?: number; rounding?: Rounding; thousands?: boolean; fixed?: boolean; sign?: boolean;
}): string;

export interface Gap {
  readonly value: DecimalString | null;
  readonly actual: DecimalString | null;
  readonly threshold: DecimalString | null;
  readonly unit: string | null;
  /** e.g. "+4.2 万元/亩"; ">+0.5%" when the value must exceed the threshold. */
  readonly text: string;
  readonly strict?: boolean;
}
export interface Obligation {
  readonly id: string;
  readonly value: DecimalString | null;
  readonly unit: string | null;
}
/** A value a rule used. Decimals and dates are strings, booleans booleans. */
export interface RuleValue {
  readonly value: string | boolean | null;
  readonly unit: string | null;
  readonly kind: 'input' | 'parameter' | 'indicator' | 'table';
  readonly provenance: 'cited' | 'illustrative' | null;
  readonly cite: string | null;
  /** For a table lookup, the row's key: "far_min[26]". */
  readonly key: string | null;
  /** Index of the cited document in the result JSON's "documents". */
  readonly document: number | null;
}
/** One rule of an all_of / any_of rule. */
export interface RulePart {
  readonly rule: string;
  readonly verdict: Verdict;
  readonly cite: string | null;
  readonly gap: string | null;
}

export declare class RuleResult {
  readonly index: number;
  readonly id: string;
  readonly verdict: Verdict;
  /** For an exempt rule, the exception that applied. */
  readonly exception: string | null;
  readonly exceptionCite: string | null;
  /** For an unknown rule, the inputs and parameters it lacked. */
  readonly missing: readonly string[];
  /** For an error verdict: "division by zero", ... */
  readonly error: string | null;
  readonly cite: string | null;
  readonly file: string | null;
  readonly title: string | null;
  readonly severity: string | null;
  readonly responsible: readonly string[];
  readonly illustrative: boolean;
  /** Index of the cited document in the result JSON's "documents". */
  readonly document: number | null;
  /** 'all_of' or 'any_of' for a rule that requires other rules. */
  readonly partsMode: 'all_of' | 'any_of' | null;
  readonly parts: readonly RulePart[];
  readonly gap: Gap | null;
  readonly values: Readonly<Record<string, RuleValue>>;
  readonly obligations: readonly Obligation[];
  readonly passed: boolean;
  readonly failed: boolean;
  /** The rendered message; '' if the rule has none. */
  message(lang?: Lang): string;
}

export interface TargetResult {
  readonly id: string;
  readonly status: TargetStatus;
  /** behind pace or missed */
  readonly flagged: boolean;
  readonly cite: string | null;
  readonly title: string | null;
  readonly unit: string | null;
  readonly responsible: readonly string[];
  readonly achieved: DecimalString | null;
  readonly target: DecimalString | null;
  readonly completion: DecimalString | null;
  readonly timeProgress: DecimalString | null;
  readonly shortfall: DecimalString | null;
  readonly neededPerMonth: DecimalString | null;
  /** Index of the document its citation names (the result's documents), or null. */
  readonly document: number | null;
}
export interface ScorecardResult {
  readonly id: string;
  /** A class id, 'not_rated', 'not_in_force', 'error', or null when undecided for missing data. */
  readonly class: string | null;
  readonly score: DecimalString | null;
  readonly veto: string | null;
  readonly cite: string | null;
  /** Index of the document its citation names (the result's documents), or null. */
  readonly document: number | null;
  /** The citation of the veto that applied, and its document. */
  readonly vetoCite: string | null;
  readonly vetoDocument: number | null;
  readonly components: ReadonlyArray<{
    readonly id: string; readonly unit: string | null; readonly value: DecimalString | null;
    readonly ratio: DecimalString | null; readonly weight: DecimalString | null; readonly points: DecimalString | null;
  }>;
  readonly consequences: ReadonlyArray<Obligation & { readonly cite: string | null; readonly document: number | null }>;
}

/** The evaluation of one record. */
export declare class Result {
  private constructor();
  /** Every comparison of the rule's requirement, whether it holds or not. */
  comparisons(ruleId: string): readonly Comparison[];
  /** The inputs, parameters, indicators and table lookups the rule used, with their values. */
  valuesUsed(ruleId: string): readonly UsedValue[];
  /** The parts of a failed rule's gap, exactly ([] when it did not fail). */
  gapParts(ruleId: string): readonly Comparison[];
  /** Whether the rule's verdict rests on an illustrative parameter. */
  illustrative(ruleId: string): boolean | null;
  /** Why the rule's verdict is 'error', else null. */
  error(ruleId: string): string | null;
  /** For an unknown target, the inputs and parameters without a value. */
  targetMissing(targetId: string): readonly string[];
  /** When the class is 'error', why; else null. */
  classError(scorecard?: string): string | null;
  /** What leaves the class undecided. */
  classMissing(scorecard?: string): readonly { readonly name: string; readonly part: string }[];
  /** true: the verdicts were decided in exact decimals; false: by the binary run. */
  readonly decidedExactly: boolean | null;
  readonly rulebook: Rulebook;
  readonly asOf: DateString;
  readonly recordId: string | null;
  readonly closed: boolean;
  /** Rule id -> verdict, in the rulebook's order. */
  readonly verdicts: Record<string, Verdict>;
  /** How many rules got each verdict. */
  readonly counts: Record<Verdict, number>;
  /** Every rule's outcome (titles and messages in Chinese). */
  readonly rules: readonly RuleResult[];
  readonly failed: RuleResult[];
  readonly targets: Readonly<Record<string, TargetResult>>;
  readonly scorecards: Readonly<Record<string, ScorecardResult>>;
  verdict(ruleId: string): Verdict;
  rulesIn(lang?: Lang): readonly RuleResult[];
  rule(ruleId: string, lang?: Lang): RuleResult;
  withVerdict(...verdicts: Verdict[]): RuleResult[];
  /** An input, parameter or indicator: decimal string, boolean, 'YYYY-MM-DD' or text; null when missing. */
  value(name: string): string | boolean | null;
  message(ruleId: string, lang?: Lang): string;
  explain(lang?: Lang): string;
  /** The result as JSON text (schema in docs/api.md). */
  json(options?: { lang?: Lang; pretty?: boolean; verdictsOnly?: boolean }): string;
  /** The JSON result as a fresh object. */
  toObject(options?: { lang?: Lang }): any;
  toJSON(): any;
  classOf(scorecard?: string): string | null;
  /** The exact score in a scorecard (the only one when not named); null when none. */
  score(scorecard?: string): DecimalString | null;
  /**
   * The score as a number (the only scorecard when not named); null when
   * none. From evaluate() it comes with the verdicts, without another call:
   * within 2^-43 of the exact score, relatively (as
   * rulebook_result_score_double gives it); `score()` is the exact text.
   */
  scoreNumber(scorecard?: string): number | null;
  close(): void;
}

export interface AggregateResult {
  readonly id: string;
  readonly cite: string;
  readonly verdict: Verdict;
  readonly value: DecimalString | null;
  readonly numerator: DecimalString | null;
  readonly denominator: DecimalString | null;
  readonly counted: number | null;
  readonly threshold: DecimalString | null;
  /** The change needed, with its unit. */
  readonly gap: string | null;
  /** Indices of the records counted. */
  readonly records: readonly number[];
}

/** Records evaluated together as of one date. */
export declare class Population {
  private constructor();
  readonly rulebook: Rulebook;
  readonly asOf: DateString;
  readonly size: number;
  readonly closed: boolean;
  readonly recordIds: (string | null)[];
  /** How many (record, rule) pairs got each verdict. */
  readonly counts: Record<Verdict, number>;
  readonly aggregates: Readonly<Record<string, AggregateResult>>;
  /** Scorecard id -> class id -> number of records. */
  readonly classCounts: Record<string, Record<string, number>>;
  /**
   * With population(records, asOf, { skipBad: true }): the records left
   * out, one error each (a FactError or NumberRangeError) whose `record` is
   * the index in the records given and `subject` the input. Empty otherwise.
   */
  readonly refused: readonly RulebookError[];
  /** The indices of the records left out by skipBad (see refused). */
  readonly badRows: number[];
  /**
   * Evaluate one more record and add it; returns its index. A bad value
   * throws (FactError naming the input) and leaves the population as it was.
   */
  add(record: Facts, options?: { ignoreUnknown?: boolean }): number;
  /** A new population with the same records (for what-if). */
  copy(): Population;
  verdict(record: number, ruleId: string | number): Verdict;
  verdicts(record: number): Record<string, Verdict>;
  classOf(record: number, scorecard?: string): string | null;
  classes(scorecard?: string): (string | null)[];
  score(record: number, scorecard?: string): DecimalString | null;
  /** Every record's verdict codes (indices into VERDICTS), records × rules, row-major. */
  verdictMatrix(): Uint8Array;
  /** Every record's class index (0 the best), -1 unknown, -2 not rated, -3 not in force, -4 error. */
  classCodes(scorecard?: string): Int16Array;
  /**
   * Every record's score as a double (NaN for none): the binary score when
   * its error bound is within 2^-44 of it (no exact score computed), else
   * the exact score's nearest double.
   */
  scoreValues(scorecard?: string): Float64Array;
  /** Every record's score: values as scoreValues, and the exact texts (computed when read). */
  scoreArrays(scorecard?: string): { values: Float64Array; readonly texts: (DecimalString | null)[] };
  json(options?: { verdictsOnly?: boolean }): string;
  toObject(options?: { verdictsOnly?: boolean }): any;
  /** The population as one self-contained HTML page (docs/report.md);
   * records: the records it was made from, in order, for messages, gaps
   * and target figures. */
  reportHtml(records?: Iterable<Facts> | null, options?: {
    lang?: Lang; data?: string; yellowBehind?: number | string; redBehind?: number | string;
    ignoreUnknown?: boolean;
  }): string;
  toJSON(): any;
  close(): void;
}

/** A compiled rulebook: immutable. */
export declare class Rulebook {
  private constructor();
  /** Load and compile the rulebook at path; throws a RulebookError subclass. */
  static load(path: string, options?: LoadOptions): Rulebook;
  /** Compile a rulebook from YAML text; name is used in diagnostics. */
  static fromString(source: string | Uint8Array, options?: LoadOptions & { name?: string }): Rulebook;
  readonly id: string;
  /** The Chinese title (the English one when there is no Chinese). */
  readonly title: string;
  readonly subject: string;
  /** SHA-256 of the rulebook's source bytes. */
  readonly hash: string;
  readonly inForce: { readonly from: DateString | null; readonly until: DateString | null };
  readonly inputs: readonly InputInfo[];
  readonly rules: readonly RuleInfo[];
  readonly parameters: readonly ParameterInfo[];
  readonly targets: readonly TargetInfo[];
  readonly scorecards: readonly ScorecardInfo[];
  readonly aggregates: readonly AggregateInfo[];
  readonly inputNames: string[];
  readonly ruleIds: string[];
  readonly closed: boolean;
  titleIn(lang: Lang): string;
  parameterValue(name: string, asOf?: DateLike): DecimalString | null;
  /** Evaluate one record. A key that is not an input throws NotFoundError unless ignoreUnknown. */
  evaluate(facts: Facts, asOf?: DateLike,
    options?: { ignoreUnknown?: boolean; exactOnly?: boolean }): Result;
  /**
   * Evaluate many records in one call into the library (rulebook_eval_json).
   * Results answer verdicts, counts, exceptions and missing inputs from the
   * returned JSON and evaluate their record again, once, for anything else;
   * details: true fetches full results up front.
   */
  evaluateMany(records: Iterable<Facts>, asOf?: DateLike,
    options?: { lang?: Lang; details?: boolean; ignoreUnknown?: boolean }): Result[];
  /** JSON in, JSON out. */
  evaluateJSON(json: string, asOf?: DateLike, options?: { lang?: Lang; pretty?: boolean; verdictsOnly?: boolean }): string;
  /**
   * Evaluate records together: aggregates, ranked classes, verdict counts.
   * The records cross into the library in one call per 65 536 records
   * (rulebook_population_add_table; numbers-only records without "_id" as
   * columns through rulebook_population_add_columns). NaN is a missing
   * value. A bad value throws the error of the first such record (`record`
   * is its index); with skipBad such records are left out and listed in
   * the population's `refused` and `badRows`. threads: how many threads
   * the library may evaluate a batch on (default one per processor; the
   * results are the same for any number).
   */
  population(records: Iterable<Facts>, asOf?: DateLike,
    options?: { ignoreUnknown?: boolean; skipBad?: boolean; threads?: number }): Population;
  /**
   * A population from columns of number and integer inputs, all of one
   * length (NaN and null are missing), in one call into the library.
   */
  population(columns: Readonly<Record<string, ArrayLike<number | null> | Float64Array>>,
    asOf?: DateLike, options?: { ignoreUnknown?: boolean; threads?: number }): Population;
  runTests(): TestReport;
  /** The rulebook's own tests: as data. */
  testCases(): readonly TestCase[];
  /** SHA-256 of this rulebook's own source (hash covers its parents too). */
  readonly fileHash: string;
  /** Each rulebook this one extends, the direct parent first. */
  readonly parents: readonly { readonly id: string; readonly hash: string }[];
  /** Where the rule is written: file, line and column of its id. */
  ruleLocation(rule: string | number): SourceLocation;
  /** How many comparisons the rule's requirement has. */
  comparisonCount(rule: string | number): number;
  /** Likely mistakes that still compile; no asOf skips the date checks. */
  lint(asOf?: DateLike): Diagnostic[];
  close(): void;
}

// ---------------------------------------------------------------------------
// What a rulebook declares (declarations.js)
// ---------------------------------------------------------------------------

export type ItemKind = 'rule' | 'target' | 'scorecard' | 'aggregate' | 'indicator';
/** The item kinds, in the order of rulebook_item_kind. */
export declare const ITEM_KINDS: readonly ItemKind[];
/** The numeric version of the loaded library (RULEBOOK_VERSION_NUMBER, e.g. 1000 for 0.1.0). */
export declare const libraryVersionNumber: number;

/** A document the rulebook cites: its `source` (id '') or one of its `sources` (then its parents'). */
export interface DocumentInfo {
  /** What RuleInfo/Item `document` and ruleDocument refer to. */
  readonly index: number;
  readonly id: string;
  readonly issuer: string | null;
  readonly title: string | null;
  /** The document number (文号). */
  readonly number: string | null;
  readonly issued: DateString | null;
}
/** A field of the elements of a list input of records. */
export interface FieldInfo {
  readonly name: string;
  /** number, integer, boolean, text, enum or date */
  readonly type: string;
  /** As written; '' when none. */
  readonly unit: string;
}
/** A rule, target, scorecard, aggregate or indicator, as tools that explain or compare rulebooks see it. */
export interface Item {
  readonly kind: ItemKind;
  readonly id: string;
  /** The kind's own index (RuleInfo.index, ...; indicators in evaluation order). */
  readonly index: number;
  /** File, line and column of its id. */
  readonly location: SourceLocation;
  /** Inputs, parameters and indicators it uses, in the order first used; [] for indicators. */
  readonly uses: readonly string[];
  /** Canonical text, one "path: value" line per scalar: equal exactly when defined alike. */
  readonly definition: string;
  /** Index into Rulebook#documents; null for none (indicators cite nothing). */
  readonly document: number | null;
}

// Declaration merging: these members are installed on Rulebook by declarations.js.
export interface Rulebook {
  /** The documents the rulebook cites: its source (id ''), its sources, then its parents'. */
  readonly documents: readonly DocumentInfo[];
  /** The names the column of record ids may have in data files (`id_column:`), in order. */
  readonly idColumns: readonly string[];
  /** The document a rule (id or index) cites; null when the rulebook lists none. */
  ruleDocument(rule: string | number): DocumentInfo | null;
  /** The rule's title in lang (a missing translation falls back to the other); null when none. */
  ruleTitle(rule: string | number, lang?: Lang): string | null;
  /** The target's title in lang, as ruleTitle. */
  targetTitle(target: string | number, lang?: Lang): string | null;
  /** The scorecard's title in lang, as ruleTitle. */
  scorecardTitle(scorecard: string | number, lang?: Lang): string | null;
  /** The clause the scorecard cites. */
  scorecardCite(scorecard: string | number): string;
  /** The aggregate's title in lang, as ruleTitle. */
  aggregateTitle(aggregate: string | number, lang?: Lang): string | null;
  /** The unit of the aggregate's value as written; '' for a share or a count. */
  aggregateUnit(aggregate: string | number): string;
  /** The aggregate's responsible units (责任单位). */
  aggregateResponsible(aggregate: string | number): readonly string[];
  /** The input's label in lang (falling back to the other); null when none. */
  inputLabel(input: string | number, lang?: Lang): string | null;
  /** Other names of the input's column in data files (`aliases:`). */
  inputAliases(input: string | number): readonly string[];
  /** A list input's element type ('number', ..., 'record'); null for an input that is not a list. */
  inputElementType(input: string | number): string | null;
  /** The fields of a list input of records; [] for any other input. */
  inputFields(input: string | number): readonly FieldInfo[];
  /** Every item of a kind. */
  items(kind: ItemKind): readonly Item[];
  /** One item of a kind, by id or index (NotFoundError, RangeError). */
  item(kind: ItemKind, item: string | number): Item;
}

// ---------------------------------------------------------------------------
// Populations as bytes, merged, their scores as decimal128 (transfer.js)
// ---------------------------------------------------------------------------

/** Every record's score in one scorecard as Arrow decimal128 values. */
export interface Decimal128Scores {
  readonly scale: number;
  /** 16 bytes per record: the unscaled value (score × 10^scale), 128-bit two's complement, machine byte order. */
  readonly values: Uint8Array;
  /** One byte per record: 1 where the record has a score (its value is 0 where not). */
  readonly valid: Uint8Array;
}

// Declaration merging: installed on Population and Rulebook by transfer.js.
export interface Population {
  /**
   * Every record's score as decimal128 at scale (0..38, default 2), exactly;
   * NumberRangeError when a score has more decimal places than scale.
   */
  scoresDecimal128(scorecard?: string, scale?: number): Decimal128Scores;
  /** Append the records of other (same rulebook and as-of date) as if added here. */
  merge(other: Population): void;
  /**
   * The population as bytes, for Rulebook#loadPopulation. deferred: exact scores not computed
   * yet stay so (the bytes carry the records' inputs; the same scores when read).
   */
  toBuffer(options?: { deferred?: boolean }): Buffer;
}
export interface Rulebook {
  /** A population from Population#toBuffer (same rulebook and library version). */
  loadPopulation(data: Uint8Array): Population;
}
