import { and, count, eq } from "drizzle-orm";
import { config } from "../../config";
import { providerFor } from "../../connectors";
import type { MlItem } from "../../core/connectors/mercadolivre/items";
import { sha256Hex } from "../../core/hash";
import { database } from "../../db/client";
import { type ConnectorRow, connectorItems, connectorPendingItems } from "../../db/schema";
import type { Env } from "../../env";
import { consume } from "../rate-limits";
import { resolvePack } from "../rule-packs";
import { connectorsOfSeller } from "./connectors";
import { ProviderSession } from "./session";

/** Topics Vitrine subscribes to (set in the application's notification settings at Mercado Livre). */
export const SUBSCRIBED_TOPICS = ["items"];
const ITEM_RESOURCE = /^\/items\/(MLB\d{1,15})$/;
/** Items one connector may have waiting for re-validation; notifications beyond it wait for the next sync. */
const MAX_PENDING_ITEMS = 5000;
/** Notification checks (one item read each) per connector per minute: anyone can post a notification. */
const CHECKS_PER_MINUTE = 120;
/** Subrequests one notification check may spend: the item, maybe its description, gate calls. */
const CHECK_BUDGET = 6;

/**
 * What Mercado Livre posts: `{ resource: "/items/MLB…", user_id, topic, application_id, attempts, sent, received }`.
 * https://developers.mercadolivre.com.br/pt_br/produto-receba-notificacoes
 */
export interface MlNotification {
  resource?: unknown;
  user_id?: unknown;
  topic?: unknown;
  application_id?: unknown;
}

/**
 * The seller and item a notification is about — only when it is addressed to our application,
 * on a topic we subscribe to, about an item. Notifications are not signed and seller ids are
 * public, so this decides nothing by itself: the item is then read with the seller's own token.
 * No URL is ever taken from the body.
 */
export function notificationTarget(env: Env, body: MlNotification): { sellerId: string; itemId: string } | null {
  const ml = config(env).mercadolivre;
  if (!ml || String(body.application_id ?? "") !== ml.clientId) return null;
  if (typeof body.topic !== "string" || !SUBSCRIBED_TOPICS.includes(body.topic)) return null;
  const match = typeof body.resource === "string" ? ITEM_RESOURCE.exec(body.resource) : null;
  const sellerId = typeof body.user_id === "number" || typeof body.user_id === "string" ? String(body.user_id) : "";
  if (!match || !/^\d{1,20}$/.test(sellerId)) return null;
  return { sellerId, itemId: match[1] };
}

async function itemChanged(env: Env, connector: ConnectorRow, itemId: string): Promise<boolean> {
  const provider = providerFor(connector.type)!;
  const session = new ProviderSession(env, connector, CHECK_BUDGET);
  const [answer] = await provider.fetchItems(session.fetch, [itemId]);
  // Only the seller's own items: one the token cannot read, or of someone else, is ignored.
  if (!answer?.ok || String((answer.item as MlItem).seller_id ?? connector.providerUserId) !== connector.providerUserId) return false;
  const pack = await resolvePack(env, connector.accountId, connector.rulePack);
  const description = pack.compiled.fields().includes("description") ? await provider.fetchDescription(session.fetch, itemId) : undefined;
  const hash = (await sha256Hex(JSON.stringify(provider.records.records(answer.item, description ?? undefined)))).slice(0, 32);
  const [known] = await database(env.DB)
    .select({ hash: connectorItems.contentHash })
    .from(connectorItems)
    .where(and(eq(connectorItems.connectorId, connector.id), eq(connectorItems.itemId, itemId)))
    .limit(1);
  return known?.hash !== hash;
}

/**
 * Acts on one notification (after the 200 went out): for each connector of that seller, reads
 * the item with the seller's token and, when its content differs from what was last validated,
 * queues it for re-validation. Bursts about one item coalesce into one queued row; the cron
 * re-validates queued items in one sync per connector.
 */
export async function handleNotification(env: Env, target: { sellerId: string; itemId: string }): Promise<void> {
  const db = database(env.DB);
  for (const connector of await connectorsOfSeller(env, "mercadolivre", target.sellerId)) {
    const queued = await db
      .select({ itemId: connectorPendingItems.itemId })
      .from(connectorPendingItems)
      .where(and(eq(connectorPendingItems.connectorId, connector.id), eq(connectorPendingItems.itemId, target.itemId)))
      .limit(1);
    if (queued.length) continue;
    const [{ n }] = await db.select({ n: count() }).from(connectorPendingItems).where(eq(connectorPendingItems.connectorId, connector.id));
    if (n >= MAX_PENDING_ITEMS) continue;
    if (!(await consume(env, `notifications:${connector.id}`, CHECKS_PER_MINUTE, 60_000)).allowed) continue;
    try {
      if (!(await itemChanged(env, connector, target.itemId))) continue;
    } catch (error) {
      console.warn(JSON.stringify({ level: "warn", msg: "notification not checked", connector_id: connector.id, item_id: target.itemId, error: String(error) }));
      continue;
    }
    await db
      .insert(connectorPendingItems)
      .values({ connectorId: connector.id, itemId: target.itemId, accountId: connector.accountId, queuedAt: Date.now() })
      .onConflictDoNothing();
  }
}
