#include "store/file_ops.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sihui::store {

bool PosixFileOps::read(const std::string& path, std::string* out) {
  // One read into a buffer of the file's size: a snapshot is megabytes, and on emscripten's MEMFS
  // every read() is a call into JavaScript, so chunked reads and a growing string cost tens of ms.
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return false;
  out->clear();
  struct stat st {};
  std::size_t size = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 ? static_cast<std::size_t>(st.st_size) : 0;
  out->resize(size + 1);  // one byte more, to see the end (or a file that grew) without another call
  std::size_t have = 0;
  bool bad = false;
  for (;;) {
    if (have == out->size()) out->resize(out->size() * 2 + 65536);
    ssize_t n = ::read(fd, out->data() + have, out->size() - have);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      bad = n < 0;
      break;
    }
    have += static_cast<std::size_t>(n);
  }
  ::close(fd);
  out->resize(have);
  return !bad;
}

bool PosixFileOps::put(const std::string& path, std::string_view bytes, const char* mode) {
  std::FILE* f = std::fopen(path.c_str(), mode);
  if (!f) return false;
  bool ok = bytes.empty() || std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  ok = std::fflush(f) == 0 && ok;
  // EINVAL/ENOSYS: the file system has no fsync (emscripten's MEMFS); the platform flush persists.
  if (durable_) ok = (fsync(fileno(f)) == 0 || errno == EINVAL || errno == ENOSYS) && ok;
  ok = std::fclose(f) == 0 && ok;
  return ok;
}

bool PosixFileOps::write(const std::string& path, std::string_view bytes) { return put(path, bytes, "wb"); }
bool PosixFileOps::append(const std::string& path, std::string_view bytes) { return put(path, bytes, "ab"); }

bool PosixFileOps::rename(const std::string& from, const std::string& to) {
  if (std::rename(from.c_str(), to.c_str()) != 0) return false;
  if (durable_) {  // make the new name durable: fsync the folder (best effort; MEMFS has none)
    auto slash = to.find_last_of('/');
    std::string dir = slash == std::string::npos ? "." : to.substr(0, slash);
    int fd = ::open(dir.c_str(), O_RDONLY);
    if (fd >= 0) {
      (void)fsync(fd);
      ::close(fd);
    }
  }
  return true;
}

bool PosixFileOps::remove(const std::string& path) {
  return std::remove(path.c_str()) == 0 || errno == ENOENT;
}

bool PosixFileOps::make_dir(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) == 0) return true;
  struct stat st {};
  return errno == EEXIST && ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool PosixFileOps::list(const std::string& dir, std::vector<std::string>* names) {
  names->clear();
  DIR* d = ::opendir(dir.c_str());
  if (!d) return false;
  while (dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") names->push_back(std::move(n));
  }
  ::closedir(d);
  std::sort(names->begin(), names->end());
  return true;
}

}  // namespace sihui::store
