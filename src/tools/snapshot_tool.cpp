// sihui_snapshot: serve.py's snapshot maker. Reads confirmed ops (one JSON op per line, in seq
// order, as a reader of one redaction class pulls them), replays them through the same core the
// devices run, and writes one header line {"seq","hash","ops"} and then the snapshot (canonical
// JSON; its FNV-1a hash is the state hash a device replaying the same ops gets).
// Exit status 0; 1 with one sentence on stderr for input it cannot use (nothing on stdout then).
//   sihui_snapshot --schema assets/schema/ops.json < ops.jsonl > snapshot.txt
//   sihui_snapshot --demo N   prints the demo community's first N ops, one JSON op per line (benches)
// The same replay answers serve.py's calendar feeds and the tests' questions, so recurrence is expanded
// by one piece of code everywhere (decision 0019):
//   sihui_snapshot --schema F [--from SNAP] --ics FEED --now MS --lang zh-CN --words assets/lang < ops.jsonl
//     an iCalendar feed (core/ics.h; FEED = all | KIND | person:ID) of the state after the ops
//   sihui_snapshot --schema F [--from SNAP] --query NAME ARGS_JSON < ops.jsonl
//     run_query's answer as JSON (e.g. life.entries)
//   sihui_snapshot --schema F [--from SNAP] --open311 services|requests --lang L --words assets/lang < ops.jsonl
//     Open311 GeoReport v2 JSON (core/open311.h) of the state after the ops (decision 0023)
// --from starts from a snapshot file serve.py made (its header line, then the snapshot on one line);
// --from - reads those two lines from stdin first. The ops on stdin then continue after its seq.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "core/civil.h"
#include "core/demo.h"
#include "core/ics.h"
#include "core/open311.h"
#include "core/op.h"
#include "core/query.h"
#include "core/replica.h"
#include "core/schema.h"
#include "core/snapshot.h"

