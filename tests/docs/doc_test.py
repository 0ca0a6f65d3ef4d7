#!/usr/bin/env python3
"""Runs the shell examples of mpcheck's documentation: documented means tested.

Every fenced ```sh block of the given Markdown files is split into command lines (continuation
lines, pipes, loops and heredocs are joined until bash sees a complete command), and each
command is run with bash in a fresh scratch directory, with the mpcheck binary under test first
on PATH. Only what the tables below declare is changed in a command: COMMAND_MAP (how the docs
spell the binary), PLACEHOLDERS (text the docs use for something the reader supplies),
SCRATCH_FILES and SCRATCH_REPORT_DIRS (what the docs assume in the current directory) and
ENVIRONMENT. An undeclared
path fails, as it would for a user.

Invocations that are shown but not run (inline `mpcheck ...` code in prose, synopses, CI
recipes in yaml blocks) are checked against `mpcheck ... --help`: the subcommands and flags
must exist, and values written as `a|b|c` or a lowercase word must be among a flag's choices.

Each command must exit 0, or N when it carries a trailing comment `# exits N`; it runs under
`bash -o pipefail`, so an mpcheck failing in front of a pipe is not hidden. A block right
after `<!-- doc-test: skip (reason) -->` is not run; the reason is printed with the block's
file:line, and a marker without a reason is an error. A fence without a language whose lines
look like commands is an error too: it would silently escape this test.

Exit status: 0 all passed; 1 a command failed or a marker is malformed; 77 (CTest's skip code)
when a prerequisite (docker-registry) is missing and CI is not set. With CI set, a missing
prerequisite fails.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

SKIP_CODE = 77
COMMAND_TIMEOUT_S = 180
OUTPUT_SHOWN_ON_FAILURE = 6000  # characters of a failing command's output printed

# How the docs spell the binary under test. Each is rewritten to `mpcheck` (first on PATH).
# `./scripts/run.sh` with no arguments installs, builds and certifies: it is not mapped, so a
# block showing it needs a skip marker.
COMMAND_MAP = [
    (re.compile(r"(?<![\w./-])\./scripts/run\.sh(?=[ \t]+[^\s#])"), "mpcheck"),
    (re.compile(r"(?<![\w./-])(?:\./)?build/cli/mpcheck(?![\w.-])"), "mpcheck"),
]

# Text the docs use for something the reader supplies -> the value used here. Values are
# functions of the Environment below (fixtures and the loopback registry are made on first use).
PLACEHOLDERS = {
    # Files and layouts: from `mpcheck fixtures generate` and the spec examples.
    "path/to/config.json": lambda env: env.example("config.json"),
    "path/to/manifest.json": lambda env: env.example("manifest.json"),
    "path/to/oci-layout-dir": lambda env: env.fixture("llm-safetensors-sharded"),
    "model.tar": lambda env: env.fixture_archive(),
    "layout/": lambda env: env.fixture("llm-safetensors-sharded") + "/",
    "/tmp/corpus": lambda env: str(env.scratch / "corpus"),
    # Registries: the loopback docker-registry (plain http, see ENVIRONMENT's MPCHECK_TLS).
    "127.0.0.1:5000": lambda env: env.registry(),
    "localhost:5000": lambda env: env.registry(),
    "registry.example.com": lambda env: env.registry(),
    # References a reader already has in their registry: fixtures pushed there first.
    "models/llama:v1": lambda env: env.pushed("models/llama", "v1", "llm-safetensors-sharded"),
    "models/llm:v1": lambda env: env.pushed("models/llm", "v1", "llm-safetensors-sharded"),
    "models/gguf@sha256:4f1c...": lambda env: env.pushed_by_digest("models/gguf", "gguf-single-file"),
    "conformance.yaml": lambda env: env.conformance_yaml(),
}

# Files the docs assume in the current directory (a reader's own configs and earlier reports):
# copies of repository files, and report directories of `mpcheck lint --report-dir DIR
# config.json` (for the shard-*/results.json of the merge examples).
SCRATCH_FILES = {
    "config.json": "fixtures/examples/config.json",
    "manifest.json": "fixtures/examples/manifest.json",
    "configs/a.json": "fixtures/examples/config.json",
    "configs/b.json": "fixtures/examples/config.json",
}
SCRATCH_REPORT_DIRS = ["shard-1", "shard-2"]

# Environment of every command, on top of PATH (the build's mpcheck first) and a scratch HOME.
ENVIRONMENT = {
    "NO_COLOR": "1",
    # The examples' registries speak https; the loopback one speaks http. Flags still win.
    "MPCHECK_TLS": "disabled",
    # Secrets the examples read from the reader's environment.
    "PASSWORD": "doc-test-password",
    "REGISTRY_TOKEN": "doc-test-token",
}

FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w+-]*)[^\n]*$")
MARKER = re.compile(r"<!--\s*doc-test:(.*?)-->")
SKIP_MARKER = re.compile(r"^\s*skip\s*(?:\((.*)\))?\s*$")
EXPECT = re.compile(r"#\s*exits\s+(\d+)\b")
LOOKS_LIKE_COMMAND = re.compile(
    r"^\s*(?:\$\s+)?(?:mpcheck\s|\./scripts/|scripts/|bench/|(?:\./)?build/cli/mpcheck)")
HEREDOC = re.compile(r"<<-?\s*(['\"]?)([A-Za-z_][\w]*)\1")
INLINE_CODE = re.compile(r"(?<!`)`([^`]+)`(?!`)")
SHOWN_MPCHECK = re.compile(r"(?:^|(?<=[\s'\"(:]))mpcheck(?=\s+-{0,2}[a-z])")
CHOICES = re.compile(r"\{([^}]*)\}")


class Prerequisite(Exception):
    """A tool the test needs is missing."""


class Block:
    def __init__(self, path, line, lang, lines, skip_reason):
        self.path, self.line, self.lang, self.lines, self.skip_reason = (
            path, line, lang, lines, skip_reason)


def parse_markdown(path, display):
    """Returns (blocks, errors): every fenced block with its marker, and malformed markers."""
    blocks, errors = [], []
    text = path.read_text(encoding="utf-8").splitlines()
    pending = None  # (line number, reason or None) of a marker waiting for its block
    i = 0
    while i < len(text):
        line = text[i]
        m = FENCE.match(line)
        if m:
            indent, fence, lang = m.group(1), m.group(2), m.group(3)
            start = i + 1
            body = []
            i += 1
            while i < len(text) and not (text[i].strip().startswith(fence[0] * len(fence))
                                         and text[i].strip().strip(fence[0]) == ""):
                body.append(text[i][len(indent):] if text[i].startswith(indent) else text[i])
                i += 1
            reason = None
            if pending is not None:
                reason = pending[1]
                pending = None
            blocks.append(Block(display, start, lang, body, reason))
            if not lang and any(LOOKS_LIKE_COMMAND.match(b) for b in body):
                errors.append(f"{display}:{start}: a fence without a language shows commands: "
                              "fence it as ```sh (run here) or ```text (a synopsis or output)")
            i += 1
            continue
        mm = MARKER.search(line)
        if mm:
            if pending is not None:
                errors.append(f"{display}:{pending[0]}: doc-test marker not followed by a block")
            sm = SKIP_MARKER.match(mm.group(1))
            if not sm:
                errors.append(f"{display}:{i + 1}: unknown doc-test marker {mm.group(0)!r}; "
                              "the only one is <!-- doc-test: skip (reason) -->")
            elif not (sm.group(1) or "").strip():
                errors.append(f"{display}:{i + 1}: doc-test skip marker without a reason; "
                              "write <!-- doc-test: skip (why) -->")
            else:
                pending = (i + 1, sm.group(1).strip())
        elif pending is not None and line.strip():
            errors.append(f"{display}:{pending[0]}: doc-test marker not followed by a block")
            pending = None
        i += 1
    if pending is not None:
        errors.append(f"{display}:{pending[0]}: doc-test marker not followed by a block")
    return blocks, errors


def strip_comment(line):
    """Returns (code, comment) of one shell line: the comment starts at an unquoted `#` that
    begins a word."""
    quote = None
    prev = " "
    i = 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\" and quote == '"':
                i += 2
                prev = "x"
                continue
            if c == quote:
                quote = None
        elif c == "\\":
            i += 2
            prev = "x"
            continue
        elif c in "'\"":
            quote = c
        elif c == "#" and prev in " \t;|&(":
            return line[:i], line[i:]
        prev = c
        i += 1
    return line, ""


def is_complete(script):
    """True when bash would parse `script` as complete commands."""
    if script.rstrip().endswith("\\"):
        return False
    r = subprocess.run(["bash", "-n"], input=script, capture_output=True, text=True)
    if r.returncode != 0:
        return "unexpected end of file" not in r.stderr
    return "here-document" not in r.stderr


def split_commands(block):
    """Yields (line number, command text, expected exit code) for each command of a block."""
    unit, code, start, heredoc_end = [], [], None, None
    for offset, raw in enumerate(block.lines):
        number = block.line + 1 + offset
        if heredoc_end is None and not unit and (not raw.strip() or raw.lstrip().startswith("#")):
            continue
        if not unit:
            start = number
        unit.append(raw)
        if heredoc_end is not None:  # a heredoc's body is data: no comments, no expectations
            if raw.strip() == heredoc_end:
                heredoc_end = None
            else:
                continue
        else:
            code.append(raw)
            h = HEREDOC.search(strip_comment(raw)[0])
            if h:
                heredoc_end = h.group(2)
                continue
        script = "\n".join(unit) + "\n"
        if is_complete(script):
            yield start, script, expected_exit(code)
            unit, code = [], []
    if unit:
        yield start, "\n".join(unit) + "\n", expected_exit(code)


def expected_exit(code_lines):
    """0, or N from a `# exits N` comment on one of the command's lines."""
    expected = 0
    for text in code_lines:
        m = EXPECT.search(strip_comment(text)[1])
        if m:
            expected = int(m.group(1))
    return expected


