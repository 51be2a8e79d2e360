"""Rulebook.evaluate_frame, population_from_arrow (the Arrow PyCapsule
interface), the bulk results, merging and pickling populations, and the
package without pandas or numpy. Expected values come from
tests/api/fixtures/columns.yaml, whose scores are the numeric inputs
themselves, and from the record-by-record route of the same binding."""
import ctypes
import datetime
import os
import pickle
import subprocess
import sys
import unittest
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE_ROOT = HERE.parent
sys.path.insert(0, str(PACKAGE_ROOT))
SOURCE_ROOT = Path(os.environ.get("RULEBOOK_SOURCE_ROOT") or PACKAGE_ROOT.parent.parent)
FIXTURES = SOURCE_ROOT / "tests" / "api" / "fixtures"

sys.path.insert(0, str(PACKAGE_ROOT / "tests"))
from support import CLASS_ERROR  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import rulebook  # noqa: E402
from rulebook import FactError, NotFoundError, Rulebook  # noqa: E402
from rulebook import _arrow  # noqa: E402

AS_OF = "2023-12-31"
VERDICT_NAMES = ["pass", "fail", "not_applicable", "exempt", "unknown", "not_in_force", "error"]


def columns_frame():
    return pd.DataFrame({
        "n": [1158.1, np.nan, 5.0],
        "area": np.array([Decimal("1234.56"), "-0.05", None], dtype=object),
        "k": np.array([7, -3, 0], dtype=np.int32),
        "ok": [True, False, True],
        "name": ["临安", "x", ""],
        "sector": pd.Categorical(["化工", "纺织", "化工"]),
        "opened": pd.to_datetime(["2020-01-01", "2019-12-31", None]),
    }, index=["a", "b", "c"])


