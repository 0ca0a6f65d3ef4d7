#!/usr/bin/env python3
"""link_check.py fails on what it exists to catch: a missing file, a missing #anchor (in
another file or the same one); and it passes links that resolve, URLs and links shown in code.

usage: link_check_selftest.py
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

README = """# Project

See [usage](docs/usage.md#exit-codes), [the site](https://example.org/x.md) and
[formats](docs/output-formats.md).

```sh
cat [not a link](nowhere.md)
```

Inline `[code](gone.md)` is text.
"""

USAGE = """# Using it

## Exit codes

## `mpcheck lint` and --strict

[lint](#mpcheck-lint-and---strict), [bad](#no-such-heading), [up](../README.md#project),
[elsewhere](../README.md#missing).
"""


def main():
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, "docs"))
        with open(os.path.join(root, "README.md"), "w", encoding="utf-8") as f:
            f.write(README)
        with open(os.path.join(root, "docs", "usage.md"), "w", encoding="utf-8") as f:
            f.write(USAGE)
        r = subprocess.run([sys.executable, os.path.join(HERE, "link_check.py"), root],
                           capture_output=True, text=True)
        expected = [
            "README.md:4: docs/output-formats.md: no such file",
            "docs/usage.md:7: #no-such-heading: no heading with anchor #no-such-heading",
            "docs/usage.md:8: ../README.md#missing: no heading with anchor #missing",
        ]
        got = [l for l in r.stdout.splitlines() if ": " in l and not l.endswith("broken")]
        ok = r.returncode == 1 and got == expected
        print(r.stdout, end="")
        if not ok:
            print(f"FAIL: exit {r.returncode}, expected 1 and exactly:\n  " + "\n  ".join(expected))
            return 1
        print("selftest passed")
        return 0


if __name__ == "__main__":
    sys.exit(main())
