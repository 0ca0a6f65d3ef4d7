// LayoutArchiveSource: blobs found by name in tar archives of several dialects, read at their
// offsets (plain) or by re-reading (compressed), never extracted.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include "layout_builder.hpp"
#include "mpcheck/validator/artifact_source.hpp"

namespace mpcheck {
namespace {
using namespace test;
namespace fs = std::filesystem;

struct Member {
  std::string name, content, hardlink;
  std::int64_t uid = 0;  // above 2097151 needs a pax record / base-256 field on this entry
};

void write_archive(const fs::path& file, const std::vector<Member>& members,
                   int (*set_format)(archive*), Compression c = Compression::None) {
  archive* a = archive_write_new();
  set_format(a);
  if (c == Compression::Gzip) archive_write_add_filter_gzip(a);
  if (c == Compression::Zstd) archive_write_add_filter_zstd(a);
  ASSERT_EQ(archive_write_open_filename(a, file.c_str()), ARCHIVE_OK);
  for (const auto& m : members) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, m.name.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_uid(e, m.uid);
    if (!m.hardlink.empty()) {
      archive_entry_set_hardlink(e, m.hardlink.c_str());
      archive_entry_set_size(e, 0);
    } else {
      archive_entry_set_size(e, static_cast<la_int64_t>(m.content.size()));
    }
    archive_write_header(a, e);
    if (m.hardlink.empty()) archive_write_data(a, m.content.data(), m.content.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
}

std::string read_all(BlobStream& s) {
  std::string out;
  unsigned char buf[4096];
  for (;;) {
    auto n = s.read(buf);
    EXPECT_TRUE(n);
    if (!n || *n == 0) return out;
    out.append(reinterpret_cast<char*>(buf), *n);
  }
}

Digest digest_of(const std::string& bytes) {
  return *parse_digest(sha256_of(bytes));
}

struct Dialect {
  const char* name;
  int (*set_format)(archive*);
  Compression compression;
};

class ArchiveDialects : public ::testing::TestWithParam<Dialect> {};

TEST_P(ArchiveDialects, BlobsReadBackExactly) {
  TempDir tmp;
  std::string small = "{\"imageLayoutVersion\":\"1.0.0\"}";
  std::string big(300000, 'b');
  for (std::size_t i = 0; i < big.size(); i += 7) big[i] = char('a' + i % 26);
  std::string odd(513, 'o');  // not a multiple of the tar block
  auto name = [](const std::string& bytes) { return "blobs/sha256/" + sha256_of(bytes).substr(7); };
  std::vector<Member> members = {
      {"./oci-layout", small, ""},
      // A long path forces pax / GNU long-name headers in front of the entry's header.
      {"very/long/" + std::string(150, 'x') + "/padding", "z", ""},
      {"index.json", "{}", ""},
      {"./" + name(big), big, ""},
      {name(odd), odd, "", 10'000'000},
      {"tail", "t", ""},
  };
  auto file = tmp.path() / "layout.tar";
  write_archive(file, members, GetParam().set_format, GetParam().compression);
  auto src = open_artifact(file);
  ASSERT_TRUE(src) << src.error();
  auto layout = (*src)->read_layout_file(LayoutFile::OciLayout, 1000);
  ASSERT_TRUE(layout);
  EXPECT_EQ(*layout, small);
  for (const auto& bytes : {big, odd}) {
    auto d = digest_of(bytes);
    auto size = (*src)->blob_size(d);
    ASSERT_TRUE(size);
    EXPECT_EQ(*size, bytes.size());
    auto s = (*src)->open_blob(d);
    ASSERT_TRUE(s);
    EXPECT_EQ(read_all(**s), bytes);
  }
  auto missing = (*src)->open_blob(digest_of("absent"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, SourceError::Missing);
}

INSTANTIATE_TEST_SUITE_P(
    Formats, ArchiveDialects,
    ::testing::Values(Dialect{"pax", archive_write_set_format_pax, Compression::None},
                      Dialect{"gnutar", archive_write_set_format_gnutar, Compression::None},
                      Dialect{"ustar", archive_write_set_format_pax_restricted, Compression::None},
                      Dialect{"pax_gzip", archive_write_set_format_pax, Compression::Gzip},
                      Dialect{"gnutar_zstd", archive_write_set_format_gnutar, Compression::Zstd}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(LayoutArchiveSource, HardlinkedBlobIsFound) {
  TempDir tmp;
  std::string bytes = "shared blob";
  std::string first = "blobs/sha256/" + std::string(64, '0');
  std::string second = "blobs/sha256/" + sha256_of(bytes).substr(7);
  auto file = tmp.path() / "layout.tar";
  write_archive(file, {{first, bytes, ""}, {second, "", first}}, archive_write_set_format_pax);
  auto src = open_artifact(file);
  ASSERT_TRUE(src);
  auto s = (*src)->open_blob(digest_of(bytes));
  ASSERT_TRUE(s);
  EXPECT_EQ(read_all(**s), bytes);
}

TEST(LayoutDirSource, MissingBlobAndFilesAreMissing) {
  TempDir tmp;
  auto src = open_artifact(tmp.path());
  ASSERT_TRUE(src);
  auto f = (*src)->read_layout_file(LayoutFile::IndexJson, 100);
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().kind, SourceError::Missing);
  auto b = (*src)->blob_size(digest_of("x"));
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().kind, SourceError::Missing);
}

}  // namespace
}  // namespace mpcheck
