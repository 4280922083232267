// small_id_map: SmallIdMap<V>, a map from string id to record for the state's small per-record
// maps (a canteen sitting's bookings: at most its seats, 40). It reads like the
// std::map<std::string, V, IdLess> it replaces: iteration in id order (std::string's order, so
// snapshots, the state hash and every loop are unchanged), find / lower_bound / at / count,
// emplace / emplace_hint, erase, and iterators whose ->first / ->second and structured bindings
// work as a map's do.
//
// Why not std::map: the reducer books and checks in one diner per op, and a std::map costs a
// heap node per booking (malloc, rebalancing) and a lower_bound that follows six scattered nodes.
// Here the entries sit in one array in the order they came (appending never moves the others),
// and a small array of their positions is kept in id order; a lookup is a binary search over
// that, an insert moves a few 4-byte positions. Erasing (a cancellation) moves the last entry
// into the gap.
//
// Unlike std::map, inserting may move the entries (the array grows): iterators and references
// into the map are valid until the next insert or erase, as with std::vector.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "core/bytes.h"

namespace sihui::core {

template <class V>
class SmallIdMap {
 public:
  using key_type = std::string;
  using mapped_type = V;
  using value_type = std::pair<std::string, V>;
  using size_type = std::size_t;

  template <bool Const>
  class Iter {
   public:
    using iterator_category = std::bidirectional_iterator_tag;
    using value_type = SmallIdMap::value_type;
    using difference_type = std::ptrdiff_t;
    using owner_type = std::conditional_t<Const, const SmallIdMap, SmallIdMap>;
    using reference = std::conditional_t<Const, const value_type&, value_type&>;
    using pointer = std::conditional_t<Const, const value_type*, value_type*>;

    Iter() = default;
    Iter(owner_type* m, std::size_t i) : m_(m), i_(i) {}
    template <bool C = Const, class = std::enable_if_t<C>>
    Iter(const Iter<false>& o) : m_(o.m_), i_(o.i_) {}  // iterator -> const_iterator

    reference operator*() const { return m_->items_[m_->order_[i_]]; }
    pointer operator->() const { return &**this; }
    Iter& operator++() { ++i_; return *this; }
    Iter operator++(int) { Iter t = *this; ++i_; return t; }
    Iter& operator--() { --i_; return *this; }
    Iter operator--(int) { Iter t = *this; --i_; return t; }
    friend bool operator==(const Iter& a, const Iter& b) { return a.i_ == b.i_ && a.m_ == b.m_; }
    friend bool operator!=(const Iter& a, const Iter& b) { return !(a == b); }

   private:
    friend class SmallIdMap;
    template <bool>
    friend class Iter;
    owner_type* m_ = nullptr;
    std::size_t i_ = 0;  // rank in id order
  };
  using iterator = Iter<false>;
  using const_iterator = Iter<true>;
  using reverse_iterator = std::reverse_iterator<iterator>;
  using const_reverse_iterator = std::reverse_iterator<const_iterator>;

