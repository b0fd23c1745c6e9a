import http.client
import io
import unittest

from vitrine import WebhookVerificationError, sign_webhook, verify_webhook

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MESSAGE_ID = "evt_01jf3k8v0m2x5q7r9t1w3y5z7a"
TIMESTAMP = 1763647391
BODY = (
    '{"id":"evt_01jf3k8v0m2x5q7r9t1w3y5z7a","type":"validation.completed","version":1,'
    '"created_at":"2026-11-20T14:03:11.512Z","data":{"job_id":"job_01jf3k7","rule_pack":"mercadolivre",'
    '"category":null,"message":"Catálogo validado"}}'
).encode("utf-8")
# Computed by the reference implementation, the `standardwebhooks` npm package, for the values above.
REFERENCE_SIGNATURE = "v1,ZlvTSUG49ic81pXOts5HTaNTT0JWgMweKmrICESPsCQ="
OTHER_SECRET = "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo="


def headers(signature: str = REFERENCE_SIGNATURE, timestamp: int = TIMESTAMP) -> dict:
    return {"webhook-id": MESSAGE_ID, "webhook-timestamp": str(timestamp), "webhook-signature": signature}


class VerifyWebhookTest(unittest.TestCase):
    def test_accepts_what_the_reference_library_signed_and_returns_the_event(self):
        event = verify_webhook(SECRET, headers(), BODY, now=TIMESTAMP)
        self.assertEqual(event["type"], "validation.completed")
        self.assertEqual(event["data"]["message"], "Catálogo validado")

    def test_signs_as_the_reference_library_does(self):
        self.assertEqual(sign_webhook(SECRET, MESSAGE_ID, TIMESTAMP, BODY), REFERENCE_SIGNATURE)

    def test_accepts_the_body_as_text(self):
        self.assertEqual(verify_webhook(SECRET, headers(), BODY.decode("utf-8"), now=TIMESTAMP)["id"], MESSAGE_ID)

    def test_refuses_a_changed_body(self):
        with self.assertRaisesRegex(WebhookVerificationError, "no webhook-signature matches"):
            verify_webhook(SECRET, headers(), BODY.replace(b"mercadolivre", b"shopee"), now=TIMESTAMP)

    def test_refuses_another_secret(self):
        with self.assertRaises(WebhookVerificationError):
            verify_webhook(OTHER_SECRET, headers(), BODY, now=TIMESTAMP)

    def test_refuses_another_message_id_with_the_same_signature(self):
        forged = {**headers(), "webhook-id": "evt_other"}
        with self.assertRaises(WebhookVerificationError):
            verify_webhook(SECRET, forged, BODY, now=TIMESTAMP)

    def test_refuses_timestamps_outside_the_tolerance_either_way(self):
        for now in (TIMESTAMP + 301, TIMESTAMP - 301):
            with self.subTest(now=now), self.assertRaisesRegex(WebhookVerificationError, "too far"):
                verify_webhook(SECRET, headers(), BODY, now=now)
        self.assertEqual(verify_webhook(SECRET, headers(), BODY, now=TIMESTAMP + 300)["id"], MESSAGE_ID)
        self.assertEqual(verify_webhook(SECRET, headers(), BODY, now=TIMESTAMP + 3000, tolerance=3600)["id"], MESSAGE_ID)

    def test_accepts_any_of_the_signatures_sent_during_a_rotation(self):
        old = sign_webhook(OTHER_SECRET, MESSAGE_ID, TIMESTAMP, BODY)
        both = headers(f"{old} {REFERENCE_SIGNATURE}")
        self.assertEqual(verify_webhook(SECRET, both, BODY, now=TIMESTAMP)["id"], MESSAGE_ID)
        self.assertEqual(verify_webhook(OTHER_SECRET, both, BODY, now=TIMESTAMP)["id"], MESSAGE_ID)

    def test_ignores_signatures_of_other_versions(self):
        value = REFERENCE_SIGNATURE.split(",", 1)[1]
        with self.assertRaises(WebhookVerificationError):
            verify_webhook(SECRET, headers(f"v1a,{value}"), BODY, now=TIMESTAMP)

    def test_refuses_missing_headers_and_malformed_timestamps(self):
        for name in ("webhook-id", "webhook-timestamp", "webhook-signature"):
            incomplete = {k: v for k, v in headers().items() if k != name}
            with self.subTest(missing=name), self.assertRaisesRegex(WebhookVerificationError, "missing"):
                verify_webhook(SECRET, incomplete, BODY, now=TIMESTAMP)
        with self.assertRaisesRegex(WebhookVerificationError, "Unix time"):
            verify_webhook(SECRET, headers(timestamp="1763647391.5"), BODY, now=TIMESTAMP)  # type: ignore[arg-type]

    def test_reads_header_names_in_any_case_and_from_http_server_messages(self):
        capitalized = {key.title(): value for key, value in headers().items()}
        self.assertEqual(verify_webhook(SECRET, capitalized, BODY, now=TIMESTAMP)["id"], MESSAGE_ID)
        raw = "".join(f"{key.upper()}: {value}\r\n" for key, value in headers().items()) + "\r\n"
        message = http.client.parse_headers(io.BytesIO(raw.encode("ascii")))
        self.assertEqual(verify_webhook(SECRET, message, BODY, now=TIMESTAMP)["id"], MESSAGE_ID)

    def test_a_secret_that_is_not_base64_is_a_programming_error(self):
        with self.assertRaises(ValueError) as raised:
            verify_webhook("whsec_not base64!", headers(), BODY, now=TIMESTAMP)
        self.assertNotIsInstance(raised.exception, WebhookVerificationError)


if __name__ == "__main__":
    unittest.main()
