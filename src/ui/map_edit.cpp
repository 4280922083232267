// map_edit (UI): the grid map's edit mode for staff (decision 0022). Big buttons above the map pick
// a tool: move a building (drag it), edit an outline (drag its corners, tap a "+" on an edge to add
// one, delete the chosen one), draw a grid's or compound's outline by tapping its corners. The side
// panel assigns people to the roles of the chosen grid, building or unit ("1 + N"), removes the chosen
// compound, building or one of its units (decision 0026), and moves a compound into another grid or
// out of every grid (0026, revision 2026-11-27). Undo and redo
// submit inverse operations (core::EditHistory); import shows a GeoJSON file's proposals before
// they are sent; export downloads the map as GeoJSON. Every change is an op in the outbox, so all
// of it works offline. The pure parts live in core/map_edit.h.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>

#include "core/replica.h"
#include "imgui.h"
#include "ui/item_table.h"
#include "ui/manage.h"
#include "ui/person_picker.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace sihui::ui {

using core::Id;
using map::Box;
using map::Vec;

namespace {
ImVec2 iv(Vec v) { return ImVec2(static_cast<float>(v.x), static_cast<float>(v.y)); }
double dist2(Vec a, Vec b) { return (a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y); }
std::vector<Vec> box_corners(const Box& b) {
  return {{b.min.x, b.min.y}, {b.max.x, b.min.y}, {b.max.x, b.max.y}, {b.min.x, b.max.y}};
}
}  // namespace

// Called from the JS API between frames: it reads only what build_geometry kept (the UiModel of
// the last frame is gone by then).
std::vector<Manage::BuildingMark> Manage::building_marks() const {
  std::vector<BuildingMark> out = marks_;
  for (auto& b : out) {
    auto box = building_box_.find(b.id);
    if (box == building_box_.end()) continue;
    Vec c = view_.to_screen(box->second.centre());
    b.x = c.x;
    b.y = c.y;
  }
  return out;
}

std::vector<Vec> Manage::shape_of(const std::string& kind, const Id& id) const {
  if (kind == "building") {
    if (auto p = building_poly_.find(id); p != building_poly_.end()) return p->second;
    if (auto b = building_box_.find(id); b != building_box_.end()) return box_corners(b->second);
  } else if (kind == "compound") {
    if (auto c = compound_index_.find(id); c != compound_index_.end()) {
      const auto& g = compounds_[c->second];
      return g.poly.empty() ? box_corners(g.outline) : g.poly;
    }
  } else if (kind == "grid") {
    for (const auto& g : grids_)
      if (g.id == id) return g.poly.empty() ? (g.boxes.empty() ? std::vector<Vec>{} : box_corners(map::bounds(g.boxes))) : g.poly;
  }
  return {};
}

std::string Manage::outline_text(const std::vector<Vec>& world) const {
  std::vector<core::MicroPoint> pts;
  for (auto w : world) {
    core::MicroPoint p;
    proj_.to_micro(w, &p.x, &p.y);
    pts.push_back(p);
  }
  return core::format_outline(pts);
}

std::string Manage::place_label(const std::string& kind, const Id& id) const {
  const core::State& s = *st();
  if (kind == "grid") {
    auto g = s.grids.find(id);
    return g == s.grids.end() ? id : g->second.name;
  }
  if (kind == "compound") return place_name(id, {}, {});
  if (kind == "building") {
    auto b = s.buildings.find(id);
    return b == s.buildings.end() ? id : place_name(b->second.compound, id, {});
  }
  if (kind == "unit") {
    auto u = s.units.find(id);
    if (u == s.units.end()) return id;
    auto b = s.buildings.find(u->second.building);
    return place_name(b == s.buildings.end() ? Id{} : b->second.compound, u->second.building, id);
  }
  return id;
}

// A person as the pickers show them: the name and where they live, to tell two of one name apart.
std::string Manage::person_words(const core::Person& p) const {
  const core::State& s = *st();
  std::string home;
  if (auto u = s.units.find(p.unit); u != s.units.end()) {
    auto b = s.buildings.find(u->second.building);
    home = " · " + (b == s.buildings.end() ? u->second.name : place_name(b->second.compound, b->first, u->first));
  }
  return p.name + home;
}

