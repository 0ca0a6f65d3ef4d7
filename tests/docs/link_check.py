#!/usr/bin/env python3
"""Every relative link in README.md and docs/*.md resolves.

usage: link_check.py SOURCE_DIR

A link [text](target) or [text]: target that is not a URL (http:, https:, mailto:) must name a
file or directory that exists, relative to the Markdown file; a #fragment on a Markdown target
(or a bare #fragment) must match a heading's GitHub-style anchor in that file. Links inside code
(fenced blocks, `inline code`) are text, not links. Prints each broken link as FILE:LINE: and
exits 1 when there is one.
"""
import os
import re
import sys
import unicodedata

INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
HTML_ANCHOR = re.compile(r"<a\s+(?:name|id)=\"([^\"]+)\"")
EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def strip_code_spans(line):
    return re.sub(r"(`+)(.+?)\1", "", line)


def slug(heading):
    """GitHub's heading anchor: markup dropped, lower case, punctuation removed, spaces to -."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # links keep their text
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML
    text = text.replace("`", "").replace("*", "")
    text = re.sub(r"(?<!\w)_+|_+(?!\w)", "", text)  # emphasis underscores, not snake_case
    text = text.strip().lower()
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in "-_" or ch.isalnum() or cat.startswith("M"):
            out.append(ch)
        elif ch == " ":
            out.append("-")
    return "".join(out)


def lines_outside_fences(text):
    """(line number, line) of the lines that are not inside a fenced code block."""
    fence = None
    for number, line in enumerate(text.splitlines(), 1):
        m = re.match(r"^\s{0,3}(`{3,}|~{3,})", line)
        if m:
            marker = m.group(1)
            if fence is None:
                fence = marker
                continue
            if marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
                continue
        if fence is None:
            yield number, line


_anchor_cache = {}


def anchors(path):
    if path not in _anchor_cache:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        seen = {}
        found = set()
        for _, line in lines_outside_fences(text):
            for a in HTML_ANCHOR.findall(line):
                found.add(a)
            m = HEADING.match(line)
            if not m:
                continue
            base = slug(m.group(2))
            n = seen.get(base, 0)
            seen[base] = n + 1
            found.add(base if n == 0 else f"{base}-{n}")
        _anchor_cache[path] = found
    return _anchor_cache[path]


def links(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for number, line in lines_outside_fences(text):
        plain = strip_code_spans(line)
        for m in INLINE_LINK.finditer(plain):
            yield number, m.group(1)
        m = REFERENCE_DEF.match(plain)
        if m:
            yield number, m.group(1)


def check_file(path, source_dir):
    problems = []
    rel = os.path.relpath(path, source_dir)
    for number, target in links(path):
        if EXTERNAL.match(target) or target.startswith("//"):
            continue
        target_path, _, fragment = target.partition("#")
        target_path = target_path.split("?")[0]
        if target_path:
            resolved = os.path.normpath(os.path.join(os.path.dirname(path), target_path))
            if not os.path.exists(resolved):
                problems.append(f"{rel}:{number}: {target}: no such file")
                continue
        else:
            resolved = path
        if fragment and resolved.endswith(".md") and os.path.isfile(resolved):
            if fragment not in anchors(resolved):
                problems.append(f"{rel}:{number}: {target}: no heading with anchor #{fragment}")
    return problems


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    source_dir = os.path.abspath(argv[1])
    files = [os.path.join(source_dir, "README.md")]
    docs = os.path.join(source_dir, "docs")
    files += sorted(os.path.join(docs, f) for f in os.listdir(docs) if f.endswith(".md"))
    problems = []
    count = 0
    for path in files:
        count += sum(1 for _ in links(path))
        problems += check_file(path, source_dir)
    for p in problems:
        print(p)
    print(f"{count} links in {len(files)} files, {len(problems)} broken")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
