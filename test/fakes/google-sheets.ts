import type { FakeHost } from "./router.js";

/**
 * A fake of Google's OAuth 2.0 endpoints and of the Sheets API v4, shaped like the documented
 * requests and responses (each handler names its page). Hosts:
 *
 *   https://accounts.google.test/o/oauth2/v2/auth   the user consents (header x-fake-user: <email>; x-fake-decision: deny)
 *   https://oauth2.googleapis.test/token            authorization_code (PKCE), refresh_token, and the service account's jwt-bearer grant
 *   https://sheets.googleapis.test/v4/spreadsheets/…  metadata, values get, batchGetByDataFilter, values:batchUpdate, :batchUpdate
 *   https://control.sheets.test/spreadsheets/{id}   PUT (create), GET (state and counters), POST …/script, PATCH …/cells
 *
 * Spreadsheets have an owner (the OAuth user) and the emails they are shared with; a token reads
 * and writes only what its principal may. State is per spreadsheet (tests use a random id each).
 * The same handlers serve bench/sheets-sync.ts over plain HTTP.
 */

export const FAKE_GOOGLE_CLIENT_ID = "123456789012-fakeclient.apps.googleusercontent.com";
export const FAKE_GOOGLE_CLIENT_SECRET = "fake-google-client-secret-not-used-anywhere-else";
export const FAKE_SERVICE_ACCOUNT_EMAIL = "vitrine-sheets@vitrine-test.iam.gserviceaccount.com";
/** A test-only RSA key, made for these tests and used nowhere else. */
const FAKE_SERVICE_ACCOUNT_KEY = [
  "-----BEGIN PRIVATE KEY-----",
  "MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDVDPLMZFzbz8bb",
  "ZczPxB0Uzph0ZRPgFVXKjBzXEX6pz4uRez/WPk1K6QTHTzlmshmc+9/J5hWQrOsz",
  "mPjn1kLvEsGe6tPTRmgwCTJqsvshC5bDlI8iFRZEnEQFRWur7P8ratHpVpH8ksK1",
  "a3SY6N0NgjQIFd770DreeP42gguxkmqrq+HQPBEqYHJELqpqaMPYKxe2WF8KrUwN",
  "JfsBjJKxhY1+Odt8H28UcfhDnW9X5g4H9AEuAgzpo9lb8d1obARbqrHHB2mwC+Bz",
  "tZjfrODcdnNm6JjxNijuWU6FxFgNEZl3U/Hbc9tUsMGesvp0VRyhceYH9pIeGTTw",
  "QOGNPtXtAgMBAAECggEAJ6CBraIyQmFWabr42iEuTo8xvJ6LUJfvTd37REZ5AoE7",
  "wrrDsCgE7NzEGoVCFjeku3X+1TkSREdhdQasL0UDTJ/2uwYPEcJMATlIsx9oxef3",
  "qheg+tQkwOy22ysjIIaTnKIA+q9zNmEezas3s/RGH2vbHTDiOYCs3nHvSLiuD6An",
  "BxheuAEYO+a6W0c9yo3bFgYTpm0rhv9s0L0ADcLGRnqziVjlYJzBhBj+wIcols4a",
  "7l0H2Oy9+tFXySK8uSvRAVDoOq49FO72mE8JrlcYWkC4C/PYX0sPQmE9R+Y16teT",
  "lR2e2MgV4Z5PcLK3gZJwT1Urvz9Zv139T0rU9IYI4QKBgQDvcDV7KsD9TKQUcAxz",
  "bWeaeKwQ/Jf7NDftZucmjbPkctKSBgGtl9y5PQgdoPSDp43cURp8kSesjIpUzFPq",
  "kRKBTMcBKpk6n4/xzoLhkY6zOJQv5aUt5RlKCCSST4xOI8B+26MpYsg/oCWKUkMT",
  "yaIDN/Hwa7pMLFFFMh2kkbhXYQKBgQDjyXxRFK0CIXSEDQDDev+axZXJuN41He6W",
  "bjfMgNmL0uPEk5nrbCmBkTIRP6gVWdC1zWKD56RQ4m4KWZSNsiPNg+u0xyh6/aUh",
  "fSa0GuKBIkM7Dbd8OTLaR723valRbL9+TAyvc0+qpLMYnZaAluLWbERkl9bA1tYv",
  "+Bke9ComDQKBgQDAc2xJJ0AfWC65zqXzUQho/H0w2hY+buZVBtTcBCGHiVL+050d",
  "rmZW7VtMlUZzW4WGhBnJ7dH5uqylI+Z/L0O0ccWyhk7K8916+gXw0FHmc5+IMAjo",
  "LrB49LqQbyfS1qGuVVN7vE4/9bS2zQ/lI7f45kqsd6ox950LBREWaZnFgQKBgQCy",
  "M+PM7tb2zsN/t0h8pdIn/CHWAYndlkAccbe3hqoq6F6GYE7PTfwewD+iHOHbajuM",
  "r1Q+C0+Sc8JQ2IoOXGoEEwuojxJNPfgc/fL0ff/rtKlSHsYIKhtthyiWAYvgBqq9",
  "HLPj4ttVjaoLPOYMTX7C70qGQ/+fN7OzLW5BuBTtVQKBgEJIcdQe7uU4oDBMCOM7",
  "YQBimJ3JpDPnnlbt+i1t05tm1jszci8JCYRqqsqEb/aGG61lk3ed3qczg7YKsyeP",
  "nUG6gj0M4Ud/ZUXyuvH5RAZo2yTnTQQvEF9Dgc0KgMrhCG9vpEG+ZOcg+Dt9ZY88",
  "N2XNr5cUTZn6ZKHlG/UAnrbe",
  "-----END PRIVATE KEY-----",
].join("\n");

