"""Sync API tests (decision 0009) against a real serve.py: push, pull, idempotency,
stamping, the role gate, accounts, restore epochs, crashes and concurrency.

Run: /usr/bin/python3 -m unittest discover -s tests/server
"""

from __future__ import annotations

import http.client
import os
import signal
import threading
import time

from sync_support import ADMIN, PASSWORD, Session, SyncCase, new_id, op, with_postgres


def report(n: int = 0, **extra) -> dict:
    return op("report.file", {"id": f"rep-{new_id()[:12]}", "category": "repair", "subtype": "leak",
                              "description": f"report {n}"}, **extra)


class PushPullTests(SyncCase):
    def test_round_trip(self):
        ops = [report(i) for i in range(3)]
        doc = self.push_ok(self.staff, ops)
        self.assertEqual(len(doc["seqs"]), 3)
        self.assertEqual(doc["seqs"], list(range(doc["seqs"][0], doc["seqs"][0] + 3)))
        self.assertEqual(doc["last_seq"], doc["seqs"][-1])
        status, health, _ = self.call("GET", "/api/v1/health")
        self.assertEqual(doc["epoch"], health["epoch"])
        self.assertEqual(doc["epoch_base"], 0)  # never restored
        self.assertEqual(self.pull_all()["epoch_base"], 0)
        # The device's epoch, when it sends one, must be the server's.
        status, again, _ = self.call("POST", "/api/v1/ops", {"epoch": doc["epoch"], "ops": ops}, self.staff)
        self.assertEqual((status, again["seqs"]), (200, doc["seqs"]))
        status, bad, _ = self.call("POST", "/api/v1/ops", {"epoch": 7, "ops": ops}, self.staff)
        self.assert_error(status, bad, 400, "request.invalid")
        pulled = {o["id"]: o for o in self.pull_all(self.staff)["ops"]}
        for sent, seq in zip(ops, doc["seqs"]):
            got = pulled[sent["id"]]
            self.assertEqual((got["seq"], got["kind"], got["payload"]), (seq, sent["kind"], sent["payload"]))
            self.assertIsInstance(got["received_at"], int)

    def test_idempotent_retry_gets_the_same_seqs(self):
        ops = [report(i) for i in range(5)]
        first = self.push_ok(self.staff, ops)
        again = self.push_ok(self.staff, ops)
        self.assertEqual(first["seqs"], again["seqs"])
        mixed = self.push_ok(self.staff, [ops[2], report(9), ops[0]])
        self.assertEqual(mixed["seqs"][0], first["seqs"][2])
        self.assertEqual(mixed["seqs"][2], first["seqs"][0])
        ids = [o["id"] for o in self.pull_all()["ops"]]
        self.assertEqual(len(ids), len(set(ids)))

    def test_same_id_in_one_batch_twice_is_stored_once(self):
        o = report(1)
        doc = self.push_ok(self.staff, [o, o])
        self.assertEqual(doc["seqs"][0], doc["seqs"][1])

    def test_conflict_same_id_different_body(self):
        o = report(1)
        self.push_ok(self.staff, [o])
        changed = dict(o, payload=dict(o["payload"], description="changed"))
        fresh = report(2)
        status, doc = self.push(self.staff, [fresh, changed])
        err = self.assert_error(status, doc, 409, "op.conflict")
        self.assertEqual((err["op"], err["index"]), (o["id"], 1))
        ids = {x["id"] for x in self.pull_all()["ops"]}
        self.assertNotIn(fresh["id"], ids)  # all or nothing
        # The same body from another device is also a different body.
        other = self.login("admin", PASSWORD, "dev-admin-2")
        status, doc = self.push(other, [o])
        self.assert_error(status, doc, 409, "op.conflict")

    def test_pagination(self):
        start = self.pull_all()["last_seq"]
        self.push_ok(self.staff, [report(i) for i in range(25)])
        seen, after, pages = [], start, 0
        while True:
            status, doc, _ = self.call("GET", f"/api/v1/ops?after={after}&limit=10")
            self.assertEqual(status, 200)
            pages += 1
            seen += [o["seq"] for o in doc["ops"]]
            if not doc["more"]:
                break
            self.assertEqual(len(doc["ops"]), 10)
            after = doc["ops"][-1]["seq"]
        self.assertEqual(seen, list(range(start + 1, start + 26)))
        self.assertEqual(pages, 3)
        status, doc, _ = self.call("GET", f"/api/v1/ops?after={seen[-1]}")
        self.assertEqual((doc["ops"], doc["more"], doc["last_seq"]), ([], False, seen[-1]))

    def test_author_and_device_are_stamped(self):
        future = int(time.time() * 1000) + 10 * 24 * 3600 * 1000
        forged = report(1, made_at=future)
        forged.update(author="p-someone-else", device="dev-of-someone-else")
        past = report(2, made_at=1_600_000_000_000)
        self.push_ok(self.staff, [forged, past])
        got = {o["id"]: o for o in self.pull_all(self.staff)["ops"]}
        self.assertEqual(got[forged["id"]]["author"], ADMIN)
        self.assertEqual(got[forged["id"]]["device"], "dev-admin")
        self.assertEqual(got[forged["id"]]["made_at"], got[forged["id"]]["received_at"])
        self.assertEqual(got[past["id"]]["made_at"], 1_600_000_000_000)

    def test_token_only_works_with_its_device(self):
        other = Session(self.staff.token, "dev-somebody-else", ADMIN)
        status, doc = self.push(other, [report(1)])
        self.assert_error(status, doc, 401, "auth.device_mismatch")
        status, doc, _ = self.call("GET", "/api/v1/me", session=other)
        self.assert_error(status, doc, 401, "auth.device_mismatch")
        status, doc = self.push(Session("not-a-token", "dev-admin", ADMIN), [report(1)])
        self.assert_error(status, doc, 401, "auth.invalid_token")
        status, doc, _ = self.call("POST", "/api/v1/ops", {"ops": [report(1)]})
        self.assert_error(status, doc, 401, "auth.required")

    def test_kinds_a_role_may_not_submit(self):
        res = self.resident("李四", "u1")
        fine = report(1)
        status, doc = self.push(res, [fine, op("place.compound.add", {"id": "c9", "name": "x"})])
        err = self.assert_error(status, doc, 403, "op.kind_forbidden")
        self.assertEqual(err["index"], 1)
        self.assertNotIn(fine["id"], {o["id"] for o in self.pull_all()["ops"]})
        status, doc = self.push(res, [op("community.init", {"name": "x", "admin_name": "y"})])
        self.assert_error(status, doc, 403, "op.kind_forbidden")
        # A grid leader may accept reports but not open clinic cases.
        self.grant(res.person, "grid_leader", "g1")
        self.push_ok(res, [op("report.accept", {"report": "rep-x"})])
        status, doc = self.push(res, [op("clinic.case.open", {"id": "k1", "category": "noise", "complaint": "x"})])
        self.assert_error(status, doc, 403, "op.kind_forbidden")
        # Granting and using a role in one batch: the gate follows the batch (staff grants itself clinic).
        self.push_ok(self.staff, [op("role.grant", {"person": ADMIN, "role": "clinic"}),
                                  op("clinic.roster.set", {"weekday": 1, "members": [ADMIN]}),
                                  op("clinic.case.open", {"id": "k2", "category": "noise", "complaint": "x"})])

    def test_unverified_resident_is_refused_then_verified(self):
        status, reg, _ = self.call("POST", "/api/v1/register", {"name": "王五", "phone": "139", "birth_year": 1941,
                                                                 "unit": "u2", "device": "dev-wang"})
        self.assertEqual(status, 200, reg)
        res = Session(reg["token"], "dev-wang", reg["person"])
        self.assertFalse(reg["verified"])
        pending = report(1)
        status, doc = self.push(res, [pending])
        self.assert_error(status, doc, 403, "account.unverified")
        status, me, _ = self.call("GET", "/api/v1/me", session=res)
        self.assertEqual((me["verified"], me["person"]), (False, reg["person"]))
        status, doc, _ = self.call("GET", "/api/v1/registrations", session=res)
        self.assert_error(status, doc, 403, "auth.staff_only")
        status, doc, _ = self.call("GET", "/api/v1/registrations", session=self.staff)
        self.assertIn(reg["registration"], [r["id"] for r in doc["registrations"]])
        status, ver, _ = self.call("POST", f"/api/v1/registrations/{reg['registration']}/verify", b"", self.staff)
        self.assertEqual(status, 200, ver)
        status, again, _ = self.call("POST", f"/api/v1/registrations/{reg['registration']}/verify", b"", self.staff)
        self.assertEqual(again["seq"], ver["seq"])
        added = [o for o in self.pull_all(self.staff)["ops"] if o["seq"] == ver["seq"]][0]
        self.assertEqual((added["kind"], added["author"], added["payload"]["id"], added["payload"]["unit"]),
                         ("person.add", ADMIN, reg["person"], "u2"))
        self.push_ok(res, [pending])
        status, me, _ = self.call("GET", "/api/v1/me", session=res)
        self.assertTrue(me["verified"])
        status, doc, _ = self.call("POST", "/api/v1/registrations/r-nothing/verify", b"", self.staff)
        self.assert_error(status, doc, 404, "registration.not_found")

    def test_register_needs_a_known_unit(self):
        status, doc, _ = self.call("POST", "/api/v1/register", {"name": "x", "phone": "1", "birth_year": 1950,
                                                                 "unit": "u-nowhere", "device": "d1"})
        self.assert_error(status, doc, 422, "register.unknown_unit")

    def test_invitation_claim(self):
        self.resident("钱七", "u1")  # one verification for the audit check below
        code = self.admin_cli("invite", "--login", "admin").stdout.strip()
        status, doc, _ = self.call("POST", "/api/v1/claim", {"code": code.lower(), "device": "dev-tablet"})
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc["person"], ADMIN)
        self.assertIn({"role": "staff", "scope": ""}, doc["roles"])
        self.push_ok(Session(doc["token"], "dev-tablet", ADMIN), [report(1)])
        status, doc, _ = self.call("POST", "/api/v1/claim", {"code": code, "device": "dev-tablet-2"})
        self.assert_error(status, doc, 401, "auth.bad_code")
        audit = self.admin_cli("audit").stdout
        for action in ("account.create_staff", "invitation.create", "invitation.claim", "registration.verify"):
            self.assertIn(action, audit)

    def test_wrong_password(self):
        status, doc, _ = self.call("POST", "/api/v1/login", {"login": "admin", "password": "nope", "device": "d"})
        self.assert_error(status, doc, 401, "auth.bad_credentials")
        status, doc, _ = self.call("POST", "/api/v1/login", {"login": "nobody", "password": "nope", "device": "d"})
        self.assert_error(status, doc, 401, "auth.bad_credentials")

    def test_list_accounts(self):
        out = self.admin_cli("list-accounts").stdout
        self.assertIn("admin", out)
        self.assertIn(ADMIN, out)


