import io
import json
import os
import tempfile
import unittest
from typing import List

from fake_server import FakeVitrine, json_answer, problem
from vitrine import JobFailedError, JobTimeoutError, Vitrine, VitrineProblemError

CSV = "sku;title;price\r\nA15-128-AZ;Smartphone Samsung Galaxy A15 128GB Azul;1.299,90\r\n".encode("utf-8")


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: List[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def __call__(self) -> float:
        return self.now


class ClientTestCase(unittest.TestCase):
    def setUp(self) -> None:
        self.fake = FakeVitrine().__enter__()
        self.addCleanup(self.fake.__exit__)
        self.clock = FakeClock()
        self.client = Vitrine("vt_test_abc", base_url=self.fake.origin + "/", language="pt-BR", sleep=self.clock.sleep, clock=self.clock)

    def temp_path(self, name: str) -> str:
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        return os.path.join(directory.name, name)

    def temp_file(self, content: bytes, name: str) -> str:
        path = self.temp_path(name)
        with open(path, "wb") as out:
            out.write(content)
        return path


class RequestsTest(ClientTestCase):
    def test_sends_the_key_the_language_and_who_is_asking(self):
        self.client.get_job("job_1")
        headers = self.fake.requests[0].headers
        self.assertEqual(headers["Authorization"], "Bearer vt_test_abc")
        self.assertEqual(headers["Accept-Language"], "pt-BR")
        self.assertTrue(headers["User-Agent"].startswith("vitrine-python/"))

    def test_a_problem_becomes_a_typed_error(self):
        self.fake.script[("GET", "/api/v1/jobs/job_9")] = [problem(404, "not_found", "Não encontrado", "O job job_9 não existe nesta conta.")]
        with self.assertRaises(VitrineProblemError) as raised:
            self.client.get_job("job_9")
        error = raised.exception
        self.assertEqual((error.status, error.code, error.title), (404, "not_found", "Não encontrado"))
        self.assertEqual(error.detail, "O job job_9 não existe nesta conta.")
        self.assertEqual(error.type, "/docs#error-not-found")
        self.assertEqual(error.request_id, "req_123")

    def test_the_body_code_wins_and_field_errors_are_kept(self):
        answer = problem(402, "payment_required", "Quota exceeded", "Monthly rows used up.", code="quota_exceeded", errors=[{"detail": "x", "pointer": "/source"}])
        self.fake.script[("POST", "/api/v1/jobs")] = [answer]
        with self.assertRaises(VitrineProblemError) as raised:
            self.client.create_job(file_id="file_1")
        self.assertEqual(raised.exception.code, "quota_exceeded")
        self.assertEqual(raised.exception.errors, [{"detail": "x", "pointer": "/source"}])

    def test_an_error_without_a_problem_body_still_says_its_status(self):
        self.fake.script[("POST", "/api/v1/files")] = [(502, {"Content-Type": "text/html"}, b"<h1>Bad gateway</h1>")]
        with self.assertRaises(VitrineProblemError) as raised:
            self.client.upload_file(CSV, name="catalogo.csv")
        self.assertEqual((raised.exception.status, raised.exception.code), (502, None))
        self.assertEqual(len(self.fake.requests_to("POST", "/api/v1/files")), 1, "a POST without an idempotency key is not retried")

    def test_rate_limits_are_waited_out_as_retry_after_says(self):
        limited = problem(429, "rate_limited", "Too many requests", "Retry in 3 s.")
        limited[1]["Retry-After"] = "3"
        self.fake.script[("POST", "/api/v1/files")] = [limited]
        file = self.client.upload_file(CSV, name="catalogo.csv")
        self.assertEqual(file["size"], len(CSV))
        self.assertEqual(self.clock.sleeps, [3.0])
        self.assertEqual([r.body for r in self.fake.requests_to("POST", "/api/v1/files")], [CSV, CSV])

    def test_a_long_retry_after_is_raised_rather_than_slept(self):
        limited = problem(429, "rate_limited", "Too many requests", "Retry in 3600 s.")
        limited[1]["Retry-After"] = "3600"
        self.fake.script[("GET", "/api/v1/jobs/job_1")] = [limited]
        with self.assertRaises(VitrineProblemError) as raised:
            self.client.get_job("job_1")
        self.assertEqual((raised.exception.code, raised.exception.retry_after), ("rate_limited", 3600.0))
        self.assertEqual(self.clock.sleeps, [])

    def test_gives_up_after_max_retries(self):
        self.fake.script[("GET", "/api/v1/jobs/job_1")] = [problem(429, "rate_limited", "Too many requests", "Wait.")] * 5
        with self.assertRaises(VitrineProblemError) as raised:
            self.client.get_job("job_1")
        self.assertEqual(raised.exception.code, "rate_limited")
        self.assertEqual(self.clock.sleeps, [0.5, 1.0, 2.0, 4.0])

    def test_idempotent_requests_are_retried_through_a_bad_gateway(self):
        self.fake.script[("GET", "/api/v1/jobs/job_1")] = [(503, {}, b"")]
        self.assertEqual(self.client.get_job("job_1")["id"], "job_1")
        self.assertEqual(self.clock.sleeps, [0.5])

    def test_redirects_are_not_followed_so_the_key_stays_here(self):
        self.fake.script[("GET", "/api/v1/jobs/job_1")] = [(302, {"Location": "http://127.0.0.1:9/steal"}, b"")]
        with self.assertRaises(VitrineProblemError) as raised:
            self.client.get_job("job_1")
        self.assertEqual(raised.exception.status, 302)
        self.assertEqual(len(self.fake.requests), 1)

    def test_call_reaches_any_operation_by_its_id(self):
        self.fake.script[("GET", "/api/v1/webhooks/whk%2F1")] = [json_answer(200, {"id": "whk/1"})]
        self.assertEqual(self.client.call("getWebhook", path_params={"id": "whk/1"}), {"id": "whk/1"})
        self.fake.script[("POST", "/api/v1/webhooks")] = [json_answer(201, {"id": "whk_2", "secret": "whsec_x"})]
        created = self.client.call("createWebhook", body={"url": "https://erp.example.com/hooks", "events": ["*"]})
        self.assertEqual(created["secret"], "whsec_x")
        self.assertEqual(json.loads(self.fake.requests[-1].body), {"url": "https://erp.example.com/hooks", "events": ["*"]})
        self.fake.script[("POST", "/api/v1/rule-packs")] = [json_answer(201, {"id": "minha-loja"})]
        yaml = b"id: minha-loja\nextends: mercadolivre\n"
        self.client.call("createRulePack", data=yaml, content_type="application/yaml")
        self.assertEqual((self.fake.requests[-1].body, self.fake.requests[-1].headers["Content-Type"]), (yaml, "application/yaml"))
        with self.assertRaises(ValueError):
            self.client.call("noSuchOperation")
        with self.assertRaises(ValueError):
            self.client.call("getWebhook")


class UploadTest(ClientTestCase):
    def test_small_bytes_go_in_one_request_with_their_type_and_progress(self):
        progress = []
        file = self.client.upload_file(CSV, name="catalogo.csv", on_progress=lambda sent, total: progress.append((sent, total)))
        request = self.fake.requests_to("POST", "/api/v1/files")[0]
        self.assertEqual(request.body, CSV)
        self.assertEqual(request.query["name"], "catalogo.csv")
        self.assertEqual(request.headers["Content-Type"], "text/csv")
        self.assertEqual(file["id"], "file_1")
        self.assertEqual(progress[-1], (len(CSV), len(CSV)))

    def test_a_path_is_named_after_its_file(self):
        path = self.temp_file(b'[{"sku":"A15"}]', "produtos.json")
        self.client.upload_file(path)
        request = self.fake.requests_to("POST", "/api/v1/files")[0]
        self.assertEqual((request.query["name"], request.headers["Content-Type"]), ("produtos.json", "application/json"))
        self.assertEqual(self.fake.file_bytes, b'[{"sku":"A15"}]')

    def test_large_files_go_in_parts_of_the_suggested_size(self):
        content = bytes(range(256)) * 4 + b"tail"
        path = self.temp_file(content, "big.csv")
        progress = []
        file = self.client.upload_file(path, multipart_threshold=100, on_progress=lambda sent, total: progress.append((sent, total)))
        created = json.loads(self.fake.requests_to("POST", "/api/v1/files/uploads")[0].body)
        self.assertEqual(created, {"name": "big.csv", "size": len(content)})
        self.assertTrue(self.fake.requests_to("POST", "/api/v1/files/uploads")[0].headers["Idempotency-Key"])
        self.assertEqual(len(self.fake.parts), 103)
        self.assertTrue(all(len(self.fake.parts[n]) == 10 for n in range(1, 103)))
        self.assertEqual(file["size"], len(content))
        self.assertEqual(self.fake.file_bytes, content)
        self.assertEqual([sent for sent, _ in progress], sorted(sent for sent, _ in progress))
        self.assertEqual(progress[-1], (len(content), len(content)))

    def test_part_size_can_be_chosen_but_not_below_the_minimum(self):
        self.client.upload_file(b"x" * 50, name="a.csv", multipart_threshold=10, part_size=20)
        self.assertEqual([len(self.fake.parts[n]) for n in sorted(self.fake.parts)], [20, 20, 10])
        with self.assertRaisesRegex(ValueError, "at least 4"):
            self.client.upload_file(b"x" * 50, name="a.csv", multipart_threshold=10, part_size=3)

    def test_a_stream_of_unknown_size_goes_in_parts(self):
        class Pipe(io.RawIOBase):
            def __init__(self, data: bytes) -> None:
                self.inner = io.BytesIO(data)

            def readable(self) -> bool:
                return True

            def seekable(self) -> bool:
                return False

            def readinto(self, buffer) -> int:  # type: ignore[override]
                chunk = self.inner.read(min(len(buffer), 7))
                buffer[: len(chunk)] = chunk
                return len(chunk)

        pipe = Pipe(b"0123456789" * 3)
        self.client.upload_file(pipe, name="pipe.csv")
        self.assertEqual(json.loads(self.fake.requests_to("POST", "/api/v1/files/uploads")[0].body), {"name": "pipe.csv"})
        self.assertEqual(self.fake.file_bytes, b"0123456789" * 3)
        self.assertFalse(pipe.closed, "the caller's stream is the caller's to close")

    def test_a_seekable_file_object_is_sent_from_where_it_stands(self):
        stream = io.BytesIO(b"ignored" + CSV)
        stream.seek(len(b"ignored"))
        self.client.upload_file(stream, name="catalogo.csv")
        self.assertEqual(self.fake.file_bytes, CSV)

    def test_a_failed_part_aborts_the_upload(self):
        self.fake.script[("PUT", "/api/v1/files/uploads/upl_1/parts/2")] = [problem(409, "conflict", "Conflict", "The upload expired.")]
        with self.assertRaises(VitrineProblemError):
            self.client.upload_file(b"x" * 30, name="a.csv", multipart_threshold=10)
        self.assertEqual(len(self.fake.requests_to("DELETE", "/api/v1/files/uploads/upl_1")), 1)
        self.assertEqual(self.fake.requests_to("POST", "/api/v1/files/uploads/upl_1/complete"), [])


class JobsTest(ClientTestCase):
    def test_create_job_sends_the_source_the_pack_and_an_idempotency_key(self):
        self.client.create_job(file_id="file_1", rule_pack="mercadolivre", category="MLB1055", apply_fixes=True, options={"sheet": "Produtos"})
        request = self.fake.requests_to("POST", "/api/v1/jobs")[0]
        self.assertEqual(
            json.loads(request.body),
            {"source": {"file_id": "file_1"}, "rule_pack": "mercadolivre", "category": "MLB1055", "options": {"sheet": "Produtos", "apply_fixes": True}},
        )
        self.assertTrue(request.headers["Idempotency-Key"])
        with self.assertRaises(ValueError):
            self.client.create_job()

    def test_waits_with_a_doubling_backoff_until_the_job_ends(self):
        self.fake.job_statuses = ["queued", "running", "running", "running", "running", "completed"]
        seen = []
        job = self.client.wait_for_job("job_1", poll_interval=1, max_poll_interval=4, on_progress=lambda j: seen.append(j["status"]))
        self.assertEqual(job["status"], "completed")
        self.assertEqual(self.clock.sleeps, [1, 2, 4, 4, 4])
        self.assertEqual(seen, ["queued", "running", "running", "running", "running", "completed"])

    def test_waits_what_retry_after_says(self):
        self.fake.job_statuses = ["running", "completed"]
        self.fake.job_headers = {"Retry-After": "7"}
        self.client.wait_for_job("job_1")
        self.assertEqual(self.clock.sleeps, [7.0])

    def test_a_failed_job_raises_with_its_reason(self):
        self.fake.job_statuses = ["running", "failed"]
        with self.assertRaises(JobFailedError) as raised:
            self.client.wait_for_job("job_1")
        self.assertEqual(raised.exception.job["error"]["code"], "unreadable_file")

    def test_gives_up_waiting_after_the_timeout(self):
        self.fake.job_statuses = ["running"]
        with self.assertRaises(JobTimeoutError) as raised:
            self.client.wait_for_job("job_1", timeout=10, poll_interval=1)
        self.assertEqual(self.clock.sleeps, [1, 2, 4])
        self.assertEqual(raised.exception.job["status"], "running")


class ResultsTest(ClientTestCase):
    def test_iterates_every_issue_across_pages(self):
        self.fake.issues = [{"row": n, "field": "title", "rule": "ml.title.max_length", "severity": "error", "message": "m"} for n in range(2, 2502)]
        issues = list(self.client.iter_issues("job_1", severity="error", sku_prefix="CEL-"))
        self.assertEqual([issue["row"] for issue in issues], list(range(2, 2502)))
        pages = self.fake.requests_to("GET", "/api/v1/jobs/job_1/result/issues")
        self.assertEqual([page.query.get("cursor") for page in pages], [None, "1000", "2000"])
        self.assertEqual({(p.query["format"], p.query["limit"], p.query["severity"], p.query["sku_prefix"]) for p in pages}, {("json", "1000", "error", "CEL-")})
        self.assertNotIn("rule", pages[0].query)

    def test_iterating_no_issues_yields_nothing(self):
        self.assertEqual(list(self.client.iter_issues("job_1")), [])

    def test_downloads_the_corrected_catalog_as_bytes_or_to_a_path(self):
        self.fake.corrected = "sku;title\r\nA15;Smartphone Samsung Galaxy A15 Verde\r\n".encode("cp1252")
        self.assertEqual(self.client.download_corrected("job_1"), self.fake.corrected)
        target = self.temp_path("corrigido.csv")
        self.assertEqual(self.client.download_corrected("job_1", target, format="csv"), target)
        with open(target, "rb") as saved:
            self.assertEqual(saved.read(), self.fake.corrected)
        self.assertEqual(self.fake.requests[-1].query, {"format": "csv"})

    def test_a_failed_download_leaves_no_file_behind(self):
        self.fake.script[("GET", "/api/v1/jobs/job_1/result/corrected")] = [problem(410, "gone", "Gone", "Deleted after 90 days.")]
        target = self.temp_path("corrigido.csv")
        with self.assertRaises(VitrineProblemError) as raised:
            self.client.download_corrected("job_1", target)
        self.assertEqual(raised.exception.code, "gone")
        self.assertFalse(os.path.exists(target))


if __name__ == "__main__":
    unittest.main()
