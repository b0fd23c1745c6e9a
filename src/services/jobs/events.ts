import type { JobSnapshot, JobTransition } from "../../core/jobs/types";
import type { Locale } from "../../core/text";
import type { Env } from "../../env";
import { recordEvent } from "../events";
import type { JobRow } from "../../db/schema";

export function jobLinks(jobId: string, applyFixes: boolean) {
  const self = `/api/v1/jobs/${jobId}`;
  return {
    job: self,
    result: `${self}/result`,
    issues: `${self}/result/issues?format=ndjson`,
    ...(applyFixes && { corrected: `${self}/result/corrected` }),
  };
}

function counts(snapshot: JobSnapshot) {
  const s = snapshot.summary;
  return { records: s.records, valid: s.valid, invalid: s.invalid, corrected: s.corrected, issues: s.issues };
}

/**
 * Records the events of a job's transitions: `job.status_changed` for each, and on
 * completion `validation.completed` plus `correction.applied` when fixes changed records.
 * The dedupe key makes a repeated sync (the outbox was not acknowledged) record nothing twice.
 */
export async function recordJobTransitions(env: Env, job: JobRow, transitions: JobTransition[], snapshot: JobSnapshot) {
  const locale = job.locale as Locale;
  for (const t of transitions) {
    const base = { job_id: job.id, rule_pack: job.rulePack, category: job.category };
    await recordEvent(
      env,
      job.accountId,
      "job.status_changed",
      { ...base, previous_status: t.from, status: t.to, changed_at: new Date(t.at).toISOString(), error: t.to === "failed" ? snapshot.error : null },
      { dedupeKey: `${job.id}:${t.seq}:status`, locale },
    );
    if (t.to !== "completed") continue;
    await recordEvent(
      env,
      job.accountId,
      "validation.completed",
      { ...base, counts: counts(snapshot), links: jobLinks(job.id, job.applyFixes) },
      { dedupeKey: `${job.id}:completed`, locale },
    );
    if (job.applyFixes && snapshot.summary.corrected > 0) {
      await recordEvent(
        env,
        job.accountId,
        "correction.applied",
        { ...base, corrected_records: snapshot.summary.corrected, links: jobLinks(job.id, true) },
        { dedupeKey: `${job.id}:corrected`, locale },
      );
    }
  }
}
