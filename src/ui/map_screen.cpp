// map_screen: the grid map drawn with ImGui's draw list from the community state: grid areas
// coloured and named by grid, compound yards, schematic buildings with their numbers, pins of
// open reports (category colour and letter, a red ring when overdue). Drag, wheel, double tap and
// the zoom buttons move the view; a tap selects a pin, building, compound or grid. The geometry
// lives in map_view.h (pure, tested natively).
#include <algorithm>
#include <cfloat>
#include <cmath>

#include "core/map_search.h"
#include "core/community_query.h"
#include "imgui.h"
#include "ui/item_table.h"
#include "ui/manage.h"
#include "ui/map_colors.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace sihui::ui {

using core::Id;
using map::Box;
using map::Vec;

namespace {
ImVec2 iv(Vec v) { return ImVec2(static_cast<float>(v.x), static_cast<float>(v.y)); }

// "12号楼" sorts after "3号楼": by the number first, then by name.
Box poly_box(const std::vector<Vec>& poly) {
  Box b{poly.front(), poly.front()};
  for (auto p : poly) b = map::bounds({b, Box{p, p}});
  return b;
}

bool building_before(const core::Building& a, const core::Building& b) {
  auto num = [](const std::string& s) { return std::atoi(s.c_str()); };
  if (num(a.name) != num(b.name)) return num(a.name) < num(b.name);
  return a.name != b.name ? a.name < b.name : a.id < b.id;
}
}  // namespace

void Manage::build_geometry() {
  const core::State& s = *st();
  geo_for_ = &s;
  geo_ops_ = s.ops_applied;
  compounds_.clear();
  grids_.clear();
  building_box_.clear();
  building_poly_.clear();
  marks_.clear();
  compound_index_.clear();
  if (!s.compounds.empty()) {
    // Origin: the middle of the compounds' points.
    std::int64_t x0 = INT64_MAX, x1 = INT64_MIN, y0 = INT64_MAX, y1 = INT64_MIN;
    for (const auto& [id, c] : s.compounds) {
      x0 = std::min(x0, c.point_x); x1 = std::max(x1, c.point_x);
      y0 = std::min(y0, c.point_y); y1 = std::max(y1, c.point_y);
    }
    proj_ = map::Projection::around((x0 + x1) / 2, (y0 + y1) / 2);
  }
  std::map<Id, std::vector<const core::Building*>> by_compound;
  for (const auto& [id, b] : s.buildings) by_compound[b.compound].push_back(&b);
  std::vector<Box> all;
  int n = 0;
  for (const auto& [id, c] : s.compounds) {
    CompoundGeo g;
    g.id = id;
    // A compound without a point yet (0,0) is laid out in a row below the others.
    g.centre = c.point_x || c.point_y ? proj_.to_world(c.point_x, c.point_y) : Vec{n * 300.0, -600};
    auto& bs = by_compound[id];
    std::sort(bs.begin(), bs.end(), [](auto* a, auto* b) { return building_before(*a, *b); });
    auto boxes = map::layout_buildings(g.centre, static_cast<int>(bs.size()));
    std::vector<core::MicroPoint> pts;
    for (std::size_t i = 0; i < bs.size(); ++i) {
      if (core::parse_outline(bs[i]->outline, &pts)) {  // a footprint drawn or imported by staff
        auto& poly = building_poly_[bs[i]->id];
        for (auto p : pts) poly.push_back(proj_.to_world(p.x, p.y));
        boxes[i] = poly_box(poly);
      }
      marks_.push_back({bs[i]->id, bs[i]->name, bs[i]->outline});
      g.buildings.emplace_back(bs[i]->id, boxes[i]);
      building_box_[bs[i]->id] = boxes[i];
    }
    g.outline = map::compound_outline(g.centre, boxes);
    if (core::parse_outline(c.outline, &pts)) {
      for (auto p : pts) g.poly.push_back(proj_.to_world(p.x, p.y));
      g.outline = poly_box(g.poly);
    }
    all.push_back(g.outline);
    compound_index_[id] = compounds_.size();
    compounds_.push_back(std::move(g));
    ++n;
  }
  int colour = 0;
  for (const auto& [id, gr] : s.grids) {
    GridGeo g;
    g.id = id;
    g.colour = colour++;
    for (auto [x, y] : map::parse_boundary(gr.boundary)) g.poly.push_back(proj_.to_world(x, y));
    if (g.poly.empty()) {
      for (const auto& cid : gr.compounds) {
        auto it = compound_index_.find(cid);
        if (it != compound_index_.end()) g.boxes.push_back(compounds_[it->second].outline.grown(25));
      }
    } else {
      Box b{g.poly.front(), g.poly.front()};
      for (auto p : g.poly) b = map::bounds({b, Box{p, p}});
      all.push_back(b);
    }
    for (const auto& b : g.boxes) all.push_back(b);
    grids_.push_back(std::move(g));
  }
  world_ = map::bounds(all).grown(40);
}

