/**
 * GS1 check digit validation for GTIN-8 (EAN-8), GTIN-12 (UPC-A), GTIN-13 (EAN-13) and GTIN-14.
 * Only digits are accepted: spaces, hyphens and other characters make the value invalid.
 */
export function isValidGtin(s: string): boolean {
  const n = s.length;
  if (n !== 8 && n !== 12 && n !== 13 && n !== 14) return false;
  let sum = 0;
  // Weights alternate 3,1,3,… starting from the digit left of the check digit.
  for (let i = n - 2, w = 3; i >= 0; i--, w = 4 - w) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    sum += d * w;
  }
  const check = s.charCodeAt(n - 1) - 48;
  if (check < 0 || check > 9) return false;
  return (10 - (sum % 10)) % 10 === check;
}

/**
 * "SEM GTIN", in any case and spacing: the NF-e convention (Nota Técnica 2017.001, fields cEAN and
 * cEANTrib) for a product that has no barcode. Brazilian ERPs keep it in the GTIN column.
 */
const NO_BARCODE = /^\s*sem\s*gtin\s*$/i;

/** True when the value says the product has no barcode ("SEM GTIN", " sem  gtin ", "Sem GTIN"). */
export function isNoBarcode(v: unknown): boolean {
  return typeof v === "string" && NO_BARCODE.test(v);
}

/**
 * Why a GTIN's GS1 prefix keeps it out of open trade: `restricted` — a Restricted Circulation
 * Number, issued by a store or a company for its own use (variable-weight items, in-store codes);
 * `coupon` — a coupon number.
 */
export type GtinPrefixKind = "restricted" | "coupon";

export const GTIN_PREFIX_KINDS: readonly GtinPrefixKind[] = ["restricted", "coupon"];

/**
 * Reads digit `i` of the GTIN as if it were right-aligned in the 14-digit field every GTIN fits
 * (GS1 General Specifications, "GTIN data structures": shorter GTINs are padded with leading zeros).
 */
function digit14(gtin: string, i: number): number {
  const at = i - (14 - gtin.length);
  return at < 0 ? 0 : gtin.charCodeAt(at) - 48;
}

/**
 * A GTIN-8 (on its own or padded into 12, 13 or 14 digits) has its own GS1-8 prefixes; it is
 * recognised by the five zeros that precede it after the GTIN-14 indicator digit.
 */
function isGtin8Body(gtin: string): boolean {
  for (let i = 1; i <= 5; i++) if (digit14(gtin, i) !== 0) return false;
  return true;
}

/**
 * The 3-digit GS1 prefix that decides the kind of a valid GTIN, as GS1 reads it: the first three
 * digits of the GTIN-13 data structure — for a GTIN-12 (UPC-A) that is "0" and its first two
 * digits, for a GTIN-14 the three digits after the indicator digit — and for a GTIN-8 its own
 * first three digits (the GS1-8 prefix).
 */
export function gs1Prefix(gtin: string): string {
  const start = isGtin8Body(gtin) ? 6 : 1;
  return String(digit14(gtin, start)) + String(digit14(gtin, start + 1)) + String(digit14(gtin, start + 2));
}

/**
 * The kind of GS1 prefix a valid GTIN has when it is not a trade item's global number; undefined
 * for ordinary GTINs (including 789 and 790, GS1 Brasil's prefixes). Source: GS1 General
 * Specifications, "GS1 Prefixes" and "GS1-8 Prefixes":
 *
 * - GTIN-12, GTIN-13, GTIN-14: 020–029 and 200–299 are Restricted Circulation Numbers within a
 *   geographic region, 040–049 within a company; 050–059 (formerly U.P.C. coupons, GS1 US),
 *   981–984 (coupons for common currency areas) and 990–999 are coupon numbers.
 * - GTIN-8: GS1-8 prefixes 000–099 and 200–299 are RCN-8, numbers restricted to one company.
 *
 * Expects a GTIN that passed {@link isValidGtin}.
 */
export function gtinPrefixKind(gtin: string): GtinPrefixKind | undefined {
  if (isGtin8Body(gtin)) {
    const first = digit14(gtin, 6);
    return first === 0 || first === 2 ? "restricted" : undefined;
  }
  const p = digit14(gtin, 1) * 100 + digit14(gtin, 2) * 10 + digit14(gtin, 3);
  if ((p >= 20 && p <= 29) || (p >= 40 && p <= 49) || (p >= 200 && p <= 299)) return "restricted";
  if ((p >= 50 && p <= 59) || (p >= 981 && p <= 984) || p >= 990) return "coupon";
  return undefined;
}
