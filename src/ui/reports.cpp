// reports: filing a problem report (category or common sub-type, own unit, optional words, send)
// and the grid leader's list of open reports with the status chain's buttons.
#include <algorithm>
#include <cfloat>

#include <nlohmann/json.hpp>

#include "core/categories.h"
#include "core/civil.h"
#include "core/report_stats.h"
#include "core/community_query.h"
#include "core/replica.h"
#include "core/settings.h"
#include "imgui.h"
#include "imgui_internal.h"
#include "ui/item_table.h"
#include "ui/manage.h"
#include "ui/map_colors.h"
#include "ui/photos.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace sihui::ui {

using core::Category;
using core::Id;

namespace {

// The common problems residents post in the chat groups, first (DOMAIN.md).
constexpr std::string_view kCommon[] = {"planting_on_green", "aerial_charging_cable", "parking_chaos",
                                        "stairwell_junk",    "streetlight_out",       "broken_lift"};

Category category_of(std::string_view subtype) {
  for (const auto& s : core::kSubtypes)
    if (s.id == subtype) return s.category;
  return Category::repair;
}

// A big button with a round badge (the category's colour and letter) and a title.
bool KindButton(const char* id, const std::string& letter, Category c, const std::string& title,
                const std::string& sub, float w) {
  ImFont* font = ImGui::GetFont();
  float fs = ImGui::GetFontSize(), pad = em(0.6f), badge = em(2.0f);
  float text_w = w - 3 * pad - badge;
  auto tl = wrap_text(font, fs * 1.15f, title, text_w);
  auto sl = wrap_text(font, fs, sub, text_w);
  float text_h = static_cast<float>(tl.size()) * fs * 1.15f * 1.25f + static_cast<float>(sl.size()) * fs * kLineSpacing;
  float h = std::max({badge + 2 * pad, text_h + 2 * pad, em(3.0f)});
  ImVec2 pos = ImGui::GetCursorScreenPos();
  std::string label = title + "##" + id;
  bool pressed = ImGui::InvisibleButton(label.c_str(), ImVec2(w, h));
  item_table().set_role(ImGui::GetItemID(), Role::Button, label);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImU32 bg = ImGui::GetColorU32(ImGui::IsItemActive() ? ImGuiCol_ButtonActive
                                : ImGui::IsItemHovered() ? ImGuiCol_ButtonHovered
                                                         : ImGuiCol_Button);
  dl->AddRectFilled(pos, ImVec2(pos.x + w, pos.y + h), bg, em(0.4f));
  dl->AddRect(pos, ImVec2(pos.x + w, pos.y + h), ImGui::GetColorU32(ImGuiCol_Border), em(0.4f), 0, 1.5f);
  ImVec2 bc(pos.x + pad + badge / 2, pos.y + h / 2);
  dl->AddCircleFilled(bc, badge / 2, category_colour(c));
  ImVec2 ls = font->CalcTextSizeA(fs * 1.2f, FLT_MAX, 0, letter.c_str());
  dl->AddText(font, fs * 1.2f, ImVec2(bc.x - ls.x / 2, bc.y - ls.y / 2), IM_COL32_WHITE, letter.c_str());
  float x = pos.x + 2 * pad + badge, y = pos.y + (h - text_h) / 2;
  ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  for (auto l : tl) {
    dl->AddText(font, fs * 1.15f, ImVec2(x, y), text, l.data(), l.data() + l.size());
    y += fs * 1.15f * 1.25f;
  }
  for (auto l : sl) {
    dl->AddText(font, fs, ImVec2(x, y + (fs * kLineSpacing - fs) / 2), ImGui::GetColorU32(ImGuiCol_TextDisabled),
                l.data(), l.data() + l.size());
    y += fs * kLineSpacing;
  }
  return pressed;
}

constexpr std::size_t kMaxPhotos = 4;  // per report (the schema allows 9; four tell the story on a phone)

int columns(float avail) { return avail >= em(30) ? 3 : avail >= em(16) ? 2 : 1; }

}  // namespace

