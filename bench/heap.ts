/**
 * The Worker isolate's V8 heap while jobs run, read through the inspector `wrangler dev` exposes:
 * the pipeline benchmark's catalog (10,000, 100,000 and 1,000,000 rows; CSV and XLSX) is uploaded with
 * multipart, validated by a job with fixes, and its corrected file downloaded, while
 * `Runtime.getHeapUsage` is sampled every 200 ms. A full GC (via a heap snapshot) before each job and
 * after each download gives the live heap around the run. One `wrangler dev` serves every run of an
 * invocation, so the live heap after each run also shows whether anything stays behind.
 *
 *   npm run bench -- heap [--rows N] [--format csv|xlsx] [--live] [--chunk-rows N] [--samples out.json] [--prepare]
 *   npm run bench -- heap --keys   (in this process: what kept `unique` keys hold alive)
 *   npm run bench -- heap --upload-only [--rows N] [--format csv|xlsx] [--live]   (the multipart upload alone)
 *
 * `--chunk-rows N` runs the Worker with `JOB_CHUNK_ROWS=N` (default: wrangler.toml's).
 * `--prepare` only writes the catalogs (kept in the temp folder), so that a later run under the machine's
 * benchmark lock does not spend its time generating them.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { connectInspector, mb, type HeapSampler, type HeapSamples, type Inspector } from "./inspector";
import { runKeyRetentionBench } from "./key-retention";
import { startLocalWorker, type LocalWorker } from "./local-worker";
import { writeCatalog, writeWorkbook } from "./pipeline";

const PORT = 8812;
const INSPECTOR_PORT = 9312;
const SAMPLE_MS = 200;
/** The target: a peak that stays well inside Workers' 128 MB isolate. */
const TARGET_BYTES = 64 * 1024 * 1024;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

type Format = "csv" | "xlsx";

interface HeapRun {
  format: Format;
  rows: number;
  bytes: number;
  records: number;
  liveBefore: number;
  upload: HeapSamples;
  job: HeapSamples;
  jobS: number;
  download: HeapSamples;
  downloadBytes: number;
  downloadS: number;
  liveAfter: number;
}

/** Generated catalogs are kept between invocations (the 1M-row XLSX takes a while to write). */
async function catalogFile(format: Format, rows: number): Promise<string> {
  const dir = path.join(os.tmpdir(), "vitrine-heap-catalogs");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `catalog-${rows}.${format}`);
  if (existsSync(file)) return file;
  const partial = `${file}.partial`;
  if (format === "csv") await writeCatalog(partial, rows);
  else await writeWorkbook(partial, rows);
  renameSync(partial, file);
  return file;
}

/**
 * With `--live`, each sample is taken after a full GC (one every second at most): the live heap at the
 * points where the isolate lets the inspector in (between its awaits), not the garbage V8 has not
 * collected yet. Slower, and it perturbs the run; the default samples are the used heap as V8 reports it.
 */
