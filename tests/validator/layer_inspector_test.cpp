// inspect_layer: one pass gives the blob digest, the diffID and the entry findings.
#include "mpcheck/validator/layer_inspector.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <clocale>

#include "layout_builder.hpp"

namespace mpcheck {
namespace {
using namespace test;

struct Inspected {
  LayerReport report;
  std::string blob_digest, diff_id;
  std::size_t consumed = 0, blob_size = 0;
};

Inspected inspect(const Layer& layer, LayerLimits limits = {}, std::size_t piece = 777) {
  LayerInput in;
  in.media_type = find_layer_media_type(layer.media_type);
  in.blob_size = layer.blob.size();
  if (auto it = layer.annotations.find("org.cncf.model.filepath"); it != layer.annotations.end())
    in.filepath = it->second;
  if (auto it = layer.annotations.find("org.cncf.model.file.metadata+json");
      it != layer.annotations.end())
    in.file_metadata = it->second;
  MemoryStream s(layer.blob, piece);
  Inspected r{inspect_layer(s, in, limits), sha256_of(layer.blob), layer.diff_id, 0,
              layer.blob.size()};
  r.consumed = s.consumed();
  return r;
}

std::string messages(const LayerReport& r) {
  std::string all;
  for (auto& d : r.diagnostics) all += d.rule + ": " + d.message + "\n";
  return all;
}

std::vector<std::string> rules(const LayerReport& r) {
  std::vector<std::string> ids;
  for (auto& d : r.diagnostics) ids.push_back(d.rule);
  return ids;
}

bool has_rule(const LayerReport& r, std::string_view id) {
  auto ids = rules(r);
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

const Diagnostic* find(const LayerReport& r, std::string_view id) {
  for (auto& d : r.diagnostics)
    if (d.rule == id) return &d;
  return nullptr;
}

std::vector<TarEntry> clean_entries() {
  return {{.name = "config.json", .content = "{}"},
          {.name = "docs", .mode = 0755, .type = AE_IFDIR},
          {.name = "docs/README.md", .content = "# tiny\n"},
          {.name = "docs/link", .type = AE_IFLNK, .symlink = "README.md"}};
}

class EveryCompression : public ::testing::TestWithParam<Compression> {};

TEST_P(EveryCompression, CleanLayerHasNoFindingsAndRightDigests) {
  auto layer = tar_layer("weight.config", clean_entries(), GetParam());
  auto r = inspect(layer);
  EXPECT_TRUE(r.report.diagnostics.empty()) << messages(r.report);
  EXPECT_EQ(r.report.blob_digest, r.blob_digest);
  EXPECT_EQ(r.report.diff_id, r.diff_id);
  EXPECT_EQ(r.report.entries, 4u);
  EXPECT_EQ(r.consumed, r.blob_size);
}

INSTANTIATE_TEST_SUITE_P(Formats, EveryCompression,
                         ::testing::Values(Compression::None, Compression::Gzip,
                                           Compression::Zstd));

TEST(LayerInspector, RawLayerDiffIdIsBlobDigest) {
  auto layer = raw_layer("weight", std::string(5000, 'w'));
  auto r = inspect(layer);
  EXPECT_TRUE(r.report.diagnostics.empty());
  EXPECT_EQ(r.report.diff_id, r.blob_digest);
  EXPECT_EQ(r.report.entries, 0u);
}

TEST(LayerInspector, BlobIsHashedToTheEndEvenWhenTarEndsEarly) {
  auto layer = tar_layer("doc", {{.name = "a.md", .content = "a"}}, Compression::Gzip);
  layer.blob += compress(std::string(4096, '\0'), Compression::Gzip);  // trailing gzip member
  auto r = inspect(layer);
  EXPECT_EQ(r.consumed, layer.blob.size());
  EXPECT_EQ(r.report.blob_digest, sha256_of(layer.blob));
}

TEST(LayerInspector, MissingModeIsMPL001) {
  auto r = inspect(tar_layer("doc", {{.name = "a.md", .content = "a", .mode = 0}}));
  const Diagnostic* d = find(r.report, "MPL001");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->where.entry, "a.md");
  EXPECT_EQ(d->severity, Severity::Error);
}

TEST(LayerInspector, UnorderedEntriesAreMPL002) {
  auto r = inspect(
      tar_layer("doc", {{.name = "b.md", .content = "b"}, {.name = "a.md", .content = "a"}}));
  const Diagnostic* d = find(r.report, "MPL002");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->where.entry, "a.md");
  EXPECT_EQ(d->severity, Severity::Warning);
  EXPECT_FALSE(has_rule(inspect(tar_layer("doc", clean_entries())).report, "MPL002"));
}

TEST(LayerInspector, DifferingMtimeAndUidAreMPL003) {
  auto r = inspect(tar_layer("doc", {{.name = "a.md", .content = "a"},
                                     {.name = "b.md", .content = "b", .mtime = 1, .uid = 1000}}));
  auto ids = rules(r.report);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "MPL003"), 2);
  EXPECT_EQ(find(r.report, "MPL003")->where.entry, "b.md");
}

