/**
 * Server render of the dashboard's job page for a completed job with 1,000,000-row results.
 *
 * The results are real: the pipeline benchmark's generated catalog (a pt-BR Excel export, 224 MB
 * at 1M rows) is uploaded in parts and validated once by a job with fixes through the local
 * Worker (`wrangler dev`, local R2/D1/Queues/DOs), so the stored issue and corrected objects are
 * exactly what the pipeline writes. The account then takes a password through the emailed link
 * (development shows it) and signs in like a browser; the page is requested repeatedly and the
 * Worker's own request log gives the time spent inside the Worker (`duration_ms`: session, job row,
 * top issues, one page of 50 issues read from R2, charts, HTML) — the network is not counted.
 *
 *   npm run bench -- job-page [--rows 1000000]
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { open } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startLocalWorker } from "./local-worker";
import { writeCatalog } from "./pipeline";

const PORT = 8798;
const RUNS = 30;
const PASSWORD = "uma senha bem comprida";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** A cookie jar and same-origin form posts, as a browser signed in to the dashboard. */
class BrowserSession {
  private cookies = new Map<string, string>();
  constructor(private origin: string) {}

  async fetch(pathname: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    headers.set("accept-language", "pt-BR");
    const res = await fetch(this.origin + pathname, { ...init, headers, redirect: "manual" });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair.indexOf("=");
      this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    return res;
  }

  async post(pathname: string, fields: Record<string, string>): Promise<Response> {
    const body = new URLSearchParams({ ...fields, _csrf: this.cookies.get("vt_csrf") ?? "" });
    return this.fetch(pathname, { method: "POST", body, headers: { origin: this.origin, "content-type": "application/x-www-form-urlencoded" } });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function runJobPageBench() {
  const rows = arg("rows", 1_000_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), "vitrine-bench-"));
  const worker = await startLocalWorker(PORT, { RATE_LIMIT_PER_MINUTE: "100000" });
  const origin = `http://127.0.0.1:${PORT}`;
  try {
    console.log(`\n## Job page: server render for a completed job with ${rows.toLocaleString("en")} rows of results`);
    const csv = path.join(dir, "catalog.csv");
    await writeCatalog(csv, rows);
    const bytes = statSync(csv).size;

    const email = `bench-page-${Date.now()}@example.com`;
    const signup = (await (await fetch(`${worker.api}/signup`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, name: "Bench" }) })).json()) as any;
    const key = signup.api_key.key as string;
    const api = async (pathname: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${key}`);
      const res = await fetch(worker.api + pathname, { ...init, headers });
      if (!res.ok) throw new Error(`${pathname} → ${res.status} ${await res.text()}`);
      return (await res.json()) as any;
    };

    const upload = await api("/files/uploads", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "catalogo.csv", size: bytes }) });
    const handle = await open(csv);
    for (let part = 1, offset = 0; offset < bytes; part++, offset += upload.part_size) {
      const buffer = Buffer.alloc(Math.min(upload.part_size, bytes - offset));
      await handle.read(buffer, 0, buffer.length, offset);
      await api(`/files/uploads/${upload.upload_id}/parts/${part}`, { method: "PUT", body: buffer, headers: { "content-type": "application/octet-stream" } });
    }
    await handle.close();
    const file = await api(`/files/uploads/${upload.upload_id}/complete`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    const started = performance.now();
    let job = await api("/jobs", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ source: { file_id: file.id }, rule_pack: "mercadolivre", options: { apply_fixes: true } }) });
    while (!["completed", "failed", "cancelled"].includes(job.status)) {
      await new Promise((r) => setTimeout(r, 500));
      job = await api(`/jobs/${job.id}`);
    }
    if (job.status !== "completed") throw new Error(`job ended ${job.status}: ${JSON.stringify(job.error)}`);
    console.log(
      `job (run once, ${((performance.now() - started) / 1000).toFixed(0)} s): ${job.counts.records.toLocaleString("en")} rows, ` +
        `${job.counts.issues.total.toLocaleString("en")} issues stored in ${job.progress.chunks_total} chunks`,
    );

    // Into the browser: a password through the emailed link (shown in development), then sign in.
    const browser = new BrowserSession(origin);
    await browser.fetch("/password");
    const sent = await (await browser.post("/password", { email })).text();
    const link = /href="(https?:\/\/[^"]+\/password\/new\?token=[^"]+)"/.exec(sent)?.[1];
    if (!link) throw new Error("no development link on the password page");
    const token = new URL(link.replaceAll("&amp;", "&")).searchParams.get("token")!;
    await browser.fetch(`/password/new?token=${token}`);
    await browser.post("/password/new", { token, password: PASSWORD });
    const signedIn = await browser.post("/login", { email, password: PASSWORD });
    if (signedIn.status !== 303) throw new Error(`sign-in answered ${signedIn.status}`);

    const cases: [string, string][] = [
      ["job page, first page of issues", `/app/jobs/${job.id}`],
      ["filtered by a rule", `/app/jobs/${job.id}?rule=ml.title.max_length`],
      ["filtered by SKU prefix", `/app/jobs/${job.id}?sku_prefix=sku-99`],
    ];
    for (const [name, pathname] of cases) {
      const url = new URL(pathname, origin);
      for (let i = 0; i < 3; i++) await (await browser.fetch(pathname)).text(); // warm up
      const before = worker.requestLog().length;
      const wall: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        const res = await browser.fetch(pathname);
        const html = await res.text();
        wall.push(performance.now() - t);
        if (res.status !== 200 || !html.includes("issues-heading")) throw new Error(`${pathname} answered ${res.status}`);
      }
      await new Promise((r) => setTimeout(r, 500)); // the log lines arrive on wrangler's stdout
      const inWorker = worker
        .requestLog()
        .slice(before)
        .filter((l) => l.path === url.pathname && l.method === "GET")
        .map((l) => l.duration_ms);
      console.log(
        `${name}: inside the Worker median ${median(inWorker)} ms (min ${Math.min(...inWorker)}, max ${Math.max(...inWorker)}, ${inWorker.length} renders); ` +
          `at the client median ${median(wall).toFixed(1)} ms`,
      );
    }
    console.log("target: < 50 ms inside the Worker");
  } finally {
    worker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
