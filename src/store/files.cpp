#include "store/files.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <sys/stat.h>
#include <unistd.h>

namespace sihui::store {

std::optional<std::string> read_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return std::nullopt;
  std::string out;
  char buf[16384];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  bool bad = std::ferror(f) != 0;
  std::fclose(f);
  if (bad) return std::nullopt;
  return out;
}

bool write_file_atomic(const std::string& path, const std::string& bytes, std::string* error) {
  std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) {
    if (error) *error = "open " + tmp + ": " + std::strerror(errno);
    return false;
  }
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  ok = (std::fflush(f) == 0) && ok;
  ok = (fsync(fileno(f)) == 0 || errno == EINVAL || errno == ENOSYS) && ok;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) {
    if (error) *error = "write " + tmp + ": " + std::strerror(errno);
    std::remove(tmp.c_str());
    return false;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    if (error) *error = "rename " + tmp + ": " + std::strerror(errno);
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

std::optional<std::string> set_aside(const std::string& path) {
  for (int i = 1; i < 1000; ++i) {
    std::string dest = path + ".damaged-" + std::to_string(i);
    struct stat st {};
    if (stat(dest.c_str(), &st) == 0) continue;
    if (std::rename(path.c_str(), dest.c_str()) == 0) return dest;
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace sihui::store
