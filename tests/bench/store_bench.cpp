// store_bench: the native log store on a temp folder with the demo community's ops, fsync on.
// Prints "name value unit" lines:
//   store.native_save_us_1k    median time of append_pending (write + fsync) with 1k confirmed ops stored
//   store.native_save_us_100k  the same with 100k stored (should be flat)
//   store.native_open_ms_100k  open(): newest snapshot + segments + tail + outbox, 100k stored
// Usage: store_bench [schema.json] [temp folder]. Timing lives here only, never in src/.
//        store_bench --export N FILE: writes the export file of a store holding the first N demo ops
//        as confirmed (the browser bench imports it to measure saves with N ops stored).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "core/demo.h"
#include "core/snapshot.h"
#include "store/log_store.h"

using namespace sihui;

namespace {
double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Stores the first n ops, then times `saves` pending ops; returns the median in microseconds.
double save_us(const core::Schema& schema, const std::vector<core::Op>& ops, std::size_t n, const std::string& root,
               int saves) {
  std::filesystem::remove_all(root);
  store::PosixFileOps files(true);
  store::LogStore st(schema, files);
  if (!st.open(root, {{}, "bench"}).ok) return -1;
  for (std::size_t i = 0; i < n; i += 2000) {  // as sync would pull them, 2,000 at a time
    std::vector<core::Op> batch(ops.begin() + static_cast<std::ptrdiff_t>(i),
                                ops.begin() + static_cast<std::ptrdiff_t>(std::min(i + 2000, n)));
    if (!st.append_confirmed(batch)) return -1;
  }
  std::vector<double> t;
  for (int k = 0; k < saves; ++k) {
    core::Op op = ops[n + static_cast<std::size_t>(k)];  // the next ops of the log, made here instead
    op.seq = 0;
    char id[33];
    std::snprintf(id, sizeof id, "%032x", 0xbe000000u + static_cast<unsigned>(k));
    op.id = id;
    double a = now_s();
    if (!st.append_pending(op).saved) return -1;
    t.push_back((now_s() - a) * 1e6);
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}
}  // namespace

int export_demo(const core::Schema& schema, std::size_t n, const std::string& file) {
  core::DemoOptions o;
  o.end = core::shanghai_ms(2023, 1, 1);
  o.max_ops = n;
  auto ops = core::make_demo(o);
  if (ops.size() < n) return 1;
  std::string root = (std::filesystem::temp_directory_path() / ("sihui-export-" + std::to_string(::getpid()))).string();
  std::filesystem::remove_all(root);
  store::PosixFileOps files(false);
  store::LogStore st(schema, files);
  if (!st.open(root, {{}, "bench"}).ok) return 2;
  for (std::size_t i = 0; i < n; i += 2000) {
    std::vector<core::Op> batch(ops.begin() + static_cast<std::ptrdiff_t>(i),
                                ops.begin() + static_cast<std::ptrdiff_t>(std::min(i + 2000, n)));
    if (!st.append_confirmed(batch)) return 3;
  }
  std::ofstream out(file, std::ios::binary);
  out << st.export_all();
  std::filesystem::remove_all(root);
  return out.good() ? 0 : 4;
}

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--export") {
    std::ifstream sf(SIHUI_SOURCE_DIR "/assets/schema/ops.json", std::ios::binary);
    std::stringstream sss;
    sss << sf.rdbuf();
    core::Schema schema;
    std::string err;
    if (!schema.load(sss.str(), &err)) return 1;
    return export_demo(schema, static_cast<std::size_t>(std::stoul(argv[2])), argv[3]);
  }
  std::string path = argc > 1 ? argv[1] : SIHUI_SOURCE_DIR "/assets/schema/ops.json";
  std::string tmp = argc > 2 ? argv[2] : (std::filesystem::temp_directory_path() / ("sihui-store-bench-" + std::to_string(::getpid()))).string();
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  core::Schema schema;
  std::string err;
  if (!schema.load(ss.str(), &err)) {
    std::fprintf(stderr, "store_bench: cannot load %s: %s\n", path.c_str(), err.c_str());
    return 1;
  }
  const int kSaves = 200;
  core::DemoOptions o;
  o.end = core::shanghai_ms(2023, 1, 1);
  o.max_ops = 100000 + kSaves;
  double t0 = now_s();
  std::vector<core::Op> ops = core::make_demo(o);
  if (ops.size() < o.max_ops) {
    std::fprintf(stderr, "store_bench: the demo gave only %zu ops\n", ops.size());
    return 1;
  }
  std::fprintf(stderr, "store_bench: %zu demo ops in %.2f s; folder %s\n", ops.size(), now_s() - t0, tmp.c_str());

  double s1k = save_us(schema, ops, 1000, tmp, kSaves);
  double s100k = save_us(schema, ops, 100000, tmp, kSaves);
  if (s1k < 0 || s100k < 0) {
    std::fprintf(stderr, "store_bench: a write failed in %s\n", tmp.c_str());
    return 2;
  }
  std::printf("store.native_save_us_1k %.0f us\n", s1k);
  std::printf("store.native_save_us_100k %.0f us\n", s100k);

  // Start-up on the 100k store left by the last run (best of 3).
  double best = 1e9;
  std::size_t files = 0, problems = 0;
  std::string hash;
  for (int rep = 0; rep < 3; ++rep) {
    store::PosixFileOps fs(true);
    store::LogStore st(schema, fs);
    double a = now_s();
    auto r = st.open(tmp);
    best = std::min(best, now_s() - a);
    if (!r.ok) return 3;
    problems += r.problems.size();
    hash = core::hash_hex(core::state_hash(st.replica().view()));
  }
  for (auto& e : std::filesystem::recursive_directory_iterator(tmp)) files += e.is_regular_file();
  std::printf("store.native_open_ms_100k %.1f ms\n", best * 1000);
  std::fprintf(stderr, "store_bench: %zu files in the 100k store, %zu problems on open, view hash %s\n", files, problems,
               hash.c_str());
  std::filesystem::remove_all(tmp);
  return problems == 0 ? 0 : 4;
}
