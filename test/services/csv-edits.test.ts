import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import { CSV_EDITS_LAYOUT, CsvEditRecorder, utf8Length } from "../../src/services/jobs/csv-edits";
import { jobObjects } from "../../src/storage/job-objects";
import { call, env, newAccount, uploadFile, waitForJob } from "../helpers";

/*
 * A CSV job stores its corrections as edits of the source (byte range of each changed record and
 * its new text) when every record's range is known, and the download splices them into the
 * source's own bytes; a chunk whose ranges cannot be known keeps its whole corrected text.
 */

describe("utf8Length", () => {
  it("counts what TextEncoder writes, for ASCII, accents, symbols, emoji and lone surrogates", () => {
    const pieces = ["a", "ç", "ã", "€", "→", "😀", "\ud800", "\udc00", ";", "\r\n", "Câmera", "日本"];
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let n = 0; n < 2000; n++) {
      let text = "";
      const length = Math.floor(rand() * 12);
      for (let i = 0; i < length; i++) text += pieces[Math.floor(rand() * pieces.length)];
      expect(utf8Length(text), JSON.stringify(text)).toBe(new TextEncoder().encode(text).length);
    }
  });
});

/** The recorder's edits as the stored object holds them, one JSON line each. */
async function editsOf(recorder: CsvEditRecorder): Promise<unknown[]> {
  const text = await recorder.edits.blob().text();
  return text.split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

describe("CsvEditRecorder", () => {
  it("notes the byte range of each changed record, in UTF-8 and Windows-1252", async () => {
    const utf8 = new CsvEditRecorder("utf-8", 100);
    utf8.record("ação;1\r\n", "ação;1\r\n");
    utf8.record("b  c;2\r\n", "b c;2\r\n");
    expect(await editsOf(utf8)).toEqual([[110, 118, "b c;2\r\n"]]);
    expect(utf8.exact(118)).toBe(true);
    expect(utf8.exact(117)).toBe(false);

    const cp1252 = new CsvEditRecorder("windows-1252", 0);
    cp1252.record("ação;1\n", "acao;1\n");
    expect(await editsOf(cp1252)).toEqual([[0, 7, "acao;1\n"]]);
    expect(cp1252.exact(7)).toBe(true);
  });

  it("gives up on UTF-16 and on a record whose text was not kept", () => {
    const utf16 = new CsvEditRecorder("utf-16le", 0);
    utf16.record("a;1\n", "a;1\n");
    expect(utf16.exact(8)).toBe(false);
    const long = new CsvEditRecorder("utf-8", 0);
    long.record(undefined, "x;1\n");
    expect(long.exact(0)).toBe(false);
  });
});

describe("a UTF-8 CSV job's corrected download", () => {
  it("is the source byte for byte but for the fixed records, with a chunk holding invalid UTF-8 written whole", async () => {
    const { key, accountId } = await newAccount();
    const header = "sku;title;description;price\r\n";
    const lines: string[] = [];
    // 130 records in three chunks (JOB_CHUNK_ROWS is 50 in tests); long descriptions push the invalid byte past the 64 KiB the sniffer reads.
    for (let i = 1; i <= 130; i++) {
      const title = i % 7 === 0 ? `Câmera  Digital  ${i} 😀` : `Caneca Cerâmica ${i} → azul`;
      const description = i % 11 === 0 ? `"Linha 1; ""ótima""\r\nLinha 2 ${"ç".repeat(200)}"` : `Descrição ${"é".repeat(600)} ${i}`;
      lines.push(`SKU-${i};${title};${description};${i},90\r\n`);
    }
    const text = header + lines.join("");
    const encoded = new TextEncoder().encode(text);
    // One byte of record 75 (the second chunk) made invalid: 0xC3 0xA9 ("é") becomes 0xFF 0xA9.
    const bad = new TextEncoder().encode(header + lines.slice(0, 74).join("") + "SKU-75;Caneca Cerâmica 75 → azul;Descrição ").length + 1;
    expect(encoded[bad]).toBe(0xa9);
    const source = encoded.slice();
    source[bad - 1] = 0xff;
    expect(bad).toBeGreaterThan(64 * 1024);

    const file = await uploadFile(key, source, "catalogo.csv");
    const created = await call("/api/v1/jobs", { method: "POST", key, json: { source: { file_id: file.id }, rule_pack: "common", options: { apply_fixes: true } } });
    expect(created.status).toBe(202);
    const job = await waitForJob(key, ((await created.json()) as { id: string }).id);
    expect(job.status).toBe("completed");
    expect(job.progress.chunks_total).toBe(3);

    const listed = await (env as unknown as Env).FILES.list({ prefix: jobObjects.correctedPrefix(accountId, job.id), include: ["customMetadata"] });
    expect(listed.objects.map((o) => o.customMetadata?.layout)).toEqual([CSV_EDITS_LAYOUT, undefined, CSV_EDITS_LAYOUT]);

    const res = await call(`/api/v1/jobs/${job.id}/result/corrected`, { key });
    expect(res.headers.get("x-vitrine-encoding")).toBe("utf-8");
    const corrected = new Uint8Array(await res.arrayBuffer());
    // The fix collapses the doubled spaces; the invalid byte's record comes back decoded (U+FFFD), as before edits existed.
    const expected = new TextDecoder().decode(source).replace(/Câmera {2}Digital {2}/g, "Câmera Digital ");
    expect(new TextDecoder().decode(corrected)).toBe(expected);
  });
});
