// app: Sihui's screens. Reads a UiModel (settings, translations, device status) and emits
// UiActions; it never changes settings, storage or core state itself. The platform shell
// (src/web/main_web.cpp) applies the actions and feeds the next frame's model.
#pragma once
#include <string>
#include <variant>
#include <vector>

#include "core/i18n.h"
#include "core/model.h"
#include "core/settings.h"
#include "platform/storage.h"

namespace sihui::ui {

struct DeviceStatus {
  bool online = true;
  platform::StorageReport storage;
  int font_percent = -1;       // full font download: -1 not started, 0..99 loading, 100 done
  bool font_failed = false;
  double storage_used = -1;    // bytes, from navigator.storage.estimate(); < 0 unknown
  double storage_quota = -1;
  bool handed_over = false;    // read-only tab: a change waits for the writer tab to save it
};

struct UiModel {
  const settings::Settings* settings = nullptr;
  const i18n::Catalog* catalog = nullptr;
  DeviceStatus status;
  bool settings_damaged = false;  // show the "could not read part of your settings" banner
  const core::State* community = nullptr;  // the community the screens show (null: none loaded)
  bool demo = false;                       // the community is the generated demo
  bool demo_loading = false;               // the demo is being generated this frame or the next
  bool store_open = false;                 // the device's operation log is open
  std::vector<std::string> store_notices;  // translation keys: start-up problems found and handled
  std::string backup_message;              // already translated: the last export/import result
  int backup_percent = -1;                 // export/import running: -1 none, 0..100
};

struct DismissDamagedNotice {};
struct RefreshStorageEstimate {};
struct ExportAll {};            // download one backup file of everything on this device
struct ImportFile {};           // ask the person for a backup file to import
struct DismissStoreNotice {};   // hide the store's start-up problems / backup result
using UiAction = std::variant<settings::Change, DismissDamagedNotice, RefreshStorageEstimate, ExportAll, ImportFile,
                              DismissStoreNotice>;

class App {
 public:
  enum class Screen { Home, Manage, Projects, Care, Energy, Settings };  // what fills the page
  void draw(const UiModel& model, std::vector<UiAction>& out);
  Screen screen() const { return screen_; }

 private:
  const char* tr(const char* key) const;
  void top_bar(std::vector<UiAction>& out);
  void banner(std::vector<UiAction>& out);
  void home();
  void section(const char* body_key, const char* extra_key, const char* title_key);
  void settings_screen(std::vector<UiAction>& out);
  void status_bar();
  std::string status_text(unsigned int* color) const;

  const UiModel* m_ = nullptr;
  Screen screen_ = Screen::Home;
  Screen last_screen_ = Screen::Home;
  std::string name_edit_;
  bool name_edit_loaded_ = false;
  bool name_too_long_ = false;
  bool entered_ = false;
  std::string status_line_;        // this frame's status text (computed once in draw)
  unsigned int status_color_ = 0;  // this frame shows the screen for the first time since navigating
};

}  // namespace sihui::ui
