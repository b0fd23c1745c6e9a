/**
 * A small Chrome DevTools Protocol client for the Worker isolate that `wrangler dev --inspector-port <p>`
 * exposes: connects to the target listed at `http://127.0.0.1:<p>/json` with Node's global `WebSocket`,
 * sends commands and awaits their answers by id, and samples the isolate's V8 heap while a run goes on.
 *
 *   const inspector = await connectInspector(9312);
 *   await inspector.collectGarbage();
 *   const sampler = inspector.startHeapSampler(200);
 *   ... run jobs ...
 *   const heap = await sampler.stop(); // heap.peakUsed, heap.samples
 *   inspector.close();
 */

export interface HeapUsage {
  /** Bytes of the V8 heap in use (live objects and not yet collected garbage). */
  usedSize: number;
  /** Bytes the V8 heap has reserved. */
  totalSize: number;
}

export interface HeapSample extends HeapUsage {
  /** Milliseconds since the sampler started. */
  at: number;
}

export interface HeapSamples {
  samples: HeapSample[];
  /** The largest `usedSize` seen, in bytes (0 when no sample was taken). */
  peakUsed: number;
  /** The largest `totalSize` seen, in bytes. */
  peakTotal: number;
  /** Samples that failed (the isolate restarted, the connection dropped); the run goes on without them. */
  errors: number;
}

export interface HeapSampler {
  /** The peak used heap so far, in bytes. */
  peakUsed(): number;
  /** Stops sampling after the sample in flight, and returns every sample taken. */
  stop(): Promise<HeapSamples>;
}

export interface Inspector {
  /** Sends one CDP command and resolves with its `result` (rejects with the protocol's error or on timeout). */
  send<T = unknown>(method: string, params?: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  /** `Runtime.getHeapUsage` of the Worker isolate. */
  heapUsage(): Promise<HeapUsage>;
  /**
   * A full GC of the isolate; then `heapUsage()` is the live heap. workerd never answers
   * `HeapProfiler.collectGarbage` (V8 runs it as a platform task workerd does not pump), so this takes a
   * heap snapshot instead, which V8 precedes with full collections; the snapshot's chunks are discarded.
   */
  collectGarbage(): Promise<void>;
  /** Samples `heapUsage()` every `intervalMs` (one request in flight at a time) until `stop()`. */
  startHeapSampler(intervalMs?: number): HeapSampler;
  close(): void;
}

interface Target {
  webSocketDebuggerUrl?: string;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/** Waits (up to `waitMs`) for the inspector at `port` to list a target, and connects to the first one. */
export async function connectInspector(port: number, { host = "127.0.0.1", waitMs = 30_000 } = {}): Promise<Inspector> {
  const deadline = Date.now() + waitMs;
  let url: string | undefined;
  for (;;) {
    try {
      const targets = (await (await fetch(`http://${host}:${port}/json`)).json()) as Target[];
      url = targets.find((t) => t.webSocketDebuggerUrl)?.webSocketDebuggerUrl;
    } catch {}
    if (url) break;
    if (Date.now() > deadline) throw new Error(`no inspector target at http://${host}:${port}/json`);
    await new Promise((r) => setTimeout(r, 250));
  }
  // wrangler's inspector proxy accepts a client that sends a User-Agent (Node's WebSocket does) only with a
  // local Origin; undici's WebSocket takes headers in a second argument the DOM typings do not know.
  const socket = new WebSocket(url, { headers: { origin: "http://localhost" } } as unknown as string[]);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => resolve(), { once: true });
    socket.addEventListener("error", () => reject(new Error(`could not connect to ${url}`)), { once: true });
  });

  let nextId = 1;
  const pending = new Map<number, Pending>();
  const failAll = (error: Error) => {
    for (const p of pending.values()) {
      clearTimeout(p.timer);
      p.reject(error);
    }
    pending.clear();
  };
  socket.addEventListener("message", (event) => {
    let message: { id?: number; result?: unknown; error?: { message: string; code?: number } };
    try {
      message = JSON.parse(String(event.data));
    } catch {
      return;
    }
    // Events (no id) are not subscribed to; answers are matched to their request.
    if (message.id === undefined) return;
    const p = pending.get(message.id);
    if (!p) return;
    pending.delete(message.id);
    clearTimeout(p.timer);
    if (message.error) p.reject(new Error(`inspector: ${message.error.message} (${message.error.code ?? "?"})`));
    else p.resolve(message.result ?? {});
  });
  socket.addEventListener("close", () => failAll(new Error("inspector connection closed")));

  const send = <T>(method: string, params: Record<string, unknown> = {}, timeoutMs = 60_000): Promise<T> => {
    if (socket.readyState !== WebSocket.OPEN) return Promise.reject(new Error("inspector connection closed"));
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`inspector: ${method} did not answer in ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      socket.send(JSON.stringify({ id, method, params }));
    });
  };

  const heapUsage = async (): Promise<HeapUsage> => {
    const { usedSize, totalSize } = await send<HeapUsage>("Runtime.getHeapUsage");
    return { usedSize, totalSize };
  };

  const startHeapSampler = (intervalMs = 200): HeapSampler => {
    const started = performance.now();
    const result: HeapSamples = { samples: [], peakUsed: 0, peakTotal: 0, errors: 0 };
    let running = true;
    const loop = (async () => {
      while (running) {
        const tick = performance.now();
        try {
          const usage = await heapUsage();
          result.samples.push({ at: Math.round(tick - started), ...usage });
          result.peakUsed = Math.max(result.peakUsed, usage.usedSize);
          result.peakTotal = Math.max(result.peakTotal, usage.totalSize);
        } catch {
          result.errors++;
        }
        const wait = intervalMs - (performance.now() - tick);
        if (running && wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    })();
    return {
      peakUsed: () => result.peakUsed,
      stop: async () => {
        running = false;
        await loop;
        return result;
      },
    };
  };

  return {
    send,
    heapUsage,
    collectGarbage: async () => {
      await send("HeapProfiler.takeHeapSnapshot", { reportProgress: false, captureNumericValue: false }, 120_000);
    },
    startHeapSampler,
    close: () => {
      failAll(new Error("inspector connection closed"));
      socket.close();
    },
  };
}

/** Bytes as MB with one decimal, for tables. */
export const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
