#pragma once
// A RapidJSON writer that makes every string valid UTF-8 first. Private to reports/.
#include <rapidjson/ostreamwrapper.h>
#include <rapidjson/prettywriter.h>

#include <ostream>
#include <string_view>

#include "mpcheck/reports/model.hpp"
#include "text_safety.hpp"

namespace mpcheck::reports::detail {

class JsonOut {
 public:
  explicit JsonOut(std::ostream& out) : os_(out), w_(os_) { w_.SetIndent(' ', 2); }
  JsonOut& key(std::string_view k) {
    w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
    return *this;
  }
  void str(std::string_view s) {
    std::string safe = json_text(s);
    w_.String(safe.data(), static_cast<rapidjson::SizeType>(safe.size()));
  }
  void member(std::string_view k, std::string_view v) { key(k).str(v); }
  rapidjson::PrettyWriter<rapidjson::OStreamWrapper>& raw() { return w_; }

 private:
  rapidjson::OStreamWrapper os_;
  rapidjson::PrettyWriter<rapidjson::OStreamWrapper> w_;
};

// Where inside an artifact a finding was made, the members every JSON writer (--format json,
// results.json, SARIF properties) gives it: manifest, layer, layerDigest, entry, blob, file.
inline bool has_where(const Finding& f) {
  return !f.manifest_digest.empty() || f.layer_index || !f.layer_digest.empty() ||
         !f.entry.empty() || !f.blob.empty() || !f.file.empty();
}

inline void write_where(JsonOut& j, const Finding& f) {
  if (!f.manifest_digest.empty()) j.member("manifest", f.manifest_digest);
  if (f.layer_index) {
    j.key("layer");
    j.raw().Uint64(*f.layer_index);
  }
  if (!f.layer_digest.empty()) j.member("layerDigest", f.layer_digest);
  if (!f.entry.empty()) j.member("entry", f.entry);
  if (!f.blob.empty()) j.member("blob", f.blob);
  if (!f.file.empty()) j.member("file", f.file);
}

}  // namespace mpcheck::reports::detail
