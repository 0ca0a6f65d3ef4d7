#include "mpcheck/schema/schema_set.hpp"

#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

using mpcheck::schema::SchemaId;
using mpcheck::schema::validate;

namespace {

rapidjson::Document parse(const char* text) {
  rapidjson::Document d;
  d.Parse(text);
  EXPECT_FALSE(d.HasParseError()) << text;
  return d;
}

constexpr const char* kManifest = R"({
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.manifest.v1+json",
  "artifactType": "application/vnd.cncf.model.manifest.v1+json",
  "config": {"mediaType": "application/vnd.cncf.model.config.v1+json",
             "digest": "sha256:d5815835051dd97d800a03f641ed8162877920e734d3d705b698912602b8c763",
             "size": 301},
  "layers": [{"mediaType": "application/vnd.cncf.model.weight.v1.tar",
              "digest": "sha256:3f907c1a03bf20f20355fe449e18ff3f9de2e49570ffb536f1a32f20c7179808",
              "size": 5018536960, "annotations": {"a": "b"}}]
})";

}  // namespace

TEST(SchemaSet, EveryVendoredFileIsEmbedded) {
  for (const char* f :
       {"modelpack/main/config-schema.json", "modelpack/v0.0.7/config-schema.json",
        "oci/content-descriptor.json", "oci/defs-descriptor.json", "oci/defs.json",
        "oci/image-index-schema.json", "oci/image-layout-schema.json",
        "oci/image-manifest-schema.json"})
    EXPECT_FALSE(mpcheck::schema::vendored_file(f).empty()) << f;
}

// valijson 1.0 would resolve "defs-descriptor.json" against the id ".../image/manifest" by
// concatenation; the loader must resolve every relative $ref to the vendored sibling instead.
TEST(SchemaSet, ManifestReferencesResolveToVendoredSiblings) {
  auto files = mpcheck::schema::files_of(SchemaId::ImageManifest);
  std::sort(files.begin() + 1, files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"oci/image-manifest-schema.json",
                                             "oci/content-descriptor.json",
                                             "oci/defs-descriptor.json", "oci/defs.json"}));
}

TEST(SchemaSet, IndexReferencesResolve) {
  auto files = mpcheck::schema::files_of(SchemaId::ImageIndex);
  EXPECT_NE(std::find(files.begin(), files.end(), "oci/defs.json"), files.end());
  auto ok = parse(R"({"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",
    "digest":"sha256:3f907c1a03bf20f20355fe449e18ff3f9de2e49570ffb536f1a32f20c7179808","size":1}]})");
  EXPECT_TRUE(validate(SchemaId::ImageIndex, ok).empty());
  auto bad = parse(R"({"schemaVersion":2,"manifests":[{"mediaType":"x","digest":"nope","size":-1}]})");
  std::vector<std::string> pointers;
  for (const auto& v : validate(SchemaId::ImageIndex, bad)) pointers.push_back(v.pointer);
  std::sort(pointers.begin(), pointers.end());
  EXPECT_EQ(pointers, (std::vector<std::string>{"/manifests/0/digest", "/manifests/0/mediaType"}));
}

TEST(SchemaSet, ValidManifestPassesIncludingSizesAbove2To53) {
  auto d = parse(kManifest);
  auto v = validate(SchemaId::ImageManifest, d);
  for (const auto& x : v) ADD_FAILURE() << x.pointer << ": " << x.message;
}

TEST(SchemaSet, PatternFromDefsDescriptorApplies) {
  std::string text = kManifest;
  text.replace(text.find("sha256:d58"), 10, "SHA256:d58");
  auto d = parse(text.c_str());
  auto v = validate(SchemaId::ImageManifest, d);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].pointer, "/config/digest");
  EXPECT_NE(v[0].message.find("\"SHA256:d58"), std::string::npos) << v[0].message;
}

TEST(SchemaSet, MapStringStringFromDefsApplies) {
  std::string text = kManifest;
  text.replace(text.find("{\"a\": \"b\"}"), 10, "{\"a\": 5}");
  auto d = parse(text.c_str());
  auto v = validate(SchemaId::ImageManifest, d);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].pointer, "/layers/0/annotations/a");
  EXPECT_EQ(v[0].message, "expected string, found integer 5");
}

TEST(SchemaSet, ConfigSchemaReportsRootCausesOnly) {
  auto d = parse(R"({"descriptor":{"name":"x","bogus":1,"other":2},"config":{},
                    "modelfs":{"type":"layer","diffIds":[]}})");
  auto v = validate(SchemaId::ModelConfigMain, d);
  std::vector<std::string> pointers;
  for (const auto& x : v) pointers.push_back(x.pointer);
  std::sort(pointers.begin(), pointers.end());
  EXPECT_EQ(pointers, (std::vector<std::string>{"/descriptor/bogus", "/descriptor/other",
                                                "/modelfs/diffIds", "/modelfs/type"}));
  for (const auto& x : v) EXPECT_EQ(x.message.find("Failed to validate"), std::string::npos);
}

