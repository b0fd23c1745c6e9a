/** Fields of the canonical product record. Any `attributes.<KEY>` path is also known. */
export const CANONICAL_FIELDS = [
  "sku",
  "title",
  "description",
  "price",
  "sale_price",
  "currency",
  "stock",
  "gtin",
  "brand",
  "model",
  "condition",
  "category_id",
  "images",
  "attributes",
  "weight_g",
  "width_cm",
  "height_cm",
  "length_cm",
  "ncm",
  "warranty",
  "url",
] as const;

export type CanonicalField = (typeof CANONICAL_FIELDS)[number];

const FIELD_SET: ReadonlySet<string> = new Set(CANONICAL_FIELDS);
const ATTRIBUTE_PATH = /^attributes\.[A-Za-z0-9_-]{1,100}$/;
/**
 * Names every object inherits (`constructor`, `toString`, `__proto__`…): never marketplace
 * attributes, and reading or writing them would reach the prototype rather than the record.
 */
const INHERITED_NAMES: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), "__proto__", "prototype"]);

export function isKnownField(path: string): boolean {
  return FIELD_SET.has(path) || (ATTRIBUTE_PATH.test(path) && !INHERITED_NAMES.has(path.slice("attributes.".length)));
}

/** A record's own value for `key`: names it only inherits (`constructor`, `__proto__`) are absent. */
function own(o: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

/** Fields whose value is a list (`each` and `count` apply to them). `attributes.*` may hold lists too. */
export function isListField(path: string): boolean {
  return path === "images" || path.startsWith("attributes.");
}

export type Getter = (record: Record<string, unknown>) => unknown;

// One function per field with a named property load: each keeps its own monomorphic inline cache,
// where a shared `(r) => r[path]` would see every field name and go megamorphic on the hot path.
const TOP_LEVEL_GETTERS: Record<string, Getter> = {
  sku: (r) => r.sku,
  title: (r) => r.title,
  description: (r) => r.description,
  price: (r) => r.price,
  sale_price: (r) => r.sale_price,
  currency: (r) => r.currency,
  stock: (r) => r.stock,
  gtin: (r) => r.gtin,
  brand: (r) => r.brand,
  model: (r) => r.model,
  condition: (r) => r.condition,
  category_id: (r) => r.category_id,
  images: (r) => r.images,
  attributes: (r) => r.attributes,
  weight_g: (r) => r.weight_g,
  width_cm: (r) => r.width_cm,
  height_cm: (r) => r.height_cm,
  length_cm: (r) => r.length_cm,
  ncm: (r) => r.ncm,
  warranty: (r) => r.warranty,
  url: (r) => r.url,
};
export type Setter = (work: Record<string, unknown>, original: Record<string, unknown>, value: unknown) => void;

/**
 * Builds a getter for a known field path. Paths are split once here, not per record. For
 * `attributes.KEY` a flat `"attributes.KEY"` property is read when there is no nested value,
 * because CSV-mapped records sometimes keep the dotted column name.
 */
export function compileGetter(path: string): Getter {
  const dot = path.indexOf(".");
  if (dot < 0) return Object.hasOwn(TOP_LEVEL_GETTERS, path) ? TOP_LEVEL_GETTERS[path] : (r) => own(r, path);
  const head = path.slice(0, dot);
  const key = path.slice(dot + 1);
  // The head ("attributes") is read like any top-level field. The nested value is loaded first and
  // its ownership checked only when there is one: an absent attribute costs no `hasOwn` there.
  const getHead: Getter = Object.hasOwn(TOP_LEVEL_GETTERS, head) ? TOP_LEVEL_GETTERS[head] : (r) => own(r, head);
  return (r) => {
    const o = getHead(r);
    if (o !== null && typeof o === "object") {
      const v = (o as Record<string, unknown>)[key];
      if (v !== undefined && Object.hasOwn(o, key)) return v;
    }
    // The flat "attributes.KEY" column, checked the same way: no `hasOwn` when it is absent.
    const flat = r[path];
    return flat !== undefined && Object.hasOwn(r, path) ? flat : undefined;
  };
}

/**
 * Builds a setter that writes into `work`, a shallow copy of `original` owned by the validator.
 * A nested object shared with `original` is copied before its first write.
 */
export function compileSetter(path: string): Setter {
  const dot = path.indexOf(".");
  if (dot < 0) {
    return (w, _o, v) => {
      w[path] = v;
    };
  }
  const head = path.slice(0, dot);
  const key = path.slice(dot + 1);
  return (w, o, v) => {
    const nested = w[head];
    if (nested === null || typeof nested !== "object" || Array.isArray(nested)) {
      if (path in w) {
        w[path] = v;
        return;
      }
      w[head] = { [key]: v };
      return;
    }
    if ((nested as Record<string, unknown>)[key] === undefined && path in w) {
      w[path] = v;
      return;
    }
    const target = nested === o[head] ? { ...(nested as Record<string, unknown>) } : (nested as Record<string, unknown>);
    target[key] = v;
    w[head] = target;
  };
}
