// core_bench: builds the demo community, cuts its log at 100k ops and measures the core.
// Prints "name value unit" lines (core.apply_ops_per_s, core.decode_apply_ops_per_s,
// core.snapshot_ms_100k, core.snapshot_read_ms_100k, core.state_mb_100k) and the state hash, which
// must be equal natively and in wasm. Timing (std::chrono) lives here only, never in src/core.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <malloc.h>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include "core/demo.h"
#include "core/reducer.h"
#include "core/snapshot.h"

using namespace sihui::core;

// [SECTION] Counting allocator: live heap bytes, to measure the state's memory on every platform.
// Counting is on only while the state to be measured is built (g_count), so the timed passes run
// on the plain allocator: the allocator's real block sizes (malloc_usable_size, glibc and
// emscripten's dlmalloc alike) are added and taken off, nothing is stored beside the blocks.
static bool g_count = false;
static std::size_t g_live = 0;
void* operator new(std::size_t n) {
  void* p = std::malloc(n ? n : 1);
  if (!p) throw std::bad_alloc();
  if (g_count) g_live += malloc_usable_size(p);
  return p;
}
void operator delete(void* p) noexcept {
  if (!p) return;
  if (g_count) g_live -= malloc_usable_size(p);
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }

namespace {
double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

int main(int argc, char** argv) {
  std::string path = argc > 1 ? argv[1] : SIHUI_SOURCE_DIR "/assets/schema/ops.json";
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  Schema schema;
  std::string err;
  if (!schema.load(ss.str(), &err)) {
    std::fprintf(stderr, "core_bench: cannot load %s: %s\n", path.c_str(), err.c_str());
    return 1;
  }
  const std::size_t kOps = 100000;
  DemoOptions o;
  o.end = shanghai_ms(2023, 1, 1);
  o.max_ops = kOps;
  double t0 = now_s();
  std::vector<Op> ops = make_demo(o);
  std::vector<std::string> text;
  text.reserve(ops.size());
  for (const auto& op : ops) text.push_back(encode_op(op));
  std::fprintf(stderr, "core_bench: %zu demo ops made and encoded in %.2f s\n", ops.size(), now_s() - t0);
  Reducer reducer(schema);

  // The ops as a device has them after decoding the log (defaults filled in by the schema), not
  // as the generator built them: apply-only measures applying exactly what decode+apply applies.
  std::vector<Op> decoded(text.size());
  for (std::size_t i = 0; i < text.size(); ++i)
    if (decode_op(schema, text[i], &decoded[i]) != DecodeError::ok) return 2;
  // SIHUI_BENCH_PROFILE_APPLY=N: apply the decoded ops N times and stop (for perf/callgrind runs
  // that should see the apply loop and nothing else).
  if (const char* env = std::getenv("SIHUI_BENCH_PROFILE_APPLY")) {
    int n = std::atoi(env);
    std::size_t accepted = 0;
    for (int rep = 0; rep < n; ++rep) {
      State s;
      for (const auto& op : decoded) accepted += reducer.apply(s, op).verdict == Verdict::accepted;
    }
    std::printf("applied %d x %zu ops, %zu accepted\n", n, decoded.size(), accepted);
    return 0;
  }
  std::string made_hash;
  {
    State s;
    for (const auto& op : ops) reducer.apply(s, op);
    made_hash = hash_hex(state_hash(s));
  }

  // Applying decoded ops, then decoding and applying: kPasses passes each on a fresh state; the
  // figure is the best pass (a 20-40 ms pass on a shared machine is easily interrupted), and the
  // median is printed beside it. The state hash is checked on the first and the last pass.
  constexpr int kPasses = 9;
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  std::vector<double> apply_s, da_s;
  std::string hash;
  std::size_t refused = 0;
  for (int rep = 0; rep < kPasses; ++rep) {
    State s;
    double a = now_s();
    for (const auto& op : decoded) refused += reducer.apply(s, op).verdict != Verdict::accepted;
    apply_s.push_back(now_s() - a);
    if (rep == 0 || rep == kPasses - 1) {
      hash = hash_hex(state_hash(s));
      if (hash != made_hash) {
        std::fprintf(stderr, "core_bench: the decoded ops gave another state than the generated ones\n");
        return 3;
      }
    }
  }
  const double best = *std::min_element(apply_s.begin(), apply_s.end());
  std::printf("core.apply_ops_per_s %.0f ops/s\n", static_cast<double>(ops.size()) / best);
  std::printf("core.apply_ops_per_s_median %.0f ops/s\n", static_cast<double>(ops.size()) / median(apply_s));

  for (int rep = 0; rep < kPasses; ++rep) {
    State s;
    Op op;
    double a = now_s();
    for (const auto& t : text) {
      if (decode_op(schema, t, &op) != DecodeError::ok) return 2;
      reducer.apply(s, op);
    }
    da_s.push_back(now_s() - a);
    if ((rep == 0 || rep == kPasses - 1) && hash_hex(state_hash(s)) != hash) {
      std::fprintf(stderr, "core_bench: decode+apply gave another state\n");
      return 3;
    }
  }
  const double best_da = *std::min_element(da_s.begin(), da_s.end());
  std::printf("core.decode_apply_ops_per_s %.0f ops/s\n", static_cast<double>(ops.size()) / best_da);
  std::printf("core.decode_apply_ops_per_s_median %.0f ops/s\n", static_cast<double>(ops.size()) / median(da_s));

  // State memory and snapshot write/read times.
  g_count = true;
  State* s = new State;
  for (const auto& op : decoded) reducer.apply(*s, op);
  g_count = false;
  std::size_t state_bytes = g_live - malloc_usable_size(s);
  double a = now_s();
  std::string snap = write_snapshot(*s);
  double b = now_s();
  State back;
  if (!read_snapshot(snap, &back, &err)) return 4;
  double c = now_s();
  std::printf("core.snapshot_ms_100k %.1f ms\n", (b - a) * 1000);
  std::printf("core.snapshot_read_ms_100k %.1f ms\n", (c - b) * 1000);
  std::printf("core.snapshot_mb_100k %.2f MB\n", static_cast<double>(snap.size()) / 1e6);
  std::printf("core.state_mb_100k %.2f MB\n", static_cast<double>(state_bytes) / 1e6);
  std::printf("core.apply_total_s_100k %.4f s\n", best);
  std::printf("core.decode_apply_total_s_100k %.4f s\n", best_da);
  std::printf("core.state_hash %s (ops %zu, refused %zu, persons %zu, sittings %zu, reports %zu, notes %zu)\n", hash.c_str(),
              ops.size(), refused / kPasses, s->persons.size(), s->sittings.size(), s->reports.size(), s->notes.size());
  if (argc > 2) {  // core_bench SCHEMA OUT: also write the snapshot, to compare platforms byte for byte
    std::ofstream out(argv[2], std::ios::binary);
    out << snap;
  }
  delete s;
  return 0;
}
