'use strict';
/*
 * Moving populations and their scores out of the library: a population as
 * bytes and back (rulebook_population_save / _load), merging populations
 * evaluated separately (rulebook_population_merge), and every score of a
 * scorecard as Arrow decimal128 values (rulebook_population_scores_decimal128).
 * Installed as methods of Population and Rulebook by index.js.
 */

function install(Population, Rulebook, ctx) {
  const { C, koffi, need, fail, ERR, Handle, scorecardIndex, OutOfMemoryError } = ctx;

  function define(proto, name, fn) {
    Object.defineProperty(proto, name, { value: fn, writable: true, configurable: true });
  }

  /**
   * Every record's score in scorecard (optional when the rulebook has one)
   * as Arrow decimal128 values at scale (0..38), exactly: { scale, values,
   * valid } where values holds 16 bytes per record (the unscaled value, a
   * 128-bit two's complement integer in the machine's byte order) and
   * valid one byte per record (1 where the record has a score, its value
   * 0 where not). A score with more decimal places than scale is a
   * NumberRangeError naming the record and the scorecard.
   */
  define(Population.prototype, 'scoresDecimal128', function scoresDecimal128(scorecard, scale = 2) {
    need('rulebook_population_scores_decimal128');
    if (!Number.isInteger(scale)) throw new RangeError(`scale must be an integer, not ${scale}`);
    const k = scorecardIndex(this._rb, scorecard);
    const p = this._h.get();
    const n = Number(C.rulebook_population_size(p));
    const values = new Uint8Array(Math.max(16 * n, 16));
    const valid = new Uint8Array(Math.max(n, 1));
    const st = C.rulebook_population_scores_decimal128(p, k, scale, values, valid, ERR);
    if (st) fail(st, ERR);
    return Object.freeze({ scale, values: values.subarray(0, 16 * n), valid: valid.subarray(0, n) });
  });

  /**
   * Append the records of other (left unchanged) as if they had been added
   * here: aggregates, classes by rank and averages become those of one
   * population of both. Both must come from the same rulebook and as-of date.
   */
  define(Population.prototype, 'merge', function merge(other) {
    need('rulebook_population_merge');
    if (!(other instanceof Population)) throw new TypeError('merge takes a Population');
    const p = this._h.get();
    const q = other === this ? p : other._h.acquire();
    try {
      const st = C.rulebook_population_merge(p, q, ERR);
      if (st) fail(st, ERR);
    } finally {
      if (other !== this) other._h.release();
    }
  });

  /**
   * The population as bytes (a Buffer), for Rulebook#loadPopulation with the same rulebook and
   * library version. With { deferred: true } (rulebook_population_save_deferred) the exact scores
   * not computed yet stay so: the bytes carry those records' inputs and the loaded population
   * computes the same scores when they are read -- quicker to write, larger.
   */
  define(Population.prototype, 'toBuffer', function toBuffer(options = {}) {
    const deferred = Boolean(options && options.deferred);
    const fn = deferred ? 'rulebook_population_save_deferred' : 'rulebook_population_save';
    need(fn);
    const out = [null];
    const len = [0];
    const st = C[fn](this._h.get(), out, len);
    if (st) fail(st, null);
    try {
      const n = Number(len[0]);
      return n ? Buffer.from(koffi.decode(out[0], koffi.array('uint8_t', n))) : Buffer.alloc(0);
    } finally {
      C.rulebook_mem_free(out[0]);
    }
  });

  /** A population from Population#toBuffer, made with this rulebook (the same hash) and library version. */
  define(Rulebook.prototype, 'loadPopulation', function loadPopulation(data) {
    need('rulebook_population_load');
    if (!(data instanceof Uint8Array)) throw new TypeError('loadPopulation takes a Buffer or Uint8Array');
    const rb = this._h.acquire();
    try {
      const out = [null];
      const st = C.rulebook_population_load(rb, data, data.length, out, ERR);
      if (st) fail(st, ERR);
      if (!out[0]) throw new OutOfMemoryError('out of memory');
      return Population._new(this, C.rulebook_population_as_of(out[0]),
        new Handle(out[0], C.rulebook_population_free, 'population', this._h));
    } finally {
      this._h.release();
    }
  });
}

module.exports = { install };
