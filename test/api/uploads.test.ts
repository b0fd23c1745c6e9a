import { describe, expect, it } from "vitest";
import { utf8 } from "../fixtures/tabular/streams";
import { csvOfSize, type FileJson, firstDifference, MIB, PDF, sha256, storedKeys, streamOf } from "../fixtures/files";
import { call, env, expectProblem, newAccount } from "../helpers";

interface UploadJson {
  upload_id: string;
  name: string;
  size: number | null;
  part_size: number;
  min_part_size: number;
  max_parts: number;
  status: string;
  parts: { part_number: number; etag: string; size: number }[];
  expires_at: string;
}

async function startUpload(key: string, body: Record<string, unknown> = { name: "catalogo.csv" }) {
  const res = await call("/api/v1/files/uploads", { method: "POST", key, json: body });
  expect(res.status).toBe(201);
  return (await res.json()) as UploadJson;
}

function putPart(key: string, uploadId: string, n: number | string, bytes: Uint8Array | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  return call(`/api/v1/files/uploads/${uploadId}/parts/${n}`, {
    method: "PUT",
    key,
    body: bytes,
    headers: { "content-type": "application/octet-stream", ...headers },
  });
}

async function sendPart(key: string, uploadId: string, n: number, bytes: Uint8Array) {
  const res = await putPart(key, uploadId, n, bytes);
  expect(res.status).toBe(200);
  return (await res.json()) as { part_number: number; etag: string; size: number };
}

function complete(key: string, uploadId: string, parts?: { part_number: number; etag: string }[]) {
  return call(`/api/v1/files/uploads/${uploadId}/complete`, { method: "POST", key, ...(parts ? { json: { parts } } : {}) });
}

