import { describe, expect, it } from "vitest";
import { forEachCsvRow, parseCsv, parseCsvText, TabularError, type TabularRow } from "../../../src/core/tabular";
import { randomCsv, referenceRecords } from "../../fixtures/tabular/csv-gen";
import { chunkedStream, collect, cp1252, SMALL_PIECES, utf8 } from "../../fixtures/tabular/streams";

const rowsOf = (rows: TabularRow[]) => rows.map((r) => r.values);

async function readAll(bytes: Uint8Array, opts: Parameters<typeof parseCsv>[1] = {}, pieces: number | readonly number[] = 65536) {
  const reader = parseCsv(chunkedStream(bytes, pieces), opts);
  const header = await reader.header();
  return { header, rows: await collect(reader) };
}

describe("parseCsv", () => {
  it("reads header and rows, numbering records from 1", async () => {
    const { header, rows } = await readAll(utf8("sku,title,price\nA1,Camiseta,10.50\nA2,Calça,99.90\n"));
    expect(header).toEqual(["sku", "title", "price"]);
    expect(rows).toEqual([
      { row: 1, values: ["A1", "Camiseta", "10.50"] },
      { row: 2, values: ["A2", "Calça", "99.90"] },
    ]);
  });

  it("strips a UTF-8 BOM from the first header", async () => {
    const { header } = await readAll(utf8("\uFEFFsku;preço\nX;1\n"), { delimiter: ";" });
    expect(header).toEqual(["sku", "preço"]);
  });

  it("decodes Windows-1252 (Preço, Descrição)", async () => {
    const bytes = cp1252("SKU;Preço;Descrição\nA1;10,50;Camisa algodão – azul\n");
    const { header, rows } = await readAll(bytes, { encoding: "windows-1252", delimiter: ";" }, SMALL_PIECES);
    expect(header).toEqual(["SKU", "Preço", "Descrição"]);
    expect(rows[0].values).toEqual(["A1", "10,50", "Camisa algodão – azul"]);
  });

  it("splits on ';' and tab", async () => {
    expect(rowsOf((await readAll(utf8("a;b\n1;2,5\n"), { delimiter: ";" })).rows)).toEqual([["1", "2,5"]]);
    expect(rowsOf((await readAll(utf8("a\tb\n1\t2, 5\n"), { delimiter: "\t" })).rows)).toEqual([["1", "2, 5"]]);
  });

  it("handles RFC 4180 quoting: delimiters, doubled quotes, newlines, CRLF", async () => {
    const csv = 'sku,desc,n\r\n"A,1","Diz ""olá""\r\nsegunda linha",3\r\nB,"",4\r\n';
    const { rows } = await readAll(utf8(csv));
    expect(rowsOf(rows)).toEqual([
      ["A,1", 'Diz "olá"\r\nsegunda linha', "3"],
      ["B", "", "4"],
    ]);
  });

  it("gives the same rows whatever the stream chunking (1-7 byte pieces)", async () => {
    const csv =
      'sku;título;desc\r\n"A;1";Café ☕ 𝄞;"linha 1\nlinha ""2""\r\nfim"\r\nB;ção;"x"\n\n"C";"";\rD;é;"end"';
    const whole = await readAll(utf8(csv), { delimiter: ";" });
    for (const pieces of [[1], [2], [3], SMALL_PIECES, [5, 1, 1]]) {
      expect(await readAll(utf8(csv), { delimiter: ";" }, pieces)).toEqual(whole);
    }
    expect(rowsOf(whole.rows)).toEqual([
      ["A;1", "Café ☕ 𝄞", 'linha 1\nlinha "2"\r\nfim'],
      ["B", "ção", "x"],
      ["C", "", ""],
      ["D", "é", "end"],
    ]);
  });

  it("joins a multi-byte UTF-8 character split across chunks", async () => {
    const bytes = utf8("a\nç€𝄞\n");
    // "a\n" is 2 bytes; cut inside ç (2 bytes), € (3 bytes) and 𝄞 (4 bytes).
    const { rows } = await readAll(bytes, {}, [3, 1, 2, 1, 3, 1]);
    expect(rows[0].values).toEqual(["ç€𝄞"]);
  });

  it("skips empty lines without counting them; accepts CR-only line ends", async () => {
    const { rows } = await readAll(utf8("a,b\r\r\n1,2\r\n\r\n3,4\r5,6"));
    expect(rows).toEqual([
      { row: 1, values: ["1", "2"] },
      { row: 2, values: ["3", "4"] },
      { row: 3, values: ["5", "6"] },
    ]);
  });

  it("reports ragged rows with expected and actual counts, and keeps going", async () => {
    const { rows } = await readAll(utf8("a,b,c\n1,2\n1,2,3,4\n1,2,3\n"));
    expect(rows).toEqual([
      { row: 1, values: ["1", "2"], problem: { code: "ragged_row", expected: 3, actual: 2 } },
      { row: 2, values: ["1", "2", "3", "4"], problem: { code: "ragged_row", expected: 3, actual: 4 } },
      { row: 3, values: ["1", "2", "3"] },
    ]);
  });

  it("reports an unterminated quote at end of file", async () => {
    for (const pieces of [65536, 1]) {
      const { rows } = await readAll(utf8('a,b\n1,2\n3,"never closed\n4,5\n'), {}, pieces);
      expect(rows[0]).toEqual({ row: 1, values: ["1", "2"] });
      expect(rows[1]).toEqual({ row: 2, values: ["3", "never closed\n4,5\n"], problem: { code: "unterminated_quote" } });
      expect(rows).toHaveLength(2);
    }
  });

  it("keeps text after a closing quote, like spreadsheets do", async () => {
    const { rows } = await readAll(utf8('a,b\n"12"" tv"x,5" screen\n'));
    expect(rows[0].values).toEqual(['12" tvx', '5" screen']);
  });

  it("bounds memory: an oversized record is skipped and reported, the next one is read", async () => {
    const big = "x".repeat(5000);
    const csv = `a,b\n1,"${big}\n${big}"\n2,ok\n3,${big}\n4,ok\n`;
    for (const pieces of [65536, 97, 1000]) {
      const { rows } = await readAll(utf8(csv), { maxRecordLength: 4096 }, pieces);
      expect(rows).toEqual([
        { row: 1, values: [], problem: { code: "record_too_large", limit: 4096 } },
        { row: 2, values: ["2", "ok"] },
        { row: 3, values: [], problem: { code: "record_too_large", limit: 4096 } },
        { row: 4, values: ["4", "ok"] },
      ]);
    }
  });

  it("reports a field over maxFieldLength and blanks it", async () => {
    const { rows } = await readAll(utf8(`a,b\n1,${"y".repeat(300)}\n`), { maxFieldLength: 100 });
    expect(rows[0]).toEqual({ row: 1, values: ["1", ""], problem: { code: "field_too_large", column: 1, limit: 100 } });
  });

  it("caps columns per record", async () => {
    const { rows } = await readAll(utf8("a,b\n1,2,3,4,5\n"), { maxColumns: 3 });
    expect(rows[0]).toEqual({ row: 1, values: ["1", "2", "3"], problem: { code: "too_many_columns", limit: 3, actual: 5 } });
  });

  it("refuses a header that never ends its quote", async () => {
    const reader = parseCsv(utf8('"sku,title\n1,2\n'));
    await expect(reader.header()).rejects.toMatchObject({ code: "malformed_csv" });
    await expect(reader.header()).rejects.toBeInstanceOf(TabularError);
  });

  it("reads without a header when asked", async () => {
    const { header, rows } = await readAll(utf8("1,2\n3,4\n"), { hasHeader: false });
    expect(header).toBeNull();
    expect(rows).toEqual([
      { row: 1, values: ["1", "2"] },
      { row: 2, values: ["3", "4"] },
    ]);
  });

  it("yields nothing for an empty file", async () => {
    expect(await readAll(new Uint8Array(0))).toEqual({ header: [], rows: [] });
  });

  it("agrees with a naive character-by-character reader on random CSVs, in any chunking", async () => {
    for (let seed = 100; seed < 130; seed++) {
      const delimiter = ([",", ";", "\t"] as const)[seed % 3];
      const text = randomCsv(seed, 40, delimiter) + (seed % 5 === 0 ? '\n"open' : "");
      const ref = referenceRecords(text, delimiter);
      const { header, rows } = await readAll(utf8(text), { delimiter }, seed % 2 ? SMALL_PIECES : 11);
      expect([header, ...rows.map((r) => r.values)]).toEqual(ref.records);
      expect(rows.at(-1)?.problem?.code === "unterminated_quote").toBe(ref.unterminated);
    }
  });

  it("serves batches", async () => {
    const reader = parseCsv(utf8("a\n1\n2\n3\n"));
    const batches = await collect(reader.batches());
    expect(batches.flat().map((r) => r.values[0])).toEqual(["1", "2", "3"]);
  });

  it("cancels the source stream when iteration stops early", async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(ctrl) {
        ctrl.enqueue(utf8("a\n" + "1\n".repeat(40000)));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const r of parseCsv(stream)) if (r.row === 3) break;
    expect(cancelled).toBe(true);
  });
});

