import { type CategoryDef, parsePack } from "../../rules";

/**
 * Mercado Livre's category attributes → rule-pack rules.
 *
 * GET /categories/{category_id}/attributes answers one object per attribute, with `tags`
 * (`required`, `catalog_required`, `conditional_required`, `read_only`, `hidden`, `fixed`,
 * `allow_variations`, …), `value_type` (string, number, number_unit, boolean, list, …),
 * `value_max_length`, `values` ({ id, name }) and `allowed_units` ({ id, name }).
 * https://developers.mercadolivre.com.br/pt_br/atributos
 * https://developers.mercadolivre.com.br/en_us/categories-attributes
 */
export interface MlCategoryAttribute {
  id: string;
  name?: string;
  tags?: Record<string, unknown>;
  value_type?: string;
  value_max_length?: number;
  values?: { id?: string; name?: string }[];
  allowed_units?: { id?: string; name?: string }[];
}

/** A category's rules as compiled from its attributes, plus what pushes must never write. */
export interface LiveCategory {
  category: CategoryDef;
  /** Attributes tagged read_only: the seller cannot change them, so a push never sends them. */
  readOnly: string[];
}

/** Lists longer than this are not turned into one_of checks (some brand lists run into thousands). */
export const MAX_LISTED_VALUES = 500;
/** Longest unit pattern a rule may carry (the rule engine refuses longer patterns). */
const MAX_PATTERN = 256;
const ATTRIBUTE_ID = /^[A-Za-z0-9_-]{1,100}$/;
const SOURCE = "GET /categories/{category}/attributes (https://developers.mercadolivre.com.br/pt_br/atributos)";

/** Where the built-in item mapping puts an attribute: GTIN and SELLER_SKU have canonical fields of their own. */
export function attributeField(attributeId: string): string {
  if (attributeId === "GTIN") return "gtin";
  if (attributeId === "SELLER_SKU") return "sku";
  return `attributes.${attributeId}`;
}

const tag = (a: MlCategoryAttribute, name: string) => a.tags?.[name] === true;

