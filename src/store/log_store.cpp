// log_store: see log_store.h for the layout and the "saved" contract.
//
// [SECTION] Record lines
// [SECTION] Opening: FORMAT, migrations, snapshots, segments, tail, outbox
// [SECTION] Writing: pending ops, confirmed ops, sealing, checkpoints
// [SECTION] Export and import
//
// Problem and error codes (translation keys in assets/lang/core.*.json):
//   store.format_missing       FORMAT was missing beside data; a new one was written (new device id)
//   store.format_damaged       FORMAT unreadable; set aside, a new one written
//   store.format_too_new       written by a newer Sihui; not opened, nothing touched (error)
//   store.cannot_create        the folder cannot be created or written (error)
//   store.snapshot_damaged     a snapshot failed its checksum or did not load; set aside
//   store.segment_damaged      a sealed segment failed its checksum; set aside
//   store.segment_unreachable  an intact segment after a gap; set aside (sync pulls those ops again)
//   store.confirmed_gap        confirmed ops are missing; replay stopped there (sync pulls them again)
//   store.tail_damaged         tail.log had a bad line before its end; the original set aside
//   store.outbox_damaged       outbox.log had bad lines; the original set aside, readable ops kept
//   store.torn_record          an unfinished last line (a save that never completed) was dropped
//   store.not_open, store.write_failed, store.duplicate_op   errors of append_*()
#include "store/log_store.h"

#include <algorithm>
#include <cstdio>
#include <random>

#include "core/snapshot.h"

namespace sihui::store {

using nlohmann::json;

std::string record_line(std::string_view text);

namespace {
constexpr const char* kFormatName = "sihui.store";
constexpr const char* kExportName = "sihui.export";

// First lines of tail.log and outbox.log. An empty or cut file lacks them, so its loss is reported
// instead of looking like a store with fewer ops.
std::string tail_header(std::int64_t after) { return record_line(json{{"tail", {{"after", after}}}}.dump()); }
std::string outbox_header() { return record_line(R"({"outbox":1})"); }

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
// "000123.log" with digits == 6 -> 123; -1 when the name is not of that shape.
std::int64_t numbered(std::string_view name, std::size_t digits, std::string_view ext) {
  if (name.size() != digits + ext.size() || !ends_with(name, ext)) return -1;
  auto d = name.substr(0, digits);
  if (!all_digits(d)) return -1;
  return std::stoll(std::string(d));
}
std::string random_device_id() {
  std::random_device rd;
  char buf[20];
  std::snprintf(buf, sizeof buf, "d-%08x%08x", rd(), rd());
  return buf;
}
bool get_int(const json& j, const char* key, std::int64_t* out) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) return false;
  *out = it->get<std::int64_t>();
  return true;
}
std::string get_str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}
// A confirmed record {"a":N,"op":{...}}: N and the op. Records as record_line wrote them (these two
// keys in this order, N plain digits) go through decode_op on the op's own text, one pass without a
// DOM; any other text through nlohmann::json and decode_op_json, which defines the result (the two
// agree: decode_op accepts exactly what decode_op_reference does, and the op's text is then the
// whole value of "op"). False when the record is not one.
bool decode_confirmed(const core::Schema& schema, std::string_view rec, std::int64_t* a, core::Op* op) {
  constexpr std::string_view head = R"({"a":)", mid = R"(,"op":)";
  if (rec.size() > head.size() && rec.substr(0, head.size()) == head && rec.back() == '}') {
    std::size_t i = head.size(), digits = 0;
    std::int64_t n = 0;
    while (i < rec.size() && rec[i] >= '0' && rec[i] <= '9' && digits < 18) n = n * 10 + (rec[i++] - '0'), ++digits;
    std::string_view rest = rec.substr(i);
    bool plain = digits > 0 && (digits == 1 || rec[head.size()] != '0');
    if (plain && rest.size() > mid.size() + 1 && rest.substr(0, mid.size()) == mid) {
      std::string_view text = rest.substr(mid.size(), rest.size() - mid.size() - 1);
      // decode_op would also take a byte order mark first or stop at a NUL byte; the record would not.
      if (text.front() == '{' && text.find('\0') == std::string_view::npos &&
          core::decode_op(schema, text, op) == core::DecodeError::ok) {
        *a = n;
        return true;
      }
    }
  }
  json j = json::parse(rec, nullptr, false);
  return !j.is_discarded() && j.is_object() && get_int(j, "a", a) && j.contains("op") &&
         core::decode_op_json(schema, j["op"], op) == core::DecodeError::ok;
}
}  // namespace

// [SECTION] Record lines

std::string record_line(std::string_view text) {
  std::string line = core::hash_hex(core::fnv1a64(text));
  line.reserve(line.size() + text.size() + 2);
  line += ' ';
  line.append(text);
  line += '\n';
  return line;
}

std::vector<std::string_view> parse_records(std::string_view bytes, std::size_t* bad_at, bool* torn) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  *torn = false;
  while (pos < bytes.size()) {
    auto nl = bytes.find('\n', pos);
    bool last = nl == std::string_view::npos || nl + 1 == bytes.size();
    bool ok = nl != std::string_view::npos && nl - pos > 17 && bytes[pos + 16] == ' ';
    if (ok) {
      auto text = bytes.substr(pos + 17, nl - pos - 17);
      ok = core::hash_hex(core::fnv1a64(text)) == bytes.substr(pos, 16);
      if (ok) out.push_back(text);
    }
    if (!ok) {
      *bad_at = pos;
      *torn = last;
      return out;
    }
    pos = nl + 1;
  }
  *bad_at = bytes.size();
  return out;
}

// [SECTION] Opening: FORMAT, migrations, snapshots, segments, tail, outbox

LogStore::LogStore(const core::Schema& schema, FileOps& files)
    : schema_(schema), files_(files), replica_(std::make_unique<core::Replica>(schema)) {}