describe("parseCsvText", () => {
  it("parses a small string the same way", () => {
    const { header, rows } = parseCsvText('\uFEFFa;b\n"x;y";2\n', { delimiter: ";" });
    expect(header).toEqual(["a", "b"]);
    expect(rows).toEqual([{ row: 1, values: ["x;y", "2"] }]);
  });
});

describe("forEachCsvRow", () => {
  const each = (text: string, opts: Parameters<typeof forEachCsvRow>[1] = {}) => {
    const rows: TabularRow[] = [];
    const done = forEachCsvRow(text, opts, (row) => {
      rows.push(row);
    });
    return { ...done, rows };
  };

  it("hands on Brazilian export rows: quoted fields, CRLF, decimal commas, accents, empty cells, long keys", () => {
    const longKey = `SKU-${"ÇÃO-".repeat(80)}1`;
    const text =
      "\uFEFFsku;título;preço;descrição;imagens\r\n" +
      'A1;Camiseta Básica;"1.299,90";"Algodão; 100%\r\nlinha ""dois""";a.jpg|b.jpg\r\n' +
      "\r\n" +
      `${longKey};;99,9;;\r\n` +
      "A3;Tênis;10;x\r\n" +
      '"A4";"";0,5;"";"c.jpg"';
    const { header, rows } = each(text, { delimiter: ";" });
    expect(header).toEqual(["sku", "título", "preço", "descrição", "imagens"]);
    expect(rows).toEqual([
      { row: 1, values: ["A1", "Camiseta Básica", "1.299,90", 'Algodão; 100%\r\nlinha "dois"', "a.jpg|b.jpg"] },
      { row: 2, values: [longKey, "", "99,9", "", ""] },
      { row: 3, values: ["A3", "Tênis", "10", "x"], problem: { code: "ragged_row", expected: 5, actual: 4 } },
      { row: 4, values: ["A4", "", "0,5", "", "c.jpg"] },
    ]);
    expect(parseCsvText(text, { delimiter: ";" }).rows).toEqual(rows);
  });

  it("gives each row to the callback before cutting the next, and stops when the callback throws", () => {
    const seen: number[] = [];
    expect(() =>
      forEachCsvRow("a\n1\n2\n3\n4\n", {}, (row) => {
        seen.push(row.row);
        if (row.row === 2) throw new Error("stop");
      }),
    ).toThrow("stop");
    expect(seen).toEqual([1, 2]);
  });

  it("agrees with a naive character-by-character reader on random CSVs", () => {
    for (let seed = 200; seed < 230; seed++) {
      const delimiter = ([",", ";", "\t"] as const)[seed % 3];
      const text = randomCsv(seed, 60, delimiter) + (seed % 5 === 0 ? '\n"open' : "");
      const ref = referenceRecords(text, delimiter);
      const { header, rows } = each(text, { delimiter });
      expect([header, ...rows.map((r) => r.values)]).toEqual(ref.records);
      expect(rows.map((r) => r.row)).toEqual(rows.map((_, i) => i + 1));
      expect(rows.at(-1)?.problem?.code === "unterminated_quote").toBe(ref.unterminated);
    }
  });

  it("handles empty input, no header, a bad header and source text like parseCsvText", () => {
    expect(each("")).toEqual({ header: [], rows: [] });
    expect(each("1,2\n3,4", { hasHeader: false })).toEqual({
      header: null,
      rows: [
        { row: 1, values: ["1", "2"] },
        { row: 2, values: ["3", "4"] },
      ],
    });
    let called = false;
    expect(() => forEachCsvRow('"never closed\n1\n', {}, () => (called = true))).toThrow(TabularError);
    expect(called).toBe(false);
    const text = "\r\na;b\r\n1;2\n\n3;4\r\n\r\n";
    const { headerSourceText, rows, trailingSourceText } = each(text, { delimiter: ";", sourceText: true });
    expect(headerSourceText! + rows.map((r) => r.sourceText).join("") + trailingSourceText).toBe(text);
  });
});
