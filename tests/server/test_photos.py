"""Photos of problem reports (decision 0021): PUT /api/v1/photos/<sha256> stores the bytes under their
hash (checked), JPEG or PNG only, at most 4 MiB, idempotent; GET serves them to a signed-in reader who
may see an op that carries the hash, 404 to everyone else.
"""

from __future__ import annotations

import os

from sync_support import SyncCase, op, photo_name as name_of, with_postgres

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)


class PhotoTests(SyncCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.a = cls.resident("居民甲", "u1", phone="13900000001")
        cls.b = cls.resident("居民乙", "u2", phone="13900000002")
        cls.leader = cls.resident("网格长", "u1", phone="13900000003")
        cls.grant(cls.leader.person, "grid_leader", "g1")

    def put(self, data: bytes, session=None, name: str | None = None, ctype: str = "image/jpeg"):
        return self.call("PUT", f"/api/v1/photos/{name or name_of(data)}", data, session or self.a,
                         headers={"Content-Type": ctype})

    def get(self, name: str, session):
        return self.call("GET", f"/api/v1/photos/{name}", session=session)

    def stored(self, name: str) -> str:
        return os.path.join(self.data, "photos", name[:2], name)

    def test_upload_is_content_addressed_and_idempotent(self):
        data = JPEG + b"idem"
        status, doc, _ = self.put(data)
        self.assertEqual(status, 201, doc)
        with open(self.stored(name_of(data)), "rb") as f:
            self.assertEqual(f.read(), data)
        status, doc, _ = self.put(data, self.b)  # the same bytes from another device: nothing new
        self.assertEqual(status, 200, doc)
        self.assertFalse(doc["stored"])
        status, doc, _ = self.put(PNG)
        self.assertEqual(status, 201, doc)

    def test_reader_of_the_report_gets_the_bytes(self):
        data = JPEG + "报修照片".encode()
        name = name_of(data)
        self.assertEqual(self.put(data)[0], 201)
        # Not yet in any report: nobody gets it, not even the uploader (who has it on the device).
        for s in (self.a, self.b, self.leader, self.staff):
            self.assert_error(*self.get(name, s)[:2], 404, "photo.not_found")
        self.push_ok(self.a, [op("report.file", {"id": "r-photo1", "category": "repair", "subtype": "broken_lift",
                                                 "unit": "u1", "description": "电梯坏了", "photos": [name]})])
        for s in (self.a, self.b, self.leader, self.staff):  # reports are public to residents (decision 0009)
            status, body, resp = self.call("GET", f"/api/v1/photos/{name}", session=s)
            self.assertEqual(status, 200)
            self.assertEqual(resp.getheader("Content-Type"), "image/jpeg")
        # Anonymous readers (no token) get nothing.
        self.assert_error(*self.call("GET", f"/api/v1/photos/{name}")[:2], 401, "auth.required")

    def test_bytes_are_served_whole(self):
        data = JPEG + b"whole"
        name = name_of(data)
        self.assertEqual(self.put(data, self.b)[0], 201)
        self.push_ok(self.b, [op("report.comment", {"report": "r-none", "text": "补充", "photos": [name]})])
        status, body, _ = self.call_raw("GET", f"/api/v1/photos/{name}", session=self.leader)
        self.assertEqual((status, body), (200, data))

    def test_hash_mismatch_is_refused(self):
        data = JPEG + b"mismatch"
        status, doc, _ = self.put(data, name=name_of(data + b"x"))
        self.assert_error(status, doc, 422, "photo.hash_mismatch")
        self.assertFalse(os.path.exists(self.stored(name_of(data + b"x"))))

    def test_wrong_type_is_refused(self):
        data = "这不是图片".encode() * 10
        status, doc, _ = self.put(data, ctype="text/plain")
        self.assert_error(status, doc, 415, "photo.wrong_type")
        self.assertFalse(os.path.exists(self.stored(name_of(data))))

    def test_oversized_is_refused(self):
        data = JPEG + bytes(4 * 1024 * 1024)
        status, doc, _ = self.put(data)
        err = self.assert_error(status, doc, 413, "photo.too_large")
        self.assertEqual(err["max_bytes"], 4 * 1024 * 1024)
        self.assertFalse(os.path.exists(self.stored(name_of(data))))

    def test_bad_names_and_no_token(self):
        self.assert_error(*self.put(JPEG, name="not-a-hash")[:2], 404, "photo.bad_name")
        self.assert_error(*self.put(JPEG, name=name_of(JPEG).upper())[:2], 404, "photo.bad_name")
        status, doc, _ = self.call("PUT", f"/api/v1/photos/{name_of(JPEG)}", JPEG)
        self.assert_error(status, doc, 401, "auth.required")
        self.assert_error(*self.get("0" * 64, self.a)[:2], 404, "photo.not_found")


with_postgres(globals(), PhotoTests)
