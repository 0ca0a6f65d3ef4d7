#!/usr/bin/env bash
# make_seeds.sh MPCHECK_FULL OUT: writes a seed corpus per harness into OUT/<harness>/, from
# `mpcheck fixtures generate`, fixtures/examples, docs and a few hand-written header values.
# Seeds are generated at run time and never committed.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
mpcheck=$1
out=$2
rm -rf "$out"
mkdir -p "$out"
for h in fuzz_lint fuzz_manifest fuzz_layout_archive fuzz_layer fuzz_www_authenticate \
  fuzz_http_fields fuzz_results_json fuzz_suite_yaml; do
  mkdir -p "$out/$h"
done
gen="$out/.fixtures"
# The generator's own leaks are the sanitizer stage's business, not the seeds'.
ASAN_OPTIONS=detect_leaks=0 "$mpcheck" fixtures generate --out "$gen" >/dev/null

seed() {  # seed HARNESS [PREFIX_BYTE_OCTAL] < bytes; named by content, as libFuzzer does
  local file="$out/$1/.new"
  if [ $# -gt 1 ]; then printf "\\$2" >"$file"; else : >"$file"; fi
  cat >>"$file"
  mv "$file" "$out/$1/$(sha1sum "$file" | cut -c1-40)"
}

# Documents: every small JSON blob and layout file, both to lint (auto kind) and, when it is a
# manifest or an index, to the manifest harness.
while IFS= read -r -d '' f; do
  [ "$(stat -c %s "$f")" -le 65536 ] || continue
  first=$(head -c 1 "$f" | od -An -c | tr -d ' ')
  case "$f" in */oci-layout) ;; *) [ "$first" = "{" ] || continue ;; esac
  seed fuzz_lint 000 <"$f"
  if grep -q 'manifest\|"manifests"' "$f"; then seed fuzz_manifest <"$f"; fi
done < <(find "$gen" -type f ! -name '*.tar*' -print0 | sort -z)
for f in "$root"/fixtures/examples/*.json; do
  seed fuzz_lint 001 <"$f"
  seed fuzz_lint 201 <"$f"  # the v0.0.7 schema
done
seed fuzz_manifest <"$root/fixtures/examples/manifest.json"

# Layers: each blob goes to a media type of its format (the harness's first byte, index into
# the spec's list: raw 0, tar 1, tar+gzip 2, tar+zstd 3).
while IFS= read -r -d '' f; do
  [ "$(stat -c %s "$f")" -le 262144 ] || continue
  magic=$(head -c 4 "$f" | od -An -tx1 | tr -d ' \n')
  if [[ $magic == 1f8b* ]]; then seed fuzz_layer 002 <"$f"
  elif [[ $magic == 28b52ffd ]]; then seed fuzz_layer 003 <"$f"
  elif [ "$(head -c 262 "$f" | tail -c 5 | tr -d '\0')" = "ustar" ]; then seed fuzz_layer 001 <"$f"
  fi
done < <(find "$gen" -path '*/blobs/*' -type f -print0 | sort -z)
printf 'raw weights' | seed fuzz_layer 000

# Layout archives: the generator's archives, and each small layout directory packed as tar.
while IFS= read -r -d '' f; do
  [ "$(stat -c %s "$f")" -le 262144 ] && seed fuzz_layout_archive <"$f"
done < <(find "$gen" -type f -name '*.tar*' -print0 | sort -z)
while IFS= read -r -d '' layout; do
  dir=$(dirname "$layout")
  [ "$(du -sk "$dir" | cut -f1)" -le 128 ] || continue
  tar -C "$dir" --sort=name --owner=0 --group=0 --numeric-owner -cf - . | seed fuzz_layout_archive
done < <(find "$gen" -name oci-layout -print0 | sort -z)

# results.json: what `validate --report-dir` writes for a valid and an invalid fixture.
for fixture in "$gen"/*/; do
  report="$out/.report"
  rm -rf "$report"
  ASAN_OPTIONS=detect_leaks=0 "$mpcheck" validate "$fixture" --report-dir "$report" \
    >/dev/null 2>&1 || true
  [ -f "$report/results.json" ] && seed fuzz_results_json <"$report/results.json"
  [ "$(ls "$out/fuzz_results_json" | wc -l)" -ge 6 ] && break
done
rm -rf "$out/.report"

# Header values as registries and token servers send them.
for v in 'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"' \
  'Basic realm="registry"' \
  'Bearer realm="https://a/t", error="insufficient_scope", Basic realm="x"' \
  'Bearer abc123=' \
  'Bearer realm="q\"uoted\\",  service=reg'; do
  printf '%s' "$v" | seed fuzz_www_authenticate
done
for v in '</v2/r/tags/list?n=2&last=b>; rel="next"' \
  '<https://r.example/v2/a/referrers/sha256:x?n=1>; rel=next, </other>; rel="prev"' \
  '</a>; rel="prev next"; type="text/html"' \
  '120' 'Wed, 21 Oct 2015 07:28:00 GMT' '0-1023' 'bytes=0-0'; do
  printf '%s' "$v" | seed fuzz_http_fields
done

# Settings files: the documented example and a few edge cases.
awk '/^```yaml/{f=1;next} /^```/{f=0} f' "$root/docs/certify-a-registry.md" | seed fuzz_suite_yaml
printf 'registry: localhost:5000\nrepo: a/b\ntls: disabled\nrefs: [one, two]\n' | seed fuzz_suite_yaml
printf 'only: "pull/*,push/*"\nread-only: true\nrequest-timeout: 90\nlarge-layer-size: 1GiB\n' | seed fuzz_suite_yaml
printf '{registry: x, profile: full, delete: yes}\n' | seed fuzz_suite_yaml
rm -rf "$gen"