void Manage::submit_drafts(std::vector<UiAction>& out, const std::vector<core::DraftOp>& ops) {
  for (const auto& d : ops) submit(out, d.kind, d.payload, nullptr);
}

void Manage::commit_edit(std::vector<UiAction>& out, core::Edit e) {
  submit_drafts(out, e.forward);
  history_.push(std::move(e));
}

// [SECTION] The bar above the map: edit on/off, tools, undo/redo, import/export.
void Manage::edit_bar(std::vector<UiAction>& out) {
  // A file picked for import: read it now (it changes nothing until 确认导入).
  if (m_->geojson.serial != geojson_serial_) {
    geojson_serial_ = m_->geojson.serial;
    import_ = core::GeoImport{};
    if (m_->geojson.too_big) import_.error = "geojson.error.too_big";
    else if (m_->geojson.failed || !m_->geojson.text) import_.error = "geojson.error.read_failed";
    else import_ = core::import_geojson(*st(), *m_->geojson.text, new_id().substr(0, 8) + "-");
    import_open_ = editing_;
  }
  if (!editing_) {
    std::string l = std::string(tr("map.edit.start")) + "##map-edit";  // no pencil sign: no installed font has one
    if (Button(l.c_str())) {
      editing_ = true;
      edit_note_.clear();
    }
    return;
  }
  const ImGuiStyle& style = ImGui::GetStyle();
  float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
  bool first = true;
  // Buttons flow left to right and wrap, so they stay big at 200% text on a phone.
  auto flow = [&](const char* label, bool on) {
    const char* end = std::strstr(label, "##");
    float w = ImGui::CalcTextSize(label, end).x + style.FramePadding.x * 2;
    if (!first) {
      ImGui::SameLine();
      if (ImGui::GetCursorScreenPos().x + w > right) ImGui::NewLine();
    }
    first = false;
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_Header));
    bool pressed = Button(label);
    if (on) ImGui::PopStyleColor();
    return pressed;
  };
  struct ToolButton { const char* key; const char* id; Tool tool; };
  for (const auto& t : {ToolButton{"map.edit.move", "##tool-move", Tool::Move},
                        ToolButton{"map.edit.vertices", "##tool-vertices", Tool::Vertices},
                        ToolButton{"map.edit.draw", "##tool-draw", Tool::Draw}}) {
    std::string l = std::string(tool_ == t.tool ? "● " : "") + tr(t.key) + t.id;
    if (flow(l.c_str(), tool_ == t.tool)) {
      tool_ = t.tool;
      drawing_.clear();
      picked_vertex_ = -1;
    }
  }
  ImGui::BeginDisabled(!history_.can_undo());
  std::string undo = std::string("↶ ") + tr("map.edit.undo") + "##map-undo";
  if (flow(undo.c_str(), false)) submit_drafts(out, history_.undo()), edit_op_.clear();  // "已移除" would be stale
  ImGui::EndDisabled();
  ImGui::BeginDisabled(!history_.can_redo());
  std::string redo = std::string("↷ ") + tr("map.edit.redo") + "##map-redo";
  if (flow(redo.c_str(), false)) submit_drafts(out, history_.redo()), edit_op_.clear();
  ImGui::EndDisabled();
  std::string imp = std::string(tr("map.edit.import")) + "##map-import";
  if (flow(imp.c_str(), false)) {
    edit_note_.clear();
    out.emplace_back(ChooseGeoJson{});
  }
  std::string exp = std::string(tr("map.edit.export")) + "##map-export";
  if (flow(exp.c_str(), false)) {
    std::string text = core::export_geojson(*st());
    std::size_t n = 0;
    for (std::size_t i = text.find("\"Feature\""); i != std::string::npos; i = text.find("\"Feature\"", i + 1)) ++n;
    out.emplace_back(Download{"sihui-map.geojson", text});
    edit_note_ = i18n::format(tr("geojson.exported"), {{"n", std::to_string(n)}});
  }
  std::string done = std::string("✓ ") + tr("map.edit.done") + "##map-edit-done";
  if (flow(done.c_str(), false)) {
    editing_ = false;
    drawing_.clear();
    import_open_ = false;
    role_pick_.clear();
    grid_pick_.clear();
  }
  const char* hint = tool_ == Tool::Move ? "map.edit.hint.move" : tool_ == Tool::Vertices ? "map.edit.hint.vertices"
                                                                                           : "map.edit.hint.draw";
  Paragraph(tr(hint), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  if (history_.can_undo())
    Paragraph(i18n::format(tr("map.edit.can_undo"), {{"what", history_.undo_label()}}), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  if (!edit_note_.empty()) StatusParagraph(edit_note_);
  if (import_open_) import_panel(out);
}

void Manage::import_panel(std::vector<UiAction>& out) {
  ImGui::Separator();
  if (!import_.error.empty()) {
    StatusParagraph(i18n::format(tr(import_.error.c_str()), {{"n", std::to_string(import_.feature)}}), palette().bad);
    if (Button((std::string(tr("map.edit.close")) + "##import-close").c_str())) import_open_ = false;
    ImGui::Separator();
    return;
  }
  Heading(tr("geojson.preview_title"), 1.15f);
  StatusParagraph(i18n::format(tr("geojson.preview"), {{"compounds", std::to_string(import_.new_compounds)},
                                                  {"buildings", std::to_string(import_.new_buildings)},
                                                  {"outlines", std::to_string(import_.outlines)},
                                                  {"unchanged", std::to_string(import_.unchanged)},
                                                  {"skipped", std::to_string(import_.skipped)}}));
  if (!import_.names.empty()) {
    std::string names;
    for (std::size_t i = 0; i < import_.names.size() && i < 12; ++i) names += (i ? "、" : "") + import_.names[i];
    if (import_.names.size() > 12) names += " …";
    Paragraph(names);
  }
  if (!import_.ops.empty()) {
    if (Button((std::string(tr("geojson.confirm")) + "##import-confirm").c_str())) {
      // One edit: 撤销 takes the whole import back (new places removed, outlines as they were).
      commit_edit(out, core::import_edit(*st(), import_.ops, tr("map.edit.did_import")));
      edit_note_ = i18n::format(tr("geojson.imported"), {{"n", std::to_string(import_.ops.size())}});
      import_open_ = false;
      refit_pending_ = true;
      refit_ops_ = st()->ops_applied;
    }
    ImGui::SameLine();
  } else {
    Paragraph(tr("geojson.nothing"));
  }
  if (Button((std::string(tr("map.edit.cancel")) + "##import-cancel").c_str())) import_open_ = false;
  ImGui::Separator();
}

// [SECTION] Pointer input on the canvas while editing.
bool Manage::edit_input(Vec mouse, std::vector<UiAction>& out) {
  const double move_min = em(0.4f);
  Vec w = view_.to_world(mouse);
  if (tool_ == Tool::Move) {
    if (ImGui::IsItemActivated()) {
      drag_building_.clear();
      for (const auto& [bid, box] : building_box_) {
        auto poly = building_poly_.find(bid);
        bool in = poly != building_poly_.end() ? map::point_in_polygon(poly->second, w) || box.contains(w)
                                                : box.grown(em(0.3f) / view_.scale()).contains(w);
        if (in) { drag_building_ = bid; break; }
      }
      drag_from_ = drag_to_ = w;
      return false;
    }
    if (drag_building_.empty()) return false;
    bool moved = dist2(view_.to_screen(drag_from_), view_.to_screen(drag_to_)) > move_min * move_min;
    if (ImGui::IsItemActive()) {
      drag_to_ = w;
      return moved;
    }
    if (ImGui::IsItemDeactivated()) {
      Id bid = drag_building_;
      drag_building_.clear();
      if (!moved) return false;  // a tap: select as usual
      std::vector<Vec> shape = shape_of("building", bid);
      for (auto& p : shape) p = {p.x + drag_to_.x - drag_from_.x, p.y + drag_to_.y - drag_from_.y};
      std::string label = i18n::format(tr("map.edit.did_move"), {{"name", place_label("building", bid)}});
      commit_edit(out, core::outline_edit(*st(), "building", bid, outline_text(shape), label));
      sel_kind_ = "building";
      sel_id_ = bid;
      return true;
    }
    return false;
  }
  if (tool_ == Tool::Vertices) {
    if (sel_kind_ != "grid" && sel_kind_ != "compound" && sel_kind_ != "building") return false;
    if (drag_vertex_ < 0) edit_poly_ = shape_of(sel_kind_, sel_id_);
    if (edit_poly_.size() < 3) return false;
    const double tol = em(0.9f);
    if (ImGui::IsItemActivated()) {
      int best = -1;
      double bd = tol * tol;
      for (std::size_t i = 0; i < edit_poly_.size(); ++i) {
        double d = dist2(view_.to_screen(edit_poly_[i]), mouse);
        if (d < bd) { bd = d; best = static_cast<int>(i); }
      }
      if (best < 0 && edit_poly_.size() < core::kMaxOutlinePoints) {  // a "+" in the middle of an edge
        for (std::size_t i = 0; i < edit_poly_.size(); ++i) {
          Vec a = edit_poly_[i], b = edit_poly_[(i + 1) % edit_poly_.size()];
          double d = dist2(view_.to_screen({(a.x + b.x) / 2, (a.y + b.y) / 2}), mouse);
          if (d < bd) { bd = d; best = static_cast<int>(i) + 1000000; }
        }
        if (best >= 1000000) {
          std::size_t i = static_cast<std::size_t>(best - 1000000);
          Vec a = edit_poly_[i], b = edit_poly_[(i + 1) % edit_poly_.size()];
          edit_poly_.insert(edit_poly_.begin() + static_cast<std::ptrdiff_t>(i + 1), Vec{(a.x + b.x) / 2, (a.y + b.y) / 2});
          best = static_cast<int>(i + 1);
        }
      }
      drag_vertex_ = best;
      if (best >= 0) picked_vertex_ = best;
      drag_from_ = w;
      return best >= 0;
    }
    if (drag_vertex_ < 0) return false;
    if (ImGui::IsItemActive()) {
      if (dist2(view_.to_screen(drag_from_), mouse) > move_min * move_min) edit_poly_[static_cast<std::size_t>(drag_vertex_)] = w;
      return true;
    }
    if (ImGui::IsItemDeactivated()) {
      drag_vertex_ = -1;
      std::string text = outline_text(edit_poly_);
      if (text != core::current_outline(*st(), sel_kind_, sel_id_)) {
        std::string label = i18n::format(tr("map.edit.did_outline"), {{"name", place_label(sel_kind_, sel_id_)}});
        commit_edit(out, core::outline_edit(*st(), sel_kind_, sel_id_, text, label));
      }
      return true;
    }
    return false;
  }
  // Tool::Draw: once a grid or compound is chosen, each tap is the next corner.
  if (sel_kind_ != "grid" && sel_kind_ != "compound") return false;
  if (ImGui::IsItemActivated()) drag_from_ = w;
  if (ImGui::IsItemDeactivated() && dist2(view_.to_screen(drag_from_), mouse) <= move_min * move_min &&
      drawing_.size() < core::kMaxOutlinePoints) {
    drawing_.push_back(w);
    return true;
  }
  return false;
}

void Manage::edit_overlay(ImDrawList* dl) {
  const ImU32 ink = IM_COL32(20, 60, 160, 255), white = IM_COL32_WHITE;
  auto poly_line = [&](const std::vector<Vec>& poly, bool closed, ImU32 col) {
    std::vector<ImVec2> pts;
    for (auto p : poly) pts.push_back(iv(view_.to_screen(p)));
    dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), col, closed ? ImDrawFlags_Closed : 0, em(0.15f));
  };
  if (tool_ == Tool::Move && !drag_building_.empty()) {
    auto shape = shape_of("building", drag_building_);
    for (auto& p : shape) p = {p.x + drag_to_.x - drag_from_.x, p.y + drag_to_.y - drag_from_.y};
    std::vector<ImVec2> pts;
    for (auto p : shape) pts.push_back(iv(view_.to_screen(p)));
    dl->AddConcavePolyFilled(pts.data(), static_cast<int>(pts.size()), IM_COL32(60, 90, 150, 140));
    poly_line(shape, true, ink);
  }
  if (tool_ == Tool::Vertices && edit_poly_.size() >= 3 &&
      (sel_kind_ == "grid" || sel_kind_ == "compound" || sel_kind_ == "building")) {
    poly_line(edit_poly_, true, ink);
    const float r = em(0.45f);
    for (std::size_t i = 0; i < edit_poly_.size(); ++i) {  // "+" at the middle of each edge
      Vec a = edit_poly_[i], b = edit_poly_[(i + 1) % edit_poly_.size()];
      ImVec2 m = iv(view_.to_screen({(a.x + b.x) / 2, (a.y + b.y) / 2}));
      dl->AddCircleFilled(m, r * 0.75f, IM_COL32(255, 255, 255, 220));
      dl->AddLine(ImVec2(m.x - r * 0.45f, m.y), ImVec2(m.x + r * 0.45f, m.y), ink, em(0.1f));
      dl->AddLine(ImVec2(m.x, m.y - r * 0.45f), ImVec2(m.x, m.y + r * 0.45f), ink, em(0.1f));
    }
    for (std::size_t i = 0; i < edit_poly_.size(); ++i) {
      ImVec2 c = iv(view_.to_screen(edit_poly_[i]));
      bool picked = static_cast<int>(i) == picked_vertex_;
      dl->AddCircleFilled(c, r, picked ? ink : white);
      dl->AddCircle(c, r, ink, 0, em(0.12f));
    }
  }
  if (tool_ == Tool::Draw && !drawing_.empty()) {
    poly_line(drawing_, false, ink);
    for (auto p : drawing_) dl->AddCircleFilled(iv(view_.to_screen(p)), em(0.35f), ink);
  }
}

