/**
 * Brazilian product identifiers in every built-in pack: "SEM GTIN" (the NF-e value for a product
 * without a barcode), an empty GTIN with a reason, and GS1 restricted-circulation and coupon
 * prefixes.
 */
import { describe, expect, it } from "vitest";
import { compilePack, parsePack } from "../../src/core/rules";
import { check, issue, resolveBuiltin, ruleIds, withAttributes, withFields } from "./builtin-packs";
import { galaxyA15, ideapadSlim3, usedKettle } from "./fixtures";

const ML = "mercadolivre";
const GMC = "google-merchant";
const PACKS = ["common", ML, "shopee", GMC];

const SEM_GTIN = ["SEM GTIN", "Sem GTIN", "SEM  GTIN", " sem gtin ", "sem gtin"];

const attributes = (record: Record<string, unknown> | undefined) => record?.attributes as Record<string, unknown>;

describe("SEM GTIN is no barcode, never an invalid GTIN", () => {
  // What each pack asks for when the seller says "no barcode": nothing, or its own field.
  const expected: Record<string, string[]> = {
    common: [],
    shopee: [],
    [ML]: ["ml.gtin.empty_reason"],
    [GMC]: ["gmc.identifier_exists.no_barcode"],
  };

  describe.each(PACKS)("%s", (pack) => {
    it.each(SEM_GTIN)("%j", (gtin) => {
      const result = check(pack, withFields(galaxyA15, { gtin }));
      expect(ruleIds(result)).toEqual(expected[pack]);
      expect(result.issues.every((i) => i.severity === "warning")).toBe(true);
      expect(result.valid).toBe(true);
    });
  });

  it("an empty GTIN is absent: no GTIN rule runs on it in any pack", () => {
    for (const pack of PACKS) expect(ruleIds(check(pack, withFields(usedKettle, { gtin: "" }))), pack).toEqual([]);
  });

  it("a GTIN with a wrong check digit is still an error everywhere", () => {
    for (const pack of PACKS) expect(ruleIds(check(pack, withFields(galaxyA15, { gtin: "7892509125841" }))), pack).toEqual(["common.gtin.check_digit"]);
  });
});

describe("mercadolivre: SEM GTIN maps to EMPTY_GTIN_REASON", () => {
  it("apply_fixes fills EMPTY_GTIN_REASON with 17055160 and keeps the seller's SEM GTIN", () => {
    const result = check(ML, withFields(galaxyA15, { gtin: " sem gtin " }), { applyFixes: true });
    expect(result.valid).toBe(true);
    expect(issue(result, "ml.gtin.empty_reason")).toMatchObject({ field: "attributes.EMPTY_GTIN_REASON", severity: "warning", suggestion: "17055160", fixed: true });
    expect(attributes(result.corrected).EMPTY_GTIN_REASON).toBe("17055160");
    expect(result.corrected?.gtin).toBe(" sem gtin ");
  });

  it("explains the reason in Portuguese", () => {
    const result = check(ML, withFields(galaxyA15, { gtin: "SEM GTIN" }), { locale: "pt-BR" });
    expect(issue(result, "ml.gtin.empty_reason").message).toBe(
      'O GTIN está como SEM GTIN, então o produto não tem código de barras; o Mercado Livre pede o motivo em EMPTY_GTIN_REASON: 17055160 ("O produto não tem código cadastrado").',
    );
  });

  it("a reason the seller gave is kept", () => {
    const result = check(ML, withAttributes(withFields(galaxyA15, { gtin: "SEM GTIN" }), { EMPTY_GTIN_REASON: "17055161" }), { applyFixes: true });
    expect(ruleIds(result)).toEqual([]);
    expect(attributes(result.corrected).EMPTY_GTIN_REASON).toBe("17055161");
  });

  it.each([
    ["MLB1055", galaxyA15, "ml.mlb1055.gtin.empty_reason"],
    ["MLB1652", ideapadSlim3, "ml.mlb1652.gtin.empty_reason"],
  ])("%s, where a new item needs its GTIN, makes the missing reason an error that apply_fixes corrects", (category, base, rule) => {
    const record = withFields(base, { gtin: "Sem GTIN" });
    const plain = check(ML, record, { category });
    expect(ruleIds(plain)).toEqual(["ml.gtin.empty_reason", rule]);
    expect(issue(plain, rule).severity).toBe("error");
    expect(plain.valid).toBe(false);

    const fixed = check(ML, record, { category, applyFixes: true });
    expect(ruleIds(fixed)).toEqual(["ml.gtin.empty_reason"]);
    expect(fixed.valid).toBe(true);
    expect(attributes(fixed.corrected).EMPTY_GTIN_REASON).toBe("17055160");

    // A used item does not need a GTIN there: only the general hint remains.
    expect(ruleIds(check(ML, withFields(record, { condition: "used" }), { category }))).toEqual(["ml.gtin.empty_reason"]);
  });

  it("an empty GTIN with EMPTY_GTIN_REASON is already Mercado Livre's own form", () => {
    const record = withAttributes(withFields(galaxyA15, { gtin: "" }), { EMPTY_GTIN_REASON: "17055160" });
    expect(ruleIds(check(ML, record, { category: "MLB1055" }))).toEqual([]);
  });
});

