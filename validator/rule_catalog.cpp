#include "mpcheck/validator/rule_catalog.hpp"

#include <algorithm>

namespace mpcheck {
namespace {

constexpr std::string_view kConfig =
    "https://github.com/modelpack/model-spec/blob/main/docs/config.md#properties";

#define MP_SPEC(doc, anchor) doc "#" anchor

// Sentences quoted by several rules.
constexpr std::string_view kDigestGrammar =
    "A digest string MUST match the following [grammar](considerations.md#ebnf):";
constexpr std::string_view kUnrecognizedAlgorithms =
    "Implementations SHOULD allow digests with unrecognized algorithms to pass validation if they "
    "comply with the above grammar.";
constexpr std::string_view kPredefinedKeys =
    "For metadata specific to models, implementations SHOULD use the predefined annotation keys "
    "as outlined in the [Layer Annotation Keys](./annotations.md#layer-annotation-keys).";
constexpr std::string_view kJsonGrammar = "JSON-text = ws value ws";
constexpr std::string_view kManifestLink =
    MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/spec.md",
            "oci-image-manifest-specification-for-model-artifacts");
constexpr std::string_view kGuidanceOnLayers =
    MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/spec.md", "guidance-on-layers");
constexpr std::string_view kLayerKeys =
    MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/annotations.md",
            "layer-annotation-keys");

using enum Severity;
using enum RuleScope;
using enum RuleBasis;

