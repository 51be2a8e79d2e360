#!/usr/bin/env python3
"""The command-line tool is built on the public API only: every header a
file under cli/ includes is the public <rulebook.h>, a system or third-party
header, or one of cli/'s own -- never one of the library's internal headers
in lib/."""
import os
import re
import sys

root = os.path.abspath(sys.argv[1])
cli, lib = os.path.join(root, "cli"), os.path.join(root, "lib")
internal = {os.path.relpath(os.path.join(d, f), lib)
            for d, _, fs in os.walk(lib) for f in fs if f.endswith(".h")}
bad = []
checked = 0
for d, _, fs in os.walk(cli):
    for f in fs:
        if not f.endswith((".c", ".h")):
            continue
        path = os.path.join(d, f)
        for n, line in enumerate(open(path, encoding="utf-8"), 1):
            m = re.match(r'\s*#\s*include\s*([<"])([^>"]+)[>"]', line)
            if not m:
                continue
            checked += 1
            name = m.group(2)
            if m.group(1) == '"':
                target = os.path.normpath(os.path.join(d, name))
                if not target.startswith(cli + os.sep) or not os.path.exists(target):
                    bad.append(f"{path}:{n}: includes \"{name}\", not a header of cli/")
            elif name in internal or os.path.basename(name) in internal:
                bad.append(f"{path}:{n}: includes <{name}>, an internal header of lib/")
for b in bad:
    print(b)
print(f"{checked} includes checked")
sys.exit(1 if bad or not checked else 0)
