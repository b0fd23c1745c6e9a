import { decodeText } from "./bytes";
import { classifyCfb, isCfb } from "./cfb";
import { TabularError } from "./errors";
import { LOOK_AHEAD, preambleLength } from "./header-row";
import type { RandomAccessReader, RowProblem, TabularRow } from "./types";
import { SharedStringsHandler, SheetHandler, type SheetLimits } from "./xlsx-sheet";
import { type XmlHandler, XmlScanner, xmlAttr } from "./xml-scanner";
import { openZip, readEntry, readEntryBytes, type ZipArchive, type ZipEntry, type ZipLimits } from "./zip";

export interface XlsxOptions {
  /** Sheet name, or 0-based position in workbook order. Default: the first sheet. */
  sheet?: string | number;
  /**
   * The sheet row (1-based, as Excel numbers it) that holds the column names, for sheets with
   * title or instruction rows above it (marketplace mass-edit templates). Rows above it are
   * skipped; if it is empty, `header_not_found`. Default: the first row with a value.
   */
  headerRow?: number;
  /** The first sheet row read as data, for templates with instruction rows below the header. Default: the row after the header. */
  firstDataRow?: number;
  /**
   * Without `headerRow`: look for the header below title rows (`preambleLength`), telling column
   * names from titles with this test. The rows above the header are skipped, and `headerSheetRow()`
   * says where it was found. Default: the first row with a value is the header.
   */
  headerBelowTitle?: (name: string) => boolean;
  limits?: Partial<ZipLimits>;
  /** Default 2048. Cells beyond → `too_many_columns` on the row. */
  maxColumns?: number;
  /** Default 256 Ki characters. Longer cell text → `field_too_large` on the row. */
  maxFieldLength?: number;
  /**
   * How shared strings are held while the sheet streams:
   * - "all": the whole table (one pass over the sheet);
   * - "referenced": count references in a first pass over the sheet, keep only referenced
   *   strings and drop each after its last use (two passes, far less memory for big tables);
   * - "auto" (default): "referenced" when sharedStrings.xml inflates to more than 8 MiB and
   *   the workbook has several sheets (so the table likely holds strings this sheet never uses).
   */
  sharedStrings?: "all" | "referenced" | "auto";
}

export interface XlsxSheetInfo {
  name: string;
  /** ZIP entry of the worksheet XML. */
  path: string;
  hidden: boolean;
}

export interface XlsxWorkbook {
  zip: ZipArchive;
  sheets: XlsxSheetInfo[];
  sharedStringsPath: string | null;
}

/** A row of a sheet. `row` counts from the header's sheet row (header = 0); `sheetRow` is Excel's. */
export interface XlsxRow extends TabularRow {
  sheetRow: number;
  /**
   * Columns (0-based) holding a formula saved without its computed result (workbooks written by
   * a library and never opened in a spreadsheet program): their value is the formula text
   * ("=SUM(B2:B9)"), or "" for a shared formula's follower cell. Absent when there are none.
   */
  uncachedFormulas?: number[];
}

export interface XlsxReader extends AsyncIterable<XlsxRow> {
  /** The header: the first row with a value (or `headerRow`), trailing empty cells dropped. */
  header(): Promise<string[]>;
  /** The header's sheet row, once `header()` has resolved (0 for an empty sheet). */
  headerSheetRow(): number;
  /** With `headerBelowTitle`, once `header()` has resolved: how many title rows above the header were skipped. */
  titleRowsSkipped(): number;
}

const SMALL_PART_BYTES = 16 * 1024 * 1024;
const AUTO_REFERENCED_BYTES = 8 * 1024 * 1024;
const MAX_SHARED_INDEX = 1 << 22;

/**
 * Opens an .xlsx and lists its sheets, refusing what we must not read: OLE containers
 * (legacy .xls or password-protected workbooks), macro-enabled workbooks, binary .xlsb, and
 * archives without a workbook. ZIP limits apply to every part read later through `zip`.
 */
