import { describe, expect, it } from "vitest";
import { buildCfb } from "../fixtures/tabular/cfb-builder";
import { cp1252, utf8 } from "../fixtures/tabular/streams";
import { buildXlsx } from "../fixtures/tabular/xlsx-builder";
import { csvOfSize, type FileJson, MIB, PDF, PNG, postFile, sha256, storedKeys, streamOf, uploadFile } from "../fixtures/files";
import { database } from "../../src/db/client";
import { jobs } from "../../src/db/schema";
import { call, env, expectProblem, newAccount } from "../helpers";

const BOM = [0xef, 0xbb, 0xbf];

describe("POST /api/v1/files", () => {
  it("stores a UTF-8 CSV with a BOM and semicolons, detecting format, encoding and delimiter", async () => {
    const { key, accountId } = await newAccount();
    const bytes = Uint8Array.from([...BOM, ...utf8("sku;título;preço\nA1;Camiseta;10,50\nA2;Calça;99,90\n")]);
    const res = await postFile(key, bytes, { query: "?name=catalogo.csv" });
    expect(res.status).toBe(201);
    const file = (await res.json()) as FileJson;
    expect(file).toEqual({
      id: expect.stringMatching(/^file_[0-9a-z]{26}$/),
      name: "catalogo.csv",
      size: bytes.length,
      sha256: await sha256(bytes),
      format: "csv",
      encoding: "utf-8",
      delimiter: ";",
      content_type: "text/csv; charset=utf-8",
      created_at: expect.any(String),
    });
    expect(res.headers.get("location")).toBe(`/api/v1/files/${file.id}`);
    expect(await (await call(`/api/v1/files/${file.id}`, { key })).json()).toEqual(file);
    expect(await storedKeys(accountId)).toEqual([`uploads/${accountId}/${file.id}`]);
  });

  it("detects a Windows-1252 CSV (what Excel writes on a Brazilian Windows) with tab delimiters", async () => {
    const { key } = await newAccount();
    const bytes = cp1252("sku\tdescrição\tpreço\nA1\tCamisa açaí\t10,50\nA2\tPão de queijo\t5,00\n");
    const file = await uploadFile(key, bytes, { query: "?name=excel.csv" });
    expect(file).toMatchObject({ format: "csv", encoding: "windows-1252", delimiter: "\t", content_type: "text/csv; charset=windows-1252" });
    expect(file.sha256).toBe(await sha256(bytes));
  });

  it("detects an XLSX workbook from its bytes, whatever Content-Type it was sent with", async () => {
    const { key } = await newAccount();
    const bytes = await buildXlsx({ sheets: [{ name: "Produtos", rows: [["sku", "preço"], ["A1", 10.5]] }] });
    const file = await uploadFile(key, bytes, { query: "?name=produtos.xlsx", headers: { "content-type": "application/octet-stream" } });
    expect(file).toMatchObject({
      format: "xlsx",
      content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      size: bytes.length,
      sha256: await sha256(bytes),
    });
    expect(file).not.toHaveProperty("encoding");
    expect(file).not.toHaveProperty("delimiter");
  });

  it("streams a JSON file sent as application/json without the 5 MiB JSON body cap", async () => {
    const { key } = await newAccount();
    const record = JSON.stringify({ sku: "A1", title: "Camiseta básica", price: 10.5 });
    const bytes = utf8(`[${Array.from({ length: Math.ceil((6 * MIB) / record.length) }, () => record).join(",")}]`);
    expect(bytes.length).toBeGreaterThan(6 * MIB);
    const file = await uploadFile(key, bytes, { query: "?name=catalogo.json", headers: { "content-type": "application/json" } });
    expect(file).toMatchObject({ format: "json", encoding: "utf-8", content_type: "application/json", size: bytes.length });
    expect(file.sha256).toBe(await sha256(bytes));
  });

  it("detects NDJSON", async () => {
    const { key } = await newAccount();
    const bytes = utf8('{"sku":"A1"}\n{"sku":"A2"}\n');
    const file = await uploadFile(key, bytes, { headers: { "content-type": "application/x-ndjson" } });
    expect(file).toMatchObject({ format: "ndjson", content_type: "application/x-ndjson", name: "upload" });
  });

  it("streams a body sent in pieces, hashing all of it", async () => {
    const { key } = await newAccount();
    const bytes = csvOfSize(12 * MIB + 123);
    const res = await postFile(key, streamOf(bytes, 61 * 1024), { headers: { "content-length": String(bytes.length) } });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ size: bytes.length, sha256: await sha256(bytes), format: "csv", delimiter: ";" });
  });

  it("takes the name from Content-Disposition, preferring filename* (UTF-8)", async () => {
    const { key } = await newAccount();
    const bytes = utf8("sku\nA1\n");
    const plain = await uploadFile(key, bytes, { headers: { "content-disposition": 'attachment; filename="estoque maio.csv"' } });
    expect(plain.name).toBe("estoque maio.csv");
    const extended = await uploadFile(key, bytes, {
      headers: { "content-disposition": `attachment; filename="fallback.csv"; filename*=UTF-8''pre%C3%A7os%20%E2%80%94%20junho.csv` },
    });
    expect(extended.name).toBe("preços — junho.csv");
    const query = await uploadFile(key, bytes, { query: "?name=da-query.csv", headers: { "content-disposition": 'attachment; filename="ignored.csv"' } });
    expect(query.name).toBe("da-query.csv");
  });

  it("sanitizes names: no paths, no control characters, at most 200 characters keeping the extension", async () => {
    const { key } = await newAccount();
    const bytes = utf8("sku\nA1\n");
    const traversal = await uploadFile(key, bytes, { query: `?name=${encodeURIComponent("../../etc/passwd")}` });
    expect(traversal.name).toBe("passwd");
    const windows = await uploadFile(key, bytes, { query: `?name=${encodeURIComponent("C:\\Users\\ana\\catálogo.csv")}` });
    expect(windows.name).toBe("catálogo.csv");
    const control = await uploadFile(key, bytes, { query: `?name=${encodeURIComponent("a\u0000b\r\nc\u202Evsc.csv")}` });
    expect(control.name).toBe("abcvsc.csv");
    const long = await uploadFile(key, bytes, { query: `?name=${"x".repeat(500)}.xlsx` });
    expect(long.name).toBe(`${"x".repeat(195)}.xlsx`);
    expect((await uploadFile(key, bytes, { query: "?name=.." })).name).toBe("upload");
  });

  it("answers 411 for a body without Content-Length, storing nothing", async () => {
    const { key, accountId } = await newAccount();
    const problem = await expectProblem(await postFile(key, streamOf(utf8("sku\nA1\n"))), 411, "length-required");
    expect(problem.detail).toMatch(/Content-Length/);
    expect(await storedKeys(accountId)).toEqual([]);
  });

  it("answers 413 from Content-Length alone, before reading the body", async () => {
    const { key, accountId } = await newAccount();
    const res = await postFile(key, streamOf(utf8("sku\nA1\n")), { headers: { "content-length": String(1024 * MIB + 1) } });
    const problem = await expectProblem(res, 413, "payload-too-large");
    expect(problem.detail).toContain("1 GiB");
    expect(await storedKeys(accountId)).toEqual([]);
  });

  it("answers 422 for an empty file", async () => {
    const { key, accountId } = await newAccount();
    const problem = await expectProblem(await postFile(key, new Uint8Array(0)), 422, "unprocessable");
    expect(problem.detail).toMatch(/empty/);
    expect(await storedKeys(accountId)).toEqual([]);
  });

  it("answers 415 for content that is not a spreadsheet, deleting what was written", async () => {
    const { key, accountId } = await newAccount();
    const cases: [Uint8Array, RegExp][] = [
      [PNG, /binary/],
      [PDF, /PDF/],
      [buildCfb("legacy"), /\.xls/],
      [await (async () => {
        // Longer than the 64 KiB sniffed: refused mid-stream, with the partial write cleaned up.
        const big = new Uint8Array(3 * MIB);
        big.set(PNG);
        return big;
      })(), /binary/],
    ];
    for (const [bytes, detail] of cases) {
      const problem = await expectProblem(await postFile(key, bytes, { headers: { "content-type": "application/octet-stream" } }), 415, "unsupported-media-type");
      expect(problem.detail).toMatch(detail);
    }
    expect(await storedKeys(accountId)).toEqual([]);
    expect(((await (await call("/api/v1/files", { key })).json()) as any).data).toEqual([]);
  });

  it("answers 415 for a multipart/form-data post, pointing at --data-binary", async () => {
    const { key } = await newAccount();
    const form = new FormData();
    form.set("file", new Blob(["sku\nA1\n"]), "a.csv");
    const res = await call("/api/v1/files", { method: "POST", key, body: form });
    const problem = await expectProblem(res, 415, "unsupported-media-type");
    expect(problem.detail).toContain("--data-binary");
  });

  it("refuses a body shorter than its Content-Length, storing nothing", async () => {
    const { key, accountId } = await newAccount();
    const res = await postFile(key, streamOf(utf8("sku\nA1\n")), { headers: { "content-length": "100" } });
    const problem = await expectProblem(res, 400, "invalid-request");
    expect(problem.detail).toBe("Content-Length announced 100 bytes but the body had 7.");
    expect(await storedKeys(accountId)).toEqual([]);
  });
});