std::string LogStore::snapshot_name(std::int64_t seq) const {
  char buf[40];
  std::snprintf(buf, sizeof buf, "snap/%012lld.snap", static_cast<long long>(seq));
  return buf;
}
std::string LogStore::segment_name(std::uint32_t n) const {
  char buf[32];
  std::snprintf(buf, sizeof buf, "seg/%06u.log", n);
  return buf;
}

bool LogStore::write_atomic(const std::string& rel, std::string_view bytes) {
  std::string tmp = path(rel) + ".tmp";
  if (!files_.write(tmp, bytes)) return false;
  return files_.rename(tmp, path(rel));
}

bool LogStore::write_format() {
  json j = {{"format", kFormatName}, {"version", kStoreFormat}, {"device", device_}, {"epoch", epoch_}};
  return write_atomic("FORMAT", j.dump() + "\n");
}

std::string LogStore::set_aside(const std::string& rel, const std::string& code, const std::string& detail,
                                OpenResult* result) {
  std::string flat = rel;
  std::replace(flat.begin(), flat.end(), '/', '_');
  std::vector<std::string> names;
  files_.list(path("damaged"), &names);
  std::string dest;
  for (int i = 1; i < 100000; ++i) {
    std::string name = flat + "." + std::to_string(i);
    if (!std::binary_search(names.begin(), names.end(), name)) {
      dest = "damaged/" + name;
      break;
    }
  }
  if (dest.empty() || !files_.rename(path(rel), path(dest))) dest.clear();
  result->problems.push_back(Problem{code, rel, dest, detail});
  return dest;
}

OpenResult LogStore::open(const std::string& root, const OpenOptions& options) {
  OpenResult r;
  root_ = root;
  limits_ = options.limits;
  limits_.segment_ops = std::max<std::size_t>(limits_.segment_ops, 1);
  limits_.segments_per_snapshot = std::max<std::size_t>(limits_.segments_per_snapshot, 1);
  replica_ = std::make_unique<core::Replica>(schema_);
  open_ = failed_ = false;
  stored_seq_ = 0;
  segments_.clear();
  snapshots_.clear();
  tail_bytes_.clear();
  tail_ops_ = 0;
  tail_first_ = 0;
  outbox_lines_ = 0;
  refused_.clear();
  confirmed_ids_.clear();
  device_.clear();
  epoch_.clear();

  if (!files_.make_dir(root_)) {
    r.error = "store.cannot_create";
    return r;
  }
  // FORMAT first: a store from a newer build is left exactly as it is.
  std::string text;
  bool have_format = files_.read(path("FORMAT"), &text);
  int version = 0;
  bool format_bad = false;
  if (have_format) {
    json j = json::parse(text, nullptr, false);
    std::int64_t v = 0;
    if (!j.is_discarded() && j.is_object() && get_str(j, "format") == kFormatName && get_int(j, "version", &v) && v >= 1 &&
        core::is_valid_id(get_str(j, "device"))) {
      if (v > kStoreFormat) {
        r.found_version = static_cast<int>(std::min<std::int64_t>(v, 1 << 30));
        r.error = "store.format_too_new";
        return r;
      }
      version = static_cast<int>(v);
      device_ = get_str(j, "device");
      epoch_ = get_str(j, "epoch");
    } else {
      format_bad = true;
    }
  }
  for (const char* d : {"seg", "snap", "damaged"})
    if (!files_.make_dir(path(d))) {
      r.error = "store.cannot_create";
      return r;
    }
  if (format_bad) set_aside("FORMAT", "store.format_damaged", "FORMAT is not a readable store description", &r);
  if (version == 0) {
    std::vector<std::string> seg, snap;
    files_.list(path("seg"), &seg);
    files_.list(path("snap"), &snap);
    std::string probe;
    bool data = !seg.empty() || !snap.empty() || files_.read(path("tail.log"), &probe) ||
                files_.read(path("outbox.log"), &probe);
    if (data && !format_bad) r.problems.push_back(Problem{"store.format_missing", "FORMAT", "", "FORMAT missing beside data"});
    r.created = !data && !format_bad;
    device_ = options.new_device_id.empty() ? random_device_id() : options.new_device_id;
    version = kStoreFormat;  // files without a FORMAT are read as this build's format
    // A new store: the tail and outbox first, FORMAT last, so a FORMAT means a complete store.
    if (r.created && (!write_atomic("tail.log", tail_header(0)) || !write_atomic("outbox.log", outbox_header()))) {
      r.error = "store.cannot_create";
      return r;
    }
    if (!write_format()) {
      r.error = "store.cannot_create";
      return r;
    }
  }
  r.found_version = version;
  // Migrations: each step rewrites what changed between two versions, then FORMAT last, so a crash
  // during a migration re-runs it. Version 1 is the first format: nothing to migrate yet.
  //   if (version == 1) { if (!migrate_v1_to_v2()) fail; version = 2; }
  if (!open_v1(&r)) {
    r.error = "store.cannot_create";
    return r;
  }
  open_ = true;
  r.ok = true;
  r.device_id = device_;
  r.epoch = epoch_;
  r.pending = replica_->pending().size();
  return r;
}

