"""End to end against a running Vitrine: test/integration/sdk-python.test.ts starts one and passes its
address and a fresh key in VITRINE_BASE_URL and VITRINE_API_KEY (not matched by `discover`'s test*.py,
so the offline unit tests never need a server)."""

import os
import queue
import sys
import tempfile
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Tuple
from unittest import mock

from vitrine import Vitrine, WebhookVerificationError, verify_webhook

BASE_URL = os.environ.get("VITRINE_BASE_URL")
API_KEY = os.environ.get("VITRINE_API_KEY")
ROWS = 50_000
MiB = 1024 * 1024
HEADER = "sku;title;description;price;stock;condition;brand;model;gtin;image_1"


def catalog_row(n: int) -> str:
    """A Brazilian seller's row: pt-BR numbers and words; every 10th title with stray spaces (fixed),
    every 25th GTIN with a wrong check digit (an error no fix can make)."""
    title = f"Smartphone Samsung Galaxy A15 128GB Azul {n}"
    if n % 10 == 0:
        title = f"  Smartphone  Samsung Galaxy A15 128GB Verde {n} "
    gtin = "7891234567890" if n % 25 == 0 else "7891234567895"
    return ";".join(
        [
            f"CEL-{n:06d}",
            title,
            "Smartphone Samsung Galaxy A15 com 128 GB, 4 GB de RAM e tela de 6,5 polegadas. Novo, com nota fiscal.",
            "1.299,90",
            "15",
            "Novo",
            "Samsung",
            "Galaxy A15",
            gtin,
            f"https://cdn.minhaloja.com.br/a15-{n}.jpg",
        ]
    )


class Receiver:
    """A webhook receiver on a free local port: keeps each delivery's headers and raw body."""

    def __init__(self) -> None:
        self.deliveries: "queue.Queue[Tuple[Dict[str, str], bytes]]" = queue.Queue()
        deliveries = self.deliveries

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                deliveries.put((dict(self.headers.items()), body))
                self.send_response(204)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/vitrine"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@unittest.skipUnless(BASE_URL and API_KEY, "needs a running Vitrine: npm run test:integration")
class EndToEndTest(unittest.TestCase):
    def test_a_50000_row_catalog_from_upload_to_corrected_file_with_a_verified_webhook(self) -> None:
        client = Vitrine(str(API_KEY), base_url=BASE_URL, language="pt-BR")
        receiver = Receiver()
        self.addCleanup(receiver.close)
        endpoint = client.call("createWebhook", body={"url": receiver.url, "events": ["validation.completed"], "description": "SDK Python e2e"})
        self.assertTrue(endpoint["secret"].startswith("whsec_"))

        content = ("\r\n".join([HEADER] + [catalog_row(n) for n in range(1, ROWS + 1)]) + "\r\n").encode("utf-8")
        self.assertGreater(len(content), 6 * MiB, "big enough for two parts of 5 MiB")
        progress = []
        started = time.monotonic()
        with mock.patch.object(client, "_request", wraps=client._request) as requests:
            file = client.upload_file(content, name="catalogo-50k.csv", multipart_threshold=5 * MiB, part_size=5 * MiB, on_progress=lambda sent, total: progress.append(sent))
        paths = [call.args[1] for call in requests.call_args_list]
        self.assertEqual(paths[0], "/api/v1/files/uploads")
        self.assertEqual(sum(path.endswith(("/parts/1", "/parts/2")) for path in paths), 2)
        self.assertTrue(paths[-1].endswith("/complete"))
        self.assertEqual((file["size"], file["format"], file.get("delimiter")), (len(content), "csv", ";"))
        self.assertEqual(progress[-1], len(content))

        uploaded = time.monotonic()
        job = client.create_job(file_id=file["id"], rule_pack="mercadolivre", apply_fixes=True)
        job = client.wait_for_job(job["id"], timeout=600)
        finished = time.monotonic()
        counts = job["counts"]
        self.assertEqual(counts["records"], ROWS)
        self.assertEqual(counts["corrected"], ROWS // 10)

        issues = 0
        gtin_errors = 0
        for issue in client.iter_issues(job["id"]):
            issues += 1
            gtin_errors += issue["rule"] == "common.gtin.check_digit"
        self.assertEqual(issues, counts["issues"]["total"])
        self.assertEqual(gtin_errors, ROWS // 25)

        paged = time.monotonic()
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        corrected_path = client.download_corrected(job["id"], os.path.join(directory.name, "corrigido.csv"))
        with open(corrected_path, "rb") as saved:
            corrected = saved.read().decode("utf-8").split("\r\n")
        self.assertEqual(corrected[0], HEADER)
        self.assertEqual(len(corrected), ROWS + 2)
        self.assertEqual(corrected[1], catalog_row(1), "rows no fix touched come back byte for byte")
        self.assertEqual(corrected[10].split(";")[1], "Smartphone Samsung Galaxy A15 128GB Verde 10")

        downloaded = time.monotonic()
        sys.stderr.write(
            f"\n{len(content) / MiB:.1f} MiB uploaded in parts in {uploaded - started:.1f} s; job {finished - uploaded:.1f} s; "
            f"{issues} issues paged in {paged - finished:.1f} s; corrected file in {downloaded - paged:.1f} s\n"
        )
        headers, body = self.next_delivery(receiver, job["id"])
        event = verify_webhook(endpoint["secret"], headers, body)
        self.assertEqual((event["type"], event["data"]["job_id"]), ("validation.completed", job["id"]))
        self.assertEqual(event["data"]["counts"], counts)
        with self.assertRaises(WebhookVerificationError):
            verify_webhook(endpoint["secret"], headers, body.replace(job["id"].encode(), b"job_forged"))

    def next_delivery(self, receiver: Receiver, job_id: str) -> Tuple[Dict[str, str], bytes]:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                headers, body = receiver.deliveries.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                break
            if job_id.encode() in body:
                return headers, body
        self.fail(f"no validation.completed delivery for {job_id} within 120 s")


if __name__ == "__main__":
    unittest.main()
