import { round, numberText, parseNumber, type NumberLocale, NUMBER_LOCALES, usesDecimalComma } from "../mapping/numbers";
import { convert, splitUnit, unitOf, UNIT_SYMBOLS } from "../mapping/units";
import { displayValue } from "../rules/values";
import { text } from "../text";
import { FAIL, type Operation } from "./types";

const DIMENSION_PT = { mass: "massa", length: "comprimento" } as const;

/** Converts a weight or a length from `from` (or the unit written in the value) to `to`. */
export const unit: Operation = {
  name: "unit",
  family: "units",
  params: {
    from: { kind: "text", required: true, minLength: 1, maxLength: 20 },
    to: { kind: "text", required: true, minLength: 1, maxLength: 20 },
    locale: { kind: "text", values: NUMBER_LOCALES },
    decimals: { kind: "int", min: 0, max: 10 },
  },
  scalar: true,
  compile(p, _ctx, problem) {
    const from = unitOf(p.from);
    const to = unitOf(p.to);
    const known = UNIT_SYMBOLS.join(", ");
    if (!from) problem(text(`unknown unit "${p.from}"; known units: ${known}`, `unidade "${p.from}" desconhecida; unidades conhecidas: ${known}`), "from");
    if (!to) problem(text(`unknown unit "${p.to}"; known units: ${known}`, `unidade "${p.to}" desconhecida; unidades conhecidas: ${known}`), "to");
    if (!from || !to) return undefined;
    if (from.dimension !== to.dimension) {
      problem(
        text(
          `cannot convert ${from.symbol} (${from.dimension}) to ${to.symbol} (${to.dimension})`,
          `não é possível converter ${from.symbol} (${DIMENSION_PT[from.dimension]}) em ${to.symbol} (${DIMENSION_PT[to.dimension]})`,
        ),
        "to",
      );
      return undefined;
    }
    const locale: NumberLocale = p.locale ?? "auto";
    const decimals: number | undefined = p.decimals;
    return {
      forward(v) {
        let n: number | undefined;
        let u = from;
        if (typeof v === "string") {
          const parts = splitUnit(v);
          if (parts.unit !== "") {
            const written = unitOf(parts.unit);
            if (!written || written.dimension !== from.dimension) return FAIL;
            u = written;
          }
          n = parseNumber(parts.number, locale);
        } else n = parseNumber(v, locale);
        return n === undefined ? FAIL : round(convert(n, u, to), decimals);
      },
      reverse(v, orig) {
        if (typeof v !== "number" || !Number.isFinite(v)) return FAIL;
        let u = from;
        let suffix = "";
        if (typeof orig === "string") {
          const parts = splitUnit(orig);
          const written = parts.unit ? unitOf(parts.unit) : undefined;
          if (written) {
            u = written;
            const trimmed = orig.trim();
            suffix = trimmed.slice(trimmed.length - parts.unit.length);
            if (trimmed.charAt(trimmed.length - parts.unit.length - 1) === " ") suffix = " " + suffix;
          }
        }
        const comma = locale === "pt-BR" || (locale === "auto" && usesDecimalComma(orig));
        return numberText(round(convert(v, to, u)), comma) + suffix;
      },
      failure: {
        rule: "mapping.unit.invalid",
        message: (value, column) =>
          text(
            `"${displayValue(value)}" in column ${column} is not a ${from.dimension} in ${from.symbol}`,
            `"${displayValue(value)}" na coluna ${column} não é um(a) ${from.dimension === "mass" ? "peso" : "medida"} em ${from.symbol}`,
          ),
      },
    };
  },
};

export const UNIT_OPS: readonly Operation[] = [unit];
