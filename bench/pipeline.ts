/**
 * The jobs pipeline end to end through the local Worker (`wrangler dev`, local R2/D1/Queues/DOs):
 * a generated 1,000,000-row catalog (semicolons, decimal commas, quoted newlines) is uploaded with
 * multipart as CSV and as XLSX, validated by a job with fixes, its counts read back and its
 * corrected file downloaded in the source's format. Reports total time, rows/s and the peak
 * resident memory of the workerd process, beside bare CSV parsing and parse + validate of the same
 * file measured in this process (Node) on one core.
 *
 *   npm run bench -- pipeline [--rows 1000000] [--format csv|xlsx] [--skip-in-process] [--no-download]
 *                             [--cache DIR] [--var NAME=VALUE ...]
 *
 * `--cache DIR` keeps the generated files there and reuses them (they are deterministic); `--var`
 * overrides a Worker variable (e.g. JOB_CHUNK_ROWS=20000); BENCH_PORT picks the port (default 8811).
 * Each step of the job logs its phases (`job.step`); their sums are printed after the run.
 */
import { execFileSync } from "node:child_process";
import { startLocalWorker } from "./local-worker";
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { open } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { compileMapping, defaultMapping } from "../src/core/mapping";
import { compilePack, parsePack, type PackDefinition } from "../src/core/rules";
import { parseCsv, xlsxStream } from "../src/core/tabular";

const ROOT = path.join(import.meta.dirname, "..");
const PORT = Number(process.env.BENCH_PORT ?? 8811);

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const HEADER = ["sku", "title", "description", "price", "sale_price", "stock", "gtin", "brand", "model", "condition", "images"];

/** Deterministic catalog rows in a pt-BR spreadsheet's shape; ~4% have a multi-line description. */
function* catalogRows(rows: number): Generator<string[]> {
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let i = 1; i <= rows; i++) {
    const price = (10 + rand() * 2000).toFixed(2).replace(".", ",");
    // A tenth of the titles are long, another tenth have doubled spaces (a fix rewrites them).
    const kind = rand();
    const title = kind < 0.1 ? `Smartphone Samsung Galaxy A15 128GB 4GB RAM Tela 6.5 Câmera Tripla Azul Escuro ${i}` : kind < 0.2 ? `Smartphone  Galaxy A15  128GB ${i % 97}` : `Smartphone Galaxy A15 128GB ${i % 97}`;
    const desc = rand() < 0.04 ? `Produto novo; lacrado.\nGarantia de 12 meses "oficial".` : `Produto novo com nota fiscal e garantia ${i}`;
    const gtin = rand() < 0.05 ? "7891234567890" : "7891000315507";
    const images = `https://img.exemplo.com.br/${i}/1.jpg|https://img.exemplo.com.br/${i}/2.jpg`;
    yield [`SKU-${i}`, title, desc, price, "", String(Math.floor(rand() * 500)), gtin, "Samsung", "Galaxy A15", rand() < 0.1 ? "novo" : "new", images];
  }
}

const csvCell = (v: string) => (/[;"\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

export async function writeCatalog(file: string, rows: number) {
  const out = createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once("drain", () => r())));
  await write(HEADER.join(";") + "\r\n");
  for (const row of catalogRows(rows)) await write(row.map(csvCell).join(";") + "\r\n");
  await new Promise<void>((r) => out.end(() => r()));
}

/** The same catalog as a workbook, written by the project's streaming XLSX writer. */
export async function writeWorkbook(file: string, rows: number) {
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(file);
    Readable.fromWeb(xlsxStream([{ name: "Produtos", rows: () => [HEADER, ...catalogRows(rows)], header: true }]) as import("node:stream/web").ReadableStream)
      .pipe(out)
      .on("finish", resolve)
      .on("error", reject);
  });
}

function packs(): Map<string, PackDefinition> {
  const map = new Map<string, PackDefinition>();
  for (const f of readdirSync(path.join(ROOT, "rules")).filter((f) => f.endsWith(".yaml"))) {
    const def = parsePack(readFileSync(path.join(ROOT, "rules", f), "utf8"), { trusted: true });
    map.set(def.id, def);
  }
  return map;
}