// [SECTION] The side panel while editing: the chosen place, the tool's buttons, its people.

// 移除 a place: a first press asks in words under the button (no pop-up), the second sends
// place.remove as an edit (撤销 adds it back). The reducer's own check says first why it cannot go
// (people living there, a leader, units under it, a grid around it), and nothing is sent.
void Manage::remove_button(std::vector<UiAction>& out, const std::string& kind, const Id& id, const std::string& label) {
  const std::string key = kind + ":" + id;
  const std::string name = place_label(kind, id);
  if (remove_confirm_ != key) {
    if (Button(("✕ " + label + "##remove-" + key).c_str(), -1)) {
      remove_confirm_ = key;
      edit_op_.clear();
    }
    return;
  }
  core::Outcome can = core::place_removable(*st(), kind, id);
  if (!can.accepted()) {  // said before anything is sent: nothing to confirm
    StatusParagraph(reason_words(can), palette().bad);
    if (Button((std::string(tr("map.edit.close")) + "##remove-no-" + key).c_str())) remove_confirm_.clear();
    return;
  }
  StatusParagraph(i18n::format(tr("map.edit.remove_confirm"), {{"name", name}}), palette().bad);
  if (Button((std::string(tr("map.edit.remove_yes")) + "##remove-yes-" + key).c_str())) {
    core::Edit e = core::remove_edit(*st(), kind, id, i18n::format(tr("map.edit.did_remove"), {{"name", name}}));
    submit(out, e.forward[0].kind, e.forward[0].payload, &edit_op_);
    history_.push(std::move(e));
    remove_confirm_.clear();
    edit_done_ = i18n::format(tr("map.edit.removed"), {{"name", name}});
  }
  ImGui::SameLine();
  if (Button((std::string(tr("map.edit.cancel")) + "##remove-no-" + key).c_str())) remove_confirm_.clear();
}

