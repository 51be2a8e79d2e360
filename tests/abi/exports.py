#!/usr/bin/env python3
"""The shared library must export exactly the functions declared in the
public header: nothing from libyaml, nothing internal."""
import re
import subprocess
import sys

header, library = sys.argv[1], sys.argv[2]
text = open(header, encoding="utf-8").read()
declared = set(re.findall(r"RULEBOOK_API\s+[^;{]*?\b(rulebook_\w+)\s*\(", text, re.S))
out = subprocess.run(["nm", "-D", "--defined-only", library], check=True,
                     capture_output=True, text=True).stdout
exported = set()
for line in out.splitlines():
    parts = line.split()
    if len(parts) >= 3 and parts[1] in ("T", "W", "D", "B", "R"):
        exported.add(parts[2].split("@")[0])
missing = sorted(declared - exported)
extra = sorted(exported - declared)
for name in missing:
    print(f"declared but not exported: {name}")
for name in extra:
    print(f"exported but not declared: {name}")
print(f"{len(declared)} declared, {len(exported)} exported")
sys.exit(1 if missing or extra else 0)
