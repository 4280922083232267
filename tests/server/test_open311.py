"""Open311 GeoReport v2 (issue 6, decision 0023): services are the report sub-types, requests the
reports, both made by the native core tool from the log as an anonymous reader pulls it; filing needs
an api_key (a staff token or a key from `admin open311-key`) and commits a real report.file op. No
personal field is in any Open311 answer. Also here: the walk-in caller's fields of a report are
redacted like personal fields, and a public role's grant carries the public display name.

Needs the native tool: build/release/src/tools/sihui_snapshot or build/native/src/tools/sihui_snapshot.
"""

from __future__ import annotations

import datetime
import json
import os
import time
import urllib.parse

import hashlib

from sync_support import ADMIN, EnvServer, SyncCase, op, with_postgres
from test_serve import SERVE

TOP = os.path.dirname(SERVE)
TOOLS = [os.path.join(TOP, "build", b, "src", "tools", "sihui_snapshot") for b in ("release", "native")]
TOOL = next((t for t in TOOLS if os.access(t, os.X_OK)), TOOLS[0])
SH = datetime.timezone(datetime.timedelta(hours=8))
BASE = "/api/v1/open311/"
# Every personal value in the community below: none may appear in an Open311 answer.
PERSONAL = ("王秀兰", "13900000001", "李建国", "13900000002", "赵大爷", "13700000009", "张霞", "钱多多", "13600000003",
            "•••")


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def now_ms() -> int:
    return int(time.time() * 1000)


