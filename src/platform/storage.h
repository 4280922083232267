// Seam: the device's durable storage. One implementation per platform, picked by CMake:
//   src/web/storage_web.cpp     IDBFS mounted at /sihui, FS.syncfs driven by a FlushScheduler
//   src/native/storage_native.cpp  a directory ($SIHUI_DATA or ./sihui-data), fsync on flush
// Files are read and written with ordinary stdio under storage_root(); only loading and
// flushing differ between platforms.
#pragma once
#include <cstdint>
#include <string>

namespace sihui::platform {

enum class StorageState {
  Loading,  // first load (IDBFS -> memory) still running; nothing may be written yet
  Ready,    // loaded; writes are flushed after each change
  Failed,   // the browser refused storage (private mode, blocked): data lives in memory only
  ReadOnly, // another tab of this site is the writer (Web Locks): data is read, never flushed here;
            // changes are handed to the writer tab, and this tab takes over when it closes
};

struct StorageReport {
  StorageState state = StorageState::Loading;
  bool flushing = false;          // a flush is running now
  bool all_saved = true;          // every write so far is durable on this device
  std::uint32_t failures = 0;     // consecutive failed flushes (quota, dead connection)
  std::string last_error;         // English detail of the last failure, for the log
  bool quota_exceeded = false;    // the last failure was the device running out of space
};

void storage_open();                       // start the first load; idempotent
std::string storage_root();                // folder under which Sihui keeps its files
StorageReport storage_report();
// Records that a file under storage_root() changed and asks for a flush. Returns the
// write's generation; storage_is_saved(gen) becomes true when it is durable.
std::uint64_t storage_wrote();
bool storage_is_saved(std::uint64_t gen);

// Between tabs of the same site: a read-only tab hands a change to the writer tab (kind, JSON
// body); the writer receives it as a "tab_message" event. Natively there is only one writer.
void storage_send_to_writer(const std::string& kind, const std::string& body);

}  // namespace sihui::platform