/** Bare parse vs parse + map + validate of the same file in this process; CPU time on one core. */
async function inProcess(file: string, packId: string) {
  const stream = () => Readable.toWeb(createReadStream(file, { highWaterMark: 1 << 20 })) as ReadableStream<Uint8Array>;
  const bare = async () => {
    let n = 0;
    for await (const batch of parseCsv(stream(), { delimiter: ";" }).batches()) n += batch.length;
    return n;
  };
  const all = packs();
  const pack = compilePack(all.get(packId)!, (id) => all.get(id));
  const full = async () => {
    const rows = parseCsv(stream(), { delimiter: ";" });
    const header = (await rows.header())!;
    const mapper = compileMapping(defaultMapping(header, undefined, { decimalComma: true })).bind(header);
    const validator = pack.createValidator({});
    let invalid = 0;
    for await (const batch of rows.batches()) for (const row of batch) if (!validator.validate(mapper.map(row.values, row.row).record, row.row).valid) invalid++;
    return invalid;
  };
  const time = async (fn: () => Promise<number>) => {
    const t = process.cpuUsage();
    await fn();
    const u = process.cpuUsage(t);
    return (u.user + u.system) / 1e6;
  };
  await bare();
  const bareS = Math.min(await time(bare), await time(bare));
  const fullS = Math.min(await time(full), await time(full));
  return { bareS, fullS };
}

function workerdRssMb(): number {
  try {
    const out = execFileSync("ps", ["-C", "workerd", "-o", "rss="], { encoding: "utf8" });
    return Math.max(0, ...out.split("\n").filter(Boolean).map((l) => Number(l.trim()) / 1024));
  } catch {
    return 0;
  }
}

