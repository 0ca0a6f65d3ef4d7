#include <algorithm>

#include "mpcheck/conformance/conformance_case.hpp"

namespace mpcheck::conformance {
namespace {

constexpr std::string_view kDistributionSpec =
    "https://github.com/opencontainers/distribution-spec/blob/main/spec.md";

// The one registration list. Ids are stable. A registry certified for models claims the Pull
// and Push categories and tag listing (a model registry must take pushes and list what it
// holds), so their MUSTs are required cases. Features the spec makes optional (MAY, SHOULD,
// "if supported", Content Management) are optional cases, reported as supported or not. Three
// MUSTs are optional by decision: sorted tags, `n` pagination and 416 for an out-of-order
// chunk, which Distribution 2.8 (the registry most deployments still run) does not honour;
// a failure is reported with the spec's sentence, never hidden.
constexpr ConformanceCase kCases[] = {
    {"base/ping", "base", true, "MUST",
     "All registries conforming to this specification MUST support, at a minimum, all APIs in "
     "the **Pull** category.",
     "#determining-support", "`GET /v2/` answers 200 (with the credentials)"},
    {"base/auth", "base", true, "MUST",
     "All registries conforming to this specification MUST support, at a minimum, all APIs in "
     "the **Pull** category.",
     "#determining-support",
     "anonymous `GET /v2/` answers 200 or 401 with a challenge; the credentials are accepted"},
    {"push/fixtures", "push", true, "MUST",
     "The uploaded manifest MUST reference any blobs that make up the object.", "#push",
     "the fixture models to push could be generated (reported only when they could not)"},
    {"push/blob-monolithic", "push", true, "MUST",
     "Upon successful completion of the request, the response MUST have code `201 Created`",
     "#post-then-put",
     "POST then PUT `?digest=` of a fixture's blobs: 201, `Docker-Content-Digest`, then HEAD finds "
     "them"},
    {"push/blob-chunked", "push", true, "MUST",
     "Chunks MUST be uploaded in order, with the first byte of a chunk being the last chunk's "
     "`<end-of-range>` plus one.",
     "#pushing-a-blob-in-chunks",
     "POST, PATCH with `Content-Range` in chunks (>= `OCI-Chunk-Min-Length`), PUT with the last "
     "chunk; the registry's `Range` after each PATCH; a fixture pushed the same way"},
    {"push/blob-streamed", "push", false, "MAY",
     "The final chunk MAY be uploaded using a `PATCH` request or it MAY be uploaded in the "
     "closing `PUT` request.",
     "#pushing-a-blob-in-chunks",
     "PATCH without `Content-Range` (chunked transfer encoding), then PUT"},
    {"push/blob-single-post", "push", false, "MAY",
     "Registries MAY support pushing blobs using a single POST request.", "#single-post",
     "POST `?digest=` with the body: 201 supported, 202 not supported"},
    {"push/mount", "push", false, "MAY",
     "The registry MAY treat the `from` parameter as optional, and it MAY cross-mount the blob "
     "if it can be found.",
     "#mounting-a-blob-from-another-repository",
     "POST `?mount=&from=`: 201 mounted (HEAD in the target repo), 202 not supported"},
    {"push/upload-status", "push", true, "MUST",
     "The response to an active upload `<blob-push-location>` MUST be a `204 No Content` "
     "response code",
     "#pushing-a-blob-in-chunks",
     "GET on an upload session reports the bytes received (`Range: 0-<end>`)"},
    {"push/upload-cancel", "push", false, "SHOULD",
     "If successful, the response SHOULD be a `204 No Content` response code.",
     "#cancel-a-blob-upload", "DELETE on an upload session, then the session is gone (404)"},
    {"push/manifest-by-tag", "push", true, "MUST",
     "The registry MUST store the manifest in the exact byte representation provided by the "
     "client.",
     "#pushing-manifests",
     "PUT of each model manifest by tag: 201, `Docker-Content-Digest` equals the digest of the "
     "bytes sent"},
    {"push/manifest-by-digest", "push", true, "MUST",
     "Upon a successful upload, the registry MUST return response code `201 Created`",
     "#pushing-manifests", "the same by digest"},
    {"push/blob-zero-byte", "push", true, "MUST",
     "Upon successful completion of the request, the response MUST have code `201 Created`",
     "#post-then-put", "a zero-byte blob pushed, found by HEAD (Content-Length 0) and pulled back"},
    {"push/blob-empty-json", "push", true, "MUST",
     "Upon successful completion of the request, the response MUST have code `201 Created`",
     "#post-then-put",
     "the empty JSON blob `{}` (the image-spec's empty descriptor, used as a config by some "
     "producers) pushed and pulled back"},
    {"push/blob-sha512", "push", false, "SHOULD",
     "When pushing a blob with a digest algorithm other than `sha256`, the post request SHOULD "
     "include the `digest-algorithm` parameter",
     "#pushing-a-blob-in-chunks",
     "a blob addressed by a sha512 digest pushed and pulled back; refused means not supported"},
    {"push/chunk-out-of-order", "push", false, "MUST",
     "If a chunk is uploaded out of order, the registry MUST respond with a `416 Requested Range "
     "Not Satisfiable` code.",
     "#pushing-a-blob-in-chunks", "a PATCH whose Content-Range leaves a gap answers 416"},
    {"push/manifest-custom-fields", "push", true, "MUST",
     "The registry MUST store the manifest in the exact byte representation provided by the "
     "client.",
     "#pushing-manifests",
     "a model manifest with a `data` member (the config's bytes) and unknown members comes back "
     "byte for byte"},
    {"push/manifest-subject-missing", "push", true, "MUST",
     "A registry MUST initially accept an otherwise valid manifest with a `subject` field that "
     "references a manifest that does not exist in the repository, allowing clients to push a "
     "manifest and referrers to that manifest in either order.",
     "#pushing-manifests-with-subject",
     "a model manifest whose subject was never pushed is accepted and served back"},
    {"push/manifest-1000-layers", "push", true, "MUST",
     "The registry MUST store the manifest in the exact byte representation provided by the "
     "client.",
     "#pushing-manifests",
     "a model sharded into 1,000 weight files: one manifest with 1,000 layers, byte for byte"},
    {"push/manifest-1mib-annotation", "push", false, "SHOULD",
     "Client and registry implementations SHOULD expect to be able to support manifest pushes of "
     "at least 4 megabytes.",
     "#pushing-manifests",
     "a manifest carrying a 1 MiB annotation (a Modelfile or Kitfile) comes back byte for byte"},
    {"push/index-model-variants", "push", true, "MUST",
     "The registry MUST store the manifest in the exact byte representation provided by the "
     "client.",
     "#pushing-manifests",
     "an image index listing the pushed models as variants (with artifactType) by tag and digest"},
    {"push/index-nested", "push", true, "MUST",
     "The registry MUST store the manifest in the exact byte representation provided by the "
     "client.",
     "#pushing-manifests", "an index whose one entry is another index"},
    {"push/index-empty", "push", true, "MUST",
     "The registry MUST store the manifest in the exact byte representation provided by the "
     "client.",
     "#pushing-manifests", "an index with no manifests"},
    {"pull/manifest-by-tag", "pull", true, "MUST",
     "A GET request to an existing manifest URL MUST provide the expected manifest, with a "
     "response code that MUST be `200 OK`.",
     "#pulling-manifests",
     "GET gives the exact bytes pushed (so `artifactType`, annotations and layer order survive), "
     "the media type and digest header"},
    {"pull/manifest-by-digest", "pull", true, "MUST",
     "A GET request to an existing manifest URL MUST provide the expected manifest, with a "
     "response code that MUST be `200 OK`.",
     "#pulling-manifests", "the same by digest"},
    {"pull/manifest-head", "pull", true, "MUST",
     "A HEAD request to an existing blob or manifest URL MUST return `200 OK`.",
     "#checking-if-content-exists-in-the-registry", "HEAD by tag and digest: size and digest"},
    {"pull/blob-head", "pull", true, "MUST",
     "A HEAD request to an existing blob or manifest URL MUST return `200 OK`.",
     "#checking-if-content-exists-in-the-registry", "HEAD of every blob: size"},
    {"pull/blob-get", "pull", true, "MUST",
     "A GET request to an existing blob URL MUST provide the expected blob, with a response code "
     "that MUST be `200 OK`.",
     "#pulling-blobs", "GET of every blob, verified against its digest while streaming"},
    {"pull/blob-range", "pull", false, "SHOULD",
     "A registry SHOULD support the `Range` request header in accordance with [RFC 9110 "
     "(section 14)](https://www.rfc-editor.org/rfc/rfc9110#section-14).",
     "#pulling-blobs", "`Range: bytes=a-b` answers 206 with exactly those bytes"},
    {"pull/large-layer", "pull", true, "MUST",
     "A GET request to an existing blob URL MUST provide the expected blob, with a response code "
     "that MUST be `200 OK`.",
     "#pulling-blobs", "multi-GiB blob push and pull, digest verified"},
    {"validate/*", "validate", true, "MUST",
     "The registry MUST store the manifest in the exact byte representation provided by the "
     "client.",
     "#pushing-manifests",
     "the artifact pulled back passes `mpcheck validate` (no error findings)"},
    {"discovery/tags-list", "discovery", true, "MUST",
     "Assuming a repository is found, this request MUST return a `200 OK` response code.",
     "#listing-tags", "every pushed tag is listed"},
    {"discovery/tags-order", "discovery", false, "MUST",
     "If the list is not empty, the tags MUST be in lexical (i.e. case-insensitive alphanumeric "
     "order) or \"ASCIIbetical\" ([Go's `sort.Strings`](https://pkg.go.dev/sort#Strings)) "
     "order.",
     "#listing-tags",
     "tags in lexical or ASCIIbetical order (a MUST since spec v1.1; optional here, see below)"},
    {"discovery/tags-pagination", "discovery", false, "MUST",
     "Otherwise, the response MUST include `<int>` results.", "#listing-tags",
     "`?n=1` pages through `Link: rel=\"next\"`; a registry ignoring `n` is \"not supported\""},
    {"discovery/tags-unknown-repository", "discovery", false, "MUST",
     "An attempt to pull a nonexistent repository MUST return response code `404 Not Found`.",
     "#pushing-manifests", "tags/list of a repository never pushed answers 404"},
    {"referrers/push-with-subject", "referrers", true, "MUST",
     "A registry MUST initially accept an otherwise valid manifest with a `subject` field that "
     "references a manifest that does not exist in the repository, allowing clients to push a "
     "manifest and referrers to that manifest in either order.",
     "#pushing-manifests-with-subject",
     "a signature-like manifest (`artifactType: application/vnd.example.signature+json`, `subject` "
     "= the model manifest) is accepted"},
    {"referrers/api", "referrers", false, "MUST",
     "If the registry supports the referrers API, the registry MUST NOT return a `404 Not "
     "Found` to a referrers API requests.",
     "#listing-referrers", "`GET /v2/<repo>/referrers/<digest>` lists it; 404 = not supported"},
    {"referrers/unknown-digest", "referrers", false, "MUST",
     "If a query results in no matching referrers, an empty manifest list MUST be returned.",
     "#listing-referrers", "referrers of a digest never pushed: an empty image index"},
    {"referrers/api-artifact-type-filter", "referrers", false, "SHOULD",
     "The registry SHOULD support filtering on `artifactType`.", "#listing-referrers",
     "the same with `?artifactType=`; `OCI-Filters-Applied` noted"},
    {"referrers/tag-schema-fallback", "referrers", true, "MUST",
     "A client querying the [referrers API](#listing-referrers) and receiving a `404 Not Found` "
     "MUST fallback to using an image index pushed to a tag described by the [referrers tag "
     "schema](#referrers-tag-schema).",
     "#referrers-tag-schema",
     "the index at tag `sha256-<hex>` is read, updated with the signature, pushed, and read back "
     "byte for byte"},
    {"errors/blob-unknown", "errors", true, "MUST",
     "If the blob is not found in the repository, the response code MUST be `404 Not Found`.",
     "#pulling-blobs", "GET of a never-pushed blob: 404 `BLOB_UNKNOWN`"},
    {"errors/manifest-unknown", "errors", true, "MUST",
     "If the manifest is not found in the repository, the response code MUST be `404 Not "
     "Found`.",
     "#pulling-manifests", "GET of a never-pushed tag: 404 `MANIFEST_UNKNOWN`"},
    {"errors/digest-invalid", "errors", true, "SHOULD",
     "In each implementation, if the client provided digest is invalid or uses an unsupported "
     "algorithm, the registry SHOULD respond with a response code `400 Bad Request`.",
     "#push", "a blob PUT with a digest its bytes do not have: 400 `DIGEST_INVALID`"},
    {"management/delete-tag", "management", false, "MUST",
     "Upon success, the registry MUST respond with a `202 Accepted` code.", "#deleting-tags",
     "DELETE by tag"},
    {"management/delete-manifest", "management", false, "MUST",
     "Upon success, the registry MUST respond with a `202 Accepted` code.", "#deleting-manifests",
     "DELETE by digest, then GET answers 404"},
    {"management/delete-blob", "management", false, "MUST",
     "Upon success, the registry MUST respond with code `202 Accepted`.", "#deleting-blobs",
     "DELETE of a blob, then HEAD answers 404"},
    {"pull/*", "read-only", true, "MUST",
     "A GET request to an existing manifest URL MUST provide the expected manifest, with a "
     "response code that MUST be `200 OK`.",
     "#pulling-manifests", "--read-only: each --ref pulled, its digest checked, HEAD answered"},
};

bool matches(const ConformanceCase& c, std::string_view name) {
  if (c.id.ends_with('*')) return name.starts_with(c.id.substr(0, c.id.size() - 1));
  return name == c.id;
}

}  // namespace

std::span<const ConformanceCase> conformance_cases() {
  return kCases;
}

const ConformanceCase* find_conformance_case(std::string_view name) {
  // Exact ids first: "pull/blob-get" is not an instance of the read-only "pull/*".
  for (const auto& c : kCases)
    if (c.id == name) return &c;
  for (const auto& c : kCases)
    if (matches(c, name)) return &c;
  return nullptr;
}

std::string case_link(const ConformanceCase& c) {
  if (c.anchor.starts_with("http")) return std::string(c.anchor);
  return std::string(kDistributionSpec) + std::string(c.anchor);
}

std::string cases_markdown() {
  std::string out =
      "| case | area | status | keyword | what it checks | the spec's sentence |\n"
      "|---|---|---|---|---|---|\n";
  auto cell = [](std::string_view s) {
    std::string t(s);
    for (std::size_t p = 0; (p = t.find('|', p)) != std::string::npos; p += 2)
      t.replace(p, 1, "\\|");
    return t;
  };
  for (const auto& c : kCases) {
    out += "| `" + std::string(c.id) + "` | " + std::string(c.area) + " | " +
           (c.required ? "required" : "optional") + " | " + std::string(c.keyword) + " | " +
           cell(c.checks) + " | [" + cell(c.quote) + "](" + case_link(c) + ") |\n";
  }
  return out;
}

std::string cases_text() {
  std::string out;
  for (const auto& c : kCases) {
    std::string id(c.id);
    id.resize(std::max<std::size_t>(id.size(), 36), ' ');
    out += id + (c.required ? "required  " : "optional  ") + std::string(c.checks) + "\n";
  }
  return out;
}

}  // namespace mpcheck::conformance
