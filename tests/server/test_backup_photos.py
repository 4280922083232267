"""Photos in the server's backup (decisions 0021, 0012): `admin backup` copies DATA/photos/ into the backup
file, `admin restore` checks every photo against its SHA-256 name before it changes anything, writes them
back, and a restored server serves them byte for byte. A damaged or foreign backup changes nothing.
"""

from __future__ import annotations

import os
import shutil
import sqlite3

from sync_support import PgDatabase, PG_ENV, SyncCase, EnvServer, op, photo_name as name_of, with_postgres

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 40 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(300)


def tree(folder: str) -> dict[str, bytes]:
    """Every file under FOLDER with its bytes (relative paths)."""
    out = {}
    for base, _, files in os.walk(folder):
        for f in files:
            path = os.path.join(base, f)
            with open(path, "rb") as fh:
                out[os.path.relpath(path, folder)] = fh.read()
    return out


class BackupPhotoTests(SyncCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.a = cls.resident("居民甲", "u1", phone="13900000001")
        cls.photos = [JPEG + "楼道堆物".encode(), PNG + b"cable", JPEG + b"handled"]
        for data in cls.photos:
            status, doc, _ = cls.call("PUT", f"/api/v1/photos/{name_of(data)}", data, cls.a,
                                      headers={"Content-Type": "image/jpeg"})
            assert status == 201, (status, doc)
        cls.push_ok(cls.a, [op("report.file", {"id": "r-bk1", "category": "repair", "subtype": "broken_lift",
                                               "unit": "u1", "description": "电梯坏了",
                                               "photos": [name_of(d) for d in cls.photos[:2]]})])
        cls.push_ok(cls.staff, [op("report.comment", {"report": "r-bk1", "text": "已处理",
                                                      "photos": [name_of(cls.photos[2])]})])
        cls.backup = os.path.join(cls.tmp, "with-photos.sqlite")
        cls.made = cls.admin_cli("backup", "--to", cls.backup)

    def fresh(self) -> tuple[str, list[str]]:
        """A new, empty data folder (and database) to restore into."""
        data = os.path.join(self.tmp, "fresh-" + os.urandom(4).hex())
        db: list[str] = []
        if self.pg:
            pg = PgDatabase(os.environ[PG_ENV])
            self.addCleanup(pg.drop)
            db = ["--database", pg.url]
        return data, db

    def restore_into(self, data: str, db: list[str], backup: str, check: bool = True):
        import subprocess
        from test_serve import PYTHON, SERVE
        res = subprocess.run([PYTHON, SERVE, "admin", "restore", "--data", data, *db, "--from", backup],
                             capture_output=True, text=True, timeout=120)
        if check:
            self.assertEqual(res.returncode, 0, res.stderr)
        return res

    def test_backup_holds_every_photo(self):
        self.assertIn("3 photos", self.made.stdout)
        with sqlite3.connect(self.backup) as b:
            rows = dict(b.execute("SELECT name, bytes FROM photo_files"))
        self.assertEqual(rows, {name_of(d): d for d in self.photos})
        self.assertIn('"photos": 3', self.admin_cli("audit").stdout)

    def test_restore_into_a_fresh_folder_serves_the_photos_byte_for_byte(self):
        data, db = self.fresh()
        res = self.restore_into(data, db, self.backup)
        self.assertIn("3 photos", res.stdout)
        server = EnvServer(self.root, data, ["--quiet", *db], {})
        self.servers.append(server)
        server.start()
        for data_bytes in self.photos:  # the same tokens: the accounts and devices came back too
            status, body, _ = self.call_raw("GET", f"/api/v1/photos/{name_of(data_bytes)}", session=self.a, server=server)
            self.assertEqual((status, body), (200, data_bytes))
        # Restoring again over it is a no-op for the photos already there.
        again = self.restore_into(data, db, self.backup)
        self.assertIn("3 photos", again.stdout)
        self.assertEqual(tree(os.path.join(data, "photos")),
                         {os.path.join(n[:2], n): d for n, d in ((name_of(x), x) for x in self.photos)})

    def refused(self, backup: str, words: str) -> None:
        """Restoring BACKUP over the running server fails with WORDS and changes nothing."""
        photos_dir = os.path.join(self.data, "photos")
        gone = name_of(self.photos[1])
        kept = os.path.join(self.tmp, "kept-" + gone)
        shutil.move(os.path.join(photos_dir, gone[:2], gone), kept)  # a photo the restore would bring back
        try:
            before_files = tree(photos_dir)
            _, health, _ = self.call("GET", "/api/v1/health")
            before_head = self.pull_all(self.staff)["last_seq"]
            res = self.admin_cli("restore", "--from", backup, check=False)
            self.assertEqual(res.returncode, 2, res.stdout)
            self.assertIn(words, res.stderr)
            self.assertIn("nothing was changed", res.stderr)
            self.assertNotIn("Traceback", res.stderr)
            self.assertEqual(tree(photos_dir), before_files)
            _, after, _ = self.call("GET", "/api/v1/health")
            self.assertEqual(after["epoch"], health["epoch"])
            self.assertEqual(self.pull_all(self.staff)["last_seq"], before_head)
        finally:
            shutil.move(kept, os.path.join(photos_dir, gone[:2], gone))

    def test_a_corrupt_photo_in_the_backup_is_refused_and_nothing_changes(self):
        bad = os.path.join(self.tmp, "corrupt.sqlite")
        shutil.copy(self.backup, bad)
        with sqlite3.connect(bad) as b:  # one flipped byte in the middle of the last photo (by name)
            name, data = b.execute("SELECT name, bytes FROM photo_files ORDER BY name DESC").fetchone()
            flipped = data[:100] + bytes([data[100] ^ 1]) + data[101:]
            b.execute("UPDATE photo_files SET bytes = ? WHERE name = ?", (flipped, name))
        self.refused(bad, f"the backup's photo {name} is damaged")

    def test_a_foreign_photo_row_is_refused(self):
        bad = os.path.join(self.tmp, "foreign-photo.sqlite")
        shutil.copy(self.backup, bad)
        with sqlite3.connect(bad) as b:  # a text file under a made-up name: not a photo of this server
            b.execute("INSERT INTO photo_files (name, bytes) VALUES (?, ?)", ("f" * 64, b"hello"))
        self.refused(bad, "is damaged or not a photo")

    def test_a_file_that_is_no_backup_is_refused(self):
        bad = os.path.join(self.tmp, "notes.txt")
        with open(bad, "w", encoding="utf-8") as f:
            f.write("这不是备份\n" * 200)
        self.refused(bad, "is not a whole Sihui backup")

    def test_a_damaged_stored_photo_is_left_out_of_the_backup_with_a_warning(self):
        data = JPEG + b"rot"
        name = name_of(data)
        path = os.path.join(self.data, "photos", name[:2], name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data + b"!")  # bit rot on the server's disk
        try:
            out = os.path.join(self.tmp, "rot.sqlite")
            res = self.admin_cli("backup", "--to", out)
            self.assertIn(f"the stored photo {name} is damaged", res.stderr)
            self.assertIn("3 photos", res.stdout)
            with sqlite3.connect(out) as b:
                self.assertIsNone(b.execute("SELECT name FROM photo_files WHERE name = ?", (name,)).fetchone())
        finally:
            os.unlink(path)

    def test_a_backup_from_before_photos_still_restores(self):
        old = os.path.join(self.tmp, "old-format.sqlite")
        shutil.copy(self.backup, old)
        with sqlite3.connect(old) as b:
            b.execute("DROP TABLE photo_files")
        data, db = self.fresh()
        res = self.restore_into(data, db, old)
        self.assertIn("0 photos", res.stdout)


with_postgres(globals(), BackupPhotoTests)
