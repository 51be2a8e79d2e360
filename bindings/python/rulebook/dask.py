"""Evaluating a Dask DataFrame partition by partition on the workers.

    import dask.dataframe as dd
    from rulebook import Rulebook
    import rulebook.dask

    rb = Rulebook.load("rules/linan/enterprise.yaml")
    ddf = dd.read_parquet("enterprises-*.parquet")
    ev = rulebook.dask.evaluate(ddf, rb, "2023-12-31")
    ev.frame                 # pandas: verdicts, classes, scores, indexed like ddf
    ev.population.aggregates # over every record

Each partition is evaluated where it lies, into a population (the
rulebook travels as its path or text and hash, loaded once per worker
process); the populations travel to the client as bytes
(rulebook_population_save: the exact scores computed on the workers) and
are merged there in partition order, each record copied once.
Aggregates and classes by rank are therefore those of the whole frame,
whatever the partitioning or the number of workers
(rulebook_population_merge). The per-record frame is made from the merged
population, because a class by rank depends on every record.

Needs dask (dask.dataframe), pandas and numpy: Debian's python3-dask,
python3-distributed and python3-pandas. See docs/scale.md.
"""
from __future__ import annotations

from typing import Any, List, Optional, Tuple

from ._values import DateLike, as_of_int

__all__ = ["evaluate", "Evaluation"]


class Evaluation:
    """What :func:`evaluate` returns: ``frame``, a pandas DataFrame of the
    results indexed like the Dask frame (as ``Rulebook.evaluate_frame``
    returns them), ``population``, the merged population of every record
    (aggregates, class counts, JSON), and ``bad_rows``, the positions of
    rows left out with skip_bad. Close it (or use ``with``) to free the
    population."""

    def __init__(self, frame: Any, population: Any, bad_rows: List[int]):
        self.frame = frame
        self.population = population
        self.bad_rows = bad_rows

    def close(self) -> None:
        self.population.close()

    def __enter__(self) -> "Evaluation":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _partition(rb: Any, part: Any, as_of: int, ignore_unknown: bool, skip_bad: bool
               ) -> Tuple[bytes, Any, List[int]]:
    """On a worker: evaluate one partition; its population as bytes, its
    index and its bad rows (positions within the partition). The exact
    scores owed are computed here, in parallel over the workers: moving
    the records' inputs instead (to_bytes(deferred=True)) makes the bytes
    three times larger and costs the client more to read and merge than
    it saves the workers (docs/scale.md)."""
    import pandas
    from . import _frame
    ids = None
    if "_id" not in part.columns and not (isinstance(part.index, pandas.RangeIndex)):
        ids = [str(x) for x in part.index]
    pop, bad = _frame.evaluate_batches(rb, part, as_of, ids, ignore_unknown, skip_bad, 1)
    with pop:
        return pop.to_bytes(), part.index, bad


def _merged(rb: Any, parts: List[Tuple[bytes, Any, List[int]]]) -> Tuple[Any, Any, List[int]]:
    """On the client: the partitions' populations loaded and merged in
    partition order (each record is copied once), their indexes joined and
    their bad rows numbered within the whole frame."""
    pop = rb.load_population(parts[0][0])
    try:
        bad = list(parts[0][2])
        n = len(parts[0][1])
        parts[0] = (b"", parts[0][1], [])
        for i in range(1, len(parts)):
            data, index, pbad = parts[i]
            parts[i] = (b"", index, [])  # the bytes are let go once merged
            with rb.load_population(data) as other:
                pop.merge(other)
            del data
            bad.extend(n + r for r in pbad)
            n += len(index)
        index = parts[0][1].append([p[1] for p in parts[1:]]) if len(parts) > 1 else parts[0][1]
    except BaseException:
        pop.close()
        raise
    return pop, index, bad


def evaluate(ddf: Any, rulebook: Any, as_of: Optional[DateLike] = None, *,
             ignore_unknown: bool = False, skip_bad: bool = False,
             scores: str = "decimal") -> Evaluation:
    """Evaluate every row of a Dask DataFrame on the workers of the current
    scheduler (a ``distributed.Client``, or Dask's default) and return an
    :class:`Evaluation`. Columns, ids, bad rows and scores are as for
    ``Rulebook.evaluate_frame``; the rulebook must be loadable on the
    workers (the same file at the same path, or loaded from text)."""
    import dask
    from . import _frame
    _frame.check_scores(scores)
    d = as_of_int(as_of)
    parts = ddf.to_delayed()
    task = dask.delayed(_partition, pure=True)
    done = list(dask.compute(*[task(rulebook, p, d, ignore_unknown, skip_bad) for p in parts]))
    pop, index, bad = _merged(rulebook, done)
    try:
        frame = _frame.result_frame(pop, index, bad, scores)
    except BaseException:
        pop.close()
        raise
    return Evaluation(frame, pop, bad)