function liveSampler(inspector: Inspector): HeapSampler {
  const started = performance.now();
  const result: HeapSamples = { samples: [], peakUsed: 0, peakTotal: 0, errors: 0 };
  let running = true;
  const loop = (async () => {
    while (running) {
      const tick = performance.now();
      try {
        await inspector.collectGarbage();
        const usage = await inspector.heapUsage();
        result.samples.push({ at: Math.round(tick - started), ...usage });
        result.peakUsed = Math.max(result.peakUsed, usage.usedSize);
        result.peakTotal = Math.max(result.peakTotal, usage.totalSize);
      } catch {
        result.errors++;
      }
      const wait = 1000 - (performance.now() - tick);
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
}

async function sampled<T>(inspector: Inspector, fn: () => Promise<T>): Promise<[T, HeapSamples]> {
  const sampler = process.argv.includes("--live") ? liveSampler(inspector) : inspector.startHeapSampler(SAMPLE_MS);
  try {
    const value = await fn();
    return [value, await sampler.stop()];
  } catch (error) {
    await sampler.stop();
    throw error;
  }
}

async function liveHeap(inspector: Inspector): Promise<number> {
  await inspector.collectGarbage();
  return (await inspector.heapUsage()).usedSize;
}

async function upload(worker: LocalWorker, file: string, format: Format): Promise<string> {
  const bytes = statSync(file).size;
  const json = { "content-type": "application/json" };
  const started = (await (await worker.call("/files/uploads", { method: "POST", headers: json, body: JSON.stringify({ name: `catalog.${format}`, size: bytes }) })).json()) as {
    upload_id: string;
    part_size: number;
  };
  const handle = await open(file);
  try {
    for (let part = 1, offset = 0; offset < bytes; part++, offset += started.part_size) {
      const length = Math.min(started.part_size, bytes - offset);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, offset);
      await worker.call(`/files/uploads/${started.upload_id}/parts/${part}`, { method: "PUT", body: buffer, headers: { "content-type": "application/octet-stream" } });
    }
  } finally {
    await handle.close();
  }
  const done = (await (await worker.call(`/files/uploads/${started.upload_id}/complete`, { method: "POST", headers: json, body: "{}" })).json()) as { id: string };
  return done.id;
}

async function runOne(worker: LocalWorker, inspector: Inspector, format: Format, rows: number): Promise<HeapRun> {
  const file = await catalogFile(format, rows);
  const bytes = statSync(file).size;
  const [fileId, uploadHeap] = await sampled(inspector, () => upload(worker, file, format));
  const liveBefore = await liveHeap(inspector);
  if (process.argv.includes("--upload-only")) {
    const none: HeapSamples = { samples: [], peakUsed: 0, peakTotal: 0, errors: 0 };
    return { format, rows, bytes, records: rows, liveBefore, upload: uploadHeap, job: none, jobS: 0, download: none, downloadBytes: 0, downloadS: 0, liveAfter: liveBefore };
  }

  const jobStart = performance.now();
  const [state, jobHeap] = await sampled(inspector, async () => {
    const body = JSON.stringify({ source: { file_id: fileId }, rule_pack: "common", options: { apply_fixes: true } });
    const job = (await (await worker.call("/jobs", { method: "POST", headers: { "content-type": "application/json" }, body })).json()) as { id: string };
    for (;;) {
      const state = (await (await worker.call(`/jobs/${job.id}`)).json()) as { id: string; status: string; error?: unknown; counts: { records: number } };
      if (["completed", "failed", "cancelled"].includes(state.status)) return state;
      await new Promise((r) => setTimeout(r, 250));
    }
  });
  const jobS = (performance.now() - jobStart) / 1000;
  if (state.status !== "completed") throw new Error(`${format} ${rows}: job ended ${state.status}: ${JSON.stringify(state.error)}`);

  const downloadStart = performance.now();
  const [downloadBytes, downloadHeap] = await sampled(inspector, async () => {
    const res = await worker.call(`/jobs/${state.id}/result/corrected`);
    let received = 0;
    const reader = res.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return received;
      received += value.byteLength;
    }
  });
  const downloadS = (performance.now() - downloadStart) / 1000;
  const liveAfter = await liveHeap(inspector);
  return { format, rows, bytes, records: state.counts.records, liveBefore, upload: uploadHeap, job: jobHeap, jobS, download: downloadHeap, downloadBytes, downloadS, liveAfter };
}

function report(runs: HeapRun[], idle: number) {
  console.log(`\nlive heap of the idle Worker isolate (after a full GC): ${mb(idle)} MB`);
  const peak = process.argv.includes("--live") ? "peak live" : "peak used";
  if (process.argv.includes("--upload-only")) {
    console.log(`\n| format | rows | file | ${peak}: upload | live after GC: after upload | samples |`);
    console.log("|---|---:|---:|---:|---:|---:|");
    for (const r of runs) {
      console.log(`| ${r.format.toUpperCase()} | ${r.rows.toLocaleString("en")} | ${(r.bytes / 1e6).toFixed(1)} MB | ${mb(r.upload.peakUsed)} MB | ${mb(r.liveBefore)} MB | ${r.upload.samples.length}${r.upload.errors ? ` (${r.upload.errors} failed)` : ""} |`);
    }
    console.log(`\nload average: ${execFileSync("uptime", { encoding: "utf8" }).trim()}`);
    return;
  }
  console.log(`\n| format | rows | file | ${peak}: upload | ${peak}: job | ${peak}: download | live after GC: before job → after download | job rows/s | download rows/s | samples (job) |`);
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of runs) {
    const peak = Math.max(r.job.peakUsed, r.download.peakUsed);
    const flag = peak > TARGET_BYTES ? " ⚠ over 64 MB" : "";
    console.log(
      `| ${r.format.toUpperCase()} | ${r.rows.toLocaleString("en")} | ${(r.bytes / 1e6).toFixed(1)} MB | ${mb(r.upload.peakUsed)} MB | ${mb(r.job.peakUsed)} MB${flag} | ${mb(r.download.peakUsed)} MB | ${mb(r.liveBefore)} → ${mb(r.liveAfter)} MB | ${Math.round(r.rows / r.jobS).toLocaleString("en")} | ${Math.round(r.rows / r.downloadS).toLocaleString("en")} | ${r.job.samples.length}${r.job.errors ? ` (${r.job.errors} failed)` : ""} |`,
    );
    if (r.records !== r.rows) console.log(`  ! ${r.format} ${r.rows}: the job counted ${r.records} records`);
  }
  console.log(`\nload average: ${execFileSync("uptime", { encoding: "utf8" }).trim()}`);
}