export async function openXlsx(reader: RandomAccessReader, opts: Pick<XlsxOptions, "limits"> = {}): Promise<XlsxWorkbook> {
  const head = await reader.read(0, Math.min(8, reader.size));
  if (isCfb(head)) {
    if ((await classifyCfb(reader)) === "encrypted") {
      throw new TabularError("encrypted_workbook", "The workbook is password-protected; save it without a password.");
    }
    throw new TabularError("legacy_xls", "This is a legacy .xls workbook; save it as .xlsx or CSV.");
  }
  if (head.length < 4 || head[0] !== 0x50 || head[1] !== 0x4b) {
    throw new TabularError("not_a_workbook", "The file is not an .xlsx workbook.");
  }
  const zip = await openZip(reader, opts.limits);
  const find = entryFinder(zip);

  for (const name of zip.entries.keys()) {
    if (/(^|\/)vbaProject\.bin$/i.test(name)) {
      throw new TabularError("macro_enabled", "Macro-enabled workbooks are not accepted; save it as .xlsx without macros.");
    }
  }

  let workbookPath = "xl/workbook.xml";
  const rootRels = find("_rels/.rels");
  if (rootRels !== undefined) {
    const rels = await readRels(zip, rootRels, "");
    const office = rels.find((r) => r.type.endsWith("/officeDocument"));
    if (office !== undefined) workbookPath = office.target;
  }
  if (/\.bin$/i.test(workbookPath) || find("xl/workbook.bin") !== undefined) {
    throw new TabularError("unsupported_workbook", "Binary workbooks (.xlsb) are not supported; save it as .xlsx.");
  }
  const workbook = find(workbookPath);
  if (workbook === undefined) throw new TabularError("not_a_workbook", "The archive has no workbook part.");

  const dir = workbook.name.slice(0, workbook.name.lastIndexOf("/") + 1);
  const relsEntry = find(`${dir}_rels/${workbook.name.slice(dir.length)}.rels`);
  const rels = relsEntry !== undefined ? await readRels(zip, relsEntry, dir) : [];
  const byId = new Map(rels.map((r) => [r.id, r]));

  const sheets: XlsxSheetInfo[] = [];
  await scanSmall(zip, workbook, {
    wantText: false,
    open(name, s, start, end) {
      if (name !== "sheet") return;
      const rel = byId.get(xmlAttr(s, start, end, "r:id") ?? xmlAttr(s, start, end, "id") ?? "");
      if (rel === undefined || !rel.type.endsWith("/worksheet")) return;
      const state = xmlAttr(s, start, end, "state");
      sheets.push({ name: xmlAttr(s, start, end, "name") ?? "", path: rel.target, hidden: state !== undefined && state !== "visible" });
    },
    close() {},
    text() {},
  });
  const sst = rels.find((r) => r.type.endsWith("/sharedStrings"));
  const sstEntry = find(sst?.target ?? `${dir}sharedStrings.xml`);
  return { zip, sheets, sharedStringsPath: sstEntry?.name ?? null };
}

/** Streams the rows of one sheet of an .xlsx; the first row with a value is the header. */
export function xlsxToRows(reader: RandomAccessReader, opts: XlsxOptions = {}): XlsxReader {
  for (const [name, n] of [["headerRow", opts.headerRow], ["firstDataRow", opts.firstDataRow]] as const) {
    if (n !== undefined && !(Number.isInteger(n) && n >= 1)) throw new RangeError(`${name} must be a row number (1 or more)`);
  }
  if (opts.headerRow !== undefined && opts.firstDataRow !== undefined && opts.firstDataRow <= opts.headerRow) {
    throw new RangeError("firstDataRow must come after headerRow");
  }
  let headerValues: string[] | undefined;
  let headerAt = 0;
  let titleRows = 0;
  let peeked: XlsxRow | undefined;
  let started = false;
  const setHeader = (h: string[], sheetRow: number): void => {
    headerValues = h;
    headerAt = sheetRow;
  };
  const gen = produceRows(reader, opts, setHeader, (n) => (titleRows = n));

  const header = async (): Promise<string[]> => {
    if (headerValues === undefined) {
      const r = await gen.next();
      if (!r.done) peeked = r.value;
      headerValues ??= [];
    }
    return headerValues;
  };

  return {
    header,
    headerSheetRow: () => headerAt,
    titleRowsSkipped: () => titleRows,
    [Symbol.asyncIterator](): AsyncIterator<XlsxRow> {
      if (started) throw new Error("An XLSX reader can be iterated only once.");
      started = true;
      return {
        next: async () => {
          await header();
          if (peeked !== undefined) {
            const value = peeked;
            peeked = undefined;
            return { done: false, value };
          }
          return gen.next();
        },
        return: async () => {
          await gen.return();
          return { done: true, value: undefined };
        },
      };
    },
  };
}

