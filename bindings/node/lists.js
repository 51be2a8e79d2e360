'use strict';
/*
 * List facts through the library's list setters: an array for an input of
 * type list is set with rulebook_facts_set_list_double_at when every
 * element is a number (each converted as rulebook_facts_set_double does),
 * else with rulebook_facts_set_list_text_at, one text per element (per
 * field, for a list of records, in the order the rulebook declares the
 * fields); null and undefined are a missing element or field.
 */

function makeSetList({ C, factError, dateParts, ymdText, isDecimalObject }) {
  // An element's (or a field's) value as the text the library parses.
  function text(name, k, v) {
    if (v === null || v === undefined) return null;
    let s;
    switch (typeof v) {
      case 'boolean': return v ? 'true' : 'false';
      case 'number':
        if (!Number.isFinite(v)) throw factError(name, `element ${k} of list '${name}': ${v} is not a usable number`);
        return String(v);
      case 'bigint': return v.toString();
      case 'string': s = v; break;
      default:
        if (v instanceof Date) {
          const p = dateParts(v);
          if (!p) throw factError(name, `element ${k} of list '${name}': invalid Date`);
          return ymdText(p);
        }
        if (isDecimalObject(v)) return v.toString();
        throw factError(name, `element ${k} of list '${name}': cannot use ${Object.prototype.toString.call(v)} ` +
          '(use a string, number, bigint, boolean, Date or null)');
    }
    // the texts cross NUL-terminated: a NUL inside would cut the text short
    if (s.includes('\0')) throw factError(name, `element ${k} of list '${name}': the text holds a NUL character`);
    return s;
  }

  function setTexts(f, index, texts, err) {
    const lens = new BigUint64Array(Math.max(texts.length, 1));
    texts.forEach((t, k) => { lens[k] = BigInt(t === null ? 0 : Buffer.byteLength(t, 'utf8')); });
    return C.rulebook_facts_set_list_text_at(f, index, texts.length ? texts : [null], lens, texts.length, err);
  }

  // The field names of each list input of records, per rulebook.
  const fieldsOf = new WeakMap();
  function fieldNames(rb, name) {
    let m = fieldsOf.get(rb);
    if (!m) fieldsOf.set(rb, (m = new Map()));
    let names = m.get(name);
    if (!names) m.set(name, (names = rb.inputFields(name).map((fl) => fl.name)));
    return names;
  }

  /**
   * Set list input index (called name) of rulebook rb's facts f from the
   * array v. Returns the library's status; throws FactError for a value it
   * cannot send.
   */
  return function setList(rb, f, index, name, v, err) {
    const fields = fieldNames(rb, name);
    if (fields.length) {
      const texts = [];
      v.forEach((el, i) => {
        const k = i + 1;
        const proto = el !== null && typeof el === 'object' ? Object.getPrototypeOf(el) : undefined;
        if (proto !== Object.prototype && proto !== null) {
          throw factError(name, `element ${k} of list '${name}': a record is an object of its fields`);
        }
        for (const key of Object.keys(el)) {
          if (!fields.includes(key)) throw factError(name, `element ${k} of list '${name}': no field '${key}' (fields: ${fields.join(', ')})`);
        }
        for (const field of fields) texts.push(text(name, k, el[field]));
      });
      return setTexts(f, index, texts, err);
    }
    if (v.length && v.every((x) => typeof x === 'number')) {
      return C.rulebook_facts_set_list_double_at(f, index, Float64Array.from(v), v.length, err);
    }
    return setTexts(f, index, v.map((x, i) => text(name, i + 1, x)), err);
  };
}

module.exports = { makeSetList };