// The chosen compound's grid, and 调整所属网格: every other grid as a big button, and 移出网格 when it
// is in one. One press sends grid.compound.move as an edit (撤销 moves it back); the reducer decides.
void Manage::grid_choice(std::vector<UiAction>& out) {
  const core::State& s = *st();
  auto c = s.compounds.find(sel_id_);
  if (c == s.compounds.end()) return;
  const Id& now = c->second.grid;
  StatusParagraph(now.empty() ? std::string(tr("map.edit.in_no_grid"))
                              : i18n::format(tr("map.edit.grid_of"), {{"grid", place_label("grid", now)}}));
  if (grid_pick_ != sel_id_) {
    if (Button((std::string("⇄ ") + tr("map.edit.change_grid") + "##change-grid").c_str(), -1)) {
      grid_pick_ = sel_id_;
      edit_op_.clear();
    }
    return;
  }
  const std::string name = place_label("compound", sel_id_);
  auto move = [&](const Id& to) {
    std::string g = to.empty() ? std::string() : place_label("grid", to);
    std::string label = to.empty() ? i18n::format(tr("map.edit.did_leave_grid"), {{"name", name}})
                                   : i18n::format(tr("map.edit.did_move_grid"), {{"name", name}, {"grid", g}});
    core::Edit e = core::compound_move_edit(s, sel_id_, to, label);
    submit(out, e.forward[0].kind, e.forward[0].payload, &edit_op_);
    history_.push(std::move(e));
    edit_done_ = to.empty() ? i18n::format(tr("map.edit.left_grid"), {{"name", name}})
                            : i18n::format(tr("map.edit.moved_grid"), {{"name", name}, {"grid", g}});
    grid_pick_.clear();
  };
  for (const auto& [gid, g] : s.grids) {
    if (gid == now) continue;
    if (Button((i18n::format(tr("map.edit.move_to_grid"), {{"grid", g.name}}) + "##to-grid-" + gid).c_str(), -1)) {
      move(gid);
      return;
    }
  }
  if (!now.empty() && Button((std::string(tr("map.edit.leave_grid")) + "##leave-grid").c_str(), -1)) {
    move({});
    return;
  }
  if (Button((std::string(tr("map.edit.cancel")) + "##change-grid-cancel").c_str())) grid_pick_.clear();
}

