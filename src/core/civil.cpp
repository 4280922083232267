#include "core/civil.h"

#include <algorithm>

namespace sihui::core {

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = floor_div(y, 400);
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (m + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t* y, int* m, int* d) {
  z += 719468;
  const std::int64_t era = floor_div(z, 146097);
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

int iso_weekday(std::int64_t days) {
  // 1970-01-01 was a Thursday (4).
  std::int64_t w = (days + 3) % 7;
  if (w < 0) w += 7;
  return static_cast<int>(w) + 1;
}

int days_in_month(std::int64_t y, int m) {
  static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2) {
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return leap ? 29 : 28;
  }
  return dm[(m - 1) % 12];
}

LocalTime shanghai(std::int64_t utc_ms) {
  LocalTime t;
  std::int64_t local = utc_ms + kShanghaiOffsetMs;
  t.day = floor_div(local, kMsPerDay);
  t.ms_of_day = local - t.day * kMsPerDay;
  civil_from_days(t.day, &t.year, &t.month, &t.mday);
  t.weekday = iso_weekday(t.day);
  return t;
}

std::int64_t shanghai_ms(std::int64_t y, int m, int d, int hh, int mm) {
  return days_from_civil(y, m, d) * kMsPerDay + hh * kMsPerHour + mm * kMsPerMinute - kShanghaiOffsetMs;
}

std::int64_t shanghai_day_start(std::int64_t day) { return day * kMsPerDay - kShanghaiOffsetMs; }

namespace {
void put2(std::string* s, std::int64_t v) {
  s->push_back(static_cast<char>('0' + (v / 10) % 10));
  s->push_back(static_cast<char>('0' + v % 10));
}
}  // namespace

std::string format_date(std::int64_t utc_ms) {
  auto t = shanghai(utc_ms);
  std::string s = std::to_string(t.year);
  s.push_back('-');
  put2(&s, t.month);
  s.push_back('-');
  put2(&s, t.mday);
  return s;
}

std::string format_month(std::int64_t utc_ms) { return format_date(utc_ms).substr(0, 7); }

std::string format_time(std::int64_t utc_ms) {
  auto t = shanghai(utc_ms);
  std::string s;
  put2(&s, t.ms_of_day / kMsPerHour);
  s.push_back(':');
  put2(&s, (t.ms_of_day / kMsPerMinute) % 60);
  return s;
}

namespace {
bool parse_uint(std::string_view s, std::int64_t* out) {
  if (s.empty() || s.size() > 18) return false;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}
}  // namespace

bool parse_date_or_ms(std::string_view s, std::int64_t* utc_ms) {
  std::int64_t y = 0, m = 0, d = 0;
  if (s.size() == 10 && s[4] == '-' && s[7] == '-' && parse_uint(s.substr(0, 4), &y) &&
      parse_uint(s.substr(5, 2), &m) && parse_uint(s.substr(8, 2), &d)) {
    if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, static_cast<int>(m))) return false;
    *utc_ms = shanghai_ms(y, static_cast<int>(m), static_cast<int>(d));
    return true;
  }
  return parse_uint(s, utc_ms);
}

// [SECTION] RRULE
namespace {
int weekday_code(std::string_view s) {
  static const char* codes[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
  for (int i = 0; i < 7; ++i)
    if (s == codes[i]) return i + 1;
  return 0;
}

bool parse_until(std::string_view v, std::int64_t* out) {
  std::int64_t y = 0, m = 0, d = 0;
  if (v.size() < 8 || !parse_uint(v.substr(0, 4), &y) || !parse_uint(v.substr(4, 2), &m) ||
      !parse_uint(v.substr(6, 2), &d))
    return false;
  if (y < 1970 || y > 2200 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, static_cast<int>(m)))
    return false;
  if (v.size() == 8) {  // a date: the whole Shanghai day is included
    *out = shanghai_ms(y, static_cast<int>(m), static_cast<int>(d)) + kMsPerDay - 1;
    return true;
  }
  std::int64_t hh = 0, mi = 0, ss = 0;
  if (v.size() != 16 || v[8] != 'T' || v[15] != 'Z' || !parse_uint(v.substr(9, 2), &hh) ||
      !parse_uint(v.substr(11, 2), &mi) || !parse_uint(v.substr(13, 2), &ss) || hh > 23 || mi > 59 || ss > 59)
    return false;
  *out = days_from_civil(y, static_cast<int>(m), static_cast<int>(d)) * kMsPerDay + hh * kMsPerHour +
         mi * kMsPerMinute + ss * 1000;
  return true;
}
}  // namespace

