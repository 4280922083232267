// store_support: shared helpers of the log store tests: the schema, a small demo log, temp folders,
// and FaultFs, a FileOps that counts what it does and can fail, tear or "crash" at the k-th step.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "core/demo.h"
#include "core/replica.h"
#include "core/schema.h"
#include "core/snapshot.h"
#include "store/file_ops.h"
#include "store/log_store.h"
#include "../core/support.h"  // slurp() and schema(), shared with the core tests

namespace sihui::test {

// The first n ops of a small demo community (confirmed, seq 1..n).
inline std::vector<core::Op> demo(std::size_t n = 400) {
  static const std::vector<core::Op> ops = [] {
    core::DemoOptions o;
    o.residents = 400;  // below ~300 the generator divides by zero (demo.cpp Rng::below(0))
    o.max_ops = 400;
    return core::make_demo(o);
  }();
  if (n > ops.size()) {
    std::fprintf(stderr, "demo: only %zu ops\n", ops.size());
    std::abort();
  }
  return std::vector<core::Op>(ops.begin(), ops.begin() + static_cast<std::ptrdiff_t>(n));
}

inline std::string op_hex(std::uint64_t n) {
  char buf[33];
  std::snprintf(buf, sizeof buf, "%032llx", static_cast<unsigned long long>(n));
  return buf;
}

// Op i of the demo as if made on this device and not yet confirmed.
inline core::Op as_pending(core::Op op) {
  op.seq = 0;
  return op;
}

inline std::string fresh_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("sihui-store-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

inline std::string hash_of(const core::State& s) { return core::hash_hex(core::state_hash(s)); }

// A FileOps over another one that counts and injects one fault at mutating step `fail_at`.
struct FaultFs final : store::FileOps {
  enum class Mode {
    none,   // no fault
    stop,   // step fail_at does nothing and fails; every later call fails (the process died)
    torn,   // step fail_at writes half its bytes (if it writes), then as stop
    after,  // step fail_at takes effect but reports failure (died before the acknowledgement)
  };
  store::FileOps& real;
  Mode mode = Mode::none;
  long fail_at = -1;
  long steps = 0;            // mutating steps seen (write, append, rename, remove, make_dir)
  bool dead = false;
  std::uint64_t bytes_written = 0;
  std::set<std::string> touched;  // paths written, appended, renamed or removed

  explicit FaultFs(store::FileOps& r) : real(r) {}
  void reset_counts() {
    steps = 0;
    bytes_written = 0;
    touched.clear();
  }
  // Returns: 0 go on, 1 fail with no effect, 2 tear, 3 do then fail.
  int gate() {
    if (dead) return 1;
    long k = steps++;
    if (mode == Mode::none || k != fail_at) return 0;
    dead = true;
    return mode == Mode::stop ? 1 : mode == Mode::torn ? 2 : 3;
  }
  bool put(const std::string& p, std::string_view b, bool app) {
    int g = gate();
    if (g == 1) return false;
    if (g == 2) b = b.substr(0, b.size() / 2);
    touched.insert(p);
    bytes_written += b.size();
    bool ok = app ? real.append(p, b) : real.write(p, b);
    return ok && g == 0;
  }
  bool read(const std::string& p, std::string* out) override { return !dead && real.read(p, out); }
  bool write(const std::string& p, std::string_view b) override { return put(p, b, false); }
  bool append(const std::string& p, std::string_view b) override { return put(p, b, true); }
  bool rename(const std::string& a, const std::string& b) override {
    int g = gate();
    if (g == 1 || g == 2) return false;
    touched.insert(b);
    return real.rename(a, b) && g == 0;
  }
  bool remove(const std::string& p) override {
    int g = gate();
    if (g == 1 || g == 2) return false;
    touched.insert(p);
    return real.remove(p) && g == 0;
  }
  bool make_dir(const std::string& p) override {
    int g = gate();
    if (g == 1 || g == 2) return false;
    return real.make_dir(p) && g == 0;
  }
  bool list(const std::string& d, std::vector<std::string>* n) override { return !dead && real.list(d, n); }
};

// The state a clean replay of the first `confirmed` demo ops plus these pending ops gives.
inline core::Replica clean_replay(std::size_t confirmed, const std::vector<core::Op>& pending) {
  core::Replica r(schema());
  for (const auto& op : pending) r.add_pending(op);
  r.apply_confirmed(demo(confirmed));
  return r;
}

inline std::size_t count_files(const std::string& root) {
  std::size_t n = 0;
  for (auto& e : std::filesystem::recursive_directory_iterator(root))
    if (e.is_regular_file() && e.path().string().find("/damaged/") == std::string::npos) ++n;
  return n;
}

}  // namespace sihui::test