class RestoreTests(SyncCase):
    def test_restore_makes_a_new_epoch(self):
        before = self.push_ok(self.staff, [report(1)])
        backup = os.path.join(self.tmp, "backup.sqlite")
        self.admin_cli("backup", "--to", backup)
        later = report(2)
        self.push_ok(self.staff, [later])
        self.admin_cli("restore", "--from", backup)
        status, health, _ = self.call("GET", "/api/v1/health")
        self.assertNotEqual(health["epoch"], before["epoch"])
        doc = self.pull_all(self.staff)
        self.assertEqual(doc["epoch"], health["epoch"])
        self.assertEqual(doc["last_seq"], before["last_seq"])
        self.assertNotIn(later["id"], {o["id"] for o in doc["ops"]})
        self.assertEqual(doc["epoch_base"], before["last_seq"])  # the head the backup held
        # A device still on the old epoch commits nothing and learns the new epoch and its base.
        status, refused, _ = self.call("POST", "/api/v1/ops", {"epoch": before["epoch"], "ops": [later, report(3)]},
                                       self.staff)
        err = self.assert_error(status, refused, 409, "sync.epoch_changed")
        self.assertEqual((err["epoch"], err["epoch_base"]), (health["epoch"], before["last_seq"]))
        self.assertEqual(self.pull_all()["last_seq"], before["last_seq"])
        # The client re-pushes what it had confirmed after the backup: it gets a new seq.
        again = self.push_ok(self.staff, [later])
        self.assertEqual(again["epoch_base"], before["last_seq"])
        self.assertEqual((again["epoch"], again["seqs"]), (health["epoch"], [before["last_seq"] + 1]))
        self.assertIn("restore", self.admin_cli("audit").stdout)
        # The gate still knows the staff after the rebuild.
        self.push_ok(self.staff, [op("place.compound.add", {"id": "c-after", "name": "x"})])


