#!/usr/bin/env python3
"""Evaluate records against a rulebook with the Python binding.

    python3 examples/python/evaluate.py [RULEBOOK [DATA.json [YYYY-MM-DD]]]

Defaults: the Lin'an enterprise rulebook on the sample enterprises, as of
2023-12-31. Run from the source tree with the library built (or the
package installed: pip install bindings/python), or set RULEBOOK_LIBRARY.
"""
import json
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bindings" / "python"))  # not needed once installed

from rulebook import Rulebook, RulebookError  # noqa: E402

rulebook_path = sys.argv[1] if len(sys.argv) > 1 else ROOT / "rules/linan/enterprise.yaml"
data_path = sys.argv[2] if len(sys.argv) > 2 else ROOT / "examples/data/enterprises.json"
as_of = sys.argv[3] if len(sys.argv) > 3 else "2023-12-31"

try:
    rb = Rulebook.load(rulebook_path)
except RulebookError as e:
    for d in e.diagnostics:  # every mistake, with file:line:column
        print(d, file=sys.stderr)
    sys.exit(1)

with rb:
    print(f"{rb.id}: {rb.title} ({len(rb.rules)} rules)")

    # parse_float=Decimal keeps every number's exact decimal text.
    with open(data_path, encoding="utf-8") as f:
        records = json.load(f, parse_float=Decimal)
    if isinstance(records, dict):
        records = [records]

    # One record: verdicts, the gap of each failed rule, a value.
    first = rb.evaluate(records[0], as_of)
    print(f"\n{first.record_id}: {first.counts}")
    for rule in first.failed:
        print(f"  {rule.id} ({rule.cite}): {rule.message('zh')}")

    # Every record in one call into the library.
    total = Counter()
    for result in rb.evaluate_many(records, as_of):
        total.update(result.verdicts.values())
        failed = [r.id for r in result.with_verdict("fail")]
        if failed:
            print(f"{result.record_id or '-'}: fails {', '.join(failed)}")
    print("\nverdicts:", dict(total))

    # Records evaluated together: aggregates and classes by rank.
    with rb.population(records, as_of) as pop:
        for agg in pop.aggregates.values():
            print(f"aggregate {agg.id}: {agg.verdict} {agg.value}")
