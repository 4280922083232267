#include "core/checkin.h"

#include <algorithm>
#include <map>

namespace sihui::core {

namespace {
constexpr char kAlphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";  // 31 letters, no 0 O 1 I L
std::uint64_t fnv(std::string_view a, std::string_view b) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  auto eat = [&](std::string_view t) {
    for (unsigned char c : t) h = (h ^ c) * 0x100000001b3ULL;
  };
  eat(a);
  eat("|");
  eat(b);
  return h;
}
std::string normalise(std::string_view in) {
  std::string o;
  for (char c : in) {
    if (c == ' ' || c == '-' || c == '\t' || c == '\r' || c == '\n') continue;
    o += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return o;
}
}  // namespace

std::string checkin_code(const Id& session, const Id& person) {
  std::uint64_t h = fnv(session, person);
  std::string o;
  for (int i = 0; i < 6; ++i) {
    o += kAlphabet[h % 31];
    h /= 31;
  }
  return o;
}

std::string checkin_text(const Id& session, const Id& person) {
  return std::string(kCheckinPrefix) + session + ":" + person + ":" + checkin_code(session, person);
}

CheckinMatch find_checkin(const State& s, const Id& session, std::string_view input) {
  CheckinMatch m;
  auto it = s.sessions.find(session);
  if (it == s.sessions.end()) return m;
  const Session& ses = it->second;
  // Trim what a scanner or a paste may add around the text.
  while (!input.empty() && (input.front() == ' ' || input.front() == '\n' || input.front() == '\r')) input.remove_prefix(1);
  while (!input.empty() && (input.back() == ' ' || input.back() == '\n' || input.back() == '\r')) input.remove_suffix(1);
  std::string code;
  if (input.rfind(kCheckinPrefix, 0) == 0) {
    std::string_view rest = input.substr(kCheckinPrefix.size());
    auto a = rest.find(':');
    auto b = a == std::string_view::npos ? a : rest.find(':', a + 1);
    if (b == std::string_view::npos) return m;
    std::string sid(rest.substr(0, a)), pid(rest.substr(a + 1, b - a - 1));
    if (checkin_code(sid, pid) != normalise(rest.substr(b + 1))) return m;  // damaged or made up
    if (sid != session) {
      m.result = CheckinFind::other_session;
      m.person = pid;
      return m;
    }
    code = checkin_code(sid, pid);
  } else {
    code = normalise(input);
    if (code.size() != 6) return m;
  }
  int hits = 0;
  bool enrolled = false;
  for (const auto* list : {&ses.enrolled, &ses.waitlist})
    for (const Signup& g : *list)
      for (const Id& p : g.persons)
        if (checkin_code(session, p) == code) {
          ++hits;
          m.person = p;
          enrolled = list == &ses.enrolled;
        }
  if (hits == 0) return m;
  if (hits > 1) {
    m.result = CheckinFind::ambiguous;
    m.person.clear();
    return m;
  }
  if (ses.closed) m.result = CheckinFind::closed;
  else if (!enrolled) m.result = CheckinFind::waitlisted;
  else if (ses.attended.count(m.person)) m.result = CheckinFind::already;
  else m.result = CheckinFind::found;
  return m;
}

std::vector<StudentRecord> course_students(const State& s, const Id& course) {
  std::map<Id, StudentRecord> by;
  for (const auto& [id, ses] : s.sessions) {
    if (ses.course != course) continue;
    for (const Signup& g : ses.enrolled)
      for (const Id& p : g.persons) {
        StudentRecord& r = by[p];
        r.person = p;
        ++r.signed_up;
        if (ses.attended.count(p)) {
          ++r.came;
          r.last_came = std::max(r.last_came, ses.starts_at);
        }
      }
    for (const Id& p : ses.no_shows) {  // no-shows stay in enrolled; counted here once
      by[p].person = p;
      ++by[p].no_shows;
    }
    for (const Id& p : ses.attended)  // a walk-in checked in without a place
      if (!by.count(p)) {
        StudentRecord& r = by[p];
        r.person = p;
        ++r.came;
        r.last_came = std::max(r.last_came, ses.starts_at);
      }
  }
  std::vector<StudentRecord> out;
  auto c = s.courses.find(course);
  for (auto& [pid, r] : by) {
    if (auto p = s.persons.find(pid); p != s.persons.end()) r.name = p->second.name;
    if (c != s.courses.end())
      if (auto pr = c->second.progress.find(pid); pr != c->second.progress.end()) {
        r.level = pr->second.level;
        r.note = pr->second.note;
      }
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(), [](const StudentRecord& a, const StudentRecord& b) {
    if (a.came != b.came) return a.came > b.came;
    return a.name != b.name ? a.name < b.name : a.person < b.person;
  });
  return out;
}

}  // namespace sihui::core