/** Literal braces in a rule message are written doubled ({{ }}); names come from Mercado Livre. */
function literal(s: string): string {
  return s.replaceAll("{", "{{").replaceAll("}", "}}");
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

interface RuleDoc {
  id: string;
  field: string;
  check: string;
  severity?: "error" | "warning" | "info";
  when?: unknown;
  message: { en: string; "pt-BR": string };
  source: string;
  [param: string]: unknown;
}

/** Rule ids stay stable across refreshes: they name the category and the attribute, never a position. */
function ruleId(categoryId: string, attributeId: string, kind: string): string {
  return `ml.live.${categoryId.toLowerCase()}.${attributeId.toLowerCase().replace(/[^a-z0-9_]/g, "_")}.${kind}`;
}

function attributeRules(categoryId: string, a: MlCategoryAttribute): RuleDoc[] {
  const rules: RuleDoc[] = [];
  const field = attributeField(a.id);
  const name = literal(a.name?.trim() || a.id);
  const label = name === a.id ? a.id : `${a.id} (${name})`;
  const source = `${SOURCE.replace("{category}", categoryId)}: ${a.id}`;
  const readOnly = tag(a, "read_only");

  if (!readOnly) {
    if (a.id === "GTIN" && (tag(a, "required") || tag(a, "conditional_required"))) {
      // GTIN is required unless EMPTY_GTIN_REASON says why the product has none
      // (https://developers.mercadolivre.com.br/en_us/product-identifiers).
      rules.push({
        id: ruleId(categoryId, a.id, "required"),
        field,
        check: "required",
        severity: tag(a, "required") ? "error" : "warning",
        when: { field: "attributes.EMPTY_GTIN_REASON", exists: false },
        message: {
          en: `Mercado Livre requires the GTIN (barcode) in category ${categoryId}; if the product has none, say why in EMPTY_GTIN_REASON.`,
          "pt-BR": `O Mercado Livre exige o GTIN (código de barras) na categoria ${categoryId}; se o produto não tem, informe o motivo em EMPTY_GTIN_REASON.`,
        },
        source: `${source} (tags: ${tag(a, "required") ? "required" : "conditional_required"})`,
      });
    } else if (tag(a, "required")) {
      rules.push({
        id: ruleId(categoryId, a.id, "required"),
        field,
        check: "required",
        message: {
          en: `The attribute ${label} is required by Mercado Livre in category ${categoryId}.`,
          "pt-BR": `O atributo ${label} é obrigatório no Mercado Livre na categoria ${categoryId}.`,
        },
        source: `${source} (tags: required)`,
      });
    } else if (tag(a, "catalog_required")) {
      rules.push({
        id: ruleId(categoryId, a.id, "catalog_required"),
        field,
        check: "required",
        severity: "warning",
        message: {
          en: `The attribute ${label} is needed to list in Mercado Livre's catalog for category ${categoryId}.`,
          "pt-BR": `O atributo ${label} é necessário para anunciar no catálogo do Mercado Livre na categoria ${categoryId}.`,
        },
        source: `${source} (tags: catalog_required)`,
      });
    } else if (tag(a, "conditional_required")) {
      // Required only with some other values, which the attributes do not say: a note, not a warning.
      rules.push({
        id: ruleId(categoryId, a.id, "conditional_required"),
        field,
        check: "required",
        severity: "info",
        message: {
          en: `Mercado Livre requires the attribute ${label} in category ${categoryId} in some cases; fill it in if it applies to this product.`,
          "pt-BR": `O Mercado Livre exige o atributo ${label} na categoria ${categoryId} em alguns casos; preencha se ele se aplica a este produto.`,
        },
        source: `${source} (tags: conditional_required)`,
      });
    }
  }

  const listed = (a.values ?? []).map((v) => v.name?.trim()).filter((v): v is string => Boolean(v));
  const closedList = a.value_type === "list" || a.value_type === "boolean";
  if (closedList && listed.length > 0 && listed.length <= MAX_LISTED_VALUES && a.id !== "GTIN") {
    const sample = listed.slice(0, 5).map(literal).join(", ");
    rules.push({
      id: ruleId(categoryId, a.id, "one_of"),
      field,
      check: "one_of",
      values: listed,
      case_insensitive: true,
      message: {
        en: `"{value}" is not one of the values Mercado Livre lists for ${label} in category ${categoryId} (e.g. ${sample}).`,
        "pt-BR": `"{value}" não é um dos valores que o Mercado Livre lista para ${label} na categoria ${categoryId} (por exemplo ${sample}).`,
      },
      source: `${source} (value_type: ${a.value_type}, ${listed.length} values)`,
    });
  }

  if (a.value_type === "string" && typeof a.value_max_length === "number" && a.value_max_length > 0) {
    rules.push({
      id: ruleId(categoryId, a.id, "max_length"),
      field,
      check: "max_length",
      max: Math.floor(a.value_max_length),
      message: {
        en: `The attribute ${label} has {length} characters; Mercado Livre accepts at most {max}.`,
        "pt-BR": `O atributo ${label} tem {length} caracteres; o Mercado Livre aceita no máximo {max}.`,
      },
      source: `${source} (value_max_length: ${a.value_max_length})`,
    });
  }

  if (a.value_type === "number") {
    rules.push({
      id: ruleId(categoryId, a.id, "number"),
      field,
      check: "type",
      type: "decimal",
      message: {
        en: `The attribute ${label} must be a number, but it is "{value}".`,
        "pt-BR": `O atributo ${label} deve ser um número, mas está "{value}".`,
      },
      source: `${source} (value_type: number)`,
    });
  }

  const units = (a.allowed_units ?? []).map((u) => u.name?.trim() || u.id?.trim()).filter((u): u is string => Boolean(u));
  if (a.value_type === "number_unit" && units.length > 0) {
    const pattern = `^\\s*\\d+(?:[.,]\\d+)?\\s*(?:${units.map(escapeRegex).join("|")})\\s*$`;
    if (pattern.length <= MAX_PATTERN) {
      const shown = units.map(literal).join(", ");
      rules.push({
        id: ruleId(categoryId, a.id, "unit"),
        field,
        check: "pattern",
        pattern,
        flags: "i",
        message: {
          en: `The attribute ${label} is "{value}"; write a number and one of the units Mercado Livre accepts: ${shown} (e.g. "128 ${literal(units[0])}").`,
          "pt-BR": `O atributo ${label} está "{value}"; escreva um número e uma das unidades que o Mercado Livre aceita: ${shown} (por exemplo "128 ${literal(units[0])}").`,
        },
        source: `${source} (value_type: number_unit, allowed_units)`,
      });
    }
  }
  return rules;
}

export interface CompileOptions {
  /** The category's name, for the pack's category list. */
  name?: string;
  /** Rules the pack already applies to every record, as `field check` pairs: not repeated per category. */
  covered?: ReadonlySet<string>;
  /** The hand-written section for this category: its rules that the live ones do not cover are kept. */
  handwritten?: CategoryDef;
}

export const coverageKey = (field: string, check: string) => `${field} ${check}`;

/** Checks the live attributes decide for a category (a hand-written one of these is replaced, not kept). */
const LIVE_CHECKS = new Set(["required", "one_of", "max_length", "type"]);

/**
 * Compiles a category's attributes into a validated category section of the mercadolivre pack.
 * The rules go through the pack parser, so they are checked exactly as hand-written ones are.
 */
export function compileCategoryRules(categoryId: string, attributes: readonly MlCategoryAttribute[], opts: CompileOptions = {}): LiveCategory {
  const covered = opts.covered ?? new Set<string>();
  const seen = new Set<string>();
  const docs: RuleDoc[] = [];
  const readOnly: string[] = [];
  for (const a of attributes) {
    if (typeof a?.id !== "string" || !ATTRIBUTE_ID.test(a.id) || seen.has(a.id)) continue;
    seen.add(a.id);
    if (tag(a, "read_only")) readOnly.push(a.id);
    for (const rule of attributeRules(categoryId, a)) {
      if (!covered.has(coverageKey(rule.field, rule.check))) docs.push(rule);
    }
  }
  const live = new Set(docs.map((r) => coverageKey(r.field, r.check)));
  const name = opts.name ?? opts.handwritten?.name ?? categoryId;
  const pack = {
    id: "mercadolivre-live",
    name: "Mercado Livre live category rules",
    version: "1.0.0",
    categories: { [categoryId]: { name, rules: docs } },
  };
  const parsed = parsePack(JSON.stringify(pack), { format: "json", trusted: true, limits: { maxBytes: 8 * 1024 * 1024 } });
  const rules = parsed.categories[0]?.rules ?? [];
  // What is required, and which values and lengths are allowed, is the marketplace's to say now;
  // hand-written checks attributes cannot express (formats, conditions) stay beside the live ones.
  const kept = (opts.handwritten?.rules ?? []).filter((r) => !LIVE_CHECKS.has(r.check) && !live.has(coverageKey(r.field, r.check)));
  return { category: { id: categoryId, name, rules: [...rules, ...kept] }, readOnly };
}
