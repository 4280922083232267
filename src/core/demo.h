// demo: a plausible Cangnan Street community generated from a seed, as confirmed ops (seq 1..N,
// time order), for tests, benchmarks and the app's demo mode. Deterministic on every platform.
// Facts from the article are used as the article gives them (the canteen opened April 2019 with
// 40 seats for residents aged 80+; 15 dough-figurine sessions since 2018 taught by 孟祥祥; the
// monthly 月月仓南节; weekly moral-clinic duty with over 80% of cases resolved). Everything else,
// every other name included, is invented.
#pragma once
#include <cstdint>
#include <vector>

#include "core/civil.h"
#include "core/op.h"

namespace sihui::core {

struct DemoOptions {
  std::uint64_t seed = 20200824;
  int residents = 3000;  // approximate (whole households); at least ~400: every grid needs adults to lead it
  std::int64_t start = shanghai_ms(2018, 1, 2, 9, 0);   // setup day
  std::int64_t end = shanghai_ms(2020, 8, 24, 0, 0);    // daily life runs until this moment
  std::size_t max_ops = 0;                              // 0 = no limit; else the log is cut there
};

std::vector<Op> make_demo(const DemoOptions& options);

}  // namespace sihui::core