TEST(SchemaSet, V007SchemaRejectsFieldsAddedLater) {
  auto d = parse(R"({"descriptor":{"datasetsURL":["https://x.org"]},"config":{},
                    "modelfs":{"type":"layers","diffIds":["sha256:00"]}})");
  EXPECT_TRUE(validate(SchemaId::ModelConfigMain, d).empty());
  auto v = validate(SchemaId::ModelConfigV0_0_7, d);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].pointer, "/descriptor/datasetsURL");
}

// libstdc++'s std::regex recurses once per character: a pattern run on a ~50,000 character
// string overflowed the stack (SIGSEGV). Longer strings never reach it and are violations.
namespace {

std::string manifest_with(const std::string& config_digest, const std::string& annotation_key) {
  rapidjson::Document d = parse(kManifest);
  auto& a = d.GetAllocator();
  d["config"]["digest"].SetString(config_digest.c_str(),
                                  static_cast<rapidjson::SizeType>(config_digest.size()), a);
  if (!annotation_key.empty()) {
    rapidjson::Value key(annotation_key.c_str(),
                         static_cast<rapidjson::SizeType>(annotation_key.size()), a);
    d["layers"][0]["annotations"].AddMember(key, rapidjson::Value("v", a), a);
  }
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  d.Accept(w);
  return buf.GetString();
}

const std::string kLongDigest = "sha256:" + std::string(200000, 'a');

}  // namespace

TEST(SchemaSet, OverlongPatternValueIsAViolationNotACrash) {
  auto text = manifest_with(kLongDigest, "");
  auto doc = parse(text.c_str());
  auto v = validate(SchemaId::ImageManifest, doc);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].pointer, "/config/digest");
  EXPECT_NE(v[0].message.find("is 200007 bytes long, longer than the 4096 bytes mpcheck checks "
                              "against the schema pattern"),
            std::string::npos)
      << v[0].message;
  EXPECT_LT(v[0].message.size(), 300u);  // the value is shown clipped
}

TEST(SchemaSet, ValueAtTheBoundIsStillMatched) {
  std::string at_bound =
      "sha256:" + std::string(mpcheck::schema::kMaxPatternCheckedLength - 7, 'a');
  auto ok = parse(manifest_with(at_bound, "").c_str());
  EXPECT_TRUE(validate(SchemaId::ImageManifest, ok).empty());
  std::string bad =
      "sha256:" + std::string(mpcheck::schema::kMaxPatternCheckedLength - 8, 'a') + "!";
  auto v = validate(SchemaId::ImageManifest, parse(manifest_with(bad, "").c_str()));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(v[0].message.find("does not have the required form"), std::string::npos);
}

TEST(SchemaSet, OverlongAnnotationKeyIsAViolationNotACrash) {
  std::string key(100000, 'k');
  auto doc = parse(
      manifest_with("sha256:d5815835051dd97d800a03f641ed8162877920e734d3d705b698912602b8c763", key)
          .c_str());
  auto v = validate(SchemaId::ImageManifest, doc);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].pointer, "/layers/0/annotations/" + key);
  EXPECT_NE(v[0].message.find("member name of 100000 bytes is longer than the 4096 bytes"),
            std::string::npos)
      << v[0].message.substr(0, 200);
}

TEST(SchemaSet, OverlongIndexEntryDigestIsAViolationNotACrash) {
  std::string text =
      R"({"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" +
      kLongDigest + R"(","size":1}]})";
  auto v = validate(SchemaId::ImageIndex, parse(text.c_str()));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].pointer, "/manifests/0/digest");
  EXPECT_NE(v[0].message.find("longer than the 4096 bytes"), std::string::npos);
}

// Every violation is reported once, without a scan of the earlier ones per violation.
TEST(SchemaSet, ManyViolationsAreEachReportedOnce) {
  std::string text = R"({"schemaVersion":2,"manifests":[)";
  for (int i = 0; i < 20000; ++i)
    text += std::string(i ? "," : "") + R"({"mediaType":"x","digest":"nope","size":1})";
  text += "]}";
  auto v = validate(SchemaId::ImageIndex, parse(text.c_str()));
  EXPECT_EQ(v.size(), 40000u);  // the mediaType and the digest of each entry
}

// A real member name shaped like the internal stand-in for an overlong one is just a name.
TEST(SchemaSet, NameLikeThePlaceholderOfAnOverlongNameIsHarmless) {
  std::string text =
      manifest_with("sha256:d5815835051dd97d800a03f641ed8162877920e734d3d705b698912602b8c763",
                    std::string(5000, 'k'));
  text.insert(text.rfind('}'),
              R"(,"annotations":{"\u0001mpcheck-overlong-x":"a","\u0001mpcheck-overlong-99":"b"})");
  auto v = validate(SchemaId::ImageManifest, parse(text.c_str()));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].pointer, "/layers/0/annotations/" + std::string(5000, 'k'));
}
