// map_search: the grid map's search box (issue 6): find a compound, a building, a person (staff
// only: names are personal) or a report by what a person would type ("3号楼", "北苑 5", "王秀兰",
// "种菜"), best matches first. Pure; the UI flies the map to the hit's place.
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace sihui::core {

struct SearchHit {
  enum class Kind { compound, building, person, report } kind = Kind::compound;
  Id id;
  Id compound, building;  // where the hit is (person: their home building; report: its place)
  int score = 0;          // higher is better: 3 whole name, 2 starts with, 1 contains
};

// Every whitespace-separated term of `query` must occur in the candidate's words (case-insensitive
// for ASCII). subtype_words gives a report sub-type's words in the person's language (the core
// has no translations), so "种菜" finds reports of planting_on_green. At most `limit` hits.
std::vector<SearchHit> map_search(const State& s, std::string_view query, bool staff,
                                  const std::function<std::string(std::string_view)>& subtype_words,
                                  std::size_t limit = 8);

}  // namespace sihui::core
