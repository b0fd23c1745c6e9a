/**
 * The corrected-file and report writers of src/core/tabular at 1,000,000 rows, in this process
 * (Node, one core): rows/s and peak memory, each beside a baseline measured in the same run.
 *
 * - corrected CSV: a Windows-1252, ";" file read with source text, every 10th record rewritten,
 *   encoded back to Windows-1252; baseline: the bare parse of the same file.
 * - corrected XLSX: a shared-strings workbook (as openpyxl writes it) re-streamed with every 10th
 *   row edited; baseline: reading the same sheet with the XLSX reader.
 * - issues report: 1,000,000 issues as a workbook; baseline: the same issues as CSV.
 *
 * Each step also runs at a tenth of the rows: bounded memory shows as a live heap that does not
 * grow with the input. Each step runs twice: once timed, once for memory, forcing a full GC every
 * 100 ms (less often when a GC is slow) and keeping the largest heap still in use after it (the live set; heap sampled without
 * GC mostly measures how long V8 lets garbage pile up). Peak RSS is the whole process's.
 *
 *   npm run bench -- writers [--rows 1000000]
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { open } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import {
  type CsvCellEdit,
  encodeText,
  issuesCsv,
  issuesWorkbook,
  parseCsv,
  type RandomAccessReader,
  type ReportIssue,
  rewriteCsvRecord,
  rewriteXlsx,
  openZip,
  type XlsxCellEdit,
  xlsxToRows,
  zipStream,
} from "../src/core/tabular";
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

interface Measured {
  seconds: number;
  liveHeapMB: number;
  peakRssMB: number;
}

async function measure(fn: () => Promise<void>): Promise<Measured> {
  gc();
  let rss = process.memoryUsage().rss;
  const rssTimer = setInterval(() => (rss = Math.max(rss, process.memoryUsage().rss)), 5);
  const t = process.hrtime.bigint();
  await fn();
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  clearInterval(rssTimer);
  rss = Math.max(rss, process.memoryUsage().rss);

  gc();
  let live = process.memoryUsage().heapUsed;
  // A full GC of a large heap is slow: wait at least four times its cost before the next one.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const sample = (): void => {
    const t0 = performance.now();
    gc();
    live = Math.max(live, process.memoryUsage().heapUsed);
    timer = setTimeout(sample, Math.max(100, 4 * (performance.now() - t0)));
  };
  timer = setTimeout(sample, 100);
  await fn();
  clearTimeout(timer);
  return { seconds, liveHeapMB: live / 2 ** 20, peakRssMB: rss / 2 ** 20 };
}

async function writeFile(file: string, pieces: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>): Promise<void> {
  const out = createWriteStream(file);
  for await (const p of pieces) if (!out.write(p)) await new Promise<void>((r) => out.once("drain", () => r()));
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
}

function fileReader(handle: Awaited<ReturnType<typeof open>>, size: number): RandomAccessReader {
  return {
    size,
    async read(offset, length) {
      const buf = new Uint8Array(length);
      const { bytesRead } = await handle.read(buf, 0, length, offset);
      return bytesRead === length ? buf : buf.subarray(0, bytesRead);
    },
  };
}

const fileStream = (file: string) => Readable.toWeb(createReadStream(file, { highWaterMark: 1 << 20 })) as ReadableStream<Uint8Array>;

async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
  let n = 0;
  const reader = stream.getReader();
  for (;;) {
    const r = await reader.read();
    if (r.done) return n;
    n += r.value.length;
  }
}

const BRANDS = ["Samsung", "Motorola", "Xiaomi", "Apple", "Lenovo", "Nike", "Mondial", "Britânia"];

/** A pt-BR Excel CSV: cp1252, ";", decimal commas, CRLF, ~4% quoted multi-line descriptions. */
function* catalogCsv(rows: number): Generator<string> {
  yield "SKU;Título;Descrição;Preço;Estoque;Marca;Condição;GTIN\r\n";
  let lines = "";
  for (let i = 1; i <= rows; i++) {
    const desc = i % 25 === 0 ? `"Produto novo; lacrado.\r\nGarantia de 12 meses ""oficial""."` : `Produto com nota fiscal ${i % 1000}`;
    lines += `SKU-${i};${i % 10 === 0 ? "  " : ""}Camiseta algodão ${i}${i % 10 === 0 ? "  " : ""};${desc};${(i % 5000) + 0.5};${i % 300};${BRANDS[i % BRANDS.length]};novo;789100031550${i % 10}\r\n`;
    if (lines.length > 256 * 1024) {
      yield lines;
      lines = "";
    }
  }
  yield lines;
}

