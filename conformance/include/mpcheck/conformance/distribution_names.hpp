#pragma once
// The distribution-spec grammar of repository names, tags and digests, checked before a name
// goes into a URL path (a "../" segment would leave /v2/). One place for the CLI, the
// reference parser and the registry client.
#include <expected>
#include <string>
#include <string_view>

namespace mpcheck::conformance {

// [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*
std::expected<void, std::string> check_repository_name(std::string_view name);
// [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}
std::expected<void, std::string> check_tag(std::string_view tag);
// algorithm ":" encoded (OCI image-spec descriptor.md); sha256 and sha512 with their lengths.
std::expected<void, std::string> check_digest(std::string_view digest);
// A manifest reference: a digest when it contains ':', else a tag.
std::expected<void, std::string> check_reference(std::string_view reference);

}  // namespace mpcheck::conformance