bool LogStore::load_snapshot_file(const std::string& rel, std::int64_t seq, std::string* error) {
  std::string bytes;
  if (!files_.read(path(rel), &bytes)) {
    *error = "unreadable";
    return false;
  }
  auto nl = bytes.find('\n');
  std::size_t bad = 0;
  bool torn = false;
  auto head = parse_records(std::string_view(bytes).substr(0, nl == std::string::npos ? 0 : nl + 1), &bad, &torn);
  if (head.size() != 1) {
    *error = "header checksum";
    return false;
  }
  json h = json::parse(head[0], nullptr, false);
  std::int64_t hseq = -1, len = -1;
  if (h.is_discarded() || !h.is_object() || !h.contains("snap") || !h["snap"].is_object() ||
      !get_int(h["snap"], "seq", &hseq) || !get_int(h["snap"], "len", &len)) {
    *error = "header fields";
    return false;
  }
  std::string_view body = std::string_view(bytes).substr(nl + 1);
  if (hseq != seq || len != static_cast<std::int64_t>(body.size()) ||
      get_str(h["snap"], "sum") != core::hash_hex(core::fnv1a64(body))) {
    *error = "body checksum or length";
    return false;
  }
  auto fresh = std::make_unique<core::Replica>(schema_);
  if (!fresh->load_snapshot(body, error)) return false;
  if (fresh->confirmed().last_seq != seq) {
    *error = "snapshot seq differs from its name";
    return false;
  }
  replica_ = std::move(fresh);
  return true;
}

bool LogStore::read_segment(const Segment& s, std::vector<core::Op>* ops, std::vector<std::int64_t>* after,
                            std::string* error) {
  std::string bytes;
  if (!files_.read(path(segment_name(s.number)), &bytes)) {
    *error = "unreadable";
    return false;
  }
  std::size_t bad = 0;
  bool torn = false;
  auto recs = parse_records(bytes, &bad, &torn);
  if (bad != bytes.size() || recs.empty()) {
    *error = "bad line at byte " + std::to_string(bad);
    return false;
  }
  json seal = json::parse(recs.back(), nullptr, false);
  std::size_t seal_at = bytes.size() - recs.back().size() - 18;
  std::int64_t count = -1;
  if (seal.is_discarded() || !seal.is_object() || !seal.contains("seal") || !get_int(seal["seal"], "count", &count) ||
      get_str(seal["seal"], "sum") != core::hash_hex(core::fnv1a64(std::string_view(bytes).substr(0, seal_at))) ||
      count != static_cast<std::int64_t>(recs.size() - 1)) {
    *error = "seal missing or checksum differs";
    return false;
  }
  ops->reserve(ops->size() + recs.size());
  after->reserve(after->size() + recs.size());
  for (std::size_t i = 0; i + 1 < recs.size(); ++i) {
    std::int64_t a = -1;
    core::Op op;
    if (!decode_confirmed(schema_, recs[i], &a, &op) || op.seq <= 0) {
      *error = "record " + std::to_string(i) + " does not decode";
      return false;
    }
    ops->push_back(std::move(op));
    after->push_back(a);
  }
  return true;
}

bool LogStore::covered_by(Segment& s, std::int64_t seq) {
  if (seq <= 0) return false;
  std::string bytes;
  if (!files_.read(path(segment_name(s.number)), &bytes) || bytes.size() < 2 || bytes.back() != '\n') return false;
  auto start = bytes.rfind('\n', bytes.size() - 2);
  start = start == std::string::npos ? 0 : start + 1;
  std::size_t bad = 0;
  bool torn = false;
  auto recs = parse_records(std::string_view(bytes).substr(start), &bad, &torn);
  if (recs.size() != 1) return false;
  json seal = json::parse(recs[0], nullptr, false);
  std::int64_t first = 0, last = 0;
  if (seal.is_discarded() || !seal.is_object() || !seal.contains("seal") || !seal["seal"].is_object() ||
      !get_int(seal["seal"], "first", &first) || !get_int(seal["seal"], "last", &last) || first <= 0 ||
      first > last || last > seq)
    return false;
  s.first = first;
  s.last = last;
  return true;
}

