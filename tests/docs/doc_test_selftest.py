#!/usr/bin/env python3
"""Self-test of doc_test.py: it must fail on what it exists to catch.

Runs doc_test.py on small Markdown files in a temp directory, with the real mpcheck binary, and
checks its exit status and the lines it prints: a passing example, a renamed flag, a wrong
exit-code claim, a skip marker with and without a reason, a bare fence showing commands,
continuation lines, pipes, env prefixes and a heredoc.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

CASES = [
    # (name, markdown, expected exit status, lines the output must contain)
    ("passing examples", """# ok
```sh
mpcheck rules --format json | grep -c MPJ001 >/dev/null
./scripts/run.sh lint path/to/config.json
build/cli/mpcheck lint \\
    --strict config.json
NO_COLOR=1 mpcheck lint --kind config - < config.json
mpcheck lint --no-such-flag config.json   # exits 2
cat > broken.json <<'EOF'
{"descriptor": # exits 5 (a heredoc's body is data)
EOF
mpcheck lint broken.json   # exits 1
```
```json
{"not": "run"}
```
""", 0, ["ok    t.md:3: mpcheck rules --format json", "placeholders: path/to/config.json",
         "ok    t.md:9: cat > broken.json", "7 commands passed, 0 failed"]),
    ("a flag that no longer exists", """```sh
mpcheck lint --no-such-flag config.json
```
""", 1, ["FAIL  t.md:2: mpcheck lint --no-such-flag config.json", "exit 2, expected 0",
         "      | "]),
    ("a wrong exit-code claim", """```sh
mpcheck lint config.json   # exits 1
```
""", 1, ["FAIL  t.md:2:", "exit 0, expected 1"]),
    ("an undeclared path", """```sh
mpcheck lint path/to/other.json
```
""", 1, ["FAIL  t.md:2:"]),
    ("a skip marker with a reason", """<!-- doc-test: skip (needs production) -->
```sh
mpcheck lint --no-such-flag config.json
```
""", 0, ["SKIP  t.md:2: block not run (needs production)", "1 blocks skipped by marker"]),
    ("a skip marker without a reason", """<!-- doc-test: skip -->
```sh
mpcheck rules
```
""", 1, ["ERROR t.md:1: doc-test skip marker without a reason"]),
    ("a marker with no block after it", """<!-- doc-test: skip (why) -->
Some prose.
""", 1, ["ERROR t.md:1: doc-test marker not followed by a block"]),
    ("shown invocations checked against --help", """Run `mpcheck lint --strict --format json`
or `mpcheck validate --ref v1`, never `mpcheck lint --no-such-flag`.

```text
mpcheck rules [--format text|yaml]
mpcheck validate [--jobs N]
                 [--gone]
```
```yaml
- run: mpcheck lint --report-dir out configs/*.json
- run: mpcheck lintt config.json
```
""", 1, ["ok    t.md:1: shown, not run: mpcheck lint --strict --format json",
         "ok    t.md:2: shown, not run: mpcheck validate --ref v1",
         "FAIL  t.md:2: shown, not run: mpcheck lint --no-such-flag",
         "mpcheck lint has no option --no-such-flag",
         "--format does not accept 'yaml'",
         "FAIL  t.md:6: shown, not run: mpcheck validate [--jobs N] [--gone]",
         "mpcheck validate has no option --gone",
         "ok    t.md:10: shown, not run: mpcheck lint --report-dir out configs/*.json",
         "no subcommand 'lintt'", "0 commands passed, 4 failed"]),
    ("a bare fence showing commands", """```
mpcheck lint config.json
```
""", 1, ["ERROR t.md:1: a fence without a language shows commands"]),
]


def main():
    mpcheck, push_tool, source_dir = sys.argv[1:4]
    failures = 0
    with tempfile.TemporaryDirectory(prefix="mpcheck-doctest-self-") as tmp:
        for name, markdown, status, wanted in CASES:
            (Path(tmp) / "t.md").write_text(markdown)
            r = subprocess.run([sys.executable, str(HERE / "doc_test.py"), "--mpcheck", mpcheck,
                                "--push-tool", push_tool, "--source-dir", source_dir,
                                "--docs-dir", tmp, "t.md"], capture_output=True, text=True)
            out = r.stdout + r.stderr
            problems = []
            if r.returncode != status:
                problems.append(f"exit {r.returncode}, expected {status}")
            problems += [f"missing line: {w!r}" for w in wanted if w not in out]
            print(f"{'ok  ' if not problems else 'FAIL'}  {name}")
            if problems:
                failures += 1
                for p in problems:
                    print(f"      {p}")
                print("      output:\n" + "\n".join("      | " + l for l in out.splitlines()))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
