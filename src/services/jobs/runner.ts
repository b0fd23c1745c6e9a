import type { JobMessage } from "../../core/jobs/types";
import type { Locale } from "../../core/locale";
import { RowBitmap } from "../../core/jobs/row-bitmap";
import { countRuleRecord, emptySummary, mergeSummary, type ValidationSummary } from "../../core/report/summary";
import type { JobRow } from "../../db/schema";
import type { Env } from "../../env";
import { jobObjects } from "../../storage/job-objects";
import { listKeys } from "../../storage/r2-reads";
import { EncodedLines } from "../../storage/encoded-lines";
import { issueKeyEntry } from "../../core/connectors/delta";
import { storeSyncKeys } from "../connectors/delta";
import { resolvePack } from "../rule-packs";
import { coordinator, enqueue, syncJob } from "./jobs";
import { loadJob } from "./plan";
import { StepTiming } from "./step-timing";

/*
 * The jobs pipeline, one queue message kind per step: plan (plan.ts), chunk (chunk.ts) and
 * finalize (below). Every step is idempotent: any message may arrive twice, or out of order.
 *
 * Finalize compares the `unique` keys across chunks. The chunks wrote their first-seen keys split
 * by key hash into partitions (core/jobs/unique-partitions.ts), so a duplicate is always found
 * within one partition, and each partition is compared by its own message: an invocation reads
 * one partition's chunks (its subrequests grow with the chunks, not with chunks × partitions) and
 * holds one partition's keys and duplicates. The last chunk enqueues `finalize` without a
 * partition: it fans out one message per partition not yet compared (or, with one left, compares
 * it in place). A partition message writes its duplicates to `issues/zz-unique-<p>.ndjson`, a
 * connector sync's keys of them to D1, and what must be counted once per row across partitions
 * (rows turned invalid, rows of a rule on each list item) to `unique-facts/<p>.json`, then tells
 * the coordinator, which counts each partition once. The message that completes the set merges:
 * it reads the partitions' facts one at a time, counts rows once with bitmaps, and completes the
 * job with the delta. The coordinator's alarm re-sends the partition-less message if finalize
 * stalls, which re-sends what is missing or merges.
 */
export { planJob } from "./plan";
export { runChunk } from "./chunk";

/** What one partition's comparison found, in the form the merge adds up (stored as JSON in R2). */
interface PartitionFacts {
  duplicates: number;
  /**
   * Counts no other partition can repeat: issues by severity, rule and field, and records by rule
   * for rules with one value per row. `valid`/`invalid` stay 0: flips are counted at the merge.
   */
  summary: ValidationSummary;
  /** Rows a duplicate of error severity turns from valid to invalid, distinct within the partition. */
  flipped: number[];
  /** Per rule on each item of a list (a row may hold duplicates in several partitions): its field and rows. */
  perItem: Record<string, { field: string; rows: number[] }>;
}

/** Finalize step: a fan-out, one partition's comparison, or the merge once every partition is compared. */
export async function finalizeJob(env: Env, message: Extract<JobMessage, { kind: "finalize" }>): Promise<void> {
  const { partition } = message;
  const timing = new StepTiming({ step: "finalize", job_id: message.job_id, ...(partition === undefined ? {} : { partition }) });
  const job = await loadJob(env, message.job_id);
  if (!job) return;
  const coord = coordinator(env, job.id);
  const { status, uniquePartitions: partitions, pending } = await coord.finalizeInput();
  // Already finalized: an earlier delivery may have died before its sync finished.
  if (status !== "running") return syncJob(env, job.id);
  if (partition === undefined && pending.length > 1) {
    await enqueue(env, job.priority, pending.map((p) => ({ kind: "finalize", job_id: job.id, account_id: job.accountId, partition: p })));
    timing.mark("fan_out");
    timing.log({ partitions, sent: pending.length });
    return;
  }
  const target = partition ?? pending[0];
  let held: { partition: number; facts: PartitionFacts } | undefined;
  if (target !== undefined && pending.includes(target)) {
    const facts = await comparePartition(env, job, target, timing);
    held = { partition: target, facts };
    // The only partition left: nothing can complete the set meanwhile, so merge from memory at once.
    if (pending.length > 1) {
      await env.FILES.put(jobObjects.uniqueFacts(job.accountId, job.id, target), JSON.stringify(facts));
      const { last } = await coord.uniquePartitionDone(target);
      timing.mark("report");
      if (!last) return timing.log({ duplicates: facts.duplicates });
    }
  } else if (pending.length > 0) {
    // A redelivery of a partition already compared while others are not: theirs will merge.
    return;
  }
  // Every partition is compared (a merge that died is redone by the alarm's message or a redelivery).
  const { delta, duplicates } = await mergePartitions(env, job, partitions, held, timing);
  await timing.tickAndMark("merge");
  await env.FILES.delete(jobObjects.legacyUniqueIssues(job.accountId, job.id));
  await coord.finalized(delta);
  await syncJob(env, job.id);
  timing.mark("complete");
  timing.log({ partitions, duplicates });
}