void Manage::build_pins() {
  const core::State& s = *st();
  pins_for_ = &s;
  pins_ops_ = s.ops_applied;
  pins_until_ = INT64_MAX;
  ++pin_serial_;
  open_in_.clear();
  pin_words_.clear();
  place_words_.clear();
  for (auto& g : pin_groups_) g.clear();
  std::map<Id, std::size_t> far_at, near_at;  // compound / building (or compound) -> group
  auto add = [](std::vector<PinGroup>& list, std::map<Id, std::size_t>& index, const Id& key, PinGroup proto,
                const PinRep& rep) {
    auto [it, fresh] = index.emplace(key, list.size());
    if (fresh) list.push_back(std::move(proto));
    list[it->second].reports.push_back(rep);
  };
  for (const auto& [id, rep] : s.reports) {
    if (rep.status == core::ReportStatus::closed) continue;
    if (!rep.building.empty()) ++open_in_[rep.building];
    ++open_in_[rep.compound];
    if (rep.due_at > m_->now_ms) pins_until_ = std::min(pins_until_, rep.due_at);  // its sort changes then
    PinRep p{id, rep.due_at, rep.priority, rep.category,
             rep.status != core::ReportStatus::handled && rep.status != core::ReportStatus::reviewed};
    auto b = building_box_.find(rep.building);
    auto c = compound_index_.find(rep.compound);
    if (rep.has_point) {
      PinGroup g{proj_.to_world(rep.point_x, rep.point_y), false, "", Id{}, {p}};
      pin_groups_[0].push_back(g);
      pin_groups_[1].push_back(std::move(g));
      continue;
    }
    if (c == compound_index_.end()) continue;
    PinGroup cg{compounds_[c->second].centre, false, "compound", rep.compound, {}};
    add(pin_groups_[0], far_at, rep.compound, cg, p);
    if (b != building_box_.end())
      add(pin_groups_[1], near_at, "b:" + rep.building, {{b->second.centre().x, b->second.max.y}, true, "building", rep.building, {}}, p);
    else
      add(pin_groups_[1], near_at, "c:" + rep.compound, std::move(cg), p);
  }
  // Most urgent first: overdue, then priority.
  const std::int64_t now = m_->now_ms;
  for (auto& list : pin_groups_)
    for (auto& g : list)
      std::sort(g.reports.begin(), g.reports.end(), [now](const PinRep& x, const PinRep& y) {
        bool ox = now > x.due_at, oy = now > y.due_at;
        if (ox != oy) return ox;
        return x.priority != y.priority ? x.priority < y.priority : x.id < y.id;
      });
}

