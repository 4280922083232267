// rules_services: the warm-nest service supermarket (requests, a volunteer takes one, both confirm,
// money errands confirmed with the same amount, the hours ledger) and the moral clinic (duty
// roster, cases with sessions, follow-ups and an outcome).
#include "core/reducer_internal.h"

namespace sihui::core::rules {

namespace {
Outcome request_state(const ServiceRequest& r) {
  return refused(Reason::service_state).with("status", std::string(enum_name(r.status)));
}
}  // namespace

Outcome services(Ctx& c) {
  State& s = c.s;
  const Payload& p = c.p;
  switch (c.op.kind) {
    case Kind::service_add: {
      const Id& id = p.str("id");
      if (s.services.count(id)) return refused(Reason::id_taken).with("id", id);
      s.services[id] = Service{id, p.str("name"), p.flag("money"), p.num("minutes", 60)};
      return accepted();
    }
    case Kind::service_request: {
      const Id& id = p.str("id");
      if (s.requests.count(id)) return refused(Reason::id_taken).with("id", id);
      if (!s.services.count(p.str("service"))) return refused(Reason::no_service);
      Person* t = nullptr;
      if (auto o = target_person(c, "for", &t); !o.accepted()) return o;
      ServiceRequest r;
      r.id = id;
      r.service = p.str("service");
      r.for_person = t->id;
      r.by = c.author->id;
      r.note = p.str("note");
      r.amount_fen = p.num("amount_fen");
      r.wanted_at = p.num("wanted_at");
      r.made_at = c.op.made_at;
      s.requests.emplace(id, std::move(r));
      return accepted();
    }
    case Kind::service_take:
    case Kind::service_done:
    case Kind::service_confirm:
    case Kind::service_cancel: {
      ServiceRequest* r = find(s.requests, p.str("request"));
      if (!r) return refused(Reason::no_request);
      const Person& a = *c.author;
      if (c.op.kind == Kind::service_take) {
        if (r->status != RequestStatus::open) return request_state(*r);
        if (a.id == r->for_person || a.id == r->by) return refused(Reason::service_own);
        r->status = RequestStatus::taken;
        r->volunteer = a.id;
        return accepted();
      }
      if (c.op.kind == Kind::service_done) {
        if (a.id != r->volunteer) return refused(Reason::service_not_taker);
        if (r->status != RequestStatus::taken) return request_state(*r);
        const Service& sv = s.services.at(r->service);
        if (sv.money && !p.has("amount_fen")) return refused(Reason::service_amount_required);
        r->status = RequestStatus::done;
        r->minutes = p.num("minutes");
        r->volunteer_amount_fen = sv.money ? p.num("amount_fen") : -1;
        r->done_at = c.op.made_at;
        return accepted();
      }
      Person* elder = find(s.persons, r->for_person);
      bool for_elder = elder && may_act_for(s, a, *elder) && a.id != r->volunteer;
      if (c.op.kind == Kind::service_confirm) {
        if (!for_elder) return refused(Reason::act_for);
        if (r->status != RequestStatus::done) return request_state(*r);
        const Service& sv = s.services.at(r->service);
        if (sv.money) {
          if (!p.has("amount_fen")) return refused(Reason::service_amount_required);
          if (p.num("amount_fen") != r->volunteer_amount_fen)
            return refused(Reason::service_amount_mismatch)
                .with("volunteer_fen", r->volunteer_amount_fen)
                .with("elder_fen", p.num("amount_fen"));
          r->elder_amount_fen = p.num("amount_fen");
        }
        r->status = RequestStatus::confirmed;
        r->confirmed_at = c.op.made_at;
        if (Person* v = find(s.persons, r->volunteer)) {
          v->volunteer_minutes += r->minutes;
          ++v->services_done;
        }
        return accepted();
      }
      // cancel: the elder's side or staff, while nobody has finished it
      if (!for_elder && a.id != r->by) return refused(Reason::act_for);
      if (r->status != RequestStatus::open && r->status != RequestStatus::taken) return request_state(*r);
      r->status = RequestStatus::cancelled;
      return accepted();
    }
    case Kind::clinic_roster_set: {
      std::set<Id> members;
      for (const auto& m : p.list("members")) {
        Person* t = find(s.persons, m);
        if (!t) return refused(Reason::no_person);
        if (!has_role(*t, Role::clinic)) return refused(Reason::clinic_not_member).with("name", t->name);
        members.insert(m);
      }
      if (members.empty()) s.clinic_roster.erase(p.num("weekday"));
      else s.clinic_roster[p.num("weekday")] = std::move(members);
      return accepted();
    }
    case Kind::clinic_case_open: {
      const Id& id = p.str("id");
      if (s.cases.count(id)) return refused(Reason::id_taken).with("id", id);
      ClinicCase k;
      k.id = id;
      k.category = p.str("category");
      k.parties = p.list("parties");
      k.complaint = p.str("complaint");
      k.opened_by = c.author->id;
      k.opened_at = c.op.made_at;
      s.cases.emplace(id, std::move(k));
      return accepted();
    }
    case Kind::clinic_case_session:
    case Kind::clinic_case_followup:
    case Kind::clinic_case_close: {
      ClinicCase* k = find(s.cases, p.str("case"));
      if (!k) return refused(Reason::no_case);
      if (k->outcome != CaseOutcome::open) return refused(Reason::clinic_case_closed);
      if (c.op.kind == Kind::clinic_case_close) {
        enum_from_name(p.str("outcome"), &k->outcome);
        k->outcome_note = p.str("note");
        k->closed_at = c.op.made_at;
        return accepted();
      }
      CaseEntry e;
      e.at = c.op.made_at;
      e.by = c.author->id;
      e.followup = c.op.kind == Kind::clinic_case_followup;
      e.diagnosis = p.str("diagnosis");
      e.prescription = p.str("prescription");
      e.note = p.str("note");
      k->entries.push_back(std::move(e));
      return accepted();
    }
    default: break;
  }
  return refused(Reason::op_invalid);
}

}  // namespace sihui::core::rules
