// snapshot: the whole State as canonical JSON (sorted keys, integers only) with a format version,
// loading it back without exceptions, and a 64-bit FNV-1a state hash over those bytes.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "core/model.h"

namespace sihui::core {

inline constexpr int kSnapshotFormat = 1;  // bump when a stored field changes meaning

std::string write_snapshot(const State& s);
// Replaces *out on success; on failure *out is untouched and *error says why.
bool read_snapshot(std::string_view bytes, State* out, std::string* error);
// The two readers behind read_snapshot, for tests and the fuzz target. The reference reader parses
// with nlohmann::json into a DOM and defines what is accepted and the error texts; the fast reader
// (one pass, no DOM) gives up on anything outside what write_snapshot produces, and must give
// the same State as the reference whenever it accepts.
bool read_snapshot_reference(std::string_view bytes, State* out, std::string* error);
bool read_snapshot_fast(std::string_view bytes, State* out);

std::uint64_t fnv1a64(std::string_view bytes);
std::uint64_t state_hash(const State& s);  // fnv1a64(write_snapshot(s))
std::string hash_hex(std::uint64_t h);     // 16 lowercase hex digits

}  // namespace sihui::core