/** GOOGLE_SERVICE_ACCOUNT_JSON as Google Cloud's console downloads a key (only the fields Vitrine reads matter). */
export const FAKE_SERVICE_ACCOUNT_JSON = JSON.stringify({
  type: "service_account",
  project_id: "vitrine-test",
  private_key_id: "0000000000000000000000000000000000000000",
  private_key: FAKE_SERVICE_ACCOUNT_KEY + "\n",
  client_email: FAKE_SERVICE_ACCOUNT_EMAIL,
  token_uri: "https://oauth2.googleapis.test/token",
});

const AUTH_HOST = "accounts.google.test";
const TOKEN_HOST = "oauth2.googleapis.test";
const SHEETS_HOST = "sheets.googleapis.test";
const CONTROL_HOST = "control.sheets.test";
const SCOPE = "https://www.googleapis.com/auth/spreadsheets";
/** Access tokens live an hour (expires_in 3599). */
const ACCESS_TTL_S = 3599;

interface FakeSheet {
  sheetId: number;
  title: string;
  rowCount: number;
  columnCount: number;
  /** rows[0] is row 1. */
  rows: unknown[][];
}

interface Counters {
  requests: number;
  /** By kind: "metadata", "values.get", "batchGetByDataFilter", "values.batchUpdate", "batchUpdate". */
  byKind: Record<string, number>;
  /** Sheet rows returned by value reads (ranges × rows). */
  rowsRead: number;
  throttled: number;
  /** Every cell written, as [A1 range, value]. */
  writes: [string, unknown][];
  valueInputOptions: string[];
  valueRenderOptions: string[];
}

interface Spreadsheet {
  id: string;
  owner: string | null;
  sharedWith: Set<string>;
  sheets: FakeSheet[];
  nextSheetId: number;
  /** The next `throttle` requests answer 429 (with Retry-After seconds when set); tokens issued before `tokensDeadBefore` answer 401. */
  script: { throttle?: number; retryAfterSeconds?: number; tokensDeadBefore?: number };
  counters: Counters;
}

const spreadsheets = new Map<string, Spreadsheet>();
const codes = new Map<string, { user: string; clientId: string; redirectUri: string; challenge: string; used: boolean }>();
const accessTokens = new Map<string, { principal: string; expiresAt: number; issuedAt: number }>();
const refreshTokens = new Map<string, { user: string; revoked: boolean }>();
const tokenCounters = { authorizationCode: 0, refresh: 0, jwtBearer: 0, badAssertion: 0 };

