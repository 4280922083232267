#include "core/ics.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/civil.h"
#include "core/community_query.h"

namespace sihui::core {

namespace {
// Two digits (0..99). Built char by char: "0" + std::string trips GCC 12's -Wrestrict false positive.
std::string two(std::int64_t v) {
  std::string o(2, '0');
  o[0] = static_cast<char>('0' + v / 10 % 10);
  o[1] = static_cast<char>('0' + v % 10);
  return o;
}

EntryKind kind_of(EventCategory c) {  // as life_entries files events
  switch (c) {
    case EventCategory::festival: return EntryKind::festival;
    case EventCategory::club: return EntryKind::club;
    case EventCategory::klass: return EntryKind::klass;
    case EventCategory::clinic: return EntryKind::clinic;
    case EventCategory::canteen: return EntryKind::canteen;
    default: return EntryKind::other;
  }
}

struct Writer {
  std::string out;
  void line(std::string_view name, std::string_view value) {
    std::string l(name);
    l += ':';
    l += value;
    out += ics_fold(l);
  }
  void text(std::string_view name, std::string_view value) {
    if (!value.empty()) line(name, ics_escape(value));
  }
  void local(std::string_view name, std::int64_t t) {
    std::string n(name);
    n += ";TZID=Asia/Shanghai";
    line(n, ics_local(t));
  }
};

const char* const kTimezone =
    "BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\nX-LIC-LOCATION:Asia/Shanghai\r\nBEGIN:STANDARD\r\n"
    "TZOFFSETFROM:+0800\r\nTZOFFSETTO:+0800\r\nTZNAME:CST\r\nDTSTART:19700101T000000\r\nEND:STANDARD\r\n"
    "END:VTIMEZONE\r\n";
}  // namespace

// [SECTION] Pieces
std::string ics_escape(std::string_view text) {
  std::string o;
  o.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '\\': o += "\\\\"; break;
      case ';': o += "\\;"; break;
      case ',': o += "\\,"; break;
      case '\n': o += "\\n"; break;
      case '\r': break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t') o += c;  // other controls are not TEXT
    }
  }
  return o;
}

std::string ics_fold(std::string_view line) {
  std::string o;
  o.reserve(line.size() + line.size() / 70 * 3 + 2);
  std::size_t width = 0, limit = 75;  // octets on this physical line (continuations start with a space)
  for (std::size_t i = 0; i < line.size();) {
    std::size_t n = 1;  // the UTF-8 sequence starting here
    auto c = static_cast<unsigned char>(line[i]);
    if (c >= 0xF0) n = 4; else if (c >= 0xE0) n = 3; else if (c >= 0xC0) n = 2;
    n = std::min(n, line.size() - i);
    if (width + n > limit) {
      o += "\r\n ";
      width = 1;
    }
    o.append(line.substr(i, n));
    width += n;
    i += n;
  }
  o += "\r\n";
  return o;
}

std::string ics_local(std::int64_t utc_ms) {
  LocalTime t = shanghai(utc_ms);
  std::int64_t sec = t.ms_of_day / 1000;
  return std::to_string(t.year) + two(t.month) + two(t.mday) + "T" + two(sec / 3600) + two(sec / 60 % 60) +
         two(sec % 60);
}

std::string ics_utc(std::int64_t utc_ms) {
  std::int64_t day = floor_div(utc_ms, kMsPerDay), sec = (utc_ms - day * kMsPerDay) / 1000, y = 0;
  int m = 0, d = 0;
  civil_from_days(day, &y, &m, &d);
  return std::to_string(y) + two(m) + two(d) + "T" + two(sec / 3600) + two(sec / 60 % 60) + two(sec % 60) + "Z";
}

std::string ics_rrule(std::string_view rrule) {
  RRule r;
  if (!parse_rrule(rrule, &r, nullptr)) return {};
  if (rrule.rfind("RRULE:", 0) == 0) rrule.remove_prefix(6);
  std::string o;
  while (!rrule.empty()) {
    auto semi = rrule.find(';');
    std::string_view part = rrule.substr(0, semi);
    rrule = semi == std::string_view::npos ? std::string_view() : rrule.substr(semi + 1);
    if (part.empty()) continue;
    if (!o.empty()) o += ';';
    if (part.rfind("UNTIL=", 0) == 0) o += "UNTIL=" + ics_utc(r.until - r.until % 1000);  // a date means its whole Shanghai day
    else o.append(part);
  }
  return o;
}