bool LogStore::open_v1(OpenResult* r) {
  // Snapshots, newest first; a damaged one is set aside and the next older one tried.
  std::vector<std::string> names;
  files_.list(path("snap"), &names);
  std::vector<std::int64_t> seqs;
  for (const auto& n : names) {
    if (ends_with(n, ".tmp")) files_.remove(path("snap/" + n));  // an unfinished checkpoint
    else if (auto s = numbered(n, 12, ".snap"); s > 0) seqs.push_back(s);
  }
  std::sort(seqs.begin(), seqs.end());
  std::int64_t base = 0;
  while (!seqs.empty()) {
    std::int64_t s = seqs.back();
    std::string err;
    if (load_snapshot_file(snapshot_name(s), s, &err)) {
      base = s;
      break;
    }
    set_aside(snapshot_name(s), "store.snapshot_damaged", err, r);
    seqs.pop_back();
  }
  snapshots_ = seqs;
  r->snapshot_seq = base;

  // The outbox: pending ops go on top of the snapshot before confirmed ops are replayed, so a
  // pending op whose confirmation is in the log leaves the pending list (Replica matches by id).
  std::string bytes;
  bool outbox_repair = false;
  std::vector<std::string> live_ids;
  if (!files_.read(path("outbox.log"), &bytes)) {
    if (!r->created) r->problems.push_back(Problem{"store.outbox_damaged", "outbox.log", "", "outbox.log missing"});
    outbox_repair = true;
  } else {
    std::vector<core::Op> live;
    bool header_ok = bytes.rfind(outbox_header(), 0) == 0;
    if (!header_ok && !bytes.empty() && outbox_header().rfind(bytes, 0) == 0) {
      bytes.clear();  // a new store's header, torn: nothing was ever saved in it
      outbox_repair = true;
      header_ok = true;
    }
    std::size_t pos = 0, bad_lines = 0;
    bool torn_last = false;
    while (pos < bytes.size()) {  // unlike the confirmed stream, a bad line here skips only itself
      std::size_t bad = 0;
      bool torn = false;
      auto recs = parse_records(std::string_view(bytes).substr(pos), &bad, &torn);
      for (auto rec : recs) {
        json j = json::parse(rec, nullptr, false);
        core::Op op;
        if (!j.is_discarded() && j.is_object() && j.contains("outbox")) continue;  // the header
        ++outbox_lines_;
        if (!j.is_discarded() && j.is_object() && j.contains("p") &&
            core::decode_op_json(schema_, j["p"], &op) == core::DecodeError::ok) {
          live.push_back(std::move(op));
        } else if (!j.is_discarded() && j.is_object() && j.contains("c") && j["c"].is_string()) {
          auto id = j["c"].get<std::string>();
          live.erase(std::remove_if(live.begin(), live.end(), [&](const core::Op& o) { return o.id == id; }), live.end());
        } else if (!j.is_discarded() && j.is_object() && j.contains("r") && j["r"].is_object() &&
                   j.contains("code") && j["code"].is_string() &&
                   core::decode_op_json(schema_, j["r"], &op) == core::DecodeError::ok) {
          live.erase(std::remove_if(live.begin(), live.end(), [&](const core::Op& o) { return o.id == op.id; }), live.end());
          refused_.push_back(RefusedOp{std::move(op), j["code"].get<std::string>()});
          if (refused_.size() > kMaxRefused) refused_.erase(refused_.begin());
        } else {
          ++bad_lines;
        }
      }
      pos += bad;
      if (pos >= bytes.size()) break;
      if (torn) torn_last = true;
      else ++bad_lines;
      auto nl = bytes.find('\n', pos);
      pos = nl == std::string::npos ? bytes.size() : nl + 1;
    }
    if (!header_ok) ++bad_lines;
    if (bad_lines > 0) {
      set_aside("outbox.log", "store.outbox_damaged",
                header_ok ? std::to_string(bad_lines) + " unreadable lines" : "first line missing or damaged", r);
      outbox_repair = true;
    } else if (torn_last) {
      r->problems.push_back(Problem{"store.torn_record", "outbox.log", "", "unfinished last line dropped"});
      outbox_repair = true;
    }
    for (auto& op : live) {
      if (replica_->is_pending(op.id)) continue;
      live_ids.push_back(op.id);
      replica_->add_pending(std::move(op));
    }
  }

  // Segments, then the tail, as one chain of confirmed records starting at the snapshot.
  files_.list(path("seg"), &names);
  for (const auto& n : names) {
    if (ends_with(n, ".tmp")) files_.remove(path("seg/" + n));  // an unfinished seal
    else if (auto s = numbered(n, 6, ".log"); s > 0) segments_.push_back(Segment{static_cast<std::uint32_t>(s), 0, 0});
  }
  std::int64_t cur = base;
  bool gap = false;
  std::vector<core::Op> replay;
  std::vector<Segment> kept;
  auto chain = [&](std::vector<core::Op>& ops, const std::vector<std::int64_t>& after) {
    for (std::size_t i = 0; i < ops.size(); ++i) {
      if (ops[i].seq <= cur) continue;
      if (after[i] != cur) return false;
      cur = ops[i].seq;
      replay.push_back(std::move(ops[i]));
    }
    return true;
  };
  for (auto& seg : segments_) {
    std::string rel = segment_name(seg.number);
    if (gap) {
      set_aside(rel, "store.segment_unreachable", "after missing ops", r);
      continue;
    }
    // A segment the snapshot already holds is only a fallback: its seal line (checksummed on its
    // own) gives its range, and it is read in full only when replay needs it (an older snapshot
    // after the newest was set aside). Its damage, if any, is found then.
    if (covered_by(seg, cur)) {
      kept.push_back(seg);
      continue;
    }
    std::vector<core::Op> ops;
    std::vector<std::int64_t> after;
    std::string err;
    if (!read_segment(seg, &ops, &after, &err)) {
      set_aside(rel, "store.segment_damaged", err, r);
      continue;
    }
    seg.first = ops.empty() ? 0 : ops.front().seq;
    seg.last = ops.empty() ? 0 : ops.back().seq;
    std::int64_t before = cur;
    if (!chain(ops, after)) {
      gap = true;
      r->problems.push_back(Problem{"store.confirmed_gap", rel, "", "ops after seq " + std::to_string(before) + " missing"});
      set_aside(rel, "store.segment_unreachable", "after missing ops", r);
      continue;
    }
    kept.push_back(seg);
  }
  segments_ = kept;

  bool tail_repair = false;
  std::int64_t stored_seq_before_tail = cur;
  if (!files_.read(path("tail.log"), &bytes)) {
    if (!r->created) r->problems.push_back(Problem{"store.tail_damaged", "tail.log", "", "tail.log missing"});
    tail_repair = true;
  } else {
    std::size_t bad = 0;
    bool torn = false;
    auto recs = parse_records(bytes, &bad, &torn);
    std::vector<core::Op> ops;
    std::vector<std::int64_t> after;
    bool undecodable = false;
    // The header says which seq the tail follows: a later one than the segments reached is a gap.
    std::int64_t tail_after = -1;
    if (!recs.empty()) {
      json h = json::parse(recs.front(), nullptr, false);
      if (!h.is_discarded() && h.is_object() && h.contains("tail") && h["tail"].is_object() &&
          get_int(h["tail"], "after", &tail_after))
        recs.erase(recs.begin());
    }
    bool headless = tail_after < 0 && !(bytes.size() < tail_header(0).size() && bad == 0 && torn);
    if (!gap && tail_after > cur) {
      gap = true;
      r->problems.push_back(Problem{"store.confirmed_gap", "tail.log", "", "ops after seq " + std::to_string(cur) + " missing"});
    }
    for (auto rec : recs) {
      std::int64_t a = -1;
      core::Op op;
      if (!decode_confirmed(schema_, rec, &a, &op) || op.seq <= 0) {
        undecodable = true;
        break;
      }
      ops.push_back(std::move(op));
      after.push_back(a);
    }
    std::int64_t before = cur;
    std::size_t replay_from = replay.size();
    bool chained = !gap && chain(ops, after);
    if (gap || !chained) {
      if (!chained && !gap)  // the chained part before the gap is kept and written back below
        r->problems.push_back(Problem{"store.confirmed_gap", "tail.log", "", "ops after seq " + std::to_string(cur) + " missing"});
      set_aside("tail.log", "store.tail_damaged", "after missing ops", r);
      tail_repair = true;
    } else if (undecodable || headless || (bad != bytes.size() && !torn)) {
      set_aside("tail.log", "store.tail_damaged", headless ? "first line missing or damaged" : "bad line at byte " + std::to_string(bad), r);
      tail_repair = true;
    } else if (bad != bytes.size()) {
      r->problems.push_back(Problem{"store.torn_record", "tail.log", "", "unfinished last line dropped"});
      tail_repair = true;
    }
    stored_seq_before_tail = before;
    // Records already in a sealed segment (a crash between sealing and emptying the tail) drop out.
    if (replay.size() - replay_from != ops.size()) tail_repair = true;
    for (std::size_t i = replay_from; i < replay.size(); ++i) {
      json rec = {{"a", i == replay_from ? before : replay[i - 1].seq}, {"op", core::op_to_json(replay[i])}};
      tail_bytes_ += record_line(rec.dump());
      if (tail_ops_++ == 0) tail_first_ = replay[i].seq;
    }
  }
  stored_seq_ = cur;
  if (tail_repair && !write_atomic("tail.log", tail_header(tail_ops_ ? stored_seq_before_tail : cur) + tail_bytes_)) return false;

  for (const auto& op : replay) confirmed_ids_.insert(op.id);
  r->confirmed_replayed = replay.size();
  replica_->apply_confirmed(replay);

  // The outbox lists exactly the pending ops again (some were confirmed in the log, or lines were bad).
  std::size_t still = 0;
  for (const auto& id : live_ids) still += replica_->is_pending(id);
  if (outbox_repair || still != live_ids.size()) {
    if (!rewrite_outbox()) return false;
  }
  return true;
}

