#pragma once
// Traceability: every normative statement and schema constraint of the ModelPack spec documents
// (spec.md, config.md, annotations.md, config-schema.json; main and v0.0.7), mapped to the rule
// that checks it and a corpus fixture that triggers that rule, or marked untestable / not
// checked yet. docs/traceability.md is generated from this table (`mpcheck rules --format
// traceability`), and a test checks that every quote still occurs in the document it cites.
#include <span>
#include <string_view>

namespace mpcheck {

struct TraceStatement {
  std::string_view doc;       // spec.md, config.md, annotations.md or config-schema.json
  std::string_view versions;  // "main, v0.0.7", "main" or "v0.0.7"
  std::string_view anchor;    // section anchor in the document
  std::string_view quote;     // verbatim from the document, in every version listed
  // RFC 2119 keyword as written (MUST, MUST NOT, REQUIRED, SHOULD, SHOULD NOT), a lowercase
  // "must", "should", "may" or "recommended" (no RFC 2119 force), "prose", or "schema".
  std::string_view keyword;
  std::string_view rule;     // the checking rule's id; empty when unchecked
  std::string_view fixture;  // a corpus fixture that triggers the rule ("name" or "name:ref")
  // For an unchecked statement: "untestable: why" or "not checked yet: why". Otherwise an
  // optional remark.
  std::string_view note;
  // When a statement weaker than MUST is checked by an error rule: the stronger text that
  // binds the same thing (a schema constraint, an OCI MUST), as "file|quote", where file is
  // relative to the spec snapshot (e.g. modelpack/{version}/config-schema.json).
  std::string_view binding = {};
};

namespace trace_detail {

constexpr std::string_view kBoth = "main, v0.0.7";
constexpr std::string_view kManifest = "oci-image-manifest-specification-for-model-artifacts";
constexpr std::string_view kLayerKeys = "layer-annotation-keys";
constexpr std::string_view kFileMetadata = "file-metadata-annotation-value";
constexpr std::string_view kSchema = "modelpack/{version}/config-schema.json";

// clang-format off
inline constexpr TraceStatement kStatements[] = {
    // spec.md: the image manifest.
    {"spec.md", kBoth, kManifest,
     "The image manifest of model artifacts follows the [OCI Image Manifest Specification][image-manifest]",
     "prose", "MPM001", "manifest-schema-violation", "",
     "oci/image-spec/schema/image-manifest-schema.json|\"description\": \"OpenContainer Image Manifest Specification\""},
    {"spec.md", kBoth, kManifest,
     "This REQUIRED property MUST be `application/vnd.oci.image.manifest.v1+json`",
     "MUST", "MPM002", "manifest-mediatype-docker", ""},
    {"spec.md", kBoth, kManifest,
     "This REQUIRED property MUST be `application/vnd.cncf.model.manifest.v1+json`.",
     "MUST", "MPM003", "manifest-artifacttype-wrong", ""},
    {"spec.md", kBoth, kManifest,
     "This REQUIRED property MUST be `application/vnd.cncf.model.manifest.v1+json`.",
     "MUST", "MPM012", "vnd-cnai-legacy", "the pre-rename vnd.cnai name"},
    {"spec.md", "main", kManifest,
     "This REQUIRED property references a configuration object for an AI/ML model, by digest.",
     "REQUIRED", "MPA007", "config-image-config", ""},
    {"spec.md", "v0.0.7", kManifest,
     "This REQUIRED property references a configuration object for a AI/ML model, by digest.",
     "REQUIRED", "MPA007", "config-image-config", ""},
    {"spec.md", kBoth, kManifest,
     "This REQUIRED property MUST be `application/vnd.cncf.model.config.v1+json`.",
     "MUST", "MPM004", "manifest-config-mediatype-wrong", ""},
    {"spec.md", kBoth, kManifest,
     "Implementations SHOULD support the following media types:",
     "SHOULD", "MPM005", "manifest-layer-mediatype-unknown", ""},
    {"spec.md", kBoth, kManifest,
     "If the model has multiple weight files, they SHOULD be packaged into separate layers.",
     "SHOULD", "MPL005", "tar-two-weight-files", ""},
    {"spec.md", kBoth, kManifest,
     "For metadata specific to models, implementations SHOULD use the predefined annotation keys",
     "SHOULD", "MPM015", "manifest-filepath-missing", "a layer without org.cncf.model.filepath"},
    {"spec.md", kBoth, kManifest,
     "For metadata specific to models, implementations SHOULD use the predefined annotation keys",
     "SHOULD", "MPM013", "vnd-cnai-legacy", "a pre-rename org.cnai key"},

    // spec.md: guidance on layers.
    {"spec.md", "main", "guidance-on-layers",
     "It is recommended to package model weights files without compression",
     "recommended", "", "",
     "not checked yet: no rule reports compressed weight layers (they are valid, only slower)"},
    {"spec.md", "v0.0.7", "guidance-on-layers",
     "It is recommended to package weight files without compression",
     "recommended", "", "",
     "not checked yet: no rule reports compressed weight layers (they are valid, only slower)"},
    {"spec.md", kBoth, "gzip-media-types",
     "payload which has been compressed with [gzip][rfc1952_2]",
     "prose", "MPL015", "layer-compression-mismatch", "safety: a layer that is not gzip cannot be unpacked"},
    {"spec.md", kBoth, "zstd-media-types",
     "payload which has been compressed with the [zstd]",
     "prose", "MPL015", "tar-corrupt",
     "safety: the corpus has the gzip case (layer-compression-mismatch); tar-corrupt is the same rule on a plain tar"},
    {"spec.md", kBoth, "file-attributes",
     "Where supported, MUST include file attributes",
     "MUST", "MPL001", "tar-mode-unset", "mtime and mode; uid and gid are always present in a tar header"},
    {"spec.md", "main", "file-attributes",
     "User Name (`uname`) SHOULD be ignored on platforms that support User ID (`uid`)",
     "SHOULD", "", "", "untestable: describes how a consumer extracts, not the artifact"},
    {"spec.md", "v0.0.7", "file-attributes",
     "User Name (`uname`) should be ignored on platforms that support User ID (`uid`)",
     "should", "", "", "untestable: describes how a consumer extracts, not the artifact"},
    {"spec.md", "main", "file-attributes",
     "Group Name (`gname`) SHOULD be ignored on platforms that support Group ID (`gid`)",
     "SHOULD", "", "", "untestable: describes how a consumer extracts, not the artifact"},
    {"spec.md", "v0.0.7", "file-attributes",
     "Group Name (`gname`) should be ignored on platforms that support Group ID (`gid`)",
     "should", "", "", "untestable: describes how a consumer extracts, not the artifact"},
    {"spec.md", kBoth, "reproducibility",
     "SHOULD adhere to the following guidance:",
     "SHOULD", "MPL003", "tar-nonconstant-mtimes",
     "introduces the three items below (MPL002, MPL003, MPL004)"},
    {"spec.md", "main", "reproducibility",
     "If the archive includes multiple files, files SHOULD be added to the archive in lexicographical order.",
     "SHOULD", "MPL002", "tar-unsorted-entries", ""},
    {"spec.md", "v0.0.7", "reproducibility",
     "If the archive includes multiple files, files should be added to the archive in lexicographical order.",
     "should", "MPL002", "tar-unsorted-entries", ""},
    {"spec.md", "main", "reproducibility",
     "File metadata (such as modification time, owner/group ID) SHOULD be set to known, constant values rather than the current values on disk.",
     "SHOULD", "MPL003", "tar-nonconstant-mtimes", ""},
    {"spec.md", "v0.0.7", "reproducibility",
     "File metadata (such as modification time, owner/group id) should be set to known, constant values rather than the current values on disk.",
     "should", "MPL003", "tar-nonconstant-mtimes", ""},
    {"spec.md", "main", "reproducibility",
     "Platform/implementation specific metadata SHOULD be omitted from the archive.",
     "SHOULD", "MPL004", "tar-xattr-pax", ""},
    {"spec.md", "v0.0.7", "reproducibility",
     "Platform/implementation specific metadata should be omitted from the archive.",
     "should", "MPL004", "tar-appledouble", ""},

    // config.md.
    {"config.md", kBoth, "terminology",
     "A layer DiffID is the hash of the layer's uncompressed tar archive.",
     "prose", "MPA009", "diffid-mismatch", "safety: a wrong diffId makes the layer unverifiable"},
    {"config.md", kBoth, "properties",
     "**descriptor** _object_, REQUIRED",
     "REQUIRED", "MPC001", "config-descriptor-missing", "a config with no member at all is MPA012"},
    {"config.md", kBoth, "properties",
     "**config** _object_, REQUIRED",
     "REQUIRED", "MPA012", "config-empty-object", "the well-known empty JSON blob {} as the config"},
    {"config.md", kBoth, "properties",
     "**modelfs** _object_, REQUIRED",
     "REQUIRED", "MPC001", "config-schema-violation", ""},
    {"config.md", kBoth, "properties",
     "**type** _string_, REQUIRED",
     "REQUIRED", "MPC001", "config-schema-violation", ""},
    {"config.md", kBoth, "properties",
     "Must be set to \"layers\".",
     "must", "MPC001", "config-schema-violation", "",
     "modelpack/{version}/config-schema.json|\"enum\": [\"layers\"]"},
    {"config.md", kBoth, "properties",
     "**diffIds** _array of strings_, REQUIRED",
     "REQUIRED", "MPC001", "config-schema-violation", ""},
    {"config.md", kBoth, "properties",
     "An array of layer content hashes (`DiffIDs`), in order from first to last.",
     "prose", "MPA008", "diffid-count-mismatch", "safety: diffIds that do not pair with layers verify nothing"},
    {"config.md", kBoth, "properties",
     "An array of layer content hashes (`DiffIDs`), in order from first to last.",
     "prose", "MPC007", "config-diffid-malformed", "a layer content hash is an OCI digest",
     "oci/image-spec/descriptor.md|A digest string MUST match the following [grammar](considerations.md#ebnf):"},
    {"config.md", kBoth, "properties",
     "formatted as defined by [RFC 3339, section 5.6][rfc3339-s5.6].",
     "prose", "MPC006", "config-createdat-not-rfc3339", "createdAt and knowledgeCutoff",
     "modelpack/{version}/config-schema.json|\"format\": \"date-time\""},
    {"config.md", kBoth, "properties",
     "represented as [SPDX License Expressions][spdx-license-expression].",
     "prose", "MPC005", "config-license-not-spdx", ""},
    {"config.md", kBoth, "properties",
     "in the format of `<count><scale-prefix>`",
     "prose", "MPC002", "config-paramsize-two-decimals", ""},
    {"config.md", kBoth, "properties",
     "This value may include up to one digit after the decimal point to allow for partial scaling precision.",
     "may", "MPC002", "config-paramsize-two-decimals", ""},
    {"config.md", kBoth, "properties",
     "The prefix is case-insensitive and must be one of the following:",
     "must", "MPC002", "config-paramsize-two-decimals", "lowercase: no RFC 2119 force"},
    {"config.md", kBoth, "properties",
     "If multiple precisions are used, they should be separated by commas.",
     "should", "MPC003", "config-precision-unknown", ""},
    {"config.md", "main", "properties",
     "The allowed values are: \"text\", \"image\", \"audio\", \"video\", or \"embedding\".",
     "prose", "MPC001", "config-schema-violation", "inputTypes and outputTypes",
     "modelpack/{version}/config-schema.json|\"enum\": [\"text\", \"image\", \"audio\", \"video\", \"embedding\", \"other\"]"},
    {"config.md", "main", "properties",
     "For input types that are not explicitly defined, the value \"other\" value should be used.",
     "should", "", "", "untestable: whether a model's input type is one the spec lists is not visible in the config"},
    {"config.md", "main", "properties",
     "For output types that are not explicitly defined, the value \"other\" value should be used.",
     "should", "", "", "untestable: whether a model's output type is one the spec lists is not visible in the config"},
    {"config.md", "main", "properties",
     "Encoded as [ISO 639][iso-639] two letter codes.",
     "prose", "MPC004", "config-language-not-iso639", "the two-letter form itself is the schema's pattern (MPC001)"},
    {"config.md", kBoth, "properties",
     "A URL to get more information or details about the model.",
     "prose", "MPC008", "config-url-not-url", "docURL; sourceURL and datasetsURL alike"},

    // config-schema.json.
    {"config-schema.json", kBoth, "", "\"additionalProperties\": false",
     "schema", "MPC001", "config-unknown-field", ""},
    {"config-schema.json", kBoth, "", "\"required\": [",
     "schema", "MPC001", "config-schema-violation", "descriptor, config, modelfs; modelfs.type, modelfs.diffIds"},
    {"config-schema.json", kBoth, "", "\"enum\": [\"layers\"]",
     "schema", "MPC001", "config-schema-violation", ""},
    {"config-schema.json", kBoth, "", "\"minItems\": 1",
     "schema", "MPC001", "config-schema-violation", "modelfs.diffIds"},
    {"config-schema.json", kBoth, "", "\"minLength\": 1",
     "schema", "MPC001", "config-schema-violation", "descriptor.name"},
    {"config-schema.json", kBoth, "", "\"format\": \"date-time\"",
     "schema", "MPC006", "config-createdat-not-rfc3339", "createdAt, knowledgeCutoff"},
    {"config-schema.json", kBoth, "",
     "\"enum\": [\"text\", \"image\", \"audio\", \"video\", \"embedding\", \"other\"]",
     "schema", "MPC001", "config-schema-violation", "inputTypes, outputTypes"},
    {"config-schema.json", "main", "", "\"pattern\": \"^[a-z]{2}$\"",
     "schema", "MPC001", "config-schema-violation", "capabilities.languages"},
    {"config-schema.json", kBoth, "", "\"type\": \"object\"",
     "schema", "MPC001", "config-schema-violation", "member types"},
    {"config-schema.json", kBoth, "", "\"type\": \"string\"",
     "schema", "MPC001", "config-schema-violation", "member types"},
    {"config-schema.json", kBoth, "", "\"type\": \"array\"",
     "schema", "MPC001", "config-schema-violation", "member types"},
    {"config-schema.json", kBoth, "", "\"type\": \"boolean\"",
     "schema", "MPC001", "config-schema-violation", "member types"},

    // annotations.md.
    {"annotations.md", kBoth, "annotations",
     "This property contains arbitrary metadata, and SHOULD follow the rules of [OCI image annotations]",
     "SHOULD", "MPM008", "manifest-annotation-not-string", "",
     "oci/image-spec/descriptor.md|This OPTIONAL property MUST use the [annotation rules](annotations.md#rules)."},
    {"annotations.md", kBoth, kLayerKeys,
     "**`org.cncf.model.filepath`**: Specifies the file path of the layer (string).",
     "prose", "MPM009", "manifest-filepath-dotdot", "safety: an escaping path"},
    {"annotations.md", kBoth, kLayerKeys,
     "**`org.cncf.model.filepath`**: Specifies the file path of the layer (string).",
     "prose", "MPL006", "layer-filepath-no-entry", "a path the layer does not hold"},
    {"annotations.md", kBoth, kLayerKeys,
     "value is the JSON string of [File Metadata Annotation Value](#File-Metadata-Annotation-Value)",
     "prose", "MPM010", "manifest-file-metadata-invalid", "the value's type is the spec's FileMetadata",
     "modelpack/{version}/annotations.md|type FileMetadata struct {"},
    {"annotations.md", kBoth, kLayerKeys,
     "Specifies the metadata of the file (string)",
     "prose", "MPL007", "layer-file-metadata-mismatch", ""},
    {"annotations.md", kBoth, kFileMetadata,
     "FileMetadata represents the metadata of file, which is the value definition of AnnotationFileMetadata.",
     "prose", "MPM016", "manifest-file-metadata-extra-member", ""},
    {"annotations.md", kBoth, kLayerKeys,
     "Valid values are `\"true\"` or `\"false\"`.",
     "prose", "MPM011", "manifest-untested-not-boolean", ""},
    {"annotations.md", kBoth, kLayerKeys,
     "When set to `\"true\"`, it signals that the model packager has not verified the media type classification",
     "prose", "", "", "untestable: describes what the packager did, which the artifact does not show"},
};
// clang-format on

}  // namespace trace_detail

inline std::span<const TraceStatement> trace_statements() {
  return trace_detail::kStatements;
}

}  // namespace mpcheck