class Environment:
    """The scratch world the examples run in: fixtures, a loopback registry, pushed refs."""

    def __init__(self, args):
        self.args = args
        self.root = Path(tempfile.mkdtemp(prefix="mpcheck-doctest-"))
        self.scratch = None
        self._corpus = None
        self._registry = None
        self._registry_proc = None
        self._pushed = {}
        self.missing = []
        bindir = self.root / "bin"
        bindir.mkdir()
        # Only the binary under test (and what it runs, mpcheck-full) is added to PATH.
        for name in ("mpcheck", "mpcheck-full"):
            src = Path(args.mpcheck).parent / name
            if src.exists():
                (bindir / name).symlink_to(src)
        self.env = dict(os.environ)
        self.env.update(ENVIRONMENT)
        self.env["PATH"] = f"{bindir}:{self.env.get('PATH', '/usr/bin:/bin')}"
        self.env.pop("DOCKER_CONFIG", None)
        for key in list(self.env):
            if key.startswith("MPCHECK_") and key not in ENVIRONMENT:
                del self.env[key]
        self.helps = HelpIndex(args.mpcheck, self.env)

    # --- scratch directories -------------------------------------------------------------

    def new_scratch(self, name):
        self.scratch = self.root / name
        self.scratch.mkdir(parents=True)
        home = self.scratch / ".home"
        home.mkdir()
        self.env["HOME"] = str(home)
        for target, source in SCRATCH_FILES.items():
            (self.scratch / target).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(Path(self.args.source_dir) / source, self.scratch / target)
        for report_dir in SCRATCH_REPORT_DIRS:
            r = subprocess.run([self.args.mpcheck, "lint", "--report-dir", report_dir, "config.json"],
                               cwd=self.scratch, env=self.env, capture_output=True, text=True)
            if r.returncode != 0:
                raise RuntimeError(f"setting up {report_dir}/ failed: {r.stdout}{r.stderr}")
        return self.scratch

    def example(self, name):
        return str(Path(self.args.source_dir) / "fixtures" / "examples" / name)

    # --- fixtures --------------------------------------------------------------------------

    def corpus(self):
        if self._corpus is None:
            out = self.root / "corpus"
            r = subprocess.run([self.args.mpcheck, "fixtures", "generate", "--out", str(out)],
                               env=self.env, capture_output=True, text=True)
            if r.returncode != 0:
                raise RuntimeError(f"mpcheck fixtures generate failed: {r.stdout}{r.stderr}")
            self._corpus = out
        return self._corpus

    def fixture(self, name):
        path = self.corpus() / name
        if not (path / "index.json").exists():
            raise RuntimeError(f"fixture {name} was not generated")
        return str(path)

    def fixture_archive(self):
        index = json.loads((self.corpus() / "index.json").read_text())
        for f in index.get("fixtures", []):
            if f.get("expect") == "valid" and f.get("archive"):
                return str(self.corpus() / f["archive"])
        archives = sorted(self.corpus().glob("*.tar"))
        if not archives:
            raise RuntimeError("the corpus has no archive fixture")
        return str(archives[0])

    # --- the loopback registry -------------------------------------------------------------

    def registry(self):
        if self._registry is not None:
            return self._registry
        binary = self.args.registry_binary
        if not os.access(binary, os.X_OK):
            self.missing.append(binary)
            raise Prerequisite(f"{binary} is not installed (Debian package docker-registry)")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        d = self.root / "registry"
        d.mkdir()
        (d / "config.yml").write_text(
            "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n"
            f"storage:\n  filesystem:\n    rootdirectory: {d / 'data'}\n"
            "  delete:\n    enabled: true\n"
            f"http:\n  addr: 127.0.0.1:{port}\n")
        log = open(d / "registry.log", "w")
        self._registry_proc = subprocess.Popen([binary, "serve", str(d / "config.yml")],
                                               stdout=log, stderr=subprocess.STDOUT,
                                               start_new_session=True)
        host = f"127.0.0.1:{port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://{host}/v2/", timeout=1).close()
                self._registry = host
                return host
            except urllib.error.HTTPError:
                self._registry = host
                return host
            except OSError:
                if self._registry_proc.poll() is not None:
                    break
                time.sleep(0.05)
        raise RuntimeError(f"docker-registry did not start: {(d / 'registry.log').read_text()}")

    def stop(self):
        if self._registry_proc is not None and self._registry_proc.poll() is None:
            self._registry_proc.send_signal(signal.SIGTERM)
            try:
                self._registry_proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._registry_proc.kill()
                self._registry_proc.wait()
        shutil.rmtree(self.root, ignore_errors=True)

    def _push(self, repo, tag, fixture):
        key = (repo, tag)
        if key not in self._pushed:
            if not os.access(self.args.push_tool, os.X_OK):
                raise RuntimeError(f"push tool not built: {self.args.push_tool}")
            host = self.registry()
            layout = self.fixture(fixture)
            r = subprocess.run([self.args.push_tool, "push", layout, host, f"{repo}:{tag}"],
                               env=self.env, capture_output=True, text=True)
            if r.returncode != 0:
                raise RuntimeError(f"pushing {fixture} to {host}/{repo}:{tag}: {r.stdout}{r.stderr}")
            index = json.loads((Path(layout) / "index.json").read_text())
            self._pushed[key] = index["manifests"][0]["digest"]
        return self._pushed[key]

    def pushed(self, repo, tag, fixture):
        self._push(repo, tag, fixture)
        return f"{repo}:{tag}"

    def pushed_by_digest(self, repo, fixture):
        return f"{repo}@{self._push(repo, 'v1', fixture)}"

    def conformance_yaml(self):
        path = self.root / "conformance.yaml"
        if not path.exists():
            path.write_text(f"registry: {self.registry()}\nrepo: team/mpcheck-conformance\n"
                            "tls: disabled\nprofile: quick\nreport-dir: conformance-report\n")
        return str(path)


