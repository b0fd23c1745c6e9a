import type { TextEncodingName } from "../../core/tabular";
import { EncodedLines } from "../../storage/encoded-lines";

/**
 * A CSV job's corrections, stored per chunk as edits of the source instead of a copy of it: one
 * line `[start, end, text]` per changed record — the record's byte range in the uploaded file and
 * its corrected text. The download copies the source's bytes between edits. A chunk whose ranges
 * cannot be known exactly (UTF-16, a record too long to keep its text, invalid UTF-8) stores its
 * whole corrected text as before; the object's `layout` metadata tells which.
 */
export const CSV_EDITS_LAYOUT = "csv-edits";

export type CsvEdit = [start: number, end: number, text: string];

const NON_ASCII = /[^\x00-\x7f]/;

/** Bytes of `text` in UTF-8 (what the decoder produced from valid UTF-8 is re-encoded to the same length). */
export function utf8Length(text: string): number {
  if (!NON_ASCII.test(text)) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Follows a chunk's records through the source bytes, noting an edit for each record whose text changed. */
export class CsvEditRecorder {
  readonly edits = new EncodedLines();
  private offset: number;
  private known: boolean;

  constructor(
    private readonly encoding: TextEncodingName,
    start: number,
  ) {
    this.offset = start;
    this.known = encoding === "utf-8" || encoding === "windows-1252";
  }

  /** One record (or the trailing text): its source text, and the text the corrected file has instead. */
  record(source: string | undefined, written: string): void {
    if (!this.known) return;
    if (source === undefined) {
      this.known = false;
      return;
    }
    const length = this.encoding === "utf-8" ? utf8Length(source) : source.length;
    if (written !== source) this.edits.add(JSON.stringify([this.offset, this.offset + length, written]));
    this.offset += length;
  }

  /**
   * Whether every record's range is known and they end exactly at the chunk's end. Invalid UTF-8
   * decodes to U+FFFD, which is never shorter than the bytes it replaces, so any such record makes
   * the sum overshoot and the chunk keeps its whole text.
   */
  exact(end: number): boolean {
    return this.known && this.offset === end;
  }
}
