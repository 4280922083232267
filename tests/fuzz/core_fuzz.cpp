// core_fuzz: libFuzzer target for op decoding (+ applying the op) and snapshot reading.
// The first byte picks the path: even = an op, odd = a snapshot. Malformed input must be refused
// with an error code, never crash, hang or leak. decode_op (one pass, no DOM) must also agree with
// decode_op_reference (nlohmann's parser + decode_op_json) on every input: same code, same Op; and
// read_snapshot with read_snapshot_reference (see below).
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "core/op.h"
#include "core/reducer.h"
#include "core/snapshot.h"

using namespace sihui::core;

namespace {
const Schema& schema() {
  static Schema s = [] {
    std::ifstream f(SIHUI_SOURCE_DIR "/assets/schema/ops.json", std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    Schema x;
    if (!x.load(ss.str(), nullptr)) __builtin_trap();
    return x;
  }();
  return s;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  if ((data[0] & 1) == 0) {
    Op op, ref;
    static Op reused;  // decoding into a used Op must not leave anything of the previous one behind
    DecodeError e = decode_op(schema(), text, &op);
    if (decode_op(schema(), text, &reused) != e || decode_op_reference(schema(), text, &ref) != e) __builtin_trap();
    if (e != DecodeError::ok) return 0;
    if (!(op == ref) || !(reused == ref)) __builtin_trap();
    static const Reducer reducer(schema());
    State s;
    Op init;
    decode_op(schema(), R"({"id":"00000000000000000000000000000001","kind":"community.init","author":"admin",
                           "made_at":1,"payload":{"name":"x","admin_name":"y"}})", &init);
    reducer.apply(s, init);
    reducer.apply(s, op);
    op.author = "admin";  // and once more as staff, to get past the role gate
    reducer.apply(s, op);
    (void)encode_op(op);
    (void)write_snapshot(s);
  } else {
    // read_snapshot (one pass, falling back to the reference) must agree with the reference reader
    // (nlohmann's DOM): same verdict, same error text, same State; the one-pass reader alone may
    // give up but never accept what the reference refuses or read it differently.
    State s, ref, fast;
    std::string err, ref_err;
    bool ok = read_snapshot(text, &s, &err);
    bool ref_ok = read_snapshot_reference(text, &ref, &ref_err);
    if (ok != ref_ok || (ok && !(s == ref)) || (!ok && err != ref_err)) __builtin_trap();
    if (read_snapshot_fast(text, &fast) && (!ref_ok || !(fast == ref))) __builtin_trap();
    if (ok) {  // whatever is accepted writes back to bytes the one-pass reader takes
      std::string again = write_snapshot(s);
      State t;
      if (!read_snapshot_fast(again, &t) || !(t == s) || write_snapshot(t) != again) __builtin_trap();
    }
  }
  return 0;
}