TEST(LayerInspector, PlatformMetadataIsMPL004) {
  auto xattr = inspect(
      tar_layer("doc", {{.name = "a.md", .content = "a", .xattrs = {{"user.origin", "mac"}}}}));
  ASSERT_TRUE(has_rule(xattr.report, "MPL004"));
  EXPECT_NE(find(xattr.report, "MPL004")->message.find("extended attribute"), std::string::npos);
  // libarchive writes the xattr as vendor pax records; the tap sees them as written.
  EXPECT_NE(find(xattr.report, "MPL004")->message.find("SCHILY.xattr.user.origin"),
            std::string::npos)
      << find(xattr.report, "MPL004")->message;
  auto apple = inspect(tar_layer("doc", {{.name = "._a.md", .content = "x"}}));
  EXPECT_TRUE(has_rule(apple.report, "MPL004"));
  auto atime = inspect(tar_layer("doc", {{.name = "a.md", .content = "a", .atime = true}}));
  EXPECT_TRUE(has_rule(atime.report, "MPL004"));
}

// Hand-written tar blocks, for pax records libarchive's writer never emits.
std::string ustar_header(const std::string& name, std::uint64_t size, char type) {
  std::string h(512, '\0');
  auto put = [&](std::size_t off, const std::string& v) { h.replace(off, v.size(), v); };
  auto octal = [](std::uint64_t v, int width) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%0*llo", width, static_cast<unsigned long long>(v));
    return std::string(buf);
  };
  put(0, name);
  put(100, "0000644");
  put(108, "0000000");
  put(116, "0000000");
  put(124, octal(size, 11));
  put(136, octal(1700000000, 11));
  put(148, "        ");
  h[156] = type;
  put(257, std::string("ustar\0", 6) + "00");
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  put(148, octal(sum, 6) + std::string("\0 ", 2));
  return h;
}

std::string padded(std::string data) {
  data.resize((data.size() + 511) / 512 * 512, '\0');
  return data;
}

std::string pax_records(const std::vector<std::pair<std::string, std::string>>& kv) {
  std::string out;
  for (auto& [k, v] : kv) {
    std::string body = " " + k + "=" + v + "\n";
    std::size_t len = body.size() + 1;
    while (std::to_string(len).size() + body.size() != len) ++len;
    out += std::to_string(len) + body;
  }
  return out;
}

Layer handmade_layer(const std::string& tar) {
  Layer l;
  l.media_type = "application/vnd.cncf.model.doc.v1.tar";
  l.blob = tar + std::string(1024, '\0');
  l.diff_id = sha256_of(l.blob);
  return l;
}

TEST(LayerInspector, VendorPaxRecordsAreMPL004) {
  std::string big(1500, 'b');
  auto rec1 = pax_records({{"path", "a.md"}, {"size", "1500"}});  // size overrides the header
  auto rec2 = pax_records({{"SCHILY.dev", "64769"}, {"APPLE.quarantine", "0083;5f"}});
  std::string tar = ustar_header("PaxHeaders/a.md", rec1.size(), 'x') + padded(rec1) +
                    ustar_header("a.md", 0, '0') + padded(big) +
                    ustar_header("PaxHeaders/b.md", rec2.size(), 'x') + padded(rec2) +
                    ustar_header("b.md", 1, '0') + padded("b");
  auto r = inspect(handmade_layer(tar));
  const Diagnostic* d = find(r.report, "MPL004");
  ASSERT_NE(d, nullptr) << messages(r.report);
  EXPECT_EQ(d->where.entry, "b.md");
  EXPECT_NE(d->message.find("SCHILY.dev, APPLE.quarantine"), std::string::npos) << d->message;
  auto ids = rules(r.report);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "MPL004"), 1) << messages(r.report);
}