class EvaluateFrame(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rb = Rulebook.load(FIXTURES / "columns.yaml")
        cls.parcels = Rulebook.load(FIXTURES / "partitions.yaml")

    def test_every_dtype(self):
        out = self.rb.evaluate_frame(columns_frame(), AS_OF)
        self.assertEqual(list(out.index), ["a", "b", "c"])
        self.assertEqual(list(out.columns),
                         ["N", "K", "B", "T", "E", "D", "sn.class", "sn.score", "sa.class",
                          "sa.score", "sk.class", "sk.score"])
        self.assertEqual(list(out["N"].cat.categories), VERDICT_NAMES)
        self.assertEqual(list(out.loc["a", ["N", "K", "B", "T", "E", "D"]]), ["pass"] * 6)
        self.assertEqual(list(out.loc["b", ["N", "K", "B", "T", "E", "D"]]),
                         ["unknown", "fail", "fail", "fail", "fail", "fail"])
        self.assertEqual(list(out.loc["c", ["N", "K", "B", "T", "E", "D"]]),
                         ["pass", "fail", "pass", "fail", "pass", "unknown"])
        self.assertEqual(list(out["sn.score"]), [Decimal("1158.1"), None, Decimal("5")])
        self.assertEqual(list(out["sa.score"]), [Decimal("1234.56"), Decimal("-0.05"), None])
        self.assertEqual(list(out["sk.score"]), [Decimal("7"), Decimal("-3"), Decimal("0")])
        self.assertEqual(list(out["sn.class"].cat.categories),
                         ["high", "low", "not_rated", "not_in_force", "error"])
        self.assertEqual(out.loc["a", "sn.class"], "high")
        self.assertTrue(pd.isna(out.loc["b", "sn.class"]))
        self.assertEqual(out.loc["c", "sn.class"], "low")

    def test_nullable_and_other_dtypes(self):
        df = pd.DataFrame({
            "k": pd.array([5, None, -2], dtype="Int64"),
            "ok": pd.array([True, None, False], dtype="boolean"),
            "n": pd.array([0.5, None, 2.25], dtype="Float64"),
            "area": np.array([3, 4, 5], dtype=np.uint16),
            "name": pd.array(["临安", None, "y"], dtype="string"),
            "opened": np.array(["2020-01-01", "2019-12-31", None], dtype=object),
        })
        out = self.rb.evaluate_frame(df, AS_OF, scores="text")
        self.assertEqual(list(out["sk.score"]), ["5", None, "-2"])
        self.assertEqual(list(out["sn.score"]), ["0.5", None, "2.25"])
        self.assertEqual(list(out["sa.score"]), ["3", "4", "5"])
        self.assertEqual(list(out["B"]), ["pass", "unknown", "fail"])
        self.assertEqual(list(out["T"]), ["pass", "unknown", "fail"])
        self.assertEqual(list(out["D"]), ["pass", "fail", "unknown"])
        floats = self.rb.evaluate_frame(df, AS_OF, scores="float")
        self.assertEqual(floats["sn.score"].dtype, np.float64)
        self.assertEqual(floats["sn.score"][0], 0.5)
        self.assertTrue(np.isnan(floats["sn.score"][1]))

    def test_same_as_record_route(self):
        """Ranks, averages and verdicts equal those of population() over the
        same records as dicts, on one thread or several."""
        rng = np.random.default_rng(5)
        n = 50000
        df = pd.DataFrame({
            "area": np.round(rng.random(n) * 100, 1),
            "industrial": rng.random(n) > 0.5,
            "standard_land": rng.random(n) > 0.3,
            "year": rng.integers(2019, 2024, n),
            "score_in": np.where(rng.random(n) < 0.02, np.nan, rng.integers(0, 40, n) / 4),
        })
        records = [{k: (None if isinstance(v, float) and v != v else
                        v.item() if hasattr(v, "item") else v) for k, v in row.items()}
                   for row in df.head(3000).to_dict("records")]
        head = df.head(3000)
        with self.parcels.population(records, "2023-06-30") as pop:
            want = pop.to_frame(scores="text")
        got = self.parcels.evaluate_frame(head, "2023-06-30", scores="text", threads=1)
        pd.testing.assert_frame_equal(got, want)
        one = self.parcels.evaluate_frame(df, "2023-06-30", threads=1)
        three = self.parcels.evaluate_frame(df, "2023-06-30", threads=3)
        pd.testing.assert_frame_equal(one, three)
        self.assertGreater((one["rank.class"] == "A").sum(), 0)

    def test_class_error(self):
        """A class of error is the category "error" (a benchmark that a
        parameter makes 0 from 2023), not an empty cell."""
        rb = Rulebook.from_string(CLASS_ERROR)
        df = pd.DataFrame({"x": [4.0, np.nan, 1.0]})
        got = rb.evaluate_frame(df, "2023-06-30")["s.class"]
        self.assertEqual(list(got.astype(object)), ["error", "error", "error"])
        self.assertEqual(list(got.cat.categories), ["A", "B", "not_rated", "not_in_force", "error"])
        got = rb.evaluate_frame(df, "2022-06-30")["s.class"]
        self.assertEqual(got[0], "A")
        self.assertTrue(pd.isna(got[1]))
        self.assertEqual(got[2], "B")

    def test_population_threads_and_score_values(self):
        """population(threads=n) gives the same population for any n;
        score_values (binary scores where their bound is tight) are within
        2^-43 of the exact scores, and are evaluate_frame's float scores."""
        rng = np.random.default_rng(9)
        n = 12000
        records = [{"area": float(round(rng.random() * 100, 1)), "year": 2022,
                    "score_in": float(rng.integers(0, 40)) / 3}
                   for _ in range(n)]
        with self.parcels.population(records, "2023-06-30", threads=1) as one, \
                self.parcels.population(records, "2023-06-30", threads=3) as three, \
                self.parcels.population(records, "2023-06-30") as default:
            for pop in (three, default):
                pd.testing.assert_frame_equal(pop.to_frame(scores="text"),
                                              one.to_frame(scores="text"))
                for sc in ("rank", "avg"):
                    np.testing.assert_array_equal(pop.score_values(sc), one.score_values(sc))
            for sc in ("rank", "avg"):
                values = one.score_values(sc)
                exact = one.scores(sc)
                self.assertEqual(len(values), n)
                for v, d in zip(values, exact):
                    if d is None:
                        self.assertTrue(np.isnan(v))
                    else:
                        self.assertLessEqual(abs(v - float(d)), abs(float(d)) * 2.0 ** -43)
            frame = self.parcels.evaluate_frame(pd.DataFrame(records), "2023-06-30",
                                                scores="float")
            np.testing.assert_array_equal(frame["rank.score"].to_numpy(),
                                          one.score_values("rank"))
        for bad in (0, -2, 1.5):
            with self.assertRaises(rulebook.InvalidArgumentError):
                self.parcels.population(records[:10], "2023-06-30", threads=bad)

    def test_bad_rows(self):
        df = pd.DataFrame({"n": ["1", "abc", "2"], "k": [1.0, 2.0, 3.0]}, index=[10, 20, 30])
        with self.assertRaises(FactError) as cm:
            self.rb.evaluate_frame(df, AS_OF)
        self.assertIn("record 20: row 1, column 'n':", str(cm.exception))
        self.assertEqual(cm.exception.subject, "n")
        out = self.rb.evaluate_frame(df, AS_OF, skip_bad=True)
        self.assertEqual(list(out.index), [10, 20, 30])
        self.assertEqual(out.loc[10, "N"], "pass")
        self.assertTrue(pd.isna(out.loc[20, "N"]))
        self.assertIsNone(out.loc[20, "sn.score"])
        self.assertEqual(out.loc[30, "sn.score"], Decimal("2"))

    def test_unknown_columns_and_times(self):
        df = pd.DataFrame({"n": [1.0], "comment": ["x"]})
        with self.assertRaises(NotFoundError) as cm:
            self.rb.evaluate_frame(df, AS_OF)
        self.assertIn("column 'comment' is not an input of the rulebook", str(cm.exception))
        out = self.rb.evaluate_frame(df, AS_OF, ignore_unknown=True)
        self.assertEqual(out.loc[0, "N"], "pass")
        df = pd.DataFrame({"opened": pd.to_datetime(["2020-01-01 12:30"])})
        with self.assertRaises(FactError) as cm:
            self.rb.evaluate_frame(df, AS_OF)
        self.assertIn("column 'opened' holds times of day, not dates", str(cm.exception))
        with self.assertRaises(rulebook.InvalidArgumentError):
            self.rb.evaluate_frame([{"n": 1}], AS_OF)

    def test_ids_from_column_or_index(self):
        df = pd.DataFrame({"n": [1.0, 2.0], "_id": ["e1", None]})
        pop = self.rb.population_from_arrow(_Producer(df), AS_OF)
        self.assertEqual(pop.record_ids, ["e1", None])
        pop.close()


class _Producer:
    """An Arrow producer through the PyCapsule interface, built here with
    the binding's own ctypes structures (pyarrow is not needed): capsules of
    a batch of a frame's columns, or a stream of several batches."""

    _new = ctypes.pythonapi.PyCapsule_New
    _new.restype = ctypes.py_object
    _new.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]

    def __init__(self, *frames):
        from rulebook import _frame
        self.batches = [_frame.batch_of(f, None) for f in frames]

    def __arrow_c_array__(self, requested_schema=None):
        b = self.batches[0]
        return (self._new(ctypes.addressof(b.schema), b"arrow_schema", None),
                self._new(ctypes.addressof(b.array), b"arrow_array", None))


