// The accessibility mirror's diff (src/ui/mirror_diff.h): the changes C++ hands the page, applied to
// the page's copy (a model of its DOM: elements under their group, in order), give the new table,
// for small edits (a label, a state, a removal, a reorder, a move between groups, a new role) and for
// unrelated tables; an unchanged table gives no change at all.
#include <catch_amalgamated.hpp>

#include <functional>
#include <limits>
#include <random>

#include "ui/mirror_diff.h"

using namespace sihui::ui;

namespace {

MirrorItem leaf(std::uint32_t id, const char* label, Role role = Role::Button) {
  MirrorItem m;
  m.id = id;
  m.role = role;
  m.label = label;
  m.x = static_cast<float>(id);
  m.y = 10;
  m.w = 50;
  m.h = 44;
  return m;
}

// A tree of items (groups hold kids), flattened in drawing order with parents set.
struct Node {
  MirrorItem item;
  std::vector<Node> kids;
};
void flatten(const std::vector<Node>& nodes, std::uint32_t parent, std::vector<MirrorItem>& out) {
  for (const auto& n : nodes) {
    MirrorItem m = n.item;
    m.parent = parent;
    out.push_back(m);
    flatten(n.kids, m.id, out);
  }
}
std::vector<MirrorItem> flat(const std::vector<Node>& nodes) {
  std::vector<MirrorItem> out;
  flatten(nodes, 0, out);
  return out;
}

const Role kLeafRoles[] = {Role::Button, Role::Text, Role::Checkbox, Role::Tab, Role::Heading};
const Role kGroupRoles[] = {Role::List, Role::ListItem, Role::TabList, Role::Group};

struct Gen {
  std::mt19937 rng;
  std::uint32_t next_id = 1;
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); }
  MirrorItem item(bool group) {
    MirrorItem m;
    m.id = next_id++;
    m.role = group ? kGroupRoles[pick(4)] : kLeafRoles[pick(5)];
    m.label = group && pick(2) ? "" : "w" + std::to_string(pick(5));
    m.x = static_cast<float>(pick(400));
    m.y = static_cast<float>(pick(800));
    m.w = 40;
    m.h = 44;
    m.enabled = pick(4) != 0;
    m.checked = pick(2) != 0;
    return m;
  }
  std::vector<Node> tree(int depth, int n) {
    std::vector<Node> out;
    for (int k = 0; k < n; ++k) {
      bool group = depth < 2 && pick(4) == 0;
      Node node{item(group), {}};
      if (group) node.kids = tree(depth + 1, pick(5));
      out.push_back(std::move(node));
    }
    return out;
  }
  // Every list of kids in the tree (the top level too), to pick edit places from.
  void lists(std::vector<Node>& nodes, std::vector<std::vector<Node>*>& out) {
    out.push_back(&nodes);
    for (auto& n : nodes)
      if (is_group(n.item.role)) lists(n.kids, out);
  }
  void edit(std::vector<Node>& top) {
    std::vector<std::vector<Node>*> ls;
    lists(top, ls);
    auto& l = *ls[static_cast<std::size_t>(pick(static_cast<int>(ls.size())))];
    int op = pick(7);
    if (l.empty() || op == 0) {  // a new item
      l.insert(l.begin() + pick(static_cast<int>(l.size()) + 1), Node{item(pick(5) == 0), {}});
      return;
    }
    std::size_t at = static_cast<std::size_t>(pick(static_cast<int>(l.size())));
    MirrorItem& m = l[at].item;
    switch (op) {
      case 1: l.erase(l.begin() + static_cast<long>(at)); break;                  // removed (with its kids)
      case 2: m.label += "+"; break;                                              // new words
      case 3: m.checked = !m.checked; m.enabled = !m.enabled; break;              // a state
      case 4: m.y += 30; break;                                                   // scrolled
      case 5: std::swap(l[at], l[static_cast<std::size_t>(pick(static_cast<int>(l.size())))]); break;  // reordered
      case 6: {  // moved to another group (never into itself), or a role changed
        if (pick(2)) {
          m.role = is_group(m.role) ? kGroupRoles[pick(4)] : kLeafRoles[pick(5)];
          break;
        }
        Node moved = std::move(l[at]);
        l.erase(l.begin() + static_cast<long>(at));
        std::vector<std::vector<Node>*> targets;
        lists(top, targets);
        auto& t = *targets[static_cast<std::size_t>(pick(static_cast<int>(targets.size())))];
        t.insert(t.begin() + pick(static_cast<int>(t.size()) + 1), std::move(moved));
        break;
      }
      default: break;
    }
  }
};

