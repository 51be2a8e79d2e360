#!/usr/bin/env python3
"""Rows per second of rulebook.dask.evaluate on 1 and 2 worker processes.

    RULEBOOK_LIBRARY=$PWD/build/lib/librulebook.so /usr/bin/python3 bindings/bench/dask_population.py [--rows N] [--partitions P] [--workers 1,2] [--scores text|float|decimal]

Generated enterprise-years for bench/bench.yaml (enterprise_years.py) are
made on the workers, partition by partition, and kept there (persist), so
the figure covers evaluating, moving and merging the populations and
building the result frame on the client -- not generating the data.
--scores is passed to rulebook.dask.evaluate (text by default: every
exact score is computed, on the workers; float: the exact scores stay
owed and the populations travel with the records' inputs). Each
worker count gets its own distributed.LocalCluster (loopback, one thread
per worker process). The results of every worker count are compared: the
frames and the populations' JSON must be identical.
"""
import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "bindings" / "python"))
sys.path.insert(0, str(HERE))
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(ROOT / "bindings" / "python"), str(HERE)] +
    [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])

import dask  # noqa: E402
import dask.dataframe as dd  # noqa: E402
import pandas as pd  # noqa: E402
from distributed import Client, LocalCluster, wait  # noqa: E402

import enterprise_years  # noqa: E402
import rulebook.dask  # noqa: E402
from rulebook import Rulebook  # noqa: E402


def digest(frame: pd.DataFrame, population) -> str:
    h = hashlib.sha256()
    h.update(pd.util.hash_pandas_object(frame.astype(str), index=True).values.tobytes())
    h.update(population.to_json().encode())
    return h.hexdigest()[:16]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--scores", default="text", choices=["text", "float", "decimal"])
    args = ap.parse_args()
    rb = Rulebook.load(ROOT / enterprise_years.ROOT_RULEBOOK)
    n, p = args.rows, args.partitions
    bounds = [n * i // p for i in range(p + 1)]
    meta = enterprise_years.frame(0, 0)
    results = {}
    for w in [int(x) for x in args.workers.split(",")]:
        with LocalCluster(n_workers=w, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address="127.0.0.1:0", worker_dashboard_address="127.0.0.1:0", silence_logs=40) as cluster, \
                Client(cluster) as client:
            parts = [dask.delayed(enterprise_years.frame)(bounds[i + 1] - bounds[i], i + 1,
                                                          bounds[i]) for i in range(p)]
            ddf = dd.from_delayed(parts, meta=meta, divisions=bounds).persist()
            wait(ddf)
            t = time.perf_counter()
            ev = rulebook.dask.evaluate(ddf, rb, enterprise_years.AS_OF, scores=args.scores)
            secs = time.perf_counter() - t
            results[w] = digest(ev.frame, ev.population)
            print(f"{w} worker{'s' if w > 1 else ''}: {n} rows in {secs:.2f} s, "
                  f"{n / secs / 1e6:.2f} M rows/s ({p} partitions, scores {args.scores}), "
                  f"results {results[w]}")
            ev.close()
            client.close()
    same = len(set(results.values())) == 1
    print("identical results for every worker count:", same)
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