void Manage::map_page(std::vector<UiAction>& out) {
  if (st()->compounds.empty()) {
    Paragraph(tr("map.empty"));
    if (is_staff()) edit_bar(out);  // the first outline comes from an import
    return;
  }
  if (geo_for_ != st() || geo_ops_ != st()->ops_applied) build_geometry();
  if (refit_pending_ && st()->ops_applied != refit_ops_) {  // an import landed: show all of it
    view_ = map::View{};
    refit_pending_ = false;
  }
  if (!editing_) map_search_box();
  if (is_staff()) edit_bar(out);
  if (!editing_) Paragraph(tr("map.hint"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  const ImGuiStyle& style = ImGui::GetStyle();
  float avail = ImGui::GetContentRegionAvail().x;
  // What is left of the visible page below the tabs (at scroll 0), so the whole map shows at once,
  // and the page's whole visible height (what shows once the person scrolls down to the map). The
  // cursor's screen position already has the scroll taken off: add it back, or else the map would
  // grow with every scroll and the page with it (decision 0029).
  float left_h = ImGui::GetWindowHeight() - (ImGui::GetCursorScreenPos().y + ImGui::GetScrollY() - ImGui::GetWindowPos().y) -
                 style.WindowPadding.y - style.ItemSpacing.y;
  float view_h = ImGui::GetWindowHeight() - style.WindowPadding.y * 2;
  // The side panel goes beside the map only when both keep a readable width (decision 0029): the
  // panel needs about 13 em (15 Chinese characters a line: a leader with a phone number, a report
  // card), the map about 14 em to pan and tap in. Below that (phones, a tablet at the largest text) it goes below
  // the map at the page's full width. Measured in em, so the text size decides, not the device.
  const float gap = style.ItemSpacing.x;
  // Large text widens the panel up to 16 em while the map keeps its 14 em.
  float panel_w = std::max(avail * 0.38f, std::max(em(13), std::min(em(16), avail - gap - em(14))));
  bool wide = avail - gap - panel_w >= em(14);
  float map_w = wide ? avail - gap - panel_w : avail;
  float map_h;
  if (wide) {
    // Down to the page's bottom; at least most of the visible page (large text leaves little
    // below the search box at scroll 0: the person scrolls the page to the map, and the map and
    // panel then fill the view).
    map_h = std::max({em(8), left_h, std::min(view_h - em(0.5f), em(16))});
  } else if (left_h * 0.8f >= em(10)) {
    map_h = std::min(left_h * 0.8f, map_w * 1.3f);  // the whole map at scroll 0
  } else {
    // Large text: scrolled to the map, the panel's first lines still show below it.
    map_h = std::max(em(10), std::min(view_h - em(4), map_w * 1.3f));
  }
  draw_canvas(map_w, map_h, out);
  map_stacked_ = !wide;
  if (wide) {
    ImGui::SameLine(0, gap);
    ImVec2 at = ImGui::GetCursorScreenPos();
    map_panel_ = {{at.x, at.y}, {at.x + ImGui::GetContentRegionAvail().x, at.y + map_h}};
    ImGui::BeginChild("##map-side", ImVec2(0, map_h), ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
    map_side(out);
    ImGui::EndChild();
  } else {
    ImGui::Spacing();
    ImVec2 at = ImGui::GetCursorScreenPos();
    map_side(out);
    map_panel_ = {{at.x, at.y}, {at.x + avail, ImGui::GetCursorScreenPos().y}};
  }
}

// The search box over the map: places for everyone, people for staff, reports by their words; a
// hit is a button that flies the map there and selects it.
void Manage::map_search_box() {
  TextField(tr("map.search"), &search_, tr("map.search.hint"));
  not_a_form();  // a search, not input to save (the update offer does not wait for it)
  if (settings::trim(search_).empty()) return;
  const core::State& s = *st();
  auto hits = core::map_search(s, search_, is_staff(),
                               [this](std::string_view sub) { return trs("subtype." + std::string(sub)); }, 6);
  if (hits.empty()) {
    StatusParagraph(tr("map.search.none"));
    return;
  }
  for (const auto& h : hits) {
    std::string label, kind;
    switch (h.kind) {
      case core::SearchHit::Kind::compound:
        label = i18n::format(tr("map.search.compound"), {{"name", s.compounds.at(h.id).name}});
        kind = "compound";
        break;
      case core::SearchHit::Kind::building:
        label = place_name(h.compound, h.id, Id{});
        kind = "building";
        break;
      case core::SearchHit::Kind::person:
        label = i18n::format(tr("map.search.person"), {{"name", person_name(h.id)},
                                                       {"place", place_name(h.compound, h.building, Id{})}});
        kind = "building";
        break;
      case core::SearchHit::Kind::report: {
        const core::Report& r = s.reports.at(h.id);
        label = i18n::format(tr("map.search.report"),
                             {{"what", trs("subtype." + r.subtype)},
                              {"place", place_name(r.compound, r.building, Id{})},
                              {"status", trs("report_status." + std::string(core::enum_name(r.status)))}});
        kind = "report";
        break;
      }
    }
    std::string id = label + "##search-" + h.id;
    if (!Button(id.c_str(), -1)) continue;
    // Fly there: the place's middle, close enough to read the building numbers.
    Vec at = world_.centre();
    double zoom = em(0.25f);
    if (!h.building.empty() && building_box_.count(h.building)) {
      at = building_box_.at(h.building).centre();
    } else if (auto c = compound_index_.find(h.compound); c != compound_index_.end()) {
      at = compounds_[c->second].centre;
      zoom = em(0.08f);
    }
    if (h.kind == core::SearchHit::Kind::report) {
      const core::Report& r = s.reports.at(h.id);
      if (r.has_point) at = proj_.to_world(r.point_x, r.point_y);
    }
    view_.set(at, std::max(view_.scale(), std::min<double>(view_.max_scale, zoom)));
    select(kind, h.kind == core::SearchHit::Kind::person ? h.building : h.id);
    search_.clear();
  }
}

void Manage::draw_canvas(float w, float h, std::vector<UiAction>& out) {
  const auto& pal = palette();
  ImGuiIO& io = ImGui::GetIO();
  // Its own child window: the zoom buttons overlap the canvas inside it, and the side panel can
  // follow on the same line.
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::BeginChild("##map-canvas", ImVec2(w, h), ImGuiChildFlags_None,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  ImGui::PopStyleVar();
  // The zoom buttons: a column over the map's top-right corner, or, where that column would cover
  // more than a fifth of the map's width (large text, a phone), a row below the map (decision 0029).
  const char* keys[] = {"map.zoom_in", "map.zoom_out", "map.fit"};
  float tw = 0;  // the widest word
  for (auto k : keys) tw = std::max(tw, ImGui::CalcTextSize(tr(k)).x);
  const float bw = tw + ImGui::GetStyle().FramePadding.x * 2;
  const float sp = em(0.25f);
  const bool button_row = bw + em(0.4f) > w * 0.2f && (w - sp * 2) / 3 >= tw + em(0.5f);
  if (button_row) h = std::floor(h - ImGui::GetFrameHeight() - ImGui::GetStyle().ItemSpacing.y);
  ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImVec2 p1(p0.x + w, p0.y + h);
  view_.set_viewport(p0.x, p0.y, w, h);
  view_.max_scale = em(0.5f);  // a 36 m building is 18 em wide at most
  if (!view_.fitted()) view_.fit(world_, em(1));

  // [SECTION] Input: drag pans, wheel and double tap zoom, a tap selects.
  ImGui::SetNextItemAllowOverlap();
  ImGui::InvisibleButton("##map", ImVec2(w, h));
  item_table().set_role(ImGui::GetItemID(), Role::Canvas, tr("map.label"));
  ImGui::SetItemKeyOwner(ImGuiKey_MouseWheelY);
  bool hovered = ImGui::IsItemHovered(), active = ImGui::IsItemActive();
  if (ImGui::IsItemActivated()) dragged_ = false;
  Vec pointer{io.MousePos.x, io.MousePos.y};
  bool edit_took = editing_ && edit_input(pointer, out);
  if (edit_took) dragged_ = true;  // the edit has the pointer: no pan, no tap-select
  if (active && ImGui::IsMouseDragging(ImGuiMouseButton_Left, em(0.4f))) dragged_ = true;
  if (active && dragged_ && !edit_took && drag_building_.empty() && drag_vertex_ < 0 && (io.MouseDelta.x != 0 || io.MouseDelta.y != 0)) view_.pan(io.MouseDelta.x, io.MouseDelta.y);
  Vec mouse{io.MousePos.x, io.MousePos.y};
  if (hovered && io.MouseWheel != 0) view_.zoom_at(std::pow(1.25, io.MouseWheel), mouse);
  // Two fingers: pan by their midpoint and zoom by their spread, frame by frame since the last one.
  const auto& pinch = m_->pinch;
  if (pinch.active) {
    Vec a{pinch.ax, pinch.ay}, b{pinch.bx, pinch.by};
    if (pinch.serial == pinch_serial_) view_.pinch(pinch_a_, pinch_b_, a, b);
    else if (view_.viewport().contains({(a.x + b.x) / 2, (a.y + b.y) / 2})) pinch_serial_ = pinch.serial;  // starts here
    if (pinch.serial == pinch_serial_) {
      pinch_a_ = a;
      pinch_b_ = b;
      dragged_ = true;  // no tap-select when the fingers lift
    }
  }
  if (hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) view_.zoom_at(2, mouse);
  else if (ImGui::IsItemDeactivated() && !dragged_ && view_.viewport().contains(mouse)) select_at(mouse);

  // [SECTION] Drawing
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(p0, p1, true);
  dl->AddRectFilled(p0, p1, pal.card_text == IM_COL32(0, 0, 0, 255) ? IM_COL32_WHITE : IM_COL32(244, 241, 232, 255));
  const double s = view_.scale();
  auto sbox = [&](const Box& b) {
    Vec a = view_.to_screen({b.min.x, b.max.y}), c = view_.to_screen({b.max.x, b.min.y});
    return Box{a, c};
  };
  // Grid areas: a translucent fill and a solid border in the grid's colour.
  for (const auto& g : grids_) {
    bool sel = sel_kind_ == "grid" && sel_id_ == g.id;
    if (!g.poly.empty()) {
      std::vector<ImVec2> pts;
      for (auto p : g.poly) pts.push_back(iv(view_.to_screen(p)));
      dl->AddConcavePolyFilled(pts.data(), static_cast<int>(pts.size()), grid_colour(g.colour, 60));
      dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), grid_colour(g.colour, 255), ImDrawFlags_Closed,
                      sel ? em(0.25f) : em(0.1f));
    }
    for (const auto& b : g.boxes) {
      Box sb = sbox(b);
      dl->AddRectFilled(iv(sb.min), iv(sb.max), grid_colour(g.colour, 60), em(0.3f));
      dl->AddRect(iv(sb.min), iv(sb.max), grid_colour(g.colour, 255), em(0.3f), 0, sel ? em(0.25f) : em(0.1f));
    }
  }
  // Compounds and buildings.
  ImU32 yard = IM_COL32(255, 255, 255, 200), edge = IM_COL32(120, 120, 120, 255);
  ImU32 slab = IM_COL32(150, 160, 175, 255), slab_sel = IM_COL32(60, 90, 150, 255);
  for (const auto& c : compounds_) {
    Box sb = sbox(c.outline);
    if (sb.max.x < p0.x || sb.min.x > p1.x || sb.max.y < p0.y || sb.min.y > p1.y) continue;
    bool sel = sel_kind_ == "compound" && sel_id_ == c.id;
    if (!c.poly.empty()) {
      std::vector<ImVec2> pts;
      for (auto p : c.poly) pts.push_back(iv(view_.to_screen(p)));
      dl->AddConcavePolyFilled(pts.data(), static_cast<int>(pts.size()), yard);
      dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), sel ? slab_sel : edge, ImDrawFlags_Closed,
                      sel ? em(0.2f) : 1.5f);
    } else {
      dl->AddRectFilled(iv(sb.min), iv(sb.max), yard, em(0.2f));
      dl->AddRect(iv(sb.min), iv(sb.max), sel ? slab_sel : edge, em(0.2f), 0, sel ? em(0.2f) : 1.5f);
    }
    for (const auto& [bid, box] : c.buildings) {
      bool bsel = sel_kind_ == "building" && sel_id_ == bid;
      if (auto poly = building_poly_.find(bid); poly != building_poly_.end()) {
        std::vector<ImVec2> pts;
        for (auto p : poly->second) pts.push_back(iv(view_.to_screen(p)));
        dl->AddConcavePolyFilled(pts.data(), static_cast<int>(pts.size()), bsel ? slab_sel : slab);
        continue;
      }
      Box bb = sbox(box);
      dl->AddRectFilled(iv(bb.min), iv(bb.max), bsel ? slab_sel : slab);
    }
  }
  // Pins of open reports: at their building when buildings are big enough to tell apart, else at
  // the compound; a report with its own point at that point. The groups come from the cache (state
  // changes only); here they are moved to the screen, culled outside the canvas and merged when
  // their anchors fall within one pin cell of each other: a merged pin shows the most urgent three
  // of all its reports and "+n". Pins reserve their place first so no label covers them.
  if (pins_for_ != st() || pins_ops_ != st()->ops_applied || m_->now_ms >= pins_until_) build_pins();
  map::LabelPlacer labels;
  // The zoom buttons' column over the top-right corner (drawn last): no label goes under it. A row
  // below the map covers nothing.
  const float bstep = button_row ? (w - sp * 2) / 3 + sp : ImGui::GetFrameHeight() + em(0.3f);
  const Box controls = button_row
      ? Box{{p0.x, std::floor(p1.y + ImGui::GetStyle().ItemSpacing.y)},
            {p1.x, std::floor(p1.y + ImGui::GetStyle().ItemSpacing.y) + ImGui::GetFrameHeight()}}
      : Box{{p1.x - bw - em(0.4f), p0.y + em(0.4f)}, {p1.x - em(0.4f), p0.y + em(0.4f) + bstep * 3 - em(0.3f)}};
  map_controls_ = controls;
  if (!button_row) labels.reserve(controls.grown(em(0.2f)));
  map_labels_.clear();
  pins_.clear();
  const float r = em(0.7f);
  bool by_building = s * 50 >= r * 2.6;
  const auto& groups = pin_groups_[by_building ? 1 : 0];
  // The clusters depend only on the pins and the view: a frame whose view did not move (hovering,
  // a tap, the side panel changing) reuses the last frame's; a moved view culls and merges again.
  const ClusterKey key{pin_serial_, s, view_.centre().x, view_.centre().y, p0.x, p0.y, w, h, r};
  if (!(key == clusters_key_)) {
    clusters_key_ = key;
    clusters_.clear();
    std::vector<Vec> shown_at;        // the anchors of the groups not culled, on screen
    std::vector<std::size_t> shown_g;  // ... and their groups
    for (std::size_t gi = 0; gi < groups.size(); ++gi) {
      Vec at = view_.to_screen(groups[gi].at);
      if (groups[gi].on_building) at.y -= r * 0.2;
      // Culled: no part of its pins or "+n" could reach the canvas.
      if (at.x < p0.x - r * 8 || at.x > p1.x + r * 4 || at.y < p0.y - r || at.y > p1.y + r * 3) continue;
      shown_at.push_back(at);
      shown_g.push_back(gi);
    }
    auto into = map::merge_pins(shown_at, r * 2.6);
    for (std::size_t i = 0; i < shown_g.size(); ++i) {
      const PinGroup& g = groups[shown_g[i]];
      if (static_cast<std::size_t>(into[i]) == clusters_.size()) clusters_.push_back({shown_at[i], shown_g[i], true, 0, {}});
      PinCluster& cl = clusters_[static_cast<std::size_t>(into[i])];
      const PinGroup& f = groups[cl.first];
      if (&f != &g && (g.place_kind != f.place_kind || g.place != f.place)) cl.one_place = false;
      cl.total += static_cast<int>(g.reports.size());
      for (std::size_t k = 0; k < g.reports.size() && k < 3; ++k) cl.top.push_back(&g.reports[k]);
    }
    const std::int64_t now = m_->now_ms;
    auto urgent_first = [now](const PinRep* x, const PinRep* y) {
      bool ox = now > x->due_at, oy = now > y->due_at;
      if (ox != oy) return ox;
      return x->priority != y->priority ? x->priority < y->priority : x->id < y->id;
    };
    for (auto& a : clusters_) {
      std::size_t shown = std::min<std::size_t>(a.top.size(), 3);
      std::partial_sort(a.top.begin(), a.top.begin() + static_cast<std::ptrdiff_t>(shown), a.top.end(), urgent_first);
      a.top.resize(shown);
    }
  }
  ImFont* font = ImGui::GetFont();
  const float fs = ImGui::GetFontSize();
  for (const auto& a : clusters_) {
    constexpr int kMax = 3;
    std::size_t shown = a.top.size();
    auto offs = map::pin_offsets(a.total, r * 2.2, kMax);
    for (std::size_t i = 0; i < offs.size() && i < shown; ++i) {
      const PinRep& rep = *a.top[i];
      Vec c{a.at.x + offs[i].x, a.at.y - r * 1.2};
      if (c.x < p0.x - r || c.x > p1.x + r || c.y < p0.y - r || c.y > p1.y + r) continue;
      bool overdue = m_->now_ms > rep.due_at && rep.can_be_overdue;
      bool sel = sel_kind_ == "report" && sel_id_ == rep.id;
      ImVec2 ic = iv(c);
      // A teardrop: the circle and a point down to the place.
      dl->AddTriangleFilled(ImVec2(ic.x - r * 0.55f, ic.y + r * 0.6f), ImVec2(ic.x + r * 0.55f, ic.y + r * 0.6f),
                            ImVec2(ic.x, ic.y + r * 1.5f), category_colour(rep.category));
      dl->AddCircleFilled(ic, r, category_colour(rep.category));
      dl->AddCircle(ic, r, IM_COL32_WHITE, 0, 2);
      if (overdue) dl->AddCircle(ic, r + em(0.15f), pal.bad, 0, em(0.22f));
      if (sel) dl->AddCircle(ic, r + em(0.35f), IM_COL32(0, 0, 0, 255), 0, em(0.15f));
      std::string letter = pin_letter(rep.category);
      ImVec2 ls = font->CalcTextSizeA(fs * 0.9f, FLT_MAX, 0, letter.c_str());
      dl->AddText(font, fs * 0.9f, ImVec2(ic.x - ls.x / 2, ic.y - ls.y / 2), IM_COL32_WHITE, letter.c_str());
      labels.reserve({{c.x - r, c.y - r}, {c.x + r, c.y + r * 1.5}});
      pins_.push_back({c, rep.id, 0, {}, {}});
    }
    if (a.total > kMax) {
      std::string more = "+" + std::to_string(a.total - kMax);
      Vec c{a.at.x + offs.back().x + r * 2.2, a.at.y - r * 1.2};
      ImVec2 ms = font->CalcTextSizeA(fs * 0.8f, FLT_MAX, 0, more.c_str());
      ImVec2 ic = iv(c);
      dl->AddRectFilled(ImVec2(ic.x - ms.x / 2 - 3, ic.y - ms.y / 2), ImVec2(ic.x + ms.x / 2 + 3, ic.y + ms.y / 2),
                        IM_COL32(40, 40, 40, 230), 4);
      dl->AddText(font, fs * 0.8f, ImVec2(ic.x - ms.x / 2, ic.y - ms.y / 2), IM_COL32_WHITE, more.c_str());
      labels.reserve({{c.x - ms.x / 2 - 3, c.y - ms.y / 2}, {c.x + ms.x / 2 + 3, c.y + ms.y / 2}});
      const PinGroup& g = groups[a.first];
      pins_.push_back({c, Id{}, a.total - kMax, a.one_place ? g.place_kind : std::string(), a.one_place ? g.place : Id{}});
    }
  }
  // Labels: fixed screen size, on a light plate, hidden when they would overlap an earlier one.
  // Order of importance: grids, compounds, buildings.
  // A label the zoom buttons would cover moves left of them, or else below them, while its middle
  // stays on its place (`on`, screen): the name of a grid under the top-right corner still shows.
  auto label = [&](const std::string& text, Vec centre, float size, ImU32 colour, const Box& on) {
    ImVec2 ts = font->CalcTextSizeA(size, FLT_MAX, 0, text.c_str());
    float pad = size * 0.2f;
    const double hw = ts.x / 2 + pad, hh = ts.y / 2 + pad;
    auto at = [&](Vec c) { return Box{{c.x - hw, c.y - hh}, {c.x + hw, c.y + hh}}; };
    Box b = at(centre);
    if (!button_row && b.overlaps(controls.grown(em(0.2f)))) {
      Vec left{controls.min.x - em(0.3f) - hw, centre.y}, below{centre.x, controls.max.y + em(0.3f) + hh};
      Box place = on;
      place.min.x = std::max(place.min.x, static_cast<double>(p0.x) + hw);
      place.min.y = std::max(place.min.y, static_cast<double>(p0.y) + hh);
      if (place.contains(left)) b = at(left);
      else if (place.contains(below)) b = at(below);
    }
    if (b.max.x < p0.x || b.min.x > p1.x || b.max.y < p0.y || b.min.y > p1.y) return;
    if (!labels.place(b)) return;
    dl->AddRectFilled(iv(b.min), iv(b.max), IM_COL32(255, 255, 255, 215), size * 0.25f);
    dl->AddText(font, size, iv({b.min.x + pad, b.min.y + pad}), colour, text.c_str());
    map_labels_.push_back({text, b});
  };
  for (const auto& g : grids_) {
    const auto& gr = st()->grids.find(g.id)->second;
    Box area = g.poly.empty() ? map::bounds(g.boxes) : Box{};
    if (!g.poly.empty()) {
      area = Box{g.poly.front(), g.poly.front()};
      for (auto p : g.poly) area = map::bounds({area, Box{p, p}});
    }
    if (area.w() <= 0) continue;
    Box sa = sbox(area);
    label(gr.name, {sa.centre().x, sa.min.y + fs * 0.9}, fs * 0.95f, grid_colour(g.colour, 255) & IM_COL32(160, 160, 160, 255), sa);
  }
  for (const auto& c : compounds_) {
    Box sb = sbox(c.outline);
    label(st()->compounds.find(c.id)->second.name, {sb.centre().x, sb.max.y + fs * 0.7}, fs * 0.9f, IM_COL32(30, 30, 30, 255),
          sb.grown(fs));
  }
  for (const auto& c : compounds_) {
    for (const auto& [bid, box] : c.buildings) {
      Box bb = sbox(box);
      if (bb.w() < fs * 1.2) continue;  // too small to carry a number
      const std::string& name = st()->buildings.find(bid)->second.name;
      label(bb.w() > fs * 4 ? name : std::to_string(std::atoi(name.c_str())), bb.centre(), fs * 0.8f,
            IM_COL32(20, 20, 20, 255), bb);
    }
  }
  if (editing_) edit_overlay(dl);
  dl->AddRect(p0, p1, ImGui::GetColorU32(ImGuiCol_Border), 0, 0, 1.5f);
  dl->PopClipRect();
  map_places({p0.x, p0.y}, {p1.x, p1.y});

  // [SECTION] Zoom buttons over the map's top-right corner or in a row below it (`controls`, above).
  const char* ids[] = {"##map-in", "##map-out", "##map-fit"};
  for (int i = 0; i < 3; ++i) {
    float step = bstep * static_cast<float>(i);
    ImGui::SetCursorScreenPos(ImVec2(std::floor(static_cast<float>(controls.min.x) + (button_row ? step : 0)),
                                     std::floor(static_cast<float>(controls.min.y) + (button_row ? 0 : step))));
    std::string l = std::string(tr(keys[i])) + ids[i];
    // In the row the words keep a quarter em either side (the buttons share the map's width).
    if (button_row) ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(em(0.25f), ImGui::GetStyle().FramePadding.y));
    bool pressed = Button(l.c_str(), button_row ? bstep - sp : bw);
    if (button_row) ImGui::PopStyleVar();
    if (pressed) {
      Vec mid = view_.viewport().centre();
      if (i == 0) view_.zoom_at(2, mid);
      if (i == 1) view_.zoom_at(0.5, mid);
      if (i == 2) view_.fit(world_, em(1));
    }
  }
  ImGui::EndChild();
}