def shown_invocations(path, display, blocks):
    """Yields (file:line, invocation) for every `mpcheck ...` that is shown but not run: inline
    code in prose and lines of blocks other than sh (continuation lines of a synopsis joined)."""
    text = path.read_text(encoding="utf-8").splitlines()
    in_block = set()
    for b in blocks:
        in_block.update(range(b.line - 1, b.line + len(b.lines) + 1))
    # Prose: inline code, which may wrap over lines but not over a blank line or a block.
    prose = "\n".join("" if i in in_block else l for i, l in enumerate(text))
    for m in INLINE_CODE.finditer(prose):
        span = m.group(1)
        if "\n\n" in span:
            continue
        code = " ".join(span.split())
        for pattern, replacement in COMMAND_MAP:
            code = pattern.sub(replacement, code)
        if code.startswith("mpcheck "):
            yield f"{display}:{prose.count(chr(10), 0, m.start()) + 1}", code
    for b in blocks:
        if b.lang in ("sh", "json", "xml", "html"):  # run, or data that merely names mpcheck
            continue
        current = None
        for offset, line in enumerate(b.lines + [""]):
            if current and line[:1].isspace() and line.strip().startswith(("[", "--")):
                current[1] += " " + line.strip()
                continue
            if current:
                yield current
                current = None
            for pattern, replacement in COMMAND_MAP:
                line = pattern.sub(replacement, line)
            m = SHOWN_MPCHECK.search(line)
            if m:
                current = [f"{display}:{b.line + 1 + offset}", line[m.start():].strip()]


