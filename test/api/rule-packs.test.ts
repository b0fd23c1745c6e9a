import { describe, expect, it } from "vitest";
import { call, createPack, expectProblem, newAccount } from "../helpers";

const MY_STORE = `
id: minha-loja
name: Minha Loja (ML)
version: 1.0.0
extends: mercadolivre
overrides:
  - id: ml.title.max_length
    severity: warning
rules:
  - id: loja.sku.prefix
    field: sku
    check: pattern
    pattern: "^LJ-[0-9]{4}$"
    message:
      en: "SKU {value} does not follow LJ-0000."
      pt-BR: "O SKU {value} não segue o padrão LJ-0000."
`;

const phone = (over: Record<string, unknown> = {}) => ({
  sku: "LJ-0001",
  title: "Smartphone Samsung Galaxy A15 128GB Azul",
  description: "Smartphone novo com nota fiscal.",
  price: 1299.9,
  currency: "BRL",
  stock: 10,
  condition: "new",
  gtin: "7891000315507",
  images: ["https://cdn.loja.com.br/a15-1.jpg"],
  attributes: { BRAND: "Samsung", MODEL: "Galaxy A15" },
  ...over,
});

async function validate(key: string, body: unknown, lang = "en") {
  const res = await call("/api/v1/validate", { method: "POST", key, json: body, headers: { "accept-language": lang } });
  return { res, body: (await res.json()) as any };
}

describe("custom rule packs", () => {
  it("extends a built-in pack and validates through /validate", async () => {
    const { key } = await newAccount();
    const created = await call("/api/v1/rule-packs", { method: "POST", key, body: MY_STORE, headers: { "content-type": "application/yaml" } });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe("/api/v1/rule-packs/minha-loja");
    const pack = (await created.json()) as any;
    expect(pack).toMatchObject({ id: "minha-loja", builtin: false, revision: 1, extends: ["mercadolivre"] });
    expect(pack.rules.map((r: any) => r.id)).toEqual(expect.arrayContaining(["common.sku.required", "ml.title.max_length", "loja.sku.prefix"]));

    const good = await validate(key, { rule_pack: "minha-loja", records: [phone()] });
    expect(good.res.status).toBe(200);
    expect(good.body.summary).toMatchObject({ records: 1, valid: 1, invalid: 0 });

    const longTitle = "Smartphone Samsung Galaxy A15 128GB 4GB RAM Tela 6.5 Azul Escuro Original";
    const bad = await validate(key, { rule_pack: "minha-loja", records: [phone({ sku: "A-1", title: longTitle })] }, "pt-BR");
    const issues = bad.body.results[0].issues;
    expect(issues.find((i: any) => i.rule === "loja.sku.prefix")).toMatchObject({ severity: "error", message: "O SKU A-1 não segue o padrão LJ-0000." });
    expect(issues.find((i: any) => i.rule === "ml.title.max_length")?.severity).toBe("warning");
    expect(bad.body.summary.invalid).toBe(1);
  });

  it("lists built-in and own packs, saves revisions, and deletes", async () => {
    const { key } = await newAccount();
    await createPack(key, MY_STORE);
    const list = (await (await call("/api/v1/rule-packs", { key })).json()) as any;
    expect(list.data.map((p: any) => p.id)).toEqual(["common", "google-merchant", "mercadolivre", "minha-loja", "shopee"]);
    const ml = (await (await call("/api/v1/rule-packs/mercadolivre?category=MLB1055", { key })).json()) as any;
    expect(ml.builtin).toBe(true);
    expect(ml.source).toContain("id: mercadolivre");
    expect(ml.rules.some((r: any) => r.category === "MLB1055")).toBe(true);

    const v2 = await call("/api/v1/rule-packs/minha-loja", { method: "PUT", key, body: MY_STORE.replace("1.0.0", "1.1.0"), headers: { "content-type": "application/yaml" } });
    expect(((await v2.json()) as any).revision).toBe(2);
    await expectProblem(await call("/api/v1/rule-packs/mercadolivre", { method: "PUT", key, body: MY_STORE, headers: { "content-type": "application/yaml" } }), 422);
    await expectProblem(await call("/api/v1/rule-packs/mercadolivre", { method: "DELETE", key }), 409);
    expect((await call("/api/v1/rule-packs/minha-loja", { method: "DELETE", key })).status).toBe(204);
    await expectProblem(await call("/api/v1/rule-packs/minha-loja", { key }), 404);
  });

  it("refuses a pack that does not parse or compile, naming the line and the rule", async () => {
    const { key } = await newAccount();
    const broken = MY_STORE.replace("check: pattern", "check: regexx");
    const problem = await expectProblem(
      await call("/api/v1/rule-packs", { method: "POST", key, body: broken, headers: { "content-type": "application/yaml" } }),
      422,
      "invalid-rule-pack",
    );
    expect(problem.errors?.[0]).toMatchObject({ rule: "loja.sku.prefix", line: expect.any(Number) });
    expect(problem.errors?.[0].detail).toContain("regexx");

    const unsafe = MY_STORE.replace('"^LJ-[0-9]{4}$"', '"^(a+)+$"');
    await expectProblem(await call("/api/v1/rule-packs", { method: "POST", key, body: unsafe, headers: { "content-type": "application/yaml" } }), 422);
    const orphan = MY_STORE.replace("extends: mercadolivre", "extends: nao-existe");
    await expectProblem(await call("/api/v1/rule-packs", { method: "POST", key, body: orphan, headers: { "content-type": "application/yaml" } }), 422);
    await expectProblem(await call("/api/v1/rule-packs", { method: "POST", key, body: "id: x", headers: { "content-type": "text/plain" } }), 415);
    await expectProblem(
      await call("/api/v1/rule-packs", { method: "POST", key, body: "x".repeat(300 * 1024), headers: { "content-type": "application/yaml" } }),
      413,
    );
  });

  it("keeps one account's packs from every other account", async () => {
    const alice = await newAccount("Alice");
    const bob = await newAccount("Bob");
    await createPack(alice.key, MY_STORE);
    await expectProblem(await call("/api/v1/rule-packs/minha-loja", { key: bob.key }), 404);
    await expectProblem(await call("/api/v1/validate", { method: "POST", key: bob.key, json: { rule_pack: "minha-loja", records: [phone()] } }), 404);
    expect((await createPack(bob.key, MY_STORE)).id).toBe("minha-loja");
  });
});

describe("POST /api/v1/validate limits", () => {
  it("sends more than 1,000 records to jobs with 413", async () => {
    const { key } = await newAccount();
    const records = Array.from({ length: 1001 }, (_, i) => ({ sku: String(i) }));
    const problem = await expectProblem(await call("/api/v1/validate", { method: "POST", key, json: { rule_pack: "common", records } }), 413);
    expect(problem.detail).toContain("/api/v1/jobs");
  });
});
