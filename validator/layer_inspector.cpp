// The layer pipeline: blob stream -> blob hasher -> decompressor (zlib / zstd) -> diffID hasher
// -> libarchive tar reader (fed through its read callback) -> entry checks.
#include "mpcheck/validator/layer_inspector.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <rapidjson/document.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <deque>
#include <map>
#include <unordered_map>
#include <vector>

#include "mpcheck/validator/blob_hasher.hpp"
#include "mpcheck/validator/limits.hpp"
#include "mpcheck/validator/rule_catalog.hpp"
#include "pax_key_tap.hpp"

namespace mpcheck {
namespace {

// Length of the well-formed UTF-8 sequence at the start of `s` (RFC 3629: no overlong forms,
// no surrogates), or 0.
std::size_t utf8_length(std::string_view s) {
  auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c = b(0);
  if (c < 0x80) return 1;
  std::size_t n = c >= 0xC2 && c <= 0xDF   ? 2
                  : c >= 0xE0 && c <= 0xEF ? 3
                  : c >= 0xF0 && c <= 0xF4 ? 4
                                           : 0;
  if (n == 0 || s.size() < n) return 0;
  for (std::size_t i = 1; i < n; ++i)
    if ((b(i) & 0xC0) != 0x80) return 0;
  if ((c == 0xE0 && b(1) < 0xA0) || (c == 0xED && b(1) >= 0xA0) || (c == 0xF0 && b(1) < 0x90) ||
      (c == 0xF4 && b(1) >= 0x90))
    return 0;
  return n;
}

// An entry name or link target for a message: at most 200 bytes, control characters and bytes
// that are not UTF-8 shown as '?', so a message is always one line of valid UTF-8.
std::string printable(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size() && i < 200) {
    std::size_t n = utf8_length(s.substr(i));
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (n == 0 || c < 0x20 || c == 0x7f) {
      out.push_back('?');
      n = 1;
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  if (i < s.size()) out += "…";
  return out;
}

// Pulls the blob through the hashers and, for +gzip / +zstd, the decompressor. Each call to
// next() returns the next piece of the uncompressed stream; the blob is hashed as it is read.
class Pipeline {
 public:
  Pipeline(BlobStream& in, LayerFormat format, std::optional<BlobHasher> blob_hash,
           std::optional<BlobHasher> diff_hash, std::uint64_t max_plain,
           std::atomic<std::uint64_t>* progress)
      : in_(in),
        format_(format),
        blob_hash_(std::move(blob_hash)),
        diff_hash_(std::move(diff_hash)),
        max_plain_(max_plain),
        progress_(progress),
        inbuf_(kChunkBytes) {
    if (format_ == LayerFormat::TarGzip) {
      outbuf_.resize(kChunkBytes);
      zs_ = {};
      if (inflateInit2(&zs_, 16 + MAX_WBITS) != Z_OK) fail("cannot initialise zlib");
      zs_live_ = true;
    } else if (format_ == LayerFormat::TarZstd) {
      outbuf_.resize(kChunkBytes);
      zds_ = ZSTD_createDStream();
      if (!zds_) fail("cannot initialise zstd");
      ZSTD_initDStream(zds_);
    }
  }
  ~Pipeline() {
    if (zs_live_) inflateEnd(&zs_);
    if (zds_) ZSTD_freeDStream(zds_);
  }

  bool compressed() const { return !outbuf_.empty(); }

  // The next piece of uncompressed content; empty at its end, on error or past the ratio bound.
  std::span<const unsigned char> next() {
    if (stopped_) return {};
    if (!compressed()) {
      auto n = read_raw();
      if (n == 0) stopped_ = true;
      return {inbuf_.data(), n};
    }
    for (;;) {
      std::size_t produced = 0;
      if (in_pos_ == in_len_ && !raw_eof_) {
        in_len_ = read_raw();
        in_pos_ = 0;
      }
      if (in_pos_ == in_len_ && raw_eof_) {
        if (!frame_done_)
          fail(format_ == LayerFormat::TarGzip ? "gzip stream is truncated"
                                               : "zstd stream is truncated");
        stopped_ = true;
        return {};
      }
      if (format_ == LayerFormat::TarGzip) {
        if (frame_done_) {  // concatenated gzip members are one stream (RFC 1952 2.2)
          inflateReset(&zs_);
          frame_done_ = false;
        }
        zs_.next_in = inbuf_.data() + in_pos_;
        zs_.avail_in = static_cast<uInt>(in_len_ - in_pos_);
        zs_.next_out = outbuf_.data();
        zs_.avail_out = static_cast<uInt>(outbuf_.size());
        int rc = inflate(&zs_, Z_NO_FLUSH);
        in_pos_ = in_len_ - zs_.avail_in;
        produced = outbuf_.size() - zs_.avail_out;
        if (rc == Z_STREAM_END) {
          frame_done_ = true;
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
          fail(std::string("gzip data is corrupt: ") + (zs_.msg ? zs_.msg : "inflate failed"));
          return {};
        } else {
          frame_done_ = false;
        }
      } else {
        ZSTD_inBuffer zin{inbuf_.data() + in_pos_, in_len_ - in_pos_, 0};
        ZSTD_outBuffer zout{outbuf_.data(), outbuf_.size(), 0};
        std::size_t rc = ZSTD_decompressStream(zds_, &zout, &zin);
        in_pos_ += zin.pos;
        produced = zout.pos;
        if (ZSTD_isError(rc)) {
          fail(std::string("zstd data is corrupt: ") + ZSTD_getErrorName(rc));
          return {};
        }
        frame_done_ = rc == 0;
      }
      if (produced == 0) continue;
      plain_bytes_ += produced;
      if (plain_bytes_ > max_plain_) {
        ratio_exceeded_ = true;
        stopped_ = true;
        return {};
      }
      std::span<const unsigned char> out{outbuf_.data(), produced};
      if (diff_hash_) diff_hash_->update(out);
      return out;
    }
  }

  // Reads the rest of the uncompressed stream (the tar parser may stop at its end marker or on
  // an error) and then the rest of the blob, so both digests cover every byte.
  void drain() {
    while (!next().empty()) {
    }
    while (!raw_eof_ && read_raw() > 0) {
    }
  }

  std::optional<BlobHasher>& blob_hash() { return blob_hash_; }
  std::optional<BlobHasher>& diff_hash() { return diff_hash_; }
  std::uint64_t raw_bytes() const { return raw_bytes_; }
  std::uint64_t plain_bytes() const { return plain_bytes_; }
  bool ratio_exceeded() const { return ratio_exceeded_; }
  const std::string& data_error() const { return data_error_; }
  const std::string& read_error() const { return read_error_; }

 private:
  std::size_t read_raw() {
    if (raw_eof_) return 0;
    auto r = in_.read(inbuf_);
    if (!r) {
      read_error_ = r.error();
      raw_eof_ = stopped_ = true;
      return 0;
    }
    if (*r == 0) {
      raw_eof_ = true;
      return 0;
    }
    std::span<const unsigned char> bytes{inbuf_.data(), *r};
    if (blob_hash_) blob_hash_->update(bytes);
    if (!compressed() && diff_hash_) diff_hash_->update(bytes);
    raw_bytes_ += *r;
    if (progress_) progress_->fetch_add(*r, std::memory_order_relaxed);
    return *r;
  }
  void fail(std::string why) {
    if (data_error_.empty()) data_error_ = std::move(why);
    stopped_ = true;
  }

  BlobStream& in_;
  LayerFormat format_;
  std::optional<BlobHasher> blob_hash_, diff_hash_;
  std::uint64_t max_plain_;
  std::atomic<std::uint64_t>* progress_;
  std::vector<unsigned char> inbuf_, outbuf_;
  std::size_t in_pos_ = 0, in_len_ = 0;
  z_stream zs_{};
  bool zs_live_ = false;
  ZSTD_DStream* zds_ = nullptr;
  bool raw_eof_ = false, stopped_ = false, frame_done_ = false, ratio_exceeded_ = false;
  std::uint64_t raw_bytes_ = 0, plain_bytes_ = 0;
  std::string data_error_, read_error_;
};

// What libarchive reads: the pipeline's output, also shown to the pax record tap.
struct TarFeed {
  Pipeline& pipe;
  PaxKeyTap& tap;
};

la_ssize_t pipeline_read(struct archive*, void* client, const void** buf) {
  auto* feed = static_cast<TarFeed*>(client);
  auto chunk = feed->pipe.next();
  feed->tap.feed(chunk);
  *buf = chunk.data();
  return static_cast<la_ssize_t>(chunk.size());
}

// Splits a path on '/', dropping empty and "." components.
std::vector<std::string_view> components(std::string_view p) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= p.size()) {
    auto end = p.find('/', start);
    auto part = p.substr(start, end == p.npos ? p.npos : end - start);
    if (!part.empty() && part != ".") out.push_back(part);
    if (end == p.npos) break;
    start = end + 1;
  }
  return out;
}

// Whether `target`, taken relative to the directory `base`, stays inside the layer root.
bool stays_inside(std::vector<std::string_view> base, std::string_view target) {
  if (target.starts_with('/')) return false;
  long depth = static_cast<long>(base.size());
  for (auto part : components(target)) {
    depth += part == ".." ? -1 : 1;
    if (depth < 0) return false;
  }
  return true;
}

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) (out.empty() ? out : out += '/') += p;
  return out;
}