describe("GET /api/v1/files/{id}/content", () => {
  async function stored() {
    const { key } = await newAccount();
    const bytes = utf8("sku;título\nA1;Camiseta\nA2;Calça\n");
    const file = await uploadFile(key, bytes, { query: `?name=${encodeURIComponent('preços "maio".csv')}` });
    return { key, bytes, file };
  }

  it("streams the whole file as an attachment", async () => {
    const { key, bytes, file } = await stored();
    const res = await call(`/api/v1/files/${file.id}/content`, { key });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-length")).toBe(String(bytes.length));
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="pre_os _maio_.csv"; filename*=UTF-8''pre%C3%A7os%20%22maio%22.csv`,
    );
    expect(res.headers.get("accept-ranges")).toBe("bytes");
    expect(res.headers.get("etag")).toBe(`"${file.sha256}"`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
  });

  it("answers a Range with 206 and Content-Range", async () => {
    const { key, bytes, file } = await stored();
    const cases: [string, number, number][] = [
      ["bytes=0-3", 0, 3],
      ["bytes=4-", 4, bytes.length - 1],
      ["bytes=-6", bytes.length - 6, bytes.length - 1],
      ["bytes=10-100000", 10, bytes.length - 1],
    ];
    for (const [range, start, end] of cases) {
      const res = await call(`/api/v1/files/${file.id}/content`, { key, headers: { range } });
      expect(res.status, range).toBe(206);
      expect(res.headers.get("content-range"), range).toBe(`bytes ${start}-${end}/${bytes.length}`);
      expect(res.headers.get("content-length"), range).toBe(String(end - start + 1));
      expect(new Uint8Array(await res.arrayBuffer()), range).toEqual(bytes.slice(start, end + 1));
    }
  });

  it("answers 416 for a range beyond the end, and ignores a range whose If-Range is stale", async () => {
    const { key, bytes, file } = await stored();
    const res = await call(`/api/v1/files/${file.id}/content`, { key, headers: { range: `bytes=${bytes.length}-` } });
    await expectProblem(res, 416, "range-not-satisfiable");
    expect(res.headers.get("content-range")).toBe(`bytes */${bytes.length}`);

    const stale = await call(`/api/v1/files/${file.id}/content`, { key, headers: { range: "bytes=0-3", "if-range": '"old"' } });
    expect(stale.status).toBe(200);
    expect((await stale.arrayBuffer()).byteLength).toBe(bytes.length);
    const fresh = await call(`/api/v1/files/${file.id}/content`, { key, headers: { range: "bytes=0-3", "if-range": `"${file.sha256}"` } });
    expect(fresh.status).toBe(206);
    await fresh.arrayBuffer();
  });
});

describe("GET /api/v1/files", () => {
  it("paginates newest first with limit and starting_after", async () => {
    const { key } = await newAccount();
    const names = ["a.csv", "b.csv", "c.csv"];
    for (const name of names) await uploadFile(key, utf8("sku\nA1\n"), { query: `?name=${name}` });
    const first = (await (await call("/api/v1/files?limit=2", { key })).json()) as any;
    expect(first.data.map((f: FileJson) => f.name)).toEqual(["c.csv", "b.csv"]);
    expect(first.has_more).toBe(true);
    const next = (await (await call(`/api/v1/files?limit=2&starting_after=${first.data[1].id}`, { key })).json()) as any;
    expect(next.data.map((f: FileJson) => f.name)).toEqual(["a.csv"]);
    expect(next.has_more).toBe(false);
  });
});

describe("DELETE /api/v1/files/{id}", () => {
  it("deletes the row and the bytes", async () => {
    const { key, accountId } = await newAccount();
    const file = await uploadFile(key, utf8("sku\nA1\n"));
    const res = await call(`/api/v1/files/${file.id}`, { method: "DELETE", key });
    expect(res.status).toBe(204);
    await expectProblem(await call(`/api/v1/files/${file.id}`, { key }), 404, "not-found");
    await expectProblem(await call(`/api/v1/files/${file.id}/content`, { key }), 404, "not-found");
    await expectProblem(await call(`/api/v1/files/${file.id}`, { method: "DELETE", key }), 404, "not-found");
    expect(await storedKeys(accountId)).toEqual([]);
  });

  it("refuses while a queued or running job reads the file, and allows it once the job ended", async () => {
    const { key, accountId } = await newAccount();
    const file = await uploadFile(key, utf8("sku\nA1\n"));
    const now = Date.now();
    await database(env.DB).insert(jobs).values({
      id: "job_reading",
      accountId,
      status: "running",
      rulePack: "mercadolivre",
      rulePackHash: "x",
      applyFixes: false,
      locale: "en",
      sourceType: "file",
      fileId: file.id,
      inputKey: `uploads/${accountId}/${file.id}`,
      priority: "normal",
      createdAt: now,
      updatedAt: now,
    });
    const problem = await expectProblem(await call(`/api/v1/files/${file.id}`, { method: "DELETE", key }), 409, "conflict");
    expect(problem.detail).toContain("job_reading");
    expect((await call(`/api/v1/files/${file.id}`, { key })).status).toBe(200);

    await env.DB.prepare("UPDATE jobs SET status = 'completed' WHERE id = 'job_reading'").run();
    expect((await call(`/api/v1/files/${file.id}`, { method: "DELETE", key })).status).toBe(204);
  });
});
