/**
 * CPU cost of each rule of the `mercadolivre` pack (general rules), for finding the slow checks.
 *
 *   PATH=$PWD/node_modules/.bin:$PATH tsx bench/rule-costs.ts     (about a minute)
 *
 * Each rule is timed alone (every other rule disabled by an override) over the benchmark records;
 * the number is CPU ns per record minus the cost of running no rule at all. Timing one rule alone
 * also pays for touching the record (~100–150 ns on the reference machine), which the rules share
 * when they all run, so the column adds up to more than the full pack.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compilePack, parsePack, type CompiledPack, type PackDefinition } from "../src/core/rules";
import { generateRecords } from "./records";

const RULES_DIR = fileURLToPath(new URL("../rules/", import.meta.url));
const N = Number(process.env.BENCH_RECORDS ?? 50_000);
const ROUNDS = 7;

const defs = new Map<string, PackDefinition>();
for (const id of ["common", "mercadolivre"]) defs.set(id, parsePack(readFileSync(`${RULES_DIR}${id}.yaml`, "utf8"), { trusted: true }));
const full = compilePack(defs.get("mercadolivre")!, (id) => defs.get(id));
const rules = full.rules();
const { records } = generateRecords(N);

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Median CPU ms of one pass over the records. */
function time(pack: CompiledPack): number {
  const xs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const v = pack.createValidator({ locale: "pt-BR" });
    const t0 = cpuMs();
    for (let i = 0; i < records.length; i++) v.validate(records[i], i + 1);
    xs.push(cpuMs() - t0);
  }
  xs.sort((a, b) => a - b);
  return xs[ROUNDS >> 1];
}

/** The pack with only `keep` enabled. */
function only(keep: readonly string[]): CompiledPack {
  const off = rules.map((r) => r.id).filter((id) => !keep.includes(id));
  const overrides = off.length ? "\n" + off.map((id) => `  - { id: ${id}, disabled: true }`).join("\n") : " []";
  const def = parsePack(`id: rule-costs\nname: rule costs\nversion: 1.0.0\nextends: mercadolivre\noverrides:${overrides}\n`);
  return compilePack(def, (id) => defs.get(id));
}

const ns = (ms: number) => (ms / N) * 1e6;
time(only(rules.map((r) => r.id))); // warm-up
const all = time(only(rules.map((r) => r.id)));
const none = time(only([]));
const rows = rules.map((r) => ({ rule: r, ns: ns(time(only([r.id])) - none) })).sort((a, b) => b.ns - a.ns);

console.log(`\n## Rule costs — node ${process.version}, ${N.toLocaleString("en-US")} records, median CPU time of ${ROUNDS} rounds`);
console.log(`all ${rules.length} rules: ${ns(all).toFixed(0)} ns/record; no rule: ${ns(none).toFixed(0)} ns/record\n`);
console.log("| rule | check | ns / record, alone | share of the sum |");
console.log("|---|---|---:|---:|");
const sum = rows.reduce((s, r) => s + r.ns, 0);
for (const r of rows) console.log(`| ${r.rule.id} | ${r.rule.check} | ${r.ns.toFixed(0)} | ${((r.ns / sum) * 100).toFixed(1)}% |`);