bool parse_rrule(std::string_view text, RRule* out, std::string* error) {
  RRule r;
  bool have_freq = false;
  std::string scratch;
  if (!error) error = &scratch;
  auto fail = [&](std::string why) {
    *error = std::move(why);
    return false;
  };
  if (text.rfind("RRULE:", 0) == 0) text.remove_prefix(6);
  while (!text.empty()) {
    auto semi = text.find(';');
    std::string_view part = text.substr(0, semi);
    text = semi == std::string_view::npos ? std::string_view() : text.substr(semi + 1);
    if (part.empty()) continue;
    auto eq = part.find('=');
    if (eq == std::string_view::npos) return fail("part without '='");
    auto key = part.substr(0, eq), val = part.substr(eq + 1);
    if (key == "FREQ") {
      if (val == "DAILY") r.freq = RRule::Freq::daily;
      else if (val == "WEEKLY") r.freq = RRule::Freq::weekly;
      else if (val == "MONTHLY") r.freq = RRule::Freq::monthly;
      else return fail("FREQ must be DAILY, WEEKLY or MONTHLY");
      have_freq = true;
    } else if (key == "INTERVAL") {
      std::int64_t n = 0;
      if (!parse_uint(val, &n) || n < 1 || n > 1000) return fail("INTERVAL must be 1..1000");
      r.interval = static_cast<int>(n);
    } else if (key == "COUNT") {
      if (!parse_uint(val, &r.count) || r.count < 1 || r.count > 100000) return fail("COUNT must be 1..100000");
    } else if (key == "UNTIL") {
      if (!parse_until(val, &r.until)) return fail("UNTIL must be YYYYMMDD or YYYYMMDDTHHMMSSZ");
    } else if (key == "BYDAY") {
      while (!val.empty()) {
        auto comma = val.find(',');
        auto d = val.substr(0, comma);
        val = comma == std::string_view::npos ? std::string_view() : val.substr(comma + 1);
        if (d.size() < 2) return fail("bad BYDAY");
        RRule::ByDay b;
        b.weekday = weekday_code(d.substr(d.size() - 2));
        if (!b.weekday) return fail("bad BYDAY weekday");
        auto ord = d.substr(0, d.size() - 2);
        if (!ord.empty()) {
          bool neg = ord[0] == '-';
          if (ord[0] == '-' || ord[0] == '+') ord.remove_prefix(1);
          std::int64_t n = 0;
          if (!parse_uint(ord, &n) || n < 1 || n > 5) return fail("BYDAY ordinal must be 1..5");
          b.ordinal = static_cast<int>(neg ? -n : n);
        }
        r.byday.push_back(b);
        if (r.byday.size() > 14) return fail("too many BYDAY values");
      }
    } else if (key == "WKST") {
      if (val != "MO") return fail("only WKST=MO is supported");
    } else {
      return fail("unsupported RRULE part " + std::string(key));
    }
  }
  if (!have_freq) return fail("FREQ is required");
  if (r.count && r.until >= 0) return fail("COUNT and UNTIL cannot both be given");
  for (const auto& b : r.byday) {
    if (b.ordinal != 0 && r.freq != RRule::Freq::monthly) return fail("BYDAY ordinals need FREQ=MONTHLY");
  }
  if (!r.byday.empty() && r.freq == RRule::Freq::daily) return fail("BYDAY is not supported with DAILY");
  *out = std::move(r);
  return true;
}

