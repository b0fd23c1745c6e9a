/**
 * Mercado Livre items → the records Vitrine validates.
 *
 * An item (GET /items?ids=… multiget, https://developers.mercadolivre.com.br/pt_br/itens-e-buscas)
 * becomes one "listing record" per sellable unit: the item itself, or each of its variations
 * (own price, stock, pictures, SELLER_SKU/GTIN and attribute_combinations) carrying the item's
 * shared fields and its id. A listing record keeps Mercado Livre's own names (`title`,
 * `available_quantity`, `attributes.BRAND`…): it is what a connector's mapping reads, what the
 * corrected output shows, and what a push compares. The built-in mapping below turns it into the
 * canonical record.
 */

export interface MlAttributeValue {
  id: string;
  name?: string | null;
  value_id?: string | null;
  value_name?: string | null;
}

export interface MlPicture {
  id?: string;
  url?: string;
  secure_url?: string;
}

export interface MlVariation {
  id: number | string;
  price?: number;
  available_quantity?: number;
  sold_quantity?: number;
  attribute_combinations?: MlAttributeValue[];
  attributes?: MlAttributeValue[];
  picture_ids?: string[];
  seller_custom_field?: string | null;
}

export interface MlItem {
  id: string;
  seller_id?: number;
  title?: string;
  category_id?: string;
  price?: number;
  currency_id?: string;
  available_quantity?: number;
  sold_quantity?: number;
  condition?: string;
  status?: string;
  permalink?: string;
  seller_custom_field?: string | null;
  pictures?: MlPicture[];
  attributes?: MlAttributeValue[];
  variations?: MlVariation[];
}

/** A listing record: Mercado Livre's field names, attributes as `attributes.<ID>`. */
export type ListingRecord = Record<string, unknown> & { id: string; variation_id?: string };

/** Fields a push may write, by their listing-record names (plus any `attributes.<ID>`). */
export const PUSHABLE_FIELDS = ["title", "description", "price", "available_quantity", "condition", "pictures", "seller_custom_field"] as const;
export type PushableField = (typeof PUSHABLE_FIELDS)[number] | `attributes.${string}`;

/** Fields that belong to a variation when the item has variations (a push leaves them alone). */
const VARIATION_FIELDS = new Set(["price", "available_quantity", "pictures", "seller_custom_field", "attributes.SELLER_SKU", "attributes.GTIN"]);

export function isPushable(field: string): field is PushableField {
  return (PUSHABLE_FIELDS as readonly string[]).includes(field) || /^attributes\.[A-Za-z0-9_-]{1,100}$/.test(field);
}

const ATTRIBUTE_ID = /^[A-Za-z0-9_-]{1,100}$/;

function putAttributes(out: ListingRecord, attributes: readonly MlAttributeValue[] | undefined) {
  for (const a of attributes ?? []) {
    if (typeof a?.id !== "string" || !ATTRIBUTE_ID.test(a.id)) continue;
    const value = a.value_name ?? null;
    if (value === null || value === "") delete out[`attributes.${a.id}`];
    else out[`attributes.${a.id}`] = value;
  }
}

function pictureUrl(p: MlPicture): string | undefined {
  return p.secure_url || p.url || undefined;
}

/** The listing records of one item: one for a plain item, one per variation otherwise. */
export function listingRecords(item: MlItem, description?: string): ListingRecord[] {
  const base: ListingRecord = { id: item.id };
  const set = (key: string, v: unknown) => {
    if (v !== undefined && v !== null && v !== "") base[key] = v;
  };
  set("title", item.title);
  set("category_id", item.category_id);
  set("price", item.price);
  set("currency_id", item.currency_id);
  set("available_quantity", item.available_quantity);
  set("condition", item.condition);
  set("permalink", item.permalink);
  set("seller_custom_field", item.seller_custom_field);
  const pictures = (item.pictures ?? []).map(pictureUrl).filter((u): u is string => Boolean(u));
  if (pictures.length) base.pictures = pictures;
  if (description !== undefined) set("description", description);
  putAttributes(base, item.attributes);
  if (!item.variations?.length) return [base];

  return item.variations.map((v) => {
    const record: ListingRecord = { ...base, variation_id: String(v.id) };
    delete record.seller_custom_field;
    if (v.price !== undefined) record.price = v.price;
    if (v.available_quantity !== undefined) record.available_quantity = v.available_quantity;
    if (v.seller_custom_field) record.seller_custom_field = v.seller_custom_field;
    // A variation's own SKU and GTIN are its own, never its parent's.
    delete record["attributes.SELLER_SKU"];
    delete record["attributes.GTIN"];
    putAttributes(record, v.attributes);
    putAttributes(record, v.attribute_combinations);
    if (v.picture_ids?.length) {
      const byId = new Map((item.pictures ?? []).map((p) => [p.id, pictureUrl(p)]));
      const own = v.picture_ids.map((id) => byId.get(id)).filter((u): u is string => Boolean(u));
      if (own.length) record.pictures = own;
    }
    return record;
  });
}

