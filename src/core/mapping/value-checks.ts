import { isValidGtin } from "../rules";
import { fold } from "../rules/values";
import { type Text, text } from "../text";
import { fieldInfo } from "./fields";
import { parseNumber } from "./numbers";
import { splitUnit, unitOf } from "./units";

/**
 * Do a column's sample values look like a field? Works on raw cells ("R$ 1.299,90", "url1|url2")
 * and on mapped values (1299.9, ["url1", "url2"]) alike, so the suggester can check candidate
 * columns and presets can check what their transforms produce.
 */
export interface ValueCheck {
  /** `unknown`: no values, or nothing to check for this field. */
  verdict: "fits" | "partly" | "contradicts" | "unknown";
  fitting: number;
  total: number;
  /** The values rule the field out (a "currency" column without a single currency code), rather than just cast doubt on it. */
  strict: boolean;
  reason: Text;
}

const CONDITION_WORDS = new Set([
  "new", "used", "refurbished", "not_specified",
  "novo", "nova", "usado", "usada", "seminovo", "seminova", "recondicionado", "recondicionada", "remanufaturado", "lacrado",
]);
const URL = /^https?:\/\/[^\s|;,]+$/i;
const IMAGE = /\.(?:jpe?g|png|webp|gif|avif|bmp|tiff?)(?:[?#]|$)/i;
const CURRENCY = /^[A-Za-z]{3}$/;
const GTIN_LENGTHS = new Set([8, 12, 13, 14]);
const DIGITS = /^\d+$/;
const NCM = /^\d{4}\.?\d{2}\.?\d{2}$/;
const SPACES = /\s+/;
const MAX_SHOWN = 40;

function present(values: readonly unknown[]): unknown[] {
  return values.filter((v) => v !== undefined && v !== null && !(typeof v === "string" && v.trim() === "") && !(Array.isArray(v) && v.length === 0));
}

function str(v: unknown): string {
  return Array.isArray(v) ? v.map(str).join("|") : String(v).trim();
}

function isNumberLike(v: unknown, withUnit: boolean): boolean {
  if (typeof v === "number") return Number.isFinite(v);
  if (typeof v !== "string") return false;
  if (parseNumber(v, "auto") !== undefined) return true;
  if (!withUnit) return false;
  const parts = splitUnit(v);
  return parts.unit !== "" && unitOf(parts.unit) !== undefined && parseNumber(parts.number, "auto") !== undefined;
}

/** The URLs of a cell: a list, or text with URLs separated by |, ;, commas or spaces. Undefined when some part is not a URL. */
function urlsOf(v: unknown): string[] | undefined {
  const parts = Array.isArray(v) ? v.map(str) : str(v).split(/[|;,\s]+/);
  const urls = parts.filter((p) => p.length > 0);
  return urls.length > 0 && urls.every((u) => URL.test(u)) ? urls : undefined;
}

function gtinDigits(v: unknown): string | undefined {
  const s = typeof v === "number" && Number.isInteger(v) ? String(v) : typeof v === "string" ? v.trim() : "";
  return DIGITS.test(s) && GTIN_LENGTHS.has(s.length) ? s : undefined;
}

function words(v: unknown): number {
  const s = str(v);
  return s.length === 0 ? 0 : s.split(SPACES).length;
}

/** One word and short, or a code-like token: what a title is not. */
function isCodeLike(v: unknown): boolean {
  const s = str(v);
  return !SPACES.test(s) && s.length < 25;
}

function isTitleLike(v: unknown): boolean {
  const s = str(v);
  return !URL.test(s) && !isNumberLike(s, false) && (words(s) >= 2 || s.length >= 20);
}

function shown(v: unknown): string {
  const s = str(v);
  return s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN - 1)}…` : s;
}

interface Rule {
  /** What fitting values are, as a plural noun phrase. */
  what: Text;
  fits(v: unknown): boolean;
  /** Share of fitting values from which the field is confirmed. */
  confirm: number;
  /** At or below this share the values contradict the field. */
  contradict: number;
  /** A contradiction rules the field out. */
  strict?: boolean;
  /** Values that contradict the field even when some "fit" (a SKU column full of GTINs). */
  against?: { what: Text; test(v: unknown): boolean; share: number };
}

function numeric(withUnit: boolean): Rule {
  return {
    what: text("numbers (1299.90 or 1.299,90)", "números (1299.90 ou 1.299,90)"),
    fits: (v) => isNumberLike(v, withUnit),
    confirm: 0.8,
    contradict: 0.2,
  };
}

function ruleFor(field: string, allowed?: readonly unknown[]): Rule | undefined {
  const twin = fieldInfo(field).aliasOf;
  if (twin) return ruleFor(twin, allowed);
  switch (field) {
    case "currency":
      return { what: text("ISO 4217 currency codes (like BRL)", "códigos de moeda ISO 4217 (como BRL)"), fits: (v) => CURRENCY.test(str(v)), confirm: 0.8, contradict: 0.2, strict: true };
    case "gtin":
      return {
        what: text("GTINs (8, 12, 13 or 14 digits)", "GTINs (8, 12, 13 ou 14 dígitos)"),
        fits: (v) => gtinDigits(v) !== undefined,
        confirm: 0.8,
        contradict: 0.2,
        strict: false,
      };
    case "sku":
      return {
        what: text("codes", "códigos"),
        fits: (v) => words(v) <= 3 && str(v).length <= 60,
        confirm: 0.8,
        contradict: 0.2,
        against: { what: text("valid GTINs (barcodes)", "GTINs válidos (códigos de barras)"), test: (v) => gtinDigits(v) !== undefined && isValidGtin(gtinDigits(v)!), share: 0.8 },
      };
    case "title":
      return {
        what: text("product names (text longer than a code)", "nomes de produto (texto mais longo que um código)"),
        fits: isTitleLike,
        confirm: 0.6,
        contradict: 0.2,
        against: { what: text("single words or codes", "palavras soltas ou códigos"), test: isCodeLike, share: 0.8 },
      };
    case "description":
      return {
        what: text("descriptions (long text)", "descrições (texto longo)"),
        fits: (v) => str(v).length > 80,
        confirm: 0.5,
        contradict: -1,
        against: { what: text("numbers or codes", "números ou códigos"), test: (v) => isCodeLike(v) || isNumberLike(v, false), share: 0.8 },
      };
    case "brand":
    case "model":
      return {
        what: text("names", "nomes"),
        fits: (v) => !URL.test(str(v)) && !isNumberLike(v, false),
        confirm: 0.8,
        contradict: 0.2,
      };
    case "images":
      return { what: text("web addresses (https://…)", "endereços web (https://…)"), fits: (v) => urlsOf(v) !== undefined, confirm: 0.8, contradict: 0, strict: true };
    case "url":
      return {
        what: text("web addresses (https://…)", "endereços web (https://…)"),
        fits: (v) => URL.test(str(v)),
        confirm: 0.8,
        contradict: 0,
        strict: true,
        against: { what: text("image files", "arquivos de imagem"), test: (v) => IMAGE.test(str(v)), share: 0.5 },
      };
    case "condition":
      return {
        what: text("conditions (novo, usado, new, used…)", "condições (novo, usado, new, used…)"),
        fits: (v) => CONDITION_WORDS.has(fold(str(v))) || (allowed ?? []).some((a) => fold(String(a)) === fold(str(v))),
        confirm: 0.5,
        contradict: 0,
      };
    case "ncm":
      return { what: text("NCM codes (8 digits)", "códigos NCM (8 dígitos)"), fits: (v) => NCM.test(str(v)), confirm: 0.8, contradict: 0.2 };
  }
  const info = fieldInfo(field);
  if (info.type === "decimal" || info.type === "integer") return numeric(info.unit !== undefined);
  if (allowed && allowed.length > 0) {
    const folded = new Set(allowed.map((a) => fold(String(a))));
    return { what: text(`one of ${allowed.join(", ")}`, `um de ${allowed.join(", ")}`), fits: (v) => folded.has(fold(str(v))), confirm: 0.8, contradict: -1 };
  }
  return undefined;
}

/**
 * Checks sample values against what `field` holds. `allowed` narrows fields with a closed set of
 * values (a template's `values`).
 */
export function checkValues(field: string, values: readonly unknown[], allowed?: readonly unknown[]): ValueCheck {
  const sample = present(values);
  const rule = ruleFor(field, allowed);
  const none: ValueCheck = { verdict: "unknown", fitting: 0, total: sample.length, strict: false, reason: text("no sample values to check", "sem valores de exemplo para conferir") };
  if (!rule || sample.length === 0) return none;
  const n = sample.length;
  if (rule.against) {
    const hits = sample.filter(rule.against.test);
    if (hits.length / n >= rule.against.share) {
      return {
        verdict: "contradicts",
        fitting: n - hits.length,
        total: n,
        strict: false,
        reason: text(
          `${hits.length} of ${n} sample values are ${rule.against.what.en}, e.g. "${shown(hits[0])}"`,
          `${hits.length} de ${n} valores de exemplo são ${rule.against.what["pt-BR"]}, por exemplo "${shown(hits[0])}"`,
        ),
      };
    }
  }
  const fitting = sample.filter(rule.fits);
  const share = fitting.length / n;
  if (share >= rule.confirm) {
    return {
      verdict: "fits",
      fitting: fitting.length,
      total: n,
      strict: false,
      reason: text(`${fitting.length} of ${n} sample values are ${rule.what.en}`, `${fitting.length} de ${n} valores de exemplo são ${rule.what["pt-BR"]}`),
    };
  }
  if (share <= rule.contradict) {
    const odd = sample.find((v) => !rule.fits(v));
    return {
      verdict: "contradicts",
      fitting: fitting.length,
      total: n,
      strict: rule.strict === true,
      reason: text(
        `${fitting.length} of ${n} sample values are ${rule.what.en}; e.g. "${shown(odd)}" is not`,
        `${fitting.length} de ${n} valores de exemplo são ${rule.what["pt-BR"]}; "${shown(odd)}", por exemplo, não é`,
      ),
    };
  }
  return {
    verdict: "partly",
    fitting: fitting.length,
    total: n,
    strict: false,
    reason: text(`${fitting.length} of ${n} sample values are ${rule.what.en}`, `${fitting.length} de ${n} valores de exemplo são ${rule.what["pt-BR"]}`),
  };
}
