"""rulebook.dask.evaluate on a distributed.LocalCluster of two worker
processes (loopback only, started and closed here): the results equal
those of evaluate_frame on the whole frame -- verdicts, classes by rank,
scores, aggregates, the population's JSON -- for several partitionings,
with an empty partition, and with bad rows skipped."""
import os
import sys
import unittest
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE_ROOT = HERE.parent
sys.path.insert(0, str(PACKAGE_ROOT))
SOURCE_ROOT = Path(os.environ.get("RULEBOOK_SOURCE_ROOT") or PACKAGE_ROOT.parent.parent)
FIXTURES = SOURCE_ROOT / "tests" / "api" / "fixtures"
# the worker processes import the package from here too
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(PACKAGE_ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import dask.dataframe as dd  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

import rulebook.dask  # noqa: E402
from rulebook import FactError, Rulebook  # noqa: E402

AS_OF = "2023-06-30"


def parcels(n, seed):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "area": np.where(rng.random(n) < 0.01, np.nan, np.round(rng.random(n) * 500, 2)),
        "industrial": rng.random(n) > 0.5,
        "standard_land": rng.random(n) > 0.3,
        "year": rng.integers(2019, 2024, n),
        "score_in": rng.integers(0, 30, n).astype(np.float64),
        "banned": rng.random(n) > 0.97,
    })


class DaskRoute(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                   host="127.0.0.1", dashboard_address="127.0.0.1:0", worker_dashboard_address="127.0.0.1:0",
                                   silence_logs=40)
        cls.client = Client(cls.cluster)
        cls.rb = Rulebook.load(FIXTURES / "partitions.yaml")

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.cluster.close()

    def test_two_workers(self):
        info = self.client.scheduler_info()["workers"]
        self.assertEqual(len(info), 2)
        for addr in info:
            self.assertTrue(addr.startswith("tcp://127.0.0.1:"), addr)

    def test_same_as_one_frame(self):
        df = parcels(20000, 3)
        want = self.rb.evaluate_frame(df, AS_OF, threads=1)
        with self.rb.population_from_arrow(_frame_producer(df), AS_OF) as whole:
            want_json = whole.to_json()
        for nparts in (1, 3, 7):
            ddf = dd.from_pandas(df, npartitions=nparts)
            with rulebook.dask.evaluate(ddf, self.rb, AS_OF) as ev:
                pd.testing.assert_frame_equal(ev.frame, want)
                self.assertEqual(ev.population.to_json(), want_json)
                self.assertEqual(len(ev.population), 20000)
        # the aggregates are of every record: the count over 2022 is there
        self.assertGreater((want["rank.class"] == "A").sum(), 0)

    def test_float_scores(self):
        # scores="float": the frame and, read later, the exact scores are
        # those of the whole frame evaluated at once
        from rulebook import _frame
        df = parcels(20000, 5)
        want = self.rb.evaluate_frame(df, AS_OF, threads=1, scores="float")
        want_text = self.rb.evaluate_frame(df, AS_OF, threads=1, scores="text")
        for nparts in (1, 4):
            ddf = dd.from_pandas(df, npartitions=nparts)
            with rulebook.dask.evaluate(ddf, self.rb, AS_OF, scores="float") as ev:
                pd.testing.assert_frame_equal(ev.frame, want)
                text = _frame.result_frame(ev.population, ev.frame.index, ev.bad_rows, "text")
                pd.testing.assert_frame_equal(text, want_text)

    def test_merged_on_the_client(self):
        # the workers evaluate the partitions and nothing else: their
        # populations are merged once, on the client, in partition order
        from distributed import get_task_stream
        df = parcels(3000, 8)
        ddf = dd.from_pandas(df, npartitions=5)
        with get_task_stream(self.client) as ts:
            with rulebook.dask.evaluate(ddf, self.rb, AS_OF, scores="text") as ev:
                pd.testing.assert_frame_equal(ev.frame,
                                              self.rb.evaluate_frame(df, AS_OF, scores="text"))
        names = [t["key"][0] if isinstance(t["key"], tuple) else t["key"] for t in ts.data]
        ours = [k for k in names if "_partition" in k or "_merge" in k]
        self.assertEqual(len(ours), 5, names)
        self.assertTrue(all("_partition" in k for k in ours), ours)

    def test_index_kept_and_empty_partition(self):
        df = parcels(300, 4)
        df.index = [f"p{i:04d}" for i in range(300)]
        ddf = dd.from_pandas(df, npartitions=3)
        empty = ddf.partitions[0].head(0, npartitions=1, compute=False)
        ddf = dd.concat([ddf.partitions[0], empty, ddf.partitions[1], ddf.partitions[2]])
        with rulebook.dask.evaluate(ddf, self.rb, AS_OF, scores="text") as ev:
            self.assertEqual(list(ev.frame.index), list(df.index))
            pd.testing.assert_frame_equal(ev.frame,
                                          self.rb.evaluate_frame(df, AS_OF, scores="text"))
            # the index names the records
            self.assertEqual(ev.population.record_ids[:2], ["p0000", "p0001"])

    def test_bad_rows(self):
        df = pd.DataFrame({"area": ["1", "2", "x", "4"], "year": [2022] * 4},
                          index=[10, 11, 12, 13])
        ddf = dd.from_pandas(df, npartitions=2)
        with self.assertRaises(FactError) as cm:
            rulebook.dask.evaluate(ddf, self.rb, AS_OF)
        self.assertIn("record 12: row 0, column 'area'", str(cm.exception))
        with rulebook.dask.evaluate(ddf, self.rb, AS_OF, skip_bad=True) as ev:
            self.assertEqual(ev.bad_rows, [2])
            self.assertEqual(list(ev.frame["R1.area_reported"].astype(object).fillna("-")),
                             ["pass", "pass", "-", "pass"])
            self.assertEqual(len(ev.population), 3)
            self.assertEqual(ev.population.aggregates["A1.total_area"].value, Decimal("7"))


