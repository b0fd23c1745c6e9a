/**
 * Three baselines implementing THE SAME RULES as the `mercadolivre` pack's general rule set (the
 * common rules it inherits, minus common.condition.one_of which it disables, plus its own rules;
 * no category section): a hand-written validator, an Ajv schema and a zod schema.
 *
 * Each returns the failing rule ids (one per failing list item for `each` rules), so the benchmark
 * can check that all four validators agree on every record before comparing speed.
 *
 * Known differences, none of which the generated records exercise: Ajv and zod compare
 * sale_price with price only when both are JSON numbers; the Ajv and zod URL, decimal and
 * forbidden-word tests are written with the same regular expressions as the hand-written one.
 */
import Ajv, { type ErrorObject } from "ajv";
import { z } from "zod";

export type Severity = "error" | "warning" | "info";

export interface BaselineIssue {
  rule: string;
  field: string;
  severity: Severity;
}

export interface BaselineResult {
  valid: boolean;
  issues: BaselineIssue[];
}

export interface Baseline {
  name: string;
  reset(): void;
  validate(record: Record<string, unknown>, row: number): BaselineResult;
}

// --- shared primitives (the semantics of the engine's checks, written independently) ----------

export const SEVERITY: Record<string, Severity> = {
  "common.sku.trim": "warning",
  "common.title.spaces": "info",
  "common.description.spaces": "info",
  "common.brand.spaces": "info",
  "ml.title.all_caps": "warning",
  "ml.title.promotional_words": "warning",
  "ml.stock.available": "warning",
  "ml.images.https": "warning",
};
const sev = (rule: string): Severity => SEVERITY[rule] ?? "error";

const DECIMAL = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;
const INTEGER = /^\s*[-+]?\d+\s*$/;
const LABEL = "[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?";
const URL_BODY = `:\\/\\/(?:[^\\s/?#@\\[\\]]+@)?(?:\\[[0-9A-Fa-f:.]+\\]|${LABEL}(?:\\.${LABEL})*\\.?)(?::\\d{1,5})?(?:[/?#]\\S*)?$`;
const HTTP_URL_SRC = `^(?:[hH][tT][tT][pP][sS]?)${URL_BODY}`;
const HTTPS_URL_SRC = `^(?:[hH][tT][tT][pP][sS])${URL_BODY}`;
const HTTP_URL = new RegExp(HTTP_URL_SRC, "u");
const HTTPS_URL = new RegExp(HTTPS_URL_SRC, "u");
const HTML_SRC = "<\\/?[A-Za-z][^<>]*>|<!--|&(?:#\\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});";
const HTML = new RegExp(HTML_SRC);
const CURRENCY = /^[A-Z]{3}$/;
const NCM = /^[0-9]{8}$/;
const LOWERCASE = /\p{Ll}/u;
const BLANK = /^\s*$/;
const SPACES_TO_COLLAPSE = /^\s|\s$|\s\s|[^\S ]/;

export const PROMO_WORDS = [
  "frete grátis", "promoção", "oferta", "desconto", "liquidação", "queima de estoque", "imperdível",
  "black friday", "menor preço",
];

function fold(s: string): string {
  return /^[\x00-\x7f]*$/.test(s) ? s.toLowerCase() : s.normalize("NFD").replace(/\p{M}+/gu, "").toLowerCase();
}
const FOLDED_PROMO = PROMO_WORDS.map((w) => fold(w));
/** Case- and accent-insensitive whole-word search (the folded text, word boundaries on letters/digits). */
const PROMO_RE = new RegExp(`(?<![\\p{L}\\p{N}])(?:${FOLDED_PROMO.map((w) => w.replace(/ /g, "[^\\p{L}\\p{N}]+")).join("|")})(?![\\p{L}\\p{N}])`, "u");
function hasPromoWord(s: string): boolean {
  return PROMO_RE.test(fold(s));
}

export function isAbsent(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === "string") return BLANK.test(v);
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === "object") return Object.keys(v as object).length === 0;
  return false;
}

function num(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "string" && DECIMAL.test(v)) return Number(v);
  return NaN;
}
const isDecimal = (v: unknown) => (typeof v === "number" ? Number.isFinite(v) : typeof v === "string" && DECIMAL.test(v));
const isInteger = (v: unknown) => (typeof v === "number" ? Number.isInteger(v) : typeof v === "string" && INTEGER.test(v));
const text = (v: unknown): string | undefined => (typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined);

function cpLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      n--;
      i++;
    }
  }
  return n;
}

export function isValidGtin(s: string): boolean {
  const n = s.length;
  if (n !== 8 && n !== 12 && n !== 13 && n !== 14) return false;
  let sum = 0;
  for (let i = n - 2, w = 3; i >= 0; i--, w = 4 - w) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    sum += d * w;
  }
  const check = s.charCodeAt(n - 1) - 48;
  return check >= 0 && check <= 9 && (10 - (sum % 10)) % 10 === check;
}
/** A GTIN as Excel saves a long number in a CSV (7,89123E+12): common.gtin.scientific_notation, and check_digit skips it. */
const SCIENTIFIC = /^\s*[0-9]+(?:[.,][0-9]+)?[eE][+][0-9]+\s*$/;
const isScientific = (v: unknown) => typeof v === "string" && SCIENTIFIC.test(v);
const gtinOk = (v: unknown) =>
  typeof v === "string" ? isValidGtin(v) : typeof v === "number" && Number.isSafeInteger(v) && v > 0 && isValidGtin(String(v));

function asList(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (isAbsent(v)) return [];
  if (typeof v === "string") return v.split(/\s*\|\s*/).filter((x) => x.length > 0);
  return [v];
}

// --- 1. hand-written: the practical ceiling --------------------------------------------------

// Plain ASCII versions of the URL tests: any string they accept is accepted by the Unicode ones, so
// `ASCII.test(s) || UNICODE.test(s)` has the same meaning and skips \p{…} classes for the common case.
const ASCII_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?";
const ASCII_BODY = `:\\/\\/(?:[^\\s/?#@\\[\\]]+@)?(?:\\[[0-9A-Fa-f:.]+\\]|${ASCII_LABEL}(?:\\.${ASCII_LABEL})*\\.?)(?::\\d{1,5})?(?:[/?#]\\S*)?$`;
const HTTP_URL_ASCII = new RegExp(`^[hH][tT][tT][pP][sS]?${ASCII_BODY}`);
const HTTPS_URL_ASCII = new RegExp(`^[hH][tT][tT][pP][sS]${ASCII_BODY}`);
const isHttpUrl = (u: unknown) => typeof u === "string" && (HTTP_URL_ASCII.test(u) || HTTP_URL.test(u));
const isHttpsUrl = (u: unknown) => typeof u === "string" && (HTTPS_URL_ASCII.test(u) || HTTPS_URL.test(u));

function isBlankText(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!(c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0x1680)) return false;
  }
  return true;
}
function absent(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === "string") return isBlankText(v);
  if (typeof v === "object") {
    if (Array.isArray(v)) return v.length === 0;
    for (const _ in v as object) return false;
    return true;
  }
  return false;
}

class HandWritten implements Baseline {
  readonly name = "hand-written";
  private seen = new Map<string, number>();
  private issues: BaselineIssue[] = [];
  private valid = true;

  reset(): void {
    this.seen = new Map();
  }

  private fail(rule: string, field: string): void {
    const severity = sev(rule);
    if (severity === "error") this.valid = false;
    this.issues.push({ rule, field, severity });
  }