function arg_(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const flag = (name: string) => process.argv.includes(`--${name}`);

/** `--var NAME=VALUE`, repeatable: Worker variables for this run. */
function workerVars(): Record<string, string> {
  const vars: Record<string, string> = {};
  process.argv.forEach((a, i) => {
    if (a !== "--var") return;
    const [name, ...value] = process.argv[i + 1].split("=");
    vars[name] = value.join("=");
  });
  return vars;
}

/** Generates `file` unless the cache already has it (written under a temporary name, so a cut-short run leaves none). */
async function cached(file: string, write: (file: string) => Promise<void>) {
  if (existsSync(file)) return;
  await write(`${file}.part`);
  renameSync(`${file}.part`, file);
}

export async function runPipelineBench() {
  const rows = arg("rows", 1_000_000);
  const formats = arg_("format") ? [arg_("format") as "csv" | "xlsx"] : (["csv", "xlsx"] as const);
  const packId = "common";
  const cacheDir = arg_("cache");
  const dir = cacheDir ?? mkdtempSync(path.join(os.tmpdir(), "vitrine-bench-"));
  if (cacheDir) mkdirSync(cacheDir, { recursive: true });
  try {
    const csv = path.join(dir, `catalog-${rows}.csv`);
    console.log(`\n## Jobs pipeline: ${rows.toLocaleString("en")} rows through the local Worker`);
    await cached(csv, (f) => writeCatalog(f, rows));
    console.log(`CSV: ${(statSync(csv).size / 1e6).toFixed(0)} MB`);
    if (!flag("skip-in-process")) {
      const { bareS, fullS } = await inProcess(csv, packId);
      console.log(`in-process, one core: bare parse ${(statSync(csv).size / 1e6 / bareS).toFixed(0)} MB/s (${(rows / bareS / 1000).toFixed(0)}k rows/s); parse+map+validate ${(rows / fullS / 1000).toFixed(0)}k rows/s → ratio ${(bareS / fullS).toFixed(2)}× of bare parsing`);
    }
    for (const format of formats) {
      const file = format === "csv" ? csv : path.join(dir, `catalog-${rows}.xlsx`);
      if (format === "xlsx") {
        await cached(file, (f) => writeWorkbook(f, rows));
        console.log(`XLSX: ${(statSync(file).size / 1e6).toFixed(0)} MB`);
      }
      await runJob(file, format, rows, packId);
    }
  } finally {
    if (!cacheDir) rmSync(dir, { recursive: true, force: true });
  }
}

async function runJob(file: string, format: "csv" | "xlsx", rows: number, packId: string) {
  const bytes = statSync(file).size;
  console.log(`\n### ${format.toUpperCase()} source, apply_fixes`);
  const vars = workerVars();
  if (Object.keys(vars).length) console.log(`Worker variables: ${JSON.stringify(vars)}`);
  const worker = await startLocalWorker(PORT, { RATE_LIMIT_PER_MINUTE: "100000", ...vars });
  const api = (pathname: string, init: RequestInit & { key?: string } = {}) => worker.call(pathname, init);
  const key = worker.key;
  try {
    const uploadStart = performance.now();
    const upload = (await (await api("/files/uploads", { method: "POST", key, headers: { "content-type": "application/json" }, body: JSON.stringify({ name: `catalog.${format}`, size: bytes }) })).json()) as any;
    const handle = await open(file);
    for (let part = 1, offset = 0; offset < bytes; part++, offset += upload.part_size) {
      const length = Math.min(upload.part_size, bytes - offset);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, offset);
      await api(`/files/uploads/${upload.upload_id}/parts/${part}`, { method: "PUT", key, body: buffer, headers: { "content-type": "application/octet-stream" } });
    }
    await handle.close();
    const fileObj = (await (await api(`/files/uploads/${upload.upload_id}/complete`, { method: "POST", key, headers: { "content-type": "application/json" }, body: "{}" })).json()) as any;
    const uploadS = (performance.now() - uploadStart) / 1000;

    let peak = workerdRssMb();
    const baseline = peak;
    const started = performance.now();
    const job = (await (await api("/jobs", { method: "POST", key, headers: { "content-type": "application/json" }, body: JSON.stringify({ source: { file_id: fileObj.id }, rule_pack: packId, options: { apply_fixes: true } }) })).json()) as any;
    let state: any;
    for (;;) {
      state = await (await api(`/jobs/${job.id}`, { key })).json();
      peak = Math.max(peak, workerdRssMb());
      if (["completed", "failed", "cancelled"].includes(state.status)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const jobS = (performance.now() - started) / 1000;
    if (state.status !== "completed") throw new Error(`job ended ${state.status}: ${JSON.stringify(state.error)}`);
    console.log(`upload (multipart, ${Math.ceil(bytes / upload.part_size)} parts): ${uploadS.toFixed(1)} s`);
    console.log(`job: ${state.counts.records.toLocaleString("en")} records (expected ${rows.toLocaleString("en")}), ${state.counts.invalid.toLocaleString("en")} invalid, ${state.counts.corrected.toLocaleString("en")} corrected, ${state.counts.issues.total.toLocaleString("en")} issues, ${state.progress.chunks_total} chunks`);
    const ms = (iso: string) => Date.parse(iso);
    console.log(`phases: queued → planned ${((ms(state.started_at) - ms(state.created_at)) / 1000).toFixed(1)} s, chunks + finalize ${((ms(state.finished_at) - ms(state.started_at)) / 1000).toFixed(1)} s`);
    console.log(`end to end: ${jobS.toFixed(1)} s → ${(rows / jobS / 1000).toFixed(0)}k rows/s`);
    console.log(`workerd resident memory during the job: ${baseline.toFixed(0)} MB idle → ${peak.toFixed(0)} MB peak (whole process: every isolate, local R2/D1/queue simulators included)`);
    printStepTimings(worker.workerLog(), job.id);
    console.log(`load average: ${os.loadavg().map((l) => l.toFixed(2)).join(", ")}`);
    if (flag("no-download")) return;

    // The corrected file, in the source's own format, streamed and counted.
    let downloadPeak = workerdRssMb();
    const downloadStart = performance.now();
    const res = await api(`/jobs/${job.id}/result/corrected`, { key });
    if (!res.ok || !res.body) throw new Error(`corrected download answered ${res.status}`);
    let received = 0;
    const reader = res.body.getReader();
    let sampled = performance.now();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (performance.now() - sampled > 250) {
        downloadPeak = Math.max(downloadPeak, workerdRssMb());
        sampled = performance.now();
      }
    }
    const downloadS = (performance.now() - downloadStart) / 1000;
    console.log(
      `corrected ${format.toUpperCase()} (${res.headers.get("content-type")?.split(";")[0]}): ${(received / 1e6).toFixed(0)} MB in ${downloadS.toFixed(1)} s → ${(rows / downloadS / 1000).toFixed(0)}k rows/s; workerd peak ${downloadPeak.toFixed(0)} MB`,
    );
  } finally {
    worker.stop();
  }
}

type StepLog = { msg: string; step: string; job_id: string; chunk?: number; total_ms: number; phases_ms: Record<string, number> };

/** Sums the phases the job's steps logged (`job.step`): where the Worker's time went. */
function printStepTimings(log: Record<string, unknown>[], jobId: string) {
  const steps = log.filter((l): l is StepLog => l.msg === "job.step" && l.job_id === jobId) as StepLog[];
  for (const kind of ["plan", "chunk", "finalize"]) {
    const of = steps.filter((s) => s.step === kind);
    if (!of.length) continue;
    const sums: Record<string, number> = {};
    for (const s of of) for (const [phase, ms] of Object.entries(s.phases_ms)) sums[phase] = (sums[phase] ?? 0) + ms;
    const total = of.reduce((t, s) => t + s.total_ms, 0);
    const phases = Object.entries(sums).map(([phase, ms]) => `${phase} ${(ms / 1000).toFixed(1)} s`).join(", ");
    console.log(`  ${kind} × ${of.length}: ${(total / 1000).toFixed(1)} s in the Worker (${phases})${kind === "chunk" ? `; per chunk ${(total / of.length).toFixed(0)} ms` : ""}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runPipelineBench();
