import { currentValue, type FieldChange, isVariationField, type MlItem, type PushableField } from "./items";

/**
 * Which corrected fields of one item may be written back to Mercado Livre, and the exact request.
 * Safety first: a field goes only when the seller allowed it, the marketplace lets it change on
 * this listing, and its value on the marketplace is still the one the sync validated (anything the
 * seller edited since is left alone). Everything left out says why.
 * https://developers.mercadolivre.com.br/pt_ar/servico-sincronizacao-de-publicacoes
 */

export type SkipReason =
  /** The seller's push_fields (or this push's fields) do not include it. */
  | "not_allowed"
  /** Belongs to a variation (price, stock, pictures, SKU, GTIN, variation attributes): pushes write item-level fields only. */
  | "variation_field"
  /** Mercado Livre tags the attribute read_only in the item's category. */
  | "read_only"
  /** The title and condition cannot change once the listing has sales. */
  | "has_sales"
  /** Only active listings can be changed. */
  | "not_active"
  /** The value on Mercado Livre is no longer the one the sync read: someone changed it since. */
  | "changed_on_marketplace"
  /** The item's records (its variations) were corrected to different values. */
  | "conflicting_fixes"
  /** Mercado Livre did not return the item. */
  | "item_unavailable";

export interface PlannedField {
  field: PushableField;
  /** The marketplace's value now (what a revert writes back). */
  before: unknown;
  to: unknown;
}

export interface ItemPushPlan {
  send: PlannedField[];
  skipped: { field: string; reason: SkipReason }[];
  /** The PUT /items/{id} body: only the fields that change; null when none do. */
  body: Record<string, unknown> | null;
  /** The new plain-text description (PUT /items/{id}/description); null when it does not change. */
  description: string | null;
}

/** Two values are the same listing value (numbers as sent in text or as numbers, lists element by element). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === null || a === undefined || a === "") && (b === null || b === undefined || b === "")) return true;
  if ((typeof a === "number" || typeof a === "string") && (typeof b === "number" || typeof b === "string")) {
    const x = Number(a);
    const y = Number(b);
    if (String(a).trim() !== "" && String(b).trim() !== "" && Number.isFinite(x) && Number.isFinite(y)) return x === y;
    return String(a) === String(b);
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Merges the changes of an item's records (one per variation) into one list: identical changes
 * once, changes of one field to different values reported as conflicting.
 */
export function mergeChanges(perRecord: readonly FieldChange[][]): { changes: FieldChange[]; conflicts: string[] } {
  const byField = new Map<string, FieldChange>();
  const conflicts = new Set<string>();
  for (const changes of perRecord) {
    for (const change of changes) {
      const prior = byField.get(change.field);
      if (!prior) byField.set(change.field, change);
      else if (!sameValue(prior.to, change.to) || !sameValue(prior.from, change.from)) conflicts.add(change.field);
    }
  }
  for (const field of conflicts) byField.delete(field);
  return { changes: [...byField.values()], conflicts: [...conflicts] };
}

function asNumber(v: unknown): unknown {
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return v;
}

/** The value as Mercado Livre's item body takes it. */
function bodyValue(field: PushableField, to: unknown): [string, unknown] {
  switch (field) {
    case "price":
      return ["price", asNumber(to)];
    case "available_quantity":
      return ["available_quantity", asNumber(to)];
    case "pictures":
      return ["pictures", (Array.isArray(to) ? to : [to]).filter((u) => typeof u === "string" && u !== "").map((source) => ({ source }))];
    default:
      return [field, to];
  }
}

export interface PlanOptions {
  /** Whether the seller (and this push) allow writing the field. */
  allowed: (field: string) => boolean;
  /** Attributes tagged read_only in the item's category. */
  readOnly: ReadonlySet<string>;
  /** The item's description now, when a description change is planned (undefined: not read). */
  currentDescription?: string | null;
}

export function planItemPush(item: MlItem, changes: readonly FieldChange[], opts: PlanOptions): ItemPushPlan {
  const send: PlannedField[] = [];
  const skipped: ItemPushPlan["skipped"] = [];
  const active = item.status === undefined || item.status === "active";
  const hasSales = (item.sold_quantity ?? 0) > 0;
  for (const change of changes) {
    const { field } = change;
    const skip = (reason: SkipReason) => skipped.push({ field, reason });
    if (!opts.allowed(field)) skip("not_allowed");
    else if (!active) skip("not_active");
    else if (isVariationField(field, item)) skip("variation_field");
    else if (field.startsWith("attributes.") && opts.readOnly.has(field.slice("attributes.".length))) skip("read_only");
    else if ((field === "title" || field === "condition") && hasSales) skip("has_sales");
    else {
      const now = field === "description" ? (opts.currentDescription ?? null) : currentValue(item, field);
      if (!sameValue(now, change.from)) skip("changed_on_marketplace");
      else send.push({ field, before: now, to: change.to });
    }
  }
  const body: Record<string, unknown> = {};
  const attributes: { id: string; value_name: unknown }[] = [];
  let description: string | null = null;
  for (const { field, to } of send) {
    if (field === "description") description = typeof to === "string" ? to : String(to ?? "");
    else if (field.startsWith("attributes.")) attributes.push({ id: field.slice("attributes.".length), value_name: to ?? null });
    else {
      const [key, value] = bodyValue(field, to);
      body[key] = value;
    }
  }
  if (attributes.length) body.attributes = attributes;
  return { send, skipped, body: Object.keys(body).length ? body : null, description };
}