TEST(LayerInspector, GlobalVendorPaxRecordIsMPL004) {
  auto rec = pax_records({{"LIBARCHIVE.creator", "bsdtar"}});
  std::string tar = ustar_header("pax_global_header", rec.size(), 'g') + padded(rec) +
                    ustar_header("a.md", 1, '0') + padded("a");
  auto r = inspect(handmade_layer(tar));
  const Diagnostic* d = find(r.report, "MPL004");
  ASSERT_NE(d, nullptr) << messages(r.report);
  EXPECT_NE(d->message.find("LIBARCHIVE.creator"), std::string::npos);
  EXPECT_EQ(d->where.entry, "");
}

TEST(LayerInspector, StandardPaxRecordsAreNotFlagged) {
  auto rec = pax_records({{"path", "docs/" + std::string(120, 'n') + ".md"}, {"uid", "0"}});
  std::string tar = ustar_header("PaxHeaders/long", rec.size(), 'x') + padded(rec) +
                    ustar_header("long", 1, '0') + padded("a");
  auto r = inspect(handmade_layer(tar));
  EXPECT_TRUE(r.report.diagnostics.empty()) << messages(r.report);
  // libarchive's own writer, with a path long enough to need a pax record.
  auto lib = inspect(tar_layer("doc", {{.name = std::string(150, 'p'), .content = "x"}}));
  EXPECT_TRUE(lib.report.diagnostics.empty()) << messages(lib.report);
}

TEST(LayerInspector, TwoWeightFilesInOneLayerAreMPL005) {
  auto two = inspect(tar_layer("weight", {{.name = "a.safetensors", .content = "1"},
                                          {.name = "b.safetensors", .content = "2"}}));
  ASSERT_TRUE(has_rule(two.report, "MPL005"));
  EXPECT_EQ(find(two.report, "MPL005")->where.entry, "b.safetensors");
  auto docs = inspect(
      tar_layer("doc", {{.name = "a.md", .content = "1"}, {.name = "b.md", .content = "2"}}));
  EXPECT_FALSE(has_rule(docs.report, "MPL005"));
}

TEST(LayerInspector, FilepathAnnotationMustNameAnEntryMPL006) {
  auto layer = tar_layer("weight", {{.name = "model.safetensors", .content = "w"}});
  layer.annotations["org.cncf.model.filepath"] = "model.safetensors";
  EXPECT_FALSE(has_rule(inspect(layer).report, "MPL006"));
  layer.annotations["org.cncf.model.filepath"] = "other.safetensors";
  EXPECT_TRUE(has_rule(inspect(layer).report, "MPL006"));
  auto dir = tar_layer("doc", {{.name = "docs", .mode = 0755, .type = AE_IFDIR},
                               {.name = "docs/a.md", .content = "a"}});
  dir.annotations["org.cncf.model.filepath"] = "docs";
  EXPECT_FALSE(has_rule(inspect(dir).report, "MPL006"));
}

TEST(LayerInspector, FileMetadataMustAgreeWithTheEntryMPL007) {
  auto layer = tar_layer("weight", {{.name = "model.safetensors",
                                     .content = "weights",
                                     .mode = 0640,
                                     .mtime = 1735689600,
                                     .uid = 7,
                                     .gid = 8}});
  layer.annotations["org.cncf.model.filepath"] = "model.safetensors";
  layer.annotations["org.cncf.model.file.metadata+json"] =
      R"({"name":"model.safetensors","mode":416,"uid":7,"gid":8,"size":7,)"
      R"("mtime":"2025-01-01T00:00:00Z","typeflag":48})";
  EXPECT_FALSE(has_rule(inspect(layer).report, "MPL007"));
  layer.annotations["org.cncf.model.file.metadata+json"] =
      R"({"name":"model.safetensors","mode":420,"uid":7,"gid":8,"size":9,)"
      R"("mtime":"2025-01-01T01:00:00+02:00","typeflag":48})";
  auto r = inspect(layer);
  auto ids = rules(r.report);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "MPL007"), 3);  // mode, size, mtime
  EXPECT_EQ(find(r.report, "MPL007")->where.entry, "model.safetensors");
}

