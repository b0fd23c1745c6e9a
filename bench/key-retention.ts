/**
 * What a table of `unique` keys keeps alive, in this process (Node's V8, as workerd's): 200,000
 * records of ~190 characters whose 16-character SKUs are kept, after a full GC. Keys kept as the
 * parser's slices pin their whole records; `KeyTable` (and the jobs' chunk tracker) keep copies.
 *
 *   npm run bench -- heap --keys
 */
import v8 from "node:v8";
import vm from "node:vm";
import { KeyTable } from "../src/core/rules/unique";
import { detach } from "../src/core/tabular/bytes";

const RECORDS = 200_000;

function record(i: number): string {
  return `BRI-BLQ${String(i).padStart(6, "0")}-25;Smartphone Samsung Galaxy A15 128GB 4GB RAM Tela 6.5;Produto novo com nota fiscal e garantia ${i};1299,90;Samsung;https://img.exemplo.com.br/${i}/1.jpg`;
}

function retained(keep: (key: string, row: number) => void): number {
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc") as () => void;
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 1; i <= RECORDS; i++) {
    // A fresh string per record, as the tokenizer's detached record copy is.
    const text = record(i);
    keep(text.slice(0, text.indexOf(";")), i);
  }
  gc();
  return process.memoryUsage().heapUsed - before;
}

export function runKeyRetentionBench() {
  console.log(`\n## Keys of a unique rule: heap kept after a full GC, ${RECORDS.toLocaleString("en")} records of ${record(1).length} chars, 16-char SKUs`);
  const slices = new Map<string, number>();
  const copies = new Map<string, number>();
  const table = new KeyTable();
  const results = [
    ["Map of the parser's slices (before)", retained((k, r) => slices.set(k, r))],
    ["Map of copies (ChunkUniqueTracker now)", retained((k, r) => copies.set(detach(k), r))],
    ["KeyTable (copies inside)", retained((k, r) => table.firstRow(k, false, r))],
  ] as const;
  for (const [name, bytes] of results) console.log(`${name}: ${(bytes / 1024 / 1024).toFixed(1)} MB`);
  return [slices.size, copies.size];
}
