#include <algorithm>

#include "mpcheck/conformance/conformance_case.hpp"

namespace mpcheck::conformance {
namespace {

constexpr std::string_view kDistributionSpec =
    "https://github.com/opencontainers/distribution-spec/blob/main/spec.md";

// The one registration list. Ids are stable. Required cases check a MUST of the Pull and Push
// categories and the error format; Content Discovery and Content Management are categories a
// registry "SHOULD also support", so their cases are optional, as are features the spec makes
// optional (MAY, "if supported").
constexpr ConformanceCase kCases[] = {
    {"base/ping", "base", true, "MUST",
     "All registries conforming to this specification MUST support, at a minimum, all APIs in "
     "the **Pull** category.",
     "#determining-support", "GET /v2/ answers 200 (with the credentials given)"},
    {"base/auth", "base", true, "MUST",
     "All registries conforming to this specification MUST support, at a minimum, all APIs in "
     "the **Pull** category.",
     "#determining-support",
     "anonymous GET /v2/ answers 200, or 401 with a challenge the credentials satisfy"},
    {"push/fixtures", "push", true, "MUST",
     "The uploaded manifest MUST reference any blobs that make up the object.", "#push",
     "the fixture models to push could be generated (reported only when they could not)"},
    {"push/blob-monolithic", "push", true, "MUST",
     "Upon successful completion of the request, the response MUST have code `201 Created`",
     "#post-then-put", "POST then PUT of the first fixture's blobs; HEAD finds each"},
    {"push/blob-chunked", "push", true, "MUST",
     "Chunks MUST be uploaded in order, with the first byte of a chunk being the last chunk's "
     "`<end-of-range>` plus one.",
     "#pushing-a-blob-in-chunks",
     "PATCH chunks honouring OCI-Chunk-Min-Length, closing PUT; then the second fixture"},
    {"push/blob-streamed", "push", false, "MAY",
     "The final chunk MAY be uploaded using a `PATCH` request or it MAY be uploaded in the "
     "closing `PUT` request.",
     "#pushing-a-blob-in-chunks", "one PATCH without Content-Range, then the closing PUT"},
    {"push/blob-single-post", "push", false, "MAY",
     "Registries MAY support pushing blobs using a single POST request.", "#single-post",
     "POST with ?digest= and the whole body: 201, or 202 to continue with PUT"},
    {"push/mount", "push", false, "MAY",
     "The registry MAY treat the `from` parameter as optional, and it MAY cross-mount the blob "
     "if it can be found.",
     "#mounting-a-blob-from-another-repository",
     "POST ?mount=&from= of a pushed blob into another repository: 201, or 202 unsupported"},
    {"push/upload-status", "push", true, "MUST",
     "The response to an active upload `<blob-push-location>` MUST be a `204 No Content` "
     "response code",
     "#pushing-a-blob-in-chunks", "GET on an open upload session: 204 with Range and Location"},
    {"push/upload-cancel", "push", false, "SHOULD",
     "If successful, the response SHOULD be a `204 No Content` response code.",
     "#cancel-a-blob-upload", "DELETE on an open upload session"},
    {"push/manifest-by-tag", "push", true, "MUST",
     "The registry MUST store the manifest in the exact byte representation provided by the "
     "client.",
     "#pushing-manifests", "PUT every fixture manifest by tag: 201 and its digest"},
    {"push/manifest-by-digest", "push", true, "MUST",
     "Upon a successful upload, the registry MUST return response code `201 Created`",
     "#pushing-manifests", "PUT a manifest by its digest: 201 and the same digest"},
    {"pull/manifest-by-tag", "pull", true, "MUST",
     "A GET request to an existing manifest URL MUST provide the expected manifest, with a "
     "response code that MUST be `200 OK`.",
     "#pulling-manifests", "GET each manifest by tag: the bytes pushed, Docker-Content-Digest"},
    {"pull/manifest-by-digest", "pull", true, "MUST",
     "A GET request to an existing manifest URL MUST provide the expected manifest, with a "
     "response code that MUST be `200 OK`.",
     "#pulling-manifests", "GET each manifest by digest: the bytes pushed"},
    {"pull/manifest-head", "pull", true, "MUST",
     "A HEAD request to an existing blob or manifest URL MUST return `200 OK`.",
     "#checking-if-content-exists-in-the-registry",
     "HEAD each manifest: 200, Docker-Content-Digest and Content-Length"},
    {"pull/blob-head", "pull", true, "MUST",
     "A HEAD request to an existing blob or manifest URL MUST return `200 OK`.",
     "#checking-if-content-exists-in-the-registry", "HEAD each blob: 200 and Content-Length"},
    {"pull/blob-get", "pull", true, "MUST",
     "A GET request to an existing blob URL MUST provide the expected blob, with a response code "
     "that MUST be `200 OK`.",
     "#pulling-blobs", "GET each blob, hashed as it streams"},
    {"pull/blob-range", "pull", false, "SHOULD",
     "A registry SHOULD support the `Range` request header in accordance with [RFC 9110 "
     "(section 14)](https://www.rfc-editor.org/rfc/rfc9110#section-14).",
     "#pulling-blobs", "GET with a Range header: 206 and exactly those bytes"},
    {"pull/large-layer", "pull", true, "MUST",
     "A GET request to an existing blob URL MUST provide the expected blob, with a response code "
     "that MUST be `200 OK`.",
     "#pulling-blobs", "full profile: a multi-GiB layer pushed and pulled back, hashed streaming"},
    {"validate/*", "validate", true, "MUST",
     "The registry MUST store the manifest in the exact byte representation provided by the "
     "client.",
     "#pushing-manifests",
     "each pushed model pulled back and validated like mpcheck validate (one case per fixture)"},
    {"discovery/tags-list", "discovery", false, "MUST",
     "Assuming a repository is found, this request MUST return a `200 OK` response code.",
     "#listing-tags", "GET tags/list lists every tag pushed"},
    {"discovery/tags-order", "discovery", false, "MUST",
     "If the list is not empty, the tags MUST be in lexical (i.e. case-insensitive alphanumeric "
     "order) or \"ASCIIbetical\" ([Go's `sort.Strings`](https://pkg.go.dev/sort#Strings)) "
     "order.",
     "#listing-tags", "the tag list is sorted"},
    {"discovery/tags-pagination", "discovery", false, "MUST",
     "Otherwise, the response MUST include `<int>` results.", "#listing-tags",
     "GET tags/list?n=1 answers one tag and a Link to the next page"},
    {"referrers/push-with-subject", "referrers", true, "MUST",
     "A registry MUST initially accept an otherwise valid manifest with a `subject` field that "
     "references a manifest that does not exist in the repository, allowing clients to push a "
     "manifest and referrers to that manifest in either order.",
     "#pushing-manifests-with-subject", "PUT a signature manifest whose subject is a model"},
    {"referrers/api", "referrers", false, "MUST",
     "If the registry supports the referrers API, the registry MUST NOT return a `404 Not "
     "Found` to a referrers API requests.",
     "#listing-referrers", "GET referrers/<digest> lists the signature (if supported)"},
    {"referrers/api-artifact-type-filter", "referrers", false, "SHOULD",
     "The registry SHOULD support filtering on `artifactType`.", "#listing-referrers",
     "GET referrers/<digest>?artifactType= filters and says OCI-Filters-Applied"},
    {"referrers/tag-schema-fallback", "referrers", true, "MUST",
     "A client querying the [referrers API](#listing-referrers) and receiving a `404 Not Found` "
     "MUST fallback to using an image index pushed to a tag described by the [referrers tag "
     "schema](#referrers-tag-schema).",
     "#referrers-tag-schema",
     "without the referrers API: the sha256-<hex> tag index is stored and served back"},
    {"errors/blob-unknown", "errors", true, "MUST",
     "If the blob is not found in the repository, the response code MUST be `404 Not Found`.",
     "#pulling-blobs", "GET of an unknown blob: 404 with BLOB_UNKNOWN"},
    {"errors/manifest-unknown", "errors", true, "MUST",
     "If the manifest is not found in the repository, the response code MUST be `404 Not "
     "Found`.",
     "#pulling-manifests", "GET of an unknown manifest: 404 with MANIFEST_UNKNOWN"},
    {"errors/digest-invalid", "errors", true, "SHOULD",
     "In each implementation, if the client provided digest is invalid or uses an unsupported "
     "algorithm, the registry SHOULD respond with a response code `400 Bad Request`.",
     "#push", "PUT closing an upload with the wrong digest is refused (400 DIGEST_INVALID)"},
    {"management/delete-tag", "management", false, "MUST",
     "Upon success, the registry MUST respond with a `202 Accepted` code.", "#deleting-tags",
     "--delete: DELETE of a tag (400/405 when disabled is reported as unsupported)"},
    {"management/delete-manifest", "management", false, "MUST",
     "Upon success, the registry MUST respond with a `202 Accepted` code.",
     "#deleting-manifests", "--delete: DELETE of a manifest by digest, then 404"},
    {"management/delete-blob", "management", false, "MUST",
     "Upon success, the registry MUST respond with code `202 Accepted`.", "#deleting-blobs",
     "--delete: DELETE of a blob, then HEAD answers 404"},
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

std::span<const ConformanceCase> conformance_cases() { return kCases; }

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
    for (std::size_t p = 0; (p = t.find('|', p)) != std::string::npos; p += 2) t.replace(p, 1, "\\|");
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
