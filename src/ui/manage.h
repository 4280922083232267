// manage: the 汇管理 screens. Three pages behind one row of tabs:
//   report  - file a problem in at most three taps from the home screen (汇管理 -> a sub-type or
//             category -> 发送), placed at the resident's own unit; then its status in words
//   map     - the grid map (map_screen.cpp): grids, compounds, buildings, pins of open reports;
//             pan, zoom, tap a grid or building to see who leads it and its open reports
//   list    - the grid leader's open reports, overdue first, with the status chain's buttons
//   stats   - staff (the committee): reports by category, grid and month as charts, repeat spots, CSV
// Reads the UiModel and emits SubmitOps; the reducer decides who may do what.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/map_edit.h"
#include "core/model.h"
#include "ui/app.h"
#include "ui/map_view.h"
#include "ui/state_key.h"

struct ImDrawList;

namespace sihui::ui {

class Manage {
 public:
  enum class Page { Report, Map, List, Stats };
  // Draws the screen inside the page; returns true when the person goes back home.
  bool draw(const UiModel& m, std::vector<UiAction>& out, bool entered);
  const map::View& map_view() const { return view_; }
  bool map_shown() const { return page_ == Page::Map; }
  std::string selected() const { return sel_kind_.empty() ? "" : sel_kind_ + ":" + sel_id_; }
  // Buildings as drawn (for tests): id, name, outline and the middle on screen (framebuffer px).
  struct BuildingMark { core::Id id; std::string name, outline; double x = 0, y = 0; };
  std::vector<BuildingMark> building_marks() const;
  bool map_editing() const { return editing_; }
  // The map's last frame as laid out (for tests; framebuffer px): its labels' plates, the zoom
  // buttons' column, the side panel's box and whether it went below the map (decision 0029).
  struct MapLabel { std::string text; map::Box box; };
  const std::vector<MapLabel>& map_labels() const { return map_labels_; }
  const map::Box& map_controls() const { return map_controls_; }
  const map::Box& map_panel() const { return map_panel_; }
  bool map_stacked() const { return map_stacked_; }

 private:
  // [SECTION] Shared helpers (manage.cpp)
  const char* tr(const char* key) const;
  std::string trs(const std::string& key) const { return tr(key.c_str()); }
  const core::State* st() const { return m_->community; }
  const core::Person* me() const;
  bool is_staff() const;
  std::vector<core::Id> my_grids() const;  // grids I lead or work in (every grid for staff)
  core::Id my_unit() const;
  std::string place_name(const core::Id& compound, const core::Id& building, const core::Id& unit) const;
  std::string person_name(const core::Id& id) const;
  std::string category_name(core::Category c) const;
  std::string pin_letter(core::Category c) const;
  std::string outcome_words(const std::string& op_id) const;  // "" while nothing to say
  std::string reason_words(const core::Outcome& o) const;
  std::string person_words(const core::Person& p) const;  // name · home (map_edit.cpp)  // a refusal's reason, in words
  static std::string new_id();  // 32 random hex digits, like the shell's op ids
  void submit(std::vector<UiAction>& out, const std::string& kind, const std::string& payload, std::string* op_id);
  void tabs();

  // [SECTION] Filing a report (reports.cpp)
  void report_page(std::vector<UiAction>& out);
  void choose_kind();
  void file_form(std::vector<UiAction>& out);
  void similar_offer(const core::Id& compound, const core::Id& building, std::vector<UiAction>& out);
  void place_picker();
  void photo_picker(std::vector<UiAction>& out);  // the form's photos: tiles, remove, camera and files
  void sent_card();
  // [SECTION] The grid leader's list (reports.cpp)
  void list_page(std::vector<UiAction>& out);
  // One open report as a card; with the chain's buttons when `actions`.
  void report_card(const core::Report& r, bool overdue, bool escalated, bool actions, std::vector<UiAction>& out);
  template <class PlaceButton>
  void share_to_channel(const core::Report& r, PlaceButton& place_button, std::vector<UiAction>& out);

  // [SECTION] The committee's statistics (stats.cpp)
  void stats_page(std::vector<UiAction>& out);
  std::int64_t stats_now() const;  // the demo's own clock in the demo, else the device's

