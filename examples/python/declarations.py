#!/usr/bin/env python3
"""List what a rulebook declares with the Python binding: the documents it
cites, and for each rule its title, where it is written and what it uses.

    python3 examples/python/declarations.py [RULEBOOK [zh|en]]

Default: the Lin'an enterprise rulebook, in Chinese. Run from the source
tree with the library built (or the package installed), or set
RULEBOOK_LIBRARY.
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bindings" / "python"))  # not needed once installed

from rulebook import Rulebook, RulebookError  # noqa: E402

path = sys.argv[1] if len(sys.argv) > 1 else ROOT / "rules/linan/enterprise.yaml"
lang = sys.argv[2] if len(sys.argv) > 2 else "zh"

try:
    rb = Rulebook.load(path)
except RulebookError as e:
    for d in e.diagnostics:
        print(d, file=sys.stderr)
    sys.exit(1)

with rb:
    print(f"{rb.id}: {rb.title_in(lang)}")
    for doc in rb.documents:
        issued = doc.issued.isoformat() if doc.issued else "date unknown"
        print(f"  [{doc.index}] {doc.issuer} {doc.title} {doc.number or ''} ({issued})")
    if rb.id_columns:
        print("record ids in the column", " or ".join(rb.id_columns))
    for i in rb.inputs:
        other = rb.input_aliases(i.name)
        label = rb.input_label(i.name, lang)
        print(f"  input {i.name}" + (f" ({label})" if label else "") +
              (f", also read from {', '.join(other)}" if other else ""))
    for item in rb.items("rule"):
        title = rb.rule_title(item.id, lang) or ""
        print(f"{item.location}: {item.id} {title} [document {item.document}]"
              f" uses {', '.join(item.uses)}")
