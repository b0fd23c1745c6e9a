/**
 * Patterns that accounts write run on the linear-time matcher (src/core/regex); built-in packs keep
 * the native engine. This measures what that costs and what it buys, against the native engine
 * (and re2js, the RE2 port considered instead) measured in the same run:
 *
 * 1. typical product-data patterns on typical values (ns per call, ratio to native);
 * 2. the catastrophic corpus (test/fixtures/catastrophic-patterns.ts) on 10,000-character
 *    adversarial values, or on the longest value the pattern looks at when that is shorter: the
 *    per-value cost the step budget guarantees, and native on short inputs for contrast;
 * 3. replace-all on shapes where searching again after each match is quadratic;
 * 4. the attack of issue #10 through the Worker under `wrangler dev`: each saved corpus pattern in a
 *    custom pack (as a pattern check, a matches condition and a replace fix), one 10,000-character
 *    record sent to /validate while GET /health is called alongside.
 *
 *   npm run bench -- regex
 *   npm run bench -- regex
 */
import { fileURLToPath } from "node:url";
import { RE2JS } from "re2js";
import { compilePattern, linearSteps, type Pattern } from "../src/core/regex";
import { type LocalWorker, startLocalWorker } from "./local-worker";
import { checkRegex } from "../src/core/rules/safe-regex";
import { CATASTROPHIC_PATTERNS } from "../test/fixtures/catastrophic-patterns";

