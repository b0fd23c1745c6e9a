/**
 * Where one POST /api/v1/validate's in-Worker time goes at concurrency 1 (100 records, as the load
 * bench sends): the Server-Timing steps of every response (app, auth, ratelimit, body, quota; p50 /
 * p95 / mean) without a profiler, then a V8 CPU profile of the Worker isolate (`Profiler.start/stop`
 * through wrangler dev's inspector) over as many more requests: how much of the wall time the
 * isolate's thread was busy, and the functions it was busy in (self and inclusive, per request).
 * The profile is written to /tmp/vitrine-validate.cpuprofile (open it in Chrome's DevTools).
 *
 *   npm run bench -- profile [--requests 300] [--port 8814] [--inspector-port 9314]
 *
 * Read it with the machine in mind: "busy" is wall time the thread was not idle, so on a loaded
 * machine it includes time the OS left the thread waiting for a core, and that time lands on the
 * first function to run after each wake-up (after a body chunk, a D1 answer, a Durable Object reply).
 */
import { writeFileSync } from "node:fs";
import { connectInspector } from "./inspector";
import { argValue, loadAverage, percentiles } from "./load";
import { startLocalWorker } from "./local-worker";
import { generateRecords } from "./records";

const REQUESTS = Number(argValue("requests") ?? 300);
const PORT = Number(argValue("port") ?? 8814);
const INSPECTOR_PORT = Number(argValue("inspector-port") ?? 9314);
/** Microseconds between samples: finer than V8's default 1 ms for requests of a few ms, coarse enough not to dominate them. */
const SAMPLING_US = 250;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function parseTimings(header: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of header.split(",")) {
    const m = /^\s*([\w-]+);dur=([\d.]+)/.exec(part);
    if (m) out.set(m[1], (out.get(m[1]) ?? 0) + Number(m[2]));
  }
  return out;
}

export async function runProfileBench() {
  console.log(`\n## Profile: POST /api/v1/validate with 100 records at concurrency 1, ${REQUESTS} requests per part, through wrangler dev`);
  console.log(`load average before: ${loadAverage()}`);
  const worker = await startLocalWorker(PORT, { RATE_LIMIT_PER_MINUTE: "1000000" }, ["--inspector-port", String(INSPECTOR_PORT)]);
  try {
    const body = JSON.stringify({ rule_pack: "mercadolivre", records: generateRecords(100, 7).records });
    const send = async () => {
      const t = performance.now();
      const res = await fetch(`${worker.api}/validate`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${worker.key}` }, body });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`validate → ${res.status}`);
      return { client: performance.now() - t, timings: parseTimings(res.headers.get("server-timing") ?? "") };
    };
    for (let i = 0; i < 100; i++) await send();

    // 1. Step timings, no profiler attached.
    const steps = new Map<string, number[]>();
    const client: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const r = await send();
      client.push(r.client);
      for (const [k, v] of r.timings) (steps.get(k) ?? steps.set(k, []).get(k)!).push(v);
    }
    console.log(`\nServer-Timing steps over ${REQUESTS} sequential requests (ms): name p50 / p95 / mean`);
    for (const [k, v] of steps) {
      const p = percentiles(v);
      console.log(`  ${k.padEnd(10)} ${p.p50.toFixed(2).padStart(7)} ${p.p95.toFixed(2).padStart(7)} ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(2).padStart(7)}`);
    }
    const cp = percentiles(client);
    console.log(`  client     ${cp.p50.toFixed(2).padStart(7)} ${cp.p95.toFixed(2).padStart(7)}`);

    // 2. CPU profile over the same kind of requests.
    const inspector = await connectInspector(INSPECTOR_PORT);
    await inspector.send("Profiler.enable");
    await inspector.send("Profiler.setSamplingInterval", { interval: SAMPLING_US });
    await inspector.send("Profiler.start");
    const started = performance.now();
    for (let i = 0; i < REQUESTS; i++) await send();
    const wall = performance.now() - started;
    const { profile } = await inspector.send<{ profile: Profile }>("Profiler.stop");
    inspector.close();
    writeFileSync("/tmp/vitrine-validate.cpuprofile", JSON.stringify(profile));

    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const self = new Map<number, number>();
    profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
    let idle = 0;
    let busy = 0;
    const selfByFn = new Map<string, number>();
    const inclusiveByFn = new Map<string, number>();
    for (const [id, ms] of self) {
      const node = byId.get(id)!;
      const name = node.callFrame.functionName || "(anonymous)";
      if (name === "(idle)") {
        idle += ms;
        continue;
      }
      busy += ms;
      const key = `${name} ${node.callFrame.url.split("/").pop()}:${node.callFrame.lineNumber + 1}`;
      selfByFn.set(key, (selfByFn.get(key) ?? 0) + ms);
      const seen = new Set<string>();
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        const f = byId.get(cur)!.callFrame;
        const k = `${f.functionName || "(anonymous)"} ${f.url.split("/").pop()}:${f.lineNumber + 1}`;
        if (seen.has(k)) continue;
        seen.add(k);
        inclusiveByFn.set(k, (inclusiveByFn.get(k) ?? 0) + ms);
      }
    }
    console.log(`\nCPU profile: ${REQUESTS} sequential requests in ${wall.toFixed(0)} ms wall (${(wall / REQUESTS).toFixed(2)} ms/request)`);
    console.log(`  isolate busy ${busy.toFixed(0)} ms (${(busy / REQUESTS).toFixed(2)} ms/request), idle ${idle.toFixed(0)} ms (${(idle / REQUESTS).toFixed(2)} ms/request)`);
    const top = (m: Map<string, number>, n: number) =>
      [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `  ${(v / REQUESTS).toFixed(3).padStart(7)} ms/req  ${k}`).join("\n");
    console.log(`\nTop self time:\n${top(selfByFn, 30)}`);
    console.log(`\nTop inclusive time:\n${top(inclusiveByFn, 60)}`);
    console.log(`\nload average after: ${loadAverage()}`);
  } finally {
    worker.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runProfileBench();
