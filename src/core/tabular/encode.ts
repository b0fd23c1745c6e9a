import type { TextEncodingName } from "./types";

/**
 * Characters of Windows-1252 bytes 0x80–0x9F as the WHATWG decoder (TextDecoder) reads them; the
 * five bytes the code page leaves undefined read as the C1 control of the same number, so every
 * byte decodes and encodes back to itself.
 */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];
const CP1252_BYTE = new Map(CP1252_HIGH.map((c, i) => [c, 0x80 + i]));
/** What an unencodable character becomes when text must be encoded anyway. */
const REPLACEMENT = 0x3f; // "?"

function cp1252Byte(c: number): number {
  if (c < 0x80 || (c >= 0xa0 && c <= 0xff)) return c;
  return CP1252_BYTE.get(c) ?? -1;
}

/** Index of the first character of `text` that `encoding` cannot represent, or -1. */
export function unencodableAt(text: string, encoding: TextEncodingName): number {
  if (encoding !== "windows-1252") return -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80 && cp1252Byte(c) < 0) return i;
  }
  return -1;
}

/** Whether `encoding` represents every character of `text` (always true but for Windows-1252). */
export function canEncode(text: string, encoding: TextEncodingName): boolean {
  return unencodableAt(text, encoding) < 0;
}

export interface EncodedText {
  bytes: Uint8Array;
  /** Characters written as "?" because the encoding lacks them (a surrogate pair counts once). */
  unencodable: number;
}

const utf8Encoder = new TextEncoder();

/** Encodes text without a byte order mark. Windows-1252 writes "?" for what it cannot represent. */
export function encodeText(text: string, encoding: TextEncodingName): EncodedText {
  switch (encoding) {
    case "utf-8":
      return { bytes: utf8Encoder.encode(text), unencodable: 0 };
    case "utf-16le":
    case "utf-16be": {
      const out = new Uint8Array(text.length * 2);
      const lo = encoding === "utf-16le" ? 0 : 1;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        out[2 * i + lo] = c & 0xff;
        out[2 * i + 1 - lo] = c >> 8;
      }
      return { bytes: out, unencodable: 0 };
    }
    case "windows-1252": {
      const out = new Uint8Array(text.length);
      let n = 0;
      let unencodable = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        let b = c < 0x80 ? c : cp1252Byte(c);
        if (b < 0) {
          b = REPLACEMENT;
          unencodable++;
          // One "?" for a whole surrogate pair.
          if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
            const d = text.charCodeAt(i + 1);
            if (d >= 0xdc00 && d <= 0xdfff) i++;
          }
        }
        out[n++] = b;
      }
      return { bytes: n === out.length ? out : out.subarray(0, n), unencodable };
    }
  }
}

/** The byte order mark of an encoding (none for Windows-1252). */
export function byteOrderMark(encoding: TextEncodingName): Uint8Array {
  switch (encoding) {
    case "utf-8":
      return new Uint8Array([0xef, 0xbb, 0xbf]);
    case "utf-16le":
      return new Uint8Array([0xff, 0xfe]);
    case "utf-16be":
      return new Uint8Array([0xfe, 0xff]);
    case "windows-1252":
      return new Uint8Array(0);
  }
}

/** How a text file is written. */
export interface OutputEncoding {
  encoding: TextEncodingName;
  /** Start the file with the encoding's byte order mark. */
  bom: boolean;
}

/** The encoding of a corrected file, and whether it had to leave the source's. */
export interface CorrectedFileEncoding extends OutputEncoding {
  /**
   * True when the source was Windows-1252 and a changed value holds a character it lacks: the
   * file is written as UTF-8 with a BOM instead (which Excel also opens), and the job result
   * should say so.
   */
  fellBack: boolean;
}

/**
 * The encoding to write a corrected catalog in: the source's own, with its byte order mark if it
 * had one, unless some changed value cannot be encoded in it (check each with `canEncode`; only
 * Windows-1252 can fail), in which case UTF-8 with a BOM.
 */
export function correctedFileEncoding(source: OutputEncoding, changesEncodable: boolean): CorrectedFileEncoding {
  if (source.encoding === "windows-1252" && !changesEncodable) return { encoding: "utf-8", bom: true, fellBack: true };
  return { encoding: source.encoding, bom: source.bom && source.encoding !== "windows-1252", fellBack: false };
}

/**
 * Encodes a stream of text pieces, the byte order mark first when asked. Windows-1252 writes "?"
 * for what it cannot represent; `onUnencodable` hears how many (check values beforehand with
 * `canEncode` where that matters). A surrogate pair split across pieces is kept whole.
 */
export function encodeTextStream(
  output: OutputEncoding,
  onUnencodable?: (count: number) => void,
): TransformStream<string, Uint8Array> {
  let started = false;
  let pendingHigh = "";
  return new TransformStream<string, Uint8Array>({
    transform(piece, ctrl) {
      if (!started) {
        started = true;
        if (output.bom) ctrl.enqueue(byteOrderMark(output.encoding));
      }
      let text = pendingHigh + piece;
      pendingHigh = "";
      const last = text.charCodeAt(text.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        pendingHigh = text.slice(-1);
        text = text.slice(0, -1);
      }
      if (text.length === 0) return;
      const { bytes, unencodable } = encodeText(text, output.encoding);
      if (unencodable > 0) onUnencodable?.(unencodable);
      ctrl.enqueue(bytes);
    },
    flush(ctrl) {
      if (!started && output.bom) ctrl.enqueue(byteOrderMark(output.encoding));
      if (pendingHigh.length > 0) {
        const { bytes, unencodable } = encodeText(pendingHigh, output.encoding);
        if (unencodable > 0) onUnencodable?.(unencodable);
        ctrl.enqueue(bytes);
      }
    },
  });
}

/**
 * Bytes of a text file re-encoded for another output, byte order mark included (stripped from
 * the input when it starts with one, added when `to.bom`). Meant for small pieces such as a
 * header record copied from the source when the corrected file falls back to UTF-8.
 */
export function reencode(bytes: Uint8Array, from: TextEncodingName, to: OutputEncoding, atFileStart: boolean): Uint8Array {
  const text = new TextDecoder(from, { fatal: false, ignoreBOM: !atFileStart }).decode(bytes);
  const body = encodeText(text, to.encoding).bytes;
  if (!(atFileStart && to.bom)) return body;
  const mark = byteOrderMark(to.encoding);
  const out = new Uint8Array(mark.length + body.length);
  out.set(mark);
  out.set(body, mark.length);
  return out;
}
