#pragma once
// Private to validator/: what the config and manifest checkers share.
#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <vector>

#include "mpcheck/validator/diagnostic.hpp"
#include "mpcheck/validator/rule_catalog.hpp"

namespace mpcheck {

struct DocumentChecker {
  const rapidjson::Value& root;
  std::string_view spec;  // spec version, for the rule links
  std::vector<Diagnostic> out;

  void add(std::string_view rule, std::string msg, std::string pointer) {
    out.push_back(make_diagnostic(rule, std::move(msg), std::move(pointer), spec));
  }

  // The member `name` of `obj`, or null when `obj` is not an object or lacks it.
  static const rapidjson::Value* member(const rapidjson::Value* obj, const char* name) {
    if (!obj || !obj->IsObject()) return nullptr;
    auto it = obj->FindMember(name);
    return it == obj->MemberEnd() ? nullptr : &it->value;
  }

  static std::string_view as_view(const rapidjson::Value& v) {
    return {v.GetString(), v.GetStringLength()};
  }
};

}  // namespace mpcheck
