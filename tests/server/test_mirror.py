"""The server's mirror of the people rules (serve.Mirror), in process: a grant or a person the
reducer would refuse must not count for the gate or redaction either (src/core/rules_people.cpp)."""

from __future__ import annotations

import importlib.util
import os
import sys
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_spec = importlib.util.spec_from_file_location("serve", os.path.join(REPO, "serve.py"))
serve = importlib.util.module_from_spec(_spec)
sys.modules["serve"] = serve  # dataclasses look their module up while the file runs
_spec.loader.exec_module(serve)


class MirrorTests(unittest.TestCase):
    def setUp(self):
        self.m = serve.Mirror(serve.OpSchema.load(serve.SCHEMA_FILE))
        self.m.apply("community.init", "admin", {"name": "x", "admin_name": "y"})
        for kind, p in [("place.compound.add", {"id": "c1"}), ("place.building.add", {"id": "b1", "compound": "c1"}),
                        ("place.unit.add", {"id": "u1", "building": "b1"}), ("grid.add", {"id": "g1", "compounds": ["c1"]}),
                        ("person.add", {"id": "p1", "unit": "u1"}), ("person.add", {"id": "p2", "unit": "u1"})]:
            self.m.apply(kind, "admin", dict(p, name="n", birth_year=1950))

    def roles(self, person):
        return {(r["role"], r["scope"]) for r in self.m.roles_of(person)}

    def test_places_and_grid_of_a_person(self):
        self.assertEqual(self.m.grid_of(self.m.persons["p1"]), "g1")
        self.m.apply("grid.add", "admin", {"id": "g2", "compounds": ["c1"]})  # c1 already has a grid: refused
        self.assertNotIn("g2", self.m.grids)
        self.m.apply("place.building.add", "admin", {"id": "b9", "compound": "nowhere"})
        self.assertNotIn("b9", self.m.buildings)

    def test_a_place_with_a_bad_outline_is_not_a_place(self):
        # The core refuses these (reason.place.bad_outline), so the mirror must not count them.
        self.m.apply("place.building.add", "admin", {"id": "b8", "compound": "c1", "outline": "1,1;2,2"})
        self.assertNotIn("b8", self.m.buildings)
        self.m.apply("place.compound.add", "admin", {"id": "c8", "outline": "1,1;2,x;3,3"})
        self.assertNotIn("c8", self.m.compounds)
        self.m.apply("place.building.add", "admin", {"id": "b7", "compound": "c1", "outline": "1,1;2,1;2,2"})
        self.assertEqual(self.m.buildings["b7"], "c1")
        self.assertFalse(serve.outline_ok("1,1;2,1;181000000,2"))

    def test_place_remove_follows_the_core(self):
        # As place_removable in src/core/rules_people.cpp (decision 0026): refused while anything hangs on it.
        rm = lambda place, pid, who="admin": self.m.apply("place.remove", who, {"place": place, "id": pid})  # noqa: E731
        rm("unit", "u1")  # p1 and p2 live there
        rm("building", "b1")  # u1 under it
        rm("compound", "c1")  # in grid g1
        self.assertEqual((set(self.m.units), set(self.m.buildings), set(self.m.compounds)), ({"u1"}, {"b1"}, {"c1"}))
        for kind, p in [("place.compound.add", {"id": "c2", "point_x": 1, "point_y": 2}),
                        ("place.building.add", {"id": "b2", "compound": "c2"}),
                        ("place.unit.add", {"id": "u2", "building": "b2"}), ("household.add", {"id": "h2", "unit": "u2"})]:
            self.m.apply(kind, "admin", dict(p, name="n"))
        rm("unit", "u2")  # a household
        self.assertIn("u2", self.m.units)
        self.m.households.pop("h2")  # (no op moves a household; the rule is what is tested here)
        self.m.apply("role.grant", "admin", {"person": "p1", "role": "unit_leader", "scope": "u2"})
        rm("unit", "u2")  # its leader
        self.assertIn("u2", self.m.units)
        self.m.apply("role.revoke", "admin", {"person": "p1", "role": "unit_leader", "scope": "u2"})
        rm("unit", "u2", who="p1")  # not staff
        self.assertIn("u2", self.m.units)
        rm("unit", "u2")
        self.m.apply("role.grant", "admin", {"person": "p1", "role": "building_leader", "scope": "b2"})
        rm("building", "b2")
        self.assertIn("b2", self.m.buildings)
        self.m.apply("role.revoke", "admin", {"person": "p1", "role": "building_leader", "scope": "b2"})
        rm("building", "b2")
        rm("compound", "c2")
        self.assertNotIn("u2", self.m.units)
        self.assertNotIn("b2", self.m.buildings)
        self.assertNotIn("c2", self.m.compounds)
        self.assertNotIn("c2", self.m.points)
        # A removed place is no scope and no home; adding its id again (undo) brings it back.
        self.m.apply("role.grant", "admin", {"person": "p1", "role": "building_leader", "scope": "b2"})
        self.assertEqual(self.roles("p1"), set())
        self.m.apply("place.compound.add", "admin", {"id": "c2", "name": "n"})
        self.assertEqual(self.m.compounds["c2"], "")
        self.assertIn("place.remove", serve.MIRROR_KINDS)

    def test_grid_compound_move_follows_the_core(self):
        # As grid.compound.move in src/core/rules_people.cpp: staff, or a grid leader of both grids.
        mv = lambda c, g=None, who="admin": self.m.apply("grid.compound.move", who, {"compound": c, "grid": g})  # noqa: E731
        self.m.apply("grid.add", "admin", {"id": "g2", "name": "n"})
        self.m.apply("role.grant", "admin", {"person": "p2", "role": "grid_leader", "scope": "g2"})
        self.m.apply("role.grant", "admin", {"person": "p1", "role": "grid_worker", "scope": "g1"})
        mv("c1", "g2", who="p2")  # p2 leads g2, not g1, where c1 is
        mv("c1", None, who="p1")  # a grid worker: not a role of this kind
        mv("c1", "g-none")
        mv("nowhere", "g2")
        self.assertEqual(self.m.compounds["c1"], "g1")
        self.assertTrue(self.m.works_grid(self.m.persons["p1"], self.m.grid_of(self.m.persons["p1"])))
        mv("c1", "g2")  # staff: its residents now belong to g2 (redaction follows)
        self.assertEqual(self.m.grid_of(self.m.persons["p1"]), "g2")
        self.assertFalse(self.m.works_grid(self.m.persons["p1"], "g2"))
        mv("c1", None, who="p2")  # p2 leads g2: out of their own grid
        self.assertEqual(self.m.compounds["c1"], "")
        mv("c1", "g1", who="p2")  # not into a grid they do not lead
        self.assertEqual(self.m.compounds["c1"], "")
        mv("c1", "g2", who="p2")
        self.assertEqual(self.m.compounds["c1"], "g2")
        self.assertIn("grid.compound.move", serve.MIRROR_KINDS)

    def test_grants_need_a_present_person_and_a_real_scope(self):
        self.m.apply("role.grant", "admin", {"person": "ghost", "role": "clinic"})
        self.assertNotIn("ghost", self.m.persons)
        self.m.apply("role.grant", "admin", {"person": "p1", "role": "grid_worker", "scope": "g-none"})
        self.m.apply("role.grant", "admin", {"person": "p1", "role": "grid_worker"})
        self.assertEqual(self.roles("p1"), set())
        self.m.apply("role.grant", "admin", {"person": "p1", "role": "clinic", "scope": "ignored"})
        self.assertEqual(self.roles("p1"), {("clinic", "")})

    def test_only_staff_may_grant(self):
        self.m.apply("role.grant", "p1", {"person": "p1", "role": "staff"})
        self.assertEqual(self.roles("p1"), set())

    def test_grid_leader_moves(self):
        self.m.apply("role.grant", "admin", {"person": "p1", "role": "grid_leader", "scope": "g1"})
        self.m.apply("grid.set_leader", "admin", {"grid": "g1", "person": "p2"})
        self.assertEqual(self.roles("p1"), set())
        self.assertEqual(self.roles("p2"), {("grid_leader", "g1")})
        self.assertTrue(self.m.reader("p2").grids == frozenset({"g1"}))

    def test_last_staff_stays(self):
        self.m.apply("role.revoke", "admin", {"person": "admin", "role": "staff"})
        self.assertEqual(self.roles("admin"), {("staff", "")})
        self.m.apply("person.leave", "admin", {"person": "admin"})
        self.assertFalse(self.m.persons["admin"].left)

    def test_a_person_who_left_has_no_roles(self):
        self.m.apply("role.grant", "admin", {"person": "p1", "role": "volunteer"})
        self.m.apply("person.leave", "admin", {"person": "p1"})
        self.assertEqual(self.m.roles_of("p1"), [])
        self.assertFalse(self.m.reader("p1").staff)
        self.m.apply("role.grant", "admin", {"person": "p1", "role": "volunteer"})  # refused: left

    def test_proxies(self):
        self.m.apply("proxy.grant", "p2", {"elder": "p1", "proxy": "p2"})  # not the elder, not staff: refused
        self.assertEqual(self.m.persons["p1"].proxies, set())
        self.m.apply("proxy.grant", "p1", {"elder": "p1", "proxy": "p2"})
        self.assertEqual(self.m.persons["p1"].proxies, {"p2"})
        self.m.apply("proxy.revoke", "p2", {"elder": "p1", "proxy": "p2"})  # the proxy may step down
        self.assertEqual(self.m.persons["p1"].proxies, set())

    def test_person_add_needs_a_known_unit_and_tags(self):
        self.m.apply("person.add", "admin", {"id": "p3", "unit": "u-none", "name": "n", "birth_year": 1950})
        self.m.apply("person.add", "admin", {"id": "p4", "unit": "u1", "tags": ["bogus"], "name": "n",
                                             "birth_year": 1950})
        self.assertNotIn("p3", self.m.persons)
        self.assertNotIn("p4", self.m.persons)

    def test_nothing_counts_before_init(self):
        m = serve.Mirror(self.m.schema)
        m.apply("place.compound.add", "admin", {"id": "c1"})
        self.assertEqual(m.compounds, {})


if __name__ == "__main__":
    unittest.main()