class Open311Tests(SyncCase):
    server_args = ["--snapshot-tool", TOOL, "--open311-media"]

    @classmethod
    def setUpClass(cls) -> None:
        assert os.access(TOOL, os.X_OK), f"{TOOL} is missing: build it with ./sihui build"
        super().setUpClass()
        cls.answers: list[str] = []  # every Open311 body seen, scanned for personal fields at the end
        cls.wang = cls.resident("王秀兰", "u1", phone="13900000001")
        cls.li = cls.resident("李建国", "u2", phone="13900000002")
        cls.grant(cls.li.person, "grid_leader", "g2")
        t = now_ms()
        cls.push_ok(cls.staff, [
            op("place.compound.add", {"id": "c3", "name": "三号院", "point_x": 119150000, "point_y": 36712340}),
            op("grid.add", {"id": "g3", "name": "网格三", "compounds": ["c3"]}),
        ])
        cls.push_ok(cls.wang, [op("report.file", {"id": "r-a", "category": "dispute", "subtype": "planting_on_green",
                                                  "unit": "u1", "description": "1号楼东侧草地种了菜"}, made_at=t - 60_000)])
        cls.push_ok(cls.staff, [
            op("report.file", {"id": "r-b", "category": "repair", "subtype": "streetlight_out", "unit": "u2",
                               "description": "路灯不亮", "caller_name": "赵大爷", "caller_phone": "13700000009"},
               made_at=t - 50_000),
            op("report.file", {"id": "r-old", "category": "repair", "subtype": "blocked_drain", "compound": "c1"},
               made_at=1_700_000_000_000),  # November 2023: outside the default 90 days
            op("report.accept", {"report": "r-a", "note": "明天上午去看"}, made_at=t - 40_000),
            op("report.accept", {"report": "r-b"}, made_at=t - 30_000),
        ])
        cls.push_ok(cls.staff, [op(k, {"report": "r-b"}, made_at=t - 20_000)
                                for k in ("report.handle", "report.review", "report.close")])
        res = cls.admin_cli("open311-key", "--login", "admin", "--label", "city-tool")
        cls.key = res.stdout.strip()

    # -- helpers
    def o311(self, method: str, path: str, body=None, headers=None) -> tuple[int, object]:
        status, doc, resp = self.call(method, BASE + path, body, headers=headers)
        raw = json.dumps(doc, ensure_ascii=False)
        self.answers.append(raw)
        if status >= 400:  # the spec's error shape
            self.assertIsInstance(doc, list, raw)
            self.assertEqual(doc[0]["code"], status, raw)
            self.assertIsInstance(doc[0]["description"], str)
        self.assertTrue(resp.getheader("Content-Type").startswith("application/json"))
        return status, doc

    def ok(self, path: str, headers=None):
        status, doc = self.o311("GET", path, headers=headers)
        self.assertEqual(status, 200, doc)
        return doc

    def post_form(self, fields: dict[str, str]) -> tuple[int, object]:
        return self.o311("POST", "requests.json", urllib.parse.urlencode(fields).encode("utf-8"),
                         {"Content-Type": "application/x-www-form-urlencoded"})

    def post_json(self, fields: dict) -> tuple[int, object]:
        return self.o311("POST", "requests.json", json.dumps(fields, ensure_ascii=False).encode("utf-8"),
                         {"Content-Type": "application/json"})

    # -- services
    def test_services_are_the_sub_types_in_chinese_or_english(self):
        zh = self.ok("services.json")
        self.assertEqual(len(zh), 27)
        green = next(s for s in zh if s["service_code"] == "planting_on_green")
        self.assertEqual(green, {"service_code": "planting_on_green", "service_name": "种菜毁绿",
                                 "description": "Vegetables planted on the green", "metadata": False,
                                 "type": "realtime", "keywords": "dispute,planting_on_green", "group": "矛盾调处"})
        en = self.ok("services.json?locale=en")
        self.assertEqual(next(s for s in en if s["service_code"] == "planting_on_green")["service_name"],
                         "Vegetables planted on the green")
        by_header = self.ok("services.json", {"Accept-Language": "fr;q=1, en-US;q=0.8, zh;q=0.5"})
        self.assertEqual(by_header, en)
        self.assertEqual(self.ok("services.json", {"Accept-Language": "zh-CN,en;q=0.5"}), zh)
        one = self.ok("services/parking_chaos.json")
        self.assertEqual(one["service_code"], "parking_chaos")
        self.assertEqual(one["attributes"], [])
        self.assertEqual(one["service_name"], "停车秩序混乱")
        status, _ = self.o311("GET", "services/no_such_thing.json")
        self.assertEqual(status, 404)
        status, _ = self.o311("GET", "services.xml")
        self.assertEqual(status, 400)
        status, _ = self.o311("GET", "nothing-here")
        self.assertEqual(status, 404)

    # -- requests
    def test_requests_list_the_reports_as_the_reducer_left_them(self):
        got = {r["service_request_id"]: r for r in self.ok("requests.json")}
        self.assertIn("r-a", got)
        self.assertIn("r-b", got)
        self.assertNotIn("r-old", got)  # older than 90 days without start_date
        a = got["r-a"]
        self.assertEqual(a["status"], "open")
        self.assertEqual(a["status_notes"], "已受理：明天上午去看")
        self.assertEqual(a["service_code"], "planting_on_green")
        self.assertEqual(a["description"], "1号楼东侧草地种了菜")
        self.assertEqual(a["address"], "一号院 1 1-1")
        self.assertEqual(a["address_id"], "u1")
        self.assertEqual(a["agency_responsible"], "网格一")
        self.assertRegex(a["requested_datetime"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$")
        self.assertIn("expected_datetime", a)
        b = got["r-b"]
        self.assertEqual((b["status"], b["status_notes"], b["agency_responsible"]), ("closed", "已办结", "网格二"))
        en = {r["service_request_id"]: r for r in self.ok("requests.json?locale=en")}
        self.assertEqual(en["r-a"]["status_notes"], "Accepted: 明天上午去看")
        self.assertEqual(en["r-a"]["service_name"], "Vegetables planted on the green")

    def test_request_filters(self):
        ids = lambda doc: sorted(r["service_request_id"] for r in doc)  # noqa: E731
        self.assertEqual(ids(self.ok("requests.json?status=open&service_code=planting_on_green,door_lock")), ["r-a"])
        self.assertEqual(ids(self.ok("requests.json?status=closed")), ["r-b"])
        self.assertEqual(ids(self.ok("requests.json?service_code=streetlight_out")), ["r-b"])
        old = self.ok("requests.json?start_date=2023-11-01T00:00:00%2B08:00&end_date=2023-12-01T00:00:00Z")
        self.assertEqual(old, self.ok("requests.json?start_date=2023-11-01T00:00:00+08:00&end_date=2023-12-01"))
        self.assertEqual(ids(old), ["r-old"])
        self.assertEqual(old[0]["address"], "一号院")
        every = ids(self.ok("requests.json?start_date=2020-01-01"))
        self.assertTrue({"r-a", "r-b", "r-old"} <= set(every), every)
        future = (datetime.datetime.now(SH) + datetime.timedelta(days=2)).isoformat()
        self.assertEqual(self.ok("requests.json?start_date=" + urllib.parse.quote(future)), [])
        self.assertEqual(ids(self.ok("requests.json?service_request_id=r-old,r-b&status=open")), ["r-b", "r-old"])
        for bad in ("status=pending", "start_date=yesterday", "end_date=2026-13-01",
                    "start_date=2026-02-01&end_date=2026-01-01"):
            with self.subTest(bad=bad):
                status, _ = self.o311("GET", "requests.json?" + bad)
                self.assertEqual(status, 400)

    def test_one_request(self):
        doc = self.ok("requests/r-a.json")
        self.assertEqual(len(doc), 1)
        self.assertEqual(doc[0]["service_request_id"], "r-a")
        self.assertEqual(self.ok("requests/r-old.json")[0]["status"], "open")  # any age by id
        status, _ = self.o311("GET", "requests/r-nope.json")
        self.assertEqual(status, 404)

    # -- filing
    def test_filing_needs_a_staff_token_or_an_open311_key(self):
        fields = {"service_code": "noise", "address_id": "u1", "description": "楼上装修到深夜"}
        before = self.pull_all(self.staff)["last_seq"]
        for key, why in (("", "none"), ("not-a-key", "wrong"), (self.wang.token, "a resident's token")):
            with self.subTest(why=why):
                status, _ = self.post_form({**fields, "api_key": key} if key else fields)
                self.assertEqual(status, 403)
        self.assertEqual(self.pull_all(self.staff)["last_seq"], before)  # nothing was filed
        status, doc = self.post_form({**fields, "api_key": self.staff.token})
        self.assertEqual(status, 201, doc)
        self.assertEqual(set(doc[0]), {"service_request_id", "service_notice"})
        rid = doc[0]["service_request_id"]
        mine = [o for o in self.pull_all(self.staff)["ops"] if o["kind"] == "report.file" and o["payload"]["id"] == rid]
        self.assertEqual(len(mine), 1)
        self.assertEqual((mine[0]["author"], mine[0]["device"]), (ADMIN, "open311"))
        got = self.ok(f"requests/{rid}.json")[0]
        self.assertEqual((got["status"], got["agency_responsible"], got["description"]), ("open", "网格一", "楼上装修到深夜"))

    def test_filing_with_a_key_as_json_routes_like_any_report(self):
        status, doc = self.post_json({"api_key": self.key, "service_code": "parking_chaos", "lat": 36.71240,
                                      "long": 119.15005, "description": "消防通道停满了车", "first_name": "多多",
                                      "last_name": "钱", "phone": "13600000003"})
        self.assertEqual(status, 201, doc)
        rid = doc[0]["service_request_id"]
        got = self.ok(f"requests/{rid}.json")[0]
        self.assertEqual(got["agency_responsible"], "网格三")  # the nearest compound's grid
        self.assertAlmostEqual(got["lat"], 36.7124)
        self.assertAlmostEqual(got["long"], 119.15005)
        self.assertEqual(got["address_id"], "c3")
        # The caller's name and phone are personal fields of the report: staff see them, the public does not.
        staff_op = next(o for o in self.pull_all(self.staff)["ops"] if o["kind"] == "report.file" and o["payload"]["id"] == rid)
        self.assertEqual((staff_op["payload"]["caller_name"], staff_op["payload"]["caller_phone"]), ("钱多多", "13600000003"))
        public = next(o for o in self.pull_all(None)["ops"] if o["kind"] == "report.file" and o["payload"]["id"] == rid)
        self.assertEqual((public["payload"]["caller_name"], public["payload"]["caller_phone"]), ("•••", "•••"))
        # Far from every compound: a bare point, straight to the committee.
        status, doc = self.post_json({"api_key": self.key, "service_code": "flooding", "lat": 31.2, "long": 121.5})
        self.assertEqual(status, 201, doc)
        got = self.ok(f"requests/{doc[0]['service_request_id']}.json")[0]
        self.assertEqual((got["agency_responsible"], got["address_id"]), ("社区居委会", ""))
        # A revoked key files nothing.
        self.admin_cli("open311-key", "--label", "city-tool", "--revoke")
        try:
            status, _ = self.post_json({"api_key": self.key, "service_code": "noise", "address_id": "u1"})
            self.assertEqual(status, 403)
        finally:
            type(self).key = self.admin_cli("open311-key", "--login", "admin", "--label", "city-tool").stdout.strip()

    def test_bad_filings_change_nothing(self):
        before = self.pull_all(self.staff)["last_seq"]
        k = {"api_key": self.key}
        cases = [
            ({**k, "address_id": "u1"}, 400),                                       # no service_code
            ({**k, "service_code": "no_such", "address_id": "u1"}, 404),
            ({**k, "service_code": "noise"}, 400),                                  # no location
            ({**k, "service_code": "noise", "address_string": "三号院门口"}, 400),    # cannot be located
            ({**k, "service_code": "noise", "lat": "north", "long": "1"}, 400),
            ({**k, "service_code": "noise", "lat": "91", "long": "1"}, 400),
            ({**k, "service_code": "noise", "address_id": "u-nope"}, 400),
            ({**k, "service_code": "noise", "address_id": "u1", "description": "吵" * 2001}, 400),
            ({**k, "service_code": "noise", "address_id": "u1", "phone": "1" * 21}, 400),
            ({**k, "service_code": "noise", "address_id": "u1", "first_name": "x" * 40}, 400),
            ({**k, "service_code": "noise", "address_id": "u1", "media_url": "ftp://city.example.org/1.jpg"}, 400),
            ({**k, "service_code": "noise", "address_id": "u1", "media_url": "javascript:alert(1)"}, 400),
            ({**k, "service_code": "noise", "address_id": "u1", "media_url": "file:///etc/passwd"}, 400),
            ({**k, "service_code": "noise", "address_id": "u1", "media_url": "https://"}, 400),
            ({**k, "service_code": "noise", "address_id": "u1", "media_url": "https://a.example/b c.jpg"}, 400),
            ({**k, "service_code": "noise", "address_id": "u1", "media_url": "https://a.example:99999/"}, 400),
            ({**k, "service_code": "noise", "address_id": "u1", "media_url": "https://a.example/" + "x" * 490}, 400),
        ]
        for fields, want in cases:
            with self.subTest(fields={f: v[:20] for f, v in fields.items()}):
                status, _ = self.post_form(fields)
                self.assertEqual(status, want)
        status, _ = self.o311("POST", "requests.json", b"{not json", {"Content-Type": "application/json"})
        self.assertEqual(status, 400)
        status, _ = self.o311("POST", "requests.json", b"[1, 2]", {"Content-Type": "application/json"})
        self.assertEqual(status, 400)
        status, _ = self.o311("POST", "services.json", b"", {"Content-Type": "application/json"})
        self.assertEqual(status, 404)
        self.assertEqual(self.pull_all(self.staff)["last_seq"], before)

    # -- redaction
    # -- media_url (decision 0021, revision)
    def test_media_url_is_the_first_photo_of_the_report_on_this_server(self):
        first, second = JPEG + "草地种菜".encode(), PNG + b"second"
        unsent = JPEG + b"still on the phone"
        for data in (first, second):
            status, doc, _ = self.call("PUT", f"/api/v1/photos/{sha(data)}", data, self.wang,
                                       headers={"Content-Type": "image/jpeg"})
            self.assertEqual(status, 201, doc)
        t = now_ms()
        self.push_ok(self.wang, [
            op("report.file", {"id": "r-photo", "category": "dispute", "subtype": "stairwell_junk", "unit": "u1",
                               "photos": [sha(first), sha(second)]}, made_at=t),
            op("report.file", {"id": "r-unsent", "category": "repair", "subtype": "broken_lift", "unit": "u1",
                               "photos": [sha(unsent)]}, made_at=t),
        ])
        origin = f"http://127.0.0.1:{self.server.port}"
        want = f"{origin}/api/v1/open311/media/{sha(first)}.jpg"
        got = {r["service_request_id"]: r for r in self.ok("requests.json")}
        self.assertEqual(got["r-photo"]["media_url"], want)
        self.assertNotIn("media_url", got["r-a"])  # no photo
        self.assertNotIn("media_url", got["r-unsent"])  # its photo has not reached the server yet
        self.assertEqual(self.ok("requests/r-photo.json")[0]["media_url"], want)
        # Anyone who reads the list gets that photo, byte for byte, with no token; nothing else is served there.
        status, _, resp = self.call("GET", want[len(origin):])
        self.assertEqual(status, 200)
        self.assertEqual(resp.getheader("Content-Type"), "image/jpeg")
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        try:
            conn.request("GET", want[len(origin):])
            self.assertEqual(conn.getresponse().read(), first)
        finally:
            conn.close()
        for path in (f"media/{sha(second)}.png",  # not the first photo: only for signed-in readers
                     f"media/{sha(first)}.png", f"media/{sha(first)}", f"media/{sha(unsent)}.jpg",
                     f"media/{'0' * 64}.jpg", "media/../../sihui.db"):
            with self.subTest(path=path):
                status, _ = self.o311("GET", path)
                self.assertEqual(status, 404)
        self.assertEqual(self.call("GET", f"/api/v1/photos/{sha(first)}")[0], 401)  # the app's route still needs a token
        # A Host header that is not a plain host[:port] gives no link rather than a made-up one.
        bad = {r["service_request_id"]: r for r in self.ok("requests.json", {"Host": "evil.example/x?"})}
        self.assertNotIn("media_url", bad["r-photo"])
        # Behind a proxy the configured origin is used, whatever Host says; without --open311-media
        # (the default) there is no link and no photo.
        for extra, expect in ((["--open311-media", "--public-origin", "https://Sihui.Example.org"],
                               f"https://sihui.example.org/api/v1/open311/media/{sha(first)}.jpg"),
                              ([], None)):
            with self.subTest(extra=extra):
                other = EnvServer(self.root, self.data, ["--quiet", *self.db_args, "--snapshot-tool", TOOL, *extra], {})
                self.servers.append(other)
                other.start()
                status, doc, _ = self.call("GET", BASE + "requests/r-photo.json", server=other)
                self.assertEqual(status, 200, doc)
                self.assertEqual(doc[0].get("media_url"), expect)
                status, _, _ = self.call("GET", want[len(origin):], server=other)
                self.assertEqual(status, 200 if expect else 404)
                other.stop()

    def test_filed_media_url_is_kept_as_a_link_never_fetched(self):
        url = "https://city.example.org/photos/7788.jpg?size=large"
        status, doc = self.post_json({"api_key": self.key, "service_code": "noise", "address_id": "u1",
                                      "description": "夜里施工", "media_url": url})
        self.assertEqual(status, 201, doc)
        got = self.ok(f"requests/{doc[0]['service_request_id']}.json")[0]
        self.assertEqual(got["description"], "夜里施工\n" + url)
        self.assertNotIn("media_url", got)  # media_url is a photo on this server; the link stays in the words

    def test_walk_in_caller_is_seen_by_staff_and_that_grid_only(self):
        def caller(session):
            o = next(o for o in self.pull_all(session)["ops"] if o["kind"] == "report.file" and o["payload"]["id"] == "r-b")
            return o["payload"]["caller_name"], o["payload"]["caller_phone"]
        self.assertEqual(caller(self.staff), ("赵大爷", "13700000009"))
        self.assertEqual(caller(self.li), ("赵大爷", "13700000009"))  # leads g2, where u2 is
        self.assertEqual(caller(self.wang), ("•••", "•••"))
        self.assertEqual(caller(None), ("•••", "•••"))
        g1 = self.resident("孙一", "u1")
        self.grant(g1.person, "grid_leader", "g1")
        self.assertEqual(caller(g1), ("•••", "•••"))

    def test_grant_carries_the_public_name_of_public_roles_only(self):
        p = self.resident("周建华", "u2", phone="13500000005")
        status, doc = self.push(self.staff, [op("role.grant", {"person": p.person, "role": "volunteer", "name": "周建华"})])
        self.assert_error(status, doc, 422, "op.invalid")
        self.assertEqual(doc["error"]["field"], "payload.name")
        self.push_ok(self.staff, [op("role.grant", {"person": p.person, "role": "unit_leader", "scope": "u2",
                                                    "name": "周建华"})])
        grants = [o for o in self.pull_all(None)["ops"] if o["kind"] == "role.grant" and o["payload"]["person"] == p.person]
        self.assertEqual(grants[-1]["payload"]["name"], "周建华")

    def test_zz_no_personal_field_in_any_answer(self):
        # Every endpoint once more in both languages, and everything answered above.
        for lang in ("zh-CN", "en"):
            for path in ("services.json", "requests.json?start_date=2020-01-01", "requests/r-b.json",
                         "services/noise.json"):
                self.ok(f"{path}{'&' if '?' in path else '?'}locale={lang}")
        self.assertGreaterEqual(len(self.answers), 8)
        for raw in self.answers:
            for secret in PERSONAL + (self.wang.person, self.li.person, ADMIN):
                self.assertNotIn(secret, raw)
        for r in self.ok("requests.json?start_date=2020-01-01"):
            self.assertFalse({"caller_name", "caller_phone", "reporter", "phone", "name", "first_name"} & set(r), r)


with_postgres(globals(), Open311Tests)