/** Compares one partition's keys across chunks; writes its duplicates (and a sync's keys of them). */
async function comparePartition(env: Env, job: JobRow, partition: number, timing: StepTiming): Promise<PartitionFacts> {
  const pack = await resolvePack(env, job.accountId, job.rulePack, job.rulePackRevision ?? undefined, { category: job.category ?? undefined, jobId: job.id });
  const validator = pack.compiled.createValidator({ category: job.category ?? undefined, locale: job.locale as Locale });
  const fields = new Map(validator.uniqueRules.map((r) => [r.rule, r.field]));
  const ruleInfo = pack.compiled.rules(job.category ?? undefined);
  const severities = new Map(ruleInfo.map((r) => [r.id, r.severity]));
  // Only a rule on each item of a list can find several duplicates in one row; its rows count once.
  const eachRules = new Set(ruleInfo.filter((r) => r.each).map((r) => r.id));
  const summary = emptySummary();
  const lines = new EncodedLines();
  const flipped = new Set<number>();
  const perItem = new Map<string, { field: string; rows: Set<number> }>();
  /** A connector sync's keys of these issues, for "what changed since the last sync". */
  const syncKeys: string[] = [];
  // One map per rule, keyed by the value itself: no composite key string per entry.
  const firstByRule = new Map<string, Map<string, number>>();
  for (const key of await listKeys(env.FILES, jobObjects.uniquePartitionPrefix(job.accountId, job.id, partition))) {
    const object = await env.FILES.get(key);
    if (!object) continue;
    for (const line of (await object.text()).split("\n")) {
      if (!line) continue;
      const [rule, value, row, valid, record] = JSON.parse(line) as [string, string, number, 0 | 1, string?];
      let first = firstByRule.get(rule);
      if (!first) firstByRule.set(rule, (first = new Map()));
      const firstRow = first.get(value);
      if (firstRow === undefined) {
        first.set(value, row);
        continue;
      }
      const severity = severities.get(rule) ?? "error";
      const issue = validator.uniqueIssue(rule, value, row, firstRow);
      lines.add(JSON.stringify(issue));
      if (record !== undefined) syncKeys.push(issueKeyEntry(record, issue.rule, issue.field));
      summary.issues[severity]++;
      summary.issues.total++;
      (summary.by_rule[rule] ??= { severity, count: 0 }).count++;
      const field = fields.get(rule) ?? issue.field;
      summary.by_field[field] = (summary.by_field[field] ?? 0) + 1;
      if (eachRules.has(rule)) {
        let rows = perItem.get(rule);
        if (!rows) perItem.set(rule, (rows = { field, rows: new Set() }));
        rows.rows.add(row);
      } else {
        countRuleRecord(summary, rule, field, row, false);
      }
      if (severity === "error" && valid === 1) flipped.add(row);
    }
  }
  await timing.tickAndMark("compare");
  await env.FILES.put(jobObjects.uniqueIssues(job.accountId, job.id, partition), lines.blob());
  if (syncKeys.length) await storeSyncKeys(env, job.id, syncKeys);
  timing.mark("write");
  return {
    duplicates: lines.count,
    summary,
    flipped: [...flipped],
    perItem: Object.fromEntries([...perItem].map(([rule, { field, rows }]) => [rule, { field, rows: [...rows] }])),
  };
}

/**
 * Adds up every partition's facts into the job's delta, counting a row turned invalid once and a
 * row of a rule on each list item once per rule, however many partitions found it.
 */
async function mergePartitions(
  env: Env,
  job: JobRow,
  partitions: number,
  held: { partition: number; facts: PartitionFacts } | undefined,
  timing: StepTiming,
): Promise<{ delta: ValidationSummary; duplicates: number }> {
  const delta = emptySummary();
  const flipped = new RowBitmap();
  const counted = new Map<string, RowBitmap>();
  let duplicates = 0;
  for (let p = 0; p < partitions; p++) {
    const facts = held?.partition === p ? held.facts : await readFacts(env, job, p, timing);
    duplicates += facts.duplicates;
    mergeSummary(delta, facts.summary);
    for (const row of facts.flipped) {
      if (!flipped.add(row)) continue;
      delta.valid--;
      delta.invalid++;
    }
    for (const [rule, { field, rows }] of Object.entries(facts.perItem)) {
      let seen = counted.get(rule);
      if (!seen) counted.set(rule, (seen = new RowBitmap()));
      for (const row of rows) if (seen.add(row)) countRuleRecord(delta, rule, field, row, false);
    }
  }
  return { delta, duplicates };
}

async function readFacts(env: Env, job: JobRow, partition: number, timing: StepTiming): Promise<PartitionFacts> {
  const object = await env.FILES.get(jobObjects.uniqueFacts(job.accountId, job.id, partition));
  if (object) return (await object.json()) as PartitionFacts;
  // Written before the partition was counted, so it was lost since: the comparison gives the same facts again.
  console.warn(JSON.stringify({ level: "warn", msg: "finalize facts missing, partition compared again", job_id: job.id, partition }));
  return comparePartition(env, job, partition, timing);
}
