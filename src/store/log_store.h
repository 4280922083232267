// log_store: the device's operation log on a folder, the same code natively and on the IDBFS mount.
//
// Layout under root (fixed names; *.tmp files are only ever renamed onto their final name):
//   FORMAT            JSON {"format":"sihui.store","version":1,"device":..,"epoch":..}
//   outbox.log        this device's pending ops: append-only lines (add op / confirmed id). The only
//                     file a person's save touches. Rewritten (tmp + rename) when mostly dead lines.
//   tail.log          confirmed ops from the server, append-only, at most Limits::segment_ops lines
//   seg/NNNNNN.log    sealed, immutable segments of confirmed ops, ending with a checksummed seal
//   snap/SSSSSSSSSSSS.snap  snapshot of the confirmed state at seq S, checksummed; the newest two kept
//   damaged/          files set aside at start-up (never deleted), with the reason in OpenResult
// Every line is "<16 hex FNV-1a 64 of the JSON> <JSON>\n", so a torn or flipped line is detected.
// Confirmed records carry "a", the seq of the record before them in the stream: a lost or damaged
// segment shows as a gap, replay stops there and sync pulls again from stored_seq().
//
// Why two streams: pending ops exist nowhere else and must be saved at once; confirmed ops can be
// pulled from the server again. A save appends one line to outbox.log: its cost depends on the
// number of unconfirmed ops, never on how many ops the store holds. The number of files stays
// bounded (about 20): sealed segments are folded into snapshots (checkpoint) and old ones deleted.
//
// The "saved" contract: append_pending() returns saved = true once the line is written and fsynced
// through FileOps. Natively that is durable. In the browser it is in MEMFS only: the caller records
// platform::storage_wrote() and shows "saved on this device" when storage_is_saved(gen) says the
// FS.syncfs flush that followed has completed.
//
// Not thread-safe; one writer (one tab) at a time.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/op.h"
#include "core/reducer.h"
#include "core/replica.h"
#include "core/schema.h"
#include "store/export_photos.h"
#include "store/file_ops.h"

namespace sihui::store {

inline constexpr int kStoreFormat = 1;   // FORMAT "version"; open() migrates older versions up
inline constexpr int kExportFormat = 2;  // export file "version": 2 adds "photos" (decision 0028); 1 is still read

struct Limits {
  std::size_t segment_ops = 2000;         // confirmed ops per sealed segment (and max in tail.log)
  std::size_t segments_per_snapshot = 4;  // checkpoint once this many segments follow the newest snapshot
  std::size_t max_covered_segments = 8;   // segments older than the newest snapshot kept for fallback
  std::size_t outbox_dead_max = 64;       // rewrite outbox.log when it holds more dead lines than this
};

struct OpenOptions {
  Limits limits;
  std::string new_device_id;  // device id for a new store; empty = random
};

// One thing start-up found and what it did. `code` is a translation key (assets/lang/core.*.json).
struct Problem {
  std::string code;      // store.snapshot_damaged, store.segment_damaged, ... (see log_store.cpp)
  std::string file;      // path under root, e.g. "seg/000003.log"
  std::string moved_to;  // path under root in damaged/ where the original now is; "" if not moved
  std::string detail;    // English detail for the log
};

struct OpenResult {
  bool ok = false;                 // the store is open and writable
  std::string error;               // when !ok: store.format_too_new, store.cannot_create, ...
  std::vector<Problem> problems;   // empty on a clean start
  bool created = false;            // a new, empty store was made
  int found_version = 0;           // FORMAT version on disk before any migration
  std::string device_id, epoch;
  std::int64_t snapshot_seq = 0;   // seq of the snapshot start-up began from (0: none)
  std::size_t confirmed_replayed = 0, pending = 0;
};

struct SaveResult {
  bool saved = false;        // written and fsynced through FileOps (see the contract above)
  std::string error;         // store.write_failed, store.not_open, store.duplicate_op
  core::Outcome outcome;     // the op's outcome in the view (valid when saved)
};

// A pending op the server refused at its gate (wrong role, bad shape, conflict): it left the
// outbox and will never be confirmed. Kept (in outbox.log) so the person can see what happened.
struct RefusedOp {
  core::Op op;
  std::string code;  // the server's error code, e.g. op.kind_forbidden (translated by the UI)
};

struct ImportResult {
  bool ok = false;
  std::string error;         // store.import.* translation key when refused (nothing changed)
  std::string detail;        // English detail (which op, which field)
  std::size_t confirmed_added = 0, pending_added = 0, skipped = 0;
  std::size_t photos_in_file = 0;  // distinct photo names in the file (0 for a version 1 file)
  std::size_t photos_kept = 0;     // handed to the photo sink (it said it keeps them)
  std::size_t photos_bad = 0;      // not base64, not hashing to their name, not an image, too large: left out
};

// Where import() puts the good photos of a file, after its ops are written; false = not kept.
using PhotoSink = std::function<bool(const ExportPhoto&)>;

class LogStore {
 public:
  LogStore(const core::Schema& schema, FileOps& files);

  // Opens (or creates) the store under root: newest valid snapshot, then segments and tail, then
  // the outbox. Damaged files are moved to damaged/ and reported; what is intact is kept.
  OpenResult open(const std::string& root, const OpenOptions& options = {});
  bool is_open() const { return open_ && !failed_; }

