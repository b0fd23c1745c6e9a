/**
 * Lines of text kept as UTF-8 pieces of ~1 MB rather than one string each, for one R2 object: a
 * chunk's issues and corrections, a finalize partition's 100,000 duplicates and more. Measured in
 * Node (same V8), 100,000 pt-BR issue lines took 52 MB as strings (90 MB with their join) and 19 MB
 * as UTF-8 (docs/performance.md, Memory, third round).
 */
export class EncodedLines {
  private static readonly encoder = new TextEncoder();
  private readonly pieces: Uint8Array[] = [];
  private text = "";
  count = 0;

  constructor(private readonly pieceChars = 1 << 20) {}

  /** One line; its newline is added here. */
  add(line: string): void {
    this.append(line + "\n");
    this.count++;
  }

  /** Text as it is (a CSV record with its own line ending, say); not counted as a line. */
  append(text: string): void {
    this.text += text;
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