TEST(LayerInspector, RawLayerFileMetadataSizeMPL007) {
  auto layer = raw_layer("weight", "12345");
  layer.annotations["org.cncf.model.filepath"] = "w.bin";
  layer.annotations["org.cncf.model.file.metadata+json"] =
      R"({"name":"w.bin","mode":420,"uid":0,"gid":0,"size":5,"mtime":"2025-01-01T00:00:00Z","typeflag":48})";
  EXPECT_FALSE(has_rule(inspect(layer).report, "MPL007"));
  layer.annotations["org.cncf.model.file.metadata+json"] =
      R"({"name":"x.bin","mode":420,"uid":0,"gid":0,"size":6,"mtime":"2025-01-01T00:00:00Z","typeflag":48})";
  auto ids = rules(inspect(layer).report);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "MPL007"), 2);
}

TEST(LayerInspector, AbsolutePathIsMPL008) {
  auto r = inspect(tar_layer("doc", {{.name = "/etc/passwd", .content = "x"}}));
  ASSERT_TRUE(has_rule(r.report, "MPL008"));
  EXPECT_EQ(find(r.report, "MPL008")->where.entry, "/etc/passwd");
  EXPECT_FALSE(has_rule(inspect(tar_layer("doc", clean_entries())).report, "MPL008"));
}

TEST(LayerInspector, DotDotComponentIsMPL009) {
  auto r = inspect(tar_layer("doc", {{.name = "docs/../../evil", .content = "x"}}));
  EXPECT_TRUE(has_rule(r.report, "MPL009"));
  EXPECT_FALSE(
      has_rule(inspect(tar_layer("doc", {{.name = "docs/..a", .content = "x"}})).report, "MPL009"));
}

TEST(LayerInspector, EscapingLinksAreMPL010) {
  auto sym =
      inspect(tar_layer("doc", {{.name = "a/link", .type = AE_IFLNK, .symlink = "../../etc"}}));
  EXPECT_TRUE(has_rule(sym.report, "MPL010"));
  auto abs =
      inspect(tar_layer("doc", {{.name = "link", .type = AE_IFLNK, .symlink = "/etc/passwd"}}));
  EXPECT_TRUE(has_rule(abs.report, "MPL010"));
  auto hard = inspect(tar_layer(
      "doc", {{.name = "a.md", .content = "a"}, {.name = "b.md", .hardlink = "../a.md"}}));
  EXPECT_TRUE(has_rule(hard.report, "MPL010"));
  auto inside = inspect(tar_layer("doc", {{.name = "a/b/link", .type = AE_IFLNK, .symlink = "../c"},
                                          {.name = "b.md", .hardlink = "a.md"}}));
  EXPECT_FALSE(has_rule(inside.report, "MPL010"));
}

TEST(LayerInspector, DevicesFifosSocketsAreMPL011) {
  for (unsigned type : {AE_IFCHR, AE_IFBLK, AE_IFIFO}) {
    auto r = inspect(tar_layer("doc", {{.name = "dev", .type = type}}));
    EXPECT_TRUE(has_rule(r.report, "MPL011")) << type;
  }
}

TEST(LayerInspector, SetuidSetgidAreMPL012) {
  EXPECT_TRUE(has_rule(
      inspect(tar_layer("code", {{.name = "run.sh", .content = "x", .mode = 04755}})).report,
      "MPL012"));
  EXPECT_TRUE(has_rule(
      inspect(tar_layer("code", {{.name = "run.sh", .content = "x", .mode = 02755}})).report,
      "MPL012"));
  EXPECT_FALSE(has_rule(
      inspect(tar_layer("code", {{.name = "run.sh", .content = "x", .mode = 0755}})).report,
      "MPL012"));
}

TEST(LayerInspector, DecompressionBombStopsAtRatioMPL013) {
  auto layer = tar_layer("dataset", {{.name = "zeros.bin", .content = std::string(8 << 20, '\0')}},
                         Compression::Zstd);
  LayerLimits limits;
  limits.max_ratio = 2;  // 8 MiB from a few KiB is far over 2 x the 1 MiB floor
  auto r = inspect(layer, limits, 1 << 16);
  ASSERT_TRUE(has_rule(r.report, "MPL013"));
  EXPECT_FALSE(r.report.diff_id);
  EXPECT_EQ(r.report.blob_digest, r.blob_digest);  // the blob itself is still verified
  EXPECT_FALSE(has_rule(inspect(layer, {}, 1 << 16).report, "MPL013"));
}

