import { and, desc, eq, inArray } from "drizzle-orm";
import { config } from "../../config";
import { accessFor, providerFor } from "../../connectors";
import { sheetsSettings, SheetsSettingsError } from "../../core/connectors/google-sheets/sheet";
import { checkSchedule, ScheduleError } from "../../core/connectors/schedule";
import type { ConnectorType } from "../../core/connectors/types";
import { notFound, VitrineError } from "../../core/errors";
import { newId } from "../../core/ids";
import { text } from "../../core/text";
import { database } from "../../db/client";
import { insertWithinLimit } from "../../db/limits";
import { type Page, type PageQuery, paginate } from "../../db/paginate";
import {
  type ConnectorRow,
  connectorItems,
  connectorOauthStates,
  connectorPendingItems,
  connectorSyncKeys,
  connectorSyncs,
  connectors,
} from "../../db/schema";
import type { Env } from "../../env";
import { resolveMapping } from "../mappings";
import { resolvePack } from "../rule-packs";
import { FEED_DEFAULT_PACK, feedSettings } from "./feed";
import { verifyServiceAccountConnector } from "./google-sheets";
import { beginAuthorization } from "./oauth";
import { nextSyncAt } from "./schedules";
import { gateOf, ProviderSession } from "./session";
import { connectorStepBudget } from "./sync-plan";

/** Connectors per account; more is almost always a script creating them in a loop. */
export const MAX_CONNECTORS_PER_ACCOUNT = 20;
const MAX_CONFIG_BYTES = 4096;
/** Item statuses a Mercado Livre connector may restrict its listing to (the scan search's `status` filter). */
export const ITEM_STATUSES = ["active", "paused", "closed", "under_review", "inactive"] as const;

export const connectorNotFound = (id: string) => notFound(text("Connector", "O conector"), id);

function invalid(pointer: string, en: string, pt: string): VitrineError {
  const detail = text(en, pt);
  return new VitrineError("invalid_request", detail, { errors: [{ detail, pointer }] });
}

/** What a seller sets on a connector (at creation, or later with PATCH). */
export interface ConnectorSettings {
  name?: string;
  config?: Record<string, unknown>;
  rule_pack?: string;
  category?: string | null;
  mapping_id?: string | null;
  schedule?: string | null;
  push_fields?: string[];
}

async function checkSettings(env: Env, accountId: string, type: ConnectorType, s: ConnectorSettings): Promise<void> {
  // A feed's config (its URL and sealed header) is checked by feedSettings.
  if (s.config !== undefined && type !== "url") {
    if (JSON.stringify(s.config).length > MAX_CONFIG_BYTES) throw invalid("/config", `config is larger than ${MAX_CONFIG_BYTES} bytes.`, `config tem mais de ${MAX_CONFIG_BYTES} bytes.`);
    if (type === "google_sheets") checkSheetsConfig(env, s.config);
    else for (const [key, value] of Object.entries(s.config)) {
      if (type === "mercadolivre" && key === "item_status" && (ITEM_STATUSES as readonly unknown[]).includes(value)) continue;
      throw invalid(
        `/config/${key}`,
        `Unknown or invalid config option "${key}" for ${type}; Mercado Livre takes item_status (${ITEM_STATUSES.join(", ")}).`,
        `Opção de config "${key}" desconhecida ou inválida para ${type}; o Mercado Livre aceita item_status (${ITEM_STATUSES.join(", ")}).`,
      );
    }
  }
  if (s.rule_pack !== undefined) await resolvePack(env, accountId, s.rule_pack);
  if (s.mapping_id) await resolveMapping(env, accountId, s.mapping_id);
  if (s.schedule) {
    try {
      checkSchedule(s.schedule);
    } catch (error) {
      if (!(error instanceof ScheduleError)) throw error;
      throw new VitrineError("invalid_request", error.detail, { errors: [{ detail: error.detail, pointer: "/schedule" }] });
    }
  }
  const provider = providerFor(type);
  for (const [i, field] of (s.push_fields ?? []).entries()) {
    // A sheet's push_fields are its column names, as in its header row.
    if (type === "google_sheets") {
      if (field.trim() !== "") continue;
      throw invalid(`/push_fields/${i}`, "A sheet's push_fields are column names of its header row; this one is empty.", "Os push_fields de uma planilha são nomes de colunas do cabeçalho; este está vazio.");
    }
    if (provider && !provider.isPushable(field)) {
      const list = provider.pushableFields.join(", ");
      throw invalid(
        `/push_fields/${i}`,
        `"${field}" is not a field a push can write to ${provider.name}; use ${list}.`,
        `"${field}" não é um campo que um envio possa escrever na ${provider.name}; use ${list}.`,
      );
    }
  }
}

