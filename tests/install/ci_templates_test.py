#!/usr/bin/env python3
"""The GitHub Action (action.yml) and the GitLab CI template (ci/gitlab/mpcheck.yml) pass only
flags mpcheck has, and their run steps work.

    ci_templates_test.py MPCHECK SOURCE_DIR

For each command the templates can run (lint, validate, conformance), every input/variable is set,
the shared script (ci/mpcheck-ci.sh) prints the command line it would run (MPCHECK_DRY_RUN=1), and
each --flag on it must appear in `mpcheck COMMAND --help`. Then the Action's run steps and the
template's script run for real on the examples: exit code and report directory are checked.
"""
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

mpcheck, source = str(pathlib.Path(sys.argv[1]).resolve()), pathlib.Path(sys.argv[2]).resolve()
# The templates find mpcheck on PATH; with it there, their install step only prints the version.
PATH = f"{pathlib.Path(mpcheck).parent}:{os.environ['PATH']}"
assert shutil.which("mpcheck", path=PATH) == mpcheck, "mpcheck must come first on PATH"
script = source / "ci" / "mpcheck-ci.sh"
failures = []
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def help_flags(*cmd):
    out = subprocess.run([mpcheck, *cmd, "--help"], capture_output=True, text=True, check=True).stdout
    return set(FLAG.findall(out))


flags = {c: help_flags(c) for c in ("lint", "validate", "conformance")}
top = help_flags()
every_flag = top.union(*flags.values())
script_text = script.read_text()
# Values every setting takes in the dry runs (valid for mpcheck's choices).
SAMPLE = {
    "MPCHECK_TARGETS": "a.json b.json", "MPCHECK_SPEC": "main", "MPCHECK_STRICT": "true",
    "MPCHECK_KIND": "config", "MPCHECK_REGISTRY": "127.0.0.1:5000", "MPCHECK_REPOSITORY": "ci/test",
    "MPCHECK_PROFILE": "quick", "MPCHECK_TLS": "disabled", "MPCHECK_FORMAT": "json",
    "MPCHECK_REPORT_DIR": "rd", "MPCHECK_ARGS": "", "MPCHECK_DEB": "",
}


def dry_run(origin, env_names):
    """Every MPCHECK_* setting a template passes is read by the script; every flag exists."""
    for name in env_names:
        check(name in script_text, f"{origin}: sets {name}, which ci/mpcheck-ci.sh never reads")
    for cmd in flags:
        env = dict(os.environ, MPCHECK_DRY_RUN="1", MPCHECK_COMMAND=cmd)
        env.update({n: SAMPLE[n] for n in env_names if n in SAMPLE})
        r = subprocess.run(["bash", str(script), "run"], env=env, capture_output=True, text=True)
        check(r.returncode == 0, f"{origin}: dry run of {cmd} exited {r.returncode}: {r.stderr}")
        argv = r.stdout.split("\n")
        check(argv[0] == cmd, f"{origin}: dry run of {cmd} runs {argv[0]!r}")
        passed = [a for a in argv if a.startswith("--")]
        check(len(passed) >= 3, f"{origin}: {cmd} passes only {passed}")
        for f in passed:
            check(f in flags[cmd], f"{origin}: passes {f} to mpcheck {cmd}, which has no such flag")
        print(f"{origin}: mpcheck {' '.join(a for a in argv if a)}")


def literal_flags(origin, text):
    for f in FLAG.findall(text):
        check(f in every_flag or f == "--quiet" or f.startswith("--no-install"),
              f"{origin}: names {f}, which no mpcheck command has")


# --- the GitHub Action ---------------------------------------------------------------------------
action = yaml.safe_load((source / "action.yml").read_text())
check(action["runs"]["using"] == "composite", "action.yml is not a composite action")
inputs = action["inputs"]
text = (source / "action.yml").read_text()
used = set(re.findall(r"\binputs\.([\w-]+)", text))
check(used <= set(inputs), f"action.yml uses undeclared inputs {used - set(inputs)}")
check(set(inputs) <= used, f"action.yml declares unused inputs {set(inputs) - used}")
steps = action["runs"]["steps"]
run_step = next(s for s in steps if s.get("id") == "run")
dry_run("action.yml", [n for n in run_step["env"] if n.startswith("MPCHECK_")])
for s in steps:
    if "run" in s:
        literal_flags("action.yml", s["run"])