  // An op made on this device (seq 0). Applied to the view only if saved.
  SaveResult append_pending(core::Op op);
  // Confirmed ops from the server in seq order; ops at or below stored_seq() are skipped. Pending
  // ops with the same ids are confirmed. May seal the tail and checkpoint. False + *error on failure.
  bool append_confirmed(const std::vector<core::Op>& ops, std::string* error = nullptr);
  // Writes a snapshot of the confirmed state and drops files it makes unnecessary. Without force
  // only when Limits say it is useful. Returns true if a snapshot was written.
  bool checkpoint(bool force = false);
  bool set_epoch(const std::string& epoch);  // the server's epoch, after the first contact

  // [SECTION] Sync (decision 0009)
  // The server refused a pending op: it leaves the pending list; an "r" line in outbox.log keeps
  // it with the code (the newest kMaxRefused are kept). False if not pending or on a write failure.
  bool refuse_pending(const std::string& op_id, const std::string& code);
  const std::vector<RefusedOp>& refused() const { return refused_; }
  // The server was restored from a backup (a new epoch whose log equals the old one up to
  // epoch_base): this device's own confirmed ops after epoch_base go back to the outbox (to be pushed again; the
  // server's idempotency makes that safe), the confirmed log is dropped and sync pulls from 0.
  // Crash-safe: the outbox is rewritten first, FORMAT (the new epoch) last.
  bool restart_epoch(const std::string& epoch, std::int64_t epoch_base, std::string* error = nullptr);
  static constexpr std::size_t kMaxRefused = 200;
  // A new device's start: the server's snapshot of the confirmed state at seq (core snapshot text)
  // instead of the whole history. Only into a store holding no confirmed ops yet; pending ops are
  // re-applied on top. Written as this store's own snapshot; sync then pulls after seq.
  bool install_snapshot(std::int64_t seq, std::string_view snapshot, std::string* error = nullptr);

  // One versioned JSON file: the newest snapshot (if any), confirmed ops after it, pending ops,
  // the state hashes and, last, the photos given (export_photos.h). import() checks all of it before
  // changing anything; then writes the ops and hands each good photo to `keep`.
  std::string export_all(const std::vector<ExportPhoto>& photos = {});
  ImportResult import(std::string_view file, const PhotoSink& keep = {});
  ImportResult import_parsed(nlohmann::json file, const PhotoSink& keep = {});  // parsed already (the caller may free the text)

  const core::Replica& replica() const { return *replica_; }
  std::int64_t stored_seq() const { return stored_seq_; }  // sync pulls from here
  const std::string& device_id() const { return device_; }
  const std::string& epoch() const { return epoch_; }
  std::size_t segment_count() const { return segments_.size(); }
  std::size_t snapshot_count() const { return snapshots_.size(); }

 private:
  struct Segment {
    std::uint32_t number = 0;
    std::int64_t first = 0, last = 0;  // seq range held
  };
  std::string path(std::string_view rel) const { return root_ + "/" + std::string(rel); }
  bool write_atomic(const std::string& rel, std::string_view bytes);
  bool write_format();
  std::string set_aside(const std::string& rel, const std::string& code, const std::string& detail,
                        OpenResult* result);
  bool open_v1(OpenResult* result);
  bool load_snapshot_file(const std::string& rel, std::int64_t seq, std::string* error);
  // True (and s's range set from its seal line) when segment s holds only ops at or below seq.
  bool covered_by(Segment& s, std::int64_t seq);
  bool read_segment(const Segment& s, std::vector<core::Op>* ops, std::vector<std::int64_t>* after, std::string* error);
  bool append_tail(const std::vector<const core::Op*>& ops, std::int64_t after);
  bool seal_tail();
  bool store_snapshot(std::int64_t seq, const std::string& body);
  bool rewrite_outbox();
  bool confirmed_after(std::int64_t seq, std::vector<core::Op>* ops);
  std::string snapshot_name(std::int64_t seq) const;
  std::string segment_name(std::uint32_t n) const;

  const core::Schema& schema_;
  FileOps& files_;
  std::unique_ptr<core::Replica> replica_;
  Limits limits_;
  std::string root_, device_, epoch_;
  bool open_ = false, failed_ = false;
  std::int64_t stored_seq_ = 0;             // seq of the last confirmed op stored (chain head)
  std::vector<Segment> segments_;           // sorted by number
  std::vector<std::int64_t> snapshots_;     // seqs, ascending
  std::string tail_bytes_;                  // tail.log's valid content
  std::size_t tail_ops_ = 0;
  std::int64_t tail_first_ = 0;
  std::size_t outbox_lines_ = 0;            // lines in outbox.log (live + dead)
  std::set<std::string> confirmed_ids_;     // ids of confirmed ops replayed since the snapshot
  std::vector<RefusedOp> refused_;          // oldest first, at most kMaxRefused
};

// [SECTION] Record lines, exposed for tests and tools.
std::string record_line(std::string_view json);  // "<hash> <json>\n"
// Splits bytes into verified JSON payloads. Stops at the first bad line: *bad_at is its offset
// (bytes.size() if none), *torn says it was the last line (an unfinished write).
std::vector<std::string_view> parse_records(std::string_view bytes, std::size_t* bad_at, bool* torn);

}  // namespace sihui::store