// The links of a layer as extracting it would leave them: symlinks by path (a hardlink to a
// symlink is one more symlink with the same target). Resolving a target walks it component by
// component through these, as the kernel would on the extracted tree, so a chain of links that
// each look harmless on their own text (d/up -> .., esc -> d/up/..) is caught.
class LinkModel {
 public:
  struct Link {
    std::string target;
    std::string hardlink_of;  // the symlink this hardlink copies, if any
    bool reported = false;    // already MPL010 on its own text
  };
  struct Resolution {
    bool escapes = false;
    std::string via;       // the first link followed on the way ("d/up -> ..")
    bool gave_up = false;  // kMaxLinkResolveWork spent: not resolved
  };

  // False once kMaxTrackedLinkBytes are kept: the link is then not recorded.
  bool add(const std::string& path, Link link) {
    if (auto it = links_.find(path); it != links_.end()) {
      it->second = std::move(link);
      return true;
    }
    bytes_ += path.size() + link.target.size() + link.hardlink_of.size() + 64;
    if (bytes_ > kMaxTrackedLinkBytes) return false;
    order_.push_back(path);
    links_.emplace(path, std::move(link));
    return true;
  }
  void erase(const std::string& path) {
    if (!links_.empty()) links_.erase(path);
  }
  const Link* find(const std::string& path) const {
    auto it = links_.find(path);
    return it == links_.end() ? nullptr : &it->second;
  }
  const std::vector<std::string>& order() const { return order_; }

