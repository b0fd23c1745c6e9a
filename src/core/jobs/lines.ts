import type { ChunkSpec } from "./types";

const LF = 10;

/**
 * Cuts NDJSON into ranges of whole lines, `rowsPerChunk` non-empty lines each, in one
 * streaming pass. JSON strings cannot hold a raw newline, so every LF ends a record.
 */
export async function scanLineBoundaries(
  source: AsyncIterable<Uint8Array>,
  rowsPerChunk: number,
): Promise<{ chunks: ChunkSpec[]; totalRows: number; totalBytes: number }> {
  const chunks: ChunkSpec[] = [];
  let offset = 0;
  let chunkStart = 0;
  let chunkRows = 0;
  let totalRows = 0;
  let lineHasContent = false;
  const cut = (end: number) => {
    if (chunkRows === 0) return;
    chunks.push({ index: chunks.length, start: chunkStart, end, firstRow: totalRows - chunkRows + 1, rows: chunkRows });
    chunkStart = end;
    chunkRows = 0;
  };
  for await (const bytes of source) {
    let from = 0;
    while (from < bytes.length) {
      const lf = bytes.indexOf(LF, from);
      const stop = lf === -1 ? bytes.length : lf;
      for (let i = from; i < stop && !lineHasContent; i++) {
        const b = bytes[i];
        if (b !== 32 && b !== 9 && b !== 13) lineHasContent = true;
      }
      if (lf === -1) break;
      if (lineHasContent) {
        chunkRows++;
        totalRows++;
        lineHasContent = false;
      }
      if (chunkRows >= rowsPerChunk) cut(offset + lf + 1);
      from = lf + 1;
    }
    offset += bytes.length;
  }
  if (lineHasContent) {
    chunkRows++;
    totalRows++;
  }
  cut(offset);
  return { chunks, totalRows, totalBytes: offset };
}
