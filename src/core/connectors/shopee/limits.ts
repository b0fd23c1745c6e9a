import type { PackDefinition, RuleDef } from "../../rules";

/**
 * A shop's own listing limits (`GET /api/v2/product/get_item_limit`, optionally for one
 * `category_id`) → the `shopee` pack's limit rules with the shop's numbers in place of the
 * fallback ones written in rules/shopee.yaml. Each limit is `{ min_limit, max_limit }`.
 * https://open.shopee.com/documents/v2/v2.product.get_item_limit?module=89&type=1
 */
export interface Limit {
  min_limit?: number;
  max_limit?: number;
}

export interface ShopeeItemLimit {
  price_limit?: Limit;
  stock_limit?: Limit;
  item_name_length_limit?: Limit;
  item_description_length_limit?: Limit;
  item_image_count_limit?: Limit;
}

/** The limits a shop's rules were compiled from, and the rules. */
export interface LiveLimits {
  /** `shop` or a category id. */
  scope: string;
  rules: RuleDef[];
}

const SOURCE = "GET /api/v2/product/get_item_limit (the shop's own limits; https://open.shopee.com/documents/v2/v2.product.get_item_limit?module=89&type=1)";

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined);

/**
 * The replacements: a rule of the base pack whose parameters come from a limit keeps its id,
 * message and fix (with the new maximum), so results and overrides name the same rules; a limit
 * the pack has no rule for (price) becomes a new rule.
 */
export function compileItemLimits(scope: string, limit: ShopeeItemLimit, base: PackDefinition): LiveLimits {
  const byId = new Map(base.rules.map((r) => [r.id, r]));
  const rules: RuleDef[] = [];
  const replace = (id: string, params: Record<string, number | undefined>) => {
    const rule = byId.get(id);
    const defined = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
    if (!rule || Object.keys(defined).length === 0) return;
    const fix = rule.fix?.map((f) => (f.op === "truncate" && defined.max !== undefined ? { ...f, max: defined.max } : f));
    rules.push({ ...rule, params: { ...rule.params, ...defined }, ...(fix && { fix }), source: SOURCE });
  };
  const name = limit.item_name_length_limit;
  replace("shopee.name.min_length", { min: num(name?.min_limit) });
  replace("shopee.name.max_length", { max: num(name?.max_limit) });
  const description = limit.item_description_length_limit;
  replace("shopee.description.min_length", { min: num(description?.min_limit) });
  replace("shopee.description.max_length", { max: num(description?.max_limit) });
  const images = limit.item_image_count_limit;
  replace("shopee.images.count", { min: num(images?.min_limit), max: num(images?.max_limit) });
  const stock = limit.stock_limit;
  replace("shopee.stock.max", { min: num(stock?.min_limit), max: num(stock?.max_limit) });
  const price = limit.price_limit;
  const min = num(price?.min_limit);
  const max = num(price?.max_limit);
  if (min !== undefined || max !== undefined) {
    const range = [min !== undefined ? `≥ ${min}` : "", max !== undefined ? `≤ ${max}` : ""].filter(Boolean).join(", ");
    rules.push({
      id: "shopee.price.range",
      field: "price",
      check: "range",
      params: { ...(min !== undefined && { min }), ...(max !== undefined && { max }) },
      severity: "error",
      each: false,
      message: {
        en: `The price is outside what this Shopee shop accepts (${range}).`,
        "pt-BR": `O preço está fora do que esta loja da Shopee aceita (${range}).`,
      },
      source: SOURCE,
      pointer: "/rules/live/price",
    });
  }
  return { scope, rules };
}
