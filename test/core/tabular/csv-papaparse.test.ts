import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { type Delimiter, parseCsv, parseCsvText } from "../../../src/core/tabular";
import { prng } from "../../fixtures/tabular/csv-gen";
import { chunkedStream, collect, SMALL_PIECES, utf8 } from "../../fixtures/tabular/streams";

// Agreement with papaparse, the library the benchmark compares against, on well-formed CSV: the
// two must read the same values. Malformed input (text after a closing quote, a bare quote inside
// an unquoted field, mixed line ends) is where the two differ by design; the naive reference
// reader in csv.test.ts covers those cases.

const PIECES = ["a", "Preço", "ção", "x y", ";", ",", "\t", '"', '""', "\n", "\r\n", "\r", "10,50", "é", "—", " ", "𝄞", "=1+1"];
const LINE_ENDS = ["\n", "\r\n", "\r"] as const;

function value(rand: () => number): string {
  const n = Math.floor(rand() * 4);
  let v = "";
  for (let i = 0; i < n; i++) v += PIECES[Math.floor(rand() * PIECES.length)];
  return v;
}

function cell(v: string, delimiter: string, rand: () => number): string {
  const needs = v.includes(delimiter) || v.includes('"') || v.includes("\n") || v.includes("\r");
  return needs || rand() < 0.15 ? `"${v.replaceAll('"', '""')}"` : v;
}

/** A random well-formed CSV and the values written into it (ragged rows, empty fields, quoted line ends). */
function wellFormedCsv(seed: number, delimiter: Delimiter, eol: string): { text: string; written: string[][] } {
  const rand = prng(seed);
  const cols = 2 + Math.floor(rand() * 5);
  const rows = 1 + Math.floor(rand() * 60);
  const written: string[][] = [];
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    // At least two values per record: a record of one empty value is an empty line to both parsers.
    const n = Math.max(2, rand() < 0.1 ? cols + 1 - Math.floor(rand() * 3) : cols);
    const values = Array.from({ length: n }, () => value(rand));
    written.push(values);
    lines.push(values.map((v) => cell(v, delimiter, rand)).join(delimiter));
  }
  return { text: lines.join(eol) + (rand() < 0.5 ? eol : ""), written };
}

function papaparse(text: string, delimiter: string, newline: string): string[][] {
  const result = Papa.parse<string[]>(text, { delimiter, newline: newline as Papa.ParseConfig["newline"], skipEmptyLines: true });
  expect(result.errors).toEqual([]);
  return result.data;
}

describe("CSV tokenizer agrees with papaparse", () => {
  it("on random well-formed files: quotes, doubled quotes, delimiters and line ends inside quotes, ragged rows", async () => {
    for (let seed = 1; seed <= 150; seed++) {
      const delimiter = ([",", ";", "\t"] as const)[seed % 3];
      const eol = LINE_ENDS[Math.floor(seed / 3) % 3];
      const { text, written } = wellFormedCsv(seed, delimiter, eol);
      const theirs = papaparse(text, delimiter, eol);
      expect(theirs).toEqual(written);

      const whole = parseCsvText(text, { delimiter, hasHeader: false });
      expect(whole.rows.map((r) => r.values)).toEqual(theirs);

      const streamed = await collect(parseCsv(chunkedStream(utf8(text), seed % 2 ? SMALL_PIECES : 7), { delimiter, hasHeader: false }));
      expect(streamed.map((r) => r.values)).toEqual(theirs);
    }
  });

  it("with a header and a byte order mark, flagging ragged rows papaparse returns as they are", () => {
    let flagged = 0;
    for (let seed = 200; seed < 230; seed++) {
      const { text, written } = wellFormedCsv(seed, ";", "\r\n");
      const theirs = papaparse(text, ";", "\r\n");
      const { header, rows } = parseCsvText("\uFEFF" + text, { delimiter: ";" });
      expect([header, ...rows.map((r) => r.values)]).toEqual(theirs);
      const ragged = rows.filter((r) => r.problem?.code === "ragged_row").map((r) => r.row);
      expect(ragged).toEqual(written.slice(1).flatMap((values, i) => (values.length !== written[0].length ? [i + 1] : [])));
      flagged += ragged.length;
    }
    expect(flagged).toBeGreaterThan(0);
  });
});