// [SECTION] Writing: pending ops, confirmed ops, sealing, checkpoints

bool LogStore::rewrite_outbox() {
  std::string bytes = outbox_header();
  for (const auto& r : refused_) bytes += record_line(json{{"r", core::op_to_json(r.op)}, {"code", r.code}}.dump());
  for (const auto& op : replica_->pending()) bytes += record_line(json{{"p", core::op_to_json(op)}}.dump());
  if (!write_atomic("outbox.log", bytes)) return false;
  outbox_lines_ = replica_->pending().size() + refused_.size();
  return true;
}

SaveResult LogStore::append_pending(core::Op op) {
  SaveResult r;
  if (!is_open()) {
    r.error = "store.not_open";
    return r;
  }
  op.seq = 0;
  if (!core::is_op_id(op.id) || replica_->is_pending(op.id) || confirmed_ids_.count(op.id) > 0) {
    r.error = "store.duplicate_op";
    return r;
  }
  if (!files_.append(path("outbox.log"), record_line(json{{"p", core::op_to_json(op)}}.dump()))) {
    failed_ = true;  // what is on disk is unknown now: reopen to rebuild from it
    r.error = "store.write_failed";
    return r;
  }
  ++outbox_lines_;
  r.outcome = replica_->add_pending(std::move(op));
  r.saved = true;
  return r;
}

bool LogStore::append_tail(const std::vector<const core::Op*>& ops, std::int64_t after) {
  std::string bytes;
  for (const auto* op : ops) {
    bytes += record_line(json{{"a", after}, {"op", core::op_to_json(*op)}}.dump());
    after = op->seq;
  }
  if (!files_.append(path("tail.log"), bytes)) return false;
  if (tail_ops_ == 0) tail_first_ = ops.front()->seq;
  tail_bytes_ += bytes;
  tail_ops_ += ops.size();
  stored_seq_ = after;
  return true;
}

bool LogStore::seal_tail() {
  std::uint32_t n = segments_.empty() ? 1 : segments_.back().number + 1;
  json seal = {{"seal", {{"count", tail_ops_}, {"first", tail_first_}, {"last", stored_seq_},
                         {"sum", core::hash_hex(core::fnv1a64(tail_bytes_))}}}};
  if (!write_atomic(segment_name(n), tail_bytes_ + record_line(seal.dump()))) return false;
  segments_.push_back(Segment{n, tail_first_, stored_seq_});
  // A crash here leaves the records in both: open() drops them from the tail.
  if (!files_.write(path("tail.log"), tail_header(stored_seq_))) return false;
  tail_bytes_.clear();
  tail_ops_ = 0;
  tail_first_ = 0;
  return true;
}

bool LogStore::append_confirmed(const std::vector<core::Op>& ops, std::string* error) {
  auto fail = [&](const char* code) {
    if (error) *error = code;
    return false;
  };
  if (!is_open()) return fail("store.not_open");
  std::vector<const core::Op*> fresh;
  std::int64_t last = stored_seq_;
  for (const auto& op : ops)
    if (op.seq > last) {
      fresh.push_back(&op);
      last = op.seq;
    }
  if (fresh.empty()) return true;
  // 1. The confirmed records, sealing the tail each time it is full.
  for (std::size_t i = 0; i < fresh.size();) {
    std::size_t n = std::min(fresh.size() - i, limits_.segment_ops - std::min(tail_ops_, limits_.segment_ops - 1));
    std::vector<const core::Op*> chunk(fresh.begin() + static_cast<std::ptrdiff_t>(i),
                                       fresh.begin() + static_cast<std::ptrdiff_t>(i + n));
    if (!append_tail(chunk, stored_seq_) || (tail_ops_ >= limits_.segment_ops && !seal_tail())) {
      failed_ = true;
      return fail("store.write_failed");
    }
    i += n;
  }
  // 2. Then the outbox learns which pending ops are confirmed (a crash before this is repaired by open()).
  std::string done;
  for (const auto* op : fresh)
    if (replica_->is_pending(op->id)) done += record_line(json{{"c", op->id}}.dump());
  if (!done.empty()) {
    if (!files_.append(path("outbox.log"), done)) {
      failed_ = true;
      return fail("store.write_failed");
    }
    outbox_lines_ += static_cast<std::size_t>(std::count(done.begin(), done.end(), '\n'));
  }
  std::vector<core::Op> batch;
  batch.reserve(fresh.size());
  for (const auto* op : fresh) {
    batch.push_back(*op);
    confirmed_ids_.insert(op->id);
  }
  replica_->apply_confirmed(batch);
  // 3. Bounded file count and outbox size.
  checkpoint(false);
  if (outbox_lines_ > replica_->pending().size() + refused_.size() + limits_.outbox_dead_max && !rewrite_outbox()) {
    failed_ = true;
    return fail("store.write_failed");
  }
  return !failed_ || fail("store.write_failed");
}

