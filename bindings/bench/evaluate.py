#!/usr/bin/env python3
"""Records per second of the Python binding on the enterprise-year workload
(bench/enterprise-year.yaml), each beside the hand-written loop
(workload.py) measured in the same run.

    RULEBOOK_LIBRARY=build/lib/librulebook.so \
    RULEBOOK_SPEEDUPS=build/bindings/python/speedups/_speedups.cpython-311-x86_64-linux-gnu.so \
        python3 bindings/bench/evaluate.py [--records N] [--reps R] [--profile RUN]

(RULEBOOK_SPEEDUPS: the accelerator of the build tree; without it, the
installed one if any.)

  hand loop             the policy written by hand over the same dicts
  evaluate              rb.evaluate(record) per record; every verdict, the
                        class and the score as a float (r.score_float(),
                        what a caller computing with floats reads; it comes
                        with the verdicts) read
  evaluate (exact score)  the same with the exact score (r.score(), a
                        Decimal, computed by the library when read)
  evaluate (verdicts)   the same, verdicts and class only
  evaluate (pure Python)  the same as `evaluate` without the compiled
                        accelerator (rulebook._speedups): the record packed
                        by rulebook/_packed.py and the call made by ctypes,
                        as when the accelerator is not installed
  evaluate (setters)    the same as `evaluate` with the packed call switched
                        off: a typed setter per fact, as with a library
                        without rulebook_eval_packed
  population (dicts)    rb.population(records): the same dicts, one call
  frame (numeric)       rb.evaluate_frame(df) on the nine float64 columns
                        of the numeric inputs and a nullable boolean one,
                        scores as float64
                        (needs numpy and pandas; one thread, then two)
  library alone         the packed call on records packed beforehand,
                        scores, classes and verdicts out: what the C
                        library costs under evaluate, through the same
                        ctypes call

Each figure is the best of R rounds (the runs take turns in each round),
by wall-clock time and by the process's CPU time (all threads: what a
loaded machine disturbs less; the two-thread frame run counts both).
It also counts the records on which the binding and the hand loop
disagree (binary rounding next to a threshold: the hand loop's answer is
the wrong one there). --profile RUN runs that one under cProfile instead.
"""
import argparse
import cProfile
import ctypes
import math
import pstats
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "bindings" / "python"))
sys.path.insert(0, str(HERE))

import workload  # noqa: E402
from rulebook import Rulebook, _lib  # noqa: E402

VERDICT = {"pass": 1, "fail": 2, "not_applicable": 3, "exempt": 4, "unknown": 5,
           "not_in_force": 6, "error": 7}