class HelpIndex:
    """What `mpcheck [SUBCOMMAND...] --help` says exists: subcommands, options, their choices."""

    def __init__(self, mpcheck, env):
        self.mpcheck, self.env, self.cache = mpcheck, env, {}

    def get(self, chain):
        if chain not in self.cache:
            r = subprocess.run([self.mpcheck, *chain, "--help"], env=self.env,
                               capture_output=True, text=True)
            options, subcommands, section = {}, set(), None
            for line in r.stdout.splitlines():
                if re.match(r"^[A-Z][A-Za-z ]*:\s*$", line):
                    section = line.strip().rstrip(":").lower()
                    continue
                m = re.match(r"^  (\S+)(.*)$", line)
                if not m:
                    continue
                if section == "options" and m.group(1).startswith("-"):
                    choices = CHOICES.search(m.group(2))
                    allowed = set(choices.group(1).split(",")) if choices else None
                    for name in m.group(1).split(","):
                        options[name] = allowed
                elif section == "subcommands":
                    subcommands.add(m.group(1))
            self.cache[chain] = (r.returncode == 0, options, subcommands)
        return self.cache[chain]


def check_invocation(code, helps):
    """Problems with the subcommands and flags of one shown `mpcheck ...` invocation."""
    tokens = []
    for t in code.split()[1:]:
        if t in ("|", "||", "&&", ";", ">", ">>", "<", "2>&1") or t.startswith("#"):
            break
        tokens.append(t.strip("'\""))
    chain = ()
    ok, options, subcommands = helps.get(chain)
    while tokens and tokens[0] in subcommands:
        chain += (tokens.pop(0),)
        ok, options, subcommands = helps.get(chain)
    if not ok:
        return [f"`mpcheck {' '.join(chain)} --help` failed"]
    if not chain and tokens and not tokens[0].startswith("-") and tokens[0].islower() \
            and re.fullmatch(r"[a-z][a-z-]*", tokens[0]):
        return [f"no subcommand {tokens[0]!r}"]
    problems = []
    for i, token in enumerate(tokens):
        flag = token.strip("[]")
        if not re.fullmatch(r"--?[A-Za-z][\w-]*(=.*)?", flag):
            continue
        name, _, value = flag.partition("=")
        if name not in options:
            where = " ".join(("mpcheck",) + chain)
            problems.append(f"{where} has no option {name}")
            continue
        if not value and i + 1 < len(tokens) and not tokens[i + 1].lstrip("[").startswith("-"):
            value = tokens[i + 1]
        value = value.strip("[]")
        allowed = options[name]
        if allowed and value and re.fullmatch(r"[a-z0-9.]+(\\?\|[a-z0-9.]+)*", value):
            for choice in re.split(r"\\?\|", value):
                if choice not in allowed:
                    problems.append(f"{name} does not accept {choice!r} "
                                    f"(choices: {', '.join(sorted(allowed))})")
    return problems


