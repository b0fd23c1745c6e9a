/**
 * Lines of text kept as UTF-8 pieces of ~1 MB rather than one string each, for one R2 object: a
 * finalize partition can hold 100,000 duplicates and more, and measured in Node (same V8) 100,000
 * pt-BR issue lines took 52 MB as strings (90 MB with their join) and 19 MB as UTF-8
 * (docs/performance.md, Memory, third round).
 */
export class EncodedLines {
  private static readonly encoder = new TextEncoder();
  private readonly pieces: Uint8Array[] = [];
  private text = "";
  count = 0;

  constructor(private readonly pieceChars = 1 << 20) {}

  add(line: string): void {
    this.text += line + "\n";
    this.count++;
    if (this.text.length >= this.pieceChars) this.flush();
  }

  blob(): Blob {
    this.flush();
    return new Blob(this.pieces);
  }

  private flush(): void {
    if (this.text) this.pieces.push(EncodedLines.encoder.encode(this.text));
    this.text = "";
  }
}
