// LayoutArchiveSource: blobs found by name in tar archives of several dialects, read at their
// offsets (plain) or by re-reading (compressed), never extracted.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <tuple>

#include "layout_builder.hpp"
#include "mpcheck/validator/artifact_source.hpp"
#include "mpcheck/validator/artifact_validator.hpp"
#include "mpcheck/validator/limits.hpp"

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

// The members of a layout directory, in name order, for writing an archive by hand.
std::vector<Member> members_of(const fs::path& dir) {
  std::vector<Member> out;
  for (auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) {
      std::ifstream in(e.path(), std::ios::binary);
      out.push_back({fs::relative(e.path(), dir).string(),
                     std::string((std::istreambuf_iterator<char>(in)), {}), ""});
    }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.name < b.name; });
  return out;
}

std::string findings_of(const ValidateResult& r) {
  std::string s;
  for (auto& d : r.layout_diagnostics) s += d.rule + ": " + d.message + "\n";
  for (auto& m : r.manifests)
    for (auto& d : m.diagnostics) s += d.rule + ": " + d.message + "\n";
  return s;
}

ValidateResult validate_file(const fs::path& file) {
  auto src = open_artifact(file);
  EXPECT_TRUE(src) << (src ? "" : src.error());
  ValidateOptions options;
  options.jobs = 1;
  auto r = validate_artifact(**src, options);
  EXPECT_TRUE(r) << (r ? "" : r.error());
  return r ? *r : ValidateResult{};
}

// A second index.json was taken by the plain reader (last copy) and missed by the compressed one
// (first copy): .tar said invalid, .tar.gz valid. A duplicate is a finding in both now.
TEST(LayoutArchiveSource, DuplicateLayoutEntriesAreFindingsInEveryFlavour) {
  TempDir tmp;
  LayoutBuilder b{tmp.path() / "layout"};
  b.add_manifest({tar_layer("doc", {{.name = "README.md", .content = "# tiny\n"}})});
  b.finish();
  auto members = members_of(b.dir());
  auto second_index = members;
  second_index.push_back({"index.json", R"({"schemaVersion":2,"manifests":[]})", ""});
  auto second_blob = members;
  auto blob = std::find_if(members.begin(), members.end(),
                           [](auto& m) { return m.name.starts_with("blobs/"); });
  second_blob.push_back({blob->name, "other bytes", ""});

  for (auto [members_case, rule, name] :
       {std::tuple{&second_index, "MPA002", std::string("index.json")},
        std::tuple{&second_blob, "MPA004", blob->name}}) {
    std::string verdicts[2];
    for (int gz = 0; gz < 2; ++gz) {
      auto file = tmp.path() / (gz ? "l.tar.gz" : "l.tar");
      write_archive(file, *members_case, archive_write_set_format_pax,
                    gz ? Compression::Gzip : Compression::None);
      auto r = validate_file(file);
      verdicts[gz] = findings_of(r);
      EXPECT_NE(verdicts[gz].find(std::string(rule) + ": archive holds 2 entries named \"" + name +
                                  "\"; tar readers disagree on which one is the layout's, so the "
                                  "layout is ambiguous"),
                std::string::npos)
          << verdicts[gz];
    }
    EXPECT_EQ(verdicts[0], verdicts[1]);  // the same copy is read from .tar and .tar.gz
  }
}

// Every entry name used to be kept: 50,000 long names in a 1 MB gzip cost 223 MB. Only names
// that can be layout files are kept now, so opening costs little memory (a kept-bytes bound
// observed through the peak resident size, not a timing).
TEST(LayoutArchiveSource, ManyLongEntryNamesAreNotKept) {
  TempDir tmp;
  auto file = tmp.path() / "names.tar.gz";
  std::vector<Member> members;
  for (int i = 0; i < 50000; ++i)
    members.push_back({"junk/" + std::string(4000, 'n') + std::to_string(i), "", ""});
  write_archive(file, members, archive_write_set_format_pax, Compression::Gzip);
  members.clear();
  members.shrink_to_fit();
  rusage before{};
  getrusage(RUSAGE_SELF, &before);
  auto src = open_artifact(file);
  ASSERT_TRUE(src) << src.error();
  rusage after{};
  getrusage(RUSAGE_SELF, &after);
  EXPECT_LT(after.ru_maxrss - before.ru_maxrss, 64 * 1024) << "KiB of peak growth";  // was ~200 MiB
}

TEST(LayoutArchiveSource, LayoutEntriesBeyondTheBoundAreAFinding) {
  TempDir tmp;
  auto file = tmp.path() / "many.tar.gz";
  std::vector<Member> members;
  for (std::size_t i = 0; i <= kMaxLayoutArchiveEntries; ++i)
    members.push_back({"blobs/sha256/" + std::to_string(i), "", ""});
  write_archive(file, members, archive_write_set_format_pax, Compression::Gzip);
  auto src = open_artifact(file);
  ASSERT_TRUE(src);
  auto findings = (*src)->structure_findings();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule, "MPA004");
  EXPECT_EQ(findings[0].message,
            "archive holds more layout entries than mpcheck indexes (100000 names or 8388608 bytes "
            "of names); the entries past that are not read and their blobs are missing");
  // Names up to the bound are indexed.
  EXPECT_TRUE((*src)->blob_size(Digest{"sha256", "99999"}));
  EXPECT_FALSE((*src)->blob_size(Digest{"sha256", "100000"}));
}

TEST(LayoutArchiveSource, ManyDuplicateNamesAreListedUpToABound) {
  TempDir tmp;
  auto file = tmp.path() / "dups.tar";
  std::vector<Member> members;
  for (int copy = 0; copy < 2; ++copy)
    for (int i = 0; i < 1000; ++i) members.push_back({"blobs/sha256/" + std::to_string(i), "", ""});
  write_archive(file, members, archive_write_set_format_pax);
  auto src = open_artifact(file);
  ASSERT_TRUE(src);
  auto findings = (*src)->structure_findings();
  ASSERT_EQ(findings.size(), kMaxDuplicateEntryFindings + 1);
  EXPECT_EQ(findings[0].message,
            "980 more layout names appear more than once in the archive (not listed)");
  EXPECT_EQ(findings[1].message,
            "archive holds 2 entries named \"blobs/sha256/0\"; tar readers disagree on which one "
            "is the layout's, so the layout is ambiguous");
}

TEST(LayoutDirSource, FifoAndSymlinkAreNotRegularAndNeverOpened) {
  TempDir tmp;
  ASSERT_EQ(::mkfifo((tmp.path() / "index.json").c_str(), 0644), 0);
  fs::create_symlink("/etc/passwd", tmp.path() / "oci-layout");
  auto src = open_artifact(tmp.path());
  ASSERT_TRUE(src);
  auto index = (*src)->read_layout_file(LayoutFile::IndexJson, 100);
  ASSERT_FALSE(index);
  EXPECT_EQ(index.error().kind, SourceError::NotRegular);
  EXPECT_EQ(index.error().message,
            (tmp.path() / "index.json").string() + " is a FIFO, not a regular file");
  auto layout = (*src)->read_layout_file(LayoutFile::OciLayout, 100);
  ASSERT_FALSE(layout);
  EXPECT_EQ(layout.error().kind, SourceError::NotRegular);
  EXPECT_EQ(layout.error().message, (tmp.path() / "oci-layout").string() +
                                        " is a symbolic link; links in a layout are not followed");
}

}  // namespace
}  // namespace mpcheck
