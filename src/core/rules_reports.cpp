// rules_reports: problem reports routed to the grid leader, the status chain
// registered -> accepted -> dispatched -> handled -> reviewed -> closed, reopening, comments,
// the reporter's rating and links between reports.
#include "core/categories.h"
#include "core/civil.h"
#include "core/reducer_internal.h"

namespace sihui::core::rules {

namespace {
Outcome bad_transition(const Report& r) {
  return refused(Reason::report_transition).with("status", std::string(enum_name(r.status)));
}
void step(Ctx& c, Report& r, ReportAction a, std::string note = {}, std::vector<std::string> photos = {}) {
  r.timeline.push_back(ReportStep{c.op.made_at, c.author->id, a, std::move(note), std::move(photos)});
}

Outcome file(Ctx& c) {
  State& s = c.s;
  const Payload& p = c.p;
  const Id& id = p.str("id");
  if (s.reports.count(id)) return refused(Reason::id_taken).with("id", id);
  Report r;
  r.id = id;
  r.reporter = c.author->id;
  enum_from_name(p.str("category"), &r.category);
  r.subtype = p.str("subtype");
  if (!subtype_in(r.subtype, r.category)) return refused(Reason::report_subtype);
  // Resolve the place from the most precise one given: unit -> building -> compound.
  r.unit = p.str("unit");
  r.building = p.str("building");
  r.compound = p.str("compound");
  if (!r.unit.empty()) {
    Unit* u = find(s.units, r.unit);
    if (!u) return refused(Reason::no_unit);
    r.building = u->building;
  }
  if (!r.building.empty()) {
    Building* b = find(s.buildings, r.building);
    if (!b) return refused(Reason::no_building);
    r.compound = b->compound;
  }
  if (!r.compound.empty()) {
    Compound* cp = find(s.compounds, r.compound);
    if (!cp) return refused(Reason::no_compound);
    r.grid = cp->grid;
  }
  r.has_point = p.has("point_x") && p.has("point_y");
  if (r.compound.empty() && !r.has_point) return refused(Reason::report_no_location);
  r.point_x = p.num("point_x");
  r.point_y = p.num("point_y");
  r.description = p.str("description");
  r.photos = p.list("photos");
  r.priority = p.num("priority", 2);
  r.caller_name = p.str("caller_name");  // masked ("•••") where this reader may not see them
  r.caller_phone = p.str("caller_phone");
  if (Grid* g = find(s.grids, r.grid)) r.assignee = g->leader;
  r.filed_at = c.op.made_at;
  r.due_at = c.op.made_at + due_hours(r.category) * kMsPerHour;
  r.timeline.reserve(8);  // a report's life is filed, accepted, ... closed, rated: grown once, not 4 times
  step(c, r, ReportAction::filed, r.description, r.photos);
  s.reports.emplace(id, std::move(r));
  return accepted();
}
}  // namespace

Outcome reports(Ctx& c) {
  if (c.op.kind == Kind::report_file) return file(c);
  const Payload& p = c.p;
  Report* r = find(c.s.reports, p.str("report"));
  if (!r) return refused(Reason::no_report);
  const Person& a = *c.author;
  const bool leader = leads_grid(a, r->grid);  // staff count as leaders of every grid
  switch (c.op.kind) {
    case Kind::report_accept:
      if (!works_grid(a, r->grid)) return refused(Reason::report_not_your_grid);
      if (r->status != ReportStatus::registered) return bad_transition(*r);
      r->status = ReportStatus::accepted;
      step(c, *r, ReportAction::accepted, p.str("note"));
      return accepted();
    case Kind::report_dispatch: {
      if (!leader) return refused(Reason::report_not_your_grid);
      if (r->status != ReportStatus::accepted && r->status != ReportStatus::dispatched) return bad_transition(*r);
      Person* to = find(c.s.persons, p.str("to"));
      if (!to) return refused(Reason::no_person);
      if (to->left) return refused(Reason::person_left);
      r->status = ReportStatus::dispatched;
      r->handler = to->id;
      step(c, *r, ReportAction::dispatched, p.str("note"));
      return accepted();
    }
    case Kind::report_handle:
      if (!leader && !works_grid(a, r->grid) && a.id != r->handler) return refused(Reason::report_not_handler);
      if (r->status != ReportStatus::accepted && r->status != ReportStatus::dispatched) return bad_transition(*r);
      if (r->handler.empty()) r->handler = a.id;
      r->status = ReportStatus::handled;
      r->handled_at = c.op.made_at;
      step(c, *r, ReportAction::handled, p.str("note"), p.list("photos"));
      return accepted();
    case Kind::report_review:
      if (!leader) return refused(Reason::report_not_your_grid);
      if (r->status != ReportStatus::handled) return bad_transition(*r);
      r->status = ReportStatus::reviewed;
      step(c, *r, ReportAction::reviewed, p.str("note"));
      return accepted();
    case Kind::report_close:
      if (!leader) return refused(Reason::report_not_your_grid);
      if (r->status != ReportStatus::reviewed) return bad_transition(*r);
      r->status = ReportStatus::closed;
      r->closed_at = c.op.made_at;
      step(c, *r, ReportAction::closed, p.str("note"));
      return accepted();
    case Kind::report_reopen:
      if (!leader && a.id != r->reporter) return refused(Reason::report_not_reporter);
      if (r->status != ReportStatus::handled && r->status != ReportStatus::reviewed &&
          r->status != ReportStatus::closed)
        return bad_transition(*r);
      r->status = ReportStatus::registered;
      r->closed_at = 0;
      r->handled_at = 0;
      r->rating = 0;
      r->rating_text.clear();
      ++r->reopen_count;
      r->due_at = c.op.made_at + due_hours(r->category) * kMsPerHour;
      step(c, *r, ReportAction::reopened, p.str("reason"));
      return accepted();
    case Kind::report_comment:
      step(c, *r, ReportAction::commented, p.str("text"), p.list("photos"));
      return accepted();
    case Kind::report_rate:
      if (a.id != r->reporter) return refused(Reason::report_not_reporter);
      if (r->status != ReportStatus::closed) return bad_transition(*r);
      if (r->rating) return refused(Reason::report_already_rated);
      r->rating = p.num("stars");
      r->rating_text = p.str("text");
      step(c, *r, ReportAction::rated, p.str("text"));
      return accepted();
    case Kind::report_link: {
      if (!works_grid(a, r->grid)) return refused(Reason::report_not_your_grid);
      Report* o = find(c.s.reports, p.str("other"));
      if (!o) return refused(Reason::no_report);
      if (o == r) return refused(Reason::report_link_self);
      r->links.insert(ReportLink{o->id, p.str("relation")});
      o->links.insert(ReportLink{r->id, p.str("relation")});
      step(c, *r, ReportAction::linked, o->id);
      return accepted();
    }
    default: break;
  }
  return refused(Reason::op_invalid);
}

}  // namespace sihui::core::rules
