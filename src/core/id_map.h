// id_map: IdMap<V>, the State's maps from string id to record. It iterates in id order exactly as
// std::map<std::string, V> does (it is a std::map keyed by std::string, compared by IdLess, which
// gives std::string's order inline; so snapshots and every loop see the same order), and
// finds an id in O(1) through a small open-addressing index of the map's elements, because the
// reducer looks up people, sittings and reports by id several times per op and a std::map walk
// costs a dozen string comparisons each. The index is derived data: rebuilt on copy, never stored.
#pragma once
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/bytes.h"

namespace sihui::core {

template <class V>
class IdMap {
 public:
  using map_type = std::map<std::string, V, IdLess>;  // std::string's order, compared inline (bytes.h)
  using key_type = std::string;
  using mapped_type = V;
  using value_type = typename map_type::value_type;
  using size_type = typename map_type::size_type;
  using iterator = typename map_type::iterator;
  using const_iterator = typename map_type::const_iterator;

  IdMap() = default;
  explicit IdMap(map_type m) : map_(std::move(m)) { reindex(); }
  IdMap(const IdMap& o) : map_(o.map_) { reindex(); }
  IdMap(IdMap&& o) noexcept : map_(std::move(o.map_)) {
    slots_.swap(o.slots_);  // std::map's move keeps its nodes, so the index stays valid
    o.map_.clear();
  }
  IdMap& operator=(const IdMap& o) {
    if (this != &o) {
      map_ = o.map_;
      reindex();
    }
    return *this;
  }
  IdMap& operator=(IdMap&& o) noexcept {
    if (this != &o) {
      map_ = std::move(o.map_);
      slots_.swap(o.slots_);
      o.map_.clear();
      o.slots_.clear();
    }
    return *this;
  }

  // Reading, in id order.
  iterator begin() { return map_.begin(); }
  iterator end() { return map_.end(); }
  const_iterator begin() const { return map_.begin(); }
  const_iterator end() const { return map_.end(); }
  size_type size() const { return map_.size(); }
  bool empty() const { return map_.empty(); }
  const map_type& map() const { return map_; }

  iterator find(std::string_view id) {
    const Slot* s = lookup(id);
    return s ? s->it : map_.end();
  }
  const_iterator find(std::string_view id) const {
    const Slot* s = lookup(id);
    return s ? const_iterator(s->it) : map_.end();
  }
  size_type count(std::string_view id) const { return lookup(id) ? 1 : 0; }
  V& at(std::string_view id) {
    auto it = find(id);
    if (it == end()) throw std::out_of_range("IdMap::at");
    return it->second;
  }
  const V& at(std::string_view id) const {
    auto it = find(id);
    if (it == end()) throw std::out_of_range("IdMap::at");
    return it->second;
  }

  // Writing.
  V& operator[](std::string_view id) {
    if (const Slot* s = lookup(id)) return s->it->second;
    return emplace(std::string(id), V{}).first->second;
  }
  template <class K, class... Args>
  std::pair<iterator, bool> emplace(K&& id, Args&&... args) {
    auto r = map_.emplace(std::forward<K>(id), std::forward<Args>(args)...);
    if (r.second) add(r.first);
    return r;
  }
  iterator erase(iterator it) {
    auto next = map_.erase(it);
    reindex();  // rare (never on the reducer's hot paths): rebuilding keeps the index simple
    return next;
  }
  size_type erase(std::string_view id) {
    auto it = find(id);
    if (it == end()) return 0;
    erase(it);
    return 1;
  }
  void clear() {
    map_.clear();
    slots_.clear();
  }

  friend bool operator==(const IdMap& a, const IdMap& b) { return a.map_ == b.map_; }

 private:
  struct Slot {
    std::uint32_t tag = 0;  // hash | 1; 0 = empty
    iterator it{};
  };

  SIHUI_INLINE static std::uint32_t hash(std::string_view s) {  // never 0
    return static_cast<std::uint32_t>(hash_bytes(s)) | 1u;
  }

  // The slot an id's probe starts from: not tag & mask, whose lowest bit is always 1 (the tag is
  // hash | 1), which would start every probe at an odd slot and pile ids up in runs.
  static std::size_t home(std::uint32_t tag, std::size_t mask) { return (tag >> 1) & mask; }

  SIHUI_INLINE const Slot* lookup(std::string_view id) const {
    if (slots_.empty()) return nullptr;
    const std::uint32_t tag = hash(id);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = home(tag, mask);; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.tag == 0) return nullptr;
      if (s.tag == tag && same_bytes(s.it->first, id)) return &s;
    }
  }

  void place(iterator it) {
    const std::uint32_t tag = hash(it->first);
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = home(tag, mask);
    while (slots_[i].tag != 0) i = (i + 1) & mask;
    slots_[i] = Slot{tag, it};
  }

  // Keeps at most half the slots used, so probe runs stay short.
  void add(iterator it) {
    if ((map_.size()) * 2 > slots_.size()) {
      reindex();  // map_ already holds it
      return;
    }
    place(it);
  }

  void reindex() {
    std::size_t n = 16;
    while (n < map_.size() * 2) n *= 2;
    slots_.assign(n, Slot{});
    for (auto it = map_.begin(); it != map_.end(); ++it) place(it);
  }

  map_type map_;
  std::vector<Slot> slots_;
};

}  // namespace sihui::core
