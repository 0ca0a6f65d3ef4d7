#pragma once
// Small pieces the harnesses share.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mpcheck::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Reads every string of every finding, so ASan checks the memory findings point into.
template <class Diagnostics>
void touch(const Diagnostics& diags) {
  volatile std::size_t sum = 0;
  for (const auto& d : diags) {
    for (char c : d.message) sum = sum + static_cast<unsigned char>(c);
    sum = sum + d.rule.size() + d.pointer.size() + d.line + d.column;
  }
}

}  // namespace mpcheck::fuzz
