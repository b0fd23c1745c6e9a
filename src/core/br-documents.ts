import { type Text, text } from "./text";

/**
 * Brazilian taxpayer ids: CPF (people, 11 digits) and CNPJ (companies, 14 characters).
 *
 * Both end in two check digits computed with modulus 11: each character is multiplied by a weight,
 * the products are summed, and the digit is 0 when the remainder is 0 or 1, else 11 − remainder;
 * the first check digit takes part in the second.
 *
 * From July 2026 new CNPJs are alphanumeric (Receita Federal, Instrução Normativa RFB nº 2.229 of
 * 15 October 2024): the first 12 positions (8 of root, 4 of establishment) may be digits or
 * upper-case letters, the last 2 stay numeric check digits. Receita's note on the calculation
 * (Nota Técnica COCAD/SUARA/RFB nº 49/2024, and the SERPRO manual "Cálculo dos dígitos
 * verificadores do CNPJ alfanumérico") keeps modulus 11 and its weights, and gives every character
 * the value of its ASCII code minus 48: digits keep their value, A = 17, B = 18 … Z = 42. Existing
 * numeric CNPJs therefore keep their check digits. Its worked example, 12.ABC.345/01DE-35, is in
 * the tests.
 */

export type TaxIdKind = "cpf" | "cnpj";

export type TaxIdResult = { ok: true; kind: TaxIdKind; normalized: string } | { ok: false; reason: Text };

const CPF_LENGTH = 11;
const CNPJ_LENGTH = 14;
/** Weights of CPF's first check digit (10 … 2); the second uses 11 … 2 over ten digits. */
const CPF_FIRST_WEIGHT = 10;
/** CNPJ weights for the second check digit; the first uses the same list without its first weight. */
const CNPJ_WEIGHTS = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
/** What people type between the groups: dots, slash, hyphen, spaces. */
const SEPARATORS = /[.\/\-\s]/g;

const ZERO = 48;

/** Modulus 11 check digit: 0 for remainders 0 and 1, else 11 − remainder. */
function checkDigit(sum: number): number {
  const rest = sum % 11;
  return rest < 2 ? 0 : 11 - rest;
}

function cpfCheckDigits(body: string): string {
  let first = 0;
  for (let i = 0; i < 9; i++) first += (body.charCodeAt(i) - ZERO) * (CPF_FIRST_WEIGHT - i);
  const d1 = checkDigit(first);
  let second = d1 * 2;
  for (let i = 0; i < 9; i++) second += (body.charCodeAt(i) - ZERO) * (CPF_FIRST_WEIGHT + 1 - i);
  return `${d1}${checkDigit(second)}`;
}

/** CNPJ check digits of its first 12 characters (digits or A–Z), valued as ASCII code − 48. */
function cnpjCheckDigits(body: string): string {
  let first = 0;
  let second = 0;
  for (let i = 0; i < 12; i++) {
    const value = body.charCodeAt(i) - ZERO;
    first += value * CNPJ_WEIGHTS[i + 1];
    second += value * CNPJ_WEIGHTS[i];
  }
  const d1 = checkDigit(first);
  second += d1 * CNPJ_WEIGHTS[12];
  return `${d1}${checkDigit(second)}`;
}

const refused = (reason: Text): TaxIdResult => ({ ok: false, reason });

/**
 * Checks a CPF or a CNPJ (numeric or alphanumeric) as people type it — `123.456.789-09`,
 * `12.345.678/0001-95`, `12.ABC.345/01DE-35` or bare — and gives its bare form (digits, and
 * upper-case letters for an alphanumeric CNPJ). 11 characters are a CPF, 14 a CNPJ. Numbers made
 * of one repeated digit pass the arithmetic but are not issued, so they are refused.
 *
 * @example validateTaxId("123.456.789-09") // { ok: true, kind: "cpf", normalized: "12345678909" }
 */
export function validateTaxId(raw: string): TaxIdResult {
  const bare = raw.replace(SEPARATORS, "").toUpperCase();
  if (bare === "") return refused(text("Enter a CPF or a CNPJ.", "Informe um CPF ou um CNPJ."));
  if (!/^[0-9A-Z]+$/.test(bare)) {
    return refused(
      text(
        "A CPF or CNPJ has only digits and, in the new CNPJ, letters (separators . / - are fine).",
        "CPF ou CNPJ têm só dígitos e, no CNPJ novo, letras (os separadores . / - podem ficar).",
      ),
    );
  }
  if (bare.length === CPF_LENGTH) return cpf(bare);
  if (bare.length === CNPJ_LENGTH) return cnpj(bare);
  return refused(
    text(
      `A CPF has 11 digits and a CNPJ 14 characters; this has ${bare.length}.`,
      `CPF tem 11 dígitos e CNPJ tem 14 caracteres; este tem ${bare.length}.`,
    ),
  );
}

function cpf(bare: string): TaxIdResult {
  if (!/^\d{11}$/.test(bare)) return refused(text("A CPF has digits only.", "CPF tem apenas dígitos."));
  if (/^(\d)\1{10}$/.test(bare)) return refused(text("This CPF does not exist (all digits the same).", "Este CPF não existe (todos os dígitos iguais)."));
  if (cpfCheckDigits(bare) !== bare.slice(9)) {
    return refused(text("This CPF's check digits are wrong: check it for a typo.", "Os dígitos verificadores deste CPF não conferem: confira se há erro de digitação."));
  }
  return { ok: true, kind: "cpf", normalized: bare };
}

function cnpj(bare: string): TaxIdResult {
  if (!/^\d{2}$/.test(bare.slice(12))) {
    return refused(text("A CNPJ ends in two numeric check digits.", "O CNPJ termina em dois dígitos verificadores numéricos."));
  }
  if (/^(.)\1{13}$/.test(bare)) return refused(text("This CNPJ does not exist (all characters the same).", "Este CNPJ não existe (todos os caracteres iguais)."));
  if (cnpjCheckDigits(bare) !== bare.slice(12)) {
    return refused(text("This CNPJ's check digits are wrong: check it for a typo.", "Os dígitos verificadores deste CNPJ não conferem: confira se há erro de digitação."));
  }
  return { ok: true, kind: "cnpj", normalized: bare };
}

/**
 * A bare CPF or CNPJ (as `validateTaxId` normalizes it) written the way documents show it:
 * `123.456.789-09`, `12.345.678/0001-95`, `12.ABC.345/01DE-35`. Anything else is returned as is.
 */
export function formatTaxId(normalized: string): string {
  if (/^\d{11}$/.test(normalized)) return normalized.replace(/^(\d{3})(\d{3})(\d{3})(\d{2})$/, "$1.$2.$3-$4");
  if (/^[0-9A-Z]{12}\d{2}$/.test(normalized)) return normalized.replace(/^(.{2})(.{3})(.{3})(.{4})(\d{2})$/, "$1.$2.$3/$4-$5");
  return normalized;
}
