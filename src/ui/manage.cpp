// manage: the 汇管理 screen's frame (tabs, back) and the helpers its pages share.
#include "ui/manage.h"

#include <cfloat>

#include "core/replica.h"
#include "imgui.h"
#include "platform/random_id.h"
#include "ui/item_table.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace sihui::ui {

using core::Id;

const char* Manage::tr(const char* key) const { return m_->catalog->text(m_->settings->lang, i18n::Key{key}).data(); }

const core::Person* Manage::me() const {
  if (!st() || m_->account.person.empty()) return nullptr;
  auto it = st()->persons.find(m_->account.person);
  return it == st()->persons.end() ? nullptr : &it->second;
}

bool Manage::is_staff() const {
  const core::Person* p = me();
  if (!p) return false;
  for (const auto& g : p->roles)
    if (g.role == core::Role::staff) return true;
  return false;
}

std::vector<Id> Manage::my_grids() const {
  std::vector<Id> out;
  const core::Person* p = me();
  if (!p) return out;
  bool staff = is_staff();
  for (const auto& [id, g] : st()->grids) {
    bool mine = staff || g.leader == p->id;
    for (const auto& r : p->roles)
      if ((r.role == core::Role::grid_leader || r.role == core::Role::grid_worker) && r.scope == id) mine = true;
    if (mine) out.push_back(id);
  }
  return out;
}

Id Manage::my_unit() const {
  const core::Person* p = me();
  if (!p) return {};
  if (!p->unit.empty()) return p->unit;
  auto h = st()->households.find(p->household);
  return h == st()->households.end() ? Id{} : h->second.unit;
}

std::string Manage::place_name(const Id& compound, const Id& building, const Id& unit) const {
  std::string out;
  auto add = [&](const auto& m, const char* kind, const Id& id) {
    if (id.empty()) return;
    std::string name;
    if (auto it = m.find(id); it != m.end()) {
      name = it->second.name;
    } else if (auto r = st()->removed_places.find(kind + (":" + id)); r != st()->removed_places.end()) {
      name = i18n::format(tr("map.place.removed_name"), {{"name", r->second}});  // history keeps its name (0026)
    } else {
      return;
    }
    if (!out.empty()) out += ' ';
    out += name;
  };
  add(st()->compounds, "compound", compound);
  add(st()->buildings, "building", building);
  add(st()->units, "unit", unit);
  return out;
}

std::string Manage::person_name(const Id& id) const {
  auto it = st()->persons.find(id);
  if (it == st()->persons.end()) return {};
  return it->second.name.empty() ? id : it->second.name;  // names may be redacted on this device
}

std::string Manage::category_name(core::Category c) const {
  return trs(std::string("category.") + std::string(core::enum_name(c)));
}

std::string Manage::pin_letter(core::Category c) const {
  return trs(std::string("map.pin.") + std::string(core::enum_name(c)));
}

std::string Manage::outcome_words(const std::string& op_id) const {
  if (op_id.empty() || !m_->replica) return {};
  auto o = m_->replica->outcome(op_id);
  if (!o) {
    // Not in the log (a read-only tab hands it to the writer tab) or refused at the server's gate.
    for (const auto& [kind, code] : m_->sync.refused)
      if (kind.rfind("report.", 0) == 0) return i18n::format(tr("report.refused"), {{"reason", trs(code)}});
    return tr("report.saving");
  }
  if (!o->accepted()) return i18n::format(tr("report.refused"), {{"reason", reason_words(*o)}});
  return tr(m_->replica->is_pending(op_id) ? "report.on_device" : "report.delivered");
}

std::string Manage::reason_words(const core::Outcome& o) const {
  std::string reason = trs(std::string(o.key()));
  for (const auto& p : o.params) {
    std::string value = p.is_text ? p.text : std::to_string(p.num);
    if (p.name == "status") value = trs("report_status." + value);
    reason = i18n::format(reason, {{p.name, value}});
  }
  return reason;
}

std::string Manage::new_id() { return platform::random_op_id(); }

void Manage::submit(std::vector<UiAction>& out, const std::string& kind, const std::string& payload, std::string* op_id) {
  std::string id = new_id();
  if (op_id) *op_id = id;
  out.emplace_back(SubmitOp{kind, payload, id});
}

void Manage::tabs() {
  struct Tab { const char* key; const char* id; Page page; };
  std::vector<Tab> tabs = {{"manage.tab.report", "tab-report", Page::Report},
                           {"manage.tab.map", "tab-map", Page::Map},
                           {"manage.tab.list", "tab-list", Page::List}};
  if (is_staff() || m_->demo) tabs.push_back({"manage.tab.stats", "tab-stats", Page::Stats});  // the committee's
  else if (page_ == Page::Stats) page_ = Page::Report;
  const int n = static_cast<int>(tabs.size());
  float avail = ImGui::GetContentRegionAvail().x, gap = ImGui::GetStyle().ItemSpacing.x;
  float w = (avail - static_cast<float>(n - 1) * gap) / static_cast<float>(n);
  bool row = true;
  std::vector<std::string> labels(tabs.size());
  for (int i = 0; i < n; ++i) {
    labels[i] = std::string(tr(tabs[i].key)) + "##" + tabs[i].id;
    row = row && fits_in(w, labels[i].c_str());
  }
  // Too narrow for one row: two columns (never one tall stack of four).
  int per_row = row ? n : 2;
  float cw = row ? w : (avail - gap) / 2;
  for (int i = 0; i < n && per_row == 2; ++i)
    if (!fits_in(cw, labels[i].c_str())) per_row = 1;
  if (per_row == 1) cw = -FLT_MIN;
  BeginTabs("manage");
  for (int i = 0; i < n; ++i) {
    bool current = page_ == tabs[i].page;
    if (i % per_row != 0) ImGui::SameLine();
    if (current) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_Header));
    bool pressed = ImGui::Button(labels[i].c_str(), ImVec2(cw, 0));
    // Words and state given here too: a tab scrolled out of view is still in the mirror and Tab order.
    item_table().set_role(ImGui::GetItemID(), Role::Tab, labels[i]);
    item_table().set_checked(ImGui::GetItemID(), current);
    if (current) {
      // The current tab: its colour and a thick bar under its label (colour is not the only signal).
      ImGui::PopStyleColor();
      ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
      float pad = em(0.6f);
      ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(a.x + pad, b.y - em(0.22f) - 2), ImVec2(b.x - pad, b.y - 2),
                                                palette().accent, em(0.1f));
    }
    if (pressed) page_ = tabs[i].page;
  }
  EndTabs();
}

bool Manage::draw(const UiModel& m, std::vector<UiAction>& out, bool entered) {
  m_ = &m;
  if (entered) {
    choosing_ = true;
    sel_kind_.clear();
  }
  Heading(tr("home.manage.title"));
  if (!st()) {
    Paragraph(tr("manage.no_community"));
    ImGui::Spacing();
    std::string back = std::string(tr("nav.back")) + "##manage-back";
    return Button(back.c_str(), -1);
  }
  tabs();
  ImGui::Spacing();
  switch (page_) {
    case Page::Report: report_page(out); break;
    case Page::Map: map_page(out); break;
    case Page::List: list_page(out); break;
    case Page::Stats: stats_page(out); break;
  }
  ImGui::Spacing();
  std::string back = std::string(tr("nav.back")) + "##manage-back";
  return Button(back.c_str(), -1);
}

}  // namespace sihui::ui
