"""Loading options: extends forbidden (allow_extends=False) and parents
supplied by a resolver. The rulebooks are tests/rules/extends/: the
district (line 7: "extends: province.yaml") raises the province's
min_mu_tax from 30 to 37 万元/亩."""
import pickle
import unittest

import support

from rulebook import (InvalidArgumentError, NotFoundError, ParseError, Rulebook)

DIR = support.FIXTURES / "extends"
DISTRICT = (DIR / "district.yaml").read_text(encoding="utf-8")
PROVINCE = (DIR / "province.yaml").read_text(encoding="utf-8")
D = "2022-06-30"


class AllowExtendsTest(unittest.TestCase):
    def test_forbidden(self):
        with self.assertRaises(InvalidArgumentError) as cm:
            Rulebook.load(DIR / "district.yaml", allow_extends=False)
        e = cm.exception
        # the value of `extends` on line 7 starts after "extends: " (9 bytes)
        self.assertEqual((e.file, e.line, e.column), (str(DIR / "district.yaml"), 7, 10))
        self.assertIn("forbidden", e.message)
        with self.assertRaises(InvalidArgumentError):
            Rulebook.from_string(DISTRICT, "district.yaml", allow_extends=False,
                                 resolver=lambda name: PROVINCE)

    def test_allowed_by_default_and_without_extends(self):
        with Rulebook.load(DIR / "district.yaml") as rb:
            self.assertEqual(rb.parameter_value("min_mu_tax", D), 37)
        # a rulebook that extends nothing loads with extends forbidden
        with Rulebook.load(DIR / "province.yaml", allow_extends=False) as rb:
            self.assertEqual(rb.parameter_value("min_mu_tax", D), 30)


class ResolverTest(unittest.TestCase):
    def test_parent_from_the_resolver(self):
        asked = []

        def resolve(name):
            asked.append(name)
            return PROVINCE if name == "province.yaml" else None
        # from text: no file is there to find the parent beside
        with Rulebook.from_string(DISTRICT, "district.yaml", resolver=resolve) as rb:
            self.assertEqual(asked, ["province.yaml"])
            self.assertEqual(rb.parents[0][0], "test.province")
            # 300 万元 on 10 亩 is 30 万元/亩: below the district's 37
            self.assertEqual(rb.evaluate({"tax": 300, "land_area": 10}, D).verdict("mu_tax"),
                             "fail")
            self.assertEqual(rb.evaluate({"tax": 370, "land_area": 10}, D).verdict("mu_tax"),
                             "pass")
        # bytes do as well as text
        with Rulebook.from_string(DISTRICT, resolver=lambda n: PROVINCE.encode()) as rb:
            self.assertEqual(rb.parameter_value("min_mu_tax", D), 37)

    def test_unknown_parent(self):
        with self.assertRaises(NotFoundError) as cm:
            Rulebook.from_string(DISTRICT, "district.yaml", resolver=lambda name: None)
        self.assertEqual((cm.exception.line, cm.exception.column), (7, 10))

    def test_the_parent_is_named_in_its_errors(self):
        broken = PROVINCE.replace("rules:\n", "rules: [\n", 1)
        with self.assertRaises(ParseError) as cm:
            Rulebook.from_string(DISTRICT, "district.yaml", resolver=lambda name: broken)
        self.assertEqual(cm.exception.file, "province.yaml")

    def test_what_the_resolver_raises_comes_out(self):
        class Gone(Exception):
            pass

        def resolve(name):
            raise Gone(name)
        with self.assertRaises(Gone) as cm:
            Rulebook.from_string(DISTRICT, resolver=resolve)
        self.assertEqual(str(cm.exception), "province.yaml")
        with self.assertRaises(TypeError):
            Rulebook.from_string(DISTRICT, resolver=lambda name: 42)
        with self.assertRaises(TypeError):
            Rulebook.from_string(DISTRICT, resolver="province.yaml")

    def test_not_pickled(self):
        with Rulebook.from_string(DISTRICT, resolver=lambda n: PROVINCE) as rb:
            with self.assertRaises(TypeError):
                pickle.dumps(rb)


if __name__ == "__main__":
    unittest.main()