class _StreamProducer(_Producer):
    def __arrow_c_stream__(self, requested_schema=None):
        S = _arrow.ArrowArrayStream
        batches = self.batches
        state = {"next": 0, "released": 0}

        def get_schema(stream, out):
            ctypes.memmove(out, ctypes.addressof(batches[0].schema),
                           ctypes.sizeof(_arrow.ArrowSchema))
            return 0

        def get_next(stream, out):
            i = state["next"]
            state["next"] += 1
            if i < len(batches):
                ctypes.memmove(out, ctypes.addressof(batches[i].array),
                               ctypes.sizeof(_arrow.ArrowArray))
            else:
                ctypes.memset(out, 0, ctypes.sizeof(_arrow.ArrowArray))
            return 0

        def release(stream):
            state["released"] += 1
            stream.contents.release = S._fields_[3][1]()

        self.stream = S()
        self.callbacks = [S._fields_[0][1](get_schema), S._fields_[1][1](get_next),
                          S._fields_[2][1](lambda s: None), S._fields_[3][1](release)]
        (self.stream.get_schema, self.stream.get_next, self.stream.get_last_error,
         self.stream.release) = self.callbacks
        self.state = state
        return self._new(ctypes.addressof(self.stream), b"arrow_array_stream", None)


class ArrowObjects(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rb = Rulebook.load(FIXTURES / "columns.yaml")

    def test_array_capsule(self):
        df = columns_frame().reset_index(drop=True)
        out = self.rb.evaluate_frame(_Producer(df), AS_OF)
        pd.testing.assert_frame_equal(out, self.rb.evaluate_frame(df, AS_OF))

    def test_stream_capsule(self):
        df = columns_frame().reset_index(drop=True)
        p = _StreamProducer(df.iloc[:2], df.iloc[2:])
        out = self.rb.evaluate_frame(p, AS_OF)
        pd.testing.assert_frame_equal(out, self.rb.evaluate_frame(df, AS_OF))
        self.assertEqual(p.state["next"], 3)  # two batches and the end
        # a bad row names its position in the whole stream
        bad = pd.DataFrame({"n": ["1", "2", "x"]})
        with self.assertRaises(FactError) as cm:
            self.rb.population_from_arrow(_StreamProducer(bad.iloc[:2], bad.iloc[2:]), AS_OF)
        self.assertEqual(cm.exception.record, 2)
        with self.assertRaises(TypeError):
            self.rb.population_from_arrow(object(), AS_OF)


class Populations(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rb = Rulebook.load(FIXTURES / "partitions.yaml")

    def records(self, n, seed):
        rng = np.random.default_rng(seed)
        return pd.DataFrame({
            "area": np.round(rng.random(n) * 500, 2),
            "industrial": rng.random(n) > 0.5,
            "year": rng.integers(2020, 2024, n),
            "score_in": rng.integers(0, 20, n).astype(np.float64),
        })

    def test_merge_and_pickle(self):
        df = self.records(3000, 1)
        whole = self.rb.population_from_arrow(_Producer(df), "2023-06-30")
        a = self.rb.population_from_arrow(_Producer(df.iloc[:1000]), "2023-06-30")
        b = self.rb.population_from_arrow(_Producer(df.iloc[1000:]), "2023-06-30")
        b = pickle.loads(pickle.dumps(b))
        a.merge(b)
        self.assertEqual(a.to_json(), whole.to_json())
        np.testing.assert_array_equal(a.verdict_matrix(), whole.verdict_matrix())
        np.testing.assert_array_equal(a.class_codes("rank"), whole.class_codes("rank"))
        self.assertEqual(a.scores("avg"), whole.scores("avg"))
        self.assertEqual(a.as_of, datetime.date(2023, 6, 30))
        other = self.rb.population_from_arrow(_Producer(df.iloc[:10]), "2023-12-31")
        with self.assertRaises(rulebook.InvalidArgumentError):
            a.merge(other)
        rb2 = pickle.loads(pickle.dumps(self.rb))
        self.assertEqual(rb2.hash, self.rb.hash)
        with self.assertRaises(rulebook.FactError):
            self.rb.load_population(b"not a population")


class Example(unittest.TestCase):
    def test_evaluate_frame_example(self):
        """examples/python/evaluate_frame.py runs and agrees with the record
        route on the sample enterprises."""
        r = subprocess.run([sys.executable, str(SOURCE_ROOT / "examples/python/evaluate_frame.py")],
                           capture_output=True, text=True, env=os.environ, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "210 records as of 2023-12-31")
        import json
        rb = Rulebook.load(SOURCE_ROOT / "rules/linan/enterprise.yaml")
        with open(SOURCE_ROOT / "examples/data/enterprises.json", encoding="utf-8") as f:
            records = json.load(f, parse_float=Decimal)
        with rb.population(records, "2023-12-31") as pop:
            want = pop.to_frame()
        for rule in rb.rules:
            line = next(x for x in lines if x.startswith(rule.id + " "))
            counts = want[rule.id].value_counts()
            self.assertEqual(line, f"{rule.id:28} " + ", ".join(
                f"{v} {n}" for v, n in counts.items() if n))
        self.assertEqual(lines[-1],
                         "scores as float64 on 2 threads: verdicts and classes the same")


class WithoutPandas(unittest.TestCase):
    def test_package_works_without_numpy_and_pandas(self):
        code = (
            "import sys\n"
            "sys.modules['numpy'] = None\n"
            "sys.modules['pandas'] = None\n"
            f"sys.path.insert(0, {str(PACKAGE_ROOT)!r})\n"
            "from rulebook import Rulebook\n"
            f"rb = Rulebook.load({str(FIXTURES / 'columns.yaml')!r})\n"
            "print(rb.evaluate({'n': 5}, as_of='2023-12-31').verdicts['N'])\n"
            "with rb.population([{'n': 150}], '2023-12-31') as pop:\n"
            "    print(pop.scores('sn'))\n"
            "try:\n"
            "    rb.evaluate_frame(None, '2023-12-31')\n"
            "except ImportError as e:\n"
            "    print('ImportError')\n")
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env=os.environ, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.split("\n")[:3], ["pass", "[Decimal('150')]", "ImportError"])


if __name__ == "__main__":
    unittest.main()