describe("google-merchant: no barcode maps to identifier_exists = no", () => {
  it("apply_fixes sets identifier_exists to no and keeps the seller's SEM GTIN", () => {
    const result = check(GMC, withFields(galaxyA15, { gtin: "SEM  GTIN" }), { applyFixes: true });
    expect(result.valid).toBe(true);
    expect(issue(result, "gmc.identifier_exists.no_barcode")).toMatchObject({ field: "attributes.identifier_exists", suggestion: "no", fixed: true });
    expect(attributes(result.corrected).identifier_exists).toBe("no");
    expect(result.corrected?.gtin).toBe("SEM  GTIN");
  });

  it("an empty GTIN with a reason (EMPTY_GTIN_REASON) maps the same way", () => {
    const record = withAttributes(withFields(galaxyA15, { gtin: undefined }), { EMPTY_GTIN_REASON: "17055160" });
    const result = check(GMC, record, { applyFixes: true });
    expect(ruleIds(result)).toEqual(["gmc.identifier_exists.no_barcode"]);
    expect(attributes(result.corrected).identifier_exists).toBe("no");
    // Without a reason, an empty GTIN says nothing: brand + MPN identify the product.
    expect(ruleIds(check(GMC, withFields(galaxyA15, { gtin: undefined })))).toEqual([]);
  });

  it("SEM GTIN counts as no GTIN: without brand and MPN they are required until identifier_exists is no", () => {
    const record = withAttributes(withFields(usedKettle, { brand: undefined, gtin: "SEM GTIN" }), { mpn: undefined });
    const plain = check(GMC, record);
    expect(ruleIds(plain)).toEqual(["gmc.brand.required", "gmc.identifier_exists.no_barcode", "gmc.mpn.required"]);
    expect(plain.valid).toBe(false);
    const fixed = check(GMC, record, { applyFixes: true });
    expect(ruleIds(fixed)).toEqual(["gmc.identifier_exists.no_barcode"]);
    expect(fixed.valid).toBe(true);
  });

  it("identifier_exists = no next to SEM GTIN is consistent, and a seller's own yes is kept", () => {
    const record = withFields(galaxyA15, { gtin: "SEM GTIN" });
    expect(ruleIds(check(GMC, withAttributes(record, { identifier_exists: "no" })))).toEqual([]);
    expect(ruleIds(check(GMC, withAttributes(record, { identifier_exists: "yes" })))).toEqual([]);
  });

  it("explains itself in Portuguese", () => {
    const result = check(GMC, withFields(galaxyA15, { gtin: "sem gtin" }), { locale: "pt-BR" });
    expect(issue(result, "gmc.identifier_exists.no_barcode").message).toBe(
      "O produto não tem código de barras (SEM GTIN, ou EMPTY_GTIN_REASON sem GTIN); informe isso ao Google com identifier_exists = no.",
    );
  });
});

