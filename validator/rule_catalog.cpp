#include "mpcheck/validator/rule_catalog.hpp"

#include <algorithm>

namespace mpcheck {
namespace {

constexpr std::string_view kConfig =
    "https://github.com/modelpack/model-spec/blob/main/docs/config.md#properties";

#define MP_SPEC(doc, anchor) doc "#" anchor

using enum Severity;
using enum RuleScope;

// The one registration list. Ids are stable: never renumber, only append.
constexpr Rule kRules[] = {
    // JSON hygiene: applies to every JSON document mpcheck reads (configs, manifests, indexes).
    {"MPJ001", Error, Config, "document is not well-formed JSON",
     "https://www.rfc-editor.org/rfc/rfc8259#section-2"},
    {"MPJ002", Error, Config, "object has duplicate member names",
     "https://www.rfc-editor.org/rfc/rfc8259#section-4"},
    {"MPJ003", Error, Config, "document is not valid UTF-8",
     "https://www.rfc-editor.org/rfc/rfc8259#section-8.1"},
    {"MPJ004", Error, Config, "document starts with a byte-order mark",
     "https://www.rfc-editor.org/rfc/rfc8259#section-8.1"},
    {"MPJ005", Error, Config, "content after the end of the JSON document",
     "https://www.rfc-editor.org/rfc/rfc8259#section-2"},
    {"MPJ006", Error, Config, "document nests deeper than the limit",
     "https://www.rfc-editor.org/rfc/rfc8259#section-9"},
    {"MPJ007", Error, Config, "document is larger than the limit",
     "https://www.rfc-editor.org/rfc/rfc8259#section-9"},

    // Model config (application/vnd.cncf.model.config.v1+json).
    {"MPC001", Error, Config, "config does not match the ModelPack config JSON schema",
     "https://github.com/modelpack/model-spec/blob/main/schema/config-schema.json"},
    {"MPC002", Error, Config, "paramSize is not <count><scale-prefix>", kConfig},
    {"MPC003", Warning, Config, "precision is not a comma-separated list of the spec's values",
     kConfig},
    {"MPC004", Error, Config, "language is not an ISO 639-1 code", kConfig},
    {"MPC005", Error, Config, "license is not a valid SPDX license expression", kConfig},
    {"MPC006", Error, Config, "timestamp is not an RFC 3339 date-time", kConfig},
    {"MPC007", Error, Config, "diffId is not a valid OCI digest", kConfig},
    {"MPC008", Warning, Config, "URL field does not look like a URL", kConfig},

    // Image manifest.
    {"MPM001", Error, Manifest, "manifest does not match the OCI image manifest JSON schema",
     "https://github.com/opencontainers/image-spec/blob/main/schema/image-manifest-schema.json"},
    {"MPM002", Error, Manifest, "manifest mediaType is not the OCI image manifest type",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/spec.md",
             "oci-image-manifest-specification-for-model-artifacts")},
    {"MPM003", Error, Manifest, "artifactType is not the ModelPack manifest type",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/spec.md",
             "oci-image-manifest-specification-for-model-artifacts")},
    {"MPM004", Error, Manifest, "config mediaType is not the ModelPack config type",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/spec.md",
             "oci-image-manifest-specification-for-model-artifacts")},
    {"MPM005", Warning, Manifest, "layer mediaType is not one of the spec's layer types",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/spec.md",
             "oci-image-manifest-specification-for-model-artifacts")},
    {"MPM006", Error, Manifest, "descriptor digest is not a valid OCI digest",
     "https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests"},
    {"MPM007", Error, Manifest, "descriptor size is not a non-negative 64-bit integer",
     "https://github.com/opencontainers/image-spec/blob/main/descriptor.md#properties"},
    {"MPM008", Error, Manifest, "annotations are not a string-to-string map",
     "https://github.com/opencontainers/image-spec/blob/main/annotations.md#rules"},
    {"MPM009", Error, Manifest, "org.cncf.model.filepath is not a safe relative path",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/annotations.md",
             "layer-annotation-keys")},
    {"MPM010", Error, Manifest, "org.cncf.model.file.metadata+json is not valid FileMetadata",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/annotations.md",
             "file-metadata-annotation-value")},
    {"MPM011", Error, Manifest, "org.cncf.model.file.mediatype.untested is not \"true\" or \"false\"",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/annotations.md",
             "layer-annotation-keys")},
    {"MPM012", Error, Manifest, "pre-rename vnd.cnai media type",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/spec.md",
             "oci-image-manifest-specification-for-model-artifacts")},
    {"MPM013", Warning, Manifest, "pre-rename org.cnai annotation key",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/annotations.md",
             "layer-annotation-keys")},

    {"MPM014", Warning, Manifest, "digest uses an algorithm the image-spec does not register",
     "https://github.com/opencontainers/image-spec/blob/main/descriptor.md#registered-algorithms"},

    // Artifact and layer rules (mpcheck validate) are appended below this line.

    // Artifact: the layout, its index and the blobs the descriptors name.
    {"MPA001", Error, Artifact, "oci-layout file is missing or not a valid image-layout header",
     MP_SPEC("https://github.com/opencontainers/image-spec/blob/main/image-layout.md",
             "oci-layout-file")},
    {"MPA002", Error, Artifact, "index.json is missing or does not match the image index schema",
     MP_SPEC("https://github.com/opencontainers/image-spec/blob/main/image-layout.md",
             "indexjson-file")},
    {"MPA003", Error, Artifact, "index.json lists no image manifest to validate",
     MP_SPEC("https://github.com/opencontainers/image-spec/blob/main/image-layout.md",
             "indexjson-file")},
    {"MPA004", Error, Artifact, "blob named by a descriptor is missing or unreadable",
     MP_SPEC("https://github.com/opencontainers/image-spec/blob/main/image-layout.md", "blobs")},
    {"MPA005", Error, Artifact, "blob size differs from the descriptor size",
     "https://github.com/opencontainers/image-spec/blob/main/descriptor.md#properties"},
    {"MPA006", Error, Artifact, "blob content does not match the descriptor digest",
     "https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests"},
    {"MPA007", Error, Artifact, "config descriptor does not point at a ModelPack model config",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/spec.md",
             "oci-image-manifest-specification-for-model-artifacts")},
    {"MPA008", Error, Artifact, "modelfs.diffIds does not have one entry per layer",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/config.md", "properties")},
    {"MPA009", Error, Artifact,
     "diffId differs from the digest of the layer's uncompressed content",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/config.md", "terminology")},
    {"MPA010", Warning, Artifact, "digest algorithm mpcheck cannot compute; content not verified",
     "https://github.com/opencontainers/image-spec/blob/main/descriptor.md#registered-algorithms"},
    {"MPA011", Warning, Artifact, "index.json entry is not an image manifest; not validated",
     MP_SPEC("https://github.com/opencontainers/image-spec/blob/main/image-layout.md",
             "indexjson-file")},

    // Layer: the tar entries inside tar, tar+gzip and tar+zstd layers.
    {"MPL001", Error, Layer, "entry lacks a required file attribute (mtime, mode)",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/spec.md", "file-attributes")},
    {"MPL002", Warning, Layer, "entries are not in lexicographic order",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/spec.md", "reproducibility")},
    {"MPL003", Warning, Layer, "file metadata (mtime, uid, gid) is not constant across entries",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/spec.md", "reproducibility")},
    {"MPL004", Warning, Layer, "entry carries platform-specific metadata",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/spec.md", "reproducibility")},
    {"MPL005", Warning, Layer, "weight layer holds more than one weight file",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/spec.md",
             "oci-image-manifest-specification-for-model-artifacts")},
    {"MPL006", Error, Layer, "org.cncf.model.filepath names no entry of the layer",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/annotations.md",
             "layer-annotation-keys")},
    {"MPL007", Error, Layer,
     "org.cncf.model.file.metadata+json disagrees with the file it describes",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/annotations.md",
             "file-metadata-annotation-value")},
    {"MPL008", Error, Layer, "entry path is absolute",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/spec.md",
             "guidance-on-layers")},
    {"MPL009", Error, Layer, "entry path has a \"..\" component",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/spec.md",
             "guidance-on-layers")},
    {"MPL010", Error, Layer, "symlink or hardlink resolves outside the layer root",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/spec.md",
             "guidance-on-layers")},
    {"MPL011", Error, Layer, "entry is a device, FIFO or socket",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/spec.md",
             "guidance-on-layers")},
    {"MPL012", Error, Layer, "entry has the setuid or setgid bit",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/spec.md",
             "guidance-on-layers")},
    {"MPL013", Error, Layer, "layer exceeds the decompression ratio limit",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/spec.md",
             "guidance-on-layers")},
    {"MPL014", Error, Layer, "layer exceeds the entry count limit",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/spec.md",
             "guidance-on-layers")},
    {"MPL015", Error, Layer, "layer is not a valid archive of its media type",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/spec.md",
             "guidance-on-layers")},
};

