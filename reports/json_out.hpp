#pragma once
// A RapidJSON writer that makes every string valid UTF-8 first. Private to reports/.
#include <rapidjson/ostreamwrapper.h>
#include <rapidjson/prettywriter.h>

#include <ostream>
#include <string_view>

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

}  // namespace mpcheck::reports::detail