class SavedDeferred(unittest.TestCase):
    """Population.to_bytes(deferred=True): the exact scores not computed
    yet travel as the records' inputs, and the loaded population gives the
    scores, classes by rank and JSON of the population evaluated in place."""

    def test_same_as_in_place(self):
        from rulebook import _frame
        from rulebook._values import as_of_int
        rb = Rulebook.load(FIXTURES / "partitions.yaml")
        df = parcels(6000, 6)
        pop, bad = _frame.evaluate_batches(rb, df, as_of_int(AS_OF), None, False, False, 1)
        with pop:
            deferred, exact = pop.to_bytes(deferred=True), pop.to_bytes()
            # the inputs of the records whose exact score waits travel too
            self.assertGreater(len(deferred), len(exact))
            with rb.load_population(deferred) as got, rb.load_population(exact) as via_exact:
                for scores in ("float", "text"):
                    want = _frame.result_frame(pop, df.index, bad, scores)
                    pd.testing.assert_frame_equal(
                        _frame.result_frame(got, df.index, bad, scores), want)
                    pd.testing.assert_frame_equal(
                        _frame.result_frame(via_exact, df.index, bad, scores), want)
                self.assertEqual(got.to_json(), pop.to_json())
                # read alike, the two hold the same
                self.assertEqual(got.to_bytes(), via_exact.to_bytes())


def _frame_producer(df):
    """df through the Arrow PyCapsule interface (as test_frame does)."""
    import ctypes
    from rulebook import _frame
    new = ctypes.pythonapi.PyCapsule_New
    new.restype = ctypes.py_object
    new.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]

    class P:
        def __init__(self):
            self.b = _frame.batch_of(df, None)

        def __arrow_c_array__(self, requested_schema=None):
            return (new(ctypes.addressof(self.b.schema), b"arrow_schema", None),
                    new(ctypes.addressof(self.b.array), b"arrow_array", None))
    return P()


if __name__ == "__main__":
    unittest.main()
