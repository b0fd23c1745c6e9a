/**
 * Rule engine benchmark: the `mercadolivre` pack (general rules, no category section) against
 * three baselines that implement the same rules — Ajv, zod and a hand-written validator — plus
 * CSV parsing + mapping + validation against papaparse's bare parse of the same text (and our
 * own bare parse, for reference).
 *
 *   npm run bench -- engine                          (200 000 records, 7 measured rounds)
 *   BENCH_RECORDS=50000 BENCH_ROUNDS=3 npm run bench -- engine
 *
 * Before timing anything, every validator runs once over all records and must report the same
 * rule ids for every record as the engine; a mismatch is printed and fails the run.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import Papa from "papaparse";
import { compilePack, parsePack, type PackDefinition, type Validator } from "../src/core/rules";
import { forEachCsvRow, parseCsvText } from "../src/core/tabular/csv";
import { ajvBaseline, handWritten, zodBaseline, type Baseline } from "./baselines";
import { compileRowMapper, generateRecords, toCsv } from "./records";

const RULES_DIR = fileURLToPath(new URL("../rules/", import.meta.url));

function loadPacks(): Map<string, PackDefinition> {
  const defs = new Map<string, PackDefinition>();
  for (const id of ["common", "mercadolivre"]) defs.set(id, parsePack(readFileSync(`${RULES_DIR}${id}.yaml`, "utf8"), { trusted: true }));
  return defs;
}

interface Runner {
  name: string;
  /** A fresh validation run over `records` (fresh unique-SKU state); returns the valid count. */
  run(records: readonly Record<string, unknown>[]): number;
  /** Rule ids reported for each record, for the agreement check. */
  ruleIds(records: readonly Record<string, unknown>[]): string[][];
}

function engineRunner(newValidator: () => Validator): Runner {
  return {
    name: "engine (mercadolivre)",
    run(records) {
      const v = newValidator();
      let valid = 0;
      for (let i = 0; i < records.length; i++) if (v.validate(records[i], i + 1).valid) valid++;
      return valid;
    },
    ruleIds(records) {
      const v = newValidator();
      return records.map((r, i) => v.validate(r, i + 1).issues.map((x) => x.rule).sort());
    },
  };
}

