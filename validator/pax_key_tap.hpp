#pragma once
// Follows the tar block structure of an uncompressed layer stream to read the raw pax records
// that libarchive consumes without exposing (vendor keys such as SCHILY.dev, APPLE.*, GNU.*).
// Only headers are looked at; a header whose checksum does not match turns the tap off, so a
// lost track never produces findings.
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace mpcheck {

class PaxKeyTap {
 public:
  // Vendor records kept per entry; more are counted in the message, not stored.
  static constexpr std::size_t kMaxKeysPerEntry = 8;
  // Largest pax header payload looked at; longer ones turn the tap off.
  static constexpr std::size_t kMaxPaxBytes = 1u << 20;

  void feed(std::span<const unsigned char> bytes);
  // Vendor keys of the pax header in front of entry `ordinal` (0-based, in archive order).
  const std::vector<std::string>* keys_of(std::uint64_t ordinal) const;
  const std::vector<std::string>& global_keys() const { return global_; }
  bool lost_track() const { return state_ == State::Off; }

 private:
  enum class State { Header, PaxData, Skip, Off };
  void on_header();
  void on_pax_done();

  State state_ = State::Header;
  unsigned char header_[512] = {};
  std::size_t header_len_ = 0;
  std::uint64_t remaining_ = 0;  // bytes of the current data area (with padding) still to come
  std::uint64_t pax_size_ = 0;
  bool pax_global_ = false;
  std::string pax_;
  std::uint64_t size_override_ = 0;
  bool has_size_override_ = false;
  std::vector<std::string> pending_;
  std::uint64_t ordinal_ = 0;
  std::map<std::uint64_t, std::vector<std::string>> by_entry_;
  std::vector<std::string> global_;
};

}  // namespace mpcheck
