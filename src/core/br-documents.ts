import { type Text, text } from "./text";

/**
 * Brazilian tax ids: CPF (people, 11 digits) and CNPJ (companies, 14 characters; from July 2026
 * the first 12 may be letters too). Punctuation and spaces are ignored and letters are read in
 * upper case; the check digits are verified.
 */
export function validateTaxId(raw: string): { ok: true; kind: "cpf" | "cnpj"; normalized: string } | { ok: false; reason: Text } {
  const normalized = raw.replace(/[\s./-]/g, "").toUpperCase();
  if (/^\d{11}$/.test(normalized)) {
    return cpfValid(normalized)
      ? { ok: true, kind: "cpf", normalized }
      : { ok: false, reason: text("This CPF's check digits do not match.", "Os dígitos verificadores deste CPF não conferem.") };
  }
  if (/^[0-9A-Z]{12}\d{2}$/.test(normalized)) {
    return cnpjValid(normalized)
      ? { ok: true, kind: "cnpj", normalized }
      : { ok: false, reason: text("This CNPJ's check digits do not match.", "Os dígitos verificadores deste CNPJ não conferem.") };
  }
  return {
    ok: false,
    reason: text(
      "Enter a CPF (11 digits) or a CNPJ (14 characters, e.g. 11.222.333/0001-81 or 12.ABC.345/01DE-35).",
      "Informe um CPF (11 dígitos) ou um CNPJ (14 caracteres, ex.: 11.222.333/0001-81 ou 12.ABC.345/01DE-35).",
    ),
  };
}

function cpfValid(cpf: string): boolean {
  if (/^(\d)\1{10}$/.test(cpf)) return false;
  const digits = [...cpf].map(Number);
  const check = (length: number) => {
    let sum = 0;
    for (let i = 0; i < length; i++) sum += digits[i] * (length + 1 - i);
    const rest = (sum * 10) % 11;
    return rest === 10 ? 0 : rest;
  };
  return check(9) === digits[9] && check(10) === digits[10];
}

// Each character counts as its ASCII code minus 48 ("0" → 0, "A" → 17), as the Receita Federal defines it.
function cnpjValid(cnpj: string): boolean {
  if (/^(\d)\1{13}$/.test(cnpj)) return false;
  const values = [...cnpj].map((c) => c.charCodeAt(0) - 48);
  const check = (length: number) => {
    let sum = 0;
    for (let i = 0; i < length; i++) sum += values[i] * (((length - 1 - i) % 8) + 2);
    const rest = sum % 11;
    return rest < 2 ? 0 : 11 - rest;
  };
  return check(12) === values[12] && check(13) === values[13];
}