#undef MP_SPEC

}  // namespace

std::string_view to_string(RuleScope s) {
  switch (s) {
    case RuleScope::Config: return "config";
    case RuleScope::Manifest: return "manifest";
    case RuleScope::Artifact: return "artifact";
    case RuleScope::Layer: return "layer";
    case RuleScope::Registry: return "registry";
    case RuleScope::Tool: return "tool";
  }
  return "unknown";
}

std::span<const Rule> validator_rules() { return kRules; }

const Rule* find_rule(std::string_view id) {
  auto it = std::find_if(std::begin(kRules), std::end(kRules),
                         [&](const Rule& r) { return r.id == id; });
  return it == std::end(kRules) ? nullptr : &*it;
}

std::string spec_link(const Rule& rule, std::string_view spec_version) {
  std::string link(rule.spec);
  constexpr std::string_view kMain = "github.com/modelpack/model-spec/blob/main/";
  if (spec_version != "main") {
    if (auto pos = link.find(kMain); pos != std::string::npos) {
      link.replace(pos, kMain.size(),
                   "github.com/modelpack/model-spec/blob/" + std::string(spec_version) + "/");
    }
  }
  return link;
}

Diagnostic make_diagnostic(std::string_view id, std::string message, std::string pointer,
                           std::string_view spec_version) {
  Diagnostic d;
  d.rule = std::string(id);
  d.message = std::move(message);
  d.pointer = std::move(pointer);
  if (const Rule* r = find_rule(id)) {
    d.severity = r->severity;
    d.spec = spec_link(*r, spec_version);
  }
  return d;
}

std::string_view to_string(Severity s) { return s == Severity::Error ? "error" : "warning"; }

bool has_errors(const std::vector<Diagnostic>& diags) {
  return std::any_of(diags.begin(), diags.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

}  // namespace mpcheck
