// Evaluates a bundled Worker's top level once, under V8's precise coverage, and prints as JSON which
// bundled modules had functions called (exact call counts, not samples; defining a class is not a call) and the CPU it took.
// Usage: node startup-probe.mjs <outdir>/index.js
import { readFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { register } from "node:module";
import { pathToFileURL } from "node:url";

register("./startup-hooks.mjs", import.meta.url);
const bundlePath = process.argv[2];
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.startPreciseCoverage", { callCount: true, detailed: false });
const before = process.cpuUsage();
const exported = await import(pathToFileURL(bundlePath).href);
const cpu = process.cpuUsage(before);
const { result } = await session.post("Profiler.takePreciseCoverage");
session.disconnect();

// esbuild marks where each bundled module starts with a `// path` line comment.
const text = readFileSync(bundlePath, "utf8");
const starts = [...text.matchAll(/^\/\/ ((?:src|node_modules|rules|samples)\/\S+)$/gm)].map((m) => ({ offset: m.index, module: m[1] }));
function moduleAt(offset) {
  let found = "(bundle prelude)";
  for (const start of starts) {
    if (start.offset > offset) break;
    found = start.module;
  }
  return found;
}

const script = result.find((r) => r.url === pathToFileURL(bundlePath).href);
const calls = {};
for (const fn of script.functions) {
  const count = fn.ranges[0].count;
  // V8 runs a class's static members as a function when the class is defined: a definition, not a call.
  if (count === 0 || fn.functionName === "<static_initializer>") continue;
  const module = moduleAt(fn.ranges[0].startOffset);
  calls[module] = (calls[module] ?? 0) + count;
}
console.log(JSON.stringify({ exports: Object.keys(exported).sort(), cpuMs: (cpu.user + cpu.system) / 1000, modules: starts.length, calls }));