bool LogStore::checkpoint(bool force) {
  if (!is_open() || replica_->needs_update()) return false;  // a blocked state must replay again later
  std::int64_t s = replica_->confirmed().last_seq;
  std::int64_t newest = snapshots_.empty() ? 0 : snapshots_.back();
  if (s <= newest) return false;
  std::size_t after = 0;
  for (const auto& seg : segments_) after += seg.last > newest;
  if (!force && after < limits_.segments_per_snapshot) return false;
  return store_snapshot(s, core::write_snapshot(replica_->confirmed()));
}

// Writes the snapshot file for seq s (body = the core's snapshot text of the confirmed state at s)
// and drops the files it makes unnecessary.
bool LogStore::store_snapshot(std::int64_t s, const std::string& body) {
  json head = {{"snap", {{"seq", s}, {"len", body.size()}, {"sum", core::hash_hex(core::fnv1a64(body))}}}};
  if (!write_atomic(snapshot_name(s), record_line(head.dump()) + body)) {
    failed_ = true;
    return false;
  }
  snapshots_.push_back(s);
  // Keep the newest two snapshots, the segments after the older one (fallback) up to a bound.
  while (snapshots_.size() > 2) {
    if (!files_.remove(path(snapshot_name(snapshots_.front())))) {
      failed_ = true;
      return false;
    }
    snapshots_.erase(snapshots_.begin());
  }
  std::int64_t older = snapshots_.size() == 2 ? snapshots_.front() : 0;
  std::size_t covered = 0;
  for (const auto& seg : segments_) covered += seg.last <= s;
  std::vector<Segment> kept;
  for (const auto& seg : segments_) {
    bool drop = seg.last <= s && ((older > 0 && seg.last <= older) || covered > limits_.max_covered_segments);
    if (drop) {
      if (!files_.remove(path(segment_name(seg.number)))) {
        failed_ = true;
        return false;
      }
      --covered;
    } else {
      kept.push_back(seg);
    }
  }
  segments_ = kept;
  return true;
}

bool LogStore::set_epoch(const std::string& epoch) {
  if (!is_open()) return false;
  std::string old = epoch_;
  epoch_ = epoch;
  if (!write_format()) {
    epoch_ = old;
    failed_ = true;
    return false;
  }
  return true;
}

// [SECTION] Export and import

bool LogStore::confirmed_after(std::int64_t seq, std::vector<core::Op>* ops) {
  for (const auto& seg : segments_) {
    if (seg.last <= seq) continue;
    std::vector<core::Op> part;
    std::vector<std::int64_t> after;
    std::string err;
    if (!read_segment(seg, &part, &after, &err)) return false;
    for (auto& op : part)
      if (op.seq > seq) ops->push_back(std::move(op));
  }
  std::size_t bad = 0;
  bool torn = false;
  for (auto rec : parse_records(tail_bytes_, &bad, &torn)) {
    json j = json::parse(rec, nullptr, false);
    core::Op op;
    if (j.is_discarded() || core::decode_op_json(schema_, j["op"], &op) != core::DecodeError::ok) return false;
    if (op.seq > seq && (ops->empty() || op.seq > ops->back().seq)) ops->push_back(std::move(op));
  }
  return true;
}

std::string LogStore::export_all(const std::vector<ExportPhoto>& photos) {
  json out = {{"format", kExportName}, {"version", kExportFormat}, {"device", device_}, {"epoch", epoch_}};
  std::int64_t base = 0;
  out["base"] = nullptr;
  if (!snapshots_.empty()) {
    std::string bytes;
    if (files_.read(path(snapshot_name(snapshots_.back())), &bytes)) {
      base = snapshots_.back();
      out["base"] = {{"seq", base}, {"snapshot", bytes.substr(bytes.find('\n') + 1)}};
    }
  }
  std::vector<core::Op> ops;
  if (!confirmed_after(base, &ops)) return std::string();
  json confirmed = json::array(), pending = json::array();
  for (const auto& op : ops) confirmed.push_back(core::op_to_json(op));
  for (const auto& op : replica_->pending()) pending.push_back(core::op_to_json(op));
  out["confirmed"] = std::move(confirmed);
  out["pending"] = std::move(pending);
  out["confirmed_hash"] = core::hash_hex(core::state_hash(replica_->confirmed()));
  out["view_hash"] = core::hash_hex(core::state_hash(replica_->view()));
  // "photos" last (export_photos.h): the page appends the entries it reads from IndexedDB.
  std::string text = out.dump();
  text.pop_back();
  text += ",\"photos\":[";
  for (std::size_t i = 0; i < photos.size(); ++i) {
    if (i) text += ',';
    text += export_photo_entry(photos[i]);
  }
  text += "]}";
  return text;
}

