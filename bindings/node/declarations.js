'use strict';
/*
 * What a rulebook declares besides ids: the documents it cites, titles and
 * labels in both languages, other names of input columns and of the id
 * column, list inputs' element types and fields, and every item's
 * position, uses and canonical definition. Installed as methods and
 * getters of Rulebook by index.js.
 */

/** rulebook_item_kind, in the order of its values. */
const ITEM_KINDS = Object.freeze(['rule', 'target', 'scorecard', 'aggregate', 'indicator']);

function install(Rulebook, { C, need, intToDateText, NotFoundError, InvalidArgumentError }) {
  function lang(l) {
    if (l !== 'zh' && l !== 'en') throw new InvalidArgumentError(`lang must be 'zh' or 'en', not ${JSON.stringify(l)}`);
    return l;
  }

  function kindIndex(kind) {
    const k = ITEM_KINDS.indexOf(kind);
    if (k < 0) throw new InvalidArgumentError(`kind must be one of ${ITEM_KINDS.join(', ')}, not ${JSON.stringify(kind)}`);
    return k;
  }

  function strings(n, get) {
    const out = [];
    for (let j = 0; j < n; j++) out.push(get(j));
    return Object.freeze(out);
  }

  function documentAt(p, d) {
    return Object.freeze({
      index: d,
      id: C.rulebook_document_id(p, d) || '',
      issuer: C.rulebook_document_issuer(p, d),
      title: C.rulebook_document_title(p, d),
      number: C.rulebook_document_number(p, d),
      issued: intToDateText(C.rulebook_document_issued(p, d)),
    });
  }

  function itemAt(p, kind, k, i) {
    const doc = Number(C.rulebook_item_document(p, k, i));
    return Object.freeze({
      kind,
      id: C.rulebook_item_id(p, k, i),
      index: i,
      location: Object.freeze({ file: C.rulebook_item_file(p, k, i), line: C.rulebook_item_line(p, k, i),
        column: C.rulebook_item_column(p, k, i) }),
      uses: strings(Number(C.rulebook_item_uses_count(p, k, i)), (j) => C.rulebook_item_uses(p, k, i, j)),
      definition: C.rulebook_item_definition(p, k, i) || '',
      document: doc < 0 ? null : doc,
    });
  }

  const methods = {
    _read(fn) {
      const p = this._h.acquire();
      try {
        return fn(p);
      } finally {
        this._h.release();
      }
    },

    // The index of an item named by id (or given as an index) in list.
    _declaredIndex(list, key, what, attr = 'id') {
      if (typeof key === 'number') {
        if (!Number.isInteger(key) || key < 0 || key >= list.length) throw new RangeError(`${what} index ${key} out of range`);
        return key;
      }
      const it = list.find((x) => x[attr] === key);
      if (!it) throw new NotFoundError(`no ${what} '${key}' in rulebook '${this.id}'`);
      return it.index;
    },

    /** The document rule (id or index) cites, or null when the rulebook lists none. */
    ruleDocument(rule) {
      need('rulebook_rule_document');
      const i = this._declaredIndex(this.rules, rule, 'rule');
      return this._read((p) => {
        const d = Number(C.rulebook_rule_document(p, i));
        return d < 0 ? null : documentAt(p, d);
      });
    },

    /** The rule's title in lang ('zh' or 'en', falling back to the other); null when none. */
    ruleTitle(rule, l = 'zh') {
      need('rulebook_rule_title');
      const i = this._declaredIndex(this.rules, rule, 'rule');
      return this._read((p) => C.rulebook_rule_title(p, i, lang(l)));
    },

    /** The target's title in lang, as ruleTitle. */
    targetTitle(target, l = 'zh') {
      need('rulebook_target_title');
      const i = this._declaredIndex(this.targets, target, 'target');
      return this._read((p) => C.rulebook_target_title(p, i, lang(l)));
    },

    /** The scorecard's title in lang, as ruleTitle. */
    scorecardTitle(scorecard, l = 'zh') {
      need('rulebook_scorecard_title');
      const i = this._declaredIndex(this.scorecards, scorecard, 'scorecard');
      return this._read((p) => C.rulebook_scorecard_title(p, i, lang(l)));
    },

    /** The clause the scorecard cites. */
    scorecardCite(scorecard) {
      need('rulebook_scorecard_cite');
      const i = this._declaredIndex(this.scorecards, scorecard, 'scorecard');
      return this._read((p) => C.rulebook_scorecard_cite(p, i) || '');
    },

    /** The aggregate's title in lang, as ruleTitle. */
    aggregateTitle(aggregate, l = 'zh') {
      need('rulebook_aggregate_title');
      const i = this._declaredIndex(this.aggregates, aggregate, 'aggregate');
      return this._read((p) => C.rulebook_aggregate_title(p, i, lang(l)));
    },

    /** The unit of the aggregate's value as written; '' for a share or a count. */
    aggregateUnit(aggregate) {
      need('rulebook_aggregate_unit');
      const i = this._declaredIndex(this.aggregates, aggregate, 'aggregate');
      return this._read((p) => C.rulebook_aggregate_unit(p, i) || '');
    },

    /** The aggregate's responsible units (责任单位), in the order written. */
    aggregateResponsible(aggregate) {
      need('rulebook_aggregate_responsible');
      const i = this._declaredIndex(this.aggregates, aggregate, 'aggregate');
      return this._read((p) => strings(Number(C.rulebook_aggregate_responsible_count(p, i)),
        (j) => C.rulebook_aggregate_responsible(p, i, j)));
    },

    /** The input's label in lang (falling back to the other language); null when none. */
    inputLabel(name, l = 'zh') {
      need('rulebook_input_label');
      const i = this._declaredIndex(this.inputs, name, 'input', 'name');
      return this._read((p) => C.rulebook_input_label(p, i, lang(l)));
    },

    /** Other names of the input's column in data files (`aliases:`), in the order written. */
    inputAliases(name) {
      need('rulebook_input_alias');
      const i = this._declaredIndex(this.inputs, name, 'input', 'name');
      return this._read((p) => strings(Number(C.rulebook_input_alias_count(p, i)),
        (j) => C.rulebook_input_alias(p, i, j)));
    },

    /** A list input's element type ('number', ..., 'record'); null for an input that is not a list. */
    inputElementType(name) {
      need('rulebook_input_element_type');
      const i = this._declaredIndex(this.inputs, name, 'input', 'name');
      return this._read((p) => C.rulebook_input_element_type(p, i));
    },

    /** The fields ({ name, type, unit }) of a list input of records; [] for any other input. */
    inputFields(name) {
      need('rulebook_input_field_count');
      const i = this._declaredIndex(this.inputs, name, 'input', 'name');
      return this._read((p) => strings(Number(C.rulebook_input_field_count(p, i)), (j) => Object.freeze({
        name: C.rulebook_input_field_name(p, i, j), type: C.rulebook_input_field_type(p, i, j),
        unit: C.rulebook_input_field_unit(p, i, j) || '' })));
    },

    /** Every item of a kind ('rule', 'target', 'scorecard', 'aggregate' or 'indicator'). */
    items(kind) {
      need('rulebook_item_count');
      const k = kindIndex(kind);
      return this._read((p) => strings(Number(C.rulebook_item_count(p, k)), (i) => itemAt(p, kind, k, i)));
    },

    /** One item of a kind, by id or index. */
    item(kind, item) {
      need('rulebook_item_count');
      const k = kindIndex(kind);
      return this._read((p) => {
        const n = Number(C.rulebook_item_count(p, k));
        if (typeof item === 'number') {
          if (!Number.isInteger(item) || item < 0 || item >= n) throw new RangeError(`${kind} index ${item} out of range`);
          return itemAt(p, kind, k, item);
        }
        for (let i = 0; i < n; i++) {
          if (C.rulebook_item_id(p, k, i) === item) return itemAt(p, kind, k, i);
        }
        throw new NotFoundError(`no ${kind} '${item}' in rulebook '${this.id}'`);
      });
    },
  };
  for (const [name, fn] of Object.entries(methods)) {
    Object.defineProperty(Rulebook.prototype, name, { value: fn, writable: true, configurable: true });
  }

  Object.defineProperty(Rulebook.prototype, 'documents', {
    configurable: true,
    /** The documents the rulebook cites: its source (id ''), its sources, then its parents'. */
    get() {
      need('rulebook_document_count');
      return this._read((p) => strings(Number(C.rulebook_document_count(p)), (d) => documentAt(p, d)));
    },
  });
  Object.defineProperty(Rulebook.prototype, 'idColumns', {
    configurable: true,
    /** The names the column of record ids may have in data files (`id_column:`), in order. */
    get() {
      need('rulebook_id_column');
      return this._read((p) => strings(Number(C.rulebook_id_column_count(p)), (j) => C.rulebook_id_column(p, j)));
    },
  });
}

module.exports = { install, ITEM_KINDS };
