import { describe, expect, it } from "vitest";
import { EncodedLines } from "../../src/storage/encoded-lines";

describe("lines kept as UTF-8 pieces", () => {
  it("give the same bytes as the joined lines, across many pieces and multi-byte characters", async () => {
    const lines = Array.from({ length: 1_000 }, (_v, i) => JSON.stringify({ row: i, message: `Código duplicado na linha ${i} — já visto` }));
    const pieces = new EncodedLines(100);
    for (const line of lines) pieces.add(line);
    expect(pieces.count).toBe(1_000);
    expect(await pieces.blob().text()).toBe(lines.join("\n") + "\n");
  });

  it("give an empty object for no lines", async () => {
    const none = new EncodedLines();
    expect(none.count).toBe(0);
    expect((await none.blob().arrayBuffer()).byteLength).toBe(0);
  });
});
