import { fold } from "../rules/values";

export type Dimension = "mass" | "length";

interface Unit {
  symbol: string;
  dimension: Dimension;
  /** Size in the dimension's base unit (g, cm). */
  factor: number;
}

const UNITS: Unit[] = [
  { symbol: "mg", dimension: "mass", factor: 0.001 },
  { symbol: "g", dimension: "mass", factor: 1 },
  { symbol: "kg", dimension: "mass", factor: 1000 },
  { symbol: "t", dimension: "mass", factor: 1_000_000 },
  { symbol: "oz", dimension: "mass", factor: 28.349523125 },
  { symbol: "lb", dimension: "mass", factor: 453.59237 },
  { symbol: "mm", dimension: "length", factor: 0.1 },
  { symbol: "cm", dimension: "length", factor: 1 },
  { symbol: "m", dimension: "length", factor: 100 },
  { symbol: "km", dimension: "length", factor: 100_000 },
  { symbol: "in", dimension: "length", factor: 2.54 },
  { symbol: "ft", dimension: "length", factor: 30.48 },
];

/** Spellings sellers use, in Portuguese and English, folded (no accents, lower case). */
const ALIASES: Record<string, string> = {
  miligrama: "mg", miligramas: "mg",
  gr: "g", grs: "g", grama: "g", gramas: "g", gram: "g", grams: "g",
  kgs: "kg", kilo: "kg", kilos: "kg", quilo: "kg", quilos: "kg", quilograma: "kg", quilogramas: "kg", kilograma: "kg", kilogramas: "kg", kilogram: "kg", kilograms: "kg",
  ton: "t", tonelada: "t", toneladas: "t",
  lbs: "lb", libra: "lb", libras: "lb", pound: "lb", pounds: "lb",
  onca: "oz", oncas: "oz", ounce: "oz", ounces: "oz",
  milimetro: "mm", milimetros: "mm", millimeter: "mm", millimeters: "mm",
  centimetro: "cm", centimetros: "cm", centimeter: "cm", centimeters: "cm",
  metro: "m", metros: "m", meter: "m", meters: "m", mt: "m", mts: "m",
  quilometro: "km", quilometros: "km",
  pol: "in", polegada: "in", polegadas: "in", inch: "in", inches: "in", '"': "in",
  pe: "ft", pes: "ft", foot: "ft", feet: "ft",
};

const BY_SYMBOL = new Map(UNITS.map((u) => [u.symbol, u]));

/** The unit a name or symbol stands for ("Quilos" → kg); undefined when unknown. */
export function unitOf(name: string): Unit | undefined {
  const k = fold(name.trim()).replace(/\.$/, "");
  return BY_SYMBOL.get(k) ?? BY_SYMBOL.get(ALIASES[k] ?? "");
}

export const UNIT_SYMBOLS: readonly string[] = UNITS.map((u) => u.symbol);

export function convert(n: number, from: Unit, to: Unit): number {
  return (n * from.factor) / to.factor;
}

function isUnitChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 34 || c > 127 || c === 46;
}

/**
 * Splits "0,45 kg" into its number text and unit text ("0,45", "kg"); the unit text is "" when
 * the value is a bare number. No regex, so no backtracking on long cells.
 */
export function splitUnit(text: string): { number: string; unit: string } {
  const s = text.trim();
  let i = s.length;
  while (i > 0 && isUnitChar(s.charCodeAt(i - 1))) i--;
  // "1.5" must not lose its ".5": a unit starts with a letter or a quote
  while (i < s.length && s.charCodeAt(i) === 46) i++;
  return { number: s.slice(0, i).trim(), unit: s.slice(i).trim() };
}
