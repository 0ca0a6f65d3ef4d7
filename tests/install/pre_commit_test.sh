#!/usr/bin/env bash
# The mpcheck-lint hook under the real pre-commit tool, in a scratch model repository holding a
# ModelPack config, a broken one and a Hugging Face config.json:
#   pre_commit_test.sh MPCHECK_BIN_DIR SOURCE_DIR
# pre-commit (pinned) is pip-installed once into a venv under ${XDG_CACHE_HOME:-~/.cache}/mpcheck.
# Without python3 venv/pip or the network to fetch it, the test skips locally and fails in CI.
set -euo pipefail
bin_dir=$(cd "$1" && pwd) source=$(cd "$2" && pwd)
version=3.5.0
venv=${XDG_CACHE_HOME:-$HOME/.cache}/mpcheck/pre-commit-$version
fail() { echo "pre_commit_test: FAIL: $*" >&2; exit 1; }
prerequisite() {
  if [ -n "${CI:-}" ] && [ "$CI" != false ] && [ "$CI" != 0 ]; then fail "prerequisite missing in CI: $*"; fi
  echo "pre_commit_test: prerequisite missing: $* (CI fails instead of skipping)"
  exit 77
}

if [ ! -x "$venv/bin/pre-commit" ]; then
  python=$(command -v /usr/bin/python3 || command -v python3) || prerequisite "python3"
  rm -rf "$venv"
  "$python" -m venv "$venv" >/dev/null 2>&1 || prerequisite "python3 -m venv (Debian python3-venv)"
  "$venv/bin/pip" install -q "pre-commit==$version" >/dev/null 2>&1 ||
    { rm -rf "$venv"; prerequisite "pip install pre-commit==$version (network to PyPI)"; }
fi
pre_commit=$venv/bin/pre-commit

work=$(mktemp -d "${TMPDIR:-/tmp}/mpcheck-pre-commit-XXXXXX")
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME=$work/pre-commit-home PATH="$bin_dir:$PATH"
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.com GIT_COMMITTER_NAME=test \
  GIT_COMMITTER_EMAIL=test@example.com GIT_CONFIG_NOSYSTEM=1 HOME=$work
git config --global init.defaultBranch main

# The hooks repository: this checkout's .pre-commit-hooks.yaml, committed, pinned by commit.
mkdir "$work/hooks" && cp "$source/.pre-commit-hooks.yaml" "$work/hooks/"
git -C "$work/hooks" init -q && git -C "$work/hooks" add . && git -C "$work/hooks" commit -qm hooks
rev=$(git -C "$work/hooks" rev-parse HEAD)

# The model repository.
repo=$work/models
mkdir -p "$repo/models/llama" "$repo/models/broken" "$repo/hf"
cd "$repo" && git init -q
cp "$source/fixtures/examples/config.json" models/llama/config.json
sed 's/"modelfs"/"modelFS"/' "$source/fixtures/examples/config.json" >models/broken/config.json
cat >hf/config.json <<'JSON'
{
  "architectures": ["LlamaForCausalLM"],
  "model_type": "llama",
  "hidden_size": 4096,
  "num_attention_heads": 32,
  "torch_dtype": "bfloat16"
}
JSON
cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $work/hooks
    rev: $rev
    hooks:
      - id: mpcheck-lint
YAML
git add .pre-commit-config.yaml && git commit -qm config
"$pre_commit" install >/dev/null

# A ModelPack config and a Hugging Face config.json: the commit goes through.
git add models/llama/config.json hf/config.json
git commit -qm "good config and a Hugging Face config" >"$work/out1.txt" 2>&1 ||
  { cat "$work/out1.txt"; fail "commit of a valid config and a Hugging Face config.json was blocked"; }
grep -q "mpcheck lint.*Passed" "$work/out1.txt" || { cat "$work/out1.txt"; fail "the hook did not run"; }

# The broken ModelPack config: the commit is blocked, naming the file and the rule.
git add models/broken/config.json
if git commit -qm broken >"$work/out2.txt" 2>&1; then
  cat "$work/out2.txt"; fail "commit of a broken ModelPack config went through"
fi
grep -q "mpcheck lint.*Failed" "$work/out2.txt" || { cat "$work/out2.txt"; fail "the hook did not fail"; }
grep -q "models/broken/config.json:.*error\[MPC001\]" "$work/out2.txt" ||
  { cat "$work/out2.txt"; fail "no MPC001 finding for models/broken/config.json"; }

# --all-files: the Hugging Face file is skipped (a note, not a finding), the broken one fails.
rc=0
"$pre_commit" run --all-files >"$work/out3.txt" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || { cat "$work/out3.txt"; fail "pre-commit run --all-files exited $rc, expected 1"; }
! grep -q "hf/config.json:[0-9]" "$work/out3.txt" || { cat "$work/out3.txt"; fail "findings reported for hf/config.json"; }
grep -q "hf/config.json: skipped: not a ModelPack document" "$work/out3.txt" ||
  { cat "$work/out3.txt"; fail "no skip note for hf/config.json"; }
echo "pre_commit_test: ok (pre-commit $("$pre_commit" --version | cut -d' ' -f2), hooks rev $rev)"
