#include "pax_key_tap.hpp"

#include <algorithm>
#include <cstring>

namespace mpcheck {
namespace {

constexpr std::size_t kMaxEntriesWithKeys = 64;

std::uint64_t round_up(std::uint64_t n) {
  return (n + 511) / 512 * 512;
}

// A numeric header field: octal digits, or GNU base-256 when the high bit is set.
bool parse_number(const unsigned char* f, std::size_t len, std::uint64_t& out) {
  out = 0;
  if (f[0] & 0x80) {
    out = f[0] & 0x3f;
    for (std::size_t i = 1; i < len; ++i) {
      if (out >> 55) return false;
      out = (out << 8) | f[i];
    }
    return true;
  }
  std::size_t i = 0;
  while (i < len && (f[i] == ' ' || f[i] == 0)) ++i;
  for (; i < len && f[i] >= '0' && f[i] <= '7'; ++i) out = out * 8 + (f[i] - '0');
  return true;
}

// A vendor pax keyword: "VENDOR.keyword" with an upper-case vendor name (POSIX pax,
// "extended header keywords"): SCHILY., LIBARCHIVE., GNU., APPLE., ...
bool is_vendor_key(std::string_view key) {
  auto dot = key.find('.');
  if (dot == 0 || dot == std::string_view::npos) return false;
  return std::all_of(key.begin(), key.begin() + dot, [](char c) { return c >= 'A' && c <= 'Z'; });
}

}  // namespace

void PaxKeyTap::feed(std::span<const unsigned char> bytes) {
  while (!bytes.empty() && state_ != State::Off) {
    switch (state_) {
      case State::Header: {
        std::size_t take = std::min(bytes.size(), sizeof header_ - header_len_);
        std::memcpy(header_ + header_len_, bytes.data(), take);
        header_len_ += take;
        bytes = bytes.subspan(take);
        if (header_len_ == sizeof header_) {
          header_len_ = 0;
          on_header();
        }
        break;
      }
      case State::PaxData: {
        std::size_t take =
            static_cast<std::size_t>(std::min<std::uint64_t>(bytes.size(), remaining_));
        std::uint64_t consumed = round_up(pax_size_) - remaining_;
        if (consumed < pax_size_) {
          std::size_t payload =
              static_cast<std::size_t>(std::min<std::uint64_t>(take, pax_size_ - consumed));
          pax_.append(reinterpret_cast<const char*>(bytes.data()), payload);
        }
        remaining_ -= take;
        bytes = bytes.subspan(take);
        if (remaining_ == 0) {
          on_pax_done();
          if (state_ != State::Off) state_ = State::Header;
        }
        break;
      }
      case State::Skip: {
        std::size_t take =
            static_cast<std::size_t>(std::min<std::uint64_t>(bytes.size(), remaining_));
        remaining_ -= take;
        bytes = bytes.subspan(take);
        if (remaining_ == 0) state_ = State::Header;
        break;
      }
      case State::Off:
        break;
    }
  }
}

void PaxKeyTap::on_header() {
  if (std::all_of(std::begin(header_), std::end(header_), [](unsigned char c) { return c == 0; }))
    return;  // end-of-archive blocks
  std::uint64_t stored = 0;
  parse_number(header_ + 148, 8, stored);
  std::uint64_t sum = 0;
  long long signed_sum = 0;
  for (std::size_t i = 0; i < sizeof header_; ++i) {
    unsigned char c = (i >= 148 && i < 156) ? ' ' : header_[i];
    sum += c;
    signed_sum += static_cast<signed char>(c);
  }
  if (stored != sum && static_cast<long long>(stored) != signed_sum) {
    state_ = State::Off;
    return;
  }
  std::uint64_t size = 0;
  if (!parse_number(header_ + 124, 12, size)) {
    state_ = State::Off;
    return;
  }
  switch (header_[156]) {
    case 'x':
    case 'X':
    case 'g':
      if (size > kMaxPaxBytes) {
        state_ = State::Off;
        return;
      }
      pax_global_ = header_[156] == 'g';
      pax_size_ = size;
      pax_.clear();
      remaining_ = round_up(size);
      state_ = State::PaxData;
      if (remaining_ == 0) {
        on_pax_done();
        if (state_ != State::Off) state_ = State::Header;
      }
      return;
    case 'L':  // GNU long name / long link name: data, then the real header
    case 'K':
      remaining_ = round_up(size);
      state_ = remaining_ ? State::Skip : State::Header;
      return;
    case 'S':  // old GNU sparse, multi-volume, volume label: not followed
    case 'M':
    case 'V':
      state_ = State::Off;
      return;
    default:
      break;
  }
  // An entry header: symlinks, devices and FIFOs have no data whatever the size field says.
  unsigned char t = header_[156];
  std::uint64_t data = has_size_override_ ? size_override_ : size;
  if (t == '2' || t == '3' || t == '4' || t == '6') data = 0;
  if (!pending_.empty() && by_entry_.size() < kMaxEntriesWithKeys)
    by_entry_[ordinal_] = std::move(pending_);
  pending_.clear();
  has_size_override_ = false;
  ++ordinal_;
  remaining_ = round_up(data);
  state_ = remaining_ ? State::Skip : State::Header;
}

void PaxKeyTap::on_pax_done() {
  // Records are "<length> <key>=<value>\n", the length counting the whole record.
  std::string_view rest = pax_;
  while (!rest.empty()) {
    std::size_t len = 0, i = 0;
    while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9' && len < kMaxPaxBytes)
      len = len * 10 + static_cast<std::size_t>(rest[i++] - '0');
    if (i == 0 || len <= i || len > rest.size() || rest[i] != ' ') {
      state_ = State::Off;  // not pax records: stop rather than guess
      return;
    }
    std::string_view record = rest.substr(i + 1, len - i - 1);
    rest.remove_prefix(len);
    auto eq = record.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = record.substr(0, eq);
    std::string_view value = record.substr(eq + 1);
    if (!value.empty() && value.back() == '\n') value.remove_suffix(1);
    if (key == "size" && !pax_global_) {
      std::uint64_t v = 0;
      for (char c : value) {
        if (c < '0' || c > '9' || v > (UINT64_MAX / 10 - 1)) break;
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
      }
      size_override_ = v;
      has_size_override_ = true;
    }
    if (is_vendor_key(key)) {
      auto& list = pax_global_ ? global_ : pending_;
      if (list.size() < kMaxKeysPerEntry) list.emplace_back(key.substr(0, 120));
    }
  }
}

const std::vector<std::string>* PaxKeyTap::keys_of(std::uint64_t ordinal) const {
  auto it = by_entry_.find(ordinal);
  return it == by_entry_.end() ? nullptr : &it->second;
}

}  // namespace mpcheck