check(any(s.get("uses", "").startswith("actions/upload-artifact@") for s in steps),
      "action.yml uploads no report")


def render(value, values, outputs=None):
    value = re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: values[m.group(1)], str(value))
    return re.sub(r"\$\{\{\s*steps\.run\.outputs\.([\w-]+)\s*\}\}",
                  lambda m: (outputs or {}).get(m.group(1), ""), value)


def run_action(work, targets, strict):
    """The Action's shell steps as a runner runs them (mpcheck already on PATH)."""
    values = {k: str(v.get("default", "")) for k, v in inputs.items()}
    values.update(targets=targets, strict=strict, **{"report-dir": str(work / "report")})
    output_file = work / "github_output"
    output_file.write_text("")
    outputs, last = {}, None
    for s in steps:
        if "run" not in s:
            continue
        env = dict(os.environ, GITHUB_ACTION_PATH=str(source), GITHUB_OUTPUT=str(output_file),
                   PATH=PATH)
        env.update({k: render(v, values, outputs) for k, v in s.get("env", {}).items()})
        last = subprocess.run(["bash", "-e", "-c", render(s["run"], values, outputs)], env=env,
                              cwd=work, capture_output=True, text=True)
        for line in output_file.read_text().splitlines():
            k, _, v = line.partition("=")
            outputs[k] = v
    return outputs, last.returncode


examples = source / "fixtures" / "examples"
with tempfile.TemporaryDirectory() as d:
    work = pathlib.Path(d)
    outputs, rc = run_action(work, f"{examples}/config.json {examples}/manifest.json", "false")
    check(outputs.get("exit-code") == "0" and rc == 0,
          f"action.yml on the examples: exit-code {outputs.get('exit-code')}, verdict step {rc}")
    check((work / "report" / "junit.xml").is_file(), "action.yml wrote no report/junit.xml")
    broken = work / "broken.json"
    broken.write_text((examples / "config.json").read_text().replace('"modelfs"', '"modelFS"'))
    outputs, rc = run_action(work, str(broken), "false")
    check(outputs.get("exit-code") == "1" and rc == 1,
          f"action.yml on a broken config: exit-code {outputs.get('exit-code')}, verdict step {rc}")

# --- the GitLab CI template ----------------------------------------------------------------------
gitlab_text = (source / "ci" / "gitlab" / "mpcheck.yml").read_text()
job = yaml.safe_load(gitlab_text)[".mpcheck"]
variables = job["variables"]
dry_run("ci/gitlab/mpcheck.yml",
        [n for n in variables if n not in ("MPCHECK_GIT_URL", "MPCHECK_GIT_REF", "MPCHECK_SRC")])
for line in job["before_script"] + job["script"]:
    literal_flags("ci/gitlab/mpcheck.yml", line)
with tempfile.TemporaryDirectory() as d:
    work = pathlib.Path(d)
    env = dict(os.environ, **{k: str(v) for k, v in variables.items()})
    env.update(MPCHECK_SRC=str(source), MPCHECK_TARGETS=f"{examples}/config.json",
               PATH=PATH)
    rc = 0
    for line in job["script"]:
        rc = subprocess.run(["bash", "-e", "-c", line], env=env, cwd=work).returncode
    check(rc == 0, f"ci/gitlab/mpcheck.yml script on the example config exited {rc}")
    junit = job["artifacts"]["reports"]["junit"].replace("$MPCHECK_REPORT_DIR", variables["MPCHECK_REPORT_DIR"])
    check((work / junit).is_file(), f"ci/gitlab/mpcheck.yml: no {junit} where artifacts:reports expects it")

print("ci_templates_test:", "FAILED" if failures else "ok")
sys.exit(1 if failures else 0)
