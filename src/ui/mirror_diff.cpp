#include "ui/mirror_diff.h"

#include <algorithm>
#include <cstdio>
#include <unordered_map>
#include <unordered_set>

namespace sihui::ui {

const char* role_name(Role r) {
  switch (r) {
    case Role::Button: return "button";
    case Role::Checkbox: return "checkbox";
    case Role::TextBox: return "textbox";
    case Role::Slider: return "slider";
    case Role::Tab: return "tab";
    case Role::Heading: return "heading";
    case Role::Canvas: return "canvas";
    case Role::Status: return "status";
    case Role::Text: return "text";
    case Role::Link: return "link";
    case Role::List: return "list";
    case Role::ListItem: return "listitem";
    case Role::TabList: return "tablist";
    case Role::Group: return "group";
    case Role::Image: return "image";
    case Role::Unknown: break;
  }
  return "unknown";
}

bool is_group(Role r) { return r == Role::List || r == Role::ListItem || r == Role::TabList || r == Role::Group; }

std::vector<MirrorItem> mirror_view(const std::vector<Item>& items, float scale) {
  if (scale <= 0) scale = 1;
  // A group is kept only when something in it is: a list of cards drawn off screen says nothing.
  std::vector<char> keep(items.size(), 0);
  std::vector<std::uint32_t> has_kids;  // groups are few: a plain list
  for (std::size_t k = items.size(); k-- > 0;) {
    const Item& it = items[k];
    keep[k] = is_group(it.role) ? std::find(has_kids.begin(), has_kids.end(), it.id) != has_kids.end() : !it.label.empty();
    if (keep[k] && it.parent && std::find(has_kids.begin(), has_kids.end(), it.parent) == has_kids.end())
      has_kids.push_back(it.parent);
  }
  std::vector<MirrorItem> out;
  out.reserve(items.size());
  for (std::size_t k = 0; k < items.size(); ++k) {
    if (!keep[k]) continue;
    const Item& it = items[k];
    MirrorItem m;
    m.id = it.id;
    m.parent = it.parent;
    m.role = it.role;
    m.label = it.label;
    m.value = it.value;
    m.x = it.x / scale; m.y = it.y / scale; m.w = it.w / scale; m.h = it.h / scale;
    m.enabled = it.enabled;
    m.checked = it.checked;
    m.checkable = it.checkable;
    m.clipped = it.clipped;
    m.visible = it.visible;
    m.focusable = it.focusable;
    m.expanded = it.expanded;
    out.push_back(std::move(m));
  }
  return out;
}

namespace {
// Each item's previous sibling (the item before it under the same parent; 0 when first).
std::vector<std::uint32_t> previous_siblings(const std::vector<MirrorItem>& v) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> last;  // parent -> last child seen (parents are few)
  std::vector<std::uint32_t> prev(v.size());
  for (std::size_t k = 0; k < v.size(); ++k) {
    auto l = std::find_if(last.begin(), last.end(), [&](const auto& p) { return p.first == v[k].parent; });
    if (l == last.end()) {
      last.emplace_back(v[k].parent, v[k].id);
      prev[k] = 0;
    } else {
      prev[k] = l->second;
      l->second = v[k].id;
    }
  }
  return prev;
}

// Ids and their places, sorted by id (a small sorted table instead of a hash map: less code in the wasm).
using Index = std::vector<std::pair<std::uint32_t, std::uint32_t>>;
Index index_of(const std::vector<MirrorItem>& v) {
  Index ix(v.size());
  for (std::size_t k = 0; k < v.size(); ++k) ix[k] = {v[k].id, static_cast<std::uint32_t>(k)};
  std::sort(ix.begin(), ix.end());
  return ix;
}
const std::uint32_t* find_in(const Index& ix, std::uint32_t id) {
  auto it = std::lower_bound(ix.begin(), ix.end(), std::make_pair(id, std::uint32_t{0}));
  return it != ix.end() && it->first == id ? &it->second : nullptr;
}
}  // namespace