  // [SECTION] The map (map_screen.cpp)
  void map_page(std::vector<UiAction>& out);
  void map_search_box();
  void build_geometry();
  void draw_canvas(float w, float h, std::vector<UiAction>& out);
  void map_side(std::vector<UiAction>& out);
  void select_at(map::Vec screen);
  struct PinHit;
  bool open_more(const PinHit& pin);  // a "+n" pressed (tap or the map's words)
  // What a tap, a search hit or the map's words (map_places) select: the side panel shows it.
  void select(const std::string& kind, const core::Id& id);
  // The map in words for screen readers and keyboards: what the canvas shows as buttons over where
  // it is drawn (grids, compounds, buildings, report pins); pressing one selects it as a tap would.
  void map_places(map::Vec p0, map::Vec p1);  // the canvas's corners on screen
  // [SECTION] Editing the map, staff only (map_edit.cpp; decision 0022)
  void edit_bar(std::vector<UiAction>& out);
  bool edit_input(map::Vec mouse, std::vector<UiAction>& out);  // true: the edit took the pointer
  void edit_overlay(ImDrawList* dl);
  void edit_side(std::vector<UiAction>& out);
  void import_panel(std::vector<UiAction>& out);
  // 移除 one place (the chosen compound or building, or a unit of the chosen building), asked in words.
  void remove_button(std::vector<UiAction>& out, const std::string& kind, const core::Id& id, const std::string& label);
  void grid_choice(std::vector<UiAction>& out);  // the chosen compound: its grid, and moving it
  void submit_drafts(std::vector<UiAction>& out, const std::vector<core::DraftOp>& ops);
  void commit_edit(std::vector<UiAction>& out, core::Edit e);
  std::vector<map::Vec> shape_of(const std::string& kind, const core::Id& id) const;  // world polygon
  std::string outline_text(const std::vector<map::Vec>& world) const;  // world -> "x,y;..." micro-degrees
  std::string place_label(const std::string& kind, const core::Id& id) const;

