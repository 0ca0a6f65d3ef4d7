#include "mpcheck/conformance/registry_error.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include "mpcheck/conformance/limits.hpp"

namespace mpcheck::conformance {
namespace {

constexpr std::size_t kMaxDetailBytes = 1024;
constexpr std::size_t kMaxErrorsKept = 32;

std::string string_member(const rapidjson::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || !it->value.IsString()) return {};
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

}  // namespace

bool RegistryError::has_code(std::string_view code) const {
  for (const auto& e : errors)
    if (e.code == code) return true;
  return false;
}

std::string RegistryError::describe() const {
  std::string out = message;
  // status_error() already says "registry answered HTTP 401"; name the status once.
  std::string status = "HTTP " + std::to_string(http_status);
  if (http_status != 0 && out.find(status) == std::string::npos) out += " (" + status + ")";
  for (std::size_t i = 0; i < errors.size(); ++i) {
    out += i == 0 ? " [" : ", ";
    out += errors[i].code;
    if (i + 1 == errors.size()) out += "]";
  }
  return out;
}

std::string_view to_string(RegistryError::Kind kind) {
  switch (kind) {
    case RegistryError::Kind::Transport:
      return "transport";
    case RegistryError::Kind::Timeout:
      return "timeout";
    case RegistryError::Kind::Http:
      return "http";
    case RegistryError::Kind::Auth:
      return "auth";
    case RegistryError::Kind::DigestMismatch:
      return "digest-mismatch";
    case RegistryError::Kind::BodyTooLarge:
      return "body-too-large";
    case RegistryError::Kind::Protocol:
      return "protocol";
    case RegistryError::Kind::Unsupported:
      return "unsupported";
    case RegistryError::Kind::Aborted:
      return "aborted";
  }
  return "unknown";
}

std::vector<OciError> parse_oci_errors(std::string_view body) {
  std::vector<OciError> out;
  if (body.size() > limits::kMaxSmallBodyBytes) return out;
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) return out;
  auto errors = doc.FindMember("errors");
  if (errors == doc.MemberEnd() || !errors->value.IsArray()) return out;
  for (const auto& e : errors->value.GetArray()) {
    if (!e.IsObject() || out.size() >= kMaxErrorsKept) continue;
    OciError item{string_member(e, "code"), string_member(e, "message"), {}};
    auto detail = e.FindMember("detail");
    if (detail != e.MemberEnd() && !detail->value.IsNull()) {
      rapidjson::StringBuffer buffer;
      rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
      detail->value.Accept(writer);
      item.detail.assign(buffer.GetString(), std::min(buffer.GetSize(), kMaxDetailBytes));
    }
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace mpcheck::conformance
