import { detach } from "./bytes";
import type { Delimiter, TabularRow } from "./types";

const LF = 10;
const CR = 13;
const QUOTE = 34;

/**
 * A record as the tokenizer emits it: a row whose `row` is 0 until `RowShaper` numbers it (and
 * flags it if ragged) in place, so that each record costs one object.
 */
export type RawRecord = TabularRow;

/** Where the tokenizer puts completed records: an array, or a consumer that handles each at once. */
export interface RecordSink {
  push(rec: RawRecord): unknown;
}

export interface TokenizerLimits {
  delimiter: Delimiter;
  maxFieldLength: number;
  maxRecordLength: number;
  maxColumns: number;
  detach: boolean;
  /** Count lines as a spreadsheet program numbers rows, and stamp each record with its row. */
  sheetRows: boolean;
  /** The row number of the first line of the input (1 for a whole file). */
  firstSheetRow: number;
  /** Keep each record's source text. */
  sourceText: boolean;
}

// States of the character machine that walks an oversized record without keeping it.
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const AFTER_QUOTE = 3;

/** Largest array preallocated for a record's values, whatever the previous record held. */
const MAX_WIDTH_HINT = 256;

/**
 * RFC 4180 record splitter over decoded text, fed batch by batch.
 *
 * Rules (shared with the byte-level boundary scanner, so both count the same records):
 * - CR, LF and CRLF end a record; a record with no characters (an empty line) is skipped and
 *   not counted.
 * - A `"` opens a quoted field only as the first character of a field; elsewhere it is literal.
 *   Inside quotes `""` is a quote; text after a closing quote is kept up to the next delimiter.
 * - A record longer than `maxRecordLength` is walked without being kept and reported as
 *   `record_too_large`, so memory stays bounded whatever the input.
 *
 * Results do not depend on how the text is split into batches.
 */
export class CsvTokenizer {
  private carry = "";
  private skipState = -1;
  private readonly delim: string;
  private readonly delimCode: number;
  private readonly track: boolean;
  private readonly keepSource: boolean;
  /** Spreadsheet row of the next line to start. */
  private line: number;
  /** The last character consumed was a CR line end, so an LF right after it ends the same line. */
  private afterCR = false;
  private skipRow = 0;
  /** Scratch for the slow path with `detach`: start and end of each plain value of the record, start -1 for a built value. */
  private readonly spans: number[] = [];
  /** Values in the previous record, to size the next one's array. */
  private width = 0;
  /** Where the next record's source text starts in the batch being parsed. */
  private sourceStart = 0;
  /** Source text already consumed for the next record (blank lines from earlier batches). */
  private pendingSource = "";

  constructor(private readonly limits: TokenizerLimits) {
    this.delim = limits.delimiter;
    this.delimCode = limits.delimiter.charCodeAt(0);
    this.track = limits.sheetRows;
    this.keepSource = limits.sourceText;
    this.line = limits.firstSheetRow;
  }

  /** With `sourceText`, once the input is finished: the text after the last record (blank lines). */
  get trailingText(): string {
    return this.pendingSource;
  }

  /** Appends every record completed by `text` to `out`; with `final`, flushes the last one. */
  feed(text: string, final: boolean, out: RecordSink): void {
    // Concatenating flattens carry + text into a new string, so the carry never pins old batches.
    const s = this.carry.length === 0 ? text : this.carry + text;
    this.carry = "";
    let pos = 0;
    this.sourceStart = 0;
    if (this.skipState >= 0) {
      pos = this.skip(s, 0, final);
      if (this.skipState >= 0) return;
      out.push(this.tooLarge(this.skipRow));
      this.sourceStart = pos;
    }
    pos = this.parse(s, pos, final, out);
    if (this.keepSource) {
      const upTo = Math.min(pos, s.length);
      if (upTo > this.sourceStart) this.pendingSource += s.slice(this.sourceStart, upTo);
    }
    if (pos >= s.length) return;
    if (s.length - pos > this.limits.maxRecordLength) {
      // The oversized record is not kept, nor the blank lines before it.
      this.pendingSource = "";
      this.skipRow = this.line;
      this.skipState = FIELD_START;
      this.skip(s, pos, false);
    } else {
      this.carry = s.slice(pos);
    }
  }

  private tooLarge(sheetRow: number): RawRecord {
    const rec: RawRecord = { row: 0, values: [], problem: { code: "record_too_large", limit: this.limits.maxRecordLength } };
    if (this.track) rec.sheetRow = sheetRow;
    return rec;
  }

  /** A line end with nothing before it (a blank line, or the LF of a CRLF cut by a batch end). */
  private blankLineEnd(c: number): void {
    if (c === LF && this.afterCR) {
      this.afterCR = false;
      return;
    }
    this.line++;
    this.afterCR = c === CR;
  }

