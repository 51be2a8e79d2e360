#!/usr/bin/env python3
"""Turn a Markdown reference page (docs/format.md) into a man page.

    markdown-to-man.py INPUT.md OUTPUT NAME SECTION VERSION "SUMMARY"

Handles what the project's reference pages use: headings, paragraphs,
fenced code, bullet and numbered lists, tables, block quotes and inline
code, bold, italics and links. References to other pages of docs/ become
their installed names (see PAGES). Standard library only: meson runs it
when building, so the man page always says what the Markdown says.
"""
import re
import sys

# docs/ pages and what a reader of the installed man page has instead.
PAGES = {
    "docs/format.md": "rulebook-format(5)",
    "format.md": "rulebook-format(5)",
    "docs/cli.md": "rulebook(1)",
    "docs/rulebook.1": "rulebook(1)",
}


def escape(text):
    """Roff-escape plain text."""
    text = text.replace("\\", "\\e")
    return text


def inline(text):
    """Markdown inline markup to roff font changes."""
    out = []
    pos = 0
    for m in re.finditer(r"`([^`]+)`", text):
        out.append(_emphasis(text[pos:m.start()]))
        code = m.group(1)
        code = PAGES.get(code, code)
        out.append("\\fB" + escape(code).replace("-", "\\-") + "\\fR")
        pos = m.end()
    out.append(_emphasis(text[pos:]))
    return "".join(out)


def _emphasis(text):
    text = escape(text)
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)",
                  lambda m: m.group(1) + (" (" + PAGES.get(m.group(2), m.group(2)) + ")"
                                          if m.group(2) != m.group(1) else ""), text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"\\fB\1\\fR", text)
    text = re.sub(r"(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])", r"\\fI\1\\fR", text)
    return text


def line_out(text):
    """A line of roff text: one starting with . or ' would be a request."""
    if text.startswith((".", "'")):
        return "\\&" + text
    return text


def cells(row):
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|"):
        row = row[:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", row)]


def convert(md, name, section, version, summary):
    lines = md.splitlines()
    out = [
        f'.TH {name.upper()} {section} "" "rulebook {version}" "rulebook"',
        ".SH NAME",
        f"{name} \\- {escape(summary)}",
    ]
    i = 0
    para_open = False

    def new_para():
        nonlocal para_open
        if not para_open:
            out.append(".PP")
            para_open = True

    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            i += 1
            out.append(".PP")
            out.append(".RS 4")
            out.append(".nf")
            while i < len(lines) and not lines[i].startswith("```"):
                out.append(line_out(escape(lines[i])))
                i += 1
            out.append(".fi")
            out.append(".RE")
            para_open = False
            i += 1
            continue
        m = re.match(r"(#{1,3}) (.*)", line)
        if m:
            level, title = len(m.group(1)), m.group(2).strip()
            if level == 1:
                out.append(".SH DESCRIPTION")
                out.append(".PP")
                out.append(inline(title) + ".")
            elif level == 2:
                out.append(".SH " + inline(title).upper() if title.isascii()
                           else ".SH " + inline(title))
            else:
                out.append(".SS " + inline(title))
            para_open = False
            i += 1
            continue
        if line.startswith("|"):
            header = cells(line)
            i += 1
            if i < len(lines) and re.match(r"^\|?\s*:?-", lines[i]):
                i += 1
            while i < len(lines) and lines[i].startswith("|"):
                row = cells(lines[i])
                out.append(".TP")
                out.append(line_out(inline(row[0])) if row[0] else "\\&")
                rest = []
                for h, c in zip(header[1:], row[1:]):
                    if c:
                        rest.append((inline(h) + ": " if h else "") + inline(c))
                out.append("\n.br\n".join(line_out(r) for r in rest) if rest else "\\&")
                i += 1
            para_open = False
            continue
        m = re.match(r"(\s*)([-*]|\d+\.) (.*)", line)
        if m and not m.group(1):
            mark = "\\(bu" if m.group(2) in "-*" else m.group(2)
            out.append(f".IP {mark} 4")
            out.append(line_out(inline(m.group(3))))
            i += 1
            while i < len(lines) and lines[i].startswith("  ") and lines[i].strip():
                out.append(line_out(inline(lines[i].strip())))
                i += 1
            para_open = False
            continue
        if line.startswith(">"):
            out.append(".RS 4")
            while i < len(lines) and lines[i].startswith(">"):
                out.append(line_out(inline(lines[i].lstrip(">").strip())))
                i += 1
            out.append(".RE")
            para_open = False
            continue
        if not line.strip():
            para_open = False
            i += 1
            continue
        new_para()
        out.append(line_out(inline(line.strip())))
        i += 1
    out.append(".SH SEE ALSO")
    out.append(".BR rulebook (1)")
    return "\n".join(out) + "\n"


def main():
    src, dst, name, section, version, summary = sys.argv[1:7]
    with open(src, encoding="utf-8") as f:
        md = f.read()
    with open(dst, "w", encoding="utf-8") as f:
        f.write(convert(md, name, section, version, summary))


if __name__ == "__main__":
    main()