const CANONICAL_OF: Record<string, string> = {
  title: "title",
  description: "description",
  price: "price",
  currency_id: "currency",
  available_quantity: "stock",
  condition: "condition",
  category_id: "category_id",
  pictures: "images",
  permalink: "url",
  "attributes.GTIN": "gtin",
};

/**
 * The built-in mapping: a listing record → the canonical record. `sku` is SELLER_SKU, else
 * seller_custom_field; GTIN goes to `gtin`; every other attribute stays in `attributes` (BRAND and
 * MODEL included, as the mercadolivre pack reads them); a variation names its item in `parent_sku`.
 */
export function canonicalRecord(listing: ListingRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const attributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(listing)) {
    const target = CANONICAL_OF[key];
    if (target) out[target] = value;
    else if (key.startsWith("attributes.") && key !== "attributes.SELLER_SKU") attributes[key.slice("attributes.".length)] = value;
  }
  const sku = listing["attributes.SELLER_SKU"] ?? listing.seller_custom_field;
  if (sku !== undefined) out.sku = sku;
  if (Object.keys(attributes).length) out.attributes = attributes;
  if (listing.variation_id !== undefined) out.parent_sku = listing.id;
  return out;
}

function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** Where a canonical field goes back to in the listing record it came from. */
function listingKey(field: string, listing: ListingRecord): string | undefined {
  if (field === "sku") return listing["attributes.SELLER_SKU"] === undefined && listing.seller_custom_field !== undefined ? "seller_custom_field" : "attributes.SELLER_SKU";
  if (field === "gtin") return "attributes.GTIN";
  const key = Object.keys(CANONICAL_OF).find((k) => CANONICAL_OF[k] === field);
  return key;
}

/** The listing-record name of a canonical field path (`images[2]` → `pictures[2]`), for issues' `column`. */
export function listingField(field: string, listing: ListingRecord): string {
  const m = /^([a-z_]+)(\[\d+\])?$/.exec(field);
  if (!m) return field;
  const key = listingKey(m[1], listing);
  return key ? key + (m[2] ?? "") : field;
}

/**
 * The built-in mapping backwards: the listing record with the canonical fields that fixes changed
 * written back to their own keys. Unchanged fields keep the listing's values exactly.
 */
export function correctedListing(listing: ListingRecord, before: Record<string, unknown>, after: Record<string, unknown>): ListingRecord {
  const out: ListingRecord = { ...listing };
  const write = (key: string | undefined, value: unknown) => {
    if (!key) return;
    if (value === undefined || value === null || value === "") delete out[key];
    else out[key] = value;
  };
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (field === "attributes" || field === "parent_sku" || same(before[field], after[field])) continue;
    write(listingKey(field, listing), after[field]);
  }
  const attrsBefore = (before.attributes ?? {}) as Record<string, unknown>;
  const attrsAfter = (after.attributes ?? {}) as Record<string, unknown>;
  for (const id of new Set([...Object.keys(attrsBefore), ...Object.keys(attrsAfter)])) {
    if (!same(attrsBefore[id], attrsAfter[id])) write(`attributes.${id}`, attrsAfter[id]);
  }
  return out;
}

/** One field a correction changed, by its listing-record name. */
export interface FieldChange {
  field: PushableField;
  from: unknown;
  to: unknown;
}

/** What fixes changed in a listing record, among the fields a push could write. */
export function listingChanges(before: ListingRecord, after: Record<string, unknown>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!isPushable(field) || same(before[field], after[field])) continue;
    changes.push({ field, from: before[field] ?? null, to: after[field] ?? null });
  }
  return changes;
}

/** A variation-level field of an item with variations: a push leaves it alone. */
export function isVariationField(field: string, item: MlItem): boolean {
  if (!item.variations?.length) return false;
  if (VARIATION_FIELDS.has(field)) return true;
  if (!field.startsWith("attributes.")) return false;
  const id = field.slice("attributes.".length);
  return item.variations.some((v) => [...(v.attribute_combinations ?? []), ...(v.attributes ?? [])].some((a) => a.id === id));
}

/** The item's current value of a listing-record field (description is read separately). */
export function currentValue(item: MlItem, field: PushableField): unknown {
  if (field.startsWith("attributes.")) {
    const id = field.slice("attributes.".length);
    return item.attributes?.find((a) => a.id === id)?.value_name ?? null;
  }
  if (field === "pictures") return (item.pictures ?? []).map(pictureUrl).filter(Boolean);
  return (item as unknown as Record<string, unknown>)[field] ?? null;
}