  /**
   * Stamps a record that ends at `end` (its line end included; `end` = `s.length` when the input
   * ends without one) and moves the source start past it.
   */
  private finish(rec: RawRecord, s: string, end: number, lineEnd: number): RawRecord {
    if (this.track) {
      rec.sheetRow = this.line;
      if (lineEnd >= 0) {
        this.line++;
        this.afterCR = lineEnd === CR && s.charCodeAt(end - 1) === CR;
      }
    }
    if (this.keepSource) {
      let text = s.slice(this.sourceStart, end);
      if (this.pendingSource.length > 0) {
        text = this.pendingSource + text;
        this.pendingSource = "";
      }
      rec.sourceText = this.limits.detach ? detach(text) : text;
    }
    this.sourceStart = end;
    return rec;
  }

  /** The position after the line end at `eol` (a CRLF is one line end), or `eol + 1` past the input. */
  private static after(s: string, eol: number): number {
    return s.charCodeAt(eol) === CR && s.charCodeAt(eol + 1) === LF ? eol + 2 : eol + 1;
  }

  /** Returns the position of the first character not consumed (an incomplete record). */
  private parse(s: string, pos: number, final: boolean, out: RecordSink): number {
    const len = s.length;
    const d = this.delim;
    const dc = this.delimCode;
    const maxRecord = this.limits.maxRecordLength;
    const keep = this.limits.detach;
    const annotate = this.track || this.keepSource;
    // Next position of each character at or after the cursor; `len` means none in this batch.
    let nLF = -1;
    let nCR = -1;
    let nQ = -1;
    let nD = -1;

    while (pos < len) {
      if (nLF < pos) {
        nLF = s.indexOf("\n", pos);
        if (nLF < 0) nLF = len;
      }
      if (nCR < pos) {
        nCR = s.indexOf("\r", pos);
        if (nCR < 0) nCR = len;
      }
      let eol = nLF < nCR ? nLF : nCR;
      if (eol === pos) {
        if (this.track) this.blankLineEnd(s.charCodeAt(pos));
        pos++;
        continue;
      }
      if (nQ < pos) {
        nQ = s.indexOf('"', pos);
        if (nQ < 0) nQ = len;
      }

      if (nQ >= eol) {
        // Fast path: no quote before the end of the line.
        if (eol === len && !final) return pos;
        const n = eol - pos;
        const next = eol < len ? CsvTokenizer.after(s, eol) : len;
        const lineEnd = eol < len ? s.charCodeAt(eol) : -1;
        if (n > maxRecord) {
          const rec = this.tooLarge(this.line);
          if (this.track && lineEnd >= 0) this.line++;
          this.afterCR = lineEnd === CR && s.charCodeAt(next - 1) === CR;
          this.pendingSource = "";
          this.sourceStart = next;
          out.push(rec);
        } else {
          let rec = s.slice(pos, eol);
          if (keep) rec = detach(rec);
          const raw = this.check(rec.split(d), n);
          out.push(annotate ? this.finish(raw, s, next, lineEnd) : raw);
        }
        pos = next;
        continue;
      }

      // Slow path: the record has a quote somewhere before its first line end. With `detach`,
      // plain values are noted as spans and sliced once the record's end is known, so that they
      // are cut from one copy of the record instead of being copied one by one.
      const start = pos;
      // Sized like the previous record: growing an empty array value by value costs more here.
      const values = new Array<string>(this.width);
      let nv = 0;
      const spans = this.spans;
      let p = pos;
      let end: number;
      let unterminated = false;
      for (;;) {
        let value: string;
        if (p < len && s.charCodeAt(p) === QUOTE) {
          let q = p + 1;
          let escaped = false;
          let close = -1;
          for (;;) {
            const j = s.indexOf('"', q);
            if (j < 0) break;
            if (j + 1 < len) {
              if (s.charCodeAt(j + 1) === QUOTE) {
                escaped = true;
                q = j + 2;
                continue;
              }
              close = j;
            } else if (final) {
              close = j;
            }
            break;
          }
          if (close < 0) {
            if (!final) return start;
            if (escaped) {
              spans[nv * 2] = -1;
              values[nv++] = s.slice(p + 1).replaceAll('""', '"');
            } else {
              spans[nv * 2] = p + 1;
              spans[nv * 2 + 1] = len;
              values[nv++] = keep ? "" : s.slice(p + 1);
            }
            unterminated = true;
            end = len;
            break;
          }
          const from = p + 1;
          const to = close;
          // A built value is a new string rather than a span of the input.
          let built = escaped;
          value = escaped ? s.slice(from, to).replaceAll('""', '"') : keep ? "" : s.slice(from, to);
          p = close + 1;
          if (p < len) {
            const c = s.charCodeAt(p);
            if (c !== dc && c !== LF && c !== CR) {
              // Lenient: `"ab"cd` reads as `abcd`, as spreadsheet programs do.
              if (nD < p) {
                nD = s.indexOf(d, p);
                if (nD < 0) nD = len;
              }
              if (nLF < p) {
                nLF = s.indexOf("\n", p);
                if (nLF < 0) nLF = len;
              }
              if (nCR < p) {
                nCR = s.indexOf("\r", p);
                if (nCR < 0) nCR = len;
              }
              const e = nD < nLF ? (nD < nCR ? nD : nCR) : nLF < nCR ? nLF : nCR;
              if (e === len && !final) return start;
              value = (built || !keep ? value : s.slice(from, to)) + s.slice(p, e);
              built = true;
              p = e;
            }
          }
          spans[nv * 2] = built ? -1 : from;
          spans[nv * 2 + 1] = to;
        } else {
          if (nD < p) {
            nD = s.indexOf(d, p);
            if (nD < 0) nD = len;
          }
          // The line end moves only after a quoted value that held one.
          if (eol < p) {
            if (nLF < p) {
              nLF = s.indexOf("\n", p);
              if (nLF < 0) nLF = len;
            }
            if (nCR < p) {
              nCR = s.indexOf("\r", p);
              if (nCR < 0) nCR = len;
            }
            eol = nLF < nCR ? nLF : nCR;
          }
          const e = nD < eol ? nD : eol;
          if (e === len && !final) return start;
          if (keep) {
            spans[nv * 2] = p;
            spans[nv * 2 + 1] = e;
            value = "";
          } else {
            value = s.slice(p, e);
          }
          p = e;
        }
        values[nv++] = value;
        if (p >= len) {
          end = len;
          break;
        }
        if (s.charCodeAt(p) === dc) {
          p++;
          continue;
        }
        end = p;
        break;
      }

      if (nv !== values.length) values.length = nv;
      this.width = nv < MAX_WIDTH_HINT ? nv : MAX_WIDTH_HINT;
      const n = end - start;
      const next = end < len ? CsvTokenizer.after(s, end) : len;
      const lineEnd = end < len ? s.charCodeAt(end) : -1;
      if (n > maxRecord) {
        const rec = this.tooLarge(this.line);
        if (this.track && lineEnd >= 0) this.line++;
        this.afterCR = lineEnd === CR && s.charCodeAt(next - 1) === CR;
        this.pendingSource = "";
        this.sourceStart = next;
        out.push(rec);
      } else {
        // With `detach`, plain values are cut from one copy of the record; built values (escaped
        // quotes, text after a closing quote) may reference the input, so each is copied.
        if (keep) {
          const copy = detach(s.slice(start, end));
          for (let i = 0; i < values.length; i++) {
            const from = spans[i * 2];
            values[i] = from >= 0 ? copy.slice(from - start, spans[i * 2 + 1] - start) : detach(values[i]);
          }
        }
        const rec = this.check(values, n);
        if (unterminated && rec.problem === undefined) rec.problem = { code: "unterminated_quote" };
        out.push(annotate ? this.finish(rec, s, next, lineEnd) : rec);
      }
      pos = next;
    }
    return pos;
  }