  validate(r: Record<string, unknown>, row: number): BaselineResult {
    this.issues = [];
    this.valid = true;

    const sku = r.sku;
    if (absent(sku)) this.fail("common.sku.required", "sku");
    else {
      const s = text(sku);
      if (typeof sku === "string" && (isBlankText(sku[0]) || isBlankText(sku[sku.length - 1]))) this.fail("common.sku.trim", "sku");
      if (s === undefined || (s.length > 100 && cpLength(s) > 100)) this.fail("common.sku.max_length", "sku");
      const key = (s ?? JSON.stringify(sku)).trim().toLowerCase();
      const first = this.seen.get(key);
      if (first === undefined) this.seen.set(key, row);
      else if (first !== row) this.fail("common.sku.unique", "sku");
    }

    const title = r.title;
    const titleAbsent = absent(title);
    if (titleAbsent) this.fail("common.title.required", "title");
    if (typeof title === "string" && SPACES_TO_COLLAPSE.test(title)) this.fail("common.title.spaces", "title");

    const description = r.description;
    if (typeof description === "string" && description.length > 0 && (isBlankText(description[0]) || isBlankText(description[description.length - 1]))) {
      this.fail("common.description.spaces", "description");
    }

    const brand = r.brand;
    if (typeof brand === "string" && SPACES_TO_COLLAPSE.test(brand)) this.fail("common.brand.spaces", "brand");

    const price = r.price;
    const priceAbsent = absent(price);
    if (priceAbsent) this.fail("common.price.required", "price");
    else {
      if (!isDecimal(price)) this.fail("common.price.type", "price");
      if (num(price) <= 0) this.fail("common.price.range", "price");
    }

    const sale = r.sale_price;
    if (!absent(sale)) {
      if (!isDecimal(sale)) this.fail("common.sale_price.type", "sale_price");
      if (num(sale) <= 0) this.fail("common.sale_price.range", "sale_price");
      if (!priceAbsent) {
        const a = num(sale);
        const b = num(price);
        const an = Number.isNaN(a);
        const bn = Number.isNaN(b);
        // A number against text is not comparable (the type rules report it).
        const holds = !an && !bn ? a < b : an !== bn ? true : String(text(sale)).trim() < String(text(price)).trim();
        if (!holds) this.fail("common.sale_price.below_price", "sale_price");
      }
    }

    const stock = r.stock;
    const stockAbsent = absent(stock);
    if (!stockAbsent) {
      if (!isInteger(stock)) this.fail("common.stock.type", "stock");
      if (num(stock) < 0) this.fail("common.stock.range", "stock");
    }

    if (!absent(r.gtin)) {
      if (isScientific(r.gtin)) this.fail("common.gtin.scientific_notation", "gtin");
      else if (!gtinOk(r.gtin)) this.fail("common.gtin.check_digit", "gtin");
    }

    const list = asList(r.images);
    for (let i = 0; i < list.length; i++) {
      const u = list[i];
      if (!absent(u) && !isHttpUrl(u)) this.fail("common.images.url", `images[${i}]`);
    }

    if (!absent(r.url) && !isHttpUrl(r.url)) this.fail("common.url.url", "url");

    const currency = r.currency;
    const currencyAbsent = absent(currency);
    if (!currencyAbsent && !CURRENCY.test(text(currency) ?? "")) this.fail("common.currency.format", "currency");

    const weight = r.weight_g;
    if (!absent(weight)) {
      if (!isDecimal(weight)) this.fail("common.weight_g.type", "weight_g");
      if (num(weight) <= 0) this.fail("common.weight_g.range", "weight_g");
    }

    if (!absent(r.ncm) && !NCM.test(text(r.ncm) ?? "")) this.fail("common.ncm.format", "ncm");

    // mercadolivre
    if (!titleAbsent) {
      const t = text(title);
      if (t === undefined || (t.length > 60 && cpLength(t) > 60)) this.fail("ml.title.max_length", "title");
      if (t === undefined || !LOWERCASE.test(t)) this.fail("ml.title.all_caps", "title");
      if (t !== undefined && hasPromoWord(t)) this.fail("ml.title.promotional_words", "title");
    }

    const condition = r.condition;
    if (absent(condition)) this.fail("ml.condition.required", "condition");
    else if (condition !== "new" && condition !== "used" && condition !== "not_specified") this.fail("ml.condition.one_of", "condition");

    if (currencyAbsent) this.fail("ml.currency.required", "currency");
    else if ((text(currency) ?? "").toLowerCase() !== "brl") this.fail("ml.currency.brl", "currency");

    if (stockAbsent) this.fail("ml.stock.required", "stock");
    else if (num(stock) < 1) this.fail("ml.stock.available", "stock");

    if (list.length === 0) this.fail("ml.images.required", "images");
    else {
      if (list.length > 12) this.fail("ml.images.count", "images");
      for (let i = 0; i < list.length; i++) {
        const u = list[i];
        if (!absent(u) && !isHttpsUrl(u)) this.fail("ml.images.https", `images[${i}]`);
      }
    }

    if (typeof description === "string" && (description.indexOf("<") >= 0 || description.indexOf("&") >= 0) && HTML.test(description)) {
      this.fail("ml.description.plain_text", "description");
    }
    if (!absent(description)) {
      const d = text(description);
      if (d === undefined || (d.length > 50000 && cpLength(d) > 50000)) this.fail("ml.description.max_length", "description");
    }

    const attrs = r.attributes as Record<string, unknown> | undefined;
    const b = attrs?.BRAND;
    if (absent(b)) this.fail("ml.attributes.brand.required", "attributes.BRAND");
    else {
      const bt = text(b);
      if (bt === undefined || (bt.length > 60 && cpLength(bt) > 60)) this.fail("ml.attributes.brand.max_length", "attributes.BRAND");
    }
    if (absent(attrs?.MODEL)) this.fail("ml.attributes.model.required", "attributes.MODEL");

    return { valid: this.valid, issues: this.issues };
  }
}

