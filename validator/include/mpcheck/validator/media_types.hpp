#pragma once
// The media types and annotation keys of the ModelPack spec (docs/spec.md, docs/annotations.md).
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace mpcheck {

inline constexpr std::string_view kOciManifestMediaType = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kOciIndexMediaType = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view kModelManifestArtifactType =
    "application/vnd.cncf.model.manifest.v1+json";
inline constexpr std::string_view kModelConfigMediaType = "application/vnd.cncf.model.config.v1+json";

// The digest of the two bytes "{}", the image-spec's well-known empty JSON descriptor.
inline constexpr std::string_view kEmptyJsonDigest =
    "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

inline constexpr std::string_view kAnnotationFilepath = "org.cncf.model.filepath";
inline constexpr std::string_view kAnnotationFileMetadata = "org.cncf.model.file.metadata+json";
inline constexpr std::string_view kAnnotationMediaTypeUntested =
    "org.cncf.model.file.mediatype.untested";

enum class LayerContent { Weight, WeightConfig, Doc, Code, Dataset };
enum class LayerFormat { Raw, Tar, TarGzip, TarZstd };

struct LayerMediaType {
  std::string_view name;
  LayerContent content;
  LayerFormat format;
};

// The 20 layer media types the spec lists, in its order.
std::span<const LayerMediaType> layer_media_types();
const LayerMediaType* find_layer_media_type(std::string_view media_type);

// For a pre-rename name (application/vnd.cnai.model.* or org.cnai.model.*), the current
// cncf name; nothing for any other string.
std::optional<std::string> cncf_replacement(std::string_view legacy_name);

}  // namespace mpcheck
