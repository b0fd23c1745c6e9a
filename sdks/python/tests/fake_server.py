"""A tiny stand-in for the Vitrine API, served by http.server in the test's own process.

It answers the routes the SDK's helpers use, records every request, and plays scripted answers
(`script`) before its own, so a test can make any route fail the way the real API does.
"""

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import parse_qs, urlsplit

Answer = Tuple[int, Dict[str, str], bytes]


def json_answer(status: int, body: Any, headers: Optional[Dict[str, str]] = None) -> Answer:
    return status, {"Content-Type": "application/json", **(headers or {})}, json.dumps(body).encode("utf-8")


def problem(status: int, slug: str, title: str, detail: str, **members: Any) -> Answer:
    body = {"type": f"/docs#error-{slug.replace('_', '-')}", "title": title, "status": status, "detail": detail, "instance": "/x", **members}
    return status, {"Content-Type": "application/problem+json", "X-Request-Id": "req_123"}, json.dumps(body).encode("utf-8")


class RecordedRequest:
    def __init__(self, method: str, path: str, query: Dict[str, List[str]], headers: Any, body: bytes) -> None:
        self.method = method
        self.path = path
        self.query = {key: values[0] for key, values in query.items()}
        self.headers = headers
        self.body = body


class FakeVitrine:
    def __init__(self) -> None:
        self.requests: List[RecordedRequest] = []
        self.script: Dict[Tuple[str, str], List[Answer]] = {}
        self.part_size = 10
        self.min_part_size = 4
        self.parts: Dict[int, bytes] = {}
        self.file_bytes: Optional[bytes] = None
        self.job_statuses: List[str] = ["completed"]
        self.job_headers: Dict[str, str] = {}
        self.issues: List[Dict[str, Any]] = []
        self.corrected = b""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def handle_any(self) -> None:
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = RecordedRequest(self.command, url.path, parse_qs(url.query), self.headers, body)
                fake.requests.append(request)
                status, headers, payload = fake.answer(request)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = handle_any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        # A short poll keeps shutdown (once per test) quick.
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def __enter__(self) -> "FakeVitrine":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    def requests_to(self, method: str, path_pattern: str) -> List[RecordedRequest]:
        return [r for r in self.requests if r.method == method and re.fullmatch(path_pattern, r.path)]

    def file(self, name: str, content: bytes) -> Dict[str, Any]:
        self.file_bytes = content
        return {"id": "file_1", "name": name, "size": len(content), "sha256": "0" * 64, "format": "csv", "content_type": "text/csv", "created_at": "2026-12-03T12:00:00Z"}

    def answer(self, request: RecordedRequest) -> Answer:
        scripted = self.script.get((request.method, request.path))
        if scripted:
            return scripted.pop(0)
        route = (request.method, request.path)
        if route == ("POST", "/api/v1/files"):
            return json_answer(201, self.file(request.query.get("name", ""), request.body))
        if route == ("POST", "/api/v1/files/uploads"):
            announced = json.loads(request.body)
            return json_answer(201, {"upload_id": "upl_1", "name": announced["name"], "size": announced.get("size"), "part_size": self.part_size, "min_part_size": self.min_part_size, "max_parts": 10000, "status": "open", "parts": [], "created_at": "", "expires_at": ""})
        part = re.fullmatch(r"/api/v1/files/uploads/upl_1/parts/(\d+)", request.path)
        if request.method == "PUT" and part:
            number = int(part.group(1))
            self.parts[number] = request.body
            return json_answer(200, {"part_number": number, "etag": f"etag-{number}", "size": len(request.body)})
        if route == ("POST", "/api/v1/files/uploads/upl_1/complete"):
            listed = json.loads(request.body)["parts"]
            assert [p["etag"] for p in listed] == [f"etag-{p['part_number']}" for p in listed]
            return json_answer(201, self.file("big.csv", b"".join(self.parts[p["part_number"]] for p in listed)))
        if route == ("DELETE", "/api/v1/files/uploads/upl_1"):
            return json_answer(200, {"upload_id": "upl_1", "status": "aborted"})
        if route == ("POST", "/api/v1/jobs"):
            return json_answer(202, {"id": "job_1", "status": "queued"})
        if route == ("GET", "/api/v1/jobs/job_1"):
            status = self.job_statuses.pop(0) if len(self.job_statuses) > 1 else self.job_statuses[0]
            error = {"code": "unreadable_file", "message": "O arquivo não pôde ser lido."} if status == "failed" else None
            return json_answer(200, {"id": "job_1", "status": status, "error": error}, self.job_headers)
        if route == ("GET", "/api/v1/jobs/job_1/result/issues"):
            start = int(request.query.get("cursor", "0"))
            end = start + int(request.query["limit"])
            page = self.issues[start:end]
            more = end < len(self.issues)
            return json_answer(200, {"data": page, "has_more": more, "next_cursor": str(end) if more else None})
        if route == ("GET", "/api/v1/jobs/job_1/result/corrected"):
            return 200, {"Content-Type": "text/csv; charset=windows-1252"}, self.corrected
        return problem(404, "not_found", "Not found", f"No route {request.method} {request.path}")
