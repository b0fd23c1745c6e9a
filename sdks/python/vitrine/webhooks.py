"""Standard Webhooks signatures (https://www.standardwebhooks.com), as Vitrine signs its deliveries.

signature = base64(HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<raw body>")), where key is the
base64-decoded part of the secret after "whsec_". During a secret rotation a delivery carries two
signatures, space-separated; either one matching is enough.
"""

import base64
import binascii
import hashlib
import hmac
import json
import time
from typing import Any, Dict, Mapping, Optional, Union

from .errors import WebhookVerificationError

DEFAULT_TOLERANCE_SECONDS = 300


def _key(secret: str) -> bytes:
    encoded = secret[len("whsec_") :] if secret.startswith("whsec_") else secret
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError("a webhook secret is whsec_ followed by base64") from error


def _as_bytes(body: Union[bytes, bytearray, memoryview, str]) -> bytes:
    return body.encode("utf-8") if isinstance(body, str) else bytes(body)


def _signature(key: bytes, message_id: str, timestamp: str, body: bytes) -> bytes:
    return hmac.new(key, f"{message_id}.{timestamp}.".encode("utf-8") + body, hashlib.sha256).digest()


def sign_webhook(secret: str, message_id: str, timestamp: int, body: Union[bytes, str]) -> str:
    """The `webhook-signature` value Vitrine would send: for testing your own receiver."""
    digest = _signature(_key(secret), message_id, str(int(timestamp)), _as_bytes(body))
    return "v1," + base64.b64encode(digest).decode("ascii")


def _header(headers: Mapping[str, str], name: str) -> Optional[str]:
    value = headers.get(name)
    if value is None:
        value = next((v for k, v in headers.items() if k.lower() == name), None)
    return value


def verify_webhook(
    secret: str,
    headers: Mapping[str, str],
    body: Union[bytes, bytearray, memoryview, str],
    *,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
    now: Optional[float] = None,
) -> Dict[str, Any]:
    """Checks a delivery and returns the event it carries (the parsed JSON body).

    `headers` is any mapping of the request's headers (a dict, http.server's `self.headers`, a
    framework's request headers); names are matched ignoring case. `body` must be the raw body, exactly
    as received, before any JSON parsing. Raises WebhookVerificationError when the headers are missing,
    the timestamp is more than `tolerance` seconds from `now` (replays), or no v1 signature matches.
    """
    message_id = _header(headers, "webhook-id")
    timestamp = _header(headers, "webhook-timestamp")
    signatures = _header(headers, "webhook-signature")
    if not message_id or not timestamp or not signatures:
        raise WebhookVerificationError("missing webhook-id, webhook-timestamp or webhook-signature header")
    if not timestamp.isdigit():
        raise WebhookVerificationError("webhook-timestamp is not a Unix time in seconds")
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > tolerance:
        raise WebhookVerificationError("webhook-timestamp is too far from now (a replay, or a clock off)")
    raw = _as_bytes(body)
    expected = _signature(_key(secret), message_id, timestamp, raw)
    for entry in signatures.split(" "):
        version, _, value = entry.partition(",")
        if version != "v1" or not value:
            continue
        try:
            given = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            continue
        if hmac.compare_digest(given, expected):
            try:
                event = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as error:
                raise WebhookVerificationError("the signed body is not JSON") from error
            return event
    raise WebhookVerificationError("no webhook-signature matches this secret and body")
