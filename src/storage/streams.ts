import { toHex } from "../core/hash";

/** What flowed through an inspecting stream. */
export interface Inspection {
  size: number;
  sha256: string;
  /** The first `headBytes` bytes (fewer when the stream was shorter). */
  head: Uint8Array;
}

export interface InspectOptions {
  /** How many leading bytes to keep for sniffing. */
  headBytes: number;
  /** The exact number of bytes expected; more or fewer errors the stream with `wrongLength(actual)`. */
  length: number;
  wrongLength: (actual: number) => Error;
  /** Called once, as soon as the head is full (or at the end of a shorter stream); throw to abort early. */
  onHead?: (head: Uint8Array) => void;
}

export interface Inspector {
  /** Pipe the bytes through this; they come out unchanged. */
  readonly transform: TransformStream<Uint8Array, Uint8Array>;
  /** Settles when the stream ends: resolves with the totals, rejects with the first error. */
  readonly result: Promise<Inspection>;
  /** The error thrown inside the stream (by `onHead` or a wrong length), if any. */
  readonly failure: () => unknown;
}

/**
 * A pass-through that hashes (workerd's native `DigestStream`), counts and keeps the head of
 * the bytes flowing into R2. The hash is fed inside the same pipe rather than on a `tee()`
 * branch: a tee keeps every chunk the faster branch has read until the slower one reads it
 * too, so with R2 slower than hashing a large upload would pile up in memory. Here the
 * pipe moves at the pace of the slower of the two, and memory stays at a few chunks.
 */
export function inspector(options: InspectOptions): Inspector {
  const digest = new crypto.DigestStream("SHA-256");
  const hasher = digest.getWriter();
  const head = new Uint8Array(options.headBytes);
  let headLength = 0;
  let headSeen = false;
  let size = 0;
  let failure: unknown;
  let settle!: { resolve: (value: Inspection) => void; reject: (reason: unknown) => void };
  const result = new Promise<Inspection>((resolve, reject) => (settle = { resolve, reject }));
  // Callers read `result` only after the write succeeded, and an aborted hash rejects its
  // digest: the failure is reported through the pipe, so neither may go unobserved.
  result.catch(() => undefined);
  digest.digest.catch(() => undefined);

  const fail = (error: unknown) => {
    failure ??= error;
    hasher.abort(error).catch(() => undefined);
    settle.reject(error);
    return error;
  };
  const headDone = () => {
    headSeen = true;
    options.onHead?.(head.subarray(0, headLength));
  };

  const transform = new TransformStream<Uint8Array, Uint8Array>({
    async transform(chunk, controller) {
      try {
        size += chunk.byteLength;
        if (size > options.length) throw options.wrongLength(size);
        if (!headSeen) {
          const take = Math.min(chunk.byteLength, head.length - headLength);
          head.set(chunk.subarray(0, take), headLength);
          headLength += take;
          if (headLength === head.length) headDone();
        }
        await hasher.write(chunk);
      } catch (error) {
        throw fail(error);
      }
      controller.enqueue(chunk);
    },
    async flush() {
      try {
        if (size !== options.length) throw options.wrongLength(size);
        if (!headSeen) headDone();
        await hasher.close();
        const sha256 = toHex(new Uint8Array(await digest.digest));
        settle.resolve({ size, sha256, head: head.slice(0, headLength) });
      } catch (error) {
        throw fail(error);
      }
    },
  });
  return { transform, result, failure: () => failure };
}

/**
 * Hashes a stored object and keeps its head, reading it once. Only the head goes through JS; the
 * rest is piped from R2's body straight into the native `DigestStream`. A JS pass-through (as
 * `inspector` is) turns every chunk into JS objects and promises: reading a whole large object
 * back that way filled the isolate's heap with tens of MB of garbage per completed upload.
 * `onHead` runs before the rest is read; throw from it to stop there. The size is the object's.
 */
export async function inspectStored(object: { size: number; body: ReadableStream<Uint8Array> }, headBytes: number, onHead?: (head: Uint8Array) => void): Promise<Inspection> {
  const digest = new crypto.DigestStream("SHA-256");
  digest.digest.catch(() => undefined);
  const head = new Uint8Array(headBytes);
  let headLength = 0;
  let ended = false;
  const reader = object.body.getReader();
  const hasher = digest.getWriter();
  try {
    while (headLength < head.length) {
      const { done, value } = await reader.read();
      if (done) {
        ended = true;
        break;
      }
      const take = Math.min(value.byteLength, head.length - headLength);
      head.set(value.subarray(0, take), headLength);
      headLength += take;
      await hasher.write(value);
    }
    onHead?.(head.subarray(0, headLength));
  } catch (error) {
    await reader.cancel(error).catch(() => undefined);
    await hasher.abort(error).catch(() => undefined);
    throw error;
  }
  if (ended) {
    await hasher.close();
  } else {
    reader.releaseLock();
    hasher.releaseLock();
    await object.body.pipeTo(digest);
  }
  return { size: object.size, sha256: toHex(new Uint8Array(await digest.digest)), head: head.slice(0, headLength) };
}

/**
 * `source.pipeThrough(a).pipeThrough(b)…` whose internal pipe promises are observed: an error
 * raised inside a transform reaches the final reader (R2) and is reported there, instead of
 * also surfacing as an unhandled rejection.
 */
export function pipeline(source: ReadableStream<Uint8Array>, ...transforms: ReadableWritablePair<Uint8Array, Uint8Array>[]): ReadableStream<Uint8Array> {
  let readable = source;
  for (const transform of transforms) {
    readable.pipeTo(transform.writable).catch(() => undefined);
    readable = transform.readable;
  }
  return readable;
}
