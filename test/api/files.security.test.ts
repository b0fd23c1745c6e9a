import { describe, expect, it } from "vitest";
import { utf8 } from "../fixtures/tabular/streams";
import { type FileJson, MIB, postFile, storedKeys, uploadFile } from "../fixtures/files";
import { call, expectProblem, newAccount } from "../helpers";

describe("Files: tenant isolation", () => {
  it("answers 404 for another account's file on every operation, leaving it intact", async () => {
    const owner = await newAccount();
    const other = await newAccount();
    const bytes = utf8("sku\nA1\n");
    const file = await uploadFile(owner.key, bytes);

    await expectProblem(await call(`/api/v1/files/${file.id}`, { key: other.key }), 404, "not-found");
    await expectProblem(await call(`/api/v1/files/${file.id}/content`, { key: other.key }), 404, "not-found");
    await expectProblem(await call(`/api/v1/files/${file.id}/content`, { key: other.key, headers: { range: "bytes=0-1" } }), 404, "not-found");
    await expectProblem(await call(`/api/v1/files/${file.id}`, { method: "DELETE", key: other.key }), 404, "not-found");
    const list = (await (await call("/api/v1/files", { key: other.key })).json()) as { data: FileJson[] };
    expect(list.data).toEqual([]);

    const mine = await call(`/api/v1/files/${file.id}/content`, { key: owner.key });
    expect(new Uint8Array(await mine.arrayBuffer())).toEqual(bytes);
  });

  it("answers 404 for another account's upload on every operation, leaving its parts intact", async () => {
    const owner = await newAccount();
    const other = await newAccount();
    const upload = (await (await call("/api/v1/files/uploads", { method: "POST", key: owner.key, json: { name: "a.csv" } })).json()) as { upload_id: string };
    const base = `/api/v1/files/uploads/${upload.upload_id}`;
    const part = utf8("sku\nA1\n");
    expect((await call(`${base}/parts/1`, { method: "PUT", key: owner.key, body: part })).status).toBe(200);

    await expectProblem(await call(base, { key: other.key }), 404, "not-found");
    await expectProblem(await call(`${base}/parts/1`, { method: "PUT", key: other.key, body: utf8("overwritten\n") }), 404, "not-found");
    await expectProblem(await call(`${base}/complete`, { method: "POST", key: other.key }), 404, "not-found");
    await expectProblem(await call(base, { method: "DELETE", key: other.key }), 404, "not-found");

    const state = (await (await call(base, { key: owner.key })).json()) as { status: string; parts: { size: number }[] };
    expect(state).toMatchObject({ status: "open", parts: [{ size: part.length }] });
    const done = await call(`${base}/complete`, { method: "POST", key: owner.key });
    expect(done.status).toBe(201);
    expect(await storedKeys(other.accountId)).toEqual([]);
  });

  it("stores bytes under the owner's prefix, keyed by the file id and never by the client's name", async () => {
    const { key, accountId } = await newAccount();
    const file = await uploadFile(key, utf8("sku\nA1\n"), { query: `?name=${encodeURIComponent("../../uploads/acct_other/x.csv")}` });
    expect(file.name).toBe("x.csv");
    expect(await storedKeys(accountId)).toEqual([`uploads/${accountId}/${file.id}`]);
  });
});

describe("Files: authentication", () => {
  it("refuses uploads, downloads and parts without an API key", async () => {
    await expectProblem(await postFile("", new Uint8Array(5 * MIB)), 401, "unauthorized");
    await expectProblem(await call("/api/v1/files/file_x/content"), 401, "unauthorized");
    await expectProblem(await call("/api/v1/files/uploads/upl_x/parts/1", { method: "PUT", body: utf8("a") }), 401, "unauthorized");
  });
});

describe("Files: downloads are inert", () => {
  it("serves the detected type with nosniff, never the uploader's Content-Type", async () => {
    const { key } = await newAccount();
    const file = await uploadFile(key, utf8("<html><script>alert(document.cookie)</script></html>\n"), {
      query: "?name=page.html",
      headers: { "content-type": "text/html" },
    });
    expect(file.content_type).toBe("text/csv; charset=utf-8");
    const res = await call(`/api/v1/files/${file.id}/content`, { key });
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment;/);
    await res.arrayBuffer();
  });

  it("keeps a hostile name from breaking out of Content-Disposition", async () => {
    const { key } = await newAccount();
    const name = 'evil.csv"; filename="malware.exe';
    const file = await uploadFile(key, utf8("sku\nA1\n"), { query: `?name=${encodeURIComponent(name + "\r\nSet-Cookie: a=b")}` });
    expect(file.name).toBe(`${name}Set-Cookie: a=b`);
    const res = await call(`/api/v1/files/${file.id}/content`, { key });
    const disposition = res.headers.get("content-disposition")!;
    expect(disposition).toBe(
      `attachment; filename="evil.csv_; filename=_malware.exeSet-Cookie: a=b"; filename*=UTF-8''evil.csv%22%3B%20filename%3D%22malware.exeSet-Cookie%3A%20a%3Db`,
    );
    expect(res.headers.get("set-cookie")).toBeNull();
    await res.arrayBuffer();
  });
});

describe("Files: every reader error is the client's 4xx, never a 500", () => {
  it("refuses a CSV whose header has more columns than Vitrine reads (422), leaving nothing stored", async () => {
    const { key } = await newAccount();
    const header = Array.from({ length: 5000 }, (_, i) => `c${i}`).join(",");
    const res = await call("/api/v1/files?name=wide.csv", { method: "POST", key, body: utf8(`${header}\n${"1,".repeat(4999)}1\n`), headers: { "content-type": "text/csv" } });
    const problem = await expectProblem(res, 422, "unprocessable");
    expect(problem.detail).toMatch(/columns/);
    expect((problem as unknown as { reason: string }).reason).toBe("file.too_many_columns");
    expect(((await (await call("/api/v1/files", { key })).json()) as { data: unknown[] }).data).toEqual([]);
  });
});
