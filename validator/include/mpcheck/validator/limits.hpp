#pragma once
// Bounds on the work and memory a hostile document, layout or archive can cause, in one place.
// docs/usage.md#limits lists them; the ones a user may need to raise have a flag.
#include <cstddef>
#include <cstdint>

#include "mpcheck/schema/schema_set.hpp"

namespace mpcheck {

// Longest string or member name matched against a schema pattern (see schema_set.hpp).
using schema::kMaxPatternCheckedLength;

// Findings of one rule shown per linted document; one more finding counts the rest.
// `mpcheck lint --max-findings` overrides it (0 = no cap).
inline constexpr std::size_t kDefaultMaxFindingsPerRule = 100;

// Symlinks followed while resolving one layer link target against the layer's tree (Linux
// gives up after 40 as well), and the components walked in that resolution.
inline constexpr unsigned kMaxSymlinkHops = 40;
inline constexpr std::size_t kMaxLinkResolveSteps = 4096;
// Bytes of paths looked up while resolving all links of one layer (bounds the CPU a layer of
// long, deep link targets can cost).
inline constexpr std::size_t kMaxLinkResolveWork = 256u << 20;
// Bytes of link names and targets a layer inspection keeps to resolve links through each other;
// links beyond it are still checked on their own text.
inline constexpr std::size_t kMaxTrackedLinkBytes = 16u << 20;

// A layout archive's entries that can be layout files (oci-layout, index.json, blobs/...) are
// indexed; others are skipped. Names longer than this cannot be a layout file.
inline constexpr std::size_t kMaxLayoutEntryNameBytes = 1024;
// Layout entries indexed per archive, and the bytes of their names: beyond either, finding MPA013.
inline constexpr std::size_t kMaxLayoutArchiveEntries = 100'000;
inline constexpr std::size_t kMaxLayoutArchiveNameBytes = 8u << 20;
// Duplicate layout names listed one finding each; the rest are counted in one more finding.
inline constexpr std::size_t kMaxDuplicateEntryFindings = 20;

}  // namespace mpcheck
