// account: the "account and sync" part of the settings screen, and the sync words of the status line.
// Residents register (name, phone, birth year, their unit chosen from the community's own list);
// staff sign in or enter an invitation code. Sync says where it is in words: synced at HH:MM,
// N records waiting to go out, waiting for the office to verify, and which records were refused why.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string>
#include <vector>

#include "core/civil.h"
#include "imgui.h"
#include "ui/app.h"
#include "ui/item_table.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace sihui::ui {

namespace {
struct UnitChoice {
  std::string id, label;  // "北苑小区 3号楼 1单元"
};

std::vector<UnitChoice> unit_choices(const core::State* c) {
  std::vector<UnitChoice> out;
  if (!c) return out;
  for (const auto& [id, u] : c->units) {
    std::string label;
    if (auto b = c->buildings.find(u.building); b != c->buildings.end()) {
      if (auto k = c->compounds.find(b->second.compound); k != c->compounds.end()) label = k->second.name + " ";
      label += b->second.name + " ";
    }
    out.push_back({id, label + u.name});
  }
  std::sort(out.begin(), out.end(), [](const UnitChoice& a, const UnitChoice& b) { return a.label < b.label; });
  return out;
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char ch) { return std::isdigit(ch) != 0; });
}

std::size_t utf8_chars(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}
}  // namespace

std::string App::sync_words() const {
  const auto& sv = m_->sync;
  if (!sv.enabled) return "";
  std::string out;
  if (sv.phase_key == "sync.phase.unverified" || sv.phase_key == "sync.phase.signed_out" ||
      sv.phase_key == "sync.phase.needs_update" || sv.phase_key == "sync.phase.store_failed") {
    out = tr(sv.phase_key.c_str());
  } else if (sv.pending > 0) {
    out = i18n::format(tr("sync.pending_count"), {{"n", std::to_string(sv.pending)}});
  } else if (sv.last_synced_ms > 0 && m_->now_ms - sv.last_synced_ms < 120'000) {
    out = tr("sync.synced");  // the time is in Settings; the status line stays still while in step
  } else if (sv.last_synced_ms > 0) {
    out = i18n::format(tr("sync.synced_at"), {{"time", core::format_time(sv.last_synced_ms)}});
  } else {
    out = tr("sync.never");
  }
  return out;
}

