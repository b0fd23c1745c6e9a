/** Where a file's bytes come from. `{ path }` reads a local file (Node, Deno, Bun). */
export type UploadSource = Blob | ArrayBuffer | Uint8Array | ReadableStream<Uint8Array> | { path: string };

/** A source whose size is known: read any byte range. */
export interface SizedSource {
  kind: "sized";
  name: string | undefined;
  size: number;
  read(start: number, end: number): Promise<Uint8Array<ArrayBuffer>>;
  close(): Promise<void>;
}

/** A stream of unknown length: read in order, once. */
export interface StreamSource {
  kind: "stream";
  name: undefined;
  stream: ReadableStream<Uint8Array>;
}

// The few node:fs/promises members used, so the SDK needs neither @types/node nor Node.
interface NodeFileHandle {
  stat(): Promise<{ size: number }>;
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  close(): Promise<void>;
}
interface NodeFsPromises {
  open(path: string, flags: string): Promise<NodeFileHandle>;
}

function fromBytes(bytes: Uint8Array, name: string | undefined): SizedSource {
  return {
    kind: "sized",
    name,
    size: bytes.byteLength,
    read: async (start, end) => bytes.slice(start, end) as Uint8Array<ArrayBuffer>,
    close: async () => {},
  };
}

async function fromPath(path: string): Promise<SizedSource> {
  // A computed specifier: bundlers for browsers and Workers leave it alone, and it is only
  // loaded when a path is actually given.
  const specifier = "node:fs/promises";
  const fs = (await import(/* @vite-ignore */ specifier)) as NodeFsPromises;
  const handle = await fs.open(path, "r");
  const { size } = await handle.stat();
  return {
    kind: "sized",
    name: path.split(/[\\/]/).pop(),
    size,
    async read(start, end) {
      const buffer = new Uint8Array(end - start);
      let filled = 0;
      while (filled < buffer.length) {
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, start + filled);
        if (bytesRead === 0) throw new Error(`${path} became shorter while it was being uploaded`);
        filled += bytesRead;
      }
      return buffer;
    },
    close: () => handle.close(),
  };
}

export async function openSource(source: UploadSource): Promise<SizedSource | StreamSource> {
  if (source instanceof ReadableStream) return { kind: "stream", name: undefined, stream: source };
  if (source instanceof Uint8Array) return fromBytes(source, undefined);
  if (source instanceof ArrayBuffer) return fromBytes(new Uint8Array(source), undefined);
  if (source instanceof Blob) {
    const name = "name" in source && typeof source.name === "string" ? source.name : undefined;
    return {
      kind: "sized",
      name,
      size: source.size,
      read: async (start, end) => new Uint8Array(await source.slice(start, end).arrayBuffer()),
      close: async () => {},
    };
  }
  if (typeof source === "object" && source !== null && typeof source.path === "string") return fromPath(source.path);
  throw new TypeError("uploadFile takes a Blob, an ArrayBuffer, a Uint8Array, a ReadableStream or { path }");
}

/** The source in pieces of exactly `partSize` bytes (the last may be shorter), read in order. */
export async function* partsOf(source: SizedSource | StreamSource, partSize: number): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  if (source.kind === "sized") {
    for (let start = 0; start < source.size; start += partSize) yield await source.read(start, Math.min(source.size, start + partSize));
    return;
  }
  const reader = source.stream.getReader();
  let part = new Uint8Array(partSize);
  let filled = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let offset = 0;
      while (offset < value.length) {
        const take = Math.min(partSize - filled, value.length - offset);
        part.set(value.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled === partSize) {
          yield part;
          part = new Uint8Array(partSize);
          filled = 0;
        }
      }
    }
    if (filled > 0) yield part.slice(0, filled);
  } finally {
    reader.releaseLock();
  }
}