// [SECTION] Filing
void Manage::report_page(std::vector<UiAction>& out) {
  for (const auto& name : m_->photos_added)  // picked in an earlier frame, stored on the device now
    if (photos_.size() < kMaxPhotos && std::find(photos_.begin(), photos_.end(), name) == photos_.end())
      photos_.push_back(name);
  if (!sent_report_.empty()) sent_card();
  if (choosing_) choose_kind();
  else file_form(out);
}

void Manage::choose_kind() {
  Paragraph(tr("report.choose"));
  float avail = ImGui::GetContentRegionAvail().x, gap = ImGui::GetStyle().ItemSpacing.x;
  int cols = columns(avail);
  float w = (avail - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
  int i = 0;
  for (auto sub : kCommon) {
    Category c = category_of(sub);
    if (i++ % cols != 0) ImGui::SameLine();
    std::string id = "sub-" + std::string(sub);
    if (KindButton(id.c_str(), pin_letter(c), c, trs("subtype." + std::string(sub)), category_name(c), w)) {
      cat_ = c;
      subtype_ = sub;
      choosing_ = false;
      description_.clear();
    }
  }
  ImGui::Spacing();
  Paragraph(tr("report.by_category"));
  i = 0;
  for (int k = 0; k < 6; ++k) {
    Category c = static_cast<Category>(k);
    if (i++ % cols != 0) ImGui::SameLine();
    std::string id = "cat-" + std::string(core::enum_name(c));
    if (KindButton(id.c_str(), pin_letter(c), c, category_name(c), {}, w)) {
      cat_ = c;
      subtype_ = "other_" + std::string(core::enum_name(c));
      choosing_ = false;
      description_.clear();
    }
  }
}

void Manage::file_form(std::vector<UiAction>& out) {
  Heading(i18n::format(tr("report.form.title"), {{"category", category_name(cat_)}}), 1.15f);
  // The sub-types of this category: the chosen one is marked with a check and the selected colour.
  Paragraph(tr("report.form.subtype"));
  float avail = ImGui::GetContentRegionAvail().x;
  float x = 0, gap = ImGui::GetStyle().ItemSpacing.x;
  for (const auto& s : core::kSubtypes) {
    if (s.category != cat_) continue;
    bool current = s.id == subtype_;
    std::string label = std::string(current ? "✓ " : "") + trs("subtype." + std::string(s.id)) + "##st-" + std::string(s.id);
    float bw = ImGui::CalcTextSize(label.c_str(), nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
    if (x > 0 && x + gap + bw <= avail) ImGui::SameLine();
    else x = 0;
    if (current) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_Header));
    if (Button(label.c_str(), std::min(bw, avail))) subtype_ = std::string(s.id);
    if (current) ImGui::PopStyleColor();
    x += (x > 0 ? gap : 0) + bw;
  }
  ImGui::Spacing();
  // The place: the person's home unless they chose another (or have no home here: staff filing for a
  // caller or a walk-in). Choosing is three rows of big buttons (compound, building, unit), no pop-ups.
  Id home = my_unit();
  if (!me()) picking_place_ = place_chosen_ = false;  // not known here yet: register first (said below)
  else if (!place_chosen_ && home.empty()) picking_place_ = true;
  Id compound, building, unit;
  if (place_chosen_) {
    compound = pick_compound_;
    building = pick_building_;
    unit = pick_unit_;
  } else if (!home.empty()) {
    unit = home;
    auto u = st()->units.find(unit);
    if (u != st()->units.end()) {
      building = u->second.building;
      auto b = st()->buildings.find(building);
      if (b != st()->buildings.end()) compound = b->second.compound;
    }
  }
  std::string place = compound.empty() ? std::string() : place_name(compound, building, unit);
  if (picking_place_) {
    place_picker();
    place.clear();  // not sent while the person is still choosing
  } else if (place.empty()) {
    Paragraph(tr("report.form.no_place"), palette().bad);
  } else {
    StatusParagraph(i18n::format(tr(place_chosen_ ? "report.form.place_chosen" : "report.form.place"), {{"place", place}}));
    std::string change = std::string(tr("report.place.change")) + "##place-change";
    if (Button(change.c_str())) {
      picking_place_ = true;
      pick_compound_ = compound;
      pick_building_.clear();
      pick_unit_.clear();
    }
  }
  ImGui::Spacing();
  TextField(tr("report.form.describe"), &description_, tr("report.form.describe.hint"));
  // Staff filing for someone at the counter or on the phone (not at their own home): who it was, so
  // the grid can call back. Personal fields of the report: staff and that place's grid see them.
  bool for_caller = is_staff() && (place_chosen_ || home.empty() || picking_place_);
  bool caller_ok = true;
  if (for_caller) {
    TextField(tr("report.form.caller_name"), &caller_name_, tr("report.form.caller_name.hint"));
    TextField(tr("report.form.caller_phone"), &caller_phone_, tr("report.form.caller_phone.hint"),
              ImGuiInputTextFlags_CharsDecimal);
    std::size_t nl = settings::utf8_length(settings::trim(caller_name_)), pl = settings::utf8_length(settings::trim(caller_phone_));
    caller_ok = nl <= 32 && pl <= 20;
    if (!caller_ok) Paragraph(tr("report.form.caller_too_long"), palette().bad);
  }
  photo_picker(out);
  if (!place.empty()) similar_offer(compound, building, out);
  ImGui::Spacing();
  std::string send = std::string(tr("report.send")) + "##report-send";
  const bool blocked = place.empty() || !caller_ok;
  ImGui::BeginDisabled(blocked);
  // The accent only when it can be sent: faded white on a faded accent fell far below 4.5:1.
  ImGui::PushStyleColor(ImGuiCol_Button, blocked ? ImGui::GetStyleColorVec4(ImGuiCol_Button) : ImGui::ColorConvertU32ToFloat4(palette().accent));
  ImGui::PushStyleColor(ImGuiCol_Text, blocked ? ImGui::GetStyleColorVec4(ImGuiCol_Text) : ImGui::ColorConvertU32ToFloat4(palette().accent_text));
  bool go = ImGui::Button(send.c_str(), ImVec2(-FLT_MIN, em(2.6f)));
  item_table().set_role(ImGui::GetItemID(), Role::Button, send);
  if (blocked) {  // not yet: a lock before the words, not only the fading
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    float tw = ImGui::CalcTextSize(send.c_str(), nullptr, true).x, size = ImGui::GetFontSize() * 0.8f;
    DrawLock(ImGui::GetWindowDrawList(), ImVec2(std::max(a.x + size, (a.x + b.x - tw) / 2 - size), (a.y + b.y) / 2), size,
             ImGui::GetColorU32(ImGuiCol_Text));
  }
  ImGui::PopStyleColor(2);
  ImGui::EndDisabled();
  if (go && !place.empty() && caller_ok) {
    // A report id no other device makes: "r-" and 12 random hex digits (the op id's first ones).
    std::string op;
    nlohmann::json p = {{"category", std::string(core::enum_name(cat_))}, {"subtype", subtype_}};
    if (!unit.empty()) p["unit"] = unit;
    else if (!building.empty()) p["building"] = building;
    else p["compound"] = compound;
    op = new_id();
    std::string rid = "r-" + op.substr(0, 12);
    p["id"] = rid;
    std::string text = settings::trim(description_);
    if (!text.empty()) p["description"] = text.substr(0, 1800);
    if (for_caller) {
      if (std::string n = settings::trim(caller_name_); !n.empty()) p["caller_name"] = n;
      if (std::string ph = settings::trim(caller_phone_); !ph.empty()) p["caller_phone"] = ph;
    }
    caller_name_.clear();
    caller_phone_.clear();
    if (!photos_.empty()) p["photos"] = photos_;
    photos_.clear();
    out.emplace_back(SubmitOp{"report.file", p.dump(), op});
    place_chosen_ = false;
    sent_report_ = rid;
    sent_op_ = op;
    sent_joined_ = false;
    choosing_ = true;
    description_.clear();
  }
  std::string other = std::string(tr("report.other_kind")) + "##report-other";
  if (Button(other.c_str(), -1)) choosing_ = true;
}

