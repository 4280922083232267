"""Moral-clinic cases through sync's redaction (decision 0009; issue 7 part 2): every personal
field of every clinic op (parties, complaint, diagnosis, prescription, follow-up and closing
notes) reaches clinic members only; everyone else, staff included, gets masks in their place,
while the category and the outcome stay readable so the committee's monthly counts and
resolution rate add up on every device.
"""

from __future__ import annotations

import json

from sync_support import SyncCase, op, with_postgres

MASK = "\u2022\u2022\u2022"
SECRETS = ("王家", "李家", "楼上半夜跺脚", "作息不同", "约定十点后安静", "已经安静多了", "双方握手言和")


class ClinicRedactionTests(SyncCase):
    """Clinic members K1 (opens the case) and K2; staff; a resident R; a volunteer V; anonymous."""

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.k1 = cls.resident("调解员一", "u1", phone="13900000011")
        cls.k2 = cls.resident("调解员二", "u2", phone="13900000012")
        cls.r = cls.resident("居民", "u1", phone="13900000013")
        cls.v = cls.resident("志愿者", "u2", phone="13900000014")
        cls.grant(cls.k1.person, "clinic")
        cls.grant(cls.k2.person, "clinic")
        cls.grant(cls.v.person, "volunteer")
        cls.push_ok(cls.k1, [
            op("clinic.case.open", {"id": "kc1", "category": "noise", "parties": ["王家", "李家"],
                                    "complaint": "楼上半夜跺脚"}),
            op("clinic.case.session", {"case": "kc1", "diagnosis": "作息不同", "prescription": "约定十点后安静"}),
            op("clinic.case.followup", {"case": "kc1", "note": "已经安静多了"}),
            op("clinic.case.close", {"case": "kc1", "outcome": "resolved", "note": "双方握手言和"}),
        ])

    def clinic_ops(self, session) -> list[dict]:
        return [o for o in self.pull_all(session)["ops"] if o["kind"].startswith("clinic.case.")]

    def test_clinic_members_see_every_detail(self):
        for who in (self.k1, self.k2):
            ops = self.clinic_ops(who)
            self.assertEqual(len(ops), 4)
            text = json.dumps(ops, ensure_ascii=False)
            for secret in SECRETS:
                self.assertIn(secret, text)

    def test_nobody_outside_the_clinic_reads_a_case(self):
        for name, who in (("staff", self.staff), ("resident", self.r), ("volunteer", self.v), ("anonymous", None)):
            ops = self.clinic_ops(who)
            with self.subTest(reader=name):
                self.assertEqual(len(ops), 4)  # masked, never removed: counts add up everywhere
                text = json.dumps(ops, ensure_ascii=False)
                for secret in SECRETS:
                    self.assertNotIn(secret, text)
                by_kind = {o["kind"]: o["payload"] for o in ops}
                self.assertEqual(by_kind["clinic.case.open"]["parties"], [MASK, MASK])
                self.assertEqual(by_kind["clinic.case.open"]["complaint"], MASK)
                self.assertEqual(by_kind["clinic.case.session"]["diagnosis"], MASK)
                self.assertEqual(by_kind["clinic.case.session"]["prescription"], MASK)
                self.assertEqual(by_kind["clinic.case.followup"]["note"], MASK)
                self.assertEqual(by_kind["clinic.case.close"]["note"], MASK)
                # What the committee's chart needs stays readable.
                self.assertEqual(by_kind["clinic.case.open"]["category"], "noise")
                self.assertEqual(by_kind["clinic.case.close"]["outcome"], "resolved")

    def test_granting_clinic_later_opens_the_old_cases(self):
        """The role is read at pull time: a new member pulls the whole history unmasked."""
        newcomer = self.resident("新调解员", "u1", phone="13900000015")
        self.assertNotIn("楼上半夜跺脚", json.dumps(self.clinic_ops(newcomer), ensure_ascii=False))
        self.grant(newcomer.person, "clinic")
        self.assertIn("楼上半夜跺脚", json.dumps(self.clinic_ops(newcomer), ensure_ascii=False))


with_postgres(globals(), ClinicRedactionTests)
