"""Redaction (decision 0009): pull as each kind of reader and check every personal field
of every op: masked ("•••", or a list of them) where that reader may not see it, present
where it may.
"""

from __future__ import annotations

import json
import os

from sync_support import ADMIN, SyncCase, op, with_postgres

MASK = "\u2022\u2022\u2022"
SCHEMA = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                      "assets", "schema", "ops.json")


def personal_fields() -> dict[str, list[str]]:
    with open(SCHEMA, encoding="utf-8") as f:
        doc = json.load(f)
    return {k["kind"]: [p[len("payload."):] for p in k.get("personal", [])] for k in doc["kinds"]}


class RedactionTests(SyncCase):
    """Readers: anonymous, resident A (grid g1), other resident C (grid g2), A's proxy P,
    grid leader L of g2, staff, clinic member K, canteen staff N."""

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.a = cls.resident("居民甲", "u1", phone="13900000001")
        cls.c = cls.resident("居民丙", "u2", phone="13900000003")
        cls.p = cls.resident("代理人", "u1", phone="13900000004")
        cls.l = cls.resident("网格长", "u2", phone="13900000005")
        cls.k = cls.resident("调解员", "u1", phone="13900000006")
        cls.n = cls.resident("食堂员", "u2", phone="13900000007")
        cls.grant(cls.l.person, "grid_leader", "g2")
        cls.grant(cls.k.person, "clinic")
        cls.grant(cls.n.person, "canteen_staff")
        cls.push_ok(cls.a, [op("proxy.grant", {"elder": cls.a.person, "proxy": cls.p.person})])
        cls.labels: dict[str, str] = {}  # op id -> label of the ops made here
        cls.sent: dict[str, dict] = {}  # op id -> payload as pushed

        def push(session, label, kind, payload):
            o = op(kind, payload)
            cls.labels[o["id"]] = label
            cls.sent[o["id"]] = payload
            cls.push_ok(session, [o])

        push(cls.a, "a.book", "canteen.book", {"sitting": "s1", "diet": "少盐"})
        push(cls.c, "c.book", "canteen.book", {"sitting": "s1", "diet": "素食"})
        push(cls.n, "n.exception.a", "canteen.exception.grant", {"person": cls.a.person, "reason": "独居"})
        push(cls.a, "a.request", "service.request", {"id": "sr1", "service": "groceries", "note": "买米"})
        push(cls.c, "c.request.for.a", "service.request", {"id": "sr2", "service": "groceries", "for": cls.a.person,
                                                          "note": "帮甲买药"})
        push(cls.k, "k.case", "clinic.case.open", {"id": "case1", "category": "noise", "parties": ["甲", "丙"],
                                                    "complaint": "楼上噪音"})
        push(cls.k, "k.session", "clinic.case.session", {"case": "case1", "diagnosis": "d", "prescription": "p"})
        push(cls.staff, "staff.update.c", "person.update", {"person": cls.c.person, "phone": "13911111111"})
        push(cls.staff, "staff.add.x", "person.add", {"id": "p-x", "name": "新人", "birth_year": 1990, "unit": "u2"})
        pulled = cls.pull_all(cls.staff)["ops"]
        for o in pulled:
            if o["kind"] == "person.add" and o["id"] not in cls.labels:
                cls.labels[o["id"]] = "person." + o["payload"]["id"]
            if o["kind"] == "community.init":
                cls.labels[o["id"]] = "init"

    def expected(self) -> dict[str, set[str]]:
        """Reader -> labels of the ops whose personal fields it sees (all of them, except canteen staff:
        only diet and reason)."""
        a, c, p, l, k, n = (s.person for s in (self.a, self.c, self.p, self.l, self.k, self.n))
        everyone_but_clinic = {lbl for lbl in self.labels.values() if not lbl.startswith("k.")}
        return {
            "anonymous": set(),
            "resident": {f"person.{a}", "a.book", "n.exception.a", "a.request", "c.request.for.a"},
            "other resident": {f"person.{c}", "c.book", "c.request.for.a", "staff.update.c"},
            "proxy": {f"person.{p}", f"person.{a}", "a.book", "n.exception.a", "a.request", "c.request.for.a"},
            # g2 holds u2: C, L, N and p-x live there.
            "grid leader of another grid": {f"person.{c}", f"person.{l}", f"person.{n}", "person.p-x",
                                             "c.book", "staff.update.c", "staff.add.x"},
            "staff": everyone_but_clinic,
            "clinic member": {f"person.{k}", "k.case", "k.session"},
            "canteen staff": {f"person.{n}", "n.exception.a", "a.book", "c.book"},
        }

    def readers(self) -> dict:
        return {"anonymous": None, "resident": self.a, "other resident": self.c, "proxy": self.p,
                "grid leader of another grid": self.l, "staff": self.staff, "clinic member": self.k,
                "canteen staff": self.n}

    def test_each_reader_sees_exactly_its_personal_fields(self):
        personal = personal_fields()
        expected = self.expected()
        raw = {o["id"]: o for o in self.pull_all(self.staff)["ops"]}
        for op_id, payload in self.sent.items():  # staff does not see clinic fields: use what was sent
            raw[op_id] = dict(raw[op_id], payload=payload)
        checked = 0
        for reader, session in self.readers().items():
            ops = self.pull_all(session)["ops"]
            self.assertEqual([o["id"] for o in ops], list(raw), reader)  # masking, never removal
            for o in ops:
                label = self.labels.get(o["id"], "")
                for name in personal[o["kind"]]:
                    if name not in o["payload"]:
                        continue
                    value, original = o["payload"][name], raw[o["id"]]["payload"][name]
                    masked = value == MASK or (isinstance(value, list) and value and all(v == MASK for v in value))
                    visible = label in expected[reader]
                    if reader == "canteen staff" and name not in ("diet", "reason") and label not in (
                            f"person.{self.n.person}",):
                        visible = False
                    if reader == "staff" and o["author"] == ADMIN and o["kind"] == "community.init":
                        visible = True
                    # L leads grid g2: L's name is public, L's phone seen by the residents of g2 (C, N).
                    if label == f"person.{self.l.person}":
                        if name == "name":
                            visible = True
                        elif name == "phone" and reader in ("other resident", "canteen staff"):
                            visible = True
                    with self.subTest(reader=reader, op=label or o["kind"], field=name):
                        if visible:
                            self.assertEqual(value, original)
                        else:
                            self.assertTrue(masked, value)
                            if isinstance(original, list):
                                self.assertEqual(len(value), len(original))
                        checked += 1
                # Fields that are not personal are never touched.
                for name, value in o["payload"].items():
                    if name not in personal[o["kind"]]:
                        self.assertEqual(value, raw[o["id"]]["payload"][name])
        self.assertGreater(checked, 150)

    def test_staff_does_not_see_clinic_fields(self):
        ops = self.pull_all(self.staff)["ops"]
        case = [o for o in ops if self.labels.get(o["id"]) == "k.case"][0]
        self.assertEqual(case["payload"]["parties"], [MASK, MASK])
        self.assertEqual(case["payload"]["complaint"], MASK)
        self.assertEqual(case["payload"]["category"], "noise")

    def test_a_leaders_name_is_public_and_the_phone_reaches_only_the_grid_it_serves(self):
        def leader_add(session):
            return [o for o in self.pull_all(session)["ops"]
                    if o["kind"] == "person.add" and o["payload"]["id"] == self.l.person][0]["payload"]
        anon = leader_add(None)
        self.assertEqual(anon["name"], "网格长")
        self.assertEqual(anon["phone"], MASK)
        self.assertEqual(leader_add(self.a)["phone"], MASK)        # A lives in g1: not L's grid
        self.assertEqual(leader_add(self.c)["phone"], "13900000005")  # C lives in g2
        # Another resident's name stays masked for an anonymous reader.
        other = [o for o in self.pull_all(None)["ops"]
                 if o["kind"] == "person.add" and o["payload"]["id"] == self.c.person][0]["payload"]
        self.assertEqual(other["name"], MASK)

    def test_no_personal_text_reaches_an_anonymous_reader(self):
        status, doc, resp = self.call("GET", "/api/v1/ops?limit=5000")
        text = json.dumps(doc, ensure_ascii=False)
        for secret in ("居民甲", "13900000001", "少盐", "独居", "买米", "楼上噪音", "张霞"):
            self.assertNotIn(secret, text)


with_postgres(globals(), RedactionTests)