void check(const std::vector<MirrorItem>& before, const std::vector<MirrorItem>& after) {
  auto d = mirror_diff(before, after);
  auto got = mirror_apply(before, d);
  REQUIRE(got.size() == after.size());
  for (std::size_t k = 0; k < got.size(); ++k) {
    INFO("item " << k << " id " << after[k].id);
    CHECK(got[k] == after[k]);
  }
}

}  // namespace

TEST_CASE("mirror diff: an unchanged table gives no change") {
  std::vector<MirrorItem> t = {leaf(1, "a"), leaf(2, "b"), leaf(3, "c")};
  auto d = mirror_diff(t, t);
  CHECK(d.empty());
  CHECK(mirror_diff_json(d, 7) == R"({"g":7,"rm":[],"up":[]})");
}

TEST_CASE("mirror diff: only what changed is handed over") {
  std::vector<MirrorItem> before = {leaf(1, "a"), leaf(2, "b"), leaf(3, "c"), leaf(4, "d")};
  auto after = before;
  after[1].enabled = false;  // a state
  after[2].label = "c2";     // words
  after.erase(after.begin() + 3);  // a removal
  auto d = mirror_diff(before, after);
  REQUIRE(d.removed == std::vector<std::uint32_t>{4});
  REQUIRE(d.changes.size() == 2);
  CHECK(d.changes[0].fields == MirrorChange::kEnabled);
  CHECK(d.changes[1].fields == MirrorChange::kLabel);
  CHECK(mirror_diff_json(d, 9) == R"({"g":9,"rm":[4],"up":[{"id":2,"enabled":false},{"id":3,"label":"c2"}]})");
  CHECK(mirror_apply(before, d) == after);
}

TEST_CASE("mirror diff: a reorder places only what moved (the longest run in the old order stays)") {
  std::vector<MirrorItem> before = {leaf(1, "a"), leaf(2, "b"), leaf(3, "c"), leaf(4, "d"), leaf(5, "e")};
  std::vector<MirrorItem> after = {before[0], before[2], before[1], before[3], before[4]};  // b and c swapped
  auto d = mirror_diff(before, after);
  CHECK(d.removed.empty());
  REQUIRE(d.changes.size() == 1);  // one of b and c is placed again; a, d, e and the other stay
  CHECK((d.changes[0].fields & MirrorChange::kPlace) != 0);
  CHECK(mirror_apply(before, d) == after);
  // A group moved to the front with its child: the items it passed stay where they are.
  std::vector<MirrorItem> g = {leaf(1, "a"), leaf(2, "b"), leaf(3, "", Role::List), leaf(4, "d")};
  g[3].parent = 3;
  std::vector<MirrorItem> moved = {g[2], g[3], g[0], g[1]};
  auto d2 = mirror_diff(g, moved);
  CHECK(d2.changes.size() == 1);
  CHECK(mirror_apply(g, d2) == moved);
}

TEST_CASE("mirror diff: groups, a role change and a move between groups") {
  MirrorItem list = leaf(10, "", Role::List), card1 = leaf(11, "", Role::ListItem), card2 = leaf(12, "", Role::ListItem);
  MirrorItem b1 = leaf(1, "open"), b2 = leaf(2, "close"), h = leaf(3, "title", Role::Heading);
  card1.parent = card2.parent = 10;
  b1.parent = 11;
  b2.parent = 12;
  std::vector<MirrorItem> before = {h, list, card1, b1, card2, b2};
  SECTION("a button moves to the other card") {
    auto m1 = b1;
    m1.parent = 12;
    std::vector<MirrorItem> after = {h, list, card1, card2, b2, m1};
    check(before, after);
  }
  SECTION("the list becomes a tab list, its kids stay") {
    auto tl = list;
    tl.role = Role::TabList;
    std::vector<MirrorItem> after = {h, tl, card1, b1, card2, b2};
    auto d = mirror_diff(before, after);
    CHECK(d.removed == std::vector<std::uint32_t>{10});
    CHECK(mirror_apply(before, d) == after);
  }
  SECTION("a card goes away with its button") {
    std::vector<MirrorItem> after = {h, list, card2, b2};
    check(before, after);
  }
}

