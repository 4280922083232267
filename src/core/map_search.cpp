#include "core/map_search.h"

#include <algorithm>
#include <cctype>

namespace sihui::core {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> terms_of(std::string_view q) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(lower(cur));
    cur.clear();
  };
  for (std::size_t i = 0; i < q.size(); ++i) {
    // ASCII white space and the ideographic space U+3000 (E3 80 80) separate terms.
    if (q[i] == ' ' || q[i] == '\t' || q[i] == '\n') {
      flush();
    } else if (q.compare(i, 3, "\xE3\x80\x80") == 0) {
      flush();
      i += 2;
    } else {
      cur.push_back(q[i]);
    }
  }
  flush();
  return out;
}

// 0 = no match; else how well `name` (the candidate's own name) and `words` (everything it may be
// found by) match all the terms.
int match(const std::vector<std::string>& terms, std::string_view name, const std::string& words) {
  std::string w = lower(words);
  for (const auto& t : terms)
    if (w.find(t) == std::string::npos) return 0;
  std::string n = lower(name), all;
  for (const auto& t : terms) all += (all.empty() ? "" : " ") + t;
  if (n == all) return 3;
  if (n.rfind(terms.front(), 0) == 0) return 2;
  return 1;
}

}  // namespace

std::vector<SearchHit> map_search(const State& s, std::string_view query, bool staff,
                                  const std::function<std::string(std::string_view)>& subtype_words,
                                  std::size_t limit) {
  std::vector<SearchHit> hits;
  auto terms = terms_of(query);
  if (terms.empty() || limit == 0) return hits;
  auto compound_name = [&](const Id& id) {
    auto it = s.compounds.find(id);
    return it == s.compounds.end() ? std::string() : it->second.name;
  };
  auto where = [&](const Id& unit, Id* compound, Id* building) {
    auto u = s.units.find(unit);
    if (u == s.units.end()) return;
    auto b = s.buildings.find(u->second.building);
    if (b == s.buildings.end()) return;
    *building = b->first;
    *compound = b->second.compound;
  };
  for (const auto& [id, c] : s.compounds)
    if (int sc = match(terms, c.name, c.name)) hits.push_back({SearchHit::Kind::compound, id, id, {}, sc + 10});
  for (const auto& [id, b] : s.buildings) {
    std::string cn = compound_name(b.compound);
    if (int sc = match(terms, b.name, cn + " " + b.name)) hits.push_back({SearchHit::Kind::building, id, b.compound, id, sc + 10});
  }
  if (staff) {
    for (const auto& [id, p] : s.persons) {
      if (p.left || p.name.empty()) continue;
      int sc = match(terms, p.name, p.name + " " + p.phone);
      if (!sc) continue;
      SearchHit h{SearchHit::Kind::person, id, {}, {}, sc + 5};
      Id unit = p.unit;
      if (unit.empty()) {
        auto hh = s.households.find(p.household);
        if (hh != s.households.end()) unit = hh->second.unit;
      }
      where(unit, &h.compound, &h.building);
      hits.push_back(h);
    }
  }
  for (const auto& [id, r] : s.reports) {
    std::string words = id + " " + r.description + " " + (subtype_words ? subtype_words(r.subtype) : r.subtype);
    int sc = match(terms, id, words);
    if (!sc) continue;
    // Open reports before closed ones.
    hits.push_back({SearchHit::Kind::report, id, r.compound, r.building, sc + (r.status == ReportStatus::closed ? 0 : 3)});
  }
  std::stable_sort(hits.begin(), hits.end(), [&](const SearchHit& a, const SearchHit& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.kind == SearchHit::Kind::report && b.kind == SearchHit::Kind::report)  // newest report first
      return s.reports.at(a.id).filed_at > s.reports.at(b.id).filed_at;
    return false;
  });
  if (hits.size() > limit) hits.resize(limit);
  return hits;
}

}  // namespace sihui::core
