// The flush policy behind IDBFS: never before the first load, one at a time, coalesced.
#include <catch_amalgamated.hpp>

#include "store/flush_scheduler.h"

using sihui::store::FlushScheduler;

TEST_CASE("nothing flushes before the first load has finished") {
  FlushScheduler f;
  auto g = f.wrote();
  CHECK_FALSE(f.request());
  CHECK_FALSE(f.start_if_needed());
  CHECK_FALSE(f.is_saved(g));
  f.loaded();
  CHECK(f.start_if_needed());
  CHECK(f.in_flight());
  CHECK_FALSE(f.finished(true));
  CHECK(f.is_saved(g));
  CHECK(f.all_saved());
}

TEST_CASE("requests during a flush coalesce into exactly one more") {
  FlushScheduler f;
  f.loaded();
  auto g1 = f.wrote();
  REQUIRE(f.request());
  auto g2 = f.wrote();
  CHECK_FALSE(f.request());
  auto g3 = f.wrote();
  CHECK_FALSE(f.request());
  CHECK(f.finished(true));  // one more starts, holding g2 and g3
  CHECK(f.is_saved(g1));
  CHECK_FALSE(f.is_saved(g2));
  CHECK_FALSE(f.finished(true));
  CHECK(f.is_saved(g3));
  CHECK_FALSE(f.request());  // nothing left to save
}

TEST_CASE("a request with nothing new during a flush does not queue another") {
  FlushScheduler f;
  f.loaded();
  f.wrote();
  REQUIRE(f.request());
  CHECK_FALSE(f.request());  // e.g. visibilitychange while flushing
  CHECK_FALSE(f.finished(true));
  CHECK_FALSE(f.in_flight());
}

TEST_CASE("a failed flush keeps the write unsaved until a retry succeeds") {
  FlushScheduler f;
  f.loaded();
  auto g = f.wrote();
  REQUIRE(f.request());
  CHECK_FALSE(f.finished(false));
  CHECK(f.consecutive_failures() == 1);
  CHECK_FALSE(f.is_saved(g));
  CHECK_FALSE(f.all_saved());
  REQUIRE(f.start_if_needed());
  CHECK_FALSE(f.finished(true));
  CHECK(f.is_saved(g));
  CHECK(f.consecutive_failures() == 0);
}
