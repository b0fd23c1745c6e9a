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