void Manage::edit_side(std::vector<UiAction>& out) {
  const core::State& s = *st();
  if (!edit_op_.empty()) {  // the last removal or grid move: done, or why not (the reducer's reason)
    auto o = m_->replica ? m_->replica->outcome(edit_op_) : std::nullopt;
    if (o && o->accepted()) StatusParagraph(edit_done_);
    else if (o) StatusParagraph(outcome_words(edit_op_), palette().bad);
  }
  bool place = sel_kind_ == "grid" || sel_kind_ == "compound" || sel_kind_ == "building";
  if (place && !(sel_kind_ == "grid" ? s.grids.count(sel_id_) : sel_kind_ == "compound" ? s.compounds.count(sel_id_) : s.buildings.count(sel_id_)))
    place = false;  // removed (or undone away) since it was chosen
  if (!place) {
    Paragraph(tr("map.edit.pick_place"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
    return;
  }
  Heading(place_label(sel_kind_, sel_id_), 1.15f);
  if (tool_ == Tool::Vertices && picked_vertex_ >= 0 && picked_vertex_ < static_cast<int>(edit_poly_.size()) &&
      edit_poly_.size() > 3) {
    if (Button((std::string(tr("map.edit.delete_vertex")) + "##delete-vertex").c_str(), -1)) {
      auto poly = edit_poly_;
      poly.erase(poly.begin() + picked_vertex_);
      std::string label = i18n::format(tr("map.edit.did_outline"), {{"name", place_label(sel_kind_, sel_id_)}});
      commit_edit(out, core::outline_edit(s, sel_kind_, sel_id_, outline_text(poly), label));
      picked_vertex_ = -1;
    }
  }
  if (tool_ == Tool::Draw && sel_kind_ != "building") {
    ImGui::BeginDisabled(drawing_.size() < 3);
    std::string fin = i18n::format(tr("map.edit.finish_draw"), {{"n", std::to_string(drawing_.size())}}) + "##finish-draw";
    if (Button(fin.c_str(), -1)) {
      std::string label = i18n::format(tr("map.edit.did_outline"), {{"name", place_label(sel_kind_, sel_id_)}});
      commit_edit(out, core::outline_edit(s, sel_kind_, sel_id_, outline_text(drawing_), label));
      drawing_.clear();
    }
    ImGui::EndDisabled();
    if (!drawing_.empty() && Button((std::string(tr("map.edit.clear_draw")) + "##clear-draw").c_str(), -1)) drawing_.clear();
  }
  if (sel_kind_ == "compound") grid_choice(out);
  if (sel_kind_ != "grid") remove_button(out, sel_kind_, sel_id_, tr("map.edit.remove_place"));
  ImGui::Spacing();
  // People: the grid's leader, workers and volunteers ("1 + N"); a building's and its units' leaders.
  Id grid = sel_kind_ == "grid" ? sel_id_ : Id{};
  if (sel_kind_ == "compound")
    if (auto c = s.compounds.find(sel_id_); c != s.compounds.end()) grid = c->second.grid;
  struct Slot { core::Role role; Id scope; std::string where; };
  std::vector<Slot> slots;
  if (!grid.empty()) {
    std::string gname = place_label("grid", grid);
    for (auto r : {core::Role::grid_leader, core::Role::grid_worker, core::Role::volunteer}) slots.push_back({r, grid, gname});
  }
  if (sel_kind_ == "building") {
    slots.push_back({core::Role::building_leader, sel_id_, ""});
    for (const auto& [uid, u] : s.units)
      if (u.building == sel_id_) slots.push_back({core::Role::unit_leader, uid, u.name});
  }
  for (const auto& slot : slots) {
    std::string role_name = trs("role." + std::string(core::enum_name(slot.role)));
    std::string title = slot.where.empty() ? role_name : slot.where + " · " + role_name;
    Paragraph(title);
    std::string key = std::string(core::enum_name(slot.role)) + ":" + slot.scope;
    for (const auto& [pid, p] : s.persons) {
      if (p.left || !p.roles.count(core::Grant{slot.role, slot.scope})) continue;
      std::string l = "✕ " + std::string(tr("map.edit.remove")) + " " + p.name + "##rm-" + key + "-" + pid;
      if (Button(l.c_str())) {
        std::string label = i18n::format(tr("map.edit.did_unassign"), {{"role", role_name}, {"name", p.name}});
        commit_edit(out, core::role_edit(s, pid, slot.role, slot.scope, false, label));
      }
    }
    if (role_pick_ != key) {
      std::string l = "+ " + i18n::format(tr("map.edit.assign"), {{"role", role_name}}) + "##add-" + key;
      if (Button(l.c_str())) {
        role_pick_ = key;
        person_search_.clear();
      }
    } else {
      // The person picker shared with the channels' members (ui/person_picker.h).
      auto eligible = [&](const core::Person& p) { return !p.roles.count(core::Grant{slot.role, slot.scope}); };
      Id pid = PersonSearch(s, &person_search_, "role-pick", tr("picker.search"), tr("picker.hint"), tr("picker.none"),
                            eligible, [&](const core::Person& p) { return person_words(p); });
      if (!pid.empty()) {
        const std::string& name = s.persons.at(pid).name;
        std::string label = i18n::format(tr("map.edit.did_assign"), {{"role", role_name}, {"name", name}});
        commit_edit(out, core::role_edit(s, pid, slot.role, slot.scope, true, label));
        role_pick_.clear();
      }
      if (Button((std::string(tr("map.edit.cancel")) + "##pick-cancel").c_str())) role_pick_.clear();
    }
    // A unit of the chosen building can be removed under its leader slot (revision 2026-11-27 of 0026).
    if (slot.role == core::Role::unit_leader && s.units.count(slot.scope))
      remove_button(out, "unit", slot.scope, i18n::format(tr("map.edit.remove_unit"), {{"name", slot.where}}));
  }
}

}  // namespace sihui::ui
