// app: Sihui's screens. Reads a UiModel (settings, translations, device status) and emits
// UiActions; it never changes settings, storage or core state itself. The platform shell
// (src/web/main_web.cpp) applies the actions and feeds the next frame's model.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "core/i18n.h"
#include "core/model.h"
#include "core/settings.h"
#include "platform/storage.h"

namespace sihui::core { class Replica; }

namespace sihui::ui {

class Manage;  // manage.h: the 汇管理 screens (map, reports, the grid leader's list)

struct DeviceStatus {
  bool online = true;
  platform::StorageReport storage;
  int font_percent = -1;       // full font download: -1 not started, 0..99 loading, 100 done
  bool font_failed = false;
  double storage_used = -1;    // bytes, from navigator.storage.estimate(); < 0 unknown
  double storage_quota = -1;
  bool handed_over = false;    // read-only tab: a change waits for the writer tab to save it
};

// The signed-in account on this device (from serve.py; kept in /sihui/account.json).
struct Account {
  bool signed_in = false;
  std::string person;              // person id in the community ("" before verification)
  std::string login, display;      // login name (staff) or the registered name (resident)
  std::vector<std::string> roles;  // "staff", "grid_leader:g1", ...
  bool verified = true;            // false: a resident waiting for the office
  std::string message;             // already translated: the last sign-in/registration result
  bool busy = false;               // a sign-in or registration request is in flight
};

// What sync shows: the client's phase and figures, and this device's refused ops.
struct SyncView {
  bool enabled = false;            // this tab syncs (the writer tab, with a store)
  std::string phase_key;           // sync.phase.*
  std::string error_key;           // the last failure's code, "" if none
  std::int64_t last_synced_ms = 0; // device time of the last complete pull, 0 never
  std::size_t pending = 0;         // ops made here, not confirmed yet
  std::vector<std::pair<std::string, std::string>> refused;  // (op kind, reason code), newest last
};

// This person's own calendar feed link (serve.py, decision 0019), asked for when the person opens
// "订阅日历": the path with its secret token, or why there is none.
struct FeedLink {
  std::string path;       // "/api/v1/feeds/p/TOKEN.ics"; "" = not known (yet)
  bool busy = false;      // a request is in flight
  std::string error_key;  // translation key of the last failure ("" none)
};

// A QR code's modules (qrcode-generator in the page, loaded when first needed; src/web).
struct QrCode {
  int size = 0;                     // modules per side; 0 = failed
  std::vector<std::uint8_t> dark;   // size * size, row by row, 1 = dark
};

// Why a photo has no texture yet: what its tile says (decision 0030). The page tells them apart.
enum class PhotoWhy : std::uint8_t {
  Loading,      // being read on this device (or not asked for yet)
  Fetching,     // being downloaded from the server
  NoAccount,    // not on this device, and no account to ask the server with: "不在这台设备上"
  Offline,      // not on this device, and no network
  NotUploaded,  // the server has none yet (404): the reporter's device has not uploaded it
  Server,       // the server could not give it now (its error, a sign-in it refused)
  Damaged,      // its bytes do not match its name, or they are not a picture
  Unknown,      // not shown for a reason the page could not tell (a storage error)
};

// A photo of a report as this frame can draw it (decision 0021): a texture once loaded.
struct PhotoView {
  std::uint64_t texture = 0;  // 0 while loading or missing
  int w = 0, h = 0;
  PhotoWhy why = PhotoWhy::Loading;  // without a texture: why (the last answer's, while asked again)
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
  std::string backup_message;              // already translated: the last export/import result ('\n' between status lines)
  int backup_percent = -1;                 // export/import running: -1 none, 0..100
  std::string backup_progress;             // already translated caption while it runs ("" = importing {pct}%)
  Account account;
  SyncView sync;
  std::int64_t now_ms = 0;                 // device time this frame (for "synced 2 minutes ago")
  const core::Replica* replica = nullptr;  // the device's log: what became of an op made here (null: none)
  bool update_ready = false;               // a new build is installed and waiting (service worker)
  // The embed (?embed=...): "calendar", "classes", "class:ID" (a course or a session), "event:ID";
  // "" = the full app. The embed shows only that, narrow, with a link to the full app.
  std::string embed;
  // Two fingers on a canvas item (the grid map): where they are now, in framebuffer pixels. Each new
  // pinch gets a new serial, so the screen knows where this one started.
  struct Pinch { bool active = false; int serial = 0; float ax = 0, ay = 0, bx = 0, by = 0; } pinch;
  std::string origin;                      // the page's origin ("https://host"), for feed links; "" natively
  FeedLink feed_link;
  const std::map<std::string, QrCode>* qr_codes = nullptr;  // by text: the QR codes made so far (null: none)
  bool notify_allowed = false;             // the browser allows notifications (Settings asks)
  // Photos (decision 0021): what is loaded, by name (SHA-256); photos the person picked that arrived this
  // frame (stored on the device); the last refusal (translation key, "" none); how many are being prepared.
  const std::map<std::string, PhotoView>* photos = nullptr;
  std::vector<std::string> photos_added;
  std::string photo_error;
  int photos_busy = 0;
  // A GeoJSON file the person picked for the map (ChooseGeoJson); each pick gets a new serial.
  // text points at the shell's copy (null: none), so a frame does not copy the file.
  struct PickedFile { int serial = 0; const std::string* text = nullptr; bool too_big = false, failed = false; } geojson;
};

struct DismissDamagedNotice {};
struct RefreshStorageEstimate {};
struct ExportAll {};            // download one backup file of everything on this device
struct ImportFile {};           // ask the person for a backup file to import
struct DismissStoreNotice {};   // hide the store's start-up problems / backup result
// An operation made by the person on this screen: the shell adds id, author, device and time,
// saves it in the device's log (shown at once, pending) and sync sends it. payload is JSON text.
struct SubmitOp {
  std::string kind;
  std::string payload;
  std::string id;  // the op's id when the screen wants to follow its outcome ("" = the shell makes one)
};
struct Download { std::string name, text; };             // save a file (a roster as CSV) on this device
struct SignIn { std::string login, password; };         // staff account
struct ClaimInvite { std::string code; };               // a staff device's invitation code
struct Register { std::string name, phone, unit; int birth_year = 0; };  // a resident
struct SignOut {};
struct SyncNow {};                                       // try to sync at once
struct AskFeedLink { bool renew = false; };              // this person's feed link (renew: a new secret)
struct OpenUrl { std::string url, download; };          // open a link (webcal:) or download it as `download`
struct MakeQr { std::string text; };                     // make the QR code of text (appears in qr_codes)
struct ApplyUpdate {};  // switch to the waiting new build (only offered when nothing is unsaved)
struct OpenFullApp {};  // the embed: open the whole app in a new tab
struct PickPhotos { bool camera = false; int room = 4; };  // the camera or the file picker, at most room photos
struct DiscardPhoto { std::string name; };                 // removed from a form before sending
struct ChooseGeoJson {};  // ask the person for a GeoJSON file for the map (arrives in UiModel::geojson)
using UiAction = std::variant<settings::Change, DismissDamagedNotice, RefreshStorageEstimate, ExportAll, ImportFile,
                              DismissStoreNotice, SubmitOp, SignIn, ClaimInvite, Register, SignOut, SyncNow,
                              Download, ApplyUpdate, OpenFullApp, AskFeedLink, OpenUrl, MakeQr, PickPhotos,
                              DiscardPhoto, ChooseGeoJson>;

// Whether the device's records are all saved where they last (IndexedDB; in a read-only tab, handed
// to the writer; with no storage at all, nothing made here waits for the server). A new build is
// activated only when this is true and no form holds unsaved input (widgets.h).
bool all_records_saved(const UiModel& m);

class Life;  // life.h: the calendar, class and canteen screens

class App {
 public:
  App();
  ~App();
  enum class Screen { Home, Manage, Projects, Care, Energy, Settings, Calendar, Classes, Canteen, Services, Clinic, Channels };  // what fills the page
  void draw(const UiModel& model, std::vector<UiAction>& out);
  Screen screen() const { return screen_; }
  // Embed: the height (framebuffer px) the whole content needs, measured last frame; 0 if not embedded.
  float content_height() const { return content_h_; }
  const Manage* manage() const { return manage_.get(); }

