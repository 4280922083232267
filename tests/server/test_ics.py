"""Calendar feeds (issue 7, decision 0019): serve.py serves RFC 5545 feeds made by the native core
tool; Debian's python3-icalendar parses them; a recurring event's rule, EXDATEs and moved occurrences
expand (python3-dateutil) to the same dates as the app's own `life.entries` query; nothing personal is
in any feed; a person's feed is behind a secret token of its own that can be renewed.

Needs the native tool: build/release/src/tools/sihui_snapshot or build/native/src/tools/sihui_snapshot,
and Debian's python3-icalendar (./sihui deps installs it).
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import time
import unittest

from sync_support import SyncCase, op, with_postgres
from test_serve import SERVE

TOP = os.path.dirname(SERVE)
TOOLS = [os.path.join(TOP, "build", b, "src", "tools", "sihui_snapshot") for b in ("release", "native")]
TOOL = next((t for t in TOOLS if os.access(t, os.X_OK)), TOOLS[0])
SCHEMA = os.path.join(TOP, "assets", "schema", "ops.json")
SH = datetime.timezone(datetime.timedelta(hours=8))
DAY = 86_400_000

try:
    import icalendar
    from dateutil.rrule import rrulestr
except ImportError:  # ./sihui deps installs python3-icalendar (and python3-dateutil with it)
    icalendar = None


def ms(d: datetime.datetime) -> int:
    return int(d.timestamp() * 1000)


def local(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> int:
    return ms(datetime.datetime(y, m, d, hh, mm, tzinfo=SH))


@unittest.skipIf(icalendar is None, "python3-icalendar is not installed (apt-get install python3-icalendar)")
class IcsTests(SyncCase):
    server_args = ["--snapshot-tool", TOOL]

    @classmethod
    def setUpClass(cls) -> None:
        assert os.access(TOOL, os.X_OK), f"{TOOL} is missing: build it with ./sihui build"
        super().setUpClass()
        # Dates around the real today: the feed's window is counted from the server's clock.
        today = datetime.datetime.now(SH).date()
        first = today - datetime.timedelta(days=60)
        while first.weekday() != 1:  # a Tuesday, two months ago
            first += datetime.timedelta(days=1)
        cls.tue = [local(first.year, first.month, first.day, 9, 0) + 7 * DAY * i for i in range(30)]
        cls.wang = cls.resident("王秀兰", "u1", phone="13900000001", birth_year=1940)
        cls.li = cls.resident("李建国", "u2", phone="13900000002", birth_year=1942)
        cls.grant(cls.li.person, "teacher")
        cls.push_ok(cls.staff, [
            op("event.add", {"id": "fest", "title": "月月仓南节", "starts_at": local(2026, 1, 10, 9, 0),
                             "duration_min": 180, "rrule": "FREQ=MONTHLY;BYDAY=2SA", "category": "festival",
                             "place": "仓南街广场", "access_note": "无台阶通道, 有助听环路"}),
            op("event.add", {"id": "clinic", "title": "道德门诊", "starts_at": cls.tue[0], "duration_min": 120,
                             "rrule": "FREQ=WEEKLY;BYDAY=TU;COUNT=26", "category": "clinic",
                             "exdates": [cls.tue[3]]}),
            op("event.cancel", {"event": "clinic", "occurrence": cls.tue[5], "reason": "高温"}),
            op("event.override", {"event": "clinic", "occurrence": cls.tue[9], "starts_at": cls.tue[9] + DAY + 5 * 3_600_000,
                                  "place": "社区活动室", "note": "改到周三下午"}),
            op("event.add", {"id": "club", "title": "乒乓球队训练", "starts_at": cls.tue[0] + 2 * DAY,
                             "duration_min": 90, "rrule": "FREQ=WEEKLY;INTERVAL=2;UNTIL=" +
                             datetime.datetime.fromtimestamp((cls.tue[20]) / 1000, SH).strftime("%Y%m%d"),
                             "category": "club"}),
            op("course.add", {"id": "ms", "title": "面塑公益课", "teacher": cls.li.person}),
            op("session.add", {"id": "s1", "course": "ms", "number": 16, "starts_at": cls.tue[12] + 3 * DAY,
                               "duration_min": 120, "seats": 20, "theme": "孔子像"}),
            op("canteen.sitting.add", {"id": "m1", "starts_at": cls.tue[12] + 2 * 3_600_000 + 30 * 60_000,
                                       "meal": "lunch", "seats": 40}),
        ])
        cls.push_ok(cls.wang, [op("session.signup", {"session": "s1"}),
                               op("canteen.book", {"sitting": "m1", "diet": "少盐软烂"})])

    # -- helpers
    def get(self, path: str, session=None, headers=None):
        status, _, resp = self.call("GET", path, session=session, headers=headers)
        return status, resp

    def fetch_ics(self, path: str, session=None) -> tuple[bytes, object]:
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        conn.request("GET", path, headers=session.headers() if session else {})
        resp = conn.getresponse()
        body = resp.read()
        conn.close()
        self.assertEqual(resp.status, 200, body[:300])
        self.assertEqual(resp.getheader("Content-Type"), "text/calendar; charset=utf-8")
        return body, resp

    def app_entries(self, kind: str, start: int, end: int) -> list[dict]:
        """The app's own answer: run_query('life.entries') on the log an anonymous reader pulls."""
        ops = self.pull_all(None)["ops"]
        text = "".join(json.dumps(o, ensure_ascii=False, separators=(",", ":")) + "\n" for o in ops)
        out = subprocess.run([TOOL, "--schema", SCHEMA, "--query", "life.entries",
                              json.dumps({"from": start, "to": end, "kinds": [kind]})],
                             input=text.encode("utf-8"), capture_output=True, check=True)
        return json.loads(out.stdout)

    def expand(self, cal, uid: str, start: int, end: int) -> list[tuple[int, bool]]:
        """Occurrence starts of one series in [start, end) as a calendar program sees them:
        the RRULE from DTSTART, minus EXDATEs, with RECURRENCE-ID instances moved. (start, moved)."""
        master, moved = None, {}
        for ev in cal.walk("VEVENT"):
            if str(ev["UID"]) != uid:
                continue
            if "RECURRENCE-ID" in ev:
                moved[ms(ev["RECURRENCE-ID"].dt)] = ms(ev["DTSTART"].dt)
            else:
                master = ev
        self.assertIsNotNone(master, uid)
        dtstart = master["DTSTART"].dt
        self.assertEqual(str(master["DTSTART"].params.get("TZID")), "Asia/Shanghai")
        rule = master["RRULE"].to_ical().decode()
        ex = set()
        exd = master.get("EXDATE")
        for group in (exd if isinstance(exd, list) else [exd] if exd is not None else []):
            ex |= {ms(d.dt) for d in group.dts}
        out = []
        for d in rrulestr(rule, dtstart=dtstart):
            t = ms(d)
            if t - 8 * DAY > end:
                break
            if t in ex:
                continue
            s = moved.get(t, t)
            if start <= s < end:
                out.append((s, s != t))
        return sorted(out)

    # -- tests
    def test_public_feed_parses_with_a_time_zone_and_hides_everything_personal(self):
        body, resp = self.fetch_ics("/api/v1/feeds/all.ics")
        cal = icalendar.Calendar.from_ical(body)
        self.assertEqual(str(cal["VERSION"]), "2.0")
        tz = [c for c in cal.walk("VTIMEZONE")]
        self.assertEqual([str(c["TZID"]) for c in tz], ["Asia/Shanghai"])
        summaries = sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT"))
        self.assertIn("月月仓南节", summaries)
        self.assertIn("面塑公益课 第16期", summaries)
        self.assertIn("爱老食堂 午餐", summaries)
        self.assertEqual(summaries.count("道德门诊"), 2)  # the series and its moved Tuesday
        text = body.decode("utf-8")
        for secret in ("王秀兰", "李建国", "13900000001", "少盐软烂", self.wang.person, "•••"):
            self.assertNotIn(secret, text)
        fest = [e for e in cal.walk("VEVENT") if str(e["SUMMARY"]) == "月月仓南节"][0]
        self.assertEqual(fest["RRULE"].to_ical().decode(), "FREQ=MONTHLY;BYDAY=2SA")
        self.assertEqual(str(fest["DESCRIPTION"]), "无台阶通道, 有助听环路")
        self.assertIn("Content-Disposition", dict(resp.getheaders()))

    def test_recurring_events_expand_to_the_dates_the_app_shows(self):
        body, _ = self.fetch_ics("/api/v1/feeds/all.ics")
        cal = icalendar.Calendar.from_ical(body)
        start, end = self.tue[0] - 7 * DAY, self.tue[0] + 300 * DAY
        for kind, uid in (("clinic", "event.clinic@sihui"), ("festival", "event.fest@sihui"),
                          ("club", "event.club@sihui")):
            with self.subTest(kind=kind):
                app = [(e["start"], e["moved"]) for e in self.app_entries(kind, start, end)
                       if not e.get("cancelled")]
                feed = self.expand(cal, uid, start, end)
                self.assertGreater(len(app), 5)
                self.assertEqual(feed, app)
        clinic = [s for s, _ in self.expand(cal, "event.clinic@sihui", start, end)]
        self.assertEqual(len(clinic), 24)  # COUNT=26, one left out, one called off
        self.assertNotIn(self.tue[3], clinic)
        self.assertNotIn(self.tue[5], clinic)
        self.assertIn(self.tue[9] + DAY + 5 * 3_600_000, clinic)

    def test_one_calendar_kind_per_feed(self):
        body, _ = self.fetch_ics("/api/v1/feeds/festival.ics?lang=en")
        cal = icalendar.Calendar.from_ical(body)
        self.assertEqual([str(e["SUMMARY"]) for e in cal.walk("VEVENT")], ["月月仓南节"])
        self.assertIn("Festival", str(cal["X-WR-CALNAME"]))
        body, _ = self.fetch_ics("/api/v1/feeds/canteen.ics")
        self.assertEqual([str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")], ["爱老食堂 午餐"])

    def test_a_persons_feed_is_behind_its_own_renewable_token(self):
        status, doc, _ = self.call("GET", "/api/v1/feeds")
        self.assertEqual(status, 200)
        self.assertNotIn("mine", doc)
        self.assertIn({"name": "class", "path": "/api/v1/feeds/class.ics"}, doc["feeds"])
        status, doc, _ = self.call("GET", "/api/v1/feeds", session=self.wang)
        mine = doc["mine"]
        self.assertNotIn(self.wang.token, mine)  # not the device's session token
        status, again, _ = self.call("GET", "/api/v1/feeds", session=self.wang)
        self.assertEqual(again["mine"], mine)  # the same link on every call and device
        body, _ = self.fetch_ics(mine)
        cal = icalendar.Calendar.from_ical(body)
        self.assertEqual(sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT")), ["爱老食堂 午餐", "面塑公益课 第16期"])
        self.assertEqual(len(list(cal.walk("VALARM"))), 2)
        for secret in ("王秀兰", "少盐软烂", "13900000001"):
            self.assertNotIn(secret, body.decode("utf-8"))
        # Li's feed does not hold Wang's places.
        status, li, _ = self.call("GET", "/api/v1/feeds", session=self.li)
        body, _ = self.fetch_ics(li["mine"])
        self.assertEqual(list(icalendar.Calendar.from_ical(body).walk("VEVENT")), [])
        # Renewing: the old link is gone, the new one works.
        status, doc, _ = self.call("POST", "/api/v1/feeds/mine", {"renew": True}, session=self.wang)
        self.assertEqual(status, 200)
        self.assertNotEqual(doc["path"], mine)
        status, _, _ = self.call("GET", mine)
        self.assertEqual(status, 404)
        self.fetch_ics(doc["path"])
        # Without a session there is no token to ask for.
        status, err, _ = self.call("POST", "/api/v1/feeds/mine", {})
        self.assertEqual((status, err["error"]["code"]), (401, "auth.required"))

    def test_bad_paths_and_parameters_say_why(self):
        for path, want, code in (("/api/v1/feeds/holidays.ics", 404, "feed.not_found"),
                                 ("/api/v1/feeds/p/not-a-real-token-at-all.ics", 404, "feed.not_found"),
                                 ("/api/v1/feeds/p/x.ics", 404, "feed.not_found"),
                                 ("/api/v1/feeds/all.ics?lang=fr", 400, "request.invalid_query")):
            with self.subTest(path=path):
                status, doc, _ = self.call("GET", path)
                self.assertEqual((status, doc["error"]["code"]), (want, code))
                self.assertTrue(doc["error"]["message"])
        status, doc, _ = self.call("POST", "/api/v1/feeds/mine", {"renew": "yes"}, session=self.wang)
        self.assertEqual((status, doc["error"]["code"]), (400, "request.invalid"))

    def test_an_unchanged_feed_answers_304_and_a_new_op_changes_it(self):
        body, resp = self.fetch_ics("/api/v1/feeds/club.ics")
        etag = resp.getheader("ETag")
        status, resp2 = self.get("/api/v1/feeds/club.ics", headers={"If-None-Match": etag})
        self.assertEqual(status, 304)
        self.push_ok(self.staff, [op("event.update", {"event": "club", "place": "活动中心二楼"})])
        body2, resp3 = self.fetch_ics("/api/v1/feeds/club.ics")
        self.assertNotEqual(resp3.getheader("ETag"), etag)
        self.assertIn("活动中心二楼", body2.decode("utf-8"))


class IcsFromSnapshotTests(IcsTests):
    """The same, with serve.py keeping public snapshots: a feed is the snapshot plus the ops after it."""
    server_args = ["--snapshot-tool", TOOL, "--snapshot-every", "4"]

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        deadline = time.time() + 60
        while cls.call("GET", "/api/v1/snapshot")[0] != 200:  # the public snapshot the feeds start from
            assert time.time() < deadline, "no public snapshot was made"
            time.sleep(0.2)


with_postgres(globals(), IcsTests, IcsFromSnapshotTests)
