#!/usr/bin/env python3
"""Rows per second of Rulebook.evaluate_frame on numeric columns.

    RULEBOOK_LIBRARY=build/lib/librulebook.so /usr/bin/python3 bindings/bench/frame.py \\
        [--workload bench|enterprise-year] [--rows N] [--reps R]

--workload bench (the default): generated enterprise-years for
bench/bench.yaml (enterprise_years.py: eight float64 columns with 3 % NaN,
an int64 and a bool column). --workload enterprise-year: the records of
workload.py for bench/enterprise-year.yaml, their nine numeric inputs as
float64 columns (NaN missing), beside the policy written by hand in
Python (workload.hand_evaluate over the same values as dicts) in the same
run. Measured, best of R runs each (the runs take turns):

  hand loop     (enterprise-year) the hand-written loop over dicts
  add_arrow     population_from_arrow on the frame's batch: the library's
                work alone (one thread), with nothing read
  frame/1       evaluate_frame(threads=1), scores as float64
  frame/2       evaluate_frame(threads=2), scores as float64
  frame/2 dec   evaluate_frame(threads=2), scores as exact Decimal objects

Wall-clock rows/s, and CPU seconds per million rows (all threads), which
a loaded machine disturbs less; the ratio is to the hand loop's CPU time.
Then checks that 1 and 2 threads give identical frames. Needs numpy and
pandas.
"""
import argparse
import ctypes
import math
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "bindings" / "python"))
sys.path.insert(0, str(HERE))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import enterprise_years  # noqa: E402
import workload  # noqa: E402
from rulebook import Rulebook, _frame  # noqa: E402


def enterprise_year_frame(n):
    """The numeric inputs of workload.generate(n) as float64 columns, and
    the same values as dicts for the hand loop."""
    recs = workload.generate(n, 1)
    cols = {k: np.array([math.nan if r[k] is None else r[k] for r in recs], dtype=np.float64)
            for k in workload.NUMBERS}
    dicts = [{k: r[k] for k in workload.NUMBERS} for r in recs]
    return pd.DataFrame(cols), dicts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workload", choices=("bench", "enterprise-year"), default="bench")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    dicts = None
    if args.workload == "bench":
        path, as_of = enterprise_years.ROOT_RULEBOOK, enterprise_years.AS_OF
        df = enterprise_years.frame(args.rows, seed=1)
    else:
        path, as_of = workload.RULEBOOK, workload.AS_OF
        df, dicts = enterprise_year_frame(args.rows)
    rb = Rulebook.load(ROOT / path)
    batch = _frame.batch_of(df, None)

    class Producer:
        new = ctypes.pythonapi.PyCapsule_New
        new.restype = ctypes.py_object
        new.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]

        def __arrow_c_array__(self, requested_schema=None):
            return (self.new(ctypes.addressof(batch.schema), b"arrow_schema", None),
                    self.new(ctypes.addressof(batch.array), b"arrow_array", None))

    runs = {}
    if dicts is not None:
        runs["hand loop"] = lambda: workload.hand_evaluate(dicts)
    runs.update({
        "add_arrow": lambda: rb.population_from_arrow(Producer(), as_of).close(),
        "frame/1": lambda: rb.evaluate_frame(df, as_of, threads=1, scores="float"),
        "frame/2": lambda: rb.evaluate_frame(df, as_of, threads=2, scores="float"),
        "frame/2 dec": lambda: rb.evaluate_frame(df, as_of, threads=2),
    })
    best = {k: (float("inf"), float("inf")) for k in runs}
    for _ in range(args.reps):
        for name, fn in runs.items():
            w, c = time.perf_counter(), time.process_time()
            fn()
            w, c = time.perf_counter() - w, time.process_time() - c
            best[name] = (min(best[name][0], w), min(best[name][1], c))
    print(f"{args.rows} rows of {path}, best of {args.reps}")
    hand = best.get("hand loop", (None, None))[1]
    print(f"{'run':14} {'rows/s (wall)':>14} {'rows/s (CPU)':>14} {'CPU s per 10^6':>15}"
          f"{'  × hand (CPU)' if hand else ''}")
    for name, (w, c) in best.items():
        ratio = f"{c / hand:14.2f}" if hand else ""
        print(f"{name:14} {args.rows / w / 1e6:12.2f} M {args.rows / c / 1e6:12.2f} M "
              f"{c / args.rows * 1e6:15.2f}{ratio}")
    one = rb.evaluate_frame(df, as_of, threads=1, scores="text")
    two = rb.evaluate_frame(df, as_of, threads=2, scores="text")
    print("threads 1 and 2 give identical frames:", one.equals(two))


if __name__ == "__main__":
    main()
