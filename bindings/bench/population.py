#!/usr/bin/env python3
"""Per-record cost of evaluating a population through the bindings, next to
the same work done by C alone -- all in one run, on the same machine.

    RULEBOOK_LIBRARY=build/lib/librulebook.so python3 bindings/bench/population.py [--records N] [--reps R]

The records are examples/data/enterprises.json (the Lin'an enterprise
rulebook, as of 2023-12-31) repeated to N records with distinct "_id"s.
Each figure is the best of R runs, divided by N; the calls take turns
in each round. Measured:

  C   rulebook_eval_population   prepared facts, one call: evaluation and
                                 aggregation only (the floor)
  C   rulebook_eval_json         one call on the JSON array: parsing the
                                 facts, evaluating, writing every result as
                                 JSON -- verdicts only (what evaluate_many()
                                 asks for) and full results (details=True)
  Py  Rulebook.population        per record: rulebook_facts_clear, a typed
                                 setter per fact, rulebook_population_add
  Py  Rulebook.evaluate_many     one rulebook_eval_json + json.loads, with
                                 and without details
  Py  Rulebook.evaluate          per record: a typed setter per fact,
                                 rulebook_eval, a result object; verdicts read
  Node the same three calls (bindings/bench/population.js, run from here)

Python's figures call C through ctypes; Node's through koffi.
"""
import argparse
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
from rulebook import _lib  # noqa: E402

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


def c_calls(rb, records):
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

        body = ("[\n" + ",\n".join(rb._record_json(r) for r in records) + "\n]").encode()

        def eval_json(flags):
            def run():
                out = ctypes.c_void_p()
                size = ctypes.c_size_t()
                assert lib.rulebook_eval_json(p, body, len(body), AS_OF_INT, flags,
                                              ctypes.byref(out), ctypes.byref(size), None) == 0
                lib.rulebook_mem_free(out)
            return run

        return {"c_population": population, "c_eval_json_verdicts": eval_json(4),
                "c_eval_json": eval_json(0)}, facts
    finally:
        rb._h.release()


def py_calls(rb, records):

    def population():
        with rb.population(records, AS_OF) as pop:
            pop.counts

    def many():
        for r in rb.evaluate_many(records, AS_OF):
            r.verdicts

    def many_details():
        for r in rb.evaluate_many(records, AS_OF, details=True):
            r.verdicts

    def one_by_one():
        for rec in records:
            rb.evaluate(rec, AS_OF).verdicts

    lib = _lib.lib

    def population_json():
        # The alternative population() does not use: one JSON object per
        # record through rulebook_facts_set_json.
        p = rb._h.acquire()
        pop = lib.rulebook_population_new(p, AS_OF_INT)
        f = lib.rulebook_facts_new(p)
        for rec in records:
            js = rb._record_json(rec).encode()
            lib.rulebook_facts_clear(f)
            assert lib.rulebook_facts_set_json(f, js, len(js), None) == 0
            assert lib.rulebook_population_add(pop, f, None) == 0
        lib.rulebook_facts_free(f)
        lib.rulebook_population_free(pop)
        rb._h.release()

    return {"py_population": population, "py_population_json": population_json,
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
        c, facts = c_calls(rb, records)
        calls = dict(c)
        calls.update(py_calls(rb, records))
        figs = interleaved(calls, args.reps, len(records))
        for f in facts:
            _lib.lib.rulebook_facts_free(f)
        figs.update(node_figures(args.records, args.reps))
        rules = len(rb.rules)
    base = figs["c_population"]
    rows = [
        ("C", "`rulebook_eval_population` (prepared facts, one call)", "c_population"),
        ("C", "`rulebook_eval_json`, verdicts only (JSON array in and out, one call)",
         "c_eval_json_verdicts"),
        ("C", "`rulebook_eval_json`, full results", "c_eval_json"),
        ("Python", "`rb.population(records)`", "py_population"),
        ("Python", "the same with `rulebook_facts_set_json` per record (not used)",
         "py_population_json"),
        ("Python", "`rb.evaluate_many(records)` (verdicts only)", "py_evaluate_many"),
        ("Python", "`rb.evaluate_many(records, details=True)`", "py_evaluate_many_details"),
        ("Python", "`rb.evaluate(record)` per record", "py_evaluate"),
        ("Node", "`rb.population(records)`", "node_population"),
        ("Node", "the same with `rulebook_facts_set_json` per record (not used)",
         "node_population_json"),
        ("Node", "`rb.evaluateMany(records)` (verdicts only)", "node_evaluate_many"),
        ("Node", "`rb.evaluateMany(records, {details: true})`", "node_evaluate_many_details"),
        ("Node", "`rb.evaluate(record)` per record", "node_evaluate"),
    ]
    print(f"{args.records} records of examples/data/enterprises.json, rules/linan/enterprise.yaml "
          f"({rules} rules), as of {AS_OF}; best of {args.reps} interleaved runs; "
          f"library {_lib.path}; Python {sys.version.split()[0]}"
          + (f"; Node {figs['node_version']}" if "node_version" in figs else "; Node not run"))
    print()
    print("| language | call | µs per record | × C population |")
    print("|---|---|---:|---:|")
    for lang, call, key in rows:
        if key in figs:
            us = figs[key] * 1e6
            print(f"| {lang} | {call} | {us:.2f} | {figs[key] / base:.1f} |")


if __name__ == "__main__":
    main()
