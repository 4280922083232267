// life: the community-life screens, i.e. the calendar (calendar.cpp), the heritage classes (classes.cpp),
// the canteen (canteen.cpp), the resident's part of the home screen (life_home.cpp), the service
// supermarket (services.cpp), the moral clinic (clinic.cpp) and the home panel of each role (role_home.cpp). Like App, it reads
// the UiModel and emits UiActions; it keeps only view state (which month, which filters, which
// session is open) and the outcomes of the ops it made, so it can tell the person when one changes.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/life_query.h"
#include "core/services_query.h"
#include "ui/app.h"

namespace sihui::ui {

class Life {
 public:
  enum class Go { none, home, calendar, classes, canteen, account, services, clinic, channels };  // where the person asked to go (account: the embed's sign-in)
  enum class Hub { projects, care, energy };  // the home cards that lead here

  void calendar(const UiModel& m, std::vector<UiAction>& out);
  void classes(const UiModel& m, std::vector<UiAction>& out);
  void canteen(const UiModel& m, std::vector<UiAction>& out);
  void home_panel(const UiModel& m);                  // the role switch, then the panel of the chosen role
  void services(const UiModel& m, std::vector<UiAction>& out);  // services.cpp: 暖巢志愿服务超市
  void clinic(const UiModel& m, std::vector<UiAction>& out);    // clinic.cpp: 道德门诊
  void channels(const UiModel& m, std::vector<UiAction>& out);  // channels.cpp: 频道 (the nine groups)
  void hub(const UiModel& m, Hub which);              // big buttons on the 汇项目 / 汇关爱 pages
  void notices(const UiModel& m);                     // what changed about what this person did
  Go take_go() { Go g = go_; go_ = Go::none; return g; }
  void entered(Go screen);                            // the App switched to one of these screens
  void embed_view(const std::string& view);           // the embed shows this (class:ID, event:ID, ...)

  // [SECTION] Shared helpers (life_common.cpp)
  struct Ctx;  // this frame's model, the viewer and the time

 private:
  void begin(const UiModel& m);
  // begin(m), the screen's heading and its grey "about" line (about may be null); with no community
  // yet it says so, shows the home button and returns false: the screen draws nothing more.
  bool top(const UiModel& m, const char* title_key, const char* about_key);
  const char* tr(const char* key) const;
  std::string date_words(std::int64_t utc_ms) const;   // "8月24日 周一"
  std::string day_words(std::int64_t day) const;       // "今天" / "明天" / date_words
  std::string kind_words(core::EntryKind k) const;
  unsigned int kind_color(core::EntryKind k) const;
  void entry_card(const core::Entry& e, int index);    // one calendar entry, with its buttons
  void seat_bar(std::int64_t taken, std::int64_t seats, std::int64_t waiting, bool canteen);
  // A payload's JSON text, written by hand: nlohmann::json's initializer lists cost a lot of wasm
  // at every call site, and payloads here are a few string fields.
  struct Payload {
    std::string text = "{";
    Payload& str(const char* key, std::string_view value);
    Payload& strs(const char* key, const std::vector<std::string>& values);
    Payload& num(const char* key, std::int64_t value);
    std::string done() const { return text + "}"; }
  };
  std::string submit(std::vector<UiAction>& out, const char* kind, const Payload& payload, std::string what,
                     std::string anchor);
  void result_here(const std::string& anchor);         // the newest outcome, if it belongs to this card
  std::string outcome_words(const core::Outcome& o) const;
  const core::Person* me() const;
  bool demo() const;
  std::int64_t now() const;                            // the demo's clock in demo mode, else the device's
  bool is_staff() const;
  bool teaches(const core::Course& c) const;
  bool canteen_staff() const;
  void back_row();
  void said(const std::string& text, unsigned int color = 0);  // a Paragraph that is also a Status item                                     // the "home" button at the foot of a screen

  // Calendar (calendar.cpp)
  void month_view(const std::vector<core::Entry>& entries, std::int64_t first_day, int days, int lead);
  void week_strip();
  void day_list(const std::vector<core::Entry>& entries, std::int64_t day);
  void filters();
  // Classes (classes.cpp)
  void session_card(const core::Session& ses, std::vector<UiAction>& out);
  void signup_panel(const core::Session& ses, std::vector<UiAction>& out);
  void roster(const core::Session& ses, std::vector<UiAction>& out);
  void history(const core::Course& c);
  // Canteen (canteen.cpp)
  void kitchen();
  // Calendar feeds (subscribe.cpp): the webcal links, the .ics download, this person's own feed
  void subscribe_panel(std::vector<UiAction>& out);
  // Reminders and alerts on the home screen (life_home.cpp)
  void reminders_card();
  void missed_card();
  // Check-in at the door (checkin.cpp): the resident's codes as QR, staff entering a code, students
  void checkin_codes(const core::Session& ses, std::vector<UiAction>& out);
  void checkin_by_code(const core::Session& ses, std::vector<UiAction>& out);
  void students(const core::Course& c);
  bool qr(const std::string& text, float side, std::vector<UiAction>& out);  // false: not made yet
  // Service supermarket (services.cpp)
  void service_tiles(const core::Person* target);
  void ask_panel(const core::Person* self, const core::Person* target, std::vector<UiAction>& out);
  void request_card(const core::ServiceRequest& r, const core::Person* self, std::vector<UiAction>& out, bool volunteer_view);
  void thanks_list();
  std::string service_name(const core::Id& service) const;
  std::string person_name(const core::Id& person) const;
  std::string elder_words(const core::Id& person) const;  // name (if readable) · compound and building
  std::string stars_words(int stars) const;
  bool volunteers() const;
  // Moral clinic (clinic.cpp)
  void duty_roster(std::vector<UiAction>& out);
  void clinic_chart(const core::ClinicSummary& c);
  void new_case_form(std::vector<UiAction>& out);
  void case_card(const core::ClinicCase& k, std::vector<UiAction>& out);
  bool clinic_member() const;
  // Channels (channels.cpp)
  void channels_button();
  void channel_new_form(std::vector<UiAction>& out);    // staff: 新建频道 (name, about, who sees, who joins)
  void channel_members(const core::Channel& ch, std::vector<UiAction>& out);  // staff: add and remove members                               // home: 频道 with the unread count
  std::string unread_words(std::int64_t n) const;
  // Home per role (role_home.cpp)
  core::Hat hat_switch();                               // draws the switch (several roles); the hat that is on
  void volunteer_home();
  void staff_home();
  void clinic_home();

