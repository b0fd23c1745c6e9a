import { createReadStream, createWriteStream, renameSync, rmSync, type WriteStream } from "node:fs";
import { once } from "node:events";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Locale } from "../../src/core/text";
import {
  canEncode,
  type CorrectedFileEncoding,
  correctedFileEncoding,
  type Delimiter,
  encodeTextStream,
  issuesCsv,
  issuesWorkbook,
  type ReportIssue,
  reportCsvDialect,
  type TextEncodingName,
} from "../../src/core/tabular";

/** Writes text to a file piece by piece, waiting when the disk is slower than the validation. */
class TextFile {
  private readonly out: WriteStream;

  constructor(readonly path: string) {
    this.out = createWriteStream(path, { encoding: "utf8" });
  }

  async write(text: string): Promise<void> {
    if (!this.out.write(text)) await once(this.out, "drain");
  }

  async close(): Promise<void> {
    this.out.end();
    await once(this.out, "finish");
  }
}

/**
 * The corrected CSV, in the source's encoding. Records are rewritten by the caller (untouched ones
 * are their source text); this keeps them in a UTF-8 spool, checks every changed record against
 * the source's encoding, and at the end encodes the spool once: in the source's encoding, or as
 * UTF-8 with a BOM when a fixed value has a character Windows-1252 lacks (`correctedFileEncoding`).
 */
export class CorrectedCsv {
  private readonly spool: TextFile;
  private encodable = true;
  /** The first row whose fixed values the source's encoding cannot hold. */
  firstUnencodableRow: number | undefined;

  constructor(
    readonly path: string,
    private readonly source: { encoding: TextEncodingName; bom: boolean },
    spoolPath: string,
  ) {
    this.spool = new TextFile(spoolPath);
  }

  /** Text copied from the source: the header, blank lines, the trailing text. */
  async copy(text: string): Promise<void> {
    await this.spool.write(text);
  }

  /** One record: its source text, or its rewritten text when fixes changed it. */
  async record(text: string, changed: boolean, row: number): Promise<void> {
    if (changed && !canEncode(text, this.source.encoding)) {
      this.encodable = false;
      this.firstUnencodableRow ??= row;
    }
    await this.spool.write(text);
  }

  async close(): Promise<CorrectedFileEncoding> {
    await this.spool.close();
    const output = correctedFileEncoding(this.source, this.encodable);
    try {
      const text = (Readable.toWeb(createReadStream(this.spool.path)) as ReadableStream<BufferSource>).pipeThrough(new TextDecoderStream("utf-8"));
      await writeWhole(this.path, text.pipeThrough(encodeTextStream(output)));
    } finally {
      rmSync(this.spool.path, { force: true });
    }
    return output;
  }
}

/**
 * Issues as they are found, spooled to disk as NDJSON so a file of any size is reported without
 * holding its issues; `writeIssuesReport` then streams them into the report.
 */
export class IssueSpool {
  private readonly file: TextFile;

  constructor(readonly path: string) {
    this.file = new TextFile(path);
  }

  async add(issue: ReportIssue): Promise<void> {
    await this.file.write(JSON.stringify(issue) + "\n");
  }

  async close(): Promise<void> {
    await this.file.close();
  }

  async *issues(): AsyncGenerator<ReportIssue> {
    let rest = "";
    for await (const piece of createReadStream(this.path, { encoding: "utf8" })) {
      const lines = (rest + piece).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) if (line) yield JSON.parse(line) as ReportIssue;
    }
    if (rest) yield JSON.parse(rest) as ReportIssue;
  }

  discard(): void {
    rmSync(this.path, { force: true });
  }
}

/**
 * The issues report: a workbook for a workbook source, else CSV in the source's dialect (its
 * delimiter, UTF-8 with a BOM, CRLF), as the API's issues download makes it.
 */
export async function writeIssuesReport(spool: IssueSpool, path: string, kind: "csv" | "xlsx", delimiter: Delimiter | null, locale: Locale): Promise<void> {
  const stream = kind === "xlsx" ? issuesWorkbook(spool.issues(), locale) : issuesCsv(spool.issues(), locale, reportCsvDialect(delimiter ? { delimiter } : null));
  await writeWhole(path, stream);
}

/** A file written in one go from a stream, appearing under its name only once complete. */
export async function writeWhole(path: string, stream: ReadableStream<Uint8Array>): Promise<void> {
  await pipeline(Readable.fromWeb(stream as import("node:stream/web").ReadableStream<Uint8Array>), createWriteStream(`${path}.partial`));
  renameSync(`${path}.partial`, path);
}

/** Lines of text (NDJSON, a JSON array) to a file that appears under its name once complete. */
export class LinesFile {
  private readonly file: TextFile;

  constructor(readonly path: string) {
    this.file = new TextFile(`${path}.partial`);
  }

  write(text: string): Promise<void> {
    return this.file.write(text);
  }

  async close(): Promise<void> {
    await this.file.close();
    renameSync(`${this.path}.partial`, this.path);
  }
}