void App::account_section(std::vector<UiAction>& out) {
  const auto& acc = m_->account;
  const auto& pal = palette();
  Heading(tr("account.title"), 1.15f);

  // Sync, in words.
  if (m_->sync.enabled) {
    std::string words = sync_words();
    if (!m_->sync.error_key.empty() && m_->sync.phase_key == "sync.phase.backoff")
      words += " · " + std::string(tr(m_->sync.error_key.c_str()));
    Paragraph(words, m_->sync.pending > 0 ? pal.warn : ImGui::GetColorU32(ImGuiCol_Text));
    std::string at = i18n::format(tr("sync.synced_at"), {{"time", core::format_time(m_->sync.last_synced_ms)}});
    if (m_->sync.last_synced_ms > 0 && words.find(at) == std::string::npos)
      Paragraph(at, ImGui::GetColorU32(ImGuiCol_TextDisabled));
    std::string now = std::string(tr("sync.now")) + "##sync-now";
    if (Button(now.c_str())) out.emplace_back(SyncNow{});
    if (!m_->sync.refused.empty()) {
      Paragraph(tr("sync.refused_title"), pal.bad);
      std::size_t shown = 0;
      for (auto it = m_->sync.refused.rbegin(); it != m_->sync.refused.rend() && shown < 5; ++it, ++shown) {
        std::string kind_key = "op.kind." + it->first;
        Paragraph("• " + std::string(tr(kind_key.c_str())) + "：" + tr(it->second.c_str()));
      }
    }
  } else {
    Paragraph(tr("sync.off_here"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  }
  ImGui::Spacing();

  if (acc.signed_in) {
    std::string who = acc.display.empty() ? acc.login : acc.display;
    Paragraph(i18n::format(tr("account.signed_in_as"), {{"name", who}}));
    if (!acc.verified) Paragraph(tr("account.waiting"), pal.warn);
    if (!acc.message.empty()) Paragraph(acc.message, ImGui::GetColorU32(ImGuiCol_TextDisabled));
    std::string bye = std::string(tr("account.sign_out")) + "##sign-out";
    if (Button(bye.c_str())) out.emplace_back(SignOut{});
    return;
  }

  // Not signed in: register (residents), sign in (staff) or an invitation code (a staff tablet).
  Paragraph(tr("account.why"));
  const char* modes[3] = {"account.mode.register", "account.mode.staff", "account.mode.invite"};
  float avail = ImGui::GetContentRegionAvail().x;
  float third = (avail - ImGui::GetStyle().ItemSpacing.x * 2) / 3;
  bool row = true;
  for (const char* m : modes) row = row && fits_in(third, tr(m));
  for (int i = 0; i < 3; ++i) {
    if (i > 0 && row) ImGui::SameLine();
    bool current = account_mode_ == i;
    std::string label = std::string(current ? "✓ " : "") + tr(modes[i]) + "##mode" + std::to_string(i);
    if (current) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_Header));
    if (Button(label.c_str(), row ? third : -1)) {
      account_mode_ = i;
      form_error_.clear();
    }
    if (current) ImGui::PopStyleColor();
  }
  ImGui::Spacing();

  ImGui::BeginDisabled(acc.busy);
  if (account_mode_ == 0) {
    TextField(tr("account.name"), &reg_name_, tr("account.name.hint"));
    TextField(tr("account.phone"), &reg_phone_, tr("account.phone.hint"), ImGuiInputTextFlags_CharsDecimal);
    TextField(tr("account.birth_year"), &reg_year_, tr("account.birth_year.hint"), ImGuiInputTextFlags_CharsDecimal);
    auto units = unit_choices(m_->community);
    Paragraph(tr("account.unit"));
    if (units.empty()) {
      // Synced and still no address: the office has not entered any yet (not "please wait" forever).
      bool synced = m_->sync.enabled && m_->sync.last_synced_ms > 0;
      Paragraph(tr(synced ? "account.unit.none" : "account.unit.wait"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
    } else {
      if (reg_unit_ >= static_cast<int>(units.size())) reg_unit_ = -1;
      const char* preview = reg_unit_ >= 0 ? units[static_cast<std::size_t>(reg_unit_)].label.c_str() : tr("account.unit.choose");
      ImGui::SetNextItemWidth(-FLT_MIN);
      ImGuiID combo_id = ImGui::GetID("##unit");
      bool open = ImGui::BeginCombo("##unit", preview, ImGuiComboFlags_HeightLarge);
      item_table().set_role(combo_id, Role::Button, preview);  // named by what it shows
      if (open) {
        for (std::size_t i = 0; i < units.size(); ++i) {
          bool sel = static_cast<int>(i) == reg_unit_;
          if (ImGui::Selectable((units[i].label + "##u" + units[i].id).c_str(), sel, 0, ImVec2(0, em(1.6f))))
            reg_unit_ = static_cast<int>(i);
        }
        ImGui::EndCombo();
      }
    }
    std::string send = std::string(tr("account.register")) + "##register";
    if (Button(send.c_str(), -1)) {
      int year = all_digits(reg_year_) && reg_year_.size() == 4 ? std::stoi(reg_year_) : 0;
      if (reg_name_.empty() || utf8_chars(reg_name_) > 32) form_error_ = tr("account.error.name");
      else if (!all_digits(reg_phone_) || reg_phone_.size() < 7 || reg_phone_.size() > 20) form_error_ = tr("account.error.phone");
      else if (year < 1900 || year > 2100) form_error_ = tr("account.error.birth_year");
      else if (reg_unit_ < 0 || units.empty()) form_error_ = tr("account.error.unit");
      else {
        form_error_.clear();
        out.emplace_back(Register{reg_name_, reg_phone_, units[static_cast<std::size_t>(reg_unit_)].id, year});
      }
    }
  } else if (account_mode_ == 1) {
    TextField(tr("account.login"), &login_, tr("account.login.hint"));
    TextField(tr("account.password"), &password_, "", ImGuiInputTextFlags_Password);
    std::string go = std::string(tr("account.sign_in")) + "##sign-in";
    if (Button(go.c_str(), -1)) {
      if (login_.empty() || password_.empty()) form_error_ = tr("account.error.login");
      else {
        form_error_.clear();
        out.emplace_back(SignIn{login_, password_});
        password_.clear();
      }
    }
  } else {
    TextField(tr("account.invite"), &invite_, tr("account.invite.hint"));
    std::string go = std::string(tr("account.claim")) + "##claim";
    if (Button(go.c_str(), -1)) {
      if (invite_.empty()) form_error_ = tr("account.error.invite");
      else {
        form_error_.clear();
        out.emplace_back(ClaimInvite{invite_});
      }
    }
  }
  ImGui::EndDisabled();
  if (acc.busy) Paragraph(tr("account.busy"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  if (!form_error_.empty()) Paragraph(form_error_, pal.bad);
  else if (!acc.message.empty()) Paragraph(acc.message, pal.bad);
}

}  // namespace sihui::ui
