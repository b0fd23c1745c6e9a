"""Vitrine's Python SDK: validate and correct product catalogs for Brazilian marketplaces.

Standard library only; Python 3.9 or later. See sdks/python/README.md.
"""

from ._version import __version__
from .client import DEFAULT_MULTIPART_THRESHOLD, Vitrine
from .errors import JobFailedError, JobTimeoutError, VitrineError, VitrineProblemError, WebhookVerificationError
from .webhooks import sign_webhook, verify_webhook

__all__ = [
    "DEFAULT_MULTIPART_THRESHOLD",
    "JobFailedError",
    "JobTimeoutError",
    "Vitrine",
    "VitrineError",
    "VitrineProblemError",
    "WebhookVerificationError",
    "__version__",
    "sign_webhook",
    "verify_webhook",
]