  // Resolves `target` from the directory `dir` ("" = the root); with follow_last false the final
  // component is not followed (a hardlink names the link itself). Where it leads is left in
  // `resolved`.
  Resolution resolve(std::string dir, std::string_view target, bool follow_last,
                     std::string* resolved = nullptr) const {
    Resolution r;
    if (target.starts_with('/')) return {true, "", false};
    std::deque<std::string_view> pending;
    for (auto part : components(target)) pending.push_back(part);
    unsigned hops = 0;
    for (std::size_t steps = 0; !pending.empty(); ++steps) {
      if (steps > kMaxLinkResolveSteps) return r;  // a loop: extraction fails with ELOOP
      std::string_view part = pending.front();
      pending.pop_front();
      if (part == "..") {
        if (dir.empty()) {
          r.escapes = true;
          return r;
        }
        auto slash = dir.rfind('/');
        dir.resize(slash == std::string::npos ? 0 : slash);
        continue;
      }
      if (!dir.empty()) dir.push_back('/');
      dir.append(part);
      if (pending.empty() && !follow_last) break;
      if (links_.empty()) continue;  // no symlink to go through: the text alone decides
      work_ += dir.size();
      if (work_ > kMaxLinkResolveWork) {
        r.gave_up = true;
        return r;
      }
      const Link* link = find(dir);
      if (!link) continue;
      if (++hops > kMaxSymlinkHops) return r;
      if (r.via.empty()) r.via = printable(dir) + "\" -> \"" + printable(link->target);
      auto slash = dir.rfind('/');
      dir.resize(slash == std::string::npos ? 0 : slash);
      if (link->target.starts_with('/')) {
        r.escapes = true;
        return r;
      }
      // Views into the map's nodes, which stay put while resolving.
      auto parts = components(link->target);
      for (auto it = parts.rbegin(); it != parts.rend(); ++it) pending.push_front(*it);
    }
    if (resolved) *resolved = dir;
    return r;
  }