  iterator begin() { return {this, 0}; }
  iterator end() { return {this, order_.size()}; }
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, order_.size()}; }
  reverse_iterator rbegin() { return reverse_iterator(end()); }
  reverse_iterator rend() { return reverse_iterator(begin()); }
  const_reverse_iterator rbegin() const { return const_reverse_iterator(end()); }
  const_reverse_iterator rend() const { return const_reverse_iterator(begin()); }
  size_type size() const { return order_.size(); }
  bool empty() const { return order_.empty(); }
  void reserve(size_type n) {
    items_.reserve(n);
    order_.reserve(n);
  }
  void clear() {
    items_.clear();
    order_.clear();
  }

  // The first entry whose id is not less than id.
  iterator lower_bound(std::string_view id) { return {this, rank(id)}; }
  const_iterator lower_bound(std::string_view id) const { return {this, rank(id)}; }
  iterator find(std::string_view id) {
    std::size_t r = rank(id);
    return {this, r < order_.size() && same_bytes(key_at(r), id) ? r : order_.size()};
  }
  const_iterator find(std::string_view id) const {
    std::size_t r = rank(id);
    return {this, r < order_.size() && same_bytes(key_at(r), id) ? r : order_.size()};
  }
  size_type count(std::string_view id) const { return find(id) == end() ? 0 : 1; }
  V& at(std::string_view id) {
    auto it = find(id);
    if (it == end()) throw std::out_of_range("SmallIdMap::at");
    return it->second;
  }
  const V& at(std::string_view id) const {
    auto it = find(id);
    if (it == end()) throw std::out_of_range("SmallIdMap::at");
    return it->second;
  }

  // Inserts (id, V(args...)) unless id is there; as std::map::emplace.
  template <class K, class... Args>
  std::pair<iterator, bool> emplace(K&& id, Args&&... args) {
    std::size_t r = rank(id);
    if (r < order_.size() && same_bytes(key_at(r), id)) return {iterator(this, r), false};
    return {insert_at(r, std::forward<K>(id), std::forward<Args>(args)...), true};
  }
  // As std::map::emplace_hint: hint is where the id is expected to go (lower_bound's answer);
  // a wrong hint costs a search, never a misplaced entry.
  template <class K, class... Args>
  iterator emplace_hint(const_iterator hint, K&& id, Args&&... args) {
    std::string_view k(id);
    std::size_t r = hint.i_;
    bool fits = r <= order_.size() && (r == 0 || less_bytes(key_at(r - 1), k)) &&
                (r == order_.size() || less_bytes(k, key_at(r)));
    if (!fits) {
      r = rank(k);
      if (r < order_.size() && same_bytes(key_at(r), k)) return {this, r};
    }
    return insert_at(r, std::forward<K>(id), std::forward<Args>(args)...);
  }
  V& operator[](std::string_view id) { return emplace(std::string(id)).first->second; }

  iterator erase(const_iterator it) {
    std::size_t r = it.i_;
    std::uint32_t slot = order_[r];
    order_.erase(order_.begin() + static_cast<std::ptrdiff_t>(r));
    std::uint32_t last = static_cast<std::uint32_t>(items_.size() - 1);
    if (slot != last) {  // the last entry fills the gap; its position changes in the order
      items_[slot] = std::move(items_[last]);
      for (auto& o : order_)
        if (o == last) {
          o = slot;
          break;
        }
    }
    items_.pop_back();
    return {this, r};
  }
  size_type erase(std::string_view id) {
    auto it = find(id);
    if (it == end()) return 0;
    erase(it);
    return 1;
  }

  // Equal when the same ids map to equal records (as std::map's ==: in id order).
  friend bool operator==(const SmallIdMap& a, const SmallIdMap& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t r = 0; r < a.size(); ++r) {
      const value_type& x = a.items_[a.order_[r]];
      const value_type& y = b.items_[b.order_[r]];
      if (!(x.first == y.first) || !(x.second == y.second)) return false;
    }
    return true;
  }

 private:
  const std::string& key_at(std::size_t r) const { return items_[order_[r]].first; }

  // Rank (position in id order) of the first entry whose id is not less than id.
  std::size_t rank(std::string_view id) const {
    std::size_t lo = 0, n = order_.size();
    while (n > 0) {
      std::size_t half = n / 2;
      if (less_bytes(key_at(lo + half), id)) {
        lo += half + 1;
        n -= half + 1;
      } else {
        n = half;
      }
    }
    return lo;
  }

  template <class K, class... Args>
  iterator insert_at(std::size_t r, K&& id, Args&&... args) {
    if (items_.size() >= 0xffffffffu) throw std::length_error("SmallIdMap: too many entries");
    items_.emplace_back(std::piecewise_construct, std::forward_as_tuple(std::forward<K>(id)),
                        std::forward_as_tuple(std::forward<Args>(args)...));
    order_.insert(order_.begin() + static_cast<std::ptrdiff_t>(r), static_cast<std::uint32_t>(items_.size() - 1));
    return {this, r};
  }

  std::vector<value_type> items_;     // in the order they came (an erase moves the last into the gap)
  std::vector<std::uint32_t> order_;  // positions in items_, in id order
};

}  // namespace sihui::core