def substitute(command, env):
    """Applies COMMAND_MAP and PLACEHOLDERS; returns (command, [placeholders used])."""
    for pattern, replacement in COMMAND_MAP:
        command = pattern.sub(replacement, command)
    used = []
    for text in sorted(PLACEHOLDERS, key=len, reverse=True):
        pattern = re.compile(r"(?<![\w./@:-])" + re.escape(text) + r"(?![\w.@-])")
        if pattern.search(command):
            value = PLACEHOLDERS[text](env)
            command = pattern.sub(lambda _m: value, command)
            used.append(text)
    return command, used


def run_file(path, display, env, counters):
    blocks, errors = parse_markdown(path, display)
    for e in errors:
        print(f"ERROR {e}")
        counters["failed"] += 1
    for where, code in shown_invocations(path, display, blocks):
        problems = check_invocation(code, env.helps)
        print(f"{'ok  ' if not problems else 'FAIL'}  {where}: shown, not run: {code}")
        for problem in problems:
            print(f"      {problem}")
        counters["shown"] += 1
        if problems:
            counters["failed"] += 1
    for n, block in enumerate(blocks):
        if block.lang != "sh":
            if block.skip_reason is not None:
                print(f"ERROR {display}:{block.line}: doc-test marker on a ```{block.lang or ''} "
                      "block, which is never run")
                counters["failed"] += 1
            continue
        if block.skip_reason is not None:
            print(f"SKIP  {display}:{block.line}: block not run ({block.skip_reason})")
            counters["skipped"] += 1
            continue
        scratch = env.new_scratch(f"{Path(display).name}-{block.line}")
        for line, command, expected in split_commands(block):
            shown = command.strip()
            try:
                actual, used = substitute(command, env)
            except Prerequisite as p:
                print(f"SKIP  {display}:{line}: {shown}\n      prerequisite missing: {p}")
                counters["missing"] += 1
                continue
            except RuntimeError as r:
                print(f"FAIL  {display}:{line}: {shown}\n      setup failed: {r}")
                counters["failed"] += 1
                continue
            t0 = time.monotonic()
            try:
                r = subprocess.run(["bash", "-o", "pipefail", "-c", actual], cwd=scratch,
                                   env=env.env, stdin=subprocess.DEVNULL, capture_output=True,
                                   timeout=COMMAND_TIMEOUT_S)
                rc, out = r.returncode, (r.stdout + r.stderr).decode("utf-8", "replace")
            except subprocess.TimeoutExpired as t:
                rc = None
                out = ((t.stdout or b"") + (t.stderr or b"")).decode("utf-8", "replace")
            seconds = time.monotonic() - t0
            ok = rc == expected
            verdict = "ok  " if ok else "FAIL"
            got = "timed out" if rc is None else f"exit {rc}"
            print(f"{verdict}  {display}:{line}: {shown}\n      {got}, expected {expected}, "
                  f"{seconds:.1f} s" + (f"; placeholders: {', '.join(used)}" if used else ""))
            if ok:
                counters["passed"] += 1
            else:
                counters["failed"] += 1
                if actual.strip() != shown:
                    print(f"      ran: {actual.strip()}")
                if len(out) > OUTPUT_SHOWN_ON_FAILURE:
                    out = out[:OUTPUT_SHOWN_ON_FAILURE] + "\n[... output cut ...]"
                print("      output:\n" + "\n".join("      | " + l for l in out.splitlines()))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--mpcheck", required=True, help="the mpcheck binary under test")
    p.add_argument("--push-tool", required=True,
                   help="mpcheck-registry-bench, used to push fixtures the examples pull")
    p.add_argument("--registry-binary", default="/usr/bin/docker-registry")
    p.add_argument("--source-dir", required=True, help="the repository root")
    p.add_argument("--docs-dir", help="where the Markdown files are (default: --source-dir)")
    p.add_argument("files", nargs="+", help="Markdown files, relative to --docs-dir")
    args = p.parse_args()
    for name in ("mpcheck", "push_tool", "registry_binary", "source_dir", "docs_dir"):
        if getattr(args, name):
            setattr(args, name, os.path.abspath(getattr(args, name)))
    ci = bool(os.environ.get("CI"))
    if not os.access(args.mpcheck, os.X_OK):
        print(f"mpcheck binary not found: {args.mpcheck}")
        return 1

    env = Environment(args)
    counters = {"passed": 0, "failed": 0, "skipped": 0, "missing": 0, "shown": 0}
    try:
        for name in args.files:
            run_file(Path(args.docs_dir or args.source_dir) / name, name, env, counters)
    finally:
        env.stop()
    print(f"\n{counters['passed']} commands passed, {counters['failed']} failed, "
          f"{counters['shown']} shown invocations checked against --help, "
          f"{counters['skipped']} blocks skipped by marker, "
          f"{counters['missing']} commands skipped for a missing prerequisite")
    if counters["failed"]:
        return 1
    if counters["missing"]:
        if ci:
            print("CI is set: a missing prerequisite is a failure")
            return 1
        print("prerequisites missing (see SKIP lines): test skipped")
        return SKIP_CODE
    return 0


if __name__ == "__main__":
    sys.exit(main())