function baselineRunner(b: Baseline): Runner {
  return {
    name: b.name,
    run(records) {
      b.reset();
      let valid = 0;
      for (let i = 0; i < records.length; i++) if (b.validate(records[i], i + 1).valid) valid++;
      return valid;
    },
    ruleIds(records) {
      b.reset();
      return records.map((r, i) => b.validate(r, i + 1).issues.map((x) => x.rule).sort());
    },
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

/** CPU time of this process (all threads, GC helpers included), in ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

/**
 * Times `fn` for WARMUP + ROUNDS rounds, interleaving all entries per round; returns ms per round.
 * CPU time is the default measure because the machines this runs on are shared (other builds and
 * tests steal cores and inflate wall time unevenly); BENCH_CLOCK=wall switches to wall time.
 * A full garbage collection runs before each timing, outside it (as in bench/csv.ts), so that an
 * entry pays for its own garbage and not for what the previous entry left behind.
 */
function timeRounds(entries: { name: string; fn: () => number }[], warmup: number, rounds: number): Map<string, number[]> {
  const clock = process.env.BENCH_CLOCK === "wall" ? () => performance.now() : cpuMs;
  const times = new Map<string, number[]>(entries.map((e) => [e.name, []]));
  let sink = 0;
  for (let round = 0; round < warmup + rounds; round++) {
    for (const e of entries) {
      collectGarbage();
      const t0 = clock();
      sink += e.fn();
      const ms = clock() - t0;
      if (round >= warmup) times.get(e.name)!.push(ms);
    }
  }
  if (sink === -1) console.log(sink);
  return times;
}

export async function runEngineBench(): Promise<void> {
  const N = Number(process.env.BENCH_RECORDS ?? 200_000);
  const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
  const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);

  const defs = loadPacks();
  const pack = compilePack(defs.get("mercadolivre")!, (id) => defs.get(id));
  const ruleCount = pack.rules().length;

  const t0 = performance.now();
  const { records, injected } = generateRecords(N);
  const genMs = performance.now() - t0;

  const engine = engineRunner(() => pack.createValidator({ locale: "pt-BR" }));
  const runners: Runner[] = [engine, baselineRunner(ajvBaseline()), baselineRunner(zodBaseline()), baselineRunner(handWritten())];

  // `node_modules/.bin/tsx` alone runs under the machine's Node; npm puts the project's Node 24 first.
  if (Number(process.versions.node.split(".")[0]) < 22) {
    console.log(`\nwarning: Node ${process.version}. The recorded figures are Node 24's (npm run bench): papaparse runs 1.5× faster there, so the CSV ratio differs (docs/performance.md).`);
  }
  const clockName = process.env.BENCH_CLOCK === "wall" ? "wall time" : "CPU time";
  console.log(`\n## Rule engine benchmark — node ${process.version}, ${N.toLocaleString("en-US")} records, ${ROUNDS} rounds (+${WARMUP} warm-up), medians of ${clockName}`);
  console.log(`pack: mercadolivre ${pack.version} (extends common), no category section: ${ruleCount} rules; messages rendered in pt-BR`);
  console.log(`generated in ${fmt(genMs)} ms; injected errors: ${Object.entries(injected).map(([k, v]) => `${k} ${v}`).join(", ")}`);

  // 1. Agreement: every validator must report the same rule ids as the engine for every record.
  const reference = engine.ruleIds(records);
  const validCount = engine.run(records);
  let disagreements = 0;
  for (const r of runners.slice(1)) {
    const ids = r.ruleIds(records);
    let bad = 0;
    for (let i = 0; i < records.length; i++) {
      if (ids[i].join(",") !== reference[i].join(",")) {
        if (bad < 3) console.log(`  ${r.name} disagrees on record ${i + 1}: engine [${reference[i].join(", ")}] vs [${ids[i].join(", ")}]`);
        bad++;
      }
    }
    disagreements += bad;
    console.log(`agreement ${r.name}: ${bad === 0 ? "identical rule ids on every record" : `${bad} records differ`}`);
  }
  const issueCount = reference.reduce((n, ids) => n + ids.length, 0);
  console.log(`engine verdict: ${fmt(validCount)} valid records (${((validCount / N) * 100).toFixed(1)}%), ${fmt(issueCount)} issues`);

  // 2. Throughput on in-memory records.
  const times = timeRounds(runners.map((r) => ({ name: r.name, fn: () => r.run(records) })), WARMUP, ROUNDS);
  const rps = new Map<string, number>();
  console.log("\n| validator | median ms / round | records/s | ns / record |");
  console.log("|---|---:|---:|---:|");
  for (const r of runners) {
    const ms = median(times.get(r.name)!);
    const perSec = (N / ms) * 1000;
    rps.set(r.name, perSec);
    console.log(`| ${r.name} | ${ms.toFixed(1)} | ${fmt(perSec)} | ${((ms * 1e6) / N).toFixed(0)} |`);
  }
  const e = rps.get(engine.name)!;
  const ratio = (name: string, target: number) => {
    const x = e / rps.get(name)!;
    return `| engine / ${name} | ${x.toFixed(2)}× | ≥ ${target}× | ${x >= target ? "met" : "MISSED"} |`;
  };
  console.log("\n| ratio | value | target | |");
  console.log("|---|---:|---:|---|");
  console.log(ratio("Ajv", 2));
  console.log(ratio("zod", 4));
  console.log(ratio("hand-written", 0.5));

  // 3. CSV: papaparse's bare parse (the baseline) and ours vs parse + map + validate.
  const csv = toCsv(records);
  const mb = Buffer.byteLength(csv) / 1e6;
  const papaVersion = (createRequire(import.meta.url)("papaparse/package.json") as { version: string }).version;
  const papa = `papaparse ${papaVersion}: bare parse`;
  const bare = () => parseCsvText(csv, { delimiter: ";" }).rows.length;
  // Rows are mapped (and validated) as the tokenizer cuts them and then dropped, as a job handles
  // a batch: no parsed row outlives its record. (Until issue 18's second pass every row was parsed
  // first, with parseCsvText, and the rows then mapped one by one.)
  const header = parseCsvText(csv.slice(0, csv.indexOf("\n") + 1), { delimiter: ";" }).header!;
  const parseMap = () => {
    const mapRow = compileRowMapper(header);
    let priced = 0;
    forEachCsvRow(csv, { delimiter: ";" }, (row) => {
      if (mapRow(row.values).price !== undefined) priced++;
    });
    return priced;
  };
  const parseValidate = (applyFixes: boolean) => () => {
    const mapRow = compileRowMapper(header);
    const v = pack.createValidator({ locale: "pt-BR", applyFixes });
    let valid = 0;
    forEachCsvRow(csv, { delimiter: ";" }, (row) => {
      if (v.validate(mapRow(row.values), row.row).valid) valid++;
    });
    return valid;
  };
  const csvTimes = timeRounds(
    [
      { name: papa, fn: () => Papa.parse<string[]>(csv, { delimiter: ";" }).data.length },
      { name: "parse (ours)", fn: bare },
      { name: "parse + map", fn: parseMap },
      { name: "parse + map + validate", fn: parseValidate(false) },
      { name: "parse + map + validate + fixes", fn: parseValidate(true) },
    ],
    WARMUP,
    ROUNDS,
  );
  console.log(`\nCSV: ${fmt(N)} rows, ${mb.toFixed(1)} MB, ';' separator, decimal commas; baseline: papaparse ${papaVersion}'s Papa.parse(text); ours: src/core/tabular parseCsvText`);
  console.log("\n| step | median ms | rows/s | MB/s | vs papaparse's bare parse | vs our bare parse |");
  console.log("|---|---:|---:|---:|---:|---:|");
  const papaMs = median(csvTimes.get(papa)!);
  const bareMs = median(csvTimes.get("parse (ours)")!);
  for (const [name, ts] of csvTimes) {
    const ms = median(ts);
    console.log(`| ${name} | ${ms.toFixed(1)} | ${fmt((N / ms) * 1000)} | ${((mb / ms) * 1000).toFixed(1)} | ${(papaMs / ms).toFixed(2)}× | ${(bareMs / ms).toFixed(2)}× |`);
  }
  const pv = papaMs / median(csvTimes.get("parse + map + validate")!);
  console.log(`\nparse + map + validate / papaparse's bare parse: ${pv.toFixed(2)}× (target ≥ 0.5×: ${pv >= 0.5 ? "met" : "MISSED"})`);

  if (disagreements > 0) {
    console.log(`\n${disagreements} disagreements between the engine and the baselines: the comparison is not like for like.`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await runEngineBench();