async function download(key: string, fileId: string): Promise<Uint8Array> {
  const res = await call(`/api/v1/files/${fileId}/content`, { key });
  expect(res.status).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

// Two 5 MiB parts and a small last one: the smallest upload R2 accepts in three parts.
const whole = csvOfSize(10 * MIB + 4321);
const pieces = [whole.slice(0, 5 * MIB), whole.slice(5 * MIB, 10 * MIB), whole.slice(10 * MIB)];

describe("multipart uploads", () => {
  it("assembles 5 MiB parts and a small last part into a file whose bytes and sha256 match", async () => {
    const { key, accountId } = await newAccount();
    const created = await call("/api/v1/files/uploads", { method: "POST", key, json: { name: "grande.csv", size: whole.length } });
    expect(created.status).toBe(201);
    const upload = (await created.json()) as UploadJson;
    expect(upload).toMatchObject({
      upload_id: expect.stringMatching(/^upl_/),
      name: "grande.csv",
      size: whole.length,
      part_size: 8 * MIB,
      min_part_size: 5 * MIB,
      max_parts: 10_000,
      status: "open",
      parts: [],
    });
    expect(Date.parse(upload.expires_at)).toBeGreaterThan(Date.now());
    expect(created.headers.get("location")).toBe(`/api/v1/files/uploads/${upload.upload_id}`);

    // Parts may arrive in any order.
    const sent = [await sendPart(key, upload.upload_id, 3, pieces[2]), await sendPart(key, upload.upload_id, 1, pieces[0])];
    sent.push(await sendPart(key, upload.upload_id, 2, pieces[1]));
    expect(sent.map((p) => [p.part_number, p.size])).toEqual([[3, pieces[2].length], [1, 5 * MIB], [2, 5 * MIB]]);
    const listed = (await (await call(`/api/v1/files/uploads/${upload.upload_id}`, { key })).json()) as UploadJson;
    expect(listed.parts.map((p) => p.part_number)).toEqual([1, 2, 3]);

    const res = await complete(key, upload.upload_id);
    expect(res.status).toBe(201);
    const file = (await res.json()) as FileJson;
    expect(file).toMatchObject({ name: "grande.csv", size: whole.length, sha256: await sha256(whole), format: "csv", delimiter: ";", encoding: "utf-8" });
    expect(res.headers.get("location")).toBe(`/api/v1/files/${file.id}`);
    expect(firstDifference(await download(key, file.id), whole)).toBeNull();
    expect(await storedKeys(accountId)).toEqual([`uploads/${accountId}/${file.id}`]);

    // Completing again (a retry after a lost response) answers with the same file.
    const again = await complete(key, upload.upload_id);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(file);
    const done = (await (await call(`/api/v1/files/uploads/${upload.upload_id}`, { key })).json()) as UploadJson;
    expect(done.status).toBe("completed");
  });

  it("replaces a re-uploaded part and assembles exactly the listed parts", async () => {
    const { key } = await newAccount();
    const upload = await startUpload(key);
    await sendPart(key, upload.upload_id, 1, pieces[0]);
    await sendPart(key, upload.upload_id, 2, new Uint8Array(100).fill(0x41));
    const second = await sendPart(key, upload.upload_id, 2, pieces[2]);
    const first = (await (await call(`/api/v1/files/uploads/${upload.upload_id}`, { key })).json()) as UploadJson;
    expect(first.parts).toEqual([
      { part_number: 1, etag: expect.any(String), size: 5 * MIB },
      { part_number: 2, etag: second.etag, size: pieces[2].length },
    ]);
    const res = await complete(key, upload.upload_id, first.parts.map(({ part_number, etag }) => ({ part_number, etag })));
    expect(res.status).toBe(201);
    const expected = new Uint8Array([...pieces[0], ...pieces[2]]);
    const file = (await res.json()) as FileJson;
    expect(file.sha256).toBe(await sha256(expected));
    expect(firstDifference(await download(key, file.id), expected)).toBeNull();
  });

  it("streams a part sent in pieces", async () => {
    const { key } = await newAccount();
    const upload = await startUpload(key);
    const res = await putPart(key, upload.upload_id, 1, streamOf(pieces[2], 1000), { "content-length": String(pieces[2].length) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ part_number: 1, size: pieces[2].length });
  });

  it("rejects a part under 5 MiB that is not the last at completion, and lets the client fix it", async () => {
    const { key } = await newAccount();
    const upload = await startUpload(key);
    await sendPart(key, upload.upload_id, 1, pieces[0].slice(0, MIB));
    await sendPart(key, upload.upload_id, 2, pieces[2]);
    const problem = await expectProblem(await complete(key, upload.upload_id), 422, "unprocessable");
    expect(problem.detail).toBe(`Part 1 is ${MIB} bytes; every part except the last must be at least 5 MiB (${5 * MIB} bytes).`);

    await sendPart(key, upload.upload_id, 1, pieces[0]);
    const res = await complete(key, upload.upload_id);
    expect(res.status).toBe(201);
    expect(((await res.json()) as FileJson).size).toBe(pieces[0].length + pieces[2].length);
  });

  it("rejects parts of different sizes, a last part larger than the others, and a total that differs from the announced size", async () => {
    const { key } = await newAccount();
    const uneven = await startUpload(key, { name: "a.csv", size: 5 * MIB + 100 });
    await sendPart(key, uneven.upload_id, 1, pieces[0]);
    await sendPart(key, uneven.upload_id, 2, csvOfSize(6 * MIB));
    await sendPart(key, uneven.upload_id, 3, pieces[2]);
    const a = await expectProblem(await complete(key, uneven.upload_id), 422);
    expect(a.detail).toBe(`Part 2 is ${6 * MIB} bytes but part 1 is ${5 * MIB}; every part except the last must have the same size.`);
    const parts = await partsOf(key, uneven.upload_id);
    const pick = (...numbers: number[]) => numbers.map((n) => ({ part_number: n, etag: parts[n - 1].etag }));
    const b = await expectProblem(await complete(key, uneven.upload_id, pick(1, 2)), 422);
    expect(b.detail).toMatch(/^The last part \(2\) is \d+ bytes, larger than the other parts/);
    const c = await expectProblem(await complete(key, uneven.upload_id, pick(1, 3)), 422);
    expect(c.detail).toBe(`The parts add up to ${5 * MIB + pieces[2].length} bytes but the upload was started with size ${5 * MIB + 100}.`);
  });

  it("points at listed parts that were not uploaded, have a stale etag or are out of order", async () => {
    const { key } = await newAccount();
    const upload = await startUpload(key);
    const part = await sendPart(key, upload.upload_id, 1, pieces[2]);
    const problem = await expectProblem(
      await complete(key, upload.upload_id, [
        { part_number: 1, etag: "stale" },
        { part_number: 4, etag: part.etag },
        { part_number: 2, etag: part.etag },
      ]),
      422,
    );
    expect(problem.errors).toEqual([
      { detail: "etag does not match the last upload of part 1", pointer: "/parts/0/etag" },
      { detail: "part 4 was not uploaded", pointer: "/parts/1/part_number" },
      { detail: "part numbers must be listed in ascending order, without repeats", pointer: "/parts/2/part_number" },
    ]);
  });

  it("aborts: parts and completion are refused afterwards, and aborting again is a no-op", async () => {
    const { key, accountId } = await newAccount();
    const upload = await startUpload(key);
    await sendPart(key, upload.upload_id, 1, pieces[2]);
    expect((await call(`/api/v1/files/uploads/${upload.upload_id}`, { method: "DELETE", key })).status).toBe(204);
    await expectProblem(await putPart(key, upload.upload_id, 2, pieces[2]), 409, "conflict");
    const problem = await expectProblem(await complete(key, upload.upload_id), 409, "conflict");
    expect(problem.detail).toMatch(/aborted/);
    const listed = (await (await call(`/api/v1/files/uploads/${upload.upload_id}`, { key })).json()) as UploadJson;
    expect(listed).toMatchObject({ status: "aborted", parts: [] });
    expect((await call(`/api/v1/files/uploads/${upload.upload_id}`, { method: "DELETE", key })).status).toBe(204);
    expect(await storedKeys(accountId)).toEqual([]);
  });

  it("refuses content that is not a spreadsheet at completion, deleting the assembled object", async () => {
    const { key, accountId } = await newAccount();
    const upload = await startUpload(key, { name: "manual.pdf" });
    await sendPart(key, upload.upload_id, 1, PDF);
    const problem = await expectProblem(await complete(key, upload.upload_id), 415, "unsupported-media-type");
    expect(problem.detail).toMatch(/PDF/);
    expect(await storedKeys(accountId)).toEqual([]);
    expect(((await (await call("/api/v1/files", { key })).json()) as any).data).toEqual([]);
    const listed = (await (await call(`/api/v1/files/uploads/${upload.upload_id}`, { key })).json()) as UploadJson;
    expect(listed.status).toBe("aborted");
  });

  it("validates part numbers, Content-Length, sizes and emptiness", async () => {
    const { key } = await newAccount();
    const upload = await startUpload(key);
    for (const n of ["0", "10001", "x"]) {
      const problem = await expectProblem(await putPart(key, upload.upload_id, n, utf8("a")), 400, "invalid-request");
      expect(problem.errors?.[0].parameter).toBe("n");
    }
    await expectProblem(await putPart(key, upload.upload_id, 1, streamOf(utf8("sku\n"))), 411, "length-required");
    await expectProblem(await putPart(key, upload.upload_id, 1, new Uint8Array(0)), 422);
    await expectProblem(await complete(key, upload.upload_id), 422);
    await expectProblem(await putPart(key, upload.upload_id, 1, streamOf(utf8("a")), { "content-length": String(1024 * MIB + 1) }), 413, "payload-too-large");
    await expectProblem(await call("/api/v1/files/uploads", { method: "POST", key, json: { name: "x.csv", size: 1024 * MIB + 1 } }), 413);
    const missing = await expectProblem(await call("/api/v1/files/uploads", { method: "POST", key, json: { size: 10 } }), 400);
    expect(missing.errors?.[0].pointer).toBe("/name");
    await expectProblem(await call("/api/v1/files/uploads", { method: "POST", key, body: "{", headers: { "content-type": "application/json" } }), 400, "malformed-json");
  });

  it("replays POST /files/uploads with the same Idempotency-Key", async () => {
    const { key } = await newAccount();
    const send = () => call("/api/v1/files/uploads", { method: "POST", key, json: { name: "a.csv" }, headers: { "idempotency-key": "upl-1" } });
    const first = (await (await send()).json()) as UploadJson;
    const second = await send();
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(((await second.json()) as UploadJson).upload_id).toBe(first.upload_id);
  });

  it("refuses parts and completion once the upload expired", async () => {
    const { key } = await newAccount();
    const upload = await startUpload(key);
    await env.DB.prepare("UPDATE uploads SET expires_at = ? WHERE id = ?").bind(Date.now() - 1, upload.upload_id).run();
    const problem = await expectProblem(await putPart(key, upload.upload_id, 1, pieces[2]), 409);
    expect(problem.detail).toMatch(/expired/);
  });
});

async function partsOf(key: string, uploadId: string) {
  return ((await (await call(`/api/v1/files/uploads/${uploadId}`, { key })).json()) as UploadJson).parts;
}