 private:
  std::unordered_map<std::string, Link> links_;
  std::vector<std::string> order_;  // paths in entry order
  std::size_t bytes_ = 0;
  mutable std::size_t work_ = 0;  // bytes of paths looked up, for kMaxLinkResolveWork
};

std::string normalized(std::string_view name) {
  while (name.starts_with("./")) name.remove_prefix(2);
  while (name.size() > 1 && name.ends_with('/')) name.remove_suffix(1);
  return std::string(name);
}

std::string_view base_name(std::string_view p) {
  auto pos = p.rfind('/');
  return pos == p.npos ? p : p.substr(pos + 1);
}

// Seconds since the epoch of an RFC 3339 date-time ("2025-01-02T03:04:05.5+01:00").
std::optional<std::int64_t> parse_rfc3339(std::string_view s) {
  auto num = [&](std::size_t pos, std::size_t len) -> std::optional<int> {
    if (pos + len > s.size()) return std::nullopt;
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  auto y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2),
       se = num(17, 2);
  if (!y || !mo || !d || !h || !mi || !se || s.size() < 20) return std::nullopt;
  std::size_t pos = 19;
  if (s[pos] == '.')
    for (++pos; pos < s.size() && s[pos] >= '0' && s[pos] <= '9';) ++pos;
  std::int64_t offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    auto oh = num(pos + 1, 2), om = num(pos + 4, 2);
    if (!oh || !om) return std::nullopt;
    offset = (*oh * 60 + *om) * 60 * (s[pos] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  // days_from_civil (H. Hinnant)
  int yy = *y - (*mo <= 2);
  int era = (yy >= 0 ? yy : yy - 399) / 400;
  unsigned yoe = static_cast<unsigned>(yy - era * 400);
  unsigned doy = (153 * (*mo + (*mo > 2 ? -3 : 9)) + 2) / 5 + *d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  std::int64_t days = std::int64_t(era) * 146097 + doe - 719468;
  return days * 86400 + *h * 3600 + *mi * 60 + *se - offset;
}

// What the file-metadata annotation is compared with.
struct EntryFacts {
  std::string name;
  std::int64_t size = 0;
  unsigned perm = 0;
  std::int64_t uid = 0, gid = 0, mtime = 0;
  int typeflag = '0';
  bool has_attributes = true;  // false for raw layers: only name and size are known
};

int typeflag_of(archive_entry* e) {
  if (archive_entry_hardlink(e)) return '1';
  switch (archive_entry_filetype(e)) {
    case AE_IFLNK:
      return '2';
    case AE_IFCHR:
      return '3';
    case AE_IFBLK:
      return '4';
    case AE_IFDIR:
      return '5';
    case AE_IFIFO:
      return '6';
    default:
      return '0';
  }
}

class Inspector {
 public:
  Inspector(const LayerInput& input, LayerReport& report, const PaxKeyTap& tap)
      : in_(input), report_(report), tap_(tap) {
    if (in_.filepath) filepath_ = normalized(*in_.filepath);
  }

  void add(std::string_view rule, std::string message, std::string entry) {
    std::size_t& n = per_rule_[std::string(rule)];
    if (++n > kMaxFindingsPerRule) return;
    auto d = make_diagnostic(rule, std::move(message));
    d.where.entry = std::move(entry);
    report_.diagnostics.push_back(std::move(d));
  }

  void finish_counts() {
    for (auto& [rule, n] : per_rule_)
      if (n > kMaxFindingsPerRule) {
        auto d = make_diagnostic(rule, std::to_string(n - kMaxFindingsPerRule) +
                                           " more findings of this rule in this layer not shown");
        report_.diagnostics.push_back(std::move(d));
      }
  }

  void entry(archive_entry* e) {
    const char* raw_name = archive_entry_pathname(e);
    if (!raw_name) raw_name = archive_entry_pathname_utf8(e);
    std::string name = raw_name ? raw_name : "";
    std::string shown = printable(name);
    std::string norm = normalized(name);
    auto type = archive_entry_filetype(e);
    const char* hardlink = archive_entry_hardlink(e);
    bool regular = type == AE_IFREG && !hardlink;

    // Safety.
    if (name.starts_with('/'))
      add("MPL008", "entry path \"" + shown + "\" is absolute; layer paths must be relative",
          shown);
    auto parts = components(norm);
    if (std::find(parts.begin(), parts.end(), "..") != parts.end())
      add("MPL009", "entry path \"" + shown + "\" has a \"..\" component", shown);
    std::string path = joined(std::vector<std::string>(parts.begin(), parts.end()));
    if (type == AE_IFLNK && !hardlink) {
      const char* target = archive_entry_symlink(e);
      std::string t = target ? target : "";
      auto dir = parts;
      if (!dir.empty()) dir.pop_back();
      bool escapes = !stays_inside(dir, t);
      if (escapes)
        add("MPL010",
            "symlink \"" + shown + "\" -> \"" + printable(t) + "\" resolves outside the layer root",
            shown);
      track_link(path, {t, "", escapes});
    } else if (hardlink) {
      bool escapes = !stays_inside({}, hardlink);
      if (escapes) {
        add("MPL010",
            "hardlink \"" + shown + "\" -> \"" + printable(hardlink) +
                "\" resolves outside the layer root",
            shown);
      } else {
        // The target is looked up through the links extracted so far; a hardlink to a
        // symlink is a second symlink with the same target, judged after the last entry.
        std::string resolved;
        auto r = links_.resolve("", hardlink, false, &resolved);
        if (r.gave_up) links_overflow_ = true;
        if (r.escapes)
          add("MPL010",
              "hardlink \"" + shown + "\" -> \"" + printable(hardlink) +
                  "\" resolves outside the layer root through symlink \"" + r.via + "\"",
              shown);
        else if (const auto* link = links_.find(resolved))
          track_link(path, {link->target, resolved, false});
        else
          links_.erase(path);
      }
    } else {
      links_.erase(path);  // extraction replaces a link by what comes later at its path
    }
    if (type == AE_IFCHR || type == AE_IFBLK || type == AE_IFIFO || type == AE_IFSOCK) {
      const char* what = type == AE_IFCHR   ? "a character device"
                         : type == AE_IFBLK ? "a block device"
                         : type == AE_IFIFO ? "a FIFO"
                                            : "a socket";
      add("MPL011", "entry \"" + shown + "\" is " + what + "; model layers hold files only", shown);
    }
    unsigned mode = archive_entry_mode(e);
    if (mode & 06000)
      add("MPL012",
          "entry \"" + shown + "\" has the " +
              ((mode & 04000) && (mode & 02000) ? std::string("setuid and setgid bits")
               : (mode & 04000)                 ? std::string("setuid bit")
                                                : std::string("setgid bit")) +
              " set (mode " + octal(mode & 07777) + ")",
          shown);

    // File attributes (spec.md#file-attributes).
    unsigned perm = archive_entry_perm(e);
    if (!archive_entry_mtime_is_set(e))
      add("MPL001", "entry \"" + shown + "\" has no modification time (mtime)", shown);
    if (perm == 0 && type != AE_IFLNK)
      add("MPL001", "entry \"" + shown + "\" has mode 0000: the mode attribute is missing or unset",
          shown);

    // Reproducibility (spec.md#reproducibility).
    if (!prev_name_.empty() && norm < prev_name_ && !order_reported_) {
      order_reported_ = true;
      add("MPL002",
          "entry \"" + shown + "\" comes after \"" + printable(prev_name_) +
              "\"; entries should be in lexicographic order",
          shown);
    }
    prev_name_ = norm;
    std::int64_t mtime = archive_entry_mtime(e), uid = archive_entry_uid(e),
                 gid = archive_entry_gid(e);
    if (!first_) {
      first_ = EntryFacts{norm, 0, perm, uid, gid, mtime, 0, true};
    } else {
      auto differs = [&](const char* what, std::int64_t seen, std::int64_t first, bool& once) {
        if (seen == first || once) return;
        once = true;
        add("MPL003",
            std::string(what) + " of \"" + shown + "\" is " + std::to_string(seen) + " but " +
                std::to_string(first) + " for \"" + printable(first_->name) +
                "\"; file metadata should be constant",
            shown);
      };
      differs("mtime", mtime, first_->mtime, mtime_reported_);
      differs("uid", uid, first_->uid, uid_reported_);
      differs("gid", gid, first_->gid, gid_reported_);
    }
    std::vector<std::string> platform;
    if (archive_entry_xattr_count(e) > 0)
      platform.push_back(std::to_string(archive_entry_xattr_count(e)) + " extended attribute(s)");
    if (archive_entry_acl_types(e) != 0) platform.push_back("ACLs");
    unsigned long fset = 0, fclear = 0;
    archive_entry_fflags(e, &fset, &fclear);
    if (fset || fclear) platform.push_back("file flags");
    if (archive_entry_atime_is_set(e)) platform.push_back("atime");
    if (archive_entry_ctime_is_set(e)) platform.push_back("ctime");
    if (archive_entry_birthtime_is_set(e)) platform.push_back("creation time");
    // dev/ino are not checked: libarchive's tar reader sets them on every entry.
    if (base_name(norm).starts_with("._")) platform.push_back("an AppleDouble file name");
    if (std::find(parts.begin(), parts.end(), "__MACOSX") != parts.end())
      platform.push_back("a __MACOSX folder");
    if (const auto* keys = tap_.keys_of(report_.entries - 1)) {
      std::string list;
      for (auto& k : *keys) list += (list.empty() ? "" : ", ") + printable(k);
      platform.push_back("vendor pax records " + list);
    }
    if (!platform.empty()) {
      std::string list;
      for (auto& p : platform) list += (list.empty() ? "" : ", ") + p;
      add("MPL004",
          "entry \"" + shown + "\" carries platform-specific metadata (" + list +
              "); it should be omitted from the archive",
          shown);
    }

    // Content.
    if (regular) {
      ++regular_files_;
      if (in_.media_type && in_.media_type->content == LayerContent::Weight && regular_files_ == 2)
        add("MPL005",
            "weight layer holds more than one file (\"" + printable(first_regular_) + "\", \"" +
                shown + "\", ...); each weight file should be its own layer",
            shown);
      if (regular_files_ == 1) first_regular_ = norm;
    }
    EntryFacts facts{norm, archive_entry_size(e), perm, uid, gid, mtime, typeflag_of(e), true};
    if (filepath_) {
      if (norm == *filepath_) described_ = facts, filepath_found_ = true;
      if (norm.starts_with(*filepath_ + "/")) filepath_found_ = true;
    } else if (regular && regular_files_ == 1) {
      described_ = facts;
    }
  }

  // After the last entry: the annotations compared with what the layer holds.
  void finish_tar() {
    // Each link resolved through the layer's final set of links.
    for (const auto& path : links_.order()) {
      const auto* link = links_.find(path);
      if (!link || link->reported) continue;
      auto slash = path.rfind('/');
      auto r = links_.resolve(slash == std::string::npos ? "" : path.substr(0, slash), link->target,
                              true);
      if (r.gave_up) links_overflow_ = true;
      if (!r.escapes) continue;
      std::string shown = printable(path);
      std::string what = link->hardlink_of.empty()
                             ? "symlink \"" + shown + "\" -> \"" + printable(link->target) + "\""
                             : "hardlink \"" + shown + "\" -> symlink \"" +
                                   printable(link->hardlink_of) + "\" -> \"" +
                                   printable(link->target) + "\"";
      add("MPL010",
          what + " resolves outside the layer root" +
              (r.via.empty() ? std::string() : " through symlink \"" + r.via + "\""),
          shown);
    }
    if (links_overflow_)
      add("MPL010",
          "layer's links exceed what the link check follows (" +
              std::to_string(kMaxTrackedLinkBytes) + " bytes of link names and targets, " +
              std::to_string(kMaxLinkResolveWork) +
              " bytes of lookups); the rest were checked on their own text only, so an escape "
              "through other links cannot be ruled out",
          "");
    if (!tap_.global_keys().empty()) {
      std::string list;
      for (auto& k : tap_.global_keys()) list += (list.empty() ? "" : ", ") + printable(k);
      add("MPL004",
          "a global pax header carries vendor records (" + list +
              "); platform-specific metadata should be omitted from the archive",
          "");
    }
    if (filepath_ && !filepath_found_)
      add("MPL006",
          std::string(kAnnotationFilepath) + " is \"" + printable(*filepath_) +
              "\" but the layer has no entry by that path",
          "");
    if (in_.file_metadata && (!filepath_ || filepath_found_)) {
      if (described_)
        compare_metadata(*described_);
      else if (!filepath_)
        add("MPL007",
            std::string(kAnnotationFileMetadata) +
                " is set but the layer holds no regular file it could describe",
            "");
    }
  }

  void finish_raw(std::uint64_t size) {
    if (!in_.file_metadata) return;
    EntryFacts facts;
    facts.name = filepath_ ? std::string(base_name(*filepath_)) : std::string();
    facts.size = static_cast<std::int64_t>(size);
    facts.has_attributes = false;
    compare_metadata(facts);
  }

 private:
  void track_link(const std::string& path, LinkModel::Link link) {
    if (!links_.add(path, std::move(link))) links_overflow_ = true;
  }

  static std::string octal(unsigned v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04o", v);
    return buf;
  }

  void compare_metadata(const EntryFacts& f) {
    rapidjson::Document doc;
    doc.Parse(in_.file_metadata->data(), in_.file_metadata->size());
    if (doc.HasParseError() || !doc.IsObject()) return;  // MPM010 reports malformed values
    std::string entry = printable(f.name);
    auto mismatch = [&](const char* field, std::string seen, std::string actual) {
      add("MPL007",
          std::string(kAnnotationFileMetadata) + " field \"" + field + "\" is " + seen +
              " but the " + (f.has_attributes ? "entry" : "blob") + " has " + actual,
          entry);
    };
    auto it = doc.FindMember("name");
    if (it != doc.MemberEnd() && it->value.IsString() && !f.name.empty()) {
      std::string_view n(it->value.GetString(), it->value.GetStringLength());
      if (n != base_name(f.name) && n != f.name)
        mismatch("name", "\"" + printable(n) + "\"", "\"" + std::string(base_name(entry)) + "\"");
    }
    it = doc.FindMember("size");
    if (it != doc.MemberEnd() && it->value.IsInt64() && f.typeflag == '0' &&
        it->value.GetInt64() != f.size)
      mismatch("size", std::to_string(it->value.GetInt64()), std::to_string(f.size));
    if (!f.has_attributes) return;
    it = doc.FindMember("mode");
    if (it != doc.MemberEnd() && it->value.IsUint() && (it->value.GetUint() & 0777) != f.perm)
      mismatch("mode", octal(it->value.GetUint() & 0777), "permissions " + octal(f.perm));
    for (auto [field, actual] : {std::pair{"uid", f.uid}, std::pair{"gid", f.gid}}) {
      it = doc.FindMember(field);
      if (it != doc.MemberEnd() && it->value.IsInt64() && it->value.GetInt64() != actual)
        mismatch(field, std::to_string(it->value.GetInt64()), std::to_string(actual));
    }
    it = doc.FindMember("mtime");
    if (it != doc.MemberEnd() && it->value.IsString()) {
      std::string_view s(it->value.GetString(), it->value.GetStringLength());
      if (auto t = parse_rfc3339(s); t && *t != f.mtime)
        mismatch("mtime", "\"" + printable(s) + "\" (" + std::to_string(*t) + ")",
                 "mtime " + std::to_string(f.mtime));
    }
    it = doc.FindMember("typeflag");
    if (it != doc.MemberEnd() && it->value.IsUint()) {
      unsigned tf = it->value.GetUint();
      bool same = tf == unsigned(f.typeflag) || (f.typeflag == '0' && tf == 0);
      if (!same)
        mismatch("typeflag", std::to_string(tf),
                 std::to_string(f.typeflag) + " ('" + char(f.typeflag) + "')");
    }
  }

  const LayerInput& in_;
  LayerReport& report_;
  const PaxKeyTap& tap_;
  std::map<std::string, std::size_t> per_rule_;
  std::optional<std::string> filepath_;
  bool filepath_found_ = false;
  std::optional<EntryFacts> described_;
  std::optional<EntryFacts> first_;
  std::string prev_name_, first_regular_;
  std::size_t regular_files_ = 0;
  bool order_reported_ = false, mtime_reported_ = false, uid_reported_ = false,
       gid_reported_ = false;
  LinkModel links_;
  bool links_overflow_ = false;
};

void read_tar(Pipeline& pipe, PaxKeyTap& tap, Inspector& inspector, const LayerLimits& limits,
              LayerReport& report) {
  archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  TarFeed feed{pipe, tap};
  // No skip callback: skipped entry data is read through the pipeline, so it is hashed.
  if (archive_read_open(a, &feed, nullptr, pipeline_read, nullptr) != ARCHIVE_OK) {
    if (pipe.data_error().empty() && pipe.read_error().empty() && !pipe.ratio_exceeded())
      inspector.add("MPL015",
                    std::string("layer is not a tar archive: ") +
                        (archive_error_string(a) ? archive_error_string(a) : "unreadable"),
                    "");
    archive_read_free(a);
    return;
  }
  archive_entry* e = nullptr;
  int r;
  bool limited = false;
  while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
    if (++report.entries > limits.max_entries) {
      inspector.add("MPL014",
                    "layer has more than " + std::to_string(limits.max_entries) +
                        " entries; inspection stopped (raise the limit with --max-entries)",
                    "");
      limited = true;
      break;
    }
    inspector.entry(e);
    r = archive_read_data_skip(a);
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) break;
  }
  if (!limited && r != ARCHIVE_EOF && pipe.data_error().empty() && pipe.read_error().empty() &&
      !pipe.ratio_exceeded())
    inspector.add("MPL015",
                  std::string("tar archive is corrupt or truncated: ") +
                      (archive_error_string(a) ? archive_error_string(a) : "read failed"),
                  "");
  archive_read_free(a);
  if (!limited) inspector.finish_tar();
}

}  // namespace