async function* produceRows(
  reader: RandomAccessReader,
  opts: XlsxOptions,
  setHeader: (h: string[], sheetRow: number) => void,
  setTitleRows: (n: number) => void,
): AsyncGenerator<XlsxRow, void, undefined> {
  const wb = await openXlsx(reader, opts);
  const zip = wb.zip;
  const sheet = pickSheet(wb, opts.sheet);
  const sheetEntry = sheetPart(wb, sheet);
  const limits: SheetLimits = { maxColumns: opts.maxColumns ?? 2048, maxFieldLength: opts.maxFieldLength ?? 256 * 1024 };

  const sstEntry = wb.sharedStringsPath !== null ? zip.entries.get(wb.sharedStringsPath) : undefined;
  let mode = opts.sharedStrings ?? "auto";
  if (mode === "auto") {
    // Excel rebuilds the table on save, so a one-sheet workbook uses every string and the
    // second pass would only buy early release; with several sheets it skips the others' strings.
    const big = sstEntry !== undefined && sstEntry.uncompressedSize > AUTO_REFERENCED_BYTES;
    mode = big && wb.sheets.length > 1 ? "referenced" : "all";
  }

  let resolve: (i: number) => string = () => "";
  if (sstEntry !== undefined && mode === "all") {
    const table: string[] = [];
    await scanAll(zip, sstEntry, new SharedStringsHandler(() => true, (_i, v) => table.push(v), limits.maxFieldLength));
    resolve = (i) => table[i] ?? "";
  } else if (sstEntry !== undefined) {
    const counts = new RefCounts();
    await scanAll(zip, sheetEntry, new SheetHandler(limits, () => "", () => {}, (i) => counts.add(i)));
    // A dense array (8 bytes a slot) rather than a Map (~40 bytes an entry); released slots
    // are cleared so each string can be collected after the last cell that uses it.
    const kept: (string | undefined)[] = [];
    await scanAll(
      zip,
      sstEntry,
      new SharedStringsHandler(
        (i) => counts.get(i) > 0,
        (i, v) => {
          while (kept.length < i) kept.push(undefined);
          kept[i] = v;
        },
        limits.maxFieldLength,
      ),
    );
    resolve = (i) => {
      const v = kept[i];
      if (v === undefined) return "";
      if (counts.release(i) === 0) kept[i] = undefined;
      return v;
    };
  }

  const out: XlsxRow[] = [];
  let header: string[] | null = null;
  let headerRow = 0;
  const wantHeader = opts.headerRow;
  const headerMissing = (): TabularError =>
    new TabularError("header_not_found", `Row ${wantHeader} of the sheet "${sheet.name}" is empty; name the row that holds the column names.`);
  type Pending = [sheetRow: number, values: string[], problem: RowProblem | undefined, uncachedFormulas: number[] | undefined];
  // The first rows, held until it is known which of them is the header (`headerBelowTitle`).
  let pending: Pending[] | null = wantHeader === undefined && opts.headerBelowTitle !== undefined ? [] : null;
  const takeHeader = (sheetRow: number, values: string[], problem: RowProblem | undefined): void => {
    if (problem?.code === "too_many_columns") {
      throw new TabularError("too_many_columns", `The header has more than ${problem.limit} columns.`);
    }
    header = values;
    headerRow = sheetRow;
    setHeader(values, sheetRow);
  };
  const release = (): void => {
    const held = pending!;
    pending = null;
    if (held.length === 0) return;
    const skip = preambleLength(
      held.map((p) => p[1]),
      opts.headerBelowTitle!,
    );
    setTitleRows(skip);
    takeHeader(held[skip][0], held[skip][1], held[skip][2]);
    for (const p of held.slice(skip + 1)) onRow(...p);
  };
  const onRow = (sheetRow: number, values: string[], problem: RowProblem | undefined, uncachedFormulas: number[] | undefined): void => {
    if (pending !== null) {
      pending.push([sheetRow, values, problem, uncachedFormulas]);
      if (pending.length > LOOK_AHEAD) release();
      return;
    }
    if (header === null) {
      if (wantHeader !== undefined && sheetRow < wantHeader) return;
      if (wantHeader !== undefined && sheetRow > wantHeader) throw headerMissing();
      takeHeader(sheetRow, values, problem);
      return;
    }
    if (opts.firstDataRow !== undefined && sheetRow < opts.firstDataRow) return;
    const row: XlsxRow = { row: sheetRow - headerRow, sheetRow, values };
    const expected = header.length;
    if (problem !== undefined) row.problem = problem;
    else if (values.length > expected) row.problem = { code: "ragged_row", expected, actual: values.length };
    if (uncachedFormulas !== undefined) row.uncachedFormulas = uncachedFormulas;
    while (values.length < expected) values.push("");
    out.push(row);
  };
  const handler = new SheetHandler(limits, resolve, onRow);
  const scanner = new XmlScanner(handler);
  for await (const text of decodeText(readEntry(zip, sheetEntry), "utf-8")) {
    scanner.feed(text, false);
    for (const r of out) yield r;
    out.length = 0;
  }
  scanner.feed("", true);
  if (pending !== null) release();
  for (const r of out) yield r;
  if (header === null) {
    if (wantHeader !== undefined) throw headerMissing();
    setHeader([], 0);
  }
}