const random = (n = 24) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => b.toString(16).padStart(2, "0")).join("");
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=UTF-8", ...headers } });
/** Google's error body: { error: { code, message, status } }. https://cloud.google.com/apis/design/errors#http_mapping */
const apiError = (code: number, status: string, message: string, headers: Record<string, string> = {}) => json({ error: { code, message, status } }, code, headers);
/** The OAuth endpoints' error body: { error, error_description }. https://developers.google.com/identity/protocols/oauth2/web-server#exchange-authorization-code */
const oauthError = (error: string, description: string, status = 400) => json({ error, error_description: description }, status);

/** Catalog rows for tests and the bench: sku, title, price, stock, gtin, brand; some with fixable problems. */
export function generateRows(count: number): unknown[][] {
  const rows: unknown[][] = [["sku", "title", "price", "stock", "gtin", "brand"]];
  for (let i = 1; i <= count; i++) {
    // Every 10th title has doubled spaces (fixed: collapsed); every 25th price is text with a decimal comma (fixed: normalized).
    const title = i % 10 === 0 ? `Camiseta  básica  ${i}` : `Camiseta básica ${i}`;
    const price = i % 25 === 0 ? `${(i % 90) + 10},90` : (i % 90) + 10.9;
    rows.push([`SKU-${String(i).padStart(6, "0")}`, title, price, i % 7, "", "Vitrine"]);
  }
  return rows;
}

function newCounters(): Counters {
  return { requests: 0, byKind: {}, rowsRead: 0, throttled: 0, writes: [], valueInputOptions: [], valueRenderOptions: [] };
}

function base64UrlDecode(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

const base64Url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

async function s256(verifier: string): Promise<string> {
  return base64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
}

/** The service account's public key, derived from the test key (as Google keeps the public half of a key it issued). */
async function publicKey(): Promise<CryptoKey> {
  const der = base64UrlDecode(FAKE_SERVICE_ACCOUNT_KEY.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""));
  const algorithm = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  const jwk = (await crypto.subtle.exportKey("jwk", await crypto.subtle.importKey("pkcs8", der, algorithm, true, ["sign"]))) as JsonWebKey;
  return crypto.subtle.importKey("jwk", { kty: "RSA", n: jwk.n, e: jwk.e, alg: "RS256", ext: true }, algorithm, false, ["verify"]);
}

/**
 * The consent screen. Query: response_type=code, client_id, redirect_uri, scope, access_type,
 * state, code_challenge, code_challenge_method; the user is sent back with code and state
 * (or error=access_denied). https://developers.google.com/identity/protocols/oauth2/web-server#creatingclient
 */
function authorize(url: URL, request: Request): Response {
  const q = url.searchParams;
  if (q.get("response_type") !== "code" || q.get("client_id") !== FAKE_GOOGLE_CLIENT_ID || !q.get("redirect_uri")) {
    return new Response("invalid_request", { status: 400 });
  }
  if (q.get("scope") !== SCOPE || q.get("access_type") !== "offline" || q.get("code_challenge_method") !== "S256" || !q.get("code_challenge")) {
    return new Response(`invalid_request: scope ${q.get("scope")}, access_type ${q.get("access_type")}, PKCE ${q.get("code_challenge_method")}`, { status: 400 });
  }
  const back = new URL(q.get("redirect_uri")!);
  back.searchParams.set("state", q.get("state") ?? "");
  if (request.headers.get("x-fake-decision") === "deny") {
    back.searchParams.set("error", "access_denied");
  } else {
    const code = `4/${random(16)}`;
    codes.set(code, { user: request.headers.get("x-fake-user") ?? "seller@example.com", clientId: q.get("client_id")!, redirectUri: q.get("redirect_uri")!, challenge: q.get("code_challenge")!, used: false });
    back.searchParams.set("code", code);
    back.searchParams.set("scope", SCOPE);
  }
  return new Response(null, { status: 302, headers: { location: back.href } });
}

function issueAccess(principal: string) {
  const token = `ya29.${random()}`;
  accessTokens.set(token, { principal, expiresAt: Date.now() + ACCESS_TTL_S * 1000, issuedAt: Date.now() });
  return token;
}

