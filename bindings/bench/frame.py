#!/usr/bin/env python3
"""Rows per second of Rulebook.evaluate_frame on numeric columns.

    RULEBOOK_LIBRARY=build/lib/librulebook.so /usr/bin/python3 bindings/bench/frame.py [--rows N] [--reps R]

Generated enterprise-years for bench/bench.yaml (enterprise_years.py:
eight float64 columns with 3 % NaN, an int64 and a bool column) go through
evaluate_frame. Measured, best of R runs each:

  add_arrow     population_from_arrow on the frame's batch: the library's
                work alone (one thread), the floor
  frame/1       evaluate_frame(threads=1), scores as float64
  frame/2       evaluate_frame(threads=2), scores as float64
  frame/2 dec   evaluate_frame(threads=2), scores as exact Decimal objects

Wall-clock rows/s, and CPU seconds per million rows (all threads), which
a loaded machine disturbs less. Needs numpy and pandas.
"""
import argparse
import ctypes
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "bindings" / "python"))
sys.path.insert(0, str(HERE))

import enterprise_years  # noqa: E402
from rulebook import Rulebook, _frame  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    rb = Rulebook.load(ROOT / enterprise_years.ROOT_RULEBOOK)
    df = enterprise_years.frame(args.rows, seed=1)
    batch = _frame.batch_of(df, None)

    class Producer:
        new = ctypes.pythonapi.PyCapsule_New
        new.restype = ctypes.py_object
        new.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]

        def __arrow_c_array__(self, requested_schema=None):
            return (self.new(ctypes.addressof(batch.schema), b"arrow_schema", None),
                    self.new(ctypes.addressof(batch.array), b"arrow_array", None))

    runs = {
        "add_arrow": lambda: rb.population_from_arrow(Producer(), enterprise_years.AS_OF).close(),
        "frame/1": lambda: rb.evaluate_frame(df, enterprise_years.AS_OF, threads=1,
                                             scores="float"),
        "frame/2": lambda: rb.evaluate_frame(df, enterprise_years.AS_OF, threads=2,
                                             scores="float"),
        "frame/2 dec": lambda: rb.evaluate_frame(df, enterprise_years.AS_OF, threads=2),
    }
    best = {k: (float("inf"), float("inf")) for k in runs}
    for _ in range(args.reps):
        for name, fn in runs.items():
            w, c = time.perf_counter(), time.process_time()
            fn()
            w, c = time.perf_counter() - w, time.process_time() - c
            best[name] = (min(best[name][0], w), min(best[name][1], c))
    print(f"{args.rows} rows of bench/bench.yaml, best of {args.reps}")
    print(f"{'run':14} {'rows/s (wall)':>14} {'CPU s per 10^6 rows':>20}")
    for name, (w, c) in best.items():
        print(f"{name:14} {args.rows / w / 1e6:12.2f} M {c / args.rows * 1e6:20.2f}")
    one = rb.evaluate_frame(df, enterprise_years.AS_OF, threads=1, scores="text")
    two = rb.evaluate_frame(df, enterprise_years.AS_OF, threads=2, scores="text")
    print("threads 1 and 2 give identical frames:", one.equals(two))


if __name__ == "__main__":
    main()
