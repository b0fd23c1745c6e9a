"""The Vitrine client: one object holding the key, with the helpers a catalog integration needs."""

import io
import json
import os
import socket
import time
import uuid
from email.utils import parsedate_to_datetime
from typing import Any, BinaryIO, Callable, Dict, Iterator, List, Mapping, Optional, Tuple, Union, cast
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urlencode
from urllib.request import HTTPRedirectHandler, Request, build_opener

from ._version import __version__
from .errors import JobFailedError, JobTimeoutError, VitrineProblemError
from .models import File, Issue, Job
from .operations import OPERATIONS

Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, BinaryIO]
#: Called as an upload's bytes go out: (bytes sent so far, total bytes or None when unknown).
ProgressCallback = Callable[[int, Optional[int]], None]

DEFAULT_BASE_URL = "http://localhost:8787"
#: Above this size upload_file sends the file in parts (POST /api/v1/files/uploads).
DEFAULT_MULTIPART_THRESHOLD = 100 * 1024 * 1024
TERMINAL_JOB_STATUSES = ("completed", "failed", "cancelled")

_CONTENT_TYPES = {
    ".csv": "text/csv",
    ".txt": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".json": "application/json",
    ".ndjson": "application/x-ndjson",
    ".jsonl": "application/x-ndjson",
}
# Statuses worth trying again: the request was not processed (429) or the way there failed.
_RETRY_STATUSES = (429, 502, 503, 504)
_IDEMPOTENT_METHODS = ("GET", "HEAD", "PUT", "DELETE", "OPTIONS")
# A longer Retry-After (the hourly signup limit, say) is the caller's to decide on: raised, not slept.
_MAX_RETRY_AFTER = 60.0
_PROGRESS_STEP = 256 * 1024
_DOWNLOAD_CHUNK = 1024 * 1024


class _NoRedirects(HTTPRedirectHandler):
    """The API does not redirect; following one would carry the API key to wherever it points."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = build_opener(_NoRedirects)


class _Response:
    def __init__(self, status: int, headers: Mapping[str, str], stream: Any) -> None:
        self.status = status
        self.headers = headers
        self.stream = stream

    def read_json(self) -> Any:
        with self.stream:
            raw = self.stream.read()
        if not raw:
            return None
        if "json" in (self.headers.get("content-type") or ""):
            return json.loads(raw.decode("utf-8"))
        return raw


class _ProgressReader(io.RawIOBase):
    """A body http.client reads block by block, reporting how far the whole upload got."""

    def __init__(self, inner: BinaryIO, offset: int, total: Optional[int], callback: Optional[ProgressCallback]) -> None:
        super().__init__()
        self._inner = inner
        self._sent = offset
        self._reported = offset
        self._total = total
        self._callback = callback

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self._inner.read(size)
        self._sent += len(chunk)
        if self._callback and self._sent != self._reported:
            if self._sent - self._reported >= _PROGRESS_STEP or not chunk or self._sent == self._total:
                self._reported = self._sent
                self._callback(self._sent, self._total)
        return chunk


def _retry_after_seconds(value: Optional[str]) -> Optional[float]:
    """Retry-After as seconds: delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, IndexError):
        return None