export function handWritten(): Baseline {
  return new HandWritten();
}

// --- 2. Ajv: compiled JSON Schema, allErrors, a custom gtin keyword --------------------------

// Regular expressions for what JSON Schema can only say with `pattern`.
const NON_BLANK = "\\S";
const POSITIVE_DECIMAL = "^\\s*\\+?(?:0*[1-9]\\d*\\.?\\d*|0*\\.\\d*[1-9]\\d*)(?:[eE][-+]?\\d+)?\\s*$";
const NON_NEGATIVE_DECIMAL = "^\\s*\\+?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?\\s*$";
const AT_LEAST_ONE = "^\\s*\\+?0*[1-9]\\d*\\.?\\d*\\s*$";
const ACCENTS: Record<string, string> = { a: "aáàâãä", e: "eéèêë", i: "iíìîï", o: "oóòôõö", u: "uúùûü", c: "cç", n: "nñ" };
/** Case- and accent-insensitive source for one folded word, since JSON Schema patterns have no flags. */
function insensitive(word: string): string {
  let out = "";
  for (const ch of word) {
    if (ch === " ") out += "[^\\p{L}\\p{N}]+";
    else if (/\p{L}/u.test(ch)) {
      const variants = ACCENTS[ch] ?? ch;
      out += `[${variants}${variants.toUpperCase()}]`;
    } else out += ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return out;
}
const PROMO_PATTERN = `(?<![\\p{L}\\p{N}])(?:${FOLDED_PROMO.map(insensitive).join("|")})(?![\\p{L}\\p{N}])`;

interface AjvRule {
  rule: string;
  schema: Record<string, unknown>;
}

const decimal = { anyOf: [{ type: "number" }, { type: "string", pattern: DECIMAL.source }] };
// A range rule passes a value that is not a number (the type rule reports it).
const notNumeric = [{ type: "string", not: { pattern: DECIMAL.source } }, { not: { type: ["number", "string"] } }];
const positive = { anyOf: [{ type: "number", exclusiveMinimum: 0 }, { type: "string", pattern: POSITIVE_DECIMAL }, ...notNumeric] };
const nonNegative = { anyOf: [{ type: "number", minimum: 0 }, { type: "string", pattern: NON_NEGATIVE_DECIMAL }, ...notNumeric] };
const atLeastOne = { anyOf: [{ type: "number", minimum: 1 }, { type: "string", pattern: AT_LEAST_ONE }, ...notNumeric] };
const notBlank = { not: { type: "string", pattern: "^\\s*$" } };
const trimmed = { not: { type: "string", pattern: "^\\s|\\s$" } };
const collapsed = { not: { type: "string", pattern: SPACES_TO_COLLAPSE.source } };
const textMax = (n: number) => ({ anyOf: [{ type: "number" }, { type: "string", maxLength: n }] });

const AJV_FIELDS: Record<string, AjvRule[]> = {
  sku: [
    { rule: "common.sku.required", schema: notBlank },
    { rule: "common.sku.trim", schema: trimmed },
    { rule: "common.sku.max_length", schema: textMax(100) },
  ],
  title: [
    { rule: "common.title.required", schema: notBlank },
    { rule: "common.title.spaces", schema: collapsed },
    { rule: "ml.title.max_length", schema: textMax(60) },
    { rule: "ml.title.all_caps", schema: { type: "string", pattern: "\\p{Ll}" } },
    { rule: "ml.title.promotional_words", schema: { not: { type: "string", pattern: PROMO_PATTERN } } },
  ],
  description: [
    { rule: "common.description.spaces", schema: trimmed },
    { rule: "ml.description.plain_text", schema: { not: { type: "string", pattern: HTML_SRC } } },
    { rule: "ml.description.max_length", schema: textMax(50000) },
  ],
  brand: [{ rule: "common.brand.spaces", schema: collapsed }],
  price: [
    { rule: "common.price.required", schema: notBlank },
    { rule: "common.price.type", schema: decimal },
    { rule: "common.price.range", schema: positive },
  ],
  sale_price: [
    { rule: "common.sale_price.type", schema: decimal },
    { rule: "common.sale_price.range", schema: positive },
    { rule: "common.sale_price.below_price", schema: { anyOf: [{ not: { type: "number" } }, { exclusiveMaximum: { $data: "1/price" } }] } },
  ],
  stock: [
    { rule: "ml.stock.required", schema: notBlank },
    { rule: "common.stock.type", schema: { anyOf: [{ type: "integer" }, { type: "string", pattern: INTEGER.source }] } },
    { rule: "common.stock.range", schema: nonNegative },
    { rule: "ml.stock.available", schema: atLeastOne },
  ],
  gtin: [
    { rule: "common.gtin.scientific_notation", schema: { not: { type: "string", pattern: SCIENTIFIC.source } } },
    { rule: "common.gtin.check_digit", schema: { anyOf: [{ type: "string", pattern: SCIENTIFIC.source }, { gtin: true }] } },
  ],
  images: [
    { rule: "ml.images.required", schema: { type: "array", minItems: 1 } },
    { rule: "ml.images.count", schema: { maxItems: 12 } },
  ],
  url: [{ rule: "common.url.url", schema: { type: "string", pattern: HTTP_URL_SRC } }],
  currency: [
    { rule: "ml.currency.required", schema: notBlank },
    { rule: "common.currency.format", schema: { type: "string", pattern: CURRENCY.source } },
    { rule: "ml.currency.brl", schema: { type: "string", pattern: "^[Bb][Rr][Ll]$" } },
  ],
  weight_g: [
    { rule: "common.weight_g.type", schema: decimal },
    { rule: "common.weight_g.range", schema: positive },
  ],
  ncm: [{ rule: "common.ncm.format", schema: { type: "string", pattern: NCM.source } }],
  condition: [
    { rule: "ml.condition.required", schema: notBlank },
    { rule: "ml.condition.one_of", schema: { enum: ["new", "used", "not_specified"] } },
  ],
};
const AJV_IMAGE_ITEMS: AjvRule[] = [
  { rule: "common.images.url", schema: { type: "string", pattern: HTTP_URL_SRC } },
  { rule: "ml.images.https", schema: { type: "string", pattern: HTTPS_URL_SRC } },
];
const AJV_ATTRS: Record<string, AjvRule[]> = {
  BRAND: [
    { rule: "ml.attributes.brand.required", schema: notBlank },
    { rule: "ml.attributes.brand.max_length", schema: textMax(60) },
  ],
  MODEL: [{ rule: "ml.attributes.model.required", schema: notBlank }],
};
const AJV_REQUIRED: Record<string, string> = {
  sku: "common.sku.required",
  title: "common.title.required",
  price: "common.price.required",
  condition: "ml.condition.required",
  currency: "ml.currency.required",
  stock: "ml.stock.required",
  images: "ml.images.required",
};

function buildAjvSchema(): { schema: Record<string, unknown>; byPath: Map<string, string> } {
  const byPath = new Map<string, string>();
  const allOf = (prefix: string, rules: AjvRule[]) =>
    rules.map((r, i) => {
      byPath.set(`${prefix}/allOf/${i}`, r.rule);
      return r.schema;
    });
  const properties: Record<string, unknown> = {};
  for (const [field, rules] of Object.entries(AJV_FIELDS)) properties[field] = { allOf: allOf(`#/properties/${field}`, rules) };
  (properties.images as { items?: unknown }).items = { allOf: allOf("#/properties/images/items", AJV_IMAGE_ITEMS) };
  const attrProps: Record<string, unknown> = {};
  for (const [key, rules] of Object.entries(AJV_ATTRS)) attrProps[key] = { allOf: allOf(`#/properties/attributes/properties/${key}`, rules) };
  properties.attributes = { type: "object", required: ["BRAND", "MODEL"], properties: attrProps };
  return { schema: { type: "object", required: [...Object.keys(AJV_REQUIRED), "attributes"], properties }, byPath };
}

function ajvRuleOf(e: ErrorObject, byPath: Map<string, string>): string[] {
  if (e.keyword === "required") {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    if (e.instancePath === "/attributes") return [missing === "BRAND" ? "ml.attributes.brand.required" : "ml.attributes.model.required"];
    if (missing === "attributes") return ["ml.attributes.brand.required", "ml.attributes.model.required"];
    return [AJV_REQUIRED[missing]];
  }
  // The rule is the allOf entry the failing keyword sits under: …/allOf/<i>/…
  const p = e.schemaPath;
  const at = p.indexOf("/allOf/");
  if (at < 0) return [];
  const end = p.indexOf("/", at + 7);
  const rule = byPath.get(end < 0 ? p : p.slice(0, end));
  return rule ? [rule] : [];
}

export function ajvBaseline(): Baseline {
  const ajv = new Ajv({ allErrors: true, $data: true, strict: false, unicodeRegExp: true });
  ajv.addKeyword({ keyword: "gtin", type: ["string", "number"], schemaType: "boolean", errors: false, validate: (_s: boolean, v: unknown) => gtinOk(v) });
  const { schema, byPath } = buildAjvSchema();
  const validateFn = ajv.compile(schema);
  let seen = new Map<string, number>();
  return {
    name: "Ajv",
    reset() {
      seen = new Map();
    },
    validate(r, row) {
      const issues: BaselineIssue[] = [];
      let valid = true;
      const push = (rule: string, field: string) => {
        const severity = sev(rule);
        if (severity === "error") valid = false;
        issues.push({ rule, field, severity });
      };
      // A value that is present but blank counts as absent: it fails `required` only.
      if (!validateFn(r)) {
        const done = new Set<string>();
        for (const e of validateFn.errors!) {
          for (const rule of ajvRuleOf(e, byPath)) {
            const field = e.instancePath.slice(1).replace(/\/(\d+)$/, "[$1]").replace(/\//g, ".");
            const key = `${rule}@${field}`;
            if (done.has(key)) continue;
            done.add(key);
            push(rule, field || "record");
          }
        }
      }
      const sku = r.sku;
      if (!isAbsent(sku)) {
        const key = (text(sku) ?? JSON.stringify(sku)).trim().toLowerCase();
        const first = seen.get(key);
        if (first === undefined) seen.set(key, row);
        else if (first !== row) push("common.sku.unique", "sku");
      }
      return { valid, issues };
    },
  };
}

// --- 3. zod v4: a schema with one check per rule; the issue message is the rule id -----------

const msg = (rule: string) => ({ error: rule });
const numberLike = z.union([z.number(), z.string()]);
const requiredOr = (required: string, other: string) => ({
  error: (iss: { input: unknown }) => (iss.input === undefined ? required : other),
});
const textOf = (v: string | number) => (typeof v === "string" ? v : String(v));

const zodSchema = z
  .object({
    sku: numberLike
      .refine((v) => !isAbsent(v), msg("common.sku.required"))
      .refine((v) => typeof v !== "string" || v === v.trim(), msg("common.sku.trim"))
      .refine((v) => cpLength(textOf(v)) <= 100, msg("common.sku.max_length")),
    title: z
      .string(requiredOr("common.title.required", "ml.title.max_length"))
      .refine((v) => !isAbsent(v), { ...msg("common.title.required"), abort: true })
      .refine((v) => !SPACES_TO_COLLAPSE.test(v), msg("common.title.spaces"))
      .refine((v) => cpLength(v) <= 60, msg("ml.title.max_length"))
      .regex(LOWERCASE, msg("ml.title.all_caps"))
      .refine((v) => !hasPromoWord(v), msg("ml.title.promotional_words")),
    description: z
      .string()
      .refine((v) => v === v.trim(), msg("common.description.spaces"))
      .refine((v) => !HTML.test(v), msg("ml.description.plain_text"))
      .refine((v) => cpLength(v) <= 50000, msg("ml.description.max_length"))
      .optional(),
    brand: z.string().refine((v) => !SPACES_TO_COLLAPSE.test(v), msg("common.brand.spaces")).optional(),
    price: numberLike
      .refine((v) => !isAbsent(v), { ...msg("common.price.required"), abort: true })
      .refine(isDecimal, msg("common.price.type"))
      .refine((v) => !(num(v) <= 0), msg("common.price.range")),
    sale_price: numberLike
      .refine(isDecimal, msg("common.sale_price.type"))
      .refine((v) => !(num(v) <= 0), msg("common.sale_price.range"))
      .optional(),
    stock: numberLike
      .refine((v) => !isAbsent(v), { ...msg("ml.stock.required"), abort: true })
      .refine(isInteger, msg("common.stock.type"))
      .refine((v) => !(num(v) < 0), msg("common.stock.range"))
      .refine((v) => !(num(v) < 1), msg("ml.stock.available")),
    gtin: numberLike
      .refine((v) => !isScientific(v), msg("common.gtin.scientific_notation"))
      .refine((v) => isScientific(v) || gtinOk(v), msg("common.gtin.check_digit"))
      .optional(),
    images: z
      .array(
        z
          .string()
          .regex(HTTP_URL, msg("common.images.url"))
          .regex(HTTPS_URL, msg("ml.images.https")),
        requiredOr("ml.images.required", "ml.images.required"),
      )
      .min(1, msg("ml.images.required"))
      // zod runs .max() before the items and stops there, so item issues would be lost: use refine.
      .refine((a) => a.length <= 12, msg("ml.images.count")),
    url: z.string().regex(HTTP_URL, msg("common.url.url")).optional(),
    currency: z
      .string(requiredOr("ml.currency.required", "common.currency.format"))
      .refine((v) => !isAbsent(v), { ...msg("ml.currency.required"), abort: true })
      .regex(CURRENCY, msg("common.currency.format"))
      .refine((v) => v.toLowerCase() === "brl", msg("ml.currency.brl")),
    weight_g: numberLike
      .refine(isDecimal, msg("common.weight_g.type"))
      .refine((v) => !(num(v) <= 0), msg("common.weight_g.range"))
      .optional(),
    ncm: z.string().regex(NCM, msg("common.ncm.format")).optional(),
    condition: z.enum(["new", "used", "not_specified"], requiredOr("ml.condition.required", "ml.condition.one_of")),
    attributes: z.looseObject({
      BRAND: z
        .string(requiredOr("ml.attributes.brand.required", "ml.attributes.brand.max_length"))
        .refine((v) => !isAbsent(v), { ...msg("ml.attributes.brand.required"), abort: true })
        .max(60, msg("ml.attributes.brand.max_length")),
      MODEL: z.string(requiredOr("ml.attributes.model.required", "ml.attributes.model.required")).refine((v) => !isAbsent(v), msg("ml.attributes.model.required")),
    }, requiredOr("ml.attributes.brand.required", "ml.attributes.brand.required")),
  })
  .loose()
  .refine(
    (r) => typeof r.sale_price !== "number" || typeof r.price !== "number" || r.sale_price < r.price,
    { error: "common.sale_price.below_price", path: ["sale_price"] },
  );

export function zodBaseline(): Baseline {
  let seen = new Map<string, number>();
  return {
    name: "zod",
    reset() {
      seen = new Map();
    },
    validate(r, row) {
      const issues: BaselineIssue[] = [];
      let valid = true;
      const push = (rule: string, field: string) => {
        const severity = sev(rule);
        if (severity === "error") valid = false;
        issues.push({ rule, field, severity });
      };
      const parsed = zodSchema.safeParse(r);
      if (!parsed.success) {
        for (const iss of parsed.error.issues) {
          const path = iss.path;
          const field = path.length === 2 && typeof path[1] === "number" ? `${String(path[0])}[${path[1]}]` : path.join(".");
          push(iss.message, field);
          // A missing attributes object misses both attributes.
          if (iss.message === "ml.attributes.brand.required" && path.length === 1) push("ml.attributes.model.required", "attributes.MODEL");
        }
      }
      const sku = r.sku;
      if (!isAbsent(sku)) {
        const key = (text(sku) ?? JSON.stringify(sku)).trim().toLowerCase();
        const first = seen.get(key);
        if (first === undefined) seen.set(key, row);
        else if (first !== row) push("common.sku.unique", "sku");
      }
      return { valid, issues };
    },
  };
}