// The form's photos: each as a tile with a remove button under it, then "take a photo" and "choose
// photos" (the camera or the file picker, up to four in all); what is being prepared or was refused.
void Manage::photo_picker(std::vector<UiAction>& out) {
  ImGui::Spacing();
  Paragraph(i18n::format(tr("photo.form.title"), {{"n", std::to_string(photos_.size())}, {"max", std::to_string(kMaxPhotos)}}));
  float avail = ImGui::GetContentRegionAvail().x, gap = ImGui::GetStyle().ItemSpacing.x;
  int per_row = std::clamp(static_cast<int>((avail + gap) / (em(7) + gap)), 1, 4);
  float side = std::min(em(9), (avail - gap * static_cast<float>(per_row - 1)) / static_cast<float>(per_row));
  std::string drop;
  for (std::size_t i = 0; i < photos_.size(); ++i) {
    if (i % static_cast<std::size_t>(per_row) != 0) ImGui::SameLine();
    ImGui::BeginGroup();
    PhotoTile(*m_, photos_[i], static_cast<int>(i) + 1, side);
    std::string rm = std::string(tr("photo.remove")) + "##photo-rm-" + std::to_string(i + 1);
    if (Button(rm.c_str(), side)) drop = photos_[i];
    ImGui::EndGroup();
  }
  if (!drop.empty()) {
    photos_.erase(std::find(photos_.begin(), photos_.end(), drop));
    // The same picture may belong to a report sent earlier (same bytes, same name): keep it then.
    bool used = false;
    for (const auto& [rid, r] : st()->reports) {
      used = used || std::find(r.photos.begin(), r.photos.end(), drop) != r.photos.end();
      for (const auto& step : r.timeline)
        used = used || std::find(step.photos.begin(), step.photos.end(), drop) != step.photos.end();
    }
    if (!used) out.emplace_back(DiscardPhoto{drop});
  }
  if (m_->photos_busy > 0) Paragraph(tr("photo.preparing"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  if (!m_->photo_error.empty()) StatusParagraph(tr(m_->photo_error.c_str()), palette().bad);
  if (photos_.size() < kMaxPhotos && m_->photos_busy == 0) {
    int room = static_cast<int>(kMaxPhotos - photos_.size());
    std::string cam = std::string(tr("photo.camera")) + "##photo-camera";
    std::string files = std::string(tr("photo.files")) + "##photo-files";
    float half = std::min((avail - gap) / 2, em(14));  // side by side; not a tablet's full width
    bool two = fits_in(half, cam.c_str()) && fits_in(half, files.c_str());
    if (Button(cam.c_str(), two ? half : -1)) out.emplace_back(PickPhotos{true, room});
    if (two) ImGui::SameLine();
    if (Button(files.c_str(), two ? half : -1)) out.emplace_back(PickPhotos{false, room});
  }
}

// Someone already reported this kind of problem here and it is still open: offer to join that report
// (a comment "me too", and the person follows it) instead of filing the same thing again. Filing a
// new one stays possible: the send button is below.
void Manage::similar_offer(const Id& compound, const Id& building, std::vector<UiAction>& out) {
  auto near = core::similar_open_reports(*st(), cat_, compound, building);
  if (near.empty()) return;
  ImGui::Spacing();
  ImGui::PushStyleColor(ImGuiCol_ChildBg, palette().banner);
  ImGui::BeginChild("##similar", ImVec2(0, 0),
                    ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
  StatusParagraph(near.size() == 1 ? tr("report.similar.one")
                                   : i18n::format(tr("report.similar.many"), {{"n", std::to_string(near.size())}}));
  for (std::size_t i = 0; i < near.size() && i < 2; ++i) {
    const core::Report& r = *near[i];
    StatusParagraph(i18n::format(tr("report.similar.row"),
                                 {{"what", trs("subtype." + r.subtype)},
                                  {"place", place_name(r.compound, r.building, Id{})},
                                  {"date", core::format_date(r.filed_at)},
                                  {"status", trs("report_status." + std::string(core::enum_name(r.status)))}}));
    std::string join = std::string(tr("report.similar.join")) + "##join-" + r.id;
    if (Button(join.c_str(), -1)) {
      std::string text = tr("report.similar.comment");
      std::string extra = settings::trim(description_);
      if (!extra.empty()) text += " " + extra;
      nlohmann::json p = {{"report", r.id}, {"text", text.substr(0, 900)}};
      submit(out, "report.comment", p.dump(), &sent_op_);
      sent_report_ = r.id;
      sent_joined_ = true;
      choosing_ = true;
      description_.clear();
    }
  }
  ImGui::EndChild();
  ImGui::PopStyleColor();
}

// Choosing where the problem is: the compounds, then that compound's buildings, then (optional) the
// unit, as rows of buttons; "use my home" goes back to the person's own unit.
void Manage::place_picker() {
  const core::State& s = *st();
  ImGui::PushStyleColor(ImGuiCol_ChildBg, palette().banner);
  ImGui::BeginChild("##place-picker", ImVec2(0, 0),
                    ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
  auto row_of_buttons = [&](const std::vector<std::pair<Id, std::string>>& choices, const char* prefix) -> Id {
    float avail = ImGui::GetContentRegionAvail().x, gap = ImGui::GetStyle().ItemSpacing.x, x = 0;
    Id picked;
    for (const auto& [id, name] : choices) {
      std::string label = name + "##" + prefix + id;
      float bw = std::min(avail, ImGui::CalcTextSize(name.c_str()).x + ImGui::GetStyle().FramePadding.x * 2 + em(1));
      if (x > 0 && x + gap + bw <= avail) ImGui::SameLine();
      else x = 0;
      if (Button(label.c_str(), bw)) picked = id;
      x += (x > 0 ? gap : 0) + bw;
    }
    return picked;
  };
  if (pick_compound_.empty() || !s.compounds.count(pick_compound_)) {
    StatusParagraph(tr("report.place.which_compound"));
    std::vector<std::pair<Id, std::string>> cs;
    for (const auto& [id, c] : s.compounds) cs.emplace_back(id, c.name);
    if (Id c = row_of_buttons(cs, "pc-"); !c.empty()) pick_compound_ = c;
  } else {
    StatusParagraph(i18n::format(tr("report.place.which_building"), {{"compound", s.compounds.at(pick_compound_).name}}));
    std::vector<std::pair<Id, std::string>> bs;
    for (const auto& [id, b] : s.buildings)
      if (b.compound == pick_compound_) bs.emplace_back(id, b.name);
    std::stable_sort(bs.begin(), bs.end(), [](const auto& a, const auto& b) {  // 2号楼 before 10号楼
      int na = std::atoi(a.second.c_str()), nb = std::atoi(b.second.c_str());
      return na != nb ? na < nb : a.second < b.second;
    });
    if (pick_building_.empty()) {
      std::string yard = std::string(tr("report.place.yard")) + "##pick-yard";
      bool whole = Button(yard.c_str());
      if (Id b = row_of_buttons(bs, "pb-"); !b.empty()) pick_building_ = b;
      if (whole) {  // the compound's yard, no building
        place_chosen_ = true;
        picking_place_ = false;
      }
    } else {
      std::vector<std::pair<Id, std::string>> us;
      for (const auto& [id, u] : s.units)
        if (u.building == pick_building_) us.emplace_back(id, u.name);
      StatusParagraph(i18n::format(tr("report.place.which_unit"), {{"building", s.buildings.at(pick_building_).name}}));
      std::string whole_label = std::string(tr("report.place.whole_building")) + "##pick-whole";
      bool whole = Button(whole_label.c_str());
      Id u = row_of_buttons(us, "pu-");
      if (whole || !u.empty()) {
        pick_unit_ = u;
        place_chosen_ = true;
        picking_place_ = false;
      }
    }
    std::string back = std::string(tr("report.place.other_compound")) + "##pick-back";
    if (Button(back.c_str())) {
      pick_compound_.clear();
      pick_building_.clear();
    }
  }
  if (!my_unit().empty()) {
    std::string home = std::string(tr("report.place.home")) + "##pick-home";
    if (Button(home.c_str())) {
      place_chosen_ = false;
      picking_place_ = false;
    }
  }
  ImGui::EndChild();
  ImGui::PopStyleColor();
}

void Manage::sent_card() {
  ImGui::PushStyleColor(ImGuiCol_ChildBg, palette().banner);
  ImGui::BeginChild("##sent", ImVec2(0, 0),
                    ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
  auto it = st()->reports.find(sent_report_);
  if (it != st()->reports.end()) {
    const core::Report& r = it->second;
    StatusParagraph(i18n::format(tr(sent_joined_ ? "report.sent.joined" : "report.sent.title"),
                           {{"what", trs("subtype." + r.subtype)}, {"place", place_name(r.compound, r.building, r.unit)}}));
    StatusParagraph(i18n::format(tr("report.sent.status"),
                           {{"status", trs("report_status." + std::string(core::enum_name(r.status)))}}));
    if (!r.assignee.empty())
      Paragraph(i18n::format(tr("report.sent.leader"), {{"name", person_name(r.assignee)}}));
  }
  std::string words = outcome_words(sent_op_);
  if (!words.empty()) Paragraph(words, ImGui::GetColorU32(ImGuiCol_TextDisabled));
  ImGui::EndChild();
  ImGui::PopStyleColor();
  ImGui::Spacing();
}

// [SECTION] The grid leader's list
// The open reports of my grids (every grid for staff), most urgent first: gathered and sorted only when
// the state changed, my grids changed, or a report's overdue/escalated flag (and so the order) changes.
const Manage::ListRows& Manage::list_rows(const std::vector<Id>& grids, bool staff) {
  const core::State& s = *st();
  ListRows& c = list_;
  if (c.key.current(s, m_->now_ms) && c.staff == staff && c.grids == grids) return c;
  std::int64_t next_change = INT64_MAX;
  // Typed rows: no JSON of every open report.
  auto rows = core::open_report_rows(s, Id{}, m_->now_ms, &next_change);
  c.rows.clear();
  c.overdue = 0;
  for (const auto& row : rows) {
    if (!staff && std::find(grids.begin(), grids.end(), row.report->grid) == grids.end()) continue;
    c.rows.push_back({row.report, row.overdue, row.escalated});
    if (row.overdue) ++c.overdue;
  }
  c.key.set(s, next_change);
  c.grids = grids;
  c.staff = staff;
  return c;
}

void Manage::list_page(std::vector<UiAction>& out) {
  auto grids = my_grids();
  if (grids.empty()) {
    Paragraph(tr("list.not_leader"));
    return;
  }
  bool staff = is_staff();
  const ListRows& list = list_rows(grids, staff);
  const auto& mine = list.rows;
  const int overdue = list.overdue;
  std::string names;
  if (!staff) {
    for (const auto& g : grids) {
      if (!names.empty()) names += "、";
      names += st()->grids.find(g)->second.name;
    }
  } else {
    names = tr("list.all_grids");
  }
  Paragraph(i18n::format(tr("list.summary"), {{"grids", names},
                                              {"n", std::to_string(mine.size())},
                                              {"overdue", std::to_string(overdue)}}));
  // What became of the last step taken here, in words (the reducer may refuse it).
  if (!action_op_.empty()) {
    std::string words = outcome_words(action_op_);
    auto o = m_->replica ? m_->replica->outcome(action_op_) : std::nullopt;
    auto r = st()->reports.find(action_report_);
    if (r != st()->reports.end() && !words.empty()) {
      std::string what = trs("subtype." + r->second.subtype) + " · " +
                         trs("report_status." + std::string(core::enum_name(r->second.status)));
      Paragraph(i18n::format(tr("list.last_step"), {{"what", what}, {"words", words}}),
                o && !o->accepted() ? palette().bad : ImGui::GetColorU32(ImGuiCol_TextDisabled));
    }
  }
  ImGui::Spacing();
  if (mine.empty()) {
    Paragraph(tr("list.empty"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
    return;
  }
  std::size_t shown = 0;
  BeginList("reports");
  for (const auto& row : mine) {
    if (++shown > 60) break;  // the most urgent first; the rest wait for a later page
    report_card(*row.report, row.overdue, row.escalated, true, out);
  }
  EndList();
}

// Staff and grid leaders post a report to one of their channels (decision 0024): "发到频道", then one
// big button per channel they may post to; the post carries the report's id and its kind as the title.
template <class PlaceButton>
void Manage::share_to_channel(const core::Report& r, PlaceButton& place_button, std::vector<UiAction>& out) {
  const core::Person* self = me();
  if (!self || st()->channels.empty()) return;
  bool leader = is_staff();
  for (const auto& g : self->roles) leader = leader || g.role == core::Role::grid_leader;
  if (!leader) return;
  std::string label = std::string(tr(share_report_ == r.id ? "chan.share.close" : "chan.share")) + "##share-" + r.id;
  if (place_button(label)) share_report_ = share_report_ == r.id ? std::string() : r.id;
  if (share_report_ != r.id) return;
  Paragraph(tr("chan.share.pick"));
  const float avail = ImGui::GetContentRegionAvail().x, gap = ImGui::GetStyle().ItemSpacing.x;
  const float half = (avail - gap) / 2;
  int i = 0;
  for (const auto& [id, ch] : st()->channels) {
    if (!is_staff() && !ch.members.count(self->id)) continue;
    std::string b = ch.name + "##share-to-" + id;
    const bool two = fits_in(half, b.c_str()) && avail >= em(20);
    if (two && i % 2) ImGui::SameLine();
    if (Button(b.c_str(), two ? half : -1)) {  // full-size buttons (44 px and more), two a row where they fit
      // Ids hold only [A-Za-z0-9._:-] (the schema's id type): no escaping needed. The card shows the
      // report's kind, status and words under the post, so the post needs no title of its own.
      submit(out, "channel.post", "{\"channel\":\"" + id + "\",\"report\":\"" + r.id + "\"}", &action_op_);
      action_report_ = r.id;
      share_report_.clear();
    }
    ++i;
  }
}

void Manage::report_card(const core::Report& r, bool overdue, bool escalated, bool actions, std::vector<UiAction>& out) {
  const auto& pal = palette();
  ImGui::PushID(r.id.c_str());
  BeginListItem(r.id);  // a list item when drawn in a list (screen readers)
  ImGui::BeginChild("##card", ImVec2(0, 0),
                    ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
  // Badge (colour and letter) then the words.
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 p = ImGui::GetCursorScreenPos();
  float rad = em(0.75f), fs = ImGui::GetFontSize();
  ImVec2 c(p.x + rad, p.y + em(kLineSpacing) / 2);
  dl->AddCircleFilled(c, rad, category_colour(r.category));
  if (overdue) dl->AddCircle(c, rad + em(0.12f), pal.bad, 0, em(0.2f));
  std::string letter = pin_letter(r.category);
  ImVec2 ls = ImGui::GetFont()->CalcTextSizeA(fs, FLT_MAX, 0, letter.c_str());
  dl->AddText(ImGui::GetFont(), fs, ImVec2(c.x - ls.x / 2, c.y - ls.y / 2), IM_COL32_WHITE, letter.c_str());
  ImGui::Indent(rad * 2 + em(0.5f));
  Paragraph(category_name(r.category) + " · " + trs("subtype." + r.subtype));
  std::string line = place_name(r.compound, r.building, r.unit);
  if (!line.empty()) line += " · ";
  line += trs("report_status." + std::string(core::enum_name(r.status)));
  Paragraph(line, ImGui::GetColorU32(ImGuiCol_TextDisabled));
  if (overdue) Paragraph(std::string("！") + tr(escalated ? "list.escalated" : "list.overdue"), pal.bad);
  if (!r.description.empty()) Paragraph(r.description);
  // The walk-in or phone caller staff filed it for; masked ("•••") where this device may not read it.
  auto readable = [](const std::string& v) { return !v.empty() && v != core::kMasked; };
  if (readable(r.caller_name) || readable(r.caller_phone)) {
    std::string who = readable(r.caller_name) ? r.caller_name : std::string();
    if (readable(r.caller_phone)) who += (who.empty() ? "" : " ") + r.caller_phone;
    StatusParagraph(i18n::format(tr("report.caller"), {{"who", who}}));
  }
  ImGui::Unindent(rad * 2 + em(0.5f));
  // The report's photos, then those its steps added (a comment's, the handler's "done" photo).
  std::vector<std::string> shots = r.photos;
  for (const auto& step : r.timeline)
    for (const auto& ph : step.photos)
      if (std::find(shots.begin(), shots.end(), ph) == shots.end()) shots.push_back(ph);
  PhotoRow(*m_, shots);
  if (actions) {
    struct Act { const char* kind; const char* key; bool show; };
    using S = core::ReportStatus;
    const Act acts[] = {
        {"report.accept", "action.accept", r.status == S::registered},
        {"report.handle", "action.handle", r.status == S::accepted || r.status == S::dispatched},
        {"report.review", "action.review", r.status == S::handled},
        {"report.close", "action.close", r.status == S::reviewed},
        {"report.reopen", "action.reopen", r.status == S::handled || r.status == S::reviewed},
    };
    float avail = ImGui::GetContentRegionAvail().x, gap = ImGui::GetStyle().ItemSpacing.x, x = 0;
    auto place_button = [&](const std::string& label) {
      float bw = std::min(avail, ImGui::CalcTextSize(label.c_str(), nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2);
      if (x > 0 && x + gap + bw <= avail) ImGui::SameLine();
      else x = 0;
      x += (x > 0 ? gap : 0) + bw;
      return Button(label.c_str(), bw);
    };
    // The handler may add photos to the "done" step (before and after, the repaired lamp).
    bool handling = r.status == S::accepted || r.status == S::dispatched;
    if (handling && r.id == note_report_) {
      for (const auto& name : m_->photos_added)
        if (note_photos_.size() < kMaxPhotos && std::find(note_photos_.begin(), note_photos_.end(), name) == note_photos_.end())
          note_photos_.push_back(name);
      PhotoRow(*m_, note_photos_);
      if (!m_->photo_error.empty()) StatusParagraph(tr(m_->photo_error.c_str()), pal.bad);
    }
    for (const auto& a : acts) {
      if (!a.show) continue;
      std::string label = std::string(tr(a.key)) + "##" + a.kind;
      if (place_button(label)) {
        nlohmann::json pl = {{"report", r.id}};
        if (std::string_view(a.kind) == "report.handle" && r.id == note_report_ && !note_photos_.empty()) {
          pl["photos"] = note_photos_;
          note_photos_.clear();
        }
        submit(out, a.kind, pl.dump(), &action_op_);
        action_report_ = r.id;
      }
    }
    if (handling && (r.id != note_report_ || note_photos_.size() < kMaxPhotos) && m_->photos_busy == 0) {
      std::string label = std::string(tr("photo.note")) + "##note-photo";
      if (place_button(label)) {
        if (note_report_ != r.id) note_photos_.clear();
        note_report_ = r.id;
        out.emplace_back(PickPhotos{false, static_cast<int>(kMaxPhotos - note_photos_.size())});
      }
    }
    // Dispatch to one of the grid's workers.
    if (r.status == S::accepted || r.status == S::dispatched) {
      for (const auto& [pid, person] : st()->persons) {
        bool worker = false;
        for (const auto& g : person.roles)
          if (g.role == core::Role::grid_worker && g.scope == r.grid) worker = true;
        if (!worker || person.left || pid == r.handler) continue;
        std::string label = i18n::format(tr("action.dispatch"), {{"name", person_name(pid)}}) + "##dispatch-" + pid;
        if (place_button(label)) {
          nlohmann::json pl = {{"report", r.id}, {"to", pid}};
          submit(out, "report.dispatch", pl.dump(), &action_op_);
          action_report_ = r.id;
        }
      }
    }
    share_to_channel(r, place_button, out);
  }
  ImGui::EndChild();
  EndListItem();
  ImGui::PopID();
}

}  // namespace sihui::ui