class RateLimitTests(SyncCase):
    init_community = False

    def test_failed_logins_are_limited_per_login(self):
        for _ in range(5):
            status, doc, _ = self.call("POST", "/api/v1/login", {"login": "admin", "password": "bad", "device": "d"})
            self.assertEqual(status, 401)
        status, doc, resp = self.call("POST", "/api/v1/login", {"login": "admin", "password": PASSWORD, "device": "d"})
        self.assert_error(status, doc, 429, "auth.rate_limited")
        self.assertGreater(int(resp.getheader("Retry-After")), 0)


class RateLimitAddressTests(SyncCase):
    init_community = False

    def test_failed_logins_are_limited_per_address(self):
        codes = []
        for i in range(25):
            status, doc, _ = self.call("POST", "/api/v1/login", {"login": f"guess{i}", "password": "x", "device": "d"})
            codes.append(status)
        self.assertEqual(codes[:15], [401] * 15)
        self.assertEqual(codes[-1], 429)


class CrashTests(SyncCase):
    """kill -9 of serve.py at a chosen point of a push (SIHUI_TEST_CRASH), then a restart."""

    def crash_and_restart(self, point: str, ops: list[dict]) -> None:
        self.server.stop()
        crashing = self.start_server({"SIHUI_TEST_CRASH": point})
        with self.assertRaises((http.client.HTTPException, ConnectionError)):
            self.push(self.staff, ops, server=crashing)
        self.assertEqual(crashing.proc.wait(timeout=10), -signal.SIGKILL)
        type(self).server = self.start_server()

    def test_kill_after_commit_then_retry(self):
        head = self.pull_all()["last_seq"]
        ops = [report(i) for i in range(20)]
        self.crash_and_restart("after_commit", ops)
        stored = [o for o in self.pull_all()["ops"] if o["seq"] > head]
        self.assertEqual([o["id"] for o in stored], [o["id"] for o in ops])  # committed before the kill
        doc = self.push_ok(self.staff, ops)
        self.assertEqual(doc["seqs"], list(range(head + 1, head + 21)))
        self.assertEqual(self.pull_all()["last_seq"], head + 20)

    def test_kill_before_commit_then_retry(self):
        head = self.pull_all()["last_seq"]
        ops = [report(i) for i in range(20)]
        self.crash_and_restart("before_commit", ops)
        self.assertEqual(self.pull_all()["last_seq"], head)  # nothing committed
        doc = self.push_ok(self.staff, ops)
        self.assertEqual(doc["seqs"], list(range(head + 1, head + 21)))
        ids = [o["id"] for o in self.pull_all()["ops"]]
        self.assertEqual(len(ids), len(set(ids)))


