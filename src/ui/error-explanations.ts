import type { ProblemCode } from "../api/problems";

/**
 * One line per problem type for the docs' error list: when the API answers with it and
 * what the caller should do. Typed by ProblemCode, so adding a code to the catalogue
 * without explaining it here fails the type check (and test/ui/docs.test.ts).
 */
export const ERROR_EXPLANATIONS: Record<ProblemCode, string> = {
  invalid_request:
    "A parameter or body field failed validation; `errors[]` names each one by JSON `pointer` or `parameter`. Fix those fields and resend.",
  malformed_json:
    "The body sent as application/json does not parse. Check quoting and trailing commas, and that the body is UTF-8 JSON.",
  unauthorized:
    "The Authorization header is missing, or the key is unknown or revoked. Send `Authorization: Bearer vt_live_…` (or `vt_test_…`) with a live key.",
  not_found:
    "No route matches the path, or the object does not exist or belongs to another account. Check the id and the key you are using.",
  method_not_allowed:
    "The path exists but not with this HTTP method. Use one of the methods listed in the `Allow` response header.",
  conflict:
    "The request clashes with the current state, e.g. signing up with an email that already has an account. Read `detail` and change the request.",
  idempotency_in_flight:
    "Another request with the same Idempotency-Key is still being processed. Wait briefly, then retry with the same key to get its response.",
  length_required:
    "File uploads and parts are streamed to storage, which needs the size up front. Send the body with a `Content-Length` header (curl's `--data-binary @file` does), not chunked.",
  payload_too_large:
    "The request body exceeds the limit for this route (JSON bodies: 5 MiB; see `limit_bytes`). Send fewer records or upload a file instead.",
  unsupported_media_type:
    "The Content-Type is not one this route accepts. Send `Content-Type: application/json` unless the operation says otherwise.",
  range_not_satisfiable:
    "The `Range` of a file download starts at or beyond the end of the file. `Content-Range: bytes */<size>` gives the file's size; ask for a range inside it.",
  unprocessable:
    "The request is well formed but cannot be carried out as asked. Read `detail`, change the request, and do not retry it unchanged.",
  invalid_rule_pack:
    "The rule pack does not parse, names an unknown check, field, category or parent pack, has an unsafe pattern, or is too large. `errors[]` gives each problem with its `pointer`, `line` and `rule`.",
  invalid_mapping:
    "The mapping names an unknown target field or transform, has bad transform parameters or an unsafe pattern, or its marketplace or category does not exist. `errors[]` points at each problem; fix those entries and resend.",
  idempotency_mismatch:
    "An Idempotency-Key was reused (within 24 h) with a different request body. Use a new key for a new request.",
  rate_limited:
    "Too many requests for this API key, or too many signups from one address. Wait the seconds given in `Retry-After`, then retry.",
  internal:
    "Something failed on our side; the request may be retried. If it persists, contact support quoting the `X-Request-Id` header.",
};
