// photos_native: platform/photos.h for native tests. Nothing is shown or uploaded: every call is
// recorded in photos_native_calls() ("pick camera 4", "load NAME", "free NAME", "upload", ...), so a
// test can check what the shell asked the platform for.
#include <string>
#include <vector>

#include "platform/photos.h"

namespace sihui::platform {

std::vector<std::string>& photos_native_calls() {
  static std::vector<std::string> calls;
  return calls;
}

void photo_pick(bool camera, int room) {
  photos_native_calls().push_back(std::string("pick ") + (camera ? "camera " : "files ") + std::to_string(room));
}
void photo_discard(const std::string& name) { photos_native_calls().push_back("discard " + name); }
void photo_load(const std::string& name, const std::string&, const std::string&) { photos_native_calls().push_back("load " + name); }
void photo_free(const std::string& name) { photos_native_calls().push_back("free " + name); }
void photos_upload(const std::string& token, const std::string&) {
  if (!token.empty()) photos_native_calls().push_back("upload");
}

}  // namespace sihui::platform