CLASS = {"A": 0, "B": 1, "C": 2, "D": 3, "not_rated": -2, None: -1}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--profile", default=None)
    args = ap.parse_args()
    n = args.records
    rb = Rulebook.load(ROOT / workload.RULEBOOK)
    records = workload.generate(n, 1)
    as_of = workload.AS_OF
    rules = workload.RULES
    got = [None] * n

    def evaluate():
        for i, rec in enumerate(records):
            r = rb.evaluate(rec, as_of)
            v = r.verdicts
            s = r.score_float("mujun")
            got[i] = (tuple(VERDICT[v[k]] for k in rules), CLASS[r.class_of("mujun")], s)
            r.close()

    def evaluate_exact():
        for rec in records:
            r = rb.evaluate(rec, as_of)
            v = r.verdicts
            tuple(VERDICT[v[k]] for k in rules)
            CLASS[r.class_of("mujun")]
            r.score("mujun")
            r.close()

    rb_pure = Rulebook.load(ROOT / workload.RULEBOOK)
    rb_pure._packer.state(rb_pure._h.ptr).fast = None  # packed by _packed.Packer.pack

    def evaluate_pure():
        for rec in records:
            r = rb_pure.evaluate(rec, as_of)
            v = r.verdicts
            s = r.score_float("mujun")
            (tuple(VERDICT[v[k]] for k in rules), CLASS[r.class_of("mujun")], s)
            r.close()

    lib = _lib.lib
    saved, lib.rulebook_eval_packed = lib.rulebook_eval_packed, None
    rb_setters = Rulebook.load(ROOT / workload.RULEBOOK)
    lib.rulebook_eval_packed = saved

    def evaluate_setters():
        for rec in records:
            r = rb_setters.evaluate(rec, as_of)
            r.verdicts
            r.class_of("mujun")
            r.score("mujun")
            r.close()

    def evaluate_verdicts():
        for rec in records:
            r = rb.evaluate(rec, as_of)
            v = r.verdicts
            tuple(VERDICT[v[k]] for k in rules)
            CLASS[r.class_of("mujun")]
            r.close()

    # the records as evaluate() packs them, for the library-alone run
    pk = rb._packer
    st = pk.state(rb._h.ptr)
    packed = []
    for rec in records:
        end = pk.pack(st, rec)
        packed.append(bytes(st.buf[pk.base:end]))

    def library_alone():
        call = pk.call
        p = rb._h.ptr
        out = ctypes.create_string_buffer(pk.out)
        for b in packed:
            if call(p, st.facts, b, len(b), 20231231, st.res, out, pk.out, st.err):
                raise RuntimeError("a record was refused")

    def population():
        pop = rb.population(records, as_of)
        pop.verdict_matrix()
        pop.class_codes("mujun")
        pop.score_texts("mujun")
        pop.close()

    runs = {
        "hand loop": lambda: workload.hand_evaluate(records),
        "evaluate": evaluate,
        "evaluate (exact score)": evaluate_exact,
        "evaluate (verdicts)": evaluate_verdicts,
        "evaluate (pure Python)": evaluate_pure,
        "evaluate (setters)": evaluate_setters,
        "library alone": library_alone,
        "population (dicts)": population,
    }
    try:
        import numpy as np
        import pandas as pd
        cols = {}
        for k in workload.NUMBERS:
            cols[k] = np.array([math.nan if r[k] is None else float(r[k]) for r in records])
        cols["is_key_chain_project"] = pd.array([r["is_key_chain_project"] for r in records],
                                                dtype="boolean")
        df = pd.DataFrame(cols)
        runs["frame (numeric) 1 thread"] = lambda: rb.evaluate_frame(df, as_of, threads=1,
                                                                     scores="float")
        runs["frame (numeric) 2 threads"] = lambda: rb.evaluate_frame(df, as_of, threads=2,
                                                                      scores="float")
    except ImportError as e:
        print(f"frame runs skipped: {e}")

    if args.profile:
        cProfile.runctx("runs[args.profile]()", globals(), locals(), "/tmp/rulebook-evaluate.prof")
        pstats.Stats("/tmp/rulebook-evaluate.prof").sort_stats("tottime").print_stats(25)
        return

    best = {k: math.inf for k in runs}
    best_cpu = {k: math.inf for k in runs}
    failed = {}
    for _ in range(args.reps):
        for k, fn in runs.items():
            if k in failed:
                continue
            t = time.perf_counter()
            c = time.process_time()
            try:
                fn()
            except Exception as e:  # noqa: BLE001 -- reported, not hidden
                failed[k] = f"{type(e).__name__}: {e}"
                continue
            best[k] = min(best[k], time.perf_counter() - t)
            best_cpu[k] = min(best_cpu[k], time.process_time() - c)
    hand = workload.hand_evaluate(records)
    differ = sum(1 for h, b in zip(hand, got) if b is None or h[0] != b[0] or h[1] != b[1])
    fast = rb._packer.state(rb._h.ptr).fast is not None
    print(f"Python {sys.version.split()[0]}: {n} enterprise-years of {workload.RULEBOOK}, "
          f"best of {args.reps}; compiled accelerator {'loaded' if fast else 'NOT loaded'}")
    print(f"{'':28} {'wall clock':>27}   {'CPU time':>27}")
    print(f"{'run':28} {'records/s':>12} {'× hand loop':>14}   {'records/s':>12} {'× hand loop':>14}")
    for k, t in best.items():
        if k in failed:
            print(f"{k:28} not measured: {failed[k]}")
        else:
            c = best_cpu[k]
            print(f"{k:28} {n / t / 1e3:10.0f} K {t / best['hand loop']:14.2f}   "
                  f"{n / c / 1e3:10.0f} K {c / best_cpu['hand loop']:14.2f}")
    print(f"records where the binding and the hand loop differ: {differ} of {n}")


if __name__ == "__main__":
    main()