// The one registration list. Ids are stable: never renumber, only append.
// {id, severity, scope, title, spec link, basis, quote, example, fix}
constexpr Rule kRules[] = {
    // JSON hygiene: applies to every JSON document mpcheck reads (configs, manifests, indexes).
    {"MPJ001", Error, Config, "document is not well-formed JSON",
     "https://www.rfc-editor.org/rfc/rfc8259#section-2", Schema, kJsonGrammar,
     R"({"config": {"paramSize": "8B",}})",
     "write valid JSON (no trailing commas, comments or "
     "single quotes); serialize with a JSON library"},
    {"MPJ002", Error, Config, "object has duplicate member names",
     "https://www.rfc-editor.org/rfc/rfc8259#section-4", Safety,
     "The names within an object SHOULD be unique.",
     R"({"descriptor": {"name": "a", "name": "b"}})",
     "keep one member per name; parsers disagree on which duplicate wins"},
    {"MPJ003", Error, Config, "document is not valid UTF-8",
     "https://www.rfc-editor.org/rfc/rfc8259#section-8.1", Must,
     "JSON text exchanged between systems that are not part of a closed ecosystem MUST be "
     "encoded using UTF-8 [RFC3629].",
     "a Latin-1 byte 0xE9 inside a string", "re-encode the document as UTF-8"},
    {"MPJ004", Error, Config, "document starts with a byte-order mark",
     "https://www.rfc-editor.org/rfc/rfc8259#section-8.1", Must,
     "Implementations MUST NOT add a byte order mark (U+FEFF) to the beginning of a "
     "networked-transmitted JSON text.",
     "the bytes EF BB BF before the opening {", "write the document without a BOM"},
    {"MPJ005", Error, Config, "content after the end of the JSON document",
     "https://www.rfc-editor.org/rfc/rfc8259#section-2", Schema, kJsonGrammar,
     R"({"descriptor": {}} {"descriptor": {}})",
     "write exactly one JSON value; only whitespace may follow it"},
    {"MPJ006", Error, Config, "document nests deeper than the limit",
     "https://www.rfc-editor.org/rfc/rfc8259#section-9", Safety,
     "An implementation may set limits on the maximum depth of nesting.",
     "an array nested 1000 levels deep",
     "flatten the document; no ModelPack document needs "
     "deep nesting"},
    {"MPJ007", Error, Config, "document is larger than the limit",
     "https://www.rfc-editor.org/rfc/rfc8259#section-9", Safety,
     "An implementation may set limits on the size of texts that it accepts.", "a 5 MiB config",
     "keep configs and manifests small; large content belongs in layers"},

    // Model config (application/vnd.cncf.model.config.v1+json).
    {"MPC001", Error, Config, "config does not match the ModelPack config JSON schema",
     "https://github.com/modelpack/model-spec/blob/main/schema/config-schema.json", Schema,
     "config-schema.json: required descriptor, config and modelfs; member types and enums; "
     "\"additionalProperties\": false",
     R"({"descriptor": {}, "config": {}, "modelfs": {"type": "layer", "diffIds": []}})",
     "make the config validate against config-schema.json of the spec version in use"},
    {"MPC002", Warning, Config, "paramSize is not <count><scale-prefix>", kConfig, Guidance,
     "The model size is represented as a combination of a decimal `count` and a single-letter "
     "`scale-prefix` in the format of `<count><scale-prefix>`",
     R"("paramSize": "6.75B")",
     "write a count with at most one decimal digit and one of "
     "Q, T, B, M, K: \"6.8B\""},
    {"MPC003", Warning, Config, "precision is not a comma-separated list of the spec's values",
     kConfig, Guidance, "If multiple precisions are used, they should be separated by commas.",
     R"("precision": "fp16")", "use the spec's names, comma-separated: \"float16,float8_e4m3\""},
    {"MPC004", Warning, Config, "language is not an ISO 639-1 code", kConfig, Guidance,
     "Encoded as [ISO 639][iso-639] two letter codes.", R"("languages": ["xx"])",
     "use two-letter ISO 639-1 codes such as \"en\" or \"zh\""},
    {"MPC005", Warning, Config, "license is not a valid SPDX license expression", kConfig, Guidance,
     "A list of licenses under which the model is distributed, represented as [SPDX License "
     "Expressions][spdx-license-expression].",
     R"("licenses": ["Apache 2.0"])",
     "use SPDX identifiers and operators: \"Apache-2.0\", "
     "\"MIT OR Apache-2.0\", \"LicenseRef-custom\""},
    {"MPC006", Error, Config, "timestamp is not an RFC 3339 date-time", kConfig, Schema,
     "config-schema.json: createdAt and knowledgeCutoff have \"format\": \"date-time\"",
     R"("createdAt": "2025-01-01 00:00")",
     "write an RFC 3339 date-time: "
     "\"2025-01-01T00:00:00Z\""},
    {"MPC007", Error, Config, "diffId is not a valid OCI digest",
     "https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests", Must,
     kDigestGrammar, R"("diffIds": ["sha256:ABC"])",
     "write <algorithm>:<lowercase hex>, e.g. sha256 and 64 hex digits"},
    {"MPC008", Warning, Config, "URL field does not look like a URL", kConfig, Guidance,
     "A URL to get more information or details about the model.", R"("docURL": "see README")",
     "write an absolute URL such as \"https://example.com/model\""},

    // Image manifest.
    {"MPM001", Error, Manifest, "manifest does not match the OCI image manifest JSON schema",
     "https://github.com/opencontainers/image-spec/blob/main/schema/image-manifest-schema.json",
     Schema,
     "image-manifest-schema.json: \"required\": [\"schemaVersion\", \"config\", \"layers\"]; "
     "descriptor member types and patterns",
     R"({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json"})",
     "make the manifest validate against the OCI image manifest schema"},
    {"MPM002", Error, Manifest, "manifest mediaType is not the OCI image manifest type",
     kManifestLink, Must,
     "This REQUIRED property MUST be `application/vnd.oci.image.manifest.v1+json`",
     R"("mediaType": "application/vnd.docker.distribution.manifest.v2+json")",
     "set mediaType to application/vnd.oci.image.manifest.v1+json"},
    {"MPM003", Error, Manifest, "artifactType is not the ModelPack manifest type", kManifestLink,
     Must, "This REQUIRED property MUST be `application/vnd.cncf.model.manifest.v1+json`.",
     R"("artifactType": "application/vnd.oci.image.config.v1+json")",
     "set artifactType to application/vnd.cncf.model.manifest.v1+json"},
    {"MPM004", Error, Manifest, "config mediaType is not the ModelPack config type", kManifestLink,
     Must, "This REQUIRED property MUST be `application/vnd.cncf.model.config.v1+json`.",
     R"("config": {"mediaType": "application/vnd.oci.image.config.v1+json", ...})",
     "set config.mediaType to application/vnd.cncf.model.config.v1+json"},
    {"MPM005", Warning, Manifest, "layer mediaType is not one of the spec's layer types",
     kManifestLink, Should, "Implementations SHOULD support the following media types:",
     R"("mediaType": "application/octet-stream")",
     "use one of the 20 application/vnd.cncf.model.*.v1.{raw,tar,tar+gzip,tar+zstd} types"},
    {"MPM006", Error, Manifest, "descriptor digest is not a valid OCI digest",
     "https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests", Must,
     kDigestGrammar, R"("digest": "sha256:XYZ")",
     "write <algorithm>:<encoded> with lowercase hex of the algorithm's length"},
    {"MPM007", Error, Manifest, "descriptor size is not a non-negative 64-bit integer",
     "https://github.com/opencontainers/image-spec/blob/main/descriptor.md#properties", Must,
     "The size MUST NOT be negative.", R"("size": -1)", "write the blob's length in bytes"},
    {"MPM008", Error, Manifest, "annotations are not a string-to-string map",
     "https://github.com/opencontainers/image-spec/blob/main/annotations.md#rules", Must,
     "Annotations MUST be a key-value map where both the key and value MUST be strings.",
     R"("annotations": {"org.cncf.model.file.mediatype.untested": true})",
     "quote every annotation value: \"true\""},
    {"MPM009", Error, Manifest, "org.cncf.model.filepath is not a safe relative path", kLayerKeys,
     Safety,
     "an unpacker that honours an absolute filepath or one with \"..\" writes outside the "
     "model directory",
     R"("org.cncf.model.filepath": "../etc/passwd")",
     "use a relative path inside the model root, e.g. \"model.safetensors\""},
    {"MPM010", Error, Manifest, "org.cncf.model.file.metadata+json is not valid FileMetadata",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/annotations.md",
             "file-metadata-annotation-value"),
     Schema,
     "value is the JSON string of [File Metadata Annotation "
     "Value](#File-Metadata-Annotation-Value)",
     R"("org.cncf.model.file.metadata+json": "{\"name\":\"a\",\"mode\":\"0644\"}")",
     "write the JSON of FileMetadata: name, mode, uid, gid, size, mtime, typeflag with their "
     "types"},
    {"MPM011", Warning, Manifest,
     "org.cncf.model.file.mediatype.untested is not \"true\" or \"false\"", kLayerKeys, Guidance,
     "Valid values are `\"true\"` or `\"false\"`.",
     R"("org.cncf.model.file.mediatype.untested": "yes")", "write \"true\" or \"false\""},
    {"MPM012", Error, Manifest, "pre-rename vnd.cnai media type", kManifestLink, Must,
     "This REQUIRED property MUST be `application/vnd.cncf.model.manifest.v1+json`.",
     R"("artifactType": "application/vnd.cnai.model.manifest.v1+json")",
     "use the vnd.cncf names (model-spec v0.0.7 and later)"},
    {"MPM013", Warning, Manifest, "pre-rename org.cnai annotation key", kManifestLink, Should,
     kPredefinedKeys, R"("org.cnai.model.filepath": "model.safetensors")",
     "rename the key to its org.cncf.model.* form"},

    {"MPM014", Warning, Manifest, "digest uses an algorithm the image-spec does not register",
     "https://github.com/opencontainers/image-spec/blob/main/descriptor.md#registered-algorithms",
     Should, kUnrecognizedAlgorithms, R"("digest": "md5:0123...")",
     "use sha256 (or sha512, blake3)"},

    // Artifact and layer rules (mpcheck validate) are appended below this line.

    // Artifact: the layout, its index and the blobs the descriptors name.
    {"MPA001", Error, Artifact, "oci-layout file is missing or not a valid image-layout header",
     MP_SPEC("https://github.com/opencontainers/image-spec/blob/main/image-layout.md",
             "oci-layout-file"),
     Must, "It MUST contain an `imageLayoutVersion` field", "a layout without oci-layout",
     "write oci-layout as {\"imageLayoutVersion\": \"1.0.0\"}"},
    {"MPA002", Error, Artifact, "index.json is missing or does not match the image index schema",
     MP_SPEC("https://github.com/opencontainers/image-spec/blob/main/image-layout.md",
             "indexjson-file"),
     Must, "It MUST be an [image index](image-index.md) JSON object.",
     "index.json holding {\"manifests\": {}}", "write index.json as an OCI image index"},
    {"MPA003", Error, Artifact, "index.json lists no image manifest to validate",
     MP_SPEC("https://github.com/opencontainers/image-spec/blob/main/image-layout.md",
             "indexjson-file"),
     Must,
     "This REQUIRED file is the entry point for references and descriptors of the "
     "image-layout.",
     R"(index.json with "manifests": [])", "list the model's image manifest in index.json"},
    {"MPA004", Error, Artifact, "blob named by a descriptor is missing or unreadable",
     MP_SPEC("https://github.com/opencontainers/image-spec/blob/main/image-layout.md", "blobs"),
     Safety, "content that is not there cannot be verified against its digest or consumed",
     "a layer descriptor whose blobs/sha256/<hex> file is absent",
     "copy every referenced blob into blobs/<alg>/<encoded>"},
    {"MPA005", Error, Artifact, "blob size differs from the descriptor size",
     "https://github.com/opencontainers/image-spec/blob/main/descriptor.md#properties", Safety,
     "If the length of the retrieved content does not match the specified length, the content "
     "SHOULD NOT be trusted.",
     "a descriptor size of 4097 for a 4096-byte blob",
     "write the blob's length in bytes into the descriptor"},
    {"MPA006", Error, Artifact, "blob content does not match the descriptor digest",
     MP_SPEC("https://github.com/opencontainers/image-spec/blob/main/image-layout.md", "blobs"),
     Must, "The content of `blobs/<alg>/<encoded>` MUST match the digest `<alg>:<encoded>`",
     "a layer blob edited after its digest was taken",
     "recompute the digest from the blob's bytes and update the descriptor"},
    {"MPA007", Error, Artifact, "config descriptor does not point at a ModelPack model config",
     kManifestLink, Must,
     "This REQUIRED property references a configuration object for an AI/ML model, by digest.",
     "a config blob that is an OCI image config (with rootfs)",
     "point config at a model config (descriptor, config, modelfs)"},
    {"MPA008", Error, Artifact, "modelfs.diffIds does not have one entry per layer",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/config.md", "properties"),
     Safety, "An array of layer content hashes (`DiffIDs`), in order from first to last.",
     "3 layers but 2 diffIds", "list one diffId per layer, in layer order"},
    {"MPA009", Error, Artifact,
     "diffId differs from the digest of the layer's uncompressed content",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/config.md", "terminology"),
     Safety, "A layer DiffID is the hash of the layer's uncompressed tar archive.",
     "the compressed blob's digest used as the diffId of a tar+gzip layer",
     "hash the uncompressed tar stream (the blob itself for raw layers)"},
    {"MPA010", Warning, Artifact, "digest algorithm mpcheck cannot compute; content not verified",
     "https://github.com/opencontainers/image-spec/blob/main/descriptor.md#registered-algorithms",
     Should, kUnrecognizedAlgorithms, "a blake3 diffId",
     "use sha256 digests if the content should be verified by mpcheck"},
    {"MPA011", Warning, Artifact, "index.json entry is not an image manifest; not validated",
     MP_SPEC("https://github.com/opencontainers/image-spec/blob/main/image-layout.md",
             "indexjson-file"),
     Guidance, "An encountered `mediaType` that is unknown MUST NOT generate an error.",
     "an index.json entry of a nested image index",
     "nothing to fix if intended; mpcheck validates image manifests only"},

    // Layer: the tar entries inside tar, tar+gzip and tar+zstd layers.
    {"MPL001", Error, Layer, "entry lacks a required file attribute (mtime, mode)",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/spec.md", "file-attributes"),
     Must, "Where supported, MUST include file attributes:", "a tar entry with mode 0000",
     "record each file's mode and mtime in the tar header"},
    {"MPL002", Warning, Layer, "entries are not in lexicographic order",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/spec.md", "reproducibility"),
     Should,
     "If the archive includes multiple files, files SHOULD be added to the archive in "
     "lexicographical order.",
     "b.txt written before a.txt", "sort entries by path before writing the tar"},
    {"MPL003", Warning, Layer, "file metadata (mtime, uid, gid) is not constant across entries",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/spec.md", "reproducibility"),
     Should,
     "File metadata (such as modification time, owner/group ID) SHOULD be set to known, "
     "constant values rather than the current values on disk.",
     "two entries with different mtimes", "set one fixed mtime, uid 0 and gid 0 on every entry"},
    {"MPL004", Warning, Layer, "entry carries platform-specific metadata",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/spec.md", "reproducibility"),
     Should, "Platform/implementation specific metadata SHOULD be omitted from the archive.",
     "a ._model.safetensors AppleDouble file or SCHILY.xattr records",
     "drop xattrs, vendor PAX keys and ._ files when writing the tar"},
    {"MPL005", Warning, Layer, "weight layer holds more than one weight file", kManifestLink,
     Should,
     "If the model has multiple weight files, they SHOULD be packaged into separate layers.",
     "one weight.v1.tar layer holding two .safetensors shards",
     "put each weight file in its own layer"},
    {"MPL006", Warning, Layer, "org.cncf.model.filepath names no entry of the layer", kLayerKeys,
     Guidance, "Specifies the file path of the layer (string).",
     R"("org.cncf.model.filepath": "a.safetensors" on a tar holding b.safetensors)",
     "set the annotation to the path of the file (or top directory) the layer holds"},
    {"MPL007", Warning, Layer,
     "org.cncf.model.file.metadata+json disagrees with the file it describes",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/annotations.md",
             "file-metadata-annotation-value"),
     Guidance, "Specifies the metadata of the file (string)",
     R"(FileMetadata "size": 10 for a 4096-byte file)",
     "compute the annotation from the file as written into the layer"},
    {"MPL008", Error, Layer, "entry path is absolute", kGuidanceOnLayers, Safety,
     "an unpacker that honours an absolute entry path writes outside its target directory",
     "a tar entry named /etc/passwd", "store paths relative to the model root"},
    {"MPL009", Error, Layer, "entry path has a \"..\" component", kGuidanceOnLayers, Safety,
     "an unpacker that honours a \"..\" component writes outside its target directory",
     "a tar entry named ../x", "store paths inside the model root without \"..\""},
    {"MPL010", Error, Layer, "symlink or hardlink resolves outside the layer root",
     kGuidanceOnLayers, Safety,
     "a link that leaves the layer root lets later entries or readers reach arbitrary files",
     "a symlink model -> ../../etc", "use links that stay inside the layer, or copy the file"},
    {"MPL011", Error, Layer, "entry is a device, FIFO or socket", kGuidanceOnLayers, Safety,
     "a device node or FIFO in a model gives whoever mounts it access to host devices or "
     "blocks readers",
     "a character device entry /dev/null", "ship regular files, directories and links only"},
    {"MPL012", Error, Layer, "entry has the setuid or setgid bit", kGuidanceOnLayers, Safety,
     "a setuid or setgid file in a mounted model is a privilege escalation",
     "an entry with mode 4755", "clear the setuid/setgid bits (e.g. mode 0755)"},
    {"MPL013", Error, Layer, "layer exceeds the decompression ratio limit", kGuidanceOnLayers,
     Safety, "a layer that inflates far beyond its size exhausts the consumer's disk or memory",
     "232 KiB of gzip inflating to 201 MiB",
     "do not compress incompressible padding; or raise --max-ratio if the ratio is genuine"},
    {"MPL014", Error, Layer, "layer exceeds the entry count limit", kGuidanceOnLayers, Safety,
     "a layer with unbounded entries exhausts the consumer's inodes or time",
     "a tar with more entries than --max-entries",
     "split the files into several layers; or raise --max-entries"},
    {"MPL015", Error, Layer, "layer is not a valid archive of its media type", kGuidanceOnLayers,
     Safety,
     "a layer whose bytes are not an archive of its media type cannot be unpacked, or unpacks "
     "partially",
     "a plain tar under a +gzip media type", "label the layer with its real format, or rewrite it"},

    // Appended: rules from the normative-basis review.
    {"MPA012", Error, Artifact, "config is the empty JSON object under the model config type",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/config.md", "properties"),
     Must, "**descriptor** _object_, REQUIRED",
     R"("config": {"mediaType": "application/vnd.cncf.model.config.v1+json", "digest": "sha256:44136fa3...", "size": 2})",
     "write a model config with descriptor, config and modelfs and point the descriptor at it"},
    {"MPM015", Warning, Manifest, "layer has no org.cncf.model.filepath annotation", kManifestLink,
     Should, kPredefinedKeys, R"(a layer descriptor without "annotations")",
     "annotate each layer with org.cncf.model.filepath: the file or directory it holds"},
    {"MPM016", Warning, Manifest,
     "org.cncf.model.file.metadata+json has a member FileMetadata does not define",
     MP_SPEC("https://github.com/modelpack/model-spec/blob/main/docs/annotations.md",
             "file-metadata-annotation-value"),
     Guidance,
     "FileMetadata represents the metadata of file, which is the value definition of "
     "AnnotationFileMetadata.",
     R"({"name": "a", ..., "sha256": "..."})",
     "keep to name, mode, uid, gid, size, mtime and typeflag"},
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

std::string_view to_string(RuleBasis b) {
  switch (b) {
    case RuleBasis::Schema:
      return "schema";
    case RuleBasis::Must:
      return "must";
    case RuleBasis::Should:
      return "should";
    case RuleBasis::Guidance:
      return "guidance";
    case RuleBasis::Safety:
      return "safety";
  }
  return "unknown";
}

Severity severity_for(RuleBasis b) {
  return b == RuleBasis::Should || b == RuleBasis::Guidance ? Severity::Warning : Severity::Error;
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
