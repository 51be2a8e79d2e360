"""List facts through the list setters (rulebook_facts_set_list_double_at
for lists of floats, rulebook_facts_set_list_text_at otherwise and for
lists of records). The rulebook is tests/rules/declarations.yaml:
R.height requires every storey height <= 8 m (tall_storey), R.warehouse
no warehouse (仓储) storey taller than 8 m."""
import datetime
import unittest
from decimal import Decimal

import support

from rulebook import FactError, Rulebook, _lib

PATH = support.FIXTURES / "declarations.yaml"
D = datetime.date(2023, 6, 30)


class ListSettersTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rb = Rulebook.load(PATH)

    @classmethod
    def tearDownClass(cls):
        cls.rb.close()

    def verdict(self, rule, **facts):
        return self.rb.evaluate(facts, D).verdict(rule)

    def calls(self, facts):
        """The list setters one evaluate calls."""
        lib = _lib.lib
        names = ("rulebook_facts_set_list_double_at", "rulebook_facts_set_list_text_at")
        saved = {n: getattr(lib, n) for n in names}
        seen = []

        def spy(n):
            def call(*a):
                seen.append(n)
                return saved[n](*a)
            return call
        try:
            for n in names:
                setattr(lib, n, spy(n))
            self.rb.evaluate(facts, D)
        finally:
            for n, f in saved.items():
                setattr(lib, n, f)
        return seen

    def test_a_list_changes_the_verdict(self):
        # 3.5 and 4 m are both <= 8 m; 9 m is not
        self.assertEqual(self.verdict("R.height", storey_heights=[3.5, 4.0]), "pass")
        self.assertEqual(self.verdict("R.height", storey_heights=[3.5, 9.0]), "fail")
        # exactly 8 m is allowed (<=); 8.01 is not
        self.assertEqual(self.verdict("R.height", storey_heights=[Decimal("8")]), "pass")
        self.assertEqual(self.verdict("R.height", storey_heights=(3, Decimal("8.01"))), "fail")
        # texts with a unit, converted into the input's unit (m)
        self.assertEqual(self.verdict("R.height", storey_heights=["3.5 m", "9 m"]), "fail")
        # no storey at all: every one of none is low enough
        self.assertEqual(self.verdict("R.height", storey_heights=[]), "pass")
        # a missing element leaves the verdict unknown
        self.assertEqual(self.verdict("R.height", storey_heights=[3.5, None]), "unknown")

    def test_which_setter(self):
        self.assertEqual(self.calls({"storey_heights": [3.5, 9.0]}),
                         ["rulebook_facts_set_list_double_at"])
        self.assertEqual(self.calls({"storey_heights": [3.5, Decimal("9")]}),
                         ["rulebook_facts_set_list_text_at"])
        self.assertEqual(self.calls({"storeys": [{"height": 9, "use": "仓储"}]}),
                         ["rulebook_facts_set_list_text_at"])

    def test_the_value_reads_back(self):
        r = self.rb.evaluate({"storey_heights": [3.5, 9.0]}, D)
        self.assertEqual(r.value("storey_heights"), "[3.5, 9]")

    def test_records(self):
        # a 9 m warehouse storey fails; 9 m production or an 8 m warehouse passes
        self.assertEqual(self.verdict("R.warehouse", storeys=[{"height": 9, "use": "仓储"}]),
                         "fail")
        self.assertEqual(self.verdict("R.warehouse", storeys=[{"height": 9, "use": "生产"}]),
                         "pass")
        self.assertEqual(self.verdict("R.warehouse",
                                      storeys=[{"use": "仓储", "height": Decimal("8")},
                                               {"height": 12.5, "use": "生产"}]), "pass")
        # the height of the warehouse storey missing: unknown
        self.assertEqual(self.verdict("R.warehouse", storeys=[{"use": "仓储"}]), "unknown")

    def test_errors_name_the_element(self):
        cases = [
            ({"storey_heights": [1, "x"]}, "element 2 of list 'storey_heights'"),
            ({"storey_heights": [1.0, float("nan")]}, "element 2 of list 'storey_heights'"),
            ({"storey_heights": [{"height": 1}]}, "element 1 of list 'storey_heights'"),
            ({"storeys": [{"height": 9, "floor": 1}]},
             "element 1 of list 'storeys': no field 'floor' (fields: height, use)"),
            ({"storeys": [{"height": 9}, {"height": 1, "use": "办公"}]},
             "element 2 of list 'storeys'"),
            ({"storeys": [3]}, "element 1 of list 'storeys': a record is a mapping"),
            ({"storey_heights": [datetime.datetime(2023, 1, 1)]}, "a datetime is not a date"),
        ]
        for facts, message in cases:
            with self.subTest(facts=facts):
                with self.assertRaises(FactError) as cm:
                    self.rb.evaluate(facts, D)
                self.assertIn(message, str(cm.exception))
        # nothing half set: the facts object is reused by the next evaluate
        self.assertEqual(self.verdict("R.height", storey_heights=[3.5]), "pass")


if __name__ == "__main__":
    unittest.main()