/**
 * The service account's assertion: an RS256 JWT with iss (its email), scope, aud (the token
 * endpoint), iat and exp at most an hour later.
 * https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests
 */
async function checkAssertion(assertion: string, tokenUrl: string): Promise<string | null> {
  const [h, p, s] = assertion.split(".");
  if (!h || !p || !s) return "malformed";
  const decode = (part: string) => JSON.parse(new TextDecoder().decode(base64UrlDecode(part)));
  const header = decode(h) as { alg?: string };
  const claims = decode(p) as { iss?: string; scope?: string; aud?: string; iat?: number; exp?: number };
  if (header.alg !== "RS256") return "alg";
  const signed = await crypto.subtle.verify("RSASSA-PKCS1-v1_5", await publicKey(), base64UrlDecode(s), new TextEncoder().encode(`${h}.${p}`));
  if (!signed) return "signature";
  const now = Math.floor(Date.now() / 1000);
  if (claims.iss !== FAKE_SERVICE_ACCOUNT_EMAIL || claims.scope !== SCOPE || claims.aud !== tokenUrl) return "claims";
  if (typeof claims.iat !== "number" || typeof claims.exp !== "number" || claims.exp - claims.iat > 3600 || claims.exp < now || claims.iat > now + 60) return "time";
  return null;
}

/**
 * POST /token, form-encoded. authorization_code (code, code_verifier, redirect_uri, client_id,
 * client_secret) → { access_token, expires_in, refresh_token, scope, token_type }; refresh_token →
 * the same without a new refresh_token; urn:ietf:params:oauth:grant-type:jwt-bearer (assertion) → an access token.
 * https://developers.google.com/identity/protocols/oauth2/web-server#offline
 */
async function token(request: Request, url: URL): Promise<Response> {
  const form = new URLSearchParams(await request.text());
  const grant = form.get("grant_type");
  if (grant === "urn:ietf:params:oauth:grant-type:jwt-bearer") {
    tokenCounters.jwtBearer++;
    const problem = await checkAssertion(form.get("assertion") ?? "", `${url.origin}${url.pathname}`);
    if (problem) {
      tokenCounters.badAssertion++;
      return oauthError("invalid_grant", `Invalid JWT: ${problem}`);
    }
    return json({ access_token: issueAccess(FAKE_SERVICE_ACCOUNT_EMAIL), expires_in: ACCESS_TTL_S, token_type: "Bearer" });
  }
  if (form.get("client_id") !== FAKE_GOOGLE_CLIENT_ID || form.get("client_secret") !== FAKE_GOOGLE_CLIENT_SECRET) return oauthError("invalid_client", "Unauthorized", 401);
  if (grant === "authorization_code") {
    tokenCounters.authorizationCode++;
    const code = codes.get(form.get("code") ?? "");
    if (!code || code.used || code.redirectUri !== form.get("redirect_uri")) return oauthError("invalid_grant", "Bad Request");
    if ((await s256(form.get("code_verifier") ?? "")) !== code.challenge) return oauthError("invalid_grant", "Invalid code verifier.");
    code.used = true;
    const refresh = `1//${random()}`;
    refreshTokens.set(refresh, { user: code.user, revoked: false });
    return json({ access_token: issueAccess(code.user), expires_in: ACCESS_TTL_S, refresh_token: refresh, scope: SCOPE, token_type: "Bearer" });
  }
  if (grant === "refresh_token") {
    tokenCounters.refresh++;
    const refresh = refreshTokens.get(form.get("refresh_token") ?? "");
    if (!refresh || refresh.revoked) return oauthError("invalid_grant", "Token has been expired or revoked.");
    return json({ access_token: issueAccess(refresh.user), expires_in: ACCESS_TTL_S, scope: SCOPE, token_type: "Bearer" });
  }
  return oauthError("unsupported_grant_type", `Invalid grant_type: ${grant}`);
}

