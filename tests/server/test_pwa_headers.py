"""serve.py for the offline app and the embed (issue 8, decision 0016): the service worker and the
manifests are revalidated (never cached as immutable), pages carry the frame-ancestors rule built
from --embed-origin, and a malformed origin stops the server with a clear message."""

from __future__ import annotations

import os
import unittest

from test_serve import INDEX, ServerTestCase, run_serve, write

SW = b"'use strict';\nconst BUILD = {\"build\":\"abc\"};\n" * 20


class PwaFixtures:
    @classmethod
    def make_fixtures(cls, root: str, outside: str) -> None:
        write(os.path.join(root, "index.html"), INDEX)
        write(os.path.join(root, "sw.js"), SW)
        write(os.path.join(root, "embed.js"), b"(function(){})();\n")
        write(os.path.join(root, "manifest.webmanifest"), b'{"name": "\xe5\x9b\x9b\xe6\xb1\x87"}\n')
        write(os.path.join(root, "manifest.en.webmanifest"), b'{"name": "Sihui"}\n')
        write(os.path.join(root, "icons", "icon-192.0123456789abcdef.png"), b"\x89PNG\r\n\x1a\nfake")
        write(os.path.join(root, "sihui.0123456789abcdef.js"), b"console.log(1);\n")


class DefaultFramePolicyTests(PwaFixtures, ServerTestCase):
    def test_pages_may_be_framed_only_by_the_server_itself(self):
        for path in ("/", "/index.html", "/?embed=calendar&lang=en"):
            resp, _ = self.request("GET", path)
            self.assertEqual(resp.status, 200, path)
            self.assertEqual(resp.getheader("Content-Security-Policy"), "frame-ancestors 'self'", path)

    def test_service_worker_and_manifests_are_revalidated_not_immutable(self):
        for path, ctype in (("/sw.js", "text/javascript; charset=utf-8"),
                            ("/manifest.webmanifest", "application/manifest+json"),
                            ("/manifest.en.webmanifest", "application/manifest+json"),
                            ("/embed.js", "text/javascript; charset=utf-8")):
            resp, body = self.request("GET", path)
            self.assertEqual(resp.status, 200, path)
            self.assertEqual(resp.getheader("Content-Type"), ctype, path)
            self.assertEqual(resp.getheader("Cache-Control"), "no-cache", path)
            self.assertIsNotNone(resp.getheader("ETag"), path)
            self.assertIsNone(resp.getheader("Content-Security-Policy"), path)

    def test_hashed_icons_and_scripts_stay_immutable(self):
        for path in ("/icons/icon-192.0123456789abcdef.png", "/sihui.0123456789abcdef.js"):
            resp, _ = self.request("GET", path)
            self.assertEqual(resp.status, 200, path)
            self.assertEqual(resp.getheader("Cache-Control"), "public, max-age=31536000, immutable", path)


class EmbedOriginTests(PwaFixtures, ServerTestCase):
    server_args = ["--quiet", "--embed-origin", "https://News.Example.org/", "--embed-origin", "http://127.0.0.1:8123"]

    def test_listed_sites_may_frame_pages(self):
        resp, _ = self.request("GET", "/?embed=classes")
        self.assertEqual(resp.getheader("Content-Security-Policy"),
                         "frame-ancestors 'self' https://news.example.org http://127.0.0.1:8123")

    def test_revalidated_page_keeps_the_rule(self):
        resp, _ = self.request("GET", "/")
        resp2, body = self.request("GET", "/", {"If-None-Match": resp.getheader("ETag")})
        self.assertEqual(resp2.status, 304)
        self.assertEqual(resp2.getheader("Content-Security-Policy"), resp.getheader("Content-Security-Policy"))

    def test_malformed_origins_are_refused_at_start(self):
        for bad in ("news.example.org", "https://news.example.org/path", "javascript:alert(1)",
                    "https://a.org 'unsafe-inline'", "https://a.org;script-src *"):
            result = run_serve(["--root", self.root, "--data", self.data, "--port", "0", "--embed-origin", bad])
            self.assertEqual(result.returncode, 2, bad)
            self.assertIn("is not a site origin", result.stderr, bad)
            self.assertEqual(result.stdout, "", bad)


if __name__ == "__main__":
    unittest.main()