 private:
  const char* tr(const char* key) const;
  void top_bar(std::vector<UiAction>& out);
  void banner(std::vector<UiAction>& out);
  void update_banner(std::vector<UiAction>& out);
  void embed_notes(std::vector<UiAction>& out);
  void home();
  void section(const char* body_key, const char* extra_key, const char* title_key);
  void settings_screen(std::vector<UiAction>& out);
  void account_section(std::vector<UiAction>& out);  // account.cpp
  std::string sync_words() const;                     // account.cpp: the sync part of the status line
  void status_bar();
  std::string status_text(unsigned int* color, bool brief = false) const;  // brief: the short words (narrow, large text)

  const UiModel* m_ = nullptr;
  std::shared_ptr<Manage> manage_;  // made on first use (shared_ptr: Manage is incomplete here)
  std::unique_ptr<Life> life_;
  Screen screen_ = Screen::Home;
  Screen last_screen_ = Screen::Home;
  bool embed_started_ = false;     // the embed's screen was chosen from its view
  bool update_later_ = false;      // "later": the update banner is hidden until the next build
  float content_h_ = 0;
  std::string name_edit_;
  bool name_edit_loaded_ = false;
  bool name_too_long_ = false;
  bool entered_ = false;
  std::string backup_seen_;  // the backup result last scrolled into view
  // Account forms (account.cpp).
  int account_mode_ = 0;  // 0 resident registration, 1 staff sign-in, 2 invitation code
  std::string reg_name_, reg_phone_, reg_year_, login_, password_, invite_;
  int reg_unit_ = -1;     // index into the community's units
  std::string form_error_;
  std::string status_line_;        // this frame's status text (computed once in draw)
  unsigned int status_color_ = 0;  // this frame shows the screen for the first time since navigating
};

}  // namespace sihui::ui