ImportResult LogStore::import(std::string_view file, const PhotoSink& keep) {
  if (!is_open()) {
    ImportResult r;
    r.error = "store.not_open";
    return r;
  }
  return import_parsed(json::parse(file, nullptr, false), keep);
}

ImportResult LogStore::import_parsed(json j, const PhotoSink& keep) {
  ImportResult r;
  auto refuse = [&](const char* code, std::string detail) {
    r.error = code;
    r.detail = std::move(detail);
    r.photos_in_file = r.photos_bad = 0;
    return r;
  };
  if (!is_open()) return refuse("store.not_open", "");
  if (j.is_discarded()) return refuse("store.import.not_json", "not JSON");
  std::int64_t version = 0;
  if (!j.is_object() || get_str(j, "format") != kExportName || !get_int(j, "version", &version) || version < 1)
    return refuse("store.import.not_export", "not a Sihui export file");
  if (version > kExportFormat) return refuse("store.import.too_new", "export version " + std::to_string(version));
  std::string epoch = get_str(j, "epoch");
  if (!epoch.empty() && !epoch_.empty() && epoch != epoch_)
    return refuse("store.import.other_server", "epoch " + epoch + " differs from " + epoch_);
  if (!j.contains("confirmed") || !j["confirmed"].is_array() || !j.contains("pending") || !j["pending"].is_array() ||
      !j.contains("base"))
    return refuse("store.import.not_export", "confirmed, pending or base missing");
  // Photos (version 2): the list's shape first (malformed: the whole file is refused), then each photo's
  // bytes against its name (a bad one is only left out). Decoded twice (here and when kept) so that
  // at most one photo's bytes are held at a time.
  json photos = json::array();
  std::vector<std::size_t> good;  // indexes into photos of the good ones, one per name
  if (version >= 2) {
    std::string detail;
    if (!j.contains("photos")) return refuse("store.import.bad_photos", "photos missing");
    photos = std::move(j["photos"]);
    j.erase("photos");
    if (!photos_well_formed(photos, &detail)) return refuse("store.import.bad_photos", detail);
    std::set<std::string> seen, ok;
    ExportPhoto p;
    for (std::size_t i = 0; i < photos.size(); ++i) {
      if (!seen.insert(photos[i]["name"].get<std::string>()).second) continue;
      if (read_export_photo(photos[i], &p) && ok.insert(p.name).second) good.push_back(i);
    }
    // A name whose every copy was bad counts once.
    r.photos_in_file = seen.size();
    r.photos_bad = seen.size() - good.size();
  }

  // Check everything on a scratch replica first: nothing is written before all of it passes.
  core::Replica scratch(schema_);
  std::int64_t base = 0;
  std::string base_bytes;
  if (!j["base"].is_null()) {
    const json& b = j["base"];
    std::string err;
    if (!b.is_object() || !get_int(b, "seq", &base) || base <= 0 || !b.contains("snapshot") || !b["snapshot"].is_string())
      return refuse("store.import.bad_snapshot", "base has no seq or snapshot");
    base_bytes = b["snapshot"].get<std::string>();
    if (!scratch.load_snapshot(base_bytes, &err)) return refuse("store.import.bad_snapshot", err);
    if (scratch.confirmed().last_seq != base) return refuse("store.import.bad_snapshot", "snapshot seq differs");
  }
  std::vector<core::Op> confirmed, pending;
  std::int64_t last = base;
  for (std::size_t i = 0; i < j["confirmed"].size(); ++i) {
    core::Op op;
    auto e = core::decode_op_json(schema_, j["confirmed"][i], &op);
    if (e != core::DecodeError::ok)
      return refuse("store.import.bad_op", "confirmed[" + std::to_string(i) + "]: " + std::string(core::decode_error_code(e)));
    if (op.seq <= last) return refuse("store.import.broken_chain", "confirmed[" + std::to_string(i) + "] out of order");
    last = op.seq;
    confirmed.push_back(std::move(op));
  }
  std::set<std::string> ids;
  for (std::size_t i = 0; i < j["pending"].size(); ++i) {
    core::Op op;
    auto e = core::decode_op_json(schema_, j["pending"][i], &op);
    if (e != core::DecodeError::ok || op.seq != 0 || !ids.insert(op.id).second)
      return refuse("store.import.bad_op", "pending[" + std::to_string(i) + "]: " +
                                                std::string(e != core::DecodeError::ok ? core::decode_error_code(e) : "seq or id"));
    pending.push_back(std::move(op));
  }
  for (const auto& op : pending) scratch.add_pending(op);
  scratch.apply_confirmed(confirmed);
  if (core::hash_hex(core::state_hash(scratch.confirmed())) != get_str(j, "confirmed_hash") ||
      core::hash_hex(core::state_hash(scratch.view())) != get_str(j, "view_hash"))
    return refuse("store.import.hash_mismatch", "replaying the file gives another state than it claims");

  // How the file's confirmed stream joins ours: it continues from our head, or starts after it
  // from its snapshot (server order is the truth, so a newer snapshot of the same server supersedes).
  bool install_base = false;
  std::vector<core::Op> add;
  if (last > stored_seq_) {
    bool joins = base == stored_seq_ ||
                 std::any_of(confirmed.begin(), confirmed.end(), [&](const core::Op& o) { return o.seq == stored_seq_; });
    if (joins) {
      for (const auto& op : confirmed)
        if (op.seq > stored_seq_) add.push_back(op);
    } else if (base > stored_seq_) {
      install_base = true;
      add = confirmed;
    } else {
      return refuse("store.import.diverged", "the file's confirmed ops do not continue this device's");
    }
  }
  std::vector<core::Op> add_pending_ops;
  for (auto& op : pending) {
    bool known = replica_->is_pending(op.id) || confirmed_ids_.count(op.id) > 0 ||
                 replica_->confirmed().notes.count(op.id) > 0 ||
                 std::any_of(add.begin(), add.end(), [&](const core::Op& c) { return c.id == op.id; });
    if (known) ++r.skipped;
    else add_pending_ops.push_back(std::move(op));
  }
  r.skipped += confirmed.size() - add.size();

  // Write: the base snapshot, the confirmed ops, the pending ops, then the epoch.
  if (install_base) {
    json head = {{"snap", {{"seq", base}, {"len", base_bytes.size()}, {"sum", core::hash_hex(core::fnv1a64(base_bytes))}}}};
    std::string err;
    if (!write_atomic(snapshot_name(base), record_line(head.dump()) + base_bytes) || !replica_->load_snapshot(base_bytes, &err)) {
      failed_ = true;
      return refuse("store.import.write_failed", "snapshot");
    }
    snapshots_.push_back(base);
    std::sort(snapshots_.begin(), snapshots_.end());
    stored_seq_ = base;
  }
  std::string code;
  if (!add.empty() && !append_confirmed(add, &code)) return refuse("store.import.write_failed", code);
  r.confirmed_added = add.size();
  for (auto& op : add_pending_ops) {
    auto s = append_pending(std::move(op));
    if (!s.saved) return refuse("store.import.write_failed", s.error);
    ++r.pending_added;
  }
  if (epoch_.empty() && !epoch.empty() && !set_epoch(epoch)) return refuse("store.import.write_failed", "FORMAT");
  if (keep) {
    ExportPhoto p;
    for (std::size_t i : good) {
      if (read_export_photo(photos[i], &p) && keep(p)) ++r.photos_kept;
      photos[i] = nullptr;  // free its text as we go
    }
  }
  r.ok = true;
  return r;
}