/** A Google Sheets connector's config: the spreadsheet is required, and its way of authorizing must be configured here. */
function checkSheetsConfig(env: Env, raw: Record<string, unknown>) {
  let settings;
  try {
    settings = sheetsSettings(raw);
  } catch (error) {
    if (!(error instanceof SheetsSettingsError)) throw error;
    throw new VitrineError("invalid_request", error.detail, { errors: [{ detail: error.detail, pointer: error.pointer }] });
  }
  const google = config(env).google;
  if (settings.auth === "oauth" && !google?.oauth) {
    throw invalid("/config/auth", "This deployment has no Google OAuth client (GOOGLE_CLIENT_ID); use auth: service_account.", "Esta instalação não tem cliente OAuth do Google (GOOGLE_CLIENT_ID); use auth: service_account.");
  }
  if (settings.auth === "service_account" && !google?.serviceAccount) {
    throw invalid("/config/auth", "This deployment has no Google service account (GOOGLE_SERVICE_ACCOUNT_JSON); use auth: oauth.", "Esta instalação não tem conta de serviço do Google (GOOGLE_SERVICE_ACCOUNT_JSON); use auth: oauth.");
  }
}

const isServiceAccount = (row: Pick<ConnectorRow, "type" | "config">) => row.type === "google_sheets" && row.config.auth === "service_account";

const SETUP: Partial<Record<ConnectorType, { vars: string; doc: string }>> = {
  mercadolivre: { vars: "MERCADOLIVRE_CLIENT_ID and MERCADOLIVRE_CLIENT_SECRET", doc: "docs/mercadolivre.md" },
  shopee: { vars: "SHOPEE_PARTNER_ID and SHOPEE_PARTNER_KEY", doc: "docs/shopee.md" },
  google_sheets: { vars: "GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET, or GOOGLE_SERVICE_ACCOUNT_JSON", doc: "docs/google-sheets.md" },
};

function providerOf(env: Env, type: ConnectorType) {
  const provider = accessFor(type);
  if (!provider) {
    throw new VitrineError(
      "unprocessable",
      text(`Connectors of type ${type} are not available yet; mercadolivre, shopee and google_sheets are.`, `Conectores do tipo ${type} ainda não estão disponíveis; mercadolivre, shopee e google_sheets estão.`),
    );
  }
  if (!provider.configured(config(env))) {
    const setup = SETUP[type] ?? { vars: "its variables", doc: "docs/connectors.md" };
    throw new VitrineError(
      "unprocessable",
      text(
        `This deployment has no ${type} application configured (${setup.vars}; see ${setup.doc}).`,
        `Esta instalação não tem um aplicativo ${type} configurado (${setup.vars.replace(" and ", " e ").replace(", or ", ", ou ")}; veja ${setup.doc}).`,
      ),
    );
  }
  return provider;
}

export async function findConnector(env: Env, accountId: string, id: string): Promise<ConnectorRow | null> {
  const [row] = await database(env.DB)
    .select()
    .from(connectors)
    .where(and(eq(connectors.id, id), eq(connectors.accountId, accountId)))
    .limit(1);
  return row ?? null;
}