bool parse_ics_feed(std::string_view text, IcsFeed* out) {
  IcsFeed f;
  if (text.rfind("person:", 0) == 0) {
    f.person = std::string(text.substr(7));
    if (f.person.empty() || f.person.size() > 64) return false;
    for (char c : f.person)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == ':' || c == '-')) return false;
    *out = std::move(f);
    return true;
  }
  if (text != "all") {
    EntryKind k{};
    if (!enum_from_name(text, &k)) return false;
    f.kinds = entry_bit(k);
  }
  *out = std::move(f);
  return true;
}

// [SECTION] The feed
std::string ics_feed(const State& s, const IcsFeed& feed, const i18n::Catalog& words, i18n::Lang lang,
                     std::int64_t now) {
  auto tr = [&](std::string_view key) { return std::string(words.text(lang, i18n::Key{key})); };
  const std::int64_t base = std::max(now, s.clock);
  const std::int64_t from = std::min(now, s.clock) - kIcsPastDays * kMsPerDay, to = base + kIcsFutureDays * kMsPerDay;
  const std::string stamp = ics_utc(s.clock - s.clock % 1000);
  Writer w;
  w.out.reserve(64 * 1024);
  w.out += "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Sihui//Community calendar//ZH\r\nCALSCALE:GREGORIAN\r\n"
           "METHOD:PUBLISH\r\n";
  std::string name = feed.name;
  if (name.empty()) {
    name = s.community_name.empty() ? tr("cal.title") : s.community_name + " · " + tr("cal.title");
    if (!feed.person.empty()) name += " · " + tr("ics.mine");
    else if (feed.kinds != kAllEntryKinds)
      for (unsigned i = 0; i < 7; ++i)
        if (feed.kinds == (1u << i)) name += " · " + tr("cal.kind." + std::string(enum_name(static_cast<EntryKind>(i))));
  }
  w.text("X-WR-CALNAME", name);
  w.line("X-WR-TIMEZONE", "Asia/Shanghai");
  w.line("REFRESH-INTERVAL;VALUE=DURATION", "PT1H");
  w.line("X-PUBLISHED-TTL", "PT1H");
  w.out += kTimezone;

  auto begin_event = [&](const std::string& uid, std::int64_t start, std::int64_t end) {
    w.out += "BEGIN:VEVENT\r\n";
    w.line("UID", uid);
    w.line("DTSTAMP", stamp);
    w.local("DTSTART", start);
    w.local("DTEND", std::max(end, start));
  };
  auto kind_line = [&](EntryKind k) { w.text("CATEGORIES", tr("cal.kind." + std::string(enum_name(k)))); };
  auto alarm = [&]() {  // a person's feed reminds an hour before, like the app does
    w.out += "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT1H\r\n";
    w.text("DESCRIPTION", tr("ics.alarm"));
    w.out += "END:VALARM\r\n";
  };
  auto session_title = [&](const Session& ses) {
    std::string t;
    if (auto c = s.courses.find(ses.course); c != s.courses.end()) t = c->second.title + " ";
    return t + i18n::format(tr("class.session_name"), {{"n", std::to_string(ses.number)}});
  };
  auto sitting_title = [&](const Sitting& st) {
    return tr("canteen.short") + " " + tr("canteen.meal." + std::string(enum_name(st.meal)));
  };

  if (!feed.person.empty()) {
    // [SECTION] A person's sign-ups and bookings
    for (const Plan& p : person_plans(s, feed.person, from, 100000)) {
      if (p.start >= to) break;
      if (p.kind == EntryKind::klass) {
        const Session& ses = s.sessions.at(p.session);
        begin_event("session." + ses.id + "." + p.person + "@sihui", ses.starts_at,
                    ses.starts_at + ses.duration_min * kMsPerMinute);
        std::string title = session_title(ses);
        if (p.waitlisted) title += " · " + i18n::format(tr("class.row.waiting"), {{"pos", std::to_string(p.position)}});
        w.text("SUMMARY", title);
        w.text("LOCATION", ses.place);
        w.text("DESCRIPTION", ses.theme);
        w.line("STATUS", p.waitlisted ? "TENTATIVE" : "CONFIRMED");
        kind_line(EntryKind::klass);
      } else {
        const Sitting& st = s.sittings.at(p.sitting);
        begin_event("sitting." + st.id + "." + p.person + "@sihui", st.starts_at, st.starts_at + kMsPerHour);
        w.text("SUMMARY", sitting_title(st));
        w.line("STATUS", "CONFIRMED");
        kind_line(EntryKind::canteen);
      }
      alarm();
      w.out += "END:VEVENT\r\n";
    }
    w.out += "END:VCALENDAR\r\n";
    return w.out;
  }

  // [SECTION] Events: one VEVENT per series (rules kept), one per moved occurrence
  for (const auto& [id, e] : s.events) {
    EntryKind k = kind_of(e.category);
    if (!(feed.kinds & entry_bit(k))) continue;
    RRule r;
    bool recurring = !e.rrule.empty() && parse_rrule(e.rrule, &r, nullptr);
    if (!e.rrule.empty() && !recurring) continue;  // the reducer refuses these; never in a state
    if (e.starts_at >= to) continue;
    if (!recurring && e.starts_at < from) continue;
    if (recurring && expand_rrule(r, e.starts_at, from - 7 * kMsPerDay, INT64_MAX / 4, 1).empty()) continue;
    const std::string uid = "event." + id + "@sihui";
    // A rule whose start is not one of its own days (weekly on Tuesdays, starting on a Monday): the app
    // does not count that start (civil.h), RFC 5545 would. DTSTART becomes the first real occurrence,
    // so every reader expands the same dates.
    std::int64_t first = e.starts_at;
    if (recurring)
      if (auto f = expand_rrule(r, e.starts_at, e.starts_at, INT64_MAX / 4, 1); !f.empty()) first = f[0];
    begin_event(uid, first, first + e.duration_min * kMsPerMinute);
    if (recurring) {
      w.line("RRULE", ics_rrule(e.rrule));
      std::set<std::int64_t> out(e.exdates.begin(), e.exdates.end());
      for (const auto& [occ, o] : e.overrides)
        if (o.cancelled) out.insert(occ);
      std::string list;
      for (std::int64_t t : out) {
        if (!list.empty()) list += ',';
        list += ics_local(t);
      }
      if (!list.empty()) w.line("EXDATE;TZID=Asia/Shanghai", list);
    }
    w.text("SUMMARY", e.title);
    w.text("LOCATION", e.place);
    std::string desc = e.access_note;
    if (e.cancelled && !e.cancel_reason.empty()) {
      std::string why = e.cancel_reason;
      if (!desc.empty()) why += '\n';
      desc = why + desc;
    }
    w.text("DESCRIPTION", desc);
    w.line("STATUS", e.cancelled ? "CANCELLED" : "CONFIRMED");
    kind_line(k);
    w.out += "END:VEVENT\r\n";
    if (!recurring || e.cancelled) continue;
    for (const auto& [occ, o] : e.overrides) {
      if (o.cancelled) continue;
      bool same = o.starts_at == occ && o.duration_min == e.duration_min && o.place == e.place && o.note.empty();
      if (same) continue;
      begin_event(uid, o.starts_at, o.starts_at + o.duration_min * kMsPerMinute);
      w.local("RECURRENCE-ID", occ);
      w.text("SUMMARY", e.title);
      w.text("LOCATION", o.place);
      std::string d = o.note;
      if (!e.access_note.empty()) {
        if (!d.empty()) d += '\n';
        d += e.access_note;
      }
      w.text("DESCRIPTION", d);
      w.line("STATUS", "CONFIRMED");
      kind_line(k);
      w.out += "END:VEVENT\r\n";
    }
  }

  // [SECTION] Class sessions, canteen sittings, errands: single events in the window
  unsigned rest = feed.kinds & (entry_bit(EntryKind::klass) | entry_bit(EntryKind::canteen) | entry_bit(EntryKind::volunteer));
  if (rest) {
    // life_entries also lists event occurrences of these kinds: leave them out (written above as series).
    for (const Entry& x : life_entries(s, from, to, rest)) {
      if (!x.event.empty()) continue;
      if (!x.session.empty()) {
        const Session& ses = s.sessions.at(x.session);
        begin_event("session." + ses.id + "@sihui", x.start, x.end);
        w.text("SUMMARY", session_title(ses));
        w.text("LOCATION", ses.place);
        std::string d = ses.theme;
        if (x.seats >= 0) {
          if (!d.empty()) d += '\n';
          d += i18n::format(tr("ics.seats"), {{"taken", std::to_string(x.taken)}, {"seats", std::to_string(x.seats)}});
        }
        w.text("DESCRIPTION", d);
        w.line("STATUS", "CONFIRMED");
      } else if (!x.sitting.empty()) {
        const Sitting& st = s.sittings.at(x.sitting);
        begin_event("sitting." + st.id + "@sihui", x.start, x.end);
        w.text("SUMMARY", sitting_title(st));
        w.text("DESCRIPTION", i18n::format(tr("ics.seats"), {{"taken", std::to_string(x.taken)},
                                                            {"seats", std::to_string(x.seats)}}));
        w.line("STATUS", "CONFIRMED");
      } else {
        begin_event("request." + x.request + "@sihui", x.start, x.end);
        w.text("SUMMARY", x.title);
        w.line("STATUS", "TENTATIVE");
      }
      kind_line(x.kind);
      w.out += "END:VEVENT\r\n";
    }
  }
  w.out += "END:VCALENDAR\r\n";
  return w.out;
}

}  // namespace sihui::core
