// Content discovery: tag listing with Link pagination, referrers API and its tag-schema
// fallback (distribution-spec "Listing Tags", "Listing Referrers").
#include <rapidjson/document.h>

#include <set>

#include "client_impl.hpp"

namespace mpcheck::conformance {

constexpr std::string_view kIndexMediaType = "application/vnd.oci.image.index.v1+json";

std::string referrers_tag(std::string_view digest) {
  std::string tag(digest);
  if (std::size_t colon = tag.find(':'); colon != std::string::npos) tag[colon] = '-';
  return tag.substr(0, 128);  // tags are at most 128 characters
}

Result<TagList> RegistryClient::list_tags(std::string_view repo,
                                          std::optional<std::uint32_t> page_size) {
  if (auto e = bad_repository(repo)) return std::unexpected(*e);
  std::string url = impl_->url("/v2/" + repo_path(repo) + "/tags/list");
  if (page_size) url += "?n=" + std::to_string(*page_size);
  const std::string what = "GET tags of " + std::string(repo);
  auto protocol = [&](std::string message) {
    return std::unexpected(
        RegistryError{RegistryError::Kind::Protocol, 200, {}, what + ": " + message});
  };
  TagList list;
  std::set<std::string> seen;  // pages fetched: a Link back to one of them is a loop
  while (true) {
    if (list.pages >= limits::kMaxTagPages)
      return protocol("the listing goes on beyond " + std::to_string(limits::kMaxTagPages) +
                      " pages (limits::kMaxTagPages)");
    seen.insert(url);
    ClientRequest request;
    request.http.url = url;
    request.scope = pull_scope(repo);
    auto response = impl_->send(request);
    if (!response) return std::unexpected(response.error());
    if (response->status != 200) return std::unexpected(status_error(*response, what));
    ++list.pages;
    rapidjson::Document doc;
    doc.Parse(response->body.data(), response->body.size());
    if (doc.HasParseError() || !doc.IsObject())
      return std::unexpected(
          RegistryError{RegistryError::Kind::Protocol, 200, {}, "tag list is not a JSON object"});
    auto tags = doc.FindMember("tags");
    if (tags != doc.MemberEnd() && tags->value.IsArray()) {  // null when there are none
      for (const auto& tag : tags->value.GetArray()) {
        if (!tag.IsString()) continue;
        if (list.tags.size() >= limits::kMaxTags)
          return protocol("the listing has more than " + std::to_string(limits::kMaxTags) +
                          " tags (limits::kMaxTags)");
        list.tags.emplace_back(tag.GetString(), tag.GetStringLength());
      }
    }
    auto link = header_value(response->headers, "Link");
    auto next = link ? parse_link_next(*link) : std::nullopt;
    if (!next) return list;
    auto resolved = impl_->resolve(url, *next);
    if (!resolved) return std::unexpected(resolved.error());
    if (seen.contains(*resolved))
      return protocol("the Link header of page " + std::to_string(list.pages) +
                      " points back to a page already fetched (" + redact_url(*resolved) +
                      "): the pagination loops");
    url = *resolved;
  }
}

Result<Referrers> RegistryClient::get_referrers(std::string_view repo, std::string_view digest,
                                                std::optional<std::string_view> artifact_type) {
  if (auto e = bad_repository(repo)) return std::unexpected(*e);
  if (auto e = bad_digest(digest)) return std::unexpected(*e);
  ClientRequest request;
  request.http.url = impl_->url("/v2/" + repo_path(repo) + "/referrers/" + reference_path(digest));
  if (artifact_type) request.http.url += "?artifactType=" + query_escape(*artifact_type);
  request.http.headers.emplace_back("Accept", std::string(kIndexMediaType));
  request.scope = pull_scope(repo);
  auto response = impl_->send(request);
  if (!response) return std::unexpected(response.error());
  Referrers referrers;
  if (response->status == 404) return referrers;  // spec: the API is not supported
  if (response->status != 200)
    return std::unexpected(status_error(*response, "GET referrers of " + std::string(digest)));
  referrers.supported = true;
  referrers.index_bytes = std::move(response->body);
  referrers.content_type = header_value(response->headers, "Content-Type").value_or("");
  auto filters = header_value(response->headers, "OCI-Filters-Applied").value_or("");
  referrers.filter_applied = filters.find("artifactType") != std::string::npos;
  return referrers;
}

Result<std::optional<Manifest>> RegistryClient::get_referrers_by_tag(std::string_view repo,
                                                                     std::string_view digest) {
  if (auto e = bad_digest(digest)) return std::unexpected(*e);
  auto manifest = get_manifest(repo, referrers_tag(digest), {std::string(kIndexMediaType)});
  if (!manifest) {
    if (manifest.error().http_status == 404) return std::optional<Manifest>();
    return std::unexpected(manifest.error());
  }
  return std::optional<Manifest>(std::move(*manifest));
}

}  // namespace mpcheck::conformance
