import { formatNumber, NUMBER_LOCALES, type NumberLocale, numberText, parseNumber, round, usesDecimalComma } from "../mapping/numbers";
import { displayValue } from "../rules/values";
import { text } from "../text";
import { FAIL, type Failure, type Operation } from "./types";

const NOT_A_NUMBER: Failure = {
  rule: "mapping.number.invalid",
  message: (value, column) => text(`"${displayValue(value)}" in column ${column} is not a number`, `"${displayValue(value)}" na coluna ${column} não é um número`),
};

/** Reads numbers written the Brazilian or the US way ("R$ 1.234,56", "1,234.56") into numbers. */
export const number: Operation = {
  name: "number",
  family: "number",
  params: { locale: { kind: "text", values: NUMBER_LOCALES }, decimals: { kind: "int", min: 0, max: 10 } },
  scalar: true,
  compile(p) {
    const locale: NumberLocale = p.locale ?? "auto";
    const decimals: number | undefined = p.decimals;
    return {
      forward(v) {
        const n = parseNumber(v, locale);
        return n === undefined ? FAIL : decimals === undefined ? n : round(n, decimals);
      },
      reverse(v, orig) {
        if (typeof v !== "number" || !Number.isFinite(v)) return typeof v === "string" ? v : FAIL;
        const comma = locale === "pt-BR" || (locale === "auto" && usesDecimalComma(orig));
        return numberText(v, comma, decimals !== undefined && !Number.isInteger(v) ? decimals : undefined);
      },
      failure: NOT_A_NUMBER,
    };
  },
};

/** Writes numbers for people: "1.234,56" (pt-BR) or "1,234.56" (en). */
export const formatNumberOp: Operation = {
  name: "format_number",
  family: "number",
  params: { locale: { kind: "text", values: ["pt-BR", "en"] }, decimals: { kind: "int", min: 0, max: 10 }, grouping: { kind: "bool" } },
  scalar: true,
  compile(p) {
    const locale: "pt-BR" | "en" = p.locale ?? "pt-BR";
    return {
      forward(v) {
        const n = parseNumber(v, "auto");
        return n === undefined ? FAIL : formatNumber(n, locale, p.decimals, p.grouping ?? false);
      },
      reverse(v) {
        const n = parseNumber(v, locale);
        return n === undefined ? FAIL : n;
      },
      failure: NOT_A_NUMBER,
    };
  },
};

export const NUMBER_OPS: readonly Operation[] = [number, formatNumberOp];