std::vector<std::int64_t> expand_rrule(const RRule& rule, std::int64_t dtstart, std::int64_t from,
                                       std::int64_t to, std::size_t limit) {
  std::vector<std::int64_t> out;
  if (to <= from || limit == 0) return out;
  const LocalTime st = shanghai(dtstart);
  std::int64_t produced = 0;  // occurrences counted for COUNT (from dtstart on)
  // Without COUNT, jump close to `from`: no need to count earlier occurrences.
  const bool can_skip = rule.count == 0;
  const std::int64_t from_day = shanghai(std::max(from, dtstart)).day;
  std::vector<std::int64_t> days;  // candidate local days of one period
  auto emit = [&](std::int64_t day) -> bool {  // false = stop
    std::int64_t t = shanghai_day_start(day) + st.ms_of_day;
    if (t < dtstart) return true;
    if (rule.until >= 0 && t > rule.until) return false;
    if (rule.count && produced >= rule.count) return false;
    ++produced;
    if (t >= to) return false;
    if (t >= from) {
      out.push_back(t);
      if (out.size() >= limit) return false;
    }
    return true;
  };
  const std::int64_t kMaxPeriods = 200000;
  switch (rule.freq) {
    case RRule::Freq::daily: {
      std::int64_t p0 = can_skip ? std::max<std::int64_t>(0, (from_day - st.day) / rule.interval) : 0;
      for (std::int64_t p = p0; p < p0 + kMaxPeriods; ++p)
        if (!emit(st.day + p * rule.interval)) break;
      break;
    }
    case RRule::Freq::weekly: {
      std::vector<int> wds;
      for (const auto& b : rule.byday) wds.push_back(b.weekday);
      if (wds.empty()) wds.push_back(st.weekday);
      std::sort(wds.begin(), wds.end());
      wds.erase(std::unique(wds.begin(), wds.end()), wds.end());
      const std::int64_t week0 = st.day - (st.weekday - 1);  // Monday of dtstart's week
      std::int64_t p0 = can_skip ? std::max<std::int64_t>(0, (from_day - week0) / (7 * rule.interval) - 1) : 0;
      bool go = true;
      for (std::int64_t p = p0; go && p < p0 + kMaxPeriods; ++p)
        for (int wd : wds)
          if (!(go = emit(week0 + p * 7 * rule.interval + (wd - 1)))) break;
      break;
    }
    case RRule::Freq::monthly: {
      const std::int64_t m0 = st.year * 12 + (st.month - 1);
      std::int64_t p0 = 0;
      if (can_skip) {
        auto f = shanghai(std::max(from, dtstart));
        p0 = std::max<std::int64_t>(0, (f.year * 12 + (f.month - 1) - m0) / rule.interval - 1);
      }
      bool go = true;
      for (std::int64_t p = p0; go && p < p0 + kMaxPeriods; ++p) {
        std::int64_t mi = m0 + p * rule.interval;
        std::int64_t y = floor_div(mi, 12);
        int m = static_cast<int>(mi - y * 12) + 1;
        int dim = days_in_month(y, m);
        std::int64_t first = days_from_civil(y, m, 1);
        days.clear();
        if (rule.byday.empty()) {
          if (st.mday <= dim) days.push_back(first + st.mday - 1);
        } else {
          for (const auto& b : rule.byday) {
            int first_wd = iso_weekday(first);
            int offset = (b.weekday - first_wd + 7) % 7;  // first such weekday, 0-based day of month
            if (b.ordinal == 0) {
              for (int d = offset; d < dim; d += 7) days.push_back(first + d);
            } else if (b.ordinal > 0) {
              int d = offset + (b.ordinal - 1) * 7;
              if (d < dim) days.push_back(first + d);
            } else {
              int last = offset + ((dim - 1 - offset) / 7) * 7;
              int d = last + (b.ordinal + 1) * 7;
              if (d >= 0) days.push_back(first + d);
            }
          }
          std::sort(days.begin(), days.end());
          days.erase(std::unique(days.begin(), days.end()), days.end());
        }
        for (auto d : days)
          if (!(go = emit(d))) break;
      }
      break;
    }
  }
  return out;
}

}  // namespace sihui::core
