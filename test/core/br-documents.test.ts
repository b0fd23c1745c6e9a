import { describe, expect, it } from "vitest";
import { formatTaxId, validateTaxId } from "../../src/core/br-documents";

function reasonOf(raw: string) {
  const result = validateTaxId(raw);
  if (result.ok) throw new Error(`${raw} was accepted`);
  return result.reason;
}

describe("validateTaxId: CPF", () => {
  it("accepts valid CPFs, formatted or bare, and gives the bare digits", () => {
    expect(validateTaxId("123.456.789-09")).toEqual({ ok: true, kind: "cpf", normalized: "12345678909" });
    expect(validateTaxId("11144477735")).toEqual({ ok: true, kind: "cpf", normalized: "11144477735" });
    expect(validateTaxId(" 111.444.777-35 ")).toEqual({ ok: true, kind: "cpf", normalized: "11144477735" });
  });

  it("refuses wrong check digits, with a bilingual reason", () => {
    expect(reasonOf("123.456.789-00")).toEqual({
      en: "This CPF's check digits are wrong: check it for a typo.",
      "pt-BR": "Os dígitos verificadores deste CPF não conferem: confira se há erro de digitação.",
    });
    expect(validateTaxId("111.444.777-53").ok).toBe(false);
    // Two digits swapped.
    expect(validateTaxId("213.456.789-09").ok).toBe(false);
  });

  it("refuses numbers of one repeated digit, which pass the arithmetic but are never issued", () => {
    for (const d of "0123456789") expect(reasonOf(d.repeat(11))["pt-BR"]).toContain("todos os dígitos iguais");
  });

  it("refuses letters in an 11-character id", () => {
    expect(reasonOf("123456789A9").en).toBe("A CPF has digits only.");
  });
});

describe("validateTaxId: CNPJ", () => {
  it("accepts valid numeric CNPJs, formatted or bare", () => {
    expect(validateTaxId("12.345.678/0001-95")).toEqual({ ok: true, kind: "cnpj", normalized: "12345678000195" });
    expect(validateTaxId("11222333000181")).toEqual({ ok: true, kind: "cnpj", normalized: "11222333000181" });
    // A branch (0002) has its own check digits.
    expect(validateTaxId("11.222.333/0002-62").ok).toBe(true);
  });

  it("accepts Receita Federal's alphanumeric example 12.ABC.345/01DE-35, in any case", () => {
    expect(validateTaxId("12.ABC.345/01DE-35")).toEqual({ ok: true, kind: "cnpj", normalized: "12ABC34501DE35" });
    expect(validateTaxId("12abc34501de35")).toEqual({ ok: true, kind: "cnpj", normalized: "12ABC34501DE35" });
  });

  it("refuses wrong check digits in numeric and alphanumeric CNPJs", () => {
    expect(validateTaxId("12.345.678/0001-96").ok).toBe(false);
    expect(validateTaxId("12.ABC.345/01DE-36").ok).toBe(false);
    // One letter changed in the body.
    expect(validateTaxId("12.ABD.345/01DE-35").ok).toBe(false);
    expect(reasonOf("11.222.333/0001-18").en).toBe("This CNPJ's check digits are wrong: check it for a typo.");
  });

  it("refuses letters in the check digits and ids of one repeated character", () => {
    expect(reasonOf("12ABC34501DEAB")["pt-BR"]).toBe("O CNPJ termina em dois dígitos verificadores numéricos.");
    expect(reasonOf("00000000000000").en).toContain("all characters the same");
  });
});

describe("validateTaxId: anything else", () => {
  it("names the length it got, and refuses other characters and empty input", () => {
    expect(reasonOf("1234567890").en).toBe("A CPF has 11 digits and a CNPJ 14 characters; this has 10.");
    expect(reasonOf("12.345.678/0001-955")["pt-BR"]).toBe("CPF tem 11 dígitos e CNPJ tem 14 caracteres; este tem 15.");
    expect(reasonOf("123.456.789_09").en).toContain("only digits");
    expect(reasonOf("12.ÁBC.345/01DE-35").en).toContain("only digits");
    expect(reasonOf(" ").en).toBe("Enter a CPF or a CNPJ.");
  });
});

describe("formatTaxId", () => {
  it("writes bare ids the way documents show them, and leaves anything else alone", () => {
    expect(formatTaxId("12345678909")).toBe("123.456.789-09");
    expect(formatTaxId("12345678000195")).toBe("12.345.678/0001-95");
    expect(formatTaxId("12ABC34501DE35")).toBe("12.ABC.345/01DE-35");
    expect(formatTaxId("123")).toBe("123");
  });

  it("round-trips with validateTaxId", () => {
    for (const id of ["11144477735", "11222333000181", "12ABC34501DE35"]) {
      const result = validateTaxId(formatTaxId(id));
      expect(result).toMatchObject({ ok: true, normalized: id });
    }
  });
});