// [SECTION] Sync: refused ops and a restored server

bool LogStore::refuse_pending(const std::string& op_id, const std::string& code) {
  if (!is_open() || !replica_->is_pending(op_id)) return false;
  const core::Op* found = nullptr;
  for (const auto& op : replica_->pending())
    if (op.id == op_id) found = &op;
  if (!found) return false;
  if (!files_.append(path("outbox.log"), record_line(json{{"r", core::op_to_json(*found)}, {"code", code}}.dump()))) {
    failed_ = true;
    return false;
  }
  ++outbox_lines_;
  auto op = replica_->drop_pending(op_id);
  refused_.push_back(RefusedOp{std::move(*op), code});
  if (refused_.size() > kMaxRefused) refused_.erase(refused_.begin());
  return true;
}

bool LogStore::restart_epoch(const std::string& epoch, std::int64_t epoch_base, std::string* error) {
  auto fail = [&](const char* code) {
    if (error) *error = code;
    failed_ = true;
    return false;
  };
  if (!is_open()) {
    if (error) *error = "store.not_open";
    return false;
  }
  // 1. This device's confirmed ops the restored server may have lost, back into the outbox (before
  //    the pending ops: they were made first). A crash after this step leaves them both confirmed
  //    and pending, which open() resolves (a pending op found in the confirmed log is confirmed).
  std::vector<core::Op> own;
  if (!confirmed_after(std::max<std::int64_t>(epoch_base, 0), &own)) return fail("store.read_failed");
  own.erase(std::remove_if(own.begin(), own.end(), [&](const core::Op& o) { return o.device != device_; }), own.end());
  std::vector<core::Op> pending(replica_->pending().begin(), replica_->pending().end());
  auto fresh = std::make_unique<core::Replica>(schema_);
  for (auto& op : own) {
    op.seq = 0;
    fresh->add_pending(std::move(op));
  }
  for (auto& op : pending) fresh->add_pending(std::move(op));
  replica_ = std::move(fresh);
  if (!rewrite_outbox()) return fail("store.write_failed");
  // 2. Drop the confirmed stream: snapshots, segments, the tail.
  for (auto s : snapshots_)
    if (!files_.remove(path(snapshot_name(s)))) return fail("store.write_failed");
  for (const auto& seg : segments_)
    if (!files_.remove(path(segment_name(seg.number)))) return fail("store.write_failed");
  if (!files_.write(path("tail.log"), tail_header(0))) return fail("store.write_failed");
  snapshots_.clear();
  segments_.clear();
  tail_bytes_.clear();
  tail_ops_ = 0;
  tail_first_ = 0;
  stored_seq_ = 0;
  confirmed_ids_.clear();
  // 3. The new epoch last.
  if (!set_epoch(epoch)) return fail("store.write_failed");
  return true;
}

bool LogStore::install_snapshot(std::int64_t seq, std::string_view snapshot, std::string* error) {
  auto refuse = [&](const char* code) {
    if (error) *error = code;
    return false;
  };
  if (!is_open()) return refuse("store.not_open");
  if (stored_seq_ != 0 || !segments_.empty() || !snapshots_.empty() || tail_ops_ != 0) return refuse("store.not_empty");
  core::State st;
  std::string err;
  if (seq <= 0 || !core::read_snapshot(snapshot, &st, &err) || st.last_seq != seq) return refuse("store.snapshot_invalid");
  // The tail first (a crash before the snapshot is written leaves a gap at 0: stored_seq stays 0
  // after reopening and the device fetches the snapshot again), then the snapshot.
  if (!files_.write(path("tail.log"), tail_header(seq))) {
    failed_ = true;
    return refuse("store.write_failed");
  }
  replica_->load_state(std::move(st));
  stored_seq_ = seq;
  tail_bytes_.clear();
  tail_ops_ = 0;
  tail_first_ = 0;
  // The server's text is the canonical snapshot of this state (it checked out above): stored as is.
  if (!store_snapshot(seq, std::string(snapshot))) {
    failed_ = true;
    return refuse("store.write_failed");
  }
  return true;
}

}  // namespace sihui::store
