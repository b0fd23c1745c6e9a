import { and, desc, eq, isNull } from "drizzle-orm";
import { database } from "../db/client";
import { accounts, apiKeys, connectors, files, jobs, mappings, webhookEndpoints } from "../db/schema";
import type { Env } from "../env";

/** What the account has actually done, read from the services' own tables (never from clicks). */
export interface OnboardingFacts {
  hasFile: boolean;
  /** Marketplace chosen on the checklist (and category, if any). */
  marketplace: string | null;
  category: string | null;
  hasMapping: boolean;
  hasJob: boolean;
  /** The newest completed job, whose results and corrected file step 5 points at. */
  completedJobId: string | null;
  hasApiKey: boolean;
  hasWebhook: boolean;
  /** A store connection, authorized or not. */
  hasConnector: boolean;
}

export async function onboardingFacts(env: Env, accountId: string): Promise<OnboardingFacts> {
  const db = database(env.DB);
  const [account, file, mapping, job, completed, key, webhook, connector] = await db.batch([
    db.select({ marketplace: accounts.marketplace, category: accounts.category }).from(accounts).where(eq(accounts.id, accountId)).limit(1),
    db.select({ id: files.id }).from(files).where(eq(files.accountId, accountId)).limit(1),
    db.select({ id: mappings.id }).from(mappings).where(and(eq(mappings.accountId, accountId), isNull(mappings.deletedAt))).limit(1),
    db.select({ id: jobs.id }).from(jobs).where(eq(jobs.accountId, accountId)).limit(1),
    db.select({ id: jobs.id }).from(jobs).where(and(eq(jobs.accountId, accountId), eq(jobs.status, "completed"))).orderBy(desc(jobs.id)).limit(1),
    db.select({ id: apiKeys.id }).from(apiKeys).where(and(eq(apiKeys.accountId, accountId), isNull(apiKeys.revokedAt))).limit(1),
    db.select({ id: webhookEndpoints.id }).from(webhookEndpoints).where(eq(webhookEndpoints.accountId, accountId)).limit(1),
    db.select({ id: connectors.id }).from(connectors).where(eq(connectors.accountId, accountId)).limit(1),
  ]);
  return {
    hasFile: file.length > 0,
    marketplace: account[0]?.marketplace ?? null,
    category: account[0]?.category ?? null,
    hasMapping: mapping.length > 0,
    hasJob: job.length > 0,
    completedJobId: completed[0]?.id ?? null,
    hasApiKey: key.length > 0,
    hasWebhook: webhook.length > 0,
    hasConnector: connector.length > 0,
  };
}