export async function runHeapBench() {
  if (process.argv.includes("--keys")) return void runKeyRetentionBench();
  const rowsArg = option("rows");
  const sizes = rowsArg ? [Number(rowsArg)] : [10_000, 100_000, 1_000_000];
  const formats: Format[] = option("format") ? [option("format") as Format] : ["csv", "xlsx"];
  const mode = process.argv.includes("--live") ? "live heap: a full GC before each sample, ~1/s" : `used heap sampled every ${SAMPLE_MS} ms`;
  console.log(`\n## V8 heap of the Worker isolate (wrangler dev, inspector on ${INSPECTOR_PORT}; ${mode})`);
  console.log(`load average: ${execFileSync("uptime", { encoding: "utf8" }).trim()}`);
  for (const format of formats) for (const rows of sizes) await catalogFile(format, rows);
  if (process.argv.includes("--prepare")) return;

  const chunkRows = option("chunk-rows");
  if (chunkRows) console.log(`JOB_CHUNK_ROWS=${chunkRows}`);
  const vars = { RATE_LIMIT_PER_MINUTE: "100000", ...(chunkRows ? { JOB_CHUNK_ROWS: chunkRows } : {}) };
  const worker = await startLocalWorker(PORT, vars, ["--inspector-port", String(INSPECTOR_PORT)]);
  let inspector: Inspector | undefined;
  const runs: HeapRun[] = [];
  try {
    inspector = await connectInspector(INSPECTOR_PORT);
    const idle = await liveHeap(inspector);
    for (const format of formats) {
      for (const rows of sizes) {
        const run = await runOne(worker, inspector, format, rows);
        runs.push(run);
        if (process.argv.includes("--upload-only")) console.log(`${format} ${rows.toLocaleString("en")} rows: upload peak ${mb(run.upload.peakUsed)} MB, live after ${mb(run.liveBefore)} MB`);
        else console.log(`${format} ${rows.toLocaleString("en")} rows: job peak ${mb(run.job.peakUsed)} MB, download peak ${mb(run.download.peakUsed)} MB, live ${mb(run.liveBefore)} → ${mb(run.liveAfter)} MB, ${run.jobS.toFixed(1)} s`);
      }
    }
    report(runs, idle);
    const out = option("samples");
    if (out) writeFileSync(out, JSON.stringify({ idle, runs }, null, 1));
  } finally {
    inspector?.close();
    worker.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runHeapBench();