LayerReport inspect_layer(BlobStream& blob, const LayerInput& input, const LayerLimits& limits,
                          std::atomic<std::uint64_t>* progress) {
  LayerReport report;
  LayerFormat format = input.media_type ? input.media_type->format : LayerFormat::Raw;
  bool tar = input.media_type && format != LayerFormat::Raw;
  bool compressed = format == LayerFormat::TarGzip || format == LayerFormat::TarZstd;
  auto blob_hash = BlobHasher::create(input.blob_algorithm);
  // For .raw and .tar the diffID is the blob's own digest: hash once when the algorithms agree.
  bool own_diff_hash =
      input.media_type && (compressed || input.diff_id_algorithm != input.blob_algorithm);
  std::optional<BlobHasher> diff_hash;
  if (own_diff_hash) diff_hash = BlobHasher::create(input.diff_id_algorithm);
  double ratio = std::max(limits.max_ratio, 1.0);
  double bound = ratio * double(std::max<std::uint64_t>(input.blob_size, kRatioFloorBytes));
  std::uint64_t max_plain = bound >= 1.8e19 ? UINT64_MAX : static_cast<std::uint64_t>(bound);
  Pipeline pipe(blob, tar ? format : LayerFormat::Raw, std::move(blob_hash), std::move(diff_hash),
                max_plain, progress);
  PaxKeyTap tap;
  Inspector inspector(input, report, tap);
  if (tar) read_tar(pipe, tap, inspector, limits, report);
  pipe.drain();
  report.blob_bytes = pipe.raw_bytes();
  if (!pipe.read_error().empty()) {
    report.read_error = pipe.read_error();
    return report;
  }
  if (!tar) inspector.finish_raw(pipe.raw_bytes());
  if (pipe.ratio_exceeded())
    inspector.add("MPL013",
                  "layer decompresses to more than " + std::to_string(max_plain) + " bytes (" +
                      std::to_string(static_cast<long long>(ratio)) +
                      "x its size); inspection stopped (raise the limit with --max-ratio)",
                  "");
  if (!pipe.data_error().empty()) inspector.add("MPL015", pipe.data_error(), "");
  inspector.finish_counts();
  if (pipe.blob_hash()) report.blob_digest = pipe.blob_hash()->finish();
  if (input.media_type && !pipe.ratio_exceeded() && pipe.data_error().empty()) {
    if (pipe.diff_hash())
      report.diff_id = pipe.diff_hash()->finish();
    else if (report.blob_digest && input.diff_id_algorithm == input.blob_algorithm)
      report.diff_id = report.blob_digest;
  }
  return report;
}

}  // namespace mpcheck