void Manage::select_at(Vec at) {
  const double tol = em(1.1f);  // 44 CSS px across
  double best = tol * tol;
  const PinHit* pin = nullptr;
  for (const auto& p : pins_) {
    double d = (p.at.x - at.x) * (p.at.x - at.x) + (p.at.y - at.y) * (p.at.y - at.y);
    if (d < best) { best = d; pin = &p; }
  }
  if (pin && !pin->report.empty()) { select("report", pin->report); return; }
  if (pin && open_more(*pin)) return;
  Vec w = view_.to_world(at);
  const double slack = em(0.4f) / view_.scale();  // small slabs are easier to hit
  for (const auto& [bid, box] : building_box_)
    if (box.grown(slack).contains(w)) { select("building", bid); return; }
  for (const auto& c : compounds_)
    if (c.poly.empty() ? c.outline.contains(w) : map::point_in_polygon(c.poly, w)) { select("compound", c.id); return; }
  for (const auto& g : grids_) {
    bool in = !g.poly.empty() && map::point_in_polygon(g.poly, w);
    for (const auto& b : g.boxes) in = in || b.contains(w);
    if (in) { select("grid", g.id); return; }
  }
  select("", Id{});
}

// A "+n" pressed: zoom in 2x about it until the pins come apart; at the closest zoom, select its
// place (the side panel lists the place's open reports). False when there is nothing to do.
bool Manage::open_more(const PinHit& pin) {
  if (view_.scale() < view_.max_scale * 0.999) {
    view_.zoom_at(2, pin.at);
    return true;
  }
  if (pin.place_kind.empty()) return false;
  select(pin.place_kind, pin.place);
  return true;
}