int main(int argc, char** argv) {
  using namespace sihui;
  std::string schema_path, from_path, ics, open311, lang = "zh-CN", words_dir, query, query_args;
  std::int64_t now = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--schema") == 0 && i + 1 < argc) schema_path = argv[++i];
    else if (std::strcmp(argv[i], "--from") == 0 && i + 1 < argc) from_path = argv[++i];
    else if (std::strcmp(argv[i], "--ics") == 0 && i + 1 < argc) ics = argv[++i];
    else if (std::strcmp(argv[i], "--open311") == 0 && i + 1 < argc) open311 = argv[++i];
    else if (std::strcmp(argv[i], "--now") == 0 && i + 1 < argc) now = std::strtoll(argv[++i], nullptr, 10);
    else if (std::strcmp(argv[i], "--lang") == 0 && i + 1 < argc) lang = argv[++i];
    else if (std::strcmp(argv[i], "--words") == 0 && i + 1 < argc) words_dir = argv[++i];
    else if (std::strcmp(argv[i], "--query") == 0 && i + 2 < argc) {
      query = argv[++i];
      query_args = argv[++i];
    }
    else if (std::strcmp(argv[i], "--demo") == 0 && i + 1 < argc) {
      core::DemoOptions o;
      o.end = core::shanghai_ms(2023, 1, 1);  // long enough for 100k ops, like core_bench
      o.max_ops = static_cast<std::size_t>(std::strtoull(argv[++i], nullptr, 10));
      for (const auto& op : core::make_demo(o)) {
        std::string line = core::encode_op(op);
        line.push_back('\n');
        std::fwrite(line.data(), 1, line.size(), stdout);
      }
      return std::fflush(stdout) == 0 ? 0 : 1;
    } else {
      std::fprintf(stderr, "usage: sihui_snapshot --schema FILE [--from SNAPSHOT] [--ics FEED --now MS --lang L "
                           "--words DIR | --open311 services|requests --lang L --words DIR | --query NAME ARGS] < ops.jsonl\n");
      return 2;
    }
  }
  std::ifstream f(schema_path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  core::Schema schema;
  std::string err;
  if (!f || !schema.load(ss.str(), &err)) {
    std::fprintf(stderr, "sihui_snapshot: cannot read the schema %s: %s\n", schema_path.c_str(), err.c_str());
    return 1;
  }
  std::ios::sync_with_stdio(false);
  core::Replica replica(schema);
  std::int64_t expect = 1, count = 0;
  if (!from_path.empty()) {
    std::string whole;
    bool read = true;
    if (from_path == "-") {  // the file's two lines on stdin, before the ops (read whole by the caller: no race)
      std::string head, body;
      read = static_cast<bool>(std::getline(std::cin, head)) && static_cast<bool>(std::getline(std::cin, body));
      whole = head + "\n" + body;
    } else {
      std::ifstream sf(from_path, std::ios::binary);
      std::stringstream sb;
      sb << sf.rdbuf();
      whole = sb.str();
      read = static_cast<bool>(sf);
    }
    auto nl = whole.find('\n');
    if (!read || nl == std::string::npos ||
        !replica.load_snapshot(std::string_view(whole).substr(nl + 1), &err)) {
      std::fprintf(stderr, "sihui_snapshot: cannot read the snapshot %s: %s\n", from_path.c_str(), err.c_str());
      return 1;
    }
    expect = replica.confirmed().last_seq + 1;
  }
  std::vector<core::Op> batch;
  std::string line;
  auto flush = [&] {
    replica.apply_confirmed(batch);
    batch.clear();
  };
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    core::Op op;
    auto e = core::decode_op(schema, line, &op);
    if (e != core::DecodeError::ok) {
      std::fprintf(stderr, "sihui_snapshot: line %lld is not an op (%s)\n", static_cast<long long>(count + 1),
                   std::string(core::decode_error_code(e)).c_str());
      return 1;
    }
    if (op.seq != expect) {
      std::fprintf(stderr, "sihui_snapshot: expected seq %lld, got %lld\n", static_cast<long long>(expect),
                   static_cast<long long>(op.seq));
      return 1;
    }
    ++expect;
    ++count;
    batch.push_back(std::move(op));
    if (batch.size() >= 4096) flush();
  }
  flush();
  if (replica.needs_update()) {
    std::fprintf(stderr, "sihui_snapshot: the log holds an op kind this build does not know\n");
    return 1;
  }
  if (!open311.empty()) {
    i18n::Lang l{};
    if ((open311 != "services" && open311 != "requests") || !i18n::lang_from_code(lang, &l)) {
      std::fprintf(stderr, "sihui_snapshot: no Open311 list named '%s' in '%s'\n", open311.c_str(), lang.c_str());
      return 1;
    }
    // Both languages: a service's description is its name in the other one. The UI words, then the core's
    // (sub-types, statuses) merged over them.
    i18n::Catalog words;
    for (i18n::Lang w : i18n::kAllLangs)
      for (const char* prefix : {"", "core."}) {
        std::string path = words_dir + "/" + prefix + std::string(i18n::lang_code(w)) + ".json";
        std::ifstream wf(path, std::ios::binary);
        std::stringstream wb;
        wb << wf.rdbuf();
        if (!wf || !words.load(w, wb.str(), &err, true)) {
          std::fprintf(stderr, "sihui_snapshot: cannot read the translations %s: %s\n", path.c_str(), err.c_str());
          return 1;
        }
      }
    auto out = open311 == "services" ? core::open311_services(words, l)
                                     : core::open311_requests(replica.confirmed(), words, l);
    std::string text = out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    text.push_back('\n');
    std::fwrite(text.data(), 1, text.size(), stdout);
    return std::fflush(stdout) == 0 ? 0 : 1;
  }
  if (!ics.empty()) {
    core::IcsFeed feed;
    i18n::Lang l{};
    if (!core::parse_ics_feed(ics, &feed) || !i18n::lang_from_code(lang, &l)) {
      std::fprintf(stderr, "sihui_snapshot: no feed named '%s' in '%s'\n", ics.c_str(), lang.c_str());
      return 1;
    }
    i18n::Catalog words;
    for (i18n::Lang w : {i18n::Lang::zh_CN, l}) {
      std::ifstream wf(words_dir + "/" + std::string(i18n::lang_code(w)) + ".json", std::ios::binary);
      std::stringstream wb;
      wb << wf.rdbuf();
      if (!wf || !words.load(w, wb.str(), &err)) {
        std::fprintf(stderr, "sihui_snapshot: cannot read the translations in %s: %s\n", words_dir.c_str(), err.c_str());
        return 1;
      }
    }
    std::string text = core::ics_feed(replica.confirmed(), feed, words, l, now);
    std::fwrite(text.data(), 1, text.size(), stdout);
    return std::fflush(stdout) == 0 ? 0 : 1;
  }
  if (!query.empty()) {
    QueryContext ctx;
    ctx.community = &replica.confirmed();
    auto r = run_query(ctx, query, query_args);
    std::string text = r.ok ? r.value.dump() : "{\"error\":\"" + r.error_code + "\"}";
    std::printf("%s\n", text.c_str());
    return r.ok ? 0 : 1;
  }
  std::string body = core::write_snapshot(replica.confirmed());
  std::printf("{\"seq\":%lld,\"hash\":\"%s\",\"ops\":%lld}\n", static_cast<long long>(replica.confirmed().last_seq),
              core::hash_hex(core::fnv1a64(body)).c_str(), static_cast<long long>(count));
  std::fwrite(body.data(), 1, body.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}
