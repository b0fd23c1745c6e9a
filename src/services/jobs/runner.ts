import { eq } from "drizzle-orm";
import type { JobMessage } from "../../core/jobs/types";
import type { Locale } from "../../core/locale";
import { countRuleRecord, emptySummary } from "../../core/report/summary";
import type { Env } from "../../env";
import { jobObjects } from "../../storage/job-objects";
import { listKeys } from "../../storage/r2-reads";
import { issueKeyEntry } from "../../core/connectors/delta";
import { storeSyncKeys } from "../connectors/delta";
import { resolvePack } from "../rule-packs";
import { joinLines } from "./chunk";
import { coordinator, syncJob } from "./jobs";
import { loadJob } from "./plan";
import { StepTiming } from "./step-timing";

/*
 * The jobs pipeline, one queue message kind per step: plan (plan.ts), chunk (chunk.ts) and
 * finalize (below). Every step is idempotent: any message may arrive twice.
 */
export { planJob } from "./plan";
export { runChunk } from "./chunk";

/** Finalize step: duplicates across chunks, one key partition at a time; then the job completes. */
export async function finalizeJob(env: Env, message: Extract<JobMessage, { kind: "finalize" }>): Promise<void> {
  const timing = new StepTiming({ step: "finalize", job_id: message.job_id });
  const job = await loadJob(env, message.job_id);
  if (!job) return;
  const coord = coordinator(env, job.id);
  const { status, uniquePartitions: partitions } = await coord.finalizeInput();
  // Already finalized: an earlier delivery may have died before its sync finished.
  if (status !== "running") return syncJob(env, job.id);
  const pack = await resolvePack(env, job.accountId, job.rulePack, job.rulePackRevision ?? undefined, { category: job.category ?? undefined, jobId: job.id });
  const validator = pack.compiled.createValidator({ category: job.category ?? undefined, locale: job.locale as Locale });
  const fields = new Map(validator.uniqueRules.map((r) => [r.rule, r.field]));
  const ruleInfo = pack.compiled.rules(job.category ?? undefined);
  const severities = new Map(ruleInfo.map((r) => [r.id, r.severity]));
  // Only a rule on each item of a list can find several duplicates in one row; its rows count once.
  const perItem = new Set(ruleInfo.filter((r) => r.each).map((r) => r.id));
  const countedRows = new Set<string>();
  const delta = emptySummary();
  const lines: string[] = [];
  const flipped = new Set<number>();
  /** A connector sync's keys of these issues, for "what changed since the last sync". */
  const syncKeys: string[] = [];

  for (let p = 0; p < partitions; p++) {
    // One map per rule, keyed by the value itself: no composite key string per entry.
    const firstByRule = new Map<string, Map<string, number>>();
    const prefix = jobObjects.uniquePartitionPrefix(job.accountId, job.id, p);
    for (const key of await listKeys(env.FILES, prefix)) {
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
        lines.push(JSON.stringify(issue));
        if (record !== undefined) syncKeys.push(issueKeyEntry(record, issue.rule, issue.field));
        delta.issues[severity]++;
        delta.issues.total++;
        (delta.by_rule[rule] ??= { severity, count: 0 }).count++;
        const field = fields.get(rule) ?? issue.field;
        delta.by_field[field] = (delta.by_field[field] ?? 0) + 1;
        const rowKey = `${rule}\u0000${row}`;
        if (!perItem.has(rule) || !countedRows.has(rowKey)) {
          if (perItem.has(rule)) countedRows.add(rowKey);
          countRuleRecord(delta, rule, field, row, false);
        }
        if (severity === "error" && valid === 1 && !flipped.has(row)) {
          flipped.add(row);
          delta.valid--;
          delta.invalid++;
        }
      }
    }
  }
  await timing.tickAndMark("compare");
  await env.FILES.put(jobObjects.uniqueIssues(job.accountId, job.id), joinLines(lines));
  if (syncKeys.length) await storeSyncKeys(env, job.id, syncKeys);
  await coord.finalized(delta);
  await syncJob(env, job.id);
  timing.mark("write");
  timing.log({ duplicates: lines.length });
}
