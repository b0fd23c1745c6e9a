/**
 * Shopee items → the records Vitrine validates.
 *
 * `get_item_base_info` answers each item's shared fields; an item with `has_model` has models
 * (`get_model_list`), each a sellable unit with its own SKU, price, stock and GTIN. An item becomes
 * one "listing record" per sellable unit, under Shopee's own field names (`item_name`,
 * `item_sku`, `model_sku`, `stock`…): what a connector's mapping reads, what the corrected output
 * shows and what a push compares. The built-in mapping below turns it into the canonical record
 * the `shopee` pack checks.
 * https://open.shopee.com/documents/v2/v2.product.get_item_base_info?module=89&type=1
 * https://open.shopee.com/documents/v2/v2.product.get_model_list?module=89&type=1
 */

export interface ShopeePriceInfo {
  currency?: string;
  original_price?: number;
  current_price?: number;
}

export interface ShopeeStockInfoV2 {
  summary_info?: { total_reserved_stock?: number; total_available_stock?: number };
  seller_stock?: { location_id?: string; stock?: number }[];
}

export interface ShopeeAttribute {
  attribute_id: number;
  original_attribute_name?: string;
  attribute_value_list?: { value_id?: number; original_value_name?: string; value_unit?: string }[];
}

export interface ShopeeItem {
  item_id: number;
  category_id?: number;
  item_name?: string;
  description?: string;
  item_sku?: string;
  item_status?: string;
  price_info?: ShopeePriceInfo[];
  stock_info_v2?: ShopeeStockInfoV2;
  image?: { image_url_list?: string[]; image_id_list?: string[] };
  /** Kilograms, as a decimal string. */
  weight?: string | number;
  /** Centimetres. */
  dimension?: { package_length?: number; package_width?: number; package_height?: number };
  condition?: string;
  brand?: { brand_id?: number; original_brand_name?: string };
  attribute_list?: ShopeeAttribute[];
  has_model?: boolean;
  gtin_code?: string;
  /** Brazil: tax_info.ncm. */
  tax_info?: { ncm?: string };
}

export interface ShopeeModel {
  model_id: number;
  model_sku?: string;
  model_name?: string;
  price_info?: ShopeePriceInfo[];
  stock_info_v2?: ShopeeStockInfoV2;
  gtin_code?: string;
  tier_index?: number[];
}

/** An item with its models (empty when it has none), as a sync reads it. */
export interface ShopeeListing {
  item: ShopeeItem;
  models: ShopeeModel[];
}

/** A listing record: Shopee's field names; attributes as `attributes.<attribute_id>`. */
export type ShopeeRecord = Record<string, unknown> & { id: string; variation_id?: string };

/** Fields a push may write with update_item (price and stock have their own calls and are not written). */
export const SHOPEE_PUSHABLE_FIELDS = ["item_name", "description", "item_sku", "condition", "weight", "package_length", "package_width", "package_height"] as const;
export type ShopeePushableField = (typeof SHOPEE_PUSHABLE_FIELDS)[number];

export function isShopeePushable(field: string): field is ShopeePushableField {
  return (SHOPEE_PUSHABLE_FIELDS as readonly string[]).includes(field);
}

/** Fields that belong to a model when the item has models. */
const MODEL_FIELDS = new Set(["model_sku", "model_name", "price", "stock", "gtin_code"]);

function price(info: ShopeePriceInfo[] | undefined): number | undefined {
  const first = info?.[0];
  return first?.current_price ?? first?.original_price;
}

function stock(info: ShopeeStockInfoV2 | undefined): number | undefined {
  const total = info?.summary_info?.total_available_stock;
  if (typeof total === "number") return total;
  const rows = info?.seller_stock;
  return rows?.length ? rows.reduce((sum, r) => sum + (r.stock ?? 0), 0) : undefined;
}