MirrorDiff mirror_diff(const std::vector<MirrorItem>& before, const std::vector<MirrorItem>& after) {
  MirrorDiff d;
  Index old_at = index_of(before), new_at = index_of(after);
  // Removed, or made anew (the role decides the element, so a new role is a new element).
  std::vector<std::uint32_t> remade;
  for (const auto& o : before) {
    const std::uint32_t* n = find_in(new_at, o.id);
    if (!n) {
      d.removed.push_back(o.id);
    } else if (after[*n].role != o.role) {
      d.removed.push_back(o.id);
      remade.push_back(o.id);
    }
  }
  std::sort(remade.begin(), remade.end());
  auto was_remade = [&](std::uint32_t id) { return std::binary_search(remade.begin(), remade.end(), id); };
  auto prev_new = previous_siblings(after);
  // Which items keep their place: per parent, the longest run of children that kept their old
  // order (a longest increasing subsequence of old positions, as keyed DOM diffs do); every other
  // child is placed again after its new previous sibling, in the new order, so that sibling is
  // already where it belongs. Comparing only an item's previous sibling misses a sibling that
  // moved away and took nothing with it.
  std::vector<char> stable(after.size(), 0);
  {
    std::vector<std::pair<std::uint32_t, std::vector<std::size_t>>> groups;  // parent -> children (new order)
    for (std::size_t k = 0; k < after.size(); ++k) {
      auto g = std::find_if(groups.begin(), groups.end(), [&](const auto& x) { return x.first == after[k].parent; });
      if (g == groups.end()) {
        groups.emplace_back(after[k].parent, std::vector<std::size_t>{});
        g = groups.end() - 1;
      }
      g->second.push_back(k);
    }
    for (const auto& [parent, kids] : groups) {
      if (parent && was_remade(parent)) continue;  // a new container: all its children are placed
      // Old positions of the children that were under the same parent before (others: -1).
      std::vector<long> old_pos(kids.size(), -1);
      for (std::size_t i = 0; i < kids.size(); ++i) {
        const MirrorItem& n = after[kids[i]];
        const std::uint32_t* o = find_in(old_at, n.id);
        if (o && !was_remade(n.id) && before[*o].parent == parent) old_pos[i] = static_cast<long>(*o);
      }
      // Patience sorting: tails[j] = index (into kids) ending the best run of length j + 1.
      std::vector<std::size_t> tails, link(kids.size(), SIZE_MAX);
      for (std::size_t i = 0; i < kids.size(); ++i) {
        if (old_pos[i] < 0) continue;
        auto at = std::lower_bound(tails.begin(), tails.end(), old_pos[i],
                                   [&](std::size_t t, long v) { return old_pos[t] < v; });
        if (at != tails.begin()) link[i] = *(at - 1);
        if (at == tails.end()) tails.push_back(i);
        else *at = i;
      }
      for (std::size_t i = tails.empty() ? SIZE_MAX : tails.back(); i != SIZE_MAX; i = link[i]) stable[kids[i]] = 1;
    }
  }
  for (std::size_t k = 0; k < after.size(); ++k) {
    const MirrorItem& n = after[k];
    const std::uint32_t* o = find_in(old_at, n.id);
    MirrorChange c;
    c.after = prev_new[k];
    if (!o || was_remade(n.id)) {
      c.fields = MirrorChange::kAll;
      c.item = n;
      d.changes.push_back(std::move(c));
      continue;
    }
    const MirrorItem& b = before[*o];
    std::uint16_t f = 0;
    if (b.label != n.label) f |= MirrorChange::kLabel;
    if (b.value != n.value) f |= MirrorChange::kValue;
    if (b.x != n.x) f |= MirrorChange::kX;
    if (b.y != n.y) f |= MirrorChange::kY;
    if (b.w != n.w) f |= MirrorChange::kW;
    if (b.h != n.h) f |= MirrorChange::kH;
    if (b.enabled != n.enabled) f |= MirrorChange::kEnabled;
    if (b.checked != n.checked) f |= MirrorChange::kChecked;
    if (b.checkable != n.checkable) f |= MirrorChange::kCheckable;
    if (b.clipped != n.clipped) f |= MirrorChange::kClipped;
    if (b.visible != n.visible) f |= MirrorChange::kVisible;
    if (b.focusable != n.focusable) f |= MirrorChange::kFocusable;
    if (b.expanded != n.expanded) f |= MirrorChange::kExpanded;
    if (!stable[k]) f |= MirrorChange::kPlace;  // moved, or its parent is another (or made anew)
    if (!f) continue;
    c.fields = f;
    c.item = n;
    d.changes.push_back(std::move(c));
  }
  return d;
}