void Manage::select(const std::string& kind, const Id& id) {
  sel_kind_ = kind;
  sel_id_ = id;
}

void Manage::map_places(Vec q0, Vec q1) {
  const ImVec2 p0 = iv(q0), p1 = iv(q1);
  const core::State& s = *st();
  auto sbox = [&](const Box& b) {
    Vec a = view_.to_screen({b.min.x, b.max.y}), c = view_.to_screen({b.max.x, b.min.y});
    return Box{a, c};
  };
  // The part of a box inside the canvas, or false when none of it is shown.
  auto shown = [&](Box b, ImVec2& a, ImVec2& c) {
    a = ImVec2(std::max(static_cast<float>(b.min.x), p0.x), std::max(static_cast<float>(b.min.y), p0.y));
    c = ImVec2(std::min(static_cast<float>(b.max.x), p1.x), std::min(static_cast<float>(b.max.y), p1.y));
    return c.x - a.x >= 1 && c.y - a.y >= 1;
  };
  const auto& open_in = open_in_;  // open reports per building and per compound (what the pins show)
  if (const char* f = tr("map.search.report"); pin_words_lang_ != f) {  // the language changed
    pin_words_.clear();
    place_words_.clear();
    pin_words_lang_ = f;
  }
  // A place's words, made once per state and language (cleared with the pins).
  auto words = [&](const Id& compound, const Id& building) -> const std::string& {
    const Id& key = building.empty() ? compound : building;
    auto w = place_words_.find(key);
    if (w != place_words_.end()) return w->second;
    std::string place = place_name(compound, building, Id{});
    auto n = open_in.find(key);
    std::string text = n == open_in.end() ? i18n::format(tr("map.a11y.place_none"), {{"place", place}})
                                          : i18n::format(tr("map.a11y.place"), {{"place", place}, {"n", std::to_string(n->second)}});
    return place_words_.emplace(key, std::move(text)).first->second;
  };
  ImVec2 a, c;
  item_table().begin_group(ImGui::GetID("##map-places"), Role::Group, tr("map.a11y.places"));
  for (const auto& g : grids_) {
    Box area = g.poly.empty() ? map::bounds(g.boxes) : Box{g.poly.front(), g.poly.front()};
    for (auto p : g.poly) area = map::bounds({area, Box{p, p}});
    if (area.w() <= 0 || !shown(sbox(area), a, c)) continue;
    std::string l = i18n::format(tr("map.a11y.grid"), {{"name", s.grids.find(g.id)->second.name}});
    if (MirrorButton(("##place-grid-" + g.id).c_str(), l, a, c)) select("grid", g.id);
  }
  for (const auto& cg : compounds_) {
    if (!shown(sbox(cg.outline), a, c)) continue;
    if (MirrorButton(("##place-compound-" + cg.id).c_str(), words(cg.id, Id{}), a, c))
      select("compound", cg.id);
    for (const auto& [bid, box] : cg.buildings) {
      if (!shown(sbox(box), a, c)) continue;
      if (MirrorButton(("##place-building-" + bid).c_str(), words(cg.id, bid), a, c))
        select("building", bid);
    }
  }
  const float r = em(0.7f);
  // One item per pin drawn (at most three per merged pin) and one per "+n": the pins are merged by
  // screen cell, so the whole-map view has tens of these, not one per open report.
  int more_n = 0;
  for (const auto& p : pins_) {
    Box pin{{p.at.x - r, p.at.y - r}, {p.at.x + r, p.at.y + r * 1.5}};
    if (!shown(pin, a, c)) continue;
    if (p.report.empty()) {
      std::string l = i18n::format(tr("map.a11y.more"), {{"n", std::to_string(p.more)}});
      if (MirrorButton(("##place-more-" + std::to_string(more_n++)).c_str(), l, a, c)) open_more(p);
      continue;
    }
    auto rep = s.reports.find(p.report);
    if (rep == s.reports.end()) continue;
    auto w = pin_words_.find(p.report);
    if (w == pin_words_.end()) {  // the words change only with the state (the cache is cleared then)
      const core::Report& rp = rep->second;
      w = pin_words_.emplace(p.report, i18n::format(tr("map.search.report"),
                                 {{"what", trs("subtype." + rp.subtype)},
                                  {"place", place_name(rp.compound, rp.building, Id{})},
                                  {"status", trs("report_status." + std::string(core::enum_name(rp.status)))}})).first;
    }
    if (MirrorButton(("##place-report-" + p.report).c_str(), w->second, a, c)) select("report", p.report);
  }
  item_table().end_group();
}

