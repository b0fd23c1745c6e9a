import { describe, expect, it } from "vitest";
import { crc32 } from "../../../src/core/tabular/crc32";
import { ZipWriter, zipStream } from "../../../src/core/tabular/zip-writer";
import { bytesReader, openZip, readEntry } from "../../../src/core/tabular";
import { concat, utf8 } from "../../fixtures/tabular/streams";
import { crc32 as referenceCrc32, writeZip } from "../../fixtures/tabular/zip-writer";

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function entryBytes(archive: Uint8Array, name: string): Promise<Uint8Array> {
  const zip = await openZip(bytesReader(archive));
  const parts: Uint8Array[] = [];
  for await (const p of readEntry(zip, zip.entries.get(name)!)) parts.push(p);
  return concat(...parts);
}

/** Byte equality without a deep-equality walk over millions of elements. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

describe("crc32", () => {
  it("matches a byte-at-a-time reference at every length and when continued", () => {
    for (const n of [0, 1, 7, 8, 9, 15, 16, 1000, 65_537]) {
      const b = noise(n, n);
      expect(crc32(b)).toBe(referenceCrc32(b));
      const cut = n >> 1;
      expect(crc32(b.subarray(cut), crc32(b.subarray(0, cut)))).toBe(referenceCrc32(b));
    }
  });
});

describe("ZipWriter", () => {
  it("writes entries the reader opens, with the right CRC and sizes", async () => {
    const big = noise(3 * 1024 * 1024 + 5, 9);
    const text = "Preço;Descrição\r\n".repeat(50_000);
    const archive = await bytesOf(
      zipStream(async (zip) => {
        await zip.add("a.txt", "olá");
        await zip.add("empty.bin", new Uint8Array(0));
        await zip.add("dir/big.bin", big);
        // An async source delivered in pieces.
        await zip.add(
          "dir/text.csv",
          (async function* () {
            for (let i = 0; i < 50; i++) yield utf8("Preço;Descrição\r\n".repeat(1000));
          })(),
        );
      }),
    );
    const zip = await openZip(bytesReader(archive));
    expect([...zip.entries.keys()]).toEqual(["a.txt", "empty.bin", "dir/big.bin", "dir/text.csv"]);
    expect(zip.entries.get("dir/big.bin")).toMatchObject({ method: 8, crc32: referenceCrc32(big), uncompressedSize: big.length });
    expect(zip.entries.get("dir/text.csv")!.compressedSize).toBeLessThan(text.length / 50);
    expect(new TextDecoder().decode(await entryBytes(archive, "a.txt"))).toBe("olá");
    expect(await entryBytes(archive, "empty.bin")).toHaveLength(0);
    expect(sameBytes(await entryBytes(archive, "dir/big.bin"), big)).toBe(true);
    expect(new TextDecoder().decode(await entryBytes(archive, "dir/text.csv"))).toBe(text);
  });

  it("copies another archive's entries as stored, compressed bytes and dates included", async () => {
    const source = await writeZip([
      { name: "styles.xml", data: "<styleSheet/>".repeat(100) },
      { name: "raw.bin", data: noise(5000, 3), method: 0 },
    ]);
    const from = await openZip(bytesReader(source));
    const archive = await bytesOf(
      zipStream(async (zip) => {
        for (const e of from.entries.values()) await zip.copy(from, e);
        await zip.add("new.xml", "<x/>");
      }),
    );
    const to = await openZip(bytesReader(archive));
    for (const e of from.entries.values()) {
      const copied = to.entries.get(e.name)!;
      expect(copied).toMatchObject({ method: e.method, crc32: e.crc32, compressedSize: e.compressedSize, uncompressedSize: e.uncompressedSize, dosTime: e.dosTime, dosDate: e.dosDate });
      expect(sameBytes(await entryBytes(archive, e.name), await entryBytes(source, e.name))).toBe(true);
    }
  });

  it("writes only as fast as the stream is read", async () => {
    let produced = 0;
    const stream = zipStream(async (zip) => {
      await zip.add(
        "big.bin",
        (async function* () {
          for (let i = 0; i < 2000; i++) {
            produced++;
            yield noise(64 * 1024, i);
          }
        })(),
      );
    });
    const reader = stream.getReader();
    await reader.read();
    await new Promise((r) => setTimeout(r, 50));
    expect(produced).toBeLessThan(40);
    await reader.cancel();
  });

  it("refuses duplicate names and entries after the end, and errors the stream when the producer fails", async () => {
    const sink = async () => {};
    const zip = new ZipWriter(sink);
    await zip.add("a", "1");
    await expect(zip.add("a", "2")).rejects.toThrow(/duplicate/);
    await zip.finish();
    await expect(zip.add("b", "3")).rejects.toThrow(/finished/);
    const broken = zipStream(async (z) => {
      await z.add("x", "y");
      throw new Error("source gone");
    });
    await expect(bytesOf(broken)).rejects.toThrow("source gone");
  });
});