#ifndef __EMSCRIPTEN__  // for tests only: the page applies the changes itself
std::vector<MirrorItem> mirror_apply(const std::vector<MirrorItem>& before, const MirrorDiff& diff) {
  // A model of the page's DOM: elements under their container, in order; removing a container takes
  // its elements with it (detached, so lost unless placed again).
  struct Node {
    MirrorItem item;
    std::uint32_t container = 0;
    bool attached = true;
    std::vector<std::uint32_t> kids;
  };
  std::unordered_map<std::uint32_t, Node> nodes;
  std::vector<std::uint32_t> root;
  auto kids_of = [&](std::uint32_t c) -> std::vector<std::uint32_t>& { return c ? nodes[c].kids : root; };
  if (!diff.reset) {
    for (const auto& b : before) {
      Node n;
      n.item = b;
      n.container = b.parent;
      nodes[b.id] = n;
      kids_of(b.parent).push_back(b.id);
    }
  }
  auto detach = [&](std::uint32_t id) {
    auto& n = nodes[id];
    if (!n.attached) return;
    if (n.container && !nodes.count(n.container)) return;
    auto& k = kids_of(n.container);
    k.erase(std::remove(k.begin(), k.end(), id), k.end());
  };
  for (auto id : diff.removed) {
    if (!nodes.count(id)) continue;
    detach(id);
    nodes.erase(id);
  }
  for (const auto& c : diff.changes) {
    const MirrorItem& m = c.item;
    bool fresh = !nodes.count(m.id);
    Node& n = nodes[m.id];
    if (fresh) {
      n.attached = false;
    }
    using F = MirrorChange;
    if (c.fields & F::kNew) n.item = m;
    if (c.fields & F::kLabel) n.item.label = m.label;
    if (c.fields & F::kValue) n.item.value = m.value;
    if (c.fields & F::kX) n.item.x = m.x;
    if (c.fields & F::kY) n.item.y = m.y;
    if (c.fields & F::kW) n.item.w = m.w;
    if (c.fields & F::kH) n.item.h = m.h;
    if (c.fields & F::kEnabled) n.item.enabled = m.enabled;
    if (c.fields & F::kChecked) n.item.checked = m.checked;
    if (c.fields & F::kCheckable) n.item.checkable = m.checkable;
    if (c.fields & F::kClipped) n.item.clipped = m.clipped;
    if (c.fields & F::kVisible) n.item.visible = m.visible;
    if (c.fields & F::kFocusable) n.item.focusable = m.focusable;
    if (c.fields & F::kExpanded) n.item.expanded = m.expanded;
    if (c.fields & F::kPlace) {
      if (n.attached) detach(m.id);
      n.item.parent = m.parent;
      n.container = m.parent;
      n.attached = true;
      auto& k = kids_of(m.parent);
      auto at = c.after ? std::find(k.begin(), k.end(), c.after) : k.begin();
      if (c.after && at != k.end()) ++at;
      k.insert(at, m.id);
    }
  }
  std::vector<MirrorItem> out;
  auto walk = [&](auto&& self, const std::vector<std::uint32_t>& kids) -> void {
    for (auto id : kids) {
      auto& n = nodes[id];
      out.push_back(n.item);
      self(self, n.kids);
    }
  };
  walk(walk, root);
  return out;
}
#endif

void json_string(std::string& out, const std::string& s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}
void json_number(std::string& out, float v) {
  double d = static_cast<double>(v);
  if (!(d == d) || d > 1e15 || d < -1e15) {  // NaN or out of range: not a position the mirror can use
    out += '0';
    return;
  }
  // Hundredths, rounded half away from zero (as %.2f does for the values items have).
  long long c = static_cast<long long>(d < 0 ? d * 100 - 0.5 : d * 100 + 0.5);
  if (c < 0) {
    out += '-';
    c = -c;
  }
  out += std::to_string(c / 100);
  int frac = static_cast<int>(c % 100);
  if (frac) {
    out += '.';
    out += static_cast<char>('0' + frac / 10);
    if (frac % 10) out += static_cast<char>('0' + frac % 10);
  }
}
namespace {
void put_bool(std::string& out, const char* key, bool v) {
  out += key;
  out += v ? "true" : "false";
}
}  // namespace

std::string mirror_diff_json(const MirrorDiff& d, std::uint64_t generation) {
  std::string out;
  out.reserve(64 + d.removed.size() * 12 + d.changes.size() * 96);
  out += "{\"g\":";
  out += std::to_string(generation);
  if (d.reset) out += ",\"reset\":1";
  out += ",\"rm\":[";
  for (std::size_t k = 0; k < d.removed.size(); ++k) {
    if (k) out += ',';
    out += std::to_string(d.removed[k]);
  }
  out += "],\"up\":[";
  using F = MirrorChange;
  for (std::size_t k = 0; k < d.changes.size(); ++k) {
    const auto& c = d.changes[k];
    const MirrorItem& m = c.item;
    if (k) out += ',';
    out += "{\"id\":";
    out += std::to_string(m.id);
    if (c.fields & F::kNew) {
      out += ",\"role\":\"";
      out += role_name(m.role);
      out += '"';
    }
    if (c.fields & F::kPlace) {
      out += ",\"parent\":";
      out += std::to_string(m.parent);
      out += ",\"after\":";
      out += std::to_string(c.after);
    }
    if (c.fields & F::kLabel) { out += ",\"label\":"; json_string(out, m.label); }
    if (c.fields & F::kValue) { out += ",\"value\":"; json_string(out, m.value); }
    if (c.fields & F::kX) { out += ",\"x\":"; json_number(out, m.x); }
    if (c.fields & F::kY) { out += ",\"y\":"; json_number(out, m.y); }
    if (c.fields & F::kW) { out += ",\"w\":"; json_number(out, m.w); }
    if (c.fields & F::kH) { out += ",\"h\":"; json_number(out, m.h); }
    if (c.fields & F::kEnabled) put_bool(out, ",\"enabled\":", m.enabled);
    if (c.fields & F::kChecked) put_bool(out, ",\"checked\":", m.checked);
    if (c.fields & F::kCheckable) put_bool(out, ",\"checkable\":", m.checkable);
    if (c.fields & F::kClipped) put_bool(out, ",\"clipped\":", m.clipped);
    if (c.fields & F::kVisible) put_bool(out, ",\"visible\":", m.visible);
    if (c.fields & F::kFocusable) put_bool(out, ",\"focusable\":", m.focusable);
    if (c.fields & F::kExpanded) { out += ",\"expanded\":"; out += std::to_string(static_cast<int>(m.expanded)); }
    out += '}';
  }
  out += "]}";
  return out;
}

}  // namespace sihui::ui
