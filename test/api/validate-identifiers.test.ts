import { describe, expect, it } from "vitest";
import { call, newAccount } from "../helpers";

/** A canonical record as an API client sends it, without a mapping; the GTIN column says "sem gtin". */
const caneca = (over: Record<string, unknown> = {}) => ({
  sku: "CAN-ARTESANAL-1",
  title: "Caneca de Cerâmica Artesanal Azul 350 ml",
  description: "Caneca de cerâmica feita à mão, esmalte azul, 350 ml. Peça única, pode variar levemente de cor.",
  price: 59.9,
  currency: "BRL",
  stock: 4,
  condition: "new",
  gtin: "sem gtin",
  brand: "Ateliê Barro",
  images: ["https://cdn.loja.com.br/caneca-azul-1.jpg"],
  url: "https://www.loja.com.br/caneca-azul",
  attributes: { BRAND: "Ateliê Barro", MODEL: "Caneca 350", availability: "in_stock" },
  ...over,
});

async function validate(key: string, body: unknown) {
  const res = await call("/api/v1/validate", { method: "POST", key, json: body });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as any;
}

describe("POST /validate with SEM GTIN and no mapping", () => {
  it("mercadolivre: no GTIN error; apply_fixes fills EMPTY_GTIN_REASON and keeps the GTIN column", async () => {
    const { key } = await newAccount();
    const body = await validate(key, { rule_pack: "mercadolivre", records: [caneca()], apply_fixes: true });
    const result = body.results[0];
    expect(result.issues.map((i: any) => i.rule)).toEqual(["ml.gtin.empty_reason"]);
    expect(result.issues[0]).toMatchObject({ field: "attributes.EMPTY_GTIN_REASON", severity: "warning", suggestion: "17055160", fixed: true });
    expect(result.valid).toBe(true);
    expect(result.corrected.attributes.EMPTY_GTIN_REASON).toBe("17055160");
    expect(result.corrected.gtin).toBe("sem gtin");
  });

  it("google-merchant: no GTIN error; apply_fixes sets identifier_exists = no", async () => {
    const { key } = await newAccount();
    const body = await validate(key, { rule_pack: "google-merchant", records: [caneca()], apply_fixes: true });
    const result = body.results[0];
    expect(result.issues.map((i: any) => i.rule)).toEqual(["gmc.identifier_exists.no_barcode"]);
    expect(result.valid).toBe(true);
    expect(result.corrected.attributes.identifier_exists).toBe("no");
    expect(result.corrected.gtin).toBe("sem gtin");
  });

  it("a restricted-circulation GTIN is a warning for mercadolivre and an error for google-merchant", async () => {
    const { key } = await newAccount();
    const record = caneca({ gtin: "2000000000015" });
    const ml = await validate(key, { rule_pack: "mercadolivre", records: [record] });
    expect(ml.results[0].issues.map((i: any) => [i.rule, i.severity])).toEqual([["common.gtin.restricted_prefix", "warning"]]);
    const gmc = await validate(key, { rule_pack: "google-merchant", records: [record] });
    expect(gmc.results[0].issues.map((i: any) => [i.rule, i.severity])).toEqual([["gmc.gtin.restricted_prefix", "error"]]);
    expect(gmc.results[0].valid).toBe(false);
  });
});