/** The ZIP entry of a sheet's XML (part names match regardless of case); `sheet_not_found` if it is missing. */
export function sheetPart(wb: XlsxWorkbook, sheet: XlsxSheetInfo): ZipEntry {
  const entry = wb.zip.entries.get(sheet.path) ?? entryFinder(wb.zip)(sheet.path);
  if (entry === undefined) throw new TabularError("sheet_not_found", `The sheet "${sheet.name}" has no part.`);
  return entry;
}

/** The sheet named (or at the 0-based position) `want`, the first when undefined; `sheet_not_found` otherwise. */
export function pickSheet(wb: XlsxWorkbook, want: string | number | undefined): XlsxSheetInfo {
  let sheet: XlsxSheetInfo | undefined;
  if (want === undefined) sheet = wb.sheets[0];
  else if (typeof want === "number") sheet = wb.sheets[want];
  else sheet = wb.sheets.find((s) => s.name === want) ?? wb.sheets.find((s) => s.name.toLowerCase() === want.toLowerCase());
  if (sheet === undefined) {
    throw new TabularError("sheet_not_found", want === undefined ? "The workbook has no worksheet." : `No sheet ${JSON.stringify(want)}.`);
  }
  return sheet;
}

/** Per shared-string index, how many cells still refer to it. */
class RefCounts {
  private counts = new Uint32Array(1024);

  add(i: number): void {
    if (!(i >= 0 && i < MAX_SHARED_INDEX)) return;
    if (i >= this.counts.length) {
      let n = this.counts.length;
      while (n <= i) n *= 2;
      const next = new Uint32Array(Math.min(n, MAX_SHARED_INDEX));
      next.set(this.counts);
      this.counts = next;
    }
    this.counts[i]++;
  }

  get(i: number): number {
    return i < this.counts.length ? this.counts[i] : 0;
  }

  release(i: number): number {
    if (i >= this.counts.length || this.counts[i] === 0) return 0;
    return --this.counts[i];
  }
}

interface Relationship {
  id: string;
  type: string;
  target: string;
}

async function readRels(zip: ZipArchive, entry: ZipEntry, baseDir: string): Promise<Relationship[]> {
  const rels: Relationship[] = [];
  await scanSmall(zip, entry, {
    wantText: false,
    open(name, s, start, end) {
      if (name !== "Relationship" || xmlAttr(s, start, end, "TargetMode") === "External") return;
      const target = xmlAttr(s, start, end, "Target");
      if (target === undefined) return;
      rels.push({
        id: xmlAttr(s, start, end, "Id") ?? "",
        type: xmlAttr(s, start, end, "Type") ?? "",
        target: resolvePartPath(baseDir, target),
      });
    },
    close() {},
    text() {},
  });
  return rels;
}

/** Resolves a relationship target against the folder of the part that declares it. */
function resolvePartPath(baseDir: string, target: string): string {
  const parts = (target.startsWith("/") ? target.slice(1) : baseDir + target).split("/");
  const out: string[] = [];
  for (const p of parts) {
    if (p === "..") out.pop();
    else if (p !== "." && p !== "") out.push(p);
  }
  return out.join("/");
}

function entryFinder(zip: ZipArchive): (name: string) => ZipEntry | undefined {
  let lower: Map<string, ZipEntry> | undefined;
  return (name) => {
    const exact = zip.entries.get(name);
    if (exact !== undefined) return exact;
    lower ??= new Map([...zip.entries.values()].map((e) => [e.name.toLowerCase(), e]));
    return lower.get(name.toLowerCase());
  };
}

async function scanSmall(zip: ZipArchive, entry: ZipEntry, handler: XmlHandler): Promise<void> {
  const bytes = await readEntryBytes(zip, entry, SMALL_PART_BYTES);
  new XmlScanner(handler).feed(new TextDecoder("utf-8").decode(bytes), true);
}

async function scanAll(zip: ZipArchive, entry: ZipEntry, handler: XmlHandler): Promise<void> {
  const scanner = new XmlScanner(handler);
  for await (const text of decodeText(readEntry(zip, entry), "utf-8")) scanner.feed(text, false);
  scanner.feed("", true);
}
