/**
 * `npm run bench`: every benchmark in one run, each printing its figures beside baselines
 * measured in the same run. `npm run bench -- engine|latency|pipeline|writers|regex|login|connector|job-page`
 * runs one; `--rows N` sizes the pipeline, writers and job-page runs (default 1,000,000), `--items N`
 * the connector sync (default 10,000).
 * `npm run bench -- sheets` runs the Google Sheets connector on a 100,000-row sheet (`--rows N`).
 * `npm run bench -- quota` measures the quota check on POST /validate (billing off and on).
 * `npm run bench -- csv` measures the CSV tokenizer against papaparse on the engine benchmark's file.
 * `npm run bench -- load [--duration S] [--port P --inspector-port P]` drives POST /validate with autocannon at concurrency 1, 4 and 16.
 * `npm run bench -- profile [--requests N]` splits one POST /validate's in-Worker time into steps and profiles the isolate's CPU.
 * `npm run bench -- soak [--minutes N]` runs the mixed soak (10 minutes by default).
 * `npm run bench -- heap [--rows N] [--format csv|xlsx] [--live]` samples the Worker isolate's V8 heap while jobs run.
 */
import { runConnectorBench } from "./connector-sync";
import { runCsvBench } from "./csv";
import { runEngineBench } from "./engine";
import { runHeapBench } from "./heap";
import { runJobPageBench } from "./job-page";
import { runLoginBench } from "./login";
import { runPipelineBench } from "./pipeline";
import { runQuotaBench } from "./quota";
import { runRegexBench } from "./regex";
import { runSheetsBench } from "./sheets-sync";
import { runWritersBench } from "./tabular-writers";
import { runLatencyBench } from "./validate-latency";
import { runLoadBench } from "./load";
import { runSoakBench } from "./soak";
import { runProfileBench } from "./validate-profile";

const only = process.argv.slice(2).find((a) => !a.startsWith("--") && !/^\d+$/.test(a));
if (!only || only === "engine") await runEngineBench();
if (!only || only === "csv") await runCsvBench();
if (!only || only === "latency") await runLatencyBench();
if (!only || only === "pipeline") await runPipelineBench();
if (!only || only === "writers") await runWritersBench();
if (!only || only === "regex") await runRegexBench();
if (!only || only === "login") await runLoginBench();
if (!only || only === "connector") await runConnectorBench();
if (!only || only === "sheets") await runSheetsBench();
if (!only || only === "job-page") await runJobPageBench();
if (!only || only === "quota") await runQuotaBench();
if (!only || only === "load") await runLoadBench();
// Ten minutes: only when asked for by name.
if (only === "soak") await runSoakBench();
if (only === "profile") await runProfileBench();
if (!only || only === "heap") await runHeapBench();
