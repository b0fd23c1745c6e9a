import { TabularError } from "./errors";

/**
 * Receives the tags of a streamed XML document. Names are local (prefix stripped). Attributes
 * are read on demand with `xmlAttr(src, start, end, name)` over the tag's span in `src`.
 */
export interface XmlHandler {
  /** While true, character data is passed to `text` (raw, entities not decoded). */
  wantText: boolean;
  /**
   * A start tag. The handler may read on past the tag in `src` itself and return the position after
   * what it read, having made exactly the calls the scanner would have made for it; returning
   * nothing lets the scanner go on after the tag.
   */
  open(name: string, src: string, start: number, end: number, selfClosing: boolean): number | void;
  close(name: string): void;
  /** `cdata` pieces are literal: do not decode entities in them. */
  text(raw: string, cdata: boolean): void;
}

const GT = 62;
const SLASH = 47;
const BANG = 33;
const QMARK = 63;
const DQ = 34;
const SQ = 39;

/**
 * A small streaming XML tokenizer for the spreadsheet subset of XML: elements, attributes,
 * text, CDATA, comments and processing instructions. DOCTYPE is refused (OOXML never has one,
 * and refusing it rules out entity-expansion tricks). Memory: one unfinished tag or comment,
 * at most `maxTagLength` characters.
 */
export class XmlScanner {
  private carry = "";

  constructor(
    private readonly h: XmlHandler,
    private readonly maxTagLength = 1024 * 1024,
  ) {}

  feed(chunk: string, final: boolean): void {
    // Joined, not `+`: a concatenation is a rope, and every character read from one is slower.
    const s = this.carry.length === 0 ? chunk : [this.carry, chunk].join("");
    this.carry = "";
    const h = this.h;
    const len = s.length;
    let pos = 0;
    while (pos < len) {
      const lt = s.indexOf("<", pos);
      if (lt < 0) {
        if (h.wantText) h.text(s.slice(pos), false);
        pos = len;
        break;
      }
      if (lt > pos && h.wantText) h.text(s.slice(pos, lt), false);
      const end = this.tag(s, lt);
      if (end < 0) {
        pos = lt;
        break;
      }
      pos = end;
    }
    if (pos < len) {
      if (final) throw malformed("document ends inside a tag");
      if (len - pos > this.maxTagLength) throw malformed("a tag or comment is too long");
      this.carry = s.slice(pos);
    }
  }

  /** Handles the markup at `lt`; returns the position after it, or -1 if it is incomplete. */
  private tag(s: string, lt: number): number {
    const len = s.length;
    if (lt + 1 >= len) return -1;
    const c1 = s.charCodeAt(lt + 1);
    if (c1 === BANG) {
      if (s.startsWith("<!--", lt)) {
        const e = s.indexOf("-->", lt + 4);
        return e < 0 ? -1 : e + 3;
      }
      if (s.startsWith("<![CDATA[", lt)) {
        const e = s.indexOf("]]>", lt + 9);
        if (e < 0) return -1;
        if (this.h.wantText) this.h.text(s.slice(lt + 9, e), true);
        return e + 3;
      }
      if (lt + 9 > len) return -1;
      throw malformed("DOCTYPE and other declarations are not allowed");
    }
    if (c1 === QMARK) {
      const e = s.indexOf("?>", lt + 2);
      return e < 0 ? -1 : e + 2;
    }
    if (c1 === SLASH) {
      // A closing tag has no attributes, so its end is the next '>'.
      const gt = s.indexOf(">", lt + 2);
      if (gt < 0) return -1;
      this.h.close(localName(s, lt + 2, gt));
      return gt + 1;
    }
    let ne = lt + 1;
    while (ne < len) {
      const c = s.charCodeAt(ne);
      if (c <= 32 || c === SLASH || c === GT) break;
      ne++;
    }
    // The tag ends at the first '>' outside quoted attribute values.
    let gt = ne;
    for (;;) {
      if (gt >= len) return -1;
      const c = s.charCodeAt(gt);
      if (c === GT) break;
      if (c === DQ || c === SQ) {
        const q = s.indexOf(c === DQ ? '"' : "'", gt + 1);
        if (q < 0) return -1;
        gt = q + 1;
      } else gt++;
    }
    const selfClosing = s.charCodeAt(gt - 1) === SLASH;
    const next = this.h.open(localName(s, lt + 1, ne), s, ne, selfClosing ? gt - 1 : gt, selfClosing);
    return typeof next === "number" ? next : gt + 1;
  }
}

/** Single-character strings by code: the tag names of cells and values come back without allocating. */
const ONE_CHAR = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));

function localName(s: string, start: number, end: number): string {
  while (end > start && s.charCodeAt(end - 1) <= 32) end--;
  for (let i = end - 1; i >= start; i--) {
    if (s.charCodeAt(i) === 58 /* : */) {
      start = i + 1;
      break;
    }
  }
  const n = end - start;
  if (n === 1) {
    const c = s.charCodeAt(start);
    if (c < 128) return ONE_CHAR[c];
  } else if (n === 2 && s.charCodeAt(start) === 105 /* i */ && s.charCodeAt(start + 1) === 115 /* s */) {
    return "is";
  }
  return s.slice(start, end);
}

/** The value of attribute `name` (qualified, e.g. "r:id", or local) in a tag's span. */
export function xmlAttr(s: string, start: number, end: number, name: string): string | undefined {
  let i = start;
  while (i < end) {
    while (i < end && s.charCodeAt(i) <= 32) i++;
    const ns = i;
    while (i < end) {
      const c = s.charCodeAt(i);
      if (c === 61 /* = */ || c <= 32) break;
      i++;
    }
    const ne = i;
    while (i < end && s.charCodeAt(i) <= 32) i++;
    if (i >= end || s.charCodeAt(i) !== 61) return undefined;
    i++;
    while (i < end && s.charCodeAt(i) <= 32) i++;
    const q = s.charCodeAt(i);
    if (q !== DQ && q !== SQ) return undefined;
    const vs = i + 1;
    const ve = s.indexOf(q === DQ ? '"' : "'", vs);
    if (ve < 0 || ve > end) return undefined;
    i = ve + 1;
    const n = ne - ns;
    if (
      (n === name.length && s.startsWith(name, ns)) ||
      (n > name.length && s.charCodeAt(ne - name.length - 1) === 58 && s.startsWith(name, ne - name.length) && !name.includes(":"))
    ) {
      return decodeXmlText(s.slice(vs, ve));
    }
  }
  return undefined;
}

const ENTITY = /&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Decodes the predefined and numeric character references. */
export function decodeXmlText(raw: string): string {
  if (raw.indexOf("&") < 0) return raw;
  return raw.replace(ENTITY, (_m, hex: string | undefined, dec: string | undefined, named: string | undefined) => {
    if (named !== undefined) return NAMED[named];
    const cp = hex !== undefined ? parseInt(hex, 16) : parseInt(dec as string, 10);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : "\uFFFD";
  });
}

const OOXML_ESCAPE = /_x([0-9A-Fa-f]{4})_/g;

/** Decodes OOXML's `_xHHHH_` escapes (used for control characters in cell text). */
export function decodeOoxmlEscapes(s: string): string {
  if (s.indexOf("_x") < 0) return s;
  return s.replace(OOXML_ESCAPE, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function malformed(detail: string): TabularError {
  return new TabularError("malformed_xml", `The workbook XML is malformed: ${detail}.`);
}