class ConcurrencyTests(SyncCase):
    def run_threads(self, jobs: list) -> list:
        results = [None] * len(jobs)
        barrier = threading.Barrier(len(jobs))

        def work(i):
            barrier.wait()
            results[i] = jobs[i]()

        threads = [threading.Thread(target=work, args=(i,)) for i in range(len(jobs))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        return results

    def test_two_identical_pushes_at_once(self):
        for _ in range(5):
            ops = [report(i) for i in range(30)]
            a, b = self.run_threads([lambda: self.push(self.staff, ops)] * 2)
            self.assertEqual((a[0], b[0]), (200, 200), (a, b))
            self.assertEqual(a[1]["seqs"], b[1]["seqs"])
        ids = [o["id"] for o in self.pull_all()["ops"]]
        self.assertEqual(len(ids), len(set(ids)))

    def test_concurrent_pushes_get_unique_gap_free_seqs(self):
        head = self.pull_all()["last_seq"]
        results = self.run_threads([lambda: self.push(self.staff, [report(i) for i in range(10)])] * 10)
        seqs = sorted(s for status, doc in results for s in doc["seqs"])
        self.assertEqual(seqs, list(range(head + 1, head + 101)))

    def test_two_processes_share_one_database(self):
        if self.backend != "postgres":
            self.skipTest("several serve.py processes share a PostgreSQL database only")
        second = self.start_server()
        head = self.pull_all()["last_seq"]
        jobs = [(lambda s=s: self.push(self.staff, [report(i) for i in range(10)], server=s))
                for s in [self.server, second] * 5]
        results = self.run_threads(jobs)
        seqs = sorted(s for status, doc in results for s in doc["seqs"])
        self.assertEqual(seqs, list(range(head + 1, head + 101)))
        # A grant made through one process is known to the other's gate.
        res = self.resident("赵六", "u1")
        self.grant(res.person, "teacher")
        self.push_ok(res, [op("course.add", {"id": "co1", "title": "面塑", "teacher": res.person})], server=second)


with_postgres(globals(), PushPullTests, RestoreTests, RateLimitTests, RateLimitAddressTests, CrashTests,
              ConcurrencyTests)
