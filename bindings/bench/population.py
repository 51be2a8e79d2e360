#!/usr/bin/env python3
"""Per-record cost of evaluating a population through the bindings, next to
the same work done by C alone -- all in one run, on the same machine.

    RULEBOOK_LIBRARY=build/lib/librulebook.so python3 bindings/bench/population.py [--records N] [--reps R]

The records are examples/data/enterprises.json (the Lin'an enterprise
rulebook, as of 2023-12-31) repeated to N records with distinct "_id"s;
Python reads them with parse_float=Decimal, Node with JSON.parse. A second
set keeps only the numeric inputs of the same records, as floats and
without "_id" (the shape of a data frame of figures). Each figure is the
best of R runs, divided by N; the calls take turns in each round. Measured:

  C   rulebook_eval_population   prepared facts, one call: evaluation and
                                 aggregation only (the floor)
  C   rulebook_population_add_table / _add_columns
                                 a prepared table of text cells / prepared
                                 numeric columns, one call
  C   rulebook_eval_json         one call on the JSON array: parsing the
                                 facts, evaluating, writing every result as
                                 JSON -- verdicts only (what evaluate_many()
                                 asks for) and full results (details=True)
  Py  Rulebook.population        builds the table (or the numeric columns)
                                 and crosses once; also with the numeric
                                 columns path switched off, and through the
                                 per-record path (typed setters and
                                 rulebook_population_add per record, used
                                 only with a library without the batch calls)
  Py  Rulebook.evaluate_many     one rulebook_eval_json + json.loads, with
                                 and without details
  Py  Rulebook.evaluate          per record: a typed setter per fact,
                                 rulebook_eval, a result object; verdicts read
  Node the same calls (bindings/bench/population.js, run from here)

Python's figures call C through ctypes; Node's through koffi.
"""
import argparse
import contextlib
import ctypes
import json
import os
import shutil
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "bindings" / "python"))

from rulebook import Rulebook  # noqa: E402
from rulebook import _batch, _lib  # noqa: E402

AS_OF = "2023-12-31"
AS_OF_INT = 20231231


def records_of(n):
    with open(ROOT / "examples" / "data" / "enterprises.json", encoding="utf-8") as f:
        base = json.load(f, parse_float=Decimal)
    out = []
    for i in range(n):
        r = dict(base[i % len(base)])
        r["_id"] = f"R{i:07d}"
        out.append(r)
    return out


def numeric_records_of(rb, records):
    """The numeric inputs of the records as floats, without "_id"."""
    numeric = {i.name for i in rb.inputs if i.type in ("number", "integer")}
    return [{k: None if v is None else float(v) for k, v in r.items() if k in numeric}
            for r in records]


@contextlib.contextmanager
def without(*names):
    """population() as with a library that lacks these functions."""
    lib = _lib.lib
    saved = {n: getattr(lib, n) for n in names}
    for n in names:
        setattr(lib, n, None)
    try:
        yield
    finally:
        for n, fn in saved.items():
            setattr(lib, n, fn)


def interleaved(calls, reps, n):
    """Best time per record of each call; the calls take turns in every
    round, so a burst of load elsewhere does not fall on one of them only."""
    best = {k: float("inf") for k in calls}
    for _ in range(reps):
        for k, fn in calls.items():
            t0 = time.perf_counter()
            fn()
            best[k] = min(best[k], (time.perf_counter() - t0) / n)
    return best


def c_calls(rb, records, numeric):
    lib = _lib.lib
    p = rb._h.acquire()
    try:
        n = len(records)
        facts = (ctypes.c_void_p * n)()
        for i, rec in enumerate(records):
            f = lib.rulebook_facts_new(p)
            js = rb._record_json(rec).encode()
            assert lib.rulebook_facts_set_json(f, js, len(js), None) == 0
            facts[i] = f

        def population():
            out = ctypes.c_void_p()
            assert lib.rulebook_eval_population(p, facts, n, AS_OF_INT, ctypes.byref(out), None) == 0
            lib.rulebook_population_free(out)

        # The table and the columns prepared once, as the bindings make them.
        plan = _batch.Plan(rb.id, rb.inputs)
        table = _batch.columnar_table(plan, records, 0, False)
        cols, values = _batch.numeric_columns(plan, numeric, False)
        inputs = (ctypes.c_size_t * len(table.cols))(*table.cols)
        num_inputs = (ctypes.c_size_t * len(cols))(*cols)
        bad = (ctypes.c_size_t * n)()

        def add_table():
            pop = lib.rulebook_population_new(p, AS_OF_INT)
            nbad = ctypes.c_size_t()
            assert lib.rulebook_population_add_table(
                pop, n, inputs, len(table.cols), table.ptrs.buffer_info()[0],
                table.ids.buffer_info()[0], bad, ctypes.byref(nbad), None) == 0
            assert nbad.value == 0 and lib.rulebook_population_size(pop) == n
            lib.rulebook_population_free(pop)

        def add_columns():
            pop = lib.rulebook_population_new(p, AS_OF_INT)
            assert lib.rulebook_population_add_columns(
                pop, n, num_inputs, len(cols), values.buffer_info()[0], None, None) == 0
            assert lib.rulebook_population_size(pop) == n
            lib.rulebook_population_free(pop)

        body = ("[\n" + ",\n".join(rb._record_json(r) for r in records) + "\n]").encode()

        def eval_json(flags):
            def run():
                out = ctypes.c_void_p()
                size = ctypes.c_size_t()
                assert lib.rulebook_eval_json(p, body, len(body), AS_OF_INT, flags,
                                              ctypes.byref(out), ctypes.byref(size), None) == 0
                lib.rulebook_mem_free(out)
            return run

        return {"c_population": population, "c_add_table": add_table,
                "c_add_columns": add_columns, "c_eval_json_verdicts": eval_json(4),
                "c_eval_json": eval_json(0)}, (facts, table)
    finally:
        rb._h.release()


