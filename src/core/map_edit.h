// map_edit: what staff change on the grid map, without the UI (decision 0022).
//   outlines  - "x,y;x,y;..." polygons in micro-degrees (Grid::boundary, Compound/Building::outline):
//               parse, format, move, and the checks the reducer applies
//   GeoJSON   - import an OpenStreetMap-style FeatureCollection as proposed operations (compounds,
//               buildings, outlines), or one clear error that changes nothing; export the map back
//   history   - undo and redo as new operations (an inverse op), never a rewrite of the log
// Pure: no I/O, no clock. The UI sends the proposed ops as SubmitOps; the reducer decides.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace sihui::core {

// [SECTION] Outlines
struct MicroPoint {
  std::int64_t x = 0, y = 0;  // micro-degrees: longitude, latitude
  friend bool operator==(const MicroPoint&, const MicroPoint&) = default;
};
inline constexpr std::size_t kMaxOutlinePoints = 150;  // 150 points fit the payload's 4,000 characters

// Parses "x,y;x,y;...": false (and *out empty) when any pair is malformed, a coordinate is out of
// range (|lon| <= 180e6, |lat| <= 90e6), or there are fewer than 3 or more than kMaxOutlinePoints.
bool parse_outline(std::string_view text, std::vector<MicroPoint>* out);
std::string format_outline(const std::vector<MicroPoint>& pts);
// The same polygon moved by (dx, dy) micro-degrees; "" stays "".
std::string move_outline(std::string_view text, std::int64_t dx, std::int64_t dy);
MicroPoint outline_centre(const std::vector<MicroPoint>& pts);  // middle of the bounding box

// [SECTION] Proposed operations
struct DraftOp {
  std::string kind;     // "place.outline.set"
  std::string payload;  // JSON object text
  friend bool operator==(const DraftOp&, const DraftOp&) = default;
};
// place.outline.set for a "compound" | "building" | "grid".
DraftOp outline_op(std::string_view place, const Id& id, std::string_view outline);
// The current outline of a place ("" when it has none or does not exist).
std::string current_outline(const State& s, std::string_view place, const Id& id);

// [SECTION] GeoJSON
inline constexpr std::size_t kMaxGeoJsonBytes = 2 * 1024 * 1024;
inline constexpr std::size_t kMaxGeoJsonFeatures = 2000;

struct GeoImport {
  std::string error;    // "" or a translation key: geojson.error.{too_big,not_json,not_collection,bad_geometry,too_many_points,out_of_range,too_many_features}
  std::size_t feature = 0;  // with an error about one feature: its number, 1-based
  std::vector<DraftOp> ops;  // in order: new compounds, then new buildings, then outline changes
  std::vector<std::string> names;  // the places proposed (new or with a new outline), for the preview
  std::size_t new_compounds = 0, new_buildings = 0, outlines = 0, unchanged = 0, skipped = 0;
};
// Reads a FeatureCollection of Polygon / MultiPolygon features (for a MultiPolygon, its largest
// part's outer ring). Properties (also under "tags"): `building` present -> a building, placed in
// the compound whose outline contains its middle (from the file or already on the map), named by
// `name`, else `addr:housenumber` + "号楼"; no `building` -> a compound named `name`;
// "sihui:kind": "grid" -> the grid of that name gets the outline. A place that already exists by
// name gets its outline set (when different); features that are not polygons (points of
// interest), nameless compounds and buildings outside every compound are skipped and counted.
// New ids are id_prefix + "c1", "b1", ... (the caller passes something unique, e.g. random hex).
GeoImport import_geojson(const State& s, std::string_view bytes, std::string_view id_prefix);
// A FeatureCollection of the map: grids and compounds with outlines and buildings with
// footprints as Polygons (name, building, sihui:kind, sihui:compound), compounds without an
// outline as Points. import_geojson of it into an empty map gives the same shapes.
std::string export_geojson(const State& s);

// [SECTION] Undo and redo
struct Edit {
  std::string label;              // what the buttons say ("移动 3号楼"), already translated
  std::vector<DraftOp> forward;   // what was done
  std::vector<DraftOp> inverse;   // what undoes it, in order
};
// Edits made on this device in this session. Undo returns the inverse ops to submit as new ops;
// redo returns the forward ops again. A new edit clears the redo list. At most kMax edits kept.
class EditHistory {
 public:
  static constexpr std::size_t kMax = 100;
  void push(Edit e);
  bool can_undo() const { return !done_.empty(); }
  bool can_redo() const { return !undone_.empty(); }
  const std::string& undo_label() const;  // "" when nothing to undo
  const std::string& redo_label() const;
  std::vector<DraftOp> undo();  // empty when nothing to undo
  std::vector<DraftOp> redo();
  std::size_t size() const { return done_.size(); }

 private:
  std::vector<Edit> done_, undone_;
};

// An outline change as an edit: set `outline` on the place, undone by setting its current one.
Edit outline_edit(const State& s, std::string_view place, const Id& id, std::string_view outline, std::string label);
// A role given (grant = true) or taken back, as an edit with its inverse. Giving a grid's leader
// role to someone else is undone by giving it back to the previous leader (or revoking it).
Edit role_edit(const State& s, const Id& person, Role role, const Id& scope, bool grant, std::string label);


// [SECTION] Removing places (decision 0026)
// place.remove for a "compound" | "building" | "unit"; the reducer refuses while anything hangs on it.
DraftOp remove_op(std::string_view place, const Id& id);
// Whether place.remove would be accepted now: accepted(), or the reducer's refusal with its reason
// (nothing under it, nobody living or leading there, a compound in no grid). Defined with the rules.
Outcome place_removable(const State& s, std::string_view place, const Id& id);
// The op that adds the place back as it is now (name, parent, point, outline); empty if unknown.
std::vector<DraftOp> readd_ops(const State& s, std::string_view place, const Id& id);
// Removing a place as an edit, undone by adding it back with the same id.
Edit remove_edit(const State& s, std::string_view place, const Id& id, std::string label);
// grid.compound.move: the compound into `grid`, or out of every grid when `grid` is "" (revision
// 2026-11-27 of decision 0026). As an edit it is undone by moving it back where `s` has it.
DraftOp compound_move_op(const Id& compound, const Id& grid);
Edit compound_move_edit(const State& s, const Id& compound, const Id& grid, std::string label);
// Confirmed import (or any added places) as one edit: undo removes what it added, last first, and
// sets changed outlines back to what `s` (the state before the ops) holds; redo sends them again.
Edit import_edit(const State& s, const std::vector<DraftOp>& ops, std::string label);

}  // namespace sihui::core