TEST(LayerInspector, EntryCountLimitMPL014) {
  std::vector<TarEntry> many;
  for (int i = 0; i < 30; ++i)
    many.push_back({.name = std::string("f") += std::to_string(100 + i), .content = "x"});
  auto layer = tar_layer("dataset", many, Compression::Gzip);
  LayerLimits limits;
  limits.max_entries = 10;
  auto r = inspect(layer, limits);
  ASSERT_TRUE(has_rule(r.report, "MPL014"));
  EXPECT_EQ(r.report.diff_id, r.diff_id);  // hashing still covers the whole stream
  EXPECT_FALSE(has_rule(inspect(layer).report, "MPL014"));
}

TEST(LayerInspector, CorruptOrWrongFormatIsMPL015) {
  auto layer = tar_layer("doc", clean_entries(), Compression::Gzip);
  Layer truncated = layer;
  truncated.blob.resize(layer.blob.size() / 2);
  EXPECT_TRUE(has_rule(inspect(truncated).report, "MPL015"));
  Layer not_tar = raw_layer("doc", std::string(3000, 'x'));
  not_tar.media_type = "application/vnd.cncf.model.doc.v1.tar";
  EXPECT_TRUE(has_rule(inspect(not_tar).report, "MPL015"));
  Layer not_zstd = layer;
  not_zstd.media_type = "application/vnd.cncf.model.doc.v1.tar+zstd";
  EXPECT_TRUE(has_rule(inspect(not_zstd).report, "MPL015"));
  EXPECT_FALSE(has_rule(inspect(layer).report, "MPL015"));
}

TEST(LayerInspector, FindingsPerRuleAreBounded) {
  std::vector<TarEntry> many;
  for (int i = 0; i < 50; ++i)
    many.push_back({.name = std::string("/abs") += std::to_string(100 + i), .content = "x"});
  auto r = inspect(tar_layer("doc", many));
  auto ids = rules(r.report);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "MPL008"), long(kMaxFindingsPerRule) + 1);
}

// Each link looks harmless on its own text, but extracting the layer makes `esc` point at the
// parent of the extraction root: links are resolved through the links before them.
TEST(LayerInspector, SymlinkChainThatEscapesIsMPL010) {
  auto chain = inspect(tar_layer("doc", {{.name = "d", .mode = 0755, .type = AE_IFDIR},
                                         {.name = "d/up", .type = AE_IFLNK, .symlink = ".."},
                                         {.name = "esc", .type = AE_IFLNK, .symlink = "d/up/.."}}));
  auto* d = find(chain.report, "MPL010");
  ASSERT_NE(d, nullptr) << messages(chain.report);
  EXPECT_EQ(d->message,
            "symlink \"esc\" -> \"d/up/..\" resolves outside the layer root through symlink "
            "\"d/up\" -> \"..\"");
  EXPECT_EQ(d->where.entry, "esc");
  EXPECT_EQ(rules(chain.report), std::vector<std::string>{"MPL010"}) << messages(chain.report);
}

// The link a chain goes through may come later in the archive: what counts is the extracted tree.
TEST(LayerInspector, SymlinkChainInEitherOrderIsMPL010) {
  auto later =
      inspect(tar_layer("doc", {{.name = "a/esc", .type = AE_IFLNK, .symlink = "../b/x/../.."},
                                {.name = "b/x", .type = AE_IFLNK, .symlink = "../a"}}));
  EXPECT_TRUE(has_rule(later.report, "MPL010")) << messages(later.report);
}

