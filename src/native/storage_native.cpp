// storage_native: the storage seam on a plain directory, for native tests and tools.
// [X] root from $SIHUI_DATA (else ./sihui-data), created on open
// [X] writes are durable when written (write_file_atomic fsyncs), so every gen is saved at once
// [ ] quota simulation (issue 4 adds fault injection for the log store)
#include <cstdlib>
#include <string>

#include <sys/stat.h>

#include "platform/storage.h"
#include "store/flush_scheduler.h"

namespace sihui::platform {

namespace {
store::FlushScheduler g_sched;
bool g_open = false;
}  // namespace

std::string storage_root() {
  const char* env = std::getenv("SIHUI_DATA");
  return env && *env ? std::string(env) : std::string("sihui-data");
}

void storage_open() {
  if (g_open) return;
  g_open = true;
  ::mkdir(storage_root().c_str(), 0700);
  g_sched.loaded();
}

StorageReport storage_report() {
  StorageReport r;
  r.state = g_open ? StorageState::Ready : StorageState::Loading;
  r.flushing = false;
  r.all_saved = g_sched.all_saved();
  return r;
}

std::uint64_t storage_wrote() {
  auto gen = g_sched.wrote();
  if (g_sched.request()) g_sched.finished(true);
  return gen;
}

bool storage_is_saved(std::uint64_t gen) { return g_sched.is_saved(gen); }

void storage_send_to_writer(const std::string&, const std::string&) {}  // natively this process writes

}  // namespace sihui::platform
