#include "mpcheck/validator/media_types.hpp"

#include <algorithm>

namespace mpcheck {
namespace {

using enum LayerContent;
using enum LayerFormat;

constexpr LayerMediaType kLayerTypes[] = {
    {"application/vnd.cncf.model.weight.v1.raw", Weight, Raw},
    {"application/vnd.cncf.model.weight.v1.tar", Weight, Tar},
    {"application/vnd.cncf.model.weight.v1.tar+gzip", Weight, TarGzip},
    {"application/vnd.cncf.model.weight.v1.tar+zstd", Weight, TarZstd},
    {"application/vnd.cncf.model.weight.config.v1.raw", WeightConfig, Raw},
    {"application/vnd.cncf.model.weight.config.v1.tar", WeightConfig, Tar},
    {"application/vnd.cncf.model.weight.config.v1.tar+gzip", WeightConfig, TarGzip},
    {"application/vnd.cncf.model.weight.config.v1.tar+zstd", WeightConfig, TarZstd},
    {"application/vnd.cncf.model.doc.v1.raw", Doc, Raw},
    {"application/vnd.cncf.model.doc.v1.tar", Doc, Tar},
    {"application/vnd.cncf.model.doc.v1.tar+gzip", Doc, TarGzip},
    {"application/vnd.cncf.model.doc.v1.tar+zstd", Doc, TarZstd},
    {"application/vnd.cncf.model.code.v1.raw", Code, Raw},
    {"application/vnd.cncf.model.code.v1.tar", Code, Tar},
    {"application/vnd.cncf.model.code.v1.tar+gzip", Code, TarGzip},
    {"application/vnd.cncf.model.code.v1.tar+zstd", Code, TarZstd},
    {"application/vnd.cncf.model.dataset.v1.raw", Dataset, Raw},
    {"application/vnd.cncf.model.dataset.v1.tar", Dataset, Tar},
    {"application/vnd.cncf.model.dataset.v1.tar+gzip", Dataset, TarGzip},
    {"application/vnd.cncf.model.dataset.v1.tar+zstd", Dataset, TarZstd},
};

}  // namespace

std::span<const LayerMediaType> layer_media_types() { return kLayerTypes; }

const LayerMediaType* find_layer_media_type(std::string_view media_type) {
  auto it = std::find_if(std::begin(kLayerTypes), std::end(kLayerTypes),
                         [&](const LayerMediaType& t) { return t.name == media_type; });
  return it == std::end(kLayerTypes) ? nullptr : &*it;
}

std::optional<std::string> cncf_replacement(std::string_view legacy) {
  // Renamed before v0.0.7 (model-spec commit 859889f).
  for (auto [old_prefix, new_prefix] :
       {std::pair<std::string_view, std::string_view>{"application/vnd.cnai.model.",
                                                      "application/vnd.cncf.model."},
        {"org.cnai.model.", "org.cncf.model."}}) {
    if (legacy.starts_with(old_prefix))
      return std::string(new_prefix) + std::string(legacy.substr(old_prefix.size()));
  }
  return std::nullopt;
}

}  // namespace mpcheck