const Manage::SidePlace& Manage::side_place() {
  const core::State& s = *st();
  SidePlace& c = side_;
  if (c.for_ == &s && c.ops == s.ops_applied && m_->now_ms < c.until && c.kind == sel_kind_ && c.id == sel_id_) return c;
  c = SidePlace{};
  c.for_ = &s;
  c.ops = s.ops_applied;
  c.until = INT64_MAX;
  c.kind = sel_kind_;
  c.id = sel_id_;
  if (sel_kind_ == "report") {
    if (auto r = s.reports.find(sel_id_); r != s.reports.end()) c.grid = r->second.grid;
    return c;  // the report's own card, drawn from the state
  }
  if (sel_kind_ == "building") {
    c.building = sel_id_;
    if (auto b = s.buildings.find(c.building); b != s.buildings.end()) c.compound = b->second.compound;
  } else if (sel_kind_ == "compound") {
    c.compound = sel_id_;
  } else if (sel_kind_ == "grid") {
    c.grid = sel_id_;
  }
  if (!c.compound.empty()) {
    if (auto cp = s.compounds.find(c.compound); cp != s.compounds.end()) c.grid = cp->second.grid;
  }
  if (c.grid.empty() && !c.compound.empty()) {
    for (const auto& [gid, g] : s.grids)
      if (g.compounds.count(c.compound)) c.grid = gid;
  }
  if (!c.building.empty()) {
    for (const auto& [pid, p] : s.persons)
      for (const auto& gr : p.roles)
        if (gr.role == core::Role::building_leader && gr.scope == c.building) c.building_leaders.push_back(pid);
  }
  if (c.building.empty() && c.compound.empty() && c.grid.empty()) return c;
  for (const auto& row : core::open_report_rows(s, c.grid, m_->now_ms, &c.until)) {
    if (!c.building.empty() && row.report->building != c.building) continue;
    if (c.building.empty() && !c.compound.empty() && row.report->compound != c.compound) continue;
    if (++c.open <= kSideRows) c.rows.push_back({row.report->id, row.overdue, row.escalated});
  }
  return c;
}