function kilograms(weight: string | number | undefined): number | undefined {
  const n = typeof weight === "number" ? weight : typeof weight === "string" && weight.trim() !== "" ? Number(weight) : NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** The listing records of one item: one for an item without models, one per model otherwise. */
export function shopeeRecords({ item, models }: ShopeeListing): ShopeeRecord[] {
  const base: ShopeeRecord = { id: String(item.item_id) };
  const set = (key: string, v: unknown) => {
    if (v !== undefined && v !== null && v !== "") base[key] = v;
  };
  set("item_name", item.item_name);
  set("description", item.description);
  set("item_sku", item.item_sku);
  set("category_id", item.category_id !== undefined ? String(item.category_id) : undefined);
  set("item_status", item.item_status);
  set("condition", item.condition);
  set("brand", item.brand?.original_brand_name);
  set("price", price(item.price_info));
  set("currency", item.price_info?.[0]?.currency);
  set("stock", stock(item.stock_info_v2));
  set("weight", kilograms(item.weight));
  set("package_length", item.dimension?.package_length || undefined);
  set("package_width", item.dimension?.package_width || undefined);
  set("package_height", item.dimension?.package_height || undefined);
  set("gtin_code", item.gtin_code);
  set("ncm", item.tax_info?.ncm);
  const images = (item.image?.image_url_list ?? []).filter((u) => typeof u === "string" && u !== "");
  if (images.length) base.images = images;
  for (const a of item.attribute_list ?? []) {
    const values = (a.attribute_value_list ?? []).map((v) => [v.original_value_name, v.value_unit].filter(Boolean).join(" ")).filter(Boolean);
    if (Number.isInteger(a.attribute_id) && values.length) base[`attributes.${a.attribute_id}`] = values.join(", ");
  }
  if (!item.has_model || models.length === 0) return [base];
  return models.map((m) => {
    const record: ShopeeRecord = { ...base, variation_id: String(m.model_id) };
    // A model's SKU, price, stock and GTIN are its own, never its item's.
    for (const key of ["price", "stock", "gtin_code"]) delete record[key];
    const put = (key: string, v: unknown) => {
      if (v !== undefined && v !== null && v !== "") record[key] = v;
    };
    put("model_sku", m.model_sku);
    put("model_name", m.model_name);
    put("price", price(m.price_info));
    put("stock", stock(m.stock_info_v2));
    put("gtin_code", m.gtin_code);
    return record;
  });
}

/** Listing-record field → canonical field (and back); weight is kilograms at Shopee, grams in Vitrine. */
const CANONICAL_OF: Record<string, string> = {
  item_name: "title",
  description: "description",
  price: "price",
  currency: "currency",
  stock: "stock",
  condition: "condition",
  category_id: "category_id",
  images: "images",
  brand: "brand",
  package_length: "length_cm",
  package_width: "width_cm",
  package_height: "height_cm",
  gtin_code: "gtin",
  ncm: "ncm",
};

/**
 * The built-in mapping: a listing record → the canonical record. `sku` is the model's SKU, else
 * the item's; `weight_g` is the weight in grams; the condition in lower case (the pack lists
 * `new`, `used`); other attributes stay in `attributes`; a model names its item in `parent_sku`.
 */
export function shopeeCanonical(listing: ShopeeRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const attributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(listing)) {
    const target = CANONICAL_OF[key];
    if (target) out[target] = value;
    else if (key.startsWith("attributes.")) attributes[key.slice("attributes.".length)] = value;
  }
  if (typeof out.condition === "string") out.condition = out.condition.toLowerCase();
  if (typeof listing.weight === "number") out.weight_g = Math.round(listing.weight * 1000 * 1000) / 1000;
  const sku = listing.model_sku ?? listing.item_sku;
  if (sku !== undefined) out.sku = sku;
  if (Object.keys(attributes).length) out.attributes = attributes;
  if (listing.variation_id !== undefined) out.parent_sku = listing.id;
  return out;
}

function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function listingKey(field: string, listing: ShopeeRecord): string | undefined {
  if (field === "sku") return listing.variation_id !== undefined ? "model_sku" : "item_sku";
  if (field === "weight_g") return "weight";
  return Object.keys(CANONICAL_OF).find((k) => CANONICAL_OF[k] === field);
}

/** The listing-record name of a canonical field path (`images[2]` stays, `title` → `item_name`), for issues' `column`. */
export function shopeeColumn(field: string, listing: ShopeeRecord): string {
  const m = /^([a-z_]+)(\[\d+\])?$/.exec(field);
  if (!m) return field;
  const key = listingKey(m[1], listing);
  return key ? key + (m[2] ?? "") : field;
}

/** Canonical value → Shopee's value for the listing key it goes back to. */
function shopeeValue(key: string, value: unknown, listing: ShopeeRecord): unknown {
  if (key === "weight" && typeof value === "number") return Math.round(value) / 1000;
  if (key === "condition" && typeof value === "string") return typeof listing.condition === "string" && listing.condition === listing.condition.toUpperCase() ? value.toUpperCase() : value;
  return value;
}

/** The built-in mapping backwards: fields that fixes changed, written back to their Shopee keys. */
export function shopeeCorrected(listing: ShopeeRecord, before: Record<string, unknown>, after: Record<string, unknown>): ShopeeRecord {
  const out: ShopeeRecord = { ...listing };
  const write = (key: string | undefined, value: unknown) => {
    if (!key) return;
    if (value === undefined || value === null || value === "") delete out[key];
    else out[key] = shopeeValue(key, value, listing);
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

export interface ShopeeFieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** What fixes changed in a listing record, among the fields a push could write (model fields included: the push plan skips them). */
export function shopeeChanges(before: ShopeeRecord, after: Record<string, unknown>): ShopeeFieldChange[] {
  const changes: ShopeeFieldChange[] = [];
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!(isShopeePushable(field) || field === "model_sku") || same(before[field], after[field])) continue;
    changes.push({ field, from: before[field] ?? null, to: after[field] ?? null });
  }
  return changes;
}

/** A model-level field of an item with models: a push leaves it alone. */
export function isModelField(field: string, listing: ShopeeListing): boolean {
  return listing.models.length > 0 && MODEL_FIELDS.has(field);
}

/** The item's current value of a pushable field, as the listing record names it. */
export function shopeeCurrentValue(listing: ShopeeListing, field: string): unknown {
  const [record] = shopeeRecords({ item: listing.item, models: [] });
  return record[field] ?? null;
}