TEST(LayerInspector, HardlinkToAnEscapingSymlinkIsMPL010) {
  // sub/s -> ../x stays inside from sub/; the hardlink h at the root is a second symlink with the
  // same target, and from the root ../x is outside.
  auto r = inspect(tar_layer("doc", {{.name = "sub/s", .type = AE_IFLNK, .symlink = "../x"},
                                     {.name = "h", .hardlink = "sub/s"}}));
  auto* d = find(r.report, "MPL010");
  ASSERT_NE(d, nullptr) << messages(r.report);
  EXPECT_EQ(d->message,
            "hardlink \"h\" -> symlink \"sub/s\" -> \"../x\" resolves outside the layer root");
  // A hardlink whose target path goes through an escaping directory symlink.
  auto via = inspect(tar_layer("doc", {{.name = "d/up", .type = AE_IFLNK, .symlink = ".."},
                                       {.name = "h", .hardlink = "d/up/../secret"}}));
  auto* v = find(via.report, "MPL010");
  ASSERT_NE(v, nullptr) << messages(via.report);
  EXPECT_NE(v->message.find("hardlink \"h\" -> \"d/up/../secret\" resolves outside the layer root "
                            "through symlink \"d/up\" -> \"..\""),
            std::string::npos)
      << v->message;
}

TEST(LayerInspector, SymlinkChainsThatStayInsideAreFine) {
  auto r = inspect(tar_layer("doc", {{.name = "a/b/up", .type = AE_IFLNK, .symlink = ".."},
                                     {.name = "a/c", .type = AE_IFLNK, .symlink = "b/up/b"},
                                     {.name = "self", .type = AE_IFLNK, .symlink = "self"},
                                     {.name = "loop1", .type = AE_IFLNK, .symlink = "loop2/x"},
                                     {.name = "loop2", .type = AE_IFLNK, .symlink = "loop1/.."},
                                     {.name = "h", .hardlink = "a/c"}}));
  EXPECT_FALSE(has_rule(r.report, "MPL010")) << messages(r.report);
  // A link replaced by a directory later in the archive is not followed.
  auto replaced =
      inspect(tar_layer("doc", {{.name = "d/up", .type = AE_IFLNK, .symlink = ".."},
                                {.name = "d/up", .mode = 0755, .type = AE_IFDIR},
                                {.name = "esc", .type = AE_IFLNK, .symlink = "d/up/.."}}));
  EXPECT_FALSE(has_rule(replaced.report, "MPL010")) << messages(replaced.report);
}

// The links kept to resolve links through each other are bounded; past the bound a finding says
// the check is incomplete rather than memory growing with the layer.
TEST(LayerInspector, TrackedLinkBytesAreBoundedAndSaySo) {
  std::string target;
  while (target.size() < 4000) target += "x/../";
  std::vector<TarEntry> entries;
  for (int i = 0; i < 4300; ++i) {  // 4300 x ~4 KiB > kMaxTrackedLinkBytes (16 MiB)
    char name[16];
    std::snprintf(name, sizeof name, "l%05d", i);
    entries.push_back({.name = name, .type = AE_IFLNK, .symlink = target});
  }
  auto r = inspect(tar_layer("doc", entries));
  auto* d = find(r.report, "MPL010");
  ASSERT_NE(d, nullptr) << messages(r.report);
  EXPECT_EQ(d->message,
            "layer's links exceed what the link check follows (16777216 bytes of link names and "
            "targets, 268435456 bytes of lookups); the rest were checked on their own text only, "
            "so an escape through other links cannot be ruled out");
  EXPECT_EQ(rules(r.report), std::vector<std::string>{"MPL010"});
}

// Names are cut for messages on a character boundary, never inside a UTF-8 sequence.
TEST(LayerInspector, LongNamesInMessagesAreCutOnACharacterBoundary) {
  std::string target = "/";
  for (int i = 0; i < 150; ++i) target += "\xC3\xA9";  // é: byte 200 falls inside one
  // libarchive writes non-ASCII pax names only under a UTF-8 locale.
  std::string saved = std::setlocale(LC_ALL, nullptr);
  ASSERT_TRUE(std::setlocale(LC_ALL, "C.UTF-8"));
  auto layer = tar_layer("doc", {{.name = "l", .type = AE_IFLNK, .symlink = target}});
  std::setlocale(LC_ALL, saved.c_str());
  auto r = inspect(layer);
  auto* d = find(r.report, "MPL010");
  ASSERT_NE(d, nullptr) << messages(r.report);
  std::string shown = "/";
  for (int i = 0; i < 100; ++i) shown += "\xC3\xA9";
  EXPECT_EQ(d->message, "symlink \"l\" -> \"" + shown + "…\" resolves outside the layer root");
}

}  // namespace
}  // namespace mpcheck