void Manage::map_side(std::vector<UiAction>& out) {
  const core::State& s = *st();
  if (editing_) {
    edit_side(out);
    return;
  }
  // What is selected: who leads it, how to reach them (phone: staff only), its open reports.
  const SidePlace& place = side_place();
  const Id& grid = place.grid;
  const Id& compound = place.compound;
  const Id& building = place.building;
  if (sel_kind_ == "report") {
    auto r = s.reports.find(sel_id_);
    if (r != s.reports.end()) {
      bool overdue = m_->now_ms > r->second.due_at;
      report_card(r->second, overdue, false, !my_grids().empty(), out);
    }
  }
  bool staff = is_staff();
  auto leader_line = [&](const char* role_key, const Id& person) {
    std::string name = person.empty() ? std::string(tr("map.vacant")) : person_name(person);
    std::string line = std::string(tr(role_key)) + "：" + name;
    if (staff && !person.empty()) {
      auto p = s.persons.find(person);
      if (p != s.persons.end() && !p->second.phone.empty())
        line += " · " + i18n::format(tr("map.phone"), {{"phone", p->second.phone}});
    }
    Paragraph(line);
  };
  if (!building.empty() || !compound.empty() || (!grid.empty() && sel_kind_ == "grid")) {
    Heading(building.empty() ? place_name(compound, {}, {}) + (compound.empty() ? s.grids.find(grid)->second.name : "")
                             : place_name(compound, building, {}),
            1.15f);
    if (!grid.empty()) {
      auto g = s.grids.find(grid);
      if (g != s.grids.end()) {
        Paragraph(i18n::format(tr("map.grid"), {{"grid", g->second.name}}));
        leader_line("role.grid_leader", g->second.leader);
      }
    }
    for (const auto& pid : place.building_leaders) leader_line("role.building_leader", pid);
    // Open reports of the place (the first eight, most urgent first).
    Paragraph(i18n::format(tr("map.open_reports"), {{"n", std::to_string(place.open)}}));
    BeginList("map-reports");
    for (const auto& row : place.rows)
      if (auto r = s.reports.find(row.report); r != s.reports.end()) report_card(r->second, row.overdue, row.escalated, false, out);
    EndList();
    ImGui::Spacing();
  } else if (sel_kind_.empty()) {
    Paragraph(tr("map.tap_hint"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
    ImGui::Spacing();
  }
  // Legend in words: grids with their leaders, then what the pins mean.
  Heading(tr("map.legend"), 1.1f);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float sw = em(1.0f);
  auto swatch_row = [&](auto draw_mark, const std::string& text) {
    ImVec2 p = ImGui::GetCursorScreenPos();
    draw_mark(ImVec2(p.x + sw / 2, p.y + em(kLineSpacing) / 2));
    ImGui::Indent(sw + em(0.5f));
    Paragraph(text);
    ImGui::Unindent(sw + em(0.5f));
  };
  for (const auto& g : grids_) {
    const auto& gr = s.grids.find(g.id)->second;
    std::string text = gr.name + " · " + tr("role.grid_leader") + " " +
                       (gr.leader.empty() ? std::string(tr("map.vacant")) : person_name(gr.leader));
    swatch_row([&](ImVec2 c) {
      dl->AddRectFilled(ImVec2(c.x - sw / 2, c.y - sw / 2), ImVec2(c.x + sw / 2, c.y + sw / 2), grid_colour(g.colour, 90));
      dl->AddRect(ImVec2(c.x - sw / 2, c.y - sw / 2), ImVec2(c.x + sw / 2, c.y + sw / 2), grid_colour(g.colour, 255), 0, 0, 2);
    }, text);
  }
  for (int k = 0; k < 6; ++k) {
    auto c = static_cast<core::Category>(k);
    std::string letter = pin_letter(c);
    swatch_row([&](ImVec2 ctr) {
      dl->AddCircleFilled(ctr, sw / 2, category_colour(c));
      ImVec2 ls = ImGui::GetFont()->CalcTextSizeA(ImGui::GetFontSize() * 0.8f, FLT_MAX, 0, letter.c_str());
      dl->AddText(ImGui::GetFont(), ImGui::GetFontSize() * 0.8f, ImVec2(ctr.x - ls.x / 2, ctr.y - ls.y / 2),
                  IM_COL32_WHITE, letter.c_str());
    }, letter + " " + category_name(c));
  }
  swatch_row([&](ImVec2 c) { dl->AddCircle(c, sw / 2, palette().bad, 0, em(0.2f)); }, tr("map.legend.overdue"));
}

}  // namespace sihui::ui