export async function requireConnector(env: Env, accountId: string, id: string): Promise<ConnectorRow> {
  const row = await findConnector(env, accountId, id);
  if (!row) throw connectorNotFound(id);
  return row;
}

/** Creates a connector; for OAuth types it waits for the seller at `authorize_url`. */
export async function createConnector(env: Env, accountId: string, input: ConnectorSettings & { type: ConnectorType }, origin: string) {
  const feed = input.type === "url";
  const provider = feed ? null : providerOf(env, input.type);
  const settings = {
    ...input,
    rule_pack: input.rule_pack ?? provider?.pack ?? FEED_DEFAULT_PACK,
    ...(input.type === "google_sheets" && { config: input.config ?? {} }),
  };
  await checkSettings(env, accountId, input.type, settings);
  const now = Date.now();
  const id = newId("con", now);
  // A feed needs no authorization: it is active at once, its header sealed.
  const feedConfig = feed ? await feedSettings(env, id, input.config ?? {}) : null;
  const row: ConnectorRow = {
    id,
    accountId,
    type: input.type,
    name: input.name?.trim() || (provider ? provider.name : "Feed"),
    // A feed needs no consent; a service account neither: the seller shares the sheet and puts the verification code in it.
    status: feed ? "active" : isServiceAccount({ type: input.type, config: input.config ?? {} }) ? "pending_verification" : "pending_authorization",
    problem: null,
    config: feedConfig?.config ?? input.config ?? {},
    secretSealed: feedConfig?.secretSealed ?? null,
    rulePack: settings.rule_pack,
    category: input.category ?? null,
    mappingId: input.mapping_id ?? null,
    schedule: input.schedule ?? null,
    nextSyncAt: null,
    pushFields: [...new Set(input.push_fields ?? [])],
    providerUserId: null,
    runningJobId: null,
    lastSyncJobId: null,
    lastSyncAt: null,
    lastSyncStatus: null,
    createdAt: now,
    updatedAt: now,
  };
  if (!(await insertWithinLimit(database(env.DB), connectors, row, eq(connectors.accountId, accountId), MAX_CONNECTORS_PER_ACCOUNT))) {
    throw new VitrineError(
      "conflict",
      text(
        `This account already has ${MAX_CONNECTORS_PER_ACCOUNT} connectors; delete one first.`,
        `Esta conta já tem ${MAX_CONNECTORS_PER_ACCOUNT} conectores; apague um antes.`,
      ),
      { limit: MAX_CONNECTORS_PER_ACCOUNT },
    );
  }
  if (feed) {
    row.nextSyncAt = nextSyncAt(row);
    if (row.nextSyncAt !== null) await database(env.DB).update(connectors).set({ nextSyncAt: row.nextSyncAt }).where(eq(connectors.id, row.id));
    return { row, authorizeUrl: undefined };
  }
  if (isServiceAccount(row)) return { row, authorizeUrl: undefined };
  return { row, authorizeUrl: await beginAuthorization(env, row, origin) };
}

/** A new authorize_url (the old one may have expired; a revoked connector needs one to come back). */
export async function authorizeConnector(env: Env, accountId: string, id: string, origin: string) {
  const row = await requireConnector(env, accountId, id);
  if (row.type === "url") {
    throw new VitrineError("unprocessable", text("A feed URL connector needs no authorization; a protected feed's header is set in config.header.", "Um conector de URL de feed não precisa de autorização; o cabeçalho de um feed protegido vai em config.header."));
  }
  providerOf(env, row.type);
  // A service-account connector is not authorized by the seller: this checks the sheet for its verification code.
  if (isServiceAccount(row)) return { row: await verifyServiceAccountConnector(env, row, connectorStepBudget(env)), authorizeUrl: undefined };
  return { row, authorizeUrl: await beginAuthorization(env, row, origin) };
}