TEST_CASE("mirror diff: mirror_view keeps groups only with something in them") {
  std::vector<Item> items(5);
  items[0].id = 10; items[0].role = Role::List;
  items[1].id = 11; items[1].role = Role::ListItem; items[1].parent = 10;
  items[2].id = 1; items[2].label = "a"; items[2].parent = 11; items[2].x = 20; items[2].w = 40;
  items[3].id = 12; items[3].role = Role::ListItem; items[3].parent = 10;  // a card off screen: empty
  items[4].id = 2; items[4].label = ""; items[4].parent = 12;               // nothing to say
  auto v = mirror_view(items, 2);
  REQUIRE(v.size() == 3);
  CHECK(v[0].id == 10);
  CHECK(v[1].id == 11);
  CHECK(v[2].id == 1);
  CHECK(v[2].x == 10);
  CHECK(v[2].w == 20);
}

TEST_CASE("mirror diff: random edits and unrelated tables") {
  Gen g{std::mt19937(20261127)};
  for (int round = 0; round < 400; ++round) {
    auto tree = g.tree(0, 1 + g.pick(12));
    auto before = flat(tree);
    int edits = 1 + g.pick(4);
    for (int k = 0; k < edits; ++k) g.edit(tree);
    auto after = flat(tree);
    INFO("round " << round);
    check(before, after);
    check(after, before);
  }
  for (int round = 0; round < 200; ++round) {
    g.next_id = 1;  // the same ids in unrelated places and roles
    auto a = flat(g.tree(0, g.pick(10)));
    g.next_id = 1 + static_cast<std::uint32_t>(g.pick(5));
    auto b = flat(g.tree(0, g.pick(10)));
    INFO("unrelated round " << round);
    check(a, b);
  }
}

TEST_CASE("mirror diff: a reset hands everything over") {
  std::vector<MirrorItem> t = {leaf(1, "a\"q"), leaf(2, "b")};
  auto d = mirror_diff({}, t);
  d.reset = true;
  CHECK(mirror_apply({leaf(7, "old")}, d) == t);
  auto json = mirror_diff_json(d, 3);
  CHECK(json.find("\"reset\":1") != std::string::npos);
  CHECK(json.find(R"("label":"a\"q")") != std::string::npos);
  CHECK(json.find(R"("role":"button")") != std::string::npos);
}

TEST_CASE("mirror diff: scrolling hands over only the coordinate that moved") {
  std::vector<MirrorItem> before = {leaf(1, "a"), leaf(2, "b"), leaf(3, "c")};
  auto after = before;
  for (auto& m : after) m.y -= 37.5f;  // scrolled up
  after[2].w = 61;                      // and one item got wider
  auto d = mirror_diff(before, after);
  REQUIRE(d.changes.size() == 3);
  CHECK(d.changes[0].fields == MirrorChange::kY);
  CHECK(d.changes[2].fields == (MirrorChange::kY | MirrorChange::kW));
  CHECK(mirror_diff_json(d, 4) ==
        R"({"g":4,"rm":[],"up":[{"id":1,"y":-27.5},{"id":2,"y":-27.5},{"id":3,"y":-27.5,"w":61}]})");
  CHECK(mirror_apply(before, d) == after);
}

TEST_CASE("mirror diff: numbers are written rounded to hundredths, without trailing zeros") {
  auto num = [](float v) {
    std::string s;
    json_number(s, v);
    return s;
  };
  CHECK(num(0) == "0");
  CHECK(num(12) == "12");
  CHECK(num(12.5f) == "12.5");
  CHECK(num(0.25f) == "0.25");
  CHECK(num(-0.25f) == "-0.25");
  CHECK(num(-3) == "-3");
  CHECK(num(1.005f) == "1");  // 1.00499..., as a float
  CHECK(num(2.999f) == "3");
  CHECK(num(1234.06f) == "1234.06");
  CHECK(num(-0.001f) == "0");
  CHECK(num(std::numeric_limits<float>::quiet_NaN()) == "0");
}