  private check(values: string[], n: number): RawRecord {
    const { maxColumns, maxFieldLength } = this.limits;
    if (values.length > maxColumns) {
      return {
        row: 0,
        values: values.slice(0, maxColumns),
        problem: { code: "too_many_columns", limit: maxColumns, actual: values.length },
      };
    }
    if (n > maxFieldLength) {
      for (let i = 0; i < values.length; i++) {
        if (values[i].length > maxFieldLength) {
          values[i] = "";
          return { row: 0, values, problem: { code: "field_too_large", column: i, limit: maxFieldLength } };
        }
      }
    }
    return { row: 0, values };
  }

  /**
   * Walks an oversized record from `pos` with the same quoting rules as `parse`, keeping only
   * the machine state. Returns the position after its terminator, or `s.length` if it goes on.
   */
  private skip(s: string, pos: number, final: boolean): number {
    const len = s.length;
    const dc = this.delimCode;
    let st = this.skipState;
    let i = pos;
    while (i < len) {
      if (st === QUOTED) {
        const j = s.indexOf('"', i);
        if (j < 0) {
          i = len;
          break;
        }
        st = AFTER_QUOTE;
        i = j + 1;
        continue;
      }
      const c = s.charCodeAt(i++);
      if (c === LF || c === CR) {
        if (st !== QUOTED) {
          this.skipState = -1;
          if (this.track) this.line++;
          this.afterCR = c === CR;
          return i;
        }
      } else if (c === dc) {
        st = FIELD_START;
      } else if (c === QUOTE) {
        if (st === FIELD_START || st === AFTER_QUOTE) st = QUOTED;
      } else if (st !== UNQUOTED) {
        st = UNQUOTED;
      }
    }
    this.skipState = final ? -1 : st;
    return len;
  }
}
