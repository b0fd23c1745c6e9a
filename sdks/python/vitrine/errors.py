"""What the SDK raises: problems the API answered with, jobs that did not complete, bad webhooks."""

import json
import re
from typing import Any, Dict, List, Optional

_PROBLEM_ANCHOR = re.compile(r"#error-([a-z0-9-]+)$")


class VitrineError(Exception):
    """Base class of every error this SDK raises itself (network errors stay urllib's)."""


class VitrineProblemError(VitrineError):
    """The API answered with an RFC 9457 problem (application/problem+json) or another error status.

    `code` is the stable error code (`not_found`, `rate_limited`, `quota_exceeded`…): the body's own
    `code` member when it has one, otherwise read from the problem `type` URL (`/docs#error-not-found`).
    """

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        *,
        type: str = "about:blank",
        code: Optional[str] = None,
        instance: Optional[str] = None,
        errors: Optional[List[Dict[str, Any]]] = None,
        retry_after: Optional[float] = None,
        request_id: Optional[str] = None,
        body: Optional[Dict[str, Any]] = None,
    ) -> None:
        super().__init__(f"{status} {title}: {detail}" if detail else f"{status} {title}")
        self.status = status
        self.title = title
        self.detail = detail
        self.type = type
        self.code = code
        self.instance = instance
        self.errors = errors or []
        self.retry_after = retry_after
        self.request_id = request_id
        self.body = body or {}

    @classmethod
    def from_response(
        cls, status: int, reason: str, body: bytes, retry_after: Optional[float], request_id: Optional[str]
    ) -> "VitrineProblemError":
        problem: Dict[str, Any] = {}
        try:
            parsed = json.loads(body.decode("utf-8")) if body else {}
            if isinstance(parsed, dict):
                problem = parsed
        except (ValueError, UnicodeDecodeError):
            pass
        problem_type = str(problem.get("type", "about:blank"))
        code = problem.get("code")
        if not isinstance(code, str):
            match = _PROBLEM_ANCHOR.search(problem_type)
            code = match.group(1).replace("-", "_") if match else None
        errors = problem.get("errors")
        return cls(
            problem["status"] if isinstance(problem.get("status"), int) else status,
            str(problem.get("title", reason or "HTTP error")),
            str(problem.get("detail", "")),
            type=problem_type,
            code=code,
            instance=problem.get("instance") if isinstance(problem.get("instance"), str) else None,
            errors=errors if isinstance(errors, list) else None,
            retry_after=retry_after,
            request_id=request_id,
            body=problem,
        )


class JobFailedError(VitrineError):
    """A job ended `failed` or `cancelled`; `job` is its last state (`job["error"]` says why it failed)."""

    def __init__(self, job: Dict[str, Any]) -> None:
        error = job.get("error") or {}
        reason = f": {error.get('code')} {error.get('message')}" if error else ""
        super().__init__(f"job {job.get('id')} ended {job.get('status')}{reason}")
        self.job = job


class JobTimeoutError(VitrineError, TimeoutError):
    """A job was still running when wait_for_job's timeout ran out; `job` is its last state."""

    def __init__(self, job: Dict[str, Any], timeout: float) -> None:
        super().__init__(f"job {job.get('id')} still {job.get('status')} after {timeout:g} s")
        self.job = job


class WebhookVerificationError(VitrineError, ValueError):
    """A webhook delivery whose signature, timestamp or headers do not check out: answer it 400."""