export async function listConnectors(env: Env, accountId: string, page: PageQuery): Promise<Page<ConnectorRow>> {
  const db = database(env.DB);
  return paginate(
    connectors.id,
    page,
    (cursor, take) => db.select().from(connectors).where(and(eq(connectors.accountId, accountId), cursor)).orderBy(desc(connectors.id)).limit(take),
    (row) => row,
  );
}

/** Changes a connector's name, schedule and defaults; the next sync uses them. */
export async function updateConnector(env: Env, accountId: string, id: string, patch: ConnectorSettings): Promise<ConnectorRow> {
  const row = await requireConnector(env, accountId, id);
  await checkSettings(env, accountId, row.type, patch);
  const feedConfig = row.type === "url" && patch.config !== undefined ? await feedSettings(env, row.id, patch.config, row) : null;
  const next: ConnectorRow = {
    ...row,
    ...(patch.name !== undefined && { name: patch.name.trim() || row.name }),
    ...(patch.config !== undefined && { config: patch.config }),
    ...(feedConfig && { config: feedConfig.config, secretSealed: feedConfig.secretSealed }),
    ...(patch.rule_pack !== undefined && { rulePack: patch.rule_pack }),
    ...(patch.category !== undefined && { category: patch.category }),
    ...(patch.mapping_id !== undefined && { mappingId: patch.mapping_id }),
    ...(patch.schedule !== undefined && { schedule: patch.schedule }),
    ...(patch.push_fields !== undefined && { pushFields: [...new Set(patch.push_fields)] }),
    updatedAt: Date.now(),
  };
  next.nextSyncAt = nextSyncAt(next);
  const { id: _id, accountId: _account, createdAt: _created, ...values } = next;
  await database(env.DB)
    .update(connectors)
    .set(values)
    .where(and(eq(connectors.id, id), eq(connectors.accountId, accountId)));
  return next;
}

/**
 * Deletes a connector: withdraws the seller's grant at the provider where it can, forgets the
 * tokens, and removes its pending work. Its past sync jobs (and their results) stay.
 */
export async function deleteConnector(env: Env, accountId: string, id: string): Promise<void> {
  const row = await requireConnector(env, accountId, id);
  const provider = providerFor(row.type);
  if (row.providerUserId && provider?.configured(config(env))) {
    try {
      await provider.revoke(new ProviderSession(env, row, 6).fetch, row.providerUserId, config(env));
    } catch {
      // The tokens are forgotten either way; the seller can also remove the application in their marketplace account.
    }
  }
  await gateOf(env, row.id).forget();
  const db = database(env.DB);
  await db.batch([
    db.delete(connectorOauthStates).where(eq(connectorOauthStates.connectorId, id)),
    db.delete(connectorPendingItems).where(eq(connectorPendingItems.connectorId, id)),
    db.delete(connectorItems).where(eq(connectorItems.connectorId, id)),
    db.delete(connectorSyncKeys).where(inArray(connectorSyncKeys.jobId, db.select({ jobId: connectorSyncs.jobId }).from(connectorSyncs).where(eq(connectorSyncs.connectorId, id)))),
    db.delete(connectors).where(and(eq(connectors.id, id), eq(connectors.accountId, accountId))),
  ]);
}

/** Every connector of an account, deleted as one by one (grants withdrawn, tokens forgotten): the account is being deleted. */
export async function deleteConnectorsOf(env: Env, accountId: string): Promise<void> {
  const rows = await database(env.DB).select({ id: connectors.id }).from(connectors).where(eq(connectors.accountId, accountId));
  for (const row of rows) await deleteConnector(env, accountId, row.id);
}

/** Active connectors of a provider's seller (a notification names the seller, not the connector). */
export async function connectorsOfSeller(env: Env, type: ConnectorType, sellerId: string): Promise<ConnectorRow[]> {
  return database(env.DB)
    .select()
    .from(connectors)
    .where(and(eq(connectors.type, type), eq(connectors.providerUserId, sellerId), inArray(connectors.status, ["active", "error"])));
}