def py_calls(rb, records, numeric):

    def population(recs):
        def run():
            with rb.population(recs, AS_OF) as pop:
                assert len(pop) == len(recs)
        return run

    def population_table(recs):
        def run():
            with without("rulebook_population_add_columns"):
                population(recs)()
        return run

    def population_per_record():
        with without("rulebook_population_add_table", "rulebook_population_add_columns"):
            population(records)()

    def many():
        for r in rb.evaluate_many(records, AS_OF):
            r.verdicts

    def many_details():
        for r in rb.evaluate_many(records, AS_OF, details=True):
            r.verdicts

    def one_by_one():
        for rec in records:
            rb.evaluate(rec, AS_OF).verdicts

    return {"py_population": population(records),
            "py_population_per_record": population_per_record,
            "py_population_numeric": population(numeric),
            "py_population_numeric_table": population_table(numeric),
            "py_evaluate_many": many, "py_evaluate_many_details": many_details,
            "py_evaluate": one_by_one}


def node_figures(n, reps):
    node = shutil.which("node")
    if not node or not (ROOT / "bindings" / "node" / "node_modules" / "koffi").is_dir():
        return {}
    out = subprocess.run([node, str(HERE / "population.js"), str(n), str(reps)],
                         capture_output=True, text=True, check=True, env=os.environ)
    return json.loads(out.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=21000)
    ap.add_argument("--reps", type=int, default=5)
    args = ap.parse_args()
    records = records_of(args.records)
    with Rulebook.load(ROOT / "rules" / "linan" / "enterprise.yaml") as rb:
        numeric = numeric_records_of(rb, records)
        c, keep = c_calls(rb, records, numeric)
        calls = dict(c)
        calls.update(py_calls(rb, records, numeric))
        figs = interleaved(calls, args.reps, len(records))
        for f in keep[0]:
            _lib.lib.rulebook_facts_free(f)
        figs.update(node_figures(args.records, args.reps))
        rules = len(rb.rules)
        ninputs = len(rb.inputs)
        nnum = len(set().union(*numeric))
    base = figs["c_population"]
    rows = [
        ("C", "`rulebook_eval_population` (prepared facts, one call)", "c_population"),
        ("C", "`rulebook_population_add_table` (a prepared table of text cells, one call)",
         "c_add_table"),
        ("C", "`rulebook_population_add_columns` (prepared numeric columns, one call) ¹",
         "c_add_columns"),
        ("C", "`rulebook_eval_json`, verdicts only (JSON array in and out, one call)",
         "c_eval_json_verdicts"),
        ("C", "`rulebook_eval_json`, full results", "c_eval_json"),
        ("Python", "`rb.population(records)`: one `add_table` call", "py_population"),
        ("Python", "the same per record (typed setters, `rulebook_population_add`; old path)",
         "py_population_per_record"),
        ("Python", "`rb.population(numeric)`: one `add_columns` call ¹", "py_population_numeric"),
        ("Python", "the same through `add_table` (columns path off) ¹",
         "py_population_numeric_table"),
        ("Python", "`rb.evaluate_many(records)` (verdicts only)", "py_evaluate_many"),
        ("Python", "`rb.evaluate_many(records, details=True)`", "py_evaluate_many_details"),
        ("Python", "`rb.evaluate(record)` per record", "py_evaluate"),
        ("Node", "`rb.population(records)`: one `add_table` call", "node_population"),
        ("Node", "the same per record (typed setters, `rulebook_population_add`; old path)",
         "node_population_per_record"),
        ("Node", "`rb.population(numeric)`: one `add_columns` call ¹", "node_population_numeric"),
        ("Node", "the same through `add_table` (columns path off) ¹",
         "node_population_numeric_table"),
        ("Node", "`rb.evaluateMany(records)` (verdicts only)", "node_evaluate_many"),
        ("Node", "`rb.evaluateMany(records, {details: true})`", "node_evaluate_many_details"),
        ("Node", "`rb.evaluate(record)` per record", "node_evaluate"),
    ]
    print(f"{args.records} records of examples/data/enterprises.json, rules/linan/enterprise.yaml "
          f"({rules} rules, {ninputs} inputs), as of {AS_OF}; best of {args.reps} interleaved "
          f"runs; library {_lib.path}; Python {sys.version.split()[0]}"
          + (f"; Node {figs['node_version']}" if "node_version" in figs else "; Node not run"))
    print(f"¹ the numeric set: the same records' {nnum} numeric inputs as floats, no \"_id\"")
    print()
    print("| language | call | µs per record | × C population |")
    print("|---|---|---:|---:|")
    for lang, call, key in rows:
        if key in figs:
            us = figs[key] * 1e6
            print(f"| {lang} | {call} | {us:.2f} | {figs[key] / base:.1f} |")


if __name__ == "__main__":
    main()