/** Median ms per call of `fn`, over `rounds` rounds of `calls` calls after one warm-up round. */
function msPerCall(fn: () => unknown, calls: number, rounds = 5): number {
  const times: number[] = [];
  for (let r = 0; r <= rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) fn();
    if (r > 0) times.push((performance.now() - t0) / calls);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

/** Calls so that one round lasts about 20 ms. */
function callsFor(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  const once = Math.max(performance.now() - t0, 0.0005);
  return Math.max(1, Math.min(200_000, Math.round(20 / once)));
}

function measure(fn: () => unknown, rounds = 5): number {
  for (let i = 0; i < 3; i++) fn();
  return msPerCall(fn, callsFor(fn), rounds);
}

/** The same pattern on re2js (its own JS-syntax translation), or undefined when RE2 cannot run it. */
function re2js(source: string, flags: string): { test(s: string): boolean; replaceAll(s: string, r: string): string } | undefined {
  try {
    const re = RE2JS.compile(RE2JS.translateRegExp(source), flags.includes("i") ? RE2JS.CASE_INSENSITIVE : 0);
    return { test: (s) => re.test(s), replaceAll: (s, r) => re.matcher(s).replaceAll(r) };
  } catch {
    return undefined;
  }
}

const ns = (ms: number) => `${Math.round(ms * 1e6).toLocaleString("en-US")}`;
const msText = (ms: number) => (ms < 0.01 ? ms.toFixed(4) : ms.toFixed(2));

const TITLE = "Smartphone Samsung Galaxy A15 128GB 4GB RAM Azul Escuro Tela 6.5 Polegadas";
const DESCRIPTION = "Celular novo, lacrado, com nota fiscal e garantia de 12 meses. Envio imediato para todo o Brasil. ".repeat(20);

const TYPICAL: { name: string; pattern: string; flags: string; input: string; replace?: string }[] = [
  { name: "GTIN digits", pattern: "^[0-9]{8}(?:[0-9]{4,6})?$", flags: "", input: "7891234567895" },
  { name: "SKU", pattern: "^[A-Z0-9][A-Z0-9._-]{2,39}$", flags: "", input: "SAM-A15-128-AZ" },
  { name: "title has lowercase", pattern: "\\p{Ll}", flags: "u", input: TITLE },
  { name: "title without HTML", pattern: "^[^<>]{1,60}$", flags: "", input: TITLE.slice(0, 60) },
  { name: "title promo words", pattern: "\\b(?:frete gr[aá]tis|promo[cç][aã]o|oferta)\\b", flags: "i", input: TITLE },
  { name: "description contact (2 KB)", pattern: "whatsapp|telefone|\\(?\\d{2}\\)?\\s?9\\d{4}-?\\d{4}", flags: "i", input: DESCRIPTION },
  { name: "description no contact, lookahead", pattern: "^(?![\\s\\S]*(?:whatsapp|telefone))", flags: "i", input: DESCRIPTION },
  { name: "replace runs of spaces", pattern: "\\s{2,}", flags: "", input: "Smartphone  Samsung   Galaxy A15  128GB", replace: " " },
  { name: "replace decimal comma", pattern: "(\\d+),(\\d{2})", flags: "", input: "R$ 1299,90 ou 12x de 108,33", replace: "$1.$2" },
];

function runTypical(): void {
  console.log("\n### Typical patterns (ns per call, medians)\n");
  console.log("| pattern | value | native | linear | linear / native | re2js |");
  console.log("|---|---:|---:|---:|---:|---:|");
  for (const c of TYPICAL) {
    const native = compilePattern(c.pattern, c.flags, { trusted: true });
    const linear = compilePattern(c.pattern, c.flags, { trusted: false });
    const other = re2js(c.pattern, c.flags);
    const op = (p: { test(s: string): boolean; replaceAll(s: string, r: string): string }) =>
      c.replace === undefined ? () => p.test(c.input) : () => p.replaceAll(c.input, c.replace!);
    if (op(native)() !== op(linear)()) throw new Error(`${c.name}: linear and native disagree`);
    const n = measure(op(native));
    const l = measure(op(linear));
    const r = other ? ns(measure(op(other))) : "cannot run it";
    console.log(`| ${c.name}${c.replace === undefined ? "" : " (replace)"} | ${c.input.length} chars | ${ns(n)} | ${ns(l)} | ${(l / n).toFixed(1)}× | ${r} |`);
  }
}

/**
 * The shortest adversarial input on which the native engine takes over 20 ms, growing the input
 * by a quarter at a time (a single call cannot be interrupted, so the steps stay small).
 */
function nativeContrast(pattern: string, flags: string, input: (n: number) => string): string {
  const re = new RegExp(pattern, flags);
  for (let n = 8; n <= 20_000; n = Math.ceil(n * 1.25)) {
    const t0 = performance.now();
    re.test(input(n));
    const ms = performance.now() - t0;
    if (ms > 20) return `${msText(ms)} ms at ${n} chars`;
  }
  return "under 20 ms at 20,000 chars";
}

function runCorpus(): void {
  console.log("\n### Catastrophic corpus: one value of 10,000 characters (or the pattern's limit when shorter)\n");
  console.log("Steps are the engine's units of work; a pattern looks at values up to STEP_BUDGET ÷ its weight (see src/core/regex).\n");
  console.log("| shape | pattern | flags | saved? | looks at ≤ | value | test ms | replace ms | steps | ms per 1M steps | native (backtracking) |");
  console.log("|---|---|---|---|---:|---:|---:|---:|---:|---:|---|");
  let worst = 0;
  for (const c of CATASTROPHIC_PATTERNS) {
    const refusal = checkRegex(c.pattern, c.flags, 256);
    const code = "`" + c.pattern.replace(/\|/g, "\\|") + "`";
    if (refusal) {
      console.log(`| ${c.shape} | ${code} | ${c.flags} | refused | | | | | | | |`);
      continue;
    }
    const p: Pattern = compilePattern(c.pattern, c.flags, { trusted: false });
    const length = Math.min(10_000, p.maxInputLength);
    const value = c.input(length);
    const testMs = measure(() => p.test(value), 3);
    const replaceMs = measure(() => p.replaceAll(value, "-"), 3);
    const before = linearSteps();
    p.test(value);
    p.replaceAll(value, "-");
    const work = linearSteps() - before;
    worst = Math.max(worst, testMs + replaceMs);
    const contrast = nativeContrast(c.pattern, c.flags, c.input);
    console.log(
      `| ${c.shape} | ${code} | ${c.flags} | yes | ${p.maxInputLength.toLocaleString("en-US")} | ${length.toLocaleString("en-US")} | ${msText(testMs)} | ${msText(replaceMs)} | ${work.toLocaleString("en-US")} | ${msText(((testMs + replaceMs) / work) * 1e6)} | ${contrast} |`,
    );
  }
  console.log(`\nslowest saved pattern: ${msText(worst)} ms for a test plus a replace-all on one value`);
}

function runReplaceScaling(): void {
  console.log("\n### Replace-all where searching again after each match is quadratic (ms per value)\n");
  console.log("| pattern | chars | native | linear | re2js |");
  console.log("|---|---:|---:|---:|---:|");
  for (const pattern of ["\\w*@|\\w", "a*b|a"]) {
    const native = compilePattern(pattern, "", { trusted: true });
    const linear = compilePattern(pattern, "", { trusted: false });
    const other = re2js(pattern, "")!;
    for (const n of [1000, 2000, 4000, 8000]) {
      const value = "a".repeat(n);
      const r = n <= 4000 ? msText(measure(() => other.replaceAll(value, "-"), 1)) : "(skipped)";
      console.log(`| \`${pattern.replace(/\|/g, "\\|")}\` | ${n} | ${msText(measure(() => native.replaceAll(value, "-"), 3))} | ${msText(measure(() => linear.replaceAll(value, "-"), 3))} | ${r} |`);
    }
  }
}

async function workerDuration(worker: LocalWorker, logged: number, path: string): Promise<number | undefined> {
  for (let wait = 0; wait < 20; wait++) {
    const line = worker
      .requestLog()
      .slice(logged)
      .find((l) => l.path === path);
    if (line) return line.duration_ms;
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

async function runThroughWorker(): Promise<void> {
  console.log("\n### Through the Worker (wrangler dev): each pack's second /validate, with a 3-character and a 10,000-character title\n");
  console.log("The pack holds the pattern three times (pattern check, matches condition, replace fix); GET /health is sent while the long record is validated.\n");
  console.log("| pattern | flags | short title, in the Worker (ms) | 10,000 chars, in the Worker (ms) | seen by the client (ms) | GET /health alongside (ms) |");
  console.log("|---|---|---:|---:|---:|---:|");
  const worker = await startLocalWorker(8797, { RATE_LIMIT_PER_MINUTE: "1000000" });
  try {
    const saved = CATASTROPHIC_PATTERNS.filter((c) => !checkRegex(c.pattern, c.flags, 256));
    for (const [i, c] of saved.entries()) {
      const p = JSON.stringify(c.pattern);
      const f = JSON.stringify(c.flags);
      const yaml = [
        `id: bench-regex-${i}`,
        "name: Regex bench",
        "version: 1.0.0",
        "rules:",
        `  - { id: r.pattern, field: title, check: pattern, pattern: ${p}, flags: ${f} }`,
        `  - { id: r.when, field: title, check: max_length, max: 10, when: { field: title, matches: ${p}, flags: ${f} } }`,
        `  - { id: r.fix, field: title, check: max_length, max: 20, fix: { replace: { pattern: ${p}, with: "-", flags: ${f} } } }`,
      ].join("\n");
      await worker.call("/rule-packs", { method: "POST", headers: { "content-type": "application/yaml" }, body: yaml });
      const body = (title: string) => JSON.stringify({ rule_pack: `bench-regex-${i}`, apply_fixes: true, records: [{ sku: "X-1", title }] });
      const send = (title: string) => worker.call("/validate", { method: "POST", headers: { "content-type": "application/json" }, body: body(title) }).then((r) => r.arrayBuffer());
      await send(c.input(10_000)); // compiles and caches the pack, warms the code
      let logged = worker.requestLog().length;
      await send("abc");
      const shortMs = await workerDuration(worker, logged, "/api/v1/validate");
      logged = worker.requestLog().length;
      const t0 = performance.now();
      const validate = send(c.input(10_000));
      await new Promise((r) => setTimeout(r, 1));
      const h0 = performance.now();
      await (await fetch(`${worker.api}/health`)).arrayBuffer();
      const healthMs = performance.now() - h0;
      await validate;
      const clientMs = performance.now() - t0;
      const longMs = await workerDuration(worker, logged, "/api/v1/validate");
      console.log(`| \`${c.pattern.replace(/\|/g, "\\|")}\` | ${c.flags} | ${shortMs ?? "?"} | ${longMs ?? "?"} | ${clientMs.toFixed(0)} | ${healthMs.toFixed(0)} |`);
    }
  } finally {
    worker.stop();
  }
}

export async function runRegexBench(): Promise<void> {
  console.log(`\n## Regex engines — node ${process.version}; wall time on a shared machine, medians`);
  runTypical();
  runCorpus();
  runReplaceScaling();
  await runThroughWorker();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await runRegexBench();