/** A one-sheet workbook with shared strings, written as it streams. */
function catalogXlsx(rows: number): ReadableStream<Uint8Array> {
  const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  const strings = new Map<string, number>();
  const s = (v: string) => {
    let i = strings.get(v);
    if (i === undefined) strings.set(v, (i = strings.size));
    return `t="s"><v>${i}</v>`;
  };
  const cols = "ABCDEFGH";
  function* sheet(): Generator<Uint8Array> {
    const enc = new TextEncoder();
    let xml = `<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="${MAIN}"><sheetData>`;
    for (let r = 1; r <= rows + 1; r++) {
      const i = r - 1;
      const cells =
        r === 1
          ? ["sku", "title", "description", "price", "stock", "brand", "condition", "gtin"].map((h) => s(h))
          : [s(`SKU-${i}`), s(`Camiseta algodão ${i}`), s(`Produto com nota fiscal ${i % 1000}`), `t="n"><v>${(i % 5000) + 0.5}</v>`, `t="n"><v>${i % 300}</v>`, s(BRANDS[i % BRANDS.length]), s("novo"), s(`789100031550${i % 10}`)];
      xml += `<row r="${r}">${cells.map((c, k) => `<c r="${cols[k]}${r}" ${c}</c>`).join("")}</row>`;
      if (xml.length > 256 * 1024) {
        yield enc.encode(xml);
        xml = "";
      }
    }
    yield enc.encode(`${xml}</sheetData></worksheet>`);
  }
  function* sst(): Generator<Uint8Array> {
    const enc = new TextEncoder();
    let xml = `<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="${MAIN}">`;
    for (const v of strings.keys()) {
      xml += `<si><t>${v}</t></si>`;
      if (xml.length > 256 * 1024) {
        yield enc.encode(xml);
        xml = "";
      }
    }
    yield enc.encode(`${xml}</sst>`);
  }
  return zipStream(async (zip) => {
    await zip.add("[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`);
    await zip.add("_rels/.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`);
    await zip.add("xl/workbook.xml", `<?xml version="1.0"?><workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="Produtos" sheetId="1" r:id="rId1"/></sheets></workbook>`);
    await zip.add(
      "xl/_rels/workbook.xml.rels",
      `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    );
    await zip.add("xl/worksheets/sheet1.xml", sheet());
    await zip.add("xl/sharedStrings.xml", sst());
  });
}

function* issues(n: number): Generator<ReportIssue> {
  for (let i = 0; i < n; i++) {
    yield i % 3 === 0
      ? { row: i + 2, sku: `SKU-${i}`, column: "Título", field: "title", rule: "ml.title.max_length", severity: "error", message: "Título com mais de 60 caracteres", value: `Camiseta algodão ${i} `.repeat(4), suggestion: `Camiseta algodão ${i}` }
      : { row: i + 2, sku: `SKU-${i}`, column: "Preço", field: "price", rule: "ml.price.decimal", severity: "warning", message: "Preço com vírgula decimal", value: `${i % 5000},50`, suggestion: (i % 5000) + 0.5 };
  }
}

interface Line {
  step: string;
  rows: number;
  bytes: number;
  m: Measured;
}

function row(l: Line, baseline?: Line): string {
  const rate = l.rows / l.m.seconds;
  const ratio = baseline ? ` (${(l.m.seconds / baseline.m.seconds).toFixed(2)}× baseline time)` : "";
  return `| ${l.step} | ${l.rows.toLocaleString("en")} | ${l.m.seconds.toFixed(2)} | ${Math.round(rate / 1000)}k${ratio} | ${(l.bytes / 1e6 / l.m.seconds).toFixed(0)} | ${l.m.liveHeapMB.toFixed(0)} | ${l.m.peakRssMB.toFixed(0)} |`;
}

export async function runWritersBench(): Promise<void> {
  const big = arg("rows", 1_000_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), "vitrine-writers-"));
  console.log(`\n## Corrected-file and report writers — node ${process.version}, one core, in process`);
  console.log("| step | rows | s | rows/s | MB/s | live heap MB | peak RSS MB |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  try {
    for (const rows of [Math.max(1, Math.round(big / 10)), big]) {
      // Corrected CSV.
      const csv = path.join(dir, `catalog-${rows}.csv`);
      await writeFile(csv, (function* () {
        for (const t of catalogCsv(rows)) yield encodeText(t, "windows-1252").bytes;
      })());
      const csvBytes = statSync(csv).size;
      const opts = { encoding: "windows-1252", delimiter: ";" } as const;
      const bare: Line = {
        step: "CSV bare parse (baseline)",
        rows,
        bytes: csvBytes,
        m: await measure(async () => {
          for await (const _batch of parseCsv(fileStream(csv), opts).batches());
        }),
      };
      let written = 0;
      const corrected: Line = {
        step: "CSV corrected (cp1252, 1 in 10 rewritten)",
        rows,
        bytes: csvBytes,
        m: await measure(async () => {
          written = 0;
          const reader = parseCsv(fileStream(csv), { ...opts, sourceText: true, sheetRows: true });
          const dialect = { delimiter: ";", decimalComma: true } as const;
          written += encodeText((await reader.headerSourceText()) ?? "", "windows-1252").bytes.length;
          for await (const batch of reader.batches()) {
            let text = "";
            for (const r of batch) {
              const edits: CsvCellEdit[] = r.row % 10 === 0 ? [{ column: 1, value: r.values[1].trim() }, { column: 3, value: Number(r.values[3].replace(",", ".")) }] : [];
              text += edits.length > 0 ? rewriteCsvRecord(r.sourceText!, edits, dialect) : r.sourceText!;
            }
            written += encodeText(text, "windows-1252").bytes.length;
          }
        }),
      };
      if (written > csvBytes + rows || written < csvBytes - rows) throw new Error(`corrected CSV is ${written} bytes for ${csvBytes}`);
      console.log(row(bare));
      console.log(row(corrected, bare));
      rmSync(csv);

      // Corrected XLSX.
      const xlsx = path.join(dir, `catalog-${rows}.xlsx`);
      await writeFile(xlsx, (async function* () {
        const reader = catalogXlsx(rows).getReader();
        for (;;) {
          const r = await reader.read();
          if (r.done) return;
          yield r.value;
        }
      })());
      const xlsxBytes = statSync(xlsx).size;
      const handle = await open(xlsx);
      try {
        const source = fileReader(handle, xlsxBytes);
        const sheetXml = (await openZip(source)).entries.get("xl/worksheets/sheet1.xml")!.uncompressedSize;
        let read = 0;
        const readBase: Line = {
          step: "XLSX read (baseline)",
          rows,
          bytes: sheetXml,
          m: await measure(async () => {
            read = 0;
            for await (const _r of xlsxToRows(source)) read++;
          }),
        };
        if (read !== rows) throw new Error(`read ${read} rows`);
        let out = 0;
        let changed = 0;
        const rewrite: Line = {
          step: "XLSX corrected (1 row in 10 edited)",
          rows,
          bytes: sheetXml,
          m: await measure(async () => {
            const edits = function* (): Generator<XlsxCellEdit> {
              for (let r = 2; r <= rows + 1; r += 10) {
                yield { sheetRow: r, column: 1, value: `Camiseta ${r}` };
                yield { sheetRow: r, column: 3, value: 9.9 };
              }
            };
            const { stream, result } = rewriteXlsx(source, edits());
            out = await drain(stream);
            changed = (await result).cellsChanged;
          }),
        };
        console.log(row(readBase));
        console.log(row(rewrite, readBase) + ` → ${(out / 1e6).toFixed(0)} MB out, ${changed.toLocaleString("en")} cells changed`);
      } finally {
        await handle.close();
        rmSync(xlsx);
      }

      // Issues report.
      let csvOut = 0;
      const issuesCsvLine: Line = {
        step: "issues report CSV (baseline)",
        rows,
        bytes: 0,
        m: await measure(async () => {
          csvOut = await drain(issuesCsv(issues(rows), "pt-BR", { delimiter: ";", bom: true }));
        }),
      };
      let xlsxOut = 0;
      const issuesXlsxLine: Line = {
        step: "issues report XLSX (2 sheets)",
        rows,
        bytes: 0,
        m: await measure(async () => {
          xlsxOut = await drain(issuesWorkbook(issues(rows), "pt-BR"));
        }),
      };
      issuesCsvLine.bytes = csvOut;
      issuesXlsxLine.bytes = csvOut;
      console.log(row(issuesCsvLine));
      console.log(row(issuesXlsxLine, issuesCsvLine) + ` → ${(xlsxOut / 1e6).toFixed(0)} MB workbook`);
    }
    console.log("(MB/s: CSV source bytes; XLSX inflated sheet XML; reports, bytes of the CSV report.)");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
