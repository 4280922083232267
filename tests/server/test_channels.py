"""Channels through sync's redaction (decision 0024): the title and text of a post in a members-only
channel reach its members, its author and staff; everyone else (a resident outside it, anonymous
readers) gets masks in their place, and the op itself still arrives, so post counts add up on every
device. Posts of an open channel (南广场建设群) are public. A staff-assigned channel cannot be joined
by a resident, on the server's mirror as in the core.
"""

from __future__ import annotations

import json

from sync_support import SyncCase, op, with_postgres

MASK = "\u2022\u2022\u2022"
SECRET_TITLE, SECRET_TEXT = "今晚楼道消防检查", "请把电动车推出楼道"
PARTY_TEXT = "周六党员志愿服务"
PUBLIC_TEXT = "南广场下周铺地砖"


class ChannelRedactionTests(SyncCase):
    """A grid leader L (member of 安全群), a member M, a non-member N, staff, anonymous."""

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.leader = cls.resident("网格长", "u1", phone="13900000021")
        cls.grant(cls.leader.person, "grid_leader", "g1")
        cls.member = cls.resident("居民甲", "u1", phone="13900000022")
        cls.outsider = cls.resident("居民乙", "u2", phone="13900000023")
        cls.push_ok(cls.staff, [
            op("channel.add", {"id": "safety", "name": "安全群"}),
            op("channel.add", {"id": "party", "name": "网格党员群", "assigned": True}),
            op("channel.add", {"id": "square", "name": "南广场建设群", "members_only": False}),
            op("channel.join", {"channel": "party", "person": cls.leader.person}),
            op("channel.post", {"channel": "square", "title": PUBLIC_TEXT}),
        ])
        cls.push_ok(cls.leader, [op("channel.join", {"channel": "safety"})])
        cls.push_ok(cls.member, [op("channel.join", {"channel": "safety"})])
        # A resident cannot put themselves in a staff-assigned channel: the op is kept (refused by
        # the reducer), and the mirror does not count them in, so they still get masks there.
        cls.push_ok(cls.outsider, [op("channel.join", {"channel": "party"})])
        cls.push_ok(cls.leader, [
            op("channel.post", {"channel": "safety", "title": SECRET_TITLE, "text": SECRET_TEXT}),
            op("channel.post", {"channel": "party", "title": "通知", "text": PARTY_TEXT}),
        ])

    def posts(self, session) -> list[dict]:
        return [o for o in self.pull_all(session)["ops"] if o["kind"] == "channel.post"]

    def by_channel(self, session) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for o in self.posts(session):
            out.setdefault(o["payload"]["channel"], []).append(o["payload"])
        return out

    def test_members_author_and_staff_read_the_post(self):
        for name, who in (("leader", self.leader), ("member", self.member), ("staff", self.staff)):
            with self.subTest(reader=name):
                got = self.by_channel(who)
                self.assertEqual(got["safety"], [{"channel": "safety", "title": SECRET_TITLE, "text": SECRET_TEXT}])
        self.assertEqual(self.by_channel(self.leader)["party"][0]["text"], PARTY_TEXT)
        self.assertEqual(self.by_channel(self.staff)["party"][0]["text"], PARTY_TEXT)

    def test_non_members_get_masks_and_the_count_still_adds_up(self):
        for name, who in (("outsider", self.outsider), ("member of another channel", self.member), ("anonymous", None)):
            with self.subTest(reader=name):
                ops = self.posts(who)
                self.assertEqual(len(ops), 3)  # masked, never removed
                got = self.by_channel(who)
                text = json.dumps(ops, ensure_ascii=False)
                self.assertNotIn(PARTY_TEXT, text)
                self.assertEqual(got["party"][0]["title"], MASK)
                self.assertEqual(got["party"][0]["text"], MASK)
                self.assertEqual(got["square"][0]["title"], PUBLIC_TEXT)  # an open channel is public
                if who is not self.member:
                    self.assertNotIn(SECRET_TITLE, text)
                    self.assertNotIn(SECRET_TEXT, text)
                    self.assertEqual(got["safety"][0], {"channel": "safety", "title": MASK, "text": MASK})

    def test_joining_later_opens_the_old_posts_and_leaving_closes_them(self):
        """Membership is read at pull time (as roles are, decision 0009)."""
        late = self.resident("居民丙", "u2", phone="13900000024")
        self.assertEqual(self.by_channel(late)["safety"][0]["title"], MASK)
        self.push_ok(late, [op("channel.join", {"channel": "safety"})])
        self.assertEqual(self.by_channel(late)["safety"][0]["title"], SECRET_TITLE)
        self.push_ok(late, [op("channel.leave", {"channel": "safety"})])
        self.assertEqual(self.by_channel(late)["safety"][0]["title"], MASK)

    def test_a_member_is_not_served_the_public_snapshot(self):
        """The public snapshot holds masked posts: a member of a members-only channel pulls the log."""
        import importlib.util
        import os
        import sys
        spec = importlib.util.spec_from_file_location(
            "serve_for_test", os.path.join(os.path.dirname(__file__), "..", "..", "serve.py"))
        serve = importlib.util.module_from_spec(spec)
        sys.modules["serve_for_test"] = serve  # dataclasses look their module up
        spec.loader.exec_module(serve)
        self.assertEqual(serve.snapshot_class(serve.Reader("p1")), "public")
        self.assertIsNone(serve.snapshot_class(serve.Reader("p1", channels=frozenset({"safety"}))))
        self.assertEqual(serve.snapshot_class(serve.Reader("p1", staff=True, channels=frozenset({"safety"}))), "staff")


with_postgres(globals(), ChannelRedactionTests)
