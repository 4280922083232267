// file_ops: every file operation of the log store goes through FileOps, so tests can count bytes
// and files and inject faults (fail, tear a write, crash after a write). PosixFileOps is the real
// one: stdio and POSIX calls only, the same natively and on emscripten's IDBFS mount (MEMFS there;
// durability in the browser comes from the FS.syncfs flush that follows, see log_store.h).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace sihui::store {

// Paths are full paths ("root/seg/000001.log"). Each call is one step a crash can fall between.
class FileOps {
 public:
  virtual ~FileOps() = default;
  virtual bool read(const std::string& path, std::string* out) = 0;          // whole file; false if missing/unreadable
  virtual bool write(const std::string& path, std::string_view bytes) = 0;   // create or truncate, write, fsync, close
  virtual bool append(const std::string& path, std::string_view bytes) = 0;  // create if missing, append, fsync, close
  virtual bool rename(const std::string& from, const std::string& to) = 0;   // atomic replace of `to`
  virtual bool remove(const std::string& path) = 0;                          // unlink; true if it is gone afterwards
  virtual bool make_dir(const std::string& path) = 0;                        // true if it exists afterwards
  virtual bool list(const std::string& dir, std::vector<std::string>* names) = 0;  // plain names, sorted, no . ..
};

class PosixFileOps final : public FileOps {
 public:
  // durable = false skips fsync (tests that loop thousands of times; the calls are still made).
  explicit PosixFileOps(bool durable = true) : durable_(durable) {}
  bool read(const std::string& path, std::string* out) override;
  bool write(const std::string& path, std::string_view bytes) override;
  bool append(const std::string& path, std::string_view bytes) override;
  bool rename(const std::string& from, const std::string& to) override;
  bool remove(const std::string& path) override;
  bool make_dir(const std::string& path) override;
  bool list(const std::string& dir, std::vector<std::string>* names) override;

 private:
  bool put(const std::string& path, std::string_view bytes, const char* mode);
  bool durable_;
};

}  // namespace sihui::store
