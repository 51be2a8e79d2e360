'use strict';
/*
 * Two loading options: whether `extends` may load other files
 * (rulebook_options_allow_extends), and a resolver that supplies the
 * parents' source text instead of the file system
 * (rulebook_options_set_resolver) -- rulebooks kept in a database, an
 * archive or memory. Used by Rulebook.load and Rulebook.fromString.
 */

function makeLoading({ C, koffi, fail, Status }) {
  const ResolverFn = koffi.proto('int rulebook_resolver_fn(const char *name, size_t name_len, void *data, void *len, void *payload)');
  // The state of each load in progress, by its options pointer.
  const pending = new Map();

  /** Whether these options need a rulebook_options of their own. */
  function needed(options) {
    return Boolean(options) && (options.allowExtends === false ||
      (options.resolver !== undefined && options.resolver !== null));
  }

  /** Apply allowExtends and resolver to opts; finish(opts) undoes what needs undoing. */
  function apply(opts, options) {
    if (options.allowExtends === false) {
      const st = C.rulebook_options_allow_extends(opts, 0);
      if (st) fail(st);
    }
    const resolver = options.resolver;
    if (resolver === undefined || resolver === null) return;
    if (typeof resolver !== 'function') throw new TypeError('resolver must be a function');
    const state = { texts: [], error: null, fn: null };
    state.fn = koffi.register((name, nameLen, data, len) => {
      if (state.error) return Status.INVALID;
      try {
        let got = resolver(name);
        if (got === null || got === undefined) return Status.NOT_FOUND;
        if (typeof got === 'string') got = Buffer.from(got, 'utf8');
        else if (got instanceof Uint8Array) got = Buffer.from(got);
        else throw new TypeError("a resolver returns the rulebook's source as a string or bytes, or null");
        // kept until the load returns; an empty source still points somewhere
        const bytes = got.length ? got : Buffer.alloc(1);
        state.texts.push(bytes);
        koffi.encode(data, 'void *', koffi.address(bytes));
        koffi.encode(len, 'size_t', got.length);
        return Status.OK;
      } catch (e) { // thrown again once the load returns
        state.error = e;
        return Status.INVALID;
      }
    }, koffi.pointer(ResolverFn));
    pending.set(opts, state);
    const st = C.rulebook_options_set_resolver(opts, state.fn, null);
    if (st) fail(st);
  }

  /** After the load: release the callback, and throw what the resolver threw. */
  function finish(opts) {
    const state = pending.get(opts);
    if (!state) return;
    pending.delete(opts);
    koffi.unregister(state.fn);
    if (state.error) throw state.error;
  }

  return { needed, apply, finish };
}

module.exports = { makeLoading };