  const UiModel* m_ = nullptr;
  Page page_ = Page::Report;
  // Filing.
  bool choosing_ = true;  // the category buttons (false: the form for the chosen kind)
  core::Category cat_ = core::Category::repair;
  std::string subtype_;
  std::string description_;
  std::string caller_name_, caller_phone_;  // staff filing for a walk-in or phone caller (optional)
  bool picking_place_ = false;       // the place picker is open
  bool place_chosen_ = false;        // the place is pick_* (else the person's home unit)
  core::Id pick_compound_, pick_building_, pick_unit_;
  std::vector<std::string> photos_;  // the form's photos (names), sent with the report
  std::string sent_report_, sent_op_;  // the last report filed (or joined) here and its op
  bool sent_joined_ = false;           // the person joined someone else's report rather than filing
  // The list's last action and what became of it.
  std::string action_report_, action_op_;
  std::string share_report_;  // the report whose "发到频道" channel buttons are open
  std::string note_report_;               // the report whose "done" step gets photos (the handler's proof)
  std::vector<std::string> note_photos_;  // those photos, sent with report.handle
  int stats_months_ = 6;
  std::string search_;  // the map's search box  // the statistics' range: 3, 6 or 12 months
  // The map.
  struct CompoundGeo {
    core::Id id;
    map::Vec centre;
    map::Box outline;
    std::vector<map::Vec> poly;  // the outline staff drew or imported, if any (world)
    std::vector<std::pair<core::Id, map::Box>> buildings;  // in number order
  };
  struct GridGeo {
    core::Id id;
    int colour = 0;
    std::vector<map::Vec> poly;     // from the boundary, if drawn
    std::vector<map::Box> boxes;    // else its compounds' yards
  };
  const core::State* geo_for_ = nullptr;
  std::int64_t geo_ops_ = -1;
  std::vector<CompoundGeo> compounds_;
  std::vector<GridGeo> grids_;
  std::map<core::Id, map::Box> building_box_;
  std::map<core::Id, std::size_t> compound_index_;
  map::Projection proj_;
  map::Box world_;
  map::View view_;
  bool dragged_ = false;
  int pinch_serial_ = 0;           // the pinch the map follows (UiModel::Pinch::serial)
  map::Vec pinch_a_, pinch_b_;     // its fingers at the last frame
  std::string sel_kind_, sel_id_;  // "grid" | "compound" | "building" | "report", and its id
  // A pressable pin of this frame (screen): a report's pin, or a cluster's "+n" badge (report
  // empty), which zooms in about `at`, or at the closest zoom selects `place` (its reports list).
  struct PinHit { map::Vec at; core::Id report; int more = 0; std::string place_kind; core::Id place; };
  std::vector<PinHit> pins_;  // this frame's pins (screen), for tapping
  std::vector<MapLabel> map_labels_;  // this frame's labels as drawn (screen)
  map::Box map_controls_, map_panel_;  // the zoom buttons' column and the side panel (screen)
  bool map_stacked_ = false;           // the side panel below the map, not beside it
  // Pins of open reports, derived from the state (decision 0014, revision of session 4): grouped
  // by place in world coordinates and sorted most urgent first, rebuilt only when the state changes
  // (pins_for_, pins_ops_) or an open report falls overdue (pins_until_); a frame transforms,
  // culls and merges them by screen cell.
  struct PinRep {
    core::Id id;
    std::int64_t due_at = 0, priority = 2;
    core::Category category = core::Category::repair;
    bool can_be_overdue = true;  // not handled or reviewed yet (the red ring)
  };
  struct PinGroup {
    map::Vec at;                  // world: the report's point, the building's top middle or the compound's centre
    bool on_building = false;     // drawn a little above the building's top edge
    std::string place_kind;       // "building" | "compound" | "" (a report's own point)
    core::Id place;
    std::vector<PinRep> reports;  // most urgent first
  };
  void build_pins();
  // A merged pin of the last view (screen): the groups it took, its report count and the most urgent
  // three (pointers into pin_groups_, valid until build_pins runs again, which bumps pin_serial_).
  struct PinCluster {
    map::Vec at;
    std::size_t first = 0;  // its first group (the place a "+n" selects, when all are one place)
    bool one_place = true;
    int total = 0;
    std::vector<const PinRep*> top;
  };
  struct ClusterKey {
    int serial = -1;
    double scale = 0, cx = 0, cy = 0;
    float x = 0, y = 0, w = 0, h = 0, r = 0;
    bool operator==(const ClusterKey&) const = default;
  };
  int pin_serial_ = 0;
  ClusterKey clusters_key_;
  std::vector<PinCluster> clusters_;
  const core::State* pins_for_ = nullptr;
  std::int64_t pins_ops_ = -1, pins_until_ = 0;
  std::vector<PinGroup> pin_groups_[2];  // [0] far (by compound), [1] near (by building)
  std::map<core::Id, int> open_in_;      // open reports per building and per compound
  std::map<core::Id, std::string> pin_words_;  // a report pin's words for the map's mirror (lazily)
  std::map<core::Id, std::string> place_words_;  // a compound's or building's words (lazily, cleared likewise)
  std::string pin_words_lang_;                 // ... in this language's map.search.report
  // The side panel's place (map_side): its grid, building leaders and the first open reports, kept
  // between frames and worked out again only when the state (pointer, ops_applied), the selection or
  // one of the grid's overdue/escalated flags (until) changes; nothing is read from JSON per frame.
  struct SidePlace {
    const core::State* for_ = nullptr;
    std::int64_t ops = -1, until = 0;
    std::string kind;
    core::Id id;
    core::Id grid, compound, building;
    std::vector<core::Id> building_leaders;
    int open = 0;                            // open reports of the place
    struct Row { core::Id report; bool overdue = false, escalated = false; };
    std::vector<Row> rows;  // the first kSideRows of them, most urgent first (ids: looked up when drawn)
  };
  static constexpr int kSideRows = 8;
  const SidePlace& side_place();
  SidePlace side_;
  // The list tab's rows (list_page): the open reports of my grids, most urgent first, kept per state
  // version (StateKey) and for whom (my grids), so an idle frame neither gathers nor sorts them.
  struct ListRows {
    StateKey key;
    std::vector<core::Id> grids;
    bool staff = false;
    struct Row { const core::Report* report = nullptr; bool overdue = false, escalated = false; };
    std::vector<Row> rows;  // pointers into the state the key names
    int overdue = 0;
  };
  const ListRows& list_rows(const std::vector<core::Id>& grids, bool staff);
  ListRows list_;
  std::map<core::Id, std::vector<map::Vec>> building_poly_;  // buildings with a footprint (world)
  std::vector<BuildingMark> marks_;  // every building's id, name and outline (for building_marks)
  // Editing.
  enum class Tool { Move, Vertices, Draw };
  bool editing_ = false;
  Tool tool_ = Tool::Move;
  core::EditHistory history_;
  core::Id drag_building_;            // the building being moved
  map::Vec drag_from_, drag_to_;      // world points of the move
  int drag_vertex_ = -1;              // the vertex being dragged (Tool::Vertices)
  int picked_vertex_ = -1;            // the vertex last touched (for 删除顶点)
  std::vector<map::Vec> edit_poly_;   // the shape being edited, world
  std::vector<map::Vec> drawing_;     // points tapped so far (Tool::Draw)
  std::string role_pick_;             // "grid_leader:g1": the role whose person is being picked
  std::string person_search_;
  int geojson_serial_ = 0;            // the last picked file handled
  bool import_open_ = false;
  core::GeoImport import_;            // the file's proposals (or its error), waiting for 确认
  std::string edit_note_;             // already translated: the last import/export result
  std::string remove_confirm_;        // "building:b1" while 移除 waits for its confirmation in words
  std::string edit_op_, edit_done_;    // the last removal or grid move sent: its op (the outcome is shown) and
                                      // the words for when it is accepted ("已移除3号楼。")
  core::Id grid_pick_;                // the compound whose 调整所属网格 list is open
  bool refit_pending_ = false;        // fit the view once the import's ops are applied
  std::int64_t refit_ops_ = 0;
};

}  // namespace sihui::ui
