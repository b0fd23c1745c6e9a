/**
 * Reads numbers written the Brazilian or the US way: "1.234,56", "R$ 1.234,56", "10,5",
 * "1,234.56", "1 234,56". Returns undefined when the text is not a number.
 *
 * With both separators, the last one is the decimal separator and the other must group thousands
 * in threes. With one kind only: a single separator is the decimal separator ("10,5" → 10.5,
 * "1.5" → 1.5, and so "1,234" → 1.234 and "1.234" → 1.234); repeated separators group thousands
 * ("1.234.567" → 1234567).
 */
export function parseLocaleNumber(text: string): number | undefined {
  let s = text.trim().replace(/R\$|US\$|[$€£]|\b(?:BRL|USD|EUR|reais)\b/gi, "");
  s = s.replace(/[\s\u00a0\u202f]+/g, "");
  let sign = "";
  if (s.startsWith("-") || s.startsWith("+")) {
    sign = s[0] === "-" ? "-" : "";
    s = s.slice(1);
  }
  if (!/^[\d.,]+$/.test(s) || !/\d/.test(s)) return undefined;
  const lastComma = s.lastIndexOf(",");
  const lastDot = s.lastIndexOf(".");
  let intPart: string;
  let frac = "";
  if (lastComma >= 0 && lastDot >= 0) {
    const dec = Math.max(lastComma, lastDot);
    const group = s[dec] === "," ? "." : ",";
    intPart = s.slice(0, dec);
    frac = s.slice(dec + 1);
    if (!/^\d+$/.test(frac) || !grouped(intPart, group)) return undefined;
  } else if (lastComma >= 0 || lastDot >= 0) {
    const sep = lastComma >= 0 ? "," : ".";
    const first = s.indexOf(sep);
    if (first === s.lastIndexOf(sep)) {
      intPart = s.slice(0, first) || "0";
      frac = s.slice(first + 1);
      if (!/^\d*$/.test(intPart) || !/^\d+$/.test(frac)) return undefined;
    } else {
      if (!grouped(s, sep)) return undefined;
      intPart = s;
    }
  } else intPart = s;
  const digits = intPart.replace(/[.,]/g, "");
  const n = Number(sign + digits + (frac ? "." + frac : ""));
  return Number.isFinite(n) ? n : undefined;
}

function grouped(s: string, sep: string): boolean {
  if (/^\d+$/.test(s)) return true;
  const parts = s.split(sep);
  if (!/^\d{1,3}$/.test(parts[0])) return false;
  for (let i = 1; i < parts.length; i++) if (!/^\d{3}$/.test(parts[i])) return false;
  return true;
}