/** A1 notation: 'Sheet name'!A2:F100 (quotes doubled inside), Sheet!B3, or a whole sheet. https://developers.google.com/sheets/api/guides/concepts#cell */
function parseRange(range: string): { sheet: string; c1: number; r1: number; c2: number; r2: number } | null {
  const m = /^(?:'((?:[^']|'')+)'|([^!']+))(?:!([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?)?$/.exec(range);
  if (!m) return null;
  const col = (letters: string) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  const sheet = m[1] !== undefined ? m[1].replace(/''/g, "'") : m[2];
  if (!m[3]) return { sheet, c1: 1, r1: 1, c2: Number.MAX_SAFE_INTEGER, r2: Number.MAX_SAFE_INTEGER };
  return { sheet, c1: col(m[3]), r1: Number(m[4]), c2: col(m[5] ?? m[3]), r2: Number(m[6] ?? m[4]) };
}

function resolveRange(book: Spreadsheet, range: string) {
  const parsed = parseRange(range);
  const sheet = parsed && book.sheets.find((s) => s.title === parsed.sheet);
  if (!parsed || !sheet) return { error: apiError(400, "INVALID_ARGUMENT", `Unable to parse range: ${range}`) };
  const r2 = Math.min(parsed.r2, sheet.rowCount);
  const c2 = Math.min(parsed.c2, sheet.columnCount);
  if (parsed.r1 > sheet.rowCount || parsed.c1 > sheet.columnCount || (parsed.r2 !== Number.MAX_SAFE_INTEGER && parsed.r2 > sheet.rowCount)) {
    return { error: apiError(400, "INVALID_ARGUMENT", `Range (${range}) exceeds grid limits. Max rows: ${sheet.rowCount}, max columns: ${sheet.columnCount}`) };
  }
  return { sheet, r1: parsed.r1, c1: parsed.c1, r2, c2 };
}

/** Values of a range as the API answers them: trailing empty cells and rows left out. */
function valuesOf(book: Spreadsheet, sheet: FakeSheet, r1: number, c1: number, r2: number, c2: number): unknown[][] {
  const out: unknown[][] = [];
  for (let r = r1; r <= r2; r++) {
    const row = (sheet.rows[r - 1] ?? []).slice(c1 - 1, c2);
    while (row.length && (row[row.length - 1] === "" || row[row.length - 1] === null || row[row.length - 1] === undefined)) row.pop();
    out.push(row.map((v) => v ?? ""));
  }
  while (out.length && out[out.length - 1].length === 0) out.pop();
  book.counters.rowsRead += out.length;
  return out;
}

function setCell(sheet: FakeSheet, row: number, col: number, value: unknown) {
  while (sheet.rows.length < row) sheet.rows.push([]);
  const cells = sheet.rows[row - 1];
  while (cells.length < col) cells.push("");
  cells[col - 1] = value;
}

/** The Sheets API. https://developers.google.com/sheets/api/reference/rest */
async function sheetsApi(request: Request, url: URL): Promise<Response> {
  const m = /^\/v4\/spreadsheets\/([^/:]+)(.*)$/.exec(url.pathname);
  const book = m && spreadsheets.get(decodeURIComponent(m[1]));
  const bearer = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
  const access = accessTokens.get(bearer);
  if (!access || access.expiresAt < Date.now()) return apiError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.");
  if (!m || !book) return apiError(404, "NOT_FOUND", "Requested entity was not found.");
  if (book.script.tokensDeadBefore && access.issuedAt < book.script.tokensDeadBefore) return apiError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.");
  book.counters.requests++;
  if (book.script.throttle && book.script.throttle > 0) {
    book.script.throttle--;
    book.counters.throttled++;
    // https://developers.google.com/sheets/api/limits: 429 Too many requests, retry with exponential backoff.
    return apiError(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user'.", book.script.retryAfterSeconds ? { "retry-after": String(book.script.retryAfterSeconds) } : {});
  }
  if (access.principal !== book.owner && !book.sharedWith.has(access.principal)) return apiError(403, "PERMISSION_DENIED", "The caller does not have permission");
  const rest = decodeURIComponent(m[2]);
  const count = (kind: string) => (book.counters.byKind[kind] = (book.counters.byKind[kind] ?? 0) + 1);

  // GET /v4/spreadsheets/{id}?fields=… https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/get
  if (rest === "" && request.method === "GET") {
    count("metadata");
    return json({
      spreadsheetId: book.id,
      sheets: book.sheets.map((s) => ({ properties: { sheetId: s.sheetId, title: s.title, index: book.sheets.indexOf(s), sheetType: "GRID", gridProperties: { rowCount: s.rowCount, columnCount: s.columnCount } } })),
    });
  }
  // GET …/values/{range} https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/get
  if (rest.startsWith("/values/") && request.method === "GET") {
    count("values.get");
    book.counters.valueRenderOptions.push(url.searchParams.get("valueRenderOption") ?? "FORMATTED_VALUE");
    const range = rest.slice("/values/".length);
    const at = resolveRange(book, range);
    if ("error" in at) return at.error!;
    const values = valuesOf(book, at.sheet, at.r1, at.c1, at.r2, at.c2);
    return json({ range, majorDimension: "ROWS", ...(values.length > 0 && { values }) });
  }
  // POST …/values:batchGetByDataFilter https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/batchGetByDataFilter
  if (rest === "/values:batchGetByDataFilter" && request.method === "POST") {
    count("batchGetByDataFilter");
    const body = (await request.json()) as { dataFilters?: { a1Range?: string }[]; valueRenderOption?: string };
    book.counters.valueRenderOptions.push(body.valueRenderOption ?? "FORMATTED_VALUE");
    const valueRanges = [];
    for (const filter of body.dataFilters ?? []) {
      const at = resolveRange(book, filter.a1Range ?? "");
      if ("error" in at) return at.error!;
      const values = valuesOf(book, at.sheet, at.r1, at.c1, at.r2, at.c2);
      valueRanges.push({ valueRange: { range: filter.a1Range, majorDimension: "ROWS", ...(values.length > 0 && { values }) }, dataFilters: [filter] });
    }
    return json({ spreadsheetId: book.id, valueRanges });
  }
  // POST …/values:batchUpdate https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/batchUpdate
  if (rest === "/values:batchUpdate" && request.method === "POST") {
    count("values.batchUpdate");
    const body = (await request.json()) as { valueInputOption?: string; data?: { range: string; values: unknown[][] }[] };
    if (body.valueInputOption !== "RAW" && body.valueInputOption !== "USER_ENTERED") return apiError(400, "INVALID_ARGUMENT", "Invalid valueInputOption");
    book.counters.valueInputOptions.push(body.valueInputOption);
    const resolved = [];
    for (const d of body.data ?? []) {
      const at = resolveRange(book, d.range);
      if ("error" in at) return at.error!;
      resolved.push({ at, d });
    }
    let cells = 0;
    for (const { at, d } of resolved) {
      d.values.forEach((row, i) =>
        row.forEach((value, j) => {
          setCell(at.sheet, at.r1 + i, at.c1 + j, value);
          book.counters.writes.push([d.range, value]);
          cells++;
        }),
      );
    }
    return json({ spreadsheetId: book.id, totalUpdatedCells: cells, responses: resolved.map(({ d }) => ({ updatedRange: d.range })) });
  }
  // POST /v4/spreadsheets/{id}:batchUpdate https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/batchUpdate
  if (rest === ":batchUpdate" && request.method === "POST") {
    count("batchUpdate");
    const body = (await request.json()) as { requests?: Record<string, any>[] };
    for (const r of body.requests ?? []) {
      if (r.deleteSheet) book.sheets = book.sheets.filter((s) => s.sheetId !== r.deleteSheet.sheetId);
      else if (r.addSheet) {
        const p = r.addSheet.properties ?? {};
        if (book.sheets.some((s) => s.title === p.title)) return apiError(400, "INVALID_ARGUMENT", `A sheet with the name "${p.title}" already exists.`);
        book.sheets.push({ sheetId: book.nextSheetId++, title: p.title, rowCount: p.gridProperties?.rowCount ?? 1000, columnCount: p.gridProperties?.columnCount ?? 26, rows: [] });
      } else return apiError(400, "INVALID_ARGUMENT", "Unsupported request");
    }
    return json({ spreadsheetId: book.id, replies: [] });
  }
  return apiError(404, "NOT_FOUND", `No method ${request.method} ${rest}`);
}

interface CreateBody {
  owner?: string;
  shared?: string[];
  sheets: { title: string; rows?: unknown[][]; generate?: number; rowCount?: number; columnCount?: number }[];
  script?: Spreadsheet["script"];
}

/** The tests' side: create a spreadsheet, read its state and counters, script 429s, edit cells as the seller would. */
async function control(request: Request, url: URL): Promise<Response> {
  if (url.pathname === "/tokens") {
    // Counters, and every token issued to one principal (the security test looks for them everywhere).
    const principal = url.searchParams.get("principal");
    const access = [...accessTokens].filter(([, t]) => t.principal === principal).map(([token]) => token);
    const refresh = [...refreshTokens].filter(([, t]) => t.user === principal).map(([token]) => token);
    return json({ counters: tokenCounters, issued: { access, refresh } });
  }
  const m = /^\/spreadsheets\/([^/]+)(\/script|\/cells)?$/.exec(url.pathname);
  if (!m) return new Response("not found", { status: 404 });
  const id = m[1];
  if (request.method === "PUT" && !m[2]) {
    const body = (await request.json()) as CreateBody;
    const sheets = body.sheets.map((s, i) => {
      const rows = s.generate !== undefined ? generateRows(s.generate) : (s.rows ?? []);
      return { sheetId: i + 1, title: s.title, rows, rowCount: s.rowCount ?? Math.max(1000, rows.length), columnCount: s.columnCount ?? Math.max(26, rows[0]?.length ?? 0) };
    });
    spreadsheets.set(id, { id, owner: body.owner ?? null, sharedWith: new Set(body.shared ?? []), sheets, nextSheetId: sheets.length + 1, script: body.script ?? {}, counters: newCounters() });
    return new Response(null, { status: 204 });
  }
  const book = spreadsheets.get(id);
  if (!book) return new Response("no such spreadsheet", { status: 404 });
  if (m[2] === "/script") {
    const script = (await request.json()) as Spreadsheet["script"] & { expireTokens?: boolean };
    // expireTokens: every access token issued so far stops working (the gate must refresh).
    book.script = { ...script, ...(script.expireTokens && { tokensDeadBefore: Date.now() + 1 }) };
    return new Response(null, { status: 204 });
  }
  if (m[2] === "/cells") {
    // [[sheet title, row, column (1-based), value]]
    for (const [title, row, col, value] of (await request.json()) as [string, number, number, unknown][]) {
      const sheet = book.sheets.find((s) => s.title === title);
      if (sheet) setCell(sheet, row, col, value);
      else book.sheets.push({ sheetId: book.nextSheetId++, title, rowCount: 1000, columnCount: 26, rows: [] }), setCell(book.sheets[book.sheets.length - 1], row, col, value);
    }
    return new Response(null, { status: 204 });
  }
  const full = url.searchParams.get("rows") === "all";
  return json({
    counters: book.counters,
    sheets: book.sheets.map((s) => ({ title: s.title, rowCount: s.rowCount, rows: full ? s.rows : s.rows.slice(0, 60) })),
  });
}

export const googleSheets: FakeHost = {
  name: "google sheets",
  matches: (hostname) => [AUTH_HOST, TOKEN_HOST, SHEETS_HOST, CONTROL_HOST].includes(hostname),
  fetch(request) {
    const url = new URL(request.url);
    if (url.hostname === AUTH_HOST) return url.pathname === "/o/oauth2/v2/auth" ? authorize(url, request) : new Response("not found", { status: 404 });
    if (url.hostname === TOKEN_HOST) return url.pathname === "/token" && request.method === "POST" ? token(request, url) : new Response("not found", { status: 404 });
    if (url.hostname === CONTROL_HOST) return control(request, url);
    return sheetsApi(request, url);
  },
};

/** For a plain HTTP server (the bench): which part of the fake answers a request. */
export const googleParts = {
  authorize: (request: Request) => authorize(new URL(request.url), request),
  token: (request: Request) => token(request, new URL(request.url)),
  sheets: (request: Request) => sheetsApi(request, new URL(request.url)),
  control: (request: Request) => control(request, new URL(request.url)),
};
