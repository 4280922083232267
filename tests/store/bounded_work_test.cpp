// Bounded work: saving one op after 100k stored ops writes the same bytes to the same files as
// after 1k (counted through FileOps, not timed), and the folder holds a bounded number of files.
#include <catch_amalgamated.hpp>

#include "store_support.h"

using namespace sihui;

namespace {
// n cheap confirmed ops: the same person's name set again and again (the state stays small).
std::vector<core::Op> many(std::size_t n) {
  auto setup = test::demo(400);
  std::vector<core::Op> out(setup.begin(), setup.end());
  core::Op tmpl;
  const core::Op* person = nullptr;
  for (const auto& op : setup)
    if (op.kind == core::Kind::person_add) person = &op;
  REQUIRE(person != nullptr);
  nlohmann::json j = {{"id", std::string(32, '0')}, {"kind", "person.update"}, {"author", setup.front().author},
                      {"made_at", setup.back().made_at}, {"seq", 1},
                      {"payload", {{"person", person->payload.str("id")}, {"name", "王阿姨"}}}};
  REQUIRE(core::decode_op_json(test::schema(), j, &tmpl) == core::DecodeError::ok);
  char id[33];
  for (std::size_t i = out.size(); i < n; ++i) {
    tmpl.seq = static_cast<std::int64_t>(i + 1);
    std::snprintf(id, sizeof id, "%032zx", i + 1000000);
    tmpl.id = id;
    out.push_back(tmpl);
  }
  return out;
}

struct Cost {
  std::uint64_t bytes = 0;
  long steps = 0;
  std::set<std::string> files;
};

Cost cost_of_one_save(std::size_t stored, std::size_t* file_count) {
  auto root = test::fresh_dir("bounded-" + std::to_string(stored));
  store::PosixFileOps real(false);
  test::FaultFs fs(real);
  store::LogStore st(test::schema(), fs);
  REQUIRE(st.open(root, {{}, "dev-b"}).ok);  // the real limits
  auto ops = many(stored);
  for (std::size_t i = 0; i < ops.size(); i += 5000)
    REQUIRE(st.append_confirmed(std::vector<core::Op>(ops.begin() + static_cast<std::ptrdiff_t>(i),
                                                      ops.begin() + static_cast<std::ptrdiff_t>(std::min(i + 5000, ops.size())))));
  // Five pending ops already waiting, then the measured save (same op in both stores).
  for (std::size_t i = 0; i < 6; ++i) {
    core::Op p = ops.back();
    p.seq = 0;
    p.id = test::op_hex(i + 1);
    if (i == 5) fs.reset_counts();
    REQUIRE(st.append_pending(p).saved);
  }
  Cost c{fs.bytes_written, fs.steps, {}};
  for (const auto& p : fs.touched) c.files.insert(p.substr(root.size()));
  *file_count = test::count_files(root);
  std::filesystem::remove_all(root);
  return c;
}
}  // namespace

TEST_CASE("saving one op costs the same after 100k stored ops as after 1k") {
  std::size_t files_1k = 0, files_100k = 0;
  auto small = cost_of_one_save(1000, &files_1k);
  auto big = cost_of_one_save(100000, &files_100k);
  CHECK(small.steps == 1);
  CHECK(big.steps == small.steps);
  CHECK(big.bytes == small.bytes);
  CHECK(big.files == small.files);
  CHECK(big.files == std::set<std::string>{"/outbox.log"});
  CHECK(small.bytes < 2000);
  CHECK(files_100k <= 20);
  CAPTURE(files_1k, files_100k);
}
