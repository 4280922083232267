// FlushScheduler: when to copy the device's files to durable storage, and what is saved.
// IDBFS persists only on FS.syncfs(false), which must never run twice at once and must
// never run before the first load (syncfs(true)) has finished, or it deletes stored data.
// This class holds that policy as plain state so it is tested natively; the browser seam
// (src/web/storage_web.cpp) only performs what it asks.
#pragma once
#include <cstdint>

namespace sihui::store {

class FlushScheduler {
 public:
  // The first load finished: writes may now be flushed.
  void loaded() { loaded_ = true; }
  bool is_loaded() const { return loaded_; }

  // A file was written: returns its generation. It is saved once saved_gen() >= that value.
  std::uint64_t wrote() { return ++written_; }

  // Asks for a flush; returns true if the caller should start one now. While one runs,
  // requests coalesce into exactly one more, started by finished(). Before the first load
  // has finished nothing starts: the request is remembered for start_if_needed().
  bool request() {
    if (!loaded_) {
      pending_ = true;
      return false;
    }
    if (in_flight_) {
      if (written_ != flushing_) pending_ = true;
      return false;
    }
    if (written_ == saved_) return false;
    start();
    return true;
  }

  // After loaded(), or on a retry timer after a failure: starts a flush if anything written
  // is still unsaved and none is running.
  bool start_if_needed() {
    if (!loaded_ || in_flight_ || written_ == saved_) return false;
    start();
    return true;
  }

  // The running flush ended. On success everything written before it started is saved.
  // Returns true if another flush should start now (writes arrived while it ran). After a
  // failure it returns false: the caller retries with start_if_needed() after a delay.
  bool finished(bool ok) {
    in_flight_ = false;
    if (ok) {
      saved_ = flushing_;
      failures_ = 0;
    } else {
      ++failures_;
    }
    if (ok && pending_ && written_ != saved_) {
      start();
      return true;
    }
    return false;
  }

  bool in_flight() const { return in_flight_; }
  bool all_saved() const { return written_ == saved_; }
  bool is_saved(std::uint64_t gen) const { return gen <= saved_; }
  std::uint64_t written_gen() const { return written_; }
  std::uint64_t saved_gen() const { return saved_; }
  std::uint32_t consecutive_failures() const { return failures_; }

 private:
  void start() {
    in_flight_ = true;
    pending_ = false;
    flushing_ = written_;
  }
  bool loaded_ = false;
  bool in_flight_ = false;
  bool pending_ = false;
  std::uint64_t written_ = 0;
  std::uint64_t saved_ = 0;
  std::uint64_t flushing_ = 0;
  std::uint32_t failures_ = 0;
};

}  // namespace sihui::store
