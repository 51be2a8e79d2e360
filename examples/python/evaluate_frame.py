#!/usr/bin/env python3
"""Evaluate a pandas DataFrame of enterprises against a rulebook.

    python3 examples/python/evaluate_frame.py [RULEBOOK [DATA.json [YYYY-MM-DD]]]

Defaults: the Lin'an enterprise rulebook on the sample enterprises, as of
2023-12-31. The records are read into a DataFrame (numbers as float64,
record ids in "_id"); evaluate_frame returns one categorical column per
rule and, per scorecard, the class and the exact score, indexed like the
input; then the same with float scores on two threads, the form for
throughput. Needs pandas and numpy (Debian: python3-pandas).
"""
import json
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bindings" / "python"))  # not needed once installed

from rulebook import Rulebook  # noqa: E402

rulebook_path = sys.argv[1] if len(sys.argv) > 1 else ROOT / "rules/linan/enterprise.yaml"
data_path = sys.argv[2] if len(sys.argv) > 2 else ROOT / "examples/data/enterprises.json"
as_of = sys.argv[3] if len(sys.argv) > 3 else "2023-12-31"

with open(data_path, encoding="utf-8") as f:
    frame = pd.DataFrame(json.load(f)).set_index("_id")
rb = Rulebook.load(rulebook_path)
# keep the columns that are inputs; the index (the "_id"s) names the records
inputs = [i.name for i in rb.inputs]
frame = frame[[c for c in frame.columns if c in inputs]]

out = rb.evaluate_frame(frame, as_of=as_of)
print(f"{len(out)} records as of {as_of}")
for rule in rb.rules:
    counts = out[rule.id].value_counts()
    print(f"{rule.id:28} " + ", ".join(f"{v} {n}" for v, n in counts.items() if n))
for sc in rb.scorecards:
    print(f"{sc.id}: " + ", ".join(f"{c} {n}" for c, n in
                                   out[f"{sc.id}.class"].value_counts(sort=False).items()))
    print(out[[f"{sc.id}.class", f"{sc.id}.score"]].head().to_string())

# For throughput: scores as float64 (no exact decimal per record: the
# binary score where its error bound is within 2^-44 of it) and the rows
# evaluated on the library's threads (default: the CPUs), with the same
# results for any number of threads.
fast = rb.evaluate_frame(frame, as_of=as_of, scores="float", threads=2)
kept = [c for c in out.columns if not c.endswith(".score")]
same = fast[kept].astype(object).equals(out[kept].astype(object))
print(f"scores as float64 on 2 threads: verdicts and classes {'the same' if same else 'DIFFER'}")