  const UiModel* m_ = nullptr;
  int said_count_ = 0, said_frame_ = -1;  // said() items this frame
  const core::State* s_ = nullptr;
  Go go_ = Go::none;

  // Calendar state
  int view_ = 0;                       // 0 list, 1 week, 2 month
  unsigned filter_ = core::kAllEntryKinds;
  bool filters_open_ = false;          // the chips, folded behind one button on narrow screens
  std::int64_t cursor_day_ = -1;       // the selected day (Shanghai day number); -1 = today
  std::int64_t cached_key_[4] = {};    // entries cache: state identity, from, to, mask
  std::vector<core::Entry> cached_;
  std::vector<float> heights_;         // last frame's card heights, to skip drawing what is off screen

  // Embed state: what the embed was asked to show ("" = everything)
  std::string embed_class_;            // a course or a session id (class:ID)
  std::string embed_event_;            // an event id (event:ID)
  bool embed_class_resolved_ = false;

  // Classes state
  std::string course_;                 // the course shown ("" = the first)
  std::string open_session_;           // the session whose sign-up panel is open
  std::string roster_session_;         // the session whose roster (staff) is shown
  std::map<std::string, bool> group_pick_;  // person id -> picked for a group sign-up
  std::string roster_search_;
  bool show_history_ = true;

  // Feeds, reminders, check-in state
  bool subscribe_open_ = false;
  bool asked_link_ = false;            // this person's feed link was asked for since the panel opened
  std::string reminders_hidden_;       // the reminder keys shown when "知道了" was pressed
  std::string codes_session_;          // the session whose check-in codes are shown
  std::string code_input_;             // staff: the code typed or scanned
  std::string code_said_;              // staff: what the last code gave ("王秀兰 签到了" / why not)
  unsigned int code_color_ = 0;
  bool show_students_ = false;

  // Canteen state
  std::string for_person_;             // whom the bookings are for ("" = me)
  std::string diet_;
  std::int64_t kitchen_day_ = -1;

  // Service supermarket state
  std::string svc_for_;                // whom requests are for ("" = me)
  std::string svc_pick_;               // the service whose request panel is open
  std::string svc_note_, svc_amount_;  // the request being written
  std::map<std::string, std::string> svc_minutes_, svc_fen_;  // per request: the volunteer's or elder's figures
  std::string svc_error_;              // bad input, said in words, nothing sent
  std::vector<std::string> catalogue_;  // service ids, most asked-for first, cached per state change
  std::int64_t catalogue_key_[2] = {-1, -1};
  // Moral clinic state
  bool case_form_ = false;
  std::string case_cat_ = "noise", case_parties_, case_complaint_;
  std::string case_open_;              // the case whose entry form is open
  std::string case_diag_, case_rx_, case_note_;
  std::size_t cases_shown_ = 20;
  // Channels state
  std::string chan_open_;              // the channel shown ("" = the list)
  std::string chan_title_, chan_text_, chan_error_;
  bool chan_form_ = false;             // the notice form is open
  std::int64_t chan_read_sent_ = -1;   // posts counted in the last channel.read sent for the open channel
  // Staff: a new channel (its form) and a channel's members (decision 0026)
  bool chan_new_ = false;              // the 新建频道 form is open
  std::string chan_new_name_, chan_new_about_, chan_new_error_;
  bool chan_new_members_only_ = true, chan_new_assigned_ = false;
  std::string chan_new_id_;            // the channel just sent: opened once it is on the device
  bool chan_members_ = false;          // the members panel is open
  std::string chan_member_search_;
  // Home: the hat chosen ("" = the person's most specific one) and the staff panel's cache
  std::string hat_;
  std::int64_t staff_key_[4] = {};  // ops applied, last seq, day, language
  std::vector<std::string> staff_lines_;

  // Outcomes this person is following: op id -> what it was about and the last words shown.
  struct Followed {
    std::string kind, what, last;  // what: "面塑公益课 第16期" / "8月25日 午餐"
    bool shown = false;
  };
  std::map<std::string, Followed> followed_;
  std::map<std::string, std::string> seen_status_;  // "session|person" -> "enrolled" / "wait:2"
  std::vector<std::string> messages_;               // notices waiting for "知道了"
  std::string last_result_;                         // words of the newest outcome, shown near its button
  std::string result_anchor_;                       // the session or sitting that button belongs to
};

}  // namespace sihui::ui