describe("GS1 prefixes: restricted circulation and coupons", () => {
  const RESTRICTED: [string, string][] = [
    ["20123451", "GTIN-8, GS1-8 prefix 2xx"],
    ["02012346", "GTIN-8, GS1-8 prefix 0xx"],
    ["212345678909", "GTIN-12 starting with 2"],
    ["412345678903", "GTIN-12 starting with 4"],
    ["0201234567899", "GTIN-13, 020"],
    ["0491234567894", "GTIN-13, 049"],
    ["2000000000015", "GTIN-13, 200"],
    ["2999999999991", "GTIN-13, 299"],
    ["10201234567896", "GTIN-14, 020 after the indicator"],
    ["82000000000011", "GTIN-14, 200 after the indicator"],
  ];
  const COUPON: [string, string][] = [
    ["512345678900", "GTIN-12 starting with 5"],
    ["0590000000006", "GTIN-13, 059"],
    ["9810000000013", "GTIN-13, 981"],
    ["9840000000003", "GTIN-13, 984"],
    ["9900000000011", "GTIN-13, 990"],
    ["19810000000010", "GTIN-14, 981 after the indicator"],
  ];

  const cases = [
    ...RESTRICTED.map(([gtin, what]) => ({ gtin, what, kind: "restricted" })),
    ...COUPON.map(([gtin, what]) => ({ gtin, what, kind: "coupon" })),
  ];

  describe.each(["common", ML, "shopee"])("%s: a warning", (pack) => {
    it.each(cases)("$gtin ($what) is flagged as $kind", ({ gtin, kind }) => {
      const result = check(pack, withFields(galaxyA15, { gtin }));
      expect(ruleIds(result)).toEqual([`common.gtin.${kind}_prefix`]);
      expect(result.issues[0].severity).toBe("warning");
      expect(result.valid).toBe(true);
    });
  });

  describe("google-merchant: an error (Google does not accept them)", () => {
    it.each(cases)("$gtin ($what) is flagged as $kind", ({ gtin, kind }) => {
      const result = check(GMC, withFields(galaxyA15, { gtin }));
      expect(ruleIds(result)).toEqual([`gmc.gtin.${kind}_prefix`]);
      expect(result.issues[0].severity).toBe("error");
      expect(result.valid).toBe(false);
    });
  });

  it("messages name the GS1 prefix, in English and Portuguese", () => {
    const en = check("common", withFields(galaxyA15, { gtin: "212345678909" }));
    expect(issue(en, "common.gtin.restricted_prefix").message).toBe(
      'The GTIN "212345678909" is a restricted-circulation number (GS1 prefix 021), made by a store or company for its own use, for example for items sold by weight; marketplaces may refuse it as the product\'s barcode. Use the manufacturer\'s GTIN, or SEM GTIN if the product has none.',
    );
    const weighed = check(ML, withFields(galaxyA15, { gtin: "2000000000015" }), { locale: "pt-BR" });
    expect(issue(weighed, "common.gtin.restricted_prefix").message).toBe(
      'O GTIN "2000000000015" é um número de circulação restrita (prefixo GS1 200), criado por uma loja ou empresa para uso interno, por exemplo em produtos pesáveis; os marketplaces podem recusá-lo como código de barras do produto. Use o GTIN do fabricante, ou SEM GTIN se o produto não tiver.',
    );
    const pt = check(GMC, withFields(galaxyA15, { gtin: "9810000000013" }), { locale: "pt-BR" });
    expect(issue(pt, "gmc.gtin.coupon_prefix").message).toBe(
      'O GTIN "9810000000013" é um número de cupom (prefixo GS1 981); o Google não aceita GTINs de cupom. Use o GTIN do fabricante.',
    );
  });

  it("a restricted GTIN with a wrong check digit is reported once, as an invalid GTIN", () => {
    for (const pack of PACKS) expect(ruleIds(check(pack, withFields(galaxyA15, { gtin: "2000000000016" }))), pack).toEqual(["common.gtin.check_digit"]);
  });
});

describe("GS1 Brasil GTINs (789, 790) are never flagged", () => {
  const BRAZIL = ["7891000315507", "7892509125840", "7901234567891", "17891000315504"];

  it.each(PACKS)("%s: a valid 789/790 GTIN passes with no issue", (pack) => {
    for (const gtin of BRAZIL) {
      const result = check(pack, withFields(galaxyA15, { gtin }));
      expect(ruleIds(result), gtin).toEqual([]);
      expect(result.valid).toBe(true);
    }
  });

  it("also in Mercado Livre's phone category", () => {
    for (const gtin of BRAZIL) expect(ruleIds(check(ML, withFields(galaxyA15, { gtin }), { category: "MLB1055" })), gtin).toEqual([]);
  });
});

describe("docs/rules.md, Identifiers in Brazil: a store that spells SEM GTIN the way the NF-e wants", () => {
  const source = `
id: minha-loja
name: Minha loja
version: 1.0.0
extends: mercadolivre
locale_default: pt-BR
rules:
  - id: loja.gtin.sem_gtin
    field: gtin
    check: normalized
    severity: info
    fix: { replace: { pattern: "^\\\\s*sem\\\\s*gtin\\\\s*$", with: "SEM GTIN", flags: i } }
    message:
      pt-BR: "Escreva \\"SEM GTIN\\" exatamente assim, como a NF-e exige (estava \\"{value}\\")."
      en: "Write \\"SEM GTIN\\" exactly like that, as the NF-e requires (it was \\"{value}\\")."
`;
  const pack = compilePack(parsePack(source), resolveBuiltin);

  it("rewrites the spelling with apply_fixes; a real GTIN and SEM GTIN itself are left alone", () => {
    const result = pack.createValidator({ applyFixes: true }).validate(withFields(galaxyA15, { gtin: " sem  gtin" }), 1);
    expect(ruleIds(result)).toEqual(["loja.gtin.sem_gtin", "ml.gtin.empty_reason"]);
    expect(issue(result, "loja.gtin.sem_gtin").message).toBe('Escreva "SEM GTIN" exatamente assim, como a NF-e exige (estava " sem  gtin").');
    expect(result.corrected).toMatchObject({ gtin: "SEM GTIN", attributes: { EMPTY_GTIN_REASON: "17055160" } });
    expect(ruleIds(pack.createValidator().validate(withFields(galaxyA15, { gtin: "SEM GTIN" }), 1))).toEqual(["ml.gtin.empty_reason"]);
    expect(ruleIds(pack.createValidator().validate(galaxyA15, 1))).toEqual([]);
  });
});
