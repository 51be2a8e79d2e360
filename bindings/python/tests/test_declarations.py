"""What a rulebook declares besides ids: documents, titles, labels,
aliases, id columns, list inputs' fields and items. Every expected value is
read off tests/rules/declarations.yaml (line numbers are that file's)."""
import datetime
import unittest

import support

from rulebook import (ITEM_KINDS, ClosedError, Document, Field, InvalidArgumentError,
                      NotFoundError, Rulebook, SourceLocation)

PATH = support.FIXTURES / "declarations.yaml"


class DeclarationsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rb = Rulebook.load(PATH)

    @classmethod
    def tearDownClass(cls):
        cls.rb.close()

    def test_documents(self):
        # `source:` first (id ""), then `sources:`; source has no number (文号)
        self.assertEqual(self.rb.documents, (
            Document(0, "", "测试区人民政府", "测试区亩均论英雄实施方案", None,
                     datetime.date(2022, 5, 19)),
            Document(1, "std2008", "国土资源部", "工业项目建设用地控制指标",
                     "国土资发〔2008〕24号", datetime.date(2008, 1, 31))))

    def test_rule_document(self):
        # T1.mu_tax cites a plain clause (二): the file's `source`;
        # R.height cites {document: std2008, clause: 表2}
        self.assertEqual(self.rb.rule_document("T1.mu_tax").id, "")
        self.assertEqual(self.rb.rule_document("R.height").number, "国土资发〔2008〕24号")
        self.assertEqual(self.rb.rule_document(2).id, "std2008")
        with self.assertRaises(NotFoundError):
            self.rb.rule_document("T9")

    def test_titles(self):
        rb = self.rb
        self.assertEqual(rb.rule_title("T1.mu_tax"), "亩均税收")
        self.assertEqual(rb.rule_title("T1.mu_tax", "en"), "tax per mu")
        # R.height has only a Chinese title: English falls back to it
        self.assertEqual(rb.rule_title("R.height", "en"), "层高")
        self.assertIsNone(rb.rule_title("R.warehouse"))
        self.assertEqual(rb.target_title("K1.tax"), "税收目标")
        self.assertEqual(rb.target_title("K1.tax", "en"), "tax goal")
        self.assertEqual(rb.scorecard_title("mujun", "en"), "per-mu performance")
        self.assertEqual(rb.scorecard_title("mujun"), "亩均效益综合评价")
        self.assertEqual(rb.aggregate_title("P1.total_tax"), "税收合计")
        self.assertEqual(rb.aggregate_title("P1.total_tax", "en"), "total tax")
        with self.assertRaises(InvalidArgumentError):
            rb.rule_title("T1.mu_tax", "fr")
        with self.assertRaises(NotFoundError):
            rb.target_title("K9")
        with self.assertRaises(IndexError):
            rb.scorecard_title(1)

    def test_scorecard_and_aggregate_fields(self):
        self.assertEqual(self.rb.scorecard_cite("mujun"), "四（四）")
        self.assertEqual(self.rb.aggregate_unit("P1.total_tax"), "万元")
        self.assertEqual(self.rb.aggregate_responsible("P1.total_tax"), ("区财政局", "区税务局"))

    def test_labels_and_aliases(self):
        rb = self.rb
        self.assertEqual(rb.input_label("tax"), "实缴税收")
        self.assertEqual(rb.input_label("tax", "en"), "tax paid")
        self.assertEqual(rb.input_label("land_area", "en"), "用地面积")   # falls back to zh
        self.assertIsNone(rb.input_label("storeys"))                     # no label
        self.assertEqual(rb.input_aliases("tax"), ("税收", "实缴税收（万元）"))
        self.assertEqual(rb.input_aliases("land_area"), ())
        self.assertEqual(rb.id_columns, ("统一社会信用代码", "企业名称"))
        with self.assertRaises(NotFoundError):
            rb.input_aliases("taxes")

    def test_list_inputs(self):
        rb = self.rb
        self.assertEqual(rb.input_element_type("storey_heights"), "number")
        self.assertEqual(rb.input_element_type("storeys"), "record")
        self.assertIsNone(rb.input_element_type("tax"))
        self.assertEqual(rb.input_fields("storeys"),
                         (Field("height", "number", "m"), Field("use", "enum", "")))
        self.assertEqual(rb.input_fields("storey_heights"), ())

    def test_items(self):
        rb = self.rb
        self.assertEqual(ITEM_KINDS, ("rule", "target", "scorecard", "aggregate", "indicator"))
        rules = rb.items("rule")
        self.assertEqual([r.id for r in rules], ["T1.mu_tax", "R.height", "R.warehouse"])
        t1 = rules[0]
        # line 37 is "  - id: T1.mu_tax": the id starts after 8 bytes
        self.assertEqual(t1.location, SourceLocation(str(PATH), 37, 9))
        # mu_tax >= min_mu_tax: the indicator's inputs, the indicator, then
        # the parameter, each at its first use
        self.assertEqual(t1.uses, ("tax", "land_area", "mu_tax", "min_mu_tax"))
        self.assertEqual(t1.definition,
                         "cite: 二\nid: T1.mu_tax\nrequire: mu_tax >= min_mu_tax\n"
                         "title.en: tax per mu\ntitle.zh: 亩均税收\n")
        self.assertEqual(t1.document, 0)
        self.assertEqual(rules[1].document, 1)      # std2008
        ind = rb.item("indicator", "mu_tax")
        # line 35 is "  - {id: mu_tax, ...": the id starts after 9 bytes
        self.assertEqual((ind.location.line, ind.location.column), (35, 10))
        self.assertEqual(ind.uses, ())              # indicators report no uses
        self.assertIsNone(ind.document)             # indicators cite nothing
        self.assertEqual(rb.item("target", "K1.tax").location.line, 49)
        self.assertEqual(rb.item("scorecard", 0).location.line, 57)
        agg = rb.item("aggregate", "P1.total_tax")
        self.assertEqual((agg.location.line, agg.uses), (66, ("tax",)))
        self.assertIn("responsible[1]: 区税务局\n", agg.definition)
        with self.assertRaises(NotFoundError):
            rb.item("rule", "mu_tax")
        with self.assertRaises(IndexError):
            rb.item("target", 1)
        with self.assertRaises(InvalidArgumentError):
            rb.items("parameter")

    def test_definition_ignores_layout(self):
        # the same rule in flow style, with other key order and a comment
        src = PATH.read_text(encoding="utf-8").replace(
            "  - id: T1.mu_tax\n    title: {zh: 亩均税收, en: tax per mu}\n    cite: 二\n"
            "    require: mu_tax >= min_mu_tax\n",
            "  - {require: mu_tax >= min_mu_tax, cite: 二,   # flow style\n"
            "     title: {en: tax per mu, zh: 亩均税收}, id: T1.mu_tax}\n")
        with Rulebook.from_string(src) as other:
            self.assertEqual(other.item("rule", "T1.mu_tax").definition,
                             self.rb.item("rule", "T1.mu_tax").definition)

    def test_closed(self):
        rb = Rulebook.load(PATH)
        rb.close()
        with self.assertRaises(ClosedError):
            rb.documents


if __name__ == "__main__":
    unittest.main()