def _read_exactly(reader: BinaryIO, size: int) -> bytes:
    chunks: List[bytes] = []
    remaining = size
    while remaining > 0:
        chunk = reader.read(remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _size_of_stream(stream: BinaryIO) -> Optional[int]:
    """Bytes left in a seekable stream; None when it cannot tell (a pipe, a socket)."""
    try:
        if not stream.seekable():
            return None
        position = stream.tell()
        end = stream.seek(0, io.SEEK_END)
        stream.seek(position)
        return end - position
    except (AttributeError, OSError, ValueError):
        return None


class Vitrine:
    """A client of the Vitrine API.

    >>> vitrine = Vitrine("vt_test_…", base_url="http://localhost:8787")
    >>> file = vitrine.upload_file("catalogo.csv")
    >>> job = vitrine.wait_for_job(vitrine.create_job(file_id=file["id"], rule_pack="mercadolivre")["id"])

    Every method raises VitrineProblemError when the API answers with an error.
    """

    def __init__(
        self,
        api_key: str,
        base_url: Optional[str] = None,
        *,
        language: Optional[str] = None,
        timeout: float = 60.0,
        max_retries: int = 4,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`base_url` defaults to $VITRINE_BASE_URL, then http://localhost:8787. `language` ("pt-BR" or
        "en") picks the language of messages and problem details. Requests the API refused for rate
        (429) or that failed on the way (502–504, and network errors for idempotent requests) are
        retried up to `max_retries` times, waiting Retry-After when given (up to a minute; a longer
        one is raised). `sleep` and `clock` exist for tests."""
        if not api_key:
            raise ValueError("an API key (vt_live_… or vt_test_…) is required")
        self.api_key = api_key
        self.base_url = (base_url or os.environ.get("VITRINE_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        self.language = language
        self.timeout = timeout
        self.max_retries = max_retries
        self._sleep = sleep
        self._clock = clock

    # Transport -----------------------------------------------------------------------------------

    def _url(self, path: str, query: Optional[Mapping[str, Any]] = None) -> str:
        url = self.base_url + path
        if query:
            pairs = [(key, self._query_value(value)) for key, value in query.items() if value is not None]
            if pairs:
                url += "?" + urlencode(pairs)
        return url

    @staticmethod
    def _query_value(value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    def _request(
        self,
        method: str,
        path: str,
        *,
        query: Optional[Mapping[str, Any]] = None,
        json_body: Any = None,
        body: Optional[Callable[[], Tuple[Any, int]]] = None,
        content_type: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
        accept: str = "application/json",
    ) -> _Response:
        """Sends one request, retrying what is safe to retry. `body` makes a fresh (reader, length) per
        attempt, so a file can be sent again from its start."""
        sent_headers = {
            "Authorization": f"Bearer {self.api_key}",
            "User-Agent": f"vitrine-python/{__version__}",
            "Accept": accept,
        }
        if self.language:
            sent_headers["Accept-Language"] = self.language
        if json_body is not None:
            encoded = json.dumps(json_body).encode("utf-8")
            body = lambda: (encoded, len(encoded))  # noqa: E731
            content_type = content_type or "application/json"
        if content_type:
            sent_headers["Content-Type"] = content_type
        sent_headers.update(headers or {})
        retry_network = method in _IDEMPOTENT_METHODS or any(k.lower() == "idempotency-key" for k in sent_headers)
        url = self._url(path, query)

        for attempt in range(self.max_retries + 1):
            data: Any = None
            if body is not None:
                data, length = body()
                sent_headers["Content-Length"] = str(length)
            elif method in ("POST", "PUT", "PATCH"):
                sent_headers["Content-Length"] = "0"
            request = Request(url, data=data, headers=sent_headers, method=method)
            last_attempt = attempt == self.max_retries
            try:
                response = _OPENER.open(request, timeout=self.timeout)
                return _Response(response.status, response.headers, response)
            except HTTPError as error:
                retry_after = _retry_after_seconds(error.headers.get("retry-after"))
                retryable = error.code == 429 or (error.code in _RETRY_STATUSES and retry_network)
                if retryable and not last_attempt and (retry_after is None or retry_after <= _MAX_RETRY_AFTER):
                    error.close()
                    self._sleep(retry_after if retry_after is not None else self._backoff(attempt))
                    continue
                with error:
                    raw = error.read()
                raise VitrineProblemError.from_response(
                    error.code, error.reason, raw, retry_after, error.headers.get("x-request-id")
                ) from None
            except (URLError, ConnectionError, socket.timeout):
                if not retry_network or last_attempt:
                    raise
                self._sleep(self._backoff(attempt))
        raise AssertionError("unreachable")

    @staticmethod
    def _backoff(attempt: int) -> float:
        return min(0.5 * 2**attempt, 8.0)

    def _json(self, method: str, path: str, **options: Any) -> Any:
        return self._request(method, path, **options).read_json()

    # Any operation -------------------------------------------------------------------------------

    def call(
        self,
        operation_id: str,
        *,
        path_params: Optional[Mapping[str, Any]] = None,
        query: Optional[Mapping[str, Any]] = None,
        body: Any = None,
        data: Optional[bytes] = None,
        content_type: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
    ) -> Any:
        """Calls any operation of the OpenAPI document by its operationId, e.g.
        `call("getJob", path_params={"id": job_id})` or `call("createWebhook", body={...})`. `body`
        is sent as JSON; other content goes in `data` with its `content_type` (a rule pack's YAML).
        Returns the parsed JSON (None for an empty answer, bytes for other content)."""
        operation = OPERATIONS.get(operation_id)
        if operation is None:
            raise ValueError(f"unknown operationId {operation_id!r}; see vitrine.operations.OPERATIONS")
        path = operation.path
        for name, value in (path_params or {}).items():
            path = path.replace("{" + name + "}", quote(str(value), safe=""))
        if "{" in path:
            raise ValueError(f"{operation_id} needs path parameters: {operation.path}")
        if body is not None and data is not None:
            raise ValueError("pass body (JSON) or data (other content), not both")
        raw = None if data is None else (lambda: (data, len(data)))
        return self._json(operation.method, path, query=query, json_body=body, body=raw, content_type=content_type, headers=headers)

    # Files ---------------------------------------------------------------------------------------

    def upload_file(
        self,
        source: Source,
        *,
        name: Optional[str] = None,
        content_type: Optional[str] = None,
        multipart_threshold: int = DEFAULT_MULTIPART_THRESHOLD,
        part_size: Optional[int] = None,
        on_progress: Optional[ProgressCallback] = None,
    ) -> File:
        """Uploads a catalog (CSV, XLSX, JSON, NDJSON) from a path, bytes or a binary file object.

        Up to `multipart_threshold` bytes go in one request (POST /api/v1/files); larger files, and
        streams whose size cannot be known, go in parts (the API's suggested part size unless
        `part_size` is given; at least 5 MiB). `on_progress(sent, total)` follows the bytes out.
        Returns the stored file, with the format, encoding and delimiter Vitrine detected."""
        if isinstance(source, (bytes, bytearray, memoryview)):
            data = bytes(source)
            size: Optional[int] = len(data)
            open_reader: Callable[[], BinaryIO] = lambda: io.BytesIO(data)  # noqa: E731
            name = name or "upload"
        elif isinstance(source, (str, os.PathLike)):
            path = os.fspath(source)
            size = os.path.getsize(path)
            open_reader = lambda: open(path, "rb")  # noqa: E731
            name = name or os.path.basename(path)
        elif hasattr(source, "read"):
            stream = cast(BinaryIO, source)
            size = _size_of_stream(stream)
            start = stream.tell() if size is not None else None
            opened = [False]

            def open_reader() -> BinaryIO:
                # A stream can be read again only if it can seek back to where it started.
                if opened[0]:
                    if start is None:
                        raise ValueError("this stream cannot be rewound to send it again")
                    stream.seek(start)
                opened[0] = True
                return _Unclosable(stream)

            name = name or os.path.basename(str(getattr(source, "name", "") or "")) or "upload"
        else:
            raise TypeError("source must be a path, bytes or a binary file object")

        if size is not None and size <= multipart_threshold:
            return self._upload_single(open_reader, size, name, content_type, on_progress)
        return self._upload_multipart(open_reader, size, name, part_size, on_progress)

    def _upload_single(
        self,
        open_reader: Callable[[], BinaryIO],
        size: int,
        name: str,
        content_type: Optional[str],
        on_progress: Optional[ProgressCallback],
    ) -> File:
        extension = os.path.splitext(name)[1].lower()
        readers: List[BinaryIO] = []

        def body() -> Tuple[Any, int]:
            for reader in readers:
                reader.close()
            readers.append(open_reader())
            return _ProgressReader(readers[-1], 0, size, on_progress), size

        try:
            return cast(
                File,
                self._json(
                    "POST",
                    "/api/v1/files",
                    query={"name": name},
                    body=body,
                    content_type=content_type or _CONTENT_TYPES.get(extension, "application/octet-stream"),
                ),
            )
        finally:
            for reader in readers:
                reader.close()

    def _upload_multipart(
        self,
        open_reader: Callable[[], BinaryIO],
        size: Optional[int],
        name: str,
        part_size: Optional[int],
        on_progress: Optional[ProgressCallback],
    ) -> File:
        announced = {"name": name, **({"size": size} if size else {})}
        upload = self._json(
            "POST", "/api/v1/files/uploads", json_body=announced, headers={"Idempotency-Key": str(uuid.uuid4())}
        )
        upload_path = "/api/v1/files/uploads/" + quote(upload["upload_id"], safe="")
        chosen = part_size or upload["part_size"]
        if chosen < upload["min_part_size"]:
            raise ValueError(f"part_size must be at least {upload['min_part_size']} bytes")
        if size:
            # At most max_parts parts: a huge file gets bigger parts.
            chosen = max(chosen, -(-size // upload["max_parts"]))
        parts: List[Dict[str, Any]] = []
        sent = 0
        try:
            with open_reader() as reader:
                number = 1
                while True:
                    chunk = _read_exactly(reader, chosen)
                    if not chunk and number > 1:
                        break
                    offset = sent

                    def part_body(chunk: bytes = chunk, offset: int = offset) -> Tuple[Any, int]:
                        return _ProgressReader(io.BytesIO(chunk), offset, size, on_progress), len(chunk)

                    stored = self._json(
                        "PUT",
                        f"{upload_path}/parts/{number}",
                        body=part_body,
                        content_type="application/octet-stream",
                    )
                    parts.append({"part_number": number, "etag": stored["etag"]})
                    sent += len(chunk)
                    if len(chunk) < chosen:
                        break
                    number += 1
            return cast(File, self._json("POST", f"{upload_path}/complete", json_body={"parts": parts}))
        except BaseException:
            # Discard the parts rather than leave them until the upload expires.
            try:
                self._request("DELETE", upload_path).read_json()
            except Exception:
                pass
            raise

    # Jobs ----------------------------------------------------------------------------------------

    def create_job(
        self,
        *,
        file_id: Optional[str] = None,
        records: Optional[List[Dict[str, Any]]] = None,
        rule_pack: Optional[str] = None,
        category: Optional[str] = None,
        mapping_id: Optional[str] = None,
        apply_fixes: bool = False,
        options: Optional[Mapping[str, Any]] = None,
        idempotency_key: Optional[str] = None,
    ) -> Job:
        """Starts validating an uploaded file (`file_id`) or up to 10,000 inline `records`. `options`
        adds the job's other options (`sheet`, `header_row`, `first_data_row`). Sent with an
        Idempotency-Key (a fresh one unless given), so a retried request never starts two jobs."""
        if (file_id is None) == (records is None):
            raise ValueError("pass exactly one of file_id and records")
        body: Dict[str, Any] = {
            "source": {"file_id": file_id} if file_id is not None else {"records": records},
            "options": {**(options or {}), "apply_fixes": apply_fixes},
        }
        for key, value in (("rule_pack", rule_pack), ("category", category), ("mapping_id", mapping_id)):
            if value is not None:
                body[key] = value
        key = idempotency_key or str(uuid.uuid4())
        return cast(Job, self._json("POST", "/api/v1/jobs", json_body=body, headers={"Idempotency-Key": key}))

    def get_job(self, job_id: str) -> Job:
        return cast(Job, self._json("GET", "/api/v1/jobs/" + quote(job_id, safe="")))

    def wait_for_job(
        self,
        job_id: str,
        *,
        timeout: float = 900.0,
        poll_interval: float = 1.0,
        max_poll_interval: float = 15.0,
        on_progress: Optional[Callable[[Job], None]] = None,
    ) -> Job:
        """Polls the job until it ends, doubling the wait between polls from `poll_interval` up to
        `max_poll_interval` (or waiting what Retry-After says). Returns the completed job; raises
        JobFailedError when it failed or was cancelled, JobTimeoutError after `timeout` seconds.
        `on_progress(job)` sees every poll."""
        deadline = self._clock() + timeout
        interval = poll_interval
        while True:
            response = self._request("GET", "/api/v1/jobs/" + quote(job_id, safe=""))
            job = cast(Job, response.read_json())
            if on_progress:
                on_progress(job)
            if job["status"] in TERMINAL_JOB_STATUSES:
                if job["status"] != "completed":
                    raise JobFailedError(cast(Dict[str, Any], job))
                return job
            wait = _retry_after_seconds(response.headers.get("retry-after"))
            wait = interval if wait is None else wait
            if self._clock() + wait > deadline:
                raise JobTimeoutError(cast(Dict[str, Any], job), timeout)
            self._sleep(wait)
            interval = min(interval * 2, max_poll_interval)

    def iter_issues(
        self,
        job_id: str,
        *,
        page_size: int = 1000,
        severity: Optional[str] = None,
        rule: Optional[str] = None,
        field: Optional[str] = None,
        column: Optional[str] = None,
        sku: Optional[str] = None,
        sku_prefix: Optional[str] = None,
        lang: Optional[str] = None,
    ) -> Iterator[Issue]:
        """Yields every issue of a completed job, page after page (`page_size` at most 1000), following
        `next_cursor` while `has_more`. Filters combine as in GET /jobs/{id}/result/issues."""
        query: Dict[str, Any] = {
            "format": "json",
            "limit": page_size,
            "severity": severity,
            "rule": rule,
            "field": field,
            "column": column,
            "sku": sku,
            "sku_prefix": sku_prefix,
            "lang": lang,
        }
        path = f"/api/v1/jobs/{quote(job_id, safe='')}/result/issues"
        while True:
            page = self._json("GET", path, query=query)
            for issue in page["data"]:
                yield cast(Issue, issue)
            if not page["has_more"]:
                return
            query["cursor"] = page["next_cursor"]

    def download_corrected(
        self, job_id: str, destination: Union[str, "os.PathLike[str]", None] = None, *, format: Optional[str] = None
    ) -> Union[bytes, str]:
        """The corrected catalog of a job run with apply_fixes, in its source's format (or `format`:
        csv, xlsx, ndjson). With `destination` it is streamed to that path, which is returned;
        without, its bytes are returned."""
        response = self._request(
            "GET",
            f"/api/v1/jobs/{quote(job_id, safe='')}/result/corrected",
            query={"format": format},
            accept="*/*",
        )
        with response.stream as stream:
            if destination is None:
                return cast(bytes, stream.read())
            target = os.fspath(destination)
            try:
                with open(target, "wb") as out:
                    for chunk in iter(lambda: stream.read(_DOWNLOAD_CHUNK), b""):
                        out.write(chunk)
            except BaseException:
                if os.path.exists(target):
                    os.remove(target)
                raise
            return target


class _Unclosable(io.RawIOBase):
    """The caller's stream, read by the upload but left open for the caller to close."""

    def __init__(self, inner: BinaryIO) -> None:
        super().__init__()
        self._inner = inner

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._inner.read(size)
